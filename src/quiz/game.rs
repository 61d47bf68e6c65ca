//! The game: one quiz (or one `/whosaid` question) per channel, as a state machine.
//!
//! [`Games::apply`] takes an event (a command, a click, a posted message's id, a
//! wake-up) and the time, changes the state, and returns what the caller must do. It
//! never waits: deadlines become [`Effect::WakeAt`], and an event that arrives after a
//! deadline first closes what is due, so a late wake-up cannot let a late click in.
//!
//! Each question costs two channel writes, its post and its one edit at the reveal;
//! each command or click gets exactly one response.

use std::collections::HashMap;
use std::sync::Arc;

use rand::{Rng, RngCore};

use super::question::{Filter, Question, QuestionBank, TemplateId};
use super::render;
use super::time::UnixMillis;
use crate::caller::Caller;
use crate::permissions::Permissions;
use crate::reply::{Reply, Text, TimeStyle};

/// What every game button's `custom_id` starts with: `quiz:<quiz>:<question>:<option>`.
pub const BUTTON_PREFIX: &str = "quiz";
/// Seconds a `/whosaid` question stays open.
pub const WHOSAID_SECONDS: u8 = 20;
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

/// The answer to `/quiz stop` or `/quiz skip` where no quiz runs.
const NO_QUIZ: &str = "No quiz is running in this channel. Start one with `/quiz start`.";

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

/// The options of `/quiz start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuizSettings {
    /// Number of questions.
    pub questions: u8,
    /// Seconds each question stays open.
    pub seconds: u8,
    /// Which questions to ask.
    pub filter: Filter,
}

impl Default for QuizSettings {
    fn default() -> QuizSettings {
        QuizSettings {
            questions: 10,
            seconds: 20,
            filter: Filter::default(),
        }
    }
}

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
}

/// Which message a post was, so its id can be reported back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PostTag {
    /// The quiz.
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
        /// Where.
        channel_id: u64,
        /// The tag of the post.
        tag: PostTag,
        /// The new message's id.
        message_id: u64,
    },
    /// A time asked for with [`Effect::WakeAt`] has come (early or repeated wake-ups
    /// are harmless).
    Tick {
        /// The channel that asked.
        channel_id: u64,
    },
}

/// One player's answer to one question, as saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerResult {
    /// Discord user id.
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
    /// The quiz.
    pub quiz_id: u64,
    /// The server.
    pub guild_id: u64,
    /// The channel.
    pub channel_id: u64,
    /// When the quiz started.
    pub started_at: UnixMillis,
    /// The question (from 1).
    pub question: u8,
    /// When it closed.
    pub at: UnixMillis,
    /// Every answer given.
    pub answers: Vec<AnswerResult>,
}

/// A question whose message is up while its quiz runs: what a restart needs to
/// edit that message to "interrupted" ([`super::interrupted_reply`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// The quiz.
    pub quiz_id: u64,
    /// The server.
    pub guild_id: u64,
    /// The channel.
    pub channel_id: u64,
    /// When the quiz started.
    pub started_at: UnixMillis,
    /// The question's message.
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
    Finished {
        /// The quiz.
        quiz_id: u64,
        /// When.
        at: UnixMillis,
    },
}

/// What the caller must do, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Answer the interaction (command or click) that caused the event.
    Respond(Reply),
    /// Post a message in a channel; when `report` is set, send back
    /// [`GameEvent::Posted`] with the new message's id.
    Post {
        /// Where.
        channel_id: u64,
        /// What.
        reply: Reply,
        /// The tag to report the id with.
        report: Option<PostTag>,
    },
    /// Edit a message posted before (each question's message is edited once).
    Edit {
        /// Where.
        channel_id: u64,
        /// Which message.
        message_id: u64,
        /// Its new content; buttons disabled.
        reply: Reply,
    },
    /// Write to the store.
    Save(Save),
    /// Send [`GameEvent::Tick`] for this channel at `at` (or later).
    WakeAt {
        /// The channel.
        channel_id: u64,
        /// When.
        at: UnixMillis,
    },
    /// The game in this channel ended; pending wake-ups can be dropped.
    Ended {
        /// The channel.
        channel_id: u64,
        /// The quiz.
        quiz_id: u64,
    },
}

/// Why a game ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum EndReason {
    /// All questions asked.
    Done,
    /// Stopped by this person.
    Stopped(String),
    /// Nobody answered [`IDLE_LIMIT`] questions in a row.
    Idle,
}

pub(super) struct Player {
    pub user_id: u64,
    pub name: Box<str>,
    pub points: u32,
    pub streak: u16,
    pub best_streak: u16,
    pub correct: u16,
    pub answered: u16,
}

/// One click that counted.
pub(super) struct Answer {
    /// Index in the players.
    pub player: u16,
    pub option: u8,
    /// Milliseconds after the question was asked.
    pub after_ms: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// The question is open until the deadline.
    Asking { deadline: UnixMillis },
    /// The question is revealed; the next comes at `next_at`.
    Between { next_at: UnixMillis },
}

/// A player's place in a quiz.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Discord user id.
    pub user_id: u64,
    /// Name shown.
    pub name: String,
    /// Points so far.
    pub points: u32,
    /// Correct answers.
    pub correct: u16,
    /// Questions answered.
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
    pub(super) ended: bool,
}

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
            Phase::Between { .. } => None,
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

    /// About when the game will be over, if it runs to the end.
    pub fn ends_at(&self) -> UnixMillis {
        let question_ms = u64::from(self.settings.seconds) * 1000;
        let left = u64::from(self.settings.questions.saturating_sub(self.number));
        match self.phase {
            Phase::Asking { deadline } => {
                deadline.plus_millis(left * (REVEAL_PAUSE_MS + question_ms))
            }
            Phase::Between { next_at } => {
                next_at.plus_millis(left * question_ms + left.saturating_sub(1) * REVEAL_PAUSE_MS)
            }
        }
    }

    fn tag(&self) -> PostTag {
        PostTag {
            quiz_id: self.id,
            question: self.number,
        }
    }

    /// Asks the next question. False when the bank has none left for the filter.
    fn ask(
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

    /// Posts the question just drawn as the next one and opens it until the deadline.
    fn begin(&mut self, template: TemplateId, now: UnixMillis, out: &mut Vec<Effect>) {
        self.used.push(template);
        self.number += 1;
        self.asked_at = now;
        let deadline = now.plus_secs(u64::from(self.settings.seconds));
        self.phase = Phase::Asking { deadline };
        self.message_id = None;
        self.answers.clear();
        out.push(Effect::Post {
            channel_id: self.channel_id,
            reply: render::question(self),
            report: Some(self.tag()),
        });
        out.push(Effect::WakeAt {
            channel_id: self.channel_id,
            at: deadline,
        });
    }

    /// Records a click. `Ok` with the acknowledgement, and whether everyone is in;
    /// `Err` with the text of the notice for a click that does not count.
    fn answer(
        &mut self,
        caller: &Caller,
        button: ButtonId,
        now: UnixMillis,
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
        if !matches!(self.phase, Phase::Asking { .. }) {
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
    fn close(&mut self, now: UnixMillis, skipped: bool, out: &mut Vec<Effect>) {
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
                points = score_points(u64::from(after_ms), total_ms, u32::from(player.streak));
                player.points += points;
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
        if !results.is_empty() {
            out.push(Effect::Save(Save::Results(QuestionResults {
                quiz_id: self.id,
                guild_id: self.guild_id,
                channel_id: self.channel_id,
                started_at: self.started_at,
                question: self.number,
                at: now,
                answers: results,
            })));
        }
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
        self.phase = Phase::Between {
            next_at: now.plus_millis(REVEAL_PAUSE_MS),
        };
    }

    /// After a reveal: waits for the next question, or says why the game is over.
    fn carry_on(&mut self, out: &mut Vec<Effect>) -> Option<EndReason> {
        if self.idle >= IDLE_LIMIT {
            return Some(EndReason::Idle);
        }
        if self.mode == Mode::WhoSaid || self.number >= self.settings.questions {
            return Some(EndReason::Done);
        }
        if let Phase::Between { next_at } = self.phase {
            out.push(Effect::WakeAt {
                channel_id: self.channel_id,
                at: next_at,
            });
        }
        None
    }

    fn finish(&mut self, reason: EndReason, now: UnixMillis, out: &mut Vec<Effect>) {
        if self.mode == Mode::Quiz {
            out.push(Effect::Post {
                channel_id: self.channel_id,
                reply: render::podium(self, &reason),
                report: None,
            });
        }
        out.push(Effect::Save(Save::Finished {
            quiz_id: self.id,
            at: now,
        }));
        out.push(Effect::Ended {
            channel_id: self.channel_id,
            quiz_id: self.id,
        });
        self.ended = true;
    }

    /// Closes the question if its deadline has passed and asks the next if its time
    /// has come: what a wake-up does, and what every event does first.
    fn catch_up(
        &mut self,
        bank: &QuestionBank,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) {
        while !self.ended {
            match self.phase {
                Phase::Asking { deadline } if now >= deadline => {
                    self.close(deadline, false, out);
                    if let Some(reason) = self.carry_on(out) {
                        self.finish(reason, now, out);
                    }
                }
                Phase::Between { next_at } if now >= next_at => {
                    if !self.ask(bank, now, rng, out) {
                        self.finish(EndReason::Done, now, out);
                    }
                }
                _ => return,
            }
        }
    }
}

/// Every game in progress, by channel.
pub struct Games {
    bank: Arc<QuestionBank>,
    sessions: HashMap<u64, Box<QuizSession>>,
}

impl Games {
    /// No games yet; questions come from `bank`.
    pub fn new(bank: Arc<QuestionBank>) -> Games {
        Games {
            bank,
            sessions: HashMap::new(),
        }
    }

    /// The game in a channel.
    pub fn session(&self, channel_id: u64) -> Option<&QuizSession> {
        self.sessions.get(&channel_id).map(Box::as_ref)
    }

    /// Number of games in progress.
    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    /// Whether no game is in progress.
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// Applies one event at time `now`, drawing questions with `rng`, and returns what
    /// to do, in order. A request gets exactly one response, first: [`Effect::Respond`].
    pub fn apply(
        &mut self,
        event: GameEvent,
        now: UnixMillis,
        rng: &mut dyn RngCore,
    ) -> Vec<Effect> {
        let mut out = Vec::new();
        let channel_id = match &event {
            GameEvent::Request { caller, .. } => caller.channel_id,
            GameEvent::Posted { channel_id, .. } | GameEvent::Tick { channel_id } => *channel_id,
        };
        if let Some(session) = self.sessions.get_mut(&channel_id) {
            session.catch_up(&self.bank, now, rng, &mut out);
        }
        self.drop_ended(channel_id);
        let response = match event {
            GameEvent::Request { caller, request } => Some(Effect::Respond(
                self.request(&caller, request, now, rng, &mut out),
            )),
            GameEvent::Posted {
                tag, message_id, ..
            } => {
                self.posted(channel_id, tag, message_id, &mut out);
                None
            }
            GameEvent::Tick { .. } => None,
        };
        self.drop_ended(channel_id);
        if let Some(response) = response {
            out.insert(0, response);
        }
        out
    }

    fn drop_ended(&mut self, channel_id: u64) {
        if self.sessions.get(&channel_id).is_some_and(|s| s.ended) {
            self.sessions.remove(&channel_id);
        }
    }

    fn request(
        &mut self,
        caller: &Caller,
        request: GameRequest,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) -> Reply {
        let Some(guild_id) = caller.guild_id else {
            return Reply::error("Trivia is played in a server channel, not in direct messages.");
        };
        match request {
            GameRequest::Start(settings) => {
                self.start(caller, guild_id, Mode::Quiz, settings, now, rng, out)
            }
            GameRequest::WhoSaid => {
                let settings = QuizSettings {
                    questions: 1,
                    seconds: WHOSAID_SECONDS,
                    filter: Filter {
                        kind: Some(super::Kind::WhoSaidIt),
                        difficulty: None,
                    },
                };
                self.start(caller, guild_id, Mode::WhoSaid, settings, now, rng, out)
            }
            GameRequest::Stop => self.stop(caller, now, out),
            GameRequest::Skip => self.skip(caller, now, rng, out),
            GameRequest::Answer(button) => self.click(caller, button, now, out),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn start(
        &mut self,
        caller: &Caller,
        guild_id: u64,
        mode: Mode,
        settings: QuizSettings,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) -> Reply {
        if let Some(running) = self.sessions.get(&caller.channel_id) {
            let what = match running.mode {
                Mode::Quiz => "A quiz",
                Mode::WhoSaid => "A /whosaid question",
            };
            return Reply::error(
                Text::from(&format!("{what} is already running here, it ends "))
                    .time(running.ends_at().to_datetime(), TimeStyle::Relative)
                    .plain("."),
            );
        }
        let Some((template, question)) = self.bank.pick(&settings.filter, &[], rng) else {
            return Reply::error(format!(
                "There are no questions of {}. Try another kind or difficulty.",
                settings.filter.describe()
            ));
        };
        let mut session = Box::new(QuizSession {
            id: (rng.random::<u64>() >> 12).max(1),
            mode,
            guild_id,
            channel_id: caller.channel_id,
            starter_id: caller.user_id,
            starter_name: render::plain_name(&caller.user_name).into_boxed_str(),
            settings,
            started_at: now,
            number: 0,
            question,
            used: Vec::with_capacity(usize::from(settings.questions)),
            asked_at: now,
            phase: Phase::Between { next_at: now },
            message_id: None,
            players: Vec::new(),
            players_before: 0,
            answers: Vec::new(),
            idle: 0,
            pending: Vec::new(),
            ended: false,
        });
        session.begin(template, now, out);
        tracing::debug!(
            quiz = session.id,
            channel = caller.channel_id,
            ?mode,
            "game started"
        );
        let reply = render::started(&session);
        self.sessions.insert(caller.channel_id, session);
        reply
    }

    fn running_quiz(&mut self, channel_id: u64) -> Option<&mut QuizSession> {
        self.sessions
            .get_mut(&channel_id)
            .map(Box::as_mut)
            .filter(|session| session.mode == Mode::Quiz)
    }

    fn stop(&mut self, caller: &Caller, now: UnixMillis, out: &mut Vec<Effect>) -> Reply {
        let Some(session) = self.running_quiz(caller.channel_id) else {
            return Reply::error(NO_QUIZ);
        };
        if caller.user_id != session.starter_id
            && !caller.permissions.allow(Permissions::MANAGE_MESSAGES)
        {
            return Reply::error(format!(
                "Only {} (who started it) or members who can manage messages can stop this quiz.",
                session.starter_name
            ));
        }
        if matches!(session.phase, Phase::Asking { .. }) {
            session.close(now, true, out);
        }
        let name = render::plain_name(&caller.user_name);
        session.finish(EndReason::Stopped(name.clone()), now, out);
        render::notice(&format!("Quiz stopped by {name}."), false)
    }

    fn skip(
        &mut self,
        caller: &Caller,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) -> Reply {
        let bank = Arc::clone(&self.bank);
        let Some(session) = self.running_quiz(caller.channel_id) else {
            return Reply::error(NO_QUIZ);
        };
        if caller.user_id != session.starter_id {
            return Reply::error(format!(
                "Only {}, who started this quiz, can skip a question.",
                session.starter_name
            ));
        }
        match session.phase {
            Phase::Asking { .. } => {
                let number = session.number;
                session.close(now, true, out);
                if let Some(reason) = session.carry_on(out) {
                    session.finish(reason, now, out);
                }
                render::notice(&format!("Question {number} skipped."), true)
            }
            Phase::Between { .. } => {
                if !session.ask(&bank, now, rng, out) {
                    session.finish(EndReason::Done, now, out);
                }
                render::notice("On to the next question.", true)
            }
        }
    }

    fn click(
        &mut self,
        caller: &Caller,
        button: ButtonId,
        now: UnixMillis,
        out: &mut Vec<Effect>,
    ) -> Reply {
        if caller.is_bot {
            return Reply::error("Bots can't play.");
        }
        let Some(session) = self
            .sessions
            .get_mut(&caller.channel_id)
            .filter(|s| s.id == button.quiz_id)
        else {
            return Reply::error(
                "This quiz is over. Start a new one with `/quiz start`, or try `/whosaid`.",
            );
        };
        match session.answer(caller, button, now) {
            Err(notice) => Reply::error(&notice),
            Ok((ack, everyone)) => {
                if everyone {
                    session.close(now, false, out);
                    if let Some(reason) = session.carry_on(out) {
                        session.finish(reason, now, out);
                    }
                }
                ack
            }
        }
    }

    fn posted(&mut self, channel_id: u64, tag: PostTag, message_id: u64, out: &mut Vec<Effect>) {
        let Some(session) = self
            .sessions
            .get_mut(&channel_id)
            .filter(|s| s.id == tag.quiz_id)
        else {
            return;
        };
        if let Some(at) = session.pending.iter().position(|(q, _)| *q == tag.question) {
            let (_, reply) = session.pending.remove(at);
            out.push(Effect::Edit {
                channel_id,
                message_id,
                reply,
            });
            return;
        }
        if tag.question != session.number || session.message_id.is_some() {
            return;
        }
        session.message_id = Some(message_id);
        out.push(Effect::Save(Save::InFlight(InFlight {
            quiz_id: session.id,
            guild_id: session.guild_id,
            channel_id,
            started_at: session.started_at,
            message_id,
            question: session.number,
            labels: render::labels(&session.question),
        })));
    }
}
