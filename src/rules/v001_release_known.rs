use super::{declare_rule, no_release_as_of, unplaced, Check, Context, Outcome, RuleScope};
use crate::base::product::Product;
use crate::base::version::LocalVersion;
use crate::catalog::Release;

declare_rule! {
    /// The installed release must be one the catalog knows, published by the as-of date.
    ///
    /// ## What it checks
    /// That the installed release (`deployment.version`) is one the catalog
    /// knows, published on or before the evaluation date: an AKS hybrid version
    /// `W.X.Y.ZZZZ`, or an Azure Local release (`2510`) or one of its builds
    /// (`12.2510.1002.94`). A release the catalog dates after the evaluation
    /// date was "not yet published" then; one newer than the catalog's latest
    /// means the catalog is stale.
    ///
    /// An Azure Local release no source dates to the day (known by its `YYMM`
    /// name only) is known, dated by its month; V001's sentence about a
    /// release it cannot place is the one V002-V006, V009 and V010 repeat.
    ///
    /// Catalog age: V001 asks only whether the catalog knows the installed
    /// release, so its verdict stands whatever the catalog's age.
    ///
    /// ## Why
    /// Every version rule measures the deployment against the catalog's releases.
    /// A version the catalog does not know cannot be placed in the release
    /// sequence with certainty, so the verdict is at best a guess. When the
    /// version is newer than anything in the catalog, the catalog is the problem,
    /// not the deployment. The 2022 policy expresses versions as W.X.Y.ZZZZ; AKS
    /// Arc on Azure Local follows the Azure Local release it ships with.
    ///
    /// ## How to fix
    /// Check the version with `Get-AksHciVersion` (AKS hybrid) or the Azure
    /// Local solution version (`az stack-hci-vm` / the portal's Updates page).
    /// If it is newer than the catalog's latest release, refresh the catalog
    /// with `akspol catalog update` (AKS hybrid) or pass `--catalog FILE`. If
    /// it is a typo, correct the inventory.
    ///
    /// ## Policy
    /// Supported version policy.
    pub static RULE = {
        code: V001,
        name: "release-known",
        scope: RuleScope::Deployment,
        worst: Unknown,
        needs: ["deployment.version"],
        remedy: Verify,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let installed = ctx.inventory.deployment.version;
    let Some(standing) = &ctx.standing else {
        return no_release_as_of(ctx);
    };
    let outcome = match standing.installed {
        Some(release) if release.version.lacks_build() => Outcome::pass(format!(
            "{installed} is release {}; the catalog does not record its build number",
            release.label()
        )),
        Some(release) => match installed.local() {
            Some(local) if local.build.is_some() => build_of(ctx, release, local),
            _ if release.undated() => {
                Outcome::pass(format!("{installed} is {}", release.described()))
            }
            _ => Outcome::pass(format!("{} is in the catalog", release.label())),
        },
        None => Outcome::unknown(unplaced(ctx, standing, None)),
    };
    outcome
        .with("installed", installed)
        .with("inCatalog", standing.installed.is_some())
        .with("latest", standing.latest.version)
}

/// How to get a newer catalog for a line.
pub(crate) fn refresh_hint(product: Product) -> &'static str {
    match product {
        Product::AksHybrid => "run `akspol catalog update`",
        Product::AksArc => "run `akspol catalog update` (it adds the releases Azure Local's update manifest lists, by name) or pass a newer catalog with `--catalog FILE`",
    }
}

/// An Azure Local build of a release the catalog knows.
fn build_of(ctx: &Context, release: &Release, installed: &LocalVersion) -> Outcome {
    let of = release.described();
    match release.build(installed) {
        Some(build) => match build.available {
            Some(day) if day > ctx.as_of => Outcome::unknown(format!(
                "build {installed} of {of} was not yet available as of {}: the catalog dates it {day}",
                ctx.as_of
            )),
            _ if build.version != *installed => Outcome::pass(format!(
                "{installed} is build {} of {of}, under another number a source gave it",
                build.version
            )),
            _ => Outcome::pass(format!("{installed} is a build of {of} in the catalog")),
        },
        None => {
            let line = installed.line();
            let line_known = release.builds.is_empty()
                || release.builds.iter().any(|b| b.version.line() == line);
            if line_known {
                Outcome::pass(format!(
                    "{of} is in the catalog; its build {installed} is not among the documented ones"
                ))
            } else {
                Outcome::unknown(format!(
                    "the catalog knows no {}.x build of {of}: {installed} cannot be placed",
                    line.unwrap_or_default(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one};
    use super::*;

    #[test]
    fn a_build_under_another_number_is_the_build_it_names() {
        // The first revisions of 2602's notes called its build 12.2602.1007.7.
        let outcome = one(
            &RULE,
            &arc_inventory("12.2602.1007.7", "", "[]"),
            "2026-03-01",
        );
        assert_eq!(outcome.status.as_str(), "pass", "{}", outcome.message);
        assert!(
            outcome
                .message
                .contains("is build 12.2602.1002.7 of release 2602"),
            "{}",
            outcome.message
        );
        // A build only third parties give is still a build of its release.
        let third = one(
            &RULE,
            &arc_inventory("12.2607.1003.73", "", "[]"),
            "2026-12-07",
        );
        assert_eq!(third.status.as_str(), "pass", "{}", third.message);
    }
}
