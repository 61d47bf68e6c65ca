//! `/daily set|status|preview|off`: a server's daily post, configured by its
//! managers and kept in the store.

use super::{
    Answer, Args, Body, CommandSpec, Completion, Ctx, Failure, OptionSpec, Request, SubcommandSpec,
    UserError,
};
use chrono::{DateTime, Utc};

use crate::daily::{
    DailySchedule, LocalTime, PostKind, QueueChange, check_channel, compose, daylight_note,
    describe, parse_zone, zone_label,
};
use crate::permissions::Permissions;
use crate::reply::{Reply, Text, TimeStyle, Tone};

/// The field that says a zone has no daylight saving.
const DAYLIGHT_SAVING: &str = "Daylight saving";

/// How `/daily set` is typed, for messages that point to it.
const SET_EXAMPLE: &str = "/daily set channel:#general time:09:00 timezone:Europe/London";

/// `/daily set|status|preview|off`.
pub const DAILY: CommandSpec = CommandSpec {
    name: "daily",
    description: "A fact from the feud every day, in a channel you choose, at your local time",
    body: Body::Subcommands(&[
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
                    "Your time zone: a city, a name like Europe/London, PST or UTC+2 (start typing)",
                    "Europe/London",
                )
                .required()
                .complete(Completion::TimeZones)
                .max_length(64),
                OptionSpec::text(
                    "recap",
                    "on: every Monday, also post last week's top ten (unchanged if left out)",
                    "on",
                )
                .choices(&["on", "off"]),
            ],
            handler: set,
        },
        SubcommandSpec {
            name: "status",
            description: "Where and when daily posts go, the next one and the last one",
            options: &[],
            handler: status,
        },
        SubcommandSpec {
            name: "preview",
            description: "See the next daily post now (only you see it)",
            options: &[],
            handler: preview,
        },
        SubcommandSpec {
            name: "off",
            description: "Stop the daily posts in this server",
            options: &[],
            handler: off,
        },
    ]),
    press: None,
    permissions: Some(Permissions::MANAGE_GUILD),
    guild_only: true,
    rules: "",
};

fn not_set_up(what: &str) -> UserError {
    UserError::new(format!(
        "Daily posts are not on in this server, so there is nothing to {what}. Turn them on \
         with `{SET_EXAMPLE}`."
    ))
}

/// Whether a schedule's weekly recap is on, and when the next goes out.
fn recap_text(schedule: &DailySchedule, now: DateTime<Utc>) -> Text {
    if !schedule.recap {
        return Text::from(
            "Off. Add `recap:on` to `/daily set` for last week's top ten every Monday.",
        );
    }
    if schedule.paused.is_some() {
        return Text::from("On, paused with the daily posts.");
    }
    let mut slot = schedule.next_slot(now);
    while !PostKind::Recap.is_due_on(schedule, slot.date) {
        slot = schedule.next_slot(slot.at);
    }
    Text::from(
        "On: last week's podium, top ten and best streak, every Monday with the daily post. Next ",
    )
    .when(slot.at)
    .plain(".")
}

fn set(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let channel = args
        .channel("channel")
        .ok_or_else(|| UserError::new(format!("Pick a channel, e.g. `{SET_EXAMPLE}`")))?;
    let time: LocalTime = args
        .text("time")
        .unwrap_or_default()
        .parse()
        .map_err(|error: crate::daily::TimeError| UserError::new(error.to_string()))?;
    let zone = parse_zone(args.text("timezone").unwrap_or_default())
        .map_err(|error| UserError::new(error.to_string()))?;
    if let Err(missing) = check_channel(channel.bot_permissions) {
        return Err(UserError::new(
            Text::from("I can't post in ")
                .channel(channel.id)
                .plain(&format!(
                    ": I'm missing {missing} there. Give me that in the channel's settings (Edit \
                     Channel → Permissions), or pick another channel."
                )),
        ));
    }
    let recap = args.text("recap").map(|choice| choice == "on");
    let now = ctx.now;
    Ok(Request::store(move |store, _| async move {
        let daily = store.daily();
        let recap = match recap {
            Some(recap) => recap,
            None => daily
                .schedule(guild_id)
                .await?
                .is_some_and(|stored| stored.schedule.recap),
        };
        let schedule = DailySchedule {
            channel_id: channel.id,
            time,
            zone,
            paused: None,
            recap,
        };
        daily.set(guild_id, &schedule, now).await?;
        let next = schedule.next_slot(now);
        let mut reply = Reply::new(Tone::Info, "Daily posts are on")
            .text(
                Text::from(&format!(
                    "Every day at **{time}** ({}) in ",
                    zone_label(zone)
                ))
                .channel(channel.id)
                .plain(
                    ": what happened in the feud on that day, when something did; \
                         otherwise the next event or quote, with no repeats until all have \
                         been posted.",
                ),
            )
            .field("Next post", Text::new().when(next.at), false)
            .field("Weekly recap", recap_text(&schedule, now), false);
        if let Some(note) = daylight_note(zone, time, now) {
            reply = reply.field(DAYLIGHT_SAVING, note, false);
        }
        let reply = reply.footer(
            "/daily preview shows the next post · /daily status the schedule · /daily off stops it",
        );
        Ok(Answer {
            reply,
            reschedule: Some(QueueChange::Set {
                guild_id,
                at: next.at,
            }),
        })
    }))
}

fn status(ctx: &mut Ctx, _: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let now = ctx.now;
    Ok(Request::store(move |store, data| async move {
        let daily = store.daily();
        let Some(stored) = daily.schedule(guild_id).await? else {
            let reply = Reply::new(Tone::Info, "Daily posts").text(format!(
                "Daily posts are off in this server. Turn them on with `{SET_EXAMPLE}`."
            ));
            return Ok(reply.into());
        };
        let schedule = &stored.schedule;
        let next = match &schedule.paused {
            Some(_) => Text::from("Paused: see below"),
            None => Text::new().when(schedule.next_slot(now).at),
        };
        let last = match daily.last_post(guild_id).await? {
            Some(post) => Text::new()
                .time(post.sent_at, TimeStyle::Full)
                .plain(": ")
                .plain(
                    &describe(&data, &post.subject)
                        .unwrap_or_else(|| "a fact no longer in the story".into()),
                ),
            None => Text::from("None yet"),
        };
        let mut reply = Reply::new(Tone::Info, "Daily posts")
            .field("Channel", Text::new().channel(schedule.channel_id), true)
            .field(
                "Time",
                format!("{} ({})", schedule.time, zone_label(schedule.zone)),
                true,
            )
            .field("Next post", next, false)
            .field("Last post", last, false)
            .field("Weekly recap", recap_text(schedule, now), false);
        if let Some(note) = daylight_note(schedule.zone, schedule.time, now) {
            reply = reply.field(DAYLIGHT_SAVING, note, false);
        }
        if let Some(reason) = &schedule.paused {
            // Every reason says how to resume; one saved by another version may not.
            let resume = if reason.contains("/daily set") {
                ""
            } else {
                "\nRun `/daily set` again to resume."
            };
            reply = reply.field("Paused", format!("{reason}{resume}"), false);
        }
        Ok(reply.into())
    }))
}

fn preview(ctx: &mut Ctx, _: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let now = ctx.now;
    Ok(Request::store(move |store, data| async move {
        let daily = store.daily();
        let stored = daily
            .schedule(guild_id)
            .await?
            .ok_or_else(|| not_set_up("preview"))?;
        let rotation = daily.rotation(guild_id).await?;
        let next = stored.schedule.next_slot(now);
        let post = compose(&data, next.date, &rotation).ok_or_else(|| {
            UserError::new("There is nothing to post: the dataset has no events or quotes.")
        })?;
        let when = match &stored.schedule.paused {
            Some(_) => Text::from("Posting is paused: `/daily status` says why."),
            None => Text::from("This goes to ")
                .channel(stored.schedule.channel_id)
                .plain(" ")
                .when(next.at)
                .plain("."),
        };
        let mut reply = post.reply.field("Preview", when, false);
        reply.ephemeral = true;
        Ok(reply.into())
    }))
}

fn off(ctx: &mut Ctx, _: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    Ok(Request::store(move |store, _| async move {
        if !store.daily().off(guild_id).await? {
            return Err(Failure::User(not_set_up("turn off")));
        }
        let reply = Reply::new(Tone::Info, "Daily posts are off").text(format!(
            "Nothing more will be posted. `{SET_EXAMPLE}` turns them back on, and the facts \
             carry on where they stopped."
        ));
        Ok(Answer {
            reply,
            reschedule: Some(QueueChange::Remove { guild_id }),
        })
    }))
}
