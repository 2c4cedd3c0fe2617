//! A synthetic fleet as Azure Resource Graph answers it: the pages of the
//! three queries `akspol collect --resource-graph` runs (Q1 instances, Q2
//! updates, Q3 AKS Arc clusters), in the `az graph query` 2.x envelope, in
//! the shapes of `fixtures/collect/resource-graph/` (whose values come from
//! `data/sources/inputs-azure.md`). Deterministic: instance `i` is
//! `site-{i:05}` in resource group `rg-site-{i:05}`.

use serde_json::{json, Value};

/// A fleet's shape.
#[derive(Debug, Clone, Copy)]
pub struct Fleet {
    pub instances: usize,
    /// Rows a page of Q1 (Q2 and Q3 take 1,000, as `az graph query --first 1000`).
    pub instance_page: usize,
}

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-00000000000a";

fn instance_id(i: usize) -> String {
    format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-site-{i:05}/providers/Microsoft.AzureStackHCI/clusters/site-{i:05}")
}

fn instance(i: usize) -> Value {
    // Every seventh site is a release behind, with the next one ready.
    let behind = i % 7 == 3;
    let version = if behind {
        "12.2604.1003.1006"
    } else {
        "12.2608.1003.8"
    };
    json!({
        "id": instance_id(i),
        "name": format!("site-{i:05}"),
        "resourceGroup": format!("rg-site-{i:05}"),
        "subscriptionId": SUBSCRIPTION,
        "location": "westeurope",
        "status": if behind { "NotConnectedRecently" } else { "ConnectedRecently" },
        "connectivityStatus": if behind { "NotConnectedRecently" } else { "Connected" },
        "lastSyncTimestamp": if behind { "2026-07-30T06:12:44Z" } else { "2026-08-28T11:00:03Z" },
        "registrationTimestamp": "2025-11-12T14:13:07Z",
        "clusterVersion": "10.0.26100",
        "reportedLastUpdated": "2026-08-28T10:58:40Z",
        "supportedCapabilities": ["ManagedIdentity", "CloudManagement", "CloudManagedUpdates"],
        "nodes": [
            {"name": "NODE1", "osName": "Azure Stack HCI", "osDisplayVersion": "24H2", "osVersion": "10.0.26100.32690", "coreCount": 32, "memoryInGiB": 512},
            {"name": "NODE2", "osName": "Azure Stack HCI", "osDisplayVersion": "24H2", "osVersion": "10.0.26100.32690", "coreCount": 32, "memoryInGiB": 512}
        ],
        "currentVersion": version,
        "updateState": if behind { "UpdateAvailable" } else { "AppliedSuccessfully" },
        "healthState": "Success",
        "lastUpdated": "2026-05-20T03:02:10Z",
        "lastChecked": "2026-08-28T09:05:51Z",
        "packageVersions": [{"packageType": "Solution", "version": version, "lastUpdated": "2026-05-20T03:02:10Z"}]
    })
}

fn updates(i: usize) -> [Value; 2] {
    let behind = i % 7 == 3;
    let id = instance_id(i);
    let update = |name: &str, display: &str, state: &str| {
        json!({
            "id": format!("{id}/updates/Solution{name}"),
            "clusterKey": id.to_ascii_lowercase(),
            "name": format!("Solution{name}"),
            "displayName": display,
            "version": name,
            "state": state,
            "packageType": "Solution",
            "publisher": "Microsoft",
            "availabilityType": "Local",
            "installedDate": if state == "Installed" { json!("2026-05-19T23:15:00Z") } else { Value::Null },
            "healthState": "Success",
            "releaseLink": "https://go.microsoft.com/fwlink/?linkid=2371618",
            "createdAt": "2026-07-18T01:47:30Z"
        })
    };
    [
        update("12.2604.1003.1006", "2026.04 Feature Update", "Installed"),
        update(
            "12.2607.1003.73",
            "2026.07 Cumulative Update",
            if behind { "Ready" } else { "Installed" },
        ),
    ]
}

fn cluster(i: usize) -> Value {
    let id = format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-apps-{i:05}/providers/Microsoft.Kubernetes/connectedClusters/aks-{i:05}");
    json!({
        "id": id,
        "name": format!("aks-{i:05}"),
        "resourceGroup": format!("rg-apps-{i:05}"),
        "subscriptionId": SUBSCRIPTION,
        "kind": "ProvisionedCluster",
        "pciId": format!("{id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default"),
        "customLocationKey": format!("/subscriptions/{SUBSCRIPTION}/resourcegroups/rg-site-{i:05}/providers/microsoft.extendedlocation/customlocations/site-{i:05}"),
        "hostResourceId": format!("/subscriptions/{SUBSCRIPTION}/resourcegroups/rg-site-{i:05}/providers/microsoft.resourceconnector/appliances/site-{i:05}-arcbridge"),
        "kubernetesVersion": "1.31.12",
        "provisioningState": "Succeeded",
        "currentState": "Succeeded",
        "controlPlaneCount": 1,
        "agentPoolProfiles": [
            {"name": "nodepool1", "count": 2, "vmSize": "Standard_A4_v2", "osType": "Linux", "osSKU": "CBLMariner", "kubernetesVersion": "1.31.12"},
            {"name": "winpool", "count": 1, "vmSize": "Standard_K8S3_v1", "osType": "Windows", "osSKU": "Windows2022", "kubernetesVersion": "1.31.12"}
        ],
        "arcConnectivityStatus": "Connected",
        "arcLastConnectivityTime": "2026-08-28T11:02:15Z",
        "arcKubernetesVersion": "1.31.12",
        "arcAgentVersion": "1.24.4",
        "distribution": "AKS"
    })
}

/// One query's rows as pages: `(skip token that asks for it, page text)`;
/// the first page's token is `None`.
fn pages(label: &str, rows: Vec<Value>, per_page: usize) -> Vec<(Option<String>, String)> {
    let total = rows.len();
    let chunks: Vec<&[Value]> = rows.chunks(per_page.max(1)).collect();
    let count = chunks.len().max(1);
    (0..count)
        .map(|n| {
            let data = chunks.get(n).copied().unwrap_or_default();
            let next = (n + 1 < count).then(|| format!("{label}-page-{}", n + 2));
            let asked_by = (n > 0).then(|| format!("{label}-page-{}", n + 1));
            let page = json!({
                "count": data.len(),
                "data": data,
                "skip_token": next,
                "total_records": total
            });
            (asked_by, page.to_string())
        })
        .collect()
}

impl Fleet {
    /// The pages of Q1, Q2 and Q3 (in that order), each with the skip
    /// token that asks for it.
    pub fn pages(&self) -> [Vec<(Option<String>, String)>; 3] {
        let n = self.instances;
        [
            pages("q1", (0..n).map(instance).collect(), self.instance_page),
            pages("q2", (0..n).flat_map(updates).collect(), 1000),
            pages("q3", (0..n).map(cluster).collect(), 1000),
        ]
    }

    /// The pages as files a person saved, under names that say nothing of
    /// the query (akspol knows them by their columns).
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        for (q, pages) in self.pages().into_iter().enumerate() {
            for (p, (_, text)) in pages.into_iter().enumerate() {
                files.push((format!("answer-{}-{}.json", 3 - q, p + 1), text));
            }
        }
        files
    }
}
