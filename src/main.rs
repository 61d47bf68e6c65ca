//! The `feudbot` command line: the Discord bot, the console, one-shot questions, the
//! command JSON, the invite link and the dataset checker.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use feudbot::commands;
use feudbot::config::{Config, ConfigError};
use feudbot::console;
use feudbot::data::Dataset;
use feudbot::discord;

#[derive(Parser)]
#[command(
    version,
    about = "The Musk–Altman feud over OpenAI, as a Discord bot and a console"
)]
struct Cli {
    /// Folder of the dataset (people.json, events.json, quotes.json, sources.json).
    #[arg(long, env = "DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// The SQLite database of scores and daily posts, created when missing; the
    /// console opens it when a game or `/daily` needs it.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = feudbot::config::DEFAULT_DATABASE_URL,
        global = true
    )]
    database_url: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Discord bot (the default): needs DISCORD_TOKEN, from the environment or `.env`.
    Run,
    /// Type commands as in Discord (`/timeline year:2024`); `quit` to leave.
    Console,
    /// Answer one command line, e.g. `feudbot ask "/timeline year:2024"`.
    Ask {
        /// The command, as typed in Discord.
        line: String,
    },
    /// Print the slash commands as Discord registers them.
    Commands {
        /// As the JSON array for `PUT /applications/{id}/commands` (the only format).
        #[arg(long)]
        json: bool,
    },
    /// Check a dataset folder and print every problem found.
    CheckData {
        /// The folder; DATA_DIR or `data` when left out.
        dir: Option<PathBuf>,
    },
    /// Print the link that adds the bot to a server, with the permissions it needs.
    Invite {
        /// The application id; read from DISCORD_TOKEN when left out.
        #[arg(long)]
        application_id: Option<u64>,
    },
    /// Print trivia questions, to prepare a quiz or check the generator's fairness.
    Questions(QuestionsArgs),
}

#[derive(clap::Args)]
struct QuestionsArgs {
    /// How many questions.
    #[arg(long, default_value_t = 10)]
    count: usize,
    /// Seed of the random choices: the same seed prints the same questions.
    #[arg(long)]
    seed: Option<u64>,
    /// Only this kind: who-said-it, when, which-first, numbers, who, hand-written.
    #[arg(long)]
    kind: Option<feudbot::quiz::Kind>,
    /// Only this difficulty: easy, medium, hard.
    #[arg(long)]
    difficulty: Option<feudbot::quiz::Difficulty>,
    /// As a JSON array (the only format).
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    // A missing .env is normal; settings then come from the environment alone.
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn load(dir: &std::path::Path) -> anyhow::Result<Dataset> {
    Dataset::load(dir).with_context(|| format!("cannot load the dataset in {}", dir.display()))
}

/// The time, as the game and the console read it.
fn now() -> feudbot::quiz::UnixMillis {
    feudbot::quiz::UnixMillis::from_system(std::time::SystemTime::now())
}

/// Reads the bot's settings from the environment (`.env` already loaded).
fn config(data_dir: PathBuf) -> Result<Config, ConfigError> {
    Config::read(|name| std::env::var(name).ok(), data_dir)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => {
            let config = match config(cli.data_dir) {
                Ok(config) => config,
                Err(error) => {
                    eprintln!("error: {error}");
                    return Ok(ExitCode::from(2));
                }
            };
            let data = Arc::new(load(&config.data_dir)?);
            tracing::info!(
                "loaded {} events and {} quotes from {}",
                data.events().len(),
                data.quotes().len(),
                config.data_dir.display()
            );
            let runtime = tokio::runtime::Runtime::new().context("cannot start tokio")?;
            runtime.block_on(discord::run(
                config,
                data,
                feudbot::clock::Clock::System,
                discord::shutdown_signal(),
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Invite { application_id } => {
            let id = match application_id {
                Some(id) => Some(id),
                None => config(cli.data_dir)
                    .ok()
                    .and_then(|config| config.token.application_id()),
            };
            match id {
                Some(id) => {
                    println!("{}", discord::invite::invite_url(id));
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!(
                        "error: no application id. Set DISCORD_TOKEN (in .env) or pass \
                         --application-id (Developer Portal, your application, General Information)."
                    );
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Commands { .. } => {
            println!(
                "{}",
                serde_json::to_string_pretty(&commands::registration())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckData { dir } => {
            let dir = dir.unwrap_or(cli.data_dir);
            match Dataset::load(&dir) {
                Ok(data) => {
                    println!(
                        "{}: ok, {} events, {} quotes, {} people, {} sources",
                        dir.display(),
                        data.events().len(),
                        data.quotes().len(),
                        data.people().len(),
                        data.sources().len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(invalid) => {
                    println!("{}: {invalid}", dir.display());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Ask { line } => {
            let data = load(&cli.data_dir)?;
            let mut console = console::Console::new(&data, &cli.database_url, rand::random())?;
            let (text, refused) = console.answer_line(&line, now());
            print!("{text}");
            Ok(if refused {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Questions(args) => {
            use rand::SeedableRng;
            let data = load(&cli.data_dir)?;
            let bank = feudbot::quiz::QuestionBank::new(&data);
            let seed = args.seed.unwrap_or_else(rand::random);
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let filter = feudbot::quiz::Filter {
                kind: args.kind,
                difficulty: args.difficulty,
            };
            println!(
                "{}",
                feudbot::quiz::questions_json(&bank, args.count, &filter, &mut rng)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Console => {
            let data = load(&cli.data_dir)?;
            repl(&data, &cli.database_url)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads lines on a thread of their own, so that a quiz's deadlines pass (and its
/// questions close) while nobody types.
fn repl(data: &Dataset, database_url: &str) -> anyhow::Result<()> {
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::Duration;

    use rustyline::error::ReadlineError;

    let mut editor = rustyline::DefaultEditor::new()?;
    let mut console = console::Console::new(data, database_url, rand::random())?;
    println!(
        "feudbot console: {} events, {} quotes. Type /help, a command such as /timeline year:2024, \
         a button's number, /quiz start (then answers as `alice: B`), or quit.",
        data.events().len(),
        data.quotes().len()
    );
    let (lines, typed) = mpsc::channel::<Result<String, ReadlineError>>();
    let (done, next) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        loop {
            let line = editor.readline("feudbot> ");
            if let Ok(line) = &line {
                let _ = editor.add_history_entry(line);
            }
            // Stop when the console is gone, or after the line it could not read.
            if lines.send(line).is_err() || next.recv().is_err() {
                return;
            }
        }
    });
    loop {
        let wait = console.next_wake().map_or(Duration::from_secs(3600), |at| {
            Duration::from_millis(at.millis_since(now()))
        });
        let line = match typed.recv_timeout(wait) {
            Ok(Ok(line)) => line,
            Ok(Err(ReadlineError::Interrupted | ReadlineError::Eof))
            | Err(RecvTimeoutError::Disconnected) => return Ok(()),
            Ok(Err(error)) => return Err(error.into()),
            Err(RecvTimeoutError::Timeout) => {
                print!("{}", console.tick(now()));
                continue;
            }
        };
        let line = line.trim();
        if matches!(line, "quit" | "exit" | "/quit" | "/exit") {
            return Ok(());
        }
        if !line.is_empty() {
            print!("{}", console.line(line, now()));
        }
        done.send(())?;
    }
}
