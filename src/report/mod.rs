//! Reports: one file per output format of `check`. A format reads the
//! findings model and nothing else; rules never print, and only this room
//! formats findings.
//!
//! Every format streams, so a fleet is written in constant memory: what the
//! run knows first ([`Run`]) heads it, each inventory's part ([`Piece`]) is
//! rendered by the worker that judged it ([`Layout::piece`]) and written in
//! input order as it comes ([`Assembly::push`]), and the totals
//! ([`Totals`]) close it ([`Assembly::finish`]). A format whose head needs
//! the totals (Markdown's verdict line, JUnit's counts, HTML's fleet view,
//! SARIF's notifications, GitHub's order of annotations) keeps its pieces in
//! a [`Spool`] (a temporary file) and writes them after the head at the
//! end: the same bytes as when the whole report is held at once
//! ([`Format::render`]).

pub mod github;
pub mod header;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use std::io::{self, BufRead, Write};

use crate::base::dates::{days_between, Day};
use crate::findings::{
    Cause, CauseKind, Deadline, InventoryReport, Report, Run, Status, Summary, Totals,
};

/// How to render: what only the caller knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    pub color: bool,
    /// Width the table may take.
    pub width: u16,
    /// The statuses the table and Markdown list row by row; the others are
    /// folded into one line per status.
    pub show: Show,
    /// Where SARIF URIs are relative to (`--sarif-root`), and the current
    /// directory relative inventory paths start from; both absolute.
    pub sarif_paths: Option<sarif::Paths>,
    /// Days ahead the HTML timeline shows (`--horizon`).
    pub horizon: u32,
    /// The table shows the fleet summary only (`--summary-only`).
    pub summary_only: bool,
}

/// The HTML timeline's default span: half a year.
pub const DEFAULT_HORIZON_DAYS: u32 = 180;

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 140,
            show: Show::DEFAULT,
            sarif_paths: None,
            horizon: DEFAULT_HORIZON_DAYS,
            summary_only: false,
        }
    }
}

/// A set of statuses (`--show fail,warn,...|all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Show(u8);

impl Show {
    /// What is worth a row: everything but `pass` and `skip`.
    pub const DEFAULT: Show = Show(
        Show::bit(Status::Fail)
            | Show::bit(Status::Unknown)
            | Show::bit(Status::Warn)
            | Show::bit(Status::Info),
    );
    pub const ALL: Show = Show(0b11_1111);
    pub const NONE: Show = Show(0);

    const fn bit(status: Status) -> u8 {
        1 << status as u8
    }

    pub fn contains(self, status: Status) -> bool {
        self.0 & Show::bit(status) != 0
    }

    pub fn with(self, status: Status) -> Show {
        Show(self.0 | Show::bit(status))
    }

    /// `fail,warn,pass` or `all` (case-insensitive).
    pub fn parse(text: &str) -> Result<Show, String> {
        let mut show = Show::NONE;
        for word in text.split(',').map(str::trim) {
            if word.eq_ignore_ascii_case("all") {
                show = Show::ALL;
                continue;
            }
            let status = Status::ALL
                .into_iter()
                .find(|s| s.as_str().eq_ignore_ascii_case(word))
                .ok_or_else(|| {
                    format!(
                        "`{}` is not a status; expected all, or some of fail, unknown, warn, info, pass, skip",
                        crate::base::sanitize::clean(word)
                    )
                })?;
            show = show.with(status);
        }
        Ok(show)
    }
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
    Html,
}

impl Format {
    /// Whether the format points into the inventory file (and needs its lines).
    pub fn needs_lines(self) -> bool {
        matches!(self, Format::Sarif | Format::Github)
    }

    /// Whether the format shows each cluster's support coverage.
    pub fn needs_coverage(self) -> bool {
        matches!(self, Format::Table | Format::Markdown | Format::Html)
    }

    /// Whether the format shows the upgrade plan (its calendar, its steps).
    pub fn needs_plan(self) -> bool {
        matches!(self, Format::Markdown | Format::Html)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Html => "html",
        }
    }

    /// A whole report held at once, written the way `check` streams it.
    pub fn render(
        self,
        report: &Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let run = &report.run;
        let layout = Layout::new(self, options.clone(), run);
        let mut spools = || Ok(Box::new(MemorySpool::default()) as Box<dyn Spool>);
        let mut assembly = Assembly::new(&layout, &mut spools)?;
        for (ordinal, inventory) in report.inventories.iter().enumerate() {
            assembly.push(run, layout.piece(run, ordinal, inventory), out)?;
        }
        assembly.finish(&layout, run, &report.totals, out)
    }

    /// Whether the format writes its pieces after a head that needs the
    /// run's totals, and so keeps them in a [`Spool`] until the end.
    pub fn spools(self) -> bool {
        !matches!(self, Format::Table | Format::Json)
    }
}

/// One output of a run: its format and options, and what it works out once
/// (the HTML page's rule explanations). Shared by the workers, each
/// rendering the piece of the inventory it judged.
#[derive(Debug)]
pub struct Layout {
    pub format: Format,
    pub options: RenderOptions,
    html: Option<html::Prepared>,
}

impl Layout {
    pub fn new(format: Format, options: RenderOptions, run: &Run) -> Self {
        Self {
            html: (format == Format::Html).then(|| html::Prepared::new(run)),
            format,
            options,
        }
    }

    /// One inventory's part of this output; `ordinal` is its place among
    /// the judged inventories.
    pub fn piece(&self, run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece {
        let options = &self.options;
        match (self.format, &self.html) {
            (Format::Table, _) => table::piece(run, options, inventory),
            (Format::Json, _) => json::piece(run, inventory),
            (Format::Markdown, _) => markdown::piece(run, options.show, inventory),
            (Format::Sarif, _) => sarif::piece(run, options.sarif_paths.as_ref(), inventory),
            (Format::Junit, _) => junit::piece(run, inventory),
            (Format::Github, _) => github::piece(run, ordinal, inventory),
            (Format::Html, Some(prepared)) => {
                html::piece(run, options, prepared, ordinal, inventory)
            }
            (Format::Html, None) => Piece::default(),
        }
    }
}

/// One inventory's part of an output: its bytes, and what the format's
/// assembly needs to know of them.
#[derive(Debug, Default)]
pub struct Piece {
    bytes: Vec<u8>,
    meta: Meta,
}

#[derive(Debug, Default)]
enum Meta {
    #[default]
    Plain,
    Junit(junit::Counts),
    Sarif(Vec<sarif::Part>),
    Github(github::Parts),
    Html(html::Parts),
}

/// Where a format keeps what it writes later than it comes: written while
/// the run goes, read back at its end. `check` spools to a temporary file.
pub trait Spool: Write + Send {
    /// Bytes written so far: where the next write lands.
    fn position(&self) -> u64;
    /// Writes the bytes `range` of what was written to `out`.
    fn copy_to(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()>;
    /// Everything written, from the start.
    fn read_back(&mut self) -> io::Result<Box<dyn BufRead + '_>>;
}

/// Makes the spools an output needs.
pub type SpoolMaker<'a> = dyn FnMut() -> io::Result<Box<dyn Spool>> + 'a;

/// A spool in memory, for a report held at once.
#[derive(Debug, Default)]
pub struct MemorySpool(Vec<u8>);

impl Write for MemorySpool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Spool for MemorySpool {
    fn position(&self) -> u64 {
        self.0.len() as u64
    }
    fn copy_to(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        let start = usize::try_from(range.start).unwrap_or(usize::MAX);
        let end = usize::try_from(range.end).unwrap_or(usize::MAX);
        out.write_all(self.0.get(start..end).unwrap_or_default())
    }
    fn read_back(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        Ok(Box::new(self.0.as_slice()))
    }
}

/// An output as it is written: its head when the first piece comes, the
/// pieces in input order, its end with the totals.
pub struct Assembly {
    started: bool,
    state: State,
}

enum State {
    Table(table::Assembly),
    Json(json::Assembly),
    Markdown(markdown::Assembly),
    Sarif(sarif::Assembly),
    Junit(junit::Assembly),
    Github(github::Assembly),
    Html(html::Assembly),
}

impl Assembly {
    pub fn new(layout: &Layout, spools: &mut SpoolMaker<'_>) -> io::Result<Self> {
        let state = match layout.format {
            Format::Table => State::Table(table::Assembly::default()),
            Format::Json => State::Json(json::Assembly::default()),
            Format::Markdown => State::Markdown(markdown::Assembly::new(spools()?)),
            Format::Sarif => State::Sarif(sarif::Assembly::new(spools()?)),
            Format::Junit => State::Junit(junit::Assembly::new(spools()?)),
            Format::Github => State::Github(github::Assembly::new(spools)?),
            Format::Html => State::Html(html::Assembly::new(spools)?),
        };
        Ok(Self {
            started: false,
            state,
        })
    }

    /// Writes the next inventory's piece (the head first, before the first).
    pub fn push(&mut self, run: &Run, piece: Piece, out: &mut dyn Write) -> io::Result<()> {
        self.start(run, out)?;
        match &mut self.state {
            State::Table(a) => a.push(piece, out),
            State::Json(a) => a.push(piece, out),
            State::Markdown(a) => a.push(piece),
            State::Sarif(a) => a.push(piece),
            State::Junit(a) => a.push(piece),
            State::Github(a) => a.push(piece),
            State::Html(a) => a.push(piece),
        }
    }

    /// Writes what follows the last piece, with the run's totals.
    pub fn finish(
        mut self,
        layout: &Layout,
        run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.start(run, out)?;
        let options = &layout.options;
        match self.state {
            State::Table(a) => a.finish(options, totals, out),
            State::Json(a) => a.finish(totals, out),
            State::Markdown(a) => a.finish(run, totals, out),
            State::Sarif(a) => a.finish(run, totals, out),
            State::Junit(a) => a.finish(run, out),
            State::Github(a) => a.finish(run, totals, out),
            State::Html(a) => a.finish(run, options, totals, out),
        }
    }

    /// The head of a format that has one before its pieces (JSON).
    fn start(&mut self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if std::mem::replace(&mut self.started, true) {
            return Ok(());
        }
        match &mut self.state {
            State::Json(a) => a.start(run, out),
            _ => Ok(()),
        }
    }

    /// The GitHub step summary of the run, when this is a GitHub output.
    pub fn step_summary(&self, run: &Run, totals: &Totals) -> Option<String> {
        match &self.state {
            State::Github(a) => Some(a.step_summary(run, totals)),
            _ => None,
        }
    }
}

/// The tool's version, as reports print it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether `head`, the first bytes of a file (4 KiB are enough), begins as
/// akspol's reports begin: the mark that tells a report akspol wrote from
/// another file of the same name (only such a report is removed as stale).
/// Each format's own header is the mark: JSON's `reportVersion` and
/// `tool.name`, SARIF's `tool.driver.name`, the JUnit `testsuites` name, the
/// HTML `generator` meta, the Markdown title, GitHub's first `::notice`. A
/// table has none. `tests/outputs.rs` renders every format and checks it.
pub fn is_akspol_report(head: &[u8]) -> bool {
    let starts = |prefix: &str| head.starts_with(prefix.as_bytes());
    let holds = |part: &str| head.windows(part.len()).any(|w| w == part.as_bytes());
    (starts("{\n  \"reportVersion\": ") && holds("\n  \"tool\": {\n    \"name\": \"akspol\","))
        || (starts("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",")
            && holds("\"driver\": {\n          \"name\": \"akspol\","))
        || starts("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"akspol ")
        || (starts("<!DOCTYPE html>\n") && holds("\n<meta name=\"generator\" content=\"akspol "))
        || starts("# akspol support report\n")
        || starts("::notice title=akspol%3A ")
}

/// A short, stable identifier of a finding: FNV-1a (64-bit) of the rule code
/// and the scope label, in hex. Deterministic across runs and platforms, so CI
/// systems can track a finding from one run to the next.
pub fn fingerprint(rule: &str, scope: &str) -> String {
    crate::base::fnv1a_hex(rule.bytes().chain([0u8]).chain(scope.bytes()))
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

/// `in 7 days`, `in 1 day`, `today`, `1 day ago`, `12 days ago`.
pub fn days_text(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "in 1 day".to_string(),
        n if n > 0 => format!("in {n} days"),
        -1 => "1 day ago".to_string(),
        n => format!("{} days ago", -n),
    }
}

/// `deadline 2026-11-30 (in 7 days): stopped more than 60 days: ...`, the
/// way every text format says a deadline (`~` before an estimated date).
pub fn deadline_text(as_of: Day, deadline: &Deadline) -> String {
    format!(
        "deadline {} ({}): {}",
        deadline.date_text(),
        days_text(days_between(as_of, deadline.date)),
        deadline.what
    )
}

/// What a failing gate means for `check`: the exit status (the face's
/// `EXIT_FINDINGS`) each reason line starts with.
pub const EXIT_REASON_PREFIX: &str = "exit 1: ";

/// Why the run fails, one sentence per cause (`judge::gate`), for standard
/// error, the table, GitHub annotations and the step summary. Empty when it
/// passes. Inventory names in it are sanitized.
pub fn gate_reasons(totals: &Totals) -> Vec<String> {
    let many = totals.inventories > 1;
    totals
        .gate
        .causes
        .iter()
        .map(|cause| cause_text(totals, cause, many))
        .collect()
}

fn cause_text(totals: &Totals, cause: &Cause, many: bool) -> String {
    use crate::base::sanitize::clean;
    let rule = format!("{} {}", cause.rule.code, cause.rule.name);
    let example = &cause.example;
    let scope = clean(&example.scope);
    let place = if many {
        format!("{scope} of {}", clean(&example.deployment))
    } else {
        scope.into_owned()
    };
    let which = match cause.kind {
        CauseKind::Status(_) => "the first",
        CauseKind::Deadline { .. } => "the nearest",
    };
    let on = match (cause.inventories, cause.findings) {
        (_, 1) => format!("on {place}"),
        (0 | 1, n) => format!("on {n} scopes, {place} {which}"),
        (k, n) => format!("on {n} scopes in {k} inventories, {place} {which}"),
    };
    let settings = totals.gate.settings;
    match &cause.kind {
        CauseKind::Status(status) => {
            let worst = match status {
                Status::Fail => "fails",
                Status::Unknown => "is unknown",
                Status::Warn => "warns",
                _ => "is reported",
            };
            format!(
                "{rule} {worst} {on}{} ({})",
                since_baseline(totals, cause),
                settings.fail_on_flag()
            )
        }
        CauseKind::Deadline { nearest, days } => {
            let within = settings.fail_within.unwrap_or(0);
            let when = match *days {
                d if d < 0 => format!("has passed ({})", days_text(d)),
                0 => "is today".to_string(),
                d => format!("is within {within} days ({})", days_text(d)),
            };
            let subject = if cause.findings > 1 {
                "nearest deadline"
            } else {
                "deadline"
            };
            let only_new = if settings.only_new {
                format!(" {}", crate::findings::gate::FAIL_ON_NEW)
            } else {
                String::new()
            };
            format!(
                "{rule} {subject} {} {when}, {on}{} (--fail-within {within}{only_new})",
                nearest.date_text(),
                since_baseline(totals, cause)
            )
        }
    }
}

/// `, new since the baseline`, `, 2 new and 1 worse since the baseline`:
/// what a cause's findings are next to `--baseline` (nothing without one).
fn since_baseline(totals: &Totals, cause: &Cause) -> String {
    if totals.baseline.is_none() {
        return String::new();
    }
    match (cause.findings, cause.new, cause.worse) {
        (_, 0, 0) => ", none new or worse since the baseline".to_string(),
        (1, 1, _) => ", new since the baseline".to_string(),
        (1, _, 1) => ", worse since the baseline".to_string(),
        (_, n, 0) => format!(", {n} new since the baseline"),
        (_, 0, w) => format!(", {w} worse since the baseline"),
        (_, n, w) => format!(", {n} new and {w} worse since the baseline"),
    }
}

/// `new`, `worse (was warn, deadline 2027-01-01)`: a finding next to the
/// baseline, in words.
pub fn compared_text(compared: &crate::findings::Compared) -> String {
    use crate::findings::BaselineState;
    let state = compared.state.as_str();
    match (&compared.was, compared.state) {
        (Some(was), BaselineState::Worse | BaselineState::Better) => {
            let deadline = was
                .deadline
                .map(|d| format!(", deadline {d}"))
                .unwrap_or_default();
            format!("{state} (was {}{deadline})", was.status.as_str())
        }
        _ => state.to_string(),
    }
}

/// `baseline last-week.json (as of 2026-11-16, sha256 9f86...): 2 new, 1
/// worse, ...`: the comparison of the run in one line (inventory names
/// sanitized). The digest says which file was trusted as the baseline.
pub fn baseline_line(baseline: &crate::findings::BaselineSummary) -> String {
    use crate::base::sanitize::clean;
    let c = &baseline.counts;
    let mut line = format!(
        "baseline {} (as of {}, sha256 {}): {} new, {} worse, {} better, {} unchanged, {} resolved",
        clean(&baseline.source),
        clean(&baseline.as_of),
        baseline.sha256,
        c.new,
        c.worse,
        c.better,
        c.unchanged,
        c.resolved
    );
    if !baseline.not_in_run.is_empty() {
        line.push_str(&format!(
            "; {} of the baseline not judged in this run (not compared)",
            table::inventories(baseline.not_in_run.len())
        ));
    }
    line
}

/// `10 pass (V001, V005, ...)`: one part per status `show` leaves out (and
/// no finding of it fails the run), with its rules, worst first.
pub fn folded_counts(run: &Run, inventory: &InventoryReport, show: Show) -> Vec<String> {
    let mut parts = Vec::new();
    for status in Status::WORST_FIRST {
        if show.contains(status) {
            continue;
        }
        let folded: Vec<&crate::findings::ReportedFinding> = inventory
            .findings
            .iter()
            .filter(|f| f.finding.outcome.status == status && !f.gate.fails())
            .collect();
        if !folded.is_empty() {
            parts.push(format!(
                "{} {} ({})",
                folded.len(),
                status.as_str(),
                rule_codes(run, &folded)
            ));
        }
    }
    parts
}

/// The rule codes of `findings`, each once, in the registry's order.
pub fn rule_codes(run: &Run, findings: &[&crate::findings::ReportedFinding]) -> String {
    run.rules
        .iter()
        .filter(|rule| findings.iter().any(|f| f.finding.rule.code == rule.code))
        .map(|rule| rule.code)
        .collect::<Vec<_>>()
        .join(", ")
}
