use super::{behind_window, declare_rule, not_stated, Check, Context, Outcome, RuleScope, Status};

declare_rule! {
    /// The deployment must not fall more than 60 days behind the latest release.
    ///
    /// ## What it checks
    /// That the deployment is not more than 60 days (`supportWindowDays`) behind
    /// the latest release, counting from the release date of the oldest release
    /// newer than the installed one.
    ///
    /// Catalog age: when the catalog knows a release newer than the installed
    /// one, the days behind count from the first of them, and a release the
    /// catalog does not know would come later still: the verdict is given
    /// whatever the catalog's age. On the catalog's latest release, a pass
    /// rests on "no newer release", so on a catalog older than the line's
    /// release cadence (`catalogCadenceDays`) it is `unknown`.
    ///
    /// ## Why
    /// The policy keeps a deployment in a supported state only while it does not
    /// fall more than 60 days behind the latest update. Beyond that, support can
    /// ask for an upgrade before helping, and internal certificates and tokens
    /// approach expiry.
    ///
    /// ## How to fix
    /// Upgrade now with `Update-AksHci`; if the deployment is several releases
    /// behind, `akspol plan` lists the steps in order.
    ///
    /// ## Policy
    /// Supported version policy.
    pub static RULE = {
        code: V003,
        name: "support-window",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["supportWindowDays"],
        needs: ["deployment.version"],
        remedy: Upgrade,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(window) = ctx.policy.support_window_days else {
        return not_stated(ctx, "supportWindowDays");
    };
    behind_window(
        ctx,
        window,
        Status::Fail,
        &format!("more than {window} days behind: out of support"),
        &format!("more than {window} days behind: out of support"),
    )
}
