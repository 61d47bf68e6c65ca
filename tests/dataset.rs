//! The shipped dataset is true to its source: quotes word for word as the article gives
//! them, with the right speaker, and dates no more precise than a source supports.

use std::path::{Path, PathBuf};

use feudbot::data::Dataset;

fn data() -> Dataset {
    Dataset::load(Path::new("data")).expect("the shipped dataset loads")
}

/// The source article, which CI has beside the checkout (`../shared/seeds`);
/// `FEUDBOT_ARTICLE` points elsewhere.
fn article() -> Option<String> {
    let path = std::env::var_os("FEUDBOT_ARTICLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/seeds/000_9757ac2cf306593f.txt"));
    std::fs::read_to_string(path).ok()
}

#[test]
fn every_article_quote_is_word_for_word_in_the_article() {
    let Some(article) = article() else {
        // A clone without ../shared cannot check this; CI always has it.
        eprintln!("source article not found: set FEUDBOT_ARTICLE to check quotes against it");
        return;
    };
    let data = data();
    let from_article: Vec<_> = data
        .quotes()
        .iter()
        .filter(|q| q.source == "article")
        .collect();
    assert_eq!(
        from_article.len(),
        data.quotes().len(),
        "every quote comes from the article"
    );
    for quote in from_article {
        assert!(
            article.contains(&quote.text),
            "quote {:?} is not word for word in the article: {:?}",
            quote.id,
            quote.text
        );
    }
}

#[test]
fn speakers_are_the_ones_the_article_names() {
    let data = data();
    let expected = [
        ("That was the last straw.", "Elon Musk"),
        ("They literally have no money", "Elon Musk"),
        (
            "SoftBank has less than $10 billion secured. I have reliable sources.",
            "Elon Musk",
        ),
        ("Scam Altman", "Elon Musk"),
        (
            "remains focused on safety and open source as it has always been.",
            "Elon Musk",
        ),
        ("bitter", "Sam Altman"),
        ("represent an unacceptable threat to America.", "Sam Altman"),
        (
            "His whole life has probably been from a position of insecurity. I really feel sorry \
             for him. I don't think he's happy.",
            "Sam Altman",
        ),
        (
            "No. He hates one of the people on the deal. The people on the team are very, very smart.",
            "Donald Trump",
        ),
        ("very pleased", "Donald Trump"),
        ("will certainly get attention.", "Donald Trump"),
        (
            "to avoid an AGI dictatorship",
            "Greg Brockman and Ilya Sutskever",
        ),
        (
            "seems like a bad idea to create a structure where you can become a dictator if you want to.",
            "Greg Brockman and Ilya Sutskever",
        ),
    ];
    for (text, speaker) in expected {
        let quote = data
            .quotes()
            .iter()
            .find(|q| q.text == text)
            .unwrap_or_else(|| panic!("missing quote {text:?}"));
        assert_eq!(data.speakers(quote), speaker, "{text}");
    }
}

#[test]
fn venues_are_the_ones_the_article_names() {
    let data = data();
    let expected = [
        ("agi-dictatorship", "In an email"),
        ("become-a-dictator", "In an email"),
        ("last-straw", "In an email"),
        ("very-pleased", "At the White House"),
        ("get-attention", "At the White House"),
        ("no-money", "On X"),
        ("softbank-secured", "On X"),
        ("hates-one-of-the-people", "To reporters"),
        ("scam-altman", "On X"),
        ("position-of-insecurity", "To Bloomberg"),
    ];
    let venues: Vec<(&str, &str)> = data
        .quotes()
        .iter()
        .filter_map(|q| Some((q.id.as_str(), q.venue.as_deref()?)))
        .collect();
    assert_eq!(venues, expected);
    let Some(article) = article() else {
        eprintln!("source article not found: set FEUDBOT_ARTICLE to check venues against it");
        return;
    };
    // The paragraph that gives the quote names the place.
    for (id, venue) in expected {
        let quote = data.quote(id).unwrap();
        let paragraph = article
            .split("\n\n")
            .find(|p| p.contains(&quote.text))
            .unwrap_or_else(|| panic!("{id} is in no paragraph of the article"));
        let place = venue.rsplit(' ').next().unwrap();
        assert!(
            paragraph
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == place),
            "{id}: {place:?} is not in {paragraph:?}"
        );
    }
}

#[test]
fn no_decoy_finishes_a_quote_as_the_article_gives_it() {
    let Some(article) = article() else {
        eprintln!("source article not found: set FEUDBOT_ARTICLE to check decoys against it");
        return;
    };
    let data = data();
    let article = article.to_lowercase();
    let mut blanks = 0;
    for quote in data.quotes() {
        let Some(blank) = &quote.blank else {
            continue;
        };
        blanks += 1;
        for decoy in &quote.decoys {
            let finished = quote.text.replacen(blank.as_str(), decoy, 1);
            assert!(
                !article.contains(&finished.to_lowercase()),
                "{}: {decoy:?} finishes the quote as the article does",
                quote.id
            );
        }
    }
    assert!(blanks >= 10, "only {blanks} quotes have a blank");
}

#[test]
fn the_story_runs_from_the_2015_dinners_to_the_rejected_bid() {
    let data = data();
    let ids: Vec<&str> = data.events().iter().map(|e| e.id.as_str()).collect();
    for id in [
        "wednesday-dinners",
        "openai-founded",
        "dictatorship-email",
        "musk-leaves",
        "chatgpt",
        "xai-founded",
        "musk-sues",
        "lawsuit-withdrawn",
        "lawsuit-refiled",
        "son-pledge",
        "stargate-announced",
        "musk-bid",
        "bid-rejected",
    ] {
        assert!(ids.contains(&id), "missing event {id}");
    }
    let first = data.events().first().unwrap();
    let last = data.events().last().unwrap();
    assert_eq!(
        (first.date.year(), last.date.to_string().as_str()),
        (2015, "2025-02-14")
    );
    assert!(
        data.events().windows(2).all(|w| w[0].date <= w[1].date),
        "chronological"
    );
}

#[test]
fn dates_the_article_gives_are_kept_as_it_gives_them() {
    let data = data();
    let date = |id: &str| data.event(id).unwrap().date.to_string();
    // Dated by the article itself.
    assert_eq!(date("manhattan-project"), "2015-05");
    assert_eq!(date("anduril-partnership"), "2024-12");
    assert_eq!(date("inauguration"), "2025-01-20");
    assert_eq!(date("stargate-announced"), "2025-01-21");
    assert_eq!(date("no-money-post"), "2025-01-22");
    assert_eq!(date("trump-shrugs"), "2025-01-23");
    assert_eq!(date("bid-rejected"), "2025-02-14");
    // "Recently", in an article of February 2025.
    assert_eq!(date("openai-1789-capital"), "by 2025-02");
    // The article says only "early 2015", "2017", "2023": no month is invented.
    for id in [
        "wednesday-dinners",
        "for-profit-rift",
        "dictatorship-email",
        "stargate-first-mentioned",
    ] {
        assert_eq!(data.event(id).unwrap().date.month(), None, "{id}");
    }
}

#[test]
fn days_beyond_the_article_cite_their_own_source_and_agree_with_it() {
    let data = data();
    let article_days = [
        "2025-01-20",
        "2025-01-21",
        "2025-01-22",
        "2025-01-23",
        "2025-02-14",
    ];
    for event in data.events() {
        if event.date.day().is_some() && !article_days.contains(&event.date.to_string().as_str()) {
            let source = event
                .date_source
                .as_deref()
                .unwrap_or_else(|| panic!("{} has a day the article does not give", event.id));
            let citation = data.citation(source);
            let (month, day, year) = (
                feudbot::data::month_name(event.date.month().unwrap()),
                event.date.day().unwrap(),
                event.date.year(),
            );
            assert!(
                citation.contains(&format!("{month} {day}, {year}")),
                "{}: {citation:?} does not give {}",
                event.id,
                event.date
            );
        }
    }
}

#[test]
fn titles_and_summaries_are_written_for_readers() {
    let data = data();
    for event in data.events() {
        assert!(event.title.chars().count() <= 80, "{}", event.id);
        let sentences = event.summary.matches(". ").count() + 1;
        assert!(
            (1..=3).contains(&sentences),
            "{}: {sentences} sentences",
            event.id
        );
        assert!(event.summary.ends_with('.'), "{}", event.id);
    }
}

/// The article's words, lower-cased, without punctuation.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '$' && c != '.')
        .map(|w| {
            w.trim_matches(|c: char| c == '\'' || c == '.')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Runs of this many words or more copied from the article are quotes, or plagiarism.
const COPIED_RUN: usize = 12;

#[test]
fn no_text_but_a_quote_copies_a_run_of_twelve_words_from_the_article() {
    let Some(article) = article() else {
        eprintln!("source article not found: set FEUDBOT_ARTICLE to check the texts against it");
        return;
    };
    let data = data();
    let runs: std::collections::HashSet<Vec<String>> = words(&article)
        .windows(COPIED_RUN)
        .map(<[String]>::to_vec)
        .collect();
    let mut texts: Vec<(String, String)> = Vec::new();
    for event in data.events() {
        texts.push((format!("event {} title", event.id), event.title.clone()));
        texts.push((format!("event {} summary", event.id), event.summary.clone()));
    }
    for person in data.people() {
        texts.push((format!("person {} role", person.id), person.role.clone()));
    }
    for quote in data.quotes() {
        texts.push((format!("quote {} context", quote.id), quote.context.clone()));
    }
    for question in data.questions() {
        let id = &question.id;
        texts.push((format!("question {id} prompt"), question.prompt.clone()));
        texts.push((
            format!("question {id} explanation"),
            question.explanation.clone(),
        ));
        for option in &question.options {
            texts.push((format!("question {id} option"), option.clone()));
        }
    }
    let mut copied = Vec::new();
    for (what, text) in texts {
        // A quote may be quoted anywhere.
        let text = data
            .quotes()
            .iter()
            .fold(text, |text, quote| text.replace(&quote.text, " "));
        if let Some(run) = words(&text)
            .windows(COPIED_RUN)
            .find(|run| runs.contains(*run))
        {
            copied.push(format!("{what}: \"{}\"", run.join(" ")));
        }
    }
    assert!(
        copied.is_empty(),
        "copied from the article:\n{}",
        copied.join("\n")
    );
}
