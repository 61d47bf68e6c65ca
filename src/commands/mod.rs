//! The command table: every slash command declared once, with its options and its
//! handler. Discord registration, option parsing (Discord and console), `/help` and
//! `feudbot commands --json` all come from [`COMMANDS`].

mod about;
pub mod daily;
mod games;
mod lookup;
mod onthisday;
mod options;
mod search;
mod timeline;

use chrono::NaiveDate;
use rand::RngCore;
use serde_json::{Value as Json, json};

use crate::data::Dataset;
use crate::reply::Reply;

pub use games::{LEADERBOARD_PAGE, answer_scores, game_request, leaderboard_reply, stats_reply};
pub(crate) use lookup::quote_card;
pub use options::{
    Args, Choice, Completion, Invocation, OptionKind, OptionSpec, SubcommandSpec, Value, parse_line,
};

/// What a handler may use: the dataset, today's date and randomness, all passed in so
/// that every answer can be reproduced in a test.
pub struct Ctx<'a> {
    /// The dataset.
    pub data: &'a Dataset,
    /// Today, in UTC: what `/onthisday` means without a date.
    pub today: NaiveDate,
    /// Randomness, for `/quote` without a choice.
    pub rng: &'a mut dyn RngCore,
}

/// Input that cannot be answered; the text says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// Answers a command.
pub type Handler = fn(&mut Ctx, &Args) -> Result<Reply, UserError>;
/// Answers a click on a button whose `custom_id` started with `<command name>:`; it gets
/// the rest of the `custom_id`.
pub type PressHandler = fn(&mut Ctx, &str) -> Result<Reply, UserError>;

/// Who answers a command.
#[derive(Clone, Copy)]
pub enum Run {
    /// The dataset alone, the same in Discord and in the console.
    Lookup(Handler),
    /// The game and the score store (`crate::quiz::Games`): a channel's state, players
    /// and time. [`game_request`] reads its options.
    Game,
    /// The daily-post runtime, with the store: [`daily::answer`].
    Daily,
}

/// Discord's "Manage Server" permission bit, for commands only server managers see.
pub const MANAGE_GUILD: u64 = 1 << 5;
/// Discord's "Manage Messages" permission bit: moderators, who may stop others' games.
pub const MANAGE_MESSAGES: u64 = 1 << 13;

/// Who typed a command or clicked a button, and where: what commands that act in a
/// channel (games, daily posts) need to know. Built by the Discord layer from an
/// interaction, or by the console from what the user typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The user's id.
    pub user_id: u64,
    /// The name to show for them.
    pub user_name: String,
    /// Whether the user is a bot (bots' clicks are ignored).
    pub is_bot: bool,
    /// The server, or `None` in a DM.
    pub guild_id: Option<u64>,
    /// The channel the command was typed in.
    pub channel_id: u64,
    /// The user's permission bits in that channel, as Discord computes them.
    pub permissions: u64,
}

/// One slash command.
pub struct CommandSpec {
    /// Name, as typed after `/`.
    pub name: &'static str,
    /// One line on what it does (at most 100 characters).
    pub description: &'static str,
    /// Its options, in the order they are offered (none when it has subcommands).
    pub options: &'static [OptionSpec],
    /// Its subcommands, e.g. `/quiz start`; empty for a plain command.
    pub subcommands: &'static [SubcommandSpec],
    /// What answers it.
    pub run: Run,
    /// What its buttons answer, if it has buttons.
    pub press: Option<PressHandler>,
    /// Permission bits a member needs to see the command (Discord's
    /// `default_member_permissions`); `None` for everyone.
    pub permissions: Option<u64>,
    /// Whether it only makes sense in a server (not in DMs).
    pub guild_only: bool,
}

/// Every command, in the order `/help` lists them.
pub static COMMANDS: &[CommandSpec] = &[
    timeline::TIMELINE,
    lookup::EVENT,
    lookup::QUOTE,
    lookup::PERSON,
    onthisday::ON_THIS_DAY,
    search::SEARCH,
    games::QUIZ,
    games::WHOSAID,
    games::LEADERBOARD,
    games::STATS,
    daily::DAILY,
    about::ABOUT,
    about::HELP,
];

/// The command named `name`.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

fn unknown_command(name: &str) -> UserError {
    let names = COMMANDS.iter().map(|c| c.name);
    let hint = match crate::query::closest(name, names, 1).first() {
        Some(close) => format!(" Did you mean `/{close}`?"),
        None => String::new(),
    };
    UserError(format!(
        "There is no command `/{name}`.{hint} Type `/help` to see them all."
    ))
}

/// Answers a command: the reply, or an ephemeral error saying what to type instead.
pub fn run(ctx: &mut Ctx, invocation: &Invocation) -> Reply {
    let outcome = find(&invocation.command)
        .ok_or_else(|| unknown_command(&invocation.command))
        .and_then(|spec| {
            let args = Args::parse(spec, invocation)?;
            match spec.run {
                Run::Lookup(handler) => handler(ctx, &args),
                Run::Game => Err(UserError(format!(
                    "`/{}` is played in a channel: use it in Discord, or in `feudbot console`.",
                    spec.name
                ))),
                Run::Daily => Err(UserError(format!(
                    "`/{}` needs the bot's database, which is not open here.",
                    spec.name
                ))),
            }
        });
    outcome.unwrap_or_else(|error| Reply::error(&error.0))
}

/// Answers a button click, from the `custom_id` alone.
pub fn press(ctx: &mut Ctx, custom_id: &str) -> Reply {
    let outcome = custom_id
        .split_once(':')
        .and_then(|(name, state)| Some((find(name)?.press?, state)))
        .ok_or_else(stale_button)
        .and_then(|(press, state)| press(ctx, state));
    outcome.unwrap_or_else(|error| Reply::error(&error.0))
}

/// The answer to a click whose `custom_id` this version of the bot cannot read.
pub(crate) fn stale_button() -> UserError {
    UserError(
        "This button is out of date or not one of mine. Run the command again, e.g. `/timeline`."
            .to_string(),
    )
}

/// Autocomplete choices for the option `option` of `command` (or of one of its
/// subcommands), given what was typed.
pub fn autocomplete(data: &Dataset, command: &str, option: &str, typed: &str) -> Vec<Choice> {
    find(command)
        .and_then(|spec| {
            let mut options = spec
                .options
                .iter()
                .chain(spec.subcommands.iter().flat_map(|sub| sub.options));
            options.find(|o| o.name == option)
        })
        .and_then(|option| option.completion)
        .map(|completion| completion.choices(data, typed))
        .unwrap_or_default()
}

/// The JSON array for Discord's `PUT /applications/{id}/commands`: every command, as
/// chat-input commands installed in servers, usable in servers and (unless server-only)
/// in DMs with the bot.
pub fn registration() -> Json {
    COMMANDS
        .iter()
        .map(|spec| {
            let options: Vec<Json> = if spec.subcommands.is_empty() {
                spec.options.iter().map(OptionSpec::registration).collect()
            } else {
                spec.subcommands
                    .iter()
                    .map(SubcommandSpec::registration)
                    .collect()
            };
            let contexts = if spec.guild_only {
                json!([0])
            } else {
                json!([0, 1])
            };
            json!({
                "type": 1,
                "name": spec.name,
                "description": spec.description,
                "options": options,
                "default_member_permissions": spec.permissions.map(|bits| bits.to_string()),
                "contexts": contexts,
                "integration_types": [0],
            })
        })
        .collect()
}

/// How a command is typed, one line per subcommand: `/timeline [year:…] [person:…]`.
pub fn usages(spec: &CommandSpec) -> Vec<String> {
    if spec.subcommands.is_empty() {
        return vec![usage_line(&format!("/{}", spec.name), spec.options)];
    }
    spec.subcommands
        .iter()
        .map(|sub| usage_line(&format!("/{} {}", spec.name, sub.name), sub.options))
        .collect()
}

/// `head` followed by each option as `name:placeholder`, in brackets when optional.
fn usage_line(head: &str, options: &[OptionSpec]) -> String {
    let mut line = head.to_string();
    for option in options {
        let part = format!("{}:{}", option.name, option.placeholder);
        if option.required {
            line.push_str(&format!(" {part}"));
        } else {
            line.push_str(&format!(" [{part}]"));
        }
    }
    line
}
