//! Time zones as people type them: IANA names (`Europe/London`, any case), the city
//! part of one (`london`, `new york`), or a few big cities and US zone nicknames that
//! have no IANA name of their own (`San Francisco`, `Mumbai`, `Eastern`). Unknown
//! names get the closest IANA names as suggestions; autocomplete offers names that
//! start with what was typed first, then names that contain it, then near misses.

use chrono_tz::{TZ_VARIANTS, Tz};

use crate::reply::{Choice, fit, limits::CHOICE_MAX, limits::CHOICES_MAX};
use crate::search::distance;

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

/// Lower case, `_` for spaces: how names are compared.
fn key(text: &str) -> String {
    text.trim().to_lowercase().replace(' ', "_")
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

/// The time zone meant by `text`: an IANA name in any case, a city of one, or a
/// well-known city or US zone nickname; otherwise an error naming the closest names.
pub fn parse_zone(text: &str) -> Result<Tz, ZoneError> {
    let wanted = key(text);
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

/// Up to 25 autocomplete choices for a typed time zone: names, cities and nicknames
/// that start with it, then names that contain it, then near misses; within each, the
/// zones most servers pick first. Each choice's value is an IANA name.
pub fn zone_choices(typed: &str) -> Vec<Choice> {
    let wanted = key(typed);
    if wanted.is_empty() {
        return POPULAR.iter().map(|name| choice(name, name)).collect();
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
    for (alias, zone) in ALIASES {
        if key(alias).starts_with(&wanted) {
            let rank = (0, 0, popularity(zone), preference(zone));
            ranked.push((rank, format!("{alias} → {zone}"), zone));
        }
    }
    ranked.sort();
    let mut seen: Vec<&str> = Vec::new();
    ranked
        .into_iter()
        .filter(|(_, _, zone)| {
            let fresh = !seen.contains(zone);
            seen.push(zone);
            fresh
        })
        .take(CHOICES_MAX)
        .map(|(_, shown, zone)| choice(&shown, zone))
        .collect()
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
    }

    #[test]
    fn every_popular_zone_and_alias_target_exists() {
        for name in POPULAR.iter().chain(ALIASES.iter().map(|(_, zone)| zone)) {
            assert_eq!(zone(name), *name);
        }
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
