//! Discord's rate limits, kept by the bot before it sends, so that work waits in line
//! instead of being refused: at most [`GLOBAL_PER_SECOND`] REST calls a second in all
//! (Discord allows 50; interaction responses do not count), and at most
//! [`CHANNEL_WRITES`] message writes per channel in [`CHANNEL_PERIOD`], as Discord
//! allows per channel.
//!
//! When there is more work than the limit allows, new posts wait: every edit (a quiz's
//! reveal) and every call an answer waits for goes first, so that what players wait for
//! is never late, and the quizzes slow down to what Discord allows instead.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};
use tokio::sync::{Mutex, Notify};

/// REST calls a second, in all: below Discord's 50, leaving room for the calls
/// serenity makes by itself (the gateway address, command registration).
pub const GLOBAL_PER_SECOND: u32 = 44;
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
/// second ever sees more than 48 leave, so that network jitter bunching them on arrival
/// stays within Discord's 50.
const GLOBAL_BURST: u32 = 4;

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
    /// Posts take their global turn one at a time, in order.
    post_line: Mutex<()>,
    /// Edits and other calls waiting for their global turn, ahead of every post.
    urgent: AtomicUsize,
    /// Told when no more edit or call waits.
    urgent_done: Notify,
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
            post_line: Mutex::new(()),
            urgent: AtomicUsize::new(0),
            urgent_done: Notify::new(),
        }
    }
}

impl Budget {
    /// Waits for a turn for a REST call that writes to no channel.
    pub async fn call(&self) {
        self.urgent_turn().await;
    }

    /// A global turn ahead of every post.
    async fn urgent_turn(&self) {
        self.urgent.fetch_add(1, Ordering::SeqCst);
        self.global.until_ready().await;
        if self.urgent.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.urgent_done.notify_waiters();
        }
    }

    /// A global turn once no edit or call waits, posts in the order they came.
    async fn post_turn(&self) {
        let _line = self.post_line.lock().await;
        loop {
            let done = self.urgent_done.notified();
            tokio::pin!(done);
            done.as_mut().enable();
            if self.urgent.load(Ordering::SeqCst) == 0 {
                break;
            }
            done.await;
        }
        self.global.until_ready().await;
    }

    /// Waits for a turn to write to `channel`.
    pub async fn write(&self, channel: u64, kind: Write) {
        let limiter = match kind {
            Write::Post => &self.posts,
            Write::Edit => &self.edits,
        };
        limiter.until_key_ready(&channel).await;
        match kind {
            Write::Post => self.post_turn().await,
            Write::Edit => self.urgent_turn().await,
        }
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

    /// A reveal's edit that comes while posts wait for the global limit goes first.
    #[tokio::test]
    async fn an_edit_goes_before_the_posts_already_waiting() {
        let budget = std::sync::Arc::new(Budget::default());
        let (sent, mut order) = tokio::sync::mpsc::unbounded_channel();
        for channel in 0..40 {
            let (budget, sent) = (budget.clone(), sent.clone());
            tokio::spawn(async move {
                budget.write(channel, Write::Post).await;
                let _ = sent.send("post");
            });
        }
        // The burst is gone, and the posts wait in line.
        for _ in 0..GLOBAL_BURST {
            order.recv().await;
        }
        let (edit_budget, edit_sent) = (budget.clone(), sent.clone());
        tokio::spawn(async move {
            edit_budget.write(1_000, Write::Edit).await;
            let _ = edit_sent.send("edit");
        });
        let mut before = 0;
        while order.recv().await == Some("post") {
            before += 1;
        }
        assert!(before <= 1, "{before} posts went before the edit");
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
