//! The `feudbot` command line: the Discord bot, the console, one-shot questions, the
//! command JSON, the invite link, the dataset checker and pictures to files. Every setting is a flag and
//! an environment variable (`feudbot::config::Config`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use feudbot::app::App;
use feudbot::clock::Clock;
use feudbot::config::Config;
use feudbot::console::{self, Console};
use feudbot::data::Dataset;
use feudbot::discord;

#[derive(Parser)]
#[command(
    version,
    about = "The Musk–Altman feud over OpenAI, as a Discord bot and a console"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Discord bot (the default): needs DISCORD_TOKEN, from the environment or `.env`.
    Run {
        /// When another feudbot runs on the same database, exit (status 2) instead of
        /// waiting to take over when it stops.
        #[arg(long)]
        no_wait: bool,
    },
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
        /// The folder; --data-dir (DATA_DIR) or the built-in dataset when left out.
        dir: Option<PathBuf>,
    },
    /// Print the links that add the bot to a server (with the permissions it needs) and
    /// to a user's own apps.
    Invite {
        /// The application id; read from DISCORD_TOKEN when left out.
        #[arg(long)]
        application_id: Option<u64>,
    },
    /// Print trivia questions, to prepare a quiz or check the generator's fairness.
    Questions(QuestionsArgs),
    /// Draw a picture to a PNG file and print its path.
    Render {
        #[command(subcommand)]
        picture: Picture,
    },
}

#[derive(Subcommand)]
enum Picture {
    /// The story as a timeline, filtered as `/timeline` filters it.
    Timeline(TimelineArgs),
}

#[derive(clap::Args)]
struct TimelineArgs {
    /// A year or a range of years, e.g. 2024 or 2015-2018.
    #[arg(long)]
    year: Option<String>,
    /// Only events involving this person or organization, e.g. musk.
    #[arg(long)]
    person: Option<String>,
    /// Only events on this topic, e.g. lawsuit.
    #[arg(long)]
    tag: Option<String>,
    /// Only events matching these words.
    #[arg(long)]
    text: Option<String>,
    /// Light text on a dark card (Discord's default theme) or dark text on a white one.
    #[arg(long, default_value = "dark", value_parser = ["dark", "light"])]
    theme: String,
    /// The PNG file to write.
    #[arg(long)]
    output: PathBuf,
}

#[derive(clap::Args)]
struct QuestionsArgs {
    /// How many questions.
    #[arg(long, default_value_t = 10)]
    count: usize,
    /// Seed of the random choices: the same seed prints the same questions.
    #[arg(long)]
    seed: Option<u64>,
    /// Only this kind, e.g. `who-said-it` (an unknown name is answered with the list).
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
    // A missing .env is normal; settings then come from flags and the environment.
    let _ = dotenvy::dotenv();
    let matches = feudbot::config::skip_empty_env(Cli::command()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    // After parsing: the logger must know the token to keep it out of the logs.
    let token = cli.config.token.as_ref().map(|token| token.expose());
    if let Err(error) = feudbot::logging::init(token.as_slice(), &discord::LOG_CAPS) {
        eprintln!("warning: no logs: {error}");
    }
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn load(config: &Config) -> anyhow::Result<Arc<Dataset>> {
    let data = config.dataset().with_context(|| match &config.data_dir {
        Some(dir) => format!("cannot load the dataset in {}", dir.display()),
        None => "cannot load the built-in dataset".to_string(),
    })?;
    Ok(Arc::new(data))
}

/// The core, on the system clock and fresh randomness.
fn app(config: &Config) -> anyhow::Result<Arc<App>> {
    let data = load(config)?;
    Ok(Arc::new(App::new(
        data,
        &config.database_url,
        Clock::System,
        rand::random(),
    )))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Run { no_wait: false }) {
        Command::Run { no_wait } => {
            if let Err(error) = config.token() {
                eprintln!("error: {error}");
                return Ok(ExitCode::from(2));
            }
            let app = app(&config)?;
            tracing::info!(
                "loaded {} events and {} quotes from {}",
                app.data().events().len(),
                app.data().quotes().len(),
                config.dataset_name()
            );
            let runtime = tokio::runtime::Runtime::new().context("cannot start tokio")?;
            let when_held = if no_wait {
                discord::WhenHeld::GiveUp
            } else {
                discord::WhenHeld::Wait
            };
            let ran = runtime.block_on(discord::run(
                &config,
                app,
                when_held,
                discord::shutdown_signal(),
            ));
            match ran {
                Err(held @ discord::DiscordError::Held { .. }) => {
                    eprintln!("error: {held}");
                    Ok(ExitCode::from(2))
                }
                ran => {
                    ran?;
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
        Command::Invite { application_id } => {
            let id = application_id
                .or_else(|| config.token().ok().and_then(|token| token.application_id()));
            match id {
                Some(id) => {
                    println!("Add to a server: {}", discord::invite::invite_url(id));
                    println!("Add to my apps:  {}", discord::invite::user_install_url(id));
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
                serde_json::to_string_pretty(&discord::registration::commands_json())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckData { dir } => {
            let config = Config {
                data_dir: dir.or(config.data_dir),
                ..config
            };
            match config.dataset() {
                Ok(data) => {
                    println!(
                        "{}: ok, {} events, {} quotes, {} people, {} sources",
                        config.dataset_name(),
                        data.events().len(),
                        data.quotes().len(),
                        data.people().len(),
                        data.sources().len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(invalid) => {
                    println!("{}: {invalid}", config.dataset_name());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Ask { line } => {
            let console = Console::new(app(&config)?);
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start tokio")?;
            let refused = runtime.block_on(console.line(&line));
            Ok(if refused {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Questions(args) => {
            use rand::SeedableRng;
            let data = load(&config)?;
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
        Command::Render {
            picture: Picture::Timeline(args),
        } => {
            let data = load(&config)?;
            let filter = feudbot::commands::timeline_filter(
                &data,
                args.year.as_deref(),
                args.person.as_deref(),
                args.tag.as_deref(),
                args.text.as_deref(),
            );
            let filter = match filter {
                Ok(filter) => filter,
                Err(error) => {
                    eprintln!("error: {error}");
                    return Ok(ExitCode::from(2));
                }
            };
            if feudbot::query::timeline(&data, &filter).is_empty() {
                eprintln!(
                    "error: no event matches this filter, so there is nothing to draw. Leave \
                     out --year, --person, --tag or --text to draw the whole story."
                );
                return Ok(ExitCode::from(2));
            }
            let theme = args.theme.parse().unwrap_or_default();
            let png = feudbot::picture::timeline(&data, &filter).png(theme)?;
            std::fs::write(&args.output, png)
                .with_context(|| format!("cannot write {}", args.output.display()))?;
            println!("{}", args.output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Console => {
            console::repl(app(&config)?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
