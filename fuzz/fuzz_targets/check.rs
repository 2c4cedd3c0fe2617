//! Any bytes as an inventory, a catalog, a policy and a waiver file (or all
//! four joined by 0xFF bytes): decode, parse, evaluate at several as-of
//! dates, apply waivers, render every format. A panic or a broken invariant
//! (`harness::Harness::run` returning `Err`) is a crash.
//!
//! cargo fuzz run check fuzz/corpus/check fuzz/seeds fixtures tests/bad -- -max_total_time=600
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

static HARNESS: OnceLock<harness::Harness> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let harness = HARNESS.get_or_init(|| {
        harness::Harness::new().expect("the embedded catalog and policy are valid")
    });
    if let Err(broken) = harness.run(data) {
        panic!("invariant broken: {broken}");
    }
});
