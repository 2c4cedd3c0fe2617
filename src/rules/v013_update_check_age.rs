use super::{
    ago_on, declare_rule, not_stated, Check, Context, Deadline, Outcome, RuleScope, Status,
};
use crate::base::dates::{add_days, days_between};
use crate::base::sanitize::clean;

declare_rule! {
    /// Azure's update state of the instance must be fresh enough to be trusted.
    ///
    /// ## What it checks
    /// How old Azure's view of the instance's updates is: the last day the
    /// instance's update service checked for updates
    /// (`deployment.azure.updateSummary.lastChecked`). At most 7 days before
    /// the evaluation date (`updateCheckDays`, akspol's own: no source says
    /// how often the service checks) passes, with the 8th day as its
    /// deadline; older is `unknown`: the summary's `state` (`UpdateAvailable`,
    /// `AppliedSuccessfully`, ...), the updates' states and the installed
    /// version Azure shows are what the service last left there, and are not
    /// trusted. V012 says so beside the updates it names. Without
    /// `lastChecked` the rule skips.
    ///
    /// ## Why
    /// Azure does not look at the instance itself: the update service on the
    /// instance pushes its updates and their summary to Azure. When it has
    /// not run, Azure's update state is hours, days or months old, and can
    /// say an update is available that is already installed (the AzLocal
    /// update management module's troubleshooting notes, in
    /// `data/sources/inputs-azure.md` §5). Whether the instance is within
    /// the six months it has to install updates rests on that state.
    ///
    /// ## How to fix
    /// On the instance, check for updates (`Get-SolutionUpdate` in
    /// PowerShell, or the portal's Updates page) and look at the update
    /// service's health; once it checks again, collect again.
    ///
    /// ## Policy
    /// Supported version policy (AKS on Azure Local, with the Azure Local
    /// release information it links to).
    pub static RULE = {
        code: V013,
        name: "update-check-age",
        scope: RuleScope::Deployment,
        worst: Unknown,
        parameters: ["updateCheckDays"],
        needs: ["deployment.azure.updateSummary.lastChecked"],
        remedy: Verify,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(limit) = ctx.policy.update_check_days else {
        return not_stated(ctx, "updateCheckDays");
    };
    let azure = ctx.inventory.deployment.azure.as_deref();
    let summary = azure.and_then(|a| a.update_summary.as_ref());
    let Some(checked) = summary.and_then(|s| s.last_checked) else {
        return Outcome::not_in_inventory("deployment.azure.updateSummary.lastChecked");
    };
    let state = summary
        .and_then(|s| s.state.as_deref())
        .map(|s| format!(" ({})", clean(s)))
        .unwrap_or_default();
    let days = days_between(checked, ctx.as_of);
    let evidence = |o: Outcome| {
        let o = o
            .with("lastChecked", checked)
            .with("daysSinceChecked", days)
            .with("updateCheckDays", limit);
        match summary.and_then(|s| s.state.clone()) {
            Some(state) => o.with("state", state),
            None => o,
        }
    };
    if days < 0 {
        return evidence(Outcome::unknown(format!(
            "Azure's update state{state} was checked on {checked}, after the evaluation date {}",
            ctx.as_of
        )));
    }
    let synced = azure
        .and_then(|a| a.last_sync)
        .filter(|sync| *sync > checked)
        .map(|sync| format!("; the instance synced with Azure later, on {sync}: its update service may not be running"))
        .unwrap_or_default();
    evidence(if days > limit {
        Outcome::unknown(format!(
            "Azure's update state{state} was last checked on {checked}, {days} days ago (more than {limit}): it, the updates' states and the installed version Azure shows may be stale, so they are not trusted{synced}"
        ))
    } else {
        Outcome::pass(format!(
            "Azure's update state{state} was checked {}",
            ago_on(days, checked)
        ))
        .deadline(Some(Deadline::new(
            add_days(checked, limit + 1),
            false,
            Status::Unknown,
            format!("Azure's update state older than {limit} days: not trusted"),
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one, status_and_deadline};
    use super::*;

    fn checked(last: &str, as_of: &str) -> Outcome {
        let azure = format!(
            r#""azure": {{"lastSyncTimestamp": "2026-12-01T00:00:00Z", "updateSummary": {{"state": "UpdateAvailable", "lastChecked": "{last}"}}}}"#
        );
        one(&RULE, &arc_inventory("2603", &azure, "[]"), as_of)
    }

    #[test]
    fn a_week_old_check_passes_and_the_eighth_day_is_not_trusted() {
        assert_eq!(
            status_and_deadline(&checked("2026-07-30T05:58:00Z", "2026-08-06")),
            ("pass", Some("2026-08-07".into()))
        );
        let stale = checked("2026-07-30T05:58:00Z", "2026-08-07");
        assert_eq!(status_and_deadline(&stale), ("unknown", None));
        assert!(
            stale
                .message
                .starts_with("Azure's update state (UpdateAvailable) was last checked on 2026-07-30, 8 days ago (more than 7)"),
            "{}",
            stale.message
        );
        // Synced since, without a check: the service is the suspect.
        let since = checked("2026-07-30T05:58:00Z", "2026-12-07");
        assert!(
            since.message.ends_with("the instance synced with Azure later, on 2026-12-01: its update service may not be running"),
            "{}",
            since.message
        );
    }

    #[test]
    fn without_last_checked_it_skips_naming_it() {
        let none = one(&RULE, &arc_inventory("2603", "", "[]"), "2026-06-01");
        assert_eq!(
            none.missing_data(),
            Some("deployment.azure.updateSummary.lastChecked")
        );
    }
}
