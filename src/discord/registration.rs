//! The command table as Discord registers it: the body of
//! `PUT /applications/{id}/commands`, with Discord's type numbers.

use serde_json::{Value as Json, json};

use super::permissions::to_discord;
use crate::commands::{COMMANDS, CommandSpec, OptionKind, OptionSpec, SubcommandSpec};

/// Application command type: a slash command.
const CHAT_INPUT: u8 = 1;
/// Option types.
const SUB_COMMAND: u8 = 1;
const STRING: u8 = 3;
const INTEGER: u8 = 4;
const USER: u8 = 6;
const CHANNEL: u8 = 7;
const ROLE: u8 = 8;
/// Channel types a channel option offers: text and announcement channels, where the
/// bot can post.
const POSTABLE_CHANNELS: [u8; 2] = [0, 5];
/// Interaction contexts: a server, the bot's DMs, other DMs and group DMs.
const GUILD: u8 = 0;
const BOT_DM: u8 = 1;
const PRIVATE_CHANNEL: u8 = 2;
/// Installation contexts: installed to a server, or to a user's account.
const GUILD_INSTALL: u8 = 0;
const USER_INSTALL: u8 = 1;

/// The JSON array for Discord's `PUT /applications/{id}/commands`: every command, as
/// chat-input commands. Server-only ones (games, scores, daily posts: they need the
/// bot in the server) are installed with the bot in a server; the others answer only
/// through the interaction, so they also install to a user and work anywhere: in any
/// server, in DMs and group DMs.
pub fn commands_json() -> Json {
    COMMANDS.iter().map(command).collect()
}

fn command(spec: &CommandSpec) -> Json {
    let options: Vec<Json> = if spec.subcommands().is_empty() {
        spec.forms()
            .into_iter()
            .flat_map(|form| form.options)
            .map(option)
            .collect()
    } else {
        spec.subcommands().iter().map(subcommand).collect()
    };
    let (contexts, installs) = if spec.guild_only {
        (vec![GUILD], vec![GUILD_INSTALL])
    } else {
        (
            vec![GUILD, BOT_DM, PRIVATE_CHANNEL],
            vec![GUILD_INSTALL, USER_INSTALL],
        )
    };
    json!({
        "type": CHAT_INPUT,
        "name": spec.name,
        "description": spec.description,
        "options": options,
        "default_member_permissions": spec.permissions.map(|p| to_discord(p).bits().to_string()),
        "contexts": contexts,
        "integration_types": installs,
    })
}

fn subcommand(sub: &SubcommandSpec) -> Json {
    json!({
        "type": SUB_COMMAND,
        "name": sub.name,
        "description": sub.description,
        "options": sub.options.iter().map(option).collect::<Vec<_>>(),
    })
}

fn option(spec: &OptionSpec) -> Json {
    let mut option = json!({
        "type": match spec.kind {
            OptionKind::Text => STRING,
            OptionKind::Integer => INTEGER,
            OptionKind::Channel => CHANNEL,
            OptionKind::User => USER,
            OptionKind::Role => ROLE,
        },
        "name": spec.name,
        "description": spec.description,
        "required": spec.required,
    });
    if spec.completion.is_some() {
        option["autocomplete"] = json!(true);
    }
    if let Some((min, max)) = spec.range {
        option["min_value"] = json!(min);
        option["max_value"] = json!(max);
    }
    if let Some(length) = spec.max_length {
        option["max_length"] = json!(length);
    }
    if !spec.choices.is_empty() {
        option["choices"] = spec
            .choices
            .iter()
            .map(|choice| json!({ "name": choice, "value": choice }))
            .collect();
    }
    if spec.kind == OptionKind::Channel {
        option["channel_types"] = json!(POSTABLE_CHANNELS);
    }
    option
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subcommands_nest_their_options_and_channels_are_postable_ones() {
        let json = commands_json();
        let daily = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "daily")
            .unwrap();
        let set = &daily["options"][0];
        assert_eq!(set["type"], 1);
        assert_eq!(set["name"], "set");
        assert_eq!(set["options"][0]["type"], 7);
        assert_eq!(set["options"][0]["channel_types"], json!([0, 5]));
        assert_eq!(daily["default_member_permissions"], "32");
        assert_eq!(daily["contexts"], json!([0]));
        assert_eq!(daily["integration_types"], json!([0]));
        let practice = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "practice")
            .unwrap();
        assert_eq!(practice["contexts"], json!([0, 1, 2]));
        assert_eq!(practice["integration_types"], json!([0, 1]));
    }
}
