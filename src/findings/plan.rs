//! The upgrade plan as reports show it: the calendar of the days a
//! deployment gets worse, the upgrade steps, blockers and uncertainties.
//! `plan/` makes them (and `akspol plan` renders its own document from
//! them); the judge puts a [`PlanSummary`] into each inventory's report
//! when a format shows it (HTML, Markdown), so reports never read `plan/`.

use serde::Serialize;

use super::{Deadline, Status};
use crate::base::dates::Day;
use crate::base::mermaid;

/// What reports show of an inventory's plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanSummary {
    /// The latest release as of the evaluation date; `None` when the catalog has none.
    pub target: Option<String>,
    /// In date order.
    pub calendar: Vec<CalendarEntry>,
    pub steps: Vec<Step>,
    pub blockers: Vec<Note>,
    pub uncertainties: Vec<Note>,
}

impl CalendarEntry {
    /// The entry as a bar of a Mermaid gantt chart: from the as-of date to
    /// its day, in the section of its scope; red when it fails the
    /// deployment (or makes a failure worse), highlighted when it warns.
    pub fn gantt_task(&self, as_of: Day) -> mermaid::Task {
        let rule = self.rule.unwrap_or("policy");
        mermaid::Task {
            section: self.scope.clone(),
            name: format!(
                "{rule} {} {}{}: {}",
                self.becomes,
                if self.estimated { "~" } else { "" },
                self.date,
                self.what
            ),
            start: as_of,
            end: self.date.max(crate::base::dates::add_days(as_of, 1)),
            tag: match self.becomes {
                "warn" => Some("active"),
                _ => Some("crit"),
            },
        }
    }
}

impl PlanSummary {
    /// What an empty upgrade path means, in words.
    pub fn no_steps_text(&self) -> &'static str {
        no_steps_text(&self.blockers, &self.uncertainties)
    }
}

/// What an empty upgrade path means, given the plan's blockers and uncertainties.
pub fn no_steps_text(blockers: &[Note], uncertainties: &[Note]) -> &'static str {
    if !blockers.is_empty() {
        "No path: see the blockers."
    } else if !uncertainties.is_empty() {
        "No step is known to be needed, but the catalog cannot confirm it: see the uncertainties."
    } else {
        "Nothing to do: on the latest release, every workload cluster on a supported Kubernetes version."
    }
}

/// What a finding of `status` becomes on `deadline`, as the deadline says:
/// `warn`, `fail`, or `worse` for one already failing (it cannot become
/// `fail` again).
pub fn becomes(status: Status, deadline: &Deadline) -> &'static str {
    match (status, deadline.becomes) {
        (Status::Fail, _) => "worse",
        (_, Status::Warn) => "warn",
        _ => "fail",
    }
}

/// A day serialized as `YYYY-MM-DD`.
pub fn ser_day<S: serde::Serializer>(day: &Day, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(day)
}

/// Where a calendar entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// A finding's deadline, exactly as `check` reports it.
    Deadline,
    /// A later stage the policy defines, derived by the planner.
    Policy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarEntry {
    #[serde(serialize_with = "ser_day")]
    pub date: Day,
    pub days_left: i64,
    /// Computed from an estimated date (a release or lifecycle date known only
    /// approximately).
    pub estimated: bool,
    /// The rule whose status changes (for a stage the planner derived, the
    /// rule that judges it per `rules.md`: S001 stopped clusters, S003
    /// subscriptions, V008 the host).
    pub rule: Option<&'static str>,
    /// `deployment`, `cluster/<name>`, `node/<cluster>/<node>` (raw: sanitize before printing).
    pub scope: String,
    /// The status it becomes: `warn`, `fail`, or `worse` when a rule is not
    /// known to the planner.
    pub becomes: &'static str,
    /// What happens that day, in words.
    pub what: String,
    pub basis: Basis,
}

/// What one step of the upgrade path does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    KubernetesUpgrade,
    ReleaseUpgrade,
    /// Azure Local 23H2 to 24H2 (11.2510 to 12.2510).
    OsUpgrade,
    StartCluster,
    Redeploy,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::KubernetesUpgrade => "kubernetes-upgrade",
            StepKind::ReleaseUpgrade => "release-upgrade",
            StepKind::OsUpgrade => "os-upgrade",
            StepKind::StartCluster => "start-cluster",
            StepKind::Redeploy => "redeploy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub kind: StepKind,
    /// The workload cluster the step acts on; absent for deployment-wide steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// What kind of blocker or uncertainty a [`Note`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// The catalog has no release on or before the as-of date.
    NoRelease,
    /// The installed release is not in the catalog.
    UnknownRelease,
    /// Too far behind: old releases may no longer be downloadable.
    ReleaseUnavailable,
    /// A cluster stopped so long it can no longer be updated.
    StoppedCluster,
    /// No chain of Kubernetes minor versions leads to one the target supports.
    KubernetesUnreachable,
    /// A release without its Kubernetes list in the catalog.
    CatalogGap,
    /// A deleted subscription: only a redeployment reconnects.
    SubscriptionDeleted,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::NoRelease => "no-release",
            NoteKind::UnknownRelease => "unknown-release",
            NoteKind::ReleaseUnavailable => "release-unavailable",
            NoteKind::StoppedCluster => "stopped-cluster",
            NoteKind::KubernetesUnreachable => "kubernetes-unreachable",
            NoteKind::CatalogGap => "catalog-gap",
            NoteKind::SubscriptionDeleted => "subscription-deleted",
        }
    }
}

/// A blocker (no supported path exists) or an uncertainty (the catalog cannot say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub kind: NoteKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    pub message: String,
}
