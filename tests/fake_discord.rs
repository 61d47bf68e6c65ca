//! Self-tests of the fake Discord in `tests/support`: a bare serenity 0.12.5 client
//! connects, identifies, answers interactions, resumes after RECONNECT and sees
//! scripted faults; serenity's own HTTP client reads every object the fake returns;
//! the payload builders, limit checks and rate limits behave.

// Each test crate uses a different part of the shared support module, so items unused
// by this crate are expected.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serenity::all::{
    ApplicationId, ChannelId, CreateAttachment, GuildId, HttpBuilder, Interaction, MessageId,
    UserId,
};
use serenity::http::{HttpError, LightMethod, Request, Route};
use support::bare_client::{self, BareClient, BareEvent};
use support::payloads::{self, CHANNEL_ID, GUILD_ID, Who};
use support::{FakeDiscord, Fault, Upload, limits, ratelimit};

const CALLBACK: &str = "/interactions/*/*/callback";

/// A fake plus a bare client that has received READY.
async fn connected() -> (FakeDiscord, BareClient) {
    let fake = FakeDiscord::start().await;
    let mut client = BareClient::start(&fake.base_url()).await;
    fake.wait_identify().await;
    client.wait_ready().await;
    (fake, client)
}

fn expected_reply() -> Value {
    json!({"type": 4, "data": {"content": bare_client::REPLY, "attachments": []}})
}

#[tokio::test]
async fn startup_identifies_gets_ready_and_a_slash_command_is_answered() {
    let fake = FakeDiscord::start().await;
    let mut client = BareClient::start(&fake.base_url()).await;

    let identify = fake.wait_identify().await;
    assert_eq!(
        identify["token"],
        format!("Bot {}", bare_client::TOKEN),
        "{identify}"
    );
    assert_eq!(identify["intents"], 0, "{identify}");
    let session_id = client.wait_ready().await;
    assert!(session_id.starts_with("fakesession"), "{session_id}");

    // serenity's ClientBuilder asks for the gateway URL; it appends ?v=10.
    let gateway = fake.expect("GET", "/gateway").await;
    assert_eq!(gateway.status, 200);
    assert!(
        fake.connection_uris()[0].contains("v=10"),
        "{:?}",
        fake.connection_uris()
    );

    let who = Who::member(4242, "alice");
    let cmd = payloads::slash_command(
        &who,
        "timeline",
        json!([payloads::string_opt("query", "xai")]),
    );
    fake.send_interaction(cmd.clone()).await;
    let call = fake.expect("POST", &payloads::callback_path(&cmd)).await;
    assert_eq!(call.json(), &expected_reply());
    assert_eq!(call.status, 204);
    let (id, result) = client.wait_answered().await;
    assert_eq!(id, payloads::interaction_id(&cmd));
    assert_eq!(result, Ok(()));

    // READY was seq 1, the interaction seq 2.
    let seqs: Vec<u64> = fake
        .dispatches()
        .iter()
        .map(|(_, f)| f["s"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(seqs, [1, 2]);
    assert!(fake.unhandled_calls().is_empty(), "{}", fake.report());
    fake.assert_no_violations();
    client.shutdown().await;
}

#[tokio::test]
async fn reconnect_resumes_and_the_next_interaction_is_still_answered() {
    let (fake, mut client) = connected().await;
    let who = Who::member(7, "bob");
    let first = payloads::slash_command(&who, "about", Value::Null);
    fake.send_interaction(first).await;
    fake.expect("POST", CALLBACK).await;
    assert_eq!(client.wait_answered().await.1, Ok(()));

    fake.send_reconnect().await;
    let resume = fake.wait_resume().await;
    assert_eq!(
        resume["seq"], 2,
        "READY and one interaction were sent: {resume}"
    );
    match client.next_event().await {
        BareEvent::Resumed => {}
        other => panic!("expected the resume event, got {other:?}"),
    }
    assert_eq!(fake.connection_count(), 2);
    assert_eq!(fake.identify_count(), 1, "a RESUME, not a new IDENTIFY");

    let second = payloads::slash_command(&who, "about", Value::Null);
    fake.send_interaction(second.clone()).await;
    let call = fake.expect("POST", &payloads::callback_path(&second)).await;
    assert_eq!(call.json(), &expected_reply());
    let (_, result) = client.wait_answered().await;
    assert_eq!(result, Ok(()));
    // The dispatch after RESUMED (seq 3) went out on the new connection with seq 4.
    let last = fake.dispatches().last().cloned();
    assert_eq!(
        last.map(|(conn, f)| (conn, f["s"].clone())),
        Some((1, json!(4)))
    );
    fake.assert_no_violations();
    client.shutdown().await;
}

#[tokio::test]
async fn a_scripted_500_is_recorded_and_the_handler_sees_an_error() {
    let (fake, mut client) = connected().await;
    fake.fail_next("POST", CALLBACK, Fault::Status(500));
    let who = Who::member(8, "carol");
    fake.send_interaction(payloads::slash_command(&who, "about", Value::Null))
        .await;
    let call = fake.expect("POST", CALLBACK).await;
    assert_eq!(call.status, 500);
    assert_eq!(
        call.json(),
        &expected_reply(),
        "the faulted call still records its body"
    );
    let (_, result) = client.wait_answered().await;
    let err = result.expect_err("a 500 must reach the handler as an error");
    assert!(err.contains("500"), "{err}");

    // The fault was used up: the next callback succeeds.
    fake.send_interaction(payloads::slash_command(&who, "about", Value::Null))
        .await;
    assert_eq!(fake.expect("POST", CALLBACK).await.status, 204);
    assert_eq!(client.wait_answered().await.1, Ok(()));
    client.shutdown().await;
}

#[tokio::test]
async fn a_scripted_429_carries_discords_body_and_headers_and_is_not_retried() {
    let (fake, mut client) = connected().await;
    fake.fail_next("POST", CALLBACK, Fault::RateLimited { retry_after: 1.5 });
    fake.send_interaction(payloads::slash_command(
        &Who::dm(9, "dave"),
        "about",
        Value::Null,
    ))
    .await;
    let call = fake.expect("POST", CALLBACK).await;
    assert_eq!(call.status, 429);
    assert_eq!(
        call.response,
        Some(
            json!({"message": "You are being rate limited.", "retry_after": 1.5, "global": false})
        )
    );
    let (_, result) = client.wait_answered().await;
    assert!(result.is_err(), "in proxy mode serenity returns the 429");
    fake.expect_none("POST", CALLBACK, Duration::from_millis(300))
        .await;

    // 403 and 404 bodies.
    fake.fail_next("POST", CALLBACK, Fault::Status(403));
    fake.send_interaction(payloads::slash_command(
        &Who::member(9, "dave"),
        "about",
        Value::Null,
    ))
    .await;
    let call = fake.expect("POST", CALLBACK).await;
    assert_eq!(
        call.response,
        Some(json!({"message": "Missing Permissions", "code": 50013}))
    );
    assert!(
        client.wait_answered().await.1.is_err(),
        "a 403 reaches the handler"
    );
    fake.fail_next("GET", "/channels/*", Fault::Status(404));
    let http = http_for(&fake);
    let err = http
        .get_channel(ChannelId::new(CHANNEL_ID))
        .await
        .expect_err("scripted 404");
    assert!(err.to_string().contains("Unknown Channel"), "{err}");
    client.shutdown().await;
}

#[tokio::test]
async fn heartbeats_are_acknowledged() {
    let fake = FakeDiscord::start().await;
    fake.set_heartbeat_interval(Duration::from_millis(20));
    let mut client = BareClient::start(&fake.base_url()).await;
    client.wait_ready().await;
    fake.wait_heartbeats(2).await;
    // Acked heartbeats keep the session: still one connection, no resume.
    assert_eq!((fake.connection_count(), fake.resume_count()), (1, 0));
    client.shutdown().await;
}

#[tokio::test]
async fn every_payload_builder_reaches_the_handler() {
    let (fake, mut client) = connected().await;
    let member = Who::member(11, "erin");
    let payloads = [
        payloads::slash_command(
            &member,
            "search",
            json!([payloads::string_opt("q", "board")]),
        ),
        payloads::slash_command(&Who::dm(12, "frank"), "about", Value::Null),
        payloads::slash_command(&Who::member(13, "robot").into_bot(), "about", Value::Null),
        payloads::subcommand(
            &member,
            "timeline",
            "year",
            json!([payloads::int_opt("year", 2023)]),
        ),
        payloads::autocomplete(
            &member,
            "lookup",
            json!([payloads::focused_opt("name", 3, "sa")]),
        ),
        payloads::button_click(&member, payloads::snowflake(), "page:2"),
    ];
    for p in payloads {
        let decoded: Interaction = serde_json::from_value(p.clone())
            .unwrap_or_else(|e| panic!("serenity rejects {p}: {e}"));
        fake.send_interaction(p.clone()).await;
        let call = fake.expect("POST", &payloads::callback_path(&p)).await;
        let (id, result) = client.wait_answered().await;
        assert_eq!(
            (id, result),
            (payloads::interaction_id(&p), Ok(())),
            "{decoded:?}"
        );
        let expected_type = match p["type"].as_u64() {
            Some(2) => 4,
            Some(4) => 8,
            _ => 6,
        };
        assert_eq!(call.json()["type"], expected_type, "{}", call.json());
    }
    fake.assert_no_violations();
    client.shutdown().await;
}

#[tokio::test]
#[should_panic(expected = "locale")]
async fn an_interaction_serenity_would_drop_is_refused() {
    let fake = FakeDiscord::start().await;
    let mut p = payloads::slash_command(&Who::member(1, "x"), "about", Value::Null);
    if let Some(o) = p.as_object_mut() {
        o.remove("locale");
    }
    fake.send_interaction(p).await;
}

fn http_for(fake: &FakeDiscord) -> serenity::http::Http {
    HttpBuilder::new(bare_client::TOKEN)
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .application_id(ApplicationId::new(fake.application_id()))
        .build()
}

#[tokio::test]
async fn serenity_reads_every_rest_answer() {
    let (fake, mut client) = connected().await;
    let http = http_for(&fake);
    let ok = |what: &str, e: serenity::Error| -> ! { panic!("{what}: {e}\n{}", fake.report()) };

    let me = http
        .get_current_user()
        .await
        .unwrap_or_else(|e| ok("current user", e));
    assert_eq!(me.id.get(), fake.bot_user_id());
    http.get_current_application_info()
        .await
        .unwrap_or_else(|e| ok("app info", e));
    http.get_bot_gateway()
        .await
        .unwrap_or_else(|e| ok("gateway/bot", e));
    let commands = json!([{"name": "about", "description": "What this bot is", "options": []}]);
    let created = http
        .create_global_commands(&commands)
        .await
        .unwrap_or_else(|e| ok("commands", e));
    assert_eq!(created[0].name, "about");
    let guild = GuildId::new(GUILD_ID);
    http.create_guild_commands(guild, &commands)
        .await
        .unwrap_or_else(|e| ok("guild commands", e));
    assert_eq!(fake.registered_commands(Some(GUILD_ID)).len(), 1);
    http.get_channel(ChannelId::new(CHANNEL_ID))
        .await
        .unwrap_or_else(|e| ok("channel", e));
    let g = http
        .get_guild(guild)
        .await
        .unwrap_or_else(|e| ok("guild", e));
    assert_eq!(g.roles.len(), 2);
    http.get_guild_roles(guild)
        .await
        .unwrap_or_else(|e| ok("roles", e));
    http.get_member(guild, UserId::new(fake.bot_user_id()))
        .await
        .unwrap_or_else(|e| ok("member", e));

    let channel = ChannelId::new(CHANNEL_ID);
    let body = json!({"content": "hi", "embeds": [{"title": "T", "description": "D",
        "fields": [{"name": "n", "value": "v", "inline": false}]}],
        "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Next", "custom_id": "next"}]}]});
    let m = http
        .send_message(channel, vec![], &body)
        .await
        .unwrap_or_else(|e| ok("send", e));
    assert_eq!(m.embeds.len(), 1);
    assert_eq!(m.components.len(), 1);
    let edited = http
        .edit_message(channel, m.id, &json!({"content": "edited"}), vec![])
        .await
        .unwrap_or_else(|e| ok("edit", e));
    assert_eq!(
        (edited.content.as_str(), edited.embeds.len()),
        ("edited", 1)
    );
    http.get_message(channel, m.id)
        .await
        .unwrap_or_else(|e| ok("get message", e));
    assert!(
        http.get_message(channel, MessageId::new(1)).await.is_err(),
        "unknown message"
    );

    // Interaction webhooks, for an interaction the bare client answered.
    let cmd = payloads::slash_command(&Who::member(5, "gina"), "about", Value::Null);
    fake.send_interaction(cmd.clone()).await;
    fake.expect("POST", &payloads::callback_path(&cmd)).await;
    assert_eq!(client.wait_answered().await.1, Ok(()));
    let token = payloads::interaction_token(&cmd);
    let original = http
        .get_original_interaction_response(token)
        .await
        .unwrap_or_else(|e| ok("@original", e));
    assert_eq!(original.content, bare_client::REPLY);
    let original = http
        .edit_original_interaction_response(token, &json!({"content": "changed"}), vec![])
        .await
        .unwrap_or_else(|e| ok("edit @original", e));
    assert_eq!(original.content, "changed");
    let f = http
        .create_followup_message(token, &json!({"content": "more"}), vec![])
        .await
        .unwrap_or_else(|e| ok("follow-up", e));
    http.edit_followup_message(token, f.id, &json!({"content": "more!"}), vec![])
        .await
        .unwrap_or_else(|e| ok("edit follow-up", e));
    http.delete_followup_message(token, f.id)
        .await
        .unwrap_or_else(|e| ok("delete follow-up", e));
    assert!(
        http.get_original_interaction_response("no-such-token")
            .await
            .is_err()
    );

    let c = fake
        .expect("PATCH", "/webhooks/*/*/messages/@original")
        .await;
    assert_eq!(c.json(), &json!({"content": "changed"}));
    assert!(fake.unhandled_calls().is_empty(), "{}", fake.report());
    fake.assert_no_violations();
    client.shutdown().await;
}

#[tokio::test]
async fn expect_failures_list_every_call() {
    let fake = FakeDiscord::start().await;
    let http = http_for(&fake);
    http.get_gateway()
        .await
        .unwrap_or_else(|e| panic!("gateway: {e}"));
    let _ = http.get_channel(ChannelId::new(99)).await;

    let report = fake.missing_call_report("DELETE", "/channels/*", Duration::from_secs(5));
    assert!(
        report.contains("expected a REST call DELETE /channels/*"),
        "{report}"
    );
    assert!(report.contains("#0 "), "{report}");
    assert!(report.contains("GET /gateway -> 200"), "{report}");
    assert!(report.contains("GET /channels/99 -> 404"), "{report}");

    assert!(
        fake.try_expect("DELETE", "/channels/*", Duration::from_millis(50))
            .await
            .is_none()
    );
    fake.expect_none("POST", "/channels/*/messages", Duration::from_millis(50))
        .await;
    // `*` matches exactly one segment, and a claimed call is not returned twice.
    assert!(support::path_matches("/channels/*", "/channels/99"));
    assert!(!support::path_matches(
        "/channels/*",
        "/channels/99/messages"
    ));
    assert!(support::path_matches("/api/v10/gateway", "/gateway"));
    fake.expect("GET", "/channels/*").await;
    assert!(
        fake.try_expect("GET", "/channels/*", Duration::from_millis(50))
            .await
            .is_none()
    );

    // An unknown route is a Discord-style 404, recorded as unhandled.
    let _ = http.get_user(UserId::new(5)).await;
    let unhandled = fake.unhandled_calls();
    assert_eq!(unhandled.len(), 1, "{}", fake.report());
    assert_eq!(
        unhandled[0].response,
        Some(json!({"message": "404: Not Found", "code": 0}))
    );
}

#[test]
fn limits_accept_good_bodies() {
    let message = json!({"content": "fine", "embeds": [{"title": "t", "description": "d"}],
        "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "a", "custom_id": "a"}]}]});
    assert_eq!(limits::message_violations(&message), Vec::<String>::new());
    let response = json!({"type": 4, "data": message});
    assert_eq!(limits::response_violations(&response), Vec::<String>::new());
    let choices = json!({"type": 8, "data": {"choices": [{"name": "a", "value": "a"}]}});
    assert_eq!(limits::response_violations(&choices), Vec::<String>::new());
    let commands = json!([{"type": 1, "name": "año_2024-x", "description": "d", "options": [
        {"type": 1, "name": "sub", "description": "d", "options": [
            {"type": 3, "name": "x", "description": "d", "required": true}]}]}]);
    assert_eq!(
        limits::command_list_violations(&commands),
        Vec::<String>::new()
    );
}

/// Each body breaks one rule, and is reported once, for that rule.
#[test]
fn limits_catch_every_kind_of_breach() {
    type Checker = fn(&Value) -> Vec<String>;
    let message: Checker = limits::message_violations;
    let response: Checker = limits::response_violations;
    let commands: Checker = limits::command_list_violations;
    let long = |n: usize| "x".repeat(n);
    let embed = |e: Value| json!({"embeds": [e]});
    let button =
        |id: &str, label: &str| json!({"type": 2, "style": 1, "label": label, "custom_id": id});
    let rows = |rows: Vec<Vec<Value>>| -> Value {
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|r| json!({"type": 1, "components": r}))
            .collect();
        json!({"components": rows})
    };
    let buttons =
        |n: usize| -> Vec<Value> { (0..n).map(|i| button(&format!("{i}"), "b")).collect() };
    let choices = |n: usize, len: usize| -> Vec<Value> {
        let names = (0..n).map(|i| format!("{i}{}", long(len)));
        names.map(|s| json!({"name": s, "value": s})).collect()
    };
    let option = |name: &str, description: &str| json!({"type": 3, "name": name, "description": description});
    let command = |options: Vec<Value>| json!([{"type": 1, "name": "c", "description": "d", "options": options}]);
    #[rustfmt::skip]
    let cases: Vec<(Checker, Value, &str)> = vec![
        (message, json!({"content": long(2001)}), "content: MessageValidationError { kind: ContentInvalid"),
        (message, embed(json!({"title": long(257)})), "embeds: MessageValidationError { kind: EmbedInvalid { idx: 0, kind: TitleTooLarge { chars: 257 } }"),
        (message, embed(json!({"description": long(4097)})), "DescriptionTooLarge { chars: 4097 }"),
        (message, embed(json!({"fields": [{"name": long(257), "value": "v"}]})), "FieldNameTooLarge { chars: 257 }"),
        (message, embed(json!({"fields": [{"name": "n", "value": long(1025)}]})), "FieldValueTooLarge { chars: 1025 }"),
        (message, embed(json!({"fields": vec![json!({"name": "n", "value": "v"}); 26]})), "TooManyFields { amount: 26 }"),
        (message, embed(json!({"footer": {"text": long(2049)}})), "FooterTextTooLarge { chars: 2049 }"),
        (message, embed(json!({"author": {"name": long(257)}})), "AuthorNameTooLarge { chars: 257 }"),
        (message, json!({"embeds": vec![json!({"description": long(3500)}); 2]}), "EmbedInvalid { idx: 1, kind: EmbedTooLarge { chars: 7000 } }"),
        (message, json!({"embeds": vec![json!({"title": "t"}); 11]}), "TooManyEmbeds"),
        (message, rows(vec![buttons(6)]), "ComponentInvalid { idx: 0, kind: ActionRowComponentCount { count: 6 } }"),
        (message, rows(buttons(6).into_iter().map(|b| vec![b]).collect()), "ComponentCount { count: 6 }"),
        (message, rows(vec![vec![button(&long(101), "b")]]), "ComponentCustomIdLength { chars: 101 }"),
        (message, rows(vec![vec![button("a", &long(81))]]), "ComponentLabelLength { chars: 81 }"),
        (message, rows(vec![vec![button("dup", "a")], vec![button("dup", "b")]]), "components: custom_id \"dup\" used twice"),
        (message, rows(vec![vec![json!({"type": 2, "label": "no style", "custom_id": "a"})]]), "components[0]: not a valid"),
        (response, json!({"type": 4, "data": embed(json!({"title": long(257)}))}), "data.embeds: MessageValidationError { kind: EmbedInvalid { idx: 0, kind: TitleTooLarge"),
        (response, json!({"type": 7, "data": {"content": long(2001)}}), "data.content: MessageValidationError { kind: ContentInvalid"),
        (response, json!({"type": 8, "data": {"choices": choices(26, 0)}}), "data.choices: 26 choices > 25"),
        (response, json!({"type": 8, "data": {"choices": [{"name": "a", "value": long(101)}]}}), "data.choices[0]: CommandValidationError { kind: OptionChoiceStringValueLengthInvalid"),
        (response, json!({"type": 4, "data": {"content": 5}}), "data.content: not a valid"),
        (commands, json!([{"type": 1, "name": "Bad Name", "description": "d"}]), "[0]: CommandValidationError { kind: NameCharacterInvalid { character: 'B' }"),
        (commands, json!([{"type": 1, "name": "c", "description": ""}]), "[0]: CommandValidationError { kind: DescriptionInvalid"),
        (commands, json!([{"type": 1, "name": "c", "description": long(101)}]), "[0]: CommandValidationError { kind: DescriptionInvalid"),
        (commands, command((0..26).map(|i| option(&format!("o{i}"), "d")).collect()), "[0].options: CommandValidationError { kind: OptionsCountInvalid"),
        (commands, command(vec![option("a", "d"), json!({"type": 3, "name": "b", "description": "d", "required": true})]), "OptionsRequiredFirst { index: 0 }"),
        (commands, command(vec![option("a", &long(101))]), "[0].options: CommandValidationError { kind: OptionDescriptionInvalid"),
        (commands, command(vec![json!({"type": 3, "name": "a", "description": "d", "choices": choices(26, 0)})]), "[0].options[0].choices: 26 choices > 25"),
        (commands, command(vec![json!({"type": 3, "name": "a", "description": "d", "choices": choices(25, 90)})]), "[0]: CommandValidationError { kind: CommandTooLarge"),
        (commands, command(vec![json!({"type": 1, "name": "sub", "description": long(101), "options": []})]), "[0].options[0]: CommandValidationError { kind: OptionDescriptionInvalid"),
        (commands, json!([{"type": 1, "name": "c", "description": "d"}, {"type": 1, "name": "c", "description": "d"}]), "name: two ChatInput commands are named \"c\""),
    ];
    for (check, body, needle) in cases {
        let v = check(&body);
        assert!(
            v.len() == 1 && v[0].contains(needle),
            "want one violation with {needle:?}, got {v:#?}"
        );
    }
}

#[tokio::test]
async fn limit_breaches_in_bot_bodies_are_reported() {
    let (fake, client) = connected().await;
    let http = http_for(&fake);
    let _ = http
        .send_message(
            ChannelId::new(CHANNEL_ID),
            vec![],
            &json!({"content": "y".repeat(2001)}),
        )
        .await;
    fake.expect("POST", "/channels/*/messages").await;
    let v = fake.violations();
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(
        v[0].contains("content: MessageValidationError { kind: ContentInvalid"),
        "{v:?}"
    );
    let caught = std::panic::catch_unwind(|| fake.assert_no_violations());
    assert!(caught.is_err(), "assert_no_violations must panic");
    client.shutdown().await;
}

#[tokio::test]
async fn uploads_are_recorded_and_an_embed_image_must_name_one() {
    let (fake, client) = connected().await;
    let http = http_for(&fake);
    // Binary, with a line break inside: the parts are read as bytes.
    let bytes = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0, 0xff, b'-', b'-'];
    let shown = json!({"embeds": [{"title": "t", "image": {"url": "attachment://a.png"}}]});
    let _ = http
        .send_message(
            ChannelId::new(CHANNEL_ID),
            vec![CreateAttachment::bytes(bytes.clone(), "a.png")],
            &shown,
        )
        .await;
    let call = fake.expect("POST", "/channels/*/messages").await;
    assert_eq!(
        call.files,
        [Upload {
            name: "a.png".to_string(),
            bytes
        }]
    );
    assert_eq!(call.json()["embeds"][0]["title"], "t");
    fake.assert_no_violations();

    let missing = json!({"embeds": [{"title": "t", "image": {"url": "attachment://b.png"}}]});
    let _ = http
        .send_message(ChannelId::new(CHANNEL_ID), vec![], &missing)
        .await;
    fake.expect("POST", "/channels/*/messages").await;
    let v = fake.violations();
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("no file b.png was uploaded"), "{v:?}");
    client.shutdown().await;
}

/// Bot tests may pause tokio's clock (cooldowns, timeouts); the fake's waits use real
/// time, so they still wait for the client instead of timing out at once.
#[tokio::test(start_paused = true)]
async fn works_with_tokio_time_paused() {
    let (fake, mut client) = connected().await;
    let cmd = payloads::slash_command(&Who::member(3, "hal"), "about", Value::Null);
    fake.send_interaction(cmd.clone()).await;
    let call = fake.expect("POST", &payloads::callback_path(&cmd)).await;
    assert_eq!(call.json(), &expected_reply());
    assert_eq!(client.wait_answered().await.1, Ok(()));
    client.shutdown().await;
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn header<'h>(headers: &'h [ratelimit::Header], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn a_bucket_refuses_past_its_limit_until_its_window_closes() {
    let t0 = Instant::now();
    let mut bucket = ratelimit::Bucket::new(5, Duration::from_secs(5));
    // The window opens with the first request.
    for left in (0..5).rev() {
        let quota = bucket.take(t0 + ms(100)).expect("within the limit");
        assert_eq!((quota.limit, quota.remaining), (5, left));
        assert_eq!(quota.reset_after, ms(5000));
    }
    assert_eq!(bucket.take(t0 + ms(1100)), Err(ms(4000)));
    assert_eq!(
        bucket.take(t0 + ms(5099)),
        Err(ms(1)),
        "a refusal takes nothing"
    );
    // The window closed: full again, and the next one opens now.
    let quota = bucket.take(t0 + ms(5100)).expect("a new window");
    assert_eq!((quota.remaining, quota.reset_after), (4, ms(5000)));
    assert_eq!(bucket.quota(t0 + ms(6100)).reset_after, ms(4000));
}

#[test]
fn the_global_limit_spares_interaction_endpoints_and_each_channel_has_its_own() {
    let t0 = Instant::now();
    let unix = 1_700_000_000.0;
    let mut limits = ratelimit::RateLimits::default();
    for i in 0..50 {
        let (method, path) = if i % 2 == 0 {
            ("POST", format!("/channels/{i}/messages"))
        } else {
            ("GET", "/channels/1".to_string())
        };
        let verdict = limits.check(method, &path, t0 + ms(i), unix);
        assert!(
            matches!(verdict, ratelimit::Verdict::Pass(_)),
            "#{i}: {verdict:?}"
        );
    }
    // The 51st request of the second waits for the rest of it, whatever its route.
    let verdict = limits.check("PATCH", "/channels/1/messages/2", t0 + ms(400), unix);
    assert_eq!(
        verdict,
        ratelimit::Verdict::Limited {
            global: true,
            retry_after: 0.6,
            headers: vec![
                ("retry-after", "1".to_string()),
                ("x-ratelimit-global", "true".to_string()),
                ("x-ratelimit-scope", "global".to_string()),
            ],
        }
    );
    // A message refused by the global limit also tells its route's bucket, untouched.
    let ratelimit::Verdict::Limited { headers, .. } =
        limits.check("POST", "/channels/2/messages", t0 + ms(400), unix)
    else {
        panic!("over the global limit")
    };
    assert_eq!(header(&headers, "x-ratelimit-remaining"), Some("4"));
    assert_eq!(header(&headers, "x-ratelimit-global"), Some("true"));
    // Interaction endpoints are not bound to the global limit.
    for (method, path) in [
        ("POST", "/interactions/1/token/callback"),
        ("PATCH", "/webhooks/1/token/messages/@original"),
        ("POST", "/webhooks/1/token"),
    ] {
        assert_eq!(
            limits.check(method, path, t0 + ms(500), unix),
            ratelimit::Verdict::Pass(Vec::new()),
            "{method} {path}"
        );
    }

    // A new second: five messages in one channel, then the sixth waits for its bucket.
    let t1 = t0 + ms(1000);
    for left in (0..5).rev() {
        let ratelimit::Verdict::Pass(headers) =
            limits.check("POST", "/channels/7/messages", t1, unix)
        else {
            panic!("within the limits")
        };
        assert_eq!(header(&headers, "x-ratelimit-limit"), Some("5"));
        assert_eq!(
            header(&headers, "x-ratelimit-remaining"),
            Some(left.to_string().as_str())
        );
        assert_eq!(header(&headers, "x-ratelimit-reset-after"), Some("5.000"));
        assert_eq!(
            header(&headers, "x-ratelimit-reset"),
            Some("1700000005.000")
        );
        assert_eq!(
            header(&headers, "x-ratelimit-bucket"),
            Some(ratelimit::MESSAGE_BUCKET)
        );
    }
    let verdict = limits.check("POST", "/channels/7/messages", t1 + ms(1500), unix);
    let ratelimit::Verdict::Limited {
        global: false,
        retry_after,
        headers,
    } = verdict
    else {
        panic!("the channel's bucket is empty: {verdict:?}")
    };
    assert_eq!(retry_after, 3.5);
    assert_eq!(header(&headers, "retry-after"), Some("4"));
    assert_eq!(header(&headers, "x-ratelimit-scope"), Some("user"));
    assert_eq!(header(&headers, "x-ratelimit-global"), None);
    assert_eq!(header(&headers, "x-ratelimit-remaining"), Some("0"));
    assert_eq!(header(&headers, "x-ratelimit-reset-after"), Some("3.500"));
    // Another channel is not held up.
    assert!(matches!(
        limits.check("POST", "/channels/8/messages", t1 + ms(1500), unix),
        ratelimit::Verdict::Pass(_)
    ));
    assert_eq!(
        limits.refusals(),
        ratelimit::Refusals {
            global: 2,
            channel: 1
        }
    );
}

/// What the bot's HTTP client makes of the fake's 429s: in proxy mode (the rate
/// limiter off) serenity hands the 429 back as an error, and keeps neither
/// `retry_after` nor `global` nor the headers (the body has no `code`, so it does not
/// even decode): a per-channel 429 and a global one look the same.
#[tokio::test]
async fn enforced_rate_limits_answer_429_and_serenity_returns_it_undecoded() {
    let fake = FakeDiscord::start().await;
    fake.enforce_rate_limits();
    let http = http_for(&fake);
    let channel = ChannelId::new(CHANNEL_ID);
    let post = || {
        Request::new(
            Route::ChannelMessages {
                channel_id: channel,
            },
            LightMethod::Post,
        )
        .body(Some(br#"{"content": "hi"}"#.to_vec()))
    };
    let response = http.request(post()).await.expect("the first message");
    let headers = response.headers();
    assert_eq!(headers["x-ratelimit-limit"], "5");
    assert_eq!(headers["x-ratelimit-remaining"], "4");
    assert_eq!(headers["x-ratelimit-bucket"], ratelimit::MESSAGE_BUCKET);
    for _ in 0..4 {
        http.request(post()).await.expect("within the limit");
    }
    let error = http.request(post()).await.expect_err("the sixth in 5 s");
    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = error else {
        panic!("not an HTTP error: {error}")
    };
    assert_eq!(response.status_code.as_u16(), 429);
    assert_eq!(response.error.code, -1, "{:?}", response.error);
    let call = fake.calls().pop().expect("the refused call");
    assert_eq!(call.status, 429);
    let body = call.response.expect("Discord's 429 body");
    assert_eq!(body["global"], false);
    assert!(
        body["retry_after"]
            .as_f64()
            .is_some_and(|s| s > 0.0 && s <= 5.0)
    );
    assert_eq!(
        fake.rate_limited(),
        ratelimit::Refusals {
            global: 0,
            channel: 1
        }
    );

    // A burst past 50 in a second (over two windows at worst) meets the global limit,
    // and serenity drops `global: true` the same way.
    let reads = (0..120).map(|_| http.get_channel(channel));
    let errors: Vec<serenity::Error> = futures_util::future::join_all(reads)
        .await
        .into_iter()
        .filter_map(Result::err)
        .collect();
    assert!(!errors.is_empty(), "{}", fake.report());
    for error in errors {
        let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = error else {
            panic!("not an HTTP error: {error}")
        };
        assert_eq!(
            (response.status_code.as_u16(), response.error.code),
            (429, -1)
        );
    }
    let global = fake.calls().into_iter().rfind(|c| c.status == 429);
    let body = global.and_then(|c| c.response).expect("a global 429");
    assert_eq!(body["global"], true);
    assert!(fake.rate_limited().global > 0);
}
