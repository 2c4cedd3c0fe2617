use super::{declare_rule, sections, Check, Context, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::Cluster;

declare_rule! {
    /// ## What it checks
    /// The cluster's CNI plugin (`cni`). Calico and Flannel pass; any other CNI
    /// is a warning.
    ///
    /// ## Why
    /// The policy lists basic installation and configuration support for the
    /// Flannel and Calico CNIs, which are community driven. Any other CNI is a
    /// network customization outside the ones the AKS hybrid documentation
    /// describes, which support does not cover, so network problems on such a
    /// cluster may not get help.
    ///
    /// ## How to fix
    /// Use Calico or Flannel as the product deploys them. If you need another
    /// CNI, get its support from its vendor or community and test upgrades on a
    /// non-production cluster first.
    ///
    /// ## Policy
    /// AKS hybrid support coverage (networking: Flannel and Calico CNI).
    pub static RULE = {
        code: "C002",
        name: "cni",
        scope: RuleScope::Cluster,
        section: &sections::SUPPORT_COVERAGE,
        worst: Warn,
        check: Check::Cluster(check),
    };
}

const SUPPORTED: [&str; 2] = ["calico", "flannel"];

fn check(_ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(cni) = &cluster.cni else {
        return Outcome::not_in_inventory("cni");
    };
    let name = clean(cni);
    let outcome = if SUPPORTED.iter().any(|s| s.eq_ignore_ascii_case(cni.trim())) {
        Outcome::pass(format!(
            "{name}: basic installation and configuration support"
        ))
    } else {
        Outcome::warn(format!(
            "{name} is not Calico or Flannel: a network customization support does not cover"
        ))
    };
    outcome.with("cni", cni.clone())
}
