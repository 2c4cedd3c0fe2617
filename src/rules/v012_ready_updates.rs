use super::azure::{solution_build, stale_update_check, UpdateState};
use super::{declare_rule, Check, Context, Evidence, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::base::version::LocalVersion;
use crate::inventory::Update;

declare_rule! {
    /// Names the newer Azure Local releases that Azure lists as ready for the instance.
    ///
    /// ## What it checks
    /// The newer Azure Local releases Azure lists for the instance: the
    /// updates of `deployment.azure.updates` whose solution build is of a
    /// release newer than the installed one and whose `state` says it can be
    /// taken (`Ready`, `ReadyToInstall`, and the states of an update on its
    /// way in or waiting on a step it names: `HasPrerequisite`,
    /// `AdditionalContentRequired`, `Downloading`, `Preparing`,
    /// `HealthChecking`, `HealthCheckFailed`, ...; `Installed`, `Obsolete`,
    /// `Recalled` and `Invalid` are not). Each is named with its build, its
    /// name and its state: `info`. None: it passes. Other packages (an
    /// OEM's SBE) and states akspol does not know are said, not counted.
    /// When Azure's update state is older than `updateCheckDays` (V013) the
    /// finding says the states may be stale. Without the update list it
    /// skips.
    ///
    /// What Azure lists is a fact even when the catalog is stale: an update
    /// `12.2611.x` listed for the instance (in any of those states,
    /// `Installed` and `Obsolete` too) means release 2611 exists. A release
    /// the catalog does not know joins the catalog's for this inventory,
    /// dated by the month of its name and not after the first day Azure
    /// shows it (`createdAt`, `installedDate`): V001 knows it, V009 counts
    /// its six months and its readings count it among the newer releases,
    /// V006 and V010 say that no source gives its Kubernetes versions, the
    /// plan can take it, and the line's facts reach its month, so the
    /// catalog's age is counted from there.
    ///
    /// ## Why
    /// Each Azure Local release is supported for six months, and updates
    /// must be installed within six months. The updates Azure lists as ready
    /// for an instance are the releases it can move to now; they are known
    /// for this instance even before akspol's catalog knows them.
    ///
    /// ## How to fix
    /// Install the newest update (Azure Update Manager, or
    /// `Start-SolutionUpdate` on the instance), then upgrade the AKS Arc
    /// clusters to a Kubernetes version the new release offers. `akspol plan`
    /// lists the steps.
    ///
    /// ## Policy
    /// Supported version policy (AKS on Azure Local, with the Azure Local
    /// release information it links to).
    pub static RULE = {
        code: V012,
        name: "ready-updates",
        scope: RuleScope::Deployment,
        worst: Info,
        needs: ["deployment.version", "deployment.azure.updates"],
        remedy: Upgrade,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(installed) = ctx.inventory.deployment.version.local().copied() else {
        return Outcome::skip("not an Azure Local deployment: Azure lists no updates for it");
    };
    let Some(updates) = ctx
        .inventory
        .deployment
        .azure
        .as_ref()
        .and_then(|a| a.updates.as_ref())
    else {
        return Outcome::not_in_inventory("deployment.azure.updates");
    };
    let mut newer: Vec<(&Update, LocalVersion)> = Vec::new();
    let mut besides: Vec<&Update> = Vec::new();
    let mut unknown: Vec<&Update> = Vec::new();
    for update in updates {
        match (UpdateState::of(update), solution_build(update)) {
            (UpdateState::Available, Some(build)) if build.release > installed.release => {
                newer.push((update, build));
            }
            (UpdateState::Available, _) => besides.push(update),
            (UpdateState::Unknown, _) => unknown.push(update),
            _ => {}
        }
    }
    newer.sort_by_key(|(_, build)| (build.release, build.build));
    let mut outcome = if newer.is_empty() {
        Outcome::pass(format!(
            "Azure lists no update of a release newer than {} for the instance ({} listed)",
            installed.release,
            updates.len()
        ))
    } else {
        let named: Vec<String> = newer.iter().map(|(u, b)| described(u, *b)).collect();
        let releases = {
            let mut r: Vec<u32> = newer.iter().map(|(_, b)| b.release).collect();
            r.dedup();
            r.len()
        };
        Outcome::info(format!(
            "Azure lists {} than the installed {installed} for the instance: {}",
            if releases == 1 {
                "a newer release".to_string()
            } else {
                format!("{releases} newer releases")
            },
            named.join("; ")
        ))
    };
    if !besides.is_empty() {
        outcome.message.push_str(&format!(
            "; also available, not a newer release: {}",
            listed(&besides)
        ));
    }
    if !unknown.is_empty() {
        outcome.message.push_str(&format!(
            "; in a state akspol does not read: {}",
            listed(&unknown)
        ));
    }
    if let Some((checked, days)) = stale_update_check(ctx) {
        outcome.message.push_str(&format!(
            "; as Azure last checked on {checked}, {days} days ago: these states may be stale (V013)"
        ));
        outcome = outcome.with("lastChecked", checked);
    }
    outcome
        .with("installed", ctx.inventory.deployment.version)
        .with(
            "newer",
            newer
                .iter()
                .map(|(u, b)| {
                    Evidence::new()
                        .with("build", b.to_string())
                        .with("release", b.release)
                        .with("displayName", u.display_name.clone())
                        .with("state", u.state.clone())
                })
                .collect::<Vec<_>>(),
        )
        .with("updatesListed", updates.len())
}

/// `2607 (12.2607.1003.73, 2026.07 Cumulative Update: Ready)`.
fn described(update: &Update, build: LocalVersion) -> String {
    let name = update
        .display_name
        .as_deref()
        .map(|n| format!(", {}", clean(n)))
        .unwrap_or_default();
    format!(
        "{} ({build}{name}: {})",
        build.release,
        clean(update.state.as_deref().unwrap_or("no state"))
    )
}

/// `Sbe4.2.2607.1 (Ready), x (Pending)`: updates by name and state.
fn listed(updates: &[&Update]) -> String {
    updates
        .iter()
        .map(|u| {
            format!(
                "{} ({})",
                clean(&u.name),
                clean(u.state.as_deref().unwrap_or("no state"))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one, status_and_deadline};
    use super::*;

    /// site-b of the Resource Graph examples: 2604 installed, 2607 ready.
    const SITE_B: &str = r#""azure": {"updateSummary": {"state": "UpdateAvailable", "lastChecked": "2026-07-30T05:58:00Z"}, "updates": [
        {"name": "Solution12.2604.1003.1006", "version": "12.2604.1003.1006", "state": "Installed", "installedDate": "2026-05-20T03:02:10Z"},
        {"name": "Solution12.2607.1003.73", "displayName": "2026.07 Cumulative Update", "version": "12.2607.1003.73", "state": "Ready", "createdAt": "2026-07-19T02:02:02Z"}]}"#;

    #[test]
    fn a_ready_update_of_a_newer_release_is_named() {
        let out = one(
            &RULE,
            &arc_inventory("12.2604.1003.1006", SITE_B, "[]"),
            "2026-08-01",
        );
        assert_eq!(status_and_deadline(&out), ("info", None));
        assert_eq!(
            out.message,
            "Azure lists a newer release than the installed 12.2604.1003.1006 for the instance: 2607 (12.2607.1003.73, 2026.07 Cumulative Update: Ready)"
        );
        assert_eq!(out.evidence.to_value()["newer"][0]["release"], 2607);
        // Its state is months old on 2026-12-07: said, not hidden.
        let late = one(
            &RULE,
            &arc_inventory("12.2604.1003.1006", SITE_B, "[]"),
            "2026-12-07",
        );
        assert!(
            late.message.ends_with(
                "; as Azure last checked on 2026-07-30, 130 days ago: these states may be stale (V013)"
            ),
            "{}",
            late.message
        );
    }

    #[test]
    fn installed_withdrawn_and_other_packages_are_not_newer_releases() {
        let azure = r#""azure": {"updates": [
            {"name": "Solution12.2607.1003.73", "version": "12.2607.1003.73", "state": "Installed"},
            {"name": "Solution12.2608.1003.8", "version": "12.2608.1003.8", "state": "Recalled"},
            {"name": "SBE4.2.2607.1", "version": "4.2.2607.1", "state": "Ready"},
            {"name": "Solution12.2609.1.1", "state": "SomethingNew"}]}"#;
        let out = one(
            &RULE,
            &arc_inventory("12.2607.1003.73", azure, "[]"),
            "2026-08-01",
        );
        assert_eq!(out.status.as_str(), "pass", "{}", out.message);
        assert_eq!(
            out.message,
            "Azure lists no update of a release newer than 2607 for the instance (4 listed); also available, not a newer release: SBE4.2.2607.1 (Ready); in a state akspol does not read: Solution12.2609.1.1 (SomethingNew)"
        );
        let none = one(&RULE, &arc_inventory("2607", "", "[]"), "2026-08-01");
        assert_eq!(none.missing_data(), Some("deployment.azure.updates"));
    }

    #[test]
    fn a_build_named_only_in_the_update_s_name_counts() {
        let azure = r#""azure": {"updates": [{"name": "Solution12.2608.1003.8", "state": "HasPrerequisite"}]}"#;
        let out = one(&RULE, &arc_inventory("2607", azure, "[]"), "2026-09-01");
        assert_eq!(out.status.as_str(), "info");
        assert!(
            out.message
                .ends_with(": 2608 (12.2608.1003.8: HasPrerequisite)"),
            "{}",
            out.message
        );
    }
}
