//! Replies as terminal text: title, text, fields, footer, then numbered buttons;
//! instants as readable local times, mentions as names.

use std::fmt::Write;

use chrono::{DateTime, Local, Offset, TimeZone, Utc};

use crate::reply::{Reply, Span, Text, TimeStyle};

/// What a mention of a member, channel or role shows: their name when the console knows it.
pub trait Names {
    /// The name of member `user_id`, if known.
    fn user(&self, user_id: u64) -> Option<String>;
    /// The name of channel `channel_id`, if known.
    fn channel(&self, channel_id: u64) -> Option<String>;
    /// The name of role `role_id`, if known.
    fn role(&self, role_id: u64) -> Option<String>;
}

/// A reply as plain text, times shown relative to `now`.
pub fn render(reply: &Reply, now: DateTime<Utc>, names: &dyn Names) -> String {
    let mut out = String::new();
    let plain = |text: &Text| text_of(text, now, names);
    if reply.is_error() {
        let _ = writeln!(out, "✗ {}", plain(&reply.text));
        return out;
    }
    let _ = writeln!(out, "━━ {} ━━", reply.title.replace("**", ""));
    if !reply.text.is_empty() {
        let _ = writeln!(out, "{}", plain(&reply.text));
    }
    for field in &reply.fields {
        let _ = writeln!(out, "\n▸ {}", field.name.replace("**", ""));
        for line in plain(&field.value).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if let Some(footer) = &reply.footer {
        let _ = writeln!(out, "\n({footer})");
    }
    let buttons: Vec<String> = reply
        .rows
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, b)| {
            let state = if b.disabled { " (disabled)" } else { "" };
            format!("[{}] {}{state}", i + 1, b.label)
        })
        .collect();
    if !buttons.is_empty() {
        let _ = writeln!(out, "{}", buttons.join("  "));
    }
    out
}

/// Text with its instants and mentions written out for a terminal.
fn text_of(text: &Text, now: DateTime<Utc>, names: &dyn Names) -> String {
    let mut out = String::new();
    for span in text.spans() {
        match span {
            // Bold markers go; a name keeps every character it was written with.
            Span::Plain(plain) => out.push_str(&plain.replace("**", "")),
            Span::Name(name) => out.push_str(name),
            Span::Time(at, TimeStyle::Relative) => out.push_str(&relative(*at, now)),
            Span::Time(at, TimeStyle::Full) => out.push_str(&full(*at, now, &Local)),
            Span::AfterSending(after) => {
                out.push_str(&format!("in {}", duration(after.as_secs())));
            }
            Span::Channel(id) => {
                let name = names.channel(*id).unwrap_or_else(|| id.to_string());
                out.push_str(&format!("#{name}"));
            }
            Span::User(id) => match names.user(*id) {
                Some(name) => out.push_str(&name),
                None => out.push_str(&format!("@{id}")),
            },
            Span::Role(id) => match names.role(*id) {
                Some(name) => out.push_str(&format!("@{name}")),
                None => out.push_str(&format!("@&{id}")),
            },
        }
    }
    out
}

/// `at` in `zone` (the machine's), its day named from `now`'s: "tomorrow 09:00 UTC",
/// "Tue 8 Dec 2026 09:00 UTC+01:00".
fn full<Z: TimeZone>(at: DateTime<Utc>, now: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    let (local, today) = (at.with_timezone(zone), now.with_timezone(zone).date_naive());
    let offset = local.offset().fix().to_string();
    let zone = if offset == "+00:00" {
        "UTC".to_string()
    } else {
        format!("UTC{offset}")
    };
    let day = match (local.date_naive() - today).num_days() {
        -1 => "yesterday".to_string(),
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        _ => local.format("%a %-d %b %Y").to_string(),
    };
    format!("{day} {} {zone}", local.format("%H:%M"))
}

/// `at` seen from `now`: "in 20 s", "in 19 h 24 min", "3 days ago".
fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    // A deadline rounds up, as on Discord: never shown earlier than it is.
    let millis = (at - now).num_milliseconds();
    let seconds = if millis >= 0 {
        (millis + 999) / 1000
    } else {
        millis / 1000
    };
    let span = duration(seconds.unsigned_abs());
    if seconds >= 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// A number of seconds, as a person would say it.
fn duration(seconds: u64) -> String {
    let (minutes, hours, days) = (seconds / 60, seconds / 3600, seconds / 86_400);
    match seconds {
        0..=90 => format!("{seconds} s"),
        91..=3599 => format!("{minutes} min"),
        3600..=86_399 => match minutes % 60 {
            0 => format!("{hours} h"),
            rest => format!("{hours} h {rest} min"),
        },
        _ => match hours % 24 {
            0 => format!("{days} d"),
            rest => format!("{days} d {rest} h"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_speech() {
        assert_eq!(duration(20), "20 s");
        assert_eq!(duration(600), "10 min");
        assert_eq!(duration(19 * 3600 + 24 * 60 + 5), "19 h 24 min");
        assert_eq!(duration(3 * 86_400), "3 d");
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let later = DateTime::from_timestamp_millis(1_700_000_019_001).unwrap();
        assert_eq!(relative(later, now), "in 20 s");
        assert_eq!(relative(now, later), "19 s ago");
        let evening = DateTime::parse_from_rfc3339("2026-12-01T20:00:00Z")
            .unwrap()
            .to_utc();
        let next_morning = DateTime::parse_from_rfc3339("2026-12-02T09:00:00Z")
            .unwrap()
            .to_utc();
        let later_on = DateTime::parse_from_rfc3339("2026-12-08T09:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(full(next_morning, evening, &Utc), "tomorrow 09:00 UTC");
        assert_eq!(full(evening, evening, &Utc), "today 20:00 UTC");
        assert_eq!(full(later_on, evening, &Utc), "Tue 8 Dec 2026 09:00 UTC");
        let paris = chrono::FixedOffset::east_opt(3600).unwrap();
        assert_eq!(full(evening, evening, &paris), "today 21:00 UTC+01:00");
        // 23:30 UTC is already the next day an hour east.
        let late = DateTime::parse_from_rfc3339("2026-12-01T23:30:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(full(late, evening, &paris), "tomorrow 00:30 UTC+01:00");
    }
}
