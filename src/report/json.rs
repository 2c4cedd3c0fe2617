//! `--format json`: report version 1, a public contract (`../shared/spec/cli.md`).
//! Fields may be added; none may be renamed or removed without raising
//! `reportVersion`. The serde types below are the contract.

use std::io::{self, Write};

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::findings::{
    AppliedWaiver, CatalogSummary, FleetSummary, InventoryReport, Report, ReportedFinding, Section,
    Status, Summary, Verdict, WaiverNote, POLICY_URL,
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
    pub verdict: Verdict,
    pub summary: Summary,
    pub findings: JsonFindings<'a>,
}

/// The inventories, serialized one at a time as the writer reaches them
/// (a fleet's report is not built twice in memory).
pub struct JsonInventories<'a>(pub &'a [InventoryReport]);

impl Serialize for JsonInventories<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|inv| JsonInventory {
            source: &inv.source,
            deployment: &inv.deployment,
            verdict: inv.verdict,
            summary: inv.summary,
            findings: JsonFindings(&inv.findings),
        }))
    }
}

/// An inventory's findings, serialized one at a time.
pub struct JsonFindings<'a>(pub &'a [ReportedFinding]);

impl Serialize for JsonFindings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|rf| {
            let f = &rf.finding;
            JsonFinding {
                rule: f.rule.code,
                name: f.rule.name,
                scope: &f.scope_label,
                status: f.outcome.status,
                message: &f.outcome.message,
                deadline: f.outcome.deadline.as_ref().map(|d| Text(d.date)),
                evidence: &f.outcome.evidence,
                policy: JsonPolicy {
                    section: f.rule.section.title,
                    url: PolicyUrl(f.rule.section),
                },
                waiver: rf.waiver.as_ref(),
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

/// A policy section's URL (`Section::url`), written without building it.
pub struct PolicyUrl(pub &'static Section);

impl Serialize for PolicyUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{POLICY_URL}#{}", self.0.anchor))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonFinding<'a> {
    pub rule: &'static str,
    pub name: &'static str,
    pub scope: &'a str,
    pub status: Status,
    pub message: &'a str,
    pub deadline: Option<Text<crate::base::dates::Day>>,
    pub evidence: &'a Map<String, Value>,
    pub policy: JsonPolicy,
    pub waiver: Option<&'a AppliedWaiver>,
}

#[derive(Serialize)]
pub struct JsonPolicy {
    pub section: &'static str,
    pub url: PolicyUrl,
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
        inventories: JsonInventories(&report.inventories),
        waivers: &report.waivers,
        fleet: (report.inventories.len() > 1).then_some(&report.fleet),
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    crate::base::json::write_pretty(&to_json(report), out)
}
