//! `akspol check`: inputs -> parse -> evaluate -> report -> exit status.

use std::io::{IsTerminal, Write};

use crate::base::sanitize::clean;
use crate::catalog::CatalogView;
use crate::cli::args::{CheckArgs, ColorChoice};
use crate::cli::exit::{Failure, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::cli::load::{load_catalog, load_policies};
use crate::cli::output::{table_width, write_output};
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
    let policies = load_policies(&args.policy)?;
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
            judge::judge(&origin, text, &view, &policies, &selected, options)
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
        return Ok(EXIT_ERROR);
    }
    let waiver_notes = judge::waivers::apply(&waivers, as_of, &mut inventories);
    for warning in waiver_notes.iter().filter_map(|n| n.warning()) {
        let _ = writeln!(stderr.lock(), "warning: {}", clean(&warning));
    }
    let report = judge::report(as_of, &view, &policies, inventories, waiver_notes);
    for warning in too_old_warnings(&report) {
        let _ = writeln!(stderr.lock(), "warning: {warning}");
    }
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

/// One warning per product line the judged inventories use whose catalog
/// facts are older than the line's cadence (the reports say it too; this is
/// for runs whose output is a file or JSON).
fn too_old_warnings(report: &Report) -> Vec<String> {
    report
        .catalog
        .lines
        .iter()
        .filter(|line| line.too_old && report.inventories.iter().any(|i| i.product == line.product))
        .map(|line| {
            format!(
                "the catalog in use ({}) knows {} up to {}{}, {} days before the as-of date {} (more than {}): a pass that needs the latest release is reported unknown; run `akspol catalog update` or pass --catalog",
                clean(&report.catalog.source),
                line.product.releases(),
                if line.known_through_estimated { "~" } else { "" },
                line.known_through.as_deref().unwrap_or_default(),
                line.age_days.unwrap_or_default(),
                report.as_of,
                line.max_age_days.unwrap_or_default()
            )
        })
        .collect()
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
