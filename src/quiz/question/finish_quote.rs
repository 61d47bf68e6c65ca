//! "Finish the quote": a quote with its key words left out.
//!
//! The words left out and the wrong fill-ins are curated in `quotes.json` (`blank` and
//! `decoys`): no rule tells a quote's key words, nor a wrong word of the same kind. The
//! decoys are listed the most tempting first: the first three make a hard question, the
//! last three an easy one, any three a medium one.

use super::{Body, Kind, OPTIONS, SourceRef, Spec, Template, distinct, quote_explanation};
use crate::data::Dataset;

pub(super) const SPEC: Spec = Spec {
    title: "Finish the quote",
    generate,
};

/// A template per quote with a blank.
fn generate(data: &Dataset, templates: &mut Vec<Template>) {
    for quote in data.quotes() {
        let Some(blank) = &quote.blank else {
            continue;
        };
        // The dataset checks that the blank is whole words, found once in the text.
        let Some((before, after)) = quote.text.split_once(blank.as_str()) else {
            continue;
        };
        let decoys = distinct(quote.decoys.iter().cloned(), blank);
        let three = OPTIONS - 1;
        templates.push(Template {
            kind: Kind::FinishTheQuote,
            prompt: format!(
                "Fill in the words of {} ({}):\n> “{before}____{after}”",
                data.speakers(quote),
                quote.context
            ),
            explanation: quote_explanation(data, quote),
            source: SourceRef::Quote(quote.id.clone()),
            citation: data.citation(&quote.source).to_string(),
            body: Body::Pick {
                answer: blank.clone(),
                pools: [
                    decoys[decoys.len().saturating_sub(three)..].to_vec(),
                    decoys.clone(),
                    decoys[..decoys.len().min(three)].to_vec(),
                ],
            },
        });
    }
}
