//! One channel's game: its question, players and answers, and how they move on with
//! time: asking, taking answers, closing with a reveal, finishing with a podium.

use rand::RngCore;

use super::events::{AnswerResult, ButtonId, Effect, PostTag, QuestionResults, Save};
use super::question::{Question, QuestionBank, TemplateId};
use super::render;
use super::rules::{
    HOST_GONE_MS, IDLE_LIMIT, Mode, Pace, QuizSettings, REVEAL_PAUSE_MS, score_points,
};
use super::time::UnixMillis;
use crate::caller::Caller;
use crate::reply::Reply;

/// Why a game ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum EndReason {
    /// All questions asked.
    Done,
    /// Stopped by this person.
    Stopped(String),
    /// Nobody answered [`IDLE_LIMIT`] questions in a row.
    Idle,
    /// The host of a host-paced quiz pressed nothing for [`HOST_GONE_MS`].
    HostGone,
    /// The channel refuses the bot's posts, or is gone.
    CannotPost,
    /// The bot is shutting down.
    Shutdown,
}

pub(super) struct Player {
    pub user_id: u64,
    pub name: Box<str>,
    pub points: u32,
    pub streak: u16,
    pub best_streak: u16,
    pub correct: u16,
    pub answered: u16,
    /// Whether their right answers score points (not past `/whosaid`'s daily limit).
    pub scoring: bool,
}

/// One click that counted.
pub(super) struct Answer {
    /// Index in the players.
    pub player: u16,
    pub option: u8,
    /// Milliseconds after the question was asked.
    pub after_ms: u32,
}

/// How long a question's post may take to be confirmed before it counts as failed.
const POSTING_TIMEOUT_MS: u64 = 120_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// The question is drawn and on its way; its time starts when its post is
    /// confirmed.
    Posting { since: UnixMillis },
    /// The question is open until the deadline.
    Asking { deadline: UnixMillis },
    /// The question is revealed; the next comes at `next_at`.
    Between { next_at: UnixMillis },
    /// The question is revealed; the next comes when the host asks for it (a
    /// host-paced quiz).
    Waiting,
}

/// A player's place in a quiz.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub user_id: u64,
    pub name: String,
    /// Points so far.
    pub points: u32,
    pub correct: u16,
    pub answered: u16,
    /// Longest run of correct answers.
    pub best_streak: u16,
}

/// The game running in one channel.
pub struct QuizSession {
    pub(super) id: u64,
    pub(super) mode: Mode,
    pub(super) guild_id: u64,
    pub(super) channel_id: u64,
    pub(super) starter_id: u64,
    pub(super) starter_name: Box<str>,
    pub(super) settings: QuizSettings,
    pub(super) started_at: UnixMillis,
    /// The current question, from 1.
    pub(super) number: u8,
    pub(super) question: Question,
    pub(super) used: Vec<TemplateId>,
    pub(super) asked_at: UnixMillis,
    pub(super) phase: Phase,
    /// The current question's message, once reported.
    pub(super) message_id: Option<u64>,
    pub(super) players: Vec<Player>,
    /// Players who had joined before the current question: when all of them (and any
    /// newcomer) have answered, it closes early. Zero on the first question.
    pub(super) players_before: usize,
    pub(super) answers: Vec<Answer>,
    /// Questions in a row nobody answered.
    pub(super) idle: u8,
    /// Reveals waiting for their question's message id.
    pub(super) pending: Vec<(u8, Reply)>,
    /// When the last question closed (its deadline, however late the wake-up).
    pub(super) closed_at: Option<UnixMillis>,
    /// When the starter last moved the quiz on (its start, a press of the panel, a
    /// skip): a host-paced quiz ends [`HOST_GONE_MS`] after.
    pub(super) host_seen: UnixMillis,
    pub(super) ended: bool,
}

impl QuizSession {
    /// The quiz id its buttons carry.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Quiz or `/whosaid`.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The current question's number, from 1.
    pub fn number(&self) -> u8 {
        self.number
    }

    /// The current question.
    pub fn question(&self) -> &Question {
        &self.question
    }

    /// When the current question closes, while it is open.
    pub fn deadline(&self) -> Option<UnixMillis> {
        match self.phase {
            Phase::Asking { deadline } => Some(deadline),
            Phase::Posting { .. } | Phase::Between { .. } | Phase::Waiting => None,
        }
    }

    /// Every player, best first (by points, then correct answers, then who joined
    /// first).
    pub fn standings(&self) -> Vec<Standing> {
        let mut order: Vec<usize> = (0..self.players.len()).collect();
        order.sort_by_key(|&i| {
            let p = &self.players[i];
            (std::cmp::Reverse(p.points), std::cmp::Reverse(p.correct), i)
        });
        order
            .into_iter()
            .map(|i| {
                let p = &self.players[i];
                Standing {
                    user_id: p.user_id,
                    name: p.name.to_string(),
                    points: p.points,
                    correct: p.correct,
                    answered: p.answered,
                    best_streak: p.best_streak,
                }
            })
            .collect()
    }

    /// About when the game will be over, if it runs to the end; `None` when its host
    /// decides.
    pub fn ends_at(&self) -> Option<UnixMillis> {
        if self.settings.pace == Pace::Host {
            return None;
        }
        let question_ms = u64::from(self.settings.seconds) * 1000;
        let left = u64::from(self.settings.questions.saturating_sub(self.number));
        match self.phase {
            Phase::Posting { since } => Some(
                since
                    .plus_millis(question_ms)
                    .plus_millis(left * (REVEAL_PAUSE_MS + question_ms)),
            ),
            Phase::Asking { deadline } => {
                Some(deadline.plus_millis(left * (REVEAL_PAUSE_MS + question_ms)))
            }
            Phase::Between { next_at } => Some(
                next_at.plus_millis(left * question_ms + left.saturating_sub(1) * REVEAL_PAUSE_MS),
            ),
            Phase::Waiting => None,
        }
    }

    pub(super) fn tag(&self) -> PostTag {
        PostTag {
            quiz_id: self.id,
            question: self.number,
        }
    }

    /// Asks the next question. False when the bank has none left for the filter.
    pub(super) fn ask(
        &mut self,
        bank: &QuestionBank,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) -> bool {
        let Some((template, question)) = bank.pick(&self.settings.filter, &self.used, rng) else {
            return false;
        };
        self.question = question;
        self.begin(template, now, out);
        true
    }

    /// Posts the question just drawn as the next one; it opens when the post is
    /// confirmed ([`QuizSession::shown`]).
    pub(super) fn begin(&mut self, template: TemplateId, now: UnixMillis, out: &mut Vec<Effect>) {
        self.used.push(template);
        self.number += 1;
        self.asked_at = now;
        self.phase = Phase::Posting { since: now };
        self.message_id = None;
        self.answers.clear();
        out.push(Effect::Post {
            channel_id: self.channel_id,
            reply: render::question(self),
            report: Some(self.tag()),
            nonce: format!("q{:x}.{}", self.id, self.number),
        });
    }

    /// Records a click. `Ok` with the acknowledgement, and whether everyone is in;
    /// `Err` with the text of the notice for a click that does not count.
    /// A new player scores points when `scoring` says so.
    pub(super) fn answer(
        &mut self,
        caller: &Caller,
        button: ButtonId,
        now: UnixMillis,
        scoring: bool,
    ) -> Result<(Reply, bool), String> {
        if button.question == 0 || button.question > self.number {
            return Err(render::NOT_OURS.to_string());
        }
        if button.question < self.number {
            return Err("That question is closed: answer the newest one.".to_string());
        }
        let option = usize::from(button.option);
        let Some(text) = self.question.options.get(option) else {
            return Err(render::NOT_OURS.to_string());
        };
        if matches!(self.phase, Phase::Between { .. } | Phase::Waiting) {
            return Err("Time's up: this question is closed.".to_string());
        }
        let player = match self
            .players
            .iter()
            .position(|p| p.user_id == caller.user_id)
        {
            Some(index) => index,
            None => {
                if self.players.len() > usize::from(u16::MAX) {
                    return Err("This quiz has no room for more players.".to_string());
                }
                self.players.push(Player {
                    user_id: caller.user_id,
                    name: render::plain_name(&caller.user_name).into_boxed_str(),
                    points: 0,
                    streak: 0,
                    best_streak: 0,
                    correct: 0,
                    answered: 0,
                    scoring,
                });
                self.players.len() - 1
            }
        };
        if let Some(earlier) = self
            .answers
            .iter()
            .find(|a| usize::from(a.player) == player)
        {
            let chosen = usize::from(earlier.option);
            return Err(format!(
                "You already chose {}.",
                render::option_line(chosen, &self.question.options[chosen])
            ));
        }
        let ack = render::locked_in(option, text);
        self.answers.push(Answer {
            player: player as u16,
            option: button.option,
            after_ms: u32::try_from(now.millis_since(self.asked_at)).unwrap_or(u32::MAX),
        });
        let everyone = self.mode == Mode::Quiz
            && self.players_before > 0
            && self.answers.len() == self.players.len();
        Ok((ack, everyone))
    }

    /// Closes the current question: scores, saves and reveals it.
    pub(super) fn close(&mut self, now: UnixMillis, skipped: bool, out: &mut Vec<Effect>) {
        self.closed_at = Some(now);
        let total_ms = u64::from(self.settings.seconds) * 1000;
        let mut chosen: Vec<Option<(u8, u32)>> = vec![None; self.players.len()];
        for answer in &self.answers {
            chosen[usize::from(answer.player)] = Some((answer.option, answer.after_ms));
        }
        let mut results = Vec::with_capacity(self.answers.len());
        let mut counts = vec![0u32; self.question.options.len()];
        for (player, choice) in self.players.iter_mut().zip(&chosen) {
            let Some((option, after_ms)) = *choice else {
                player.streak = 0;
                continue;
            };
            counts[usize::from(option)] += 1;
            player.answered += 1;
            let correct = usize::from(option) == self.question.answer;
            let mut points = 0;
            if correct {
                player.streak += 1;
                player.best_streak = player.best_streak.max(player.streak);
                player.correct += 1;
                if player.scoring {
                    points = score_points(u64::from(after_ms), total_ms, u32::from(player.streak));
                    player.points += points;
                }
            } else {
                player.streak = 0;
            }
            results.push(AnswerResult {
                user_id: player.user_id,
                user_name: player.name.to_string(),
                correct,
                points,
                streak: u32::from(player.streak),
            });
        }
        if results.is_empty() {
            if !skipped {
                self.idle += 1;
            }
        } else {
            self.idle = 0;
        }
        let reply = render::reveal(self, &results, &counts);
        // Saved even with no answers: the save also says the question is no longer
        // open, so a restart leaves its reveal as it is.
        out.push(Effect::Save(Save::Results(QuestionResults {
            quiz_id: self.id,
            guild_id: self.guild_id,
            channel_id: self.channel_id,
            started_at: self.started_at,
            question: self.number,
            at: now,
            answers: results,
        })));
        match self.message_id {
            Some(message_id) => out.push(Effect::Edit {
                channel_id: self.channel_id,
                message_id,
                reply,
            }),
            None => self.pending.push((self.number, reply)),
        }
        self.players_before = self.players.len();
        self.answers.clear();
        self.phase = self.after_reveal(now);
    }

    /// What follows a question closed at `now`: the next after the pause, or, in a
    /// host-paced quiz, when the host asks.
    fn after_reveal(&self, now: UnixMillis) -> Phase {
        match self.settings.pace {
            Pace::Auto => Phase::Between {
                next_at: now.plus_millis(REVEAL_PAUSE_MS),
            },
            Pace::Host => Phase::Waiting,
        }
    }

    /// Closes the open question now, for its starter (`/quiz skip`, the host's panel):
    /// it does not count as unanswered. The quiz ends after its last question.
    pub(super) fn reveal_now(&mut self, now: UnixMillis, out: &mut Vec<Effect>) {
        self.close(now, true, out);
        if let Some(reason) = self.carry_on() {
            self.finish(reason, now, out);
        }
    }

    /// After a reveal: whether the game is over, and why.
    pub(super) fn carry_on(&self) -> Option<EndReason> {
        if self.idle >= IDLE_LIMIT {
            return Some(EndReason::Idle);
        }
        if self.mode == Mode::WhoSaid || self.number >= self.settings.questions {
            return Some(EndReason::Done);
        }
        None
    }

    /// When this game next needs a wake-up: its question's deadline, the time of its
    /// next question, when a post not yet confirmed counts as failed, or when a host
    /// who pressed nothing counts as gone.
    pub fn wake_at(&self) -> UnixMillis {
        match self.phase {
            Phase::Posting { since } => since.plus_millis(POSTING_TIMEOUT_MS),
            Phase::Asking { deadline } => deadline,
            Phase::Between { next_at } => next_at,
            Phase::Waiting => self.host_seen.plus_millis(HOST_GONE_MS),
        }
    }

    /// The current question's post is confirmed at `now`: its time starts.
    pub(super) fn shown(&mut self, now: UnixMillis) {
        if let Phase::Posting { .. } = self.phase {
            self.asked_at = now;
            self.phase = Phase::Asking {
                deadline: now.plus_secs(u64::from(self.settings.seconds)),
            };
        }
    }

    /// The current question could not be posted: it is dropped unseen (answers given
    /// to it, if any, do not count), and the game moves on after the pause, or ends.
    pub(super) fn unposted(&mut self, now: UnixMillis, out: &mut Vec<Effect>) {
        self.answers.clear();
        self.pending
            .retain(|(question, _)| *question != self.number);
        self.phase = self.after_reveal(now);
        if let Some(reason) = self.carry_on() {
            self.finish(reason, now, out);
        }
    }

    pub(super) fn finish(&mut self, reason: EndReason, now: UnixMillis, out: &mut Vec<Effect>) {
        if self.mode == Mode::Quiz && reason != EndReason::CannotPost {
            out.push(Effect::Post {
                channel_id: self.channel_id,
                reply: render::podium(self, &reason),
                report: None,
                nonce: format!("p{:x}", self.id),
            });
        }
        out.push(Effect::Save(Save::Finished {
            quiz_id: self.id,
            at: now,
        }));
        self.ended = true;
    }

    /// Closes the question if its deadline has passed and asks the next if its time
    /// has come: what a wake-up does, and what every event does first.
    pub(super) fn catch_up(
        &mut self,
        bank: &QuestionBank,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) {
        while !self.ended {
            match self.phase {
                Phase::Posting { since } if now.millis_since(since) >= POSTING_TIMEOUT_MS => {
                    self.unposted(now, out);
                }
                Phase::Asking { deadline } if now >= deadline => {
                    self.close(deadline, false, out);
                    if let Some(reason) = self.carry_on() {
                        self.finish(reason, now, out);
                    }
                }
                Phase::Between { next_at } if now >= next_at => {
                    if !self.ask(bank, now, rng, out) {
                        self.finish(EndReason::Done, now, out);
                    }
                }
                Phase::Waiting if now.millis_since(self.host_seen) >= HOST_GONE_MS => {
                    self.finish(EndReason::HostGone, now, out);
                }
                _ => return,
            }
        }
    }
}
