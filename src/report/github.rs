//! `--format github`: GitHub Actions workflow commands, so each finding lands
//! as an annotation on the inventory line it concerns:
//!
//! ```text
//! ::notice title=akspol: unsupported::contoso-edge-042: unsupported (6 fail, 3 warn, ...)
//! ::error title=akspol: exit 1::V003 support-window fails on deployment (--fail-on fail)
//! ::error file=inv/contoso.json,line=4,title=V003 support-window::deployment: fail: 635 days behind ...
//! ```
//!
//! First a `::notice` with the verdict and counts, then one `::error` that
//! says why the run fails, a line per cause (`judge::gate`), then the findings
//! worst first: `::error` for those that fail the gate (at or above
//! `--fail-on`, or a deadline within `--fail-within`), `::warning` for other
//! `fail`, `warn` and `unknown` findings, `::notice` for `info` and waived ones.
//!
//! GitHub shows at most [`PER_STEP`] annotations of each kind per step and
//! drops the rest silently; past that, findings are printed as plain log
//! lines that carry what the annotation's properties did, as a linter's
//! `path:line: CODE message` (`error: inv/site-07.json:4: V003
//! support-window: site-07: deployment: fail: ...`), and one last annotation
//! of the kind says how many were not annotated. Inventory text is untrusted: every value is escaped the way the
//! runner decodes it (`%`, CR, LF; and `:` and `,` in properties), and
//! control characters are replaced, so no inventory string can end the line
//! and forge another workflow command.

use std::io::{self, Write};

use super::{counts_text, deadline_text, Emitter, Needs, Piece, RenderOptions, Spool, SpoolMaker};
use crate::base::sanitize::clean;
use crate::findings::{FileProblem, InventoryReport, ReportedFinding, Run, Status, Totals};

/// Annotations of one kind (error, warning, notice) GitHub shows per step.
pub const PER_STEP: usize = 10;
/// Inventories the step summary lists before "and N more" (GitHub takes 1 MiB).
const SUMMARY_ROWS: usize = 100;

/// The three kinds of annotation, in the order counted.
const KINDS: [&str; 3] = ["error", "warning", "notice"];

/// Findings are annotated worst first: those that fail the run, then the
/// others, each by status (fail, unknown, warn, info, pass, skip).
const CLASSES: usize = 12;

/// An inventory's notices come after the findings that fail the run.
const NOTICE_CLASS: usize = 6;

fn class(reported: &ReportedFinding) -> usize {
    let passes = usize::from(!reported.gate.fails());
    passes * 6 + usize::from(reported.finding.outcome.status.rank())
}

/// `--format github`.
pub(super) struct GithubEmitter;

impl Emitter for GithubEmitter {
    const NAME: &'static str = "github";
    const NEEDS: Needs = Needs {
        lines: true,
        ..Needs::FINDINGS
    };
    type Meta = Parts;
    type State = Annotations;

    fn new(_options: &RenderOptions, _run: &Run) -> Self {
        GithubEmitter
    }

    fn piece(&self, run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece<Parts> {
        commands(run, ordinal, inventory)
    }

    fn open(&self, spools: &mut SpoolMaker<'_>) -> io::Result<Annotations> {
        Annotations::new(spools)
    }

    fn is_own_report(head: &[u8]) -> bool {
        head.starts_with(b"::notice title=akspol%3A ")
    }

    fn push(
        &self,
        state: &mut Annotations,
        piece: Piece<Parts>,
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        state.push(piece)
    }

    fn finish(
        &self,
        state: Annotations,
        run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        state.finish(run, totals, out)
    }

    fn step_summary(&self, state: &Annotations, run: &Run, totals: &Totals) -> Option<String> {
        Some(state.step_summary(run, totals))
    }
}

/// One inventory's workflow commands, each a line `::KIND PROPERTIES::MESSAGE`
/// written as if annotated, with its class; its step-summary row when it is
/// among the first [`SUMMARY_ROWS`].
fn commands(run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece<Parts> {
    let mut bytes = Vec::new();
    let mut lines = Vec::new();
    // What the verdict cannot show: a warning on the inventory, after the
    // findings that fail the run and before the others.
    for notice in &inventory.notices {
        let mut properties = Vec::new();
        if !inventory.from_stdin() {
            properties.push(format!("file={}", property(&inventory.source)));
        }
        properties.push(format!("title={}", property("akspol: warning")));
        let start = bytes.len();
        // Writing to memory cannot fail.
        let _ = writeln!(
            bytes,
            "::warning {}::{}",
            properties.join(","),
            data(notice)
        );
        let annotation = bytes.len() - start;
        // Past the cap, a log line that says whose.
        let _ = writeln!(
            bytes,
            "{}",
            clean(&format!(
                "warning: {}: {}: {notice}",
                inventory.source, inventory.deployment
            ))
        );
        lines.push(Line {
            class: NOTICE_CLASS,
            annotation,
            log: bytes.len() - start - annotation,
        });
    }
    for reported in &inventory.findings {
        let Some(kind) = kind(reported) else {
            continue;
        };
        let f = &reported.finding;
        let mut properties = Vec::new();
        if !inventory.from_stdin() {
            properties.push(format!("file={}", property(&inventory.source)));
            if let Some(line) = reported.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!(
            "title={}",
            property(&format!("{} {}", f.rule.code, f.rule.name))
        ));
        let text = message(run, inventory, reported);
        let start = bytes.len();
        // Writing to memory cannot fail.
        let _ = writeln!(bytes, "::{kind} {}::{}", properties.join(","), data(&text));
        let annotation = bytes.len() - start;
        // Past GitHub's cap the finding is a log line, which must say
        // everything the annotation's properties did, and whose deployment.
        let _ = writeln!(bytes, "{}", log_line(kind, inventory, reported, &text));
        lines.push(Line {
            class: class(reported),
            annotation,
            log: bytes.len() - start - annotation,
        });
    }
    let row = (ordinal < SUMMARY_ROWS).then(|| {
        use super::markdown::md;
        format!(
            "| {} | {} | **{}** | {} |\n",
            md(&inventory.deployment),
            md(&inventory.source),
            inventory.verdict.as_str(),
            counts_text(&inventory.summary)
        )
    });
    // The run's notice names the inventory when there is only one.
    let first = (ordinal == 0).then(|| {
        format!(
            "{}: {} ({})",
            inventory.deployment,
            inventory.verdict.as_str(),
            counts_text(&inventory.summary)
        )
    });
    Piece::new(bytes, Parts { lines, row, first })
}

/// A finding's (or an inventory's warning's) two forms in a piece: its
/// annotation, then the log line it becomes past GitHub's cap.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    class: usize,
    /// The annotation's length, its newline included.
    annotation: usize,
    /// The log line's length, its newline included.
    log: usize,
}

/// `error: inv/site-07.json:4: V003 support-window: site-07: deployment:
/// fail: 224 days behind ...`: a finding past the annotation cap, traceable
/// as a linter's `path:line: CODE message` is (the kind first, so no file
/// name can make the line a workflow command).
fn log_line(
    kind: &str,
    inventory: &InventoryReport,
    reported: &ReportedFinding,
    message: &str,
) -> String {
    let f = &reported.finding;
    let place = match reported.line {
        Some(line) => format!("{}:{line}", inventory.source),
        None => inventory.source.clone(),
    };
    clean(&format!(
        "{kind}: {place}: {} {}: {}: {message}",
        f.rule.code, f.rule.name, inventory.deployment
    ))
    .into_owned()
}

/// What the assembly needs to know of a piece.
#[derive(Debug, Default)]
pub(super) struct Parts {
    /// Each finding's class and the lengths of its two lines.
    lines: Vec<Line>,
    /// Its row of the step summary.
    row: Option<String>,
    /// The first inventory's verdict and counts.
    first: Option<String>,
}

/// The commands wait in one spool per class: GitHub shows ten annotations
/// of each kind per step, so the worst of the whole run go first, and the
/// run's notice and reason come before them all.
pub(super) struct Annotations {
    classes: Vec<Box<dyn Spool>>,
    /// Commands of each kind (error, warning, notice) among the findings.
    kinds: [usize; 3],
    rows: Vec<String>,
    first: Option<String>,
}

impl Annotations {
    fn new(spools: &mut SpoolMaker<'_>) -> io::Result<Self> {
        Ok(Self {
            classes: (0..CLASSES).map(|_| spools()).collect::<io::Result<_>>()?,
            kinds: [0; 3],
            rows: Vec::new(),
            first: None,
        })
    }

    fn push(&mut self, piece: Piece<Parts>) -> io::Result<()> {
        let parts = piece.meta;
        let mut at = 0;
        for line in parts.lines {
            let both = line.annotation + line.log;
            let lines = piece.bytes.get(at..at + both).unwrap_or_default();
            at += both;
            if let Some(n) = kind_index(lines).and_then(|k| self.kinds.get_mut(k)) {
                *n += 1;
            }
            // Both forms wait in the class's spool, the annotation first.
            if let Some(spool) = self.classes.get_mut(line.class) {
                spool.write_all(lines)?;
            }
        }
        self.rows.extend(parts.row);
        if self.first.is_none() {
            self.first = parts.first;
        }
        Ok(())
    }

    fn finish(mut self, run: &Run, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        let verdict = totals.verdict.as_str();
        let counts = match (totals.inventories, &self.first) {
            (1, Some(first)) => first.clone(),
            (n, _) => {
                let v = &totals.fleet.verdicts;
                format!(
                    "{}: {} supported, {} at-risk, {} unsupported",
                    super::table::inventories(n),
                    v.supported,
                    v.at_risk,
                    v.unsupported
                )
            }
        };
        let mut head = vec![format!(
            "::notice title={}::{}\n",
            property(&format!("akspol: {verdict}")),
            data(&counts)
        )];
        // Which baseline was trusted, and what changed since it.
        if let Some(baseline) = &totals.baseline {
            head.push(format!(
                "::notice title={}::{}\n",
                property("akspol: baseline"),
                data(&super::baseline_line(baseline))
            ));
        }
        // One annotation for the whole reason, a line per cause: the failing
        // findings have their own below, within the same ten.
        let reasons = super::exit_reasons(totals);
        if !reasons.is_empty() {
            head.push(format!(
                "::error title={}::{}\n",
                property(&format!(
                    "akspol: {}",
                    super::exit_prefix(totals).trim_end_matches([':', ' '])
                )),
                reasons
                    .iter()
                    .map(|r| data(r))
                    .collect::<Vec<_>>()
                    .join("%0A")
            ));
        }
        for warning in super::header::too_old_warnings(run, totals) {
            head.push(format!(
                "::warning title={}::{}\n",
                property("akspol: catalog too old"),
                data(&warning)
            ));
        }
        let mut kinds = self.kinds;
        for line in &head {
            if let Some(n) = kind_index(line.as_bytes()).and_then(|k| kinds.get_mut(k)) {
                *n += 1;
            }
        }
        let mut limits = Limits::new(kinds);
        for line in &head {
            limits.write(line.as_bytes(), None, out)?;
        }
        let (mut annotation, mut log) = (Vec::new(), Vec::new());
        for class in &mut self.classes {
            class.flush()?;
            let mut lines = class.read_back()?;
            loop {
                annotation.clear();
                log.clear();
                if lines.read_until(b'\n', &mut annotation)? == 0 {
                    break;
                }
                lines.read_until(b'\n', &mut log)?;
                limits.write(&annotation, Some(&log), out)?;
            }
        }
        limits.finish(out)
    }

    /// The job's step summary (`GITHUB_STEP_SUMMARY`), in Markdown: each
    /// inventory's verdict and counts (the first [`SUMMARY_ROWS`]), and why
    /// the run fails.
    fn step_summary(&self, run: &Run, totals: &Totals) -> String {
        use super::markdown::md;
        let mut text = format!("### akspol: {}\n\n", totals.verdict.as_str());
        text.push_str(&format!("As of {}.\n\n", run.as_of));
        // What the verdicts rest on: the editions, and how old each line's facts are.
        for policy in &totals.editions {
            text.push_str(&format!(
                "- Policy: [{}]({}) (`{}`)\n",
                md(policy.title),
                policy.url,
                policy.edition
            ));
        }
        for line in run
            .catalog
            .lines
            .iter()
            .filter(|line| totals.editions.iter().any(|e| e.product == line.product))
        {
            text.push_str(&format!(
                "- Catalog {}: {}\n",
                md(&clean(&run.catalog.source)),
                md(&super::header::catalog_age(line, run.as_of))
            ));
        }
        if !totals.editions.is_empty() {
            text.push('\n');
        }
        text.push_str("| Deployment | Inventory | Verdict | Counts |\n| --- | --- | --- | --- |\n");
        for row in &self.rows {
            text.push_str(row);
        }
        if totals.inventories > SUMMARY_ROWS {
            text.push_str(&format!(
                "\nAnd {} more inventories (see the log).\n",
                totals.inventories - SUMMARY_ROWS
            ));
        }
        if let Some(baseline) = &totals.baseline {
            text.push_str(&format!("\n{}.\n", md(&super::baseline_line(baseline))));
        }
        let reasons = super::exit_reasons(totals);
        if !reasons.is_empty() {
            text.push_str(&format!(
                "\n**Why `akspol check` exits {}:**\n\n",
                totals.exit_status()
            ));
            for reason in reasons {
                text.push_str(&format!("- {}\n", md(&reason)));
            }
        }
        text
    }
}

/// The kind of a command line `::KIND ...`, as an index of [`KINDS`].
fn kind_index(line: &[u8]) -> Option<usize> {
    let kind = line.strip_prefix(b"::")?.split(|&b| b == b' ').next()?;
    KINDS.iter().position(|k| k.as_bytes() == kind)
}

/// Writes commands, each kind up to [`PER_STEP`]; the rest as log lines,
/// then one annotation per kind saying how many were not annotated.
struct Limits {
    /// How many commands of each kind there are in all.
    totals: [usize; 3],
    written: [usize; 3],
    overflow: [usize; 3],
}

impl Limits {
    fn new(totals: [usize; 3]) -> Self {
        Self {
            totals,
            written: [0; 3],
            overflow: [0; 3],
        }
    }

    /// One command line, `::KIND PROPERTIES::MESSAGE` and its newline; past
    /// the cap, `log` (a finding's log line) or else the message after the
    /// kind.
    fn write(&mut self, line: &[u8], log: Option<&[u8]>, out: &mut dyn Write) -> io::Result<()> {
        let k = kind_index(line).unwrap_or(0);
        let (Some(count), Some(all), Some(kind)) =
            (self.written.get_mut(k), self.totals.get(k), KINDS.get(k))
        else {
            return Ok(());
        };
        // Keep the last slot for the summary when they do not all fit.
        if *all <= PER_STEP || *count < PER_STEP - 1 {
            *count += 1;
            return out.write_all(line);
        }
        if let Some(n) = self.overflow.get_mut(k) {
            *n += 1;
        }
        if let Some(log) = log {
            return out.write_all(log);
        }
        // Not a workflow command: the runner prints it as it is. Properties
        // are escaped (`:` is `%3A`), so the message follows the next `::`.
        let message = line
            .get(2 + kind.len()..)
            .and_then(|rest| {
                let at = rest.windows(2).position(|w| w == b"::")?;
                rest.get(at + 2..)
            })
            .unwrap_or_default();
        write!(out, "{kind}: ")?;
        out.write_all(message)
    }

    fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        for (kind, n) in KINDS.iter().zip(self.overflow) {
            if n > 0 {
                writeln!(
                    out,
                    "::{kind} title={}::{}",
                    property("akspol: more annotations"),
                    data(&format!(
                        "{n} more {kind} annotations were printed as log lines above: GitHub shows {PER_STEP} of each kind per step (the SARIF report has them all)"
                    ))
                )?;
            }
        }
        Ok(())
    }
}

/// The annotation kind of a finding; `None` for `pass` and `skip` that do
/// not fail the gate.
fn kind(reported: &ReportedFinding) -> Option<&'static str> {
    if reported.gate.fails() {
        return Some("error");
    }
    if reported.waiver.is_some() {
        return command(reported.finding.outcome.status).map(|_| "notice");
    }
    match reported.finding.outcome.status {
        Status::Fail | Status::Warn | Status::Unknown => Some("warning"),
        status => command(status),
    }
}

/// The workflow command of a status under the default gate; `None` for
/// statuses that are not annotated.
pub fn command(status: Status) -> Option<&'static str> {
    match status {
        Status::Fail => Some("error"),
        Status::Warn | Status::Unknown => Some("warning"),
        Status::Info => Some("notice"),
        Status::Pass | Status::Skip => None,
    }
}

fn message(run: &Run, inventory: &InventoryReport, reported: &ReportedFinding) -> String {
    let f = &reported.finding;
    let mut text = format!(
        "{}: {}: {}",
        inventory.label(f.scope),
        f.outcome.status.as_str(),
        f.outcome.message
    );
    if let Some(d) = &f.outcome.deadline {
        text.push_str(&format!(" ({})", deadline_text(run.as_of, d)));
    }
    if let Some(w) = &reported.waiver {
        text.push_str(&format!(" [waived until {}: {}]", w.expires, w.reason));
    }
    if let Some(compared) = &reported.baseline {
        text.push_str(&format!(
            " [{} since the baseline]",
            super::compared_text(compared)
        ));
    }
    text
}

/// `::error file=..,line=..,col=..::` for a file that could not be judged.
pub fn problem_command(problem: &FileProblem) -> String {
    let mut properties = Vec::new();
    if problem.file != crate::base::STDIN_ORIGIN {
        properties.push(format!("file={}", property(&problem.file)));
    }
    if let Some(line) = problem.line {
        properties.push(format!("line={line}"));
    }
    if let Some(column) = problem.column {
        properties.push(format!("col={column}"));
    }
    properties.push(format!("title={}", property("akspol: cannot judge")));
    format!(
        "::error {}::{}",
        properties.join(","),
        data(&problem.message)
    )
}

/// Escapes a command's message (`escapeData` in `@actions/core`).
pub fn data(value: &str) -> String {
    clean(value)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`escapeProperty` in `@actions/core`).
pub fn property(value: &str) -> String {
    data(value).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_decodes() {
        assert_eq!(data("50% done"), "50%25 done");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
        // A newline is replaced before escaping: it cannot start a new command.
        assert!(!data("x\n::error::forged").contains('\n'));
    }

    #[test]
    fn summarises_beyond_the_per_step_limit() {
        let mut limits = Limits::new([0, 25, 0]);
        let mut out = Vec::new();
        for i in 0..25 {
            let line = format!("::warning title=t::finding {i}\n");
            limits.write(line.as_bytes(), None, &mut out).unwrap();
        }
        limits.finish(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let annotations = text.lines().filter(|l| l.starts_with("::warning")).count();
        assert_eq!(annotations, PER_STEP);
        assert!(text.contains("\nwarning: finding 24\n"), "{text}");
        assert!(text.contains("16 more warning annotations"), "{text}");
    }
}
