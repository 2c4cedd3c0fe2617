//! Inventories are untrusted: a name may carry escape sequences that repaint a
//! terminal, newlines that forge CI workflow commands, invisible characters
//! that make two names look alike, or Markdown that turns into a link in a
//! support ticket. Every text taken from an input passes through here before
//! it reaches a terminal or a text report.

use std::borrow::Cow;

/// Replaces control characters (C0, DEL, C1), the bidi controls that can
/// reorder what a reader sees, invisible characters (zero-width spaces and
/// joiners, tag characters) and noncharacters with U+FFFD. Returns the input
/// when clean.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unsafe) {
        Cow::Owned(
            text.chars()
                .map(|c| if is_unsafe(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// Control characters, bidi controls, the line and paragraph separators
/// (which some terminals and viewers treat as a new line), and characters
/// that take no space: zero-width spaces and joiners, the word joiner and
/// invisible operators, the byte-order mark, the soft hyphen, interlinear
/// annotation marks and the tag characters (U+E0000-U+E007F, which can spell
/// hidden text). Also the 66 noncharacters ([`is_noncharacter`]).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || is_noncharacter(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// The noncharacters: U+FDD0-U+FDEF and the last two code points of every
/// plane (U+FFFE, U+FFFF, U+1FFFE, ... U+10FFFF). They are never text: HTML
/// parsers report them as errors, and XML 1.0 does not allow U+FFFE and
/// U+FFFF at all, so one in a name made the HTML page (and a JUnit file)
/// ill-formed.
pub fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{FDD0}'..='\u{FDEF}') || u32::from(c) & 0xFFFE == 0xFFFE
}

/// The most characters a table cell shows of one text. The table library
/// wraps a long word in time quadratic in its length (a 1 MB name took minutes);
/// past this a cell is unreadable anyway, and the JSON report keeps it all.
pub const MAX_CELL_CHARS: usize = 2000;

/// Inventory text for a table cell: [`clean`], and cut after
/// [`MAX_CELL_CHARS`] characters with a note saying how much was left out.
pub fn table_cell(text: &str) -> Cow<'_, str> {
    let text = clean(text);
    match text.char_indices().nth(MAX_CELL_CHARS) {
        None => text,
        Some((cut, _)) => {
            let left_out = text.get(cut..).map_or(0, |rest| rest.chars().count());
            Cow::Owned(format!(
                "{}… [{left_out} more characters: see --format json]",
                text.get(..cut).unwrap_or_default()
            ))
        }
    }
}

/// The most characters of a file's own text a message quotes.
pub const EXCERPT_CHARS: usize = 40;

/// The shortest run of letters mixed with digits that [`excerpt`] hides: as
/// long as a short key or token, longer than any version or name it quotes.
const SECRET_LIKE_CHARS: usize = 16;

/// A short, inert excerpt of text read from a file, for a message saying why
/// the file could not be read: its first line, at most [`EXCERPT_CHARS`]
/// characters of it, [`clean`]ed, with every run of 16 or more letters mixed
/// with digits (what keys, tokens and passwords look like) hidden as `***`.
/// A file under a saved output's name may be anything (a credentials file a
/// link pointed at), and what a message says ends up in CI logs and tickets.
pub fn excerpt(text: &str) -> String {
    // Characters of keys and tokens (base64 and its URL form, GitHub's
    // `ghp_`, Azure's `~`), not of names (`-`) nor versions and hosts (`.`).
    let is_word = |c: char| c.is_alphanumeric() || "_+/=~".contains(c);
    let line = text
        .trim_start()
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end();
    let mut out = String::new();
    let mut shown = 0;
    let mut cut = false;
    let mut chars = line.chars().peekable();
    while shown < EXCERPT_CHARS {
        let Some(c) = chars.next() else {
            break;
        };
        if !is_word(c) {
            out.push(c);
            shown += 1;
            continue;
        }
        // A whole word is judged, even where only its start is shown.
        let mut word = String::from(c);
        let (mut length, mut letters, mut digits) = (1, c.is_alphabetic(), c.is_ascii_digit());
        while let Some(c) = chars.next_if(|c| is_word(*c)) {
            length += 1;
            letters |= c.is_alphabetic();
            digits |= c.is_ascii_digit();
            if word.len() < 4 * EXCERPT_CHARS {
                word.push(c);
            }
        }
        if length >= SECRET_LIKE_CHARS && letters && digits {
            out.push_str("***");
            shown += 3;
        } else {
            let take = EXCERPT_CHARS - shown;
            out.extend(word.chars().take(take));
            shown += length.min(take);
            if length > take {
                cut = true;
                break;
            }
        }
    }
    if cut || chars.peek().is_some() || text.trim().len() > line.trim().len() {
        out.push('…');
    }
    clean(&out).into_owned()
}

/// A message of a JSON parser with the texts it quotes from the file
/// (`invalid type: string "..."`, `` unknown variant `...` ``) cut to an
/// [`excerpt`] each.
pub fn excerpts_in(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    loop {
        let next = [("string \"", '"'), ("`", '`')]
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|at| (at, *open, *close)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, open, close)) = next else {
            out.push_str(rest);
            return out;
        };
        let (head, tail) = rest.split_at(at + open.len());
        out.push_str(head);
        // The closing quote: the first one not escaped by a backslash.
        let mut escaped = false;
        let end = tail.char_indices().find_map(|(i, c)| {
            let found = c == close && !escaped;
            escaped = c == '\\' && !escaped;
            found.then_some(i)
        });
        let Some(end) = end else {
            out.push_str(&excerpt(tail));
            return out;
        };
        let (quoted, after) = tail.split_at(end);
        out.push_str(&excerpt(quoted));
        rest = after.get(close.len_utf8()..).unwrap_or_default();
        out.push(close);
    }
}

/// Whether `text` shows nothing: only whitespace and characters [`clean`] replaces.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_unsafe(c))
}

/// Inventory text made inert for Markdown (a support ticket, a table cell):
/// cleaned, every character Markdown or HTML acts on escaped with a backslash
/// (CommonMark allows one before any ASCII punctuation), and every word that
/// a renderer could turn into a link or a notification (a bare URL, `www.`,
/// an `@mention`, an e-mail address) set in a code span. Backslashes do not
/// stop the autolinking and mentions GitHub applies after rendering; code
/// spans do. A code span never holds whitespace, a backtick or a pipe (a pipe
/// would end a table cell even inside one): those are written outside it.
pub fn markdown(text: &str) -> String {
    let text = clean(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest: &str = &text;
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, tail) = rest.split_at(word_end);
        if would_link(word) {
            code_spans(word, &mut out);
        } else {
            escape(word, &mut out);
        }
        let space_end = tail
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(tail.len());
        let (space, next) = tail.split_at(space_end);
        out.push_str(space);
        rest = next;
    }
    out
}

/// A word GitHub (or another renderer) would link or notify: a scheme
/// (`https://`, `mailto:`), `www.`, or an `@`.
fn would_link(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["://", "www.", "mailto:", "xmpp:", "@"]
        .iter()
        .any(|needle| lower.contains(needle))
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// `word` as code spans, with its backticks and pipes written between them as
/// character references (never a delimiter, never a cell break).
fn code_spans(word: &str, out: &mut String) {
    let mut piece = String::new();
    let flush = |piece: &mut String, out: &mut String| {
        if !piece.is_empty() {
            out.push('`');
            out.push_str(piece);
            out.push('`');
            piece.clear();
        }
    };
    for c in word.chars() {
        match c {
            '`' | '|' => {
                flush(&mut piece, out);
                out.push_str(if c == '`' { "&#96;" } else { "&#124;" });
            }
            _ => piece.push(c),
        }
    }
    flush(&mut piece, out);
}

#[cfg(test)]
mod tests {
    #[test]
    fn excerpts_are_short_and_hide_what_looks_like_a_secret() {
        assert_eq!(excerpt("1.0.24.11029\n"), "1.0.24.11029");
        assert_eq!(
            excerpt("https://ops:ghp_R4nd0mT0kenV4lue1234567@github.com\n"),
            "https://ops:***@github.com"
        );
        // A token the cut would halve is hidden whole.
        assert_eq!(
            excerpt("https://someone-at-contoso:ghp_R4nd0mT0kenV4lue1234567@github.com"),
            "https://someone-at-contoso:***@github.co…"
        );
        let long = "WARNING: the module could not be loaded because it is not signed";
        assert_eq!(excerpt(long), "WARNING: the module could not be loaded …");
        assert_eq!(excerpt("a\u{1b}[2Jb\nsecond line"), "a\u{FFFD}[2Jb…");
        assert_eq!(excerpt("password=hunter2hunter2hunter2"), "***");
        // Names and versions are not secrets.
        assert_eq!(
            excerpt("aksarc-prod-eastus2-cluster-01"),
            "aksarc-prod-eastus2-cluster-01"
        );
        assert_eq!(excerpt("12.2510.1002.94"), "12.2510.1002.94");
        assert_eq!(excerpt(""), "");
    }

    #[test]
    fn parser_messages_quote_excerpts() {
        assert_eq!(
            excerpts_in(
                "invalid type: string \"ghp_R4nd0mT0kenV4lue1234567 and more\", expected u64"
            ),
            "invalid type: string \"*** and more\", expected u64"
        );
        assert_eq!(
            excerpts_in("unknown variant `Linux`, expected one of `Linux`, `Windows`"),
            "unknown variant `Linux`, expected one of `Linux`, `Windows`"
        );
        assert_eq!(
            excerpts_in(r#"invalid value: string "a\"b", expected x"#),
            r#"invalid value: string "a\"b", expected x"#
        );
        assert_eq!(excerpts_in("no quotes"), "no quotes");
        assert_eq!(excerpts_in("cut `open"), "cut `open");
    }

    use super::*;

    #[test]
    fn strips_escapes_and_newlines() {
        assert_eq!(clean("prod\u{1b}[2J\nX"), "prod\u{FFFD}[2J\u{FFFD}X");
        assert_eq!(clean("a\u{9b}b\u{202E}c"), "a\u{FFFD}b\u{FFFD}c");
        assert!(matches!(clean("plain-name"), Cow::Borrowed(_)));
    }

    #[test]
    fn strips_invisible_characters() {
        for invisible in ['\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{E0041}'] {
            let text = format!("prod{invisible}east");
            assert_eq!(clean(&text), "prod\u{FFFD}east", "{invisible:?}");
            assert!(is_blank(&format!(" {invisible} ")), "{invisible:?}");
        }
        assert!(!is_blank(" x "));
        assert_eq!(clean("naïve café"), "naïve café");
    }

    #[test]
    fn replaces_every_noncharacter() {
        let mut found = Vec::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            if is_noncharacter(c) {
                found.push(c);
                assert_eq!(clean(&format!("a{c}b")), "a\u{FFFD}b", "{c:?}");
            }
        }
        // 32 in U+FDD0-U+FDEF, two at the end of each of the 17 planes.
        let ends = (0..=0x10u32).flat_map(|plane| [plane << 16 | 0xFFFE, plane << 16 | 0xFFFF]);
        let expected: Vec<char> = (0xFDD0..=0xFDEF)
            .chain(ends)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(expected.len(), 66);
        assert_eq!(found, expected);
        // Their neighbours are text.
        for c in ['\u{FDCF}', '\u{FDF0}', '\u{FFFD}', '\u{1FFFD}', '\u{20000}'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn table_cells_are_bounded() {
        assert_eq!(table_cell("a\u{1b}b"), "a\u{FFFD}b");
        let long = "é".repeat(MAX_CELL_CHARS + 5);
        let cell = table_cell(&long);
        assert!(cell.starts_with(&"é".repeat(MAX_CELL_CHARS)), "{cell}");
        assert!(
            cell.ends_with("… [5 more characters: see --format json]"),
            "{cell}"
        );
        assert_eq!(
            table_cell(&"x".repeat(MAX_CELL_CHARS)).len(),
            MAX_CELL_CHARS
        );
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(markdown("x\ny"), "x\u{FFFD}y");
        assert_eq!(markdown("prod-east"), "prod-east");
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(
            markdown("![t](https://t.example/p.png)"),
            "`![t](https://t.example/p.png)`"
        );
        assert_eq!(markdown("ping @octocat now"), "ping `@octocat` now");
        assert_eq!(markdown("see www.evil.example"), "see `www.evil.example`");
        assert_eq!(
            markdown("go https://a.example/x|y`z"),
            "go `https://a.example/x`&#124;`y`&#96;`z`"
        );
        assert_eq!(markdown("ops@contoso.example"), "`ops@contoso.example`");
    }
}
