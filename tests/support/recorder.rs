//! The application core driven exactly as a front end drives it ([`dispatch`]), with
//! a front end that records what it is asked to do: the built-in dataset, a real
//! SQLite file in a temporary folder, a clock the test moves, seeded randomness.

use super::databases::TestDb;
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use feudbot::app::{App, Clicked, Delivery, Frontend, Grant, Input, dispatch};
use feudbot::caller::Caller;
use feudbot::clock::{Clock, ManualClock};
use feudbot::daily::Fault;
use feudbot::data::Dataset;
use feudbot::permissions::Permissions;
use feudbot::reply::Reply;
use feudbot::store::Shards;

/// The server and channel of [`Core::member`]s.
pub const GUILD: u64 = 1;
pub const CHANNEL: u64 = 10;

/// What the recording front end was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Respond(Reply),
    Update(Reply),
    Post {
        channel_id: u64,
        message_id: u64,
        reply: Reply,
        nonce: String,
    },
    /// A post the test made fail ([`Recorder::fail_next_post`]).
    Failed {
        channel_id: u64,
        fault: Fault,
    },
    Edit {
        channel_id: u64,
        message_id: u64,
        reply: Reply,
    },
    /// A role given, or refused as the test asked ([`Recorder::fail_next_grant`]).
    Grant {
        grant: Grant,
        outcome: Result<(), Fault>,
    },
}

impl Done {
    /// The reply it carries, if any.
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            Done::Respond(reply) | Done::Update(reply) => Some(reply),
            Done::Post { reply, .. } | Done::Edit { reply, .. } => Some(reply),
            Done::Failed { .. } | Done::Grant { .. } => None,
        }
    }
}

/// A front end that keeps what it was asked to do, numbering posts from 1001. Its
/// clones share what they record.
#[derive(Clone)]
pub struct Recorder {
    done: Arc<Mutex<Vec<Done>>>,
    last_id: Arc<AtomicU64>,
    failures: Arc<Mutex<VecDeque<Fault>>>,
    grant_failures: Arc<Mutex<VecDeque<Fault>>>,
    /// How long each post takes, on the test's clock.
    post_delay: Arc<Mutex<Duration>>,
    /// Channels whose posts never complete (a hung request).
    hung: Arc<Mutex<HashSet<u64>>>,
    /// Posts begun and not yet complete.
    under_way: Arc<AtomicUsize>,
    clock: Arc<ManualClock>,
}

impl Recorder {
    fn new(clock: Arc<ManualClock>) -> Recorder {
        Recorder {
            done: Arc::default(),
            last_id: Arc::default(),
            failures: Arc::default(),
            grant_failures: Arc::default(),
            post_delay: Arc::new(Mutex::new(Duration::zero())),
            hung: Arc::default(),
            under_way: Arc::default(),
            clock,
        }
    }

    /// Posts in `channel_id` from now on never complete.
    pub fn hang_posts_in(&self, channel_id: u64) {
        self.hung.lock().unwrap().insert(channel_id);
    }

    /// How many posts have begun and not completed.
    pub fn posts_under_way(&self) -> usize {
        self.under_way.load(Ordering::SeqCst)
    }

    /// Each post from now on takes `delay` on the test's clock (a slow or rate-limited
    /// Discord).
    pub fn delay_posts(&self, delay: Duration) {
        *self.post_delay.lock().unwrap() = delay;
    }

    /// Everything done since the last call.
    pub fn take(&self) -> Vec<Done> {
        std::mem::take(&mut *self.done.lock().unwrap())
    }

    /// Everything done since the last [`Recorder::take`], left in place.
    pub fn peek(&self) -> Vec<Done> {
        self.done.lock().unwrap().clone()
    }

    /// The next post fails with `fault`.
    pub fn fail_next_post(&self, fault: Fault) {
        self.failures.lock().unwrap().push_back(fault);
    }

    /// The next role grant fails with `fault`.
    pub fn fail_next_grant(&self, fault: Fault) {
        self.grant_failures.lock().unwrap().push_back(fault);
    }

    fn record(&self, done: Done) {
        self.done.lock().unwrap().push(done);
    }
}

impl Frontend for Recorder {
    async fn respond(&self, reply: Reply) {
        self.record(Done::Respond(reply));
    }

    async fn update(&self, reply: Reply) {
        self.record(Done::Update(reply));
    }

    async fn post(
        &self,
        channel_id: u64,
        reply: &Reply,
        nonce: &str,
        _: Delivery,
    ) -> Result<u64, Fault> {
        self.under_way.fetch_add(1, Ordering::SeqCst);
        if self.hung.lock().unwrap().contains(&channel_id) {
            std::future::pending::<()>().await;
        }
        self.under_way.fetch_sub(1, Ordering::SeqCst);
        let delay = *self.post_delay.lock().unwrap();
        self.clock.advance(delay);
        if let Some(fault) = self.failures.lock().unwrap().pop_front() {
            self.record(Done::Failed { channel_id, fault });
            return Err(fault);
        }
        let message_id = 1001 + self.last_id.fetch_add(1, Ordering::SeqCst);
        self.record(Done::Post {
            channel_id,
            message_id,
            reply: reply.clone(),
            nonce: nonce.to_string(),
        });
        Ok(message_id)
    }

    async fn edit(&self, channel_id: u64, message_id: u64, reply: &Reply) {
        self.record(Done::Edit {
            channel_id,
            message_id,
            reply: reply.clone(),
        });
    }

    async fn grant_role(&self, grant: &Grant) -> Result<(), Fault> {
        let outcome = match self.grant_failures.lock().unwrap().pop_front() {
            Some(fault) => Err(fault),
            None => Ok(()),
        };
        self.record(Done::Grant {
            grant: *grant,
            outcome,
        });
        outcome
    }
}

/// The shipped dataset, loaded once per test binary.
pub fn data() -> Arc<Dataset> {
    static DATA: std::sync::OnceLock<Arc<Dataset>> = std::sync::OnceLock::new();
    Arc::clone(DATA.get_or_init(|| Arc::new(Dataset::shipped().expect("the dataset loads"))))
}

/// The core and its recording front end.
pub struct Core {
    pub app: Arc<App>,
    pub front: Recorder,
    pub clock: Arc<ManualClock>,
    db: TestDb,
}

impl Core {
    /// A core whose clock reads `start`, on a new SQLite database.
    pub fn at(start: DateTime<Utc>) -> Core {
        Core::on(TestDb::sqlite(), start)
    }

    /// A core on `db` (new, or a restart's), its clock reading `now`.
    pub fn on(db: TestDb, now: DateTime<Utc>) -> Core {
        let (clock, hand) = Clock::manual(now);
        Core {
            app: Arc::new(App::new(data(), &db.url, clock, 42)),
            front: Recorder::new(Arc::clone(&hand)),
            clock: hand,
            db,
        }
    }

    /// The database's URL.
    pub fn database_url(&self) -> String {
        self.db.url.clone()
    }

    /// Stops this core and starts another on the same database at the same time.
    pub async fn restart(self) -> (Core, Vec<Done>) {
        let now = self.clock.now();
        let core = Core::on(self.db, now);
        let effects = core
            .app
            .start(Shards::all(1))
            .await
            .expect("the store opens");
        feudbot::app::perform(&core.app, effects, &core.front).await;
        let done = core.front.take();
        (core, done)
    }

    /// A member of [`GUILD`] in [`CHANNEL`] with no special permission.
    pub fn member(name: &str, user_id: u64) -> Caller {
        Caller {
            user_id,
            user_name: name.to_string(),
            is_bot: false,
            guild_id: Some(GUILD),
            channel_id: CHANNEL,
            permissions: Permissions::empty(),
            bot_permissions: Permissions::all(),
            in_thread: false,
            bot_installed: true,
        }
    }

    /// A member who manages the server.
    pub fn admin(name: &str, user_id: u64) -> Caller {
        Caller {
            permissions: Permissions::MANAGE_GUILD | Permissions::MANAGE_MESSAGES,
            ..Core::member(name, user_id)
        }
    }

    /// Handles `input` and returns what the front end was asked to do.
    pub async fn input(&self, input: Input) -> Vec<Done> {
        dispatch(&self.app, input, &self.front).await;
        self.front.take()
    }

    /// `caller` types `line` (as in the console: `/timeline year:2024`).
    pub async fn line(&self, caller: &Caller, line: &str) -> Vec<Done> {
        match feudbot::console::parse_line(line, |_| 424242) {
            Ok(invocation) => {
                self.input(Input::Command {
                    caller: caller.clone(),
                    invocation,
                })
                .await
            }
            Err(error) => vec![Done::Respond(Reply::error(error.0))],
        }
    }

    /// The answer to `line` typed by a plain member.
    pub async fn ask(&self, line: &str) -> Reply {
        response(&self.line(&Core::member("alice", 1), line).await)
    }

    /// `caller` clicks the button `custom_id` on a message of kind `on`.
    pub async fn click(&self, caller: &Caller, custom_id: &str, on: Clicked) -> Vec<Done> {
        self.input(Input::Click {
            caller: caller.clone(),
            custom_id: custom_id.to_string(),
            on,
        })
        .await
    }

    /// The answer to a click on `custom_id` on a command's reply.
    pub async fn press(&self, custom_id: &str) -> Reply {
        response(
            &self
                .click(&Core::member("alice", 1), custom_id, Clicked::Reply)
                .await,
        )
    }

    /// Moves the clock by `step` and handles every timer then due, as the timer task
    /// does.
    pub async fn advance(&self, step: Duration) -> Vec<Done> {
        self.clock.advance(step);
        let mut done = Vec::new();
        for wake in self.app.due(self.clock.now()) {
            done.extend(self.input(Input::Wake(wake)).await);
        }
        done
    }
}

impl Core {
    /// Runs every timer up to `until` in order, moving the clock to each as the timer
    /// task would, then to `until`.
    pub async fn run_until(&self, until: DateTime<Utc>) -> Vec<Done> {
        let mut done = Vec::new();
        while let Some(at) = self.app.next_wake().filter(|at| *at <= until) {
            let step = (at - self.clock.now()).max(Duration::zero());
            done.extend(self.advance(step).await);
        }
        let rest = (until - self.clock.now()).max(Duration::zero());
        self.clock.advance(rest);
        done
    }
}

/// The one response among `done` (panics on none or several).
pub fn response(done: &[Done]) -> Reply {
    let responses: Vec<&Reply> = done
        .iter()
        .filter_map(|d| match d {
            Done::Respond(reply) | Done::Update(reply) => Some(reply),
            _ => None,
        })
        .collect();
    match responses.as_slice() {
        [reply] => (*reply).clone(),
        other => panic!("expected one response, got {}: {done:#?}", other.len()),
    }
}
