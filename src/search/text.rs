//! Turning text into the words that search and autocomplete compare.

/// Words too common to tell records apart; left out of the search index.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "had", "has", "he", "his",
    "in", "is", "it", "its", "of", "on", "or", "that", "the", "their", "they", "this", "to", "was",
    "were", "with",
];

/// Lowercase words of `text`, in order: letters and digits, with `97.4` and `1,000`
/// kept whole as numbers (`97.4`, `1000`), and possessive `'s` dropped.
pub fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
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
    fn terms_leave_out_stopwords() {
        assert_eq!(
            terms("The feud of the year").collect::<Vec<_>>(),
            ["feud", "year"]
        );
    }
}
