//! Settings from the environment (and `.env`): what the bot needs to run, each checked
//! once at start so that a bad value names its variable.

use std::fmt;
use std::path::PathBuf;

/// The bot token: kept out of logs and debug output.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// The token itself, for the one place that hands it to the HTTP client.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The bot's application id, which Discord encodes (base64) in the token's first
    /// part; `None` when the token does not have that shape.
    pub fn application_id(&self) -> Option<u64> {
        let first = self.0.split('.').next()?;
        let decoded = decode_base64(first)?;
        std::str::from_utf8(&decoded).ok()?.parse().ok()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// Decodes standard or URL-safe base64, with or without padding.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for byte in text.bytes().filter(|&b| b != b'=') {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

/// A setting that is missing or cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No bot token.
    #[error(
        "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications \
         (New Application, then Bot, then Reset Token), put `DISCORD_TOKEN=<the token>` in a \
         `.env` file here (see .env.example), and run again. `feudbot console` works without one."
    )]
    MissingToken,
    /// A variable holds something it cannot mean.
    #[error("{variable} is `{value}`, but it must be {expected}")]
    Invalid {
        /// The variable's name.
        variable: &'static str,
        /// What it holds.
        value: String,
        /// What it should hold.
        expected: &'static str,
    },
}

/// Everything the Discord bot needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DISCORD_TOKEN`.
    pub token: Token,
    /// `DEV_GUILD_ID`: register commands in this server only (instant), not globally.
    pub dev_guild_id: Option<u64>,
    /// `DATABASE_URL`, default `sqlite://feudbot.db`.
    pub database_url: String,
    /// `DATA_DIR`, default `data`.
    pub data_dir: PathBuf,
    /// `DISCORD_API_BASE`: for tests and local development only, every REST call (and the
    /// gateway address) goes there instead of Discord.
    pub api_base: Option<String>,
}

/// The default database file.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://feudbot.db";

impl Config {
    /// Reads the settings through `var` (the environment, in `main`), checking each.
    pub fn read(
        var: impl Fn(&str) -> Option<String>,
        data_dir: PathBuf,
    ) -> Result<Config, ConfigError> {
        let set = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let token = set("DISCORD_TOKEN").ok_or(ConfigError::MissingToken)?;
        let dev_guild_id = match set("DEV_GUILD_ID") {
            None => None,
            Some(value) => Some(
                value
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|&id| id > 0)
                    .ok_or(ConfigError::Invalid {
                        variable: "DEV_GUILD_ID",
                        value,
                        expected: "a server id (a number: right-click the server, Copy Server ID)",
                    })?,
            ),
        };
        let api_base = match set("DISCORD_API_BASE") {
            None => None,
            Some(value) => {
                let trimmed = value.trim().trim_end_matches('/');
                if !(trimmed.starts_with("http://") || trimmed.starts_with("https://")) {
                    return Err(ConfigError::Invalid {
                        variable: "DISCORD_API_BASE",
                        value,
                        expected: "a base URL such as http://127.0.0.1:8080",
                    });
                }
                Some(trimmed.to_string())
            }
        };
        Ok(Config {
            token: Token(token.trim().to_string()),
            dev_guild_id,
            database_url: set("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            data_dir,
            api_base,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::read(
            |name| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            },
            PathBuf::from("data"),
        )
    }

    #[test]
    fn a_missing_token_says_how_to_get_one() {
        let error = read(&[]).unwrap_err().to_string();
        assert!(error.starts_with("DISCORD_TOKEN is not set."), "{error}");
        assert!(error.contains("feudbot console"), "{error}");
    }

    #[test]
    fn bad_values_name_their_variable() {
        let error = read(&[("DISCORD_TOKEN", "t"), ("DEV_GUILD_ID", "my server")])
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("DEV_GUILD_ID is `my server`"), "{error}");
        let error = read(&[("DISCORD_TOKEN", "t"), ("DISCORD_API_BASE", "localhost:1")])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("DISCORD_API_BASE is `localhost:1`"),
            "{error}"
        );
    }

    #[test]
    fn defaults_and_the_token_stays_out_of_debug_output() {
        let config = read(&[("DISCORD_TOKEN", "secret-token")]).unwrap();
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.dev_guild_id, None);
        assert!(!format!("{config:?}").contains("secret-token"));
    }

    #[test]
    fn the_application_id_comes_from_the_token() {
        // "MTIzNDU2Nzg5MDEyMzQ1Njc4" is base64 for "123456789012345678".
        let config = read(&[("DISCORD_TOKEN", "MTIzNDU2Nzg5MDEyMzQ1Njc4.GxYz.abc")]).unwrap();
        assert_eq!(config.token.application_id(), Some(123456789012345678));
        let config = read(&[("DISCORD_TOKEN", "not a token")]).unwrap();
        assert_eq!(config.token.application_id(), None);
    }
}
