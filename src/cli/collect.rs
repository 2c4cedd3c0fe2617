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
use crate::input::sources::Saved;
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
        Some(dir) => {
            let bundle = bundle::read(dir, args.max_input_bytes)?;
            if let Some(error) = bundle.none_known(&dir.display().to_string()) {
                print_summary(&collect::Summary {
                    files: bundle.account(),
                    ..collect::Summary::default()
                });
                return Err(error.into());
            }
            (bundle, saved_outputs_name(dir), args.collected_at.clone())
        }
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

/// Facts of a deployment the command line gives its saved outputs, which
/// the outputs cannot carry (`az aksarc` does not say the Azure Local
/// release): `collect --from` and `check DIR` take the same options.
#[derive(Debug, Clone, Default)]
pub struct GivenFacts {
    pub deployment_name: Option<String>,
    pub deployment_version: Option<String>,
    pub product: Option<crate::base::product::Product>,
    pub collected_at: Option<String>,
}

impl GivenFacts {
    /// The options given, as the command line names them.
    pub fn flags(&self) -> Vec<&'static str> {
        [
            (self.deployment_name.is_some(), "--deployment-name"),
            (self.deployment_version.is_some(), "--deployment-version"),
            (self.product.is_some(), "--product"),
            (self.collected_at.is_some(), "--collected-at"),
        ]
        .iter()
        .filter(|(given, _)| *given)
        .map(|(_, flag)| *flag)
        .collect()
    }
}

/// What `check DIR` judges when DIR holds saved outputs: the inventory
/// `collect --from DIR` makes (as text, with the facts `given` on the
/// command line), the account of its files as `collect --from` prints it,
/// the warnings worth a line on standard error (files not read, unavailable
/// sources, fields left out, conflicts) and what the reports must carry.
/// The gaps are not repeated: the findings that skip say them.
pub fn saved_outputs_inventory(dir: &Path, max_bytes: u64, given: &GivenFacts) -> Saved {
    let origin = dir.display().to_string();
    let failed = |error: InputError, account: Vec<String>| Saved {
        text: Err(error),
        warnings: Vec::new(),
        account,
        notices: Vec::new(),
    };
    let bundle = match bundle::read(dir, max_bytes) {
        Ok(bundle) => bundle,
        Err(error) => return failed(error, Vec::new()),
    };
    let account: Vec<String> = bundle
        .account()
        .map(|(title, files)| {
            std::iter::once(format!("{origin}: {title}"))
                .chain(files.iter().map(|f| format!("  {f}")))
                .collect()
        })
        .unwrap_or_default();
    if let Some(error) = bundle.none_known(&origin) {
        return failed(error, account);
    }
    // Inventories beside saved outputs would be dropped in silence: the
    // folder is one deployment's saved outputs or a set of inventories.
    let inventories = bundle.inventories();
    if !inventories.is_empty() {
        let outputs: Vec<String> = bundle
            .entries
            .keys()
            .map(bundle::Source::file_name)
            .collect();
        let error = InputError::file(
            &origin,
            format!(
                "holds both inventories ({}) and saved command outputs ({}): akspol judges a folder as one or the other; move the inventories out (and check them on their own) or the saved outputs into a folder of their own",
                bundle::some_of(&inventories),
                bundle::some_of(&outputs)
            ),
        );
        return failed(error, account);
    }
    let options = collect::Options {
        deployment_name: given
            .deployment_name
            .clone()
            .map(|n| (n, "--deployment-name"))
            .or_else(|| saved_outputs_name(dir)),
        deployment_version: given.deployment_version.clone(),
        product: given.product,
        collected_at: given.collected_at.clone(),
    };
    let collected = match collect::assemble(&bundle, &options) {
        Ok(collected) => collected,
        Err(not_made) => return failed(not_made_error(&origin, &bundle, &not_made), account),
    };
    let (warnings, notices) = warnings_of(&origin, &bundle, &collected.summary);
    let mut text = Vec::new();
    if let Err(source) = crate::base::json::write_pretty(&collected.inventory, &mut text) {
        return failed(
            InputError::Read {
                origin: origin.clone(),
                source,
            },
            account,
        );
    }
    let text = String::from_utf8(text)
        .map_err(|e| InputError::file(&origin, format!("the inventory made is not UTF-8: {e}")));
    Saved {
        text,
        warnings,
        account,
        notices,
    }
}

/// Why no inventory could be made of saved outputs, with the sources
/// unavailable and the files not read.
fn not_made_error(origin: &str, bundle: &bundle::Bundle, not_made: &collect::Failed) -> InputError {
    let unavailable: Vec<String> = not_made
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
    let not_read = bundle.not_read();
    if !not_read.is_empty() {
        also.push_str(&format!(" ({})", not_read.join("; ")));
    }
    InputError::file(origin, format!("{not_made}{also}"))
}

/// What making an inventory of saved outputs found worth a warning (files
/// not read, unavailable sources, fields left out, conflicts), and of
/// those, what the reports must carry beside the verdict (outputs under
/// names akspol does not read, a deployment with no cluster judged).
fn warnings_of(
    origin: &str,
    bundle: &bundle::Bundle,
    summary: &collect::Summary,
) -> (Vec<String>, Vec<String>) {
    let mut warnings: Vec<String> = bundle
        .not_read()
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
    let mut notices: Vec<String> = Vec::new();
    if let Some(misnamed) = misnamed_outputs(bundle) {
        notices.push(format!("{origin}: {misnamed}"));
    }
    notices.extend(summary.warnings.iter().map(|w| format!("{origin}: {w}")));
    warnings.extend(notices.iter().cloned());
    (warnings, notices)
}

/// Saved outputs under names akspol does not read, known by their content
/// or by a name close to a known one: not read, so said beside the verdict.
fn misnamed_outputs(bundle: &bundle::Bundle) -> Option<String> {
    let renames: Vec<String> = bundle
        .misnamed()
        .map(|(name, meant)| format!("{name} (as {meant})"))
        .collect();
    (!renames.is_empty()).then(|| {
        let one = renames.len() == 1;
        format!(
            "{} saved command {} under {} akspol does not read, so not read: {}",
            renames.len(),
            if one { "output" } else { "outputs" },
            if one { "a name" } else { "names" },
            bundle::some_of(&renames)
        )
    })
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
