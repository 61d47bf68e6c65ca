//! Gateway events: registration on READY, then every interaction routed to the
//! command table and answered within Discord's three seconds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serenity::all::{
    AutocompleteChoice, CommandDataOption, CommandDataOptionValue, CommandInteraction,
    ComponentInteraction, Context, CreateAutocompleteResponse, CreateInteractionResponse,
    EventHandler, GuildId, Http, Interaction, InteractionId, Member, MessageType, Ready,
    ResumedEvent, User,
};

use super::daily::DailyRunner;
use super::games::{self, GameRunner};
use super::render::response_message;
use super::retry::retry;
use crate::clock::Clock;
use crate::commands::{self, Args, Caller, Ctx, Invocation, Run, Value};
use crate::data::Dataset;
use crate::quiz::is_game_button;
use crate::reply::Reply;

/// The bot's state, shared by every event.
pub struct Handler {
    data: Arc<Dataset>,
    /// What `/onthisday` means by today; the runners read the same clock.
    clock: Clock,
    games: Arc<GameRunner>,
    daily: Arc<DailyRunner>,
    /// Register commands in this server only, for instant updates while developing.
    dev_guild: Option<GuildId>,
    /// Commands are registered once per run, not on every reconnect.
    registered: AtomicBool,
    /// The daily scheduler starts at the first READY, once.
    started: AtomicBool,
}

impl Handler {
    pub fn new(
        data: Arc<Dataset>,
        clock: Clock,
        games: Arc<GameRunner>,
        daily: Arc<DailyRunner>,
        dev_guild: Option<u64>,
    ) -> Handler {
        Handler {
            data,
            clock,
            games,
            daily,
            dev_guild: dev_guild.map(GuildId::new),
            registered: AtomicBool::new(false),
            started: AtomicBool::new(false),
        }
    }

    /// Runs `answer` with a fresh context. The rng is made and dropped here, before
    /// any `.await`, because it is not `Send`.
    fn with_ctx(&self, answer: impl FnOnce(&mut Ctx) -> Reply) -> Reply {
        let mut rng = rand::rng();
        let mut ctx = Ctx {
            data: &self.data,
            today: self.clock.now().date_naive(),
            rng: &mut rng,
        };
        answer(&mut ctx)
    }

    async fn register(&self, http: &Http) {
        if self.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let body = commands::registration();
        let outcome = match self.dev_guild {
            Some(guild) => {
                retry("registering commands in DEV_GUILD_ID", || {
                    http.create_guild_commands(guild, &body)
                })
                .await
            }
            None => {
                retry("registering global commands", || {
                    http.create_global_commands(&body)
                })
                .await
            }
        };
        match outcome {
            Ok(registered) => tracing::info!(
                "registered {} commands {}",
                registered.len(),
                match self.dev_guild {
                    Some(guild) => format!("in server {guild}"),
                    None => "globally (they may take a while to appear)".to_string(),
                }
            ),
            // Try again at the next READY.
            Err(_) => self.registered.store(false, Ordering::SeqCst),
        }
    }

    async fn command(&self, http: &Arc<Http>, command: &CommandInteraction) {
        let invocation = invocation(command);
        tracing::debug!(command = %invocation.command, "command");
        let reply = match commands::find(&invocation.command).map(|spec| (spec, spec.run)) {
            Some((_, Run::Game)) => match commands::game_request(&invocation) {
                Ok(request) => {
                    let from = games::Interaction {
                        id: command.id,
                        token: command.token.clone(),
                    };
                    let caller = caller(command);
                    return self.games.command(http, from, caller, request).await;
                }
                Err(error) => Reply::error(&error.0),
            },
            Some((spec, Run::Daily)) => match Args::parse(spec, &invocation) {
                Ok(args) => {
                    let caller = caller(command);
                    self.daily
                        .command(http, &caller, &args, command.app_permissions)
                        .await
                }
                Err(error) => Reply::error(&error.0),
            },
            _ => self.with_ctx(|ctx| commands::run(ctx, &invocation)),
        };
        let response = CreateInteractionResponse::Message(response_message(&reply));
        respond(http, command.id, &command.token, &response).await;
    }

    async fn autocomplete(&self, http: &Http, command: &CommandInteraction) {
        let Some(focused) = command.data.autocomplete() else {
            return;
        };
        let choices =
            commands::autocomplete(&self.data, &command.data.name, focused.name, focused.value)
                .into_iter()
                .map(|choice| AutocompleteChoice::new(choice.name, choice.value))
                .collect();
        let response = CreateInteractionResponse::Autocomplete(
            CreateAutocompleteResponse::new().set_choices(choices),
        );
        respond(http, command.id, &command.token, &response).await;
    }

    async fn click(&self, http: &Arc<Http>, click: &ComponentInteraction) {
        tracing::debug!(custom_id = %click.data.custom_id, "button");
        if is_game_button(&click.data.custom_id) {
            let from = games::Interaction {
                id: click.id,
                token: click.token.clone(),
            };
            let caller = Caller {
                channel_id: click.channel_id.get(),
                guild_id: click.guild_id.map(|g| g.get()),
                permissions: member_permissions(click.member.as_ref()),
                ..user_caller(&click.user)
            };
            let custom_id = click.data.custom_id.clone();
            return self.games.click(http, from, caller, custom_id).await;
        }
        let reply = self.with_ctx(|ctx| commands::press(ctx, &click.data.custom_id));
        // A page turn edits the reply it came from. A click on a message the bot
        // posted by itself (a daily post) must not rewrite it for everyone: its answer,
        // like a refusal, goes to the clicker alone.
        let own_reply = matches!(
            click.message.kind,
            MessageType::ChatInputCommand | MessageType::ContextMenuCommand
        );
        let mut message = response_message(&reply);
        let response = if reply.is_error() {
            CreateInteractionResponse::Message(message)
        } else if own_reply {
            CreateInteractionResponse::UpdateMessage(message)
        } else {
            message = message.ephemeral(true);
            CreateInteractionResponse::Message(message)
        };
        respond(http, click.id, &click.token, &response).await;
    }
}

/// Who sent an interaction, before where: a bot or not, and the name to show.
fn user_caller(user: &User) -> Caller {
    Caller {
        user_id: user.id.get(),
        user_name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
        is_bot: user.bot,
        guild_id: None,
        channel_id: 0,
        permissions: 0,
    }
}

/// Who typed a command, and where, with their permissions in the channel.
fn caller(command: &CommandInteraction) -> Caller {
    Caller {
        channel_id: command.channel_id.get(),
        guild_id: command.guild_id.map(|g| g.get()),
        permissions: member_permissions(command.member.as_deref()),
        ..user_caller(&command.user)
    }
}

/// A member's permission bits in the channel, as Discord sent them (0 in a DM).
fn member_permissions(member: Option<&Member>) -> u64 {
    member.and_then(|m| m.permissions).map_or(0, |p| p.bits())
}

/// Sends an interaction response, retrying what may pass; failures are logged.
pub(super) async fn respond(
    http: &Http,
    id: InteractionId,
    token: &str,
    response: &CreateInteractionResponse,
) {
    let _ = retry("answering an interaction", || {
        http.create_interaction_response(id, token, response, Vec::new())
    })
    .await;
}

/// A slash command as the command table reads it.
fn invocation(command: &CommandInteraction) -> Invocation {
    let mut subcommand = None;
    let mut options = Vec::new();
    for option in &command.data.options {
        match &option.value {
            CommandDataOptionValue::SubCommand(inner) => {
                subcommand = Some(option.name.clone());
                options.extend(inner.iter().filter_map(value));
            }
            _ => options.extend(value(option)),
        }
    }
    Invocation {
        command: command.data.name.clone(),
        subcommand,
        options,
    }
}

/// An option's value as the command table reads it; ids arrive as text.
fn value(option: &CommandDataOption) -> Option<(String, Value)> {
    let value = match &option.value {
        CommandDataOptionValue::String(text) => Value::Text(text.clone()),
        CommandDataOptionValue::Integer(number) => Value::Integer(*number),
        CommandDataOptionValue::Number(number) => Value::Text(number.to_string()),
        CommandDataOptionValue::Boolean(flag) => Value::Text(flag.to_string()),
        CommandDataOptionValue::Channel(id) => Value::Text(id.to_string()),
        CommandDataOptionValue::User(id) => Value::Text(id.to_string()),
        CommandDataOptionValue::Role(id) => Value::Text(id.to_string()),
        _ => return None,
    };
    Some((option.name.clone(), value))
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(
            "connected as {} to {} servers",
            ready.user.name,
            ready.guilds.len()
        );
        self.register(&ctx.http).await;
        if !self.started.swap(true, Ordering::SeqCst) {
            tokio::spawn(Arc::clone(&self.daily).run(Arc::clone(&ctx.http)));
        }
    }

    async fn resume(&self, _: Context, _: ResumedEvent) {
        tracing::info!("gateway session resumed");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => self.command(&ctx.http, &command).await,
            Interaction::Autocomplete(command) => self.autocomplete(&ctx.http, &command).await,
            Interaction::Component(click) => self.click(&ctx.http, &click).await,
            _ => tracing::debug!("ignored an interaction of another kind"),
        }
    }
}
