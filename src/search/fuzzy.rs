//! Edit distance, and an automaton that finds fuzzy matches in an `fst` without
//! comparing the query with every key.
//!
//! Both come from crates: the distance from `strsim`, the automaton from
//! `levenshtein_automata` (a Levenshtein DFA, as tantivy uses), wrapped here so that
//! `fst` can drive it and so that a prefix search accepts once a start has matched.

use std::sync::OnceLock;

use fst::Automaton;
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};

/// Edit distance between `a` and `b` counting insertions, deletions, substitutions
/// and swaps of neighbours (optimal string alignment), over characters.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
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
/// It is the most [`tolerance`] allows: a builder for more would cost far more to make.
pub const MAX_EDITS: u8 = 2;

/// The DFA builder for `max` edits, swaps counting as one. Making one takes
/// milliseconds, so each is made once per process, on first use, and shared.
fn builder(max: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; MAX_EDITS as usize + 1] =
        [const { OnceLock::new() }; MAX_EDITS as usize + 1];
    BUILDERS[usize::from(max)].get_or_init(|| LevenshteinAutomatonBuilder::new(max, true))
}

/// Matches keys within `max` edits of `query` (whole keys), or keys that start with
/// something within `max` edits of `query` (prefix mode). Edits are those of
/// [`distance`], counted over characters.
///
/// A state is a state of the DFA; the fst prunes every branch that reaches the DFA's
/// sink, where no continuation can come within `max` edits.
pub struct Fuzzy {
    dfa: DFA,
    prefix: bool,
}

impl Fuzzy {
    /// Whole keys within `max` edits of `query`.
    pub fn whole(query: &str, max: u8) -> Self {
        let dfa = builder(max.min(MAX_EDITS)).build_dfa(query);
        Fuzzy { dfa, prefix: false }
    }

    /// Keys whose start is within `max` edits of `query`.
    pub fn prefix(query: &str, max: u8) -> Self {
        let dfa = builder(max.min(MAX_EDITS)).build_prefix_dfa(query);
        Fuzzy { dfa, prefix: true }
    }

    /// The edit distance at a matching state (in prefix mode, of the first start that
    /// matched); `None` at a state that does not match.
    pub fn distance_at(&self, state: &u32) -> Option<u8> {
        match self.dfa.distance(*state) {
            Distance::Exact(edits) => Some(edits),
            Distance::AtLeast(_) => None,
        }
    }
}

impl Automaton for Fuzzy {
    type State = u32;

    fn start(&self) -> u32 {
        self.dfa.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        self.distance_at(state).is_some()
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn will_always_match(&self, state: &u32) -> bool {
        self.prefix && self.is_match(state)
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        // The prefix DFA reports the distance of the whole query to the bytes read so
        // far, which more bytes can take back over `max`; a start that matched keeps
        // the key matched.
        if self.will_always_match(state) {
            *state
        } else {
            self.dfa.transition(*state, byte)
        }
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
        assert_eq!(distance("café", "cafe"), 1);
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
    fn prefix_mode_matches_starts() {
        let keys = ["altman sam", "masayoshi son", "stargate announced", "st"];
        assert_eq!(
            matches(&keys, Fuzzy::prefix("stargat", 1)),
            ["stargate announced"]
        );
        assert_eq!(matches(&keys, Fuzzy::prefix("altmann", 1)), ["altman sam"]);
        assert_eq!(matches(&keys, Fuzzy::prefix("mas", 0)), ["masayoshi son"]);
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
    /// over `keys` (sorted, distinct): which keys match, and the distance each whole
    /// match reports.
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
        let found = matches(
            &keys.iter().map(String::as_str).collect::<Vec<_>>(),
            Fuzzy::prefix(query, max),
        );
        let expected: Vec<String> = keys
            .iter()
            .filter(|text| {
                text.char_indices()
                    .map(|(end, _)| end)
                    .chain([text.len()])
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

    /// Every word of up to `longest` letters over `alphabet`, sorted.
    fn every_word(alphabet: &[char], longest: usize) -> Vec<String> {
        let mut words = vec![String::new()];
        let mut newest = vec![String::new()];
        for _ in 0..longest {
            newest = newest
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(newest.iter().cloned());
        }
        words.sort_unstable();
        words
    }

    #[test]
    fn both_modes_agree_with_distance_on_every_short_word() {
        // Every key of up to 5 letters over a, b, c against every query of up to 4, at
        // every tolerance: all the swaps and repeats a short word has.
        let keys = every_word(&['a', 'b', 'c'], 5);
        for query in every_word(&['a', 'b', 'c'], 4) {
            for max in 0..=MAX_EDITS + 1 {
                agrees_with_distance(&keys, &query, max);
            }
        }
    }

    #[test]
    fn edits_count_characters_not_bytes() {
        // Letters of two and three bytes: one edit each, as `distance` counts them.
        let keys = every_word(&['a', 'é', '€'], 4);
        for query in every_word(&['a', 'é', '€'], 3) {
            for max in 0..=MAX_EDITS {
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
        // Long queries against keys a few edits from them (and from each other).
        let mut next = numbers(3);
        for length in [20, 40, 70] {
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
