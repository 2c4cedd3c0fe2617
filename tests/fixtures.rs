//! Every rule over every fixture: each inventory under `fixtures/` is judged
//! with its pinned as-of date; the verdict and the findings its `.expect`
//! sidecar names must hold, and the full findings are snapshot-tested, so a
//! false positive of any rule on any fixture shows up as a snapshot diff.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use akspol::catalog::{Catalog, CatalogSource, CatalogView};
use akspol::inventory::{self, LoadOptions};
use akspol::policy::{EditionChoice, Overrides, Policies};
use akspol::rules::{self, Context, Status, RULES};
use common::*;

fn judge(
    fixture: &std::path::Path,
    e: &Expect,
) -> (Vec<(String, rules::Finding)>, akspol::findings::Verdict) {
    let catalog = match &e.catalog {
        Some(path) => {
            let text = std::fs::read_to_string(repo().join(path)).unwrap();
            Catalog::from_text(path, &text, CatalogSource::File(path.clone())).unwrap()
        }
        None => Catalog::embedded().unwrap(),
    };
    let as_of = akspol::base::dates::parse_day(&e.as_of).unwrap();
    let view = CatalogView::new(&catalog, as_of);
    let text = std::fs::read_to_string(fixture).unwrap();
    let loaded = inventory::load(&relative(fixture), &text, LoadOptions::default())
        .unwrap_or_else(|err| panic!("{} does not load:\n{err}", fixture.display()));
    // The edition the fixture names (or `current`), else its product line's
    // default, as `check` chooses it.
    let choice = match &e.edition {
        Some(name) => EditionChoice::parse(name).unwrap(),
        None => EditionChoice::Default,
    };
    let overrides = e.policy.as_ref().map(|path| {
        Overrides::from_text(path, &std::fs::read_to_string(repo().join(path)).unwrap()).unwrap()
    });
    let policies = Policies::new(choice, overrides.as_ref(), None).unwrap();
    let policy = policies
        .for_deployment(loaded.inventory.deployment.product, as_of)
        .unwrap();
    let attested = rules::azure::attested_releases(&loaded.inventory, &view);
    let view = view.with_attested(&attested);
    let ctx = Context::new(&loaded.inventory, &view, policy);
    let findings = rules::evaluate(&ctx, RULES);
    let reported: Vec<_> = findings
        .iter()
        .cloned()
        .map(akspol::findings::ReportedFinding::new)
        .collect();
    let verdict = akspol::findings::Summary::of(&reported).verdict();
    let labeled = findings
        .into_iter()
        .map(|f| (rules::scope_label(f.scope, &loaded.inventory), f))
        .collect();
    (labeled, verdict)
}

fn render(findings: &[(String, rules::Finding)]) -> String {
    findings
        .iter()
        .map(|(scope_label, f)| {
            let deadline = f
                .outcome
                .deadline
                .as_ref()
                .map(|d| {
                    format!(
                        " [deadline {}{}]",
                        if d.estimated { "~" } else { "" },
                        d.date
                    )
                })
                .unwrap_or_default();
            format!(
                "{} {} {}: {}{deadline}",
                scope_label,
                f.rule.code,
                f.outcome.status.as_str(),
                f.outcome.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_fixture_gets_its_expected_verdict_and_findings() {
    let fixtures = fixture_inventories();
    assert!(!fixtures.is_empty());
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let e = expect_for(fixture);
        let (findings, verdict) = judge(fixture, &e);
        let name = relative(fixture);
        if verdict.as_str() != e.verdict {
            failures.push(format!(
                "{name}: verdict {} (expected {})\n{}",
                verdict.as_str(),
                e.verdict,
                render(&findings)
            ));
        }
        for (code, scope, status) in &e.fires {
            if !findings.iter().any(|(label, f)| {
                f.rule.code == code && label == scope && f.outcome.status.as_str() == status
            }) {
                failures.push(format!(
                    "{name}: expected {code} {scope} {status}\n{}",
                    render(&findings)
                ));
            }
        }
        for (code, scope) in &e.passes {
            if !findings.iter().any(|(label, f)| {
                f.rule.code == code && label == scope && f.outcome.status == Status::Pass
            }) {
                failures.push(format!(
                    "{name}: expected {code} {scope} to pass\n{}",
                    render(&findings)
                ));
            }
        }
        let snapshot_name = name
            .trim_start_matches("fixtures/")
            .trim_end_matches(".json")
            .replace('/', "__");
        let edition = e
            .edition
            .as_deref()
            .map(|n| format!(", edition {n}"))
            .unwrap_or_default();
        insta::with_settings!({ snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false, description => format!("{name} as of {}{edition}", e.as_of) }, {
            insta::assert_snapshot!(snapshot_name, render(&findings));
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_fixture_that_fires_it_and_one_that_passes_it() {
    let expectations: Vec<Expect> = fixture_inventories()
        .iter()
        .map(|f| expect_for(f))
        .collect();
    let mut missing = Vec::new();
    for rule in RULES {
        if !expectations.iter().any(|e| {
            e.fires
                .iter()
                .any(|(code, _, status)| code == rule.code && status != "pass" && status != "skip")
        }) {
            missing.push(format!("{}: no fixture fires it", rule.code));
        }
        if !expectations
            .iter()
            .any(|e| e.passes.iter().any(|(code, _)| code == rule.code))
        {
            missing.push(format!("{}: no fixture passes it", rule.code));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
