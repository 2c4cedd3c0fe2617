use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::inventory::Cluster;

declare_rule! {
    /// Each cluster's Kubernetes version must be one the installed release supports.
    ///
    /// ## What it checks
    /// That each cluster's Kubernetes version (`kubernetesVersion`, the API
    /// server) is one the installed release supports (an AKS hybrid release, or
    /// the Azure Local release AKS Arc ships with), according to the release's
    /// list in the catalog. Where the catalog has only versions seen running on
    /// the release (a partial list), a version seen there passes and any other
    /// is `unknown`; a release without a list (no source gives one, and akspol
    /// makes none up) is `unknown`, saying so.
    ///
    /// Catalog age: the verdict rests on the installed release's own list
    /// only, so it is given whatever the catalog's age.
    ///
    /// ## Why
    /// Each AKS hybrid release supports a fixed set of Kubernetes versions, and
    /// keeping clusters on them is the customer's job. A cluster on a version the
    /// release dropped is outside the supported versions policy, and it also
    /// blocks the next host upgrade until the cluster is upgraded.
    ///
    /// ## How to fix
    /// Upgrade the cluster with `Update-AksHciCluster -kubernetesVersion` (AKS
    /// hybrid) or `az aksarc upgrade --kubernetes-version` (AKS Arc) to one of
    /// the listed versions, one minor version at a time. `akspol plan` interleaves
    /// these upgrades with the release upgrades. When the result is `unknown`, the
    /// catalog lacks the release's list: `akspol catalog update` may fill it.
    ///
    /// ## Policy
    /// Supported version policy (Kubernetes versions follow the supported
    /// Kubernetes versions policy).
    pub static RULE = {
        code: V006,
        name: "kubernetes-version",
        scope: RuleScope::Cluster,
        worst: Fail,
        needs: ["deployment.version", "clusters[].kubernetesVersion"],
        remedy: Upgrade,
        check: Check::Cluster(check),
    };
}

fn check(ctx: &Context, cluster: &Cluster) -> Outcome {
    let version = &cluster.kubernetes_version;
    let release = match ctx.release_or_unknown("its Kubernetes versions are unknown") {
        Ok(release) => release,
        Err(unknown) => return unknown.with("kubernetesVersion", version),
    };
    let described = release.described();
    let Some(supported) = &release.kubernetes_versions else {
        // Versions seen running on the release are evidence for those
        // versions, never the complete list.
        let seen: Vec<String> = release
            .kubernetes_versions_seen
            .iter()
            .flatten()
            .map(ToString::to_string)
            .collect();
        let outcome = if release.seen_with_kubernetes(version) {
            Outcome::pass(format!(
                "Kubernetes {version} has been seen running on {described} (the catalog has only a partial list of its versions: {})",
                seen.join(", ")
            ))
        } else if seen.is_empty() {
            Outcome::unknown(format!(
                "the catalog does not list the Kubernetes versions of {described}"
            ))
        } else {
            Outcome::unknown(format!(
                "the catalog has only a partial list of the Kubernetes versions of {described} (seen: {}), without {version}",
                seen.join(", ")
            ))
        };
        return outcome
            .with("kubernetesVersion", version)
            .with("release", release.version)
            .with("seen", seen);
    };
    let list: Vec<String> = supported.iter().map(ToString::to_string).collect();
    let outcome = if release.supports_kubernetes(version) == Some(true) {
        Outcome::pass(format!(
            "Kubernetes {version} is supported by release {}",
            release.version
        ))
    } else {
        Outcome::fail(format!(
            "Kubernetes {version} is not supported by release {}; supported: {} (run `akspol plan` for the upgrade steps)",
            release.version,
            list.join(", ")
        ))
    };
    outcome
        .with("kubernetesVersion", version)
        .with("release", release.version)
        .with("supported", list)
}
