//! The core's effects carried out on Discord: interaction responses, channel posts and
//! edits over REST, retried where a failure may pass.

use std::sync::Arc;

use serenity::all::{ChannelId, CreateInteractionResponse, Http, InteractionId, MessageId, Nonce};
use serenity::http::HttpError;

use super::budget::{Budget, Write};
use super::render::{channel_message, message_edit, response_message};
use super::rest::{REQUEST_TIMEOUT, describe, retry};
use crate::app::{Delivery, Frontend};
use crate::clock::Clock;
use crate::daily::Fault;
use crate::reply::Reply;

/// Discord as a front end, answering one interaction (or none, for timers).
#[derive(Clone)]
pub struct DiscordFront {
    http: Arc<Http>,
    /// The core's clock: a deadline that starts when a message is sent is read from it.
    clock: Clock,
    /// Every front end's calls share one budget.
    budget: Arc<Budget>,
    interaction: Option<(InteractionId, String)>,
}

impl DiscordFront {
    /// A front end that answers no interaction: for timers and start-up.
    pub fn new(http: Arc<Http>, clock: Clock, budget: Arc<Budget>) -> DiscordFront {
        DiscordFront {
            http,
            clock,
            budget,
            interaction: None,
        }
    }

    /// The same front end, answering the interaction `id` with `token`.
    pub fn answering(&self, id: InteractionId, token: &str) -> DiscordFront {
        DiscordFront {
            interaction: Some((id, token.to_string())),
            ..self.clone()
        }
    }

    async fn answer(&self, response: CreateInteractionResponse) {
        let Some((id, token)) = &self.interaction else {
            tracing::error!("a response with no interaction to answer");
            return;
        };
        let _ = retry("answering an interaction", || {
            self.http
                .create_interaction_response(*id, token, &response, Vec::new())
        })
        .await;
    }
}

/// The failure of a post as the core's retry policy reads it.
fn fault(error: &serenity::Error) -> Fault {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            // serenity keeps no `retry_after`: the policy's default wait applies.
            Fault::from_status(response.status_code.as_u16(), None)
        }
        _ => Fault::Unavailable,
    }
}

impl Frontend for DiscordFront {
    async fn respond(&self, reply: Reply) {
        let response =
            CreateInteractionResponse::Message(response_message(&reply, self.clock.now()));
        self.answer(response).await;
    }

    async fn update(&self, reply: Reply) {
        let response =
            CreateInteractionResponse::UpdateMessage(response_message(&reply, self.clock.now()));
        self.answer(response).await;
    }

    async fn post(
        &self,
        channel_id: u64,
        reply: &Reply,
        nonce: &str,
        delivery: Delivery,
    ) -> Result<u64, Fault> {
        let channel = ChannelId::new(channel_id.max(1));
        let message = channel_message(reply, self.clock.now())
            .nonce(Nonce::String(nonce.to_string()))
            .enforce_nonce(true);
        let send = || async {
            self.budget.write(channel_id, Write::Post).await;
            self.http.send_message(channel, Vec::new(), &message).await
        };
        let sent = match delivery {
            Delivery::Once => match tokio::time::timeout(REQUEST_TIMEOUT, send()).await {
                Ok(sent) => sent,
                Err(_) => {
                    tracing::warn!(channel_id, "a post timed out");
                    return Err(Fault::Unavailable);
                }
            },
            Delivery::Retried => retry("posting a message", send).await,
        };
        if let (Err(error), Delivery::Once) = (&sent, delivery) {
            tracing::warn!(channel_id, "a post failed: {}", describe(error));
        }
        sent.map(|message| message.id.get())
            .map_err(|error| fault(&error))
    }

    async fn edit(&self, channel_id: u64, message_id: u64, reply: &Reply) {
        let edit = message_edit(reply, self.clock.now());
        let channel = ChannelId::new(channel_id.max(1));
        let message = MessageId::new(message_id.max(1));
        let _ = retry("editing a message", || async {
            self.budget.write(channel_id, Write::Edit).await;
            self.http
                .edit_message(channel, message, &edit, Vec::new())
                .await
        })
        .await;
    }
}
