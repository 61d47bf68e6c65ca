//! Time as the running bot sees it: the system clock, or, in tests, a clock the test
//! moves by hand, so that a quiz deadline or tomorrow's daily post comes without
//! waiting. The pure state machines (`quiz`, `daily`) never read a clock: the core reads
//! this one and passes the time in.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use tokio::sync::watch;

/// The bot's clock.
#[derive(Clone, Debug)]
pub enum Clock {
    /// The system clock.
    System,
    /// A clock that moves only when [`ManualClock::advance`] is called.
    Manual(Arc<ManualClock>),
}

impl Clock {
    /// A hand-moved clock starting at `start`, and the handle that moves it.
    pub fn manual(start: DateTime<Utc>) -> (Clock, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new(start));
        (Clock::Manual(clock.clone()), clock)
    }

    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(clock) => clock.now(),
        }
    }

    /// Returns once the clock reads `deadline` or later.
    pub async fn sleep_until(&self, deadline: DateTime<Utc>) {
        match self {
            Clock::System => wall_sleep_until(Utc::now, deadline).await,
            Clock::Manual(clock) => clock.sleep_until(deadline).await,
        }
    }
}

/// The longest a sleep goes without reading the wall clock again: a host suspend or
/// a clock step forward (which the monotonic timer does not see) delays a deadline by
/// at most this much.
const RECHECK: std::time::Duration = std::time::Duration::from_secs(60);

/// Sleeps until the wall clock `now` reads `deadline`, reading it again at least every
/// [`RECHECK`] (and after each wake-up, for a clock set back).
async fn wall_sleep_until(now: impl Fn() -> DateTime<Utc>, deadline: DateTime<Utc>) {
    loop {
        let Ok(left) = (deadline - now()).to_std() else {
            return;
        };
        if left.is_zero() {
            return;
        }
        tokio::time::sleep(left.min(RECHECK)).await;
    }
}

/// A clock for tests: it stands still until advanced, and wakes every sleeper whose
/// deadline it passes.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    moved: watch::Sender<DateTime<Utc>>,
}

impl ManualClock {
    fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock {
            now: Mutex::new(start),
            moved: watch::Sender::new(start),
        }
    }

    /// The time it shows.
    pub fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves the clock forward by `step`.
    pub fn advance(&self, step: chrono::Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += step;
        self.moved.send_replace(*now);
    }

    async fn sleep_until(&self, deadline: DateTime<Utc>) {
        let mut moved = self.moved.subscribe();
        // `wait_for` checks the current value first, so a deadline already passed
        // returns at once; the sender lives as long as `self`, so it cannot close.
        let _ = moved.wait_for(|now| *now >= deadline).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wall clock jumps an hour forward (a host waking from suspend) while the bot
    /// sleeps until a post due in two hours: it wakes within a minute of the new due
    /// time, not two hours of monotonic time later.
    #[tokio::test(start_paused = true)]
    async fn a_wall_clock_jump_is_noticed_within_a_minute() {
        use std::sync::atomic::{AtomicI64, Ordering};

        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let wall = Arc::new(AtomicI64::new(start.timestamp()));
        let read = {
            let wall = Arc::clone(&wall);
            move || DateTime::from_timestamp(wall.load(Ordering::SeqCst), 0).unwrap()
        };
        let deadline = start + chrono::Duration::hours(2);
        let began = tokio::time::Instant::now();
        let sleeper = tokio::spawn(wall_sleep_until(read, deadline));
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        // The host slept: two hours passed on the wall clock, 30 s on the timer.
        wall.store(deadline.timestamp(), Ordering::SeqCst);
        sleeper.await.unwrap();
        assert!(began.elapsed() <= RECHECK, "{:?}", began.elapsed());
    }

    #[tokio::test]
    async fn a_manual_clock_wakes_sleepers_when_it_passes_their_deadline() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let (clock, hand) = Clock::manual(start);
        let deadline = start + chrono::Duration::seconds(20);
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(deadline).await }
        });
        hand.advance(chrono::Duration::seconds(10));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished());
        hand.advance(chrono::Duration::seconds(10));
        sleeper.await.unwrap();
        assert_eq!(clock.now(), deadline);
        // A deadline in the past returns at once.
        clock.sleep_until(start).await;
    }
}
