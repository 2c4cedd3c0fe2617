//! The rules' explanations: each rule's doc comment (what `akspol explain`
//! prints, Markdown) as HTML, worked out once per run and folded under
//! every finding of the rule.

use std::collections::HashMap;

use crate::base::html::escape as esc;
use crate::findings::{RuleInfo, Run};

/// What the page works out once per run: each rule's explanation as HTML.
#[derive(Debug)]
pub(super) struct Prepared {
    explanations: HashMap<&'static str, String>,
}

impl Prepared {
    pub(super) fn new(run: &Run) -> Self {
        Self {
            explanations: run
                .rules
                .iter()
                .map(|rule| (rule.code, explanation(rule)))
                .collect(),
        }
    }

    /// The explanation of the rule `code`, as HTML (empty for a rule the run
    /// does not know).
    pub(super) fn explanation(&self, code: &str) -> &str {
        self.explanations.get(code).map_or("", String::as_str)
    }
}

/// A rule's explanation (its doc comment, Markdown) as HTML: `##` headings,
/// paragraphs, `- ` lists and code spans; all text escaped.
fn explanation(rule: &RuleInfo) -> String {
    let mut html = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let flush = |html: &mut String, paragraph: &mut Vec<String>, list: &mut Vec<String>| {
        if !paragraph.is_empty() {
            html.push_str(&format!("<p>{}</p>", paragraph.join(" ")));
            paragraph.clear();
        }
        if !list.is_empty() {
            let items: String = list.iter().map(|i| format!("<li>{i}</li>")).collect();
            html.push_str(&format!("<ul>{items}</ul>"));
            list.clear();
        }
    };
    for line in rule.explanation().lines() {
        let line = line.trim();
        if let Some(heading) = line.strip_prefix("## ") {
            flush(&mut html, &mut paragraph, &mut list);
            html.push_str(&format!("<h4>{}</h4>", inline(heading)));
        } else if line.is_empty() {
            flush(&mut html, &mut paragraph, &mut list);
        } else if let Some(item) = line.strip_prefix("- ") {
            if !paragraph.is_empty() {
                flush(&mut html, &mut paragraph, &mut list);
            }
            list.push(inline(item));
        } else if !list.is_empty() && paragraph.is_empty() {
            // A list item's continuation line.
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(&inline(line));
            }
        } else {
            paragraph.push(inline(line));
        }
    }
    flush(&mut html, &mut paragraph, &mut list);
    html
}

/// Escaped text with `code spans`.
fn inline(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part).into_owned()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_become_headings_paragraphs_and_code() {
        let rule = crate::rules::RULES
            .iter()
            .find(|r| r.code == "S001")
            .map(|r| &r.info)
            .unwrap();
        let html = explanation(rule);
        assert!(
            html.starts_with("<h4>What it checks</h4><p>How long"),
            "{html}"
        );
        assert!(html.contains("<code>stoppedSince</code>"));
        assert!(!html.contains('`'));
    }
}
