//! The dataset: people, events, quotes and their sources, loaded from JSON, checked,
//! and indexed for search.

mod date;
mod load;
mod model;
mod validate;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

pub use date::{Date, DateError, month_name};
pub use load::Problem;
pub use model::{
    Difficulty, Event, Person, PersonKind, Quote, Source, UnknownName, WrittenQuestion,
};
pub use validate::{
    CITATION_MAX, CONTEXT_MAX, EXPLANATION_MAX, ID_MAX, NAME_MAX, OPTION_MAX, OPTIONS, PROMPT_MAX,
    QUOTE_MAX, ROLE_MAX, SUMMARY_MAX, TITLE_MAX, is_slug,
};

use crate::search::{Doc, DocKind, Index, IndexBuilder};
use load::{Parsed, parse_records, read_records};
use validate::{Records, validate};

/// The files every dataset folder has, in the order they are read.
pub const FILES: [&str; 4] = ["sources.json", "people.json", "events.json", "quotes.json"];

/// The optional file of hand-written trivia questions. A folder without it is a
/// complete dataset (the quiz then asks generated questions only); when it is there, it
/// is read after [`FILES`] and checked like them.
pub const QUESTIONS_FILE: &str = "questions.json";

/// Everything wrong with a dataset, file by file, record by record.
#[derive(Debug, thiserror::Error)]
pub struct InvalidData {
    /// Each problem found, in file and record order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for InvalidData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "{count} problem{} in the dataset",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

fn strip<T>(records: Vec<(usize, T)>) -> Vec<T> {
    records.into_iter().map(|(_, record)| record).collect()
}

/// A checked, indexed dataset. Events are in chronological order.
pub struct Dataset {
    sources: Vec<Source>,
    people: Vec<Person>,
    events: Vec<Event>,
    quotes: Vec<Quote>,
    questions: Vec<WrittenQuestion>,
    ids: HashMap<(DocKind, String), u32>,
    /// Every tag, alphabetically, with how many events carry it: counted once here,
    /// not on each autocomplete keystroke.
    tags: Vec<(String, usize)>,
    index: Index,
}

impl Dataset {
    /// Loads and checks the dataset in `dir`: the files of [`FILES`], and
    /// [`QUESTIONS_FILE`] when the folder has one.
    pub fn load(dir: &Path) -> Result<Dataset, InvalidData> {
        let mut problems = Vec::new();
        let records = Records {
            sources: read_records(dir, "sources.json", &mut problems),
            people: read_records(dir, "people.json", &mut problems),
            events: read_records(dir, "events.json", &mut problems),
            quotes: read_records(dir, "quotes.json", &mut problems),
            questions: if dir.join(QUESTIONS_FILE).exists() {
                read_records(dir, QUESTIONS_FILE, &mut problems)
            } else {
                Parsed::from_records(Vec::new(), |q: &WrittenQuestion| &q.id)
            },
        };
        Dataset::checked(records, problems)
    }

    /// The dataset shipped with the bot (`data/` of its source), compiled into the
    /// binary: what it serves unless given a folder, so it runs from anywhere.
    pub fn shipped() -> Result<Dataset, InvalidData> {
        let mut problems = Vec::new();
        let records = Records {
            sources: parse_records(
                "sources.json",
                include_str!("../../data/sources.json"),
                &mut problems,
            ),
            people: parse_records(
                "people.json",
                include_str!("../../data/people.json"),
                &mut problems,
            ),
            events: parse_records(
                "events.json",
                include_str!("../../data/events.json"),
                &mut problems,
            ),
            quotes: parse_records(
                "quotes.json",
                include_str!("../../data/quotes.json"),
                &mut problems,
            ),
            questions: parse_records(
                QUESTIONS_FILE,
                include_str!("../../data/questions.json"),
                &mut problems,
            ),
        };
        Dataset::checked(records, problems)
    }

    /// Checks records made in memory (a generated dataset, say) and builds a dataset.
    pub fn from_records(
        sources: Vec<Source>,
        people: Vec<Person>,
        events: Vec<Event>,
        quotes: Vec<Quote>,
    ) -> Result<Dataset, InvalidData> {
        let records = Records {
            sources: Parsed::from_records(sources, |s| &s.id),
            people: Parsed::from_records(people, |p| &p.id),
            events: Parsed::from_records(events, |e| &e.id),
            quotes: Parsed::from_records(quotes, |q| &q.id),
            questions: Parsed::from_records(Vec::new(), |q: &WrittenQuestion| &q.id),
        };
        Dataset::checked(records, Vec::new())
    }

    fn checked(records: Records, mut problems: Vec<Problem>) -> Result<Dataset, InvalidData> {
        validate(&records, &mut problems);
        if !problems.is_empty() {
            return Err(InvalidData { problems });
        }
        let mut events: Vec<Event> = strip(records.events.records);
        events.sort_by_key(|event| event.date);
        let mut dataset = Dataset::indexed(
            strip(records.sources.records),
            strip(records.people.records),
            events,
            strip(records.quotes.records),
        );
        dataset.questions = strip(records.questions.records);
        Ok(dataset)
    }

    fn indexed(
        sources: Vec<Source>,
        people: Vec<Person>,
        events: Vec<Event>,
        quotes: Vec<Quote>,
    ) -> Dataset {
        let mut ids = HashMap::new();
        let mut builder = IndexBuilder::default();
        let names: HashMap<&str, &Person> = people.iter().map(|p| (p.id.as_str(), p)).collect();
        let name_of = |id: &str| names.get(id).map_or("", |p| p.name.as_str());
        for (i, person) in people.iter().enumerate() {
            let doc = Doc {
                kind: DocKind::Person,
                index: i as u32,
            };
            ids.insert((DocKind::Person, person.id.clone()), doc.index);
            builder.add_doc();
            builder.add_name(doc, 8, &person.name);
            for alias in &person.aliases {
                builder.add_name(doc, 6, alias);
            }
            builder.add_text(doc, 8, &person.id);
            builder.add_text(doc, 1, &person.role);
        }
        for (i, event) in events.iter().enumerate() {
            let doc = Doc {
                kind: DocKind::Event,
                index: i as u32,
            };
            ids.insert((DocKind::Event, event.id.clone()), doc.index);
            builder.add_doc();
            builder.add_name(doc, 6, &event.title);
            builder.add_text(doc, 6, &event.id.replace('-', " "));
            builder.add_text(doc, 3, &event.date.year().to_string());
            builder.add_text(doc, 3, &event.tags.join(" "));
            builder.add_text(doc, 2, &event.summary);
            for person in &event.people {
                builder.add_text(doc, 2, name_of(person));
            }
        }
        for (i, quote) in quotes.iter().enumerate() {
            let doc = Doc {
                kind: DocKind::Quote,
                index: i as u32,
            };
            ids.insert((DocKind::Quote, quote.id.clone()), doc.index);
            builder.add_doc();
            builder.add_name(doc, 5, &quote.text);
            builder.add_text(doc, 5, &quote.id.replace('-', " "));
            builder.add_text(doc, 2, &quote.context);
            for speaker in quote.speaker_ids() {
                builder.add_text(doc, 3, name_of(speaker));
            }
            if let Some(date) = quote.date {
                builder.add_text(doc, 2, &date.year().to_string());
            }
        }
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for event in &events {
            for tag in &event.tags {
                *counts.entry(tag.as_str()).or_default() += 1;
            }
        }
        let tags = counts
            .into_iter()
            .map(|(tag, count)| (tag.to_string(), count))
            .collect();
        Dataset {
            sources,
            people,
            events,
            quotes,
            questions: Vec::new(),
            ids,
            tags,
            index: builder.build(),
        }
    }

    /// Every source.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Every person and organization, in file order.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Every quote, in file order.
    pub fn quotes(&self) -> &[Quote] {
        &self.quotes
    }

    /// The hand-written trivia questions, in file order (none without
    /// [`QUESTIONS_FILE`]).
    pub fn questions(&self) -> &[WrittenQuestion] {
        &self.questions
    }

    /// Every tag, alphabetically, with how many events carry it.
    pub fn tags(&self) -> &[(String, usize)] {
        &self.tags
    }

    /// How many events carry `tag` (0 for a tag no event has).
    pub fn tag_count(&self, tag: &str) -> usize {
        self.tags
            .binary_search_by(|(t, _)| t.as_str().cmp(tag))
            .map_or(0, |i| self.tags[i].1)
    }

    /// The search and autocomplete index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Position of the record of `kind` with this id.
    pub fn position(&self, kind: DocKind, id: &str) -> Option<usize> {
        self.ids.get(&(kind, id.to_string())).map(|&i| i as usize)
    }

    /// The event with this id.
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.position(DocKind::Event, id).map(|i| &self.events[i])
    }

    /// The person or organization with this id.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.position(DocKind::Person, id).map(|i| &self.people[i])
    }

    /// The quote with this id.
    pub fn quote(&self, id: &str) -> Option<&Quote> {
        self.position(DocKind::Quote, id).map(|i| &self.quotes[i])
    }

    /// The citation of the source with this id; the id itself if there is none.
    pub fn citation<'a>(&'a self, id: &'a str) -> &'a str {
        self.sources
            .iter()
            .find(|s| s.id == id)
            .map_or(id, |s| s.citation.as_str())
    }

    /// The display name of a person id; the id itself if there is none.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.person(id).map_or(id, |p| p.name.as_str())
    }

    /// The speakers of a quote as one line: `Greg Brockman and Ilya Sutskever`.
    pub fn speakers(&self, quote: &Quote) -> String {
        let names: Vec<&str> = quote.speaker_ids().map(|id| self.name(id)).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }
}
