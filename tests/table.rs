//! The verdict table at the widths people use, and the reasons for exit
//! status 1 in every format, through the built binary. Every run pins
//! `--as-of`; the width comes from `COLUMNS`, as it does off a terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use serde_json::Value;

const CONTOSO: &str = "fixtures/examples/contoso.json";
const AS_OF: &str = "2026-11-23";

/// Runs `check` on the example; returns (stdout, stderr, exit code).
fn check(env: &[(&str, &str)], args: &[&str]) -> (String, String, i32) {
    let mut cmd = common::akspol();
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd
        .args(["check", CONTOSO, "--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap(),
    )
}

fn at_width(columns: u16, args: &[&str]) -> String {
    let columns = columns.to_string();
    let (stdout, _, code) = check(&[("COLUMNS", &columns)], args);
    assert_eq!(code, 1);
    stdout
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/table");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(format!("{CONTOSO} as of {AS_OF}"));
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// Terminal columns: a wide character takes two.
fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

#[test]
fn the_example_at_80_100_and_140_columns() {
    for width in [80u16, 100, 140] {
        for (suffix, args) in [("", &[][..]), ("-all", &["--show", "all"][..])] {
            let out = at_width(width, args);
            for line in out.lines() {
                assert!(
                    columns(line) <= usize::from(width),
                    "{width}: {} columns: {line}",
                    columns(line)
                );
            }
            snapshot(&format!("contoso-{width}{suffix}"), &out);
        }
    }
}

#[test]
fn the_example_fits_in_40_lines_at_80_columns() {
    let narrow = at_width(80, &[]);
    let wide = at_width(120, &[]);
    // Measured, and held: 377 and 103 lines before the table was reworked,
    // 66 and 48 before info and the support coverage were folded at 80.
    assert!(narrow.lines().count() <= 40, "{}", narrow.lines().count());
    assert!(wide.lines().count() <= 34, "{}", wide.lines().count());
    // Every failing finding is there, with its words whole.
    for needle in [
        "V003 on deployment",
        "V004 on deployment",
        "M002 on node/prod-east/moc-lx9b1",
        "V007 on node/prod-east/moc-lx9b1",
        "F001 on cluster/lab-west",
        "S001 on cluster/lab-west",
        "1.0.25.10226,",
        "~2025-02-26;",
        "2026-11-30",
        "InPlacePodVerticalScaling",
    ] {
        assert!(narrow.contains(needle), "80 columns: {needle}\n{narrow}");
    }
    for needle in [
        "V003 support-window",
        "V004 release-availability",
        "M002 out-of-band-changes",
        "V007 version-skew",
        "F001 alpha-features",
        "S001 stopped-cluster",
        "node/prod-east/moc-lx9b1",
        "InPlacePodVerticalScaling",
    ] {
        assert!(wide.contains(needle), "120 columns: {needle}\n{wide}");
    }
    // Below 100 columns, a block per finding; from 100, a grid.
    assert!(narrow.contains("fail  V003 on deployment: 635 days behind"));
    assert!(wide.contains("fail  V003 support-window        635 days behind"));
}

#[test]
fn info_and_coverage_fold_into_a_line_each_unless_listed() {
    for width in [80, 140] {
        let folded = at_width(width, &[]);
        // An unsupported deployment lists its fails; warn and info are
        // counted with their rules, and the coverage is one line.
        assert!(
            folded.contains(
                "3 warn: V002, F002, C003 (--show all lists every finding) · 2 info: M005, C001"
            ),
            "{folded}"
        );
        assert!(!folded
            .lines()
            .any(|l| l.starts_with("info ") || l.starts_with("warn ")));
        assert!(
            folded
                .contains("support coverage in prod-east, lab-west: 3 best effort, 2 not covered"),
            "{folded}"
        );
        assert!(!folded.contains("scanner-pro"), "{folded}");
    }
    // Asked for, they are rows again, with the coverage in full.
    for args in [&["--show", "all"][..], &["--show", "fail,warn,info"][..]] {
        let listed = at_width(80, args);
        assert!(
            listed
                .lines()
                .any(|l| l.starts_with("info  C001 on cluster/prod-east")),
            "{listed}"
        );
        assert!(
            listed
                .lines()
                .any(|l| l.starts_with("warn  V002 on deployment")),
            "{listed}"
        );
        assert!(
            listed.contains("support coverage (AKS hybrid support coverage"),
            "{listed}"
        );
        assert!(
            listed.contains("scanner-pro 5.2 (third-party closed source)"),
            "{listed}"
        );
        assert!(!listed.contains("2 info:"), "{listed}");
    }
}

#[test]
fn show_lists_what_it_names_and_folds_the_rest() {
    let folded = at_width(140, &[]);
    assert!(folded.contains("11 pass: V001, V006, V008"), "{folded}");
    assert!(
        folded.contains("13 skipped for missing data: nodes (6)"),
        "{folded}"
    );
    assert!(!folded.lines().any(|l| l.starts_with("pass ")));
    let all = at_width(140, &["--show", "all"]);
    assert!(all.lines().any(|l| l.starts_with("pass ")), "{all}");
    assert!(all.lines().any(|l| l.starts_with("skip ")), "{all}");
    assert!(!all.contains("--show all lists"));
    let fails = at_width(140, &["--show", "fail"]);
    assert!(fails.contains("3 warn: V002, F002, C003"), "{fails}");
    assert!(!fails.lines().any(|l| l.starts_with("warn ")));
    // V002-V004 say the days-behind fact once.
    assert_eq!(
        all.matches("635 days behind: the first newer release")
            .count(),
        1
    );
    // A deadline says what happens that day.
    assert!(all.contains("deadline 2026-11-30 (in 7 days): stopped more than 60 days"));
    // The next step.
    assert!(all.contains("next: akspol plan fixtures/examples/contoso.json · akspol explain V003"));
    let (_, stderr, code) = check(&[], &["--show", "fails"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`fails` is not a status"), "{stderr}");
}

#[test]
fn colour_follows_no_color_force_color_and_clicolor_force() {
    let (plain, _, _) = check(&[], &[]);
    assert!(!plain.contains('\u{1b}'));
    for force in [("FORCE_COLOR", "1"), ("CLICOLOR_FORCE", "1")] {
        let (forced, _, _) = check(&[force], &[]);
        assert!(forced.contains("\u{1b}[1;31mfail"), "{}", force.0);
        let (off, _, _) = check(&[force, ("NO_COLOR", "1")], &[]);
        assert!(!off.contains('\u{1b}'), "NO_COLOR wins over {}", force.0);
    }
    let (zero, _, _) = check(&[("FORCE_COLOR", "0")], &[]);
    assert!(!zero.contains('\u{1b}'));
}

// ---------------------------------------------------------------------------
// Why exit 1, for each cause, in every format.

/// The causes: a status at or above --fail-on (fail, then warn), and a
/// deadline within --fail-within.
const CAUSES: [(&str, &[&str], &str); 3] = [
    (
        "fail-on fail",
        &["--select", "V003"],
        "V003 support-window fails on deployment (--fail-on fail)",
    ),
    (
        "fail-on warn",
        &["--select", "V002", "--fail-on", "warn"],
        "V002 recommended-window warns on deployment (--fail-on warn)",
    ),
    (
        "fail-within",
        &["--select", "V008", "--fail-within", "40"],
        "V008 host-platform deadline ~2026-12-02 is within 40 days (in 9 days), on deployment (--fail-within 40)",
    ),
];

#[test]
fn every_exit_1_says_why_on_standard_error_and_in_the_table() {
    for (name, args, reason) in CAUSES {
        let (stdout, stderr, code) = check(&[], args);
        assert_eq!(code, 1, "{name}");
        assert_eq!(stderr, format!("exit 1: {reason}\n"), "{name}");
        let last = stdout.lines().last().unwrap();
        assert!(last.starts_with("exit 1: "), "{name}: {stdout}");
        let said = match name {
            "fail-within" => reason.to_string(),
            _ => format!("1 finding at or above --{}", &name),
        };
        assert!(
            stdout.replace('\n', " ").contains(&said),
            "{name}: {said}\n{stdout}"
        );
    }
    // Passing: no reason anywhere.
    let (stdout, stderr, code) = check(&[], &["--select", "V001"]);
    assert_eq!(code, 0);
    assert!(stderr.is_empty() && !stdout.contains("exit 1"));
}

#[test]
fn every_exit_1_says_why_in_github_annotations() {
    for (name, args, reason) in CAUSES {
        let (stdout, _, code) = check(&[], &[args, &["--format", "github"]].concat());
        assert_eq!(code, 1, "{name}");
        let why = stdout
            .lines()
            .find(|l| l.starts_with("::error title=akspol%3A exit 1::"))
            .unwrap_or_else(|| panic!("{name}: no reason annotation\n{stdout}"));
        assert!(why.ends_with(reason), "{name}: {why}");
        let notice = stdout.lines().next().unwrap();
        assert!(notice.starts_with("::notice title=akspol%3A "), "{notice}");
        // The finding itself is an error annotation on its line.
        let code_of = args[1];
        assert!(
            stdout.lines().any(|l| l.starts_with("::error file=")
                && l.contains(&format!("title={code_of} "))),
            "{name}\n{stdout}"
        );
    }
}

#[test]
fn every_exit_1_says_why_in_junit() {
    for (name, args, _) in CAUSES {
        let (stdout, _, code) = check(&[], &[args, &["--format", "junit"]].concat());
        assert_eq!(code, 1, "{name}");
        let doc = roxmltree::Document::parse(&stdout).unwrap();
        let failures: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), 1, "{name}\n{stdout}");
        let kind = if name == "fail-within" {
            "fail-within"
        } else {
            "fail-on"
        };
        assert_eq!(failures[0].attribute("type"), Some(kind), "{name}");
        assert!(failures[0]
            .attribute("message")
            .unwrap()
            .contains("--fail-"));
        let suites = doc.root_element();
        assert_eq!(suites.attribute("failures"), Some("1"), "{name}");
    }
}

#[test]
fn sarif_levels_follow_the_gate() {
    for (name, args, _) in CAUSES {
        let (stdout, _, code) = check(&[], &[args, &["--format", "sarif"]].concat());
        assert_eq!(code, 1, "{name}");
        let sarif: Value = serde_json::from_str(&stdout).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{name}");
        assert_eq!(results[0]["level"], "error", "{name}");
        assert_eq!(results[0]["properties"]["failsGate"], true);
        assert_eq!(sarif["runs"][0]["properties"]["failsGate"], true);
    }
    // Below the threshold a fail is a warning, and the run passes.
    let (stdout, _, code) = check(
        &[],
        &[
            "--select",
            "V003",
            "--fail-on",
            "never",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(code, 0);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "warning");
}

#[test]
fn github_writes_the_step_summary_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let path = summary.to_str().unwrap();
    let (_, _, code) = check(&[("GITHUB_STEP_SUMMARY", path)], &["--format", "github"]);
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n### akspol: unsupported"),
        "{text}"
    );
    assert!(text.contains("| contoso-edge-042 |"), "{text}");
    assert!(text.contains("**Why `akspol check` exits 1:**"), "{text}");
    assert!(text.contains("- V003 support-window fails on deployment (--fail-on fail)"));
    // What the verdict rests on: the edition, and how old the catalog is.
    assert!(
        text.contains("- Policy: [Support policies for AKS hybrid (2022)](https://learn.microsoft.com/azure/aks/hybrid/support-policies) (`h22`)\n"),
        "{text}"
    );
    assert!(
        text.contains("- Catalog embedded: AKS hybrid releases known through \\~2025-10-08, 411 days before the as-of date"),
        "{text}"
    );
}

#[test]
fn github_annotates_inventory_and_waiver_errors_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"schemaVersion\": 1,\n \"deployment\": {\"name\": \"d\", \"version\": \"1.0.24.11029\", \"platfrom\": {}}}\n",
    )
    .unwrap();
    let output = common::akspol()
        .args(["check", "--as-of", AS_OF, "--format", "github"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout.lines().next().unwrap();
    assert!(line.starts_with("::error file="), "{line}");
    assert!(line.contains(",line=2,col="), "{line}");
    assert!(line.contains("did you mean `platform`"), "{line}");

    let waivers = dir.path().join("waivers.json");
    std::fs::write(&waivers, "[{\"rule\": \"V003\"}]").unwrap();
    let (stdout, _, code) = check(
        &[],
        &["--format", "github", "--waivers", waivers.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert!(stdout.starts_with("::error file="), "{stdout}");
    assert!(stdout.contains(",line=1,col="), "{stdout}");
}

// ---------------------------------------------------------------------------
// Man pages, completions.

#[test]
fn man_pages_for_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let output = common::akspol()
        .args(["manpage", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    fn names(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{prefix}-{}", sub.get_name());
            out.push(name.clone());
            names(sub, &name, out);
        }
    }
    let mut pages = vec!["akspol".to_string()];
    names(
        &<akspol::cli::Cli as clap::CommandFactory>::command(),
        "akspol",
        &mut pages,
    );
    assert!(pages.contains(&"akspol-catalog-show".to_string()));
    for page in pages {
        let text = std::fs::read_to_string(dir.path().join(format!("{page}.1")))
            .unwrap_or_else(|_| panic!("no page {page}.1"));
        assert!(
            text.starts_with(".ie \\n(.g .ds Aq") || text.contains(".TH"),
            "{page}"
        );
        assert!(text.contains(".SH \"EXIT STATUS\""), "{page}");
        assert!(text.contains(".SH OPTIONS"), "{page}");
    }
    let check = std::fs::read_to_string(dir.path().join("akspol-check.1")).unwrap();
    assert!(check.contains(".SH EXAMPLES"));
    assert!(check.contains("\\-\\-fail\\-within"), "options are listed");
}

#[test]
fn completions_offer_rule_codes() {
    let output = common::akspol()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let script = String::from_utf8(output.stdout).unwrap();
    for code in ["V001", "S003", "C003"] {
        assert!(script.contains(code), "{code}");
    }
    // A prefix is still accepted, and the help does not list every code.
    let (_, _, code) = check(&[], &["--select", "V00"]);
    assert_eq!(code, 1);
    let help = common::akspol().args(["check", "--help"]).output().unwrap();
    assert!(!String::from_utf8(help.stdout)
        .unwrap()
        .contains("V001, V002"));
}
