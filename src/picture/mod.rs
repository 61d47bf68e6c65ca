//! Pictures the bot draws: the story as a timeline and a quiz's podium, laid out as
//! plain scenes (which the tests read), then drawn with tiny-skia and an embedded font
//! and encoded as PNG. Nothing here knows Discord; drawing takes tens of
//! milliseconds of CPU, so callers on an async runtime draw on a blocking thread.

mod canvas;
mod font;
pub mod podium;
pub mod timeline;

pub use canvas::{Rect, Text, Theme, Tone};
pub use podium::{Podium, podium};
pub use timeline::{Timeline, timeline};

use std::sync::{Arc, OnceLock};

use crate::data::Dataset;
use crate::reply::{Picture, TimelineFilter};

/// Draws the picture a reply describes, as a PNG.
fn draw(data: &Dataset, picture: &Picture, theme: Theme) -> Result<Vec<u8>, PictureError> {
    match picture {
        Picture::Timeline(filter) => timeline(data, filter).png(theme),
        Picture::Podium(view) => podium(view).png(theme),
    }
}

/// What a front end draws its replies' pictures with: one dataset, on Discord's dark
/// theme. The whole story's picture, which every `/about` shows and which depends only
/// on the dataset, is drawn once and kept (about 120 KB); any other is drawn when asked.
pub struct Pictures {
    data: Arc<Dataset>,
    story: OnceLock<Vec<u8>>,
}

impl Pictures {
    /// Pictures of `data`; nothing is drawn yet.
    pub fn new(data: Arc<Dataset>) -> Pictures {
        Pictures {
            data,
            story: OnceLock::new(),
        }
    }

    /// The PNG of `picture`. Tens of milliseconds of CPU the first time: callers on an
    /// async runtime call it on a blocking thread.
    pub fn draw(&self, picture: &Picture) -> Result<Vec<u8>, PictureError> {
        let whole_story =
            matches!(picture, Picture::Timeline(filter) if *filter == TimelineFilter::default());
        if !whole_story {
            return draw(&self.data, picture, Theme::Dark);
        }
        if let Some(png) = self.story.get() {
            return Ok(png.clone());
        }
        let png = draw(&self.data, picture, Theme::Dark)?;
        // Two first calls at once both draw; the same picture is kept either way.
        Ok(self.story.get_or_init(|| png).clone())
    }
}

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    /// A canvas of zero or absurd size.
    #[error("a {0}×{1} canvas cannot be drawn")]
    Size(u32, u32),
    /// The PNG encoder failed.
    #[error("the picture could not be encoded as PNG: {0}")]
    Png(#[from] png::EncodingError),
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::data::Dataset;

    #[test]
    fn the_whole_story_is_drawn_once_and_kept_other_pictures_are_drawn_each_time() {
        let data = Arc::new(Dataset::shipped().expect("the shipped dataset is valid"));
        let pictures = Pictures::new(Arc::clone(&data));
        let story = Picture::Timeline(TimelineFilter::default());
        assert!(
            pictures.story.get().is_none(),
            "nothing is drawn before it is asked"
        );
        let first = pictures.draw(&story).expect("the story");
        assert_eq!(pictures.story.get(), Some(&first));
        assert_eq!(pictures.draw(&story).expect("the story again"), first);
        assert_eq!(
            first,
            draw(&data, &story, Theme::Dark).expect("drawn afresh")
        );

        let year = Picture::Timeline(TimelineFilter {
            years: Some((2015, 2015)),
            ..TimelineFilter::default()
        });
        let drawn = pictures.draw(&year).expect("one year");
        assert_ne!(drawn, first);
        assert_eq!(
            pictures.story.get(),
            Some(&first),
            "a filtered picture is not kept"
        );
        let (width, _, _) = decode(&drawn);
        assert_eq!(width, timeline::WIDTH as u32);
    }

    /// Width, height and RGBA pixels of a PNG; panics if it does not decode.
    pub fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
        let info = reader.next_frame(&mut pixels).expect("PNG data");
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }
}
