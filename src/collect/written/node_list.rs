//! `clusters[].nodeList` as collect writes it: kubectl's own format (a
//! `List` of `Node`s, as `kubectl get nodes -o json` prints it), with only
//! what akspol reads of each Node (name, labels, annotations,
//! `status.nodeInfo`). `check` reads it leniently (`inventory::nodelist`);
//! what is written here is a subset of kubectl's format that reader knows.

use indexmap::IndexMap;
use serde::Serialize;

/// Labels or annotations, in the order kubectl listed them.
pub type TextMap = IndexMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeList {
    api_version: &'static str,
    kind: &'static str,
    pub items: Vec<ListedNode>,
}

impl NodeList {
    pub fn new(items: Vec<ListedNode>) -> Self {
        Self {
            api_version: "v1",
            kind: "List",
            items,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedNode {
    kind: &'static str,
    pub metadata: NodeMetadata,
    /// Absent when kubectl reported none of [`NodeInfo`]'s fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<NodeStatus>,
}

impl ListedNode {
    pub fn new(metadata: NodeMetadata, info: NodeInfo) -> Self {
        Self {
            kind: "Node",
            metadata,
            status: (info != NodeInfo::default()).then_some(NodeStatus { node_info: info }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeMetadata {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<TextMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<TextMap>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    pub node_info: NodeInfo,
}

/// `status.nodeInfo`: what the node rules read, and what a person reading
/// the inventory asks next (kernel, container runtime).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubelet_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kube_proxy_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_runtime_version: Option<String>,
}
