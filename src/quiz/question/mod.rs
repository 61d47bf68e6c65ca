//! Trivia questions, generated from the dataset so the bot never runs dry.
//!
//! [`QuestionBank::new`] reads the dataset once and keeps a template per question it
//! can ask: a quote and its speaker, a quote's key words, where a quote was said, an
//! event and its date, two events that are surely ordered, an amount of money in a
//! sentence, a name in a headline, and every hand-written question. Asking ([`QuestionBank::pick`]) draws a template and its
//! wrong options with the rng it is given, so a seed reproduces a quiz. A template is
//! only made when the data supports exactly one right answer.
//!
//! Each kind has its own file: which templates the data supports, their difficulty
//! rules, and its heading. This file lists the kinds (the variants of [`Kind`], each
//! tied to its file by `Kind::spec`) and holds what they share: the bank, the question
//! asked, and the way options are drawn.

mod finish_quote;
mod hand_written;
mod numbers;
mod when;
mod where_said;
mod which_first;
mod who;
mod who_said_it;

use std::collections::BTreeSet;

use rand::Rng;
use rand::RngCore;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::Serialize;
use strum::{EnumCount, IntoEnumIterator, VariantNames};

use crate::data::{Dataset, Date, Event, Person, Quote};
pub use crate::data::{Difficulty, UnknownName};

/// Options of a question, except "which came first" which has two.
pub const OPTIONS: usize = 4;

/// What a question asks about. Users type its kebab-case name (`who-said-it`); parsing
/// ignores ASCII case.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    strum::Display,
    strum::EnumCount,
    strum::EnumIter,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(
    serialize_all = "kebab-case",
    ascii_case_insensitive,
    parse_err_ty = UnknownName,
    parse_err_fn = unknown_kind
)]
pub enum Kind {
    /// A quote: who said it?
    WhoSaidIt,
    /// A quote with its key words left out.
    FinishTheQuote,
    /// A quote: where was it said (on X, in an email…)?
    WhereSaid,
    /// An event: in which year (or month) did it happen?
    When,
    /// Two events: which came first?
    WhichFirst,
    /// An amount of money, left out of a sentence of the story.
    Numbers,
    /// A name, left out of an event's headline.
    Who,
    /// A question from `questions.json`.
    HandWritten,
}

impl Kind {
    /// The heading of a question of this kind.
    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// The file of this kind: the one place a new kind is wired in, besides its variant.
    fn spec(self) -> Spec {
        match self {
            Kind::WhoSaidIt => who_said_it::SPEC,
            Kind::FinishTheQuote => finish_quote::SPEC,
            Kind::WhereSaid => where_said::SPEC,
            Kind::When => when::SPEC,
            Kind::WhichFirst => which_first::SPEC,
            Kind::Numbers => numbers::SPEC,
            Kind::Who => who::SPEC,
            Kind::HandWritten => hand_written::SPEC,
        }
    }
}

/// What the file of a kind provides.
struct Spec {
    /// The heading of its questions, e.g. `Who said it?`.
    title: &'static str,
    /// Appends a template (of this kind) for every question the dataset supports.
    generate: fn(&Dataset, &mut Vec<Template>),
}

/// `unknown kind "x": use one of who-said-it, when, …`.
fn unknown_kind(text: &str) -> UnknownName {
    UnknownName(format!(
        "unknown kind {text:?}: use one of {}",
        Kind::VARIANTS.join(", ")
    ))
}

/// The record a question's answer comes from; as JSON `{"event": "musk-sues"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceRef {
    /// An event id.
    Event(String),
    /// A quote id.
    Quote(String),
}

/// One question, ready to ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub kind: Kind,
    pub difficulty: Difficulty,
    /// The question as asked (Markdown).
    pub prompt: String,
    /// The options, all different: four, or two for "which came first".
    pub options: Vec<String>,
    /// Index of the one correct option.
    pub answer: usize,
    /// Why the answer is right, citing the event or quote.
    pub explanation: String,
    /// The record the answer comes from.
    pub source: SourceRef,
    /// Where that record's facts come from, as shown to users.
    #[serde(skip)]
    pub citation: String,
}

impl Question {
    /// What it asks, below a heading that names its kind: the prompt without its first
    /// line when that line only repeats the heading ("Who said it?", "Which came first?").
    pub fn asked(&self) -> &str {
        let prompt = self.prompt.as_str();
        let heading = self.kind.title();
        match prompt.split_once('\n') {
            Some((first, rest)) if first.trim() == heading => rest,
            None if prompt.trim() == heading => "",
            _ => prompt,
        }
    }
}

/// Which questions to ask: `None` means any.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<Kind>,
    pub difficulty: Option<Difficulty>,
}

impl Filter {
    /// `who-said-it, hard`, `any kind, easy`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "{}, {}",
            self.kind.map_or("any kind", <&str>::from),
            self.difficulty.map_or("any difficulty", <&str>::from)
        )
    }
}

/// Identifies a template of a [`QuestionBank`], so a quiz can avoid asking it twice.
pub type TemplateId = u32;

/// How the options of a template are made.
#[derive(Debug)]
enum Body {
    /// A fixed answer among wrong options drawn from a pool per difficulty (a pool of
    /// fewer than three means the difficulty is not offered).
    Pick {
        answer: String,
        pools: [Vec<String>; Difficulty::COUNT],
    },
    /// The date of an event, asked as [`when`] says.
    Dated { date: Date, title: String },
    /// Options fixed in advance, at one difficulty: two events (which came first) or a
    /// hand-written question.
    Fixed {
        answer: String,
        wrong: Vec<String>,
        difficulty: Difficulty,
    },
}

/// A question as the data supports it, before a difficulty and options are drawn.
#[derive(Debug)]
struct Template {
    kind: Kind,
    /// The question as asked, unless the body makes it when asked.
    prompt: String,
    explanation: String,
    source: SourceRef,
    citation: String,
    body: Body,
}

impl Template {
    fn supports(&self, difficulty: Difficulty) -> bool {
        match &self.body {
            Body::Pick { pools, .. } => pools[difficulty as usize].len() >= OPTIONS - 1,
            Body::Dated { date, .. } => when::offered(*date, difficulty),
            Body::Fixed { difficulty: d, .. } => *d == difficulty,
        }
    }
}

/// Every question the dataset can support, ready to be drawn.
#[derive(Debug)]
pub struct QuestionBank {
    templates: Vec<Template>,
    /// Template ids by kind, then by difficulty (indexed by declaration order).
    by_kind: [[Vec<TemplateId>; Difficulty::COUNT]; Kind::COUNT],
}

/// No question matches a filter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no questions of {0}: try another kind or difficulty")]
pub struct NoQuestions(pub String);

impl QuestionBank {
    /// Reads every question `data` supports.
    pub fn new(data: &Dataset) -> QuestionBank {
        let mut templates = Vec::new();
        for kind in Kind::iter() {
            (kind.spec().generate)(data, &mut templates);
        }
        let mut by_kind: [[Vec<TemplateId>; Difficulty::COUNT]; Kind::COUNT] = Default::default();
        for (id, template) in templates.iter().enumerate() {
            for difficulty in Difficulty::iter() {
                if template.supports(difficulty) {
                    by_kind[template.kind as usize][difficulty as usize].push(id as TemplateId);
                }
            }
        }
        QuestionBank { templates, by_kind }
    }

    /// How many different (template, difficulty) questions match `filter`.
    pub fn count(&self, filter: &Filter) -> usize {
        self.allowed(filter)
            .map(|(kind, difficulty)| self.ids(kind, difficulty).len())
            .sum()
    }

    /// How many different questions a quiz with `filter` can ask: a template counts
    /// once, whatever difficulties it supports, since a quiz asks it at most once.
    pub fn available(&self, filter: &Filter) -> usize {
        let mut ids: Vec<TemplateId> = self
            .allowed(filter)
            .flat_map(|(kind, difficulty)| self.ids(kind, difficulty).iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    fn ids(&self, kind: Kind, difficulty: Difficulty) -> &[TemplateId] {
        &self.by_kind[kind as usize][difficulty as usize]
    }

    fn allowed(&self, filter: &Filter) -> impl Iterator<Item = (Kind, Difficulty)> + '_ {
        let filter = *filter;
        Kind::iter()
            .filter(move |k| filter.kind.is_none_or(|wanted| wanted == *k))
            .flat_map(move |kind| {
                Difficulty::iter()
                    .filter(move |d| filter.difficulty.is_none_or(|wanted| wanted == *d))
                    .map(move |d| (kind, d))
            })
            .filter(|(kind, d)| !self.ids(*kind, *d).is_empty())
    }

    /// A question matching `filter` and not in `avoid`: a kind drawn uniformly among
    /// those that have such questions, then a difficulty, then a template. `None` when
    /// every question of the filter is in `avoid` (or none matches): a quiz never asks
    /// one twice.
    pub fn pick(
        &self,
        filter: &Filter,
        avoid: &[TemplateId],
        rng: &mut dyn RngCore,
    ) -> Option<(TemplateId, Question)> {
        let fresh = |kind: Kind, difficulty: Difficulty| {
            self.ids(kind, difficulty)
                .iter()
                .any(|id| !avoid.contains(id))
        };
        let mut kinds = [Kind::WhoSaidIt; Kind::COUNT];
        let mut kind_count = 0;
        for kind in Kind::iter() {
            if self.allowed(filter).any(|(k, d)| k == kind && fresh(k, d)) {
                kinds[kind_count] = kind;
                kind_count += 1;
            }
        }
        let kind = *kinds[..kind_count].choose(rng)?;
        let difficulties: Vec<Difficulty> = self
            .allowed(filter)
            .filter(|(k, d)| *k == kind && fresh(*k, *d))
            .map(|(_, d)| d)
            .collect();
        let difficulty = *difficulties.choose(rng)?;
        let ids = self.ids(kind, difficulty);
        // Drawing again is cheap and usually enough; past a few draws, the pool is
        // mostly used up, so draw among what is left.
        let mut id = *ids.choose(rng)?;
        let mut draws = 0;
        while avoid.contains(&id) {
            if draws == 8 {
                let left: Vec<TemplateId> = ids
                    .iter()
                    .copied()
                    .filter(|id| !avoid.contains(id))
                    .collect();
                id = *left.choose(rng)?;
                break;
            }
            id = *ids.choose(rng)?;
            draws += 1;
        }
        let template = &self.templates[id as usize];
        Some((id, ask(template, difficulty, rng)))
    }
}

/// `count` questions matching `filter` as the JSON array `feudbot questions --json`
/// prints, one object per question with its fields in this order: `{"kind",
/// "difficulty", "prompt", "options", "answer", "explanation", "source": {"event"|"quote":
/// id}}`. No question repeats until every one of the filter has been printed; the same
/// rng state gives the same questions.
pub fn questions_json(
    bank: &QuestionBank,
    count: usize,
    filter: &Filter,
    rng: &mut dyn RngCore,
) -> Result<String, NoQuestions> {
    let mut used = Vec::new();
    let mut questions = Vec::with_capacity(count);
    let available = bank.available(filter);
    for _ in 0..count {
        if available > 0 && used.len() >= available {
            used.clear();
        }
        let (id, question) = bank
            .pick(filter, &used, rng)
            .ok_or_else(|| NoQuestions(filter.describe()))?;
        used.push(id);
        questions.push(question);
    }
    serde_json::to_string_pretty(&questions).map_err(|_| NoQuestions(filter.describe()))
}

/// Puts `answer` at a uniformly random position among `wrong` (shuffled).
fn place(answer: &str, wrong: &mut Vec<String>, rng: &mut dyn RngCore) -> (Vec<String>, usize) {
    wrong.shuffle(rng);
    let position = rng.random_range(0..=wrong.len());
    let mut options = std::mem::take(wrong);
    options.insert(position, answer.to_string());
    (options, position)
}

fn ask(template: &Template, difficulty: Difficulty, rng: &mut dyn RngCore) -> Question {
    let (prompt, options, answer) = match &template.body {
        Body::Pick { answer, pools } => {
            let mut wrong: Vec<String> = pools[difficulty as usize]
                .choose_multiple(rng, OPTIONS - 1)
                .cloned()
                .collect();
            let (options, at) = place(answer, &mut wrong, rng);
            (template.prompt.clone(), options, at)
        }
        Body::Dated { date, title } => when::ask(*date, title, difficulty, rng),
        Body::Fixed { answer, wrong, .. } => {
            let mut wrong = wrong.clone();
            let (options, at) = place(answer, &mut wrong, rng);
            (template.prompt.clone(), options, at)
        }
    };
    Question {
        kind: template.kind,
        difficulty,
        prompt,
        options,
        answer,
        explanation: template.explanation.clone(),
        source: template.source.clone(),
        citation: template.citation.clone(),
    }
}

/// Where an event's facts come from: its source, and the source of its exact date.
fn event_citation(data: &Dataset, event: &Event) -> String {
    match &event.date_source {
        Some(date_source) => format!(
            "{} · exact date: {}",
            data.citation(&event.source),
            data.citation(date_source)
        ),
        None => data.citation(&event.source).to_string(),
    }
}

/// `**Headline** (date). Summary.`
fn event_explanation(event: &Event) -> String {
    format!(
        "**{}** ({}). {}",
        event.title,
        event.date.human(),
        event.summary
    )
}

/// `**Speaker**: “Words” (context, date). Event: **Headline**.`, date and event when known.
fn quote_explanation(data: &Dataset, quote: &Quote) -> String {
    let date = quote
        .date
        .map(|d| format!(", {}", d.human()))
        .unwrap_or_default();
    let event = quote
        .event
        .as_deref()
        .and_then(|id| data.event(id))
        .map(|e| format!(" Event: **{}**.", e.title))
        .unwrap_or_default();
    format!(
        "**{}**: “{}” ({}{date}).{event}",
        data.speakers(quote),
        quote.text,
        quote.context
    )
}

/// Byte ranges where `name` occurs in `text` as whole words, case as written.
fn occurrences(text: &str, name: &str) -> Vec<(usize, usize)> {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(name)
        .map(|(start, _)| (start, start + name.len()))
        .filter(|(start, end)| {
            boundary(text[..*start].chars().next_back()) && boundary(text[*end..].chars().next())
        })
        .collect()
}

/// A person's name, then their aliases.
fn names(person: &Person) -> impl Iterator<Item = &str> {
    std::iter::once(person.name.as_str()).chain(person.aliases.iter().map(String::as_str))
}

/// Whether `text` names `person`, by name or alias, as whole words.
fn mentions(text: &str, person: &Person) -> bool {
    names(person).any(|name| !occurrences(text, name).is_empty())
}

/// Keeps the first of each name, compared without case.
fn distinct(names: impl IntoIterator<Item = String>, except: &str) -> Vec<String> {
    let mut seen = BTreeSet::from([except.to_lowercase()]);
    names
        .into_iter()
        .filter(|name| seen.insert(name.to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_by_name_and_unknown_names_list_them() {
        for kind in Kind::iter() {
            assert_eq!(kind.to_string().parse(), Ok(kind));
        }
        assert_eq!("Which-First".parse(), Ok(Kind::WhichFirst));
        assert_eq!(
            "trivia".parse::<Kind>(),
            Err(UnknownName(
                "unknown kind \"trivia\": use one of who-said-it, finish-the-quote, where-said, \
                 when, which-first, numbers, who, hand-written"
                    .to_string()
            ))
        );
    }

    #[test]
    fn picking_avoids_every_question_given_until_none_is_left() {
        use rand::SeedableRng;
        let data = Dataset::shipped().expect("the shipped dataset loads");
        let bank = QuestionBank::new(&data);
        for seed in 0..20 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            for filter in [
                Filter {
                    kind: Some(Kind::Numbers),
                    difficulty: None,
                },
                Filter {
                    kind: Some(Kind::HandWritten),
                    difficulty: Some(Difficulty::Hard),
                },
            ] {
                let mut used = Vec::new();
                while let Some((id, _)) = bank.pick(&filter, &used, &mut rng) {
                    assert!(!used.contains(&id), "{id} twice for {filter:?}");
                    used.push(id);
                }
                assert_eq!(used.len(), bank.available(&filter), "{filter:?}");
            }
        }
    }

    #[test]
    fn names_match_whole_words_only() {
        assert_eq!(
            occurrences("Son pledges; Sonny; Son's", "Son"),
            [(0, 3), (20, 23)]
        );
    }
}
