//! The real `feudbot` binary against a fake Discord on 127.0.0.1: startup and
//! registration, every lookup command in a server and in a DM, autocomplete, page
//! buttons, bad input, forged buttons, a gateway RECONNECT, REST faults and SIGTERM,
//! and that no token reaches the logs whatever `RUST_LOG` says. Every body the bot
//! sends is checked against Discord's limits.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use serde_json::{Value, json};
use support::bot::{self, BotProcess};
use support::payloads::{self, GUILD_ID, Who, is_ephemeral};
use support::{FakeDiscord, Fault, eventually};

const CALLBACK: &str = "/interactions/*/*/callback";

/// A fake Discord and the bot connected to it, its commands registered.
async fn connected(env: &[(&str, &str)]) -> (FakeDiscord, BotProcess) {
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::start(&fake.base_url(), env);
    fake.wait_identify().await;
    (fake, bot)
}

fn alice() -> Who {
    Who::member(1001, "alice")
}

fn embed(body: &Value) -> &Value {
    &body["data"]["embeds"][0]
}

/// The bot used no channel route: everything went through interactions.
fn assert_no_channel_calls(fake: &FakeDiscord) {
    let posted = fake
        .calls()
        .iter()
        .filter(|c| c.path.starts_with("/channels/"))
        .count();
    assert_eq!(posted, 0, "nothing through the channel routes");
}

fn custom_ids(body: &Value) -> Vec<String> {
    body["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|button| button["disabled"] != json!(true))
        .filter_map(|button| button["custom_id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn run_honours_the_database_url_and_data_dir_flags() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let database = dir.path().join("flag.db");
    let url = format!("sqlite://{}", database.display());
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let data = data.to_str().expect("a UTF-8 path");
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::start_with(
        &fake.base_url(),
        &["--database-url", &url, "--data-dir", data],
        &[],
    );
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;
    assert!(
        database.exists(),
        "the database of the flag, not DATABASE_URL's"
    );
    let (status, logs) = bot.terminate().await;
    assert!(status.success(), "{logs}");
    assert!(logs.contains(&format!("quotes from {data}")), "{logs}");
}

#[tokio::test]
async fn startup_registers_exactly_what_commands_json_prints() {
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::start(&fake.base_url(), &[]);
    let identify = fake.wait_identify().await;
    assert_eq!(identify["intents"], 0, "no intents at all: {identify}");
    let call = fake.expect("PUT", "/applications/*/commands").await;
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_feudbot"))
        .args(["commands", "--json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("feudbot commands --json runs");
    let printed: Value = serde_json::from_slice(&printed.stdout).expect("it prints JSON");
    assert_eq!(call.json(), &printed);
    assert_eq!(
        call.path,
        format!("/applications/{}/commands", payloads::APPLICATION_ID)
    );
    assert_eq!(fake.identify_count(), 1);
    fake.assert_no_violations();
    drop(bot);
}

#[tokio::test]
async fn dev_guild_id_registers_in_that_server_only() {
    let guild = GUILD_ID.to_string();
    let (fake, _bot) = connected(&[("DEV_GUILD_ID", &guild)]).await;
    fake.expect(
        "PUT",
        &format!("/applications/*/guilds/{GUILD_ID}/commands"),
    )
    .await;
    fake.expect_none(
        "PUT",
        "/applications/*/commands",
        std::time::Duration::from_millis(300),
    )
    .await;
    fake.assert_no_violations();
}

#[tokio::test]
async fn every_lookup_command_answers_in_a_server_and_in_a_dm() {
    let (fake, _bot) = connected(&[]).await;
    let commands: [(&str, Value, &str); 8] = [
        (
            "timeline",
            json!([payloads::string_opt("year", "2024")]),
            "Timeline · 2024",
        ),
        (
            "event",
            json!([payloads::string_opt("title", "stargate-announced")]),
            "Stargate announced at the White House",
        ),
        (
            "quote",
            json!([payloads::string_opt("quote", "last-straw")]),
            "Elon Musk",
        ),
        (
            "person",
            json!([payloads::string_opt("name", "altman")]),
            "Sam Altman",
        ),
        (
            "onthisday",
            json!([payloads::string_opt("date", "02-14")]),
            "On this day · 14 February",
        ),
        (
            "search",
            json!([payloads::string_opt("query", "stargat")]),
            "Search · “stargat”",
        ),
        ("about", Value::Null, "About feudbot"),
        ("help", Value::Null, "feudbot commands"),
    ];
    for who in [alice(), Who::dm(1002, "bob")] {
        for (name, options, title) in &commands {
            let body = fake
                .answer(payloads::slash_command(&who, name, options.clone()))
                .await;
            assert_eq!(body["type"], 4, "/{name}: {body}");
            assert_eq!(embed(&body)["title"], *title, "/{name}: {body}");
            assert!(!is_ephemeral(&body), "/{name} is public: {body}");
            assert_eq!(
                body["data"]["allowed_mentions"]["parse"],
                json!([]),
                "/{name} pings no one: {body}"
            );
        }
    }
    fake.assert_no_violations();
}

/// Width and height of a PNG; panics unless it decodes.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut pixels).expect("PNG data");
    (info.width, info.height)
}

#[tokio::test]
async fn the_picture_button_uploads_the_timeline_its_embed_shows() {
    let (fake, _bot) = connected(&[]).await;
    let options = json!([payloads::string_opt("year", "2024")]);
    let body = fake
        .answer(payloads::slash_command(&alice(), "timeline", options))
        .await;
    let picture = custom_ids(&body)
        .into_iter()
        .find(|id| id.starts_with("timeline:p:"))
        .expect("a Picture button");
    assert_eq!(picture, "timeline:p:2024-2024:::");
    let click = payloads::button_click(&alice(), payloads::snowflake(), &picture);
    fake.send_interaction(click.clone()).await;
    let call = fake.expect("POST", &payloads::callback_path(&click)).await;
    let body = call.json();
    assert_eq!(body["type"], 4, "a picture is a new message: {body}");
    assert_eq!(embed(body)["title"], "Timeline picture · 2024");
    assert_eq!(embed(body)["image"]["url"], "attachment://timeline.png");
    assert_eq!(call.files.len(), 1, "one upload");
    assert_eq!(call.files[0].name, "timeline.png");
    assert_eq!(png_size(&call.files[0].bytes).0, 640);

    let body = fake
        .answer(payloads::slash_command(&alice(), "about", Value::Null))
        .await;
    assert_eq!(embed(&body)["image"]["url"], "attachment://timeline.png");
    fake.assert_no_violations();
}

#[tokio::test]
async fn autocomplete_offers_ids_prefix_first() {
    let (fake, _bot) = connected(&[]).await;
    let body = fake
        .answer(payloads::autocomplete(
            &alice(),
            "event",
            json!([payloads::focused_opt("title", 3, "starg")]),
        ))
        .await;
    assert_eq!(body["type"], 8, "{body}");
    let choices = body["data"]["choices"].as_array().expect("choices");
    assert!(!choices.is_empty() && choices.len() <= 25, "{body}");
    let values: Vec<&str> = choices.iter().filter_map(|c| c["value"].as_str()).collect();
    assert!(values.contains(&"stargate-announced"), "{values:?}");

    let body = fake
        .answer(payloads::autocomplete(
            &alice(),
            "person",
            json!([payloads::focused_opt("name", 3, "sutskevar")]),
        ))
        .await;
    assert_eq!(body["data"]["choices"][0]["value"], "sutskever", "{body}");
    fake.assert_no_violations();
}

#[tokio::test]
async fn a_page_button_edits_the_same_message_and_works_after_a_restart() {
    let (fake, bot) = connected(&[]).await;
    let body = fake
        .answer(payloads::slash_command(&alice(), "timeline", Value::Null))
        .await;
    let next = custom_ids(&body)
        .into_iter()
        .find(|id| id.starts_with("timeline:2:"))
        .expect("a Next button");
    let click = payloads::button_click(&alice(), payloads::snowflake(), &next);
    let body = fake.answer(click).await;
    assert_eq!(body["type"], 7, "a page turn updates the message: {body}");
    let footer = embed(&body)["footer"]["text"].as_str().unwrap_or_default();
    assert!(footer.starts_with("Page 2 of "), "{footer}");

    fake.assert_no_violations();
    // The state is in the custom_id: a new process answers the old button.
    drop(bot);
    let (fake, _bot) = connected(&[]).await;
    let body = fake
        .answer(payloads::button_click(
            &alice(),
            payloads::snowflake(),
            &next,
        ))
        .await;
    assert_eq!(body["type"], 7, "{body}");
    fake.assert_no_violations();
}

#[tokio::test]
async fn bad_options_and_forged_buttons_get_a_private_hint() {
    let (fake, _bot) = connected(&[]).await;
    let body = fake
        .answer(payloads::slash_command(
            &alice(),
            "timeline",
            json!([payloads::string_opt("year", "20x4")]),
        ))
        .await;
    assert_eq!(body["type"], 4);
    assert!(is_ephemeral(&body), "{body}");
    let content = body["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains("`/timeline year:2024`"), "{content}");

    for forged in [
        "timeline:zz:::",
        "nonsense",
        "event:no-such-event",
        &"x".repeat(100),
    ] {
        let body = fake
            .answer(payloads::button_click(
                &alice(),
                payloads::snowflake(),
                forged,
            ))
            .await;
        assert_eq!(body["type"], 4, "{forged}: {body}");
        assert!(is_ephemeral(&body), "{forged}: {body}");
        let content = body["data"]["content"].as_str().unwrap_or_default();
        assert!(content.contains("out of date"), "{forged}: {content}");
    }

    let body = fake
        .answer(payloads::slash_command(
            &alice(),
            "search",
            json!([payloads::string_opt("query", "@everyone zzzz")]),
        ))
        .await;
    assert!(is_ephemeral(&body), "{body}");
    assert_eq!(
        body["data"]["allowed_mentions"]["parse"],
        json!([]),
        "{body}"
    );
    fake.assert_no_violations();
}

#[tokio::test]
async fn after_reconnect_and_resume_the_next_interaction_is_answered() {
    let (fake, _bot) = connected(&[]).await;
    fake.answer(payloads::slash_command(&alice(), "about", Value::Null))
        .await;
    fake.send_reconnect().await;
    fake.wait_resume().await;
    let body = fake
        .answer(payloads::slash_command(&alice(), "about", Value::Null))
        .await;
    assert_eq!(embed(&body)["title"], "About feudbot");
    assert_eq!(fake.identify_count(), 1, "resumed, not identified again");
    fake.assert_no_violations();
}

#[tokio::test]
async fn a_failed_callback_is_logged_and_retried_and_the_bot_keeps_serving() {
    let (fake, bot) = connected(&[]).await;
    for fault in [Fault::Status(500), Fault::RateLimited { retry_after: 0.2 }] {
        fake.fail_next("POST", CALLBACK, fault.clone());
        let interaction = payloads::slash_command(&alice(), "about", Value::Null);
        fake.send_interaction(interaction.clone()).await;
        let path = payloads::callback_path(&interaction);
        let failed = fake.expect("POST", &path).await;
        assert_ne!(failed.status, 204, "{fault:?} was scripted");
        let retried = fake.expect("POST", &path).await;
        assert_eq!(retried.status, 204, "{fault:?}: retried");
        assert_eq!(retried.json(), failed.json());
    }
    let body = fake
        .answer(payloads::slash_command(&alice(), "help", Value::Null))
        .await;
    assert_eq!(embed(&body)["title"], "feudbot commands");
    let (status, logs) = bot.terminate().await;
    assert!(status.success());
    assert!(
        logs.contains("answering an interaction failed, retrying"),
        "{logs}"
    );
    assert!(logs.contains("500"), "{logs}");
    assert!(logs.contains("429"), "{logs}");
    fake.assert_no_violations();
}

#[tokio::test]
async fn a_forbidden_callback_is_logged_not_retried() {
    let (fake, bot) = connected(&[]).await;
    fake.fail_next("POST", CALLBACK, Fault::Status(403));
    let interaction = payloads::slash_command(&alice(), "about", Value::Null);
    fake.send_interaction(interaction.clone()).await;
    let path = payloads::callback_path(&interaction);
    assert_eq!(fake.expect("POST", &path).await.status, 403);
    fake.expect_none("POST", &path, std::time::Duration::from_millis(600))
        .await;
    let (_, logs) = bot.terminate().await;
    assert!(
        logs.contains("answering an interaction failed: 403"),
        "{logs}"
    );
    fake.assert_no_violations();
}

#[tokio::test]
async fn sigterm_closes_the_connection_and_exits_0_and_the_token_is_never_logged() {
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::start(&fake.base_url(), &[("RUST_LOG", "trace")]);
    fake.wait_identify().await;
    fake.answer(payloads::slash_command(&alice(), "about", Value::Null))
        .await;
    let (status, logs) = bot.terminate().await;
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(logs.contains("shutting down"), "{logs}");
    let token = bot::token();
    assert!(!logs.contains(&token), "the token was logged");
    assert!(
        !logs.contains("fake-secret-part-of-the-token"),
        "part of the token was logged"
    );
    fake.assert_no_violations();
}

/// The forms in which a dependency could log `secret`: as text (a URL, a span field, a
/// received frame), as hex (tungstenite's frame dump) and as a list of bytes (a
/// frame's `Debug`).
fn logged_forms(secret: &str) -> [(&'static str, String); 3] {
    let bytes = secret.as_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let list: Vec<String> = bytes.iter().map(u8::to_string).collect();
    [
        ("text", secret.to_string()),
        ("hex", hex),
        ("bytes", list.join(", ")),
    ]
}

/// Each place one of `secrets` (name, value) appears in `logs`, as
/// `name (form): line`, the secret elided and the line cut short.
fn leaks(logs: &str, secrets: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, secret) in secrets {
        for (form, needle) in logged_forms(secret) {
            for line in logs.lines().filter(|line| line.contains(&needle)) {
                let line: String = line
                    .replace(&needle, "<SECRET>")
                    .chars()
                    .take(300)
                    .collect();
                found.push(format!("{name} ({form}): {line}"));
            }
        }
    }
    found
}

/// `logs` without the colour codes of the fmt layer.
fn without_colours(logs: &str) -> String {
    let mut plain = String::with_capacity(logs.len());
    let mut rest = logs;
    while let Some(at) = rest.find('\x1b') {
        plain.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = rest.find('m').map_or("", |end| &rest[end + 1..]);
    }
    plain.push_str(rest);
    plain
}

#[tokio::test]
async fn no_token_reaches_the_logs_whatever_rust_log_says() {
    // The noisy targets named one by one, then more specific than any cap could be.
    let noisy = "trace,tungstenite=trace,tokio_tungstenite=trace,serenity=trace,\
                 reqwest=trace,hyper=trace,hyper_util=trace,rustls=trace";
    let specific = "info,tungstenite::protocol=trace,serenity::http::client=trace,\
                    serenity::http::request=trace,serenity::gateway=trace,hyper_util=trace";
    // With whether the bot's own debug lines (and hyper's) are asked for.
    let filters = [
        ("trace", true),
        (noisy, true),
        ("debug", true),
        ("info", false),
        (specific, false),
    ];
    for (rust_log, debug) in filters {
        let (fake, bot) = connected(&[("RUST_LOG", rust_log)]).await;
        let command = payloads::slash_command(&alice(), "timeline", Value::Null);
        let body = fake.answer(command.clone()).await;
        let next = custom_ids(&body)
            .into_iter()
            .find(|id| id.starts_with("timeline:2:"))
            .expect("a Next button");
        let click = payloads::button_click(&alice(), payloads::snowflake(), &next);
        fake.answer(click.clone()).await;
        let typing = payloads::autocomplete(
            &alice(),
            "event",
            json!([payloads::focused_opt("title", 3, "starg")]),
        );
        fake.answer(typing.clone()).await;
        // A failed callback, retried, so that error paths log too.
        fake.fail_next("POST", CALLBACK, Fault::Status(500));
        let failed = payloads::slash_command(&alice(), "about", Value::Null);
        fake.send_interaction(failed.clone()).await;
        let path = payloads::callback_path(&failed);
        fake.expect("POST", &path).await;
        fake.expect("POST", &path).await;
        // A callback answered 200 where serenity expects 204: it warns, with the URL.
        fake.fail_next("POST", CALLBACK, Fault::Status(200));
        let odd = payloads::slash_command(&alice(), "about", Value::Null);
        fake.send_interaction(odd.clone()).await;
        fake.expect("POST", &payloads::callback_path(&odd)).await;
        let (status, logs) = bot.terminate().await;
        assert_eq!(status.code(), Some(0), "RUST_LOG={rust_log}");

        let token = bot::token();
        let secret_part = token.rsplit('.').next().unwrap_or_default().to_string();
        let mut secrets = vec![
            ("the bot token".to_string(), token.clone()),
            ("the bot token's secret part".to_string(), secret_part),
        ];
        for (what, interaction) in [
            ("a command", &command),
            ("a button click", &click),
            ("an autocomplete", &typing),
            ("a failed callback", &failed),
            ("a callback answered 200", &odd),
        ] {
            let token = payloads::interaction_token(interaction).to_string();
            secrets.push((format!("the token of {what}"), token));
        }
        let leaks = leaks(&logs, &secrets);
        assert!(
            leaks.is_empty(),
            "RUST_LOG={rust_log}: {} leaks, the first:\n{}",
            leaks.len(),
            leaks[..leaks.len().min(12)].join("\n")
        );
        // Still useful: the bot's own lines are there, and the dependencies' too.
        let logs = without_colours(&logs);
        assert!(logs.contains("shutting down"), "RUST_LOG={rust_log}");
        assert!(
            logs.contains("Mismatched successful response status from"),
            "RUST_LOG={rust_log}"
        );
        if debug {
            assert!(logs.contains("command=timeline"), "RUST_LOG={rust_log}");
            assert!(logs.contains("hyper_util"), "RUST_LOG={rust_log}");
        }
        fake.assert_no_violations();
    }
}

#[tokio::test]
async fn a_click_on_someone_elses_reply_answers_privately_and_leaves_it_as_it_is() {
    let (fake, _bot) = connected(&[]).await;
    let bob = Who::member(1002, "bob");
    for (command, options, button) in [
        (
            "onthisday",
            json!([payloads::string_opt("date", "02-14")]),
            "event:",
        ),
        ("timeline", Value::Null, "timeline:2:"),
    ] {
        let body = fake
            .answer(payloads::slash_command(&alice(), command, options))
            .await;
        let id = custom_ids(&body)
            .into_iter()
            .find(|id| id.starts_with(button))
            .unwrap_or_else(|| panic!("a {button} button: {body}"));
        let reply =
            payloads::reply_message(&alice(), command, payloads::snowflake(), &body["data"]);
        // Bob opens it from Alice's reply: a new message only he sees.
        let click = payloads::button_click_on(&bob, reply.clone(), &id);
        let opened = fake.answer(click).await;
        assert_eq!(opened["type"], 4, "{command}: a new message: {opened}");
        assert!(is_ephemeral(&opened), "{command}: {opened}");
        assert!(embed(&opened)["title"].is_string(), "{opened}");
        // Alice's own click still turns her reply.
        let click = payloads::button_click_on(&alice(), reply, &id);
        assert_eq!(fake.answer(click).await["type"], 7, "{command}");
    }
    fake.assert_no_violations();
}

/// A rolling deploy on one database: the new process waits while the old one runs,
/// says who holds the database and leaves its live quiz alone, and takes over as soon
/// as the old one dies (here by kill -9), closing that quiz as interrupted; with
/// `--no-wait` it exits 2 instead.
#[tokio::test]
async fn a_second_bot_on_the_same_database_waits_and_takes_over_when_the_first_dies() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("shared.db").display());
    let first = BotProcess::start(&fake.base_url(), &[("DATABASE_URL", &db)]);
    fake.wait_identify().await;
    let quiz = payloads::subcommand(&alice(), "quiz", "start", Value::Null);
    fake.answer(quiz).await;
    let question = fake.expect("POST", "/channels/*/messages").await;
    let question = question.response.clone().expect("the message")["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let edits = format!("/channels/*/messages/{question}");

    // Asynchronously: the fake answers on this test's thread.
    let refused = tokio::process::Command::new(env!("CARGO_BIN_EXE_feudbot"))
        .args(["run", "--no-wait"])
        .env_clear()
        .env("DISCORD_API_BASE", fake.base_url())
        .env("DISCORD_TOKEN", bot::token())
        .env("DATABASE_URL", &db)
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(
        said.contains(&format!(
            "the database {db} (shard 0 of 1) is in use by another feudbot (pid {}, since ",
            first.id()
        )),
        "{said}"
    );

    let second = BotProcess::start(&fake.base_url(), &[("DATABASE_URL", &db)]);
    assert!(
        eventually(std::time::Duration::from_secs(5), || second
            .logs()
            .contains("waiting for it to stop"))
        .await,
        "{}",
        second.logs()
    );
    assert_eq!(fake.identify_count(), 1, "the second waits, unconnected");
    fake.expect_none("PATCH", &edits, std::time::Duration::from_millis(500))
        .await;

    drop(first); // SIGKILL
    assert!(
        eventually(std::time::Duration::from_secs(10), || fake.identify_count()
            == 2)
        .await,
        "the second takes over: {}",
        second.logs()
    );
    let edit = fake.expect("PATCH", &edits).await;
    assert_eq!(edit.json()["embeds"][0]["title"], "Quiz interrupted");
    let (status, _) = second.terminate().await;
    assert_eq!(status.code(), Some(0));
}

/// Installed to a user's account, the app answers in a group DM where the bot is no
/// member: lookups, and a whole `/practice`, through the interaction alone.
#[tokio::test]
async fn a_user_installed_app_answers_in_a_group_dm_through_the_interaction_alone() {
    let (fake, _bot) = connected(&[]).await;
    let me = Who::group_dm(1003, "carol");
    let timeline = fake
        .answer(payloads::slash_command(&me, "timeline", Value::Null))
        .await;
    assert_eq!(timeline["type"], 4, "{timeline}");
    let practice =
        payloads::slash_command(&me, "practice", json!([payloads::int_opt("questions", 1)]));
    let body = fake.answer(practice).await;
    assert_eq!(body["type"], 4, "{body}");
    assert!(is_ephemeral(&body), "{body}");
    let id = custom_ids(&body)
        .into_iter()
        .next()
        .expect("answer buttons");
    let reply = payloads::reply_message(&me, "practice", payloads::snowflake(), &body["data"]);
    let done = fake
        .answer(payloads::button_click_on(&me, reply, &id))
        .await;
    assert_eq!(done["type"], 7, "the same message, turned: {done}");
    assert_eq!(embed(&done)["title"], "Practice over", "{done}");
    assert_no_channel_calls(&fake);
    fake.assert_no_violations();
}

/// Where the bot cannot post on its own (a DM, a group DM, a server where only the user
/// installed the app), `/whosaid` is the interaction's answer alone: its invoker's click
/// reveals it in place, anyone else's is answered privately, and nothing goes through
/// the channel routes.
#[tokio::test]
async fn whosaid_outside_the_bots_servers_is_revealed_by_a_click_with_no_channel_post() {
    let (fake, _bot) = connected(&[]).await;
    let mut user_installed = payloads::slash_command(&alice(), "whosaid", Value::Null);
    user_installed["authorizing_integration_owners"] = json!({"1": "1001"});
    for (me, command) in [
        (
            Who::dm(1004, "dave"),
            payloads::slash_command(&Who::dm(1004, "dave"), "whosaid", Value::Null),
        ),
        (
            Who::group_dm(1003, "carol"),
            payloads::slash_command(&Who::group_dm(1003, "carol"), "whosaid", Value::Null),
        ),
        (alice(), user_installed),
    ] {
        let asked = fake.answer(command).await;
        assert_eq!(asked["type"], 4, "{asked}");
        assert!(
            !is_ephemeral(&asked),
            "the question is for everyone there: {asked}"
        );
        assert_eq!(embed(&asked)["title"], "Who said it?", "{asked}");
        let ids = custom_ids(&asked);
        assert!(
            ids.len() >= 2 && ids.iter().all(|id| id.starts_with("whosaid:")),
            "{ids:?}"
        );
        let message =
            payloads::reply_message(&me, "whosaid", payloads::snowflake(), &asked["data"]);
        if matches!(me.place, payloads::Place::GroupDm { .. }) {
            let other = Who::group_dm(1005, "erin");
            let private = fake
                .answer(payloads::button_click_on(&other, message.clone(), &ids[0]))
                .await;
            assert_eq!(private["type"], 4, "{private}");
            assert!(is_ephemeral(&private), "{private}");
        }
        let revealed = fake
            .answer(payloads::button_click_on(&me, message, &ids[0]))
            .await;
        assert_eq!(
            revealed["type"], 7,
            "the question, revealed in place: {revealed}"
        );
        let text = embed(&revealed)["description"].as_str().unwrap_or_default();
        assert!(text.contains(&me.name), "{text}");
        assert!(custom_ids(&revealed).is_empty(), "{revealed}");
    }
    assert_no_channel_calls(&fake);
    fake.assert_no_violations();
}
