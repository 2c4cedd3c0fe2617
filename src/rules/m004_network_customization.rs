use super::{declare_rule, sections, Check, Context, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, Node};

declare_rule! {
    /// ## What it checks
    /// A node's network settings: it fails when the node's NIC settings were
    /// changed on the VM (`network.nicCustomized: true`) or when the node sits on
    /// a subnet AKS hybrid did not define (`network.aksDefinedSubnet: false`).
    ///
    /// ## Why
    /// The policy allows network customization only through subnets AKS hybrid
    /// defines, and never at the NIC level of agent nodes. Changing a node VM's
    /// network settings by hand, for example through the Hyper-V tools, is
    /// explicitly not supported, and the product's own networking assumes the
    /// subnets and addresses it configured.
    ///
    /// ## How to fix
    /// Revert the NIC changes or replace the node through the product's tooling.
    /// Express network requirements as AKS hybrid networks and IP pools (for
    /// example a new virtual network definition with `New-AksHciClusterNetwork`)
    /// and deploy node pools on them.
    ///
    /// ## Policy
    /// Network ports, IP Pools, and access; User customization of agent nodes.
    pub static RULE = {
        code: "M004",
        name: "network-customization",
        scope: RuleScope::Node,
        section: &sections::NETWORK,
        worst: Fail,
        check: Check::Node(check),
    };
}

fn check(_ctx: &Context, _cluster: &Cluster, node: &Node) -> Outcome {
    let Some(network) = &node.network else {
        return Outcome::not_in_inventory("network");
    };
    if network.nic_customized.is_none() && network.aks_defined_subnet.is_none() {
        return Outcome::not_in_inventory("network.nicCustomized and network.aksDefinedSubnet");
    }
    let subnet = network
        .subnet
        .as_deref()
        .map(|s| format!(" `{}`", clean(s)))
        .unwrap_or_default();
    let mut problems = Vec::new();
    if network.nic_customized == Some(true) {
        problems.push("its NIC settings were changed on the VM".to_string());
    }
    if network.aks_defined_subnet == Some(false) {
        problems.push(format!(
            "it sits on subnet{subnet}, which AKS hybrid did not define"
        ));
    }
    let outcome = if problems.is_empty() {
        Outcome::pass(format!(
            "no NIC-level changes; on AKS hybrid-defined subnet{subnet}"
        ))
    } else {
        Outcome::fail(problems.join("; "))
    };
    outcome
        .with("subnet", network.subnet.clone())
        .with("aksDefinedSubnet", network.aks_defined_subnet)
        .with("nicCustomized", network.nic_customized)
}
