//! Scores at scale: one server with 1 000 000 saved answers (2 000 players, 40 weeks),
//! saved as the bot saves them (one transaction per question's reveal, running totals
//! kept in it), then `/leaderboard` (all time, this week, a deep page) and `/stats` as
//! the store answers them, timed call by call; on a SQLite file, then on PostgreSQL.
//!
//! `cargo bench --bench store` runs SQLite only (about three minutes once built, nearly
//! all of it saving the answers); `bash .ci/with-postgres cargo bench --bench store` both
//! (about six), PostgreSQL on a throwaway server (`FEUDBOT_TEST_POSTGRES`), whose reads
//! are timed right after the load and again after `VACUUM ANALYZE`.

use std::time::{Duration, Instant};

use feudbot::quiz::{AnswerResult, QuestionResults, Save, UnixMillis};
use feudbot::store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const GUILD: u64 = 1;
const ANSWERS: u64 = 1_000_000;
const PLAYERS: u64 = 2_000;
/// Answers per question.
const PER_QUESTION: u64 = 50;
const QUESTIONS: u8 = 10;
const WEEKS: u64 = 40;
const WEEK_MS: u64 = 7 * 86_400_000;
/// Monday 2 February 2026, 00:00 UTC: the last week of the history.
const LAST_MONDAY: u64 = 1_769_990_400_000;
const CALLS: usize = 2_000;
/// Leaderboard lines per page, as `/leaderboard` shows them.
const PER_PAGE: u32 = 10;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// p50 and p99 of `CALLS` calls of `call`, after a warm-up.
async fn time<F, Fut>(mut call: F) -> (Duration, Duration)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for i in 0..CALLS / 10 {
        call(i).await;
    }
    let mut times = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let started = Instant::now();
        call(i).await;
        times.push(started.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    bench("SQLite", &url).await;
    match std::env::var("FEUDBOT_TEST_POSTGRES") {
        Ok(server) => bench("PostgreSQL", &new_database(&server).await).await,
        Err(_) => println!(
            "PostgreSQL skipped: FEUDBOT_TEST_POSTGRES is not set \
             (`bash .ci/with-postgres cargo bench --bench store` runs it)"
        ),
    }
}

/// A new database on the server of `server` (a database URL on it), for this run.
async fn new_database(server: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("feudbot_bench_{}", std::process::id());
    let mut admin = sqlx::AnyConnection::connect(server)
        .await
        .expect("the PostgreSQL server");
    // The name is ours: letters, digits and underscores.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("a new database");
    let (base, query) = server.split_once('?').unwrap_or((server, ""));
    let base = &base[..base.rfind('/').expect("a URL with a database")];
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// Saves the history in the store at `url`, then times the reads.
async fn bench(backend: &str, url: &str) {
    let store = Store::open(url).await.expect("the store opens");
    let mut rng = StdRng::seed_from_u64(1);

    let started = Instant::now();
    let reveals = ANSWERS / PER_QUESTION;
    let quizzes = reveals / u64::from(QUESTIONS);
    for quiz in 0..quizzes {
        let week = quiz * WEEKS / quizzes;
        let at = LAST_MONDAY - (WEEKS - 1 - week) * WEEK_MS + rng.random_range(0..WEEK_MS);
        let first = rng.random_range(0..PLAYERS);
        for question in 1..=QUESTIONS {
            let answers = (0..PER_QUESTION)
                .map(|i| {
                    let user_id = 1_000 + (first + i * 37) % PLAYERS;
                    let correct = rng.random_bool(0.6);
                    AnswerResult {
                        user_id,
                        user_name: format!("player {user_id}"),
                        correct,
                        points: if correct {
                            rng.random_range(500..1600)
                        } else {
                            0
                        },
                        streak: rng.random_range(0..8),
                    }
                })
                .collect();
            let save = Save::Results(QuestionResults {
                quiz_id: quiz + 1,
                guild_id: GUILD,
                channel_id: 10,
                started_at: UnixMillis(at),
                question,
                at: UnixMillis(at + u64::from(question) * 15_000),
                answers,
            });
            store.save(&save).await.expect("saved");
        }
    }
    let saving = started.elapsed();
    let per_reveal = saving / u32::try_from(reveals).unwrap_or(u32::MAX);

    println!(
        "store on {backend}: one server, {ANSWERS} answers of {PLAYERS} players over \
         {WEEKS} weeks, {reveals} reveals of {PER_QUESTION} answers"
    );
    println!(
        "  saving: {:.1} s in all, {} per reveal (one transaction, running totals included)",
        saving.as_secs_f64(),
        ms(per_reveal)
    );
    if backend == "PostgreSQL" {
        println!("  reads right after saving (every update of a total has left a dead row):");
        reads(&store).await;
        use sqlx::Connection;
        let mut connection = sqlx::AnyConnection::connect(url).await.expect("connects");
        sqlx::raw_sql("VACUUM ANALYZE")
            .execute(&mut connection)
            .await
            .expect("vacuumed");
        println!("  reads after VACUUM ANALYZE (what autovacuum does in the background):");
    } else {
        println!("  reads:");
    }
    reads(&store).await;
}

/// Times `/leaderboard` and `/stats` as the store answers them.
async fn reads(store: &Store) {
    let now = Some(UnixMillis(LAST_MONDAY + 3 * 86_400_000));
    let (all50, all99) = time(|_| async move {
        store
            .leaderboard(GUILD, None, 1, PER_PAGE)
            .await
            .expect("a page");
    })
    .await;
    let (week50, week99) = time(|_| async move {
        store
            .leaderboard(GUILD, now, 1, PER_PAGE)
            .await
            .expect("a page");
    })
    .await;
    let (deep50, deep99) = time(|_| async move {
        store
            .leaderboard(GUILD, None, 150, PER_PAGE)
            .await
            .expect("a page");
    })
    .await;
    let (stats50, stats99) = time(|i| async move {
        let user = 1_000 + (i as u64 * 7919) % PLAYERS;
        store.stats(GUILD, user).await.expect("stats");
    })
    .await;

    println!(
        "    /leaderboard, all time, page 1: p50 {}, p99 {} (goal: p99 ≤ 5 ms)",
        ms(all50),
        ms(all99)
    );
    println!(
        "    /leaderboard, this week, page 1: p50 {}, p99 {} (goal: p99 ≤ 5 ms)",
        ms(week50),
        ms(week99)
    );
    println!(
        "    /leaderboard, all time, page 150: p50 {}, p99 {} (goal: p99 ≤ 5 ms)",
        ms(deep50),
        ms(deep99)
    );
    println!(
        "    /stats: p50 {}, p99 {} (goal: p99 ≤ 5 ms)",
        ms(stats50),
        ms(stats99)
    );
}
