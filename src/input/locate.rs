//! Where things are in a JSON text: the line and column of a JSON path, and
//! the lines of the deployment, cluster and node objects of an inventory.

use super::Seg;

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
}

fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    LineCursor::new(bytes).line_col(offset)
}

/// Lines and columns of offsets asked for in increasing order, counted in one
/// pass: each call scans only the bytes since the previous one, so locating
/// every node of a 50,000-node inventory on a single line is linear, not
/// quadratic. (An earlier offset starts the count again from the top.)
pub(crate) struct LineCursor<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
    /// Characters since the start of the line, at `offset`.
    column: usize,
}

impl<'a> LineCursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
            column: 0,
        }
    }

    /// The 1-based line and column (in characters) of `offset`.
    pub(crate) fn line_col(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.offset {
            *self = Self::new(self.bytes);
        }
        let end = offset.min(self.bytes.len());
        for &b in self.bytes.get(self.offset..end).unwrap_or_default() {
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a character starts here.
                self.column += 1;
            }
        }
        self.offset = end.max(self.offset);
        (self.line, self.column + 1)
    }
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
    // Only the offset of the deepest step found is turned into a line.
    let mut found = scanner.pos;
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
            Seg::Key(_) => scanner.key_pos,
            Seg::Index(_) => scanner.pos,
        };
    }
    Some(line_col(scanner.bytes, found))
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
        // The deployment, then each cluster followed by its nodes: offsets in
        // increasing order, so one cursor counts the lines of them all.
        let mut cursor = LineCursor::new(bytes);
        let mut s = Scanner {
            bytes,
            pos: 0,
            key_pos: 0,
        };
        if s.enter_key("deployment").is_some() {
            s.skip_ws();
            lines.deployment = LineCursor::new(bytes).line_col(s.pos).0;
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
            lines.clusters.push(cursor.line_col(cluster_start).0);
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
                    node_lines.push(cursor.line_col(inner.pos).0);
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

/// The line and column of each element of the document's top-level array (a
/// waiver file), in one pass. Empty when the document is not an array.
pub fn array_elements(text: &str) -> Vec<(usize, usize)> {
    let mut s = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        key_pos: 0,
    };
    let mut cursor = LineCursor::new(text.as_bytes());
    let mut out = Vec::new();
    if !s.eat(b'[') {
        return out;
    }
    loop {
        s.skip_ws();
        if matches!(s.peek(), None | Some(b']')) {
            return out;
        }
        out.push(cursor.line_col(s.pos));
        if s.skip_value().is_none() || !s.eat(b',') {
            return out;
        }
    }
}
