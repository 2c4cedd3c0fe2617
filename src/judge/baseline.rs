//! `--baseline REPORT.json`: a previous `--format json` report, compared
//! with this run so CI can fail only on what is new or worse
//! (`--fail-on-new`).
//!
//! **The key.** A finding is matched by its inventory's deployment name
//! (`deployment.name`), its scope label (`deployment`, `cluster/<name>`,
//! `node/<cluster>/<node>`) and its rule code: none of them changes when an
//! inventory file moves or a message's day count ticks on. When several
//! inventories of a run share a deployment name, the one whose `source` is
//! the same path is taken first, then the others in baseline order.
//!
//! **The states.** Only findings that are not `pass` or `skip` are compared.
//! A finding the baseline does not have (or had as `pass` or `skip`) is
//! `new`; one whose status is worse (by the verdict's order: fail, then warn
//! and unknown, then info), or whose deadline moved closer or appeared, is
//! `worse`; one whose status is better, or whose deadline moved later or
//! went away before it came, is `better`; any other is `unchanged`. A
//! finding of the baseline that this run does not report (or reports as
//! `pass` or `skip`) is `resolved`, unless its rule was not evaluated in
//! this run (`--select`, `--ignore`) or its inventory was not judged: those
//! are left out of the comparison, and the inventories are named.
//!
//! The file is untrusted input like every other: read through `input/`
//! within `--max-input-bytes`, and a document that is not a JSON report of
//! the version this akspol writes (its `asOf` a date, its rule codes rules
//! akspol knows, its deadlines dates) is an error with its file, line,
//! column and JSON path. It is trusted all the same: a report edited to
//! list today's failures makes `--fail-on-new` pass them. So every report
//! of the run names the baseline, its `asOf` and the SHA-256 of its bytes
//! ([`Baseline::file`]), for a reviewer to see which one was used.

use std::collections::{HashMap, VecDeque};
use std::path::Path;

use serde::Deserialize;

use crate::base::dates::{parse_day, Day};
use crate::findings::baseline::NotInRun;
use crate::findings::{
    BaselineCounts, BaselineFile, BaselineState, BaselineSummary, Compared, InventoryReport,
    Previous, Resolved, Status, REPORT_VERSION,
};
use crate::input::{self, InputError, JsonPath, Problem};

/// Just the version, read first: a report of another version may not have
/// the shape below.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawVersion {
    #[serde(default)]
    report_version: Option<serde_json::Value>,
}

/// What the comparison reads of a JSON report; every other field is ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawReport {
    as_of: String,
    inventories: Vec<RawInventory>,
}

#[derive(Deserialize)]
struct RawInventory {
    source: String,
    deployment: String,
    findings: Vec<RawFinding>,
}

#[derive(Deserialize)]
struct RawFinding {
    rule: String,
    #[serde(default)]
    name: String,
    scope: String,
    status: Status,
    #[serde(default)]
    message: String,
    #[serde(default)]
    deadline: Option<String>,
}

/// One finding of the baseline that needs attention (not `pass`/`skip`).
#[derive(Debug)]
struct Entry {
    rule: String,
    name: String,
    scope: String,
    was: Previous,
    message: String,
}

#[derive(Debug)]
struct Judged {
    deployment: String,
    source: String,
    entries: Vec<Entry>,
}

/// A loaded baseline, consumed inventory by inventory as the run's are
/// compared with it ([`Baseline::compare`]), then summed up ([`Baseline::finish`]).
#[derive(Debug)]
pub struct Baseline {
    /// The file, its `asOf` and its SHA-256.
    file: BaselineFile,
    inventories: Vec<Judged>,
    used: Vec<bool>,
    /// Baseline inventories by (deployment, source), and by deployment, in
    /// file order; an index already used is skipped when met.
    by_source: HashMap<(String, String), VecDeque<usize>>,
    by_name: HashMap<String, VecDeque<usize>>,
    counts: BaselineCounts,
}

/// Reads and validates a baseline report; its digest is of the file's bytes.
pub fn load(path: &Path, max_bytes: u64) -> Result<Baseline, InputError> {
    let origin = path.display().to_string();
    let bytes = input::read_bytes(path, max_bytes)?;
    let sha256 = sha256_hex(&bytes);
    let text = input::decode(&origin, bytes)?;
    parse_digested(&origin, &text, sha256)
}

/// Parses a baseline report's text.
pub fn parse(origin: &str, text: &str) -> Result<Baseline, InputError> {
    parse_digested(origin, text, sha256_hex(text.as_bytes()))
}

/// SHA-256 in lowercase hex, as `sha256sum` prints it.
fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest
        .as_ref()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

fn parse_digested(origin: &str, text: &str, sha256: String) -> Result<Baseline, InputError> {
    let version: RawVersion = input::parse_json(origin, text)?;
    check_version(origin, text, version.report_version.as_ref())?;
    let raw: RawReport = input::parse_json(origin, text)?;
    let mut problems = Vec::new();
    // As akspol writes it: a calendar date, YYYY-MM-DD.
    let as_of = parse_day(&raw.as_of)
        .ok()
        .filter(|day| day.to_string() == raw.as_of);
    if as_of.is_none() {
        problems.push(Problem::at(
            JsonPath::root().key("asOf"),
            format!(
                "`{}`: expected the date the baseline report was made as of, YYYY-MM-DD (as akspol writes it)",
                raw.as_of
            ),
        ));
    }
    let mut inventories = Vec::with_capacity(raw.inventories.len());
    for (i, inventory) in raw.inventories.into_iter().enumerate() {
        let entries = entries_of(i, inventory.findings, &mut problems);
        inventories.push(Judged {
            deployment: inventory.deployment,
            source: inventory.source,
            entries,
        });
    }
    let as_of = match as_of {
        Some(day) if problems.is_empty() => day,
        _ => return Err(InputError::invalid(origin, text, problems)),
    };
    let mut by_source: HashMap<(String, String), VecDeque<usize>> = HashMap::new();
    let mut by_name: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, inventory) in inventories.iter().enumerate() {
        by_source
            .entry((inventory.deployment.clone(), inventory.source.clone()))
            .or_default()
            .push_back(i);
        by_name
            .entry(inventory.deployment.clone())
            .or_default()
            .push_back(i);
    }
    Ok(Baseline {
        file: BaselineFile {
            source: origin.to_string(),
            as_of,
            sha256,
        },
        used: vec![false; inventories.len()],
        inventories,
        by_source,
        by_name,
        counts: BaselineCounts::default(),
    })
}

/// The findings of the baseline's `i`th inventory that can change: not
/// pass or skip, and of a rule this akspol knows.
fn entries_of(i: usize, findings: Vec<RawFinding>, problems: &mut Vec<Problem>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (j, f) in findings.into_iter().enumerate() {
        let at = |key: &str| {
            JsonPath::root()
                .key("inventories")
                .index(i)
                .key("findings")
                .index(j)
                .key(key)
        };
        if !crate::rules::RULES.iter().any(|rule| rule.code == f.rule) {
            problems.push(Problem::at(
                at("rule"),
                format!(
                    "`{}`: expected the code of a rule this akspol knows (V001, S001, ...: `akspol rules` lists them)",
                    f.rule
                ),
            ));
            continue;
        }
        if matches!(f.status, Status::Pass | Status::Skip) {
            continue;
        }
        let deadline = match f.deadline.as_deref().map(parse_day) {
            None => None,
            Some(Ok(day)) => Some(day),
            Some(Err(e)) => {
                problems.push(Problem::at(at("deadline"), e));
                None
            }
        };
        entries.push(Entry {
            rule: f.rule,
            name: f.name,
            scope: f.scope,
            was: Previous {
                status: f.status,
                deadline,
            },
            message: f.message,
        });
    }
    entries
}

/// The baseline must be a JSON report of the version this akspol writes.
fn check_version(
    origin: &str,
    text: &str,
    version: Option<&serde_json::Value>,
) -> Result<(), InputError> {
    let remake = "make the baseline again with this akspol: `akspol check --format json --output REPORT.json ...`";
    let message = match version {
        None => format!(
            "not an akspol JSON report: no `reportVersion` (expected a report written by `--format json`, version {REPORT_VERSION}); {remake}"
        ),
        Some(v) if v.as_u64() == Some(u64::from(REPORT_VERSION)) => return Ok(()),
        Some(v) => format!(
            "report version {}: this akspol ({}) reads report version {REPORT_VERSION} only; {remake}",
            crate::base::sanitize::clean(&v.to_string()),
            env!("CARGO_PKG_VERSION")
        ),
    };
    let path = match version {
        Some(_) => JsonPath::root().key("reportVersion"),
        None => JsonPath::root(),
    };
    Err(InputError::invalid(
        origin,
        text,
        vec![Problem::at(path, message)],
    ))
}

impl Baseline {
    /// Which baseline this is, as every report names it.
    pub fn file(&self) -> BaselineFile {
        self.file.clone()
    }

    /// Compares one judged inventory with its counterpart in the baseline:
    /// marks its findings and lists what was resolved. `evaluated` says
    /// whether a rule code ran in this run (a rule left out resolves nothing).
    pub fn compare(
        &mut self,
        as_of: Day,
        inventory: &mut InventoryReport,
        evaluated: &dyn Fn(&str) -> bool,
    ) {
        let matched = self.take(&inventory.deployment, &inventory.source);
        let entries = matched
            .and_then(|i| self.inventories.get_mut(i))
            .map(|judged| std::mem::take(&mut judged.entries))
            .unwrap_or_default();
        // The baseline's findings by (scope, rule), in file order.
        let mut waiting: HashMap<(String, String), VecDeque<usize>> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            waiting
                .entry((entry.scope.clone(), entry.rule.clone()))
                .or_default()
                .push_back(i);
        }
        let mut taken = vec![false; entries.len()];
        let names = &inventory.names;
        for reported in &mut inventory.findings {
            let f = &reported.finding;
            if matches!(f.outcome.status, Status::Pass | Status::Skip) {
                continue;
            }
            let key = (names.label(f.scope).to_string(), f.rule.code.to_string());
            let previous = waiting.get_mut(&key).and_then(VecDeque::pop_front);
            let compared = match previous.and_then(|i| entries.get(i).map(|e| (i, e))) {
                Some((i, entry)) => {
                    if let Some(t) = taken.get_mut(i) {
                        *t = true;
                    }
                    let deadline = f.outcome.deadline.as_ref().map(|d| d.date);
                    Compared {
                        state: state(f.outcome.status, deadline, &entry.was, as_of),
                        was: Some(entry.was.clone()),
                    }
                }
                None => Compared {
                    state: BaselineState::New,
                    was: None,
                },
            };
            self.counts.add(compared.state);
            reported.baseline = Some(compared);
        }
        let left: Vec<(usize, &Entry)> = entries
            .iter()
            .enumerate()
            .filter(|(i, e)| !taken.get(*i).copied().unwrap_or(true) && evaluated(&e.rule))
            .collect();
        if left.is_empty() {
            return;
        }
        let labels: Vec<String> = inventory
            .findings
            .iter()
            .map(|r| inventory.label(r.finding.scope).to_string())
            .collect();
        let now: HashMap<(&str, &str), Status> = inventory
            .findings
            .iter()
            .zip(&labels)
            .map(|(r, label)| {
                let f = &r.finding;
                ((label.as_str(), f.rule.code), f.outcome.status)
            })
            .collect();
        let mut resolved = Vec::with_capacity(left.len());
        for (_, entry) in left {
            resolved.push(Resolved {
                rule: entry.rule.clone(),
                name: entry.name.clone(),
                scope: entry.scope.clone(),
                was: entry.was.clone(),
                message: entry.message.clone(),
                now: now
                    .get(&(entry.scope.as_str(), entry.rule.as_str()))
                    .copied(),
            });
        }
        self.counts.resolved += resolved.len();
        inventory.resolved = resolved;
    }

    /// The baseline inventory for `deployment`: the first unused one from
    /// the same source, else the first unused one of that name.
    fn take(&mut self, deployment: &str, source: &str) -> Option<usize> {
        let used = &mut self.used;
        let mut first_unused = |queue: Option<&mut VecDeque<usize>>| {
            let queue = queue?;
            while let Some(i) = queue.pop_front() {
                if let Some(slot) = used.get_mut(i).filter(|u| !**u) {
                    *slot = true;
                    return Some(i);
                }
            }
            None
        };
        let key = (deployment.to_string(), source.to_string());
        first_unused(self.by_source.get_mut(&key))
            .or_else(|| first_unused(self.by_name.get_mut(deployment)))
    }

    /// The comparison of the whole run, once every inventory is compared.
    pub fn finish(self) -> BaselineSummary {
        let not_in_run = self
            .inventories
            .into_iter()
            .zip(self.used)
            .filter(|(_, used)| !used)
            .map(|(judged, _)| NotInRun {
                findings: judged.entries.len(),
                deployment: judged.deployment,
                source: judged.source,
            })
            .collect();
        BaselineSummary {
            as_of: self.file.as_of.to_string(),
            source: self.file.source,
            sha256: self.file.sha256,
            counts: self.counts,
            not_in_run,
        }
    }
}

/// How a finding now compares with what it was.
fn state(now: Status, deadline: Option<Day>, was: &Previous, as_of: Day) -> BaselineState {
    use std::cmp::Ordering;
    match now.severity().cmp(&was.status.severity()) {
        Ordering::Greater => return BaselineState::Worse,
        Ordering::Less => return BaselineState::Better,
        Ordering::Equal => {}
    }
    // A deadline that has come and gone made way for the next one: that is
    // the foreseen course, not an improvement.
    let before_it_came = |d: Day| d > as_of;
    match (deadline, was.deadline) {
        (Some(now), Some(then)) if now < then => BaselineState::Worse,
        (Some(_), None) => BaselineState::Worse,
        (Some(now), Some(then)) if now > then && before_it_came(then) => BaselineState::Better,
        (None, Some(then)) if before_it_came(then) => BaselineState::Better,
        _ => BaselineState::Unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        parse_day(text).unwrap()
    }

    fn was(status: Status, deadline: Option<&str>) -> Previous {
        Previous {
            status,
            deadline: deadline.map(day),
        }
    }

    #[test]
    fn states_by_status_and_deadline() {
        let as_of = day("2026-11-23");
        let fail = Status::Fail;
        let warn = Status::Warn;
        assert_eq!(
            state(fail, None, &was(warn, None), as_of),
            BaselineState::Worse
        );
        assert_eq!(
            state(warn, None, &was(fail, None), as_of),
            BaselineState::Better
        );
        assert_eq!(
            state(warn, None, &was(warn, None), as_of),
            BaselineState::Unchanged
        );
        let soon = Some(day("2026-12-01"));
        let later = Some("2026-12-31");
        assert_eq!(
            state(warn, soon, &was(warn, later), as_of),
            BaselineState::Worse
        );
        assert_eq!(
            state(warn, soon, &was(warn, None), as_of),
            BaselineState::Worse
        );
        assert_eq!(
            state(warn, Some(day("2027-01-15")), &was(warn, later), as_of),
            BaselineState::Better
        );
        assert_eq!(
            state(warn, None, &was(warn, later), as_of),
            BaselineState::Better
        );
        // The old deadline came and went: the next one is the plan, not progress.
        assert_eq!(
            state(warn, soon, &was(warn, Some("2026-11-20")), as_of),
            BaselineState::Unchanged
        );
        assert_eq!(
            state(warn, None, &was(warn, Some("2026-11-23")), as_of),
            BaselineState::Unchanged
        );
    }

    #[test]
    fn another_report_version_is_an_error_at_its_place() {
        let text = "{\n  \"reportVersion\": 2,\n  \"inventories\": []\n}\n";
        let error = parse("old.json", text).unwrap_err().to_string();
        assert!(
            error.starts_with("old.json:2:3: reportVersion: report version 2"),
            "{error}"
        );
        let error = parse("x.json", "{\"version\": \"2.1.0\"}").unwrap_err();
        assert!(error.to_string().contains("no `reportVersion`"), "{error}");
    }
}
