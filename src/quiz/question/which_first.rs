//! "Which came first?": two events, the earlier one to pick.
//!
//! Only events whose dates cannot overlap are paired: `2015` and `2015-05` never are.
//! Difficulty by distance: three years or more apart is easy, one or two years medium,
//! the same year hard.

use super::{Body, Kind, SourceRef, Spec, Template, event_citation};
use crate::data::{Dataset, Difficulty};

pub(super) const SPEC: Spec = Spec {
    title: "Which came first?",
    generate,
};

/// A template per ordered pair of events.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    for earlier in data.events() {
        for later in data.events() {
            if earlier.date.span().1 >= later.date.span().0
                || earlier.title.eq_ignore_ascii_case(&later.title)
            {
                continue;
            }
            let difficulty = match later.date.year() - earlier.date.year() {
                0 => Difficulty::Hard,
                1 | 2 => Difficulty::Medium,
                _ => Difficulty::Easy,
            };
            templates.push(Template {
                kind: Kind::WhichFirst,
                prompt: "Which came first?".to_string(),
                explanation: format!(
                    "**{}** ({}) came before **{}** ({}).",
                    earlier.title,
                    earlier.date.human(),
                    later.title,
                    later.date.human()
                ),
                source: SourceRef::Event(earlier.id.clone()),
                citation: event_citation(data, earlier),
                body: Body::Fixed {
                    answer: earlier.title.clone(),
                    wrong: vec![later.title.clone()],
                    difficulty,
                },
            });
        }
    }
}
