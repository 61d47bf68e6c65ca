//! What every picture is made of: boxes, texts with their measured boxes, and the
//! colours of a theme; drawn with tiny-skia (texts as the embedded font's outlines)
//! and encoded as PNG.

use tiny_skia::{
    FillRule, LineCap, Paint, Path, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use super::PictureError;
use super::font;

/// An axis-aligned box in pixels, from its top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// Whether the two boxes share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    /// Whether the box lies wholly on a `width` × `height` canvas.
    pub fn inside(&self, width: f32, height: f32) -> bool {
        self.x >= 0.0 && self.y >= 0.0 && self.x + self.w <= width && self.y + self.h <= height
    }
}

/// How a text or a line stands out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Titles and names: the theme's text colour.
    Strong,
    /// Dates, numbers on the axis, notes.
    Muted,
    /// One of the [`TOPIC_COLOURS`].
    Topic(usize),
    /// Dark whatever the theme: text on a light coloured shape.
    Ink,
}

/// A line of text with the box it occupies: what layouts check for overlaps.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// What is written, already reduced to what the font can draw.
    pub text: String,
    /// Where: the box from the top of the ascenders to the bottom of the descenders.
    pub bounds: Rect,
    /// Font size in pixels.
    pub size: f32,
    /// Its colour.
    pub tone: Tone,
}

/// A line's height as a share of its font size (DejaVu Sans's ascent plus descent).
const LINE: f32 = 1.17;
/// Where the baseline sits below the top of a line, as a share of the font size.
const ASCENT: f32 = 0.93;

impl Text {
    /// `text` at `size`, its left edge at `x` and its top at `y`.
    pub fn at(text: &str, x: f32, y: f32, size: f32, tone: Tone) -> Text {
        let text = font::drawable(text);
        let w = font::width(&text, size);
        Text {
            bounds: Rect {
                x,
                y,
                w,
                h: Text::height(size),
            },
            text,
            size,
            tone,
        }
    }

    /// The height of a line at `size`.
    pub fn height(size: f32) -> f32 {
        size * LINE
    }

    /// `text` cut with an ellipsis so that it is at most `max` pixels wide.
    pub fn fitted(text: &str, x: f32, y: f32, size: f32, tone: Tone, max: f32) -> Text {
        let whole = Text::at(text, x, y, size, tone);
        if whole.bounds.w <= max {
            return whole;
        }
        let mut chars: Vec<char> = whole.text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let cut: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
            let text = Text::at(&cut, x, y, size, tone);
            if text.bounds.w <= max {
                return text;
            }
        }
        Text::at("", x, y, size, tone)
    }
}

/// Light text on Discord's dark theme, or dark text on the light one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, strum::EnumString, strum::Display)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Theme {
    /// Discord's default: a dark card.
    #[default]
    Dark,
    /// A white card.
    Light,
}

/// A colour, opaque.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(u8, u8, u8);

impl Colour {
    /// The colour written `0xRRGGBB`.
    pub const fn hex(rgb: u32) -> Colour {
        Colour((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
    }

    fn paint(self) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color_rgba8(self.0, self.1, self.2, u8::MAX);
        paint.anti_alias = true;
        paint
    }
}

/// Topic colours, chosen to read on both themes' backgrounds; the last is "other".
pub const TOPIC_COLOURS: [Colour; 8] = [
    Colour::hex(0xe8a33d),
    Colour::hex(0x4fa3e0),
    Colour::hex(0x3bb273),
    Colour::hex(0xe05d5d),
    Colour::hex(0xb07cd8),
    Colour::hex(0xe377c2),
    Colour::hex(0x17a8b8),
    Colour::hex(0x8a8f98),
];

impl Theme {
    /// The card's background.
    pub fn background(self) -> Colour {
        match self {
            Theme::Dark => Colour::hex(0x2b2d31),
            Theme::Light => Colour::hex(0xffffff),
        }
    }

    /// The colour of a tone.
    pub fn colour(self, tone: Tone) -> Colour {
        match (self, tone) {
            (_, Tone::Topic(i)) => TOPIC_COLOURS[i.min(TOPIC_COLOURS.len() - 1)],
            (_, Tone::Ink) => Colour::hex(0x1e1f22),
            (Theme::Dark, Tone::Strong) => Colour::hex(0xf2f3f5),
            (Theme::Dark, Tone::Muted) => Colour::hex(0xb5bac1),
            (Theme::Light, Tone::Strong) => Colour::hex(0x1e1f22),
            (Theme::Light, Tone::Muted) => Colour::hex(0x4e5058),
        }
    }

    /// Lanes, grid lines and podium steps.
    pub fn faint(self) -> Colour {
        match self {
            Theme::Dark => Colour::hex(0x3d3f45),
            Theme::Light => Colour::hex(0xe3e5e8),
        }
    }
}

/// A picture being drawn, shape by shape, on a canvas of the theme's background.
pub struct Canvas {
    pixmap: Pixmap,
    theme: Theme,
}

/// A quarter circle drawn as a cubic curve has its control points this far along the
/// tangents at its ends, as a share of the radius.
const ARC: f32 = 0.552_284_8;

impl Canvas {
    /// A `width` × `height` canvas filled with the theme's background.
    pub fn new(width: f32, height: f32, theme: Theme) -> Result<Canvas, PictureError> {
        let (w, h) = (width.ceil() as u32, height.ceil() as u32);
        let mut pixmap = Pixmap::new(w, h).ok_or(PictureError::Size(w, h))?;
        let Colour(r, g, b) = theme.background();
        pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, u8::MAX));
        Ok(Canvas { pixmap, theme })
    }

    fn fill(&mut self, path: Option<Path>, colour: Colour) {
        if let Some(path) = path {
            let paint = colour.paint();
            self.pixmap.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    /// A filled box with corners rounded by `radius` (at most half its sides).
    pub fn rect(&mut self, rect: Rect, radius: f32, fill: Colour) {
        let Rect { x, y, w, h } = rect;
        let r = radius.min(w / 2.0).min(h / 2.0).max(0.0);
        let k = r * ARC;
        let mut path = PathBuilder::new();
        path.move_to(x + r, y);
        path.line_to(x + w - r, y);
        path.cubic_to(x + w - r + k, y, x + w, y + r - k, x + w, y + r);
        path.line_to(x + w, y + h - r);
        path.cubic_to(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
        path.line_to(x + r, y + h);
        path.cubic_to(x + r - k, y + h, x, y + h - r + k, x, y + h - r);
        path.line_to(x, y + r);
        path.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
        path.close();
        self.fill(path.finish(), fill);
    }

    /// A straight line with round ends; `dashed` for what is uncertain.
    pub fn line(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        stroke: Colour,
        dashed: bool,
    ) {
        let mut path = PathBuilder::new();
        path.move_to(from.0, from.1);
        path.line_to(to.0, to.1);
        let Some(path) = path.finish() else {
            return;
        };
        let stroke_style = Stroke {
            width,
            line_cap: LineCap::Round,
            dash: if dashed {
                StrokeDash::new(vec![4.0, 3.0], 0.0)
            } else {
                None
            },
            ..Stroke::default()
        };
        let paint = stroke.paint();
        self.pixmap
            .stroke_path(&path, &paint, &stroke_style, Transform::identity(), None);
    }

    /// A filled disc.
    pub fn circle(&mut self, centre: (f32, f32), radius: f32, fill: Colour) {
        self.fill(PathBuilder::from_circle(centre.0, centre.1, radius), fill);
    }

    /// A text, in its tone's colour.
    pub fn text(&mut self, text: &Text) {
        let baseline = text.bounds.y + text.size * ASCENT;
        let outline = font::outline(&text.text, text.size, (text.bounds.x, baseline));
        self.fill(outline, self.theme.colour(text.tone));
    }

    /// The picture as a PNG.
    pub fn png(self) -> Result<Vec<u8>, PictureError> {
        let (width, height) = (self.pixmap.width(), self.pixmap.height());
        let mut png = Vec::new();
        let mut encoder = png::Encoder::new(&mut png, width, height);
        // Every picture starts with an opaque background, so its premultiplied pixels
        // are its plain ones. Flat pictures compress as well with one filter and a
        // light level as with the defaults (adaptive filters, level 6), in half the time.
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_filter(png::Filter::Up);
        encoder.set_deflate_compression(png::DeflateCompression::Level(3));
        let mut writer = encoder.write_header()?;
        writer.write_image_data(self.pixmap.data())?;
        writer.finish()?;
        Ok(png)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_overlap_only_when_they_share_area() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        assert!(a.overlaps(&Rect {
            x: 5.0,
            y: 5.0,
            w: 10.0,
            h: 10.0
        }));
        assert!(!a.overlaps(&Rect {
            x: 10.0,
            y: 0.0,
            w: 10.0,
            h: 10.0
        }));
        assert!(a.inside(10.0, 10.0) && !a.inside(9.0, 10.0));
    }

    #[test]
    fn a_fitted_text_is_cut_with_an_ellipsis() {
        let text = Text::fitted(
            "Stargate announced at the White House",
            0.0,
            0.0,
            16.0,
            Tone::Strong,
            120.0,
        );
        assert!(text.bounds.w <= 120.0);
        assert!(text.text.ends_with('…'), "{}", text.text);
    }

    #[test]
    fn shapes_and_texts_land_on_the_canvas_in_their_colours() {
        let mut canvas = Canvas::new(120.0, 40.0, Theme::Dark).expect("a canvas");
        let red = Colour::hex(0xe05d5d);
        canvas.rect(
            Rect {
                x: 0.0,
                y: 0.0,
                w: 20.0,
                h: 20.0,
            },
            4.0,
            red,
        );
        canvas.text(&Text::at("Musk", 40.0, 10.0, 16.0, Tone::Strong));
        let (width, height, pixels) = crate::picture::tests::decode(&canvas.png().expect("a PNG"));
        assert_eq!((width, height), (120, 40));
        let at = |x: usize, y: usize| &pixels[(y * 120 + x) * 4..(y * 120 + x) * 4 + 3];
        assert_eq!(at(10, 10), [0xe0, 0x5d, 0x5d], "inside the box");
        assert_eq!(
            at(0, 0),
            [0x2b, 0x2d, 0x31],
            "a rounded corner shows the background"
        );
        assert_eq!(at(100, 5), [0x2b, 0x2d, 0x31], "beyond the text");
        let inked = (40..80)
            .flat_map(|x| (10..30).map(move |y| (x, y)))
            .filter(|&(x, y)| at(x, y) == [0xf2, 0xf3, 0xf5])
            .count();
        assert!(inked > 30, "the text's glyphs are filled: {inked} pixels");
    }

    #[test]
    fn an_empty_canvas_is_refused() {
        assert!(matches!(
            Canvas::new(0.0, 10.0, Theme::Light),
            Err(PictureError::Size(0, 10))
        ));
    }
}
