//! `--format json`: report version 1, a public contract (`../shared/spec/cli.md`).
//! Fields may be added; none may be renamed or removed without raising
//! `reportVersion`. The serde types below are the contract.

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use crate::base::product::Product;
use crate::findings::baseline::NotInRun;
use crate::findings::{
    AppliedWaiver, BaselineCounts, BaselineState, CatalogLine, CatalogSummary, Evidence,
    FleetSummary, InventoryReport, PolicySummary, Previous, Report, ReportedFinding, Resolved,
    ScopeLabel, ScopeNames, Status, Summary, Verdict, WaiverNote,
};

pub use crate::findings::report::REPORT_VERSION;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonReport<'a> {
    pub report_version: u32,
    pub tool: Tool,
    pub as_of: String,
    pub catalog: &'a CatalogSummary,
    pub verdict: Verdict,
    pub inventories: JsonInventories<'a>,
    /// What became of each `--waivers` entry; absent without `--waivers`.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub waivers: &'a [WaiverNote],
    /// When more than one inventory is judged (additive; see `findings::fleet`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet: Option<&'a FleetSummary>,
    /// The comparison with `--baseline`; absent without one (additive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<JsonBaseline<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonBaseline<'a> {
    pub source: &'a str,
    pub as_of: &'a str,
    #[serde(flatten)]
    pub counts: BaselineCounts,
    /// The baseline's inventories this run did not judge (not compared).
    pub not_in_run: &'a [NotInRun],
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonInventory<'a> {
    pub source: &'a str,
    pub deployment: &'a str,
    /// Additive: the product line, the edition judged against, the catalog line used.
    pub product: Product,
    pub policy: &'a PolicySummary,
    pub catalog: Option<&'a CatalogLine>,
    pub verdict: Verdict,
    pub summary: Summary,
    pub findings: JsonFindings<'a>,
    /// With `--baseline`: its findings this run no longer reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<JsonResolved<'a>>,
}

/// An inventory's resolved findings, serialized one at a time.
pub struct JsonResolved<'a>(pub &'a [Resolved]);

impl Serialize for JsonResolved<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct One<'a> {
            rule: &'a str,
            name: &'a str,
            scope: &'a str,
            previous: JsonPrevious<'a>,
            message: &'a str,
            /// `pass`, `skip`, or null when no finding has its rule and scope.
            now: Option<Status>,
        }
        serializer.collect_seq(self.0.iter().map(|r| One {
            rule: &r.rule,
            name: &r.name,
            scope: &r.scope,
            previous: JsonPrevious(&r.was),
            message: &r.message,
            now: r.now,
        }))
    }
}

/// What the baseline said of a finding: `{ "status": "warn", "deadline": "2027-01-01" }`.
pub struct JsonPrevious<'a>(pub &'a Previous);

impl Serialize for JsonPrevious<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Previous", 2)?;
        s.serialize_field("status", &self.0.status)?;
        s.serialize_field("deadline", &self.0.deadline.map(Text))?;
        s.end()
    }
}

/// The inventories, serialized one at a time as the writer reaches them
/// (a fleet's report is not built twice in memory); `.1`: the catalog, for
/// each inventory's line of it; `.2`: whether the run was compared with a
/// baseline.
pub struct JsonInventories<'a>(pub &'a [InventoryReport], pub &'a CatalogSummary, pub bool);

impl Serialize for JsonInventories<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|inv| JsonInventory {
            source: &inv.source,
            deployment: &inv.deployment,
            product: inv.product,
            policy: &inv.policy,
            catalog: self.1.line(inv.product),
            verdict: inv.verdict,
            summary: inv.summary,
            findings: JsonFindings(&inv.findings, &inv.names),
            resolved: self.2.then_some(JsonResolved(&inv.resolved)),
        }))
    }
}

/// An inventory's findings, serialized one at a time.
pub struct JsonFindings<'a>(pub &'a [ReportedFinding], pub &'a ScopeNames);

impl Serialize for JsonFindings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|rf| {
            let f = &rf.finding;
            JsonFinding {
                rule: f.rule.code,
                name: f.rule.name,
                scope: Text(self.1.label(f.scope)),
                status: f.outcome.status,
                message: &f.outcome.message,
                deadline: f.outcome.deadline.as_ref().map(|d| Text(d.date)),
                evidence: &f.outcome.evidence,
                policy: JsonPolicy {
                    section: f.cite.section,
                    url: f.cite.url,
                },
                waiver: rf.waiver.as_ref(),
                baseline: rf.baseline.as_ref().map(|c| c.state),
                previous: rf
                    .baseline
                    .as_ref()
                    .and_then(|c| c.was.as_ref())
                    .map(JsonPrevious),
            }
        }))
    }
}

/// A value serialized as the JSON string of its `Display`, written straight
/// to the output.
pub struct Text<T>(pub T);

impl<T: std::fmt::Display> Serialize for Text<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonFinding<'a> {
    pub rule: &'static str,
    pub name: &'static str,
    pub scope: Text<ScopeLabel<'a>>,
    pub status: Status,
    pub message: &'a str,
    pub deadline: Option<Text<crate::base::dates::Day>>,
    pub evidence: &'a Evidence,
    pub policy: JsonPolicy,
    pub waiver: Option<&'a AppliedWaiver>,
    /// With `--baseline`, for findings that are not `pass` or `skip`:
    /// `new`, `unchanged`, `worse` or `better`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineState>,
    /// What the baseline said of it (absent when new).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<JsonPrevious<'a>>,
}

#[derive(Serialize)]
pub struct JsonPolicy {
    /// The section of the page of the edition the finding was judged against.
    pub section: &'static str,
    pub url: &'static str,
}

pub fn to_json(report: &Report) -> JsonReport<'_> {
    JsonReport {
        report_version: REPORT_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: report.as_of.to_string(),
        catalog: &report.catalog,
        verdict: report.verdict(),
        inventories: JsonInventories(
            &report.inventories,
            &report.catalog,
            report.baseline.is_some(),
        ),
        waivers: &report.waivers,
        fleet: (report.inventories.len() > 1).then_some(&report.fleet),
        baseline: report.baseline.as_ref().map(|b| JsonBaseline {
            source: &b.source,
            as_of: &b.as_of,
            counts: b.counts,
            not_in_run: &b.not_in_run,
        }),
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    crate::base::json::write_pretty(&to_json(report), out)
}
