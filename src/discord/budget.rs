//! Discord's rate limits, kept by the bot before it sends, so that work waits in line
//! instead of being refused: at most [`GLOBAL_PER_SECOND`] REST calls a second in all
//! (Discord allows 50; interaction responses do not count), and at most
//! [`CHANNEL_WRITES`] message writes per channel in [`CHANNEL_PERIOD`], as Discord
//! allows per channel.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};

/// REST calls a second, in all: below Discord's 50, leaving room for the calls
/// serenity makes by itself (the gateway address, command registration).
pub const GLOBAL_PER_SECOND: u32 = 45;
/// Message writes (posts, and edits counted apart) per channel in [`CHANNEL_PERIOD`].
pub const CHANNEL_WRITES: u32 = 5;
/// The window of [`CHANNEL_WRITES`].
pub const CHANNEL_PERIOD: Duration = Duration::from_secs(5);
/// Writes between two sweeps of the channels' counters, which keeps only the recent.
const SWEEP_EVERY: u32 = 10_000;

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// Calls that may go at once after a quiet moment: with [`GLOBAL_PER_SECOND`], no
/// second ever sees more than Discord's 50.
const GLOBAL_BURST: u32 = 5;

/// The quota of all REST calls.
fn global_quota() -> Quota {
    Quota::per_second(nonzero(GLOBAL_PER_SECOND)).allow_burst(nonzero(GLOBAL_BURST))
}

/// The quota of one channel's writes of one kind: a burst of [`CHANNEL_WRITES`], one
/// more each [`CHANNEL_PERIOD`] / [`CHANNEL_WRITES`].
fn channel_quota() -> Quota {
    Quota::with_period(CHANNEL_PERIOD / CHANNEL_WRITES)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(nonzero(CHANNEL_WRITES))
}

/// The bot's budget of REST calls, shared by every front end.
pub struct Budget {
    global: DefaultDirectRateLimiter,
    posts: DefaultKeyedRateLimiter<u64>,
    edits: DefaultKeyedRateLimiter<u64>,
    writes: AtomicU32,
}

/// Which kind of write to a channel.
#[derive(Clone, Copy)]
pub enum Write {
    Post,
    Edit,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            global: DefaultDirectRateLimiter::direct(global_quota()),
            posts: DefaultKeyedRateLimiter::keyed(channel_quota()),
            edits: DefaultKeyedRateLimiter::keyed(channel_quota()),
            writes: AtomicU32::new(0),
        }
    }
}

impl Budget {
    /// Waits for a turn for a REST call that writes to no channel.
    pub async fn call(&self) {
        self.global.until_ready().await;
    }

    /// Waits for a turn to write to `channel`.
    pub async fn write(&self, channel: u64, kind: Write) {
        let limiter = match kind {
            Write::Post => &self.posts,
            Write::Edit => &self.edits,
        };
        limiter.until_key_ready(&channel).await;
        self.global.until_ready().await;
        if self
            .writes
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
        {
            self.posts.retain_recent();
            self.edits.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use governor::RateLimiter;
    use governor::clock::FakeRelativeClock;

    use super::*;

    #[test]
    fn a_channel_takes_five_writes_at_once_then_one_a_second() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::hashmap_with_clock(channel_quota(), clock.clone());
        for _ in 0..5 {
            assert!(limiter.check_key(&7).is_ok());
        }
        assert!(limiter.check_key(&7).is_err(), "the sixth write waits");
        assert!(limiter.check_key(&8).is_ok(), "another channel does not");
        clock.advance(Duration::from_millis(999));
        assert!(limiter.check_key(&7).is_err());
        clock.advance(Duration::from_millis(1));
        assert!(limiter.check_key(&7).is_ok(), "one more a second");
    }

    #[test]
    fn no_second_sees_more_than_discords_fifty_calls() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::direct_with_clock(global_quota(), clock.clone());
        // Calls tried every millisecond for three seconds; each one's time is kept.
        let mut sent: Vec<u64> = Vec::new();
        for ms in 0..3000 {
            while limiter.check().is_ok() {
                sent.push(ms);
            }
            clock.advance(Duration::from_millis(1));
        }
        for (i, start) in sent.iter().enumerate() {
            let within = sent[i..].iter().take_while(|t| **t < start + 1000).count();
            assert!(within <= 50, "{within} calls in the second from {start} ms");
        }
        assert!(
            sent.len() >= 3 * 44,
            "{} calls in three seconds",
            sent.len()
        );
    }
}
