//! `akspol collect --resource-graph`: the three Resource Graph queries (run
//! with `az graph query`, or their saved answers), one inventory per Azure
//! Local instance written as NDJSON, and on standard error what was read,
//! what could not be collected and what stays unknown. The clock is read
//! here: `collectedAt` and when each page was asked for.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use crate::base::sanitize::clean;
use crate::cli::args::CollectArgs;
use crate::cli::exit::{Failure, EXIT_OK};
use crate::cli::output::{check_outputs, print, write_output, Named};
use crate::collect::bundle::Entry;
use crate::collect::resource_graph::{self, answers::State, live, saved, Query, Scope};

pub fn run(args: &CollectArgs) -> Result<u8, Failure> {
    let scope = Scope {
        az: args
            .az
            .clone()
            .unwrap_or_else(|| resource_graph::default_az().to_string()),
        subscriptions: args.subscriptions.clone(),
        management_groups: args.management_groups.clone(),
    };
    if args.dry_run {
        return print(|out| {
            for line in scope.dry_run() {
                writeln!(out, "{}", clean(&line))?;
            }
            Ok(())
        });
    }
    check_outputs_of(args)?;
    let (answers, collected_at) = match &args.from {
        Some(path) => (
            saved::read(path, args.max_input_bytes)?,
            args.collected_at.clone(),
        ),
        None => {
            let started = super::collect::now();
            let mut answers = run_live(&scope, args);
            answers.check_complete();
            (answers, Some(args.collected_at.clone().unwrap_or(started)))
        }
    };
    if answers.instances.rows.is_empty() {
        let why = match &answers.instances.state {
            State::Unavailable(why) => format!(
                "{} ({}) is unavailable: {why}",
                Query::Instances.label(),
                Query::Instances.source_name()
            ),
            _ => "Resource Graph lists no Azure Local instance in the scope queried (check --subscriptions and --management-groups, and that the account can read them)".to_string(),
        };
        print_lines(&resource_graph::Summary {
            headline: "no inventory".into(),
            sources: answers.sources,
            problems: answers.problems,
            notes: answers.notes,
            ..resource_graph::Summary::default()
        });
        return Err(Failure::Collect(format!("cannot make inventories: {why}")));
    }
    let options = resource_graph::Options { collected_at };
    let mut summary = None;
    write_output(args.output.as_deref(), |out| {
        let written = resource_graph::assemble(answers, &options, &mut |record| {
            crate::base::json::write_line(record, out)
        })?;
        summary = Some(written);
        Ok(())
    })?;
    if let Some(summary) = &summary {
        print_lines(summary);
    }
    Ok(EXIT_OK)
}

/// `--output` may not be what `--from` names, nor a file in that directory
/// (every file of it is read, whatever its name): refused before anything
/// is read, as `collect` refuses its saved outputs.
fn check_outputs_of(args: &CollectArgs) -> Result<(), Failure> {
    let (Some(output), Some(from)) = (&args.output, &args.from) else {
        return Ok(());
    };
    let files: Vec<std::path::PathBuf> = if from.is_dir() {
        std::fs::read_dir(from)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect()
    } else {
        Vec::new()
    };
    let mut inputs = vec![Named::new("--from", from)];
    inputs.extend(files.iter().map(|p| Named::new("the saved answer", p)));
    check_outputs(None, &[Named::new("--output", output)], &inputs)
}

/// Runs the queries, with a progress line on a terminal; every page's
/// output counts against one `--max-input-bytes` budget.
fn run_live(scope: &Scope, args: &CollectArgs) -> resource_graph::answers::Answers {
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let clock = super::collect::RunClock::start(args);
    let mut budget = args.max_input_bytes;
    let answers = live::collect(scope, &mut |command| {
        if let Some(bar) = &progress {
            let query = Query::ALL
                .into_iter()
                .find(|q| command.args.iter().any(|a| a == q.kql()))
                .map_or("", |q| q.label());
            let page = if command.args.iter().any(|a| a == "--skip-token") {
                "next page"
            } else {
                "first page"
            };
            bar.set_message(format!("az graph query {query}: {page}"));
        }
        let entry: Entry = clock.run(command, budget);
        if let Ok(text) = &entry.output {
            budget = budget.saturating_sub(text.len() as u64);
        }
        entry
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    answers
}

fn print_lines(summary: &resource_graph::Summary) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for line in summary.lines() {
        let _ = writeln!(err, "{}", clean(&line));
    }
}
