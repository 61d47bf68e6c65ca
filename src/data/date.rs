//! A calendar date exactly as precise as its source: a year, a month or a day, or
//! (`by 2025-02`) no later than one, for what a source calls recent.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

/// A date with the precision the source supports: `2015`, `2015-05` or `2015-12-11`;
/// or a bound, `by 2025-02`: at the latest then, how much earlier unknown (a source
/// saying "recently").
///
/// Ordering puts a less precise date before the more precise dates it contains,
/// so `2015` < `2015-05` < `2015-05-01`; a bound sorts with its own date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    /// At the latest this date, not on it.
    by: bool,
}

/// Why a string is not a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with `by ` before or not.
    #[error(
        "expected a date as YYYY, YYYY-MM or YYYY-MM-DD (or `by ` and one of these), got {0:?}"
    )]
    Format(String),
    /// Well formed, but no such day or month exists.
    #[error("{0:?} is not a real calendar date")]
    Impossible(String),
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of a month numbered 1 to 12.
pub fn month_name(month: u32) -> &'static str {
    MONTH_NAMES[(month.clamp(1, 12) - 1) as usize]
}

impl Date {
    /// A date precise to the day. Returns `None` for a day that does not exist.
    pub fn ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Date {
            year,
            month: Some(month),
            day: Some(day),
            by: false,
        })
    }

    /// Whether the date is a bound (`by 2025-02`): it happened then at the latest.
    pub fn is_bound(&self) -> bool {
        self.by
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month (1–12), when the date is at least that precise.
    pub fn month(&self) -> Option<u32> {
        self.month
    }

    /// The day of the month, when the date is precise to the day.
    pub fn day(&self) -> Option<u32> {
        self.day
    }

    /// `(month, day)` when the date is precise to the day: what on-this-day matches on.
    pub fn month_day(&self) -> Option<(u32, u32)> {
        if self.by {
            return None;
        }
        Some((self.month?, self.day?))
    }

    /// True when both dates agree as far as both are precise:
    /// `2025-02` agrees with `2025-02-10`, `2025-01` does not.
    pub fn agrees_with(&self, other: &Date) -> bool {
        let same = |a: Option<u32>, b: Option<u32>| a.is_none() || b.is_none() || a == b;
        self.year == other.year
            && same(self.month, other.month)
            && (self.month.is_none() || other.month.is_none() || same(self.day, other.day))
    }

    /// The first and last day the date may mean, as comparable `(year, month, day)`:
    /// `2015` spans `(2015, 1, 1)` to `(2015, 12, 31)`; a bound starts at the dawn of
    /// time.
    pub fn span(&self) -> ((i32, u32, u32), (i32, u32, u32)) {
        let first = if self.by {
            (i32::MIN, 1, 1)
        } else {
            (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
        };
        (
            first,
            (self.year, self.month.unwrap_or(12), self.day.unwrap_or(31)),
        )
    }

    /// The date for people: `11 December 2015`, `May 2015`, `2015`, `by February 2025`.
    pub fn human(&self) -> String {
        let date = match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month_name(m), self.year),
            (Some(m), None) => format!("{} {}", month_name(m), self.year),
            _ => self.year.to_string(),
        };
        if self.by { format!("by {date}") } else { date }
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Date {
        Date {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
            by: false,
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        let format = || DateError::Format(text.to_string());
        let (by, s) = match text.strip_prefix("by ") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = parts.len() <= 3
            && parts.iter().enumerate().all(|(i, p)| {
                p.len() == if i == 0 { 4 } else { 2 } && p.bytes().all(|b| b.is_ascii_digit())
            });
        if !widths_ok {
            return Err(format());
        }
        let number = |i: usize| parts.get(i).map(|p| p.parse::<u32>()).transpose();
        let year = number(0).map_err(|_| format())?.ok_or_else(format)?;
        let month = number(1).map_err(|_| format())?;
        let day = number(2).map_err(|_| format())?;
        let exists = match (month, day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(year as i32, m, d).is_some(),
            (Some(m), None) => (1..=12).contains(&m),
            _ => true,
        };
        if !exists {
            return Err(DateError::Impossible(text.to_string()));
        }
        Ok(Date {
            year: year as i32,
            month,
            day,
            by,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.by {
            f.write_str("by ")?;
        }
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision_and_prints_it_back() {
        for text in ["2015", "2015-05", "2015-12-11", "2024-02-29", "by 2025-02"] {
            assert_eq!(text.parse::<Date>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_and_impossible_dates() {
        for text in [
            "",
            "15",
            "2015-5",
            "2015/05",
            "20x4",
            "2015-05-01-01",
            "2015-05-",
            "by",
            "by  2015",
            "after 2015",
        ] {
            assert_eq!(
                text.parse::<Date>(),
                Err(DateError::Format(text.into())),
                "{text}"
            );
        }
        for text in ["2015-13", "2015-00", "2023-02-29", "2024-04-31"] {
            assert_eq!(
                text.parse::<Date>(),
                Err(DateError::Impossible(text.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn orders_less_precise_first() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert!(d("2015") < d("2015-05"));
        assert!(d("2015-05") < d("2015-05-01"));
        assert!(d("2015-12-11") < d("2016"));
    }

    #[test]
    fn agreement_is_checked_at_the_common_precision() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert!(d("2025-02").agrees_with(&d("2025-02-10")));
        assert!(d("2025").agrees_with(&d("2025-02-10")));
        assert!(!d("2025-01").agrees_with(&d("2025-02-10")));
        assert!(!d("2025-02-11").agrees_with(&d("2025-02-10")));
        assert!(!d("2024").agrees_with(&d("2025")));
    }

    #[test]
    fn human_form_follows_precision() {
        let d = |s: &str| s.parse::<Date>().unwrap().human();
        assert_eq!(d("2015-12-11"), "11 December 2015");
        assert_eq!(d("2015-05"), "May 2015");
        assert_eq!(d("2015"), "2015");
        assert_eq!(d("by 2025-02"), "by February 2025");
    }

    #[test]
    fn a_bound_may_mean_any_earlier_day_and_is_no_day_of_the_year() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let by = d("by 2025-02-10");
        assert!(by.is_bound() && !d("2025-02-10").is_bound());
        assert_eq!(by.span().1, (2025, 2, 10));
        assert!(
            by.span().0 < d("2015").span().0,
            "it may be any earlier day"
        );
        assert_eq!(by.month_day(), None, "never on this day");
    }
}
