//! "Trivia": the questions of `questions.json`, as written, for what the generated
//! kinds cannot ask. Each has its own difficulty; its options are shuffled when asked.

use super::{Body, Kind, SourceRef, Spec, Template, event_citation};
use crate::data::Dataset;

pub(super) const SPEC: Spec = Spec {
    title: "Trivia",
    generate,
};

/// A template per question whose answer and source are known.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    for question in data.questions() {
        let Some(answer) = question.options.get(question.answer) else {
            continue;
        };
        let (source, citation) = match (&question.event, &question.quote) {
            (Some(id), _) => (
                SourceRef::Event(id.clone()),
                data.event(id).map(|e| event_citation(data, e)),
            ),
            (None, Some(id)) => (
                SourceRef::Quote(id.clone()),
                data.quote(id).map(|q| data.citation(&q.source).to_string()),
            ),
            (None, None) => continue,
        };
        let wrong = question
            .options
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != question.answer)
            .map(|(_, o)| o.clone())
            .collect();
        templates.push(Template {
            kind: Kind::HandWritten,
            prompt: question.prompt.clone(),
            explanation: question.explanation.clone(),
            source,
            citation: citation.unwrap_or_default(),
            body: Body::Fixed {
                answer: answer.clone(),
                wrong,
                difficulty: question.difficulty,
            },
        });
    }
}
