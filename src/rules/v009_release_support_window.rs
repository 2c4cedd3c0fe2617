use chrono::Months;

use super::{
    declare_rule, no_release_as_of, not_stated, release_evidence, sections, Check, Context,
    Deadline, Outcome, RuleScope, Status,
};
use crate::base::dates::{add_days, days_between};

declare_rule! {
    /// ## What it checks
    /// How long the installed Azure Local release has been out: each release
    /// is supported for six months (`releaseSupportMonths`) from the day its
    /// first build became available, whichever of its builds is installed. It
    /// passes up to and including the day six calendar months after that
    /// availability date, with the next day as its deadline, and fails after.
    /// On a catalog whose Azure Local facts are older than the line's monthly
    /// cadence, a pass is `unknown`.
    ///
    /// ## Why
    /// AKS Arc is not supported on an unsupported version of the platform it
    /// runs on, and Azure Local supports each release for six months: updates
    /// must be installed within six months, and a version not updated within
    /// six months is no longer supported. The deployment's AKS Arc support ends
    /// with its Azure Local release's.
    ///
    /// ## How to fix
    /// Install the current Azure Local update (Azure Update Manager or
    /// `Start-SolutionUpdate`), then upgrade the AKS Arc clusters to a
    /// Kubernetes version that release offers (`az aksarc upgrade`). On 23H2,
    /// move from 11.2510 to 12.2510 before updating further. `akspol plan` lists
    /// the steps.
    ///
    /// ## Policy
    /// Supported version policy (AKS on Azure Local, with the Azure Local
    /// release information it links to).
    pub static RULE = {
        code: "V009",
        name: "release-support-window",
        scope: RuleScope::Deployment,
        section: &sections::ARC_SUPPORTED_VERSION_POLICY,
        worst: Fail,
        parameters: ["releaseSupportMonths"],
        needs_current_catalog: true,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(months) = ctx.policy.release_support_months else {
        return not_stated(ctx, "releaseSupportMonths");
    };
    if ctx.standing.is_none() {
        return no_release_as_of(ctx);
    }
    let installed = ctx.inventory.deployment.version;
    let Some(release) = ctx.installed_release() else {
        return Outcome::unknown(format!(
            "release {installed} is not in the catalog: its availability date, and so its support window, is unknown"
        ))
        .with("installed", installed);
    };
    let estimated = release.date_basis.is_estimate();
    let approx = if estimated { "~" } else { "" };
    let Some(last_day) = u32::try_from(months)
        .ok()
        .and_then(|m| release.released.checked_add_months(Months::new(m)))
    else {
        return Outcome::unknown("the support window ends beyond the calendar akspol knows");
    };
    let first_unsupported = add_days(last_day, 1);
    let outcome = if ctx.as_of <= last_day {
        let left = days_between(ctx.as_of, first_unsupported);
        Outcome::pass(format!(
            "release {} came out on {approx}{}: supported for {months} months, through {approx}{last_day} ({left} {} left)",
            release.version,
            release.released,
            if left == 1 { "day" } else { "days" }
        ))
        .deadline(Some(Deadline::new(
            first_unsupported,
            estimated,
            Status::Fail,
            format!("release {} leaves its {months}-month support", release.version),
        )))
    } else {
        Outcome::fail(format!(
            "release {} came out on {approx}{}: its {months}-month support ended on {approx}{last_day}; install a newer Azure Local release",
            release.version, release.released
        ))
    };
    outcome
        .with("installed", installed)
        .with("release", release_evidence(release))
        .with("lastSupportedDay", last_day)
        .with("supportMonths", months)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one, status_and_deadline};
    use super::*;

    fn at(version: &str, as_of: &str) -> (&'static str, Option<String>) {
        let outcome = one(&RULE, &arc_inventory(version, "", "[]"), as_of);
        let (status, deadline) = status_and_deadline(&outcome);
        (status, deadline)
    }

    #[test]
    fn six_calendar_months_from_the_first_build_whatever_the_build() {
        // 2510 came out on 2025-10-24: supported through 2026-04-24.
        assert_eq!(
            at("2510", "2026-04-24"),
            ("pass", Some("2026-04-25".into()))
        );
        assert_eq!(at("2510", "2026-04-25"), ("fail", None));
        // A later build of 2510 (2026-02-17) does not extend its window.
        assert_eq!(at("12.2510.1002.531", "2026-04-25"), ("fail", None));
    }

    #[test]
    fn an_unknown_release_is_unknown() {
        assert_eq!(at("2604", "2026-05-01").0, "unknown");
    }
}
