//! The fleet summary of a run (`findings::fleet`): counts by verdict, the
//! rules failing most often, and the deployments with the nearest deadlines.
//! Summed inventory by inventory ([`FleetTally`]), so only the counts and
//! the ten nearest deadlines are kept while a fleet is judged.

use std::collections::BTreeMap;

use crate::base::dates::{days_between, Day};
use crate::findings::fleet::{FleetSummary, NearestDeadline, RuleCount, VerdictCounts, TOP};
use crate::findings::{Cite, InventoryReport, RuleInfo, Status, Verdict};

/// What the fleet summary takes from one inventory.
#[derive(Debug, Clone)]
pub struct FleetPart {
    verdict: Verdict,
    /// Each rule with an unwaived `fail` (2) or `warn`/`unknown` (1)
    /// finding, at its worst, in code order, with what its edition cites.
    rules: Vec<(&'static RuleInfo, u8, Cite)>,
    /// Its nearest unwaived deadline.
    nearest: Option<(Day, NearestDeadline)>,
}

/// The fleet summary's part of one inventory.
pub fn part_of(as_of: Day, inventory: &InventoryReport) -> FleetPart {
    // The worst unwaived status of each rule in this inventory, by code.
    let mut worst: BTreeMap<&'static str, (&'static RuleInfo, u8, Cite)> = BTreeMap::new();
    let mut nearest: Option<&crate::findings::Finding> = None;
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
        let entry = worst
            .entry(finding.rule.code)
            .or_insert((finding.rule, 0, finding.cite));
        entry.1 = entry.1.max(severity);
        if let Some(deadline) = &finding.outcome.deadline {
            let nearer = nearest
                .and_then(|n| n.outcome.deadline.as_ref())
                .is_none_or(|n| deadline.date < n.date);
            if nearer {
                nearest = Some(finding);
            }
        }
    }
    let nearest = nearest.and_then(|finding| {
        let deadline = finding.outcome.deadline.as_ref()?;
        Some((
            deadline.date,
            NearestDeadline {
                source: inventory.source.clone(),
                deployment: inventory.deployment.clone(),
                rule: finding.rule.code,
                scope: inventory.label(finding.scope).to_string(),
                deadline: deadline.date.to_string(),
                days: days_between(as_of, deadline.date),
                estimated: deadline.estimated,
            },
        ))
    });
    FleetPart {
        verdict: inventory.verdict,
        rules: worst.into_values().filter(|(_, s, _)| *s > 0).collect(),
        nearest,
    }
}

/// The fleet summary as it grows, one inventory at a time in input order.
#[derive(Debug, Default)]
pub struct FleetTally {
    inventories: usize,
    verdicts: VerdictCounts,
    /// Keyed by rule code, so ties list in code order.
    rules: BTreeMap<&'static str, RuleCount>,
    /// The nearest deadlines so far, at most [`TOP`], by (date, input order).
    deadlines: Vec<(Day, usize, NearestDeadline)>,
}

impl FleetTally {
    pub fn add(&mut self, part: FleetPart) {
        let index = self.inventories;
        self.inventories += 1;
        match part.verdict {
            Verdict::Supported => self.verdicts.supported += 1,
            Verdict::AtRisk => self.verdicts.at_risk += 1,
            Verdict::Unsupported => self.verdicts.unsupported += 1,
        }
        for (rule, severity, cite) in part.rules {
            let count = self.rules.entry(rule.code).or_insert(RuleCount {
                rule: rule.code,
                name: rule.name,
                fail: 0,
                at_risk: 0,
                cites: Vec::new(),
            });
            if !count.cites.contains(&cite) {
                count.cites.push(cite);
            }
            if severity == 2 {
                count.fail += 1;
            } else {
                count.at_risk += 1;
            }
        }
        if let Some((date, nearest)) = part.nearest {
            // Later inventories come after earlier ones of the same date.
            let at = self.deadlines.partition_point(|(d, _, _)| *d <= date);
            if at < TOP {
                self.deadlines.insert(at, (date, index, nearest));
                self.deadlines.truncate(TOP);
            }
        }
    }

    pub fn finish(self) -> FleetSummary {
        let mut top_rules: Vec<RuleCount> = self.rules.into_values().collect();
        // Stable sort: equal counts keep code order.
        top_rules.sort_by_key(|r| std::cmp::Reverse((r.fail, r.at_risk)));
        top_rules.truncate(TOP);
        FleetSummary {
            inventories: self.inventories,
            verdicts: self.verdicts,
            top_rules,
            nearest_deadlines: self.deadlines.into_iter().map(|(_, _, d)| d).collect(),
        }
    }
}
