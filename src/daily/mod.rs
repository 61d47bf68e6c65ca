//! Daily posts: when each server's post goes out and what it says. Pure schedule
//! logic: the clock is passed in, never read, and nothing here sleeps or sends.
//!
//! The application core (`crate::app`) drives it with the store: it keeps every
//! server's next post in a [`DailyQueue`], claims a due post in the store's ledger,
//! [`compose`]s it, has the front end send it, and after a failure asks
//! [`after_failure`] whether to retry, pause or give up. `/daily set` checks the
//! channel with [`check_channel`] first.

mod access;
mod post;
mod queue;
mod recap;
mod retry;
mod schedule;
mod week;
mod zones;

pub use access::{MissingPermission, NEEDED, check_channel};
pub use post::{DailyPost, Fact, Rotation, Subject, compose, describe};
pub use queue::{DailyQueue, QueueChange};
pub use recap::{PostKind, recapped_week};
pub use retry::{
    BACKOFF_FACTOR, CLAIM_TIMEOUT, FIRST_BACKOFF, Fault, Next, PauseReason, RATE_LIMITED_ATTEMPTS,
    SERVER_ERROR_ATTEMPTS, STORE_RETRY, STORE_RETRY_MAX, after_failure, after_store_failure,
};
pub use schedule::{
    CATCH_UP_WINDOW, DailySchedule, LocalTime, Slot, TimeError, next_post, still_worth_sending,
};
pub use week::{previous_week_start, week_start};
pub use zones::{ZoneError, daylight_note, parse_zone, zone_choices, zone_label};
