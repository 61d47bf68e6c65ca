//! What the bot needs in a channel to post there, checked from the permission bits the
//! Discord layer computes for the bot in that channel.

use std::fmt;

/// Discord's "Administrator" bit, which grants every other permission.
const ADMINISTRATOR: u64 = 1 << 3;

/// A channel permission a daily post needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelPermission {
    /// See the channel at all.
    ViewChannel,
    /// Post messages in it.
    SendMessages,
    /// Post embeds in it (every daily post is one).
    EmbedLinks,
}

impl ChannelPermission {
    /// Every permission a daily post needs, in the order Discord's settings list them.
    pub const NEEDED: [ChannelPermission; 3] = [
        ChannelPermission::ViewChannel,
        ChannelPermission::SendMessages,
        ChannelPermission::EmbedLinks,
    ];

    /// Discord's permission bit.
    pub fn bit(self) -> u64 {
        match self {
            ChannelPermission::ViewChannel => 1 << 10,
            ChannelPermission::SendMessages => 1 << 11,
            ChannelPermission::EmbedLinks => 1 << 14,
        }
    }

    /// The name Discord's settings show.
    pub fn name(self) -> &'static str {
        match self {
            ChannelPermission::ViewChannel => "View Channel",
            ChannelPermission::SendMessages => "Send Messages",
            ChannelPermission::EmbedLinks => "Embed Links",
        }
    }
}

/// The permissions the bot lacks in a channel (never empty).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct MissingPermission(pub Vec<ChannelPermission>);

impl fmt::Display for MissingPermission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(|p| format!("**{}**", p.name())).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => {
                write!(f, "{} and {last}", rest.join(", "))
            }
            _ => f.write_str(&names.concat()),
        }
    }
}

/// Whether the bot, holding permission bits `bits` in a channel, can post daily posts
/// there; if not, which permissions it lacks. A channel the bot cannot find at all is
/// `bits == 0`: everything is missing, View Channel first.
pub fn check_channel(bits: u64) -> Result<(), MissingPermission> {
    if bits & ADMINISTRATOR != 0 {
        return Ok(());
    }
    let missing: Vec<ChannelPermission> = ChannelPermission::NEEDED
        .into_iter()
        .filter(|p| bits & p.bit() == 0)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MissingPermission(missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_exactly_what_is_missing() {
        let all = (1 << 10) | (1 << 11) | (1 << 14);
        assert_eq!(check_channel(all), Ok(()));
        assert_eq!(check_channel(ADMINISTRATOR), Ok(()));
        let missing = check_channel(1 << 10).unwrap_err();
        assert_eq!(missing.to_string(), "**Send Messages** and **Embed Links**");
        let missing = check_channel(0).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "**View Channel**, **Send Messages** and **Embed Links**"
        );
        let missing = check_channel((1 << 10) | (1 << 11)).unwrap_err();
        assert_eq!(missing.to_string(), "**Embed Links**");
    }
}
