//! Generated questions, over thousands of seeds: one correct option among distinct
//! options of the same kind, the correct position uniform, answers true to the data,
//! and never more precision than a date has.

use std::collections::HashMap;
use std::path::Path;

use feudbot::data::Dataset;
use feudbot::quiz::{Difficulty, Filter, Kind, Question, QuestionBank, SourceRef};
use rand::SeedableRng;
use rand::rngs::StdRng;
use strum::IntoEnumIterator;

fn data() -> Dataset {
    Dataset::load(Path::new("data")).expect("the shipped dataset loads")
}

fn questions(bank: &QuestionBank, filter: Filter, count: usize, seed: u64) -> Vec<Question> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|_| bank.pick(&filter, &[], &mut rng).expect("a question").1)
        .collect()
}

fn event<'d>(data: &'d Dataset, question: &Question) -> &'d feudbot::data::Event {
    match &question.source {
        SourceRef::Event(id) => data.event(id).expect("a real event"),
        SourceRef::Quote(id) => panic!("{:?} cites quote {id}", question.kind),
    }
}

fn quote<'d>(data: &'d Dataset, question: &Question) -> &'d feudbot::data::Quote {
    match &question.source {
        SourceRef::Quote(id) => data.quote(id).expect("a real quote"),
        SourceRef::Event(id) => panic!("{:?} cites event {id}", question.kind),
    }
}

/// Checks that the correct option is right and every other one wrong, by the data.
fn assert_true_to_data(data: &Dataset, q: &Question) {
    let answer = &q.options[q.answer];
    let wrong = || {
        q.options
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i != q.answer)
            .map(|(_, o)| o)
    };
    match q.kind {
        Kind::WhoSaidIt => {
            let quote = quote(data, q);
            assert_eq!(*answer, data.speakers(quote), "{q:?}");
            for option in wrong() {
                for speaker in quote.speaker_ids() {
                    assert!(!option.contains(data.name(speaker)), "{q:?}");
                }
            }
            assert!(q.prompt.contains(&quote.text), "{q:?}");
        }
        Kind::FinishTheQuote => {
            let quote = quote(data, q);
            assert_eq!(Some(answer), quote.blank.as_ref(), "{q:?}");
            assert!(quote.text.contains(answer.as_str()), "{q:?}");
            // The prompt is the quote word for word, but for the blank.
            assert_eq!(q.prompt.matches("____").count(), 1, "{q:?}");
            assert!(
                q.prompt
                    .replacen("____", answer, 1)
                    .contains(&format!("“{}”", quote.text)),
                "{q:?}"
            );
            assert!(!q.prompt.contains(answer.as_str()), "{q:?}");
            for option in wrong() {
                assert!(quote.decoys.contains(option), "{option} is no decoy: {q:?}");
            }
        }
        Kind::WhereSaid => {
            let quote = quote(data, q);
            assert_eq!(Some(answer), quote.venue.as_ref(), "{q:?}");
            assert!(q.prompt.contains(&quote.text), "{q:?}");
            assert!(!q.prompt.contains(answer.as_str()), "{q:?}");
            for option in wrong() {
                // Another quote's venue, and no quote holding these words was said there.
                assert!(
                    data.quotes()
                        .iter()
                        .any(|other| other.venue.as_ref() == Some(option)),
                    "{option} is no venue: {q:?}"
                );
                assert!(
                    data.quotes().iter().all(|other| {
                        other.venue.as_ref() != Some(option) || !other.text.contains(&quote.text)
                    }),
                    "{q:?}"
                );
            }
        }
        Kind::When => {
            let event = event(data, q);
            if let Ok(year) = answer.parse::<i32>() {
                assert_eq!(year, event.date.year(), "{q:?}");
                assert!(wrong().all(|o| o.parse::<i32>().is_ok()), "{q:?}");
            } else {
                let month = event
                    .date
                    .month()
                    .unwrap_or_else(|| panic!("a month asked of a date without one: {q:?}"));
                assert_eq!(
                    *answer,
                    format!("{} {}", feudbot::data::month_name(month), event.date.year()),
                    "{q:?}"
                );
            }
            assert!(q.prompt.contains(&event.title), "{q:?}");
        }
        Kind::WhichFirst => {
            let earlier = event(data, q);
            assert_eq!(*answer, earlier.title, "{q:?}");
            let other = wrong().next().expect("two options");
            let later = data
                .events()
                .iter()
                .find(|e| e.title == *other)
                .expect("the other option is an event's title");
            assert!(earlier.date.span().1 < later.date.span().0, "{q:?}");
        }
        Kind::Numbers => {
            let text = match &q.source {
                SourceRef::Event(_) => &event(data, q).summary,
                SourceRef::Quote(_) => &quote(data, q).text,
            };
            assert!(text.contains(answer.as_str()), "{answer} not in {text}");
            assert!(
                q.prompt.contains("____") && !q.prompt.contains('$'),
                "{q:?}"
            );
            for option in wrong() {
                assert!(!text.contains(option.as_str()), "{option} is in {text}");
            }
        }
        Kind::Who => {
            let event = event(data, q);
            let person = data
                .people()
                .iter()
                .find(|p| p.name == *answer)
                .expect("the answer is a person");
            assert!(event.people.contains(&person.id), "{q:?}");
            for option in wrong() {
                let other = data.people().iter().find(|p| p.name == *option).unwrap();
                assert!(!event.people.contains(&other.id), "{q:?}");
                assert_eq!(other.kind, person.kind, "{q:?}");
            }
            assert!(!q.prompt.contains(&person.name), "{q:?}");
        }
        Kind::HandWritten => {
            let written = data
                .questions()
                .iter()
                .find(|w| w.prompt == q.prompt)
                .expect("a question of questions.json");
            assert_eq!(*answer, written.options[written.answer]);
            assert_eq!(q.difficulty, written.difficulty);
        }
    }
}

#[test]
fn every_question_has_one_true_answer_among_distinct_options() {
    let data = data();
    let bank = QuestionBank::new(&data);
    let mut seen_kinds: HashMap<Kind, usize> = HashMap::new();
    for seed in 0..20 {
        for q in questions(&bank, Filter::default(), 500, seed) {
            let expected = if q.kind == Kind::WhichFirst { 2 } else { 4 };
            assert_eq!(q.options.len(), expected, "{q:?}");
            assert!(q.answer < q.options.len());
            let mut distinct: Vec<String> = q.options.iter().map(|o| o.to_lowercase()).collect();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), q.options.len(), "{q:?}");
            assert!(q.options.iter().all(|o| !o.trim().is_empty()));
            assert!(!q.explanation.is_empty() && !q.citation.is_empty(), "{q:?}");
            assert_true_to_data(&data, &q);
            *seen_kinds.entry(q.kind).or_default() += 1;
        }
    }
    // Kinds are drawn uniformly: each of the eight gets about an eighth of 10 000.
    for kind in Kind::iter() {
        let count = seen_kinds.get(&kind).copied().unwrap_or(0);
        assert!((1050..=1450).contains(&count), "{kind}: {count}");
    }
}

#[test]
fn the_correct_position_is_uniform_for_every_kind() {
    let data = data();
    let bank = QuestionBank::new(&data);
    for kind in Kind::iter() {
        let filter = Filter {
            kind: Some(kind),
            difficulty: None,
        };
        let qs = questions(&bank, filter, 4000, 7);
        let n = qs[0].options.len();
        let mut counts = vec![0f64; n];
        for q in &qs {
            counts[q.answer] += 1.0;
        }
        let expected = qs.len() as f64 / n as f64;
        let chi2: f64 = counts
            .iter()
            .map(|c| (c - expected).powi(2) / expected)
            .sum();
        // p = 0.001 critical values for 1 and 3 degrees of freedom.
        let critical = if n == 2 { 10.83 } else { 16.27 };
        assert!(chi2 < critical, "{kind}: {counts:?}, chi² {chi2:.1}");
    }
}

#[test]
fn filters_are_respected_and_every_kind_has_every_difficulty_it_can() {
    let data = data();
    let bank = QuestionBank::new(&data);
    for kind in Kind::iter() {
        for difficulty in Difficulty::iter() {
            let filter = Filter {
                kind: Some(kind),
                difficulty: Some(difficulty),
            };
            assert!(bank.count(&filter) > 0, "{kind} {difficulty:?}");
            for q in questions(&bank, filter, 200, 3) {
                assert_eq!((q.kind, q.difficulty), (kind, difficulty));
                assert_true_to_data(&data, &q);
            }
        }
    }
}

#[test]
fn dates_are_asked_only_as_precisely_as_known() {
    let data = data();
    let bank = QuestionBank::new(&data);
    let filter = Filter {
        kind: Some(Kind::When),
        difficulty: None,
    };
    let mut months = 0;
    for q in questions(&bank, filter, 3000, 11) {
        let event = event(&data, &q);
        let asks_month = q.options[0].parse::<i32>().is_err();
        if event.date.month().is_none() {
            assert!(!asks_month, "{q:?}");
        }
        months += usize::from(asks_month);
    }
    assert!(months > 0, "hard questions ask months");
    // "which came first" never pairs 2015 with May 2015.
    let vague = data.event("wednesday-dinners").unwrap();
    let may = data.event("manhattan-project").unwrap();
    let filter = Filter {
        kind: Some(Kind::WhichFirst),
        difficulty: None,
    };
    for q in questions(&bank, filter, 3000, 12) {
        assert!(
            !(q.options.contains(&vague.title) && q.options.contains(&may.title)),
            "{q:?}"
        );
    }
}

#[test]
fn amounts_come_from_the_story_and_bounds_are_asked_as_quoted() {
    let data = data();
    let bank = QuestionBank::new(&data);
    let filter = Filter {
        kind: Some(Kind::Numbers),
        difficulty: None,
    };
    let qs = questions(&bank, filter, 2000, 5);
    let answers: std::collections::BTreeSet<&str> =
        qs.iter().map(|q| q.options[q.answer].as_str()).collect();
    assert_eq!(
        answers.into_iter().collect::<Vec<_>>(),
        [
            "$1 billion",
            "$10 billion",
            "$100 billion",
            "$500 billion",
            "$97.4 billion"
        ]
    );
    // "less than $10 billion" is asked as Musk's words, never as the event's fact.
    for q in qs.iter().filter(|q| q.options[q.answer] == "$10 billion") {
        assert_eq!(
            q.source,
            SourceRef::Quote("softbank-secured".into()),
            "{q:?}"
        );
    }
}

#[test]
fn a_seed_reproduces_the_questions() {
    let data = data();
    let bank = QuestionBank::new(&data);
    let json = |seed| {
        let mut rng = StdRng::seed_from_u64(seed);
        feudbot::quiz::questions_json(&bank, 20, &Filter::default(), &mut rng).unwrap()
    };
    assert_eq!(json(9), json(9));
    assert_ne!(json(9), json(10));
    let parsed: serde_json::Value = serde_json::from_str(&json(9)).unwrap();
    assert_eq!(parsed.as_array().unwrap().len(), 20);
    // Fields in the documented order.
    let text = json(9);
    let first = &text[..text.find('}').unwrap()];
    let at = |key: &str| first.find(&format!("\"{key}\":")).expect(key);
    let keys = [
        "kind",
        "difficulty",
        "prompt",
        "options",
        "answer",
        "explanation",
        "source",
    ];
    assert!(keys.windows(2).all(|w| at(w[0]) < at(w[1])), "{first}");
}

#[test]
fn a_filter_with_no_questions_says_so() {
    let data = Dataset::load(Path::new("data")).unwrap();
    let bank = QuestionBank::new(&data);
    let mut rng = StdRng::seed_from_u64(1);
    let none = Filter {
        kind: Some(Kind::HandWritten),
        difficulty: Some(feudbot::quiz::Difficulty::Hard),
    };
    assert!(bank.count(&none) > 0);
    // A dataset folder without questions.json has no hand-written questions.
    let dir = tempfile::tempdir().unwrap();
    for file in feudbot::data::FILES {
        std::fs::copy(Path::new("data").join(file), dir.path().join(file)).unwrap();
    }
    let bare = QuestionBank::new(&Dataset::load(dir.path()).unwrap());
    let error = feudbot::quiz::questions_json(&bare, 3, &none, &mut rng).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no questions of hand-written, hard: try another kind or difficulty"
    );
}

/// The ids of the quotes that questions of `kind` ask about.
fn asked_quotes(bank: &QuestionBank, kind: Kind) -> std::collections::BTreeSet<String> {
    let filter = Filter {
        kind: Some(kind),
        difficulty: None,
    };
    questions(bank, filter, 2000, 14)
        .into_iter()
        .map(|q| match q.source {
            SourceRef::Quote(id) => id,
            SourceRef::Event(id) => panic!("{kind} cites event {id}"),
        })
        .collect()
}

/// The wrong options of the questions of `kind` and `difficulty` about `quote`.
fn wrong_options(
    bank: &QuestionBank,
    kind: Kind,
    difficulty: Difficulty,
    quote: &str,
) -> std::collections::BTreeSet<String> {
    let filter = Filter {
        kind: Some(kind),
        difficulty: Some(difficulty),
    };
    questions(bank, filter, 2000, 13)
        .into_iter()
        .filter(|q| q.source == SourceRef::Quote(quote.into()))
        .flat_map(|q| {
            let answer = q.answer;
            q.options
                .into_iter()
                .enumerate()
                .filter(move |(i, _)| *i != answer)
                .map(|(_, o)| o)
        })
        .collect()
}

#[test]
fn a_blank_is_finished_by_the_most_tempting_decoys_when_hard() {
    let data = data();
    let bank = QuestionBank::new(&data);
    let quote = data.quote("no-money").unwrap();
    let decoys = |range: std::ops::Range<usize>| quote.decoys[range].iter().cloned().collect();
    let wrong = |d| wrong_options(&bank, Kind::FinishTheQuote, d, "no-money");
    assert_eq!(wrong(Difficulty::Hard), decoys(0..3));
    assert_eq!(wrong(Difficulty::Easy), decoys(2..5));
    assert_eq!(wrong(Difficulty::Medium), decoys(0..5));
    // Every quote with a blank is asked; one without is not.
    let asked = asked_quotes(&bank, Kind::FinishTheQuote);
    let blanked: std::collections::BTreeSet<String> = data
        .quotes()
        .iter()
        .filter(|q| q.blank.is_some())
        .map(|q| q.id.clone())
        .collect();
    assert_eq!(asked, blanked);
    assert!(!asked.contains("bitter"));
}

#[test]
fn where_it_was_said_is_hardest_among_the_speakers_own_venues_and_that_year_s() {
    let data = data();
    let bank = QuestionBank::new(&data);
    let set = |venues: &[&str]| venues.iter().map(|v| v.to_string()).collect();
    let wrong = |d| wrong_options(&bank, Kind::WhereSaid, d, "no-money");
    // Musk also wrote an email (in 2017); the others spoke in 2025.
    assert_eq!(
        wrong(Difficulty::Hard),
        set(&["In an email", "At the White House", "To reporters"])
    );
    assert_eq!(
        wrong(Difficulty::Easy),
        set(&["At the White House", "To reporters", "To Bloomberg"])
    );
    assert_eq!(
        wrong(Difficulty::Medium),
        set(&[
            "In an email",
            "At the White House",
            "To reporters",
            "To Bloomberg"
        ])
    );
}

#[test]
fn words_said_in_two_places_are_never_asked_where() {
    let dir = tempfile::tempdir().unwrap();
    for file in feudbot::data::FILES {
        std::fs::copy(Path::new("data").join(file), dir.path().join(file)).unwrap();
    }
    let path = dir.path().join("quotes.json");
    let mut quotes: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    quotes.as_array_mut().unwrap().push(serde_json::json!({
        "id": "no-money-again",
        "speaker": "musk",
        "text": "They literally have no money, none",
        "context": "To reporters, a day later",
        "venue": "To reporters",
        "source": "article"
    }));
    std::fs::write(&path, quotes.to_string()).unwrap();
    let changed = Dataset::load(dir.path()).expect("the changed dataset loads");
    let bank = QuestionBank::new(&changed);
    let asked = asked_quotes(&bank, Kind::WhereSaid);
    // "They literally have no money" was said on X and, in this dataset, to reporters.
    assert!(!asked.contains("no-money"), "{asked:?}");
    // The longer words were said to reporters only.
    assert!(asked.contains("no-money-again"), "{asked:?}");
    assert!(asked.contains("softbank-secured"), "{asked:?}");
    // The shipped dataset asks where of every quote with a venue.
    let shipped = data();
    let with_venue: std::collections::BTreeSet<String> = shipped
        .quotes()
        .iter()
        .filter(|q| q.venue.is_some())
        .map(|q| q.id.clone())
        .collect();
    assert_eq!(
        asked_quotes(&QuestionBank::new(&shipped), Kind::WhereSaid),
        with_venue
    );
}
