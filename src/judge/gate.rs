//! The gate: whether a run's findings are acceptable (`--fail-on`,
//! `--fail-within`), and why not. It marks each finding that fails the run
//! and gathers the causes into the findings model, so every format can say
//! why; the face turns the answer into an exit status.

use std::collections::BTreeMap;

use crate::base::dates::days_between;
use crate::findings::{
    BaselineState, Cause, CauseKind, Example, GateResult, GateSettings, Gating, InventoryReport,
    Report, ReportedFinding,
};

/// Marks every unwaived finding that fails under `settings` and records the
/// causes in `report.gate`. One pass over the findings.
pub fn apply(settings: GateSettings, report: &mut Report) {
    let as_of = report.as_of;
    // Keyed by (kind, rule code) so the causes come out in a stable order.
    let mut status_causes: BTreeMap<&'static str, Cause> = BTreeMap::new();
    let mut deadline_causes: BTreeMap<&'static str, Cause> = BTreeMap::new();
    for inventory in &mut report.inventories {
        let mut counted_status: Vec<&'static str> = Vec::new();
        let mut counted_deadline: Vec<&'static str> = Vec::new();
        for reported in &mut inventory.findings {
            reported.gate = gating(settings, as_of, reported);
        }
        let inventory: &InventoryReport = inventory;
        for reported in inventory.findings.iter().filter(|f| f.gate.fails()) {
            let f = &reported.finding;
            let example = || Example {
                deployment: inventory.deployment.clone(),
                source: inventory.source.clone(),
                scope: inventory.label(f.scope).to_string(),
            };
            if reported.gate.status {
                let status = f.outcome.status;
                let cause = status_causes.entry(f.rule.code).or_insert_with(|| Cause {
                    rule: f.rule,
                    kind: CauseKind::Status(status),
                    findings: 0,
                    inventories: 0,
                    new: 0,
                    worse: 0,
                    example: example(),
                });
                if let CauseKind::Status(worst) = &mut cause.kind {
                    if status.severity() > worst.severity() {
                        *worst = status;
                    }
                }
                count_finding(cause, reported);
                count_inventory(&mut counted_status, cause);
            }
            if let (true, Some(deadline)) = (reported.gate.deadline, &f.outcome.deadline) {
                let days = days_between(as_of, deadline.date);
                let cause = deadline_causes.entry(f.rule.code).or_insert_with(|| Cause {
                    rule: f.rule,
                    kind: CauseKind::Deadline {
                        nearest: deadline.clone(),
                        days,
                    },
                    findings: 0,
                    inventories: 0,
                    new: 0,
                    worse: 0,
                    example: example(),
                });
                if let CauseKind::Deadline { nearest, days: d } = &mut cause.kind {
                    if deadline.date < nearest.date {
                        *nearest = deadline.clone();
                        *d = days;
                        cause.example = example();
                    }
                }
                count_finding(cause, reported);
                count_inventory(&mut counted_deadline, cause);
            }
        }
    }
    // Worst first, then in the registry's order (V, S, M, F, C).
    let order = |code: &str| report.rules.iter().position(|r| r.code == code);
    let mut causes: Vec<Cause> = status_causes.into_values().collect();
    causes.sort_by_key(|c| match c.kind {
        CauseKind::Status(status) => (status.rank(), order(c.rule.code)),
        CauseKind::Deadline { .. } => (u8::MAX, None),
    });
    let mut deadlines: Vec<Cause> = deadline_causes.into_values().collect();
    deadlines.sort_by_key(|c| match &c.kind {
        CauseKind::Deadline { nearest, .. } => (Some(nearest.date), order(c.rule.code)),
        CauseKind::Status(_) => (None, None),
    });
    causes.extend(deadlines);
    report.gate = GateResult { settings, causes };
}

/// Counts a finding of a cause, and whether it is new or worse.
fn count_finding(cause: &mut Cause, reported: &ReportedFinding) {
    cause.findings += 1;
    match reported.baseline.as_ref().map(|c| c.state) {
        Some(BaselineState::New) => cause.new += 1,
        Some(BaselineState::Worse) => cause.worse += 1,
        _ => {}
    }
}

/// Counts the inventory once per cause: `counted` holds the rule codes
/// already counted in the current inventory (at most one per rule).
fn count_inventory(counted: &mut Vec<&'static str>, cause: &mut Cause) {
    if !counted.contains(&cause.rule.code) {
        counted.push(cause.rule.code);
        cause.inventories += 1;
    }
}

/// Why `reported` fails the gate: waived findings never do, nor, with
/// `--fail-on-new`, findings that are not new or worse than the baseline.
fn gating(
    settings: GateSettings,
    as_of: crate::base::dates::Day,
    reported: &ReportedFinding,
) -> Gating {
    let Some(status) = reported.counted_status() else {
        return Gating::default();
    };
    let compared = reported.baseline.as_ref();
    if settings.only_new && !compared.is_some_and(|c| c.state.is_new_or_worse()) {
        return Gating::default();
    }
    let deadline = match (settings.fail_within, &reported.finding.outcome.deadline) {
        (Some(days), Some(deadline)) => days_between(as_of, deadline.date) <= i64::from(days),
        _ => false,
    };
    Gating {
        status: settings.status_fails(status),
        deadline,
    }
}
