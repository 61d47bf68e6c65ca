//! Reading the dataset's JSON files, reporting every problem at once.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// One thing wrong with a data file, naming the file, the record and the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// File name within the data folder, e.g. `events.json`.
    pub file: String,
    /// `line:column` of a JSON syntax error.
    pub position: Option<(usize, usize)>,
    /// The record: its id in quotes, or `#index` (from 0) when it has none.
    pub record: Option<String>,
    /// The field, e.g. `date` or `people[2]`.
    pub field: Option<String>,
    /// What is wrong, and what is expected instead.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(record) = &self.record {
            write!(f, ", record {record}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// How a record is named in problems: by its id when it has one, else by position.
pub(crate) fn record_name(id: Option<&str>, index: usize) -> String {
    match id {
        Some(id) if !id.is_empty() => format!("{id:?}"),
        _ => format!("#{index}"),
    }
}

/// The records of one file that parsed, and the ids of all its records.
pub(crate) struct Parsed<T> {
    /// Each record that parsed, with its index in the file.
    pub records: Vec<(usize, T)>,
    /// The id of every record, parsed or not; `None` when the file could not be read,
    /// so that references into it are not all reported as dangling.
    pub ids: Option<HashSet<String>>,
}

impl<T> Parsed<T> {
    /// Records made in memory, all of them valid JSON by construction.
    pub fn from_records(records: Vec<T>, id: impl Fn(&T) -> &str) -> Parsed<T> {
        let ids = records.iter().map(|r| id(r).to_string()).collect();
        Parsed {
            records: records.into_iter().enumerate().collect(),
            ids: Some(ids),
        }
    }
}

/// Reads `file` in `dir` as a JSON array of `T` (see [`parse_records`]).
pub(crate) fn read_records<T: DeserializeOwned>(
    dir: &Path,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Parsed<T> {
    let path = dir.join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_records(file, &text, problems),
        Err(error) => {
            problems.push(Problem {
                file: file.to_string(),
                position: None,
                record: None,
                field: None,
                message: format!("cannot read {}: {error}", path.display()),
            });
            Parsed {
                records: Vec::new(),
                ids: None,
            }
        }
    }
}

/// Reads `text`, the contents of `file`, as a JSON array of `T`, one record at a time,
/// so that one bad record neither hides the others nor the problems of other files.
pub(crate) fn parse_records<T: DeserializeOwned>(
    file: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Parsed<T> {
    let unreadable = Parsed {
        records: Vec::new(),
        ids: None,
    };
    let problem = |position, record, field, message| Problem {
        file: file.to_string(),
        position,
        record,
        field,
        message,
    };
    let values: Vec<Value> = match serde_json::from_str(text) {
        Ok(values) => values,
        Err(error) => {
            let message = match error.classify() {
                serde_json::error::Category::Data => "expected a JSON array of records".to_string(),
                _ => format!("JSON syntax error: {}", strip_position(&error)),
            };
            problems.push(problem(
                Some((error.line(), error.column())),
                None,
                None,
                message,
            ));
            return unreadable;
        }
    };
    let mut ids = HashSet::new();
    let mut records = Vec::with_capacity(values.len());
    for (index, value) in values.into_iter().enumerate() {
        let id = value.get("id").and_then(Value::as_str);
        ids.extend(id.map(str::to_string));
        let record = record_name(id, index);
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(parsed) => records.push((index, parsed)),
            Err(error) => {
                let path = error.path().to_string();
                let message = error.inner().to_string();
                let field = if path == "." {
                    field_named_in(&message)
                } else {
                    Some(path)
                };
                problems.push(problem(None, Some(record), field, message));
            }
        }
    }
    Parsed {
        records,
        ids: Some(ids),
    }
}

/// serde_json appends " at line L column C" to its messages; we show the position
/// separately, in `file:line:column` form.
fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// serde names a missing or unknown field only in its message: "missing field `title`".
fn field_named_in(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_string())
}
