//! Runs the daily posts: one task sleeps until the earliest due post of all servers
//! (`crate::daily::DailyQueue`), claims it in the ledger, sends it, and records the
//! outcome; `/daily` commands change the queue and wake the task.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serenity::all::{Channel, ChannelId, CreateMessage, GuildId, Http, Nonce, Permissions, UserId};
use serenity::http::HttpError;
use tokio::sync::Notify;

use super::render::{components, embed, no_pings};
use crate::clock::Clock;
use crate::commands::{self, Args, Caller};
use crate::daily::{DailyQueue, Fault, MissingPermission, Next, after_failure, check_channel};
use crate::data::Dataset;
use crate::reply::Reply;
use crate::store::{Due, Store};

/// The daily-post scheduler.
pub struct DailyRunner {
    data: Arc<Dataset>,
    store: Store,
    clock: Clock,
    queue: Mutex<DailyQueue>,
    /// Rings when a command changed the queue, so the sleeping task looks again.
    changed: Notify,
}

impl DailyRunner {
    pub fn new(data: Arc<Dataset>, store: Store, clock: Clock) -> Arc<DailyRunner> {
        Arc::new(DailyRunner {
            data,
            store,
            clock,
            queue: Mutex::new(DailyQueue::new()),
            changed: Notify::new(),
        })
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, DailyQueue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Loads every schedule (settling what a previous run left half done) and posts
    /// each day's posts until the process ends.
    pub async fn run(self: Arc<Self>, http: Arc<Http>) {
        match self.store.daily().startup(self.clock.now()).await {
            Ok(due) => {
                let mut queue = self.queue();
                for (guild, at) in due {
                    queue.insert(guild, at);
                }
                tracing::info!("daily posts scheduled for {} servers", queue.len());
            }
            Err(error) => tracing::error!("cannot load the daily schedules: {error}"),
        }
        loop {
            let next = self.queue().next_wake();
            let changed = self.changed.notified();
            match next {
                Some(at) => {
                    tokio::select! {
                        () = self.clock.sleep_until(at) => {}
                        () = changed => continue,
                    }
                }
                None => {
                    changed.await;
                    continue;
                }
            }
            let due = self.queue().due(self.clock.now());
            for guild in due {
                self.post(&http, guild).await;
            }
        }
    }

    /// Sends `guild`'s due post, if it still is, and queues what comes next.
    async fn post(&self, http: &Http, guild: u64) {
        let now = self.clock.now();
        let daily = self.store.daily();
        let claim = match daily.claim_due(guild, now).await {
            Ok(Due::Claimed(claim)) => claim,
            Ok(Due::Nothing) => return self.requeue(guild, now).await,
            Ok(Due::NotScheduled) => return,
            Err(error) => {
                tracing::error!(guild, "cannot claim the daily post: {error}");
                return;
            }
        };
        let Some(post) = claim.post(&self.data) else {
            let _ = daily
                .skip(&claim, "the dataset has nothing to post", now)
                .await;
            return self.requeue(guild, now).await;
        };
        let message = CreateMessage::new()
            .embed(embed(&post.reply))
            .components(components(&post.reply))
            .allowed_mentions(no_pings())
            .nonce(Nonce::String(claim.nonce()))
            .enforce_nonce(true);
        let channel = ChannelId::new(claim.channel_id.max(1));
        let outcome = match http.send_message(channel, Vec::new(), &message).await {
            Ok(sent) => daily
                .mark_sent(&claim, &post, sent.id.get(), now)
                .await
                .map(|_| ()),
            Err(error) => {
                let fault = fault(&error);
                tracing::warn!(
                    guild,
                    "daily post failed: {}",
                    super::retry::describe(&error)
                );
                match after_failure(fault, claim.attempt, now) {
                    Next::RetryAt(at) => {
                        self.queue().insert(guild, at);
                        return log_store(daily.release(&claim, now).await);
                    }
                    Next::Pause(reason) => daily.pause(&claim, reason, now).await,
                    Next::GiveUp => daily.skip(&claim, "Discord refused the post", now).await,
                }
            }
        };
        log_store(outcome);
        self.requeue(guild, now).await;
    }

    async fn requeue(&self, guild: u64, now: DateTime<Utc>) {
        match self.store.daily().next_wake(guild, now).await {
            Ok(Some(at)) => self.queue().insert(guild, at),
            Ok(None) => {
                self.queue().remove(guild);
            }
            Err(error) => tracing::error!(guild, "cannot read the daily schedule: {error}"),
        }
    }

    /// Answers `/daily`, checking first that the bot can post in a channel being set.
    pub async fn command(
        &self,
        http: &Http,
        caller: &Caller,
        args: &Args,
        app_permissions: Option<Permissions>,
    ) -> Reply {
        let access = match (commands::daily::channel_to_check(args), caller.guild_id) {
            (Some(channel), Some(guild)) => {
                let bits = if channel == caller.channel_id {
                    // Discord sends the bot's permissions in the channel it is used in.
                    app_permissions.map_or(0, |p| p.bits())
                } else {
                    bot_permissions(http, guild, channel).await
                };
                check_channel(bits)
            }
            _ => Ok::<(), MissingPermission>(()),
        };
        let answer = commands::daily::answer(
            &self.store,
            &self.data,
            caller,
            args,
            self.clock.now(),
            access,
        )
        .await;
        if let Some(change) = answer.queue {
            self.queue().apply(change);
            self.changed.notify_one();
        }
        answer.reply
    }
}

fn log_store<E: std::fmt::Display>(outcome: Result<(), E>) {
    if let Err(error) = outcome {
        tracing::error!("cannot record the daily post: {error}");
    }
}

/// The failure of a post as the retry policy reads it.
fn fault(error: &serenity::Error) -> Fault {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            // serenity keeps no `retry_after`: the policy's default wait applies.
            Fault::from_status(response.status_code.as_u16(), None)
        }
        _ => Fault::Unavailable,
    }
}

/// The bot's permission bits in `channel` of `guild`, from the guild's roles, the
/// bot's roles and the channel's overwrites; 0 when the bot cannot see it.
async fn bot_permissions(http: &Http, guild: u64, channel: u64) -> u64 {
    let guild_id = GuildId::new(guild.max(1));
    // A bot's user id is its application's id (taken from the token, or from READY).
    let Some(bot) = http.application_id().map(|id| UserId::new(id.get())) else {
        return 0;
    };
    let fetched = tokio::try_join!(
        http.get_guild(guild_id),
        http.get_channel(ChannelId::new(channel.max(1))),
        http.get_member(guild_id, bot),
    );
    match fetched {
        Ok((guild, Channel::Guild(channel), member)) if channel.guild_id == guild.id => {
            guild.user_permissions_in(&channel, &member).bits()
        }
        Ok(_) => 0,
        Err(error) => {
            tracing::debug!("cannot read the channel's permissions: {error}");
            0
        }
    }
}
