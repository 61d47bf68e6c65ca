//! The inverted index behind `/search`, and the name index behind autocomplete.

use std::collections::HashMap;
use std::sync::Mutex;

use fst::raw::{Fst, Node, Output};
use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};

use super::fuzzy::{Fuzzy, tolerance};
use super::text::{normalize, terms};

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
    /// Per word: (dense doc number, best field weight), by doc number.
    postings: Vec<Vec<(u32, u8)>>,
    docs: usize,
    /// Dense number of the first record of each kind, and the number of records:
    /// events first, then quotes, then people.
    bases: [u32; 4],
    /// Score tables for [`Index::search`], kept between searches.
    scratch: Mutex<Scratch>,
    /// Per kind: every normalized name, with its record's position.
    names: [Vec<(String, u32)>; 3],
    /// Per kind: every name from its first word.
    name_starts: [Names; 3],
    /// Per kind: every name from each of its later words.
    name_words: [Names; 3],
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
        // Number the records densely, kind after kind, so that a search can keep a score
        // per record in a plain table.
        let mut counts = [0u32; 3];
        let mut count = |doc: Doc| {
            let slot = &mut counts[doc.kind.slot()];
            *slot = (*slot).max(doc.index + 1);
        };
        for (_, docs) in &words {
            docs.keys().for_each(|&packed| count(Doc::unpack(packed)));
        }
        for kind in DocKind::ALL {
            for &(_, index) in &self.names[kind.slot()] {
                count(Doc { kind, index });
            }
        }
        let bases = [
            0,
            counts[0],
            counts[0] + counts[1],
            counts[0] + counts[1] + counts[2],
        ];
        let dense = |packed: u32| {
            let doc = Doc::unpack(packed);
            bases[doc.kind.slot()] + doc.index
        };
        let mut map = MapBuilder::memory();
        let mut postings = Vec::with_capacity(words.len());
        for (id, (word, docs)) in words.into_iter().enumerate() {
            // Keys are sorted and unique, so insertion cannot fail.
            map.insert(&word, id as u64).expect("sorted unique words");
            let mut docs: Vec<(u32, u8)> = docs
                .into_iter()
                .map(|(packed, weight)| (dense(packed), weight))
                .collect();
            docs.sort_unstable();
            postings.push(docs);
        }
        let words = map.into_map();
        let [events, quotes, people] = self.names;
        let (event_starts, event_words) = name_sets(&events);
        let (quote_starts, quote_words) = name_sets(&quotes);
        let (person_starts, person_words) = name_sets(&people);
        Index {
            words,
            postings,
            docs: self.docs.max(1),
            bases,
            scratch: Mutex::new(Scratch::default()),
            names: [events, quotes, people],
            name_starts: [event_starts, quote_starts, person_starts],
            name_words: [event_words, quote_words, person_words],
        }
    }
}

/// Name keys hold at most this many bytes of text. Names that start alike for longer
/// share a key; typing that outgrows the keys is checked against the whole names.
const KEY_BYTES: usize = 20;

/// Names (from their start, or from a later word) for autocomplete: an `fst` of their
/// first [`KEY_BYTES`] bytes, each key standing for a run of `entries`.
struct Names {
    /// Key -> where its run of `entries` starts (high 32 bits) and its length (low).
    keys: Map<Vec<u8>>,
    /// (name number, byte offset where the text starts in the name), in the order of
    /// the whole text, then the record's position: the order the keys come in.
    entries: Vec<(u32, u32)>,
}

fn name_sets(names: &[(String, u32)]) -> (Names, Names) {
    let mut starts = Vec::with_capacity(names.len());
    let mut later = Vec::new();
    for (number, (name, _)) in names.iter().enumerate() {
        starts.push((number as u32, 0));
        for (offset, _) in name.match_indices(' ') {
            later.push((number as u32, offset as u32 + 1));
        }
    }
    (Names::build(names, starts), Names::build(names, later))
}

/// The text of a names entry: its name from its offset on.
fn entry_text(names: &[(String, u32)], (number, offset): (u32, u32)) -> &[u8] {
    &names[number as usize].0.as_bytes()[offset as usize..]
}

/// The key of a text: its first [`KEY_BYTES`] bytes.
fn key_of(text: &[u8]) -> &[u8] {
    &text[..text.len().min(KEY_BYTES)]
}

impl Names {
    fn build(names: &[(String, u32)], mut entries: Vec<(u32, u32)>) -> Names {
        let text = |entry: &(u32, u32)| entry_text(names, *entry);
        let position = |entry: &(u32, u32)| names[entry.0 as usize].1;
        entries.sort_unstable_by(|a, b| {
            text(a)
                .cmp(text(b))
                .then(position(a).cmp(&position(b)))
                .then(a.cmp(b))
        });
        // Texts sharing a key are neighbours in this order, so each key's entries form
        // one run.
        let mut keys = MapBuilder::memory();
        let mut start = 0;
        while start < entries.len() {
            let key = key_of(text(&entries[start]));
            let end = start
                + entries[start..]
                    .iter()
                    .take_while(|e| key_of(text(e)) == key)
                    .count();
            let run = (start as u64) << 32 | (end - start) as u64;
            keys.insert(key, run).expect("sorted unique keys");
            start = end;
        }
        Names {
            keys: keys.into_map(),
            entries,
        }
    }

    /// Adds to `found` the positions of records with a name matched by `automaton`, in
    /// key order, until there are `limit`. `check`, when given, must also accept the
    /// whole text (the automaton then sees only as much of the query as keys hold).
    fn collect<A: Automaton>(
        &self,
        names: &[(String, u32)],
        automaton: A,
        check: Option<Check>,
        limit: usize,
        found: &mut Vec<u32>,
    ) {
        if found.len() >= limit {
            return;
        }
        let mut stream = self.keys.search(automaton).into_stream();
        while let Some((_, run)) = stream.next() {
            let start = (run >> 32) as usize;
            let length = (run & u64::from(u32::MAX)) as usize;
            for &entry in &self.entries[start..start + length] {
                if check.is_some_and(|check| !check(entry_text(names, entry))) {
                    continue;
                }
                let position = names[entry.0 as usize].1;
                if !found.contains(&position) {
                    found.push(position);
                    if found.len() >= limit {
                        return;
                    }
                }
            }
        }
    }
}

/// A test of a whole name text, for input longer than the keys.
type Check<'c> = &'c dyn Fn(&[u8]) -> bool;

/// The longest start of `text`, cut between characters, of at most `bytes` bytes.
fn head(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Calls `visit` with the value and the automaton's state of each key of `fst` that
/// `automaton` matches, in key order, until `visit` returns `false`: what a search
/// stream of the `fst` gives, but cheaper, as it decodes no node below a state that
/// cannot match (the stream decodes and stacks every child of a live state).
fn walk<A: Automaton>(
    fst: &Fst<Vec<u8>>,
    automaton: &A,
    visit: &mut dyn FnMut(u64, &A::State) -> bool,
) {
    let root = fst.root();
    let start = automaton.start();
    if root.is_final() && automaton.is_match(&start) && !visit(root.final_output().value(), &start)
    {
        return;
    }
    descend(fst, automaton, root, &start, Output::zero(), visit);
}

/// [`walk`] below `node`, reached in `state` with output `out`; `false` once `visit`
/// has said to stop.
fn descend<A: Automaton>(
    fst: &Fst<Vec<u8>>,
    automaton: &A,
    node: Node,
    state: &A::State,
    out: Output,
    visit: &mut dyn FnMut(u64, &A::State) -> bool,
) -> bool {
    if !automaton.can_match(state) {
        return true;
    }
    // By index: `Node::transition` is always inlined, the iterator's `next` is not
    // (it costs the size-optimised build a call per transition).
    for i in 0..node.len() {
        let transition = node.transition(i);
        let next = automaton.accept(state, transition.inp);
        let mut is_match = automaton.is_match(&next);
        if !is_match && !automaton.can_match(&next) {
            continue;
        }
        let child = fst.node(transition.addr);
        let out = out.cat(transition.out);
        if child.is_final() {
            if let Some(end) = automaton.accept_eof(&next) {
                is_match = automaton.is_match(&end);
            }
            if is_match && !visit(out.cat(child.final_output()).value(), &next) {
                return false;
            }
        }
        if !descend(fst, automaton, child, &next, out, visit) {
            return false;
        }
    }
    true
}

/// Whether a prefix-mode `automaton` accepts a start of `text`.
fn accepts_start(automaton: &Fuzzy, text: &[u8]) -> bool {
    let mut state = automaton.start();
    for &byte in text {
        if automaton.is_match(&state) || !automaton.can_match(&state) {
            break;
        }
        state = automaton.accept(&state, byte);
    }
    automaton.is_match(&state)
}

impl Index {
    /// Number of distinct indexed words.
    pub fn word_count(&self) -> usize {
        self.postings.len()
    }

    /// The records that match `query`, best first: those matching more of its words,
    /// then higher scores (rarer words, better fields, exact before prefix before typo).
    /// Only records of `kind` when given. Returns at most `limit` hits and how many
    /// records matched in all. Stopwords match nothing: a query of only "the" finds
    /// nothing rather than whatever has a word starting with it.
    pub fn search(&self, query: &str, kind: Option<DocKind>, limit: usize) -> (Vec<Hit>, usize) {
        let mut query_words: Vec<String> = terms(query).collect();
        query_words.sort_unstable();
        query_words.dedup();
        // One search at a time uses the kept tables; another one meanwhile makes its own.
        let mut kept = self.scratch.try_lock();
        let mut own = Scratch::default();
        let scratch = match kept.as_deref_mut() {
            Ok(scratch) => scratch,
            Err(_) => &mut own,
        };
        scratch.start(self.bases[3] as usize);
        for word in &query_words {
            scratch.next_word();
            for (word_id, closeness) in self.expand(word) {
                let docs = &self.postings[word_id];
                let rarity = (1.0 + self.docs as f32 / docs.len() as f32).ln();
                for &(doc, weight) in docs {
                    if kind.is_some_and(|k| self.kind_of(doc) != k) {
                        continue;
                    }
                    scratch.offer(doc, closeness * f32::from(weight) * rarity);
                }
            }
            scratch.add_word();
        }
        let mut hits: Vec<Hit> = scratch
            .matched_docs()
            .map(|(doc, matched, score)| Hit {
                doc: self.doc(doc),
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

    /// The kind of the record with this dense number.
    fn kind_of(&self, dense: u32) -> DocKind {
        if dense >= self.bases[2] {
            DocKind::Person
        } else if dense >= self.bases[1] {
            DocKind::Quote
        } else {
            DocKind::Event
        }
    }

    /// The record with this dense number.
    fn doc(&self, dense: u32) -> Doc {
        let kind = self.kind_of(dense);
        Doc {
            kind,
            index: dense - self.bases[kind.slot()],
        }
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
            let prefix = fst::automaton::Str::new(word).starts_with();
            let mut taken = 0;
            walk(self.words.as_fst(), &prefix, &mut |id, _| {
                take(id, PREFIX);
                taken += 1;
                taken < EXPANSIONS
            });
        }
        let max = tolerance(word.chars().count());
        if max > 0 {
            let fuzzy = Fuzzy::whole(word, max);
            let mut taken = 0;
            walk(self.words.as_fst(), &fuzzy, &mut |id, state| {
                let edits = fuzzy.distance_at(state).unwrap_or(max);
                take(id, TYPO[usize::from(edits.min(2))]);
                taken += 1;
                taken < EXPANSIONS
            });
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
        let names = &self.names[slot];
        let sets = [&self.name_starts[slot], &self.name_words[slot]];
        // Keys hold KEY_BYTES bytes: longer input is looked up by its start, and each
        // name found is then checked whole.
        let probe = head(&typed, KEY_BYTES);
        let starts_with = |text: &[u8]| text.starts_with(typed.as_bytes());
        let check: Option<Check> = (probe.len() < typed.len()).then_some(&starts_with as _);
        for set in sets {
            let exact = fst::automaton::Str::new(probe).starts_with();
            set.collect(names, exact, check, limit, &mut found);
        }
        let max = tolerance(typed.chars().count());
        if max > 0 {
            // A start within `max` edits of the input is at most `max` bytes longer.
            let probe = head(&typed, KEY_BYTES - usize::from(max));
            let whole = Fuzzy::prefix(&typed, max);
            let fits = |text: &[u8]| accepts_start(&whole, text);
            let check: Option<Check> = (probe.len() < typed.len()).then_some(&fits as _);
            for set in sets {
                set.collect(names, Fuzzy::prefix(probe, max), check, limit, &mut found);
            }
        }
        found
    }
}

/// Per-record score tables for one search, reused by the next: entries are valid only
/// where their stamp is the current word's (or query's), so nothing needs clearing.
#[derive(Default)]
struct Scratch {
    /// Best score of each record for the current query word.
    best: Vec<f32>,
    /// Stamp of the word that set `best`.
    best_stamp: Vec<u32>,
    /// Records the current word matched.
    word_docs: Vec<u32>,
    /// Sum of the best scores, and how many words matched, of each record.
    totals: Vec<(f32, u32)>,
    /// Stamp of the query that set `totals`.
    total_stamp: Vec<u32>,
    /// Records any word matched, in the order first matched.
    docs: Vec<u32>,
    stamp: u32,
    query_stamp: u32,
}

impl Scratch {
    /// Readies the tables for a query over `records` records.
    fn start(&mut self, records: usize) {
        if self.best.len() < records {
            self.best.resize(records, 0.0);
            self.best_stamp.resize(records, 0);
            self.totals.resize(records, (0.0, 0));
            self.total_stamp.resize(records, 0);
        }
        self.docs.clear();
        self.query_stamp = self.query_stamp.wrapping_add(1);
        if self.query_stamp == 0 {
            self.total_stamp.fill(0);
            self.query_stamp = 1;
        }
    }

    fn next_word(&mut self) {
        self.word_docs.clear();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.best_stamp.fill(0);
            self.stamp = 1;
        }
    }

    /// Keeps `score` for `doc` if it beats what the current word gave it so far.
    fn offer(&mut self, doc: u32, score: f32) {
        let d = doc as usize;
        if self.best_stamp[d] == self.stamp {
            self.best[d] = self.best[d].max(score);
        } else {
            self.best_stamp[d] = self.stamp;
            self.best[d] = score;
            self.word_docs.push(doc);
        }
    }

    /// Adds the current word's best scores to the records' totals.
    fn add_word(&mut self) {
        for &doc in &self.word_docs {
            let d = doc as usize;
            if self.total_stamp[d] != self.query_stamp {
                self.total_stamp[d] = self.query_stamp;
                self.totals[d] = (0.0, 0);
                self.docs.push(doc);
            }
            let total = &mut self.totals[d];
            total.0 += self.best[d];
            total.1 += 1;
        }
    }

    /// Each matched record: dense number, words matched, score.
    fn matched_docs(&self) -> impl Iterator<Item = (u32, usize, f32)> + '_ {
        self.docs.iter().map(|&doc| {
            let (score, matched) = self.totals[doc as usize];
            (doc, matched as usize, score)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walking_finds_what_the_stream_finds_in_the_same_order() {
        // Words over a small alphabet, so that many are near each other; with values.
        let mut state = 5u64;
        let mut next = move |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        let mut words: Vec<String> = (0..2000)
            .map(|_| {
                let length = next(11) as usize;
                (0..length)
                    .map(|_| char::from(b'a' + next(5) as u8))
                    .collect()
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut builder = MapBuilder::memory();
        for (n, word) in words.iter().enumerate() {
            builder.insert(word, n as u64 * 7 + 3).unwrap();
        }
        let map = builder.into_map();
        let queries = [
            "",
            "a",
            "abc",
            "abcde",
            "eadbc",
            "aabbccdd",
            "edcbaedcba",
            "bbbbbbbbbbbb",
        ];
        for query in queries {
            for max in 0..=3 {
                let fuzzy = Fuzzy::whole(query, max);
                let mut expected = Vec::new();
                let mut stream = map.search_with_state(&fuzzy).into_stream();
                while let Some((key, value, state)) = stream.next() {
                    expected.push((
                        String::from_utf8(key.to_vec()).unwrap(),
                        value,
                        fuzzy.distance_at(&state),
                    ));
                }
                let mut found = Vec::new();
                walk(map.as_fst(), &fuzzy, &mut |value, state| {
                    found.push((
                        words[(value as usize - 3) / 7].clone(),
                        value,
                        fuzzy.distance_at(state),
                    ));
                    true
                });
                assert_eq!(found, expected, "{query} {max}");
                // Stopping early stops where the stream would have been left.
                for stop in [1, 2, 5] {
                    let mut taken = Vec::new();
                    walk(map.as_fst(), &fuzzy, &mut |value, _| {
                        taken.push(value);
                        taken.len() < stop
                    });
                    let first: Vec<u64> = expected.iter().take(stop).map(|e| e.1).collect();
                    assert_eq!(taken, first, "{query} {max} {stop}");
                }
            }
        }
        // Any automaton: prefixes, and one that matches every key.
        for prefix in ["", "a", "cd", "eeee"] {
            let automaton = fst::automaton::Str::new(prefix).starts_with();
            let expected: Vec<u64> = map.search(&automaton).into_stream().into_values();
            let mut found = Vec::new();
            walk(map.as_fst(), &automaton, &mut |value, _| {
                found.push(value);
                true
            });
            assert_eq!(found, expected, "{prefix}");
        }
    }
}
