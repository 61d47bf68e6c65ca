//! `/onthisday`: what happened on a calendar day, in any year of the story.

use chrono::{Datelike, NaiveDate};

use super::{Args, Body, CommandSpec, Ctx, OptionSpec, Request, UserError};
use crate::data::{Event, month_name};
use crate::query::on_this_day;
use crate::reply::{Button, ButtonStyle, Reply, Tone};

/// Nearest days offered when nothing happened on the day asked.
const NEAREST: usize = 3;

/// `/onthisday [date]`.
pub const ON_THIS_DAY: CommandSpec = CommandSpec {
    name: "onthisday",
    description: "What happened in the feud on this day (or another day) in past years",
    body: Body::Options(
        &[OptionSpec::text(
            "date",
            "A day of the year, e.g. 02-14, 14-02 or February 14; today if left out",
            "02-14",
        )
        .max_length(20)],
        run,
    ),
    press: None,
    permissions: None,
    guild_only: false,
    rules: "",
};

/// A day of the year as read from what was typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Day {
    month: u32,
    day: u32,
    /// For two numbers that make a date either way round (`03-04`): the (month, day)
    /// of the reading not taken, day first.
    other: Option<(u32, u32)>,
}

/// Whether (`month`, `day`) is a day of the year; 2024 is a leap year, so 29 February
/// counts.
fn exists(month: u32, day: u32) -> bool {
    NaiveDate::from_ymd_opt(2024, month, day).is_some()
}

/// Reads `02-14`, `2-14`, `14-02`, `14.02`, `February 14`, `14 Feb` or `today`. Two
/// numbers are read month first, as in the US, unless only day first makes a date
/// (`31-12`); when both do, the day-first reading is kept in [`Day::other`].
fn parse_day(text: &str, today: NaiveDate) -> Option<Day> {
    let text = text.trim().to_lowercase();
    let plain = |month, day| Day {
        month,
        day,
        other: None,
    };
    if text == "today" {
        return Some(plain(today.month(), today.day()));
    }
    let month_of = |word: &str| {
        (1..=12).find(|&m| {
            let name = month_name(m).to_lowercase();
            word.len() >= 3 && name.starts_with(word.trim_end_matches('.'))
        })
    };
    let words: Vec<&str> = text
        .split(['-', '/', '.', ' ', ','])
        .filter(|w| !w.is_empty())
        .collect();
    let found = match words[..] {
        [a, b] => match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(a), Ok(b)) => match (exists(a, b), exists(b, a)) {
                (true, true) if a != b => Day {
                    month: a,
                    day: b,
                    other: Some((b, a)),
                },
                (true, _) => plain(a, b),
                (false, true) => plain(b, a),
                (false, false) => return None,
            },
            (Err(_), Ok(day)) => plain(month_of(a)?, day),
            (Ok(day), Err(_)) => plain(month_of(b)?, day),
            _ => return None,
        },
        _ => return None,
    };
    exists(found.month, found.day).then_some(found)
}

fn event_buttons(events: &[&Event]) -> Vec<Button> {
    events
        .iter()
        .map(|e| Button::new(&e.title, format!("event:{}", e.id), ButtonStyle::Secondary))
        .collect()
}

fn run(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let (month, day, reading) = match args.text("date") {
        None => (ctx.today().month(), ctx.today().day(), String::new()),
        Some(text) => {
            let found = parse_day(text, ctx.today()).ok_or_else(|| {
                UserError::new(format!(
                    "`{text}` is not a day of the year. Type it like `/onthisday date:02-14` \
                     or `/onthisday date:February 14`, or leave it out for today."
                ))
            })?;
            let reading = match found.other {
                Some((month, day)) => format!(
                    "Read `{}` as {} {} (month first). For {day} {}, type `{day} {}`.\n\n",
                    text.trim(),
                    found.day,
                    month_name(found.month),
                    month_name(month),
                    month_name(month)
                ),
                None => String::new(),
            };
            (found.month, found.day, reading)
        }
    };
    let day_name = format!("{day} {}", month_name(month));
    let found = on_this_day(ctx.data, month, day, NEAREST);
    let title = format!("On this day · {day_name}");
    if found.events.is_empty() {
        let mut reply = Reply::new(Tone::Info, &title).text(format!(
            "{reading}Nothing in the story happened on {day_name}. The nearest days that did:"
        ));
        for event in &found.nearest {
            reply = reply.field(&event.date.human(), &event.title, false);
        }
        return Ok(Request::Reply(
            reply
                .footer("Tap an event to read it in full")
                .buttons(event_buttons(&found.nearest)),
        ));
    }
    let mut reply = Reply::new(Tone::Event, &title).text(reading.trim_end());
    for event in &found.events {
        reply = reply.field(
            &format!("{} · {}", event.date.year(), event.title),
            &event.summary,
            false,
        );
    }
    Ok(Request::Reply(
        reply
            .footer("Tap an event for its sources and quotes")
            .buttons(event_buttons(&found.events)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_ways_of_writing_a_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let read = |text: &str| parse_day(text, today).map(|d| (d.month, d.day));
        for text in [
            "02-14",
            "2-14",
            "2/14",
            "14-02",
            "14.02.",
            "February 14",
            "14 February",
            "feb 14",
            "Feb. 14",
        ] {
            assert_eq!(read(text), Some((2, 14)), "{text}");
        }
        assert_eq!(read("today"), Some((11, 24)));
        assert_eq!(read("02-29"), Some((2, 29)));
        assert_eq!(read("13-01"), Some((1, 13)));
        for text in ["02-30", "31-31", "ju 4", "yesterday", "14"] {
            assert_eq!(read(text), None, "{text}");
        }
        assert_eq!(parse_day("03-04", today).unwrap().other, Some((4, 3)));
        assert_eq!(parse_day("04-04", today).unwrap().other, None);
        assert_eq!(parse_day("31-12", today).unwrap().other, None);
    }
}
