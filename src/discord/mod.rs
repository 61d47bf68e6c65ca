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
mod probe;
pub mod registration;
mod render;
mod rest;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tracing::level_filters::LevelFilter;

use crate::app::{App, perform, run_timers};
use crate::config::Config;
use crate::monitor;
use crate::picture::Pictures;
use crate::store::{Backend, Holder, Shards, StoreError};
use budget::Budget;
use front::DiscordFront;
use handler::Handler;
use probe::DiscordProbe;

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
    /// Another process runs these shards on this database, and `run` was told not to
    /// wait.
    #[error(
        "the database {what} is in use by another feudbot ({holder}): stop it first, or \
         start without --no-wait to take over as soon as it stops"
    )]
    Held {
        /// The database and the shards.
        what: String,
        /// Who holds them.
        holder: String,
    },
    /// `SHARD_COUNT` and `SHARDS` do not make sense together, or with the database.
    #[error("{0}")]
    Shards(String),
    /// `HEALTH_ADDR` cannot be served.
    #[error("{0}")]
    Health(String),
    /// The database dropped this process's hold on its shards.
    #[error("lost the hold on the shards: {0}")]
    Lost(StoreError),
}

/// Whether [`run`] waits for shards that another process runs.
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
    let stopping = Arc::new(stopping);
    tokio::spawn({
        let stopping = Arc::clone(&stopping);
        async move {
            shutdown.await;
            let _ = stopping.send(true);
        }
    });
    let stopped = move || {
        let mut stop = stop.clone();
        async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        }
    };
    let mut http = HttpBuilder::new(token.expose());
    if let Some(id) = token.application_id() {
        http = http.application_id(id.into());
    }
    if let Some(base) = &config.api_base {
        tracing::warn!("DISCORD_API_BASE is set: talking to {base}, not straight to Discord");
        http = http.proxy(base).ratelimiter_disabled(true);
    }
    let http = http.build();
    let shards = shards(config, &http).await?;
    let probe = Arc::new(DiscordProbe::new(Arc::clone(&app), shards));
    let monitoring = match config.health_addr {
        Some(addr) => Some(monitor(addr, Arc::clone(&probe)).await?),
        None => None,
    };
    // One owner per shard: this process runs the quizzes and daily posts of its shards'
    // servers, and no other process does.
    let url = config.database_url.as_str();
    let shown_url = crate::store::redacted(url);
    let since = chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string();
    let mut ownership = match (crate::store::try_own(url, shards, &since).await?, when_held) {
        (Ok(ownership), _) => ownership,
        (Err(Holder(holder)), WhenHeld::GiveUp) => {
            return Err(DiscordError::Held {
                what: format!("{shown_url} ({shards})"),
                holder,
            });
        }
        (Err(_), WhenHeld::Wait) => {
            let waiting = |Holder(holder): &Holder| {
                probe.waiting(holder);
                tracing::warn!(
                    "the database {shown_url} ({shards}) is in use by another feudbot \
                     ({holder}): waiting for it to stop"
                );
            };
            tokio::select! {
                owned = crate::store::own(url, shards, &since, waiting) => {
                    tracing::info!("the database {shown_url} ({shards}) is free: taking over");
                    probe.starting();
                    owned?
                }
                () = stopped() => return Ok(()),
            }
        }
    };
    // Should the database drop this process's locks (its connection broken), another
    // process may take the shards: stop at once rather than run them twice.
    let (lost_sender, mut lost) = tokio::sync::oneshot::channel();
    let keep_ownership = tokio::spawn({
        let stopping = Arc::clone(&stopping);
        async move {
            let error = ownership.lost().await;
            tracing::error!("lost the hold on {shards}: {error}; stopping");
            let _ = lost_sender.send(error);
            let _ = stopping.send(true);
        }
    });
    let leftovers = app.start(shards).await?;
    let ready = Arc::new(Notify::new());
    let budget = Arc::new(Budget::default());
    let pictures = Arc::new(Pictures::new(Arc::clone(app.data())));
    let handler = Handler::new(
        Arc::clone(&app),
        config.dev_guild_id,
        Arc::clone(&ready),
        Arc::clone(&budget),
        Arc::clone(&pictures),
    );
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::empty())
        .event_handler(handler)
        .await?;
    let front = DiscordFront::new(
        Arc::clone(&client.http),
        app.clock().clone(),
        budget,
        pictures,
    );
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
    let manager = client.shard_manager.clone();
    probe.running(Arc::clone(&manager));
    tokio::spawn(async move {
        stopped().await;
        probe.stopping();
        tracing::info!("shutting down: ending the games, then closing the gateway");
        let ending = app.end_games().await;
        if tokio::time::timeout(SHUTDOWN_GRACE, perform(&app, ending, &front))
            .await
            .is_err()
        {
            tracing::warn!("the games' last messages took too long; closing anyway");
        }
        manager.shutdown_all().await;
    });
    tracing::info!("running {shards}");
    // Serenity's range boots its end shard too.
    let outcome = client
        .start_shard_range(shards.first..shards.last, shards.count)
        .await;
    timers.abort();
    keep_ownership.abort();
    if let Some(monitoring) = monitoring {
        monitoring.abort();
    }
    if let Ok(error) = lost.try_recv() {
        return Err(DiscordError::Lost(error));
    }
    outcome?;
    tracing::info!("stopped");
    Ok(())
}

/// Starts answering `/healthz` and `/metrics` on `addr`, metrics recorded from now on.
async fn monitor(
    addr: SocketAddr,
    probe: Arc<DiscordProbe>,
) -> Result<tokio::task::JoinHandle<()>, DiscordError> {
    let listener = TcpListener::bind(addr).await.map_err(|error| {
        DiscordError::Health(format!("cannot listen on HEALTH_ADDR {addr}: {error}"))
    })?;
    let metrics = monitor::install().map_err(|error| DiscordError::Health(error.to_string()))?;
    if let Ok(bound) = listener.local_addr() {
        tracing::info!("health and metrics at http://{bound}/healthz and http://{bound}/metrics");
    }
    Ok(tokio::spawn(monitor::serve(listener, metrics, probe)))
}

/// The shards this process runs: `SHARDS` of `SHARD_COUNT`, by default every shard of
/// the count Discord recommends.
async fn shards(config: &Config, http: &serenity::http::Http) -> Result<Shards, DiscordError> {
    let count = match config.shard_count {
        Some(count) => count,
        None if config.shards.is_some() => {
            return Err(DiscordError::Shards(
                "SHARDS needs SHARD_COUNT: every process of a fleet must count the shards \
                 the same way"
                    .to_string(),
            ));
        }
        None => {
            rest::attempt(rest::Route::Gateway, http.get_bot_gateway())
                .await?
                .shards
        }
    };
    let shards = match config.shards {
        Some(range) => range.of(count).map_err(DiscordError::Shards)?,
        None => Shards::all(count),
    };
    if !shards.is_all() && Backend::of(&config.database_url)? == Backend::Sqlite {
        return Err(DiscordError::Shards(format!(
            "SHARDS={}-{} needs a PostgreSQL DATABASE_URL: a SQLite file is run by one \
             process, with every shard",
            shards.first, shards.last
        )));
    }
    Ok(shards)
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
