//! `HEALTH_ADDR`: `/healthz` and `/metrics` of the real binary against a fake Discord
//! (a process serving, a standby waiting for its shard, a take-over), and the metrics the
//! core records, read from a recorder installed in this test process.

// Each test crate uses a different part of the shared support module.
#[allow(dead_code)]
mod support;

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use feudbot::app::Clicked;
use feudbot::daily::Fault as PostFault;
use serde_json::{Value, json};
use support::bot::BotProcess;
use support::payloads::{self, Who};
use support::recorder::{Core, response};
use support::{FakeDiscord, Fault, eventually};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// `method path` on `addr` over HTTP/1.1: the status and the body.
async fn http(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("the health endpoint accepts");
    let request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a whole response");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    (status, body.to_string())
}

/// `GET /healthz` on `addr` until it answers `status` or `within` has passed: the last
/// answer.
async fn healthz_until(addr: &str, status: u16, within: Duration) -> (u16, String) {
    let started = std::time::Instant::now();
    loop {
        let answer = http(addr, "GET", "/healthz").await;
        if answer.0 == status || started.elapsed() > within {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The address the process said it serves `/healthz` on.
async fn health_addr(bot: &BotProcess) -> String {
    let said = |logs: &str| {
        let at =
            logs.find("health and metrics at http://")? + "health and metrics at http://".len();
        let rest = &logs[at..];
        Some(rest[..rest.find("/healthz")?].to_string())
    };
    assert!(
        eventually(Duration::from_secs(5), || said(&bot.logs()).is_some()).await,
        "{}",
        bot.logs()
    );
    said(&bot.logs()).unwrap_or_default()
}

/// The series of `feudbot_interactions_total` for `command`, `kind` and `outcome`.
fn interactions(command: &str, kind: &str, outcome: &str) -> String {
    format!(
        r#"feudbot_interactions_total{{command="{command}",kind="{kind}",outcome="{outcome}"}}"#
    )
}

/// The series of `feudbot_rest_calls_total` for `route` and `status`.
fn rest_calls(route: &str, status: &str) -> String {
    format!(r#"feudbot_rest_calls_total{{route="{route}",status="{status}"}}"#)
}

/// The value of the sample `series` (name and labels, as rendered) in `metrics`.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn healthz_and_metrics_follow_a_process_and_its_standby() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("shared.db").display());
    let env = [
        ("DATABASE_URL", db.as_str()),
        ("HEALTH_ADDR", "127.0.0.1:0"),
    ];
    let first = BotProcess::start(&fake.base_url(), &env);
    let addr = health_addr(&first).await;
    fake.wait_identify().await;
    let healthy = healthz_until(&addr, 200, Duration::from_secs(5)).await;
    assert_eq!(healthy, (200, "ok\n".to_string()));

    let alice = Who::member(1001, "alice");
    for interaction in [
        payloads::slash_command(&alice, "about", Value::Null),
        payloads::slash_command(
            &alice,
            "timeline",
            json!([{"name": "year", "type": 4, "value": 1999}]),
        ),
        payloads::slash_command(&alice, "whosaid", Value::Null),
    ] {
        fake.send_interaction(interaction.clone()).await;
        fake.expect("POST", &payloads::callback_path(&interaction))
            .await;
    }
    fake.fail_next(
        "POST",
        "/interactions/*/*/callback",
        Fault::RateLimited { retry_after: 0.1 },
    );
    let help = payloads::slash_command(&alice, "help", Value::Null);
    fake.send_interaction(help.clone()).await;
    let path = payloads::callback_path(&help);
    assert_eq!(fake.expect("POST", &path).await.status, 429);
    assert_eq!(fake.expect("POST", &path).await.status, 204);

    let expected: Vec<(String, f64)> = vec![
        (interactions("about", "command", "ok"), 1.0),
        (interactions("timeline", "command", "refused"), 1.0),
        (interactions("whosaid", "command", "ok"), 1.0),
        (rest_calls("interaction_callback", "429"), 1.0),
        (rest_calls("interaction_callback", "ok"), 4.0),
        (rest_calls("commands", "ok"), 1.0),
        (
            r#"feudbot_interaction_response_seconds_count{kind="command"}"#.into(),
            4.0,
        ),
        (
            r#"feudbot_interaction_response_seconds_bucket{kind="command",le="+Inf"}"#.into(),
            4.0,
        ),
        ("feudbot_shards_owned".into(), 1.0),
        ("feudbot_shards_connected".into(), 1.0),
        ("feudbot_quizzes_running".into(), 1.0),
    ];
    // The bot counts a call once its response is back, a moment after the fake has
    // recorded it.
    let mut metrics = String::new();
    for _ in 0..50 {
        let (status, body) = http(&addr, "GET", "/metrics").await;
        assert_eq!(status, 200);
        metrics = body;
        let counted = |(series, value): &(String, f64)| sample(&metrics, series) == Some(*value);
        if expected.iter().all(counted) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for (series, value) in &expected {
        assert_eq!(
            sample(&metrics, series),
            Some(*value),
            "{series} in\n{metrics}"
        );
    }
    assert!(
        metrics.contains("# TYPE feudbot_interaction_response_seconds histogram"),
        "{metrics}"
    );
    assert_eq!(http(&addr, "GET", "/nothing").await.0, 404);
    assert_eq!(http(&addr, "POST", "/healthz").await.0, 405);

    // The gateway lost: unavailable until the shard is back.
    fake.set_refuse_gateway(true);
    fake.close_connection(4000).await;
    let down = healthz_until(&addr, 503, Duration::from_secs(5)).await;
    assert_eq!(down.0, 503, "{}", down.1);
    assert!(
        down.1.starts_with("unavailable\n- shard 0 is "),
        "{}",
        down.1
    );
    let (_, metrics) = http(&addr, "GET", "/metrics").await;
    assert_eq!(
        sample(&metrics, "feudbot_shards_connected"),
        Some(0.0),
        "{metrics}"
    );
    fake.set_refuse_gateway(false);
    let back = healthz_until(&addr, 200, Duration::from_secs(10)).await;
    assert_eq!(back, (200, "ok\n".to_string()), "{}", first.logs());

    // A standby on the same database is not healthy: it serves nothing yet.
    let second = BotProcess::start(&fake.base_url(), &env);
    let standby = health_addr(&second).await;
    assert!(
        eventually(Duration::from_secs(5), || second
            .logs()
            .contains("waiting for it to stop"))
        .await,
        "{}",
        second.logs()
    );
    let (status, body) = http(&standby, "GET", "/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body.starts_with(&format!(
            "unavailable\n- waiting for shard 0 of 1, held by another feudbot (pid {}, since ",
            first.id()
        )),
        "{body}"
    );
    let (_, metrics) = http(&standby, "GET", "/metrics").await;
    assert_eq!(
        sample(&metrics, "feudbot_shards_owned"),
        Some(0.0),
        "{metrics}"
    );

    let (status, _) = first.terminate().await;
    assert!(status.success());
    let taken = healthz_until(&standby, 200, Duration::from_secs(10)).await;
    assert_eq!(taken, (200, "ok\n".to_string()), "{}", second.logs());
    fake.assert_no_violations();
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("a UTC time")
}

/// The core's own metrics: interactions by command and outcome, games running, daily
/// posts by result. The only test here that records in this process.
#[tokio::test]
async fn the_core_counts_interactions_games_and_daily_posts() {
    let metrics = feudbot::monitor::install().expect("the recorder installs");
    let core = Core::at(utc("2025-02-13T12:00:00Z"));
    let admin = feudbot::caller::Caller {
        channel_id: 500,
        ..Core::admin("admin", 7)
    };
    let set = response(
        &core
            .line(&admin, "/daily set channel:#500 time:09:00 timezone:UTC")
            .await,
    );
    assert!(!set.is_error(), "{set:?}");
    assert!(core.ask("/timeline year:1999").await.is_error());
    assert!(!core.ask("/whosaid").await.is_error());
    let running = metrics.render();
    assert_eq!(
        sample(&running, "feudbot_quizzes_running"),
        Some(1.0),
        "{running}"
    );
    let forged = core
        .click(&Core::member("bob", 2), "nonsense:1", Clicked::Post)
        .await;
    assert!(response(&forged).is_error());

    core.run_until(utc("2025-02-14T10:00:00Z")).await;
    core.front.fail_next_post(PostFault::Forbidden);
    core.run_until(utc("2025-02-15T10:00:00Z")).await;
    core.clock.advance(TimeDelta::minutes(1));

    let rendered = metrics.render();
    let expected: [(String, f64); 6] = [
        (interactions("daily", "command", "ok"), 1.0),
        (interactions("timeline", "command", "refused"), 1.0),
        (interactions("whosaid", "command", "ok"), 1.0),
        (interactions("unknown", "button", "refused"), 1.0),
        (r#"feudbot_daily_posts_total{result="sent"}"#.into(), 1.0),
        (r#"feudbot_daily_posts_total{result="paused"}"#.into(), 1.0),
    ];
    for (series, value) in expected {
        assert_eq!(
            sample(&rendered, &series),
            Some(value),
            "{series} in\n{rendered}"
        );
    }
    // The round ended at its deadline, during the days the clock went through.
    assert_eq!(
        sample(&rendered, "feudbot_quizzes_running"),
        Some(0.0),
        "{rendered}"
    );
}
