//! Judging a fleet: waivers, support coverage and the fleet summary.

pub mod coverage;
pub mod summary;
pub mod waivers;
