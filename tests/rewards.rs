//! Role rewards: the ledger on each backend (a role owed once from the reveal that
//! reaches its threshold, until Discord gave it), and end to end against the fake
//! Discord: the role given at the crossing reveal and named in it, a failed grant
//! tried again at the player's next reveal, and `/rewards add` naming what keeps the
//! bot from giving a role.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use support::bot::InProcessBot;
use support::databases::TestDb;
use support::payloads::{self, BOT_ROLE_ID, CHANNEL_ID, GUILD_ID, Who, is_ephemeral, said};
use support::{FakeDiscord, Fault};

use feudbot::clock::{Clock, ManualClock};
use feudbot::quiz::{AnswerResult, QuestionResults, Save, UnixMillis};
use feudbot::store::{Earned, Reward, Store};

on_both_backends!(
    a_role_is_owed_once_from_the_reveal_that_reaches_it_until_it_is_given,
    rewards_are_listed_by_threshold_changed_in_place_and_removed_with_their_ledger,
);

const GUILD: u64 = 1;
const ROLE: u64 = 50;
/// Friday 14 February 2025, 15:00 UTC.
const NOW: UnixMillis = UnixMillis(1_739_545_200_000);

fn results(quiz_id: u64, answers: &[(u64, u32)]) -> Save {
    Save::Results(QuestionResults {
        quiz_id,
        guild_id: GUILD,
        channel_id: 10,
        started_at: NOW,
        question: 1,
        at: NOW,
        answers: answers
            .iter()
            .map(|&(user_id, points)| AnswerResult {
                user_id,
                user_name: format!("player{user_id}"),
                correct: points > 0,
                points,
                streak: u32::from(points > 0),
            })
            .collect(),
    })
}

fn earned(user_id: u64, role_id: u64, points: u64, first: bool) -> Earned {
    Earned {
        user_id,
        role_id,
        points,
        first,
    }
}

async fn a_role_is_owed_once_from_the_reveal_that_reaches_it_until_it_is_given(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let rewards = store.rewards();
    assert_eq!(rewards.add(GUILD, ROLE, 1000).await.unwrap(), None);
    // Another server's reward is not this one's.
    rewards.add(2, 60, 1).await.unwrap();

    store.save(&results(1, &[(7, 600), (8, 0)])).await.unwrap();
    assert_eq!(rewards.owed(GUILD, &[7, 8], NOW).await.unwrap(), []);

    store
        .save(&results(2, &[(7, 400), (8, 900)]))
        .await
        .unwrap();
    let owed = rewards.owed(GUILD, &[7, 8], NOW).await.unwrap();
    assert_eq!(
        owed,
        [earned(7, ROLE, 1000, true)],
        "exactly at the threshold"
    );

    // Not given yet (the grant failed, or never came back): owed again, not announced.
    assert_eq!(rewards.tried(GUILD, 7, ROLE, false).await.unwrap(), 1);
    let owed = rewards.owed(GUILD, &[7], NOW).await.unwrap();
    assert_eq!(owed, [earned(7, ROLE, 1000, false)]);
    // A reveal player 7 is not in owes them nothing.
    assert_eq!(rewards.owed(GUILD, &[8], NOW).await.unwrap(), []);

    assert_eq!(rewards.tried(GUILD, 7, ROLE, true).await.unwrap(), 2);
    store.save(&results(3, &[(7, 1000)])).await.unwrap();
    assert_eq!(
        rewards.owed(GUILD, &[7], NOW).await.unwrap(),
        [],
        "given once"
    );
    assert_eq!(rewards.owed(GUILD, &[], NOW).await.unwrap(), []);
}

async fn rewards_are_listed_by_threshold_changed_in_place_and_removed_with_their_ledger(
    db: TestDb,
) {
    let store = Store::open(&db.url).await.unwrap();
    let rewards = store.rewards();
    rewards.add(GUILD, 51, 5000).await.unwrap();
    rewards.add(GUILD, ROLE, 1000).await.unwrap();
    assert_eq!(rewards.add(GUILD, 51, 3000).await.unwrap(), Some(5000));
    assert_eq!(
        rewards.list(GUILD).await.unwrap(),
        [
            Reward {
                role_id: ROLE,
                points: 1000
            },
            Reward {
                role_id: 51,
                points: 3000
            }
        ]
    );
    assert_eq!(rewards.list(2).await.unwrap(), []);

    store.save(&results(1, &[(7, 1000)])).await.unwrap();
    rewards.owed(GUILD, &[7], NOW).await.unwrap();
    rewards.tried(GUILD, 7, ROLE, true).await.unwrap();
    assert!(rewards.remove(GUILD, ROLE).await.unwrap());
    assert!(!rewards.remove(GUILD, ROLE).await.unwrap());
    assert_eq!(
        rewards.tried(GUILD, 7, ROLE, true).await.unwrap(),
        0,
        "gone"
    );
    // Added again, it is given afresh.
    rewards.add(GUILD, ROLE, 1000).await.unwrap();
    let owed = rewards.owed(GUILD, &[7], NOW).await.unwrap();
    assert_eq!(owed, [earned(7, ROLE, 1000, true)]);
}

// ---- end to end, against the fake Discord ----

/// A role the bot may give: below its own.
const REGULAR: u64 = 1_300_000_000_000_000_301;
/// A role above the bot's.
const MODERATOR: u64 = 1_300_000_000_000_000_302;
const MANAGE_ROLES: u64 = 1 << 28;

fn start_time() -> DateTime<Utc> {
    DateTime::from_timestamp(1_770_000_000, 0).expect("a valid time")
}

/// The fake's server with two more roles, Regular below the bot's role and Moderator
/// above it, the bot's role holding Manage Roles when `manage_roles`, and `players` as
/// members.
fn server(fake: &FakeDiscord, manage_roles: bool, players: &[&Who]) {
    fake.configure(|world| {
        let guild = world.guilds.get_mut(&GUILD_ID).expect("the fake's guild");
        let roles = guild["roles"].as_array_mut().expect("roles");
        let mut regular = roles[1].clone();
        regular["id"] = json!(REGULAR.to_string());
        regular["name"] = json!("Regular");
        regular["managed"] = json!(false);
        regular["permissions"] = json!("0");
        regular["position"] = json!(1);
        regular.as_object_mut().expect("a role").remove("tags");
        let mut moderator = regular.clone();
        moderator["id"] = json!(MODERATOR.to_string());
        moderator["name"] = json!("Moderator");
        moderator["position"] = json!(3);
        let bot = roles
            .iter_mut()
            .find(|r| r["id"] == json!(BOT_ROLE_ID.to_string()))
            .expect("the bot's role");
        bot["position"] = json!(2);
        if manage_roles {
            bot["permissions"] = json!((payloads::BOT_PERMISSIONS | MANAGE_ROLES).to_string());
        }
        roles.push(regular);
        roles.push(moderator);
        for who in players {
            world.members.insert(
                (GUILD_ID, who.user_id),
                payloads::member(who.user_json(), &[], payloads::EVERYONE_PERMISSIONS),
            );
        }
    });
}

fn rewards_add(admin: &Who, role: u64, points: i64) -> Value {
    payloads::subcommand(
        admin,
        "rewards",
        "add",
        json!([
            {"name": "role", "type": 8, "value": role.to_string()},
            payloads::int_opt("points", points),
        ]),
    )
}

async fn started(db: &str) -> (FakeDiscord, InProcessBot, std::sync::Arc<ManualClock>) {
    let fake = FakeDiscord::start().await;
    let (clock, hand) = Clock::manual(start_time());
    let bot = InProcessBot::start(&fake.base_url(), db, clock);
    fake.wait_identify().await;
    fake.expect("PUT", "/applications/*/commands").await;
    (fake, bot, hand)
}

/// A `/whosaid` by `who`, answered right by `who` at once (1000 points) or wrong; its
/// reveal, once its time is up.
async fn whosaid(
    fake: &FakeDiscord,
    bot: &InProcessBot,
    clock: &ManualClock,
    who: &Who,
    right: bool,
) -> Value {
    fake.answer(payloads::slash_command(who, "whosaid", Value::Null))
        .await;
    let post = fake.expect("POST", "/channels/*/messages").await;
    let message = post.response.clone().expect("the posted message");
    let right_option = bot
        .app()
        .inspect_game(CHANNEL_ID, |s| s.question().answer)
        .expect("the question is open");
    let option = if right {
        right_option
    } else {
        1 - right_option.min(1)
    };
    let custom_id = message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .nth(option)
        .expect("an answer button");
    let locked = fake
        .answer(payloads::button_click_on(who, message, &custom_id))
        .await;
    assert!(said(&locked).contains("Locked in"), "{locked}");
    clock.advance(Duration::seconds(i64::from(feudbot::quiz::WHOSAID_SECONDS)));
    let reveal = fake.expect("PATCH", "/channels/*/messages/*").await;
    // The next /whosaid may start once the channel's cooldown is over.
    clock.advance(Duration::milliseconds(
        feudbot::quiz::WHOSAID_COOLDOWN_MS as i64 + 1000,
    ));
    reveal.json().clone()
}

/// The reveal's field naming who earned which role, if it has one.
fn rewards_field(reveal: &Value) -> Option<String> {
    reveal["embeds"][0]["fields"]
        .as_array()?
        .iter()
        .find(|f| f["name"] == "Role rewards")
        .and_then(|f| f["value"].as_str())
        .map(str::to_string)
}

#[tokio::test]
async fn a_role_is_given_at_the_reveal_that_reaches_its_threshold_and_named_in_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("rewards.db").display());
    let (fake, bot, clock) = started(&db).await;
    let admin = Who::member(2001, "admin");
    let alice = Who::member(2002, "alice");
    server(&fake, true, &[&alice]);

    let body = fake.answer(rewards_add(&admin, REGULAR, 1500)).await;
    assert!(said(&body).contains("Role reward set"), "{body}");
    assert!(said(&body).contains(&format!("<@&{REGULAR}>")), "{body}");
    let list = fake
        .answer(payloads::subcommand(&admin, "rewards", "list", Value::Null))
        .await;
    assert!(
        said(&list).contains(&format!("**1500** points → <@&{REGULAR}>")),
        "{list}"
    );

    // 1000 points: not yet.
    let reveal = whosaid(&fake, &bot, &clock, &alice, true).await;
    assert_eq!(rewards_field(&reveal), None, "{reveal}");
    fake.expect_none(
        "PUT",
        "/guilds/*/members/*/roles/*",
        std::time::Duration::from_millis(200),
    )
    .await;

    // 2000 points: this reveal crossed 1500.
    let reveal = whosaid(&fake, &bot, &clock, &alice, true).await;
    assert_eq!(
        rewards_field(&reveal).as_deref(),
        Some(format!("🏅 <@{}> earned <@&{REGULAR}> (1500 points)", alice.user_id).as_str()),
        "{reveal}"
    );
    let grant = fake.expect("PUT", "/guilds/*/members/*/roles/*").await;
    assert_eq!(
        grant.path,
        format!(
            "/guilds/{GUILD_ID}/members/{}/roles/{REGULAR}",
            alice.user_id
        )
    );
    assert_eq!(grant.status, 204);
    // Mentions in the reveal ping nobody, roles included.
    let mentions = &reveal["allowed_mentions"];
    assert!(
        mentions.is_null() || mentions["parse"] == json!([]),
        "{mentions}"
    );

    // Given once: the next reveal neither names nor gives it again.
    let reveal = whosaid(&fake, &bot, &clock, &alice, false).await;
    assert_eq!(rewards_field(&reveal), None, "{reveal}");
    fake.expect_none(
        "PUT",
        "/guilds/*/members/*/roles/*",
        std::time::Duration::from_millis(200),
    )
    .await;
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn a_refused_grant_is_tried_again_at_the_players_next_reveal() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("rewards.db").display());
    let (fake, bot, clock) = started(&db).await;
    let admin = Who::member(2001, "admin");
    let alice = Who::member(2002, "alice");
    server(&fake, true, &[&alice]);
    fake.answer(rewards_add(&admin, REGULAR, 1000)).await;

    fake.fail_next("PUT", "/guilds/*/members/*/roles/*", Fault::Status(403));
    let reveal = whosaid(&fake, &bot, &clock, &alice, true).await;
    assert!(rewards_field(&reveal).is_some(), "{reveal}");
    let refused = fake.expect("PUT", "/guilds/*/members/*/roles/*").await;
    assert_eq!(refused.status, 403);

    // A wrong answer is still a reveal of hers: the role is tried again, unannounced.
    let reveal = whosaid(&fake, &bot, &clock, &alice, false).await;
    assert_eq!(rewards_field(&reveal), None, "{reveal}");
    let given = fake.expect("PUT", "/guilds/*/members/*/roles/*").await;
    assert_eq!(given.status, 204);
    assert_eq!(refused.path, given.path);
    fake.assert_no_violations();
    bot.stop().await;
}

#[tokio::test]
async fn rewards_add_names_a_missing_manage_roles_and_a_role_above_the_bots() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = format!("sqlite://{}", dir.path().join("rewards.db").display());
    let (fake, bot, _clock) = started(&db).await;
    let admin = Who::member(2001, "admin");
    server(&fake, false, &[]);

    let body = fake.answer(rewards_add(&admin, REGULAR, 1000)).await;
    assert!(is_ephemeral(&body), "{body}");
    let text = said(&body);
    assert!(
        text.starts_with(&format!(
            "I can't give <@&{REGULAR}>: I'm missing **Manage Roles** in this server."
        )),
        "{text}"
    );
    assert!(!text.contains("highest"), "only what is missing: {text}");
    assert!(
        text.contains("Server Settings → Roles"),
        "how to fix it: {text}"
    );

    let body = fake.answer(rewards_add(&admin, MODERATOR, 1000)).await;
    let text = said(&body);
    assert!(
        text.contains("**Manage Roles**")
            && text.contains(&format!(
                "<@&{MODERATOR}> is not below my highest role, <@&{BOT_ROLE_ID}>."
            )),
        "{text}"
    );

    // The bot's own role is managed by Discord: nobody gives it.
    let body = fake.answer(rewards_add(&admin, BOT_ROLE_ID, 1000)).await;
    assert!(said(&body).contains("integration"), "{body}");

    // Nothing was set.
    let list = fake
        .answer(payloads::subcommand(&admin, "rewards", "list", Value::Null))
        .await;
    assert!(said(&list).contains("no roles for points yet"), "{list}");
    fake.assert_no_violations();
    bot.stop().await;
}
