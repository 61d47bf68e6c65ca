//! Builders for the JSON Discord sends: interactions (slash commands, subcommands,
//! autocomplete, button clicks), users, members and messages.
//!
//! Every builder returns a `serde_json::Value` shaped like what Discord really sends,
//! with fresh snowflake ids and interaction tokens. [`FakeDiscord::send_interaction`]
//! deserializes each payload into serenity's own types before sending it, so a builder
//! that drifts from what serenity accepts fails loudly instead of being dropped silently
//! by the client.
//!
//! Options are given as JSON arrays in Discord's wire form; the `*_opt` helpers build
//! the common ones:
//!
//! ```ignore
//! let who = Who::member(42, "alice");
//! let p = slash_command(&who, "timeline", json!([string_opt("query", "xai"), int_opt("page", 2)]));
//! ```
//!
//! [`FakeDiscord::send_interaction`]: super::FakeDiscord::send_interaction

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// The bot's application id.
pub const APPLICATION_ID: u64 = 1_300_000_000_000_000_001;
/// The bot's user id. Applications made since 2019 have it equal to their id, older
/// ones do not: it differs here, so that the bot must take it from READY.
pub const BOT_USER_ID: u64 = 1_300_000_000_000_000_009;
/// The bot's user name.
pub const BOT_NAME: &str = "feudbot";
/// The one guild the fake knows by default.
pub const GUILD_ID: u64 = 1_300_000_000_000_000_100;
/// The guild's owner (not the bot).
pub const GUILD_OWNER_ID: u64 = 1_300_000_000_000_000_101;
/// The guild's text channel.
pub const CHANNEL_ID: u64 = 1_300_000_000_000_000_200;
/// The bot's managed role in the guild.
pub const BOT_ROLE_ID: u64 = 1_300_000_000_000_000_300;

/// Permissions the bot has in the guild: VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS,
/// ATTACH_FILES, READ_MESSAGE_HISTORY, ADD_REACTIONS, USE_EXTERNAL_EMOJIS,
/// USE_APPLICATION_COMMANDS.
pub const BOT_PERMISSIONS: u64 =
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 6) | (1 << 18) | (1 << 31);
/// Permissions of `@everyone` (and so of invoking members).
pub const EVERYONE_PERMISSIONS: u64 =
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 6) | (1 << 31);
/// Discord's upload limit for a guild without boosts, sent in every interaction.
pub const ATTACHMENT_SIZE_LIMIT: u64 = 10 * 1024 * 1024;

/// Milliseconds between the Unix epoch and Discord's epoch (2015-01-01).
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// A fresh snowflake: the current time in Discord's layout plus a process-wide counter,
/// so ids are unique within a test run and increase with time, like Discord's.
pub fn snowflake() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(DISCORD_EPOCH_MS);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    ((ms.saturating_sub(DISCORD_EPOCH_MS)) << 22) | (n & 0x3f_ffff)
}

/// A fresh interaction token: long, URL-safe, unique (Discord's are ~200 characters).
pub fn token() -> String {
    format!(
        "aW50ZXJhY3Rpb246{:x}OmZha2V0b2tlbg{:x}",
        snowflake(),
        snowflake()
    )
}

/// An ISO 8601 timestamp for "now", as Discord writes them.
pub fn now_timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

/// Where an interaction happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// In a guild text channel; the invoker is sent as a `member`.
    Guild { guild_id: u64, channel_id: u64 },
    /// In a DM with the bot; the invoker is sent as a `user`.
    Dm { channel_id: u64 },
    /// In a group DM, through the app the invoker installed to their account (the bot
    /// is no member); the invoker is sent as a `user`.
    GroupDm { channel_id: u64 },
}

/// Who invokes an interaction, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub user_id: u64,
    pub name: String,
    pub bot: bool,
    pub place: Place,
}

impl Who {
    /// A member of the default guild ([`GUILD_ID`]) in its text channel ([`CHANNEL_ID`]).
    pub fn member(user_id: u64, name: &str) -> Who {
        Who {
            user_id,
            name: name.to_string(),
            bot: false,
            place: Place::Guild {
                guild_id: GUILD_ID,
                channel_id: CHANNEL_ID,
            },
        }
    }

    /// A user in a DM with the bot; the DM channel gets a fresh id.
    pub fn dm(user_id: u64, name: &str) -> Who {
        Who {
            user_id,
            name: name.to_string(),
            bot: false,
            place: Place::Dm {
                channel_id: snowflake(),
            },
        }
    }

    /// A user in a group DM, through the app installed to their account.
    pub fn group_dm(user_id: u64, name: &str) -> Who {
        Who {
            user_id,
            name: name.to_string(),
            bot: false,
            place: Place::GroupDm {
                channel_id: snowflake(),
            },
        }
    }

    /// The same invoker, flagged as a bot account (`"bot": true`).
    pub fn into_bot(mut self) -> Who {
        self.bot = true;
        self
    }

    /// The same invoker in another channel of the same place.
    pub fn in_channel(mut self, channel_id: u64) -> Who {
        self.place = match self.place {
            Place::Guild { guild_id, .. } => Place::Guild {
                guild_id,
                channel_id,
            },
            Place::Dm { .. } => Place::Dm { channel_id },
            Place::GroupDm { .. } => Place::GroupDm { channel_id },
        };
        self
    }

    /// The channel the interaction happens in.
    pub fn channel_id(&self) -> u64 {
        match self.place {
            Place::Guild { channel_id, .. }
            | Place::Dm { channel_id }
            | Place::GroupDm { channel_id } => channel_id,
        }
    }

    /// The guild, if the interaction happens in one.
    pub fn guild_id(&self) -> Option<u64> {
        match self.place {
            Place::Guild { guild_id, .. } => Some(guild_id),
            Place::Dm { .. } | Place::GroupDm { .. } => None,
        }
    }

    /// The invoker as a Discord user object.
    pub fn user_json(&self) -> Value {
        user(self.user_id, &self.name, self.bot)
    }
}

/// A Discord user object.
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
    })
}

/// The bot's own user object.
pub fn bot_user() -> Value {
    user(BOT_USER_ID, BOT_NAME, true)
}

/// A guild member object for `user` with the given role ids.
pub fn member(user: Value, roles: &[u64], permissions: u64) -> Value {
    json!({
        "user": user,
        "nick": null,
        "avatar": null,
        "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "permissions": permissions.to_string(),
        "communication_disabled_until": null,
    })
}

/// A message object as Discord returns it, with `content`, `embeds`, `components` and
/// `flags` taken from `body` (a create/edit message body) where present.
pub fn message(id: u64, channel_id: u64, author: Value, body: &Value) -> Value {
    let mut m = json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": "",
        "timestamp": now_timestamp(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
    });
    apply_edit(&mut m, body);
    m
}

/// Applies an edit body (`content`, `embeds`, `components`, `flags`) to a stored
/// message, as Discord does: fields absent from the body are kept.
pub fn apply_edit(message: &mut Value, body: &Value) {
    let Some(obj) = message.as_object_mut() else {
        return;
    };
    for key in ["content", "components", "flags", "tts"] {
        if let Some(v) = body.get(key) {
            obj.insert(
                key.to_string(),
                if v.is_null() { json!([]) } else { v.clone() },
            );
        }
    }
    if body.get("content").is_some_and(Value::is_null) {
        obj.insert("content".into(), json!(""));
    }
    if body.get("flags").is_some_and(Value::is_null) {
        obj.insert("flags".into(), json!(0));
    }
    if let Some(embeds) = body.get("embeds") {
        // Discord adds `"type": "rich"` to embeds it stores.
        let embeds: Vec<Value> = embeds
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        let mut e = e.clone();
                        if let Some(o) = e.as_object_mut() {
                            o.entry("type").or_insert(json!("rich"));
                        }
                        e
                    })
                    .collect()
            })
            .unwrap_or_default();
        obj.insert("embeds".into(), Value::Array(embeds));
    }
}

/// A string option `{"name", "type": 3, "value"}`.
pub fn string_opt(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// An integer option (`type` 4).
pub fn int_opt(name: &str, value: i64) -> Value {
    json!({"name": name, "type": 4, "value": value})
}

/// A boolean option (`type` 5).
pub fn bool_opt(name: &str, value: bool) -> Value {
    json!({"name": name, "type": 5, "value": value})
}

/// The option being typed in an autocomplete interaction: Discord sends the partial
/// input as a string with `"focused": true`, whatever the option's `kind` (3 string,
/// 4 integer, 10 number).
pub fn focused_opt(name: &str, kind: u8, partial: &str) -> Value {
    json!({"name": name, "type": kind, "value": partial, "focused": true})
}

/// Fields every interaction carries, for `who`, with a fresh id and token.
fn interaction_base(who: &Who, kind: u8, data: Value) -> Value {
    let mut p = json!({
        "id": snowflake().to_string(),
        "application_id": APPLICATION_ID.to_string(),
        "type": kind,
        "data": data,
        "channel_id": who.channel_id().to_string(),
        "token": token(),
        "version": 1,
        "app_permissions": BOT_PERMISSIONS.to_string(),
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    });
    let Some(obj) = p.as_object_mut() else {
        unreachable!("json! object literal is an object");
    };
    match who.place {
        Place::Guild {
            guild_id,
            channel_id,
        } => {
            obj.insert("guild_id".into(), json!(guild_id.to_string()));
            obj.insert("guild_locale".into(), json!("en-US"));
            obj.insert(
                "member".into(),
                member(who.user_json(), &[], EVERYONE_PERMISSIONS),
            );
            obj.insert(
                "channel".into(),
                json!({
                    "id": channel_id.to_string(),
                    "type": 0,
                    "name": "general",
                    "guild_id": guild_id.to_string(),
                    "permissions": EVERYONE_PERMISSIONS.to_string(),
                }),
            );
            obj.insert("context".into(), json!(0));
            obj.insert(
                "authorizing_integration_owners".into(),
                json!({"0": guild_id.to_string()}),
            );
        }
        Place::Dm { channel_id } => {
            obj.insert("user".into(), who.user_json());
            obj.insert(
                "channel".into(),
                json!({
                    "id": channel_id.to_string(),
                    "type": 1,
                    "recipients": [who.user_json()],
                }),
            );
            obj.insert("context".into(), json!(1));
            obj.insert("authorizing_integration_owners".into(), json!({"0": "0"}));
        }
        Place::GroupDm { channel_id } => {
            obj.insert("user".into(), who.user_json());
            obj.insert(
                "channel".into(),
                json!({
                    "id": channel_id.to_string(),
                    "type": 3,
                    "recipients": [who.user_json(), user(snowflake(), "friend", false)],
                }),
            );
            obj.insert("context".into(), json!(2));
            obj.insert(
                "authorizing_integration_owners".into(),
                json!({"1": who.user_id.to_string()}),
            );
        }
    }
    p
}

fn command_data(name: &str, options: Value) -> Value {
    let options = match options {
        Value::Null => json!([]),
        Value::Array(_) => options,
        other => panic!("command options must be a JSON array of options, got {other}"),
    };
    // Only guild-registered commands carry `data.guild_id`; these are global ones.
    json!({
        "id": snowflake().to_string(),
        "name": name,
        "type": 1,
        "options": options,
    })
}

/// A slash command (`type` 2) named `name` with `options` (a JSON array in Discord's wire
/// form, or `Value::Null` for none).
pub fn slash_command(who: &Who, name: &str, options: Value) -> Value {
    interaction_base(who, 2, command_data(name, options))
}

/// A slash command invoking subcommand `sub` of `name` with `options`.
pub fn subcommand(who: &Who, name: &str, sub: &str, options: Value) -> Value {
    let options = if options.is_null() {
        json!([])
    } else {
        options
    };
    slash_command(
        who,
        name,
        json!([{"name": sub, "type": 1, "options": options}]),
    )
}

/// An autocomplete interaction (`type` 4) for command `name`. `options` must contain
/// exactly one option (possibly inside a subcommand) with `"focused": true`; see
/// [`focused_opt`].
pub fn autocomplete(who: &Who, name: &str, options: Value) -> Value {
    fn count_focused(options: &Value) -> usize {
        options.as_array().map_or(0, |opts| {
            opts.iter()
                .map(|o| {
                    usize::from(o.get("focused") == Some(&Value::Bool(true)))
                        + o.get("options").map_or(0, count_focused)
                })
                .sum()
        })
    }
    let focused = count_focused(&options);
    assert_eq!(
        focused, 1,
        "an autocomplete interaction needs exactly one option with \"focused\": true, \
         found {focused} in {options}"
    );
    interaction_base(who, 4, command_data(name, options))
}

/// The bot's answer to `invoker`'s slash command `command`, as message `id` holding
/// `body` (a create message body, such as a callback's `data`), as it appears inside
/// a component interaction: type 20, with the `interaction_metadata` (and the older
/// `interaction`) that name who ran the command.
pub fn reply_message(invoker: &Who, command: &str, id: u64, body: &Value) -> Value {
    let mut m = message(id, invoker.channel_id(), bot_user(), body);
    let owners = match invoker.guild_id() {
        Some(guild_id) => json!({"0": guild_id.to_string()}),
        None => json!({"1": invoker.user_id.to_string()}),
    };
    let interaction = snowflake().to_string();
    if let Some(obj) = m.as_object_mut() {
        obj.insert("type".into(), json!(20));
        obj.insert("application_id".into(), json!(APPLICATION_ID.to_string()));
        obj.insert("webhook_id".into(), json!(APPLICATION_ID.to_string()));
        obj.insert(
            "interaction_metadata".into(),
            json!({
                "id": interaction,
                "type": 2,
                "user": invoker.user_json(),
                "authorizing_integration_owners": owners,
            }),
        );
        obj.insert(
            "interaction".into(),
            json!({
                "id": interaction,
                "type": 2,
                "name": command,
                "user": invoker.user_json(),
            }),
        );
    }
    m
}

/// A click (`type` 3, `component_type` 2) on the button `custom_id` of the bot's
/// message `message_id` in `who`'s channel, the answer to `who`'s own command.
pub fn button_click(who: &Who, message_id: u64, custom_id: &str) -> Value {
    let command = custom_id.split(':').next().unwrap_or_default();
    let message = reply_message(who, command, message_id, &json!({}));
    button_click_on(who, message, custom_id)
}

/// A click on the button `custom_id` of `message`, a full message object (for example
/// the `response` of a recorded call, or one from [`FakeDiscord::message`]).
///
/// [`FakeDiscord::message`]: super::FakeDiscord::message
pub fn button_click_on(who: &Who, message: Value, custom_id: &str) -> Value {
    let mut p = interaction_base(who, 3, json!({"custom_id": custom_id, "component_type": 2}));
    if let Some(obj) = p.as_object_mut() {
        obj.insert("message".into(), message);
    }
    p
}

/// The interaction id of a payload built here.
pub fn interaction_id(payload: &Value) -> u64 {
    payload
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("interaction payload has no string snowflake \"id\": {payload}"))
}

/// The interaction token of a payload built here.
pub fn interaction_token(payload: &Value) -> &str {
    payload
        .get("token")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("interaction payload has no string \"token\": {payload}"))
}

/// The path (relative to `/api/v10`) of the callback for this interaction, for
/// [`FakeDiscord::expect`](super::FakeDiscord::expect).
pub fn callback_path(payload: &Value) -> String {
    format!(
        "/interactions/{}/{}/callback",
        interaction_id(payload),
        interaction_token(payload)
    )
}

/// The path (relative to `/api/v10`) of this interaction's webhook (follow-ups, and
/// `/messages/@original` below it).
pub fn webhook_path(payload: &Value) -> String {
    format!(
        "/webhooks/{}/{}",
        APPLICATION_ID,
        interaction_token(payload)
    )
}

/// What a callback body says: its content, then its first embed's title and
/// description.
pub fn said(body: &Value) -> String {
    let data = &body["data"];
    let mut text = data["content"].as_str().unwrap_or_default().to_string();
    if let Some(embed) = data["embeds"].get(0) {
        text.push_str(embed["title"].as_str().unwrap_or_default());
        text.push('\n');
        text.push_str(embed["description"].as_str().unwrap_or_default());
    }
    text
}

/// Whether a callback body is private to the one who asked.
pub fn is_ephemeral(body: &Value) -> bool {
    body["data"]["flags"].as_u64().unwrap_or(0) & 64 != 0
}
