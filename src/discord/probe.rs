//! The bot's health as `HEALTH_ADDR` reports it: serving when it holds its shards, each
//! of them is connected to the gateway, and the database answers.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serenity::all::{ConnectionStage, ShardId, ShardManager};

use crate::app::App;
use crate::monitor::{self, Probe};
use crate::store::Shards;

/// How long the database may take to answer a health check.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// Where the process is in its life.
enum Phase {
    /// Not yet running its shards: before they are taken, or while the previous
    /// run's leftovers are settled and the client is built.
    Starting,
    /// Waiting for another process to let go of the shards.
    Waiting { holder: String },
    /// Holding the shards, run by this shard manager.
    Running(Arc<ShardManager>),
    /// Ending its games and closing the gateway.
    Stopping,
}

/// What `/healthz` and the shard gauges of `/metrics` read.
pub struct DiscordProbe {
    app: Arc<App>,
    shards: Shards,
    phase: Mutex<Phase>,
}

impl DiscordProbe {
    /// The probe of a process that is to run `shards` of `app`.
    pub fn new(app: Arc<App>, shards: Shards) -> DiscordProbe {
        DiscordProbe {
            app,
            shards,
            phase: Mutex::new(Phase::Starting),
        }
    }

    fn set(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = phase;
    }

    /// The shards are being taken: recovery, then the gateway.
    pub fn starting(&self) {
        self.set(Phase::Starting);
    }

    /// Another process holds the shards; this one waits for them.
    pub fn waiting(&self, holder: &str) {
        self.set(Phase::Waiting {
            holder: holder.to_string(),
        });
    }

    /// The shards are this process's, run by `manager`.
    pub fn running(&self, manager: Arc<ShardManager>) {
        self.set(Phase::Running(manager));
    }

    /// The process is shutting down.
    pub fn stopping(&self) {
        self.set(Phase::Stopping);
    }

    /// The shard manager, while the shards are this process's.
    fn manager(&self) -> Result<Arc<ShardManager>, String> {
        match &*self.phase.lock().unwrap_or_else(PoisonError::into_inner) {
            Phase::Starting => Err("starting".to_string()),
            Phase::Waiting { holder } => Err(format!(
                "waiting for {}, held by another feudbot ({holder})",
                self.shards
            )),
            Phase::Running(manager) => Ok(Arc::clone(manager)),
            Phase::Stopping => Err("shutting down".to_string()),
        }
    }

    /// Each owned shard's problem, if it is not connected.
    async fn disconnected(&self, manager: &ShardManager) -> Vec<String> {
        let runners = manager.runners.lock().await;
        (self.shards.first..=self.shards.last)
            .filter_map(|shard| match runners.get(&ShardId(shard)) {
                Some(runner) if runner.stage == ConnectionStage::Connected => None,
                Some(runner) => Some(format!("shard {shard} is {}", runner.stage)),
                None => Some(format!("shard {shard} has not started yet")),
            })
            .collect()
    }

    /// Why the database does not answer, if it does not.
    async fn database(&self) -> Option<String> {
        let answered = tokio::time::timeout(DATABASE_TIMEOUT, async {
            self.app.store().await?.ping().await
        })
        .await;
        match answered {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(format!("the database does not answer: {error}")),
            Err(_) => Some(format!(
                "the database did not answer within {} s",
                DATABASE_TIMEOUT.as_secs()
            )),
        }
    }
}

impl Probe for DiscordProbe {
    async fn problems(&self) -> Vec<String> {
        let mut problems = match self.manager() {
            Ok(manager) => self.disconnected(&manager).await,
            Err(problem) => vec![problem],
        };
        problems.extend(self.database().await);
        problems
    }

    async fn refresh(&self) {
        let (owned, connected) = match self.manager() {
            Ok(manager) => {
                let shards = self.shards.last - self.shards.first + 1;
                let down = self.disconnected(&manager).await.len() as u32;
                (shards, shards.saturating_sub(down))
            }
            Err(_) => (0, 0),
        };
        metrics::gauge!(monitor::SHARDS_OWNED).set(owned);
        metrics::gauge!(monitor::SHARDS_CONNECTED).set(connected);
    }
}
