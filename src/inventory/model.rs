//! The resolved inventory: checked, defaulted and typed. Rules read only this.

use serde::{Deserialize, Serialize};

use super::labels::LabelMap;
use crate::base::dates::Day;
use crate::base::product::Product;
use crate::base::version::{KubeVersion, ReleaseVersion};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

string_enum!(HostOs { AzureStackHci = "AzureStackHCI", WindowsServer = "WindowsServer", AzureLocal = "AzureLocal" });
string_enum!(SubscriptionState { Active = "Active", Suspended = "Suspended", Deleted = "Deleted" });
string_enum!(ClusterKind { Management = "management", Workload = "workload" });
string_enum!(Environment { Production = "production", NonProduction = "non-production" });
string_enum!(ClusterState { Running = "Running", Stopped = "Stopped" });
string_enum!(
    /// Who stopped a cluster or changed a node's power state.
    Via { Aks = "aks", HyperV = "hyperv" }
);
string_enum!(GateStage { Alpha = "alpha", Beta = "beta", Ga = "ga", Deprecated = "deprecated" });
string_enum!(ComponentSource { OpenSource = "open-source", ClosedSource = "closed-source", Microsoft = "microsoft" });
string_enum!(NodeRole { ControlPlane = "control-plane", Worker = "worker", LoadBalancer = "load-balancer" });
string_enum!(NodeOs { Linux = "Linux", Windows = "Windows" });
string_enum!(PowerState { Running = "Running", Off = "Off", Deallocated = "Deallocated" });
string_enum!(ModificationVia { HyperV = "hyperv", Ssh = "ssh", Rdp = "rdp", DaemonSet = "daemonset" });
string_enum!(
    /// What a not-collected record (`notCollected.kind`) stands for.
    NotCollectedKind { AzureLocalInstance = "azure-local-instance", AksArcCluster = "aks-arc-cluster" }
);

#[derive(Debug, Clone)]
pub struct Inventory {
    /// Where it was read from, as given on the command line.
    pub source: String,
    pub collected_at: Option<Day>,
    pub deployment: Deployment,
    /// `None` when the inventory has no `clusters` key.
    pub clusters: Option<Vec<Cluster>>,
}

impl Inventory {
    pub fn clusters(&self) -> &[Cluster] {
        self.clusters.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub name: String,
    /// The product line (`deployment.product`, default `aks-hybrid`).
    pub product: Product,
    /// The installed release, in its line's scheme.
    pub version: ReleaseVersion,
    pub platform: Option<Platform>,
    pub subscription: Option<Subscription>,
    pub preview_features: Option<Vec<String>>,
    /// The Azure Local instance as Azure reports it (aks-arc only).
    pub azure: Option<Box<DeploymentAzure>>,
}

#[derive(Debug, Clone)]
pub struct Platform {
    pub os: HostOs,
    pub version: String,
    pub edition: Option<String>,
    /// Read off the installed build's OS line (aks-arc), not given.
    pub derived: bool,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub state: SubscriptionState,
    /// Required unless Active.
    pub since: Option<Day>,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub name: String,
    pub kind: ClusterKind,
    pub environment: Environment,
    pub kubernetes_version: KubeVersion,
    pub state: ClusterState,
    /// Present whenever `state` is Stopped.
    pub stopped_since: Option<Day>,
    pub stopped_via: Option<Via>,
    pub cni: Option<String>,
    pub feature_gates: Option<Vec<FeatureGate>>,
    pub api_versions: Option<Vec<String>>,
    pub preview_features: Option<Vec<String>>,
    pub components: Option<Vec<Component>>,
    pub privileged_daemon_sets: Option<Vec<DaemonSet>>,
    /// The last day the (management) cluster connected to Azure.
    pub last_connected: Option<Day>,
    /// The cluster is in a planned maintenance window.
    pub maintenance: Option<bool>,
    /// `nodes` merged with `nodeList`; empty when neither is given.
    pub nodes: Vec<Node>,
    /// The node pools as Azure describes them; `None` when not given.
    pub node_pools: Option<Vec<NodePool>>,
    /// The AKS Arc cluster as Azure reports it.
    pub azure: Option<Box<ClusterAzure>>,
}

impl Cluster {
    /// The node pool `node` belongs to (see [`Node::pool`]).
    pub fn pool_of(&self, node: &Node) -> Option<&NodePool> {
        node.pool
            .and_then(|i| self.node_pools.as_deref().and_then(|pools| pools.get(i)))
    }
}

#[derive(Debug, Clone)]
pub struct FeatureGate {
    pub name: String,
    pub enabled: bool,
    pub stage: Option<GateStage>,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub name: String,
    pub version: Option<String>,
    pub source: ComponentSource,
}

#[derive(Debug, Clone)]
pub struct DaemonSet {
    pub name: String,
    pub namespace: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub role: Option<NodeRole>,
    /// Given, or the name of the pool its `msft.microsoft/nodepool-name`
    /// label names when the cluster's `nodePools` has it.
    pub node_pool: Option<String>,
    /// The node's pool: its index in the cluster's `nodePools`.
    pub pool: Option<usize>,
    pub os: Option<NodeOs>,
    /// The node pool's OS SKU (`CBLMariner`, `Windows2019`, `Windows2022`).
    pub os_sku: Option<String>,
    /// The OS image the node reports (kubectl's `status.nodeInfo.osImage`).
    pub os_image: Option<String>,
    pub kubelet_version: Option<KubeVersion>,
    pub kube_proxy_version: Option<KubeVersion>,
    // The rarer parts are boxed: a `nodeList` of a million nodes keeps a
    // million of these, most without them.
    pub image: Option<Box<NodeImage>>,
    pub power_state: PowerState,
    pub power_changed_via: Option<Via>,
    /// Since when the node has been in its power state.
    pub power_state_since: Option<Day>,
    pub labels: Option<LabelMap>,
    pub annotations: Option<LabelMap>,
    pub tags: Option<Box<LabelMap>>,
    pub system_metadata: Option<Box<SystemMetadata>>,
    pub modifications: Option<Vec<Modification>>,
    pub network: Option<Box<Network>>,
    /// Index in the cluster's `nodes` array; `None` for nodes only in `nodeList`.
    pub listed_at: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct NodeImage {
    pub version: Option<String>,
    pub released: Option<Day>,
    pub published: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct SystemMetadata {
    pub labels: LabelMap,
    pub annotations: LabelMap,
    pub tags: LabelMap,
}

#[derive(Debug, Clone)]
pub struct Modification {
    pub via: ModificationVia,
    pub description: Option<String>,
    pub at: Option<Day>,
}

#[derive(Debug, Clone)]
pub struct Network {
    pub subnet: Option<String>,
    pub aks_defined_subnet: Option<bool>,
    pub nic_customized: Option<bool>,
}

// What Azure knows (`deployment.azure`, `clusters[].azure`, `nodePools`):
// Azure's states are open enums, so they stay text; dates are days (UTC).

/// The Azure Local instance as Azure Resource Graph reports it.
#[derive(Debug, Clone, Default)]
pub struct DeploymentAzure {
    pub resource_id: Option<String>,
    pub location: Option<String>,
    pub status: Option<String>,
    pub connectivity_status: Option<String>,
    /// The last day the instance synced with Azure (`lastSyncTimestamp`).
    pub last_sync: Option<Day>,
    pub registered: Option<Day>,
    /// The last day the instance reported its properties.
    pub reported: Option<Day>,
    /// The OS build line (`10.0.26100`), not the solution version.
    pub cluster_version: Option<String>,
    pub supported_capabilities: Option<Vec<String>>,
    pub nodes: Option<Vec<AzureNode>>,
    pub update_summary: Option<UpdateSummary>,
    /// Every update Azure lists for the instance; `None` when not known.
    pub updates: Option<Vec<Update>>,
}

#[derive(Debug, Clone)]
pub struct AzureNode {
    pub name: String,
    pub os_name: Option<String>,
    pub os_version: Option<String>,
    pub os_display_version: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct UpdateSummary {
    pub state: Option<String>,
    pub health_state: Option<String>,
    /// The last day an update installation completed.
    pub last_updated: Option<Day>,
    /// The last day the update service checked for updates.
    pub last_checked: Option<Day>,
    pub package_versions: Option<Vec<PackageVersion>>,
}

#[derive(Debug, Clone)]
pub struct PackageVersion {
    pub package_type: Option<String>,
    pub version: Option<String>,
    pub last_updated: Option<Day>,
}

#[derive(Debug, Clone)]
pub struct Update {
    pub name: String,
    pub display_name: Option<String>,
    pub version: Option<String>,
    pub state: Option<String>,
    pub package_type: Option<String>,
    pub publisher: Option<String>,
    pub availability_type: Option<String>,
    pub installed: Option<Day>,
    pub health_state: Option<String>,
    pub release_link: Option<String>,
    /// When Azure first stored the update for this instance.
    pub created: Option<Day>,
}

/// The AKS Arc cluster as Azure reports it.
#[derive(Debug, Clone, Default)]
pub struct ClusterAzure {
    pub resource_id: Option<String>,
    pub kind: Option<String>,
    pub provisioning_state: Option<String>,
    pub current_state: Option<String>,
    pub control_plane_count: Option<u64>,
    pub connectivity_status: Option<String>,
    /// The last day the Arc agent reached Azure.
    pub last_connectivity: Option<Day>,
    pub agent_kubernetes_version: Option<KubeVersion>,
    pub agent_version: Option<String>,
    pub distribution: Option<String>,
    pub custom_location: Option<String>,
    pub resource_bridge: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NodePool {
    pub name: String,
    pub count: Option<u64>,
    pub os_type: Option<NodeOs>,
    pub os_sku: Option<String>,
    pub kubernetes_version: Option<KubeVersion>,
    pub vm_size: Option<String>,
}
