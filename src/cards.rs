//! How the dataset's records look as replies, wherever they are shown: the event
//! card of `/event` and its buttons, the quote card of `/quote` and of daily posts.

use crate::data::{Dataset, Event, Quote};
use crate::query::quotes_of_event;
use crate::reply::{Button, ButtonStyle, Reply, Tone, fit};
use crate::search::DocKind;

/// The footer naming an event's sources: the story's, and the exact date's when it
/// comes from elsewhere.
pub fn event_footer(data: &Dataset, event: &Event) -> String {
    let mut footer = format!("Source: {}", data.citation(&event.source));
    if let Some(date_source) = &event.date_source {
        footer.push_str(&format!(" · Exact date: {}", data.citation(date_source)));
    }
    footer
}

/// A button opening an event's card.
pub fn event_button(event: &Event, label: &str, style: ButtonStyle) -> Button {
    Button::new(label, format!("event:{}", event.id), style)
}

/// An event in full, with buttons to the events before and after it.
pub fn event_card(data: &Dataset, event: &Event) -> Reply {
    let people: Vec<&str> = event.people.iter().map(|id| data.name(id)).collect();
    let mut reply = Reply::new(Tone::Event, &event.title)
        .text(&event.summary)
        .field("When", event.date.human(), true)
        .field("Who", people.join(", "), true)
        .field("Topics", event.tags.join(", "), true);
    let quotes: Vec<String> = quotes_of_event(data, &event.id)
        .into_iter()
        .map(|q| format!("> “{}”\n— {}", fit(&q.text, 300), data.speakers(q)))
        .collect();
    if !quotes.is_empty() {
        reply = reply.field("What was said", quotes.join("\n"), false);
    }
    let position = data.position(DocKind::Event, &event.id).unwrap_or(0);
    let neighbour = |i: Option<usize>| i.and_then(|i| data.events().get(i));
    let mut buttons = Vec::new();
    if let Some(before) = neighbour(position.checked_sub(1)) {
        buttons.push(event_button(before, "◀ Before", ButtonStyle::Secondary));
    }
    if let Some(after) = neighbour(Some(position + 1)) {
        buttons.push(event_button(after, "After ▶", ButtonStyle::Primary));
    }
    reply.footer(&event_footer(data, event)).buttons(buttons)
}

/// A quote with who said it, where and when; `another` is the `custom_id` of an
/// "Another quote" button.
pub fn quote_card(data: &Dataset, quote: &Quote, another: Option<String>) -> Reply {
    let when = quote
        .date
        .map_or("Not dated in the source".to_string(), |d| d.human());
    let mut reply = Reply::new(Tone::Quote, &data.speakers(quote))
        .text(format!("“{}”\n\n*{}*", quote.text, quote.context))
        .field("When", &when, true);
    let mut buttons = Vec::new();
    if let Some(another) = another {
        buttons.push(Button::new("Another quote", another, ButtonStyle::Primary));
    }
    if let Some(event) = quote.event.as_deref().and_then(|id| data.event(id)) {
        reply = reply.field("Event", &event.title, true);
        buttons.push(event_button(event, "See the event", ButtonStyle::Secondary));
    }
    reply
        .footer(&format!("Source: {}", data.citation(&quote.source)))
        .buttons(buttons)
}
