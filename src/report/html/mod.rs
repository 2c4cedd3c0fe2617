//! `--format html`: one self-contained page for one inventory or a fleet,
//! to open from disk or attach to a ticket. Each part of the page has its
//! file:
//!
//! - `page.rs`: the head (its Content-Security-Policy; the stylesheet,
//!   `style.css`, inline), the header, and the footer with the one script,
//!   `script.js`, which `build.rs` hashes for the policy.
//! - `fleet.rs`: **Fleet**, the verdict counts as tiles, why the run fails,
//!   the comparison with `--baseline`, and the rules failing most.
//! - `timeline.rs`: **Timeline**, an inline SVG of the coming deadlines of
//!   every deployment within `--horizon` days (one lane per rule; red
//!   diamonds where something falls out of support, amber circles where it
//!   starts to warn), each mark a link to its finding, or, when several
//!   findings share the day, to the list of them under the chart.
//! - `deployments.rs`: **Deployments**, a table with each one's verdict,
//!   the day it falls out of support, its nearest deadline and counts,
//!   worst first; the script sorts it by any column and filters it by name
//!   and verdict.
//! - `section.rs`: **Per deployment**, its facts (`facts()`), its findings
//!   (`findings.rs`: worst first, each with its deadline and the rule's
//!   explanation, from `explain.rs`, folded under it in a `<details>`), what
//!   was resolved since the baseline, the upgrade plan (steps, blockers,
//!   calendar) and the support coverage of each cluster.
//!
//! This file cuts each inventory's piece (its section, its row and its
//! marks, written by the worker that judged it) and assembles the page.
//!
//! A fleet's page is long (about 16 MB for 1,000 deployments): each
//! deployment's section is `content-visibility: auto`, so the browser lays
//! out only the sections on screen, and the page opens in about a second.
//!
//! The page makes no request: styles and the chart are inline, and its
//! Content-Security-Policy allows nothing but them and the one script (by
//! hash), so it reads the same offline and with JavaScript off. Every text
//! from an inventory, waiver or baseline goes through `base::html::escape`.
//! The markup is also well-formed XML (the script is in a CDATA section), so
//! XML tools can read it too. Output is deterministic.

mod deployments;
mod explain;
mod findings;
mod fleet;
mod page;
mod section;
mod timeline;

use std::io::{self, Write};

use super::{Emitter, Needs, Piece, RenderOptions, Show, Spool, SpoolMaker};
use crate::findings::{InventoryReport, ReportedFinding, Run, Totals, Verdict};
use deployments::{OutOfSupport, RowOrder, Table};
use explain::Prepared;
use timeline::{Mark, MarkPart, Timeline};

/// `--format html`, with what it works out once per run (each rule's
/// explanation as HTML).
pub(super) struct HtmlEmitter {
    options: RenderOptions,
    prepared: Prepared,
}

impl Emitter for HtmlEmitter {
    const NAME: &'static str = "html";
    const NEEDS: Needs = Needs {
        coverage: true,
        plan: true,
        ..Needs::FINDINGS
    };
    type Meta = Parts;
    type State = Page;

    fn new(options: &RenderOptions, run: &Run) -> Self {
        Self {
            options: options.clone(),
            prepared: Prepared::new(run),
        }
    }

    fn piece(&self, run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece<Parts> {
        piece(run, &self.options, &self.prepared, ordinal, inventory)
    }

    fn open(&self, spools: &mut SpoolMaker<'_>) -> io::Result<Page> {
        Page::new(spools)
    }

    fn is_own_report(head: &[u8]) -> bool {
        head.starts_with(b"<!DOCTYPE html>\n")
            && super::head_holds(head, "\n<meta name=\"generator\" content=\"akspol ")
    }

    fn push(&self, page: &mut Page, piece: Piece<Parts>, _out: &mut dyn Write) -> io::Result<()> {
        page.push(piece)
    }

    fn finish(
        &self,
        page: Page,
        run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        page.finish(run, &self.options, totals, out)
    }
}

/// One inventory's part of the page: its section, its row of the
/// deployments table with the row's sort key, and its marks on the timeline
/// (those within the horizon, each with its entry of the list under the
/// chart).
fn piece(
    run: &Run,
    options: &RenderOptions,
    prepared: &Prepared,
    index: usize,
    inventory: &InventoryReport,
) -> Piece<Parts> {
    let as_of = run.as_of;
    let end = timeline::end_of(run, options);
    let marks = timeline::marks_of(index, inventory, options.show);
    let own = marks.iter().filter(|m| !m.waived);
    let nearest = own.clone().min_by_key(|m| m.date);
    let failing = own.filter(|m| m.becomes == "fail").min_by_key(|m| m.date);
    let out_of_support = match (inventory.verdict, failing) {
        (Verdict::Unsupported, _) => OutOfSupport::Now,
        (_, Some(mark)) => OutOfSupport::On(mark),
        (_, None) => OutOfSupport::Never,
    };
    let within = |m: &Mark| m.date > as_of && m.date <= end;
    let mut bytes = Vec::new();
    // Writing to memory cannot fail.
    let _ = section::deployment(run, prepared, index, inventory, options.show, &mut bytes);
    let section = bytes.len();
    let key = deployments::row_key(as_of, index, inventory.verdict, out_of_support, nearest);
    let _ = deployments::row(run, index, inventory, out_of_support, nearest, &mut bytes);
    let row = bytes.len() - section;
    let parts = timeline::write_marks(
        as_of,
        index,
        inventory,
        marks.iter().filter(|m| within(m)),
        &mut bytes,
    );
    Piece::new(
        bytes,
        Parts {
            section,
            row,
            key,
            marks: parts,
            later: marks.iter().filter(|m| m.date > end).count(),
            falls: matches!(out_of_support, OutOfSupport::On(m) if within(m)),
        },
    )
}

/// What the assembly needs to know of a piece: where its section, its row
/// and its marks are in the bytes (in that order).
#[derive(Debug, Default)]
pub(super) struct Parts {
    section: usize,
    row: usize,
    key: RowOrder,
    marks: Vec<MarkPart>,
    /// Marks after the horizon.
    later: usize,
    /// It falls out of support within the horizon.
    falls: bool,
}

/// The page's head and fleet view need the whole run, so the sections, the
/// rows and the marks wait in spools; only where each is, and the rows' and
/// marks' keys, are kept.
pub(super) struct Page {
    sections: Box<dyn Spool>,
    table: Table,
    timeline: Timeline,
    /// Deployments that fall out of support within the horizon.
    falling: usize,
}

impl Page {
    fn new(spools: &mut SpoolMaker<'_>) -> io::Result<Self> {
        Ok(Self {
            sections: spools()?,
            table: Table::new(spools()?),
            timeline: Timeline::new(spools()?),
            falling: 0,
        })
    }

    fn push(&mut self, piece: Piece<Parts>) -> io::Result<()> {
        let parts = piece.meta;
        let bytes = piece.bytes.as_slice();
        let (section, rest) = bytes.split_at(parts.section.min(bytes.len()));
        let (row, marks) = rest.split_at(parts.row.min(rest.len()));
        self.sections.write_all(section)?;
        self.table.push(parts.key, row)?;
        self.timeline.push(marks, parts.marks, parts.later)?;
        self.falling += usize::from(parts.falls);
        Ok(())
    }

    fn finish(
        mut self,
        run: &Run,
        options: &RenderOptions,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.sections.flush()?;
        page::head(run, totals, out)?;
        writeln!(out, "<body>")?;
        page::header(run, totals, out)?;
        writeln!(out, "<main>")?;
        fleet::write(options, totals, self.falling, out)?;
        self.timeline.write(run, options, out)?;
        self.table.write(run, out)?;
        let end = self.sections.position();
        self.sections.copy_to(0..end, out)?;
        writeln!(out, "</main>")?;
        page::footer(totals, out)
    }
}

/// Whether a finding has its own row (`--show`, or it fails the run).
fn listed(reported: &ReportedFinding, show: Show) -> bool {
    show.contains(reported.finding.outcome.status) || reported.gate.fails()
}

/// `d3-calendar`: the plan calendar of the third inventory.
fn calendar_id(index: usize) -> String {
    format!("{}-calendar", deployment_id(index))
}

/// `d3`: the section of the third inventory.
fn deployment_id(index: usize) -> String {
    format!("d{}", index + 1)
}

/// `d3-f7`: the seventh finding of the third inventory.
fn finding_id(index: usize, finding: usize) -> String {
    format!("d{}-f{}", index + 1, finding + 1)
}
