//! The core's permissions as Discord's permission bits, and back.

use serenity::all::Permissions as Bits;

use crate::permissions::Permissions;

/// Each permission of the core, with Discord's bit for it.
const TABLE: [(Permissions, Bits); 9] = [
    (Permissions::ADMINISTRATOR, Bits::ADMINISTRATOR),
    (Permissions::MANAGE_GUILD, Bits::MANAGE_GUILD),
    (Permissions::MANAGE_MESSAGES, Bits::MANAGE_MESSAGES),
    (Permissions::VIEW_CHANNEL, Bits::VIEW_CHANNEL),
    (Permissions::SEND_MESSAGES, Bits::SEND_MESSAGES),
    (Permissions::EMBED_LINKS, Bits::EMBED_LINKS),
    (
        Permissions::READ_MESSAGE_HISTORY,
        Bits::READ_MESSAGE_HISTORY,
    ),
    (
        Permissions::SEND_MESSAGES_IN_THREADS,
        Bits::SEND_MESSAGES_IN_THREADS,
    ),
    (Permissions::MANAGE_ROLES, Bits::MANAGE_ROLES),
];

/// Discord's bits for `permissions`.
pub fn to_discord(permissions: Permissions) -> Bits {
    TABLE
        .iter()
        .filter(|(ours, _)| permissions.contains(*ours))
        .fold(Bits::empty(), |bits, (_, theirs)| bits | *theirs)
}

/// The permissions of the core among Discord's `bits` (the others are not read).
pub fn from_discord(bits: Bits) -> Permissions {
    TABLE
        .iter()
        .filter(|(_, theirs)| bits.contains(*theirs))
        .fold(Permissions::empty(), |ours, (theirs, _)| ours | *theirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_maps_both_ways() {
        assert_eq!(
            from_discord(to_discord(Permissions::all())),
            Permissions::all()
        );
        assert_eq!(to_discord(Permissions::BOT).bits(), 84992);
        assert_eq!(to_discord(Permissions::MANAGE_GUILD).bits(), 1 << 5);
    }
}
