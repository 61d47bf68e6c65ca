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

/// Cells of the edit-distance table a state keeps: those within `max` of the diagonal
/// (`2 * max + 1`), and at least one more that is always over `max`.
const BAND: usize = 2 * MAX_EDITS as usize + 2;

/// Matches keys within `max` edits of `query` (whole keys), or keys that start with
/// something within `max` edits of `query` (prefix mode, which treats a 0 byte in the
/// key as the end of its text).
///
/// The state is one row of the edit-distance table, so the fst prunes every branch
/// whose best possible distance is already over `max`. Only the cells within `max` of
/// the diagonal can be `max` or less, so a state keeps just those (Ukkonen's band): a
/// step costs `O(max)` whatever the length of the query, and allocates nothing.
pub struct Fuzzy<'q> {
    query: &'q [u8],
    max: u8,
    prefix: bool,
}

/// The cells of one row of the edit-distance table within `max` of the diagonal:
/// cell `j` (query bytes `..j`) of the row at `depth` (key bytes) is at
/// `j + max - depth`. Cells outside the band, and slots for a `j` outside the query,
/// hold `max + 1`.
#[derive(Clone, Copy, Debug)]
pub struct Band {
    depth: u32,
    cells: [u8; BAND],
}

/// Where a [`Fuzzy`] automaton stands after some bytes of a key.
#[derive(Clone, Copy, Debug)]
pub enum FuzzyState {
    /// Still comparing: the current and previous rows of the table, and the last byte.
    Live { row: Band, previous: Band, last: u8 },
    /// Prefix mode only: the query has matched; whatever follows matches too.
    Accepted,
    /// No continuation can come within `max` edits.
    Dead,
}

impl<'q> Fuzzy<'q> {
    /// Whole keys within `max` edits of `query`.
    pub fn whole(query: &'q str, max: u8) -> Self {
        Fuzzy {
            query: query.as_bytes(),
            max: max.min(MAX_EDITS),
            prefix: false,
        }
    }

    /// Keys whose start is within `max` edits of `query`.
    pub fn prefix(query: &'q str, max: u8) -> Self {
        Fuzzy {
            query: query.as_bytes(),
            max: max.min(MAX_EDITS),
            prefix: true,
        }
    }

    /// The edit distance at a matching state of a whole-key search.
    pub fn distance_at(&self, state: &FuzzyState) -> Option<u8> {
        match state {
            FuzzyState::Live { row, .. } => {
                Some(self.cell(row, self.query.len())).filter(|d| *d <= self.max)
            }
            FuzzyState::Accepted => Some(0),
            FuzzyState::Dead => None,
        }
    }

    fn cap(&self) -> u8 {
        self.max + 1
    }

    /// Cell `j` of `row`; `max + 1` (the cap) outside the band.
    fn cell(&self, row: &Band, j: usize) -> u8 {
        let slot = (j + usize::from(self.max)).wrapping_sub(row.depth as usize);
        if j <= self.query.len() && slot <= 2 * usize::from(self.max) {
            row.cells[slot]
        } else {
            self.cap()
        }
    }

    fn settle(&self, row: Band, previous: Band, last: u8) -> FuzzyState {
        let max = self.max;
        if self.prefix && self.cell(&row, self.query.len()) <= max {
            FuzzyState::Accepted
        } else if row.cells.iter().all(|&d| d > max) {
            FuzzyState::Dead
        } else {
            FuzzyState::Live {
                row,
                previous,
                last,
            }
        }
    }
}

impl Automaton for Fuzzy<'_> {
    type State = FuzzyState;

    fn start(&self) -> FuzzyState {
        let cap = self.cap();
        let max = usize::from(self.max);
        let mut row = Band {
            depth: 0,
            cells: [cap; BAND],
        };
        for j in 0..=max.min(self.query.len()) {
            row.cells[j + max] = u8::try_from(j).unwrap_or(u8::MAX).min(cap);
        }
        // No row before the first: the transposition rule never applies at depth 0.
        self.settle(row, row, 0)
    }

    fn is_match(&self, state: &FuzzyState) -> bool {
        match state {
            FuzzyState::Accepted => true,
            FuzzyState::Live { row, .. } => {
                !self.prefix && self.cell(row, self.query.len()) <= self.max
            }
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
        let FuzzyState::Live {
            row,
            previous,
            last,
        } = *state
        else {
            return *state;
        };
        if self.prefix && byte == 0 {
            return FuzzyState::Dead;
        }
        let cap = self.cap();
        let q = self.query;
        let max = usize::from(self.max);
        let depth = row.depth + 1;
        let mut next = Band {
            depth,
            cells: [cap; BAND],
        };
        // Slot `k` of the new row is query position `j = depth - max + k`; the same
        // position is slot `k + 1` of `row` and, two bytes back, slot `k - 1` of
        // `previous`.
        let first = (depth as usize).saturating_sub(max);
        let last_j = (depth as usize + max).min(q.len());
        for j in first..=last_j {
            let k = j + max - depth as usize;
            let best = if j == 0 {
                u8::try_from(depth).unwrap_or(u8::MAX).min(cap)
            } else {
                let cost = u8::from(q[j - 1] != byte);
                let left = if k > 0 { next.cells[k - 1] } else { cap };
                let mut best = (row.cells[k + 1] + 1)
                    .min(left + 1)
                    .min(row.cells[k] + cost);
                if j > 1 && row.depth > 0 && q[j - 1] == last && q[j - 2] == byte {
                    best = best.min(previous.cells[k] + 1);
                }
                best.min(cap)
            };
            next.cells[k] = best;
        }
        self.settle(next, row, byte)
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

    /// Random words over a small alphabet, so that near misses are common.
    fn random_words(seed: u64, count: usize, longest: usize) -> Vec<String> {
        let mut state = seed;
        let mut next = move |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        (0..count)
            .map(|_| {
                let length = next(longest as u64 + 1) as usize;
                (0..length)
                    .map(|_| char::from(b'a' + next(4) as u8))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn both_modes_agree_with_distance_on_random_words() {
        let mut keys = random_words(1, 400, 12);
        keys.sort_unstable();
        keys.dedup();
        let set = Set::from_iter(&keys).unwrap();
        let prefixed: Vec<String> = keys.iter().map(|k| format!("{k}\0x")).collect();
        for (n, query) in random_words(2, 60, 14).iter().enumerate() {
            let max = (n % 4) as u8;
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
                .filter(|k| distance(query, k) <= usize::from(max))
                .cloned()
                .collect();
            assert_eq!(found, expected, "whole {query} {max}");
            let found = matches(
                &prefixed.iter().map(String::as_str).collect::<Vec<_>>(),
                Fuzzy::prefix(query, max),
            );
            let expected: Vec<String> = prefixed
                .iter()
                .filter(|k| {
                    let text = k.split('\0').next().unwrap();
                    (0..=text.len()).any(|end| distance(query, &text[..end]) <= usize::from(max))
                })
                .cloned()
                .collect();
            assert_eq!(found, expected, "prefix {query} {max}");
        }
    }
}
