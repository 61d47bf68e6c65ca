//! Retrying REST calls that failed for a reason that may pass: a rate limit, a server
//! error, a lost connection or a call that hung. Serenity's own rate limiter retries
//! 429s, but it is off when the bot talks to a proxy (`DISCORD_API_BASE`), and a 5xx is
//! never retried by serenity. Every attempt is cut off after [`REQUEST_TIMEOUT`], and
//! counted in [`monitor::REST_CALLS`] by its [`Route`] and how it went.

use std::future::Future;
use std::time::Duration;

use serenity::Error;
use serenity::http::HttpError;

use crate::monitor;

/// Tries a call at most this many times.
const ATTEMPTS: u32 = 3;
/// Wait after a 429. Serenity drops the body's `retry_after` when it turns the response
/// into an error, so the wait is fixed; one second is Discord's usual bucket reset.
const RATE_LIMIT_WAIT: Duration = Duration::from_secs(1);
/// First wait after a server error; doubled for each further attempt.
const BACKOFF: Duration = Duration::from_millis(250);
/// How long one REST call may take before it counts as failed: a hung request must not
/// hold up what waits for it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The error of an attempt cut off by [`REQUEST_TIMEOUT`].
const TIMED_OUT: &str = "the request timed out";

/// A class of Discord's REST endpoints: the `route` label of [`monitor::REST_CALLS`].
#[derive(Clone, Copy, Debug)]
pub enum Route {
    /// `POST /interactions/{id}/{token}/callback`: an interaction's first response.
    Callback,
    /// `/webhooks/{application}/{token}/…`: edits of a response, follow-ups.
    Webhook,
    /// `POST /channels/{id}/messages`.
    CreateMessage,
    /// `PATCH /channels/{id}/messages/{id}`.
    EditMessage,
    /// `PUT /applications/{id}/…commands`: registration.
    Commands,
    /// `GET` of a server, a channel or a member: the bot's permissions in a channel.
    Lookup,
    /// `PUT /guilds/{id}/members/{id}/roles/{id}`: a role reward.
    MemberRole,
    /// `GET /gateway/bot`.
    Gateway,
}

impl Route {
    fn label(self) -> &'static str {
        match self {
            Route::Callback => "interaction_callback",
            Route::Webhook => "webhook",
            Route::CreateMessage => "create_message",
            Route::EditMessage => "edit_message",
            Route::Commands => "commands",
            Route::Lookup => "lookup",
            Route::MemberRole => "member_role",
            Route::Gateway => "gateway",
        }
    }
}

/// One attempt at `call` to `route`: cut off after [`REQUEST_TIMEOUT`], and counted.
pub async fn attempt<T>(
    route: Route,
    call: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let outcome = match tokio::time::timeout(REQUEST_TIMEOUT, call).await {
        Ok(outcome) => outcome,
        Err(_) => Err(Error::Other(TIMED_OUT)),
    };
    let status = match &outcome {
        Ok(_) => "ok".to_string(),
        Err(Error::Http(HttpError::UnsuccessfulRequest(response))) => {
            response.status_code.as_u16().to_string()
        }
        Err(Error::Other(TIMED_OUT)) => "timeout".to_string(),
        Err(_) => "error".to_string(),
    };
    metrics::counter!(monitor::REST_CALLS, "route" => route.label(), "status" => status)
        .increment(1);
    outcome
}

/// What a failed call tells about trying again.
fn wait_before_retry(error: &Error, attempt: u32) -> Option<Duration> {
    match error {
        Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            if status == 429 {
                Some(RATE_LIMIT_WAIT)
            } else if status >= 500 {
                Some(BACKOFF * 2u32.pow(attempt - 1))
            } else {
                None
            }
        }
        // The connection failed, or hung: the request may not have arrived.
        Error::Http(HttpError::Request(_)) => Some(BACKOFF * 2u32.pow(attempt - 1)),
        Error::Other(TIMED_OUT) => Some(BACKOFF * 2u32.pow(attempt - 1)),
        _ => None,
    }
}

/// A short account of a failed call, without its URL (an interaction's URL holds the
/// interaction token).
pub fn describe(error: &Error) -> String {
    match error {
        Error::Http(HttpError::UnsuccessfulRequest(response)) => format!(
            "{} (Discord error {}: {})",
            response.status_code, response.error.code, response.error.message
        ),
        Error::Http(HttpError::Request(request)) => {
            let kind = if request.is_timeout() {
                "timed out"
            } else if request.is_connect() {
                "could not connect"
            } else {
                "failed"
            };
            format!("request {kind}")
        }
        other => other.to_string(),
    }
}

/// Runs `call` to `route` until it succeeds, fails for good, or has been tried
/// [`ATTEMPTS`] times; each failure is logged with `what` the call was.
pub async fn retry<T, F, Fut>(route: Route, what: &str, call: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    retry_in_turn(route, what, || async {}, call).await
}

/// [`retry`], each attempt after waiting for `turn` (the rate-limit budget), which does
/// not count toward the attempt's [`REQUEST_TIMEOUT`].
pub async fn retry_in_turn<T, W, WFut, F, Fut>(
    route: Route,
    what: &str,
    mut turn: W,
    mut call: F,
) -> Result<T, Error>
where
    W: FnMut() -> WFut,
    WFut: Future<Output = ()>,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut tries = 1;
    loop {
        turn().await;
        match attempt(route, call()).await {
            Ok(value) => return Ok(value),
            Err(error) => match wait_before_retry(&error, tries) {
                Some(wait) if tries < ATTEMPTS => {
                    tracing::warn!(
                        "{what} failed, retrying in {} ms: {}",
                        wait.as_millis(),
                        describe(&error)
                    );
                    tokio::time::sleep(wait).await;
                    tries += 1;
                }
                _ => {
                    tracing::error!("{what} failed: {}", describe(&error));
                    return Err(error);
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A call that never answers is cut off after [`REQUEST_TIMEOUT`] and tried again;
    /// one that hangs every time fails after [`ATTEMPTS`] tries.
    #[tokio::test(start_paused = true)]
    async fn a_hung_call_is_cut_off_and_tried_again() {
        let started = tokio::time::Instant::now();
        let mut tries = 0;
        let answered = retry(Route::Callback, "a test call", || {
            tries += 1;
            let hangs = tries == 1;
            async move {
                if hangs {
                    std::future::pending::<()>().await;
                }
                Ok::<_, Error>(tries)
            }
        })
        .await;
        assert_eq!(answered.ok(), Some(2));
        assert_eq!(started.elapsed(), REQUEST_TIMEOUT + BACKOFF);

        let failed = retry(Route::Callback, "a test call", || {
            std::future::pending::<Result<(), Error>>()
        })
        .await;
        assert!(matches!(failed, Err(Error::Other(TIMED_OUT))));
    }

    /// Waiting for the rate-limit budget is not the call hanging.
    #[tokio::test(start_paused = true)]
    async fn a_long_wait_for_a_turn_does_not_time_the_call_out() {
        let mut tries = 0;
        let answered = retry_in_turn(
            Route::Callback,
            "a test call",
            || tokio::time::sleep(REQUEST_TIMEOUT * 3),
            || {
                tries += 1;
                std::future::ready(Ok::<_, Error>(tries))
            },
        )
        .await;
        assert_eq!(answered.ok(), Some(1), "answered at the first try");
    }
}
