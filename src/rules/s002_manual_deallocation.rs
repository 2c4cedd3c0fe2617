use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, ClusterState, PowerState, Via};

declare_rule! {
    /// A cluster whose nodes were deallocated through Hyper-V is out of support.
    ///
    /// ## What it checks
    /// Whether a cluster was taken down behind the product's back: it fails when
    /// the cluster was stopped through Hyper-V (`stoppedVia: hyperv`), or when
    /// every one of its nodes is `Off` or `Deallocated` and at least one of them
    /// was powered off through Hyper-V (`powerChangedVia: hyperv`). A single node
    /// that is off does not make a deallocated cluster; M002 judges out-of-band
    /// changes to individual nodes.
    ///
    /// ## Why
    /// The nodes of an AKS hybrid cluster are Hyper-V virtual machines that the
    /// product manages. Deallocating all of a cluster's nodes with the Hyper-V
    /// APIs, the Hyper-V PowerShell cmdlets or Hyper-V Manager (MMC) puts the
    /// cluster in a state the product did not create and cannot track, and the
    /// policy declares such a cluster out of support.
    ///
    /// ## How to fix
    /// Start the node VMs again and, from then on, stop and start clusters only
    /// with the product's own tooling (`Stop-AksHciCluster` and
    /// `Start-AksHciCluster`, or the equivalent for your version). If the cluster
    /// does not recover, contact support about redeploying it.
    ///
    /// ## Policy
    /// Stopped or disconnected clusters (manual deallocation through Hyper-V).
    pub static RULE = {
        code: S002,
        name: "manual-deallocation",
        scope: RuleScope::Cluster,
        worst: Fail,
        needs: [
            "clusters[].state",
            "clusters[].stoppedVia",
            "clusters[].nodes[].powerState",
            "clusters[].nodes[].powerChangedVia",
        ],
        remedy: Restore,
        check: Check::Cluster(check),
    };
}

fn is_down(state: PowerState) -> bool {
    matches!(state, PowerState::Off | PowerState::Deallocated)
}

fn check(_ctx: &Context, cluster: &Cluster) -> Outcome {
    let nodes = &cluster.nodes;
    let down: Vec<_> = nodes.iter().filter(|n| is_down(n.power_state)).collect();
    let all_down = !nodes.is_empty() && down.len() == nodes.len();
    let via_hyperv: Vec<String> = down
        .iter()
        .filter(|n| n.power_changed_via == Some(Via::HyperV))
        .map(|n| n.name.clone())
        .collect();
    let evidence = |outcome: Outcome| {
        outcome
            .with("state", cluster.state.as_str())
            .with("stoppedVia", cluster.stopped_via.map(Via::as_str))
            .with("nodes", nodes.len())
            .with("nodesDown", down.len())
            .with("nodesDownViaHyperV", via_hyperv.clone())
    };
    if cluster.stopped_via == Some(Via::HyperV) {
        return evidence(Outcome::fail(
            "the cluster was stopped through Hyper-V, not with the product's tooling",
        ));
    }
    if all_down && !via_hyperv.is_empty() {
        let names: Vec<String> = via_hyperv.iter().map(|n| clean(n).into_owned()).collect();
        return evidence(Outcome::fail(format!(
            "all {} nodes are Off or Deallocated, and {} powered off through Hyper-V: {}",
            nodes.len(),
            if names.len() == 1 {
                "one was"
            } else {
                "some were"
            },
            names.join(", ")
        )));
    }
    let every_down_via_aks = all_down && down.iter().all(|n| n.power_changed_via == Some(Via::Aks));
    let outcome = match (cluster.state, cluster.stopped_via) {
        (ClusterState::Stopped, Some(Via::Aks)) => {
            Outcome::pass("the cluster was stopped with the product's tooling")
        }
        _ if every_down_via_aks => Outcome::pass(format!(
            "all {} nodes were powered off with the product's tooling",
            nodes.len()
        )),
        (ClusterState::Stopped, _) => {
            return evidence(Outcome::not_in_inventory(
                "how the cluster was stopped (stoppedVia)",
            ))
        }
        _ if nodes.is_empty() => return evidence(Outcome::not_in_inventory("nodes")),
        _ if all_down => {
            return evidence(Outcome::not_in_inventory(
                "who powered off the nodes (powerChangedVia)",
            ))
        }
        _ if down.is_empty() => {
            Outcome::pass(format!("running; none of its {} nodes is off", nodes.len()))
        }
        _ => Outcome::pass(format!(
            "running; {} of its {} nodes off, so the cluster is not deallocated",
            down.len(),
            nodes.len()
        )),
    };
    evidence(outcome)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inventory, one};
    use super::*;

    fn judge(cluster: &str) -> Outcome {
        one(&RULE, &inventory("", &format!("[{cluster}]")), "2026-11-01")
    }

    #[test]
    fn stopped_through_hyperv_fails() {
        let o = judge(
            r#"{"name": "c", "kubernetesVersion": "1.28.5", "state": "Stopped", "stoppedSince": "2026-10-01", "stoppedVia": "hyperv"}"#,
        );
        assert_eq!(o.status.as_str(), "fail");
    }

    #[test]
    fn all_nodes_off_with_one_through_hyperv_fails() {
        let o = judge(
            r#"{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [
                {"name": "a", "powerState": "Off", "powerChangedVia": "hyperv"},
                {"name": "b", "powerState": "Deallocated", "powerChangedVia": "aks"}]}"#,
        );
        assert_eq!(o.status.as_str(), "fail", "{}", o.message);
        assert!(o.message.contains("one was powered off through Hyper-V: a"));
    }

    #[test]
    fn one_node_off_is_not_a_deallocated_cluster() {
        let o = judge(
            r#"{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [
                {"name": "a", "powerState": "Off", "powerChangedVia": "hyperv"},
                {"name": "b"}]}"#,
        );
        assert_eq!(o.status.as_str(), "pass", "{}", o.message);
    }

    #[test]
    fn stopped_with_aks_passes_and_unknown_origin_skips() {
        let aks = judge(
            r#"{"name": "c", "kubernetesVersion": "1.28.5", "state": "Stopped", "stoppedSince": "2026-10-01", "stoppedVia": "aks"}"#,
        );
        assert_eq!(aks.status.as_str(), "pass");
        let unknown = judge(
            r#"{"name": "c", "kubernetesVersion": "1.28.5", "state": "Stopped", "stoppedSince": "2026-10-01"}"#,
        );
        assert_eq!(unknown.status.as_str(), "skip");
        let no_nodes = judge(r#"{"name": "c", "kubernetesVersion": "1.28.5"}"#);
        assert_eq!(no_nodes.status.as_str(), "skip");
    }
}
