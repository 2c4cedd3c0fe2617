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
//! lines and one last annotation of the kind says how many were not
//! annotated. Inventory text is untrusted: every value is escaped the way the
//! runner decodes it (`%`, CR, LF; and `:` and `,` in properties), and
//! control characters are replaced, so no inventory string can end the line
//! and forge another workflow command.

use std::io::{self, Write};

use super::{counts_text, deadline_text, gate_reasons, EXIT_REASON_PREFIX};
use crate::base::sanitize::clean;
use crate::findings::{FileProblem, Report, ReportedFinding, Status};

/// Annotations of one kind (error, warning, notice) GitHub shows per step.
pub const PER_STEP: usize = 10;
/// Inventories the step summary lists before "and N more" (GitHub takes 1 MiB).
const SUMMARY_ROWS: usize = 100;

/// The three kinds of annotation, in the order counted.
const KINDS: [&str; 3] = ["error", "warning", "notice"];

/// One workflow command before it is written.
struct Command {
    kind: &'static str,
    /// `file=...,line=...,title=...`, escaped.
    properties: String,
    /// The message, escaped (`data`).
    message: String,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut commands = Vec::new();
    let verdict = report.verdict().as_str();
    let counts = match report.inventories.as_slice() {
        [one] => format!(
            "{}: {verdict} ({})",
            one.deployment,
            counts_text(&one.summary)
        ),
        many => {
            let v = &report.fleet.verdicts;
            format!(
                "{}: {} supported, {} at-risk, {} unsupported",
                super::table::inventories(many.len()),
                v.supported,
                v.at_risk,
                v.unsupported
            )
        }
    };
    commands.push(Command {
        kind: "notice",
        properties: format!("title={}", property(&format!("akspol: {verdict}"))),
        message: data(&counts),
    });
    // One annotation for the whole reason, a line per cause: the failing
    // findings have their own below, within the same ten.
    let reasons = gate_reasons(report);
    if !reasons.is_empty() {
        commands.push(Command {
            kind: "error",
            properties: format!(
                "title={}",
                property(&format!(
                    "akspol: {}",
                    EXIT_REASON_PREFIX.trim_end_matches([':', ' '])
                ))
            ),
            message: reasons
                .iter()
                .map(|r| data(r))
                .collect::<Vec<_>>()
                .join("%0A"),
        });
    }
    let mut findings: Vec<(&crate::findings::InventoryReport, &ReportedFinding)> = report
        .inventories
        .iter()
        .flat_map(|i| i.findings.iter().map(move |f| (i, f)))
        .filter(|(_, f)| kind(f).is_some())
        .collect();
    findings.sort_by_key(|(_, f)| (!f.gate.fails(), f.finding.outcome.status.rank()));
    for (inventory, reported) in findings {
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
        commands.push(Command {
            kind,
            properties: properties.join(","),
            message: data(&message(report, inventory, reported)),
        });
    }
    write_within_limits(&commands, out)
}

/// Writes the commands, each kind up to [`PER_STEP`]; the rest as log lines,
/// then one annotation per kind saying how many were not annotated.
fn write_within_limits(commands: &[Command], out: &mut dyn Write) -> io::Result<()> {
    let total = |kind: &str| commands.iter().filter(|c| c.kind == kind).count();
    let totals = KINDS.map(total);
    let mut written = [0usize; 3];
    let mut overflow = [0usize; 3];
    for command in commands {
        let k = KINDS.iter().position(|&k| k == command.kind).unwrap_or(0);
        let (Some(count), Some(all)) = (written.get_mut(k), totals.get(k)) else {
            continue;
        };
        // Keep the last slot for the summary when they do not all fit.
        if *all <= PER_STEP || *count < PER_STEP - 1 {
            *count += 1;
            writeln!(
                out,
                "::{} {}::{}",
                command.kind, command.properties, command.message
            )?;
        } else {
            if let Some(n) = overflow.get_mut(k) {
                *n += 1;
            }
            // Not a workflow command: the runner prints it as it is.
            writeln!(out, "{}: {}", command.kind, command.message)?;
        }
    }
    for (kind, n) in KINDS.iter().zip(overflow) {
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

fn message(
    report: &Report,
    inventory: &crate::findings::InventoryReport,
    reported: &ReportedFinding,
) -> String {
    let f = &reported.finding;
    let mut text = format!(
        "{}: {}: {}",
        inventory.label(f.scope),
        f.outcome.status.as_str(),
        f.outcome.message
    );
    if let Some(d) = &f.outcome.deadline {
        text.push_str(&format!(" ({})", deadline_text(report.as_of, d)));
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

/// The job's step summary (`GITHUB_STEP_SUMMARY`), in Markdown: each
/// inventory's verdict and counts, and why the run fails.
pub fn step_summary(report: &Report) -> String {
    use super::markdown::md;
    let mut text = format!("### akspol: {}\n\n", report.verdict().as_str());
    text.push_str(&format!("As of {}.\n\n", report.as_of));
    text.push_str("| Deployment | Inventory | Verdict | Counts |\n| --- | --- | --- | --- |\n");
    for inventory in report.inventories.iter().take(SUMMARY_ROWS) {
        text.push_str(&format!(
            "| {} | {} | **{}** | {} |\n",
            md(&inventory.deployment),
            md(&inventory.source),
            inventory.verdict.as_str(),
            counts_text(&inventory.summary)
        ));
    }
    if report.inventories.len() > SUMMARY_ROWS {
        text.push_str(&format!(
            "\nAnd {} more inventories (see the log).\n",
            report.inventories.len() - SUMMARY_ROWS
        ));
    }
    if let Some(baseline) = &report.baseline {
        text.push_str(&format!("\n{}.\n", md(&super::baseline_line(baseline))));
    }
    let reasons = gate_reasons(report);
    if !reasons.is_empty() {
        text.push_str(&format!(
            "\n**{}**\n\n",
            EXIT_REASON_PREFIX.trim_end_matches([':', ' '])
        ));
        for reason in reasons {
            text.push_str(&format!("- {}\n", md(&reason)));
        }
    }
    text
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
        let commands: Vec<Command> = (0..25)
            .map(|i| Command {
                kind: "warning",
                properties: "title=t".into(),
                message: format!("finding {i}"),
            })
            .collect();
        let mut out = Vec::new();
        write_within_limits(&commands, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let annotations = text.lines().filter(|l| l.starts_with("::warning")).count();
        assert_eq!(annotations, PER_STEP);
        assert!(text.contains("warning: finding 24"));
        assert!(text.contains("16 more warning annotations"), "{text}");
    }
}
