//! The inventory's clusters, as typed [`Cluster`]s, each field said with
//! the source that filled it (or the gap it leaves).

use super::gaps::{gap, Unknown};
use super::{Assembly, ClusterSources};
use crate::base::sanitize::clean;
use crate::collect::bundle::Source;
use crate::collect::facts::{ClusterFacts, PoolFacts};
use crate::collect::kubectl::NodeList;
use crate::collect::written::{self, Cluster};
use crate::inventory::{
    pool_in_label, ClusterState, NodeOs, RawNodePool, NODE_POOL_LABEL, WINDOWS_BUILD_LABEL,
};

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
        let node_pools = self.node_pools(&at, &shown, &s.pools);
        let pools_say_os = node_pools.iter().flatten().any(|p| p.os_sku.is_some());
        let node_list = self.node_list(&at, &shown, s.nodes, facts, &s.pools, pools_say_os);
        if let Some(list) = &node_list {
            self.node_os(&at, &shown, list, node_pools.as_deref());
        }
        self.upgrades_note(&shown, s.updates.as_ref());
        Some(Cluster {
            name,
            kubernetes_version: version.value,
            state,
            cni,
            node_list,
            node_pools,
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

    /// The node pools `az aksarc nodepool list` lists (AKS hybrid's
    /// `Get-AksHciNodePool` has no OS SKU and no pool label on the nodes):
    /// check joins them to their nodes by the `msft.microsoft/nodepool-name`
    /// label and judges a cluster without nodes by them.
    fn node_pools(
        &mut self,
        at: &str,
        shown: &str,
        pools: &[(Source, PoolFacts)],
    ) -> Option<Vec<RawNodePool>> {
        let listed: Vec<&(Source, PoolFacts)> = pools
            .iter()
            .filter(|(source, _)| matches!(source, Source::AksArcNodePoolList(_)))
            .collect();
        let (source, _) = listed.first()?;
        self.field(&format!("{at}.nodePools"), &source.to_string());
        let mut names = std::collections::HashSet::new();
        let mut written = Vec::with_capacity(listed.len());
        for (source, pool) in listed {
            // The inventory refuses a pool name twice in a cluster.
            if !names.insert(pool.name.as_str()) {
                self.summary.problems.push(format!(
                    "{source}: a second node pool named `{}` in cluster {shown}; left out",
                    clean(&pool.name)
                ));
                continue;
            }
            let os_type = pool.os_type.as_deref().and_then(|t| {
                [NodeOs::Linux, NodeOs::Windows]
                    .into_iter()
                    .find(|os| os.as_str().eq_ignore_ascii_case(t.trim()))
            });
            written.push(RawNodePool {
                name: pool.name.clone(),
                count: pool.count,
                os_type,
                os_sku: pool.os_sku.clone(),
                kubernetes_version: pool.kubernetes_version.clone(),
                vm_size: pool.vm_size.clone(),
            });
        }
        Some(written)
    }

    /// Says how many of kubectl's nodes take their pool's OS SKU, and the
    /// nodes whose OS nothing tells (V011 skips them).
    fn node_os(
        &mut self,
        at: &str,
        shown: &str,
        list: &written::NodeList,
        pools: Option<&[RawNodePool]>,
    ) {
        let with_sku: std::collections::HashSet<&str> = pools
            .into_iter()
            .flatten()
            .filter(|p| p.os_sku.is_some())
            .map(|p| p.name.as_str())
            .collect();
        let (mut joined, mut untold) = (0usize, 0usize);
        for node in &list.items {
            let labels = node.metadata.labels.as_ref();
            let pooled = labels
                .and_then(|l| l.get(NODE_POOL_LABEL))
                .and_then(|value| pool_in_label(value))
                .is_some_and(|pool| with_sku.contains(pool));
            let image = node
                .status
                .as_ref()
                .and_then(|s| s.node_info.os_image.as_deref())
                .is_some_and(|image| !image.trim().is_empty());
            let build = labels.is_some_and(|l| l.contains_key(WINDOWS_BUILD_LABEL));
            joined += usize::from(pooled);
            untold += usize::from(!pooled && !image && !build);
        }
        if joined > 0 {
            self.summary.notes.push(format!(
                "cluster {shown}: {joined} of {} nodes belong to a node pool az aksarc lists with its osSku (by their msft.microsoft/nodepool-name label)",
                list.items.len()
            ));
        }
        if untold > 0 {
            let untold = gap(Unknown::NodeOs {
                at,
                shown,
                nodes: untold,
            });
            self.summary.gaps.push(untold);
        }
    }

    /// kubectl's nodes, compared with the count the management plane gives;
    /// without them, the gap (`pools_say_os`: node pools with their OS SKU
    /// were read).
    fn node_list(
        &mut self,
        at: &str,
        shown: &str,
        nodes: Option<(Source, NodeList)>,
        management: Option<&ClusterFacts>,
        pools: &[(Source, PoolFacts)],
        pools_say_os: bool,
    ) -> Option<written::NodeList> {
        let Some((source, list)) = nodes else {
            let pool_nodes =
                (!pools.is_empty()).then(|| pools.iter().filter_map(|p| p.1.count).sum());
            let counted = pool_nodes.or_else(|| management.and_then(|m| m.node_count));
            let missing = gap(Unknown::Nodes {
                at,
                shown,
                counted,
                pools: pools_say_os,
            });
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
