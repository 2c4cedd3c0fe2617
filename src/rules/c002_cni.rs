use super::{cni_list, declare_rule, Check, Context, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::Cluster;

declare_rule! {
    /// A cluster's CNI must be one the policy edition gives basic installation support.
    ///
    /// ## What it checks
    /// The cluster's CNI plugin (`cni`) against the CNIs the policy edition
    /// gives basic installation support (`supportedCnis`). Any other CNI is
    /// a warning.
    ///
    /// [h22, ws25] The 2022 and Windows Server pages give it to Calico and
    /// Flannel.
    ///
    /// [al25] The Azure Local page gives it to Calico alone.
    ///
    /// ## Why
    /// [h22, ws25] The policy lists basic installation and configuration
    /// support for the Flannel and Calico CNIs, which are community driven.
    ///
    /// [al25] The policy lists basic installation and configuration support
    /// for the Calico CNI alone, which is community driven, and the AKS Arc
    /// API offers only Calico.
    ///
    /// Any other CNI is a network customization outside the ones the
    /// product's documentation describes, which support does not cover, so
    /// network problems on such a cluster may not get help.
    ///
    /// ## How to fix
    /// Use a supported CNI as the product deploys it (on Azure Local, Calico). If you need another
    /// CNI, get its support from its vendor or community and test upgrades on a
    /// non-production cluster first.
    ///
    /// ## Policy
    /// AKS hybrid support coverage (networking: Flannel and Calico CNI).
    pub static RULE = {
        code: C002,
        name: "cni",
        scope: RuleScope::Cluster,
        worst: Warn,
        parameters: ["supportedCnis"],
        needs: ["clusters[].cni"],
        remedy: Configuration,
        check: Check::Cluster(check),
    };
}

fn check(ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(cni) = &cluster.cni else {
        return Outcome::not_in_inventory("cni");
    };
    let name = clean(cni);
    let supported = &ctx.policy.supported_cnis;
    let outcome = if supported.iter().any(|s| s.eq_ignore_ascii_case(cni.trim())) {
        Outcome::pass(format!(
            "{name}: basic installation and configuration support"
        ))
    } else {
        Outcome::warn(format!(
            "{name} is not {}: a network customization support does not cover",
            cni_list(ctx.policy, " or ")
        ))
    };
    outcome.with("cni", cni.clone())
}
