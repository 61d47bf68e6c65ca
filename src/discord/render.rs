//! `Reply` values as serenity builders: an embed with buttons, or, for errors, a short
//! private line of text.

use serenity::all::{
    ButtonStyle as DiscordButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton,
    CreateEmbed, CreateEmbedFooter, CreateInteractionResponseMessage,
};

use crate::reply::{ButtonStyle, Reply};

/// No reply may ping anyone: text a user typed (`@everyone` in a search) comes back
/// in replies, and a bot that relays pings is an abuse tool.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// The embed of a reply.
pub fn embed(reply: &Reply) -> CreateEmbed {
    let mut embed = CreateEmbed::new()
        .title(&reply.title)
        .colour(reply.tone.colour());
    if !reply.text.is_empty() {
        embed = embed.description(&reply.text);
    }
    for field in &reply.fields {
        embed = embed.field(&field.name, &field.value, field.inline);
    }
    if let Some(footer) = &reply.footer {
        embed = embed.footer(CreateEmbedFooter::new(footer));
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

/// A reply as the message of an interaction response (new or updated message).
pub fn response_message(reply: &Reply) -> CreateInteractionResponseMessage {
    let message = CreateInteractionResponseMessage::new()
        .allowed_mentions(no_pings())
        .ephemeral(reply.ephemeral);
    if reply.is_error() {
        // Plain text: errors are one or two sentences, and read best that way.
        return message.content(&reply.text);
    }
    message.embed(embed(reply)).components(components(reply))
}
