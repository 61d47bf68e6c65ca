//! Role rewards in the database: the roles each server gives for all-time points, and
//! the ledger of grants. A player's role is owed from the first reveal that finds
//! their all-time points at its threshold; the ledger row made then is marked granted
//! once Discord gave the role, so a granted role is never given again and a failed
//! grant is owed again at the player's next reveal.

use std::collections::HashSet;

use sqlx::Row;

use super::{Store, StoreError};
use crate::quiz::UnixMillis;

/// Discord ids are unsigned, SQL integers signed: the bits are stored as they are.
fn int(value: u64) -> i64 {
    value as i64
}

fn uint(value: i64) -> u64 {
    value as u64
}

/// Ledger rows written per statement: well under the databases' limits on bound
/// values, whatever the crowd and the number of rewards.
const ROWS_PER_STATEMENT: usize = 200;

/// A statement whose text depends on how many values it binds: not kept prepared.
fn built(sql: String) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false)
}

/// `$from, $from+1, …`, `count` of them.
fn numbered(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A role a server gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reward {
    pub role_id: u64,
    /// All-time points in the server that earn it.
    pub points: u64,
}

/// A role a player is owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Earned {
    pub user_id: u64,
    pub role_id: u64,
    /// The reward's threshold.
    pub points: u64,
    /// Whether this reveal earned it (say so); else an earlier grant failed and this
    /// is its retry (say nothing).
    pub first: bool,
}

/// The reward tables; from [`Store::rewards`].
#[derive(Clone, Copy, Debug)]
pub struct Rewards<'s> {
    store: &'s Store,
}

impl Store {
    /// The role-reward tables.
    pub fn rewards(&self) -> Rewards<'_> {
        Rewards { store: self }
    }
}

impl Rewards<'_> {
    fn pool(&self) -> &sqlx::AnyPool {
        self.store.pool()
    }

    /// Makes `role_id` a reward of `guild_id` at `points`; the threshold it had
    /// before, if it was one.
    pub async fn add(
        &self,
        guild_id: u64,
        role_id: u64,
        points: u64,
    ) -> Result<Option<u64>, StoreError> {
        let mut tx = self.pool().begin().await?;
        let before: Option<i64> =
            sqlx::query_scalar("SELECT points FROM rewards WHERE guild_id = $1 AND role_id = $2")
                .bind(int(guild_id))
                .bind(int(role_id))
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO rewards (guild_id, role_id, points) VALUES ($1, $2, $3)
             ON CONFLICT (guild_id, role_id) DO UPDATE SET points = excluded.points",
        )
        .bind(int(guild_id))
        .bind(int(role_id))
        .bind(int(points))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(before.map(uint))
    }

    /// `guild_id`'s rewards, lowest threshold first.
    pub async fn list(&self, guild_id: u64) -> Result<Vec<Reward>, StoreError> {
        let rows = sqlx::query(
            "SELECT role_id, points FROM rewards WHERE guild_id = $1 ORDER BY points, role_id",
        )
        .bind(int(guild_id))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Reward {
                    role_id: uint(row.try_get("role_id")?),
                    points: uint(row.try_get("points")?),
                })
            })
            .collect()
    }

    /// Stops giving `role_id` in `guild_id`, forgetting who was given it (so adding it
    /// again gives it afresh); whether it was a reward.
    pub async fn remove(&self, guild_id: u64, role_id: u64) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM reward_grants WHERE guild_id = $1 AND role_id = $2")
            .bind(int(guild_id))
            .bind(int(role_id))
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM rewards WHERE guild_id = $1 AND role_id = $2")
            .bind(int(guild_id))
            .bind(int(role_id))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// The roles owed to `players` of `guild_id` after a reveal at `at` (their totals
    /// saved): each reward whose threshold their all-time points reach and that
    /// Discord has not given them yet. A role owed for the first time is entered in
    /// the ledger here, so that two reveals at once announce it once.
    pub async fn owed(
        &self,
        guild_id: u64,
        players: &[u64],
        at: UnixMillis,
    ) -> Result<Vec<Earned>, StoreError> {
        if players.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = built(format!(
            "SELECT t.user_id, r.role_id, r.points, g.user_id AS entered
             FROM totals t
             JOIN rewards r ON r.guild_id = t.guild_id AND r.points <= t.points
             LEFT JOIN reward_grants g ON g.guild_id = r.guild_id AND g.role_id = r.role_id
                 AND g.user_id = t.user_id
             WHERE t.guild_id = $1 AND t.period = 0 AND t.user_id IN ({})
                 AND (g.granted IS NULL OR g.granted = 0)
             ORDER BY t.user_id, r.points, r.role_id",
            numbered(2, players.len())
        ))
        .bind(int(guild_id));
        for player in players {
            query = query.bind(int(*player));
        }
        let mut owed = Vec::new();
        for row in query.fetch_all(self.pool()).await? {
            let entered: Option<i64> = row.try_get("entered")?;
            owed.push(Earned {
                user_id: uint(row.try_get("user_id")?),
                role_id: uint(row.try_get("role_id")?),
                points: uint(row.try_get("points")?),
                first: entered.is_none(),
            });
        }
        let new: Vec<Earned> = owed.iter().copied().filter(|e| e.first).collect();
        let mut entered = HashSet::new();
        for chunk in new.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("({})", numbered(4 * i + 1, 4)))
                .collect();
            let mut insert = built(format!(
                "INSERT INTO reward_grants (guild_id, user_id, role_id, earned_at) VALUES {}
                 ON CONFLICT (guild_id, user_id, role_id) DO NOTHING
                 RETURNING user_id, role_id",
                rows.join(", ")
            ));
            for earned in chunk {
                insert = insert
                    .bind(int(guild_id))
                    .bind(int(earned.user_id))
                    .bind(int(earned.role_id))
                    .bind(int(at.0));
            }
            for row in insert.fetch_all(self.pool()).await? {
                let user_id: i64 = row.try_get("user_id")?;
                let role_id: i64 = row.try_get("role_id")?;
                entered.insert((uint(user_id), uint(role_id)));
            }
        }
        // A role another reveal entered in the meantime is that reveal's to give.
        owed.retain(|e| !e.first || entered.contains(&(e.user_id, e.role_id)));
        Ok(owed)
    }

    /// Records a try at giving `role_id` to `user_id` in `guild_id`, given or not; the
    /// tries so far (0 when the reward is gone).
    pub async fn tried(
        &self,
        guild_id: u64,
        user_id: u64,
        role_id: u64,
        granted: bool,
    ) -> Result<u32, StoreError> {
        let attempts: Option<i64> = sqlx::query_scalar(
            "UPDATE reward_grants SET attempts = attempts + 1,
                 granted = CASE WHEN $4 = 1 THEN 1 ELSE granted END
             WHERE guild_id = $1 AND user_id = $2 AND role_id = $3
             RETURNING attempts",
        )
        .bind(int(guild_id))
        .bind(int(user_id))
        .bind(int(role_id))
        .bind(i64::from(granted))
        .fetch_optional(self.pool())
        .await?;
        Ok(attempts.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)))
    }
}
