//! The gate: whether a run's findings are acceptable (`--fail-on`,
//! `--fail-within`), and why not. It marks each finding that fails the run
//! and gathers the causes into the findings model, so every format can say
//! why; the face turns the answer into an exit status.

use std::collections::BTreeMap;

use crate::base::dates::{days_between, Day};
use crate::findings::{
    BaselineState, Cause, CauseKind, Example, GateResult, GateSettings, Gating, InventoryReport,
    ReportedFinding, RuleInfo,
};

/// Marks every unwaived finding of `inventory` that fails under `settings`.
pub fn mark(settings: GateSettings, as_of: Day, inventory: &mut InventoryReport) {
    for reported in &mut inventory.findings {
        reported.gate = gating(settings, as_of, reported);
    }
}

/// The causes of a run as they are found, inventory by inventory ([`GateTally::add`],
/// or one inventory's by a worker, merged in input order with
/// [`GateTally::merge`]): one per rule and kind, so a fleet of thousands
/// gives a few.
#[derive(Debug, Clone, Default)]
pub struct GateTally {
    // Keyed by rule code so the causes come out in a stable order.
    status: BTreeMap<&'static str, Cause>,
    deadline: BTreeMap<&'static str, Cause>,
}

impl GateTally {
    /// The causes of one inventory whose findings are marked ([`mark`]).
    pub fn of(as_of: Day, inventory: &InventoryReport) -> Self {
        let mut tally = GateTally::default();
        tally.add(as_of, inventory);
        tally
    }

    /// Adds the failing findings of one (marked) inventory.
    pub fn add(&mut self, as_of: Day, inventory: &InventoryReport) {
        let mut counted_status: Vec<&'static str> = Vec::new();
        let mut counted_deadline: Vec<&'static str> = Vec::new();
        for reported in inventory.findings.iter().filter(|f| f.gate.fails()) {
            let f = &reported.finding;
            let example = || Example {
                deployment: inventory.deployment.clone(),
                source: inventory.source.clone(),
                scope: inventory.label(f.scope).to_string(),
            };
            if reported.gate.status {
                let status = f.outcome.status;
                let cause = self.status.entry(f.rule.code).or_insert_with(|| Cause {
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
                let cause = self.deadline.entry(f.rule.code).or_insert_with(|| Cause {
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

    /// Adds the causes of later inventories: the same as adding them one by one.
    pub fn merge(&mut self, later: GateTally) {
        for (code, cause) in later.status {
            match self.status.get_mut(code) {
                None => {
                    self.status.insert(code, cause);
                }
                Some(kept) => {
                    if let (CauseKind::Status(worst), CauseKind::Status(status)) =
                        (&mut kept.kind, &cause.kind)
                    {
                        if status.severity() > worst.severity() {
                            *worst = *status;
                        }
                    }
                    add_counts(kept, &cause);
                }
            }
        }
        for (code, cause) in later.deadline {
            match self.deadline.get_mut(code) {
                None => {
                    self.deadline.insert(code, cause);
                }
                Some(kept) => {
                    if let (
                        CauseKind::Deadline { nearest, days },
                        CauseKind::Deadline {
                            nearest: theirs,
                            days: their_days,
                        },
                    ) = (&mut kept.kind, &cause.kind)
                    {
                        if theirs.date < nearest.date {
                            *nearest = theirs.clone();
                            *days = *their_days;
                            kept.example = cause.example.clone();
                        }
                    }
                    add_counts(kept, &cause);
                }
            }
        }
    }

    /// The gate's decision: status causes worst first, then in the
    /// registry's order (V, S, M, F, C); then deadline causes, nearest first.
    pub fn finish(self, settings: GateSettings, rules: &[&'static RuleInfo]) -> GateResult {
        let order = |code: &str| rules.iter().position(|r| r.code == code);
        let mut causes: Vec<Cause> = self.status.into_values().collect();
        causes.sort_by_key(|c| match c.kind {
            CauseKind::Status(status) => (status.rank(), order(c.rule.code)),
            CauseKind::Deadline { .. } => (u8::MAX, None),
        });
        let mut deadlines: Vec<Cause> = self.deadline.into_values().collect();
        deadlines.sort_by_key(|c| match &c.kind {
            CauseKind::Deadline { nearest, .. } => (Some(nearest.date), order(c.rule.code)),
            CauseKind::Status(_) => (None, None),
        });
        causes.extend(deadlines);
        GateResult { settings, causes }
    }
}

/// Adds the counts of a later part of the same cause.
fn add_counts(kept: &mut Cause, later: &Cause) {
    kept.findings += later.findings;
    kept.inventories += later.inventories;
    kept.new += later.new;
    kept.worse += later.worse;
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
fn gating(settings: GateSettings, as_of: Day, reported: &ReportedFinding) -> Gating {
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
