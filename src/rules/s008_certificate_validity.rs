use super::{
    ago_on, declare_rule, not_stated, Check, Cluster, Context, Deadline, Outcome, RuleScope, Status,
};
use crate::base::dates::{add_days, days_between};
use crate::base::product::Product;
use crate::base::sanitize::clean;

declare_rule! {
    /// A cluster's certificates and tokens must not have expired while it was out of reach.
    ///
    /// ## What it checks
    /// Whether a cluster's internal certificates and tokens can still be
    /// valid, judged only where a source gives their window from a day the
    /// inventory carries.
    ///
    /// AKS Arc on Azure Local: the days since the cluster's Arc agents last
    /// reached Azure (`clusters[].azure.lastConnectivityTime`, the
    /// connected cluster's last heartbeat, which `akspol collect
    /// --resource-graph` reads). At most 30 days (`clusterConnectionDays`)
    /// passes, with the 31st day as its deadline; more fails. A cluster
    /// without that day skips, naming it.
    ///
    /// AksHci (AKS on Windows Server): the certificates and tokens expire up
    /// to 90 days (`certificateUpgradeDays`) after the cluster's last upgrade,
    /// and no inventory field carries the day of that upgrade (the installed
    /// release's date only says it was not before it), so the rule skips,
    /// naming what is missing. The 2022 page does not state the window: the
    /// rule runs under the 2025 editions only.
    ///
    /// ## Why
    /// AKS on Azure Local supports a temporary loss of connectivity for up to
    /// 30 days, because the certificates it manages are valid for 30 days:
    /// past that the cluster may stop working, its certificates may expire,
    /// and it may have to be deleted and redeployed; AKS on Azure Local is
    /// not supported disconnected beyond 30 days. On AKS on Windows Server,
    /// once the certificates and tokens have expired (90 days after the last
    /// upgrade) the cluster can only be upgraded with Microsoft Support, and
    /// it does not come back from a reboot.
    ///
    /// ## How to fix
    /// AKS Arc: restore the cluster's connectivity to Azure (the Arc agents'
    /// outbound endpoints, proxy, firewall) within 30 days; `az connectedk8s
    /// show` gives its connectivity status and last heartbeat. AksHci:
    /// upgrade (`Update-AksHci`, then `Update-AksHciCluster`) within 90 days
    /// of the last upgrade.
    ///
    /// ## Policy
    /// Overview of AKS host updates (Upgrade the AKS host in AKS on Windows
    /// Server using PowerShell, for the 2025 Windows Server edition);
    /// Understand connectivity modes (Connectivity modes in AKS on Azure
    /// Local, linked from the AKS on Azure Local page).
    pub static RULE = {
        code: S008,
        name: "certificate-validity",
        scope: RuleScope::Cluster,
        worst: Fail,
        parameters: ["clusterConnectionDays", "certificateUpgradeDays"],
        needs: ["clusters[].azure.lastConnectivityTime"],
        remedy: Restore,
        check: Check::Cluster(check),
    };
}

fn check(ctx: &Context, cluster: &Cluster) -> Outcome {
    match ctx.inventory.deployment.product {
        Product::AksArc => arc(ctx, cluster),
        Product::AksHybrid => {
            let Some(days) = ctx.policy.certificate_upgrade_days else {
                return not_stated(ctx, "certificateUpgradeDays");
            };
            Outcome::not_in_inventory("the day of the cluster's last upgrade")
                .with("certificateUpgradeDays", days)
        }
    }
}

/// AKS Arc: the days since the Arc agents' last heartbeat.
fn arc(ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(limit) = ctx.policy.cluster_connection_days else {
        return not_stated(ctx, "clusterConnectionDays");
    };
    let azure = cluster.azure.as_deref();
    let Some(last) = azure.and_then(|a| a.last_connectivity) else {
        return Outcome::not_in_inventory("clusters[].azure.lastConnectivityTime");
    };
    let status = azure
        .and_then(|a| a.connectivity_status.as_deref())
        .map(|s| format!("its Arc agents are {}", clean(s)));
    let days = days_between(last, ctx.as_of);
    let evidence = |o: Outcome| {
        let o = o
            .with("lastConnectivity", last)
            .with("daysSinceConnected", days)
            .with("clusterConnectionDays", limit);
        match azure.and_then(|a| a.connectivity_status.clone()) {
            Some(status) => o.with("connectivityStatus", status),
            None => o,
        }
    };
    if days < 0 {
        return evidence(Outcome::unknown(format!(
            "the cluster's Arc agents last reached Azure on {last}, after the evaluation date {}",
            ctx.as_of
        )));
    }
    evidence(if days > limit {
        Outcome::fail(format!(
            "the cluster's Arc agents last reached Azure on {last}, {days} days ago (more than {limit}{}): its certificates, valid {limit} days, may have expired, and the cluster may have to be deleted and redeployed",
            status.as_deref().map(|s| format!("; {s}")).unwrap_or_default()
        ))
    } else {
        Outcome::pass(format!(
            "the cluster's Arc agents reached Azure {}{}",
            ago_on(days, last),
            status
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        ))
        .deadline(Some(Deadline::new(
            add_days(last, limit + 1),
            false,
            Status::Fail,
            format!(
                "no connection to Azure for more than {limit} days: its certificates may expire"
            ),
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, inventory, one, one_in, status_and_deadline};
    use super::*;

    fn connected(last: &str, as_of: &str) -> Outcome {
        let clusters = format!(
            r#"[{{"name": "aks-edge", "kubernetesVersion": "1.31.12", "azure": {{"connectivityStatus": "Offline", "lastConnectivityTime": "{last}"}}}}]"#
        );
        one(&RULE, &arc_inventory("2603", "", &clusters), as_of)
    }

    #[test]
    fn thirty_days_since_the_last_heartbeat_pass_and_the_thirty_first_fails() {
        assert_eq!(
            status_and_deadline(&connected("2026-07-30T06:01:09Z", "2026-08-29")),
            ("pass", Some("2026-08-30".into()))
        );
        let out = connected("2026-07-30T06:01:09Z", "2026-08-30");
        assert_eq!(status_and_deadline(&out), ("fail", None));
        assert!(
            out.message
                .contains("31 days ago (more than 30; its Arc agents are Offline)"),
            "{}",
            out.message
        );
    }

    #[test]
    fn what_is_missing_is_named() {
        let clusters = r#"[{"name": "c", "kubernetesVersion": "1.31.12"}]"#;
        let arc = one(&RULE, &arc_inventory("2603", "", clusters), "2026-06-01");
        assert_eq!(
            arc.missing_data(),
            Some("clusters[].azure.lastConnectivityTime")
        );
        // AksHci: the window runs from the last upgrade, which no field gives.
        let clusters = r#"[{"name": "c", "kubernetesVersion": "1.28.5"}]"#;
        let hci = one_in(&RULE, "ws25", &inventory("", clusters), "2026-06-01");
        assert_eq!(
            hci.missing_data(),
            Some("the day of the cluster's last upgrade")
        );
        assert_eq!(hci.evidence.to_value()["certificateUpgradeDays"], 90);
    }
}
