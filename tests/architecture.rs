//! The layering of `src/`, checked: each module uses only the modules below it, so the
//! core stays free of Discord and a change never has to ripple upwards. The reading is
//! textual (`crate::<module>` outside comments), which is all the crate uses to name
//! another module.
//!
//! From the bottom: `search` → `data` → `query` → `cards` → `quiz`, `daily` → `store`,
//! `picture` → `commands` → `app` → `config`, `logging` → `discord`, `console`. Modules
//! on one rung (`quiz` and `daily`; `store` and `picture`; `config` and `logging`;
//! `discord` and `console`) do not use each other. `reply`, `permissions`, `caller`,
//! `clock` and `monitor` (the metrics' names) are the shared vocabulary: any module may
//! use them, and they use only each other.

use std::collections::BTreeMap;
use std::path::Path;

/// Each module's rung; the vocabulary has none.
const RUNGS: [(&str, u8); 14] = [
    ("search", 0),
    ("data", 1),
    ("query", 2),
    ("cards", 3),
    ("quiz", 4),
    ("daily", 4),
    ("store", 5),
    ("picture", 5),
    ("commands", 6),
    ("app", 7),
    ("config", 8),
    ("logging", 8),
    ("discord", 9),
    ("console", 9),
];

const VOCABULARY: [&str; 5] = ["reply", "permissions", "caller", "clock", "monitor"];

/// What only `discord/` may write: serenity, Discord's markup, and the keys and type
/// numbers of its registration JSON.
const DISCORD_ONLY: [&str; 9] = [
    "serenity",
    "<t:",
    "<#",
    "<@",
    "\"type\"",
    "channel_types",
    "default_member_permissions",
    "integration_types",
    "\"contexts\"",
];

/// The top-level module a file under `src/` belongs to: `quiz` for
/// `src/quiz/question/mod.rs`, `reply` for `src/reply.rs`; `None` for the crate roots.
fn module_of(path: &str) -> Option<&str> {
    let first = path.split('/').next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then_some(name)
}

/// The code of a file without its comments (line comments and doc comments).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string (a URL) is kept; a comment is dropped.
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file names as `crate::<module>`, including `use crate::{a, b}`.
fn uses(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.push(name);
            }
        } else {
            found.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    found.retain(|name| !name.is_empty());
    found.sort();
    found.dedup();
    found
}

/// Every breach of the layering and of Discord's boundary in `files` (path under
/// `src/`, text).
fn violations(files: &BTreeMap<String, String>) -> Vec<String> {
    let rungs: BTreeMap<&str, u8> = RUNGS.into_iter().collect();
    let is_vocabulary = |name: &str| VOCABULARY.contains(&name);
    let mut found = Vec::new();
    for (path, text) in files {
        let code = code(text);
        let Some(module) = module_of(path) else {
            continue;
        };
        if module != "discord" {
            for needle in DISCORD_ONLY {
                if code.contains(needle) {
                    found.push(format!("src/{path} writes `{needle}`: only discord/ may"));
                }
            }
        }
        if !is_vocabulary(module) && !rungs.contains_key(module) {
            found.push(format!(
                "src/{path}: module `{module}` has no place in the layering"
            ));
            continue;
        }
        for used in uses(&code) {
            if used == module || is_vocabulary(&used) {
                continue;
            }
            let allowed = match (rungs.get(module), rungs.get(used.as_str())) {
                _ if is_vocabulary(module) => false,
                (Some(own), Some(theirs)) => theirs < own,
                _ => false,
            };
            if !allowed {
                found.push(format!(
                    "src/{path} uses crate::{used}: `{module}` must not"
                ));
            }
        }
    }
    found
}

fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            read_tree(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path
                .strip_prefix(root)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(name, std::fs::read_to_string(&path).expect("a source file"));
        }
    }
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_tree(&root, &root, &mut files);
    assert!(files.len() > 40, "read {} files", files.len());
    assert_eq!(violations(&files), Vec::<String>::new());
}

#[test]
fn a_back_edge_or_discord_markup_in_the_core_is_caught() {
    let files = |path: &str, text: &str| BTreeMap::from([(path.to_string(), text.to_string())]);
    assert_eq!(
        violations(&files("quiz/game.rs", "use crate::commands::Caller;")),
        ["src/quiz/game.rs uses crate::commands: `quiz` must not"]
    );
    assert_eq!(
        violations(&files(
            "store/mod.rs",
            "use crate::{daily::compose, app::App};"
        )),
        ["src/store/mod.rs uses crate::app: `store` must not"]
    );
    assert_eq!(
        violations(&files("daily/post.rs", "use crate::quiz::Kind;")),
        ["src/daily/post.rs uses crate::quiz: `daily` must not"],
        "modules on one rung stay apart"
    );
    assert_eq!(
        violations(&files("reply.rs", "use crate::data::Dataset;")),
        ["src/reply.rs uses crate::data: `reply` must not"],
        "the vocabulary uses nothing but itself"
    );
    assert_eq!(
        violations(&files("quiz/render.rs", "format!(\"<t:{}:R>\", at)")),
        ["src/quiz/render.rs writes `<t:`: only discord/ may"]
    );
    assert_eq!(
        violations(&files("console/mod.rs", "use serenity::all::Http;")),
        ["src/console/mod.rs writes `serenity`: only discord/ may"]
    );
    assert!(
        violations(&files(
            "discord/render.rs",
            "format!(\"<t:{}:R>\", at) // crate::app"
        ))
        .is_empty(),
        "discord/ may, and comments do not count"
    );
    assert_eq!(
        violations(&files("extra.rs", "")),
        ["src/extra.rs: module `extra` has no place in the layering"]
    );
}
