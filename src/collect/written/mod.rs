//! What every collector writes, as typed structs that serde writes: an
//! inventory (`docs/spec/inventory.md`) with its provenance block. Both
//! `akspol collect` (`collect::assemble`) and `collect --resource-graph`
//! (`collect::resource_graph`) write these, and what Azure knows is the
//! inventory's own raw types (`crate::inventory::Raw*`), so what collect
//! writes is what `check` reads. Key order is field order (serde_json keeps
//! it): the order the inventory's spec lists them.

mod node_list;
mod provenance;

use serde::Serialize;

use crate::base::product::Product;
use crate::inventory::{ClusterState, RawClusterAzure, RawDeploymentAzure, RawNodePool};

pub use node_list::{ListedNode, NodeInfo, NodeList, NodeMetadata, NodeStatus, TextMap};
pub use provenance::{Fields, Gap, Provenance, SourceRecord, SourceStatus, COLLECTOR};

/// One inventory.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory<'a> {
    pub schema_version: i64,
    /// RFC 3339; absent when not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    pub deployment: Deployment,
    /// Absent when no source listed the clusters, so the cluster rules skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<Cluster>>,
    pub provenance: Provenance<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub name: String,
    /// Absent for the default line, aks-hybrid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure: Option<RawDeploymentAzure>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub name: String,
    pub kubernetes_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<ClusterState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cni: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_list: Option<NodeList>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_pools: Option<Vec<RawNodePool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure: Option<RawClusterAzure>,
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::inventory::{LoadOptions, NodeRole, RawNodePool};

    /// An inventory with every field the written structs hold.
    fn everything() -> Inventory<'static> {
        let mut labels = TextMap::new();
        // In kubectl's order, not sorted.
        labels.insert("zone".into(), "a".into());
        labels.insert(
            "node-role.kubernetes.io/control-plane".into(),
            String::new(),
        );
        let info = NodeInfo {
            kubelet_version: Some("v1.29.4".into()),
            kube_proxy_version: Some("v1.29.4".into()),
            operating_system: Some("linux".into()),
            os_image: Some("CBL-Mariner/Linux".into()),
            kernel_version: Some("5.15.153.1-2.cm2".into()),
            container_runtime_version: Some("containerd://1.6.26".into()),
        };
        let metadata = NodeMetadata {
            name: "moc-cp".into(),
            labels: Some(labels.clone()),
            annotations: Some(labels),
        };
        let cluster = Cluster {
            name: "akswc1".into(),
            kubernetes_version: "v1.29.4".into(),
            state: Some(ClusterState::Running),
            cni: Some("calico".into()),
            node_list: Some(NodeList::new(vec![ListedNode::new(metadata, info)])),
            node_pools: Some(vec![RawNodePool {
                name: "pool".into(),
                count: Some(1),
                ..RawNodePool::default()
            }]),
            azure: Some(RawClusterAzure {
                kind: Some("ProvisionedCluster".into()),
                ..RawClusterAzure::default()
            }),
        };
        let source = SourceRecord {
            name: "kubectl-get-nodes-akswc1".into(),
            command: Some(vec!["kubectl".into()]),
            file: Some("kubectl-get-nodes-akswc1.json".into()),
            ran_at: Some("2026-11-20T09:30:00Z".into()),
            status: SourceStatus::Unavailable,
            detail: Some("why".into()),
        };
        Inventory {
            schema_version: crate::inventory::SCHEMA_VERSION,
            collected_at: Some("2026-11-20T09:30:00Z".into()),
            deployment: Deployment {
                name: "edge".into(),
                product: Some(Product::AksArc),
                version: "2510".into(),
                azure: Some(RawDeploymentAzure {
                    location: Some("westeurope".into()),
                    ..RawDeploymentAzure::default()
                }),
            },
            clusters: Some(vec![cluster]),
            provenance: Provenance {
                collector: COLLECTOR,
                sources: Cow::Owned(vec![source]),
                fields: [(
                    "deployment.name".to_string(),
                    "--deployment-name".to_string(),
                )]
                .into_iter()
                .collect(),
                conflicts: vec!["a conflict".into()],
                problems: vec!["a problem".into()],
                notes: vec!["a note".into()],
                gaps: Cow::Owned(vec![Gap {
                    field: "deployment.platform".into(),
                    rules: vec!["V008"],
                    why: "not known".into(),
                }]),
            },
        }
    }

    #[test]
    fn every_key_written_is_one_check_reads() {
        let text = serde_json::to_string(&everything()).unwrap();
        // Unknown keys are errors by default: none is written.
        let loaded = crate::inventory::load("written", &text, LoadOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let cluster = &loaded.inventory.clusters()[0];
        assert_eq!(cluster.nodes[0].name, "moc-cp");
        assert_eq!(cluster.nodes[0].role, Some(NodeRole::ControlPlane));
        assert_eq!(cluster.node_pools.as_ref().map(Vec::len), Some(1));
        assert!(loaded.inventory.deployment.azure.is_some());
    }

    #[test]
    fn keys_are_written_in_the_specs_order_and_labels_in_kubectls() {
        let text = serde_json::to_string(&everything()).unwrap();
        let order = [
            r#"{"schemaVersion":1,"collectedAt":"#,
            r#""deployment":{"name":"edge","product":"aks-arc","version":"2510","azure":"#,
            r#""clusters":[{"name":"akswc1","kubernetesVersion":"v1.29.4","state":"Running","cni":"calico","nodeList":{"apiVersion":"v1","kind":"List","items":[{"kind":"Node","metadata":{"name":"moc-cp","labels":{"zone":"a","node-role"#,
            r#""status":{"nodeInfo":{"kubeletVersion":"v1.29.4","kubeProxyVersion":"v1.29.4","operatingSystem":"linux","osImage":"CBL-Mariner/Linux","kernelVersion":"5.15.153.1-2.cm2","containerRuntimeVersion":"containerd://1.6.26"}}}]},"nodePools":"#,
            r#""provenance":{"collector":"akspol "#,
            r#""sources":[{"name":"kubectl-get-nodes-akswc1","command":["kubectl"],"file":"kubectl-get-nodes-akswc1.json","ranAt":"2026-11-20T09:30:00Z","status":"unavailable","detail":"why"}],"fields":{"deployment.name":"--deployment-name"},"conflicts":["a conflict"],"problems":["a problem"],"notes":["a note"],"gaps":[{"field":"deployment.platform","rules":["V008"],"why":"not known"}]}}"#,
        ];
        let mut from = 0;
        for part in order {
            let at = text[from..]
                .find(part)
                .unwrap_or_else(|| panic!("{part}\nnot after {from} in\n{text}"));
            from += at + part.len();
        }
    }

    #[test]
    fn a_node_without_node_info_has_no_status() {
        let metadata = NodeMetadata {
            name: "n".into(),
            labels: None,
            annotations: None,
        };
        let node = ListedNode::new(metadata, NodeInfo::default());
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            r#"{"kind":"Node","metadata":{"name":"n"}}"#
        );
    }
}
