//! Runs the quiz state machine (`crate::quiz::Games`) against Discord: events in from
//! interactions and timers, effects out as interaction responses, channel posts and
//! edits, score saves and timers.
//!
//! The game lock is never held across an `.await`: each event is applied under the
//! lock, and its effects are carried out after it is released.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rand::SeedableRng;
use rand::rngs::StdRng;
use serenity::all::{
    ChannelId, CreateInteractionResponse, CreateMessage, EditMessage, Http, InteractionId,
    MessageId,
};
use tokio::task::JoinHandle;

use super::render::{components, embed, no_pings, response_message};
use super::retry::retry;
use crate::clock::Clock;
use crate::commands::{self, Caller};
use crate::data::Dataset;
use crate::quiz::{Effect, GameEvent, GameRequest, Games, QuestionBank, UnixMillis};
use crate::store::Store;

/// The interaction an event came from, which the first effect answers.
#[derive(Clone)]
pub struct Interaction {
    /// Its id.
    pub id: InteractionId,
    /// Its token.
    pub token: String,
}

/// Every game of every channel, and the timers that wake them.
pub struct GameRunner {
    games: Mutex<Games>,
    rng: Mutex<StdRng>,
    timers: Mutex<HashMap<u64, JoinHandle<()>>>,
    store: Store,
    clock: Clock,
}

impl GameRunner {
    pub fn new(data: &Dataset, store: Store, clock: Clock) -> Arc<GameRunner> {
        Arc::new(GameRunner {
            games: Mutex::new(Games::new(Arc::new(QuestionBank::new(data)))),
            rng: Mutex::new(StdRng::from_os_rng()),
            timers: Mutex::new(HashMap::new()),
            store,
            clock,
        })
    }

    fn now(&self) -> UnixMillis {
        UnixMillis::from_datetime(self.clock.now())
    }

    fn apply(&self, event: GameEvent) -> Vec<Effect> {
        let now = self.now();
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        self.games
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .apply(event, now, &mut *rng)
    }

    /// A game command (`/quiz`, `/whosaid`, `/leaderboard`, `/stats`).
    pub async fn command(
        self: &Arc<Self>,
        http: &Arc<Http>,
        interaction: Interaction,
        caller: Caller,
        request: GameRequest,
    ) {
        let effects = self.apply(GameEvent::Command { caller, request });
        self.run(http, Some(interaction), effects).await;
    }

    /// A click on a game button.
    pub async fn click(
        self: &Arc<Self>,
        http: &Arc<Http>,
        interaction: Interaction,
        caller: Caller,
        custom_id: String,
    ) {
        let effects = self.apply(GameEvent::Click { caller, custom_id });
        self.run(http, Some(interaction), effects).await;
    }

    /// Edits the question messages of quizzes a previous run left in flight to say
    /// they were interrupted, buttons disabled, and records them as such.
    pub async fn interrupt_leftovers(&self, http: &Http) {
        let leftovers = match self.store.quizzes_in_flight().await {
            Ok(leftovers) => leftovers,
            Err(error) => {
                tracing::error!("cannot read the quizzes in flight: {error}");
                return;
            }
        };
        for quiz in leftovers {
            let reply = crate::quiz::interrupted_reply(&quiz);
            let edit = EditMessage::new()
                .embed(embed(&reply))
                .components(components(&reply));
            let channel = ChannelId::new(quiz.channel_id.max(1));
            let message = MessageId::new(quiz.message_id.max(1));
            let edited = retry("marking an interrupted quiz", || {
                http.edit_message(channel, message, &edit, Vec::new())
            })
            .await;
            if edited.is_ok() {
                tracing::info!(quiz_id = quiz.quiz_id, "marked an interrupted quiz");
            }
            if let Err(error) = self.store.mark_interrupted(quiz.quiz_id, self.now()).await {
                tracing::error!("cannot mark quiz {} interrupted: {error}", quiz.quiz_id);
            }
        }
    }

    /// Carries out `effects` in order; posted messages report their ids back, which
    /// may bring more effects.
    async fn run(
        self: &Arc<Self>,
        http: &Arc<Http>,
        mut interaction: Option<Interaction>,
        effects: Vec<Effect>,
    ) {
        let mut pending = std::collections::VecDeque::from(effects);
        while let Some(effect) = pending.pop_front() {
            match effect {
                Effect::Respond(reply) => {
                    if let Some(to) = interaction.take() {
                        let response = CreateInteractionResponse::Message(response_message(&reply));
                        super::handler::respond(http, to.id, &to.token, &response).await;
                    }
                }
                Effect::RespondScores(query) => {
                    if let Some(to) = interaction.take() {
                        let reply = commands::answer_scores(&self.store, &query).await;
                        let response = CreateInteractionResponse::Message(response_message(&reply));
                        super::handler::respond(http, to.id, &to.token, &response).await;
                    }
                }
                Effect::Post {
                    channel_id,
                    reply,
                    report,
                } => {
                    let message = CreateMessage::new()
                        .embed(embed(&reply))
                        .components(components(&reply))
                        .allowed_mentions(no_pings());
                    let channel = ChannelId::new(channel_id.max(1));
                    let posted = retry("posting a quiz message", || {
                        http.send_message(channel, Vec::new(), &message)
                    })
                    .await;
                    if let (Ok(posted), Some(tag)) = (posted, report) {
                        pending.extend(self.apply(GameEvent::Posted {
                            channel_id,
                            tag,
                            message_id: posted.id.get(),
                        }));
                    }
                }
                Effect::Edit {
                    channel_id,
                    message_id,
                    reply,
                } => {
                    let edit = EditMessage::new()
                        .embed(embed(&reply))
                        .components(components(&reply));
                    let channel = ChannelId::new(channel_id.max(1));
                    let message = MessageId::new(message_id.max(1));
                    let _ = retry("revealing a quiz answer", || {
                        http.edit_message(channel, message, &edit, Vec::new())
                    })
                    .await;
                }
                Effect::Save(save) => {
                    if let Err(error) = self.store.save(&save).await {
                        tracing::error!("cannot save quiz results: {error}");
                    }
                }
                Effect::WakeAt { channel_id, at } => self.wake_at(http, channel_id, at),
                Effect::Ended { channel_id, .. } => {
                    let timer = self
                        .timers
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .remove(&channel_id);
                    if let Some(timer) = timer {
                        timer.abort();
                    }
                }
            }
        }
    }

    /// Sends the channel's game a tick at `at`; a newer wake-up replaces an older one.
    fn wake_at(self: &Arc<Self>, http: &Arc<Http>, channel_id: u64, at: UnixMillis) {
        let runner = Arc::clone(self);
        let http = Arc::clone(http);
        let deadline = at.to_datetime();
        let timer = tokio::spawn(async move {
            runner.clock.sleep_until(deadline).await;
            let effects = runner.apply(GameEvent::Tick { channel_id });
            // This task may be aborted by an `Ended` among these effects: run them in
            // a task of their own so they are carried out whole.
            tokio::spawn(async move { runner.run(&http, None, effects).await });
        });
        let old = self
            .timers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(channel_id, timer);
        if let Some(old) = old {
            old.abort();
        }
    }
}
