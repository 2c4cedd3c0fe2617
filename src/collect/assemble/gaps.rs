//! What collect cannot know, and the rules that skip for it. Every gap it
//! reports is made by [`gap`], which asks the rules which of them need the
//! field (each rule declares its needs in its own file).

use crate::collect::written::Gap;
use crate::rules::{silenced_by, silenced_by_without};

/// A field no source filled.
#[derive(Debug, Clone, Copy)]
pub(super) enum Unknown<'a> {
    /// No source reports the cluster's Kubernetes version: it is left out.
    ClusterLeftOut {
        shown: &'a str,
    },
    /// No kubectl output shows the cluster's API server answering.
    State {
        at: &'a str,
        shown: &'a str,
    },
    /// The management plane does not say the cluster's CNI.
    Cni {
        at: &'a str,
        shown: &'a str,
    },
    /// No `kubectl get nodes` output for the cluster; `counted` is how many
    /// nodes its node pools or management plane say it has; `pools`, that
    /// node pools with their OS SKU were read (the rules that read those
    /// judge them instead).
    Nodes {
        at: &'a str,
        shown: &'a str,
        counted: Option<u64>,
        pools: bool,
    },
    /// Nodes kubectl listed that report no OS image (nor a Windows build)
    /// and that no node pool's OS SKU reaches.
    NodeOs {
        at: &'a str,
        shown: &'a str,
        nodes: usize,
    },
    // In no output collect reads:
    Platform,
    Subscription,
    PreviewFeatures,
    Environment,
    FeatureGates,
    Components,
    StoppedVia,
    Modifications,
    NodeImage,
    NodeNetwork,
}

/// What no output collect reads can tell, in the order the summary lists it.
const NEVER_KNOWN: [Unknown<'static>; 10] = [
    Unknown::Platform,
    Unknown::Subscription,
    Unknown::PreviewFeatures,
    Unknown::Environment,
    Unknown::FeatureGates,
    Unknown::Components,
    Unknown::StoppedVia,
    Unknown::Modifications,
    Unknown::NodeImage,
    Unknown::NodeNetwork,
];

pub(super) fn never_known() -> impl Iterator<Item = Gap> {
    NEVER_KNOWN.into_iter().map(gap)
}

/// The gap: the field, the rules that skip for it (the rules' answer: those
/// that need it) and why it is not known.
pub(super) fn gap(unknown: Unknown) -> Gap {
    let (field, needed, why): (String, &[&str], String) = match unknown {
        Unknown::ClusterLeftOut { shown } => (
            "clusters".into(),
            &["clusters[]"],
            format!("cluster {shown} is left out: no source reports its Kubernetes version, which every cluster needs"),
        ),
        Unknown::State { at, shown } => (
            format!("{at}.state"),
            &["clusters[].state"],
            format!("{shown}: not known (no kubectl output shows its API server answering): the inventory's default, Running, applies"),
        ),
        Unknown::Cni { at, shown } => (
            format!("{at}.cni"),
            &["clusters[].cni"],
            format!("{shown}: not in the outputs read; add `cni` by hand (calico, flannel, ...)"),
        ),
        Unknown::Nodes {
            at,
            shown,
            counted,
            pools: true,
        } => {
            let instead = silenced_by(&["clusters[].nodePools"]).join(", ");
            return Gap {
                field: format!("{at}.nodes"),
                rules: silenced_by_without(&["clusters[].nodes"], &["clusters[].nodePools"]),
                why: format!(
                    "{shown}: no kubectl-get-nodes-{shown} output{} ({instead} judges the node pools instead)",
                    counted.map_or(String::new(), |n| format!(" ({n} in its node pools)"))
                ),
            };
        }
        Unknown::Nodes {
            at,
            shown,
            counted,
            pools: false,
        } => (
            format!("{at}.nodes"),
            &["clusters[].nodes"],
            format!(
                "{shown}: no kubectl-get-nodes-{shown} output{}",
                counted.map_or(String::new(), |n| format!(" ({n} in its node pools)"))
            ),
        ),
        Unknown::NodeOs { at, shown, nodes } => (
            format!("{at}.nodes[].osSku, osImage"),
            &["clusters[].nodes[].osSku", "clusters[].nodes[].osImage"],
            format!(
                "{shown}: {} no osImage, and no node pool's osSku reaches {} (az-aksarc-nodepool-list-{shown}, matched by the msft.microsoft/nodepool-name label)",
                if nodes == 1 { "1 node reports".to_string() } else { format!("{nodes} nodes report") },
                if nodes == 1 { "it" } else { "them" }
            ),
        ),
        Unknown::Platform => never("deployment.platform", &["deployment.platform"], "no output read reports the host's OS; add `platform` by hand (os, version, edition)"),
        Unknown::Subscription => never("deployment.subscription", &["deployment.subscription"], "the Azure subscription's state is not in the outputs read"),
        Unknown::PreviewFeatures => never("deployment.previewFeatures, clusters[].previewFeatures", &["deployment.previewFeatures", "clusters[].previewFeatures"], "not in the outputs read"),
        Unknown::Environment => never("clusters[].environment", &["clusters[].environment"], "not in the outputs read: the default, production, applies"),
        Unknown::FeatureGates => never("clusters[].featureGates, clusters[].apiVersions", &["clusters[].featureGates", "clusters[].apiVersions"], "not in the outputs read"),
        Unknown::Components => never("clusters[].components, clusters[].privilegedDaemonSets", &["clusters[].components", "clusters[].privilegedDaemonSets"], "not in the outputs read"),
        Unknown::StoppedVia => never("clusters[].stoppedVia, nodes' powerChangedVia", &["clusters[].stoppedVia", "clusters[].nodes[].powerChangedVia"], "who stopped a cluster or powered a node off (AKS or Hyper-V) is in no output"),
        Unknown::Modifications => never("nodes' modifications", &["clusters[].nodes[].modifications"], "changes made through Hyper-V, SSH or RDP are in no output"),
        Unknown::NodeImage => never("nodes' image (released, published)", &["clusters[].nodes[].image.released", "clusters[].nodes[].image.published"], "no output read dates a node image or says whether AKS published it"),
        Unknown::NodeNetwork => never("nodes' network, tags, systemMetadata", &["clusters[].nodes[].network", "clusters[].nodes[].tags", "clusters[].nodes[].systemMetadata"], "not in the outputs read (M001 judges the labels kubectl shows)"),
    };
    Gap {
        field,
        rules: silenced_by(needed),
        why,
    }
}

/// A gap of every inventory: what the line says, the fields it means
/// (as rules name their needs), why.
fn never(
    field: &str,
    needed: &'static [&'static str],
    why: &str,
) -> (String, &'static [&'static str], String) {
    (field.to_string(), needed, why.to_string())
}
