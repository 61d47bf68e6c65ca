//! Daily posts end to end: the real serenity client (in this process, on a clock the
//! test moves) against the fake Discord and a real SQLite file. Configure, reach the
//! post time, exactly one post; a restart does not post again; a 403 pauses the
//! schedule and `/daily status` says why.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use std::sync::Arc;
use std::time::Duration as Wait;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use support::bot::InProcessBot;
use support::payloads::{self, CHANNEL_ID, GUILD_ID, Who};
use support::{FakeDiscord, Fault};

use feudbot::clock::{Clock, ManualClock};
use feudbot::quiz::{AnswerResult, QuestionResults, Save, UnixMillis};
use feudbot::store::Store;

const POSTS: &str = "/channels/*/messages";

/// 08:59 UTC on 14 February 2026: a minute before the post, on the day OpenAI
/// rejected Musk's bid a year before.
fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-02-14T08:59:00Z")
        .expect("a valid time")
        .with_timezone(&Utc)
}

fn said(body: &Value) -> String {
    let data = &body["data"];
    let mut text = data["content"].as_str().unwrap_or_default().to_string();
    if let Some(embed) = data["embeds"].get(0) {
        text.push_str(&embed.to_string());
    }
    text
}

fn admin() -> Who {
    Who::member(3001, "admin")
}

fn daily(sub: &str, options: Value) -> Value {
    payloads::subcommand(&admin(), "daily", sub, options)
}

fn set_here() -> Value {
    daily(
        "set",
        json!([
            {"name": "channel", "type": 7, "value": CHANNEL_ID.to_string()},
            payloads::string_opt("time", "09:00"),
            payloads::string_opt("timezone", "UTC"),
        ]),
    )
}

async fn bot_on(fake: &FakeDiscord, db: &str, clock: Clock) -> InProcessBot {
    let bot = InProcessBot::start(&fake.base_url(), db, clock);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;
    bot
}

fn setup() -> (tempfile::TempDir, String, Clock, Arc<ManualClock>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("daily.db").display());
    let (clock, hand) = Clock::manual(start_time());
    (dir, db, clock, hand)
}

#[tokio::test]
async fn one_post_at_the_chosen_time_and_none_again_after_a_restart() {
    let (_dir, db, clock, hand) = setup();
    let fake = FakeDiscord::start().await;
    let bot = bot_on(&fake, &db, clock.clone()).await;

    let body = fake.answer(set_here()).await;
    assert_eq!(body["type"], 4);
    assert!(said(&body).contains("09:00"), "{body}");
    fake.expect_none("POST", POSTS, Wait::from_millis(200))
        .await;

    hand.advance(Duration::minutes(1));
    let post = fake
        .expect("POST", &format!("/channels/{CHANNEL_ID}/messages"))
        .await;
    let body = post.json();
    assert!(
        body["embeds"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .contains("On this day"),
        "{body}"
    );
    assert_eq!(
        body["enforce_nonce"], true,
        "a repeat would be dropped by Discord"
    );
    assert!(body["nonce"].is_string(), "{body}");
    fake.expect_none("POST", POSTS, Wait::from_millis(300))
        .await;

    // The button opens the event for the clicker alone: the post stays as it is.
    let message = post.response.clone().expect("the posted message");
    let button = body["components"][0]["components"][0]["custom_id"]
        .as_str()
        .expect("a button")
        .to_string();
    let click = payloads::button_click_on(&Who::member(3002, "reader"), message, &button);
    let opened = fake.answer(click).await;
    assert_eq!(opened["type"], 4, "{opened}");
    assert_eq!(opened["data"]["flags"], 64, "{opened}");

    // A restart the same day, later on: no second post.
    bot.stop().await;
    hand.advance(Duration::hours(2));
    let bot = bot_on(&fake, &db, clock.clone()).await;
    fake.expect_none("POST", POSTS, Wait::from_millis(300))
        .await;

    // The next day: the next post.
    hand.advance(Duration::days(1));
    fake.expect("POST", &format!("/channels/{CHANNEL_ID}/messages"))
        .await;
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn a_weekly_recap_goes_out_once_on_monday_and_not_again_after_a_restart() {
    let (_dir, db, clock, hand) = setup();
    // Two players scored in the week of Monday 9 February.
    let store = Store::open(&db).await.expect("the store opens");
    let at = UnixMillis::from_datetime(start_time());
    let scored = |user_id, name: &str, points| AnswerResult {
        user_id,
        user_name: name.to_string(),
        correct: true,
        points,
        streak: 1,
    };
    store
        .save(&Save::Results(QuestionResults {
            quiz_id: 1,
            guild_id: GUILD_ID,
            channel_id: CHANNEL_ID,
            started_at: at,
            question: 1,
            at,
            answers: vec![scored(3002, "alice", 900), scored(3003, "bob", 400)],
        }))
        .await
        .expect("saved");
    drop(store);

    let fake = FakeDiscord::start().await;
    let bot = bot_on(&fake, &db, clock.clone()).await;
    let mut set = set_here();
    set["data"]["options"][0]["options"]
        .as_array_mut()
        .expect("the options of /daily set")
        .push(payloads::string_opt("recap", "on"));
    let body = fake.answer(set).await;
    assert!(said(&body).contains("Weekly recap"), "{body}");
    assert!(said(&body).contains("On: last week"), "{body}");

    // Saturday and Sunday: the daily fact alone.
    let here = format!("/channels/{CHANNEL_ID}/messages");
    for step in [Duration::minutes(1), Duration::days(1)] {
        hand.advance(step);
        let post = fake.expect("POST", &here).await;
        let title = post.json()["embeds"][0]["title"].to_string();
        assert!(!title.contains("Weekly recap"), "{title}");
        fake.expect_none("POST", POSTS, Wait::from_millis(200))
            .await;
    }
    // Monday: the fact and the recap, each once.
    hand.advance(Duration::days(1));
    let first = fake.expect("POST", &here).await;
    let second = fake.expect("POST", &here).await;
    let recaps: Vec<&Value> = [first.json(), second.json()]
        .into_iter()
        .filter(|body| body["embeds"][0]["title"] == "Weekly recap · week of 9 February 2026")
        .collect();
    assert_eq!(recaps.len(), 1, "{} {}", first.json(), second.json());
    let recap = recaps[0].to_string();
    assert!(recap.contains("🥇 **alice** · 900 points"), "{recap}");
    assert!(recap.contains("🥈 **bob** · 400 points"), "{recap}");
    assert_ne!(first.json()["nonce"], second.json()["nonce"]);
    fake.expect_none("POST", POSTS, Wait::from_millis(300))
        .await;

    // A restart that Monday: nothing again.
    bot.stop().await;
    hand.advance(Duration::hours(2));
    let bot = bot_on(&fake, &db, clock).await;
    fake.expect_none("POST", POSTS, Wait::from_millis(500))
        .await;
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn a_restart_before_sending_still_sends_within_six_hours() {
    let (_dir, db, clock, hand) = setup();
    let fake = FakeDiscord::start().await;
    let bot = bot_on(&fake, &db, clock.clone()).await;
    fake.answer(set_here()).await;
    bot.stop().await;

    // Down over the post time; back two hours later.
    hand.advance(Duration::hours(2));
    let bot = bot_on(&fake, &db, clock).await;
    fake.expect("POST", &format!("/channels/{CHANNEL_ID}/messages"))
        .await;
    fake.expect_none("POST", POSTS, Wait::from_millis(300))
        .await;
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn a_forbidden_channel_pauses_the_schedule_and_status_says_why() {
    let (_dir, db, clock, hand) = setup();
    let fake = FakeDiscord::start().await;
    let bot = bot_on(&fake, &db, clock).await;
    fake.answer(set_here()).await;

    fake.fail_next("POST", POSTS, Fault::Status(403));
    hand.advance(Duration::minutes(1));
    assert_eq!(fake.expect("POST", POSTS).await.status, 403);
    // No retry loop: the schedule is paused.
    hand.advance(Duration::days(1));
    fake.expect_none("POST", POSTS, Wait::from_millis(300))
        .await;

    let status = fake.answer(daily("status", Value::Null)).await;
    let text = said(&status);
    assert!(text.contains("Paused"), "{text}");
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn a_channel_the_bot_cannot_see_is_refused_naming_the_permission() {
    let (_dir, db, clock, _hand) = setup();
    let fake = FakeDiscord::start().await;
    let bot = bot_on(&fake, &db, clock).await;
    let hidden = 4_000_000_000_000_000_001u64;
    let body = fake
        .answer(daily(
            "set",
            json!([
                {"name": "channel", "type": 7, "value": hidden.to_string()},
                payloads::string_opt("time", "09:00"),
                payloads::string_opt("timezone", "Europe/London"),
            ]),
        ))
        .await;
    assert_eq!(body["data"]["flags"], 64, "{body}");
    assert!(said(&body).contains("View Channel"), "{body}");

    let body = fake
        .answer(daily(
            "set",
            json!([
                {"name": "channel", "type": 7, "value": CHANNEL_ID.to_string()},
                payloads::string_opt("time", "25:00"),
                payloads::string_opt("timezone", "Mars/Base"),
            ]),
        ))
        .await;
    assert_eq!(body["data"]["flags"], 64, "{body}");
    assert!(said(&body).contains("HH:MM"), "{body}");
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn another_channel_the_bot_can_post_in_is_accepted() {
    let (_dir, db, clock, _hand) = setup();
    let fake = FakeDiscord::start().await;
    let other = 4_000_000_000_000_000_002u64;
    fake.configure(|world| {
        let mut channel = world.channels[&CHANNEL_ID].clone();
        channel["id"] = json!(other.to_string());
        channel["name"] = json!("daily-facts");
        world.channels.insert(other, channel);
    });
    let bot = bot_on(&fake, &db, clock).await;
    let body = fake
        .answer(daily(
            "set",
            json!([
                {"name": "channel", "type": 7, "value": other.to_string()},
                payloads::string_opt("time", "09:00"),
                payloads::string_opt("timezone", "Europe/London"),
            ]),
        ))
        .await;
    assert!(said(&body).contains("Daily posts are on"), "{body}");
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn a_rate_limit_or_server_error_is_retried_later_and_posts_once() {
    let (_dir, db, clock, hand) = setup();
    let fake = FakeDiscord::start().await;
    let bot = bot_on(&fake, &db, clock).await;
    fake.answer(set_here()).await;

    fake.fail_next("POST", POSTS, Fault::RateLimited { retry_after: 1.0 });
    hand.advance(Duration::minutes(1));
    assert_eq!(fake.expect("POST", POSTS).await.status, 429);
    fake.expect_none("POST", POSTS, Wait::from_millis(200))
        .await;
    fake.fail_next("POST", POSTS, Fault::Status(500));
    hand.advance(Duration::seconds(1));
    assert_eq!(fake.expect("POST", POSTS).await.status, 500);
    // Server errors back off (5 s, 30 s, 3 min by attempt): this is the second.
    hand.advance(Duration::seconds(29));
    fake.expect_none("POST", POSTS, Wait::from_millis(200))
        .await;
    hand.advance(Duration::seconds(1));
    assert_eq!(fake.expect("POST", POSTS).await.status, 200);
    hand.advance(Duration::hours(1));
    fake.expect_none("POST", POSTS, Wait::from_millis(300))
        .await;
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn onthisday_without_a_date_means_the_bots_today() {
    let (_dir, db, clock, _hand) = setup();
    let fake = FakeDiscord::start().await;
    let bot = bot_on(&fake, &db, clock).await;
    let body = fake
        .answer(payloads::slash_command(&admin(), "onthisday", Value::Null))
        .await;
    assert_eq!(
        body["data"]["embeds"][0]["title"], "On this day · 14 February",
        "{body}"
    );
    fake.assert_no_violations();
    bot.stop().await;
}

/// Discord gives an interaction 3 s. A command whose answer waits (here on a slow
/// Discord answering the channel check) is acknowledged after 2 s, then its answer
/// edits the acknowledgement; a private answer replaces it with a private follow-up.
#[tokio::test]
async fn a_slow_command_is_acknowledged_in_time_then_answered() {
    let (_dir, db, clock, hand) = setup();
    let fake = FakeDiscord::start().await;
    // Another channel than the command's: its permissions take three REST calls.
    let other = 4_000_000_000_000_000_002u64;
    fake.configure(|world| {
        let mut channel = world.channels[&CHANNEL_ID].clone();
        channel["id"] = json!(other.to_string());
        world.channels.insert(other, channel);
    });
    let bot = bot_on(&fake, &db, clock).await;
    let set_at = |time: &str| {
        daily(
            "set",
            json!([
                {"name": "channel", "type": 7, "value": other.to_string()},
                payloads::string_opt("time", time),
                payloads::string_opt("timezone", "UTC"),
            ]),
        )
    };
    for (command, private) in [(set_at("09:00"), false), (set_at("25:00"), true)] {
        fake.fail_next("GET", "/channels/*", Fault::Delay(Wait::from_millis(1500)));
        fake.send_interaction(command.clone()).await;
        let callback = payloads::callback_path(&command);
        fake.expect_none("POST", &callback, Wait::from_millis(300))
            .await;
        hand.advance(Duration::seconds(2));
        let acknowledged = fake.expect("POST", &callback).await;
        assert_eq!(acknowledged.json()["type"], 5, "thinking…");
        let webhook = payloads::webhook_path(&command);
        if private {
            fake.expect("DELETE", &format!("{webhook}/messages/@original"))
                .await;
            let followup = fake.expect("POST", &webhook).await;
            let body = followup.json();
            assert_eq!(body["flags"], 64, "{body}");
            assert!(
                body["content"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("25:00"),
                "{body}"
            );
        } else {
            let edit = fake
                .expect("PATCH", &format!("{webhook}/messages/@original"))
                .await;
            let body = edit.json();
            assert!(body.to_string().contains("Daily posts are on"), "{body}");
        }
    }
    fake.assert_no_violations();
    bot.stop().await;
}
