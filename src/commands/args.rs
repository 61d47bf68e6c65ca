//! A command as invoked, and its options checked against the declaration before a
//! handler sees them: known, given once, of the right type and size, required ones
//! present. Every refusal says what to type instead.

use super::spec::{CommandSpec, Form, OptionKind, OptionSpec};
use super::{UserError, unknown_command};
use crate::permissions::Permissions;

/// A channel given as an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelRef {
    pub id: u64,
    /// What the bot itself may do there, as the front end found out.
    pub bot_permissions: Permissions,
}

/// A role given as an option, with what the front end found out about giving it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleRef {
    pub id: u64,
    pub standing: RoleStanding,
}

/// Whether the bot could give a role to members, as far as the front end knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleStanding {
    /// The front end could not read the server's roles.
    Unknown,
    /// Nobody gives it by hand: everyone's role, or one an integration manages (a
    /// bot's own role, the Server Booster role).
    Managed,
    /// A role members can be given.
    Assignable {
        /// The bot's permissions in the server (Manage Roles is a server permission).
        bot_permissions: Permissions,
        /// The bot's highest role, when this role is not below it: Discord lets a
        /// bot give only roles below its own highest.
        above_bot: Option<u64>,
    },
}

/// A value as the user gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Integer(i64),
    Channel(ChannelRef),
    /// A member, by id.
    User(u64),
    Role(RoleRef),
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

/// Checked option values, as their spec declares them.
#[derive(Debug, Default)]
pub struct Args {
    values: Vec<(&'static str, Value)>,
}

/// The command and form `invocation` names, and its options checked.
pub(super) fn parse(
    invocation: &Invocation,
) -> Result<(&'static CommandSpec, Form, Args), UserError> {
    let spec =
        super::find(&invocation.command).ok_or_else(|| unknown_command(&invocation.command))?;
    let form = form(spec, invocation)?;
    let head = form.head(spec.name);
    let mut args = Args::default();
    for (name, value) in &invocation.options {
        let Some(option) = form.options.iter().find(|o| o.name == name.as_str()) else {
            return Err(unknown_option(spec, &form, name));
        };
        if args.values.iter().any(|(n, _)| *n == option.name) {
            return Err(UserError::new(format!("Give `{name}` only once.")));
        }
        let value = check_value(&head, option, value)?;
        args.values.push((option.name, value));
    }
    if let Some(missing) = form
        .options
        .iter()
        .find(|o| o.required && !args.values.iter().any(|(n, _)| *n == o.name))
    {
        return Err(UserError::new(format!(
            "`{head}` needs `{}` ({}). Type it like this: `{}`",
            missing.name,
            missing.description,
            form.usage(spec.name)
        )));
    }
    Ok((spec, form, args))
}

/// The command or subcommand `invocation` names.
fn form(spec: &CommandSpec, invocation: &Invocation) -> Result<Form, UserError> {
    let forms = spec.forms();
    let wanted = invocation.subcommand.as_deref();
    if let Some(form) = forms.iter().find(|form| form.subcommand == wanted) {
        return Ok(*form);
    }
    if let [form] = forms.as_slice()
        && form.subcommand.is_none()
    {
        return Ok(*form);
    }
    let heads: Vec<String> = forms
        .iter()
        .map(|form| format!("`{}`", form.head(spec.name)))
        .collect();
    let said = match wanted {
        None | Some("") => format!("`/{}` needs one more word.", spec.name),
        Some(wanted) => format!("`/{}` has no `{wanted}`.", spec.name),
    };
    Err(UserError::new(format!(
        "{said} Type one of: {}.",
        heads.join(", ")
    )))
}

impl Args {
    /// The member of option `name`, if given.
    pub fn user(&self, name: &str) -> Option<u64> {
        self.values.iter().find_map(|(n, v)| match v {
            Value::User(id) if *n == name => Some(*id),
            _ => None,
        })
    }

    /// The role of option `name`, if given.
    pub fn role(&self, name: &str) -> Option<RoleRef> {
        self.values.iter().find_map(|(n, v)| match v {
            Value::Role(role) if *n == name => Some(*role),
            _ => None,
        })
    }

    /// The channel of option `name`, if given.
    pub fn channel(&self, name: &str) -> Option<ChannelRef> {
        self.values.iter().find_map(|(n, v)| match v {
            Value::Channel(channel) if *n == name => Some(*channel),
            _ => None,
        })
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

fn unknown_option(spec: &CommandSpec, form: &Form, name: &str) -> UserError {
    let head = form.head(spec.name);
    if form.options.is_empty() {
        return UserError::new(format!("`{head}` takes no options: type just `{head}`."));
    }
    let names = form.options.iter().map(|o| o.name);
    let hint = match crate::query::closest(name, names, 1).first() {
        Some(close) => format!(" Did you mean `{close}`?"),
        None => String::new(),
    };
    UserError::new(format!(
        "`{head}` has no option `{name}`.{hint} Type it like this: `{}`",
        form.usage(spec.name)
    ))
}

fn check_value(head: &str, option: &OptionSpec, value: &Value) -> Result<Value, UserError> {
    let example = format!("`{head} {}:{}`", option.name, option.placeholder);
    let as_text = |value: &Value| match value {
        Value::Text(text) => Some(text.clone()),
        Value::Integer(number) => Some(number.to_string()),
        _ => None,
    };
    match (option.kind, value) {
        (OptionKind::User, Value::User(id)) => Ok(Value::User(*id)),
        (OptionKind::User, _) => Err(UserError::new(format!(
            "`{}` must be a member of this server: pick one from the list, e.g. {example}",
            option.name
        ))),
        (OptionKind::Channel, Value::Channel(channel)) => Ok(Value::Channel(*channel)),
        (OptionKind::Channel, _) => Err(UserError::new(format!(
            "`{}` must be a channel: pick one from the list, e.g. {example}",
            option.name
        ))),
        (OptionKind::Role, Value::Role(role)) => Ok(Value::Role(*role)),
        (OptionKind::Role, _) => Err(UserError::new(format!(
            "`{}` must be a role of this server: pick one from the list, e.g. {example}",
            option.name
        ))),
        (OptionKind::Text, value) if !option.choices.is_empty() => {
            let text = as_text(value).unwrap_or_default().trim().to_lowercase();
            match option.choices.iter().find(|choice| **choice == text) {
                Some(choice) => Ok(Value::Text(choice.to_string())),
                None => Err(UserError::new(format!(
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
        (OptionKind::Text, value) => {
            let text = as_text(value).unwrap_or_default();
            let text = text.trim();
            if text.is_empty() {
                return Err(UserError::new(format!(
                    "`{}` is empty. Type it like this: {example}",
                    option.name
                )));
            }
            if let Some(max) = option.max_length
                && text.chars().count() > max
            {
                return Err(UserError::new(format!(
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
                _ => None,
            };
            let Some(number) = number else {
                return Err(UserError::new(format!(
                    "`{}` must be a whole number. Type it like this: {example}",
                    option.name
                )));
            };
            if let Some((min, max)) = option.range
                && !(min..=max).contains(&number)
            {
                return Err(UserError::new(format!(
                    "`{}` must be between {min} and {max}. Type it like this: {example}",
                    option.name
                )));
            }
            Ok(Value::Integer(number))
        }
    }
}
