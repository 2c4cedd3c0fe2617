//! akspol: checks AKS hybrid deployments against Microsoft's support policy.
//!
//! Data flows one way: parse ([`inventory`]) -> evaluate ([`rules`], pure, with
//! the as-of date as an input) -> findings -> render ([`report`]).

pub mod app;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod coverage;
pub mod dates;
pub mod fleet;
pub mod fleetgen;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod inventory;
pub mod plan;
pub mod policy;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod sources;
pub mod strict;
pub mod version;
pub mod waivers;

/// The inventory JSON Schema that `akspol schema` prints.
pub const INVENTORY_SCHEMA: &str = include_str!("../data/inventory.schema.json");
