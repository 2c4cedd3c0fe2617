//! Property tests over random valid inventories (proptest). Case counts are
//! modest so `cargo test` stays fast; `PROPTEST_CASES=4096 cargo test --test
//! properties` runs more. Properties:
//!
//! - a valid inventory always loads, is judged and rendered without a panic,
//!   and exits 0 or 1 (through the library, and a few through the binary);
//! - moving `--as-of` later never improves a time-based finding, and on a
//!   finding's deadline its status is worse than before it;
//! - the JSON report always parses and has the fields of `cli.md`;
//! - `--select` of every rule code is the same as no `--select`;
//! - the generated inventories also satisfy `akspol schema`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::sync::OnceLock;

use akspol::base::dates::{add_days, Day};
use akspol::catalog::{Catalog, CatalogSource, CatalogView};
use akspol::findings::Report;
use akspol::inventory::{self, LoadOptions};
use akspol::judge;
use akspol::policy::{EditionChoice, Policies, Policy};
use akspol::report::{Format, RenderOptions};
use akspol::rules::{self, registry, Context, Finding, Rule, Status, RULES};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Map, Value};

/// Rules whose findings depend on the as-of date. Codes not (yet) registered
/// are ignored; codes of rules that give deadlines are added at run time, so a
/// new time-based rule is covered without editing this list.
const TIME_BASED: &[&str] = &["V002", "V003", "V004", "V008", "S001", "S003", "C003"];

fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    // A fixed seed by default, so a CI run is reproducible; explore with
    // PROPTEST_RNG_SEED=<n> (and PROPTEST_CASES) to try other inputs.
    let defaults = Config::default();
    let rng_seed = if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
        defaults.rng_seed
    } else {
        proptest::test_runner::RngSeed::Fixed(0x616b_7370_6f6c)
    };
    Config {
        cases,
        failure_persistence: None,
        rng_seed,
        ..defaults
    }
}

struct World {
    embedded: Catalog,
    test: Catalog,
    policy: Policy,
    policies: Policies,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let path = "fixtures/catalogs/test.json";
        let text = std::fs::read_to_string(common::repo().join(path)).unwrap();
        World {
            embedded: Catalog::embedded().unwrap(),
            test: Catalog::from_text(path, &text, CatalogSource::File(path.into())).unwrap(),
            policy: Policy::embedded().unwrap(),
            policies: Policies::new(EditionChoice::Default, None, None).unwrap(),
        }
    })
}

// ---------------------------------------------------------------------------
// Generators: valid by construction (every rule of inventory.md respected).

fn day_between(from: (i32, u32, u32), span_days: i64) -> impl Strategy<Value = Day> {
    let start = Day::from_ymd_opt(from.0, from.1, from.2).unwrap();
    (0..=span_days).prop_map(move |d| add_days(start, d))
}

fn any_day() -> impl Strategy<Value = Day> {
    day_between((2019, 1, 1), 365 * 14)
}

/// A date as inventories write it: plain, or an RFC 3339 timestamp.
fn date_text() -> impl Strategy<Value = String> {
    (any_day(), 0..3u8, 0..24u32).prop_map(|(d, form, hour)| match form {
        0 => d.to_string(),
        1 => format!("{d}T{hour:02}:30:00Z"),
        _ => format!("{d}T{hour:02}:15:00.1234567+01:00"),
    })
}

fn aks_version(catalog_versions: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (proptest::sample::select(catalog_versions), 10000..12000u32).prop_map(
            |(v, build)| if v.split('.').count() == 3 { format!("{v}.{build}") } else { v }
        ),
        1 => (0..3u32, 0..40u32, 10000..12000u32).prop_map(|(x, y, z)| format!("1.{x}.{y}.{z}")),
    ]
}

/// An Azure Local release or build: mostly the embedded catalog's, some not.
fn local_version(known: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(known),
        1 => (23..28u32, 1..13u32).prop_map(|(y, m)| format!("{y}{m:02}")),
        1 => (10..13u32, 23..28u32, 1..13u32, 0..1100u32, 0..600u32)
            .prop_map(|(l, y, m, a, b)| format!("{l}.{y}{m:02}.{a}.{b}")),
    ]
}

fn kube_version() -> impl Strategy<Value = String> {
    (20..37u32, 0..12u32, any::<bool>())
        .prop_map(|(minor, patch, v)| format!("{}1.{minor}.{patch}", if v { "v" } else { "" }))
}

fn optional<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::of(s).boxed()
}

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,12}"
}

fn labels() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(
        "[a-z./-]{1,20}",
        "[ -~]{0,12}".prop_map(Value::String),
        0..4,
    )
    .prop_map(|m| m.into_iter().collect())
}

fn node(name: String) -> impl Strategy<Value = Value> {
    (
        optional(proptest::sample::select(vec![
            "control-plane",
            "worker",
            "load-balancer",
        ])),
        optional(proptest::sample::select(vec!["Linux", "Windows"])),
        optional(kube_version()),
        optional(kube_version()),
        optional((word(), optional(date_text()), optional(any::<bool>()))),
        optional(proptest::sample::select(vec![
            "Running",
            "Off",
            "Deallocated",
        ])),
        optional(proptest::sample::select(vec!["aks", "hyperv"])),
        optional(labels()),
        optional(proptest::collection::vec(
            (
                proptest::sample::select(vec!["hyperv", "ssh", "rdp", "daemonset"]),
                optional(date_text()),
            ),
            0..3,
        )),
        optional((
            optional(word()),
            optional(any::<bool>()),
            optional(any::<bool>()),
        )),
    )
        .prop_map(
            move |(role, os, kubelet, proxy, image, power, via, labels, mods, network)| {
                let mut n = Map::new();
                n.insert("name".into(), json!(name));
                put(&mut n, "role", role);
                put(&mut n, "os", os);
                put(&mut n, "kubeletVersion", kubelet);
                put(&mut n, "kubeProxyVersion", proxy);
                if let Some((version, released, published)) = image {
                    let mut i = Map::new();
                    i.insert("version".into(), json!(version));
                    put(&mut i, "released", released);
                    put(&mut i, "published", published);
                    n.insert("image".into(), Value::Object(i));
                }
                put(&mut n, "powerState", power);
                put(&mut n, "powerChangedVia", via);
                if let Some(labels) = labels {
                    n.insert("labels".into(), Value::Object(labels.clone()));
                    n.insert(
                        "systemMetadata".into(),
                        json!({ "labels": Value::Object(labels) }),
                    );
                }
                if let Some(mods) = mods {
                    let list: Vec<Value> = mods
                        .into_iter()
                        .map(|(via, at)| {
                            let mut m = Map::new();
                            m.insert("via".into(), json!(via));
                            put(&mut m, "at", at);
                            Value::Object(m)
                        })
                        .collect();
                    n.insert("modifications".into(), Value::Array(list));
                }
                if let Some((subnet, aks_defined, nic)) = network {
                    let mut m = Map::new();
                    put(&mut m, "subnet", subnet);
                    put(&mut m, "aksDefinedSubnet", aks_defined);
                    put(&mut m, "nicCustomized", nic);
                    n.insert("network".into(), Value::Object(m));
                }
                Value::Object(n)
            },
        )
}

fn cluster(name: String) -> impl Strategy<Value = Value> {
    let nodes = (0..4usize).prop_flat_map(|count| {
        (0..count)
            .map(|i| node(format!("moc-{i}")))
            .collect::<Vec<_>>()
    });
    (
        optional(proptest::sample::select(vec!["management", "workload"])),
        optional(proptest::sample::select(vec![
            "production",
            "non-production",
        ])),
        kube_version(),
        optional(date_text()),
        optional(proptest::sample::select(vec!["aks", "hyperv"])),
        optional(proptest::collection::vec(
            (
                word(),
                any::<bool>(),
                optional(proptest::sample::select(vec![
                    "alpha",
                    "beta",
                    "ga",
                    "deprecated",
                ])),
            ),
            0..3,
        )),
        optional(proptest::collection::vec(
            (
                word(),
                proptest::sample::select(vec!["open-source", "closed-source", "microsoft"]),
            ),
            0..3,
        )),
        optional(nodes),
    )
        .prop_map(
            move |(kind, environment, kube, stopped, stopped_via, gates, components, nodes)| {
                let mut c = Map::new();
                c.insert("name".into(), json!(name));
                put(&mut c, "kind", kind);
                put(&mut c, "environment", environment);
                c.insert("kubernetesVersion".into(), json!(kube));
                if let Some(since) = stopped {
                    c.insert("state".into(), json!("Stopped"));
                    c.insert("stoppedSince".into(), json!(since));
                    put(&mut c, "stoppedVia", stopped_via);
                }
                if let Some(gates) = gates {
                    let list: Vec<Value> = gates
                        .into_iter()
                        .map(|(name, enabled, stage)| {
                            let mut g = Map::new();
                            g.insert("name".into(), json!(name));
                            g.insert("enabled".into(), json!(enabled));
                            put(&mut g, "stage", stage);
                            Value::Object(g)
                        })
                        .collect();
                    c.insert("featureGates".into(), Value::Array(list));
                }
                if let Some(components) = components {
                    let list: Vec<Value> = components
                        .into_iter()
                        .map(|(name, source)| json!({ "name": name, "source": source }))
                        .collect();
                    c.insert("components".into(), Value::Array(list));
                }
                if let Some(nodes) = nodes {
                    c.insert("nodes".into(), Value::Array(nodes));
                }
                Value::Object(c)
            },
        )
}

fn put<T: serde::Serialize>(map: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        map.insert(key.to_string(), json!(value));
    }
}

fn catalog_versions(catalog: &Catalog) -> Vec<String> {
    catalog
        .releases
        .iter()
        .map(|r| r.version.to_string())
        .collect()
}

/// A valid inventory, and whether to judge it against the test catalog.
fn inventory() -> impl Strategy<Value = (bool, Value)> {
    any::<bool>().prop_flat_map(|use_test| {
        let w = world();
        let catalog = if use_test { &w.test } else { &w.embedded };
        // Azure Local hosts belong to the aks-arc line (generated below).
        let platforms: Vec<(String, String)> = catalog
            .platforms
            .iter()
            .filter(|p| p.os != akspol::inventory::HostOs::AzureLocal)
            .map(|p| (p.os.to_string(), p.version.clone()))
            .chain([("WindowsServer".to_string(), "2016".to_string())])
            .collect();
        let clusters = (0..4usize).prop_flat_map(|count| {
            (0..count)
                .map(|i| cluster(format!("cluster-{i}")))
                .collect::<Vec<_>>()
        });
        let local: Vec<String> = w
            .embedded
            .local_releases
            .iter()
            .flat_map(|r| {
                std::iter::once(r.version.to_string())
                    .chain(r.builds.iter().map(|b| b.version.to_string()))
            })
            .collect();
        // One inventory in four is AKS Arc on Azure Local (judged against the embedded catalog).
        let version = prop_oneof![
            3 => aks_version(catalog_versions(catalog)).prop_map(|v| (false, v)),
            1 => local_version(local).prop_map(|v| (true, v)),
        ];
        (
            Just(use_test),
            version,
            optional((
                proptest::sample::select(platforms),
                optional(proptest::sample::select(vec!["Datacenter", "Standard"])),
            )),
            optional((
                proptest::sample::select(vec!["Active", "Suspended", "Deleted"]),
                date_text(),
            )),
            optional(date_text()),
            optional(clusters),
        )
            .prop_map(
                |(use_test, (arc, version), platform, subscription, collected, clusters)| {
                    let mut d = Map::new();
                    d.insert("name".into(), json!("generated"));
                    if arc {
                        d.insert("product".into(), json!("aks-arc"));
                    }
                    d.insert("version".into(), json!(version));
                    if let (false, Some(((os, version), edition))) = (arc, platform) {
                        let mut p = Map::new();
                        p.insert("os".into(), json!(os));
                        p.insert("version".into(), json!(version));
                        put(&mut p, "edition", edition);
                        d.insert("platform".into(), Value::Object(p));
                    }
                    if let Some((state, since)) = subscription {
                        d.insert(
                            "subscription".into(),
                            json!({ "state": state, "since": since }),
                        );
                    }
                    let mut inv = Map::new();
                    inv.insert("schemaVersion".into(), json!(1));
                    put(&mut inv, "collectedAt", collected);
                    inv.insert("deployment".into(), Value::Object(d));
                    if let Some(clusters) = clusters {
                        inv.insert("clusters".into(), Value::Array(clusters));
                    }
                    (use_test && !arc, Value::Object(inv))
                },
            )
    })
}

// ---------------------------------------------------------------------------

fn load(text: &str) -> inventory::Inventory {
    match inventory::load("generated.json", text, LoadOptions::default()) {
        Ok(loaded) => loaded.inventory,
        Err(error) => panic!("a valid inventory was rejected:\n{error}\n{text}"),
    }
}

fn judge(
    inventory: &inventory::Inventory,
    use_test: bool,
    as_of: Day,
    rules: &[&'static Rule],
) -> (Vec<Labeled>, Report) {
    let w = world();
    let catalog = if use_test { &w.test } else { &w.embedded };
    let view = CatalogView::new(catalog, as_of);
    let ctx = Context::new(inventory, &view, &w.policy);
    let findings = rules::evaluate(&ctx, rules)
        .into_iter()
        .map(|finding| Labeled {
            scope_label: rules::scope_label(finding.scope, inventory),
            finding,
        })
        .collect();
    let options = judge::JudgeOptions {
        coverage: true,
        ..Default::default()
    };
    let judged = judge::judge_inventory(inventory, None, &view, &w.policy, rules, options);
    let report = judge::report(as_of, &view, &w.policies, vec![judged], Vec::new());
    (findings, report)
}

/// A finding with its scope label, as reports write it.
struct Labeled {
    finding: Finding,
    scope_label: String,
}

impl std::ops::Deref for Labeled {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.finding
    }
}

fn render(format: Format, report: &Report) -> String {
    let mut out = Vec::new();
    let options = RenderOptions {
        color: false,
        width: 120,
        ..RenderOptions::default()
    };
    format.render(report, &options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The fields `cli.md` promises in report version 1, and their consistency.
fn check_json_report(text: &str, as_of: Day) -> Result<(), TestCaseError> {
    let r: Value = serde_json::from_str(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let verdicts = ["supported", "at-risk", "unsupported"];
    prop_assert_eq!(&r["reportVersion"], &json!(1));
    prop_assert_eq!(&r["tool"]["name"], &json!("akspol"));
    prop_assert!(r["tool"]["version"].is_string());
    prop_assert_eq!(&r["asOf"], &json!(as_of.to_string()));
    for key in ["source", "releases", "latest", "latestReleased"] {
        prop_assert!(r["catalog"].get(key).is_some(), "catalog.{}", key);
    }
    prop_assert!(verdicts.contains(&r["verdict"].as_str().unwrap_or("")));
    let inventories = r["inventories"].as_array().unwrap();
    prop_assert_eq!(inventories.len(), 1);
    for inv in inventories {
        prop_assert!(inv["source"].is_string() && inv["deployment"].is_string());
        prop_assert!(verdicts.contains(&inv["verdict"].as_str().unwrap_or("")));
        let findings = inv["findings"].as_array().unwrap();
        let mut counted = 0;
        for key in ["pass", "info", "warn", "fail", "unknown", "skip", "waived"] {
            counted += inv["summary"][key].as_u64().unwrap();
        }
        prop_assert_eq!(counted as usize, findings.len());
        for f in findings {
            prop_assert!(f["rule"].is_string() && f["name"].is_string());
            let scope = f["scope"].as_str().unwrap();
            prop_assert!(
                scope == "deployment"
                    || scope.starts_with("cluster/")
                    || scope.starts_with("node/")
            );
            let status = f["status"].as_str().unwrap();
            prop_assert!(Status::ALL.iter().any(|s| s.as_str() == status));
            prop_assert!(f["message"].is_string());
            match &f["deadline"] {
                Value::Null => {}
                Value::String(d) => {
                    let day = akspol::base::dates::parse_day(d)
                        .map_err(|e| TestCaseError::fail(format!("deadline {d}: {e}")))?;
                    prop_assert_eq!(d.len(), 10);
                    prop_assert!(day > as_of, "deadline {} not after {}", d, as_of);
                }
                other => prop_assert!(false, "deadline {}", other),
            }
            prop_assert!(f["evidence"].is_object());
            prop_assert!(f["policy"]["section"].is_string());
            prop_assert!(f["policy"]["url"]
                .as_str()
                .unwrap_or("")
                .starts_with("https://"));
            prop_assert!(f.get("waiver").is_some_and(Value::is_null));
        }
        let worst = if inv["summary"]["fail"].as_u64() > Some(0) {
            "unsupported"
        } else if inv["summary"]["warn"].as_u64() > Some(0)
            || inv["summary"]["unknown"].as_u64() > Some(0)
        {
            "at-risk"
        } else {
            "supported"
        };
        prop_assert_eq!(inv["verdict"].as_str(), Some(worst));
    }
    Ok(())
}

/// How bad a status is for a time-based finding; `None` when not judged:
/// `skip` (no data) and `unknown` (e.g. the catalog has no release yet on an
/// early as-of date: leaving that state is not an improvement in standing).
fn rank(status: Status) -> Option<u8> {
    match status {
        Status::Pass => Some(0),
        Status::Info => Some(1),
        Status::Warn => Some(2),
        Status::Fail => Some(3),
        Status::Unknown | Status::Skip => None,
    }
}

fn time_based(findings: &[Labeled]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| TIME_BASED.contains(c))
        .collect();
    for f in findings {
        if f.outcome.deadline.is_some() && !codes.contains(&f.rule.code) {
            codes.push(f.rule.code);
        }
    }
    codes
}

fn status_of(findings: &[Labeled], code: &str, scope: &str) -> Option<Status> {
    findings
        .iter()
        .find(|f| f.rule.code == code && f.scope_label == scope)
        .map(|f| f.outcome.status)
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn valid_inventories_are_judged_and_rendered(
        (use_test, inventory) in inventory(),
        as_of in day_between((2021, 1, 1), 365 * 10),
    ) {
        let text = serde_json::to_string_pretty(&inventory).unwrap();
        let loaded = load(&text);
        let (findings, report) = judge(&loaded, use_test, as_of, RULES);
        prop_assert!(!findings.is_empty());
        let table = render(Format::Table, &report);
        prop_assert_eq!(table.lines().filter(|l| l.starts_with("verdict: ")).count(), 1);
        check_json_report(&render(Format::Json, &report), as_of)?;
        // The default gate (`--fail-on fail`) fails exactly when a finding fails.
        let fails = report.inventories.iter().any(|i| i.summary.fail > 0);
        prop_assert_eq!(report.totals.gate.fails(), fails);
    }

    #[test]
    fn a_later_as_of_never_improves_a_time_based_finding(
        (use_test, inventory) in inventory(),
        as_of in day_between((2021, 1, 1), 365 * 10),
        later_by in 0..1500i64,
    ) {
        let loaded = load(&inventory.to_string());
        let later = add_days(as_of, later_by);
        let (before, _) = judge(&loaded, use_test, as_of, RULES);
        let (after, _) = judge(&loaded, use_test, later, RULES);
        for code in time_based(&before) {
            for f in before.iter().filter(|f| f.rule.code == code) {
                let then = f.outcome.status;
                let Some(now) = status_of(&after, code, &f.scope_label) else { continue };
                if let (Some(a), Some(b)) = (rank(then), rank(now)) {
                    prop_assert!(
                        b >= a,
                        "{} {} improved from {} on {} to {} on {}: {} / {}",
                        code, f.scope_label, then.as_str(), as_of, now.as_str(), later,
                        f.outcome.message,
                        after.iter().find(|g| g.rule.code == code && g.scope_label == f.scope_label).map(|g| g.outcome.message.clone()).unwrap_or_default()
                    );
                }
            }
        }
        // A deadline is the first day the status gets worse.
        for f in &before {
            let Some(deadline) = &f.outcome.deadline else { continue };
            prop_assert!(deadline.date > as_of);
            let (on_deadline, _) = judge(&loaded, use_test, deadline.date, RULES);
            let (day_before, _) = judge(&loaded, use_test, add_days(deadline.date, -1), RULES);
            // A cluster line folding its passing nodes carries the nearest node
            // deadline; on that day the node is reported on its own.
            let on_scope = match f.outcome.evidence.get("nearestDeadlineNode").and_then(|n| n.as_str()) {
                Some(node) => format!("node/{}/{node}", f.scope_label.trim_start_matches("cluster/")),
                None => f.scope_label.clone(),
            };
            let on = status_of(&on_deadline, f.rule.code, &on_scope);
            let eve = status_of(&day_before, f.rule.code, &f.scope_label);
            prop_assert_eq!(eve, Some(f.outcome.status), "{} {}: status changed before its deadline {}", f.rule.code, f.scope_label, deadline.date);
            // Worse: a worse status, or (S001) the same status at a later stage.
            let stage_on = on_deadline
                .iter()
                .find(|g| g.rule.code == f.rule.code && g.scope_label == on_scope)
                .and_then(|g| g.outcome.evidence.get("stage").cloned());
            let later_stage = on == Some(f.outcome.status)
                && stage_on.is_some()
                && stage_on.as_ref() != f.outcome.evidence.get("stage");
            // A change on a day known only as a span (a month) starts with
            // `unknown`, naming the days it may fall on.
            let spanned = on == Some(Status::Unknown)
                && on_deadline
                    .iter()
                    .find(|g| g.rule.code == f.rule.code && g.scope_label == on_scope)
                    .is_some_and(|g| g.outcome.evidence.get("changesBetween").is_some());
            let worse = later_stage
                || spanned
                || on.and_then(rank).zip(rank(f.outcome.status)).is_some_and(|(on, then)| on > then);
            prop_assert!(worse, "{} {}: {:?} on its deadline {}, was {}", f.rule.code, f.scope_label, on, deadline.date, f.outcome.status.as_str());
        }
    }

    #[test]
    fn selecting_every_rule_is_selecting_none(
        (use_test, inventory) in inventory(),
        as_of in day_between((2021, 1, 1), 365 * 10),
    ) {
        let all: Vec<String> = RULES.iter().map(|r| r.code.to_string()).collect();
        let selected = registry::select(&all, &[]).unwrap();
        let default = registry::select(&[], &[]).unwrap();
        prop_assert_eq!(selected.len(), default.len());
        let loaded = load(&inventory.to_string());
        let (_, a) = judge(&loaded, use_test, as_of, &selected);
        let (_, b) = judge(&loaded, use_test, as_of, &default);
        prop_assert_eq!(render(Format::Json, &a), render(Format::Json, &b));
    }

    #[test]
    fn generated_inventories_satisfy_the_schema((_, inventory) in inventory()) {
        static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
        let validator = VALIDATOR.get_or_init(|| {
            jsonschema::validator_for(&serde_json::from_str(akspol::INVENTORY_SCHEMA).unwrap()).unwrap()
        });
        let errors: Vec<String> = validator.iter_errors(&inventory).map(|e| format!("{}: {e}", e.instance_path)).collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }
}

proptest! {
    // Through the binary: slower, so fewer cases.
    #![proptest_config(cases(6))]

    #[test]
    fn the_binary_exits_0_or_1_and_select_all_changes_nothing(
        (use_test, inventory) in inventory(),
        as_of in day_between((2021, 1, 1), 365 * 10),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inventory.json");
        std::fs::write(&path, serde_json::to_string_pretty(&inventory).unwrap()).unwrap();
        let all: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let run = |select: Option<String>| {
            let mut cmd = common::akspol();
            cmd.current_dir(common::repo())
                .args(["check", "--format", "json", "--as-of", &as_of.to_string()])
                .arg(&path);
            if use_test {
                cmd.args(["--catalog", "fixtures/catalogs/test.json"]);
            }
            if let Some(select) = select {
                cmd.args(["--select", &select]);
            }
            cmd.output().unwrap()
        };
        let plain = run(None);
        let selected = run(Some(all.join(",")));
        prop_assert!(matches!(plain.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&plain.stderr));
        prop_assert_eq!(plain.status.code(), selected.status.code());
        prop_assert_eq!(&plain.stdout, &selected.stdout);
        check_json_report(&String::from_utf8(plain.stdout).unwrap(), as_of)?;
    }
}
