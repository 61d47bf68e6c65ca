//! Questions asked of the dataset: timeline filters, lookups by id, name or words,
//! on-this-day. Pure functions over a [`Dataset`].

use std::collections::HashSet;

use rand::RngCore;
use rand::seq::IndexedRandom;

use crate::data::{Dataset, Event, Person, Quote};
use crate::search::{DocKind, distance, normalize, telling};

pub use crate::reply::TimelineFilter;

/// The events that pass `filter`, oldest first.
pub fn timeline<'d>(data: &'d Dataset, filter: &TimelineFilter) -> Vec<&'d Event> {
    let matching_text: Option<HashSet<u32>> = filter.text.as_deref().map(|text| {
        let wanted = crate::search::terms(text).count().max(1);
        let (hits, _) = data.index().search(text, Some(DocKind::Event), usize::MAX);
        hits.into_iter()
            .filter(|hit| hit.matched >= wanted)
            .map(|hit| hit.doc.index)
            .collect()
    });
    data.events()
        .iter()
        .enumerate()
        .filter(|(i, event)| {
            filter
                .years
                .is_none_or(|(from, to)| (from..=to).contains(&event.date.year()))
                && filter
                    .person
                    .as_ref()
                    .is_none_or(|id| event.people.contains(id))
                && filter
                    .tag
                    .as_ref()
                    .is_none_or(|tag| event.tags.contains(tag))
                && matching_text
                    .as_ref()
                    .is_none_or(|set| set.contains(&(*i as u32)))
        })
        .map(|(_, event)| event)
        .collect()
}

/// Reads `2024`, `2015-2018` or `2015..2018` as an inclusive range of years.
pub fn parse_years(text: &str) -> Option<(i32, i32)> {
    let text = text.trim();
    let year = |s: &str| -> Option<i32> {
        let s = s.trim();
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (from, to) = match text
        .split_once("..")
        .or_else(|| text.split_once(['-', '–']))
    {
        Some((from, to)) => (year(from)?, year(to)?),
        None => (year(text)?, year(text)?),
    };
    Some((from.min(to), from.max(to)))
}

/// The slice of `items` on 1-based `page`, with the number of pages (at least 1).
/// A page past the end shows the last page, so an old button still shows something.
pub fn page<T>(items: &[T], page: usize, per_page: usize) -> (&[T], usize, usize) {
    let pages = items.len().div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * per_page;
    let end = (start + per_page).min(items.len());
    (&items[start.min(end)..end], page, pages)
}

/// The person meant by `text`: an id, a name or an alias (any case), else the closest
/// name within a typo or two. Words found everywhere ("the", "person") match no one
/// on their own.
pub fn find_person<'d>(data: &'d Dataset, text: &str) -> Option<&'d Person> {
    if let Some(person) = data.person(text.trim()) {
        return Some(person);
    }
    let wanted = normalize(text);
    let names_match = |p: &&Person| {
        std::iter::once(&p.name)
            .chain(&p.aliases)
            .any(|name| normalize(name) == wanted)
    };
    if let Some(person) = data.people().iter().find(names_match) {
        return Some(person);
    }
    let telling = telling(text);
    if telling.is_empty() {
        return None;
    }
    let people = data.people();
    let named = |typed: &str| {
        let positions = data.index().complete(DocKind::Person, typed, 1);
        positions.first().map(|&i| &people[i as usize])
    };
    named(text).or_else(|| named(&telling.join(" ")))
}

/// The event meant by `text`: its id, else the event whose title starts with it (or
/// nearly), else the best search match among events for its telling words. Words found
/// everywhere ("the", "event") match nothing on their own.
pub fn find_event<'d>(data: &'d Dataset, text: &str) -> Option<&'d Event> {
    let events = data.events();
    if let Some(event) = data.event(text.trim()) {
        return Some(event);
    }
    let telling = telling(text);
    if telling.is_empty() {
        return None;
    }
    let query = telling.join(" ");
    let titled = |typed: &str| {
        let positions = data.index().complete(DocKind::Event, typed, 1);
        positions.first().map(|&i| &events[i as usize])
    };
    titled(text).or_else(|| titled(&query)).or_else(|| {
        let (hits, _) = data.index().search(&query, Some(DocKind::Event), 1);
        hits.first().map(|hit| &events[hit.doc.index as usize])
    })
}

/// The quote meant by `text`, optionally only among those of `speaker`: its id, else
/// a quote that starts with the words (or nearly), else the best search match for its
/// telling words. Words found everywhere ("the", "quote") match nothing on their own.
pub fn find_quote<'d>(data: &'d Dataset, text: &str, speaker: Option<&str>) -> Option<&'d Quote> {
    let by = |q: &&Quote| speaker.is_none_or(|id| q.speaker_ids().any(|s| s == id));
    let quotes = data.quotes();
    if let Some(quote) = data.quote(text.trim()).filter(by) {
        return Some(quote);
    }
    let telling = telling(text);
    if telling.is_empty() {
        return None;
    }
    let query = telling.join(" ");
    let starting = |typed: &str| {
        let positions = data.index().complete(DocKind::Quote, typed, usize::MAX);
        positions.into_iter().map(|i| &quotes[i as usize]).find(by)
    };
    starting(text).or_else(|| starting(&query)).or_else(|| {
        let (hits, _) = data
            .index()
            .search(&query, Some(DocKind::Quote), usize::MAX);
        hits.into_iter()
            .map(|hit| &quotes[hit.doc.index as usize])
            .find(by)
    })
}

/// Every quote of `speaker` (all quotes when `None`).
pub fn quotes_by<'d>(data: &'d Dataset, speaker: Option<&str>) -> Vec<&'d Quote> {
    data.quotes()
        .iter()
        .filter(|q| speaker.is_none_or(|id| q.speaker_ids().any(|s| s == id)))
        .collect()
}

/// One quote picked by `rng` among `quotes`.
pub fn random_quote<'d>(quotes: &[&'d Quote], rng: &mut dyn RngCore) -> Option<&'d Quote> {
    quotes.choose(rng).copied()
}

/// The quotes that belong to an event.
pub fn quotes_of_event<'d>(data: &'d Dataset, event_id: &str) -> Vec<&'d Quote> {
    data.quotes()
        .iter()
        .filter(|q| q.event.as_deref() == Some(event_id))
        .collect()
}

/// The events of a person, oldest first.
pub fn events_of<'d>(data: &'d Dataset, person_id: &str) -> Vec<&'d Event> {
    data.events()
        .iter()
        .filter(|e| e.people.iter().any(|p| p == person_id))
        .collect()
}

/// What on-this-day found for a calendar day.
#[derive(Debug)]
pub struct OnThisDay<'d> {
    /// Events dated to this very month and day, oldest first.
    pub events: Vec<&'d Event>,
    /// When there are none: the day-precise events closest in the calendar, nearest first.
    pub nearest: Vec<&'d Event>,
}

/// Day of a 366-day year, so that 29 February has its own place.
fn day_of_year(month: u32, day: u32) -> i32 {
    const STARTS: [i32; 12] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
    STARTS[(month.clamp(1, 12) - 1) as usize] + day as i32
}

/// The events that happened on `month`/`day` in any year; when there are none, the
/// `nearest` day-precise events, by days apart in the calendar either way.
pub fn on_this_day(data: &Dataset, month: u32, day: u32, nearest: usize) -> OnThisDay<'_> {
    let dated: Vec<(&Event, (u32, u32))> = data
        .events()
        .iter()
        .filter_map(|e| Some((e, e.date.month_day()?)))
        .collect();
    let events: Vec<&Event> = dated
        .iter()
        .filter(|(_, md)| *md == (month, day))
        .map(|(e, _)| *e)
        .collect();
    let mut others: Vec<(i32, &Event)> = Vec::new();
    if events.is_empty() {
        let today = day_of_year(month, day);
        others = dated
            .iter()
            .map(|(e, (m, d))| {
                let apart = (day_of_year(*m, *d) - today).rem_euclid(366);
                (apart.min(366 - apart), *e)
            })
            .collect();
        others.sort_by_key(|(apart, e)| (*apart, e.date));
        others.truncate(nearest);
    }
    OnThisDay {
        events,
        nearest: others.into_iter().map(|(_, e)| e).collect(),
    }
}

/// Every tag, alphabetically, with how many events carry it.
/// Counted once when the dataset is built ([`Dataset::tags`]).
pub fn tags(data: &Dataset) -> Vec<(&str, usize)> {
    data.tags()
        .iter()
        .map(|(tag, count)| (tag.as_str(), *count))
        .collect()
}

/// The `limit` candidates closest to `typed` by edit distance, for "did you mean".
pub fn closest<'c>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    limit: usize,
) -> Vec<&'c str> {
    let typed = typed.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| {
            let starts = c.starts_with(&typed) && !typed.is_empty();
            (if starts { 0 } else { distance(&typed, c) }, c)
        })
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .collect();
    scored.sort();
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}
