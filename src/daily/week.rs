//! A server's week, for its weekly leaderboard and recap: from Monday 00:00 on the
//! wall clock of its daily-post time zone (UTC for a server without daily posts) to
//! the next Monday 00:00.

use chrono::{DateTime, Datelike, Days, NaiveTime, Utc};
use chrono_tz::Tz;

use super::schedule::wall_instant;

/// The start of the week holding `at`, in `zone`: its Monday 00:00 (or, when the
/// clocks skip that midnight, the moment they jump past it).
pub fn week_start(at: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let today = at.with_timezone(&zone).date_naive();
    let back = Days::new(u64::from(today.weekday().num_days_from_monday()));
    let monday = today.checked_sub_days(back).unwrap_or(today);
    wall_instant(zone, monday.and_time(NaiveTime::MIN))
}

/// The start of the week before the one holding `at`, in `zone`.
pub fn previous_week_start(at: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    week_start(
        week_start(at, zone) - chrono::TimeDelta::milliseconds(1),
        zone,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_week_starts_on_monday_at_midnight_on_the_servers_clock() {
        let utc_zone = Tz::UTC;
        let monday = utc("2025-02-10T00:00:00Z");
        assert_eq!(week_start(utc("2025-02-14T15:00:00Z"), utc_zone), monday);
        assert_eq!(week_start(monday, utc_zone), monday);
        assert_eq!(
            week_start(utc("2025-02-09T23:59:59Z"), utc_zone),
            utc("2025-02-03T00:00:00Z")
        );
        // Monday 00:00 in Tokyo is Sunday 15:00 UTC: Sunday evening in UTC is already
        // the new week there.
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        assert_eq!(
            week_start(utc("2025-02-09T16:00:00Z"), tokyo),
            utc("2025-02-09T15:00:00Z")
        );
        assert_eq!(
            week_start(utc("2025-02-09T14:59:59Z"), tokyo),
            utc("2025-02-02T15:00:00Z")
        );
        // In New York, Monday 00:00 is 05:00 UTC in winter and 04:00 UTC in summer.
        let new_york: Tz = "America/New_York".parse().unwrap();
        assert_eq!(
            week_start(utc("2025-03-12T12:00:00Z"), new_york),
            utc("2025-03-10T04:00:00Z")
        );
        assert_eq!(
            previous_week_start(utc("2025-03-12T12:00:00Z"), new_york),
            utc("2025-03-03T05:00:00Z")
        );
    }

    #[test]
    fn a_midnight_the_clocks_skip_starts_the_week_when_they_jump() {
        // Tehran sprang forward at Monday 00:00 on 22 March 2021: Monday began at
        // 01:00 local, 20:30 UTC the evening before.
        let tehran: Tz = "Asia/Tehran".parse().unwrap();
        assert_eq!(
            week_start(utc("2021-03-24T12:00:00Z"), tehran),
            utc("2021-03-21T20:30:00Z")
        );
    }
}
