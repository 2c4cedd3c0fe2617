//! The findings model: what rules produce and what reports read. It sits
//! below both, so neither knows the other: a rule returns an [`Outcome`], the
//! engine places it as a [`Finding`], the judge gathers findings into a
//! [`Report`], and every output format renders that report and nothing else.

pub mod baseline;
pub mod coverage;
pub mod evidence;
pub mod fleet;
pub mod gate;
pub mod plan;
pub mod problem;
pub mod report;
pub mod stated;
pub mod waivers;

use serde::{Deserialize, Serialize};

use crate::base::dates::Day;

pub use baseline::{
    BaselineCounts, BaselineFile, BaselineState, BaselineSummary, Compared, Previous, Resolved,
};
pub use coverage::{ClusterCoverage, Coverage};
pub use evidence::{Evidence, Fact};
pub use fleet::{FleetSummary, NearestDeadline, RuleCount, VerdictCounts};
pub use gate::{Cause, CauseKind, Example, GateResult, GateSettings, Gating};
pub use plan::PlanSummary;
pub use problem::FileProblem;
pub use report::{
    AppliedWaiver, CatalogLine, CatalogSummary, InventoryReport, PolicySummary, Report,
    ReportedFinding, Run, Summary, Totals, Verdict, REPORT_VERSION,
};
pub use stated::{EditionText, Editions, StatedRule};
pub use waivers::{WaiverNote, WaiverState};

/// A finding's status, from best to worst for the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Info,
    Warn,
    Fail,
    Unknown,
    Skip,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Info,
        Status::Warn,
        Status::Fail,
        Status::Unknown,
        Status::Skip,
    ];

    /// The order reports list findings in (see [`Status::rank`]).
    pub const WORST_FIRST: [Status; 6] = [
        Status::Fail,
        Status::Unknown,
        Status::Warn,
        Status::Info,
        Status::Pass,
        Status::Skip,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Info => "info",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::Skip => "skip",
        }
    }

    /// Worst first, for the order reports list findings in: fail, unknown,
    /// warn, info, pass, skip (0 is the worst).
    pub fn rank(self) -> u8 {
        match self {
            Status::Fail => 0,
            Status::Unknown => 1,
            Status::Warn => 2,
            Status::Info => 3,
            Status::Pass => 4,
            Status::Skip => 5,
        }
    }

    /// 2 for `fail`, 1 for `warn` and `unknown` (they make a deployment at
    /// risk), 0 otherwise: what `--fail-on` compares against.
    pub fn severity(self) -> u8 {
        match self {
            Status::Fail => 2,
            Status::Warn | Status::Unknown => 1,
            Status::Pass | Status::Info | Status::Skip => 0,
        }
    }
}

/// What a rule declares it judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleScope {
    Deployment,
    Cluster,
    Node,
    DeploymentAndCluster,
}

impl RuleScope {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleScope::Deployment => "deployment",
            RuleScope::Cluster => "cluster",
            RuleScope::Node => "node",
            RuleScope::DeploymentAndCluster => "deployment, cluster",
        }
    }
}

/// What kind of remedy a rule's failure has: its `## How to fix`, in a
/// word. Reports ask it (an upgrade's steps are `akspol plan`'s), and the
/// rule pages show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Move to a newer release or Kubernetes version: the steps `akspol plan` lists.
    Upgrade,
    /// Upgrade or replace node pools (their image, OS SKU or components).
    NodeUpgrade,
    /// Upgrade or move the host platform.
    HostUpgrade,
    /// Start, reconnect or reactivate what was stopped, disconnected or suspended.
    Restore,
    /// Redeploy the deployment.
    Redeploy,
    /// Undo a change made outside the product's tooling, or replace the node.
    Revert,
    /// Change the configuration: feature gates, preview features, the CNI.
    Configuration,
    /// Check the facts: the installed version, the inventory, the catalog.
    Verify,
    /// Nothing is required: the finding informs.
    Nothing,
}

impl Remedy {
    pub const ALL: [Remedy; 9] = [
        Remedy::Upgrade,
        Remedy::NodeUpgrade,
        Remedy::HostUpgrade,
        Remedy::Restore,
        Remedy::Redeploy,
        Remedy::Revert,
        Remedy::Configuration,
        Remedy::Verify,
        Remedy::Nothing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Remedy::Upgrade => "upgrade",
            Remedy::NodeUpgrade => "node-upgrade",
            Remedy::HostUpgrade => "host-upgrade",
            Remedy::Restore => "restore",
            Remedy::Redeploy => "redeploy",
            Remedy::Revert => "revert",
            Remedy::Configuration => "configuration",
            Remedy::Verify => "verify",
            Remedy::Nothing => "nothing",
        }
    }

    /// What it means, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            Remedy::Upgrade => {
                "move to a newer release or Kubernetes version: the steps `akspol plan` lists"
            }
            Remedy::NodeUpgrade => "upgrade or replace the node pools",
            Remedy::HostUpgrade => "upgrade or move the host platform",
            Remedy::Restore => "start, reconnect or reactivate what stopped",
            Remedy::Redeploy => "redeploy",
            Remedy::Revert => {
                "undo the change made outside the product's tooling, or replace the node"
            }
            Remedy::Configuration => "change the configuration",
            Remedy::Verify => "check the installed version, the inventory or the catalog",
            Remedy::Nothing => "nothing is required",
        }
    }
}

/// The 2022 "Support policies for AKS hybrid" page.
pub const POLICY_URL: &str = "https://learn.microsoft.com/azure/aks/hybrid/support-policies";

/// What a rule is, apart from how it checks: its code, name, scope, the
/// policy section it enforces ([`RuleInfo::section`]; each edition cites its
/// own page, see [`Cite`]), what it reads, its remedy and its explanation
/// (the rule file's doc comment).
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub scope: RuleScope,
    /// The worst status it reports (by [`Status::severity`]): SARIF's default level.
    pub worst: Status,
    /// The doc comment, as written (each line keeps rustdoc's leading space).
    pub explanation: &'static str,
    /// The policy parameters the rule judges with (keys of an edition's
    /// `parameters`), for `akspol explain`.
    pub parameters: &'static [&'static str],
    /// The inventory fields it reads, as the inventory schema names them
    /// (`deployment.version`, `clusters[].nodes[].osSku`): a field missing
    /// leaves it without a verdict (`collect` names it under gaps).
    pub needs: &'static [&'static str],
    /// What kind of remedy its failure has.
    pub remedy: Remedy,
    /// Where the edition files say the policy states it (`rules::own_section`):
    /// citations are written there only.
    pub own_section: fn(&str) -> Cite,
}

/// Where a finding's statement is in the policy: the section of the page of
/// the edition it was judged against, and its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cite {
    pub section: &'static str,
    pub url: &'static str,
}

impl std::fmt::Debug for RuleInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

impl RuleInfo {
    /// The section of the policy that states the rule: that of the first
    /// edition that states it (the 2022 page for its rules, the first newer
    /// page for a newer rule), as its edition file gives it.
    pub fn section(&self) -> Cite {
        (self.own_section)(self.code)
    }

    /// The explanation as Markdown, without rustdoc's leading spaces.
    pub fn explanation(&self) -> String {
        let mut text: String = self
            .explanation
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n");
        text.truncate(text.trim_end().len());
        text
    }

    /// The first paragraph of the explanation, on one line.
    pub fn summary(&self) -> String {
        self.explanation()
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A day a finding gets worse; `estimated` when computed from an estimated date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub date: Day,
    pub estimated: bool,
    /// The status the finding has from that day: `warn` or `fail`; for one
    /// already failing, `fail` again (it gets worse within `fail`).
    pub becomes: Status,
    /// What happens that day, in words: "leaves the recommended 30-day window".
    pub what: String,
}

impl Deadline {
    pub fn new(date: Day, estimated: bool, becomes: Status, what: impl Into<String>) -> Self {
        Self {
            date,
            estimated,
            becomes,
            what: what.into(),
        }
    }

    /// `2026-11-30`, or `~2027-01-01` when estimated.
    pub fn date_text(&self) -> String {
        format!("{}{}", if self.estimated { "~" } else { "" }, self.date)
    }
}

/// What a check says about one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub message: String,
    pub deadline: Option<Deadline>,
    pub evidence: Evidence,
    /// The length of a leading fact several rules state in the same words
    /// (V002-V004's days behind), so a table can say it once: the message
    /// starts with it, followed by `; `.
    pub fact_len: usize,
    /// The verdict rests on "no newer release than the catalog knows" (the
    /// latest release, a newer Kubernetes minor): a pass is not vouched for
    /// when the catalog's facts are older than the line's release cadence.
    /// A verdict resting only on facts the catalog has is given whatever
    /// its age.
    pub rests_on_latest: bool,
}

impl Outcome {
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            deadline: None,
            evidence: Evidence::new(),
            fact_len: 0,
            rests_on_latest: false,
        }
    }
    /// Marks the verdict as resting on "no newer release" ([`Self::rests_on_latest`]).
    pub fn resting_on_latest(mut self) -> Self {
        self.rests_on_latest = true;
        self
    }
    pub fn pass(message: impl Into<String>) -> Self {
        Self::new(Status::Pass, message)
    }
    pub fn info(message: impl Into<String>) -> Self {
        Self::new(Status::Info, message)
    }
    pub fn warn(message: impl Into<String>) -> Self {
        Self::new(Status::Warn, message)
    }
    pub fn fail(message: impl Into<String>) -> Self {
        Self::new(Status::Fail, message)
    }
    pub fn unknown(message: impl Into<String>) -> Self {
        Self::new(Status::Unknown, message)
    }
    pub fn skip(message: impl Into<String>) -> Self {
        Self::new(Status::Skip, message)
    }
    /// "not in inventory": the data the rule needs is absent.
    pub fn not_in_inventory(what: &str) -> Self {
        Self::skip(format!("{what}{NOT_IN_INVENTORY}"))
    }
    /// The message is `fact; rest`, where `fact` is stated by other rules too.
    pub fn with_fact(mut self, fact: &str, rest: &str) -> Self {
        self.message = format!("{fact}; {rest}");
        self.fact_len = fact.len();
        self
    }
    /// The shared fact the message starts with, if any.
    pub fn fact(&self) -> Option<&str> {
        (self.fact_len > 0)
            .then(|| self.message.get(..self.fact_len))
            .flatten()
    }
    /// The message without its shared fact.
    pub fn after_fact(&self) -> &str {
        match self.fact() {
            Some(_) => self
                .message
                .get(self.fact_len..)
                .map_or(self.message.as_str(), |rest| rest.trim_start_matches("; ")),
            None => &self.message,
        }
    }
    /// What data is missing, for a skip that says "X not in inventory"
    /// (or "X not in inventory (N nodes)", a cluster's folded node line).
    pub fn missing_data(&self) -> Option<&str> {
        if self.status != Status::Skip {
            return None;
        }
        let message = self.message.as_str();
        let message = match message.rsplit_once(" (") {
            Some((head, tail)) if tail.ends_with(" nodes)") || tail == "1 node)" => head,
            _ => message,
        };
        message.strip_suffix(NOT_IN_INVENTORY)
    }
    pub fn deadline(mut self, deadline: Option<Deadline>) -> Self {
        self.deadline = deadline;
        self
    }
    pub fn with(mut self, key: &'static str, value: impl Into<Fact>) -> Self {
        self.evidence.insert(key, value.into());
        self
    }
}

/// How a skip's message ends when the data is absent.
const NOT_IN_INVENTORY: &str = " not in inventory";

/// Which part of the inventory a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Deployment,
    Cluster(usize),
    Node(usize, usize),
}

impl Scope {
    /// Sort key: deployment first, then each cluster followed by its nodes.
    pub fn order(self) -> (usize, usize) {
        match self {
            Scope::Deployment => (0, 0),
            Scope::Cluster(c) => (c + 1, 0),
            Scope::Node(c, n) => (c + 1, n + 1),
        }
    }
}

/// A cluster or node name as it appears in a scope label: `%` and `/`
/// percent-encoded (`%25`, `%2F`), so that `node/<cluster>/<node>` has exactly
/// one reading. Cluster `a/b` with node `c` is `node/a%2Fb/c`, cluster `a`
/// with node `b/c` is `node/a/b%2Fc`: a waiver or a SARIF fingerprint can
/// no longer name both.
pub fn scope_name(name: &str) -> std::borrow::Cow<'_, str> {
    if name.contains(['%', '/']) {
        std::borrow::Cow::Owned(name.replace('%', "%25").replace('/', "%2F"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// A scope as reports write it: `deployment`, `cluster/<name>` or
/// `node/<cluster>/<node>`, each name escaped by [`scope_name`] (raw text
/// otherwise: sanitize before printing). Written when a report needs it,
/// from the names the inventory's report keeps once ([`ScopeNames`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeLabel<'a> {
    Deployment,
    Cluster(&'a str),
    Node(&'a str, &'a str),
}

impl std::fmt::Display for ScopeLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScopeLabel::Deployment => f.write_str("deployment"),
            ScopeLabel::Cluster(cluster) => write!(f, "cluster/{}", scope_name(cluster)),
            ScopeLabel::Node(cluster, node) => {
                write!(f, "node/{}/{}", scope_name(cluster), scope_name(node))
            }
        }
    }
}

/// The names of an inventory's clusters and of each one's nodes, in
/// inventory order: what its findings' scope labels are made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeNames {
    pub clusters: Vec<ClusterNames>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterNames {
    pub name: String,
    pub nodes: Vec<String>,
}

impl ScopeNames {
    /// The label of `scope` (`?` for an index it does not have).
    pub fn label(&self, scope: Scope) -> ScopeLabel<'_> {
        let cluster = |c: usize| self.clusters.get(c);
        match scope {
            Scope::Deployment => ScopeLabel::Deployment,
            Scope::Cluster(c) => ScopeLabel::Cluster(cluster(c).map_or("?", |c| c.name.as_str())),
            Scope::Node(c, n) => ScopeLabel::Node(
                cluster(c).map_or("?", |c| c.name.as_str()),
                cluster(c)
                    .and_then(|c| c.nodes.get(n))
                    .map_or("?", String::as_str),
            ),
        }
    }
}

/// A finding: an outcome, placed.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleInfo,
    /// Where: indexes into the inventory's clusters and nodes (its label is
    /// written from their names when a report needs it).
    pub scope: Scope,
    pub outcome: Outcome,
    /// What it cites: its edition's section.
    pub cite: Cite,
}
