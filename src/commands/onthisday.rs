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
            "A day of the year, e.g. 02-14 or February 14; today if left out",
            "02-14",
        )
        .max_length(20)],
        run,
    ),
    press: None,
    permissions: None,
    guild_only: false,
};

/// Reads `02-14`, `2-14`, `February 14`, `14 Feb` or `today` as (month, day).
fn parse_day(text: &str, today: NaiveDate) -> Option<(u32, u32)> {
    let text = text.trim().to_lowercase();
    if text == "today" {
        return Some((today.month(), today.day()));
    }
    let month_of = |word: &str| {
        (1..=12).find(|&m| {
            let name = month_name(m).to_lowercase();
            word.len() >= 3 && name.starts_with(word.trim_end_matches('.'))
        })
    };
    let words: Vec<&str> = text
        .split(['-', '/', ' ', ','])
        .filter(|w| !w.is_empty())
        .collect();
    let (month, day) = match words[..] {
        [a, b] => match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(month), Ok(day)) => (month, day),
            (Err(_), Ok(day)) => (month_of(a)?, day),
            (Ok(day), Err(_)) => (month_of(b)?, day),
            _ => return None,
        },
        _ => return None,
    };
    // 2024 is a leap year, so 29 February counts as a day of the year.
    NaiveDate::from_ymd_opt(2024, month, day).map(|_| (month, day))
}

fn event_buttons(events: &[&Event]) -> Vec<Button> {
    events
        .iter()
        .map(|e| Button::new(&e.title, format!("event:{}", e.id), ButtonStyle::Secondary))
        .collect()
}

fn run(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let (month, day) = match args.text("date") {
        None => (ctx.today().month(), ctx.today().day()),
        Some(text) => parse_day(text, ctx.today()).ok_or_else(|| {
            UserError::new(format!(
                "`{text}` is not a day of the year. Type it like `/onthisday date:02-14` or \
                 `/onthisday date:February 14`, or leave it out for today."
            ))
        })?,
    };
    let day_name = format!("{day} {}", month_name(month));
    let found = on_this_day(ctx.data, month, day, NEAREST);
    let title = format!("On this day · {day_name}");
    if found.events.is_empty() {
        let mut reply = Reply::new(Tone::Info, &title).text(format!(
            "Nothing in the story happened on {day_name}. The nearest days that did:"
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
    let mut reply = Reply::new(Tone::Event, &title);
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
        for text in [
            "02-14",
            "2-14",
            "2/14",
            "February 14",
            "14 February",
            "feb 14",
            "Feb. 14",
        ] {
            assert_eq!(parse_day(text, today), Some((2, 14)), "{text}");
        }
        assert_eq!(parse_day("today", today), Some((11, 24)));
        assert_eq!(parse_day("02-29", today), Some((2, 29)));
        for text in ["02-30", "13-01", "ju 4", "yesterday", "14"] {
            assert_eq!(parse_day(text, today), None, "{text}");
        }
    }
}
