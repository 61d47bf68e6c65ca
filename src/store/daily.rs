//! Daily posts in the database: each server's schedule, where its rotation stands,
//! and the ledger that lets a server's post of a kind (the daily fact, Monday's
//! weekly recap) for a local date go out at most once.
//!
//! The ledger's primary key is (server, kind, local date), and a trigger keeps a sent post
//! sent, so "never twice for one date" holds in the database, not only in this code.
//! A post is claimed before it is sent and marked sent after. The bot runs as one
//! process per database: on start, claims left by a previous process (which stopped
//! between claiming and marking) are released, and every post due within the last
//! [`CATCH_UP_WINDOW`] that did not go out is sent; older ones are skipped and logged.
//! A crash between Discord accepting a post and the "sent" mark could repeat that one
//! post on restart; [`Claim::nonce`] lets Discord drop the repeat.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Shards, Store, StoreError};
use crate::daily::{
    CATCH_UP_WINDOW, CLAIM_TIMEOUT, DailySchedule, LocalTime, PauseReason, PostKind, Rotation,
    Slot, still_worth_sending,
};

/// Marks a claimed post skipped, with why: for [`Daily::skip`] and [`Daily::pause`].
async fn mark_skipped<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    claim: &Claim,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE daily_posts SET state = 'skipped', note = $3, updated_at = $4
         WHERE guild_id = $1 AND kind = $5 AND local_date = $2 AND state = 'claimed'",
    )
    .bind(sql_id(claim.guild_id))
    .bind(date_text(claim.slot.date))
    .bind(note)
    .bind(now.timestamp())
    .bind(claim.kind.as_str())
    .execute(executor)
    .await?;
    Ok(())
}

/// Discord ids are 64-bit; SQL integers are signed. The bits are stored as they
/// are, so every id comes back unchanged.
fn sql_id(id: u64) -> i64 {
    id as i64
}

fn from_sql_id(id: i64) -> u64 {
    id as u64
}

/// A count stored as a 64-bit integer, read back into the `u32` it was.
fn count(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Unreadable(format!("the count {value}")))
}

fn instant(seconds: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| StoreError::Unreadable(format!("the instant {seconds}")))
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn read_date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::from_str(text).map_err(|_| StoreError::Unreadable(format!("the date {text:?}")))
}

/// A server's schedule as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSchedule {
    pub schedule: DailySchedule,
    /// When it was last set: posts due before are not owed.
    pub since: DateTime<Utc>,
}

/// Where a post of the ledger stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostState {
    /// Being sent.
    Claimed,
    /// A send failed and may be tried again.
    Released,
    /// Discord has it.
    Sent,
    /// It will not go out: too late, refused, or the schedule paused.
    Skipped,
}

impl PostState {
    fn parse(text: &str) -> Result<PostState, StoreError> {
        match text {
            "claimed" => Ok(PostState::Claimed),
            "released" => Ok(PostState::Released),
            "sent" => Ok(PostState::Sent),
            "skipped" => Ok(PostState::Skipped),
            other => Err(StoreError::Unreadable(format!("the post state {other:?}"))),
        }
    }
}

/// The right to send one server's post of one kind for one local date, held between
/// [`Daily::claim`] and [`Daily::mark_sent`], [`Daily::release`], [`Daily::skip`] or
/// [`Daily::pause`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub guild_id: u64,
    /// The daily fact, or Monday's recap.
    pub kind: PostKind,
    /// Where the post goes.
    pub channel_id: u64,
    /// The post's local date and due instant.
    pub slot: Slot,
    /// 1 for the first attempt at this post, 2 after one release, and so on: what
    /// [`crate::daily::after_failure`] takes.
    pub attempt: u32,
    /// The server's rotation as it stood when claimed.
    pub rotation: Rotation,
}

impl Claim {
    /// A message nonce (at most 25 characters) unique to this server, kind and date:
    /// sent with `enforce_nonce`, Discord answers a repeat with the first message
    /// instead of posting it again.
    pub fn nonce(&self) -> String {
        let days = self.slot.date.num_days_from_ce();
        let kind = match self.kind {
            PostKind::Fact => 'd',
            PostKind::Recap => 'w',
        };
        format!("{kind}{:x}.{:x}", self.guild_id, days)
    }
}

/// What [`Daily::claim`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// The post is ours to send.
    Claimed(Claim),
    /// The ledger already holds this post in this state (not released).
    Taken(PostState),
    /// The server has no running schedule (off, or paused), or no post of this kind
    /// on that date.
    NotScheduled,
}

/// What a server due at some instant needs, from [`Daily::claim_due`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    /// Send this post now.
    Claimed(Claim),
    /// Nothing to send: the post already went out or is being sent, the schedule was
    /// set after the post's time, or it is too late (recorded as skipped and logged).
    Nothing,
    /// No running schedule: leave the server out of the queue.
    NotScheduled,
}

/// A post that went out, for `/daily status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentPost {
    pub date: NaiveDate,
    /// When Discord took it.
    pub sent_at: DateTime<Utc>,
    /// What it was about: a [`crate::daily::Subject::key`].
    pub subject: String,
}

/// The daily-post tables; from [`Store::daily`].
#[derive(Clone, Copy, Debug)]
pub struct Daily<'s> {
    store: &'s Store,
}

impl Store {
    /// The daily-post tables.
    pub fn daily(&self) -> Daily<'_> {
        Daily { store: self }
    }
}

fn read_schedule(row: &AnyRow) -> Result<(u64, StoredSchedule), StoreError> {
    let guild_id = from_sql_id(row.try_get("guild_id")?);
    let time_text: String = row.try_get("local_time")?;
    let zone_text: String = row.try_get("time_zone")?;
    let time = LocalTime::from_str(&time_text)
        .map_err(|_| StoreError::Unreadable(format!("the time {time_text:?}")))?;
    let zone = Tz::from_str(&zone_text)
        .map_err(|_| StoreError::Unreadable(format!("the time zone {zone_text:?}")))?;
    let schedule = DailySchedule {
        channel_id: from_sql_id(row.try_get("channel_id")?),
        time,
        zone,
        paused: row.try_get("paused")?,
        recap: row.try_get::<i64, _>("recap")? != 0,
    };
    let since = instant(row.try_get("since")?)?;
    Ok((guild_id, StoredSchedule { schedule, since }))
}

impl Daily<'_> {
    fn pool(&self) -> &sqlx::AnyPool {
        self.store.pool()
    }

    /// Turns daily posts on for `guild_id` (or changes them), effective from `now`;
    /// clears a pause. The rotation carries on where it stood.
    pub async fn set(
        &self,
        guild_id: u64,
        schedule: &DailySchedule,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO daily_schedules
                 (guild_id, channel_id, local_time, time_zone, paused, since, recap)
             VALUES ($1, $2, $3, $4, NULL, $5, $6)
             ON CONFLICT (guild_id) DO UPDATE SET
                 channel_id = excluded.channel_id,
                 local_time = excluded.local_time,
                 time_zone = excluded.time_zone,
                 paused = NULL,
                 since = excluded.since,
                 recap = excluded.recap",
        )
        .bind(sql_id(guild_id))
        .bind(sql_id(schedule.channel_id))
        .bind(schedule.time.to_string())
        .bind(schedule.zone.name())
        .bind(now.timestamp())
        .bind(i64::from(schedule.recap))
        .execute(&mut *tx)
        .await?;
        let rotation = Rotation::new(guild_id);
        sqlx::query(
            "INSERT INTO daily_rotations (guild_id, seed, cycle, position, size)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (guild_id) DO NOTHING",
        )
        .bind(sql_id(guild_id))
        .bind(sql_id(rotation.seed))
        .bind(i64::from(rotation.cycle))
        .bind(i64::from(rotation.position))
        .bind(i64::from(rotation.size))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns daily posts off for `guild_id`; whether they were on. The ledger and the
    /// rotation stay.
    pub async fn off(&self, guild_id: u64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM daily_schedules WHERE guild_id = $1")
            .bind(sql_id(guild_id))
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// `guild_id`'s schedule, paused or not.
    pub async fn schedule(&self, guild_id: u64) -> Result<Option<StoredSchedule>, StoreError> {
        let row = sqlx::query("SELECT * FROM daily_schedules WHERE guild_id = $1")
            .bind(sql_id(guild_id))
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| read_schedule(&row).map(|(_, stored)| stored))
            .transpose()
    }

    /// Every running (not paused) schedule of `shards`' servers.
    pub async fn running(&self, shards: Shards) -> Result<Vec<(u64, StoredSchedule)>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM daily_schedules
             WHERE paused IS NULL AND (guild_id >> 22) % $1 BETWEEN $2 AND $3",
        )
        .bind(i64::from(shards.count))
        .bind(i64::from(shards.first))
        .bind(i64::from(shards.last))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(read_schedule).collect()
    }

    /// Where `guild_id`'s rotation stands (a fresh one if it has none).
    pub async fn rotation(&self, guild_id: u64) -> Result<Rotation, StoreError> {
        let row = sqlx::query(
            "SELECT seed, cycle, position, size FROM daily_rotations WHERE guild_id = $1",
        )
        .bind(sql_id(guild_id))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(Rotation::new(guild_id));
        };
        Ok(Rotation {
            seed: from_sql_id(row.try_get("seed")?),
            cycle: count(row.try_get("cycle")?)?,
            position: count(row.try_get("position")?)?,
            size: count(row.try_get("size")?)?,
        })
    }

    /// The last daily fact that went out in `guild_id`.
    pub async fn last_post(&self, guild_id: u64) -> Result<Option<SentPost>, StoreError> {
        let row = sqlx::query(
            "SELECT local_date, updated_at, subject FROM daily_posts
             WHERE guild_id = $1 AND kind = 'fact' AND state = 'sent'
             ORDER BY local_date DESC LIMIT 1",
        )
        .bind(sql_id(guild_id))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let date: String = row.try_get("local_date")?;
        let subject: Option<String> = row.try_get("subject")?;
        Ok(Some(SentPost {
            date: read_date(&date)?,
            sent_at: instant(row.try_get("updated_at")?)?,
            subject: subject.unwrap_or_default(),
        }))
    }

    /// Where the ledger stands for `guild_id`'s post of `kind` on local date `date`.
    pub async fn state(
        &self,
        guild_id: u64,
        kind: PostKind,
        date: NaiveDate,
    ) -> Result<Option<PostState>, StoreError> {
        let state: Option<String> = sqlx::query_scalar(
            "SELECT state FROM daily_posts WHERE guild_id = $1 AND kind = $3 AND local_date = $2",
        )
        .bind(sql_id(guild_id))
        .bind(date_text(date))
        .bind(kind.as_str())
        .fetch_optional(self.pool())
        .await?;
        state.as_deref().map(PostState::parse).transpose()
    }

    /// When `guild_id`'s next post after `now` is due, if its schedule is running.
    pub async fn next_wake(
        &self,
        guild_id: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .schedule(guild_id)
            .await?
            .filter(|stored| stored.schedule.paused.is_none())
            .map(|stored| stored.schedule.next_slot(now).at))
    }

    /// Claims `guild_id`'s post of `kind` of `slot`: refused when the ledger already
    /// holds it (claimed, sent or skipped), granted when it is new, was released, or
    /// was claimed longer than [`CLAIM_TIMEOUT`] ago (its holder failed even to
    /// release it).
    pub async fn claim(
        &self,
        guild_id: u64,
        kind: PostKind,
        slot: Slot,
        now: DateTime<Utc>,
    ) -> Result<ClaimOutcome, StoreError> {
        let Some(stored) = self.schedule(guild_id).await? else {
            return Ok(ClaimOutcome::NotScheduled);
        };
        if stored.schedule.paused.is_some() || !kind.is_due_on(&stored.schedule, slot.date) {
            return Ok(ClaimOutcome::NotScheduled);
        }
        let attempts: Option<i64> = sqlx::query_scalar(
            "INSERT INTO daily_posts
                 (guild_id, kind, local_date, due_at, state, attempts, updated_at)
             VALUES ($1, $6, $2, $3, 'claimed', 1, $4)
             ON CONFLICT (guild_id, kind, local_date) DO UPDATE SET
                 state = 'claimed',
                 attempts = daily_posts.attempts + 1,
                 updated_at = excluded.updated_at
             WHERE daily_posts.state = 'released'
                OR (daily_posts.state = 'claimed' AND daily_posts.updated_at <= $5)
             RETURNING attempts",
        )
        .bind(sql_id(guild_id))
        .bind(date_text(slot.date))
        .bind(slot.at.timestamp())
        .bind(now.timestamp())
        .bind((now - CLAIM_TIMEOUT).timestamp())
        .bind(kind.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(attempt) = attempts else {
            let state = self.state(guild_id, kind, slot.date).await?;
            return Ok(ClaimOutcome::Taken(state.unwrap_or(PostState::Claimed)));
        };
        Ok(ClaimOutcome::Claimed(Claim {
            guild_id,
            kind,
            channel_id: stored.schedule.channel_id,
            slot,
            attempt: count(attempt)?,
            rotation: self.rotation(guild_id).await?,
        }))
    }

    /// What `guild_id`, taken from the queue at `now`, needs of `kind`: its latest post
    /// is claimed if it is owed and at most [`CATCH_UP_WINDOW`] late; a later one is
    /// recorded as skipped and logged.
    pub async fn claim_due(
        &self,
        guild_id: u64,
        kind: PostKind,
        now: DateTime<Utc>,
    ) -> Result<Due, StoreError> {
        let Some(stored) = self.schedule(guild_id).await? else {
            return Ok(Due::NotScheduled);
        };
        if stored.schedule.paused.is_some() {
            return Ok(Due::NotScheduled);
        }
        let slot = stored.schedule.last_slot(now);
        if slot.at < stored.since || !kind.is_due_on(&stored.schedule, slot.date) {
            return Ok(Due::Nothing);
        }
        if !still_worth_sending(&slot, now) {
            self.record_missed(guild_id, kind, slot, now).await?;
            return Ok(Due::Nothing);
        }
        Ok(match self.claim(guild_id, kind, slot, now).await? {
            ClaimOutcome::Claimed(claim) => Due::Claimed(claim),
            ClaimOutcome::Taken(_) => Due::Nothing,
            ClaimOutcome::NotScheduled => Due::NotScheduled,
        })
    }

    /// Records a post that is too late to send, unless the ledger already has it
    /// (other than released).
    async fn record_missed(
        &self,
        guild_id: u64,
        kind: PostKind,
        slot: Slot,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let late = now - slot.at;
        let note = format!(
            "missed: {} h {} min late, more than the {} h catch-up window",
            late.num_hours(),
            late.num_minutes() % 60,
            CATCH_UP_WINDOW.num_hours()
        );
        let done = sqlx::query(
            "INSERT INTO daily_posts (guild_id, kind, local_date, due_at, state, updated_at, note)
             VALUES ($1, $6, $2, $3, 'skipped', $4, $5)
             ON CONFLICT (guild_id, kind, local_date) DO UPDATE SET
                 state = 'skipped', updated_at = excluded.updated_at, note = excluded.note
             WHERE daily_posts.state = 'released'",
        )
        .bind(sql_id(guild_id))
        .bind(date_text(slot.date))
        .bind(slot.at.timestamp())
        .bind(now.timestamp())
        .bind(&note)
        .bind(kind.as_str())
        .execute(self.pool())
        .await?;
        if done.rows_affected() > 0 {
            tracing::warn!(guild_id, kind = kind.as_str(), date = %slot.date, due = %slot.at, "daily post skipped, {note}");
        }
        Ok(())
    }

    /// Marks a claimed post sent, as message `message_id` about `subject` (a
    /// [`crate::daily::Subject::key`]), and moves the rotation on to `rotation` when the
    /// post came from it; all at once. `false` when the claim was no longer held
    /// (nothing changed).
    pub async fn mark_sent(
        &self,
        claim: &Claim,
        subject: &str,
        rotation: Option<Rotation>,
        message_id: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE daily_posts SET state = 'sent', message_id = $3, subject = $4, updated_at = $5
             WHERE guild_id = $1 AND kind = $6 AND local_date = $2 AND state = 'claimed'",
        )
        .bind(sql_id(claim.guild_id))
        .bind(date_text(claim.slot.date))
        .bind(sql_id(message_id))
        .bind(subject)
        .bind(now.timestamp())
        .bind(claim.kind.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tracing::warn!(guild_id = claim.guild_id, date = %claim.slot.date, "daily post sent without a claim held");
            return Ok(false);
        }
        if let Some(rotation) = rotation {
            sqlx::query(
                "INSERT INTO daily_rotations (guild_id, seed, cycle, position, size)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (guild_id) DO UPDATE SET
                     seed = excluded.seed, cycle = excluded.cycle,
                     position = excluded.position, size = excluded.size",
            )
            .bind(sql_id(claim.guild_id))
            .bind(sql_id(rotation.seed))
            .bind(i64::from(rotation.cycle))
            .bind(i64::from(rotation.position))
            .bind(i64::from(rotation.size))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Gives a claim back after a failure worth retrying; the next claim is the next
    /// attempt.
    pub async fn release(&self, claim: &Claim, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE daily_posts SET state = 'released', updated_at = $3
             WHERE guild_id = $1 AND kind = $4 AND local_date = $2 AND state = 'claimed'",
        )
        .bind(sql_id(claim.guild_id))
        .bind(date_text(claim.slot.date))
        .bind(now.timestamp())
        .bind(claim.kind.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Leaves a claimed post out for good (Discord refused it, or retries ran out),
    /// with why; tomorrow's post goes out as usual.
    pub async fn skip(
        &self,
        claim: &Claim,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        tracing::warn!(guild_id = claim.guild_id, date = %claim.slot.date, "daily post skipped: {note}");
        mark_skipped(self.pool(), claim, note, now).await
    }

    /// Pauses the schedule of a claimed post that Discord refused for good (403, 404):
    /// the post is skipped, and the reason is kept for `/daily status` until an admin
    /// runs `/daily set` again.
    pub async fn pause(
        &self,
        claim: &Claim,
        reason: PauseReason,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = reason.to_string();
        tracing::warn!(
            guild_id = claim.guild_id,
            channel_id = claim.channel_id,
            "daily posts paused: {reason}"
        );
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE daily_schedules SET paused = $2 WHERE guild_id = $1")
            .bind(sql_id(claim.guild_id))
            .bind(&reason)
            .execute(&mut *tx)
            .await?;
        mark_skipped(&mut *tx, claim, &format!("paused: {reason}"), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Called once when the bot starts, before anything is sent, for the servers of
    /// `shards` (the ones this process runs): releases the claims a previous process
    /// left, skips (and logs) the posts that are now too late, and returns every
    /// running server with the instant to queue it at: now or earlier for a post still
    /// owed, else its next post.
    pub async fn startup(
        &self,
        now: DateTime<Utc>,
        shards: Shards,
    ) -> Result<Vec<(u64, DateTime<Utc>)>, StoreError> {
        let interrupted = sqlx::query(
            "UPDATE daily_posts SET state = 'released', updated_at = $1
             WHERE state = 'claimed' AND (guild_id >> 22) % $2 BETWEEN $3 AND $4
             RETURNING guild_id, kind, local_date",
        )
        .bind(now.timestamp())
        .bind(i64::from(shards.count))
        .bind(i64::from(shards.first))
        .bind(i64::from(shards.last))
        .fetch_all(self.pool())
        .await?;
        for row in &interrupted {
            let guild_id = from_sql_id(row.try_get("guild_id")?);
            let kind: String = row.try_get("kind")?;
            let date: String = row.try_get("local_date")?;
            tracing::warn!(
                guild_id,
                kind,
                date,
                "daily post was claimed but not marked sent before the restart; sending it again if still due"
            );
        }
        // Dates two days back cover every zone's "today" and "yesterday".
        let oldest = now
            .date_naive()
            .checked_sub_days(Days::new(2))
            .unwrap_or(NaiveDate::MIN);
        let rows = sqlx::query(
            "SELECT guild_id, kind, local_date, state FROM daily_posts
             WHERE local_date >= $1 AND (guild_id >> 22) % $2 BETWEEN $3 AND $4",
        )
        .bind(date_text(oldest))
        .bind(i64::from(shards.count))
        .bind(i64::from(shards.first))
        .bind(i64::from(shards.last))
        .fetch_all(self.pool())
        .await?;
        let mut ledger: HashMap<(u64, String, NaiveDate), PostState> =
            HashMap::with_capacity(rows.len());
        for row in &rows {
            let date: String = row.try_get("local_date")?;
            let state: String = row.try_get("state")?;
            ledger.insert(
                (
                    from_sql_id(row.try_get("guild_id")?),
                    row.try_get("kind")?,
                    read_date(&date)?,
                ),
                PostState::parse(&state)?,
            );
        }
        let mut wakes = Vec::new();
        for (guild_id, stored) in self.running(shards).await? {
            let slot = stored.schedule.last_slot(now);
            let mut send_now = false;
            for kind in [PostKind::Fact, PostKind::Recap] {
                let owed = slot.at >= stored.since
                    && kind.is_due_on(&stored.schedule, slot.date)
                    && matches!(
                        ledger.get(&(guild_id, kind.as_str().to_string(), slot.date)),
                        None | Some(PostState::Released)
                    );
                if owed && still_worth_sending(&slot, now) {
                    send_now = true;
                } else if owed {
                    self.record_missed(guild_id, kind, slot, now).await?;
                }
            }
            let at = if send_now {
                slot.at
            } else {
                stored.schedule.next_slot(now).at
            };
            wakes.push((guild_id, at));
        }
        Ok(wakes)
    }
}
