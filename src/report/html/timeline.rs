//! The timeline of coming deadlines: an inline SVG with one lane per rule
//! and a mark per day something gets worse (findings that share the day
//! and rule are one mark), and under it the list of what each day brings.
//! Each inventory's marks are written by the worker that judged it; the
//! chart and the list are drawn at the end from where they were kept.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{calendar_id, deployment_id, finding_id, listed};
use crate::base::dates::{add_days, days_between, Day};
use crate::base::html::escape as esc;
use crate::findings::{InventoryReport, Run};
use crate::report::{days_text, RenderOptions, Show, Spool};

/// Timeline geometry (SVG user units).
const WIDTH: i64 = 1000;
const LABEL_WIDTH: i64 = 210;
const RIGHT: i64 = 28;
const TOP: i64 = 34;
const LANE: i64 = 30;
/// Items listed under a group of the timeline before it folds.
const OPEN_GROUP: usize = 8;

/// A day something gets worse: a plan calendar entry (or, without a plan, a
/// finding's deadline), tied to the finding it concerns.
pub(super) struct Mark {
    /// The element it links to: the finding, else the deployment.
    pub(super) anchor: String,
    pub(super) date: Day,
    pub(super) estimated: bool,
    pub(super) rule: &'static str,
    pub(super) scope: String,
    /// `warn`, `fail`, or `worse` (a failure gets worse).
    pub(super) becomes: &'static str,
    pub(super) what: String,
    /// The finding it concerns is waived.
    pub(super) waived: bool,
}

impl Mark {
    /// Whether it fails the deployment (or makes a failure worse).
    fn fails(&self) -> bool {
        self.becomes != "warn"
    }

    pub(super) fn date_text(&self) -> String {
        format!("{}{}", if self.estimated { "~" } else { "" }, self.date)
    }
}

/// The last day the timeline shows.
pub(super) fn end_of(run: &Run, options: &RenderOptions) -> Day {
    add_days(run.as_of, i64::from(options.horizon))
}

/// The marks of one inventory: its plan's calendar (which has every
/// finding's deadline and the policy's later stages), else its findings'
/// deadlines.
pub(super) fn marks_of(index: usize, inventory: &InventoryReport, show: Show) -> Vec<Mark> {
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

/// Writes the marks within the horizon into a piece: for each, its entry in
/// the list under the chart, its title and its link, in that order.
pub(super) fn write_marks<'m>(
    as_of: Day,
    index: usize,
    inventory: &InventoryReport,
    marks: impl Iterator<Item = &'m Mark>,
    bytes: &mut Vec<u8>,
) -> Vec<MarkPart> {
    let mut parts = Vec::new();
    for mark in marks {
        let start = bytes.len();
        let _ = due_item(inventory, mark, bytes);
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
    parts
}

/// A mark within the horizon: its day, rule and kind, and the lengths of
/// its entry in the list under the chart, its title and its link.
#[derive(Debug, Clone, Copy)]
pub(super) struct MarkPart {
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

/// The marks of every inventory as they come: their entries, titles and
/// links wait in a spool; only where each is, and its day, rule and kind,
/// are kept.
pub(super) struct Timeline {
    marks: Box<dyn Spool>,
    kept: Vec<KeptMark>,
    /// Marks after the horizon.
    later: usize,
}

impl Timeline {
    pub(super) fn new(marks: Box<dyn Spool>) -> Self {
        Self {
            marks,
            kept: Vec::new(),
            later: 0,
        }
    }

    /// One piece's marks (`bytes`, as [`write_marks`] wrote them), and its
    /// count of marks after the horizon.
    pub(super) fn push(
        &mut self,
        bytes: &[u8],
        parts: Vec<MarkPart>,
        later: usize,
    ) -> io::Result<()> {
        let mut at = self.marks.position();
        self.marks.write_all(bytes)?;
        for part in parts {
            self.kept.push(KeptMark { part, at });
            at += part.lens.iter().sum::<usize>() as u64;
        }
        self.later += later;
        Ok(())
    }

    /// The inline SVG of every deadline within the horizon, one lane per
    /// rule, and the list of what falls on each day under it.
    pub(super) fn write(
        mut self,
        run: &Run,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.marks.flush()?;
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

    /// The SVG: the months, one lane per rule (in the order of their first
    /// mark), a mark per group.
    fn chart(
        &mut self,
        run: &Run,
        options: &RenderOptions,
        groups: &[Group],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut lanes: Vec<&'static str> = Vec::new();
        for group in groups {
            if !lanes.contains(&group.rule) {
                lanes.push(group.rule);
            }
        }
        let plot = Plot::new(run, options, lanes);
        let (as_of, end, height) = (plot.as_of, plot.end, plot.height);
        writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"timeline-title\">"
        )?;
        writeln!(
            out,
            "<title id=\"timeline-title\">Deadlines from {as_of} to {end}: {} days on which findings get worse</title>",
            groups.len()
        )?;
        plot.months(out)?;
        plot.lanes(run, out)?;
        for (i, group) in groups.iter().enumerate() {
            self.mark(&plot, i, group, out)?;
        }
        writeln!(out, "</svg>")
    }

    /// A group's mark: a diamond where something fails, a circle where it
    /// starts to warn, larger for more findings, linked to the one finding
    /// or to the group's entry in the list (the `i`-th).
    fn mark(
        &mut self,
        plot: &Plot,
        i: usize,
        group: &Group,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let cy = plot.lane_y(group.rule);
        let cx = plot.x(group.date);
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
                esc(&group_title(plot.as_of, group, marks)).into_owned(),
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
        writeln!(out, "</a>")
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
}

/// Where things go on the chart: x from the as-of day to the horizon's end,
/// y by the rule's lane.
struct Plot {
    as_of: Day,
    end: Day,
    horizon: i64,
    lanes: Vec<&'static str>,
    height: i64,
}

impl Plot {
    fn new(run: &Run, options: &RenderOptions, lanes: Vec<&'static str>) -> Self {
        let lane_count = i64::try_from(lanes.len()).unwrap_or(0);
        Self {
            as_of: run.as_of,
            end: end_of(run, options),
            horizon: i64::from(options.horizon.max(1)),
            height: TOP + lane_count * LANE + 12,
            lanes,
        }
    }

    fn x(&self, day: Day) -> i64 {
        let plot = WIDTH - LABEL_WIDTH - RIGHT;
        LABEL_WIDTH + days_between(self.as_of, day).clamp(0, self.horizon) * plot / self.horizon
    }

    /// The middle of a rule's lane.
    fn lane_y(&self, rule: &str) -> i64 {
        let lane = self.lanes.iter().position(|r| *r == rule).unwrap_or(0);
        TOP + i64::try_from(lane).unwrap_or(0) * LANE + LANE / 2
    }

    /// The months, and the as-of day where the plot starts.
    fn months(&self, out: &mut dyn Write) -> io::Result<()> {
        let (as_of, height) = (self.as_of, self.height);
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
        while month <= self.end {
            let mx = self.x(month);
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
        Ok(())
    }

    /// Each rule's lane, with its code and name.
    fn lanes(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        for rule in &self.lanes {
            let y = self.lane_y(rule);
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
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_roll_over() {
        let day = |s: &str| crate::base::dates::parse_day(s).unwrap();
        assert_eq!(first_of_next_month(day("2026-12-31")), day("2027-01-01"));
        assert_eq!(first_of_next_month(day("2026-11-01")), day("2026-12-01"));
    }
}
