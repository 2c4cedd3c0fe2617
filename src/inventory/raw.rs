//! The inventory as written (`../shared/spec/inventory.md`), as serde types.
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

// ---------------------------------------------------------------------------
// The fast path's proof that a document has no unknown keys (see `load`):
// the keys serde filled in, counted from below. A field given as `null` or a
// key added to a type but not here only makes the count smaller, which sends
// the document down the slow path (serde_ignored): slower, never wrong.

fn some<T>(field: &Option<T>) -> usize {
    usize::from(field.is_some())
}

fn map(field: &Option<LabelMap>) -> usize {
    field.as_ref().map_or(0, |m| 1 + m.len())
}

fn each<T>(field: &Option<Vec<T>>, count: impl Fn(&T) -> usize) -> usize {
    field
        .as_ref()
        .map_or(0, |items| 1 + items.iter().map(count).sum::<usize>())
}

fn value_keys(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) => map.len() + map.values().map(value_keys).sum::<usize>(),
        serde_json::Value::Array(items) => items.iter().map(value_keys).sum(),
        _ => 0,
    }
}

impl RawInventory {
    /// How many object keys of the document these values account for.
    pub fn known_keys(&self) -> usize {
        let d = &self.deployment;
        let deployment = 2
            + some(&d.product)
            + d.platform.as_ref().map_or(0, |p| 3 + some(&p.edition))
            + d.subscription.as_ref().map_or(0, |s| 2 + some(&s.since))
            + some(&d.preview_features);
        some(&self.schema_version)
            + some(&self.collected_at)
            + 1
            + deployment
            + each(&self.clusters, RawCluster::known_keys)
            + self.provenance.as_ref().map_or(0, |v| 1 + value_keys(&v.0))
    }
}

impl RawCluster {
    fn known_keys(&self) -> usize {
        2 + some(&self.kind)
            + some(&self.environment)
            + some(&self.state)
            + some(&self.stopped_since)
            + some(&self.stopped_via)
            + some(&self.cni)
            + each(&self.feature_gates, |g| 2 + some(&g.stage))
            + some(&self.api_versions)
            + some(&self.preview_features)
            + each(&self.components, |c| 2 + some(&c.version))
            + each(&self.privileged_daemon_sets, |d| 1 + some(&d.namespace))
            + some(&self.last_connected)
            + some(&self.maintenance)
            + each(&self.nodes, RawNode::known_keys)
            + self.node_list.as_ref().map_or(0, |list| 1 + list.keys)
    }
}

impl RawNode {
    fn known_keys(&self) -> usize {
        1 + some(&self.role)
            + some(&self.node_pool)
            + some(&self.os)
            + some(&self.os_sku)
            + some(&self.os_image)
            + some(&self.kubelet_version)
            + some(&self.kube_proxy_version)
            + self.image.as_ref().map_or(0, |i| {
                1 + some(&i.version) + some(&i.released) + some(&i.published)
            })
            + some(&self.power_state)
            + some(&self.power_changed_via)
            + some(&self.power_state_since)
            + map(&self.labels)
            + map(&self.annotations)
            + map(&self.tags)
            + self.system_metadata.as_ref().map_or(0, |s| {
                1 + map(&s.labels) + map(&s.annotations) + map(&s.tags)
            })
            + each(&self.modifications, |m| {
                1 + some(&m.description) + some(&m.at)
            })
            + self.network.as_ref().map_or(0, |n| {
                1 + some(&n.subnet) + some(&n.aks_defined_subnet) + some(&n.nic_customized)
            })
    }
}
