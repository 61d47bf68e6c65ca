//! Pictures the bot draws: the story as a timeline and a quiz's podium, laid out as
//! plain scenes (which the tests read), written as SVG and rasterised to PNG with
//! resvg and an embedded font. Nothing here knows Discord; drawing takes tens of
//! milliseconds of CPU, so callers on an async runtime draw on a blocking thread.

mod canvas;
mod font;
pub mod podium;
pub mod timeline;

pub use canvas::{Rect, Text, Theme, Tone};
pub use podium::{Podium, podium};
pub use timeline::{Timeline, timeline};

use crate::data::Dataset;
use crate::query::TimelineFilter;
use crate::reply::{Picture, TimelineView};

/// Draws the picture a reply describes, as a PNG.
pub fn draw(data: &Dataset, picture: &Picture, theme: Theme) -> Result<Vec<u8>, PictureError> {
    match picture {
        Picture::Timeline(view) => timeline(data, &filter(view)).png(theme),
        Picture::Podium(view) => podium(view).png(theme),
    }
}

/// The query's filter for a timeline view.
pub fn filter(view: &TimelineView) -> TimelineFilter {
    TimelineFilter {
        years: view.years,
        person: view.person.clone(),
        tag: view.tag.clone(),
        text: view.text.clone(),
    }
}

/// The timeline view of a query's filter.
pub fn view(filter: &TimelineFilter) -> TimelineView {
    TimelineView {
        years: filter.years,
        person: filter.person.clone(),
        tag: filter.tag.clone(),
        text: filter.text.clone(),
    }
}

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    /// The SVG written for it did not parse: a bug in the layout.
    #[error("the picture's SVG is invalid: {0}")]
    Svg(#[from] resvg::usvg::Error),
    /// A canvas of zero or absurd size.
    #[error("a {0}×{1} canvas cannot be drawn")]
    Size(u32, u32),
    /// The PNG encoder failed.
    #[error("the picture could not be encoded as PNG: {0}")]
    Png(#[from] png::EncodingError),
}

#[cfg(test)]
pub(crate) mod tests {
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
