//! Time as the game sees it: a plain number of milliseconds, passed in by whoever
//! drives the game (the bot's `Clock` in Discord, the system clock in the console, a
//! counter in tests), so the game never reads a clock itself.

use std::time::{SystemTime, UNIX_EPOCH};

/// A moment, as milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixMillis(pub u64);

impl UnixMillis {
    /// The moment `time` (the epoch for times before it).
    pub fn from_system(time: SystemTime) -> UnixMillis {
        let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
        UnixMillis(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
    }

    /// The moment `time` (the epoch for times before it).
    pub fn from_datetime(time: chrono::DateTime<chrono::Utc>) -> UnixMillis {
        UnixMillis(u64::try_from(time.timestamp_millis()).unwrap_or(0))
    }

    /// The same moment as a date and time.
    pub fn to_datetime(self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(i64::try_from(self.0).unwrap_or(i64::MAX))
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
    }

    /// `ms` milliseconds later.
    pub fn plus_millis(self, ms: u64) -> UnixMillis {
        UnixMillis(self.0.saturating_add(ms))
    }

    /// `secs` seconds later.
    pub fn plus_secs(self, secs: u64) -> UnixMillis {
        self.plus_millis(secs.saturating_mul(1000))
    }

    /// Milliseconds from `earlier` to `self`; 0 when `earlier` is later.
    pub fn millis_since(self, earlier: UnixMillis) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_convert_both_ways() {
        let time = chrono::DateTime::from_timestamp_millis(1_739_500_000_123).unwrap();
        assert_eq!(
            UnixMillis::from_datetime(time),
            UnixMillis(1_739_500_000_123)
        );
        assert_eq!(UnixMillis(1_739_500_000_123).to_datetime(), time);
        let before_epoch = chrono::DateTime::from_timestamp(-5, 0).unwrap();
        assert_eq!(UnixMillis::from_datetime(before_epoch), UnixMillis(0));
    }
}
