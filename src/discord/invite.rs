//! The links that add the bot to a server, with exactly the access it needs, and to a
//! user's own apps.

use super::permissions::to_discord;
use crate::permissions::Permissions;

/// The install URL for the application `application_id`: the `bot` scope (to post in
/// channels) and `applications.commands` (slash commands), with what the bot needs to
/// post ([`Permissions::BOT`]).
pub fn invite_url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}\
         &scope=bot%20applications.commands&permissions={}",
        to_discord(Permissions::BOT).bits()
    )
}

/// The link that adds the application to a user's own apps: its commands that work
/// anywhere (lookups, `/practice`), in any server, DM or group DM, without the bot.
pub fn user_install_url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}\
         &integration_type=1&scope=applications.commands"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invite_asks_for_two_scopes_and_four_permissions() {
        assert_eq!(
            invite_url(42),
            "https://discord.com/oauth2/authorize?client_id=42\
             &scope=bot%20applications.commands&permissions=84992"
        );
        assert_eq!(
            user_install_url(42),
            "https://discord.com/oauth2/authorize?client_id=42\
             &integration_type=1&scope=applications.commands"
        );
    }
}
