//! Inventories are untrusted: a name may carry escape sequences that repaint a
//! terminal or newlines that forge CI workflow commands. Every text taken from
//! an input passes through here before it reaches a terminal or a text report.

use std::borrow::Cow;

/// Replaces control characters (C0, DEL, C1, and the bidi overrides that can
/// reorder what a reader sees) with U+FFFD. Returns the input when clean.
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

/// Control characters, bidi controls, and the line and paragraph separators
/// (which some terminals and viewers treat as a new line).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_newlines() {
        assert_eq!(clean("prod\u{1b}[2J\nX"), "prod\u{FFFD}[2J\u{FFFD}X");
        assert_eq!(clean("a\u{9b}b\u{202E}c"), "a\u{FFFD}b\u{FFFD}c");
        assert!(matches!(clean("plain-name"), Cow::Borrowed(_)));
    }
}
