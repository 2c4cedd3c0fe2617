//! The fuzz target's cheap stand-in for CI: the same harness as
//! `fuzz/fuzz_targets/check.rs`, replayed over every fixture and corpus file
//! (each also tried as a catalog, a policy and a waiver file) and the
//! multi-file seeds of `fuzz/seeds/`, and over deterministic mutations of
//! them (truncations, byte flips, spliced tokens, part separators), plus
//! whatever `fuzz/corpus/check` and `fuzz/artifacts/check` hold
//! locally, replayed unmutated (crashes found by a real fuzzing run become regression tests by
//! being copied into `tests/bad/`). Deterministic: a fixed-seed generator, no clock.
//! `FUZZ_REPLAY_MUTATIONS` raises the number of mutations per file (default 48).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;
#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

use harness::Harness;

fn seeds() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "fixtures",
        "tests/bad",
        "fuzz/seeds",
        "fuzz/corpus/check",
        "fuzz/artifacts/check",
    ] {
        walk(&common::repo().join(dir), &mut files);
    }
    files.retain(|p| p.extension().is_none_or(|e| e == "json" || e == "bin"));
    files.sort();
    files
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// xorshift64*: a fixed sequence, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that, spliced anywhere, make JSON and akspol's formats interesting.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "null",
    "true",
    "-1",
    "1e400",
    "NaN",
    "0",
    "\"2026-02-30\"",
    "\"1.0.24.11029\"",
    "\"v1.28.5\"",
    "\"Stopped\"",
    "\"name\"",
    "\u{1b}[2J",
    "\u{202E}",
    "\"\\u0000\"",
    "\u{FEFF}",
    "18446744073709551616",
    "\"0001-01-01\"",
    "\"9999-12-31\"",
    "\"1.0.3\"",
    "\"cluster/a%2Fb\"",
    "\u{200B}",
    "@octocat",
    "https://evil.example/",
];

fn mutate(data: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = data.to_vec();
    for _ in 0..=rng.below(3) {
        match rng.below(5) {
            0 => out.truncate(rng.below(out.len() + 1)),
            1 if !out.is_empty() => {
                let at = rng.below(out.len());
                out[at] = rng.next() as u8;
            }
            2 if !out.is_empty() => {
                let at = rng.below(out.len());
                let len = rng.below(16).min(out.len() - at);
                out.drain(at..at + len);
            }
            3 if !out.is_empty() => {
                // Duplicate a slice: repeated keys, repeated objects.
                let at = rng.below(out.len());
                let len = rng.below(64).min(out.len() - at);
                let copy = out[at..at + len].to_vec();
                let to = rng.below(out.len());
                out.splice(to..to, copy);
            }
            4 if rng.below(8) == 0 => {
                // A part separator: the rest becomes a catalog, policy or waivers.
                let to = rng.below(out.len() + 1);
                out.insert(to, harness::SEPARATOR);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, token.iter().copied());
            }
        }
    }
    out
}

#[test]
fn the_fuzz_harness_holds_on_the_corpus_and_its_mutations() {
    let mutations: usize = std::env::var("FUZZ_REPLAY_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    let harness = Harness::new().unwrap();
    let seeds = seeds();
    assert!(seeds.len() > 100, "{} seed files", seeds.len());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut runs = 0usize;
    for seed in &seeds {
        let data = std::fs::read(seed).unwrap();
        if data.len() > 256 * 1024 {
            continue;
        }
        let name = common::relative(seed);
        harness
            .run(&data)
            .unwrap_or_else(|broken| panic!("{name}: {broken}"));
        // A local fuzzing corpus is large and already explored: replay it as is.
        let mutations = if name.starts_with("fuzz/") {
            0
        } else {
            mutations
        };
        for i in 0..mutations {
            let mutated = mutate(&data, &mut rng);
            let outcome = std::panic::catch_unwind(|| harness.run(&mutated));
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(broken)) => panic!(
                    "{name}, mutation {i}: {broken}\ninput: {:?}",
                    String::from_utf8_lossy(&mutated)
                ),
                Err(_) => panic!(
                    "{name}, mutation {i} panicked; input: {:?}",
                    String::from_utf8_lossy(&mutated)
                ),
            }
            runs += 1;
        }
    }
    assert!(runs > 1000, "{runs} runs");
}
