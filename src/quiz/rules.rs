//! The rules' numbers: points, streak bonus, time limits, and the settings of a quiz.

use super::question::Filter;

/// Seconds a `/whosaid` question stays open.
pub const WHOSAID_SECONDS: u8 = 20;
/// After a `/whosaid` ends, how long before the next may start in the same channel.
pub const WHOSAID_COOLDOWN_MS: u64 = 30_000;
/// `/whosaid` answers that score points, per player and server, each day (UTC); the
/// later ones count in stats only.
pub const WHOSAID_SCORED_A_DAY: u16 = 20;
/// Pause between a reveal and the next question, for reading the answer.
pub const REVEAL_PAUSE_MS: u64 = 5_000;
/// Points for a correct answer given at once.
pub const MAX_POINTS: u32 = 1000;
/// Points for a correct answer given at the deadline.
pub const MIN_POINTS: u32 = 500;
/// Bonus per correct answer in a row after the first.
pub const STREAK_BONUS: u32 = 100;
/// Largest streak bonus.
pub const STREAK_BONUS_MAX: u32 = 500;
/// Questions in a row nobody answers before a quiz ends by itself.
pub const IDLE_LIMIT: u8 = 2;
/// Allowed numbers of questions in a quiz.
pub const QUESTIONS_RANGE: (i64, i64) = (5, 20);
/// Allowed seconds per question.
pub const SECONDS_RANGE: (i64, i64) = (10, 60);
/// How long a host-paced quiz waits for its host's next press before it ends by itself.
pub const HOST_GONE_MS: u64 = 600_000;

/// Points for a correct answer `after_ms` into a question open `total_ms`, with
/// `streak` correct answers in a row including this one: 1000 at once down to 500 at
/// the deadline, plus 100 per answer of the streak after the first (at most 500).
pub fn score_points(after_ms: u64, total_ms: u64, streak: u32) -> u32 {
    let total = total_ms.max(1);
    let left = total.saturating_sub(after_ms);
    let speed = u64::from(MAX_POINTS - MIN_POINTS) * left / total;
    let bonus = (streak.saturating_sub(1) * STREAK_BONUS).min(STREAK_BONUS_MAX);
    MIN_POINTS + speed as u32 + bonus
}

/// A group quiz or a single `/whosaid` question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `/quiz start`: several questions, standings, a podium.
    Quiz,
    /// `/whosaid`: one quote, anyone answers until the time is up.
    WhoSaid,
}

/// Who moves a quiz on from one question to the next. Users type its name (`host`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, strum::EnumString, strum::VariantNames)]
#[strum(serialize_all = "kebab-case", ascii_case_insensitive)]
pub enum Pace {
    /// The timers: each question a few seconds after the last reveal.
    #[default]
    Auto,
    /// The starter, from a private control panel: each question waits for them.
    Host,
}

/// The options of `/quiz start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuizSettings {
    pub questions: u8,
    /// Seconds each question stays open.
    pub seconds: u8,
    /// Which questions to ask.
    pub filter: Filter,
    /// Who moves the quiz on.
    pub pace: Pace,
}

impl QuizSettings {
    /// These settings for a pool of `available` different questions: a game never asks
    /// one twice, so it asks at most that many. `None` when the pool is smaller than
    /// the least a game of `mode` asks (a quiz's [`QUESTIONS_RANGE`] minimum).
    pub fn within(self, available: usize, mode: Mode) -> Option<QuizSettings> {
        let least = match mode {
            Mode::Quiz => QUESTIONS_RANGE.0 as usize,
            Mode::WhoSaid => 1,
        };
        if available < least {
            return None;
        }
        Some(QuizSettings {
            questions: self
                .questions
                .min(u8::try_from(available).unwrap_or(u8::MAX)),
            ..self
        })
    }
}

impl Default for QuizSettings {
    fn default() -> QuizSettings {
        QuizSettings {
            questions: 10,
            seconds: 20,
            filter: Filter::default(),
            pace: Pace::Auto,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quicker_right_answers_and_streaks_score_more() {
        assert_eq!(score_points(0, 20_000, 1), MAX_POINTS);
        assert_eq!(score_points(20_000, 20_000, 1), MIN_POINTS);
        assert_eq!(
            score_points(99_000, 20_000, 1),
            MIN_POINTS,
            "late is the floor"
        );
        assert_eq!(score_points(10_000, 20_000, 2), 750 + STREAK_BONUS);
        assert_eq!(
            score_points(0, 0, 1),
            MAX_POINTS,
            "no time at all is not a division by 0"
        );
        assert_eq!(score_points(0, 20_000, 99), MAX_POINTS + STREAK_BONUS_MAX);
    }

    #[test]
    fn a_small_pool_shortens_a_quiz_down_to_its_minimum() {
        let asked = QuizSettings {
            questions: 12,
            ..QuizSettings::default()
        };
        assert_eq!(asked.within(30, Mode::Quiz), Some(asked));
        assert_eq!(asked.within(7, Mode::Quiz).map(|s| s.questions), Some(7));
        assert_eq!(asked.within(5, Mode::Quiz).map(|s| s.questions), Some(5));
        assert_eq!(asked.within(4, Mode::Quiz), None);
        let one = QuizSettings {
            questions: 1,
            ..asked
        };
        assert_eq!(one.within(1, Mode::WhoSaid), Some(one));
        assert_eq!(one.within(0, Mode::WhoSaid), None);
    }
}
