use super::{declare_rule, not_stated, Check, Context, Deadline, Outcome, RuleScope, Status};
use crate::base::dates::{add_days, days_between};
use crate::inventory::{Cluster, PowerState, Via};

declare_rule! {
    /// A cluster whose nodes were all stopped by hand for over 30 days is out of support.
    ///
    /// ## What it checks
    /// A cluster whose nodes are all powered off (`powerState` `Off` or
    /// `Deallocated`) by hand rather than with the product's tooling
    /// (`powerChangedVia` other than `aks`): for how long, from the day the
    /// last of them went off (`powerStateSince`). Up to 30 days
    /// (`nodeStoppedDays`) it is a warning with the day support ends as its
    /// deadline; after that it fails, unless the cluster is in a planned
    /// maintenance window (`maintenance: true`). A cluster with a node still
    /// running passes.
    ///
    /// ## Why
    /// The 2025 Windows Server page: manually stopping or de-allocating all
    /// cluster nodes for prolonged periods greater than 30 days, outside of
    /// regular maintenance procedures, renders the cluster out of support (its
    /// certificates and the management cluster's view of it go stale).
    ///
    /// ## How to fix
    /// Start the nodes (or the whole cluster with `Start-AksHciCluster`), or,
    /// if the cluster is no longer needed, remove it. Mark a planned outage as
    /// maintenance in the inventory only while it really is one.
    ///
    /// ## Policy
    /// Stopped or disconnected clusters (Support policies for AKS on Windows
    /// Server, 2025).
    pub static RULE = {
        code: S004,
        name: "nodes-stopped",
        scope: RuleScope::Cluster,
        worst: Fail,
        parameters: ["nodeStoppedDays"],
        needs: [
            "clusters[].nodes[].powerState",
            "clusters[].nodes[].powerChangedVia",
            "clusters[].nodes[].powerStateSince",
            "clusters[].maintenance",
        ],
        remedy: Restore,
        check: Check::Cluster(check),
    };
}

fn check(ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(limit) = ctx.policy.node_stopped_days else {
        return not_stated(ctx, "nodeStoppedDays");
    };
    let nodes = &cluster.nodes;
    if nodes.is_empty() {
        return Outcome::not_in_inventory("nodes");
    }
    let running = nodes
        .iter()
        .filter(|n| n.power_state == PowerState::Running)
        .count();
    if running > 0 {
        return Outcome::pass(format!(
            "{running} of {} node(s) running: the nodes are not all stopped",
            nodes.len()
        ));
    }
    if nodes.iter().all(|n| n.power_changed_via == Some(Via::Aks)) {
        return Outcome::pass(
            "every node is off, stopped with the product's tooling (a stopped cluster is S001's)",
        );
    }
    if cluster.maintenance == Some(true) {
        return Outcome::pass("every node is off, in a planned maintenance window (`maintenance`)")
            .with("maintenance", true);
    }
    let missing = nodes
        .iter()
        .filter(|n| n.power_state_since.is_none())
        .count();
    let Some(since) = nodes.iter().filter_map(|n| n.power_state_since).max() else {
        return Outcome::not_in_inventory("powerStateSince");
    };
    if missing > 0 {
        return Outcome::skip(format!(
            "every node is off, but powerStateSince is not in the inventory for {missing} of them"
        ));
    }
    let days = days_between(since, ctx.as_of);
    let base = |o: Outcome| {
        o.with("offSince", since)
            .with("daysOff", days)
            .with("nodeStoppedDays", limit)
    };
    if days < 0 {
        return base(Outcome::unknown(format!(
            "every node is off since {since}, after the evaluation date {}",
            ctx.as_of
        )));
    }
    base(if days > limit {
        Outcome::fail(format!(
            "every node has been off for {days} days since {since} (more than {limit}), outside a maintenance window: the cluster is out of support"
        ))
    } else {
        Outcome::warn(format!(
            "every node has been off for {days} days since {since}; outside a maintenance window the cluster leaves support after {limit} days"
        ))
        .deadline(Some(Deadline::new(
            add_days(since, limit + 1),
            false,
            Status::Fail,
            format!("every node off more than {limit} days: the cluster leaves support"),
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inventory, one_in, status_and_deadline};
    use super::*;

    fn off(extra: &str, as_of: &str) -> Outcome {
        let clusters = format!(
            r#"[{{"name": "c", "kubernetesVersion": "1.28.5"{extra}, "nodes": [
                {{"name": "a", "powerState": "Off", "powerStateSince": "2026-01-01"}},
                {{"name": "b", "powerState": "Deallocated", "powerStateSince": "2025-12-20"}}]}}]"#
        );
        one_in(&RULE, "ws25", &inventory("", &clusters), as_of)
    }

    #[test]
    fn more_than_30_days_off_outside_maintenance() {
        // The last node went off on 2026-01-01: day 30 is 2026-01-31.
        assert_eq!(
            status_and_deadline(&off("", "2026-01-31")),
            ("warn", Some("2026-02-01".into()))
        );
        assert_eq!(status_and_deadline(&off("", "2026-02-01")), ("fail", None));
        assert_eq!(
            off(r#", "maintenance": true"#, "2026-02-01")
                .status
                .as_str(),
            "pass"
        );
    }
}
