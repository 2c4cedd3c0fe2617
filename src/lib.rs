//! akspol: checks AKS hybrid deployments against Microsoft's support policy.
//!
//! Data flows one way: parse ([`inventory`]) -> evaluate ([`rules`], pure, with
//! the as-of date as an input) -> findings -> render ([`report`]).

pub mod base;
pub mod catalog;
pub mod cli;
pub mod collect;
pub mod findings;
pub mod input;
pub mod inventory;
pub mod judge;
pub mod plan;
pub mod policy;
pub mod report;
pub mod rules;

/// The inventory JSON Schema that `akspol schema` prints.
pub const INVENTORY_SCHEMA: &str = include_str!("../data/inventory.schema.json");
