//! `/leaderboard` and `/stats`: a server's trivia scores, read from the store.

use chrono::{DateTime, Datelike, Days, Utc};

use super::{Args, Body, CommandSpec, Ctx, OptionSpec, Request, UserError};
use crate::quiz::UnixMillis;
use crate::reply::{Reply, Text, Tone};
use crate::store::{LeaderboardPage, PlayerStats};

/// Players on a leaderboard page.
pub const LEADERBOARD_PAGE: u32 = 10;

/// `/leaderboard [period] [page]`.
pub const LEADERBOARD: CommandSpec = CommandSpec {
    name: "leaderboard",
    description: "This server's best trivia players, of all time or this week",
    body: Body::Options(
        &[
            OptionSpec::text(
                "period",
                "all (the default) or week (since Monday, UTC)",
                "week",
            )
            .choices(&["all", "week"]),
            OptionSpec::integer(
                "page",
                "Page of the leaderboard, 10 players each",
                "2",
                1,
                999,
            ),
        ],
        leaderboard,
    ),
    press: None,
    permissions: None,
    guild_only: true,
};

/// `/stats [user]`.
pub const STATS: CommandSpec = CommandSpec {
    name: "stats",
    description: "A player's trivia record here: games, answers, accuracy, best streak, points",
    body: Body::Options(
        &[OptionSpec::user(
            "user",
            "Whose record (yours if left out)",
            "@alice",
        )],
        stats,
    ),
    press: None,
    permissions: None,
    guild_only: true,
};

/// Which points a leaderboard counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Since the first quiz.
    All,
    /// Since Monday 00:00 UTC.
    Week,
}

/// Monday 00:00 UTC of the week of `now`: where "this week" starts.
pub fn week_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let date = now.date_naive();
    let monday = date
        .checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        .unwrap_or(date);
    monday.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn leaderboard(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let period = match args.text("period") {
        Some("week") => Period::Week,
        _ => Period::All,
    };
    let week = match period {
        Period::All => None,
        Period::Week => Some(UnixMillis::from_datetime(week_start(ctx.now))),
    };
    let page = args
        .integer("page")
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(1)
        .max(1);
    Ok(Request::store(move |store, _| async move {
        let board = store
            .leaderboard(guild_id, week, page, LEADERBOARD_PAGE)
            .await?;
        if page > board.pages && board.players > 0 {
            return Err(past_the_end(&board, period).into());
        }
        Ok(leaderboard_reply(&board, period).into())
    }))
}

fn stats(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let user_id = args.user("user").unwrap_or(ctx.caller.user_id);
    Ok(Request::store(move |store, _| async move {
        let stats = store.stats(guild_id, user_id).await?;
        Ok(stats_reply(stats.as_ref(), user_id).into())
    }))
}

const MEDALS: [&str; 3] = ["🥇", "🥈", "🥉"];

/// How `/leaderboard` is typed for `period`, before a page: `/leaderboard period:week`.
fn command(period: Period) -> &'static str {
    match period {
        Period::All => "/leaderboard",
        Period::Week => "/leaderboard period:week",
    }
}

/// The answer to a page past the last one.
fn past_the_end(board: &LeaderboardPage, period: Period) -> UserError {
    let which = match period {
        Period::All => "The leaderboard",
        Period::Week => "This week's leaderboard",
    };
    UserError::new(format!(
        "{which} has {pages} page{plural} ({players} player{players_plural}): try `{} page:{pages}`.",
        command(period),
        pages = board.pages,
        plural = if board.pages == 1 { "" } else { "s" },
        players = board.players,
        players_plural = if board.players == 1 { "" } else { "s" },
    ))
}

/// A player's name as stored, shown as written, or a mention when none was stored.
fn player_name(name: &str, user_id: u64) -> Text {
    let named = Text::new().name(name);
    if named.is_empty() {
        Text::new().user(user_id)
    } else {
        named
    }
}

/// A leaderboard page as a reply.
pub fn leaderboard_reply(board: &LeaderboardPage, period: Period) -> Reply {
    let title = match period {
        Period::All => "Leaderboard · all time",
        Period::Week => "Leaderboard · this week",
    };
    if board.rows.is_empty() {
        return Reply::new(Tone::Quiz, title).text(match period {
            Period::All => "Nobody has answered a question here yet. Start with `/quiz start` or `/whosaid`.",
            Period::Week => "Nobody has answered a question here this week. Start with `/quiz start` or `/whosaid`.",
        });
    }
    let mut lines = Text::new();
    for (i, row) in board.rows.iter().enumerate() {
        if i > 0 {
            lines = lines.plain("\n");
        }
        // Medals are for points: a player with none gets a number, even in the top 3.
        let medal = MEDALS.get(row.rank as usize - 1).filter(|_| row.points > 0);
        let place = medal.map_or_else(|| format!("{}.", row.rank), |m| m.to_string());
        lines = lines
            .plain(&format!("{place} **"))
            .append(player_name(&row.name, row.user_id))
            .plain(&format!(
                "** · {} points · {}/{} right",
                row.points, row.correct, row.answers
            ));
    }
    let more = if board.page < board.pages {
        format!(" · {} page:{} for more", command(period), board.page + 1)
    } else {
        String::new()
    };
    Reply::new(Tone::Quiz, title).text(lines).footer(&format!(
        "Page {} of {} · {} player{}{more}",
        board.page,
        board.pages,
        board.players,
        if board.players == 1 { "" } else { "s" },
    ))
}

/// A player's stats as a reply; `stats` is `None` when they never answered here.
pub fn stats_reply(stats: Option<&PlayerStats>, user_id: u64) -> Reply {
    let Some(stats) = stats else {
        return Reply::new(Tone::Quiz, "Trivia stats").text(
            Text::from("No answers from ")
                .user(user_id)
                .plain(" in this server yet. `/quiz start` or `/whosaid` to play."),
        );
    };
    // A title shows neither a mention nor a name exactly as written (it reads
    // Markdown): the player is named below it.
    let reply = Reply::new(Tone::Quiz, "Trivia stats").text(
        Text::from("**")
            .append(player_name(&stats.name, stats.user_id))
            .plain("** in this server"),
    );
    let accuracy = stats.correct * 100 / stats.answers.max(1);
    reply
        .field("Points", stats.points.to_string(), true)
        .field("Rank", format!("#{}", stats.rank), true)
        .field("Games", stats.games.to_string(), true)
        .field("Answers", stats.answers.to_string(), true)
        .field(
            "Accuracy",
            format!("{accuracy}% ({} of {})", stats.correct, stats.answers),
            true,
        )
        .field("Best streak", stats.best_streak.to_string(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_utc() {
        let friday = DateTime::parse_from_rfc3339("2025-02-14T15:00:00Z")
            .unwrap()
            .to_utc();
        let monday = DateTime::parse_from_rfc3339("2025-02-10T00:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(week_start(friday), monday);
        assert_eq!(week_start(monday), monday);
    }
}
