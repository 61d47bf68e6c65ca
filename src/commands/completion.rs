//! Autocomplete: what an option offers for what was typed so far.

use super::spec::Completion;
use crate::data::Dataset;
use crate::reply::limits::{CHOICE_MAX, CHOICES_MAX};
use crate::reply::{Choice, fit};
use crate::search::DocKind;

impl Completion {
    /// Up to 25 choices for what was typed: matching names first, then close ones.
    /// With nothing typed, the first entries in their natural order.
    pub fn choices(self, data: &Dataset, typed: &str) -> Vec<Choice> {
        let choice = |name: String, value: &str| Choice {
            name: fit(&name, CHOICE_MAX),
            value: value.to_string(),
        };
        let positions = |kind: DocKind, count: usize| -> Vec<usize> {
            if typed.trim().is_empty() {
                (0..count.min(CHOICES_MAX)).collect()
            } else {
                data.index()
                    .complete(kind, typed, CHOICES_MAX)
                    .into_iter()
                    .map(|i| i as usize)
                    .collect()
            }
        };
        match self {
            Completion::Events => positions(DocKind::Event, data.events().len())
                .into_iter()
                .map(|i| &data.events()[i])
                .map(|e| choice(format!("{} · {}", e.date, e.title), &e.id))
                .collect(),
            Completion::People => positions(DocKind::Person, data.people().len())
                .into_iter()
                .map(|i| &data.people()[i])
                .map(|p| choice(p.name.clone(), &p.id))
                .collect(),
            Completion::Quotes => positions(DocKind::Quote, data.quotes().len())
                .into_iter()
                .map(|i| &data.quotes()[i])
                .map(|q| choice(format!("“{}” — {}", q.text, data.speakers(q)), &q.id))
                .collect(),
            Completion::Tags => {
                let names = data.tags().iter().map(|(tag, _)| tag.as_str());
                let picked: Vec<&str> = if typed.trim().is_empty() {
                    names.take(CHOICES_MAX).collect()
                } else {
                    crate::query::closest(typed.trim(), names, CHOICES_MAX)
                };
                picked
                    .into_iter()
                    .map(|tag| {
                        let count = data.tag_count(tag);
                        choice(format!("{tag} ({count} events)"), tag)
                    })
                    .collect()
            }
            Completion::TimeZones => crate::daily::zone_choices(typed),
        }
    }
}
