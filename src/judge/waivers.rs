//! `--waivers FILE`: accepted findings, each for a while (`../shared/spec/cli.md`, "Waivers").
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

/// Applies `waivers` to the findings of every inventory (as of `as_of`),
/// recomputes their summaries and verdicts, and says what became of each waiver.
/// The findings a waiver may match are indexed by rule and scope once, so the
/// cost is linear in waivers plus findings (20,000 of each once took minutes).
pub fn apply(
    waivers: &[Waiver],
    as_of: Day,
    inventories: &mut [InventoryReport],
) -> Vec<WaiverNote> {
    let mut index: HashMap<(&str, String), Vec<(usize, usize)>> = HashMap::new();
    for (i, inventory) in inventories.iter().enumerate() {
        for (j, reported) in inventory.findings.iter().enumerate() {
            let f = &reported.finding;
            if !matches!(f.outcome.status, Status::Pass | Status::Skip) {
                index
                    .entry((f.rule.code, f.scope_label.clone()))
                    .or_default()
                    .push((i, j));
            }
        }
    }
    let mut notes = Vec::with_capacity(waivers.len());
    for waiver in waivers {
        let expired = waiver.expires < as_of;
        let mut matched = 0;
        let key = (waiver.rule.as_str(), waiver.scope.clone());
        if let (false, Some(places)) = (expired, index.get(&key)) {
            for &(i, j) in places {
                let Some(reported) = inventories
                    .get_mut(i)
                    .and_then(|inventory| inventory.findings.get_mut(j))
                else {
                    continue;
                };
                matched += 1;
                // The first waiver listed for a finding is the one it shows.
                reported.waiver.get_or_insert_with(|| AppliedWaiver {
                    reason: waiver.reason.clone(),
                    expires: waiver.expires.to_string(),
                    by: waiver.by.clone(),
                });
            }
        }
        let state = if expired {
            WaiverState::Expired
        } else if matched == 0 {
            WaiverState::Unmatched
        } else {
            WaiverState::Applied
        };
        notes.push(WaiverNote {
            rule: waiver.rule.clone(),
            scope: waiver.scope.clone(),
            reason: waiver.reason.clone(),
            expires: waiver.expires.to_string(),
            by: waiver.by.clone(),
            state,
            matched,
            at: waiver.at.clone(),
        });
    }
    for inventory in inventories {
        inventory.recount();
    }
    notes
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
