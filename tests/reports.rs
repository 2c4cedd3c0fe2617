//! The report formats, waivers, `--fail-within`, `--report FORMAT=FILE`,
//! completions and the man page, through the built binary. Every run pins
//! `--as-of`; nothing touches the network.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, akspol};

use std::path::Path;

use serde_json::Value;

const CONTOSO: &str = "fixtures/examples/contoso.json";
const AS_OF: &str = "2026-11-23";

/// Runs `check` on `inventory` with extra args; returns (stdout, stderr, exit code).
fn check(inventory: &str, args: &[&str]) -> (String, String, i32) {
    let output = akspol()
        .args(["check", inventory, "--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        without_catalog_age(&String::from_utf8(output.stderr).unwrap()),
        output.status.code().unwrap(),
    )
}

/// Standard error without the warning every run with the embedded catalog
/// gets on AS_OF (its AKS hybrid facts end in October 2025).
fn without_catalog_age(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("warning: the catalog in use (embedded) knows AKS hybrid releases up to ~2025-10-08"))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn without_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/reports");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(format!("{CONTOSO} as of {AS_OF}"));
    settings.bind(|| insta::assert_snapshot!(name, without_version(text)));
}

// ---------------------------------------------------------------------------
// One rich fixture in every format.

#[test]
fn contoso_in_every_format() {
    for format in [
        "table",
        "json",
        "markdown",
        "sarif",
        "junit",
        "github",
        "openmetrics",
    ] {
        let (stdout, stderr, code) = check(CONTOSO, &["--format", format]);
        assert_eq!(code, 1, "{format}: contoso is unsupported\n{stderr}");
        // Standard error says why, and nothing else.
        assert!(!stderr.is_empty(), "{format}: no reason on standard error");
        assert!(
            stderr.lines().all(|l| l.starts_with("exit 1: ")),
            "{format}: {stderr}"
        );
        snapshot(&format!("contoso-{format}"), &stdout);
    }
}

// ---------------------------------------------------------------------------
// SARIF

fn sarif_of(inventory: &str) -> Value {
    let (stdout, _, _) = check(inventory, &["--format", "sarif"]);
    serde_json::from_str(&stdout).unwrap()
}

fn validate_sarif(sarif: &Value) {
    let schema_text =
        std::fs::read_to_string(common::repo().join("tests/schemas/sarif-schema-2.1.0.json"))
            .unwrap();
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let sarif = sarif_of(CONTOSO);
    validate_sarif(&sarif);
    // The schema must actually reject something: a result without a message.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("tests/schemas/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(!jsonschema::validator_for(&schema)
        .unwrap()
        .is_valid(&broken));
}

#[test]
fn sarif_lists_every_rule_and_points_at_the_right_lines() {
    let sarif = sarif_of(CONTOSO);
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), akspol::rules::RULES.len());
    let h22 = akspol::policy::edition::editions()
        .unwrap()
        .iter()
        .find(|e| e.id == "h22")
        .unwrap();
    for (rule, declared) in rules.iter().zip(akspol::rules::RULES) {
        assert_eq!(rule["id"], declared.code);
        assert_eq!(rule["name"], declared.name);
        // Contoso is judged against the 2022 page (h22): a rule it states
        // links its section there, one it does not state links nothing.
        match h22.rule(declared.code) {
            Some(stated) => {
                assert_eq!(rule["helpUri"], stated.url.as_str(), "{}", declared.code);
                assert_eq!(rule["properties"]["policySection"], stated.section.as_str());
            }
            None => {
                assert!(rule.get("helpUri").is_none(), "{}", declared.code);
                assert!(rule["help"]["text"]
                    .as_str()
                    .unwrap()
                    .contains("Policy: not stated by h22 (the rule did not run)"));
            }
        }
        // Issue 25: the short description is the rule's summary, one
        // sentence of at most 100 characters; the full one carries the rest.
        let short = rule["shortDescription"]["text"].as_str().unwrap();
        assert_eq!(short, declared.summary().replace('`', ""));
        assert!(short.chars().count() <= 100, "{short}");
        assert!(short.ends_with('.'), "{short}");
        assert!(!short.trim_end_matches('.').contains(". "), "{short}");
        assert!(!short.starts_with("That"), "{short}");
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(full.starts_with("What it checks:\n"), "{full}");
        assert!(!full.contains("## ") && !full.contains('`'), "{full}");
        // The whole explanation, "How to fix" included.
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(
            markdown.starts_with(&format!("{}\n\n## What it checks\n", declared.summary())),
            "{markdown}"
        );
        assert!(rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("How to fix:"));
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        let expected = match declared.worst.severity() {
            2 => "error",
            1 => "warning",
            _ => "note",
        };
        assert_eq!(level, expected, "{}", declared.code);
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(!tags.is_empty() && tags.len() <= 10, "GitHub keeps 10 tags");
    }

    let text = std::fs::read_to_string(common::repo().join(CONTOSO)).unwrap();
    let deployment = line_of(&text, "\"deployment\": {");
    let prod_east = line_of(&text, "\"name\": \"prod-east\"") - 1;
    let lab_west = line_of(&text, "\"name\": \"lab-west\"") - 1;
    let node = line_of(&text, "\"name\": \"moc-lx9b1\"") - 1;

    let results = run["results"].as_array().unwrap();
    let found: Vec<(String, String, String, u64)> = results
        .iter()
        .map(|r| {
            let location = &r["locations"][0];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
                location["logicalLocations"][0]["fullyQualifiedName"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                location["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    let expected = [
        ("F002", "warning", "deployment", deployment),
        ("V002", "warning", "deployment", deployment),
        ("V003", "error", "deployment", deployment),
        ("V004", "error", "deployment", deployment),
        ("V005", "error", "deployment", deployment),
        ("C001", "note", "cluster/prod-east", prod_east),
        ("M005", "note", "cluster/prod-east", prod_east),
        ("C003", "warning", "node/prod-east/moc-lx9b1", node),
        ("M002", "error", "node/prod-east/moc-lx9b1", node),
        ("V007", "error", "node/prod-east/moc-lx9b1", node),
        ("F001", "error", "cluster/lab-west", lab_west),
        ("S001", "error", "cluster/lab-west", lab_west),
    ];
    let expected: Vec<(String, String, String, u64)> = expected
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), *d))
        .collect();
    assert_eq!(found, expected);
    for r in results {
        let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], CONTOSO);
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        // The rule index points at the rule.
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    // Fingerprints are stable per (rule, scope) and distinct.
    let mut prints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["akspolFinding/v2"]
                .as_str()
                .unwrap()
        })
        .collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), results.len());
    assert_eq!(sarif_of(CONTOSO), sarif);
}

#[test]
fn sarif_from_stdin_uses_the_stdin_uri() {
    let text = std::fs::read_to_string(common::repo().join(CONTOSO)).unwrap();
    let output = akspol()
        .args(["check", "-", "--as-of", AS_OF, "--format", "sarif"])
        .write_stdin(text)
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    validate_sarif(&sarif);
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "stdin"
        );
    }
}

#[test]
fn sarif_for_a_node_only_in_node_list_points_at_its_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{
  "schemaVersion": 1,
  "deployment": { "name": "d", "version": "1.0.24.11029" },
  "clusters": [
    {
      "name": "c",
      "kubernetesVersion": "1.28.5",
      "nodeList": {
        "kind": "List",
        "items": [
          { "kind": "Node", "metadata": { "name": "n1" },
            "status": { "nodeInfo": { "kubeletVersion": "v1.24.17", "kubeProxyVersion": "v1.24.17" } } }
        ]
      }
    }
  ]
}
"#;
    let path = dir.path().join("inv.json");
    std::fs::write(&path, text).unwrap();
    let sarif = sarif_of(path.to_str().unwrap());
    validate_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let v007 = results
        .iter()
        .find(|r| r["ruleId"] == "V007")
        .expect("V007 fires on n1");
    assert_eq!(
        v007["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
}

// ---------------------------------------------------------------------------
// JUnit

#[test]
fn junit_parses_as_xml_with_one_case_per_rule_and_scope() {
    let (stdout, _, _) = check(CONTOSO, &["--format", "junit"]);
    let doc = roxmltree::Document::parse(&stdout).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.attribute("name"), Some("contoso-edge-042"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(
        failed,
        [
            "V003 support-window [deployment]",
            "V004 release-availability [deployment]",
            "V005 upgrade-path [deployment]",
            "M002 out-of-band-changes [node/prod-east/moc-lx9b1]",
            "V007 version-skew [node/prod-east/moc-lx9b1]",
            "F001 alpha-features [cluster/lab-west]",
            "S001 stopped-cluster [cluster/lab-west]"
        ]
    );
    assert_eq!(suite.attribute("failures"), Some("7"));
    let skipped = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
        .count();
    assert_eq!(skipped, 13);
    assert_eq!(suite.attribute("skipped"), Some("13"));
    // Every (rule, scope) is one case.
    let mut names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    let total = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), total);
}

#[test]
fn junit_marks_waived_findings_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write_waivers(
        dir.path(),
        r#"[{"rule": "V003", "scope": "deployment", "reason": "upgrade booked <&>", "expires": "2026-12-31"}]"#,
    );
    let (stdout, _, _) = check(CONTOSO, &["--format", "junit", "--waivers", &waivers]);
    let doc = roxmltree::Document::parse(&stdout).unwrap();
    let case = doc
        .descendants()
        .find(|n| n.attribute("name") == Some("V003 support-window [deployment]"))
        .unwrap();
    let skipped = case.children().find(|n| n.has_tag_name("skipped")).unwrap();
    assert!(skipped
        .attribute("message")
        .unwrap()
        .contains("waived until 2026-12-31: upgrade booked <&>"));
    assert!(!case.children().any(|n| n.has_tag_name("failure")));
}

// ---------------------------------------------------------------------------
// GitHub workflow commands

#[test]
fn github_lines_have_the_documented_shape() {
    let (stdout, _, _) = check(CONTOSO, &["--format", "github"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        15,
        "the verdict, why exit 1, the catalog's age, and one line per finding that is not pass or skip"
    );
    assert_eq!(
        lines[0],
        "::notice title=akspol%3A unsupported::contoso-edge-042: unsupported (7 fail, 3 warn, 11 pass, 2 info, 13 skip)"
    );
    assert!(
        lines[1].starts_with("::error title=akspol%3A exit 1::V003 support-window fails on deployment (--fail-on fail)%0A"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("::warning title=akspol%3A catalog too old::the catalog in use (embedded) knows AKS hybrid releases up to ~2025-10-08, 411 days before the as-of date 2026-11-23 (more than 120)"),
        "{}",
        lines[2]
    );
    assert!(lines.contains(
        &"::error file=fixtures/examples/contoso.json,line=4,title=V003 support-window::deployment: fail: 635 days behind: the first newer release, 1.0.25.10226, came out on ~2025-02-26; more than 60 days behind: out of support"
    ), "{stdout}");
    for line in &lines[3..] {
        let (command, rest) = line.strip_prefix("::").unwrap().split_once(' ').unwrap();
        assert!(matches!(command, "error" | "warning" | "notice"), "{line}");
        let (properties, message) = rest.split_once("::").unwrap();
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(keys, ["file", "line", "title"], "{line}");
        assert!(!message.is_empty());
    }
}

#[test]
fn github_says_the_catalog_is_too_old_as_an_annotation_not_twice() {
    let run = |args: &[&str]| {
        let output = akspol()
            .args(["check", CONTOSO, "--as-of", AS_OF, "--format", "github"])
            .args(args)
            .output()
            .unwrap();
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (stdout, stderr) = run(&[]);
    assert_eq!(
        stdout
            .matches("::warning title=akspol%3A catalog too old::")
            .count(),
        1,
        "{stdout}"
    );
    assert!(!stderr.contains("catalog in use"), "{stderr}");
    // Within the line's cadence (a day after its newest fact): nothing said.
    let output = akspol()
        .args([
            "check",
            CONTOSO,
            "--as-of",
            "2025-10-09",
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("catalog too old"), "{stdout}");
}

#[test]
fn github_output_cannot_be_injected_from_the_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let mut inventory: Value =
        serde_json::from_str(&std::fs::read_to_string(common::repo().join(CONTOSO)).unwrap())
            .unwrap();
    inventory["clusters"][0]["name"] =
        Value::from("prod,east:100%\r\n::error file=forged.json,line=1::forged\n");
    let path = dir.path().join("evil, name:1.json");
    std::fs::write(&path, serde_json::to_string_pretty(&inventory).unwrap()).unwrap();
    let (stdout, _, code) = check(path.to_str().unwrap(), &["--format", "github"]);
    assert_eq!(code, 1);
    // The verdict, why exit 1 and the catalog's age; then the findings.
    for line in stdout.lines().skip(3) {
        assert!(line.starts_with("::"), "{line}");
        assert!(!line.contains('\r'));
        // The file property is escaped, so the properties still split cleanly.
        let properties = line.split_once(' ').unwrap().1.split_once("::").unwrap().0;
        assert_eq!(properties.split(',').count(), 3, "{line}");
        assert!(properties.contains("evil%2C name%3A1.json"), "{line}");
    }
    assert_eq!(stdout.lines().count(), 15);
    assert!(stdout.contains("100%25"), "{stdout}");
    assert!(!stdout.lines().any(|l| l.starts_with("::error file=forged")));
}

// ---------------------------------------------------------------------------
// Markdown

#[test]
fn markdown_has_facts_findings_advice_and_coverage() {
    let (stdout, _, _) = check(CONTOSO, &["--format", "markdown"]);
    for needle in [
        "## contoso-edge-042",
        "| Installed release | 1.0.24.11029 |",
        "| Host platform | WindowsServer 2022 Datacenter |",
        "| As of | 2026-11-23 |",
        "| Verdict | **unsupported**",
        "### Findings",
        "\\~2026-12-02 (in 9 days), V008 host-platform on deployment: WindowsServer 2022 leaves support in 90 days",
        "### Upgrade advice",
        "`akspol plan fixtures/examples/contoso.json`",
        "### Support coverage",
        "istio 1.22.1 (third-party open source)",
        "scanner-pro 5.2 (third-party closed source)",
        "privileged daemon set ops/sysctl-tuner",
        "preview feature arc-gateway",
    ] {
        assert!(stdout.contains(needle), "missing `{needle}`:\n{stdout}");
    }
    // Not passing first.
    let first_row = stdout
        .lines()
        .skip_while(|l| !l.starts_with("| Status |"))
        .nth(2)
        .unwrap();
    assert!(first_row.starts_with("| **fail** |"), "{first_row}");
}

#[test]
fn markdown_escapes_inventory_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut inventory: Value =
        serde_json::from_str(&std::fs::read_to_string(common::repo().join(CONTOSO)).unwrap())
            .unwrap();
    inventory["clusters"][0]["name"] = Value::from("a|b<script>\u{1b}[2J");
    let path = dir.path().join("inv.json");
    std::fs::write(&path, serde_json::to_string(&inventory).unwrap()).unwrap();
    let (stdout, _, _) = check(path.to_str().unwrap(), &["--format", "markdown"]);
    assert!(!stdout.contains('\u{1b}'));
    assert!(!stdout.contains("<script>"));
    assert!(stdout.contains("a\\|b\\<script\\>"), "{stdout}");
    // Every table row still has its five cells.
    for row in stdout.lines().filter(|l| l.contains("cluster/a")) {
        assert_eq!(row.matches(" | ").count(), 4, "{row}");
    }

    // Issue 12, item 15: @mentions and bare URLs stay inert (code spans), and
    // zero-width and tag characters do not pass through.
    inventory["clusters"][0]["name"] =
        Value::from("@octocat https://evil.example/x|y www.evil.example pr\u{200B}od\u{E0041}");
    std::fs::write(&path, serde_json::to_string(&inventory).unwrap()).unwrap();
    let (stdout, _, _) = check(path.to_str().unwrap(), &["--format", "markdown"]);
    assert!(
        stdout.contains(
            "`@octocat` `https://evil.example/x`&#124;`y` `www.evil.example` pr\u{FFFD}od\u{FFFD}"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains(" @octocat"), "{stdout}");
    assert!(!stdout.contains('\u{200B}') && !stdout.contains('\u{E0041}'));
    for row in stdout.lines().filter(|l| l.contains("cluster/`@octocat`")) {
        assert_eq!(row.matches(" | ").count(), 4, "{row}");
    }
}

// ---------------------------------------------------------------------------
// Several reports from one run

#[test]
fn one_run_writes_a_log_and_several_files() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("akspol.sarif");
    let junit = dir.path().join("junit.xml");
    let (stdout, stderr, code) = check(
        CONTOSO,
        &[
            "--format",
            "table",
            "--report",
            &format!("sarif={}", sarif.display()),
            "--report",
            &format!("junit={}", junit.display()),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("verdict: unsupported"), "{stdout}");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    validate_sarif(&sarif);
    assert_eq!(sarif, sarif_of(CONTOSO));
    roxmltree::Document::parse(&std::fs::read_to_string(&junit).unwrap()).unwrap();
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn output_writes_any_format_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    let (stdout, _, code) = check(
        CONTOSO,
        &["--format", "markdown", "--output", out.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let (direct, _, _) = check(CONTOSO, &["--format", "markdown"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), direct);
}

#[test]
fn a_bad_report_spec_is_a_usage_error() {
    for spec in ["sarif", "xml=out.xml", "sarif="] {
        let (_, stderr, code) = check(CONTOSO, &["--report", spec]);
        assert_eq!(code, 2, "{spec}: {stderr}");
    }
}

// ---------------------------------------------------------------------------
// Waivers

fn write_waivers(dir: &Path, text: &str) -> String {
    let path = dir.join("waivers.json");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const WAIVE_ALL_FAILS: &str = r#"[
  { "rule": "V003", "scope": "deployment", "reason": "upgrade booked for 2026-12-05", "expires": "2026-12-15", "by": "ops@contoso.example" },
  { "rule": "V004", "scope": "deployment", "reason": "upgrade booked for 2026-12-05", "expires": "2026-12-15" },
  { "rule": "V005", "scope": "deployment", "reason": "upgrade booked for 2026-12-05", "expires": "2026-12-15" },
  { "rule": "V007", "scope": "node/prod-east/moc-lx9b1", "reason": "node replaced next week", "expires": "2026-11-23" },
  { "rule": "M002", "scope": "node/prod-east/moc-lx9b1", "reason": "node replaced next week", "expires": "2026-11-30" },
  { "rule": "F001", "scope": "cluster/lab-west", "reason": "lab experiment, deleted with the cluster", "expires": "2026-12-31" },
  { "rule": "S001", "scope": "cluster/lab-west", "reason": "lab cluster is being decommissioned", "expires": "2026-12-31" }
]"#;

#[test]
fn waived_findings_do_not_count_toward_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write_waivers(dir.path(), WAIVE_ALL_FAILS);
    let (stdout, stderr, code) = check(CONTOSO, &["--format", "json", "--waivers", &waivers]);
    assert_eq!(
        code, 0,
        "every fail is waived (expiring today still applies)\n{stderr}"
    );
    assert!(stderr.is_empty(), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let inventory = &report["inventories"][0];
    assert_eq!(inventory["verdict"], "at-risk");
    assert_eq!(inventory["summary"]["waived"], 7);
    assert_eq!(inventory["summary"]["fail"], 0);
    let v003 = inventory["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "V003")
        .unwrap();
    assert_eq!(v003["status"], "fail", "a waived finding keeps its status");
    assert_eq!(v003["waiver"]["expires"], "2026-12-15");
    assert_eq!(v003["waiver"]["by"], "ops@contoso.example");
    let states: Vec<&str> = report["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["applied"; 7]);

    // --fail-on warn still fails on the unwaived warn and unknowns.
    let (_, _, code) = check(CONTOSO, &["--waivers", &waivers, "--fail-on", "warn"]);
    assert_eq!(code, 1);
    // The table marks them.
    let (table, _, _) = check(CONTOSO, &["--waivers", &waivers]);
    assert!(table.contains("fail (waived)"), "{table}");
    assert!(table.contains("7 waived"), "{table}");
}

#[test]
fn expired_and_unmatched_waivers_are_reported_and_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write_waivers(
        dir.path(),
        r#"[
  { "rule": "V003", "scope": "deployment", "reason": "old", "expires": "2026-11-22" },
  { "rule": "V008", "scope": "deployment", "reason": "passes anyway", "expires": "2027-01-01" },
  { "rule": "V007", "scope": "node/prod-east/nope", "reason": "typo", "expires": "2027-01-01" }
]"#,
    );
    let (stdout, stderr, code) = check(CONTOSO, &["--format", "json", "--waivers", &waivers]);
    assert_eq!(code, 1, "nothing was waived");
    assert!(
        stderr.contains(":2:3: waiver for V003 deployment expired on 2026-11-22: not applied"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("matches no finding").count(), 2, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["inventories"][0]["summary"]["waived"], 0);
    let states: Vec<&str> = report["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["expired", "unmatched", "unmatched"]);
}

#[test]
fn an_invalid_waiver_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[\n  { \"rule\": \"V003\", \"scope\": \"deployment\", \"expires\": \"2027-01-01\" }\n]",
            ": [0]: missing field `reason`",
        ),
        (
            "[\n  { \"rule\": \"V003\", \"scope\": \"deployment\", \"reason\": \"r\" }\n]",
            ": [0]: missing field `expires`",
        ),
        (
            "[{ \"rule\": \"V003\", \"scope\": \"deployment\", \"reason\": \"r\", \"expires\": \"soon\" }]",
            "[0].expires: `soon` is not a date",
        ),
        (
            "[{ \"rule\": \"V003\", \"scope\": \"deployment\", \"reason\": \"r\", \"expires\": \"2027-01-01\", \"ticket\": 1 }]",
            "unknown field `ticket`",
        ),
    ];
    for (text, expected) in cases {
        let waivers = write_waivers(dir.path(), text);
        let (stdout, stderr, code) = check(CONTOSO, &["--waivers", &waivers]);
        assert_eq!(code, 2, "{text}: {stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains(expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
}

/// Issue 12, item 12: cluster `a/b` with node `c` and cluster `a` with node
/// `b/c` once shared the label `node/a/b/c`, so one waiver waived both and
/// their SARIF fingerprints collided. Names are escaped in labels now.
#[test]
fn scope_labels_cannot_collide() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("slashes.json");
    let node = |name: &str| {
        format!(
            r#"{{"name": "{name}", "role": "worker", "image": {{"version": "x", "published": false}}}}"#
        )
    };
    std::fs::write(
        &inventory,
        format!(
            r#"{{"schemaVersion": 1, "deployment": {{"name": "d", "version": "1.0.24.11029"}}, "clusters": [
  {{"name": "a/b", "kubernetesVersion": "1.28.5", "nodes": [{}]}},
  {{"name": "a", "kubernetesVersion": "1.28.5", "nodes": [{}]}}
]}}"#,
            node("c"),
            node("b/c")
        ),
    )
    .unwrap();
    let inventory = inventory.to_str().unwrap();
    let (stdout, stderr, _) = check(inventory, &["--format", "sarif", "--select", "M003"]);
    let sarif: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let scopes: Vec<&str> = results
        .iter()
        .map(|r| r["properties"]["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["node/a%2Fb/c", "node/a/b%2Fc"]);
    let prints: std::collections::HashSet<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["akspolFinding/v2"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(prints.len(), 2, "fingerprints collide: {prints:?}");

    // A waiver names exactly one of them.
    let waivers = write_waivers(
        dir.path(),
        r#"[{ "rule": "M003", "scope": "node/a%2Fb/c", "reason": "r", "expires": "2027-01-01" }]"#,
    );
    let (stdout, stderr, _) = check(
        inventory,
        &[
            "--format",
            "json",
            "--select",
            "M003",
            "--waivers",
            &waivers,
        ],
    );
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let waived: Vec<(&str, bool)> = report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| (f["scope"].as_str().unwrap(), !f["waiver"].is_null()))
        .collect();
    assert_eq!(waived, [("node/a%2Fb/c", true), ("node/a/b%2Fc", false)]);

    // The ambiguous spelling is refused.
    let ambiguous = write_waivers(
        dir.path(),
        r#"[{ "rule": "M003", "scope": "node/a/b/c", "reason": "r", "expires": "2027-01-01" }]"#,
    );
    let (_, stderr, code) = check(inventory, &["--waivers", &ambiguous]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("[0].scope: expected `deployment`"),
        "{stderr}"
    );
    assert!(stderr.contains("is written %2F"), "{stderr}");
}

// ---------------------------------------------------------------------------
// --fail-within

#[test]
fn fail_within_fails_when_a_deadline_is_near() {
    // Only V008: it passes, with a deadline on ~2026-12-02, 9 days after the
    // as-of date (AKS hybrid retires from WindowsServer 2022 on a day of
    // March 2027: the 90-day warning starts on 2026-12-02 at the earliest).
    let (_, _, code) = check(CONTOSO, &["--select", "V008"]);
    assert_eq!(code, 0);
    let (_, _, code) = check(CONTOSO, &["--select", "V008", "--fail-within", "8"]);
    assert_eq!(code, 0, "the deadline is 9 days away");
    let (_, _, code) = check(CONTOSO, &["--select", "V008", "--fail-within", "9"]);
    assert_eq!(code, 1, "the deadline is within 9 days");
    let (_, _, code) = check(
        CONTOSO,
        &[
            "--select",
            "V008",
            "--fail-within",
            "39",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(code, 1, "--fail-within is independent of --fail-on");
}

// ---------------------------------------------------------------------------
// Completions and the man page

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = akspol().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("check"), "{shell} completions mention check");
        assert!(
            text.contains("fail-within"),
            "{shell} completions know options"
        );
    }
    let ps = akspol()
        .args(["completions", "powershell"])
        .output()
        .unwrap();
    assert!(String::from_utf8(ps.stdout)
        .unwrap()
        .contains("Register-ArgumentCompleter"));
}

#[test]
fn manpage_is_roff() {
    let output = akspol().arg("manpage").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with(".ie") || text.contains("\n.TH "), "{text}");
    assert!(text.contains(".TH akspol"));
    assert!(text.contains("check"));
}

// ---------------------------------------------------------------------------
// Every format names the edition and how old the catalog is.

/// Issue 23, item 8: the Azure Local line's facts reach 2610, dated by the
/// month of its name: every format says "to the month".
#[test]
fn every_format_says_how_precise_knownthrough_is() {
    let arc = "fixtures/examples/azure-local.json";
    let run = |format: &str| {
        let output = akspol()
            .args(["check", arc, "--as-of", "2026-12-07", "--format", format])
            .env("COLUMNS", "200")
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let table = run("table");
    assert!(
        table.contains("known through 2026-10 (to the month, 37 to 67 days)"),
        "{table}"
    );
    let sentence = "Azure Local releases known through 2026-10 (to the month), 37 to 67 days before the as-of date";
    let markdown = run("markdown");
    assert!(markdown.contains(sentence), "{markdown}");
    let html = run("html");
    assert!(html.contains(sentence), "{html}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let line = &json["inventories"][0]["catalog"];
    assert_eq!(
        (
            &line["knownThrough"],
            &line["knownThroughPrecision"],
            &line["ageDays"],
            &line["ageDaysLeast"]
        ),
        (
            &serde_json::json!("2026-10"),
            &serde_json::json!("month"),
            &serde_json::json!(67),
            &serde_json::json!(37)
        )
    );
    // The AksHci line's is an estimated day.
    let hybrid = json["catalog"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product"] == "aks-hybrid")
        .unwrap();
    assert_eq!(hybrid["knownThroughPrecision"], "estimate");
    assert!(hybrid.get("ageDaysLeast").is_none());
}

#[test]
fn every_format_names_the_edition_and_the_catalog_age() {
    let (table, _, _) = check(CONTOSO, &[]);
    assert!(
        table.contains("policy h22, Support policies for AKS hybrid (2022)"),
        "{table}"
    );
    assert!(
        table
            .contains("catalog embedded, latest 1.2.0.11008, known through ~2025-10-08 (411 days)"),
        "{table}"
    );
    let (markdown, _, _) = check(CONTOSO, &["--format", "markdown"]);
    assert!(markdown.contains("| Policy edition | [Support policies for AKS hybrid (2022)](https://learn.microsoft.com/azure/aks/hybrid/support-policies) (`h22`, page of 2022-06-06) |"), "{markdown}");
    assert!(
        markdown.contains(
            "| Catalog facts | AKS hybrid releases known through \\~2025-10-08, 411 days"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("> note: a newer edition was in force"),
        "{markdown}"
    );
    let sarif = sarif_of(CONTOSO);
    let properties = &sarif["runs"][0]["properties"];
    assert_eq!(properties["policyEditions"][0]["edition"], "h22");
    let line = &properties["catalog"]["lines"][0];
    assert_eq!(
        (
            line["product"].as_str(),
            line["knownThrough"].as_str(),
            line["ageDays"].as_i64()
        ),
        (Some("aks-hybrid"), Some("2025-10-08"), Some(411))
    );
    let (junit, _, _) = check(CONTOSO, &["--format", "junit"]);
    for property in [
        r#"<property name="policyEdition" value="h22 (Support policies for AKS hybrid (2022))"/>"#,
        r#"<property name="catalogKnownThrough" value="~2025-10-08"/>"#,
        r#"<property name="catalogAgeDays" value="411"/>"#,
    ] {
        assert!(junit.contains(property), "{property}\n{junit}");
    }
}

#[test]
fn a_recent_catalog_judges_the_latest_release_as_before() {
    // The test catalog's newest fact is 2026-11-01: on 2026-11-23 it is 22 days old.
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("latest.json");
    std::fs::write(
        &inventory,
        r#"{"schemaVersion":1,"deployment":{"name":"e","version":"1.0.6.11101"}}"#,
    )
    .unwrap();
    let (stdout, stderr, _) = check(
        inventory.to_str().unwrap(),
        &[
            "--format",
            "json",
            "--catalog",
            "fixtures/catalogs/test.json",
        ],
    );
    assert!(stderr.is_empty(), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let inventory = &report["inventories"][0];
    assert_eq!(inventory["catalog"]["ageDays"], 22);
    assert_eq!(inventory["catalog"]["tooOld"], false);
    for f in inventory["findings"].as_array().unwrap() {
        if ["V002", "V003", "V004", "V005"].contains(&f["rule"].as_str().unwrap()) {
            assert_eq!(f["status"], "pass", "{f}");
        }
    }
}

// ---------------------------------------------------------------------------
// OpenMetrics for node_exporter's textfile collector.

/// A deployment's name is inventory text: in a label value its backslash,
/// double quote and newline are escaped and a terminal escape is made inert,
/// so the exposition still parses; the time to a deadline is whole days in
/// seconds, counted from the as-of date (day N and N+1).
#[test]
fn openmetrics_labels_are_escaped_and_deadlines_count_from_the_as_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("odd.json");
    let text = std::fs::read_to_string(common::repo().join(CONTOSO)).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["deployment"]["name"] = Value::from("we\"ird\\site\nnext\u{1b}[31m");
    std::fs::write(&inventory, value.to_string()).unwrap();
    let run = |as_of: &str| {
        let metrics = dir.path().join(format!("{as_of}.prom"));
        let output = akspol()
            .args(["check", "--as-of", as_of, "--format", "openmetrics", "-o"])
            .arg(&metrics)
            .arg(&inventory)
            .output()
            .unwrap();
        assert_ne!(output.status.code(), Some(2), "{output:?}");
        (std::fs::read_to_string(&metrics).unwrap(), metrics)
    };
    let (exposition, metrics) = run(AS_OF);
    let label = r#"deployment="we\"ird\\site\nnext�[31m""#;
    assert!(
        exposition.contains(&format!("akspol_deployment_verdict{{{label},")),
        "{exposition}"
    );
    assert!(!exposition.contains('\u{1b}'));
    assert!(exposition.ends_with("# EOF\n"));
    common::promtool_accepts(&metrics);
    let next = |exposition: &str| -> i64 {
        exposition
            .lines()
            .find(|l| l.starts_with("akspol_deployment_next_deadline_seconds{"))
            .and_then(|l| l.rsplit(' ').next())
            .unwrap()
            .parse()
            .unwrap()
    };
    let today = next(&exposition);
    assert_eq!(today % 86_400, 0, "{today}");
    // A day later the same deadline is a day nearer.
    let (later, _) = run("2026-11-24");
    assert_eq!(next(&later), today - 86_400);
}

// ---------------------------------------------------------------------------
// Issue 25, item 6: each finding links to its edition's page.

/// Every `https://learn.microsoft.com/...` URL in `text`.
fn learn_urls(text: &str) -> Vec<String> {
    const START: &str = "https://learn.microsoft.com/";
    let mut urls = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || "\"'<>()`\\|".contains(c))
            .unwrap_or(tail.len());
        urls.push(tail[..end].trim_end_matches(['.', ',', ';']).to_string());
        rest = &tail[end..];
    }
    urls
}

/// The Azure Local example in every format, its step summary and `explain
/// --policy-edition al25` of every rule: each link is to the Azure Local
/// page or a page its rules cite, never to the 2022 AKS hybrid page or the
/// Windows Server one.
#[test]
fn every_format_of_an_azure_local_run_links_only_to_azure_local_pages() {
    let arc = "fixtures/examples/azure-local.json";
    let al25 = akspol::policy::edition::editions()
        .unwrap()
        .iter()
        .find(|e| e.id == "al25")
        .unwrap();
    let page = |url: &str| url.split('#').next().unwrap_or(url).to_string();
    let mut allowed: Vec<String> = al25.rules.iter().map(|r| page(&r.url)).collect();
    allowed.push(al25.page.url.clone());
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let mut outputs: Vec<(String, String)> = Vec::new();
    for format in [
        "table", "json", "markdown", "sarif", "junit", "github", "html",
    ] {
        let output = akspol()
            .args(["check", arc, "--as-of", "2026-03-01", "--format", format])
            .env("COLUMNS", "200")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        outputs.push((
            format.to_string(),
            String::from_utf8(output.stdout).unwrap(),
        ));
    }
    outputs.push((
        "step summary".to_string(),
        std::fs::read_to_string(&summary).unwrap(),
    ));
    for stated in &al25.rules {
        let output = akspol()
            .args(["explain", &stated.code, "--policy-edition", "al25"])
            .output()
            .unwrap();
        assert!(output.status.success(), "explain {}", stated.code);
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(&format!("<{}>", stated.url)), "{text}");
        outputs.push((format!("explain {}", stated.code), text));
    }
    let mut problems = Vec::new();
    let mut seen = 0;
    for (name, text) in &outputs {
        for url in learn_urls(text) {
            seen += 1;
            if url.contains("/aks/hybrid/") || !allowed.contains(&page(&url)) {
                problems.push(format!("{name}: {url}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(seen > 50, "only {seen} links");
    // Each format that links findings links C002's (a warning) to its section.
    for (name, text) in outputs
        .iter()
        .filter(|(name, _)| ["json", "markdown", "sarif", "html"].contains(&name.as_str()))
    {
        assert!(
            text.contains("https://learn.microsoft.com/azure/aks/aksarc/aks-on-azure-local-support-policy#aks-arc-support-coverage"),
            "{name} does not link C002's section on the Azure Local page"
        );
    }

    let html = &outputs[6].1;
    // The header names the Azure Local line of the catalog, not the AksHci one.
    let header = html
        .lines()
        .find(|l| l.starts_with("<p class=\"sub\">"))
        .unwrap();
    assert!(
        header.contains("(Azure Local releases: latest "),
        "{header}"
    );
    assert!(!header.contains("1.2.0.11008"), "{header}");
    // C002's folded explanation is the Azure Local page's: Calico alone.
    let c002 = html
        .split("<details")
        .find(|d| d.contains("C002 cni") && d.contains("flannel is not Calico"))
        .unwrap();
    assert!(!c002.contains("Flannel and Calico"), "{c002}");
    assert!(c002.contains("Calico CNI alone"), "{c002}");
    assert!(
        c002.contains("<code>akspol explain C002 --policy-edition al25</code>"),
        "{c002}"
    );
}

/// A fleet of both lines: each rule failing most links the page of each
/// edition it was judged under, and SARIF gives a rule stated by both no
/// single `helpUri` (each result has its own `policyUrl`).
#[test]
fn a_fleet_of_both_lines_links_each_edition() {
    let arc = "fixtures/examples/azure-local.json";
    let output = akspol()
        .args([
            "check",
            CONTOSO,
            arc,
            "--as-of",
            "2026-03-01",
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    let s001 = html
        .lines()
        .find(|l| l.starts_with("<tr><td>S001 stopped-cluster</td>"))
        .unwrap();
    assert!(
        s001.contains("https://learn.microsoft.com/azure/aks/hybrid/support-policies#stopped-or-disconnected-clusters")
            && s001.contains("https://learn.microsoft.com/azure/aks/aksarc/aks-on-azure-local-support-policy#stopped-or-disconnected-aks-arc-clusters"),
        "{s001}"
    );
    let header = html
        .lines()
        .find(|l| l.starts_with("<p class=\"sub\">"))
        .unwrap();
    assert!(
        header.contains("AKS hybrid releases: latest ")
            && header.contains("Azure Local releases: latest "),
        "{header}"
    );
    let output = akspol()
        .args([
            "check",
            CONTOSO,
            arc,
            "--as-of",
            "2026-03-01",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = |code: &str| rules.iter().find(|r| r["id"] == code).unwrap();
    assert!(rule("S001").get("helpUri").is_none());
    let help = rule("S001")["help"]["text"].as_str().unwrap();
    assert!(
        help.contains("h22: Stopped or disconnected clusters <https://learn.microsoft.com/azure/aks/hybrid/support-policies#stopped-or-disconnected-clusters>")
            && help.contains("al25: Stopped or disconnected AKS Arc clusters <"),
        "{help}"
    );
    // V003 is the 2022 page's alone.
    assert_eq!(
        rule("V003")["helpUri"],
        "https://learn.microsoft.com/azure/aks/hybrid/support-policies#supported-version-policy"
    );
    validate_sarif(&sarif);
}
