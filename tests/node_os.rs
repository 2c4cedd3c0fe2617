//! V011 on the built binary from what nodes say: saved outputs written from
//! the documented shapes (a `kubectl get nodes -o json` NodeList as
//! Kubernetes defines it, with the OS image, kernel and runtime an AKS
//! hybrid node prints in data/sources/inputs.md, section 3; `az aksarc
//! nodepool list` as MS:AKS-Arc/manage-node-pools.md prints it), not copied
//! from the project's fixtures. The facts (names, release) are made up.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::{akspol, run};

use std::path::Path;

use serde_json::{json, Value};

/// Azure Linux 2.0's last day of support is 2025-07-31.
const LAST_DAY: &str = "2025-07-31";
const DAY_AFTER: &str = "2025-08-01";
const AT: &str = "2025-08-01T09:30:00Z";

/// One node of `kubectl get nodes -o json`, in pool `pool` of cluster edge
/// (AKS Arc's label: `<cluster>-<random>-<pool>`), reporting `os_image`.
fn node(name: &str, pool: &str, control_plane: bool, os_image: Option<&str>) -> Value {
    let mut labels = json!({
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "msft.microsoft/nodepool-name": format!("edge-5f1c2a9d-{pool}"),
    });
    if control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
    }
    let mut node_info = json!({
        "architecture": "amd64",
        "bootID": "0b3f0c7e-6c1d-4a57-9a61-1d2f7c0e4b11",
        "containerRuntimeVersion": "containerd://1.6.26",
        "kernelVersion": "5.15.153.1-2.cm2",
        "kubeProxyVersion": "v1.30.4",
        "kubeletVersion": "v1.30.4",
        "machineID": "4f0a6c1e9b8d4e2f8a7c6b5d4e3f2a1b",
        "operatingSystem": "linux",
        "systemUUID": "7C3E2A10-5B4D-4F6E-8A9B-0C1D2E3F4A5B"
    });
    if let Some(image) = os_image {
        node_info["osImage"] = json!(image);
    }
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "creationTimestamp": "2025-07-03T10:12:44Z",
            "labels": labels,
            "name": name,
            "resourceVersion": "811023",
            "uid": format!("{name}-uid")
        },
        "spec": {"podCIDR": "10.244.1.0/24"},
        "status": {
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
            "nodeInfo": node_info
        }
    })
}

/// `kubectl get nodes -o json` of cluster edge: a control-plane node and a
/// node of pool nodepool1, both reporting `os_image`.
fn nodes(os_image: Option<&str>) -> String {
    let list = json!({
        "apiVersion": "v1",
        "items": [
            node("moc-lq4z7k2c9w", "control-plane", true, os_image),
            node("moc-lt8v3n6x1p", "nodepool1", false, os_image),
        ],
        "kind": "List",
        "metadata": {"resourceVersion": ""}
    });
    serde_json::to_string_pretty(&list).unwrap()
}

/// `az aksarc nodepool list` of cluster edge: nodepool1, CBLMariner.
fn node_pools() -> String {
    let pools = json!([{
        "count": 1,
        "extendedLocation": {"name": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-site/providers/Microsoft.ExtendedLocation/customLocations/cl-site", "type": "CustomLocation"},
        "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-site/providers/Microsoft.Kubernetes/connectedClusters/edge/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default/agentPools/nodepool1",
        "location": "westeurope",
        "maxPods": 110,
        "name": "nodepool1",
        "nodeImageVersion": null,
        "osSku": "CBLMariner",
        "osType": "Linux",
        "provisioningState": "Succeeded",
        "resourceGroup": "rg-site",
        "status": {"errorMessage": null, "operationStatus": null, "readyReplicas": [{"count": 1, "vmSize": "Standard_A4_v2"}]},
        "type": "microsoft.hybridcontainerservice/provisionedclusterinstances/agentpools",
        "vmSize": "Standard_A4_v2"
    }]);
    serde_json::to_string_pretty(&pools).unwrap()
}

/// A folder of saved outputs holding `files` (name, text).
fn saved(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// `check DIR` of AKS Arc saved outputs on `release`, as of `as_of`, as
/// JSON: the exit status, V011's findings (scope, status, message) and the
/// report.
fn check(dir: &Path, release: &str, as_of: &str) -> (i32, Vec<(String, String, String)>, Value) {
    let out = run(akspol()
        .args([
            "check",
            "--product",
            "aks-arc",
            "--deployment-version",
            release,
        ])
        .args(["--collected-at", AT, "--as-of", as_of, "--format", "json"])
        .arg(dir));
    let report = out.json();
    (out.code, v011_of(&report), report)
}

fn v011_of(report: &Value) -> Vec<(String, String, String)> {
    report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "V011")
        .map(|f| {
            (
                f["scope"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn statuses(v011: &[(String, String, String)]) -> Vec<&str> {
    v011.iter().map(|(_, status, _)| status.as_str()).collect()
}

#[test]
fn kubectl_nodes_reporting_cbl_mariner_fail_v011_after_azure_linux_2_ends() {
    let dir = saved(&[(
        "kubectl-get-nodes-edge.json",
        nodes(Some("CBL-Mariner/Linux")),
    )]);
    let (code, v011, report) = check(dir.path(), "2506", DAY_AFTER);
    assert_eq!(statuses(&v011), ["fail", "fail"], "{v011:?}");
    for (_, _, message) in &v011 {
        assert!(
            message.starts_with("Azure Linux 2.0 (CBLMariner) support ends with 2025-07-31: out of support since 2025-08-01; the node reports osImage `CBL-Mariner/Linux`"),
            "{message}"
        );
    }
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "unsupported");
    // V011 is what makes the verdict: nothing else fails.
    let failing: Vec<&str> = report["inventories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(failing, ["V011", "V011"]);
    // On the last day each node warns, and the run passes the gate.
    let (code, v011, _) = check(dir.path(), "2506", LAST_DAY);
    assert_eq!(statuses(&v011), ["warn", "warn"], "{v011:?}");
    assert!(v011[0].2.contains("1 day left"), "{v011:?}");
    assert_eq!(code, 0);
}

#[test]
fn nodes_without_an_image_take_their_pools_os_sku_by_their_label() {
    let dir = saved(&[
        ("kubectl-get-nodes-edge.json", nodes(None)),
        ("az-aksarc-nodepool-list-edge.json", node_pools()),
    ]);
    // 2506 ships no Azure Linux 3.0 image: nodepool1's node is on 2.0. The
    // control-plane node's pool is not listed: its OS is not known.
    let (code, v011, _) = check(dir.path(), "2506", DAY_AFTER);
    let by_node: Vec<(&str, &str)> = v011
        .iter()
        .map(|(scope, status, _)| (scope.as_str(), status.as_str()))
        .collect();
    assert_eq!(by_node, [("node/edge/moc-lt8v3n6x1p", "fail")], "{v011:?}");
    assert!(
        v011[0].2.ends_with("osSku CBLMariner of node pool nodepool1 on release 2506, which ships no Azure Linux 3.0 image (AKS Arc ships them from 2507)"),
        "{v011:?}"
    );
    assert_eq!(code, 1);
    // From 2507 AKS Arc ships 3.0 images, but 1.30.4 also came with 2.0
    // ones before: which the node runs is unknown, not a pass.
    let (_, v011, _) = check(dir.path(), "2507", DAY_AFTER);
    assert_eq!(statuses(&v011), ["unknown"], "{v011:?}");

    // collect writes the pools into the inventory, and check of that
    // inventory judges the nodes alike.
    let out = collect(dir.path());
    let inventory = out.json();
    assert_eq!(
        inventory["clusters"][0]["nodePools"][0]["osSku"],
        "CBLMariner"
    );
    assert!(
        out.stderr.contains("cluster edge: 1 of 2 nodes belong to a node pool az aksarc lists with its osSku (by their msft.microsoft/nodepool-name label)"),
        "{}",
        out.stderr
    );
    let judged = run(akspol()
        .args(["check", "--as-of", DAY_AFTER, "--format", "json", "-"])
        .write_stdin(serde_json::to_string(&inventory).unwrap()));
    assert_eq!(statuses(&v011_of(&judged.json())), ["fail"]);
}

/// `collect --from DIR` of AKS Arc saved outputs on 2506; it succeeds.
fn collect(dir: &Path) -> crate::common::Run {
    let out = run(akspol()
        .args(["collect", "--from"])
        .arg(dir)
        .args(["--product", "aks-arc", "--deployment-version", "2506"])
        .args(["--collected-at", AT]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

/// The lines of collect's gap list (standard error) naming V011.
fn v011_gaps(dir: &Path) -> Vec<String> {
    let summary = collect(dir).stderr;
    let gaps = summary
        .split("gaps (not known, so the rules that need them skip):\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no gap list:\n{summary}"));
    gaps.lines()
        .take_while(|l| l.starts_with("  "))
        .filter(|l| l.contains("V011"))
        .map(str::to_string)
        .collect()
}

#[test]
fn collects_gap_list_names_v011_where_nothing_tells_a_nodes_os() {
    // Nodes that report no image, and no pool list: V011 is silenced.
    let dir = saved(&[("kubectl-get-nodes-edge.json", nodes(None))]);
    assert_eq!(
        v011_gaps(dir.path()),
        ["  clusters[0].nodes[].osSku, osImage (V011): edge: 2 nodes report no osImage, and no node pool's osSku reaches them (az-aksarc-nodepool-list-edge, matched by the msft.microsoft/nodepool-name label)"]
    );
    // Nodes that report their image: nothing missing for V011.
    let dir = saved(&[(
        "kubectl-get-nodes-edge.json",
        nodes(Some("CBL-Mariner/Linux")),
    )]);
    assert_eq!(v011_gaps(dir.path()), Vec::<String>::new());
}
