use super::{
    declare_rule, no_release_as_of, not_stated, unknown_release, Check, Context, Outcome, RuleScope,
};

declare_rule! {
    /// The installed release must be among the three newest to upgrade in one step.
    ///
    /// ## What it checks
    /// How many releases are newer than the installed one. Upgrades are supported
    /// from the three most recent releases (`upgradeableReleases`), so a
    /// deployment may be at most two releases behind and still upgrade in one step.
    ///
    /// Catalog age: every release the catalog does not know adds to the count,
    /// so a pass rests on the catalog knowing them all: on a catalog older than
    /// the line's release cadence (`catalogCadenceDays`) it is `unknown`. A
    /// failure is as true with more releases.
    ///
    /// ## Why
    /// AKS hybrid maintains upgrade support for the three most recent releases
    /// only. A deployment further behind has to upgrade in several steps through
    /// interim releases, each of which must still be downloadable, and each of
    /// which may require its workload clusters to be on a Kubernetes version it
    /// supports first.
    ///
    /// ## How to fix
    /// Run `akspol plan INVENTORY` for the ordered list of release and Kubernetes
    /// upgrades, then apply them one at a time.
    ///
    /// ## Policy
    /// Supported version policy.
    pub static RULE = {
        code: V005,
        name: "upgrade-path",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["upgradeableReleases"],
        needs: ["deployment.version"],
        remedy: Upgrade,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(standing) = &ctx.standing else {
        return no_release_as_of(ctx);
    };
    let Some(upgradeable) = ctx.policy.upgradeable_releases else {
        return not_stated(ctx, "upgradeableReleases");
    };
    if standing.installed.is_none() {
        return unknown_release(ctx, standing, "releases behind");
    }
    let behind = standing.releases_behind() as i64;
    let hop = upgradeable - 1;
    let steps = if hop > 0 {
        (behind + hop - 1) / hop
    } else {
        behind
    };
    let releases = |n: i64| {
        if n == 1 {
            "1 release".to_string()
        } else {
            format!("{n} releases")
        }
    };
    // Past the availability window, V004 and `akspol plan` say redeploy:
    // so must this, or the table contradicts itself.
    let past_availability = ctx
        .policy
        .availability_days
        .filter(|&days| standing.days_behind > days);
    let outcome = if let (true, Some(availability)) =
        (behind > 0 && behind <= hop, past_availability)
    {
        Outcome::pass(format!(
            "{} behind, within the {upgradeable} most recent releases; but {} days behind (more than {availability}), so a redeploy with {} may be needed instead of an upgrade (V004, `akspol plan`)",
            releases(behind),
            standing.days_behind,
            standing.latest.version
        ))
    } else if behind <= hop {
        match behind {
            0 => Outcome::pass("on the latest release"),
            1 => Outcome::pass(format!(
                "1 release behind: one upgrade to {} is supported",
                standing.latest.version
            )),
            n => Outcome::pass(format!(
                "{n} releases behind: one upgrade to {} is supported",
                standing.latest.version
            )),
        }
    } else {
        Outcome::fail(format!(
            "{behind} releases behind: upgrades are supported from the {} most recent releases only; getting current takes {steps} upgrade steps (run `akspol plan` to list them)",
            upgradeable
        ))
    };
    // Every release newer than the catalog knows adds to the count: a pass
    // rests on the catalog knowing them all.
    outcome
        .with("installed", ctx.inventory.deployment.version)
        .with("latest", standing.latest.version)
        .with("releasesBehind", behind)
        .with("upgradeSteps", steps)
        .resting_on_latest()
}
