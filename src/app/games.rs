//! The games, as the core runs them: the quiz state machine's effects carried out
//! (saves to the store, timers) or passed on to the front end (posts, edits), with the
//! role rewards a reveal earned.

use crate::monitor;
use crate::quiz::{self, GameEvent, UnixMillis, interrupted_reply};
use crate::store::{Earned, Store};

use super::{App, Delivery, Effect, PostTag, lock, rewards};

impl App {
    /// Ends every game, for a shutdown: what the front end must do before it closes
    /// (the reveals of open questions, each quiz's standings).
    pub async fn end_games(&self) -> Vec<Effect> {
        let now = UnixMillis::from_datetime(self.clock.now());
        let effects = lock(&self.games).end_all(now);
        metrics::gauge!(monitor::QUIZZES_RUNNING).set(0.0);
        self.game_effects(effects).await
    }

    /// Applies a game event now, and returns what the front end must do.
    pub(super) async fn game(&self, event: GameEvent) -> Vec<Effect> {
        let now = UnixMillis::from_datetime(self.clock.now());
        let tick = match event {
            GameEvent::Tick { channel_id } => Some(channel_id),
            _ => None,
        };
        let effects = {
            let mut rng = lock(&self.rng);
            let mut games = lock(&self.games);
            let effects = games.apply(event, now, &mut *rng);
            metrics::gauge!(monitor::QUIZZES_RUNNING).set(games.len() as f64);
            effects
        };
        if let Some(channel_id) = tick {
            lock(&self.timers).waking.remove(&channel_id);
        }
        // The game's next wake-up may now be earlier than the one awaited.
        self.changed.notify_one();
        self.game_effects(effects).await
    }

    /// Carries out the game's saves, and returns the effects for the front end: a
    /// reveal names the role rewards its answers earned, and the grants follow it.
    async fn game_effects(&self, effects: Vec<quiz::Effect>) -> Vec<Effect> {
        let mut out = Vec::with_capacity(effects.len());
        let mut grants = Vec::new();
        // Roles earned at a reveal saved but not yet edited in: (channel, quiz,
        // question, who earned which).
        let mut earned: Vec<(u64, u64, u8, Vec<Earned>)> = Vec::new();
        for effect in effects {
            match effect {
                quiz::Effect::Respond(reply) => out.push(Effect::Respond(reply)),
                quiz::Effect::Update(reply) => out.push(Effect::Update(reply)),
                quiz::Effect::Post {
                    channel_id,
                    reply,
                    report,
                    nonce,
                } => out.push(Effect::Post {
                    channel_id,
                    reply,
                    tag: report.map(|tag| PostTag::Question { channel_id, tag }),
                    nonce,
                    delivery: Delivery::Retried,
                }),
                quiz::Effect::Edit {
                    channel_id,
                    message_id,
                    mut reply,
                } => {
                    if let Some(at) = earned.iter().position(|(c, ..)| *c == channel_id) {
                        let (.., roles) = earned.swap_remove(at);
                        reply = rewards::announce(reply, &roles);
                    }
                    out.push(Effect::Edit {
                        channel_id,
                        message_id,
                        reply,
                    });
                }
                quiz::Effect::Save(save) => {
                    let saved = match self.store().await {
                        Ok(store) => store.save(&save).await,
                        Err(error) => Err(error),
                    };
                    match (saved, &save) {
                        (Err(error), _) => tracing::error!(%error, "cannot save quiz results"),
                        (Ok(()), quiz::Save::Results(results)) if !results.answers.is_empty() => {
                            let earnings = self.earnings(results).await;
                            grants.extend(earnings.grants);
                            if !earnings.announced.is_empty() {
                                earned.push((
                                    results.channel_id,
                                    results.quiz_id,
                                    results.question,
                                    earnings.announced,
                                ));
                            }
                        }
                        (Ok(()), _) => {}
                    }
                }
            }
        }
        for (channel_id, quiz_id, question, roles) in earned {
            out.push(rewards::announcement(channel_id, quiz_id, question, &roles));
        }
        out.extend(grants);
        out
    }

    /// Records the quizzes a previous run left unfinished as interrupted, and returns
    /// the edits that say so on the questions they left open, buttons disabled.
    pub(super) async fn interrupt_leftovers(&self, store: &Store) -> Vec<Effect> {
        let now = UnixMillis::from_datetime(self.clock.now());
        let open = match store.quizzes_in_flight(self.shards()).await {
            Ok(open) => open,
            Err(error) => {
                tracing::error!(%error, "cannot read the quizzes in flight");
                Vec::new()
            }
        };
        match store.interrupt_unfinished(now, self.shards()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "marked quizzes a restart interrupted"),
            Err(error) => tracing::error!(%error, "cannot mark interrupted quizzes"),
        }
        open.iter()
            .map(|quiz| Effect::Edit {
                channel_id: quiz.channel_id,
                message_id: quiz.message_id,
                reply: interrupted_reply(quiz),
            })
            .collect()
    }
}
