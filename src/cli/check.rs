//! `akspol check`: inputs -> parse -> evaluate -> report -> exit status.

use std::io::{IsTerminal, Write};

use crate::base::sanitize::clean;
use crate::catalog::CatalogView;
use crate::cli::args::{CheckArgs, ColorChoice};
use crate::cli::{load_catalog, load_policy, write_output, Failure};
use crate::input::sources::{self, Unit};
use crate::input::{InputError, ScopeLines};
use crate::inventory::{self, LoadOptions};
use crate::report::{CatalogSummary, InventoryReport, RenderOptions, Report, ReportedFinding};
use crate::rules::{self, registry, Context, Rule};

/// Exit statuses (`cli.md`).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

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
    let waivers = match &args.waivers {
        Some(path) => crate::judge::waivers::load(path, args.max_input_bytes)?,
        None => Vec::new(),
    };

    let options = LoadOptions {
        allow_unknown_fields: args.allow_unknown_fields,
    };
    let needs_lines =
        args.format.needs_lines() || args.reports.iter().any(|r| r.format.needs_lines());
    let mut inventories = Vec::new();
    let mut failed = 0usize;
    let stderr = std::io::stderr();
    let progress = sources::Progress::new(&sources);
    let judge_unit = |unit: Unit| {
        let Unit {
            origin,
            line_of,
            text,
        } = unit;
        let result = text.and_then(|text| {
            judge(
                &origin,
                text,
                &view,
                &policy,
                &selected,
                options,
                needs_lines,
            )
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
    sources::judge_all(
        &sources,
        sources::LoopOptions {
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
    let waiver_notes = crate::judge::waivers::apply(&waivers, as_of, &mut inventories);
    for warning in waiver_notes.iter().filter_map(|n| n.warning()) {
        let _ = writeln!(stderr.lock(), "warning: {}", clean(&warning));
    }
    let report = Report {
        as_of,
        catalog: CatalogSummary::of(&view),
        inventories,
        waivers: waiver_notes,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let render = RenderOptions {
        color: use_color(args.color, to_terminal),
        width: terminal_width(to_terminal),
    };
    // The fleet summary follows the tables when there is a fleet; JSON
    // carries it inside the document (`report::json`).
    let table = args.format == crate::report::Format::Table;
    let fleet = table && (report.inventories.len() > 1 || args.summary_only);
    write_output(args.output.as_deref(), |out| {
        if !(table && args.summary_only) {
            args.format.render(&report, &render, out)?;
        }
        if fleet {
            if !args.summary_only {
                writeln!(out)?;
            }
            crate::judge::summary::FleetSummary::of(&report).render_table(failed, &render, out)?;
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

/// 1 when any unwaived finding reaches `--fail-on`, or a deadline falls within `--fail-within`.
pub fn exit_status(report: &Report, args: &CheckArgs) -> u8 {
    let threshold = args.fail_on.threshold();
    let findings = report
        .inventories
        .iter()
        .flat_map(|i| &i.findings)
        .filter(|f| f.waiver.is_none());
    for f in findings {
        let outcome = &f.finding.outcome;
        if threshold.is_some_and(|t| outcome.status.severity() >= t) {
            return EXIT_FINDINGS;
        }
        if let (Some(days), Some(deadline)) = (args.fail_within, outcome.deadline) {
            if crate::base::dates::days_between(report.as_of, deadline.date) <= i64::from(days) {
                return EXIT_FINDINGS;
            }
        }
    }
    EXIT_OK
}

/// Parses and evaluates one inventory, dropping its text as soon as it is parsed.
fn judge(
    origin: &str,
    text: String,
    view: &CatalogView,
    policy: &crate::policy::Policy,
    selected: &[&'static Rule],
    options: LoadOptions,
    needs_lines: bool,
) -> Result<(InventoryReport, Vec<String>), InputError> {
    let loaded = inventory::load(origin, &text, options)?;
    let lines = needs_lines.then(|| ScopeLines::scan(&text));
    drop(text);
    let ctx = Context::new(&loaded.inventory, view, policy);
    let findings = rules::evaluate(&ctx, selected)
        .into_iter()
        .map(|finding| ReportedFinding {
            finding,
            waiver: None,
        })
        .collect();
    // No renderer reads node metadata (table, Markdown, coverage, SARIF and
    // JUnit read names, clusters, components and lines).
    let mut inventory = loaded.inventory;
    inventory.drop_node_details();
    Ok((
        InventoryReport::new(inventory, findings, lines),
        loaded.warnings,
    ))
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
    crate::cli::table_width(to_terminal, 140)
}
