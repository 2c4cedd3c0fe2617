//! `akspol plan INVENTORY`: load, evaluate every rule, plan, render.
//! Exit 0 when a plan was made (even one with steps or blockers), 2 on bad input.

use std::io::{IsTerminal, Write};

use crate::base::sanitize::clean;
use crate::catalog::CatalogView;
use crate::cli::args::PlanArgs;
use crate::cli::exit::{Failure, EXIT_OK};
use crate::cli::load::{catalog_and_policy_files, load_catalog, load_policies};
use crate::cli::output::{check_outputs, table_width, write_output, Named};
use crate::input;
use crate::inventory::{self, LoadOptions};
use crate::rules::{self, Context};

pub fn run(args: &PlanArgs) -> Result<u8, Failure> {
    let as_of = args.as_of.unwrap_or_else(crate::base::dates::today_utc);
    let catalog = load_catalog(&args.catalog)?;
    let policies = load_policies(&args.policy)?;
    let view = CatalogView::new(&catalog, as_of);
    let source = &args.inventory;
    if let Some(output) = &args.output {
        let mut inputs = vec![Named::new("INVENTORY", source)];
        inputs.extend(catalog_and_policy_files(
            &args.catalog,
            args.policy.policy.as_deref(),
            &catalog,
        ));
        check_outputs(None, &[Named::new("--output", output)], &inputs)?;
    }
    let origin = crate::input::sources::origin_of(source);
    let text = input::read_text(source, args.max_input_bytes)?;
    let options = LoadOptions {
        allow_unknown_fields: args.allow_unknown_fields,
    };
    let loaded = inventory::load(&origin, &text, options)?;
    drop(text);
    for warning in &loaded.warnings {
        let _ = writeln!(std::io::stderr().lock(), "warning: {}", clean(warning));
    }
    let policy = policies
        .for_deployment(loaded.inventory.deployment.product, as_of)
        .map_err(|why| Failure::Usage(format!("{}: {why}", clean(&origin))))?;
    let ctx = Context::new(&loaded.inventory, &view, policy);
    let findings = rules::evaluate(&ctx, rules::RULES);
    let plan = crate::plan::make(&ctx, &findings);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let width = table_width(to_terminal, 120);
    write_output(args.output.as_deref(), |out| {
        crate::plan::render::render(&plan, args.format, width, out)
    })?;
    Ok(EXIT_OK)
}
