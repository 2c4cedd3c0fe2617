//! `akspol collect` on the built binary: saved outputs in the documented
//! shapes (`fixtures/collect/*/README.txt` say where each shape comes from)
//! give the inventory a person would write by hand; the commands it runs are
//! pasteable; and the runner, against stand-in executables this test writes
//! and puts first on PATH, survives what real commands do (fail, hang,
//! print too much or print garbage) without stopping the other sources.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, akspol};

use std::path::Path;

use serde_json::Value;

const AS_OF: &str = "2026-11-23";
const AT: &str = "2026-11-20T09:30:00Z";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// `collect --from DIR` (with more arguments): stdout, stderr.
fn collect_from(dir: &str, more: &[&str]) -> (String, String) {
    let out = akspol()
        .args(["collect", "--from", dir, "--collected-at", AT])
        .args(more)
        .assert()
        .code(0)
        .get_output()
        .clone();
    (text(&out.stdout), text(&out.stderr))
}

/// `check --format json` of an inventory given as text on standard input.
fn check_stdin(inventory: &str) -> Value {
    let out = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json", "-"])
        .write_stdin(inventory)
        .assert()
        .get_output()
        .clone();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What a verdict is made of: the verdict, and each finding's rule, scope and status.
fn verdict_of(report: &Value) -> (String, Vec<(String, String, String)>) {
    let inventory = &report["inventories"][0];
    let mut findings: Vec<(String, String, String)> = inventory["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["scope"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    findings.sort();
    (inventory["verdict"].as_str().unwrap().to_string(), findings)
}

fn hand_written(name: &str) -> String {
    std::fs::read_to_string(common::repo().join("fixtures/collect").join(name)).unwrap()
}

#[test]
fn saved_outputs_of_an_akshci_host_give_the_hand_written_verdict() {
    let (inventory, _) = collect_from("fixtures/collect/akshci-host", &[]);
    let collected = verdict_of(&check_stdin(&inventory));
    let expected = verdict_of(&check_stdin(&hand_written("akshci-host.inventory.json")));
    assert_eq!(collected, expected);
    assert_eq!(collected.0, "unsupported");
    assert!(collected.1.contains(&(
        "V007".into(),
        "node/akswc1/moc-l36c6vu97d5".into(),
        "fail".into()
    )));
}

#[test]
fn check_on_the_directory_judges_the_same_inventory() {
    let out = akspol()
        .args([
            "check",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "fixtures/collect/akshci-host",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["inventories"][0]["source"],
        "fixtures/collect/akshci-host"
    );
    let expected = verdict_of(&check_stdin(&hand_written("akshci-host.inventory.json")));
    assert_eq!(verdict_of(&report), expected);
    // A clean bundle warns of nothing: standard error holds the account of
    // its files (as `collect --from` prints it), why exit 1 and how old the
    // embedded catalog is.
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("fixtures/collect/akshci-host: 9 files (8 read, 1 ignored):\n  Get-AksHciCluster.json: read as Get-AksHciCluster\n"),
        "{stderr}"
    );
    assert!(
        stderr.lines().all(|l| l.starts_with("exit 1: ")
            || l.starts_with("warning: the catalog in use")
            || l.starts_with("fixtures/collect/akshci-host: 9 files")
            || l.starts_with("  ")),
        "{stderr}"
    );
    // A directory of inventories is still a directory of inventories, and
    // both kinds can be judged in one run.
    let both = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json"])
        .args(["fixtures/collect/akshci-host", "fixtures/examples"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let both: Value = serde_json::from_slice(&both.stdout).unwrap();
    assert_eq!(
        common::sources_of(&both),
        [
            "fixtures/collect/akshci-host",
            "fixtures/examples/azure-local.json",
            "fixtures/examples/contoso.json"
        ]
    );
}

/// Issue 25, item 2: `check DIR` on Azure Local outputs said to give
/// `--deployment-version`, which `check` rejected; two steps through
/// `collect --from` were the only way. `check` takes the facts outputs
/// cannot carry, for saved outputs only, and judges them in one step.
#[test]
fn azure_local_saved_outputs_are_judged_by_check_in_one_step() {
    let dir = "fixtures/collect/azure-local";
    let without = akspol()
        .args(["check", "--as-of", AS_OF, dir])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = text(&without.stderr);
    assert!(
        stderr.contains("give it with --deployment-version"),
        "{stderr}"
    );
    let out = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json"])
        .args(["--deployment-version", "2510", "--collected-at", AT, dir])
        .assert()
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = verdict_of(&check_stdin(&hand_written("azure-local.inventory.json")));
    assert_eq!(verdict_of(&report), expected, "{}", text(&out.stderr));
    // The same as the two steps, with the same options.
    let (inventory, _) = collect_from(dir, &["--deployment-version", "2510"]);
    assert_eq!(verdict_of(&check_stdin(&inventory)), expected);
    // --deployment-name and --product reach the inventory made.
    let named = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json"])
        .args(["--deployment-version", "2510", "--product", "aks-arc"])
        .args(["--deployment-name", "edge-07", dir])
        .assert()
        .get_output()
        .clone();
    let named: Value = serde_json::from_slice(&named.stdout).unwrap();
    assert_eq!(named["inventories"][0]["deployment"], "edge-07");
    assert_eq!(named["inventories"][0]["product"], "aks-arc");
    // Options for saved outputs, with none given, are refused; so is one
    // deployment name for two folders.
    for (args, expected) in [
        (
            vec!["--deployment-version", "2510", "fixtures/examples/azure-local.json"],
            "--deployment-version gives facts of saved command outputs (a folder or zip of Get-AksHci*, az aksarc or kubectl outputs), and none is given",
        ),
        (
            vec!["--product", "aks-arc", "--collected-at", "2026-11-20", "fixtures/examples"],
            "--product, --collected-at give facts of saved command outputs",
        ),
        (
            vec!["--deployment-name", "x", dir, "fixtures/collect/akshci-host"],
            "--deployment-name names one deployment, and 2 folders or zips of saved outputs are given",
        ),
    ] {
        let out = akspol()
            .args(["check", "--as-of", AS_OF])
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The saved outputs of `fixtures/collect/akshci-host` under other names, as
/// a user who read the documented shapes might save them: some one letter
/// off, some named after what they hold. `keep` are kept under their names.
fn misnamed_folder(keep: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = common::repo().join("fixtures/collect/akshci-host");
    for name in keep {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    for (name, saved_as) in [
        ("Get-AksHciCluster.json", "Get-AksHciClusters.json"),
        ("Get-AksHciCluster.json", "clusters.json"),
        ("kubectl-get-nodes-akswc1.json", "akswc1-nodes.json"),
    ] {
        std::fs::copy(from.join(name), dir.path().join(saved_as)).unwrap();
    }
    dir
}

/// The lines of the account of a folder's files, from its title on.
fn account(stderr: &str, title: &str) -> Vec<String> {
    let mut lines = stderr.lines().skip_while(|l| !l.ends_with(title));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no `{title}` in {stderr}"));
    std::iter::once(first.rsplit_once(": ").map_or(first, |(_, t)| t))
        .chain(lines.take_while(|l| l.starts_with("  ")))
        .map(str::to_string)
        .collect()
}

/// Issue 25, item 1: a folder with `Get-AksHciClusters.json` (one letter
/// off), `clusters.json` and `akswc1-nodes.json` gave `verdict: unsupported`
/// with nothing said of the files ignored nor of the clusters not judged;
/// with no correctly named file at all, each saved output was read as an
/// inventory and failed. Every file is accounted for, alike by `check` and
/// `collect --from`, with the name each was meant to have; the deployment
/// judged with no cluster is a warning in every format.
#[test]
fn a_misnamed_files_folder_is_accounted_for_and_warned_of() {
    let dir = misnamed_folder(&["Get-AksHciVersion.txt", "Get-AksHciConfig.json"]);
    let path = dir.path().to_str().unwrap();
    let check = akspol()
        .args(["check", "--as-of", AS_OF, path])
        .assert()
        .get_output()
        .clone();
    let check_err = text(&check.stderr);
    let collect = akspol()
        .args(["collect", "--from", path])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let collect_err = text(&collect.stderr);
    let title = "5 files (2 read, 3 ignored):";
    let expected = [
        title,
        "  akswc1-nodes.json: ignored (the output of kubectl get nodes, by its content, under a name akspol does not read: did you mean kubectl-get-nodes-akswc1.json?)",
        "  clusters.json: ignored (the output of Get-AksHciCluster, by its content, under a name akspol does not read: did you mean Get-AksHciCluster.json?)",
        "  Get-AksHciClusters.json: ignored (the output of Get-AksHciCluster, by its content, under a name akspol does not read: did you mean Get-AksHciCluster.json?)",
        "  Get-AksHciConfig.json: read as Get-AksHciConfig",
        "  Get-AksHciVersion.txt: read as Get-AksHciVersion",
    ];
    assert_eq!(account(&check_err, title), expected, "{check_err}");
    assert_eq!(account(&collect_err, title), expected, "{collect_err}");
    let warning = "no cluster was judged: files that hold clusters were not read, under names akspol does not read: akswc1-nodes.json (as kubectl-get-nodes-akswc1.json), clusters.json (as Get-AksHciCluster.json), Get-AksHciClusters.json (as Get-AksHciCluster.json); the verdict covers the deployment alone";
    assert!(
        collect_err.contains(&format!("warning: {warning}")),
        "{collect_err}"
    );
    assert!(
        check_err.contains(&format!("warning: {path}: {warning}")),
        "{check_err}"
    );
    // The warning is in every format, beside the verdict.
    for format in [
        "table", "json", "markdown", "html", "sarif", "junit", "github",
    ] {
        let out = akspol()
            .args(["check", "--as-of", AS_OF, "--format", format, path])
            .env("COLUMNS", "1000")
            .assert()
            .get_output()
            .clone();
        let report = text(&out.stdout);
        assert!(report.contains(warning), "{format}: {report}");
    }
    let json = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json", path])
        .assert()
        .get_output()
        .clone();
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    // A report with notices is one `akspol schema report` describes.
    let schema: Value = serde_json::from_str(akspol::report::json::REPORT_SCHEMA).unwrap();
    let problems: Vec<String> = jsonschema::validator_for(&schema)
        .unwrap()
        .iter_errors(&json)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let notices = json["inventories"][0]["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(notices[0]
        .as_str()
        .unwrap()
        .contains("3 saved command outputs under names akspol does not read"));

    // With no correctly named file, the folder is saved outputs whose names
    // are wrong, and said so: never each file read as an inventory.
    let dir = misnamed_folder(&[]);
    let path = dir.path().to_str().unwrap();
    for command in [
        vec!["check", "--as-of", AS_OF, path],
        vec!["collect", "--from", path],
    ] {
        let out = akspol()
            .args(&command)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("saved command outputs under names akspol does not read, so none is read: rename akswc1-nodes.json to kubectl-get-nodes-akswc1.json, clusters.json to Get-AksHciCluster.json, Get-AksHciClusters.json to Get-AksHciCluster.json"),
            "{command:?}: {stderr}"
        );
        assert!(
            !stderr.contains("expected an inventory"),
            "{command:?}: {stderr}"
        );
        assert_eq!(
            account(&stderr, "3 files (3 ignored):").len(),
            4,
            "{stderr}"
        );
    }
    // A folder of inventories is still read as inventories.
    akspol()
        .args(["check", "--as-of", AS_OF, "fixtures/examples"])
        .assert()
        .code(1);
}

/// A deployment whose outputs name clusters none of which can be made (no
/// output gives their Kubernetes version) is not a quiet pass either.
#[test]
fn clusters_named_but_not_made_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let from = common::repo().join("fixtures/collect/akshci-host");
    for name in ["Get-AksHciVersion.txt", "Get-AksHciNodePool.json"] {
        std::fs::copy(from.join(name), dir.path().join(name)).unwrap();
    }
    let out = akspol()
        .args(["check", "--as-of", "2025-01-10", "--format", "json"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let notices = report["inventories"][0]["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].as_str().unwrap().ends_with("no cluster was judged: the outputs name clusters akswc1, akswc2, but no output read gives their Kubernetes version, which a cluster needs (Get-AksHciCluster.json, az-aksarc-show-<cluster>.json, kubectl-version-<cluster>.json or kubectl-get-nodes-<cluster>.json); the verdict covers the deployment alone"),
        "{notices:?}"
    );
    let sarif = akspol()
        .args(["check", "--as-of", "2025-01-10", "--format", "sarif"])
        .arg(dir.path())
        .assert()
        .get_output()
        .clone();
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let notifications = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notifications.len(), 1);
    assert_eq!(notifications[0]["level"], "warning");
}

#[test]
fn saved_outputs_of_an_azure_local_cluster_give_the_hand_written_verdict() {
    let (inventory, _) = collect_from(
        "fixtures/collect/azure-local",
        &["--deployment-version", "2510"],
    );
    let collected = verdict_of(&check_stdin(&inventory));
    let expected = verdict_of(&check_stdin(&hand_written("azure-local.inventory.json")));
    assert_eq!(collected, expected);
}

#[test]
fn the_inventories_collected_from_saved_outputs() {
    let (akshci, akshci_summary) = collect_from("fixtures/collect/akshci-host", &[]);
    insta::assert_snapshot!("collect_akshci_host_inventory", akshci);
    insta::assert_snapshot!("collect_akshci_host_summary", akshci_summary);
    // The Azure Local mapping, checked as the inventory it makes (check
    // cannot judge it before the aks-arc product line lands).
    let (arc, arc_summary) = collect_from(
        "fixtures/collect/azure-local",
        &["--deployment-version", "2510"],
    );
    insta::assert_snapshot!("collect_azure_local_inventory", arc);
    insta::assert_snapshot!("collect_azure_local_summary", arc_summary);
    let inventory: Value = serde_json::from_str(&arc).unwrap();
    assert_eq!(inventory["deployment"]["product"], "aks-arc");
    assert_eq!(inventory["deployment"]["version"], "2510");
    assert_eq!(inventory["clusters"][0]["cni"], "calico");
    // The same bytes every time.
    assert_eq!(collect_from("fixtures/collect/akshci-host", &[]).0, akshci);
}

#[test]
fn what_windows_powershell_51_writes_is_read_or_named() {
    let (inventory, summary) = collect_from("fixtures/collect/akshci-quirks", &[]);
    let inventory: Value = serde_json::from_str(&inventory).unwrap();
    // One cluster written as an object, not a list.
    assert_eq!(inventory["clusters"][0]["name"], "akswc1");
    assert_eq!(inventory["clusters"][0]["kubernetesVersion"], "v1.29.4");
    for expected in [
        "Get-AksHciCluster.json:2:5: Status: `@{ProvisioningState=Deployed; Details=}` is an object that ConvertTo-Json cut off at its -Depth: save the output again with `ConvertTo-Json -Depth 10` (1 more values like it in this file)",
        "Get-AksHciNodePool.json:7:23: value[0].OsType: the number 0 where a name (Linux, Windows) is expected: Windows PowerShell 5.1 writes enums as numbers",
        "Get-AksHciConfig.json:2:5: AksHci: `@{catalog=",
        "unavailable  kubectl-get-nodes-akswc1         fixtures/collect/akshci-quirks/kubectl-get-nodes-akswc1.json:",
        "the JSON is truncated",
        "clusters[0].nodes (V007, V011, S002, S004, M001, M002, M003, M004, C003): akswc1: no kubectl-get-nodes-akswc1 output (2 in its node pools)",
    ] {
        assert!(summary.contains(expected), "{expected}\n---\n{summary}");
    }
    // The problems travel with the inventory.
    assert!(inventory["provenance"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p.as_str().unwrap().contains("OsType")));
    // And `check` on the directory warns of the same, then judges.
    let out = akspol()
        .args(["check", "--as-of", AS_OF, "fixtures/collect/akshci-quirks"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "warning: fixtures/collect/akshci-quirks: kubectl-get-nodes-akswc1 is unavailable: "
        ),
        "{stderr}"
    );
    assert!(stderr.contains("OsType: the number 0"), "{stderr}");
}

#[test]
fn no_inventory_without_a_release_and_the_reason_is_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Get-AksHciCluster.json"),
        r#"[{"Name": "a", "KubernetesVersion": "v1.29.4"}]"#,
    )
    .unwrap();
    let out = akspol()
        .args(["collect", "--from"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("ok           Get-AksHciCluster"),
        "{stderr}"
    );
    assert!(stderr.ends_with("error: cannot make an inventory: deployment.version is unknown: no Get-AksHciVersion.txt or Get-AksHciConfig.json was read; give it with --deployment-version (W.X.Y.ZZZZ, what Get-AksHciVersion prints)\n"), "{stderr}");
    // `check` says the same of that directory, and exits 2.
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(text(&out.stderr).contains("cannot make an inventory: deployment.version is unknown"));
    // Azure Local: no output says the release; the message says how to give it.
    let out = akspol()
        .args(["collect", "--from", "fixtures/collect/azure-local"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(text(&out.stderr).contains(
        "az aksarc does not report the Azure Local release; give it with --deployment-version"
    ));
}

#[test]
fn a_saved_output_named_for_a_blank_cluster_is_ignored() {
    // An inventory cannot name a cluster ` `: the file is not a saved
    // output's name (once it made a cluster check refuses).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Get-AksHciVersion.txt"), "1.0.24.11029\n").unwrap();
    std::fs::write(
        dir.path().join("kubectl-version- .json"),
        r#"{"serverVersion": {"gitVersion": "v1.28.5"}}"#,
    )
    .unwrap();
    let out = akspol()
        .args(["collect", "--collected-at", AT, "--from"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("kubectl-version- .json: ignored (the output of kubectl version, by its content, under a name akspol does not read: save it as kubectl-version-<cluster>.json, naming its cluster)"),
        "{stderr}"
    );
    // The cluster it is about was not judged: said, not a quiet pass.
    assert!(stderr.contains("warning: no cluster was judged: a file that holds clusters was not read, under a name akspol does not read: kubectl-version- .json (as kubectl-version-<cluster>.json)"), "{stderr}");
    let inventory: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(inventory.get("clusters").is_none(), "{inventory}");
    check_stdin(&text(&out.stdout));
}

#[test]
fn output_goes_to_a_file_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inventory.json");
    let out = akspol()
        .args([
            "collect",
            "--from",
            "fixtures/collect/akshci-host",
            "--collected-at",
            AT,
            "-o",
        ])
        .arg(&file)
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(text(&out.stdout), "");
    let (stdout, _) = collect_from("fixtures/collect/akshci-host", &[]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
}

#[test]
fn dry_run_prints_the_commands_in_order() {
    let host = akspol()
        .args([
            "collect",
            "--dry-run",
            "--kubeconfig",
            r"akswc1=C:\Users\ops\.kube\akswc1",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    insta::assert_snapshot!("collect_dry_run_akshci", text(&host.stdout));
    let arc = akspol()
        .args([
            "collect",
            "--dry-run",
            "-g",
            "rg-edge",
            "--context",
            "aksarc-prod=aksarc-prod-admin",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let arc = text(&arc.stdout).replace("az.cmd ", "az ");
    insta::assert_snapshot!("collect_dry_run_azure_local", arc);
    // Issue 25, item 11: the kubectl commands, per cluster given one, and as
    // templates when none is (kubectl runs for none then: said so).
    let two = akspol()
        .args(["collect", "--dry-run", "-g", "rg-edge"])
        .args(["--context", "a=a-admin", "--kubeconfig", "b=/k/b"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let two = text(&two.stdout);
    assert!(
        two.ends_with("# kubectl, for cluster b:\nkubectl version --output json --kubeconfig /k/b\nkubectl get nodes --output json --kubeconfig /k/b\n# kubectl, for cluster a:\nkubectl version --output json --context a-admin\nkubectl get nodes --output json --context a-admin\n"),
        "{two}"
    );
    for group in [vec![], vec!["-g", "rg-edge"]] {
        let none = akspol()
            .args(["collect", "--dry-run"])
            .args(&group)
            .assert()
            .code(0)
            .get_output()
            .clone();
        let none = text(&none.stdout);
        assert!(
            none.ends_with("# kubectl runs for each cluster given --kubeconfig CLUSTER=FILE or --context CLUSTER=NAME (none is, so it runs for none and the node rules skip); for each, it would run:\n# kubectl version --output json --kubeconfig '<kubeconfig of the cluster>'\n# kubectl get nodes --output json --kubeconfig '<kubeconfig of the cluster>'\n"),
            "{group:?}: {none}"
        );
    }
    // Options that make no sense together are usage errors.
    akspol()
        .args([
            "collect",
            "--from",
            "fixtures/collect/akshci-host",
            "--dry-run",
        ])
        .assert()
        .code(2);
    akspol().args(["collect", "--name", "x"]).assert().code(2);
    akspol()
        .args(["collect", "--timeout", "0", "--dry-run"])
        .assert()
        .code(2);
    akspol()
        .args(["collect", "--context", "no-equals-sign", "--dry-run"])
        .assert()
        .code(2);
}

// ---------------------------------------------------------------------------
// The runner, against stand-in executables.

#[cfg(unix)]
mod stand_ins {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};

    /// A directory of `#!/bin/sh` stand-ins, first on PATH.
    struct Bin {
        dir: tempfile::TempDir,
    }

    impl Bin {
        fn new() -> Self {
            Self {
                dir: tempfile::tempdir().unwrap(),
            }
        }

        fn script(&self, name: &str, body: &str) {
            let path = self.dir.path().join(name);
            // Every call's arguments, one per line, for the test to read.
            let log = self.dir.path().join(format!("{name}.log"));
            std::fs::write(
                &path,
                format!(
                    "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\necho '--' >> '{}'\n{body}\n",
                    log.display(),
                    log.display()
                ),
            )
            .unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }

        fn log(&self, name: &str) -> String {
            std::fs::read_to_string(self.dir.path().join(format!("{name}.log"))).unwrap_or_default()
        }

        fn command(&self) -> assert_cmd::Command {
            let mut cmd = akspol();
            let path = format!("{}:/usr/bin:/bin", self.dir.path().display());
            cmd.env("PATH", path).env("COMPUTERNAME", "akshci-host");
            cmd
        }
    }

    fn fixture(name: &str) -> String {
        common::repo()
            .join("fixtures/collect/akshci-host")
            .join(name)
            .display()
            .to_string()
    }

    /// A PowerShell that answers each cmdlet with the saved output of the fixture host.
    fn akshci_powershell(bin: &Bin) {
        bin.script(
            "powershell",
            &format!(
                r#"case "$4" in
  *Get-AksHciClusterUpdates*akswc2*) cat '{}' ;;
  *Get-AksHciClusterUpdates*) ;;
  *Get-AksHciNodePool*) cat '{}' ;;
  *Get-AksHciCluster*) cat '{}' ;;
  *Get-AksHciConfig*) cat '{}' ;;
  *Get-AksHciKubernetesVersion*) cat '{}' ;;
  *Get-AksHciVersion*) cat '{}' ;;
  *) echo "unexpected: $4" >&2; exit 3 ;;
esac"#,
                fixture("Get-AksHciClusterUpdates-akswc2.json"),
                fixture("Get-AksHciNodePool.json"),
                fixture("Get-AksHciCluster.json"),
                fixture("Get-AksHciConfig.json"),
                fixture("Get-AksHciKubernetesVersion.json"),
                fixture("Get-AksHciVersion.txt"),
            ),
        );
    }

    fn good_kubectl(bin: &Bin) {
        bin.script(
            "kubectl",
            &format!(
                r#"case "$1 $2" in
  "version --output") cat '{}' ;;
  "get nodes") cat '{}' ;;
  *) exit 3 ;;
esac"#,
                fixture("kubectl-version-akswc1.json"),
                fixture("kubectl-get-nodes-akswc1.json"),
            ),
        );
    }

    fn collected(out: &std::process::Output) -> Value {
        serde_json::from_slice(&out.stdout).unwrap()
    }

    #[test]
    fn a_host_collected_live_is_the_host_collected_from_its_saved_outputs() {
        let bin = Bin::new();
        akshci_powershell(&bin);
        good_kubectl(&bin);
        let kubeconfig = "/tmp/a dir/it's a kubeconfig";
        let out = bin
            .command()
            .args(["collect", "--collected-at", AT, "--kubeconfig"])
            .arg(format!("akswc1={kubeconfig}"))
            .assert()
            .code(0)
            .get_output()
            .clone();
        let mut live = collected(&out);
        let (saved, _) = collect_from("fixtures/collect/akshci-host", &[]);
        let mut saved: Value = serde_json::from_str(&saved).unwrap();
        // The same facts; only where they came from differs.
        let live_provenance = live.as_object_mut().unwrap().remove("provenance").unwrap();
        saved.as_object_mut().unwrap().remove("provenance");
        assert_eq!(live, saved);
        let first = &live_provenance["sources"][0];
        assert_eq!(first["name"], "Get-AksHciVersion");
        assert_eq!(first["command"][0], "powershell");
        assert_eq!(first["command"].as_array().unwrap().len(), 5);
        assert!(first["ranAt"].as_str().unwrap().ends_with('Z'));
        // Arguments reach the program as a list: a space or a quote in a path
        // is part of the path, never shell syntax.
        let args = bin.log("kubectl");
        assert!(
            args.contains(&format!(
                "get\nnodes\n--output\njson\n--kubeconfig\n{kubeconfig}\n--\n"
            )),
            "{args}"
        );
        assert!(bin.log("powershell").contains("-NoProfile\n-NonInteractive\n-Command\n[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-AksHciClusterUpdates -name 'akswc2' | ConvertTo-Json -Depth 10\n"));
    }

    #[test]
    fn a_failing_command_is_one_unavailable_source() {
        let bin = Bin::new();
        akshci_powershell(&bin);
        bin.script(
            "kubectl",
            "echo 'error: You must be logged in to the server (Unauthorized)' >&2\nexit 1",
        );
        let out = bin
            .command()
            .args([
                "collect",
                "--collected-at",
                AT,
                "--context",
                "akswc1=akswc1-admin",
            ])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let stderr = text(&out.stderr);
        assert!(stderr.contains("unavailable  kubectl-get-nodes-akswc1         exited with status 1: error: You must be logged in to the server (Unauthorized)"), "{stderr}");
        let inventory = collected(&out);
        assert_eq!(inventory["deployment"]["version"], "1.0.24.11029");
        assert_eq!(inventory["clusters"].as_array().unwrap().len(), 2);
        assert!(inventory["clusters"][0].get("nodeList").is_none());
        assert_eq!(
            inventory["provenance"]["sources"][8]["status"],
            "unavailable"
        );
    }

    #[test]
    fn a_command_that_hangs_is_stopped_at_the_timeout() {
        let bin = Bin::new();
        akshci_powershell(&bin);
        // Not `exec`: the sleep is the stand-in's child, so the runner must
        // stop the whole process group, not only the shell.
        bin.script("kubectl", "sleep 60\necho never");
        let started = Instant::now();
        let out = bin
            .command()
            .args([
                "collect",
                "--collected-at",
                AT,
                "--timeout",
                "1",
                "--context",
                "akswc1=a",
            ])
            .timeout(Duration::from_secs(30))
            .assert()
            .code(0)
            .get_output()
            .clone();
        // Two kubectl commands, one second each, and the rest: a generous guard.
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        let stderr = text(&out.stderr);
        assert!(stderr.contains("unavailable  kubectl-get-nodes-akswc1         timed out after 1 s and was stopped (raise --timeout)"), "{stderr}");
        assert_eq!(collected(&out)["deployment"]["version"], "1.0.24.11029");
    }

    #[test]
    fn invalid_json_and_a_huge_output_are_unavailable_sources() {
        let bin = Bin::new();
        akshci_powershell(&bin);
        bin.script(
            "kubectl",
            r#"case "$1" in
  version) head -c 300000 /dev/zero | tr '\0' ' ' ; echo '{}' ;;
  *) printf '{"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "a"' ;;
esac"#,
        );
        let out = bin
            .command()
            .args([
                "collect",
                "--collected-at",
                AT,
                "--max-input-bytes",
                "100000",
                "--context",
                "akswc1=a",
            ])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let stderr = text(&out.stderr);
        assert!(stderr.contains("unavailable  kubectl-version-akswc1           printed more than the 100000-byte limit and was stopped (raise --max-input-bytes)"), "{stderr}");
        assert!(stderr.contains("unavailable  kubectl-get-nodes-akswc1         kubectl get nodes --output json --context a:1:"), "{stderr}");
        assert!(stderr.contains("the JSON is truncated"), "{stderr}");
    }

    #[test]
    fn a_missing_program_is_not_found_and_the_others_go_on() {
        let bin = Bin::new();
        good_kubectl(&bin);
        let out = bin
            .command()
            .args([
                "collect",
                "--collected-at",
                AT,
                "--deployment-version",
                "1.0.24.11029",
            ])
            .args([
                "--powershell",
                "akspol-test-no-such-powershell",
                "--context",
                "akswc1=a",
            ])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let stderr = text(&out.stderr);
        assert!(stderr.contains("unavailable  Get-AksHciVersion                `akspol-test-no-such-powershell` was not found (is it installed and on PATH?)"), "{stderr}");
        let inventory = collected(&out);
        // kubectl alone still describes its cluster.
        assert_eq!(inventory["clusters"][0]["name"], "akswc1");
        assert_eq!(inventory["clusters"][0]["kubernetesVersion"], "v1.29.4");
        assert_eq!(inventory["deployment"]["name"], "akshci-host");
    }

    #[test]
    fn azure_local_commands_run_with_the_resource_group() {
        let bin = Bin::new();
        let arc = common::repo().join("fixtures/collect/azure-local");
        let file = |name: &str| arc.join(name).display().to_string();
        bin.script(
            "az",
            &format!(
                r#"case "$2" in
  show) cat '{}' ;;
  nodepool) cat '{}' ;;
  get-versions) echo "ERROR: (AuthorizationFailed) The client does not have authorization" >&2; exit 1 ;;
esac"#,
                file("az-aksarc-show-aksarc-prod.json"),
                file("az-aksarc-nodepool-list-aksarc-prod.json"),
            ),
        );
        let out = bin
            .command()
            .args([
                "collect",
                "--collected-at",
                AT,
                "-g",
                "rg-edge",
                "-n",
                "aksarc-prod",
                "--deployment-version",
                "2510",
            ])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let stderr = text(&out.stderr);
        assert!(stderr.contains("unavailable  az-aksarc-get-versions               exited with status 1: ERROR: (AuthorizationFailed)"), "{stderr}");
        assert!(stderr.contains("unavailable  kubectl-get-nodes-aksarc-prod        not run: no --kubeconfig or --context given for cluster `aksarc-prod`"), "{stderr}");
        let inventory = collected(&out);
        assert_eq!(inventory["deployment"]["name"], "rg-edge");
        assert_eq!(inventory["clusters"][0]["kubernetesVersion"], "1.29.4");
        assert!(bin.log("az").starts_with(
            "aksarc\nshow\n--resource-group\nrg-edge\n--name\naksarc-prod\n--output\njson\n--\n"
        ));
    }
    /// Whether process `pid` has ended (gone, or a zombie nobody reaped).
    fn ended(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            // `pid (comm) STATE ...`: the state follows the last parenthesis.
            Ok(stat) => stat
                .rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with(['Z', 'X'])),
        }
    }

    /// The processes a stand-in started and wrote to `pids`, each ended
    /// within a few seconds.
    fn all_ended(pids: &Path) -> Result<(), String> {
        let listed = std::fs::read_to_string(pids).unwrap_or_default();
        assert!(!listed.trim().is_empty(), "the stand-in started nothing");
        let started = Instant::now();
        loop {
            let alive: Vec<&str> = listed.lines().filter(|pid| !ended(pid)).collect();
            if alive.is_empty() {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(5) {
                return Err(format!("still running: {alive:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Issue 22, item 19: the signal is named, not "killed by a signal".
    #[test]
    fn a_command_killed_by_a_signal_names_the_signal() {
        let bin = Bin::new();
        akshci_powershell(&bin);
        bin.script("kubectl", "kill -TERM $$");
        let out = bin
            .command()
            .args(["collect", "--collected-at", AT, "--context", "akswc1=a"])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("kubectl-version-akswc1           was killed by signal 15 (SIGTERM)"),
            "{stderr}"
        );
    }

    /// Issue 22, item 13: a command that fails at once while a child it
    /// started holds its standard error costs no timeout, and the child is
    /// stopped with it; so is a child of a command that succeeds.
    #[test]
    fn children_left_behind_are_stopped_and_not_waited_for() {
        let bin = Bin::new();
        akshci_powershell(&bin);
        let pids = bin.dir.path().join("pids");
        bin.script(
            "kubectl",
            &format!(
                r#"case "$1" in
  version) sleep 60 >/dev/null 2>&1 & echo $! >> '{pids}'; cat '{}' ;;
  *) sleep 60 >/dev/null & echo $! >> '{pids}'; echo 'error: You must be logged in to the server (Unauthorized)' >&2; exit 1 ;;
esac"#,
                fixture("kubectl-version-akswc1.json"),
                pids = pids.display(),
            ),
        );
        let started = Instant::now();
        let out = bin
            .command()
            .args(["collect", "--collected-at", AT, "--timeout", "60"])
            .args(["--context", "akswc1=a"])
            .timeout(Duration::from_secs(100))
            .assert()
            .code(0)
            .get_output()
            .clone();
        let took = started.elapsed();
        let stderr = text(&out.stderr);
        assert!(took < Duration::from_secs(20), "{took:?}\n{stderr}");
        assert!(
            stderr.contains("kubectl-get-nodes-akswc1         exited with status 1: error: You must be logged in to the server (Unauthorized)"),
            "{stderr}"
        );
        assert!(
            stderr.contains("ok           kubectl-version-akswc1"),
            "{stderr}"
        );
        all_ended(&pids).unwrap();
    }

    /// Issue 22, item 20: the whole run has a deadline; a command still
    /// running then is stopped, and those after it are not started.
    #[test]
    fn the_whole_run_stops_at_its_deadline() {
        let bin = Bin::new();
        akshci_powershell(&bin);
        bin.script("kubectl", "exec sleep 60");
        let started = Instant::now();
        let out = bin
            .command()
            .args(["collect", "--collected-at", AT, "--timeout", "60"])
            .args(["--deadline", "2", "--context", "akswc1=a"])
            .args(["--context", "akswc2=b"])
            .timeout(Duration::from_secs(100))
            .assert()
            .code(0)
            .get_output()
            .clone();
        let took = started.elapsed();
        let stderr = text(&out.stderr);
        // Four commands of 60 s each without the deadline.
        assert!(took < Duration::from_secs(20), "{took:?}\n{stderr}");
        assert!(
            stderr.contains("kubectl-version-akswc1           stopped when the whole run reached its --deadline of 2 s (raise --deadline)"),
            "{stderr}"
        );
        assert!(
            stderr.contains("kubectl-get-nodes-akswc2         not run: the whole run reached its --deadline of 2 s (raise --deadline)"),
            "{stderr}"
        );
        // What was read before the deadline still makes the inventory.
        let inventory = collected(&out);
        assert_eq!(inventory["deployment"]["version"], "1.0.24.11029");
    }

    /// Issue 22, item 12: a command printing more than --max-input-bytes is
    /// stopped at the limit, holding about the limit in memory, not three
    /// or four times it.
    #[test]
    fn an_output_past_the_limit_is_not_held_more_than_once() {
        const LIMIT: u64 = 40_000_000;
        let peak = |printed: u64| {
            let bin = Bin::new();
            akshci_powershell(&bin);
            bin.script(
                "kubectl",
                &format!(
                    r#"case "$1" in
  version) head -c {printed} /dev/zero | tr '\0' ' ' ;;
  *) cat '{}' ;;
esac"#,
                    fixture("kubectl-get-nodes-akswc1.json")
                ),
            );
            let mut command = common::akspol_std_command();
            command
                .env(
                    "PATH",
                    format!("{}:/usr/bin:/bin", bin.dir.path().display()),
                )
                .env("COMPUTERNAME", "akshci-host")
                .args(["collect", "--collected-at", AT, "--context", "akswc1=a"])
                .arg(format!("--max-input-bytes={LIMIT}"));
            let run = common::measure(command);
            let out = run.output;
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            (text(&out.stderr), run.peak_bytes)
        };
        let (_, base) = peak(100);
        let (stderr, over) = peak(4 * LIMIT);
        assert!(
            stderr.contains("printed more than the 40000000-byte limit"),
            "{stderr}"
        );
        let held = over.saturating_sub(base);
        assert!(
            held < LIMIT * 3 / 2,
            "held {held} bytes more for an output past a {LIMIT}-byte limit (peak {over}, {base} without it)"
        );
    }
}

#[test]
fn every_rule_named_in_a_gap_exists() {
    let (inventory, _) = collect_from("fixtures/collect/akshci-host", &[]);
    let inventory: Value = serde_json::from_str(&inventory).unwrap();
    let rules = akspol()
        .args(["rules", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let rules: Value = serde_json::from_slice(&rules.stdout).unwrap();
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    for gap in inventory["provenance"]["gaps"].as_array().unwrap() {
        for rule in gap["rules"].as_array().unwrap() {
            assert!(codes.contains(&rule.as_str().unwrap()), "{rule} in {gap}");
        }
    }
    assert!(Path::new(&common::repo().join("fixtures/collect/akshci-host/README.txt")).exists());
}

#[test]
fn collected_inventories_pass_the_inventory_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("data/inventory.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (dir, more) in [
        ("fixtures/collect/akshci-host", &[][..]),
        ("fixtures/collect/akshci-quirks", &[][..]),
    ] {
        let (inventory, _) = collect_from(dir, more);
        let inventory: Value = serde_json::from_str(&inventory).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&inventory)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:?}");
    }
}

/// Every saved output cut off at every few bytes, and with bytes flipped:
/// never a panic, and either an inventory `check` reads or a reason.
#[test]
fn truncated_and_damaged_outputs_never_panic_nor_pass_silently() {
    use akspol::collect::bundle::{Bundle, Entry, Source};
    for dir in [
        "fixtures/collect/akshci-host",
        "fixtures/collect/azure-local",
    ] {
        let saved = akspol::collect::bundle::read_dir(&common::repo().join(dir), 1 << 20).unwrap();
        for (source, entry) in &saved.entries {
            let Ok(full) = &entry.output else { continue };
            let cuts: Vec<String> = (0..full.len())
                .step_by(13)
                .filter_map(|n| full.get(..n).map(str::to_string))
                .chain((0..full.len()).step_by(97).map(|n| {
                    let mut bytes = full.clone().into_bytes();
                    if let Some(b) = bytes.get_mut(n) {
                        *b = if b.is_ascii_digit() { b'x' } else { b'"' };
                    }
                    String::from_utf8_lossy(&bytes).into_owned()
                }))
                .collect();
            for text in cuts {
                let mut bundle = Bundle::default();
                bundle.entries.insert(
                    source.clone(),
                    Entry {
                        output: Ok(text),
                        ..entry.clone()
                    },
                );
                if *source != Source::AksHciVersion && dir.ends_with("akshci-host") {
                    bundle.entries.insert(
                        Source::AksHciVersion,
                        Entry {
                            output: Ok("1.0.24.11029".into()),
                            ..entry.clone()
                        },
                    );
                }
                let options = akspol::collect::Options {
                    deployment_name: Some(("d".into(), "test")),
                    deployment_version: Some("1.0.24.11029".into())
                        .filter(|_| dir.ends_with("host")),
                    collected_at: None,
                    product: None,
                };
                match akspol::collect::assemble(&bundle, &options) {
                    // Valid for `check`; what could not be read is listed.
                    Ok(collected) => {
                        let written = serde_json::to_string(&collected.inventory).unwrap();
                        if let Err(error) = akspol::inventory::load(
                            "collected",
                            &written,
                            akspol::inventory::LoadOptions::default(),
                        ) {
                            panic!("{dir}, {source} cut: {error}\n{written}");
                        }
                        let line = collected
                            .summary
                            .sources
                            .iter()
                            .find(|s| s.name == source.to_string())
                            .unwrap();
                        use akspol::collect::SourceStatus;
                        assert!(matches!(
                            line.state,
                            SourceStatus::Ok | SourceStatus::Unavailable
                        ));
                    }
                    Err(failed) => assert!(!failed.why.is_empty()),
                }
            }
        }
    }
}

#[test]
fn a_zip_of_saved_outputs_is_read_as_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let zip = common::zip_of("fixtures/collect/akshci-host", dir.path());
    let (from_dir, _) = collect_from("fixtures/collect/akshci-host", &[]);
    let (from_zip, stderr) = collect_from(zip.to_str().unwrap(), &[]);
    // The same inventory; only the deployment name's source and the ignored
    // file's path (in its folder of the archive) say where it came from.
    assert!(
        from_zip.contains("\"akshci-host/README.txt: ignored"),
        "{stderr}"
    );
    assert!(
        from_zip
            .replace("the archive's name", "the saved-outputs directory's name")
            .replace("akshci-host/README.txt", "README.txt")
            == from_dir,
        "{stderr}"
    );
    let out = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json"])
        .arg(&zip)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inventories"][0]["deployment"], "akshci-host");
    let expected = verdict_of(&check_stdin(&hand_written("akshci-host.inventory.json")));
    assert_eq!(verdict_of(&report), expected);
}

#[test]
fn a_broken_zip_or_a_zip_bomb_is_refused_with_the_reason() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // Not a zip at all: exit 2, the file and what is wrong.
    let fake = dir.path().join("bundle.zip");
    std::fs::write(&fake, "{\"schemaVersion\": 1}").unwrap();
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(&fake)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bundle.zip: not a zip archive akspol can read"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    // 20 MB of zeros deflate to about 20 KB: the archive is within
    // --max-input-bytes, its member is not, and is never read whole.
    let bomb = dir.path().join("bomb.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("Get-AksHciVersion.txt", options).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..20 {
        writer.write_all(&zeros).unwrap();
    }
    writer.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1_000_000);
    let out = akspol()
        .args(["collect", "--from"])
        .arg(&bomb)
        .args(["--max-input-bytes", "1000000"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bomb.zip!Get-AksHciVersion.txt: larger than the 1000000 bytes left"),
        "{stderr}"
    );
}

#[test]
fn recursive_finds_saved_outputs_among_inventories() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &Path| {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(common::repo().join(from)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    };
    copy("fixtures/collect/akshci-host", &dir.path().join("a-site"));
    copy(
        "fixtures/collect/akshci-host",
        &dir.path().join("b/deep/c-site"),
    );
    std::fs::copy(
        common::repo().join("fixtures/examples/contoso.json"),
        dir.path().join("b/contoso.json"),
    )
    .unwrap();
    let judged = |recursive: bool| {
        let out = akspol()
            .args(["check", "--as-of", AS_OF, "--format", "json"])
            .args(recursive.then_some("--recursive"))
            .arg(dir.path())
            .output()
            .unwrap();
        let report: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", text(&out.stderr)));
        let names: Vec<String> = report["inventories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["deployment"].as_str().unwrap().to_string())
            .collect();
        (names, out.status.code().unwrap())
    };
    // Each saved-outputs directory is one inventory, in path order; its
    // *.json files are not read as inventories.
    assert_eq!(
        judged(true),
        (
            vec![
                "a-site".to_string(), // named after its directory
                "contoso-edge-042".to_string(),
                "c-site".to_string(),
            ],
            1
        )
    );
    // Without --recursive only the directory itself is listed: it has no
    // inventory of its own.
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(text(&out.stderr).contains("--recursive looks in subdirectories"));
}

/// A folder of saved outputs in a temporary directory: the akshci-host
/// fixture's `Get-AksHciCluster.json`, and whatever the test adds.
fn saved_outputs_folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    std::fs::create_dir(&bundle).unwrap();
    std::fs::copy(
        common::repo().join("fixtures/collect/akshci-host/Get-AksHciCluster.json"),
        bundle.join("Get-AksHciCluster.json"),
    )
    .unwrap();
    (dir, bundle)
}

const TOKEN: &str = "ghp_R4nd0mT0kenV4lue1234567";

/// Issue 22, item 2: a saved output that is a link to a credentials file
/// put the token into the inventory's provenance and on standard error.
/// A link is not followed; and what a file that cannot be read holds is
/// quoted only as a short excerpt with secret-like words hidden.
#[test]
fn a_link_in_saved_outputs_is_not_followed_and_no_secret_is_echoed() {
    let (dir, bundle) = saved_outputs_folder();
    let credentials = dir.path().join(".git-credentials");
    std::fs::write(&credentials, format!("https://ops:{TOKEN}@github.com\n")).unwrap();
    std::os::unix::fs::symlink("../.git-credentials", bundle.join("Get-AksHciVersion.txt"))
        .unwrap();
    let out = akspol()
        .args(["collect", "--from"])
        .arg(&bundle)
        .args(["--deployment-version", "1.0.24.11029"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !stdout.contains("R4nd0m") && !stderr.contains("R4nd0m"),
        "{stderr}\n{stdout}"
    );
    assert!(
        stderr.contains("Get-AksHciVersion.txt: not read (a symbolic link: links in a folder of saved outputs are not followed)"),
        "{stderr}"
    );
    let inventory: Value = serde_json::from_str(&stdout).unwrap();
    assert!(inventory["provenance"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("not read (a symbolic link")));
    let out = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json"])
        .arg(&bundle)
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !stdout.contains("R4nd0m") && !stderr.contains("R4nd0m"),
        "{stderr}"
    );
    assert!(stderr.contains("not read (a symbolic link"), "{stderr}");
    // The same file copied in by hand is read, and refused without its secret.
    std::fs::remove_file(bundle.join("Get-AksHciVersion.txt")).unwrap();
    std::fs::copy(&credentials, bundle.join("Get-AksHciVersion.txt")).unwrap();
    let out = akspol()
        .args(["collect", "--from"])
        .arg(&bundle)
        .args(["--deployment-version", "1.0.24.11029"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !stdout.contains("R4nd0m") && !stderr.contains("R4nd0m"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("Get-AksHciVersion.txt: 1:1: `https://ops:***@github.com` is not a release"),
        "{stderr}"
    );
    // The same in JSON outputs: values that are not what was expected.
    std::fs::write(
        bundle.join("Get-AksHciCluster.json"),
        format!(r#"[{{"Name": "a", "KubernetesVersion": "https://ops:{TOKEN}@github.com"}}]"#),
    )
    .unwrap();
    std::fs::write(
        bundle.join("kubectl-version-b.json"),
        format!(r#"{{"serverVersion": {{"gitVersion": "{TOKEN}"}}}}"#),
    )
    .unwrap();
    std::fs::write(
        bundle.join("kubectl-get-nodes-b.json"),
        format!("[\"{TOKEN}\", 1"),
    )
    .unwrap();
    let out = akspol()
        .args(["collect", "--from"])
        .arg(&bundle)
        .args(["--deployment-version", "1.0.24.11029"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !stdout.contains("R4nd0m") && !stderr.contains("R4nd0m"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "[0].KubernetesVersion: `https://ops:***@github.com` is not a Kubernetes version"
        ),
        "{stderr}"
    );
}

/// Issue 22, item 6: a FIFO under a saved output's name hung `check DIR`
/// and `collect --from DIR` for ever. It is named, not waited on.
#[test]
fn a_fifo_in_saved_outputs_is_not_waited_on() {
    let (_dir, bundle) = saved_outputs_folder();
    let fifo = bundle.join("Get-AksHciVersion.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = akspol()
        .args(["collect", "--from"])
        .arg(&bundle)
        .args(["--deployment-version", "1.0.24.11029"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Get-AksHciVersion.txt: not read (not a regular file (a FIFO, socket or device is not read))"),
        "{stderr}"
    );
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(&bundle)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    // No release known without Get-AksHciVersion: the folder is a bad input.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not read (not a regular file"), "{stderr}");
}

/// Issue 22, item 7: an inventory beside one saved output made `check DIR`
/// judge only a deployment named after the folder, and drop the inventory
/// without a word. A folder holding both kinds is refused, naming both.
#[test]
fn a_folder_of_inventories_and_saved_outputs_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::repo().join("fixtures/examples/contoso.json"),
        dir.path().join("contoso.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("Get-AksHciVersion.txt"), "1.2.0.11008\n").unwrap();
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("holds both inventories (contoso.json) and saved command outputs (Get-AksHciVersion.txt)"),
        "{stderr}"
    );
    // collect --from says so too, and goes on with the saved outputs.
    let out = akspol()
        .args(["collect", "--from"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert!(
        text(&out.stderr)
            .contains("contoso.json: ignored (an inventory: collect reads saved command outputs"),
        "{}",
        text(&out.stderr)
    );
}

/// Issue 22, item 10: per-cluster saved outputs were looked up in a list,
/// quadratic in their number (32,000 files: 51 s). A folder holds at most
/// 10,000 files, and 4n files take about 4 times as long as n.
#[test]
fn many_saved_outputs_take_linear_time_and_too_many_are_refused() {
    let folder = |n: usize| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Get-AksHciVersion.txt"), "1.0.24.11029\n").unwrap();
        for i in 0..n {
            std::fs::write(
                dir.path().join(format!("kubectl-version-c{i:05}.json")),
                r#"{"serverVersion": {"gitVersion": "v1.29.4"}}"#,
            )
            .unwrap();
        }
        dir
    };
    // CPU time (a loaded machine stretches wall time, not this), the
    // less of two runs.
    let cpu = |dir: &Path, command: &str| {
        (0..2)
            .map(|_| {
                let mut run = common::akspol_std_command();
                match command {
                    "collect" => run.args(["collect", "--from"]).arg(dir),
                    _ => run
                        .args(["check", "--as-of", AS_OF, "--format", "json"])
                        .arg(dir),
                };
                let measured = common::measure(run);
                let out = &measured.output;
                assert!(
                    matches!(out.status.code(), Some(0 | 1)),
                    "{}",
                    text(&out.stderr)
                );
                measured.cpu_ticks.max(1)
            })
            .min()
            .unwrap()
    };
    let (small, large) = (folder(1_500), folder(6_000));
    for command in ["collect", "check"] {
        let (n, four_n) = (cpu(small.path(), command), cpu(large.path(), command));
        let ratio = four_n as f64 / n as f64;
        eprintln!("{command}: 1,500 files {n} ticks, 6,000 files {four_n} ticks: {ratio:.1}x");
        assert!(
            ratio < 6.0,
            "{command}: 6,000 saved outputs took {four_n} ticks of CPU, 1,500 took {n}: not linear"
        );
    }
    // 32,000 files: refused before any is read.
    let huge = folder(32_000);
    let started = std::time::Instant::now();
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(huge.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        text(&out.stderr)
            .contains("more than 10000 files, more than a folder of saved outputs can have"),
        "{}",
        text(&out.stderr)
    );
    eprintln!(
        "32,000 files refused in {:.2} s",
        started.elapsed().as_secs_f64()
    );
}

/// Issue 22, item 9: every bundle of saved outputs was built (and held)
/// before the first input was judged, so its warnings came first. Each is
/// built in its turn, one at a time, in the loop that judges the others.
#[test]
fn saved_outputs_are_built_in_their_turn() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("a-bad.json");
    std::fs::write(&bad, "{").unwrap();
    let bundle = dir.path().join("b-bundle");
    std::fs::create_dir(&bundle).unwrap();
    std::fs::write(bundle.join("Get-AksHciVersion.txt"), "1.0.24.11029\n").unwrap();
    std::fs::write(bundle.join("kubectl-version-c1.json"), "{").unwrap();
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(&bad)
        .arg(&bundle)
        .arg(&bad)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
        .filter(|l| !l.starts_with("warning: the catalog"))
        .collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains("a-bad.json"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("warning: ") && lines[1].contains("kubectl-version-c1 is unavailable"),
        "{stderr}"
    );
    assert!(
        lines[2].starts_with("error: ") && lines[2].contains("a-bad.json"),
        "{stderr}"
    );
}
