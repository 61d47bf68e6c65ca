//! Trivia: questions generated from the dataset, and group quizzes in a channel as a
//! pure state machine.
//!
//! Nothing here does I/O, reads a clock or draws randomness of its own: the caller
//! passes the time ([`UnixMillis`]) and an rng into [`Games::apply`], and carries out
//! the [`Effect`]s it returns (answer an interaction or update a host's panel, post or
//! edit a message, save results, wake the game at a given time). The application core
//! is that caller.

mod events;
mod games;
mod host;
mod question;
mod render;
mod rules;
mod session;
mod time;

pub use events::{
    AnswerResult, BUTTON_PREFIX, ButtonId, Effect, GameEvent, GameRequest, InFlight, PanelAction,
    PanelButton, PostTag, QuestionResults, Save,
};
pub use games::Games;
pub use question::{
    Difficulty, Filter, Kind, NoQuestions, OPTIONS, Question, QuestionBank, SourceRef, TemplateId,
    UnknownName, questions_json,
};
pub use render::{NOT_OURS, interrupted_reply, letter, listed_options};
pub use rules::{
    HOST_GONE_MS, IDLE_LIMIT, MAX_POINTS, MIN_POINTS, Mode, Pace, QUESTIONS_RANGE, QuizSettings,
    REVEAL_PAUSE_MS, SECONDS_RANGE, STREAK_BONUS, STREAK_BONUS_MAX, WHOSAID_COOLDOWN_MS,
    WHOSAID_SCORED_A_DAY, WHOSAID_SECONDS, score_points,
};
pub use session::{QuizSession, Standing};
pub use time::UnixMillis;
