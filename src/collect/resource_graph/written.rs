//! What `collect --resource-graph` writes, line by line: typed, and made of
//! the inventory's own types for what Azure knows
//! (`crate::inventory::Raw*`), so each line is an inventory `check` reads
//! (`docs/spec/inventory.md`) or a not-collected record it reports.

use std::collections::BTreeMap;

use serde::Serialize;

use super::answers::SourceLine;
use crate::base::product::Product;
use crate::inventory::{RawClusterAzure, RawDeploymentAzure, RawNodePool, RawNotCollected};

/// One line of the stream.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Record<'a> {
    Inventory(Box<Inventory<'a>>),
    NotCollected(NotCollected<'a>),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory<'a> {
    pub schema_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<&'a str>,
    pub deployment: Deployment,
    /// Absent when the clusters are not known (Q3 not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<Cluster>>,
    pub provenance: Provenance<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub name: String,
    pub product: Product,
    pub version: String,
    pub azure: RawDeploymentAzure,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub name: String,
    pub kubernetes_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_pools: Option<Vec<RawNodePool>>,
    pub azure: RawClusterAzure,
}

/// Where each field came from, as `akspol collect` writes it for every
/// inventory (`docs/inventory.md`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance<'a> {
    pub collector: &'a str,
    /// Every page read, for every inventory alike.
    pub sources: &'a [SourceLine],
    pub fields: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub gaps: Vec<Gap>,
}

/// A field no query filled, so the rules that need it skip.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub field: String,
    pub rules: &'static [&'static str],
    pub why: String,
}

/// Something no inventory could be made of, said where the inventories go.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotCollected<'a> {
    pub schema_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<&'a str>,
    pub not_collected: RawNotCollected,
}
