//! The command table: every slash command and subcommand declared once, with its
//! handler, in one file per command group. Registration with a platform, option
//! checking, `/help`, the console's parser and `feudbot commands --json` all read
//! [`COMMANDS`]; [`answer`] and [`press`] are the only way a command or a button is
//! answered.
//!
//! A handler sees a [`Ctx`] (the dataset, the caller, the time, randomness) and the
//! checked options, and returns a [`Request`]: a reply from the dataset, a move in a
//! game, or a job on the store. The application core carries requests out.

mod about;
mod args;
mod completion;
mod daily;
mod lookup;
mod onthisday;
mod practice;
mod quiz;
mod reset;
mod rewards;
mod scores;
mod search;
mod spec;
mod timeline;
mod whosaid;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rand::RngCore;

use crate::caller::Caller;
use crate::daily::QueueChange;
use crate::data::Dataset;
use crate::quiz::{GameRequest, QuestionBank};
use crate::reply::{Choice, Reply, Text};
use crate::store::{Store, StoreError};

pub use args::{Args, ChannelRef, Invocation, RoleRef, RoleStanding, Value};
pub use scores::recap_reply;
pub use spec::{Body, CommandSpec, Completion, Form, OptionKind, OptionSpec, SubcommandSpec};
pub use timeline::filter as timeline_filter;

/// Every command, in the order `/help` lists them.
pub static COMMANDS: &[CommandSpec] = &[
    timeline::TIMELINE,
    lookup::EVENT,
    lookup::QUOTE,
    lookup::PERSON,
    onthisday::ON_THIS_DAY,
    search::SEARCH,
    quiz::QUIZ,
    whosaid::WHOSAID,
    practice::PRACTICE,
    scores::LEADERBOARD,
    scores::STATS,
    reset::LEADERBOARD_RESET,
    daily::DAILY,
    rewards::REWARDS,
    about::ABOUT,
    about::HELP,
];

/// What a handler may use, all passed in so that every answer can be reproduced in a
/// test.
pub struct Ctx<'a> {
    pub data: &'a Dataset,
    /// Every question the dataset supports, for `/practice`.
    pub bank: &'a QuestionBank,
    /// Who typed the command or clicked, and where.
    pub caller: &'a Caller,
    /// The time now: what `/onthisday` means by today, where "this week" starts.
    pub now: DateTime<Utc>,
    /// Randomness, for `/quote` without a choice.
    pub rng: &'a mut dyn RngCore,
}

impl Ctx<'_> {
    /// Today, in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The caller's server. Commands that need one are declared `guild_only`, so
    /// [`answer`] has refused direct messages before a handler asks.
    pub fn guild_id(&self) -> Result<u64, UserError> {
        self.caller
            .guild_id
            .ok_or_else(|| UserError::new("This works in a server, not in direct messages."))
    }
}

/// Input that cannot be answered; the text says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub Text);

impl UserError {
    /// The error saying `text`.
    pub fn new(text: impl Into<Text>) -> UserError {
        UserError(text.into())
    }
}

/// Answers a command or subcommand.
pub type Handler = fn(&mut Ctx, &Args) -> Result<Request, UserError>;
/// Answers a click on a button whose `custom_id` started with `<command name>:`; it gets
/// the rest of the `custom_id`.
pub type PressHandler = fn(&mut Ctx, &str) -> Result<Request, UserError>;

/// What a handler asks the application core to do.
pub enum Request {
    /// Answer with this: it came from the dataset alone.
    Reply(Reply),
    /// Make a move in the channel's game; the game answers.
    Game(GameRequest),
    /// Read or write the store, then answer.
    Store(StoreJob),
}

/// The future a [`StoreJob`] runs.
type StoreFuture = Pin<Box<dyn Future<Output = Result<Answer, Failure>> + Send>>;

/// Work on the store that ends in an answer; it owns what it needs, so the core can
/// run it after the handler returned.
pub struct StoreJob(Box<dyn FnOnce(Store, Arc<Dataset>) -> StoreFuture + Send>);

impl StoreJob {
    /// Runs the job.
    pub async fn run(self, store: Store, data: Arc<Dataset>) -> Result<Answer, Failure> {
        (self.0)(store, data).await
    }
}

impl Request {
    /// A request to run `job` on the store.
    pub fn store<F, Fut>(job: F) -> Request
    where
        F: FnOnce(Store, Arc<Dataset>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Answer, Failure>> + Send + 'static,
    {
        Request::Store(StoreJob(Box::new(move |store, data| {
            Box::pin(job(store, data))
        })))
    }
}

/// What a store job answers.
#[derive(Debug)]
pub struct Answer {
    /// What the user sees.
    pub reply: Reply,
    /// How the daily-post queue changes, when the job changed a schedule.
    pub reschedule: Option<QueueChange>,
}

impl From<Reply> for Answer {
    fn from(reply: Reply) -> Answer {
        Answer {
            reply,
            reschedule: None,
        }
    }
}

/// Why a store job gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Something the user can fix.
    #[error(transparent)]
    User(#[from] UserError),
    /// The database failed: logged; the user sees a short apology.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The command named `name`.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// The error for a command that does not exist, with the closest one.
pub fn unknown_command(name: &str) -> UserError {
    let names = COMMANDS.iter().map(|c| c.name);
    let hint = match crate::query::closest(name, names, 1).first() {
        Some(close) => format!(" Did you mean `/{close}`?"),
        None => String::new(),
    };
    UserError::new(format!(
        "There is no command `/{name}`.{hint} Type `/help` to see them all."
    ))
}

/// What `invocation` asks for: its options checked, then its handler's request.
pub fn answer(ctx: &mut Ctx, invocation: &Invocation) -> Result<Request, UserError> {
    let (spec, form, args) = args::parse(invocation)?;
    if spec.guild_only && ctx.caller.guild_id.is_none() {
        return Err(UserError::new(format!(
            "`/{}` works in a server, not in direct messages: use it in a channel of your server.",
            spec.name
        )));
    }
    (form.handler)(ctx, &args)
}

/// What a click on the button `custom_id` asks for.
pub fn press(ctx: &mut Ctx, custom_id: &str) -> Result<Request, UserError> {
    let (press, state) = custom_id
        .split_once(':')
        .and_then(|(name, state)| Some((find(name)?.press?, state)))
        .ok_or_else(stale_button)?;
    press(ctx, state)
}

/// The answer to a click whose `custom_id` this version of the bot cannot read.
pub(crate) fn stale_button() -> UserError {
    UserError::new(
        "This button is out of date or not one of mine. Run the command again, e.g. `/timeline`."
            .to_string(),
    )
}

/// Autocomplete choices for the option `option` of `command` (or of one of its
/// subcommands), given what was typed.
pub fn autocomplete(data: &Dataset, command: &str, option: &str, typed: &str) -> Vec<Choice> {
    find(command)
        .and_then(|spec| {
            spec.forms()
                .into_iter()
                .flat_map(|form| form.options)
                .find(|o| o.name == option)
        })
        .and_then(|option| option.completion)
        .map(|completion| completion.choices(data, typed))
        .unwrap_or_default()
}
