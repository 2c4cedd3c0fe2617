//! `akspol collect`: run the commands (or read their saved outputs), make one
//! inventory, write it, and say on standard error what was found, what
//! disagreed and what stays unknown. The clock is read here, and only here:
//! `collectedAt` and when each command started.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::base::sanitize::clean;
use crate::cli::args::CollectArgs;
use crate::cli::exit::{Failure, EXIT_OK};
use crate::cli::output::{check_outputs, print, write_output, Named};
use crate::collect::live::{self, KubeAccess, KubeTarget, LiveOptions};
use crate::collect::{self, bundle, run};
use crate::input::InputError;

pub fn run(args: &CollectArgs) -> Result<u8, Failure> {
    if args.resource_graph {
        return super::collect_fleet::run(args);
    }
    let live = live_options(args);
    if args.dry_run {
        return print(|out| {
            for line in live::dry_run(&live) {
                writeln!(out, "{}", clean(&line))?;
            }
            Ok(())
        });
    }
    check_outputs_of(args)?;
    let (bundle, default_name, collected_at) = match &args.from {
        Some(dir) => (
            bundle::read(dir, args.max_input_bytes)?,
            saved_outputs_name(dir),
            args.collected_at.clone(),
        ),
        None => {
            let started = now();
            let bundle = run_live(&live, args);
            let default_name = match &args.resource_group {
                Some(group) => Some((group.clone(), "the resource group")),
                None => host_name().map(|n| (n, "the host's name")),
            };
            (
                bundle,
                default_name,
                Some(args.collected_at.clone().unwrap_or(started)),
            )
        }
    };
    let options = collect::Options {
        deployment_name: args
            .deployment_name
            .clone()
            .map(|n| (n, "--deployment-name"))
            .or(default_name),
        deployment_version: args.deployment_version.clone(),
        product: args.product,
        collected_at,
    };
    match collect::assemble(&bundle, &options) {
        Ok(collected) => {
            write_output(args.output.as_deref(), |out| {
                crate::base::json::write_pretty(&collected.inventory, out)
            })?;
            print_summary(&collected.summary);
            Ok(EXIT_OK)
        }
        Err(failed) => {
            print_summary(&failed.summary);
            Err(Failure::Collect(failed.to_string()))
        }
    }
}

/// `--output` may not be one of the files collect reads: `--from` (the zip,
/// or a saved output in the directory) or a `--kubeconfig` file. Refused
/// before any command runs, as `check` and `plan` refuse theirs.
fn check_outputs_of(args: &CollectArgs) -> Result<(), Failure> {
    let Some(output) = &args.output else {
        return Ok(());
    };
    let mut saved = Vec::new();
    if let Some(from) = args.from.as_deref().filter(|from| from.is_dir()) {
        for entry in std::fs::read_dir(from).into_iter().flatten().flatten() {
            let name = entry.file_name();
            if name
                .to_str()
                .is_some_and(|name| bundle::Source::from_file_name(name).is_some())
            {
                saved.push(entry.path());
            }
        }
    }
    let mut inputs: Vec<Named> = args.from.iter().map(|p| Named::new("--from", p)).collect();
    inputs.extend(saved.iter().map(|p| Named::new("the saved output", p)));
    inputs.extend(
        args.kubeconfig
            .iter()
            .map(|(_, path)| Named::new("--kubeconfig", Path::new(path.as_str()))),
    );
    check_outputs(None, &[Named::new("--output", output)], &inputs)
}

fn live_options(args: &CollectArgs) -> LiveOptions {
    let mut kube: Vec<KubeTarget> = args
        .kubeconfig
        .iter()
        .map(|(cluster, path)| KubeTarget {
            cluster: cluster.clone(),
            access: KubeAccess::Kubeconfig(path.clone()),
        })
        .collect();
    kube.extend(args.context.iter().map(|(cluster, context)| KubeTarget {
        cluster: cluster.clone(),
        access: KubeAccess::Context(context.clone()),
    }));
    LiveOptions {
        powershell: args.powershell.clone(),
        az: args.az.clone().unwrap_or_default(),
        resource_group: args.resource_group.clone(),
        names: args.name.clone(),
        custom_location: args.custom_location.clone(),
        kube,
    }
}

/// Runs the plan, with a progress line on a terminal, within the run's
/// `--deadline`: each command gets its `--timeout` or what is left of the
/// deadline, whichever is shorter, and none starts once it has passed.
fn run_live(live: &LiveOptions, args: &CollectArgs) -> collect::bundle::Bundle {
    let clock = RunClock::start(args);
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let bundle = live::collect(live, &mut |_source, command| {
        if let Some(bar) = &progress {
            let shown: String = clean(&command.display()).chars().take(100).collect();
            bar.set_message(shown);
        }
        clock.run(command, args.max_input_bytes)
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    bundle
}

/// What `check DIR` judges when DIR holds saved outputs: the inventory
/// `collect --from DIR` makes (as text), and the warnings worth a line on
/// standard error (unavailable sources, fields left out, conflicts). The
/// gaps are not repeated: the findings that skip say them.
pub fn saved_outputs_inventory(
    dir: &Path,
    max_bytes: u64,
) -> Result<(String, Vec<String>), InputError> {
    let origin = dir.display().to_string();
    let bundle = bundle::read(dir, max_bytes)?;
    // Inventories beside saved outputs would be dropped in silence: the
    // folder is one deployment's saved outputs or a set of inventories.
    if !bundle.inventories.is_empty() {
        let outputs: Vec<String> = bundle
            .entries
            .keys()
            .map(bundle::Source::file_name)
            .collect();
        return Err(InputError::file(
            &origin,
            format!(
                "holds both inventories ({}) and saved command outputs ({}): akspol judges a folder as one or the other; move the inventories out (and check them on their own) or the saved outputs into a folder of their own",
                some_of(&bundle.inventories),
                some_of(&outputs)
            ),
        ));
    }
    let options = collect::Options {
        deployment_name: saved_outputs_name(dir),
        ..collect::Options::default()
    };
    let collected = collect::assemble(&bundle, &options).map_err(|failed| {
        let unavailable: Vec<String> = failed
            .summary
            .sources
            .iter()
            .filter(|s| s.state == collect::SourceStatus::Unavailable)
            .map(|s| format!("{}: {}", s.name, s.detail))
            .collect();
        let mut also = String::new();
        if !unavailable.is_empty() {
            also.push_str(&format!(" (unavailable: {})", unavailable.join("; ")));
        }
        if !bundle.not_read.is_empty() {
            also.push_str(&format!(" ({})", bundle.not_read.join("; ")));
        }
        InputError::file(&origin, format!("{failed}{also}"))
    })?;
    let summary = &collected.summary;
    let mut warnings: Vec<String> = bundle
        .not_read
        .iter()
        .map(|why| format!("{origin}: {why}"))
        .collect();
    warnings.extend(
        summary
            .sources
            .iter()
            .filter(|s| s.state == collect::SourceStatus::Unavailable)
            .map(|s| format!("{origin}: {} is unavailable: {}", s.name, s.detail)),
    );
    warnings.extend(summary.problems.iter().cloned());
    warnings.extend(
        summary
            .conflicts
            .iter()
            .map(|c| format!("{origin}: conflict: {c}")),
    );
    let mut text = Vec::new();
    crate::base::json::write_pretty(&collected.inventory, &mut text).map_err(|source| {
        InputError::Read {
            origin: origin.clone(),
            source,
        }
    })?;
    let text = String::from_utf8(text)
        .map_err(|e| InputError::file(&origin, format!("the inventory made is not UTF-8: {e}")))?;
    Ok((text, warnings))
}

/// The first few of `names`, and how many more.
fn some_of(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    match names.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

fn print_summary(summary: &collect::Summary) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for line in summary.lines() {
        let _ = writeln!(err, "{}", clean(&line));
    }
}

/// The clock, as the inventory writes times.
pub(super) fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn host_name() -> Option<String> {
    ["COMPUTERNAME", "HOSTNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok())
        .filter(|n| !n.trim().is_empty())
}

/// The deployment's name when nothing else says it: the saved-outputs
/// directory's name, or the archive's without `.zip`.
fn saved_outputs_name(path: &Path) -> Option<(String, &'static str)> {
    let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if bundle::is_zip(path) {
        return absolute
            .file_stem()
            .map(|n| (n.to_string_lossy().into_owned(), "the archive's name"));
    }
    absolute.file_name().map(|n| {
        (
            n.to_string_lossy().into_owned(),
            "the saved-outputs directory's name",
        )
    })
}

/// The whole run's `--deadline`, shared by every command collect runs: each
/// gets its `--timeout` or what is left of the deadline, whichever is
/// shorter, and none starts once it has passed.
pub(super) struct RunClock {
    deadline: Instant,
    deadline_secs: u64,
    timeout: Duration,
}

impl RunClock {
    pub(super) fn start(args: &CollectArgs) -> Self {
        Self {
            deadline: Instant::now() + Duration::from_secs(args.deadline),
            deadline_secs: args.deadline,
            timeout: Duration::from_secs(args.timeout),
        }
    }

    /// Runs `command` within the run's time, its output within `max_output_bytes`.
    pub(super) fn run(
        &self,
        command: &run::CommandLine,
        max_output_bytes: u64,
    ) -> collect::bundle::Entry {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return collect::bundle::Entry {
                origin: command.display(),
                command: Some(command.argv()),
                ran_at: None,
                output: Err(format!(
                    "not run: the whole run reached its --deadline of {} s (raise --deadline)",
                    self.deadline_secs
                )),
            };
        }
        let limits = run::Limits {
            timeout: self.timeout.min(left),
            max_output_bytes,
            deadline: (left < self.timeout).then_some(self.deadline_secs),
        };
        run::entry(command, limits, now())
    }
}
