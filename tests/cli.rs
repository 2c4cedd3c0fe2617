//! The built binary: its standard output, standard error and exit status for
//! `check`, `rules`, `explain`, `catalog show`, bad input and options.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, akspol};

const EXAMPLE: &str = "fixtures/examples/contoso.json";
const AS_OF: &str = "2026-11-23";

fn check(args: &[&str]) -> assert_cmd::assert::Assert {
    akspol()
        .arg("check")
        .arg("--as-of")
        .arg(AS_OF)
        .args(args)
        .assert()
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn table_report_of_the_example() {
    let assert = check(&[EXAMPLE]).code(1);
    let out = stdout_of(&assert);
    assert!(!out.contains('\u{1b}'), "no colour when not a terminal");
    assert!(out.lines().any(|l| l.starts_with("verdict: unsupported")));
    // The last line says why the exit status is 1.
    assert!(out.lines().last().unwrap().starts_with("exit 1: "), "{out}");
    insta::assert_snapshot!("check_table_example", out);
}

#[test]
fn json_report_follows_the_contract_field_for_field() {
    let assert = check(&["--format", "json", EXAMPLE]).code(1);
    let out = stdout_of(&assert);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["reportVersion"], 1);
    assert_eq!(report["tool"]["name"], "akspol");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["asOf"], AS_OF);
    for key in ["source", "releases", "latest", "latestReleased"] {
        assert!(report["catalog"].get(key).is_some(), "catalog.{key}");
    }
    assert_eq!(report["catalog"]["source"], "embedded");
    assert_eq!(report["verdict"], "unsupported");
    let inventory = &report["inventories"][0];
    assert_eq!(inventory["source"], EXAMPLE);
    assert_eq!(inventory["deployment"], "contoso-edge-042");
    assert_eq!(inventory["verdict"], "unsupported");
    for key in ["pass", "info", "warn", "fail", "unknown", "skip", "waived"] {
        assert!(inventory["summary"][key].is_u64(), "summary.{key}");
    }
    let findings = inventory["findings"].as_array().unwrap();
    for f in findings {
        for key in [
            "rule", "name", "scope", "status", "message", "deadline", "evidence", "policy",
            "waiver",
        ] {
            assert!(f.get(key).is_some(), "finding.{key} in {f}");
        }
        assert!(
            f["policy"]["section"].is_string()
                && f["policy"]["url"].as_str().unwrap().starts_with("https://")
        );
        assert!(["pass", "info", "warn", "fail", "unknown", "skip"]
            .contains(&f["status"].as_str().unwrap()));
    }
    // Ordered by scope (deployment, then clusters and their nodes in inventory order), then code.
    let scopes: Vec<&str> = findings
        .iter()
        .map(|f| f["scope"].as_str().unwrap())
        .collect();
    let first_cluster = scopes.iter().position(|s| *s != "deployment").unwrap();
    assert!(scopes[..first_cluster].iter().all(|s| *s == "deployment"));
    assert!(scopes[first_cluster..].iter().all(|s| *s != "deployment"));
    // Every verdict names its edition and the catalog's age (additive fields).
    assert_eq!(inventory["product"], "aks-hybrid");
    assert_eq!(inventory["policy"]["edition"], "h22");
    assert!(inventory["policy"]["notice"]
        .as_str()
        .unwrap()
        .contains("--policy-edition current"));
    assert_eq!(inventory["catalog"]["knownThrough"], "2025-10-08");
    assert_eq!(inventory["catalog"]["knownThroughEstimated"], true);
    assert_eq!(inventory["catalog"]["ageDays"], 411);
    assert_eq!(inventory["catalog"]["tooOld"], true);
    let v003 = findings.iter().find(|f| f["rule"] == "V003").unwrap();
    assert_eq!(v003["evidence"]["installed"], "1.0.24.11029");
    assert!(v003["evidence"]["daysBehind"].is_i64());
    assert!(v003["evidence"]["releasesBehind"].is_u64());
    insta::assert_snapshot!("check_json_example", out);
}

#[test]
fn output_is_deterministic() {
    let a = stdout_of(&check(&["--format", "json", EXAMPLE]));
    let b = stdout_of(&check(&["--format", "json", EXAMPLE]));
    assert_eq!(a, b);
}

/// An inventory two releases behind (a warn and a fail), with its catalog and day.
const BEHIND_TWO_RELEASES: [&str; 5] = [
    "--catalog",
    "fixtures/catalogs/test.json",
    "--as-of",
    "2026-08-01",
    "fixtures/versions/behind-two-releases.json",
];

#[test]
fn json_and_markdown_say_why_the_run_fails_as_standard_error_does() {
    let behind = BEHIND_TWO_RELEASES;
    let out = akspol()
        .arg("check")
        .args(behind)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stderr_reasons: Vec<String> = String::from_utf8(out.stderr)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("exit 1: ").map(str::to_string))
        .collect();
    assert!(!stderr_reasons.is_empty());
    assert_eq!(report["gate"]["fails"], true);
    assert_eq!(report["gate"]["reasons"], serde_json::json!(stderr_reasons));
    let markdown = stdout_of(
        &akspol()
            .arg("check")
            .args(behind)
            .args(["--format", "markdown"])
            .assert()
            .code(1),
    );
    assert!(
        markdown.contains("**Why `akspol check` exits 1:**"),
        "{markdown}"
    );
    for reason in &stderr_reasons {
        assert!(
            markdown.contains(&format!("- {reason}")),
            "{reason}\n{markdown}"
        );
    }
    // --fail-on never: the same findings, no gate, nothing to explain.
    let passing = akspol()
        .arg("check")
        .args(behind)
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(passing.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&passing.stdout).unwrap();
    assert_eq!(
        report["gate"],
        serde_json::json!({"fails": false, "exitStatus": 0, "reasons": [], "causes": []})
    );
    let markdown = stdout_of(
        &akspol()
            .arg("check")
            .args(behind)
            .args(["--format", "markdown", "--fail-on", "never"])
            .assert()
            .code(0),
    );
    assert!(!markdown.contains("exits 1"), "{markdown}");
}

/// Issue 25, item 5: `check good.json typo.json` exits 2, but the table's
/// last line said `exit 1: 7 findings at or above --fail-on fail`. Every
/// closing line names the real status, the inputs not judged first, then
/// the findings' causes.
#[test]
fn an_exit_2_run_closes_naming_exit_2_and_every_cause() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.json");
    std::fs::write(&typo, r#"{"schemaVersion": 1, "deploymnt": {}}"#).unwrap();
    let typo = typo.to_str().unwrap();
    let run = |format: &str| check(&["--format", format, EXAMPLE, typo]).code(2);
    let table = run("table");
    let out = stdout_of(&table);
    let closing: Vec<&str> = out.lines().rev().take(2).collect();
    assert_eq!(
        closing,
        [
            "exit 2: 7 findings at or above --fail-on fail: V003, V004, V005, V007, S001, M002, F001",
            format!("exit 2: 1 input could not be judged: {typo}").as_str(),
        ],
        "{out}"
    );
    assert!(!out.contains("exit 1"), "{out}");
    // Standard error ends with one line per cause, the same way.
    let stderr = stderr_of(&table);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!("error: {typo}:1:")),
        "{stderr}"
    );
    let causes: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("exit "))
        .collect();
    assert_eq!(causes.len(), 8, "{stderr}");
    assert_eq!(
        causes[0],
        format!("exit 2: 1 input could not be judged: {typo}")
    );
    assert_eq!(
        causes[1],
        "exit 2: V003 support-window fails on deployment (--fail-on fail)"
    );
    assert_eq!(lines.last(), causes.last(), "{stderr}");
    // Markdown, GitHub's annotation and JSON's gate say the same.
    let markdown = stdout_of(&run("markdown"));
    assert!(
        markdown.contains(&format!(
            "**Why `akspol check` exits 2:**\n\n- 1 input could not be judged: {typo}\n- V003 support-window fails"
        )),
        "{markdown}"
    );
    let github = stdout_of(&run("github"));
    assert!(
        github.contains(&format!(
            "::error title=akspol%3A exit 2::1 input could not be judged: {typo}%0AV003 support-window fails"
        )),
        "{github}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&run("json"))).unwrap();
    assert_eq!(json["gate"]["fails"], true);
    assert_eq!(json["gate"]["exitStatus"], 2);
    assert_eq!(
        json["gate"]["reasons"][0],
        format!("1 input could not be judged: {typo}")
    );
    assert_eq!(json["gate"]["reasons"].as_array().unwrap().len(), 8);
    // Only a bad input, and findings that pass the gate: exit 2 and one cause.
    let alone = check(&["--fail-on", "never", EXAMPLE, typo]).code(2);
    let out = stdout_of(&alone);
    assert_eq!(
        out.lines().last().unwrap(),
        format!("exit 2: 1 input could not be judged: {typo}"),
        "{out}"
    );
}

#[test]
fn exit_status_follows_fail_on() {
    // current.json is supported; behind-two-releases has a warn and a fail.
    let supported = [
        "--catalog",
        "fixtures/catalogs/test.json",
        "--as-of",
        "2026-08-31",
        "fixtures/versions/current.json",
    ];
    akspol().arg("check").args(supported).assert().code(0);
    akspol()
        .arg("check")
        .args(supported)
        .args(["--fail-on", "warn"])
        .assert()
        .code(0);

    let behind = BEHIND_TWO_RELEASES;
    akspol().arg("check").args(behind).assert().code(1);
    akspol()
        .arg("check")
        .args(behind)
        .args(["--fail-on", "never"])
        .assert()
        .code(0);
    // Without the failing rules, only V002's warn remains.
    let only_warn = ["--select", "V002"];
    akspol()
        .arg("check")
        .args(behind)
        .args(only_warn)
        .assert()
        .code(0);
    akspol()
        .arg("check")
        .args(behind)
        .args(only_warn)
        .args(["--fail-on", "warn"])
        .assert()
        .code(1);
}

/// V004 alone on a deployment 92 days behind: passes, with its deadline on
/// 2026-08-30, 29 days after the as-of date.
const V004_DEADLINE_IN_29_DAYS: [&str; 7] = [
    "--catalog",
    "fixtures/catalogs/test.json",
    "--as-of",
    "2026-08-01",
    "--select",
    "V004",
    "fixtures/versions/behind-two-releases.json",
];

#[test]
fn fail_within_fails_on_a_near_deadline() {
    // V004's deadline is 2026-08-30: 29 days after 2026-08-01.
    let args = V004_DEADLINE_IN_29_DAYS;
    akspol().arg("check").args(args).assert().code(0);
    akspol()
        .arg("check")
        .args(args)
        .args(["--fail-within", "28"])
        .assert()
        .code(0);
    akspol()
        .arg("check")
        .args(args)
        .args(["--fail-within", "29"])
        .assert()
        .code(1);
}

#[test]
fn select_and_ignore_take_codes_and_prefixes() {
    let out = stdout_of(&check(&[
        "--format",
        "json",
        "--select",
        "V00",
        "--ignore",
        "V007,V006",
        EXAMPLE,
    ]));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: std::collections::BTreeSet<&str> = report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["V001", "V002", "V003", "V004", "V005", "V008"]
    );

    let bad = check(&["--select", "X999", EXAMPLE]).code(2);
    assert!(stderr_of(&bad).contains("`X999` matches no rule"));
    assert!(stdout_of(&bad).is_empty());
}

#[test]
fn bad_input_exits_2_with_file_line_column_path_and_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"schemaVersion\": 1,\n  \"deployment\": {\"name\": \"d\", \"version\": \"1.0.24.11029\"},\n  \"clusters\": [{\"name\": \"c\", \"kubernetesVersion\": \"1.28.5\", \"nodes\": [{\"name\": \"n\", \"powerState\": \"On\"}]}]\n}\n",
    )
    .unwrap();
    let assert = check(&[bad.to_str().unwrap()]).code(2);
    assert!(stdout_of(&assert).is_empty());
    let err = stderr_of(&assert);
    assert!(err.contains("bad.json:4:"), "{err}");
    assert!(err.contains("clusters[0].nodes[0].powerState: unknown variant `On`, expected one of `Running`, `Off`, `Deallocated`"), "{err}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("many.json");
    std::fs::write(
        &bad,
        r#"{"schemaVersion": 1, "deployment": {"name": "", "version": "1.0.24", "subscription": {"state": "Suspended"}},
 "clusters": [{"name": "a", "kubernetesVersion": "1.28", "state": "Stopped"}, {"name": "a", "kubernetesVersion": "1.28.5", "stoppedSince": "2026-02-30"}]}"#,
    )
    .unwrap();
    let err = stderr_of(&check(&[bad.to_str().unwrap()]).code(2));
    for expected in [
        "deployment.name: empty",
        "deployment.version: `1.0.24` has 3 fields",
        "deployment.subscription.since: missing: required when the subscription is Suspended",
        "clusters[0].kubernetesVersion: `1.28` is not a Kubernetes version",
        "clusters[0].stoppedSince: missing",
        "clusters[1].name: duplicate cluster name `a`",
        "clusters[1].stoppedSince: `2026-02-30` is not a calendar date",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(
        err.lines()
            .all(|l| l.starts_with("error: ") || l.contains("many.json:")),
        "{err}"
    );
}

#[test]
fn a_bad_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{\"schemaVersion\": 1,").unwrap();
    let assert = check(&["--format", "json", bad.to_str().unwrap(), EXAMPLE]).code(2);
    let report: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    assert_eq!(report["inventories"].as_array().unwrap().len(), 1);
    assert!(
        stderr_of(&assert).contains("broken.json:1:"),
        "{}",
        stderr_of(&assert)
    );
    assert!(stderr_of(&assert).contains("truncated"));
}

#[test]
fn unknown_fields_are_errors_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.json");
    std::fs::write(
        &typo,
        r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029"}, "clusters": [{"name": "c", "kubernetesVersion": "1.28.5", "state": "Stopped", "stoppedSince": "2026-11-01", "stopedVia": "hyperv"}]}"#,
    )
    .unwrap();
    let err = stderr_of(&check(&[typo.to_str().unwrap()]).code(2));
    assert!(
        err.contains("clusters[0].stopedVia: unknown field `stopedVia`"),
        "{err}"
    );
    let allowed = check(&[
        "--allow-unknown-fields",
        "--fail-on",
        "never",
        typo.to_str().unwrap(),
    ])
    .code(0);
    assert!(
        stderr_of(&allowed).contains("warning: "),
        "{}",
        stderr_of(&allowed)
    );
}

#[test]
fn reads_standard_input_and_directories() {
    let text = std::fs::read_to_string(common::repo().join(EXAMPLE)).unwrap();
    let assert = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json", "-"])
        .write_stdin(text)
        .assert()
        .code(1);
    let report: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    assert_eq!(report["inventories"][0]["source"], "<stdin>");

    let assert = akspol()
        .args([
            "check",
            "--catalog",
            "fixtures/catalogs/test.json",
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
            "fixtures/versions",
        ])
        .assert()
        .code(1);
    let report: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    let sources = common::sources_of(&report);
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(
        sources, sorted,
        "a directory's files are judged in name order"
    );
    assert_eq!(sources.len(), 5);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let always = stdout_of(&check(&["--color", "always", EXAMPLE]));
    assert!(always.contains("\u{1b}["));
    let never = stdout_of(&check(&["--color", "never", EXAMPLE]));
    assert!(!never.contains('\u{1b}'));
    let auto = stdout_of(
        &akspol()
            .env("NO_COLOR", "1")
            .args(["check", "--as-of", AS_OF, EXAMPLE])
            .assert(),
    );
    assert!(!auto.contains('\u{1b}'));
}

#[test]
fn catalog_and_policy_files_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.json");
    std::fs::write(&catalog, r#"{"catalogVersion": 1, "generated": "2026-01-01", "releases": [{"version": "1.0.1.1", "released": "2026-13-01"}]}"#).unwrap();
    let assert = check(&["--catalog", catalog.to_str().unwrap(), EXAMPLE]).code(2);
    assert!(stdout_of(&assert).is_empty());
    assert!(
        stderr_of(&assert).contains("catalog.json:1:"),
        "{}",
        stderr_of(&assert)
    );
    assert!(
        stderr_of(&assert).contains("releases[0].released: `2026-13-01` is not a calendar date")
    );

    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, r#"{"supportWindowDays": "sixty"}"#).unwrap();
    let err = stderr_of(&check(&["--policy", policy.to_str().unwrap(), EXAMPLE]).code(2));
    assert!(
        err.contains("supportWindowDays: invalid type: string \"sixty\", expected i64"),
        "{err}"
    );
}

#[test]
fn a_policy_file_changes_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, r#"{"availabilityDays": 90}"#).unwrap();
    let args = V004_DEADLINE_IN_29_DAYS;
    akspol().arg("check").args(args).assert().code(0);
    akspol()
        .arg("check")
        .args(args)
        .args(["--policy", policy.to_str().unwrap()])
        .assert()
        .code(1);
}

#[test]
fn rules_lists_every_rule() {
    let out = stdout_of(&akspol().arg("rules").assert().success());
    for rule in akspol::rules::RULES {
        assert!(
            out.contains(rule.code) && out.contains(rule.name),
            "{}",
            rule.code
        );
    }
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        &akspol()
            .args(["rules", "--format", "json"])
            .assert()
            .success(),
    ))
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), akspol::rules::RULES.len());
}

#[test]
fn explain_prints_the_rule_doc() {
    let out = stdout_of(&akspol().args(["explain", "V003"]).assert().success());
    insta::assert_snapshot!("explain_v003", out);
    let by_name = stdout_of(
        &akspol()
            .args(["explain", "support-window"])
            .assert()
            .success(),
    );
    assert_eq!(out, by_name);
    let unknown = akspol().args(["explain", "Z001"]).assert().code(2);
    assert!(stderr_of(&unknown).contains("no rule `Z001`; the rules are V001, V002"));
}

/// Issue 25, item 6: `explain --policy-edition` shows the rule as that
/// edition states it: its section and link, its numbers, its words.
#[test]
fn explain_under_an_edition_is_that_editions_rule() {
    let al25 = stdout_of(
        &akspol()
            .args(["explain", "C002", "--policy-edition", "al25"])
            .assert()
            .success(),
    );
    insta::assert_snapshot!("explain_c002_al25", al25);
    assert!(!al25.contains("Flannel and Calico") && !al25.contains("[al25]"));
    let h22 = stdout_of(
        &akspol()
            .args(["explain", "cni", "--policy-edition", "H22"])
            .assert()
            .success(),
    );
    assert!(h22.contains(
        "policy: AKS hybrid support coverage <https://learn.microsoft.com/azure/aks/hybrid/support-policies#aks-hybrid-support-coverage>"
    ));
    assert!(h22.contains("support for the Flannel and Calico CNIs") && !h22.contains("alone"));
    // A rule the edition does not state does not run under it: said, not an error.
    let v003 = stdout_of(
        &akspol()
            .args(["explain", "V003", "--policy-edition", "al25"])
            .assert()
            .success(),
    );
    assert!(
        v003.contains("not stated in al25: the rule does not run under it (stated in h22)"),
        "{v003}"
    );
    let current = akspol()
        .args(["explain", "V003", "--policy-edition", "current"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&current).contains("explain --policy-edition takes an edition (h22, ws25, al25)")
    );
    let unknown = akspol()
        .args(["explain", "V003", "--policy-edition", "al26"])
        .assert()
        .code(2);
    assert!(stderr_of(&unknown).contains("`al26` is not a policy edition"));
}

#[test]
fn catalog_show_prints_releases_and_its_own_format() {
    let out = stdout_of(
        &akspol()
            .args(["catalog", "show", "--offline"])
            .assert()
            .success(),
    );
    assert!(
        out.contains("1.0.24.11029") && out.contains("not-before") && out.contains("~2024-10-29")
    );
    let json = stdout_of(
        &akspol()
            .args(["catalog", "show", "--offline", "--format", "json"])
            .assert()
            .success(),
    );
    let catalog = akspol::catalog::Catalog::from_text(
        "shown",
        &json,
        akspol::catalog::CatalogSource::Embedded,
    )
    .unwrap();
    assert_eq!(catalog, akspol::catalog::Catalog::embedded().unwrap());
}

#[test]
fn usage_errors_exit_2() {
    akspol().args(["check"]).assert().code(2);
    akspol()
        .args(["check", "--as-of", "2026-02-30", EXAMPLE])
        .assert()
        .code(2);
    akspol()
        .args(["check", "--format", "yaml", EXAMPLE])
        .assert()
        .code(2);
    let missing = akspol()
        .args(["check", "--as-of", AS_OF, "no-such-file.json"])
        .assert()
        .code(2);
    assert!(stderr_of(&missing).contains("no-such-file.json: cannot read"));
}

#[test]
fn schema_and_completions_print() {
    let schema: serde_json::Value =
        serde_json::from_str(&stdout_of(&akspol().arg("schema").assert().success())).unwrap();
    assert!(schema.is_object());
    let ps = stdout_of(
        &akspol()
            .args(["completions", "powershell"])
            .assert()
            .success(),
    );
    assert!(ps.contains("akspol"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `akspol check ... | head -0`: the reader is gone before akspol writes.
    use std::process::{Command as Process, Stdio};
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("akspol"))
        .current_dir(common::repo())
        .env(
            "AKSPOL_CACHE_DIR",
            common::repo().join("target").join("no-catalog-cache"),
        )
        .args(["check", "--as-of", AS_OF, EXAMPLE])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the verdict's exit status, not an error"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn what_powershell_writes_is_named_or_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let assert = akspol()
            .args(["check", "--as-of", "2023-12-23", "--format", "json"])
            .arg(&path)
            .assert();
        let code = assert.get_output().status.code().unwrap();
        (code, stderr_of(&assert))
    };
    let deployment = r#""deployment": {"name": "d", "version": "1.0.24.11029"}"#;
    // An enum as its number (ConvertTo-Json without -EnumsAsStrings).
    let (code, stderr) = run(
        "enum.json",
        &format!(
            r#"{{"schemaVersion": 1, {deployment}, "clusters": [{{"name": "c", "kubernetesVersion": "1.28.5", "state": 1}}]}}"#
        ),
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("one of `Running`, `Stopped`"), "{stderr}");
    assert!(
        stderr.contains("ConvertTo-Json -EnumsAsStrings"),
        "{stderr}"
    );
    // An object deeper than -Depth, written as its ToString().
    let (code, stderr) = run(
        "depth.json",
        r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029", "platform": "@{os=WindowsServer; version=2022}"}}"#,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("larger -Depth"), "{stderr}");
    // A DateTime as Windows PowerShell writes it is read.
    let (code, stderr) = run(
        "date.json",
        &format!(
            r#"{{"schemaVersion": 1, {deployment}, "clusters": [{{"name": "c", "kubernetesVersion": "1.28.5", "state": "Stopped", "stoppedSince": "\/Date(1700000000000)\/"}}]}}"#
        ),
    );
    assert_eq!(code, 1, "{stderr}");
    // A key spelt as PowerShell spells properties, and a typo.
    let (code, stderr) = run(
        "case.json",
        &format!(
            r#"{{"schemaVersion": 1, {deployment}, "clusters": [{{"name": "c", "KubernetesVersion": "1.28.5"}}]}}"#
        ),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "missing field `kubernetesVersion` (the inventory has `KubernetesVersion` here"
        ),
        "{stderr}"
    );
    let (_, stderr) = run(
        "typo.json",
        &format!(
            r#"{{"schemaVersion": 1, {deployment}, "clusters": [{{"name": "c", "kubernetesVersion": "1.28.5", "stopedSince": "2023-11-01"}}]}}"#
        ),
    );
    assert!(
        stderr.contains("did you mean `stoppedSince`, which is missing?"),
        "{stderr}"
    );
}
// ---------------------------------------------------------------------------
// Product lines and policy editions

const ARC_EXAMPLE: &str = "fixtures/examples/azure-local.json";

fn json_of(args: &[&str]) -> (serde_json::Value, i32) {
    let output = akspol().args(args).output().unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    (report, output.status.code().unwrap())
}

fn finding<'a>(report: &'a serde_json::Value, rule: &str, scope: &str) -> &'a serde_json::Value {
    report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["scope"] == scope)
        .unwrap_or_else(|| panic!("no {rule} {scope}"))
}

#[test]
fn v010_passes_only_while_the_catalog_can_vouch_for_no_newer_release() {
    // Azure Local facts end with 2610, dated to October 2026: the catalog
    // may be as old as 2026-10-01. The line's cadence is 45 days.
    let at = |day: &str| {
        let (report, _) = json_of(&["check", "--as-of", day, "--format", "json", ARC_EXAMPLE]);
        finding(&report, "V010", "cluster/analytics").clone()
    };
    let day_45 = at("2026-11-15");
    assert_eq!(day_45["status"], "pass", "{day_45}");
    let day_46 = at("2026-11-16");
    assert_eq!(day_46["status"], "unknown", "{day_46}");
    assert_eq!(day_46["evidence"]["catalogTooOld"]["wouldBe"], "pass");
    assert_eq!(day_46["evidence"]["catalogTooOld"]["ageDays"], 46);
    // A failure is as true with newer releases: it stays.
    let (report, _) = json_of(&[
        "check",
        "--as-of",
        "2026-11-16",
        "--format",
        "json",
        ARC_EXAMPLE,
    ]);
    assert_eq!(
        finding(&report, "V010", "cluster/retail-prod")["status"],
        "fail"
    );
}

#[test]
fn an_azure_local_inventory_is_judged_against_the_azure_local_page() {
    let (report, code) = json_of(&[
        "check",
        "--as-of",
        "2026-03-01",
        "--format",
        "json",
        ARC_EXAMPLE,
    ]);
    assert_eq!(code, 1);
    let inventory = &report["inventories"][0];
    assert_eq!(inventory["product"], "aks-arc");
    assert_eq!(inventory["policy"]["edition"], "al25");
    assert_eq!(
        inventory["policy"]["url"],
        "https://learn.microsoft.com/azure/aks/aksarc/aks-on-azure-local-support-policy"
    );
    assert!(inventory["policy"].get("notice").is_none());
    assert_eq!(inventory["catalog"]["product"], "aks-arc");
    assert_eq!(inventory["verdict"], "unsupported");
    // The verdicts the Azure Local page implies.
    for (rule, scope, status) in [
        ("V010", "cluster/retail-prod", "fail"),
        ("V006", "cluster/retail-prod", "fail"),
        ("C002", "cluster/retail-prod", "warn"),
        ("S001", "cluster/analytics", "fail"),
        ("V009", "deployment", "pass"),
    ] {
        assert_eq!(
            finding(&report, rule, scope)["status"],
            status,
            "{rule} {scope}"
        );
    }
    let s001 = finding(&report, "S001", "cluster/analytics");
    assert!(s001["message"].as_str().unwrap().contains(
        "(more than 30): its control plane is out of support and it can no longer be updated"
    ));
    // Every finding cites the Azure Local page or a page it links to.
    let allowed = [
        "https://learn.microsoft.com/azure/aks/aksarc/aks-on-azure-local-support-policy#",
        "https://learn.microsoft.com/azure/aks/aksarc/supported-kubernetes-versions#",
        "https://learn.microsoft.com/azure/aks/aksarc/aks-whats-new-local",
        // Linked from it for connectivity (S007, S008).
        "https://learn.microsoft.com/azure/azure-local/faq",
        "https://learn.microsoft.com/azure/aks/aksarc/connectivity-modes#",
    ];
    for f in inventory["findings"].as_array().unwrap() {
        let url = f["policy"]["url"].as_str().unwrap();
        assert!(
            allowed.iter().any(|a| url.starts_with(a)),
            "{} cites {url}",
            f["rule"]
        );
    }
    // Rules the Azure Local page does not state do not run: not a pass, no finding.
    for rule in [
        "V002", "V003", "V004", "V005", "C003", "F001", "S004", "S005",
    ] {
        assert!(
            !inventory["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["rule"] == rule),
            "{rule} ran"
        );
    }
    assert!(inventory["policy"]["notStated"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("C003")));
}

#[test]
fn an_edition_of_the_other_line_is_a_usage_error() {
    let assert = akspol()
        .args([
            "check",
            "--as-of",
            "2026-03-01",
            "--policy-edition",
            "ws25",
            ARC_EXAMPLE,
        ])
        .assert()
        .code(2);
    assert!(stdout_of(&assert).is_empty());
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("--policy-edition ws25 is an edition for the aks-hybrid line")
            && stderr.contains("this deployment is aks-arc")
            && stderr.contains("its editions are al25"),
        "{stderr}"
    );
    let assert = check(&["--policy-edition", "h23", EXAMPLE]).code(2);
    assert!(
        stderr_of(&assert).contains("`h23` is not a policy edition; the editions are h22"),
        "{}",
        stderr_of(&assert)
    );
    // plan says the same.
    let assert = akspol()
        .args([
            "plan",
            "--as-of",
            "2026-03-01",
            "--policy-edition",
            "h22",
            ARC_EXAMPLE,
        ])
        .assert()
        .code(2);
    assert!(stderr_of(&assert).contains("is an edition for the aks-hybrid line"));
}

/// Issue 23's "done when", through the binary: V009 on AKS Arc releases a
/// site runs, judged with the embedded catalog.
#[test]
fn v009_gives_a_dated_verdict_for_the_releases_of_2026() {
    let v009 = |version: &str, day: &str, extra: &[&str]| {
        let inventory = format!(
            r#"{{"schemaVersion": 1, "deployment": {{"name": "site", "product": "aks-arc", "version": "{version}"}}}}"#
        );
        let output = akspol()
            .args(["check", "--as-of", day, "--format", "json", "-"])
            .args(extra)
            .write_stdin(inventory)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        finding(&report, "V009", "deployment").clone()
    };
    // 2603 (2026-03-18) as of 2026-06-01: a pass with its deadline, whatever
    // the catalog's age: also against a catalog whose Azure Local facts end
    // with 2603, 75 days old then (past the 45-day cadence).
    let dir = tempfile::tempdir().unwrap();
    let mut catalog: serde_json::Value = serde_json::from_str(&stdout_of(
        &akspol()
            .args(["catalog", "show", "--offline", "--format", "json"])
            .assert()
            .success(),
    ))
    .unwrap();
    catalog["azureLocalReleases"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["release"].as_str().unwrap() <= "2603");
    catalog["knownThrough"]
        .as_array_mut()
        .unwrap()
        .retain(|k| k["product"] != "aks-arc");
    let old = dir.path().join("until-2603.json");
    std::fs::write(&old, catalog.to_string()).unwrap();
    let old = old.display().to_string();
    for extra in [&[][..], &["--catalog", old.as_str()][..]] {
        let f = v009("2603", "2026-06-01", extra);
        assert_eq!(
            (&f["status"], &f["deadline"]),
            (&"pass".into(), &"2026-09-19".into()),
            "{f}"
        );
        assert!(f.get("deadlineEstimated").is_none(), "{f}");
    }
    let (report, _) = json_of(&[
        "check",
        "--as-of",
        "2026-06-01",
        "--format",
        "json",
        "--catalog",
        &old,
        ARC_EXAMPLE,
    ]);
    let line = &report["inventories"][0]["catalog"];
    assert_eq!(
        (&line["ageDays"], &line["tooOld"]),
        (&75.into(), &true.into()),
        "{line}"
    );
    // 2607, dated by its month: a pass with a January 2027 deadline, marked
    // estimated; then unknown naming the days; then a failure.
    let pass = v009("2607", "2026-12-07", &[]);
    assert_eq!(
        (&pass["status"], &pass["deadline"]),
        (&"pass".into(), &"2027-01-02".into()),
        "{pass}"
    );
    assert_eq!(pass["deadlineEstimated"], true);
    assert_eq!(
        pass["evidence"]["release"]["released"]["precision"],
        "month"
    );
    let between = v009("2607", "2027-01-15", &[]);
    assert_eq!(between["status"], "unknown", "{between}");
    assert_eq!(
        between["evidence"]["changesBetween"],
        serde_json::json!({"from": "2027-01-02", "to": "2027-02-01", "becomes": "fail"})
    );
    assert_eq!(v009("2607", "2027-02-02", &[])["status"], "fail");
    // An organisation reading "the six newest releases" says so in --policy.
    let six = v009(
        "2604",
        "2026-10-31",
        &["--policy", "fixtures/policies/six-newest-releases.json"],
    );
    assert_eq!(six["status"], "fail", "{six}");
    assert_eq!(six["evidence"]["reading"], "newest-releases");
    // explain names the reading in use and lists the others.
    let explained = stdout_of(&akspol().args(["explain", "V009"]).assert().success());
    for needle in [
        "releaseSupportReading = months-from-release",
        "months-from-release (in use)",
        "days-from-build",
        "newest-months",
        "newest-releases",
        "--policy FILE",
    ] {
        assert!(explained.contains(needle), "{needle}:\n{explained}");
    }
}

#[test]
fn current_applies_no_statement_the_may_2023_revision_withdrew() {
    // From 2023-05-03 to 2025-04-02 the AksHci page in force was its May 2023
    // revision, whose text akspol lacks: it withdrew the 30/60/120-day
    // windows and the three-release upgrade rule.
    let inventory = "fixtures/editions/withdrawn-windows.json";
    let at = |day: &str| {
        let (report, code) = json_of(&[
            "check",
            "--as-of",
            day,
            "--format",
            "json",
            "--policy-edition",
            "current",
            inventory,
        ]);
        let statuses: Vec<String> = ["V002", "V003", "V004", "V005"]
            .iter()
            .map(|rule| {
                report["inventories"][0]["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["rule"] == *rule)
                    .map_or("absent".to_string(), |f| {
                        f["status"].as_str().unwrap().to_string()
                    })
            })
            .collect();
        (report, code, statuses)
    };
    // The day before the revision: the 2022 page, as written (53 days behind
    // 1.0.17 of ~2023-03-10).
    let (report, _, statuses) = at("2023-05-02");
    assert_eq!(statuses, ["warn", "pass", "pass", "pass"]);
    assert!(report["inventories"][0]["policy"].get("notice").is_none());
    // From the revision's day: unknown, with the reason, not fail.
    for day in ["2023-05-03", "2025-04-02"] {
        let (report, code, statuses) = at(day);
        assert_eq!(code, 0, "{day}: nothing fails");
        assert_eq!(statuses, ["unknown"; 4], "{day}");
        let inventory = &report["inventories"][0];
        assert_eq!(inventory["policy"]["edition"], "h22");
        let notice = inventory["policy"]["notice"].as_str().unwrap();
        assert!(
            notice.contains(&format!("the page in force on {day} was the May 2023 revision of Support policies for AKS hybrid (H23, ms.date 05/03/2023)")),
            "{notice}"
        );
        let v003 = finding(&report, "V003", "deployment");
        assert!(
            v003["message"]
                .as_str()
                .unwrap()
                .contains("withdrew the 30/60/120-day windows"),
            "{v003}"
        );
        // What the 2022 page would say stays in the evidence.
        let would_be = if day == "2023-05-03" { "pass" } else { "fail" };
        assert_eq!(
            v003["evidence"]["withdrawnBy"]["wouldBe"], would_be,
            "{day}"
        );
    }
    // From the 2025 Windows Server page on, the rules are not stated at all.
    let (report, _, statuses) = at("2025-04-03");
    assert_eq!(statuses, ["absent"; 4]);
    assert_eq!(report["inventories"][0]["policy"]["edition"], "ws25");
    // Named, the 2022 page applies as written, and its notice names the revision.
    let assert = akspol()
        .args(["check", "--as-of", "2024-06-01", inventory])
        .assert()
        .code(1);
    let out = stdout_of(&assert).replace("\n  ", " ");
    assert!(
        out.contains("note: this page was replaced on 2023-05-03 by the May 2023 revision of Support policies for AKS hybrid (H23, ms.date 05/03/2023), which withdrew the 30/60/120-day windows and the three-release upgrade rule"),
        "{out}"
    );
}

#[test]
fn current_judges_an_akshci_inventory_against_the_windows_server_page_in_december_2026() {
    let (report, _) = json_of(&[
        "check",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
        "--policy-edition",
        "current",
        EXAMPLE,
    ]);
    let inventory = &report["inventories"][0];
    assert_eq!(inventory["policy"]["edition"], "ws25");
    assert!(inventory["policy"].get("notice").is_none());
    let rules: Vec<&str> = inventory["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for gone in ["V002", "V003", "V004", "V005", "F001"] {
        assert!(!rules.contains(&gone), "{gone} is not on the 2025 page");
    }
    for new in ["V010", "S004", "S005", "S006", "F003"] {
        assert!(rules.contains(&new), "{new} is on the 2025 page");
    }
    // The default is still the 2022 page, with a one-line notice naming the flag.
    let assert = check(&[EXAMPLE]).code(1);
    // The notice is one line of text, wrapped to the table's width.
    let out = stdout_of(&assert).replace("\n  ", " ");
    assert!(
        out.contains("policy h22, Support policies for AKS hybrid (2022)"),
        "{out}"
    );
    assert!(
        out.contains("note: a newer edition was in force on 2026-11-23: Support policies for AKS on Windows Server (2025) (ws25, from 2025-04-03); judge against it with --policy-edition current"),
        "{out}"
    );
}

#[test]
fn catalog_show_lists_the_azure_local_line() {
    let out = stdout_of(
        &akspol()
            .args(["catalog", "show", "--offline", "--product", "aks-arc"])
            // Wide enough that no list wraps inside its cell.
            .env("COLUMNS", "250")
            .assert()
            .success(),
    );
    assert!(
        out.contains("Azure Local releases known through 2026-10, to the month (Azure Local 2610"),
        "{out}"
    );
    for expected in [
        "12.2510.1002.94 (2025-11-05)",
        "11.2510.1002.93 (2025-11-05)",
        "12.2602.1007.7 (= 12.2602.1002.7)",
        "2026-03-28..2026-05-13 (window)",
        "2026-07 (month)",
        "12.2607.1003.73 (no date; third-party)",
        "2610 (third-party)",
        "seen: 1.31.12, 1.31.13, 1.32.8, 1.32.9, 1.33.4, 1.33.5 (partial)",
        "Windows2019",
        "AzureLocal",
    ] {
        assert!(out.contains(expected), "{expected} missing:\n{out}");
    }
    // The JSON lists 2604-2610 with how each is dated.
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        &akspol()
            .args([
                "catalog",
                "show",
                "--offline",
                "--product",
                "aks-arc",
                "--format",
                "json",
            ])
            .assert()
            .success(),
    ))
    .unwrap();
    let local = json["azureLocalReleases"].as_array().unwrap();
    let dated = |name: &str| {
        let r = local.iter().find(|r| r["release"] == name).unwrap();
        (
            r["released"].clone(),
            r["dateBasis"].clone(),
            r["releasedWindow"].clone(),
        )
    };
    assert_eq!(
        dated("2603"),
        (
            serde_json::json!("2026-03-18"),
            serde_json::json!("availability-date"),
            serde_json::Value::Null
        )
    );
    assert_eq!(
        dated("2604"),
        (
            serde_json::Value::Null,
            serde_json::json!("window"),
            serde_json::json!({"notBefore": "2026-03-28", "notAfter": "2026-05-13"})
        )
    );
    for (name, first, last) in [
        ("2605", "2026-05-01", "2026-05-31"),
        ("2606", "2026-06-01", "2026-06-30"),
        ("2607", "2026-07-01", "2026-07-31"),
        ("2608", "2026-08-01", "2026-08-31"),
        ("2609", "2026-09-01", "2026-09-30"),
        ("2610", "2026-10-01", "2026-10-31"),
    ] {
        assert_eq!(
            dated(name),
            (
                serde_json::Value::Null,
                serde_json::json!("month"),
                serde_json::json!({"notBefore": first, "notAfter": last})
            ),
            "{name}"
        );
    }
    let known = json["knownThrough"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["product"] == "aks-arc")
        .unwrap();
    assert_eq!(
        (&known["date"], &known["dateBasis"]),
        (
            &serde_json::json!("2026-10-01"),
            &serde_json::json!("month")
        )
    );
    let hybrid = stdout_of(
        &akspol()
            .args(["catalog", "show", "--offline"])
            .assert()
            .success(),
    );
    assert!(
        hybrid.contains("AKS hybrid releases known through ~2025-10-08"),
        "{hybrid}"
    );
    assert!(hybrid.contains("1.2.0.11008"), "{hybrid}");
    assert!(!hybrid.contains("AzureLocal"), "{hybrid}");
}
