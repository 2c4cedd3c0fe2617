//! The bad-input corpus (`tests/bad/`): hostile and broken inventories,
//! catalogs, policies and waiver files, each run through the built binary.
//!
//! A case is `tests/bad/<kind>/NAME.json` (or `.bin` for bytes that are not
//! UTF-8 text, or `.gen` for inputs too large to commit: a one-line recipe that
//! [`generate`] turns into the file) with a sidecar `NAME.expect`:
//!
//! ```text
//! 2                                   first line: the exit status
//! args: --max-input-bytes 64          optional: extra arguments for `check`
//! # a comment
//! deployment.version: duplicate field  every other line: a fragment that must appear
//! ```
//!
//! For exit status 2 the fragments must appear on standard error and standard
//! output must be empty (no partial verdict); for 0 and 1 (valid input) they must
//! appear in the report on standard output. Whatever the case, neither stream
//! may carry a raw control character: an input must not be able to repaint the
//! terminal or forge a CI workflow command through an error message.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

const AS_OF: &str = "2026-11-23";
/// Any case taking longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(120);

struct Case {
    kind: String,
    name: String,
    input: PathBuf,
    status: i32,
    args: Vec<String>,
    fragments: Vec<String>,
}

fn cases(kind: &str) -> Vec<Case> {
    let dir = common::repo().join("tests/bad").join(kind);
    let mut expects: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "expect"))
        .collect();
    expects.sort();
    expects
        .into_iter()
        .map(|expect| {
            let input = ["json", "bin", "gen"]
                .iter()
                .map(|ext| expect.with_extension(ext))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("{}: no input beside it", expect.display()));
            let text = std::fs::read_to_string(&expect).unwrap();
            let mut lines = text.lines().filter(|l| !l.starts_with('#'));
            let status = lines
                .next()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or_else(|| panic!("{}: first line is the exit status", expect.display()));
            let mut args = Vec::new();
            let mut fragments = Vec::new();
            for line in lines.filter(|l| !l.trim().is_empty()) {
                match line.strip_prefix("args:") {
                    Some(rest) => args.extend(rest.split_whitespace().map(str::to_string)),
                    None => fragments.push(line.to_string()),
                }
            }
            assert!(
                !fragments.is_empty(),
                "{}: name at least one message fragment",
                expect.display()
            );
            Case {
                kind: kind.to_string(),
                name: expect.file_stem().unwrap().to_string_lossy().into_owned(),
                input,
                status,
                args,
                fragments,
            }
        })
        .collect()
}

/// Turns a `.gen` recipe into the file it describes, in `dir`.
fn generate(recipe_path: &Path, dir: &Path) -> PathBuf {
    let recipe = std::fs::read_to_string(recipe_path).unwrap();
    let words: Vec<&str> = recipe.split_whitespace().collect();
    let (what, n) = match words.as_slice() {
        [what, n] => (*what, n.parse::<usize>().unwrap()),
        _ => panic!("{}: expected `RECIPE COUNT`", recipe_path.display()),
    };
    let nested = || format!("{}{}", "[".repeat(n), "]".repeat(n));
    let inventory = |deployment_name: &str, clusters: &str| {
        format!(
            "{{\"schemaVersion\": 1, \"deployment\": {{\"name\": \"{deployment_name}\", \"version\": \"1.0.5.10901\"}}, \"clusters\": {clusters}}}"
        )
    };
    let one_node = |node: &str| {
        format!("[{{\"name\": \"c\", \"kubernetesVersion\": \"1.29.2\", \"nodes\": [{node}]}}]")
    };
    let text = match what {
        "nest" => nested(),
        "nest-unknown-field" => format!(
            "{{\"schemaVersion\": 1, \"deployment\": {{\"name\": \"d\", \"version\": \"1.0.5.10901\"}}, \"x\": {}}}",
            nested()
        ),
        "nest-node-list" => inventory(
            "d",
            &format!(
                "[{{\"name\": \"c\", \"kubernetesVersion\": \"1.29.2\", \"nodeList\": {{\"kind\": \"List\", \"items\": [{}]}}}}]",
                nested()
            ),
        ),
        "label-value" => inventory(
            "d",
            &one_node(&format!(
                "{{\"name\": \"n\", \"labels\": {{\"big\": \"{}\"}}}}",
                "x".repeat(n)
            )),
        ),
        "labels" => {
            let labels: Vec<String> = (0..n).map(|i| format!("\"label-{i}\": \"v{i}\"")).collect();
            inventory(
                "d",
                &one_node(&format!(
                    "{{\"name\": \"n\", \"labels\": {{{}}}}}",
                    labels.join(", ")
                )),
            )
        }
        "name" => inventory(&"n".repeat(n), "[]"),
        "clusters" => {
            let clusters: Vec<String> = (0..n)
                .map(|i| format!("{{\"name\": \"c{i}\", \"kubernetesVersion\": \"1.29.2\"}}"))
                .collect();
            inventory("d", &format!("[{}]", clusters.join(", ")))
        }
        // A catalog of N releases a week apart, from 2020-01-06.
        "releases" => {
            let start = akspol::base::dates::parse_day("2020-01-06").unwrap();
            let releases: Vec<String> = (0..n)
                .map(|i| {
                    let day = akspol::base::dates::add_days(start, i as i64 * 7 % 29_000);
                    format!("{{\"version\": \"1.{}.{}.10101\", \"released\": \"{day}\"}}", i / 1000, i % 1000)
                })
                .collect();
            format!(
                "{{\"catalogVersion\": 1, \"generated\": \"2100-01-01\", \"releases\": [{}]}}",
                releases.join(", ")
            )
        }
        other => panic!("{}: unknown recipe `{other}`", recipe_path.display()),
    };
    let path = dir.join(recipe_path.with_extension("json").file_name().unwrap());
    std::fs::write(&path, text).unwrap();
    path
}

/// `check` for a case of `kind`: the file under test in the place its kind goes.
fn command(case: &Case, input: &Path) -> Command {
    let mut cmd = common::akspol();
    cmd.current_dir(common::repo())
        .timeout(TIMEOUT)
        .env_remove("NO_COLOR")
        .args(["check", "--as-of", AS_OF, "--color", "never"])
        .args(&case.args);
    let example = "fixtures/examples/contoso.json";
    match case.kind.as_str() {
        "inventory" => cmd.arg(input),
        "catalog" => cmd.arg("--catalog").arg(input).arg(example),
        "policy" => cmd.arg("--policy").arg(input).arg(example),
        "waivers" => cmd.arg("--waivers").arg(input).arg(example),
        other => panic!("unknown kind {other}"),
    };
    cmd
}

/// A control character other than a line feed, or a bidi override.
fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

fn run_kind(kind: &str) -> usize {
    let temp = tempfile::tempdir().unwrap();
    let cases = cases(kind);
    let mut failures = Vec::new();
    for case in &cases {
        let input = if case.input.extension().is_some_and(|e| e == "gen") {
            generate(&case.input, temp.path())
        } else {
            case.input.clone()
        };
        let output = command(case, &input).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut why = Vec::new();
        if output.status.code() != Some(case.status) {
            why.push(format!(
                "exit status {:?}, expected {}",
                output.status.code(),
                case.status
            ));
        }
        let searched = if case.status == 2 {
            if !stdout.is_empty() {
                why.push("standard output is not empty".to_string());
            }
            &stderr
        } else {
            &stdout
        };
        for fragment in &case.fragments {
            if !searched.contains(fragment.as_str()) {
                why.push(format!("missing `{fragment}`"));
            }
        }
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            if let Some(c) = raw_control(text) {
                why.push(format!("raw control character {c:?} on {stream}"));
            }
        }
        if stderr.contains("panicked") || stderr.contains("internal error") {
            why.push("panicked".to_string());
        }
        if !why.is_empty() {
            let shown: String = stderr.chars().take(2000).collect();
            failures.push(format!(
                "{kind}/{}: {}\n--- stderr:\n{shown}",
                case.name,
                why.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {kind} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    cases.len()
}

#[test]
fn bad_inventories() {
    let n = run_kind("inventory");
    assert!(
        n >= 50,
        "the inventory corpus has {n} cases; keep at least 50"
    );
}

#[test]
fn bad_catalogs() {
    run_kind("catalog");
}

#[test]
fn bad_policies() {
    run_kind("policy");
}

#[test]
fn bad_waivers() {
    run_kind("waivers");
}

/// `--max-input-bytes` holds for standard input too, where there is no file
/// size to look at first: akspol stops reading one byte past the limit.
#[test]
fn standard_input_over_the_limit() {
    let big = format!("{{\"schemaVersion\": 1, \"x\": \"{}\"}}", "a".repeat(4096));
    let output = common::akspol()
        .args(["check", "--as-of", AS_OF, "--max-input-bytes", "1000", "-"])
        .write_stdin(big)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("larger than the 1000-byte limit (raise it with --max-input-bytes)"),
        "{stderr}"
    );
}

/// Issue 12, item 8: every file akspol reads has a cap, the message names
/// the flag that sets it (or says it is fixed), and nothing endless hangs.
#[test]
fn endless_inputs_are_bounded_and_name_their_limit() {
    let zero = "/dev/zero";
    if !Path::new(zero).exists() {
        return;
    }
    let example = "fixtures/examples/contoso.json";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--catalog", zero, example],
            "larger than the 16777216-byte limit for a catalog file (a fixed limit)",
        ),
        (
            vec!["--policy", zero, example],
            "larger than the 1048576-byte limit for a policy file (a fixed limit)",
        ),
        (
            vec!["--waivers", zero, "--max-input-bytes", "4096", example],
            "larger than the 4096-byte limit (raise it with --max-input-bytes)",
        ),
        (
            vec!["--ndjson", zero, "--max-input-bytes", "4096"],
            "the rest of the stream is not read",
        ),
        (
            vec!["--ndjson", example],
            "line 1 is not a whole JSON document: this looks like one pretty-printed JSON document",
        ),
    ];
    for (args, expected) in cases {
        let output = common::akspol()
            .args(["check", "--as-of", AS_OF])
            .args(&args)
            .timeout(TIMEOUT)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().count(),
            1,
            "{args:?}: one sentence, not one per line: {stderr}"
        );
    }
}
