//! The one JSON writer of every document akspol prints: pretty, and safe to
//! show on a terminal. A document can also be written in parts, as a report
//! streams: a value nested at any depth ([`write_pretty_at`]) and the
//! members of an object or array one at a time ([`Members`]), giving the
//! same bytes as the whole document written at once.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// Pretty JSON, terminal-safe (see [`TerminalSafe`]), with a final newline:
/// every JSON document akspol prints goes through here.
pub fn write_pretty<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes in small pieces (a quote, a key, a comma): a buffer of
    // a known type here makes each of them a copy instead of a dynamic call.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    write_pretty_at(value, 0, &mut buffered)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// One JSON document on one line, terminal-safe like [`write_pretty`], with
/// a final newline: a line of an NDJSON stream.
pub fn write_line<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffered, OneLine);
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// `value` as [`write_pretty`] writes it inside a document, `level` deep: its
/// inner lines indented `level + 1` steps, its closing bracket `level`; no
/// newline after.
pub fn write_pretty_at<T: Serialize + ?Sized, W: Write + ?Sized>(
    value: &T,
    level: usize,
    out: &mut W,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, TerminalSafe::at(level));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// The members of an object (or the elements of an array) written one at a
/// time, `level` deep, as [`write_pretty`] would write the whole of it.
#[derive(Debug)]
pub struct Members {
    level: usize,
    any: bool,
}

impl Members {
    /// Writes the opening `{` (or `[`).
    pub fn open(out: &mut dyn Write, level: usize, bracket: &[u8]) -> io::Result<Self> {
        out.write_all(bracket)?;
        Ok(Self { level, any: false })
    }

    /// The depth of the values inside.
    pub fn inner(&self) -> usize {
        self.level + 1
    }

    /// Starts the next element of an array: the comma and the indent.
    pub fn next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.any { b",\n" } else { b"\n" })?;
        self.any = true;
        indent(out, self.level + 1)
    }

    /// Starts the next member of an object: `"key": `.
    pub fn key(&mut self, out: &mut dyn Write, key: &str) -> io::Result<()> {
        self.next(out)?;
        write_pretty_at(key, self.inner(), &mut *out)?;
        out.write_all(b": ")
    }

    /// Writes `key` and its value.
    pub fn member<T: Serialize + ?Sized>(
        &mut self,
        out: &mut dyn Write,
        key: &str,
        value: &T,
    ) -> io::Result<()> {
        self.key(out, key)?;
        write_pretty_at(value, self.inner(), &mut *out)
    }

    /// Writes the closing `}` (or `]`).
    pub fn close(self, out: &mut dyn Write, bracket: &[u8]) -> io::Result<()> {
        if self.any {
            out.write_all(b"\n")?;
            indent(out, self.level)?;
        }
        out.write_all(bracket)
    }
}

fn indent<W: Write + ?Sized>(out: &mut W, level: usize) -> io::Result<()> {
    for _ in 0..level {
        out.write_all(b"  ")?;
    }
    Ok(())
}

/// serde_json's pretty layout (two spaces a level), starting at any level,
/// that also writes the invisible characters `sanitize` strips (bidi
/// overrides, line separators, zero-width and tag characters) as `\uXXXX`
/// escapes: the same JSON values, but a report shown with `cat` cannot be
/// reordered on screen. (serde_json already escapes C0 controls; DEL and C1
/// are escaped here too.)
struct TerminalSafe {
    level: usize,
    has_value: bool,
}

impl TerminalSafe {
    fn at(level: usize) -> Self {
        Self {
            level,
            has_value: false,
        }
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.level)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.level)
    }
}

/// A string's text with the characters `sanitize` strips written as escapes.
fn write_safe_fragment<W: ?Sized + Write>(writer: &mut W, fragment: &str) -> io::Result<()> {
    // serde_json has escaped C0 already; below DEL nothing else is unsafe.
    if fragment.is_ascii() && !fragment.as_bytes().contains(&0x7F) {
        return writer.write_all(fragment.as_bytes());
    }
    let mut rest = fragment;
    while let Some((at, c)) = rest
        .char_indices()
        .find(|(_, c)| super::sanitize::is_unsafe(*c))
    {
        writer.write_all(rest.get(..at).unwrap_or_default().as_bytes())?;
        // Beyond the Basic Multilingual Plane (tag characters) as a
        // surrogate pair: JSON's `\u` takes four hex digits.
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            write!(writer, "\\u{:04x}", unit)?;
        }
        rest = rest.get(at + c.len_utf8()..).unwrap_or_default();
    }
    writer.write_all(rest.as_bytes())
}

/// serde_json's compact layout, with [`TerminalSafe`]'s escapes.
struct OneLine;

impl Formatter for OneLine {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_safe_fragment(writer, fragment)
    }
}

impl Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_safe_fragment(writer, fragment)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_escaped_and_the_value_kept() {
        let value = "a\u{202E}b\u{200B}c\u{E0041}d";
        let mut out = Vec::new();
        write_pretty(&value, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\"a\\u202eb\\u200bc\\udb40\\udc41d\"\n");
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn a_line_is_serde_jsons_compact_layout_made_safe() {
        let value = serde_json::json!({"a": [1, {"b": "x\u{202E}y"}], "c": null});
        let mut out = Vec::new();
        write_line(&value, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "{\"a\":[1,{\"b\":\"x\\u202ey\"}],\"c\":null}\n");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
    }

    #[test]
    fn the_layout_is_serde_jsons_pretty_one() {
        let value = serde_json::json!({
            "a": [1, {"b": [], "c": {}}, [[]]],
            "d": {"e": null, "f": "g"},
            "h": [],
        });
        let mut ours = Vec::new();
        write_pretty(&value, &mut ours).unwrap();
        let mut theirs = serde_json::to_vec_pretty(&value).unwrap();
        theirs.push(b'\n');
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    #[test]
    fn a_document_written_in_parts_is_the_whole_document() {
        let whole = serde_json::json!({
            "first": 1,
            "list": [{"x": [1, 2]}, {"y": {}}],
            "empty": [],
            "last": {"z": "w"},
        });
        let mut parts: Vec<u8> = Vec::new();
        let mut top = Members::open(&mut parts, 0, b"{").unwrap();
        top.member(&mut parts, "first", &1).unwrap();
        top.key(&mut parts, "list").unwrap();
        let mut list = Members::open(&mut parts, top.inner(), b"[").unwrap();
        for item in whole["list"].as_array().unwrap() {
            list.next(&mut parts).unwrap();
            write_pretty_at(item, list.inner(), &mut parts).unwrap();
        }
        list.close(&mut parts, b"]").unwrap();
        top.key(&mut parts, "empty").unwrap();
        Members::open(&mut parts, top.inner(), b"[")
            .unwrap()
            .close(&mut parts, b"]")
            .unwrap();
        top.member(&mut parts, "last", &whole["last"]).unwrap();
        top.close(&mut parts, b"}").unwrap();
        parts.push(b'\n');
        let mut at_once = Vec::new();
        write_pretty(&whole, &mut at_once).unwrap();
        assert_eq!(
            String::from_utf8(parts).unwrap(),
            String::from_utf8(at_once).unwrap()
        );
    }
}
