//! Reading untrusted JSON files: decoding, parsing with JSON paths, and
//! turning every problem into `file:line:column: path: what was expected`.
//!
//! Used by every file akspol reads (inventories, catalogs, policies, waivers),
//! so they all fail the same way: exit 2, one line per problem, nothing on stdout.

pub mod sources;
pub mod strict;

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

/// The default cap on one input file (`--max-input-bytes`).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A JSON path such as `clusters[2].nodes[0].powerState`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(Seg::Key(key.to_string()));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Seg::Index(index));
        next
    }

    /// Parses the dotted form used in code (`clusters.0.name` or `a.b`): only for
    /// paths written by akspol itself, never for input.
    pub fn parse_dotted(text: &str) -> Self {
        Self(
            text.split('.')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .map(Seg::Index)
                        .unwrap_or_else(|_| Seg::Key(s.to_string()))
                })
                .collect(),
        )
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) if is_plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(&crate::base::sanitize::clean(k))?;
                }
                Seg::Key(k) => write!(
                    f,
                    "[{}]",
                    serde_json::Value::String(crate::base::sanitize::clean(k).into_owned())
                )?,
            }
        }
        Ok(())
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A problem found in a file, before it is given a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: JsonPath,
    pub message: String,
}

impl Problem {
    /// `path` in dotted form, e.g. `"deployment.version"`.
    pub fn new(path: &str, message: String) -> Self {
        Self {
            path: JsonPath::parse_dotted(path),
            message,
        }
    }

    pub fn at(path: JsonPath, message: impl Into<String>) -> Self {
        Self {
            path,
            message: message.into(),
        }
    }
}

/// A problem with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedProblem {
    pub line: usize,
    pub column: usize,
    pub path: JsonPath,
    pub message: String,
}

/// Why a file could not be used. Each variant renders as lines that start with
/// the file name, so several files' problems can be told apart.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: cannot read: {source}", crate::base::sanitize::clean(origin))]
    Read {
        origin: String,
        source: std::io::Error,
    },
    #[error(
        "{}: {}",
        crate::base::sanitize::clean(origin),
        crate::base::sanitize::clean(message)
    )]
    File { origin: String, message: String },
    #[error("{}", render_problems(origin, problems))]
    Invalid {
        origin: String,
        problems: Vec<LocatedProblem>,
    },
}

fn render_problems(origin: &str, problems: &[LocatedProblem]) -> String {
    let origin = crate::base::sanitize::clean(origin);
    problems
        .iter()
        .map(|p| {
            format!(
                "{origin}:{}:{}: {}: {}",
                p.line,
                p.column,
                p.path,
                crate::base::sanitize::clean(&p.message)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl InputError {
    /// Locates each problem's path in `text`.
    pub fn invalid(origin: &str, text: &str, problems: Vec<Problem>) -> Self {
        let problems = problems
            .into_iter()
            .map(|p| {
                let (line, column) = locate(text, &p.path.0).unwrap_or((1, 1));
                LocatedProblem {
                    line,
                    column,
                    path: p.path,
                    message: p.message,
                }
            })
            .collect();
        InputError::Invalid {
            origin: origin.to_string(),
            problems,
        }
    }

    pub fn file(origin: &str, message: impl Into<String>) -> Self {
        InputError::File {
            origin: origin.to_string(),
            message: message.into(),
        }
    }

    pub fn origin(&self) -> &str {
        match self {
            InputError::Read { origin, .. }
            | InputError::File { origin, .. }
            | InputError::Invalid { origin, .. } => origin,
        }
    }
}

/// Reads a file (or standard input for `-`), refusing more than `max_bytes`
/// before reading it all, and decodes it to text.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, InputError> {
    let origin = path.display().to_string();
    let read_err = |source| InputError::Read {
        origin: origin.clone(),
        source,
    };
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
    } else {
        let file = std::fs::File::open(path).map_err(read_err)?;
        if let Ok(meta) = file.metadata() {
            if meta.is_file() && meta.len() > max_bytes {
                return Err(too_large(&origin, max_bytes));
            }
            // Room for the whole file (and the byte that proves the end), so
            // a large file is not copied as the buffer doubles.
            if meta.is_file() {
                bytes.reserve_exact(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
            }
        }
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
    }
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(&origin, max_bytes));
    }
    decode(&origin, bytes)
}

fn too_large(origin: &str, max_bytes: u64) -> InputError {
    InputError::file(
        origin,
        format!("larger than the {max_bytes}-byte limit (raise it with --max-input-bytes)"),
    )
}

/// UTF-8, with or without a byte-order mark, and UTF-16 with a BOM (what
/// Windows PowerShell 5.1 writes with `Out-File` and `>`). Anything else is an error.
pub fn decode(origin: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| -> Result<String, InputError> {
        if bytes.len() % 2 != 0 {
            return Err(InputError::file(
                origin,
                "UTF-16 text with an odd number of bytes: the file is truncated or not UTF-16",
            ));
        }
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .filter_map(|c| c.try_into().ok())
            .map(from)
            .collect();
        String::from_utf16(&units).map_err(|_| {
            InputError::file(
                origin,
                "invalid UTF-16 (an unpaired surrogate): the file is damaged",
            )
        })
    };
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => {
            return Err(InputError::file(
                origin,
                "UTF-32 text: expected UTF-8, or UTF-16 with a byte-order mark",
            ))
        }
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(origin, rest.to_vec()),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => utf8(origin, bytes),
    }?;
    // NUL is valid UTF-8 but never part of JSON text: UTF-16 or UTF-32 saved
    // without a byte-order mark decodes to text full of them.
    if text.contains('\0') {
        return Err(InputError::file(
            origin,
            "the text contains NUL bytes: UTF-16 or UTF-32 without a byte-order mark? Expected UTF-8, or UTF-16 with a byte-order mark",
        ));
    }
    Ok(text)
}

fn utf8(origin: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = e.as_bytes().get(..offset).unwrap_or_default();
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        InputError::file(
            origin,
            format!("{line}:{column}: invalid UTF-8 (byte offset {offset}): expected UTF-8, or UTF-16 with a byte-order mark (what PowerShell writes)"),
        )
    })
}

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
            crate::input::strict::ObjectsOnly(&mut json),
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
        crate::input::strict::ObjectsOnly(&mut json),
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
    let message = name_expected_objects(&message);
    let message = match error.classify() {
        serde_json::error::Category::Eof => format!("{message}: the JSON is truncated"),
        serde_json::error::Category::Syntax if message.contains("trailing characters") => {
            format!("{message}: expected the end of the document after one JSON value")
        }
        _ => message,
    };
    InputError::Invalid {
        origin: origin.to_string(),
        problems: vec![LocatedProblem {
            line: error.line().max(1),
            column: error.column().max(1),
            path,
            message,
        }],
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

/// How many object keys a JSON document holds: every string followed by `:`.
/// Only meaningful for text that parses as JSON (the caller has parsed it).
pub fn count_object_keys(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b != b'"' {
            continue;
        }
        // Skip the string, honouring escapes.
        while let Some(&c) = bytes.get(i) {
            i += 1;
            match c {
                b'\\' => i += 1,
                b'"' => break,
                _ => {}
            }
        }
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        if bytes.get(i) == Some(&b':') {
            count += 1;
        }
    }
    count
}

// ---------------------------------------------------------------------------
// Locating paths in the text: a small scanner that walks only along the path
// and skips everything else without recursion, so hostile nesting is harmless.

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Where the key most recently entered by `enter_key` starts.
    key_pos: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads a string starting at `"`, returning its decoded value.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Skips one value of any depth, iteratively.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                b',' | b':' if depth > 0 => self.pos += 1,
                b',' | b':' => return Some(()),
                _ => self.pos += 1,
            }
            if depth == 0 {
                // A scalar ends at the next delimiter; a container at its close.
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b':') || b.is_ascii_whitespace() {
                        break;
                    }
                    if matches!(b, b'"' | b'{' | b'[') {
                        break;
                    }
                    self.pos += 1;
                }
                return Some(());
            }
        }
    }

    /// With the cursor before an object, moves to the value of `key`.
    fn enter_key(&mut self, key: &str) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b'}') {
                return None;
            }
            self.key_pos = self.pos;
            let name = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            self.skip_ws();
            if name == key {
                return Some(());
            }
            self.skip_value()?;
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// With the cursor before an array, moves to element `index`.
    fn enter_index(&mut self, index: usize) -> Option<()> {
        if !self.eat(b'[') {
            return None;
        }
        for _ in 0..index {
            self.skip_value()?;
            if !self.eat(b',') {
                return None;
            }
        }
        self.skip_ws();
        (self.peek() != Some(b']')).then_some(())
    }

    fn line_col(&self) -> (usize, usize) {
        line_col(self.bytes, self.pos)
    }
}

fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The line and column of `path` in the text: of its key when it ends in a key
/// (so an unknown or invalid member is pointed at by name), else of its value;
/// for a path that is not in the text (a missing key), the deepest existing parent.
pub fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        key_pos: 0,
    };
    scanner.skip_ws();
    let mut found = scanner.line_col();
    for seg in path {
        let ok = match seg {
            Seg::Key(k) => scanner.enter_key(k),
            Seg::Index(i) => scanner.enter_index(*i),
        };
        if ok.is_none() {
            break;
        }
        scanner.skip_ws();
        found = match seg {
            Seg::Key(_) => line_col(scanner.bytes, scanner.key_pos),
            Seg::Index(_) => scanner.line_col(),
        };
    }
    Some(found)
}

/// The 1-based start line of the deployment object, of each cluster and of each
/// node listed in `nodes`, for reports that point into the inventory file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeLines {
    pub deployment: usize,
    pub clusters: Vec<usize>,
    pub nodes: Vec<Vec<usize>>,
}

impl ScopeLines {
    pub fn scan(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = ScopeLines {
            deployment: 1,
            ..Default::default()
        };
        let mut s = Scanner {
            bytes,
            pos: 0,
            key_pos: 0,
        };
        if s.enter_key("deployment").is_some() {
            s.skip_ws();
            lines.deployment = s.line_col().0;
        }
        let mut s = Scanner {
            bytes,
            pos: 0,
            key_pos: 0,
        };
        if s.enter_key("clusters").is_none() || !s.eat(b'[') {
            return lines;
        }
        loop {
            s.skip_ws();
            if s.peek() != Some(b'{') {
                break;
            }
            let cluster_start = s.pos;
            lines.clusters.push(line_col(bytes, cluster_start).0);
            let mut node_lines = Vec::new();
            let mut inner = Scanner {
                bytes,
                pos: cluster_start,
                key_pos: 0,
            };
            if inner.enter_key("nodes").is_some() && inner.eat(b'[') {
                loop {
                    inner.skip_ws();
                    if inner.peek() != Some(b'{') {
                        break;
                    }
                    node_lines.push(line_col(bytes, inner.pos).0);
                    if inner.skip_value().is_none() || !inner.eat(b',') {
                        break;
                    }
                }
            }
            lines.nodes.push(node_lines);
            if s.skip_value().is_none() || !s.eat(b',') {
                break;
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"deployment\": {\"name\": \"a\"},\n  \"clusters\": [\n    {\"name\": \"x\", \"nodes\": [\n      {\"name\": \"n1\"},\n      {\"name\": \"n2\", \"powerState\": \"On\"}\n    ]},\n    {\"name\": \"y\"}\n  ]\n}\n";

    #[test]
    fn locates_nested_paths() {
        let path = JsonPath::root()
            .key("clusters")
            .index(0)
            .key("nodes")
            .index(1)
            .key("powerState");
        assert_eq!(locate(DOC, &path.0), Some((6, 22)));
        assert_eq!(path.to_string(), "clusters[0].nodes[1].powerState");
        // A missing key points at its parent.
        let missing = JsonPath::root()
            .key("clusters")
            .index(1)
            .key("kubernetesVersion");
        assert_eq!(locate(DOC, &missing.0), Some((8, 5)));
    }

    #[test]
    fn counts_object_keys() {
        assert_eq!(count_object_keys(DOC), 9);
        assert_eq!(
            count_object_keys(r#"{"a\\\":": ":", "b": ["c:", {"d" : 1}]}"#),
            3
        );
    }

    #[test]
    fn scans_scope_lines() {
        let lines = ScopeLines::scan(DOC);
        assert_eq!(lines.deployment, 2);
        assert_eq!(lines.clusters, vec![4, 8]);
        assert_eq!(lines.nodes, vec![vec![5, 6], vec![]]);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_scanner() {
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(200_000), "]".repeat(200_000));
        assert!(locate(&deep, &JsonPath::root().key("b").0).is_some());
        let _ = ScopeLines::scan(&deep);
    }

    #[test]
    fn decodes_powershell_encodings() {
        let text = "{\"a\": \"é\"}";
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(decode("f", bom8).unwrap(), text);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode("f", le).unwrap(), text);
        assert!(decode("f", vec![b'{', 0xC3, b'}']).is_err());
    }
}
