//! `/event`, `/quote` and `/person`: one record in full.

use super::{
    Args, Body, CommandSpec, Completion, Ctx, OptionSpec, Request, UserError, stale_button,
};
use crate::cards::{event_card, quote_card};
use crate::data::{Dataset, Person, PersonKind};
use crate::query::{
    TimelineFilter, events_of, find_event, find_person, find_quote, quotes_by, random_quote,
};
use crate::reply::{Button, ButtonStyle, Reply, Tone, fit};
use crate::search::{DocKind, telling};

/// Events listed on a person's card before "and N more".
const PERSON_EVENTS: usize = 8;
/// Quotes listed on a person's card.
const PERSON_QUOTES: usize = 4;

/// `/event title`.
pub const EVENT: CommandSpec = CommandSpec {
    name: "event",
    description: "One event in full: what happened, who was there, what was said, the source",
    body: Body::Options(
        &[
            OptionSpec::text("title", "The event: start typing its title", "stargate")
                .required()
                .complete(Completion::Events)
                .max_length(100),
        ],
        run_event,
    ),
    press: Some(press_event),
    permissions: None,
    guild_only: false,
    rules: "",
};

/// `/quote [quote] [speaker]`.
pub const QUOTE: CommandSpec = CommandSpec {
    name: "quote",
    description: "A quote from the feud: pick one, search its words, or get a random one",
    body: Body::Options(
        &[
            OptionSpec::text(
                "quote",
                "Words from the quote, or pick one from the list",
                "last straw",
            )
            .complete(Completion::Quotes)
            .max_length(100),
            OptionSpec::text("speaker", "Only quotes by this person", "altman")
                .complete(Completion::People)
                .max_length(60),
        ],
        run_quote,
    ),
    press: Some(press_quote),
    permissions: None,
    guild_only: false,
    rules: "",
};

/// `/person name`.
pub const PERSON: CommandSpec = CommandSpec {
    name: "person",
    description: "Who someone is in the story, their events and their quotes",
    body: Body::Options(
        &[OptionSpec::text(
            "name",
            "The person or organization: start typing a name",
            "altman",
        )
        .required()
        .complete(Completion::People)
        .max_length(60)],
        run_person,
    ),
    press: None,
    permissions: None,
    guild_only: false,
    rules: "",
};

/// The error for a name that matches no one, with the closest names.
pub(super) fn unknown_person(data: &Dataset, text: &str) -> UserError {
    let close: Vec<&str> = data
        .index()
        .complete(DocKind::Person, text, 3)
        .into_iter()
        .map(|i| data.people()[i as usize].name.as_str())
        .collect();
    let offer = if close.is_empty() {
        data.people()
            .iter()
            .take(6)
            .map(|p| p.name.as_str())
            .collect()
    } else {
        close
    };
    UserError::new(format!(
        "No one called `{text}` is in the story. Try {} (start typing and pick from the list).",
        offer
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The error for words that name no event: what to try instead, `/search` with its
/// telling words when that finds something.
fn unknown_event(data: &Dataset, text: &str) -> UserError {
    let words = telling(text).join(" ");
    let search = if !words.is_empty() && data.index().search(&words, None, 1).1 > 0 {
        format!(" `/search {words}`,")
    } else {
        String::new()
    };
    UserError::new(format!(
        "No event matches `{text}`. Try other words,{search} or `/timeline` to browse."
    ))
}

fn run_event(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let text = args.text("title").unwrap_or_default();
    let event = find_event(ctx.data, text).ok_or_else(|| unknown_event(ctx.data, text))?;
    Ok(Request::Reply(event_card(ctx.data, event)))
}

fn press_event(ctx: &mut Ctx, id: &str) -> Result<Request, UserError> {
    let event = ctx.data.event(id).ok_or_else(stale_button)?;
    Ok(Request::Reply(event_card(ctx.data, event)))
}

fn speaker_id(data: &Dataset, args: &Args) -> Result<Option<String>, UserError> {
    let Some(text) = args.text("speaker") else {
        return Ok(None);
    };
    let person = find_person(data, text).ok_or_else(|| unknown_person(data, text))?;
    if quotes_by(data, Some(&person.id)).is_empty() {
        let mut speakers: Vec<&str> = data
            .quotes()
            .iter()
            .flat_map(|q| q.speaker_ids())
            .map(|id| data.name(id))
            .collect();
        speakers.sort_unstable();
        speakers.dedup();
        return Err(UserError::new(format!(
            "There are no quotes from {} in the story. Quotes come from: {}.",
            person.name,
            speakers.join(", ")
        )));
    }
    Ok(Some(person.id.clone()))
}

fn run_quote(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let data = ctx.data;
    let speaker = speaker_id(data, args)?;
    match args.text("quote") {
        Some(text) => {
            let quote = find_quote(data, text, speaker.as_deref()).ok_or_else(|| {
                let by = speaker
                    .as_deref()
                    .map_or(String::new(), |id| format!(" by {}", data.name(id)));
                UserError::new(format!(
                    "No quote{by} matches `{text}`. Start typing and pick one from the list, \
                     or leave `quote` out for a random one."
                ))
            })?;
            Ok(Request::Reply(quote_card(data, quote, None)))
        }
        None => random(ctx, speaker.as_deref()).map(Request::Reply),
    }
}

fn random(ctx: &mut Ctx, speaker: Option<&str>) -> Result<Reply, UserError> {
    let quotes = quotes_by(ctx.data, speaker);
    let quote = random_quote(&quotes, ctx.rng).ok_or_else(stale_button)?;
    let another = format!("quote:random:{}", speaker.unwrap_or(""));
    Ok(quote_card(ctx.data, quote, Some(another)))
}

fn press_quote(ctx: &mut Ctx, state: &str) -> Result<Request, UserError> {
    let speaker = state.strip_prefix("random:").ok_or_else(stale_button)?;
    if !speaker.is_empty() && ctx.data.person(speaker).is_none() {
        return Err(stale_button());
    }
    random(ctx, (!speaker.is_empty()).then_some(speaker)).map(Request::Reply)
}

fn run_person(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let text = args.text("name").unwrap_or_default();
    let person = find_person(ctx.data, text).ok_or_else(|| unknown_person(ctx.data, text))?;
    Ok(Request::Reply(person_card(ctx.data, person)))
}

fn person_card(data: &Dataset, person: &Person) -> Reply {
    let title = match person.kind {
        PersonKind::Person => person.name.clone(),
        PersonKind::Organization => format!("{} (organization)", person.name),
    };
    let mut reply = Reply::new(Tone::Person, &title).text(&person.role);
    if !person.aliases.is_empty() {
        reply = reply.field("Also known as", person.aliases.join(", "), false);
    }
    let events = events_of(data, &person.id);
    if !events.is_empty() {
        let mut lines: Vec<String> = events
            .iter()
            .take(PERSON_EVENTS)
            .map(|e| format!("`{}` {}", e.date, e.title))
            .collect();
        if events.len() > PERSON_EVENTS {
            lines.push(format!("…and {} more", events.len() - PERSON_EVENTS));
        }
        reply = reply.field(
            &format!("Events ({})", events.len()),
            lines.join("\n"),
            false,
        );
    }
    let quotes = quotes_by(data, Some(&person.id));
    if !quotes.is_empty() {
        let lines: Vec<String> = quotes
            .iter()
            .take(PERSON_QUOTES)
            .map(|q| format!("“{}”", fit(&q.text, 160)))
            .collect();
        reply = reply.field(
            &format!("Quotes ({})", quotes.len()),
            lines.join("\n"),
            false,
        );
    }
    let mut buttons = Vec::new();
    if !events.is_empty() {
        let filter = TimelineFilter {
            person: Some(person.id.clone()),
            ..TimelineFilter::default()
        };
        buttons.push(Button::new(
            "Their timeline",
            super::timeline::page_id(&filter, 1),
            ButtonStyle::Primary,
        ));
    }
    if !quotes.is_empty() {
        buttons.push(Button::new(
            "A random quote",
            format!("quote:random:{}", person.id),
            ButtonStyle::Secondary,
        ));
    }
    reply
        .footer(&format!("Source: {}", data.citation(&person.source)))
        .buttons(buttons)
}
