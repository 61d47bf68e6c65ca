//! `/leaderboard` and `/stats`: a server's trivia scores, read from the store.

use chrono::NaiveDate;

use super::practice::record_text;
use super::{Args, Body, CommandSpec, Ctx, OptionSpec, Request, UserError, stale_button};
use crate::quiz::UnixMillis;
use crate::reply::{Button, ButtonStyle, Reply, Text, Tone};
use crate::store::{BestStreak, LeaderboardPage, LeaderboardRow, PlayerStats, PracticeRecord};

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
                "all (the default) or week (since Monday 00:00 in the daily posts' time zone, else UTC)",
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
    press: Some(press),
    permissions: None,
    guild_only: true,
    rules: "",
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
    rules: "",
};

/// Which points a leaderboard counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Since the first quiz.
    All,
    /// Since Monday 00:00 in the server's time zone.
    Week,
}

fn leaderboard(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let period = match args.text("period") {
        Some("week") => Period::Week,
        _ => Period::All,
    };
    let page = args
        .integer("page")
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(1)
        .max(1);
    show(ctx, period, page)
}

/// A page button: `leaderboard:PERIOD:PAGE`.
fn press(ctx: &mut Ctx, state: &str) -> Result<Request, UserError> {
    let (period, page) = state.split_once(':').ok_or_else(stale_button)?;
    let period = match period {
        "all" => Period::All,
        "week" => Period::Week,
        _ => return Err(stale_button()),
    };
    let page = page.parse().map_err(|_| stale_button())?;
    show(ctx, period, page)
}

/// Page `page` of the leaderboard of `period`, with the caller's own place.
fn show(ctx: &mut Ctx, period: Period, page: u32) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let caller = ctx.caller.user_id;
    let week = match period {
        Period::All => None,
        // The store counts the week holding this instant.
        Period::Week => Some(UnixMillis::from_datetime(ctx.now)),
    };
    Ok(Request::store(move |store, _| async move {
        let board = store
            .leaderboard(guild_id, week, page, LEADERBOARD_PAGE)
            .await?;
        if page > board.pages && board.players > 0 {
            return Err(past_the_end(&board, period).into());
        }
        let own = store.standing(guild_id, week, caller).await?;
        Ok(leaderboard_reply(&board, period, own.as_ref()).into())
    }))
}

fn stats(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let guild_id = ctx.guild_id()?;
    let user_id = args.user("user").unwrap_or(ctx.caller.user_id);
    // A practice record is private: it shows in one's own stats only.
    let own = user_id == ctx.caller.user_id;
    Ok(Request::store(move |store, _| async move {
        let stats = store.stats(guild_id, user_id).await?;
        let practice = if own {
            store.practice_record(user_id).await?
        } else {
            None
        };
        Ok(stats_reply(stats.as_ref(), user_id, practice.as_ref()).into())
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

/// How a period is written in a page button's `custom_id`.
fn period_id(period: Period) -> &'static str {
    match period {
        Period::All => "all",
        Period::Week => "week",
    }
}

/// A leaderboard page as a reply, with `own`, the line of the one who asked, under it
/// when they are not on the page.
pub fn leaderboard_reply(
    board: &LeaderboardPage,
    period: Period,
    own: Option<&LeaderboardRow>,
) -> Reply {
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
        lines = lines.append(line(row));
    }
    let off_the_page = own.filter(|own| board.rows.iter().all(|r| r.user_id != own.user_id));
    if let Some(own) = off_the_page {
        lines = lines.plain("\n\nYou: ").append(line(own));
    }
    let more = if board.page < board.pages {
        format!(" · {} page:{} for more", command(period), board.page + 1)
    } else {
        String::new()
    };
    let mut reply = Reply::new(Tone::Quiz, title).text(lines).footer(&format!(
        "Page {} of {} · {} player{}{more}",
        board.page,
        board.pages,
        board.players,
        if board.players == 1 { "" } else { "s" },
    ));
    if board.pages > 1 {
        let id = |page: u32| format!("leaderboard:{}:{page}", period_id(period));
        reply = reply.buttons(vec![
            Button::new("◀ Previous", id(board.page - 1), ButtonStyle::Secondary)
                .disabled(board.page == 1),
            Button::new("Next ▶", id(board.page + 1), ButtonStyle::Primary)
                .disabled(board.page == board.pages),
        ]);
    }
    reply
}

/// The weekly recap of the week that began on Monday `week_of` (the server's local
/// date): its podium and top ten from `board` (the week's first page), the best
/// streak, and how many played.
pub fn recap_reply(
    board: &LeaderboardPage,
    best: Option<&BestStreak>,
    week_of: NaiveDate,
) -> Reply {
    let mut lines = Text::new();
    for (i, row) in board.rows.iter().enumerate() {
        if i > 0 {
            lines = lines.plain("\n");
        }
        lines = lines.append(line(row));
    }
    let mut reply = Reply::new(
        Tone::Quiz,
        &format!("Weekly recap · week of {}", week_of.format("%-d %B %Y")),
    )
    .text(lines)
    .field(
        "Played",
        format!(
            "{} player{}",
            board.players,
            if board.players == 1 { "" } else { "s" }
        ),
        true,
    );
    if let Some(best) = best {
        reply = reply.field(
            "Best streak",
            Text::from("**")
                .append(player_name(&best.name, best.user_id))
                .plain(&format!("** · {} right in a row", best.streak)),
            true,
        );
    }
    reply.footer("A new week has begun: /leaderboard period:week · /quiz start to play")
}

/// One player's line: their place (a medal for the top 3 with points), name, points.
fn line(row: &LeaderboardRow) -> Text {
    // Medals are for points: a player with none gets a number, even in the top 3.
    let medal = MEDALS.get(row.rank as usize - 1).filter(|_| row.points > 0);
    let place = medal.map_or_else(|| format!("{}.", row.rank), |m| m.to_string());
    Text::from(format!("{place} **").as_str())
        .append(player_name(&row.name, row.user_id))
        .plain(&format!(
            "** · {} points · {}/{} right",
            row.points, row.correct, row.answers
        ))
}

/// A player's stats as a reply; `stats` is `None` when they never answered here. Their
/// `practice` record, when given, is shown under them.
pub fn stats_reply(
    stats: Option<&PlayerStats>,
    user_id: u64,
    practice: Option<&PracticeRecord>,
) -> Reply {
    let reply = server_stats(stats, user_id);
    match practice {
        Some(record) => reply.field("Practice (anywhere)", record_text(record), false),
        None => reply,
    }
}

/// A player's record in this server.
fn server_stats(stats: Option<&PlayerStats>, user_id: u64) -> Reply {
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
