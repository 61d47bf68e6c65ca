//! The console as a new user meets it: every example `/help` prints, and every line of
//! README's command table, runs without an error; and a session shows readable times
//! and names, never Discord's markup or raw ids.

use std::io::Write;
use std::process::{Command, Stdio};

use feudbot::commands::COMMANDS;

/// Runs `lines` in a fresh console on a database of its own; everything it printed.
fn console(lines: &[String]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_feudbot"))
        .arg("console")
        .env_remove("DATA_DIR")
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for line in lines {
        writeln!(stdin, "{line}").unwrap();
    }
    writeln!(stdin, "quit").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The runnable lines of a usage such as `/timeline [year:2024] [page:2]`: the command
/// with its required options, then with each optional one as well.
fn examples(usage: &str) -> Vec<String> {
    let (mut base, mut optional) = (Vec::new(), Vec::new());
    let mut rest = usage.trim();
    while !rest.is_empty() {
        if let Some(inside) = rest.strip_prefix('[') {
            let end = inside.find(']').expect("a closing bracket");
            optional.push(&inside[..end]);
            rest = inside[end + 1..].trim_start();
        } else {
            let end = rest.find(" [").unwrap_or(rest.len());
            base.push(&rest[..end]);
            rest = rest[end..].trim_start();
        }
    }
    let base = base.join(" ");
    let mut lines = vec![base.clone()];
    lines.extend(optional.iter().map(|option| format!("{base} {option}")));
    lines
}

/// What must have happened before `line` can succeed: a quiz to skip or stop, daily
/// posts to show or turn off, a role reward to remove.
fn setup(line: &str) -> Vec<String> {
    if line.starts_with("/quiz skip") || line.starts_with("/quiz stop") {
        vec!["/quiz start".to_string()]
    } else if line.starts_with("/daily preview") || line.starts_with("/daily off") {
        vec!["/daily set channel:#general time:09:00 timezone:Europe/London".to_string()]
    } else if line.starts_with("/rewards remove") {
        vec!["/rewards add role:@Regular points:1000".to_string()]
    } else {
        Vec::new()
    }
}

fn assert_runs(line: &str) {
    let mut lines = setup(line);
    lines.push(line.to_string());
    let out = console(&lines);
    assert!(!out.contains('✗'), "`{line}` failed in the console:\n{out}");
}

#[test]
fn every_example_of_help_runs_in_the_console() {
    let mut ran = 0;
    for spec in COMMANDS {
        for usage in spec.usages() {
            for line in examples(&usage) {
                assert_runs(&line);
                ran += 1;
            }
        }
    }
    assert!(ran > 30, "{ran}");
}

#[test]
fn every_line_of_the_readme_command_table_runs_in_the_console() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let table = readme
        .split("## Commands")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README has a Commands section");
    let mut ran = 0;
    for row in table.lines().filter(|row| row.starts_with("| `/")) {
        let usage = row.split('`').nth(1).expect("a command in backticks");
        for line in examples(usage) {
            assert_runs(&line);
            ran += 1;
        }
    }
    assert!(ran > 30, "{ran}");
}

#[test]
fn a_session_shows_no_markup_and_no_raw_ids() {
    let lines = [
        "/daily set channel:#general time:09:00 timezone:Europe/London",
        "/daily status",
        "/daily preview",
        "/stats",
        "/quiz start",
        "alice: A",
        "/quiz stop",
        "/leaderboard",
        "/stats user:alice",
    ]
    .map(String::from);
    let out = console(&lines);
    for markup in ["<t:", "<#", "<@", ":R>", ":F>"] {
        assert!(!out.contains(markup), "`{markup}` in:\n{out}");
    }
    assert!(out.contains("in #general"), "{out}");
    assert!(
        out.contains("No answers from you in this server yet."),
        "{out}"
    );
    assert!(
        out.contains("━━ Trivia stats ━━\nalice in this server\n"),
        "{out}"
    );
    assert!(
        out.contains("▸ Next post\n  tomorrow 09:00") || out.contains("▸ Next post\n  today 09:00"),
        "{out}"
    );
    // No number as long as a Discord id anywhere.
    let long_number = out
        .split(|c: char| !c.is_ascii_digit())
        .find(|digits| digits.len() >= 15);
    assert_eq!(long_number, None, "{out}");
}

#[test]
fn a_role_reward_is_named_in_the_reveal_and_given_in_the_console() {
    let lines = [
        "/rewards add role:@champion points:500",
        "/rewards list",
        "/quiz start",
        "alice: A",
        "bob: B",
        "carol: C",
        "dave: D",
        "/quiz stop",
    ]
    .map(String::from);
    let out = console(&lines);
    assert!(out.contains("500 points → @champion"), "{out}");
    let winner = ["alice", "bob", "carol", "dave"]
        .into_iter()
        .find(|name| out.contains(&format!("🏅 {name} earned @champion (500 points)")))
        .unwrap_or_else(|| panic!("the reveal names who earned the role:\n{out}"));
    assert!(
        out.contains(&format!("＋ role @champion given to {winner}")),
        "{out}"
    );
    assert!(!out.contains("<@"), "{out}");
}

#[test]
fn a_picture_is_written_to_a_file_whose_path_is_printed() {
    let out = console(&["/timeline year:2024".to_string(), "1".to_string()]);
    let line = out
        .lines()
        .find(|line| line.starts_with("🖼 Picture: "))
        .unwrap_or_else(|| panic!("no picture line: {out}"));
    let path = std::path::PathBuf::from(line.trim_start_matches("🖼 Picture: "));
    assert!(path.starts_with(std::env::temp_dir()), "{}", path.display());
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let reader = png::Decoder::new(file).read_info().unwrap();
    assert_eq!(reader.info().width, 640);
    std::fs::remove_file(&path).unwrap();
}
