//! What goes in and out of the game: requests and events in, effects out, and what
//! the caller saves for it.

use super::rules::QuizSettings;
use super::time::UnixMillis;
use crate::caller::Caller;
use crate::reply::Reply;

/// A move in a channel's game, from a command or a click (its options checked by the
/// command table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GameRequest {
    /// `/quiz start`.
    Start(QuizSettings),
    /// `/quiz stop`.
    Stop,
    /// `/quiz skip`.
    Skip,
    /// `/whosaid`.
    WhoSaid,
    /// A click on an answer button.
    Answer(ButtonId),
    /// A click on a button of a host's control panel.
    Panel(PanelButton),
}

/// Which message a post was, so its id can be reported back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PostTag {
    pub quiz_id: u64,
    /// The question (from 1).
    pub question: u8,
}

/// Something that happened, for [`Games::apply`].
#[derive(Clone, Debug)]
pub enum GameEvent {
    /// A game command was typed, or an answer button clicked.
    Request {
        /// Who, and where.
        caller: Caller,
        request: GameRequest,
    },
    /// A message asked for with [`Effect::Post`] and a tag was posted.
    Posted {
        channel_id: u64,
        /// The tag of the post.
        tag: PostTag,
        /// The new message's id.
        message_id: u64,
    },
    /// A message asked for with [`Effect::Post`] and a tag could not be posted;
    /// `gone` when trying again cannot help (the channel refuses the bot, or is gone).
    PostFailed {
        channel_id: u64,
        tag: PostTag,
        gone: bool,
    },
    /// A time [`super::Games::next_wake`] named has come (early or repeated wake-ups
    /// are harmless).
    Tick {
        /// The channel that asked.
        channel_id: u64,
    },
}

/// One player's answer to one question, as saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerResult {
    pub user_id: u64,
    /// Name shown at the time.
    pub user_name: String,
    /// Whether the answer was right.
    pub correct: bool,
    /// Points scored (0 when wrong).
    pub points: u32,
    /// Correct answers in a row, this one included (0 when wrong).
    pub streak: u32,
}

/// The answers to one question, saved in one transaction at its reveal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionResults {
    pub quiz_id: u64,
    pub guild_id: u64,
    pub channel_id: u64,
    /// When the quiz started.
    pub started_at: UnixMillis,
    /// The question (from 1).
    pub question: u8,
    /// When it closed.
    pub at: UnixMillis,
    pub answers: Vec<AnswerResult>,
}

/// A question whose message is up while its quiz runs: what a restart needs to
/// edit that message to "interrupted" ([`super::interrupted_reply`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub quiz_id: u64,
    pub guild_id: u64,
    pub channel_id: u64,
    /// When the quiz started.
    pub started_at: UnixMillis,
    pub message_id: u64,
    /// The question (from 1).
    pub question: u8,
    /// The labels of its answer buttons, in order.
    pub labels: Vec<String>,
}

/// A write to the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Save {
    /// The quiz's current question message (replaces the previous one).
    InFlight(InFlight),
    /// One question's answers, in one transaction.
    Results(QuestionResults),
    /// The quiz ended normally: no longer in flight.
    Finished { quiz_id: u64, at: UnixMillis },
}

/// What the caller must do, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Answer the interaction (command or click) that caused the event.
    Respond(Reply),
    /// Answer a click by replacing the message its button is on: a host's panel, which
    /// only its host sees.
    Update(Reply),
    /// Post a message in a channel; when `report` is set, send back
    /// [`GameEvent::Posted`] with the new message's id.
    Post {
        channel_id: u64,
        reply: Reply,
        /// The tag to report the id with.
        report: Option<PostTag>,
        /// Unique to this message, so that a retried post cannot appear twice.
        nonce: String,
    },
    /// Edit a message posted before (each question's message is edited once).
    Edit {
        channel_id: u64,
        message_id: u64,
        /// Its new content; buttons disabled.
        reply: Reply,
    },
    /// Write to the store.
    Save(Save),
}

/// What every answer button's `custom_id` starts with: `quiz:<quiz>:<question>:<option>`.
pub const BUTTON_PREFIX: &str = "quiz";

/// An answer button, as its `custom_id` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ButtonId {
    pub quiz_id: u64,
    /// The question, from 1.
    pub question: u8,
    /// The option, from 0.
    pub option: u8,
}

impl ButtonId {
    /// `quiz:<quiz id in hex>:<question>:<option>`.
    pub fn custom_id(self) -> String {
        format!(
            "{BUTTON_PREFIX}:{:x}:{}:{}",
            self.quiz_id, self.question, self.option
        )
    }

    /// Reads what follows `quiz:` in a `custom_id`.
    pub fn parse(state: &str) -> Option<ButtonId> {
        let mut parts = state.split(':');
        let quiz_id = u64::from_str_radix(parts.next()?, 16).ok()?;
        let question = parts.next()?.parse().ok()?;
        let option = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(ButtonId {
            quiz_id,
            question,
            option,
        })
    }
}

/// What a button of a host's control panel asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelAction {
    /// Close the open question now, with its reveal.
    Reveal,
    /// Ask the next question (after revealing the open one).
    Next,
    /// End the quiz, with its standings.
    End,
}

impl PanelAction {
    /// Every action, in the panel's order.
    pub const ALL: [PanelAction; 3] = [PanelAction::Reveal, PanelAction::Next, PanelAction::End];

    fn word(self) -> &'static str {
        match self {
            PanelAction::Reveal => "reveal",
            PanelAction::Next => "next",
            PanelAction::End => "end",
        }
    }
}

/// A button of a host's control panel, as its `custom_id` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PanelButton {
    pub quiz_id: u64,
    pub action: PanelAction,
}

impl PanelButton {
    /// `quiz:<quiz id in hex>:<reveal|next|end>`: two parts after the prefix, where an
    /// answer button has three.
    pub fn custom_id(self) -> String {
        format!("{BUTTON_PREFIX}:{:x}:{}", self.quiz_id, self.action.word())
    }

    /// Reads what follows `quiz:` in a `custom_id`.
    pub fn parse(state: &str) -> Option<PanelButton> {
        let (quiz_id, word) = state.split_once(':')?;
        let quiz_id = u64::from_str_radix(quiz_id, 16).ok()?;
        let action = PanelAction::ALL.into_iter().find(|a| a.word() == word)?;
        Some(PanelButton { quiz_id, action })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panel_button_reads_back_what_it_wrote() {
        for action in PanelAction::ALL {
            let button = PanelButton {
                quiz_id: 0xabc,
                action,
            };
            let id = button.custom_id();
            let state = id.strip_prefix("quiz:").unwrap();
            assert_eq!(PanelButton::parse(state), Some(button));
            assert_eq!(ButtonId::parse(state), None, "not an answer: {id}");
        }
        for forged in ["", "abc", "abc:", "abc:skip", "xyz:next", "abc:next:1"] {
            assert_eq!(PanelButton::parse(forged), None, "{forged}");
        }
    }

    #[test]
    fn a_button_id_reads_back_what_it_wrote() {
        let button = ButtonId {
            quiz_id: 0xabc,
            question: 3,
            option: 2,
        };
        assert_eq!(button.custom_id(), "quiz:abc:3:2");
        assert_eq!(ButtonId::parse("abc:3:2"), Some(button));
        for forged in [
            "",
            "abc",
            "abc:3",
            "abc:3:2:1",
            "xyz:3:2",
            "abc:-1:2",
            "abc:3:300",
        ] {
            assert_eq!(ButtonId::parse(forged), None, "{forged}");
        }
    }
}
