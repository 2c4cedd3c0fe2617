//! `akspol collect --resource-graph` on the built binary: the saved answers
//! of `fixtures/collect/resource-graph/` under any names (and zipped) make
//! one inventory per Azure Local instance that `check` reads; what cannot
//! be collected is said on standard error and in the output, where `check`
//! reports it; and, against a stand-in `az` this test writes and starts,
//! pages are followed, a looping skip token, an error page, an expired
//! login, a hang, malformed and oversized answers are each said, and 5,000
//! instances cost about four times what 1,250 do.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{self, akspol};

use std::path::{Path, PathBuf};

use serde_json::Value;

const AS_OF: &str = "2026-12-07";
const AT: &str = "2026-12-07T10:00:00Z";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn examples() -> PathBuf {
    common::repo().join("fixtures/collect/resource-graph")
}

/// The three answers of the examples in a new directory, under names that
/// say nothing of what they hold.
fn examples_renamed(dir: &Path) {
    for (from, to) in [
        ("arg-azure-local-sites.json", "Export (3).json"),
        ("arg-azure-local-updates.json", "b"),
        ("arg-aksarc-clusters.json", "first.txt"),
    ] {
        std::fs::copy(examples().join(from), dir.join(to)).unwrap();
    }
}

/// `collect --resource-graph --from PATH`: exit status, stdout, stderr.
fn collect_from(path: &Path, more: &[&str]) -> (i32, String, String) {
    let out = akspol()
        .args([
            "collect",
            "--resource-graph",
            "--collected-at",
            AT,
            "--from",
        ])
        .arg(path)
        .args(more)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        text(&out.stdout),
        text(&out.stderr),
    )
}

fn lines(ndjson: &str) -> Vec<Value> {
    ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `check -` of a stream (no `--ndjson`: a second line makes it one):
/// exit status, the JSON report, stderr.
fn check_stream(ndjson: &str) -> (i32, Value, String) {
    let out = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json", "-"])
        .write_stdin(ndjson)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        text(&out.stderr),
    )
}

#[test]
fn the_examples_under_any_names_make_one_inventory_per_instance() {
    let dir = tempfile::tempdir().unwrap();
    examples_renamed(dir.path());
    let (code, stdout, stderr) = collect_from(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("resource_graph_examples", stdout);
    let records = lines(&stdout);
    assert_eq!(records.len(), 2);
    let site_a = &records[0];
    assert_eq!(site_a["deployment"]["name"], "site-a");
    assert_eq!(site_a["deployment"]["product"], "aks-arc");
    assert_eq!(site_a["deployment"]["version"], "12.2608.1003.8");
    assert_eq!(
        site_a["deployment"]["azure"]["lastSyncTimestamp"],
        "2026-08-28T11:00:03Z"
    );
    assert_eq!(
        site_a["deployment"]["azure"]["updateSummary"]["lastChecked"],
        "2026-08-28T09:05:51Z"
    );
    assert_eq!(
        site_a["deployment"]["azure"]["updates"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        site_a["deployment"]["azure"]["nodes"][0]["osVersion"],
        "10.0.26100.32690"
    );
    // aks-pos lives in rg-apps; its bridge in rg-site-a makes it site-a's.
    assert_eq!(site_a["clusters"][0]["name"], "aks-pos");
    assert_eq!(site_a["clusters"][0]["kubernetesVersion"], "1.31.12");
    let pools = site_a["clusters"][0]["nodePools"].as_array().unwrap();
    assert_eq!(pools.len(), 2);
    assert_eq!(pools[1]["osSku"], "Windows2022");
    let site_b = &records[1];
    assert_eq!(site_b["deployment"]["name"], "site-b");
    assert_eq!(
        site_b["deployment"]["azure"]["lastSyncTimestamp"],
        "2026-07-30T06:12:44Z"
    );
    let ready: Vec<&Value> = site_b["deployment"]["azure"]["updates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["state"] == "Ready")
        .collect();
    assert_eq!(ready[0]["version"], "12.2607.1003.73");
    assert_eq!(site_b["clusters"][0]["name"], "aks-edge");
    assert_eq!(site_b["clusters"][0]["azure"]["currentState"], "Upgrading");
    assert_eq!(site_b["clusters"][0]["nodePools"][0]["count"], 3);
    assert!(stderr.starts_with("collect: 2 Azure Local instances and 2 AKS Arc clusters from Resource Graph: 2 inventories written, 0 not collected\n"), "{stderr}");
    assert!(
        stderr.contains("  ok           resource-graph-instances  Export (3).json: Q1: 2 rows\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "site-b: cluster aks-edge: provisioningState Failed while currentState is Upgrading"
        ),
        "{stderr}"
    );

    // check reads them as they are: from standard input and from a file.
    let (code, report, stderr) = check_stream(&stdout);
    assert_ne!(code, 2, "{stderr}");
    let judged: Vec<&str> = report["inventories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["deployment"].as_str().unwrap())
        .collect();
    assert_eq!(judged, ["site-a", "site-b"]);
    assert!(report["inventories"][1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["scope"] == "cluster/aks-edge" && f["rule"] == "V006"));
    // The output may not be one of the answers it reads.
    let (code, _, stderr) =
        collect_from(dir.path(), &["-o", dir.path().join("b").to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("is also an input (the saved answer "),
        "{stderr}"
    );
    let file = dir.path().join("fleet.ndjson");
    let (code, _, stderr) = collect_from(dir.path(), &["-o", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    let out = akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn the_inventories_pass_the_inventory_schema_and_name_existing_rules() {
    let schema: Value = serde_json::from_str(akspol::INVENTORY_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    examples_with_what_cannot_be_collected(dir.path());
    let (_, stdout, _) = collect_from(dir.path(), &[]);
    let rules = akspol()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Value = serde_json::from_slice(&rules.stdout).unwrap();
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    let mut records = 0;
    for record in lines(&stdout) {
        let errors: Vec<String> = validator
            .iter_errors(&record)
            .map(|e| e.to_string())
            .collect();
        if record.get("notCollected").is_some() {
            // Not an inventory, and the schema says so.
            assert!(!errors.is_empty());
            records += 1;
            continue;
        }
        assert!(errors.is_empty(), "{errors:?}");
        for gap in record["provenance"]["gaps"].as_array().unwrap() {
            for rule in gap["rules"].as_array().unwrap() {
                assert!(codes.contains(&rule.as_str().unwrap()), "{rule} in {gap}");
            }
        }
    }
    assert_eq!(records, 2);
}

#[test]
fn a_zip_of_the_answers_is_read_as_the_directory() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("answers.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in [
        "arg-aksarc-clusters.json",
        "arg-azure-local-sites.json",
        "arg-azure-local-updates.json",
        "arm-updatesummaries-get.json",
        "README.txt",
    ] {
        writer
            .start_file(format!("answers/{name}"), options)
            .unwrap();
        writer
            .write_all(&std::fs::read(examples().join(name)).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
    let (code, from_zip, stderr) = collect_from(&zip, &[]);
    assert_eq!(code, 0, "{stderr}");
    let (_, from_dir, _) = collect_from(&examples(), &[]);
    // Only the files' names in the provenance say where they came from.
    assert_eq!(from_zip.replace("answers/", ""), from_dir);
    assert!(
        stderr.contains("ignored      resource-graph            answers/README.txt: not JSON"),
        "{stderr}"
    );
}

#[test]
fn dry_run_prints_the_az_command_lines() {
    let out = akspol()
        .args(["collect", "--resource-graph", "--dry-run"])
        .args([
            "--subscriptions",
            "00000000-0000-0000-0000-00000000000a",
            "00000000-0000-0000-0000-00000000000b",
        ])
        .args(["--management-groups", "retail-stores"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let shown = text(&out.stdout).replace("az.cmd ", "az ");
    insta::assert_snapshot!("resource_graph_dry_run", shown);
    // Options of the other collectors, and scopes without --resource-graph, are usage errors.
    for wrong in [
        &["collect", "--resource-graph", "-g", "rg"][..],
        &[
            "collect",
            "--resource-graph",
            "--deployment-version",
            "2510",
        ],
        &["collect", "--subscriptions", "s", "--dry-run"],
        &[
            "collect",
            "--resource-graph",
            "--from",
            "x",
            "--subscriptions",
            "s",
        ],
    ] {
        akspol().args(wrong).assert().code(2);
    }
}

/// A copy of the examples with an instance that has no update summary and a
/// cluster whose resource bridge is in a group without an instance.
fn examples_with_what_cannot_be_collected(dir: &Path) {
    examples_renamed(dir);
    let mut sites: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("Export (3).json")).unwrap())
            .unwrap();
    let mut old = sites["data"][1].clone();
    old["id"] = "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-site-c/providers/Microsoft.AzureStackHCI/clusters/site-c".into();
    old["name"] = "site-c".into();
    old["currentVersion"] = "".into();
    sites["data"].as_array_mut().unwrap().push(old);
    std::fs::write(dir.join("Export (3).json"), sites.to_string()).unwrap();
    let mut clusters: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("first.txt")).unwrap()).unwrap();
    let mut far = clusters["data"][0].clone();
    far["id"] = "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-apps/providers/Microsoft.Kubernetes/connectedClusters/aks-far".into();
    far["name"] = "aks-far".into();
    far["hostResourceId"] = "/subscriptions/00000000-0000-0000-0000-00000000000a/resourcegroups/rg-elsewhere/providers/microsoft.resourceconnector/appliances/far-arcbridge".into();
    clusters["data"].as_array_mut().unwrap().push(far);
    std::fs::write(dir.join("first.txt"), clusters.to_string()).unwrap();
}

#[test]
fn what_cannot_be_collected_is_said_and_written_and_check_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    examples_with_what_cannot_be_collected(dir.path());
    let (code, stdout, stderr) = collect_from(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("3 Azure Local instances and 3 AKS Arc clusters from Resource Graph: 2 inventories written, 2 not collected"), "{stderr}");
    assert!(stderr.contains("not collected (written to the output too, where check reports them):\n  the Azure Local instance /subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-site-c/providers/Microsoft.AzureStackHCI/clusters/site-c: no currentVersion"), "{stderr}");
    assert!(stderr.contains("  the AKS Arc cluster /subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-apps/providers/Microsoft.Kubernetes/connectedClusters/aks-far: no Azure Local instance in resource group rg-elsewhere of subscription 00000000-0000-0000-0000-00000000000a, where its resource bridge far-arcbridge is"), "{stderr}");
    let records = lines(&stdout);
    assert_eq!(records.len(), 4);
    assert_eq!(records[2]["notCollected"]["kind"], "azure-local-instance");
    assert_eq!(records[3]["notCollected"]["kind"], "aks-arc-cluster");
    assert_eq!(records[3]["notCollected"]["name"], "aks-far");
    // check judges the inventories, reports the records as inputs it could
    // not judge, and exits 2.
    let (code, report, stderr) = check_stream(&stdout);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(report["inventories"].as_array().unwrap().len(), 2);
    assert!(stderr.contains("error: <stdin>:3: not an inventory: akspol collect could not make one for the Azure Local instance /subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-site-c/providers/Microsoft.AzureStackHCI/clusters/site-c: no currentVersion"), "{stderr}");
    assert!(stderr.contains("error: <stdin>:4: not an inventory: akspol collect could not make one for the AKS Arc cluster /subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-apps/providers/Microsoft.Kubernetes/connectedClusters/aks-far: no Azure Local instance"), "{stderr}");
}

#[test]
fn pages_not_saved_and_files_that_answer_nothing_are_said() {
    let dir = tempfile::tempdir().unwrap();
    examples_renamed(dir.path());
    // The updates' envelope counts rows no file holds: a page is missing.
    let path = dir.path().join("b");
    let updates = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        updates.replace("\"total_records\": 6", "\"total_records\": 1006"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.md"), "# saved on Monday\n").unwrap();
    std::fs::write(
        dir.path().join("cut.json"),
        "{\"count\": 1000, \"data\": [{\"id\": ",
    )
    .unwrap();
    let (code, _, stderr) = collect_from(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Q2 (resource-graph-updates): the pages read hold 6 of the 1006 rows the query returned (total_records): a page is missing"), "{stderr}");
    assert!(
        stderr.contains("ignored      resource-graph            notes.md: not JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unavailable  resource-graph            cut.json: "),
        "{stderr}"
    );
    // check given the answers themselves says what they are.
    let out = akspol()
        .args(["check", "--as-of", AS_OF])
        .arg(dir.path().join("Export (3).json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("an `az graph query` answer, not an inventory: `akspol collect --resource-graph --from DIR`"), "{}", text(&out.stderr));
    // Without an answer of Q1 nothing can be made.
    std::fs::remove_file(dir.path().join("Export (3).json")).unwrap();
    let (code, stdout, stderr) = collect_from(dir.path(), &[]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("no answer of Q1 (the Azure Local instances"),
        "{stderr}"
    );
}

/// The fleet generator's answers of `instances` instances, saved in a new directory.
fn saved_fleet(instances: usize, instance_page: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fleet = akspol_tools::resource_graph::Fleet {
        instances,
        instance_page,
    };
    for (name, text) in fleet.files() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn a_saved_fleet_of_2000_instances_in_3_pages_goes_through_collect_and_check_to_html_and_metrics() {
    use std::process::{Command, Stdio};
    let fleet = saved_fleet(2000, 700);
    let out = tempfile::tempdir().unwrap();
    let html = out.path().join("fleet.html");
    let metrics = out.path().join("akspol.prom");
    let bin = assert_cmd::cargo::cargo_bin("akspol");
    let mut collect = Command::new(&bin)
        .args([
            "collect",
            "--resource-graph",
            "--collected-at",
            AT,
            "--from",
        ])
        .arg(fleet.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let check = Command::new(&bin)
        .args([
            "check",
            "--as-of",
            AS_OF,
            "--format",
            "html",
            "--no-progress",
            "--report",
        ])
        .arg(format!("openmetrics={}", metrics.display()))
        .arg("-o")
        .arg(&html)
        .arg("-")
        .stdin(collect.stdout.take().unwrap())
        .output()
        .unwrap();
    let collected = collect.wait_with_output().unwrap();
    assert_eq!(
        collected.status.code(),
        Some(0),
        "{}",
        text(&collected.stderr)
    );
    assert!(text(&collected.stderr).contains("2000 Azure Local instances and 2000 AKS Arc clusters from Resource Graph: 2000 inventories written, 0 not collected"));
    assert!(text(&collected.stderr).contains("Q1: 700 rows"));
    assert_ne!(check.status.code(), Some(2), "{}", text(&check.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("site-01999"));
    assert!(page.contains("aks-00003"));
    // The same run's metrics: every instance, and Prometheus reads them.
    let exposition = std::fs::read_to_string(&metrics).unwrap();
    let inventories: u64 = exposition
        .lines()
        .filter(|l| l.starts_with("akspol_inventories{"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(inventories, 2000);
    assert_eq!(
        exposition
            .lines()
            .filter(|l| l.starts_with("akspol_deployment_verdict{") && l.ends_with(" 1"))
            .count(),
        2000
    );
    assert!(exposition.contains("akspol_deployment_verdict{deployment=\"site-01999\""));
    common::promtool_accepts(&metrics);
}

// ---------------------------------------------------------------------------
// Against a stand-in az.

#[cfg(unix)]
mod stand_ins {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};

    /// A stand-in `az` in a directory of its own: it logs its arguments, and
    /// answers each query's page from `q<N>-<token or first>.json` there,
    /// unless `answer` (shell) says otherwise for `$query` and `$token`.
    struct Az {
        dir: tempfile::TempDir,
    }

    impl Az {
        fn new(answer: &str) -> Self {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("az");
            let here = dir.path().display();
            std::fs::write(
                &path,
                format!(
                    r#"#!/bin/sh
for a in "$@"; do printf '%s\n' "$a" >> '{here}/az.log'; done
echo '--' >> '{here}/az.log'
query=''; token=first; next=''
for a in "$@"; do
  if [ "$next" = token ]; then token="$a"; fi
  next=''
  case "$a" in
    --skip-token) next=token ;;
    *updatesummaries*) query=q1 ;;
    *"clusters/updates'"*) query=q2 ;;
    *connectedclusters*) query=q3 ;;
  esac
done
{answer}
cat "{here}/$query-$token.json"
"#
                ),
            )
            .unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            Self { dir }
        }

        /// The pages of the fleet generator's fleet, each under the token that asks for it.
        fn serve(&self, instances: usize, instance_page: usize) {
            let fleet = akspol_tools::resource_graph::Fleet {
                instances,
                instance_page,
            };
            for (q, pages) in fleet.pages().into_iter().enumerate() {
                for (token, text) in pages {
                    let name = format!("q{}-{}.json", q + 1, token.as_deref().unwrap_or("first"));
                    std::fs::write(self.dir.path().join(name), text).unwrap();
                }
            }
        }

        fn path(&self) -> String {
            self.dir.path().join("az").display().to_string()
        }

        fn log(&self) -> String {
            std::fs::read_to_string(self.dir.path().join("az.log")).unwrap_or_default()
        }

        fn collect(&self, more: &[&str]) -> (i32, String, String) {
            let out = akspol()
                .args([
                    "collect",
                    "--resource-graph",
                    "--collected-at",
                    AT,
                    "--az",
                    &self.path(),
                ])
                .args(more)
                .timeout(Duration::from_secs(120))
                .output()
                .unwrap();
            (
                out.status.code().unwrap(),
                text(&out.stdout),
                text(&out.stderr),
            )
        }
    }

    #[test]
    fn pages_are_followed_and_the_scope_is_passed_through() {
        let az = Az::new("");
        az.serve(5, 2);
        let (code, stdout, stderr) =
            az.collect(&["--subscriptions", "s1", "s2", "--management-groups", "mg"]);
        assert_eq!(code, 0, "{stderr}");
        let records = lines(&stdout);
        assert_eq!(records.len(), 5);
        assert_eq!(records[4]["deployment"]["name"], "site-00004");
        assert_eq!(
            records[3]["deployment"]["azure"]["updates"][1]["state"],
            "Ready"
        );
        assert!(
            stderr.contains("  ok           resource-graph-instances  page 3: 1 row\n"),
            "{stderr}"
        );
        let log = az.log();
        let calls: Vec<&str> = log.split("--\n").filter(|c| !c.is_empty()).collect();
        assert_eq!(calls.len(), 5, "{log}");
        // The query on one line, a page of 1,000, the scope, the token.
        let kql = akspol::collect::resource_graph::Query::Instances.kql();
        assert_eq!(
            calls[1],
            format!("graph\nquery\n--graph-query\n{kql}\n--first\n1000\n--output\njson\n--subscriptions\ns1\ns2\n--management-groups\nmg\n--skip-token\nq1-page-2\n")
        );
        let provenance = &records[0]["provenance"]["sources"][1];
        assert_eq!(provenance["command"][4], "<Q1>");
        assert_eq!(provenance["command"][15], "q1-page-2");
        assert_eq!(provenance["ranAt"].as_str().unwrap().len(), 20);
        let (code, _, stderr) = check_stream(&stdout);
        assert_ne!(code, 2, "{stderr}");
    }

    #[test]
    fn a_skip_token_that_loops_is_stopped_and_said() {
        // The third page asks for the second again.
        let az = Az::new(
            r#"if [ "$query-$token" = q1-q1-page-3 ]; then sed 's/"skip_token":null/"skip_token":"q1-page-2"/' "$(dirname "$0")/q1-q1-page-3.json"; exit 0; fi"#,
        );
        az.serve(5, 2);
        let (code, stdout, stderr) = az.collect(&[]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
        assert!(stderr.contains("error: cannot make inventories: Q1 (resource-graph-instances) is unavailable: page 3: az gave the skip token of an earlier page again (a loop): stopped after 3 pages"), "{stderr}");
        // Without the instances the other queries are not asked.
        assert_eq!(az.log().matches("--\n").count(), 3);
    }

    #[test]
    fn an_error_page_leaves_its_query_out_and_the_others_go_on() {
        let az = Az::new(
            r#"if [ "$query-$token" = q2-q2-page-2 ]; then echo "ERROR: (ResponsePayloadTooLarge) Response payload size is 17301504, and has exceeded the limit of 16777216." >&2; exit 1; fi"#,
        );
        az.serve(1500, 1000);
        let (code, stdout, stderr) = az.collect(&[]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("unavailable  resource-graph-updates    page 2: exited with status 1: ERROR: (ResponsePayloadTooLarge)"), "{stderr}");
        let records = lines(&stdout);
        assert_eq!(records.len(), 1500);
        // Not known is not none: no updates at all rather than half of them.
        assert!(records[0]["deployment"]["azure"].get("updates").is_none());
        assert_eq!(records[0]["clusters"][0]["name"], "aks-00000");
        let gaps = records[0]["provenance"]["gaps"].to_string();
        assert!(
            gaps.contains("\"field\":\"deployment.azure.updates\""),
            "{gaps}"
        );
    }

    #[test]
    fn an_expired_login_is_said_with_what_to_do() {
        let az = Az::new(
            r#"echo "ERROR: AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-08-01T09:12:10.000Z and was inactive for 90.00:00:00." >&2; echo "Please run 'az login' to setup account." >&2; exit 1"#,
        );
        let (code, stdout, stderr) = az.collect(&[]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
        assert!(stderr.contains("page 1: exited with status 1: ERROR: AADSTS700082: The refresh token has expired due to inactivity."), "{stderr}");
        assert!(stderr.contains("(sign in again with `az login`; the account needs read access to the subscriptions queried)"), "{stderr}");
        // Without the instances the other queries are not asked.
        assert_eq!(az.log().matches("--\n").count(), 1);
    }

    #[test]
    fn a_scope_without_instances_makes_nothing_and_says_so() {
        let az = Az::new("");
        az.serve(0, 1000);
        let (code, stdout, stderr) = az.collect(&["--subscriptions", "s-empty"]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
        assert!(stderr.contains("error: cannot make inventories: Resource Graph lists no Azure Local instance in the scope queried"), "{stderr}");
        assert!(
            stderr.contains("ok           resource-graph-instances  page 1: 0 rows"),
            "{stderr}"
        );
    }

    #[test]
    fn a_hang_is_stopped_at_the_timeout() {
        // Not `exec`: the sleep is a child, so the whole process group must stop.
        let az = Az::new(r#"if [ "$query" = q3 ]; then sleep 60; fi"#);
        az.serve(3, 1000);
        let started = Instant::now();
        let (code, stdout, stderr) = az.collect(&["--timeout", "1"]);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("unavailable  resource-graph-clusters   page 1: timed out after 1 s and was stopped (raise --timeout)"), "{stderr}");
        let records = lines(&stdout);
        assert!(records[0].get("clusters").is_none());
        assert!(records[0]["provenance"]["gaps"]
            .to_string()
            .contains("Q3 (resource-graph-clusters) unavailable: page 1: timed out"));
    }

    #[test]
    fn malformed_and_oversized_answers_are_unavailable() {
        let az = Az::new(
            r#"case "$query" in
  q2) printf '{"count": 1, "data": [{"id": "/subscriptions/x' ; exit 0 ;;
  q3) head -c 400000 /dev/zero | tr '\0' ' '; exit 0 ;;
esac"#,
        );
        az.serve(3, 1000);
        let (code, stdout, stderr) = az.collect(&["--max-input-bytes", "300000"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stderr.contains(
                "unavailable  resource-graph-updates    page 1: resource-graph-updates page 1:1:"
            ),
            "{stderr}"
        );
        assert!(stderr.contains("the JSON is truncated"), "{stderr}");
        assert!(
            stderr
                .contains("unavailable  resource-graph-clusters   page 1: printed more than the "),
            "{stderr}"
        );
        assert_eq!(lines(&stdout).len(), 3);
    }

    /// Peak memory (kB) and CPU time (clock ticks) of a process, read from
    /// /proc while it runs: the last reading before it ends.
    fn watch(mut child: std::process::Child) -> (std::process::ExitStatus, u64, u64) {
        let pid = child.id();
        let (mut peak, mut ticks) = (0u64, 0u64);
        loop {
            if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
                if let Some(kb) = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                {
                    peak = peak.max(kb);
                }
            }
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                // After the name in parentheses: fields 14 and 15 are utime and stime.
                let fields: Vec<&str> = stat
                    .rsplit_once(')')
                    .map_or("", |s| s.1)
                    .split_whitespace()
                    .collect();
                if let (Some(u), Some(s)) = (fields.get(11), fields.get(12)) {
                    ticks =
                        ticks.max(u.parse::<u64>().unwrap_or(0) + s.parse::<u64>().unwrap_or(0));
                }
            }
            if let Some(status) = child.try_wait().unwrap() {
                return (status, peak, ticks);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn five_thousand_instances_cost_about_four_times_what_1250_do() {
        if !Path::new("/proc/self/status").exists() {
            return;
        }
        let mut costs = Vec::new();
        for instances in [1250, 5000] {
            let az = Az::new("");
            az.serve(instances, 1000);
            let out = tempfile::NamedTempFile::new().unwrap();
            let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("akspol"))
                .args([
                    "collect",
                    "--resource-graph",
                    "--collected-at",
                    AT,
                    "--az",
                    &az.path(),
                    "-o",
                ])
                .arg(out.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let (status, peak, ticks) = watch(child);
            assert!(status.success());
            let written = std::fs::read_to_string(out.path()).unwrap();
            assert_eq!(written.lines().count(), instances);
            eprintln!("{instances} instances: {peak} kB at most, {ticks} ticks of CPU");
            costs.push((peak as f64, ticks.max(1) as f64));
        }
        let (memory, time) = (costs[1].0 / costs[0].0, costs[1].1 / costs[0].1);
        // Linear is 4 (less for memory, which has a floor); quadratic, 16.
        assert!(
            memory < 5.0,
            "peak memory grew {memory:.1} times for 4 times the instances"
        );
        assert!(
            time < 8.0,
            "CPU time grew {time:.1} times for 4 times the instances"
        );
    }
}
