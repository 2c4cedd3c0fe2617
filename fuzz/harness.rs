//! The body of the fuzz target (`fuzz/fuzz_targets/check.rs`) and of its cheap
//! CI stand-in (`tests/fuzz_replay.rs`): any bytes go through decode -> parse
//! (as an inventory, a catalog and a policy) -> evaluate -> render (table and
//! JSON), and the invariants that must hold for every input are checked.
//! Not part of akspol: both callers include this one file (`#[path]`), so
//! the product library carries no fuzzing code.

use akspol::base::dates::Day;
use akspol::catalog::{Catalog, CatalogSource, CatalogView};
use akspol::findings::ReportedFinding;
use akspol::input::{self, InputError, ScopeLines};
use akspol::inventory::{self, LoadOptions};
use akspol::judge;
use akspol::policy::{EditionChoice, Policies, Policy};
use akspol::report::{Format, RenderOptions};
use akspol::rules::{self, Context, RULES};

/// The embedded catalog and policy editions, parsed once.
pub struct Harness {
    catalog: Catalog,
    policy: Policy,
    policies: Policies,
    as_of: Vec<Day>,
}

impl Harness {
    pub fn new() -> Result<Self, InputError> {
        let as_of = ["2020-01-01", "2026-11-23", "2031-06-30"]
            .iter()
            .filter_map(|d| akspol::base::dates::parse_day(d).ok())
            .collect();
        Ok(Self {
            catalog: Catalog::embedded()?,
            policy: Policy::embedded()?,
            policies: Policies::new(EditionChoice::Default, None, None)?,
            as_of,
        })
    }

    /// Runs one input. `Err` is a broken invariant (a bug); a panic is one too.
    pub fn run(&self, data: &[u8]) -> Result<(), String> {
        let text = match input::decode("fuzz.json", data.to_vec()) {
            Ok(text) => text,
            Err(error) => return terminal_safe("decode error", &error.to_string()),
        };
        if let Err(error) = Catalog::from_text("fuzz.json", &text, CatalogSource::Embedded) {
            terminal_safe("catalog error", &error.to_string())?;
        }
        if let Err(error) = Policy::from_text("fuzz.json", &text, Some(&self.policy)) {
            terminal_safe("policy error", &error.to_string())?;
        }
        self.collect(&text)?;
        for allow_unknown_fields in [false, true] {
            let options = LoadOptions {
                allow_unknown_fields,
            };
            let loaded = match inventory::load("fuzz.json", &text, options) {
                Ok(loaded) => loaded,
                Err(error) => {
                    terminal_safe("inventory error", &error.to_string())?;
                    continue;
                }
            };
            let lines = ScopeLines::scan(&text);
            for &as_of in &self.as_of {
                self.judge(&loaded.inventory, as_of, &lines)?;
            }
        }
        Ok(())
    }

    /// The text as the saved output of every command `akspol collect` reads,
    /// one product line at a time: an inventory comes out that `check`
    /// reads, or a reason; never a panic.
    fn collect(&self, text: &str) -> Result<(), String> {
        use akspol::collect::bundle::{Bundle, Entry, Source};
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
            // `assemble` loads every inventory it makes as `check` would,
            // and says so when that fails.
            if let Err(failed) = akspol::collect::assemble(&bundle, &options) {
                if failed.why.contains("a bug in akspol collect") {
                    return Err(failed.why);
                }
            }
        }
        Ok(())
    }

    fn judge(
        &self,
        inventory: &inventory::Inventory,
        as_of: Day,
        lines: &ScopeLines,
    ) -> Result<(), String> {
        let view = CatalogView::new(&self.catalog, as_of);
        let policy = self
            .policies
            .for_deployment(inventory.deployment.product, as_of)?;
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
                        f.finding.rule.code, f.finding.scope_label, deadline.date
                    ));
                }
            }
        }
        let options = judge::JudgeOptions {
            coverage: true,
            plan: true,
            ..Default::default()
        };
        let judged = judge::judge_inventory(inventory, Some(lines), &view, policy, RULES, options);
        let report = judge::report(as_of, &view, &self.policies, vec![judged], Vec::new());
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
