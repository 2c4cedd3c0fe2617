//! The fleet summary of a run (`findings::fleet`): counts by verdict, the
//! rules failing most often, and the deployments with the nearest deadlines.

use std::collections::BTreeMap;

use crate::base::dates::days_between;
use crate::findings::fleet::{FleetSummary, NearestDeadline, RuleCount, VerdictCounts, TOP};
use crate::findings::{Finding, Report, RuleInfo, Status, Verdict};

/// The summary of every inventory in `report`.
pub fn of(report: &Report) -> FleetSummary {
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
        let mut worst: BTreeMap<&'static str, (&'static RuleInfo, u8)> = BTreeMap::new();
        let mut nearest: Option<&Finding> = None;
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
            if let Some(deadline) = &finding.outcome.deadline {
                let nearer = nearest
                    .and_then(|n| n.outcome.deadline.as_ref())
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
            if let Some(deadline) = &finding.outcome.deadline {
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
                scope: inventory.label(finding.scope).to_string(),
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
