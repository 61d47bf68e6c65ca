//! When a server's daily post goes out: a time of day on the server's wall clock, in
//! an IANA time zone, turned into instants across daylight-saving changes.
//!
//! The rules, for a post at local time T on local date D:
//! - T exists once on D: the post goes out then.
//! - T falls in a spring-forward gap (02:30 in New York on the second Sunday of
//!   March): the post goes out at the first wall-clock minute after the gap (03:00),
//!   the moment the clocks jump past T. It still counts as D's post.
//! - T exists twice on D (01:30 in New York on the first Sunday of November): the post
//!   goes out at the first occurrence only.
//!
//! Every local date has exactly one post instant, and instants grow with dates, so
//! walking [`DailySchedule::next_slot`] never yields a date twice.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// How late a post may still go out: a post found unsent after a restart is sent if
/// its time was at most this long ago, and skipped otherwise.
pub const CATCH_UP_WINDOW: TimeDelta = TimeDelta::hours(6);

/// A time of day on a 24-hour clock, to the minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime {
    hour: u8,
    minute: u8,
}

/// Why a typed time of day was not accepted; the text says what to type instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// A 12-hour time such as `9am`; `suggestion` is the same time on a 24-hour clock.
    #[error(
        "`{typed}` is a 12-hour time. Type the time as HH:MM on a 24-hour clock: \
         `time:{suggestion}`."
    )]
    TwelveHour {
        typed: String,
        /// The same time, as it should be typed.
        suggestion: LocalTime,
    },
    /// Anything else that is not `HH:MM` from `00:00` to `23:59`.
    #[error(
        "`{0}` is not a time of day. Type it as HH:MM on a 24-hour clock, from `00:00` to \
         `23:59`: `time:09:00` for 9 in the morning, `time:21:30` for half past 9 at night."
    )]
    NotATime(String),
}

impl LocalTime {
    /// The time `hour`:`minute`, or `None` past 23:59.
    pub fn new(hour: u32, minute: u32) -> Option<LocalTime> {
        (hour < 24 && minute < 60).then_some(LocalTime {
            hour: hour as u8,
            minute: minute as u8,
        })
    }

    /// The hour, 0 to 23.
    pub fn hour(self) -> u32 {
        u32::from(self.hour)
    }

    /// The minute, 0 to 59.
    pub fn minute(self) -> u32 {
        u32::from(self.minute)
    }

    fn naive(self) -> NaiveTime {
        NaiveTime::from_hms_opt(self.hour(), self.minute(), 0).unwrap_or(NaiveTime::MIN)
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// `H:MM` or `HH:MM`, both parts plain digits.
fn clock(text: &str) -> Option<(u32, u32)> {
    let (hour, minute) = text.split_once(':')?;
    let digits = |s: &str, widths: &[usize]| {
        widths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(hour, &[1, 2]) || !digits(minute, &[2]) {
        return None;
    }
    Some((hour.parse().ok()?, minute.parse().ok()?))
}

/// Reads `9am`, `9 pm`, `9:30pm`, `12 a.m.` as a time of day.
fn twelve_hour(text: &str) -> Option<LocalTime> {
    let lower = text.to_lowercase().replace(['.', ' '], "");
    let (clock_part, afternoon) = match lower.strip_suffix("am") {
        Some(rest) => (rest.to_string(), false),
        None => (lower.strip_suffix("pm")?.to_string(), true),
    };
    let (hour, minute) = if clock_part.contains(':') {
        clock(&clock_part)?
    } else {
        let digits =
            (1..=2).contains(&clock_part.len()) && clock_part.bytes().all(|b| b.is_ascii_digit());
        (digits.then(|| clock_part.parse().ok()).flatten()?, 0)
    };
    if !(1..=12).contains(&hour) {
        return None;
    }
    LocalTime::new(hour % 12 + if afternoon { 12 } else { 0 }, minute)
}

impl FromStr for LocalTime {
    type Err = TimeError;

    /// Accepts `HH:MM` (or `H:MM`) on a 24-hour clock, `00:00` to `23:59`. A 12-hour
    /// time (`9am`) is refused with the 24-hour form to type instead: accepting both
    /// would leave `9:30` ambiguous to readers of the status.
    fn from_str(text: &str) -> Result<LocalTime, TimeError> {
        let text = text.trim();
        if let Some((hour, minute)) = clock(text) {
            return LocalTime::new(hour, minute).ok_or_else(|| TimeError::NotATime(text.into()));
        }
        match twelve_hour(text) {
            Some(suggestion) => Err(TimeError::TwelveHour {
                typed: text.into(),
                suggestion,
            }),
            None => Err(TimeError::NotATime(text.into())),
        }
    }
}

/// One server's daily post: where, and when on its wall clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailySchedule {
    /// The channel posts go to.
    pub channel_id: u64,
    /// The local time of day of each post.
    pub time: LocalTime,
    /// The time zone the time is in.
    pub zone: Tz,
    /// Why posting stopped (the channel is gone, or the bot lost access), if it did.
    pub paused: Option<String>,
    /// Whether Mondays also bring a recap of the past week.
    pub recap: bool,
}

/// One day's post: the local date it belongs to and the instant it goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    /// The local calendar date of the post, in the schedule's zone: the ledger's key.
    pub date: NaiveDate,
    /// When it goes out.
    pub at: DateTime<Utc>,
}

/// Wall-clock minutes searched past a gap; no zone has skipped more than a day.
const GAP_SEARCH_MINUTES: u32 = 2 * 24 * 60;

impl DailySchedule {
    /// The post of local date `date` (see the module docs for DST days).
    pub fn slot_on(&self, date: NaiveDate) -> Slot {
        let at = wall_instant(self.zone, date.and_time(self.time.naive()));
        Slot { date, at }
    }

    /// The local calendar date at `instant` in the schedule's zone.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.zone).date_naive()
    }

    /// The first post strictly after `after`.
    pub fn next_slot(&self, after: DateTime<Utc>) -> Slot {
        let today = self.local_date(after);
        // A gap can push a date's post into the next date, so start a day early.
        let mut date = today.checked_sub_days(Days::new(1)).unwrap_or(today);
        loop {
            let slot = self.slot_on(date);
            if slot.at > after {
                return slot;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => return slot,
            }
        }
    }

    /// The latest post at or before `at`: the one due at that moment.
    pub fn last_slot(&self, at: DateTime<Utc>) -> Slot {
        let today = self.local_date(at);
        let mut date = today.checked_add_days(Days::new(1)).unwrap_or(today);
        loop {
            let slot = self.slot_on(date);
            if slot.at <= at {
                return slot;
            }
            match date.pred_opt() {
                Some(previous) => date = previous,
                None => return slot,
            }
        }
    }
}

/// The instant the wall clocks of `zone` show `wall`: its first occurrence when it
/// shows twice, or the moment the clocks jumped past it when it falls in a gap.
pub(super) fn wall_instant(zone: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
    (0..=GAP_SEARCH_MINUTES)
        .filter_map(|m| wall.checked_add_signed(TimeDelta::minutes(i64::from(m))))
        .find_map(|minute| zone.from_local_datetime(&minute).earliest())
        .map_or_else(|| wall.and_utc(), |at| at.with_timezone(&Utc))
}

/// When the next post of `schedule` goes out, strictly after `after`.
pub fn next_post(schedule: &DailySchedule, after: DateTime<Utc>) -> DateTime<Utc> {
    schedule.next_slot(after).at
}

/// Whether a post due at `slot` that has not gone out should still go out at `now`:
/// at most [`CATCH_UP_WINDOW`] late.
pub fn still_worth_sending(slot: &Slot, now: DateTime<Utc>) -> bool {
    now - slot.at <= CATCH_UP_WINDOW
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> LocalTime {
        text.parse().unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn schedule(zone: &str, at: &str) -> DailySchedule {
        DailySchedule {
            channel_id: 1,
            time: time(at),
            zone: zone.parse().unwrap(),
            paused: None,
            recap: false,
        }
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn reads_24_hour_times_and_refuses_the_rest_with_the_accepted_form() {
        assert_eq!(time("09:00").to_string(), "09:00");
        assert_eq!(time("9:05").to_string(), "09:05");
        assert_eq!(time(" 23:59 ").to_string(), "23:59");
        assert_eq!(time("00:00").to_string(), "00:00");
        let error = |text: &str| text.parse::<LocalTime>().unwrap_err().to_string();
        assert_eq!(
            error("25:00"),
            "`25:00` is not a time of day. Type it as HH:MM on a 24-hour clock, from `00:00` \
             to `23:59`: `time:09:00` for 9 in the morning, `time:21:30` for half past 9 at night."
        );
        assert_eq!(
            error("9am"),
            "`9am` is a 12-hour time. Type the time as HH:MM on a 24-hour clock: `time:09:00`."
        );
        assert!(error("9:30 pm").ends_with("`time:21:30`."));
        assert!(error("12am").ends_with("`time:00:00`."));
        assert!(error("12 p.m.").ends_with("`time:12:00`."));
        for text in [
            "24:00",
            "12:60",
            "9",
            "0900",
            "9:5",
            "09:000",
            "noon",
            "",
            "13pm",
            "-1:00",
            "٠٩:٠٠",
        ] {
            assert!(
                matches!(text.parse::<LocalTime>(), Err(TimeError::NotATime(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn a_post_goes_out_at_the_local_time_in_each_zone() {
        let cases = [
            ("UTC", "00:00", "2025-06-01", "2025-06-01T00:00:00Z"),
            (
                "Asia/Kolkata",
                "09:00",
                "2025-06-01",
                "2025-06-01T03:30:00Z",
            ),
            (
                "Asia/Kolkata",
                "02:00",
                "2025-06-01",
                "2025-05-31T20:30:00Z",
            ),
            (
                "Europe/London",
                "09:00",
                "2025-01-15",
                "2025-01-15T09:00:00Z",
            ),
            (
                "Europe/London",
                "09:00",
                "2025-07-15",
                "2025-07-15T08:00:00Z",
            ),
            (
                "America/New_York",
                "09:00",
                "2025-01-15",
                "2025-01-15T14:00:00Z",
            ),
            (
                "America/New_York",
                "09:00",
                "2025-07-15",
                "2025-07-15T13:00:00Z",
            ),
            (
                "Australia/Sydney",
                "09:00",
                "2025-01-15",
                "2025-01-14T22:00:00Z",
            ),
            (
                "Australia/Sydney",
                "09:00",
                "2025-07-15",
                "2025-07-14T23:00:00Z",
            ),
        ];
        for (zone, at, day, expected) in cases {
            let slot = schedule(zone, at).slot_on(date(day));
            assert_eq!(slot.at, utc(expected), "{zone} {at} {day}");
        }
    }

    #[test]
    fn spring_forward_gaps_post_once_when_the_clocks_jump() {
        // (zone, time in the gap, the day, the first minute after the gap in UTC)
        let cases = [
            // 02:00 EST -> 03:00 EDT
            (
                "America/New_York",
                "02:30",
                "2025-03-09",
                "2025-03-09T07:00:00Z",
            ),
            // 01:00 GMT -> 02:00 BST
            (
                "Europe/London",
                "01:30",
                "2025-03-30",
                "2025-03-30T01:00:00Z",
            ),
            // 02:00 AEST -> 03:00 AEDT
            (
                "Australia/Sydney",
                "02:30",
                "2025-10-05",
                "2025-10-04T16:00:00Z",
            ),
        ];
        for (zone, at, day, expected) in cases {
            let schedule = schedule(zone, at);
            let slot = schedule.slot_on(date(day));
            assert_eq!(slot.at, utc(expected), "{zone}");
            assert_eq!(slot.date, date(day));
            // Walking from the day before yields that day once, then the next day.
            let start = schedule.slot_on(date(day).pred_opt().unwrap());
            let first = schedule.next_slot(start.at);
            assert_eq!(first, slot, "{zone}");
            let second = schedule.next_slot(first.at);
            assert_eq!(second.date, date(day).succ_opt().unwrap(), "{zone}");
            assert_eq!(
                second.at.with_timezone(&schedule.zone).time(),
                schedule.time.naive(),
                "{zone}: back to the usual time the next day"
            );
        }
    }

    #[test]
    fn fall_back_days_post_at_the_first_occurrence_only() {
        let cases = [
            // 02:00 EDT -> 01:00 EST: 01:30 happens at 05:30Z and 06:30Z.
            (
                "America/New_York",
                "01:30",
                "2025-11-02",
                "2025-11-02T05:30:00Z",
            ),
            // 02:00 BST -> 01:00 GMT: 01:30 happens at 00:30Z and 01:30Z.
            (
                "Europe/London",
                "01:30",
                "2025-10-26",
                "2025-10-26T00:30:00Z",
            ),
            // 03:00 AEDT -> 02:00 AEST: 02:30 happens at 15:30Z and 16:30Z the day before.
            (
                "Australia/Sydney",
                "02:30",
                "2025-04-06",
                "2025-04-05T15:30:00Z",
            ),
        ];
        for (zone, at, day, expected) in cases {
            let schedule = schedule(zone, at);
            let slot = schedule.slot_on(date(day));
            assert_eq!(slot.at, utc(expected), "{zone}");
            // Right after the first occurrence, the next post is the next day's, not
            // the second occurrence an hour later.
            let next = schedule.next_slot(slot.at);
            assert_eq!(next.date, date(day).succ_opt().unwrap(), "{zone}");
            assert!(next.at - slot.at > TimeDelta::hours(24), "{zone}");
            assert_eq!(schedule.last_slot(slot.at + TimeDelta::hours(1)), slot);
        }
    }

    #[test]
    fn two_years_of_posts_have_one_per_local_date_in_order() {
        let zones = [
            "UTC",
            "Asia/Kolkata",
            "Europe/London",
            "America/New_York",
            "Australia/Sydney",
            "Australia/Lord_Howe",
            "Pacific/Apia",
        ];
        let times = [
            "00:00", "00:30", "01:30", "02:00", "02:30", "03:00", "09:00", "23:59",
        ];
        for zone in zones {
            for at in times {
                let schedule = schedule(zone, at);
                let mut now = utc("2024-01-01T00:00:00Z");
                let mut last: Option<Slot> = None;
                for _ in 0..731 {
                    let slot = schedule.next_slot(now);
                    if let Some(last) = last {
                        assert_eq!(
                            Some(slot.date),
                            last.date.succ_opt(),
                            "{zone} {at}: {last:?} then {slot:?}"
                        );
                        assert!(slot.at > last.at);
                    }
                    assert_eq!(schedule.last_slot(slot.at), slot, "{zone} {at}");
                    assert_eq!(next_post(&schedule, now), slot.at);
                    last = Some(slot);
                    now = slot.at;
                }
            }
        }
    }

    #[test]
    fn next_is_strictly_after_and_last_is_at_or_before() {
        let schedule = schedule("Asia/Kolkata", "09:00");
        let at = utc("2025-06-01T03:30:00Z");
        assert_eq!(schedule.next_slot(at).at, utc("2025-06-02T03:30:00Z"));
        assert_eq!(
            schedule.next_slot(at - TimeDelta::seconds(1)).at,
            utc("2025-06-01T03:30:00Z")
        );
        assert_eq!(schedule.last_slot(at).at, at);
        assert_eq!(
            schedule.last_slot(at - TimeDelta::seconds(1)).date,
            date("2025-05-31")
        );
    }

    #[test]
    fn catch_up_lasts_six_hours() {
        let slot = schedule("UTC", "09:00").slot_on(date("2025-06-01"));
        assert!(still_worth_sending(&slot, utc("2025-06-01T15:00:00Z")));
        assert!(!still_worth_sending(&slot, utc("2025-06-01T15:00:01Z")));
    }
}
