//! What `check` and `plan` read: the command line's paths expanded into
//! inputs (files, `-`, directories, NDJSON streams, folders and zips of
//! saved command outputs), the facts the command line gives saved outputs,
//! and how many workers the fleet loop runs.

use std::path::{Path, PathBuf};

use super::args::SavedFactsArgs;
use super::collect::GivenFacts;
use super::exit::Failure;
use crate::collect::bundle;
use crate::input::sources::{self, Input};

/// What to read: a directory of saved command outputs (`Get-AksHci*.json`,
/// `az-aksarc-*.json`, `kubectl-*.json`, or such outputs under other names,
/// known by their content), or a zip of one, is the one inventory `akspol
/// collect --from` makes of it, and so is each such subdirectory
/// `--recursive` finds; every other path is expanded as usual. Saved
/// outputs are only marked here: the fleet loop builds each when its turn
/// comes, one at a time, and one from which no inventory can be made is
/// reported like a bad inventory, the others going on.
pub fn expand(paths: &[PathBuf], recursive: bool, ndjson: bool) -> Result<Vec<Input>, Failure> {
    let options = sources::ExpandOptions {
        recursive,
        ndjson,
        saved_outputs: Some(bundle::is_saved_outputs_dir),
    };
    let saved = |path: &Path| Input {
        saved: true,
        ..Input::document(path.to_path_buf())
    };
    let mut out = Vec::new();
    for path in paths {
        if !sources::is_stdin(path) && bundle::is_saved_outputs(path) {
            out.push(saved(path));
            continue;
        }
        for input in sources::expand(std::slice::from_ref(path), options)? {
            // A listed directory is one of saved outputs (`--recursive`).
            if input.listed && input.path.is_dir() {
                out.push(saved(&input.path));
            } else {
                out.push(input);
            }
        }
    }
    Ok(out)
}

/// The facts `--deployment-name`, `--deployment-version`, `--product` and
/// `--collected-at` give saved outputs, which an inventory carries itself:
/// refused without a folder or zip of saved outputs to give them to, and
/// `--deployment-name` with more than one (it names one deployment).
pub fn given_facts(args: &SavedFactsArgs, sources: &[Input]) -> Result<GivenFacts, Failure> {
    let given = GivenFacts {
        deployment_name: args.deployment_name.clone(),
        deployment_version: args.deployment_version.clone(),
        product: args.product,
        collected_at: args.collected_at.clone(),
    };
    let flags = given.flags();
    let saved = sources.iter().filter(|s| s.saved).count();
    if !flags.is_empty() && saved == 0 {
        return Err(Failure::Usage(format!(
            "{} {} facts of saved command outputs (a folder or zip of Get-AksHci*, az aksarc or kubectl outputs), and none is given: an inventory carries its own; edit the inventory instead",
            flags.join(", "),
            if flags.len() == 1 { "gives" } else { "give" }
        )));
    }
    if given.deployment_name.is_some() && saved > 1 {
        return Err(Failure::Usage(format!(
            "--deployment-name names one deployment, and {saved} folders or zips of saved outputs are given: give them one at a time, or let each be named after its folder"
        )));
    }
    Ok(given)
}

/// `--threads` (or `AKSPOL_THREADS`); else `RAYON_NUM_THREADS`, the knob of
/// the fleet loop when it ran on rayon, still read so that scripts setting
/// it keep working (deprecated); else `None`: one worker per core.
pub fn worker_threads(flag: Option<u16>) -> Option<usize> {
    flag.map(usize::from).or_else(|| {
        std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
    })
}
