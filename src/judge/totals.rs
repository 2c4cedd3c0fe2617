//! The totals of a run (`findings::Totals`) as they grow: each inventory's
//! [`Digest`] is made where it was judged (a worker), and added to the
//! [`Tally`] in input order, so no inventory outlives its turn.

use crate::base::dates::Day;
use crate::findings::report::{MAX_INPUT_ERRORS, NOT_JUDGED_NAMED};
use crate::findings::{
    BaselineSummary, FileProblem, InventoryReport, PolicySummary, Run, Totals, Verdict, WaiverNote,
};

use super::gate::GateTally;
use super::summary::{self, FleetPart, FleetTally};

/// What the totals take from one judged inventory (its findings marked by
/// the gate): its part of the fleet summary, its gate causes and its edition.
#[derive(Debug, Clone)]
pub struct Digest {
    verdict: Verdict,
    fleet: FleetPart,
    gate: GateTally,
    policy: PolicySummary,
    notices: Vec<String>,
}

/// The digest of a judged inventory whose findings the gate has marked.
pub fn digest(as_of: Day, inventory: &InventoryReport) -> Digest {
    Digest {
        verdict: inventory.verdict,
        fleet: summary::part_of(as_of, inventory),
        gate: GateTally::of(as_of, inventory),
        policy: inventory.policy.clone(),
        notices: inventory.notices.clone(),
    }
}

/// The totals so far.
#[derive(Debug, Default)]
pub struct Tally {
    fleet: FleetTally,
    gate: GateTally,
    inventories: usize,
    not_judged: usize,
    not_judged_names: Vec<String>,
    input_errors: Vec<FileProblem>,
    input_errors_omitted: usize,
    verdict: Option<Verdict>,
    editions: Vec<PolicySummary>,
    notices: Vec<String>,
    notices_omitted: usize,
}

impl Tally {
    /// Adds the next judged inventory, in input order.
    pub fn add(&mut self, digest: Digest) {
        self.inventories += 1;
        self.verdict = self.verdict.max(Some(digest.verdict));
        self.fleet.add(digest.fleet);
        self.gate.merge(digest.gate);
        let room = MAX_INPUT_ERRORS.saturating_sub(self.notices.len());
        self.notices_omitted += digest.notices.len().saturating_sub(room);
        self.notices.extend(digest.notices.into_iter().take(room));
        if !self
            .editions
            .iter()
            .any(|e| e.edition == digest.policy.edition)
        {
            self.editions.push(digest.policy);
        }
    }

    /// Counts an inventory that could not be judged, `name` as reports name
    /// it, and keeps why (the first [`MAX_INPUT_ERRORS`] problems of the run).
    pub fn not_judged(&mut self, name: &str, problems: Vec<FileProblem>) {
        self.not_judged += 1;
        if self.not_judged_names.len() < NOT_JUDGED_NAMED {
            self.not_judged_names.push(name.to_string());
        }
        let room = MAX_INPUT_ERRORS.saturating_sub(self.input_errors.len());
        self.input_errors_omitted += problems.len().saturating_sub(room);
        self.input_errors.extend(problems.into_iter().take(room));
    }

    /// Inventories judged so far.
    pub fn inventories(&self) -> usize {
        self.inventories
    }

    /// The totals of the whole run, with what became of the waivers and the
    /// comparison with the baseline.
    pub fn finish(
        self,
        run: &Run,
        waivers: Vec<WaiverNote>,
        baseline: Option<BaselineSummary>,
    ) -> Totals {
        Totals {
            inventories: self.inventories,
            not_judged: self.not_judged,
            not_judged_names: self.not_judged_names,
            input_errors: self.input_errors,
            input_errors_omitted: self.input_errors_omitted,
            verdict: self.verdict.unwrap_or(Verdict::Supported),
            fleet: self.fleet.finish(),
            gate: self.gate.finish(run.gate, &run.rules),
            waivers,
            baseline,
            editions: self.editions,
            notices: self.notices,
            notices_omitted: self.notices_omitted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_problems_of_inputs_not_judged_are_kept_up_to_a_cap() {
        let problem = |n: usize| FileProblem {
            file: "fleet.ndjson".into(),
            line: Some(n),
            column: Some(1),
            message: "bad".into(),
        };
        let mut tally = Tally::default();
        for n in 0..MAX_INPUT_ERRORS + 5 {
            tally.not_judged(&format!("fleet.ndjson:{n}"), vec![problem(n), problem(n)]);
        }
        assert_eq!(tally.not_judged, MAX_INPUT_ERRORS + 5);
        assert_eq!(tally.input_errors.len(), MAX_INPUT_ERRORS);
        assert_eq!(tally.input_errors_omitted, MAX_INPUT_ERRORS + 10);
        assert_eq!(
            tally.not_judged_names,
            ["fleet.ndjson:0", "fleet.ndjson:1", "fleet.ndjson:2"]
        );
    }
}
