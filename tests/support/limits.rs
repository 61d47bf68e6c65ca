//! Discord's limits, checked on every JSON body the bot sends to the fake.
//!
//! Discord rejects a body over its limits with `400 Invalid Form Body` (code 50035); the
//! fake answers as usual and records the breach, so one run lists them all. The rules
//! are twilight-validate's, applied to the body deserialized into twilight-model's
//! types: an oracle written apart from the bot, so the clamping in `feudbot::reply` is
//! not checked against a copy of itself. A body that does not deserialize is a breach
//! too, reported with the JSON path where it fails.
//!
//! twilight-validate stops at the first error of what it is given, so each part
//! (content, embeds, components, each command) is validated on its own and one body
//! can still show several breaches. Each is one line, a JSON path then twilight's
//! error, e.g. `data.embeds: MessageValidationError { kind: EmbedInvalid { idx: 0,
//! kind: TitleTooLarge { chars: 257 } }, source: None }`: the `Debug` form, as the
//! `Display` of a message error leaves out which rule an embed or component broke.
//!
//! Kept by hand, as Discord enforces them and twilight-validate does not: at most
//! [`CHOICES_LIMIT`] choices (autocomplete answers and an option's fixed choices), a
//! subcommand's own name and description, and no `custom_id` or command name used twice
//! in one body.

use std::collections::HashSet;
use std::fmt::Debug;
use std::hash::Hash;

use serde::de::DeserializeOwned;
use serde_json::Value;
use twilight_model::application::command::{Command, CommandOption};
use twilight_model::channel::message::Component;
use twilight_model::http::interaction::{
    InteractionResponse, InteractionResponseData, InteractionResponseType,
};
use twilight_validate::command::{self, CHOICES_LIMIT};
use twilight_validate::message;

/// An interaction response (`POST /interactions/{id}/{token}/callback`).
pub fn response_violations(body: &Value) -> Vec<String> {
    let mut v = Vec::new();
    let mut body = body.clone();
    fill(body.pointer_mut("/data/embeds"), "type", "rich");
    let Some(InteractionResponse {
        kind,
        data: Some(data),
    }) = parse(&body, &mut v)
    else {
        return v;
    };
    match kind {
        InteractionResponseType::ChannelMessageWithSource
        | InteractionResponseType::UpdateMessage => message_data(&data, "data.", &mut v),
        InteractionResponseType::ApplicationCommandAutocompleteResult => {
            let choices = data.choices.unwrap_or_default();
            choice_count(choices.len(), "data.choices", &mut v);
            for (i, choice) in choices.iter().enumerate() {
                check(
                    &format!("data.choices[{i}]"),
                    command::choice(choice),
                    &mut v,
                );
            }
        }
        _ => {}
    }
    v
}

/// A message body: a new or edited message, a follow-up, an edited original response.
pub fn message_violations(body: &Value) -> Vec<String> {
    let mut v = Vec::new();
    let mut body = body.clone();
    fill(body.get_mut("embeds"), "type", "rich");
    // The `data` of a message response has the same fields, and is twilight-model's only
    // type for a message being sent rather than received.
    if let Some(data) = parse::<InteractionResponseData>(&body, &mut v) {
        message_data(&data, "", &mut v);
    }
    v
}

/// A list of command registrations (`PUT /applications/{app}/commands`, or the guild
/// variant).
pub fn command_list_violations(body: &Value) -> Vec<String> {
    let mut v = Vec::new();
    let mut body = body.clone();
    // twilight's `Command` is the one Discord sends back, with a version; a registration
    // has none yet.
    fill(Some(&mut body), "version", "1");
    fill(Some(&mut body), "type", 1);
    let Some(commands) = parse::<Vec<Command>>(&body, &mut v) else {
        return v;
    };
    for (i, c) in commands.iter().enumerate() {
        check(&format!("[{i}]"), command::command(c), &mut v);
        check(
            &format!("[{i}].options"),
            command::options(&c.options),
            &mut v,
        );
        options(&c.options, &format!("[{i}].options"), &mut v);
    }
    if let Some((kind, name)) = first_duplicate(commands.iter().map(|c| (c.kind, &*c.name))) {
        v.push(format!("name: two {kind:?} commands are named {name:?}"));
    }
    v
}

/// Deserializes `body`, or records why it cannot be.
fn parse<T: DeserializeOwned>(body: &Value, v: &mut Vec<String>) -> Option<T> {
    serde_path_to_error::deserialize(body)
        .map_err(|e| {
            let what = std::any::type_name::<T>();
            v.push(format!("{}: not a valid {what}: {}", e.path(), e.inner()));
        })
        .ok()
}

/// Sets `key` in each object of the array `list` that lacks it: twilight-model's types
/// describe what Discord sends, where a field that a request may leave out (an embed's
/// `type`, a command's `type`) is always there.
fn fill(list: Option<&mut Value>, key: &str, value: impl Into<Value>) {
    let value = value.into();
    let objects = list.and_then(Value::as_array_mut).into_iter().flatten();
    for object in objects.filter_map(Value::as_object_mut) {
        object.entry(key).or_insert_with(|| value.clone());
    }
}

/// Records a failed twilight-validate check at `path`.
fn check<E: Debug>(path: &str, result: Result<(), E>, v: &mut Vec<String>) {
    if let Err(e) = result {
        v.push(format!("{path}: {e:?}"));
    }
}

fn message_data(data: &InteractionResponseData, path: &str, v: &mut Vec<String>) {
    if let Some(content) = &data.content {
        check(&format!("{path}content"), message::content(content), v);
    }
    if let Some(embeds) = &data.embeds {
        check(&format!("{path}embeds"), message::embeds(embeds), v);
    }
    if let Some(rows) = &data.components {
        check(&format!("{path}components"), message::components(rows), v);
        let ids = rows.iter().flat_map(children).filter_map(custom_id);
        if let Some(id) = first_duplicate(ids) {
            v.push(format!("{path}components: custom_id {id:?} used twice"));
        }
    }
}

fn children(row: &Component) -> &[Component] {
    match row {
        Component::ActionRow(row) => &row.components,
        _ => &[],
    }
}

fn custom_id(component: &Component) -> Option<&str> {
    match component {
        Component::Button(button) => button.custom_id.as_deref(),
        Component::SelectMenu(menu) => Some(&menu.custom_id),
        Component::TextInput(input) => Some(&input.custom_id),
        _ => None,
    }
}

/// What twilight's `command::options` leaves out: the count of an option's choices,
/// and a subcommand's own name and description (it only checks the leaves).
fn options(options: &[CommandOption], path: &str, v: &mut Vec<String>) {
    for (i, option) in options.iter().enumerate() {
        let path = format!("{path}[{i}]");
        if let Some(choices) = &option.choices {
            choice_count(choices.len(), &format!("{path}.choices"), v);
        }
        if let Some(sub) = &option.options {
            check(&path, command::option(option), v);
            self::options(sub, &format!("{path}.options"), v);
        }
    }
}

fn choice_count(n: usize, path: &str, v: &mut Vec<String>) {
    if n > CHOICES_LIMIT {
        v.push(format!("{path}: {n} choices > {CHOICES_LIMIT}"));
    }
}

fn first_duplicate<T: Eq + Hash + Copy>(items: impl IntoIterator<Item = T>) -> Option<T> {
    let mut seen = HashSet::new();
    items.into_iter().find(|item| !seen.insert(*item))
}
