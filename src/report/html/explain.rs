//! The rules' explanations: each rule as each policy edition states it
//! (what `akspol explain CODE --policy-edition ID` prints, Markdown) as
//! HTML, worked out once per run and folded under every finding of the
//! rule judged under that edition.

use std::collections::HashMap;

use crate::base::html::escape as esc;
use crate::findings::Run;

/// What the page works out once per run: each rule's explanation as HTML,
/// per edition, and as written for a rule an edition does not state.
#[derive(Debug)]
pub(super) struct Prepared {
    /// By edition, then rule code.
    stated: HashMap<&'static str, HashMap<&'static str, String>>,
    /// By rule code.
    written: HashMap<&'static str, String>,
}

impl Prepared {
    pub(super) fn new(run: &Run) -> Self {
        Self {
            stated: run
                .editions
                .iter()
                .map(|edition| {
                    let rules = edition
                        .rules
                        .iter()
                        .map(|rule| (rule.code, html(&rule.explanation)))
                        .collect();
                    (edition.id, rules)
                })
                .collect(),
            written: run
                .rules
                .iter()
                .map(|rule| (rule.code, html(&rule.explanation())))
                .collect(),
        }
    }

    /// The explanation of the rule `code` as the edition `edition` states
    /// it, as HTML (as written when the edition does not state it; empty
    /// for a rule the run does not know).
    pub(super) fn explanation(&self, edition: &str, code: &str) -> &str {
        self.stated
            .get(edition)
            .and_then(|rules| rules.get(code))
            .or_else(|| self.written.get(code))
            .map_or("", String::as_str)
    }
}

/// A rule's explanation (Markdown) as HTML: `##` headings, paragraphs,
/// `- ` lists and code spans; all text escaped.
fn html(explanation: &str) -> String {
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
    for line in explanation.lines() {
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
        let html = html(&rule.explanation());
        assert!(
            html.starts_with("<p>A cluster stopped too long leaves support")
                && html.contains("</p><h4>What it checks</h4><p>How long"),
            "{html}"
        );
        assert!(html.contains("<code>stoppedSince</code>"));
        assert!(!html.contains('`'));
    }
}
