//! A run compared with a baseline (`--baseline REPORT.json`, a previous
//! `--format json` report), as `judge::baseline` works it out: each finding
//! that is not `pass` or `skip` is new, unchanged, worse or better than it
//! was; what the baseline had and this run no longer has is resolved.

use serde::Serialize;

use super::Status;
use crate::base::dates::Day;

/// How a finding compares with the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline, or passing or skipped there.
    New,
    /// The same status, and its deadline no closer.
    Unchanged,
    /// A worse status, or a deadline that moved closer (or appeared).
    Worse,
    /// A better status that still needs attention, or a deadline that moved
    /// later (or went away) before it came.
    Better,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
            BaselineState::Worse => "worse",
            BaselineState::Better => "better",
        }
    }

    /// What `--fail-on-new` gates on.
    pub fn is_new_or_worse(self) -> bool {
        matches!(self, BaselineState::New | BaselineState::Worse)
    }
}

/// What the baseline said of a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    pub status: Status,
    pub deadline: Option<Day>,
}

/// A finding's comparison: its state, and what it was (`None` when new).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    pub state: BaselineState,
    pub was: Option<Previous>,
}

/// A finding of the baseline this run no longer reports (or reports as
/// passing or skipped). Texts come from the baseline file: raw, sanitize
/// before printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub rule: String,
    pub name: String,
    pub scope: String,
    pub was: Previous,
    pub message: String,
    /// What it is now: `pass`, `skip`, or `None` when no finding has its
    /// rule and scope any more (a cluster or node that is gone).
    pub now: Option<Status>,
}

impl Resolved {
    /// `now pass`, `now skip`, `no longer reported`.
    pub fn now_text(&self) -> String {
        match self.now {
            Some(status) => format!("now {}", status.as_str()),
            None => "no longer reported".to_string(),
        }
    }
}

/// Findings of this run by their comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BaselineCounts {
    pub new: usize,
    pub unchanged: usize,
    pub worse: usize,
    pub better: usize,
    pub resolved: usize,
}

impl BaselineCounts {
    pub fn add(&mut self, state: BaselineState) {
        match state {
            BaselineState::New => self.new += 1,
            BaselineState::Unchanged => self.unchanged += 1,
            BaselineState::Worse => self.worse += 1,
            BaselineState::Better => self.better += 1,
        }
    }
}

/// An inventory of the baseline that this run did not judge: its findings
/// are not compared (they are neither resolved nor new).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotInRun {
    pub deployment: String,
    pub source: String,
    /// Its findings that were not `pass` or `skip`.
    pub findings: usize,
}

/// The baseline a run is compared with, known before anything is judged.
/// A baseline is trusted as it is (a forged one can hide what got worse), so
/// every report names it, with its date and its digest, for a reviewer to
/// see which file was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineFile {
    /// The baseline file, as given.
    pub source: String,
    /// The baseline's `asOf`.
    pub as_of: Day,
    /// SHA-256 of the file's bytes, in lowercase hex (what `sha256sum` prints).
    pub sha256: String,
}

/// The comparison of a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineSummary {
    /// The baseline file, as given.
    pub source: String,
    /// The baseline's `asOf`, as written there.
    pub as_of: String,
    /// SHA-256 of the baseline file's bytes, in lowercase hex.
    pub sha256: String,
    pub counts: BaselineCounts,
    /// Baseline inventories this run did not judge, in baseline order.
    pub not_in_run: Vec<NotInRun>,
}
