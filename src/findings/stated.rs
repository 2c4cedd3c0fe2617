//! Each policy edition's own words for the rules it states, so that a
//! finding's explanation and links are those of the edition it was judged
//! against: an Azure Local finding cites the Azure Local page and reads as
//! that page puts it, not as the 2022 page did.
//!
//! A rule's explanation (its doc comment) is written once for every
//! edition. Where the editions differ, a paragraph begins with the editions
//! it is for, `[h22, ws25] Calico and Flannel ...`: under another edition it
//! is left out, and under its own the tag is dropped. Under an edition, the
//! `## Policy` section is that edition's section and the words the rule
//! rests on.

use std::sync::Arc;

use super::{Cite, RuleInfo};

/// A rule as one edition states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedRule {
    pub code: &'static str,
    /// Its section on the edition's page (or a page it links to), and the URL.
    pub cite: Cite,
    /// The edition's words the rule rests on.
    pub statement: &'static str,
    /// The rule's explanation as this edition puts it (Markdown): what
    /// `akspol explain CODE --policy-edition ID` prints.
    pub explanation: String,
}

/// A policy edition as the reports need it: its page and its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionText {
    /// `h22`, `ws25`, `al25`.
    pub id: &'static str,
    pub title: &'static str,
    pub url: &'static str,
    /// The rules it states, in code order.
    pub rules: Vec<StatedRule>,
}

impl EditionText {
    pub fn rule(&self, code: &str) -> Option<&StatedRule> {
        self.rules.iter().find(|r| r.code == code)
    }
}

/// Every edition akspol knows, shared by every report of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editions(Arc<Vec<EditionText>>);

impl Editions {
    pub fn new(editions: Vec<EditionText>) -> Self {
        Self(Arc::new(editions))
    }

    pub fn get(&self, id: &str) -> Option<&EditionText> {
        self.0.iter().find(|e| e.id == id)
    }

    /// The rule `code` as the edition `id` states it.
    pub fn stated(&self, id: &str, code: &str) -> Option<&StatedRule> {
        self.get(id).and_then(|e| e.rule(code))
    }

    pub fn iter(&self) -> impl Iterator<Item = &EditionText> {
        self.0.iter()
    }
}

/// The editions a tagged paragraph is for: `[h22, ws25] text` gives
/// `(["h22", "ws25"], "text")`; `None` for an untagged line.
pub fn paragraph_tag(line: &str) -> Option<(Vec<&str>, &str)> {
    let rest = line.trim_start().strip_prefix('[')?;
    let (inside, text) = rest.split_once(']')?;
    let ids: Vec<&str> = inside.split(',').map(str::trim).collect();
    let well_formed = ids.iter().all(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    well_formed.then(|| (ids, text.trim_start()))
}

impl RuleInfo {
    /// The explanation as the edition `id` puts it: the paragraphs tagged
    /// for other editions left out, the tags of its own dropped, and the
    /// `## Policy` section replaced by `section` and `statement` (the
    /// edition's section and the words the rule rests on).
    pub fn explanation_under(&self, id: &str, section: &str, statement: &str) -> String {
        let explanation = self.explanation();
        let mut sections: Vec<String> = Vec::new();
        for (heading, paragraphs) in sections_of(&explanation) {
            let body: Vec<String> = if heading == Some("Policy") {
                vec![policy_sentence(section, statement)]
            } else {
                paragraphs
                    .into_iter()
                    .filter_map(|lines| {
                        let first = lines.first()?;
                        match paragraph_tag(first) {
                            Some((ids, _)) if !ids.contains(&id) => None,
                            Some((_, text)) => {
                                let mut kept = vec![text];
                                kept.extend(lines.iter().skip(1));
                                Some(kept.join("\n"))
                            }
                            None => Some(lines.join("\n")),
                        }
                    })
                    .collect()
            };
            let body = body.join("\n\n");
            sections.push(match heading {
                Some(heading) => format!("## {heading}\n{body}"),
                None => body,
            });
        }
        sections.join("\n\n")
    }
}

/// The explanation's sections (the summary before the first heading has
/// none), each a list of paragraphs, each a list of lines.
fn sections_of(explanation: &str) -> Vec<(Option<&str>, Vec<Vec<&str>>)> {
    let mut sections: Vec<(Option<&str>, Vec<Vec<&str>>)> = vec![(None, Vec::new())];
    let mut paragraph: Vec<&str> = Vec::new();
    for line in explanation.lines() {
        let heading = line.strip_prefix("## ");
        if line.trim().is_empty() || heading.is_some() {
            if let Some((_, paragraphs)) = sections.last_mut() {
                if !paragraph.is_empty() {
                    paragraphs.push(std::mem::take(&mut paragraph));
                }
            }
            if heading.is_some() {
                sections.push((heading, Vec::new()));
            }
        } else {
            paragraph.push(line);
        }
    }
    if let Some((_, paragraphs)) = sections.last_mut() {
        if !paragraph.is_empty() {
            paragraphs.push(paragraph);
        }
    }
    sections.retain(|(heading, paragraphs)| heading.is_some() || !paragraphs.is_empty());
    sections
}

/// `AKS Arc support coverage: "Basic installation support for Calico CNI"
/// (Flannel dropped).`
fn policy_sentence(section: &str, statement: &str) -> String {
    let statement = statement.trim();
    let end = if statement.ends_with(['.', '!', '?']) {
        ""
    } else {
        "."
    };
    if statement.is_empty() {
        format!("{section}.")
    } else {
        format!("{section}: {statement}{end}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_editions() {
        assert_eq!(
            paragraph_tag("[h22, ws25] Calico and Flannel."),
            Some((vec!["h22", "ws25"], "Calico and Flannel."))
        );
        assert_eq!(
            paragraph_tag("[al25]Calico."),
            Some((vec!["al25"], "Calico."))
        );
        assert_eq!(paragraph_tag("[`a`] text"), None);
        assert_eq!(paragraph_tag("plain [h22] text"), None);
    }
}
