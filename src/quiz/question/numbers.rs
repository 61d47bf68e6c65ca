//! "How much?": an amount of money, left out of the one sentence of the story that
//! holds it.
//!
//! The sentence is an event's summary (unless the amount is a bound, "less than $10
//! billion", which a smaller amount would satisfy too) or a quote (whose exact words are
//! the answer); sentences with two different amounts are left out. Wrong options: the 4
//! closest of the story's other amounts and round amounts (hard), the 8 closest
//! (medium), or amounts 4 to 1000 times off (easy).

use std::collections::BTreeSet;

use super::{Body, Kind, SourceRef, Spec, Template, event_citation, event_explanation};
use crate::data::Dataset;

pub(super) const SPEC: Spec = Spec {
    title: "How much?",
    generate,
};

/// A template per sentence with one amount.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    struct Blank {
        prompt: String,
        value: Millions,
        explanation: String,
        source: SourceRef,
        citation: String,
    }
    let blanked = |text: &str| -> Option<(String, Millions)> {
        let found = amounts(text);
        let value = found.first()?.2;
        if found.iter().any(|(_, _, v)| *v != value) {
            return None;
        }
        let mut out = String::new();
        let mut from = 0;
        for (start, end, _) in &found {
            out.push_str(&text[from..*start]);
            out.push_str("____");
            from = *end;
        }
        out.push_str(&text[from..]);
        Some((out, value))
    };
    let mut blanks = Vec::new();
    let mut story: BTreeSet<Millions> = BTreeSet::new();
    for event in data.events() {
        story.extend(amounts(&event.summary).into_iter().map(|(_, _, v)| v));
        let bounded = amounts(&event.summary)
            .iter()
            .any(|(start, _, _)| BOUNDS.iter().any(|b| event.summary[..*start].ends_with(b)));
        if let (Some((text, value)), false) = (blanked(&event.summary), bounded) {
            blanks.push(Blank {
                prompt: format!("Fill in the amount:\n> {text}"),
                value,
                explanation: event_explanation(event),
                source: SourceRef::Event(event.id.clone()),
                citation: event_citation(data, event),
            });
        }
    }
    for quote in data.quotes() {
        story.extend(amounts(&quote.text).into_iter().map(|(_, _, v)| v));
        if let Some((text, value)) = blanked(&quote.text) {
            let speakers = data.speakers(quote);
            blanks.push(Blank {
                prompt: format!(
                    "Complete the words of {speakers} ({}):\n> “{text}”",
                    quote.context
                ),
                value,
                explanation: format!("**{speakers}**: “{}” ({}).", quote.text, quote.context),
                source: SourceRef::Quote(quote.id.clone()),
                citation: data.citation(&quote.source).to_string(),
            });
        }
    }
    let round = (0..7).flat_map(|power| [1, 2, 5].map(|m| m * 10u64.pow(power)));
    let candidates: BTreeSet<Millions> = story.into_iter().chain(round).collect();
    for blank in blanks {
        let answer = money(blank.value);
        let distance = |v: Millions| (v as f64 / blank.value as f64).ln().abs();
        let mut others: Vec<Millions> = candidates
            .iter()
            .copied()
            .filter(|v| money(*v) != answer)
            .collect();
        others.sort_by(|a, b| distance(*a).total_cmp(&distance(*b)));
        let names = |values: &[Millions]| values.iter().map(|v| money(*v)).collect::<Vec<_>>();
        let far: Vec<Millions> = others
            .iter()
            .copied()
            .filter(|v| (4f64.ln()..=1000f64.ln()).contains(&distance(*v)))
            .collect();
        templates.push(Template {
            kind: Kind::Numbers,
            prompt: blank.prompt,
            explanation: blank.explanation,
            source: blank.source,
            citation: blank.citation,
            body: Body::Pick {
                answer,
                pools: [
                    names(&far),
                    names(&others[..others.len().min(8)]),
                    names(&others[..others.len().min(4)]),
                ],
            },
        });
    }
}

/// An amount of money in millions of dollars.
type Millions = u64;

/// Every `$97.4 billion`-like amount in `text`: its byte range and value.
fn amounts(text: &str) -> Vec<(usize, usize, Millions)> {
    let mut found = Vec::new();
    for (start, _) in text.match_indices('$') {
        let rest = &text[start + 1..];
        let number_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = rest[..number_len].trim_end_matches('.');
        let after = &rest[number.len()..];
        let unit = [
            (" million", 1),
            (" billion", 1_000),
            (" trillion", 1_000_000),
        ]
        .into_iter()
        .find(|(word, _)| after.starts_with(word));
        let (Some((word, unit)), Some(value)) = (unit, millions(number)) else {
            continue;
        };
        let Some(value) = value.checked_mul(unit).map(|v| v / 1000) else {
            continue;
        };
        let end = start + 1 + number.len() + word.len();
        if text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
            && value > 0
        {
            found.push((start, end, value));
        }
    }
    found
}

/// `97.4` as thousandths (97 400), at most three decimals.
fn millions(number: &str) -> Option<u64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let padded = format!("{fraction:0<3}");
    whole
        .parse::<u64>()
        .ok()?
        .checked_mul(1000)?
        .checked_add(padded.parse::<u64>().ok()?)
}

/// `$97.4 billion`, `$1 trillion`, `$500 million`.
fn money(value: Millions) -> String {
    let (amount, unit) = if value >= 1_000_000 {
        (value as f64 / 1_000_000.0, "trillion")
    } else if value >= 1_000 {
        (value as f64 / 1_000.0, "billion")
    } else {
        (value as f64, "million")
    };
    let text = format!("{amount:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("${text} {unit}")
}

/// Words before an amount that make it a bound, which other amounts would satisfy too.
const BOUNDS: &[&str] = &[
    "less than ",
    "more than ",
    "over ",
    "under ",
    "about ",
    "nearly ",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_and_written_back() {
        let text = "Musk offered $97.4 billion; SoftBank has less than $10 billion, and $1 trillion, $500 million.";
        let found: Vec<String> = amounts(text)
            .into_iter()
            .map(|(_, _, v)| money(v))
            .collect();
        assert_eq!(
            found,
            [
                "$97.4 billion",
                "$10 billion",
                "$1 trillion",
                "$500 million"
            ]
        );
        assert!(amounts("$5 and $x billion and $3 billions").is_empty());
    }
}
