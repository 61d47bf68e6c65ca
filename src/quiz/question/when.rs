//! "When?": in which year, or month, an event happened.
//!
//! Easy asks the year among options two years apart, medium among consecutive years,
//! hard the month among consecutive months, only of events dated at least to the
//! month. Headlines that give the year (or the month) away are left out.

use rand::{Rng, RngCore};

use super::{Body, Kind, OPTIONS, SourceRef, Spec, Template, event_citation, event_explanation};
use crate::data::{Dataset, Date, Difficulty, month_name};

pub(super) const SPEC: Spec = Spec {
    title: "When?",
    generate,
};

/// A template per event; the prompt is made when asked, as it names the year or month.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    for event in data.events() {
        // A bound ("by February 2025") does not say when: nothing to ask.
        if event.date.is_bound()
            || event.title.contains(&event.date.year().to_string())
            || event
                .date
                .month()
                .is_some_and(|m| event.title.contains(month_name(m)))
        {
            continue;
        }
        templates.push(Template {
            kind: Kind::When,
            prompt: String::new(),
            explanation: event_explanation(event),
            source: SourceRef::Event(event.id.clone()),
            citation: event_citation(data, event),
            body: Body::Dated {
                date: event.date,
                title: event.title.clone(),
            },
        });
    }
}

/// Whether the date can be asked at `difficulty`: the month only when it is known.
pub(super) fn offered(date: Date, difficulty: Difficulty) -> bool {
    difficulty != Difficulty::Hard || date.month().is_some()
}

/// The prompt, the options and the index of the right one, for the date of the event
/// headlined `title`.
pub(super) fn ask(
    date: Date,
    title: &str,
    difficulty: Difficulty,
    rng: &mut dyn RngCore,
) -> (String, Vec<String>, usize) {
    // A window of consecutive years (or months) with the true one at a uniform
    // position; easy questions space the years two apart.
    let at = rng.random_range(0..OPTIONS);
    let options = match (difficulty, date.month()) {
        (Difficulty::Hard, Some(month)) => {
            let true_month = date.year() * 12 + month as i32 - 1;
            (0..OPTIONS)
                .map(|i| {
                    let m = true_month + i as i32 - at as i32;
                    format!(
                        "{} {}",
                        month_name((m.rem_euclid(12) + 1) as u32),
                        m.div_euclid(12)
                    )
                })
                .collect()
        }
        _ => {
            let step = if difficulty == Difficulty::Easy { 2 } else { 1 };
            (0..OPTIONS)
                .map(|i| (date.year() + (i as i32 - at as i32) * step).to_string())
                .collect()
        }
    };
    let unit = if difficulty == Difficulty::Hard {
        "month"
    } else {
        "year"
    };
    (
        format!("In which {unit} did this happen?\n**{title}**"),
        options,
        at,
    )
}
