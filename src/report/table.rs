//! `--format table` (the default): per inventory, a few header lines, the
//! findings worst first (fail, unknown, warn, info, then pass and skip),
//! one line per status `--show` folds away, the support coverage, the verdict
//! and counts, and the next step; after every inventory (and the fleet
//! summary), why the exit status is 1.
//!
//! It fits the width it is given: from [`GRID_MIN_WIDTH`] columns on, a grid
//! whose message column takes whatever the short columns leave; below, one
//! block per finding. Text wraps at spaces only, so identifiers and dates are
//! never split unless longer than a line. Every inventory text is sanitized
//! before printing, and the layout is linear in the text it lays out.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use comfy_table::{presets, ContentArrangement, Table};

use super::{deadline_text, gate_reasons, Emitter, Needs, Piece, RenderOptions, Show, SpoolMaker};
use crate::base::sanitize::{clean, table_cell};
use crate::base::wrap::{hanging, pack, width as text_width, wrap};
use crate::findings::{
    Cause, CauseKind, Coverage, FleetSummary, InventoryReport, Remedy, ReportedFinding, Run,
    Status, Summary, Totals, Verdict,
};

/// Below this many columns a grid leaves the message too little room: one
/// block per finding instead.
pub const GRID_MIN_WIDTH: usize = 100;
/// Narrower than this, nothing fits anyway: lay out as if this wide.
const MIN_WIDTH: usize = 40;
/// Scopes named in one row of identical findings before "and N more".
const SCOPES_NAMED: usize = 4;

/// `--format table`.
pub(super) struct TableEmitter {
    options: RenderOptions,
}

/// The tables as they come, a blank line between two; then the fleet
/// summary (for a fleet, or alone with `--summary-only`), the comparison
/// with the baseline and why the exit status is 1.
impl Emitter for TableEmitter {
    const NAME: &'static str = "table";
    const NEEDS: Needs = Needs {
        coverage: true,
        ..Needs::FINDINGS
    };
    type Meta = ();
    /// The tables written so far.
    type State = usize;

    fn new(options: &RenderOptions, _run: &Run) -> Self {
        Self {
            options: options.clone(),
        }
    }

    /// One inventory's table (nothing with `--summary-only`).
    fn piece(&self, run: &Run, _ordinal: usize, inventory: &InventoryReport) -> Piece<()> {
        let options = &self.options;
        let mut bytes = Vec::new();
        if !options.summary_only {
            let width = usize::from(options.width).max(MIN_WIDTH);
            // Writing to memory cannot fail.
            let _ = render_inventory(run, inventory, options, width, &mut bytes);
        }
        Piece::new(bytes, ())
    }

    fn open(&self, _spools: &mut SpoolMaker<'_>) -> io::Result<usize> {
        Ok(0)
    }

    fn push(&self, tables: &mut usize, piece: Piece<()>, out: &mut dyn Write) -> io::Result<()> {
        if piece.bytes.is_empty() {
            return Ok(());
        }
        if *tables > 0 {
            writeln!(out)?;
        }
        *tables += 1;
        out.write_all(&piece.bytes)
    }

    fn finish(
        &self,
        tables: usize,
        _run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let options = &self.options;
        if totals.inventories > 1 || options.summary_only {
            if tables > 0 {
                writeln!(out)?;
            }
            render_fleet(&totals.fleet, totals.not_judged, options, out)?;
            // The inventories' tables, which say their notices, are not shown.
            if options.summary_only {
                for notice in &totals.notices {
                    writeln!(out, "warning: {}", clean(notice))?;
                }
            }
        }
        render_baseline(totals, options, out)?;
        render_gate(totals, options, out)
    }
}

fn render_inventory(
    run: &Run,
    inventory: &InventoryReport,
    options: &RenderOptions,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let title = format!(
        "{} ({})",
        clean(&inventory.deployment),
        clean(&inventory.source)
    );
    for line in wrap(&title, width) {
        writeln!(out, "{}", paint(&line, "1", options.color))?;
    }
    // What the verdict rests on (the policy edition, the catalog and its
    // age) is packed with the facts; a note that needs a sentence follows.
    let (context, notes) = super::header::short_parts(run, inventory);
    let mut parts = header_parts(run, inventory);
    parts.extend(context);
    for line in pack(&parts, " · ", width) {
        writeln!(out, "{line}")?;
    }
    for note in notes {
        for line in hanging(&clean(&note), "", "  ", width) {
            writeln!(out, "{line}")?;
        }
    }
    let show = listed(options.show, inventory.verdict);
    let rows = rows(inventory, show);
    if !rows.is_empty() {
        writeln!(out)?;
        if width >= GRID_MIN_WIDTH {
            grid(run, &rows, options.color, width, out)?;
        } else {
            list(run, &rows, options.color, width, out)?;
        }
    }
    // What is skimmed comes as lines that short ones share: the folded
    // statuses, what the baseline saw resolved, the coverage in brief.
    let mut skimmed = folded_lines(run, inventory, show);
    skimmed.extend(resolved_line(inventory));
    // The coverage note explains the info rows: listed with them, else a line.
    let coverage = inventory.coverage.as_ref();
    if !show.contains(Status::Info) {
        skimmed.extend(coverage.and_then(coverage_line));
    }
    for line in join_short(skimmed, " · ", width) {
        for line in hanging(&line, "", "  ", width) {
            writeln!(out, "{line}")?;
        }
    }
    // The verdict and counts come last (cli.md), after the coverage note.
    if let Some(coverage) = coverage.filter(|_| show.contains(Status::Info)) {
        coverage_footer(coverage, width, out)?;
    }
    writeln!(
        out,
        "{}",
        verdict_line(inventory.verdict, &inventory.summary, options.color)
    )?;
    let next = next_steps(inventory);
    if !next.is_empty() {
        for line in hanging(&next.join(" · "), "next: ", "      ", width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// What the table lists row by row: the statuses `--show` names. Without
/// it, the findings that make the verdict (the fails of an unsupported
/// inventory, the warns of an at-risk one) and any unknown; the other
/// statuses fold into a line each, as pass and skip do.
fn listed(show: Show, verdict: Verdict) -> Show {
    if !show.is_default() {
        return show;
    }
    let show = show.without(Status::Info);
    match verdict {
        Verdict::Unsupported => show.without(Status::Warn),
        Verdict::AtRisk | Verdict::Supported => show,
    }
}

/// The facts under the title, each a short part; lines are packed from
/// them, so a new fact is one more part.
fn header_parts(run: &Run, inventory: &InventoryReport) -> Vec<String> {
    let mut parts = vec![format!("release {}", clean(&inventory.installed))];
    if let Some(platform) = &inventory.platform {
        parts.push(format!("host {}", clean(platform)));
    }
    parts.push(format!("as of {}", run.as_of));
    parts
}

/// One row of the table: identical findings (same rule, status, message,
/// deadline and waiver) on several scopes share it.
struct Row<'a> {
    first: &'a ReportedFinding,
    scopes: Vec<String>,
    /// The message, without a shared fact an earlier row already stated.
    message: &'a str,
}

impl Row<'_> {
    fn status(&self) -> Status {
        self.first.finding.outcome.status
    }

    /// `fail`, or `fail (waived)`.
    fn status_text(&self) -> String {
        let status = self.status().as_str();
        match self.first.waiver {
            Some(_) => format!("{status} (waived)"),
            None => status.to_string(),
        }
    }

    /// `new`, `worse (was warn)`: the comparison with `--baseline`.
    fn baseline_text(&self) -> Option<String> {
        self.first.baseline.as_ref().map(super::compared_text)
    }

    fn rule(&self) -> String {
        let rule = self.first.finding.rule;
        format!("{} {}", rule.code, rule.name)
    }

    fn scope(&self) -> String {
        let named: Vec<String> = self
            .scopes
            .iter()
            .take(SCOPES_NAMED)
            .map(|s| table_cell(s).into_owned())
            .collect();
        let mut text = named.join(", ");
        if self.scopes.len() > SCOPES_NAMED {
            text.push_str(&format!(" and {} more", self.scopes.len() - SCOPES_NAMED));
        }
        text
    }

    /// The message, then the deadline and the waiver, each a paragraph.
    fn paragraphs(&self, run: &Run) -> Vec<String> {
        let outcome = &self.first.finding.outcome;
        let mut paragraphs = vec![table_cell(self.message).into_owned()];
        if let Some(deadline) = &outcome.deadline {
            paragraphs.push(clean(&deadline_text(run.as_of, deadline)).into_owned());
        }
        if let Some(waiver) = &self.first.waiver {
            let by = waiver
                .by
                .as_deref()
                .map(|by| format!(" (by {})", clean(by)))
                .unwrap_or_default();
            paragraphs.push(format!(
                "waived until {}: {}{by}",
                waiver.expires,
                clean(&waiver.reason)
            ));
        }
        paragraphs
    }
}

/// What makes findings share a row (the deadline is compared apart).
type RowKey<'a> = (&'a str, Status, &'a str, bool, Option<String>);

/// The findings `show` lists, and those that fail the gate whatever their
/// status, worst first (waived after unwaived); a stable sort, so scope
/// order holds within a status.
fn rows(inventory: &InventoryReport, show: Show) -> Vec<Row<'_>> {
    let mut shown: Vec<&ReportedFinding> = inventory
        .findings
        .iter()
        .filter(|f| show.contains(f.finding.outcome.status) || f.gate.fails())
        .collect();
    shown.sort_by_key(|f| (f.finding.outcome.status.rank(), f.waiver.is_some()));
    let mut rows: Vec<Row> = Vec::new();
    let mut index: HashMap<RowKey, usize> = HashMap::new();
    let mut facts: HashSet<&str> = HashSet::new();
    for reported in shown {
        let f = &reported.finding;
        let key = (
            f.rule.code,
            f.outcome.status,
            f.outcome.message.as_str(),
            reported.waiver.is_some(),
            reported.baseline.as_ref().map(super::compared_text),
        );
        let same = index.get(&key).and_then(|&i| rows.get_mut(i));
        match same {
            Some(row) if row.first.finding.outcome.deadline == f.outcome.deadline => {
                row.scopes.push(inventory.label(f.scope).to_string());
            }
            _ => {
                let message = match f.outcome.fact() {
                    Some(fact) if !facts.insert(fact) => f.outcome.after_fact(),
                    _ => f.outcome.message.as_str(),
                };
                index.insert(key, rows.len());
                rows.push(Row {
                    first: reported,
                    scopes: vec![inventory.label(f.scope).to_string()],
                    message,
                });
            }
        }
    }
    rows
}

/// Three columns: the status, the rule with its scope under it, and the
/// message, which takes whatever the first two leave.
fn grid(run: &Run, rows: &[Row], color: bool, width: usize, out: &mut dyn Write) -> io::Result<()> {
    const GAP: &str = "  ";
    let status_width = rows
        .iter()
        .map(|r| r.status_text().len())
        .max()
        .unwrap_or(0);
    // As wide as the widest rule or single scope, but at most a third of
    // the line: a longer scope wraps at its commas.
    let rule_width = rows
        .iter()
        .flat_map(|r| {
            std::iter::once(text_width(&r.rule()))
                .chain(r.scopes.iter().map(|s| text_width(&clean(s))))
        })
        .max()
        .unwrap_or(0)
        .min(width / 3);
    // With --baseline, a column saying how each row compares with it.
    let compared: Vec<String> = rows
        .iter()
        .map(|r| r.baseline_text().unwrap_or_default())
        .collect();
    let compared_width = compared.iter().map(|c| text_width(c)).max().unwrap_or(0);
    let compared_width = compared_width.min(width / 6);
    let compared_gap = if compared_width > 0 { GAP.len() } else { 0 };
    let message_width = width
        .saturating_sub(status_width + compared_width + compared_gap + rule_width + 2 * GAP.len());
    for (row, compared) in rows.iter().zip(&compared) {
        let status = row.status();
        let compared_lines = wrap(compared, compared_width.max(1));
        let mut left = wrap(&row.rule(), rule_width);
        left.extend(wrap(&row.scope(), rule_width));
        let message_lines: Vec<String> = row
            .paragraphs(run)
            .iter()
            .flat_map(|p| wrap(p, message_width))
            .collect();
        let lines = left
            .len()
            .max(message_lines.len())
            .max(if compared_width > 0 {
                compared_lines.len()
            } else {
                0
            });
        for i in 0..lines {
            let status_text = row.status_text();
            let status_cell = if i == 0 { status_text.as_str() } else { "" };
            let left_cell = left.get(i).map_or("", String::as_str);
            let message_cell = message_lines.get(i).map_or("", String::as_str);
            let compared_cell = if compared_width > 0 {
                let cell = compared_lines.get(i).map_or("", String::as_str);
                format!("{}{GAP}", pad(cell, compared_width))
            } else {
                String::new()
            };
            let line = format!(
                "{}{GAP}{compared_cell}{}{GAP}{message_cell}",
                paint_status(&pad(status_cell, status_width), status, color),
                pad(left_cell, rule_width),
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(())
}

/// One block per finding, as a compiler's diagnostics read: the status,
/// then `V003 on deployment: the message` wrapped under the rule, and the
/// deadline and waiver as paragraphs. The rule's name is left to the grid
/// and to `akspol explain`: at 80 columns a line is worth more.
fn list(run: &Run, rows: &[Row], color: bool, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let status_width = rows
        .iter()
        .map(|r| r.status_text().len())
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(status_width + 2);
    for row in rows {
        let status = row.status();
        let code = row.first.finding.rule.code;
        let head = match row.baseline_text() {
            Some(compared) => format!("{code} on {} ({compared})", row.scope()),
            None => format!("{code} on {}", row.scope()),
        };
        let mut paragraphs = row.paragraphs(run).into_iter();
        let first = match paragraphs.next() {
            Some(message) => format!("{head}: {message}"),
            None => head,
        };
        for (i, line) in wrap(&first, width.saturating_sub(indent.len()))
            .iter()
            .enumerate()
        {
            if i == 0 {
                let label = paint_status(&pad(&row.status_text(), status_width), status, color);
                writeln!(out, "{label}  {line}")?;
            } else {
                writeln!(out, "{indent}{line}")?;
            }
        }
        for paragraph in paragraphs {
            for line in hanging(&paragraph, &indent, &indent, width) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// `text` padded with spaces to `width` columns.
fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text_width(text));
    format!("{text}{}", " ".repeat(fill))
}

/// One line per status `show` leaves out: "10 pass: V001, V005, ...",
/// "13 skipped for missing data: nodes (7), ...", ending with how to list them.
fn folded_lines(run: &Run, inventory: &InventoryReport, show: Show) -> Vec<String> {
    let mut lines = Vec::new();
    for status in Status::WORST_FIRST {
        if show.contains(status) {
            continue;
        }
        let folded: Vec<&ReportedFinding> = inventory
            .findings
            .iter()
            .filter(|f| f.finding.outcome.status == status && !f.gate.fails())
            .collect();
        if folded.is_empty() {
            continue;
        }
        let line = if status == Status::Skip {
            skip_line(&folded)
        } else {
            let mut line = format!(
                "{} {}: {}",
                folded.len(),
                status.as_str(),
                super::rule_codes(run, &folded)
            );
            let nearest = folded
                .iter()
                .filter_map(|f| f.finding.outcome.deadline.as_ref().map(|d| (d, f)))
                .min_by_key(|(d, _)| d.date);
            if let Some((deadline, f)) = nearest {
                line.push_str(&format!(
                    "; next, {} on {}: {}",
                    f.finding.rule.code,
                    clean(&inventory.label(f.finding.scope).to_string()),
                    clean(&deadline_text(run.as_of, deadline))
                ));
            }
            line
        };
        lines.push(line);
    }
    // On the first: it is the shortest as a rule (pass and skip come last).
    if let Some(first) = lines.first_mut() {
        first.push_str(" (--show all lists every finding)");
    }
    lines
}

/// `lines` with each run of neighbours that fit in `width` together joined
/// by `separator`; a line longer than `width` stays alone.
fn join_short(lines: Vec<String>, separator: &str, width: usize) -> Vec<String> {
    let mut joined: Vec<String> = Vec::new();
    for line in lines {
        match joined.last_mut() {
            Some(last) if text_width(last) + text_width(separator) + text_width(&line) <= width => {
                last.push_str(separator);
                last.push_str(&line);
            }
            _ => joined.push(line),
        }
    }
    joined
}

/// "resolved since the baseline: V003 on deployment (was fail, now pass), ...".
fn resolved_line(inventory: &InventoryReport) -> Option<String> {
    if inventory.resolved.is_empty() {
        return None;
    }
    let items: Vec<String> = inventory
        .resolved
        .iter()
        .map(|r| {
            let now = r.now_text();
            format!(
                "{} on {} (was {}, {now})",
                clean(&r.rule),
                clean(&r.scope),
                r.was.status.as_str()
            )
        })
        .collect();
    Some(format!(
        "{} resolved since the baseline: {}",
        inventory.resolved.len(),
        items.join(", ")
    ))
}

/// The comparison with `--baseline` over the run, after the fleet summary.
fn render_baseline(
    totals: &Totals,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(baseline) = &totals.baseline else {
        return Ok(());
    };
    let width = usize::from(options.width).max(MIN_WIDTH);
    writeln!(out)?;
    for line in hanging(&super::baseline_line(baseline), "", "  ", width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// "13 skipped for missing data: nodes (7), previewFeatures (2), cni", the
/// most common first; skips for another reason are counted after.
fn skip_line(folded: &[&ReportedFinding]) -> String {
    let mut missing: Vec<(&str, usize)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut other = 0usize;
    for f in folded {
        match f.finding.outcome.missing_data() {
            Some(what) => match at.get(what) {
                Some(&i) => {
                    if let Some(entry) = missing.get_mut(i) {
                        entry.1 += 1;
                    }
                }
                None => {
                    at.insert(what, missing.len());
                    missing.push((what, 1));
                }
            },
            None => other += 1,
        }
    }
    // Stable: equal counts keep their first appearance.
    missing.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let list: Vec<String> = missing
        .iter()
        .map(|(what, n)| match n {
            1 => clean(what).into_owned(),
            n => format!("{} ({n})", clean(what)),
        })
        .collect();
    let mut line = format!("{} skipped", folded.len());
    if !list.is_empty() {
        line.push_str(&format!(" for missing data: {}", list.join(", ")));
    }
    if other > 0 {
        let sep = if list.is_empty() { ":" } else { ";" };
        line.push_str(&format!("{sep} {other} for another reason"));
    }
    line
}

/// The support coverage folded into a line: `support coverage in
/// prod-east, lab-west: 3 best effort, 2 not covered`, when a cluster has
/// something beyond the AKS-managed defaults.
fn coverage_line(coverage: &Coverage) -> Option<String> {
    if !coverage.notable() {
        return None;
    }
    let notable: Vec<_> = coverage.clusters.iter().filter(|c| c.notable).collect();
    let best_effort: usize = notable.iter().map(|c| c.best_effort.len()).sum();
    let not_covered: usize = notable.iter().map(|c| c.not_covered.len()).sum();
    let counts: Vec<String> = [(best_effort, "best effort"), (not_covered, "not covered")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, tier)| format!("{n} {tier}"))
        .collect();
    let mut clusters: Vec<String> = notable
        .iter()
        .take(SCOPES_NAMED)
        .map(|c| table_cell(&c.cluster).into_owned())
        .collect();
    if notable.len() > SCOPES_NAMED {
        clusters.push(format!("and {} more", notable.len() - SCOPES_NAMED));
    }
    Some(format!(
        "support coverage in {}: {}",
        clusters.join(", "),
        counts.join(", ")
    ))
}

/// A short support-coverage note per cluster, only for clusters with
/// something beyond the AKS-managed defaults (`findings::coverage`).
fn coverage_footer(coverage: &Coverage, width: usize, out: &mut dyn Write) -> io::Result<()> {
    if !coverage.notable() {
        return Ok(());
    }
    // The link only when it fits: a URL cut in two is no link.
    let with_url = format!(
        "support coverage ({}, {}):",
        coverage.section.section, coverage.section.url
    );
    if text_width(&with_url) <= width {
        writeln!(out, "{with_url}")?;
    } else {
        let title = format!("support coverage ({}):", coverage.section.section);
        for line in hanging(&title, "", "  ", width) {
            writeln!(out, "{line}")?;
        }
    }
    for cluster in coverage.clusters.iter().filter(|c| c.notable) {
        let tiers = [
            ("best effort", &cluster.best_effort),
            ("not covered", &cluster.not_covered),
        ];
        let parts: Vec<String> = tiers
            .iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(name, items)| {
                let list: Vec<String> = items.iter().map(|i| clean(&i.text).into_owned()).collect();
                format!("{name}: {}", list.join("; "))
            })
            .collect();
        let line = format!("cluster/{}: {}", clean(&cluster.cluster), parts.join(" · "));
        for line in hanging(&line, "  ", "    ", width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// Where to go from here: `akspol plan` when the deployment is not
/// supported or something has a deadline, `akspol explain` for the first
/// rule that puts it at risk.
fn next_steps(inventory: &InventoryReport) -> Vec<String> {
    let mut steps = Vec::new();
    let at_risk = inventory
        .findings
        .iter()
        .filter(|f| f.counted_status().is_some_and(|s| s.severity() > 0));
    let upgrade = inventory.findings.iter().any(|f| {
        f.counted_status() == Some(Status::Fail) && f.finding.rule.remedy == Remedy::Upgrade
    });
    let dated = inventory
        .findings
        .iter()
        .any(|f| f.counted_status().is_some() && f.finding.outcome.deadline.is_some());
    if upgrade || inventory.verdict != Verdict::Supported || dated {
        steps.push(format!("akspol plan {}", shell_word(&inventory.source)));
    }
    let first = at_risk.min_by_key(|f| f.finding.outcome.status.rank());
    if let Some(f) = first {
        steps.push(format!("akspol explain {}", f.finding.rule.code));
    }
    steps
}

/// A path as one shell word: quoted when it has anything unusual.
pub fn shell_word(path: &str) -> String {
    if path == crate::base::STDIN_ORIGIN {
        return "INVENTORY".to_string();
    }
    let path = clean(path);
    if path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./\\:".contains(c))
    {
        path.into_owned()
    } else {
        format!("'{}'", path.replace('\'', "'\\''"))
    }
}

/// Why the run fails, after every inventory and the fleet summary: the
/// rules whose findings reach `--fail-on` on one line (their rows are above),
/// then one line per rule with a deadline within `--fail-within`. Nothing
/// when the run passes. Standard error has one line per cause.
fn render_gate(totals: &Totals, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let width = usize::from(options.width).max(MIN_WIDTH);
    let gate = &totals.gate;
    if totals.exit_status() == 0 {
        return Ok(());
    }
    // Inputs not judged first: they make the status 2, whatever the findings.
    let mut lines: Vec<String> = super::not_judged_reason(totals).into_iter().collect();
    let by_status: Vec<&Cause> = gate
        .causes
        .iter()
        .filter(|c| matches!(c.kind, CauseKind::Status(_)))
        .collect();
    if !by_status.is_empty() {
        let findings: usize = by_status.iter().map(|c| c.findings).sum();
        let codes: Vec<&str> = by_status.iter().map(|c| c.rule.code).collect();
        let which = if gate.settings.only_new {
            " new or worse"
        } else {
            ""
        };
        lines.push(format!(
            "{} at or above {}: {}",
            match findings {
                1 => format!("1{which} finding"),
                n => format!("{n}{which} findings"),
            },
            gate.settings.fail_on_flag(),
            codes.join(", ")
        ));
    }
    let reasons = gate_reasons(totals);
    for (cause, reason) in gate.causes.iter().zip(reasons) {
        if matches!(cause.kind, CauseKind::Deadline { .. }) {
            lines.push(reason);
        }
    }
    writeln!(out)?;
    let exit_prefix = super::exit_prefix(totals);
    let indent = " ".repeat(exit_prefix.len());
    let prefix = paint(exit_prefix.trim_end(), "1;31", options.color) + " ";
    for reason in lines {
        for (i, line) in wrap(&reason, width.saturating_sub(indent.len()))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                prefix.as_str()
            } else {
                indent.as_str()
            };
            writeln!(out, "{lead}{line}")?;
        }
    }
    Ok(())
}

fn paint_status(text: &str, status: Status, color: bool) -> String {
    let sgr = match status {
        Status::Pass => "32",
        Status::Info => "34",
        Status::Warn => "33",
        Status::Fail => "1;31",
        Status::Unknown => "35",
        Status::Skip => "90",
    };
    paint(text, sgr, color)
}

/// `verdict: unsupported (3 fail, 2 warn, 1 unknown, 14 pass, 1 info, 1 skip)`.
pub fn verdict_line(verdict: Verdict, s: &Summary, color: bool) -> String {
    let counts = super::counts_text(s);
    let code = match verdict {
        Verdict::Supported => "1;32",
        Verdict::AtRisk => "1;33",
        Verdict::Unsupported => "1;31",
    };
    format!(
        "verdict: {} ({counts})",
        paint(verdict.as_str(), code, color)
    )
}

/// Wraps `text` in an ANSI SGR sequence when colour is on.
pub fn paint(text: &str, sgr: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[{sgr}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// `1 inventory`, `3 inventories`.
pub fn inventories(n: usize) -> String {
    if n == 1 {
        "1 inventory".to_string()
    } else {
        format!("{n} inventories")
    }
}

/// The fleet summary as text tables: after the per-inventory tables when more
/// than one inventory is judged, or alone with `--summary-only`. `not_judged`
/// counts the inventories that could not be read or were invalid.
fn render_fleet(
    summary: &FleetSummary,
    not_judged: usize,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let v = &summary.verdicts;
    let mut line = format!(
        "{}: {} supported, {} at-risk, {} unsupported",
        inventories(summary.inventories),
        v.supported,
        v.at_risk,
        v.unsupported
    );
    if not_judged > 0 {
        line.push_str(&format!(
            ", {not_judged} could not be judged (see the errors)"
        ));
    }
    writeln!(out, "{}", paint("fleet", "1", options.color))?;
    writeln!(out, "{line}")?;
    if !summary.top_rules.is_empty() {
        let mut table = new_table(options);
        table.set_header(["rule", "failing inventories", "at-risk inventories"]);
        for r in &summary.top_rules {
            table.add_row([
                format!("{} {}", r.rule, r.name),
                r.fail.to_string(),
                r.at_risk.to_string(),
            ]);
        }
        writeln!(out, "rules failing most often")?;
        writeln!(out, "{table}")?;
    }
    if !summary.nearest_deadlines.is_empty() {
        let mut table = new_table(options);
        table.set_header(["deployment", "rule", "scope", "deadline"]);
        for d in &summary.nearest_deadlines {
            table.add_row([
                table_cell(&format!("{} ({})", d.deployment, d.source)).into_owned(),
                d.rule.to_string(),
                table_cell(&d.scope).into_owned(),
                format!(
                    "{}{} ({}d)",
                    if d.estimated { "~" } else { "" },
                    d.deadline,
                    d.days
                ),
            ]);
        }
        writeln!(out, "nearest deadlines")?;
        writeln!(out, "{table}")?;
    }
    Ok(())
}

fn new_table(options: &RenderOptions) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(options.width);
    table
}
