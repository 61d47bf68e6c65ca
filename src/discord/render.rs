//! `Reply` values as serenity builders: an embed with buttons, or, for errors, a short
//! private line of text. Typed instants and mentions become Discord's markup here.

use serenity::all::{
    ButtonStyle as DiscordButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton,
    CreateEmbed, CreateEmbedFooter, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage,
};

use chrono::{DateTime, TimeDelta, Utc};

use crate::reply::{ButtonStyle, Reply, Span, Text, TimeStyle};

/// No reply may ping anyone: text a user typed (`@everyone` in a search) comes back
/// in replies, and a bot that relays pings is an abuse tool.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// A name as Markdown that shows it exactly as written: a backslash before each
/// character Discord's Markdown, mentions or links read (`john_doe` stays `john_doe`,
/// not `johndoe` in italics; `<@6001>` shows as typed, not as a mention; a name that
/// is a web address is not a link).
pub fn escaped(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '-' | '[' | ']' | '@' | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text with Discord's markup, for a message sent at `now`: `<t:1739500000:R>` for an instant (every reader sees it
/// in their own zone), `<#id>` for a channel, `<@id>` for a member, `<@&id>` for a role, names
/// [`escaped`].
pub fn markup(text: &Text, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for span in text.spans() {
        match span {
            Span::Plain(plain) => out.push_str(plain),
            Span::Time(at, style) => out.push_str(&timestamp(*at, *style)),
            Span::AfterSending(after) => {
                let at = now + TimeDelta::from_std(*after).unwrap_or(TimeDelta::MAX);
                out.push_str(&timestamp(at, TimeStyle::Relative));
            }
            Span::Channel(id) => out.push_str(&format!("<#{id}>")),
            Span::User(id) => out.push_str(&format!("<@{id}>")),
            Span::Role(id) => out.push_str(&format!("<@&{id}>")),
            Span::Name(name) => out.push_str(&escaped(name)),
        }
    }
    out
}

/// Discord's timestamp markup, rounded up so that a deadline is never shown early.
fn timestamp(at: DateTime<Utc>, style: TimeStyle) -> String {
    let seconds = at.timestamp() + i64::from(at.timestamp_subsec_millis() > 0);
    let style = match style {
        TimeStyle::Relative => 'R',
        TimeStyle::Full => 'F',
    };
    format!("<t:{seconds}:{style}>")
}

/// The embed of a reply sent at `now`.
pub fn embed(reply: &Reply, now: DateTime<Utc>) -> CreateEmbed {
    let mut embed = CreateEmbed::new()
        .title(&reply.title)
        .colour(reply.tone.colour());
    if !reply.text.is_empty() {
        embed = embed.description(markup(&reply.text, now));
    }
    for field in &reply.fields {
        embed = embed.field(&field.name, markup(&field.value, now), field.inline);
    }
    if let Some(footer) = &reply.footer {
        embed = embed.footer(CreateEmbedFooter::new(footer));
    }
    if let Some(picture) = &reply.picture {
        // `attachment://<name>`: the file uploaded with the message.
        embed = embed.attachment(picture.file_name());
    }
    embed
}

/// The rows of buttons of a reply.
pub fn components(reply: &Reply) -> Vec<CreateActionRow> {
    reply
        .rows
        .iter()
        .map(|row| {
            CreateActionRow::Buttons(
                row.iter()
                    .map(|button| {
                        CreateButton::new(&button.custom_id)
                            .label(&button.label)
                            .style(match button.style {
                                ButtonStyle::Primary => DiscordButtonStyle::Primary,
                                ButtonStyle::Secondary => DiscordButtonStyle::Secondary,
                                ButtonStyle::Success => DiscordButtonStyle::Success,
                                ButtonStyle::Danger => DiscordButtonStyle::Danger,
                            })
                            .disabled(button.disabled)
                    })
                    .collect(),
            )
        })
        .collect()
}

/// A reply as the message of an interaction response (new or updated message), sent at
/// `now`.
pub fn response_message(reply: &Reply, now: DateTime<Utc>) -> CreateInteractionResponseMessage {
    let message = CreateInteractionResponseMessage::new()
        .allowed_mentions(no_pings())
        .ephemeral(reply.ephemeral);
    if reply.is_error() {
        // Plain text: errors are one or two sentences, and read best that way.
        return message.content(markup(&reply.text, now));
    }
    message
        .embed(embed(reply, now))
        .components(components(reply))
}

/// A reply as the new content of a deferred interaction's own response, sent at `now`.
pub fn response_edit(reply: &Reply, now: DateTime<Utc>) -> EditInteractionResponse {
    let edit = EditInteractionResponse::new().allowed_mentions(no_pings());
    if reply.is_error() {
        return edit
            .content(markup(&reply.text, now))
            .embeds(Vec::new())
            .components(Vec::new());
    }
    edit.embed(embed(reply, now)).components(components(reply))
}

/// A reply as a follow-up message of an interaction, sent at `now`.
pub fn followup(reply: &Reply, now: DateTime<Utc>) -> CreateInteractionResponseFollowup {
    let message = CreateInteractionResponseFollowup::new()
        .allowed_mentions(no_pings())
        .ephemeral(reply.ephemeral);
    if reply.is_error() {
        return message.content(markup(&reply.text, now));
    }
    message
        .embed(embed(reply, now))
        .components(components(reply))
}

/// A reply as a new channel message, sent at `now`.
pub fn channel_message(reply: &Reply, now: DateTime<Utc>) -> CreateMessage {
    CreateMessage::new()
        .embed(embed(reply, now))
        .components(components(reply))
        .allowed_mentions(no_pings())
}

/// A reply as the new content of a message, sent at `now`.
pub fn message_edit(reply: &Reply, now: DateTime<Utc>) -> EditMessage {
    EditMessage::new()
        .embed(embed(reply, now))
        .components(components(reply))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::limits::SPAN_MAX;

    #[test]
    fn markup_fits_the_room_a_span_is_given_and_rounds_deadlines_up() {
        let at = chrono::DateTime::from_timestamp_millis(1_739_500_000_001).unwrap();
        let text = Text::from("Closes ")
            .time(at, TimeStyle::Relative)
            .plain(" in ")
            .channel(u64::MAX)
            .user(u64::MAX)
            .role(u64::MAX)
            .time(at, TimeStyle::Full)
            .after_sending(std::time::Duration::from_secs(20))
            .plain(" by **")
            .name("<@6001> *john_doe*")
            .plain("**");
        assert_eq!(
            markup(&text, at),
            format!(
                "Closes <t:1739500001:R> in <#{0}><@{0}><@&{0}><t:1739500001:F><t:1739500021:R> by \
                 **\\<\\@6001\\> \\*john\\_doe\\***",
                u64::MAX
            )
        );
        assert!(markup(&text, at).chars().count() <= text.len());
        assert!(format!("<#{}>", u64::MAX).len() <= SPAN_MAX);
    }
}
