//! Daily posts against the shipped dataset: what gets posted, the ledger across restarts
//! (on each backend: a SQLite file, a PostgreSQL database), the `/daily` commands as a
//! user sees them, and the core posting for several servers on a clock the test moves.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use feudbot::app::Input;
use feudbot::commands::{COMMANDS, ChannelRef, Invocation, Value};
use feudbot::daily::{
    DailySchedule, Fact, Fault, Next, PauseReason, PostKind, Rotation, Subject, after_failure,
    compose,
};
use feudbot::data::Dataset;
use feudbot::permissions::Permissions;
use feudbot::quiz::{AnswerResult, QuestionResults, Save, UnixMillis};
use feudbot::reply::{Reply, Text, TimeStyle};
use feudbot::store::{Claim, ClaimOutcome, Daily, Due, PostState, Shards};
use support::databases::TestDb;
use support::recorder::{Core, Done, response};

on_both_backends!(
    a_post_is_claimed_once_and_a_double_claim_is_refused,
    a_restart_after_sending_posts_nothing_more_that_day,
    a_restart_before_sending_sends_within_six_hours,
    a_post_more_than_six_hours_late_is_skipped_and_recorded,
    a_schedule_set_after_todays_time_starts_tomorrow,
    a_released_claim_is_the_next_attempt_and_a_pause_stops_posting,
    a_claim_never_released_is_taken_again_once_stale,
    the_core_posts_once_per_local_date_across_dst_and_restarts,
    a_weekly_recap_goes_out_on_mondays_once_and_not_for_an_empty_week,
);

fn data() -> std::sync::Arc<Dataset> {
    support::recorder::data()
}

/// Records `claim`'s post as sent, as message `message_id`.
async fn mark_sent(daily: Daily<'_>, claim: &Claim, message_id: u64, now: DateTime<Utc>) -> bool {
    let data = data();
    let post = compose(&data, claim.slot.date, &claim.rotation).unwrap();
    daily
        .mark_sent(claim, &post.subject.key(), post.rotation, message_id, now)
        .await
        .unwrap()
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn schedule(zone: &str, time: &str) -> DailySchedule {
    DailySchedule {
        channel_id: 500,
        time: time.parse().unwrap(),
        zone: zone.parse().unwrap(),
        paused: None,
        recap: false,
    }
}

const GUILD: u64 = 42;

// ---------------------------------------------------------------- what is posted

#[test]
fn a_day_with_an_event_gets_on_this_day() {
    let data = data();
    let rotation = Rotation::new(GUILD);
    let post = compose(&data, date("2026-02-14"), &rotation).unwrap();
    assert!(matches!(post.subject, Subject::OnThisDay(ref events) if events.len() == 1));
    assert_eq!(post.subject.key(), "onthisday:bid-rejected");
    assert_eq!(post.reply.title, "On this day in 2025…");
    assert!(
        post.reply
            .text
            .to_string()
            .starts_with("**OpenAI rejects Musk's offer**\n"),
        "{}",
        post.reply.text
    );
    assert!(
        post.reply
            .footer
            .as_deref()
            .unwrap()
            .starts_with("Source: ")
    );
    assert_eq!(post.reply.rows[0][0].label, "See the full event");
    assert_eq!(post.reply.rows[0][0].custom_id, "event:bid-rejected");
    assert_eq!(post.rotation, None, "on-this-day leaves the rotation alone");
    assert!(post.reply.violations().is_empty());
}

#[test]
fn only_day_precise_dates_count_as_on_this_day() {
    let data = data();
    let rotation = Rotation::new(GUILD);
    // 2024-12 (month precision) and 2015 (year) events never match a day.
    for day in 1..=31 {
        let post = compose(
            &data,
            NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
            &rotation,
        );
        if let Subject::OnThisDay(events) = post.unwrap().subject {
            assert!(events.iter().all(|e| e.date.day().is_some()));
            assert!(
                [11, 16].contains(&day),
                "{day}: only 2015-12-11 and 2024-12-16 are day-precise in December"
            );
        }
    }
}

#[test]
fn other_days_take_the_rotation_which_repeats_nothing_until_all_are_posted() {
    let data = data();
    let total = data.events().len() + data.quotes().len();
    let mut rotation = Rotation::new(GUILD);
    let quiet_day = date("2026-03-03");
    let mut cycles: Vec<Vec<String>> = Vec::new();
    for _ in 0..3 {
        let mut seen = Vec::new();
        for _ in 0..total {
            let post = compose(&data, quiet_day, &rotation).unwrap();
            assert!(matches!(post.subject, Subject::Fact(_)));
            assert!(post.reply.violations().is_empty(), "{:?}", post.reply);
            assert!(post.reply.footer.as_deref().unwrap().contains("Source: "));
            if let Subject::Fact(Fact::Event(event)) = post.subject {
                assert_eq!(
                    post.reply.rows[0][0].custom_id,
                    format!("event:{}", event.id)
                );
            }
            seen.push(post.subject.key());
            rotation = post.rotation.unwrap();
        }
        let distinct: HashSet<&String> = seen.iter().collect();
        assert_eq!(distinct.len(), total, "a cycle repeats nothing");
        cycles.push(seen);
    }
    assert_ne!(cycles[0], cycles[1], "each cycle is reshuffled");
    assert_ne!(cycles[1], cycles[2]);
    assert_ne!(
        cycles[0].last(),
        cycles[1].first(),
        "no repeat across the seam"
    );
    // Another server has another order.
    let other = compose(&data, quiet_day, &Rotation::new(43)).unwrap();
    let first = compose(&data, quiet_day, &Rotation::new(GUILD)).unwrap();
    assert_ne!(other.subject.key(), first.subject.key());
}

// ---------------------------------------------------------------- the ledger

async fn a_post_is_claimed_once_and_a_double_claim_is_refused(db: TestDb) {
    let store = db.open().await;
    let daily = store.daily();
    daily
        .set(
            GUILD,
            &schedule("UTC", "09:00"),
            utc("2025-06-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let slot = schedule("UTC", "09:00").slot_on(date("2025-06-01"));
    let now = utc("2025-06-01T09:00:00Z");
    let ClaimOutcome::Claimed(claim) = daily.claim(GUILD, PostKind::Fact, slot, now).await.unwrap()
    else {
        panic!("first claim refused");
    };
    assert_eq!(claim.attempt, 1);
    assert_eq!(claim.channel_id, 500);
    assert!(claim.nonce().len() <= 25, "{}", claim.nonce());
    assert_eq!(
        daily.claim(GUILD, PostKind::Fact, slot, now).await.unwrap(),
        ClaimOutcome::Taken(PostState::Claimed)
    );
    assert!(mark_sent(daily, &claim, 9001, now).await);
    assert_eq!(
        daily.claim(GUILD, PostKind::Fact, slot, now).await.unwrap(),
        ClaimOutcome::Taken(PostState::Sent)
    );
    // The database itself refuses a second row or reopening a sent post.
    let mut raw = db.connect().await;
    let duplicate = sqlx::query(
        "INSERT INTO daily_posts (guild_id, local_date, due_at, state, updated_at)
         VALUES (42, '2025-06-01', 0, 'claimed', 0)",
    )
    .execute(&mut raw)
    .await;
    assert!(duplicate.is_err(), "primary key");
    let reopen_sent = sqlx::query("UPDATE daily_posts SET state = 'released'")
        .execute(&mut raw)
        .await;
    assert!(reopen_sent.is_err(), "trigger");
}

async fn a_restart_after_sending_posts_nothing_more_that_day(db: TestDb) {
    let store = db.open().await;
    store
        .daily()
        .set(
            GUILD,
            &schedule("Europe/London", "09:00"),
            utc("2025-05-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let now = utc("2025-06-01T08:00:00Z"); // 09:00 BST
    let Due::Claimed(claim) = store
        .daily()
        .claim_due(GUILD, PostKind::Fact, now)
        .await
        .unwrap()
    else {
        panic!("not due");
    };
    assert_eq!(claim.slot.date, date("2025-06-01"));
    mark_sent(store.daily(), &claim, 1, now).await;
    let data = data();
    let post = compose(&data, claim.slot.date, &claim.rotation).unwrap();
    drop(store);

    let store = db.open().await;
    let later = utc("2025-06-01T08:30:00Z");
    let wakes = store.daily().startup(later, Shards::all(1)).await.unwrap();
    assert_eq!(wakes, [(GUILD, utc("2025-06-02T08:00:00Z"))]);
    assert_eq!(
        store
            .daily()
            .claim_due(GUILD, PostKind::Fact, later)
            .await
            .unwrap(),
        Due::Nothing
    );
    let last = store.daily().last_post(GUILD).await.unwrap().unwrap();
    assert_eq!(last.date, date("2025-06-01"));
    assert_eq!(last.subject, post.subject.key());
    // The rotation moved on (1 June has no event), and the restart kept it.
    let rotation = store.daily().rotation(GUILD).await.unwrap();
    assert_eq!(Some(rotation), post.rotation);
}

async fn a_restart_before_sending_sends_within_six_hours(db: TestDb) {
    let store = db.open().await;
    store
        .daily()
        .set(
            GUILD,
            &schedule("America/New_York", "09:00"),
            utc("2025-05-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let due = utc("2025-06-02T13:00:00Z"); // 09:00 EDT
    // Claimed, then the process died before sending.
    let Due::Claimed(claim) = store
        .daily()
        .claim_due(GUILD, PostKind::Fact, due)
        .await
        .unwrap()
    else {
        panic!("not due");
    };
    drop(store);

    let store = db.open().await;
    let now = due + TimeDelta::hours(6);
    let wakes = store.daily().startup(now, Shards::all(1)).await.unwrap();
    assert_eq!(
        wakes,
        [(GUILD, due)],
        "owed: queued at its time, so due at once"
    );
    let Due::Claimed(again) = store
        .daily()
        .claim_due(GUILD, PostKind::Fact, now)
        .await
        .unwrap()
    else {
        panic!("the interrupted post was not offered again");
    };
    assert_eq!(again.slot, claim.slot);
    assert_eq!(again.attempt, 2);
}

async fn a_post_more_than_six_hours_late_is_skipped_and_recorded(db: TestDb) {
    let store = db.open().await;
    store
        .daily()
        .set(
            GUILD,
            &schedule("Asia/Kolkata", "09:00"),
            utc("2025-05-01T00:00:00Z"),
        )
        .await
        .unwrap();
    drop(store);
    let due = utc("2025-06-02T03:30:00Z"); // 09:00 IST
    let store = db.open().await;
    let now = due + TimeDelta::hours(6) + TimeDelta::seconds(1);
    let wakes = store.daily().startup(now, Shards::all(1)).await.unwrap();
    assert_eq!(wakes, [(GUILD, utc("2025-06-03T03:30:00Z"))]);
    assert_eq!(
        store
            .daily()
            .state(GUILD, PostKind::Fact, date("2025-06-02"))
            .await
            .unwrap(),
        Some(PostState::Skipped)
    );
    assert_eq!(
        store
            .daily()
            .claim_due(GUILD, PostKind::Fact, now)
            .await
            .unwrap(),
        Due::Nothing
    );
    // The same rule holds when the queue itself runs late.
    let tomorrow = utc("2025-06-03T10:00:00Z");
    assert_eq!(
        store
            .daily()
            .claim_due(GUILD, PostKind::Fact, tomorrow)
            .await
            .unwrap(),
        Due::Nothing
    );
    assert_eq!(
        store
            .daily()
            .state(GUILD, PostKind::Fact, date("2025-06-03"))
            .await
            .unwrap(),
        Some(PostState::Skipped)
    );
}

async fn a_schedule_set_after_todays_time_starts_tomorrow(db: TestDb) {
    let store = db.open().await;
    let set_at = utc("2025-06-01T10:00:00Z");
    store
        .daily()
        .set(GUILD, &schedule("UTC", "09:00"), set_at)
        .await
        .unwrap();
    assert_eq!(
        store
            .daily()
            .claim_due(GUILD, PostKind::Fact, set_at)
            .await
            .unwrap(),
        Due::Nothing
    );
    let wakes = store
        .daily()
        .startup(set_at + TimeDelta::hours(1), Shards::all(1))
        .await
        .unwrap();
    assert_eq!(wakes, [(GUILD, utc("2025-06-02T09:00:00Z"))]);
}

async fn a_released_claim_is_the_next_attempt_and_a_pause_stops_posting(db: TestDb) {
    let store = db.open().await;
    let daily = store.daily();
    daily
        .set(
            GUILD,
            &schedule("UTC", "09:00"),
            utc("2025-06-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let now = utc("2025-06-01T09:00:00Z");
    let Due::Claimed(claim) = daily.claim_due(GUILD, PostKind::Fact, now).await.unwrap() else {
        panic!("not due");
    };
    // 502: retry later.
    let Next::RetryAt(retry) = after_failure(Fault::from_status(502, None), claim.attempt, now)
    else {
        panic!("no retry");
    };
    daily.release(&claim, now).await.unwrap();
    let Due::Claimed(second) = daily.claim_due(GUILD, PostKind::Fact, retry).await.unwrap() else {
        panic!("released claim not offered");
    };
    assert_eq!(second.attempt, 2);
    // 403: pause, no retry.
    let next = after_failure(Fault::from_status(403, None), second.attempt, retry);
    assert_eq!(next, Next::Pause(PauseReason::Forbidden));
    daily
        .pause(&second, PauseReason::Forbidden, retry)
        .await
        .unwrap();
    assert_eq!(
        daily.claim_due(GUILD, PostKind::Fact, retry).await.unwrap(),
        Due::NotScheduled
    );
    assert_eq!(daily.next_wake(GUILD, retry).await.unwrap(), None);
    assert!(
        daily
            .startup(retry, Shards::all(1))
            .await
            .unwrap()
            .is_empty()
    );
    let stored = daily.schedule(GUILD).await.unwrap().unwrap();
    assert_eq!(
        stored.schedule.paused,
        Some(PauseReason::Forbidden.to_string())
    );
    assert_eq!(
        daily
            .state(GUILD, PostKind::Fact, date("2025-06-01"))
            .await
            .unwrap(),
        Some(PostState::Skipped)
    );
    // /daily set again resumes.
    daily
        .set(GUILD, &schedule("UTC", "09:00"), retry)
        .await
        .unwrap();
    assert_eq!(
        daily.next_wake(GUILD, retry).await.unwrap(),
        Some(utc("2025-06-02T09:00:00Z"))
    );
}

// ---------------------------------------------------------------- the core posting

async fn the_core_posts_once_per_local_date_across_dst_and_restarts(db: TestDb) {
    let start = utc("2025-03-01T00:00:00Z");
    let core = Core::on(db, start);
    let zones = [
        (1, "America/New_York", "02:30"),
        (2, "Europe/London", "01:30"),
        (3, "Australia/Sydney", "02:30"),
        (4, "Asia/Kolkata", "09:00"),
        (5, "UTC", "00:00"),
    ];
    let store = core.app.store().await.unwrap();
    for (guild, zone, time) in zones {
        let schedule = DailySchedule {
            channel_id: guild * 100,
            ..schedule(zone, time)
        };
        store.daily().set(guild, &schedule, start).await.unwrap();
    }
    let leftovers = core.app.start(Shards::all(1)).await.unwrap();
    assert!(leftovers.is_empty(), "no quiz was left in flight");
    let mut done = core.run_until(utc("2025-03-20T00:00:00Z")).await;
    // A restart, then on through April's Sydney fall-back.
    let (core, after_restart) = core.restart().await;
    done.extend(after_restart);
    done.extend(core.run_until(utc("2025-04-10T00:00:00Z")).await);

    let mut per_guild: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for post in &done {
        if let Done::Post {
            channel_id, nonce, ..
        } = post
        {
            let nonce = nonce.clone();
            per_guild.entry(channel_id / 100).or_default().push(nonce);
        }
    }
    assert_eq!(per_guild.len(), zones.len());
    let store = core.app.store().await.unwrap();
    for (guild, nonces) in per_guild {
        let distinct: HashSet<&String> = nonces.iter().collect();
        assert_eq!(
            distinct.len(),
            nonces.len(),
            "guild {guild} posted a date twice"
        );
        let mut sent = Vec::new();
        let mut day = date("2025-02-28");
        while day <= date("2025-04-10") {
            if let Some(PostState::Sent) = store
                .daily()
                .state(guild, PostKind::Fact, day)
                .await
                .unwrap()
            {
                sent.push(day);
            }
            day = day.succ_opt().unwrap();
        }
        assert_eq!(
            sent.len(),
            nonces.len(),
            "guild {guild}: one post per date sent"
        );
        for pair in sent.windows(2) {
            assert_eq!(
                pair[0].succ_opt(),
                Some(pair[1]),
                "guild {guild} skipped a day"
            );
        }
        for dst_day in ["2025-03-09", "2025-03-30", "2025-04-06"] {
            assert_eq!(
                store
                    .daily()
                    .state(guild, PostKind::Fact, date(dst_day))
                    .await
                    .unwrap(),
                Some(PostState::Sent),
                "guild {guild} on {dst_day}"
            );
        }
    }
}

#[tokio::test]
async fn a_failed_post_is_retried_by_the_policy_then_paused_when_forbidden() {
    let start = utc("2025-06-01T08:00:00Z");
    let core = Core::at(start);
    let admin = Core::admin("admin", 7);
    response(
        &core
            .line(&admin, "/daily set channel:#500 time:09:00 timezone:UTC")
            .await,
    );
    core.front.fail_next_post(Fault::Unavailable);
    let done = core.run_until(utc("2025-06-01T09:00:00Z")).await;
    assert!(
        matches!(
            done.as_slice(),
            [Done::Failed {
                channel_id: 500,
                ..
            }]
        ),
        "{done:?}"
    );
    // The policy's first wait is 5 s; then the post goes out.
    let done = core.run_until(utc("2025-06-01T09:00:05Z")).await;
    assert!(
        matches!(
            done.as_slice(),
            [Done::Post {
                channel_id: 500,
                ..
            }]
        ),
        "{done:?}"
    );
    core.front.fail_next_post(Fault::Forbidden);
    let done = core.run_until(utc("2025-06-02T09:00:00Z")).await;
    assert!(matches!(done.as_slice(), [Done::Failed { .. }]), "{done:?}");
    assert_eq!(
        core.app.next_wake(),
        None,
        "a paused schedule is off the queue"
    );
    let status = response(&core.line(&admin, "/daily status").await);
    let paused = field(&status, "Paused").to_string();
    assert_eq!(
        paused.matches("/daily set").count(),
        1,
        "the way to resume, said once: {paused}"
    );
    assert!(
        field(&status, "Paused")
            .to_string()
            .starts_with("Discord refused my post (403)"),
        "{status:?}"
    );
}

// ---------------------------------------------------------------- the commands

fn field(reply: &Reply, name: &str) -> Text {
    reply
        .fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.value.clone())
        .unwrap_or_default()
}

/// The answer to `line` typed by a server manager in channel 500, at `core`'s time.
async fn ask(core: &Core, line: &str) -> Reply {
    let admin = feudbot::caller::Caller {
        channel_id: 500,
        ..Core::admin("admin", 7)
    };
    response(&core.line(&admin, line).await)
}

fn guild_core(now: DateTime<Utc>) -> Core {
    Core::at(now)
}

#[tokio::test]
async fn set_status_preview_and_off() {
    let now = utc("2025-06-01T12:00:00Z");
    let core = guild_core(now);
    let set = ask(
        &core,
        "/daily set channel:#500 time:09:00 timezone:new york",
    )
    .await;
    assert_eq!(set.title, "Daily posts are on");
    assert!(!set.ephemeral);
    assert_eq!(
        set.text,
        Text::from("Every day at **09:00** (America/New_York) in ")
            .channel(500)
            .plain(
                ": what happened in the feud on that day, when something did; otherwise the \
                 next event or quote, with no repeats until all have been posted."
            )
    );
    let next = utc("2025-06-01T13:00:00Z");
    assert_eq!(core.app.next_wake(), Some(next), "queued");
    assert_eq!(set.fields[0].value, Text::new().when(next));

    let status = ask(&core, "/daily status").await;
    assert_eq!(field(&status, "Channel"), Text::new().channel(500));
    assert_eq!(
        field(&status, "Time").to_string(),
        "09:00 (America/New_York)"
    );
    assert_eq!(field(&status, "Next post"), Text::new().when(next));
    assert_eq!(field(&status, "Last post").to_string(), "None yet");

    let preview = ask(&core, "/daily preview").await;
    assert!(preview.ephemeral && !preview.is_error());
    assert_eq!(
        field(&preview, "Preview"),
        Text::from("This goes to ")
            .channel(500)
            .plain(" ")
            .when(next)
            .plain(".")
    );

    let off = ask(&core, "/daily off").await;
    assert_eq!(off.title, "Daily posts are off");
    assert_eq!(core.app.next_wake(), None, "unqueued");
    let again = ask(&core, "/daily off").await;
    assert!(again.is_error() && again.ephemeral);
    let status = ask(&core, "/daily status").await;
    assert!(
        status
            .text
            .to_string()
            .starts_with("Daily posts are off in this server.")
    );
}

#[tokio::test]
async fn status_shows_the_last_post_and_why_posting_paused() {
    let now = utc("2025-02-14T09:00:00Z");
    let core = guild_core(now - TimeDelta::days(1));
    ask(&core, "/daily set channel:#500 time:09:00 timezone:UTC").await;
    let store = core.app.store().await.unwrap();
    let Due::Claimed(claim) = store
        .daily()
        .claim_due(support::recorder::GUILD, PostKind::Fact, now)
        .await
        .unwrap()
    else {
        panic!("not due");
    };
    mark_sent(store.daily(), &claim, 77, now).await;
    let tomorrow = now + TimeDelta::days(1);
    let Due::Claimed(claim) = store
        .daily()
        .claim_due(support::recorder::GUILD, PostKind::Fact, tomorrow)
        .await
        .unwrap()
    else {
        panic!("not due");
    };
    store
        .daily()
        .pause(&claim, PauseReason::ChannelGone, tomorrow)
        .await
        .unwrap();
    core.clock.advance(tomorrow - core.clock.now());
    let status = ask(&core, "/daily status").await;
    let values: Vec<(&str, Text)> = status
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.clone()))
        .collect();
    assert_eq!(
        values,
        [
            ("Channel", Text::new().channel(500)),
            ("Time", Text::from("09:00 (UTC)")),
            ("Next post", Text::from("Paused: see below")),
            (
                "Last post",
                Text::new()
                    .time(utc("2025-02-14T09:00:00Z"), TimeStyle::Full)
                    .plain(": On this day: OpenAI rejects Musk's offer")
            ),
            (
                "Weekly recap",
                Text::from(
                    "Off. Add `recap:on` to `/daily set` for last week's top ten every Monday."
                )
            ),
            (
                "Paused",
                Text::from(
                    "The channel no longer exists (Discord answered 404). Pick another one \
                     with `/daily set`."
                )
            ),
        ]
    );
}

#[tokio::test]
async fn bad_input_gets_a_private_error_with_what_to_type() {
    let now = utc("2025-06-01T12:00:00Z");
    let core = guild_core(now);
    let cases = [
        (
            "/daily set channel:#500 time:25:00 timezone:UTC",
            "`25:00` is not a time of day. Type it as HH:MM on a 24-hour clock, from `00:00` \
             to `23:59`: `time:09:00` for 9 in the morning, `time:21:30` for half past 9 at night.",
        ),
        (
            "/daily set channel:#500 time:9am timezone:UTC",
            "`9am` is a 12-hour time. Type the time as HH:MM on a 24-hour clock: `time:09:00`.",
        ),
        (
            "/daily set channel:#500 time:09:00 timezone:Mars/Base",
            "`Mars/Base` is not a time zone I know. Did you mean `America/Boise`, \
             `Antarctica/Casey`, `Asia/Baku`? Type an IANA name such as \
             `timezone:Europe/London` or `timezone:America/New_York`, or a city such as \
             `timezone:London` (start typing and pick from the list).",
        ),
        (
            "/daily preview",
            "Daily posts are not on in this server, so there is nothing to preview. Turn them \
             on with `/daily set channel:#general time:09:00 timezone:Europe/London`.",
        ),
        (
            "/daily set time:09:00 timezone:UTC",
            "`/daily set` needs `channel` (The channel to post in). Type it like this: \
             `/daily set channel:#general time:09:00 timezone:Europe/London [recap:on]`",
        ),
    ];
    for (line, message) in cases {
        let reply = ask(&core, line).await;
        assert!(reply.is_error() && reply.ephemeral, "{line}");
        assert_eq!(reply.text.to_string(), message, "{line}");
    }
    // A channel the bot cannot post in: the front end found what the bot may do there.
    let set = |bot_permissions, guild_id| Input::Command {
        caller: feudbot::caller::Caller {
            guild_id,
            ..Core::admin("admin", 7)
        },
        invocation: Invocation {
            command: "daily".into(),
            subcommand: Some("set".into()),
            options: vec![
                (
                    "channel".into(),
                    Value::Channel(ChannelRef {
                        id: 500,
                        bot_permissions,
                    }),
                ),
                ("time".into(), Value::Text("09:00".into())),
                ("timezone".into(), Value::Text("UTC".into())),
            ],
        },
    };
    let reply = response(
        &core
            .input(set(
                Permissions::VIEW_CHANNEL,
                Some(support::recorder::GUILD),
            ))
            .await,
    );
    assert_eq!(
        reply.text,
        Text::from("I can't post in ").channel(500).plain(
            ": I'm missing **Send Messages** and **Embed Links** there. Give me that in the \
             channel's settings (Edit Channel → Permissions), or pick another channel."
        )
    );
    let store = core.app.store().await.unwrap();
    assert!(
        store
            .daily()
            .schedule(support::recorder::GUILD)
            .await
            .unwrap()
            .is_none(),
        "nothing saved"
    );
    // Not in a server.
    let reply = response(&core.input(set(Permissions::all(), None)).await);
    assert!(
        reply
            .text
            .to_string()
            .starts_with("`/daily` works in a server")
    );
}

#[tokio::test]
async fn every_daily_command_with_every_kind_of_value_fits_discord() {
    let core = guild_core(utc("2025-06-01T12:00:00Z"));
    let values = [
        "",
        " ",
        "09:00",
        "9:30",
        "23:59",
        "24:00",
        "25:00",
        "9am",
        "12 pm",
        "-1",
        "0",
        "1",
        "<#1>",
        "#2",
        "UTC",
        "Europe/London",
        "london",
        "new york",
        "Mars/Base",
        "🔥",
        "`code`",
        "<@123> @everyone",
    ];
    let long = "x".repeat(300);
    let spec = COMMANDS.iter().find(|c| c.name == "daily").unwrap();
    let mut replies = 0;
    for form in spec.forms() {
        let sub = form.subcommand.unwrap();
        let mut lines = vec![format!("/daily {sub}")];
        for option in form.options {
            for value in values.iter().copied().chain([long.as_str()]) {
                lines.push(format!("/daily {sub} {}:{value}", option.name));
                lines.push(format!(
                    "/daily {sub} channel:#9 time:09:00 timezone:UTC {}:{value}",
                    option.name
                ));
            }
        }
        for line in lines {
            let reply = ask(&core, &line).await;
            assert!(reply.violations().is_empty(), "{line}: {reply:?}");
            assert!(!reply.is_error() || reply.ephemeral, "{line}");
            replies += 1;
        }
    }
    assert!(replies > 140, "{replies}");
}

// ---------------------------------------------------------------- database hiccups

/// Makes `table` unreachable (renamed away) or reachable again, through a connection of
/// its own: what a locked or failing database looks like to the bot, for a while.
async fn hide_table(core: &Core, table: &str, hidden: bool) {
    let pool = sqlx::SqlitePool::connect(&core.database_url())
        .await
        .unwrap();
    let (from, to) = if hidden {
        (table.to_string(), format!("{table}_away"))
    } else {
        (format!("{table}_away"), table.to_string())
    };
    // The names are this test's own, not input.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ALTER TABLE {from} RENAME TO {to}"
    )))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
}

fn posts(done: &[Done]) -> usize {
    done.iter()
        .filter(|d| matches!(d, Done::Post { .. }))
        .count()
}

#[tokio::test]
async fn a_database_error_while_claiming_puts_the_server_back_in_the_queue() {
    let core = Core::at(utc("2025-06-01T08:00:00Z"));
    let admin = Core::admin("admin", 7);
    response(
        &core
            .line(&admin, "/daily set channel:#500 time:09:00 timezone:UTC")
            .await,
    );
    hide_table(&core, "daily_posts", true).await;
    let done = core.run_until(utc("2025-06-01T09:00:30Z")).await;
    assert_eq!(posts(&done), 0, "the ledger cannot be reached");
    assert!(core.app.next_wake().is_some(), "still queued");
    hide_table(&core, "daily_posts", false).await;
    let done = core.run_until(utc("2025-06-01T09:05:00Z")).await;
    assert_eq!(posts(&done), 1, "posted once the database answers again");
}

#[tokio::test]
async fn start_up_is_retried_until_the_database_answers() {
    let start = utc("2025-06-01T08:59:00Z");
    let core = Core::at(start);
    let store = core.app.store().await.unwrap();
    let schedule = DailySchedule {
        channel_id: 500,
        ..schedule("UTC", "09:00")
    };
    store
        .daily()
        .set(support::recorder::GUILD, &schedule, start)
        .await
        .unwrap();
    hide_table(&core, "daily_schedules", true).await;
    core.app.start(Shards::all(1)).await.unwrap();
    assert_eq!(posts(&core.run_until(utc("2025-06-01T09:00:30Z")).await), 0);
    hide_table(&core, "daily_schedules", false).await;
    let done = core.run_until(utc("2025-06-01T09:10:00Z")).await;
    assert_eq!(posts(&done), 1, "the schedules are loaded on a later try");
}

async fn a_claim_never_released_is_taken_again_once_stale(db: TestDb) {
    let store = db.open().await;
    let daily = store.daily();
    let set = utc("2025-06-01T00:00:00Z");
    daily
        .set(GUILD, &schedule("UTC", "09:00"), set)
        .await
        .unwrap();
    let now = utc("2025-06-01T09:00:00Z");
    let Due::Claimed(first) = daily.claim_due(GUILD, PostKind::Fact, now).await.unwrap() else {
        panic!("not due");
    };
    // The send failed and so did its release: the claim is left as it was.
    let soon = now + TimeDelta::minutes(1);
    assert_eq!(
        daily.claim_due(GUILD, PostKind::Fact, soon).await.unwrap(),
        Due::Nothing
    );
    let later = now + TimeDelta::minutes(15);
    let Due::Claimed(again) = daily.claim_due(GUILD, PostKind::Fact, later).await.unwrap() else {
        panic!("a stale claim is never taken again");
    };
    assert_eq!(again.attempt, first.attempt + 1);
}

/// A dataset of another folder can hold many events on one day: the "on this day"
/// post still fits Discord's 6 000 characters in all.
#[test]
fn a_crowded_day_still_fits_in_one_post() {
    use feudbot::data::{Event, Person, PersonKind, Source};
    let source = Source {
        id: "src".into(),
        citation: format!("A long citation{}", " of many words".repeat(8)),
    };
    let person = Person {
        id: "someone".into(),
        name: "Someone".into(),
        aliases: Vec::new(),
        kind: PersonKind::Person,
        role: "A person of the story".into(),
        source: "src".into(),
    };
    let events = (0..20)
        .map(|year| Event {
            id: format!("day-{year}"),
            date: format!("{}-02-14", 2000 + year).parse().unwrap(),
            title: format!("Event of the year {} {}", 2000 + year, "x".repeat(50)),
            summary: format!("{}end.", "A long summary sentence. ".repeat(19)),
            people: vec!["someone".into()],
            tags: vec!["crowd".into()],
            source: "src".into(),
            date_source: None,
        })
        .collect();
    let data = Dataset::from_records(vec![source], vec![person], events, Vec::new())
        .expect("a valid dataset");
    let post = compose(&data, date("2026-02-14"), &Rotation::new(GUILD)).unwrap();
    assert!(matches!(post.subject, Subject::OnThisDay(ref events) if events.len() == 20));
    assert_eq!(post.reply.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn time_zones_are_read_as_people_type_them_and_fixed_offsets_say_so() {
    let now = utc("2025-06-01T12:00:00Z");
    let core = guild_core(now);
    let set = |typed: &str| format!("/daily set channel:#500 time:09:00 timezone:{typed}");
    // Abbreviations mean the place's local time, daylight saving included; offsets
    // mean a fixed offset, with the sign as typed.
    for (typed, shown, next) in [
        ("PST", "America/Los_Angeles", "2025-06-01T16:00:00Z"),
        ("pdt", "America/Los_Angeles", "2025-06-01T16:00:00Z"),
        ("EST", "America/New_York", "2025-06-01T13:00:00Z"),
        ("CST", "America/Chicago", "2025-06-01T14:00:00Z"),
        ("MST", "America/Denver", "2025-06-01T15:00:00Z"),
        ("CET", "Europe/Paris", "2025-06-02T07:00:00Z"),
        ("CEST", "Europe/Paris", "2025-06-02T07:00:00Z"),
        ("BST", "Europe/London", "2025-06-02T08:00:00Z"),
        ("EET", "Europe/Athens", "2025-06-02T06:00:00Z"),
        ("UTC+2", "UTC+2", "2025-06-02T07:00:00Z"),
        ("utc +02:00", "UTC+2", "2025-06-02T07:00:00Z"),
        ("GMT-5", "UTC-5", "2025-06-01T14:00:00Z"),
        ("Etc/GMT-2", "UTC+2", "2025-06-02T07:00:00Z"),
    ] {
        let reply = ask(&core, &set(typed)).await;
        assert!(!reply.is_error(), "{typed}: {}", reply.text);
        assert!(
            reply
                .text
                .to_string()
                .contains(&format!("** ({shown}) in ")),
            "{typed}: {}",
            reply.text
        );
        assert_eq!(
            field(&reply, "Next post"),
            Text::new().when(utc(next)),
            "{typed}"
        );
        let fixed = shown.starts_with("UTC");
        assert_eq!(
            reply.fields.iter().any(|f| f.name == "Daylight saving"),
            fixed,
            "{typed}"
        );
    }

    // A fixed offset says it has no daylight saving, when set and in the status.
    let reply = ask(&core, &set("UTC+2")).await;
    let note = field(&reply, "Daylight saving").to_string();
    assert_eq!(
        note,
        "UTC+2 is a fixed offset, with no daylight saving: posts come at 09:00 UTC+2 all \
         year. Where clocks change in summer, pick your city instead, e.g. \
         `timezone:Europe/Paris`."
    );
    let status = ask(&core, "/daily status").await;
    assert_eq!(field(&status, "Time").to_string(), "09:00 (UTC+2)");
    assert_eq!(field(&status, "Daylight saving").to_string(), note);
    let reply = ask(&core, &set("GMT")).await;
    assert!(
        field(&reply, "Daylight saving")
            .to_string()
            .starts_with("GMT is a fixed offset, with no daylight saving"),
        "{reply:?}"
    );
    // UTC is chosen for what it is: no note.
    let reply = ask(&core, &set("UTC")).await;
    assert!(!reply.fields.iter().any(|f| f.name == "Daylight saving"));

    // An offset that no fixed zone has points to the places that have it.
    let reply = ask(&core, &set("UTC+5:30")).await;
    assert!(reply.is_error());
    assert!(
        reply
            .text
            .to_string()
            .starts_with("`UTC+5:30` is not a time zone I know. Did you mean `Asia/Kolkata`?"),
        "{}",
        reply.text
    );

    // Autocomplete offers the same.
    let first = |typed: &str| {
        let choices = core.app.autocomplete("daily", "timezone", typed);
        let first = choices.first().cloned().expect("a choice");
        assert!(
            !choices
                .iter()
                .any(|c| ["EST", "CET", "MST"].contains(&c.value.as_str())),
            "{typed}: {choices:?}"
        );
        (first.name, first.value)
    };
    assert_eq!(
        first("PST"),
        (
            "PST → America/Los_Angeles".into(),
            "America/Los_Angeles".into()
        )
    );
    assert_eq!(
        first("cet"),
        ("CET → Europe/Paris".into(), "Europe/Paris".into())
    );
    assert_eq!(first("est").1, "America/New_York");
    assert_eq!(
        first("UTC+2"),
        (
            "UTC+2 → Etc/GMT-2 (no daylight saving)".into(),
            "Etc/GMT-2".into()
        )
    );
    assert_eq!(first("gmt-5").1, "Etc/GMT+5");
}

/// Waits (in real time, at most 5 s) until `done` holds.
async fn settle(done: impl Fn() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// Forty servers due the same minute, through the real timer loop: posts go out at
/// most sixteen at a time, and posts that hang hold up no other server.
#[tokio::test]
async fn daily_posts_go_out_sixteen_at_a_time_and_a_hung_one_holds_up_no_other() {
    for hung in [40, 1] {
        let start = utc("2025-06-01T08:59:00Z");
        let core = Core::at(start);
        let store = core.app.store().await.unwrap();
        for guild in 1..=40 {
            let schedule = DailySchedule {
                channel_id: 500 + guild,
                ..schedule("UTC", "09:00")
            };
            store.daily().set(guild, &schedule, start).await.unwrap();
            if guild <= hung {
                core.front.hang_posts_in(500 + guild);
            }
        }
        core.app.start(Shards::all(1)).await.unwrap();
        let timers = tokio::spawn(feudbot::app::run_timers(
            core.app.clone(),
            core.front.clone(),
        ));
        core.clock.advance(TimeDelta::minutes(1));
        let posted = || posts(&core.front.peek());
        if hung == 40 {
            settle(|| core.front.posts_under_way() == 16).await;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            assert_eq!(core.front.posts_under_way(), 16, "sixteen at a time");
        } else {
            settle(|| posted() == 39).await;
            assert_eq!(posted(), 39, "every server but the hung one posted");
            assert_eq!(core.front.posts_under_way(), 1);
        }
        timers.abort();
    }
}

/// The posts among `done`, by title.
fn post_titles(done: &[Done]) -> Vec<String> {
    done.iter()
        .filter_map(|d| match d {
            Done::Post { reply, .. } => Some(reply.title.clone()),
            _ => None,
        })
        .collect()
}

async fn a_weekly_recap_goes_out_on_mondays_once_and_not_for_an_empty_week(db: TestDb) {
    // Wednesday 4 June 2025, in London.
    let now = utc("2025-06-04T12:00:00Z");
    let core = Core::on(db, now);
    let set = ask(
        &core,
        "/daily set channel:#500 time:09:00 timezone:Europe/London recap:on",
    )
    .await;
    assert!(
        field(&set, "Weekly recap")
            .to_string()
            .starts_with("On: last week's podium"),
        "{set:?}"
    );
    let store = core.app.store().await.unwrap();
    let answer = |user_id, name: &str, points, streak| AnswerResult {
        user_id,
        user_name: name.to_string(),
        correct: points > 0,
        points,
        streak,
    };
    let results = |question, answers| {
        Save::Results(QuestionResults {
            quiz_id: 1,
            guild_id: support::recorder::GUILD,
            channel_id: 500,
            started_at: UnixMillis::from_datetime(now),
            question,
            at: UnixMillis::from_datetime(now),
            answers,
        })
    };
    store
        .save(&results(
            1,
            vec![answer(10, "alice", 700, 1), answer(20, "bob", 500, 1)],
        ))
        .await
        .unwrap();
    store
        .save(&results(2, vec![answer(20, "bob", 600, 2)]))
        .await
        .unwrap();

    // Thursday to Sunday: the daily fact alone. Monday 9 June 09:00 (08:00 UTC): the
    // fact and the recap of the week of 2 June.
    let done = core.run_until(utc("2025-06-09T08:01:00Z")).await;
    let titles = post_titles(&done);
    assert_eq!(titles.len(), 6, "{titles:?}");
    assert_eq!(
        titles
            .iter()
            .filter(|t| t.starts_with("Weekly recap"))
            .count(),
        1,
        "{titles:?}"
    );
    let recap = done
        .iter()
        .filter_map(Done::reply)
        .find(|reply| reply.title == "Weekly recap · week of 2 June 2025")
        .expect("the recap");
    assert_eq!(
        recap.text.to_string(),
        "🥇 **bob** · 1100 points · 2/2 right\n🥈 **alice** · 700 points · 1/1 right"
    );
    assert_eq!(field(recap, "Played").to_string(), "2 players");
    assert_eq!(
        field(recap, "Best streak").to_string(),
        "**bob** · 2 right in a row"
    );
    assert!(recap.violations().is_empty(), "{:?}", recap.violations());
    let monday = date("2025-06-09");
    assert_eq!(
        store
            .daily()
            .state(support::recorder::GUILD, PostKind::Recap, monday)
            .await
            .unwrap(),
        Some(PostState::Sent)
    );

    // A restart later that Monday sends nothing again.
    core.clock.advance(TimeDelta::hours(2));
    let (core, done) = core.restart().await;
    assert_eq!(post_titles(&done), Vec::<String>::new());
    let done = core.run_until(utc("2025-06-09T23:00:00Z")).await;
    assert_eq!(post_titles(&done), Vec::<String>::new());

    // Nobody played the week of 9 June: on the 16th, the fact alone.
    let done = core.run_until(utc("2025-06-16T08:01:00Z")).await;
    let titles = post_titles(&done);
    assert_eq!(titles.len(), 7, "{titles:?}");
    assert!(
        !titles.iter().any(|t| t.starts_with("Weekly recap")),
        "{titles:?}"
    );
    let store = core.app.store().await.unwrap();
    assert_eq!(
        store
            .daily()
            .state(
                support::recorder::GUILD,
                PostKind::Recap,
                date("2025-06-16")
            )
            .await
            .unwrap(),
        Some(PostState::Skipped)
    );
}
