//! Time zones as people type them: IANA names (`Europe/London`, any case), the city
//! part of one (`london`, `new york`), a few big cities and US zone nicknames that
//! have no IANA name of their own (`San Francisco`, `Mumbai`, `Eastern`), US and
//! European abbreviations (`PST`, `CET`: the place's local time, daylight saving
//! included) and offsets from UTC (`UTC+2`, `GMT-5`: a fixed offset). Unknown names
//! get the closest IANA names as suggestions; autocomplete offers names that start
//! with what was typed first, then names that contain it, then near misses.
//!
//! A fixed offset has no daylight saving: [`daylight_note`] says so wherever the
//! zone is shown, since a post set at 09:00 `UTC+2` is at 10:00 in Paris all summer.

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};

use super::LocalTime;

use crate::reply::{Choice, fit, limits::CHOICE_MAX, limits::CHOICES_MAX};
use crate::search::{distance, fold};

/// Suggestions in an "unknown time zone" error.
const SUGGESTIONS: usize = 3;

/// Names people type for places that have no IANA name of their own.
const ALIASES: &[(&str, &str)] = &[
    ("San Francisco", "America/Los_Angeles"),
    ("Seattle", "America/Los_Angeles"),
    ("San Diego", "America/Los_Angeles"),
    ("Las Vegas", "America/Los_Angeles"),
    ("Pacific", "America/Los_Angeles"),
    ("Washington", "America/New_York"),
    ("Boston", "America/New_York"),
    ("Miami", "America/New_York"),
    ("Atlanta", "America/New_York"),
    ("Philadelphia", "America/New_York"),
    ("Eastern", "America/New_York"),
    ("Austin", "America/Chicago"),
    ("Dallas", "America/Chicago"),
    ("Houston", "America/Chicago"),
    ("Central", "America/Chicago"),
    ("Mountain", "America/Denver"),
    ("Beijing", "Asia/Shanghai"),
    ("Shenzhen", "Asia/Shanghai"),
    ("Mumbai", "Asia/Kolkata"),
    ("Delhi", "Asia/Kolkata"),
    ("New Delhi", "Asia/Kolkata"),
    ("Bangalore", "Asia/Kolkata"),
    ("Bengaluru", "Asia/Kolkata"),
    ("India", "Asia/Kolkata"),
    ("Munich", "Europe/Berlin"),
    ("Frankfurt", "Europe/Berlin"),
    ("Barcelona", "Europe/Madrid"),
    ("Milan", "Europe/Rome"),
    ("Geneva", "Europe/Zurich"),
    ("Osaka", "Asia/Tokyo"),
    ("Tel Aviv", "Asia/Jerusalem"),
];

/// Abbreviations people type, each with the zone they mean: the place's local time,
/// daylight saving included (`EST` → New York, 09:00 there all year), not the fixed
/// offset the letters name. These win over the legacy IANA zones of the same name
/// (`EST`, `MST`, `CET`…), which no one typing them means. `IST` is left out: India,
/// Ireland and Israel all use it.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("EST", "America/New_York"),
    ("EDT", "America/New_York"),
    ("ET", "America/New_York"),
    ("CST", "America/Chicago"),
    ("CDT", "America/Chicago"),
    ("CT", "America/Chicago"),
    ("MST", "America/Denver"),
    ("MDT", "America/Denver"),
    ("MT", "America/Denver"),
    ("PST", "America/Los_Angeles"),
    ("PDT", "America/Los_Angeles"),
    ("PT", "America/Los_Angeles"),
    ("AKST", "America/Anchorage"),
    ("AKDT", "America/Anchorage"),
    ("HST", "Pacific/Honolulu"),
    ("AST", "America/Halifax"),
    ("ADT", "America/Halifax"),
    ("NST", "America/St_Johns"),
    ("NDT", "America/St_Johns"),
    ("WET", "Europe/Lisbon"),
    ("WEST", "Europe/Lisbon"),
    ("BST", "Europe/London"),
    ("CET", "Europe/Paris"),
    ("CEST", "Europe/Paris"),
    ("MET", "Europe/Paris"),
    ("MEST", "Europe/Paris"),
    ("EET", "Europe/Athens"),
    ("EEST", "Europe/Athens"),
    ("MSK", "Europe/Moscow"),
];

/// The names of UTC itself: a fixed offset that whoever picks it means as one.
const UNIVERSAL: [&str; 8] = [
    "UTC",
    "Etc/UTC",
    "UCT",
    "Etc/UCT",
    "Universal",
    "Etc/Universal",
    "Zulu",
    "Etc/Zulu",
];

/// Offered when nothing has been typed yet: the zones most servers want.
const POPULAR: [&str; CHOICES_MAX] = [
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Australia/Sydney",
    "America/Toronto",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "Europe/Madrid",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Seoul",
    "Asia/Jakarta",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Pacific/Auckland",
    "America/Anchorage",
];

/// An unknown time zone, with the closest names to offer instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct ZoneError {
    pub typed: String,
    /// The closest IANA names, best first (possibly none).
    pub suggestions: Vec<&'static str>,
}

impl ZoneError {
    fn message(&self) -> String {
        let hint = if self.suggestions.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = self.suggestions.iter().map(|s| format!("`{s}`")).collect();
            format!(" Did you mean {}?", names.join(", "))
        };
        format!(
            "`{}` is not a time zone I know.{hint} Type an IANA name such as \
             `timezone:Europe/London` or `timezone:America/New_York`, or a city such as \
             `timezone:London` (start typing and pick from the list).",
            self.typed
        )
    }
}

/// Lower case, diacritics folded, `_` for spaces: how names are compared
/// (`São Paulo` is `sao_paulo`).
fn key(text: &str) -> String {
    fold(text.trim()).to_lowercase().replace(' ', "_")
}

/// The city part of an IANA name: `new_york` for `America/New_York`.
fn city(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// Whether `name` is an IANA name of the current kind (`Europe/London`), not a legacy
/// alias (`US/Eastern`, `Etc/GMT+5`): preferred when several names fit.
fn is_regional(name: &str) -> bool {
    const REGIONS: [&str; 9] = [
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    REGIONS.iter().any(|r| name.starts_with(r))
}

/// The order of preference among zone names: see [`preference`].
type Preference<'n> = (bool, std::cmp::Reverse<usize>, &'n str);

/// How well a zone fits what was typed, best first: tier (0 starts with it, 1 contains
/// it, 2 near miss), edit distance, place in [`POPULAR`], [`preference`].
type Rank<'n> = (u8, usize, usize, Preference<'n>);

/// Among names that fit equally, which to prefer: regional names, then the most
/// specific (`America/Argentina/Buenos_Aires` over its old alias), then by name.
fn preference(name: &str) -> Preference<'_> {
    (
        !is_regional(name),
        std::cmp::Reverse(name.matches('/').count()),
        name,
    )
}

fn by_name(name: &str) -> Option<Tz> {
    let wanted = key(name);
    TZ_VARIANTS
        .iter()
        .copied()
        .find(|tz| key(tz.name()) == wanted)
}

/// The zone an abbreviation (`pst`, any case) means.
fn by_abbreviation(wanted: &str) -> Option<Tz> {
    ABBREVIATIONS
        .iter()
        .find(|(abbreviation, _)| key(abbreviation) == wanted)
        .and_then(|(_, zone)| by_name(zone))
}

/// Minutes east of UTC in `UTC+2`, `GMT-5`, `UTC+02:00`, `utc -0330` or `+5:30`.
fn parse_offset(text: &str) -> Option<i32> {
    let text = text.trim().to_lowercase();
    let rest = ["utc", "gmt"]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .unwrap_or(&text)
        .trim_start();
    let (sign, digits) = if let Some(digits) = rest.strip_prefix('+') {
        (1, digits)
    } else if let Some(digits) = rest.strip_prefix(['-', '\u{2212}']) {
        (-1, digits)
    } else {
        return None;
    };
    let digits = digits.trim();
    let (hours, minutes) = match digits.split_once(':') {
        Some(split) => split,
        None if digits.len() > 2 => digits.split_at(digits.len().min(4) - 2),
        None => (digits, "0"),
    };
    let number = |part: &str| {
        ((1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i32>().ok())
            .flatten()
    };
    let (hours, minutes) = (number(hours)?, number(minutes)?);
    let offset = sign * (hours * 60 + minutes);
    (minutes < 60 && (-12 * 60..=14 * 60).contains(&offset)).then_some(offset)
}

/// The fixed zone `minutes` east of UTC: `Etc/GMT-2` for UTC+2 (IANA's `Etc` names
/// count west, hence the sign), `UTC` for none; `None` for an offset that is not
/// whole hours, which no fixed zone has.
fn fixed_zone(minutes: i32) -> Option<Tz> {
    if minutes % 60 != 0 {
        return None;
    }
    match -minutes / 60 {
        0 => Some(Tz::UTC),
        west => by_name(&format!("Etc/GMT{west:+}")),
    }
}

/// UTC+2 written as people write it: `UTC+2`, `UTC-5`, `UTC+5:30`.
fn offset_label(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
    if rest == 0 {
        format!("UTC{sign}{hours}")
    } else {
        format!("UTC{sign}{hours}:{rest:02}")
    }
}

/// How a zone is shown: its IANA name, or for the fixed offsets whose IANA name reads
/// backwards (`Etc/GMT-2`), the offset as people write it (`UTC+2`).
pub fn zone_label(zone: Tz) -> String {
    match zone
        .name()
        .strip_prefix("Etc/GMT")
        .and_then(|west| west.parse::<i32>().ok())
    {
        Some(0) => "UTC".to_string(),
        Some(west) => offset_label(-west * 60),
        None => zone.name().to_string(),
    }
}

/// Minutes east of UTC in `zone` at `at`.
fn offset_at(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
        / 60
}

/// Whether `zone` moves its clocks in the year of `now`.
fn has_daylight_saving(zone: Tz, now: DateTime<Utc>) -> bool {
    let instant = |month| {
        NaiveDate::from_ymd_opt(now.year(), month, 1)
            .and_then(|date| date.and_hms_opt(12, 0, 0))
            .map(|time| time.and_utc())
            .unwrap_or(now)
    };
    offset_at(zone, instant(1)) != offset_at(zone, instant(7))
}

/// What a server whose daily post is set to `time` in `zone` should know when the
/// zone is a fixed offset or an abbreviation with no daylight saving (`UTC+2`, `GMT`,
/// `Etc/GMT+5`): the post does not follow summer time, and a city does. `None` for
/// the zones of a place, and for UTC itself.
pub fn daylight_note(zone: Tz, time: LocalTime, now: DateTime<Utc>) -> Option<String> {
    let name = zone.name();
    if is_regional(name) || UNIVERSAL.contains(&name) || has_daylight_saving(zone, now) {
        return None;
    }
    let offset = offset_at(zone, now);
    let place = |with_dst: bool| {
        POPULAR.iter().find(|popular| {
            by_name(popular).is_some_and(|tz| {
                is_regional(tz.name())
                    && has_daylight_saving(tz, now) == with_dst
                    && offset_at(tz, now) == offset
            })
        })
    };
    let example = place(true)
        .or_else(|| place(false))
        .unwrap_or(&"Europe/London");
    let label = zone_label(zone);
    Some(format!(
        "{label} is a fixed offset, with no daylight saving: posts come at {time} {label} \
         all year. Where clocks change in summer, pick your city instead, e.g. \
         `timezone:{example}`."
    ))
}

/// The time zone meant by `text`: a US or European abbreviation, an offset from UTC,
/// an IANA name in any case, a city of one, or a well-known city or US zone nickname;
/// otherwise an error naming the closest names.
pub fn parse_zone(text: &str) -> Result<Tz, ZoneError> {
    let wanted = key(text);
    if let Some(tz) = by_abbreviation(&wanted) {
        return Ok(tz);
    }
    if let Some(minutes) = parse_offset(text) {
        return fixed_zone(minutes).ok_or_else(|| ZoneError {
            typed: text.trim().to_string(),
            suggestions: at_offset(minutes, SUGGESTIONS),
        });
    }
    if let Some(tz) = by_name(&wanted) {
        return Ok(tz);
    }
    if let Some((_, zone)) = ALIASES.iter().find(|(alias, _)| key(alias) == wanted)
        && let Some(tz) = by_name(zone)
    {
        return Ok(tz);
    }
    let wanted_city = city(&wanted);
    let by_city = TZ_VARIANTS
        .iter()
        .copied()
        .filter(|tz| key(city(tz.name())) == wanted_city)
        .min_by(|a, b| preference(a.name()).cmp(&preference(b.name())));
    by_city.ok_or_else(|| ZoneError {
        typed: text.trim().to_string(),
        suggestions: closest(&wanted, SUGGESTIONS),
    })
}

/// How far `wanted` is from a zone name: the smaller edit distance of the whole name
/// or of the city parts.
fn remoteness(wanted: &str, name: &str) -> usize {
    let name = key(name);
    distance(wanted, &name).min(distance(city(wanted), city(&name)))
}

/// The `limit` IANA names closest to `wanted` (a [`key`]), within a few edits.
fn closest(wanted: &str, limit: usize) -> Vec<&'static str> {
    let tolerance = 2.max(wanted.chars().count() / 3);
    let mut scored: Vec<(usize, Preference)> = TZ_VARIANTS
        .iter()
        .map(|tz| (remoteness(wanted, tz.name()), preference(tz.name())))
        .filter(|(d, _)| *d <= tolerance)
        .collect();
    scored.sort();
    scored.into_iter().take(limit).map(|(_, p)| p.2).collect()
}

/// Up to `limit` places whose clocks are `minutes` east of UTC in winter or in
/// summer: popular ones when there are some, else any.
fn at_offset(minutes: i32, limit: usize) -> Vec<&'static str> {
    let winter = DateTime::from_timestamp(1_736_000_000, 0).unwrap_or_default();
    let summer = DateTime::from_timestamp(1_751_500_000, 0).unwrap_or_default();
    let fits = |tz: &Tz| {
        is_regional(tz.name())
            && (offset_at(*tz, winter) == minutes || offset_at(*tz, summer) == minutes)
    };
    let popular: Vec<&'static str> = POPULAR
        .iter()
        .filter_map(|name| by_name(name))
        .filter(fits)
        .map(|tz| tz.name())
        .take(limit)
        .collect();
    if !popular.is_empty() {
        return popular;
    }
    TZ_VARIANTS
        .iter()
        .filter(|tz| fits(tz))
        .map(|tz| tz.name())
        .take(limit)
        .collect()
}

/// Whether `name` is a legacy IANA zone that an abbreviation stands in for (`EST`):
/// never offered, as typing it means the place.
fn shadowed(name: &str) -> bool {
    ABBREVIATIONS
        .iter()
        .any(|(abbreviation, _)| abbreviation.eq_ignore_ascii_case(name))
}

/// Up to 25 autocomplete choices for a typed time zone: an offset's fixed zone first,
/// then names, cities, nicknames and abbreviations that start with it, then names that
/// contain it, then near misses; within each, the zones most servers pick first. Each
/// choice's value is an IANA name.
pub fn zone_choices(typed: &str) -> Vec<Choice> {
    let wanted = key(typed);
    if wanted.is_empty() {
        return POPULAR.iter().map(|name| choice(name, name)).collect();
    }
    let mut offered: Vec<Choice> = Vec::new();
    if let Some(minutes) = parse_offset(typed) {
        match fixed_zone(minutes) {
            Some(zone) if zone != Tz::UTC => offered.push(choice(
                &format!(
                    "{} → {} (no daylight saving)",
                    offset_label(minutes),
                    zone.name()
                ),
                zone.name(),
            )),
            Some(zone) => offered.push(choice(zone.name(), zone.name())),
            None => {}
        }
    }
    // For each candidate: its rank, what is shown, its IANA name.
    let popularity = |name: &str| {
        POPULAR
            .iter()
            .position(|p| *p == name)
            .unwrap_or(CHOICES_MAX)
    };
    let mut ranked: Vec<(Rank, String, &str)> = Vec::new();
    for tz in TZ_VARIANTS.iter() {
        let name = tz.name();
        if shadowed(name) {
            continue;
        }
        let full = key(name);
        let tier = if full.starts_with(&wanted) || key(city(name)).starts_with(&wanted) {
            0
        } else if full.contains(&wanted) {
            1
        } else {
            let d = remoteness(&wanted, name);
            if d > 2.max(wanted.chars().count() / 3) {
                continue;
            }
            let rank = (2, d, popularity(name), preference(name));
            ranked.push((rank, name.to_string(), name));
            continue;
        };
        let rank = (tier, 0, popularity(name), preference(name));
        ranked.push((rank, name.to_string(), name));
    }
    for (alias, zone) in ABBREVIATIONS.iter().chain(ALIASES) {
        if key(alias).starts_with(&wanted) {
            let rank = (0, 0, popularity(zone), preference(zone));
            ranked.push((rank, format!("{alias} → {zone}"), zone));
        }
    }
    ranked.sort();
    let mut seen: Vec<String> = offered.iter().map(|c| c.value.clone()).collect();
    for (_, shown, zone) in ranked {
        if offered.len() == CHOICES_MAX {
            break;
        }
        if !seen.iter().any(|s| s == zone) {
            seen.push(zone.to_string());
            offered.push(choice(&shown, zone));
        }
    }
    offered
}

fn choice(shown: &str, zone: &str) -> Choice {
    Choice {
        name: fit(shown, CHOICE_MAX),
        value: zone.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(text: &str) -> &'static str {
        parse_zone(text).unwrap().name()
    }

    #[test]
    fn reads_iana_names_cities_and_nicknames() {
        assert_eq!(zone("Europe/London"), "Europe/London");
        assert_eq!(zone("europe/london"), "Europe/London");
        assert_eq!(zone(" UTC "), "UTC");
        assert_eq!(zone("London"), "Europe/London");
        assert_eq!(zone("New York"), "America/New_York");
        assert_eq!(zone("new_york"), "America/New_York");
        assert_eq!(zone("Kolkata"), "Asia/Kolkata");
        assert_eq!(zone("Buenos Aires"), "America/Argentina/Buenos_Aires");
        assert_eq!(zone("San Francisco"), "America/Los_Angeles");
        assert_eq!(zone("mumbai"), "Asia/Kolkata");
        assert_eq!(zone("Eastern"), "America/New_York");
        assert_eq!(zone("São Paulo"), "America/Sao_Paulo");
        assert_eq!(zone("Zürich"), "Europe/Zurich");
    }

    #[test]
    fn every_popular_zone_and_alias_target_exists() {
        let targets = ALIASES.iter().chain(ABBREVIATIONS).map(|(_, zone)| zone);
        for name in POPULAR.iter().chain(targets) {
            assert_eq!(zone(name), *name);
        }
    }

    #[test]
    fn reads_abbreviations_as_places_and_offsets_as_fixed_zones() {
        assert_eq!(zone("PST"), "America/Los_Angeles");
        assert_eq!(zone("est"), "America/New_York");
        assert_eq!(zone("CET"), "Europe/Paris");
        for (typed, minutes) in [
            ("UTC+2", Some(120)),
            ("GMT-5", Some(-300)),
            ("utc +02:00", Some(120)),
            ("+0530", Some(330)),
            ("UTC\u{2212}3:30", Some(-210)),
            ("UTC+15", None),
            ("UTC+2:75", None),
            ("UTC", None),
            ("2", None),
            ("UTC+12345", None),
        ] {
            assert_eq!(parse_offset(typed), minutes, "{typed}");
        }
        assert_eq!(zone("UTC+2"), "Etc/GMT-2");
        assert_eq!(zone("GMT-5"), "Etc/GMT+5");
        assert_eq!(zone("UTC+0"), "UTC");
        let label = |text: &str| zone_label(parse_zone(text).unwrap());
        assert_eq!(label("Etc/GMT+5"), "UTC-5");
        assert_eq!(label("UTC+14"), "UTC+14");
        assert_eq!(label("UTC"), "UTC");
        assert_eq!(label("London"), "Europe/London");
    }

    #[test]
    fn unknown_zones_suggest_the_closest_names() {
        let error = parse_zone("Mars/Base").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`Mars/Base` is not a time zone I know. Did you mean `America/Boise`, \
             `Antarctica/Casey`, `Asia/Baku`? Type an IANA name such as `timezone:Europe/London` or \
             `timezone:America/New_York`, or a city such as `timezone:London` (start typing \
             and pick from the list)."
        );
        let error = parse_zone("Europe/Londn").unwrap_err();
        assert_eq!(error.suggestions[0], "Europe/London");
        let error = parse_zone("qqqqqqqqqqqqqqqqqqqqqq").unwrap_err();
        assert!(error.suggestions.is_empty());
        assert!(
            error.to_string().starts_with(
                "`qqqqqqqqqqqqqqqqqqqqqq` is not a time zone I know. Type an IANA name"
            )
        );
    }

    #[test]
    fn autocomplete_puts_prefixes_first_then_near_misses() {
        let values = |typed: &str| -> Vec<String> {
            zone_choices(typed).into_iter().map(|c| c.value).collect()
        };
        assert_eq!(zone_choices("").len(), CHOICES_MAX);
        assert_eq!(values("lond")[0], "Europe/London");
        assert_eq!(
            values("a")[..3],
            ["America/New_York", "America/Chicago", "America/Denver"]
        );
        assert_eq!(values("Europe/Lo")[0], "Europe/London");
        assert_eq!(
            values("europe/l")[..3],
            ["Europe/London", "Europe/Lisbon", "Europe/Ljubljana"]
        );
        assert_eq!(values("new y")[0], "America/New_York");
        assert_eq!(values("kolk")[0], "Asia/Kolkata");
        assert_eq!(values("sydny")[0], "Australia/Sydney");
        let san = zone_choices("san f");
        assert_eq!(san[0].name, "San Francisco → America/Los_Angeles");
        assert_eq!(san[0].value, "America/Los_Angeles");
        for typed in ["a", "america", "e", "zzzz", "x".repeat(300).as_str()] {
            let choices = zone_choices(typed);
            assert!(choices.len() <= CHOICES_MAX, "{typed}");
            let mut values: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
            values.sort_unstable();
            values.dedup();
            assert_eq!(values.len(), choices.len(), "no zone twice for {typed}");
            for choice in &choices {
                assert!(parse_zone(&choice.value).is_ok(), "{choice:?}");
            }
        }
    }
}
