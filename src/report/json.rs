//! `--format json`: report version 1, a public contract (`../shared/spec/cli.md`).
//! Fields may be added; none may be renamed or removed without raising
//! `reportVersion`. The serde types below are the contract.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{AppliedWaiver, CatalogSummary, Report, Summary, Verdict};
use crate::rules::Status;

pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonReport<'a> {
    pub report_version: u32,
    pub tool: Tool,
    pub as_of: String,
    pub catalog: &'a CatalogSummary,
    pub verdict: Verdict,
    pub inventories: Vec<JsonInventory<'a>>,
    /// When more than one inventory is judged (additive; see `crate::fleet`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet: Option<crate::fleet::FleetSummary>,
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
    pub findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonFinding<'a> {
    pub rule: &'static str,
    pub name: &'static str,
    pub scope: &'a str,
    pub status: Status,
    pub message: &'a str,
    pub deadline: Option<String>,
    pub evidence: &'a Map<String, Value>,
    pub policy: JsonPolicy,
    pub waiver: Option<&'a AppliedWaiver>,
}

#[derive(Serialize)]
pub struct JsonPolicy {
    pub section: &'static str,
    pub url: String,
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
        inventories: report
            .inventories
            .iter()
            .map(|inv| JsonInventory {
                source: &inv.source,
                deployment: &inv.deployment,
                verdict: inv.verdict,
                summary: inv.summary,
                findings: inv
                    .findings
                    .iter()
                    .map(|rf| {
                        let f = &rf.finding;
                        JsonFinding {
                            rule: f.rule.code,
                            name: f.rule.name,
                            scope: &f.scope_label,
                            status: f.outcome.status,
                            message: &f.outcome.message,
                            deadline: f.outcome.deadline.map(|d| d.date.to_string()),
                            evidence: &f.outcome.evidence,
                            policy: JsonPolicy {
                                section: f.rule.section.title,
                                url: f.rule.section.url(),
                            },
                            waiver: rf.waiver.as_ref(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        fleet: (report.inventories.len() > 1).then(|| crate::fleet::FleetSummary::of(report)),
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_json(report)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
