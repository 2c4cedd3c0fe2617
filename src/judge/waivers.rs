//! `--waivers FILE`: accepted findings, each for a while (`docs/spec/cli.md`, "Waivers").
//!
//! ```json
//! [{ "rule": "V003", "scope": "deployment", "reason": "upgrade booked for 2026-12-05",
//!    "expires": "2026-12-15", "by": "ops@contoso.example" }]
//! ```
//!
//! Parsing is strict, like every file akspol reads: unknown or duplicate keys,
//! a missing or empty `reason`, a missing or invalid `expires`, an unknown rule
//! code or a malformed scope are input errors (exit 2, `file:line:col: path:
//! message`). A waiver matches a finding by exact rule code and exact scope
//! label (`deployment`, `cluster/<name>`, `node/<cluster>/<node>`), in every
//! inventory of the run. A waived finding keeps its status, is marked, counts
//! under `summary.waived` and not toward the verdict or the exit status. A
//! waiver whose `expires` is before the as-of date is not applied and is
//! reported as expired; one that matches no finding needing it (none, or only
//! passing or skipped ones) is reported as unmatched, so stale waivers get
//! cleaned up.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;

use crate::base::dates::{parse_day, Day};
use crate::findings::{AppliedWaiver, InventoryReport, Status, WaiverNote, WaiverState};
use crate::input::{self, InputError, JsonPath, Problem};
use crate::rules::registry;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: String,
    scope: String,
    reason: String,
    expires: String,
    #[serde(default)]
    by: Option<String>,
}

/// One valid waiver, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub rule: String,
    pub scope: String,
    pub reason: String,
    pub expires: Day,
    pub by: Option<String>,
    /// `file:line:col` of the waiver object, for messages.
    pub at: String,
}

/// Reads and validates a waiver file.
pub fn load(path: &Path, max_bytes: u64) -> Result<Vec<Waiver>, InputError> {
    let origin = path.display().to_string();
    let text = input::read_text(path, max_bytes)?;
    parse(&origin, &text)
}

/// Parses a waiver file's text, collecting every problem before failing.
pub fn parse(origin: &str, text: &str) -> Result<Vec<Waiver>, InputError> {
    let raw: Vec<RawWaiver> = input::parse_json(origin, text)?;
    // Where each waiver starts, found in one pass (not one scan per waiver).
    let places = input::array_elements(text);
    let mut problems = Vec::new();
    let mut waivers = Vec::new();
    for (i, w) in raw.into_iter().enumerate() {
        let at = JsonPath::root().index(i);
        let before = problems.len();
        if !registry::RULES.iter().any(|r| r.code == w.rule) {
            let codes: Vec<&str> = registry::RULES.iter().map(|r| r.code).collect();
            problems.push(Problem::at(
                at.key("rule"),
                format!(
                    "no rule `{}`: expected one of {}",
                    crate::base::sanitize::clean(&w.rule),
                    codes.join(", ")
                ),
            ));
        }
        if !valid_scope(&w.scope) {
            problems.push(Problem::at(
                at.key("scope"),
                "expected `deployment`, `cluster/<name>` or `node/<cluster>/<node>` (a `/` in a name is written %2F, a `%` %25, as reports show it)",
            ));
        }
        // Invisible characters alone (a zero-width space) are no reason either.
        if crate::base::sanitize::is_blank(&w.reason) {
            problems.push(Problem::at(
                at.key("reason"),
                "a waiver needs a reason: why the finding is accepted (this one shows nothing)",
            ));
        }
        let expires = parse_day(&w.expires)
            .map_err(|e| problems.push(Problem::at(at.key("expires"), e)))
            .ok();
        if let (Some(expires), true) = (expires, problems.len() == before) {
            let (line, column) = places.get(i).copied().unwrap_or((1, 1));
            waivers.push(Waiver {
                rule: w.rule,
                scope: w.scope,
                reason: w.reason,
                expires,
                by: w.by,
                at: format!("{origin}:{line}:{column}"),
            });
        }
    }
    if problems.is_empty() {
        Ok(waivers)
    } else {
        Err(InputError::invalid(origin, text, problems))
    }
}

/// A scope label as reports write it: names non-empty, with no `/` but the
/// separators and `%` only in the escapes `%25` and `%2F` (`findings::scope_name`).
fn valid_scope(scope: &str) -> bool {
    let names: Vec<&str> = scope.split('/').collect();
    let named = match names.as_slice() {
        ["deployment"] => return true,
        ["cluster", cluster] => vec![*cluster],
        ["node", cluster, node] => vec![*cluster, *node],
        _ => return false,
    };
    named
        .iter()
        .all(|name| !name.is_empty() && escapes_valid(name))
}

/// Every `%` starts `%25` or `%2F`.
fn escapes_valid(name: &str) -> bool {
    name.match_indices('%').all(|(at, _)| {
        name.get(at..at + 3)
            .is_some_and(|escape| escape == "%25" || escape == "%2F")
    })
}

/// The waivers of a run, applied inventory by inventory as each is judged
/// ([`WaiverSet::apply`], from any worker), then summed up
/// ([`WaiverSet::notes`]). The unexpired waivers are indexed by rule and
/// scope once, so the cost is linear in waivers plus findings (20,000 of
/// each once took minutes).
#[derive(Debug)]
pub struct WaiverSet {
    waivers: Vec<Waiver>,
    as_of: Day,
    /// Unexpired waivers by (rule, scope), each list in file order.
    index: HashMap<(&'static str, String), Vec<usize>>,
    /// How many findings each waiver waived.
    matched: Vec<AtomicUsize>,
}

impl WaiverSet {
    pub fn new(waivers: Vec<Waiver>, as_of: Day) -> Self {
        let mut index: HashMap<(&'static str, String), Vec<usize>> = HashMap::new();
        for (i, waiver) in waivers.iter().enumerate() {
            // `parse` refuses a rule code that is not registered.
            let rule = registry::RULES.iter().find(|r| r.code == waiver.rule);
            if let (false, Some(rule)) = (waiver.expires < as_of, rule) {
                index
                    .entry((rule.code, waiver.scope.clone()))
                    .or_default()
                    .push(i);
            }
        }
        Self {
            matched: waivers.iter().map(|_| AtomicUsize::new(0)).collect(),
            waivers,
            as_of,
            index,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.waivers.is_empty()
    }

    /// Waives the findings of `inventory` that a waiver names (the first
    /// waiver listed for a finding is the one it shows) and recounts its
    /// summary and verdict.
    pub fn apply(&self, inventory: &mut InventoryReport) {
        if self.index.is_empty() {
            return;
        }
        let names = &inventory.names;
        for reported in &mut inventory.findings {
            let f = &reported.finding;
            if matches!(f.outcome.status, Status::Pass | Status::Skip) {
                continue;
            }
            let key = (f.rule.code, names.label(f.scope).to_string());
            for &i in self.index.get(&key).into_iter().flatten() {
                let (Some(waiver), Some(matched)) = (self.waivers.get(i), self.matched.get(i))
                else {
                    continue;
                };
                matched.fetch_add(1, Ordering::Relaxed);
                reported.waiver.get_or_insert_with(|| AppliedWaiver {
                    reason: waiver.reason.clone(),
                    expires: waiver.expires.to_string(),
                    by: waiver.by.clone(),
                });
            }
        }
        inventory.recount();
    }

    /// What became of each waiver, in file order, once every inventory of
    /// the run has been given to [`WaiverSet::apply`].
    pub fn notes(&self) -> Vec<WaiverNote> {
        self.waivers
            .iter()
            .zip(&self.matched)
            .map(|(waiver, matched)| {
                let matched = matched.load(Ordering::Relaxed);
                let state = if waiver.expires < self.as_of {
                    WaiverState::Expired
                } else if matched == 0 {
                    WaiverState::Unmatched
                } else {
                    WaiverState::Applied
                };
                WaiverNote {
                    rule: waiver.rule.clone(),
                    scope: waiver.scope.clone(),
                    reason: waiver.reason.clone(),
                    expires: waiver.expires.to_string(),
                    by: waiver.by.clone(),
                    state,
                    matched,
                    at: waiver.at.clone(),
                }
            })
            .collect()
    }
}

/// Applies `waivers` to the findings of every inventory (as of `as_of`),
/// recomputes their summaries and verdicts, and says what became of each
/// waiver: [`WaiverSet`] over inventories held at once.
pub fn apply(
    waivers: &[Waiver],
    as_of: Day,
    inventories: &mut [InventoryReport],
) -> Vec<WaiverNote> {
    let set = WaiverSet::new(waivers.to_vec(), as_of);
    for inventory in inventories {
        set.apply(inventory);
    }
    set.notes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_missing_reason_with_its_place() {
        let text =
            "[\n  {\"rule\": \"V003\", \"scope\": \"deployment\", \"expires\": \"2027-01-01\"}\n]";
        let err = parse("w.json", text).unwrap_err().to_string();
        assert!(err.starts_with("w.json:2:"), "{err}");
        assert!(err.contains("reason"), "{err}");
    }

    #[test]
    fn rejects_unknown_and_duplicate_keys() {
        let unknown = r#"[{"rule":"V003","scope":"deployment","reason":"r","expires":"2027-01-01","owner":"x"}]"#;
        assert!(parse("w.json", unknown).is_err());
        let duplicate = r#"[{"rule":"V003","rule":"V002","scope":"deployment","reason":"r","expires":"2027-01-01"}]"#;
        assert!(parse("w.json", duplicate)
            .unwrap_err()
            .to_string()
            .contains("duplicate"));
    }

    #[test]
    fn collects_every_problem() {
        let text = r#"[{"rule":"X999","scope":"cluster/","reason":" ","expires":"2027-02-30"}]"#;
        let err = parse("w.json", text).unwrap_err().to_string();
        assert_eq!(err.lines().count(), 4, "{err}");
    }

    #[test]
    fn scopes() {
        for ok in [
            "deployment",
            "cluster/a",
            "node/a/b",
            "node/a%2Fb/c",
            "cluster/100%25",
        ] {
            assert!(valid_scope(ok), "{ok}");
        }
        for bad in [
            "",
            "Deployment",
            "cluster/",
            "node/a",
            "node//b",
            "nodes/a/b",
            "node/a/b/c",
            "cluster/a/b",
            "cluster/100%",
            "cluster/a%2fb",
            "node/a%20b/c",
        ] {
            assert!(!valid_scope(bad), "{bad}");
        }
    }
}
