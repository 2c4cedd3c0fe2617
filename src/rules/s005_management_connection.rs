use super::{declare_rule, not_stated, Check, Context, Deadline, Outcome, RuleScope, Status};
use crate::base::dates::{add_days, days_between};
use crate::base::sanitize::clean;
use crate::inventory::ClusterKind;

declare_rule! {
    /// The management cluster must connect to Azure at least every 30 days.
    ///
    /// ## What it checks
    /// When the management cluster last connected to Azure (`lastConnected` on
    /// the cluster of `kind: management`): at most 30 days ago
    /// (`managementConnectionDays`) passes, with the day after the limit as
    /// its deadline; longer fails. The host itself is not judged: on Windows
    /// Server 2019 and 2022 the page exempts the host platform from the 30-day
    /// connection requirement.
    ///
    /// ## Why
    /// The 2025 Windows Server page: the management cluster must be able to
    /// connect to Azure over HTTPS at least every 30 days to keep day-2
    /// operations such as upgrades and node pool scaling working. Workloads keep
    /// running while it is disconnected, but the deployment cannot be updated
    /// into support until it reconnects and synchronizes.
    ///
    /// ## How to fix
    /// Restore outbound HTTPS from the management cluster to the required Azure
    /// endpoints (proxy, firewall, DNS) and let it synchronize; then take the
    /// pending updates.
    ///
    /// ## Policy
    /// Stopped or disconnected clusters (Support policies for AKS on Windows
    /// Server, 2025).
    pub static RULE = {
        code: S005,
        name: "management-connection",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["managementConnectionDays"],
        needs: ["clusters[].kind", "clusters[].lastConnected"],
        remedy: Restore,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(limit) = ctx.policy.management_connection_days else {
        return not_stated(ctx, "managementConnectionDays");
    };
    let management: Vec<_> = ctx
        .inventory
        .clusters()
        .iter()
        .filter(|c| c.kind == ClusterKind::Management)
        .collect();
    if management.is_empty() {
        return Outcome::not_in_inventory("a management cluster");
    }
    // The longest disconnected management cluster decides.
    let Some((cluster, last)) = management
        .iter()
        .filter_map(|c| c.last_connected.map(|d| (c, d)))
        .min_by_key(|(_, d)| *d)
    else {
        return Outcome::not_in_inventory("lastConnected of the management cluster");
    };
    let name = clean(&cluster.name);
    let days = days_between(last, ctx.as_of);
    let evidence = |o: Outcome| {
        o.with("cluster", cluster.name.clone())
            .with("lastConnected", last)
            .with("daysDisconnected", days)
            .with("managementConnectionDays", limit)
    };
    if days < 0 {
        return evidence(Outcome::unknown(format!(
            "management cluster {name} last connected on {last}, after the evaluation date {}",
            ctx.as_of
        )));
    }
    let host = " (the Windows Server host itself has no 30-day connection requirement)";
    evidence(if days > limit {
        Outcome::fail(format!(
            "management cluster {name} last connected to Azure on {last}, {days} days ago (more than {limit}): upgrades and node pool scaling stop until it reconnects{host}"
        ))
    } else {
        Outcome::pass(format!(
            "management cluster {name} connected to Azure {days} days ago, on {last}{host}"
        ))
        .deadline(Some(Deadline::new(
            add_days(last, limit + 1),
            false,
            Status::Fail,
            format!("disconnected more than {limit} days: upgrades and node pool scaling stop"),
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inventory, one_in, status_and_deadline};
    use super::*;

    fn connected(last: &str, as_of: &str) -> Outcome {
        let clusters = format!(
            r#"[{{"name": "mgmt", "kind": "management", "kubernetesVersion": "1.28.5", "lastConnected": "{last}"}},
                {{"name": "w", "kubernetesVersion": "1.28.5"}}]"#
        );
        one_in(&RULE, "ws25", &inventory("", &clusters), as_of)
    }

    #[test]
    fn at_most_30_days_without_a_connection() {
        assert_eq!(
            status_and_deadline(&connected("2026-01-01", "2026-01-31")),
            ("pass", Some("2026-02-01".into()))
        );
        assert_eq!(
            status_and_deadline(&connected("2026-01-01", "2026-02-01")),
            ("fail", None)
        );
        let none = one_in(&RULE, "ws25", &inventory("", "[]"), "2026-01-01");
        assert_eq!(none.status.as_str(), "skip");
    }
}
