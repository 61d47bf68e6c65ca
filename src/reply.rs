//! A platform-neutral message: what a command answers, before it becomes a Discord
//! embed or console text.
//!
//! Every constructor keeps within Discord's limits, so no reply can be rejected for
//! its size; [`Reply::violations`] checks a finished reply against all of them.

/// Discord's limits on what a message may hold.
pub mod limits {
    /// Characters in a message's plain content.
    pub const CONTENT_MAX: usize = 2000;
    /// Characters in an embed title.
    pub const TITLE_MAX: usize = 256;
    /// Characters in an embed description.
    pub const DESCRIPTION_MAX: usize = 4096;
    /// Fields in an embed.
    pub const FIELDS_MAX: usize = 25;
    /// Characters in a field name.
    pub const FIELD_NAME_MAX: usize = 256;
    /// Characters in a field value.
    pub const FIELD_VALUE_MAX: usize = 1024;
    /// Characters in an embed footer.
    pub const FOOTER_MAX: usize = 2048;
    /// Characters in all of an embed's text together.
    pub const EMBED_TOTAL_MAX: usize = 6000;
    /// Buttons in one action row.
    pub const BUTTONS_PER_ROW_MAX: usize = 5;
    /// Action rows in a message.
    pub const ROWS_MAX: usize = 5;
    /// Characters in a button label.
    pub const BUTTON_LABEL_MAX: usize = 80;
    /// Characters in a component's `custom_id`.
    pub const CUSTOM_ID_MAX: usize = 100;
    /// Choices in an autocomplete answer.
    pub const CHOICES_MAX: usize = 25;
    /// Characters in a choice's name or value.
    pub const CHOICE_MAX: usize = 100;
}

use limits::*;

/// What a reply is about; it picks the embed colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Events and timelines.
    Event,
    /// Quotes.
    Quote,
    /// People and organizations.
    Person,
    /// Help, about, search results.
    Info,
    /// Trivia: questions, answers, scores.
    Quiz,
    /// Something the user typed could not be answered.
    Error,
}

impl Tone {
    /// The embed colour as `0xRRGGBB`.
    pub fn colour(self) -> u32 {
        match self {
            Tone::Event => 0x3b82f6,
            Tone::Quote => 0xf59e0b,
            Tone::Person => 0x10b981,
            Tone::Info => 0x8b5cf6,
            Tone::Quiz => 0xec4899,
            Tone::Error => 0xef4444,
        }
    }
}

/// A titled block of text in a reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Heading.
    pub name: String,
    /// Body.
    pub value: String,
    /// Whether it may sit beside other inline fields.
    pub inline: bool,
}

/// How a button looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ButtonStyle {
    /// The main action.
    Primary,
    /// Any other action.
    Secondary,
    /// Green: a revealed right answer.
    Success,
    /// Red: a revealed wrong answer that someone chose.
    Danger,
}

/// A button; clicking it sends its `custom_id` back, which carries all the state the
/// answer needs, so a click works even after the bot restarts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button {
    /// Text on the button.
    pub label: String,
    /// What a click sends back.
    pub custom_id: String,
    /// Look.
    pub style: ButtonStyle,
    /// Shown but not clickable.
    pub disabled: bool,
}

impl Button {
    /// A clickable button. `custom_id` must fit [`limits::CUSTOM_ID_MAX`]; callers build
    /// ids from bounded parts, and [`Reply::violations`] checks them.
    pub fn new(label: &str, custom_id: String, style: ButtonStyle) -> Button {
        Button {
            label: fit(label, BUTTON_LABEL_MAX),
            custom_id,
            style,
            disabled: false,
        }
    }

    /// The same button, disabled when `disabled` is true.
    pub fn disabled(mut self, disabled: bool) -> Button {
        self.disabled = disabled;
        self
    }
}

/// A command's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Heading.
    pub title: String,
    /// Main text (Markdown).
    pub text: String,
    /// Titled blocks below the text.
    pub fields: Vec<Field>,
    /// Small print: the source, the page.
    pub footer: Option<String>,
    /// What it is about.
    pub tone: Tone,
    /// Rows of buttons.
    pub rows: Vec<Vec<Button>>,
    /// Shown only to the person who asked.
    pub ephemeral: bool,
}

/// Shortens `text` to at most `max` characters, ending with `…` when cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

impl Reply {
    /// An empty reply with a title.
    pub fn new(tone: Tone, title: &str) -> Reply {
        Reply {
            title: fit(title, TITLE_MAX),
            text: String::new(),
            fields: Vec::new(),
            footer: None,
            tone,
            rows: Vec::new(),
            ephemeral: false,
        }
    }

    /// An answer to input that could not be answered: shown only to its author, saying
    /// what to type instead. Short enough to be sent as plain message content.
    pub fn error(message: &str) -> Reply {
        let mut reply = Reply::new(Tone::Error, "Not quite");
        reply.text = fit(message, CONTENT_MAX);
        reply.ephemeral = true;
        reply
    }

    /// Whether this reply reports an error.
    pub fn is_error(&self) -> bool {
        self.tone == Tone::Error
    }

    /// Sets the main text.
    pub fn text(mut self, text: &str) -> Reply {
        self.text = fit(text, DESCRIPTION_MAX);
        self
    }

    /// Adds a field; past [`limits::FIELDS_MAX`] fields it is left out.
    pub fn field(mut self, name: &str, value: &str, inline: bool) -> Reply {
        if self.fields.len() < FIELDS_MAX {
            let value = if value.is_empty() { "—" } else { value };
            self.fields.push(Field {
                name: fit(name, FIELD_NAME_MAX),
                value: fit(value, FIELD_VALUE_MAX),
                inline,
            });
        }
        self
    }

    /// Sets the footer.
    pub fn footer(mut self, footer: &str) -> Reply {
        self.footer = Some(fit(footer, FOOTER_MAX));
        self
    }

    /// Adds a row of buttons, split into rows of [`limits::BUTTONS_PER_ROW_MAX`];
    /// past [`limits::ROWS_MAX`] rows they are left out.
    pub fn buttons(mut self, buttons: Vec<Button>) -> Reply {
        for row in buttons.chunks(BUTTONS_PER_ROW_MAX) {
            if self.rows.len() < ROWS_MAX {
                self.rows.push(row.to_vec());
            }
        }
        self
    }

    /// Characters of embed text, as Discord counts them against [`limits::EMBED_TOTAL_MAX`].
    pub fn embed_length(&self) -> usize {
        let count = |s: &str| s.chars().count();
        count(&self.title)
            + count(&self.text)
            + self.footer.as_deref().map_or(0, count)
            + self
                .fields
                .iter()
                .map(|f| count(&f.name) + count(&f.value))
                .sum::<usize>()
    }

    /// Every way this reply breaks one of Discord's limits; empty when it fits.
    pub fn violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        let over = |found: &mut Vec<String>, what: &str, length: usize, max: usize| {
            if length > max {
                found.push(format!("{what}: {length} > {max}"));
            }
        };
        let count = |s: &str| s.chars().count();
        over(&mut found, "title", count(&self.title), TITLE_MAX);
        over(
            &mut found,
            "description",
            count(&self.text),
            DESCRIPTION_MAX,
        );
        over(&mut found, "fields", self.fields.len(), FIELDS_MAX);
        for field in &self.fields {
            over(&mut found, "field name", count(&field.name), FIELD_NAME_MAX);
            over(
                &mut found,
                "field value",
                count(&field.value),
                FIELD_VALUE_MAX,
            );
            if field.name.trim().is_empty() || field.value.trim().is_empty() {
                found.push(format!("empty field {:?}", field.name));
            }
        }
        over(
            &mut found,
            "footer",
            self.footer.as_deref().map_or(0, count),
            FOOTER_MAX,
        );
        over(&mut found, "embed", self.embed_length(), EMBED_TOTAL_MAX);
        over(&mut found, "rows", self.rows.len(), ROWS_MAX);
        let mut ids = std::collections::HashSet::new();
        for row in &self.rows {
            over(
                &mut found,
                "buttons in a row",
                row.len(),
                BUTTONS_PER_ROW_MAX,
            );
            for button in row {
                over(
                    &mut found,
                    "button label",
                    count(&button.label),
                    BUTTON_LABEL_MAX,
                );
                over(
                    &mut found,
                    "custom_id",
                    count(&button.custom_id),
                    CUSTOM_ID_MAX,
                );
                if button.label.is_empty() || button.custom_id.is_empty() {
                    found.push("a button without label or custom_id".to_string());
                }
                if !ids.insert(button.custom_id.as_str()) {
                    found.push(format!("custom_id {:?} used twice", button.custom_id));
                }
            }
        }
        if self.title.is_empty() && self.text.is_empty() && self.fields.is_empty() {
            found.push("an empty reply".to_string());
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_only_when_needed() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a longer text", 6), "a lon…");
        assert_eq!(fit("ééééé", 3).chars().count(), 3);
    }

    #[test]
    fn constructors_keep_within_limits() {
        let long = "x".repeat(10_000);
        let mut reply = Reply::new(Tone::Info, &long).text(&long).footer(&long);
        for _ in 0..30 {
            reply = reply.field(&long, &long, false);
        }
        let buttons = (0..40)
            .map(|i| Button::new(&long, format!("b:{i}"), ButtonStyle::Secondary))
            .collect();
        let reply = reply.buttons(buttons);
        assert_eq!(reply.fields.len(), FIELDS_MAX);
        assert_eq!(reply.rows.len(), ROWS_MAX);
        // Every single part fits; only the sum is over, which violations() reports.
        assert_eq!(
            reply.violations(),
            vec![format!(
                "embed: {} > {EMBED_TOTAL_MAX}",
                reply.embed_length()
            )]
        );
    }

    #[test]
    fn violations_catch_long_and_repeated_custom_ids() {
        let reply = Reply::new(Tone::Info, "t").buttons(vec![
            Button::new("a", "x".repeat(101), ButtonStyle::Primary),
            Button::new("b", "same".into(), ButtonStyle::Primary),
            Button::new("c", "same".into(), ButtonStyle::Primary),
        ]);
        assert_eq!(
            reply.violations(),
            ["custom_id: 101 > 100", "custom_id \"same\" used twice"]
        );
    }
}
