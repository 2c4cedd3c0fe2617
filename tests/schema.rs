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

// ---------------------------------------------------------------------------
// Issue 25, item 10: the JSON report's and the plan's schemas.

/// Standard output and exit status of `akspol ARGS...`.
fn output(args: &[&str]) -> (Vec<u8>, Option<i32>) {
    let run = common::run(common::akspol().args(args));
    (run.stdout.into_bytes(), Some(run.code))
}

fn check_errors(schema: &str, instance: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(schema).unwrap();
    errors(&jsonschema::validator_for(&schema).unwrap(), instance)
}

#[test]
fn akspol_schema_prints_the_inventory_report_and_plan_schemas() {
    for (kind, text) in [
        ("inventory", akspol::INVENTORY_SCHEMA),
        ("report", akspol::report::json::REPORT_SCHEMA),
        ("plan", akspol::plan::PLAN_SCHEMA),
    ] {
        let (stdout, code) = output(&["schema", kind]);
        assert_eq!(code, Some(0), "{kind}");
        let printed: Value = serde_json::from_slice(&stdout).unwrap();
        assert_eq!(printed, serde_json::from_str::<Value>(text).unwrap());
        assert!(jsonschema::meta::is_valid(&printed), "{kind}");
    }
    // Without a kind, the inventory's, as before.
    assert_eq!(output(&["schema"]).0, output(&["schema", "inventory"]).0);
    let (_, code) = output(&["schema", "catalog"]);
    assert_eq!(code, Some(2));
}

/// Reports of both examples, of a fleet with waivers and an unreadable
/// file, of a baseline run and of deadlines within `--fail-within`; the plans
/// of both examples: each validates against its schema.
#[test]
fn every_kind_of_report_and_plan_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let contoso = "fixtures/examples/contoso.json";
    let arc = "fixtures/examples/azure-local.json";
    let baseline = tmp("baseline.json");
    std::fs::write(
        &baseline,
        output(&[
            "check",
            contoso,
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ])
        .0,
    )
    .unwrap();
    let broken = tmp("broken.json");
    std::fs::write(&broken, "{\"schemaVersion\": 1,").unwrap();
    let reports: Vec<(&str, Vec<&str>)> = vec![
        ("contoso", vec![contoso, "--as-of", "2026-11-23"]),
        ("azure local", vec![arc, "--as-of", "2026-03-01"]),
        (
            "fleet, waivers, an unreadable file",
            vec![
                contoso,
                arc,
                "fixtures/examples/contoso.json",
                &broken,
                "--waivers",
                "fixtures/waivers/contoso.json",
                "--as-of",
                "2026-11-23",
            ],
        ),
        (
            "baseline",
            vec![
                contoso,
                "--as-of",
                "2026-12-23",
                "--baseline",
                &baseline,
                "--fail-on-new",
            ],
        ),
        (
            "fail within",
            vec![contoso, "--as-of", "2026-11-23", "--fail-within", "30"],
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, args) in &reports {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args);
        let (stdout, code) = output(&all);
        assert!(matches!(code, Some(0..=2)), "{name}");
        let report: Value = serde_json::from_slice(&stdout).unwrap();
        seen.extend(report.as_object().unwrap().keys().cloned());
        let problems = check_errors(akspol::report::json::REPORT_SCHEMA, &report);
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
    // Every optional member was in some report.
    for member in ["waivers", "fleet", "inputErrors", "baseline"] {
        assert!(seen.contains(member), "no report had {member}");
    }
    for (inventory, as_of) in [(contoso, "2026-11-23"), (arc, "2026-03-01")] {
        let (stdout, _) = output(&["plan", inventory, "--as-of", as_of, "--format", "json"]);
        let plan: Value = serde_json::from_slice(&stdout).unwrap();
        let problems = check_errors(akspol::plan::PLAN_SCHEMA, &plan);
        assert!(problems.is_empty(), "{inventory}:\n{}", problems.join("\n"));
    }
}

/// The schemas say what the documents hold and nothing else: a member they
/// do not know, a cause without its kind's fields, a plan's unknown step
/// are rejected.
#[test]
fn the_report_and_plan_schemas_reject_what_akspol_does_not_write() {
    let (stdout, _) = output(&[
        "check",
        "fixtures/examples/contoso.json",
        "--as-of",
        "2026-11-23",
        "--fail-within",
        "30",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&stdout).unwrap();
    assert!(check_errors(akspol::report::json::REPORT_SCHEMA, &report).is_empty());
    let mut extra = report.clone();
    extra["inventories"][0]["findings"][0]["severity"] = Value::from("high");
    assert!(!check_errors(akspol::report::json::REPORT_SCHEMA, &extra).is_empty());
    let mut no_days = report.clone();
    let causes = no_days["gate"]["causes"].as_array_mut().unwrap();
    let deadline = causes.iter_mut().find(|c| c["kind"] == "deadline").unwrap();
    deadline.as_object_mut().unwrap().remove("days");
    assert!(!check_errors(akspol::report::json::REPORT_SCHEMA, &no_days).is_empty());
    let mut version = report;
    version["reportVersion"] = Value::from(2);
    assert!(!check_errors(akspol::report::json::REPORT_SCHEMA, &version).is_empty());

    let (stdout, _) = output(&[
        "plan",
        "fixtures/examples/contoso.json",
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
    ]);
    let mut plan: Value = serde_json::from_slice(&stdout).unwrap();
    plan["steps"][0]["kind"] = Value::from("reinstall");
    assert!(!check_errors(akspol::plan::PLAN_SCHEMA, &plan).is_empty());
}

/// `gate.causes`: each `exit 1:` sentence of `gate.reasons` as data, in the
/// same order: rule, kind, status or deadline and days, scope, deployment.
#[test]
fn gate_causes_give_each_reason_as_data() {
    let (stdout, code) = output(&[
        "check",
        "fixtures/examples/contoso.json",
        "--as-of",
        "2026-11-23",
        "--fail-within",
        "30",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(1));
    let report: Value = serde_json::from_slice(&stdout).unwrap();
    let gate = &report["gate"];
    let reasons = gate["reasons"].as_array().unwrap();
    let causes = gate["causes"].as_array().unwrap();
    assert_eq!(gate["exitStatus"], 1);
    assert_eq!(reasons.len(), causes.len());
    for (reason, cause) in reasons.iter().zip(causes) {
        assert_eq!(&cause["reason"], reason);
    }
    assert_eq!(
        causes[0],
        serde_json::json!({
            "kind": "status", "rule": "V003", "name": "support-window", "status": "fail",
            "scope": "deployment", "deployment": "contoso-edge-042",
            "source": "fixtures/examples/contoso.json", "findings": 1, "inventories": 1,
            "reason": "V003 support-window fails on deployment (--fail-on fail)"
        })
    );
    let s001 = causes
        .iter()
        .find(|c| c["kind"] == "deadline" && c["rule"] == "S001")
        .unwrap();
    assert_eq!(s001["deadline"], "2026-11-30");
    assert_eq!(s001["days"], 7);
    assert_eq!(s001["scope"], "cluster/lab-west");
    assert!(s001.get("status").is_none() && s001.get("new").is_none());
    let v008 = causes
        .iter()
        .find(|c| c["kind"] == "deadline" && c["rule"] == "V008")
        .unwrap();
    assert_eq!(v008["deadlineEstimated"], true);
    assert_eq!(v008["days"], 9);

    // An input that could not be judged is the first cause, exit 2.
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.json");
    std::fs::write(&typo, "{").unwrap();
    let (stdout, code) = output(&[
        "check",
        "fixtures/examples/contoso.json",
        typo.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(2));
    let report: Value = serde_json::from_slice(&stdout).unwrap();
    let gate = &report["gate"];
    assert_eq!(gate["exitStatus"], 2);
    assert_eq!(gate["causes"][0]["kind"], "not-judged");
    assert_eq!(gate["causes"][0]["inputs"], 1);
    assert_eq!(gate["causes"][0]["reason"], gate["reasons"][0]);
    assert!(gate["causes"][0].get("rule").is_none());
    assert_eq!(gate["causes"][1]["rule"], "V003");
}
