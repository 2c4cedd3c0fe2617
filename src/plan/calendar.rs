//! The compliance calendar: every future day the deployment's state gets worse
//! if nothing is done.
//!
//! The first source is the findings: a finding's deadline is the first day its
//! status gets worse (`rules.md`), whatever rule produced it, so rules added
//! later appear here without changes. A finding carries one deadline, its next
//! one; the policy defines later stages too (a stopped cluster at 30, 60 and 90
//! days, "Stopped or disconnected clusters"; a suspended subscription at 60
//! days; the host platform's last day after V008's warning), so those are
//! derived from the inventory and the policy and added unless a finding already
//! names the same day for the same scope and rule.

use std::collections::HashMap;

use crate::base::dates::{add_days, days_between, Day};
pub use crate::findings::plan::{Basis, CalendarEntry};
use crate::inventory::{ClusterState, SubscriptionState};
use crate::rules::{Context, Finding, RuleCode, Scope, Status};

/// The calendar, in date order (then rule, then scope).
pub fn calendar(ctx: &Context, findings: &[Finding]) -> Vec<CalendarEntry> {
    let mut entries: Vec<CalendarEntry> = findings
        .iter()
        .filter_map(|f| {
            let deadline = f.outcome.deadline.as_ref()?;
            let (becomes, what) = (
                crate::findings::plan::becomes(f.outcome.status, deadline),
                deadline.what.clone(),
            );
            Some(CalendarEntry {
                date: deadline.date,
                days_left: days_between(ctx.as_of, deadline.date),
                estimated: deadline.estimated,
                rule: Some(f.rule.code),
                scope: crate::rules::scope_label(f.scope, ctx.inventory),
                becomes,
                what,
                basis: Basis::Deadline,
            })
        })
        .collect();
    // The first entry of each (day, scope, rule), looked up once per stage:
    // an inventory may have a stopped cluster's stages for every cluster.
    let mut first: HashMap<(Day, String, Option<&'static str>), usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        first.entry((e.date, e.scope.clone(), e.rule)).or_insert(i);
    }
    for stage in policy_stages(ctx, findings) {
        // A finding already names this day: keep it, with the stage's more specific words.
        let key = (stage.date, stage.scope.clone(), stage.rule);
        match first.get(&key).and_then(|&i| entries.get_mut(i)) {
            Some(entry) => entry.what = stage.what,
            None => {
                first.insert(key, entries.len());
                entries.push(stage);
            }
        }
    }
    entries.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.scope.cmp(&b.scope))
    });
    entries
}

/// The later stages the policy defines, from the inventory: only future days.
fn policy_stages(ctx: &Context, findings: &[Finding]) -> Vec<CalendarEntry> {
    let p = ctx.policy;
    let mut out = Vec::new();
    let mut stage = |date: Day, estimated: bool, rule, scope: String, what: String, becomes| {
        if date > ctx.as_of {
            out.push(CalendarEntry {
                date,
                days_left: days_between(ctx.as_of, date),
                estimated,
                rule,
                scope,
                becomes,
                what,
                basis: Basis::Policy,
            });
        }
    };
    for (c, cluster) in ctx.inventory.clusters().iter().enumerate() {
        let (ClusterState::Stopped, Some(since)) = (cluster.state, cluster.stopped_since) else {
            continue;
        };
        let scope = crate::rules::scope_label(Scope::Cluster(c), ctx.inventory);
        let stages = [
            (
                Some(p.stopped_control_plane_days),
                "its control plane is out of support",
            ),
            (
                p.stopped_latest_days,
                "it can no longer be updated to the latest release",
            ),
            (Some(p.stopped_update_days), "it can no longer be updated"),
        ];
        // The edition's stages; two on the same day (Azure Local: 30) are one.
        let mut days_seen = Vec::new();
        for (days, what) in stages.iter().rev() {
            let Some(days) = *days else { continue };
            if days_seen.contains(&days) {
                continue;
            }
            days_seen.push(days);
            let what = if days == p.stopped_control_plane_days && days == p.stopped_update_days {
                "its control plane is out of support and it can no longer be updated"
            } else {
                what
            };
            stage(
                add_days(since, days + 1),
                false,
                Some(RuleCode::S001.as_str()),
                scope.clone(),
                format!("stopped more than {days} days: {what}"),
                // The first stage fails the cluster; the later ones make it worse.
                if days == p.stopped_control_plane_days {
                    "fail"
                } else {
                    "worse"
                },
            );
        }
    }
    let deployment = &ctx.inventory.deployment;
    if let Some(subscription) = &deployment.subscription {
        if let (SubscriptionState::Suspended | SubscriptionState::Deleted, Some(since)) =
            (subscription.state, subscription.since)
        {
            stage(
                add_days(since, p.subscription_grace_days + 1),
                false,
                Some(RuleCode::S003.as_str()),
                "deployment".to_string(),
                format!(
                    "subscription {} more than {} days: out of support",
                    subscription.state.as_str().to_lowercase(),
                    p.subscription_grace_days
                ),
                "fail",
            );
        }
    }
    if let Some(platform) = &deployment.platform {
        if let Some(lifecycle) = ctx.catalog.catalog.platform(platform.os, &platform.version) {
            let host = format!("{} {}", platform.os, platform.version);
            let last_day = lifecycle.last_supported_day(&host);
            // Only while V008 can still get worse (not when it fails for another reason).
            let failing = findings.iter().any(|f| {
                f.rule.code == RuleCode::V008.as_str() && f.outcome.status == Status::Fail
            });
            // A last day known to the month: the first day it may fail (`~`).
            if let (false, Some((day, what))) = (failing, last_day) {
                let first_unsupported = day.add_days(1);
                stage(
                    first_unsupported.earliest,
                    first_unsupported.approximate(),
                    Some(RuleCode::V008.as_str()),
                    "deployment".to_string(),
                    format!(
                        "{what} (last day {}{day})",
                        if day.is_span() { "in " } else { "" }
                    ),
                    "fail",
                );
            }
        }
    }
    out
}
