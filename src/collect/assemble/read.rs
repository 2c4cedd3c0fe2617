//! Each output, read by its source's mapper, into what it says of the
//! release and of each cluster; what could not be read makes its source
//! unavailable, and the others go on.

use super::{plural, Assembly, ClusterSources};
use crate::base::sanitize::clean;
use crate::collect::bundle::{Bundle, Family, Source};
use crate::collect::conflict::Report;
use crate::collect::facts::{ClusterFacts, OfferedVersion, PoolFacts};
use crate::collect::kubectl::NodeList;
use crate::collect::reader::Parsed;
use crate::collect::written::SourceStatus;
use crate::collect::{aksarc, akshci, kubectl, Product};

/// What a source gave (its detail in the summary), and the problems of the
/// fields it left out.
type Outcome = (String, Vec<String>);

impl Assembly {
    /// Reads every output of the bundle, and says which are missing.
    pub(super) fn read_bundle(&mut self, bundle: &Bundle, product: Product) {
        for (source, entry) in &bundle.entries {
            match &entry.output {
                Ok(text) => self.read(source, &entry.origin, text),
                Err(why) => {
                    self.source_line(source, SourceStatus::Unavailable, clean(why).into_owned())
                }
            }
        }
        self.add_missing(bundle, product);
    }

    /// Reads one output with its source's mapping function.
    fn read(&mut self, source: &Source, origin: &str, text: &str) {
        let result = match source {
            Source::AksHciVersion => {
                akshci::version(origin, text).map(|p| self.installed(source, p))
            }
            Source::AksHciConfig => akshci::config(origin, text).map(|p| self.config(source, p)),
            Source::AksHciCluster => akshci::clusters(origin, text).map(|p| self.listed(source, p)),
            Source::AksArcList => aksarc::list(origin, text).map(|p| self.listed(source, p)),
            Source::AksArcShow(file_cluster) => {
                aksarc::show(origin, text).map(|p| self.shown(source, origin, file_cluster, p))
            }
            Source::AksHciNodePool => {
                akshci::node_pools(origin, text).map(|p| self.pools(source, None, p))
            }
            Source::AksArcNodePoolList(cluster) => {
                aksarc::node_pools(origin, text).map(|p| self.pools(source, Some(cluster), p))
            }
            Source::AksHciKubernetesVersion => {
                akshci::kubernetes_versions(origin, text).map(|p| self.offered(source, p))
            }
            Source::AksArcGetVersions => {
                aksarc::versions(origin, text).map(|p| self.offered(source, p))
            }
            Source::AksHciClusterUpdates(cluster) => {
                akshci::cluster_updates(origin, text).map(|p| self.updates(source, cluster, p))
            }
            Source::KubectlVersion(cluster) => kubectl::server_version(origin, text)
                .map(|v| self.server_version(source, cluster, v)),
            Source::KubectlGetNodes(cluster) => {
                kubectl::nodes(origin, text).map(|p| self.nodes(source, cluster, p))
            }
        };
        match result {
            Ok((detail, problems)) => {
                self.source_line(source, SourceStatus::Ok, clean(&detail).into_owned());
                self.summary.problems.extend(problems);
            }
            Err(error) => {
                let why = error.to_string().replace('\n', " / ");
                self.source_line(source, SourceStatus::Unavailable, why);
            }
        }
    }

    /// What one cluster's sources say, making it a cluster of the inventory.
    fn sources_of(&mut self, name: &str) -> &mut ClusterSources {
        if self.ordered.insert(name.to_string()) {
            self.order.push(name.to_string());
        }
        self.clusters.entry(name.to_string()).or_default()
    }

    /// `Get-AksHciVersion`: the installed release.
    fn installed(&mut self, source: &Source, parsed: Parsed<String>) -> Outcome {
        self.release
            .push(Report::new(source.to_string(), parsed.value.clone()));
        (parsed.value, parsed.problems)
    }

    /// `Get-AksHciConfig`: the release too, and the host's view of the catalog.
    fn config(&mut self, source: &Source, parsed: Parsed<akshci::Config>) -> Outcome {
        if let Some(v) = &parsed.value.version {
            self.release
                .push(Report::new(source.to_string(), v.clone()));
        }
        let detail = parsed
            .value
            .version
            .clone()
            .map_or("read".to_string(), |v| format!("version {v}"));
        self.config = Some(parsed.value);
        (detail, parsed.problems)
    }

    /// `Get-AksHciCluster`, `az aksarc list`: every cluster, as the management plane lists them.
    fn listed(&mut self, source: &Source, parsed: Parsed<Vec<ClusterFacts>>) -> Outcome {
        self.clusters_listed = true;
        let n = parsed.value.len();
        for facts in parsed.value {
            let name = facts.name.clone();
            self.sources_of(&name).management = Some((source.clone(), facts));
        }
        (format!("{n} cluster{}", plural(n)), parsed.problems)
    }

    /// `az aksarc show`: one cluster, named by its id rather than by the file.
    fn shown(
        &mut self,
        source: &Source,
        origin: &str,
        file_cluster: &str,
        parsed: Parsed<Option<ClusterFacts>>,
    ) -> Outcome {
        let mut problems = parsed.problems;
        self.clusters_listed = true;
        let Some(facts) = parsed.value else {
            return ("no cluster".to_string(), problems);
        };
        if facts.name != file_cluster {
            problems.push(format!(
                "{}: describes the cluster `{}` (its id), not `{file_cluster}` (the file's name): named `{}`",
                clean(origin),
                clean(&facts.name),
                clean(&facts.name)
            ));
        }
        let name = facts.name.clone();
        self.sources_of(&name).management = Some((source.clone(), facts));
        (format!("cluster {}", clean(&name)), problems)
    }

    /// Node pools, of the cluster each names (`Get-AksHciNodePool`) or of the
    /// file's (`az aksarc nodepool list`).
    fn pools(
        &mut self,
        source: &Source,
        file_cluster: Option<&str>,
        parsed: Parsed<Vec<PoolFacts>>,
    ) -> Outcome {
        let n = parsed.value.len();
        for pool in parsed.value {
            let cluster = match file_cluster {
                Some(cluster) => Some(cluster.to_string()),
                None => pool.cluster.clone(),
            };
            if let Some(cluster) = cluster {
                // Pools alone do not make a cluster of the inventory.
                let sources = self.clusters.entry(cluster).or_default();
                sources.pools.push((source.clone(), pool));
            }
        }
        (format!("{n} node pool{}", plural(n)), parsed.problems)
    }

    /// The Kubernetes versions the release or custom location offers.
    fn offered(&mut self, source: &Source, parsed: Parsed<Vec<OfferedVersion>>) -> Outcome {
        let n = parsed.value.len();
        self.offered = Some((source.clone(), parsed.value));
        (
            format!("{n} Kubernetes version{}", plural(n)),
            parsed.problems,
        )
    }

    /// `Get-AksHciClusterUpdates`: a listed cluster's upgrades.
    fn updates(&mut self, source: &Source, cluster: &str, parsed: Parsed<Vec<String>>) -> Outcome {
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

    fn server_version(&mut self, source: &Source, cluster: &str, version: String) -> Outcome {
        let detail = format!("API server {version}");
        self.sources_of(cluster).server_version = Some((source.clone(), version));
        (detail, Vec::new())
    }

    fn nodes(&mut self, source: &Source, cluster: &str, parsed: Parsed<NodeList>) -> Outcome {
        let n = parsed.value.nodes.len();
        self.sources_of(cluster).nodes = Some((source.clone(), parsed.value));
        (format!("{n} node{}", plural(n)), parsed.problems)
    }

    /// The saved outputs a directory could have held for what it does hold.
    fn add_missing(&mut self, bundle: &Bundle, product: Product) {
        let akshci = bundle.has_family(Family::AksHci);
        let mut expected = match product {
            Product::AksHybrid if akshci => vec![
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
                Product::AksHybrid if akshci => {
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
                self.source_line(&source, SourceStatus::Missing, detail);
            }
        }
    }
}
