//! The inverted index behind `/search`, and the name index behind autocomplete.

use std::collections::HashMap;

use fst::{Automaton, IntoStreamer, Map, MapBuilder, Set, SetBuilder, Streamer};

use super::fuzzy::{Fuzzy, tolerance};
use super::text::{normalize, terms, words};

/// What kind of record a search result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    /// An event of `events.json`.
    Event,
    /// A quote of `quotes.json`.
    Quote,
    /// A person or organization of `people.json`.
    Person,
}

impl DocKind {
    const ALL: [DocKind; 3] = [DocKind::Event, DocKind::Quote, DocKind::Person];

    fn slot(self) -> usize {
        self as usize
    }
}

/// A record: its kind and its position in the dataset's list of that kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Doc {
    /// Event, quote or person.
    pub kind: DocKind,
    /// Position in `Dataset::events()`, `quotes()` or `people()`.
    pub index: u32,
}

impl Doc {
    fn pack(self) -> u32 {
        (self.kind as u32) << 30 | self.index
    }

    fn unpack(packed: u32) -> Doc {
        Doc {
            kind: DocKind::ALL[(packed >> 30) as usize],
            index: packed & ((1 << 30) - 1),
        }
    }
}

/// One search result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    /// The record found.
    pub doc: Doc,
    /// How many of the query's words it matched.
    pub matched: usize,
    /// Relevance; higher is better.
    pub score: f32,
}

/// How much a match on an exact word counts, against a prefix or a typo.
const EXACT: f32 = 1.0;
const PREFIX: f32 = 0.6;
const TYPO: [f32; 3] = [1.0, 0.5, 0.3];
/// At most this many indexed words stand for one query word, so a one-letter prefix
/// costs no more than a precise word.
const EXPANSIONS: usize = 32;

/// Collects the records' text, then builds an [`Index`].
#[derive(Default)]
pub struct IndexBuilder {
    /// word -> (packed doc -> best field weight)
    postings: HashMap<String, HashMap<u32, u8>>,
    /// Per kind: (normalized name, record position).
    names: [Vec<(String, u32)>; 3],
    docs: usize,
}

/// Word index and name index over every record.
pub struct Index {
    words: Map<Vec<u8>>,
    postings: Vec<Vec<(u32, u8)>>,
    docs: usize,
    /// Per kind: every name from its first word.
    name_starts: [Set<Vec<u8>>; 3],
    /// Per kind: every name from each of its later words.
    name_words: [Set<Vec<u8>>; 3],
}

impl IndexBuilder {
    /// Indexes `text` as part of `doc`, with `weight` (1 to 255) saying how telling this
    /// field is: a title outweighs a summary.
    pub fn add_text(&mut self, doc: Doc, weight: u8, text: &str) {
        for term in terms(text) {
            let best = self
                .postings
                .entry(term)
                .or_default()
                .entry(doc.pack())
                .or_insert(0);
            *best = (*best).max(weight);
        }
    }

    /// Makes `name` an autocomplete entry for `doc`, and indexes it as text with `weight`.
    pub fn add_name(&mut self, doc: Doc, weight: u8, name: &str) {
        self.add_text(doc, weight, name);
        let normalized = normalize(name);
        if !normalized.is_empty() {
            self.names[doc.kind.slot()].push((normalized, doc.index));
        }
    }

    /// Counts `doc` for the rarity weighting of words; call once per record.
    pub fn add_doc(&mut self) {
        self.docs += 1;
    }

    /// Builds the index.
    pub fn build(self) -> Index {
        let mut words: Vec<(String, HashMap<u32, u8>)> = self.postings.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut map = MapBuilder::memory();
        let mut postings = Vec::with_capacity(words.len());
        for (id, (word, docs)) in words.into_iter().enumerate() {
            // Keys are sorted and unique, so insertion cannot fail.
            map.insert(&word, id as u64).expect("sorted unique words");
            let mut docs: Vec<(u32, u8)> = docs.into_iter().collect();
            docs.sort_unstable();
            postings.push(docs);
        }
        let words = map.into_map();
        let [events, quotes, people] = self.names;
        let (event_starts, event_words) = name_sets(events);
        let (quote_starts, quote_words) = name_sets(quotes);
        let (person_starts, person_words) = name_sets(people);
        Index {
            words,
            postings,
            docs: self.docs.max(1),
            name_starts: [event_starts, quote_starts, person_starts],
            name_words: [event_words, quote_words, person_words],
        }
    }
}

/// Keys are `text \0 position` so that equal names of different records stay apart
/// and a match tells which record it is.
fn name_key(text: &str, position: u32) -> Vec<u8> {
    let mut key = Vec::with_capacity(text.len() + 5);
    key.extend_from_slice(text.as_bytes());
    key.push(0);
    key.extend_from_slice(&position.to_be_bytes());
    key
}

fn position_of(key: &[u8]) -> Option<u32> {
    let tail: [u8; 4] = key.get(key.len().checked_sub(4)?..)?.try_into().ok()?;
    Some(u32::from_be_bytes(tail))
}

fn name_sets(names: Vec<(String, u32)>) -> (Set<Vec<u8>>, Set<Vec<u8>>) {
    let mut starts = Vec::with_capacity(names.len());
    let mut later = Vec::new();
    for (name, position) in names {
        starts.push(name_key(&name, position));
        for (offset, _) in name.match_indices(' ') {
            later.push(name_key(&name[offset + 1..], position));
        }
    }
    let build = |mut keys: Vec<Vec<u8>>| {
        keys.sort_unstable();
        keys.dedup();
        let mut set = SetBuilder::memory();
        for key in keys {
            set.insert(key).expect("sorted unique keys");
        }
        set.into_set()
    };
    (build(starts), build(later))
}

impl Index {
    /// Number of distinct indexed words.
    pub fn word_count(&self) -> usize {
        self.postings.len()
    }

    /// The records that match `query`, best first: those matching more of its words,
    /// then higher scores (rarer words, better fields, exact before prefix before typo).
    /// Only records of `kind` when given. Returns at most `limit` hits and how many
    /// records matched in all.
    pub fn search(&self, query: &str, kind: Option<DocKind>, limit: usize) -> (Vec<Hit>, usize) {
        let mut query_words: Vec<String> = terms(query).collect();
        if query_words.is_empty() {
            // A query of only common words ("the") still deserves an answer.
            query_words = words(query);
        }
        query_words.sort_unstable();
        query_words.dedup();
        let mut totals: HashMap<u32, (usize, f32)> = HashMap::new();
        for word in &query_words {
            let mut best: HashMap<u32, f32> = HashMap::new();
            for (word_id, closeness) in self.expand(word) {
                let docs = &self.postings[word_id];
                let rarity = (1.0 + self.docs as f32 / docs.len() as f32).ln();
                for &(doc, weight) in docs {
                    if kind.is_some_and(|k| Doc::unpack(doc).kind != k) {
                        continue;
                    }
                    let score = closeness * f32::from(weight) * rarity;
                    let entry = best.entry(doc).or_insert(0.0);
                    *entry = entry.max(score);
                }
            }
            for (doc, score) in best {
                let total = totals.entry(doc).or_insert((0, 0.0));
                total.0 += 1;
                total.1 += score;
            }
        }
        let mut hits: Vec<Hit> = totals
            .into_iter()
            .map(|(doc, (matched, score))| Hit {
                doc: Doc::unpack(doc),
                matched,
                score,
            })
            .collect();
        let total = hits.len();
        let order = |a: &Hit, b: &Hit| {
            b.matched
                .cmp(&a.matched)
                .then(b.score.total_cmp(&a.score))
                .then(a.doc.cmp(&b.doc))
        };
        if hits.len() > limit && limit > 0 {
            hits.select_nth_unstable_by(limit - 1, order);
        }
        hits.truncate(limit);
        hits.sort_unstable_by(order);
        (hits, total)
    }

    /// The indexed words that stand for one query word, each with how closely it matches.
    fn expand(&self, word: &str) -> Vec<(usize, f32)> {
        let mut found: HashMap<usize, f32> = HashMap::new();
        let mut take = |id: u64, closeness: f32| {
            let entry = found.entry(id as usize).or_insert(0.0);
            *entry = entry.max(closeness);
        };
        if let Some(id) = self.words.get(word) {
            take(id, EXACT);
        }
        if word.chars().count() >= 2 {
            let mut stream = self
                .words
                .search(fst::automaton::Str::new(word).starts_with())
                .into_stream();
            let mut taken = 0;
            while let Some((_, id)) = stream.next() {
                take(id, PREFIX);
                taken += 1;
                if taken == EXPANSIONS {
                    break;
                }
            }
        }
        let max = tolerance(word.chars().count());
        if max > 0 {
            let fuzzy = Fuzzy::whole(word, max);
            let mut stream = self.words.search_with_state(&fuzzy).into_stream();
            let mut taken = 0;
            while let Some((_, id, state)) = stream.next() {
                let edits = fuzzy.distance_at(&state).unwrap_or(max);
                take(id, TYPO[usize::from(edits.min(2))]);
                taken += 1;
                if taken == EXPANSIONS {
                    break;
                }
            }
        }
        found.into_iter().collect()
    }

    /// Autocomplete: positions of records of `kind` whose name fits what was typed,
    /// at most `limit`: names that start with it first, then names with a word that
    /// starts with it, then names within a typo or two of it. Empty input gives nothing;
    /// the caller decides what to offer then.
    pub fn complete(&self, kind: DocKind, typed: &str, limit: usize) -> Vec<u32> {
        let typed = normalize(typed);
        let mut found: Vec<u32> = Vec::new();
        if typed.is_empty() || limit == 0 {
            return found;
        }
        let slot = kind.slot();
        let exact = fst::automaton::Str::new(&typed).starts_with();
        let max = tolerance(typed.chars().count());
        for set in [&self.name_starts[slot], &self.name_words[slot]] {
            collect_names(set, &exact, limit, &mut found);
        }
        if max > 0 {
            let fuzzy = Fuzzy::prefix(&typed, max);
            for set in [&self.name_starts[slot], &self.name_words[slot]] {
                collect_names(set, &fuzzy, limit, &mut found);
            }
        }
        found
    }
}

fn collect_names<A: Automaton>(
    set: &Set<Vec<u8>>,
    automaton: A,
    limit: usize,
    found: &mut Vec<u32>,
) {
    if found.len() >= limit {
        return;
    }
    let mut stream = set.search(automaton).into_stream();
    while let Some(key) = stream.next() {
        if let Some(position) = position_of(key)
            && !found.contains(&position)
        {
            found.push(position);
            if found.len() >= limit {
                return;
            }
        }
    }
}
