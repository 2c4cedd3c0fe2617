//! The inventory as written (`docs/spec/inventory.md`), as serde types.
//! Dates and versions stay text here; [`super::resolve`] checks them and
//! reports every problem with its JSON path.
//!
//! Unknown keys are not rejected by serde but collected by the loader, so that
//! `--allow-unknown-fields` can downgrade them to warnings.

use serde::{Deserialize, Serialize};

use super::labels::LabelMap;
use crate::base::product::Product;

use super::model::{
    ClusterKind, ClusterState, ComponentSource, Environment, GateStage, HostOs, ModificationVia,
    NodeOs, NodeRole, NotCollectedKind, PowerState, SubscriptionState, Via,
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
    /// The Azure Local instance as Azure reports it (aks-arc only).
    pub azure: Option<RawDeploymentAzure>,
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
    /// The node pools as Azure describes them (AKS Arc: `agentPoolProfiles`).
    pub node_pools: Option<Vec<RawNodePool>>,
    /// The AKS Arc cluster as Azure reports it.
    pub azure: Option<RawClusterAzure>,
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

// What Azure Resource Graph reports (`docs/spec/inventory.md`, "What Azure
// knows"; data/sources/inputs-azure.md): written by `akspol collect
// --resource-graph` through these same types, so what it writes is what
// `check` reads. Azure's enums are open (any other string may appear), so
// states stay text; dates stay text until `resolve` reads them.

/// `deployment.azure`: the Azure Local instance (`microsoft.azurestackhci/clusters`
/// and its update summary and updates).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawDeploymentAzure {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `properties.status` (`ConnectedRecently`, `NotConnectedRecently`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connectivity_status: Option<String>,
    /// "Most recent cluster sync timestamp."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_sync_timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_timestamp: Option<String>,
    /// `reportedProperties.lastUpdated`: "Last time the cluster reported the data."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_last_updated: Option<String>,
    /// `reportedProperties.clusterVersion`: the OS build line (`10.0.26100`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_capabilities: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<RawAzureNode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_summary: Option<RawUpdateSummary>,
    /// Every update Azure lists for the instance; absent when not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updates: Option<Vec<RawUpdate>>,
}

/// A physical node of the instance (`reportedProperties.nodes[]`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawAzureNode {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_name: Option<String>,
    /// `10.0.26100.32690`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// `24H2`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_display_version: Option<String>,
}

/// `clusters/updateSummaries/default` (its `currentVersion` is `deployment.version`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawUpdateSummary {
    /// `AppliedSuccessfully`, `UpdateAvailable`, `UpdateInProgress`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_state: Option<String>,
    /// "Last time an update installation completed successfully."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// "Last time the update service successfully checked for updates."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_checked: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_versions: Option<Vec<RawPackageVersion>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawPackageVersion {
    /// `Solution`, `SBE`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
}

/// One update of the instance (`clusters/updates/<name>`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawUpdate {
    /// `Solution12.2607.1003.73`
    pub name: String,
    /// `2026.07 Cumulative Update`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `12.2607.1003.73`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `Installed`, `Ready`, `ReadyToInstall`, `Recalled`, `Obsolete`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_link: Option<String>,
    /// `systemData.createdAt`: when Azure first stored the update for this instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// `clusters[].azure`: the AKS Arc cluster (`microsoft.kubernetes/connectedclusters`
/// and its `provisionedclusterinstances`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawClusterAzure {
    /// The connected cluster's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// `ProvisionedCluster`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// `status.currentState`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_plane_count: Option<u64>,
    /// The Arc agent's: `Connected`, `Offline`, `Expired`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connectivity_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_connectivity_time: Option<String>,
    /// What the Arc agent reports (the cluster's `kubernetesVersion` is Azure's desired one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_kubernetes_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_location: Option<String>,
    /// The Arc resource bridge that hosts the custom location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_bridge: Option<String>,
}

/// A node pool (AKS Arc `agentPoolProfiles[]`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawNodePool {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_type: Option<NodeOs>,
    /// `CBLMariner`, `Windows2019`, `Windows2022`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vm_size: Option<String>,
}

/// A line of what `akspol collect --resource-graph` writes that is not an
/// inventory: something it could not make one of, said where the
/// inventories go so that `check` reports it too.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawNotCollected {
    pub kind: NotCollectedKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub why: String,
}
