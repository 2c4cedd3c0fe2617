//! What Azure's update list of an Azure Local instance says, as the rules
//! read it (`deployment.azure.updates`, `updateSummary`): which states mean
//! an update can be taken, which releases the list attests, and whether
//! Azure's update state is too old to trust.
//!
//! The list is a fact even when the catalog is stale: a `12.2611.x` update
//! listed for the instance means release 2611 exists. [`attested_releases`]
//! makes those releases the catalog lacks, and
//! [`CatalogView::with_attested`] puts them beside the catalog's for that
//! inventory, so the release rules (V001, V006, V009, V010) and the plan
//! read the line as far as Azure knows it.

use super::Context;
use crate::base::dates::{days_between, Day};
use crate::base::version::{LocalVersion, ReleaseVersion};
use crate::catalog::{Build, CatalogView, DateBasis, Release};
use crate::inventory::{Inventory, Update};

/// What an update's `state` (an open list) says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateState {
    /// Offered to the instance and not installed: ready, or on its way in
    /// (downloading, preparing, health checks, installing), or waiting on
    /// something it names (a prerequisite, content, the OEM), or failed in
    /// one of those steps and still to be taken.
    Available,
    Installed,
    /// Superseded by a newer update (`Obsolete`): it existed, it is not
    /// to be taken.
    Superseded,
    /// Recalled, or invalid for this instance: not a release to take.
    Withdrawn,
    /// A state akspol does not know (Azure adds states), or none.
    Unknown,
}

/// The states of an update offered to the instance: the eight the AzureLocal
/// LENS workbook counts as available, and the others of an update not yet
/// installed (`data/sources/inputs-azure.md` §1.3).
const AVAILABLE: &[&str] = &[
    "Ready",
    "ReadyToInstall",
    "HasPrerequisite",
    "AdditionalContentRequired",
    "Downloading",
    "Preparing",
    "HealthChecking",
    "HealthCheckFailed",
    "HealthCheckExpired",
    "DownloadFailed",
    "PreparationFailed",
    "Installing",
    "InstallationFailed",
    "PendingOEMValidation",
    "ScanInProgress",
    "ScanFailed",
    "NotApplicableBecauseAnotherUpdateIsInProgress",
];

impl UpdateState {
    pub fn of(update: &Update) -> Self {
        let Some(state) = update.state.as_deref() else {
            return UpdateState::Unknown;
        };
        let is = |name: &str| state.eq_ignore_ascii_case(name);
        if AVAILABLE.iter().any(|s| is(s)) {
            UpdateState::Available
        } else if is("Installed") {
            UpdateState::Installed
        } else if is("Obsolete") {
            UpdateState::Superseded
        } else if is("Recalled") || is("Invalid") {
            UpdateState::Withdrawn
        } else {
            UpdateState::Unknown
        }
    }

    /// Whether the update shows that its release exists (anything but a
    /// withdrawn update or an unknown state).
    pub fn attests(self) -> bool {
        matches!(
            self,
            UpdateState::Available | UpdateState::Installed | UpdateState::Superseded
        )
    }
}

/// The Azure Local solution build an update installs: its `version`, else
/// its name (`Solution12.2607.1003.73`). `None` for other packages (an
/// OEM's SBE, `4.2.2604.1`) and release names without a build.
pub fn solution_build(update: &Update) -> Option<LocalVersion> {
    let parse = |text: &str| LocalVersion::parse(text).ok().filter(|v| v.build.is_some());
    update.version.as_deref().and_then(parse).or_else(|| {
        let name = update.name.trim();
        name.get(..8)
            .filter(|p| p.eq_ignore_ascii_case("solution"))
            .and_then(|_| name.get(8..))
            .and_then(parse)
    })
}

/// The Azure Local releases the inventory's update list attests that the
/// catalog does not know (not even as a later release), one per release
/// with the builds listed: each dated by the month of its name, and not
/// after the first day in or after that month Azure shows it existed (the
/// day it stored the update for the instance, the day it was installed, or
/// the evaluation date).
pub fn attested_releases(inventory: &Inventory, view: &CatalogView) -> Vec<Release> {
    let Some(updates) = inventory
        .deployment
        .azure
        .as_ref()
        .and_then(|a| a.updates.as_ref())
    else {
        return Vec::new();
    };
    let known = view.catalog.line(crate::base::product::Product::AksArc);
    let mut out: Vec<Release> = Vec::new();
    for update in updates {
        if !UpdateState::of(update).attests() {
            continue;
        }
        let Some(build) = solution_build(update) else {
            continue;
        };
        let release = build.release_only();
        if known.iter().any(|r| {
            r.version
                .local()
                .is_some_and(|l| l.release == build.release)
        }) {
            continue;
        }
        let Some(month) = release.month() else {
            continue;
        };
        // A day before the month of its name (an early ring?) would put the
        // release out of the line's order: the month alone dates it then.
        let seen = [update.created, update.installed, Some(view.as_of)]
            .into_iter()
            .flatten()
            .filter(|day| *day >= month.earliest)
            .min();
        let listed = Build {
            version: build,
            os_build: None,
            available: None,
            supersedes: None,
            alias_of: None,
            confidence: None,
            note: update.display_name.clone(),
            source: Some("deployment.azure.updates".to_string()),
        };
        match out.iter_mut().find(|r| {
            r.version
                .local()
                .is_some_and(|l| l.release == build.release)
        }) {
            Some(existing) => {
                if let Some(seen) = seen {
                    existing.released = existing.released.not_after(seen);
                }
                if !existing.builds.iter().any(|b| b.version == build) {
                    existing.builds.push(listed);
                }
            }
            None => out.push(Release {
                version: ReleaseVersion::AzureLocal(release),
                name: Some(format!("Azure Local {release}")),
                tag: None,
                released: seen.map_or(month, |seen| month.not_after(seen)),
                date_basis: DateBasis::Month,
                confidence: None,
                kubernetes_versions: None,
                kubernetes_versions_seen: None,
                builds: vec![listed],
                aks_arc: None,
                notes: Vec::new(),
                source: Some(
                    "Azure's update list for this instance (deployment.azure.updates)".to_string(),
                ),
                attested: true,
            }),
        }
    }
    // Dated by its month, unless Azure's days narrow it.
    for release in &mut out {
        if !release.released.is_month() {
            release.date_basis = DateBasis::Window;
        }
    }
    out
}

/// When Azure last checked the instance's updates and how many days before
/// the evaluation date, if that is more than the edition's `updateCheckDays`:
/// the update state and the updates' states are then not trusted
/// (`inputs-azure.md` §5: they stay as the update service last left them).
pub fn stale_update_check(ctx: &Context) -> Option<(Day, i64)> {
    let limit = ctx.policy.update_check_days?;
    let checked = ctx
        .inventory
        .deployment
        .azure
        .as_ref()?
        .update_summary
        .as_ref()?
        .last_checked?;
    let days = days_between(checked, ctx.as_of);
    (days > limit).then_some((checked, days))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one, one_with_policy, with_context};
    use super::super::{registry, Rule};
    use super::*;

    fn rule(code: &str) -> &'static Rule {
        registry::find(code).unwrap()
    }

    /// Release 2611, which the embedded catalog (latest 2610) does not know.
    fn listing(state: &str, day_key: &str) -> String {
        format!(
            r#""azure": {{"updates": [{{"name": "Solution12.2611.1003.4", "displayName": "2026.11 Cumulative Update", "version": "12.2611.1003.4", "state": "{state}", "{day_key}": "2026-11-20T08:00:00Z"}}]}}"#
        )
    }

    #[test]
    fn a_release_azure_lists_is_one_the_catalog_did_not_know() {
        let text = arc_inventory("2605", &listing("Ready", "createdAt"), "[]");
        let releases = with_context(&text, "2026-12-07", |ctx| {
            attested_releases(ctx.inventory, ctx.catalog)
        });
        assert_eq!(releases.len(), 1);
        let release = &releases[0];
        assert_eq!(release.version.to_string(), "2611");
        // Its month, up to the day Azure first stored the update.
        assert_eq!(release.released.earliest.to_string(), "2026-11-01");
        assert_eq!(release.released.latest.to_string(), "2026-11-20");
        assert!(release.attested);
        // A day before the month of its name leaves it dated by the month,
        // in the line's order.
        let early = listing("Ready", "createdAt").replace("2026-11-20", "2026-10-20");
        let text = arc_inventory("2605", &early, "[]");
        let releases = with_context(&text, "2026-12-07", |ctx| {
            attested_releases(ctx.inventory, ctx.catalog)
        });
        assert!(
            releases[0].released.is_month(),
            "{:?}",
            releases[0].released
        );
        // A release the catalog knows, or a withdrawn update, adds nothing.
        for azure in [
            r#""azure": {"updates": [{"name": "Solution12.2607.1003.73", "state": "Ready"}]}"#
                .to_string(),
            listing("Recalled", "createdAt"),
            listing("SomethingNew", "createdAt"),
        ] {
            let text = arc_inventory("2605", &azure, "[]");
            assert!(with_context(&text, "2026-12-07", |ctx| {
                attested_releases(ctx.inventory, ctx.catalog)
            })
            .is_empty());
        }
    }

    /// Issue 26, item 2: what Azure lists is a fact even when the catalog is
    /// stale, and the release rules use it.
    #[test]
    fn the_release_rules_read_the_line_as_far_as_azure_knows_it() {
        // V001: an installed 2611 the catalog does not know is unknown...
        let alone = one(
            rule("V001"),
            &arc_inventory("12.2611.1003.4", "", "[]"),
            "2026-12-07",
        );
        assert_eq!(alone.status.as_str(), "unknown");
        // ... and known when Azure lists it as installed.
        let installed = arc_inventory(
            "12.2611.1003.4",
            &listing("Installed", "installedDate"),
            "[]",
        );
        let known = one(rule("V001"), &installed, "2026-12-07");
        assert_eq!(known.status.as_str(), "pass", "{}", known.message);
        assert!(
            known
                .message
                .contains("release 2611 (not in the catalog: Azure lists it for this instance; dated by the month of its name)"),
            "{}",
            known.message
        );
        // V009 counts its six months from its month (the earliest it ends).
        let window = one(rule("V009"), &installed, "2026-12-07");
        assert_eq!(window.status.as_str(), "pass", "{}", window.message);
        assert_eq!(window.deadline.unwrap().date.to_string(), "2027-05-02");

        // The six newest releases: 2606-2610 from the catalog and 2611 from
        // Azure put 2605 out; without Azure, a stale catalog cannot say.
        let newest = r#"{"releaseSupportReading": "newest-releases"}"#;
        let with = one_with_policy(
            rule("V009"),
            &arc_inventory("2605", &listing("Ready", "createdAt"), "[]"),
            "2026-12-07",
            newest,
            None,
        );
        assert_eq!(with.status.as_str(), "fail", "{}", with.message);
        assert!(with.message.contains("2611"), "{}", with.message);
        let without = one_with_policy(
            rule("V009"),
            &arc_inventory("2605", "", "[]"),
            "2026-12-07",
            newest,
            None,
        );
        assert_eq!(without.status.as_str(), "unknown", "{}", without.message);
    }

    #[test]
    fn the_line_s_facts_reach_the_newest_release_azure_lists() {
        let text = arc_inventory("2605", &listing("Ready", "createdAt"), "[]");
        with_context(&text, "2026-12-07", |ctx| {
            let age = ctx.catalog_age.as_ref().unwrap();
            assert_eq!(age.known_through.earliest.to_string(), "2026-11-01");
            assert_eq!(age.age_days, 36);
            assert!(!age.stale());
            assert!(age
                .fact
                .as_deref()
                .unwrap()
                .starts_with("Azure Local 2611, which Azure lists"));
        });
        // Without it, the catalog's 2610 is more than 45 days old.
        with_context(&arc_inventory("2605", "", "[]"), "2026-12-07", |ctx| {
            assert!(ctx.catalog_age.as_ref().unwrap().stale());
        });
    }
}
