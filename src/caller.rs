//! Who typed a command or clicked a button, and where: what commands that act in a
//! channel (games, daily posts) need to know. A front end builds it from what its
//! platform tells (a Discord interaction, a line typed in the console).

use crate::permissions::Permissions;

/// The author of a command or click.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub user_id: u64,
    /// The name to show for them: their nickname in this server, else their display
    /// name, else their user name.
    pub user_name: String,
    /// Bots' clicks are ignored.
    pub is_bot: bool,
    /// The server, or `None` in a direct message.
    pub guild_id: Option<u64>,
    /// The channel the command was typed in, or the clicked message is in.
    pub channel_id: u64,
    /// The user's permissions in that channel.
    pub permissions: Permissions,
    /// What the bot itself may do in that channel, as the platform said.
    pub bot_permissions: Permissions,
    /// Whether that channel is a thread.
    pub in_thread: bool,
    /// Whether the app is installed in this server, so that the bot is a member and may
    /// post on its own; false in DMs and where only the user installed it.
    pub bot_installed: bool,
}
