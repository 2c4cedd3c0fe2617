//! Small hostile inputs that once took akspol minutes (issue 12, "Unbounded
//! time or memory from small inputs"; issue 22, one inventory of many
//! clusters): each is a set of files and the `akspol` command that reads
//! them. `tests/hostile.rs` runs every case at a quarter of its size and in
//! full and compares the times; `scripts/bench.sh` times the full cases
//! (`akspol-fleetgen hostile DIR` writes them).

use std::io;
use std::path::Path;

use serde_json::{json, Value};

/// One hostile input: the files to write and the command line to run in
/// the directory that holds them.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: &'static str,
    /// What it is, and what the code before the fix did with it.
    pub what: &'static str,
    pub files: Vec<(&'static str, Vec<u8>)>,
    /// Arguments of `akspol`, file names relative to the case's directory;
    /// `{server}` stands for the address of an HTTP server (`http://127.0.0.1:PORT`)
    /// that serves the case's directory.
    pub args: Vec<&'static str>,
    /// The exit status the fixed code gives.
    pub status: i32,
    /// A fragment the output must hold (standard output for 0 and 1,
    /// standard error for 2).
    pub expect: String,
}

/// The as-of date every case is judged on.
pub const AS_OF: &str = "2026-11-23";

fn compact(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn inventory(version: &str, clusters: Vec<Value>) -> Value {
    json!({
        "schemaVersion": 1,
        "deployment": { "name": "hostile", "version": version },
        "clusters": clusters,
    })
}

/// Every case, in a fixed order, at its full size.
pub fn cases() -> Vec<Case> {
    cases_divided(1)
}

/// Every case with its count (dates, nodes, characters, waivers, items,
/// versions, clusters) divided by `by`.
pub fn cases_divided(by: usize) -> Vec<Case> {
    let n = |full: usize| full / by.max(1);
    vec![
        invalid_dates(n(20_000)),
        failing_nodes_on_one_line(n(50_000), "sarif"),
        failing_nodes_on_one_line(n(50_000), "github"),
        long_cell(n(1_000_000)),
        waivers(n(20_000)),
        node_list(n(150_000)),
        release_body(n(200_000)),
        clusters_planned(n(160_000)),
        clusters_reported(n(160_000), "html"),
        clusters_reported(n(160_000), "markdown"),
    ]
}

/// The placeholder in [`Case::args`] for the base URL of a server of the case's files.
pub const SERVER: &str = "{server}";

/// `catalog update` of one GitHub release whose body names 200,000 AKS
/// hybrid versions and as many Kubernetes versions: each found version was
/// compared with every one kept before.
pub fn release_body(n: usize) -> Case {
    let mut body = String::from("Kubernetes versions:\n");
    for i in 0..n {
        body.push_str(&format!("- 1.{}.{i} in 1.0.{i}.10101\n", 10 + i % 1000));
    }
    let releases = json!([{
        "tag_name": "AKS-arc-2701",
        "name": "January 2027",
        "published_at": "2026-11-01T00:00:00Z",
        "body": body,
    }]);
    Case {
        name: "release-body",
        what: "catalog update: a release body naming 200,000 versions",
        files: vec![("releases.json", compact(&releases))],
        args: vec![
            "catalog",
            "update",
            // The AksHci line alone: Azure Local's manifest is not this case's.
            "--product",
            "aks-hybrid",
            "--url",
            "{server}/releases.json",
            "--cache-dir",
            "cache",
            "--as-of",
            AS_OF,
        ],
        status: 0,
        expect: "fetched 1 release (1 page)".into(),
    }
}

/// 20,000 clusters with an impossible `stoppedSince`: each problem was
/// located by scanning the text from the top (57 s for 0.9 MB).
pub fn invalid_dates(n: usize) -> Case {
    let clusters = (0..n)
        .map(|i| {
            json!({ "name": format!("c{i}"), "kubernetesVersion": "1.28.5",
                    "state": "Stopped", "stoppedSince": "2026-02-30" })
        })
        .collect();
    Case {
        name: "invalid-dates",
        what: "20,000 invalid dates in one inventory (reported: the first 100)",
        files: vec![(
            "inventory.json",
            compact(&inventory("1.0.24.11029", clusters)),
        )],
        args: vec!["check", "--as-of", AS_OF, "inventory.json"],
        status: 2,
        expect: format!("and {} more problems, not shown", n.saturating_sub(100)),
    }
}

/// 50,000 failing nodes in a one-line inventory: SARIF and GitHub point at
/// each node's line, which was counted from the top for every node (91-120 s).
pub fn failing_nodes_on_one_line(n: usize, format: &'static str) -> Case {
    let nodes: Vec<Value> = (0..n)
        .map(|i| {
            json!({ "name": format!("n{i}"), "role": "worker",
                    "image": { "version": "custom", "published": false } })
        })
        .collect();
    let clusters = vec![json!({ "name": "c", "kubernetesVersion": "1.28.5", "nodes": nodes })];
    Case {
        name: if format == "sarif" {
            "nodes-one-line-sarif"
        } else {
            "nodes-one-line-github"
        },
        what: "50,000 failing nodes on one line, as SARIF or GitHub annotations",
        files: vec![(
            "inventory.json",
            compact(&inventory("1.0.24.11029", clusters)),
        )],
        args: vec![
            "check",
            "--as-of",
            AS_OF,
            "--select",
            "M003",
            "--format",
            format,
            "inventory.json",
        ],
        status: 1,
        // SARIF keeps GitHub's 25,000 results per run (and says so); the
        // annotations go on as log lines: either way the output reaches far in.
        expect: if format == "sarif" {
            format!("n{}", n.min(25_000).saturating_sub(1))
        } else {
            format!("n{}", n.saturating_sub(1))
        },
    }
}

/// A 1 MB CNI name in the table: the table library wraps a long word in
/// quadratic time (over 120 s).
pub fn long_cell(n: usize) -> Case {
    let clusters =
        vec![json!({ "name": "c", "kubernetesVersion": "1.28.5", "cni": "x".repeat(n) })];
    Case {
        name: "table-long-string",
        what: "a 1 MB string in a table cell (shown: the first 2,000 characters)",
        files: vec![(
            "inventory.json",
            compact(&inventory("1.0.24.11029", clusters)),
        )],
        args: vec![
            "check",
            "--as-of",
            AS_OF,
            "--select",
            "C002",
            "inventory.json",
        ],
        status: 0,
        expect: "more characters: see --format json".into(),
    }
}

/// 20,000 waivers for 20,000 stopped clusters: each waiver was located by a
/// scan from the top and matched by a scan of every finding (47 s).
pub fn waivers(n: usize) -> Case {
    let clusters = (0..n)
        .map(|i| {
            json!({ "name": format!("c{i}"), "kubernetesVersion": "1.28.5",
                    "state": "Stopped", "stoppedSince": "2026-09-01" })
        })
        .collect();
    let waivers: Vec<Value> = (0..n)
        .map(|i| {
            json!({ "rule": "S001", "scope": format!("cluster/c{i}"),
                    "reason": "decommissioned", "expires": "2027-01-01" })
        })
        .collect();
    Case {
        name: "waivers",
        what: "20,000 waivers, each matching one of 20,000 findings",
        files: vec![
            (
                "inventory.json",
                compact(&inventory("1.0.24.11029", clusters)),
            ),
            (
                "waivers.json",
                serde_json::to_vec_pretty(&waivers).unwrap_or_default(),
            ),
        ],
        args: vec![
            "check",
            "--as-of",
            AS_OF,
            "--select",
            "S001",
            "--format",
            "json",
            "--waivers",
            "waivers.json",
            "inventory.json",
        ],
        status: 0,
        expect: format!("\"waived\": {n}"),
    }
}

/// A kubectl `nodeList` of 150,000 items: each item was merged by a scan of
/// every node taken so far (40,000: 5.6 s; 1,000,000: most of an hour).
pub fn node_list(n: usize) -> Case {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "kind": "Node",
                "metadata": { "name": format!("node-{i}"),
                              "labels": { "kubernetes.io/os": "linux" } },
                "status": { "nodeInfo": { "kubeletVersion": "v1.28.5",
                                          "kubeProxyVersion": "v1.28.5",
                                          "operatingSystem": "linux" } },
            })
        })
        .collect();
    let clusters = vec![json!({
        "name": "c", "kubernetesVersion": "1.28.5",
        "nodeList": { "kind": "List", "items": items },
    })];
    Case {
        name: "node-list",
        what: "a kubectl nodeList of 150,000 items",
        files: vec![(
            "inventory.json",
            compact(&inventory("1.0.24.11029", clusters)),
        )],
        args: vec![
            "check",
            "--as-of",
            AS_OF,
            "--select",
            "V007",
            "--format",
            "json",
            "inventory.json",
        ],
        status: 0,
        expect: format!("all {n} nodes pass"),
    }
}

/// Writes `case`'s files into `dir`.
pub fn write(case: &Case, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, bytes) in &case.files {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// `plan` of one inventory of 160,000 clusters ([`many_clusters`]): each of
/// the stopped clusters' later stages was looked up in every calendar entry
/// before it (25 s; 40,000 clusters: 4.4 s).
pub fn clusters_planned(n: usize) -> Case {
    Case {
        name: "clusters-plan",
        what: "plan: one inventory of 160,000 clusters",
        files: vec![("inventory.json", compact(&many_clusters(n, false)))],
        args: vec!["plan", "--as-of", AS_OF, "inventory.json"],
        status: 0,
        expect: format!("cluster/c{}", (n.saturating_sub(1) / 4) * 4),
    }
}

/// `check --format html` or `markdown` of the inventory of
/// [`clusters_planned`]: both show the plan's calendar (40,000 clusters: 4.5 s).
pub fn clusters_reported(n: usize, format: &'static str) -> Case {
    Case {
        name: if format == "html" {
            "clusters-html"
        } else {
            "clusters-markdown"
        },
        what: "check --format html or markdown: one inventory of 160,000 clusters",
        files: vec![("inventory.json", compact(&many_clusters(n, false)))],
        args: vec![
            "check",
            "--as-of",
            AS_OF,
            "--format",
            format,
            "inventory.json",
        ],
        status: 1,
        expect: format!("Cluster c{}", n.saturating_sub(1)),
    }
}

/// One inventory of `n` clusters of every kind the planner and the reports
/// treat apart, in turn: stopped (the policy's later stages in the
/// calendar), on an old Kubernetes version with a node two minors behind
/// (upgrade steps, node findings), with third-party components, a preview
/// feature and a privileged daemon set (support coverage), and a management
/// cluster. `arc` makes it an AKS Arc deployment on Azure Local.
pub fn many_clusters(n: usize, arc: bool) -> Value {
    let clusters: Vec<Value> = (0..n)
        .map(|i| {
            let name = format!("c{i}");
            match i % 4 {
                0 => json!({ "name": name, "kubernetesVersion": "1.29.4",
                             "state": "Stopped", "stoppedSince": "2026-11-13", "stoppedVia": "aks" }),
                1 => json!({ "name": name, "kubernetesVersion": "1.27.1",
                             "nodes": [{ "name": "n0", "kubeletVersion": "v1.25.2" }] }),
                2 => json!({ "name": name, "kubernetesVersion": "1.29.4", "cni": "cilium",
                             "components": [
                                 { "name": "istio", "version": "1.22", "source": "open-source" },
                                 { "name": "vendor-agent", "source": "closed-source" }],
                             "previewFeatures": ["preview-a"],
                             "privilegedDaemonSets": [{ "name": "tuner", "namespace": "ops" }] }),
                _ => json!({ "name": name, "kind": "management", "kubernetesVersion": "1.29.4" }),
            }
        })
        .collect();
    let deployment = if arc {
        json!({ "name": "many-clusters", "product": "aks-arc", "version": "11.2508.1001.51",
                "platform": { "os": "AzureLocal", "version": "23H2" } })
    } else {
        json!({ "name": "many-clusters", "version": "1.0.24.11029",
                "platform": { "os": "WindowsServer", "version": "2019", "edition": "Datacenter" } })
    };
    json!({ "schemaVersion": 1, "deployment": deployment, "clusters": clusters })
}
