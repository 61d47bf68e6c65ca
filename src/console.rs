//! The commands in a terminal: replies rendered as text, buttons pressed by number,
//! so every command can be tried without a Discord account. Quizzes run here too
//! ([`Console`]), with players typed as `alice: B`.

use std::fmt::Write;
use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::commands::{
    self, Args, Caller, Ctx, MANAGE_GUILD, MANAGE_MESSAGES, Run, Value, parse_line,
};
use crate::data::Dataset;
use crate::quiz::{Effect, GameEvent, Games, QuestionBank, UnixMillis, is_game_button};
use crate::reply::Reply;
use crate::store::{Store, StoreError};

/// A reply as plain text: title, text, fields, footer, then numbered buttons.
pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    let plain = |text: &str| text.replace("**", "");
    if reply.is_error() {
        let _ = writeln!(out, "✗ {}", plain(&reply.text));
        return out;
    }
    let _ = writeln!(out, "━━ {} ━━", plain(&reply.title));
    if !reply.text.is_empty() {
        let _ = writeln!(out, "{}", plain(&reply.text));
    }
    for field in &reply.fields {
        let _ = writeln!(out, "\n▸ {}", plain(&field.name));
        for line in field.value.lines() {
            let _ = writeln!(out, "  {}", plain(line));
        }
    }
    if let Some(footer) = &reply.footer {
        let _ = writeln!(out, "\n({footer})");
    }
    let buttons: Vec<String> = reply
        .rows
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, b)| {
            let state = if b.disabled { " (disabled)" } else { "" };
            format!("[{}] {}{state}", i + 1, b.label)
        })
        .collect();
    if !buttons.is_empty() {
        let _ = writeln!(out, "{}", buttons.join("  "));
    }
    out
}

/// One line of console input, answered: a command, or the number of a button of the
/// last reply. `last` is updated to the new reply.
pub fn answer(ctx: &mut Ctx, line: &str, last: &mut Option<Reply>) -> Reply {
    let line = line.trim();
    if let Ok(number) = line.parse::<usize>() {
        let button = last
            .as_ref()
            .and_then(|reply| reply.rows.iter().flatten().nth(number.wrapping_sub(1)));
        let reply = match button {
            Some(button) if button.disabled => {
                Reply::error(&format!("Button {number} is disabled."))
            }
            Some(button) => commands::press(ctx, &button.custom_id),
            None => Reply::error(&format!(
                "There is no button {number}: type the number shown in [brackets], or a command."
            )),
        };
        if !reply.is_error() {
            *last = Some(reply.clone());
        }
        return reply;
    }
    let reply = match parse_line(line) {
        Ok(invocation) => commands::run(ctx, &invocation),
        Err(error) => Reply::error(&error.0),
    };
    if !reply.is_error() {
        *last = Some(reply.clone());
    }
    reply
}

/// The console's server, channel and player ids: one table, one channel.
const GUILD: u64 = 1;
const CHANNEL: u64 = 1;
/// Who types lines without a name.
const YOU: &str = "you";

/// A stable user id for a name typed in the console, so `alice: B` is always alice.
fn user_id(name: &str) -> u64 {
    // FNV-1a: stable across runs and platforms, unlike the standard hasher.
    let hash = name
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    (hash >> 1).max(1)
}

fn caller(name: &str) -> Caller {
    Caller {
        user_id: user_id(name),
        user_name: name.to_string(),
        is_bot: false,
        guild_id: Some(GUILD),
        channel_id: CHANNEL,
        // The person at the console may stop any game and set the daily posts.
        permissions: MANAGE_MESSAGES | MANAGE_GUILD,
    }
}

/// `<t:1739500000:R>` as "in 20 s" or "5 s ago", relative to `now`.
fn relative_times(text: &str, now: UnixMillis) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<t:") {
        let tail = &rest[start + 3..];
        let Some(end) = tail.find(":R>") else { break };
        let Ok(secs) = tail[..end].parse::<u64>() else {
            out.push_str(&rest[..start + 3]);
            rest = tail;
            continue;
        };
        out.push_str(&rest[..start]);
        let now_secs = now.0.div_ceil(1000);
        if secs >= now_secs {
            out.push_str(&format!("in {} s", secs - now_secs));
        } else {
            out.push_str(&format!("{} s ago", now_secs - secs));
        }
        rest = &tail[end + 3..];
    }
    out.push_str(rest);
    out
}

/// What can stop the console's game table from starting.
#[derive(Debug, thiserror::Error)]
#[error("cannot start the console's clock and database runtime: {0}")]
pub struct ConsoleError(#[from] std::io::Error);

/// The console with games: every command, plus quizzes and `/whosaid` in one
/// pretend channel, where players are typed as `alice: B`. The store (scores) is
/// opened the first time a game needs it.
pub struct Console<'d> {
    data: &'d Dataset,
    games: Games,
    rng: StdRng,
    runtime: tokio::runtime::Runtime,
    database_url: String,
    store: Option<Store>,
    last: Option<Reply>,
    /// The newest question posted: `alice: B` clicks its button B.
    question: Option<Reply>,
    wake: Option<UnixMillis>,
    next_message: u64,
    /// Whether the last line was refused.
    refused: bool,
}

impl<'d> Console<'d> {
    /// A console over `data`, saving scores at `database_url`, drawing questions from
    /// an rng seeded with `seed`.
    pub fn new(
        data: &'d Dataset,
        database_url: &str,
        seed: u64,
    ) -> Result<Console<'d>, ConsoleError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Console {
            data,
            games: Games::new(Arc::new(QuestionBank::new(data))),
            rng: StdRng::seed_from_u64(seed),
            runtime,
            database_url: database_url.to_string(),
            store: None,
            last: None,
            question: None,
            wake: None,
            next_message: 0,
            refused: false,
        })
    }

    /// When the game wants [`Console::tick`] called, if a game is running.
    pub fn next_wake(&self) -> Option<UnixMillis> {
        self.wake
    }

    /// Lets the game act on the time: close a question, ask the next. Returns what to
    /// print.
    pub fn tick(&mut self, now: UnixMillis) -> String {
        match self.wake {
            Some(at) if at <= now => {
                self.wake = None;
                let effects = self.games.apply(
                    GameEvent::Tick {
                        channel_id: CHANNEL,
                    },
                    now,
                    &mut self.rng,
                );
                self.run(effects, YOU, now)
            }
            _ => String::new(),
        }
    }

    /// Answers one typed line at `now`: a command, a button's number, or an answer
    /// (`alice: B`, or `B` for yourself). Returns what to print, and whether the line
    /// itself was refused (a bad command or option: what `feudbot ask` exits 1 for).
    pub fn answer_line(&mut self, line: &str, now: UnixMillis) -> (String, bool) {
        self.refused = false;
        let out = self.line(line, now);
        (out, self.refused)
    }

    /// [`Console::answer_line`], the text only.
    pub fn line(&mut self, line: &str, now: UnixMillis) -> String {
        let mut out = self.tick(now);
        let line = line.trim();
        if let Some((name, letter)) = typed_answer(line) {
            out.push_str(&self.answer(name, letter, now));
            return out;
        }
        let game_button = line.parse::<usize>().ok().and_then(|number| {
            let reply = self.last.as_ref()?;
            let button = reply.rows.iter().flatten().nth(number.wrapping_sub(1))?;
            (is_game_button(&button.custom_id) && !button.disabled)
                .then(|| button.custom_id.clone())
        });
        if let Some(custom_id) = game_button {
            out.push_str(&self.click(YOU, custom_id, now));
            return out;
        }
        if let Ok(invocation) = parse_line(line)
            && let Some(spec) = commands::find(&invocation.command)
            && matches!(spec.run, Run::Daily)
        {
            let reply = match Args::parse(spec, &invocation) {
                Ok(args) => self.daily(&args, now),
                Err(error) => Reply::error(&error.0),
            };
            self.refused = reply.is_error();
            out.push_str(&relative_times(&render(&reply), now));
            return out;
        }
        let invocation = parse_line(line).ok().filter(|invocation| {
            commands::find(&invocation.command).is_some_and(|spec| matches!(spec.run, Run::Game))
        });
        let Some(mut invocation) = invocation else {
            let today = now.to_datetime().date_naive();
            let mut ctx = Ctx {
                data: self.data,
                today,
                rng: &mut self.rng,
            };
            let reply = answer(&mut ctx, line, &mut self.last);
            self.refused = reply.is_error();
            out.push_str(&render(&reply));
            return out;
        };
        // In the console a member is typed by name: `/stats user:alice`.
        for (name, value) in &mut invocation.options {
            if let (true, Value::Text(text)) = (name == "user", &*value)
                && !text
                    .trim_start_matches("<@")
                    .starts_with(|c: char| c.is_ascii_digit())
            {
                *value = Value::Text(user_id(text.trim_start_matches('@')).to_string());
            }
        }
        match commands::game_request(&invocation) {
            Ok(request) => {
                let event = GameEvent::Command {
                    caller: caller(YOU),
                    request,
                };
                let effects = self.games.apply(event, now, &mut self.rng);
                out.push_str(&self.run(effects, YOU, now));
            }
            Err(error) => {
                self.refused = true;
                out.push_str(&render(&Reply::error(&error.0)));
            }
        }
        out
    }

    /// `/daily` for the console's own server; there is no channel to check here.
    fn daily(&mut self, args: &Args, now: UnixMillis) -> Reply {
        let store = match self.store() {
            Ok(store) => store,
            Err(error) => {
                tracing::error!(%error, "cannot open the database");
                return Reply::error(
                    "The daily settings can't be read: the database does not open.",
                );
            }
        };
        let now = now.to_datetime();
        let you = caller(YOU);
        let answer = commands::daily::answer(&store, self.data, &you, args, now, Ok(()));
        self.runtime.block_on(answer).reply
    }

    fn answer(&mut self, name: &str, letter: char, now: UnixMillis) -> String {
        let index = (letter as u8 - b'A') as usize;
        let Some(question) = &self.question else {
            return render(&Reply::error(
                "No question is open: start one with `/quiz start` or `/whosaid`.",
            ));
        };
        match question.rows.iter().flatten().nth(index) {
            Some(button) => {
                let custom_id = button.custom_id.clone();
                self.click(name, custom_id, now)
            }
            None => render(&Reply::error(&format!(
                "The open question has no answer {letter}."
            ))),
        }
    }

    fn click(&mut self, name: &str, custom_id: String, now: UnixMillis) -> String {
        let event = GameEvent::Click {
            caller: caller(name),
            custom_id,
        };
        let effects = self.games.apply(event, now, &mut self.rng);
        self.run(effects, name, now)
    }

    fn store(&mut self) -> Result<Store, StoreError> {
        if let Some(store) = &self.store {
            return Ok(store.clone());
        }
        let store = self.runtime.block_on(Store::open(&self.database_url))?;
        self.store = Some(store.clone());
        Ok(store)
    }

    /// Carries out the game's effects as the Discord layer would, as text.
    fn run(&mut self, effects: Vec<Effect>, who: &str, now: UnixMillis) -> String {
        let mut out = String::new();
        let mut reports = Vec::new();
        for effect in effects {
            match effect {
                Effect::Respond(reply) => {
                    self.refused |= reply.is_error();
                    if reply.ephemeral && who != YOU {
                        out.push_str(&format!("[{who}] "));
                    }
                    out.push_str(&render(&reply));
                }
                Effect::RespondScores(query) => {
                    let reply = match self.store() {
                        Ok(store) => self
                            .runtime
                            .block_on(commands::answer_scores(&store, &query)),
                        Err(error) => {
                            tracing::error!(%error, "cannot open the database");
                            Reply::error("The scores can't be read: the database does not open.")
                        }
                    };
                    out.push_str(&render(&reply));
                }
                Effect::Post { reply, report, .. } => {
                    out.push_str(&render(&reply));
                    if let Some(tag) = report {
                        self.next_message += 1;
                        reports.push((tag, self.next_message));
                        self.question = Some(reply.clone());
                    }
                    self.last = Some(reply);
                }
                Effect::Edit { reply, .. } => {
                    out.push_str("✎ the question is closed:\n");
                    out.push_str(&render(&reply));
                }
                Effect::Save(save) => {
                    let saved = self
                        .store()
                        .and_then(|store| self.runtime.block_on(store.save(&save)));
                    if let Err(error) = saved {
                        tracing::error!(%error, "cannot save scores");
                        out.push_str("(scores not saved: the database does not open)\n");
                    }
                }
                Effect::WakeAt { at, .. } => self.wake = Some(at),
                Effect::Ended { .. } => {
                    self.wake = None;
                    self.question = None;
                }
            }
        }
        for (tag, message_id) in reports {
            let event = GameEvent::Posted {
                channel_id: CHANNEL,
                tag,
                message_id,
            };
            let effects = self.games.apply(event, now, &mut self.rng);
            out.push_str(&self.run(effects, who, now));
        }
        relative_times(&out, now)
    }
}

/// `alice: B` (a player and an option letter), or `B` alone for the console's user.
fn typed_answer(line: &str) -> Option<(&str, char)> {
    let (name, letter) = match line.split_once(':') {
        Some((name, letter)) => (name.trim(), letter.trim()),
        None => (YOU, line),
    };
    let valid_name = !name.is_empty()
        && !name.starts_with('/')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
    let mut chars = letter.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    (valid_name && chars.next().is_none() && letter.is_ascii_uppercase()).then_some((name, letter))
}
