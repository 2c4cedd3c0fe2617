//! Unit-test helpers: run one rule over an inventory written inline, with the
//! embedded catalog and policy and a pinned as-of date.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::{evaluate, Context, Outcome, Rule};
use crate::catalog::{Catalog, CatalogView};
use crate::inventory::{self, LoadOptions};
use crate::policy::{EditionChoice, Policy};

/// An inventory of the embedded catalog's release 1.0.24.11029 with these
/// `deployment` extras (JSON members, may be empty) and `clusters` (a JSON array).
pub fn inventory(deployment_extra: &str, clusters: &str) -> String {
    let extra = if deployment_extra.trim().is_empty() {
        String::new()
    } else {
        format!(", {deployment_extra}")
    };
    format!(
        r#"{{"schemaVersion": 1, "deployment": {{"name": "d", "version": "1.0.24.11029"{extra}}}, "clusters": {clusters}}}"#
    )
}

/// An AKS Arc inventory on this Azure Local release or build, with these
/// `deployment` extras and `clusters`.
pub fn arc_inventory(version: &str, deployment_extra: &str, clusters: &str) -> String {
    let extra = if deployment_extra.trim().is_empty() {
        String::new()
    } else {
        format!(", {deployment_extra}")
    };
    format!(
        r#"{{"schemaVersion": 1, "deployment": {{"name": "d", "product": "aks-arc", "version": "{version}"{extra}}}, "clusters": {clusters}}}"#
    )
}

/// Every finding of `rule` over `text` as of `as_of`, as (scope label, outcome).
pub fn run(rule: &'static Rule, text: &str, as_of: &str) -> Vec<(String, Outcome)> {
    with_context(text, as_of, |ctx| {
        evaluate(ctx, &[rule])
            .into_iter()
            .map(|f| (super::scope_label(f.scope, ctx.inventory), f.outcome))
            .collect()
    })
}

/// Calls `f` with a context for `text` as of `as_of`, judged against its
/// product line's default edition: for checks whose outcome the engine would
/// fold into a per-cluster line.
pub fn with_context<R>(text: &str, as_of: &str, f: impl FnOnce(&Context) -> R) -> R {
    with_edition(text, as_of, None, f)
}

/// [`with_context`] against a named edition (`ws25`), or the default one.
pub fn with_edition<R>(
    text: &str,
    as_of: &str,
    edition: Option<&str>,
    f: impl FnOnce(&Context) -> R,
) -> R {
    let loaded = inventory::load("test.json", text, LoadOptions::default())
        .unwrap_or_else(|e| panic!("test inventory does not load: {e}"));
    let catalog = Catalog::embedded().unwrap();
    let as_of = crate::base::dates::parse_day(as_of).unwrap();
    let view = CatalogView::new(&catalog, as_of);
    let product = loaded.inventory.deployment.product;
    let choice = match edition {
        Some(name) => EditionChoice::parse(name).unwrap(),
        None => EditionChoice::Default,
    };
    let policy = Policy::for_edition(choice.resolve(product, as_of).unwrap(), None).unwrap();
    let attested = super::azure::attested_releases(&loaded.inventory, &view);
    let view = view.with_attested(&attested);
    let ctx = Context::new(&loaded.inventory, &view, &policy);
    f(&ctx)
}

/// The one finding of `rule` under a named edition.
pub fn one_in(rule: &'static Rule, edition: &str, text: &str, as_of: &str) -> Outcome {
    let mut findings = with_edition(text, as_of, Some(edition), |ctx| {
        evaluate(ctx, &[rule])
            .into_iter()
            .map(|f| (super::scope_label(f.scope, ctx.inventory), f.outcome))
            .collect::<Vec<_>>()
    });
    assert_eq!(findings.len(), 1, "expected one finding: {findings:?}");
    findings.remove(0).1
}

/// The one finding of `rule` with a `--policy` file's overrides (JSON) over
/// the product line's default edition, and `max_age` as `--max-catalog-age`.
pub fn one_with_policy(
    rule: &'static Rule,
    text: &str,
    as_of: &str,
    overrides: &str,
    max_age: Option<u32>,
) -> Outcome {
    let loaded = inventory::load("test.json", text, LoadOptions::default())
        .unwrap_or_else(|e| panic!("test inventory does not load: {e}"));
    let catalog = Catalog::embedded().unwrap();
    let as_of = crate::base::dates::parse_day(as_of).unwrap();
    let view = CatalogView::new(&catalog, as_of);
    let edition = EditionChoice::Default
        .resolve(loaded.inventory.deployment.product, as_of)
        .unwrap();
    let overrides = crate::policy::Overrides::from_text("policy.json", overrides).unwrap();
    let policy = Policy::for_edition(edition, Some(&overrides))
        .unwrap()
        .with_max_catalog_age(max_age);
    let attested = super::azure::attested_releases(&loaded.inventory, &view);
    let view = view.with_attested(&attested);
    let ctx = Context::new(&loaded.inventory, &view, &policy);
    let mut findings = evaluate(&ctx, &[rule]);
    assert_eq!(findings.len(), 1, "expected one finding: {findings:?}");
    findings.remove(0).outcome
}

/// The one finding of `rule` for the first cluster (or the deployment).
pub fn one(rule: &'static Rule, text: &str, as_of: &str) -> Outcome {
    let mut findings = run(rule, text, as_of);
    assert_eq!(findings.len(), 1, "expected one finding: {findings:?}");
    findings.remove(0).1
}

/// Days-and-status shorthand for boundary tests.
pub fn status_and_deadline(outcome: &Outcome) -> (&'static str, Option<String>) {
    (
        outcome.status.as_str(),
        outcome.deadline.as_ref().map(|d| d.date.to_string()),
    )
}
