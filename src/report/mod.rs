//! Reports: the results of a `check` run, and one renderer per format. Rules
//! never print; only this module formats findings.

pub mod github;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use std::io::{self, Write};

use serde::Serialize;

use crate::base::dates::Day;
use crate::catalog::CatalogView;
use crate::input::ScopeLines;
use crate::inventory::Inventory;
use crate::rules::{Finding, Scope, Status};

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
}

impl ReportedFinding {
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
    pub findings: Vec<ReportedFinding>,
    pub summary: Summary,
    pub verdict: Verdict,
    /// Lines of the deployment, clusters and nodes in the file, for formats that point into it.
    pub lines: Option<ScopeLines>,
    /// The inventory itself, for formats that describe the deployment (node
    /// metadata dropped once judged: see `Inventory::drop_node_details`).
    pub inventory: Inventory,
}

impl InventoryReport {
    pub fn new(
        inventory: Inventory,
        findings: Vec<ReportedFinding>,
        lines: Option<ScopeLines>,
    ) -> Self {
        let summary = Summary::of(&findings);
        let d = &inventory.deployment;
        let platform = d.platform.as_ref().map(|p| match &p.edition {
            Some(edition) => format!("{} {} {edition}", p.os, p.version),
            None => format!("{} {}", p.os, p.version),
        });
        Self {
            source: inventory.source.clone(),
            deployment: d.name.clone(),
            installed: d.version.to_string(),
            platform,
            verdict: summary.verdict(),
            summary,
            findings,
            lines,
            inventory,
        }
    }

    /// The 1-based line of the JSON object a scope concerns: the deployment,
    /// the cluster, or the node (a node known only from `nodeList` points at
    /// its cluster). `None` when the lines were not scanned.
    pub fn line_of(&self, scope: Scope) -> Option<usize> {
        let lines = self.lines.as_ref()?;
        match scope {
            Scope::Deployment => Some(lines.deployment),
            Scope::Cluster(c) => lines.clusters.get(c).copied(),
            Scope::Node(c, n) => {
                let listed_at = self
                    .inventory
                    .clusters()
                    .get(c)
                    .and_then(|cluster| cluster.nodes.get(n))
                    .and_then(|node| node.listed_at);
                listed_at
                    .and_then(|i| lines.nodes.get(c).and_then(|nodes| nodes.get(i)).copied())
                    .or_else(|| lines.clusters.get(c).copied())
            }
        }
        .or(Some(lines.deployment))
    }

    /// Whether the inventory was read from standard input.
    pub fn from_stdin(&self) -> bool {
        self.source == STDIN_ORIGIN
    }
}

/// How `check` names standard input in reports.
pub const STDIN_ORIGIN: &str = "<stdin>";

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

impl CatalogSummary {
    pub fn of(view: &CatalogView) -> Self {
        let latest = view.latest();
        Self {
            source: view.catalog.source.to_string(),
            releases: view.releases.len(),
            latest: latest.map(|r| r.version.to_string()),
            latest_released: latest.map(|r| r.released.to_string()),
            generated: view.catalog.generated.to_string(),
        }
    }
}

/// Everything a `check` run found.
#[derive(Debug, Clone)]
pub struct Report {
    pub as_of: Day,
    pub catalog: CatalogSummary,
    pub inventories: Vec<InventoryReport>,
    /// What became of each `--waivers` entry (empty without `--waivers`).
    pub waivers: Vec<crate::judge::waivers::WaiverNote>,
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

/// How to render: what only the caller knows.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub color: bool,
    /// Width the table may take.
    pub width: u16,
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
    Sarif,
    Junit,
    Github,
}

impl Format {
    /// Whether the format points into the inventory file (and needs its lines).
    pub fn needs_lines(self) -> bool {
        matches!(self, Format::Sarif | Format::Github)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }

    pub fn render(
        self,
        report: &Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Format::Table => table::render(report, options, out),
            Format::Json => json::render(report, out),
            Format::Markdown => markdown::render(report, out),
            Format::Sarif => sarif::render(report, out),
            Format::Junit => junit::render(report, out),
            Format::Github => github::render(report, out),
        }
    }
}

/// The tool's version, as reports print it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A short, stable identifier of a finding: FNV-1a (64-bit) of the rule code
/// and the scope label, in hex. Deterministic across runs and platforms, so CI
/// systems can track a finding from one run to the next.
pub fn fingerprint(rule: &str, scope: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rule.bytes().chain([0u8]).chain(scope.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `3 fail, 2 warn, 14 pass`: the non-zero counts, worst first.
pub fn counts_text(s: &Summary) -> String {
    [
        (s.fail, "fail"),
        (s.warn, "warn"),
        (s.unknown, "unknown"),
        (s.pass, "pass"),
        (s.info, "info"),
        (s.skip, "skip"),
        (s.waived, "waived"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect::<Vec<_>>()
    .join(", ")
}
