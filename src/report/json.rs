//! `--format json`: report version 1, a public contract (`../shared/spec/cli.md`).
//! Fields may be added; none may be renamed or removed without raising
//! `reportVersion`. The serde types below are the contract.

use std::io::{self, Write};

use serde::{Serialize, Serializer};
use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::{Map, Value};

use super::{
    AppliedWaiver, CatalogSummary, InventoryReport, Report, ReportedFinding, Summary, Verdict,
};
use crate::rules::{Section, Status, POLICY_URL};

pub const REPORT_VERSION: u32 = 1;

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
    pub waivers: &'a [crate::judge::waivers::WaiverNote],
    /// When more than one inventory is judged (additive; see `crate::judge::summary`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleet: Option<crate::judge::summary::FleetSummary>,
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
                deadline: f.outcome.deadline.map(|d| Text(d.date)),
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
        fleet: (report.inventories.len() > 1)
            .then(|| crate::judge::summary::FleetSummary::of(report)),
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_pretty(&to_json(report), out)
}

/// Pretty JSON, terminal-safe (see [`TerminalSafe`]), with a final newline:
/// every JSON document akspol prints goes through here.
pub fn write_pretty<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes in small pieces (a quote, a key, a comma): a buffer of
    // a known type here makes each of them a copy instead of a dynamic call.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut buffered, TerminalSafe(PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// Pretty JSON that also writes the invisible characters `sanitize` strips
/// (bidi overrides, line separators) as `\uXXXX` escapes: the same JSON
/// values, but a report shown with `cat` cannot be reordered on screen.
/// (serde_json already escapes C0 controls; DEL and C1 are escaped here too.)
struct TerminalSafe(PrettyFormatter<'static>);

impl Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has escaped C0 already; below DEL nothing else is unsafe.
        if fragment.bytes().all(|b| b < 0x7F) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|(_, c)| crate::base::sanitize::is_unsafe(*c))
        {
            writer.write_all(rest.get(..at).unwrap_or_default().as_bytes())?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = rest.get(at + c.len_utf8()..).unwrap_or_default();
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}
