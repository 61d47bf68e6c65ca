//! The core's effects carried out on Discord: interaction responses, channel posts and
//! edits, and role grants over REST, retried where a failure may pass.

use std::sync::Arc;
use std::time::Instant;

use chrono::TimeDelta;
use serenity::all::{
    ChannelId, CreateAttachment, CreateInteractionResponse, GuildId, Http, InteractionId,
    MessageId, Nonce, RoleId, UserId,
};
use serenity::http::HttpError;
use tokio::sync::Mutex;

use super::budget::{Budget, Write};
use super::render::{channel_message, followup, message_edit, response_edit, response_message};
use super::rest::{Route, attempt, describe, retry, retry_in_turn};
use crate::app::{Delivery, Frontend, Grant};
use crate::clock::Clock;
use crate::daily::Fault;
use crate::monitor;
use crate::picture::Pictures;
use crate::reply::Reply;

/// How long an interaction may wait for its answer before it is acknowledged, so that
/// Discord (which gives up after 3 s) keeps it open: the answer then edits the
/// acknowledgement, or follows it.
const DEFER_AFTER: TimeDelta = TimeDelta::seconds(2);

/// What kind of interaction is answered: it decides how a late answer is given.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// A slash command: acknowledged as "thinking…", later edited.
    Command,
    /// A click: acknowledged silently; an update edits its message, anything else
    /// follows as a new message.
    Click,
}

/// Where an interaction's answer stands.
enum Answer {
    Waiting,
    Deferred,
    Given,
}

/// The interaction a front end answers.
struct Interaction {
    id: InteractionId,
    token: String,
    asked: Asked,
    answer: Mutex<Answer>,
    /// When it arrived: the start of [`monitor::RESPONSE_SECONDS`].
    received: Instant,
}

impl Interaction {
    /// Counts the time to its first response, which Discord just accepted.
    fn responded(&self) {
        let kind = match self.asked {
            Asked::Command => "command",
            Asked::Click => "button",
        };
        metrics::histogram!(monitor::RESPONSE_SECONDS, "kind" => kind)
            .record(self.received.elapsed().as_secs_f64());
    }
}

/// Discord as a front end, answering one interaction (or none, for timers).
#[derive(Clone)]
pub struct DiscordFront {
    http: Arc<Http>,
    /// The core's clock: a deadline that starts when a message is sent is read from it.
    clock: Clock,
    /// Every front end's calls share one budget.
    budget: Arc<Budget>,
    /// What replies' pictures are drawn with.
    pictures: Arc<Pictures>,
    interaction: Option<Arc<Interaction>>,
}

impl DiscordFront {
    /// A front end that answers no interaction: for timers and start-up.
    pub fn new(
        http: Arc<Http>,
        clock: Clock,
        budget: Arc<Budget>,
        pictures: Arc<Pictures>,
    ) -> DiscordFront {
        DiscordFront {
            http,
            clock,
            budget,
            pictures,
            interaction: None,
        }
    }

    /// The picture `reply` shows, drawn on a blocking thread (tens of milliseconds of
    /// CPU) as the file to upload with it. A picture that cannot be drawn is left out
    /// of the reply, which then goes without it.
    async fn attachments(&self, reply: &mut Reply) -> Vec<CreateAttachment> {
        let Some(picture) = reply.picture.clone() else {
            return Vec::new();
        };
        let name = picture.file_name();
        let pictures = Arc::clone(&self.pictures);
        let drawn = tokio::task::spawn_blocking(move || pictures.draw(&picture)).await;
        match drawn {
            Ok(Ok(png)) => vec![CreateAttachment::bytes(png, name)],
            Ok(Err(error)) => {
                tracing::error!("{name} could not be drawn: {error}");
                reply.picture = None;
                Vec::new()
            }
            Err(error) => {
                tracing::error!("drawing {name} failed: {error}");
                reply.picture = None;
                Vec::new()
            }
        }
    }

    /// The same front end, answering the interaction `id` with `token`.
    pub fn answering(&self, id: InteractionId, token: &str, asked: Asked) -> DiscordFront {
        DiscordFront {
            interaction: Some(Arc::new(Interaction {
                id,
                token: token.to_string(),
                asked,
                answer: Mutex::new(Answer::Waiting),
                received: Instant::now(),
            })),
            ..self.clone()
        }
    }

    /// Acknowledges the interaction if it is still unanswered after [`DEFER_AFTER`] on
    /// the core's clock (a busy database, slow REST calls before the answer).
    pub async fn defer_when_slow(self) {
        let Some(interaction) = &self.interaction else {
            return;
        };
        self.clock.sleep_until(self.clock.now() + DEFER_AFTER).await;
        let mut answer = interaction.answer.lock().await;
        if !matches!(*answer, Answer::Waiting) {
            return;
        }
        let response = match interaction.asked {
            Asked::Command => CreateInteractionResponse::Defer(
                serenity::all::CreateInteractionResponseMessage::new(),
            ),
            Asked::Click => CreateInteractionResponse::Acknowledge,
        };
        let deferred = retry(Route::Callback, "acknowledging a slow interaction", || {
            self.http.create_interaction_response(
                interaction.id,
                &interaction.token,
                &response,
                Vec::new(),
            )
        })
        .await;
        if deferred.is_ok() {
            interaction.responded();
            *answer = Answer::Deferred;
        }
    }

    /// Gives the interaction its answer: as a response while it waits; once deferred,
    /// as an edit of the acknowledgement or a follow-up (a private answer to a command
    /// deferred in public replaces the acknowledgement with a private one); once
    /// answered, a further reply follows as a new message.
    async fn answer(&self, mut reply: Reply, update: bool) {
        let Some(interaction) = &self.interaction else {
            tracing::error!("a response with no interaction to answer");
            return;
        };
        // Drawn before the answer is taken: a slow drawing is covered by the deferral.
        let files = self.attachments(&mut reply).await;
        let now = self.clock.now();
        let token = interaction.token.as_str();
        let mut answer = interaction.answer.lock().await;
        match *answer {
            Answer::Waiting => {
                let message = response_message(&reply, now);
                let response = if update {
                    CreateInteractionResponse::UpdateMessage(message)
                } else {
                    CreateInteractionResponse::Message(message)
                };
                let answered = retry(Route::Callback, "answering an interaction", || {
                    self.http.create_interaction_response(
                        interaction.id,
                        token,
                        &response,
                        files.clone(),
                    )
                })
                .await;
                if answered.is_ok() {
                    interaction.responded();
                }
            }
            Answer::Deferred => {
                let edit_own = update || (interaction.asked == Asked::Command && !reply.ephemeral);
                if edit_own {
                    let edit = response_edit(&reply, now);
                    let _ = retry(Route::Webhook, "answering a deferred interaction", || {
                        self.http
                            .edit_original_interaction_response(token, &edit, files.clone())
                    })
                    .await;
                } else {
                    if interaction.asked == Asked::Command {
                        let _ = retry(Route::Webhook, "removing a public acknowledgement", || {
                            self.http.delete_original_interaction_response(token)
                        })
                        .await;
                    }
                    let message = followup(&reply, now);
                    let _ = retry(Route::Webhook, "answering a deferred interaction", || {
                        self.http
                            .create_followup_message(token, &message, files.clone())
                    })
                    .await;
                }
            }
            Answer::Given if !update => {
                // A further word once the answer is out (a quiz whose first question
                // the channel refused).
                let message = followup(&reply, now);
                let _ = retry(Route::Webhook, "following up an interaction", || {
                    self.http
                        .create_followup_message(token, &message, files.clone())
                })
                .await;
            }
            Answer::Given => tracing::error!("an interaction's message updated twice"),
        }
        *answer = Answer::Given;
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
        self.answer(reply, false).await;
    }

    async fn update(&self, reply: Reply) {
        self.answer(reply, true).await;
    }

    async fn post(
        &self,
        channel_id: u64,
        reply: &Reply,
        nonce: &str,
        delivery: Delivery,
    ) -> Result<u64, Fault> {
        let channel = ChannelId::new(channel_id.max(1));
        let mut reply = reply.clone();
        let files = self.attachments(&mut reply).await;
        let turn = || self.budget.write(channel_id, Write::Post);
        // Rendered once its turn has come: a deadline counted from sending is shown
        // from when it is sent.
        let send = || async {
            let message = channel_message(&reply, self.clock.now())
                .nonce(Nonce::String(nonce.to_string()))
                .enforce_nonce(true);
            self.http
                .send_message(channel, files.clone(), &message)
                .await
        };
        let sent = match delivery {
            Delivery::Once => {
                turn().await;
                attempt(Route::CreateMessage, send()).await
            }
            Delivery::Retried => {
                retry_in_turn(Route::CreateMessage, "posting a message", turn, send).await
            }
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
        let _ = retry_in_turn(
            Route::EditMessage,
            "editing a message",
            || self.budget.write(channel_id, Write::Edit),
            || self.http.edit_message(channel, message, &edit, Vec::new()),
        )
        .await;
    }

    async fn grant_role(&self, grant: &Grant) -> Result<(), Fault> {
        let reason = grant.reason();
        retry_in_turn(
            Route::MemberRole,
            "giving a role reward",
            || self.budget.call(),
            || {
                self.http.add_member_role(
                    GuildId::new(grant.guild_id.max(1)),
                    UserId::new(grant.user_id.max(1)),
                    RoleId::new(grant.role_id.max(1)),
                    Some(&reason),
                )
            },
        )
        .await
        .map_err(|error| fault(&error))
    }
}
