//! `cargo bench --bench picture`: how long pictures take to draw, how big they are,
//! and what drawing costs in memory.
//!
//! A plain harness, as the other benches: every picture is drawn many times, each draw
//! (layout, drawing, PNG encoding) timed with `Instant`; the table shows the
//! median (p50) and the 99th percentile (p99). The 100 000-event timeline is drawn from
//! a generated dataset (seeded: every run draws the same picture) and shows the median
//! of a few runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use feudbot::data::{Dataset, Date, Event};
use feudbot::picture::{Theme, podium, timeline};
use feudbot::query::TimelineFilter;
use feudbot::reply::{PodiumPlace, PodiumView};

/// Target for the p99 of the whole story's timeline.
const TIMELINE_TARGET: Duration = Duration::from_millis(50);
/// Target for the whole story's PNG.
const TIMELINE_BYTES: usize = 300 * 1024;
/// Target for the p99 of a podium card.
const PODIUM_TARGET: Duration = Duration::from_millis(20);
/// Target for a 100 000-event timeline.
const LARGE_TARGET: Duration = Duration::from_secs(1);
/// Events in the generated dataset.
const LARGE: usize = 100_000;

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort_unstable();
    let at = |q: f64| {
        let rank = ((samples.len() as f64) * q).ceil() as usize;
        samples[rank.clamp(1, samples.len()) - 1]
    };
    (at(0.50), at(0.99))
}

/// Times `calls` calls of `f` after a few untimed ones: p50 and p99.
fn time<R>(calls: usize, mut f: impl FnMut() -> R) -> (Duration, Duration) {
    for _ in 0..3 {
        black_box(f());
    }
    let samples = (0..calls)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    percentiles(samples)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

/// The process's resident set, in MB, from `/proc/self/status` (Linux).
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `LARGE` events over 2000–2025 among the shipped people and topics, with every
/// precision of date (a tenth year-only, a fifth month-only, the rest days).
fn large(real: &Dataset) -> Dataset {
    let mut rng = StdRng::seed_from_u64(12);
    let people: Vec<&str> = real.people().iter().map(|p| p.id.as_str()).collect();
    let tags: Vec<&str> = real.tags().iter().map(|(t, _)| t.as_str()).collect();
    let template = &real.events()[0];
    let mut events: Vec<Event> = (0..LARGE)
        .map(|n| {
            let year = rng.random_range(2000..=2025);
            let text = match rng.random_range(0..10) {
                0 => format!("{year}"),
                1 | 2 => format!("{year}-{:02}", rng.random_range(1..=12)),
                _ => format!(
                    "{year}-{:02}-{:02}",
                    rng.random_range(1..=12),
                    rng.random_range(1..=28)
                ),
            };
            let date: Date = text.parse().expect("a valid date");
            let mut event = template.clone();
            event.id = format!("ev-{n}");
            event.date = date;
            event.title = format!("Generated event {n}");
            event.people = (0..rng.random_range(1..=3))
                .map(|_| people.choose(&mut rng).expect("people").to_string())
                .collect();
            event.people.sort();
            event.people.dedup();
            event.tags = vec![tags.choose(&mut rng).expect("tags").to_string()];
            event
        })
        .collect();
    events.sort_by_key(|e| e.date);
    Dataset::from_records(
        real.sources().to_vec(),
        real.people().to_vec(),
        events,
        Vec::new(),
    )
    .unwrap_or_else(|e| panic!("the generated dataset is invalid: {e}"))
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".to_string());
    println!("feudbot picture benchmark");
    println!(
        "machine: {cores} cores, load average {load} ({} build)\n",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    let data = Dataset::shipped().expect("the shipped dataset is valid");
    let all = TimelineFilter::default();

    let before = rss_mb();
    let first = Instant::now();
    let png = timeline(&data, &all)
        .png(Theme::Dark)
        .expect("the timeline draws");
    let first = first.elapsed();
    let after = rss_mb();
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "first draw (font loaded, caches cold): {}; RSS {before:.1} MB before, {after:.1} MB after",
            ms(first)
        );
    }

    println!(
        "\n  {:<40} {:>10} {:>10}   target",
        "picture (layout, drawing, PNG)", "p50", "p99"
    );
    let (p50, p99) = time(200, || timeline(&data, &all).png(Theme::Dark));
    println!(
        "  {:<40} {:>10} {:>10}   ≤ {} {}",
        "whole-story timeline",
        ms(p50),
        ms(p99),
        ms(TIMELINE_TARGET),
        verdict(p99 <= TIMELINE_TARGET)
    );
    let (p50, p99) = time(200, || timeline(&data, &all));
    println!(
        "  {:<40} {:>10} {:>10}",
        "  of which the layout alone",
        ms(p50),
        ms(p99)
    );
    let view = PodiumView {
        places: vec![
            PodiumPlace {
                place: 1,
                name: "alice".into(),
                points: 5400,
                correct: 5,
                answered: 5,
                best_streak: 5,
            },
            PodiumPlace {
                place: 2,
                name: "山田 太郎".into(),
                points: 3100,
                correct: 3,
                answered: 5,
                best_streak: 2,
            },
            PodiumPlace {
                place: 3,
                name: "Zoë, whose display name is longer than a step".into(),
                points: 1000,
                correct: 1,
                answered: 4,
                best_streak: 1,
            },
        ],
        questions: 5,
        players: 7,
    };
    let (p50, p99) = time(500, || podium(&view).png(Theme::Dark));
    println!(
        "  {:<40} {:>10} {:>10}   ≤ {} {}",
        "podium card",
        ms(p50),
        ms(p99),
        ms(PODIUM_TARGET),
        verdict(p99 <= PODIUM_TARGET)
    );

    let large = large(&data);
    let mut runs: Vec<(Duration, usize)> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let png = timeline(&large, &all)
                .png(Theme::Dark)
                .expect("the large timeline draws");
            (start.elapsed(), png.len())
        })
        .collect();
    runs.sort_unstable();
    let (median, large_bytes) = runs[runs.len() / 2];
    println!(
        "  {:<40} {:>10} {:>10}   ≤ {} {}",
        format!("{LARGE}-event timeline (median of 5)"),
        ms(median),
        "",
        ms(LARGE_TARGET),
        verdict(median <= LARGE_TARGET)
    );

    println!(
        "\nPNG sizes: whole story {} KB (≤ {} KB: {}), {LARGE} events {} KB",
        png.len() / 1024,
        TIMELINE_BYTES / 1024,
        verdict(png.len() <= TIMELINE_BYTES),
        large_bytes / 1024
    );
    if let Some(rss) = rss_mb() {
        println!("RSS at the end (the {LARGE}-event dataset included): {rss:.1} MB");
    }
}
