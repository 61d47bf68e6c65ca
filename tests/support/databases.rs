//! A fresh database per test, on each backend: a SQLite file in a temporary folder, and
//! a new database on the PostgreSQL server that `FEUDBOT_TEST_POSTGRES` names (set by
//! `bash .ci/with-postgres cargo test`, which starts a throwaway server; CI runs that).
//! Without the variable the PostgreSQL cases are skipped, and the test binary says so
//! once on stderr.
//!
//! [`on_both_backends!`](crate::on_both_backends) turns `async fn name(db: TestDb)` into
//! two tests, `sqlite::name` and `postgres::name`.

use std::io::Write;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use feudbot::store::Store;
use sqlx::Connection;

/// The variable naming the PostgreSQL server for tests: a URL of a database on it that
/// the tests may create databases from, e.g. `postgres://postgres@localhost/postgres`.
pub const POSTGRES_VARIABLE: &str = "FEUDBOT_TEST_POSTGRES";

/// One test's own database, empty until opened.
pub struct TestDb {
    /// Its `DATABASE_URL`.
    pub url: String,
    /// `sqlite` or `postgres`, for messages.
    pub backend: &'static str,
    _dir: tempfile::TempDir,
}

impl TestDb {
    /// A new SQLite file.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        TestDb {
            url: format!("sqlite://{}", dir.path().join("feudbot.db").display()),
            backend: "sqlite",
            _dir: dir,
        }
    }

    /// A new database on the test PostgreSQL server; `None` (said once) without one.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(server) = std::env::var(POSTGRES_VARIABLE) else {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                // Straight to stderr: the test harness captures `eprintln!`.
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL cases skipped: {POSTGRES_VARIABLE} is not set \
                     (`bash .ci/with-postgres cargo test` runs them)"
                );
            });
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "feudbot_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&server)
            .await
            .unwrap_or_else(|error| panic!("{POSTGRES_VARIABLE}={server}: {error}"));
        // The name is ours, made of letters, digits and underscores.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let (base, query) = server.split_once('?').unwrap_or((&server, ""));
        let base = &base[..base.rfind('/').unwrap()];
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        Some(TestDb {
            url: format!("{base}/{name}{query}"),
            backend: "postgres",
            _dir: tempfile::tempdir().unwrap(),
        })
    }

    /// A new, empty database on the same backend.
    pub async fn another(&self) -> TestDb {
        match self.backend {
            "sqlite" => TestDb::sqlite(),
            _ => TestDb::postgres()
                .await
                .expect("the server of the first one"),
        }
    }

    /// Opens the store on it, as a (re)starting bot would.
    pub async fn open(&self) -> Store {
        Store::open(&self.url)
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", self.url))
    }

    /// A plain connection to it, for looking under the store.
    pub async fn connect(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.url).await.unwrap()
    }
}

/// Runs each `async fn name(db: TestDb)` named as a test on each backend: `sqlite::name`
/// and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($crate::support::databases::TestDb::sqlite()).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    if let Some(db) = $crate::support::databases::TestDb::postgres().await {
                        super::$test(db).await;
                    }
                }
            )+
        }
    };
}
