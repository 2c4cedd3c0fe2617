//! `--baseline REPORT.json` and `--fail-on-new`, on the built binary: each
//! state (new, unchanged, worse, better, resolved) proven on the bundled
//! example against a baseline edited to make it so; the exit statuses of
//! `--fail-on-new` and the reasons it gives; every format showing the
//! comparison; a fleet against last week's report; and a baseline that is
//! not a report of this version refused with its place.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, Run};

use std::path::{Path, PathBuf};

use serde_json::Value;

const CONTOSO: &str = "fixtures/examples/contoso.json";
const AS_OF: &str = "2026-11-23";

fn check(args: &[&str]) -> Run {
    let mut run = common::check(AS_OF, args);
    // The embedded catalog is past its cadence on AS_OF: its warning is not
    // what these tests are about.
    run.stderr = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("warning: the catalog in use"))
        .map(|l| format!("{l}\n"))
        .collect();
    run
}

/// The JSON report of `inventory` as of `as_of`.
fn report(inventory: &str, as_of: &str) -> Value {
    let output = common::akspol()
        .args(["check", "--as-of", as_of, "--format", "json", inventory])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

/// SHA-256 of a file, in hex, as `sha256sum` prints it.
fn sha256_of(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    ring::digest::digest(&ring::digest::SHA256, &bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

/// Contoso's own report, edited so that against today's run: V003 is
/// worse (it was only a warning), S001 on lab-west is worse (its deadline
/// was later), M002 is new (absent), C003 is better (it was failing), and
/// M001 on prod-east is resolved (it was failing, it passes now).
fn edited_baseline(dir: &Path) -> PathBuf {
    let mut baseline = report(CONTOSO, AS_OF);
    let findings = baseline["inventories"][0]["findings"]
        .as_array_mut()
        .unwrap();
    findings.retain(|f| f["rule"] != "M002");
    for f in findings.iter_mut() {
        match (f["rule"].as_str().unwrap(), f["scope"].as_str().unwrap()) {
            ("V003", _) => f["status"] = "warn".into(),
            ("S001", "cluster/lab-west") => f["deadline"] = "2026-12-30".into(),
            ("C003", "node/prod-east/moc-lx9b1") => f["status"] = "fail".into(),
            ("M001", "cluster/prod-east") => {
                f["status"] = "fail".into();
                f["message"] = "label kubernetes.io/os removed".into();
            }
            _ => {}
        }
    }
    write(dir, "baseline.json", &baseline)
}

fn finding<'a>(report: &'a Value, rule: &str, scope: &str) -> &'a Value {
    report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["scope"] == scope)
        .unwrap_or_else(|| panic!("no {rule} on {scope}"))
}

#[test]
fn new_unchanged_worse_better_and_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = edited_baseline(dir.path());
    let run = check(&[
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
        CONTOSO,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let state = |rule, scope| finding(&report, rule, scope)["baseline"].clone();

    assert_eq!(state("M002", "node/prod-east/moc-lx9b1"), "new");
    assert!(finding(&report, "M002", "node/prod-east/moc-lx9b1")
        .get("previous")
        .is_none());

    assert_eq!(state("V003", "deployment"), "worse");
    assert_eq!(
        finding(&report, "V003", "deployment")["previous"],
        serde_json::json!({ "status": "warn", "deadline": null })
    );
    assert_eq!(state("S001", "cluster/lab-west"), "worse");
    assert_eq!(
        finding(&report, "S001", "cluster/lab-west")["previous"]["deadline"],
        "2026-12-30"
    );

    assert_eq!(state("C003", "node/prod-east/moc-lx9b1"), "better");
    assert_eq!(state("V004", "deployment"), "unchanged");
    assert_eq!(state("F001", "cluster/lab-west"), "unchanged");
    // Passing and skipped findings are not compared.
    assert!(finding(&report, "V001", "deployment")
        .get("baseline")
        .is_none());

    let resolved = &report["inventories"][0]["resolved"];
    assert_eq!(
        resolved,
        &serde_json::json!([{
            "rule": "M001",
            "name": "system-metadata",
            "scope": "cluster/prod-east",
            "previous": { "status": "fail", "deadline": null },
            "message": "label kubernetes.io/os removed",
            "now": "pass"
        }])
    );
    let summary = &report["baseline"];
    assert_eq!(summary["source"], baseline.to_str().unwrap());
    assert_eq!(summary["asOf"], AS_OF);
    assert_eq!(summary["new"], 1);
    assert_eq!(summary["worse"], 2);
    assert_eq!(summary["better"], 1);
    assert_eq!(summary["unchanged"], 8);
    assert_eq!(summary["resolved"], 1);
    assert_eq!(summary["notInRun"], serde_json::json!([]));
}

#[test]
fn without_a_baseline_the_json_report_is_as_before() {
    let report = report(CONTOSO, AS_OF);
    assert!(report.get("baseline").is_none());
    assert!(report["inventories"][0].get("resolved").is_none());
    assert!(finding(&report, "V003", "deployment")
        .get("baseline")
        .is_none());
}

#[test]
fn fail_on_new_fails_only_on_new_and_worse_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = edited_baseline(dir.path());
    let baseline = baseline.to_str().unwrap();
    let run = check(&[
        "--baseline",
        baseline,
        "--fail-on-new",
        "--format",
        "json",
        CONTOSO,
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "exit 1: V003 support-window fails on deployment, worse since the baseline (--fail-on fail --fail-on-new)",
            "exit 1: S001 stopped-cluster fails on cluster/lab-west, worse since the baseline (--fail-on fail --fail-on-new)",
            "exit 1: M002 out-of-band-changes fails on node/prod-east/moc-lx9b1, new since the baseline (--fail-on fail --fail-on-new)",
        ]
    );
    // Without --fail-on-new every failure gates, and each says what it is.
    let run = check(&["--baseline", baseline, "--format", "json", CONTOSO]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(
        "exit 1: V004 release-availability fails on deployment, none new or worse since the baseline (--fail-on fail)"
    ));
    // --fail-on warn --fail-on-new: C003 got better, so it does not gate either.
    let run = check(&[
        "--baseline",
        baseline,
        "--fail-on-new",
        "--fail-on",
        "warn",
        "--format",
        "json",
        CONTOSO,
    ]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("C003"), "{}", run.stderr);
}

#[test]
fn fail_on_new_passes_when_nothing_is_new_or_worse() {
    let dir = tempfile::tempdir().unwrap();
    let same = write(dir.path(), "same.json", &report(CONTOSO, AS_OF));
    let sha256 = sha256_of(&same);
    let same = same.to_str().unwrap();
    let run = check(&["--baseline", same, "--fail-on-new", CONTOSO]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.replace("\n  ", " ").contains(&format!(
            "baseline {same} (as of {AS_OF}, sha256 {sha256}): 0 new, 0 worse, 0 better, 12 unchanged, 0 resolved"
        )),
        "{}",
        run.stdout
    );
    // The deadline gate too looks only at new and worse findings.
    let run = check(&[
        "--baseline",
        same,
        "--fail-on-new",
        "--fail-within",
        "45",
        CONTOSO,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = check(&[
        "--baseline",
        same,
        "--fail-within",
        "45",
        "--fail-on",
        "never",
        CONTOSO,
    ]);
    assert_eq!(run.code, 1);
    // A file moved to another path is the same deployment: matched by name.
    let moved = dir.path().join("moved.json");
    std::fs::copy(common::repo().join(CONTOSO), &moved).unwrap();
    let run = check(&["--baseline", same, "--fail-on-new", moved.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // And --fail-on-new means nothing without a baseline.
    let run = check(&["--fail-on-new", CONTOSO]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--baseline"), "{}", run.stderr);
}

#[test]
fn every_format_shows_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = edited_baseline(dir.path());
    let baseline = baseline.to_str().unwrap();
    let run = |format: &str| {
        let run = check(&["--baseline", baseline, "--format", format, CONTOSO]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        run.stdout
    };
    let table = run("table");
    assert!(table.contains("fail  worse (was warn)"), "{table}");
    assert!(table
        .contains("1 resolved since the baseline: M001 on cluster/prod-east (was fail, now pass)"));
    let markdown = run("markdown");
    assert!(
        markdown.contains("| Status | Since the baseline | Rule | Scope | Finding | Deadline |")
    );
    assert!(
        markdown.contains("| **fail** | new | [M002 out-of-band-changes]"),
        "{markdown}"
    );
    assert!(markdown.contains("### Resolved since the baseline"));
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert!(
        states.contains(&"new") && states.contains(&"updated") && states.contains(&"unchanged")
    );
    assert_eq!(
        sarif["runs"][0]["properties"]["baseline"]["counts"]["resolved"],
        1
    );
    let html = run("html");
    assert!(html.contains("<span class=\"bl bl-new\">new</span>"));
    assert!(html.contains("<span class=\"bl bl-worse\">worse (was warn)</span>"));
    assert!(html.contains("<h3>Resolved since the baseline</h3>"));
    assert!(html.contains("<h3>Since the baseline</h3>"));
    let github = run("github");
    assert!(github.contains("[new since the baseline]"), "{github}");
    let junit = run("junit");
    assert!(junit.contains("new since the baseline"), "{junit}");
}

#[test]
fn a_fleet_against_last_weeks_report() {
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites");
    let shape = akspol_tools::fleetgen::Shape {
        deployments: 30,
        ..Default::default()
    };
    akspol_tools::fleetgen::write(&shape, Some(&sites), None).unwrap();
    let sites_arg = sites.to_str().unwrap();
    let last_week = common::akspol()
        .args([
            "check",
            "--as-of",
            "2025-07-01",
            "--format",
            "json",
            sites_arg,
        ])
        .output()
        .unwrap();
    let baseline = dir.path().join("last-week.json");
    std::fs::write(&baseline, &last_week.stdout).unwrap();
    // This week: one site gains a Hyper-V change on a node, one is gone.
    let site = sites.join(akspol_tools::fleetgen::file_name(3));
    let mut inventory: Value =
        serde_json::from_str(&std::fs::read_to_string(&site).unwrap()).unwrap();
    let node = &mut inventory["clusters"][0]["nodes"][0];
    node["modifications"] =
        serde_json::json!([{ "via": "hyperv", "description": "disk grown", "at": "2025-07-04" }]);
    let node_name = node["name"].as_str().unwrap().to_string();
    let cluster = inventory["clusters"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let deployment = inventory["deployment"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(&site, inventory.to_string()).unwrap();
    std::fs::remove_file(sites.join(akspol_tools::fleetgen::file_name(7))).unwrap();

    let output = common::akspol()
        .args([
            "check",
            "--as-of",
            "2025-07-08",
            "--format",
            "json",
            "--fail-on-new",
            "--baseline",
        ])
        .arg(&baseline)
        .arg(sites_arg)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let reasons: Vec<&str> = stderr.lines().collect();
    assert!(!reasons.is_empty());
    for reason in &reasons {
        assert!(reason.starts_with("exit 1: "), "{reason}");
        assert!(
            reason.contains("new since the baseline")
                || reason.contains("worse since the baseline"),
            "{reason}"
        );
    }
    assert!(
        reasons.iter().any(|r| r.contains(&format!(
            "M002 out-of-band-changes fails on node/{cluster}/{node_name} of {deployment}, new since the baseline"
        ))),
        "{stderr}"
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let gone = &report["baseline"]["notInRun"];
    assert_eq!(gone.as_array().unwrap().len(), 1, "{gone}");
    assert!(gone[0]["source"]
        .as_str()
        .unwrap()
        .ends_with(&akspol_tools::fleetgen::file_name(7)));
}

#[test]
fn a_baseline_that_is_not_a_report_of_this_version_is_refused_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = report(CONTOSO, AS_OF);
    old["reportVersion"] = 2.into();
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            write(dir.path(), "v2.json", &old),
            "v2.json:2:3: reportVersion: report version 2: this akspol",
        ),
        (
            write(
                dir.path(),
                "sarif.json",
                &serde_json::json!({ "version": "2.1.0", "runs": [] }),
            ),
            "sarif.json:1:1: (document): not an akspol JSON report: no `reportVersion`",
        ),
        (
            write(
                dir.path(),
                "status.json",
                &serde_json::json!({ "reportVersion": 1, "asOf": AS_OF, "inventories": [
                    { "source": "a.json", "deployment": "a", "findings": [
                        { "rule": "V003", "scope": "deployment", "status": "failing" }
                    ] }
                ] }),
            ),
            "status.json:12:29: inventories[0].findings[0].status: unknown variant `failing`",
        ),
    ];
    for (path, expected) in cases {
        let run = check(&["--baseline", path.to_str().unwrap(), CONTOSO]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(run.stdout, "", "nothing on standard output");
        assert!(
            run.stderr
                .starts_with(&format!("error: {}", dir.path().join(expected).display())),
            "{}",
            run.stderr
        );
    }
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, "{\"reportVersion\": 1, \"inventories\": [").unwrap();
    let run = check(&["--baseline", truncated.to_str().unwrap(), CONTOSO]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("truncated.json:1:"), "{}", run.stderr);
    // The same input limits as every file.
    let big = write(dir.path(), "big.json", &report(CONTOSO, AS_OF));
    let run = check(&[
        "--baseline",
        big.to_str().unwrap(),
        "--max-input-bytes",
        "100",
        CONTOSO,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("larger than the 100-byte limit"),
        "{}",
        run.stderr
    );
}

/// Issue 22, item 20: a baseline is trusted as it is, so a forged one (the
/// failing run's own report) makes `--fail-on-new` pass a failing state.
/// That is the documented decision; every report then names the baseline
/// with its `asOf` and the SHA-256 of its bytes, so a reviewer sees which
/// file the run trusted.
#[test]
fn a_forged_baseline_is_trusted_and_every_report_names_it_by_its_digest() {
    let dir = tempfile::tempdir().unwrap();
    // The state fails on its own...
    assert_eq!(check(&[CONTOSO]).code, 1);
    // ...and passes against its own report as baseline.
    let forged = write(dir.path(), "forged.json", &report(CONTOSO, AS_OF));
    let sha256 = sha256_of(&forged);
    let forged = forged.to_str().unwrap();
    let run = check(&["--baseline", forged, "--fail-on-new", CONTOSO]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = |format: &str| {
        let run = check(&["--baseline", forged, "--format", format, CONTOSO]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        run.stdout
    };
    let line = format!("baseline {forged} (as of {AS_OF}, sha256 {sha256}):");
    for format in ["table", "markdown"] {
        let text = run(format).replace("\n  ", " ");
        assert!(text.contains(&line), "{format}: {text}");
    }
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["baseline"]["sha256"], sha256.as_str());
    assert_eq!(json["baseline"]["asOf"], AS_OF);
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let properties = &sarif["runs"][0]["properties"]["baseline"];
    assert_eq!(properties["sha256"], sha256.as_str());
    assert_eq!(properties["asOf"], AS_OF);
    let junit = run("junit");
    assert!(
        junit.contains(&format!(
            "<property name=\"baselineSha256\" value=\"{sha256}\"/>"
        )) && junit.contains(&format!(
            "<property name=\"baselineAsOf\" value=\"{AS_OF}\"/>"
        )),
        "{junit}"
    );
    let html = run("html");
    assert!(
        html.contains(&format!("(as of {AS_OF}, SHA-256 <code>{sha256}</code>)")),
        "no digest in the HTML report"
    );
    let github = run("github");
    assert!(
        github.lines().nth(1).is_some_and(|l| l
            .starts_with("::notice title=akspol%3A baseline::baseline ")
            && l.contains(&format!("sha256 {sha256}"))),
        "{github}"
    );
    // GitHub's step summary too.
    let summary = dir.path().join("summary.md");
    let output = common::akspol()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            "--as-of",
            AS_OF,
            "--format",
            "github",
            "--baseline",
            forged,
            CONTOSO,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(std::fs::read_to_string(&summary).unwrap().contains(&sha256));
}

/// Issue 22, item 19: a baseline's `asOf` and rule codes were not checked;
/// now each is exit 2 with the file, its place and what was expected.
#[test]
fn a_baseline_s_date_and_rule_codes_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = |findings: Value| serde_json::json!([{ "source": "a.json", "deployment": "a", "findings": findings }]);
    let cases = [
        (
            "date.json",
            serde_json::json!({ "reportVersion": 1, "asOf": "last week", "inventories": [] }),
            "date.json:3:3: asOf: `last week`: expected the date the baseline report was made as of, YYYY-MM-DD",
        ),
        (
            "time.json",
            serde_json::json!({ "reportVersion": 1, "asOf": "2026-11-23T10:00:00Z", "inventories": [] }),
            "time.json:3:3: asOf: `2026-11-23T10:00:00Z`: expected the date",
        ),
        (
            "rule.json",
            serde_json::json!({ "reportVersion": 1, "asOf": AS_OF, "inventories": inventory(serde_json::json!([
                { "rule": "V003", "scope": "deployment", "status": "fail" },
                { "rule": "X999", "scope": "deployment", "status": "pass" }
            ])) }),
            "inventories[0].findings[1].rule: `X999`: expected the code of a rule this akspol knows",
        ),
    ];
    for (name, document, expected) in cases {
        let path = write(dir.path(), name, &document);
        let run = check(&["--baseline", path.to_str().unwrap(), CONTOSO]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{name}");
        assert!(
            run.stderr.contains(expected),
            "{name}: {}\nexpected: {expected}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&path.display().to_string()),
            "{name}: {}",
            run.stderr
        );
    }
}
