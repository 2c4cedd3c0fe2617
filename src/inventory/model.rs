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
    pub node_pool: Option<String>,
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
