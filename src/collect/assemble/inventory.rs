//! The inventory's clusters, as typed [`Cluster`]s, each field said with
//! the source that filled it (or the gap it leaves).

use super::gaps::{gap, Unknown};
use super::{Assembly, ClusterSources};
use crate::base::sanitize::clean;
use crate::collect::bundle::Source;
use crate::collect::facts::{ClusterFacts, PoolFacts};
use crate::collect::kubectl::NodeList;
use crate::collect::written::{self, Cluster};
use crate::inventory::ClusterState;

impl Assembly {
    /// Every node kubectl listed, in every cluster read.
    pub(super) fn node_count(&self) -> usize {
        self.clusters
            .values()
            .filter_map(|c| c.nodes.as_ref().map(|n| n.1.nodes.len()))
            .sum()
    }

    /// The clusters of the inventory, in [`Assembly::order`]; `None` when no
    /// source listed any. Takes what was read of each.
    pub(super) fn clusters(&mut self) -> Option<Vec<Cluster>> {
        let mut out = Vec::new();
        for name in std::mem::take(&mut self.order) {
            let Some(sources) = self.clusters.remove(&name) else {
                continue;
            };
            if let Some(cluster) = self.cluster(name, sources, out.len()) {
                out.push(cluster);
            }
        }
        (self.clusters_listed || !out.is_empty()).then_some(out)
    }

    /// One cluster, as `clusters[index]`; `None` (and a gap) without a
    /// Kubernetes version. The order of what is said here is the order of
    /// the provenance's fields, gaps and notes.
    fn cluster(&mut self, name: String, s: ClusterSources, index: usize) -> Option<Cluster> {
        let at = format!("clusters[{index}]");
        let shown = clean(&name).into_owned();
        let Some(version) = self.kubernetes_version(&at, &shown, &s) else {
            let left_out = gap(Unknown::ClusterLeftOut { shown: &shown });
            self.summary.gaps.push(left_out);
            return None;
        };
        self.field(&at, &named_by(&s));
        if s.management.is_none() {
            self.summary.notes.push(format!(
                "cluster {shown}: known only from kubectl (no management-plane output lists it)"
            ));
        }
        self.field(&format!("{at}.kubernetesVersion"), &version.source);
        let state = self.state(&at, &shown, &s);
        let management = s.management.as_ref();
        let cni = self.cni(&at, &shown, management);
        if let Some((_, m)) = management {
            self.cluster_notes(&shown, m);
        }
        let facts = management.map(|m| &m.1);
        let node_list = self.node_list(&at, &shown, s.nodes, facts, &s.pools);
        self.upgrades_note(&shown, s.updates.as_ref());
        Some(Cluster {
            name,
            kubernetes_version: version.value,
            state,
            cni,
            node_list,
            node_pools: None,
            azure: None,
        })
    }

    /// Running, when kubectl listed its nodes: its API server answered.
    fn state(&mut self, at: &str, shown: &str, s: &ClusterSources) -> Option<ClusterState> {
        match &s.nodes {
            Some((source, _)) => {
                self.field(&format!("{at}.state"), &source.to_string());
                Some(ClusterState::Running)
            }
            None => {
                self.summary.gaps.push(gap(Unknown::State { at, shown }));
                None
            }
        }
    }

    /// The CNI, as the management plane says it (`az aksarc`'s network policy).
    fn cni(
        &mut self,
        at: &str,
        shown: &str,
        management: Option<&(Source, ClusterFacts)>,
    ) -> Option<String> {
        let cni = management.and_then(|(source, m)| Some((source, m.network_policy.clone()?)));
        match cni {
            Some((source, cni)) => {
                self.field(&format!("{at}.cni"), &source.to_string());
                Some(cni)
            }
            None => {
                self.summary.gaps.push(gap(Unknown::Cni { at, shown }));
                None
            }
        }
    }

    /// kubectl's nodes, compared with the count the management plane gives.
    fn node_list(
        &mut self,
        at: &str,
        shown: &str,
        nodes: Option<(Source, NodeList)>,
        management: Option<&ClusterFacts>,
        pools: &[(Source, PoolFacts)],
    ) -> Option<written::NodeList> {
        let Some((source, list)) = nodes else {
            let pool_nodes =
                (!pools.is_empty()).then(|| pools.iter().filter_map(|p| p.1.count).sum());
            let counted = pool_nodes.or_else(|| management.and_then(|m| m.node_count));
            let missing = gap(Unknown::Nodes { at, shown, counted });
            self.summary.gaps.push(missing);
            return None;
        };
        self.field(&format!("{at}.nodeList"), &source.to_string());
        let listed = list.nodes.len() as u64;
        if let Some(expected) = management.and_then(|m| m.node_count) {
            if expected != listed {
                self.summary.notes.push(format!(
                    "cluster {shown}: the management plane counts {expected} nodes, kubectl lists {listed} (scaling, or nodes that left the cluster?)"
                ));
            }
        }
        Some(list.list)
    }
}

/// The source that names the cluster: its management plane's, else kubectl's.
fn named_by(s: &ClusterSources) -> String {
    s.management
        .as_ref()
        .map(|m| m.0.to_string())
        .or_else(|| s.nodes.as_ref().map(|n| n.0.to_string()))
        .or_else(|| s.server_version.as_ref().map(|n| n.0.to_string()))
        .unwrap_or_default()
}
