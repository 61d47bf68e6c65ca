//! Logging: `tracing` events (and the `log` crate's records) on stderr, filtered by
//! the user's `RUST_LOG`, with two guarantees no `RUST_LOG` can lift. Caps, given by
//! the caller, hold down the targets that dump secrets in forms no redaction reads
//! (frames as hex, bodies as bytes): a cap is a second filter every event must also
//! pass, so even a more specific directive in `RUST_LOG` does not undo it. And every
//! event is redacted on its way out: the bot token, and any interaction or webhook
//! token recognised by where it stands (a route, a `token` key), becomes `[redacted]`,
//! whatever level printed it.

use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::Registry;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::{SubscriberInitExt, TryInitError};

/// What replaces a secret.
const REDACTED: &str = "[redacted]";

/// The shortest value taken for a token. Discord's are far longer (a bot token about
/// 70 bytes, a webhook token 68, an interaction token some 200); short values after a
/// `token` key are something else (`Secret([REDACTED])`, `none`).
const MIN_TOKEN_LEN: usize = 20;

/// Installs the process's logger: `RUST_LOG` (errors only when unset) under `caps`,
/// on stderr, with `secrets` (the bot token) and token-shaped values redacted. Also
/// routes the `log` crate's records (tungstenite's) through the same filters.
pub fn init(secrets: &[&str], caps: &[(&str, LevelFilter)]) -> Result<(), TryInitError> {
    let setting = std::env::var("RUST_LOG").unwrap_or_default();
    let (filter, ignored) = user_filter(&setting);
    for directive in ignored {
        eprintln!(
            "RUST_LOG: `{directive}` ignored: write a level (error, warn, info, debug, trace, \
             off), a target, or target=level"
        );
    }
    subscriber(filter, caps, Redacting::new(io::stderr, secrets)).try_init()
}

/// The filter `RUST_LOG` asks for: comma-separated directives, each a level for every
/// target (`info`), a target at every level (`feudbot`), or a target at a level
/// (`feudbot=debug`); a target covers its submodules. Errors only when there is none.
/// Returns the directives that do not parse, which are left out.
fn user_filter(setting: &str) -> (Targets, Vec<String>) {
    let mut filter = Targets::new().with_default(LevelFilter::ERROR);
    let mut ignored = Vec::new();
    let is_target = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-'))
    };
    for directive in setting.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        match directive.split_once('=') {
            Some((target, level)) if is_target(target) => match level.parse::<LevelFilter>() {
                Ok(level) => filter = filter.with_target(target, level),
                Err(_) => ignored.push(directive.to_string()),
            },
            Some(_) => ignored.push(directive.to_string()),
            None => match directive.parse::<LevelFilter>() {
                Ok(level) => filter = filter.with_default(level),
                Err(_) if is_target(directive) => {
                    filter = filter.with_target(directive, LevelFilter::TRACE);
                }
                Err(_) => ignored.push(directive.to_string()),
            },
        }
    }
    (filter, ignored)
}

/// The subscriber [`init`] installs, with the user's `filter` and any `writer`.
fn subscriber<W>(
    filter: Targets,
    caps: &[(&str, LevelFilter)],
    writer: Redacting<W>,
) -> impl tracing::Subscriber + Send + Sync + 'static
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let caps = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_targets(caps.iter().copied());
    // Both filters are global (layers of their own), not a per-layer filter on the
    // output: with a per-layer filter, the event after a sqlx query (which asks
    // `log_enabled!` and emits nothing at the usual levels) was sometimes dropped;
    // `tests/fleet.rs` waits for such a line.
    Registry::default()
        .with(filter)
        .with(caps)
        .with(tracing_subscriber::fmt::layer().with_writer(writer))
}

/// A [`MakeWriter`] that redacts each event before the inner writer sees it.
struct Redacting<W> {
    inner: W,
    redactor: Arc<Redactor>,
}

impl<W> Redacting<W> {
    /// Writes to `inner`, with `secrets` and token-shaped values redacted.
    fn new(inner: W, secrets: &[&str]) -> Redacting<W> {
        Redacting {
            inner,
            redactor: Arc::new(Redactor::new(secrets)),
        }
    }
}

impl<'a, W: MakeWriter<'a>> MakeWriter<'a> for Redacting<W> {
    type Writer = RedactingWriter<W::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.inner.make_writer(),
            redactor: Arc::clone(&self.redactor),
            event: Vec::new(),
        }
    }
}

/// One event's writer: keeps the whole event, so that no secret is split across two
/// writes, and passes it on redacted when flushed or dropped.
struct RedactingWriter<W: Write> {
    inner: W,
    redactor: Arc<Redactor>,
    event: Vec<u8>,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.event.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.event.is_empty() {
            let text = String::from_utf8_lossy(&self.event);
            self.inner
                .write_all(self.redactor.redact(&text).as_bytes())?;
            self.event.clear();
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        // Nowhere to report a failed log write; stderr closed means nobody reads.
        let _ = self.flush();
    }
}

/// Finds secrets in log text: the known ones (the bot token) anywhere, and tokens by
/// where they stand: `/interactions/{id}/{token}`, `/webhooks/{id}/{token}`, and the
/// value after a `token` key (`"token":"…"`, `token: "…"`, `token=…`, any case, so
/// `DISCORD_TOKEN=…` and `"access_token"` too). No `Debug`: it holds the bot token.
struct Redactor {
    known: Vec<String>,
}

impl Redactor {
    /// A redactor for `secrets` (empty ones are ignored) and token-shaped values.
    fn new(secrets: &[&str]) -> Redactor {
        let known = secrets
            .iter()
            .map(|secret| secret.trim())
            .filter(|secret| !secret.is_empty())
            .map(str::to_string)
            .collect();
        Redactor { known }
    }

    /// `text` with every secret found replaced by [`REDACTED`].
    fn redact(&self, text: &str) -> String {
        let mut found: Vec<Range<usize>> = Vec::new();
        for secret in &self.known {
            found.extend(
                text.match_indices(secret.as_str())
                    .map(|(at, s)| at..at + s.len()),
            );
        }
        for route in ["/interactions/", "/webhooks/"] {
            found.extend(
                text.match_indices(route)
                    .filter_map(|(at, _)| route_token(text, at + route.len())),
            );
        }
        // ASCII lowercasing keeps every byte offset.
        let lower = text.to_ascii_lowercase();
        found.extend(
            lower
                .match_indices("token")
                .filter_map(|(at, key)| keyed_token(text, at + key.len())),
        );
        if found.is_empty() {
            return text.to_string();
        }
        found.sort_by_key(|range| range.start);
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for range in found {
            if range.start >= copied {
                out.push_str(&text[copied..range.start]);
                out.push_str(REDACTED);
            }
            copied = copied.max(range.end);
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// Discord's tokens are base64url, the bot token with dots between its parts.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.')
}

/// The run of token bytes starting at `from`, if it is long enough to be a token.
fn token_at(text: &str, from: usize) -> Option<Range<usize>> {
    let len = text.as_bytes()[from..]
        .iter()
        .take_while(|&&b| is_token_byte(b))
        .count();
    (len >= MIN_TOKEN_LEN).then_some(from..from + len)
}

/// The token of a route, `{id}/{token}` from `from`: only after a numeric id, so
/// that prose mentioning a route is left alone.
fn route_token(text: &str, from: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let digits = bytes[from..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let slash = from + digits;
    if digits == 0 || bytes.get(slash) != Some(&b'/') {
        return None;
    }
    token_at(text, slash + 1)
}

/// The value after a `token` key ending at `from`: quotes (escaped or not), spaces
/// and colour codes around one `:` or `=`, then the token itself.
fn keyed_token(text: &str, from: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let skip = |mut at: usize| {
        loop {
            match bytes.get(at) {
                Some(b'"' | b'\\' | b' ') => at += 1,
                // An ANSI colour code, as the fmt layer writes around field names.
                Some(0x1b) => {
                    let end = bytes[at..].iter().position(|&b| b == b'm')?;
                    at += end + 1;
                }
                _ => return Some(at),
            }
        }
    };
    let separator = skip(from)?;
    if !matches!(bytes.get(separator), Some(b':' | b'=')) {
        return None;
    }
    token_at(text, skip(separator + 1)?)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    const BOT: &str = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.GhJkLm.the-secret-part";
    const INTERACTION: &str = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MA-secret_part";

    fn redact(text: &str) -> String {
        Redactor::new(&[BOT]).redact(text)
    }

    #[test]
    fn the_bot_token_is_redacted_wherever_it_stands() {
        assert_eq!(
            redact(&format!("headers: {{\"authorization\": \"Bot {BOT}\"}}")),
            "headers: {\"authorization\": \"Bot [redacted]\"}"
        );
        assert_eq!(redact(&format!("{BOT}{BOT}")), "[redacted][redacted]");
    }

    #[test]
    fn interaction_and_webhook_routes_lose_their_token() {
        assert_eq!(
            redact(&format!(
                "Mismatched successful response status from \
                 https://discord.com/api/v10/interactions/1577/{INTERACTION}/callback! \
                 Expected 204 but got 200"
            )),
            "Mismatched successful response status from \
             https://discord.com/api/v10/interactions/1577/[redacted]/callback! \
             Expected 204 but got 200"
        );
        assert_eq!(
            redact(&format!(
                "PATCH /webhooks/1300/{INTERACTION}/messages/@original?wait=true"
            )),
            "PATCH /webhooks/1300/[redacted]/messages/@original?wait=true"
        );
        assert_eq!(
            redact("see /interactions/{id}/{token}/callback"),
            "see /interactions/{id}/{token}/callback",
            "a route's template has no token"
        );
    }

    #[test]
    fn a_token_key_loses_its_value_in_json_debug_and_fields() {
        for (line, expected) in [
            (
                format!(r#"{{"id":"1","token":"{INTERACTION}","version":1}}"#),
                r#"{"id":"1","token":"[redacted]","version":1}"#.to_string(),
            ),
            (
                format!(r#"text: "{{\"token\": \"{INTERACTION}\"}}""#),
                r#"text: "{\"token\": \"[redacted]\"}""#.to_string(),
            ),
            (
                format!(
                    "route: InteractionResponse {{ interaction_id: InteractionId(1), \
                     token: \"{INTERACTION}\" }}"
                ),
                "route: InteractionResponse { interaction_id: InteractionId(1), \
                 token: \"[redacted]\" }"
                    .to_string(),
            ),
            (
                format!("\x1b[3mtoken\x1b[0m\x1b[2m=\x1b[0m{INTERACTION} done"),
                "\x1b[3mtoken\x1b[0m\x1b[2m=\x1b[0m[redacted] done".to_string(),
            ),
            (
                format!("DISCORD_TOKEN={INTERACTION}"),
                "DISCORD_TOKEN=[redacted]".to_string(),
            ),
        ] {
            assert_eq!(redact(&line), expected);
        }
    }

    #[test]
    fn ordinary_lines_are_left_alone() {
        for line in [
            "DISCORD_TOKEN is not set.",
            "token: Secret([REDACTED alloc::string::String])",
            "tokens: 3, token_type=Bearer",
            "command=timeline button custom_id=timeline:2:",
            "naïve «token» talk, token=none",
            "/webhooks/1/short /interactions/x/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MA",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    /// Collects what the logger writes.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Sink {
        type Writer = Sink;

        fn make_writer(&'a self) -> Sink {
            self.clone()
        }
    }

    #[test]
    fn caps_hold_whatever_the_filter_says_and_the_rest_is_redacted() {
        let sink = Sink::default();
        let subscriber = subscriber(
            user_filter("trace,frames=trace,frames::inner=trace").0,
            &[("frames", LevelFilter::DEBUG)],
            Redacting::new(sink.clone(), &[BOT]),
        );
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "frames::inner", "payload: 0x{}", "7b22");
            tracing::debug!(target: "frames", "handshake done");
            tracing::trace!(target: "app", "identify with {BOT}");
            tracing::debug!(target: "app", "POST /interactions/1/{INTERACTION}/callback");
        });
        let logs =
            String::from_utf8_lossy(&sink.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
        assert!(!logs.contains("0x7b22"), "{logs}");
        assert!(logs.contains("handshake done"), "{logs}");
        assert!(logs.contains("identify with [redacted]"), "{logs}");
        assert!(
            logs.contains("POST /interactions/1/[redacted]/callback"),
            "{logs}"
        );
        assert!(!logs.contains(BOT) && !logs.contains(INTERACTION), "{logs}");
    }

    #[test]
    fn rust_log_takes_levels_targets_and_both_and_names_what_it_ignores() {
        use tracing::Level;
        let (filter, ignored) =
            user_filter("info, feudbot=debug,sqlx ,web::http=off,=debug,feudbot=loud,a b");
        assert_eq!(ignored, ["=debug", "feudbot=loud", "a b"]);
        assert!(filter.would_enable("feudbot::discord", &Level::DEBUG));
        assert!(!filter.would_enable("feudbot::discord", &Level::TRACE));
        assert!(filter.would_enable("sqlx::query", &Level::TRACE));
        assert!(!filter.would_enable("web::http::client", &Level::ERROR));
        assert!(filter.would_enable("web::gateway", &Level::INFO));
        assert!(!filter.would_enable("tokio", &Level::DEBUG));
        let (unset, none) = user_filter("");
        assert!(none.is_empty());
        assert!(unset.would_enable("feudbot", &Level::ERROR));
        assert!(!unset.would_enable("feudbot", &Level::WARN));
    }
}
