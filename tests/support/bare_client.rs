//! A bare serenity 0.12.5 bot: no feudbot code, just an `EventHandler` that answers
//! every slash command with [`REPLY`]. It proves the fake Discord works with the real
//! client, and serves as the latency floor in benchmarks (what the fake plus serenity
//! cost before any bot logic runs).
//!
//! The handler reports what happened on a channel ([`BareEvent`]) so tests wait on
//! events instead of sleeping.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    Client, ClientBuilder, Context, CreateAutocompleteResponse, CreateInteractionResponse,
    CreateInteractionResponseMessage, EventHandler, GatewayIntents, HttpBuilder, Interaction,
    Ready, ResumedEvent, ShardManager,
};
use serenity::async_trait;
use tokio::sync::mpsc;

/// The content of every answer.
pub const REPLY: &str = "bare reply";

/// The token the bare client sends (`Bot` is added by serenity).
pub const TOKEN: &str = "fake-token.bare.client";

/// What the handler saw.
#[derive(Debug)]
pub enum BareEvent {
    /// `ready` ran; the session id.
    Ready { session_id: String },
    /// `resume` ran.
    Resumed,
    /// An interaction was answered; `Err` holds serenity's error text.
    Answered {
        interaction_id: u64,
        result: Result<(), String>,
    },
}

struct Handler {
    events: mpsc::UnboundedSender<BareEvent>,
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let _ = self.events.send(BareEvent::Ready {
            session_id: ready.session_id,
        });
    }

    async fn resume(&self, _ctx: Context, _: ResumedEvent) {
        let _ = self.events.send(BareEvent::Resumed);
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let (id, result) = match &interaction {
            Interaction::Command(cmd) => {
                let msg = CreateInteractionResponseMessage::new().content(REPLY);
                let r = cmd.create_response(&ctx.http, CreateInteractionResponse::Message(msg));
                (cmd.id.get(), r.await)
            }
            Interaction::Autocomplete(ac) => {
                let r = ac.create_response(
                    &ctx.http,
                    CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new()),
                );
                (ac.id.get(), r.await)
            }
            Interaction::Component(c) => {
                let r = c.create_response(&ctx.http, CreateInteractionResponse::Acknowledge);
                (c.id.get(), r.await)
            }
            _ => return,
        };
        let _ = self.events.send(BareEvent::Answered {
            interaction_id: id,
            result: result.map_err(|e| e.to_string()),
        });
    }
}

/// A running bare client.
pub struct BareClient {
    events: mpsc::UnboundedReceiver<BareEvent>,
    shard_manager: Arc<ShardManager>,
    task: tokio::task::JoinHandle<()>,
}

impl BareClient {
    /// Builds the client against `base_url` (the fake's) and starts it in a task.
    pub async fn start(base_url: &str) -> BareClient {
        let http = HttpBuilder::new(TOKEN)
            .proxy(base_url)
            .ratelimiter_disabled(true)
            .build();
        let (tx, events) = mpsc::unbounded_channel();
        let mut client: Client = ClientBuilder::new_with_http(http, GatewayIntents::empty())
            .event_handler(Handler { events: tx })
            .await
            .unwrap_or_else(|e| panic!("bare client: building the serenity client failed: {e}"));
        let shard_manager = Arc::clone(&client.shard_manager);
        let task = tokio::spawn(async move {
            if let Err(e) = client.start().await {
                eprintln!("bare client: serenity stopped with an error: {e}");
            }
        });
        BareClient {
            events,
            shard_manager,
            task,
        }
    }

    /// The next event, or a panic after `timeout` of real time.
    pub async fn next_event_within(&mut self, timeout: Duration) -> BareEvent {
        let deadline = super::real_time_deadline(timeout);
        tokio::select! {
            e = self.events.recv() => e.unwrap_or_else(|| panic!("bare client: handler is gone")),
            _ = deadline => panic!("bare client: no handler event within {timeout:?}"),
        }
    }

    /// The next event, waiting up to [`super::DEFAULT_TIMEOUT`].
    pub async fn next_event(&mut self) -> BareEvent {
        self.next_event_within(super::DEFAULT_TIMEOUT).await
    }

    /// Waits for `ready`; returns the session id.
    pub async fn wait_ready(&mut self) -> String {
        match self.next_event().await {
            BareEvent::Ready { session_id } => session_id,
            other => panic!("bare client: expected ready, got {other:?}"),
        }
    }

    /// Waits for the answer to an interaction; returns the handler's result.
    pub async fn wait_answered(&mut self) -> (u64, Result<(), String>) {
        match self.next_event().await {
            BareEvent::Answered {
                interaction_id,
                result,
            } => (interaction_id, result),
            other => panic!("bare client: expected an answered interaction, got {other:?}"),
        }
    }

    /// Shuts every shard down and waits for the client task to end.
    pub async fn shutdown(self) {
        self.shard_manager.shutdown_all().await;
        let _ = self.task.await;
    }
}
