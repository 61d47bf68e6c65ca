//! `/event`, `/quote` and `/person`: one record in full.

use super::{Args, CommandSpec, Completion, Ctx, OptionSpec, Run, UserError, stale_button};
use crate::data::{Dataset, Event, Person, PersonKind, Quote};
use crate::query::{
    TimelineFilter, events_of, find_event, find_person, find_quote, quotes_by, quotes_of_event,
    random_quote,
};
use crate::reply::{Button, ButtonStyle, Reply, Tone, fit};
use crate::search::DocKind;

/// Events listed on a person's card before "and N more".
const PERSON_EVENTS: usize = 8;
/// Quotes listed on a person's card.
const PERSON_QUOTES: usize = 4;

/// `/event title`.
pub const EVENT: CommandSpec = CommandSpec {
    name: "event",
    description: "One event in full: what happened, who was there, what was said, the source",
    options: &[
        OptionSpec::text("title", "The event: start typing its title", "stargate")
            .required()
            .complete(Completion::Events)
            .max_length(100),
    ],
    subcommands: &[],
    run: Run::Lookup(run_event),
    press: Some(press_event),
    permissions: None,
    guild_only: false,
};

/// `/quote [quote] [speaker]`.
pub const QUOTE: CommandSpec = CommandSpec {
    name: "quote",
    description: "A quote from the feud: pick one, search its words, or get a random one",
    options: &[
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
    subcommands: &[],
    run: Run::Lookup(run_quote),
    press: Some(press_quote),
    permissions: None,
    guild_only: false,
};

/// `/person name`.
pub const PERSON: CommandSpec = CommandSpec {
    name: "person",
    description: "Who someone is in the story, their events and their quotes",
    options: &[OptionSpec::text(
        "name",
        "The person or organization: start typing a name",
        "altman",
    )
    .required()
    .complete(Completion::People)
    .max_length(60)],
    subcommands: &[],
    run: Run::Lookup(run_person),
    press: None,
    permissions: None,
    guild_only: false,
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
    UserError(format!(
        "No one called `{text}` is in the story. Try {} (start typing and pick from the list).",
        offer
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn run_event(ctx: &mut Ctx, args: &Args) -> Result<Reply, UserError> {
    let text = args.text("title").unwrap_or_default();
    let event = find_event(ctx.data, text).ok_or_else(|| {
        UserError(format!(
            "No event matches `{text}`. Try other words, `/search {text}`, or `/timeline` to browse."
        ))
    })?;
    Ok(event_card(ctx.data, event))
}

fn press_event(ctx: &mut Ctx, id: &str) -> Result<Reply, UserError> {
    let event = ctx.data.event(id).ok_or_else(stale_button)?;
    Ok(event_card(ctx.data, event))
}

/// An event in full, with buttons to the events before and after it.
pub(super) fn event_card(data: &Dataset, event: &Event) -> Reply {
    let people: Vec<&str> = event.people.iter().map(|id| data.name(id)).collect();
    let mut reply = Reply::new(Tone::Event, &event.title)
        .text(&event.summary)
        .field("When", &event.date.human(), true)
        .field("Who", &people.join(", "), true)
        .field("Topics", &event.tags.join(", "), true);
    let quotes: Vec<String> = quotes_of_event(data, &event.id)
        .into_iter()
        .map(|q| format!("> “{}”\n— {}", fit(&q.text, 300), data.speakers(q)))
        .collect();
    if !quotes.is_empty() {
        reply = reply.field("What was said", &quotes.join("\n"), false);
    }
    let mut footer = format!("Source: {}", data.citation(&event.source));
    if let Some(date_source) = &event.date_source {
        footer.push_str(&format!(" · Exact date: {}", data.citation(date_source)));
    }
    let position = data.position(DocKind::Event, &event.id).unwrap_or(0);
    let neighbour = |i: Option<usize>| i.and_then(|i| data.events().get(i));
    let mut buttons = Vec::new();
    if let Some(before) = neighbour(position.checked_sub(1)) {
        buttons.push(Button::new(
            "◀ Before",
            format!("event:{}", before.id),
            ButtonStyle::Secondary,
        ));
    }
    if let Some(after) = neighbour(Some(position + 1)) {
        buttons.push(Button::new(
            "After ▶",
            format!("event:{}", after.id),
            ButtonStyle::Primary,
        ));
    }
    reply.footer(&footer).buttons(buttons)
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
        return Err(UserError(format!(
            "There are no quotes from {} in the story. Quotes come from: {}.",
            person.name,
            speakers.join(", ")
        )));
    }
    Ok(Some(person.id.clone()))
}

fn run_quote(ctx: &mut Ctx, args: &Args) -> Result<Reply, UserError> {
    let data = ctx.data;
    let speaker = speaker_id(data, args)?;
    match args.text("quote") {
        Some(text) => {
            let quote = find_quote(data, text, speaker.as_deref()).ok_or_else(|| {
                let by = speaker
                    .as_deref()
                    .map_or(String::new(), |id| format!(" by {}", data.name(id)));
                UserError(format!(
                    "No quote{by} matches `{text}`. Start typing and pick one from the list, \
                     or leave `quote` out for a random one."
                ))
            })?;
            Ok(quote_card(data, quote, None))
        }
        None => random(ctx, speaker.as_deref()),
    }
}

fn random(ctx: &mut Ctx, speaker: Option<&str>) -> Result<Reply, UserError> {
    let quotes = quotes_by(ctx.data, speaker);
    let quote = random_quote(&quotes, ctx.rng).ok_or_else(stale_button)?;
    let another = format!("quote:random:{}", speaker.unwrap_or(""));
    Ok(quote_card(ctx.data, quote, Some(another)))
}

fn press_quote(ctx: &mut Ctx, state: &str) -> Result<Reply, UserError> {
    let speaker = state.strip_prefix("random:").ok_or_else(stale_button)?;
    if !speaker.is_empty() && ctx.data.person(speaker).is_none() {
        return Err(stale_button());
    }
    random(ctx, (!speaker.is_empty()).then_some(speaker))
}

/// A quote with who said it, where and when; `another` is the `custom_id` of an
/// "Another quote" button.
pub(crate) fn quote_card(data: &Dataset, quote: &Quote, another: Option<String>) -> Reply {
    let when = quote
        .date
        .map_or("Not dated in the source".to_string(), |d| d.human());
    let mut reply = Reply::new(Tone::Quote, &data.speakers(quote))
        .text(&format!("“{}”\n\n*{}*", quote.text, quote.context))
        .field("When", &when, true);
    let mut buttons = Vec::new();
    if let Some(another) = another {
        buttons.push(Button::new("Another quote", another, ButtonStyle::Primary));
    }
    if let Some(event) = quote.event.as_deref().and_then(|id| data.event(id)) {
        reply = reply.field("Event", &event.title, true);
        buttons.push(Button::new(
            "See the event",
            format!("event:{}", event.id),
            ButtonStyle::Secondary,
        ));
    }
    reply
        .footer(&format!("Source: {}", data.citation(&quote.source)))
        .buttons(buttons)
}

fn run_person(ctx: &mut Ctx, args: &Args) -> Result<Reply, UserError> {
    let text = args.text("name").unwrap_or_default();
    let person = find_person(ctx.data, text).ok_or_else(|| unknown_person(ctx.data, text))?;
    Ok(person_card(ctx.data, person))
}

fn person_card(data: &Dataset, person: &Person) -> Reply {
    let title = match person.kind {
        PersonKind::Person => person.name.clone(),
        PersonKind::Organization => format!("{} (organization)", person.name),
    };
    let mut reply = Reply::new(Tone::Person, &title).text(&person.role);
    if !person.aliases.is_empty() {
        reply = reply.field("Also known as", &person.aliases.join(", "), false);
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
            &lines.join("\n"),
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
            &lines.join("\n"),
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
