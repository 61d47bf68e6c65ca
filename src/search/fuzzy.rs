//! Edit distance, and an automaton that finds fuzzy matches in an `fst` without
//! comparing the query with every key.

use fst::Automaton;

/// Edit distance between `a` and `b` counting insertions, deletions, substitutions
/// and swaps of neighbours (optimal string alignment), over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

/// The typos tolerated in a query word of `length` characters: none for short words,
/// where one edit changes the meaning, one from four letters, two from eight.
pub fn tolerance(length: usize) -> u8 {
    match length {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The most edits a [`Fuzzy`] automaton counts; a larger `max` counts as this many.
/// Search tolerates two ([`tolerance`]).
pub const MAX_EDITS: u8 = 3;

/// Levels of a [`Bits`] row: one for each number of edits from 0 to [`MAX_EDITS`].
const LEVELS: usize = MAX_EDITS as usize + 1;

/// Queries up to this many bytes get a bit mask of their positions for each byte value
/// (see [`Fuzzy::window`]); longer ones compare bytes.
const MASKED: usize = 64;

/// Matches keys within `max` edits of `query` (whole keys), or keys that start with
/// something within `max` edits of `query` (prefix mode, which treats a 0 byte in the
/// key as the end of its text). Edits are those of [`distance`] (insertions, deletions,
/// substitutions and swaps of neighbours), counted over bytes.
///
/// The state is one row of the edit-distance table, so the fst prunes every branch
/// whose best possible distance is already over `max`. Only the cells within `max` of
/// the diagonal can be `max` or less (Ukkonen's band), and a state keeps just those, as
/// bits: for each number of edits `d` up to `max`, the set of cells whose distance is
/// at most `d` (the nondeterministic Levenshtein automaton, simulated bit-parallel as
/// by Wu and Manber, with Hyyrö's rule for swaps). With a mask of the query positions
/// of each byte computed once, a step is a few word operations a level, whatever the
/// length of the query, and allocates nothing.
pub struct Fuzzy<'q> {
    query: &'q [u8],
    max: u8,
    prefix: bool,
    /// Bit `p` of `masks[b]` is set where `query[p] == b` (queries of up to
    /// [`MASKED`] bytes; unused for longer ones).
    masks: [u64; 256],
}

/// One row of the edit-distance table, within `max` of the diagonal, as bits: bit `s`
/// stands for cell `j = depth - max + s` (query bytes `..j` against the `depth` key
/// bytes read so far), for `s` from 0 to `2 * max`, and bit `s` of `levels[d]` is set
/// when that cell is `d` or less. Cells outside the query, or over `max`, have no bit.
#[derive(Clone, Copy, Debug)]
pub struct Bits {
    depth: u32,
    levels: [u8; LEVELS],
    /// For the swap rule at the next byte: `swaps[d]` holds the cells of the row before
    /// this one that are `d` or less and whose query byte after the next equals the
    /// last key byte read (in this row's slots; see [`Automaton::accept`]).
    swaps: [u8; LEVELS],
}

/// Where a [`Fuzzy`] automaton stands after some bytes of a key.
#[derive(Clone, Copy, Debug)]
pub enum FuzzyState {
    /// Still comparing: the current row of the table, and what the swap rule needs of
    /// the one before.
    Live(Bits),
    /// Prefix mode only: the query has matched; whatever follows matches too.
    Accepted,
    /// No continuation can come within `max` edits.
    Dead,
}

impl<'q> Fuzzy<'q> {
    /// Whole keys within `max` edits of `query`.
    pub fn whole(query: &'q str, max: u8) -> Self {
        Fuzzy::new(query.as_bytes(), max, false)
    }

    /// Keys whose start is within `max` edits of `query`.
    pub fn prefix(query: &'q str, max: u8) -> Self {
        Fuzzy::new(query.as_bytes(), max, true)
    }

    fn new(query: &'q [u8], max: u8, prefix: bool) -> Self {
        let mut masks = [0u64; 256];
        if query.len() <= MASKED {
            for (p, &byte) in query.iter().enumerate() {
                masks[usize::from(byte)] |= 1 << p;
            }
        }
        Fuzzy {
            query,
            max: max.min(MAX_EDITS),
            prefix,
            masks,
        }
    }

    /// The edit distance at a matching state of a whole-key search.
    pub fn distance_at(&self, state: &FuzzyState) -> Option<u8> {
        match state {
            FuzzyState::Live(bits) => self.end(bits),
            FuzzyState::Accepted => Some(0),
            FuzzyState::Dead => None,
        }
    }

    /// The distance of the whole query to the key bytes read, if `max` or less.
    fn end(&self, bits: &Bits) -> Option<u8> {
        let slot = (self.query.len() + usize::from(self.max)).checked_sub(bits.depth as usize)?;
        if slot > 2 * usize::from(self.max) {
            return None;
        }
        (0..=self.max).find(|&d| bits.levels[usize::from(d)] >> slot & 1 == 1)
    }

    /// Bits of the slots of row `depth` whose cell is in the table (`j <= len`).
    fn inside(&self, depth: u32) -> u32 {
        let max = usize::from(self.max);
        match (self.query.len() + max).checked_sub(depth as usize) {
            None => 0,
            Some(top) => (2u32 << top.min(2 * max)) - 1,
        }
    }

    /// Bit `s` is set where the query byte before cell `s` of row `depth` is `byte`:
    /// where a key whose byte `depth` is `byte` matches the query on the diagonal.
    fn window(&self, byte: u8, depth: u32) -> u32 {
        let max = usize::from(self.max);
        let width = (2u32 << (2 * max)) - 1;
        // Slot `s` of row `depth` stands for query byte `depth - 1 - max + s`.
        let first = i64::from(depth) - 1 - i64::from(self.max);
        if self.query.len() <= MASKED {
            let mask = self.masks[usize::from(byte)];
            let shifted = if first >= 0 {
                mask.checked_shr(first as u32).unwrap_or(0)
            } else {
                mask << -first
            };
            (shifted as u32) & width
        } else {
            let mut window = 0;
            for s in 0..=2 * max {
                let p = first + s as i64;
                if p >= 0 && self.query.get(p as usize) == Some(&byte) {
                    window |= 1 << s;
                }
            }
            window
        }
    }

    fn settle(&self, bits: Bits) -> FuzzyState {
        if self.prefix && self.end(&bits).is_some() {
            FuzzyState::Accepted
        } else if bits.levels[usize::from(self.max)] == 0 {
            // Each level holds the ones below it: the top one is empty only when all are.
            FuzzyState::Dead
        } else {
            FuzzyState::Live(bits)
        }
    }
}

impl Automaton for Fuzzy<'_> {
    type State = FuzzyState;

    fn start(&self) -> FuzzyState {
        let max = usize::from(self.max);
        let mut bits = Bits {
            depth: 0,
            levels: [0; LEVELS],
            swaps: [0; LEVELS],
        };
        // Cell `j` of the first row is `j`: slot `j + max` is in levels `j` and up.
        // No row before the first: the swap rule never applies at depth 1.
        for d in 0..=max {
            for j in 0..=d.min(self.query.len()) {
                bits.levels[d] |= 1 << (j + max);
            }
        }
        self.settle(bits)
    }

    fn is_match(&self, state: &FuzzyState) -> bool {
        match state {
            FuzzyState::Accepted => true,
            FuzzyState::Live(bits) => !self.prefix && self.end(bits).is_some(),
            FuzzyState::Dead => false,
        }
    }

    fn can_match(&self, state: &FuzzyState) -> bool {
        !matches!(state, FuzzyState::Dead)
    }

    fn will_always_match(&self, state: &FuzzyState) -> bool {
        matches!(state, FuzzyState::Accepted)
    }

    fn accept(&self, state: &FuzzyState, byte: u8) -> FuzzyState {
        let FuzzyState::Live(row) = *state else {
            return *state;
        };
        if self.prefix && byte == 0 {
            return FuzzyState::Dead;
        }
        let depth = row.depth + 1;
        // A cell's slot is that of the cell up and left of it (a match, substitution
        // or swap), one more than the cell above it (an extra key byte), and one less
        // than the cell left of it (a missing query byte).
        let matching = self.window(byte, depth);
        let inside = self.inside(depth);
        let mut next = Bits {
            depth,
            levels: [0; LEVELS],
            swaps: [0; LEVELS],
        };
        let mut left = 0u32;
        let mut up_left = 0u32;
        let mut swap = 0u32;
        for d in 0..=usize::from(self.max) {
            let old = u32::from(row.levels[d]);
            let mut cells = old & matching;
            if d > 0 {
                // One more edit than level `d - 1`: substitute, insert, delete or swap.
                cells |= up_left | up_left >> 1 | left << 1 | swap & matching << 1;
            }
            cells &= inside;
            // Swap at the next byte `b` into cell `j` from cell `j - 2` of this old
            // row: needs `query[j - 1] == byte` (kept here) and `query[j - 2] == b`.
            next.swaps[d] = (old & matching >> 1) as u8;
            next.levels[d] = cells as u8;
            left = cells;
            up_left = old;
            swap = u32::from(row.swaps[d]);
        }
        self.settle(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Set, Streamer};

    fn matches(keys: &[&str], automaton: Fuzzy) -> Vec<String> {
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        let set = Set::from_iter(keys).unwrap();
        let mut stream = set.search(automaton).into_stream();
        let mut found = Vec::new();
        while let Some(key) = stream.next() {
            found.push(String::from_utf8_lossy(key).into_owned());
        }
        found
    }

    #[test]
    fn distance_counts_each_kind_of_edit_once() {
        assert_eq!(distance("altman", "altman"), 0);
        assert_eq!(distance("altmann", "altman"), 1);
        assert_eq!(distance("sutskevar", "sutskever"), 1);
        assert_eq!(distance("stargaet", "stargate"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn whole_mode_agrees_with_distance() {
        let keys = [
            "altman",
            "altmann",
            "alton",
            "sutskever",
            "stargate",
            "start",
        ];
        assert_eq!(
            matches(&keys, Fuzzy::whole("altmann", 1)),
            ["altman", "altmann"]
        );
        assert_eq!(matches(&keys, Fuzzy::whole("sutskevar", 2)), ["sutskever"]);
        assert_eq!(matches(&keys, Fuzzy::whole("stargaet", 1)), ["stargate"]);
    }

    #[test]
    fn prefix_mode_matches_starts_and_stops_at_the_end_of_text() {
        let keys = [
            "altman sam\0a",
            "masayoshi son\0b",
            "stargate announced\0c",
            "st\0d",
        ];
        assert_eq!(
            matches(&keys, Fuzzy::prefix("stargat", 1)),
            ["stargate announced\0c"]
        );
        assert_eq!(
            matches(&keys, Fuzzy::prefix("altmann", 1)),
            ["altman sam\0a"]
        );
        assert_eq!(
            matches(&keys, Fuzzy::prefix("mas", 0)),
            ["masayoshi son\0b"]
        );
    }

    /// Random numbers below a bound, seeded.
    fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        }
    }

    /// Random words over a small alphabet, so that near misses are common.
    fn random_words(seed: u64, count: usize, longest: usize) -> Vec<String> {
        let mut next = numbers(seed);
        (0..count)
            .map(|_| {
                let length = next(longest as u64 + 1) as usize;
                (0..length)
                    .map(|_| char::from(b'a' + next(4) as u8))
                    .collect()
            })
            .collect()
    }

    /// Checks both modes of the automaton for `query` and `max` against [`distance`]
    /// over `keys` (sorted, distinct, without 0 bytes): which keys match, and the
    /// distance each whole match reports.
    fn agrees_with_distance(keys: &[String], query: &str, max: u8) {
        let most = usize::from(max.min(MAX_EDITS));
        let set = Set::from_iter(keys).unwrap();
        let fuzzy = Fuzzy::whole(query, max);
        let mut stream = set.search_with_state(&fuzzy).into_stream();
        let mut found = Vec::new();
        while let Some((key, state)) = stream.next() {
            let key = String::from_utf8(key.to_vec()).unwrap();
            assert_eq!(
                fuzzy.distance_at(&state).map(usize::from),
                Some(distance(query, &key)),
                "{query} {key}"
            );
            found.push(key);
        }
        let expected: Vec<String> = keys
            .iter()
            .filter(|k| distance(query, k) <= most)
            .cloned()
            .collect();
        assert_eq!(found, expected, "whole {query} {max}");
        let prefixed: Vec<String> = keys.iter().map(|k| format!("{k}\0x")).collect();
        let found = matches(
            &prefixed.iter().map(String::as_str).collect::<Vec<_>>(),
            Fuzzy::prefix(query, max),
        );
        let expected: Vec<String> = prefixed
            .iter()
            .filter(|k| {
                let text = k.split('\0').next().unwrap();
                // A start more than `most` bytes longer or shorter is too far anyway.
                (0..=text.len())
                    .filter(|end| end.abs_diff(query.len()) <= most)
                    .any(|end| distance(query, &text[..end]) <= most)
            })
            .cloned()
            .collect();
        assert_eq!(found, expected, "prefix {query} {max}");
    }

    #[test]
    fn both_modes_agree_with_distance_on_random_words() {
        let mut keys = random_words(1, 400, 12);
        keys.sort_unstable();
        keys.dedup();
        for (n, query) in random_words(2, 60, 14).iter().enumerate() {
            agrees_with_distance(&keys, query, (n % 4) as u8);
        }
    }

    /// Every word of up to `longest` letters over the alphabet `a..=last`, sorted.
    fn every_word(last: u8, longest: usize) -> Vec<String> {
        let mut words = vec![String::new()];
        let mut newest = vec![String::new()];
        for _ in 0..longest {
            newest = newest
                .iter()
                .flat_map(|w| (b'a'..=last).map(move |c| format!("{w}{}", char::from(c))))
                .collect();
            words.extend(newest.iter().cloned());
        }
        words.sort_unstable();
        words
    }

    #[test]
    fn both_modes_agree_with_distance_on_every_short_word() {
        // Every key of up to 5 letters over a, b, c against every query of up to 4, at
        // every tolerance: all the swaps, repeats and edges of the band a short word has.
        let keys = every_word(b'c', 5);
        for query in every_word(b'c', 4) {
            for max in 0..=MAX_EDITS + 1 {
                agrees_with_distance(&keys, &query, max);
            }
        }
    }

    /// `word` with `edits` random edits: insertions, deletions, substitutions, swaps.
    fn edited(word: &str, edits: usize, next: &mut impl FnMut(u64) -> u64) -> String {
        let mut bytes = word.as_bytes().to_vec();
        for _ in 0..edits {
            let at = next(bytes.len() as u64 + 1) as usize;
            let letter = b'a' + next(3) as u8;
            match next(4) {
                0 => bytes.insert(at, letter),
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                2 if at < bytes.len() => bytes[at] = letter,
                _ if at + 1 < bytes.len() => bytes.swap(at, at + 1),
                _ => bytes.push(letter),
            }
        }
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn both_modes_agree_with_distance_on_long_words() {
        // Queries around and beyond the 64 bytes that get position masks, against keys
        // a few edits from them (and from each other).
        let mut next = numbers(3);
        for length in [20, 62, 63, 64, 65, 66, 90, 130] {
            let query: String = (0..length)
                .map(|_| char::from(b'a' + next(3) as u8))
                .collect();
            let mut keys: Vec<String> = Vec::new();
            for n in 0..120 {
                keys.push(edited(&query, n % 6, &mut next));
            }
            for n in 0..40 {
                keys.push(edited(&query[..length / 2], n % 4, &mut next));
            }
            keys.sort_unstable();
            keys.dedup();
            for max in 0..=MAX_EDITS {
                agrees_with_distance(&keys, &query, max);
            }
        }
    }

    #[test]
    fn swaps_count_as_one_edit() {
        let keys = ["abcd", "abdc", "acbd", "bacd", "badc", "cabd"];
        let fuzzy = Fuzzy::whole("abcd", 1);
        let set = Set::from_iter(keys).unwrap();
        let mut stream = set.search_with_state(&fuzzy).into_stream();
        let mut found = Vec::new();
        while let Some((key, state)) = stream.next() {
            found.push((
                String::from_utf8(key.to_vec()).unwrap(),
                fuzzy.distance_at(&state),
            ));
        }
        let one = |k: &str| (k.to_string(), Some(1));
        assert_eq!(
            found,
            [
                ("abcd".to_string(), Some(0)),
                one("abdc"),
                one("acbd"),
                one("bacd")
            ]
        );
        // Optimal string alignment: a swapped pair is not edited again.
        assert_eq!(distance("ca", "abc"), 3);
        assert_eq!(distance("abcd", "badc"), 2);
    }
}
