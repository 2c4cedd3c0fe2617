//! Benchmark helper: generates a synthetic fleet, and measures the floor
//! (reading the same inventories and validating their JSON into
//! `serde::de::IgnoredAny`, on the same parallel loop as `akspol check`).
//! See `scripts/bench.sh` and `docs/fleet.md`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use akspol::input::sources::{self, ExpandOptions, Unit};
use akspol::judge::fleet::{judge_all, LoopOptions, Stages};
use akspol_tools::fleetgen::{self, Shape};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "akspol-fleetgen",
    about = "Synthetic AKS hybrid fleets for benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a fleet: one file per deployment in DIR and/or one NDJSON stream
    Generate {
        #[arg(long, default_value_t = 1000)]
        deployments: usize,
        #[arg(long, default_value_t = 3)]
        clusters: usize,
        #[arg(long, default_value_t = 10)]
        nodes: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Directory for one pretty-printed inventory per deployment
        #[arg(long)]
        dir: Option<PathBuf>,
        /// File for the same fleet as NDJSON (one compact inventory per line)
        #[arg(long)]
        ndjson: Option<PathBuf>,
    },
    /// Write a fleet as Azure Resource Graph answers it: the pages of the three
    /// queries of `akspol collect --resource-graph`, one file a page, in DIR
    ResourceGraph {
        #[arg(long, default_value_t = 2000)]
        instances: usize,
        /// Rows a page of the instances query
        #[arg(long, default_value_t = 700)]
        page_rows: usize,
        #[arg(long)]
        dir: PathBuf,
    },
    /// Write each hostile input of `akspol_tools::hostile` into DIR/NAME/, with
    /// the akspol arguments to run there in DIR/NAME/args (one a line;
    /// `{server}` is the base URL of an HTTP server of DIR/NAME/)
    Hostile { dir: PathBuf },
    /// Read every inventory and validate its JSON into IgnoredAny (the floor)
    Floor {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long, short = 'r')]
        recursive: bool,
        #[arg(long)]
        ndjson: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The floor's only stage: the text must be JSON.
struct Validate;

impl Stages for Validate {
    type Judged = Result<usize, String>;
    type Done = Result<usize, String>;
    fn judge(&self, unit: Unit) -> Self::Judged {
        let text = unit.text.map_err(|e| e.to_string())?;
        serde_json::from_str::<serde::de::IgnoredAny>(&text)
            .map_err(|e| format!("{}: {e}", unit.origin))?;
        Ok(text.len())
    }
    fn in_order(&self, _: &mut Self::Judged) {}
    fn finish(&self, judged: Self::Judged) -> Self::Done {
        judged
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Generate {
            deployments,
            clusters,
            nodes,
            seed,
            dir,
            ndjson,
        } => {
            if dir.is_none() && ndjson.is_none() {
                return Err("give --dir DIR, --ndjson FILE, or both".into());
            }
            let shape = Shape {
                deployments,
                clusters,
                nodes,
                seed,
            };
            let bytes = fleetgen::write(&shape, dir.as_deref(), ndjson.as_deref())
                .map_err(|e| e.to_string())?;
            eprintln!(
                "wrote {deployments} deployments ({clusters} clusters x {nodes} nodes), {:.1} MB",
                bytes as f64 / 1e6
            );
            Ok(())
        }
        Command::ResourceGraph {
            instances,
            page_rows,
            dir,
        } => {
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let fleet = akspol_tools::resource_graph::Fleet {
                instances,
                instance_page: page_rows,
            };
            let files = fleet.files();
            for (name, text) in &files {
                std::fs::write(dir.join(name), text).map_err(|e| e.to_string())?;
            }
            eprintln!("wrote {instances} instances in {} pages", files.len());
            Ok(())
        }
        Command::Hostile { dir } => {
            for case in akspol_tools::hostile::cases() {
                let at = dir.join(case.name);
                akspol_tools::hostile::write(&case, &at).map_err(|e| e.to_string())?;
                let mut args = case.args.join("\n");
                args.push('\n');
                std::fs::write(at.join("args"), args).map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Command::Floor {
            inputs,
            recursive,
            ndjson,
        } => {
            let start = Instant::now();
            let inputs = sources::expand(
                &inputs,
                ExpandOptions {
                    recursive,
                    ndjson,
                    saved_outputs: None,
                },
            )
            .map_err(|e| e.to_string())?;
            let (mut count, mut bytes, mut errors) = (0usize, 0usize, 0usize);
            judge_all(
                &inputs,
                LoopOptions {
                    max_input_bytes: akspol::input::DEFAULT_MAX_INPUT_BYTES,
                    threads: None,
                    build_saved: None,
                },
                &Validate,
                &mut |result| match result {
                    Ok(len) => {
                        count += 1;
                        bytes += len;
                    }
                    Err(message) => {
                        errors += 1;
                        eprintln!("error: {message}");
                    }
                },
            );
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "floor: {count} inventories, {:.1} MB in {seconds:.3} s: {:.0} MB/s, {:.0} inventories/s",
                bytes as f64 / 1e6,
                bytes as f64 / 1e6 / seconds,
                count as f64 / seconds
            );
            if errors > 0 {
                return Err(format!("{errors} inventories were not valid JSON"));
            }
            Ok(())
        }
    }
}
