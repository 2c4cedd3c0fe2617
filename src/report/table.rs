//! `--format table` (the default): one verdict table per inventory, the
//! verdict and counts last. Every inventory text is sanitized before printing.

use std::io::{self, Write};

use comfy_table::{
    presets, Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::RenderOptions;
use crate::base::dates::days_between;
use crate::base::sanitize::{clean, table_cell};
use crate::findings::{Coverage, FleetSummary, Report, ReportedFinding, Status, Summary, Verdict};

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    for (i, inventory) in report.inventories.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}",
            paint(
                &format!(
                    "{} ({})",
                    clean(&inventory.deployment),
                    clean(&inventory.source)
                ),
                "1",
                options.color
            )
        )?;
        let latest = match (&report.catalog.latest, &report.catalog.latest_released) {
            (Some(v), Some(d)) => format!("latest {v}, {d}"),
            _ => "no release".to_string(),
        };
        let platform = inventory
            .platform
            .as_deref()
            .map(|p| format!(" · host {}", clean(p)))
            .unwrap_or_default();
        writeln!(
            out,
            "release {}{platform} · as of {} · catalog {} ({latest})",
            inventory.installed,
            report.as_of,
            clean(&report.catalog.source)
        )?;
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(options.width)
            .set_header(["scope", "rule", "status", "message", "deadline"]);
        if options.color {
            table.enforce_styling();
        }
        // Codes, statuses and deadlines stay on one line; scope and message wrap.
        for index in [1, 2, 4] {
            if let Some(column) = table.column_mut(index) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
        if let Some(scope) = table.column_mut(0) {
            scope.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(24)));
        }
        for finding in &inventory.findings {
            table.add_row(row(finding, report, options.color));
        }
        writeln!(out, "{table}")?;
        // The verdict and counts come last (cli.md), after the coverage note.
        if let Some(coverage) = &inventory.coverage {
            coverage_footer(coverage, out)?;
        }
        writeln!(
            out,
            "{}",
            verdict_line(inventory.verdict, &inventory.summary, options.color)
        )?;
    }
    Ok(())
}

/// A short support-coverage note per cluster, only for clusters with
/// something beyond the AKS-managed defaults (`findings::coverage`).
fn coverage_footer(coverage: &Coverage, out: &mut dyn Write) -> io::Result<()> {
    if !coverage.notable() {
        return Ok(());
    }
    writeln!(
        out,
        "support coverage ({}, {}):",
        coverage.section.title,
        coverage.section.url()
    )?;
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
        writeln!(
            out,
            "  cluster/{}: {}",
            clean(&cluster.cluster),
            parts.join(" · ")
        )?;
    }
    Ok(())
}

fn row(reported: &ReportedFinding, report: &Report, color: bool) -> Vec<Cell> {
    let f = &reported.finding;
    let status = f.outcome.status;
    let mut status_text = status.as_str().to_string();
    if reported.waiver.is_some() {
        status_text.push_str(" (waived)");
    }
    let mut status_cell = Cell::new(status_text);
    if color {
        status_cell = status_cell.fg(status_color(status));
        if status == Status::Fail {
            status_cell = status_cell.add_attribute(Attribute::Bold);
        }
    }
    let deadline = f.outcome.deadline.map_or(String::new(), |d| {
        let days = days_between(report.as_of, d.date);
        format!("{}{} ({days}d)", if d.estimated { "~" } else { "" }, d.date)
    });
    vec![
        Cell::new(table_cell(&f.scope_label)),
        Cell::new(format!("{} {}", f.rule.code, f.rule.name)),
        status_cell,
        Cell::new(table_cell(&f.outcome.message)),
        Cell::new(deadline),
    ]
}

fn status_color(status: Status) -> Color {
    match status {
        Status::Pass => Color::Green,
        Status::Info => Color::Blue,
        Status::Warn => Color::Yellow,
        Status::Fail => Color::Red,
        Status::Unknown => Color::Magenta,
        Status::Skip => Color::DarkGrey,
    }
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

/// The fleet summary as text tables: after the per-inventory tables when more
/// than one inventory is judged, or alone with `--summary-only`. `not_judged`
/// counts the inventories that could not be read or were invalid.
pub fn render_fleet(
    summary: &FleetSummary,
    not_judged: usize,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let v = &summary.verdicts;
    let mut line = format!(
        "{} inventories: {} supported, {} at-risk, {} unsupported",
        summary.inventories, v.supported, v.at_risk, v.unsupported
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
