//! `/leaderboard-reset period`: a server's managers start its trivia scores over, this
//! week's or all of them, after confirming with a button that expires.
//!
//! It is a command of its own, not a subcommand of `/leaderboard`: Discord lets a
//! command have options or subcommands, not both, and gates whole commands by
//! permission, so members never see it.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Args, Body, CommandSpec, Ctx, OptionSpec, Request, UserError, stale_button};
use crate::permissions::Permissions;
use crate::quiz::UnixMillis;
use crate::reply::{Button, ButtonStyle, Reply, Text, TimeStyle, Tone};

/// How long the confirm button works.
const CONFIRM_FOR: TimeDelta = TimeDelta::seconds(60);

/// `/leaderboard-reset period`.
pub const LEADERBOARD_RESET: CommandSpec = CommandSpec {
    name: "leaderboard-reset",
    description: "Start this server's trivia scores over: this week's, or all of them",
    body: Body::Options(
        &[OptionSpec::text(
            "period",
            "week (this week's points only) or all (every score, for good)",
            "week",
        )
        .required()
        .choices(&["week", "all"])],
        reset,
    ),
    press: Some(press),
    permissions: Some(Permissions::MANAGE_GUILD),
    guild_only: true,
    rules: "Only you see the question, and nothing is erased until you click **Reset** \
            within a minute. `period:week` clears this week's leaderboard and keeps all-time \
            points; `period:all` erases every answer and point in this server. Roles and \
            players' records elsewhere are not touched.",
};

/// What is reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Period {
    Week,
    All,
}

impl Period {
    fn parse(text: &str) -> Option<Period> {
        match text {
            "week" => Some(Period::Week),
            "all" => Some(Period::All),
            _ => None,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::All => "all",
        }
    }

    /// What it erases, for the question and the answer.
    fn scores(self) -> &'static str {
        match self {
            Period::Week => "this week's points",
            Period::All => "every answer and point of all time",
        }
    }

    /// What the question says when there is nothing to erase.
    fn empty(self) -> &'static str {
        match self {
            Period::Week => "Nobody has scored this week yet, so there is nothing to reset.",
            Period::All => "Nobody has scored in this server yet, so there is nothing to reset.",
        }
    }

    /// The week the store resets, or `None` for all time.
    fn week(self, now: DateTime<Utc>) -> Option<UnixMillis> {
        match self {
            Period::Week => Some(UnixMillis::from_datetime(now)),
            Period::All => None,
        }
    }
}

fn reset(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let period = args.text("period").and_then(Period::parse).ok_or_else(|| {
        UserError::new("Say what to reset: `/leaderboard-reset period:week` or `period:all`.")
    })?;
    let now = ctx.now;
    let expires = now + CONFIRM_FOR;
    Ok(Request::store(move |store, _| async move {
        let board = store.leaderboard(guild_id, period.week(now), 1, 1).await?;
        if board.players == 0 {
            let mut reply = Reply::new(Tone::Quiz, "Nothing to reset").text(period.empty());
            reply.ephemeral = true;
            return Ok(reply.into());
        }
        let mut reply = Reply::new(Tone::Quiz, "Reset the leaderboard?");
        reply.ephemeral = true;
        let confirm = format!("leaderboard-reset:{}:{}", period.id(), expires.timestamp());
        let reply = reply
            .text(
                Text::from(&format!(
                    "This erases {} in this server, for {} player{}. It cannot be undone. \
                     The button stops working ",
                    period.scores(),
                    board.players,
                    if board.players == 1 { "" } else { "s" },
                ))
                .time(expires, TimeStyle::Relative)
                .plain("."),
            )
            .buttons(vec![
                Button::new("Reset", confirm, ButtonStyle::Danger),
                Button::new(
                    "Cancel",
                    "leaderboard-reset:cancel".to_string(),
                    ButtonStyle::Secondary,
                ),
            ]);
        Ok(reply.into())
    }))
}

/// `leaderboard-reset:PERIOD:EXPIRES` (Unix seconds) or `leaderboard-reset:cancel`.
fn press(ctx: &mut Ctx, state: &str) -> Result<Request, UserError> {
    let done = |text: &str| {
        let mut reply = Reply::new(Tone::Info, "Leaderboard").text(text);
        reply.ephemeral = true;
        Ok(Request::Reply(reply))
    };
    if state == "cancel" {
        return done("Nothing was reset.");
    }
    let (period, expires) = state.split_once(':').ok_or_else(stale_button)?;
    let period = Period::parse(period).ok_or_else(stale_button)?;
    let expires: i64 = expires.parse().map_err(|_| stale_button())?;
    let guild_id = ctx.guild_id()?;
    if !ctx.caller.permissions.allow(Permissions::MANAGE_GUILD) {
        return Err(UserError::new(
            "Only members with Manage Server can reset the leaderboard.",
        ));
    }
    if ctx.now.timestamp() > expires {
        return done(
            "This question has expired, and nothing was reset. Run `/leaderboard-reset` again.",
        );
    }
    let week = period.week(ctx.now);
    let who = ctx.caller.user_id;
    Ok(Request::store(move |store, _| async move {
        let players = store.reset_scores(guild_id, week).await?;
        tracing::info!(
            guild_id,
            by = who,
            period = period.id(),
            "leaderboard reset"
        );
        let mut reply = Reply::new(Tone::Info, "Leaderboard reset").text(format!(
            "Done: {} of {} player{} erased. `/leaderboard` starts over from the next answer.",
            period.scores(),
            players,
            if players == 1 { "" } else { "s" },
        ));
        reply.ephemeral = true;
        Ok(reply.into())
    }))
}
