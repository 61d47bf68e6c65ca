//! Trivia end to end: the real serenity client (in this process, on a clock the test
//! moves) against the fake Discord, a real SQLite file, and three players who click.
//! Every REST call is checked: two channel writes per question, one response per click.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use support::bot::{BotProcess, InProcessBot};
use support::payloads::{self, Who, is_ephemeral, said};
use support::{Call, FakeDiscord};

use feudbot::clock::{Clock, ManualClock};

const QUESTIONS: usize = 5;
const SECONDS: i64 = 10;

fn start_time() -> DateTime<Utc> {
    DateTime::from_timestamp(1_770_000_000, 0).expect("a valid time")
}

fn buttons(message: &Value) -> Vec<Value> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// A fake Discord, a database file and the bot, connected, commands registered.
async fn started(db: &str) -> (FakeDiscord, InProcessBot, std::sync::Arc<ManualClock>) {
    let fake = FakeDiscord::start().await;
    let (clock, hand) = Clock::manual(start_time());
    let bot = InProcessBot::start(&fake.base_url(), db, clock);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;
    (fake, bot, hand)
}

fn start_quiz(host: &Who) -> Value {
    payloads::subcommand(
        host,
        "quiz",
        "start",
        json!([
            payloads::int_opt("questions", QUESTIONS as i64),
            payloads::int_opt("seconds", SECONDS),
            payloads::string_opt("kind", "who-said-it"),
        ]),
    )
}

/// The question message just posted: the call, and the message as Discord stored it.
async fn next_question(fake: &FakeDiscord) -> (Call, Value) {
    let post = fake.expect("POST", "/channels/*/messages").await;
    let message = post.response.clone().expect("the fake returns the message");
    (post, message)
}

#[tokio::test]
async fn three_players_play_a_whole_quiz_and_the_leaderboard_adds_up() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, clock) = started(&db).await;
    let host = Who::member(2001, "host");
    let players = [
        Who::member(2002, "alice"),
        Who::member(2003, "bob"),
        Who::member(2004, "carol"),
    ];

    let body = fake.answer(start_quiz(&host)).await;
    assert_eq!(body["type"], 4, "{body}");
    assert!(said(&body).starts_with("Quiz time!"), "{body}");

    let mut points = [0u32; 3];
    let mut streaks = [0u32; 3];
    let mut first_question: Option<(Value, String)> = None;
    for number in 1..=QUESTIONS {
        let (post, message) = next_question(&fake).await;
        let embed = &post.json()["embeds"][0];
        let description = embed["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("<t:"),
            "a Discord timestamp: {description}"
        );
        let ids: Vec<String> = buttons(post.json())
            .iter()
            .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
            .collect();
        assert_eq!(ids.len(), 4, "who-said-it has 4 options: {ids:?}");

        // Player i picks option i.
        for (i, who) in players.iter().enumerate() {
            let click = payloads::button_click_on(who, message.clone(), &ids[i]);
            let body = fake.answer(click).await;
            assert!(is_ephemeral(&body), "{body}");
            assert!(said(&body).contains("Locked in"), "{body}");
            if number == 1 && i == 0 {
                // A double click is refused, privately, and does not count twice.
                let again = payloads::button_click_on(who, message.clone(), &ids[3]);
                let body = fake.answer(again).await;
                assert!(
                    is_ephemeral(&body) && said(&body).contains("You already chose"),
                    "{body}"
                );
                // A forged button and a bot's click change nothing.
                let forged = payloads::button_click_on(who, message.clone(), "quiz:ffff:1:0");
                let body = fake.answer(forged).await;
                assert!(is_ephemeral(&body), "{body}");
                let bot_click = payloads::button_click_on(
                    &Who::member(2999, "robot").into_bot(),
                    message.clone(),
                    &ids[0],
                );
                let body = fake.answer(bot_click).await;
                assert!(said(&body).contains("Bots can't play"), "{body}");
            }
        }
        if number == 1 {
            first_question = Some((message.clone(), ids[0].clone()));
            // The players of this quiz are not known yet: the first question runs to
            // its deadline.
            fake.expect_none(
                "PATCH",
                "/channels/*/messages/*",
                std::time::Duration::from_millis(200),
            )
            .await;
            clock.advance(Duration::seconds(SECONDS));
        }
        // From the second question on, it closes as soon as every player answered.
        let reveal = fake.expect("PATCH", "/channels/*/messages/*").await;
        let message_id = message["id"].as_str().unwrap_or_default();
        assert!(
            reveal.path.ends_with(message_id),
            "the question's own message is edited"
        );
        let revealed = buttons(reveal.json());
        assert!(
            revealed.iter().all(|b| b["disabled"] == true),
            "{revealed:?}"
        );
        let correct = revealed
            .iter()
            .position(|b| b["style"] == 3)
            .expect("the right answer is green");
        for i in 0..3 {
            if i == correct {
                streaks[i] += 1;
                // All clicks came at the instant the question was asked: full speed.
                points[i] += 1000 + (100 * (streaks[i] - 1)).min(500);
            } else {
                streaks[i] = 0;
            }
        }
        if number == 2 {
            // A late click on a closed question is refused.
            let (message, id) = first_question.clone().expect("the first question");
            let late = payloads::button_click_on(&players[0], message, &id);
            let body = fake.answer(late).await;
            assert!(is_ephemeral(&body), "{body}");
            assert!(said(&body).contains("closed"), "{body}");
        }
        // The answer stays up a moment before the next question (or the podium).
        clock.advance(Duration::milliseconds(
            feudbot::quiz::REVEAL_PAUSE_MS as i64,
        ));
    }
    let podium = fake.expect("POST", "/channels/*/messages").await;
    assert_eq!(
        podium.json()["embeds"][0]["title"],
        "Quiz over",
        "{}",
        podium.json()
    );
    // The podium card goes up with it, as the upload the embed shows.
    assert_eq!(
        podium.json()["embeds"][0]["image"]["url"],
        "attachment://podium.png"
    );
    assert_eq!(podium.files.len(), 1);
    assert_eq!(podium.files[0].name, "podium.png");
    let card = png::Decoder::new(std::io::Cursor::new(&podium.files[0].bytes))
        .read_info()
        .expect("the card is a PNG");
    assert_eq!((card.info().width, card.info().height), (640, 330));

    // Two channel writes per question, plus the podium; one response per interaction.
    let calls = fake.calls();
    let posts = calls
        .iter()
        .filter(|c| c.method == "POST" && c.path.starts_with("/channels/"))
        .count();
    let edits = calls.iter().filter(|c| c.method == "PATCH").count();
    assert_eq!((posts, edits), (QUESTIONS + 1, QUESTIONS));

    let board = fake
        .answer(payloads::slash_command(&host, "leaderboard", Value::Null))
        .await;
    let text = said(&board);
    let mut expected: Vec<(u32, &str)> = points
        .iter()
        .zip(["alice", "bob", "carol"])
        .filter(|(p, _)| **p > 0)
        .map(|(p, n)| (*p, n))
        .collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    for (points, name) in &expected {
        assert!(
            text.contains(&format!("**{name}** · {points} points")),
            "{name} should have {points}: {text}"
        );
    }
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn a_second_quiz_in_the_same_channel_is_refused_and_stop_ends_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, _clock) = started(&db).await;
    let host = Who::member(2001, "host");
    fake.answer(start_quiz(&host)).await;
    next_question(&fake).await;
    let body = fake.answer(start_quiz(&Who::member(2002, "alice"))).await;
    assert!(is_ephemeral(&body), "{body}");
    assert!(said(&body).contains("already running"), "{body}");
    assert!(said(&body).contains(":R>"), "{body}");

    let stop = payloads::subcommand(&host, "quiz", "stop", Value::Null);
    fake.answer(stop).await;
    fake.expect("PATCH", "/channels/*/messages/*").await;
    let podium = fake.expect("POST", "/channels/*/messages").await;
    assert_eq!(podium.json()["embeds"][0]["title"], "Quiz stopped");
    fake.assert_no_violations();
    bot.stop().await;
}

/// A crash (the process killed) mid-quiz: the next process edits the open question
/// to say the quiz was interrupted, its buttons disabled.
#[tokio::test]
async fn a_crash_mid_quiz_marks_the_open_question_interrupted() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let fake = FakeDiscord::start().await;
    let crashing = BotProcess::start_with(&fake.base_url(), &["--database-url", &db], &[]);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;
    fake.answer(start_quiz(&Who::member(2001, "host"))).await;
    let (_, message) = next_question(&fake).await;
    // The crash comes once the open question is on record, as it is within
    // milliseconds of its post.
    let pool = sqlx::SqlitePool::connect(&db).await.expect("the database");
    let on_record = std::time::Instant::now();
    while sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM quizzes WHERE message_id IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap_or(0)
        == 0
    {
        assert!(
            on_record.elapsed() < support::DEFAULT_TIMEOUT,
            "never recorded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    pool.close().await;
    drop(crashing);

    let restarted = BotProcess::start_with(&fake.base_url(), &["--database-url", &db], &[]);
    let message_id = message["id"].as_str().unwrap_or_default();
    let edit = fake
        .expect("PATCH", &format!("/channels/*/messages/{message_id}"))
        .await;
    assert_eq!(
        edit.json()["embeds"][0]["title"],
        "Quiz interrupted",
        "{}",
        edit.json()
    );
    assert!(buttons(edit.json()).iter().all(|b| b["disabled"] == true));
    fake.assert_no_violations();
    drop(restarted);
}

/// Where the bot cannot post embeds (or in a thread, send messages in threads), a quiz
/// is refused privately, naming what is missing, and nothing is posted.
#[tokio::test]
async fn a_quiz_where_the_bot_cannot_post_is_refused_naming_the_permission() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, _clock) = started(&db).await;
    let host = Who::member(2001, "host");
    let embed_links = 1u64 << 14;
    let mut no_embeds = start_quiz(&host);
    no_embeds["app_permissions"] = json!((payloads::BOT_PERMISSIONS & !embed_links).to_string());
    let body = fake.answer(no_embeds).await;
    assert!(is_ephemeral(&body), "{body}");
    assert!(said(&body).contains("Embed Links"), "{body}");
    let mut whosaid = payloads::slash_command(&host, "whosaid", Value::Null);
    whosaid["app_permissions"] = json!((payloads::BOT_PERMISSIONS & !embed_links).to_string());
    let body = fake.answer(whosaid).await;
    assert!(
        is_ephemeral(&body) && said(&body).contains("Embed Links"),
        "{body}"
    );
    // A thread takes Send Messages in Threads (bit 38), which the bot lacks here.
    let mut in_thread = start_quiz(&host);
    in_thread["channel"]["type"] = json!(11);
    let body = fake.answer(in_thread).await;
    assert!(said(&body).contains("Send Messages in Threads"), "{body}");
    fake.expect_none(
        "POST",
        "/channels/*/messages",
        std::time::Duration::from_millis(300),
    )
    .await;
    fake.assert_no_violations();
    bot.stop().await;
}

/// A question post that fails is tried again with the same nonce, which Discord
/// enforces: a post that went through before the failure was seen is not repeated.
#[tokio::test]
async fn a_retried_question_post_carries_the_same_enforced_nonce() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, _clock) = started(&db).await;
    let host = Who::member(2001, "host");
    fake.fail_next("POST", "/channels/*/messages", support::Fault::Status(500));
    fake.answer(start_quiz(&host)).await;
    let failed = fake.expect("POST", "/channels/*/messages").await;
    let (retried, _) = next_question(&fake).await;
    assert_eq!(failed.status, 500);
    assert_eq!(retried.status, 200);
    let nonce = &retried.json()["nonce"];
    assert!(nonce.is_string(), "{}", retried.json());
    assert_eq!(&failed.json()["nonce"], nonce);
    assert_eq!(retried.json()["enforce_nonce"], true);

    let stop = payloads::subcommand(&host, "quiz", "stop", Value::Null);
    fake.answer(stop).await;
    let podium = fake.expect("POST", "/channels/*/messages").await;
    assert!(podium.json()["nonce"].is_string());
    assert_ne!(&podium.json()["nonce"], nonce, "each message its own nonce");
    fake.assert_no_violations();
    bot.stop().await;
}

/// On shutdown (SIGTERM, Ctrl-C) the open question is revealed with the answers given
/// so far, which count, and the quiz ends with its standings; only then does the
/// gateway close.
#[tokio::test]
async fn a_shutdown_closes_the_open_question_and_ends_the_quiz() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, _clock) = started(&db).await;
    let host = Who::member(2001, "host");
    fake.answer(start_quiz(&host)).await;
    let (_, message) = next_question(&fake).await;
    let option = buttons(&message)[0]["custom_id"]
        .as_str()
        .expect("a custom_id")
        .to_string();
    let alice = Who::member(2002, "alice");
    fake.answer(payloads::button_click_on(&alice, message.clone(), &option))
        .await;

    bot.stop().await;
    let reveal = fake.expect("PATCH", "/channels/*/messages/*").await;
    let fields = reveal.json()["embeds"][0]["fields"].to_string();
    assert!(fields.contains("Got it right"), "{fields}");
    let end = fake.expect("POST", "/channels/*/messages").await;
    let end = &end.json()["embeds"][0];
    assert_eq!(end["title"], "Quiz over", "{end}");
    assert!(end["description"].to_string().contains("restart"), "{end}");
    fake.assert_no_violations();
}

#[tokio::test]
async fn names_show_as_written_and_members_by_their_nickname_in_the_server() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, clock) = started(&db).await;
    let host = Who::member(2001, "host");
    fake.answer(start_quiz(&host)).await;
    let (_, message) = next_question(&fake).await;
    let first = buttons(&message)[0]["custom_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Two members whose global names are equal, told apart by their nicknames here.
    let players = [
        (Who::member(2002, "john_doe"), None),
        (Who::member(2003, "**bold**"), None),
        (Who::member(2004, "<@6001> hi"), None),
        (Who::member(2005, "Sam"), Some("Sam the mod")),
        (Who::member(2006, "Sam"), Some("rtl\u{202E}gnp.exe")),
    ];
    for (who, nick) in &players {
        let mut click = payloads::button_click_on(who, message.clone(), &first);
        if let Some(nick) = nick {
            click["member"]["nick"] = json!(nick);
        }
        assert!(said(&fake.answer(click).await).contains("Locked in"));
    }
    clock.advance(Duration::seconds(SECONDS));
    let reveal = fake.expect("PATCH", "/channels/*/messages/*").await;
    let fields = reveal.json()["embeds"][0]["fields"].clone();
    let top = fields
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == "Top 5")
        .and_then(|f| f["value"].as_str())
        .unwrap_or_default()
        .to_string();
    let board = fake
        .answer(payloads::slash_command(&host, "leaderboard", Value::Null))
        .await;
    let board = said(&board);
    // Markdown escaped, so each shows exactly as typed; nothing that garbles a line.
    for shown in [
        "john\\_doe",
        "\\*\\*bold\\*\\*",
        "\\<\\@6001\\> hi",
        "Sam the mod",
        "rtlgnp.exe",
    ] {
        assert!(top.contains(shown), "{shown} in {top}");
        assert!(board.contains(shown), "{shown} in {board}");
    }
    assert!(!top.contains('\u{202E}') && !board.contains('\u{202E}'));
    fake.assert_no_violations();
    bot.stop().await;
}

/// The channel refuses the first question (permissions changed under the bot): the
/// quiz ends, nothing more is posted, and the starter is told why, privately.
#[tokio::test]
async fn a_refused_first_question_ends_the_quiz_and_tells_the_starter() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, hand) = started(&db).await;
    fake.fail_next("POST", "/channels/*/messages", support::Fault::Status(403));
    let host = Who::member(2001, "host");
    let start = start_quiz(&host);
    let body = fake.answer(start.clone()).await;
    assert!(!is_ephemeral(&body), "the start is public: {body}");
    let refused = fake.expect("POST", "/channels/*/messages").await;
    assert_eq!(refused.status, 403);
    let told = fake.expect("POST", &payloads::webhook_path(&start)).await;
    let note = told.json();
    assert_eq!(note["flags"], 64, "{note}");
    assert!(
        note["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Embed Links"),
        "{note}"
    );
    hand.advance(Duration::seconds(60));
    fake.expect_none(
        "POST",
        "/channels/*/messages",
        std::time::Duration::from_millis(300),
    )
    .await;
    fake.assert_no_violations();
    bot.stop().await;
}

/// The custom_id of the button labelled `label` in a message body.
fn button_id(message: &Value, label: &str) -> String {
    buttons(message)
        .iter()
        .find(|b| b["label"] == label)
        .and_then(|b| b["custom_id"].as_str())
        .unwrap_or_else(|| panic!("no button {label}: {message}"))
        .to_string()
}

/// The host presses `label` on their panel, the private answer `panel` (a callback
/// body) to their command: the panel as it comes back.
async fn press(fake: &FakeDiscord, host: &Who, panel: &Value, label: &str) -> Value {
    let message = payloads::reply_message(host, "quiz", payloads::snowflake(), &panel["data"]);
    let click = payloads::button_click_on(host, message, &button_id(&panel["data"], label));
    let body = fake.answer(click).await;
    assert_eq!(body["type"], 7, "the panel itself is updated: {body}");
    body
}

/// A trivia night: `pace:host` answers the host with a private panel, the channel hears
/// of the quiz from a post, and the panel's buttons reveal the open question early, ask
/// the next one and end the quiz. Each press updates the panel through its own fresh
/// interaction, never by a late edit of the panel.
#[tokio::test]
async fn a_host_paced_quiz_is_driven_by_its_private_panel() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("quiz.db").display());
    let (fake, bot, clock) = started(&db).await;
    let host = Who::member(2001, "host");
    let alice = Who::member(2002, "alice");
    let start = payloads::subcommand(
        &host,
        "quiz",
        "start",
        json!([
            payloads::int_opt("questions", QUESTIONS as i64),
            payloads::int_opt("seconds", SECONDS),
            payloads::string_opt("pace", "host"),
        ]),
    );
    let panel = fake.answer(start).await;
    assert_eq!(panel["type"], 4, "{panel}");
    assert!(
        is_ephemeral(&panel),
        "only the host sees the panel: {panel}"
    );
    assert!(said(&panel).starts_with("Your quiz controls"), "{panel}");
    let announced = fake.expect("POST", "/channels/*/messages").await;
    let announced = announced.json()["embeds"][0]["description"].to_string();
    assert!(announced.contains("host-paced quiz"), "{announced}");
    let (_, question) = next_question(&fake).await;
    let option = buttons(&question)[0]["custom_id"]
        .as_str()
        .expect("a custom_id")
        .to_string();
    let locked = fake
        .answer(payloads::button_click_on(&alice, question.clone(), &option))
        .await;
    assert!(said(&locked).contains("Locked in"), "{locked}");

    let panel = press(&fake, &host, &panel, "Reveal now").await;
    assert!(said(&panel).contains("Question 1 revealed."), "{panel}");
    let reveal = fake.expect("PATCH", "/channels/*/messages/*").await;
    let question_id = question["id"].as_str().unwrap_or_default();
    assert!(reveal.path.ends_with(question_id), "{}", reveal.path);
    assert!(buttons(reveal.json()).iter().all(|b| b["disabled"] == true));
    // However long the room talks it over, the next question waits for the host.
    clock.advance(Duration::seconds(120));
    fake.expect_none(
        "POST",
        "/channels/*/messages",
        std::time::Duration::from_millis(300),
    )
    .await;

    let panel = press(&fake, &host, &panel, "Next question").await;
    assert!(said(&panel).contains("On to the next question."), "{panel}");
    let (post, _) = next_question(&fake).await;
    let title = post.json()["embeds"][0]["title"].to_string();
    assert!(title.contains("Question 2 of 5"), "{title}");

    let panel = press(&fake, &host, &panel, "End").await;
    assert!(said(&panel).contains("You ended the quiz."), "{panel}");
    assert!(
        buttons(&panel["data"])
            .iter()
            .all(|b| b["disabled"] == true),
        "{panel}"
    );
    fake.expect("PATCH", "/channels/*/messages/*").await;
    let podium = fake.expect("POST", "/channels/*/messages").await;
    assert_eq!(podium.json()["embeds"][0]["title"], "Quiz stopped");
    fake.assert_no_violations();
    bot.stop().await;
}
