//! The bot's database: scores, practice runs, daily-post settings and their ledger,
//! role rewards and theirs.
//!
//! Two backends behind one API, chosen by `DATABASE_URL`: a SQLite file (the default:
//! embedded, created when missing, in WAL mode so that a crash mid-write loses at most
//! the transaction in flight) or a PostgreSQL database (for several processes and
//! hosts). Queries are written once, in the SQL both understand (`$1` parameters,
//! `ON CONFLICT` upserts, `RETURNING`), through sqlx's `Any` driver. Each backend has
//! its schema in `migrations/<backend>/`, applied on open.

mod daily;
mod owner;
mod practice;
mod rewards;
mod scores;
mod shards;

use std::str::FromStr;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Executor};

pub use daily::{Claim, ClaimOutcome, Daily, Due, PostState, SentPost, StoredSchedule};
pub use owner::{Holder, Ownership, own, try_own};
pub use practice::{PracticeRecord, PracticeRun};
pub use rewards::{Earned, Reward, Rewards};
pub use scores::{BestStreak, LeaderboardPage, LeaderboardRow, PlayerStats};
pub use shards::{ShardRange, Shards};

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `DATABASE_URL` is neither a SQLite nor a PostgreSQL URL.
    #[error(
        "DATABASE_URL `{url}` is not a database URL such as sqlite://feudbot.db or \
         postgres://user@host/feudbot: {why}"
    )]
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

/// `url` with its password, if any, hidden: for logs and messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = &user_info[..user_info.find(':').unwrap_or(0)];
            format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..])
        }
        _ => url.to_string(),
    }
}

/// The kind of database behind a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One file, one process (`sqlite:`).
    Sqlite,
    /// A server, shared by processes (`postgres:` or `postgresql:`).
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names.
    pub fn of(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl {
                url: url.to_string(),
                why: "it must start with sqlite: or postgres://".to_string(),
            })
        }
    }
}

/// The open database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens the database at `url`, e.g. `sqlite://feudbot.db` (created if missing) or
    /// `postgres://feudbot@localhost/feudbot` (which must exist), and applies every
    /// migration it lacks.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|error| StoreError::BadUrl {
                        url: url.to_string(),
                        why: error.to_string(),
                    })?
                    .create_if_missing(true);
                AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            // In WAL mode NORMAL is crash-safe: a power cut may lose the
                            // last commit, never corrupt the file. sqlx's SQLite defaults
                            // already turn foreign keys on and wait 5 s on a busy file.
                            connection
                                .execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(options.to_url_lossy().as_str())
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
        }
        Ok(Store { pool, backend })
    }

    /// The connection pool, for the store's own modules.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which kind of database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers a query: for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_url_of_another_database_is_refused_by_name() {
        let error = Store::open("mysql://localhost/feudbot").await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "DATABASE_URL `mysql://localhost/feudbot` is not a database URL such as \
             sqlite://feudbot.db or postgres://user@host/feudbot: it must start with \
             sqlite: or postgres://"
        );
    }

    #[test]
    fn passwords_are_hidden_from_messages() {
        assert_eq!(
            redacted("postgres://bot:s3cr@t@db.example:5432/feudbot?sslmode=require"),
            "postgres://bot:***@db.example:5432/feudbot?sslmode=require"
        );
        assert_eq!(
            redacted("postgres://bot@db/feudbot"),
            "postgres://bot@db/feudbot"
        );
        assert_eq!(redacted("sqlite://feudbot.db"), "sqlite://feudbot.db");
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
