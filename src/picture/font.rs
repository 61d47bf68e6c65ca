//! The one font pictures are drawn with, embedded in the binary: measured here (to lay
//! out labels before drawing) and handed to the rasteriser. Nothing is read from the
//! host, so a picture is the same on every machine; the font's pages are touched only
//! when a picture is drawn.

use std::sync::{Arc, LazyLock};

use resvg::usvg::fontdb;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`): wide
/// coverage of Latin, Greek and Cyrillic, legible at small sizes.
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family name the SVG asks for.
pub const FAMILY: &str = "DejaVu Sans";

/// Drawn for a character the font has no glyph for, so that a name in another script
/// still shows as something rather than as empty boxes.
pub const MISSING: char = '?';

/// The font database the rasteriser uses: the embedded font only, built on first use.
pub(super) fn database() -> Arc<fontdb::Database> {
    static DATABASE: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
        let mut database = fontdb::Database::new();
        database.load_font_source(fontdb::Source::Binary(Arc::new(FONT)));
        database.set_sans_serif_family(FAMILY);
        Arc::new(database)
    });
    Arc::clone(&DATABASE)
}

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
    fn the_database_holds_only_the_embedded_font() {
        let database = database();
        assert_eq!(database.len(), 1);
        assert!(
            database
                .faces()
                .all(|face| face.families.iter().any(|(name, _)| name == FAMILY))
        );
    }
}
