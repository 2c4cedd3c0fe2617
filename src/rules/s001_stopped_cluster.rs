use super::{declare_rule, Check, Context, Deadline, Outcome, RuleScope, Status};
use crate::base::dates::{add_days, days_between};
use crate::inventory::{Cluster, ClusterState};
use crate::policy::Policy;

declare_rule! {
    /// A cluster stopped too long leaves support, then can no longer be updated.
    ///
    /// ## What it checks
    /// How long a cluster whose `state` is `Stopped` has been stopped
    /// (`stoppedSince` to the evaluation date). Up to 30 days it is a warning
    /// with the day support ends as its deadline; after that it fails, and the
    /// message names the stage reached: the control plane is out of support
    /// (more than 30 days), the cluster can no longer be updated to the latest
    /// version (more than 60), the cluster can no longer be updated at all (more
    /// than 90). The three limits are the policy parameters
    /// `stoppedControlPlaneDays`, `stoppedLatestDays` and `stoppedUpdateDays`,
    /// per edition: the 2025 Windows Server page drops the 60-day stage, and on
    /// Azure Local a cluster stopped more than 30 days is out of support and can
    /// no longer be updated (there is no 60- or 90-day stage).
    ///
    /// ## Why
    /// A stopped cluster receives no updates while the product keeps
    /// releasing them, so the policy gives it a limited time.
    ///
    /// [h22] Its control plane leaves support after a month; after two
    /// months it cannot catch up with the latest version, and after three
    /// it cannot be updated at all, which in practice means redeploying it.
    ///
    /// [ws25] Its control plane leaves support after a month, and after
    /// three months it can no longer be updated, which in practice means
    /// redeploying it.
    ///
    /// [al25] After a month it is out of support and can no longer be
    /// updated, which in practice means redeploying it.
    ///
    /// ## How to fix
    /// Start the cluster with the product's own tooling (`Start-AksHciCluster`
    /// or `az aksarc start`) and update it before the deadline. A cluster you no
    /// longer need is better removed than left stopped. Past the last stage,
    /// plan a redeployment.
    ///
    /// ## Policy
    /// Stopped or disconnected clusters.
    pub static RULE = {
        code: S001,
        name: "stopped-cluster",
        scope: RuleScope::Cluster,
        worst: Fail,
        parameters: ["stoppedControlPlaneDays", "stoppedLatestDays", "stoppedUpdateDays"],
        needs: ["clusters[].state", "clusters[].stoppedSince"],
        remedy: Restore,
        check: Check::Cluster(check),
    };
}

/// A stage a stopped cluster reaches: more than `limit` days stopped.
struct Stage {
    limit: i64,
    key: &'static str,
    what: &'static str,
    /// What the day this stage begins brings, for the deadline.
    next: &'static str,
}

/// The stages the edition states, in order. Where the control plane and the
/// updates stop on the same day (Azure Local: 30 days), that day is one stage.
fn stages(policy: &Policy) -> Vec<Stage> {
    let same_day = policy.stopped_control_plane_days == policy.stopped_update_days;
    let mut stages = vec![Stage {
        limit: policy.stopped_control_plane_days,
        key: "control-plane-out-of-support",
        what: "its control plane is out of support",
        next: "its control plane leaves support",
    }];
    if let Some(limit) = policy.stopped_latest_days {
        stages.push(Stage {
            limit,
            key: "cannot-update-to-latest",
            what: "its control plane is out of support and it can no longer be updated to the latest version",
            next: "it can no longer be updated to the latest version",
        });
    }
    let update = Stage {
        limit: policy.stopped_update_days,
        key: "cannot-be-updated",
        what: if same_day {
            "its control plane is out of support and it can no longer be updated"
        } else {
            "it can no longer be updated"
        },
        next: if same_day {
            "its control plane leaves support and it can no longer be updated"
        } else {
            "it can no longer be updated at all"
        },
    };
    if same_day {
        stages.clear();
    }
    stages.push(update);
    stages
}

fn check(ctx: &Context, cluster: &Cluster) -> Outcome {
    if cluster.state != ClusterState::Stopped {
        return Outcome::pass(format!("the cluster is {}", cluster.state))
            .with("state", cluster.state.as_str());
    }
    let Some(since) = cluster.stopped_since else {
        return Outcome::not_in_inventory("stoppedSince");
    };
    let days = days_between(since, ctx.as_of);
    let stages = stages(ctx.policy);
    let base = |outcome: Outcome| {
        outcome
            .with("stoppedSince", since)
            .with("daysStopped", days)
            .with(
                "stoppedControlPlaneDays",
                ctx.policy.stopped_control_plane_days,
            )
            .with("stoppedLatestDays", ctx.policy.stopped_latest_days)
            .with("stoppedUpdateDays", ctx.policy.stopped_update_days)
    };
    if days < 0 {
        return base(Outcome::unknown(format!(
            "stopped since {since}, after the evaluation date {}",
            ctx.as_of
        )));
    }
    // The last stage whose limit is exceeded ("more than N days": days > N).
    let reached = stages.iter().rposition(|stage| days > stage.limit);
    let next = reached.map_or(stages.first(), |i| stages.get(i + 1));
    let deadline = next.map(|stage| {
        Deadline::new(
            add_days(since, stage.limit + 1),
            false,
            Status::Fail,
            format!("stopped more than {} days: {}", stage.limit, stage.next),
        )
    });
    let outcome = match reached.and_then(|i| stages.get(i)) {
        None => Outcome::warn(format!(
            "stopped for {days} days since {since}; its control plane leaves support after {} days",
            ctx.policy.stopped_control_plane_days
        ))
        .with("stage", "stopped"),
        Some(stage) => Outcome::fail(format!(
            "stopped for {days} days since {since} (more than {}): {}",
            stage.limit, stage.what
        ))
        .with("stage", stage.key),
    };
    base(outcome.deadline(deadline))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inventory, one, status_and_deadline};
    use super::*;

    fn stopped(since: &str, as_of: &str) -> Outcome {
        let text = inventory(
            "",
            &format!(
                r#"[{{"name": "c", "kubernetesVersion": "1.28.5", "state": "Stopped", "stoppedSince": "{since}"}}]"#
            ),
        );
        one(&RULE, &text, as_of)
    }

    fn at(day: i64) -> (&'static str, Option<String>, String) {
        let as_of = add_days(crate::base::dates::parse_day("2026-01-01").unwrap(), day).to_string();
        let outcome = stopped("2026-01-01", &as_of);
        let (status, deadline) = status_and_deadline(&outcome);
        let stage = outcome.evidence.to_value()["stage"]
            .as_str()
            .unwrap()
            .to_string();
        (status, deadline, stage)
    }

    #[test]
    fn boundaries_at_30_60_90_days() {
        let d = |s: &str| Some(s.to_string());
        // Day 31 is 2026-02-01, day 61 2026-03-03, day 91 2026-04-02.
        assert_eq!(at(0), ("warn", d("2026-02-01"), "stopped".into()));
        assert_eq!(at(30), ("warn", d("2026-02-01"), "stopped".into()));
        assert_eq!(
            at(31),
            (
                "fail",
                d("2026-03-03"),
                "control-plane-out-of-support".into()
            )
        );
        assert_eq!(
            at(60),
            (
                "fail",
                d("2026-03-03"),
                "control-plane-out-of-support".into()
            )
        );
        assert_eq!(
            at(61),
            ("fail", d("2026-04-02"), "cannot-update-to-latest".into())
        );
        assert_eq!(
            at(90),
            ("fail", d("2026-04-02"), "cannot-update-to-latest".into())
        );
        assert_eq!(at(91), ("fail", None, "cannot-be-updated".into()));
        assert_eq!(at(400), ("fail", None, "cannot-be-updated".into()));
    }

    #[test]
    fn on_azure_local_30_days_is_the_only_stage() {
        let at = |day: i64| {
            let as_of = add_days(crate::base::dates::parse_day("2026-01-01").unwrap(), day);
            let text = super::super::testing::arc_inventory(
                "2510",
                "",
                r#"[{"name": "c", "kubernetesVersion": "1.31.10", "state": "Stopped", "stoppedSince": "2026-01-01"}]"#,
            );
            one(&RULE, &text, &as_of.to_string())
        };
        let day_30 = at(30);
        assert_eq!(
            status_and_deadline(&day_30),
            ("warn", Some("2026-02-01".into()))
        );
        let day_31 = at(31);
        assert_eq!(status_and_deadline(&day_31), ("fail", None));
        assert!(
            day_31
                .message
                .ends_with("its control plane is out of support and it can no longer be updated"),
            "{}",
            day_31.message
        );
        assert_eq!(day_31.evidence.to_value()["stage"], "cannot-be-updated");
        assert_eq!(status_and_deadline(&at(400)), ("fail", None));
    }

    #[test]
    fn the_2025_windows_server_page_has_no_60_day_stage() {
        let text = inventory(
            "",
            r#"[{"name": "c", "kubernetesVersion": "1.28.5", "state": "Stopped", "stoppedSince": "2026-01-01"}]"#,
        );
        let day_61 = super::super::testing::one_in(&RULE, "ws25", &text, "2026-03-03");
        assert_eq!(
            status_and_deadline(&day_61),
            ("fail", Some("2026-04-02".into()))
        );
        assert_eq!(
            day_61.evidence.to_value()["stage"],
            "control-plane-out-of-support"
        );
    }

    #[test]
    fn messages_name_the_stage() {
        let outcome = stopped("2026-01-01", "2026-03-15");
        assert!(
            outcome
                .message
                .contains("can no longer be updated to the latest version"),
            "{}",
            outcome.message
        );
        assert!(stopped("2026-01-01", "2026-06-01")
            .message
            .ends_with("it can no longer be updated"));
    }

    #[test]
    fn running_passes_and_future_stop_is_unknown() {
        let text = inventory("", r#"[{"name": "c", "kubernetesVersion": "1.28.5"}]"#);
        assert_eq!(one(&RULE, &text, "2026-01-01").status.as_str(), "pass");
        assert_eq!(
            stopped("2026-02-01", "2026-01-01").status.as_str(),
            "unknown"
        );
    }
}
