use super::{
    ago_on, declare_rule, not_stated, Check, Context, Deadline, Outcome, RuleScope, Status,
};
use crate::base::dates::{add_days, days_between};

declare_rule! {
    /// An Azure Local instance must sync with Azure at least once every 30 days.
    ///
    /// ## What it checks
    /// When the Azure Local instance last synced with Azure, as Azure
    /// reports it (`deployment.azure.lastSyncTimestamp`, which `akspol
    /// collect --resource-graph` reads): at most 30 days before the
    /// evaluation date (`azureSyncDays`) passes, with the 31st day as its
    /// deadline; more fails. The Azure Local FAQ gives no warning period, so
    /// there is none. Without the timestamp the rule skips.
    ///
    /// ## Why
    /// Azure Local must sync successfully with Azure once per 30 consecutive
    /// days. After more than 30 days without a sync the instance shows "Out
    /// of policy" and runs in reduced functionality (no new VMs), and AKS on
    /// Azure Local is not supported disconnected beyond 30 days: its
    /// clusters cannot be created, scaled or upgraded until it syncs again.
    ///
    /// ## How to fix
    /// Restore the instance's outbound connectivity to Azure (proxy,
    /// firewall, DNS, the Arc agents on its machines) and let it sync; the
    /// portal's connection status and `lastSyncTimestamp` show when it has.
    ///
    /// ## Policy
    /// Azure Local FAQ, linked from the connectivity statement of the AKS on
    /// Azure Local page (Support policies for AKS on Azure Local, 2025).
    pub static RULE = {
        code: S007,
        name: "azure-sync",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["azureSyncDays"],
        needs: ["deployment.azure.lastSyncTimestamp"],
        remedy: Restore,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(limit) = ctx.policy.azure_sync_days else {
        return not_stated(ctx, "azureSyncDays");
    };
    let Some(last) = ctx
        .inventory
        .deployment
        .azure
        .as_ref()
        .and_then(|azure| azure.last_sync)
    else {
        return Outcome::not_in_inventory("deployment.azure.lastSyncTimestamp");
    };
    let days = days_between(last, ctx.as_of);
    let evidence = |o: Outcome| {
        o.with("lastSync", last)
            .with("daysSinceSync", days)
            .with("azureSyncDays", limit)
    };
    if days < 0 {
        return evidence(Outcome::unknown(format!(
            "the instance last synced with Azure on {last}, after the evaluation date {}",
            ctx.as_of
        )));
    }
    evidence(if days > limit {
        Outcome::fail(format!(
            "the instance last synced with Azure on {last}, {days} days ago (more than {limit}): out of policy, and AKS on Azure Local is not supported disconnected this long"
        ))
    } else {
        Outcome::pass(format!(
            "the instance synced with Azure {}",
            ago_on(days, last)
        ))
        .deadline(Some(Deadline::new(
            add_days(last, limit + 1),
            false,
            Status::Fail,
            format!("not synced with Azure for more than {limit} days: out of support"),
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one, status_and_deadline};
    use super::*;

    fn synced(last: &str, as_of: &str) -> Outcome {
        let azure = format!(r#""azure": {{"lastSyncTimestamp": "{last}"}}"#);
        one(&RULE, &arc_inventory("2603", &azure, "[]"), as_of)
    }

    #[test]
    fn thirty_days_without_a_sync_pass_and_the_thirty_first_fails() {
        // A timestamp late in its day counts as that day (UTC).
        assert_eq!(
            status_and_deadline(&synced("2026-07-30T23:59:59Z", "2026-08-29")),
            ("pass", Some("2026-08-30".into()))
        );
        let out = synced("2026-07-30T06:12:44Z", "2026-08-30");
        assert_eq!(status_and_deadline(&out), ("fail", None));
        assert!(
            out.message.contains("31 days ago (more than 30)"),
            "{}",
            out.message
        );
        // site-b of the Resource Graph examples, as of 2026-12-07.
        let site_b = synced("2026-07-30T06:12:44Z", "2026-12-07");
        assert!(
            site_b.message.contains("130 days ago"),
            "{}",
            site_b.message
        );
    }

    #[test]
    fn without_the_timestamp_it_skips_naming_it() {
        let none = one(&RULE, &arc_inventory("2603", "", "[]"), "2026-06-01");
        assert_eq!(none.status.as_str(), "skip");
        assert_eq!(
            none.missing_data(),
            Some("deployment.azure.lastSyncTimestamp")
        );
        let later = synced("2026-06-02", "2026-06-01");
        assert_eq!(later.status.as_str(), "unknown");
    }
}
