//! What collect found, could not read, and could not know, as the lines it
//! prints on standard error.

use crate::collect::written::{Gap, SourceStatus};

/// What collect found, could not read, and could not know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The deployment in one line, once it is known.
    pub headline: Option<String>,
    pub sources: Vec<SourceLine>,
    /// Fields of the outputs left out, with their place in the file.
    pub problems: Vec<String>,
    pub conflicts: Vec<String>,
    pub gaps: Vec<Gap>,
    pub notes: Vec<String>,
    /// The account of a folder's files: a title with the counts, and a
    /// line per file (what it was read as, or why it was not).
    pub files: Option<(String, Vec<String>)>,
    /// What the verdict of the inventory made cannot show, to be said
    /// wherever it is judged: a deployment with no cluster while its
    /// outputs name some, or files that hold clusters were not read.
    pub warnings: Vec<String>,
}

/// One source, as the summary lists it: every output given, and those the
/// others call for that were not (missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub name: String,
    /// Ok, unavailable or missing; found when no inventory could be made.
    pub state: SourceStatus,
    /// What it gave, or why it gave nothing.
    pub detail: String,
}

impl Summary {
    /// The summary as lines for standard error.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(headline) = &self.headline {
            out.push(format!("collect: {headline}"));
        }
        if !self.sources.is_empty() {
            out.push("sources:".to_string());
            let width = self.sources.iter().map(|s| s.name.len()).max().unwrap_or(0);
            for s in &self.sources {
                out.push(format!(
                    "  {:<11}  {:<width$}  {}",
                    s.state, s.name, s.detail
                ));
            }
        }
        let mut section = |title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                out.push(title.to_string());
                out.extend(lines.into_iter().map(|l| format!("  {l}")));
            }
        };
        if let Some((title, files)) = &self.files {
            section(title, files.clone());
        }
        section(
            "conflicts (the control plane's own report is kept):",
            self.conflicts.clone(),
        );
        section("problems in the outputs (left out):", self.problems.clone());
        section(
            "gaps (not known, so the rules that need them skip):",
            self.gaps.iter().map(Gap::line).collect(),
        );
        section("notes:", self.notes.clone());
        out.extend(self.warnings.iter().map(|w| format!("warning: {w}")));
        out
    }
}
