//! A typed line as a command: `/timeline year:2024 person:musk`, or
//! `/search stargate announcement` (text before any option goes to the first required
//! option, or else the first). Words are split as a shell does, so "quoted words" stay
//! together; channels are typed by name (`#general`) or id (`#7`), members by name
//! (`alice`, `@alice`) or id (`@42`), roles by name (`@champion`).

use crate::commands::{
    self, ChannelRef, Invocation, OptionKind, RoleRef, RoleStanding, UserError, Value,
};
use crate::permissions::Permissions;

/// Reads `line`; `user_id` gives the id of a member typed by name.
pub fn parse_line(line: &str, user_id: impl Fn(&str) -> u64) -> Result<Invocation, UserError> {
    let line = line.trim();
    let line = line.strip_prefix('/').unwrap_or(line);
    let (command, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let command = command.to_lowercase();
    if command.is_empty() {
        return Err(UserError::new(
            "Type a command, e.g. `/timeline year:2024`, or `/help`.",
        ));
    }
    let spec = commands::find(&command).ok_or_else(|| commands::unknown_command(&command))?;
    let mut words = split_words(rest);
    let subcommand = if spec.subcommands().is_empty() || words.is_empty() {
        None
    } else {
        Some(words.remove(0).to_lowercase())
    };
    let forms = spec.forms();
    let form = forms
        .iter()
        .find(|form| form.subcommand == subcommand.as_deref())
        .or(forms.first());
    let option_specs = form.map_or(&[][..], |form| form.options);
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
            // No option takes them: the table refuses them by name.
            .map_or_else(|| loose.join(" "), |o| o.name.to_string());
        options.insert(0, (target, loose));
    }
    let options = options
        .into_iter()
        .map(|(name, words)| {
            let text = words.join(" ");
            let kind = option_specs.iter().find(|o| o.name == name).map(|o| o.kind);
            let value = match kind {
                Some(OptionKind::Channel) => channel(&text).unwrap_or(Value::Text(text)),
                Some(OptionKind::User) => Value::User(user(&text, &user_id)),
                Some(OptionKind::Role) => role(&text).unwrap_or(Value::Text(text)),
                _ => Value::Text(text),
            };
            (name, value)
        })
        .collect();
    Ok(Invocation {
        command,
        subcommand,
        options,
    })
}

/// Splits as a shell does; a line with an unbalanced quote (an apostrophe in
/// `Musk's`) is split on white space alone.
fn split_words(text: &str) -> Vec<String> {
    shlex::split(text).unwrap_or_else(|| text.split_whitespace().map(str::to_string).collect())
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

/// A channel typed by name (`#general`) or id (`#7`). The console's server is the
/// bot's own: it may post anywhere.
fn channel(text: &str) -> Option<Value> {
    let text = text.trim();
    let id = super::channel_id(text).or_else(|| {
        text.strip_prefix('#')
            .unwrap_or(text)
            .parse()
            .ok()
            .filter(|&id| id > 0)
    })?;
    Some(Value::Channel(ChannelRef {
        id,
        bot_permissions: Permissions::all(),
    }))
}

/// A role typed by name (`@champion`, `champion`). The console's bot may give any of
/// them.
fn role(text: &str) -> Option<Value> {
    Some(Value::Role(RoleRef {
        id: super::role_id(text)?,
        standing: RoleStanding::Assignable {
            bot_permissions: Permissions::all(),
            above_bot: None,
        },
    }))
}

/// A member typed by id (`@42`, `42`) or by name (`alice`, `@alice`).
fn user(text: &str, user_id: &impl Fn(&str) -> u64) -> u64 {
    let name = text.trim().trim_start_matches('@');
    match name.parse() {
        Ok(id) if id > 0 => id,
        _ => user_id(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, value: &str) -> (String, Value) {
        (name.to_string(), Value::Text(value.to_string()))
    }

    fn parse(line: &str) -> Invocation {
        parse_line(line, |_| 99).unwrap()
    }

    #[test]
    fn lines_split_into_options() {
        let parsed = parse("/timeline year:2015-2018 person:Elon Musk");
        assert_eq!(parsed.command, "timeline");
        assert_eq!(
            parsed.options,
            [text("year", "2015-2018"), text("person", "Elon Musk")]
        );
        assert_eq!(
            parse("search  \"open source\"").options,
            [text("query", "open source")]
        );
        assert_eq!(
            parse("/search query:10:30 am").options,
            [text("query", "10:30 am")]
        );
        assert_eq!(
            parse("/search Musk's exit").options,
            [text("query", "Musk's exit")]
        );
    }

    #[test]
    fn channels_and_members_are_typed() {
        let parsed = parse("/daily set channel:#7 time:09:00 timezone:UTC");
        assert_eq!(parsed.subcommand.as_deref(), Some("set"));
        assert_eq!(
            parsed.options[0].1,
            Value::Channel(ChannelRef {
                id: 7,
                bot_permissions: Permissions::all()
            })
        );
        assert_eq!(parse("/stats user:@42").options[0].1, Value::User(42));
        let parsed = parse("/daily set channel:#trivia time:09:00 timezone:UTC");
        assert!(matches!(
            parsed.options[0].1,
            Value::Channel(ChannelRef { id: 2, .. })
        ));
        assert_eq!(parse("/stats user:@alice").options[0].1, Value::User(99));
    }

    #[test]
    fn unknown_commands_suggest_the_closest() {
        let error = parse_line("/timelin year:2024", |_| 1).unwrap_err();
        assert_eq!(
            error.0.to_string(),
            "There is no command `/timelin`. Did you mean `/timeline`? Type `/help` to see them all."
        );
    }
}
