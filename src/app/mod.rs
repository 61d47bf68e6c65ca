//! The application core: one place where everything the bot does is decided. It owns
//! the dataset, the store, the games in progress, the timers and the clock, and turns
//! each [`Input`] (a command, a click, a timer coming due, the outcome of a post or of
//! a role grant) into [`Effect`]s for a front end to carry out (answer, post, edit,
//! give a role).
//!
//! Front ends (Discord, the console, tests) only translate: their platform's events
//! into inputs, and effects into their platform's calls, through [`Frontend`] and
//! [`dispatch`]. Timers are one queue for every game and server; [`run_timers`] turns
//! them into inputs.

mod daily;
mod frontend;
mod games;
mod rewards;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{Notify, OnceCell};

use crate::caller::Caller;
use crate::clock::Clock;
use crate::commands::{self, Ctx, Failure, Invocation, Request, UserError};
use crate::daily::{DailyQueue, Fault, QueueChange};
use crate::data::Dataset;
use crate::monitor;
use crate::quiz::{GameEvent, Games, QuestionBank, QuizSession, UnixMillis};
use crate::reply::{Choice, Reply};
use crate::store::{Shards, Store, StoreError};

pub use daily::DailyTag;
pub use frontend::{Frontend, dispatch, perform, run_timers};
pub use rewards::Grant;

/// Something that happened, for [`App::handle`].
#[derive(Clone, Debug)]
pub enum Input {
    /// A command was typed.
    Command {
        caller: Caller,
        invocation: Invocation,
    },
    /// A button was clicked.
    Click {
        caller: Caller,
        custom_id: String,
        /// The message the button is on.
        on: Clicked,
    },
    /// A timer came due (see [`App::due`]).
    Wake(Wake),
    /// A post asked for with a tag went out, as this message, or failed.
    Posted {
        tag: PostTag,
        outcome: Result<u64, Fault>,
    },
    /// A role asked for with [`Effect::GrantRole`] was given, or not.
    Granted {
        grant: Grant,
        outcome: Result<(), Fault>,
    },
}

/// The message a clicked button is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clicked {
    /// The answer to the clicker's own command: a page turn may replace it.
    Reply,
    /// A message the bot posted by itself (a daily post), or the answer to someone
    /// else's command: everyone sees it, so it is never rewritten; the click is
    /// answered privately.
    Post,
}

/// A timer of the core.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wake {
    /// The game in this channel has a deadline or a next question due.
    Game { channel_id: u64 },
    /// This server's daily post is due.
    Daily { guild_id: u64 },
    /// Loading the daily schedules failed at start; time to try again.
    DailyStartup,
}

/// Which post an outcome is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostTag {
    /// A quiz question: its message id lets the reveal edit it.
    Question {
        channel_id: u64,
        tag: crate::quiz::PostTag,
    },
    /// A server's daily post, claimed in the ledger.
    Daily(DailyTag),
}

/// What a front end must do, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Answer the interaction the input came from with a new message (private when
    /// the reply is ephemeral).
    Respond(Reply),
    /// Answer a click by replacing the message the button is on.
    Update(Reply),
    /// Post a message in a channel. With a tag, its outcome comes back as
    /// [`Input::Posted`].
    Post {
        channel_id: u64,
        reply: Reply,
        tag: Option<PostTag>,
        /// Unique to this message: the platform drops a repeat that carries it (for
        /// a few minutes), so a retry cannot post it twice.
        nonce: String,
        delivery: Delivery,
    },
    /// Edit a message posted before.
    Edit {
        channel_id: u64,
        message_id: u64,
        reply: Reply,
    },
    /// Give a member a role; the outcome comes back as [`Input::Granted`].
    GrantRole(Grant),
}

/// Who tries a post again after a failure that may pass (a rate limit, a server
/// error, a lost connection).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The front end, at once, a few times.
    Retried,
    /// The core, on its own schedule: the front end tries once and reports.
    Once,
}

/// The timers of the daily posts, and the games whose tick is on its way. A game's
/// wake-ups are not kept here: they are read from the game itself, so none is lost.
#[derive(Default)]
struct Timers {
    daily: DailyQueue,
    /// When to try loading the daily schedules again, after a failure.
    startup_retry: Option<DateTime<Utc>>,
    /// Failed tries at loading the daily schedules, in a row.
    startup_failures: u32,
    /// Database failures in a row, by server: how long its next retry waits.
    store_failures: HashMap<u64, u32>,
    /// Channels handed out by [`App::due`] whose tick has not been applied yet, and
    /// when; a tick that never arrives (its task died) is handed out again after
    /// [`TICK_TIMEOUT`].
    waking: HashMap<u64, DateTime<Utc>>,
}

/// How long a game's tick may take to arrive before it is handed out again.
const TICK_TIMEOUT: TimeDelta = TimeDelta::minutes(1);

/// What the user sees when the store fails; the error itself is logged.
const STORE_APOLOGY: &str =
    "Something went wrong on my side and nothing was changed. Try again in a minute.";

/// The bot, without its front ends.
pub struct App {
    data: Arc<Dataset>,
    /// Every question the dataset supports, shared with the games.
    bank: Arc<QuestionBank>,
    database_url: String,
    /// Opened when first needed, so that lookups never touch the database.
    store: OnceCell<Store>,
    /// The servers this process runs, from [`App::start`]; all until then.
    shards: std::sync::OnceLock<Shards>,
    clock: Clock,
    rng: Mutex<StdRng>,
    games: Mutex<Games>,
    timers: Mutex<Timers>,
    /// Rings when a timer may have moved earlier, so [`run_timers`] looks again.
    changed: Notify,
}

/// How an interaction went, for the metrics.
#[derive(Clone, Copy)]
enum Outcome {
    /// Answered as asked.
    Ok,
    /// Answered with what to type instead.
    Refused,
    /// Not answered, for the bot's fault (the database).
    Failed,
}

/// Counts an interaction in [`monitor::INTERACTIONS`]; `command` is labelled only when
/// the command table has it, so that typed junk cannot grow the label set.
fn count(kind: &'static str, command: &str, outcome: Outcome) {
    let command = commands::find(command).map_or("unknown", |spec| spec.name);
    let outcome = match outcome {
        Outcome::Ok => "ok",
        Outcome::Refused => "refused",
        Outcome::Failed => "failed",
    };
    metrics::counter!(monitor::INTERACTIONS, "command" => command, "kind" => kind, "outcome" => outcome)
        .increment(1);
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    /// The core over `data`, keeping scores and settings at `database_url` (opened on
    /// first use), reading time from `clock` and drawing randomness from `seed`.
    pub fn new(data: Arc<Dataset>, database_url: &str, clock: Clock, seed: u64) -> App {
        let bank = Arc::new(QuestionBank::new(&data));
        App {
            data,
            bank: Arc::clone(&bank),
            database_url: database_url.to_string(),
            store: OnceCell::new(),
            shards: std::sync::OnceLock::new(),
            clock,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            games: Mutex::new(Games::new(bank)),
            timers: Mutex::new(Timers::default()),
            changed: Notify::new(),
        }
    }

    /// The dataset.
    pub fn data(&self) -> &Arc<Dataset> {
        &self.data
    }

    /// The clock every timer and answer reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The servers this process runs.
    fn shards(&self) -> Shards {
        self.shards.get().copied().unwrap_or(Shards::all(1))
    }

    /// The store, opened (and its schema brought up to date) on first use.
    pub async fn store(&self) -> Result<&Store, StoreError> {
        self.store
            .get_or_try_init(|| Store::open(&self.database_url))
            .await
    }

    /// Settles what a previous run left half done in the servers of `shards` (the
    /// ones this process runs), before any input: quizzes left in flight are recorded
    /// as interrupted (the returned edits say so on their last question), and every
    /// server's daily post is queued.
    pub async fn start(&self, shards: Shards) -> Result<Vec<Effect>, StoreError> {
        if self.shards.set(shards).is_err() {
            tracing::warn!("the core was started twice; it keeps its first shards");
        }
        let store = self.store().await?;
        let effects = self.interrupt_leftovers(store).await;
        self.load_daily().await;
        Ok(effects)
    }

    /// Carries out `input`: what changed is recorded, and what the front end must do
    /// is returned, in order. A command or click gets exactly one response, first.
    pub async fn handle(&self, input: Input) -> Vec<Effect> {
        match input {
            Input::Command { caller, invocation } => {
                let request = self.ask(&caller, |ctx| commands::answer(ctx, &invocation));
                let (effects, outcome) = self.carry_out(caller, request, Effect::Respond).await;
                count("command", &invocation.command, outcome);
                effects
            }
            Input::Click {
                caller,
                custom_id,
                on,
            } => {
                let request = self.ask(&caller, |ctx| commands::press(ctx, &custom_id));
                let respond = move |mut reply: Reply| match on {
                    // A picture comes as a message of its own, under the page it
                    // was asked from, which stays.
                    Clicked::Reply if reply.picture.is_some() => Effect::Respond(reply),
                    Clicked::Reply => Effect::Update(reply),
                    Clicked::Post => {
                        reply.ephemeral = true;
                        Effect::Respond(reply)
                    }
                };
                let (effects, outcome) = self.carry_out(caller, request, respond).await;
                let command = custom_id.split(':').next().unwrap_or_default();
                count("button", command, outcome);
                effects
            }
            Input::Wake(Wake::Game { channel_id }) => {
                self.game(GameEvent::Tick { channel_id }).await
            }
            Input::Wake(Wake::Daily { guild_id }) => self.post_daily(guild_id).await,
            Input::Wake(Wake::DailyStartup) => {
                self.load_daily().await;
                Vec::new()
            }
            Input::Posted {
                tag: PostTag::Question { channel_id, tag },
                outcome,
            } => match outcome {
                Ok(message_id) => {
                    self.game(GameEvent::Posted {
                        channel_id,
                        tag,
                        message_id,
                    })
                    .await
                }
                Err(fault) => {
                    let gone = matches!(fault, Fault::Forbidden | Fault::NotFound);
                    self.game(GameEvent::PostFailed {
                        channel_id,
                        tag,
                        gone,
                    })
                    .await
                }
            },
            Input::Posted {
                tag: PostTag::Daily(tag),
                outcome,
            } => {
                self.daily_posted(tag, outcome).await;
                Vec::new()
            }
            Input::Granted { grant, outcome } => {
                self.granted(grant, outcome).await;
                Vec::new()
            }
        }
    }

    /// Reads the game running in a channel, if one is (for inspection: tests, tools).
    pub fn inspect_game<R>(
        &self,
        channel_id: u64,
        read: impl FnOnce(&QuizSession) -> R,
    ) -> Option<R> {
        lock(&self.games).session(channel_id).map(read)
    }

    /// Autocomplete choices for `option` of `command`, given what was typed.
    pub fn autocomplete(&self, command: &str, option: &str, typed: &str) -> Vec<Choice> {
        commands::autocomplete(&self.data, command, option, typed)
    }

    /// Runs a handler with a context. The rng is locked only for the call, which
    /// never awaits.
    fn ask(
        &self,
        caller: &Caller,
        handler: impl FnOnce(&mut Ctx) -> Result<Request, UserError>,
    ) -> Result<Request, UserError> {
        let mut rng = lock(&self.rng);
        let mut ctx = Ctx {
            data: &self.data,
            bank: &self.bank,
            caller,
            now: self.clock.now(),
            rng: &mut *rng,
        };
        handler(&mut ctx)
    }

    /// Carries out a handler's request; `respond` makes the effect that answers with
    /// a reply. Errors are always a new, private message.
    async fn carry_out(
        &self,
        caller: Caller,
        request: Result<Request, UserError>,
        respond: impl FnOnce(Reply) -> Effect,
    ) -> (Vec<Effect>, Outcome) {
        let (reply, outcome) = match request {
            Err(error) => (Reply::error(error.0), Outcome::Refused),
            Ok(Request::Reply(reply)) => return (vec![respond(reply)], Outcome::Ok),
            Ok(Request::Game(request)) => {
                let effects = self.game(GameEvent::Request { caller, request }).await;
                let refused = matches!(
                    effects.first(),
                    Some(Effect::Respond(reply) | Effect::Update(reply)) if reply.is_error()
                );
                let outcome = if refused {
                    Outcome::Refused
                } else {
                    Outcome::Ok
                };
                return (effects, outcome);
            }
            Ok(Request::Store(job)) => match self.store().await {
                Err(error) => {
                    tracing::error!(%error, "cannot open the database");
                    (Reply::error(STORE_APOLOGY), Outcome::Failed)
                }
                Ok(store) => match job.run(store.clone(), Arc::clone(&self.data)).await {
                    Ok(answer) => {
                        if let Some(change) = answer.reschedule {
                            self.reschedule(change);
                        }
                        // A page turn replaces its page, as a reply from the data does.
                        return (vec![respond(answer.reply)], Outcome::Ok);
                    }
                    Err(Failure::User(error)) => (Reply::error(error.0), Outcome::Refused),
                    Err(Failure::Store(error)) => {
                        tracing::error!(%error, user_id = caller.user_id, "a command failed on the store");
                        (Reply::error(STORE_APOLOGY), Outcome::Failed)
                    }
                },
            },
        };
        (vec![Effect::Respond(reply)], outcome)
    }

    fn reschedule(&self, change: QueueChange) {
        lock(&self.timers).daily.apply(change);
        self.changed.notify_one();
    }

    /// Sets a server's daily-post timer; a newer time replaces the older.
    fn set_daily_timer(&self, guild_id: u64, at: DateTime<Utc>) {
        lock(&self.timers).daily.insert(guild_id, at);
        self.changed.notify_one();
    }

    /// When the next timer is due, if any is set.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        let waking = lock(&self.timers).waking.clone();
        let game = lock(&self.games)
            .next_wake(|channel| waking.contains_key(&channel))
            .map(UnixMillis::to_datetime);
        let retry = waking.values().min().map(|since| *since + TICK_TIMEOUT);
        let game = match (game, retry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let timers = lock(&self.timers);
        [game, timers.daily.next_wake(), timers.startup_retry]
            .into_iter()
            .flatten()
            .min()
    }

    /// The timers due at `now`, taken off: each is an [`Input::Wake`] to handle.
    pub fn due(&self, now: DateTime<Utc>) -> Vec<Wake> {
        let games = lock(&self.games).due(UnixMillis::from_datetime(now));
        let mut timers = lock(&self.timers);
        let mut due = Vec::new();
        for channel_id in games {
            let handed_out = timers.waking.get(&channel_id).copied();
            if handed_out.is_none_or(|since| now - since >= TICK_TIMEOUT) {
                timers.waking.insert(channel_id, now);
                due.push(Wake::Game { channel_id });
            }
        }
        due.extend(
            timers
                .daily
                .due(now)
                .into_iter()
                .map(|guild_id| Wake::Daily { guild_id }),
        );
        if timers.startup_retry.is_some_and(|at| at <= now) {
            timers.startup_retry = None;
            due.push(Wake::DailyStartup);
        }
        due
    }

    /// Returns when a timer may have moved earlier than [`App::next_wake`] said.
    pub async fn timers_changed(&self) {
        self.changed.notified().await;
    }
}
