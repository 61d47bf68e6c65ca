//! `/quiz start|stop|skip`: trivia games in a channel, and the clicks on their answer
//! buttons and on a host's control panel. The game ([`crate::quiz::Games`]) answers
//! them.

use strum::VariantNames;

use super::{Args, Body, CommandSpec, Ctx, OptionSpec, Request, SubcommandSpec, UserError};
use crate::quiz::{
    BUTTON_PREFIX, ButtonId, Difficulty, Filter, GameRequest, Kind, Pace, PanelButton,
    QUESTIONS_RANGE, QuizSettings, SECONDS_RANGE,
};

/// `/quiz start|stop|skip`; its buttons are the answers of quiz and `/whosaid`
/// questions.
pub const QUIZ: CommandSpec = CommandSpec {
    // The game's buttons start with this name, so that their clicks come back here.
    name: BUTTON_PREFIX,
    description: "A group trivia game in this channel: start one, stop it, or skip a question",
    body: Body::Subcommands(&[
        SubcommandSpec {
            name: "start",
            description: "Start a quiz in this channel; everyone here can play",
            options: &[
                OptionSpec::integer(
                    "questions",
                    "How many questions: 5 to 20 (10 if left out)",
                    "10",
                    QUESTIONS_RANGE.0,
                    QUESTIONS_RANGE.1,
                ),
                OptionSpec::integer(
                    "seconds",
                    "Seconds to answer each question: 10 to 60 (20 if left out)",
                    "20",
                    SECONDS_RANGE.0,
                    SECONDS_RANGE.1,
                ),
                KIND,
                DIFFICULTY,
                OptionSpec::text(
                    "pace",
                    "auto: questions follow by themselves; host: you move them on from a private panel",
                    "host",
                )
                .choices(Pace::VARIANTS),
            ],
            handler: start,
        },
        SubcommandSpec {
            name: "stop",
            description: "Stop the quiz now (who started it, or members who manage messages)",
            options: &[],
            handler: |_, _| Ok(Request::Game(GameRequest::Stop)),
        },
        SubcommandSpec {
            name: "skip",
            description: "Close the current question now and move on (who started the quiz)",
            options: &[],
            handler: |_, _| Ok(Request::Game(GameRequest::Skip)),
        },
    ]),
    press: Some(answer),
    permissions: None,
    guild_only: true,
    rules: RULES,
};

/// How a host-paced quiz runs.
const RULES: &str = "`pace:host` makes a trivia night: the questions are posted in the \
    channel as usual, and you get a panel only you see. **Reveal now** closes the open \
    question early; **Next question** asks the next one (on an open question, it reveals \
    it first and the next follows 5 seconds later); **End** ends the quiz with its \
    standings. A question still closes at its deadline if you press nothing, and the quiz \
    ends by itself after 10 minutes without a press. Points count on the leaderboard as \
    in any quiz.";

/// The `kind` option of games: which kind of questions.
pub(super) const KIND: OptionSpec = OptionSpec::text(
    "kind",
    "Only questions of this kind (all kinds if left out)",
    "who-said-it",
)
.choices(Kind::VARIANTS);

/// The `difficulty` option of games.
pub(super) const DIFFICULTY: OptionSpec = OptionSpec::text(
    "difficulty",
    "Only questions this hard (all if left out)",
    "easy",
)
.choices(Difficulty::VARIANTS);

/// The questions the `kind` and `difficulty` options ask for.
pub(super) fn filter(args: &Args) -> Result<Filter, UserError> {
    let kind = args
        .text("kind")
        .map(str::parse::<Kind>)
        .transpose()
        .map_err(|e| UserError::new(e.0))?;
    let difficulty = args
        .text("difficulty")
        .map(str::parse::<Difficulty>)
        .transpose()
        .map_err(|e| UserError::new(e.0))?;
    Ok(Filter { kind, difficulty })
}

pub(super) fn small(args: &Args, name: &str, default: u8) -> u8 {
    args.integer(name)
        .and_then(|n| u8::try_from(n).ok())
        .unwrap_or(default)
}

fn start(_: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let defaults = QuizSettings::default();
    Ok(Request::Game(GameRequest::Start(QuizSettings {
        questions: small(args, "questions", defaults.questions),
        seconds: small(args, "seconds", defaults.seconds),
        filter: filter(args)?,
        pace: args
            .text("pace")
            .map(str::parse)
            .transpose()
            .map_err(|_| UserError::new("`pace` can be `auto` or `host`, e.g. pace:host"))?
            .unwrap_or_default(),
    })))
}

/// A click on an answer button (`quiz:<quiz>:<question>:<option>`) or on a host's
/// panel (`quiz:<quiz>:<reveal|next|end>`).
fn answer(_: &mut Ctx, state: &str) -> Result<Request, UserError> {
    if let Some(button) = ButtonId::parse(state) {
        return Ok(Request::Game(GameRequest::Answer(button)));
    }
    let button = PanelButton::parse(state).ok_or_else(|| UserError::new(crate::quiz::NOT_OURS))?;
    Ok(Request::Game(GameRequest::Panel(button)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::{HOST_GONE_MS, REVEAL_PAUSE_MS};

    #[test]
    fn the_rules_say_the_numbers_the_game_keeps() {
        let pause = format!("{} seconds later", REVEAL_PAUSE_MS / 1000);
        let gone = format!("{} minutes without a press", HOST_GONE_MS / 60_000);
        assert!(RULES.contains(&pause), "{RULES}");
        assert!(RULES.contains(&gone), "{RULES}");
    }
}
