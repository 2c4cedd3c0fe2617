use super::{
    declare_rule, no_release_as_of, sections, unknown_release, Check, Context, Outcome, RuleScope,
};

declare_rule! {
    /// ## What it checks
    /// How many releases are newer than the installed one. Upgrades are supported
    /// from the three most recent releases (`upgradeableReleases`), so a
    /// deployment may be at most two releases behind and still upgrade in one step.
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
        code: "V005",
        name: "upgrade-path",
        scope: RuleScope::Deployment,
        section: &sections::SUPPORTED_VERSION_POLICY,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(standing) = &ctx.standing else {
        return no_release_as_of(ctx);
    };
    if standing.installed.is_none() {
        return unknown_release(ctx, standing, "releases behind");
    }
    let behind = standing.releases_behind() as i64;
    let hop = ctx.policy.upgradeable_releases - 1;
    let steps = if hop > 0 {
        (behind + hop - 1) / hop
    } else {
        behind
    };
    let outcome = if behind <= hop {
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
            ctx.policy.upgradeable_releases
        ))
    };
    outcome
        .with("installed", ctx.inventory.deployment.version.to_string())
        .with("latest", standing.latest.version.to_string())
        .with("releasesBehind", behind)
        .with("upgradeSteps", steps)
}
