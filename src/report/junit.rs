//! `--format junit`: JUnit XML for CI test-report readers (GitHub, Azure
//! DevOps, GitLab, Jenkins). One `testsuite` per inventory, one `testcase`
//! per rule and scope. A finding that fails the gate is a `failure`: its
//! status at or above `--fail-on` (type `fail-on`), or its deadline within
//! `--fail-within` days (type `fail-within`), the message saying which; so
//! every exit status 1 shows as failed tests. `skip` and waived findings are
//! `skipped`; the others pass with their status in `system-out`. No
//! timestamps or durations, so the bytes are deterministic.

use std::io::{self, Write};

use super::{
    counts_text, days_text, deadline_text, Emitter, Piece, RenderOptions, Spool, SpoolMaker,
    TOOL_VERSION,
};
use crate::base::dates::days_between;
use crate::base::sanitize::clean;
use crate::findings::Status;
use crate::findings::{InventoryReport, ReportedFinding, Run, Totals};

/// `--format junit`.
pub(super) struct JunitEmitter;

/// The head counts every suite, so the suites wait in a spool.
impl Emitter for JunitEmitter {
    const NAME: &'static str = "junit";
    type Meta = Counts;
    type State = Suites;

    fn new(_options: &RenderOptions, _run: &Run) -> Self {
        JunitEmitter
    }

    /// One inventory's `testsuite`, and its counts for the head.
    fn piece(&self, run: &Run, _ordinal: usize, inventory: &InventoryReport) -> Piece<Counts> {
        let mut bytes = Vec::new();
        // Writing to memory cannot fail.
        let _ = suite(run, inventory, &mut bytes);
        Piece::new(bytes, counts(inventory))
    }

    fn open(&self, spools: &mut SpoolMaker<'_>) -> io::Result<Suites> {
        Ok(Suites {
            suites: spools()?,
            totals: Counts::default(),
        })
    }

    fn is_own_report(head: &[u8]) -> bool {
        head.starts_with(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"akspol ")
    }

    fn push(
        &self,
        state: &mut Suites,
        piece: Piece<Counts>,
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        let Counts(tests, failures, skipped) = piece.meta;
        let t = &mut state.totals;
        *t = Counts(t.0 + tests, t.1 + failures, t.2 + skipped);
        state.suites.write_all(&piece.bytes)
    }

    fn finish(
        &self,
        mut state: Suites,
        run: &Run,
        _totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let Counts(tests, failures, skipped) = state.totals;
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="akspol {TOOL_VERSION} as of {}" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}" time="0">"#,
            run.as_of
        )?;
        state.suites.flush()?;
        let end = state.suites.position();
        state.suites.copy_to(0..end, out)?;
        writeln!(out, "</testsuites>")
    }
}

/// (tests, failures, skipped) of a suite, or of them all.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts(usize, usize, usize);

/// The suites so far, and their counts.
pub(super) struct Suites {
    suites: Box<dyn Spool>,
    totals: Counts,
}

/// The counts of one inventory's suite.
fn counts(inventory: &InventoryReport) -> Counts {
    let s = &inventory.summary;
    let failures = inventory.findings.iter().filter(|f| f.gate.fails()).count();
    Counts(inventory.findings.len(), failures, s.skip + s.waived)
}

fn suite(run: &Run, inventory: &InventoryReport, out: &mut dyn Write) -> io::Result<()> {
    let Counts(tests, failures, skipped) = counts(inventory);
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}" time="0" file="{}">"#,
        attr(&inventory.deployment),
        attr(&inventory.source),
    )?;
    writeln!(out, "    <properties>")?;
    let line = run.catalog.line(inventory.product);
    let mut properties = vec![
        ("source", inventory.source.clone()),
        ("release", inventory.installed.clone()),
        ("platform", inventory.platform.clone().unwrap_or_default()),
        ("asOf", run.as_of.to_string()),
        ("catalog", run.catalog.source.clone()),
        (
            "policyEdition",
            format!("{} ({})", inventory.policy.edition, inventory.policy.title),
        ),
        ("policyUrl", inventory.policy.url.to_string()),
        (
            "catalogKnownThrough",
            line.and_then(|l| l.known_through_text())
                .unwrap_or_default(),
        ),
        (
            "catalogAgeDays",
            line.and_then(|l| l.age_days)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        ("verdict", inventory.verdict.as_str().to_string()),
        ("counts", counts_text(&inventory.summary)),
    ];
    if let Some(notice) = &inventory.policy.notice {
        properties.push(("policyNotice", notice.clone()));
    }
    for notice in &inventory.notices {
        properties.push(("warning", notice.clone()));
    }
    // Which baseline the run trusted (`--baseline`): its file, date and digest.
    if let Some(baseline) = &run.baseline {
        properties.push(("baseline", baseline.source.clone()));
        properties.push(("baselineAsOf", baseline.as_of.to_string()));
        properties.push(("baselineSha256", baseline.sha256.clone()));
    }
    for (name, value) in properties {
        writeln!(
            out,
            r#"      <property name="{name}" value="{}"/>"#,
            attr(&value)
        )?;
    }
    writeln!(out, "    </properties>")?;
    for finding in &inventory.findings {
        case(run, inventory, finding, out)?;
    }
    writeln!(out, "  </testsuite>")
}

fn case(
    run: &Run,
    inventory: &InventoryReport,
    reported: &ReportedFinding,
    out: &mut dyn Write,
) -> io::Result<()> {
    let f = &reported.finding;
    let status = f.outcome.status;
    let message = clean(&f.outcome.message);
    let deadline = f
        .outcome
        .deadline
        .as_ref()
        .map(|d| deadline_text(run.as_of, d));
    write!(
        out,
        r#"    <testcase name="{} {} [{}]" classname="{}""#,
        f.rule.code,
        f.rule.name,
        attr(&inventory.label(f.scope).to_string()),
        attr(&format!("akspol.{}", inventory.deployment)),
    )?;
    let mut body = Vec::new();
    if let Some(waiver) = &reported.waiver {
        body.push(format!(
            r#"<skipped message="{}"/>"#,
            attr(&format!(
                "waived until {}: {} ({}: {message})",
                waiver.expires,
                waiver.reason,
                status.as_str()
            ))
        ));
    } else if reported.gate.fails() {
        body.push(failure(run, reported, &message, deadline.as_deref()));
    } else if status == Status::Skip {
        body.push(format!(r#"<skipped message="{}"/>"#, attr(&message)));
    }
    let failed_or_skipped = reported.gate.fails() || status == Status::Skip;
    if !failed_or_skipped || reported.waiver.is_some() {
        let mut line = format!("{}: {message}", status.as_str());
        if let Some(deadline) = &deadline {
            line = format!("{line} ({deadline})");
        }
        body.push(format!("<system-out>{}</system-out>", text(&line)));
    }
    if body.is_empty() {
        writeln!(out, "/>")
    } else {
        writeln!(out, ">")?;
        for element in body {
            writeln!(out, "      {element}")?;
        }
        writeln!(out, "    </testcase>")
    }
}

/// The `<failure>` of a finding that fails the run: which gate it fails,
/// why, and its policy and deadline.
fn failure(run: &Run, reported: &ReportedFinding, message: &str, deadline: Option<&str>) -> String {
    let f = &reported.finding;
    let status = f.outcome.status;
    let (kind, why) = why_it_fails(run, reported);
    let why = match &reported.baseline {
        Some(compared) => format!(
            "{why}; {} since the baseline",
            super::compared_text(compared)
        ),
        None => why,
    };
    let mut detail = format!(
        "{}: {message}\nfails the run: {why}\npolicy: {}",
        status.as_str(),
        f.cite.url
    );
    if let Some(deadline) = deadline {
        detail = format!("{detail}\n{deadline}");
    }
    format!(
        r#"<failure message="{}" type="{kind}">{}</failure>"#,
        attr(&format!("{}: {message} ({why})", status.as_str())),
        text(&detail)
    )
}

/// The gate a failing finding fails (`fail-on`: its status; `fail-within`:
/// its deadline), and why in words.
fn why_it_fails(run: &Run, reported: &ReportedFinding) -> (&'static str, String) {
    let f = &reported.finding;
    let settings = run.gate;
    if reported.gate.status {
        (
            "fail-on",
            format!(
                "{} is at or above {}",
                f.outcome.status.as_str(),
                settings.fail_on_flag()
            ),
        )
    } else {
        let days = f
            .outcome
            .deadline
            .as_ref()
            .map_or(0, |d| days_between(run.as_of, d.date));
        (
            "fail-within",
            format!(
                "the deadline ({}) is within --fail-within {}",
                days_text(days),
                settings.fail_within.unwrap_or(0)
            ),
        )
    }
}

/// Escapes text content. Control characters (not allowed in XML 1.0) are
/// replaced first; the newlines akspol itself puts in are kept.
fn text(value: &str) -> String {
    value
        .split('\n')
        .map(|line| escape(&clean(line), false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes an attribute value (quotes included); control characters are replaced.
fn attr(value: &str) -> String {
    escape(&clean(value), true)
}

fn escape(value: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&apos;"),
            // Not allowed in XML 1.0 even as a reference.
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            attr("a<b>&\"c'\u{1b}"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}"
        );
        assert_eq!(text("x]]>y\nz"), "x]]&gt;y\nz");
    }
}
