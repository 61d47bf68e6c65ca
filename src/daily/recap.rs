//! The weekly recap: on Mondays, a server that turned it on gets a second post at its
//! daily-post time, on the week that just ended. It goes through the same ledger as
//! the daily fact, as a post of another [`PostKind`].

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

use super::schedule::{DailySchedule, Slot};
use super::week::previous_week_start;

/// What a server's post of a local date is: the ledger keeps each kind apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PostKind {
    /// The day's fact or on-this-day post.
    Fact,
    /// Monday's recap of the past week.
    Recap,
}

impl PostKind {
    /// Its name in the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Fact => "fact",
            PostKind::Recap => "recap",
        }
    }

    /// The kind of a post of `date` under `schedule`: every date has its fact; only
    /// Mondays have a recap, when it is on.
    pub fn is_due_on(self, schedule: &DailySchedule, date: NaiveDate) -> bool {
        match self {
            PostKind::Fact => true,
            PostKind::Recap => schedule.recap && date.weekday() == Weekday::Mon,
        }
    }
}

/// The start of the week a recap posted at `slot` is about: the one before the week
/// holding the slot's instant.
pub fn recapped_week(schedule: &DailySchedule, slot: &Slot) -> DateTime<Utc> {
    previous_week_start(slot.at, schedule.zone)
}
