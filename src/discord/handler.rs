//! Gateway events: registration on READY, then every interaction turned into an input
//! of the core and answered through [`DiscordFront`] within Discord's three seconds.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serenity::all::{
    AuthorizingIntegrationOwner, AuthorizingIntegrationOwners, AutocompleteChoice, Channel,
    ChannelId, ChannelType, CommandDataOption, CommandDataOptionValue, CommandInteraction,
    ComponentInteraction, Context, CreateAutocompleteResponse, CreateInteractionResponse,
    EventHandler, GuildId, Http, Interaction, Member, Message, MessageInteractionMetadata,
    PartialChannel, RatelimitInfo, Ready, ResumedEvent, Role, RoleId, User, UserId,
};

use tokio::sync::Notify;

use super::budget::Budget;
use super::front::{Asked, DiscordFront};
use super::permissions::from_discord;
use super::registration::commands_json;
use super::rest::{Route, attempt, describe, retry};
use crate::app::{App, Clicked, Input, dispatch};
use crate::caller::Caller;
use crate::commands::{ChannelRef, Invocation, RoleRef, RoleStanding, Value};
use crate::monitor;
use crate::permissions::Permissions;
use crate::picture::Pictures;

/// The bot's state, shared by every event.
pub struct Handler {
    app: Arc<App>,
    /// Register commands in this server only, for instant updates while developing.
    dev_guild: Option<GuildId>,
    /// Commands are registered once per run, not on every reconnect.
    registered: AtomicBool,
    /// Rung at READY: the timers start then.
    ready: Arc<Notify>,
    /// The bot's user id, from READY: what its permissions in a channel are read for
    /// (an application made before 2019 has a user id other than its own id).
    bot_user: OnceLock<UserId>,
    /// The REST calls' budget, shared with the timers' front end.
    budget: Arc<Budget>,
    /// What replies' pictures are drawn with, shared with the timers' front end.
    pictures: Arc<Pictures>,
}

impl Handler {
    pub fn new(
        app: Arc<App>,
        dev_guild: Option<u64>,
        ready: Arc<Notify>,
        budget: Arc<Budget>,
        pictures: Arc<Pictures>,
    ) -> Handler {
        Handler {
            budget,
            pictures,
            app,
            dev_guild: dev_guild.map(GuildId::new),
            registered: AtomicBool::new(false),
            ready,
            bot_user: OnceLock::new(),
        }
    }

    fn front(&self, http: &Arc<Http>) -> DiscordFront {
        DiscordFront::new(
            Arc::clone(http),
            self.app.clock().clone(),
            Arc::clone(&self.budget),
            Arc::clone(&self.pictures),
        )
    }

    async fn register(&self, http: &Http) {
        if self.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let body = commands_json();
        let outcome = match self.dev_guild {
            Some(guild) => {
                retry(
                    Route::Commands,
                    "registering commands in DEV_GUILD_ID",
                    || http.create_guild_commands(guild, &body),
                )
                .await
            }
            None => {
                retry(Route::Commands, "registering global commands", || {
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
        tracing::debug!(command = %command.data.name, "command");
        let front = self
            .front(http)
            .answering(command.id, &command.token, Asked::Command);
        // From here on, Discord's three seconds are watched: the REST calls of a channel
        // option and a busy database count.
        let defer = tokio::spawn(front.clone().defer_when_slow());
        let input = Input::Command {
            caller: caller(
                &command.user,
                command.member.as_deref(),
                command.guild_id,
                command.channel_id,
                (
                    command.app_permissions,
                    command.channel.as_ref(),
                    &command.authorizing_integration_owners,
                ),
            ),
            invocation: invocation(http, command, self.bot_user.get().copied(), &self.budget).await,
        };
        dispatch(&self.app, input, &front).await;
        defer.abort();
    }

    async fn autocomplete(&self, http: &Http, command: &CommandInteraction) {
        let received = Instant::now();
        let Some(focused) = command.data.autocomplete() else {
            return;
        };
        let choices = self
            .app
            .autocomplete(&command.data.name, focused.name, focused.value)
            .into_iter()
            .map(|choice| AutocompleteChoice::new(choice.name, choice.value))
            .collect();
        let response = CreateInteractionResponse::Autocomplete(
            CreateAutocompleteResponse::new().set_choices(choices),
        );
        let answered = retry(Route::Callback, "answering an autocomplete", || {
            http.create_interaction_response(command.id, &command.token, &response, Vec::new())
        })
        .await;
        if answered.is_ok() {
            metrics::histogram!(monitor::RESPONSE_SECONDS, "kind" => "autocomplete")
                .record(received.elapsed().as_secs_f64());
        }
    }

    async fn click(&self, http: &Arc<Http>, click: &ComponentInteraction) {
        tracing::debug!(custom_id = %click.data.custom_id, "button");
        let on = clicked_on(&click.message, click.user.id);
        let input = Input::Click {
            caller: caller(
                &click.user,
                click.member.as_ref(),
                click.guild_id,
                click.channel_id,
                (
                    click.app_permissions,
                    click.channel.as_ref(),
                    &click.authorizing_integration_owners,
                ),
            ),
            custom_id: click.data.custom_id.clone(),
            on,
        };
        let front = self
            .front(http)
            .answering(click.id, &click.token, Asked::Click);
        let defer = tokio::spawn(front.clone().defer_when_slow());
        dispatch(&self.app, input, &front).await;
        defer.abort();
    }
}

/// What Discord says of the bot in an interaction's channel: its permissions there,
/// the channel (a thread or not), and who installed the app (a server, a user).
type BotHere<'a> = (
    Option<serenity::all::Permissions>,
    Option<&'a PartialChannel>,
    &'a AuthorizingIntegrationOwners,
);

/// What a clicked message is to the one who clicked: the answer to their own command
/// or click (a private card opened from a daily post included), which a click may
/// replace (a page turn), or a message that is not theirs (someone else's answer, a
/// daily post, a quiz question), which stays as everyone sees it while the click is
/// answered privately.
fn clicked_on(message: &Message, clicker: UserId) -> Clicked {
    if invoker(message) == Some(clicker) {
        Clicked::Reply
    } else {
        Clicked::Post
    }
}

/// Who ran the command (or clicked the button) a message answers, when Discord says:
/// nobody for a message the bot posted by itself.
fn invoker(message: &Message) -> Option<UserId> {
    match message.interaction_metadata.as_deref() {
        Some(MessageInteractionMetadata::Command(command)) => Some(command.user.id),
        Some(MessageInteractionMetadata::Component(component)) => Some(component.user.id),
        // Older messages name it in the field `interaction_metadata` replaces.
        #[allow(deprecated)]
        _ => message
            .interaction
            .as_ref()
            .map(|interaction| interaction.user.id),
    }
}

/// Who sent an interaction, and where, with their permissions in the channel.
fn caller(
    user: &User,
    member: Option<&Member>,
    guild_id: Option<GuildId>,
    channel_id: ChannelId,
    bot: BotHere,
) -> Caller {
    Caller {
        bot_permissions: bot.0.map_or(Permissions::empty(), from_discord),
        in_thread: bot.1.is_some_and(|channel| {
            matches!(
                channel.kind,
                ChannelType::PublicThread | ChannelType::PrivateThread | ChannelType::NewsThread
            )
        }),
        user_id: user.id.get(),
        user_name: member
            .and_then(|m| m.nick.clone())
            .or_else(|| user.global_name.clone())
            .unwrap_or_else(|| user.name.clone()),
        is_bot: user.bot,
        guild_id: guild_id.map(GuildId::get),
        channel_id: channel_id.get(),
        permissions: member
            .and_then(|m| m.permissions)
            .map_or(Permissions::empty(), from_discord),
        bot_installed: guild_id.is_some_and(|guild| {
            bot.2.0.iter().any(|owner| {
                matches!(owner, AuthorizingIntegrationOwner::GuildInstall(Some(id)) if *id == guild)
            })
        }),
    }
}

/// A slash command as the command table reads it. A channel option carries the
/// bot's own permissions there: what `/daily set` must know before it posts; a role
/// option whether the bot could give it: what `/rewards add` must know.
async fn invocation(
    http: &Http,
    command: &CommandInteraction,
    bot: Option<UserId>,
    budget: &Budget,
) -> Invocation {
    let mut subcommand = None;
    let mut given: Vec<&CommandDataOption> = Vec::new();
    for option in &command.data.options {
        match &option.value {
            CommandDataOptionValue::SubCommand(inner) => {
                subcommand = Some(option.name.clone());
                given.extend(inner);
            }
            _ => given.push(option),
        }
    }
    let mut options = Vec::with_capacity(given.len());
    for option in given {
        let value = match &option.value {
            CommandDataOptionValue::String(text) => Value::Text(text.clone()),
            CommandDataOptionValue::Integer(number) => Value::Integer(*number),
            CommandDataOptionValue::Number(number) => Value::Text(number.to_string()),
            CommandDataOptionValue::Boolean(flag) => Value::Text(flag.to_string()),
            CommandDataOptionValue::User(id) => Value::User(id.get()),
            CommandDataOptionValue::Role(id) => Value::Role(RoleRef {
                id: id.get(),
                standing: match (command.guild_id, bot) {
                    (Some(guild), Some(bot)) => role_standing(http, guild, *id, bot, budget).await,
                    _ => RoleStanding::Unknown,
                },
            }),
            CommandDataOptionValue::Channel(id) => {
                let bot_permissions = if *id == command.channel_id {
                    // Discord sends the bot's permissions in the channel it is used in.
                    command
                        .app_permissions
                        .map_or(Permissions::empty(), from_discord)
                } else {
                    match (command.guild_id, bot) {
                        (Some(guild), Some(bot)) => {
                            bot_permissions(http, guild, *id, bot, budget).await
                        }
                        _ => Permissions::empty(),
                    }
                };
                Value::Channel(ChannelRef {
                    id: id.get(),
                    bot_permissions,
                })
            }
            _ => continue,
        };
        options.push((option.name.clone(), value));
    }
    Invocation {
        command: command.data.name.clone(),
        subcommand,
        options,
    }
}

/// The permissions of the bot (user `bot`) in `channel` of `guild`, from the guild's
/// roles, the bot's roles and the channel's overwrites; none when it cannot see it.
async fn bot_permissions(
    http: &Http,
    guild_id: GuildId,
    channel: ChannelId,
    bot: UserId,
    budget: &Budget,
) -> Permissions {
    for _ in 0..3 {
        budget.call().await;
    }
    let fetched = tokio::try_join!(
        attempt(Route::Lookup, http.get_guild(guild_id)),
        attempt(Route::Lookup, http.get_channel(channel)),
        attempt(Route::Lookup, http.get_member(guild_id, bot)),
    );
    match fetched {
        Ok((guild, Channel::Guild(channel), member)) if channel.guild_id == guild.id => {
            from_discord(guild.user_permissions_in(&channel, &member))
        }
        Ok(_) => Permissions::empty(),
        Err(error) => {
            tracing::debug!("cannot read the channel's permissions: {error}");
            Permissions::empty()
        }
    }
}

/// Whether the bot (user `bot`) could give `role` in `guild`: from the server's roles
/// and the bot's, the bot's server permissions and where its highest role stands.
async fn role_standing(
    http: &Http,
    guild_id: GuildId,
    role: RoleId,
    bot: UserId,
    budget: &Budget,
) -> RoleStanding {
    for _ in 0..2 {
        budget.call().await;
    }
    let fetched = tokio::try_join!(
        attempt(Route::Lookup, http.get_guild_roles(guild_id)),
        attempt(Route::Lookup, http.get_member(guild_id, bot)),
    );
    let (roles, member) = match fetched {
        Ok(fetched) => fetched,
        Err(error) => {
            tracing::warn!("cannot read the server's roles: {}", describe(&error));
            return RoleStanding::Unknown;
        }
    };
    let Some(target) = roles.iter().find(|r| r.id == role) else {
        return RoleStanding::Unknown;
    };
    if target.managed || role.get() == guild_id.get() {
        return RoleStanding::Managed;
    }
    // Everyone's role has the server's id; the bot holds it without listing it.
    let held: Vec<&Role> = roles
        .iter()
        .filter(|r| r.id.get() == guild_id.get() || member.roles.contains(&r.id))
        .collect();
    let bits = held
        .iter()
        .fold(serenity::all::Permissions::empty(), |bits, r| {
            bits | r.permissions
        });
    // Discord ranks roles by position, and an older role (a smaller id) above a newer
    // one at the same position.
    let rank = |r: &Role| (r.position, std::cmp::Reverse(r.id));
    let highest = held.iter().copied().max_by_key(|r| rank(r));
    RoleStanding::Assignable {
        bot_permissions: from_discord(bits),
        above_bot: highest
            .filter(|highest| rank(target) >= rank(highest))
            .map(|highest| highest.id.get()),
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(
            "connected as {} to {} servers",
            ready.user.name,
            ready.guilds.len()
        );
        let _ = self.bot_user.set(ready.user.id);
        self.register(&ctx.http).await;
        self.ready.notify_one();
    }

    async fn resume(&self, _: Context, _: ResumedEvent) {
        tracing::info!("gateway session resumed");
    }

    async fn ratelimit(&self, limited: RatelimitInfo) {
        let global = if limited.global { "true" } else { "false" };
        metrics::counter!(monitor::RATE_LIMIT_WAITS, "global" => global).increment(1);
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
