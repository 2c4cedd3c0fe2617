//! The body of the fuzz target (`fuzz/fuzz_targets/check.rs`) and of its cheap
//! CI stand-in (`tests/fuzz_replay.rs`): any bytes go through decode -> parse
//! -> evaluate -> waivers -> render (every format), and the invariants that
//! must hold for every input are checked.
//!
//! An input is one file, or up to four joined by a 0xFF byte (which UTF-8
//! text never holds): `inventory 0xFF catalog 0xFF policy 0xFF waivers`, an
//! empty part meaning the embedded catalog or policy, or no waivers. One file
//! is tried in every role: as an inventory (judged against the embedded
//! catalog and policy), and as a catalog, a policy and a waiver file (each
//! judging the bundled example inventory), so the fuzzer mutates all four.
//! Not part of akspol: both callers include this one file (`#[path]`), so
//! the product library carries no fuzzing code.

use akspol::base::dates::Day;
use akspol::catalog::{Catalog, CatalogSource, CatalogView};
use akspol::findings::ReportedFinding;
use akspol::input::{self, InputError, ScopeLines};
use akspol::inventory::{self, Inventory, LoadOptions};
use akspol::judge::{self, waivers::Waiver};
use akspol::policy::{EditionChoice, Overrides, Policies};
use akspol::report::{Format, RenderOptions};
use akspol::rules::{self, Context, RULES};

/// The part separator of a multi-file input.
pub const SEPARATOR: u8 = 0xFF;

/// The inventory a fuzzed catalog, policy or waiver file is tried on.
const EXAMPLE: &str = include_str!("../fixtures/examples/contoso.json");

/// The embedded catalog and policy and the example inventory, parsed once.
pub struct Harness {
    catalog: Catalog,
    policies: Policies,
    example: Inventory,
    as_of: Vec<Day>,
}

/// What one judgement runs with.
struct Setup<'a> {
    catalog: &'a Catalog,
    policies: &'a Policies,
    waivers: &'a [Waiver],
}

impl Harness {
    pub fn new() -> Result<Self, InputError> {
        let as_of = ["2020-01-01", "2026-11-23", "2031-06-30"]
            .iter()
            .filter_map(|d| akspol::base::dates::parse_day(d).ok())
            .collect();
        Ok(Self {
            catalog: Catalog::embedded()?,
            policies: Policies::new(EditionChoice::Default, None, None)?,
            example: inventory::load("contoso.json", EXAMPLE, LoadOptions::default())?.inventory,
            as_of,
        })
    }

    /// Runs one input. `Err` is a broken invariant (a bug); a panic is one too.
    pub fn run(&self, data: &[u8]) -> Result<(), String> {
        if data.contains(&SEPARATOR) {
            return self.run_parts(data);
        }
        let text = match input::decode("fuzz.json", data.to_vec()) {
            Ok(text) => text,
            Err(error) => return terminal_safe("decode error", &error.to_string()),
        };
        let embedded = Setup {
            catalog: &self.catalog,
            policies: &self.policies,
            waivers: &[],
        };
        match Catalog::from_text("fuzz.json", &text, CatalogSource::File("fuzz.json".into())) {
            Ok(catalog) => self.judge_all(
                &self.example,
                None,
                &Setup {
                    catalog: &catalog,
                    ..embedded
                },
            )?,
            Err(error) => terminal_safe("catalog error", &error.to_string())?,
        }
        match policies_from("fuzz.json", &text) {
            Ok(policies) => self.judge_all(
                &self.example,
                None,
                &Setup {
                    policies: &policies,
                    ..embedded
                },
            )?,
            Err(error) => terminal_safe("policy error", &error.to_string())?,
        }
        match judge::waivers::parse("fuzz.json", &text) {
            Ok(waivers) => self.judge_all(
                &self.example,
                None,
                &Setup {
                    waivers: &waivers,
                    ..embedded
                },
            )?,
            Err(error) => terminal_safe("waivers error", &error.to_string())?,
        }
        self.collect(&text)?;
        for allow_unknown_fields in [false, true] {
            let options = LoadOptions {
                allow_unknown_fields,
            };
            match inventory::load("fuzz.json", &text, options) {
                Ok(loaded) => {
                    let lines = ScopeLines::scan(&text);
                    self.judge_all(&loaded.inventory, Some(&lines), &embedded)?;
                }
                Err(error) => terminal_safe("inventory error", &error.to_string())?,
            }
        }
        Ok(())
    }

    /// The text as the saved output of every command `akspol collect` reads,
    /// one product line at a time: an inventory comes out that `check`
    /// reads, or a reason; never a panic.
    fn collect(&self, text: &str) -> Result<(), String> {
        use akspol::collect::bundle::{Bundle, Entry, Source};
        // What a file under another name is, by its content: never a panic.
        let _ = akspol::collect::recognize::recognize("saved.json", text);
        let c = || "c".to_string();
        let lines = [
            (
                "1.0.24.11029",
                vec![
                    Source::AksHciVersion,
                    Source::AksHciConfig,
                    Source::AksHciCluster,
                    Source::AksHciNodePool,
                    Source::AksHciKubernetesVersion,
                    Source::AksHciClusterUpdates(c()),
                    Source::KubectlVersion(c()),
                    Source::KubectlGetNodes(c()),
                ],
            ),
            (
                "2510",
                vec![
                    Source::AksArcList,
                    Source::AksArcShow(c()),
                    Source::AksArcNodePoolList(c()),
                    Source::AksArcGetVersions,
                ],
            ),
        ];
        for (version, sources) in lines {
            let mut bundle = Bundle::default();
            for source in sources {
                let entry = Entry {
                    origin: source.file_name(),
                    command: None,
                    ran_at: None,
                    output: Ok(text.to_string()),
                };
                bundle.entries.insert(source, entry);
            }
            let options = akspol::collect::Options {
                deployment_name: Some(("fuzz".to_string(), "fuzz")),
                deployment_version: Some(version.to_string()),
                ..akspol::collect::Options::default()
            };
            // Every inventory made is one `check` reads.
            if let Ok(collected) = akspol::collect::assemble(&bundle, &options) {
                let written = serde_json::to_string(&collected.inventory)
                    .map_err(|e| format!("collect wrote no JSON: {e}"))?;
                if let Err(error) = inventory::load("collected", &written, LoadOptions::default()) {
                    return Err(format!(
                        "collect made an inventory check refuses: {error}\n{written}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// `inventory 0xFF catalog 0xFF policy 0xFF waivers`: each part that
    /// reads replaces its default; one that does not must fail cleanly.
    fn run_parts(&self, data: &[u8]) -> Result<(), String> {
        let mut parts = data.splitn(4, |b| *b == SEPARATOR);
        let mut next_text = |what: &str| -> Result<Option<String>, String> {
            match parts.next().filter(|p| !p.is_empty()) {
                None => Ok(None),
                Some(bytes) => match input::decode(what, bytes.to_vec()) {
                    Ok(text) => Ok(Some(text)),
                    Err(error) => terminal_safe("decode error", &error.to_string()).map(|()| None),
                },
            }
        };
        let inventory_text = next_text("inventory.json")?;
        let catalog_text = next_text("catalog.json")?;
        let policy_text = next_text("policy.json")?;
        let waivers_text = next_text("waivers.json")?;
        let catalog = match catalog_text {
            None => self.catalog.clone(),
            Some(text) => match Catalog::from_text(
                "catalog.json",
                &text,
                CatalogSource::File("catalog.json".into()),
            ) {
                Ok(catalog) => catalog,
                Err(error) => return terminal_safe("catalog error", &error.to_string()),
            },
        };
        let policies = match policy_text {
            None => self.policies.clone(),
            Some(text) => match policies_from("policy.json", &text) {
                Ok(policies) => policies,
                Err(error) => return terminal_safe("policy error", &error.to_string()),
            },
        };
        let waivers = match waivers_text {
            None => Vec::new(),
            Some(text) => match judge::waivers::parse("waivers.json", &text) {
                Ok(waivers) => waivers,
                Err(error) => return terminal_safe("waivers error", &error.to_string()),
            },
        };
        let setup = Setup {
            catalog: &catalog,
            policies: &policies,
            waivers: &waivers,
        };
        match inventory_text {
            None => self.judge_all(&self.example, None, &setup),
            Some(text) => match inventory::load("inventory.json", &text, LoadOptions::default()) {
                Ok(loaded) => {
                    let lines = ScopeLines::scan(&text);
                    self.judge_all(&loaded.inventory, Some(&lines), &setup)
                }
                Err(error) => terminal_safe("inventory error", &error.to_string()),
            },
        }
    }

    fn judge_all(
        &self,
        inventory: &Inventory,
        lines: Option<&ScopeLines>,
        setup: &Setup,
    ) -> Result<(), String> {
        for &as_of in &self.as_of {
            self.judge(inventory, as_of, lines, setup)?;
        }
        Ok(())
    }

    fn judge(
        &self,
        inventory: &Inventory,
        as_of: Day,
        lines: Option<&ScopeLines>,
        setup: &Setup,
    ) -> Result<(), String> {
        let view = CatalogView::new(setup.catalog, as_of);
        let policy = setup
            .policies
            .for_deployment(inventory.deployment.product, as_of)?;
        let attested = rules::azure::attested_releases(inventory, &view);
        let view = view.with_attested(&attested);
        let ctx = Context::new(inventory, &view, policy);
        let findings: Vec<ReportedFinding> = rules::evaluate(&ctx, RULES)
            .into_iter()
            .map(ReportedFinding::new)
            .collect();
        for f in &findings {
            if let Some(deadline) = &f.finding.outcome.deadline {
                if deadline.date <= as_of {
                    return Err(format!(
                        "{} {}: deadline {} is not after the as-of date {as_of}",
                        f.finding.rule.code,
                        rules::scope_label(f.finding.scope, inventory),
                        deadline.date
                    ));
                }
            }
        }
        let options = judge::JudgeOptions {
            coverage: true,
            plan: true,
            ..Default::default()
        };
        let judged = judge::judge_inventory(inventory, lines, &view, policy, RULES, options);
        let mut inventories = vec![judged];
        let notes = judge::waivers::apply(setup.waivers, as_of, &mut inventories);
        if notes.len() != setup.waivers.len() {
            return Err("a waiver went missing from the notes".to_string());
        }
        let report = judge::report(as_of, &view, setup.policies, inventories, notes);
        let options = RenderOptions {
            color: false,
            width: 100,
            ..RenderOptions::default()
        };
        // Every format: none may fail to render or let a control character through.
        for format in <Format as clap::ValueEnum>::value_variants() {
            let name = format!("{format:?}");
            let mut out = Vec::new();
            format
                .render(&report, &options, &mut out)
                .map_err(|e| format!("{name}: {e}"))?;
            if matches!(format, Format::Json | Format::Sarif) {
                let parsed: serde_json::Value = serde_json::from_slice(&out)
                    .map_err(|e| format!("{name} does not parse: {e}"))?;
                if *format == Format::Json
                    && parsed.get("reportVersion") != Some(&serde_json::Value::from(1))
                {
                    return Err("json: no reportVersion 1".to_string());
                }
            }
            terminal_safe(&name, &String::from_utf8_lossy(&out))?;
        }
        Ok(())
    }
}

/// No character but a line feed that changes what a terminal shows.
fn terminal_safe(what: &str, text: &str) -> Result<(), String> {
    match text
        .chars()
        .find(|&c| c != '\n' && akspol::base::sanitize::is_unsafe(c))
    {
        Some(c) => Err(format!("{what}: raw {c:?} in output:\n{text}")),
        None => Ok(()),
    }
}

/// The embedded editions with a fuzzed policy file's numbers over them.
fn policies_from(origin: &str, text: &str) -> Result<Policies, InputError> {
    let overrides = Overrides::from_text(origin, text)?;
    Policies::new(EditionChoice::Default, Some(&overrides), None)
}
