//! `akspol plan` on the built binary: the upgrade path on the embedded catalog
//! and on `fixtures/catalogs/plan.json`, blockers, and a calendar that equals
//! the deadlines `check` reports. Every run pins `--as-of`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, akspol};

use std::collections::BTreeSet;

use serde_json::Value;

use common::*;

const PLAN_CATALOG: &str = "fixtures/catalogs/plan.json";

/// `akspol plan FIXTURE --as-of AS_OF [--catalog CATALOG] --format json`.
fn plan(fixture: &str, as_of: &str, catalog: Option<&str>) -> Value {
    let mut cmd = akspol();
    cmd.args(["plan", fixture, "--as-of", as_of, "--format", "json"]);
    if let Some(catalog) = catalog {
        cmd.args(["--catalog", catalog]);
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

/// A plan of an inventory given on standard input.
fn plan_stdin(inventory: &str, as_of: &str, catalog: &str) -> Value {
    let out = akspol()
        .args([
            "plan",
            "-",
            "--as-of",
            as_of,
            "--catalog",
            catalog,
            "--format",
            "json",
        ])
        .write_stdin(inventory)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// Steps as `kind cluster from -> to`.
fn steps(plan: &Value) -> Vec<String> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {} {} -> {}",
                s["kind"].as_str().unwrap(),
                s["cluster"].as_str().unwrap_or("-"),
                s["from"].as_str().unwrap(),
                s["to"].as_str().unwrap()
            )
        })
        .collect()
}

fn kinds(notes: &Value) -> Vec<String> {
    notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n["kind"].as_str().unwrap(),
                n["cluster"]
                    .as_str()
                    .or(n["release"].as_str())
                    .unwrap_or("-")
            )
        })
        .collect()
}

fn calendar(plan: &Value) -> Vec<String> {
    plan["calendar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["date"].as_str().unwrap(),
                e["rule"].as_str().unwrap_or("-"),
                e["scope"].as_str().unwrap(),
                e["becomes"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn already_current_is_an_empty_plan() {
    for (fixture, as_of, catalog) in [
        (
            "fixtures/plan/current.json",
            "2026-03-20",
            Some(PLAN_CATALOG),
        ),
        ("fixtures/plan/embedded-current.json", "2021-07-01", None),
    ] {
        let p = plan(fixture, as_of, catalog);
        assert_eq!(p["planVersion"], 1);
        assert_eq!(p["installed"], p["target"], "{fixture}");
        assert!(steps(&p).is_empty(), "{fixture}: {:?}", steps(&p));
        assert!(kinds(&p["blockers"]).is_empty(), "{fixture}");
        assert!(kinds(&p["uncertainties"]).is_empty(), "{fixture}");
    }
    // A host with no published end and no release behind: nothing in the calendar either.
    let p = plan(
        "fixtures/plan/current.json",
        "2026-03-20",
        Some(PLAN_CATALOG),
    );
    assert!(calendar(&p).is_empty());
}

#[test]
fn two_behind_is_one_hop() {
    let p = plan(
        "fixtures/plan/two-behind.json",
        "2026-03-20",
        Some(PLAN_CATALOG),
    );
    assert_eq!(steps(&p), ["release-upgrade - 1.1.3.1000 -> 1.1.5.1000"]);
    assert_eq!(
        calendar(&p),
        [
            "2026-04-02 V002 deployment warn",
            "2026-04-02 V008 deployment warn",
            "2026-05-02 V003 deployment fail",
            "2026-07-01 V004 deployment fail",
            "2026-07-01 V008 deployment fail",
        ]
    );
    let p = plan("fixtures/plan/embedded-two-behind.json", "2021-10-10", None);
    assert_eq!(steps(&p), ["release-upgrade - 1.0.2.10723 -> 1.0.4.10928"]);
    assert_eq!(p["target"], "1.0.4.10928");
}

#[test]
fn five_behind_takes_the_fewest_hops_with_kubernetes_upgrades_between() {
    let p = plan(
        "fixtures/plan/five-behind.json",
        "2026-03-20",
        Some(PLAN_CATALOG),
    );
    // 1.1.2 (the farthest first hop) supports no version 1.1.0 can reach, so
    // the first hop is shorter; three hops are the fewest for five releases.
    // The management cluster follows the host: no Kubernetes step.
    assert_eq!(
        steps(&p),
        [
            "kubernetes-upgrade web 1.27.1 -> 1.27.3",
            "release-upgrade - 1.1.0.1000 -> 1.1.1.1000",
            "kubernetes-upgrade web 1.27.3 -> 1.28.2",
            "release-upgrade - 1.1.1.1000 -> 1.1.3.1000",
            "kubernetes-upgrade web 1.28.2 -> 1.29.1",
            "release-upgrade - 1.1.3.1000 -> 1.1.5.1000",
        ]
    );
    assert!(p["steps"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("not straight to 1.1.2.1000"));
    assert!(kinds(&p["blockers"]).is_empty());
    assert_eq!(
        calendar(&p),
        [
            "2026-03-21 V003 deployment fail",
            "2026-05-20 V004 deployment fail"
        ]
    );
}

#[test]
fn five_behind_on_the_embedded_catalog_names_its_gaps() {
    let p = plan(
        "fixtures/plan/embedded-five-behind.json",
        "2021-11-15",
        None,
    );
    // October 2021 (1.0.3) drops Kubernetes 1.18: 1.19.9 first, which both
    // June 2021 and October 2021 support.
    assert_eq!(
        steps(&p),
        [
            "kubernetes-upgrade prod 1.18.17 -> 1.19.9",
            "release-upgrade - 1.0.1.10628 -> 1.0.3.10901",
            "release-upgrade - 1.0.3.10901 -> 1.0.5.11028",
            "release-upgrade - 1.0.5.11028 -> 1.0.6",
        ]
    );
    assert_eq!(
        kinds(&p["uncertainties"]),
        ["catalog-gap 1.0.5.11028", "catalog-gap 1.0.6"]
    );
    assert!(kinds(&p["blockers"]).is_empty());
    // Estimated release dates make estimated deadlines.
    assert_eq!(p["calendar"][0]["date"], "2021-12-02");
    assert_eq!(p["calendar"][0]["estimated"], true);
}

#[test]
fn a_release_that_drops_a_kubernetes_minor_gets_upgrades_first() {
    let p = plan(
        "fixtures/plan/drops-kubernetes.json",
        "2026-03-20",
        Some(PLAN_CATALOG),
    );
    assert_eq!(
        steps(&p),
        [
            "kubernetes-upgrade legacy 1.28.2 -> 1.29.1",
            "kubernetes-upgrade older 1.27.3 -> 1.28.2",
            "kubernetes-upgrade older 1.28.2 -> 1.29.1",
            "release-upgrade - 1.1.3.1000 -> 1.1.5.1000",
        ]
    );
}

#[test]
fn no_chain_of_minor_versions_is_a_blocker() {
    // 1.25 -> 1.27 would skip 1.26, which no release in reach lists.
    let inventory = r#"{"schemaVersion": 1,
        "deployment": {"name": "stuck", "version": "1.1.0.1000"},
        "clusters": [{"name": "ancient", "kubernetesVersion": "1.25.0"}]}"#;
    let p = plan_stdin(inventory, "2026-01-20", PLAN_CATALOG);
    assert!(steps(&p).is_empty(), "{:?}", steps(&p));
    assert_eq!(kinds(&p["blockers"]), ["kubernetes-unreachable ancient"]);
}

#[test]
fn stopped_clusters_are_started_first_or_blocked() {
    let p = plan(
        "fixtures/plan/stopped.json",
        "2026-03-20",
        Some(PLAN_CATALOG),
    );
    assert_eq!(
        steps(&p),
        [
            "start-cluster dev Stopped -> Running",
            "kubernetes-upgrade dev 1.28.2 -> 1.29.1",
            "release-upgrade - 1.1.3.1000 -> 1.1.5.1000",
        ]
    );
    assert_eq!(kinds(&p["blockers"]), ["stopped-cluster archive"]);
    // dev's 30/60/90-day stages; archive's are past.
    let stages: Vec<String> = calendar(&p)
        .into_iter()
        .filter(|e| e.contains("cluster/"))
        .collect();
    assert_eq!(
        stages,
        [
            "2026-03-31 S001 cluster/dev fail",
            // Already failing from day 31: later stages make it worse.
            "2026-04-30 S001 cluster/dev worse",
            "2026-05-30 S001 cluster/dev worse",
        ]
    );
}

#[test]
fn beyond_the_availability_limit_the_plan_is_a_redeploy() {
    let p = plan(
        "fixtures/plan/far-behind.json",
        "2026-06-01",
        Some(PLAN_CATALOG),
    );
    assert_eq!(steps(&p), ["redeploy - 1.1.0.1000 -> 1.1.5.1000"]);
    assert_eq!(kinds(&p["blockers"]), ["release-unavailable 1.1.1.1000"]);
    // 120 days behind is still a path; 121 is a redeploy.
    let p = plan(
        "fixtures/plan/far-behind.json",
        "2026-05-19",
        Some(PLAN_CATALOG),
    );
    assert_eq!(steps(&p).len(), 6, "{:?}", steps(&p));
    let p = plan(
        "fixtures/plan/far-behind.json",
        "2026-05-20",
        Some(PLAN_CATALOG),
    );
    assert_eq!(steps(&p), ["redeploy - 1.1.0.1000 -> 1.1.5.1000"]);
    // The same on the embedded catalog (fixtures/versions/far-behind.json, test catalog).
    let p = plan(
        "fixtures/versions/far-behind.json",
        "2026-11-23",
        Some("fixtures/catalogs/test.json"),
    );
    assert_eq!(steps(&p), ["redeploy - 1.0.1.10101 -> 1.0.6"]);
}

/// The calendar's deadline entries are exactly the deadlines `check` reports,
/// for every fixture, and the calendar is in date order, all in the future.
#[test]
fn the_calendar_matches_the_deadlines_check_reports() {
    for fixture in fixture_inventories() {
        let e = expect_for(&fixture);
        let name = relative(&fixture);
        let mut check = akspol();
        check.args(["check", &name, "--as-of", &e.as_of, "--format", "json"]);
        if let Some(c) = &e.catalog {
            check.args(["--catalog", c]);
        }
        let out = check.output().unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let deadlines: BTreeSet<String> = report["inventories"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["deadline"].is_null())
            .map(|f| {
                format!(
                    "{} {} {}",
                    f["deadline"].as_str().unwrap(),
                    f["rule"].as_str().unwrap(),
                    f["scope"].as_str().unwrap()
                )
            })
            .collect();
        let p = plan(&name, &e.as_of, e.catalog.as_deref());
        let entries = p["calendar"].as_array().unwrap();
        let from_findings: BTreeSet<String> = entries
            .iter()
            .filter(|c| c["basis"] == "deadline")
            .map(|c| {
                format!(
                    "{} {} {}",
                    c["date"].as_str().unwrap(),
                    c["rule"].as_str().unwrap(),
                    c["scope"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(from_findings, deadlines, "{name}");
        let dates: Vec<&str> = entries
            .iter()
            .map(|c| c["date"].as_str().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{name}: {dates:?}");
        assert!(
            entries.iter().all(|c| c["daysLeft"].as_i64().unwrap() > 0),
            "{name}"
        );
    }
}

#[test]
fn check_points_at_plan_when_v005_or_v006_fails() {
    for (fixture, rule) in [
        ("fixtures/plan/five-behind.json", "V005"),
        ("fixtures/plan/drops-kubernetes.json", "V006"),
    ] {
        let out = akspol()
            .args([
                "check",
                fixture,
                "--as-of",
                "2026-03-20",
                "--catalog",
                PLAN_CATALOG,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let finding = report["inventories"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule && f["status"] == "fail")
            .unwrap_or_else(|| panic!("{fixture}: no failing {rule}"));
        assert!(
            finding["message"].as_str().unwrap().contains("akspol plan"),
            "{fixture}: {finding}"
        );
    }
}

#[test]
fn bad_input_exits_2() {
    akspol()
        .args([
            "plan",
            "fixtures/plan/no-such-file.json",
            "--as-of",
            "2026-03-20",
        ])
        .assert()
        .code(2);
    akspol()
        .args(["plan", "-", "--as-of", "2026-03-20"])
        .write_stdin("{\"schemaVersion\": 1, \"deployment\": {}}")
        .assert()
        .code(2);
    akspol()
        .args([
            "plan",
            "fixtures/plan/current.json",
            "--as-of",
            "2026-02-30",
        ])
        .assert()
        .code(2);
}

#[test]
fn inventory_names_are_sanitized_in_text_formats() {
    let inventory = "{\"schemaVersion\": 1,
        \"deployment\": {\"name\": \"evil\\u001b[2J\", \"version\": \"1.1.3.1000\"},
        \"clusters\": [{\"name\": \"c|<b>\\u001b[31m\", \"kubernetesVersion\": \"1.28.2\"},
            {\"name\": \"[x](javascript:alert(1)) ![t](https://t.example/p.png) @octocat www.evil.example\", \"kubernetesVersion\": \"1.27.1\"}]}";
    for format in ["table", "markdown"] {
        let out = akspol()
            .args([
                "plan",
                "-",
                "--as-of",
                "2026-03-20",
                "--catalog",
                PLAN_CATALOG,
                "--format",
                format,
            ])
            .write_stdin(inventory)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'), "{format}: {text}");
        if format == "markdown" {
            assert!(text.contains("c\\|\\<b\\>"), "{text}");
            // Issue 12, item 15: links, images, bare URLs and mentions stay inert.
            assert!(text.contains("\\[x\\](javascript:alert(1))"), "{text}");
            assert!(text.contains("`![t](https://t.example/p.png)`"), "{text}");
            assert!(text.contains("`@octocat`"), "{text}");
            assert!(text.contains("`www.evil.example`"), "{text}");
        }
    }
}

#[test]
fn an_azure_local_plan_moves_23h2_to_24h2_then_the_clusters() {
    let plan = plan("fixtures/plan/arc-23h2.json", "2026-03-27", None);
    assert_eq!(plan["product"], "aks-arc");
    assert_eq!(plan["edition"], "al25");
    assert_eq!(plan["target"], "2603");
    assert_eq!(
        steps(&plan),
        [
            "release-upgrade - 11.2508.1001.51 -> 11.2510",
            "os-upgrade - 11.2510 -> 12.2510",
            "release-upgrade - 12.2510 -> 2603",
            "kubernetes-upgrade apps 1.29.12 -> 1.31.13",
            "kubernetes-upgrade web 1.31.5 -> 1.31.13",
        ]
    );
    assert!(plan["blockers"].as_array().unwrap().is_empty());
    // The calendar has the new rules' deadlines and the 23H2 end: some day
    // of April 2026, so from 2026-04-02 at the earliest.
    let entries = calendar(&plan);
    assert!(
        entries
            .iter()
            .any(|e| e.starts_with("2026-04-02 V008 deployment fail")),
        "{entries:?}"
    );
    // From 2026-03-28 the latest release may be 2604, whose Kubernetes list
    // no source gives: the plan says so rather than guess the clusters' steps.
    let later = self::plan("fixtures/plan/arc-23h2.json", "2026-03-28", None);
    assert_eq!(later["target"], "2604");
    let uncertainties = later["uncertainties"].to_string();
    assert!(
        uncertainties.contains("does not list the Kubernetes versions of release 2604"),
        "{uncertainties}"
    );
}

#[test]
fn an_azure_local_deployment_on_a_deleted_subscription_is_redeployed() {
    let plan = plan("fixtures/plan/arc-deleted.json", "2026-03-01", None);
    assert_eq!(steps(&plan), ["redeploy - 2601 -> 2602"]);
    assert_eq!(kinds(&plan["blockers"]), ["subscription-deleted -"]);
    assert!(plan["steps"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Azure Local and AKS Arc must be redeployed"));
}

#[test]
fn text_formats() {
    for (fixture, as_of, catalog) in [
        ("five-behind", "2026-03-20", Some(PLAN_CATALOG)),
        ("stopped", "2026-03-20", Some(PLAN_CATALOG)),
        ("embedded-five-behind", "2021-11-15", None),
        ("arc-23h2", "2026-03-27", None),
    ] {
        for format in ["table", "markdown"] {
            let mut cmd = akspol();
            cmd.args([
                "plan",
                &format!("fixtures/plan/{fixture}.json"),
                "--as-of",
                as_of,
                "--format",
                format,
            ]);
            if let Some(c) = catalog {
                cmd.args(["--catalog", c]);
            }
            let out = cmd.assert().success().get_output().stdout.clone();
            let text = String::from_utf8(out).unwrap();
            insta::with_settings!({ snapshot_path => "snapshots/plan", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("{fixture}.{format}"), text);
            });
        }
    }
}

/// A plan without the name it was read under.
fn without_source(mut plan: Value) -> Value {
    plan["source"] = Value::Null;
    plan
}

/// Issue 25, item 4: `next: akspol plan DIR` failed ("Is a directory") and
/// `plan bundle.zip` said "invalid UTF-8". `plan` reads what `check` reads:
/// a directory of inventories, NDJSON, a folder or zip of saved outputs,
/// several inventories; one plan each, the same as each alone.
#[test]
fn plan_reads_what_check_reads() {
    let dir = tempfile::tempdir().unwrap();
    let fleet = dir.path().join("fleet");
    std::fs::create_dir(&fleet).unwrap();
    let mut ndjson = String::new();
    let fixtures = ["current.json", "stopped.json"];
    for name in fixtures {
        let text = std::fs::read_to_string(repo().join("fixtures/plan").join(name)).unwrap();
        std::fs::write(fleet.join(name), &text).unwrap();
        let one: Value = serde_json::from_str(&text).unwrap();
        ndjson.push_str(&format!("{one}\n"));
    }
    let stream = dir.path().join("fleet.ndjson");
    std::fs::write(&stream, ndjson).unwrap();
    let alone: Vec<Value> = fixtures
        .iter()
        .map(|name| {
            without_source(plan(
                &format!("fixtures/plan/{name}"),
                "2026-03-20",
                Some(PLAN_CATALOG),
            ))
        })
        .collect();
    for input in [&fleet, &stream] {
        let out = akspol()
            .args(["plan", "--as-of", "2026-03-20", "--catalog", PLAN_CATALOG])
            .args(["--format", "json"])
            .arg(input)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let plans: Value = serde_json::from_slice(&out).unwrap();
        let plans = plans
            .as_array()
            .expect("several inventories: an array of plans");
        let sources: Vec<&str> = plans
            .iter()
            .map(|p| p["source"].as_str().unwrap())
            .collect();
        let input = input.to_str().unwrap();
        let expected: Vec<String> = if input.ends_with(".ndjson") {
            vec![format!("{input}:1"), format!("{input}:2")]
        } else {
            fixtures.iter().map(|f| format!("{input}/{f}")).collect()
        };
        assert_eq!(sources, expected);
        let plans: Vec<Value> = plans.iter().cloned().map(without_source).collect();
        assert_eq!(plans, alone, "{input}");
    }
    // Saved outputs, as a folder (what `check DIR` says next) and zipped.
    let check = akspol()
        .args([
            "check",
            "--as-of",
            "2026-03-01",
            "fixtures/collect/akshci-host",
        ])
        .output()
        .unwrap();
    let table = String::from_utf8(check.stdout).unwrap();
    let next = table
        .lines()
        .find_map(|l| l.strip_prefix("next: akspol plan "))
        .and_then(|rest| rest.split(" · ").next())
        .unwrap_or_else(|| panic!("{table}"));
    assert_eq!(next, "fixtures/collect/akshci-host");
    let from_folder = plan(next, "2026-03-01", None);
    assert_eq!(from_folder["installed"], "1.0.24.11029");
    let zip = common::zip_of("fixtures/collect/akshci-host", dir.path());
    let from_zip = plan(zip.to_str().unwrap(), "2026-03-01", None);
    assert_eq!(without_source(from_zip), without_source(from_folder));
    // A bad input among good ones: exit 2, the others still planned.
    std::fs::write(
        fleet.join("typo.json"),
        r#"{"schemaVersion": 1, "deploymnt": {}}"#,
    )
    .unwrap();
    let out = akspol()
        .args(["plan", "--as-of", "2026-03-20", "--catalog", PLAN_CATALOG])
        .arg(&fleet)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.matches("Upgrade plan for ").count(), 2, "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("typo.json:1:"), "{stderr}");
}

/// Issue 25, item 2: saved outputs of Azure Local need the release, which
/// `az aksarc` does not report: `plan` takes `--deployment-version` as
/// `check` and `collect --from` do, for saved outputs only.
#[test]
fn plan_gives_saved_outputs_the_facts_they_cannot_carry() {
    let azure_local = "fixtures/collect/azure-local";
    let without = akspol()
        .args(["plan", "--as-of", "2026-03-01", azure_local])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(without.stderr).unwrap();
    assert!(
        stderr.contains("give it with --deployment-version"),
        "{stderr}"
    );
    let mut cmd = akspol();
    cmd.args(["plan", "--as-of", "2026-03-01", "--format", "json"])
        .args(["--deployment-version", "2510", azure_local]);
    let out = cmd.assert().success().get_output().stdout.clone();
    let with: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(with["installed"], "2510");
    assert_eq!(with["product"], "aks-arc");
    // On an inventory, which carries its own release, the option is refused.
    let refused = akspol()
        .args([
            "plan",
            "--as-of",
            "2026-03-01",
            "--deployment-version",
            "2510",
        ])
        .arg("fixtures/examples/azure-local.json")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(
        stderr.contains("--deployment-version gives facts of saved command outputs"),
        "{stderr}"
    );
}
