//! Every setting, from a command-line flag or its environment variable (or `.env`),
//! read by clap in one place and checked as it is read, so that a bad value names its
//! flag and its variable. The token is kept out of help, logs and debug output.

use std::fmt;
use std::path::PathBuf;

use base64::Engine;

use crate::data::{Dataset, InvalidData};
use crate::store::ShardRange;

/// The default database file.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://feudbot.db";

/// The bot token: kept out of logs and debug output.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// The token `text`, as the Developer Portal shows it.
    pub fn new(text: &str) -> Token {
        Token(text.trim().to_string())
    }

    /// The token itself, for the one place that hands it to the HTTP client.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The bot's application id, which Discord encodes (base64) in the token's first
    /// part; `None` when the token does not have that shape.
    pub fn application_id(&self) -> Option<u64> {
        let first = self.0.split('.').next()?;
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(first.trim_end_matches('='))
            .ok()?;
        std::str::from_utf8(&decoded).ok()?.parse().ok()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// A setting that is missing.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No bot token.
    #[error(
        "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications \
         (New Application, then Bot, then Reset Token), put `DISCORD_TOKEN=<the token>` in a \
         `.env` file here (see .env.example), and run again. `feudbot console` works without one."
    )]
    MissingToken,
}

/// Every setting of the bot; each is a flag (before or after the subcommand) and an
/// environment variable.
#[derive(clap::Args, Clone, Debug)]
pub struct Config {
    /// The bot's token; needed by `feudbot run` only. Best set in `.env`.
    #[arg(long, env = "DISCORD_TOKEN", global = true, hide = true, value_parser = token)]
    pub token: Option<Token>,
    /// Register the commands in this server only (instant), instead of globally.
    #[arg(long, env = "DEV_GUILD_ID", global = true, value_parser = server_id)]
    pub dev_guild_id: Option<u64>,
    /// The database of scores and daily posts: a SQLite file (created when missing) or,
    /// for several processes, a PostgreSQL database (postgres://user@host/name).
    #[arg(long, env = "DATABASE_URL", global = true, default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// How many shards the bot has in all (default: the count Discord recommends). Every
    /// process of a fleet must say the same.
    #[arg(long, env = "SHARD_COUNT", global = true, value_parser = shard_count)]
    pub shard_count: Option<u32>,
    /// The shards this process runs, e.g. 0-3 or 2 (default: all); needs SHARD_COUNT and
    /// a PostgreSQL DATABASE_URL.
    #[arg(long, env = "SHARDS", global = true)]
    pub shards: Option<ShardRange>,
    /// A dataset folder to serve instead of the one built in.
    #[arg(long, env = "DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Send every REST call (and take the gateway address) from this base URL instead
    /// of Discord, e.g. http://127.0.0.1:8080: a rate-limiting proxy shared by a fleet,
    /// or a fake Discord in tests.
    #[arg(long, env = "DISCORD_API_BASE", global = true, value_parser = base_url)]
    pub api_base: Option<String>,
    /// Serve GET /healthz and GET /metrics (Prometheus) on this address, e.g.
    /// 127.0.0.1:9100 (default: off).
    #[arg(long, env = "HEALTH_ADDR", global = true)]
    pub health_addr: Option<std::net::SocketAddr>,
}

fn token(text: &str) -> Result<Token, String> {
    Ok(Token::new(text))
}

fn shard_count(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|&count| count > 0)
        .ok_or_else(|| "it must be a number of shards, 1 or more (SHARD_COUNT)".to_string())
}

fn server_id(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| {
            "it must be a server id, a number: right-click the server, Copy Server ID (DEV_GUILD_ID)"
                .to_string()
        })
}

fn base_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_end_matches('/');
    if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        Ok(trimmed.to_string())
    } else {
        Err("it must be a base URL such as http://127.0.0.1:8080 (DISCORD_API_BASE)".to_string())
    }
}

/// `command` with the environment variables that are set but empty left out, so that
/// `DEV_GUILD_ID=` (as in a copied `.env.example`) means "not set", as a missing flag
/// does, rather than a value to refuse.
pub fn skip_empty_env(mut command: clap::Command) -> clap::Command {
    let empty: Vec<clap::Id> = command
        .get_arguments()
        .filter(|arg| {
            arg.get_env()
                .and_then(std::env::var_os)
                .is_some_and(|value| value.is_empty())
        })
        .map(|arg| arg.get_id().clone())
        .collect();
    for id in empty {
        command = command.mut_arg(id, |arg| arg.env(None));
    }
    command
}

impl Config {
    /// The bot token, or why there is none.
    pub fn token(&self) -> Result<&Token, ConfigError> {
        self.token
            .as_ref()
            .filter(|token| !token.0.is_empty())
            .ok_or(ConfigError::MissingToken)
    }

    /// The dataset of [`Config::data_dir`], or the one built in.
    pub fn dataset(&self) -> Result<Dataset, InvalidData> {
        match &self.data_dir {
            Some(dir) => Dataset::load(dir),
            None => Dataset::shipped(),
        }
    }

    /// Where the dataset comes from, for messages: its folder, or `built-in dataset`.
    pub fn dataset_name(&self) -> String {
        match &self.data_dir {
            Some(dir) => dir.display().to_string(),
            None => "built-in dataset".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    fn parse(args: &[&str]) -> Result<Config, String> {
        Cli::try_parse_from([&["feudbot"], args].concat())
            .map(|cli| cli.config)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn a_missing_token_says_how_to_get_one() {
        let config = parse(&[]).unwrap();
        let error = config.token().unwrap_err().to_string();
        assert!(error.starts_with("DISCORD_TOKEN is not set."), "{error}");
        assert!(error.contains("feudbot console"), "{error}");
    }

    #[test]
    fn bad_values_name_their_flag_and_variable() {
        let error = parse(&["--dev-guild-id", "my server"]).unwrap_err();
        assert!(error.contains("--dev-guild-id"), "{error}");
        assert!(error.contains("DEV_GUILD_ID"), "{error}");
        let error = parse(&["--api-base", "localhost:1"]).unwrap_err();
        assert!(error.contains("--api-base"), "{error}");
        assert!(error.contains("DISCORD_API_BASE"), "{error}");
    }

    #[test]
    fn defaults_and_the_token_stays_out_of_debug_output() {
        let config = parse(&["--token", "secret-token"]).unwrap();
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.dev_guild_id, None);
        assert!(!format!("{config:?}").contains("secret-token"));
    }

    #[test]
    fn the_application_id_comes_from_the_token() {
        // "MTIzNDU2Nzg5MDEyMzQ1Njc4" is base64 for "123456789012345678".
        let config = parse(&["--token", "MTIzNDU2Nzg5MDEyMzQ1Njc4.GxYz.abc"]).unwrap();
        assert_eq!(
            config.token().unwrap().application_id(),
            Some(123456789012345678)
        );
        let config = parse(&["--token", "not a token"]).unwrap();
        assert_eq!(config.token().unwrap().application_id(), None);
    }
}
