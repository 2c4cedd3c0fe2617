//! Text made inert for HTML (and the XML the HTML report also is): control
//! characters replaced as for a terminal, then the five characters markup
//! acts on written as references. Safe in text and in quoted attributes.

use std::borrow::Cow;

use super::sanitize::clean;

/// `text` for an HTML text node or a double- or single-quoted attribute.
pub fn escape(text: &str) -> Cow<'_, str> {
    let text = clean(text);
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("<script>alert('x')</script>&\"\u{1b}[2J"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\u{FFFD}[2J"
        );
        assert!(matches!(escape("prod-east"), Cow::Borrowed(_)));
    }
}
