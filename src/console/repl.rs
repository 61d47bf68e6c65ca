//! The interactive console: lines read on a thread of their own (with history and
//! editing), answered on the core's runtime, where the timers run too, so that a
//! quiz's questions close while nobody types.

use std::sync::Arc;
use std::sync::mpsc as std_mpsc;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use tokio::sync::mpsc;

use super::{CHANNELS, Console};
use crate::app::App;
use crate::commands::COMMANDS;

/// Why the console could not run.
#[derive(Debug, thiserror::Error)]
pub enum ReplError {
    /// The terminal could not be read.
    #[error("cannot read the terminal: {0}")]
    Terminal(#[from] ReadlineError),
    /// The runtime did not start.
    #[error("cannot start the console's runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// Tab completes the word being typed: a command after `/`, a channel after `#`.
struct Completion;

impl Completer for Completion {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let start = line[..pos].rfind([' ', ':']).map_or(0, |at| at + 1);
        let word = &line[start..pos];
        let names: Vec<String> = if let Some(typed) = word.strip_prefix('/') {
            COMMANDS
                .iter()
                .filter(|c| c.name.starts_with(typed))
                .map(|c| format!("/{}", c.name))
                .collect()
        } else if let Some(typed) = word.strip_prefix('#') {
            CHANNELS
                .iter()
                .filter(|(_, name)| name.starts_with(typed))
                .map(|(_, name)| format!("#{name}"))
                .collect()
        } else {
            Vec::new()
        };
        Ok((start, names))
    }
}

impl Hinter for Completion {
    type Hint = String;
}

impl Highlighter for Completion {}

impl Validator for Completion {}

impl Helper for Completion {}

/// Reads and answers lines until `quit`, Ctrl-C or the end of input.
pub fn repl(app: Arc<App>) -> Result<(), ReplError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut editor: Editor<Completion, _> = Editor::new()?;
    editor.set_helper(Some(Completion));
    let channels: Vec<String> = CHANNELS
        .iter()
        .map(|(_, name)| format!("#{name}"))
        .collect();
    println!(
        "feudbot console: {} events, {} quotes, and a server of your own with the channels \
         {} (you type in {}). Type /help, a command such as /timeline year:2024, a button's \
         number, /quiz start (then answers as `alice: B`), or quit; Tab completes commands \
         and channels.",
        app.data().events().len(),
        app.data().quotes().len(),
        channels.join(", "),
        channels[0],
    );
    let (typed, mut lines) = mpsc::channel::<Result<String, ReadlineError>>(1);
    let (done, next) = std_mpsc::channel::<()>();
    // The prompt comes back once the answer to the last line is printed.
    std::thread::spawn(move || {
        loop {
            let line = editor.readline("feudbot> ");
            if let Ok(line) = &line {
                let _ = editor.add_history_entry(line);
            }
            if typed.blocking_send(line).is_err() || next.recv().is_err() {
                return;
            }
        }
    });
    let console = Console::new(app);
    runtime.block_on(async {
        let answer_lines = async {
            loop {
                let line = match lines.recv().await {
                    Some(Ok(line)) => line,
                    Some(Err(ReadlineError::Interrupted | ReadlineError::Eof)) | None => {
                        return Ok(());
                    }
                    Some(Err(error)) => return Err(ReplError::from(error)),
                };
                let line = line.trim();
                if matches!(line, "quit" | "exit" | "/quit" | "/exit") {
                    return Ok(());
                }
                if !line.is_empty() {
                    console.line(line).await;
                }
                let _ = done.send(());
            }
        };
        tokio::select! {
            () = console.run_timers() => Ok(()),
            result = answer_lines => result,
        }
    })
}

#[cfg(test)]
mod tests {
    use rustyline::history::MemHistory;

    use super::*;

    #[test]
    fn tab_completes_commands_and_channels() {
        let history = MemHistory::new();
        let context = Context::new(&history);
        let complete = |line: &str| Completion.complete(line, line.len(), &context).unwrap();
        assert_eq!(complete("/tim"), (0, vec!["/timeline".to_string()]));
        assert_eq!(
            complete("/daily set channel:#tr"),
            (19, vec!["#trivia".to_string()])
        );
        assert_eq!(complete("/daily set channel:#").1.len(), CHANNELS.len());
        assert!(complete("/search stargate").1.is_empty());
    }
}
