//! The command line (clap derive). `docs/spec/cli.md` is the contract.

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
    /// Make an inventory from the AksHci cmdlets, az aksarc and kubectl, or a fleet from Azure Resource Graph (run here, or saved: --from DIR)
    Collect(CollectArgs),
    /// List every rule: code, name, scope, policy section
    Rules(RulesArgs),
    /// Explain one rule in full: what it checks, why, how to fix
    Explain {
        /// A rule code (V003) or name (support-window)
        #[arg(value_parser = RuleCodes, hide_possible_values = true)]
        code: String,
        /// Explain the rule as this edition of the policy states it (h22,
        /// ws25, al25): its section, link, numbers and wording
        #[arg(long, value_name = "NAME")]
        policy_edition: Option<String>,
    },
    /// The release catalog in use
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Print a JSON Schema: the inventory's (the default), the JSON report's, or the plan's
    Schema {
        /// Which document: what `check` reads (inventory), what `check --format json`
        /// writes (report), what `plan --format json` writes (plan)
        #[arg(value_enum, default_value_t = SchemaKind::Inventory)]
        kind: SchemaKind,
    },
    /// Print shell completions (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per subcommand into a directory
    Manpage {
        /// Write akspol.1 and one page per subcommand (akspol-check.1, ...) into DIR
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Print the releases, platforms and Kubernetes lifecycles of the catalog in use
    Show {
        #[command(flatten)]
        source: CatalogArgs,
        /// table, or json (the catalog file format, both lines)
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
        /// The product line whose releases the table lists: aks-hybrid (AksHci) or aks-arc (Azure Local)
        #[arg(long, value_name = "LINE", default_value = "aks-hybrid", value_parser = parse_product)]
        product: crate::base::product::Product,
    },
    /// Refresh the catalog from the AksHci line's GitHub releases and Azure Local's update manifest, and cache it
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
    /// The GitHub releases API endpoint to fetch for the AksHci line (pages are followed via `Link: rel="next"`)
    #[arg(long, value_name = "URL", default_value = crate::catalog::RELEASES_URL)]
    pub url: String,
    /// Azure Local's update manifest (XML) to fetch for the Azure Local line (https; plain http on this machine's loopback only)
    #[arg(long, value_name = "URL", default_value = crate::catalog::manifest::MANIFEST_URL)]
    pub azure_local_url: String,
    /// Read Azure Local's update manifest from this file instead (one saved on a connected machine, for a disconnected site)
    #[arg(long, value_name = "FILE", conflicts_with = "azure_local_url")]
    pub azure_local_file: Option<PathBuf>,
    /// Refresh only this product line: aks-hybrid (GitHub releases) or aks-arc (Azure Local's manifest) [default: both]
    #[arg(long, value_name = "LINE", value_parser = parse_product)]
    pub product: Option<crate::base::product::Product>,
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
    /// Refuse a source's answers when larger than this many bytes in all (every page together, or the manifest file; at most 1 GiB)
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_RESPONSE_BYTES,
          value_parser = clap::value_parser!(u64).range(1..=MAX_RESPONSE_BYTES))]
    pub max_response_bytes: u64,
    /// The day recorded as the updated catalog's `generated` date (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<Day>,
}

/// The documents akspol has a JSON Schema for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Inventory,
    Report,
    Plan,
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

/// Which edition of the policy, with which numbers.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// Policy parameters file (JSON) overriding numbers of the edition in use
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Judge against this edition of the policy (h22, ws25, al25), or `current`:
    /// the edition in force on the as-of date for each inventory's product line
    /// [default: h22 for aks-hybrid, al25 for aks-arc]
    #[arg(long, value_name = "NAME|current")]
    pub policy_edition: Option<String>,
    /// Days after the catalog's newest fact (knownThrough) beyond which a pass
    /// that needs the latest release is unknown; 0 turns it off
    /// [default: the line's release cadence, 120 days AKS hybrid, 45 Azure Local]
    #[arg(long, value_name = "DAYS")]
    pub max_catalog_age: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Fail,
    Warn,
    Never,
}

impl FailOn {
    /// The lowest status that fails the run (`warn` includes `unknown`).
    pub fn threshold(self) -> Option<crate::findings::Status> {
        use crate::findings::Status;
        match self {
            FailOn::Fail => Some(Status::Fail),
            FailOn::Warn => Some(Status::Warn),
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
    /// Inventory files; `-` reads standard input (one inventory, or one per
    /// line when a second follows the first line's); a directory means every
    /// *.json and *.ndjson in it; a *.ndjson file holds one inventory per line; a
    /// directory of saved outputs, or a *.zip of them, is the inventory
    /// `akspol collect --from` makes of it
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
    /// A previous `--format json` report: mark each finding new, unchanged, worse or better, and list what was resolved
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// Exit 1 only for findings new or worse than the --baseline (at or above --fail-on, or within --fail-within)
    #[arg(long, requires = "baseline")]
    pub fail_on_new: bool,
    /// Days ahead the HTML report's deadline timeline shows
    #[arg(long, value_name = "DAYS", default_value_t = crate::report::DEFAULT_HORIZON_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub horizon: u32,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Only these rules (codes or prefixes, comma-separated: V003,S)
    #[arg(long, value_name = "CODES", value_delimiter = ',', value_parser = RuleCodes, hide_possible_values = true)]
    pub select: Vec<String>,
    /// Skip these rules (codes or prefixes, comma-separated)
    #[arg(long, value_name = "CODES", value_delimiter = ',', value_parser = RuleCodes, hide_possible_values = true)]
    pub ignore: Vec<String>,
    /// Findings listed row by row (table, markdown): statuses, comma-separated,
    /// or `all`; the others are folded into one line per status [default:
    /// the table lists fail and unknown, and warn unless the deployment is
    /// unsupported; markdown and html list warn and info too]
    #[arg(long, value_name = "STATUSES", value_parser = parse_show)]
    pub show: Option<crate::report::Show>,
    /// Colour: auto (on a terminal; NO_COLOR turns it off, FORCE_COLOR or CLICOLOR_FORCE on), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// SARIF artifact URIs are relative to DIR (`%SRCROOT%`, the repository root in code scanning); default: the current directory
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
    /// Never show the progress line on standard error
    #[arg(long)]
    pub no_progress: bool,
    /// Workers judging inputs in parallel (default: one per core; 1: a
    /// serial run, the same bytes); RAYON_NUM_THREADS is still read, deprecated
    #[arg(long, value_name = "N", env = "AKSPOL_THREADS",
          value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub threads: Option<u16>,
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
    #[command(flatten)]
    pub saved: SavedFactsArgs,
}

/// The heading of the options that fill facts saved outputs cannot carry.
const SAVED_OUTPUTS: &str = "Facts of saved outputs (folders or zips of command outputs only)";

/// Facts of a deployment that saved outputs cannot carry, as `collect
/// --from` takes them: given to each folder or zip of saved outputs
/// `check` and `plan` read (refused when none is given).
#[derive(Debug, Clone, Args)]
pub struct SavedFactsArgs {
    /// Saved outputs only: deployment.name (default: the folder's name, or the archive's without .zip); one folder or archive at most
    #[arg(long, value_name = "NAME", help_heading = SAVED_OUTPUTS)]
    pub deployment_name: Option<String>,
    /// Saved outputs only: deployment.version when no output reports it (AKS Arc: the Azure Local release, e.g. 2510)
    #[arg(long, value_name = "VERSION", help_heading = SAVED_OUTPUTS)]
    pub deployment_version: Option<String>,
    /// Saved outputs only: the product line, aks-hybrid (AksHci) or aks-arc (Azure Local); default: from the outputs
    #[arg(long, value_name = "LINE", value_parser = parse_product, help_heading = SAVED_OUTPUTS)]
    pub product: Option<crate::base::product::Product>,
    /// Saved outputs only: collectedAt, when the outputs were gathered (RFC 3339 or YYYY-MM-DD)
    #[arg(long, value_name = "TIME", value_parser = parse_collected_at, help_heading = SAVED_OUTPUTS)]
    pub collected_at: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Inventories, as `check` reads them: files; `-` reads standard input;
    /// a directory means every *.json and *.ndjson in it; a *.ndjson file
    /// holds one inventory per line; a directory of saved outputs, or a *.zip
    /// of them, is the inventory `akspol collect --from` makes of it. One
    /// plan per inventory
    #[arg(required = true, value_name = "INVENTORY")]
    pub inventories: Vec<PathBuf>,
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
    #[command(flatten)]
    pub policy: PolicyArgs,
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
    /// Workers planning inputs in parallel (default: one per core; 1: a serial run, the same bytes)
    #[arg(long, value_name = "N", env = "AKSPOL_THREADS",
          value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub threads: Option<u16>,
    #[command(flatten)]
    pub saved: SavedFactsArgs,
}

/// `collect`: seconds each command may run by default.
pub const DEFAULT_COLLECT_TIMEOUT_SECS: u64 = 120;
/// `collect`: seconds the whole run may take by default.
pub const DEFAULT_COLLECT_DEADLINE_SECS: u64 = 15 * 60;

/// `akspol collect`.
#[derive(Debug, Args)]
#[command(after_long_help = COLLECT_FILES_HELP)]
pub struct CollectArgs {
    /// Read the saved outputs in DIR, or in a zip archive of them, instead of running commands (names below)
    #[arg(long, value_name = "DIR|ZIP", conflicts_with_all = ["dry_run", "resource_group", "kubeconfig", "context", "timeout", "deadline", "powershell", "subscriptions", "management_groups", "az"])]
    pub from: Option<PathBuf>,
    /// A fleet from Azure Resource Graph: one inventory per Azure Local instance, as NDJSON (az graph query; with --from, its saved answers)
    #[arg(long, conflicts_with_all = ["resource_group", "kubeconfig", "context", "powershell", "deployment_name", "deployment_version", "product"])]
    pub resource_graph: bool,
    /// --resource-graph: query these subscriptions only (passed to az graph query --subscriptions)
    #[arg(long, value_name = "ID", num_args = 1.., requires = "resource_graph")]
    pub subscriptions: Vec<String>,
    /// --resource-graph: query these management groups (passed to az graph query --management-groups)
    #[arg(long, value_name = "ID", num_args = 1.., requires = "resource_graph")]
    pub management_groups: Vec<String>,
    /// The Azure CLI: az (az.cmd on Windows), or a path to it
    #[arg(long, value_name = "PROGRAM")]
    pub az: Option<String>,
    /// Print the commands collect would run, in order, one per line; run nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write the inventory to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Seconds each command may run before it is stopped
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_COLLECT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Seconds the whole run may take: a command still running then is stopped, and those after it are not run (default 15 minutes)
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_COLLECT_DEADLINE_SECS,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub deadline: u64,
    /// The PowerShell that runs the AksHci cmdlets: powershell (Windows PowerShell 5.1) or pwsh (PowerShell 7), or a path
    #[arg(long, value_name = "PROGRAM", default_value = "powershell")]
    pub powershell: String,
    /// AKS Arc on Azure Local: the clusters' resource group (runs az aksarc instead of the AksHci cmdlets)
    #[arg(long, short = 'g', value_name = "GROUP")]
    pub resource_group: Option<String>,
    /// AKS Arc: only this cluster of the resource group (repeatable); default: every cluster in it
    #[arg(long, short = 'n', value_name = "CLUSTER", requires = "resource_group")]
    pub name: Vec<String>,
    /// AKS Arc: the custom location for `az aksarc get-versions` (default: the one the first cluster reports)
    #[arg(long, value_name = "ID", requires = "resource_group")]
    pub custom_location: Option<String>,
    /// kubectl: reach cluster CLUSTER with this kubeconfig file (repeatable)
    #[arg(long, value_name = "CLUSTER=FILE", value_parser = parse_cluster_pair)]
    pub kubeconfig: Vec<(String, String)>,
    /// kubectl: reach cluster CLUSTER through this context (repeatable)
    #[arg(long, value_name = "CLUSTER=CONTEXT", value_parser = parse_cluster_pair)]
    pub context: Vec<(String, String)>,
    /// deployment.name (default: the --from directory's name, the resource group, or the host's name)
    #[arg(long, value_name = "NAME")]
    pub deployment_name: Option<String>,
    /// deployment.version when no output reports it (AKS Arc: the Azure Local release, e.g. 2510)
    #[arg(long, value_name = "VERSION")]
    pub deployment_version: Option<String>,
    /// The product line: aks-hybrid (AksHci) or aks-arc (Azure Local); default: from the outputs (az aksarc means aks-arc)
    #[arg(long, value_name = "LINE", value_parser = parse_product)]
    pub product: Option<crate::base::product::Product>,
    /// collectedAt: when the outputs were gathered (RFC 3339 or YYYY-MM-DD); default: now, or left out with --from
    #[arg(long, value_name = "TIME", value_parser = parse_collected_at)]
    pub collected_at: Option<String>,
    /// Refuse a saved output or a command's output larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_bytes: u64,
}

const COLLECT_FILES_HELP: &str = "Saved outputs (--from DIR or ZIP, or `akspol check DIR`), each optional:
  Get-AksHciVersion.txt                  Get-AksHciVersion
  Get-AksHciConfig.json                  Get-AksHciConfig | ConvertTo-Json -Depth 10
  Get-AksHciCluster.json                 Get-AksHciCluster | ConvertTo-Json -Depth 10
  Get-AksHciNodePool.json                Get-AksHciNodePool -clusterName <c> | ConvertTo-Json -Depth 10 (every cluster)
  Get-AksHciKubernetesVersion.json       Get-AksHciKubernetesVersion | ConvertTo-Json -Depth 10
  Get-AksHciClusterUpdates-<c>.json      Get-AksHciClusterUpdates -name <c> | ConvertTo-Json -Depth 10
  az-aksarc-show-<c>.json                az aksarc show -g <group> -n <c> -o json
  az-aksarc-list.json                    az aksarc list -g <group> -o json
  az-aksarc-nodepool-list-<c>.json       az aksarc nodepool list -g <group> --cluster-name <c> -o json
  az-aksarc-get-versions.json            az aksarc get-versions --custom-location <id> -o json
  kubectl-get-nodes-<c>.json             kubectl get nodes -o json (with <c>'s kubeconfig)
  kubectl-version-<c>.json               kubectl version -o json (the API server's own version)

With --resource-graph: three az graph query queries (--dry-run prints them); with --from, their saved answers under any names, each file known by its rows' columns.

Exit status: 0 when an inventory was written (sources that were unavailable are listed on standard error), 2 when none could be made.";

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    /// With `--format markdown`: write the rules table as DIR/README.md and
    /// one page per rule (DIR/V001.md, ...), as docs/rules/ holds them
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    /// The rules table in Markdown (with `--dir`: and one page per rule)
    Markdown,
}

fn parse_as_of(text: &str) -> Result<Day, String> {
    parse_day(text)
}

fn parse_collected_at(text: &str) -> Result<String, String> {
    parse_day(text).map(|_| text.to_string())
}

/// `CLUSTER=VALUE` (`--kubeconfig akswc1=C:\kube\akswc1`).
fn parse_cluster_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((cluster, value)) if !cluster.trim().is_empty() && !value.is_empty() => {
            Ok((cluster.trim().to_string(), value.to_string()))
        }
        _ => Err("expected CLUSTER=VALUE, e.g. akswc1=akswc1-admin@akswc1".to_string()),
    }
}

/// A rule code, prefix or name, taken as written (`registry::select` and
/// `explain` judge it); the codes are its possible values, so shell
/// completions offer them.
#[derive(Debug, Clone, Copy)]
pub struct RuleCodes;

impl clap::builder::TypedValueParser for RuleCodes {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(crate::rules::RULES.iter().map(|rule| {
            clap::builder::PossibleValue::new(rule.code).help(rule.name)
        })))
    }
}

fn parse_show(text: &str) -> Result<crate::report::Show, String> {
    crate::report::Show::parse(text)
}

fn parse_product(text: &str) -> Result<crate::base::product::Product, String> {
    crate::base::product::Product::parse(text)
        .ok_or_else(|| format!("`{text}` is not a product line: expected aks-hybrid or aks-arc"))
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
