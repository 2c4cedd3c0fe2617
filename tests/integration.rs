//! The integration tests: one test binary, one module per file, sharing the
//! command builder and fixture expectations of `common`.
//!
//! Run one file's tests with `cargo test --test integration fleet::`. A new
//! test file needs its `mod` line here (`tests/architecture.rs` checks that
//! every file under `tests/` is declared).

mod common;

mod architecture;
mod bad_inputs;
mod baseline;
mod boundaries;
mod browser;
mod catalog_build;
mod catalog_update;
mod cli;
mod collect;
mod fixtures;
mod fleet;
mod fuzz_replay;
mod growth;
mod hostile;
mod html;
mod node_os;
mod outputs;
mod plan;
mod properties;
mod reports;
mod resource_graph;
mod rules_meta;
mod schema;
mod table;
mod terminal_safety;
mod width;
