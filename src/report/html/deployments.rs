//! The table of deployments: one row each (its verdict, the day it is out
//! of support, its nearest deadline, its counts), worst first; the page's
//! script sorts and filters it.

use std::io::{self, Write};

use super::deployment_id;
use super::timeline::Mark;
use crate::base::dates::{days_between, Day};
use crate::base::html::escape as esc;
use crate::findings::{BaselineState, InventoryReport, Run, Verdict};
use crate::report::{days_text, Spool};

/// When a deployment is out of support.
#[derive(Clone, Copy)]
pub(super) enum OutOfSupport<'m> {
    Now,
    /// The first day an unwaived finding starts failing.
    On(&'m Mark),
    Never,
}

/// The deployments table's order: verdict (unsupported first), days until
/// out of support, days until the nearest deadline, input order.
pub(super) type RowOrder = (u8, i64, i64, usize);

/// The rows as they come wait in a spool; only where each is, and its
/// place in the table, are kept.
pub(super) struct Table {
    rows: Box<dyn Spool>,
    order: Vec<(RowOrder, std::ops::Range<u64>)>,
}

impl Table {
    pub(super) fn new(rows: Box<dyn Spool>) -> Self {
        Self {
            rows,
            order: Vec::new(),
        }
    }

    /// One inventory's row, and where it goes.
    pub(super) fn push(&mut self, key: RowOrder, row: &[u8]) -> io::Result<()> {
        let start = self.rows.position();
        self.rows.write_all(row)?;
        self.order.push((key, start..start + row.len() as u64));
        Ok(())
    }

    /// The table of deployments, worst first: unsupported, then at risk,
    /// each by the day it falls out of support, then by its nearest deadline.
    pub(super) fn write(mut self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        self.rows.flush()?;
        let with_baseline = run.compared();
        writeln!(out, "<section id=\"deployments\">")?;
        writeln!(out, "<h2>Deployments</h2>")?;
        writeln!(
            out,
            "<p id=\"filters\" hidden=\"hidden\"><label>Filter <input id=\"filter-text\" type=\"search\" placeholder=\"name or file\"/></label> \
             <label>Verdict <select id=\"filter-verdict\"><option value=\"\">any</option><option value=\"unsupported\">unsupported</option>\
             <option value=\"at-risk\">at risk</option><option value=\"supported\">supported</option></select></label> \
             <span id=\"filter-count\" class=\"small\"></span></p>"
        )?;
        writeln!(out, "<table id=\"deployment-table\">")?;
        write!(
            out,
            "<thead><tr><th data-key=\"name\">Deployment</th><th data-key=\"rank\" aria-sort=\"ascending\">Verdict</th>\
             <th data-key=\"out\">Out of support</th><th data-key=\"deadline\">Nearest deadline</th><th data-key=\"fail\">Findings</th>"
        )?;
        if with_baseline {
            write!(out, "<th data-key=\"changes\">Since the baseline</th>")?;
        }
        writeln!(out, "<th>Release</th></tr></thead>\n<tbody>")?;
        // Each key ends with the input order, so no two are equal.
        self.order.sort_unstable_by_key(|(key, _)| *key);
        for (_, range) in &self.order {
            self.rows.copy_to(range.clone(), out)?;
        }
        writeln!(out, "</tbody>\n</table>\n</section>")
    }
}

/// Sort keys: days until out of support (-1 now, a large number never),
/// days until the nearest deadline.
const NEVER: i64 = 999_999;

fn out_days(as_of: Day, out_of_support: OutOfSupport) -> i64 {
    match out_of_support {
        OutOfSupport::Now => -1,
        OutOfSupport::On(m) => days_between(as_of, m.date),
        OutOfSupport::Never => NEVER,
    }
}

fn nearest_days(as_of: Day, nearest: Option<&Mark>) -> i64 {
    nearest.map_or(NEVER, |m| days_between(as_of, m.date))
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Unsupported => 0,
        Verdict::AtRisk => 1,
        Verdict::Supported => 2,
    }
}

/// Where an inventory's row goes in the deployments table.
pub(super) fn row_key(
    as_of: Day,
    index: usize,
    verdict: Verdict,
    out_of_support: OutOfSupport,
    nearest: Option<&Mark>,
) -> RowOrder {
    (
        verdict_rank(verdict),
        out_days(as_of, out_of_support),
        nearest_days(as_of, nearest),
        index,
    )
}

/// An inventory's row of the deployments table.
pub(super) fn row(
    run: &Run,
    index: usize,
    inventory: &InventoryReport,
    out_of_support: OutOfSupport,
    nearest: Option<&Mark>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let as_of = run.as_of;
    let s = &inventory.summary;
    let verdict = inventory.verdict.as_str();
    let out_text = match out_of_support {
        OutOfSupport::Now => "<b>now</b>".to_string(),
        OutOfSupport::On(m) => format!(
            "<a href=\"#{}\">{}</a> <span class=\"small\">({}, {})</span>",
            esc(&m.anchor),
            m.date_text(),
            days_text(days_between(as_of, m.date)),
            esc(m.rule)
        ),
        OutOfSupport::Never => "—".to_string(),
    };
    let nearest_text = nearest.map_or_else(
        || "—".to_string(),
        |m| {
            format!(
                "<a href=\"#{}\">{}</a> <span class=\"small\">({}) {} {} becomes {}</span>",
                esc(&m.anchor),
                m.date_text(),
                days_text(days_between(as_of, m.date)),
                esc(m.rule),
                esc(&m.scope),
                m.becomes
            )
        },
    );
    let name = format!("{} {}", inventory.deployment, inventory.source).to_lowercase();
    write!(
        out,
        "<tr data-order=\"{index}\" data-name=\"{}\" data-verdict=\"{verdict}\" data-rank=\"{}\" data-out=\"{}\" data-deadline=\"{}\" data-fail=\"{}\"",
        esc(&name),
        verdict_rank(inventory.verdict),
        out_days(as_of, out_of_support),
        nearest_days(as_of, nearest),
        s.fail * 10_000 + (s.warn + s.unknown) * 10 + s.info.min(9)
    )?;
    let (new, worse) = changes(inventory);
    if run.compared() {
        write!(out, " data-changes=\"{}\"", new + worse)?;
    }
    write!(
        out,
        "><td><a href=\"#{}\">{}</a><br/><span class=\"small\">{}</span></td><td><span class=\"v v-{verdict}\">{verdict}</span></td><td>{out_text}</td><td>{nearest_text}</td><td>{}</td>",
        deployment_id(index),
        esc(&inventory.deployment),
        esc(&inventory.source),
        attention_counts(s)
    )?;
    if run.compared() {
        write!(
            out,
            "<td>{} new, {} worse, {} resolved</td>",
            new,
            worse,
            inventory.resolved.len()
        )?;
    }
    writeln!(out, "<td>{}</td></tr>", esc(&inventory.installed))
}

/// `2 fail, 1 warn`: the counts that need attention.
fn attention_counts(s: &crate::findings::Summary) -> String {
    let parts: Vec<String> = [
        (s.fail, "fail"),
        (s.unknown, "unknown"),
        (s.warn, "warn"),
        (s.info, "info"),
        (s.waived, "waived"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// How many of an inventory's findings are new, and how many worse.
fn changes(inventory: &InventoryReport) -> (usize, usize) {
    let state = |s: BaselineState| {
        inventory
            .findings
            .iter()
            .filter(|f| f.baseline.as_ref().is_some_and(|c| c.state == s))
            .count()
    };
    (state(BaselineState::New), state(BaselineState::Worse))
}
