//! `/whosaid`: one quick question, who said this quote. In a server with the bot it is
//! a timed game in the channel, scored on the server's leaderboard. Where the bot
//! cannot post on its own (a DM, a group DM, a server where only the user installed
//! the app) it is the interaction's answer alone: the question with its buttons, and
//! a click reveals it. That round rides in its buttons (the seed that drew it) and is
//! scored nowhere.

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{Body, CommandSpec, Ctx, Request, UserError, stale_button};
use crate::quiz::{Filter, GameRequest, Kind, Question, QuestionBank, letter, listed_options};
use crate::reply::{Button, ButtonStyle, Reply, Tone};

/// `/whosaid`.
pub const WHOSAID: CommandSpec = CommandSpec {
    name: "whosaid",
    description: "One quick question: who said this quote? In a server, anyone may answer within 20 seconds",
    body: Body::Options(&[], start),
    press: Some(press),
    permissions: None,
    guild_only: false,
    rules: RULES,
};

/// `/whosaid`'s limits, so that nobody farms points with it alone.
const RULES: &str = "One `/whosaid` at a time per channel, and the next one 30 seconds \
    after the last ended. Each player's first 20 answers a day (UTC) score points; past \
    that, answers still count in `/stats`, not in points. Outside a server with the bot \
    (a DM, a group DM), the first click reveals the answer and nothing is scored.";

/// The questions of `/whosaid`.
const WHO_SAID_IT: Filter = Filter {
    kind: Some(Kind::WhoSaidIt),
    difficulty: None,
};

fn start(ctx: &mut Ctx, _: &super::Args) -> Result<Request, UserError> {
    if ctx.caller.guild_id.is_some() && ctx.caller.bot_installed {
        return Ok(Request::Game(GameRequest::WhoSaid));
    }
    let seed = ctx.rng.next_u64() >> 8;
    let question = drawn(ctx.bank, seed).ok_or_else(|| {
        UserError::new("There are no who-said-it questions in this dataset.".to_string())
    })?;
    Ok(Request::Reply(asking(seed, &question)))
}

/// The question drawn by `seed`.
fn drawn(bank: &QuestionBank, seed: u64) -> Option<Question> {
    let mut rng = StdRng::seed_from_u64(seed);
    bank.pick(&WHO_SAID_IT, &[], &mut rng)
        .map(|(_, question)| question)
}

/// The question of the round `seed`, a button for each option (`whosaid:SEED:OPTION`).
fn asking(seed: u64, question: &Question) -> Reply {
    let text = format!("{}\n\n{}", question.asked(), listed_options(question));
    let buttons = (0..question.options.len())
        .map(|i| {
            Button::new(
                &letter(i).to_string(),
                format!("whosaid:{seed:x}:{i}"),
                ButtonStyle::Primary,
            )
        })
        .collect();
    Reply::new(Tone::Quiz, "Who said it?")
        .text(text.as_str())
        .footer("The first click reveals the answer · not scored outside a server with the bot")
        .buttons(buttons)
}

/// A click on an answer of a round outside a server: the reveal.
fn press(ctx: &mut Ctx, state: &str) -> Result<Request, UserError> {
    let (seed, option) = state.split_once(':').ok_or_else(stale_button)?;
    let seed = u64::from_str_radix(seed, 16).map_err(|_| stale_button())?;
    let option: usize = option.parse().map_err(|_| stale_button())?;
    let question = drawn(ctx.bank, seed).ok_or_else(stale_button)?;
    let chosen = question.options.get(option).ok_or_else(stale_button)?;
    let answer = &question.options[question.answer];
    let who = &ctx.caller.user_name;
    let verdict = if option == question.answer {
        format!("✅ {who} got it: **{}** · {answer}.", letter(option))
    } else {
        format!(
            "❌ It was **{}** · {answer} ({who} chose **{}** · {chosen}).",
            letter(question.answer),
            letter(option)
        )
    };
    let text = format!(
        "{}\n\n{verdict}\n{}",
        question.asked(),
        question.explanation
    );
    Ok(Request::Reply(
        Reply::new(Tone::Quiz, "Who said it?")
            .text(text.as_str())
            .footer("Not scored outside a server with the bot · /whosaid for another"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caller::Caller;
    use crate::data::Dataset;
    use crate::permissions::Permissions;
    use crate::quiz::{WHOSAID_COOLDOWN_MS, WHOSAID_SCORED_A_DAY};

    fn in_a_dm() -> Caller {
        Caller {
            user_id: 7,
            user_name: "carol".to_string(),
            is_bot: false,
            guild_id: None,
            channel_id: 70,
            permissions: Permissions::empty(),
            bot_permissions: Permissions::empty(),
            in_thread: false,
            bot_installed: false,
        }
    }

    /// Every option of a round drawn outside a server reveals the same answer, and says
    /// whether the click was right.
    #[test]
    fn a_round_outside_a_server_is_revealed_by_its_buttons() {
        let data = Dataset::shipped().unwrap();
        let bank = QuestionBank::new(&data);
        let caller = in_a_dm();
        let mut rng = StdRng::seed_from_u64(3);
        let mut ctx = Ctx {
            data: &data,
            bank: &bank,
            caller: &caller,
            now: chrono::Utc::now(),
            rng: &mut rng,
        };
        let Ok(Request::Reply(asked)) = start(&mut ctx, &super::super::Args::default()) else {
            panic!("a question");
        };
        let ids: Vec<String> = asked
            .rows
            .iter()
            .flatten()
            .map(|b| b.custom_id.clone())
            .collect();
        assert!(ids.len() >= 2, "{ids:?}");
        let mut right = 0;
        for id in &ids {
            let state = id.strip_prefix("whosaid:").unwrap();
            let Ok(Request::Reply(revealed)) = press(&mut ctx, state) else {
                panic!("a reveal");
            };
            assert!(revealed.rows.is_empty(), "no buttons left");
            let text = revealed.text.to_string();
            right += usize::from(text.contains("✅ carol got it"));
            assert!(text.contains("carol"), "{text}");
        }
        assert_eq!(right, 1, "exactly one option is right");
        assert!(press(&mut ctx, "zz:0").is_err());
        assert!(press(&mut ctx, "1:99").is_err());
    }

    #[test]
    fn the_rules_say_the_numbers_the_game_keeps() {
        let cooldown = format!("{} seconds", WHOSAID_COOLDOWN_MS / 1000);
        let scored = format!("first {} answers a day", WHOSAID_SCORED_A_DAY);
        assert!(RULES.contains(&cooldown), "{RULES}");
        assert!(RULES.contains(&scored), "{RULES}");
    }
}
