use super::{behind_window, declare_rule, not_stated, Check, Context, Outcome, RuleScope, Status};

declare_rule! {
    /// The deployment should stay within 30 days of the latest release.
    ///
    /// ## What it checks
    /// How long the deployment has been behind: the days from the release date of
    /// the oldest release newer than the installed one to the evaluation date. It
    /// warns beyond the recommended window (30 days by default,
    /// `recommendedWindowDays`).
    ///
    /// Catalog age: when the catalog knows a release newer than the installed
    /// one, the days behind count from the first of them, and a release the
    /// catalog does not know would come later still: the verdict is given
    /// whatever the catalog's age. On the catalog's latest release, a pass
    /// rests on "no newer release", so on a catalog older than the line's
    /// release cadence (`catalogCadenceDays`) it is `unknown`.
    ///
    /// ## Why
    /// Microsoft recommends staying within a 30-day window of the latest release
    /// to keep an AKS hybrid environment in a supported state. Past it the
    /// deployment is still supported, but it is drifting towards the 60-day limit.
    ///
    /// ## How to fix
    /// Update the host with `Update-AksHci`, then the workload clusters with
    /// `Update-AksHciCluster`. The deadline column says when the window closes.
    ///
    /// ## Policy
    /// Supported version policy.
    pub static RULE = {
        code: V002,
        name: "recommended-window",
        scope: RuleScope::Deployment,
        worst: Warn,
        parameters: ["recommendedWindowDays"],
        needs: ["deployment.version"],
        remedy: Upgrade,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(window) = ctx.policy.recommended_window_days else {
        return not_stated(ctx, "recommendedWindowDays");
    };
    behind_window(
        ctx,
        window,
        Status::Warn,
        &format!("outside the recommended {window}-day window"),
        &format!("leaves the recommended {window}-day window"),
    )
}
