//! The upgrade path from the installed release to the latest one.
//!
//! "Supported version policy": upgrades are supported from the
//! `upgradeableReleases` most recent releases, so one hop advances at most
//! `upgradeableReleases - 1` releases, and a deployment further behind upgrades
//! in several steps. Each release supports a fixed list of Kubernetes versions,
//! and Kubernetes minor versions cannot be skipped: before a hop, every workload
//! cluster must run a version the target release supports, reached one minor at
//! a time through versions the current release supports. Beyond the
//! availability limit the old releases may be gone, so the plan is a
//! redeployment; a cluster stopped beyond `stoppedUpdateDays` cannot be updated
//! at all ("Stopped or disconnected clusters").

use crate::base::dates::days_between;
use crate::base::version::{KubeVersion, ReleaseVersion};
use crate::catalog::{Release, Standing};
use crate::inventory::{Cluster, ClusterKind, ClusterState};
use crate::rules::Context;

use super::{Note, NoteKind, Step, StepKind};

/// The path part of a plan.
#[derive(Debug, Default)]
pub struct PathPlan {
    pub target: Option<String>,
    pub steps: Vec<Step>,
    pub blockers: Vec<Note>,
    pub uncertainties: Vec<Note>,
}

/// What the planner knows about a cluster's Kubernetes version along the path.
#[derive(Debug, Clone)]
pub(super) enum Track {
    /// A workload cluster on this version.
    Known(KubeVersion),
    /// A catalog gap made the upgrade unnameable: no longer followed.
    Lost,
    /// Management clusters (they follow the host) and clusters that cannot be updated.
    Excluded,
}

/// Kubernetes versions to pass through, in order, from `from` to a version that
/// `goal` supports, each one a version `within` supports, never skipping a minor
/// version. The goal is the lowest minor both lists support (at its highest
/// patch in both); each minor on the way is taken at its highest patch in
/// `within`. `None` when no such chain exists (a minor is missing on the way, or
/// nothing newer is supported).
pub fn kubernetes_chain(
    from: &KubeVersion,
    within: &[KubeVersion],
    goal: &[KubeVersion],
) -> Option<Vec<KubeVersion>> {
    let key = |v: &KubeVersion| (v.0.major, v.0.minor, v.0.patch);
    let target = within
        .iter()
        .filter(|v| {
            v.major() == from.major()
                && key(v) > key(from)
                && goal.iter().any(|g| g.same_release(v))
        })
        .min_by(|a, b| a.minor().cmp(&b.minor()).then_with(|| key(b).cmp(&key(a))))?;
    let mut steps = Vec::new();
    for minor in from.minor() + 1..target.minor() {
        let step = within
            .iter()
            .filter(|v| v.major() == from.major() && v.minor() == minor)
            .max_by_key(|v| key(v))?;
        steps.push(step.clone());
    }
    steps.push(target.clone());
    Some(steps)
}

pub(super) fn supports(list: &[KubeVersion], version: &KubeVersion) -> bool {
    list.iter().any(|v| v.same_release(version))
}

pub(super) fn join(list: &[KubeVersion]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a hop from `current` to `target` needs first.
#[derive(Debug, Default)]
struct HopNeeds {
    /// (cluster, Kubernetes versions to pass through)
    upgrades: Vec<(usize, Vec<KubeVersion>)>,
    /// (cluster, why the upgrade cannot be named): uncertainties.
    gaps: Vec<(usize, String)>,
    /// (cluster, why no chain exists): the hop is impossible.
    impossible: Vec<(usize, String)>,
}

fn hop_needs(
    clusters: &[Cluster],
    tracks: &[Track],
    current: Option<&Release>,
    current_label: &str,
    target: &Release,
) -> HopNeeds {
    let mut needs = HopNeeds::default();
    let Some(target_list) = &target.kubernetes_versions else {
        return needs;
    };
    for (i, track) in tracks.iter().enumerate() {
        let Track::Known(version) = track else {
            continue;
        };
        if supports(target_list, version) {
            continue;
        }
        let name = clusters.get(i).map_or("?", |c| c.name.as_str());
        match current.and_then(|c| c.kubernetes_versions.as_ref()) {
            None => needs.gaps.push((
                i,
                format!(
                    "release {} does not support Kubernetes {version} (cluster {name}), and the catalog does not list the Kubernetes versions of release {current_label}: upgrade the cluster to one of {} first, one minor version at a time, through versions {current_label} supports",
                    target.version,
                    join(target_list)
                ),
            )),
            Some(current_list) => match kubernetes_chain(version, current_list, target_list) {
                Some(chain) => needs.upgrades.push((i, chain)),
                None => needs.impossible.push((
                    i,
                    format!(
                        "cluster {name} runs Kubernetes {version}, which release {} does not support ({}); release {current_label} supports {}, and no chain of one minor version at a time through those reaches a version {} supports",
                        target.version,
                        join(target_list),
                        join(current_list),
                        target.version
                    ),
                )),
            },
        }
    }
    needs
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The start of every path: the installed release's place in the catalog. A
/// plan that cannot go on (no release; a version newer than the catalog) is
/// returned as `Err`.
pub(super) fn start<'a>(ctx: &'a Context) -> Result<(PathPlan, &'a Standing<'a>), PathPlan> {
    let mut plan = PathPlan::default();
    let installed = ctx.inventory.deployment.version;
    let Some(standing) = &ctx.standing else {
        plan.blockers.push(Note {
            kind: NoteKind::NoRelease,
            cluster: None,
            release: None,
            message: format!(
                "the catalog has no release published on or before {}: there is nothing to plan against",
                ctx.as_of
            ),
        });
        return Err(plan);
    };
    let latest = standing.latest;
    plan.target = Some(latest.version.to_string());
    if standing.installed.is_none() {
        let newer_than_catalog = installed.release_cmp(&latest.version).is_gt();
        plan.uncertainties.push(Note {
            kind: NoteKind::UnknownRelease,
            cluster: None,
            release: Some(installed.to_string()),
            message: if newer_than_catalog {
                format!(
                    "{installed} is newer than the catalog's latest release {}: the catalog is stale ({}); no path can be planned",
                    latest.version,
                    match installed.product() {
                        crate::base::product::Product::AksHybrid => "run `akspol catalog update`",
                        crate::base::product::Product::AksArc => "pass a newer catalog with `--catalog FILE`",
                    }
                )
            } else {
                format!(
                    "{installed} is not a release in the catalog: the path starts from its place in the release order, and its Kubernetes versions are unknown"
                )
            },
        });
        if newer_than_catalog {
            return Err(plan);
        }
    }
    Ok((plan, standing))
}

/// Workload clusters are followed; management clusters follow the host.
pub(super) fn tracks(clusters: &[Cluster]) -> Vec<Track> {
    clusters
        .iter()
        .map(|c| match c.kind {
            ClusterKind::Workload => Track::Known(c.kubernetes_version.clone()),
            ClusterKind::Management => Track::Excluded,
        })
        .collect()
}

/// Stopped clusters: started before anything updates them, unless stopped too
/// long (a blocker; the path then leaves them out).
pub(super) fn starts(ctx: &Context, tracks: &mut [Track], plan: &mut PathPlan) -> Vec<Step> {
    let policy = ctx.policy;
    let mut starts = Vec::new();
    for (i, cluster) in ctx.inventory.clusters().iter().enumerate() {
        if cluster.state != ClusterState::Stopped {
            continue;
        }
        let days = cluster.stopped_since.map(|d| days_between(d, ctx.as_of));
        let since = match (cluster.stopped_since, days) {
            (Some(d), Some(n)) => format!(
                "stopped since {d} ({})",
                plural(n.max(0) as usize, "day", "days")
            ),
            _ => "stopped".to_string(),
        };
        match days {
            Some(n) if n > policy.stopped_update_days => {
                plan.blockers.push(Note {
                    kind: NoteKind::StoppedCluster,
                    cluster: Some(cluster.name.clone()),
                    release: None,
                    message: format!(
                        "cluster {} has been {since}: a cluster stopped more than {} days can no longer be updated; redeploy it (the upgrade path leaves it out)",
                        cluster.name, policy.stopped_update_days
                    ),
                });
                if let Some(track) = tracks.get_mut(i) {
                    *track = Track::Excluded;
                }
            }
            _ => {
                if let Some((n, limit)) = days
                    .zip(policy.stopped_latest_days)
                    .filter(|(n, limit)| n > limit)
                {
                    plan.uncertainties.push(Note {
                        kind: NoteKind::StoppedCluster,
                        cluster: Some(cluster.name.clone()),
                        release: None,
                        message: format!(
                            "cluster {} has been stopped {n} days: after {} days stopped a cluster cannot be updated to the latest release; start it and check that it takes the updates, or redeploy it",
                            cluster.name, limit
                        ),
                    });
                }
                starts.push(Step {
                    kind: StepKind::StartCluster,
                    cluster: Some(cluster.name.clone()),
                    from: "Stopped".into(),
                    to: "Running".into(),
                    reason: format!(
                        "{since}: a stopped cluster cannot be updated, so start it before the upgrades (its control plane is out of support after {} days stopped)",
                        policy.stopped_control_plane_days
                    ),
                });
            }
        }
    }
    starts
}

/// Plans the release and Kubernetes upgrades that make an AksHci deployment
/// current (`arc::upgrade_path` plans Azure Local's).
pub fn upgrade_path(ctx: &Context) -> PathPlan {
    let (mut plan, standing) = match start(ctx) {
        Ok(started) => started,
        Err(plan) => return plan,
    };
    let clusters = ctx.inventory.clusters();
    let mut tracks = tracks(clusters);
    let starts = starts(ctx, &mut tracks, &mut plan);

    if let Some(availability) = ctx
        .policy
        .availability_days
        .filter(|limit| standing.days_behind > *limit)
    {
        redeploy(ctx, standing, availability, &mut plan);
        return plan;
    }

    let mut walk = Walk {
        ctx,
        clusters,
        tracks,
        steps: Vec::new(),
        current: standing.installed,
        current_label: ctx.inventory.deployment.version.to_string(),
        gaps_noted: Vec::new(),
    };
    if walk.through_releases(&standing.newer, &mut plan) {
        walk.onto_latest(&mut plan);
    }
    if !walk.steps.is_empty() {
        plan.steps = starts;
    }
    plan.steps.extend(walk.steps);
    plan
}

/// Too far behind for the interim releases to be downloadable: the plan is a
/// redeployment with the latest release, and no path through them.
fn redeploy(ctx: &Context, standing: &Standing, availability: i64, plan: &mut PathPlan) {
    plan.steps.push(Step {
        kind: StepKind::Redeploy,
        cluster: None,
        from: ctx.inventory.deployment.version.to_string(),
        to: standing.latest.version.to_string(),
        reason: format!(
            "{} days behind (more than {}): the interim releases may no longer be downloadable, so redeploy with the latest release",
            standing.days_behind, availability
        ),
    });
    plan.blockers.push(Note {
        kind: NoteKind::ReleaseUnavailable,
        cluster: None,
        release: standing.first_newer.map(|r| r.version.to_string()),
        message: format!(
            "{} days behind, {} behind: after {} days Microsoft no longer guarantees that older releases can be downloaded, and upgrades start to fail; an upgrade path through them is not planned",
            standing.days_behind,
            plural(standing.releases_behind(), "release", "releases"),
            availability,
        ),
    });
}

/// The walk from the installed release to the latest one: where it stands,
/// each workload cluster's Kubernetes version along the way, and the steps
/// so far.
struct Walk<'a> {
    ctx: &'a Context<'a>,
    clusters: &'a [Cluster],
    tracks: Vec<Track>,
    steps: Vec<Step>,
    current: Option<&'a Release>,
    current_label: String,
    /// Releases whose missing Kubernetes list is already an uncertainty.
    gaps_noted: Vec<ReleaseVersion>,
}

/// The farthest release one hop can reach, and what the clusters need for it.
struct Hop<'a> {
    /// Position after the hop in the list of newer releases.
    end: usize,
    target: &'a Release,
    needs: HopNeeds,
    /// Why the hop stops short of the farthest release the policy allows.
    not_farther: Option<String>,
}

impl<'a> Walk<'a> {
    /// Hops through `newer`, as far as the edition lets each upgrade skip,
    /// upgrading the clusters' Kubernetes ahead of each hop where needed.
    /// Whether the latest release is reached.
    fn through_releases(&mut self, newer: &[&'a Release], plan: &mut PathPlan) -> bool {
        // Without an upgrade limit in the edition, one step reaches the latest release.
        let hop = self
            .ctx
            .policy
            .upgradeable_releases
            .map_or(usize::MAX, |n| usize::try_from(n - 1).unwrap_or(1).max(1));
        let mut pos = 0;
        while pos < newer.len() {
            let farthest = pos.saturating_add(hop).min(newer.len());
            let chosen = match self.choose_hop(newer, pos, farthest) {
                Ok(chosen) => chosen,
                Err(problems) => {
                    for (i, message) in problems {
                        plan.blockers.push(Note {
                            kind: NoteKind::KubernetesUnreachable,
                            cluster: self.clusters.get(i).map(|c| c.name.clone()),
                            release: None,
                            message,
                        });
                    }
                    return false;
                }
            };
            self.kubernetes_before(&chosen, plan);
            self.release_step(&chosen, newer.len(), pos, hop);
            self.current = Some(chosen.target);
            self.current_label = chosen.target.version.to_string();
            pos = chosen.end;
        }
        true
    }

    /// The farthest release in `pos+1..=farthest` that every cluster can
    /// follow, or the problems of the nearest one when none can.
    fn choose_hop(
        &self,
        newer: &[&'a Release],
        pos: usize,
        farthest: usize,
    ) -> Result<Hop<'a>, Vec<(usize, String)>> {
        let mut not_farther: Option<String> = None;
        let mut shortest_problems = Vec::new();
        for end in (pos + 1..=farthest).rev() {
            let Some(&target) = newer.get(end - 1) else {
                continue;
            };
            let needs = hop_needs(
                self.clusters,
                &self.tracks,
                self.current,
                &self.current_label,
                target,
            );
            if needs.impossible.is_empty() {
                return Ok(Hop {
                    end,
                    target,
                    needs,
                    not_farther,
                });
            }
            if not_farther.is_none() {
                let names: Vec<&str> = needs
                    .impossible
                    .iter()
                    .filter_map(|(i, _)| self.clusters.get(*i).map(|c| c.name.as_str()))
                    .collect();
                not_farther =
                    Some(format!(
                    "not straight to {}: {} {} cannot first reach a Kubernetes version it supports",
                    target.version,
                    if names.len() == 1 { "cluster" } else { "clusters" },
                    names.join(", ")
                ));
            }
            shortest_problems = needs.impossible;
        }
        Err(shortest_problems)
    }

    /// The Kubernetes upgrades each cluster makes before the hop, and the
    /// clusters whose path the catalog cannot name.
    fn kubernetes_before(&mut self, hop: &Hop<'a>, plan: &mut PathPlan) {
        let target = hop.target;
        for (i, chain) in &hop.needs.upgrades {
            let Some(cluster) = self.clusters.get(*i) else {
                continue;
            };
            let Some(Track::Known(mut from)) = self.tracks.get(*i).cloned() else {
                continue;
            };
            let goal = chain.last().cloned();
            let original = from.clone();
            for version in chain {
                let reason = if Some(version) == goal.as_ref() {
                    format!(
                        "release {} does not support Kubernetes {original}; {version} is supported by both {} and {}",
                        target.version, self.current_label, target.version
                    )
                } else {
                    format!(
                        "minor versions cannot be skipped: {version} (supported by {}) on the way to {}",
                        self.current_label,
                        goal.as_ref().map(ToString::to_string).unwrap_or_default()
                    )
                };
                self.steps.push(Step {
                    kind: StepKind::KubernetesUpgrade,
                    cluster: Some(cluster.name.clone()),
                    from: from.to_string(),
                    to: version.to_string(),
                    reason,
                });
                from = version.clone();
            }
            if let Some(track) = self.tracks.get_mut(*i) {
                *track = Track::Known(from);
            }
        }
        for (i, message) in &hop.needs.gaps {
            plan.uncertainties.push(Note {
                kind: NoteKind::CatalogGap,
                cluster: self.clusters.get(*i).map(|c| c.name.clone()),
                release: Some(self.current_label.clone()),
                message: message.clone(),
            });
            if let Some(track) = self.tracks.get_mut(*i) {
                *track = Track::Lost;
            }
        }
        if target.kubernetes_versions.is_none()
            && self.tracks.iter().any(|t| matches!(t, Track::Known(_)))
        {
            self.note_gap(
                &mut plan.uncertainties,
                target,
                "akspol cannot tell whether a workload cluster must upgrade Kubernetes before this hop; check the release notes",
            );
        }
    }

    /// The release upgrade of the hop, with why it goes that far.
    fn release_step(&mut self, hop: &Hop<'a>, newer: usize, pos: usize, most: usize) {
        let ahead = hop.end - pos;
        let mut reason = match self.ctx.policy.upgradeable_releases {
            Some(upgradeable) => format!(
                "{} ahead, {} behind before this step: upgrades are supported from the {upgradeable} most recent releases, so one step advances at most {}",
                plural(ahead, "release", "releases"),
                newer - pos,
                plural(most, "release", "releases")
            ),
            None => format!(
                "{} ahead: the policy edition {} states no limit on the releases one upgrade may skip",
                plural(ahead, "release", "releases"),
                self.ctx.edition.id
            ),
        };
        if let Some(why) = &hop.not_farther {
            reason.push_str(&format!("; {why}"));
        }
        if hop.end == newer {
            reason.push_str("; the latest release");
        }
        self.steps.push(Step {
            kind: StepKind::ReleaseUpgrade,
            cluster: None,
            from: self.current_label.clone(),
            to: hop.target.version.to_string(),
            reason,
        });
    }

    /// On the latest release, every workload cluster on a version it supports.
    fn onto_latest(&mut self, plan: &mut PathPlan) {
        let Some(release) = self.current else {
            return;
        };
        for i in 0..self.tracks.len() {
            let Some(Track::Known(version)) = self.tracks.get(i).cloned() else {
                continue;
            };
            let Some(cluster) = self.clusters.get(i) else {
                continue;
            };
            let Some(list) = &release.kubernetes_versions else {
                self.note_gap(
                    &mut plan.uncertainties,
                    release,
                    "akspol cannot tell whether the workload clusters run a version it supports",
                );
                continue;
            };
            if supports(list, &version) {
                continue;
            }
            let label = &self.current_label;
            match kubernetes_chain(&version, list, list) {
                Some(chain) => {
                    let mut from = version;
                    for next in chain {
                        self.steps.push(Step {
                            kind: StepKind::KubernetesUpgrade,
                            cluster: Some(cluster.name.clone()),
                            from: from.to_string(),
                            to: next.to_string(),
                            reason: format!(
                                "release {label} does not support Kubernetes {from}; {next} is the next version it supports (minor versions cannot be skipped)"
                            ),
                        });
                        from = next;
                    }
                    if let Some(track) = self.tracks.get_mut(i) {
                        *track = Track::Known(from);
                    }
                }
                None => plan.blockers.push(Note {
                    kind: NoteKind::KubernetesUnreachable,
                    cluster: Some(cluster.name.clone()),
                    release: Some(label.clone()),
                    message: format!(
                        "cluster {} runs Kubernetes {version}, which release {label} does not support ({}), and no upgrade of one minor version at a time reaches one it does",
                        cluster.name,
                        join(list)
                    ),
                }),
            }
        }
    }

    fn note_gap(&mut self, uncertainties: &mut Vec<Note>, release: &Release, why: &str) {
        if !self.gaps_noted.contains(&release.version) {
            self.gaps_noted.push(release.version);
            uncertainties.push(Note {
                kind: NoteKind::CatalogGap,
                cluster: None,
                release: Some(release.version.to_string()),
                message: format!(
                    "the catalog does not list the Kubernetes versions of release {}: {why}",
                    release.version
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> KubeVersion {
        KubeVersion::parse(s).unwrap()
    }

    fn list(items: &[&str]) -> Vec<KubeVersion> {
        items.iter().map(|s| v(s)).collect()
    }

    fn chain(from: &str, within: &[&str], goal: &[&str]) -> Option<Vec<String>> {
        kubernetes_chain(&v(from), &list(within), &list(goal))
            .map(|c| c.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn one_minor_at_a_time_at_the_highest_patch() {
        assert_eq!(
            chain(
                "1.27.3",
                &["1.28.0", "1.28.2", "1.29.0", "1.29.1"],
                &["1.29.1", "1.30.0"]
            ),
            Some(vec!["1.28.2".into(), "1.29.1".into()])
        );
    }

    #[test]
    fn the_lowest_common_minor_is_the_goal() {
        // Both 1.19 and 1.20 would do; 1.19 is one step.
        assert_eq!(
            chain(
                "1.18.17",
                &["1.18.17", "1.19.7", "1.19.9", "1.20.5"],
                &["1.19.9", "1.20.5"]
            ),
            Some(vec!["1.19.9".into()])
        );
        // A patch upgrade within the minor.
        assert_eq!(
            chain(
                "1.27.1",
                &["1.27.1", "1.27.3", "1.28.0"],
                &["1.27.3", "1.28.0"]
            ),
            Some(vec!["1.27.3".into()])
        );
    }

    #[test]
    fn no_chain_when_a_minor_is_missing_or_only_downgrades_remain() {
        assert_eq!(chain("1.25.0", &["1.27.1", "1.27.3"], &["1.27.3"]), None);
        assert_eq!(chain("1.29.0", &["1.28.0"], &["1.28.0"]), None);
        assert_eq!(chain("1.27.1", &["1.27.1", "1.28.0"], &["1.28.2"]), None);
    }
}
