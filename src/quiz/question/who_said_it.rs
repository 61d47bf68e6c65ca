//! "Who said it?": a quote, and who said it.
//!
//! Wrong options: the voices of other quotes (hard), people of the same kind who are
//! quoted nowhere (easy), or both (medium). A quote that names one of its speakers is
//! left out: it would give the answer away.

use std::collections::BTreeSet;

use super::{Body, Kind, SourceRef, Spec, Template, distinct, mentions, quote_explanation};
use crate::data::{Dataset, Person, PersonKind, Quote};

pub(super) const SPEC: Spec = Spec {
    title: "Who said it?",
    generate,
};

/// A template per quote whose speakers are known.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    let speaking: BTreeSet<&str> = data.quotes().iter().flat_map(Quote::speaker_ids).collect();
    for quote in data.quotes() {
        let speakers: Vec<&Person> = quote
            .speaker_ids()
            .filter_map(|id| data.person(id))
            .collect();
        if speakers.is_empty() || speakers.iter().any(|p| mentions(&quote.text, p)) {
            continue;
        }
        let answer = data.speakers(quote);
        let kind = if speakers.len() == 1 {
            speakers[0].kind
        } else {
            PersonKind::Person
        };
        let voices = distinct(
            data.quotes()
                .iter()
                .filter(|other| {
                    other
                        .speaker_ids()
                        .all(|id| !quote.speaker_ids().any(|s| s == id))
                })
                .map(|other| data.speakers(other)),
            &answer,
        );
        let silent = distinct(
            data.people()
                .iter()
                .filter(|p| p.kind == kind && !speaking.contains(p.id.as_str()))
                .map(|p| p.name.clone()),
            &answer,
        );
        // "Donald Trump Jr." for a quote of Donald Trump would be a trick, not a question.
        let unlike = |name: &String| {
            speakers
                .iter()
                .all(|p| !name.contains(&p.name) && !p.name.contains(name.as_str()))
        };
        let voices: Vec<String> = voices.into_iter().filter(unlike).collect();
        let silent: Vec<String> = silent.into_iter().filter(unlike).collect();
        let both = distinct(voices.iter().chain(&silent).cloned(), &answer);
        templates.push(Template {
            kind: Kind::WhoSaidIt,
            prompt: format!("Who said it?\n> “{}”", quote.text),
            explanation: quote_explanation(data, quote),
            source: SourceRef::Quote(quote.id.clone()),
            citation: data.citation(&quote.source).to_string(),
            body: Body::Pick {
                answer,
                pools: [silent, both, voices],
            },
        });
    }
}
