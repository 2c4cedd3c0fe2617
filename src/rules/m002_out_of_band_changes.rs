use super::{declare_rule, Check, Context, Evidence, Outcome, RuleScope, Status};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, ModificationVia, Node};

declare_rule! {
    /// Nodes must not be changed behind the product's back, through Hyper-V or by signing in.
    ///
    /// ## What it checks
    /// The out-of-band changes recorded for a node (`modifications`). A change
    /// made through Hyper-V fails: it modifies the node's VM directly. A change
    /// made by signing in to the node (`ssh` or `rdp`) is a warning. A change made
    /// by a Kubernetes daemon set is the supported way and passes.
    ///
    /// ## Why
    /// Agent nodes are Hyper-V VMs that the product deploys from its own image
    /// and manages. Changing them through Hyper-V or other IaaS interfaces makes
    /// the cluster unsupportable. Signing in to a node and changing it is
    /// discouraged: such changes are lost on upgrade, scale, update or reboot and
    /// can also make the cluster unsupportable. Node-level configuration belongs
    /// in a daemon set, a Kubernetes-native mechanism the policy recommends.
    ///
    /// ## How to fix
    /// Undo a Hyper-V change (for example restore the VM's memory, CPU or disk
    /// settings), or replace the node by scaling its node pool down and up with
    /// the product's tooling. Move changes made over SSH or RDP into a daemon
    /// set so they survive upgrades and are visible to everyone.
    ///
    /// ## Policy
    /// User customization of agent nodes; Shared responsibility; Node maintenance
    /// and access.
    pub static RULE = {
        code: M002,
        name: "out-of-band-changes",
        scope: RuleScope::Node,
        worst: Fail,
        needs: ["clusters[].nodes[].modifications"],
        remedy: Revert,
        check: Check::Node(check),
    };
}

fn status_of(via: ModificationVia) -> Status {
    match via {
        ModificationVia::HyperV => Status::Fail,
        ModificationVia::Ssh | ModificationVia::Rdp => Status::Warn,
        ModificationVia::DaemonSet => Status::Pass,
    }
}

fn check(_ctx: &Context, _cluster: &Cluster, node: &Node) -> Outcome {
    let Some(modifications) = &node.modifications else {
        return Outcome::not_in_inventory("modifications");
    };
    let status = modifications
        .iter()
        .map(|m| status_of(m.via))
        .max()
        .unwrap_or(Status::Pass);
    let evidence: Vec<_> = modifications
        .iter()
        .map(|m| {
            Evidence::new()
                .with("via", m.via.as_str())
                .with("description", m.description.clone())
                .with("at", m.at)
        })
        .collect();
    let listed = |wanted: Status| -> Vec<String> {
        modifications
            .iter()
            .filter(|m| status_of(m.via) == wanted)
            .map(|m| {
                let what = m
                    .description
                    .as_deref()
                    .map_or_else(|| "a change".to_string(), |d| clean(d).into_owned());
                let when = m.at.map(|d| format!(" on {d}")).unwrap_or_default();
                format!("{what} via {}{when}", m.via)
            })
            .collect()
    };
    let message = match status {
        Status::Fail => {
            let mut text = format!(
                "changed through Hyper-V, which makes the cluster unsupportable: {}",
                listed(Status::Fail).join("; ")
            );
            let signed_in = listed(Status::Warn);
            if !signed_in.is_empty() {
                text.push_str(&format!("; also changed after signing in: {}", signed_in.join("; ")));
            }
            text
        }
        Status::Warn => format!(
            "changed after signing in to the node (discouraged; lost on upgrade, scale or reboot): {}",
            listed(Status::Warn).join("; ")
        ),
        _ if modifications.is_empty() => "no out-of-band changes".to_string(),
        _ => format!(
            "{} change(s), all through daemon sets",
            modifications.len()
        ),
    };
    Outcome::new(status, message).with("modifications", evidence)
}
