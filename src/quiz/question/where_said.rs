//! "Where was it said?": a quote, and where it was said (on X, in an email, to
//! Bloomberg).
//!
//! Only quotes whose venue the data gives are asked, and not one whose words are also
//! part of a quote said elsewhere (or nobody knows where): it would have two right
//! answers. Wrong options: the venues of other quotes, the most tempting first (where
//! one of the speakers also spoke, then where someone spoke the same year); the three
//! most tempting make a hard question, the three least an easy one, any three a medium
//! one.

use std::cmp::Reverse;

use super::{Body, Kind, OPTIONS, SourceRef, Spec, Template, distinct, quote_explanation};
use crate::data::{Dataset, Quote};

pub(super) const SPEC: Spec = Spec {
    title: "Where was it said?",
    generate,
};

/// A template per quote with a venue of its own.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    for quote in data.quotes() {
        let Some(venue) = &quote.venue else {
            continue;
        };
        if said_elsewhere(data, quote) {
            continue;
        }
        let mut others = distinct(data.quotes().iter().filter_map(|q| q.venue.clone()), venue);
        // The sort is stable: venues equally tempting keep the order of the file.
        others.sort_by_key(|other| Reverse(tempting(data, quote, other)));
        let three = OPTIONS - 1;
        templates.push(Template {
            kind: Kind::WhereSaid,
            prompt: format!(
                "Where was it said?\nThe words of {}:\n> “{}”",
                data.speakers(quote),
                quote.text
            ),
            explanation: quote_explanation(data, quote),
            source: SourceRef::Quote(quote.id.clone()),
            citation: data.citation(&quote.source).to_string(),
            body: Body::Pick {
                answer: venue.clone(),
                pools: [
                    others[others.len().saturating_sub(three)..].to_vec(),
                    others.clone(),
                    others[..others.len().min(three)].to_vec(),
                ],
            },
        });
    }
}

/// Whether another quote, said somewhere else or nobody knows where, holds the words of
/// `quote`.
fn said_elsewhere(data: &Dataset, quote: &Quote) -> bool {
    let words = quote.text.to_lowercase();
    data.quotes().iter().any(|other| {
        other.id != quote.id
            && !other
                .venue
                .as_deref()
                .zip(quote.venue.as_deref())
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
            && other.text.to_lowercase().contains(&words)
    })
}

/// How tempting `venue` is as a wrong answer for `quote`: whether one of its speakers
/// also spoke there, then whether someone spoke there the same year.
fn tempting(data: &Dataset, quote: &Quote, venue: &str) -> (bool, bool) {
    let said_there = || {
        data.quotes().iter().filter(move |q| {
            q.venue
                .as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case(venue))
        })
    };
    let by_a_speaker =
        said_there().any(|q| q.speaker_ids().any(|s| quote.speaker_ids().any(|t| t == s)));
    let same_year = said_there().any(|q| {
        q.date
            .zip(quote.date)
            .is_some_and(|(a, b)| a.year() == b.year())
    });
    (by_a_speaker, same_year)
}
