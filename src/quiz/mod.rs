//! Trivia: questions generated from the dataset, and group quizzes in a channel as a
//! pure state machine.
//!
//! Nothing here does I/O, reads a clock or draws randomness of its own: the caller
//! passes the time ([`UnixMillis`]) and an rng into [`Games::apply`], and carries out
//! the [`Effect`]s it returns (answer an interaction, post or edit a message, save
//! results, wake the game at a given time). The Discord layer and the console are two
//! such callers; the tests are a third.

mod game;
mod question;
mod render;
mod time;

pub use game::{
    AnswerResult, BUTTON_PREFIX, ButtonId, Effect, GameEvent, GameRequest, Games, IDLE_LIMIT,
    InFlight, MAX_POINTS, MIN_POINTS, Mode, PostTag, QUESTIONS_RANGE, QuestionResults, QuizSession,
    QuizSettings, REVEAL_PAUSE_MS, SECONDS_RANGE, STREAK_BONUS, STREAK_BONUS_MAX, Save, Standing,
    WHOSAID_SECONDS, score_points,
};
pub use question::{
    Difficulty, Filter, Kind, NoQuestions, OPTIONS, Question, QuestionBank, SourceRef, TemplateId,
    UnknownName, questions_json,
};
pub use render::{NOT_OURS, interrupted_reply};
pub use time::UnixMillis;
