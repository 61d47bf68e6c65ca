//! Time as the game sees it: a plain number of milliseconds, passed in by whoever
//! drives the game (the bot's `Clock` in Discord, the system clock in the console, a
//! counter in tests), so the game never reads a clock itself.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds in a day.
const DAY_MS: u64 = 86_400_000;

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

    /// Whole seconds since the epoch, rounded up, so a deadline is never shown early.
    pub fn secs(self) -> u64 {
        self.0.div_ceil(1000)
    }

    /// A Discord timestamp that every reader sees relative to their own clock:
    /// `<t:1739500000:R>` ("in 20 seconds", "2 minutes ago").
    pub fn relative(self) -> String {
        format!("<t:{}:R>", self.secs())
    }

    /// The Monday 00:00 UTC that starts this moment's week: what "this week" counts from.
    pub fn week_start(self) -> UnixMillis {
        let days = self.0 / DAY_MS;
        // 1 January 1970 was a Thursday: three days after a Monday.
        let since_monday = (days + 3) % 7;
        UnixMillis((days - since_monday.min(days)) * DAY_MS)
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

    #[test]
    fn discord_timestamps_round_up_to_the_second() {
        assert_eq!(UnixMillis(1_739_500_000_001).relative(), "<t:1739500001:R>");
        assert_eq!(UnixMillis(1_739_500_000_000).relative(), "<t:1739500000:R>");
    }

    #[test]
    fn weeks_start_on_monday_utc() {
        // Friday 14 February 2025, 15:00 UTC.
        let friday = UnixMillis(1_739_545_200_000);
        // Monday 10 February 2025, 00:00 UTC.
        assert_eq!(friday.week_start(), UnixMillis(1_739_145_600_000));
        assert_eq!(
            UnixMillis(1_739_145_600_000).week_start(),
            UnixMillis(1_739_145_600_000)
        );
    }
}
