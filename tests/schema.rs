//! `data/inventory.schema.json` (what `akspol schema` prints) against what
//! akspol actually reads: every fixture validates, every valid corpus case
//! validates, and every invalid corpus case the schema can express is rejected.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use assert_cmd::Command;
use serde_json::Value;

fn schema() -> Value {
    serde_json::from_str(akspol::INVENTORY_SCHEMA).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

/// Corpus cases akspol rejects for reasons a JSON Schema cannot state: calendar
/// validity, numeric range, duplicate keys and names, and the byte level.
const BEYOND_THE_SCHEMA: &[&str] = &[
    // A build's OS line against platform.version: a schema cannot relate the two.
    "arc-build-line-mismatch",
    "date-february-30",
    "date-month-13",
    "date-bad-time",
    "version-overflow",
    "kube-version-overflow",
    "duplicate-cluster",
    "duplicate-node",
    "duplicate-node-in-node-list",
    "duplicate-key-version",
    "duplicate-key-schema-version",
    "duplicate-key-clusters",
    "duplicate-key-label",
    "duplicate-key-in-node-list",
    "duplicate-key-node-list-labels",
    "node-list-item-without-name",
    "over-max-input-bytes",
];

#[test]
fn akspol_schema_prints_a_valid_draft_2020_12_schema() {
    let output = Command::cargo_bin("akspol")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed, schema());
    assert!(jsonschema::meta::is_valid(&printed));
    assert_eq!(
        printed["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn every_fixture_inventory_validates() {
    let validator = validator();
    let mut failures = Vec::new();
    for fixture in common::fixture_inventories() {
        let instance: Value =
            serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
        let errors = errors(&validator, &instance);
        if !errors.is_empty() {
            failures.push(format!(
                "{}:\n  {}",
                common::relative(&fixture),
                errors.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_agrees_with_akspol_on_the_corpus() {
    let validator = validator();
    let dir = common::repo().join("tests/bad/inventory");
    let mut failures = Vec::new();
    let mut judged = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.extension().is_some_and(|e| e == "json" || e == "bin") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let expect = std::fs::read_to_string(path.with_extension("expect")).unwrap();
        let valid = !expect.starts_with('2');
        // Only JSON text can be judged by a schema: encodings are akspol's business.
        let Ok(text) = akspol::input::decode(&name, std::fs::read(&path).unwrap()) else {
            continue;
        };
        let Ok(instance) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        judged += 1;
        let errors = errors(&validator, &instance);
        if valid && !errors.is_empty() {
            failures.push(format!(
                "{name}: valid, but the schema says\n  {}",
                errors.join("\n  ")
            ));
        }
        if !valid && errors.is_empty() && !BEYOND_THE_SCHEMA.contains(&name.as_str()) {
            failures.push(format!("{name}: akspol rejects it, the schema accepts it"));
        }
    }
    assert!(judged > 40, "{judged} cases judged");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
