//! From every output collect has to one inventory, built as the typed
//! structs every collector writes ([`crate::collect::written`]), job by job:
//! [`read`] maps each output into what it says of the release and of each
//! cluster; [`precedence`] picks, where sources overlap, the one that wins
//! (and says every disagreement); [`inventory`] makes the deployment and
//! its clusters, saying where each field came from; [`gaps`] says what stays
//! unknown and which rules skip for it; [`notes`] what a reader should know;
//! [`provenance`] writes all of that into the inventory; [`summary`] says it
//! on standard error.

mod gaps;
mod inventory;
mod notes;
mod precedence;
mod provenance;
mod read;
mod summary;

use std::collections::{BTreeMap, HashSet};

use super::bundle::{Bundle, Family, Source};
use super::conflict::Report;
use super::facts::{ClusterFacts, OfferedVersion, PoolFacts};
use super::kubectl::NodeList;
use super::written::{Deployment, Fields, Inventory, SourceStatus};
use super::{akshci, Product};
use crate::base::sanitize::clean;

pub use summary::{SourceLine, Summary};

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
#[derive(Debug)]
pub struct Collected {
    pub inventory: Inventory<'static>,
    pub summary: Summary,
}

/// No inventory could be made; what was found is in the summary.
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot make an inventory: {why}")]
pub struct Failed {
    pub why: String,
    pub summary: Box<Summary>,
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

/// Everything read so far, and what has been said of it.
#[derive(Debug, Default)]
struct Assembly {
    summary: Summary,
    fields: Fields,
    /// Cluster names in the order the management plane lists them, then
    /// those known only from kubectl.
    order: Vec<String>,
    /// The same names, to look one up without a scan of `order`.
    ordered: HashSet<String>,
    clusters: BTreeMap<String, ClusterSources>,
    /// The installed release, as each source that says it reports it.
    release: Vec<Report>,
    config: Option<akshci::Config>,
    offered: Option<(Source, Vec<OfferedVersion>)>,
    /// A source said how many clusters there are (possibly none).
    clusters_listed: bool,
}

/// Builds the inventory. Pure: the outputs, the options and nothing else.
pub fn assemble(bundle: &Bundle, options: &Options) -> Result<Collected, Failed> {
    let mut a = Assembly::default();
    a.summary.files = bundle.account();
    let product = product(bundle, options.product).map_err(|why| a.fail(bundle, why))?;
    a.read_bundle(bundle, product);

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
    let version = a
        .deployment_version(options, product)
        .map_err(|why| a.fail(bundle, why))?;

    let node_count = a.node_count();
    // Every cluster an output names, before those made are taken out.
    let named: Vec<String> = a.clusters.keys().map(|c| clean(c).into_owned()).collect();
    let clusters = a.clusters();
    if clusters.as_ref().is_none_or(Vec::is_empty) {
        a.summary
            .warnings
            .extend(super::bundle::no_cluster_warning(bundle, &named));
    }
    a.notes_on_release(product, &version);
    a.summary.gaps.extend(gaps::never_known());
    let provenance = a.provenance(bundle);
    a.summary.headline = Some(headline(
        &a.summary,
        &name,
        product,
        &version,
        clusters.as_ref().map_or(0, Vec::len),
        node_count,
    ));
    let deployment = Deployment {
        name,
        // The product line of issue 13: Azure Local releases are judged
        // under it; aks-hybrid is the inventory's default, left unsaid.
        product: (product == Product::AksArc).then_some(Product::AksArc),
        version,
        azure: None,
    };
    Ok(Collected {
        inventory: Inventory {
            schema_version: crate::inventory::SCHEMA_VERSION,
            collected_at: options.collected_at.clone(),
            deployment,
            clusters,
            provenance,
        },
        summary: a.summary,
    })
}

/// The deployment in one line.
fn headline(
    summary: &Summary,
    name: &str,
    product: Product,
    version: &str,
    clusters: usize,
    nodes: usize,
) -> String {
    let read = summary
        .sources
        .iter()
        .filter(|s| s.state == SourceStatus::Ok)
        .count();
    format!(
        "{} ({} {version}): {clusters} cluster{}, {nodes} node{}, from {read} of {} sources",
        clean(name),
        product.as_str(),
        plural(clusters),
        plural(nodes),
        summary.sources.len(),
    )
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
                    SourceStatus::Found
                } else {
                    SourceStatus::Unavailable
                };
                self.source_line(source, state, String::new());
            }
        }
        Failed {
            why,
            summary: Box::new(std::mem::take(&mut self.summary)),
        }
    }

    fn source_line(&mut self, source: &Source, state: SourceStatus, detail: String) {
        self.summary.sources.push(SourceLine {
            name: source.to_string(),
            state,
            detail,
        });
    }

    /// Says which source filled the field at `path`.
    fn field(&mut self, path: &str, source: &str) {
        self.fields.insert(path.to_string(), source.to_string());
    }
}

#[cfg(test)]
mod tests;
