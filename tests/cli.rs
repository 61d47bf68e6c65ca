//! The `feudbot` binary as a user runs it: `ask`, `console`, `commands --json`,
//! `check-data`, `DATA_DIR`, `invite`, and the bot without a token.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn feudbot(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_feudbot"));
    command
        .args(args)
        .env_remove("DATA_DIR")
        .env("RUST_LOG", "off");
    command
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn ask_prints_the_reply_as_text() {
    let output = feudbot(&["ask", "/timeline year:2024"]).output().unwrap();
    assert!(output.status.success());
    let out = text(&output);
    assert!(out.starts_with("━━ Timeline · 2024 ━━\n"), "{out}");
    assert!(
        out.contains("▸ 29 February 2024\n  Musk sues Altman and OpenAI\n"),
        "{out}"
    );
    assert!(out.contains("(Page 1 of 1 · 6 events"), "{out}");
}

#[test]
fn ask_with_bad_input_fails_with_the_hint() {
    let output = feudbot(&["ask", "/timeline year:20x4"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).starts_with("✗ `20x4` is not a year."));
}

#[test]
fn commands_json_is_the_registration_payload() {
    let output = feudbot(&["commands", "--json"]).output().unwrap();
    assert!(output.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed, feudbot::discord::registration::commands_json());
}

#[test]
fn check_data_accepts_the_shipped_dataset() {
    let output = feudbot(&["check-data"]).output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        text(&output),
        "built-in dataset: ok, 24 events, 14 quotes, 16 people, 10 sources\n"
    );
    let output = feudbot(&["check-data", "data"]).output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        text(&output),
        "data: ok, 24 events, 14 quotes, 16 people, 10 sources\n"
    );
}

/// A copy of the shipped dataset's four files in a temporary folder.
fn copy_of_the_dataset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in feudbot::data::FILES {
        std::fs::copy(
            std::path::Path::new("data").join(file),
            dir.path().join(file),
        )
        .unwrap();
    }
    dir
}

#[test]
fn check_data_lists_every_problem_and_fails() {
    let dir = copy_of_the_dataset();
    let quotes = std::fs::read_to_string(dir.path().join("quotes.json")).unwrap();
    let broken = quotes.replace("\"speaker\": \"trump\"", "\"speaker\": \"donald\"");
    std::fs::write(dir.path().join("quotes.json"), broken).unwrap();
    let output = feudbot(&["check-data", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = text(&output);
    assert!(out.contains(": 3 problems in the dataset\n"), "{out}");
    assert!(out.contains(
        "quotes.json, record \"very-pleased\", field `speaker`: unknown person \"donald\""
    ));
}

#[test]
fn data_dir_points_the_bot_at_another_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let output = feudbot(&["ask", "/about"])
        .env("DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("cannot load the dataset in"), "{error}");
    assert!(error.contains("people.json: cannot read"), "{error}");
}

#[test]
fn the_console_answers_lines_and_presses_buttons_by_number() {
    let mut child = feudbot(&["console"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"/timeline\n2\n/help\n/nope\nquit\n/about\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let out = text(&output);
    assert!(out.contains("(Page 1 of 4 · 24 events"), "{out}");
    assert!(
        out.contains("(Page 2 of 4 · 24 events"),
        "pressing button 2 shows page 2: {out}"
    );
    assert!(out.contains("━━ feudbot commands ━━"), "{out}");
    assert!(out.contains("✗ There is no command `/nope`."), "{out}");
    assert!(
        !out.contains("About feudbot"),
        "quit stops the console: {out}"
    );
}

#[test]
fn daily_works_in_the_console_with_its_own_server() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("console.db").display());
    let ask = |line: &str| {
        feudbot(&["ask", line])
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let output = ask("/daily status");
    assert!(output.status.success());
    assert!(
        text(&output).contains("Daily posts are off in this server."),
        "{}",
        text(&output)
    );
    let output = ask("/daily set channel:#7 time:09:00 timezone:london");
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).starts_with("━━ Daily posts are on ━━\n"));
    let output = ask("/daily status");
    let out = text(&output);
    assert!(out.contains("▸ Time\n  09:00 (Europe/London)\n"), "{out}");
    assert!(out.contains("▸ Channel\n  #7\n"), "{out}");
    let output = ask("/daily set channel:#7 time:25:00 timezone:london");
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).starts_with("✗ `25:00` is not a time of day."));
}

#[test]
fn without_a_token_the_bot_exits_2_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&[][..], &["run"][..]] {
        let output = feudbot(args)
            .current_dir(dir.path())
            .env_remove("DISCORD_TOKEN")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("DISCORD_TOKEN is not set"), "{said}");
        assert!(
            said.contains("https://discord.com/developers/applications"),
            "{said}"
        );
        assert!(said.contains(".env"), "{said}");
        assert!(said.contains("feudbot console"), "{said}");
    }
}

#[test]
fn invite_prints_the_install_url_with_the_scopes_and_permissions_it_needs() {
    let output = feudbot(&["invite", "--application-id", "123"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        text(&output),
        "Add to a server: https://discord.com/oauth2/authorize?client_id=123\
         &scope=bot%20applications.commands&permissions=84992\n\
         Add to my apps:  https://discord.com/oauth2/authorize?client_id=123\
         &integration_type=1&scope=applications.commands\n"
    );
    let output = feudbot(&["invite"])
        .env("DISCORD_TOKEN", "MTIzNDU2Nzg5MDEyMzQ1Njc4.GxYz.abc")
        .output()
        .unwrap();
    assert!(text(&output).contains("client_id=123456789012345678&"));
    let output = feudbot(&["invite"])
        .env_remove("DISCORD_TOKEN")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A copy of the shipped dataset in a temporary folder, with one event renamed, so
/// that an answer shows which dataset it came from.
fn custom_dataset() -> tempfile::TempDir {
    let dir = copy_of_the_dataset();
    let events = std::fs::read_to_string(dir.path().join("events.json")).unwrap();
    let renamed = events.replace(
        "\"Stargate announced at the White House\"",
        "\"Stargate announced (custom dataset)\"",
    );
    assert_ne!(events, renamed);
    std::fs::write(dir.path().join("events.json"), renamed).unwrap();
    dir
}

#[test]
fn the_data_dir_flag_is_honoured_by_every_command() {
    let data = custom_dataset();
    let dir = data.path().to_str().unwrap();
    let custom = "Stargate announced (custom dataset)";
    // Before or after the subcommand, and over the environment.
    for args in [
        vec!["--data-dir", dir, "ask", "/event stargate"],
        vec!["ask", "/event stargate", "--data-dir", dir],
    ] {
        let output = feudbot(&args)
            .env("DATA_DIR", "/nonexistent")
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert!(
            text(&output).contains(custom),
            "{args:?}: {}",
            text(&output)
        );
    }
    let output = feudbot(&["check-data", "--data-dir", dir])
        .output()
        .unwrap();
    assert_eq!(
        text(&output),
        format!("{dir}: ok, 24 events, 14 quotes, 16 people, 10 sources\n")
    );
    // This copy has no questions.json: no hand-written questions.
    let output = feudbot(&[
        "questions",
        "--data-dir",
        dir,
        "--kind",
        "hand-written",
        "--json",
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let output = feudbot(&["questions", "--kind", "hand-written", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "the built-in dataset has some");
    let mut child = feudbot(&["console", "--data-dir", dir])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"/event stargate\nquit\n").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(text(&output).contains(custom), "{}", text(&output));
}

#[test]
fn the_database_url_flag_is_honoured_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("flag.db").display());
    let elsewhere = format!("sqlite://{}", dir.path().join("env.db").display());
    let output = feudbot(&[
        "--database-url",
        &url,
        "ask",
        "/daily set channel:#7 time:09:00 timezone:UTC",
    ])
    .env("DATABASE_URL", &elsewhere)
    .output()
    .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    assert!(dir.path().join("flag.db").exists());
    assert!(
        !dir.path().join("env.db").exists(),
        "the flag wins over the environment"
    );
    let output = feudbot(&["ask", "/daily status", "--database-url", &url])
        .output()
        .unwrap();
    assert!(text(&output).contains("09:00 (UTC)"), "{}", text(&output));
    let mut child = feudbot(&["console", "--database-url", &url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"/daily status\nquit\n").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(text(&output).contains("09:00 (UTC)"), "{}", text(&output));
}

#[test]
fn the_binary_runs_from_an_empty_folder_with_the_built_in_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("feudbot");
    std::fs::copy(env!("CARGO_BIN_EXE_feudbot"), &binary).unwrap();
    // Another test's thread may fork while the copy is still open for writing, and its
    // child holds the file open until it execs: Linux then answers ETXTBSY for a
    // moment.
    let mut attempts = 0;
    let output = loop {
        match Command::new(&binary)
            .args(["ask", "/about"])
            .current_dir(dir.path())
            .env_clear()
            .output()
        {
            Err(error)
                if error.kind() == std::io::ErrorKind::ExecutableFileBusy && attempts < 50 =>
            {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.unwrap(),
        }
    };
    assert!(output.status.success(), "{output:?}");
    let out = text(&output);
    assert!(out.starts_with("━━ About feudbot ━━"), "{out}");
    assert!(out.contains("24 events · 14 quotes"), "{out}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "a lookup creates no database file");
}

#[test]
fn a_copy_of_env_example_works_as_it_is_with_empty_settings_unset() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(".env.example", dir.path().join(".env")).unwrap();
    let output = feudbot(&["ask", "/about"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let output = feudbot(&["run"])
        .current_dir(dir.path())
        .env_remove("DISCORD_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("DISCORD_TOKEN is not set."), "{error}");
}

/// Width, height and RGBA pixels of a PNG file; panics unless it decodes.
fn decode_png(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

#[test]
fn render_timeline_writes_a_png_and_prints_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("musk.png");
    let output = feudbot(&[
        "render",
        "timeline",
        "--person",
        "elon",
        "--theme",
        "light",
        "--output",
        path.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(text(&output), format!("{}\n", path.display()));
    let (width, height, pixels) = decode_png(&path);
    assert_eq!(width, 640);
    assert!(height > 300, "{height}");
    let colours: std::collections::HashSet<&[u8]> = pixels.chunks(4).collect();
    assert!(colours.len() > 20, "not one colour: {}", colours.len());
}

/// `feudbot render timeline` with `filter`, which it must refuse (exit 2, no file
/// written): what it says on stderr.
fn refused_render(filter: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.png");
    let mut args = vec!["render", "timeline"];
    args.extend_from_slice(filter);
    args.extend(["--output", path.to_str().unwrap()]);
    let output = feudbot(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!path.exists());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn render_timeline_with_a_bad_filter_says_what_to_type() {
    let error = refused_render(&["--tag", "lawsiut"]);
    assert!(error.contains("There is no topic `lawsiut`"), "{error}");
    assert!(error.contains("lawsuit"), "{error}");
}

#[test]
fn render_timeline_of_no_event_says_there_is_nothing_to_draw() {
    let error = refused_render(&["--year", "2031"]);
    assert!(error.contains("nothing to draw"), "{error}");
}
