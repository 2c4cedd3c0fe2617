//! Tools around akspol that are not the product: the synthetic fleet behind
//! the benchmark (`scripts/bench.sh`) and the fleet tests (also as Azure
//! Resource Graph answers it), and the hostile
//! inputs that the benchmark times and `tests/hostile.rs` guards.

pub mod fleetgen;
pub mod hostile;
pub mod resource_graph;
