//! `akspol plan`: what a deployment must do to get current, and when its state
//! gets worse if it does nothing.
//!
//! The planner is pure, like the rules: it reads the same [`Context`] (inventory,
//! catalog as of the evaluation date, policy) and the findings of every rule,
//! and never reads the clock. Three parts:
//!
//! - the **calendar** ([`calendar`]): every finding's deadline, plus the later
//!   stages the policy defines (a stopped cluster's 30/60/90 days, a suspended
//!   subscription's 60 days, the host platform's last day) that no finding
//!   reports yet;
//! - the **upgrade path** ([`path`]): for AKS hybrid, release hops of at most
//!   `upgradeableReleases - 1` releases ("Supported version policy": upgrades
//!   are supported from the most recent releases only), with Kubernetes upgrades,
//!   one minor version at a time, inserted before a hop whose target release does
//!   not support a cluster's version; for AKS Arc (`arc`), the Azure Local
//!   updates to the latest release (through 12.2510 from 23H2), then each
//!   cluster to a Kubernetes version that release offers;
//! - **blockers and uncertainties**: what makes a path impossible (a cluster
//!   stopped too long, a deployment so far behind that old releases may be gone)
//!   and what the catalog does not say (a release without its Kubernetes list),
//!   named rather than guessed.

mod arc;
pub mod calendar;
pub mod path;
pub mod render;

use serde::Serialize;

use crate::base::dates::Day;
use crate::rules::{Context, Finding};

/// The version of the `--format json` plan document (see README, "Upgrade plans").
pub const PLAN_VERSION: u32 = 1;

/// A plan for one deployment.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub plan_version: u32,
    /// The inventory file, as given.
    pub source: String,
    pub deployment: String,
    /// Additive: the product line and the policy edition the plan follows.
    pub product: crate::base::product::Product,
    pub edition: String,
    #[serde(serialize_with = "ser_day")]
    pub as_of: Day,
    pub installed: String,
    /// The latest release in the catalog as of the evaluation date; `None`
    /// when the catalog has none.
    pub target: Option<String>,
    pub calendar: Vec<calendar::CalendarEntry>,
    pub steps: Vec<Step>,
    pub blockers: Vec<Note>,
    pub uncertainties: Vec<Note>,
}

impl Plan {
    /// Whether nothing needs doing: no step, no blocker, no uncertainty.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.blockers.is_empty() && self.uncertainties.is_empty()
    }
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

fn ser_day<S: serde::Serializer>(day: &Day, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(day)
}

/// Makes the plan: `findings` are the findings of every rule over `ctx`
/// (`rules::evaluate(ctx, rules::RULES)`), the source of the calendar.
pub fn make(ctx: &Context, findings: &[Finding]) -> Plan {
    let path = path::upgrade_path(ctx);
    Plan {
        plan_version: PLAN_VERSION,
        source: ctx.inventory.source.clone(),
        deployment: ctx.inventory.deployment.name.clone(),
        product: ctx.inventory.deployment.product,
        edition: ctx.edition.id.clone(),
        as_of: ctx.as_of,
        installed: ctx.inventory.deployment.version.to_string(),
        target: path.target,
        calendar: calendar::calendar(ctx, findings),
        steps: path.steps,
        blockers: path.blockers,
        uncertainties: path.uncertainties,
    }
}
