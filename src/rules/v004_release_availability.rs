use super::{behind_window, declare_rule, not_stated, Check, Context, Outcome, RuleScope, Status};

declare_rule! {
    /// More than 120 days behind, older releases may no longer be downloadable.
    ///
    /// ## What it checks
    /// That the deployment is not more than 120 days (`availabilityDays`) behind
    /// the latest release.
    ///
    /// Catalog age: when the catalog knows a release newer than the installed
    /// one, the days behind count from the first of them, and a release the
    /// catalog does not know would come later still: the verdict is given
    /// whatever the catalog's age. On the catalog's latest release, a pass
    /// rests on "no newer release", so on a catalog older than the line's
    /// release cadence (`catalogCadenceDays`) it is `unknown`.
    ///
    /// ## Why
    /// After 120 days Microsoft no longer guarantees that older AKS hybrid
    /// versions can be downloaded from the release servers. Scaling, upgrading and
    /// reinstalling then start to fail, and the way back is a redeployment with
    /// the latest version.
    ///
    /// ## How to fix
    /// Try the upgrade path from `akspol plan` first; if the interim releases can
    /// no longer be downloaded, plan a redeployment on the latest release.
    ///
    /// ## Policy
    /// Supported version policy.
    pub static RULE = {
        code: V004,
        name: "release-availability",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["availabilityDays"],
        needs: ["deployment.version"],
        remedy: Upgrade,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(window) = ctx.policy.availability_days else {
        return not_stated(ctx, "availabilityDays");
    };
    behind_window(
        ctx,
        window,
        Status::Fail,
        &format!("more than {window} days behind: old releases may no longer be downloadable; a redeploy with the latest version may be required"),
        &format!("more than {window} days behind: older releases may no longer be downloadable"),
    )
}
