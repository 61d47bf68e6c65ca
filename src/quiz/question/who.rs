//! "Who?": the first person of an event named in its headline, left out.
//!
//! Wrong options: people (or organizations, for an organization) who are not part of
//! the event, the four most present in the story (hard), the four least (easy), or any
//! (medium).

use super::{
    Body, Kind, SourceRef, Spec, Template, distinct, event_citation, event_explanation, mentions,
    names, occurrences,
};
use crate::data::{Dataset, Person};

pub(super) const SPEC: Spec = Spec {
    title: "Who?",
    generate,
};

/// A template per event whose headline names one of its people.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    let presence = |person: &Person| {
        data.events()
            .iter()
            .filter(|e| e.people.contains(&person.id))
            .count()
    };
    for event in data.events() {
        let named = event
            .people
            .iter()
            .filter_map(|id| data.person(id))
            .flat_map(|person| {
                names(person).flat_map(move |name| {
                    occurrences(&event.title, name)
                        .into_iter()
                        .map(move |(start, end)| (start, std::cmp::Reverse(end), person))
                })
            })
            .min_by_key(|(start, end, _)| (*start, *end));
        let Some((start, std::cmp::Reverse(end), person)) = named else {
            continue;
        };
        let blanked = format!("{}____{}", &event.title[..start], &event.title[end..]);
        if mentions(&blanked, person) {
            continue;
        }
        let mut pool: Vec<&Person> = data
            .people()
            .iter()
            .filter(|p| p.kind == person.kind && !event.people.contains(&p.id))
            .collect();
        // Most present first; the sort is stable, so ties keep file order.
        pool.sort_by_key(|p| std::cmp::Reverse(presence(p)));
        let pool = distinct(pool.iter().map(|p| p.name.clone()), &person.name);
        let least = pool[pool.len().saturating_sub(4)..].to_vec();
        let most = pool[..pool.len().min(4)].to_vec();
        templates.push(Template {
            kind: Kind::Who,
            prompt: format!(
                "Who fills the blank?\n**{blanked}** ({})",
                event.date.human()
            ),
            explanation: event_explanation(event),
            source: SourceRef::Event(event.id.clone()),
            citation: event_citation(data, event),
            body: Body::Pick {
                answer: person.name.clone(),
                pools: [least, pool, most],
            },
        });
    }
}
