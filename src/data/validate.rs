//! Checks across records and files: ids, references, lengths, dates.
//!
//! Every check runs and every problem is reported, so one pass over a broken
//! dataset tells its author everything to fix.

use std::collections::{HashMap, HashSet};

use super::load::{Parsed, Problem, record_name};
use super::model::{Event, Person, Quote, Source, WrittenQuestion};

/// Longest id (a slug) in characters.
pub const ID_MAX: usize = 24;
/// Longest event title in characters.
pub const TITLE_MAX: usize = 80;
/// Longest person name or alias in characters.
pub const NAME_MAX: usize = 60;
/// Longest event summary in characters.
pub const SUMMARY_MAX: usize = 500;
/// Longest person role in characters.
pub const ROLE_MAX: usize = 200;
/// Longest quote in characters.
pub const QUOTE_MAX: usize = 600;
/// Longest quote context in characters.
pub const CONTEXT_MAX: usize = 160;
/// Longest source citation in characters.
pub const CITATION_MAX: usize = 300;
/// Longest hand-written question prompt in characters.
pub const PROMPT_MAX: usize = 300;
/// Longest answer option in characters: with its letter it fits a button label.
pub const OPTION_MAX: usize = 70;
/// Longest explanation of a hand-written question in characters.
pub const EXPLANATION_MAX: usize = 500;
/// Options of a hand-written question.
pub const OPTIONS: usize = 4;
/// Fewest decoys of a quote's blank: with one more than a question's three wrong
/// options, its three most tempting and three least tempting differ.
pub const DECOYS_MIN: usize = OPTIONS;

/// The parsed records of all four files.
pub(crate) struct Records {
    pub sources: Parsed<Source>,
    pub people: Parsed<Person>,
    pub events: Parsed<Event>,
    pub quotes: Parsed<Quote>,
    /// Hand-written questions; empty when the folder has no `questions.json`.
    pub questions: Parsed<WrittenQuestion>,
}

/// A slug: lowercase ASCII letters and digits in runs joined by single hyphens.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= ID_MAX
        && text.split('-').all(|run| {
            !run.is_empty()
                && run
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

struct Checker<'a> {
    file: &'static str,
    record: String,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, field: &str, message: String) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            position: None,
            record: Some(self.record.clone()),
            field: Some(field.to_string()),
            message,
        });
    }

    fn slug(&mut self, field: &str, value: &str) {
        if !is_slug(value) {
            self.report(
                field,
                format!(
                    "{value:?} is not a slug: use lowercase letters, digits and single hyphens, \
                     at most {ID_MAX} characters, e.g. \"musk-sues\""
                ),
            );
        }
    }

    fn text(&mut self, field: &str, value: &str, max: usize) {
        let length = value.chars().count();
        if value.trim().is_empty() {
            self.report(field, "must not be empty".to_string());
        } else if value.trim() != value {
            self.report(field, "must not start or end with white space".to_string());
        } else if length > max {
            self.report(
                field,
                format!("is {length} characters long; at most {max} are allowed"),
            );
        }
    }

    /// Reports `id` unless `known` has it; `known` is `None` when its file could not be
    /// read, and that is reported already.
    fn reference(
        &mut self,
        field: &str,
        id: &str,
        known: Option<&HashSet<String>>,
        what: &str,
        file: &str,
    ) {
        if known.is_some_and(|known| !known.contains(id)) {
            self.report(
                field,
                format!("unknown {what} {id:?}: no record of {file} has that id"),
            );
        }
    }

    fn no_repeats(&mut self, field: &str, ids: &[String]) {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                self.report(field, format!("lists {id:?} twice"));
            }
        }
    }
}

/// Checks ids of one file: each a slug, none used twice.
fn unique_ids<T>(
    file: &'static str,
    records: &[(usize, T)],
    id: impl Fn(&T) -> &str,
    problems: &mut Vec<Problem>,
) {
    let mut first_use: HashMap<&str, usize> = HashMap::new();
    for (index, record) in records {
        let record_id = id(record);
        let mut check = Checker {
            file,
            record: record_name(Some(record_id), *index),
            problems,
        };
        check.slug("id", record_id);
        if let Some(first) = first_use.get(record_id) {
            check.report(
                "id",
                format!("duplicate id: record #{first} already uses it"),
            );
        } else {
            first_use.insert(record_id, *index);
        }
    }
}

/// Runs every cross-record check and appends what it finds to `problems`.
pub(crate) fn validate(records: &Records, problems: &mut Vec<Problem>) {
    unique_ids(
        "sources.json",
        &records.sources.records,
        |s| &s.id,
        problems,
    );
    unique_ids("people.json", &records.people.records, |p| &p.id, problems);
    unique_ids("events.json", &records.events.records, |e| &e.id, problems);
    unique_ids("quotes.json", &records.quotes.records, |q| &q.id, problems);
    unique_ids(
        "questions.json",
        &records.questions.records,
        |q| &q.id,
        problems,
    );
    let source_ids = records.sources.ids.as_ref();
    let person_ids = records.people.ids.as_ref();
    let event_ids = records.events.ids.as_ref();

    for (index, source) in &records.sources.records {
        let mut check = Checker {
            file: "sources.json",
            record: record_name(Some(&source.id), *index),
            problems,
        };
        check.text("citation", &source.citation, CITATION_MAX);
    }

    let mut name_owner: HashMap<String, &str> = HashMap::new();
    for (index, person) in &records.people.records {
        let mut check = Checker {
            file: "people.json",
            record: record_name(Some(&person.id), *index),
            problems,
        };
        check.text("name", &person.name, NAME_MAX);
        check.text("role", &person.role, ROLE_MAX);
        check.reference(
            "source",
            &person.source,
            source_ids,
            "source",
            "sources.json",
        );
        let names = std::iter::once(&person.name).chain(&person.aliases);
        for (position, name) in names.enumerate() {
            let field = match position {
                0 => "name".to_string(),
                n => format!("aliases[{}]", n - 1),
            };
            if position > 0 {
                check.text(&field, name, NAME_MAX);
            }
            let key = name.to_lowercase();
            match name_owner.get(&key) {
                Some(owner) if *owner != person.id => check.report(
                    &field,
                    format!("{name:?} is already a name or alias of {owner:?}"),
                ),
                Some(_) => check.report(&field, format!("{name:?} is listed twice")),
                None => {
                    name_owner.insert(key, &person.id);
                }
            }
        }
    }

    let mut event_dates = HashMap::new();
    for (index, event) in &records.events.records {
        event_dates.insert(event.id.as_str(), event.date);
        let mut check = Checker {
            file: "events.json",
            record: record_name(Some(&event.id), *index),
            problems,
        };
        check.text("title", &event.title, TITLE_MAX);
        check.text("summary", &event.summary, SUMMARY_MAX);
        if event.people.is_empty() {
            check.report("people", "must list at least one person id".to_string());
        }
        for (i, id) in event.people.iter().enumerate() {
            check.reference(
                &format!("people[{i}]"),
                id,
                person_ids,
                "person",
                "people.json",
            );
        }
        check.no_repeats("people", &event.people);
        if event.tags.is_empty() {
            check.report("tags", "must list at least one tag".to_string());
        }
        for (i, tag) in event.tags.iter().enumerate() {
            check.slug(&format!("tags[{i}]"), tag);
        }
        check.no_repeats("tags", &event.tags);
        check.reference(
            "source",
            &event.source,
            source_ids,
            "source",
            "sources.json",
        );
        if let Some(date_source) = &event.date_source {
            check.reference(
                "date_source",
                date_source,
                source_ids,
                "source",
                "sources.json",
            );
        }
    }

    for (index, quote) in &records.quotes.records {
        let mut check = Checker {
            file: "quotes.json",
            record: record_name(Some(&quote.id), *index),
            problems,
        };
        check.text("text", &quote.text, QUOTE_MAX);
        check.text("context", &quote.context, CONTEXT_MAX);
        if let Some(venue) = &quote.venue {
            check.text("venue", venue, OPTION_MAX);
            if !quote.context.to_lowercase().contains(&venue.to_lowercase()) {
                check.report(
                    "venue",
                    format!(
                        "{venue:?} is not in `context` ({:?}): name the place in the words \
                         the context uses",
                        quote.context
                    ),
                );
            }
        }
        check_blank(&mut check, quote);
        match (&quote.speaker, quote.speakers.len()) {
            (Some(id), 0) => check.reference("speaker", id, person_ids, "person", "people.json"),
            (None, n) if n >= 2 => {
                for (i, id) in quote.speakers.iter().enumerate() {
                    let field = format!("speakers[{i}]");
                    check.reference(&field, id, person_ids, "person", "people.json");
                }
                check.no_repeats("speakers", &quote.speakers);
            }
            (None, 1) => check.report(
                "speakers",
                "is for words written jointly: list two or more ids, or use `speaker`".to_string(),
            ),
            _ => check.report(
                "speaker",
                "a quote needs exactly one of `speaker` (one person id) or `speakers` \
                 (two or more)"
                    .to_string(),
            ),
        }
        if let Some(event_id) = &quote.event {
            check.reference("event", event_id, event_ids, "event", "events.json");
            if let (Some(date), Some(event_date)) = (quote.date, event_dates.get(event_id.as_str()))
                && !date.agrees_with(event_date)
            {
                check.report(
                    "date",
                    format!(
                        "{date} disagrees with the date of its event {event_id:?}, {event_date}"
                    ),
                );
            }
        }
        check.reference(
            "source",
            &quote.source,
            source_ids,
            "source",
            "sources.json",
        );
    }

    let quote_ids = records.quotes.ids.as_ref();
    for (index, question) in &records.questions.records {
        let mut check = Checker {
            file: "questions.json",
            record: record_name(Some(&question.id), *index),
            problems,
        };
        check_question(&mut check, question, event_ids, quote_ids);
    }
}

/// The blank of "finish the quote": whole words found once in the text (never all of
/// it), not given away by the context shown beside it; and enough decoys, all wrong and
/// all different.
fn check_blank(check: &mut Checker, quote: &Quote) {
    let Some(blank) = &quote.blank else {
        if !quote.decoys.is_empty() {
            check.report(
                "decoys",
                "are wrong fill-ins for `blank`: add the blank, or remove them".to_string(),
            );
        }
        return;
    };
    check.text("blank", blank, OPTION_MAX);
    if blank.trim().is_empty() {
        return;
    }
    let text = &quote.text;
    let found: Vec<usize> = text
        .match_indices(blank.as_str())
        .map(|(at, _)| at)
        .collect();
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    match found[..] {
        [] => check.report(
            "blank",
            "is not in `text`: copy the words exactly as the quote has them".to_string(),
        ),
        [_] if blank == text => check.report(
            "blank",
            "is all of `text`: leave out only part of the quote".to_string(),
        ),
        [at] if !boundary(text[..at].chars().next_back())
            || !boundary(text[at + blank.len()..].chars().next()) =>
        {
            check.report(
                "blank",
                "cuts a word of `text`: leave out whole words".to_string(),
            )
        }
        [_] => {}
        _ => check.report(
            "blank",
            format!(
                "is in `text` {} times (as parts of words too): choose words that are there \
                 once",
                found.len()
            ),
        ),
    }
    if quote.context.to_lowercase().contains(&blank.to_lowercase()) {
        check.report(
            "blank",
            "is in `context`, which is shown with the quote: choose other words".to_string(),
        );
    }
    if quote.decoys.len() < DECOYS_MIN {
        check.report(
            "decoys",
            format!(
                "has {} decoys; a blank needs at least {DECOYS_MIN}",
                quote.decoys.len()
            ),
        );
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, decoy) in quote.decoys.iter().enumerate() {
        let field = format!("decoys[{i}]");
        check.text(&field, decoy, OPTION_MAX);
        let key = decoy.trim().to_lowercase();
        if key == blank.to_lowercase() {
            check.report(
                &field,
                "is the blank itself: a decoy must be wrong".to_string(),
            );
        } else if let Some(first) = seen.insert(key, i) {
            check.report(
                &field,
                format!("repeats decoys[{first}]: decoys must differ"),
            );
        }
    }
}

/// A hand-written question: its texts, exactly [`OPTIONS`] different options, an
/// answer among them, and one event or quote that supports it.
fn check_question(
    check: &mut Checker,
    question: &WrittenQuestion,
    event_ids: Option<&HashSet<String>>,
    quote_ids: Option<&HashSet<String>>,
) {
    check.text("prompt", &question.prompt, PROMPT_MAX);
    check.text("explanation", &question.explanation, EXPLANATION_MAX);
    if question.options.len() != OPTIONS {
        check.report(
            "options",
            format!(
                "has {} options; a question has exactly {OPTIONS}",
                question.options.len()
            ),
        );
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, option) in question.options.iter().enumerate() {
        let field = format!("options[{i}]");
        check.text(&field, option, OPTION_MAX);
        if let Some(first) = seen.insert(option.trim().to_lowercase(), i) {
            check.report(
                &field,
                format!("repeats options[{first}]: options must differ"),
            );
        }
    }
    if question.answer >= question.options.len() {
        check.report(
            "answer",
            format!(
                "is {}, but the options are numbered from 0 to {}",
                question.answer,
                question.options.len().saturating_sub(1)
            ),
        );
    }
    match (&question.event, &question.quote) {
        (Some(id), None) => check.reference("event", id, event_ids, "event", "events.json"),
        (None, Some(id)) => check.reference("quote", id, quote_ids, "quote", "quotes.json"),
        _ => check.report(
            "event",
            "a question needs exactly one of `event` or `quote`: the record that supports \
             its answer"
                .to_string(),
        ),
    }
}
