//! `/about` and `/help`: what the bot knows and how to ask it.

use super::{
    Args, Body, COMMANDS, CommandSpec, Ctx, OptionSpec, Request, UserError, find, unknown_command,
};
use crate::reply::{Picture, Reply, TimelineFilter, Tone};

/// `/about`.
pub const ABOUT: CommandSpec = CommandSpec {
    name: "about",
    description: "What this bot knows: the size of the dataset, its dates and its sources",
    body: Body::Options(&[], run_about),
    press: None,
    permissions: None,
    guild_only: false,
    rules: "",
};

/// `/help [command]`.
pub const HELP: CommandSpec = CommandSpec {
    name: "help",
    description: "The commands and how to type them",
    body: Body::Options(
        &[OptionSpec::text(
            "command",
            "A command to explain in detail, e.g. timeline",
            "timeline",
        )
        .max_length(32)],
        run_help,
    ),
    press: None,
    permissions: None,
    guild_only: false,
    rules: "",
};

fn run_about(ctx: &mut Ctx, _: &Args) -> Result<Request, UserError> {
    let data = ctx.data;
    let span = match (data.events().first(), data.events().last()) {
        (Some(first), Some(last)) => format!("{} to {}", first.date.human(), last.date.human()),
        _ => "no events yet".to_string(),
    };
    let topics: Vec<String> = data
        .tags()
        .iter()
        .map(|(tag, count)| format!("{tag} ({count})"))
        .collect();
    let sources: Vec<String> = data
        .sources()
        .iter()
        .map(|s| format!("• {}", s.citation))
        .collect();
    Ok(Request::Reply(
        Reply::new(Tone::Info, "About feudbot")
            .text(
                "The feud between Elon Musk and Sam Altman over OpenAI: from the 2015 Wednesday \
             dinners and the founding of OpenAI, through Musk's exit, ChatGPT, xAI and the \
             lawsuits, to Stargate and the $97.4 billion bid.",
            )
            .field(
                "Dataset",
                format!(
                    "{} events · {} quotes · {} people and organizations",
                    data.events().len(),
                    data.quotes().len(),
                    data.people().len()
                ),
                false,
            )
            .field("Covers", &span, false)
            .field("Topics", topics.join(", "), false)
            .field("Sources", sources.join("\n"), false)
            .footer("Quotes are word for word as their source gives them · /help for the commands")
            .picture(Picture::Timeline(TimelineFilter::default())),
    ))
}

fn run_help(_: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let Some(name) = args.text("command") else {
        let mut reply = Reply::new(Tone::Info, "feudbot commands")
            .text("Type `/` and a command; options go as `name:value`. Typos are forgiven.");
        for spec in COMMANDS {
            reply = reply.field(
                &format!("/{}", spec.name),
                format!(
                    "{}\n{}",
                    spec.description,
                    spec.usages()
                        .iter()
                        .map(|u| format!("`{u}`"))
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
                false,
            );
        }
        return Ok(Request::Reply(
            reply.footer("/help command:timeline explains one command in detail"),
        ));
    };
    let name = name.trim().trim_start_matches('/').to_lowercase();
    let spec = find(&name).ok_or_else(|| unknown_command(&name))?;
    let lines: Vec<String> = spec.usages().iter().map(|u| format!("`{u}`")).collect();
    let mut reply = Reply::new(Tone::Info, &format!("/{}", spec.name))
        .text(spec.description)
        .field("Usage", lines.join("\n"), false);
    for sub in spec.subcommands() {
        reply = reply.field(
            &format!("/{} {}", spec.name, sub.name),
            sub.description,
            false,
        );
    }
    if !spec.rules.is_empty() {
        reply = reply.field("Rules", spec.rules, false);
    }
    if let Some(permissions) = spec.permissions {
        // Discord itself keeps the command from other members (its default member
        // permissions), and lets each server change that: say so and where.
        reply = reply.field(
            "Who can use it",
            format!(
                "Members with the {} permission, by default. Server admins can change who \
                 may use it under Server Settings → Integrations.",
                permissions.name()
            ),
            false,
        );
    }
    let options = spec.forms().into_iter().flat_map(|form| form.options);
    let mut explained: Vec<&str> = Vec::new();
    for option in options {
        if explained.contains(&option.name) {
            continue;
        }
        explained.push(option.name);
        let mut text = format!(
            "{}\ne.g. `{}:{}`",
            option.description, option.name, option.placeholder
        );
        if !option.choices.is_empty() {
            text.push_str(&format!("; one of {}", option.choices.join(", ")));
        }
        reply = reply.field(
            &format!(
                "{} ({})",
                option.name,
                if option.required {
                    "required"
                } else {
                    "optional"
                }
            ),
            &text,
            false,
        );
    }
    Ok(Request::Reply(reply))
}
