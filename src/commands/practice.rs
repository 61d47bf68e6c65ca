//! `/practice`: a quiz for one person, private, anywhere. It is one message, and each
//! click turns it into the next question, with a summary at the end. The game rides in
//! the buttons (the seed that draws its questions, where it stands, the score), so it
//! survives a restart and never touches a leaderboard; only the finished run is saved,
//! for the player's own practice record.

use std::str::FromStr;

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::quiz::{DIFFICULTY, KIND, filter, small};
use super::{Args, Body, CommandSpec, Ctx, OptionSpec, Request, UserError, stale_button};
use crate::quiz::UnixMillis;
use crate::quiz::{Filter, Question, QuestionBank, letter, listed_options};
use crate::reply::{Button, ButtonStyle, Reply, Tone};
use crate::store::{PracticeRecord, PracticeRun};

/// The most questions a practice asks.
const QUESTIONS_MAX: u8 = 20;
/// Questions when `questions` is left out.
const QUESTIONS_DEFAULT: u8 = 10;

/// `/practice [questions] [kind] [difficulty]`.
pub const PRACTICE: CommandSpec = CommandSpec {
    name: "practice",
    description: "A private quiz just for you, anywhere, at your pace; it never counts on a leaderboard",
    body: Body::Options(
        &[
            OptionSpec::integer(
                "questions",
                "How many questions: 1 to 20 (10 if left out)",
                "5",
                1,
                QUESTIONS_MAX as i64,
            ),
            KIND,
            DIFFICULTY,
        ],
        start,
    ),
    press: Some(press),
    permissions: None,
    guild_only: false,
    rules: "",
};

/// A filter's part as a button writes it: empty for any, else a name that must parse.
fn any_or<T: FromStr>(written: &str) -> Option<Option<T>> {
    if written.is_empty() {
        Some(None)
    } else {
        written.parse().ok().map(Some)
    }
}

/// A practice game, as its buttons carry it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    /// Draws its questions, in order.
    seed: u64,
    /// Questions in all.
    total: u8,
    /// The question on screen, from 1.
    number: u8,
    /// Right answers before it.
    right: u8,
    filter: Filter,
}

impl Run {
    /// The `custom_id` of `option` of the current question:
    /// `practice:SEED:TOTAL:NUMBER:RIGHT:KIND:DIFFICULTY:OPTION`, at most 70 characters.
    fn id(&self, option: usize) -> String {
        let kind = self.filter.kind.map_or("", <&str>::from);
        let difficulty = self.filter.difficulty.map_or("", <&str>::from);
        format!(
            "practice:{:x}:{}:{}:{}:{kind}:{difficulty}:{option}",
            self.seed, self.total, self.number, self.right
        )
    }

    /// A button's state (what follows `practice:`) and the option it chose.
    fn parse(state: &str) -> Option<(Run, usize)> {
        let parts: Vec<&str> = state.split(':').collect();
        let [seed, total, number, right, kind, difficulty, option] = parts[..] else {
            return None;
        };
        let run = Run {
            seed: u64::from_str_radix(seed, 16).ok()?,
            total: total.parse().ok()?,
            number: number.parse().ok()?,
            right: right.parse().ok()?,
            filter: Filter {
                kind: any_or(kind)?,
                difficulty: any_or(difficulty)?,
            },
        };
        let valid = (1..=QUESTIONS_MAX).contains(&run.total)
            && (1..=run.total).contains(&run.number)
            && run.right < run.number;
        valid.then_some((run, option.parse().ok()?))
    }

    /// The current question: the draws replayed from the seed, none asked twice.
    fn question(&self, bank: &QuestionBank) -> Option<Question> {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut used = Vec::with_capacity(usize::from(self.number));
        let mut question = None;
        for _ in 0..self.number {
            let (id, drawn) = bank.pick(&self.filter, &used, &mut rng)?;
            used.push(id);
            question = Some(drawn);
        }
        question
    }
}

fn start(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let filter = filter(args)?;
    let asked = small(args, "questions", QUESTIONS_DEFAULT).clamp(1, QUESTIONS_MAX);
    let none = || {
        UserError::new(format!(
            "There are no questions of {}. Try another kind or difficulty.",
            filter.describe()
        ))
    };
    let available = ctx.bank.available(&filter);
    if available == 0 {
        return Err(none());
    }
    let run = Run {
        seed: ctx.rng.next_u64() >> 8,
        total: asked.min(u8::try_from(available).unwrap_or(u8::MAX)),
        number: 1,
        right: 0,
        filter,
    };
    let question = run.question(ctx.bank).ok_or_else(none)?;
    let mut note = String::new();
    if run.total < asked {
        note = format!(
            "There are only {} questions of {}: here they all are.\n\n",
            run.total,
            filter.describe()
        );
    }
    Ok(Request::Reply(asking(&run, &question, &note)))
}

/// A click on an answer: the verdict, then the next question or the summary.
fn press(ctx: &mut Ctx, state: &str) -> Result<Request, UserError> {
    let (run, option) = Run::parse(state).ok_or_else(stale_button)?;
    let question = run.question(ctx.bank).ok_or_else(stale_button)?;
    let Some(chosen) = question.options.get(option) else {
        return Err(stale_button());
    };
    let answer = &question.options[question.answer];
    let right = option == question.answer;
    let mut verdict = if right {
        format!("✅ Right: **{}** · {answer}.", letter(option))
    } else {
        format!(
            "❌ It was **{}** · {answer} (you chose **{}** · {chosen}).",
            letter(question.answer),
            letter(option)
        )
    };
    verdict.push_str(&format!("\n{}\n\n", question.explanation));
    let next = Run {
        number: run.number + 1,
        right: run.right + u8::from(right),
        ..run
    };
    if next.number > run.total {
        let summary = format!(
            "{verdict}You got **{} of {}** right.",
            next.right, run.total
        );
        let finished = PracticeRun {
            user_id: ctx.caller.user_id,
            seed: run.seed,
            questions: run.total,
            correct: next.right,
            finished_at: UnixMillis::from_datetime(ctx.now),
        };
        return Ok(Request::store(move |store, _| async move {
            // The summary shows even when the record cannot be saved.
            let record = match store.finish_practice(finished).await {
                Ok(record) => Some(record),
                Err(error) => {
                    tracing::error!(%error, "cannot save a practice run");
                    None
                }
            };
            let mut reply = Reply::new(Tone::Quiz, "Practice over")
                .text(summary.as_str())
                .footer("Only you see this; it counts on no leaderboard · /practice to go again");
            if let Some(record) = record {
                reply = reply.field("Your practice record", record_text(&record), false);
            }
            reply.ephemeral = true;
            Ok(reply.into())
        }));
    }
    let question = next.question(ctx.bank).ok_or_else(stale_button)?;
    Ok(Request::Reply(asking(&next, &question, &verdict)))
}

/// A player's practice record in a line: `3 runs · 24 of 30 right (80%) · best 10 of 10`.
pub fn record_text(record: &PracticeRecord) -> String {
    let (best_right, best_of) = record.best;
    format!(
        "{} run{} · {} of {} right ({}%) · best {best_right} of {best_of}",
        record.runs,
        if record.runs == 1 { "" } else { "s" },
        record.correct,
        record.questions,
        record.correct * 100 / record.questions.max(1),
    )
}

/// The current question of `run`, after `before` (the last answer's verdict).
fn asking(run: &Run, question: &Question, before: &str) -> Reply {
    let options = listed_options(question);
    let text = match question.asked() {
        "" => format!("{before}{options}"),
        asked => format!("{before}{asked}\n\n{options}"),
    };
    let buttons = (0..question.options.len())
        .map(|i| Button::new(&letter(i).to_string(), run.id(i), ButtonStyle::Secondary))
        .collect();
    let mut reply = Reply::new(
        Tone::Quiz,
        &format!(
            "Practice · {} of {} · {}",
            run.number,
            run.total,
            question.kind.title()
        ),
    )
    .text(text.as_str())
    .footer(&format!(
        "{} right so far · only you see this; it counts on no leaderboard",
        run.right
    ))
    .buttons(buttons);
    reply.ephemeral = true;
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::{Difficulty, Kind};

    #[test]
    fn a_run_reads_back_from_its_buttons() {
        let run = Run {
            seed: u64::MAX >> 8,
            total: 20,
            number: 20,
            right: 19,
            filter: Filter {
                kind: Some(Kind::HandWritten),
                difficulty: Some(Difficulty::Medium),
            },
        };
        let id = run.id(3);
        assert!(id.len() <= 100, "{id}");
        let state = id.strip_prefix("practice:").unwrap();
        assert_eq!(Run::parse(state), Some((run, 3)));
        let any = Run {
            filter: Filter::default(),
            ..run
        };
        assert_eq!(
            Run::parse(any.id(0).strip_prefix("practice:").unwrap()),
            Some((any, 0))
        );
        for forged in [
            "1:20:21:0:::0",
            "1:20:2:2:::0",
            "1:20:1:0:nope::0",
            "zz:5:1:0:::0",
        ] {
            assert_eq!(Run::parse(forged), None, "{forged}");
        }
    }
}
