//! Host-paced quizzes: what a press on the host's control panel does to the game. The
//! questions close at their deadlines by themselves; only the next question waits for
//! the host, and a host who presses nothing for [`HOST_GONE_MS`] ends the quiz.
//!
//! [`HOST_GONE_MS`]: super::rules::HOST_GONE_MS

use rand::RngCore;

use super::events::{Effect, PanelAction};
use super::question::QuestionBank;
use super::rules::REVEAL_PAUSE_MS;
use super::session::{EndReason, Phase, QuizSession};
use super::time::UnixMillis;

impl QuizSession {
    /// The host (named `host`) pressed `action` at `now`: the quiz moves as asked. Next
    /// on an open question reveals it and asks the next after the usual pause, so that
    /// the room still reads the answer. Returns what happened, for the panel.
    pub(super) fn press(
        &mut self,
        action: PanelAction,
        host: &str,
        bank: &QuestionBank,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) -> String {
        self.host_seen = now;
        let number = self.number;
        let open = matches!(self.phase, Phase::Posting { .. } | Phase::Asking { .. });
        match action {
            PanelAction::Reveal if open => {
                self.reveal_now(now, out);
                format!("Question {number} revealed.")
            }
            PanelAction::Reveal => format!("Question {number} is already revealed."),
            PanelAction::Next if open => {
                self.reveal_now(now, out);
                if !self.ended {
                    self.phase = Phase::Between {
                        next_at: now.plus_millis(REVEAL_PAUSE_MS),
                    };
                }
                format!("Question {number} revealed.")
            }
            PanelAction::Next => match self.phase {
                Phase::Waiting => {
                    if !self.ask(bank, now, rng, out) {
                        self.finish(EndReason::Done, now, out);
                    }
                    "On to the next question.".to_string()
                }
                _ => "The next question is on its way.".to_string(),
            },
            PanelAction::End => {
                if open {
                    self.close(now, true, out);
                }
                self.finish(EndReason::Stopped(host.to_string()), now, out);
                "You ended the quiz.".to_string()
            }
        }
    }
}
