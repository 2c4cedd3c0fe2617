//! Untrusted text must not reach a terminal or a CI log raw: an inventory whose
//! names carry escape sequences, carriage returns, newlines, bidi overrides or
//! `::error::` workflow commands must not be able to repaint the verdict line,
//! reorder what a reader sees, or forge an annotation, in any output format.
//! Also: a panic is answered with exit 2 and a bug-report line, not a backtrace.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

/// Every trick at once, in every text field a report may show.
const HOSTILE: &str = "x\u{1b}[2J\u{1b}[1;1H\rverdict: supported\n::error file=ci.yml::forged\u{202E}kcab\u{2066}\u{9b}31m\u{7f}\u{2028}end";

fn hostile_inventory() -> String {
    serde_json::json!({
        "schemaVersion": 1,
        "deployment": {
            "name": HOSTILE,
            "version": "1.0.5.10901",
            "platform": { "os": "WindowsServer", "version": HOSTILE, "edition": HOSTILE }
        },
        "clusters": [{
            "name": HOSTILE,
            "kubernetesVersion": "1.28.5",
            "nodes": [
                { "name": HOSTILE, "kubeletVersion": "v1.24.0" },
                { "name": format!("{HOSTILE}-2"), "kubeletVersion": "v1.28.5",
                  "labels": { HOSTILE: HOSTILE } }
            ]
        }]
    })
    .to_string()
}

/// Characters that change what a terminal shows beyond printing a glyph.
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c != '\n' && akspol::base::sanitize::is_unsafe(c))
        .collect()
}

fn check(format: &str, inventory: &std::path::Path) -> std::process::Output {
    common::akspol()
        .current_dir(common::repo())
        .env_remove("NO_COLOR")
        .args(["check", "--as-of", "2026-11-23", "--color", "never"])
        .args([
            "--catalog",
            "fixtures/catalogs/test.json",
            "--format",
            format,
        ])
        .arg(inventory)
        .output()
        .unwrap()
}

#[test]
fn hostile_names_never_reach_the_output_raw() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, hostile_inventory()).unwrap();
    for format in [
        "table", "json", "markdown", "github", "sarif", "junit", "html",
    ] {
        let output = check(format, &path);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{format}: {stderr}"
        );
        assert_eq!(
            unsafe_chars(&stdout),
            Vec::<char>::new(),
            "{format}: raw control characters on stdout:\n{stdout}"
        );
        assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{format}");
        // Nothing the inventory wrote starts a line of its own.
        for line in stdout.lines() {
            let line = line.trim_start();
            if format == "github" {
                // Only akspol's own annotations; nothing the inventory wrote.
                assert!(
                    ["::error ", "::warning ", "::notice "]
                        .iter()
                        .any(|p| line.starts_with(p)),
                    "{format}: forged line `{line}`"
                );
            } else {
                assert!(
                    !line.starts_with("::") && !line.starts_with("verdict: supported"),
                    "{format}: forged line `{line}`"
                );
            }
        }
        match format {
            "table" => {
                assert_eq!(
                    stdout
                        .lines()
                        .filter(|l| l.starts_with("verdict: "))
                        .count(),
                    1,
                    "{stdout}"
                );
                assert!(stdout.contains("x\u{FFFD}[2J"), "{stdout}");
            }
            "json" => {
                // The values survive, escaped: JSON readers see the original text.
                let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                let inventory = &report["inventories"][0];
                assert_eq!(inventory["deployment"], HOSTILE);
                assert!(stdout.contains("\\u001b[2J"), "{stdout}");
                assert!(stdout.contains("\\u202e"), "{stdout}");
            }
            "markdown" => assert!(stdout.contains("x\u{FFFD}\\[2J"), "{stdout}"),
            "github" => assert!(!stdout.contains('\u{1b}'), "{stdout}"),
            "sarif" => {
                let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(sarif["version"], "2.1.0");
            }
            "junit" => {
                roxmltree::Document::parse(&stdout).unwrap();
            }
            "html" => assert!(stdout.contains("x\u{FFFD}[2J"), "{stdout}"),
            _ => unreachable!(),
        }
    }
}

#[test]
fn hostile_values_in_error_messages_are_sanitized() {
    let dir = tempfile::tempdir().unwrap();
    // A hostile file name, too: directory expansion picks up whatever is there.
    let path = dir.path().join("inv\u{1b}[2J.json");
    let bad =
        hostile_inventory().replace("\"1.0.5.10901\"", &serde_json::to_string(HOSTILE).unwrap());
    std::fs::write(&path, bad).unwrap();
    for format in ["table", "json"] {
        let output = check(format, dir.path());
        assert_eq!(output.status.code(), Some(2));
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("deployment.version: `x\u{FFFD}[2J"),
            "{stderr}"
        );
        assert!(stderr.contains("inv\u{FFFD}[2J.json"), "{stderr}");
        assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{stderr}");
        assert_eq!(
            stderr.lines().filter(|l| l.starts_with("error: ")).count(),
            stderr.lines().count(),
            "every line of stderr is akspol's own:\n{stderr}"
        );
    }
    // An unreadable file's name is cleaned as well.
    let missing = dir.path().join("gone\u{1b}]0;title\u{7}.json");
    let output = check("table", &missing);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{stderr}");
}

#[test]
fn a_panic_is_exit_2_with_a_bug_report_line_and_no_backtrace() {
    let output = common::akspol()
        .env("AKSPOL_TEST_PANIC", "1")
        .env("RUST_BACKTRACE", "1")
        .arg("rules")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: akspol hit an internal error"),
        "{stderr}"
    );
    assert!(stderr.contains("This is a bug in akspol"), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert_eq!(unsafe_chars(&stderr), Vec::<char>::new(), "{stderr}");
    // The switch is for tests only: not in the help.
    let help = common::akspol().arg("--help").output().unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("AKSPOL_TEST_PANIC"));
}
