//! What Azure knows, raw -> resolved: `deployment.azure`, `clusters[].azure`
//! and `clusters[].nodePools` (`docs/spec/inventory.md`). Dates and
//! Kubernetes versions are checked like every other; Azure's states are open
//! enums and stay as written.

use super::model::{
    AzureNode, ClusterAzure, DeploymentAzure, NodePool, PackageVersion, Update, UpdateSummary,
};
use super::raw::{RawClusterAzure, RawDeploymentAzure, RawNodePool, RawUpdate, RawUpdateSummary};
use crate::base::dates::{parse_day, Day};
use crate::base::product::Product;
use crate::base::version::KubeVersion;
use crate::input::{JsonPath, Problem};

struct Reader<'p> {
    problems: &'p mut Vec<Problem>,
}

impl Reader<'_> {
    fn day(&mut self, at: JsonPath, text: Option<&str>) -> Option<Day> {
        parse_day(text?)
            .map_err(|why| self.problems.push(Problem::at(at, why)))
            .ok()
    }

    fn kube(&mut self, at: JsonPath, text: Option<&str>) -> Option<KubeVersion> {
        KubeVersion::parse(text?)
            .map_err(|why| self.problems.push(Problem::at(at, why)))
            .ok()
    }

    fn name(&mut self, at: JsonPath, name: &str) {
        if name.trim().is_empty() {
            self.problems
                .push(Problem::at(at, "empty: expected a non-empty name"));
        }
    }
}

impl Reader<'_> {
    fn update_summary(&mut self, s_at: JsonPath, s: RawUpdateSummary) -> UpdateSummary {
        UpdateSummary {
            last_updated: self.day(s_at.key("lastUpdated"), s.last_updated.as_deref()),
            last_checked: self.day(s_at.key("lastChecked"), s.last_checked.as_deref()),
            package_versions: s.package_versions.map(|list| {
                list.into_iter()
                    .enumerate()
                    .map(|(i, p)| PackageVersion {
                        last_updated: self.day(
                            s_at.key("packageVersions").index(i).key("lastUpdated"),
                            p.last_updated.as_deref(),
                        ),
                        package_type: p.package_type,
                        version: p.version,
                    })
                    .collect()
            }),
            state: s.state,
            health_state: s.health_state,
        }
    }

    fn update(&mut self, u_at: JsonPath, u: RawUpdate) -> Update {
        self.name(u_at.key("name"), &u.name);
        Update {
            installed: self.day(u_at.key("installedDate"), u.installed_date.as_deref()),
            created: self.day(u_at.key("createdAt"), u.created_at.as_deref()),
            name: u.name,
            display_name: u.display_name,
            version: u.version,
            state: u.state,
            package_type: u.package_type,
            publisher: u.publisher,
            availability_type: u.availability_type,
            health_state: u.health_state,
            release_link: u.release_link,
        }
    }
}

pub fn deployment(
    problems: &mut Vec<Problem>,
    at: JsonPath,
    product: Product,
    raw: RawDeploymentAzure,
) -> DeploymentAzure {
    let mut r = Reader { problems };
    if product != Product::AksArc {
        r.problems.push(Problem::at(
            at.clone(),
            "describes an Azure Local instance, which runs AKS Arc: set `\"product\": \"aks-arc\"`",
        ));
    }
    let nodes = raw.nodes.map(|nodes| {
        nodes
            .into_iter()
            .enumerate()
            .map(|(i, n)| {
                r.name(at.key("nodes").index(i).key("name"), &n.name);
                AzureNode {
                    name: n.name,
                    os_name: n.os_name,
                    os_version: n.os_version,
                    os_display_version: n.os_display_version,
                }
            })
            .collect()
    });
    let update_summary = raw
        .update_summary
        .map(|s| r.update_summary(at.key("updateSummary"), s));
    let updates = raw.updates.map(|updates| {
        updates
            .into_iter()
            .enumerate()
            .map(|(i, u)| r.update(at.key("updates").index(i), u))
            .collect()
    });
    DeploymentAzure {
        last_sync: r.day(
            at.key("lastSyncTimestamp"),
            raw.last_sync_timestamp.as_deref(),
        ),
        registered: r.day(
            at.key("registrationTimestamp"),
            raw.registration_timestamp.as_deref(),
        ),
        reported: r.day(
            at.key("reportedLastUpdated"),
            raw.reported_last_updated.as_deref(),
        ),
        resource_id: raw.resource_id,
        location: raw.location,
        status: raw.status,
        connectivity_status: raw.connectivity_status,
        cluster_version: raw.cluster_version,
        supported_capabilities: raw.supported_capabilities,
        nodes,
        update_summary,
        updates,
    }
}

pub fn cluster(problems: &mut Vec<Problem>, at: JsonPath, raw: RawClusterAzure) -> ClusterAzure {
    let mut r = Reader { problems };
    ClusterAzure {
        last_connectivity: r.day(
            at.key("lastConnectivityTime"),
            raw.last_connectivity_time.as_deref(),
        ),
        agent_kubernetes_version: r.kube(
            at.key("agentKubernetesVersion"),
            raw.agent_kubernetes_version.as_deref(),
        ),
        resource_id: raw.resource_id,
        kind: raw.kind,
        provisioning_state: raw.provisioning_state,
        current_state: raw.current_state,
        control_plane_count: raw.control_plane_count,
        connectivity_status: raw.connectivity_status,
        agent_version: raw.agent_version,
        distribution: raw.distribution,
        custom_location: raw.custom_location,
        resource_bridge: raw.resource_bridge,
    }
}

pub fn node_pools(
    problems: &mut Vec<Problem>,
    at: JsonPath,
    cluster: &str,
    raw: Vec<RawNodePool>,
) -> Vec<NodePool> {
    let mut r = Reader { problems };
    let mut seen = std::collections::HashSet::new();
    raw.into_iter()
        .enumerate()
        .map(|(i, p)| {
            let p_at = at.index(i);
            r.name(p_at.key("name"), &p.name);
            if !seen.insert(p.name.clone()) {
                r.problems.push(Problem::at(
                    p_at.key("name"),
                    format!(
                        "duplicate node pool name `{}` in cluster `{cluster}`",
                        p.name
                    ),
                ));
            }
            NodePool {
                kubernetes_version: r.kube(
                    p_at.key("kubernetesVersion"),
                    p.kubernetes_version.as_deref(),
                ),
                name: p.name,
                count: p.count,
                os_type: p.os_type,
                os_sku: p.os_sku,
                vm_size: p.vm_size,
            }
        })
        .collect()
}
