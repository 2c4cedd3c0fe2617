use super::{declare_rule, no_release_as_of, sections, Check, Context, Outcome, RuleScope};
use crate::base::product::Product;
use crate::base::version::{LocalVersion, ReleaseVersion};
use crate::catalog::Release;

declare_rule! {
    /// ## What it checks
    /// That the installed release (`deployment.version`) is one the catalog
    /// knows, published on or before the evaluation date: an AKS hybrid version
    /// `W.X.Y.ZZZZ`, or an Azure Local release (`2510`) or one of its builds
    /// (`12.2510.1002.94`). A release the catalog dates after the evaluation
    /// date was "not yet published" then; one newer than the catalog's latest
    /// means the catalog is stale.
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
    let product = installed.product();
    let outcome = match standing.installed {
        Some(release) if release.version.lacks_build() => Outcome::pass(format!(
            "{installed} is release {}; the catalog does not record its build number",
            release.label()
        )),
        Some(release) => match installed.local() {
            Some(local) if local.build.is_some() => build_of(ctx, release, local),
            _ => Outcome::pass(format!("{} is in the catalog", release.label())),
        },
        None => {
            let catalog = ctx.catalog.catalog;
            let later = catalog
                .line(product)
                .iter()
                .find(|r| r.version.designates(&installed) && r.released > ctx.as_of);
            if let Some(later) = later {
                Outcome::unknown(format!(
                    "{installed} was not yet published as of {}: the catalog dates it {}{}",
                    ctx.as_of,
                    if later.date_basis.is_estimate() {
                        "~"
                    } else {
                        ""
                    },
                    later.released
                ))
            } else if catalog.undated.iter().any(|r| {
                r.version.designates(
                    &installed
                        .local()
                        .map_or(installed, |l| ReleaseVersion::AzureLocal(l.release_only())),
                )
            }) {
                Outcome::unknown(format!(
                    "{installed} is known to the catalog by name only: no source gives its availability date, so no window can be measured"
                ))
            } else if installed.release_cmp(&standing.latest.version).is_gt() {
                Outcome::unknown(format!(
                    "{installed} is newer than the catalog's latest release {}: the catalog is stale; {}",
                    standing.latest.version,
                    refresh_hint(product)
                ))
            } else {
                Outcome::unknown(format!("{installed} is not a release in the catalog"))
            }
        }
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
    match release.build(installed) {
        Some(build) => match build.available {
            Some(day) if day > ctx.as_of => Outcome::unknown(format!(
                "build {installed} of release {} was not yet available as of {}: the catalog dates it {day}",
                release.version, ctx.as_of
            )),
            _ => Outcome::pass(format!(
                "{installed} is a build of release {} in the catalog",
                release.version
            )),
        },
        None => {
            let line = installed.line();
            let line_known = release.builds.is_empty()
                || release.builds.iter().any(|b| b.version.line() == line);
            if line_known {
                Outcome::pass(format!(
                    "release {} is in the catalog; its build {installed} is not among the documented ones",
                    release.version
                ))
            } else {
                Outcome::unknown(format!(
                    "the catalog knows no {}.x build of release {}: {installed} cannot be placed",
                    line.unwrap_or_default(),
                    release.version
                ))
            }
        }
    }
}
