//! A `check` run's results: per inventory, its facts, findings, counts and
//! verdict; for the run, the catalog, the waivers' fate and the fleet summary.

use serde::Serialize;

use super::{
    BaselineSummary, Compared, Coverage, Finding, FleetSummary, GateResult, Gating, PlanSummary,
    Resolved, RuleInfo, Status, WaiverNote,
};
use crate::base::dates::Day;

/// The verdict of an inventory (`rules.md`, "Statuses and verdicts").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Supported,
    AtRisk,
    Unsupported,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::AtRisk => "at-risk",
            Verdict::Unsupported => "unsupported",
        }
    }
}

/// A waiver that applies to a finding (see `--waivers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedWaiver {
    pub reason: String,
    pub expires: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A finding as reported: the rule's outcome, and the waiver that accepts it.
#[derive(Debug, Clone)]
pub struct ReportedFinding {
    pub finding: Finding,
    pub waiver: Option<AppliedWaiver>,
    /// The 1-based line of the JSON object the finding concerns (the node, its
    /// cluster, or the deployment), for formats that point into the file;
    /// `None` when the lines were not scanned.
    pub line: Option<usize>,
    /// Why it fails the gate, if it does (set by `judge::gate`).
    pub gate: Gating,
    /// How it compares with `--baseline` (set by `judge::baseline`); `None`
    /// without a baseline, and for `pass` and `skip` findings.
    pub baseline: Option<Compared>,
}

impl ReportedFinding {
    /// A finding not waived, with no line.
    pub fn new(finding: Finding) -> Self {
        Self {
            finding,
            waiver: None,
            line: None,
            gate: Gating::default(),
            baseline: None,
        }
    }

    /// The status that counts towards the verdict: none when waived.
    pub fn counted_status(&self) -> Option<Status> {
        self.waiver.is_none().then_some(self.finding.outcome.status)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub info: usize,
    pub warn: usize,
    pub fail: usize,
    pub unknown: usize,
    pub skip: usize,
    pub waived: usize,
}

impl Summary {
    pub fn of(findings: &[ReportedFinding]) -> Self {
        let mut s = Summary::default();
        for f in findings {
            let slot = match f.counted_status() {
                None => &mut s.waived,
                Some(Status::Pass) => &mut s.pass,
                Some(Status::Info) => &mut s.info,
                Some(Status::Warn) => &mut s.warn,
                Some(Status::Fail) => &mut s.fail,
                Some(Status::Unknown) => &mut s.unknown,
                Some(Status::Skip) => &mut s.skip,
            };
            *slot += 1;
        }
        s
    }

    pub fn verdict(&self) -> Verdict {
        if self.fail > 0 {
            Verdict::Unsupported
        } else if self.warn > 0 || self.unknown > 0 {
            Verdict::AtRisk
        } else {
            Verdict::Supported
        }
    }
}

/// Facts about the deployment that reports show beside the findings.
#[derive(Debug, Clone)]
pub struct InventoryReport {
    pub source: String,
    pub deployment: String,
    pub installed: String,
    /// `AzureStackHCI 23H2`, `WindowsServer 2022 Datacenter`.
    pub platform: Option<String>,
    /// How many clusters the inventory lists.
    pub clusters: usize,
    pub findings: Vec<ReportedFinding>,
    pub summary: Summary,
    pub verdict: Verdict,
    /// What support covers in each cluster, for the formats that show it.
    pub coverage: Option<Coverage>,
    /// The upgrade plan, for the formats that show it (HTML, Markdown).
    pub plan: Option<PlanSummary>,
    /// The baseline's findings this run no longer reports (`--baseline`).
    pub resolved: Vec<Resolved>,
}

impl InventoryReport {
    /// The report of one inventory; its counts and verdict follow from `findings`.
    pub fn new(
        source: String,
        deployment: String,
        installed: String,
        platform: Option<String>,
        clusters: usize,
        findings: Vec<ReportedFinding>,
        coverage: Option<Coverage>,
    ) -> Self {
        let summary = Summary::of(&findings);
        Self {
            source,
            deployment,
            installed,
            platform,
            clusters,
            verdict: summary.verdict(),
            summary,
            findings,
            coverage,
            plan: None,
            resolved: Vec::new(),
        }
    }

    /// Counts and verdict again, after waivers changed what counts.
    pub fn recount(&mut self) {
        self.summary = Summary::of(&self.findings);
        self.verdict = self.summary.verdict();
    }

    /// Whether the inventory was read from standard input.
    pub fn from_stdin(&self) -> bool {
        self.source == crate::base::STDIN_ORIGIN
    }
}

/// The catalog a run judged against.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogSummary {
    pub source: String,
    pub releases: usize,
    pub latest: Option<String>,
    pub latest_released: Option<String>,
    pub generated: String,
}

/// The version of the JSON report (`--format json`) this model is written
/// as, and the only one `--baseline` reads.
pub const REPORT_VERSION: u32 = 1;

/// Everything a `check` run found.
#[derive(Debug, Clone)]
pub struct Report {
    pub as_of: Day,
    pub catalog: CatalogSummary,
    pub inventories: Vec<InventoryReport>,
    /// What became of each `--waivers` entry (empty without `--waivers`).
    pub waivers: Vec<WaiverNote>,
    /// Counts, top rules and nearest deadlines over every inventory.
    pub fleet: FleetSummary,
    /// Every rule akspol knows, in code order (SARIF lists them all).
    pub rules: Vec<&'static RuleInfo>,
    /// Whether the run fails, and why (`judge::gate`).
    pub gate: GateResult,
    /// The comparison with `--baseline`, when one was given.
    pub baseline: Option<BaselineSummary>,
}

impl Report {
    /// The worst verdict over all inventories.
    pub fn verdict(&self) -> Verdict {
        self.inventories
            .iter()
            .map(|i| i.verdict)
            .max()
            .unwrap_or(Verdict::Supported)
    }
}
