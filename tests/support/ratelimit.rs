//! Discord's rate limits, for the fake's opt-in rate-limit mode
//! ([`FakeDiscord::enforce_rate_limits`](super::FakeDiscord::enforce_rate_limits)), as
//! Discord documents them (<https://discord.com/developers/docs/topics/rate-limits>):
//!
//! - the global limit, [`GLOBAL_LIMIT`] requests a second per bot across all routes,
//!   except that "interaction endpoints are not bound to the bot's Global Rate Limit":
//!   the callback (`/interactions/{id}/{token}/callback`) and the interaction webhooks
//!   (`/webhooks/{application}/{token}...`);
//! - the per-channel limit on creating messages (`POST /channels/{id}/messages`),
//!   [`MESSAGE_LIMIT`] per [`MESSAGE_WINDOW`].
//!
//! Over a limit Discord answers 429 with `{"message", "retry_after", "global"}` and the
//! `Retry-After`, `X-RateLimit-Global` (global only) and `X-RateLimit-Scope` headers,
//! plus the route's own `X-RateLimit-*` headers when it has a bucket; under it, the
//! route's headers alone. Discord never tells how much of the global limit is left.
//!
//! Each bucket is a fixed window that opens with the first request after the previous
//! one closed, which is what `X-RateLimit-Reset-After` counts down. Time is passed in,
//! so the buckets are tested without waiting.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Requests a second a bot may make, outside interaction endpoints.
pub const GLOBAL_LIMIT: u32 = 50;
/// The global limit's window.
pub const GLOBAL_WINDOW: Duration = Duration::from_secs(1);
/// Messages a bot may create in one channel per [`MESSAGE_WINDOW`].
pub const MESSAGE_LIMIT: u32 = 5;
/// The message-creation limit's window.
pub const MESSAGE_WINDOW: Duration = Duration::from_secs(5);
/// `X-RateLimit-Bucket` of message creation. Discord's bucket ids leave out the
/// top-level resource, so every channel's bucket has the same id.
pub const MESSAGE_BUCKET: &str = "80c17d2f203122d936070c88c8d10f33";

/// An HTTP header of an answer.
pub type Header = (&'static str, String);

/// What a bucket has left, as its `X-RateLimit-*` headers tell it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// Until the window closes and the bucket is full again.
    pub reset_after: Duration,
}

/// `limit` requests per `window`.
#[derive(Clone, Debug)]
pub struct Bucket {
    limit: u32,
    window: Duration,
    used: u32,
    /// When the open window closes; `None` before the first request.
    closes_at: Option<Instant>,
}

impl Bucket {
    pub fn new(limit: u32, window: Duration) -> Bucket {
        Bucket {
            limit,
            window,
            used: 0,
            closes_at: None,
        }
    }

    /// What is left at `now`, without taking anything.
    pub fn quota(&self, now: Instant) -> Quota {
        match self.closes_at {
            Some(at) if now < at => Quota {
                limit: self.limit,
                remaining: self.limit - self.used,
                reset_after: at - now,
            },
            _ => Quota {
                limit: self.limit,
                remaining: self.limit,
                reset_after: self.window,
            },
        }
    }

    /// Takes one request at `now`: what is left after it, or, when the bucket is empty,
    /// how long until it refills. A refused request takes nothing.
    pub fn take(&mut self, now: Instant) -> Result<Quota, Duration> {
        if self.closes_at.is_none_or(|at| now >= at) {
            self.used = 0;
            self.closes_at = Some(now + self.window);
        }
        let quota = self.quota(now);
        if quota.remaining == 0 {
            return Err(quota.reset_after);
        }
        self.used += 1;
        Ok(Quota {
            remaining: quota.remaining - 1,
            ..quota
        })
    }
}

/// What the limits make of one request.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Let through; the answer carries these headers.
    Pass(Vec<Header>),
    /// Refused with a 429.
    Limited {
        /// The global limit refused it (else the route's).
        global: bool,
        /// Seconds to wait, for the body's `retry_after`.
        retry_after: f64,
        headers: Vec<Header>,
    },
}

/// The 429s the limits caused, by limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refusals {
    pub global: usize,
    /// By a channel's message-creation bucket.
    pub channel: usize,
}

impl Refusals {
    pub fn total(&self) -> usize {
        self.global + self.channel
    }
}

/// The limits of one fake Discord, for one bot.
#[derive(Debug)]
pub struct RateLimits {
    global: Bucket,
    channels: HashMap<u64, Bucket>,
    refusals: Refusals,
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits {
            global: Bucket::new(GLOBAL_LIMIT, GLOBAL_WINDOW),
            channels: HashMap::new(),
            refusals: Refusals::default(),
        }
    }
}

/// Seconds, rounded up to the millisecond so that waiting as told is never too early.
fn seconds(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).ceil() / 1000.0
}

/// The route headers of a bucket; `unix_now` (seconds since the epoch) dates the reset.
fn route_headers(quota: Quota, unix_now: f64) -> Vec<Header> {
    let reset_after = seconds(quota.reset_after);
    vec![
        ("x-ratelimit-limit", quota.limit.to_string()),
        ("x-ratelimit-remaining", quota.remaining.to_string()),
        (
            "x-ratelimit-reset",
            format!("{:.3}", unix_now + reset_after),
        ),
        ("x-ratelimit-reset-after", format!("{reset_after:.3}")),
        ("x-ratelimit-bucket", MESSAGE_BUCKET.to_string()),
    ]
}

/// `Retry-After` is whole seconds, rounded up (Discord's example: 65 for 64.57).
fn retry_after_header(retry_after: f64) -> Header {
    ("retry-after", format!("{}", retry_after.ceil() as u64))
}

impl RateLimits {
    /// Counts `method path` (without `/api/v10`) at `now`; `unix_now` dates the
    /// `X-RateLimit-Reset` headers.
    pub fn check(&mut self, method: &str, path: &str, now: Instant, unix_now: f64) -> Verdict {
        let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
        let exempt = matches!(seg.as_slice(), ["interactions", ..] | ["webhooks", ..]);
        let channel = match (method, seg.as_slice()) {
            ("POST", ["channels", id, "messages"]) => id.parse::<u64>().ok(),
            _ => None,
        };
        let route = channel.map(|id| {
            self.channels
                .entry(id)
                .or_insert_with(|| Bucket::new(MESSAGE_LIMIT, MESSAGE_WINDOW))
        });
        if !exempt && let Err(wait) = self.global.take(now) {
            self.refusals.global += 1;
            let retry_after = seconds(wait);
            let mut headers = vec![
                retry_after_header(retry_after),
                ("x-ratelimit-global", "true".to_string()),
                ("x-ratelimit-scope", "global".to_string()),
            ];
            if let Some(bucket) = route {
                headers.extend(route_headers(bucket.quota(now), unix_now));
            }
            return Verdict::Limited {
                global: true,
                retry_after,
                headers,
            };
        }
        let Some(bucket) = route else {
            return Verdict::Pass(Vec::new());
        };
        match bucket.take(now) {
            Ok(quota) => Verdict::Pass(route_headers(quota, unix_now)),
            Err(wait) => {
                self.refusals.channel += 1;
                let retry_after = seconds(wait);
                let mut headers = vec![
                    retry_after_header(retry_after),
                    // A bot's own limit on this route, not one shared by everyone.
                    ("x-ratelimit-scope", "user".to_string()),
                ];
                headers.extend(route_headers(bucket.quota(now), unix_now));
                Verdict::Limited {
                    global: false,
                    retry_after,
                    headers,
                }
            }
        }
    }

    /// The 429s so far.
    pub fn refusals(&self) -> Refusals {
        self.refusals
    }
}
