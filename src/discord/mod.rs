//! The Discord bot: the only module that knows serenity and Discord's wire format. It
//! turns gateway events into inputs of the core (`crate::app`) and carries the core's
//! effects out over REST; it registers the command table, maps permissions, renders
//! replies as embeds with Discord's markup, retries what may pass, and shuts down
//! cleanly.
//!
//! No privileged gateway intents (slash commands need none) and no cache: everything
//! the bot needs arrives in the interaction itself.

mod budget;
mod front;
mod handler;
pub mod invite;
mod permissions;
pub mod registration;
mod render;
mod rest;

use std::future::Future;
use std::sync::Arc;

use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder};
use tokio::sync::Notify;
use tracing::level_filters::LevelFilter;

use crate::app::{App, perform, run_timers};
use crate::config::Config;
use crate::store::{Holder, StoreError};
use budget::Budget;
use front::DiscordFront;
use handler::Handler;

/// The most verbose level each of these targets may log at, whatever `RUST_LOG` says
/// (the binary hands them to `crate::logging`): beyond it they write secrets in forms
/// no redaction can read. Tokens in plain text are redacted at every level instead, so
/// that serenity's warnings and tungstenite's debug lines stay.
pub const LOG_CAPS: [(&str, LevelFilter); 3] = [
    // At trace, every gateway frame as hex and as a byte list: the IDENTIFY with the
    // bot token, each INTERACTION_CREATE with the interaction's token.
    ("tungstenite", LevelFilter::DEBUG),
    // Info spans around each request, whose fields (the route, with an interaction's
    // token; the body, as bytes) frame every reqwest and hyper line within.
    ("serenity::http", LevelFilter::WARN),
    // At debug, a gateway payload serenity cannot read, dumped as bytes.
    ("serenity::gateway::ws", LevelFilter::INFO),
];

/// How long the games' last messages may take at shutdown, before the gateway closes
/// anyway (service managers usually wait 10 s before killing).
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Why the bot stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// A setting is missing.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// Serenity could not start or keep the connection (a bad token, say).
    #[error("the Discord client stopped: {0}")]
    Client(#[from] serenity::Error),
    /// The database did not open.
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    /// Another process runs the bot on this database, and `run` was told not to wait.
    #[error(
        "the database {url} is in use by another feudbot ({holder}): stop it first, or \
         start without --no-wait to take over as soon as it stops"
    )]
    Held {
        url: String,
        /// Who holds it.
        holder: String,
    },
}

/// Whether [`run`] waits for a database that another process runs the bot on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenHeld {
    /// Wait, and take over as soon as the other process stops (a rolling deploy).
    Wait,
    /// Stop with [`DiscordError::Held`].
    GiveUp,
}

/// Connects to Discord and answers interactions, runs games and daily posts, until
/// `shutdown` completes (in the binary: Ctrl-C or SIGTERM, see [`shutdown_signal`]);
/// then closes the connection and returns.
pub async fn run(
    config: &Config,
    app: Arc<App>,
    when_held: WhenHeld,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DiscordError> {
    let token = config.token()?;
    let (stopping, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stopping.send(true);
    });
    let stopped = move || {
        let mut stop = stop.clone();
        async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        }
    };
    // One process per database: it runs the quizzes and daily posts recorded there.
    let url = config.database_url.as_str();
    let since = chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string();
    let _ownership = match (crate::store::try_own(url, &since)?, when_held) {
        (Ok(ownership), _) => ownership,
        (Err(Holder(holder)), WhenHeld::GiveUp) => {
            return Err(DiscordError::Held {
                url: url.to_string(),
                holder,
            });
        }
        (Err(_), WhenHeld::Wait) => {
            let waiting = |Holder(holder): &Holder| {
                tracing::warn!(
                    "the database {url} is in use by another feudbot ({holder}): waiting \
                     for it to stop"
                );
            };
            tokio::select! {
                owned = crate::store::own(url, &since, waiting) => {
                    tracing::info!("the database {url} is free: taking over");
                    owned?
                }
                () = stopped() => return Ok(()),
            }
        }
    };
    let mut http = HttpBuilder::new(token.expose());
    if let Some(id) = token.application_id() {
        http = http.application_id(id.into());
    }
    if let Some(base) = &config.api_base {
        tracing::warn!("DISCORD_API_BASE is set: talking to {base}, not to Discord");
        http = http.proxy(base).ratelimiter_disabled(true);
    }
    let leftovers = app.start().await?;
    let ready = Arc::new(Notify::new());
    let budget = Arc::new(Budget::default());
    let handler = Handler::new(
        Arc::clone(&app),
        config.dev_guild_id,
        Arc::clone(&ready),
        Arc::clone(&budget),
    );
    let mut client = ClientBuilder::new_with_http(http.build(), GatewayIntents::empty())
        .event_handler(handler)
        .await?;
    let front = DiscordFront::new(Arc::clone(&client.http), app.clock().clone(), budget);
    // Before any interaction can start a new quiz: only a previous run's are left.
    perform(&app, leftovers, &front).await;
    // Quiz deadlines and daily posts, from the first READY until the client stops.
    let timers = tokio::spawn({
        let (app, front) = (Arc::clone(&app), front.clone());
        async move {
            ready.notified().await;
            run_timers(app, front).await;
        }
    });
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        stopped().await;
        tracing::info!("shutting down: ending the games, then closing the gateway");
        let ending = app.end_games().await;
        if tokio::time::timeout(SHUTDOWN_GRACE, perform(&app, ending, &front))
            .await
            .is_err()
        {
            tracing::warn!("the games' last messages took too long; closing anyway");
        }
        shards.shutdown_all().await;
    });
    let outcome = client.start().await;
    timers.abort();
    outcome?;
    tracing::info!("stopped");
    Ok(())
}

/// Waits for Ctrl-C or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
