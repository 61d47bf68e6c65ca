//! Several `feudbot` processes on one database, as a fleet runs them: real processes,
//! the fake Discord serving four shards, a real PostgreSQL database (these tests are
//! skipped, saying so, without `FEUDBOT_TEST_POSTGRES`; see `tests/support/databases.rs`).
//!
//! Each process runs a range of shards and only its servers; a second process for the
//! same shards waits, touching nothing, and takes over when the first stops or dies.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use feudbot::daily::{DailySchedule, LocalTime};
use serde_json::{Value, json};
use support::bot::BotProcess;
use support::databases::TestDb;
use support::payloads::{self, Place, Who};
use support::{FakeDiscord, World, eventually};

const SHARD_COUNT: u32 = 4;

/// A server id on `shard` of [`SHARD_COUNT`]: `n` tells servers on one shard apart.
fn guild_on(shard: u32, n: u64) -> u64 {
    ((1_000 + n) * u64::from(SHARD_COUNT) + u64::from(shard)) << 22
}

/// The text channel of server `guild_id` (one per server).
fn channel_of(guild_id: u64) -> u64 {
    guild_id + 1
}

/// Adds servers' text channels to the fake's world, like its default channel.
fn add_channels(fake: &FakeDiscord, guilds: &[u64]) {
    let default = World::default();
    let template = default
        .channels
        .values()
        .next()
        .cloned()
        .expect("the default world has a channel");
    fake.configure(|world| {
        for &guild in guilds {
            let mut channel = template.clone();
            channel["id"] = json!(channel_of(guild).to_string());
            channel["guild_id"] = json!(guild.to_string());
            world.channels.insert(channel_of(guild), channel);
        }
    });
}

/// A member of server `guild_id`, in its channel.
fn member_of(guild_id: u64, user_id: u64) -> Who {
    Who {
        place: Place::Guild {
            guild_id,
            channel_id: channel_of(guild_id),
        },
        ..Who::member(user_id, "player")
    }
}

/// `feudbot run` for `shards` of [`SHARD_COUNT`] on the database `url`.
fn process(fake: &FakeDiscord, url: &str, shards: &str) -> BotProcess {
    let count = SHARD_COUNT.to_string();
    BotProcess::start(
        &fake.base_url(),
        &[
            ("DATABASE_URL", url),
            ("SHARD_COUNT", &count),
            ("SHARDS", shards),
        ],
    )
}

/// Waits until exactly `shards` are connected.
async fn wait_shards(fake: &FakeDiscord, shards: &[u32], logs: impl Fn() -> String) {
    assert!(
        eventually(Duration::from_secs(10), || fake.connected_shards()
            == shards)
        .await,
        "connected: {:?}, wanted {shards:?}\n{}",
        fake.connected_shards(),
        logs()
    );
}

/// Sets a daily post in each of `guilds`, due five minutes ago (so owed at start).
async fn owed_daily_posts(url: &str, guilds: &[u64]) {
    let store = feudbot::store::Store::open(url)
        .await
        .expect("the database");
    let now = Utc::now();
    let due = (now - TimeDelta::minutes(5)).format("%H:%M").to_string();
    for &guild in guilds {
        let schedule = DailySchedule {
            channel_id: channel_of(guild),
            time: LocalTime::from_str(&due).expect("a time"),
            zone: chrono_tz::UTC,
            paused: None,
            recap: false,
        };
        store
            .daily()
            .set(guild, &schedule, now - TimeDelta::hours(1))
            .await
            .expect("the schedule is saved");
    }
}

/// How many messages the bot posted in each channel of `guilds`.
fn posts_by_channel(fake: &FakeDiscord, guilds: &[u64]) -> BTreeMap<u64, usize> {
    let calls = fake.calls();
    guilds
        .iter()
        .map(|&guild| {
            let path = format!("/channels/{}/messages", channel_of(guild));
            let posts = calls
                .iter()
                .filter(|call| call.method == "POST" && call.path.ends_with(&path))
                .count();
            (channel_of(guild), posts)
        })
        .collect()
}

/// Two processes, shards 0-1 and 2-3 of 4, on one PostgreSQL database: each answers
/// the commands of its own servers' shards, quizzes run at once on both, and each
/// server's daily post goes out exactly once.
#[tokio::test]
async fn two_processes_split_the_shards_and_each_server_is_served_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    // Two servers per shard, each with a daily post owed.
    let guilds: Vec<u64> = (0..SHARD_COUNT)
        .flat_map(|shard| [guild_on(shard, 1), guild_on(shard, 2)])
        .collect();
    db.open().await;
    owed_daily_posts(&db.url, &guilds).await;
    let fake = FakeDiscord::start().await;
    fake.set_shard_count(SHARD_COUNT);
    add_channels(&fake, &guilds);

    let low = process(&fake, &db.url, "0-1");
    let high = process(&fake, &db.url, "2-3");
    let logs = || format!("0-1:\n{}\n2-3:\n{}", low.logs(), high.logs());
    wait_shards(&fake, &[0, 1, 2, 3], logs).await;
    assert_eq!(fake.identify_count(), 4, "one connection per shard");

    // Every server's post, exactly once, by whichever process runs its shard.
    assert!(
        eventually(Duration::from_secs(10), || posts_by_channel(&fake, &guilds)
            .values()
            .all(|&n| n == 1))
        .await,
        "{:?}\n{}",
        posts_by_channel(&fake, &guilds),
        logs()
    );

    // A lookup in a server on each shard: answered once (its shard's connection is
    // the only one that receives it).
    for shard in 0..SHARD_COUNT {
        let who = member_of(guild_on(shard, 1), 3000 + u64::from(shard));
        let lookup = payloads::slash_command(&who, "about", Value::Null);
        fake.send_interaction(lookup.clone()).await;
        let callback = fake.expect("POST", &payloads::callback_path(&lookup)).await;
        assert_eq!(callback.json()["type"], 4, "{}", callback.json());
    }

    // Quizzes at once in a server of each process.
    for guild in [guild_on(1, 1), guild_on(3, 1)] {
        let start = payloads::subcommand(
            &member_of(guild, 4000),
            "quiz",
            "start",
            json!([payloads::int_opt("questions", 3)]),
        );
        fake.send_interaction(start.clone()).await;
        fake.expect("POST", &payloads::callback_path(&start)).await;
        fake.expect("POST", &format!("/channels/{}/messages", channel_of(guild)))
            .await;
    }
    assert!(posts_by_channel(&fake, &guilds).values().all(|&n| n <= 2));

    // A process counting the shards another way is refused while this fleet runs.
    let refused = tokio::process::Command::new(env!("CARGO_BIN_EXE_feudbot"))
        .args(["run", "--no-wait", "--shard-count", "2", "--shards", "0-1"])
        .env_clear()
        .env("DISCORD_API_BASE", fake.base_url())
        .env("DISCORD_TOKEN", support::bot::token())
        .env("DATABASE_URL", &db.url)
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(said.contains("running SHARD_COUNT=4"), "{said}");
    fake.assert_no_violations();
}

/// A standby for shards 0-1 waits while their owner runs, touching no quiz and no
/// post; when the owner dies (kill -9) it connects them within 10 s and closes the
/// dead one's open question as interrupted; a third takes over from it on SIGTERM.
/// No daily post goes out twice.
#[tokio::test]
async fn a_standby_takes_over_dead_or_stopped_owners_shards_and_nothing_goes_out_twice() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let guilds: Vec<u64> = (0..SHARD_COUNT).map(|shard| guild_on(shard, 1)).collect();
    db.open().await;
    owed_daily_posts(&db.url, &guilds).await;
    let fake = FakeDiscord::start().await;
    fake.set_shard_count(SHARD_COUNT);
    add_channels(&fake, &guilds);

    let owner = process(&fake, &db.url, "0-1");
    let _high = process(&fake, &db.url, "2-3");
    wait_shards(&fake, &[0, 1, 2, 3], || owner.logs()).await;
    assert!(
        eventually(Duration::from_secs(10), || posts_by_channel(&fake, &guilds)
            .values()
            .all(|&n| n == 1))
        .await,
        "{:?}",
        posts_by_channel(&fake, &guilds)
    );
    for &guild in &guilds {
        fake.expect("POST", &format!("/channels/{}/messages", channel_of(guild)))
            .await;
    }
    // A quiz on shard 0, its first question up.
    let quiz_guild = guild_on(0, 1);
    let start = payloads::subcommand(
        &member_of(quiz_guild, 4000),
        "quiz",
        "start",
        json!([
            payloads::int_opt("questions", 5),
            payloads::int_opt("seconds", 60)
        ]),
    );
    fake.send_interaction(start.clone()).await;
    fake.expect("POST", &payloads::callback_path(&start)).await;
    let question = fake
        .expect(
            "POST",
            &format!("/channels/{}/messages", channel_of(quiz_guild)),
        )
        .await;
    let message_id = question.response.clone().expect("the message")["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let standby = process(&fake, &db.url, "0-1");
    assert!(
        eventually(Duration::from_secs(10), || standby
            .logs()
            .contains("waiting for it to stop"))
        .await,
        "{}",
        standby.logs()
    );
    let said = standby.logs();
    assert!(
        said.contains(&format!("(pid {}, since ", owner.id())) && said.contains("shard 0"),
        "names the holder, pid {}: {said}",
        owner.id()
    );
    fake.expect_none(
        "PATCH",
        &format!("/channels/*/messages/{message_id}"),
        Duration::from_millis(500),
    )
    .await;
    assert_eq!(fake.identify_count(), 4, "the standby waits, unconnected");

    drop(owner); // SIGKILL
    let killed = std::time::Instant::now();
    assert!(
        eventually(Duration::from_secs(10), || fake.identify_count() == 6
            && fake.connected_shards() == [0, 1, 2, 3])
        .await,
        "{}",
        standby.logs()
    );
    assert!(killed.elapsed() < Duration::from_secs(10));
    let edit = fake
        .expect("PATCH", &format!("/channels/*/messages/{message_id}"))
        .await;
    assert_eq!(edit.json()["embeds"][0]["title"], "Quiz interrupted");

    // A rolling deploy: the next one waits, the standby stops (SIGTERM), it takes over.
    let next = process(&fake, &db.url, "0-1");
    assert!(
        eventually(Duration::from_secs(10), || next
            .logs()
            .contains("waiting for it to stop"))
        .await,
        "{}",
        next.logs()
    );
    let (status, logs) = standby.terminate().await;
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(
        eventually(Duration::from_secs(10), || fake.identify_count() == 8).await,
        "{}",
        next.logs()
    );
    wait_shards(&fake, &[0, 1, 2, 3], || next.logs()).await;
    assert_eq!(
        posts_by_channel(&fake, &guilds)
            .values()
            .copied()
            .collect::<Vec<_>>(),
        [2, 1, 1, 1],
        "one daily post per server, plus the quiz question on shard 0"
    );
    fake.assert_no_violations();
}
