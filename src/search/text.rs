//! Turning text into the words that search and autocomplete compare: lower case,
//! diacritics folded (`Sútskévér` is `sutskever`), numbers kept whole.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words too common to tell records apart; left out of the search index.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "had", "has", "he", "his",
    "in", "is", "it", "its", "of", "on", "or", "that", "the", "their", "they", "this", "to", "was",
    "were", "with",
];

/// Words that say what kind of record is looked up, or ask about one, rather than
/// which: `/event title:the event` names no event. Unlike stopwords they are indexed
/// (a search for "event" still finds the Vanity Fair event), but a lookup does not
/// match on them alone.
const FILLER: &[&str] = &[
    "about",
    "event",
    "events",
    "people",
    "person",
    "quote",
    "quotes",
    "said",
    "say",
    "says",
    "someone",
    "something",
    "what",
    "when",
    "who",
];

/// `text` with its diacritics dropped, so that a name matches however it is typed:
/// decomposed the compatibility way (NFKD: `é` becomes `e` and an accent, `ﬁ` becomes
/// `fi`, a full-width `Ａ` a plain `A`), then without the combining marks. Unicode's
/// own tables do it (the `unicode-normalization` crate), so every accented letter
/// that decomposes is folded, not just those a hand-made table would list. ASCII text,
/// most of what is typed, comes back as it is.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkd().filter(|&c| !is_combining_mark(c)).collect())
    }
}

/// Lowercase words of `text`, in order, diacritics folded ([`fold`]): letters and
/// digits, with `97.4` and `1,000` kept whole as numbers (`97.4`, `1000`), and
/// possessive `'s` dropped.
pub fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = fold(text).chars().flat_map(char::to_lowercase).collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let digit_at = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() {
            word.push(c);
        } else if (c == '.' || c == ',') && i > 0 && digit_at(i - 1) && digit_at(i + 1) {
            if c == '.' {
                word.push('.');
            }
        } else if c == '\'' || c == '\u{2019}' {
            let possessive = chars.get(i + 1) == Some(&'s')
                && !chars.get(i + 2).is_some_and(|c| c.is_alphanumeric());
            if possessive {
                i += 1;
            }
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        i += 1;
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `text` as its words joined by single spaces: how names are compared.
pub fn normalize(text: &str) -> String {
    words(text).join(" ")
}

/// The words of `text` worth indexing: [`words`] without stopwords.
pub fn terms(text: &str) -> impl Iterator<Item = String> {
    words(text)
        .into_iter()
        .filter(|word| !STOPWORDS.contains(&word.as_str()))
}

/// The words of `text` that can tell one record from another: [`terms`] without
/// filler words ("event", "quote", "about"…). What a lookup must match; empty when
/// `text` only says what kind of record is wanted.
pub fn telling(text: &str) -> Vec<String> {
    terms(text)
        .filter(|word| !FILLER.contains(&word.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_numbers_whole_and_drops_possessives() {
        assert_eq!(
            words("Musk's $97.4 billion bid, 1,000 times 'brutal'!"),
            ["musk", "97.4", "billion", "bid", "1000", "times", "brutal"]
        );
        assert_eq!(words("Don't stop. 2015."), ["dont", "stop", "2015"]);
        assert_eq!(
            normalize("  Altman’s   'Manhattan Project' "),
            "altman manhattan project"
        );
    }

    #[test]
    fn diacritics_are_folded() {
        assert_eq!(words("Ílyá Sútskévér"), ["ilya", "sutskever"]);
        assert_eq!(normalize("Zoë Ñúñez, São Paulo"), "zoe nunez sao paulo");
        assert_eq!(words("ﬁnal Ｏｐｅｎ"), ["final", "open"]);
        assert!(matches!(fold("plain ascii"), Cow::Borrowed(_)));
    }

    #[test]
    fn telling_words_leave_out_stopwords_and_filler() {
        assert_eq!(telling("The event of the bid"), ["bid"]);
        assert!(telling("the quote about a person").is_empty());
    }

    #[test]
    fn terms_leave_out_stopwords() {
        assert_eq!(
            terms("The feud of the year").collect::<Vec<_>>(),
            ["feud", "year"]
        );
    }
}
