//! What became of each `--waivers` entry in a run.

use serde::Serialize;

/// What became of a waiver in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverState {
    /// Applied to at least one finding.
    Applied,
    /// `expires` is before the as-of date: not applied.
    Expired,
    /// Matches no finding that needs it.
    Unmatched,
}

/// A waiver and its fate, for reports (JSON `waivers`, Markdown) and stderr.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiverNote {
    pub rule: String,
    pub scope: String,
    pub reason: String,
    pub expires: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub state: WaiverState,
    /// How many findings it waived.
    pub matched: usize,
    #[serde(skip)]
    pub at: String,
}

impl WaiverNote {
    /// The warning to print for an expired or unmatched waiver.
    pub fn warning(&self) -> Option<String> {
        let what = format!("waiver for {} {}", self.rule, self.scope);
        match self.state {
            WaiverState::Applied => None,
            WaiverState::Expired => Some(format!(
                "{}: {what} expired on {}: not applied",
                self.at, self.expires
            )),
            WaiverState::Unmatched => Some(format!(
                "{}: {what} matches no finding that is not passing: remove it or fix its rule or scope",
                self.at
            )),
        }
    }
}
