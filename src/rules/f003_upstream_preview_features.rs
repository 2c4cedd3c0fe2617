use super::f001_alpha_features::alpha_outcome;
use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::inventory::Cluster;

declare_rule! {
    /// A cluster must enable only stable and beta upstream Kubernetes features.
    ///
    /// ## What it checks
    /// The Kubernetes feature gates enabled on a cluster (`featureGates`) and the
    /// extra API versions it serves (`apiVersions`), as the 2025 pages put it:
    /// only stable and beta upstream features are supported, so an enabled gate
    /// that is neither (alpha, upstream's preview stage) fails, and so does an
    /// API version whose version part contains `alpha`. A gate given without a
    /// stage is looked up in akspol's embedded table of upstream feature gates at
    /// the cluster's Kubernetes minor version; only a gate the table does not know
    /// at that version is `unknown`. Disabled gates are not judged. It is F001
    /// under the wording of the newer editions.
    ///
    /// ## Why
    /// AKS Arc supports the stable and beta features of the upstream Kubernetes
    /// project; unless its documentation says otherwise, it does not support any
    /// preview feature available upstream. Such features can change or disappear
    /// between versions, so a cluster that depends on one is outside support.
    ///
    /// ## How to fix
    /// Disable the gate (remove it from the components' `--feature-gates`) and
    /// the alpha API version (`--runtime-config`), or wait for a Kubernetes
    /// version in which the feature is beta or stable and upgrade to it. For an
    /// `unknown` gate, give its `stage` in the inventory.
    ///
    /// ## Policy
    /// Unsupported preview and beta Kubernetes features (the 2025 Windows Server
    /// and Azure Local pages; the 2022 page's "Unsupported alpha and beta
    /// Kubernetes features" is rule F001).
    pub static RULE = {
        code: F003,
        name: "upstream-preview-features",
        scope: RuleScope::Cluster,
        worst: Fail,
        needs: [
            "clusters[].kubernetesVersion",
            "clusters[].featureGates",
            "clusters[].apiVersions",
        ],
        remedy: Configuration,
        check: Check::Cluster(check),
    };
}

fn check(_ctx: &Context, cluster: &Cluster) -> Outcome {
    alpha_outcome(
        cluster,
        "preview (alpha)",
        ": only stable and beta upstream features are supported",
    )
}
