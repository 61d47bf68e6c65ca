//! The commands in a terminal, with no Discord account: the same core as the bot,
//! with replies printed as text (readable times, names for mentions), buttons pressed
//! by number, and players typed as `alice: B`. The console is a server of its own
//! with a few named channels (you type in `#general`) and roles; its person may stop
//! any game, set the daily posts and the role rewards, and the bot may give any role.

mod line;
mod render;
mod repl;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::app::{App, Clicked, Delivery, Frontend, Grant, Input, dispatch};
use crate::caller::Caller;
use crate::daily::Fault;
use crate::permissions::Permissions;
use crate::picture::{PictureError, Pictures};
use crate::reply::{Picture, Reply};

pub use line::parse_line;
pub use render::{Names, render};
pub use repl::repl;

/// The console's server.
const GUILD: u64 = 1;
/// The console server's channels, by id and name; lines are typed in the first.
pub const CHANNELS: [(u64, &str); 3] = [(1, "general"), (2, "trivia"), (3, "daily-facts")];
/// The console server's roles, by id and name: what `/rewards` gives.
pub const ROLES: [(u64, &str); 3] = [(11, "regular"), (12, "expert"), (13, "champion")];

/// The id of the console's role `name` (`champion` or `@champion`).
pub fn role_id(name: &str) -> Option<u64> {
    let name = name.trim().trim_start_matches('@');
    ROLES
        .iter()
        .find(|(_, known)| known.eq_ignore_ascii_case(name))
        .map(|(id, _)| *id)
}

/// Where lines are typed.
const CHANNEL: u64 = CHANNELS[0].0;

/// The id of the console's channel `name` (`general` or `#general`).
pub fn channel_id(name: &str) -> Option<u64> {
    let name = name.trim().trim_start_matches('#');
    CHANNELS
        .iter()
        .find(|(_, known)| known.eq_ignore_ascii_case(name))
        .map(|(id, _)| *id)
}
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

/// What the console remembers of what it printed.
#[derive(Default)]
struct Screen {
    /// Names typed so far, by user id, to show mentions by name.
    names: HashMap<u64, String>,
    /// The last message with buttons other than a question (a reply's update included):
    /// a number presses one of them.
    last: Option<(Reply, Clicked)>,
    /// The open question: `B` presses its button B. Closed by its reveal.
    question: Option<(u64, Reply)>,
    /// The id of the last message posted.
    last_id: u64,
    /// Whether an error was printed for the current line.
    refused: bool,
}

impl Names for Screen {
    fn user(&self, user_id: u64) -> Option<String> {
        self.names.get(&user_id).cloned()
    }

    fn channel(&self, channel_id: u64) -> Option<String> {
        CHANNELS
            .iter()
            .find(|(id, _)| *id == channel_id)
            .map(|(_, name)| name.to_string())
    }

    fn role(&self, role_id: u64) -> Option<String> {
        ROLES
            .iter()
            .find(|(id, _)| *id == role_id)
            .map(|(_, name)| name.to_string())
    }
}

/// The console: the core, and what was printed.
pub struct Console {
    app: Arc<App>,
    /// What replies' pictures are drawn with.
    pictures: Arc<Pictures>,
    screen: Arc<Mutex<Screen>>,
}

/// The console as a front end for one input: what it prints, labelled with who
/// typed when only they should see it.
#[derive(Clone)]
struct Printer {
    app: Arc<App>,
    pictures: Arc<Pictures>,
    screen: Arc<Mutex<Screen>>,
    /// Who typed the line answered, if a line is.
    speaker: Option<String>,
}

fn lock(screen: &Mutex<Screen>) -> MutexGuard<'_, Screen> {
    screen.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a picture did not reach its file.
#[derive(Debug, thiserror::Error)]
enum PictureFileError {
    #[error(transparent)]
    Draw(#[from] PictureError),
    #[error("cannot write it: {0}")]
    Write(#[from] std::io::Error),
}

/// Draws `picture` to a new file in the temporary folder's `feudbot/`, where a
/// terminal user can open it and the next reboot clears it; returns its path.
fn write_picture(pictures: &Pictures, picture: &Picture) -> Result<PathBuf, PictureFileError> {
    static WRITTEN: AtomicUsize = AtomicUsize::new(0);
    let png = pictures.draw(picture)?;
    let dir = std::env::temp_dir().join("feudbot");
    std::fs::create_dir_all(&dir)?;
    let n = WRITTEN.fetch_add(1, Ordering::Relaxed) + 1;
    let stem = picture.file_name().trim_end_matches(".png");
    let path = dir.join(format!("{stem}-{}-{n}.png", std::process::id()));
    std::fs::write(&path, png)?;
    Ok(path)
}

impl Printer {
    /// The line saying where the reply's picture was written (drawn on a blocking
    /// thread), or nothing for a reply without one.
    async fn picture(&self, reply: &Reply) -> String {
        let Some(picture) = reply.picture.clone() else {
            return String::new();
        };
        let pictures = Arc::clone(&self.pictures);
        match tokio::task::spawn_blocking(move || write_picture(&pictures, &picture)).await {
            Ok(Ok(path)) => format!("🖼 Picture: {}\n", path.display()),
            Ok(Err(error)) => {
                tracing::error!("a picture was not written: {error}");
                "🖼 The picture could not be drawn.\n".to_string()
            }
            Err(error) => {
                tracing::error!("drawing a picture failed: {error}");
                "🖼 The picture could not be drawn.\n".to_string()
            }
        }
    }

    fn print(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    fn show(&self, reply: &Reply) -> String {
        render(reply, self.app.clock().now(), &*lock(&self.screen))
    }
}

impl Frontend for Printer {
    async fn respond(&self, reply: Reply) {
        let mut text = self.show(&reply) + &self.picture(&reply).await;
        if let Some(speaker) = self.speaker.as_deref().filter(|s| *s != YOU)
            && reply.ephemeral
        {
            text.insert_str(0, &format!("[{speaker}] "));
        }
        let mut screen = lock(&self.screen);
        screen.refused |= reply.is_error();
        if !reply.is_error() && !reply.rows.is_empty() {
            screen.last = Some((reply, Clicked::Reply));
        }
        drop(screen);
        self.print(&text);
    }

    async fn update(&self, reply: Reply) {
        let text = self.show(&reply) + &self.picture(&reply).await;
        lock(&self.screen).last = Some((reply, Clicked::Reply));
        self.print(&text);
    }

    async fn post(&self, _: u64, reply: &Reply, _: &str, _: Delivery) -> Result<u64, Fault> {
        let question = reply
            .rows
            .iter()
            .flatten()
            .any(|b| letter(&b.label).is_some());
        // A question is answered by letter, so its buttons are not numbered: numbers
        // keep pressing the message before it (a quiz host's panel).
        let text = if question {
            let mut shown = reply.clone();
            shown.rows.clear();
            self.show(&shown) + ANSWER_HINT
        } else {
            self.show(reply)
        } + &self.picture(reply).await;
        let mut screen = lock(&self.screen);
        screen.last_id += 1;
        let id = screen.last_id;
        if question {
            screen.question = Some((id, reply.clone()));
        } else if !reply.rows.is_empty() {
            screen.last = Some((reply.clone(), Clicked::Post));
        }
        drop(screen);
        self.print(&text);
        Ok(id)
    }

    async fn edit(&self, _: u64, message_id: u64, reply: &Reply) {
        let text = self.show(reply);
        let mut screen = lock(&self.screen);
        let closed = screen
            .question
            .as_ref()
            .is_some_and(|(id, _)| *id == message_id);
        if closed {
            screen.question = None;
        }
        drop(screen);
        self.print(if closed {
            "✎ the question is closed:\n"
        } else {
            "✎ a message changed:\n"
        });
        self.print(&text);
    }

    async fn grant_role(&self, grant: &Grant) -> Result<(), Fault> {
        let screen = lock(&self.screen);
        let who = screen
            .user(grant.user_id)
            .unwrap_or_else(|| format!("@{}", grant.user_id));
        let role = screen
            .role(grant.role_id)
            .unwrap_or_else(|| grant.role_id.to_string());
        drop(screen);
        self.print(&format!("＋ role @{role} given to {who}\n"));
        Ok(())
    }
}

/// Under a posted question, how to answer it.
const ANSWER_HINT: &str = "Answer by letter: `B`, or `alice: B` for another player.\n";

/// The letter of an answer button: `B` of `B · Sam Altman`.
fn letter(label: &str) -> Option<char> {
    let mut chars = label.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    chars.as_str().starts_with(" · ").then_some(letter)
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

impl Console {
    /// The console over `app`.
    pub fn new(app: Arc<App>) -> Console {
        Console {
            pictures: Arc::new(Pictures::new(Arc::clone(app.data()))),
            app,
            screen: Arc::default(),
        }
    }

    fn printer(&self, speaker: Option<&str>) -> Printer {
        Printer {
            app: Arc::clone(&self.app),
            pictures: Arc::clone(&self.pictures),
            screen: Arc::clone(&self.screen),
            speaker: speaker.map(str::to_string),
        }
    }

    /// The person `name`, at the console's one channel.
    fn caller(&self, name: &str) -> Caller {
        let user_id = user_id(name);
        lock(&self.screen)
            .names
            .entry(user_id)
            .or_insert_with(|| name.to_string());
        Caller {
            user_id,
            user_name: name.to_string(),
            is_bot: false,
            guild_id: Some(GUILD),
            channel_id: CHANNEL,
            permissions: Permissions::all(),
            bot_permissions: Permissions::all(),
            in_thread: false,
            bot_installed: true,
        }
    }

    /// Prints an error for the line, as a refusal.
    fn refuse(&self, text: &str) {
        let printer = self.printer(None);
        let reply = Reply::error(text);
        lock(&self.screen).refused = true;
        printer.print(&printer.show(&reply));
    }

    /// Answers one typed line: a command, a button's number, or an answer (`alice:
    /// B`, or `B` for yourself), and prints what follows. Returns whether the line
    /// was refused (a bad command or option: what `feudbot ask` exits 1 for).
    pub async fn line(&self, line: &str) -> bool {
        lock(&self.screen).refused = false;
        let line = line.trim();
        if let Some((name, letter)) = typed_answer(line) {
            self.answer(name, letter).await;
        } else if let Ok(number) = line.parse::<usize>() {
            self.press(number).await;
        } else {
            match parse_line(line, |name| self.caller(name).user_id) {
                Ok(invocation) => {
                    let input = Input::Command {
                        caller: self.caller(YOU),
                        invocation,
                    };
                    dispatch(&self.app, input, &self.printer(Some(YOU))).await;
                }
                Err(error) => self.refuse(&error.0.to_string()),
            }
        }
        lock(&self.screen).refused
    }

    async fn press(&self, number: usize) {
        let last = lock(&self.screen).last.clone();
        let button = last.as_ref().and_then(|(reply, on)| {
            let button = reply.rows.iter().flatten().nth(number.wrapping_sub(1))?;
            Some((button.clone(), *on))
        });
        match button {
            None => self.refuse(&format!(
                "There is no button {number}: type the number shown in [brackets], or a command."
            )),
            Some((button, _)) if button.disabled => {
                self.refuse(&format!("Button {number} is disabled."));
            }
            Some((button, on)) => self.click(YOU, button.custom_id, on).await,
        }
    }

    async fn answer(&self, name: &str, letter: char) {
        let question = lock(&self.screen).question.clone();
        let Some((_, question)) = question else {
            return self.refuse("No question is open: start one with `/quiz start` or `/whosaid`.");
        };
        let button = question
            .rows
            .iter()
            .flatten()
            .find(|b| self::letter(&b.label) == Some(letter));
        match button {
            Some(button) => {
                self.click(name, button.custom_id.clone(), Clicked::Post)
                    .await;
            }
            None => self.refuse(&format!("The open question has no answer {letter}.")),
        }
    }

    async fn click(&self, name: &str, custom_id: String, on: Clicked) {
        let input = Input::Click {
            caller: self.caller(name),
            custom_id,
            on,
        };
        dispatch(&self.app, input, &self.printer(Some(name))).await;
    }

    /// Runs the core's timers (quiz deadlines, daily posts), printing what they do,
    /// until the console ends.
    pub async fn run_timers(&self) {
        crate::app::run_timers(Arc::clone(&self.app), self.printer(None)).await;
    }
}
