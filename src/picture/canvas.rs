//! What every picture is made of: boxes, texts with their measured boxes, and the
//! colours of a theme; written out as SVG and rasterised to PNG.

use std::fmt::Write;

use resvg::{tiny_skia, usvg};

use super::PictureError;
use super::font::{self, FAMILY};

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

/// Topic colours, chosen to read on both themes' backgrounds; the last is "other".
pub const TOPIC_COLOURS: [&str; 8] = [
    "#e8a33d", "#4fa3e0", "#3bb273", "#e05d5d", "#b07cd8", "#e377c2", "#17a8b8", "#8a8f98",
];

impl Theme {
    /// The card's background.
    pub fn background(self) -> &'static str {
        match self {
            Theme::Dark => "#2b2d31",
            Theme::Light => "#ffffff",
        }
    }

    /// The colour of a tone.
    pub fn colour(self, tone: Tone) -> &'static str {
        match (self, tone) {
            (_, Tone::Topic(i)) => TOPIC_COLOURS[i.min(TOPIC_COLOURS.len() - 1)],
            (_, Tone::Ink) => "#1e1f22",
            (Theme::Dark, Tone::Strong) => "#f2f3f5",
            (Theme::Dark, Tone::Muted) => "#b5bac1",
            (Theme::Light, Tone::Strong) => "#1e1f22",
            (Theme::Light, Tone::Muted) => "#4e5058",
        }
    }

    /// Lanes, grid lines and podium steps.
    pub fn faint(self) -> &'static str {
        match self {
            Theme::Dark => "#3d3f45",
            Theme::Light => "#e3e5e8",
        }
    }
}

/// An SVG document being written, element by element.
pub struct Svg {
    body: String,
    theme: Theme,
    width: f32,
    height: f32,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

impl Svg {
    /// A `width` × `height` canvas filled with the theme's background.
    pub fn new(width: f32, height: f32, theme: Theme) -> Svg {
        let mut svg = Svg {
            body: String::new(),
            theme,
            width,
            height,
        };
        let background = theme.background();
        svg.push(format_args!(
            r#"<rect width="{width}" height="{height}" fill="{background}"/>"#
        ));
        svg
    }

    fn push(&mut self, element: std::fmt::Arguments<'_>) {
        // Writing to a String cannot fail.
        let _ = self.body.write_fmt(element);
        self.body.push('\n');
    }

    /// A filled box with rounded corners.
    pub fn rect(&mut self, rect: Rect, radius: f32, fill: &str) {
        let Rect { x, y, w, h } = rect;
        self.push(format_args!(
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{radius}" fill="{fill}"/>"#
        ));
    }

    /// A straight line; `dashed` for what is uncertain.
    pub fn line(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        stroke: &str,
        dashed: bool,
    ) {
        let dash = if dashed {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        self.push(format_args!(
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="{width}" stroke-linecap="round"{dash}/>"#,
            from.0, from.1, to.0, to.1
        ));
    }

    /// An open path (`d` in SVG path syntax), stroked.
    pub fn path(&mut self, d: &str, width: f32, stroke: &str) {
        self.push(format_args!(
            r#"<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round" stroke-linecap="round"/>"#
        ));
    }

    /// A filled disc.
    pub fn circle(&mut self, centre: (f32, f32), radius: f32, fill: &str) {
        self.push(format_args!(
            r#"<circle cx="{:.1}" cy="{:.1}" r="{radius}" fill="{fill}"/>"#,
            centre.0, centre.1
        ));
    }

    /// A text.
    pub fn text(&mut self, text: &Text) {
        if text.text.is_empty() {
            return;
        }
        let fill = self.theme.colour(text.tone);
        let baseline = text.bounds.y + text.size * ASCENT;
        self.push(format_args!(
            r#"<text x="{:.1}" y="{baseline:.1}" font-family="{FAMILY}" font-size="{}" fill="{fill}">{}</text>"#,
            text.bounds.x,
            text.size,
            escape(&text.text)
        ));
    }

    /// The finished document.
    pub fn finish(self) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">
{body}</svg>
"#,
            w = self.width,
            h = self.height,
            body = self.body
        )
    }
}

/// Rasterises an SVG document to a PNG of its own size, with the embedded font.
pub fn png(svg: &str) -> Result<Vec<u8>, PictureError> {
    let options = usvg::Options {
        fontdb: font::database(),
        font_family: FAMILY.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or(PictureError::Size(size.width(), size.height()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, size.width(), size.height());
    // Every picture starts with an opaque background, so its premultiplied pixels are
    // its plain ones. Flat pictures compress as well with one filter and a light
    // level as with the defaults (adaptive filters, level 6), in half the time.
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_filter(png::Filter::Up);
    encoder.set_deflate_compression(png::DeflateCompression::Level(3));
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixmap.data())?;
    writer.finish()?;
    Ok(png)
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
    fn markup_in_a_text_is_escaped() {
        let mut svg = Svg::new(100.0, 20.0, Theme::Dark);
        svg.text(&Text::at("<b> & \"x\"", 0.0, 0.0, 12.0, Tone::Strong));
        let doc = svg.finish();
        assert!(doc.contains("&lt;b&gt; &amp; &quot;x&quot;"), "{doc}");
        assert!(png(&doc).is_ok());
    }
}
