//! The one font pictures are drawn with, embedded in the binary: measured here (to lay
//! out labels before drawing) and turned into outlines to fill. Nothing is read from
//! the host, so a picture is the same on every machine; the font's pages are touched
//! only when a picture is drawn.

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, MetadataProvider};
use tiny_skia::{Path, PathBuilder};

/// DejaVu Sans (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`): wide
/// coverage of Latin, Greek and Cyrillic, legible at small sizes.
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Drawn for a character the font has no glyph for, so that a name in another script
/// still shows as something rather than as empty boxes.
pub const MISSING: char = '?';

fn face() -> Option<FontRef<'static>> {
    FontRef::new(FONT).ok()
}

/// Whether the font can draw `c`.
fn has_glyph(font: &FontRef<'static>, c: char) -> bool {
    c.is_whitespace() || font.charmap().map(c).is_some()
}

/// `text` with every character the font cannot draw replaced by [`MISSING`], and
/// control characters dropped.
pub fn drawable(text: &str) -> String {
    let Some(font) = face() else {
        return text.to_string();
    };
    text.chars()
        .filter(|c| !c.is_control())
        .map(|c| if has_glyph(&font, c) { c } else { MISSING })
        .collect()
}

/// The width in pixels of `text` (as [`drawable`] makes it) at `size` pixels per em.
/// Kerning is ignored, so it errs by a pixel or two either way; layouts leave that
/// much room.
pub fn width(text: &str, size: f32) -> f32 {
    let Some(font) = face() else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    let missing = charmap.map(MISSING);
    text.chars()
        .filter(|c| !c.is_control())
        .filter_map(|c| charmap.map(c).or(missing))
        .filter_map(|glyph| metrics.advance_width(glyph))
        .sum()
}

/// The outlines of `text` (as [`drawable`] makes it) at `size` pixels per em, its
/// baseline starting at `origin`, glyph after glyph by their advances (no kerning, as
/// [`width`] measures it); nothing for a text without ink.
pub fn outline(text: &str, size: f32, origin: (f32, f32)) -> Option<Path> {
    let font = face()?;
    let charmap = font.charmap();
    let outlines = font.outline_glyphs();
    let size = Size::new(size);
    let metrics = font.glyph_metrics(size, LocationRef::default());
    let missing = charmap.map(MISSING);
    let mut pen = Pen {
        path: PathBuilder::new(),
        origin,
    };
    for glyph in text
        .chars()
        .filter(|c| !c.is_control())
        .filter_map(|c| charmap.map(c).or(missing))
    {
        if let Some(outline) = outlines.get(glyph) {
            // A glyph that fails to draw is left blank; the others still show.
            let _ = outline.draw(
                DrawSettings::unhinted(size, LocationRef::default()),
                &mut pen,
            );
        }
        pen.origin.0 += metrics.advance_width(glyph).unwrap_or_default();
    }
    pen.path.finish()
}

/// Collects glyph outlines (y up, from the glyph's origin) as one path on the canvas
/// (y down).
struct Pen {
    path: PathBuilder,
    origin: (f32, f32),
}

impl Pen {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.origin.0 + x, self.origin.1 - y)
    }
}

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let ((cx0, cy0), (x, y)) = (self.at(cx0, cy0), self.at(x, y));
        self.path.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let ((cx0, cy0), (cx1, cy1), (x, y)) =
            (self.at(cx0, cy0), self.at(cx1, cy1), self.at(x, y));
        self.path.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.path.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_parses_and_measures() {
        assert!(face().is_some());
        let short = width("Musk", 16.0);
        assert!(short > 20.0 && short < 60.0, "{short}");
        assert!(width("Musk and Altman", 16.0) > short);
        assert_eq!(width("Musk", 32.0), 2.0 * short);
    }

    #[test]
    fn characters_without_a_glyph_become_a_visible_substitute() {
        assert_eq!(drawable("Zoë Ωμέγα Жанна"), "Zoë Ωμέγα Жанна");
        assert_eq!(drawable("山田 太郎"), "?? ??");
        assert_eq!(drawable("a\u{7}b"), "ab");
    }

    #[test]
    fn a_text_outline_spans_its_measured_width_above_its_baseline() {
        let musk = outline("Musk", 16.0, (10.0, 30.0)).expect("ink");
        let bounds = musk.bounds();
        let width = width("Musk", 16.0);
        assert!(bounds.left() >= 10.0 && bounds.left() < 13.0, "{bounds:?}");
        assert!(
            bounds.right() <= 10.0 + width && bounds.right() > 10.0 + width - 4.0,
            "{bounds:?}"
        );
        assert!(
            bounds.bottom() <= 30.5 && bounds.top() > 30.0 - 16.0,
            "{bounds:?}"
        );
        assert!(
            outline(" ", 16.0, (0.0, 0.0)).is_none(),
            "a space has no ink"
        );
    }
}
