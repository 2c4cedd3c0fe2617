use super::{declare_rule, no_release_as_of, sections, Check, Context, Outcome, RuleScope};

declare_rule! {
    /// ## What it checks
    /// That the installed AKS hybrid version (`deployment.version`) is a release
    /// the catalog knows, as of the evaluation date.
    ///
    /// ## Why
    /// Every version rule measures the deployment against the catalog's releases.
    /// A version the catalog does not know cannot be placed in the release
    /// sequence with certainty, so the verdict is at best a guess. When the
    /// version is newer than anything in the catalog, the catalog is the problem,
    /// not the deployment. The policy expresses versions as W.X.Y.ZZZZ.
    ///
    /// ## How to fix
    /// Check the version with `Get-AksHciVersion`. If it is newer than the
    /// catalog's latest release, refresh the catalog with `akspol catalog update`
    /// (or pass `--catalog FILE`). If it is a typo, correct the inventory.
    ///
    /// ## Policy
    /// Supported version policy.
    pub static RULE = {
        code: "V001",
        name: "release-known",
        scope: RuleScope::Deployment,
        section: &sections::SUPPORTED_VERSION_POLICY,
        worst: Unknown,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let installed = ctx.inventory.deployment.version;
    let Some(standing) = &ctx.standing else {
        return no_release_as_of(ctx);
    };
    let outcome = match standing.installed {
        Some(release) if release.version.build.is_none() => Outcome::pass(format!(
            "{installed} is release {}; the catalog does not record its build number",
            release.label()
        )),
        Some(release) => Outcome::pass(format!("{} is in the catalog", release.label())),
        None if installed.release_cmp(&standing.latest.version).is_gt() => Outcome::unknown(format!(
            "{installed} is newer than the catalog's latest release {}: the catalog is stale; run `akspol catalog update`",
            standing.latest.version
        )),
        None => match ctx.catalog.catalog.releases.iter().find(|r| r.version.designates(&installed)) {
            Some(later) => Outcome::unknown(format!(
                "{installed} was not released yet on {}: the catalog dates it {}",
                ctx.as_of, later.released
            )),
            None => Outcome::unknown(format!("{installed} is not a release in the catalog")),
        },
    };
    outcome
        .with("installed", installed.to_string())
        .with("inCatalog", standing.installed.is_some())
        .with("latest", standing.latest.version.to_string())
}
