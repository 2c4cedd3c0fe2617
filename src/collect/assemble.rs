//! From every output collect has to one inventory: which source fills which
//! field, which report wins when two disagree, and what stays unknown.
//!
//! Precedence, where sources overlap: a cluster's Kubernetes version is the
//! API server's own (`kubectl version`), else the one its control-plane nodes
//! run (`kubectl get nodes`), else the management plane's (`Get-AksHciCluster`,
//! `az aksarc`); the installed release is `Get-AksHciVersion`'s, else
//! `Get-AksHciConfig`'s, else `--deployment-version`. Every disagreement is
//! reported; nothing is averaged or guessed.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::bundle::{Bundle, Family, Source};
use super::facts::{same_kubernetes_version, ClusterFacts, OfferedVersion, PoolFacts};
use super::kubectl::NodeList;
use super::{aksarc, akshci, kubectl, Product};
use crate::base::sanitize::clean;

/// What the command line adds to the outputs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `deployment.name`: `--deployment-name`, or the face's default (the
    /// saved-outputs directory's name, the resource group, the host's name).
    pub deployment_name: Option<(String, &'static str)>,
    /// `--deployment-version`: fills `deployment.version` when no source reports it.
    pub deployment_version: Option<String>,
    pub product: Option<Product>,
    /// RFC 3339; `None` leaves `collectedAt` out.
    pub collected_at: Option<String>,
}

/// An inventory, and what the summary says about it.
#[derive(Debug, Clone)]
pub struct Collected {
    pub inventory: Value,
    pub summary: Summary,
}

/// No inventory could be made; what was found is in the summary.
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot make an inventory: {why}")]
pub struct Failed {
    pub why: String,
    pub summary: Box<Summary>,
}

/// What collect found, could not read, and could not know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The deployment in one line, once it is known.
    pub headline: Option<String>,
    pub sources: Vec<SourceLine>,
    /// Fields of the outputs left out, with their place in the file.
    pub problems: Vec<String>,
    pub conflicts: Vec<String>,
    pub gaps: Vec<Gap>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub name: String,
    /// `ok`, `unavailable` or `missing`.
    pub state: &'static str,
    pub detail: String,
}

/// A field no source filled, so the rules that need it skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub field: String,
    pub rules: &'static [&'static str],
    pub why: String,
}

impl Summary {
    /// The summary as lines for standard error.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(headline) = &self.headline {
            out.push(format!("collect: {headline}"));
        }
        if !self.sources.is_empty() {
            out.push("sources:".to_string());
            let width = self.sources.iter().map(|s| s.name.len()).max().unwrap_or(0);
            for s in &self.sources {
                out.push(format!(
                    "  {:<11}  {:<width$}  {}",
                    s.state, s.name, s.detail
                ));
            }
        }
        let mut section = |title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                out.push(title.to_string());
                out.extend(lines.into_iter().map(|l| format!("  {l}")));
            }
        };
        section(
            "conflicts (the control plane's own report is kept):",
            self.conflicts.clone(),
        );
        section("problems in the outputs (left out):", self.problems.clone());
        section(
            "gaps (not known, so the rules that need them skip):",
            self.gaps
                .iter()
                .map(|g| format!("{} ({}): {}", g.field, g.rules.join(", "), g.why))
                .collect(),
        );
        section("notes:", self.notes.clone());
        out
    }
}

/// What the sources of one cluster say.
#[derive(Debug, Default)]
struct ClusterSources {
    management: Option<(Source, ClusterFacts)>,
    pools: Vec<(Source, PoolFacts)>,
    server_version: Option<(Source, String)>,
    nodes: Option<(Source, NodeList)>,
    updates: Option<(Source, Vec<String>)>,
}

struct Assembly {
    summary: Summary,
    fields: Map<String, Value>,
    /// Cluster names in the order the management plane lists them, then
    /// those known only from kubectl.
    order: Vec<String>,
    /// The same names, to look one up without a scan of `order`.
    ordered: HashSet<String>,
    clusters: BTreeMap<String, ClusterSources>,
    release: Vec<(String, String)>,
    config: Option<akshci::Config>,
    offered: Option<(Source, Vec<OfferedVersion>)>,
    /// A source said how many clusters there are (possibly none).
    clusters_listed: bool,
}

/// Builds the inventory. Pure: the outputs, the options and nothing else.
pub fn assemble(bundle: &Bundle, options: &Options) -> Result<Collected, Failed> {
    let mut a = Assembly {
        summary: Summary::default(),
        fields: Map::new(),
        order: Vec::new(),
        ordered: HashSet::new(),
        clusters: BTreeMap::new(),
        release: Vec::new(),
        config: None,
        offered: None,
        clusters_listed: false,
    };
    let product = match product(bundle, options.product) {
        Ok(p) => p,
        Err(why) => return Err(a.fail(bundle, why)),
    };
    for (source, entry) in &bundle.entries {
        match &entry.output {
            Ok(text) => a.read(source, &entry.origin, text),
            Err(why) => a.source_line(source, "unavailable", clean(why).into_owned()),
        }
    }
    a.summary.notes.extend(bundle.not_read.iter().cloned());
    a.summary.notes.extend(bundle.ignored.iter().cloned());
    a.add_missing(bundle, product);

    let Some((name, name_basis)) = options
        .deployment_name
        .clone()
        .filter(|(n, _)| !n.trim().is_empty())
    else {
        return Err(a.fail(
            bundle,
            "no deployment name: give one with --deployment-name".into(),
        ));
    };
    a.field("deployment.name", name_basis);
    let version = match a.deployment_version(options, product) {
        Ok(v) => v,
        Err(why) => return Err(a.fail(bundle, why)),
    };

    let mut deployment = Map::new();
    deployment.insert("name".into(), Value::String(name.clone()));
    if product == Product::AksArc {
        // The product line of issue 13: Azure Local releases are judged under it.
        deployment.insert("product".into(), Value::String("aks-arc".into()));
    }
    deployment.insert("version".into(), Value::String(version.clone()));

    let clusters = a.clusters_json();
    a.notes_on_release(product, &version);
    a.static_gaps();

    let mut inventory = Map::new();
    inventory.insert(
        "schemaVersion".into(),
        json!(crate::inventory::SCHEMA_VERSION),
    );
    if let Some(at) = &options.collected_at {
        inventory.insert("collectedAt".into(), Value::String(at.clone()));
    }
    inventory.insert("deployment".into(), Value::Object(deployment));
    let cluster_count = clusters.as_ref().map_or(0, Vec::len);
    let node_count: usize = a
        .clusters
        .values()
        .filter_map(|c| c.nodes.as_ref().map(|n| n.1.nodes.len()))
        .sum();
    if let Some(clusters) = clusters {
        inventory.insert("clusters".into(), Value::Array(clusters));
    }
    inventory.insert("provenance".into(), a.provenance(bundle));
    let read = a.summary.sources.iter().filter(|s| s.state == "ok").count();
    a.summary.headline = Some(format!(
        "{} ({} {version}): {cluster_count} cluster{}, {node_count} node{}, from {read} of {} sources",
        clean(&name),
        product.as_str(),
        plural(cluster_count),
        plural(node_count),
        a.summary.sources.len(),
    ));
    let inventory = Value::Object(inventory);
    a.validate(&inventory, bundle)?;
    Ok(Collected {
        inventory,
        summary: a.summary,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Which product line the outputs describe.
fn product(bundle: &Bundle, given: Option<Product>) -> Result<Product, String> {
    let akshci = bundle.has_family(Family::AksHci);
    let aksarc = bundle.has_family(Family::AksArc);
    match (given, akshci, aksarc) {
        (_, true, true) => Err("outputs of both product lines: Get-AksHci* (AKS hybrid) and az aksarc (AKS Arc on Azure Local); an inventory is one deployment, so collect each line on its own".into()),
        (Some(Product::AksHybrid), _, true) => Err("--product aks-hybrid, but the outputs are az aksarc's (AKS Arc on Azure Local)".into()),
        (Some(Product::AksArc), true, _) => Err("--product aks-arc, but the outputs are Get-AksHci*'s (AKS hybrid)".into()),
        (Some(p), _, _) => Ok(p),
        (None, _, true) => Ok(Product::AksArc),
        (None, _, _) => Ok(Product::AksHybrid),
    }
}

impl Assembly {
    fn fail(&mut self, bundle: &Bundle, why: String) -> Failed {
        if self.summary.sources.is_empty() {
            for (source, entry) in &bundle.entries {
                let state = if entry.output.is_ok() {
                    "found"
                } else {
                    "unavailable"
                };
                self.source_line(source, state, String::new());
            }
        }
        Failed {
            why,
            summary: Box::new(std::mem::take(&mut self.summary)),
        }
    }

    fn source_line(&mut self, source: &Source, state: &'static str, detail: String) {
        self.summary.sources.push(SourceLine {
            name: source.to_string(),
            state,
            detail,
        });
    }

    fn field(&mut self, path: &str, source: &str) {
        self.fields
            .insert(path.to_string(), Value::String(source.to_string()));
    }

    fn cluster(&mut self, name: &str) -> &mut ClusterSources {
        if self.ordered.insert(name.to_string()) {
            self.order.push(name.to_string());
        }
        self.clusters.entry(name.to_string()).or_default()
    }

    /// Reads one output with its source's mapping function.
    fn read(&mut self, source: &Source, origin: &str, text: &str) {
        let result: Result<(String, Vec<String>), crate::input::InputError> = (|| {
            Ok(match source {
                Source::AksHciVersion => {
                    let parsed = akshci::version(origin, text)?;
                    self.release
                        .push((source.to_string(), parsed.value.clone()));
                    (parsed.value, parsed.problems)
                }
                Source::AksHciConfig => {
                    let parsed = akshci::config(origin, text)?;
                    if let Some(v) = &parsed.value.version {
                        self.release.push((source.to_string(), v.clone()));
                    }
                    let detail = parsed
                        .value
                        .version
                        .clone()
                        .map_or("read".to_string(), |v| format!("version {v}"));
                    self.config = Some(parsed.value);
                    (detail, parsed.problems)
                }
                Source::AksHciCluster | Source::AksArcList => {
                    let parsed = if *source == Source::AksHciCluster {
                        akshci::clusters(origin, text)?
                    } else {
                        aksarc::list(origin, text)?
                    };
                    self.clusters_listed = true;
                    let n = parsed.value.len();
                    for facts in parsed.value {
                        let name = facts.name.clone();
                        self.cluster(&name).management = Some((source.clone(), facts));
                    }
                    (format!("{n} cluster{}", plural(n)), parsed.problems)
                }
                Source::AksArcShow(file_cluster) => {
                    let parsed = aksarc::show(origin, text)?;
                    let mut problems = parsed.problems;
                    self.clusters_listed = true;
                    match parsed.value {
                        Some(facts) => {
                            if facts.name != *file_cluster {
                                problems.push(format!(
                                    "{}: describes the cluster `{}` (its id), not `{file_cluster}` (the file's name): named `{}`",
                                    clean(origin),
                                    clean(&facts.name),
                                    clean(&facts.name)
                                ));
                            }
                            let name = facts.name.clone();
                            self.cluster(&name).management = Some((source.clone(), facts));
                            (format!("cluster {}", clean(&name)), problems)
                        }
                        None => ("no cluster".to_string(), problems),
                    }
                }
                Source::AksHciNodePool => {
                    let parsed = akshci::node_pools(origin, text)?;
                    let n = parsed.value.len();
                    for pool in parsed.value {
                        if let Some(cluster) = pool.cluster.clone() {
                            self.cluster_pools(&cluster).push((source.clone(), pool));
                        }
                    }
                    (format!("{n} node pool{}", plural(n)), parsed.problems)
                }
                Source::AksArcNodePoolList(cluster) => {
                    let parsed = aksarc::node_pools(origin, text)?;
                    let n = parsed.value.len();
                    for pool in parsed.value {
                        self.cluster_pools(cluster).push((source.clone(), pool));
                    }
                    (format!("{n} node pool{}", plural(n)), parsed.problems)
                }
                Source::AksHciKubernetesVersion | Source::AksArcGetVersions => {
                    let parsed = if *source == Source::AksHciKubernetesVersion {
                        akshci::kubernetes_versions(origin, text)?
                    } else {
                        aksarc::versions(origin, text)?
                    };
                    let n = parsed.value.len();
                    self.offered = Some((source.clone(), parsed.value));
                    (
                        format!("{n} Kubernetes version{}", plural(n)),
                        parsed.problems,
                    )
                }
                Source::AksHciClusterUpdates(cluster) => {
                    let parsed = akshci::cluster_updates(origin, text)?;
                    let n = parsed.value.len();
                    match self.clusters.get_mut(cluster) {
                        Some(c) => c.updates = Some((source.clone(), parsed.value)),
                        None => self.summary.notes.push(format!(
                            "{source}: no cluster `{}` in Get-AksHciCluster; not used",
                            clean(cluster)
                        )),
                    }
                    (format!("{n} upgrade{}", plural(n)), parsed.problems)
                }
                Source::KubectlVersion(cluster) => {
                    let v = kubectl::server_version(origin, text)?;
                    self.cluster(cluster).server_version = Some((source.clone(), v.clone()));
                    (format!("API server {v}"), Vec::new())
                }
                Source::KubectlGetNodes(cluster) => {
                    let parsed = kubectl::nodes(origin, text)?;
                    let n = parsed.value.nodes.len();
                    self.cluster(cluster).nodes = Some((source.clone(), parsed.value));
                    (format!("{n} node{}", plural(n)), parsed.problems)
                }
            })
        })();
        match result {
            Ok((detail, problems)) => {
                self.source_line(source, "ok", clean(&detail).into_owned());
                self.summary.problems.extend(problems);
            }
            Err(error) => {
                let why = error.to_string().replace('\n', " / ");
                self.source_line(source, "unavailable", why);
            }
        }
    }

    /// Node pools of a cluster, without making it a cluster of the inventory.
    fn cluster_pools(&mut self, cluster: &str) -> &mut Vec<(Source, PoolFacts)> {
        &mut self.clusters.entry(cluster.to_string()).or_default().pools
    }

    /// The saved outputs a directory could have held for what it does hold.
    fn add_missing(&mut self, bundle: &Bundle, product: Product) {
        let mut expected = match product {
            Product::AksHybrid if bundle.has_family(Family::AksHci) => vec![
                Source::AksHciVersion,
                Source::AksHciConfig,
                Source::AksHciCluster,
                Source::AksHciNodePool,
                Source::AksHciKubernetesVersion,
            ],
            Product::AksArc => vec![Source::AksArcGetVersions],
            Product::AksHybrid => Vec::new(),
        };
        for name in &self.order {
            match product {
                Product::AksHybrid if bundle.has_family(Family::AksHci) => {
                    expected.push(Source::AksHciClusterUpdates(name.clone()));
                }
                Product::AksArc => expected.push(Source::AksArcNodePoolList(name.clone())),
                Product::AksHybrid => {}
            }
            expected.push(Source::KubectlVersion(name.clone()));
            expected.push(Source::KubectlGetNodes(name.clone()));
        }
        for source in expected {
            if !bundle.entries.contains_key(&source) {
                let detail = format!("({} not given)", source.file_name());
                self.source_line(&source, "missing", detail);
            }
        }
    }

    fn deployment_version(
        &mut self,
        options: &Options,
        product: Product,
    ) -> Result<String, String> {
        let mut candidates = self.release.clone();
        if let Some(given) = &options.deployment_version {
            crate::base::version::ReleaseVersion::parse(product, given)
                .map_err(|why| format!("--deployment-version: {why}"))?;
            candidates.push(("--deployment-version".to_string(), given.clone()));
        }
        let Some((source, version)) = candidates.first().cloned() else {
            return Err(match product {
                Product::AksArc => "deployment.version is unknown: az aksarc does not report the Azure Local release; give it with --deployment-version (a release such as 2510, or a build such as 12.2510.1002.94)".into(),
                Product::AksHybrid => "deployment.version is unknown: no Get-AksHciVersion.txt or Get-AksHciConfig.json was read; give it with --deployment-version (W.X.Y.ZZZZ, what Get-AksHciVersion prints)".into(),
            });
        };
        let others: Vec<String> = candidates
            .iter()
            .filter(|(_, v)| *v != version)
            .map(|(s, v)| format!("{s} says {}", clean(v)))
            .collect();
        if !others.is_empty() {
            self.summary.conflicts.push(format!(
                "deployment.version: {source} says {}; {}: kept {}",
                clean(&version),
                others.join("; "),
                clean(&version)
            ));
        }
        self.field("deployment.version", &source);
        Ok(version)
    }

    /// The clusters of the inventory; `None` when no source listed any.
    fn clusters_json(&mut self) -> Option<Vec<Value>> {
        let mut out = Vec::new();
        let order = self.order.clone();
        for name in &order {
            let Some(sources) = self.clusters.remove(name) else {
                continue;
            };
            if let Some(cluster) = self.cluster_json(name, &sources, out.len()) {
                out.push(cluster);
            }
            self.clusters.insert(name.clone(), sources);
        }
        (self.clusters_listed || !out.is_empty()).then_some(out)
    }

    fn cluster_json(&mut self, name: &str, s: &ClusterSources, index: usize) -> Option<Value> {
        let at = format!("clusters[{index}]");
        let shown = clean(name).into_owned();
        // The Kubernetes version, by precedence.
        let mut candidates: Vec<(String, String, &str)> = Vec::new();
        if let Some((source, v)) = &s.server_version {
            candidates.push((source.to_string(), v.clone(), "the API server's own report"));
        }
        if let Some((source, list)) = &s.nodes {
            let versions: Vec<&String> = list
                .nodes
                .iter()
                .filter(|n| n.control_plane)
                .filter_map(|n| n.kubelet_version.as_ref())
                .collect();
            if let Some(first) = versions.first() {
                if versions.iter().all(|v| same_kubernetes_version(v, first)) {
                    candidates.push((
                        source.to_string(),
                        (*first).clone(),
                        "its control-plane nodes",
                    ));
                }
            }
        }
        if let Some((source, facts)) = &s.management {
            if let Some(v) = &facts.kubernetes_version {
                candidates.push((source.to_string(), v.clone(), "the management plane"));
            }
        }
        let Some((source, version, _)) = candidates.first().cloned() else {
            self.summary.gaps.push(Gap {
                field: "clusters".into(),
                rules: &["V006", "S001", "C002"],
                why: format!("cluster {shown} is left out: no source reports its Kubernetes version, which every cluster needs"),
            });
            return None;
        };
        let others: Vec<String> = candidates
            .iter()
            .filter(|(_, v, _)| !same_kubernetes_version(v, &version))
            .map(|(s, v, what)| format!("{s} ({what}) says {}", clean(v)))
            .collect();
        if !others.is_empty() {
            let what = candidates.first().map_or("", |c| c.2);
            self.summary.conflicts.push(format!(
                "{at}.kubernetesVersion ({shown}): {source} ({what}) says {}; {}: kept {}",
                clean(&version),
                others.join("; "),
                clean(&version)
            ));
        }
        let mut cluster = Map::new();
        cluster.insert("name".into(), Value::String(name.to_string()));
        let name_source = s
            .management
            .as_ref()
            .map(|m| m.0.to_string())
            .or_else(|| s.nodes.as_ref().map(|n| n.0.to_string()))
            .or_else(|| s.server_version.as_ref().map(|n| n.0.to_string()))
            .unwrap_or_default();
        self.field(&at, &name_source);
        if s.management.is_none() {
            self.summary.notes.push(format!(
                "cluster {shown}: known only from kubectl (no management-plane output lists it)"
            ));
        }
        cluster.insert("kubernetesVersion".into(), Value::String(version));
        self.field(&format!("{at}.kubernetesVersion"), &source);

        match &s.nodes {
            Some((source, _)) => {
                // Its API server answered when the nodes were listed.
                cluster.insert("state".into(), Value::String("Running".into()));
                self.field(&format!("{at}.state"), &source.to_string());
            }
            None => self.summary.gaps.push(Gap {
                field: format!("{at}.state"),
                rules: &["S001", "S002"],
                why: format!("{shown}: not known (no kubectl output shows its API server answering): the inventory's default, Running, applies"),
            }),
        }
        let management = s.management.as_ref().map(|m| &m.1);
        match management.and_then(|m| m.network_policy.clone()) {
            Some(cni) => {
                cluster.insert("cni".into(), Value::String(cni));
                if let Some((source, _)) = &s.management {
                    self.field(&format!("{at}.cni"), &source.to_string());
                }
            }
            None => self.summary.gaps.push(Gap {
                field: format!("{at}.cni"),
                rules: &["C002"],
                why: format!(
                    "{shown}: not in the outputs read; add `cni` by hand (calico, flannel, ...)"
                ),
            }),
        }
        if let Some(m) = management {
            self.cluster_notes(&shown, m);
        }
        let pool_nodes: Option<u64> =
            (!s.pools.is_empty()).then(|| s.pools.iter().filter_map(|p| p.1.count).sum());
        match &s.nodes {
            Some((source, list)) => {
                cluster.insert("nodeList".into(), list.list.clone());
                self.field(&format!("{at}.nodeList"), &source.to_string());
                let listed = list.nodes.len() as u64;
                if let Some(expected) = management.and_then(|m| m.node_count) {
                    if expected != listed {
                        self.summary.notes.push(format!(
                            "cluster {shown}: the management plane counts {expected} nodes, kubectl lists {listed} (scaling, or nodes that left the cluster?)"
                        ));
                    }
                }
            }
            None => {
                let counted = pool_nodes
                    .or_else(|| management.and_then(|m| m.node_count))
                    .map_or(String::new(), |n| format!(" ({n} in its node pools)"));
                self.summary.gaps.push(Gap {
                    field: format!("{at}.nodes"),
                    rules: &["V007", "M001", "M002", "M003", "M004", "C003"],
                    why: format!("{shown}: no kubectl-get-nodes-{shown} output{counted}"),
                });
            }
        }
        if let Some((source, updates)) = &s.updates {
            if !updates.is_empty() {
                self.summary.notes.push(format!(
                    "{source}: {shown} can be upgraded to {}",
                    updates
                        .iter()
                        .map(|u| clean(u).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Some(Value::Object(cluster))
    }

    fn cluster_notes(&mut self, shown: &str, m: &ClusterFacts) {
        // inputs.md, az aksarc caveats: a timed-out upgrade shows
        // provisioningState Failed while status.currentState stays Upgrading.
        match (m.provisioning_state.as_deref(), m.current_state.as_deref()) {
            (Some("Failed"), Some("Upgrading")) => self.summary.notes.push(format!(
                "cluster {shown}: provisioningState Failed while currentState is Upgrading: an upgrade that timed out and may still be running"
            )),
            (Some(state), _)
                if !["Succeeded", "Deployed", "provisioned"]
                    .iter()
                    .any(|ok| state.eq_ignore_ascii_case(ok)) =>
            {
                self.summary.notes.push(format!(
                    "cluster {shown}: provisioning state {}",
                    clean(state)
                ))
            }
            _ => {}
        }
    }

    fn notes_on_release(&mut self, product: Product, version: &str) {
        if let Some(config) = &self.config {
            if let Some(latest) = &config.cached_latest {
                let on = config
                    .cached_on
                    .as_ref()
                    .map_or(String::new(), |d| format!(" (cached {})", clean(d)));
                let current = if latest == version {
                    ": the installed one"
                } else {
                    ""
                };
                self.summary.notes.push(format!(
                    "Get-AksHciConfig: the host's view of the latest release is {}{current}{on}",
                    clean(latest)
                ));
            }
        }
        if let Some((source, offered)) = &self.offered {
            let what = match product {
                Product::AksHybrid => "the installed release offers Kubernetes",
                Product::AksArc => "the custom location offers Kubernetes",
            };
            let versions: Vec<String> = offered
                .iter()
                .map(|o| clean(&o.version).into_owned())
                .collect();
            if !versions.is_empty() {
                self.summary
                    .notes
                    .push(format!("{source}: {what} {}", versions.join(", ")));
            }
            for o in offered {
                for why in &o.not_ready {
                    self.summary.notes.push(format!(
                        "{source}: {} is not ready on {}",
                        clean(&o.version),
                        clean(why)
                    ));
                }
            }
        }
    }

    /// What no source collect reads can tell.
    fn static_gaps(&mut self) {
        const NEVER: [(&str, &[&str], &str); 10] = [
            ("deployment.platform", &["V008"], "no output read reports the host's OS; add `platform` by hand (os, version, edition)"),
            ("deployment.subscription", &["S003"], "the Azure subscription's state is not in the outputs read"),
            ("deployment.previewFeatures, clusters[].previewFeatures", &["F002"], "not in the outputs read"),
            ("clusters[].environment", &["F002"], "not in the outputs read: the default, production, applies"),
            ("clusters[].featureGates, clusters[].apiVersions", &["F001"], "not in the outputs read"),
            ("clusters[].components, clusters[].privilegedDaemonSets", &["C001", "M005"], "not in the outputs read"),
            ("clusters[].stoppedVia, nodes' powerChangedVia", &["S002"], "who stopped a cluster or powered a node off (AKS or Hyper-V) is in no output"),
            ("nodes' modifications", &["M002"], "changes made through Hyper-V, SSH or RDP are in no output"),
            ("nodes' image (released, published)", &["C003", "M003"], "no output read dates a node image or says whether AKS published it"),
            ("nodes' network, tags, systemMetadata", &["M004", "M001"], "not in the outputs read (M001 judges the labels kubectl shows)"),
        ];
        for (field, rules, why) in NEVER {
            self.summary.gaps.push(Gap {
                field: field.to_string(),
                rules,
                why: why.to_string(),
            });
        }
    }

    fn provenance(&self, bundle: &Bundle) -> Value {
        // Each source's first line in the summary, by name.
        let mut lines: HashMap<&str, &SourceLine> = HashMap::new();
        for line in &self.summary.sources {
            lines.entry(line.name.as_str()).or_insert(line);
        }
        let sources: Vec<Value> = bundle
            .entries
            .iter()
            .map(|(source, entry)| {
                let mut s = Map::new();
                s.insert("name".into(), Value::String(source.to_string()));
                match &entry.command {
                    Some(argv) => {
                        s.insert("command".into(), json!(argv));
                    }
                    None => {
                        s.insert("file".into(), Value::String(source.file_name()));
                    }
                }
                if let Some(at) = &entry.ran_at {
                    s.insert("ranAt".into(), Value::String(at.clone()));
                }
                let line = lines.get(source.to_string().as_str()).copied();
                s.insert(
                    "status".into(),
                    Value::String(line.map_or("unavailable", |l| l.state).to_string()),
                );
                if let Some(line) = line.filter(|l| l.state != "ok") {
                    s.insert("detail".into(), Value::String(line.detail.clone()));
                }
                Value::Object(s)
            })
            .collect();
        let gaps: Vec<Value> = self
            .summary
            .gaps
            .iter()
            .map(|g| json!({ "field": g.field, "rules": g.rules, "why": g.why }))
            .collect();
        let mut p = Map::new();
        p.insert(
            "collector".into(),
            Value::String(format!("akspol {}", env!("CARGO_PKG_VERSION"))),
        );
        p.insert("sources".into(), Value::Array(sources));
        p.insert("fields".into(), Value::Object(self.fields.clone()));
        for (key, list) in [
            ("conflicts", &self.summary.conflicts),
            ("problems", &self.summary.problems),
            ("notes", &self.summary.notes),
        ] {
            if !list.is_empty() {
                p.insert(key.into(), json!(list));
            }
        }
        p.insert("gaps".into(), Value::Array(gaps));
        Value::Object(p)
    }

    /// The inventory must be one `check` reads: if it is not, that is a bug
    /// here, said plainly rather than written out.
    fn validate(&mut self, inventory: &Value, bundle: &Bundle) -> Result<(), Failed> {
        let text = inventory.to_string();
        match crate::inventory::load("collected inventory", &text, crate::inventory::LoadOptions::default()) {
            Ok(_) => Ok(()),
            Err(error) => Err(self.fail(
                bundle,
                format!("the inventory made from these outputs is not valid (a bug in akspol collect: please report it): {error}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::bundle::Entry;

    fn bundle(files: &[(Source, &str)]) -> Bundle {
        let mut b = Bundle::default();
        for (source, text) in files {
            b.entries.insert(
                source.clone(),
                Entry {
                    origin: source.file_name(),
                    command: None,
                    ran_at: None,
                    output: Ok((*text).to_string()),
                },
            );
        }
        b
    }

    fn options() -> Options {
        Options {
            deployment_name: Some(("edge-01".into(), "the saved-outputs directory's name")),
            ..Options::default()
        }
    }

    const NODES: &str = r#"{"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "moc-cp", "labels": {"node-role.kubernetes.io/control-plane": ""}}, "status": {"nodeInfo": {"kubeletVersion": "v1.28.5", "operatingSystem": "linux"}}}]}"#;

    #[test]
    fn the_api_servers_version_wins_and_the_conflict_is_reported() {
        let b = bundle(&[
            (Source::AksHciVersion, "1.0.24.11029\n"),
            (
                Source::AksHciCluster,
                r#"{"Name": "akswc1", "KubernetesVersion": "v1.29.4", "ControlPlaneNodeCount": 1}"#,
            ),
            (
                Source::KubectlVersion("akswc1".into()),
                r#"{"serverVersion": {"gitVersion": "v1.28.5"}}"#,
            ),
            (Source::KubectlGetNodes("akswc1".into()), NODES),
        ]);
        let c = assemble(&b, &options()).unwrap();
        let cluster = &c.inventory["clusters"][0];
        assert_eq!(cluster["kubernetesVersion"], "v1.28.5");
        assert_eq!(cluster["state"], "Running");
        assert_eq!(c.summary.conflicts, vec!["clusters[0].kubernetesVersion (akswc1): kubectl-version-akswc1 (the API server's own report) says v1.28.5; Get-AksHciCluster (the management plane) says v1.29.4: kept v1.28.5".to_string()]);
        assert_eq!(
            c.inventory["provenance"]["fields"]["clusters[0].kubernetesVersion"],
            "kubectl-version-akswc1"
        );
        assert_eq!(
            c.inventory["provenance"]["conflicts"][0],
            c.summary.conflicts[0]
        );
    }

    #[test]
    fn control_plane_nodes_win_over_the_management_plane() {
        let b = bundle(&[
            (Source::AksHciVersion, "1.0.24.11029"),
            (
                Source::AksHciCluster,
                r#"[{"Name": "akswc1", "KubernetesVersion": "v1.29.4"}]"#,
            ),
            (Source::KubectlGetNodes("akswc1".into()), NODES),
        ]);
        let c = assemble(&b, &options()).unwrap();
        assert_eq!(c.inventory["clusters"][0]["kubernetesVersion"], "v1.28.5");
        assert_eq!(c.summary.conflicts.len(), 1);
    }

    #[test]
    fn no_release_no_inventory() {
        let b = bundle(&[(
            Source::AksHciCluster,
            r#"[{"Name": "a", "KubernetesVersion": "v1.29.4"}]"#,
        )]);
        let failed = assemble(&b, &options()).unwrap_err();
        assert!(
            failed.why.contains("deployment.version is unknown"),
            "{}",
            failed.why
        );
        assert_eq!(failed.summary.sources[0].name, "Get-AksHciCluster");
        let mut o = options();
        o.deployment_version = Some("1.0.24.11029".into());
        let c = assemble(&b, &o).unwrap();
        assert_eq!(
            c.inventory["provenance"]["fields"]["deployment.version"],
            "--deployment-version"
        );
        o.deployment_version = Some("2510".into());
        assert!(assemble(&b, &o)
            .unwrap_err()
            .why
            .contains("--deployment-version: `2510` is an Azure Local release or build, not an AKS hybrid version"));
    }

    #[test]
    fn release_conflicts_keep_the_cmdlets_answer() {
        let b = bundle(&[
            (Source::AksHciVersion, "1.0.24.11029"),
            (
                Source::AksHciConfig,
                r#"{"AksHci": {"version": "1.0.23.10605"}}"#,
            ),
        ]);
        let c = assemble(&b, &options()).unwrap();
        assert_eq!(c.inventory["deployment"]["version"], "1.0.24.11029");
        assert_eq!(c.summary.conflicts, vec!["deployment.version: Get-AksHciVersion says 1.0.24.11029; Get-AksHciConfig says 1.0.23.10605: kept 1.0.24.11029".to_string()]);
        // No cluster output: no `clusters` key, so cluster rules skip.
        assert!(c.inventory.get("clusters").is_none());
    }

    #[test]
    fn a_cluster_without_a_version_is_left_out_and_said() {
        let b = bundle(&[
            (Source::AksHciVersion, "1.0.24.11029"),
            (
                Source::AksHciCluster,
                r#"[{"Name": "a"}, {"Name": "b", "KubernetesVersion": "v1.29.4"}]"#,
            ),
        ]);
        let c = assemble(&b, &options()).unwrap();
        assert_eq!(c.inventory["clusters"].as_array().unwrap().len(), 1);
        assert_eq!(c.inventory["clusters"][0]["name"], "b");
        assert!(c
            .summary
            .gaps
            .iter()
            .any(|g| g.field == "clusters" && g.why.contains("cluster a is left out")));
    }

    #[test]
    fn both_lines_are_refused() {
        let b = bundle(&[
            (Source::AksHciVersion, "1.0.24.11029"),
            (Source::AksArcGetVersions, "{}"),
        ]);
        assert!(assemble(&b, &options())
            .unwrap_err()
            .why
            .contains("both product lines"));
    }

    #[test]
    fn unreadable_sources_are_unavailable_and_the_others_go_on() {
        let mut b = bundle(&[
            (Source::AksHciVersion, "1.0.24.11029"),
            (
                Source::AksHciCluster,
                r#"[{"Name": "a", "KubernetesVersion": "v1.29.4"}"#,
            ),
        ]);
        b.entries.insert(
            Source::AksHciConfig,
            Entry {
                origin: "x".into(),
                command: None,
                ran_at: None,
                output: Err("`powershell` was not found".into()),
            },
        );
        let c = assemble(&b, &options()).unwrap();
        let states: Vec<(&str, &str)> = c
            .summary
            .sources
            .iter()
            .map(|s| (s.name.as_str(), s.state))
            .collect();
        assert_eq!(
            states,
            [
                ("Get-AksHciVersion", "ok"),
                ("Get-AksHciConfig", "unavailable"),
                ("Get-AksHciCluster", "unavailable"),
                ("Get-AksHciNodePool", "missing"),
                ("Get-AksHciKubernetesVersion", "missing"),
            ]
        );
        assert!(
            c.summary.sources[2]
                .detail
                .contains("Get-AksHciCluster.json:1:"),
            "{:?}",
            c.summary.sources[2]
        );
        assert!(c.summary.sources[2].detail.contains("truncated"));
    }
}
