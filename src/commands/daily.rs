//! `/daily set`, `/daily status`, `/daily preview` and `/daily off`: a server's daily
//! post, configured by its managers. Answered with the store, so these run in the
//! Discord layer and the console alike through [`answer`], not through
//! [`super::run`].

use chrono::{DateTime, Utc};

use super::UserError;
use super::{Args, Caller, CommandSpec, Completion, MANAGE_GUILD, OptionSpec, Run, SubcommandSpec};
use crate::daily::{
    DailySchedule, LocalTime, MissingPermission, QueueChange, compose, describe, discord_time,
    parse_zone,
};
use crate::data::Dataset;
use crate::reply::{Reply, Tone};
use crate::store::{Store, StoreError};

/// How `/daily set` is typed, for messages that point to it.
const SET_EXAMPLE: &str = "/daily set channel:#general time:09:00 timezone:Europe/London";

/// `/daily set|status|preview|off`.
pub const DAILY: CommandSpec = CommandSpec {
    name: "daily",
    description: "A fact from the feud every day, in a channel you choose, at your local time",
    options: &[],
    subcommands: &[
        SubcommandSpec {
            name: "set",
            description: "Post a fact every day in a channel, at a time of day in your time zone",
            options: &[
                OptionSpec::channel("channel", "The channel to post in", "#general").required(),
                OptionSpec::text(
                    "time",
                    "Time of day, HH:MM on a 24-hour clock, e.g. 09:00 or 21:30",
                    "09:00",
                )
                .required()
                .max_length(10),
                OptionSpec::text(
                    "timezone",
                    "Your time zone: start typing a city or a name like Europe/London",
                    "Europe/London",
                )
                .required()
                .complete(Completion::TimeZones)
                .max_length(64),
            ],
        },
        SubcommandSpec {
            name: "status",
            description: "Where and when daily posts go, the next one and the last one",
            options: &[],
        },
        SubcommandSpec {
            name: "preview",
            description: "See the next daily post now (only you see it)",
            options: &[],
        },
        SubcommandSpec {
            name: "off",
            description: "Stop the daily posts in this server",
            options: &[],
        },
    ],
    run: Run::Daily,
    press: None,
    permissions: Some(MANAGE_GUILD),
    guild_only: true,
};

/// A `/daily` answer: the reply, and what the runner must change in its queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyAnswer {
    /// What the user sees.
    pub reply: Reply,
    /// For [`crate::daily::DailyQueue::apply`], when the schedule changed.
    pub queue: Option<QueueChange>,
}

/// Why a `/daily` command got no ordinary answer.
enum Failure {
    /// Something the user can fix.
    User(UserError),
    /// The database failed; logged, and the user sees a short apology.
    Store(StoreError),
}

impl From<UserError> for Failure {
    fn from(error: UserError) -> Failure {
        Failure::User(error)
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        Failure::Store(error)
    }
}

/// The channel whose permissions the Discord layer must check before calling
/// [`answer`]: the `channel` of `/daily set`; `None` for the other subcommands.
pub fn channel_to_check(args: &Args) -> Option<u64> {
    (args.subcommand() == Some("set"))
        .then(|| args.channel("channel"))
        .flatten()
}

/// Answers a checked `/daily` command from `caller` at `now`. `channel_access` is the
/// Discord layer's verdict on the bot's permissions in [`channel_to_check`]'s channel
/// (`Ok(())` when there is none to check, or in the console).
pub async fn answer(
    store: &Store,
    data: &Dataset,
    caller: &Caller,
    args: &Args,
    now: DateTime<Utc>,
    channel_access: Result<(), MissingPermission>,
) -> DailyAnswer {
    let outcome = match caller.guild_id {
        None => Err(Failure::User(UserError(
            "`/daily` works in a server, not in direct messages: run it in the server where \
             the posts should go."
                .into(),
        ))),
        Some(guild_id) => match args.subcommand() {
            Some("set") => set(store, guild_id, args, now, channel_access).await,
            Some("status") => status(store, data, guild_id, now).await,
            Some("preview") => preview(store, data, guild_id, now).await,
            Some("off") => off(store, guild_id).await,
            _ => Err(Failure::User(UserError(format!(
                "Type one of: `/daily set`, `/daily status`, `/daily preview`, `/daily off`. \
                 To start: `{SET_EXAMPLE}`"
            )))),
        },
    };
    outcome.unwrap_or_else(|failure| {
        let reply = match failure {
            Failure::User(error) => Reply::error(&error.0),
            Failure::Store(error) => {
                tracing::error!(guild_id = caller.guild_id, %error, "/daily failed");
                Reply::error(
                    "Something went wrong on my side with the daily-post settings. Nothing was \
                     changed; try again in a minute.",
                )
            }
        };
        DailyAnswer { reply, queue: None }
    })
}

fn not_set_up(what: &str) -> UserError {
    UserError(format!(
        "Daily posts are not on in this server, so there is nothing to {what}. Turn them on \
         with `{SET_EXAMPLE}`."
    ))
}

async fn set(
    store: &Store,
    guild_id: u64,
    args: &Args,
    now: DateTime<Utc>,
    channel_access: Result<(), MissingPermission>,
) -> Result<DailyAnswer, Failure> {
    let channel_id = args
        .channel("channel")
        .ok_or_else(|| UserError(format!("Pick a channel, e.g. `{SET_EXAMPLE}`")))?;
    let time: LocalTime = args
        .text("time")
        .unwrap_or_default()
        .parse()
        .map_err(|error: crate::daily::TimeError| UserError(error.to_string()))?;
    let zone = parse_zone(args.text("timezone").unwrap_or_default())
        .map_err(|error| UserError(error.to_string()))?;
    if let Err(missing) = channel_access {
        return Err(UserError(format!(
            "I can't post in <#{channel_id}>: I'm missing {missing} there. Give me that in the \
             channel's settings (Edit Channel → Permissions), or pick another channel."
        ))
        .into());
    }
    let schedule = DailySchedule {
        channel_id,
        time,
        zone,
        paused: None,
    };
    store.daily().set(guild_id, &schedule, now).await?;
    let next = schedule.next_slot(now);
    let reply = Reply::new(Tone::Info, "Daily posts are on")
        .text(&format!(
            "Every day at **{time}** ({}) in <#{channel_id}>: what happened in the feud on that \
             day, when something did; otherwise the next event or quote, with no repeats until \
             all have been posted.",
            zone.name()
        ))
        .field("Next post", &discord_time(next.at), false)
        .footer(
            "/daily preview shows the next post · /daily status the schedule · /daily off stops it",
        );
    Ok(DailyAnswer {
        reply,
        queue: Some(QueueChange::Set {
            guild_id,
            at: next.at,
        }),
    })
}

async fn status(
    store: &Store,
    data: &Dataset,
    guild_id: u64,
    now: DateTime<Utc>,
) -> Result<DailyAnswer, Failure> {
    let daily = store.daily();
    let Some(stored) = daily.schedule(guild_id).await? else {
        let reply = Reply::new(Tone::Info, "Daily posts").text(&format!(
            "Daily posts are off in this server. Turn them on with `{SET_EXAMPLE}`."
        ));
        return Ok(DailyAnswer { reply, queue: None });
    };
    let schedule = &stored.schedule;
    let next = match &schedule.paused {
        Some(_) => "Paused: see below".to_string(),
        None => discord_time(schedule.next_slot(now).at),
    };
    let last = match daily.last_post(guild_id).await? {
        Some(post) => format!(
            "<t:{}:F>: {}",
            post.sent_at.timestamp(),
            describe(data, &post.subject).unwrap_or_else(|| "a fact no longer in the story".into())
        ),
        None => "None yet".to_string(),
    };
    let mut reply = Reply::new(Tone::Info, "Daily posts")
        .field("Channel", &format!("<#{}>", schedule.channel_id), true)
        .field(
            "Time",
            &format!("{} ({})", schedule.time, schedule.zone.name()),
            true,
        )
        .field("Next post", &next, false)
        .field("Last post", &last, false);
    if let Some(reason) = &schedule.paused {
        reply = reply.field(
            "Paused",
            &format!("{reason}\nRun `/daily set` again to resume."),
            false,
        );
    }
    Ok(DailyAnswer { reply, queue: None })
}

async fn preview(
    store: &Store,
    data: &Dataset,
    guild_id: u64,
    now: DateTime<Utc>,
) -> Result<DailyAnswer, Failure> {
    let daily = store.daily();
    let stored = daily
        .schedule(guild_id)
        .await?
        .ok_or_else(|| not_set_up("preview"))?;
    let rotation = daily.rotation(guild_id).await?;
    let next = stored.schedule.next_slot(now);
    let post = compose(data, next.date, &rotation).ok_or_else(|| {
        UserError("There is nothing to post: the dataset has no events or quotes.".into())
    })?;
    let when = match &stored.schedule.paused {
        Some(_) => "Posting is paused: `/daily status` says why.".to_string(),
        None => format!(
            "This goes to <#{}> {}.",
            stored.schedule.channel_id,
            discord_time(next.at)
        ),
    };
    let mut reply = post.reply.field("Preview", &when, false);
    reply.ephemeral = true;
    Ok(DailyAnswer { reply, queue: None })
}

async fn off(store: &Store, guild_id: u64) -> Result<DailyAnswer, Failure> {
    if !store.daily().off(guild_id).await? {
        return Err(not_set_up("turn off").into());
    }
    let reply = Reply::new(Tone::Info, "Daily posts are off").text(&format!(
        "Nothing more will be posted. `{SET_EXAMPLE}` turns them back on, and the facts carry \
         on where they stopped."
    ));
    Ok(DailyAnswer {
        reply,
        queue: Some(QueueChange::Remove { guild_id }),
    })
}
