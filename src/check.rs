//! `akspol check`: inputs -> parse -> evaluate -> report -> exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::app::{load_catalog, load_policy, write_output, Failure};
use crate::catalog::CatalogView;
use crate::cli::{CheckArgs, ColorChoice};
use crate::input::{self, InputError, ScopeLines};
use crate::inventory::{self, LoadOptions};
use crate::report::{CatalogSummary, InventoryReport, RenderOptions, Report, ReportedFinding};
use crate::rules::{self, registry, Context, Rule};
use crate::sanitize::clean;

/// Exit statuses (`cli.md`).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let as_of = args.as_of.unwrap_or_else(crate::dates::today_utc);
    let catalog = load_catalog(&args.catalog)?;
    if let Some(warning) = crate::catalog::cache::stale_warning(&catalog, as_of) {
        eprintln!("warning: {warning}");
    }
    let policy = load_policy(args.policy.as_deref())?;
    let selected = registry::select(&args.select, &args.ignore).map_err(Failure::Usage)?;
    let view = CatalogView::new(&catalog, as_of);
    let sources = expand_inputs(&args.inventories).map_err(Failure::Input)?;
    let waivers = match &args.waivers {
        Some(path) => crate::waivers::load(path, args.max_input_bytes)?,
        None => Vec::new(),
    };

    let options = LoadOptions {
        allow_unknown_fields: args.allow_unknown_fields,
    };
    let needs_lines =
        args.format.needs_lines() || args.reports.iter().any(|r| r.format.needs_lines());
    let mut inventories = Vec::new();
    let mut failed = false;
    let stderr = std::io::stderr();
    for source in &sources {
        match judge(
            source,
            &view,
            &policy,
            &selected,
            options,
            args.max_input_bytes,
            needs_lines,
        ) {
            Ok((report, warnings)) => {
                for warning in warnings {
                    let _ = writeln!(stderr.lock(), "warning: {}", clean(&warning));
                }
                inventories.push(report);
            }
            Err(error) => {
                failed = true;
                let _ = writeln!(stderr.lock(), "error: {error}");
            }
        }
    }
    if inventories.is_empty() {
        return Ok(EXIT_ERROR);
    }
    let waiver_notes = crate::waivers::apply(&waivers, as_of, &mut inventories);
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
    write_output(args.output.as_deref(), |out| {
        args.format.render(&report, &render, out)
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

    if failed {
        return Ok(EXIT_ERROR);
    }
    Ok(exit_status(&report, args))
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
            if crate::dates::days_between(report.as_of, deadline.date) <= i64::from(days) {
                return EXIT_FINDINGS;
            }
        }
    }
    EXIT_OK
}

/// Reads, parses and evaluates one inventory.
fn judge(
    source: &Path,
    view: &CatalogView,
    policy: &crate::policy::Policy,
    selected: &[&'static Rule],
    options: LoadOptions,
    max_bytes: u64,
    needs_lines: bool,
) -> Result<(InventoryReport, Vec<String>), InputError> {
    let origin = if source.as_os_str() == "-" {
        crate::report::STDIN_ORIGIN.to_string()
    } else {
        source.display().to_string()
    };
    let text = input::read_text(source, max_bytes)?;
    let loaded = inventory::load(&origin, &text, options)?;
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
    Ok((
        InventoryReport::new(loaded.inventory, findings, lines),
        loaded.warnings,
    ))
}

/// Files as given; a directory contributes its `*.json` files in name order.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let origin = path.display().to_string();
            let entries = std::fs::read_dir(path).map_err(|source| InputError::Read {
                origin: origin.clone(),
                source,
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(InputError::file(
                    &origin,
                    "a directory with no *.json inventories",
                ));
            }
            out.extend(files);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
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
    const PIPE_WIDTH: u16 = 140;
    if to_terminal {
        comfy_table::Table::new().width().unwrap_or(PIPE_WIDTH)
    } else {
        PIPE_WIDTH
    }
}
