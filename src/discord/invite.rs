//! The link that adds the bot to a server, with exactly the access it needs.

/// View Channel, Send Messages, Embed Links and Read Message History: what posting
/// quiz questions and daily facts needs. Slash-command replies need no permission.
pub const PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16);

/// The install URL for the application `application_id`: the `bot` scope (to post in
/// channels) and `applications.commands` (slash commands), with [`PERMISSIONS`].
pub fn invite_url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}\
         &scope=bot%20applications.commands&permissions={PERMISSIONS}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invite_asks_for_two_scopes_and_four_permissions() {
        assert_eq!(PERMISSIONS, 84992);
        assert_eq!(
            invite_url(42),
            "https://discord.com/oauth2/authorize?client_id=42\
             &scope=bot%20applications.commands&permissions=84992"
        );
    }
}
