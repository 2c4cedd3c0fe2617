//! Fitting text to a width: greedy word wrapping on spaces, measured in
//! terminal columns. A word is split only when it is longer than a whole
//! line, so identifiers and dates stay in one piece whenever they fit. One
//! pass over the text: a 1 MB word costs as much as a 1 MB sentence.

use unicode_width::UnicodeWidthChar;

/// The columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` in lines of at most `width` columns (at least one column), split at
/// spaces; runs of spaces collapse at line breaks. Empty text gives one empty line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_words(text, width, LongWords::Cut)
}

/// What [`wrap`] does with a word longer than a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongWords {
    /// Cut it, column by column: inventory text of any length.
    Cut,
    /// Keep it whole on a line of its own, longer than the others: a URL
    /// cut in two is no link.
    Keep,
}

/// [`wrap`], with a choice of what becomes of a word longer than a line.
pub fn wrap_words(text: &str, width: usize, long: LongWords) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0usize;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_width = self::width(word);
        if line_width > 0 && line_width + 1 + word_width <= width {
            line.push(' ');
            line.push_str(word);
            line_width += 1 + word_width;
            continue;
        }
        if line_width > 0 {
            lines.push(std::mem::take(&mut line));
            line_width = 0;
        }
        if word_width <= width || long == LongWords::Keep {
            line.push_str(word);
            line_width = word_width;
            continue;
        }
        // Longer than a line: cut it, column by column.
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if line_width + w > width && line_width > 0 {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `parts` joined by `separator`, as many to a line as fit in `width`; a part
/// longer than a line is wrapped on its own.
pub fn pack(parts: &[String], separator: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0usize;
    let separator_width = self::width(separator);
    for part in parts {
        let part_width = self::width(part);
        if line_width > 0 && line_width + separator_width + part_width <= width {
            line.push_str(separator);
            line.push_str(part);
            line_width += separator_width + part_width;
            continue;
        }
        if line_width > 0 {
            lines.push(std::mem::take(&mut line));
            line_width = 0;
        }
        if part_width <= width {
            line.push_str(part);
            line_width = part_width;
        } else {
            let mut wrapped = wrap(part, width);
            if let Some(last) = wrapped.pop() {
                lines.extend(wrapped);
                line_width = self::width(&last);
                line = last;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `items` as a list (`a, b, c`), broken between items where it can be
/// (`stoppedUpdateDays = 90` stays whole), with `first` before its first
/// line and `rest` before the others; an item longer than a line wraps.
pub fn hanging_list(items: &[String], first: &str, rest: &str, width: usize) -> Vec<String> {
    let last = items.len().saturating_sub(1);
    let items: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if i < last {
                format!("{item},")
            } else {
                item.clone()
            }
        })
        .collect();
    let indent = self::width(first).max(self::width(rest));
    pack(&items, " ", width.saturating_sub(indent).max(1))
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { first } else { rest }))
        .collect()
}

/// `text` wrapped to `width` with `first` before its first line and `rest`
/// (usually spaces of the same width) before the others.
pub fn hanging(text: &str, first: &str, rest: &str, width: usize) -> Vec<String> {
    hanging_words(text, first, rest, width, LongWords::Cut)
}

/// [`hanging`], with a choice of what becomes of a word longer than a line.
pub fn hanging_words(
    text: &str,
    first: &str,
    rest: &str,
    width: usize,
    long: LongWords,
) -> Vec<String> {
    let indent = self::width(first).max(self::width(rest));
    wrap_words(text, width.saturating_sub(indent), long)
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { first } else { rest }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_keeps_tokens_whole() {
        assert_eq!(
            wrap("came out on ~2025-02-26; more than 60", 16),
            ["came out on", "~2025-02-26;", "more than 60"]
        );
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a abcdefghij b", 4), ["a", "abcd", "efgh", "ij b"]);
    }

    #[test]
    fn keeps_a_long_word_whole_when_asked() {
        let url = "https://learn.microsoft.com/azure/aks/hybrid/support-policies";
        assert_eq!(
            wrap_words(
                &format!("policy: Support {url} (2022)"),
                20,
                LongWords::Keep
            ),
            ["policy: Support", url, "(2022)"]
        );
        assert_eq!(
            hanging_words(&format!("see {url}"), "- ", "  ", 20, LongWords::Keep),
            ["- see".to_string(), format!("  {url}")]
        );
    }

    #[test]
    fn measures_columns_not_bytes() {
        assert_eq!(width("größe"), 5);
        assert_eq!(wrap("日本語 日本", 6), ["日本語", "日本"]);
    }

    #[test]
    fn packs_parts_and_hangs_indents() {
        let parts = [
            "release 1.0".to_string(),
            "host X".into(),
            "as of 2026".into(),
        ];
        assert_eq!(
            pack(&parts, " · ", 20),
            ["release 1.0 · host X", "as of 2026"]
        );
        assert_eq!(hanging("a b c d", "- ", "  ", 5), ["- a b", "  c d"]);
    }

    #[test]
    fn breaks_a_list_between_items() {
        let items = ["a = 1".to_string(), "bb = 2".into(), "c = 3".into()];
        assert_eq!(
            hanging_list(&items, "- ", "  ", 12),
            ["- a = 1,", "  bb = 2,", "  c = 3"]
        );
        // Where plain wrapping would cut an item at its spaces.
        assert_eq!(
            wrap("a = 1, bb = 2, c = 3", 10),
            ["a = 1, bb", "= 2, c = 3"]
        );
        assert_eq!(hanging_list(&[], "- ", "  ", 14), Vec::<String>::new());
    }

    #[test]
    fn a_long_word_costs_linear_time() {
        let word = "x".repeat(1_000_000);
        let lines = wrap(&word, 80);
        assert_eq!(lines.len(), 12_500);
    }
}
