//! Reports: one file per output format of `check`. A format reads the
//! findings model and nothing else; rules never print, and only this room
//! formats findings.
//!
//! Each format is an [`Emitter`] (`emit.rs` says how a report streams: each
//! inventory's piece rendered by the worker that judged it, the pieces
//! assembled in input order, spooled when the head needs the totals), named
//! once in the `formats!` list below. The helpers after it are the words
//! every text format shares (counts, days, deadlines, why the run fails).

mod emit;
pub mod github;
pub mod header;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod openmetrics;
pub mod sarif;
pub mod table;

pub use emit::{Assembly, Emitter, Layout, MemorySpool, Needs, Piece, Spool, SpoolMaker};

use std::io::{self, Write};
use std::sync::Arc;

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
    /// What is worth a row when `--show` is not given: everything but
    /// `pass` and `skip`. Marked as the default, so the table can fold
    /// more of it ([`Show::is_default`]).
    pub const DEFAULT: Show = Show(
        Show::bit(Status::Fail)
            | Show::bit(Status::Unknown)
            | Show::bit(Status::Warn)
            | Show::bit(Status::Info)
            | Show::GIVEN_BY_DEFAULT,
    );
    pub const ALL: Show = Show(0b11_1111);
    pub const NONE: Show = Show(0);
    /// Set when no `--show` was given: not a status.
    const GIVEN_BY_DEFAULT: u8 = 1 << 7;

    const fn bit(status: Status) -> u8 {
        1 << status as u8
    }

    pub fn contains(self, status: Status) -> bool {
        self.0 & Show::bit(status) != 0
    }

    pub fn with(self, status: Status) -> Show {
        Show(self.0 | Show::bit(status))
    }

    pub fn without(self, status: Status) -> Show {
        Show(self.0 & !Show::bit(status))
    }

    /// Whether no `--show` was given (the set is [`Show::DEFAULT`]).
    pub fn is_default(self) -> bool {
        self.0 & Show::GIVEN_BY_DEFAULT != 0
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

/// Every output format of `check`: `Variant => its Emitter`. The one list
/// a new format joins; the variant is how code names the format, the
/// emitter's `NAME` how the command line does.
macro_rules! formats {
    ($($variant:ident => $emitter:ty,)+) => {
        /// The output formats of `check` (`--format`, `--report FORMAT=FILE`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Format {
            $($variant,)+
        }

        impl Format {
            /// Every format, in the order `--help` lists them.
            pub const ALL: &'static [Format] = &[$(Format::$variant,)+];

            /// Its name on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Format::$variant => <$emitter as Emitter>::NAME,)+
                }
            }

            /// What the judge must work out for it besides the findings.
            pub fn needs(self) -> Needs {
                match self {
                    $(Format::$variant => <$emitter as Emitter>::NEEDS,)+
                }
            }

            /// Whether `head` begins as this format's reports do.
            fn is_own_report(self, head: &[u8]) -> bool {
                match self {
                    $(Format::$variant => <$emitter as Emitter>::is_own_report(head),)+
                }
            }

            /// Its emitter for one output.
            fn emitter(self, options: &RenderOptions, run: &Run) -> Arc<dyn emit::AnyEmitter> {
                match self {
                    $(Format::$variant => Arc::new(<$emitter as Emitter>::new(options, run)),)+
                }
            }
        }
    };
}

formats! {
    Table => table::TableEmitter,
    Json => json::JsonEmitter,
    Markdown => markdown::MarkdownEmitter,
    Sarif => sarif::SarifEmitter,
    Junit => junit::JunitEmitter,
    Github => github::GithubEmitter,
    Html => html::HtmlEmitter,
    Openmetrics => openmetrics::OpenmetricsEmitter,
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

impl Format {
    /// Whether the format points into the inventory file (and needs its lines).
    pub fn needs_lines(self) -> bool {
        self.needs().lines
    }

    /// Whether the format shows each cluster's support coverage.
    pub fn needs_coverage(self) -> bool {
        self.needs().coverage
    }

    /// Whether the format shows the upgrade plan (its calendar, its steps).
    pub fn needs_plan(self) -> bool {
        self.needs().plan
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
        assembly.finish(run, &report.totals, out)
    }
}

/// The tool's version, as reports print it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether `head`, the first bytes of a file (4 KiB are enough), begins as
/// akspol's reports begin: the mark that tells a report akspol wrote from
/// another file of the same name (only such a report is removed as stale).
/// Each format's own header is the mark ([`Emitter::is_own_report`]): JSON's
/// `reportVersion` and `tool.name`, SARIF's `tool.driver.name`, the JUnit
/// `testsuites` name, the HTML `generator` meta, the Markdown title,
/// GitHub's first `::notice`. A table has none. `tests/outputs.rs` renders
/// every format and checks it.
pub fn is_akspol_report(head: &[u8]) -> bool {
    Format::ALL.iter().any(|format| format.is_own_report(head))
}

/// Whether `head` holds `part` anywhere.
fn head_holds(head: &[u8], part: &str) -> bool {
    head.windows(part.len()).any(|w| w == part.as_bytes())
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

/// What each closing line starts with: the exit status the run ends with,
/// `exit 2: ` when an input could not be judged, else `exit 1: `.
pub fn exit_prefix(totals: &Totals) -> String {
    format!("exit {}: ", totals.exit_status().max(1))
}

/// Why the run exits 2, in one sentence: the inputs that could not be
/// judged (the first few named); `None` when every input was judged.
pub fn not_judged_reason(totals: &Totals) -> Option<String> {
    use crate::base::sanitize::clean;
    if totals.not_judged == 0 {
        return None;
    }
    let names: Vec<String> = totals
        .not_judged_names
        .iter()
        .map(|n| clean(n).into_owned())
        .collect();
    let more = totals.not_judged.saturating_sub(names.len());
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(format!(
        "{} could not be judged: {}{more}",
        match totals.not_judged {
            1 => "1 input".to_string(),
            n => format!("{n} inputs"),
        },
        names.join(", ")
    ))
}

/// Every cause of the run's exit status, one sentence each: the inputs
/// that could not be judged (exit 2), then what fails the gate (exit 1 on
/// its own). Empty when the run exits 0.
pub fn exit_reasons(totals: &Totals) -> Vec<String> {
    not_judged_reason(totals)
        .into_iter()
        .chain(gate_reasons(totals))
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The command line reads each format back by its emitter's name, and
    /// no two formats share one.
    #[test]
    fn every_format_is_named_once_and_read_back_by_its_name() {
        use clap::ValueEnum;
        let mut names = std::collections::HashSet::new();
        for &format in Format::ALL {
            assert!(names.insert(format.as_str()), "{format:?}");
            assert_eq!(Format::from_str(format.as_str(), false), Ok(format));
        }
        assert_eq!(names.len(), Format::value_variants().len());
    }
}
