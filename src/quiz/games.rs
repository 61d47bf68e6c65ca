//! The game: one quiz (or one `/whosaid` question) per channel, as a state machine.
//!
//! [`Games::apply`] takes an event (a command, a click, a posted message's id, a
//! wake-up) and the time, changes the state, and returns what the caller must do. It
//! never waits: the caller asks [`Games::next_wake`] when to tick, and an event that arrives after a
//! deadline first closes what is due, so a late wake-up cannot let a late click in.
//!
//! Each question costs two channel writes, its post and its one edit at the reveal;
//! each command or click gets exactly one response.

use std::collections::HashMap;
use std::sync::Arc;

use rand::{Rng, RngCore};

use super::events::{
    ButtonId, Effect, GameEvent, GameRequest, InFlight, PanelButton, PostTag, Save,
};
use super::question::{Filter, QuestionBank};
use super::render;
use super::rules::{
    Mode, Pace, QuizSettings, WHOSAID_COOLDOWN_MS, WHOSAID_SCORED_A_DAY, WHOSAID_SECONDS,
};
use super::session::{EndReason, Phase, QuizSession};
use super::time::UnixMillis;
use crate::caller::Caller;
use crate::permissions::Permissions;
use crate::reply::{Reply, Text, TimeStyle};

/// The answer to `/quiz stop` or `/quiz skip` where no quiz runs.
const NO_QUIZ: &str = "No quiz is running in this channel. Start one with `/quiz start`.";

/// Every game in progress, by channel.
pub struct Games {
    bank: Arc<QuestionBank>,
    sessions: HashMap<u64, Box<QuizSession>>,
    /// Reveals of ended games whose question's message has not been reported yet (a
    /// post slower than the game's end): the message is edited when it is.
    unrevealed: HashMap<PostTag, Reply>,
    /// Channels where a `/whosaid` ended lately, with when the next may start.
    cooling: HashMap<u64, UnixMillis>,
    /// `/whosaid` answers that scored today (the UTC day `scored_day`), by server and
    /// player.
    scored: HashMap<(u64, u64), u16>,
    scored_day: u64,
}

/// Milliseconds in a day.
const DAY_MS: u64 = 86_400_000;

impl Games {
    /// No games yet; questions come from `bank`.
    pub fn new(bank: Arc<QuestionBank>) -> Games {
        Games {
            bank,
            sessions: HashMap::new(),
            unrevealed: HashMap::new(),
            cooling: HashMap::new(),
            scored: HashMap::new(),
            scored_day: 0,
        }
    }

    /// The game in a channel.
    pub fn session(&self, channel_id: u64) -> Option<&QuizSession> {
        self.sessions.get(&channel_id).map(Box::as_ref)
    }

    /// The earliest time a game needs a [`GameEvent::Tick`], leaving out the channels
    /// `skip` names; `None` when no other game runs.
    pub fn next_wake(&self, skip: impl Fn(u64) -> bool) -> Option<UnixMillis> {
        self.sessions
            .iter()
            .filter(|(channel, _)| !skip(**channel))
            .map(|(_, session)| session.wake_at())
            .min()
    }

    /// The channels whose game needs a [`GameEvent::Tick`] at `now`.
    pub fn due(&self, now: UnixMillis) -> Vec<u64> {
        self.sessions
            .iter()
            .filter(|(_, session)| session.wake_at() <= now)
            .map(|(channel, _)| *channel)
            .collect()
    }

    /// Ends every game at `now`, for a shutdown: open questions are revealed with the
    /// answers given so far, which are saved, and each quiz ends with its standings.
    pub fn end_all(&mut self, now: UnixMillis) -> Vec<Effect> {
        let mut out = Vec::new();
        let channels: Vec<u64> = self.sessions.keys().copied().collect();
        for channel_id in channels {
            if let Some(session) = self.sessions.get_mut(&channel_id) {
                if matches!(session.phase, Phase::Posting { .. } | Phase::Asking { .. }) {
                    session.close(now, true, &mut out);
                }
                session.finish(EndReason::Shutdown, now, &mut out);
            }
            self.drop_ended(channel_id, now);
        }
        out
    }

    /// The game of `channel_id`, if it is quiz `quiz_id`.
    fn game(&mut self, channel_id: u64, quiz_id: u64) -> Option<&mut QuizSession> {
        self.sessions
            .get_mut(&channel_id)
            .map(Box::as_mut)
            .filter(|s| s.id == quiz_id)
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
            GameEvent::Posted { channel_id, .. }
            | GameEvent::PostFailed { channel_id, .. }
            | GameEvent::Tick { channel_id } => *channel_id,
        };
        if let Some(session) = self.sessions.get_mut(&channel_id) {
            session.catch_up(&self.bank, now, rng, &mut out);
        }
        self.drop_ended(channel_id, now);
        let response = match event {
            GameEvent::Request { caller, request } => {
                Some(self.request(&caller, request, now, rng, &mut out))
            }
            GameEvent::Posted {
                tag, message_id, ..
            } => {
                self.posted(channel_id, tag, message_id, now, &mut out);
                None
            }
            GameEvent::PostFailed { tag, gone, .. } => {
                self.post_failed(channel_id, tag, gone, now, &mut out);
                None
            }
            GameEvent::Tick { .. } => None,
        };
        self.drop_ended(channel_id, now);
        if let Some(response) = response {
            out.insert(0, response);
        }
        out
    }

    /// Removes the channel's game if it ended (by `now`), keeping the reveals still
    /// waiting for their question's message; a `/whosaid` leaves the channel cooling
    /// from its reveal on.
    fn drop_ended(&mut self, channel_id: u64, now: UnixMillis) {
        if !self.sessions.get(&channel_id).is_some_and(|s| s.ended) {
            return;
        }
        if let Some(session) = self.sessions.remove(&channel_id) {
            if session.mode == Mode::WhoSaid {
                let ended = session.closed_at.unwrap_or(now);
                self.cooling
                    .insert(channel_id, ended.plus_millis(WHOSAID_COOLDOWN_MS));
            }
            for (question, reply) in session.pending {
                let tag = PostTag {
                    quiz_id: session.id,
                    question,
                };
                self.unrevealed.insert(tag, reply);
            }
        }
    }

    /// The one response to a request: [`Effect::Respond`], or [`Effect::Update`] for
    /// the host's panel.
    fn request(
        &mut self,
        caller: &Caller,
        request: GameRequest,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) -> Effect {
        let Some(guild_id) = caller.guild_id else {
            return Effect::Respond(Reply::error(
                "Trivia is played in a server channel, not in direct messages.",
            ));
        };
        let reply = match request {
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
                    pace: Pace::Auto,
                };
                self.start(caller, guild_id, Mode::WhoSaid, settings, now, rng, out)
            }
            GameRequest::Stop => self.stop(caller, now, out),
            GameRequest::Skip => self.skip(caller, now, rng, out),
            GameRequest::Answer(button) => self.click(caller, button, now, out),
            GameRequest::Panel(button) => return self.panel(caller, button, now, rng, out),
        };
        Effect::Respond(reply)
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
        let missing = caller
            .bot_permissions
            .missing(Permissions::to_run_a_quiz(caller.in_thread));
        if !missing.is_empty() {
            return Reply::error(format!(
                "I can't run a game here: I'm missing {} in this channel. Give me that in \
                 the channel's settings (Edit Channel → Permissions), or play in another \
                 channel.",
                missing.names()
            ));
        }
        if let Some(running) = self.sessions.get(&caller.channel_id) {
            let what = match running.mode {
                Mode::Quiz => "A quiz",
                Mode::WhoSaid => "A /whosaid question",
            };
            let text = Text::from(&format!("{what} is already running here"));
            return Reply::error(match running.ends_at() {
                Some(at) => text
                    .plain(", it ends ")
                    .time(at.to_datetime(), TimeStyle::Relative)
                    .plain("."),
                None => text
                    .plain(": ")
                    .name(&running.starter_name)
                    .plain(" hosts it, and it ends when they end it."),
            });
        }
        if mode == Mode::WhoSaid {
            self.cooling.retain(|_, until| *until > now);
            if let Some(until) = self.cooling.get(&caller.channel_id) {
                return Reply::error(
                    Text::from("The next `/whosaid` here can start ")
                        .time(until.to_datetime(), TimeStyle::Relative)
                        .plain(&format!(
                            ": one every {} seconds per channel.",
                            WHOSAID_COOLDOWN_MS / 1000
                        )),
                );
            }
        }
        let requested = settings.questions;
        let available = self.bank.available(&settings.filter);
        let Some(settings) = settings.within(available, mode) else {
            return render::too_few(&settings.filter, available);
        };
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
            closed_at: None,
            host_seen: now,
            ended: false,
        });
        if settings.pace == Pace::Host {
            // The start's own answer is the host's private panel: the channel hears of
            // the quiz from a post.
            out.push(Effect::Post {
                channel_id: caller.channel_id,
                reply: render::started(&session, requested),
                report: None,
                nonce: format!("s{:x}", session.id),
            });
        }
        session.begin(template, now, out);
        tracing::debug!(
            quiz = session.id,
            channel = caller.channel_id,
            ?mode,
            "game started"
        );
        let reply = match settings.pace {
            Pace::Auto => render::started(&session, requested),
            Pace::Host => render::panel(&session, "Your quiz has started."),
        };
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
            return render::only_starter_stops(&session.starter_name);
        }
        if matches!(session.phase, Phase::Posting { .. } | Phase::Asking { .. }) {
            session.close(now, true, out);
        }
        let name = render::plain_name(&caller.user_name);
        session.finish(EndReason::Stopped(name), now, out);
        render::stopped()
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
            return render::only_starter_skips(&session.starter_name);
        }
        session.host_seen = now;
        match session.phase {
            Phase::Posting { .. } | Phase::Asking { .. } => {
                let number = session.number;
                session.reveal_now(now, out);
                render::notice(&format!("Question {number} skipped."), true)
            }
            Phase::Between { .. } | Phase::Waiting => {
                if !session.ask(&bank, now, rng, out) {
                    session.finish(EndReason::Done, now, out);
                }
                render::notice("On to the next question.", true)
            }
        }
    }

    /// A press on a host's panel: answered by the panel brought up to date (for its
    /// host, the only one who sees it), or by a private refusal.
    fn panel(
        &mut self,
        caller: &Caller,
        button: PanelButton,
        now: UnixMillis,
        rng: &mut dyn RngCore,
        out: &mut Vec<Effect>,
    ) -> Effect {
        let bank = Arc::clone(&self.bank);
        let Some(session) = self
            .game(caller.channel_id, button.quiz_id)
            .filter(|s| s.settings.pace == Pace::Host)
        else {
            return Effect::Update(render::panel_over(button.quiz_id));
        };
        if caller.user_id != session.starter_id {
            return Effect::Respond(render::only_host(&session.starter_name));
        }
        let name = render::plain_name(&caller.user_name);
        let note = session.press(button.action, &name, &bank, now, rng, out);
        Effect::Update(render::panel(session, &note))
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
        // The sessions alone: the daily tally of `/whosaid` answers is used below.
        let Some(session) = self
            .sessions
            .get_mut(&caller.channel_id)
            .filter(|s| s.id == button.quiz_id)
        else {
            return Reply::error(
                "This quiz is over. Start a new one with `/quiz start`, or try `/whosaid`.",
            );
        };
        let whosaid = session.mode == Mode::WhoSaid;
        let key = (session.guild_id, caller.user_id);
        if whosaid && now.0 / DAY_MS != self.scored_day {
            self.scored_day = now.0 / DAY_MS;
            self.scored.clear();
        }
        let scoring =
            !whosaid || self.scored.get(&key).copied().unwrap_or(0) < WHOSAID_SCORED_A_DAY;
        match session.answer(caller, button, now, scoring) {
            Err(notice) => Reply::error(&notice),
            Ok((mut ack, everyone)) => {
                if whosaid && scoring {
                    *self.scored.entry(key).or_insert(0) += 1;
                } else if whosaid {
                    ack.text = ack.text.plain(&format!(
                        "\n\nYou have had your {WHOSAID_SCORED_A_DAY} scored `/whosaid` \
                         answers today: this one counts in `/stats`, not in points. Points \
                         come back tomorrow (UTC), or in `/quiz start`."
                    ));
                }
                if everyone {
                    session.close(now, false, out);
                    if let Some(reason) = session.carry_on() {
                        session.finish(reason, now, out);
                    }
                }
                ack
            }
        }
    }

    fn posted(
        &mut self,
        channel_id: u64,
        tag: PostTag,
        message_id: u64,
        now: UnixMillis,
        out: &mut Vec<Effect>,
    ) {
        if let Some(reply) = self.unrevealed.remove(&tag) {
            out.push(Effect::Edit {
                channel_id,
                message_id,
                reply,
            });
            return;
        }
        let Some(session) = self.game(channel_id, tag.quiz_id) else {
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
        session.shown(now);
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

    /// A tagged post failed: a question that could not be shown is dropped, and the
    /// game ends when the channel refuses the bot for good.
    fn post_failed(
        &mut self,
        channel_id: u64,
        tag: PostTag,
        gone: bool,
        now: UnixMillis,
        out: &mut Vec<Effect>,
    ) {
        self.unrevealed.remove(&tag);
        let Some(session) = self.game(channel_id, tag.quiz_id) else {
            return;
        };
        if tag.question != session.number || session.message_id.is_some() {
            session
                .pending
                .retain(|(question, _)| *question != tag.question);
            return;
        }
        tracing::warn!(
            quiz = session.id,
            channel_id,
            gone,
            "a question could not be posted"
        );
        if gone {
            if tag.question == 1 {
                // Posted while the starter's command is answered: they hear why.
                out.push(Effect::Respond(Reply::error(
                    "Discord refused my question in this channel, so the game ended. I \
                     need View Channel, Send Messages, Embed Links and Read Message History \
                     here (and Send Messages in Threads in a thread).",
                )));
            }
            session.finish(EndReason::CannotPost, now, out);
        } else {
            session.unposted(now, out);
        }
    }
}
