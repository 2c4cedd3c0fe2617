//! Reports: one renderer per output format of `check`. A renderer reads the
//! findings model ([`crate::findings::Report`]) and nothing else; rules never
//! print, and only this room formats findings.

pub mod github;
pub mod header;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use std::io::{self, Write};

use crate::base::dates::{days_between, Day};
use crate::findings::{Cause, CauseKind, Deadline, Report, Status, Summary};

/// How to render: what only the caller knows.
#[derive(Debug, Clone)]
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
        matches!(self, Format::Table | Format::Markdown)
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

    pub fn render(
        self,
        report: &Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Format::Table => table::render(report, options, out),
            Format::Json => json::render(report, out),
            Format::Markdown => markdown::render(report, options.show, out),
            Format::Sarif => sarif::render(report, options.sarif_paths.as_ref(), out),
            Format::Junit => junit::render(report, out),
            Format::Github => github::render(report, out),
            Format::Html => html::render(report, options, out),
        }
    }
}

/// The tool's version, as reports print it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

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
pub fn gate_reasons(report: &Report) -> Vec<String> {
    let many = report.inventories.len() > 1;
    report
        .gate
        .causes
        .iter()
        .map(|cause| cause_text(report, cause, many))
        .collect()
}

fn cause_text(report: &Report, cause: &Cause, many: bool) -> String {
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
    let settings = report.gate.settings;
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
                since_baseline(report, cause),
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
                since_baseline(report, cause)
            )
        }
    }
}

/// `, new since the baseline`, `, 2 new and 1 worse since the baseline`:
/// what a cause's findings are next to `--baseline` (nothing without one).
fn since_baseline(report: &Report, cause: &Cause) -> String {
    if report.baseline.is_none() {
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

/// `baseline last-week.json (as of 2026-11-16): 2 new, 1 worse, ...`: the
/// comparison of the run in one line (inventory names sanitized).
pub fn baseline_line(baseline: &crate::findings::BaselineSummary) -> String {
    use crate::base::sanitize::clean;
    let c = &baseline.counts;
    let mut line = format!(
        "baseline {} (as of {}): {} new, {} worse, {} better, {} unchanged, {} resolved",
        clean(&baseline.source),
        clean(&baseline.as_of),
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
pub fn folded_counts(
    report: &Report,
    inventory: &crate::findings::InventoryReport,
    show: Show,
) -> Vec<String> {
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
                rule_codes(report, &folded)
            ));
        }
    }
    parts
}

/// The rule codes of `findings`, each once, in the registry's order.
pub fn rule_codes(report: &Report, findings: &[&crate::findings::ReportedFinding]) -> String {
    report
        .rules
        .iter()
        .filter(|rule| findings.iter().any(|f| f.finding.rule.code == rule.code))
        .map(|rule| rule.code)
        .collect::<Vec<_>>()
        .join(", ")
}
