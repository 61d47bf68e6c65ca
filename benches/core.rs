//! `cargo bench --bench core`: how long the bot takes to load, index and answer.
//!
//! A plain harness (no criterion): every operation runs many times, each call timed
//! with `Instant`, and the table shows the median (p50) and the 99th percentile (p99)
//! of those calls; builds show the median of several runs. Part 1 uses the shipped
//! dataset; part 2 generates synthetic datasets of 1 000, 10 000 and 100 000 events
//! plus as many quotes (seeded, so every run measures the same data) and shows how each
//! figure grows.

use std::collections::HashSet;
use std::hint::black_box;
use std::ops::RangeInclusive;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

use feudbot::caller::Caller;
use feudbot::commands::{self, Ctx, Invocation, Request, autocomplete};
use feudbot::data::{Dataset, Date, Event, Person, PersonKind, Quote, Source};
use feudbot::permissions::Permissions;
use feudbot::query::{self, TimelineFilter};
use feudbot::reply::Reply;
use feudbot::search::words;

/// Target for loading, validating and indexing the shipped dataset.
const LOAD_TARGET: Duration = Duration::from_millis(5);
/// Target for the p99 of any query on the shipped dataset.
const QUERY_TARGET: Duration = Duration::from_micros(50);
/// Target for one autocomplete keystroke at 100 000 records.
const COMPLETE_TARGET: Duration = Duration::from_millis(1);
/// Target for one search at 100 000 records.
const SEARCH_TARGET: Duration = Duration::from_millis(5);

/// Synthetic sizes: this many events and this many quotes.
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

// ---------------------------------------------------------------------------------
// Timing

/// Percentiles of the calls of one operation.
#[derive(Clone, Copy)]
struct Stats {
    p50: Duration,
    p99: Duration,
    calls: usize,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort_unstable();
        let at = |q: f64| {
            let rank = ((samples.len() as f64) * q).ceil() as usize;
            samples[rank.clamp(1, samples.len()) - 1]
        };
        Stats {
            p50: at(0.50),
            p99: at(0.99),
            calls: samples.len(),
        }
    }
}

/// Times `calls` calls of `f`, after a few untimed ones to warm caches.
fn time<R>(calls: usize, mut f: impl FnMut() -> R) -> Stats {
    for _ in 0..(calls / 10).max(3) {
        black_box(f());
    }
    let samples = (0..calls)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    Stats::of(samples)
}

/// Times typing `text` one character at a time, `rounds` times: one sample a keystroke.
fn time_typing<R>(rounds: usize, text: &str, mut f: impl FnMut(&str) -> R) -> Stats {
    let prefixes: Vec<&str> = text
        .char_indices()
        .map(|(i, c)| &text[..i + c.len_utf8()])
        .collect();
    for prefix in &prefixes {
        black_box(f(prefix));
    }
    let mut samples = Vec::with_capacity(rounds * prefixes.len());
    for _ in 0..rounds {
        for prefix in &prefixes {
            let start = Instant::now();
            black_box(f(prefix));
            samples.push(start.elapsed());
        }
    }
    Stats::of(samples)
}

/// Runs `f` `runs` times and gives the median duration and the last result.
fn median_run<R>(runs: usize, mut f: impl FnMut() -> (Duration, R)) -> (Duration, R) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let (took, result) = f();
        times.push(took);
        last = Some(result);
    }
    times.sort_unstable();
    (times[runs / 2], last.expect("at least one run"))
}

fn show(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 10.0 {
        format!("{micros:.2} µs")
    } else if micros < 1000.0 {
        format!("{micros:.1} µs")
    } else if micros < 10_000.0 {
        format!("{:.2} ms", micros / 1000.0)
    } else {
        format!("{:.1} ms", micros / 1000.0)
    }
}

fn verdict(value: Duration, target: Duration) -> &'static str {
    if value <= target { "ok" } else { "MISSED" }
}

fn row(name: &str, stats: Stats, target: Duration) {
    println!(
        "  {name:<44} {:>10} {:>10} {:>7}   ≤ {:<8} {}",
        show(stats.p50),
        show(stats.p99),
        stats.calls,
        show(target),
        verdict(stats.p99, target)
    );
}

// ---------------------------------------------------------------------------------
// Machine

fn machine() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".to_string());
    println!("feudbot core benchmark");
    println!(
        "machine: {cores} cores available, {cpu}; load average {load} ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!("p50/p99 are over single calls; builds are the median of several runs.\n");
}

// ---------------------------------------------------------------------------------
// Part 1: the shipped dataset

/// A console line as the command table reads it.
fn parse_line(line: &str) -> Result<Invocation, commands::UserError> {
    feudbot::console::parse_line(line, |_| 1)
}

/// What the command table answers `invocation` with, as the core would reply.
fn ctx_run(data: &Dataset, rng: &mut StdRng, invocation: &Invocation) -> Reply {
    let caller = Caller {
        user_id: 1,
        user_name: "bench".into(),
        is_bot: false,
        guild_id: Some(1),
        channel_id: 1,
        permissions: Permissions::empty(),
        bot_permissions: Permissions::all(),
        in_thread: false,
        bot_installed: true,
    };
    // Lookups never draw questions: any bank will do, built once.
    static BANK: std::sync::OnceLock<feudbot::quiz::QuestionBank> = std::sync::OnceLock::new();
    let bank = BANK.get_or_init(|| {
        feudbot::quiz::QuestionBank::new(&Dataset::shipped().expect("the dataset loads"))
    });
    let mut ctx = Ctx {
        data,
        bank,
        caller: &caller,
        now: NaiveDate::from_ymd_opt(2025, 2, 14)
            .and_then(|day| day.and_hms_opt(12, 0, 0))
            .expect("a real time")
            .and_utc(),
        rng,
    };
    match commands::answer(&mut ctx, invocation) {
        Ok(Request::Reply(reply)) => reply,
        Ok(_) => panic!("a lookup answers from the dataset alone"),
        Err(error) => Reply::error(error.0),
    }
}

/// The slowest of some operations: its name, p50 and p99 (by p99).
#[derive(Clone, Default)]
struct Worst {
    name: String,
    p50: Duration,
    p99: Duration,
}

impl Worst {
    fn note(&mut self, name: &str, stats: Stats) {
        if stats.p99 > self.p99 {
            *self = Worst {
                name: name.to_string(),
                p50: stats.p50,
                p99: stats.p99,
            };
        }
    }

    fn print(&self, what: &str, target: Duration) {
        println!(
            "  {what:<40} p50 {:>9}  p99 {:>9}   ≤ {:<8} {}  ({})",
            show(self.p50),
            show(self.p99),
            show(target),
            verdict(self.p99, target),
            self.name
        );
    }
}

fn shipped() -> (Stats, Worst) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    println!("1. Shipped dataset (data/)");
    let loads: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            let data = Dataset::load(&dir).expect("the shipped dataset is valid");
            let took = start.elapsed();
            black_box(data);
            took
        })
        .collect();
    let load = Stats::of(loads);
    let data = Dataset::load(&dir).expect("the shipped dataset is valid");
    println!(
        "   {} events, {} quotes, {} people, {} sources; {} indexed words\n",
        data.events().len(),
        data.quotes().len(),
        data.people().len(),
        data.sources().len(),
        data.index().word_count()
    );
    println!(
        "  {:<44} {:>10} {:>10} {:>7}   {:<10} ",
        "operation", "p50", "p99", "calls", "target"
    );
    row("load + validate + index (Dataset::load)", load, LOAD_TARGET);

    let n = 3000;
    let mut worst = Worst::default();
    let mut query = |name: &str, stats: Stats| {
        row(name, stats, QUERY_TARGET);
        worst.note(name, stats);
    };
    let filter = |f: fn(&mut TimelineFilter)| {
        let mut filter = TimelineFilter::default();
        f(&mut filter);
        filter
    };
    let all = filter(|_| {});
    let year = filter(|f| f.years = Some((2024, 2024)));
    let person = filter(|f| f.person = Some("altman".into()));
    let tag = filter(|f| f.tag = Some("lawsuit".into()));
    let text = filter(|f| f.text = Some("stargate".into()));
    query("timeline: all", time(n, || query::timeline(&data, &all)));
    query(
        "timeline: year 2024",
        time(n, || query::timeline(&data, &year)),
    );
    query(
        "timeline: person altman",
        time(n, || query::timeline(&data, &person)),
    );
    query(
        "timeline: tag lawsuit",
        time(n, || query::timeline(&data, &tag)),
    );
    query(
        "timeline: text stargate",
        time(n, || query::timeline(&data, &text)),
    );
    query(
        "event by id (stargate-announced)",
        time(n, || query::find_event(&data, "stargate-announced")),
    );
    query(
        "event by fuzzy title (stargaet)",
        time(n, || query::find_event(&data, "stargaet")),
    );
    query(
        "quote by speaker (all of altman)",
        time(n, || query::quotes_by(&data, Some("altman"))),
    );
    query(
        "quote by words (last straw)",
        time(n, || query::find_quote(&data, "last straw", None)),
    );
    query(
        "person profile (find altman + events + quotes)",
        time(n, || {
            let p = query::find_person(&data, "altman").expect("altman is in the story");
            (
                query::events_of(&data, &p.id).len(),
                query::quotes_by(&data, Some(&p.id)).len(),
            )
        }),
    );
    query(
        "on this day: 02-14 (a hit)",
        time(n, || query::on_this_day(&data, 2, 14, 3).events.len()),
    );
    query(
        "on this day: 07-04 (a miss, nearest days)",
        time(n, || query::on_this_day(&data, 7, 4, 3).nearest.len()),
    );
    for q in ["stargate", "stargat", "altmann", "sutskevar", "97.4"] {
        query(
            &format!("search: {q}"),
            time(n, || data.index().search(q, None, 8)),
        );
    }
    query(
        "autocomplete events, per key: stargate",
        time_typing(n / 8, "stargate", |t| {
            autocomplete(&data, "event", "title", t)
        }),
    );
    query(
        "autocomplete people, per key: sutsk",
        time_typing(n / 5, "sutsk", |t| autocomplete(&data, "person", "name", t)),
    );
    query(
        "autocomplete quotes, per key: last str",
        time_typing(n / 8, "last str", |t| {
            autocomplete(&data, "quote", "quote", t)
        }),
    );
    query(
        "autocomplete tags, per key: lawsuit",
        time_typing(n / 7, "lawsuit", |t| {
            autocomplete(&data, "timeline", "tag", t)
        }),
    );
    let mut rng = StdRng::seed_from_u64(7);
    for line in [
        "/timeline",
        "/timeline year:2024",
        "/timeline person:musk tag:lawsuit",
        "/event title:stargate",
        "/quote quote:last straw",
        "/quote speaker:altman",
        "/person name:altman",
        "/onthisday date:02-14",
        "/onthisday date:07-04",
        "/search stargat",
        "/search sutskevar",
        "/about",
    ] {
        let invocation = parse_line(line).expect("a well-formed line");
        query(
            &format!("command {line}"),
            time(n, || ctx_run(&data, &mut rng, &invocation)),
        );
    }
    println!();
    (load, worst)
}

// ---------------------------------------------------------------------------------
// Part 2: synthetic datasets

/// The words of the shipped dataset, most frequent first, and its tags.
fn real_words(data: &Dataset) -> (Vec<String>, Vec<String>) {
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    let texts = data
        .events()
        .iter()
        .flat_map(|e| [e.title.as_str(), e.summary.as_str()])
        .chain(
            data.quotes()
                .iter()
                .flat_map(|q| [q.text.as_str(), q.context.as_str()]),
        );
    for text in texts {
        for word in words(text) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let tags = query::tags(data)
        .into_iter()
        .map(|(t, _)| t.to_string())
        .collect();
    (ranked.into_iter().map(|(w, _)| w).collect(), tags)
}

/// A made-up but pronounceable word.
fn coin(rng: &mut StdRng) -> String {
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "cr",
        "st", "tr", "pl", "gr", "sh", "ch", "th", "fl", "sp", "",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"];
    const CODAS: &[&str] = &[
        "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck",
    ];
    let syllables = *[1, 2, 2, 2, 3, 3, 4].choose(rng).expect("not empty");
    let mut word = String::new();
    for _ in 0..syllables {
        word.push_str(ONSETS.choose(rng).expect("not empty"));
        word.push_str(VOWELS.choose(rng).expect("not empty"));
        word.push_str(CODAS.choose(rng).expect("not empty"));
    }
    word
}

/// Draws ranks 0..n with probability proportional to 1 / (rank + 1)^s.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn draw(&self, rng: &mut StdRng) -> usize {
        let total = *self.cumulative.last().expect("not empty");
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|&c| c < x)
            .min(self.cumulative.len() - 1)
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Words of text following Zipf's law over a vocabulary.
struct Writer {
    vocabulary: Vec<String>,
    zipf: Zipf,
}

impl Writer {
    fn word(&self, rng: &mut StdRng) -> &str {
        &self.vocabulary[self.zipf.draw(rng)]
    }

    /// Some number of words in `count`, capitalized, within `max` characters.
    fn phrase(&self, rng: &mut StdRng, count: RangeInclusive<usize>, max: usize) -> String {
        let count = rng.random_range(count);
        let mut text = capitalized(self.word(rng));
        for _ in 1..count {
            let word = self.word(rng);
            if text.len() + 1 + word.len() > max {
                break;
            }
            text.push(' ');
            text.push_str(word);
        }
        text
    }

    /// One to three sentences within `max` characters.
    fn sentences(&self, rng: &mut StdRng, max: usize) -> String {
        let mut text = String::new();
        for _ in 0..rng.random_range(1..=3) {
            let sentence = format!("{}.", self.phrase(rng, 8..=22, max));
            if !text.is_empty() && text.len() + 1 + sentence.len() > max {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&sentence);
        }
        text
    }
}

/// A unique slug of at most 24 characters from some words and a counter.
fn slug(words: &str, n: usize) -> String {
    let base: Vec<String> = feudbot::search::words(words)
        .into_iter()
        .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect())
        .filter(|w: &String| !w.is_empty() && w.is_ascii())
        .take(3)
        .collect();
    let tail = format!("{n:x}");
    let mut id = base.join("-");
    id.truncate(24 - tail.len() - 1);
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        format!("r-{tail}")
    } else {
        format!("{id}-{tail}")
    }
}

fn random_date(rng: &mut StdRng) -> Date {
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
    text.parse().expect("a valid date")
}

type Records = (Vec<Source>, Vec<Person>, Vec<Event>, Vec<Quote>);

/// `size` events and `size` quotes, a few hundred people, written from a vocabulary of
/// about 3 000 words (Zipf-distributed) that includes every word of the shipped dataset.
fn synthetic(real: &Dataset, size: usize, seed: u64) -> Records {
    let mut rng = StdRng::seed_from_u64(seed);
    let (real_words, real_tags) = real_words(real);
    // Common words first, as in any English text; then the story's own words and made-up
    // ones, shuffled, so that "stargate" or "altman" are neither the commonest nor rare.
    let (common, rest): (Vec<String>, Vec<String>) = real_words
        .into_iter()
        .partition(|w| feudbot::search::terms(w).next().is_none());
    let mut seen: HashSet<String> = common.iter().chain(&rest).cloned().collect();
    let mut pool = rest;
    while pool.len() < 3000 {
        let word = coin(&mut rng);
        if seen.insert(word.clone()) {
            pool.push(word);
        }
    }
    pool.shuffle(&mut rng);
    let mut vocabulary = common;
    vocabulary.extend(pool);
    let writer = Writer {
        zipf: Zipf::new(vocabulary.len(), 1.0),
        vocabulary,
    };

    let mut sources = real.sources().to_vec();
    for n in 0..20 {
        let citation = writer.phrase(&mut rng, 8..=8, 200);
        sources.push(Source {
            id: slug(&citation, n),
            citation,
        });
    }

    let mut people = real.people().to_vec();
    let mut names: HashSet<String> = people
        .iter()
        .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
        .map(|n| n.to_lowercase())
        .collect();
    while people.len() < 300 {
        let first = capitalized(&coin(&mut rng));
        let last = capitalized(&coin(&mut rng));
        let name = format!("{first} {last}");
        if names.contains(&name.to_lowercase()) || names.contains(&last.to_lowercase()) {
            continue;
        }
        names.insert(name.to_lowercase());
        names.insert(last.to_lowercase());
        let organization = rng.random_bool(0.2);
        let role = writer.phrase(&mut rng, 6..=20, 200);
        people.push(Person {
            id: slug(&name, people.len()),
            name,
            aliases: vec![last],
            kind: if organization {
                PersonKind::Organization
            } else {
                PersonKind::Person
            },
            role,
            source: sources.choose(&mut rng).expect("sources").id.clone(),
        });
    }
    let who = Zipf::new(people.len(), 1.0);

    let mut tags = real_tags;
    while tags.len() < 60 {
        let tag = coin(&mut rng);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let topic = Zipf::new(tags.len(), 1.0);

    let mut events = Vec::with_capacity(size);
    for n in 0..size {
        let title = writer.phrase(&mut rng, 3..=9, 80);
        let mut involved: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let id = &people[who.draw(&mut rng)].id;
            if !involved.contains(id) {
                involved.push(id.clone());
            }
        }
        let mut topics: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let tag = &tags[topic.draw(&mut rng)];
            if !topics.contains(tag) {
                topics.push(tag.clone());
            }
        }
        events.push(Event {
            id: slug(&title, n),
            date: random_date(&mut rng),
            summary: writer.sentences(&mut rng, 500),
            title,
            people: involved,
            tags: topics,
            source: sources.choose(&mut rng).expect("sources").id.clone(),
            date_source: None,
        });
    }

    let mut quotes = Vec::with_capacity(size);
    for n in 0..size {
        let text = writer.phrase(&mut rng, 4..=30, 600);
        let (speaker, speakers) = if rng.random_bool(0.9) {
            (Some(people[who.draw(&mut rng)].id.clone()), Vec::new())
        } else {
            let a = who.draw(&mut rng);
            let b = (a + 1 + rng.random_range(0..people.len() - 1)) % people.len();
            (None, vec![people[a].id.clone(), people[b].id.clone()])
        };
        let event = rng
            .random_bool(0.3)
            .then(|| &events[rng.random_range(0..size)]);
        let date = match event {
            Some(event) => rng.random_bool(0.8).then_some(event.date),
            None => rng.random_bool(0.7).then(|| random_date(&mut rng)),
        };
        quotes.push(Quote {
            id: slug(&text, n),
            speaker,
            speakers,
            context: writer.phrase(&mut rng, 4..=12, 160),
            venue: None,
            blank: None,
            decoys: Vec::new(),
            text,
            date,
            event: event.map(|e| e.id.clone()),
            source: sources.choose(&mut rng).expect("sources").id.clone(),
        });
    }
    (sources, people, events, quotes)
}

fn build(records: &Records) -> (Duration, Dataset) {
    let (sources, people, events, quotes) = records.clone();
    let start = Instant::now();
    let data = Dataset::from_records(sources, people, events, quotes)
        .unwrap_or_else(|e| panic!("the synthetic dataset is invalid: {e}"));
    (start.elapsed(), data)
}

/// The figures of one synthetic size.
struct Scale {
    build: Duration,
    searches: Vec<(&'static str, Stats)>,
    search_all: Stats,
    search_command: Stats,
    completes: Vec<(&'static str, Stats)>,
}

const SEARCHES: [&str; 8] = [
    "stargate",
    "stargat",
    "altmann",
    "sutskevar",
    "97.4",
    "musk lawsuit",
    "openai nonprofit board",
    "elon sues openai",
];

const TYPING: [(&str, &str, &str, &str); 4] = [
    ("events: stargate", "event", "title", "stargate"),
    ("people: sutsk", "person", "name", "sutsk"),
    ("quotes: last str", "quote", "quote", "last str"),
    ("tags: lawsuit", "timeline", "tag", "lawsuit"),
];

fn scale(real: &Dataset, size: usize) -> Scale {
    let started = Instant::now();
    let records = synthetic(real, size, 2025);
    let generated = started.elapsed();
    let runs = if size >= 100_000 { 3 } else { 5 };
    let (build, data) = median_run(runs, || build(&records));
    drop(records);
    println!(
        "   {size} events + {size} quotes, {} people, {} indexed words \
         (generated in {}, built {runs}×)",
        data.people().len(),
        data.index().word_count(),
        show(generated)
    );
    // Fewer calls at the large sizes, where each takes longer.
    let calls = match size {
        0..=1_000 => 2000,
        1_001..=10_000 => 600,
        _ => 150,
    };
    let mut pooled = Vec::new();
    let mut searches = Vec::new();
    for q in SEARCHES {
        let mut samples = Vec::with_capacity(calls);
        for _ in 0..calls / 10 {
            black_box(data.index().search(q, None, 8));
        }
        for _ in 0..calls {
            let start = Instant::now();
            black_box(data.index().search(q, None, 8));
            samples.push(start.elapsed());
        }
        pooled.extend_from_slice(&samples);
        searches.push((q, Stats::of(samples)));
    }
    let mut rng = StdRng::seed_from_u64(7);
    let invocation = parse_line("/search stargat").expect("a well-formed line");
    let search_command = time(calls, || ctx_run(&data, &mut rng, &invocation));
    let completes = TYPING
        .iter()
        .map(|(name, command, option, text)| {
            let rounds = (calls * 2 / text.len()).max(20);
            let stats = time_typing(rounds, text, |t| autocomplete(&data, command, option, t));
            (*name, stats)
        })
        .collect();
    Scale {
        build,
        searches,
        search_all: Stats::of(pooled),
        search_command,
        completes,
    }
}

fn growth(small: Duration, large: Duration) -> String {
    format!(
        "×{:.1}",
        large.as_secs_f64() / small.as_secs_f64().max(1e-9)
    )
}

fn synthetic_part(real: &Dataset) -> Vec<Scale> {
    println!("2. Synthetic datasets (seeded; Zipf-distributed words incl. the story's own)");
    let scales: Vec<Scale> = SIZES
        .iter()
        .map(|&size| scale(real, size))
        .collect::<Vec<_>>();
    println!();
    let header = |what: &str| {
        println!(
            "  {what:<32} {:>21} {:>21} {:>21}   {:>8} {:>8}",
            "1k p50 / p99", "10k p50 / p99", "100k p50 / p99", "p50 1k→", "p99 1k→"
        );
        println!(
            "  {:<32} {:>21} {:>21} {:>21}   {:>8} {:>8}",
            "", "", "", "", "100k", "100k"
        );
    };
    let line = |name: &str, pick: &dyn Fn(&Scale) -> Stats| {
        let all: Vec<Stats> = scales.iter().map(pick).collect();
        let cell = |s: &Stats| format!("{} / {}", show(s.p50), show(s.p99));
        println!(
            "  {name:<32} {:>21} {:>21} {:>21}   {:>8} {:>8}",
            cell(&all[0]),
            cell(&all[1]),
            cell(&all[2]),
            growth(all[0].p50, all[2].p50),
            growth(all[0].p99, all[2].p99)
        );
    };
    println!(
        "  {:<32} {:>21} {:>21} {:>21}   {:>8}",
        "build (validate + index), median",
        show(scales[0].build),
        show(scales[1].build),
        show(scales[2].build),
        growth(scales[0].build, scales[2].build)
    );
    println!();
    header("search (limit 8)");
    for (i, q) in SEARCHES.iter().enumerate() {
        line(&format!("search: {q}"), &|s: &Scale| s.searches[i].1);
    }
    line("search: all of the above", &|s: &Scale| s.search_all);
    line("command /search stargat", &|s: &Scale| s.search_command);
    println!();
    header("autocomplete, per keystroke");
    for (i, (name, ..)) in TYPING.iter().enumerate() {
        line(name, &|s: &Scale| s.completes[i].1);
    }
    println!();
    scales
}

fn main() {
    let started = Instant::now();
    machine();
    let (load, worst) = shipped();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let real = Dataset::load(&dir).expect("the shipped dataset is valid");
    let scales = synthetic_part(&real);
    let large = scales.last().expect("three sizes");
    let mut search = Worst::default();
    for (name, stats) in &large.searches {
        search.note(name, *stats);
    }
    search.note("/search stargat", large.search_command);
    let mut complete = Worst::default();
    let mut tags = Worst::default();
    for (name, stats) in &large.completes {
        if name.starts_with("tags") {
            tags.note(name, *stats);
        } else {
            complete.note(name, *stats);
        }
    }
    println!("Targets (the slowest operation of each group)");
    println!(
        "  {:<40} p50 {:>9} (median of {} runs)   ≤ {:<8} {}",
        "shipped data: load + validate + index",
        show(load.p50),
        load.calls,
        show(LOAD_TARGET),
        verdict(load.p50, LOAD_TARGET)
    );
    worst.print("shipped data: any query or command", QUERY_TARGET);
    search.print("100k: search", SEARCH_TARGET);
    complete.print("100k: autocomplete events/people/quotes", COMPLETE_TARGET);
    tags.print("100k: autocomplete tags", COMPLETE_TARGET);
    println!("\nwhole run: {}", show(started.elapsed()));
}
