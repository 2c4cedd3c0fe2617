//! The embedded table of upstream Kubernetes feature gates and their stage per
//! minor version (`data/feature-gates.json`, built by
//! `scripts/build-feature-gates.py` from `data/sources/feature-gates.json`),
//! which F001 consults for an enabled gate the inventory gives without a stage.

use serde::Deserialize;

use crate::base::embedded::{self, documents};
use crate::inventory::GateStage;

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateTable {
    pub source: String,
    pub gates: Vec<Gate>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct Gate {
    pub name: String,
    pub stages: Vec<StageRange>,
    pub removed: bool,
    /// Where this gate's history was read.
    pub source: String,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct StageRange {
    pub stage: GateStage,
    pub from: String,
    /// `None`: still in this stage in the newest version tracked.
    pub to: Option<String>,
}

/// What the table says about a gate at one Kubernetes minor version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    Stage {
        stage: GateStage,
        source: &'a str,
    },
    /// The gate is in the table but not at that version (before it was added,
    /// or after it was removed).
    NotAtVersion {
        source: &'a str,
    },
    NotInTable,
}

/// `major.minor` as a comparable pair.
fn minor(text: &str) -> Option<(u64, u64)> {
    let (major, minor) = text.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

impl GateTable {
    /// The whole embedded table (decoded at build time); the rules look
    /// gates up one at a time with [`Gate::embedded`] instead.
    pub fn embedded() -> Option<GateTable> {
        embedded::read(&documents::FEATURE_GATES).ok()
    }

    /// The stage of gate `name` in Kubernetes `major.minor`.
    pub fn lookup(&self, name: &str, version: (u64, u64)) -> Lookup<'_> {
        match self.gates.iter().find(|g| g.name == name) {
            Some(gate) => gate.at(version),
            None => Lookup::NotInTable,
        }
    }
}

/// Where the embedded table was read (its `source`).
pub fn table_source() -> &'static str {
    documents::FEATURE_GATES_SOURCE
}

impl Gate {
    /// Gate `name` of the embedded table, decoded alone (`build.rs` indexes
    /// the gates by name): a lookup does not decode the other 443. `None`
    /// when the table does not have it.
    pub fn embedded(name: &str) -> Option<Gate> {
        let index = &documents::FEATURE_GATES_INDEX;
        let at = index.binary_search_by(|(n, _, _)| (*n).cmp(name)).ok()?;
        let (_, start, end) = index.get(at)?;
        embedded::read(documents::FEATURE_GATES.get(*start..*end)?).ok()
    }

    /// The gate's stage in Kubernetes `major.minor`.
    pub fn at(&self, version: (u64, u64)) -> Lookup<'_> {
        let gate = self;
        let within = |range: &StageRange| {
            let from = minor(&range.from);
            let to = range.to.as_deref().map(minor);
            from.is_some_and(|from| from <= version)
                && match to {
                    None => true,
                    Some(Some(to)) => version <= to,
                    Some(None) => false,
                }
        };
        match gate.stages.iter().rev().find(|r| within(r)) {
            Some(range) => Lookup::Stage {
                stage: range.stage,
                source: &gate.source,
            },
            None => Lookup::NotAtVersion {
                source: &gate.source,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_decoded_table_is_the_json() {
        let text = include_str!("../../data/feature-gates.json");
        let parsed: GateTable = serde_json::from_str(text).unwrap();
        assert_eq!(GateTable::embedded().as_ref(), Some(&parsed));
    }

    #[test]
    fn each_gate_decoded_alone_is_the_gate_of_the_table() {
        let table = GateTable::embedded().unwrap();
        assert_eq!(documents::FEATURE_GATES_INDEX.len(), table.gates.len());
        for gate in &table.gates {
            assert_eq!(Gate::embedded(&gate.name).as_ref(), Some(gate));
        }
        assert_eq!(Gate::embedded("NoSuchGate"), None);
        assert_eq!(Gate::embedded(""), None);
        assert_eq!(table_source(), table.source);
    }

    #[test]
    fn the_embedded_table_parses_and_answers() {
        let table = &GateTable::embedded().unwrap();
        assert!(table.gates.len() > 400);
        let stage = |name: &str, v| match table.lookup(name, v) {
            Lookup::Stage { stage, .. } => Some(stage),
            _ => None,
        };
        // InPlacePodVerticalScaling: alpha 1.27-1.32, beta 1.33-1.34, GA from 1.35.
        assert_eq!(
            stage("InPlacePodVerticalScaling", (1, 27)),
            Some(GateStage::Alpha)
        );
        assert_eq!(
            stage("InPlacePodVerticalScaling", (1, 32)),
            Some(GateStage::Alpha)
        );
        assert_eq!(
            stage("InPlacePodVerticalScaling", (1, 33)),
            Some(GateStage::Beta)
        );
        assert_eq!(
            stage("InPlacePodVerticalScaling", (1, 40)),
            Some(GateStage::Ga)
        );
        assert!(matches!(
            table.lookup("InPlacePodVerticalScaling", (1, 26)),
            Lookup::NotAtVersion { .. }
        ));
        assert_eq!(table.lookup("NoSuchGate", (1, 28)), Lookup::NotInTable);
    }
}
