//! Support coverage: for each cluster, what in it Microsoft supports, what it
//! supports on a best-effort basis, and what it does not cover (computed by
//! `judge::coverage` from the inventory).

use super::Cite;

/// One line of coverage, with the policy section it comes from (on the page
/// of the edition the inventory was judged against).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Plain text; inventory names in it are raw (sanitize before printing).
    pub text: String,
    pub section: Cite,
}

impl Item {
    pub fn new(text: impl Into<String>, section: Cite) -> Self {
        Self {
            text: text.into(),
            section,
        }
    }
}

/// The three tiers of one cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterCoverage {
    pub cluster: String,
    pub supported: Vec<Item>,
    pub best_effort: Vec<Item>,
    pub not_covered: Vec<Item>,
    /// Whether anything beyond the AKS-managed defaults is in the cluster:
    /// third-party components, privileged daemon sets, preview features or a
    /// CNI the edition gives no basic installation support.
    pub notable: bool,
}

impl ClusterCoverage {
    /// The three tiers in order, each with its name as a heading says it.
    pub fn tiers(&self) -> [(&'static str, &[Item]); 3] {
        [
            ("Supported by Microsoft", &self.supported),
            ("Best effort", &self.best_effort),
            ("Not covered", &self.not_covered),
        ]
    }
}

/// The coverage of every cluster of an inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub clusters: Vec<ClusterCoverage>,
    /// The policy section the three tiers come from.
    pub section: Cite,
}

impl Coverage {
    /// Whether any cluster has something beyond the defaults to explain.
    pub fn notable(&self) -> bool {
        self.clusters.iter().any(|c| c.notable)
    }
}
