//! One bot per database: the process that runs quizzes and daily posts for Discord
//! holds an OS lock on a file beside the SQLite database (`feudbot.db.owner`) for as
//! long as it runs. A second process on the same file would mark the first one's live
//! quizzes interrupted and take its daily posts; instead it waits for the lock. The OS
//! drops the lock when its holder ends, even on `kill -9`, so the one waiting takes over
//! at once: a rolling deploy is "start the new one, stop the old one".

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;

use super::StoreError;

/// How often a process waiting for the database tries again.
const RETRY_EVERY: Duration = Duration::from_millis(250);

/// The right to run Discord's quizzes and daily posts on a database, held until dropped
/// (or the process ends).
#[derive(Debug)]
pub struct Ownership {
    /// The locked file; `None` for a database in memory, which no other process sees.
    _file: Option<File>,
}

/// Who holds a database, as its owner wrote it: `pid 1234, since 2026-12-01 18:00 UTC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder(pub String);

/// The lock file of the database at `url`, `None` for one in memory.
fn lock_path(url: &str) -> Result<Option<PathBuf>, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(|error| StoreError::BadUrl {
        url: url.to_string(),
        why: error.to_string(),
    })?;
    let file = options.get_filename();
    if file.as_os_str().is_empty() || file.to_string_lossy().contains(":memory:") {
        return Ok(None);
    }
    let mut name = file.as_os_str().to_owned();
    name.push(".owner");
    Ok(Some(PathBuf::from(name)))
}

/// Takes the database at `url` if no other process holds it; else says who does.
pub fn try_own(url: &str, since: &str) -> Result<Result<Ownership, Holder>, StoreError> {
    let Some(path) = lock_path(url)? else {
        return Ok(Ok(Ownership { _file: None }));
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
            Ok(Ok(Ownership { _file: Some(file) }))
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

/// Takes the database at `url`, waiting for as long as another process holds it;
/// `waiting` hears who holds it, once.
pub async fn own(
    url: &str,
    since: &str,
    waiting: impl FnOnce(&Holder),
) -> Result<Ownership, StoreError> {
    let mut waiting = Some(waiting);
    loop {
        match try_own(url, since)? {
            Ok(ownership) => return Ok(ownership),
            Err(holder) => {
                if let Some(tell) = waiting.take() {
                    tell(&holder);
                }
            }
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_owner_is_told_who_holds_the_database_until_it_is_freed() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        let first = try_own(&url, "first").unwrap().expect("free");
        let held = try_own(&url, "second").unwrap().expect_err("held");
        assert_eq!(
            held,
            Holder(format!("pid {}, since first", std::process::id()))
        );
        drop(first);
        assert!(try_own(&url, "second").unwrap().is_ok(), "freed");
        assert!(try_own("sqlite::memory:", "x").unwrap().is_ok());
    }
}
