//! Trivia questions, generated from the dataset so the bot never runs dry.
//!
//! [`QuestionBank::new`] reads the dataset once and keeps a template per question it
//! can ask: a quote and its speaker, an event and its date, two events that are surely
//! ordered, an amount of money in a sentence, a name in a headline, and every
//! hand-written question. Asking ([`QuestionBank::pick`]) draws a template and its
//! wrong options with the rng it is given, so a seed reproduces a quiz. A template is
//! only made when the data supports exactly one right answer: "when" asks for the
//! month only of events dated to the month, "which first" pairs only events whose
//! dates cannot overlap, "numbers" leaves out sentences with more than one amount.

use std::collections::BTreeSet;

use rand::Rng;
use rand::RngCore;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::Serialize;
use strum::{EnumCount, IntoEnumIterator, VariantNames};

use crate::data::{Dataset, Date, Event, Person, PersonKind, Quote, month_name};
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
        match self {
            Kind::WhoSaidIt => "Who said it?",
            Kind::When => "When?",
            Kind::WhichFirst => "Which came first?",
            Kind::Numbers => "How much?",
            Kind::Who => "Who?",
            Kind::HandWritten => "Trivia",
        }
    }
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
    /// What it asks about.
    pub kind: Kind,
    /// How hard it is.
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

/// Which questions to ask: `None` means any.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only this difficulty.
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
    /// The date of an event: the year (easy, medium) or the month and year (hard,
    /// only for dates at least that precise).
    Dated { date: Date, title: String },
    /// Options fixed in advance, at one difficulty: two events (which came first) or a
    /// hand-written question.
    Fixed {
        answer: String,
        wrong: Vec<String>,
        difficulty: Difficulty,
    },
}

#[derive(Debug)]
struct Template {
    kind: Kind,
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
            Body::Dated { date, .. } => difficulty != Difficulty::Hard || date.month().is_some(),
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
        who_said_it(data, &mut templates);
        when(data, &mut templates);
        which_first(data, &mut templates);
        numbers(data, &mut templates);
        who(data, &mut templates);
        written(data, &mut templates);
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

    /// A question matching `filter`: a kind drawn uniformly among those that have
    /// questions, then a difficulty, then a template, avoiding those in `avoid` while
    /// others remain within a few draws. `None` when nothing matches.
    pub fn pick(
        &self,
        filter: &Filter,
        avoid: &[TemplateId],
        rng: &mut dyn RngCore,
    ) -> Option<(TemplateId, Question)> {
        let mut kinds = [Kind::WhoSaidIt; Kind::COUNT];
        let mut kind_count = 0;
        for kind in Kind::iter() {
            if self.allowed(filter).any(|(k, _)| k == kind) {
                kinds[kind_count] = kind;
                kind_count += 1;
            }
        }
        let kind = *kinds[..kind_count].choose(rng)?;
        let difficulties: Vec<Difficulty> = self
            .allowed(filter)
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| d)
            .collect();
        let difficulty = *difficulties.choose(rng)?;
        let ids = self.ids(kind, difficulty);
        let mut id = *ids.choose(rng)?;
        for _ in 0..8 {
            if !avoid.contains(&id) {
                break;
            }
            id = *ids.choose(rng)?;
        }
        let template = &self.templates[id as usize];
        Some((id, ask(template, difficulty, rng)))
    }
}

/// `count` questions matching `filter` as the JSON array `feudbot questions --json`
/// prints, one object per question with its fields in this order: `{"kind",
/// "difficulty", "prompt", "options", "answer", "explanation", "source": {"event"|"quote":
/// id}}`. A quiz's questions do not repeat while others remain; the same rng state gives
/// the same questions.
pub fn questions_json(
    bank: &QuestionBank,
    count: usize,
    filter: &Filter,
    rng: &mut dyn RngCore,
) -> Result<String, NoQuestions> {
    let mut used = Vec::new();
    let mut questions = Vec::with_capacity(count);
    for _ in 0..count {
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
        Body::Dated { date, title } => {
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

fn event_explanation(event: &Event) -> String {
    format!(
        "**{}** ({}). {}",
        event.title,
        event.date.human(),
        event.summary
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

fn names(person: &Person) -> impl Iterator<Item = &str> {
    std::iter::once(person.name.as_str()).chain(person.aliases.iter().map(String::as_str))
}

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

/// A quote and its speaker(s). Wrong options: the voices of other quotes (hard), people
/// of the same kind who are quoted nowhere (easy), or both (medium). A quote that
/// names one of its speakers is left out: it would give the answer away.
fn who_said_it(data: &Dataset, templates: &mut Vec<Template>) {
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
        templates.push(Template {
            kind: Kind::WhoSaidIt,
            prompt: format!("Who said it?\n> “{}”", quote.text),
            explanation: format!(
                "**{answer}**: “{}” ({}{date}).{event}",
                quote.text, quote.context
            ),
            source: SourceRef::Quote(quote.id.clone()),
            citation: data.citation(&quote.source).to_string(),
            body: Body::Pick {
                answer,
                pools: [silent, both, voices],
            },
        });
    }
}

/// An event's year (easy: options two years apart; medium: consecutive years) or, for
/// events dated at least to the month, its month (hard). Headlines that give the year
/// (or the month) away are left out.
fn when(data: &Dataset, templates: &mut Vec<Template>) {
    for event in data.events() {
        if event.title.contains(&event.date.year().to_string())
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

/// Pairs of events whose dates cannot overlap: `2015` and `2015-05` are never paired.
/// Difficulty by distance: three years or more apart is easy, the same year is hard.
fn which_first(data: &Dataset, templates: &mut Vec<Template>) {
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
const BOUNDS: [&str; 6] = [
    "less than ",
    "more than ",
    "over ",
    "under ",
    "about ",
    "nearly ",
];

/// The amounts of the story, left out of the one sentence that holds them: in an
/// event's summary (unless it is a bound, "less than $10 billion", which a smaller
/// amount would satisfy too), or in a quote (whose exact words are the answer).
/// Wrong options: the 4 closest of the story's other amounts and round amounts (hard),
/// the 8 closest (medium), or amounts 4 to 1000 times off (easy).
fn numbers(data: &Dataset, templates: &mut Vec<Template>) {
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

/// The first person of an event named in its headline, left out. Wrong options:
/// people (or organizations, for an organization) who are not part of the event, the
/// four most present in the story (hard), the four least (easy), or any (medium).
fn who(data: &Dataset, templates: &mut Vec<Template>) {
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

/// The questions of `questions.json`, as written (their options shuffled when asked).
fn written(data: &Dataset, templates: &mut Vec<Template>) {
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

    #[test]
    fn kinds_parse_by_name_and_unknown_names_list_them() {
        for kind in Kind::iter() {
            assert_eq!(kind.to_string().parse(), Ok(kind));
        }
        assert_eq!("Which-First".parse(), Ok(Kind::WhichFirst));
        assert_eq!(
            "trivia".parse::<Kind>(),
            Err(UnknownName(
                "unknown kind \"trivia\": use one of who-said-it, when, which-first, numbers, \
                 who, hand-written"
                    .to_string()
            ))
        );
    }

    #[test]
    fn names_match_whole_words_only() {
        assert_eq!(
            occurrences("Son pledges; Sonny; Son's", "Son"),
            [(0, 3), (20, 23)]
        );
    }
}
