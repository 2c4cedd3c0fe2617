//! Support coverage: for each cluster, what in it Microsoft supports, what it
//! supports on a best-effort basis, and what it does not cover, read from the
//! inventory. Reports show it so a support engineer and a customer agree on
//! what a ticket can expect before it is opened.
//!
//! Sources (`docs/spec/support-policies-2022.md`):
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
use crate::policy::Policy;
use crate::rules::RuleCode;

/// The coverage of every cluster of an inventory, by the edition it is judged against.
pub fn of(inventory: &Inventory, policy: &Policy) -> Coverage {
    Coverage {
        clusters: inventory
            .clusters()
            .iter()
            .map(|c| of_cluster(&inventory.deployment, c, policy))
            .collect(),
        section: cite(policy, RuleCode::C002),
    }
}

/// The edition's section for what a rule checks.
fn cite(policy: &Policy, code: RuleCode) -> crate::findings::Cite {
    crate::rules::cite_for(policy.edition, &code.rule().info)
}

pub fn of_cluster(deployment: &Deployment, cluster: &Cluster, policy: &Policy) -> ClusterCoverage {
    let coverage = cite(policy, RuleCode::C002);
    let mut c = ClusterCoverage {
        cluster: cluster.name.clone(),
        ..ClusterCoverage::default()
    };
    c.supported.push(Item::new(
        "the AKS-managed control plane (API server, etcd, CoreDNS) and connectivity to it",
        coverage,
    ));
    match cluster.cni.as_deref() {
        Some(cni) if is_basic_cni(cni, policy) => c.supported.push(Item::new(
            format!("{cni} CNI: basic installation and configuration only"),
            coverage,
        )),
        Some(cni) => {
            c.notable = true;
            c.not_covered.push(Item::new(
                format!(
                    "{cni} CNI: only {} {} basic installation support",
                    crate::rules::cni_names(policy),
                    if policy.supported_cnis.len() == 1 {
                        "gets"
                    } else {
                        "get"
                    }
                ),
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
            cite(policy, RuleCode::F002),
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
            cite(policy, RuleCode::M005),
        ));
    }
    c
}

fn is_basic_cni(cni: &str, policy: &Policy) -> bool {
    policy
        .supported_cnis
        .iter()
        .any(|c| c.eq_ignore_ascii_case(cni.trim()))
}
