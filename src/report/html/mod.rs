//! `--format html`: one self-contained page for one inventory or a fleet,
//! to open from disk or attach to a ticket.
//!
//! - **Fleet**: the verdict counts as tiles, why the run fails, the rules
//!   failing most, and the comparison with `--baseline`.
//! - **Timeline**: an inline SVG of the coming deadlines of every deployment
//!   within `--horizon` days (one lane per rule; red diamonds where
//!   something falls out of support, amber circles where it starts to warn),
//!   each mark a link to its finding, or, when several findings share the
//!   day, to the list of them under the chart.
//! - **Deployments**: a table with each one's verdict, the day it falls out
//!   of support, its nearest deadline and counts, worst first; a small
//!   inline script sorts it by any column and filters it by name and verdict.
//! - **Per deployment** ([`deployment`]): its facts ([`facts`]), findings worst
//!   first, each with its deadline and the rule's explanation folded under
//!   it (`<details>`), what was resolved since the baseline, and the upgrade
//!   plan (steps, blockers, calendar).
//!
//! A fleet's page is long (about 9 MB for 1,000 deployments): each
//! deployment's section is `content-visibility: auto`, so the browser lays
//! out only the sections on screen, and the page opens in about a second.
//!
//! The page makes no request: styles and the chart are inline, and its
//! Content-Security-Policy allows nothing but them and the one script (by
//! hash), so it reads the same offline and with JavaScript off. Every text
//! from an inventory, waiver or baseline goes through `base::html::escape`.
//! The markup is also well-formed XML (the script is in a CDATA section), so
//! XML tools can read it too. Output is deterministic.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{
    counts_text, days_text, gate_reasons, Meta, Piece, RenderOptions, Show, Spool, SpoolMaker,
    TOOL_VERSION,
};
use crate::base::dates::{add_days, days_between, Day};
use crate::base::html::escape as esc;
use crate::findings::{
    BaselineState, Compared, InventoryReport, ReportedFinding, RuleInfo, Run, Status, Totals,
    Verdict, POLICY_URL,
};

/// The one script (`script.js`): sorts the deployments table, filters it,
/// and marks the page as scripted. It is kept free of `<` and `&` outside
/// the CDATA markers that open and close it, so the page stays well-formed
/// XML; the page's Content-Security-Policy allows it by the SHA-256 of these
/// bytes, which `build.rs` computes (the file's final newline is not part of
/// the page).
const SCRIPT: &str = include_str!("script.js").trim_ascii_end();

/// The page's stylesheet (`style.css`), inline.
const STYLE: &str = include_str!("style.css");

/// Nothing may load (no image, font, frame or connection); the inline
/// styles and the one script, by its hash, may run.
pub const CONTENT_SECURITY_POLICY: &str = concat!(
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-",
    env!("AKSPOL_HTML_SCRIPT_SHA256"),
    "'; base-uri 'none'; form-action 'none'"
);

/// Timeline geometry (SVG user units).
const WIDTH: i64 = 1000;
const LABEL_WIDTH: i64 = 210;
const RIGHT: i64 = 28;
const TOP: i64 = 34;
const LANE: i64 = 30;
/// Items listed under a group of the timeline before it folds.
const OPEN_GROUP: usize = 8;

/// What the page works out once per run: each rule's explanation as HTML.
#[derive(Debug)]
pub(super) struct Prepared {
    explanations: HashMap<&'static str, String>,
}

impl Prepared {
    pub(super) fn new(run: &Run) -> Self {
        Self {
            explanations: run
                .rules
                .iter()
                .map(|rule| (rule.code, explanation(rule)))
                .collect(),
        }
    }
}

/// A day something gets worse: a plan calendar entry (or, without a plan, a
/// finding's deadline), tied to the finding it concerns.
struct Mark {
    /// The element it links to: the finding, else the deployment.
    anchor: String,
    date: Day,
    estimated: bool,
    rule: &'static str,
    scope: String,
    /// `warn`, `fail`, or `worse` (a failure gets worse).
    becomes: &'static str,
    what: String,
    /// The finding it concerns is waived.
    waived: bool,
}

impl Mark {
    /// Whether it fails the deployment (or makes a failure worse).
    fn fails(&self) -> bool {
        self.becomes != "warn"
    }

    fn date_text(&self) -> String {
        format!("{}{}", if self.estimated { "~" } else { "" }, self.date)
    }
}

/// When a deployment is out of support.
#[derive(Clone, Copy)]
enum OutOfSupport<'m> {
    Now,
    /// The first day an unwaived finding starts failing.
    On(&'m Mark),
    Never,
}

/// The last day the timeline shows.
fn end_of(run: &Run, options: &RenderOptions) -> Day {
    add_days(run.as_of, i64::from(options.horizon))
}

/// One inventory's part of the page: its section, its row of the
/// deployments table with the row's sort key, and its marks on the timeline
/// (those within the horizon, each with its entry of the list under the
/// chart).
pub(super) fn piece(
    run: &Run,
    options: &RenderOptions,
    prepared: &Prepared,
    index: usize,
    inventory: &InventoryReport,
) -> Piece {
    let as_of = run.as_of;
    let end = end_of(run, options);
    let marks = marks_of(index, inventory, options.show);
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
    let _ = deployment(run, prepared, index, inventory, options.show, &mut bytes);
    let section = bytes.len();
    let key = row_key(as_of, index, inventory.verdict, out_of_support, nearest);
    let _ = deployment_row(run, index, inventory, out_of_support, nearest, &mut bytes);
    let row = bytes.len() - section;
    let mut parts = Vec::new();
    for mark in marks.iter().filter(|m| within(m)) {
        let start = bytes.len();
        let _ = due_item(inventory, mark, &mut bytes);
        let item = bytes.len() - start;
        bytes.extend_from_slice(esc(&single_title(as_of, inventory, mark)).as_bytes());
        let title = bytes.len() - start - item;
        bytes.extend_from_slice(esc(&format!("#{}", mark.anchor)).as_bytes());
        parts.push(MarkPart {
            rule: mark.rule,
            date: mark.date,
            fails: mark.fails(),
            estimated: mark.estimated,
            inventory: index,
            lens: [item, title, bytes.len() - start - item - title],
        });
    }
    Piece {
        bytes,
        meta: Meta::Html(Parts {
            section,
            row,
            key,
            marks: parts,
            later: marks.iter().filter(|m| m.date > end).count(),
            falls: matches!(out_of_support, OutOfSupport::On(m) if within(m)),
        }),
    }
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

/// A mark within the horizon: its day, rule and kind, and the lengths of
/// its entry in the list under the chart, its title and its link.
#[derive(Debug, Clone, Copy)]
struct MarkPart {
    rule: &'static str,
    date: Day,
    fails: bool,
    estimated: bool,
    inventory: usize,
    lens: [usize; 3],
}

/// A kept mark: its part, and where its entry, title and link start.
#[derive(Debug, Clone, Copy)]
struct KeptMark {
    part: MarkPart,
    at: u64,
}

impl KeptMark {
    fn range(&self, which: usize) -> std::ops::Range<u64> {
        let lens = self.part.lens;
        let start = self.at + lens.iter().take(which).sum::<usize>() as u64;
        start..start + lens.get(which).copied().unwrap_or(0) as u64
    }
}

/// The deployments table's order: verdict (unsupported first), days until
/// out of support, days until the nearest deadline, input order.
type RowOrder = (u8, i64, i64, usize);

/// The page's head and fleet view need the whole run, so the sections, the
/// rows and the marks wait in spools; only where each is, and the rows' and
/// marks' keys, are kept.
pub(super) struct Assembly {
    sections: Box<dyn Spool>,
    rows: Box<dyn Spool>,
    marks: Box<dyn Spool>,
    row_order: Vec<(RowOrder, std::ops::Range<u64>)>,
    kept: Vec<KeptMark>,
    later: usize,
    falling: usize,
}

impl Assembly {
    pub(super) fn new(spools: &mut SpoolMaker<'_>) -> io::Result<Self> {
        Ok(Self {
            sections: spools()?,
            rows: spools()?,
            marks: spools()?,
            row_order: Vec::new(),
            kept: Vec::new(),
            later: 0,
            falling: 0,
        })
    }

    pub(super) fn push(&mut self, piece: Piece) -> io::Result<()> {
        let Meta::Html(parts) = piece.meta else {
            return Ok(());
        };
        let bytes = piece.bytes.as_slice();
        let (section, rest) = bytes.split_at(parts.section.min(bytes.len()));
        let (row, marks) = rest.split_at(parts.row.min(rest.len()));
        self.sections.write_all(section)?;
        let start = self.rows.position();
        self.rows.write_all(row)?;
        self.row_order
            .push((parts.key, start..start + row.len() as u64));
        let mut at = self.marks.position();
        self.marks.write_all(marks)?;
        for part in parts.marks {
            self.kept.push(KeptMark { part, at });
            at += part.lens.iter().sum::<usize>() as u64;
        }
        self.later += parts.later;
        self.falling += usize::from(parts.falls);
        Ok(())
    }

    pub(super) fn finish(
        mut self,
        run: &Run,
        options: &RenderOptions,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        for spool in [&mut self.sections, &mut self.rows, &mut self.marks] {
            spool.flush()?;
        }
        head(run, totals, out)?;
        writeln!(out, "<body>")?;
        header(run, totals, out)?;
        writeln!(out, "<main>")?;
        fleet(run, options, totals, self.falling, out)?;
        self.timeline(run, options, out)?;
        self.deployments_table(run, out)?;
        let end = self.sections.position();
        self.sections.copy_to(0..end, out)?;
        writeln!(out, "</main>")?;
        // The editions judged against, once each (a fleet may mix product lines).
        let mut editions: Vec<String> = totals
            .editions
            .iter()
            .map(|p| format!("<a href=\"{}\">{}</a>", esc(p.url), esc(p.title)))
            .collect();
        if editions.is_empty() {
            editions.push(format!(
                "<a href=\"{POLICY_URL}\">the AKS hybrid support policy</a>"
            ));
        }
        writeln!(
            out,
            "<footer><p>Generated by akspol {TOOL_VERSION} against {}. \
             Dates marked ~ rest on an estimated release or lifecycle date. This page makes no network request.</p></footer>",
            editions.join(", ")
        )?;
        writeln!(out, "<script>{SCRIPT}</script>")?;
        writeln!(out, "</body>\n</html>")
    }

    /// The inline SVG of every deadline within the horizon, one lane per
    /// rule, and the list of what falls on each day under it.
    fn timeline(
        &mut self,
        run: &Run,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let as_of = run.as_of;
        let end = end_of(run, options);
        writeln!(out, "<section id=\"timeline\">")?;
        writeln!(
            out,
            "<h2>Coming deadlines: the next {} days</h2>",
            options.horizon
        )?;
        let kept = std::mem::take(&mut self.kept);
        if kept.is_empty() {
            writeln!(
                out,
                "<p>Nothing gets worse between {as_of} and {end} if nothing is done.</p>"
            )?;
        } else {
            let groups = groups(&kept);
            self.chart(run, options, &groups, out)?;
            writeln!(
                out,
                "<p class=\"legend small\"><span><i class=\"key fail\"></i>falls out of support, or a failure gets worse</span><span><i class=\"key warn\"></i>starts to warn</span><span>a larger mark stands for several findings on one day</span></p>"
            )?;
            self.due_list(run, &groups, out)?;
        }
        if self.later > 0 {
            writeln!(
                out,
                "<p class=\"small\">{} later deadlines (after {end}) are in each deployment's calendar; <code>--horizon DAYS</code> shows more.</p>",
                self.later
            )?;
        }
        writeln!(out, "</section>")
    }

    /// A spooled text, as it was written (escaped already).
    fn text(&mut self, range: std::ops::Range<u64>) -> io::Result<String> {
        let mut bytes = Vec::new();
        self.marks.copy_to(range, &mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn chart(
        &mut self,
        run: &Run,
        options: &RenderOptions,
        groups: &[Group],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let as_of = run.as_of;
        let end = end_of(run, options);
        // Lanes: one per rule, in the order of their first mark.
        let mut lanes: Vec<&str> = Vec::new();
        for group in groups {
            if !lanes.contains(&group.rule) {
                lanes.push(group.rule);
            }
        }
        let lane_count = i64::try_from(lanes.len()).unwrap_or(0);
        let height = TOP + lane_count * LANE + 12;
        let plot = WIDTH - LABEL_WIDTH - RIGHT;
        let horizon = i64::from(options.horizon.max(1));
        let x =
            |day: Day| LABEL_WIDTH + days_between(as_of, day).clamp(0, horizon) * plot / horizon;
        writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"timeline-title\">"
        )?;
        writeln!(
            out,
            "<title id=\"timeline-title\">Deadlines from {as_of} to {end}: {} days on which findings get worse</title>",
            groups.len()
        )?;
        // The months, and the as-of day where the plot starts.
        writeln!(
            out,
            "<line class=\"grid\" x1=\"{LABEL_WIDTH}\" y1=\"{}\" x2=\"{LABEL_WIDTH}\" y2=\"{height}\"/>",
            TOP - 8
        )?;
        writeln!(
            out,
            "<text class=\"month\" x=\"{LABEL_WIDTH}\" y=\"14\">as of {as_of}</text>"
        )?;
        let mut month = first_of_next_month(as_of);
        let mut last_label = LABEL_WIDTH;
        while month <= end {
            let mx = x(month);
            writeln!(
                out,
                "<line class=\"grid\" x1=\"{mx}\" y1=\"{}\" x2=\"{mx}\" y2=\"{height}\"/>",
                TOP - 8
            )?;
            // Labels need about 60 units: skip one that would overlap.
            if mx - last_label >= 90 {
                writeln!(
                    out,
                    "<text class=\"month\" x=\"{}\" y=\"28\">{}</text>",
                    mx + 3,
                    month.format("%Y-%m")
                )?;
                last_label = mx;
            }
            month = first_of_next_month(month);
        }
        for (lane, rule) in lanes.iter().enumerate() {
            let y = TOP + i64::try_from(lane).unwrap_or(0) * LANE + LANE / 2;
            writeln!(
                out,
                "<line class=\"lane\" x1=\"0\" y1=\"{y}\" x2=\"{WIDTH}\" y2=\"{y}\"/>"
            )?;
            writeln!(
                out,
                "<text x=\"6\" y=\"{}\">{} {}</text>",
                y + 4,
                esc(rule),
                esc(rule_name(run, rule))
            )?;
        }
        for (i, group) in groups.iter().enumerate() {
            let lane = lanes.iter().position(|r| *r == group.rule).unwrap_or(0);
            let cy = TOP + i64::try_from(lane).unwrap_or(0) * LANE + LANE / 2;
            let cx = x(group.date);
            let n = group.marks.len();
            // 6 units for one finding, one more per doubling, at most 12.
            let r = 6 + i64::from((usize::BITS - n.leading_zeros()).saturating_sub(1).min(6));
            let class = if group.fails {
                "mark-fail"
            } else {
                "mark-warn"
            };
            // Where it links, and what it says when pointed at: the one
            // finding, else the day's entry in the list.
            let (href, title) = match group.marks.as_slice() {
                [one] => (self.text(one.range(2))?, self.text(one.range(1))?),
                marks => (
                    format!("#due-{}", i + 1),
                    esc(&group_title(as_of, group, marks)).into_owned(),
                ),
            };
            writeln!(
                out,
                "<a href=\"{href}\" class=\"mark\" data-date=\"{}\" data-count=\"{n}\">",
                group.date
            )?;
            writeln!(out, "<title>{title}</title>")?;
            if group.fails {
                writeln!(
                    out,
                    "<polygon class=\"{class}\" points=\"{},{cy} {cx},{} {},{cy} {cx},{}\"/>",
                    cx - r,
                    cy - r,
                    cx + r,
                    cy + r
                )?;
            } else {
                writeln!(
                    out,
                    "<circle class=\"{class}\" cx=\"{cx}\" cy=\"{cy}\" r=\"{}\"/>",
                    r - 1
                )?;
            }
            if n > 1 {
                writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\">{n}</text>",
                    cx + r + 2,
                    cy - r + 4
                )?;
            }
            writeln!(out, "</a>")?;
        }
        writeln!(out, "</svg>")
    }

    /// Under the chart: each day's findings, with links.
    fn due_list(&mut self, run: &Run, groups: &[Group], out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "<h3>What gets worse, day by day</h3>")?;
        writeln!(out, "<ol class=\"due\">")?;
        for (i, group) in groups.iter().enumerate() {
            let n = group.marks.len();
            let estimated = if group.marks.iter().any(|m| m.part.estimated) {
                "~"
            } else {
                ""
            };
            writeln!(
                out,
                "<li id=\"due-{}\"><details{}><summary><b>{estimated}{}</b> ({}) · {} {} · <span class=\"st st-{}\">{}</span> · {} in {}</summary>\n<ul>",
                i + 1,
                if n <= OPEN_GROUP { " open=\"open\"" } else { "" },
                group.date,
                days_text(days_between(run.as_of, group.date)),
                esc(group.rule),
                esc(rule_name(run, group.rule)),
                if group.fails { "fail" } else { "warn" },
                if group.fails { "fails" } else { "warns" },
                plural(n, "scope", "scopes"),
                plural(group.deployments(), "deployment", "deployments"),
            )?;
            for mark in &group.marks {
                self.marks.copy_to(mark.range(0), out)?;
            }
            writeln!(out, "</ul></details></li>")?;
        }
        writeln!(out, "</ol>")
    }

    /// The table of deployments, worst first: unsupported, then at risk,
    /// each by the day it falls out of support, then by its nearest deadline.
    fn deployments_table(&mut self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
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
        self.row_order.sort_unstable_by_key(|(key, _)| *key);
        for (_, range) in &self.row_order {
            self.rows.copy_to(range.clone(), out)?;
        }
        writeln!(out, "</tbody>\n</table>\n</section>")
    }
}

/// The marks of one inventory: its plan's calendar (which has every
/// finding's deadline and the policy's later stages), else its findings'
/// deadlines.
fn marks_of(index: usize, inventory: &InventoryReport, show: Show) -> Vec<Mark> {
    let labels: Vec<String> = inventory
        .findings
        .iter()
        .map(|f| inventory.label(f.finding.scope).to_string())
        .collect();
    let position: HashMap<(&str, &str), usize> = inventory
        .findings
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(j, (f, label))| ((label.as_str(), f.finding.rule.code), j))
        .collect();
    // A finding folded away (a passing one with a deadline) has no element:
    // its line in the deployment's calendar stands for it.
    let anchor = |scope: &str, rule: &str| match position
        .get(&(scope, rule))
        .and_then(|&j| inventory.findings.get(j).map(|f| (j, f)))
    {
        Some((j, f)) if listed(f, show) => (finding_id(index, j), f.waiver.is_some()),
        Some((_, f)) => (calendar_id(index), f.waiver.is_some()),
        None => (calendar_id(index), false),
    };
    let mut marks = Vec::new();
    match &inventory.plan {
        Some(plan) => {
            for entry in &plan.calendar {
                let rule = entry.rule.unwrap_or("-");
                let (anchor, waived) = anchor(&entry.scope, rule);
                marks.push(Mark {
                    anchor,
                    date: entry.date,
                    estimated: entry.estimated,
                    rule,
                    scope: entry.scope.clone(),
                    becomes: entry.becomes,
                    what: entry.what.clone(),
                    waived,
                });
            }
        }
        None => {
            for (j, (reported, label)) in inventory.findings.iter().zip(&labels).enumerate() {
                let f = &reported.finding;
                let Some(deadline) = &f.outcome.deadline else {
                    continue;
                };
                marks.push(Mark {
                    anchor: if listed(reported, show) {
                        finding_id(index, j)
                    } else {
                        deployment_id(index)
                    },
                    date: deadline.date,
                    estimated: deadline.estimated,
                    rule: f.rule.code,
                    scope: label.clone(),
                    becomes: crate::findings::plan::becomes(f.outcome.status, deadline),
                    what: deadline.what.clone(),
                    waived: reported.waiver.is_some(),
                });
            }
        }
    }
    marks
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

fn head(run: &Run, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
    let title = format!(
        "akspol: {} ({}) as of {}",
        totals.verdict.as_str(),
        super::table::inventories(totals.inventories),
        run.as_of
    );
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(
        out,
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">"
    )?;
    writeln!(out, "<head>")?;
    writeln!(out, "<meta charset=\"utf-8\"/>")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
    )?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\"/>"
    )?;
    writeln!(
        out,
        "<meta name=\"generator\" content=\"akspol {TOOL_VERSION}\"/>"
    )?;
    writeln!(out, "<title>{}</title>", esc(&title))?;
    writeln!(out, "<style>\n{STYLE}</style>")?;
    writeln!(out, "</head>")
}

fn header(run: &Run, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
    let catalog = &run.catalog;
    let latest = match (&catalog.latest, &catalog.latest_released) {
        (Some(v), Some(d)) => format!("latest {} released {d}", esc(v)),
        _ => "no release as of this date".to_string(),
    };
    writeln!(out, "<header>")?;
    writeln!(out, "<h1>akspol support report</h1>")?;
    writeln!(
        out,
        "<p class=\"sub\">As of <time datetime=\"{as_of}\">{as_of}</time> · verdict <span class=\"v v-{v}\">{v}</span> · {} · catalog {} ({latest})</p>",
        super::table::inventories(totals.inventories),
        esc(&catalog.source),
        as_of = run.as_of,
        v = totals.verdict.as_str(),
    )?;
    writeln!(out, "</header>")
}

fn fleet(
    run: &Run,
    options: &RenderOptions,
    totals: &Totals,
    falling: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let v = &totals.fleet.verdicts;
    writeln!(out, "<section id=\"fleet\">")?;
    writeln!(out, "<h2>Fleet</h2>")?;
    writeln!(out, "<ul class=\"tiles\">")?;
    for (class, n, what) in [
        ("unsupported", v.unsupported, "unsupported"),
        ("at-risk", v.at_risk, "at risk"),
        ("supported", v.supported, "supported"),
    ] {
        tile(out, class, n, what, "#deployments")?;
    }
    tile(
        out,
        "due",
        falling,
        &format!("fall out of support within {} days", options.horizon),
        "#timeline",
    )?;
    writeln!(out, "</ul>")?;
    let reasons = gate_reasons(totals);
    if !reasons.is_empty() {
        writeln!(out, "<div class=\"gate\" id=\"gate\">")?;
        writeln!(out, "<h3>Why the run fails (exit status 1)</h3>")?;
        writeln!(out, "<ul>")?;
        for reason in reasons {
            writeln!(out, "<li>{}</li>", esc(&reason))?;
        }
        writeln!(out, "</ul>\n</div>")?;
    }
    baseline_summary(totals, out)?;
    writeln!(out, "<h3>Rules failing most</h3>")?;
    if totals.fleet.top_rules.is_empty() {
        writeln!(out, "<p>No rule fails or puts a deployment at risk.</p>")?;
    } else {
        writeln!(out, "<table class=\"rules\">")?;
        writeln!(
            out,
            "<thead><tr><th>Rule</th><th>Failing deployments</th><th>At-risk deployments</th><th>Policy</th></tr></thead>\n<tbody>"
        )?;
        for count in &totals.fleet.top_rules {
            let section = run
                .rules
                .iter()
                .find(|r| r.code == count.rule)
                .map(|r| r.section);
            let policy = section
                .map(|s| format!("<a href=\"{}\">{}</a>", esc(&s.url()), esc(s.title)))
                .unwrap_or_default();
            writeln!(
                out,
                "<tr><td>{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{policy}</td></tr>",
                count.rule, count.name, count.fail, count.at_risk
            )?;
        }
        writeln!(out, "</tbody>\n</table>")?;
    }
    writeln!(out, "</section>")
}

fn tile(out: &mut dyn Write, class: &str, n: usize, what: &str, href: &str) -> io::Result<()> {
    writeln!(
        out,
        "<li class=\"tile {class}\"><a href=\"{href}\"><span class=\"n\">{n}</span></a> {}</li>",
        esc(what)
    )
}

/// The comparison with `--baseline`: counts, and the baseline's
/// inventories this run did not judge.
fn baseline_summary(totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
    let Some(baseline) = &totals.baseline else {
        return Ok(());
    };
    let c = &baseline.counts;
    writeln!(out, "<div id=\"baseline\">")?;
    writeln!(
        out,
        "<h3>Since the baseline</h3>\n<p>Compared with <code>{}</code> (as of {}, SHA-256 <code>{}</code>): findings matched by deployment, scope and rule.</p>",
        esc(&baseline.source),
        esc(&baseline.as_of),
        esc(&baseline.sha256)
    )?;
    writeln!(out, "<ul class=\"tiles\">")?;
    for (class, n) in [
        ("new", c.new),
        ("worse", c.worse),
        ("better", c.better),
        ("unchanged", c.unchanged),
        ("resolved", c.resolved),
    ] {
        tile(out, class, n, class, "#deployments")?;
    }
    writeln!(out, "</ul>")?;
    if !baseline.not_in_run.is_empty() {
        writeln!(
            out,
            "<details><summary>{} of the baseline not judged in this run (their findings are not compared)</summary>\n<ul>",
            super::table::inventories(baseline.not_in_run.len())
        )?;
        for gone in &baseline.not_in_run {
            writeln!(
                out,
                "<li>{} <span class=\"small\">{}</span>: {} findings</li>",
                esc(&gone.deployment),
                esc(&gone.source),
                gone.findings
            )?;
        }
        writeln!(out, "</ul>\n</details>")?;
    }
    writeln!(out, "</div>")
}

/// Marks on the same day, of the same rule and kind, as one mark.
struct Group<'m> {
    rule: &'static str,
    date: Day,
    fails: bool,
    marks: Vec<&'m KeptMark>,
}

impl Group<'_> {
    fn deployments(&self) -> usize {
        let mut seen: Vec<usize> = self.marks.iter().map(|m| m.part.inventory).collect();
        seen.dedup();
        seen.len()
    }
}

/// In date order, then rule, then kind; marks keep report order within one.
fn groups(marks: &[KeptMark]) -> Vec<Group<'_>> {
    let mut index: HashMap<(&str, Day, bool), usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for mark in marks {
        let p = &mark.part;
        let key = (p.rule, p.date, p.fails);
        match index.get(&key).and_then(|&i| groups.get_mut(i)) {
            Some(group) => group.marks.push(mark),
            None => {
                index.insert(key, groups.len());
                groups.push(Group {
                    rule: p.rule,
                    date: p.date,
                    fails: p.fails,
                    marks: vec![mark],
                });
            }
        }
    }
    groups.sort_by(|a, b| (a.date, a.rule, !a.fails).cmp(&(b.date, b.rule, !b.fails)));
    groups
}

fn rule_name<'r>(run: &'r Run, code: &str) -> &'r str {
    run.rules
        .iter()
        .find(|r| r.code == code)
        .map_or("", |r| r.name)
}

/// What a mark that stands for one finding says when pointed at.
fn single_title(as_of: Day, inventory: &InventoryReport, mark: &Mark) -> String {
    format!(
        "{} ({}) · {} · {} · {} becomes {}: {}",
        mark.date_text(),
        days_text(days_between(as_of, mark.date)),
        inventory.deployment,
        mark.scope,
        mark.rule,
        mark.becomes,
        mark.what
    )
}

/// What a mark that stands for several findings says when pointed at.
fn group_title(as_of: Day, group: &Group, marks: &[&KeptMark]) -> String {
    format!(
        "{}{} ({}) · {} {} on {} scopes in {} · see the list",
        if marks.iter().any(|m| m.part.estimated) {
            "~"
        } else {
            ""
        },
        group.date,
        days_text(days_between(as_of, group.date)),
        group.rule,
        if group.fails { "fails" } else { "warns" },
        marks.len(),
        plural(group.deployments(), "deployment", "deployments")
    )
}

fn first_of_next_month(day: Day) -> Day {
    use chrono::Datelike;
    let (year, month) = match day.month() {
        12 => (day.year() + 1, 1),
        m => (day.year(), m + 1),
    };
    Day::from_ymd_opt(year, month, 1).unwrap_or(day)
}

/// A mark's entry in the list under the chart.
fn due_item(inventory: &InventoryReport, mark: &Mark, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<li><a href=\"#{}\">{} · {}</a>: {} becomes {}: {}{}</li>",
        esc(&mark.anchor),
        esc(&inventory.deployment),
        esc(&mark.scope),
        esc(mark.rule),
        mark.becomes,
        esc(&mark.what),
        if mark.waived { " (waived)" } else { "" }
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
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
fn row_key(
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
fn deployment_row(
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

/// The facts shown above a deployment's findings, each a label and its
/// (escaped) value. A new fact is one more line here.
fn facts(run: &Run, inventory: &InventoryReport) -> Vec<(&'static str, String)> {
    let catalog = &run.catalog;
    let line = catalog.line(inventory.product);
    let latest = match line.map(|l| (&l.latest, &l.latest_released)) {
        Some((Some(v), Some(d))) => format!("{} (released {d})", esc(v)),
        _ => "none as of this date".to_string(),
    };
    let policy = &inventory.policy;
    let mut edition = format!(
        "<a href=\"{}\">{}</a> (<code>{}</code>)",
        esc(policy.url),
        esc(policy.title),
        esc(policy.edition)
    );
    if let Some(notice) = &policy.notice {
        edition.push_str(&format!("<br/>{}", esc(notice)));
    }
    let mut facts = vec![
        (
            "Inventory",
            format!("<code>{}</code>", esc(&inventory.source)),
        ),
        ("Product line", esc(inventory.product.title()).into_owned()),
        ("Installed release", esc(&inventory.installed).into_owned()),
        (
            "Host platform",
            inventory
                .platform
                .as_deref()
                .map_or_else(|| "not in inventory".to_string(), |p| esc(p).into_owned()),
        ),
        ("Clusters", inventory.clusters().to_string()),
        ("Policy edition", edition),
        (
            "Catalog",
            format!(
                "{} ({} releases, generated {})",
                esc(&catalog.source),
                catalog.releases,
                catalog.generated
            ),
        ),
    ];
    if let Some(line) = line {
        facts.push((
            "Catalog facts",
            esc(&super::header::catalog_age(line, run.as_of)).into_owned(),
        ));
    }
    facts.extend([
        ("Latest release", latest),
        ("As of", run.as_of.to_string()),
        (
            "Verdict",
            format!(
                "<span class=\"v v-{v}\">{v}</span> ({})",
                counts_text(&inventory.summary),
                v = inventory.verdict.as_str()
            ),
        ),
    ]);
    facts
}

/// One deployment's section: facts, findings, resolved, plan, coverage.
fn deployment(
    run: &Run,
    prepared: &Prepared,
    index: usize,
    inventory: &InventoryReport,
    show: Show,
    out: &mut dyn Write,
) -> io::Result<()> {
    let id = deployment_id(index);
    writeln!(out, "<section class=\"deployment\" id=\"{id}\">")?;
    writeln!(
        out,
        "<h2>{} <span class=\"v v-{v}\">{v}</span></h2>",
        esc(&inventory.deployment),
        v = inventory.verdict.as_str()
    )?;
    writeln!(out, "<dl class=\"facts\">")?;
    for (label, value) in facts(run, inventory) {
        writeln!(out, "<dt>{label}</dt><dd>{value}</dd>")?;
    }
    writeln!(out, "</dl>")?;
    findings(run, prepared, index, inventory, show, out)?;
    resolved(inventory, out)?;
    plan(run, index, inventory, out)?;
    coverage(inventory, out)?;
    writeln!(out, "</section>")
}

/// What a support request about each cluster can expect (`findings::coverage`),
/// as the Markdown report says it.
fn coverage(inventory: &InventoryReport, out: &mut dyn Write) -> io::Result<()> {
    let Some(coverage) = &inventory.coverage else {
        return Ok(());
    };
    writeln!(out, "<h3>Support coverage</h3>")?;
    if coverage.clusters.is_empty() {
        return writeln!(out, "<p>The inventory lists no clusters.</p>");
    }
    writeln!(
        out,
        "<p>What a support request about each cluster can expect, from the inventory (policy: <a href=\"{}\">{}</a>).</p>",
        esc(coverage.section.url),
        esc(coverage.section.section)
    )?;
    for cluster in &coverage.clusters {
        writeln!(
            out,
            "<h4>Cluster {}</h4>\n<ul class=\"coverage\">",
            esc(&cluster.cluster)
        )?;
        for (tier, items) in cluster.tiers() {
            if items.is_empty() {
                writeln!(out, "<li>{tier}: nothing listed in the inventory</li>")?;
                continue;
            }
            writeln!(out, "<li>{tier}:<ul>")?;
            // The section the paragraph above cites is not repeated per item.
            for item in items.iter() {
                if item.section.url == coverage.section.url {
                    writeln!(out, "<li>{}</li>", esc(&item.text))?;
                    continue;
                }
                writeln!(
                    out,
                    "<li>{} (<a href=\"{}\">{}</a>)</li>",
                    esc(&item.text),
                    esc(item.section.url),
                    esc(item.section.section)
                )?;
            }
            writeln!(out, "</ul></li>")?;
        }
        writeln!(out, "</ul>")?;
    }
    Ok(())
}

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

fn findings(
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
    // The other members' anchors, so a link to any of them lands here.
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
    write!(out, "<span class=\"scope\">{}</span>", scopes.join(", "))?;
    write!(
        out,
        "<span class=\"msg\">{}</span>",
        esc(&f.outcome.message)
    )?;
    if let Some(deadline) = &f.outcome.deadline {
        write!(
            out,
            "<span class=\"deadline\">{}</span>",
            esc(&super::deadline_text(run.as_of, deadline))
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
        "<div class=\"explain\">{}<p>Policy: <a href=\"{}\">{}</a> · <code>akspol explain {}</code></p></div>",
        prepared.explanations
            .get(f.rule.code)
            .map_or("", String::as_str),
        esc(&f.rule.section.url()),
        esc(f.rule.section.title),
        f.rule.code
    )?;
    writeln!(out, "</details>")
}

/// The comparison as a badge.
fn baseline_badge(compared: &Compared) -> String {
    format!(
        "<span class=\"bl bl-{}\">{}</span>",
        compared.state.as_str(),
        esc(&super::compared_text(compared))
    )
}

/// The findings `show` leaves out, one count per status, with their rules.
fn folded(run: &Run, inventory: &InventoryReport, show: Show) -> String {
    let parts = super::folded_counts(run, inventory, show);
    if parts.is_empty() {
        return String::new();
    }
    format!(
        "Not listed: {}; <code>--show all</code> lists every finding.",
        parts.join("; ")
    )
}

fn resolved(inventory: &InventoryReport, out: &mut dyn Write) -> io::Result<()> {
    if inventory.resolved.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<h3>Resolved since the baseline</h3>\n<ul class=\"resolved\">"
    )?;
    for r in &inventory.resolved {
        let now = r.now_text();
        writeln!(
            out,
            "<li><b>{} {}</b> · {}: was <span class=\"st st-{was}\">{was}</span>, {now}: {}</li>",
            esc(&r.rule),
            esc(&r.name),
            esc(&r.scope),
            esc(&r.message),
            was = r.was.status.as_str()
        )?;
    }
    writeln!(out, "</ul>")
}

fn plan(
    run: &Run,
    index: usize,
    inventory: &InventoryReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(plan) = &inventory.plan else {
        return Ok(());
    };
    writeln!(out, "<h3>Upgrade plan</h3>")?;
    writeln!(
        out,
        "<p>Installed {} · latest {}.</p>",
        esc(&inventory.installed),
        plan.target.as_deref().map_or_else(|| "none".into(), esc)
    )?;
    if plan.steps.is_empty() {
        writeln!(out, "<p>{}</p>", plan.no_steps_text())?;
    } else {
        writeln!(out, "<ol class=\"steps\">")?;
        for step in &plan.steps {
            writeln!(
                out,
                "<li><b>{}</b> · {}: {} → {}: {}</li>",
                step.kind.as_str(),
                step.cluster
                    .as_deref()
                    .map_or_else(|| "deployment".into(), esc),
                esc(&step.from),
                esc(&step.to),
                esc(&step.reason)
            )?;
        }
        writeln!(out, "</ol>")?;
    }
    for (title, notes) in [
        ("Blockers", &plan.blockers),
        ("Uncertainties", &plan.uncertainties),
    ] {
        if notes.is_empty() {
            continue;
        }
        writeln!(out, "<h4>{title}</h4>\n<ul>")?;
        for note in notes {
            writeln!(
                out,
                "<li>[{}] {}</li>",
                note.kind.as_str(),
                esc(&note.message)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    if !plan.calendar.is_empty() {
        writeln!(
            out,
            "<h4>Calendar: the days it gets worse if nothing is done</h4>\n<table class=\"calendar\" id=\"{}\">",
            calendar_id(index)
        )?;
        writeln!(
            out,
            "<thead><tr><th>Date</th><th>Days left</th><th>Scope</th><th>Rule</th><th>Becomes</th><th>What</th></tr></thead>\n<tbody>"
        )?;
        for entry in &plan.calendar {
            writeln!(
                out,
                "<tr><td>{}{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if entry.estimated { "~" } else { "" },
                entry.date,
                days_between(run.as_of, entry.date),
                esc(&entry.scope),
                entry.rule.unwrap_or("-"),
                entry.becomes,
                esc(&entry.what)
            )?;
        }
        writeln!(out, "</tbody>\n</table>")?;
    }
    Ok(())
}

/// A rule's explanation (its doc comment, Markdown) as HTML: `##` headings,
/// paragraphs, `- ` lists and code spans; all text escaped.
fn explanation(rule: &RuleInfo) -> String {
    let mut html = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let flush = |html: &mut String, paragraph: &mut Vec<String>, list: &mut Vec<String>| {
        if !paragraph.is_empty() {
            html.push_str(&format!("<p>{}</p>", paragraph.join(" ")));
            paragraph.clear();
        }
        if !list.is_empty() {
            let items: String = list.iter().map(|i| format!("<li>{i}</li>")).collect();
            html.push_str(&format!("<ul>{items}</ul>"));
            list.clear();
        }
    };
    for line in rule.explanation().lines() {
        let line = line.trim();
        if let Some(heading) = line.strip_prefix("## ") {
            flush(&mut html, &mut paragraph, &mut list);
            html.push_str(&format!("<h4>{}</h4>", inline(heading)));
        } else if line.is_empty() {
            flush(&mut html, &mut paragraph, &mut list);
        } else if let Some(item) = line.strip_prefix("- ") {
            if !paragraph.is_empty() {
                flush(&mut html, &mut paragraph, &mut list);
            }
            list.push(inline(item));
        } else if !list.is_empty() && paragraph.is_empty() {
            // A list item's continuation line.
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(&inline(line));
            }
        } else {
            paragraph.push(inline(line));
        }
    }
    flush(&mut html, &mut paragraph, &mut list);
    html
}

/// Escaped text with `code spans`.
fn inline(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part).into_owned()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanations_become_headings_paragraphs_and_code() {
        let rule = crate::rules::RULES
            .iter()
            .find(|r| r.code == "S001")
            .map(|r| &r.info)
            .unwrap();
        let html = explanation(rule);
        assert!(
            html.starts_with("<h4>What it checks</h4><p>How long"),
            "{html}"
        );
        assert!(html.contains("<code>stoppedSince</code>"));
        assert!(!html.contains('`'));
    }

    #[test]
    fn months_roll_over() {
        let day = |s: &str| crate::base::dates::parse_day(s).unwrap();
        assert_eq!(first_of_next_month(day("2026-12-31")), day("2027-01-01"));
        assert_eq!(first_of_next_month(day("2026-11-01")), day("2026-12-01"));
    }
}
