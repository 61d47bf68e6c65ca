//! Every command, every button and every autocomplete answer, through the core as a
//! front end drives it, checked against what a user should see and against Discord's
//! limits.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Utc};
use feudbot::app::Input;
use feudbot::commands::{COMMANDS, ChannelRef, Invocation, RoleRef, RoleStanding, Value};
use feudbot::data::Dataset;
use feudbot::permissions::Permissions;
use feudbot::reply::{Reply, limits};
use support::recorder::{Core, Done, data};

/// Noon UTC on 14 February 2026: "today" in these tests.
fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-02-14T12:00:00Z")
        .unwrap()
        .to_utc()
}

fn core() -> Core {
    Core::at(now())
}

/// Whether `text` holds a character that garbles a line in clients: a control
/// character other than a line break or tab, or a bidirectional override or isolate.
fn garbled(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// Every piece of text in `reply`.
fn all_text(reply: &Reply) -> String {
    let mut all = vec![reply.title.clone(), reply.text.to_string()];
    all.extend(reply.footer.clone());
    for field in &reply.fields {
        all.push(field.name.clone());
        all.push(field.value.to_string());
    }
    all.extend(reply.rows.iter().flatten().map(|b| b.label.clone()));
    all.join("\n")
}

fn assert_fits(reply: &Reply, what: &str) {
    assert_eq!(
        reply.violations(),
        Vec::<String>::new(),
        "{what}: {reply:#?}"
    );
    assert!(!garbled(&all_text(reply)), "{what}: {reply:#?}");
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
    values.push("rtl\u{202E}evil\u{0}name\u{2066}".to_string());
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

/// Every command and subcommand, with every kind of value in every option and pairs
/// of options, through the core: every reply and post fits Discord, and every error
/// is private; the answers of commands that work anywhere are private only when
/// they are errors.
#[tokio::test]
async fn every_command_with_every_kind_of_value_fits_discord() {
    let data = data();
    let mut values: Vec<Value> = values(&data).into_iter().map(Value::Text).collect();
    values.extend([i64::MIN, -1, 0, 1, 3, 5, 10, 20, 50, 61, 999, i64::MAX].map(Value::Integer));
    values.extend([1, 42, u64::MAX].map(Value::User));
    for bot_permissions in [
        Permissions::all(),
        Permissions::VIEW_CHANNEL,
        Permissions::empty(),
    ] {
        values.push(Value::Channel(ChannelRef {
            id: 77,
            bot_permissions,
        }));
    }
    for standing in [
        RoleStanding::Assignable {
            bot_permissions: Permissions::all(),
            above_bot: None,
        },
        RoleStanding::Assignable {
            bot_permissions: Permissions::empty(),
            above_bot: Some(u64::MAX),
        },
        RoleStanding::Managed,
        RoleStanding::Unknown,
    ] {
        values.push(Value::Role(RoleRef {
            id: u64::MAX,
            standing,
        }));
    }
    let core = core();
    let admin = Core::admin("admin", 9);
    let mut replies = 0;
    for spec in COMMANDS {
        for form in spec.forms() {
            let invocation = |options: Vec<(String, Value)>| Invocation {
                command: spec.name.into(),
                subcommand: form.subcommand.map(str::to_string),
                options,
            };
            let mut invocations = vec![invocation(vec![])];
            for option in form.options {
                for value in &values {
                    invocations.push(invocation(vec![(option.name.into(), value.clone())]));
                }
            }
            // Combinations of two options.
            for a in form.options {
                for b in form.options {
                    for value in values.iter().step_by(7) {
                        invocations.push(invocation(vec![
                            (a.name.into(), value.clone()),
                            (b.name.into(), Value::Text("2".into())),
                        ]));
                    }
                }
            }
            for invocation in invocations {
                let what = format!("{invocation:?}");
                let done = core
                    .input(Input::Command {
                        caller: admin.clone(),
                        invocation,
                    })
                    .await;
                for reply in done.iter().filter_map(Done::reply) {
                    assert_fits(reply, &what);
                    replies += 1;
                }
                let response = support::recorder::response(&done);
                // A practice is private by design: it is one person's game. A `/whosaid`
                // in a server with the bot posts its question in the channel and
                // acknowledges privately.
                let private_game = spec.name == "practice" || spec.name == "whosaid";
                if (response.is_error() || !spec.guild_only) && !private_game {
                    assert_eq!(
                        response.ephemeral,
                        response.is_error(),
                        "errors, and only errors, are private: {what}"
                    );
                }
            }
        }
    }
    assert!(replies > 3000, "{replies}");
}

#[tokio::test]
async fn every_button_reachable_from_any_command_works_and_fits() {
    let data = data();
    let core = core();
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
        let reply = core.ask(line).await;
        assert!(!reply.is_error(), "{line}: {}", reply.text);
        queue.extend(custom_ids(&reply));
    }
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let reply = core.press(&id).await;
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

#[tokio::test]
async fn forged_or_stale_buttons_get_a_private_notice() {
    let core = core();
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
        let reply = core.press(id).await;
        assert!(reply.is_error() && reply.ephemeral, "{id:?}: {reply:?}");
        assert!(
            reply.text.to_string().contains("Run the command again"),
            "{id:?}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn pagination_survives_a_restart_because_state_is_in_the_custom_id() {
    let first = core();
    let reply = first.ask("/timeline").await;
    let next = reply.rows[0][1].custom_id.clone();
    assert_eq!(next, "timeline:2::::");
    let page_two = first.press(&next).await;
    // Another process: the same answer from the same custom_id.
    assert_eq!(core().press(&next).await, page_two);
    assert!(
        page_two
            .footer
            .as_deref()
            .unwrap()
            .starts_with("Page 2 of 4")
    );
    assert_eq!(page_two.fields[0].name, "20 February 2018");
}

#[tokio::test]
async fn bad_input_says_what_to_type_instead() {
    let core = core();
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
        let reply = core.ask(line).await;
        assert!(reply.is_error() && reply.ephemeral, "{line}");
        assert_eq!(reply.text.to_string(), message, "{line}");
    }
}

#[tokio::test]
async fn lookups_answer_with_the_record_and_its_source() {
    let core = core();
    let reply = core.ask("/event musk bid").await;
    assert_eq!(
        reply.title,
        "Musk bids $97.4 billion for OpenAI's nonprofit"
    );
    assert_eq!(reply.fields[0].value.to_string(), "10 February 2025");
    let said = reply
        .fields
        .iter()
        .find(|f| f.name == "What was said")
        .unwrap()
        .value
        .to_string();
    assert!(said.contains("“His whole life has probably been from a position of insecurity."));
    assert!(
        reply
            .footer
            .as_deref()
            .unwrap()
            .contains("Exact date: The Musk-led consortium's offer")
    );

    let reply = core.ask("/quote quote:last straw").await;
    assert_eq!(reply.title, "Elon Musk");
    assert!(
        reply
            .text
            .to_string()
            .starts_with("“That was the last straw.”")
    );
    assert_eq!(reply.rows[0][0].custom_id, "event:dictatorship-email");

    let reply = core.ask("/person name:Sam").await;
    assert_eq!(reply.title, "Sam Altman");
    assert!(reply.fields.iter().any(|f| f.name == "Quotes (3)"));
    assert_eq!(reply.rows[0][0].custom_id, "timeline:1::altman::");

    let reply = core.ask("/onthisday").await;
    assert_eq!(
        reply.title, "On this day · 14 February",
        "today is 14 February in these tests"
    );
    assert_eq!(reply.fields[0].name, "2025 · OpenAI rejects Musk's offer");

    let reply = core.ask("/about").await;
    assert_eq!(
        reply.fields[0].value.to_string(),
        "24 events · 14 quotes · 16 people and organizations"
    );

    let reply = core.ask("/help").await;
    assert_eq!(reply.fields.len(), COMMANDS.len());
}

#[tokio::test]
async fn random_quotes_come_from_the_seeded_rng() {
    let first = core().ask("/quote speaker:musk").await;
    assert_eq!(
        first,
        core().ask("/quote speaker:musk").await,
        "same seed, same quote"
    );
    assert_eq!(first.rows[0][0].custom_id, "quote:random:musk");
    assert_eq!(first.title, "Elon Musk");
}

#[test]
fn autocomplete_answers_fit_and_offer_ids() {
    let core = core();
    let autocomplete =
        |command: &str, option: &str, typed: &str| core.app.autocomplete(command, option, typed);
    for spec in COMMANDS {
        let options = spec.forms().into_iter().flat_map(|form| form.options);
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
                let choices = autocomplete(spec.name, option.name, typed);
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
    let people = autocomplete("person", "name", "altmn");
    assert_eq!(people[0].value, "altman");
    let events = autocomplete("event", "title", "starg");
    assert_eq!(
        events[0].name,
        "2025-01-21 · Stargate announced at the White House"
    );
    assert_eq!(events[0].value, "stargate-announced");
    assert_eq!(autocomplete("event", "title", "").len(), 24);
    let zones = autocomplete("daily", "timezone", "new yo");
    assert_eq!(zones[0].value, "America/New_York");
    let tags = autocomplete("timeline", "tag", "law");
    assert_eq!(tags[0].value, "lawsuit");
    assert!(autocomplete("nope", "title", "x").is_empty());
}

#[test]
fn registration_json_obeys_discords_rules() {
    let json = feudbot::discord::registration::commands_json();
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
        for usage in spec.usages() {
            assert!(
                readme.contains(&format!("`{usage}`")),
                "README lacks `{usage}`"
            );
        }
    }
}

#[tokio::test]
async fn what_users_typed_comes_back_without_what_garbles_a_line() {
    let core = core();
    for (command, option, typed) in [
        ("search", "query", "stargate\u{202E}evil\u{0}"),
        ("search", "query", "zz\u{202E}zz\u{0}"),
        ("event", "title", "\u{202E}qqqq\u{7} zzzz"),
        ("person", "name", "nobody\u{2066}\u{202E}"),
        ("onthisday", "date", "31\u{202E}-31"),
    ] {
        let invocation = Invocation {
            command: command.into(),
            subcommand: None,
            options: vec![(option.into(), Value::Text(typed.into()))],
        };
        let done = core
            .input(Input::Command {
                caller: Core::member("alice", 1),
                invocation,
            })
            .await;
        let reply = support::recorder::response(&done);
        let all = all_text(&reply);
        assert!(!garbled(&all), "/{command} {option}:{typed:?}: {all:?}");
        let echoed = typed.replace(['\u{202E}', '\u{0}', '\u{7}', '\u{2066}'], "");
        assert!(all.contains(&echoed), "/{command}: {echoed:?} in {all:?}");
    }
}

#[tokio::test]
async fn words_found_everywhere_do_not_make_a_match_on_their_own() {
    let core = core();
    for (line, error) in [
        (
            "/event title:nonexistent event zzz",
            "No event matches `nonexistent event zzz`. Try other words, or `/timeline` to \
             browse.",
        ),
        ("/search query:the", "Nothing matches `the`."),
        ("/search query:of a", "Nothing matches `of a`."),
        ("/event title:the", "No event matches `the`."),
        (
            "/event title:the event of the",
            "No event matches `the event of the`.",
        ),
        ("/event title:a", "No event matches `a`."),
        ("/quote quote:the", "No quote matches `the`."),
        ("/quote quote:the quote", "No quote matches `the quote`."),
        ("/person name:the", "No one called `the` is in the story."),
        ("/person name:of", "No one called `of` is in the story."),
    ] {
        let reply = core.ask(line).await;
        assert!(reply.is_error(), "{line}: {reply:?}");
        assert!(
            reply.text.to_string().starts_with(error),
            "{line}: {}",
            reply.text
        );
    }
    // With a word that tells records apart, filler words do no harm.
    for (line, title) in [
        (
            "/event title:the stargate event",
            "Stargate announced at the White House",
        ),
        (
            "/event title:event of the bid",
            "Musk bids $97.4 billion for OpenAI's nonprofit",
        ),
        ("/quote quote:the quote about the last straw", "Elon Musk"),
        ("/person name:the person altman", "Sam Altman"),
    ] {
        let reply = core.ask(line).await;
        assert_eq!(reply.title, title, "{line}: {}", reply.text);
    }
}

#[tokio::test]
async fn names_and_words_typed_with_accents_are_found() {
    let core = core();
    for (line, title) in [
        ("/person name:Ílyá Sútskévér", "Ilya Sutskever"),
        ("/person name:Sám Áltmán", "Sam Altman"),
        (
            "/event title:Stárgâte ánnounced",
            "Stargate announced at the White House",
        ),
        ("/quote quote:lást stráw", "Elon Musk"),
    ] {
        let reply = core.ask(line).await;
        assert_eq!(reply.title, title, "{line}: {}", reply.text);
    }
    let reply = core.ask("/search query:sútskévér").await;
    assert!(
        reply.text.to_string().contains("Ilya Sutskever"),
        "{}",
        reply.text
    );
    let people = core.app.autocomplete("person", "name", "Sútskév");
    assert_eq!(people[0].value, "sutskever");
}

#[tokio::test]
async fn day_first_dates_are_read_and_an_ambiguous_one_says_how_it_was_read() {
    let core = core();
    for (line, title) in [
        ("/onthisday date:31-12", "On this day · 31 December"),
        ("/onthisday date:31/12", "On this day · 31 December"),
        ("/onthisday date:14.02", "On this day · 14 February"),
        ("/onthisday date:29-02", "On this day · 29 February"),
        ("/onthisday date:02-14", "On this day · 14 February"),
        ("/onthisday date:05-05", "On this day · 5 May"),
    ] {
        let reply = core.ask(line).await;
        assert_eq!(reply.title, title, "{line}: {}", reply.text);
        assert!(!reply.text.to_string().contains("Read "), "{line}");
    }
    let reply = core.ask("/onthisday date:03-04").await;
    assert_eq!(reply.title, "On this day · 4 March");
    assert!(
        reply
            .text
            .to_string()
            .starts_with("Read `03-04` as 4 March (month first). For 3 April, type `3 April`."),
        "{}",
        reply.text
    );
    let reply = core.ask("/onthisday date:31-31").await;
    assert!(reply.is_error());
}

#[tokio::test]
async fn help_and_the_readme_say_who_may_use_daily_and_where_admins_change_it() {
    let core = core();
    let reply = core.ask("/help command:daily").await;
    let who = reply
        .fields
        .iter()
        .find(|f| f.name == "Who can use it")
        .unwrap_or_else(|| panic!("{reply:#?}"));
    assert_eq!(
        who.value.to_string(),
        "Members with the Manage Server permission, by default. Server admins can change \
         who may use it under Server Settings → Integrations."
    );
    let anyone = core.ask("/help command:timeline").await;
    assert!(!anyone.fields.iter().any(|f| f.name == "Who can use it"));
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(
        readme.contains("Server Settings → Integrations"),
        "README says where admins change who may use /daily"
    );
}
