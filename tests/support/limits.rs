//! Discord's size limits, checked on every JSON body the bot sends to the fake.
//!
//! Discord rejects an over-long message with `400 Invalid Form Body` (code 50035); the
//! fake instead answers as usual and records the breach, so one test run lists every
//! breach at once. [`violations`] guesses the kind of body from its shape; the fake
//! itself calls the specific checker for each route.
//!
//! Each violation is one line: a JSON path into the body, then what is wrong, e.g.
//! `embeds[0].fields[3].value: 1100 chars > 1024`.
//!
//! Lengths are counted in characters (Unicode scalar values), which is how Discord
//! counts them for these limits.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

/// Message `content`.
pub const CONTENT: usize = 2000;
/// Embeds per message.
pub const EMBEDS: usize = 10;
pub const EMBED_TITLE: usize = 256;
pub const EMBED_DESCRIPTION: usize = 4096;
pub const EMBED_FIELDS: usize = 25;
pub const FIELD_NAME: usize = 256;
pub const FIELD_VALUE: usize = 1024;
pub const FOOTER_TEXT: usize = 2048;
pub const AUTHOR_NAME: usize = 256;
/// Sum of title, description, field names and values, footer text and author name of
/// all embeds of one message.
pub const EMBED_TOTAL: usize = 6000;
pub const ACTION_ROWS: usize = 5;
pub const ROW_BUTTONS: usize = 5;
pub const BUTTON_LABEL: usize = 80;
pub const CUSTOM_ID: usize = 100;
pub const SELECT_OPTIONS: usize = 25;
pub const SELECT_PLACEHOLDER: usize = 150;
pub const SELECT_OPTION_TEXT: usize = 100;
pub const AUTOCOMPLETE_CHOICES: usize = 25;
pub const CHOICE_NAME: usize = 100;
pub const CHOICE_STRING_VALUE: usize = 100;
pub const COMMAND_NAME: usize = 32;
pub const COMMAND_DESCRIPTION: usize = 100;
pub const COMMAND_OPTIONS: usize = 25;
pub const OPTION_CHOICES: usize = 25;
/// Global chat-input commands per application.
pub const COMMANDS: usize = 100;
/// Name, description and every option's name, description and choices of one command.
pub const COMMAND_TOTAL: usize = 4000;

/// Checks any body, guessing what it is from its shape: an array is a list of command
/// registrations; an object with a numeric `type` and no `name` is an interaction
/// response; an object with `name` and `description` is one command; anything else a
/// message body.
pub fn violations(body: &Value) -> Vec<String> {
    match body {
        Value::Array(_) => command_list_violations(body),
        Value::Object(o) if o.get("type").is_some_and(Value::is_u64) && !o.contains_key("name") => {
            response_violations(body)
        }
        Value::Object(o) if o.contains_key("name") && o.contains_key("description") => {
            let mut v = Vec::new();
            command(body, "", &mut v);
            v
        }
        _ => message_violations(body),
    }
}

/// An interaction response (`POST /interactions/{id}/{token}/callback`).
pub fn response_violations(body: &Value) -> Vec<String> {
    let mut v = Vec::new();
    let kind = body.get("type").and_then(Value::as_u64);
    let data = body.get("data");
    match (kind, data) {
        (None, _) => v.push("type: missing or not an integer".to_string()),
        // CHANNEL_MESSAGE_WITH_SOURCE, UPDATE_MESSAGE: data is a message.
        (Some(4 | 7), Some(data)) => message_into(data, "data.", &mut v),
        (Some(4), None) => v.push("data: missing for a type 4 (message) response".to_string()),
        (Some(8), Some(data)) => autocomplete_into(data, &mut v),
        (Some(8), None) => v.push("data: missing for a type 8 (autocomplete) response".to_string()),
        (Some(9), Some(data)) => {
            check_len(data, "custom_id", CUSTOM_ID, "data.", &mut v);
            check_len(data, "title", 45, "data.", &mut v);
            if let Some(rows) = data.get("components").and_then(Value::as_array)
                && rows.len() > ACTION_ROWS
            {
                v.push(format!(
                    "data.components: {} rows > {ACTION_ROWS}",
                    rows.len()
                ));
            }
        }
        (Some(1 | 5 | 6 | 7 | 9), _) => {}
        (Some(other), _) => v.push(format!("type: {other} is not an interaction response type")),
    }
    v
}

/// A message body: create/edit message, follow-up, webhook edit.
pub fn message_violations(body: &Value) -> Vec<String> {
    let mut v = Vec::new();
    message_into(body, "", &mut v);
    v
}

/// A list of command registrations (`PUT /applications/{app}/commands`, or the guild
/// variant).
pub fn command_list_violations(body: &Value) -> Vec<String> {
    let mut v = Vec::new();
    let Some(list) = body.as_array() else {
        return vec!["body: a command registration list must be a JSON array".to_string()];
    };
    let chat_input = list.iter().filter(|c| command_type(c) == 1).count();
    if chat_input > COMMANDS {
        v.push(format!(
            "body: {chat_input} chat-input commands > {COMMANDS}"
        ));
    }
    let mut seen = HashSet::new();
    for (i, c) in list.iter().enumerate() {
        let name = c.get("name").and_then(Value::as_str).unwrap_or("");
        if !seen.insert((command_type(c), name.to_string())) {
            v.push(format!("[{i}].name: duplicate command name {name:?}"));
        }
        command(c, &format!("[{i}]."), &mut v);
    }
    v
}

fn command_type(c: &Value) -> u64 {
    c.get("type").and_then(Value::as_u64).unwrap_or(1)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Pushes a violation if `v[key]` is a string longer than `max`; returns its length.
fn check_len(v: &Value, key: &str, max: usize, path: &str, out: &mut Vec<String>) -> usize {
    let Some(s) = str_at(v, key) else { return 0 };
    let n = chars(s);
    if n > max {
        out.push(format!("{path}{key}: {n} chars > {max}"));
    }
    n
}

fn message_into(body: &Value, path: &str, v: &mut Vec<String>) {
    if !body.is_object() {
        v.push(format!(
            "{path}: a message body must be a JSON object, got {body}"
        ));
        return;
    }
    check_len(body, "content", CONTENT, path, v);
    if let Some(embeds) = body.get("embeds").and_then(Value::as_array) {
        if embeds.len() > EMBEDS {
            v.push(format!("{path}embeds: {} embeds > {EMBEDS}", embeds.len()));
        }
        let mut total = 0;
        for (i, e) in embeds.iter().enumerate() {
            total += embed(e, &format!("{path}embeds[{i}]."), v);
        }
        if total > EMBED_TOTAL {
            v.push(format!(
                "{path}embeds: {total} chars of embed text in total > {EMBED_TOTAL}"
            ));
        }
    }
    if let Some(rows) = body.get("components").and_then(Value::as_array) {
        components(rows, &format!("{path}components"), v);
    }
}

/// Checks one embed; returns its characters counted towards [`EMBED_TOTAL`].
fn embed(e: &Value, path: &str, v: &mut Vec<String>) -> usize {
    let mut total = check_len(e, "title", EMBED_TITLE, path, v);
    total += check_len(e, "description", EMBED_DESCRIPTION, path, v);
    if let Some(fields) = e.get("fields").and_then(Value::as_array) {
        if fields.len() > EMBED_FIELDS {
            v.push(format!(
                "{path}fields: {} fields > {EMBED_FIELDS}",
                fields.len()
            ));
        }
        for (i, f) in fields.iter().enumerate() {
            let fp = format!("{path}fields[{i}].");
            let name = check_len(f, "name", FIELD_NAME, &fp, v);
            let value = check_len(f, "value", FIELD_VALUE, &fp, v);
            if name == 0 {
                v.push(format!(
                    "{fp}name: empty (Discord requires 1..={FIELD_NAME} chars)"
                ));
            }
            if value == 0 {
                v.push(format!(
                    "{fp}value: empty (Discord requires 1..={FIELD_VALUE} chars)"
                ));
            }
            total += name + value;
        }
    }
    if let Some(footer) = e.get("footer") {
        total += check_len(footer, "text", FOOTER_TEXT, &format!("{path}footer."), v);
    }
    if let Some(author) = e.get("author") {
        total += check_len(author, "name", AUTHOR_NAME, &format!("{path}author."), v);
    }
    total
}

fn components(rows: &[Value], path: &str, v: &mut Vec<String>) {
    if rows.len() > ACTION_ROWS {
        v.push(format!(
            "{path}: {} action rows > {ACTION_ROWS}",
            rows.len()
        ));
    }
    let mut custom_ids: HashMap<String, String> = HashMap::new();
    for (r, row) in rows.iter().enumerate() {
        let rp = format!("{path}[{r}]");
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            v.push(format!(
                "{rp}.type: top-level components must be action rows (type 1)"
            ));
        }
        let items = row
            .get("components")
            .and_then(Value::as_array)
            .map_or(&[][..], |a| a);
        let buttons = items
            .iter()
            .filter(|c| c.get("type").and_then(Value::as_u64) == Some(2));
        let n_buttons = buttons.count();
        if n_buttons > ROW_BUTTONS {
            v.push(format!(
                "{rp}.components: {n_buttons} buttons > {ROW_BUTTONS}"
            ));
        }
        let selects = items.len() - n_buttons;
        if selects > 0 && items.len() > 1 {
            v.push(format!(
                "{rp}.components: a select menu must be alone in its row"
            ));
        }
        if items.is_empty() {
            v.push(format!(
                "{rp}.components: an action row needs at least one component"
            ));
        }
        for (c, item) in items.iter().enumerate() {
            let cp = format!("{rp}.components[{c}].");
            let kind = item.get("type").and_then(Value::as_u64).unwrap_or(0);
            if kind == 2 {
                check_len(item, "label", BUTTON_LABEL, &cp, v);
                let link = item.get("style").and_then(Value::as_u64) == Some(5);
                if link && item.get("url").is_none() {
                    v.push(format!("{cp}url: a link button (style 5) needs a url"));
                }
                if !link && item.get("custom_id").is_none() && item.get("sku_id").is_none() {
                    v.push(format!(
                        "{cp}custom_id: a non-link button needs a custom_id"
                    ));
                }
            } else {
                check_len(item, "placeholder", SELECT_PLACEHOLDER, &cp, v);
                if let Some(opts) = item.get("options").and_then(Value::as_array) {
                    if opts.len() > SELECT_OPTIONS {
                        v.push(format!(
                            "{cp}options: {} options > {SELECT_OPTIONS}",
                            opts.len()
                        ));
                    }
                    for (o, opt) in opts.iter().enumerate() {
                        let op = format!("{cp}options[{o}].");
                        check_len(opt, "label", SELECT_OPTION_TEXT, &op, v);
                        check_len(opt, "value", SELECT_OPTION_TEXT, &op, v);
                        check_len(opt, "description", SELECT_OPTION_TEXT, &op, v);
                    }
                }
            }
            if let Some(id) = str_at(item, "custom_id") {
                check_len(item, "custom_id", CUSTOM_ID, &cp, v);
                let here = format!("{cp}custom_id");
                if let Some(first) = custom_ids.insert(id.to_string(), here.clone()) {
                    v.push(format!(
                        "{here}: duplicate custom_id {id:?} (also at {first})"
                    ));
                }
            }
        }
    }
}

fn autocomplete_into(data: &Value, v: &mut Vec<String>) {
    let Some(choices) = data.get("choices").and_then(Value::as_array) else {
        v.push("data.choices: missing or not an array".to_string());
        return;
    };
    if choices.len() > AUTOCOMPLETE_CHOICES {
        v.push(format!(
            "data.choices: {} choices > {AUTOCOMPLETE_CHOICES}",
            choices.len()
        ));
    }
    for (i, c) in choices.iter().enumerate() {
        choice(c, &format!("data.choices[{i}]."), v);
    }
}

/// Checks a choice; returns its characters counted towards [`COMMAND_TOTAL`].
fn choice(c: &Value, path: &str, v: &mut Vec<String>) -> usize {
    let name = check_len(c, "name", CHOICE_NAME, path, v);
    if name == 0 {
        v.push(format!(
            "{path}name: empty or missing (Discord requires 1..={CHOICE_NAME})"
        ));
    }
    let value = match c.get("value") {
        Some(Value::String(_)) => check_len(c, "value", CHOICE_STRING_VALUE, path, v),
        Some(Value::Number(n)) => n.to_string().len(),
        _ => {
            v.push(format!(
                "{path}value: missing, or neither a string nor a number"
            ));
            0
        }
    };
    name + value
}

/// Whether `name` is a valid chat-input command or option name: 1 to 32 characters,
/// each `-`, `_`, a letter or a digit (Discord's `^[-_\p{L}\p{N}]{1,32}$`; letters and
/// digits as Rust's `char::is_alphanumeric` sees them), and lowercase.
pub fn valid_name(name: &str) -> Result<(), String> {
    let n = chars(name);
    if n == 0 || n > COMMAND_NAME {
        return Err(format!("{n} chars, must be 1..={COMMAND_NAME}"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "character {bad:?} is not -, _, a letter or a digit"
        ));
    }
    if name
        .chars()
        .any(|c| c.to_lowercase().ne(std::iter::once(c)))
    {
        return Err("must be lowercase".to_string());
    }
    Ok(())
}

/// Checks one command registration body.
fn command(c: &Value, path: &str, v: &mut Vec<String>) {
    let kind = command_type(c);
    let name = str_at(c, "name").unwrap_or("");
    let mut total = chars(name);
    if kind == 1 {
        if let Err(why) = valid_name(name) {
            v.push(format!("{path}name: {name:?}: {why}"));
        }
        total += description(c, path, v);
    } else {
        // User and message commands: 1-32 chars, any case and spaces, no description.
        let n = chars(name);
        if n == 0 || n > COMMAND_NAME {
            v.push(format!(
                "{path}name: {name:?}: {n} chars, must be 1..={COMMAND_NAME}"
            ));
        }
        if str_at(c, "description").is_some_and(|d| !d.is_empty()) {
            v.push(format!(
                "{path}description: must be empty for a type {kind} command"
            ));
        }
    }
    if let Some(opts) = c.get("options").and_then(Value::as_array) {
        total += options(opts, &format!("{path}options"), v);
    }
    if total > COMMAND_TOTAL {
        v.push(format!(
            "{path}: {total} chars of names, descriptions and choices > {COMMAND_TOTAL}"
        ));
    }
}

fn description(c: &Value, path: &str, v: &mut Vec<String>) -> usize {
    match str_at(c, "description") {
        None => {
            v.push(format!("{path}description: missing"));
            0
        }
        Some(d) => {
            let n = chars(d);
            if n == 0 || n > COMMAND_DESCRIPTION {
                v.push(format!(
                    "{path}description: {n} chars, must be 1..={COMMAND_DESCRIPTION}"
                ));
            }
            n
        }
    }
}

/// Checks a list of options (recursively for subcommands and groups); returns the
/// characters counted towards [`COMMAND_TOTAL`].
fn options(opts: &[Value], path: &str, v: &mut Vec<String>) -> usize {
    let mut total = 0;
    if opts.len() > COMMAND_OPTIONS {
        v.push(format!(
            "{path}: {} options > {COMMAND_OPTIONS}",
            opts.len()
        ));
    }
    let mut names = HashSet::new();
    let mut seen_optional = false;
    for (i, o) in opts.iter().enumerate() {
        let op = format!("{path}[{i}].");
        let name = str_at(o, "name").unwrap_or("");
        total += chars(name);
        if let Err(why) = valid_name(name) {
            v.push(format!("{op}name: {name:?}: {why}"));
        }
        if !names.insert(name) {
            v.push(format!("{op}name: duplicate option name {name:?}"));
        }
        total += description(o, &op, v);
        let kind = o.get("type").and_then(Value::as_u64).unwrap_or(0);
        if !(1..=11).contains(&kind) {
            v.push(format!("{op}type: {kind} is not an option type (1..=11)"));
        }
        if kind > 2 {
            let required = o.get("required").and_then(Value::as_bool).unwrap_or(false);
            if required && seen_optional {
                v.push(format!(
                    "{op}required: a required option after an optional one"
                ));
            }
            seen_optional |= !required;
        }
        if let Some(choices) = o.get("choices").and_then(Value::as_array) {
            if choices.len() > OPTION_CHOICES {
                v.push(format!(
                    "{op}choices: {} choices > {OPTION_CHOICES}",
                    choices.len()
                ));
            }
            if !choices.is_empty() && o.get("autocomplete").and_then(Value::as_bool) == Some(true) {
                v.push(format!(
                    "{op}autocomplete: cannot be set together with choices"
                ));
            }
            for (j, c) in choices.iter().enumerate() {
                total += choice(c, &format!("{op}choices[{j}]."), v);
            }
        }
        if let Some(sub) = o.get("options").and_then(Value::as_array) {
            total += options(sub, &format!("{op}options"), v);
        }
    }
    total
}
