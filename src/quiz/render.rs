//! The game's messages: a question, its reveal, the podium, and the short private
//! notices a click gets. Lists of players are cut to fit Discord's limits.

use super::events::{ButtonId, InFlight, PanelAction, PanelButton};
use super::question::{Filter, Question};
use super::rules::{HOST_GONE_MS, Mode, Pace, QUESTIONS_RANGE};
use super::session::{EndReason, Phase, QuizSession, Standing};
use std::time::Duration;

use crate::reply::{
    Button, ButtonStyle, Picture, PodiumPlace, PodiumView, Reply, Text, TimeStyle, Tone, clean,
    fit, limits::FIELD_VALUE_MAX,
};

/// The letters of the options, in order.
const LETTERS: [char; 4] = ['A', 'B', 'C', 'D'];
/// Longest player name shown.
const NAME_MAX: usize = 32;
/// Players on the reveal's "top" list.
const TOP: usize = 5;
/// Medals of the podium.
const MEDALS: [&str; 3] = ["🥇", "🥈", "🥉"];

/// The letter of an option as shown: `A` to `D` (`?` past them).
pub fn letter(option: usize) -> char {
    LETTERS.get(option).copied().unwrap_or('?')
}

/// A player's name as the game keeps it: as its owner wrote it, on one line, without
/// what garbles a line ([`crate::reply::clean`]), at most [`NAME_MAX`] characters;
/// "someone" when nothing is left. Plain text: shown with [`Text::name`], never as
/// Markdown.
pub(super) fn plain_name(name: &str) -> String {
    let one_line = clean(name).split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        "someone".to_string()
    } else {
        fit(&one_line, NAME_MAX)
    }
}

/// `**B** · Sam Altman`.
pub(super) fn option_line(option: usize, text: &str) -> String {
    format!("**{}** · {text}", letter(option))
}

/// The button labels of a question: `B · Sam Altman`.
pub(super) fn labels(question: &Question) -> Vec<String> {
    question
        .options
        .iter()
        .enumerate()
        .map(|(i, text)| format!("{} · {text}", letter(i)))
        .collect()
}

/// Lines joined until `max` characters (as [`Text::len`] counts them), then `… and N
/// more`.
fn capped(lines: Vec<Text>, max: usize) -> Text {
    let total = lines.len();
    let mut out = Text::new();
    for (shown, line) in lines.into_iter().enumerate() {
        let more = format!("… and {} more", total - shown);
        if out.len() + 1 + line.len() + 1 + more.chars().count() > max {
            let joint = if out.is_empty() { "" } else { "\n" };
            return out.plain(joint).plain(&more);
        }
        if !out.is_empty() {
            out = out.plain("\n");
        }
        out = out.append(line);
    }
    out
}

fn heading(session: &QuizSession) -> String {
    match session.mode {
        Mode::Quiz => format!(
            "Question {} of {} · {}",
            session.number,
            session.settings.questions,
            session.question.kind.title()
        ),
        Mode::WhoSaid => "Who said it?".to_string(),
    }
}

/// The prompt (without the heading it repeats), a blank line, then `rest`.
fn with_prompt(question: &Question, rest: &str) -> String {
    match question.asked() {
        "" => rest.to_string(),
        asked => format!("{asked}\n\n{rest}"),
    }
}

/// A question's options, one a line: `**B** · Sam Altman`.
pub fn listed_options(question: &Question) -> String {
    options_text(question, None)
}

fn options_text(question: &Question, marks: Option<&[u32]>) -> String {
    question
        .options
        .iter()
        .enumerate()
        .map(|(i, text)| match marks {
            None => option_line(i, text),
            Some(counts) => {
                let mark = if i == question.answer {
                    "✅"
                } else {
                    "▫️"
                };
                let count = counts.get(i).copied().unwrap_or(0);
                format!("{mark} {} — {count}", option_line(i, text))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `custom_id` of answer `option` of question `question` of quiz `quiz_id`.
fn option_id(quiz_id: u64, question: u8, option: usize) -> String {
    ButtonId {
        quiz_id,
        question,
        option: option as u8,
    }
    .custom_id()
}

/// A question as posted: the prompt, the options, the deadline and a button each.
pub(super) fn question(session: &QuizSession) -> Reply {
    let question = &session.question;
    let footer = match session.mode {
        Mode::Quiz => format!(
            "{} · one answer each · quicker right answers score more",
            question.difficulty
        ),
        Mode::WhoSaid => "Anyone can answer, once · /whosaid".to_string(),
    };
    let buttons = labels(question)
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let id = option_id(session.id, session.number, i);
            Button::new(&label, id, ButtonStyle::Primary)
        })
        .collect();
    Reply::new(Tone::Quiz, &heading(session))
        .text(
            Text::from(&with_prompt(
                question,
                &format!("{}\n\nCloses ", options_text(question, None)),
            ))
            .after_sending(Duration::from_secs(u64::from(session.settings.seconds)))
            .plain("."),
        )
        .footer(&footer)
        .buttons(buttons)
}

/// The reveal: the right answer marked, how many chose each option, why, the source,
/// who got it right and (in a quiz) the top five so far. All buttons disabled.
pub(super) fn reveal(
    session: &QuizSession,
    results: &[super::AnswerResult],
    counts: &[u32],
) -> Reply {
    let question = &session.question;
    let right: Vec<&super::AnswerResult> = results.iter().filter(|r| r.correct).collect();
    let mut winners = right.clone();
    winners.sort_by_key(|r| std::cmp::Reverse(r.points));
    let winners = capped(
        winners
            .iter()
            .map(|r| {
                Text::new()
                    .name(&r.user_name)
                    .plain(&format!(" +{}", r.points))
            })
            .collect(),
        FIELD_VALUE_MAX,
    );
    let buttons = labels(question)
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let count = counts.get(i).copied().unwrap_or(0);
            let style = if i == question.answer {
                ButtonStyle::Success
            } else if count > 0 {
                ButtonStyle::Danger
            } else {
                ButtonStyle::Secondary
            };
            let id = option_id(session.id, session.number, i);
            Button::new(&format!("{label} · {count}"), id, style).disabled(true)
        })
        .collect();
    let mut reply = Reply::new(Tone::Quiz, &heading(session))
        .text(with_prompt(question, &options_text(question, Some(counts))))
        .field(
            "Answer",
            option_line(
                question.answer,
                question
                    .options
                    .get(question.answer)
                    .map_or("", String::as_str),
            ),
            false,
        )
        .field("Why", &question.explanation, false)
        .field("Source", &question.citation, false)
        .field(
            &format!("Got it right ({} of {})", right.len(), results.len()),
            if right.is_empty() {
                Text::from("Nobody.")
            } else {
                winners
            },
            false,
        );
    if session.mode == Mode::Quiz {
        let standings = session.standings();
        let mut top = Text::new();
        for (i, (s, place)) in standings
            .iter()
            .zip(places(&standings))
            .take(TOP)
            .enumerate()
        {
            if i > 0 {
                top = top.plain("\n");
            }
            top = top
                .plain(&format!("{place}. "))
                .name(&s.name)
                .plain(&format!(" · {}", s.points));
        }
        if top.is_empty() {
            top = Text::from("No players yet.");
        }
        reply = reply.field("Top 5", top, false);
    }
    reply.buttons(buttons).footer("Closed")
}

/// The place of each of `standings` (best first), from 1: players tied on points
/// share one (1, 2, 2, 4).
fn places(standings: &[Standing]) -> Vec<usize> {
    let mut places: Vec<usize> = Vec::with_capacity(standings.len());
    for (i, s) in standings.iter().enumerate() {
        let tied = i > 0 && standings[i - 1].points == s.points;
        places.push(if tied { places[i - 1] } else { i + 1 });
    }
    places
}

fn standing_line(place: usize, s: &Standing) -> Text {
    Text::from(&format!("{place}. "))
        .name(&s.name)
        .plain(&format!(
            " — {} points · {}/{} right · best streak {}",
            s.points, s.correct, s.answered, s.best_streak
        ))
}

/// The end of a quiz: the podium and the full standings.
pub(super) fn podium(session: &QuizSession, reason: &EndReason) -> Reply {
    let standings = session.standings();
    let (title, why) = match reason {
        EndReason::Done => ("Quiz over", Text::new()),
        EndReason::Stopped(by) => (
            "Quiz stopped",
            Text::from("Stopped by ").name(by).plain(".\n\n"),
        ),
        EndReason::Idle => (
            "Quiz over",
            Text::from("Nobody answered two questions in a row, so the quiz ended.\n\n"),
        ),
        EndReason::HostGone => (
            "Quiz over",
            Text::from(&format!(
                "The host moved nothing on for {} minutes, so the quiz ended.\n\n",
                HOST_GONE_MS / 60_000
            )),
        ),
        EndReason::CannotPost => (
            "Quiz over",
            Text::from("I can no longer post in this channel, so the quiz ended.\n\n"),
        ),
        EndReason::Shutdown => (
            "Quiz over",
            Text::from(
                "I am restarting, so the quiz ends here; every answer given so far counts.\n\n",
            ),
        ),
    };
    let places = places(&standings);
    let mut podium = Text::new();
    let medalled = standings
        .iter()
        .zip(&places)
        .filter(|(s, _)| s.points > 0)
        .filter_map(|(s, place)| Some((s, MEDALS.get(place - 1)?)));
    for (s, medal) in medalled {
        if !podium.is_empty() {
            podium = podium.plain("\n");
        }
        podium = podium
            .plain(&format!("{medal} **"))
            .name(&s.name)
            .plain(&format!("** · {} points", s.points));
    }
    // The card shows whom the text gives a medal; the text stays, for screen readers
    // and search.
    let card: Vec<PodiumPlace> = standings
        .iter()
        .zip(&places)
        .filter(|(s, place)| s.points > 0 && **place <= MEDALS.len())
        .map(|(s, place)| PodiumPlace {
            place: *place,
            name: s.name.clone(),
            points: s.points,
            correct: s.correct,
            answered: s.answered,
            best_streak: s.best_streak,
        })
        .take(MEDALS.len())
        .collect();
    if podium.is_empty() {
        podium = Text::from("Nobody scored.");
    }
    let lines = standings
        .iter()
        .zip(&places)
        .map(|(s, place)| standing_line(*place, s))
        .collect();
    let reply = Reply::new(Tone::Quiz, title)
        .text(why.append(podium))
        .field(
            "Standings",
            if standings.is_empty() {
                Text::from("Nobody played.")
            } else {
                capped(lines, FIELD_VALUE_MAX)
            },
            false,
        )
        .footer(&format!(
            "{} of {} questions · started by {} · /leaderboard for all quizzes",
            session.number, session.settings.questions, session.starter_name
        ));
    if card.is_empty() {
        return reply;
    }
    reply.picture(Picture::Podium(PodiumView {
        places: card,
        questions: session.number,
        players: standings.len(),
    }))
}

/// What the channel sees when a game starts (a `/whosaid` starter is told privately:
/// the question itself is the public message). `requested` is how many questions
/// were asked for: more than the filter has, and the start says so.
pub(super) fn started(session: &QuizSession, requested: u8) -> Reply {
    let settings = &session.settings;
    match session.mode {
        Mode::Quiz => {
            let shortened = if requested > settings.questions {
                format!(
                    "\nThere are only {} questions of {}, so this quiz asks each once.",
                    settings.questions,
                    settings.filter.describe()
                )
            } else {
                String::new()
            };
            let (what, pace) = match settings.pace {
                Pace::Auto => ("a quiz", ""),
                Pace::Host => (
                    "a host-paced quiz",
                    " The host reveals each answer and asks each next question.",
                ),
            };
            Reply::new(Tone::Quiz, "Quiz time!").text(
                Text::from("**").name(&session.starter_name).plain(&format!(
                    "** started {what}: {} questions ({}), {} seconds each.{shortened}{pace}\n\
                         Click a button to answer: one answer per question, quicker right \
                         answers score more, and right answers in a row earn a bonus. \
                         `/quiz stop` ends it.",
                    settings.questions,
                    settings.filter.describe(),
                    settings.seconds
                )),
            )
        }
        Mode::WhoSaid => notice(
            &format!(
                "Your question is up: anyone can answer in the next {} seconds.",
                settings.seconds
            ),
            true,
        ),
    }
}

/// The refusal of a game whose filter has fewer questions than a game asks.
pub(super) fn too_few(filter: &Filter, available: usize) -> Reply {
    if available == 0 {
        return Reply::error(format!(
            "There are no questions of {}. Try another kind or difficulty.",
            filter.describe()
        ));
    }
    Reply::error(format!(
        "There {} only {available} question{} of {}, and a quiz has at least {}. Try \
         another kind or difficulty, or `/whosaid` for a single question.",
        if available == 1 { "is" } else { "are" },
        if available == 1 { "" } else { "s" },
        filter.describe(),
        QUESTIONS_RANGE.0
    ))
}

/// A short game message, private to the clicker when `ephemeral`.
pub(super) fn notice(text: &str, ephemeral: bool) -> Reply {
    let mut reply = Reply::new(Tone::Quiz, "Trivia").text(text);
    reply.ephemeral = ephemeral;
    reply
}

/// The refusal of `/quiz stop` to someone who may not stop the quiz.
pub(super) fn only_starter_stops(starter: &str) -> Reply {
    Reply::error(
        Text::from("Only ")
            .name(starter)
            .plain(" (who started it) or members who can manage messages can stop this quiz."),
    )
}

/// The title of a host's control panel.
const PANEL: &str = "Your quiz controls";

/// The buttons of a host's panel: Reveal now while a question is open, Next question
/// and End until the quiz is over.
fn panel_buttons(quiz_id: u64, open: bool, over: bool) -> Vec<Button> {
    PanelAction::ALL
        .into_iter()
        .map(|action| {
            let (label, style, enabled) = match action {
                PanelAction::Reveal => ("Reveal now", ButtonStyle::Primary, open),
                PanelAction::Next => ("Next question", ButtonStyle::Success, !over),
                PanelAction::End => ("End", ButtonStyle::Danger, !over),
            };
            let id = PanelButton { quiz_id, action }.custom_id();
            Button::new(label, id, style).disabled(!enabled)
        })
        .collect()
}

/// A host's control panel, private to them: `note` (what their press did), where the
/// quiz stands, and its buttons. It changes only when they press one, so it names the
/// open question's deadline as a time, not a countdown.
pub(super) fn panel(session: &QuizSession, note: &str) -> Reply {
    let (number, total) = (session.number, session.settings.questions);
    let mut open = false;
    let state = if session.ended {
        Text::from("The quiz is over: the standings are posted in the channel.")
    } else {
        match session.phase {
            Phase::Posting { .. } => {
                open = true;
                Text::from(&format!(
                    "Question {number} of {total} is on its way to the channel; it stays open \
                     {} seconds once it is up.",
                    session.settings.seconds
                ))
            }
            Phase::Asking { deadline } => {
                open = true;
                let answers = session.answers.len();
                Text::from(&format!("Question {number} of {total} is open until "))
                    .time(deadline.to_datetime(), TimeStyle::Relative)
                    .plain(&format!(
                        ": {answers} answer{} so far.",
                        if answers == 1 { "" } else { "s" }
                    ))
            }
            Phase::Between { .. } => Text::from(&format!(
                "Question {number} of {total} is revealed; question {} follows in a few \
                 seconds.",
                number + 1
            )),
            Phase::Waiting => Text::from(&format!(
                "Question {number} of {total} is revealed. Press **Next question** when \
                 the room is ready."
            )),
        }
    };
    let mut reply = Reply::new(Tone::Quiz, PANEL)
        .text(Text::from(note).plain("\n").append(state))
        .footer(&format!(
            "Only you see this · a question still closes at its deadline · the quiz ends \
             by itself after {} minutes without a press",
            HOST_GONE_MS / 60_000
        ))
        .buttons(panel_buttons(session.id, open, session.ended));
    reply.ephemeral = true;
    reply
}

/// The panel of a quiz that is over, its buttons disabled.
pub(super) fn panel_over(quiz_id: u64) -> Reply {
    let mut reply = Reply::new(Tone::Quiz, PANEL)
        .text("This quiz is over. Start a new one with `/quiz start`.")
        .buttons(panel_buttons(quiz_id, false, true));
    reply.ephemeral = true;
    reply
}

/// The refusal of a press on a host's panel by someone else.
pub(super) fn only_host(host: &str) -> Reply {
    Reply::error(
        Text::from("Only ")
            .name(host)
            .plain(", who hosts this quiz, can use its controls."),
    )
}

/// The refusal of `/quiz skip` to someone other than the starter.
pub(super) fn only_starter_skips(starter: &str) -> Reply {
    Reply::error(
        Text::from("Only ")
            .name(starter)
            .plain(", who started this quiz, can skip a question."),
    )
}

/// The answer to `/quiz stop`: private, as the podium it posts already says who
/// stopped the quiz.
pub(super) fn stopped() -> Reply {
    notice(
        "You stopped the quiz: the standings are posted in the channel.",
        true,
    )
}

/// The acknowledgement of a counted click.
pub(super) fn locked_in(option: usize, text: &str) -> Reply {
    notice(&format!("Locked in: {}", option_line(option, text)), true)
}

/// The notice for a button this game did not make.
pub const NOT_OURS: &str =
    "That button is not one of this quiz's. Answer with the buttons of the newest question.";

/// What a quiz's last question message becomes after a restart: the quiz marked
/// interrupted, its buttons disabled.
pub fn interrupted_reply(quiz: &InFlight) -> Reply {
    let buttons = quiz
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let id = option_id(quiz.quiz_id, quiz.question, i);
            Button::new(label, id, ButtonStyle::Secondary).disabled(true)
        })
        .collect();
    Reply::new(Tone::Quiz, "Quiz interrupted")
        .text(format!(
            "The bot restarted during question {}, so this quiz stopped. Points of the \
             questions already revealed are kept: see `/leaderboard`. Start a new quiz \
             with `/quiz start`.",
            quiz.question
        ))
        .buttons(buttons)
}
