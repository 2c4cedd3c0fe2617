//! Support coverage: for each cluster, what in it Microsoft supports, what it
//! supports on a best-effort basis, and what it does not cover, read from the
//! inventory. Reports show it so a support engineer and a customer agree on
//! what a ticket can expect before it is opened.
//!
//! Sources (`../shared/policy/support-policies.md`):
//! - "AKS hybrid support coverage": the AKS-managed control plane (API server,
//!   etcd, CoreDNS) and its connectivity are supported; Calico and Flannel get
//!   basic installation and configuration support only; third-party
//!   open-source projects (Istio, Helm, ...) get best effort at most;
//!   closed-source third-party software and network customizations outside
//!   the documentation are not covered.
//! - "User customization of agent nodes": privileged daemon sets are the
//!   recommended way to change nodes, but support cannot troubleshoot nodes
//!   they make unavailable.
//! - "Preview features or feature flags": best effort, business hours only.

use crate::findings::coverage::{ClusterCoverage, Coverage, Item};
use crate::inventory::{Cluster, ComponentSource, Deployment, Inventory};
use crate::rules::sections;

/// The coverage of every cluster of an inventory.
pub fn of(inventory: &Inventory) -> Coverage {
    Coverage {
        clusters: inventory
            .clusters()
            .iter()
            .map(|c| of_cluster(&inventory.deployment, c))
            .collect(),
        section: &sections::SUPPORT_COVERAGE,
    }
}

pub fn of_cluster(deployment: &Deployment, cluster: &Cluster) -> ClusterCoverage {
    let coverage = &sections::SUPPORT_COVERAGE;
    let mut c = ClusterCoverage {
        cluster: cluster.name.clone(),
        ..ClusterCoverage::default()
    };
    c.supported.push(Item::new(
        "the AKS-managed control plane (API server, etcd, CoreDNS) and connectivity to it",
        coverage,
    ));
    match cluster.cni.as_deref() {
        Some(cni) if is_basic_cni(cni) => c.supported.push(Item::new(
            format!("{cni} CNI: basic installation and configuration only"),
            coverage,
        )),
        Some(cni) => {
            c.notable = true;
            c.not_covered.push(Item::new(
                format!("{cni} CNI: only Calico and Flannel get basic installation support"),
                coverage,
            ));
        }
        None => {}
    }
    for component in cluster.components.iter().flatten() {
        let name = match &component.version {
            Some(v) => format!("{} {v}", component.name),
            None => component.name.clone(),
        };
        match component.source {
            ComponentSource::Microsoft => c
                .supported
                .push(Item::new(format!("{name} (Microsoft)"), coverage)),
            ComponentSource::OpenSource => {
                c.notable = true;
                c.best_effort.push(Item::new(
                    format!("{name} (third-party open source)"),
                    coverage,
                ));
            }
            ComponentSource::ClosedSource => {
                c.notable = true;
                c.not_covered.push(Item::new(
                    format!("{name} (third-party closed source)"),
                    coverage,
                ));
            }
        }
    }
    let previews = deployment
        .preview_features
        .iter()
        .flatten()
        .map(|p| (p, "deployment"))
        .chain(
            cluster
                .preview_features
                .iter()
                .flatten()
                .map(|p| (p, "cluster")),
        );
    for (feature, level) in previews {
        c.notable = true;
        c.best_effort.push(Item::new(
            format!("preview feature {feature} ({level}): business hours only"),
            &sections::PREVIEW_FEATURES,
        ));
    }
    for ds in cluster.privileged_daemon_sets.iter().flatten() {
        c.notable = true;
        let name = match &ds.namespace {
            Some(ns) => format!("{ns}/{}", ds.name),
            None => ds.name.clone(),
        };
        c.not_covered.push(Item::new(
            format!("nodes made unavailable by the privileged daemon set {name}"),
            &sections::USER_CUSTOMIZATION,
        ));
    }
    c
}

fn is_basic_cni(cni: &str) -> bool {
    cni.eq_ignore_ascii_case("calico") || cni.eq_ignore_ascii_case("flannel")
}
