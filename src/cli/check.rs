//! `akspol check`: inputs -> parse -> evaluate -> report -> exit status.
//! How each input is judged on the fleet loop is `check/stages.rs`.

mod error_cap;
mod stages;

use std::io::{IsTerminal, Write};
use std::sync::atomic::AtomicUsize;
use std::sync::Mutex;

use crate::base::sanitize::clean;
use crate::catalog::CatalogView;
use crate::cli::args::{CheckArgs, ColorChoice};
use crate::cli::exit::{Failure, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::cli::inputs;
use crate::cli::load::{catalog_and_policy_files, load_catalog, load_policies};
use crate::cli::output::{
    append_to, check_outputs, output_failure, remove_stale, table_width, write_output, FileSpool,
    Named, Output, Stale,
};
use crate::cli::progress::Progress;
use crate::findings::{FileProblem, GateSettings, Run, Totals};
use crate::input::sources::{self, Input};
use crate::input::InputError;
use crate::inventory::LoadOptions;
use crate::judge::{self, JudgeOptions};
use crate::report::{Assembly, Format, Layout, Piece, RenderOptions};
use crate::rules::registry;
use error_cap::{json_report_of, ErrorCap};
use stages::{CheckStages, Done};

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let result = judge_and_report(args);
    // A waiver, catalog or policy file that cannot be read is an annotation
    // on its line too, where the job's log shows it.
    if let (Err(Failure::Input(error)), Format::Github) = (&result, args.format) {
        print_problems(&problems_of(error));
    }
    result
}

fn judge_and_report(args: &CheckArgs) -> Result<u8, Failure> {
    let as_of = args.as_of.unwrap_or_else(crate::base::dates::today_utc);
    let catalog = load_catalog(&args.catalog)?;
    let policies = load_policies(&args.policy)?;
    let selected = registry::select(&args.select, &args.ignore).map_err(Failure::Usage)?;
    let view = CatalogView::new(&catalog, as_of);
    let sources = inputs::expand(&args.inventories, args.recursive, args.ndjson)?;
    let given = inputs::given_facts(&args.saved, &sources)?;
    check_outputs_of(args, &sources, &catalog)?;
    let waivers = match &args.waivers {
        Some(path) => judge::waivers::load(path, args.max_input_bytes)?,
        None => Vec::new(),
    };
    let baseline = load_baseline(args)?;

    let formats = || std::iter::once(args.format).chain(args.reports.iter().map(|r| r.format));
    let gate = GateSettings {
        fail_on: args.fail_on.threshold(),
        fail_within: args.fail_within,
        only_new: args.fail_on_new,
    };
    let run = judge::run(
        as_of,
        &view,
        &policies,
        gate,
        baseline.as_ref().map(judge::baseline::Baseline::file),
    );
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let (layouts, mut outputs) = open_outputs(args, &run, to_terminal)?;
    let stages = CheckStages {
        view: &view,
        policies: &policies,
        selected: &selected,
        options: JudgeOptions {
            load: LoadOptions {
                allow_unknown_fields: args.allow_unknown_fields,
            },
            lines: formats().any(Format::needs_lines),
            coverage: formats().any(Format::needs_coverage),
            plan: formats().any(Format::needs_plan),
        },
        run: &run,
        waivers: judge::waivers::WaiverSet::new(waivers, as_of),
        baseline: baseline.map(Mutex::new),
        layouts: &layouts,
        progress: Progress::new(&sources, !args.no_progress),
        judged: AtomicUsize::new(0),
    };
    let mut tally = judge::totals::Tally::default();
    let mut errors = ErrorCap::default();
    let build = |dir: &std::path::Path, max_bytes: u64| {
        crate::cli::collect::saved_outputs_inventory(dir, max_bytes, &given)
    };
    let mut problems = judge_each(
        args,
        &sources,
        &stages,
        &build,
        &mut tally,
        &mut errors,
        &mut outputs,
    );
    stages.progress.finish();
    for (line, problem) in errors.summaries(&json_report_of(args)) {
        let _ = writeln!(std::io::stderr().lock(), "error: {line}");
        if args.format == Format::Github {
            problems.push(problem);
        }
    }
    print_problems(&problems);
    if tally.inventories() == 0 {
        // Nothing is written: the outputs' files stay as they were, then go.
        drop(outputs);
        remove_stale_reports(args);
        return Ok(EXIT_ERROR);
    }
    let totals = totals_of(args, stages, tally);
    finish_outputs(outputs, &run, &totals)?;
    Ok(exit_status(args, &totals, to_terminal))
}

/// `--baseline`, which cannot be read from standard input when an
/// inventory is.
fn load_baseline(args: &CheckArgs) -> Result<Option<judge::baseline::Baseline>, Failure> {
    let stdin_read = args.inventories.iter().any(|p| sources::is_stdin(p));
    match &args.baseline {
        Some(path) if stdin_read && sources::is_stdin(path) => Err(Failure::Usage(
            "--baseline - and an inventory cannot both be read from standard input: give the baseline as a file"
                .to_string(),
        )),
        Some(path) => Ok(Some(judge::baseline::load(path, args.max_input_bytes)?)),
        None => Ok(None),
    }
}

/// Opens the outputs, `--output` (or standard output) first and then each
/// `--report`, each with the layout of its format.
fn open_outputs(
    args: &CheckArgs,
    run: &Run,
    to_terminal: bool,
) -> Result<(Vec<Layout>, Vec<Streamed>), Failure> {
    let render = RenderOptions {
        color: use_color(args.color, to_terminal, args.output.is_none()),
        width: terminal_width(to_terminal),
        show: args.show.unwrap_or(crate::report::Show::DEFAULT),
        sarif_paths: sarif_paths(args.sarif_root.as_deref()),
        horizon: args.horizon,
        summary_only: args.summary_only,
    };
    // `--report FORMAT=FILE`: files, so no colour and the fixed width.
    let file_render = RenderOptions {
        color: false,
        width: terminal_width(false),
        ..render.clone()
    };
    let mut layouts = Vec::new();
    let mut outputs = Vec::new();
    let specs = std::iter::once((args.output.as_deref(), args.format, render)).chain(
        args.reports
            .iter()
            .map(|r| (Some(r.path.as_path()), r.format, file_render.clone())),
    );
    for (path, format, options) in specs {
        let layout = Layout::new(format, options, run);
        outputs.push(Streamed::open(path, &layout)?);
        layouts.push(layout);
    }
    Ok((layouts, outputs))
}

/// Judges every input on the fleet loop, counting each in `tally`; every
/// output takes an inventory's piece as soon as it is judged. Returns the
/// problems `--format github` annotates.
fn judge_each(
    args: &CheckArgs,
    sources: &[Input],
    stages: &CheckStages,
    build_saved: sources::BuildSaved<'_>,
    tally: &mut judge::totals::Tally,
    errors: &mut ErrorCap,
    outputs: &mut [Streamed],
) -> Vec<FileProblem> {
    let run = stages.run;
    let mut problems: Vec<FileProblem> = Vec::new();
    let github = args.format == Format::Github;
    let stderr = std::io::stderr();
    judge::fleet::judge_all(
        sources,
        judge::fleet::LoopOptions {
            max_input_bytes: args.max_input_bytes,
            threads: inputs::worker_threads(args.threads),
            build_saved: Some(build_saved),
        },
        stages,
        &mut |done: Done| {
            stages.progress.suspend(|| {
                // The account of a folder of saved outputs, as `collect
                // --from` prints it, then what is worth a warning.
                for line in &done.account {
                    let _ = writeln!(stderr.lock(), "{}", clean(line));
                }
                for warning in &done.warnings {
                    let _ = writeln!(stderr.lock(), "warning: {}", clean(warning));
                }
            });
            match done.judged {
                Ok((digest, pieces)) => {
                    tally.add(digest);
                    // Each output takes its piece at once: nothing waits for the end.
                    for (output, piece) in outputs.iter_mut().zip(pieces) {
                        output.push(run, piece);
                    }
                }
                Err(error) => {
                    let problems_here = problems_of(&error);
                    // The first few of each kind are said; the rest counted.
                    if errors.shown(done.stream.as_deref(), &error) {
                        if github {
                            problems.extend(problems_here.iter().cloned());
                        }
                        stages.progress.suspend(|| {
                            let _ = writeln!(stderr.lock(), "error: {error}");
                        });
                    }
                    tally.not_judged(&done.origin, problems_here);
                }
            }
        },
    );
    problems
}

/// The run's totals, once every input is judged: the waivers' warnings and
/// the baseline's comparison said, and the catalog or edition that is too
/// old named on standard error unless the report on standard output says so.
fn totals_of(args: &CheckArgs, stages: CheckStages, tally: judge::totals::Tally) -> Totals {
    let stderr = std::io::stderr();
    let waiver_notes = stages.waivers.notes();
    for warning in waiver_notes.iter().filter_map(|n| n.warning()) {
        let _ = writeln!(stderr.lock(), "warning: {}", clean(&warning));
    }
    let compared = stages
        .baseline
        .map(|b| b.into_inner().unwrap_or_else(|p| p.into_inner()).finish());
    let totals = tally.finish(stages.run, waiver_notes, compared);
    // A table or GitHub commands on standard output say it already.
    if !(matches!(args.format, Format::Table | Format::Github) && args.output.is_none()) {
        for warning in crate::report::header::too_old_warnings(stages.run, &totals) {
            let _ = writeln!(stderr.lock(), "warning: {warning}");
        }
    }
    totals
}

/// Ends every output with the totals, then appends GitHub's step summary.
fn finish_outputs(outputs: Vec<Streamed>, run: &Run, totals: &Totals) -> Result<(), Failure> {
    let step_summary = outputs
        .iter()
        .find_map(|o| o.assembly.step_summary(run, totals));
    for output in outputs {
        output.finish(run, totals)?;
    }
    if let Some(text) = step_summary {
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            append_to(std::path::Path::new(&path), &text)?;
        }
    }
    Ok(())
}

/// The run's exit status; each of its causes goes last on standard error
/// (the inputs not judged, then what fails the gate), unless a table on the
/// same terminal has just said them.
fn exit_status(args: &CheckArgs, totals: &Totals, to_terminal: bool) -> u8 {
    let status = match totals.exit_status() {
        0 => EXIT_OK,
        1 => EXIT_FINDINGS,
        _ => EXIT_ERROR,
    };
    let said = args.format == Format::Table && to_terminal && std::io::stderr().is_terminal();
    if status != EXIT_OK && !said {
        let mut err = std::io::stderr().lock();
        let prefix = crate::report::exit_prefix(totals);
        for reason in crate::report::exit_reasons(totals) {
            let _ = writeln!(err, "{prefix}{reason}");
        }
    }
    status
}

/// An output of the run, written as the inventories are judged.
struct Streamed {
    assembly: Assembly,
    out: Output,
}

impl Streamed {
    /// Opens the output, with the spools its format needs beside it.
    fn open(path: Option<&std::path::Path>, layout: &Layout) -> Result<Self, Failure> {
        let out = Output::open(path)?;
        let dir = out.spool_dir().map(std::path::Path::to_path_buf);
        let mut spools =
            || FileSpool::new(dir.as_deref()).map(|s| Box::new(s) as Box<dyn crate::report::Spool>);
        let assembly = Assembly::new(layout, &mut spools).map_err(|source| {
            output_failure(
                path.map_or_else(
                    || "standard output".to_string(),
                    |p| p.display().to_string(),
                ),
                source,
            )
        })?;
        Ok(Self { assembly, out })
    }

    fn push(&mut self, run: &Run, piece: Piece) {
        if let Err(error) = self.assembly.push(run, piece, &mut self.out) {
            self.out.fail(error);
        }
    }

    fn finish(mut self, run: &Run, totals: &Totals) -> Result<(), Failure> {
        let written = self.assembly.finish(run, totals, &mut self.out);
        self.out.commit(written)
    }
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
    // Markdown appended to GitHub's step summary file is an output too.
    let step_summary = std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from);
    let writes_step_summary = std::iter::once(args.format)
        .chain(args.reports.iter().map(|r| r.format))
        .any(|f| f == Format::Github);
    if let (Some(path), true) = (&step_summary, writes_step_summary) {
        outputs.push(Named::new("GITHUB_STEP_SUMMARY", path));
    }
    let mut inputs: Vec<Named> = sources
        .iter()
        .map(|s| Named::new("INVENTORY", s.path()))
        .collect();
    inputs.extend(args.waivers.iter().map(|p| Named::new("--waivers", p)));
    inputs.extend(
        args.baseline
            .iter()
            .filter(|p| !sources::is_stdin(p))
            .map(|p| Named::new("--baseline", p)),
    );
    inputs.extend(catalog_and_policy_files(
        &args.catalog,
        args.policy.policy.as_deref(),
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
/// run's (the exit status is 2 either way). Only a regular file akspol
/// wrote goes (see [`remove_stale`]); anything else at such a name stays,
/// and a warning says why.
fn remove_stale_reports(args: &CheckArgs) {
    let mut removed = Vec::new();
    let mut err = std::io::stderr().lock();
    let outputs = args
        .output
        .iter()
        .map(|path| ("--output", path))
        .chain(args.reports.iter().map(|r| ("--report", &r.path)));
    for (flag, path) in outputs {
        let shown = clean(&path.display().to_string()).into_owned();
        match remove_stale(path, crate::report::is_akspol_report) {
            Stale::Removed => removed.push(shown),
            Stale::Absent => {}
            Stale::Left(why) => {
                let _ = writeln!(
                    err,
                    "warning: no inventory could be judged: left {flag} {shown} as it was: {why}; it is not this run's report"
                );
            }
        }
    }
    if !removed.is_empty() {
        let _ = writeln!(
            err,
            "warning: no inventory could be judged: removed the reports an earlier run left in {}",
            removed.join(", ")
        );
    }
}

/// An input error as the problems `--format github` annotates.
fn problems_of(error: &InputError) -> Vec<FileProblem> {
    match error {
        InputError::Invalid {
            origin, problems, ..
        } => problems
            .iter()
            .map(|p| FileProblem {
                file: origin.clone(),
                line: Some(p.line),
                column: Some(p.column),
                message: format!("{}: {}", p.path, p.message),
            })
            .collect(),
        other => vec![FileProblem {
            file: other.origin().to_string(),
            line: None,
            column: None,
            message: other.to_string(),
        }],
    }
}

/// `::error file=..,line=..,col=..::` on standard output, where the runner reads them.
fn print_problems(problems: &[FileProblem]) {
    if problems.is_empty() {
        return;
    }
    let _ = write_output(None, |out| {
        for problem in problems {
            writeln!(out, "{}", crate::report::github::problem_command(problem))?;
        }
        Ok(())
    });
}

/// `--sarif-root` (default: the current directory) and the current
/// directory, both absolute; `None` when the current directory is unknown.
fn sarif_paths(root: Option<&std::path::Path>) -> Option<crate::report::sarif::Paths> {
    let current_dir = std::env::current_dir().ok()?;
    let root = match root {
        Some(root) if root.is_absolute() => root.to_path_buf(),
        Some(root) => current_dir.join(root),
        None => current_dir.clone(),
    };
    Some(crate::report::sarif::Paths { root, current_dir })
}

/// `--color auto`: off with `NO_COLOR`; on with `FORCE_COLOR` or
/// `CLICOLOR_FORCE` (not `0`) when writing to standard output; else only on a terminal.
fn use_color(choice: ColorChoice, to_terminal: bool, to_stdout: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let forced = |name: &str| {
        std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
    };
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto => {
            to_terminal || (to_stdout && (forced("FORCE_COLOR") || forced("CLICOLOR_FORCE")))
        }
    }
}

/// The terminal's width on a terminal; `COLUMNS`, else a fixed 140 columns
/// otherwise, so that files and CI logs are the same bytes wherever they are produced.
fn terminal_width(to_terminal: bool) -> u16 {
    table_width(to_terminal, 140)
}
