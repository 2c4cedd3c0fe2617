//! The gate's decision as data (computed by `judge::gate`): which findings
//! fail the run and why, so every format can say why the exit status is 1.

use super::{Deadline, RuleInfo, Status};

/// What fails a run: `--fail-on` and `--fail-within`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GateSettings {
    /// The lowest status that fails: `Fail`, or `Warn` (which includes
    /// `unknown`); `None` for `--fail-on never`.
    pub fail_on: Option<Status>,
    /// Fail when a deadline falls within this many days of the as-of date.
    pub fail_within: Option<u32>,
    /// `--fail-on-new`: only findings new or worse than the baseline fail.
    pub only_new: bool,
}

impl GateSettings {
    /// `--fail-on fail`: what `check` does without options.
    pub const DEFAULT: GateSettings = GateSettings {
        fail_on: Some(Status::Fail),
        fail_within: None,
        only_new: false,
    };

    /// Whether `status` is at or above `--fail-on`.
    pub fn status_fails(&self, status: Status) -> bool {
        self.fail_on
            .is_some_and(|threshold| status.severity() >= threshold.severity())
    }

    /// `--fail-on fail`, `--fail-on warn`: the option as the user wrote it;
    /// `--fail-on fail --fail-on-new` when only new and worse findings fail.
    pub fn fail_on_flag(&self) -> String {
        let flag = match self.fail_on {
            Some(Status::Fail) => "--fail-on fail".to_string(),
            Some(status) => format!("--fail-on {}", status.as_str()),
            None => "--fail-on never".to_string(),
        };
        if self.only_new {
            format!("{flag} {FAIL_ON_NEW}")
        } else {
            flag
        }
    }
}

/// The option that gates on new and worse findings only.
pub const FAIL_ON_NEW: &str = "--fail-on-new";

/// Why one finding fails the gate (both may hold).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gating {
    /// Its status is at or above `--fail-on`.
    pub status: bool,
    /// Its deadline falls within `--fail-within` days (or has passed).
    pub deadline: bool,
}

impl Gating {
    pub fn fails(&self) -> bool {
        self.status || self.deadline
    }
}

/// What a cause is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CauseKind {
    /// Findings whose status is at or above `--fail-on`; the worst of them.
    Status(Status),
    /// Findings whose deadline is within `--fail-within`; the nearest of
    /// them, and its days from the as-of date.
    Deadline { nearest: Deadline, days: i64 },
}

/// Where the first finding of a cause is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub deployment: String,
    pub source: String,
    /// Raw: sanitize before printing.
    pub scope: String,
}

/// One reason the run fails: every gating finding of one rule and kind, over
/// every inventory of the run, so a fleet of thousands gives a few lines.
#[derive(Debug, Clone)]
pub struct Cause {
    pub rule: &'static RuleInfo,
    pub kind: CauseKind,
    /// Findings of this rule and kind.
    pub findings: usize,
    /// Inventories with at least one of them.
    pub inventories: usize,
    /// Of the findings, how many are new and how many worse than the
    /// baseline (both 0 without `--baseline`).
    pub new: usize,
    pub worse: usize,
    /// The first of them (the nearest, for a deadline).
    pub example: Example,
}

/// The gate's decision over a run.
#[derive(Debug, Clone, Default)]
pub struct GateResult {
    pub settings: GateSettings,
    /// Status causes first (worst first, then by rule code), then deadline
    /// causes (nearest first). Empty when the run passes.
    pub causes: Vec<Cause>,
}

impl GateResult {
    /// Whether the run fails: its exit status is then 1.
    pub fn fails(&self) -> bool {
        !self.causes.is_empty()
    }
}
