//! What to do when Discord refuses a daily post: wait as told on 429, back off on
//! server errors, pause the schedule when the channel is gone or closed to the bot.
//! Pure: the core passes the fault, the attempt number and the time.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// Attempts allowed while Discord keeps answering 429.
pub const RATE_LIMITED_ATTEMPTS: u32 = 5;
/// Attempts allowed while Discord keeps failing (5xx, timeouts, lost connections).
pub const SERVER_ERROR_ATTEMPTS: u32 = 4;
/// The wait before the second attempt after a server error; each later wait is
/// [`BACKOFF_FACTOR`] times longer (5 s, 30 s, 3 min).
pub const FIRST_BACKOFF: Duration = Duration::from_secs(5);
/// How much longer each wait after a server error is than the one before.
pub const BACKOFF_FACTOR: u32 = 6;
/// How long a claim may be held before another attempt may take it: longer than any
/// send takes, so a claim left behind by a failed release is not lost for the day.
pub const CLAIM_TIMEOUT: TimeDelta = TimeDelta::minutes(10);
/// The first wait before trying again after the database failed; it doubles with each
/// failure in a row, up to [`STORE_RETRY_MAX`].
pub const STORE_RETRY: TimeDelta = TimeDelta::minutes(1);
/// The longest wait after database failures.
pub const STORE_RETRY_MAX: TimeDelta = TimeDelta::minutes(16);

/// When to try again after `failures` database failures in a row (1 for the first).
pub fn after_store_failure(failures: u32, now: DateTime<Utc>) -> DateTime<Utc> {
    let doubled = STORE_RETRY * 2i32.saturating_pow(failures.saturating_sub(1).min(8));
    now + doubled.min(STORE_RETRY_MAX)
}

/// How a post failed, as the front end saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 429: Discord said to wait this long.
    RateLimited {
        /// Discord's `retry_after`.
        retry_after: Duration,
    },
    /// A 5xx answer, a timeout or a lost connection: Discord may be fine again soon.
    Unavailable,
    /// 403: the bot may not see the channel or post (embeds) in it.
    Forbidden,
    /// 404: the channel no longer exists.
    NotFound,
    /// Any other 4xx: Discord refused this message; sending it again will not help.
    Rejected { status: u16 },
}

impl Fault {
    /// The fault for an HTTP status, with the `retry_after` Discord gave on a 429
    /// (a 429 without one waits a second).
    pub fn from_status(status: u16, retry_after: Option<Duration>) -> Fault {
        match status {
            429 => Fault::RateLimited {
                retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
            },
            403 => Fault::Forbidden,
            404 => Fault::NotFound,
            500..=599 => Fault::Unavailable,
            status => Fault::Rejected { status },
        }
    }
}

/// Why a schedule stopped posting, shown in `/daily status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseReason {
    /// 403 on a post.
    Forbidden,
    /// 404 on a post.
    ChannelGone,
}

impl fmt::Display for PauseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PauseReason::Forbidden => {
                "Discord refused my post (403): I can no longer see the channel or post in it. \
                 Give me View Channel, Send Messages and Embed Links there, then run `/daily set` \
                 again."
            }
            PauseReason::ChannelGone => {
                "The channel no longer exists (Discord answered 404). Pick another one with \
                 `/daily set`."
            }
        })
    }
}

/// What the core does after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Release the claim, and try again at this instant.
    RetryAt(DateTime<Utc>),
    /// Stop posting until an admin runs `/daily set` again; store and show the reason.
    Pause(PauseReason),
    /// Leave today's post out (and log it); tomorrow's goes out as usual.
    GiveUp,
}

fn later(now: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    let wait = TimeDelta::from_std(wait).unwrap_or(TimeDelta::MAX);
    now.checked_add_signed(wait)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// What to do after attempt number `attempt` (1 for the first) failed with `fault`
/// at `now`. A retry that lands past the catch-up window is dropped by the ledger
/// when it comes due, so no post goes out hours late.
pub fn after_failure(fault: Fault, attempt: u32, now: DateTime<Utc>) -> Next {
    match fault {
        Fault::RateLimited { retry_after } if attempt < RATE_LIMITED_ATTEMPTS => {
            Next::RetryAt(later(now, retry_after))
        }
        Fault::Unavailable if attempt < SERVER_ERROR_ATTEMPTS => {
            let factor = BACKOFF_FACTOR.saturating_pow(attempt.saturating_sub(1));
            Next::RetryAt(later(now, FIRST_BACKOFF.saturating_mul(factor)))
        }
        Fault::Forbidden => Next::Pause(PauseReason::Forbidden),
        Fault::NotFound => Next::Pause(PauseReason::ChannelGone),
        Fault::RateLimited { .. } | Fault::Unavailable | Fault::Rejected { .. } => Next::GiveUp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2025-06-01T09:00:00Z".parse().unwrap()
    }

    fn at(seconds: i64) -> Next {
        Next::RetryAt(now() + TimeDelta::seconds(seconds))
    }

    #[test]
    fn rate_limits_wait_as_told_then_give_up() {
        let fault = Fault::from_status(429, Some(Duration::from_millis(2500)));
        assert_eq!(
            after_failure(fault, 1, now()),
            Next::RetryAt(now() + TimeDelta::milliseconds(2500))
        );
        assert_eq!(
            after_failure(fault, 4, now()),
            Next::RetryAt(now() + TimeDelta::milliseconds(2500))
        );
        assert_eq!(after_failure(fault, 5, now()), Next::GiveUp);
        assert_eq!(
            after_failure(Fault::from_status(429, None), 1, now()),
            at(1)
        );
    }

    #[test]
    fn server_errors_back_off_a_few_times() {
        let fault = Fault::from_status(502, None);
        let waits: Vec<Next> = (1..=4).map(|n| after_failure(fault, n, now())).collect();
        assert_eq!(waits, [at(5), at(30), at(180), Next::GiveUp]);
    }

    #[test]
    fn lost_access_pauses_and_other_refusals_give_up() {
        assert_eq!(
            after_failure(Fault::from_status(403, None), 1, now()),
            Next::Pause(PauseReason::Forbidden)
        );
        assert_eq!(
            after_failure(Fault::from_status(404, None), 1, now()),
            Next::Pause(PauseReason::ChannelGone)
        );
        assert_eq!(
            after_failure(Fault::from_status(400, None), 1, now()),
            Next::GiveUp
        );
        assert!(PauseReason::Forbidden.to_string().contains("(403)"));
    }
}
