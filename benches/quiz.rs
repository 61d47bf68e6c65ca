//! Trivia at scale, on one core: 10 000 quizzes running at once with 20 players each,
//! driven through the state machine as the core drives it (commands, clicks, posted
//! message ids, wake-ups), and question generation on its own.
//!
//! Memory is measured with a counting global allocator: the bytes still allocated
//! when every session holds 20 players and their answers, divided by the sessions.
//!
//! `cargo bench --bench quiz`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use feudbot::caller::Caller;
use feudbot::data::Dataset;
use feudbot::permissions::Permissions;
use feudbot::quiz::{
    ButtonId, Effect, Filter, GameEvent, GameRequest, Games, Pace, QuestionBank, QuizSettings,
    REVEAL_PAUSE_MS, UnixMillis,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SESSIONS: u64 = 10_000;
const PLAYERS: u64 = 20;
const QUESTIONS: u8 = 5;
const SECONDS: u8 = 30;

fn caller(channel: u64, player: u64) -> Caller {
    Caller {
        user_id: 1_000 + player,
        user_name: format!("player{player}"),
        is_bot: false,
        guild_id: Some(1),
        channel_id: channel,
        permissions: Permissions::empty(),
        bot_permissions: Permissions::all(),
        in_thread: false,
        bot_installed: true,
    }
}

/// Applies an event and reports every tagged post back, as the core does.
fn apply(games: &mut Games, event: GameEvent, now: UnixMillis, rng: &mut StdRng) {
    let effects = games.apply(event, now, rng);
    for effect in effects {
        if let Effect::Post {
            channel_id,
            report: Some(tag),
            ..
        } = effect
        {
            let posted = GameEvent::Posted {
                channel_id,
                tag,
                message_id: 1,
            };
            black_box(games.apply(posted, now, rng));
        }
    }
}

fn main() {
    let data = Dataset::shipped().expect("the shipped dataset loads");
    let bank = Arc::new(QuestionBank::new(&data));
    let mut rng = StdRng::seed_from_u64(7);

    // Question generation.
    let count = 500_000;
    let started = Instant::now();
    for _ in 0..count {
        black_box(bank.pick(&Filter::default(), &[], &mut rng));
    }
    let generation = count as f64 / started.elapsed().as_secs_f64();

    // 10 000 quizzes with 20 players each.
    let mut now = UnixMillis(1_739_500_000_000);
    let before = counting_alloc::live();
    let mut games = Games::new(Arc::clone(&bank));
    let settings = QuizSettings {
        questions: QUESTIONS,
        seconds: SECONDS,
        filter: Filter::default(),
        pace: Pace::Auto,
    };
    let setup = Instant::now();
    for channel in 0..SESSIONS {
        let event = GameEvent::Request {
            caller: caller(channel, 0),
            request: GameRequest::Start(settings),
        };
        apply(&mut games, event, now, &mut rng);
    }
    let setup = setup.elapsed();

    let mut answers = 0u64;
    let mut busy = std::time::Duration::ZERO;
    let mut per_session = 0;
    for round in 0..QUESTIONS {
        now = now.plus_millis(1_000);
        let clicks = Instant::now();
        for channel in 0..SESSIONS {
            let Some(session) = games.session(channel) else {
                continue;
            };
            let (quiz, number) = (session.id(), session.number());
            for player in 0..PLAYERS {
                let option = ((player + channel) % 2) as u8;
                let button = ButtonId {
                    quiz_id: quiz,
                    question: number,
                    option,
                };
                // What a click carries: its custom_id, read back by the command table.
                let custom_id = button.custom_id();
                let state = custom_id.split_once(':').map_or("", |(_, state)| state);
                let event = GameEvent::Request {
                    caller: caller(channel, player),
                    request: GameRequest::Answer(ButtonId::parse(state).expect("our own button")),
                };
                apply(&mut games, event, now, &mut rng);
                answers += 1;
            }
        }
        busy += clicks.elapsed();
        if round == 0 {
            // The fullest state: every session holds 20 players and 20 answers.
            per_session = (counting_alloc::live() - before) / SESSIONS as usize;
        }
        // The first question waits for its deadline; later ones closed when everyone
        // answered. Then the pause, and the next question.
        let ticks = Instant::now();
        for at in [
            now.plus_secs(u64::from(SECONDS)),
            now.plus_secs(u64::from(SECONDS))
                .plus_millis(REVEAL_PAUSE_MS),
        ] {
            for channel in 0..SESSIONS {
                apply(
                    &mut games,
                    GameEvent::Tick {
                        channel_id: channel,
                    },
                    at,
                    &mut rng,
                );
            }
        }
        busy += ticks.elapsed();
        now = now
            .plus_secs(u64::from(SECONDS))
            .plus_millis(REVEAL_PAUSE_MS);
    }
    assert!(games.is_empty(), "every quiz ran to its end");
    let throughput = answers as f64 / busy.as_secs_f64();

    println!("trivia, one core, {SESSIONS} sessions × {PLAYERS} players × {QUESTIONS} questions");
    println!(
        "  answers/s (clicks, reveals, next questions, podiums): {:>12.0}",
        throughput
    );
    println!("  bytes per session (20 players answered):              {per_session:>12}");
    println!("  start 10 000 quizzes:                                 {setup:>12.2?}");
    println!("  questions generated/s:                                {generation:>12.0}");
}
