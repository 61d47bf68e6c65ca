//! `feudbot questions --json` and a quiz played in `feudbot console`, as a user runs
//! them.

use std::io::Write;
use std::process::{Command, Stdio};

fn feudbot(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_feudbot"));
    command
        .args(args)
        .env_remove("DATA_DIR")
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "off");
    command
}

fn questions(args: &[&str]) -> serde_json::Value {
    let output = feudbot(&[&["questions", "--json"], args].concat())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn questions_json_prints_the_asked_number_reproducibly() {
    let printed = questions(&["--count", "25", "--seed", "3"]);
    let list = printed.as_array().unwrap();
    assert_eq!(list.len(), 25);
    for question in list {
        let options = question["options"].as_array().unwrap();
        let answer = question["answer"].as_u64().unwrap() as usize;
        assert!(answer < options.len());
        assert!(question["prompt"].is_string() && question["explanation"].is_string());
        let source = question["source"].as_object().unwrap();
        assert_eq!(source.len(), 1);
        assert!(source.contains_key("event") || source.contains_key("quote"));
    }
    assert_eq!(printed, questions(&["--count", "25", "--seed", "3"]));
    assert_ne!(printed, questions(&["--count", "25", "--seed", "4"]));
}

#[test]
fn questions_json_filters_by_kind_and_difficulty() {
    let printed = questions(&[
        "--count",
        "30",
        "--seed",
        "1",
        "--kind",
        "which-first",
        "--difficulty",
        "hard",
    ]);
    for question in printed.as_array().unwrap() {
        assert_eq!(question["kind"], "which-first");
        assert_eq!(question["difficulty"], "hard");
        assert_eq!(question["options"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn questions_json_prints_the_quote_kinds() {
    for kind in ["finish-the-quote", "where-said"] {
        let printed = questions(&["--count", "12", "--seed", "2", "--kind", kind]);
        for question in printed.as_array().unwrap() {
            assert_eq!(question["kind"], kind);
            assert_eq!(question["options"].as_array().unwrap().len(), 4);
            assert!(question["source"]["quote"].is_string(), "{question}");
        }
    }
    let finish = questions(&["--count", "1", "--seed", "2", "--kind", "finish-the-quote"]);
    assert!(finish[0]["prompt"].as_str().unwrap().contains("____"));
}

#[test]
fn questions_with_an_unknown_kind_list_the_kinds() {
    let output = feudbot(&["questions", "--kind", "trivia", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains(
            "use one of who-said-it, finish-the-quote, where-said, when, which-first, numbers, \
             who, hand-written"
        ),
        "{error}"
    );
}

#[test]
fn a_quiz_is_played_in_the_console_and_scores_are_saved() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let mut child = feudbot(&["console"])
        .env("DATABASE_URL", &url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"/quiz start questions:5 seconds:60\nalice: A\nalice: B\nbob: b\nbob: E\n\
              /quiz start\n/quiz stop\nbob: A\n/leaderboard\n/stats user:alice\nquit\n",
        )
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("you started a quiz: 5 questions"), "{out}");
    assert!(out.contains("━━ Question 1 of 5 · "), "{out}");
    assert!(out.contains("Closes in 60 s."), "{out}");
    assert!(
        out.contains("[alice] ━━ Trivia ━━\nLocked in: A · "),
        "{out}"
    );
    assert!(out.contains("[alice] ✗ You already chose A · "), "{out}");
    assert!(out.contains("[bob] ━━ Trivia ━━\nLocked in: B · "), "{out}");
    assert!(
        out.contains("✗ A quiz is already running here, it ends in "),
        "{out}"
    );
    assert!(out.contains("✎ the question is closed:"), "{out}");
    assert!(out.contains("━━ Quiz stopped ━━"), "{out}");
    assert!(
        out.contains("✗ The open question has no answer E."),
        "{out}"
    );
    assert!(out.contains("✗ No question is open: start one"), "{out}");
    assert!(out.contains("━━ Leaderboard · all time ━━"), "{out}");
    assert!(out.contains("(Page 1 of 1 · 2 players)"), "{out}");
    assert!(
        out.contains("━━ Trivia stats ━━\nalice in this server\n"),
        "{out}"
    );
    assert!(dir.path().join("console.db").exists());
}

#[test]
fn a_host_paced_quiz_is_driven_from_its_panel_in_the_console() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let mut child = feudbot(&["console"])
        .env("DATABASE_URL", &url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // The panel's buttons are pressed by number, questions answered by letter.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/quiz start questions:5 seconds:60 pace:host\nalice: A\n1\n2\n3\nquit\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains("━━ Your quiz controls ━━\nYour quiz has started."),
        "{out}"
    );
    assert!(
        out.contains("[1] Reveal now  [2] Next question  [3] End"),
        "{out}"
    );
    assert!(
        out.contains("you started a host-paced quiz: 5 questions"),
        "{out}"
    );
    assert!(
        out.contains("[alice] ━━ Trivia ━━\nLocked in: A · "),
        "{out}"
    );
    assert!(out.contains("Question 1 revealed."), "{out}");
    assert!(out.contains("✎ the question is closed:"), "{out}");
    assert!(out.contains("On to the next question."), "{out}");
    assert!(out.contains("━━ Question 2 of 5 · "), "{out}");
    assert!(out.contains("You ended the quiz."), "{out}");
    assert!(out.contains("━━ Quiz stopped ━━"), "{out}");
}
