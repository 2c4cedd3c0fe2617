//! The fleet summary: what an operator of hundreds of sites reads first.
//! Counts by verdict, the rules failing most often, and the deployments with
//! the nearest deadlines. Shown after the per-inventory tables when more than
//! one inventory is judged (or alone with `--summary-only`), and as the
//! additive top-level `"fleet"` object of the JSON report.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use crate::base::dates::days_between;
use crate::base::sanitize::clean;
use crate::report::{RenderOptions, Report, Verdict};
use crate::rules::Status;

/// How many rules and deadlines the summary lists.
pub const TOP: usize = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    pub supported: usize,
    #[serde(rename = "at-risk")]
    pub at_risk: usize,
    pub unsupported: usize,
}

/// A rule and how many inventories it fails or puts at risk (unwaived findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCount {
    pub rule: &'static str,
    pub name: &'static str,
    /// Inventories with at least one `fail` finding of this rule.
    pub fail: usize,
    /// Inventories with a `warn` or `unknown` finding of it (and no `fail`).
    pub at_risk: usize,
}

/// A deployment's nearest deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NearestDeadline {
    pub source: String,
    pub deployment: String,
    pub rule: &'static str,
    pub scope: String,
    pub deadline: String,
    /// Days from the as-of date (negative when already past).
    pub days: i64,
    pub estimated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetSummary {
    pub inventories: usize,
    pub verdicts: VerdictCounts,
    /// At most [`TOP`], most failing first.
    pub top_rules: Vec<RuleCount>,
    /// At most [`TOP`] deployments, nearest deadline first.
    pub nearest_deadlines: Vec<NearestDeadline>,
}

impl FleetSummary {
    pub fn of(report: &Report) -> Self {
        let mut verdicts = VerdictCounts::default();
        // Keyed by rule code, so ties list in code order.
        let mut rules: BTreeMap<&'static str, RuleCount> = BTreeMap::new();
        let mut deadlines = Vec::new();
        for (index, inventory) in report.inventories.iter().enumerate() {
            match inventory.verdict {
                Verdict::Supported => verdicts.supported += 1,
                Verdict::AtRisk => verdicts.at_risk += 1,
                Verdict::Unsupported => verdicts.unsupported += 1,
            }
            // The worst unwaived status of each rule in this inventory.
            let mut worst: BTreeMap<&'static str, (&'static crate::rules::Rule, u8)> =
                BTreeMap::new();
            let mut nearest: Option<&crate::rules::Finding> = None;
            for reported in &inventory.findings {
                let Some(status) = reported.counted_status() else {
                    continue;
                };
                let finding = &reported.finding;
                let severity = match status {
                    Status::Fail => 2,
                    Status::Warn | Status::Unknown => 1,
                    _ => 0,
                };
                let entry = worst.entry(finding.rule.code).or_insert((finding.rule, 0));
                entry.1 = entry.1.max(severity);
                if let Some(deadline) = finding.outcome.deadline {
                    let nearer = nearest
                        .and_then(|n| n.outcome.deadline)
                        .is_none_or(|n| deadline.date < n.date);
                    if nearer {
                        nearest = Some(finding);
                    }
                }
            }
            for (code, (rule, severity)) in worst {
                if severity == 0 {
                    continue;
                }
                let count = rules.entry(code).or_insert(RuleCount {
                    rule: rule.code,
                    name: rule.name,
                    fail: 0,
                    at_risk: 0,
                });
                if severity == 2 {
                    count.fail += 1;
                } else {
                    count.at_risk += 1;
                }
            }
            if let Some(finding) = nearest {
                if let Some(deadline) = finding.outcome.deadline {
                    deadlines.push((deadline.date, index, finding, deadline.estimated));
                }
            }
        }
        let mut top_rules: Vec<RuleCount> = rules.into_values().collect();
        // Stable sort: equal counts keep code order.
        top_rules.sort_by_key(|r| std::cmp::Reverse((r.fail, r.at_risk)));
        top_rules.truncate(TOP);
        deadlines.sort_by_key(|(date, index, _, _)| (*date, *index));
        let nearest_deadlines = deadlines
            .into_iter()
            .take(TOP)
            .filter_map(|(date, index, finding, estimated)| {
                let inventory = report.inventories.get(index)?;
                Some(NearestDeadline {
                    source: inventory.source.clone(),
                    deployment: inventory.deployment.clone(),
                    rule: finding.rule.code,
                    scope: finding.scope_label.clone(),
                    deadline: date.to_string(),
                    days: days_between(report.as_of, date),
                    estimated,
                })
            })
            .collect();
        FleetSummary {
            inventories: report.inventories.len(),
            verdicts,
            top_rules,
            nearest_deadlines,
        }
    }

    /// The summary as text tables, for `--format table`. `not_judged` counts
    /// the inventories that could not be read or were invalid.
    pub fn render_table(
        &self,
        not_judged: usize,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        use crate::report::table::paint;
        let v = &self.verdicts;
        let mut line = format!(
            "{} inventories: {} supported, {} at-risk, {} unsupported",
            self.inventories, v.supported, v.at_risk, v.unsupported
        );
        if not_judged > 0 {
            line.push_str(&format!(
                ", {not_judged} could not be judged (see the errors)"
            ));
        }
        writeln!(out, "{}", paint("fleet", "1", options.color))?;
        writeln!(out, "{line}")?;
        if !self.top_rules.is_empty() {
            let mut table = new_table(options);
            table.set_header(["rule", "failing inventories", "at-risk inventories"]);
            for r in &self.top_rules {
                table.add_row([
                    format!("{} {}", r.rule, r.name),
                    r.fail.to_string(),
                    r.at_risk.to_string(),
                ]);
            }
            writeln!(out, "rules failing most often")?;
            writeln!(out, "{table}")?;
        }
        if !self.nearest_deadlines.is_empty() {
            let mut table = new_table(options);
            table.set_header(["deployment", "rule", "scope", "deadline"]);
            for d in &self.nearest_deadlines {
                table.add_row([
                    format!("{} ({})", clean(&d.deployment), clean(&d.source)),
                    d.rule.to_string(),
                    clean(&d.scope).into_owned(),
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
}

fn new_table(options: &RenderOptions) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(options.width);
    table
}
