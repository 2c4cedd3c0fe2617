//! Growth with the number of clusters (issue 22, item 11): one inventory of
//! n and of 4n clusters goes through `plan` and through `check` with every
//! format, in this process, and each stage (reading, the rules, the
//! planner, each renderer) may take at most [`BOUND`] times as long at 4n as
//! at n. Linear work takes about 4 times as long; the planner's calendar,
//! which looked each policy stage up in every entry before it, took 16
//! times as long (one inventory of 160,000 clusters: 25 s on a release
//! build).
//!
//! A stage's time is the CPU time of the thread that runs it (the work is
//! single-threaded), which other processes do not inflate; the tests run one
//! at a time, and each size up to [`ROUNDS`] times, keeping its fastest run,
//! so a loaded machine slows a stage down without failing it, while a
//! quadratic stage is slower at 4n in every round.
//!
//! The inventories are `akspol_tools::hostile::many_clusters`: stopped
//! clusters, old Kubernetes versions, node findings, third-party components
//! and management clusters in turn, for both product lines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use akspol::base::dates::{parse_day, Day};
use akspol::catalog::{Catalog, CatalogView};
use akspol::inventory::{self, LoadOptions};
use akspol::judge::{self, JudgeOptions};
use akspol::plan::render::PlanFormat;
use akspol::policy::{EditionChoice, Policies};
use akspol::report::{Format, RenderOptions};
use akspol::rules::{self, Context, RULES};
use akspol_tools::hostile::many_clusters;

/// Clusters in the smaller inventory of `plan` and of `check` (which does
/// more per cluster); the larger has four times as many.
const PLAN_N: usize = 4_000;
const CHECK_N: usize = 2_000;
/// The most a stage may grow from n to 4n: 4 is linear, 16 quadratic.
const BOUND: f64 = 8.0;
/// Runs of each size at most, until every stage is within the bound.
const ROUNDS: usize = 5;

/// The as-of date: the stopped clusters' stages are ahead, within the HTML
/// timeline's horizon.
fn as_of() -> Day {
    parse_day(akspol_tools::hostile::AS_OF).unwrap()
}

/// How long each stage took, by name.
type Stages = BTreeMap<&'static str, Duration>;

fn timed<T>(stages: &mut Stages, name: &'static str, work: impl FnOnce() -> T) -> T {
    let started = thread_time();
    let value = work();
    stages.insert(name, thread_time().saturating_sub(started));
    value
}

/// The CPU time this thread has used.
#[cfg(unix)]
fn thread_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap(),
        u32::try_from(t.tv_nsec).unwrap(),
    )
}

/// Elsewhere, the time since the first call.
#[cfg(not(unix))]
fn thread_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// One growth test at a time: two at once on two cores would share caches
/// and memory bandwidth.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// `akspol plan` in every format: read, judge every rule, plan, render.
fn plan(n: usize, text: &str, catalog: &Catalog, policies: &Policies) -> Stages {
    let mut stages = Stages::new();
    let view = CatalogView::new(catalog, as_of());
    let loaded = timed(&mut stages, "read", || {
        inventory::load("many.json", text, LoadOptions::default()).unwrap()
    });
    let policy = policies
        .for_deployment(loaded.inventory.deployment.product, as_of())
        .unwrap();
    let ctx = Context::new(&loaded.inventory, &view, policy);
    let findings = timed(&mut stages, "rules", || rules::evaluate(&ctx, RULES));
    let plan = timed(&mut stages, "planner", || {
        akspol::plan::make(&ctx, &findings)
    });
    assert!(
        plan.calendar.len() >= n / 4 && !plan.steps.is_empty(),
        "a plan with work to do: {} calendar entries, {} steps",
        plan.calendar.len(),
        plan.steps.len()
    );
    for (name, format) in [
        ("table", PlanFormat::Table),
        ("markdown", PlanFormat::Markdown),
        ("json", PlanFormat::Json),
    ] {
        let mut out = Vec::new();
        timed(&mut stages, name, || {
            akspol::plan::render::render(&plan, format, 120, &mut out).unwrap()
        });
    }
    stages
}

/// `akspol check` in every format: judge (with the plan and the support
/// coverage HTML and Markdown show), then render.
fn check(_: usize, text: &str, catalog: &Catalog, policies: &Policies) -> Stages {
    let mut stages = Stages::new();
    let view = CatalogView::new(catalog, as_of());
    let options = JudgeOptions {
        lines: true,
        coverage: true,
        plan: true,
        ..JudgeOptions::default()
    };
    let (judged, _) = timed(&mut stages, "judge", || {
        judge::judge(
            "many.json",
            text.to_string(),
            &view,
            policies,
            RULES,
            options,
        )
        .unwrap()
    });
    let report = judge::report(as_of(), &view, policies, vec![judged], Vec::new());
    for format in [
        Format::Html,
        Format::Markdown,
        Format::Table,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Openmetrics,
    ] {
        let mut out = Vec::new();
        timed(&mut stages, format.as_str(), || {
            format
                .render(&report, &RenderOptions::default(), &mut out)
                .unwrap()
        });
    }
    stages
}

/// Runs `work` on the inventories of n and 4n clusters, round after round,
/// keeping each stage's fastest time, until every stage grows by less than
/// [`BOUND`]; fails naming the stages that never did.
fn assert_linear(
    what: &str,
    n: usize,
    arc: bool,
    work: fn(usize, &str, &Catalog, &Policies) -> Stages,
) {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let catalog = Catalog::embedded().unwrap();
    let policies = Policies::new(EditionChoice::Default, None, None).unwrap();
    let small = many_clusters(n, arc).to_string();
    let large = many_clusters(4 * n, arc).to_string();
    let mut fastest: [Stages; 2] = Default::default();
    let mut over = Vec::new();
    for round in 1..=ROUNDS {
        for (kept, (size, text)) in fastest.iter_mut().zip([(n, &small), (4 * n, &large)]) {
            for (name, took) in work(size, text, &catalog, &policies) {
                let best = kept.entry(name).or_insert(took);
                *best = (*best).min(took);
            }
        }
        let [at_n, at_4n] = &fastest;
        over = at_n
            .iter()
            .map(|(name, small)| {
                let large = at_4n[name];
                (name, *small, large, ratio(*small, large))
            })
            .filter(|(_, _, _, ratio)| *ratio >= BOUND)
            .map(|(name, small, large, ratio)| {
                format!(
                    "{name}: {small:?} at {n} clusters, {large:?} at {}: {ratio:.1}x",
                    4 * n
                )
            })
            .collect();
        let summary: Vec<String> = at_n
            .iter()
            .map(|(name, small)| format!("{name} {:.1}x", ratio(*small, at_4n[name])))
            .collect();
        eprintln!("{what}, round {round}: {}", summary.join(", "));
        if over.is_empty() {
            return;
        }
    }
    panic!(
        "{what}: not linear in the clusters after {ROUNDS} rounds (at most {BOUND}x from n to 4n):\n{}",
        over.join("\n")
    );
}

/// How many times as long the larger run took (a stage too quick to time
/// at n counts from a tenth of a millisecond).
fn ratio(small: Duration, large: Duration) -> f64 {
    large.as_secs_f64() / small.as_secs_f64().max(0.000_1)
}

#[test]
fn plan_is_linear_in_clusters() {
    assert_linear("plan (AKS hybrid)", PLAN_N, false, plan);
}

#[test]
fn plan_is_linear_in_clusters_on_azure_local() {
    assert_linear("plan (AKS Arc)", PLAN_N, true, plan);
}

#[test]
fn every_report_is_linear_in_clusters() {
    assert_linear("check (AKS hybrid)", CHECK_N, false, check);
}

#[test]
fn every_report_is_linear_in_clusters_on_azure_local() {
    assert_linear("check (AKS Arc)", CHECK_N, true, check);
}
