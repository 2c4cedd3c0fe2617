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
