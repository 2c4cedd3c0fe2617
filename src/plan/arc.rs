//! The upgrade path of AKS Arc on Azure Local: through Azure Local releases,
//! then the Kubernetes minors the target release offers.
//!
//! AKS Arc is updated with the platform: an Azure Local update brings the
//! AKS Arc components of that release, and afterwards only that release's
//! Kubernetes versions are available for cluster upgrades (existing clusters
//! keep running). Azure Local applies its updates in order (the last
//! cumulative update before a feature update); a 23H2 system (10.x and 11.x
//! builds) moves to 24H2 from 11.2510, the final 23H2 release, to 12.2510,
//! which must be applied before 2511. Clusters then upgrade one minor at a
//! time to a version the release offers, except that a cluster on a minor the
//! release no longer offers may move straight into support (the Kubernetes
//! version page: skipping is allowed from an unsupported version back into
//! a supported one). A deleted subscription means redeploying Azure Local and
//! AKS Arc.

use crate::base::version::{KubeVersion, ReleaseVersion};
use crate::catalog::{Release, Standing};
use crate::inventory::Cluster;
use crate::inventory::SubscriptionState;
use crate::rules::{Context, RuleCode};

use super::path::{join, kubernetes_chain, plural, starts, supports, tracks, PathPlan, Track};
use super::{Note, NoteKind, Step, StepKind};

/// The final 23H2 release: 23H2 systems move to 24H2 from it.
const FINAL_23H2: u32 = 2510;

pub fn upgrade_path(ctx: &Context) -> PathPlan {
    let (mut plan, standing) = match super::path::start(ctx) {
        Ok(started) => started,
        Err(plan) => return plan,
    };
    if redeploy_after_deleted_subscription(ctx, standing.latest, &mut plan) {
        return plan;
    }
    let clusters = ctx.inventory.clusters();
    let mut tracks = tracks(clusters);
    let mut steps = starts(ctx, &mut tracks, &mut plan);
    let starts_len = steps.len();
    release_steps(ctx, standing, &mut steps);
    cluster_steps(clusters, &tracks, standing.latest, &mut steps, &mut plan);
    // Starting a stopped cluster is a step only when something follows.
    if steps.len() > starts_len {
        plan.steps = steps;
    }
    plan
}

/// A deleted subscription, where the edition states S006: the plan is a
/// redeployment, and no update path. Whether it is.
fn redeploy_after_deleted_subscription(
    ctx: &Context,
    latest: &Release,
    plan: &mut PathPlan,
) -> bool {
    let Some(subscription) = ctx.inventory.deployment.subscription.as_ref().filter(|s| {
        s.state == SubscriptionState::Deleted && ctx.edition.states(RuleCode::S006.as_str())
    }) else {
        return false;
    };
    let must = ctx
        .edition
        .rule(RuleCode::S006.as_str())
        .and_then(|r| r.says.as_deref())
        .unwrap_or("the deployment must be redeployed");
    plan.steps.push(Step {
        kind: StepKind::Redeploy,
        cluster: None,
        from: ctx.inventory.deployment.version.to_string(),
        to: latest.version.to_string(),
        reason: format!(
            "the subscription was deleted{}: its connection to Azure cannot be recovered; {must}, with the latest release",
            subscription.since.map(|d| format!(" on {d}")).unwrap_or_default()
        ),
    });
    plan.blockers.push(Note {
        kind: NoteKind::SubscriptionDeleted,
        cluster: None,
        release: None,
        message: format!("a deleted subscription cannot be reinstated: no update path; {must}"),
    });
    true
}

/// Azure Local releases first: a 23H2 system through the final 23H2 release
/// and the move to 24H2, then in order up to the latest release.
fn release_steps(ctx: &Context, standing: &Standing, steps: &mut Vec<Step>) {
    let installed = ctx.inventory.deployment.version;
    let latest = standing.latest;
    let local = installed.local().copied();
    let on_23h2 = local.and_then(|l| l.line()).is_some_and(|line| line < 12)
        || ctx
            .inventory
            .deployment
            .platform
            .as_ref()
            .is_some_and(|p| p.version.eq_ignore_ascii_case("23H2"));
    let latest_release = latest.version.local().map_or(0, |l| l.release);
    let mut current = installed.to_string();
    if on_23h2 && latest_release > FINAL_23H2 {
        if local.is_some_and(|l| l.release < FINAL_23H2) {
            steps.push(Step {
                kind: StepKind::ReleaseUpgrade,
                cluster: None,
                from: current.clone(),
                to: "11.2510".into(),
                reason: "2510 is the final 23H2 release (11.x builds): install the Azure Local updates up to it, each feature update after the last cumulative update before it".into(),
            });
        }
        steps.push(Step {
            kind: StepKind::OsUpgrade,
            cluster: None,
            from: "11.2510".into(),
            to: "12.2510".into(),
            reason: "Azure Local 23H2 (OS 25398) ends in April 2026: move 11.2510 to 12.2510 (24H2, OS 26100), which must be applied before 2511".into(),
        });
        current = "12.2510".into();
    }
    if installed.release_cmp(&latest.version).is_lt() {
        steps.push(Step {
            kind: StepKind::ReleaseUpgrade,
            cluster: None,
            from: current,
            to: latest.version.to_string(),
            reason: format!(
                "{installed} is {} behind {}: Azure Local applies its updates in order up to the latest release, which brings AKS Arc's components and Kubernetes versions",
                plural(standing.releases_behind(), "release", "releases"),
                latest.version
            ),
        });
    }
}

/// Then each workload cluster, against the latest release's versions.
fn cluster_steps(
    clusters: &[Cluster],
    tracks: &[Track],
    latest: &Release,
    steps: &mut Vec<Step>,
    plan: &mut PathPlan,
) {
    let Some(list) = &latest.kubernetes_versions else {
        if tracks.iter().any(|t| matches!(t, Track::Known(_))) {
            plan.uncertainties.push(gap(latest));
        }
        return;
    };
    for (i, track) in tracks.iter().enumerate() {
        let (Track::Known(version), Some(cluster)) = (track, clusters.get(i)) else {
            continue;
        };
        match kubernetes_steps(version, list) {
            Ok(chain) => {
                let mut from = version.clone();
                for next in chain {
                    steps.push(Step {
                        kind: StepKind::KubernetesUpgrade,
                        cluster: Some(cluster.name.clone()),
                        from: from.to_string(),
                        to: next.to_string(),
                        reason: reason(&from, &next, &latest.version),
                    });
                    from = next;
                }
            }
            Err(why) => plan.blockers.push(Note {
                kind: NoteKind::KubernetesUnreachable,
                cluster: Some(cluster.name.clone()),
                release: Some(latest.version.to_string()),
                message: format!(
                    "cluster {} runs Kubernetes {version}, {why} (release {} offers {})",
                    cluster.name,
                    latest.version,
                    join(list)
                ),
            }),
        }
    }
}

/// The catalog lacks the release's list.
fn gap(release: &Release) -> Note {
    Note {
        kind: NoteKind::CatalogGap,
        cluster: None,
        release: Some(release.version.to_string()),
        message: format!(
            "the catalog does not list the Kubernetes versions of release {}: akspol cannot tell which versions the clusters must reach; check the release notes",
            release.version
        ),
    }
}

/// The Kubernetes versions a cluster passes through to one the release offers:
/// none when it already runs one; from a minor older than the release offers,
/// straight to its oldest (into support); else one minor at a time.
fn kubernetes_steps(
    version: &KubeVersion,
    list: &[KubeVersion],
) -> Result<Vec<KubeVersion>, String> {
    if supports(list, version) {
        return Ok(Vec::new());
    }
    let key = |v: &KubeVersion| (v.major(), v.minor(), v.0.patch);
    let oldest = list
        .iter()
        .filter(|v| v.major() == version.major())
        .map(KubeVersion::minor)
        .min()
        .ok_or_else(|| "which is not a major version the release offers".to_string())?;
    if version.minor() < oldest {
        let entry = list
            .iter()
            .filter(|v| v.major() == version.major() && v.minor() == oldest)
            .max_by_key(|v| key(v))
            .cloned()
            .ok_or_else(|| "and the release offers no version to upgrade to".to_string())?;
        return Ok(vec![entry]);
    }
    kubernetes_chain(version, list, list).ok_or_else(|| {
        "and no upgrade of one minor version at a time reaches one the release offers (downgrades are not supported)".to_string()
    })
}

fn reason(from: &KubeVersion, to: &KubeVersion, release: &ReleaseVersion) -> String {
    if from.minor() + 1 < to.minor() {
        format!(
            "{} is no longer offered by release {release}: from an unsupported minor a cluster may upgrade straight into support, to {to}",
            from.minor_line()
        )
    } else if from.minor() == to.minor() {
        format!("release {release} offers {to}, not {from} (at most two patches per minor)")
    } else {
        format!("minor versions cannot be skipped: {to} is the next minor release {release} offers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> KubeVersion {
        KubeVersion::parse(s).unwrap()
    }

    fn steps(from: &str, list: &[&str]) -> Result<Vec<String>, String> {
        let list: Vec<KubeVersion> = list.iter().map(|s| v(s)).collect();
        kubernetes_steps(&v(from), &list).map(|c| c.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn from_an_unsupported_minor_straight_into_support() {
        let l2603 = ["1.31.12", "1.31.13", "1.32.8", "1.32.9", "1.33.4", "1.33.5"];
        assert_eq!(steps("1.29.9", &l2603), Ok(vec!["1.31.13".into()]));
        assert_eq!(steps("1.31.10", &l2603), Ok(vec!["1.31.13".into()]));
        assert_eq!(steps("1.32.9", &l2603), Ok(vec![]));
        assert!(steps("1.34.1", &l2603).is_err());
    }
}
