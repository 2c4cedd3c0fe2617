//! The inventory as written (`docs/spec/inventory.md`), as serde types.
//! Dates and versions stay text here; [`super::resolve`] checks them and
//! reports every problem with its JSON path.
//!
//! Unknown keys are not rejected by serde but collected by the loader, so that
//! `--allow-unknown-fields` can downgrade them to warnings.

use serde::Deserialize;

use super::labels::LabelMap;
use crate::base::product::Product;

use super::model::{
    ClusterKind, ClusterState, ComponentSource, Environment, GateStage, HostOs, ModificationVia,
    NodeOs, NodeRole, PowerState, SubscriptionState, Via,
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawInventory {
    pub schema_version: Option<i64>,
    pub collected_at: Option<String>,
    pub deployment: RawDeployment,
    pub clusters: Option<Vec<RawCluster>>,
    /// Where `akspol collect` found each field: read leniently (it informs
    /// people, no rule reads it), but it must be an object.
    pub provenance: Option<crate::input::strict::StrictValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawDeployment {
    pub name: String,
    pub product: Option<Product>,
    pub version: String,
    pub platform: Option<RawPlatform>,
    pub subscription: Option<RawSubscription>,
    pub preview_features: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawPlatform {
    pub os: HostOs,
    pub version: String,
    pub edition: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawSubscription {
    pub state: SubscriptionState,
    pub since: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawCluster {
    pub name: String,
    pub kind: Option<ClusterKind>,
    pub environment: Option<Environment>,
    pub kubernetes_version: String,
    pub state: Option<ClusterState>,
    pub stopped_since: Option<String>,
    pub stopped_via: Option<Via>,
    pub cni: Option<String>,
    pub feature_gates: Option<Vec<RawFeatureGate>>,
    pub api_versions: Option<Vec<String>>,
    pub preview_features: Option<Vec<String>>,
    pub components: Option<Vec<RawComponent>>,
    pub privileged_daemon_sets: Option<Vec<RawDaemonSet>>,
    pub last_connected: Option<String>,
    pub maintenance: Option<bool>,
    pub nodes: Option<Vec<RawNode>>,
    /// kubectl's own format, read leniently by `nodelist.rs`.
    pub node_list: Option<super::nodelist::RawNodeList>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawFeatureGate {
    pub name: String,
    pub enabled: bool,
    pub stage: Option<GateStage>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawComponent {
    pub name: String,
    pub version: Option<String>,
    pub source: ComponentSource,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawDaemonSet {
    pub name: String,
    pub namespace: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawNode {
    pub name: String,
    pub role: Option<NodeRole>,
    pub node_pool: Option<String>,
    pub os: Option<NodeOs>,
    pub os_sku: Option<String>,
    pub os_image: Option<String>,
    pub kubelet_version: Option<String>,
    pub kube_proxy_version: Option<String>,
    pub image: Option<RawImage>,
    pub power_state: Option<PowerState>,
    pub power_changed_via: Option<Via>,
    pub power_state_since: Option<String>,
    pub labels: Option<LabelMap>,
    pub annotations: Option<LabelMap>,
    pub tags: Option<LabelMap>,
    pub system_metadata: Option<RawSystemMetadata>,
    pub modifications: Option<Vec<RawModification>>,
    pub network: Option<RawNetwork>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawImage {
    pub version: Option<String>,
    pub released: Option<String>,
    pub published: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawSystemMetadata {
    pub labels: Option<LabelMap>,
    pub annotations: Option<LabelMap>,
    pub tags: Option<LabelMap>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawModification {
    pub via: ModificationVia,
    pub description: Option<String>,
    pub at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawNetwork {
    pub subnet: Option<String>,
    pub aks_defined_subnet: Option<bool>,
    pub nic_customized: Option<bool>,
}
