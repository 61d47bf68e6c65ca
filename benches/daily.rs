//! Scheduling 100 000 servers: computing every server's next post and ordering them
//! in the scheduler queue, and the queue's memory per server, counted by a global
//! allocator that tracks live bytes.
//!
//! Run with `cargo bench --bench daily`. Exits 1 when a target is missed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use feudbot::daily::{DailyQueue, DailySchedule, LocalTime, next_post};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SERVERS: usize = 100_000;
/// Targets from the issue.
const TIME_TARGET: Duration = Duration::from_millis(200);
const BYTES_TARGET: usize = 200;

/// Servers spread over zones with and without DST, half-hour offsets, and times that
/// fall in DST gaps and overlaps on the benchmark's day.
fn schedules() -> Vec<DailySchedule> {
    let zones: Vec<chrono_tz::Tz> = [
        "UTC",
        "America/New_York",
        "America/Los_Angeles",
        "America/Sao_Paulo",
        "Europe/London",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Asia/Tokyo",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "Pacific/Auckland",
        "Asia/Kathmandu",
    ]
    .iter()
    .map(|name| name.parse().expect("a known zone"))
    .collect();
    (0..SERVERS)
        .map(|i| DailySchedule {
            channel_id: i as u64 + 1,
            time: LocalTime::new((i * 7 % 24) as u32, (i * 13 % 60) as u32).expect("a valid time"),
            zone: zones[i % zones.len()],
            paused: None,
            recap: false,
        })
        .collect()
}

/// Computes every next post after `now` and queues it.
fn schedule_all(schedules: &[DailySchedule], now: DateTime<Utc>) -> DailyQueue {
    let mut queue = DailyQueue::new();
    for (i, schedule) in schedules.iter().enumerate() {
        queue.insert(i as u64 + 1, next_post(schedule, now));
    }
    queue
}

fn main() {
    let schedules = schedules();
    // 9 March 2025, 06:00 UTC: New York springs forward within the day.
    let now: DateTime<Utc> = "2025-03-09T06:00:00Z".parse().expect("a valid instant");

    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let queue = schedule_all(black_box(&schedules), now);
        best = best.min(start.elapsed());
        black_box(queue.next_wake());
    }

    let before = counting_alloc::live();
    let mut queue = schedule_all(&schedules, now);
    let bytes = counting_alloc::live() - before;
    let per_server = bytes / SERVERS;

    let start = Instant::now();
    let mut handed_out = 0;
    while let Some(at) = queue.next_wake() {
        handed_out += queue.due(at).len();
    }
    let drain = start.elapsed();
    assert_eq!(handed_out, SERVERS);

    println!("daily scheduler, {SERVERS} servers in 12 time zones:");
    println!(
        "  compute next posts and queue them: {:.1} ms (best of 5; target {} ms)",
        best.as_secs_f64() * 1000.0,
        TIME_TARGET.as_millis()
    );
    println!(
        "  queue memory: {:.2} MB, {per_server} bytes per server (target {BYTES_TARGET})",
        bytes as f64 / 1e6
    );
    println!(
        "  hand out every server in due order: {:.1} ms",
        drain.as_secs_f64() * 1000.0
    );
    println!(
        "  (a DailySchedule itself is {} bytes, kept in the store, not in the queue)",
        std::mem::size_of::<DailySchedule>()
    );
    if best > TIME_TARGET || per_server > BYTES_TARGET {
        eprintln!("over target");
        std::process::exit(1);
    }
}
