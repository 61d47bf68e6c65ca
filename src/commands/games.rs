//! `/quiz`, `/whosaid`, `/leaderboard` and `/stats`: commands answered by the game
//! ([`crate::quiz::Games`]) and the score store rather than by the dataset alone.
//!
//! The caller checks the options with the command table as for any command, turns
//! them into a [`GameRequest`] with [`game_request`], hands that to the game, and
//! answers score queries the game passes back with [`answer_scores`].

use strum::VariantNames;

use super::{Args, CommandSpec, Invocation, OptionSpec, Run, SubcommandSpec, UserError, find};
use crate::quiz::{
    Difficulty, Filter, GameRequest, Kind, Period, QuizSettings, ScoreQuery, ScoreRequest,
};
use crate::reply::{Reply, Tone};
use crate::store::Store;

/// Players on a leaderboard page.
pub const LEADERBOARD_PAGE: u32 = 10;

const QUESTIONS: (i64, i64) = crate::quiz::QUESTIONS_RANGE;
const SECONDS: (i64, i64) = crate::quiz::SECONDS_RANGE;

/// `/quiz start|stop|skip`.
pub const QUIZ: CommandSpec = CommandSpec {
    name: "quiz",
    description: "A group trivia game in this channel: start one, stop it, or skip a question",
    options: &[],
    subcommands: &[
        SubcommandSpec {
            name: "start",
            description: "Start a quiz in this channel; everyone here can play",
            options: &[
                OptionSpec::integer(
                    "questions",
                    "How many questions: 5 to 20 (10 if left out)",
                    "10",
                    QUESTIONS.0,
                    QUESTIONS.1,
                ),
                OptionSpec::integer(
                    "seconds",
                    "Seconds to answer each question: 10 to 60 (20 if left out)",
                    "20",
                    SECONDS.0,
                    SECONDS.1,
                ),
                OptionSpec::text(
                    "kind",
                    "Only questions of this kind (all kinds if left out)",
                    "who-said-it",
                )
                .choices(Kind::VARIANTS),
                OptionSpec::text(
                    "difficulty",
                    "Only questions this hard (all if left out)",
                    "easy",
                )
                .choices(Difficulty::VARIANTS),
            ],
        },
        SubcommandSpec {
            name: "stop",
            description: "Stop the quiz now (who started it, or members who manage messages)",
            options: &[],
        },
        SubcommandSpec {
            name: "skip",
            description: "Close the current question now and move on (who started the quiz)",
            options: &[],
        },
    ],
    run: Run::Game,
    press: None,
    permissions: None,
    guild_only: true,
};

/// `/whosaid`.
pub const WHOSAID: CommandSpec = CommandSpec {
    name: "whosaid",
    description: "One quick question: who said this quote? Anyone may answer within 20 seconds",
    options: &[],
    subcommands: &[],
    run: Run::Game,
    press: None,
    permissions: None,
    guild_only: true,
};

/// `/leaderboard [period] [page]`.
pub const LEADERBOARD: CommandSpec = CommandSpec {
    name: "leaderboard",
    description: "This server's best trivia players, of all time or this week",
    options: &[
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
    subcommands: &[],
    run: Run::Game,
    press: None,
    permissions: None,
    guild_only: true,
};

/// `/stats [user]`.
pub const STATS: CommandSpec = CommandSpec {
    name: "stats",
    description: "A player's trivia record here: games, answers, accuracy, best streak, points",
    options: &[OptionSpec::user(
        "user",
        "Whose record (yours if left out)",
        "@alice",
    )],
    subcommands: &[],
    run: Run::Game,
    press: None,
    permissions: None,
    guild_only: true,
};

fn small(args: &Args, name: &str, default: u8) -> u8 {
    args.integer(name)
        .and_then(|n| u8::try_from(n).ok())
        .unwrap_or(default)
}

/// The game request of a command answered by [`Run::Game`], its options checked
/// against the command table first.
pub fn game_request(invocation: &Invocation) -> Result<GameRequest, UserError> {
    let spec =
        find(&invocation.command).ok_or_else(|| super::unknown_command(&invocation.command))?;
    let args = Args::parse(spec, invocation)?;
    let not_a_game = || {
        UserError(format!(
            "`/{}` is not a game command. Type `/help` to see them all.",
            spec.name
        ))
    };
    Ok(match (spec.name, args.subcommand()) {
        ("quiz", Some("start")) => {
            let defaults = QuizSettings::default();
            let kind = args
                .text("kind")
                .map(str::parse::<Kind>)
                .transpose()
                .map_err(|e| UserError(e.0))?;
            let difficulty = args
                .text("difficulty")
                .map(str::parse::<Difficulty>)
                .transpose()
                .map_err(|e| UserError(e.0))?;
            GameRequest::Start(QuizSettings {
                questions: small(&args, "questions", defaults.questions),
                seconds: small(&args, "seconds", defaults.seconds),
                filter: Filter { kind, difficulty },
            })
        }
        ("quiz", Some("stop")) => GameRequest::Stop,
        ("quiz", Some("skip")) => GameRequest::Skip,
        ("whosaid", _) => GameRequest::WhoSaid,
        ("leaderboard", _) => GameRequest::Leaderboard {
            period: if args.text("period") == Some("week") {
                Period::Week
            } else {
                Period::All
            },
            page: args
                .integer("page")
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(1),
        },
        ("stats", _) => GameRequest::Stats {
            user: args.user("user"),
        },
        _ => return Err(not_a_game()),
    })
}

/// The reply to a score command, from the store. A database failure is logged and
/// the user gets a short apology, never the error's text.
pub async fn answer_scores(store: &Store, query: &ScoreQuery) -> Reply {
    let outcome = match query.request {
        ScoreRequest::Leaderboard {
            period,
            since,
            page,
        } => store
            .leaderboard(query.guild_id, since, page, LEADERBOARD_PAGE)
            .await
            .map(|board| leaderboard_reply(&board, period)),
        ScoreRequest::Stats { user_id } => store
            .stats(query.guild_id, user_id)
            .await
            .map(|stats| stats_reply(stats.as_ref(), user_id)),
    };
    outcome.unwrap_or_else(|error| {
        tracing::error!(%error, ?query, "cannot read scores");
        Reply::error("The scores can't be read right now. Try again in a minute.")
    })
}

const MEDALS: [&str; 3] = ["🥇", "🥈", "🥉"];

/// A leaderboard page as a reply.
pub fn leaderboard_reply(board: &crate::store::LeaderboardPage, period: Period) -> Reply {
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
    let lines: Vec<String> = board
        .rows
        .iter()
        .map(|row| {
            let place = MEDALS
                .get(row.rank as usize - 1)
                .map_or_else(|| format!("{}.", row.rank), |m| m.to_string());
            let name = if row.name.is_empty() {
                format!("<@{}>", row.user_id)
            } else {
                row.name.clone()
            };
            format!(
                "{place} **{name}** · {} points · {}/{} right",
                row.points, row.correct, row.answers
            )
        })
        .collect();
    Reply::new(Tone::Quiz, title)
        .text(&lines.join("\n"))
        .footer(&format!(
            "Page {} of {} · {} player{}{}",
            board.page,
            board.pages,
            board.players,
            if board.players == 1 { "" } else { "s" },
            if board.pages > 1 {
                " · /leaderboard page:2 for more"
            } else {
                ""
            }
        ))
}

/// A player's stats as a reply; `stats` is `None` when they never answered here.
pub fn stats_reply(stats: Option<&crate::store::PlayerStats>, user_id: u64) -> Reply {
    let Some(stats) = stats else {
        return Reply::new(Tone::Quiz, "Trivia stats").text(&format!(
            "<@{user_id}> has not answered a question in this server yet. `/quiz start` or \
             `/whosaid` to play."
        ));
    };
    let name = if stats.name.is_empty() {
        format!("<@{}>", stats.user_id)
    } else {
        stats.name.clone()
    };
    let accuracy = stats.correct * 100 / stats.answers.max(1);
    Reply::new(Tone::Quiz, &format!("{name} · trivia stats"))
        .field("Points", &stats.points.to_string(), true)
        .field("Rank", &format!("#{}", stats.rank), true)
        .field("Games", &stats.games.to_string(), true)
        .field("Answers", &stats.answers.to_string(), true)
        .field(
            "Accuracy",
            &format!("{accuracy}% ({} of {})", stats.correct, stats.answers),
            true,
        )
        .field("Best streak", &stats.best_streak.to_string(), true)
}
