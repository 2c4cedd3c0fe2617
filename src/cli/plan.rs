//! `akspol plan INVENTORY...`: what `check` reads (files, `-`, directories,
//! NDJSON streams, folders and zips of saved command outputs), one plan per
//! inventory: load, evaluate every rule, plan, render. Exit 0 when every
//! inventory was planned (even with steps or blockers), 2 when one could
//! not be read (the others are still planned).

use std::io::{IsTerminal, Write};

use crate::base::sanitize::clean;
use crate::catalog::CatalogView;
use crate::cli::args::PlanArgs;
use crate::cli::exit::{Failure, EXIT_ERROR, EXIT_OK};
use crate::cli::inputs;
use crate::cli::load::{catalog_and_policy_files, load_catalog, load_policies};
use crate::cli::output::{check_outputs, table_width, Named, Output};
use crate::input::sources::{self, Unit};
use crate::input::InputError;
use crate::inventory::{self, LoadOptions};
use crate::plan::render::PlanFormat;
use crate::rules::{self, Context};

pub fn run(args: &PlanArgs) -> Result<u8, Failure> {
    let as_of = args.as_of.unwrap_or_else(crate::base::dates::today_utc);
    let catalog = load_catalog(&args.catalog)?;
    let policies = load_policies(&args.policy)?;
    let view = CatalogView::new(&catalog, as_of);
    let sources = inputs::expand(&args.inventories, args.recursive, args.ndjson)?;
    let given = inputs::given_facts(&args.saved, &sources)?;
    if let Some(output) = &args.output {
        let mut inputs: Vec<Named> = sources
            .iter()
            .map(|s| Named::new("INVENTORY", s.path()))
            .collect();
        inputs.extend(catalog_and_policy_files(
            &args.catalog,
            args.policy.policy.as_deref(),
            &catalog,
        ));
        check_outputs(None, &[Named::new("--output", output)], &inputs)?;
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let stages = PlanStages {
        view: &view,
        policies: &policies,
        load: LoadOptions {
            allow_unknown_fields: args.allow_unknown_fields,
        },
        format: args.format,
        width: table_width(to_terminal, 120),
    };
    let build = |dir: &std::path::Path, max_bytes: u64| {
        crate::cli::collect::saved_outputs_inventory(dir, max_bytes, &given)
    };
    // Each plan is written as soon as it and those before it are made; a
    // file is replaced only when at least one was.
    let mut out = Output::open(args.output.as_deref())?;
    let mut joined = Joined::new(args.format, sources_hold_one(&sources));
    let mut not_planned = 0usize;
    let stderr = std::io::stderr();
    crate::judge::fleet::judge_all(
        &sources,
        crate::judge::fleet::LoopOptions {
            max_input_bytes: args.max_input_bytes,
            threads: inputs::worker_threads(args.threads),
            build_saved: Some(&build),
        },
        &stages,
        &mut |done: Planned| {
            let mut err = stderr.lock();
            for line in &done.account {
                let _ = writeln!(err, "{}", clean(line));
            }
            for warning in &done.warnings {
                let _ = writeln!(err, "warning: {}", clean(warning));
            }
            match done.plan {
                Ok(bytes) => {
                    if let Err(error) = joined.push(&bytes, &mut out) {
                        out.fail(error);
                    }
                }
                Err(error) => {
                    not_planned += 1;
                    let _ = writeln!(err, "error: {error}");
                }
            }
        },
    );
    if joined.plans == 0 {
        // Nothing is written: a file stays as it was.
        return Ok(EXIT_ERROR);
    }
    let ended = joined.finish(&mut out);
    out.commit(ended)?;
    Ok(if not_planned > 0 { EXIT_ERROR } else { EXIT_OK })
}

/// Whether the command line names one inventory: its plan is written alone
/// (the JSON object of plan version 1), where several are a JSON array.
fn sources_hold_one(sources: &[sources::Input]) -> bool {
    matches!(sources, [one] if !one.ndjson)
}

/// The plans in input order: one after another, a blank line between two;
/// in JSON, the one plan's object, or an array of them.
struct Joined {
    array: bool,
    plans: usize,
}

impl Joined {
    fn new(format: PlanFormat, one: bool) -> Self {
        Self {
            array: format == PlanFormat::Json && !one,
            plans: 0,
        }
    }

    fn push(&mut self, plan: &[u8], out: &mut dyn Write) -> std::io::Result<()> {
        match (self.array, self.plans) {
            (true, 0) => out.write_all(b"[\n")?,
            (true, _) => out.write_all(b",\n")?,
            (false, 0) => {}
            (false, _) => out.write_all(b"\n")?,
        }
        self.plans += 1;
        if self.array {
            out.write_all(plan.strip_suffix(b"\n").unwrap_or(plan))
        } else {
            out.write_all(plan)
        }
    }

    fn finish(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.array {
            out.write_all(b"\n]\n")?;
        }
        Ok(())
    }
}

/// How each inventory is planned on the fleet loop.
struct PlanStages<'a> {
    view: &'a CatalogView<'a>,
    policies: &'a crate::policy::Policies,
    load: LoadOptions,
    format: PlanFormat,
    width: u16,
}

/// One inventory planned: its plan rendered, or why there is none; the
/// warnings of reading it, and for saved outputs the account of their files.
struct Planned {
    plan: Result<Vec<u8>, InputError>,
    warnings: Vec<String>,
    account: Vec<String>,
}

impl crate::judge::fleet::Stages for PlanStages<'_> {
    type Judged = Planned;
    type Done = Planned;

    fn judge(&self, unit: Unit) -> Planned {
        let Unit {
            origin,
            line_of,
            text,
            mut warnings,
            account,
            notices: _,
        } = unit;
        let plan = text.and_then(|text| {
            let loaded = inventory::load(&origin, &text, self.load)
                .map_err(|e| sources::locate_error(line_of.as_ref(), e))?;
            drop(text);
            warnings.extend(
                loaded
                    .warnings
                    .into_iter()
                    .map(|w| sources::locate_warning(line_of.as_ref(), &origin, w)),
            );
            let policy = self
                .policies
                .for_deployment(loaded.inventory.deployment.product, self.view.as_of)
                .map_err(|why| InputError::file(&origin, why))?;
            // What Azure lists for the instance moves the line forward for it.
            let attested = rules::azure::attested_releases(&loaded.inventory, self.view);
            let view = self.view.with_attested(&attested);
            let ctx = Context::new(&loaded.inventory, &view, policy);
            let findings = rules::evaluate(&ctx, rules::RULES);
            let plan = crate::plan::make(&ctx, &findings);
            let mut bytes = Vec::new();
            crate::plan::render::render(&plan, self.format, self.width, &mut bytes).map_err(
                |source| InputError::Read {
                    origin: origin.clone(),
                    source,
                },
            )?;
            Ok(bytes)
        });
        Planned {
            plan,
            warnings,
            account,
        }
    }

    fn in_order(&self, _: &mut Planned) {}

    fn finish(&self, planned: Planned) -> Planned {
        planned
    }
}
