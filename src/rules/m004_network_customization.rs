use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, Node};

declare_rule! {
    /// Node networking may change only through the networks the product defines, never at the NIC.
    ///
    /// ## What it checks
    /// A node's network settings: it fails when the node's NIC settings were
    /// changed on the VM (`network.nicCustomized: true`) or when the node sits on
    /// a subnet AKS hybrid did not define (`network.aksDefinedSubnet: false`; on
    /// Azure Local, a logical network AKS Arc did not define).
    ///
    /// ## Why
    /// [h22, ws25] The policy allows network customization only through the
    /// subnets the product defines, and never at the NIC level of agent
    /// nodes.
    ///
    /// [al25] The policy allows network customization only through the
    /// logical networks AKS Arc defines, and never at the NIC level of agent
    /// nodes.
    ///
    /// Changing a node VM's network settings by hand, for example through
    /// the Hyper-V tools, is explicitly not supported, and the product's own
    /// networking assumes the subnets and addresses it configured.
    ///
    /// ## How to fix
    /// Revert the NIC changes or replace the node through the product's tooling.
    ///
    /// [h22, ws25] Express network requirements as AKS hybrid networks and IP
    /// pools (for example a new virtual network definition with
    /// `New-AksHciClusterNetwork`) and deploy node pools on them.
    ///
    /// [al25] Express network requirements as logical networks AKS Arc
    /// defines, and deploy node pools on them.
    ///
    /// ## Policy
    /// Network ports, IP Pools, and access; User customization of agent nodes.
    pub static RULE = {
        code: M004,
        name: "network-customization",
        scope: RuleScope::Node,
        worst: Fail,
        needs: ["clusters[].nodes[].network"],
        remedy: Revert,
        check: Check::Node(check),
    };
}

fn check(ctx: &Context, _cluster: &Cluster, node: &Node) -> Outcome {
    // What the product calls the networks it defines.
    let (network_kind, definer) = match ctx.inventory.deployment.product {
        Product::AksHybrid => ("subnet", "AKS hybrid"),
        Product::AksArc => ("logical network", "AKS Arc"),
    };
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
            "it sits on {network_kind}{subnet}, which {definer} did not define"
        ));
    }
    let outcome = if problems.is_empty() {
        Outcome::pass(format!(
            "no NIC-level changes; on {definer}-defined {network_kind}{subnet}"
        ))
    } else {
        Outcome::fail(problems.join("; "))
    };
    outcome
        .with("subnet", network.subnet.clone())
        .with("aksDefinedSubnet", network.aks_defined_subnet)
        .with("nicCustomized", network.nic_customized)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, inventory, run};
    use super::*;

    const CLUSTERS: &str = r#"[{"name": "c", "kubernetesVersion": "1.31.2", "nodes": [{"name": "n", "network": {"subnet": "lnet-a", "aksDefinedSubnet": false}}]}]"#;

    #[test]
    fn each_line_names_the_networks_it_defines() {
        let (_, hybrid) = run(&RULE, &inventory("", CLUSTERS), "2026-03-01").remove(0);
        assert_eq!(
            hybrid.message,
            "it sits on subnet `lnet-a`, which AKS hybrid did not define"
        );
        let (_, arc) = run(&RULE, &arc_inventory("2510", "", CLUSTERS), "2026-03-01").remove(0);
        assert_eq!(
            arc.message,
            "it sits on logical network `lnet-a`, which AKS Arc did not define"
        );
    }
}
