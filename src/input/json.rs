//! Strict JSON into typed values, with the JSON path of the first problem.

use serde::de::DeserializeOwned;

use super::{InputError, JsonPath, LocatedProblem, Seg};

/// Parses JSON into `T`, reporting the first problem with its JSON path.
pub fn parse_json<T: DeserializeOwned>(origin: &str, text: &str) -> Result<T, InputError> {
    // Strict types reject unknown keys themselves, so nothing reaches the callback.
    parse_json_collecting_unknown(origin, text, &mut |_| {})
}

/// Parses JSON into `T`, calling `unknown` with the path of every key `T`
/// does not declare (the caller decides whether that is an error).
pub fn parse_json_collecting_unknown<T: DeserializeOwned>(
    origin: &str,
    text: &str,
    unknown: &mut dyn FnMut(JsonPath),
) -> Result<T, InputError> {
    if text
        .trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n'])
        .is_empty()
    {
        return Err(InputError::file(
            origin,
            "empty file: expected a JSON document",
        ));
    }
    // The happy path skips serde_path_to_error, which allocates for every key;
    // only a document that fails is parsed again with it, to name the path.
    let mut found = Vec::new();
    let mut json = serde_json::Deserializer::from_str(text);
    let fast = {
        let mut on_unknown = |path: serde_ignored::Path<'_>| found.push(ignored_path(&path));
        T::deserialize(serde_ignored::Deserializer::new(
            crate::input::strict::ObjectsOnly::new(&mut json),
            &mut on_unknown,
        ))
    };
    if let Ok(value) = fast {
        if json.end().is_ok() {
            found.into_iter().for_each(unknown);
            return Ok(value);
        }
    }
    explain_json_error(origin, text, unknown)
}

/// Parses again with every path tracked, to explain why the document failed.
fn explain_json_error<T: DeserializeOwned>(
    origin: &str,
    text: &str,
    unknown: &mut dyn FnMut(JsonPath),
) -> Result<T, InputError> {
    let mut json = serde_json::Deserializer::from_str(text);
    let mut on_unknown = |path: serde_ignored::Path<'_>| unknown(ignored_path(&path));
    let ignoring = serde_ignored::Deserializer::new(
        crate::input::strict::ObjectsOnly::new(&mut json),
        &mut on_unknown,
    );
    let result: Result<T, _> = serde_path_to_error::deserialize(ignoring);
    let value = match result {
        Ok(value) => value,
        Err(error) => {
            let path = tracked_path(error.path());
            let inner = error.into_inner();
            return Err(json_error(origin, path, &inner));
        }
    };
    json.end()
        .map_err(|e| json_error(origin, JsonPath::root(), &e))?;
    Ok(value)
}

fn json_error(origin: &str, path: JsonPath, error: &serde_json::Error) -> InputError {
    let text = error.to_string();
    let message = match text.rfind(" at line ") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_string(),
        None => text,
    };
    let message = powershell_hint(name_expected_objects(&message));
    let message = match error.classify() {
        serde_json::error::Category::Eof => format!("{message}: the JSON is truncated"),
        serde_json::error::Category::Syntax if message.contains("trailing characters") => {
            format!("{message}: expected the end of the document after one JSON value (inventories one per line are an NDJSON stream: name the file *.ndjson, or pass --ndjson)")
        }
        _ => message,
    };
    // The parser quotes the file's text (`invalid type: string "..."`): a
    // short excerpt of it is enough, whatever the file really holds.
    let message = crate::base::sanitize::excerpts_in(&message);
    InputError::Invalid {
        origin: origin.to_string(),
        problems: vec![LocatedProblem {
            line: error.line().max(1),
            column: error.column().max(1),
            path,
            message,
        }],
        omitted: 0,
    }
}

/// What Windows PowerShell's `ConvertTo-Json` writes that JSON readers
/// refuse, named with the fix: an enum as its number, and an object or
/// array nested deeper than `-Depth` (default 2) as its `ToString()`.
pub fn powershell_hint(message: String) -> String {
    let enum_as_number =
        message.contains("invalid type: integer") && message.contains("expected a string: one of");
    let too_deep = [
        "invalid type: string \"@{",
        "invalid type: string \"System.",
    ]
    .iter()
    .any(|shape| message.contains(shape));
    if enum_as_number {
        format!(
            "{message} (PowerShell's ConvertTo-Json writes an enum as its number: \
             use ConvertTo-Json -EnumsAsStrings in PowerShell 7, or write the name)"
        )
    } else if too_deep {
        format!(
            "{message} (this is how ConvertTo-Json writes what is nested deeper than its \
             -Depth, 2 by default: run it again with a larger -Depth, e.g. ConvertTo-Json -Depth 10)"
        )
    } else {
        message
    }
}

/// serde names the Rust type it wanted (`expected struct RawInventory`); say
/// what the file should hold instead.
fn name_expected_objects(message: &str) -> String {
    const NAMES: [(&str, &str); 3] = [
        ("RawInventory", "an inventory object"),
        ("CatalogFile", "a catalog object"),
        ("RawPolicy", "a policy object"),
    ];
    let Some(at) = message.find("expected struct ") else {
        return message.to_string();
    };
    let (head, tail) = message.split_at(at);
    let type_name: String = tail
        .trim_start_matches("expected struct ")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let rest = tail
        .get("expected struct ".len() + type_name.len()..)
        .unwrap_or_default();
    let what = NAMES
        .iter()
        .find(|(name, _)| *name == type_name)
        .map_or("an object", |(_, what)| what);
    format!("{head}expected {what}{rest}")
}

fn tracked_path(path: &serde_path_to_error::Path) -> JsonPath {
    use serde_path_to_error::Segment;
    JsonPath(
        path.iter()
            .filter_map(|seg| match seg {
                Segment::Seq { index } => Some(Seg::Index(*index)),
                Segment::Map { key } => Some(Seg::Key(key.clone())),
                Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
                Segment::Unknown => None,
            })
            .collect(),
    )
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> JsonPath {
    use serde_ignored::Path as P;
    let mut segs = Vec::new();
    let mut cursor = path;
    loop {
        match cursor {
            P::Root => break,
            P::Seq { parent, index } => {
                segs.push(Seg::Index(*index));
                cursor = parent;
            }
            P::Map { parent, key } => {
                segs.push(Seg::Key(key.clone()));
                cursor = parent;
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                cursor = parent
            }
        }
    }
    segs.reverse();
    JsonPath(segs)
}
