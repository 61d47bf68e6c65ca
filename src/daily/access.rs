//! What the bot needs in a channel to post there, checked from the permissions the
//! front end found the bot has in that channel.

use std::fmt;

use crate::permissions::Permissions;

/// What every daily post needs: to see the channel, post in it, and post an embed.
pub const NEEDED: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::EMBED_LINKS);

/// The permissions the bot lacks in a channel (never empty).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct MissingPermission(pub Permissions);

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

/// Whether the bot, holding `permissions` in a channel, can post daily posts there;
/// if not, which permissions it lacks, in the order Discord's settings list them. A
/// channel the bot cannot find at all is no permissions: everything is missing, View
/// Channel first.
pub fn check_channel(permissions: Permissions) -> Result<(), MissingPermission> {
    let missing = permissions.missing(NEEDED);
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
        assert_eq!(check_channel(NEEDED), Ok(()));
        assert_eq!(check_channel(Permissions::ADMINISTRATOR), Ok(()));
        let missing = check_channel(Permissions::VIEW_CHANNEL).unwrap_err();
        assert_eq!(missing.to_string(), "**Send Messages** and **Embed Links**");
        let missing = check_channel(Permissions::empty()).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "**View Channel**, **Send Messages** and **Embed Links**"
        );
        let missing =
            check_channel(Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES).unwrap_err();
        assert_eq!(missing.to_string(), "**Embed Links**");
    }
}
