//! The totals of a run (`findings::Totals`) as they grow: each inventory's
//! [`Digest`] is made where it was judged (a worker), and added to the
//! [`Tally`] in input order, so no inventory outlives its turn.

use crate::base::dates::Day;
use crate::findings::{
    BaselineSummary, InventoryReport, PolicySummary, Run, Totals, Verdict, WaiverNote,
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
}

/// The digest of a judged inventory whose findings the gate has marked.
pub fn digest(as_of: Day, inventory: &InventoryReport) -> Digest {
    Digest {
        verdict: inventory.verdict,
        fleet: summary::part_of(as_of, inventory),
        gate: GateTally::of(as_of, inventory),
        policy: inventory.policy.clone(),
    }
}

/// The totals so far.
#[derive(Debug, Default)]
pub struct Tally {
    fleet: FleetTally,
    gate: GateTally,
    inventories: usize,
    not_judged: usize,
    verdict: Option<Verdict>,
    editions: Vec<PolicySummary>,
}

impl Tally {
    /// Adds the next judged inventory, in input order.
    pub fn add(&mut self, digest: Digest) {
        self.inventories += 1;
        self.verdict = self.verdict.max(Some(digest.verdict));
        self.fleet.add(digest.fleet);
        self.gate.merge(digest.gate);
        if !self
            .editions
            .iter()
            .any(|e| e.edition == digest.policy.edition)
        {
            self.editions.push(digest.policy);
        }
    }

    /// Counts an inventory that could not be judged.
    pub fn not_judged(&mut self) {
        self.not_judged += 1;
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
            verdict: self.verdict.unwrap_or(Verdict::Supported),
            fleet: self.fleet.finish(),
            gate: self.gate.finish(run.gate, &run.rules),
            waivers,
            baseline,
            editions: self.editions,
        }
    }
}
