//! Each kind of broken data gets a message naming the file, the record and the field,
//! and every problem is reported at once.

use std::path::Path;

use feudbot::data::Dataset;
use serde_json::{Value, json};

/// Copies the shipped dataset into a temporary folder, lets `mutate` change one file,
/// and returns every problem the loader reports, as displayed.
fn problems_after(file: &str, mutate: impl FnOnce(&mut Value)) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_data(dir.path());
    let path = dir.path().join(file);
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    mutate(&mut value);
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    load_problems(dir.path())
}

fn copy_data(to: &Path) {
    for file in feudbot::data::FILES {
        std::fs::copy(Path::new("data").join(file), to.join(file)).expect("copy data file");
    }
}

fn load_problems(dir: &Path) -> Vec<String> {
    match Dataset::load(dir) {
        Ok(_) => Vec::new(),
        Err(invalid) => invalid.problems.iter().map(ToString::to_string).collect(),
    }
}

fn record<'v>(value: &'v mut Value, id: &str) -> &'v mut Value {
    value
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

#[test]
fn the_shipped_dataset_has_no_problems() {
    assert_eq!(load_problems(Path::new("data")), Vec::<String>::new());
}

#[test]
fn json_syntax_errors_give_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    std::fs::write(dir.path().join("events.json"), "[\n  {\"id\": \"x\",}\n]").unwrap();
    assert_eq!(
        load_problems(dir.path()),
        ["events.json:2:14: JSON syntax error: trailing comma"]
    );
}

#[test]
fn a_file_that_is_not_an_array_says_so() {
    let problems = problems_after("people.json", |v| *v = json!({"musk": {}}));
    assert_eq!(
        problems,
        ["people.json:1:0: expected a JSON array of records"]
    );
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    std::fs::remove_file(dir.path().join("quotes.json")).unwrap();
    let problems = load_problems(dir.path());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("quotes.json: cannot read ") && problems[0].contains("quotes.json"),
        "{problems:?}"
    );
}

#[test]
fn unknown_fields_are_rejected() {
    let problems = problems_after("events.json", |v| {
        record(v, "musk-sues")["colour"] = json!("red");
    });
    assert_eq!(
        problems,
        [
            "events.json, record \"musk-sues\", field `colour`: unknown field `colour`, expected \
             one of `id`, `date`, `title`, `summary`, `people`, `tags`, `source`, `date_source`"
        ]
    );
}

#[test]
fn missing_fields_are_named() {
    let problems = problems_after("quotes.json", |v| {
        record(v, "last-straw")
            .as_object_mut()
            .unwrap()
            .remove("text");
    });
    assert_eq!(
        problems,
        ["quotes.json, record \"last-straw\", field `text`: missing field `text`"]
    );
}

#[test]
fn wrong_types_name_the_field() {
    let problems = problems_after("events.json", |v| {
        record(v, "musk-sues")["people"] = json!("musk");
    });
    assert_eq!(
        problems,
        [
            "events.json, record \"musk-sues\", field `people`: invalid type: string \"musk\", \
             expected a sequence"
        ]
    );
}

#[test]
fn unknown_enum_values_list_the_accepted_ones() {
    let problems = problems_after("people.json", |v| {
        record(v, "wsj")["kind"] = json!("newspaper");
    });
    assert_eq!(
        problems,
        [
            "people.json, record \"wsj\", field `kind`: unknown variant `newspaper`, expected \
             `person` or `organization`"
        ]
    );
}

#[test]
fn malformed_and_impossible_dates() {
    let problems = problems_after("events.json", |v| {
        record(v, "musk-sues")["date"] = json!("2024-2-29");
        record(v, "musk-leaves")["date"] = json!("2023-02-29");
    });
    assert_eq!(
        problems,
        [
            "events.json, record \"musk-leaves\", field `date`: \"2023-02-29\" is not a real \
             calendar date",
            "events.json, record \"musk-sues\", field `date`: expected a date as YYYY, YYYY-MM \
             or YYYY-MM-DD (or `by ` and one of these), got \"2024-2-29\"",
        ]
    );
}

#[test]
fn duplicate_ids_name_the_first_use() {
    let problems = problems_after("quotes.json", |v| {
        let copy = v[0].clone();
        v.as_array_mut().unwrap().push(copy);
    });
    assert_eq!(
        problems,
        [
            "quotes.json, record \"agi-dictatorship\", field `id`: duplicate id: record #0 already uses it"
        ]
    );
}

#[test]
fn ids_must_be_slugs() {
    let problems = problems_after("sources.json", |v| {
        v.as_array_mut()
            .unwrap()
            .push(json!({"id": "Court Record", "citation": "x"}));
    });
    assert_eq!(
        problems,
        [
            "sources.json, record \"Court Record\", field `id`: \"Court Record\" is not a slug: \
             use lowercase letters, digits and single hyphens, at most 24 characters, e.g. \
             \"musk-sues\""
        ]
    );
}

#[test]
fn dangling_references_name_what_is_missing() {
    let mut problems = problems_after("events.json", |v| {
        record(v, "musk-sues")["people"][1] = json!("sam");
        record(v, "musk-sues")["source"] = json!("nyt");
    });
    problems.extend(problems_after("quotes.json", |v| {
        record(v, "last-straw")["speaker"] = json!("elon");
        record(v, "no-money")["event"] = json!("no-money-tweet");
    }));
    assert_eq!(
        problems,
        [
            "events.json, record \"musk-sues\", field `people[1]`: unknown person \"sam\": no \
             record of people.json has that id",
            "events.json, record \"musk-sues\", field `source`: unknown source \"nyt\": no record \
             of sources.json has that id",
            "quotes.json, record \"last-straw\", field `speaker`: unknown person \"elon\": no \
             record of people.json has that id",
            "quotes.json, record \"no-money\", field `event`: unknown event \"no-money-tweet\": no \
             record of events.json has that id",
        ]
    );
}

#[test]
fn a_quote_dated_apart_from_its_event() {
    let problems = problems_after("quotes.json", |v| {
        record(v, "no-money")["date"] = json!("2025-01-21");
    });
    assert_eq!(
        problems,
        [
            "quotes.json, record \"no-money\", field `date`: 2025-01-21 disagrees with the date \
             of its event \"no-money-post\", 2025-01-22"
        ]
    );
}

#[test]
fn empty_and_over_long_text() {
    let problems = problems_after("events.json", |v| {
        record(v, "musk-sues")["title"] = json!("  ");
        record(v, "musk-bid")["title"] = json!("x".repeat(81));
        record(v, "chatgpt")["summary"] = json!(" ChatGPT");
    });
    assert_eq!(
        problems,
        [
            "events.json, record \"chatgpt\", field `summary`: must not start or end with white space",
            "events.json, record \"musk-sues\", field `title`: must not be empty",
            "events.json, record \"musk-bid\", field `title`: is 81 characters long; at most 80 are allowed",
        ]
    );
}

#[test]
fn a_quote_needs_exactly_one_way_of_naming_speakers() {
    let problems = problems_after("quotes.json", |v| {
        record(v, "last-straw")["speakers"] = json!(["brockman", "sutskever"]);
        record(v, "bitter")
            .as_object_mut()
            .unwrap()
            .remove("speaker");
        let joint = record(v, "agi-dictatorship");
        joint["speakers"] = json!(["brockman"]);
    });
    assert_eq!(
        problems,
        [
            "quotes.json, record \"agi-dictatorship\", field `speakers`: is for words written \
             jointly: list two or more ids, or use `speaker`",
            "quotes.json, record \"last-straw\", field `speaker`: a quote needs exactly one of \
             `speaker` (one person id) or `speakers` (two or more)",
            "quotes.json, record \"bitter\", field `speaker`: a quote needs exactly one of \
             `speaker` (one person id) or `speakers` (two or more)",
        ]
    );
}

#[test]
fn names_and_aliases_must_point_to_one_person() {
    let problems = problems_after("people.json", |v| {
        record(v, "trump-jr")["aliases"] = json!(["Trump", "Don Jr", "don jr"]);
    });
    assert_eq!(
        problems,
        [
            "people.json, record \"trump-jr\", field `aliases[0]`: \"Trump\" is already a name \
             or alias of \"trump\"",
            "people.json, record \"trump-jr\", field `aliases[2]`: \"don jr\" is listed twice",
        ]
    );
}

#[test]
fn every_problem_of_every_file_is_reported_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    std::fs::write(dir.path().join("sources.json"), "[").unwrap();
    let events = std::fs::read_to_string(dir.path().join("events.json")).unwrap();
    std::fs::write(
        dir.path().join("events.json"),
        events.replacen("\"2015-05\"", "\"May 2015\"", 1),
    )
    .unwrap();
    let problems = load_problems(dir.path());
    // References into the unreadable sources file are not flagged one by one: the file
    // itself is the problem.
    assert_eq!(
        problems,
        [
            "sources.json:1:1: JSON syntax error: EOF while parsing a list",
            "events.json, record \"manhattan-project\", field `date`: expected a date as YYYY, \
             YYYY-MM or YYYY-MM-DD (or `by ` and one of these), got \"May 2015\"",
        ]
    );
}

#[test]
fn a_venue_must_be_the_place_the_context_names() {
    let problems = problems_after("quotes.json", |v| {
        record(v, "no-money")["venue"] = json!("To Bloomberg");
        record(v, "bitter")["venue"] = json!("");
    });
    assert_eq!(
        problems,
        [
            "quotes.json, record \"bitter\", field `venue`: must not be empty",
            "quotes.json, record \"no-money\", field `venue`: \"To Bloomberg\" is not in \
             `context` (\"On X, about Stargate's backers\"): name the place in the words the \
             context uses",
        ]
    );
}

#[test]
fn a_blank_is_whole_words_of_the_quote_once_with_enough_different_decoys() {
    let problems = problems_after("quotes.json", |v| {
        record(v, "agi-dictatorship")["blank"] = json!("an");
        record(v, "no-money")["blank"] = json!("no cash");
        record(v, "last-straw")["blank"] = json!("stra");
        record(v, "hates-one-of-the-people")["blank"] = json!("people");
        record(v, "bitter")["blank"] = json!("bitter");
        record(v, "bitter")["decoys"] = json!(["angry", "sad", "Bitter", "ANGRY"]);
        record(v, "scam-altman")["blank"] = json!("Altman");
        record(v, "scam-altman")["decoys"] = json!(["Sam", "Sham", "Spam"]);
        record(v, "unacceptable-threat")
            .as_object_mut()
            .unwrap()
            .remove("blank");
    });
    assert_eq!(
        problems,
        [
            "quotes.json, record \"agi-dictatorship\", field `blank`: is in `context`, which \
             is shown with the quote: choose other words",
            "quotes.json, record \"last-straw\", field `blank`: cuts a word of `text`: leave \
             out whole words",
            "quotes.json, record \"bitter\", field `blank`: is all of `text`: leave out only \
             part of the quote",
            "quotes.json, record \"bitter\", field `decoys[2]`: is the blank itself: a decoy \
             must be wrong",
            "quotes.json, record \"bitter\", field `decoys[3]`: repeats decoys[0]: decoys must \
             differ",
            "quotes.json, record \"unacceptable-threat\", field `decoys`: are wrong fill-ins \
             for `blank`: add the blank, or remove them",
            "quotes.json, record \"no-money\", field `blank`: is not in `text`: copy the words \
             exactly as the quote has them",
            "quotes.json, record \"hates-one-of-the-people\", field `blank`: is in `text` 2 \
             times (as parts of words too): choose words that are there once",
            "quotes.json, record \"scam-altman\", field `decoys`: has 3 decoys; a blank needs \
             at least 4",
        ]
    );
}
