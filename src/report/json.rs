//! `--format json`: report version 1, a public contract (`docs/spec/cli.md`).
//! Fields may be added; none may be renamed or removed without raising
//! `reportVersion`. The serde types below are the contract.
//!
//! The document streams: its head (`reportVersion`, `tool`, `asOf`,
//! `catalog`) is written when the first inventory is judged, each
//! inventory's object of `inventories` as it comes (rendered by the worker
//! that judged it), and the members that need every inventory (`verdict`,
//! `waivers`, `fleet`, `baseline`) after them. (`verdict` came before
//! `inventories` until issue 17: JSON readers do not depend on key order, and
//! its value is the same.)

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::{Emitter, Piece, RenderOptions, SpoolMaker};
use crate::base::json::{write_pretty_at, Members};
use crate::base::product::Product;
use crate::findings::baseline::NotInRun;
use crate::findings::{
    AppliedWaiver, BaselineCounts, BaselineState, CatalogLine, Evidence, InventoryReport,
    PolicySummary, Previous, ReportedFinding, Resolved, Run, ScopeLabel, ScopeNames, Status,
    Summary, Totals, Verdict,
};

pub use crate::findings::report::REPORT_VERSION;

/// The JSON Schema of this report (report version 1): `akspol schema report`.
pub const REPORT_SCHEMA: &str = include_str!("../../data/report.schema.json");

/// `--format json`.
pub(super) struct JsonEmitter;

impl Emitter for JsonEmitter {
    const NAME: &'static str = "json";
    type Meta = ();
    type State = Document;

    fn new(_options: &RenderOptions, _run: &Run) -> Self {
        JsonEmitter
    }

    /// One inventory's object of `inventories`, two levels deep.
    fn piece(&self, run: &Run, _ordinal: usize, inventory: &InventoryReport) -> Piece<()> {
        let mut bytes = Vec::with_capacity(1 << 14);
        // Writing to memory cannot fail.
        let _ = write_pretty_at(&json_inventory(run, inventory), 2, &mut bytes);
        Piece::new(bytes, ())
    }

    fn open(&self, _spools: &mut SpoolMaker<'_>) -> io::Result<Document> {
        Ok(Document::default())
    }

    fn is_own_report(head: &[u8]) -> bool {
        head.starts_with(b"{\n  \"reportVersion\": ")
            && super::head_holds(head, "\n  \"tool\": {\n    \"name\": \"akspol\",")
    }

    /// The members the run knows first, and the opening of `inventories`.
    fn start(&self, state: &mut Document, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let mut top = Members::open(out, 0, b"{")?;
        top.member(out, "reportVersion", &REPORT_VERSION)?;
        top.member(
            out,
            "tool",
            &Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
            },
        )?;
        top.member(out, "asOf", &Text(run.as_of))?;
        top.member(out, "catalog", &run.catalog)?;
        top.key(out, "inventories")?;
        state.inventories = Some(Members::open(out, top.inner(), b"[")?);
        state.top = Some(top);
        Ok(())
    }

    fn push(&self, state: &mut Document, piece: Piece<()>, out: &mut dyn Write) -> io::Result<()> {
        if let Some(inventories) = &mut state.inventories {
            inventories.next(out)?;
        }
        out.write_all(&piece.bytes)
    }

    fn finish(
        &self,
        state: Document,
        _run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let (Some(mut top), Some(inventories)) = (state.top, state.inventories) else {
            return Ok(());
        };
        inventories.close(out, b"]")?;
        // The worst verdict over all inventories.
        top.member(out, "verdict", &totals.verdict)?;
        // Whether the run fails its gate, its exit status and every cause,
        // as sentences (the `exit N:` lines of standard error) and as data
        // (additive).
        top.member(out, "gate", &JsonGate::new(totals))?;
        // What became of each `--waivers` entry; absent without `--waivers`.
        if !totals.waivers.is_empty() {
            top.member(out, "waivers", &totals.waivers)?;
        }
        // When more than one inventory is judged (additive; see `findings::fleet`).
        if totals.inventories > 1 {
            top.member(out, "fleet", &totals.fleet)?;
        }
        // Why inputs could not be judged: every problem, where standard
        // error shows the first few of each kind (additive; absent when
        // every input was judged).
        if !totals.input_errors.is_empty() {
            let errors: Vec<JsonInputError> = totals
                .input_errors
                .iter()
                .map(|p| JsonInputError {
                    file: &p.file,
                    line: p.line,
                    column: p.column,
                    message: &p.message,
                })
                .collect();
            top.member(out, "inputErrors", &errors)?;
            if totals.input_errors_omitted > 0 {
                top.member(out, "inputErrorsOmitted", &totals.input_errors_omitted)?;
            }
        }
        // The comparison with `--baseline`; absent without one (additive).
        if let Some(b) = &totals.baseline {
            top.member(
                out,
                "baseline",
                &JsonBaseline {
                    source: &b.source,
                    as_of: &b.as_of,
                    sha256: &b.sha256,
                    counts: b.counts,
                    not_in_run: &b.not_in_run,
                },
            )?;
        }
        top.close(out, b"}")?;
        out.write_all(b"\n")
    }
}

/// The document as it is written: its open object and array.
#[derive(Debug, Default)]
pub(super) struct Document {
    top: Option<Members>,
    inventories: Option<Members>,
}

/// A problem of an input that could not be judged.
#[derive(Serialize)]
struct JsonInputError<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonGate<'a> {
    /// Whether findings fail the gate (`--fail-on`, `--fail-within`).
    pub fails: bool,
    /// Additive: the exit status `check` ends with: 2 when an input could
    /// not be judged, else 1 when the gate fails, else 0.
    pub exit_status: u8,
    /// Every cause of the exit status: the inputs not judged, then the
    /// gate's causes (the `exit N:` lines of standard error).
    pub reasons: Vec<String>,
    /// The same causes as data (additive), in the same order: what a CI job
    /// reads without parsing the sentences.
    pub causes: Vec<JsonCause<'a>>,
}

impl<'a> JsonGate<'a> {
    pub fn new(totals: &'a Totals) -> Self {
        let not_judged = super::not_judged_reason(totals).map(|reason| JsonCause {
            kind: "not-judged",
            inputs: Some(totals.not_judged),
            ..JsonCause::of(reason)
        });
        let causes: Vec<JsonCause<'a>> = not_judged
            .into_iter()
            .chain(
                totals
                    .gate
                    .causes
                    .iter()
                    .zip(super::gate_reasons(totals))
                    .map(|(cause, reason)| JsonCause::new(totals, cause, reason)),
            )
            .collect();
        Self {
            fails: totals.gate.fails(),
            exit_status: totals.exit_status(),
            reasons: causes.iter().map(|c| c.reason.clone()).collect(),
            causes,
        }
    }
}

/// One reason the run fails (`findings::gate::Cause`): every gating finding
/// of one rule and kind, and where the first (or nearest) of them is.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonCause<'a> {
    /// `not-judged` (inputs that could not be judged: exit 2), `status`
    /// (findings at or above `--fail-on`) or `deadline` (within
    /// `--fail-within`).
    pub kind: &'static str,
    /// How many inputs could not be judged (kind `not-judged`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<usize>,
    /// The rule (kinds `status` and `deadline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    /// The worst status of the findings (kind `status`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The nearest deadline, whether it is estimated, and its days from the
    /// as-of date, negative once passed (kind `deadline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Text<crate::base::dates::Day>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deadline_estimated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// The scope, deployment and inventory of the first (or nearest) finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// How many findings, in how many inventories.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventories: Option<usize>,
    /// Of them, how many are new and how many worse than the baseline
    /// (only with `--baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worse: Option<usize>,
    /// The sentence of `reasons` for this cause.
    pub reason: String,
}

impl<'a> JsonCause<'a> {
    /// A cause that is only its sentence, to fill in.
    fn of(reason: String) -> Self {
        Self {
            kind: "",
            inputs: None,
            rule: None,
            name: None,
            status: None,
            deadline: None,
            deadline_estimated: false,
            days: None,
            scope: None,
            deployment: None,
            source: None,
            findings: None,
            inventories: None,
            new: None,
            worse: None,
            reason,
        }
    }

    fn new(totals: &Totals, cause: &'a crate::findings::gate::Cause, reason: String) -> Self {
        use crate::findings::gate::CauseKind;
        let (kind, status, deadline, days) = match &cause.kind {
            CauseKind::Status(status) => ("status", Some(*status), None, None),
            CauseKind::Deadline { nearest, days } => ("deadline", None, Some(nearest), Some(*days)),
        };
        let compared = totals.baseline.is_some();
        Self {
            kind,
            rule: Some(cause.rule.code),
            name: Some(cause.rule.name),
            status,
            deadline: deadline.map(|d| Text(d.date)),
            deadline_estimated: deadline.is_some_and(|d| d.estimated),
            days,
            scope: Some(&cause.example.scope),
            deployment: Some(&cause.example.deployment),
            source: Some(&cause.example.source),
            findings: Some(cause.findings),
            inventories: Some(cause.inventories),
            new: compared.then_some(cause.new),
            worse: compared.then_some(cause.worse),
            ..Self::of(reason)
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonBaseline<'a> {
    pub source: &'a str,
    pub as_of: &'a str,
    /// SHA-256 of the baseline file's bytes (additive): which file was trusted.
    pub sha256: &'a str,
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
    /// Additive: what the verdict cannot show (saved outputs not read, a
    /// deployment judged with no cluster); absent when there is nothing.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub notices: &'a [String],
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

/// An inventory as the report writes it.
fn json_inventory<'a>(run: &'a Run, inv: &'a InventoryReport) -> JsonInventory<'a> {
    JsonInventory {
        source: &inv.source,
        deployment: &inv.deployment,
        product: inv.product,
        policy: &inv.policy,
        catalog: run.catalog.line(inv.product),
        verdict: inv.verdict,
        summary: inv.summary,
        notices: &inv.notices,
        findings: JsonFindings(&inv.findings, &inv.names),
        resolved: run.compared().then_some(JsonResolved(&inv.resolved)),
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
                deadline_estimated: f.outcome.deadline.as_ref().is_some_and(|d| d.estimated),
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
    /// The deadline comes from a date not known to the day (an estimate, a
    /// month): the table's `~`; the earliest day it may be.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deadline_estimated: bool,
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
