//! The podium card of a finished quiz: the top three on their steps (first in the
//! middle, highest), each with points, best streak and share of right answers, and
//! the quiz's numbers. Names are the players' own: a character the font lacks shows as
//! a visible substitute, so a name always shows as something.

use super::PictureError;
use super::canvas::{Canvas, Colour, Rect, Text, Theme, Tone};
use crate::reply::{PodiumPlace, PodiumView};

/// The card's width, as the timeline's.
pub const WIDTH: f32 = 640.0;
const HEIGHT: f32 = 330.0;
const PAD: f32 = 16.0;
const COLUMN: f32 = 190.0;
const GAP: f32 = 12.0;
/// Step heights for places 1, 2 and 3.
const STEPS: [f32; 3] = [120.0, 84.0, 60.0];
/// Gold, silver and bronze: the steps' colours, legible on both themes.
const MEDALS: [Colour; 3] = [
    Colour::hex(0xd4a72c),
    Colour::hex(0xa8b0ba),
    Colour::hex(0xc07a3a),
];
const FLOOR: f32 = HEIGHT - PAD;

/// One player's column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Their place, 1 to 3.
    pub place: usize,
    /// Their step.
    pub step: Rect,
    /// Name, points and the line of details, top to bottom.
    pub texts: Vec<Text>,
}

/// The card, laid out.
#[derive(Clone, Debug, PartialEq)]
pub struct Podium {
    /// Canvas width.
    pub width: f32,
    /// Canvas height.
    pub height: f32,
    /// The title and the quiz's numbers.
    pub heading: Vec<Text>,
    /// The players, left to right: second, first, third.
    pub columns: Vec<Column>,
}

fn percent(correct: u16, answered: u16) -> u32 {
    if answered == 0 {
        0
    } else {
        (u32::from(correct) * 100 + u32::from(answered) / 2) / u32::from(answered)
    }
}

/// Lays out the card of `view`.
pub fn podium(view: &PodiumView) -> Podium {
    let heading = vec![
        Text::at("Quiz podium", PAD, PAD, 21.0, Tone::Strong),
        Text::at(
            &format!(
                "{} question{} · {} player{}",
                view.questions,
                if view.questions == 1 { "" } else { "s" },
                view.players,
                if view.players == 1 { "" } else { "s" }
            ),
            PAD,
            PAD + Text::height(21.0) + 2.0,
            16.0,
            Tone::Muted,
        ),
    ];
    // Second on the left, first in the middle, third on the right, as on a real podium.
    let slots = [1, 0, 2];
    let left = (WIDTH - 3.0 * COLUMN - 2.0 * GAP) / 2.0;
    let columns = slots
        .iter()
        .enumerate()
        .filter_map(|(slot, index)| Some((slot, view.places.get(*index)?)))
        .map(|(slot, place)| column(place, left + slot as f32 * (COLUMN + GAP)))
        .collect();
    Podium {
        width: WIDTH,
        height: HEIGHT,
        heading,
        columns,
    }
}

fn column(place: &PodiumPlace, x: f32) -> Column {
    let rank = place.place.clamp(1, 3);
    let height = STEPS[rank - 1];
    let step = Rect {
        x,
        y: FLOOR - height,
        w: COLUMN,
        h: height,
    };
    let centred = |mut text: Text| {
        text.bounds.x = x + (COLUMN - text.bounds.w) / 2.0;
        text
    };
    let details = format!(
        "streak {} · {}% right",
        place.best_streak,
        percent(place.correct, place.answered)
    );
    let mut y = step.y - 8.0;
    let mut texts = Vec::new();
    for (line, size, tone) in [
        (details, 14.0, Tone::Muted),
        (format!("{} points", place.points), 16.0, Tone::Strong),
        (place.name.clone(), 18.0, Tone::Strong),
    ] {
        y -= Text::height(size) + 2.0;
        texts.push(centred(Text::fitted(&line, x, y, size, tone, COLUMN - 8.0)));
    }
    texts.reverse();
    let number = Text::at(&rank.to_string(), x, step.y + 10.0, 36.0, Tone::Ink);
    texts.push(centred(number));
    Column {
        place: rank,
        step,
        texts,
    }
}

impl Podium {
    /// Every text on the card.
    pub fn all_texts(&self) -> impl Iterator<Item = &Text> {
        self.heading
            .iter()
            .chain(self.columns.iter().flat_map(|c| &c.texts))
    }

    /// The card as a PNG.
    pub fn png(&self, theme: Theme) -> Result<Vec<u8>, PictureError> {
        let mut canvas = Canvas::new(self.width, self.height, theme)?;
        canvas.rect(
            Rect {
                x: PAD,
                y: FLOOR,
                w: self.width - 2.0 * PAD,
                h: 2.0,
            },
            1.0,
            theme.faint(),
        );
        for column in &self.columns {
            canvas.rect(column.step, 6.0, MEDALS[column.place - 1]);
        }
        for text in self.all_texts() {
            canvas.text(text);
        }
        canvas.png()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picture::tests::decode;

    fn place(place: usize, name: &str, points: u32) -> PodiumPlace {
        PodiumPlace {
            place,
            name: name.to_string(),
            points,
            correct: 4,
            answered: 5,
            best_streak: 3,
        }
    }

    fn view() -> PodiumView {
        PodiumView {
            places: vec![
                place(1, "alice", 1200),
                place(2, "山田 太郎", 900),
                place(
                    3,
                    "Zoë with a very long display name indeed, longer than a column",
                    500,
                ),
            ],
            questions: 10,
            players: 5,
        }
    }

    #[test]
    fn first_stands_highest_in_the_middle_with_its_numbers() {
        let card = podium(&view());
        let places: Vec<usize> = card.columns.iter().map(|c| c.place).collect();
        assert_eq!(places, [2, 1, 3]);
        let first = &card.columns[1];
        assert!(card.columns.iter().all(|c| c.step.y >= first.step.y));
        let texts: Vec<&str> = first.texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["alice", "1200 points", "streak 3 · 80% right", "1"]);
        assert_eq!(card.heading[1].text, "10 questions · 5 players");
    }

    #[test]
    fn names_always_show_as_something_and_stay_in_their_column() {
        let card = podium(&view());
        let second = &card.columns[0].texts[0];
        assert_eq!(second.text, "?? ??", "a script the font lacks");
        let third = &card.columns[2].texts[0];
        assert!(third.text.starts_with("Zoë") && third.text.ends_with('…'));
        let texts: Vec<&Text> = card.all_texts().collect();
        for (i, a) in texts.iter().enumerate() {
            assert!(a.bounds.inside(card.width, card.height), "{a:?}");
            for b in &texts[i + 1..] {
                assert!(!a.bounds.overlaps(&b.bounds), "{a:?} overlaps {b:?}");
            }
        }
        for column in &card.columns {
            for text in &column.texts {
                assert!(text.bounds.x >= column.step.x);
                assert!(text.bounds.x + text.bounds.w <= column.step.x + column.step.w);
            }
        }
    }

    #[test]
    fn one_player_stands_alone_and_the_card_decodes() {
        let card = podium(&PodiumView {
            places: vec![place(1, "alice", 300)],
            questions: 3,
            players: 1,
        });
        assert_eq!(card.columns.len(), 1);
        assert_eq!(card.heading[1].text, "3 questions · 1 player");
        let (width, height, pixels) = decode(&card.png(Theme::Dark).expect("it draws"));
        assert_eq!((width, height), (640, 330));
        let colours: std::collections::HashSet<&[u8]> = pixels.chunks(4).collect();
        assert!(colours.len() > 20);
    }
}
