//! The interactive console: lines read on a thread of their own (with history and
//! editing), answered on the core's runtime, where the timers run too, so that a
//! quiz's questions close while nobody types.

use std::sync::Arc;
use std::sync::mpsc as std_mpsc;

use rustyline::error::ReadlineError;
use tokio::sync::mpsc;

use super::Console;
use crate::app::App;

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

/// Reads and answers lines until `quit`, Ctrl-C or the end of input.
pub fn repl(app: Arc<App>) -> Result<(), ReplError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut editor = rustyline::DefaultEditor::new()?;
    println!(
        "feudbot console: {} events, {} quotes. Type /help, a command such as /timeline \
         year:2024, a button's number, /quiz start (then answers as `alice: B`), or quit.",
        app.data().events().len(),
        app.data().quotes().len()
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
