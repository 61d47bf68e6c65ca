//! What a member or the bot may do in a channel: the few permissions feudbot reads
//! or asks for, as a typed set. The front end maps them to and from its platform's
//! own representation (Discord's permission bits live in `discord/`).

bitflags::bitflags! {
    /// A set of permissions. The bit values are this crate's own, not Discord's.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Permissions: u16 {
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
        /// Post messages in a thread (what Send Messages is elsewhere).
        const SEND_MESSAGES_IN_THREADS = 1 << 7;
        /// Give members roles below the bot's highest (a server permission): what role
        /// rewards need.
        const MANAGE_ROLES = 1 << 8;
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
            Permissions::SEND_MESSAGES_IN_THREADS => "Send Messages in Threads",
            Permissions::MANAGE_ROLES => "Manage Roles",
            _ => "several permissions",
        }
    }

    /// The names of these permissions for people, bold, in the order Discord's
    /// settings list them: "**Send Messages** and **Embed Links**".
    pub fn names(self) -> String {
        let names: Vec<String> = self.iter().map(|p| format!("**{}**", p.name())).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.concat(),
        }
    }

    /// What the bot needs in a channel to run a quiz there: see, post (in a thread:
    /// post in threads), post embeds, and read back its questions to edit them.
    pub fn to_run_a_quiz(in_thread: bool) -> Permissions {
        let send = if in_thread {
            Permissions::SEND_MESSAGES_IN_THREADS
        } else {
            Permissions::SEND_MESSAGES
        };
        Permissions::VIEW_CHANNEL
            | send
            | Permissions::EMBED_LINKS
            | Permissions::READ_MESSAGE_HISTORY
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
