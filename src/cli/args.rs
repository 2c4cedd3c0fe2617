//! The command line (clap derive). `../shared/spec/cli.md` is the contract.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::base::dates::{parse_day, Day};
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "akspol",
    version,
    about = "Checks AKS hybrid deployments against Microsoft's support policy",
    long_about = "Checks AKS hybrid (AKS on Azure Stack HCI and Windows Server) deployments against Microsoft's \
                  support policy: says whether each deployment is supported, why not, and by when it falls out.\n\n\
                  Exit status: 0 supported (nothing at or above --fail-on), 1 not acceptable, 2 could not judge."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Judge inventories against the support policy
    Check(CheckArgs),
    /// The upgrade steps from the installed release to the latest, and the calendar of deadlines
    Plan(PlanArgs),
    /// List every rule: code, name, scope, policy section
    Rules(RulesArgs),
    /// Explain one rule in full: what it checks, why, how to fix
    Explain {
        /// A rule code (V003) or name (support-window)
        code: String,
    },
    /// The release catalog in use
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Print the inventory JSON Schema
    Schema,
    /// Print shell completions (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output
    Manpage,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Print the releases, platforms and Kubernetes lifecycles of the catalog in use
    Show {
        #[command(flatten)]
        source: CatalogArgs,
        /// table, or json (the catalog file format)
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
    },
    /// Refresh the catalog from the product's GitHub releases and cache it
    Update(UpdateArgs),
    /// Print where the cached catalog is (or would be) kept
    Path {
        /// Cache directory (default: $AKSPOL_CACHE_DIR, else the user cache directory + akspol/)
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
    },
}

/// `catalog update`: seconds to wait for a connection, for the whole update,
/// and the most bytes of all answers together.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 10;
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// A day: a timeout beyond it is a typo (and `u64::MAX` seconds overflowed
/// the clock arithmetic, a panic).
pub const MAX_TIMEOUT_SECS: u64 = 86_400;
pub const MAX_RESPONSE_BYTES: u64 = 1024 * 1024 * 1024;

/// `akspol catalog update`.
#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    /// The GitHub releases API endpoint to fetch (pages are followed via `Link: rel="next"`)
    #[arg(long, value_name = "URL", default_value = crate::catalog::RELEASES_URL)]
    pub url: String,
    /// Cache directory (default: $AKSPOL_CACHE_DIR, else the user cache directory + akspol/)
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Seconds to wait for a connection (1 to 86400)
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_CONNECT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS))]
    pub connect_timeout: u64,
    /// Seconds the whole update may take: every page and redirect, connecting, waiting and reading (1 to 86400)
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS))]
    pub timeout: u64,
    /// Refuse answers larger than this many bytes in all (every page together; at most 1 GiB)
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_RESPONSE_BYTES,
          value_parser = clap::value_parser!(u64).range(1..=MAX_RESPONSE_BYTES))]
    pub max_response_bytes: u64,
    /// The day recorded as the updated catalog's `generated` date (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<Day>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    Table,
    Json,
}

/// Which catalog to use.
#[derive(Debug, Clone, Args)]
pub struct CatalogArgs {
    /// Use this catalog file instead of the cached or embedded one
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Use only the embedded catalog (ignore the cache)
    #[arg(long)]
    pub offline: bool,
    /// Cache directory to read the updated catalog from (default: $AKSPOL_CACHE_DIR, else the user cache directory + akspol/)
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Fail,
    Warn,
    Never,
}

impl FailOn {
    /// The lowest status severity that fails the run.
    pub fn threshold(self) -> Option<u8> {
        match self {
            FailOn::Fail => Some(2),
            FailOn::Warn => Some(1),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inventory files; `-` reads standard input; a directory means every *.json
    /// and *.ndjson in it; a *.ndjson file holds one inventory per line
    #[arg(required = true, value_name = "INVENTORY")]
    pub inventories: Vec<PathBuf>,
    /// Evaluation date (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<Day>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a report in FORMAT to FILE (repeatable), e.g. `--report sarif=akspol.sarif`
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report_spec)]
    pub reports: Vec<ReportSpec>,
    /// Accepted findings (JSON): `[{rule, scope, reason, expires, by?}]`
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Lowest finding status that makes the exit status 1
    #[arg(long, value_enum, default_value_t = FailOn::Fail)]
    pub fail_on: FailOn,
    /// Also exit 1 when a deadline falls within DAYS of the as-of date
    #[arg(long, value_name = "DAYS")]
    pub fail_within: Option<u32>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Policy parameters file (JSON) overriding the embedded numbers
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Only these rules (codes or prefixes, comma-separated: V003,S)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (codes or prefixes, comma-separated)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Colour: auto (only on a terminal, honours NO_COLOR), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Report unknown inventory keys as warnings instead of errors
    #[arg(long)]
    pub allow_unknown_fields: bool,
    /// Refuse input files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_bytes: u64,
    /// Also read the inventories in subdirectories of a directory
    #[arg(long, short = 'r')]
    pub recursive: bool,
    /// Read every input (files and `-`) as NDJSON: one inventory per line
    #[arg(long)]
    pub ndjson: bool,
    /// Print only the fleet summary (table format; JSON keeps every inventory)
    #[arg(long)]
    pub summary_only: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Inventory file; `-` reads standard input
    #[arg(value_name = "INVENTORY")]
    pub inventory: PathBuf,
    /// Evaluation date (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<Day>,
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::plan::render::PlanFormat::Table)]
    pub format: crate::plan::render::PlanFormat,
    /// Write the plan to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Policy parameters file (JSON) overriding the embedded numbers
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Report unknown inventory keys as warnings instead of errors
    #[arg(long)]
    pub allow_unknown_fields: bool,
    /// Refuse input files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_bytes: u64,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
}

fn parse_as_of(text: &str) -> Result<Day, String> {
    parse_day(text)
}

/// `--report FORMAT=FILE`: one more report, written atomically to FILE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_report_spec(text: &str) -> Result<ReportSpec, String> {
    let Some((format, path)) = text.split_once('=') else {
        return Err("expected FORMAT=FILE, e.g. sarif=akspol.sarif".to_string());
    };
    let format = Format::from_str(format.trim(), true).map_err(|_| {
        let names: Vec<&str> = Format::value_variants()
            .iter()
            .map(|f| f.as_str())
            .collect();
        format!(
            "`{format}` is not a format; expected one of {}",
            names.join(", ")
        )
    })?;
    if path.is_empty() || path == "-" {
        return Err("expected a file name after `=` (standard output is --format's)".to_string());
    }
    Ok(ReportSpec {
        format,
        path: PathBuf::from(path),
    })
}
