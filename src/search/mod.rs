//! Ranked, typo-tolerant search and autocomplete over the dataset.
//!
//! Words live in an `fst` (a compact sorted trie), so a query word finds its exact,
//! prefix and fuzzy matches by walking the trie rather than scanning every record;
//! each word points to the records that contain it.

mod fuzzy;
mod index;
mod text;

pub use fuzzy::{Fuzzy, distance, tolerance};
pub use index::{Doc, DocKind, Hit, Index, IndexBuilder};
pub use text::{fold, normalize, telling, terms, words};
