//! What a member or the bot may do in a channel: the few permissions feudbot reads
//! or asks for, as a typed set. The front end maps them to and from its platform's
//! own representation (Discord's permission bits live in `discord/`).

bitflags::bitflags! {
    /// A set of permissions. The bit values are this crate's own, not Discord's.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Permissions: u8 {
        /// Every permission, in every channel.
        const ADMINISTRATOR = 1;
        /// Change the server's settings: who may set up daily posts.
        const MANAGE_GUILD = 1 << 1;
        /// Moderate messages: who may stop someone else's quiz.
        const MANAGE_MESSAGES = 1 << 2;
        /// See the channel at all.
        const VIEW_CHANNEL = 1 << 3;
        /// Post messages in it.
        const SEND_MESSAGES = 1 << 4;
        /// Post embeds in it (every post of the bot is one).
        const EMBED_LINKS = 1 << 5;
        /// Read its past messages (to edit a quiz question after a restart).
        const READ_MESSAGE_HISTORY = 1 << 6;
    }
}

impl Permissions {
    /// What the bot asks for when it joins a server: what posting quiz questions and
    /// daily facts needs. Slash-command replies need none.
    pub const BOT: Permissions = Permissions::VIEW_CHANNEL
        .union(Permissions::SEND_MESSAGES)
        .union(Permissions::EMBED_LINKS)
        .union(Permissions::READ_MESSAGE_HISTORY);

    /// Whether these permissions allow everything in `needed`: Administrator allows
    /// everything.
    pub fn allow(self, needed: Permissions) -> bool {
        self.contains(Permissions::ADMINISTRATOR) || self.contains(needed)
    }

    /// The permissions of `needed` that these lack (none for an administrator).
    pub fn missing(self, needed: Permissions) -> Permissions {
        if self.contains(Permissions::ADMINISTRATOR) {
            Permissions::empty()
        } else {
            needed.difference(self)
        }
    }

    /// The name Discord's settings show for a single permission.
    pub fn name(self) -> &'static str {
        match self {
            Permissions::ADMINISTRATOR => "Administrator",
            Permissions::MANAGE_GUILD => "Manage Server",
            Permissions::MANAGE_MESSAGES => "Manage Messages",
            Permissions::VIEW_CHANNEL => "View Channel",
            Permissions::SEND_MESSAGES => "Send Messages",
            Permissions::EMBED_LINKS => "Embed Links",
            Permissions::READ_MESSAGE_HISTORY => "Read Message History",
            _ => "several permissions",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrator_allows_everything() {
        let admin = Permissions::ADMINISTRATOR;
        assert!(admin.allow(Permissions::MANAGE_MESSAGES | Permissions::MANAGE_GUILD));
        assert!(admin.missing(Permissions::BOT).is_empty());
        let member = Permissions::VIEW_CHANNEL;
        assert!(!member.allow(Permissions::MANAGE_MESSAGES));
        assert_eq!(
            member.missing(Permissions::BOT),
            Permissions::SEND_MESSAGES
                | Permissions::EMBED_LINKS
                | Permissions::READ_MESSAGE_HISTORY
        );
    }
}
