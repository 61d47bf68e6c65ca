//! What a front end provides, and the one interpreter of effects every front end
//! shares: [`dispatch`] carries an input through the core and its effects out through
//! a [`Frontend`], feeding the outcome of each tagged post back in; [`run_timers`]
//! turns the core's timers into inputs.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::{App, Delivery, Effect, Grant, Input, Wake};
use crate::daily::Fault;
use crate::reply::Reply;

/// A platform the bot talks through: it answers the interaction an input came from,
/// posts and edits messages in channels, and gives members roles. Failures are its own
/// to log.
pub trait Frontend: Send + Sync {
    /// Answers the input's interaction with a new message.
    fn respond(&self, reply: Reply) -> impl Future<Output = ()> + Send;
    /// Answers a click by replacing the message it was on.
    fn update(&self, reply: Reply) -> impl Future<Output = ()> + Send;
    /// Posts `reply` in a channel with `nonce`, retrying as `delivery` says: the new
    /// message's id, or why it did not go out (see [`Effect::Post`]).
    fn post(
        &self,
        channel_id: u64,
        reply: &Reply,
        nonce: &str,
        delivery: Delivery,
    ) -> impl Future<Output = Result<u64, Fault>> + Send;
    /// Edits a message posted before.
    fn edit(
        &self,
        channel_id: u64,
        message_id: u64,
        reply: &Reply,
    ) -> impl Future<Output = ()> + Send;
    /// Gives a member a role, once (a failed grant is tried again at a later reveal).
    fn grant_role(&self, grant: &Grant) -> impl Future<Output = Result<(), Fault>> + Send;
}

impl<T: Frontend> Frontend for Arc<T> {
    fn respond(&self, reply: Reply) -> impl Future<Output = ()> + Send {
        T::respond(self, reply)
    }

    fn update(&self, reply: Reply) -> impl Future<Output = ()> + Send {
        T::update(self, reply)
    }

    fn post(
        &self,
        channel_id: u64,
        reply: &Reply,
        nonce: &str,
        delivery: Delivery,
    ) -> impl Future<Output = Result<u64, Fault>> + Send {
        T::post(self, channel_id, reply, nonce, delivery)
    }

    fn edit(
        &self,
        channel_id: u64,
        message_id: u64,
        reply: &Reply,
    ) -> impl Future<Output = ()> + Send {
        T::edit(self, channel_id, message_id, reply)
    }

    fn grant_role(&self, grant: &Grant) -> impl Future<Output = Result<(), Fault>> + Send {
        T::grant_role(self, grant)
    }
}

/// Handles `input` and carries out its effects through `front`.
pub async fn dispatch<F: Frontend>(app: &App, input: Input, front: &F) {
    let effects = app.handle(input).await;
    perform(app, effects, front).await;
}

/// Carries out `effects` in order through `front`; the outcome of each tagged post
/// and role grant goes back to the core, and what that calls for is carried out in
/// turn.
pub async fn perform<F: Frontend>(app: &App, effects: Vec<Effect>, front: &F) {
    let mut pending = VecDeque::from(effects);
    while let Some(effect) = pending.pop_front() {
        match effect {
            Effect::Respond(reply) => front.respond(reply).await,
            Effect::Update(reply) => front.update(reply).await,
            Effect::Post {
                channel_id,
                reply,
                tag,
                nonce,
                delivery,
            } => {
                let outcome = front.post(channel_id, &reply, &nonce, delivery).await;
                if let Some(tag) = tag {
                    pending.extend(app.handle(Input::Posted { tag, outcome }).await);
                }
            }
            Effect::Edit {
                channel_id,
                message_id,
                reply,
            } => front.edit(channel_id, message_id, &reply).await,
            Effect::GrantRole(grant) => {
                let outcome = front.grant_role(&grant).await;
                pending.extend(app.handle(Input::Granted { grant, outcome }).await);
            }
        }
    }
}

/// Daily posts on their way at once, at most: each holds a claim in the ledger until
/// its send is done, and thousands due in the same minute must not all wait at once.
const DAILY_AT_ONCE: usize = 16;

/// Sleeps until the core's next timer (or until a timer moved earlier), then handles
/// each due timer in a task of its own, so that a slow post holds up no other (daily
/// posts [`DAILY_AT_ONCE`] at a time); for as long as the process runs.
pub async fn run_timers<F: Frontend + Clone + 'static>(app: Arc<App>, front: F) {
    let daily_slots = Arc::new(Semaphore::new(DAILY_AT_ONCE));
    loop {
        let changed = app.timers_changed();
        match app.next_wake() {
            Some(at) => {
                tokio::select! {
                    () = app.clock().sleep_until(at) => {}
                    () = changed => continue,
                }
            }
            None => {
                changed.await;
                continue;
            }
        }
        for wake in app.due(app.clock().now()) {
            let app = Arc::clone(&app);
            let front = front.clone();
            let slots = matches!(wake, Wake::Daily { .. }).then(|| Arc::clone(&daily_slots));
            tokio::spawn(async move {
                let _slot = match slots {
                    Some(slots) => slots.acquire_owned().await.ok(),
                    None => None,
                };
                dispatch(&app, Input::Wake(wake), &front).await;
            });
        }
    }
}
