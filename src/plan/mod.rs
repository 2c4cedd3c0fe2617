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
use crate::findings::plan::ser_day;
pub use crate::findings::plan::{Note, NoteKind, Step, StepKind};
use crate::findings::PlanSummary;
use crate::rules::{Context, Finding};

/// The version of the `--format json` plan document (see `docs/plan.md`).
pub const PLAN_VERSION: u32 = 1;

/// The JSON Schema of `plan --format json` (plan version 1): `akspol schema plan`.
pub const PLAN_SCHEMA: &str = include_str!("../../data/plan.schema.json");

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

    /// What reports show of the plan (`findings::plan`): everything but
    /// the facts the report already has.
    pub fn summary(self) -> PlanSummary {
        PlanSummary {
            target: self.target,
            calendar: self.calendar,
            steps: self.steps,
            blockers: self.blockers,
            uncertainties: self.uncertainties,
        }
    }
}

/// Makes the plan: `findings` are the findings of every rule over `ctx`
/// (`rules::evaluate(ctx, rules::RULES)`), the source of the calendar.
pub fn make(ctx: &Context, findings: &[Finding]) -> Plan {
    // Each product line has its own path: AksHci releases and Kubernetes
    // minors, or Azure Local updates first and the clusters after.
    let path = match ctx.inventory.deployment.product {
        crate::base::product::Product::AksHybrid => path::upgrade_path(ctx),
        crate::base::product::Product::AksArc => arc::upgrade_path(ctx),
    };
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
