//! Daily posts: when each server's post goes out and what it says. Pure schedule
//! logic: the clock is passed in, never read, and nothing here sleeps or sends.
//!
//! The runner (in the Discord layer) drives it with the store
//! ([`crate::store::Daily`]):
//!
//! ```text
//! on start:   for (guild, at) in store.daily().startup(now)  -> queue.insert(guild, at)
//! loop:       sleep until queue.next_wake() (or a /daily command changed the queue)
//!             for guild in queue.due(now):
//!                 match store.daily().claim_due(guild, now):
//!                     Due::Claimed(claim) =>
//!                         let Some(post) = claim.post(&data) else { skip(&claim, "no facts") }
//!                         send post.reply to claim.channel_id (nonce: claim.nonce())
//!                         ok    -> store.daily().mark_sent(&claim, &post, message_id, now)
//!                         fault -> match after_failure(fault, claim.attempt, now):
//!                                    RetryAt(t) -> store.daily().release(&claim, now); queue.insert(guild, t)
//!                                    Pause(why) -> store.daily().pause(&claim, why, now)
//!                                    GiveUp     -> store.daily().skip(&claim, "…", now)
//!                     _ => {}
//!                 if not retrying: if let Some(at) = store.daily().next_wake(guild, now) { queue.insert(guild, at) }
//! /daily:     let access = match commands::daily::channel_to_check(&args) {
//!                 Some(channel) => check_channel(bot's permission bits in channel, 0 if unseen),
//!                 None => Ok(()) };
//!             commands::daily::answer(store, data, caller, args, now, access)
//!                 -> reply to send, and a QueueChange for queue.apply(..)
//! ```
//!
//! A channel the bot finds it can no longer post in before sending (via
//! [`check_channel`]) is best treated as [`Fault::Forbidden`], so it pauses the same way.

mod access;
mod post;
mod queue;
mod retry;
mod schedule;
mod zones;

pub use access::{ChannelPermission, MissingPermission, check_channel};
pub use post::{DailyPost, Fact, Rotation, Subject, compose, describe};
pub use queue::{DailyQueue, QueueChange};
pub use retry::{
    BACKOFF_FACTOR, FIRST_BACKOFF, Fault, Next, PauseReason, RATE_LIMITED_ATTEMPTS,
    SERVER_ERROR_ATTEMPTS, after_failure,
};
pub use schedule::{
    CATCH_UP_WINDOW, DailySchedule, LocalTime, Slot, TimeError, discord_time, next_post,
    still_worth_sending,
};
pub use zones::{ZoneError, parse_zone, zone_choices};
