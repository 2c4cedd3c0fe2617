//! Judging: one inventory's text becomes its part of the findings model
//! ([`judge`]); [`fleet`] runs that over every input on all cores; then
//! [`waivers`] accept findings for a while, [`baseline`] compares them with
//! a previous report, [`summary`] sums the fleet up and [`gate`] says
//! whether the run fails. Nothing here prints or writes files.

pub mod baseline;
pub mod coverage;
pub mod fleet;
pub mod gate;
pub mod summary;
pub mod totals;
pub mod waivers;

use crate::base::dates::{Day, Precision, When};
use crate::base::product::Product;
use crate::catalog::CatalogView;
use crate::findings::{
    CatalogLine, CatalogSummary, ClusterNames, GateSettings, InventoryReport, PolicySummary,
    Report, ReportedFinding, Run, Scope, ScopeNames, WaiverNote,
};
use crate::input::{InputError, ScopeLines};
use crate::inventory::{self, Inventory, LoadOptions};
use crate::policy::{Policies, Policy};
use crate::rules::{self, Context, Rule};

/// What one judgement needs besides the text: how to read it, and what the
/// requested formats will read of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct JudgeOptions {
    pub load: LoadOptions,
    /// Find the line of each finding's object (SARIF, GitHub annotations).
    pub lines: bool,
    /// Work out each cluster's support coverage (table, Markdown).
    pub coverage: bool,
    /// Make the upgrade plan (HTML, Markdown): its calendar and steps.
    pub plan: bool,
}

/// Parses and evaluates one inventory, dropping its text as soon as it is
/// parsed and the inventory once judged. Returns its report and the warnings
/// of parsing (unknown keys allowed by `--allow-unknown-fields`).
pub fn judge(
    origin: &str,
    text: String,
    view: &CatalogView,
    policies: &Policies,
    selected: &[&'static Rule],
    options: JudgeOptions,
) -> Result<(InventoryReport, Vec<String>), InputError> {
    let loaded = inventory::load(origin, &text, options.load)?;
    // The edition follows the inventory's product line (or `--policy-edition`).
    let policy = policies
        .for_deployment(loaded.inventory.deployment.product, view.as_of)
        .map_err(|why| InputError::file(origin, why))?;
    let lines = options.lines.then(|| ScopeLines::scan(&text));
    drop(text);
    let mut report = assess(
        &loaded.inventory,
        lines.as_ref(),
        view,
        policy,
        selected,
        options,
    );
    // The names move into the report; the rest of the inventory is dropped.
    report.names = names_of(loaded.inventory);
    Ok((report, loaded.warnings))
}

/// Evaluates `selected` over a parsed inventory. With `lines`, each finding
/// carries the line of its object; as `options` ask, the report carries
/// each cluster's support coverage and the upgrade plan (whose calendar
/// takes the deadlines of the findings of `selected`).
pub fn judge_inventory(
    inventory: &Inventory,
    lines: Option<&ScopeLines>,
    view: &CatalogView,
    policy: &Policy,
    selected: &[&'static Rule],
    options: JudgeOptions,
) -> InventoryReport {
    let mut report = assess(inventory, lines, view, policy, selected, options);
    report.names = ScopeNames {
        clusters: inventory
            .clusters()
            .iter()
            .map(|cluster| ClusterNames {
                name: cluster.name.clone(),
                nodes: cluster.nodes.iter().map(|node| node.name.clone()).collect(),
            })
            .collect(),
    };
    report
}

/// [`judge_inventory`] without the scope names, which the caller adds.
fn assess(
    inventory: &Inventory,
    lines: Option<&ScopeLines>,
    view: &CatalogView,
    policy: &Policy,
    selected: &[&'static Rule],
    options: JudgeOptions,
) -> InventoryReport {
    // What Azure lists for the instance moves the line forward for it.
    let attested = rules::azure::attested_releases(inventory, view);
    let view = view.with_attested(&attested);
    let ctx = Context::new(inventory, &view, policy);
    let findings = rules::evaluate(&ctx, selected);
    let plan = options
        .plan
        .then(|| crate::plan::make(&ctx, &findings).summary());
    let findings = findings
        .into_iter()
        .map(|finding| ReportedFinding {
            line: lines.map(|lines| line_of(inventory, lines, finding.scope)),
            ..ReportedFinding::new(finding)
        })
        .collect();
    let coverage = options.coverage.then(|| coverage::of(inventory, policy));
    let mut report = report_of(
        inventory,
        findings,
        coverage,
        policy_summary(policy, view.as_of, selected),
    );
    report.plan = plan;
    report
}

/// The edition a judgement used, as reports show it.
pub fn policy_summary(policy: &Policy, as_of: Day, selected: &[&'static Rule]) -> PolicySummary {
    let edition = policy.edition;
    PolicySummary {
        edition: edition.id.as_str(),
        title: edition.title.as_str(),
        product: edition.product,
        url: edition.page.url.as_str(),
        source: edition.page.source.as_str(),
        date: edition.page.date.to_string(),
        in_force_from: edition.in_force_from.to_string(),
        notice: policy.notice(as_of),
        not_stated: selected
            .iter()
            .filter(|r| !edition.states(r.code))
            .map(|r| r.code)
            .collect(),
    }
}

/// What a run's reports know before judging: the as-of date, the catalog,
/// the rules, the gate's settings, and whether there is a baseline.
pub fn run(
    as_of: Day,
    view: &CatalogView,
    policies: &Policies,
    gate: GateSettings,
    baseline: Option<crate::findings::BaselineFile>,
) -> Run {
    Run {
        as_of,
        catalog: catalog_summary(view, policies),
        rules: rules::RULES.iter().map(|r| &r.info).collect(),
        gate,
        baseline,
        editions: rules::stated::editions(crate::policy::edition::editions().unwrap_or_default()),
    }
}

/// The report of a run held at once: the inventories judged (in input
/// order), marked by the default gate (`--fail-on fail`), what became of the
/// waivers, and the totals over them all.
pub fn report(
    as_of: Day,
    view: &CatalogView,
    policies: &Policies,
    mut inventories: Vec<InventoryReport>,
    waivers: Vec<WaiverNote>,
) -> Report {
    let run = run(as_of, view, policies, GateSettings::DEFAULT, None);
    let mut tally = totals::Tally::default();
    for inventory in &mut inventories {
        gate::mark(run.gate, as_of, inventory);
        tally.add(totals::digest(as_of, inventory));
    }
    let totals = tally.finish(&run, waivers, None);
    Report {
        run,
        inventories,
        totals,
    }
}

/// The report of one judged inventory: its facts beside its findings.
pub fn report_of(
    inventory: &Inventory,
    findings: Vec<ReportedFinding>,
    coverage: Option<crate::findings::Coverage>,
    policy: PolicySummary,
) -> InventoryReport {
    let d = &inventory.deployment;
    let platform = d.platform.as_ref().map(|p| match &p.edition {
        Some(edition) => format!("{} {} {edition}", p.os, p.version),
        None => format!("{} {}", p.os, p.version),
    });
    InventoryReport::new(
        inventory.source.clone(),
        d.name.clone(),
        d.product,
        d.version.to_string(),
        platform,
        ScopeNames::default(),
        findings,
        coverage,
        policy,
    )
}

/// The names of an inventory's clusters and nodes, moved out of it.
fn names_of(inventory: Inventory) -> ScopeNames {
    ScopeNames {
        clusters: inventory
            .clusters
            .unwrap_or_default()
            .into_iter()
            .map(|cluster| ClusterNames {
                name: cluster.name,
                nodes: cluster.nodes.into_iter().map(|node| node.name).collect(),
            })
            .collect(),
    }
}

/// The 1-based line of the JSON object a scope concerns: the deployment, the
/// cluster, or the node (a node known only from `nodeList` points at its
/// cluster).
pub fn line_of(inventory: &Inventory, lines: &ScopeLines, scope: Scope) -> usize {
    match scope {
        Scope::Deployment => None,
        Scope::Cluster(c) => lines.clusters.get(c).copied(),
        Scope::Node(c, n) => inventory
            .clusters()
            .get(c)
            .and_then(|cluster| cluster.nodes.get(n))
            .and_then(|node| node.listed_at)
            .and_then(|i| lines.nodes.get(c).and_then(|nodes| nodes.get(i)).copied())
            .or_else(|| lines.clusters.get(c).copied()),
    }
    .unwrap_or(lines.deployment)
}

/// The catalog a run judges against, as reports show it: both lines, each
/// with its age against the threshold of the edition its deployments get.
pub fn catalog_summary(view: &CatalogView, policies: &Policies) -> CatalogSummary {
    let lines: Vec<CatalogLine> = Product::ALL
        .into_iter()
        .map(|product| {
            let max_age = policies
                .for_deployment(product, view.as_of)
                .ok()
                .and_then(|p| p.catalog_max_age_days);
            catalog_line(view, product, max_age)
        })
        .collect();
    let hybrid = lines.first();
    CatalogSummary {
        source: view.catalog.source.to_string(),
        releases: hybrid.map_or(0, |l| l.releases),
        latest: hybrid.and_then(|l| l.latest.clone()),
        latest_released: hybrid.and_then(|l| l.latest_released.clone()),
        generated: view.catalog.generated.to_string(),
        lines,
    }
}

/// A date as the reports' fields give it: `YYYY-MM-DD` for a day (an
/// estimate too: a flag beside it says so), `YYYY-MM` for a month,
/// `first..last` for a window.
fn date_text(when: When) -> String {
    match when.precision() {
        Precision::Month => when.to_string(),
        Precision::Window => format!("{}..{}", when.earliest, when.latest),
        Precision::Day | Precision::Estimate => when.earliest.to_string(),
    }
}

/// One line of the catalog as of the view's date.
pub fn catalog_line(view: &CatalogView, product: Product, max_age: Option<i64>) -> CatalogLine {
    let latest = view.latest(product);
    let age = view.age(product, max_age);
    CatalogLine {
        product,
        releases: view.line(product).len(),
        latest: latest.map(|r| r.version.to_string()),
        latest_released: latest.map(|r| date_text(r.released)),
        known_through: age.as_ref().map(|a| date_text(a.known_through)),
        known_through_estimated: age.as_ref().is_some_and(|a| a.known_through.approximate()),
        known_through_precision: age.as_ref().map(|a| a.known_through.precision().as_str()),
        known_through_fact: age.as_ref().and_then(|a| a.fact.clone()),
        age_days: age.as_ref().map(|a| a.age_days),
        age_days_least: age
            .as_ref()
            .filter(|a| a.known_through.is_span())
            .map(|a| a.age_days_least),
        after_as_of: age
            .as_ref()
            .is_some_and(|a| a.known_through.earliest > view.as_of),
        max_age_days: max_age,
        too_old: age.as_ref().is_some_and(|a| a.stale()),
    }
}
