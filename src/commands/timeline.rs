//! `/timeline`: the story in order, filtered, a page at a time.

use super::{
    Args, Body, CommandSpec, Completion, Ctx, OptionSpec, Request, UserError, stale_button,
};
use crate::data::Dataset;
use crate::query::{TimelineFilter, closest, find_person, page, parse_years, timeline};
use crate::reply::{Button, ButtonStyle, Picture, Reply, Tone};

/// Events per page: six summaries keep an embed short enough to read at a glance.
const PER_PAGE: usize = 6;
/// Longest `text` filter, so that the whole filter fits in a button's `custom_id`.
const TEXT_MAX: usize = 25;

/// `/timeline [year] [person] [tag] [text] [page]`.
pub const TIMELINE: CommandSpec = CommandSpec {
    name: "timeline",
    description: "The story in order, filtered by year, person, topic or words",
    body: Body::Options(
        &[
            OptionSpec::text(
                "year",
                "A year or a range of years, e.g. 2024 or 2015-2018",
                "2024",
            )
            .max_length(9),
            OptionSpec::text(
                "person",
                "Only events involving this person or organization",
                "musk",
            )
            .complete(Completion::People)
            .max_length(60),
            OptionSpec::text("tag", "Only events on this topic, e.g. lawsuit", "lawsuit")
                .complete(Completion::Tags)
                .max_length(24),
            OptionSpec::text("text", "Only events matching these words", "stargate")
                .max_length(TEXT_MAX),
            OptionSpec::integer("page", "Which page to show", "2", 1, 999),
        ],
        run,
    ),
    press: Some(press),
    permissions: None,
    guild_only: false,
    rules: "",
};

fn run(ctx: &mut Ctx, args: &Args) -> Result<Request, UserError> {
    let filter = filter(
        ctx.data,
        args.text("year"),
        args.text("person"),
        args.text("tag"),
        args.text("text"),
    )?;
    let page = args.integer("page").unwrap_or(1) as usize;
    render(ctx.data, &filter, page).map(Request::Reply)
}

/// The filter a user typed (`2015-2018`, `elon`, `lawsuit`, words), checked against the
/// dataset: the same rules and hints for `/timeline` and `feudbot render timeline`.
pub fn filter(
    data: &Dataset,
    year: Option<&str>,
    person: Option<&str>,
    tag: Option<&str>,
    text: Option<&str>,
) -> Result<TimelineFilter, UserError> {
    let (first, last) = story_years(data);
    let years = match year {
        None => None,
        Some(text) => Some(parse_years(text).ok_or_else(|| {
            UserError::new(format!(
                "`{text}` is not a year. Type a year like `/timeline year:2024` or a range like \
                 `/timeline year:2015-2018`; the story runs from {first} to {last}."
            ))
        })?),
    };
    let person = match person {
        None => None,
        Some(text) => Some(
            find_person(data, text)
                .ok_or_else(|| super::lookup::unknown_person(data, text))?
                .id
                .clone(),
        ),
    };
    let tag = match tag {
        None => None,
        Some(text) => Some(known_tag(data, text)?),
    };
    Ok(TimelineFilter {
        years,
        person,
        tag,
        text: text.map(str::to_string),
    })
}

fn story_years(data: &Dataset) -> (i32, i32) {
    let year = |e: Option<&crate::data::Event>| e.map_or(0, |e| e.date.year());
    (year(data.events().first()), year(data.events().last()))
}

fn known_tag(data: &Dataset, text: &str) -> Result<String, UserError> {
    let wanted = text.trim().to_lowercase();
    if data.tag_count(&wanted) > 0 {
        return Ok(wanted);
    }
    let names = data.tags().iter().map(|(tag, _)| tag.as_str());
    let close = closest(&wanted, names.clone(), 3);
    let offer = if close.is_empty() {
        names.collect()
    } else {
        close
    };
    Err(UserError::new(format!(
        "There is no topic `{text}`. Try one of: {}.",
        offer
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

fn describe(data: &Dataset, filter: &TimelineFilter) -> String {
    let mut parts = Vec::new();
    match filter.years {
        Some((from, to)) if from == to => parts.push(from.to_string()),
        Some((from, to)) => parts.push(format!("{from}–{to}")),
        None => {}
    }
    if let Some(person) = &filter.person {
        parts.push(data.name(person).to_string());
    }
    if let Some(tag) = &filter.tag {
        parts.push(format!("#{tag}"));
    }
    if let Some(text) = &filter.text {
        parts.push(format!("“{text}”"));
    }
    parts.join(" · ")
}

fn render(data: &Dataset, filter: &TimelineFilter, page_number: usize) -> Result<Reply, UserError> {
    let events = timeline(data, filter);
    let described = describe(data, filter);
    if events.is_empty() {
        let (first, last) = story_years(data);
        return Err(UserError::new(format!(
            "No events match {described}. The story runs from {first} to {last}: try `/timeline` \
             for all of it, or `/search` with a word or name."
        )));
    }
    let (shown, page_number, pages) = page(&events, page_number, PER_PAGE);
    let title = if described.is_empty() {
        "Timeline".to_string()
    } else {
        format!("Timeline · {described}")
    };
    let mut reply = Reply::new(Tone::Event, &title);
    for event in shown {
        reply = reply.field(
            &event.date.human(),
            format!("**{}**\n{}", event.title, event.summary),
            false,
        );
    }
    let count = events.len();
    reply = reply.footer(&format!(
        "Page {page_number} of {pages} · {count} event{} · /event for sources and quotes",
        if count == 1 { "" } else { "s" }
    ));
    let mut buttons = Vec::new();
    if pages > 1 {
        let id = |target: usize| page_id(filter, target);
        buttons.push(
            Button::new("◀ Previous", id(page_number - 1), ButtonStyle::Secondary)
                .disabled(page_number == 1),
        );
        buttons.push(
            Button::new("Next ▶", id(page_number + 1), ButtonStyle::Primary)
                .disabled(page_number == pages),
        );
    }
    buttons.push(Button::new(
        "Picture",
        state_id(filter, PICTURE),
        ButtonStyle::Secondary,
    ));
    Ok(reply.buttons(buttons))
}

/// The timeline of `filter` as a picture, in a message of its own.
fn picture(data: &Dataset, filter: &TimelineFilter) -> Result<Reply, UserError> {
    let count = timeline(data, filter).len();
    let described = describe(data, filter);
    if count == 0 {
        return Err(UserError::new(format!(
            "No events match {described}: there is nothing to draw. Try `/timeline` for all of it."
        )));
    }
    let title = if described.is_empty() {
        "Timeline picture".to_string()
    } else {
        format!("Timeline picture · {described}")
    };
    Ok(Reply::new(Tone::Event, &title)
        .footer(&format!(
            "{count} event{} · /timeline for the summaries",
            if count == 1 { "" } else { "s" }
        ))
        .picture(Picture::Timeline(filter.clone())))
}

/// What the page slot of a button's state holds for the Picture button.
const PICTURE: &str = "p";

/// `timeline:PAGE:YEARS:PERSON:TAG:TEXT`: everything a click needs, in at most 100
/// characters (ids and tags are slugs of at most 24, text at most 25).
pub(super) fn page_id(filter: &TimelineFilter, page: usize) -> String {
    state_id(filter, &page.to_string())
}

/// A button's state: `timeline:` then `slot` (a page number, or [`PICTURE`]) and the
/// filter.
fn state_id(filter: &TimelineFilter, slot: &str) -> String {
    let years = filter
        .years
        .map_or(String::new(), |(from, to)| format!("{from}-{to}"));
    format!(
        "timeline:{slot}:{years}:{}:{}:{}",
        filter.person.as_deref().unwrap_or(""),
        filter.tag.as_deref().unwrap_or(""),
        filter.text.as_deref().unwrap_or("")
    )
}

fn press(ctx: &mut Ctx, state: &str) -> Result<Request, UserError> {
    let data = ctx.data;
    let parts: Vec<&str> = state.splitn(5, ':').collect();
    let [page, years, person, tag, text] = parts[..] else {
        return Err(stale_button());
    };
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let years = match years {
        "" => None,
        years => Some(parse_years(years).ok_or_else(stale_button)?),
    };
    if !person.is_empty() && data.person(person).is_none() {
        return Err(stale_button());
    }
    let filter = TimelineFilter {
        years,
        person: some(person),
        tag: some(tag),
        text: some(text).filter(|t| t.chars().count() <= TEXT_MAX),
    };
    if page == PICTURE {
        return picture(data, &filter).map(Request::Reply);
    }
    let page: usize = page.parse().map_err(|_| stale_button())?;
    render(data, &filter, page).map(Request::Reply)
}
