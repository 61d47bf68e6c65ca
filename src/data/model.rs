//! The records of the dataset, exactly as the JSON files hold them, and the names users
//! type for a question's difficulty.

use serde::Deserialize;
use strum::VariantNames;

use super::Date;

/// Whether a record of `people.json` is a person or an organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonKind {
    /// A human being.
    Person,
    /// A company, newspaper or other body.
    Organization,
}

/// An actor or speaker of the story (`people.json`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Slug used to refer to this person from events and quotes, e.g. `musk`.
    pub id: String,
    /// Full name, e.g. `Elon Musk`.
    pub name: String,
    /// Other names people type, e.g. `Elon`.
    pub aliases: Vec<String>,
    pub kind: PersonKind,
    /// One line on who they are in this story.
    pub role: String,
    /// Id of the source (in `sources.json`) for the role.
    pub source: String,
}

/// A dated happening of the story (`events.json`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Slug, e.g. `stargate-announced`.
    pub id: String,
    /// When, exactly as precise as the source supports.
    pub date: Date,
    /// Headline, at most [`super::TITLE_MAX`] characters.
    pub title: String,
    /// One to three sentences in our own words.
    pub summary: String,
    /// Ids of the people and organizations involved.
    pub people: Vec<String>,
    /// Topic slugs, e.g. `lawsuit`.
    pub tags: Vec<String>,
    /// Id of the source the event comes from.
    pub source: String,
    /// Id of the source of the exact date, when it is more precise than `source` gives.
    #[serde(default)]
    pub date_source: Option<String>,
}

/// Words someone said or wrote, word for word as the source gives them (`quotes.json`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// Slug, e.g. `last-straw`.
    pub id: String,
    /// The person id of a single speaker.
    #[serde(default)]
    pub speaker: Option<String>,
    /// The person ids of words written jointly (two or more).
    #[serde(default)]
    pub speakers: Vec<String>,
    /// The words, verbatim.
    pub text: String,
    /// When, where the source says; absent when it does not.
    #[serde(default)]
    pub date: Option<Date>,
    /// Where and how it was said: on X, in an email, to Bloomberg.
    pub context: String,
    /// Where it was said, in the words `context` uses for it (`On X`, `In an email`,
    /// `To Bloomberg`): only when the source says. The same place has the same words in
    /// every quote, since "where was it said?" offers the venues of other quotes.
    #[serde(default)]
    pub venue: Option<String>,
    /// The key words of `text` that "finish the quote" leaves out: whole words, once in
    /// `text`, never in `context`.
    #[serde(default)]
    pub blank: Option<String>,
    /// Wrong fill-ins for `blank`, in our own words and of the same kind (a noun for a
    /// noun), the most tempting first.
    #[serde(default)]
    pub decoys: Vec<String>,
    /// Id of the event it belongs to.
    #[serde(default)]
    pub event: Option<String>,
    /// Id of the source the quote comes from.
    pub source: String,
}

impl Quote {
    /// Every speaker's id, whether the quote has one speaker or several.
    pub fn speaker_ids(&self) -> impl Iterator<Item = &str> {
        self.speaker
            .iter()
            .chain(self.speakers.iter())
            .map(String::as_str)
    }
}

/// Where facts come from (`sources.json`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Slug that records cite, e.g. `article`.
    pub id: String,
    /// The citation shown to users.
    pub citation: String,
}

/// How hard a question is. Users type its lowercase name (`easy`); parsing ignores
/// ASCII case.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    serde::Serialize,
    strum::Display,
    strum::EnumCount,
    strum::EnumIter,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "lowercase")]
#[strum(
    serialize_all = "lowercase",
    ascii_case_insensitive,
    parse_err_ty = UnknownName,
    parse_err_fn = unknown_difficulty
)]
pub enum Difficulty {
    /// Most people who read the story get it.
    Easy,
    /// Needs a careful reader.
    Medium,
    /// Needs the details.
    Hard,
}

/// A name that is not a quiz kind or difficulty; the message lists the accepted ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownName(pub String);

/// `unknown difficulty "x": use easy, medium or hard`.
fn unknown_difficulty(text: &str) -> UnknownName {
    let names = Difficulty::VARIANTS.join(", ");
    let names = match names.rsplit_once(", ") {
        Some((first, last)) => format!("{first} or {last}"),
        None => names,
    };
    UnknownName(format!("unknown difficulty {text:?}: use {names}"))
}

/// A trivia question written by hand (`questions.json`), for what the generated kinds
/// cannot ask.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrittenQuestion {
    /// Slug, e.g. `wednesday-dinners-day`.
    pub id: String,
    /// The question as asked.
    pub prompt: String,
    /// Exactly four options, all different; their order is shuffled when asked.
    pub options: Vec<String>,
    /// Index (from 0) of the one correct option.
    pub answer: usize,
    pub difficulty: Difficulty,
    /// Why the answer is right, shown after the question closes.
    pub explanation: String,
    /// The event that supports the answer (this or `quote`).
    #[serde(default)]
    pub event: Option<String>,
    /// The quote that supports the answer (this or `event`).
    #[serde(default)]
    pub quote: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difficulties_parse_by_name_and_unknown_names_list_them() {
        assert_eq!(Difficulty::VARIANTS, ["easy", "medium", "hard"]);
        assert_eq!("Hard".parse(), Ok(Difficulty::Hard));
        assert_eq!(Difficulty::Medium.to_string(), "medium");
        assert_eq!(
            "nope".parse::<Difficulty>(),
            Err(UnknownName(
                "unknown difficulty \"nope\": use easy, medium or hard".to_string()
            ))
        );
    }
}
