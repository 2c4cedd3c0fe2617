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
    let mut stages = Stages {
        ctx,
        out: Vec::new(),
    };
    stages.stopped_clusters();
    stages.subscription();
    stages.host_platform(findings);
    stages.out
}

/// The policy's stages as they are found, each kept only when it is ahead.
struct Stages<'a> {
    ctx: &'a Context<'a>,
    out: Vec<CalendarEntry>,
}

impl Stages<'_> {
    fn add(
        &mut self,
        date: Day,
        estimated: bool,
        rule: RuleCode,
        scope: String,
        what: String,
        becomes: &'static str,
    ) {
        if date > self.ctx.as_of {
            self.out.push(CalendarEntry {
                date,
                days_left: days_between(self.ctx.as_of, date),
                estimated,
                rule: Some(rule.as_str()),
                scope,
                becomes,
                what,
                basis: Basis::Policy,
            });
        }
    }

    /// A stopped cluster's stages (S001): its control plane out of support,
    /// then no update to the latest release, then no update at all.
    fn stopped_clusters(&mut self) {
        let ctx = self.ctx;
        let p = ctx.policy;
        for (c, cluster) in ctx.inventory.clusters().iter().enumerate() {
            let (ClusterState::Stopped, Some(since)) = (cluster.state, cluster.stopped_since)
            else {
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
                let what = if days == p.stopped_control_plane_days && days == p.stopped_update_days
                {
                    "its control plane is out of support and it can no longer be updated"
                } else {
                    what
                };
                self.add(
                    add_days(since, days + 1),
                    false,
                    RuleCode::S001,
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
    }

    /// A suspended or deleted subscription past its grace (S003).
    fn subscription(&mut self) {
        let p = self.ctx.policy;
        let Some(subscription) = &self.ctx.inventory.deployment.subscription else {
            return;
        };
        if let (SubscriptionState::Suspended | SubscriptionState::Deleted, Some(since)) =
            (subscription.state, subscription.since)
        {
            self.add(
                add_days(since, p.subscription_grace_days + 1),
                false,
                RuleCode::S003,
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

    /// The host platform's last supported day (V008), while V008 can still
    /// get worse (not when it fails for another reason).
    fn host_platform(&mut self, findings: &[Finding]) {
        let ctx = self.ctx;
        let Some(platform) = &ctx.inventory.deployment.platform else {
            return;
        };
        let Some(lifecycle) = ctx.catalog.catalog.platform(platform.os, &platform.version) else {
            return;
        };
        let host = format!("{} {}", platform.os, platform.version);
        let last_day = lifecycle.last_supported_day(&host);
        let failing = findings
            .iter()
            .any(|f| f.rule.code == RuleCode::V008.as_str() && f.outcome.status == Status::Fail);
        // A last day known to the month: the first day it may fail (`~`).
        if let (false, Some((day, what))) = (failing, last_day) {
            let first_unsupported = day.add_days(1);
            self.add(
                first_unsupported.earliest,
                first_unsupported.approximate(),
                RuleCode::V008,
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
