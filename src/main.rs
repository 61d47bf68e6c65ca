//! The `feudbot` command line: the console, one-shot questions, the command JSON and
//! the dataset checker.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use feudbot::commands::{self, Args, Ctx};
use feudbot::console;
use feudbot::data::Dataset;
use feudbot::reply::Reply;
use feudbot::store::Store;

#[derive(Parser)]
#[command(
    version,
    about = "The Musk–Altman feud over OpenAI, as a Discord bot and a console"
)]
struct Cli {
    /// Folder of the dataset (people.json, events.json, quotes.json, sources.json).
    #[arg(long, env = "DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// The bot's SQLite database (daily posts), created when missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://feudbot.db",
        global = true
    )]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
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
            let mut rng = rand::rng();
            let mut ctx = Ctx {
                data: &data,
                today: chrono::Utc::now().date_naive(),
                rng: &mut rng,
            };
            let mut daily = ConsoleDaily::new(&cli.database_url, &data);
            let reply = console::answer(&mut ctx, &line, &mut None, &mut |args: &Args| {
                daily.answer(args)
            });
            print!("{}", console::render(&reply));
            Ok(if reply.is_error() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Console => {
            let data = load(&cli.data_dir)?;
            repl(&data, &cli.database_url)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `/daily` in the console and `ask`: the console's own server, the store opened on
/// first use, and the channel permission check taken as passed (there is no Discord).
struct ConsoleDaily<'a> {
    url: &'a str,
    data: &'a Dataset,
    open: Option<(tokio::runtime::Runtime, Store)>,
}

impl<'a> ConsoleDaily<'a> {
    fn new(url: &'a str, data: &'a Dataset) -> ConsoleDaily<'a> {
        ConsoleDaily {
            url,
            data,
            open: None,
        }
    }

    fn answer(&mut self, args: &Args) -> Reply {
        let open = match self.open.take() {
            Some(open) => open,
            None => match open_store(self.url) {
                Ok(open) => open,
                Err(error) => {
                    return Reply::error(&format!(
                        "Cannot open the database {}: {error:#}",
                        self.url
                    ));
                }
            },
        };
        let (runtime, store) = self.open.insert(open);
        let caller = console::caller();
        let answer =
            commands::daily::answer(store, self.data, &caller, args, chrono::Utc::now(), Ok(()));
        runtime.block_on(answer).reply
    }
}

/// The store at `url`, and a runtime to wait on it with.
fn open_store(url: &str) -> anyhow::Result<(tokio::runtime::Runtime, Store)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let store = runtime.block_on(Store::open(url))?;
    Ok((runtime, store))
}

fn repl(data: &Dataset, database_url: &str) -> anyhow::Result<()> {
    use rustyline::error::ReadlineError;
    let mut editor = rustyline::DefaultEditor::new()?;
    let mut rng = rand::rng();
    let mut last = None;
    let mut daily = ConsoleDaily::new(database_url, data);
    println!(
        "feudbot console: {} events, {} quotes. Type /help, a command such as /timeline year:2024, \
         a button's number, or quit.",
        data.events().len(),
        data.quotes().len()
    );
    loop {
        let line = match editor.readline("feudbot> ") {
            Ok(line) => line,
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => return Ok(()),
            Err(error) => return Err(error.into()),
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        editor.add_history_entry(line)?;
        if matches!(line, "quit" | "exit" | "/quit" | "/exit") {
            return Ok(());
        }
        let mut ctx = Ctx {
            data,
            today: chrono::Utc::now().date_naive(),
            rng: &mut rng,
        };
        let reply = console::answer(&mut ctx, line, &mut last, &mut |args: &Args| {
            daily.answer(args)
        });
        print!("{}", console::render(&reply));
    }
}
