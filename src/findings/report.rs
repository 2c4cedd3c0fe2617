//! A `check` run's results: per inventory, its facts, findings, counts and
//! verdict; for the run, the catalog, the waivers' fate and the fleet summary.

use serde::Serialize;

use super::{
    BaselineFile, BaselineSummary, Compared, Coverage, Editions, Finding, FleetSummary, GateResult,
    GateSettings, Gating, PlanSummary, Resolved, RuleInfo, Scope, ScopeLabel, ScopeNames, Status,
    WaiverNote,
};
use crate::base::dates::Day;
use crate::base::product::Product;

/// The verdict of an inventory (`rules.md`, "Statuses and verdicts").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Supported,
    AtRisk,
    Unsupported,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::AtRisk => "at-risk",
            Verdict::Unsupported => "unsupported",
        }
    }
}

/// A waiver that applies to a finding (see `--waivers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedWaiver {
    pub reason: String,
    pub expires: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A finding as reported: the rule's outcome, and the waiver that accepts it.
#[derive(Debug, Clone)]
pub struct ReportedFinding {
    pub finding: Finding,
    pub waiver: Option<AppliedWaiver>,
    /// The 1-based line of the JSON object the finding concerns (the node, its
    /// cluster, or the deployment), for formats that point into the file;
    /// `None` when the lines were not scanned.
    pub line: Option<usize>,
    /// Why it fails the gate, if it does (set by `judge::gate`).
    pub gate: Gating,
    /// How it compares with `--baseline` (set by `judge::baseline`); `None`
    /// without a baseline, and for `pass` and `skip` findings.
    pub baseline: Option<Compared>,
}

impl ReportedFinding {
    /// A finding not waived, with no line.
    pub fn new(finding: Finding) -> Self {
        Self {
            finding,
            waiver: None,
            line: None,
            gate: Gating::default(),
            baseline: None,
        }
    }

    /// The status that counts towards the verdict: none when waived.
    pub fn counted_status(&self) -> Option<Status> {
        self.waiver.is_none().then_some(self.finding.outcome.status)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub info: usize,
    pub warn: usize,
    pub fail: usize,
    pub unknown: usize,
    pub skip: usize,
    pub waived: usize,
}

impl Summary {
    pub fn of(findings: &[ReportedFinding]) -> Self {
        let mut s = Summary::default();
        for f in findings {
            let slot = match f.counted_status() {
                None => &mut s.waived,
                Some(Status::Pass) => &mut s.pass,
                Some(Status::Info) => &mut s.info,
                Some(Status::Warn) => &mut s.warn,
                Some(Status::Fail) => &mut s.fail,
                Some(Status::Unknown) => &mut s.unknown,
                Some(Status::Skip) => &mut s.skip,
            };
            *slot += 1;
        }
        s
    }

    pub fn verdict(&self) -> Verdict {
        if self.fail > 0 {
            Verdict::Unsupported
        } else if self.warn > 0 || self.unknown > 0 {
            Verdict::AtRisk
        } else {
            Verdict::Supported
        }
    }
}

/// The policy edition an inventory was judged against, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    /// `h22`, `ws25`, `al25`.
    pub edition: &'static str,
    pub title: &'static str,
    pub product: Product,
    /// The page's URL, its source (repository, path, commit) and `ms.date`.
    pub url: &'static str,
    pub source: &'static str,
    pub date: String,
    pub in_force_from: String,
    /// One line when the edition is not the one a reader would expect on the
    /// as-of date: a newer edition was in force (naming `--policy-edition`),
    /// the page had been replaced, or it was not published yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Selected rules this edition does not state: they did not run.
    pub not_stated: Vec<&'static str>,
}

/// One product line of the catalog a run judged against: its releases as of
/// the as-of date and how old its facts are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogLine {
    pub product: Product,
    pub releases: usize,
    pub latest: Option<String>,
    pub latest_released: Option<String>,
    /// The date of the line's newest sourced fact: `YYYY-MM-DD`, or `YYYY-MM`
    /// when that fact is dated by its month (`knownThroughPrecision`).
    pub known_through: Option<String>,
    /// Not one sourced day: an estimate or a month.
    pub known_through_estimated: bool,
    /// `day`, `estimate`, `month` or `window`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_through_precision: Option<&'static str>,
    /// What that fact is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_through_fact: Option<String>,
    /// Days from `knownThrough` to the as-of date (0 when it reaches past
    /// it); from its first day when it is a month: the oldest the facts may be.
    pub age_days: Option<i64>,
    /// From the last day of a month `knownThrough`: the youngest they may be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_days_least: Option<i64>,
    /// The facts reach past the as-of date.
    #[serde(skip)]
    pub after_as_of: bool,
    /// The threshold (the line's release cadence, or `--max-catalog-age`);
    /// `null` when the check is off.
    pub max_age_days: Option<i64>,
    /// Older than the threshold: passes that rest on "no newer release" are
    /// reported `unknown`.
    pub too_old: bool,
}

impl CatalogLine {
    /// `2026-03-18`, `~2025-10-08` (an estimate), `2026-10 (to the month)`.
    pub fn known_through_text(&self) -> Option<String> {
        let known = self.known_through.as_deref()?;
        Some(match self.known_through_precision {
            Some("estimate") => format!("~{known}"),
            Some("month") => format!("{known} (to the month)"),
            _ => known.to_string(),
        })
    }

    /// `411 days`, or `37 to 67 days` for facts dated to their month.
    pub fn age_text(&self) -> Option<String> {
        let most = self.age_days?;
        let days = if most == 1 { "day" } else { "days" };
        Some(match self.age_days_least.filter(|least| *least != most) {
            Some(least) => format!("{least} to {most} {days}"),
            None => format!("{most} {days}"),
        })
    }
}

/// Facts about the deployment that reports show beside the findings.
#[derive(Debug, Clone)]
pub struct InventoryReport {
    pub source: String,
    pub deployment: String,
    pub product: Product,
    pub installed: String,
    /// `AzureStackHCI 23H2`, `WindowsServer 2022 Datacenter`.
    pub platform: Option<String>,
    /// Its clusters' and nodes' names, for the findings' scope labels.
    pub names: ScopeNames,
    pub findings: Vec<ReportedFinding>,
    pub summary: Summary,
    pub verdict: Verdict,
    /// What support covers in each cluster, for the formats that show it.
    pub coverage: Option<Coverage>,
    /// The policy edition it was judged against.
    pub policy: PolicySummary,
    /// The upgrade plan, for the formats that show it (HTML, Markdown).
    pub plan: Option<PlanSummary>,
    /// The baseline's findings this run no longer reports (`--baseline`).
    pub resolved: Vec<Resolved>,
    /// What the verdict cannot show and every format says beside it (raw:
    /// sanitize before printing): saved outputs that were not read, a
    /// deployment judged with no cluster while its outputs name some.
    pub notices: Vec<String>,
}

impl InventoryReport {
    /// The report of one inventory; its counts and verdict follow from `findings`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        source: String,
        deployment: String,
        product: Product,
        installed: String,
        platform: Option<String>,
        names: ScopeNames,
        findings: Vec<ReportedFinding>,
        coverage: Option<Coverage>,
        policy: PolicySummary,
    ) -> Self {
        let summary = Summary::of(&findings);
        Self {
            source,
            deployment,
            product,
            installed,
            platform,
            names,
            verdict: summary.verdict(),
            summary,
            findings,
            coverage,
            policy,
            plan: None,
            resolved: Vec::new(),
            notices: Vec::new(),
        }
    }

    /// Counts and verdict again, after waivers changed what counts.
    pub fn recount(&mut self) {
        self.summary = Summary::of(&self.findings);
        self.verdict = self.summary.verdict();
    }

    /// How many clusters the inventory lists.
    pub fn clusters(&self) -> usize {
        self.names.clusters.len()
    }

    /// The label of a scope of this inventory: `cluster/prod`.
    pub fn label(&self, scope: Scope) -> ScopeLabel<'_> {
        self.names.label(scope)
    }

    /// Whether the inventory was read from standard input.
    pub fn from_stdin(&self) -> bool {
        self.source == crate::base::STDIN_ORIGIN
    }
}

/// The catalog a run judged against. `releases`, `latest` and
/// `latestReleased` are the AKS hybrid line's (as in report version 1 before
/// there were two lines); `lines` has both, with their age.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogSummary {
    pub source: String,
    pub releases: usize,
    pub latest: Option<String>,
    pub latest_released: Option<String>,
    pub generated: String,
    pub lines: Vec<CatalogLine>,
}

impl CatalogSummary {
    /// The line of a product (every run lists both).
    pub fn line(&self, product: Product) -> Option<&CatalogLine> {
        self.lines.iter().find(|l| l.product == product)
    }
}

/// The version of the JSON report (`--format json`) this model is written
/// as, and the only one `--baseline` reads.
pub const REPORT_VERSION: u32 = 1;

/// What every report of a run knows before the first inventory is judged.
#[derive(Debug, Clone)]
pub struct Run {
    pub as_of: Day,
    pub catalog: CatalogSummary,
    /// Every rule akspol knows, in code order (SARIF lists them all).
    pub rules: Vec<&'static RuleInfo>,
    /// What fails the run (`--fail-on`, `--fail-within`, `--fail-on-new`).
    pub gate: GateSettings,
    /// The baseline the run is compared with (`--baseline`), if any.
    pub baseline: Option<BaselineFile>,
    /// Every policy edition, with its words and sections for each rule it
    /// states: a finding is explained and linked as its edition has it.
    pub editions: Editions,
}

impl Run {
    /// Whether the run is compared with a baseline (`--baseline`).
    pub fn compared(&self) -> bool {
        self.baseline.is_some()
    }
}

/// The most problems of inputs that could not be judged a run keeps for its
/// JSON report; past these they are counted (a stream of a million bad lines
/// must not hold a million messages).
pub const MAX_INPUT_ERRORS: usize = 10_000;

/// What a run's reports know once every inventory is judged: the counts and
/// verdicts, the fleet summary, the gate's causes, what became of the
/// waivers and the comparison with the baseline. Kept while the run goes,
/// from each inventory's digest, so no inventory is kept to the end.
#[derive(Debug, Clone)]
pub struct Totals {
    /// Inventories judged.
    pub inventories: usize,
    /// Inventories that could not be read or were invalid.
    pub not_judged: usize,
    /// The first few of them, as named in reports (`typo.json`,
    /// `fleet.ndjson:4`), for the closing lines.
    pub not_judged_names: Vec<String>,
    /// Why, every problem of each (the first [`MAX_INPUT_ERRORS`]): standard
    /// error shows only the first few of each kind, the JSON report all.
    pub input_errors: Vec<super::FileProblem>,
    /// Problems past [`MAX_INPUT_ERRORS`], counted.
    pub input_errors_omitted: usize,
    /// The worst verdict over all inventories.
    pub verdict: Verdict,
    /// Counts, top rules and nearest deadlines over every inventory.
    pub fleet: FleetSummary,
    /// Whether the run fails, and why (`judge::gate`).
    pub gate: GateResult,
    /// What became of each `--waivers` entry (empty without `--waivers`).
    pub waivers: Vec<WaiverNote>,
    /// The comparison with `--baseline`, when one was given.
    pub baseline: Option<BaselineSummary>,
    /// The policy editions judged against, each once, in input order.
    pub editions: Vec<PolicySummary>,
    /// The judged inventories' notices (the first [`MAX_INPUT_ERRORS`]),
    /// for the formats that say them once for the run (SARIF).
    pub notices: Vec<String>,
    /// Notices past those, counted.
    pub notices_omitted: usize,
}

impl Default for Totals {
    fn default() -> Self {
        Self {
            inventories: 0,
            not_judged: 0,
            not_judged_names: Vec::new(),
            input_errors: Vec::new(),
            input_errors_omitted: 0,
            verdict: Verdict::Supported,
            fleet: FleetSummary::default(),
            gate: GateResult::default(),
            waivers: Vec::new(),
            baseline: None,
            editions: Vec::new(),
            notices: Vec::new(),
            notices_omitted: 0,
        }
    }
}

impl Totals {
    /// The exit status `check` ends with (`docs/spec/cli.md`): 2 when an
    /// input could not be judged, whatever the findings; else 1 when the
    /// gate fails; else 0. Every format's closing lines name it.
    pub fn exit_status(&self) -> u8 {
        if self.not_judged > 0 {
            2
        } else if self.gate.fails() {
            1
        } else {
            0
        }
    }
}

/// How many inputs not judged the closing lines name.
pub const NOT_JUDGED_NAMED: usize = 3;

/// Everything a `check` run found, held at once: what the run knew before,
/// the inventories judged (in input order) and the totals. `check` streams
/// each inventory's part of its reports instead; tests and the fuzz harness
/// render a whole report.
#[derive(Debug, Clone)]
pub struct Report {
    pub run: Run,
    pub inventories: Vec<InventoryReport>,
    pub totals: Totals,
}
