//! A deployment's findings, worst first, each a `<details>` whose summary
//! says the status, the comparison with the baseline, the rule, the scopes,
//! the message, the deadline and the waiver, and which unfolds the rule's
//! explanation. Identical findings on several scopes share a row.

use std::collections::HashMap;
use std::io::{self, Write};

use super::explain::Prepared;
use super::{finding_id, listed};
use crate::base::dates::Day;
use crate::base::html::escape as esc;
use crate::findings::{BaselineState, Compared, InventoryReport, ReportedFinding, Run, Status};
use crate::report::Show;

/// What makes findings identical: rule, status, message, deadline, waived, comparison.
type RowKey<'a> = (
    &'a str,
    Status,
    &'a str,
    Option<Day>,
    bool,
    Option<BaselineState>,
);

/// A row of findings: identical ones (rule, status, message, deadline,
/// waiver and comparison) on several scopes share it.
struct Row<'a> {
    first: &'a ReportedFinding,
    members: Vec<(usize, &'a ReportedFinding)>,
}

pub(super) fn findings(
    run: &Run,
    prepared: &Prepared,
    index: usize,
    inventory: &InventoryReport,
    show: Show,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "<h3>Findings</h3>")?;
    let mut listed: Vec<(usize, &ReportedFinding)> = inventory
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| listed(f, show))
        .collect();
    listed.sort_by_key(|(_, f)| (f.finding.outcome.status.rank(), f.waiver.is_some()));
    let mut rows: Vec<Row> = Vec::new();
    let mut at: HashMap<RowKey, usize> = HashMap::new();
    for (j, reported) in listed {
        let f = &reported.finding;
        let key = (
            f.rule.code,
            f.outcome.status,
            f.outcome.message.as_str(),
            f.outcome.deadline.as_ref().map(|d| d.date),
            reported.waiver.is_some(),
            reported.baseline.as_ref().map(|c| c.state),
        );
        match at.get(&key).and_then(|&r| rows.get_mut(r)) {
            Some(row) => row.members.push((j, reported)),
            None => {
                at.insert(key, rows.len());
                rows.push(Row {
                    first: reported,
                    members: vec![(j, reported)],
                });
            }
        }
    }
    if rows.is_empty() {
        writeln!(out, "<p>Nothing to list.</p>")?;
    }
    for row in &rows {
        finding_row(run, prepared, index, inventory, row, out)?;
    }
    let folded = folded(run, inventory, show);
    if !folded.is_empty() {
        writeln!(out, "<p class=\"small\">{folded}</p>")?;
    }
    Ok(())
}

fn finding_row(
    run: &Run,
    prepared: &Prepared,
    index: usize,
    inventory: &InventoryReport,
    row: &Row,
    out: &mut dyn Write,
) -> io::Result<()> {
    let reported = row.first;
    let f = &reported.finding;
    let status = f.outcome.status.as_str();
    let first_id = row
        .members
        .first()
        .map(|(j, _)| finding_id(index, *j))
        .unwrap_or_default();
    writeln!(
        out,
        "<details class=\"finding f-{status}\" id=\"{first_id}\" data-rule=\"{}\">",
        f.rule.code
    )?;
    write!(
        out,
        "<summary><span class=\"st st-{status}\">{status}</span> "
    )?;
    if let Some(compared) = &reported.baseline {
        write!(out, "{} ", baseline_badge(compared))?;
    }
    write!(out, "<b>{} {}</b> · ", f.rule.code, f.rule.name)?;
    write!(
        out,
        "<span class=\"scope\">{}</span>",
        scopes(index, inventory, row)
    )?;
    write!(
        out,
        "<span class=\"msg\">{}</span>",
        esc(&f.outcome.message)
    )?;
    if let Some(deadline) = &f.outcome.deadline {
        write!(
            out,
            "<span class=\"deadline\">{}</span>",
            esc(&crate::report::deadline_text(run.as_of, deadline))
        )?;
    }
    if let Some(waiver) = &reported.waiver {
        let by = waiver
            .by
            .as_deref()
            .map(|by| format!(" (by {})", esc(by)))
            .unwrap_or_default();
        write!(
            out,
            "<span class=\"waiver\">waived until {}: {}{by}</span>",
            esc(&waiver.expires),
            esc(&waiver.reason)
        )?;
    }
    writeln!(out, "</summary>")?;
    writeln!(
        out,
        "<div class=\"explain\">{}<p>Policy: <a href=\"{}\">{}</a> · <code>akspol explain {} --policy-edition {}</code></p></div>",
        prepared.explanation(inventory.policy.edition, f.rule.code),
        esc(f.cite.url),
        esc(f.cite.section),
        f.rule.code,
        esc(inventory.policy.edition)
    )?;
    writeln!(out, "</details>")
}

/// The scopes of a row, each with the anchor of its finding after the
/// first (whose anchor is the row's), so a link to any of them lands here.
fn scopes(index: usize, inventory: &InventoryReport, row: &Row) -> String {
    let scopes: Vec<String> = row
        .members
        .iter()
        .enumerate()
        .map(|(k, (j, member))| {
            let anchor = if k == 0 {
                String::new()
            } else {
                format!("<span id=\"{}\"></span>", finding_id(index, *j))
            };
            format!(
                "{anchor}{}",
                esc(&inventory.label(member.finding.scope).to_string())
            )
        })
        .collect();
    scopes.join(", ")
}

/// The comparison as a badge.
fn baseline_badge(compared: &Compared) -> String {
    format!(
        "<span class=\"bl bl-{}\">{}</span>",
        compared.state.as_str(),
        esc(&crate::report::compared_text(compared))
    )
}

/// The findings `show` leaves out, one count per status, with their rules.
fn folded(run: &Run, inventory: &InventoryReport, show: Show) -> String {
    let parts = crate::report::folded_counts(run, inventory, show);
    if parts.is_empty() {
        return String::new();
    }
    format!(
        "Not listed: {}; <code>--show all</code> lists every finding.",
        parts.join("; ")
    )
}
