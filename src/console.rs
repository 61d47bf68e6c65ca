//! The commands in a terminal: replies rendered as text, buttons pressed by number,
//! so every command can be tried without a Discord account.

use std::fmt::Write;

use crate::commands::{self, Args, Caller, Ctx, MANAGE_GUILD, Run, parse_line};
use crate::reply::Reply;

/// The server the console plays, for commands that act in a server (`/daily`).
pub const CONSOLE_GUILD_ID: u64 = 1;
/// The channel the console plays.
pub const CONSOLE_CHANNEL_ID: u64 = 1;

/// Who types in the console: a manager of the console's server.
pub fn caller() -> Caller {
    Caller {
        user_id: 1,
        user_name: "console".to_string(),
        is_bot: false,
        guild_id: Some(CONSOLE_GUILD_ID),
        channel_id: CONSOLE_CHANNEL_ID,
        permissions: MANAGE_GUILD,
    }
}

/// Answers the commands that need more than the dataset ([`Run::Daily`]), given their
/// checked options.
pub type ServerCommands<'a> = dyn FnMut(&Args) -> Reply + 'a;

/// A reply as plain text: title, text, fields, footer, then numbered buttons.
pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    let plain = |text: &str| text.replace("**", "");
    if reply.is_error() {
        let _ = writeln!(out, "✗ {}", plain(&reply.text));
        return out;
    }
    let _ = writeln!(out, "━━ {} ━━", plain(&reply.title));
    if !reply.text.is_empty() {
        let _ = writeln!(out, "{}", plain(&reply.text));
    }
    for field in &reply.fields {
        let _ = writeln!(out, "\n▸ {}", plain(&field.name));
        for line in field.value.lines() {
            let _ = writeln!(out, "  {}", plain(line));
        }
    }
    if let Some(footer) = &reply.footer {
        let _ = writeln!(out, "\n({footer})");
    }
    let buttons: Vec<String> = reply
        .rows
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, b)| {
            let state = if b.disabled { " (disabled)" } else { "" };
            format!("[{}] {}{state}", i + 1, b.label)
        })
        .collect();
    if !buttons.is_empty() {
        let _ = writeln!(out, "{}", buttons.join("  "));
    }
    out
}

/// One line of console input, answered: a command, or the number of a button of the
/// last reply. `last` is updated to the new reply. Commands that need the store go to
/// `server`.
pub fn answer(
    ctx: &mut Ctx,
    line: &str,
    last: &mut Option<Reply>,
    server: &mut ServerCommands,
) -> Reply {
    let line = line.trim();
    if let Ok(number) = line.parse::<usize>() {
        let button = last
            .as_ref()
            .and_then(|reply| reply.rows.iter().flatten().nth(number.wrapping_sub(1)));
        let reply = match button {
            Some(button) if button.disabled => {
                Reply::error(&format!("Button {number} is disabled."))
            }
            Some(button) => commands::press(ctx, &button.custom_id),
            None => Reply::error(&format!(
                "There is no button {number}: type the number shown in [brackets], or a command."
            )),
        };
        if !reply.is_error() {
            *last = Some(reply.clone());
        }
        return reply;
    }
    let reply = match parse_line(line) {
        Ok(invocation) => match commands::find(&invocation.command) {
            Some(spec) if matches!(spec.run, Run::Daily) => match Args::parse(spec, &invocation) {
                Ok(args) => server(&args),
                Err(error) => Reply::error(&error.0),
            },
            _ => commands::run(ctx, &invocation),
        },
        Err(error) => Reply::error(&error.0),
    };
    if !reply.is_error() {
        *last = Some(reply.clone());
    }
    reply
}
