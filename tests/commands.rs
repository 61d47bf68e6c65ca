//! Every command, every button and every autocomplete answer, checked against what a
//! user should see and against Discord's limits.

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

use chrono::NaiveDate;
use feudbot::commands::{self, COMMANDS, Ctx, Invocation, Value, autocomplete, parse_line};
use feudbot::data::Dataset;
use feudbot::reply::{Reply, limits};
use rand::SeedableRng;
use rand::rngs::StdRng;

fn data() -> Dataset {
    Dataset::load(Path::new("data")).expect("the shipped dataset loads")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 14).unwrap()
}

fn ask(data: &Dataset, line: &str) -> Reply {
    let mut rng = StdRng::seed_from_u64(42);
    let mut ctx = Ctx {
        data,
        today: today(),
        rng: &mut rng,
    };
    match parse_line(line) {
        Ok(invocation) => commands::run(&mut ctx, &invocation),
        Err(error) => Reply::error(&error.0),
    }
}

fn press(data: &Dataset, custom_id: &str) -> Reply {
    let mut rng = StdRng::seed_from_u64(42);
    let mut ctx = Ctx {
        data,
        today: today(),
        rng: &mut rng,
    };
    commands::press(&mut ctx, custom_id)
}

fn assert_fits(reply: &Reply, what: &str) {
    assert_eq!(
        reply.violations(),
        Vec::<String>::new(),
        "{what}: {reply:#?}"
    );
}

fn custom_ids(reply: &Reply) -> Vec<String> {
    reply
        .rows
        .iter()
        .flatten()
        .filter(|b| !b.disabled)
        .map(|b| b.custom_id.clone())
        .collect()
}

/// Values worth trying for any option: real ids and names, typos, junk, extremes.
fn values(data: &Dataset) -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        " ",
        "2024",
        "2015-2018",
        "20x4",
        "0",
        "-1",
        "1",
        "2",
        "999",
        "1000",
        "99999999999999999999",
        "stargat",
        "altmann",
        "sutskevar",
        "97.4",
        "lawsuit",
        "02-14",
        "February 14",
        "03-01",
        "today",
        "\"quoted words\"",
        "a:b:c",
        "🔥🔥🔥",
        "<@123> @everyone",
        "`code`",
        "**bold**",
    ]
    .map(String::from)
    .to_vec();
    values.push("x".repeat(120));
    values.push("é".repeat(200));
    values.push("word ".repeat(40));
    values.extend(
        data.people()
            .iter()
            .flat_map(|p| [p.id.clone(), p.name.clone()]),
    );
    values.extend(
        data.events()
            .iter()
            .flat_map(|e| [e.id.clone(), e.title.clone()]),
    );
    values.extend(data.quotes().iter().map(|q| q.id.clone()));
    values
}

#[test]
fn every_command_with_every_kind_of_value_fits_discord() {
    let data = data();
    let values = values(&data);
    let mut rng = StdRng::seed_from_u64(1);
    let mut replies = 0;
    // Game and daily commands are answered by their runtimes, which have their own
    // sweeps (tests/quiz_game.rs, tests/daily.rs).
    for spec in COMMANDS
        .iter()
        .filter(|spec| matches!(spec.run, commands::Run::Lookup(_)))
    {
        // A plain command is one form; a command with subcommands, one per subcommand.
        let forms: Vec<(Option<String>, &[commands::OptionSpec])> = if spec.subcommands.is_empty() {
            vec![(None, spec.options)]
        } else {
            spec.subcommands
                .iter()
                .map(|sub| (Some(sub.name.to_string()), sub.options))
                .collect()
        };
        let mut invocations = Vec::new();
        for (subcommand, options) in forms {
            let invocation = |options: Vec<(String, Value)>| Invocation {
                command: spec.name.into(),
                subcommand: subcommand.clone(),
                options,
            };
            invocations.push(invocation(vec![]));
            for option in options {
                for value in &values {
                    invocations.push(invocation(vec![(
                        option.name.into(),
                        Value::Text(value.clone()),
                    )]));
                }
                for number in [i64::MIN, -1, 0, 1, 3, 50, 999, i64::MAX] {
                    invocations.push(invocation(vec![(
                        option.name.into(),
                        Value::Integer(number),
                    )]));
                }
            }
            // Combinations of two options.
            for a in options {
                for b in options {
                    for value in values.iter().step_by(7) {
                        invocations.push(invocation(vec![
                            (a.name.into(), Value::Text(value.clone())),
                            (b.name.into(), Value::Text("2".into())),
                        ]));
                    }
                }
            }
        }
        for invocation in invocations {
            let mut ctx = Ctx {
                data: &data,
                today: today(),
                rng: &mut rng,
            };
            let reply = commands::run(&mut ctx, &invocation);
            assert_fits(&reply, &format!("{invocation:?}"));
            assert_eq!(
                reply.ephemeral,
                reply.is_error(),
                "errors, and only errors, are private"
            );
            replies += 1;
        }
    }
    assert!(replies > 2000, "{replies}");
}

#[test]
fn every_button_reachable_from_any_command_works_and_fits() {
    let data = data();
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let starts = [
        "/timeline",
        "/timeline person:musk",
        "/timeline tag:stargate",
        "/timeline year:2015-2024 text:musk",
        "/search musk",
        "/search altman openai",
        "/event openai-founded",
        "/quote",
        "/quote speaker:altman",
        "/person altman",
        "/person openai",
        "/onthisday 02-14",
        "/onthisday 03-01",
    ];
    for line in starts {
        let reply = ask(&data, line);
        assert!(!reply.is_error(), "{line}: {}", reply.text);
        queue.extend(custom_ids(&reply));
    }
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let reply = press(&data, &id);
        assert!(!reply.is_error(), "{id}: {}", reply.text);
        assert_fits(&reply, &id);
        queue.extend(custom_ids(&reply));
    }
    // Every event is reachable by buttons, all timeline and search pages too.
    for event in data.events() {
        assert!(
            seen.contains(&format!("event:{}", event.id)),
            "{}",
            event.id
        );
    }
    assert!(
        seen.iter().any(|id| id.starts_with("timeline:4:")),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|id| id.starts_with("search:2:musk")),
        "{seen:?}"
    );
}

#[test]
fn forged_or_stale_buttons_get_a_private_notice() {
    let data = data();
    for id in [
        "",
        "nope",
        "nope:1",
        "about:x",
        "timeline:abc::::",
        "timeline:1:20x4:::",
        "timeline:1::nobody::",
        "timeline:1",
        "event:no-such-event",
        "quote:random:nobody",
        "quote:other",
        "search:x:musk",
        "search:1:",
        &format!("search:1:{}", "x".repeat(120)),
    ] {
        let reply = press(&data, id);
        assert!(reply.is_error() && reply.ephemeral, "{id:?}: {reply:?}");
        assert!(
            reply.text.contains("Run the command again"),
            "{id:?}: {}",
            reply.text
        );
    }
}

#[test]
fn pagination_survives_a_restart_because_state_is_in_the_custom_id() {
    let first = data();
    let reply = ask(&first, "/timeline");
    let next = reply.rows[0][1].custom_id.clone();
    assert_eq!(next, "timeline:2::::");
    let page_two = press(&first, &next);
    // A new process, a new dataset instance: same answer from the same custom_id.
    assert_eq!(press(&data(), &next), page_two);
    assert!(
        page_two
            .footer
            .as_deref()
            .unwrap()
            .starts_with("Page 2 of 4")
    );
    assert_eq!(page_two.fields[0].name, "20 February 2018");
}

#[test]
fn bad_input_says_what_to_type_instead() {
    let data = data();
    let cases = [
        (
            "/timeline year:20x4",
            "`20x4` is not a year. Type a year like `/timeline year:2024` or a range like `/timeline year:2015-2018`; the story runs from 2015 to 2025.",
        ),
        (
            "/timelin",
            "There is no command `/timelin`. Did you mean `/timeline`? Type `/help` to see them all.",
        ),
        (
            "/timeline yeer:2024",
            "`/timeline` has no option `yeer`. Did you mean `year`? Type it like this: `/timeline [year:2024] [person:musk] [tag:lawsuit] [text:stargate] [page:2]`",
        ),
        (
            "/timeline page:two",
            "`page` must be a whole number. Type it like this: `/timeline page:2`",
        ),
        (
            "/timeline page:0",
            "`page` must be between 1 and 999. Type it like this: `/timeline page:2`",
        ),
        (
            "/timeline tag:lawsiut",
            "There is no topic `lawsiut`. Try one of: `lawsuit`.",
        ),
        (
            "/timeline year:2030",
            "No events match 2030. The story runs from 2015 to 2025: try `/timeline` for all of it, or `/search` with a word or name.",
        ),
        (
            "/search",
            "`/search` needs `query` (Words, names or numbers, e.g. stargate or 97.4). Type it like this: `/search query:stargate [page:2]`",
        ),
        (
            "/search query:\"\"",
            "`query` is empty. Type it like this: `/search query:stargate`",
        ),
        (
            "/search qqqqqq",
            "Nothing matches `qqqqqq`. Try a name (`altman`), a topic (`lawsuit`), a number (`97.4`), or `/timeline` to browse the story.",
        ),
        (
            "/person nobody at all",
            "No one called `nobody at all` is in the story. Try `Elon Musk`, `Sam Altman`, `Donald Trump`, `Greg Brockman`, `Ilya Sutskever`, `Masayoshi Son` (start typing and pick from the list).",
        ),
        (
            "/quote speaker:oracle",
            "There are no quotes from Oracle in the story. Quotes come from: Donald Trump, Elon Musk, Greg Brockman, Ilya Sutskever, Sam Altman, The Wall Street Journal.",
        ),
        (
            "/onthisday date:31-31",
            "`31-31` is not a day of the year. Type it like `/onthisday date:02-14` or `/onthisday date:February 14`, or leave it out for today.",
        ),
        (
            "/about now",
            "`/about` takes no options: type just `/about`.",
        ),
        ("/timeline year:2024 year:2025", "Give `year` only once."),
    ];
    for (line, message) in cases {
        let reply = ask(&data, line);
        assert!(reply.is_error() && reply.ephemeral, "{line}");
        assert_eq!(reply.text, message, "{line}");
    }
}

#[test]
fn lookups_answer_with_the_record_and_its_source() {
    let data = data();
    let reply = ask(&data, "/event musk bid");
    assert_eq!(
        reply.title,
        "Musk bids $97.4 billion for OpenAI's nonprofit"
    );
    assert_eq!(reply.fields[0].value, "10 February 2025");
    let said = &reply
        .fields
        .iter()
        .find(|f| f.name == "What was said")
        .unwrap()
        .value;
    assert!(said.contains("“His whole life has probably been from a position of insecurity."));
    assert!(
        reply
            .footer
            .as_deref()
            .unwrap()
            .contains("Exact date: The Musk-led consortium's offer")
    );

    let reply = ask(&data, "/quote quote:last straw");
    assert_eq!(reply.title, "Elon Musk");
    assert!(reply.text.starts_with("“That was the last straw.”"));
    assert_eq!(reply.rows[0][0].custom_id, "event:dictatorship-email");

    let reply = ask(&data, "/person name:Sam");
    assert_eq!(reply.title, "Sam Altman");
    assert!(reply.fields.iter().any(|f| f.name == "Quotes (3)"));
    assert_eq!(reply.rows[0][0].custom_id, "timeline:1::altman::");

    let reply = ask(&data, "/onthisday");
    assert_eq!(
        reply.title, "On this day · 14 February",
        "today is 14 February in these tests"
    );
    assert_eq!(reply.fields[0].name, "2025 · OpenAI rejects Musk's offer");

    let reply = ask(&data, "/about");
    assert_eq!(
        reply.fields[0].value,
        "23 events · 14 quotes · 16 people and organizations"
    );

    let reply = ask(&data, "/help");
    assert_eq!(reply.fields.len(), COMMANDS.len());
}

#[test]
fn random_quotes_come_from_the_seeded_rng() {
    let data = data();
    let first = ask(&data, "/quote speaker:musk");
    assert_eq!(
        first,
        ask(&data, "/quote speaker:musk"),
        "same seed, same quote"
    );
    assert_eq!(first.rows[0][0].custom_id, "quote:random:musk");
    assert_eq!(first.title, "Elon Musk");
}

#[test]
fn autocomplete_answers_fit_and_offer_ids() {
    let data = data();
    for spec in COMMANDS {
        let options = spec
            .options
            .iter()
            .chain(spec.subcommands.iter().flat_map(|sub| sub.options));
        for option in options.filter(|o| o.completion.is_some()) {
            for typed in [
                "",
                "s",
                "st",
                "sta",
                "musk",
                "altmn",
                "zzzz",
                &"x".repeat(200),
            ] {
                let choices = autocomplete(&data, spec.name, option.name, typed);
                assert!(choices.len() <= limits::CHOICES_MAX);
                for choice in &choices {
                    let name = choice.name.chars().count();
                    assert!((1..=limits::CHOICE_MAX).contains(&name), "{choice:?}");
                    assert!(
                        (1..=limits::CHOICE_MAX).contains(&choice.value.len()),
                        "{choice:?}"
                    );
                }
            }
        }
    }
    let people = autocomplete(&data, "person", "name", "altmn");
    assert_eq!(people[0].value, "altman");
    let events = autocomplete(&data, "event", "title", "starg");
    assert_eq!(
        events[0].name,
        "2025-01-21 · Stargate announced at the White House"
    );
    assert_eq!(events[0].value, "stargate-announced");
    assert_eq!(autocomplete(&data, "event", "title", "").len(), 23);
    let zones = autocomplete(&data, "daily", "timezone", "new yo");
    assert_eq!(zones[0].value, "America/New_York");
    let tags = autocomplete(&data, "timeline", "tag", "law");
    assert_eq!(tags[0].value, "lawsuit");
    assert!(autocomplete(&data, "nope", "title", "x").is_empty());
}

#[test]
fn registration_json_obeys_discords_rules() {
    let json = commands::registration();
    let commands = json.as_array().unwrap();
    assert_eq!(commands.len(), COMMANDS.len());
    let valid_name = |name: &str| {
        (1..=32).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
            && name.to_lowercase() == name
    };
    let valid_description = |d: &str| (1..=100).contains(&d.chars().count());
    for command in commands {
        let name = command["name"].as_str().unwrap();
        assert!(valid_name(name), "{name}");
        assert!(
            valid_description(command["description"].as_str().unwrap()),
            "{name}"
        );
        let mut total = name.len() + command["description"].as_str().unwrap().len();
        // A subcommand (type 1) has no `required`; its own options follow the rules.
        let mut lists = vec![command["options"].as_array().unwrap()];
        while let Some(options) = lists.pop() {
            assert!(options.len() <= 25);
            let mut optional_seen = false;
            for option in options {
                let option_name = option["name"].as_str().unwrap();
                assert!(valid_name(option_name), "{name} {option_name}");
                let description = option["description"].as_str().unwrap();
                assert!(valid_description(description), "{name} {option_name}");
                total += option_name.len() + description.len();
                if option["type"] == 1 {
                    assert!(option.get("required").is_none(), "{name} {option_name}");
                    lists.push(option["options"].as_array().unwrap());
                    continue;
                }
                let required = option["required"].as_bool().unwrap();
                assert!(
                    !(required && optional_seen),
                    "{name}: required options must come first"
                );
                optional_seen |= !required;
            }
        }
        assert!(total <= 4000, "{name}");
        assert_eq!(command["type"], 1);
    }
}

#[test]
fn the_readme_documents_every_command_as_help_shows_it() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    for spec in COMMANDS {
        for usage in commands::usages(spec) {
            assert!(
                readme.contains(&format!("`{usage}`")),
                "README lacks `{usage}`"
            );
        }
    }
}
