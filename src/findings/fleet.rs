//! The fleet summary: what an operator of hundreds of sites reads first.
//! Counts by verdict, the rules failing most often, and the deployments with
//! the nearest deadlines (computed by `judge::summary`).

use serde::Serialize;

use super::Cite;

/// How many rules and deadlines the summary lists.
pub const TOP: usize = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    pub supported: usize,
    #[serde(rename = "at-risk")]
    pub at_risk: usize,
    pub unsupported: usize,
}

/// A rule and how many inventories it fails or puts at risk (unwaived findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCount {
    pub rule: &'static str,
    pub name: &'static str,
    /// Inventories with at least one `fail` finding of this rule.
    pub fail: usize,
    /// Inventories with a `warn` or `unknown` finding of it (and no `fail`).
    pub at_risk: usize,
    /// Where the editions of those inventories state it, each once (the
    /// HTML page links each).
    #[serde(skip)]
    pub cites: Vec<Cite>,
}

/// A deployment's nearest deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NearestDeadline {
    pub source: String,
    pub deployment: String,
    pub rule: &'static str,
    pub scope: String,
    pub deadline: String,
    /// Days from the as-of date (negative when already past).
    pub days: i64,
    pub estimated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetSummary {
    pub inventories: usize,
    pub verdicts: VerdictCounts,
    /// At most [`TOP`], most failing first.
    pub top_rules: Vec<RuleCount>,
    /// At most [`TOP`] deployments, nearest deadline first.
    pub nearest_deadlines: Vec<NearestDeadline>,
}
