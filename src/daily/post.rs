//! What a daily post says: the events of this calendar day in past years when the
//! story has any ("On this day in 2025…"), otherwise the next fact of the server's
//! rotation of events and quotes.
//!
//! The rotation is a shuffle of every event and quote that repeats nothing until all
//! have been posted, then reshuffles. Each cycle's order comes from the server's seed
//! and the cycle number alone, so the store keeps only three small numbers per server
//! and a restart continues exactly where the rotation stood.

use chrono::{Datelike, NaiveDate};

use crate::cards::{event_button, event_footer, quote_card};
use crate::data::{Dataset, Event, Quote};
use crate::query::on_this_day;
use crate::reply::{Button, ButtonStyle, Reply, Tone};

/// Where a server's rotation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rotation {
    /// The server's seed: each server gets its own order.
    pub seed: u64,
    /// How many times the rotation has gone through everything.
    pub cycle: u32,
    /// How many facts of this cycle have been posted.
    pub position: u32,
    /// How many facts the dataset had when this cycle began; a cycle begun with another
    /// dataset ends, since its order no longer applies.
    pub size: u32,
}

/// One fact of the rotation.
#[derive(Clone, Copy, Debug)]
pub enum Fact<'d> {
    /// An event.
    Event(&'d Event),
    /// A quote.
    Quote(&'d Quote),
}

/// SplitMix64: a tiny, fixed generator, so that a rotation's order never changes
/// with a library upgrade (rand's `StdRng` makes no such promise).
fn split_mix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Every fact of `data` in a fixed order: events, then quotes.
fn facts(data: &Dataset) -> Vec<Fact<'_>> {
    data.events()
        .iter()
        .map(Fact::Event)
        .chain(data.quotes().iter().map(Fact::Quote))
        .collect()
}

/// A Fisher–Yates shuffle of `0..size` from the seed and cycle alone.
fn shuffle(seed: u64, cycle: u32, size: u32) -> Vec<u32> {
    let mut state = seed ^ u64::from(cycle).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    let mut order: Vec<u32> = (0..size).collect();
    for i in (1..order.len()).rev() {
        let j = (split_mix(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

impl Rotation {
    /// A new server's rotation: its own seed, derived from its id.
    pub fn new(guild_id: u64) -> Rotation {
        let mut state = guild_id;
        Rotation {
            seed: split_mix(&mut state),
            cycle: 0,
            position: 0,
            size: 0,
        }
    }

    /// The rotation as it applies to a dataset of `size` facts: a finished cycle, or
    /// one begun with another dataset, gives way to the next cycle.
    fn settled(self, size: u32) -> Rotation {
        if self.size == size && self.position < size {
            return self;
        }
        let fresh = self.size == 0 && self.position == 0;
        Rotation {
            cycle: if fresh {
                self.cycle
            } else {
                self.cycle.wrapping_add(1)
            },
            position: 0,
            size,
            ..self
        }
    }

    /// The order of facts in this rotation's cycle. From the second cycle on, the
    /// first fact is never the one the previous cycle ended with.
    pub fn order(&self) -> Vec<u32> {
        let mut order = shuffle(self.seed, self.cycle, self.size);
        if self.cycle > 0 && order.len() >= 3 {
            let before = shuffle(self.seed, self.cycle - 1, self.size);
            // Swapping the first two never moves the last, so `before`'s last fact is
            // the same whether or not its own first two were swapped.
            if before.last() == order.first() {
                order.swap(0, 1);
            }
        }
        order
    }

    /// The fact this rotation posts next, and the rotation after posting it; `None`
    /// when the dataset has no events or quotes at all.
    pub fn next<'d>(&self, data: &'d Dataset) -> Option<(Fact<'d>, Rotation)> {
        let facts = facts(data);
        let size = u32::try_from(facts.len()).ok()?;
        let settled = self.settled(size);
        let index = *settled.order().get(settled.position as usize)?;
        let fact = *facts.get(index as usize)?;
        let after = Rotation {
            position: settled.position + 1,
            ..settled
        };
        Some((fact, after))
    }
}

/// What a post is about.
#[derive(Clone, Debug)]
pub enum Subject<'d> {
    /// Events of this calendar day in past years, oldest first.
    OnThisDay(Vec<&'d Event>),
    /// A fact from the rotation.
    Fact(Fact<'d>),
}

impl Subject<'_> {
    /// A short key for the ledger: `onthisday:<event id>`, `event:<id>` or
    /// `quote:<id>`.
    pub fn key(&self) -> String {
        match self {
            Subject::OnThisDay(events) => {
                let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
                format!("onthisday:{}", ids.join(","))
            }
            Subject::Fact(Fact::Event(event)) => format!("event:{}", event.id),
            Subject::Fact(Fact::Quote(quote)) => format!("quote:{}", quote.id),
        }
    }
}

/// A daily post, ready to send.
#[derive(Clone, Debug)]
pub struct DailyPost<'d> {
    /// What it is about.
    pub subject: Subject<'d>,
    pub reply: Reply,
    /// The rotation once this post has gone out: `Some` when the post came from the
    /// rotation, to be stored with the "sent" mark.
    pub rotation: Option<Rotation>,
}

/// The post for local date `date`: that day's events when the story has any,
/// otherwise the rotation's next fact. `None` only for a dataset without events or
/// quotes.
pub fn compose<'d>(
    data: &'d Dataset,
    date: NaiveDate,
    rotation: &Rotation,
) -> Option<DailyPost<'d>> {
    let today = on_this_day(data, date.month(), date.day(), 0).events;
    if !today.is_empty() {
        return Some(DailyPost {
            reply: on_this_day_reply(data, &today),
            subject: Subject::OnThisDay(today),
            rotation: None,
        });
    }
    let (fact, after) = rotation.next(data)?;
    Some(DailyPost {
        reply: fact_reply(data, fact),
        subject: Subject::Fact(fact),
        rotation: Some(after),
    })
}

/// The ledger key of a post as a line for people: the event's title or the quote's
/// first words; `None` for a key this dataset does not know.
pub fn describe(data: &Dataset, key: &str) -> Option<String> {
    let (kind, id) = key.split_once(':')?;
    match kind {
        "onthisday" => {
            let titles: Option<Vec<&str>> = id
                .split(',')
                .map(|id| data.event(id).map(|e| e.title.as_str()))
                .collect();
            Some(format!("On this day: {}", titles?.join("; ")))
        }
        "event" => data.event(id).map(|e| e.title.clone()),
        "quote" => data.quote(id).map(|q| {
            format!(
                "“{}” — {}",
                crate::reply::fit(&q.text, 80),
                data.speakers(q)
            )
        }),
        _ => None,
    }
}

fn full_event_button(event: &Event, label: &str) -> Button {
    event_button(event, label, ButtonStyle::Primary)
}

fn on_this_day_reply(data: &Dataset, events: &[&Event]) -> Reply {
    let mut years: Vec<String> = events.iter().map(|e| e.date.year().to_string()).collect();
    years.dedup();
    let years = match years.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => years.concat(),
    };
    let text: Vec<String> = events
        .iter()
        .map(|e| format!("**{}**\n{}", e.title, e.summary))
        .collect();
    let footers: Vec<String> = events.iter().map(|e| event_footer(data, e)).collect();
    let buttons = match events {
        [event] => vec![full_event_button(event, "See the full event")],
        _ => events
            .iter()
            .map(|e| full_event_button(e, &format!("See: {}", e.title)))
            .collect(),
    };
    Reply::new(Tone::Event, &format!("On this day in {years}…"))
        .text(text.join("\n\n"))
        .footer(&footers.join(" · "))
        .buttons(buttons)
        .fit_total()
}

fn fact_reply(data: &Dataset, fact: Fact) -> Reply {
    match fact {
        Fact::Event(event) => {
            let people: Vec<&str> = event.people.iter().map(|id| data.name(id)).collect();
            Reply::new(Tone::Event, &event.title)
                .text(&event.summary)
                .field("When", event.date.human(), true)
                .field("Who", people.join(", "), true)
                .footer(&format!("Daily feud fact · {}", event_footer(data, event)))
                .buttons(vec![full_event_button(event, "See the full event")])
        }
        // The quote as `/quote` shows it, with its event button when it has one.
        Fact::Quote(quote) => quote_card(data, quote, None).footer(&format!(
            "Daily feud quote · Source: {}",
            data.citation(&quote.source)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_permutations_fixed_by_seed_and_cycle() {
        let a = shuffle(7, 0, 37);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..37).collect::<Vec<u32>>());
        assert_eq!(a, shuffle(7, 0, 37));
        assert_ne!(a, shuffle(7, 1, 37));
        assert_ne!(a, shuffle(8, 0, 37));
        // Pinned: a change here would reorder every server's rotation on upgrade.
        assert_eq!(shuffle(1, 0, 5), [2, 1, 4, 3, 0]);
    }

    #[test]
    fn settling_starts_a_new_cycle_when_done_or_when_the_dataset_changed() {
        let fresh = Rotation::new(42);
        assert_eq!(fresh.settled(10).cycle, 0);
        let done = Rotation {
            cycle: 3,
            position: 10,
            size: 10,
            ..fresh
        };
        assert_eq!(done.settled(10).cycle, 4);
        assert_eq!(done.settled(10).position, 0);
        let midway = Rotation {
            position: 4,
            ..done
        };
        assert_eq!(midway.settled(10), midway);
        assert_eq!(midway.settled(11).cycle, 4, "another dataset: a new cycle");
    }

    #[test]
    fn a_new_cycle_never_starts_with_the_fact_the_last_one_ended_with() {
        for seed in 0..200 {
            for cycle in 1..6 {
                let at = |cycle| Rotation {
                    seed,
                    cycle,
                    position: 0,
                    size: 5,
                };
                assert_ne!(
                    at(cycle - 1).order().last(),
                    at(cycle).order().first(),
                    "seed {seed} cycle {cycle}"
                );
            }
        }
    }
}
