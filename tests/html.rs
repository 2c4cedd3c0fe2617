//! `--format html`: the page for the bundled example and for a generated
//! fleet parses without a single error as HTML (html5ever, the parser of
//! Servo, reporting every parse error) and as XML (roxmltree), holds the
//! tiles, the timeline marks and the findings, links only within itself,
//! loads nothing, and renders hostile inventory names as text. The browser
//! tests (`tests/browser.rs`) open the same pages in Chromium.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use html5ever::tendril::TendrilSink;

const CONTOSO: &str = "fixtures/examples/contoso.json";
const AS_OF: &str = "2026-11-23";

/// Runs `check --format html` and returns the page and the exit status.
fn html_of(inputs: &[&Path], extra: &[&str]) -> (String, i32) {
    let as_of = if extra.contains(&"--as-of") {
        &[][..]
    } else {
        &["--as-of", AS_OF][..]
    };
    let output = common::akspol()
        .args(["check", "--format", "html"])
        .args(as_of)
        .args(extra)
        .args(inputs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code().unwrap();
    assert!(matches!(code, 0 | 1), "exit {code}: {stderr}");
    (String::from_utf8(output.stdout).unwrap(), code)
}

/// Every parse error html5ever reports (with exact messages), and whether
/// the document is in no-quirks mode (a proper doctype).
fn html_errors(page: &str) -> Vec<String> {
    let opts = html5ever::ParseOpts {
        tokenizer: html5ever::tokenizer::TokenizerOpts {
            exact_errors: true,
            ..Default::default()
        },
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
    };
    let dom = html5ever::parse_document(markup5ever_rcdom::RcDom::default(), opts).one(page);
    let mut errors: Vec<String> = dom.errors.borrow().iter().map(|e| e.to_string()).collect();
    if dom.quirks_mode.get() != html5ever::tree_builder::QuirksMode::NoQuirks {
        errors.push(format!("quirks mode {:?}", dom.quirks_mode.get()));
    }
    errors
}

/// The checks every page passes: no HTML parse error, well-formed XML,
/// every `#id` link resolves, ids are unique, nothing is loaded.
fn assert_sound(page: &str) -> roxmltree::Document<'_> {
    let errors = html_errors(page);
    assert!(errors.is_empty(), "HTML parse errors: {errors:#?}");
    let doc = roxmltree::Document::parse_with_options(
        page,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    let mut ids = BTreeSet::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute("id") {
            assert!(ids.insert(id.to_string()), "duplicate id {id}");
        }
        // Nothing that loads: no src, no stylesheet or preload links, no
        // inline event handlers.
        assert!(node.attribute("src").is_none(), "{node:?} loads something");
        assert_ne!(node.tag_name().name(), "link", "a <link> element");
        assert_ne!(node.tag_name().name(), "iframe");
        for attribute in node.attributes() {
            assert!(
                !attribute.name().starts_with("on"),
                "event handler {}",
                attribute.name()
            );
        }
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(href) = node.attribute("href") {
            match href.strip_prefix('#') {
                Some(target) => assert!(ids.contains(target), "link to missing #{target}"),
                None => assert!(
                    href.starts_with("https://learn.microsoft.com/"),
                    "a link out of the page other than the policy: {href}"
                ),
            }
        }
    }
    let scripts = doc
        .descendants()
        .filter(|n| n.has_tag_name("script"))
        .count();
    assert_eq!(scripts, 1, "exactly the one inline script");
    let csp = doc
        .descendants()
        .find(|n| n.attribute("http-equiv") == Some("Content-Security-Policy"))
        .and_then(|n| n.attribute("content"))
        .expect("a Content-Security-Policy");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    doc
}

fn with_class<'a>(
    doc: &'a roxmltree::Document,
    tag: &str,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.tag_name().name() == tag
                && n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == class))
        })
        .collect()
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

#[test]
fn contoso_page_is_sound_and_holds_tiles_timeline_and_findings() {
    let (page, code) = html_of(&[Path::new(CONTOSO)], &[]);
    assert_eq!(code, 1);
    let doc = assert_sound(&page);
    // Tiles: one per verdict, and the deployments falling out within the horizon.
    let tiles = with_class(&doc, "li", "tile");
    let tile_text: Vec<String> = tiles.iter().map(|t| text_of(*t)).collect();
    assert_eq!(
        tile_text,
        [
            "1 unsupported",
            "0 at risk",
            "0 supported",
            "0 fall out of support within 180 days"
        ]
    );
    // The timeline: S001's two stages and V008's warning and end, each a
    // link to its finding (V008 passes, so its finding is folded: the
    // deployment section is the target).
    let marks = with_class(&doc, "a", "mark");
    let dates: Vec<&str> = marks
        .iter()
        .map(|m| m.attribute("data-date").unwrap())
        .collect();
    // V008's dates are the earliest days of AKS hybrid's retirement from
    // WindowsServer 2022 in March 2027 (some day of the month).
    assert_eq!(
        dates,
        ["2026-11-30", "2026-12-02", "2026-12-30", "2027-03-02"]
    );
    assert!(marks
        .iter()
        .all(|m| m.attribute("href").unwrap().starts_with("#d1")));
    // Findings worst first, each with the rule's explanation folded under it.
    let findings = with_class(&doc, "details", "finding");
    assert_eq!(findings.len(), 12, "the rows the table lists too");
    let first = text_of(findings[0]).trim_start().to_string();
    assert!(first.starts_with("fail V003 support-window"), "{first}");
    assert!(first.contains("What it checks"), "{first}");
    let statuses: Vec<&str> = findings
        .iter()
        .map(|f| {
            f.attribute("class")
                .unwrap()
                .trim_start_matches("finding f-")
        })
        .collect();
    let mut sorted = statuses.clone();
    let rank = |s: &&str| {
        ["fail", "unknown", "warn", "info"]
            .iter()
            .position(|x| x == s)
    };
    sorted.sort_by_key(rank);
    assert_eq!(statuses, sorted, "worst first");
    // The plan's steps.
    let steps = with_class(&doc, "ol", "steps");
    assert_eq!(steps.len(), 1);
    assert!(
        text_of(steps[0]).trim_start().starts_with("redeploy"),
        "{}",
        text_of(steps[0])
    );
    // Support coverage, per cluster, as the Markdown report has it.
    let coverage = with_class(&doc, "ul", "coverage");
    assert_eq!(coverage.len(), 2, "one list per cluster");
    let prod = text_of(coverage[0]);
    assert!(
        prod.contains("istio 1.22.1 (third-party open source)"),
        "{prod}"
    );
    assert!(prod.contains("Not covered:"), "{prod}");
    assert!(
        text_of(coverage[1]).contains("Not covered: nothing listed in the inventory"),
        "{}",
        text_of(coverage[1])
    );
    // The deployments table, with the sort keys the script reads.
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("tr") && n.attribute("data-order").is_some())
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].attribute("data-out"),
        Some("-1"),
        "out of support now"
    );
    assert_eq!(rows[0].attribute("data-deadline"), Some("7"));
}

#[test]
fn the_page_is_the_same_bytes_every_run_and_through_report() {
    let (first, _) = html_of(&[Path::new(CONTOSO)], &[]);
    let (second, _) = html_of(&[Path::new(CONTOSO)], &[]);
    assert_eq!(first, second);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    common::akspol()
        .args(["check", "--as-of", AS_OF, "--format", "json", "--output"])
        .arg(dir.path().join("report.json"))
        .arg("--report")
        .arg(format!("html={}", file.display()))
        .arg(CONTOSO)
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(file).unwrap(), first);
}

#[test]
fn horizon_bounds_the_timeline() {
    let (page, _) = html_of(&[Path::new(CONTOSO)], &["--horizon", "30"]);
    let doc = assert_sound(&page);
    let marks = with_class(&doc, "a", "mark");
    assert_eq!(
        marks.len(),
        2,
        "only 2026-11-30 and ~2026-12-02 are within 30 days"
    );
    assert!(
        page.contains("2 later deadlines (after 2026-12-23)"),
        "{page}"
    );
    let (page, _) = html_of(&[Path::new(CONTOSO)], &["--horizon", "5"]);
    assert!(page.contains("Nothing gets worse between 2026-11-23 and 2026-11-28"));
    common::akspol()
        .args(["check", "--format", "html", "--horizon", "0", CONTOSO])
        .assert()
        .code(2);
}

/// A generated fleet, written into `dir`.
pub fn fleet(dir: &Path, deployments: usize) -> std::path::PathBuf {
    let sites = dir.join("sites");
    let shape = akspol_tools::fleetgen::Shape {
        deployments,
        ..Default::default()
    };
    akspol_tools::fleetgen::write(&shape, Some(&sites), None).unwrap();
    sites
}

#[test]
fn a_fleet_page_lists_every_deployment_and_groups_shared_days() {
    let dir = tempfile::tempdir().unwrap();
    let sites = fleet(dir.path(), 40);
    let (page, _) = html_of(&[&sites], &["--as-of", "2025-07-01"]);
    let doc = assert_sound(&page);
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("tr") && n.attribute("data-order").is_some())
        .collect();
    assert_eq!(rows.len(), 40);
    // Worst first without the script: the verdict ranks never go down.
    let ranks: Vec<u32> = rows
        .iter()
        .map(|r| r.attribute("data-rank").unwrap().parse().unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    let sections = with_class(&doc, "section", "deployment");
    assert_eq!(sections.len(), 40);
    // Sites on the same release leave support on the same day: one mark,
    // linked to the list of them.
    let marks = with_class(&doc, "a", "mark");
    assert!(!marks.is_empty());
    let shared = marks
        .iter()
        .find(|m| m.attribute("data-count").unwrap() != "1")
        .expect("a day several findings share");
    assert!(shared.attribute("href").unwrap().starts_with("#due-"));
    let tiles: Vec<String> = with_class(&doc, "li", "tile")
        .iter()
        .map(|t| text_of(*t))
        .collect();
    assert!(
        tiles
            .iter()
            .any(|t| t.ends_with("fall out of support within 180 days") && !t.starts_with("0 ")),
        "{tiles:?}"
    );
}

#[test]
fn hostile_names_are_text_in_html_and_inert_in_mermaid() {
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>]]></svg>&amp;";
    let inventory = serde_json::json!({
        "schemaVersion": 1,
        "deployment": { "name": hostile, "version": "1.0.24.11029" },
        "clusters": [{
            "name": format!("c{hostile}"),
            "kubernetesVersion": "1.28.5",
            "state": "Stopped",
            "stoppedSince": "2026-11-01",
            "stoppedVia": "aks",
            "nodes": [{ "name": format!("n{hostile}\n:::crit, 2020-01-01, 1d"), "kubeletVersion": "v1.24.0" }]
        }]
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, inventory.to_string()).unwrap();
    let (page, _) = html_of(&[&path], &[]);
    let doc = assert_sound(&page);
    assert!(
        !doc.descendants().any(|n| n.has_tag_name("img")),
        "an <img> came through"
    );
    let heading = doc
        .descendants()
        .find(|n| n.has_tag_name("h2") && text_of(*n).starts_with("<script>"))
        .expect("the name, as text");
    assert!(text_of(heading).contains("onerror=alert(2)"));

    // Mermaid: the stopped cluster's stages are gantt lines; the names on
    // them cannot end the line, open a new task or close the fence.
    let output = common::akspol()
        .args(["check", "--as-of", AS_OF, "--format", "markdown"])
        .arg(&path)
        .output()
        .unwrap();
    let markdown = String::from_utf8(output.stdout).unwrap();
    let block: Vec<&str> = markdown
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```\n").next())
        .unwrap()
        .lines()
        .collect();
    for line in &block {
        assert!(
            !line.contains(['<', '>', '"', '`', '#', ';', '&']),
            "{line}"
        );
        if let Some(task) = line.strip_prefix("    S001") {
            assert_eq!(task.matches(':').count(), 1, "one separator: {line}");
        }
        if let Some(section) = line.strip_prefix("    section ") {
            assert!(!section.contains(':'), "{line}");
        }
    }
    assert!(
        block
            .iter()
            .any(|l| l.starts_with("    section cluster/c_script_alert(1)")),
        "{block:#?}"
    );
}

/// Every noncharacter (U+FDD0-U+FDEF, and U+xFFFE and U+xFFFF of each of the
/// 17 planes) in a deployment, cluster and node name: the page stays free of
/// parse errors and well-formed XML (XML 1.0 forbids U+FFFE and U+FFFF), and
/// none of them reaches it; JUnit, XML too, stays well-formed.
#[test]
fn noncharacters_in_names_are_replaced() {
    let noncharacters: Vec<char> = (0xFDD0..=0xFDEF)
        .chain((0..=0x10u32).flat_map(|plane| [plane << 16 | 0xFFFE, plane << 16 | 0xFFFF]))
        .filter_map(char::from_u32)
        .collect();
    assert_eq!(noncharacters.len(), 66);
    let all: String = noncharacters.iter().collect();
    let inventory = serde_json::json!({
        "schemaVersion": 1,
        "deployment": { "name": format!("d\u{FFFE}{all}"), "version": "1.0.24.11029" },
        "clusters": [{
            "name": format!("c\u{FFFF}{all}"),
            "kubernetesVersion": "1.28.5",
            "state": "Stopped",
            "stoppedSince": "2026-11-01",
            "stoppedVia": "aks",
            "nodes": [{ "name": format!("n\u{10FFFF}{all}"), "kubeletVersion": "v1.24.0" }]
        }]
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("noncharacters.json");
    std::fs::write(&path, inventory.to_string()).unwrap();
    let (page, _) = html_of(&[&path], &["--show", "all"]);
    assert_sound(&page);
    for c in &noncharacters {
        assert!(!page.contains(*c), "U+{:04X} in the page", u32::from(*c));
    }
    assert!(page.contains("d\u{FFFD}\u{FFFD}"), "replaced, not dropped");

    let output = common::akspol()
        .args(["check", "--as-of", AS_OF, "--format", "junit"])
        .arg(&path)
        .output()
        .unwrap();
    let junit = String::from_utf8(output.stdout).unwrap();
    roxmltree::Document::parse(&junit).unwrap_or_else(|e| panic!("JUnit not well-formed: {e}"));
}
