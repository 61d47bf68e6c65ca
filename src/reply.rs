//! A platform-neutral message: what a command answers, before it becomes a Discord
//! embed or console text.
//!
//! Every constructor keeps within Discord's limits, so no reply can be rejected for
//! its size; [`Reply::violations`] checks a finished reply against all of them.
//!
//! Text that names an instant or a channel or member holds it typed ([`Span`]), and
//! each front end shows it its own way: Discord as markup that every reader sees in
//! their own time zone, the console as a readable local time. So does a name a member
//! chose for themselves: shown exactly as written, never read as Markdown.
//!
//! Replies echo what users typed and how they named themselves, so every piece of
//! text is [`clean`]ed on its way in: nothing a reply shows can garble a line.

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
    /// Characters an instant or a mention may take in any front end's markup: what it
    /// counts for against the limits above.
    pub const SPAN_MAX: usize = 24;
}

use limits::*;

use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::fmt;

/// Whether `c` garbles the line it is shown on: a control character (other than a
/// line break or a tab), or an invisible mark that reorders the text around it
/// (bidirectional embeddings, overrides and isolates, U+202E among them) or breaks it
/// (the line and paragraph separators).
fn garbles(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` without the characters that garble a line in clients (control characters
/// but line breaks and tabs, bidirectional overrides, NUL…). Every text a reply holds
/// goes through it.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(garbles) {
        Cow::Owned(text.chars().filter(|&c| !garbles(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// How an instant is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeStyle {
    /// Relative to the reader's now: "in 20 seconds", "3 hours ago".
    Relative,
    /// Date and time of day in the reader's time zone.
    Full,
}

/// A piece of [`Text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    /// Markdown text, shown as it is.
    Plain(String),
    /// An instant.
    Time(DateTime<Utc>, TimeStyle),
    /// The instant this long after the message is sent, shown relative ("in 20
    /// seconds"): a deadline that starts when the message goes out, however long it
    /// waited to be sent.
    AfterSending(std::time::Duration),
    /// A channel of the server, by id.
    Channel(u64),
    /// A member, by id; never a ping.
    User(u64),
    /// A role of the server, by id; never a ping.
    Role(u64),
    /// A name as its owner wrote it (a member's nickname): shown exactly so, never
    /// read as Markdown or a mention.
    Name(String),
}

impl Span {
    /// Characters it counts for against a limit. A name counts twice its length: a
    /// front end may escape each of its characters.
    fn len(&self) -> usize {
        match self {
            Span::Plain(text) => text.chars().count(),
            Span::Name(name) => 2 * name.chars().count(),
            _ => SPAN_MAX,
        }
    }
}

/// Markdown text that may name instants, channels and members (see [`Span`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    spans: Vec<Span>,
}

impl Text {
    /// Empty text.
    pub fn new() -> Text {
        Text::default()
    }

    /// The same text followed by `text` ([`clean`]ed).
    pub fn plain(mut self, text: &str) -> Text {
        let text = clean(text);
        if text.is_empty() {
            return self;
        }
        match self.spans.last_mut() {
            Some(Span::Plain(last)) => last.push_str(&text),
            _ => self.spans.push(Span::Plain(text.into_owned())),
        }
        self
    }

    /// The same text followed by a name, shown exactly as written ([`clean`]ed).
    pub fn name(mut self, name: &str) -> Text {
        let name = clean(name);
        if !name.is_empty() {
            self.spans.push(Span::Name(name.into_owned()));
        }
        self
    }

    /// The same text followed by the instant `at`.
    pub fn time(mut self, at: DateTime<Utc>, style: TimeStyle) -> Text {
        self.spans.push(Span::Time(at, style));
        self
    }

    /// The same text followed by `at` in full and relative: "9 June 2025 09:00 (in 3
    /// hours)".
    pub fn when(self, at: DateTime<Utc>) -> Text {
        self.time(at, TimeStyle::Full)
            .plain(" (")
            .time(at, TimeStyle::Relative)
            .plain(")")
    }

    /// The same text followed by the instant `after` the message is sent.
    pub fn after_sending(mut self, after: std::time::Duration) -> Text {
        self.spans.push(Span::AfterSending(after));
        self
    }

    /// The same text followed by a channel.
    pub fn channel(mut self, channel_id: u64) -> Text {
        self.spans.push(Span::Channel(channel_id));
        self
    }

    /// The same text followed by a member.
    pub fn user(mut self, user_id: u64) -> Text {
        self.spans.push(Span::User(user_id));
        self
    }

    /// The same text followed by a role.
    pub fn role(mut self, role_id: u64) -> Text {
        self.spans.push(Span::Role(role_id));
        self
    }

    /// The same text followed by `other`.
    pub fn append(mut self, other: Text) -> Text {
        for span in other.spans {
            self = match span {
                Span::Plain(text) => self.plain(&text),
                span => {
                    self.spans.push(span);
                    self
                }
            };
        }
        self
    }

    /// Its pieces, in order.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Whether it shows nothing at all.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Whether it shows nothing but white space.
    pub fn is_blank(&self) -> bool {
        self.spans.iter().all(|span| match span {
            Span::Plain(text) => text.trim().is_empty(),
            _ => false,
        })
    }

    /// Characters it counts for against a limit, each instant or mention as
    /// [`limits::SPAN_MAX`].
    pub fn len(&self) -> usize {
        self.spans.iter().map(Span::len).sum()
    }

    /// Shortens it to at most `max` characters (see [`Text::len`]), ending with `…`
    /// when cut; an instant or mention that does not fit whole is left out.
    pub fn fit(self, max: usize) -> Text {
        if self.len() <= max {
            return self;
        }
        let room = max.saturating_sub(1);
        let mut used = 0;
        let mut out = Text::new();
        for span in self.spans {
            let len = span.len();
            if used + len <= room {
                used += len;
                out.spans.push(span);
                continue;
            }
            if let Span::Plain(text) = span {
                let cut: String = text.chars().take(room - used).collect();
                out = out.plain(&cut);
            }
            break;
        }
        out.plain("…")
    }
}

/// As plain text, instants in RFC 3339 (`+20s` for one after sending), mentions as
/// `#id`, `@id` and `@&id`, names as written: for logs and tests. Front ends render
/// the spans themselves.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for span in &self.spans {
            match span {
                Span::Plain(text) | Span::Name(text) => f.write_str(text)?,
                Span::Time(at, _) => write!(f, "{}", at.to_rfc3339())?,
                Span::AfterSending(after) => write!(f, "+{}s", after.as_secs())?,
                Span::Channel(id) => write!(f, "#{id}")?,
                Span::User(id) => write!(f, "@{id}")?,
                Span::Role(id) => write!(f, "@&{id}")?,
            }
        }
        Ok(())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new().plain(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::new().plain(&text)
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::new().plain(text)
    }
}

/// One choice offered by autocomplete: what is shown, and what is sent back when picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Shown in the list (at most [`limits::CHOICE_MAX`] characters).
    pub name: String,
    /// Sent back as the option's value.
    pub value: String,
}

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
    pub name: String,
    pub value: Text,
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

/// Which events a timeline shows, on a `/timeline` page or in its picture. Empty means
/// all. Part of the shared vocabulary so that a reply can describe the picture it shows;
/// [`crate::query`] filters the dataset by it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    /// First and last year, inclusive.
    pub years: Option<(i32, i32)>,
    /// A person id.
    pub person: Option<String>,
    /// A tag.
    pub tag: Option<String>,
    /// Words the events must match.
    pub text: Option<String>,
}

/// One of the top three of a finished quiz, as its podium card shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodiumPlace {
    /// 1, 2 or 3 (tied players share a place).
    pub place: usize,
    /// The display name, as the player wrote it.
    pub name: String,
    /// Points.
    pub points: u32,
    /// Questions answered right.
    pub correct: u16,
    /// Questions answered.
    pub answered: u16,
    /// Longest run of right answers.
    pub best_streak: u16,
}

/// A finished quiz's podium card: its top three and its numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodiumView {
    /// The top three who scored, best first.
    pub places: Vec<PodiumPlace>,
    /// Questions asked.
    pub questions: u8,
    /// Everyone who answered at least once.
    pub players: usize,
}

/// A picture a reply shows under its embed: described, not drawn, so that building and
/// comparing replies stays cheap; the front end has it drawn (off the async threads)
/// when it sends the reply, and attaches it as [`Picture::file_name`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picture {
    /// The story as a timeline.
    Timeline(TimelineFilter),
    /// A finished quiz's podium.
    Podium(PodiumView),
}

impl Picture {
    /// The attachment's file name, which the embed's image names.
    pub fn file_name(&self) -> &'static str {
        match self {
            Picture::Timeline(_) => "timeline.png",
            Picture::Podium(_) => "podium.png",
        }
    }
}

/// A command's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub title: String,
    /// Main text (Markdown).
    pub text: Text,
    /// Titled blocks below the text.
    pub fields: Vec<Field>,
    /// Small print: the source, the page.
    pub footer: Option<String>,
    /// What it is about.
    pub tone: Tone,
    pub rows: Vec<Vec<Button>>,
    /// Shown only to the person who asked.
    pub ephemeral: bool,
    /// A picture shown as the embed's image.
    pub picture: Option<Picture>,
}

/// Shortens `text` ([`clean`]ed) to at most `max` characters, ending with `…` when cut.
pub fn fit(text: &str, max: usize) -> String {
    let text = clean(text);
    if text.chars().count() <= max {
        return text.into_owned();
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
            text: Text::new(),
            fields: Vec::new(),
            footer: None,
            tone,
            rows: Vec::new(),
            ephemeral: false,
            picture: None,
        }
    }

    /// Shows `picture` as the embed's image.
    pub fn picture(mut self, picture: Picture) -> Reply {
        self.picture = Some(picture);
        self
    }

    /// An answer to input that could not be answered: shown only to its author, saying
    /// what to type instead. Short enough to be sent as plain message content.
    pub fn error(message: impl Into<Text>) -> Reply {
        let mut reply = Reply::new(Tone::Error, "Not quite");
        reply.text = message.into().fit(CONTENT_MAX);
        reply.ephemeral = true;
        reply
    }

    /// Whether this reply reports an error.
    pub fn is_error(&self) -> bool {
        self.tone == Tone::Error
    }

    /// Sets the main text.
    pub fn text(mut self, text: impl Into<Text>) -> Reply {
        self.text = text.into().fit(DESCRIPTION_MAX);
        self
    }

    /// Adds a field; past [`limits::FIELDS_MAX`] fields it is left out.
    pub fn field(mut self, name: &str, value: impl Into<Text>, inline: bool) -> Reply {
        if self.fields.len() < FIELDS_MAX {
            let value = value.into();
            let value = if value.is_empty() {
                Text::from("—")
            } else {
                value
            };
            self.fields.push(Field {
                name: fit(name, FIELD_NAME_MAX),
                value: value.fit(FIELD_VALUE_MAX),
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

    /// The same reply with its main text cut so that the whole embed fits
    /// [`limits::EMBED_TOTAL_MAX`]: for replies whose parts are each within their own
    /// limit but together may not be (many events of one day). Call it once every part
    /// is set.
    pub fn fit_total(mut self) -> Reply {
        let over = self.embed_length().saturating_sub(EMBED_TOTAL_MAX);
        if over > 0 {
            let keep = self.text.len().saturating_sub(over);
            self.text = self.text.fit(keep);
        }
        self
    }

    /// Characters of embed text, as Discord counts them against [`limits::EMBED_TOTAL_MAX`].
    pub fn embed_length(&self) -> usize {
        let count = |s: &str| s.chars().count();
        count(&self.title)
            + self.text.len()
            + self.footer.as_deref().map_or(0, count)
            + self
                .fields
                .iter()
                .map(|f| count(&f.name) + f.value.len())
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
        over(&mut found, "description", self.text.len(), DESCRIPTION_MAX);
        over(&mut found, "fields", self.fields.len(), FIELDS_MAX);
        for field in &self.fields {
            over(&mut found, "field name", count(&field.name), FIELD_NAME_MAX);
            over(
                &mut found,
                "field value",
                field.value.len(),
                FIELD_VALUE_MAX,
            );
            if field.name.trim().is_empty() || field.value.is_blank() {
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
    fn text_with_instants_and_mentions_is_cut_whole_spans_first() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let text = Text::from("Next: ").when(at).plain(" in ").channel(7);
        assert_eq!(text.len(), 6 + SPAN_MAX + 2 + SPAN_MAX + 1 + 4 + SPAN_MAX);
        let cut = text.clone().fit(40);
        assert_eq!(
            cut.spans(),
            [
                Span::Plain("Next: ".into()),
                Span::Time(at, TimeStyle::Full),
                Span::Plain(" (…".into())
            ]
        );
        assert!(cut.len() <= 40);
        assert_eq!(text.clone().fit(1000), text);
        assert_eq!(Text::from("a").channel(7).user(8).to_string(), "a#7@8");
    }

    #[test]
    fn fit_total_cuts_the_text_to_what_the_other_parts_leave() {
        let long = "x".repeat(4000);
        let reply = Reply::new(Tone::Info, "t")
            .text(&long)
            .footer(&"f".repeat(2000))
            .field("n", "v".repeat(1000), false);
        assert_eq!(reply.violations().len(), 1, "over in total only");
        let fitted = reply.fit_total();
        assert_eq!(fitted.embed_length(), EMBED_TOTAL_MAX);
        assert!(fitted.violations().is_empty());
        assert!(fitted.text.to_string().ends_with('…'));
    }

    #[test]
    fn what_garbles_a_line_is_left_out_and_names_are_kept_apart() {
        assert_eq!(clean("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(clean("“quoted” — ok"), Cow::Borrowed(_)));
        assert_eq!(clean("a\u{202E}b\u{0}c\u{2066}d\u{7}\u{85}e\r"), "abcde");
        let text = Text::from("by ").name("**x_y**\u{202E}").plain("\u{0}.");
        assert_eq!(
            text.spans(),
            [
                Span::Plain("by ".into()),
                Span::Name("**x_y**".into()),
                Span::Plain(".".into())
            ]
        );
        assert_eq!(text.to_string(), "by **x_y**.");
        assert_eq!(text.len(), 3 + 14 + 1);
        assert_eq!(Text::new().name("\u{202E}"), Text::new());
        assert_eq!(fit("a\u{202E}b", 10), "ab");
        assert_eq!(Reply::new(Tone::Info, "t\u{0}").title, "t");
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
