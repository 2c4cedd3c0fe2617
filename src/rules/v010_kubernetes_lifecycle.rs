use super::{
    changes_between, declare_rule, not_stated, Check, Context, Deadline, Outcome, RuleScope, Status,
};
use crate::base::dates::Side;
use crate::base::version::KubeVersion;
use crate::catalog::Release;
use crate::inventory::Cluster;

declare_rule! {
    /// A cluster's Kubernetes minor must be one of the three its release offers, still in support.
    ///
    /// ## What it checks
    /// The lifecycle of the cluster's Kubernetes minor version
    /// (`kubernetesVersion`), as the newer editions' Kubernetes version page
    /// states it. The installed release offers three minors (N, N-1, N-2, at
    /// most two patches each): a cluster on an older minor (n-3 or older) or on
    /// one the release does not offer fails. When a newer release (on or
    /// before the evaluation date) introduces a newer minor and no longer offers
    /// the cluster's, that minor leaves support 30 days later
    /// (`kubernetesMinorGraceDays`): a warning until then, with the day support
    /// ends as its deadline, and a failure after. Whether the exact patch is one
    /// the release lists is V006's check. A release without a Kubernetes list
    /// is `unknown`, saying so: akspol makes none up.
    ///
    /// Catalog age: a failure on the installed release's own list, and a
    /// warning or failure from a newer release the catalog knows, are given
    /// whatever the catalog's age. A pass rests on "no newer release drops
    /// the minor": on a catalog older than the line's release cadence
    /// (`catalogCadenceDays`) it is `unknown`, since a release the catalog
    /// does not know may already drop it.
    ///
    /// ## Why
    /// AKS Arc supports three GA minor versions. When a new minor is released,
    /// the oldest one and its patches are deprecated and removed, and go out of
    /// support in 30 days; a cluster on n-3 or older is outside of support and is
    /// asked to upgrade when it requests support. A deprecated minor is removed
    /// from Microsoft's servers, after which the cluster can no longer update
    /// Kubernetes or its OS.
    ///
    /// ## How to fix
    /// Upgrade the cluster one minor version at a time (minors cannot be
    /// skipped, except from an unsupported minor back into support) to a version
    /// the installed release offers: `az aksarc upgrade --kubernetes-version`
    /// (AKS Arc) or `Update-AksHciCluster -kubernetesVersion` (AKS hybrid). When
    /// the version you need comes with a newer release, update the platform
    /// first. `akspol plan` lists the steps.
    ///
    /// ## Policy
    /// Kubernetes version support policy (Supported Kubernetes versions in AKS
    /// Arc, the page the 2025 Windows Server and Azure Local pages link to).
    pub static RULE = {
        code: V010,
        name: "kubernetes-lifecycle",
        scope: RuleScope::Cluster,
        worst: Fail,
        parameters: ["kubernetesMinorGraceDays"],
        needs: ["deployment.version", "clusters[].kubernetesVersion"],
        remedy: Upgrade,
        check: Check::Cluster(check),
    };
}

/// The minors a release list offers, oldest first.
fn minors(list: &[KubeVersion]) -> Vec<(u64, u64)> {
    let mut minors: Vec<(u64, u64)> = list.iter().map(|v| (v.major(), v.minor())).collect();
    minors.sort_unstable();
    minors.dedup();
    minors
}

fn text((major, minor): (u64, u64)) -> String {
    format!("{major}.{minor}")
}

fn join(minors: &[(u64, u64)]) -> String {
    minors
        .iter()
        .map(|m| text(*m))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(grace) = ctx.policy.kubernetes_minor_grace_days else {
        return not_stated(ctx, "kubernetesMinorGraceDays");
    };
    let version = &cluster.kubernetes_version;
    let minor = (version.major(), version.minor());
    let installed = ctx.inventory.deployment.version;
    let base = |o: Outcome| o.with("kubernetesVersion", version);
    let release = match ctx.release_or_unknown("the minors it offers are unknown") {
        Ok(release) => release,
        Err(unknown) => return base(unknown),
    };
    let Some(list) = &release.kubernetes_versions else {
        // Never a list made up: partial evidence is not the release's list.
        return base(Outcome::unknown(format!(
            "the catalog does not list the Kubernetes versions of {}: the minors it offers are unknown",
            release.described()
        )))
        .with("release", release.version);
    };
    let offered = minors(list);
    let base = |o: Outcome| {
        base(o).with("release", release.version).with(
            "offeredMinors",
            offered.iter().map(|m| text(*m)).collect::<Vec<_>>(),
        )
    };
    let (Some(&oldest), Some(&newest)) = (offered.first(), offered.last()) else {
        return base(Outcome::unknown(format!(
            "release {} lists no Kubernetes version",
            release.version
        )));
    };
    if minor < oldest {
        return base(Outcome::fail(format!(
            "Kubernetes {} is older than the minors release {} offers ({}): n-3 or older is outside of support; upgrade to {} (from an unsupported minor, skipping into support is allowed)",
            text(minor),
            release.version,
            join(&offered),
            text(oldest)
        )));
    }
    if !offered.contains(&minor) {
        return base(Outcome::fail(format!(
            "Kubernetes {} is not a minor release {} offers ({})",
            text(minor),
            release.version,
            join(&offered)
        )));
    }
    let line = ctx.catalog.line(installed.product());
    let dropped_by = line
        .iter()
        .filter(|r| r.version.release_cmp(&installed).is_gt())
        .find(|r| drops(r, minor));
    let Some(dropped_by) = dropped_by else {
        let oldest_note = if minor == oldest && offered.len() > 1 {
            format!(
                "; the oldest: it leaves support {grace} days after a release introduces a newer minor"
            )
        } else {
            String::new()
        };
        // No newer release in the catalog drops it: one the catalog does not
        // know may, so this pass rests on a catalog recent enough.
        return base(Outcome::pass(format!(
            "Kubernetes {} is one of the minors release {} offers ({}){oldest_note}",
            text(minor),
            release.version,
            join(&offered)
        )))
        .resting_on_latest();
    };
    let outcome = dropped(ctx, minor, dropped_by, grace);
    base(outcome)
        .with("droppedBy", dropped_by.version)
        .with("newestOffered", text(newest))
}

/// A newer release no longer offers the minor: it leaves support `grace`
/// days after that release came out.
fn dropped(ctx: &Context, minor: (u64, u64), dropped_by: &Release, grace: i64) -> Outcome {
    let installed = ctx.inventory.deployment.version;
    let now_offered = dropped_by
        .kubernetes_versions
        .as_deref()
        .map(minors)
        .unwrap_or_default();
    // The last day of support: `grace` days after the release came out (a
    // span when no source gives its day).
    let end = dropped_by.released.add_days(grace);
    let first_out = end.add_days(1);
    let what = format!(
        "release {} ({}) offers {} and no longer {}",
        dropped_by.version,
        dropped_by.released,
        join(&now_offered),
        text(minor)
    );
    let leaves = format!("{} leaves support", text(minor));
    match first_out.side(ctx.as_of) {
        Side::After => Outcome::fail(format!(
            "{what}: {} left support {grace} days later, after {end}; upgrade the cluster (updating {} first if it lacks the version)",
            text(minor),
            installed
        )),
        Side::Between => changes_between(
            Outcome::unknown(format!(
                "{what}: {} leaves support {grace} days later, on a day from {} to {}, so on {} it may be out of support already",
                text(minor),
                first_out.earliest,
                first_out.latest,
                ctx.as_of
            )),
            first_out,
            Status::Fail,
            leaves,
        ),
        Side::Before => Outcome::warn(format!(
            "{what}: {} leaves support {grace} days later, after {end}",
            text(minor)
        ))
        .deadline(Some(Deadline::new(
            first_out.earliest,
            first_out.approximate(),
            Status::Fail,
            leaves,
        ))),
    }
}

/// Whether a release's complete list drops `minor` for newer ones.
fn drops(release: &Release, minor: (u64, u64)) -> bool {
    release.kubernetes_versions.as_deref().is_some_and(|list| {
        let offered = minors(list);
        !offered.contains(&minor) && offered.last().is_some_and(|newest| *newest > minor)
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one, status_and_deadline};
    use super::*;

    fn at(release: &str, kubernetes: &str, as_of: &str) -> Outcome {
        let clusters = format!(r#"[{{"name": "c", "kubernetesVersion": "{kubernetes}"}}]"#);
        one(&RULE, &arc_inventory(release, "", &clusters), as_of)
    }

    #[test]
    fn n_minus_three_and_minors_the_release_does_not_offer_fail() {
        // 2510 offers 1.30, 1.31, 1.32.
        let old = at("2510", "1.29.9", "2025-11-01");
        assert_eq!(old.status.as_str(), "fail", "{}", old.message);
        assert!(old.message.contains("n-3 or older"), "{}", old.message);
        assert_eq!(at("2510", "1.33.4", "2025-11-01").status.as_str(), "fail");
        let fine = at("2510", "1.31.10", "2025-11-01");
        assert_eq!(fine.status.as_str(), "pass", "{}", fine.message);
    }

    #[test]
    fn a_minor_dropped_by_a_newer_release_leaves_support_30_days_later() {
        // 2602 (2026-02-17) offers 1.31-1.33, no longer 1.30: day 30 is 2026-03-19.
        let warn = at("2510", "1.30.14", "2026-03-19");
        assert_eq!(
            status_and_deadline(&warn),
            ("warn", Some("2026-03-20".into())),
            "{}",
            warn.message
        );
        let fail = at("2510", "1.30.14", "2026-03-20");
        assert_eq!(
            status_and_deadline(&fail),
            ("fail", None),
            "{}",
            fail.message
        );
        // Before 2602 existed, 1.30 was the oldest minor of 2510, in support.
        let before = at("2510", "1.30.14", "2026-02-16");
        assert_eq!(before.status.as_str(), "pass", "{}", before.message);
        assert!(before.message.contains("the oldest"), "{}", before.message);
    }

    #[test]
    fn a_release_without_its_list_is_unknown() {
        assert_eq!(
            at("2402", "1.27.3", "2024-03-01").status.as_str(),
            "unknown"
        );
    }
}
