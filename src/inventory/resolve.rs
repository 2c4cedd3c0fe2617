//! Raw inventory -> resolved model, collecting every problem.

use std::collections::{HashMap, HashSet};

use super::listed_nodes;
use super::model::*;
use super::raw::*;
use crate::base::dates::{parse_day, Day};
use crate::base::product::Product;
use crate::base::version::{KubeVersion, ReleaseVersion};
use crate::input::{JsonPath, Problem};

struct Checker<'p> {
    problems: &'p mut Vec<Problem>,
}

impl Checker<'_> {
    fn push(&mut self, path: JsonPath, message: impl Into<String>) {
        self.problems.push(Problem::at(path, message));
    }

    fn day(&mut self, path: JsonPath, text: &str) -> Option<Day> {
        parse_day(text).map_err(|why| self.push(path, why)).ok()
    }

    fn optional_day(&mut self, path: JsonPath, text: Option<&str>) -> Option<Day> {
        text.and_then(|t| self.day(path, t))
    }

    fn kube(&mut self, path: JsonPath, text: &str) -> Option<KubeVersion> {
        KubeVersion::parse(text)
            .map_err(|why| self.push(path, why))
            .ok()
    }

    fn name(&mut self, path: JsonPath, name: &str) {
        if name.trim().is_empty() {
            self.push(path, "empty: expected a non-empty name");
        }
    }
}

pub fn resolve(origin: &str, raw: RawInventory, problems: &mut Vec<Problem>) -> Option<Inventory> {
    let mut c = Checker { problems };
    let root = JsonPath::root();
    match raw.schema_version {
        Some(super::SCHEMA_VERSION) => {}
        Some(other) => c.push(
            root.key("schemaVersion"),
            super::schema_version_message(&other.to_string()),
        ),
        None => c.push(
            root.key("schemaVersion"),
            format!("missing: expected schemaVersion {}", super::SCHEMA_VERSION),
        ),
    }
    let collected_at = c.optional_day(root.key("collectedAt"), raw.collected_at.as_deref());
    if raw.provenance.as_ref().is_some_and(|p| !p.0.is_object()) {
        c.push(
            root.key("provenance"),
            "expected an object (what `akspol collect` writes: sources, fields, gaps)",
        );
    }
    let deployment = resolve_deployment(&mut c, root.key("deployment"), raw.deployment);
    let clusters = raw.clusters.map(|clusters| {
        let mut seen = HashSet::new();
        clusters
            .into_iter()
            .enumerate()
            .filter_map(|(i, cluster)| {
                let at = root.key("clusters").index(i);
                if !seen.insert(cluster.name.clone()) {
                    c.push(
                        at.key("name"),
                        format!(
                            "duplicate cluster name `{}`: names must be unique",
                            cluster.name
                        ),
                    );
                }
                resolve_cluster(&mut c, at, cluster)
            })
            .collect()
    });
    Some(Inventory {
        source: origin.to_string(),
        collected_at,
        deployment: deployment?,
        clusters,
    })
}

fn resolve_deployment(c: &mut Checker, at: JsonPath, raw: RawDeployment) -> Option<Deployment> {
    c.name(at.key("name"), &raw.name);
    let product = raw.product.unwrap_or(Product::AksHybrid);
    let version = ReleaseVersion::parse(product, &raw.version)
        .map_err(|why| c.push(at.key("version"), why))
        .ok();
    let subscription = raw.subscription.map(|s| {
        let since = c.optional_day(at.key("subscription").key("since"), s.since.as_deref());
        if s.state != SubscriptionState::Active && s.since.is_none() {
            c.push(
                at.key("subscription").key("since"),
                format!(
                    "missing: required when the subscription is {} (when it entered that state)",
                    s.state
                ),
            );
        }
        Subscription {
            state: s.state,
            since,
        }
    });
    let given = raw.platform.map(|p| {
        if p.version.trim().is_empty() {
            c.push(
                at.key("platform").key("version"),
                "empty: expected a version such as 23H2 or 2022",
            );
        }
        Platform {
            os: p.os,
            version: p.version,
            edition: p.edition,
            derived: false,
        }
    });
    let platform = platform_for(c, &at.key("platform"), product, version.as_ref(), given);
    let azure = raw.azure.map(|a| {
        Box::new(super::azure::deployment(
            c.problems,
            at.key("azure"),
            product,
            a,
        ))
    });
    Some(Deployment {
        name: raw.name,
        product,
        version: version?,
        platform,
        subscription,
        preview_features: raw.preview_features,
        azure,
    })
}

/// The host of the product line: AKS hybrid runs on Azure Stack HCI or
/// Windows Server, AKS Arc on Azure Local, whose OS line (23H2 for 10.x and
/// 11.x builds, 24H2 for 12.x) an installed build names.
fn platform_for(
    c: &mut Checker,
    at: &JsonPath,
    product: Product,
    version: Option<&ReleaseVersion>,
    given: Option<Platform>,
) -> Option<Platform> {
    let os_line = version
        .and_then(ReleaseVersion::local)
        .and_then(|v| v.line())
        .and_then(|line| match line {
            10 | 11 => Some("23H2"),
            12 => Some("24H2"),
            _ => None,
        });
    match (product, given) {
        (Product::AksArc, Some(p)) if p.os != HostOs::AzureLocal => {
            c.push(
                at.key("os"),
                format!("`{}`: an aks-arc deployment runs on Azure Local: expected `AzureLocal` (Azure Stack HCI and Windows Server hosts run the aks-hybrid line)", p.os),
            );
            Some(p)
        }
        (Product::AksArc, Some(p)) => {
            if let Some(line) = os_line.filter(|l| !p.version.trim().eq_ignore_ascii_case(l)) {
                c.push(
                    at.key("version"),
                    format!(
                        "`{}` does not match the installed build, which runs Azure Local {line}",
                        p.version.trim()
                    ),
                );
            }
            Some(p)
        }
        (Product::AksArc, None) => os_line.map(|line| Platform {
            os: HostOs::AzureLocal,
            version: line.to_string(),
            edition: None,
            derived: true,
        }),
        (Product::AksHybrid, Some(p)) if p.os == HostOs::AzureLocal => {
            c.push(
                at.key("os"),
                "`AzureLocal` hosts run AKS Arc: set `\"product\": \"aks-arc\"` (the aks-hybrid line runs on AzureStackHCI or WindowsServer)",
            );
            Some(p)
        }
        (Product::AksHybrid, given) => given,
    }
}

fn resolve_cluster(c: &mut Checker, at: JsonPath, raw: RawCluster) -> Option<Cluster> {
    c.name(at.key("name"), &raw.name);
    let kubernetes_version = c.kube(at.key("kubernetesVersion"), &raw.kubernetes_version);
    let state = raw.state.unwrap_or(ClusterState::Running);
    let stopped_since = c.optional_day(at.key("stoppedSince"), raw.stopped_since.as_deref());
    if state == ClusterState::Stopped && raw.stopped_since.is_none() {
        c.push(
            at.key("stoppedSince"),
            "missing: required when state is Stopped (the day the cluster was stopped)",
        );
    }
    let mut nodes = resolve_nodes(c, &at, &raw.name, raw.nodes, raw.node_list);
    let feature_gates = raw.feature_gates.map(|gates| {
        gates
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                c.name(at.key("featureGates").index(i).key("name"), &g.name);
                FeatureGate {
                    name: g.name,
                    enabled: g.enabled,
                    stage: g.stage,
                }
            })
            .collect()
    });
    let node_pools = raw
        .node_pools
        .map(|pools| super::azure::node_pools(c.problems, at.key("nodePools"), &raw.name, pools));
    if let Some(pools) = &node_pools {
        super::pools::join(&mut nodes, pools);
    }
    let azure = raw
        .azure
        .map(|a| Box::new(super::azure::cluster(c.problems, at.key("azure"), a)));
    Some(Cluster {
        name: raw.name,
        kind: raw.kind.unwrap_or(ClusterKind::Workload),
        environment: raw.environment.unwrap_or(Environment::Production),
        kubernetes_version: kubernetes_version?,
        state,
        stopped_since: if state == ClusterState::Stopped {
            stopped_since
        } else {
            None
        },
        stopped_via: raw.stopped_via,
        cni: raw.cni,
        feature_gates,
        api_versions: raw.api_versions,
        preview_features: raw.preview_features,
        components: raw.components.map(|list| {
            list.into_iter()
                .map(|x| Component {
                    name: x.name,
                    version: x.version,
                    source: x.source,
                })
                .collect()
        }),
        last_connected: c.optional_day(at.key("lastConnected"), raw.last_connected.as_deref()),
        maintenance: raw.maintenance,
        privileged_daemon_sets: raw.privileged_daemon_sets.map(|list| {
            list.into_iter()
                .map(|d| DaemonSet {
                    name: d.name,
                    namespace: d.namespace,
                })
                .collect()
        }),
        nodes,
        node_pools,
        azure,
    })
}

/// A cluster's nodes, from `nodes` and from a kubectl `nodeList`: a node
/// named in both is one node, the fields given in `nodes` winning.
fn resolve_nodes(
    c: &mut Checker,
    at: &JsonPath,
    cluster: &str,
    raw_nodes: Option<Vec<RawNode>>,
    node_list: Option<super::nodelist::RawNodeList>,
) -> Vec<Node> {
    // Room for every node, from `nodes` and `nodeList`, at once.
    let listed = node_list
        .as_ref()
        .and_then(|list| list.items.as_ref())
        .map_or(0, Vec::len);
    let mut nodes = Vec::with_capacity(raw_nodes.as_ref().map_or(0, Vec::len) + listed);
    let mut seen = HashSet::with_capacity(nodes.capacity());
    for (i, node) in raw_nodes.into_iter().flatten().enumerate() {
        let node_at = at.key("nodes").index(i);
        if !seen.insert(node.name.clone()) {
            c.push(
                node_at.key("name"),
                format!(
                    "duplicate node name `{}` in cluster `{}`",
                    node.name, cluster
                ),
            );
        }
        if let Some(node) = resolve_node(c, node_at, node, Some(i)) {
            nodes.push(node);
        }
    }
    if let Some(list) = node_list {
        let list_at = at.key("nodeList");
        let mut listed_seen = HashSet::new();
        // A listed node merges into the node of the same name in `nodes`:
        // found by name, not by a scan of every node (quadratic in kubectl
        // lists of 100,000s of items).
        let mut by_name: HashMap<String, usize> = HashMap::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            by_name.entry(node.name.clone()).or_insert(i);
        }
        for item in listed_nodes::read(list, &list_at, c.problems) {
            let (i, listed) = match item {
                Ok(node) => node,
                Err(problem) => {
                    c.push(problem.path, problem.message);
                    continue;
                }
            };
            let item_at = list_at.key("items").index(i);
            if !listed_seen.insert(listed.name.clone()) {
                c.push(
                    item_at.key("metadata").key("name"),
                    format!(
                        "duplicate node name `{}` in cluster `{}`",
                        listed.name, cluster
                    ),
                );
                continue;
            }
            let existing = by_name.get(&listed.name).copied();
            if let Some(existing) = existing.and_then(|i| nodes.get_mut(i)) {
                // "A node named in both is one node: the fields given in `nodes` win."
                existing.fill_from(
                    listed,
                    &mut Checker {
                        problems: c.problems,
                    },
                    item_at,
                );
            } else if seen.insert(listed.name.clone()) {
                if let Some(node) = resolve_node(c, item_at, listed, None) {
                    nodes.push(node);
                }
            }
        }
    }
    nodes
}

fn resolve_node(
    c: &mut Checker,
    at: JsonPath,
    raw: RawNode,
    listed_at: Option<usize>,
) -> Option<Node> {
    c.name(at.key("name"), &raw.name);
    let kubelet_version = raw
        .kubelet_version
        .as_deref()
        .and_then(|v| c.kube(at.key("kubeletVersion"), v));
    let kube_proxy_version = raw
        .kube_proxy_version
        .as_deref()
        .and_then(|v| c.kube(at.key("kubeProxyVersion"), v));
    let image = raw.image.map(|image| {
        Box::new(NodeImage {
            released: c.optional_day(at.key("image").key("released"), image.released.as_deref()),
            version: image.version,
            published: image.published,
        })
    });
    let modifications = raw.modifications.map(|mods| {
        mods.into_iter()
            .enumerate()
            .map(|(i, m)| Modification {
                at: c.optional_day(at.key("modifications").index(i).key("at"), m.at.as_deref()),
                via: m.via,
                description: m.description,
            })
            .collect()
    });
    Some(Node {
        name: raw.name,
        role: raw.role,
        node_pool: raw.node_pool,
        pool: None,
        os: raw.os,
        os_sku: raw.os_sku,
        os_image: raw.os_image,
        kubelet_version,
        kube_proxy_version,
        image,
        power_state: raw.power_state.unwrap_or(PowerState::Running),
        power_changed_via: raw.power_changed_via,
        power_state_since: c
            .optional_day(at.key("powerStateSince"), raw.power_state_since.as_deref()),
        labels: raw.labels,
        annotations: raw.annotations,
        tags: raw.tags.map(Box::new),
        system_metadata: raw.system_metadata.map(|s| {
            Box::new(SystemMetadata {
                labels: s.labels.unwrap_or_default(),
                annotations: s.annotations.unwrap_or_default(),
                tags: s.tags.unwrap_or_default(),
            })
        }),
        modifications,
        network: raw.network.map(|n| {
            Box::new(Network {
                subnet: n.subnet,
                aks_defined_subnet: n.aks_defined_subnet,
                nic_customized: n.nic_customized,
            })
        }),
        listed_at,
    })
}

impl Node {
    /// Fills fields this node (from `nodes`) left out with what kubectl reported.
    fn fill_from(&mut self, listed: RawNode, c: &mut Checker, at: JsonPath) {
        let Some(other) = resolve_node(c, at, listed, None) else {
            return;
        };
        self.role = self.role.or(other.role);
        self.os = self.os.or(other.os);
        self.os_image = self.os_image.take().or(other.os_image);
        self.kubelet_version = self.kubelet_version.take().or(other.kubelet_version);
        self.kube_proxy_version = self.kube_proxy_version.take().or(other.kube_proxy_version);
        self.labels = self.labels.take().or(other.labels);
        self.annotations = self.annotations.take().or(other.annotations);
    }
}
