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

/// Matches keys within `max` edits of `query` (whole keys), or keys that start with
/// something within `max` edits of `query` (prefix mode, which treats a 0 byte in the
/// key as the end of its text).
///
/// The state is one row of the edit-distance table, so the fst prunes every branch
/// whose best possible distance is already over `max`.
pub struct Fuzzy<'q> {
    query: &'q [u8],
    max: u8,
    prefix: bool,
}

/// Where a [`Fuzzy`] automaton stands after some bytes of a key.
#[derive(Clone, Debug)]
pub enum FuzzyState {
    /// Still comparing: the current and previous rows of the table, and the last byte.
    Live {
        row: Vec<u8>,
        previous: Vec<u8>,
        last: u8,
    },
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
            max,
            prefix: false,
        }
    }

    /// Keys whose start is within `max` edits of `query`.
    pub fn prefix(query: &'q str, max: u8) -> Self {
        Fuzzy {
            query: query.as_bytes(),
            max,
            prefix: true,
        }
    }

    /// The edit distance at a matching state of a whole-key search.
    pub fn distance_at(&self, state: &FuzzyState) -> Option<u8> {
        match state {
            FuzzyState::Live { row, .. } => row.last().copied().filter(|d| *d <= self.max),
            FuzzyState::Accepted => Some(0),
            FuzzyState::Dead => None,
        }
    }

    fn settle(&self, row: Vec<u8>, previous: Vec<u8>, last: u8) -> FuzzyState {
        if self.prefix && row.last().is_some_and(|d| *d <= self.max) {
            FuzzyState::Accepted
        } else if row.iter().all(|d| *d > self.max) {
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
        let cap = self.max.saturating_add(1);
        let row = (0..=self.query.len())
            .map(|j| u8::try_from(j).unwrap_or(u8::MAX).min(cap))
            .collect();
        self.settle(row, Vec::new(), 0)
    }

    fn is_match(&self, state: &FuzzyState) -> bool {
        match state {
            FuzzyState::Accepted => true,
            FuzzyState::Live { row, .. } => {
                !self.prefix && row.last().is_some_and(|d| *d <= self.max)
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
        } = state
        else {
            return state.clone();
        };
        if self.prefix && byte == 0 {
            return FuzzyState::Dead;
        }
        let cap = self.max.saturating_add(1);
        let q = self.query;
        let mut next = Vec::with_capacity(row.len());
        next.push(row[0].saturating_add(1).min(cap));
        for j in 1..=q.len() {
            let cost = u8::from(q[j - 1] != byte);
            let mut best = (row[j] + 1).min(next[j - 1] + 1).min(row[j - 1] + cost);
            if j > 1 && !previous.is_empty() && q[j - 1] == *last && q[j - 2] == byte {
                best = best.min(previous[j - 2] + 1);
            }
            next.push(best.min(cap));
        }
        self.settle(next, row.clone(), byte)
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
}
