//! `questions.json`: optional, and when present checked like the rest of the dataset,
//! each problem naming the file, the record and the field.

use std::path::Path;

use feudbot::data::{Dataset, FILES, QUESTIONS_FILE};
use serde_json::{Value, json};

/// The shipped dataset with `questions.json` changed by `mutate`: every problem shown.
fn problems_after(mutate: impl FnOnce(&mut Vec<Value>)) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for file in FILES.iter().chain([&QUESTIONS_FILE]) {
        std::fs::copy(Path::new("data").join(file), dir.path().join(file)).unwrap();
    }
    let path = dir.path().join(QUESTIONS_FILE);
    let mut questions: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    mutate(&mut questions);
    std::fs::write(&path, serde_json::to_string_pretty(&questions).unwrap()).unwrap();
    match Dataset::load(dir.path()) {
        Ok(_) => Vec::new(),
        Err(invalid) => invalid.problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_shipped_questions_load() {
    let data = Dataset::load(Path::new("data")).unwrap();
    assert!(data.questions().len() >= 8);
    assert_eq!(problems_after(|_| {}), Vec::<String>::new());
}

#[test]
fn a_folder_without_questions_loads_with_none() {
    let dir = tempfile::tempdir().unwrap();
    for file in FILES {
        std::fs::copy(Path::new("data").join(file), dir.path().join(file)).unwrap();
    }
    assert!(Dataset::load(dir.path()).unwrap().questions().is_empty());
}

#[test]
fn each_broken_question_names_file_record_and_field() {
    let problems = problems_after(|questions| {
        questions[0]["answer"] = json!(4);
        questions[1]["options"] = json!(["one", "two", "ONE"]);
        questions[2]["event"] = json!("no-such-event");
        questions[3]["quote"] = json!("last-straw");
        questions[4]["difficulty"] = json!("brutal");
        questions[5]["prompt"] = json!(" ");
        questions[6]["colour"] = json!("red");
        questions[7]["id"] = questions[8]["id"].clone();
    });
    assert_eq!(
        problems,
        [
            "questions.json, record \"son-announcement\", field `difficulty`: unknown variant \
             `brutal`, expected one of `easy`, `medium`, `hard`",
            "questions.json, record \"how-musk-learned\", field `colour`: unknown field \
             `colour`, expected one of `id`, `prompt`, `options`, `answer`, `difficulty`, \
             `explanation`, `event`, `quote`",
            "questions.json, record \"anduril-partner\", field `id`: duplicate id: record #7 \
             already uses it",
            "questions.json, record \"dinner-day\", field `answer`: is 4, but the options are \
             numbered from 0 to 3",
            "questions.json, record \"manhattan-project\", field `options`: has 3 options; a \
             question has exactly 4",
            "questions.json, record \"manhattan-project\", field `options[2]`: repeats \
             options[0]: options must differ",
            "questions.json, record \"musk-demanded\", field `event`: unknown event \
             \"no-such-event\": no record of events.json has that id",
            "questions.json, record \"stargate-partners\", field `event`: a question needs \
             exactly one of `event` or `quote`: the record that supports its answer",
            "questions.json, record \"lutnick-pitch\", field `prompt`: must not be empty",
        ]
    );
}

#[test]
fn a_question_file_with_bad_json_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    for file in FILES {
        std::fs::copy(Path::new("data").join(file), dir.path().join(file)).unwrap();
    }
    std::fs::write(dir.path().join(QUESTIONS_FILE), "[\n  {\"id\": \"x\",}\n]").unwrap();
    let Err(invalid) = Dataset::load(dir.path()) else {
        panic!("a broken questions.json loaded");
    };
    let problems: Vec<String> = invalid.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        ["questions.json:2:14: JSON syntax error: trailing comma"]
    );
}
