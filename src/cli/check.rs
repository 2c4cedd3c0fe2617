//! `akspol check`: inputs -> parse -> evaluate -> report -> exit status.

use std::io::{IsTerminal, Write};

use crate::base::sanitize::clean;
use crate::catalog::CatalogView;
use crate::cli::args::{CheckArgs, ColorChoice};
use crate::cli::exit::{Failure, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::cli::load::{catalog_and_policy_files, load_catalog, load_policy};
use crate::cli::output::{check_outputs, remove_stale, table_width, write_output, Named};
use crate::cli::progress::Progress;
use crate::findings::Report;
use crate::input::sources::{self, Unit};
use crate::inventory::LoadOptions;
use crate::judge::gate::Gate;
use crate::judge::{self, JudgeOptions};
use crate::report::{Format, RenderOptions};
use crate::rules::registry;

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let as_of = args.as_of.unwrap_or_else(crate::base::dates::today_utc);
    let catalog = load_catalog(&args.catalog)?;
    if let Some(warning) = crate::catalog::cache::stale_warning(&catalog, as_of) {
        eprintln!("warning: {warning}");
    }
    let policy = load_policy(args.policy.as_deref())?;
    let selected = registry::select(&args.select, &args.ignore).map_err(Failure::Usage)?;
    let view = CatalogView::new(&catalog, as_of);
    let sources = sources::expand(
        &args.inventories,
        sources::ExpandOptions {
            recursive: args.recursive,
            ndjson: args.ndjson,
        },
    )
    .map_err(Failure::Input)?;
    check_outputs_of(args, &sources, &catalog)?;
    let waivers = match &args.waivers {
        Some(path) => judge::waivers::load(path, args.max_input_bytes)?,
        None => Vec::new(),
    };

    let formats = || std::iter::once(args.format).chain(args.reports.iter().map(|r| r.format));
    let options = JudgeOptions {
        load: LoadOptions {
            allow_unknown_fields: args.allow_unknown_fields,
        },
        lines: formats().any(Format::needs_lines),
        coverage: formats().any(Format::needs_coverage),
    };
    let mut inventories = Vec::new();
    let mut failed = 0usize;
    let stderr = std::io::stderr();
    let progress = Progress::new(&sources);
    let judge_unit = |unit: Unit| {
        let Unit {
            origin,
            line_of,
            text,
        } = unit;
        let result = text.and_then(|text| {
            judge::judge(&origin, text, &view, &policy, &selected, options)
                .map_err(|error| sources::locate_error(line_of.as_ref(), error))
        });
        progress.inc();
        result.map(|(report, warnings)| {
            let warnings: Vec<String> = warnings
                .into_iter()
                .map(|w| sources::locate_warning(line_of.as_ref(), &origin, w))
                .collect();
            (report, warnings)
        })
    };
    judge::fleet::judge_all(
        &sources,
        judge::fleet::LoopOptions {
            max_input_bytes: args.max_input_bytes,
        },
        &judge_unit,
        &mut |result| match result {
            Ok((report, warnings)) => {
                progress.suspend(|| {
                    for warning in warnings {
                        let _ = writeln!(stderr.lock(), "warning: {}", clean(&warning));
                    }
                });
                inventories.push(report);
            }
            Err(error) => {
                failed += 1;
                progress.suspend(|| {
                    let _ = writeln!(stderr.lock(), "error: {error}");
                });
            }
        },
    );
    progress.finish();
    if inventories.is_empty() {
        remove_stale_reports(args);
        return Ok(EXIT_ERROR);
    }
    let waiver_notes = judge::waivers::apply(&waivers, as_of, &mut inventories);
    for warning in waiver_notes.iter().filter_map(|n| n.warning()) {
        let _ = writeln!(stderr.lock(), "warning: {}", clean(&warning));
    }
    let report = judge::report(as_of, &view, inventories, waiver_notes);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let render = RenderOptions {
        color: use_color(args.color, to_terminal),
        width: terminal_width(to_terminal),
    };
    // The fleet summary follows the tables when there is a fleet; JSON
    // carries it inside the document (`report::json`).
    let table = args.format == Format::Table;
    let fleet = table && (report.inventories.len() > 1 || args.summary_only);
    write_output(args.output.as_deref(), |out| {
        if !(table && args.summary_only) {
            args.format.render(&report, &render, out)?;
        }
        if fleet {
            if !args.summary_only {
                writeln!(out)?;
            }
            crate::report::table::render_fleet(&report.fleet, failed, &render, out)?;
        }
        Ok(())
    })?;
    // `--report FORMAT=FILE`: files, so no colour and the fixed width.
    let file_render = RenderOptions {
        color: false,
        width: terminal_width(false),
    };
    for spec in &args.reports {
        write_output(Some(&spec.path), |out| {
            spec.format.render(&report, &file_render, out)
        })?;
    }
    let status = if failed > 0 {
        EXIT_ERROR
    } else {
        exit_status(&report, args)
    };
    // Freeing a fleet's worth of inventories one allocation at a time takes
    // longer than judging them; the process is about to exit.
    std::mem::forget(report);
    Ok(status)
}

/// `--output` and `--report` files: none an input, none named twice.
fn check_outputs_of(
    args: &CheckArgs,
    sources: &[sources::Input],
    catalog: &crate::catalog::Catalog,
) -> Result<(), Failure> {
    let mut outputs: Vec<Named> = args
        .output
        .iter()
        .map(|path| Named::new("--output", path))
        .collect();
    outputs.extend(
        args.reports
            .iter()
            .map(|r| Named::new(format!("--report {}", r.format.as_str()), &r.path)),
    );
    let mut inputs: Vec<Named> = sources
        .iter()
        .map(|s| Named::new("INVENTORY", s.path()))
        .collect();
    inputs.extend(args.waivers.iter().map(|p| Named::new("--waivers", p)));
    inputs.extend(catalog_and_policy_files(
        &args.catalog,
        args.policy.as_deref(),
        catalog,
    ));
    let stdout = args
        .output
        .is_none()
        .then(|| format!("--format {} (standard output)", args.format.as_str()));
    check_outputs(stdout.as_deref(), &outputs, &inputs)
}

/// No inventory could be judged: reports an earlier run left under the
/// names of this run's outputs go, so that CI does not upload them as this
/// run's (the exit status is 2 either way).
fn remove_stale_reports(args: &CheckArgs) {
    let removed: Vec<String> = args
        .output
        .iter()
        .chain(args.reports.iter().map(|r| &r.path))
        .filter(|path| remove_stale(path))
        .map(|path| clean(&path.display().to_string()).into_owned())
        .collect();
    if !removed.is_empty() {
        let _ = writeln!(
            std::io::stderr().lock(),
            "warning: no inventory could be judged: removed the reports an earlier run left in {}",
            removed.join(", ")
        );
    }
}

/// 1 when any unwaived finding reaches `--fail-on`, or a deadline falls within `--fail-within`.
pub fn exit_status(report: &Report, args: &CheckArgs) -> u8 {
    let gate = Gate {
        threshold: args.fail_on.threshold(),
        fail_within: args.fail_within,
    };
    if gate.fails(report) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The terminal's width on a terminal; a fixed 140 columns otherwise, so that
/// files and CI logs are the same bytes wherever they are produced.
fn terminal_width(to_terminal: bool) -> u16 {
    table_width(to_terminal, 140)
}
