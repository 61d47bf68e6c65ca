//! Every kind of lookup, against the real dataset.

use std::path::Path;

use feudbot::data::Dataset;
use feudbot::query::{
    TimelineFilter, find_event, find_person, find_quote, on_this_day, page, parse_years, quotes_by,
    random_quote, timeline,
};
use feudbot::search::DocKind;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn data() -> Dataset {
    Dataset::load(Path::new("data")).expect("the shipped dataset loads")
}

fn ids<'a>(events: impl IntoIterator<Item = &'a feudbot::data::Event>) -> Vec<&'a str> {
    events.into_iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn timeline_filters_by_year_range_person_tag_and_words() {
    let data = data();
    let filter = |f: TimelineFilter| ids(timeline(&data, &f));
    assert_eq!(
        filter(TimelineFilter {
            years: Some((2024, 2024)),
            tag: Some("lawsuit".into()),
            ..Default::default()
        }),
        ["musk-sues", "lawsuit-withdrawn", "lawsuit-refiled"]
    );
    assert_eq!(
        filter(TimelineFilter {
            years: parse_years("2017-2018"),
            ..Default::default()
        }),
        ["for-profit-rift", "dictatorship-email", "musk-leaves"]
    );
    assert_eq!(
        filter(TimelineFilter {
            person: Some("son".into()),
            ..Default::default()
        }),
        ["son-pledge"]
    );
    assert_eq!(
        filter(TimelineFilter {
            text: Some("stargate white house".into()),
            ..Default::default()
        }),
        ["stargate-announced"]
    );
    assert_eq!(filter(TimelineFilter::default()).len(), data.events().len());
    assert!(
        filter(TimelineFilter {
            years: Some((2030, 2031)),
            ..Default::default()
        })
        .is_empty()
    );
}

#[test]
fn years_parse_singly_and_as_ranges() {
    assert_eq!(parse_years("2024"), Some((2024, 2024)));
    assert_eq!(parse_years("2015-2018"), Some((2015, 2018)));
    assert_eq!(parse_years("2018..2015"), Some((2015, 2018)));
    assert_eq!(parse_years("2015 – 2018"), Some((2015, 2018)));
    for bad in ["20x4", "24", "2024-", "", "twenty"] {
        assert_eq!(parse_years(bad), None, "{bad}");
    }
}

#[test]
fn pages_cover_everything_once_and_clamp() {
    let data = data();
    let events: Vec<_> = data.events().iter().collect();
    let (_, _, pages) = page(&events, 1, 6);
    let mut seen = Vec::new();
    for number in 1..=pages {
        let (shown, at, _) = page(&events, number, 6);
        assert_eq!(at, number);
        seen.extend(shown.iter().map(|e| e.id.clone()));
    }
    assert_eq!(seen, ids(data.events().iter()));
    let (last, at, _) = page(&events, 999, 6);
    assert_eq!(at, pages);
    assert!(!last.is_empty());
}

#[test]
fn events_are_found_by_id_title_and_with_typos() {
    let data = data();
    let found = |text: &str| find_event(&data, text).map(|e| e.id.as_str());
    assert_eq!(found("musk-bid"), Some("musk-bid"));
    assert_eq!(found("Stargate announced"), Some("stargate-announced"));
    assert_eq!(found("stargate"), Some("stargate-announced"));
    assert_eq!(found("chatgpt shocks"), Some("chatgpt"));
    assert_eq!(found("altmn ousted"), Some("altman-ousted"));
    assert_eq!(found("97.4"), Some("musk-bid"));
    assert_eq!(found("zzzz qqqq"), None);
}

#[test]
fn people_are_found_by_id_name_alias_and_typo() {
    let data = data();
    let found = |text: &str| find_person(&data, text).map(|p| p.id.as_str());
    assert_eq!(found("musk"), Some("musk"));
    assert_eq!(found("Sam"), Some("altman"));
    assert_eq!(found("masayoshi son"), Some("son"));
    assert_eq!(found("WSJ"), Some("wsj"));
    assert_eq!(found("altmann"), Some("altman"));
    assert_eq!(found("sutskevar"), Some("sutskever"));
    assert_eq!(found("nobody at all"), None);
}

#[test]
fn quotes_by_speaker_words_and_at_random() {
    let data = data();
    let musk: Vec<&str> = quotes_by(&data, Some("musk"))
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(
        musk,
        [
            "last-straw",
            "no-money",
            "softbank-secured",
            "safety-and-open-source",
            "scam-altman"
        ]
    );
    let found = |text: &str, by: Option<&str>| find_quote(&data, text, by).map(|q| q.id.as_str());
    assert_eq!(found("last straw", None), Some("last-straw"));
    assert_eq!(found("insecurity", None), Some("position-of-insecurity"));
    assert_eq!(found("dictator", Some("musk")), None);
    assert_eq!(
        found("dictatorship", Some("sutskever")),
        Some("agi-dictatorship")
    );
    // The same seed picks the same quote; different seeds reach different quotes.
    let all = quotes_by(&data, None);
    let pick = |seed| {
        random_quote(&all, &mut StdRng::seed_from_u64(seed))
            .unwrap()
            .id
            .clone()
    };
    assert_eq!(pick(1), pick(1));
    let distinct: std::collections::HashSet<String> = (0..50).map(pick).collect();
    assert!(distinct.len() > 5, "{distinct:?}");
}

#[test]
fn on_this_day_matches_month_and_day_or_says_what_is_nearest() {
    let data = data();
    let found = on_this_day(&data, 2, 14, 3);
    assert_eq!(ids(found.events), ["bid-rejected"]);
    assert!(found.nearest.is_empty());
    let none = on_this_day(&data, 3, 1, 3);
    assert!(none.events.is_empty());
    assert_eq!(
        ids(none.nearest),
        ["musk-sues", "musk-leaves", "bid-rejected"]
    );
    // Both ways across the new year: 1 January is 16 days after 16 December, 19 days
    // before 20 January, 20 before 21 January.
    let winter = on_this_day(&data, 1, 1, 3);
    assert_eq!(
        ids(winter.nearest),
        ["son-pledge", "inauguration", "stargate-announced"]
    );
    // Month-only dates never count as on this day.
    assert!(
        data.events()
            .iter()
            .all(|e| e.id != "anduril-partnership" || e.date.month_day().is_none())
    );
}

#[test]
fn search_is_ranked_and_forgives_typos() {
    let data = data();
    let top = |query: &str| {
        let (hits, _) = data.index().search(query, None, 3);
        hits.first()
            .map(|hit| (hit.doc.kind, hit.doc.index as usize))
    };
    let event = |id: &str| Some((DocKind::Event, data.position(DocKind::Event, id).unwrap()));
    let person = |id: &str| Some((DocKind::Person, data.position(DocKind::Person, id).unwrap()));
    assert_eq!(top("altmann"), person("altman"));
    assert_eq!(top("sutskevar"), person("sutskever"));
    assert_eq!(top("97.4"), event("musk-bid"));
    assert_eq!(top("stargate announced"), event("stargate-announced"));
    let (hits, total) = data.index().search("stargat", None, 100);
    assert!(total >= 5, "{total}");
    let titles: Vec<&str> = hits
        .iter()
        .filter(|h| h.doc.kind == DocKind::Event)
        .map(|h| data.events()[h.doc.index as usize].title.as_str())
        .collect();
    assert!(
        titles.iter().take(5).all(|t| t.contains("Stargate")),
        "{titles:?}"
    );
    assert_eq!(data.index().search("qqqqqq", None, 10).1, 0);
}

#[test]
fn autocomplete_offers_prefix_matches_first_then_close_ones() {
    let data = data();
    let complete = |kind, typed: &str| -> Vec<u32> { data.index().complete(kind, typed, 25) };
    let event_titles = |typed: &str| -> Vec<String> {
        complete(DocKind::Event, typed)
            .into_iter()
            .map(|i| data.events()[i as usize].title.clone())
            .collect()
    };
    let titles = event_titles("musk");
    assert!(titles.len() >= 4);
    assert!(
        titles.iter().take(4).all(|t| t.starts_with("Musk")),
        "{titles:?}"
    );
    // A word inside the title also counts.
    assert!(event_titles("white house").contains(&"Stargate announced at the White House".into()));
    // Typos.
    assert_eq!(
        event_titles("stargaet")[0],
        "Stargate announced at the White House"
    );
    let people = complete(DocKind::Person, "altmn");
    assert_eq!(data.people()[people[0] as usize].id, "altman");
    // Never more than Discord's 25.
    assert!(complete(DocKind::Event, "a").len() <= 25);
}

#[test]
fn tags_are_counted_once_alphabetically_with_their_events() {
    let data = data();
    let mut expected: std::collections::BTreeMap<&str, usize> = Default::default();
    for event in data.events() {
        for tag in &event.tags {
            *expected.entry(tag.as_str()).or_default() += 1;
        }
    }
    let expected: Vec<(&str, usize)> = expected.into_iter().collect();
    assert!(!expected.is_empty());
    assert_eq!(feudbot::query::tags(&data), expected);
    let counted: Vec<(&str, usize)> = data
        .tags()
        .iter()
        .map(|(tag, count)| (tag.as_str(), *count))
        .collect();
    assert_eq!(counted, expected);
    for (tag, count) in &expected {
        assert_eq!(data.tag_count(tag), *count, "{tag}");
    }
    assert_eq!(data.tag_count("no-such-tag"), 0);
    assert_eq!(data.tag_count(""), 0);
}

#[test]
fn accents_are_folded_in_the_index_and_in_queries() {
    let data = data();
    let mut people = data.people().to_vec();
    people.push(feudbot::data::Person {
        id: "nunez".into(),
        name: "Zoë Ñúñez".into(),
        aliases: vec!["Núñez".into()],
        kind: feudbot::data::PersonKind::Person,
        role: "A name with accents, to look up without them.".into(),
        source: data.sources()[0].id.clone(),
    });
    let data = Dataset::from_records(
        data.sources().to_vec(),
        people,
        data.events().to_vec(),
        data.quotes().to_vec(),
    )
    .expect("a valid dataset");
    let found = |text: &str| find_person(&data, text).map(|p| p.id.as_str());
    for typed in ["zoe nunez", "Zoë Ñúñez", "ZOE", "nunez", "Ñuñez", "zoë"] {
        assert_eq!(found(typed), Some("nunez"), "{typed}");
    }
    // Typed with accents the data does not have.
    assert_eq!(found("Ílyá Sútskévér"), Some("sutskever"));
    let (hits, _) = data.index().search("nunez", Some(DocKind::Person), 5);
    assert_eq!(hits.len(), 1);
    let completed = data.index().complete(DocKind::Person, "Zoe N", 5);
    assert_eq!(completed.len(), 1);
}
