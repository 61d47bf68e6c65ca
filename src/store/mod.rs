//! The bot's SQLite database: scores, daily-post settings and their ledger.
//!
//! One file (from `DATABASE_URL`), created when missing, in WAL mode so that a crash
//! mid-write loses at most the transaction in flight. The schema lives in
//! `migrations/` and is applied on open.

mod daily;
mod owner;
mod scores;

use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use daily::{Claim, ClaimOutcome, Daily, Due, PostState, SentPost, StoredSchedule};
pub use owner::{Holder, Ownership, own, try_own};
pub use scores::{LeaderboardPage, LeaderboardRow, PlayerStats};

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `DATABASE_URL` is not a SQLite URL.
    #[error("DATABASE_URL `{url}` is not a SQLite URL such as sqlite://feudbot.db: {why}")]
    BadUrl {
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// The schema could not be brought up to date.
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    /// The lock file beside the database cannot be opened or locked.
    #[error("cannot lock {path}: {why}")]
    Lock {
        path: String,
        /// What the system said.
        why: String,
    },
    /// A row holds a value this version of the bot cannot read.
    #[error("the database holds {0}, which this version cannot read")]
    Unreadable(String),
}

/// The open database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating it if missing) the database at `url`, e.g. `sqlite://feudbot.db`,
    /// and applies every migration it lacks.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let bad = |why: String| StoreError::BadUrl {
            url: url.to_string(),
            why,
        };
        // sqlx would read `postgres://host/db` as a file name; refuse it instead.
        if !url.starts_with("sqlite:") {
            return Err(bad("it must start with sqlite:".to_string()));
        }
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|error| bad(error.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL is crash-safe: a power cut may lose the last commit,
            // never corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!().run(&pool).await?;
        Ok(Store { pool })
    }

    /// The connection pool, for the store's own modules.
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_url_of_another_database_is_refused_by_name() {
        let error = Store::open("postgres://localhost/feudbot")
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "DATABASE_URL `postgres://localhost/feudbot` is not a SQLite URL such as \
             sqlite://feudbot.db: it must start with sqlite:"
        );
    }

    #[tokio::test]
    async fn a_new_file_is_created_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("new.db").display());
        let store = Store::open(&url).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
