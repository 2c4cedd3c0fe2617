//! Every text output fits the terminal: `check`, `plan`, `catalog show`,
//! `rules` and `explain` at 80, 100 and 140 columns (from `COLUMNS`, as off a
//! terminal), through the built binary. No line is wider than the width but
//! one made of a single unbreakable token longer than a line (a URL); words,
//! versions and dates are never split. `check`'s table has its snapshots in
//! tests/table.rs; the others have theirs here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use unicode_width::UnicodeWidthStr;

const AS_OF: &str = "2026-11-23";
const WIDTHS: [usize; 3] = [80, 100, 140];

/// Each command's name for its snapshots, and its arguments.
const COMMANDS: &[(&str, &[&str])] = &[
    (
        "check-contoso",
        &["check", "fixtures/examples/contoso.json", "--as-of", AS_OF],
    ),
    (
        "check-azure-local",
        &[
            "check",
            "fixtures/examples/azure-local.json",
            "--as-of",
            AS_OF,
        ],
    ),
    (
        "plan-contoso",
        &["plan", "fixtures/examples/contoso.json", "--as-of", AS_OF],
    ),
    (
        "plan-azure-local",
        &[
            "plan",
            "fixtures/examples/azure-local.json",
            "--as-of",
            AS_OF,
        ],
    ),
    ("catalog-show", &["catalog", "show", "--offline"]),
    (
        "catalog-show-aks-arc",
        &["catalog", "show", "--offline", "--product", "aks-arc"],
    ),
    ("rules", &["rules"]),
    ("explain-v003", &["explain", "V003"]),
    ("explain-s001", &["explain", "S001"]),
];

/// Standard output of `args` at `width` columns; any exit status but 2.
fn run(args: &[&str], width: usize) -> String {
    let output = common::akspol()
        .env("COLUMNS", width.to_string())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(2), "{args:?}: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// The lines of `text` wider than `width` columns that are more than one
/// token after their indent.
fn too_wide(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|line| line.width() > width)
        .filter(|line| line.trim_start().contains(' '))
        .map(|line| format!("{} columns: {line}", line.width()))
        .collect()
}

#[test]
fn no_line_is_wider_than_the_terminal() {
    for (name, args) in COMMANDS {
        for width in WIDTHS {
            let out = run(args, width);
            assert!(!out.is_empty(), "{name} at {width}");
            let wide = too_wide(&out, width);
            assert!(wide.is_empty(), "{name} at {width}:\n{}", wide.join("\n"));
        }
    }
}

#[test]
fn the_width_check_catches_a_long_line_but_not_a_long_url() {
    let url = format!("  <https://learn.microsoft.com/{}>", "a".repeat(80));
    assert!(too_wide(&url, 80).is_empty());
    assert_eq!(too_wide(&format!("{} b", "a".repeat(80)), 80).len(), 1);
    // Display width, not bytes or characters: 日本 takes 4 columns.
    assert_eq!(too_wide(&format!("{} b", "日本".repeat(20)), 80).len(), 1);
}

#[test]
fn plan_catalog_rules_and_explain_at_80_100_and_140_columns() {
    for (name, args) in COMMANDS.iter().filter(|(n, _)| !n.starts_with("check")) {
        for width in WIDTHS {
            let out = run(args, width);
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("snapshots/width");
            settings.set_prepend_module_to_snapshot(false);
            settings.set_description(format!("akspol {} at {width} columns", args.join(" ")));
            settings.bind(|| insta::assert_snapshot!(format!("{name}-{width}"), out));
        }
    }
}

#[test]
fn words_and_values_stay_whole() {
    // `plan` used to cut `Window|s2019` and `2026-0|4-30` at a column edge.
    let plan = run(COMMANDS[2].1, 80);
    for needle in [
        "WindowsServer 2022",
        "2026-11-30",
        "1.0.24.11029",
        "1.2.0.11008",
    ] {
        assert!(plan.contains(needle), "{needle}\n{plan}");
    }
    // Its blockers wrap under a hanging indent.
    assert!(
        plan.contains("- [release-unavailable] 635 days behind"),
        "{plan}"
    );
    // `catalog show` below its grid's width: one block per release, and
    // nothing like the 644 lines with a one-character column it was.
    let catalog = run(COMMANDS[4].1, 80);
    assert!(catalog.lines().count() < 120, "{}", catalog.lines().count());
    assert!(catalog.contains("1.0.24.11029 · November 2024 · released ~2024-10-29"));
    let wide = run(COMMANDS[4].1, 140);
    assert!(
        wide.lines().any(|l| l.starts_with("1.0.24.11029  ")),
        "{wide}"
    );
}
