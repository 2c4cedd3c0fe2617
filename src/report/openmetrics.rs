//! `--format openmetrics`: the run as metrics, for Prometheus through
//! node_exporter's textfile collector (`akspol check ... --report
//! openmetrics=/var/lib/node_exporter/textfile/akspol.prom`).
//!
//! The exposition is Prometheus' text format (version 0.0.4), which the
//! textfile collector reads, written so that it is OpenMetrics text too:
//! every family is a gauge (the values are what the run found, not counts
//! that only grow, so no `_total`), times are in seconds, the base unit,
//! with the unit in the name (`_seconds`: whole days times 86,400), each
//! family has its `# HELP` and `# TYPE` lines and its samples together,
//! there are no timestamps (the collector stamps them),
//! and the last line is `# EOF` (a comment to the 0.0.4 parser). Label
//! values are inventory text: backslash, double quote and newline are
//! escaped, and other characters unsafe on a terminal are replaced first.
//!
//! Per deployment (labels `deployment` and `source`, the file and line it
//! came from, which tells two deployments of one name apart): its verdict
//! (one sample per verdict, 1 for its own), its findings by status, the
//! time to its next deadline and to the first deadline from which a finding
//! fails. Per rule: its findings across the fleet by status. For
//! the run: the inventories by verdict, those not judged, the as-of date
//! and the age of the catalog's facts per product line.
//!
//! The per-deployment families are spooled apart while the run goes (a
//! family's samples must be together) and written after the run's.

use std::io::{self, Write};

use super::{Emitter, Piece, RenderOptions, Spool, SpoolMaker, TOOL_VERSION};
use crate::base::dates::{days_between, Day};
use crate::base::sanitize::clean;
use crate::findings::{InventoryReport, Run, Status, Totals, Verdict};

/// `--format openmetrics`.
pub(super) struct OpenmetricsEmitter;

/// The per-deployment families, in the order they are written.
const FAMILIES: [(&str, &str); 4] = [
    (
        "akspol_deployment_verdict",
        "The deployment's verdict: 1 for the verdict it has, 0 for the others.",
    ),
    (
        "akspol_deployment_findings",
        "The deployment's findings by status (waived ones as status waived).",
    ),
    (
        "akspol_deployment_next_deadline_seconds",
        "Time from the as-of date to the deployment's nearest deadline (whole days: a finding's status changes that day); absent without one.",
    ),
    (
        "akspol_deployment_support_remaining_seconds",
        "Time from the as-of date to the nearest deadline from which a finding of the deployment fails (whole days); absent without one.",
    ),
];

/// The exposition's base unit of time is the second; akspol counts whole
/// days.
const SECONDS_PER_DAY: i64 = 86_400;

/// The statuses a finding is counted under, waived last.
const STATUSES: [&str; 7] = ["pass", "info", "warn", "fail", "unknown", "skip", "waived"];

/// What a piece adds: the length of each family's part of its bytes, and
/// its findings per rule (by the rule's place in the run) and status.
pub(super) struct Meta {
    parts: [usize; 4],
    rules: Vec<(usize, usize)>,
}

/// The spooled families and the fleet's counts per rule and status.
pub(super) struct State {
    families: Vec<Box<dyn Spool>>,
    rules: Vec<[u64; 7]>,
}

impl Emitter for OpenmetricsEmitter {
    const NAME: &'static str = "openmetrics";
    type Meta = Meta;
    type State = State;

    fn new(_options: &RenderOptions, _run: &Run) -> Self {
        OpenmetricsEmitter
    }

    fn piece(&self, run: &Run, _ordinal: usize, inventory: &InventoryReport) -> Piece<Meta> {
        let labels = format!(
            "deployment=\"{}\",source=\"{}\"",
            label(&inventory.deployment),
            label(&inventory.source)
        );
        let mut parts: [String; 4] = Default::default();
        let [verdicts, findings, next, out] = &mut parts;
        for verdict in [Verdict::Supported, Verdict::AtRisk, Verdict::Unsupported] {
            verdicts.push_str(&format!(
                "akspol_deployment_verdict{{{labels},verdict=\"{}\"}} {}\n",
                verdict.as_str(),
                u8::from(inventory.verdict == verdict)
            ));
        }
        let s = &inventory.summary;
        let counts = [s.pass, s.info, s.warn, s.fail, s.unknown, s.skip, s.waived];
        for (status, count) in STATUSES.iter().zip(counts) {
            findings.push_str(&format!(
                "akspol_deployment_findings{{{labels},status=\"{status}\"}} {count}\n"
            ));
        }
        let deadlines = || {
            inventory
                .findings
                .iter()
                .filter(|f| f.waiver.is_none())
                .filter_map(|f| f.finding.outcome.deadline.as_ref())
        };
        let seconds = |day: Day| days_between(run.as_of, day) * SECONDS_PER_DAY;
        if let Some(day) = deadlines().map(|d| d.date).min() {
            next.push_str(&format!(
                "akspol_deployment_next_deadline_seconds{{{labels}}} {}\n",
                seconds(day)
            ));
        }
        if let Some(day) = deadlines()
            .filter(|d| d.becomes == Status::Fail)
            .map(|d| d.date)
            .min()
        {
            out.push_str(&format!(
                "akspol_deployment_support_remaining_seconds{{{labels}}} {}\n",
                seconds(day)
            ));
        }
        let mut rules: Vec<(usize, usize)> = Vec::with_capacity(inventory.findings.len());
        for f in &inventory.findings {
            let Some(rule) = run.rules.iter().position(|r| r.code == f.finding.rule.code) else {
                continue;
            };
            let status = match f.counted_status() {
                None => 6,
                Some(status) => Status::ALL.iter().position(|s| *s == status).unwrap_or(6),
            };
            rules.push((rule, status));
        }
        let lengths = parts.each_ref().map(String::len);
        Piece::new(
            parts.concat().into_bytes(),
            Meta {
                parts: lengths,
                rules,
            },
        )
    }

    fn open(&self, spools: &mut SpoolMaker<'_>) -> io::Result<State> {
        let mut families = Vec::with_capacity(FAMILIES.len());
        for _ in FAMILIES {
            families.push(spools()?);
        }
        Ok(State {
            families,
            rules: Vec::new(),
        })
    }

    fn is_own_report(head: &[u8]) -> bool {
        head.starts_with(b"# HELP akspol_build_info ")
    }

    fn push(&self, state: &mut State, piece: Piece<Meta>, _out: &mut dyn Write) -> io::Result<()> {
        let mut rest = piece.bytes.as_slice();
        for (spool, length) in state.families.iter_mut().zip(piece.meta.parts) {
            let (part, after) = rest.split_at(length.min(rest.len()));
            spool.write_all(part)?;
            rest = after;
        }
        for (rule, status) in piece.meta.rules {
            if state.rules.len() <= rule {
                state.rules.resize(rule + 1, [0; 7]);
            }
            if let Some(slot) = state.rules.get_mut(rule).and_then(|r| r.get_mut(status)) {
                *slot += 1;
            }
        }
        Ok(())
    }

    fn finish(
        &self,
        mut state: State,
        run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        family(
            out,
            "akspol_build_info",
            "The akspol that wrote these metrics.",
        )?;
        writeln!(out, "akspol_build_info{{version=\"{TOOL_VERSION}\"}} 1")?;
        family(
            out,
            "akspol_as_of_timestamp_seconds",
            "The evaluation date (--as-of), as the Unix time of its midnight UTC.",
        )?;
        writeln!(
            out,
            "akspol_as_of_timestamp_seconds {}",
            run.as_of
                .and_time(chrono::NaiveTime::MIN)
                .and_utc()
                .timestamp()
        )?;
        family(
            out,
            "akspol_catalog_age_seconds",
            "Time from the catalog's newest fact of a product line to the as-of date (whole days; from the first day of its month when it is dated by its month).",
        )?;
        for line in &run.catalog.lines {
            if let Some(age) = line.age_days {
                writeln!(
                    out,
                    "akspol_catalog_age_seconds{{product=\"{}\"}} {}",
                    line.product.as_str(),
                    age * SECONDS_PER_DAY
                )?;
            }
        }
        family(out, "akspol_inventories", "Inventories judged, by verdict.")?;
        let v = &totals.fleet.verdicts;
        for (verdict, count) in [
            (Verdict::Supported, v.supported),
            (Verdict::AtRisk, v.at_risk),
            (Verdict::Unsupported, v.unsupported),
        ] {
            writeln!(
                out,
                "akspol_inventories{{verdict=\"{}\"}} {count}",
                verdict.as_str()
            )?;
        }
        family(
            out,
            "akspol_inventories_not_judged",
            "Inputs that could not be read or were not valid inventories.",
        )?;
        writeln!(out, "akspol_inventories_not_judged {}", totals.not_judged)?;
        family(
            out,
            "akspol_rule_findings",
            "Findings of a rule across every inventory judged, by status (waived ones as status waived).",
        )?;
        for (index, rule) in run.rules.iter().enumerate() {
            let counts = state.rules.get(index).copied().unwrap_or_default();
            for (status, count) in STATUSES.iter().zip(counts) {
                writeln!(
                    out,
                    "akspol_rule_findings{{rule=\"{}\",status=\"{status}\"}} {count}",
                    rule.code
                )?;
            }
        }
        for ((name, help), spool) in FAMILIES.iter().zip(&mut state.families) {
            family(out, name, help)?;
            spool.flush()?;
            let end = spool.position();
            spool.copy_to(0..end, out)?;
        }
        writeln!(out, "# EOF")
    }
}

/// A family's `# HELP` and `# TYPE` lines: every family is a gauge.
fn family(out: &mut dyn Write, name: &str, help: &str) -> io::Result<()> {
    writeln!(out, "# HELP {name} {help}")?;
    writeln!(out, "# TYPE {name} gauge")
}

/// A label value: unsafe characters replaced, then backslash, double quote
/// and newline escaped as the exposition formats say.
fn label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    // `clean` replaces control characters, the newline among them: escape
    // the newline first so that it survives as `\n`.
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in clean(line).chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_escape_backslash_quote_and_newline() {
        assert_eq!(label("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
        assert_eq!(label("x\u{1b}[31m"), "x\u{FFFD}[31m");
        assert_eq!(label("site-a"), "site-a");
    }
}
