//! Command options: how they are declared, and how typed or Discord-sent values are
//! checked against the declaration before a handler sees them.

use serde_json::{Value as Json, json};

use super::{CommandSpec, UserError, find, usage_line};
use crate::data::Dataset;
use crate::reply::{fit, limits::CHOICE_MAX, limits::CHOICES_MAX};
use crate::search::DocKind;

/// The type of an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// A text channel of the server, sent by Discord as its id (`<#id>` in the console).
    Channel,
    /// A member of the server, sent by Discord as their id (`<@id>` in the console).
    User,
}

/// What autocomplete offers for an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completion {
    /// Events, by title.
    Events,
    /// People and organizations, by name and alias.
    People,
    /// Quotes, by their words.
    Quotes,
    /// Event tags.
    Tags,
    /// IANA time zones, by name or city.
    TimeZones,
}

/// One option of a command.
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    /// Name, as typed before `:`.
    pub name: &'static str,
    /// One line for users (at most 100 characters).
    pub description: &'static str,
    /// Type of value.
    pub kind: OptionKind,
    /// Whether the command needs it.
    pub required: bool,
    /// What autocomplete offers, if anything.
    pub completion: Option<Completion>,
    /// Smallest and largest allowed integer.
    pub range: Option<(i64, i64)>,
    /// Longest allowed text, in characters.
    pub max_length: Option<usize>,
    /// The only values allowed, when the option is a pick from a list.
    pub choices: &'static [&'static str],
    /// What to type, as shown in usage lines: `2024 or 2015-2018`.
    pub placeholder: &'static str,
}

/// A subcommand, e.g. the `start` of `/quiz start`, with its own options.
pub struct SubcommandSpec {
    /// Name, as typed after the command.
    pub name: &'static str,
    /// One line on what it does (at most 100 characters).
    pub description: &'static str,
    /// Its options, in the order they are offered.
    pub options: &'static [OptionSpec],
}

impl SubcommandSpec {
    /// This subcommand as Discord's application command option JSON (type 1).
    pub fn registration(&self) -> Json {
        json!({
            "type": 1,
            "name": self.name,
            "description": self.description,
            "options": self.options.iter().map(OptionSpec::registration).collect::<Vec<_>>(),
        })
    }
}

impl OptionSpec {
    /// An optional text option.
    pub const fn text(
        name: &'static str,
        description: &'static str,
        placeholder: &'static str,
    ) -> Self {
        OptionSpec {
            name,
            description,
            kind: OptionKind::Text,
            required: false,
            completion: None,
            range: None,
            max_length: None,
            choices: &[],
            placeholder,
        }
    }

    /// An optional channel option: a text channel of the server.
    pub const fn channel(
        name: &'static str,
        description: &'static str,
        placeholder: &'static str,
    ) -> Self {
        OptionSpec {
            kind: OptionKind::Channel,
            ..OptionSpec::text(name, description, placeholder)
        }
    }

    /// An optional user option: a member of the server.
    pub const fn user(
        name: &'static str,
        description: &'static str,
        placeholder: &'static str,
    ) -> Self {
        OptionSpec {
            kind: OptionKind::User,
            ..OptionSpec::text(name, description, placeholder)
        }
    }

    /// An optional integer option between `min` and `max`.
    pub const fn integer(
        name: &'static str,
        description: &'static str,
        placeholder: &'static str,
        min: i64,
        max: i64,
    ) -> Self {
        OptionSpec {
            kind: OptionKind::Integer,
            range: Some((min, max)),
            ..OptionSpec::text(name, description, placeholder)
        }
    }

    /// The same option, required.
    pub const fn required(self) -> Self {
        OptionSpec {
            required: true,
            ..self
        }
    }

    /// The same option, with autocomplete.
    pub const fn complete(self, completion: Completion) -> Self {
        OptionSpec {
            completion: Some(completion),
            ..self
        }
    }

    /// The same option, limited to these values.
    pub const fn choices(self, choices: &'static [&'static str]) -> Self {
        OptionSpec { choices, ..self }
    }

    /// The same option, with at most `length` characters.
    pub const fn max_length(self, length: usize) -> Self {
        OptionSpec {
            max_length: Some(length),
            ..self
        }
    }

    /// This option as Discord's application command option JSON.
    pub fn registration(&self) -> Json {
        let mut option = json!({
            "type": match self.kind {
                OptionKind::Text => 3,
                OptionKind::Integer => 4,
                OptionKind::Channel => 7,
                OptionKind::User => 6,
            },
            "name": self.name,
            "description": self.description,
            "required": self.required,
        });
        if self.completion.is_some() {
            option["autocomplete"] = json!(true);
        }
        if let Some((min, max)) = self.range {
            option["min_value"] = json!(min);
            option["max_value"] = json!(max);
        }
        if let Some(length) = self.max_length {
            option["max_length"] = json!(length);
        }
        if !self.choices.is_empty() {
            option["choices"] = self
                .choices
                .iter()
                .map(|choice| json!({ "name": choice, "value": choice }))
                .collect();
        }
        if self.kind == OptionKind::Channel {
            // Text and announcement channels: where the bot can post.
            option["channel_types"] = json!([0, 5]);
        }
        option
    }
}

/// A value as the user gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text (everything typed in the console is text).
    Text(String),
    /// An integer, as Discord sends integer options.
    Integer(i64),
}

/// A command as invoked: its name and the options given, not yet checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// Command name, without `/`.
    pub command: String,
    /// Subcommand name, for commands that have them (`start` in `/quiz start`).
    pub subcommand: Option<String>,
    /// Option names and values, in the order given.
    pub options: Vec<(String, Value)>,
}

/// An autocomplete choice: what the user sees, and what the option is set to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Shown in the list (at most 100 characters).
    pub name: String,
    /// Sent back as the option's value (at most 100 characters): an id.
    pub value: String,
}

/// Checked option values, as their spec declares them.
#[derive(Debug, Default)]
pub struct Args {
    subcommand: Option<&'static str>,
    values: Vec<(&'static str, Value)>,
}

/// What one invocation is checked against: a command, or one of its subcommands.
struct Form<'s> {
    /// `/timeline` or `/quiz start`.
    head: String,
    options: &'s [OptionSpec],
}

impl Form<'_> {
    fn usage(&self) -> String {
        usage_line(&self.head, self.options)
    }
}

/// The command or subcommand `invocation` names.
fn form<'s>(
    spec: &'s CommandSpec,
    invocation: &Invocation,
) -> Result<(Option<&'static str>, Form<'s>), UserError> {
    if spec.subcommands.is_empty() {
        let form = Form {
            head: format!("/{}", spec.name),
            options: spec.options,
        };
        return Ok((None, form));
    }
    let wanted = invocation.subcommand.as_deref().unwrap_or("");
    match spec.subcommands.iter().find(|sub| sub.name == wanted) {
        Some(sub) => Ok((
            Some(sub.name),
            Form {
                head: format!("/{} {}", spec.name, sub.name),
                options: sub.options,
            },
        )),
        None => {
            let heads: Vec<String> = spec
                .subcommands
                .iter()
                .map(|sub| format!("`/{} {}`", spec.name, sub.name))
                .collect();
            let said = if wanted.is_empty() {
                format!("`/{}` needs one more word.", spec.name)
            } else {
                format!("`/{}` has no `{wanted}`.", spec.name)
            };
            Err(UserError(format!(
                "{said} Type one of: {}.",
                heads.join(", ")
            )))
        }
    }
}

impl Args {
    /// Checks `invocation` against `spec`: the subcommand known (when the command has
    /// them), every option known, given once, of the right type and size, and every
    /// required one present.
    pub fn parse(spec: &CommandSpec, invocation: &Invocation) -> Result<Args, UserError> {
        let (subcommand, form) = form(spec, invocation)?;
        let mut args = Args {
            subcommand,
            values: Vec::new(),
        };
        for (name, value) in &invocation.options {
            let Some(option) = form.options.iter().find(|o| o.name == name.as_str()) else {
                return Err(unknown_option(&form, name));
            };
            if args.values.iter().any(|(n, _)| *n == option.name) {
                return Err(UserError(format!("Give `{name}` only once.")));
            }
            let value = check_value(&form, option, value)?;
            args.values.push((option.name, value));
        }
        if let Some(missing) = form
            .options
            .iter()
            .find(|o| o.required && !args.values.iter().any(|(n, _)| *n == o.name))
        {
            return Err(UserError(format!(
                "`{}` needs `{}` ({}). Type it like this: `{}`",
                form.head,
                missing.name,
                missing.description,
                form.usage()
            )));
        }
        Ok(args)
    }

    /// The subcommand given, for commands that have them.
    pub fn subcommand(&self) -> Option<&'static str> {
        self.subcommand
    }

    /// The user id of option `name`, if given.
    pub fn user(&self, name: &str) -> Option<u64> {
        self.text(name).and_then(|text| text.parse().ok())
    }

    /// The channel id of option `name`, if given.
    pub fn channel(&self, name: &str) -> Option<u64> {
        self.text(name).and_then(|text| text.parse().ok())
    }

    /// The text of option `name`, if given.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.iter().find_map(|(n, v)| match v {
            Value::Text(text) if *n == name => Some(text.as_str()),
            _ => None,
        })
    }

    /// The integer of option `name`, if given.
    pub fn integer(&self, name: &str) -> Option<i64> {
        self.values.iter().find_map(|(n, v)| match v {
            Value::Integer(number) if *n == name => Some(*number),
            _ => None,
        })
    }
}

fn unknown_option(form: &Form, name: &str) -> UserError {
    if form.options.is_empty() {
        return UserError(format!(
            "`{}` takes no options: type just `{}`.",
            form.head, form.head
        ));
    }
    let names = form.options.iter().map(|o| o.name);
    let hint = match crate::query::closest(name, names, 1).first() {
        Some(close) => format!(" Did you mean `{close}`?"),
        None => String::new(),
    };
    UserError(format!(
        "`{}` has no option `{name}`.{hint} Type it like this: `{}`",
        form.head,
        form.usage()
    ))
}

/// A channel as Discord sends it (`123`) or as typed in the console (`<#123>`, `#123`).
fn channel_id(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .strip_prefix("<#")
        .and_then(|t| t.strip_suffix('>'))
        .or_else(|| text.strip_prefix('#'))
        .unwrap_or(text);
    digits.parse().ok().filter(|&id| id > 0)
}

/// A user as Discord sends it (`123`) or as typed in the console (`<@123>`, `<@!123>`).
fn user_id(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .strip_prefix("<@")
        .and_then(|t| t.strip_suffix('>'))
        .map(|t| t.trim_start_matches('!'))
        .unwrap_or(text);
    digits.parse().ok().filter(|&id| id > 0)
}

fn check_value(form: &Form, option: &OptionSpec, value: &Value) -> Result<Value, UserError> {
    let example = format!("`{} {}:{}`", form.head, option.name, option.placeholder);
    match (option.kind, value) {
        (OptionKind::User, value) => {
            let text = match value {
                Value::Text(text) => text.clone(),
                Value::Integer(number) => number.to_string(),
            };
            let id = user_id(&text).ok_or_else(|| {
                UserError(format!(
                    "`{}` must be a member of this server: pick one from the list, e.g. {example}",
                    option.name
                ))
            })?;
            Ok(Value::Text(id.to_string()))
        }
        (OptionKind::Channel, value) => {
            let text = match value {
                Value::Text(text) => text.clone(),
                Value::Integer(number) => number.to_string(),
            };
            let id = channel_id(&text).ok_or_else(|| {
                UserError(format!(
                    "`{}` must be a channel: pick one from the list, e.g. {example}",
                    option.name
                ))
            })?;
            Ok(Value::Text(id.to_string()))
        }
        (OptionKind::Text, value) if !option.choices.is_empty() => {
            let text = match value {
                Value::Text(text) => text.trim().to_lowercase(),
                Value::Integer(number) => number.to_string(),
            };
            match option.choices.iter().find(|choice| **choice == text) {
                Some(choice) => Ok(Value::Text(choice.to_string())),
                None => Err(UserError(format!(
                    "`{}` can be {}. Type it like this: {example}",
                    option.name,
                    option
                        .choices
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
        (OptionKind::Text, Value::Integer(number)) => Ok(Value::Text(number.to_string())),
        (OptionKind::Text, Value::Text(text)) => {
            let text = text.trim();
            if text.is_empty() {
                return Err(UserError(format!(
                    "`{}` is empty. Type it like this: {example}",
                    option.name
                )));
            }
            if let Some(max) = option.max_length
                && text.chars().count() > max
            {
                return Err(UserError(format!(
                    "`{}` can be at most {max} characters long; shorten it, e.g. {example}",
                    option.name
                )));
            }
            Ok(Value::Text(text.to_string()))
        }
        (OptionKind::Integer, value) => {
            let number = match value {
                Value::Integer(number) => Some(*number),
                Value::Text(text) => text.trim().parse().ok(),
            };
            let Some(number) = number else {
                return Err(UserError(format!(
                    "`{}` must be a whole number. Type it like this: {example}",
                    option.name
                )));
            };
            if let Some((min, max)) = option.range
                && !(min..=max).contains(&number)
            {
                return Err(UserError(format!(
                    "`{}` must be between {min} and {max}. Type it like this: {example}",
                    option.name
                )));
            }
            Ok(Value::Integer(number))
        }
    }
}

/// Reads a console line such as `/timeline year:2024 person:musk` or
/// `/search stargate announcement` (text before any option goes to the first required
/// option, or the first option).
pub fn parse_line(line: &str) -> Result<Invocation, UserError> {
    let line = line.trim();
    let line = line.strip_prefix('/').unwrap_or(line);
    let (command, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let command = command.to_lowercase();
    if command.is_empty() {
        return Err(UserError(
            "Type a command, e.g. `/timeline year:2024`, or `/help`.".into(),
        ));
    }
    let spec = find(&command).ok_or_else(|| super::unknown_command(&command))?;
    let mut words = split_words(rest);
    let subcommand = if spec.subcommands.is_empty() || words.is_empty() {
        None
    } else {
        Some(words.remove(0).to_lowercase())
    };
    let option_specs = spec
        .subcommands
        .iter()
        .find(|sub| Some(sub.name) == subcommand.as_deref())
        .map_or(spec.options, |sub| sub.options);
    let mut options: Vec<(String, Vec<String>)> = Vec::new();
    let mut loose: Vec<String> = Vec::new();
    for word in words {
        match option_start(&word) {
            Some((name, value)) => options.push((name, vec![value])),
            None => match options.last_mut() {
                Some((_, words)) => words.push(word),
                None => loose.push(word),
            },
        }
    }
    if !loose.is_empty() {
        let target = option_specs
            .iter()
            .find(|o| o.required)
            .or(option_specs.first())
            .ok_or_else(|| {
                let head = match &subcommand {
                    Some(sub) => format!("/{command} {sub}"),
                    None => format!("/{command}"),
                };
                let form = Form {
                    head,
                    options: option_specs,
                };
                unknown_option(&form, &loose.join(" "))
            })?;
        options.insert(0, (target.name.to_string(), loose));
    }
    Ok(Invocation {
        command,
        subcommand,
        options: options
            .into_iter()
            .map(|(name, words)| (name, Value::Text(unquote(&words.join(" ")))))
            .collect(),
    })
}

/// Splits on white space, keeping "quoted words" together (quotes kept, removed later).
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `name:value` where name looks like an option name.
fn option_start(word: &str) -> Option<(String, String)> {
    let (name, value) = word.split_once(':')?;
    let looks_like_name = name.chars().next()?.is_ascii_alphabetic()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    looks_like_name.then(|| (name.to_lowercase(), value.to_string()))
}

fn unquote(text: &str) -> String {
    let text = text.trim();
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
        .to_string()
}

impl Completion {
    /// Up to 25 choices for what was typed: matching names first, then close ones.
    /// With nothing typed, the first entries in their natural order.
    pub fn choices(self, data: &Dataset, typed: &str) -> Vec<Choice> {
        let choice = |name: String, value: &str| Choice {
            name: fit(&name, CHOICE_MAX),
            value: value.to_string(),
        };
        let positions = |kind: DocKind, count: usize| -> Vec<usize> {
            if typed.trim().is_empty() {
                (0..count.min(CHOICES_MAX)).collect()
            } else {
                data.index()
                    .complete(kind, typed, CHOICES_MAX)
                    .into_iter()
                    .map(|i| i as usize)
                    .collect()
            }
        };
        match self {
            Completion::Events => positions(DocKind::Event, data.events().len())
                .into_iter()
                .map(|i| &data.events()[i])
                .map(|e| choice(format!("{} · {}", e.date, e.title), &e.id))
                .collect(),
            Completion::People => positions(DocKind::Person, data.people().len())
                .into_iter()
                .map(|i| &data.people()[i])
                .map(|p| choice(p.name.clone(), &p.id))
                .collect(),
            Completion::Quotes => positions(DocKind::Quote, data.quotes().len())
                .into_iter()
                .map(|i| &data.quotes()[i])
                .map(|q| choice(format!("“{}” — {}", q.text, data.speakers(q)), &q.id))
                .collect(),
            Completion::Tags => {
                let names = data.tags().iter().map(|(tag, _)| tag.as_str());
                let picked: Vec<&str> = if typed.trim().is_empty() {
                    names.take(CHOICES_MAX).collect()
                } else {
                    crate::query::closest(typed.trim(), names, CHOICES_MAX)
                };
                picked
                    .into_iter()
                    .map(|tag| {
                        let count = data.tag_count(tag);
                        choice(format!("{tag} ({count} events)"), tag)
                    })
                    .collect()
            }
            Completion::TimeZones => crate::daily::zone_choices(typed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, value: &str) -> (String, Value) {
        (name.to_string(), Value::Text(value.to_string()))
    }

    #[test]
    fn console_lines_split_into_options() {
        let parsed = parse_line("/timeline year:2015-2018 person:Elon Musk").unwrap();
        assert_eq!(parsed.command, "timeline");
        assert_eq!(
            parsed.options,
            [text("year", "2015-2018"), text("person", "Elon Musk")]
        );
        let parsed = parse_line("search  \"open source\"").unwrap();
        assert_eq!(parsed.options, [text("query", "open source")]);
        let parsed = parse_line("/search query:10:30 am").unwrap();
        assert_eq!(parsed.options, [text("query", "10:30 am")]);
    }

    fn nothing(_: &mut crate::commands::Ctx, _: &Args) -> Result<crate::reply::Reply, UserError> {
        Err(UserError("unused".into()))
    }

    /// A command with subcommands, a channel and a pick-from-list option.
    static GAME: CommandSpec = CommandSpec {
        name: "game",
        description: "A game",
        options: &[],
        subcommands: &[
            SubcommandSpec {
                name: "start",
                description: "Start",
                options: &[
                    OptionSpec::channel("where", "Where", "#general"),
                    OptionSpec::text("level", "How hard", "easy").choices(&["easy", "hard"]),
                ],
            },
            SubcommandSpec {
                name: "stop",
                description: "Stop",
                options: &[],
            },
        ],
        run: crate::commands::Run::Lookup(nothing),
        press: None,
        permissions: None,
        guild_only: true,
    };

    fn invocation(subcommand: Option<&str>, options: &[(&str, &str)]) -> Invocation {
        Invocation {
            command: "game".into(),
            subcommand: subcommand.map(str::to_string),
            options: options.iter().map(|(n, v)| text(n, v)).collect(),
        }
    }

    #[test]
    fn subcommands_channels_and_choices_are_checked() {
        let args = Args::parse(
            &GAME,
            &invocation(Some("start"), &[("where", "<#42>"), ("level", "HARD")]),
        )
        .unwrap();
        assert_eq!(args.subcommand(), Some("start"));
        assert_eq!(args.channel("where"), Some(42));
        assert_eq!(args.text("level"), Some("hard"));
        let error = |sub, options| Args::parse(&GAME, &invocation(sub, options)).unwrap_err().0;
        assert_eq!(
            error(None, &[]),
            "`/game` needs one more word. Type one of: `/game start`, `/game stop`."
        );
        assert_eq!(
            error(Some("go"), &[]),
            "`/game` has no `go`. Type one of: `/game start`, `/game stop`."
        );
        assert_eq!(
            error(Some("start"), &[("level", "medium")]),
            "`level` can be `easy`, `hard`. Type it like this: `/game start level:easy`"
        );
        assert_eq!(
            error(Some("start"), &[("where", "general")]),
            "`where` must be a channel: pick one from the list, e.g. `/game start where:#general`"
        );
        assert_eq!(
            error(Some("stop"), &[("level", "easy")]),
            "`/game stop` takes no options: type just `/game stop`."
        );
    }

    #[test]
    fn subcommand_registration_nests_options() {
        let json = GAME.subcommands[0].registration();
        assert_eq!(json["type"], 1);
        assert_eq!(json["options"][0]["type"], 7);
        assert_eq!(
            json["options"][0]["channel_types"],
            serde_json::json!([0, 5])
        );
        assert_eq!(json["options"][1]["choices"][1]["value"], "hard");
    }

    #[test]
    fn unknown_commands_suggest_the_closest() {
        let error = parse_line("/timelin year:2024").unwrap_err();
        assert_eq!(
            error.0,
            "There is no command `/timelin`. Did you mean `/timeline`? Type `/help` to see them all."
        );
    }
}
