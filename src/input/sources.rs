//! Inputs at fleet scale: which inventories a `check` run reads (the loop
//! that judges them on all cores is `judge::fleet`).
//!
//! An input is a file, `-` (standard input), a directory (its `*.json` and
//! `*.ndjson` files, subdirectories too with `--recursive`), or an NDJSON stream
//! (`*.ndjson`, or any input with `--ndjson`): one inventory per line, each named
//! `file:LINE`. Each inventory is judged on its own: a bad one is reported and
//! the others go on.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::input::InputError;

/// One input as named on the command line, after directories are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// A file, or `-` for standard input; for saved outputs, their folder
    /// or zip archive.
    pub path: PathBuf,
    /// One inventory per line (NDJSON) rather than one per file.
    pub ndjson: bool,
    /// Found by listing a directory (so it must still be a regular file when
    /// read), rather than named on the command line.
    pub listed: bool,
    /// A folder or zip archive of saved command outputs: the inventory
    /// made of them is built when its turn comes (see [`BuildSaved`]).
    pub saved: bool,
}

/// Builds the inventory a folder or zip archive of saved command outputs
/// makes (the face knows how: `collect` is above this room, and the
/// command line may add facts the outputs cannot carry), within one
/// `--max-input-bytes` budget.
pub type BuildSaved<'a> = &'a (dyn Fn(&Path, u64) -> Saved + Sync);

/// What a folder or zip archive of saved command outputs made.
#[derive(Debug)]
pub struct Saved {
    /// The inventory's text, or why none could be made.
    pub text: Result<String, InputError>,
    /// What reading it found worth a warning on standard error.
    pub warnings: Vec<String>,
    /// The account of its files: a title, then a line per file (what it
    /// was read as, or why it was not), for standard error.
    pub account: Vec<String>,
    /// What the reports must carry beside the verdict, which cannot show it
    /// (a deployment judged with no cluster while its outputs name some).
    pub notices: Vec<String>,
}

impl Input {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A single-inventory file named on the command line.
    pub fn document(path: PathBuf) -> Self {
        Self {
            path,
            ndjson: false,
            listed: false,
            saved: false,
        }
    }
}

/// How to expand the command line's paths.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExpandOptions {
    /// Walk subdirectories of a directory too.
    pub recursive: bool,
    /// Read every input (files and `-`) as NDJSON.
    pub ndjson: bool,
    /// With `recursive`: whether a subdirectory holds saved command outputs
    /// (the face knows their names). Such a directory is one input, listed
    /// as it is, and not walked: its `*.json` files are not inventories.
    pub saved_outputs: Option<fn(&Path) -> bool>,
}

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The name `origin` a path is shown as.
pub fn origin_of(path: &Path) -> String {
    if is_stdin(path) {
        crate::base::STDIN_ORIGIN.to_string()
    } else {
        path.display().to_string()
    }
}

/// Files as given; a directory contributes its `*.json` and `*.ndjson` files
/// (with `recursive`, those of its subdirectories too, and each subdirectory
/// of saved outputs as itself), sorted by path.
pub fn expand(paths: &[PathBuf], options: ExpandOptions) -> Result<Vec<Input>, InputError> {
    let classify = |path: PathBuf, listed: bool| Input {
        ndjson: options.ndjson || has_extension(&path, "ndjson"),
        path,
        listed,
        saved: false,
    };
    let mut out = Vec::new();
    for path in paths {
        if !is_stdin(path) && path.is_dir() {
            let mut files = Vec::new();
            walk(path, options, &mut files)?;
            files.sort();
            if files.is_empty() {
                return Err(InputError::file(
                    &origin_of(path),
                    if options.recursive {
                        "a directory with no *.json or *.ndjson inventories, in it or below"
                    } else {
                        "a directory with no *.json or *.ndjson inventories (--recursive looks in subdirectories)"
                    },
                ));
            }
            out.extend(files.into_iter().map(|file| classify(file, true)));
        } else {
            out.push(classify(path.clone(), false));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, options: ExpandOptions, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let entries = std::fs::read_dir(dir).map_err(|source| InputError::Read {
        origin: origin_of(dir),
        source,
    })?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        // `file_type` does not follow symbolic links, so a link to a parent
        // directory cannot make the walk loop; a linked file is still read.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !options.recursive {
                continue;
            }
            if options.saved_outputs.is_some_and(|saved| saved(&path)) {
                out.push(path);
            } else {
                walk(&path, options, out)?;
            }
        } else if (has_extension(&path, "json") || has_extension(&path, "ndjson")) && path.is_file()
        {
            out.push(path);
        }
    }
    Ok(())
}

/// One inventory to judge, as a worker sees it.
#[derive(Debug)]
pub struct Unit {
    /// How the inventory is named in reports: a path, `<stdin>`, or `file:LINE`.
    pub origin: String,
    /// For an NDJSON line: the stream's name and the 1-based line number.
    pub line_of: Option<LineOf>,
    /// The text, or why it could not be read.
    pub text: Result<String, InputError>,
    /// What reading it found worth a warning (saved outputs: sources
    /// unavailable, fields left out, conflicts).
    pub warnings: Vec<String>,
    /// Saved outputs: the account of their files (see [`Saved::account`]).
    pub account: Vec<String>,
    /// Saved outputs: what the reports carry beside the verdict (see
    /// [`Saved::notices`]).
    pub notices: Vec<String>,
}

impl Unit {
    pub fn new(origin: String, line_of: Option<LineOf>, text: Result<String, InputError>) -> Self {
        Self {
            origin,
            line_of,
            text,
            warnings: Vec::new(),
            account: Vec::new(),
            notices: Vec::new(),
        }
    }
}

/// Where an NDJSON line sits in its stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOf {
    pub stream: String,
    pub line: usize,
}

/// Rewrites an error located in a one-line NDJSON document so that it points
/// into the stream: `fleet.ndjson:17:345: path: message`.
pub fn locate_error(line_of: Option<&LineOf>, error: InputError) -> InputError {
    match (line_of, error) {
        (
            Some(at),
            InputError::Invalid {
                problems, omitted, ..
            },
        ) => InputError::Invalid {
            origin: at.stream.clone(),
            omitted,
            problems: problems
                .into_iter()
                .map(|mut p| {
                    p.line = at.line;
                    p
                })
                .collect(),
        },
        (_, other) => other,
    }
}

/// Rewrites a warning that starts `origin:1:COLUMN:` the same way.
pub fn locate_warning(line_of: Option<&LineOf>, origin: &str, warning: String) -> String {
    let Some(at) = line_of else {
        return warning;
    };
    match warning
        .strip_prefix(origin)
        .and_then(|rest| rest.strip_prefix(":1:"))
    {
        Some(rest) => format!("{}:{}:{rest}", at.stream, at.line),
        None => warning,
    }
}

/// An NDJSON stream read line by line, one unit per non-blank line, as a
/// worker asks for the next. A line longer than `max_line` bytes is refused
/// without being kept; an unreadable stream is one failed unit.
pub fn ndjson_lines(input: &Input, max_line: u64) -> NdjsonLines {
    let path = input.path();
    let stream = origin_of(path);
    let reader: Box<dyn Read + Send> = if is_stdin(path) {
        Box::new(std::io::stdin())
    } else {
        match crate::input::open(path, input.listed) {
            Ok(file) => Box::new(file),
            Err(error) => {
                return NdjsonLines {
                    failed: Some(Unit::new(stream.clone(), None, Err(error))),
                    ..NdjsonLines::new(stream, Box::new(std::io::empty()), max_line)
                }
            }
        }
    };
    NdjsonLines::new(
        stream,
        Box::new(BufReader::with_capacity(1 << 20, reader)),
        max_line,
    )
}

/// The lines of an NDJSON stream (see [`ndjson_lines`]); any reader (tests
/// use a slice).
pub struct NdjsonLines {
    stream: String,
    reader: Box<dyn BufRead + Send>,
    max_line: u64,
    number: usize,
    first: bool,
    /// The stream could not be opened: this, then nothing.
    failed: Option<Unit>,
    done: bool,
}

impl NdjsonLines {
    pub fn new(stream: String, reader: Box<dyn BufRead + Send>, max_line: u64) -> Self {
        Self {
            stream,
            reader,
            max_line,
            number: 0,
            first: true,
            failed: None,
            done: false,
        }
    }
}

impl Iterator for NdjsonLines {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        if let Some(failed) = self.failed.take() {
            self.done = true;
            return Some(failed);
        }
        while !self.done {
            if let Some(unit) = self.line() {
                return Some(unit);
            }
        }
        None
    }
}

impl NdjsonLines {
    /// Reads the next line: its unit, or `None` for a blank line or the end
    /// (which sets `done`).
    fn line(&mut self) -> Option<Unit> {
        self.number += 1;
        let number = self.number;
        let max_line = self.max_line;
        let mut buf = Vec::new();
        let read = (&mut self.reader)
            .take(max_line.saturating_add(1))
            .read_until(b'\n', &mut buf);
        let origin = format!("{}:{number}", self.stream);
        let line_of = Some(LineOf {
            stream: self.stream.clone(),
            line: number,
        });
        match read {
            Ok(0) => {
                self.done = true;
                return None;
            }
            Ok(_) => {}
            Err(source) => {
                self.done = true;
                return Some(Unit::new(
                    origin.clone(),
                    line_of,
                    Err(InputError::Read { origin, source }),
                ));
            }
        }
        if buf.last() != Some(&b'\n') && buf.len() as u64 > max_line {
            // Skip the rest of the over-long line without keeping it, but not
            // forever: a line that does not end within as many bytes again
            // (`/dev/zero`) ends the stream.
            let ended = skip_line(&mut self.reader, max_line);
            let rest = if ended {
                ""
            } else {
                "; it does not end within as many bytes again, so the rest of the stream is not read"
            };
            self.done = !ended;
            return Some(Unit::new(
                origin.clone(),
                line_of,
                Err(InputError::file(
                    &origin,
                    format!("a line longer than the {max_line}-byte limit (raise it with --max-input-bytes){rest}"),
                )),
            ));
        }
        let mut bytes = buf;
        while matches!(bytes.last(), Some(b'\n' | b'\r')) {
            bytes.pop();
        }
        if number == 1 && bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            bytes.drain(..3);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        // The first line of a pretty-printed document is not a document:
        // say so once, not once for each of its lines.
        if self.first && !is_whole_document(&bytes) {
            self.done = true;
            return Some(Unit::new(
                origin,
                line_of,
                Err(InputError::file(
                    &self.stream,
                    format!("line {number} is not a whole JSON document: this looks like one pretty-printed JSON document, not NDJSON (one document per line); give it a .json name or drop --ndjson"),
                )),
            ));
        }
        self.first = false;
        let text = String::from_utf8(bytes).map_err(|e| {
            let column = e.utf8_error().valid_up_to() + 1;
            InputError::file(
                &origin,
                format!("invalid UTF-8 at byte {column}: NDJSON streams must be UTF-8"),
            )
        });
        Some(Unit::new(origin, line_of, text))
    }
}

/// What standard input holds when `--ndjson` is not given: one document,
/// or an NDJSON stream. A second JSON value after the first is a stream,
/// since one document cannot have one (`collect --resource-graph | check -`).
pub enum Sniffed {
    /// The whole text, read within the limit and decoded.
    Document(Result<String, InputError>),
    /// The stream's lines, from its first.
    Stream(NdjsonLines),
}

/// [`sniff`] on standard input.
pub fn sniff_stdin(max_bytes: u64) -> Sniffed {
    sniff(
        crate::base::STDIN_ORIGIN.to_string(),
        Box::new(BufReader::with_capacity(1 << 20, std::io::stdin())),
        max_bytes,
    )
}

/// Reads as little of `reader` as tells one document from a stream: a
/// stream's first non-blank line is one whole JSON value and another
/// non-blank line follows it. A document (pretty-printed, UTF-16, one line
/// alone) is then read whole within `max_bytes`, as any input is; a stream
/// is read a line at a time from its first, each line within `max_bytes`.
pub fn sniff(stream: String, mut reader: Box<dyn BufRead + Send>, max_bytes: u64) -> Sniffed {
    let mut head = Vec::new();
    let mut values = 0;
    loop {
        let start = head.len();
        let room = max_bytes.saturating_add(1).saturating_sub(start as u64);
        match (&mut reader).take(room).read_until(b'\n', &mut head) {
            Err(source) => {
                return Sniffed::Document(Err(InputError::Read {
                    origin: stream,
                    source,
                }))
            }
            // The end: what was read is all there is.
            Ok(0) => break,
            Ok(_) => {}
        }
        let ended = head.last() == Some(&b'\n');
        let line = head.get(start..).unwrap_or_default();
        let line = if start == 0 {
            line.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(line)
        } else {
            line
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            if ended {
                continue;
            }
            break;
        }
        values += 1;
        if values == 2 {
            let head = std::io::Cursor::new(head);
            return Sniffed::Stream(NdjsonLines::new(
                stream,
                Box::new(head.chain(reader)),
                max_bytes,
            ));
        }
        let one_value = serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok();
        if !ended || !one_value {
            break;
        }
    }
    // One document: the rest of it, within the limit.
    let room = max_bytes
        .saturating_add(1)
        .saturating_sub(head.len() as u64);
    if let Err(source) = reader.take(room).read_to_end(&mut head) {
        return Sniffed::Document(Err(InputError::Read {
            origin: stream,
            source,
        }));
    }
    if head.len() as u64 > max_bytes {
        return Sniffed::Document(Err(super::read::Limit::input(max_bytes).too_large(&stream)));
    }
    Sniffed::Document(super::read::decode(&stream, head))
}

/// Reads up to `max` bytes more of the current line; whether it ended.
fn skip_line(reader: &mut dyn BufRead, max: u64) -> bool {
    let mut rest = Vec::new();
    let mut skipped = 0u64;
    while skipped <= max {
        rest.clear();
        match reader.take(1 << 20).read_until(b'\n', &mut rest) {
            Ok(0) | Err(_) => return true,
            Ok(_) if rest.last() == Some(&b'\n') => return true,
            Ok(n) => skipped += n as u64,
        }
    }
    false
}

/// Whether a line ends a JSON value it starts, rather than being cut short
/// (the first line of a pretty-printed document, `{`).
fn is_whole_document(line: &[u8]) -> bool {
    match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
        Ok(_) => true,
        Err(e) => !e.is_eof(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(stream: &str, reader: impl BufRead + Send + 'static, max: u64) -> Vec<Unit> {
        NdjsonLines::new(stream.to_string(), Box::new(reader), max).collect()
    }

    fn lines(text: &str, max: u64) -> Vec<(String, Result<String, String>)> {
        read("s.ndjson", std::io::Cursor::new(text.to_string()), max)
            .into_iter()
            .map(|u| (u.origin, u.text.map_err(|e| e.to_string())))
            .collect()
    }

    #[test]
    fn ndjson_lines_are_numbered_and_blank_lines_skipped() {
        let got = lines("\u{feff}{\"a\":1}\r\n\n  \n{\"b\":2}", 100);
        assert_eq!(
            got,
            vec![
                ("s.ndjson:1".to_string(), Ok("{\"a\":1}".to_string())),
                ("s.ndjson:4".to_string(), Ok("{\"b\":2}".to_string())),
            ]
        );
    }

    #[test]
    fn long_lines_are_refused_and_the_stream_goes_on() {
        let long = format!("{{\"a\":\"{}\"}}\n{{}}\n", "x".repeat(50));
        let got = lines(&long, 20);
        assert_eq!(got.len(), 2);
        assert!(got[0].1.as_ref().unwrap_err().contains("20-byte limit"));
        assert_eq!(got[1], ("s.ndjson:2".to_string(), Ok("{}".to_string())));
    }

    /// Issue 12, item 8: an endless line (`/dev/zero`) never ended.
    #[test]
    fn an_endless_line_ends_the_stream() {
        let endless = std::io::repeat(0).take(u64::MAX);
        let out: Vec<String> = read("zero", std::io::BufReader::new(endless), 1000)
            .into_iter()
            .map(|u| u.text.unwrap_err().to_string())
            .collect();
        assert_eq!(out.len(), 1);
        assert!(
            out[0].contains("the rest of the stream is not read"),
            "{out:?}"
        );
    }

    /// Issue 12, item 16: pretty JSON given as NDJSON gave one error per line.
    #[test]
    fn pretty_json_is_one_error() {
        let pretty = "{\n  \"schemaVersion\": 1,\n  \"deployment\": {}\n}\n";
        let got = lines(pretty, 100);
        assert_eq!(got.len(), 1, "{got:?}");
        let error = got[0].1.as_ref().unwrap_err();
        assert!(error.contains("s.ndjson: line 1 is not a whole JSON document: this looks like one pretty-printed JSON document"), "{error}");
        // Only the first line is taken for the start of a pretty document;
        // a later truncated line is one bad line among good ones.
        let got = lines("[1,\n{\"a\":1}\n{\"b\":\n", 100);
        assert_eq!(got.len(), 1);
        let got = lines("{\"a\":1}\n{\"b\":\n{\"c\":2}\n", 100);
        assert_eq!(got.len(), 3);
    }

    /// What [`sniff`] makes of a text: `Err` with the whole document (or
    /// why it could not be read), `Ok` with a stream's units.
    fn sniffed(text: &[u8], max: u64) -> Result<Vec<(String, String)>, String> {
        let reader = Box::new(std::io::Cursor::new(text.to_vec()));
        match sniff("<stdin>".to_string(), reader, max) {
            Sniffed::Document(text) => Err(text.unwrap_or_else(|e| e.to_string())),
            Sniffed::Stream(lines) => Ok(lines
                .map(|u| (u.origin, u.text.unwrap_or_else(|e| e.to_string())))
                .collect()),
        }
    }

    /// Issue 26, item 4: `collect --resource-graph | check -` said
    /// "trailing characters"; a second JSON value after the first is a stream.
    #[test]
    fn a_second_value_after_the_first_line_s_makes_a_stream() {
        let units = sniffed(b"\xEF\xBB\xBF\n{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}", 100).unwrap();
        assert_eq!(
            units,
            [
                ("<stdin>:2".to_string(), "{\"a\":1}".to_string()),
                ("<stdin>:4".to_string(), "{\"b\":2}".to_string()),
                ("<stdin>:5".to_string(), "{\"c\":3}".to_string()),
            ]
        );
        // A bad second line is a bad line of the stream.
        let units = sniffed(b"{}\nnot json\n", 100).unwrap();
        assert_eq!(units.len(), 2);
    }

    #[test]
    fn one_document_stays_one_document() {
        // One line alone, with blank lines after it.
        assert_eq!(
            sniffed(b"{\"a\":1}\n\n  \n", 100),
            Err("{\"a\":1}\n\n  \n".into())
        );
        // Pretty-printed: its first line is no whole value.
        let pretty = "{\n  \"a\": 1\n}\n{\"b\": 2}\n";
        assert_eq!(sniffed(pretty.as_bytes(), 100), Err(pretty.into()));
        // Two values on one line are not a stream of lines: the document's
        // parse says where the second starts.
        assert_eq!(sniffed(b"{} {}\n{}\n", 100), Err("{} {}\n{}\n".into()));
        // UTF-16, as Windows PowerShell writes it, is decoded as a document.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{}\n{}\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(sniffed(&utf16, 100), Err("{}\n{}\n".into()));
        assert_eq!(sniffed(b"", 100), Err(String::new()));
    }

    #[test]
    fn a_document_is_read_within_the_limit_and_a_stream_line_by_line() {
        let big = format!("{{\n\"a\": \"{}\"}}\n", "x".repeat(200));
        let error = sniffed(big.as_bytes(), 100).unwrap_err();
        assert!(error.contains("larger than the 100-byte limit"), "{error}");
        // Each line of a stream within the limit, not the stream.
        let line = format!("{{\"a\":\"{}\"}}\n", "x".repeat(80));
        let units = sniffed(line.repeat(5).as_bytes(), 100).unwrap();
        assert_eq!(units.len(), 5);
        assert!(units.iter().all(|(_, text)| text.starts_with("{\"a\"")));
    }

    #[test]
    fn invalid_utf8_is_one_bad_line() {
        let mut bytes = b"{}\n".to_vec();
        bytes.extend_from_slice(&[b'{', 0xC3, b'}', b'\n']);
        let out: Vec<bool> = read("s", std::io::Cursor::new(bytes), 100)
            .into_iter()
            .map(|u| u.text.is_ok())
            .collect();
        assert_eq!(out, vec![true, false]);
    }
}
