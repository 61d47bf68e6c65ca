//! What operators watch a running bot by, on `HEALTH_ADDR`: `GET /healthz` (200 when it
//! serves, 503 with the reasons when it does not) and `GET /metrics` (Prometheus text
//! format). Metrics are recorded through the `metrics` facade where they happen (the
//! core, the Discord layer): a no-op until [`install`] has run. This module names them,
//! keeps the recorder and answers the two routes; what "healthy" means is the front
//! end's [`Probe`].

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

/// Commands and clicks handled, by `command` (the table's name, `unknown` for one it
/// lacks), `kind` (`command` or `button`) and `outcome` (`ok`, `refused`: the user was
/// told what to type instead, `failed`: the bot's fault).
pub const INTERACTIONS: &str = "feudbot_interactions_total";
/// Seconds from an interaction's arrival to Discord accepting its first response (the
/// answer, or the acknowledgement of a slow one), by `kind`.
pub const RESPONSE_SECONDS: &str = "feudbot_interaction_response_seconds";
/// REST calls to Discord, each attempt, by `route` (a class of endpoints) and `status`
/// (`ok`, an HTTP status such as `429`, `timeout` or `error`: no response).
pub const REST_CALLS: &str = "feudbot_rest_calls_total";
/// Waits imposed by serenity's rate limiter (a bucket used up, or a 429), by `global`.
pub const RATE_LIMIT_WAITS: &str = "feudbot_rest_rate_limit_waits_total";
/// Shards this process holds in the database.
pub const SHARDS_OWNED: &str = "feudbot_shards_owned";
/// Of those, the shards connected to the gateway.
pub const SHARDS_CONNECTED: &str = "feudbot_shards_connected";
/// Games in progress in channels: quizzes and `/whosaid` rounds.
pub const QUIZZES_RUNNING: &str = "feudbot_quizzes_running";
/// Daily posts, by `result`: `sent`, `skipped` (nothing to post, or refused for good),
/// `paused` (the channel cannot be posted in) or `retried` (a failure that may pass).
pub const DAILY_POSTS: &str = "feudbot_daily_posts_total";

/// Bucket bounds of [`RESPONSE_SECONDS`]: Discord gives an interaction 3 s.
const RESPONSE_BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0];

/// How often recorded histogram samples are folded into their buckets, so that memory
/// stays flat between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Why the metrics recorder could not be installed.
#[derive(Debug, thiserror::Error)]
#[error("cannot install the metrics recorder: {0}")]
pub struct InstallError(String);

/// Makes the process record its metrics (until now no-ops), and returns what renders
/// them. Once per process.
pub fn install() -> Result<PrometheusHandle, InstallError> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(RESPONSE_SECONDS.to_string()),
            &RESPONSE_BUCKETS,
        )
        .and_then(PrometheusBuilder::install_recorder)
        .map_err(|error| InstallError(error.to_string()))?;
    describe();
    Ok(handle)
}

/// The help lines of each metric.
fn describe() {
    describe_counter!(
        INTERACTIONS,
        "Commands and clicks handled, by command, kind and outcome."
    );
    describe_histogram!(
        RESPONSE_SECONDS,
        Unit::Seconds,
        "From an interaction's arrival to Discord accepting its first response."
    );
    describe_counter!(
        REST_CALLS,
        "REST calls to Discord (each attempt), by route and status."
    );
    describe_counter!(RATE_LIMIT_WAITS, "Waits imposed by the REST rate limiter.");
    describe_gauge!(SHARDS_OWNED, "Shards this process holds.");
    describe_gauge!(
        SHARDS_CONNECTED,
        "Shards this process holds that are connected."
    );
    describe_gauge!(
        QUIZZES_RUNNING,
        "Games in progress: quizzes and /whosaid rounds."
    );
    describe_counter!(DAILY_POSTS, "Daily posts, by result.");
    // Series that may stay at zero for long are shown from the start, so that a rate
    // over them is defined.
    for result in ["sent", "skipped", "paused", "retried"] {
        metrics::counter!(DAILY_POSTS, "result" => result).absolute(0);
    }
    for global in ["false", "true"] {
        metrics::counter!(RATE_LIMIT_WAITS, "global" => global).absolute(0);
    }
    metrics::gauge!(QUIZZES_RUNNING).set(0.0);
}

/// What the front end knows about its own health.
pub trait Probe: Send + Sync + 'static {
    /// Every reason the process does not serve right now; none when it does.
    fn problems(&self) -> impl Future<Output = Vec<String>> + Send;
    /// Brings the gauges read at scrape time up to date.
    fn refresh(&self) -> impl Future<Output = ()> + Send;
}

/// Answers `GET /healthz` and `GET /metrics` on `listener`, and folds the histograms'
/// samples every [`UPKEEP_EVERY`], for as long as the task runs (nothing outlives it).
pub async fn serve<P: Probe>(listener: TcpListener, metrics: PrometheusHandle, probe: Arc<P>) {
    let mut upkeep = tokio::time::interval(UPKEEP_EVERY);
    loop {
        let accepted = tokio::select! {
            _ = upkeep.tick() => {
                metrics.run_upkeep();
                continue;
            }
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                tracing::warn!("the health endpoint cannot accept a connection: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let (metrics, probe) = (metrics.clone(), Arc::clone(&probe));
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let (metrics, probe) = (metrics.clone(), Arc::clone(&probe));
                async move { Ok::<_, Infallible>(answer(&request, &metrics, &*probe).await) }
            });
            if let Err(error) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!("a health endpoint connection failed: {error}");
            }
        });
    }
}

/// The response to one request.
async fn answer<P: Probe>(
    request: &Request<Incoming>,
    metrics: &PrometheusHandle,
    probe: &P,
) -> Response<Full<Bytes>> {
    let path = request.uri().path();
    if path != "/healthz" && path != "/metrics" {
        return text(
            StatusCode::NOT_FOUND,
            "not found: try /healthz or /metrics\n",
        );
    }
    if request.method() != Method::GET {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "only GET\n");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET"));
        return response;
    }
    if path == "/metrics" {
        probe.refresh().await;
        let mut response = text(StatusCode::OK, metrics.render());
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        );
        return response;
    }
    let problems = probe.problems().await;
    if problems.is_empty() {
        text(StatusCode::OK, "ok\n")
    } else {
        let mut body = String::from("unavailable\n");
        for problem in problems {
            body.push_str(&format!("- {problem}\n"));
        }
        text(StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
