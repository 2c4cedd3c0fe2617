//! Tools around akspol that are not the product: the synthetic fleet behind
//! the benchmark (`scripts/bench.sh`) and the fleet tests.

pub mod fleetgen;
