//! How a command is declared: its name, description, options or subcommands, its
//! handler, who sees it and where it works. Everything else (registration with a
//! platform, option checking, `/help`, the console's parser) reads these.

use super::{Handler, PressHandler};
use crate::permissions::Permissions;

/// The type of an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// A text channel of the server, where the bot might post.
    Channel,
    /// A member of the server.
    User,
    /// A role of the server.
    Role,
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
    pub kind: OptionKind,
    pub required: bool,
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

    /// An optional role option: a role of the server.
    pub const fn role(
        name: &'static str,
        description: &'static str,
        placeholder: &'static str,
    ) -> Self {
        OptionSpec {
            kind: OptionKind::Role,
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
}

/// A subcommand, e.g. the `start` of `/quiz start`, with its own options and handler.
pub struct SubcommandSpec {
    /// Name, as typed after the command.
    pub name: &'static str,
    /// One line on what it does (at most 100 characters).
    pub description: &'static str,
    pub options: &'static [OptionSpec],
    pub handler: Handler,
}

/// What follows a command's name.
pub enum Body {
    /// Options, answered by one handler: `/timeline year:2024`.
    Options(&'static [OptionSpec], Handler),
    /// One of several subcommands: `/quiz start`, `/quiz stop`.
    Subcommands(&'static [SubcommandSpec]),
}

/// One slash command.
pub struct CommandSpec {
    /// Name, as typed after `/`.
    pub name: &'static str,
    /// One line on what it does (at most 100 characters).
    pub description: &'static str,
    pub body: Body,
    /// What its buttons answer: a click on a button whose `custom_id` is
    /// `<name>:<state>` is answered by this, with the state.
    pub press: Option<PressHandler>,
    /// What a member needs to see the command; `None` for everyone. Server admins
    /// may grant it to others, so handlers do not check it again.
    pub permissions: Option<Permissions>,
    /// Whether it only makes sense in a server (not in direct messages).
    pub guild_only: bool,
    /// Rules `/help` spells out beyond the description; empty for none.
    pub rules: &'static str,
}

/// One way to type a command: the command itself, or one of its subcommands.
#[derive(Clone, Copy)]
pub struct Form {
    /// `None` for a command without subcommands.
    pub subcommand: Option<&'static str>,
    /// What the form does (the command's description, or the subcommand's).
    pub description: &'static str,
    pub options: &'static [OptionSpec],
    pub handler: Handler,
}

impl CommandSpec {
    /// Every way to type the command, in declaration order.
    pub fn forms(&self) -> Vec<Form> {
        match &self.body {
            Body::Options(options, handler) => vec![Form {
                subcommand: None,
                description: self.description,
                options,
                handler: *handler,
            }],
            Body::Subcommands(subcommands) => subcommands
                .iter()
                .map(|sub| Form {
                    subcommand: Some(sub.name),
                    description: sub.description,
                    options: sub.options,
                    handler: sub.handler,
                })
                .collect(),
        }
    }

    /// The subcommands, empty for a command without.
    pub fn subcommands(&self) -> &'static [SubcommandSpec] {
        match self.body {
            Body::Options(..) => &[],
            Body::Subcommands(subcommands) => subcommands,
        }
    }

    /// How each form is typed, one line each: `/timeline [year:…] [person:…]`.
    pub fn usages(&self) -> Vec<String> {
        self.forms()
            .iter()
            .map(|form| form.usage(self.name))
            .collect()
    }
}

impl Form {
    /// `/timeline` or `/quiz start`.
    pub fn head(&self, command: &str) -> String {
        match self.subcommand {
            Some(sub) => format!("/{command} {sub}"),
            None => format!("/{command}"),
        }
    }

    /// The head followed by each option as `name:placeholder`, in brackets when optional.
    pub fn usage(&self, command: &str) -> String {
        let mut line = self.head(command);
        for option in self.options {
            let part = format!("{}:{}", option.name, option.placeholder);
            if option.required {
                line.push_str(&format!(" {part}"));
            } else {
                line.push_str(&format!(" [{part}]"));
            }
        }
        line
    }
}
