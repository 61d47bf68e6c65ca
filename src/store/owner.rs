//! One owner per shard, enforced by the database. The process that runs quizzes and
//! daily posts for a range of shards holds, for as long as it runs:
//! - on SQLite, an OS lock on a file beside the database (`feudbot.db.owner`): one
//!   process per file, running every shard;
//! - on PostgreSQL, a session-level advisory lock per shard, on a connection of its
//!   own, and a shared one on the fleet's shard count (so that processes counting
//!   shards differently never run at once). Advisory locks belong to one database:
//!   fleets on other databases of the same server never meet.
//!
//! A second process for the same shards would mark the first one's live quizzes
//! interrupted and take its daily posts; instead it waits, saying who holds them. The
//! OS closes a dead process's file and connection, even on `kill -9`, which frees its
//! locks, so the one waiting takes over at once: a rolling deploy is "start the new one,
//! stop the old one".

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, Connection, Row};

use super::{Backend, Shards, StoreError};

/// How often a process waiting for its shards tries again.
const RETRY_EVERY: Duration = Duration::from_millis(250);
/// How often an owner checks that its PostgreSQL locks are still held.
const CHECK_EVERY: Duration = Duration::from_secs(5);
/// The first key of feudbot's advisory locks on a shard (`feud` in ASCII); the second
/// is the shard's number.
const SHARD_LOCKS: i32 = 0x6665_7564;
/// The first key of the shared lock on the fleet's shard count; the second is the count.
const COUNT_LOCKS: i32 = SHARD_LOCKS + 1;

/// The right to run Discord's quizzes and daily posts for some shards, held until
/// dropped (or the process ends).
#[derive(Debug)]
pub struct Ownership {
    held: Held,
}

#[derive(Debug)]
enum Held {
    /// The locked file; `None` for a database in memory, which no other process sees.
    File { _file: Option<File> },
    /// The connection holding the advisory locks.
    Locks(Box<AnyConnection>),
}

/// Who holds what a process waits for, as its owner described itself:
/// `pid 1234, since 2026-12-01 18:00:00 UTC`, plus on PostgreSQL where it connects
/// from and which shard it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder(pub String);

impl Ownership {
    /// Resolves if the ownership is lost: on PostgreSQL when the locks' connection
    /// fails (the server may then give the shards to another process, so the bot must
    /// stop); never for a file lock.
    pub async fn lost(&mut self) -> StoreError {
        match &mut self.held {
            Held::File { .. } => std::future::pending().await,
            Held::Locks(connection) => loop {
                tokio::time::sleep(CHECK_EVERY).await;
                if let Err(error) = connection.ping().await {
                    return error.into();
                }
            },
        }
    }
}

/// The lock file of the database at `url`, `None` for one in memory.
fn lock_path(url: &str) -> Result<Option<PathBuf>, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(|error| StoreError::BadUrl {
        url: url.to_string(),
        why: error.to_string(),
    })?;
    // sqlx names a database in memory `file:sqlx-in-memory-N`: no file to lock there.
    let file = options.get_filename();
    if url.contains(":memory:") || url.contains("mode=memory") || file.as_os_str().is_empty() {
        return Ok(None);
    }
    let mut name = file.as_os_str().to_owned();
    name.push(".owner");
    Ok(Some(PathBuf::from(name)))
}

/// Takes the SQLite file at `url` if no other process holds it; else says who does.
fn try_own_file(url: &str, since: &str) -> Result<Result<Ownership, Holder>, StoreError> {
    let Some(path) = lock_path(url)? else {
        return Ok(Ok(Ownership {
            held: Held::File { _file: None },
        }));
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|error| StoreError::Lock {
            path: path.display().to_string(),
            why: error.to_string(),
        })?;
    match file.try_lock() {
        Ok(()) => {
            let mark = format!("pid {}, since {since}", std::process::id());
            let written = file
                .set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| file.write_all(mark.as_bytes()));
            if let Err(error) = written {
                tracing::warn!(path = %path.display(), "cannot note the owner: {error}");
            }
            Ok(Ok(Ownership {
                held: Held::File { _file: Some(file) },
            }))
        }
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            if holder.is_empty() {
                holder = "another process".to_string();
            }
            Ok(Err(Holder(holder)))
        }
        Err(TryLockError::Error(error)) => Err(StoreError::Lock {
            path: path.display().to_string(),
            why: error.to_string(),
        }),
    }
}

/// A connection of its own for the advisory locks, named after this process so that
/// one waiting can say who holds them.
async fn lock_connection(url: &str, since: &str) -> Result<AnyConnection, StoreError> {
    sqlx::any::install_default_drivers();
    let mut connection = AnyConnection::connect(url).await?;
    let name = format!("feudbot pid {}, since {since}", std::process::id());
    sqlx::query("SELECT set_config('application_name', $1, false)")
        .bind(name)
        .execute(&mut connection)
        .await?;
    Ok(connection)
}

/// Which advisory lock [`lock_holder`] looks for.
#[derive(Clone, Copy)]
enum Wanted {
    /// The lock on this shard.
    Shard(u32),
    /// A lock on a shard count other than this one.
    CountOtherThan(u32),
}

/// Another process holding the advisory lock `wanted` in this database, as it named
/// itself, where it connects from and what it holds.
async fn lock_holder(
    connection: &mut AnyConnection,
    wanted: Wanted,
) -> Result<Option<Holder>, StoreError> {
    let class = match wanted {
        Wanted::Shard(_) => SHARD_LOCKS,
        Wanted::CountOtherThan(_) => COUNT_LOCKS,
    };
    let rows = sqlx::query(
        "SELECT a.application_name, COALESCE(host(a.client_addr), 'this host') AS host,
                CAST(l.objid AS BIGINT) AS key
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND CAST(l.classid AS BIGINT) = $1",
    )
    .bind(i64::from(class))
    .fetch_all(&mut *connection)
    .await?;
    for row in rows {
        let key: i64 = row.try_get("key")?;
        let what = match wanted {
            Wanted::Shard(shard) if key == i64::from(shard) => format!("holding shard {shard}"),
            Wanted::CountOtherThan(count) if key != i64::from(count) => {
                format!("running SHARD_COUNT={key}")
            }
            _ => continue,
        };
        let name: String = row.try_get("application_name")?;
        let host: String = row.try_get("host")?;
        let who = name.strip_prefix("feudbot ").unwrap_or(&name);
        return Ok(Some(Holder(format!("{who}, from {host}, {what}"))));
    }
    Ok(None)
}

/// Takes `shards` on the PostgreSQL `connection`, all or none; else says who holds
/// one of them.
async fn try_lock_shards(
    connection: &mut AnyConnection,
    shards: Shards,
) -> Result<Result<(), Holder>, StoreError> {
    let key = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    sqlx::query("SELECT pg_advisory_lock_shared($1, $2)")
        .bind(COUNT_LOCKS)
        .bind(key(shards.count))
        .execute(&mut *connection)
        .await?;
    let mut holder = lock_holder(connection, Wanted::CountOtherThan(shards.count)).await?;
    if holder.is_none() {
        for shard in shards.range() {
            let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
                .bind(SHARD_LOCKS)
                .bind(key(shard))
                .fetch_one(&mut *connection)
                .await?;
            if !taken {
                holder = lock_holder(connection, Wanted::Shard(shard))
                    .await?
                    // It may have stopped since.
                    .or_else(|| Some(Holder(format!("another process, holding shard {shard}"))));
                break;
            }
        }
    }
    match holder {
        None => Ok(Ok(())),
        Some(holder) => {
            sqlx::query("SELECT pg_advisory_unlock_all()")
                .execute(&mut *connection)
                .await?;
            Ok(Err(holder))
        }
    }
}

/// Takes `shards` of the database at `url` if no other process holds any of them;
/// else says who does. On SQLite, `shards` must be all of them: one process runs a
/// file.
pub async fn try_own(
    url: &str,
    shards: Shards,
    since: &str,
) -> Result<Result<Ownership, Holder>, StoreError> {
    match Backend::of(url)? {
        Backend::Sqlite => try_own_file(url, since),
        Backend::Postgres => {
            let mut connection = lock_connection(url, since).await?;
            Ok(try_lock_shards(&mut connection, shards)
                .await?
                .map(|()| Ownership {
                    held: Held::Locks(Box::new(connection)),
                }))
        }
    }
}

/// Takes `shards` of the database at `url`, waiting for as long as another process
/// holds one of them; `waiting` hears who holds them, once.
pub async fn own(
    url: &str,
    shards: Shards,
    since: &str,
    waiting: impl FnOnce(&Holder),
) -> Result<Ownership, StoreError> {
    let mut waiting = Some(waiting);
    let mut tell = |holder: &Holder| {
        if let Some(tell) = waiting.take() {
            tell(holder);
        }
    };
    match Backend::of(url)? {
        Backend::Sqlite => loop {
            match try_own_file(url, since)? {
                Ok(ownership) => return Ok(ownership),
                Err(holder) => tell(&holder),
            }
            tokio::time::sleep(RETRY_EVERY).await;
        },
        Backend::Postgres => {
            let mut connection = lock_connection(url, since).await?;
            loop {
                match try_lock_shards(&mut connection, shards).await? {
                    Ok(()) => {
                        return Ok(Ownership {
                            held: Held::Locks(Box::new(connection)),
                        });
                    }
                    Err(holder) => tell(&holder),
                }
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_owner_is_told_who_holds_the_database_until_it_is_freed() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        let first = try_own_file(&url, "first").unwrap().expect("free");
        let held = try_own_file(&url, "second").unwrap().expect_err("held");
        assert_eq!(
            held,
            Holder(format!("pid {}, since first", std::process::id()))
        );
        drop(first);
        assert!(try_own_file(&url, "second").unwrap().is_ok(), "freed");
        assert!(try_own_file("sqlite::memory:", "x").unwrap().is_ok());
        assert_eq!(
            lock_path("sqlite::memory:").unwrap(),
            None,
            "no file beside it"
        );
    }
}
