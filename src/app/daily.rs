//! Daily posts, as the core runs them: a due server's post claimed in the store's
//! ledger and composed, handed to the front end to send with a nonce, and its outcome
//! recorded (sent, or retried, paused or skipped as [`after_failure`] says). A
//! database error never drops a server: it is queued again after a backoff
//! ([`after_store_failure`]), and loading the schedules at start is retried the same way.

use chrono::{DateTime, Utc};

use crate::commands::recap_reply;
use crate::daily::{
    CLAIM_TIMEOUT, Fault, Next, PostKind, Rotation, after_failure, after_store_failure, compose,
    recapped_week,
};
use crate::monitor;
use crate::quiz::UnixMillis;
use crate::reply::Reply;
use crate::store::{Claim, Due, Store, StoreError};

use super::{App, Delivery, Effect, PostTag, lock};

/// A daily post on its way: the claim that allows it, and what to record once sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyTag {
    pub claim: Claim,
    /// What the post is about, for the ledger (a [`crate::daily::Subject::key`]).
    pub subject: String,
    /// The rotation once the post has gone out, when the post came from it.
    pub rotation: Option<Rotation>,
    /// When it was claimed and handed out: what a retry's wait counts from, however
    /// long the send took.
    pub sent_at: DateTime<Utc>,
}

impl App {
    /// Loads every server's next post into the queue, settling what a previous run
    /// left half done (see [`crate::store::Daily::startup`]); on a database error,
    /// tries again later.
    pub(super) async fn load_daily(&self) {
        let now = self.clock.now();
        let loaded = match self.store().await {
            Ok(store) => store.daily().startup(now, self.shards()).await,
            Err(error) => Err(error),
        };
        let mut timers = lock(&self.timers);
        match loaded {
            Ok(due) => {
                for (guild_id, at) in due {
                    timers.daily.insert(guild_id, at);
                }
                timers.startup_failures = 0;
                tracing::info!("daily posts scheduled for {} servers", timers.daily.len());
            }
            Err(error) => {
                timers.startup_failures += 1;
                let at = after_store_failure(timers.startup_failures, now);
                timers.startup_retry = Some(at);
                tracing::error!(%error, retry_at = %at, "cannot load the daily schedules");
            }
        }
        drop(timers);
        self.changed.notify_one();
    }

    /// Queues `guild_id` again after a database error, waiting longer after each
    /// failure in a row.
    fn store_failed(&self, guild_id: u64, error: &StoreError, doing: &str) {
        let now = self.clock.now();
        let mut timers = lock(&self.timers);
        let failures = timers.store_failures.entry(guild_id).or_insert(0);
        *failures += 1;
        let at = after_store_failure(*failures, now);
        timers.daily.insert(guild_id, at);
        drop(timers);
        tracing::error!(guild_id, %error, retry_at = %at, "cannot {doing}");
        self.changed.notify_one();
    }

    /// `guild_id`'s posts that are due (the day's fact, and on Mondays the weekly
    /// recap when it is on): claimed, composed, to be posted.
    pub(super) async fn post_daily(&self, guild_id: u64) -> Vec<Effect> {
        let now = self.clock.now();
        let store = match self.store().await {
            Ok(store) => store,
            Err(error) => {
                self.store_failed(guild_id, &error, "open the database for a daily post");
                return Vec::new();
            }
        };
        let daily = store.daily();
        let mut posts = Vec::new();
        for kind in [PostKind::Fact, PostKind::Recap] {
            let claim = match daily.claim_due(guild_id, kind, now).await {
                Ok(Due::Claimed(claim)) => claim,
                Ok(Due::Nothing) => continue,
                Ok(Due::NotScheduled) => return posts,
                Err(error) => {
                    self.store_failed(guild_id, &error, "claim the daily post");
                    return posts;
                }
            };
            lock(&self.timers).store_failures.remove(&guild_id);
            let composed = match kind {
                PostKind::Fact => Ok(compose(&self.data, claim.slot.date, &claim.rotation)
                    .map(|post| (post.reply, post.subject.key(), post.rotation))),
                PostKind::Recap => recap(store, &claim)
                    .await
                    .map(|recap| recap.map(|(reply, subject)| (reply, subject, None))),
            };
            match composed {
                Ok(Some((reply, subject, rotation))) => posts.push(Effect::Post {
                    channel_id: claim.channel_id,
                    reply,
                    nonce: claim.nonce(),
                    delivery: Delivery::Once,
                    tag: Some(PostTag::Daily(DailyTag {
                        subject,
                        rotation,
                        claim,
                        sent_at: now,
                    })),
                }),
                Ok(None) => {
                    count_daily("skipped");
                    let why = match kind {
                        PostKind::Fact => "the dataset has nothing to post",
                        PostKind::Recap => "nobody played last week",
                    };
                    if let Err(error) = daily.skip(&claim, why, now).await {
                        tracing::error!(%error, guild_id, "cannot record the daily post skipped");
                    }
                }
                Err(error) => {
                    if let Err(error) = daily.release(&claim, now).await {
                        tracing::error!(%error, guild_id, "cannot release the weekly recap");
                    }
                    self.store_failed(guild_id, &error, "read the week for its recap");
                    return posts;
                }
            }
        }
        // A post sent is queued again once its outcome is known.
        if posts.is_empty() {
            self.requeue(store, guild_id, now).await;
        }
        posts
    }

    /// Records how a daily post went, and queues what comes next.
    pub(super) async fn daily_posted(&self, tag: DailyTag, outcome: Result<u64, Fault>) {
        let now = tag.sent_at;
        let guild_id = tag.claim.guild_id;
        let store = match self.store().await {
            Ok(store) => store,
            Err(error) => {
                // The claim stays held: nothing goes out again for this date before it
                // is stale, and a failed post is tried again once it is.
                self.store_failed(guild_id, &error, "record the daily post");
                return;
            }
        };
        let daily = store.daily();
        let recorded = match outcome {
            Ok(message_id) => {
                count_daily("sent");
                daily
                    .mark_sent(&tag.claim, &tag.subject, tag.rotation, message_id, now)
                    .await
                    .map(|_| ())
            }
            Err(fault) => match after_failure(fault, tag.claim.attempt, now) {
                Next::RetryAt(at) => {
                    count_daily("retried");
                    let at = match daily.release(&tag.claim, now).await {
                        Ok(()) => at,
                        Err(error) => {
                            tracing::error!(%error, guild_id, "cannot release the daily post");
                            // Taken again once the claim is stale.
                            at.max(now + CLAIM_TIMEOUT)
                        }
                    };
                    self.set_daily_timer(guild_id, at);
                    return;
                }
                Next::Pause(reason) => {
                    count_daily("paused");
                    daily.pause(&tag.claim, reason, now).await
                }
                Next::GiveUp => {
                    count_daily("skipped");
                    daily
                        .skip(&tag.claim, "Discord refused the post", now)
                        .await
                }
            },
        };
        if let Err(error) = recorded {
            tracing::error!(%error, guild_id, "cannot record the daily post");
        }
        self.requeue(store, guild_id, now).await;
    }

    /// Queues `guild_id`'s next post, or takes it off the queue when its posts stopped.
    async fn requeue(&self, store: &Store, guild_id: u64, now: DateTime<Utc>) {
        match store.daily().next_wake(guild_id, now).await {
            Ok(Some(at)) => self.set_daily_timer(guild_id, at),
            Ok(None) => {
                lock(&self.timers).daily.remove(guild_id);
            }
            Err(error) => self.store_failed(guild_id, &error, "read the daily schedule"),
        }
    }
}

/// Players a weekly recap lists: the podium and the rest of the top ten.
const RECAP_PLACES: u32 = 10;

/// The weekly recap `claim` allows, with its ledger subject (`recap:` and the week's
/// first date); `None` when nobody played that week.
async fn recap(store: &Store, claim: &Claim) -> Result<Option<(Reply, String)>, StoreError> {
    let Some(stored) = store.daily().schedule(claim.guild_id).await? else {
        return Ok(None);
    };
    let start = recapped_week(&stored.schedule, &claim.slot);
    let week = Some(UnixMillis::from_datetime(start));
    let board = store
        .leaderboard(claim.guild_id, week, 1, RECAP_PLACES)
        .await?;
    if board.players == 0 {
        return Ok(None);
    }
    let best = store.best_streak(claim.guild_id, week).await?;
    let week_of = start.with_timezone(&stored.schedule.zone).date_naive();
    let reply = recap_reply(&board, best.as_ref(), week_of);
    Ok(Some((reply, format!("recap:{week_of}"))))
}

/// Counts a daily post's `result` in [`monitor::DAILY_POSTS`].
fn count_daily(result: &'static str) {
    metrics::counter!(monitor::DAILY_POSTS, "result" => result).increment(1);
}
