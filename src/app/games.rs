//! The games, as the core runs them: the quiz state machine's effects carried out
//! (saves to the store, timers) or passed on to the front end (posts, edits).

use crate::quiz::{self, GameEvent, UnixMillis, interrupted_reply};
use crate::store::Store;

use super::{App, Effect, PostTag, Wake, lock};

impl App {
    /// Applies a game event now, and returns what the front end must do.
    pub(super) async fn game(&self, event: GameEvent) -> Vec<Effect> {
        let now = UnixMillis::from_datetime(self.clock.now());
        let effects = {
            let mut rng = lock(&self.rng);
            lock(&self.games).apply(event, now, &mut *rng)
        };
        let mut out = Vec::with_capacity(effects.len());
        for effect in effects {
            match effect {
                quiz::Effect::Respond(reply) => out.push(Effect::Respond(reply)),
                quiz::Effect::Post {
                    channel_id,
                    reply,
                    report,
                } => out.push(Effect::Post {
                    channel_id,
                    reply,
                    tag: report.map(|tag| PostTag::Question { channel_id, tag }),
                    nonce: None,
                }),
                quiz::Effect::Edit {
                    channel_id,
                    message_id,
                    reply,
                } => out.push(Effect::Edit {
                    channel_id,
                    message_id,
                    reply,
                }),
                quiz::Effect::Save(save) => {
                    let saved = match self.store().await {
                        Ok(store) => store.save(&save).await,
                        Err(error) => Err(error),
                    };
                    if let Err(error) = saved {
                        tracing::error!(%error, "cannot save quiz results");
                    }
                }
                quiz::Effect::WakeAt { channel_id, at } => {
                    self.set_timer(Wake::Game { channel_id }, at.to_datetime());
                }
                quiz::Effect::Ended { channel_id, .. } => {
                    lock(&self.timers).games.remove(&channel_id);
                }
            }
        }
        out
    }

    /// Records the quizzes a previous run left in flight as interrupted, and returns
    /// the edits that say so on their last question, buttons disabled.
    pub(super) async fn interrupt_leftovers(&self, store: &Store) -> Vec<Effect> {
        let now = UnixMillis::from_datetime(self.clock.now());
        let leftovers = match store.quizzes_in_flight().await {
            Ok(leftovers) => leftovers,
            Err(error) => {
                tracing::error!(%error, "cannot read the quizzes in flight");
                return Vec::new();
            }
        };
        let mut edits = Vec::new();
        for quiz in leftovers {
            if let Err(error) = store.mark_interrupted(quiz.quiz_id, now).await {
                tracing::error!(%error, quiz_id = quiz.quiz_id, "cannot mark a quiz interrupted");
            }
            tracing::info!(quiz_id = quiz.quiz_id, "marking an interrupted quiz");
            edits.push(Effect::Edit {
                channel_id: quiz.channel_id,
                message_id: quiz.message_id,
                reply: interrupted_reply(&quiz),
            });
        }
        edits
    }
}
