//! Discord layer figures, through the fake Discord of `tests/support` on loopback:
//! interaction → callback latency of feudbot against a bare serenity client that
//! answers a fixed reply (the floor), both in this process and measured the same way;
//! then the idle memory of the release binary connected with the dataset loaded.
//!
//! `cargo bench --bench discord`

#[allow(dead_code)]
#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use feudbot::clock::Clock;
use serde_json::{Value, json};
use support::FakeDiscord;
use support::bare_client::BareClient;
use support::bot::{BotProcess, InProcessBot};
use support::payloads::{self, Who};

/// Interactions timed per client, after the warm-up.
const SAMPLES: usize = 2000;
const WARM_UP: usize = 100;

/// Sends `make()` interactions one after another and returns each one's time from
/// the dispatch leaving the fake to the callback arriving at it, sorted.
async fn latencies(fake: &FakeDiscord, make: impl Fn() -> Value) -> Vec<Duration> {
    let mut times = Vec::with_capacity(SAMPLES);
    for i in 0..WARM_UP + SAMPLES {
        let interaction = make();
        let path = payloads::callback_path(&interaction);
        let sent = Instant::now();
        fake.send_interaction(interaction).await;
        let call = fake.expect("POST", &path).await;
        if i >= WARM_UP {
            times.push(call.at.duration_since(sent));
        }
    }
    times.sort();
    times
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

async fn latency_figures() {
    let who = Who::member(1001, "alice");

    let floor_fake = FakeDiscord::start().await;
    let mut bare = BareClient::start(&floor_fake.base_url()).await;
    bare.wait_ready().await;
    let floor = latencies(&floor_fake, || {
        payloads::slash_command(&who, "about", Value::Null)
    })
    .await;

    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let database = format!("sqlite://{}", dir.path().join("bench.db").display());
    let bot = InProcessBot::start(&fake.base_url(), &database, Clock::System);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;
    let kinds: [(&str, Value); 3] = [
        ("about", Value::Null), // uploads the whole story's picture (drawn once, then kept)
        ("timeline", json!([payloads::string_opt("year", "2024")])),
        ("search", json!([payloads::string_opt("query", "stargat")])),
    ];
    println!("interaction → callback through the fake on loopback, {SAMPLES} each:");
    println!("{:<34} {:>9} {:>9} {:>14}", "", "p50", "p99", "p99 / floor");
    let row = |name: &str, sorted: &[Duration]| {
        println!(
            "{name:<34} {:>9} {:>9} {:>13.2}×",
            micros(percentile(sorted, 0.5)),
            micros(percentile(sorted, 0.99)),
            percentile(sorted, 0.99).as_secs_f64() / percentile(&floor, 0.99).as_secs_f64()
        );
    };
    row("bare serenity, fixed reply (floor)", &floor);
    for (name, options) in kinds {
        let sorted = latencies(&fake, || {
            payloads::slash_command(&who, name, options.clone())
        })
        .await;
        row(&format!("feudbot /{name}"), &sorted);
    }
    fake.assert_no_violations();
    bot.stop().await;
    bare.shutdown().await;
}

/// Resident memory of a process, from /proc, in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `pid`'s resident memory split as `/proc` gives it, and in all.
fn memory_report(pid: u32, when: &str) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let lines: Vec<&str> = status
        .lines()
        .filter(|l| l.starts_with("Threads") || l.starts_with("Rss"))
        .collect();
    println!("{}", lines.join("\n"));
    match rss_kib(pid) {
        Some(kib) => println!("{when}: {:.1} MB\n", kib as f64 / 1024.0),
        None => println!("{when}: /proc is not available here\n"),
    }
}

async fn memory_figures() {
    let fake = FakeDiscord::start().await;
    let process = BotProcess::start(&fake.base_url(), &[("RUST_LOG", "warn")]);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;
    let who = Who::member(1001, "alice");
    let answer = |name: &str| {
        let interaction = payloads::slash_command(&who, name, Value::Null);
        let path = payloads::callback_path(&interaction);
        let fake = &fake;
        async move {
            fake.send_interaction(interaction).await;
            fake.expect("POST", &path).await;
        }
    };
    // A few commands that draw nothing, so that lazily built state exists; then idle.
    for name in ["timeline", "quote", "help"] {
        answer(name).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    memory_report(
        process.id(),
        "idle RSS of the release binary, connected, dataset loaded, no picture drawn yet",
    );
    // /about draws the whole story's picture: the drawing code and font come in.
    answer("about").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    memory_report(
        process.id(),
        "RSS after drawing the story's picture (/about)",
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not, and should not run this.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    println!(
        "feudbot Discord bench ({} cores)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    runtime.block_on(latency_figures());
    runtime.block_on(memory_figures());
}
