//! Discord's limits, at scale (issue 9): the bot in this process against the fake
//! Discord of `tests/support` with Discord's rate limits enforced
//! (`FakeDiscord::enforce_rate_limits`: 50 requests a second, interaction endpoints
//! exempt; 5 messages per 5 s in a channel), in two scenarios.
//!
//! **quiz**: 1 000 quizzes at once, each in a channel of its own, 20 questions of 10 s
//! (5 minutes), started evenly over one question's cycle (10 s open, 5 s of reveal).
//! Each has 3 players, and 2 of them answer each question, 1 to 3 s after it appears,
//! so no question closes early: 2 channel writes per quiz every 15 s, the issue's
//! ~130 requests a second. Measured: 429s; questions revealed of those asked; how late
//! each reveal reached Discord after the deadline its question announced (`<t:…:R>`,
//! rounded up to the second, so up to 1 s kinder than the truth) and after the core's
//! own deadline (to the millisecond); how long each interaction waited for its answer
//! (Discord allows 3 s).
//!
//! **daily**: 5 000 servers, each posting in its own channel, all due at 09:00 UTC, on a
//! clock that runs at real pace from 08:59:55. Measured: servers posted, 429s, time
//! from 09:00 to the last post (at 50 a second, 100 s at best).
//!
//! `cargo bench --bench scale` runs both (about 6 minutes); `-- quiz` or `-- daily`
//! runs one; `-- quiz --quick` asks 5 questions instead of 20 (about 1.5 minutes).

#[allow(dead_code)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use feudbot::clock::Clock;
use feudbot::daily::{DailySchedule, LocalTime};
use feudbot::quiz::{BUTTON_PREFIX, ButtonId, REVEAL_PAUSE_MS, UnixMillis};
use serde_json::{Value, json};
use support::bot::InProcessBot;
use support::payloads::{self, Who};
use support::{Call, FakeDiscord};

const QUIZZES: u64 = 1_000;
const PLAYERS: u64 = 3;
const SECONDS: u64 = 10;
const QUESTIONS: u8 = 20;
const QUICK_QUESTIONS: u8 = 5;
/// One question's cycle: open, then the reveal's pause.
const CYCLE: Duration = Duration::from_millis(SECONDS * 1000 + REVEAL_PAUSE_MS);
const SERVERS: u64 = 5_000;
/// Discord's global limit: no faster can the daily posts go out.
const GLOBAL_PER_SECOND: f64 = support::ratelimit::GLOBAL_LIMIT as f64;
/// Ids of the channels, guilds and players the scenarios make up.
const FIRST_CHANNEL: u64 = 1_400_000_000_000_000_000;
const FIRST_GUILD: u64 = 1_400_000_000_001_000_000;
const FIRST_PLAYER: u64 = 1_400_000_000_002_000_000;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// p50, p99 and max of `values`, in seconds.
fn spread(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "p50 {:.2} s, p99 {:.2} s, max {:.2} s",
        percentile(&values, 0.5),
        percentile(&values, 0.99),
        values.last().copied().unwrap_or(f64::NAN)
    )
}

/// Seconds since the Unix epoch, now.
fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Adds a text channel to the fake's world for each (channel, guild).
fn add_channels(fake: &FakeDiscord, channels: impl Iterator<Item = (u64, u64)>) {
    fake.configure(|world| {
        let template = world.channels[&payloads::CHANNEL_ID].clone();
        for (id, guild) in channels {
            let mut channel = template.clone();
            channel["id"] = json!(id.to_string());
            channel["guild_id"] = json!(guild.to_string());
            channel["name"] = json!(format!("channel-{id}"));
            world.channels.insert(id, channel);
        }
    });
}

/// The channel of a `POST /channels/{id}/messages` (`None` for other calls).
fn posted_in(call: &Call) -> Option<u64> {
    match call.path.trim_matches('/').split('/').collect::<Vec<_>>()[..] {
        ["channels", id, "messages"] if call.method == "POST" => id.parse().ok(),
        _ => None,
    }
}

/// Requests from `since` on routes bound to the global limit: how many, the most in
/// any one second, and the seconds from `since` to the last of them.
fn load(calls: &[Call], since: Instant) -> (usize, usize, f64) {
    let mut per_second: HashMap<u64, usize> = HashMap::new();
    let mut span = 0.0f64;
    let limited = calls.iter().filter(|c| {
        c.at >= since && !c.path.starts_with("/interactions/") && !c.path.starts_with("/webhooks/")
    });
    let mut total = 0;
    for call in limited {
        total += 1;
        let after = call.at.duration_since(since);
        *per_second.entry(after.as_secs()).or_default() += 1;
        span = span.max(after.as_secs_f64());
    }
    (total, per_second.values().copied().max().unwrap_or(0), span)
}

fn print_load(fake: &FakeDiscord, calls: &[Call], since: Instant) {
    let (requests, peak, span) = load(calls, since);
    let refused = fake.rate_limited();
    println!(
        "  requests bound to the global limit: {requests} in {span:.0} s ({:.0}/s on average, \
         {peak} in the busiest second)",
        requests as f64 / span.max(1.0)
    );
    println!(
        "  429s: {} ({} global, {} per channel) (goal: 0)",
        refused.total(),
        refused.global,
        refused.channel
    );
}

// ---- quiz ---------------------------------------------------------------------------

/// A question as its post shows it.
struct Question {
    button: ButtonId,
    /// The deadline it announced, in seconds since the epoch.
    announced: i64,
}

/// The question a message body asks, if it is one: its first button, and the
/// `<t:…:R>` deadline in its embed.
fn question_in(body: &Value) -> Option<Question> {
    let custom_id = body["components"][0]["components"][0]["custom_id"].as_str()?;
    let (prefix, state) = custom_id.split_once(':')?;
    let button = ButtonId::parse(state).filter(|_| prefix == BUTTON_PREFIX)?;
    let description = body["embeds"][0]["description"].as_str()?;
    let (_, after) = description.split_once("<t:")?;
    let (seconds, _) = after.split_once(":R>")?;
    Some(Question {
        button,
        announced: seconds.parse().ok()?,
    })
}

/// When each interaction was sent, by its callback path.
type Sent = Arc<Mutex<Vec<(String, Instant)>>>;

async fn send(fake: &FakeDiscord, interaction: Value, sent: &Sent) {
    let path = payloads::callback_path(&interaction);
    let at = Instant::now();
    fake.send_interaction(interaction).await;
    sent.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((path, at));
}

fn player(quiz: u64, k: u64) -> Who {
    let id = FIRST_PLAYER + quiz * PLAYERS + k;
    Who::member(id, &format!("p{quiz}-{k}")).in_channel(FIRST_CHANNEL + quiz)
}

/// Players answering the question just posted in `call`: all but one, each its own
/// delay after it appeared, so that no question closes before its deadline.
fn answer(fake: &Arc<FakeDiscord>, sent: &Sent, call: &Call, question: &Question) {
    let (Some(message), Some(channel)) = (call.response.clone(), posted_in(call)) else {
        return;
    };
    let buttons: Vec<String> = call.json()["components"][0]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect();
    let quiz = channel - FIRST_CHANNEL;
    let number = u64::from(question.button.question);
    for k in (0..PLAYERS).filter(|k| *k != number % PLAYERS) {
        let choice = buttons[((k + number) as usize) % buttons.len()].clone();
        let click = payloads::button_click_on(&player(quiz, k), message.clone(), &choice);
        let (fake, sent) = (Arc::clone(fake), Arc::clone(sent));
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1 + k)).await;
            send(&fake, click, &sent).await;
        });
    }
}

/// What the quizzes' channel posts and edits came to.
struct Tally {
    /// Every question a post was tried for, by (quiz, number): the deadline it
    /// announced, and its message once a post was answered 200.
    asked: HashMap<(u64, u8), (i64, Option<u64>)>,
    /// When each message was first edited (answered 200): a question's reveal.
    revealed: HashMap<u64, Instant>,
    podiums: usize,
    /// Channels whose quiz ended early, nobody answering (by channel, as a podium may
    /// be tried more than once).
    idle: HashSet<u64>,
}

impl Tally {
    fn of(calls: &[Call]) -> Tally {
        let mut tally = Tally {
            asked: HashMap::new(),
            revealed: HashMap::new(),
            podiums: 0,
            idle: HashSet::new(),
        };
        for call in calls {
            if let Some(channel) = posted_in(call) {
                let body = call.json();
                let Some(q) = question_in(body) else {
                    tally.podiums += usize::from(call.status == 200);
                    let text = body["embeds"][0]["description"].as_str().unwrap_or("");
                    if text.contains("Nobody answered") {
                        tally.idle.insert(channel);
                    }
                    continue;
                };
                let entry = tally
                    .asked
                    .entry((q.button.quiz_id, q.button.question))
                    .or_insert((q.announced, None));
                if call.status == 200 {
                    let id = call.response.as_ref().and_then(|m| m["id"].as_str());
                    entry.1 = id.and_then(|id| id.parse().ok());
                }
            } else if call.method == "PATCH"
                && call.status == 200
                && let Some(id) = call.path.rsplit('/').next().and_then(|id| id.parse().ok())
            {
                tally.revealed.entry(id).or_insert(call.at);
            }
        }
        tally
    }
}

async fn quiz_scenario(questions: u8) {
    let fake = Arc::new(FakeDiscord::start().await);
    fake.enforce_rate_limits();
    add_channels(
        &fake,
        (0..QUIZZES).map(|i| (FIRST_CHANNEL + i, payloads::GUILD_ID)),
    );
    let dir = tempfile::tempdir().expect("a temp dir");
    let database = format!("sqlite://{}", dir.path().join("scale.db").display());
    let bot = InProcessBot::start(&fake.base_url(), &database, Clock::System);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;

    let began = Instant::now();
    let began_unix = unix_now();
    let sent: Sent = Arc::default();
    tokio::spawn({
        let (fake, sent) = (Arc::clone(&fake), Arc::clone(&sent));
        async move {
            for quiz in 0..QUIZZES {
                let at = began + CYCLE.mul_f64(quiz as f64 / QUIZZES as f64);
                tokio::time::sleep_until(at.into()).await;
                let start = payloads::subcommand(
                    &player(quiz, 0),
                    "quiz",
                    "start",
                    json!([
                        payloads::int_opt("questions", i64::from(questions)),
                        payloads::int_opt("seconds", SECONDS as i64),
                    ]),
                );
                send(&fake, start, &sent).await;
            }
        }
    });

    // Follow the calls as they come: players answer each question, and the core's own
    // deadline is noted while the question is open. Done when the core runs no game
    // (and a moment more for the last podiums' retries), or past any reasonable end.
    let app = Arc::clone(bot.app());
    let running = || {
        (0..QUIZZES)
            .filter(|q| app.inspect_game(FIRST_CHANNEL + q, |_| ()).is_some())
            .count()
    };
    let mut deadlines: HashMap<u64, UnixMillis> = HashMap::new();
    let mut next = 0;
    let give_up = began + CYCLE * (u32::from(questions) + 1) + Duration::from_secs(60);
    let mut looked = Instant::now();
    while Instant::now() < give_up {
        for call in fake.calls_from(next, Duration::from_millis(500)).await {
            next = call.index + 1;
            let Some(channel) = posted_in(&call).filter(|_| call.status == 200) else {
                continue;
            };
            let Some(question) = question_in(call.json()) else {
                continue;
            };
            let open = app.inspect_game(channel, |game| (game.number(), game.deadline()));
            let message_id = call
                .response
                .as_ref()
                .and_then(|m| m["id"].as_str()?.parse().ok());
            if let (Some((number, Some(deadline))), Some(id)) = (open, message_id)
                && number == question.button.question
            {
                deadlines.insert(id, deadline);
            }
            answer(&fake, &sent, &call, &question);
        }
        // Once a second at most: it locks the games the bot is playing.
        if looked.elapsed() >= Duration::from_secs(1) && began.elapsed() > CYCLE * 2 {
            looked = Instant::now();
            if running() == 0 {
                break;
            }
        }
    }
    let still_running = running();
    let cut = unix_now();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let seconds = began.elapsed().as_secs_f64();
    let calls = fake.calls();

    let tally = Tally::of(&calls);
    let after = |at: Instant, deadline: f64| {
        at.duration_since(began).as_secs_f64() - (deadline - began_unix)
    };
    let mut announced = Vec::new();
    let mut core = Vec::new();
    let mut posted = 0;
    // Unrevealed questions: still open when the measure stopped, or lost.
    let (mut open, mut lost) = (0, 0);
    for (deadline, message) in tally.asked.values() {
        let Some(message) = message else { continue };
        posted += 1;
        if let Some(&at) = tally.revealed.get(message) {
            announced.push(after(at, *deadline as f64));
            if let Some(d) = deadlines.get(message) {
                core.push(after(at, d.0 as f64 / 1000.0));
            }
        } else if *deadline as f64 >= cut {
            open += 1;
        } else {
            lost += 1;
        }
    }

    let callbacks: HashMap<&str, Instant> = calls
        .iter()
        .filter(|c| c.path.ends_with("/callback"))
        .map(|c| (c.path.as_str(), c.at))
        .collect();
    let sent = sent.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let waits: Vec<f64> = sent
        .iter()
        .filter_map(|(path, at)| Some(callbacks.get(path.as_str())?.duration_since(*at)))
        .map(|d| d.as_secs_f64())
        .collect();
    let late = waits.iter().filter(|w| **w > 3.0).count();

    println!(
        "quiz: {QUIZZES} quizzes × {questions} questions of {SECONDS} s, {PLAYERS} players \
         (2 answer each question), {seconds:.0} s"
    );
    print_load(&fake, &calls, began);
    println!(
        "  questions: {} asked, {posted} posted, {} revealed, {open} open when the measure \
         stopped, {lost} past their deadline and never revealed (goal: 0)",
        tally.asked.len(),
        announced.len()
    );
    println!(
        "  pace: one question every {:.1} s per quiz (10 s open, 5 s of reveal, and the \
         wait for a post's turn)",
        (cut - began_unix) * QUIZZES as f64 / posted.max(1) as f64
    );
    // A quiz started once its first question was tried: a start refused (say, by a
    // budget the bot keeps) asks nothing.
    let started: HashSet<u64> = tally.asked.keys().map(|(quiz, _)| *quiz).collect();
    println!(
        "  quizzes: {} started, {} ended early for want of answers, {still_running} still \
         running at the end; {} podiums posted",
        started.len(),
        tally.idle.len(),
        tally.podiums
    );
    println!(
        "  reveal after the announced deadline: {} (goal: p99 ≤ 2 s)",
        spread(announced)
    );
    println!(
        "  reveal after the core's deadline:    {1} ({0} of them)",
        core.len(),
        spread(core)
    );
    println!(
        "  interactions: {} sent, {} answered; wait {}; over 3 s: {late} (goal: 0)",
        sent.len(),
        waits.len(),
        spread(waits)
    );
    bot.stop().await;
}

// ---- daily --------------------------------------------------------------------------

/// A clock that shows `start` now and then runs at the system clock's pace, so a
/// chosen instant comes without waiting for it; with the task that moves it.
fn real_pace_clock(start: DateTime<Utc>) -> (Clock, tokio::task::JoinHandle<()>) {
    let (clock, hand) = Clock::manual(start);
    let origin = Instant::now();
    let mover = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(1)).await;
            let shown = hand.now() - start;
            let real = chrono::Duration::from_std(origin.elapsed()).unwrap_or_default();
            hand.advance(real - shown);
        }
    });
    (clock, mover)
}

async fn daily_scenario() {
    let fake = FakeDiscord::start().await;
    fake.enforce_rate_limits();
    add_channels(
        &fake,
        (0..SERVERS).map(|i| (FIRST_CHANNEL + i, FIRST_GUILD + i)),
    );
    let due: DateTime<Utc> = "2026-02-14T09:00:00Z".parse().expect("a valid instant");
    let lead = Duration::from_secs(5);
    let start = due - chrono::Duration::from_std(lead).expect("a short lead");

    let dir = tempfile::tempdir().expect("a temp dir");
    let database = format!("sqlite://{}", dir.path().join("scale.db").display());
    {
        let store = feudbot::store::Store::open(&database)
            .await
            .expect("the database opens");
        let time = LocalTime::new(9, 0).expect("a valid time");
        for i in 0..SERVERS {
            let schedule = DailySchedule {
                channel_id: FIRST_CHANNEL + i,
                time,
                zone: chrono_tz::UTC,
                paused: None,
                recap: false,
            };
            // Set a minute before: today's 09:00 is owed, yesterday's was not.
            let since = start - chrono::Duration::minutes(1);
            store
                .daily()
                .set(FIRST_GUILD + i, &schedule, since)
                .await
                .expect("a schedule is stored");
        }
    }

    let (clock, mover) = real_pace_clock(start);
    let due_at = Instant::now() + lead;
    let bot = InProcessBot::start(&fake.base_url(), &database, clock);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;

    let mut posted: HashMap<u64, Instant> = HashMap::new();
    let mut next = 0;
    let mut last_call = due_at;
    let give_up = due_at + Duration::from_secs(400);
    let quiet = Duration::from_secs(15);
    loop {
        let now = Instant::now();
        if posted.len() as u64 == SERVERS
            || now > give_up
            || (now > due_at && now - last_call > quiet)
        {
            break;
        }
        for call in fake.calls_from(next, Duration::from_millis(500)).await {
            next = call.index + 1;
            if let Some(channel) = posted_in(&call) {
                last_call = last_call.max(call.at);
                if call.status == 200 {
                    posted.entry(channel).or_insert(call.at);
                }
            }
        }
    }
    let calls = fake.calls();
    let last = posted
        .values()
        .max()
        .map(|at| at.saturating_duration_since(due_at));
    let floor = SERVERS as f64 / GLOBAL_PER_SECOND;
    println!("daily: {SERVERS} servers due at the same minute");
    print_load(&fake, &calls, due_at);
    println!(
        "  servers posted: {} of {SERVERS} (goal: all)",
        posted.len()
    );
    println!(
        "  last post {} after the minute (floor {floor:.0} s at 50/s; goal ≤ {:.0} s)",
        last.map_or("never".to_string(), |d| format!("{:.1} s", d.as_secs_f64())),
        floor * 1.2
    );
    mover.abort();
    bot.stop().await;
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not, and should not run this.
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let only = |name: &str| {
        let named = args.iter().any(|a| a == "quiz" || a == "daily");
        !named || args.iter().any(|a| a == name)
    };
    let questions = if args.iter().any(|a| a == "--quick") {
        QUICK_QUESTIONS
    } else {
        QUESTIONS
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    println!(
        "feudbot at scale, against Discord's rate limits ({} cores)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if only("quiz") {
        runtime.block_on(quiz_scenario(questions));
    }
    if only("daily") {
        runtime.block_on(daily_scenario());
    }
}
