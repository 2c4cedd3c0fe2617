//! `--format sarif`: SARIF 2.1.0 for code-scanning upload (GitHub, Azure DevOps).
//!
//! One run; `tool.driver.rules` lists every registered rule with its
//! explanation; one result per finding that is neither `pass` nor `skip`,
//! located at the line of the JSON object it concerns (deployment, cluster or
//! node) so an annotation lands on the right line. Waived findings are kept,
//! with an accepted external suppression carrying the waiver's reason.
//! `tests/reports.rs` validates the output against the official schema.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{fingerprint, TOOL_VERSION};
use crate::base::sanitize::clean;
use crate::findings::{Report, ReportedFinding, Status, POLICY_URL};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a status; `None` for statuses that produce no result.
pub fn level(status: Status) -> Option<&'static str> {
    match status {
        Status::Fail => Some("error"),
        Status::Warn | Status::Unknown => Some("warning"),
        Status::Info => Some("note"),
        Status::Pass | Status::Skip => None,
    }
}

pub fn to_sarif(report: &Report) -> Value {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|rule| {
            let explanation = rule.explanation();
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary() },
                "fullDescription": { "text": explanation, "markdown": explanation },
                "help": {
                    "text": format!("{} <{}>", rule.section.title, rule.section.url()),
                    "markdown": format!("Policy: [{}]({})", rule.section.title, rule.section.url()),
                },
                "helpUri": rule.section.url(),
                // Every result states its own level; a rule's worst status is `fail`.
                "defaultConfiguration": { "level": "error" },
                "properties": {
                    "scope": rule.scope.as_str(),
                    "policySection": rule.section.title,
                    "tags": ["aks-hybrid", "support-policy"],
                },
            })
        })
        .collect();
    let rule_index = |code: &str| report.rules.iter().position(|r| r.code == code);

    let mut results = Vec::new();
    for inventory in &report.inventories {
        let uri = artifact_uri(&inventory.source);
        for reported in &inventory.findings {
            let f = &reported.finding;
            let Some(level) = level(f.outcome.status) else {
                continue;
            };
            let mut location = Map::new();
            let mut physical = json!({ "artifactLocation": { "uri": uri } });
            if let (Some(line), Some(obj)) = (reported.line, physical.as_object_mut()) {
                obj.insert("region".into(), json!({ "startLine": line }));
            }
            location.insert("physicalLocation".into(), physical);
            location.insert(
                "logicalLocations".into(),
                json!([{ "fullyQualifiedName": clean(&f.scope_label), "kind": "object" }]),
            );
            let mut result = json!({
                "ruleId": f.rule.code,
                "level": level,
                "message": { "text": message(reported) },
                "locations": [Value::Object(location)],
                "partialFingerprints": {
                    "akspolFinding/v1": fingerprint(f.rule.code, &f.scope_label),
                },
                "properties": properties(reported),
            });
            if let Some(obj) = result.as_object_mut() {
                if let Some(index) = rule_index(f.rule.code) {
                    obj.insert("ruleIndex".into(), json!(index));
                }
                if let Some(waiver) = &reported.waiver {
                    obj.insert(
                        "suppressions".into(),
                        json!([{
                            "kind": "external",
                            "status": "accepted",
                            "justification": format!(
                                "waived until {}: {}",
                                waiver.expires,
                                clean(&waiver.reason)
                            ),
                        }]),
                    );
                }
            }
            results.push(result);
        }
    }

    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "akspol",
                    "version": TOOL_VERSION,
                    "semanticVersion": TOOL_VERSION,
                    "informationUri": POLICY_URL,
                    "rules": rules,
                }
            },
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {
                "asOf": report.as_of.to_string(),
                "verdict": report.verdict().as_str(),
                "catalog": report.catalog,
                "policyEditions": editions(report),
            },
        }],
    })
}

/// The policy editions the run judged against (each once, in input order),
/// with their notices.
fn editions(report: &Report) -> Vec<Value> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for inventory in &report.inventories {
        let p = &inventory.policy;
        if !seen.contains(&p.edition) {
            seen.push(p.edition);
            out.push(json!(p));
        }
    }
    out
}

/// `scope: message`, with the deadline when there is one.
fn message(reported: &ReportedFinding) -> String {
    let f = &reported.finding;
    let mut text = format!("{}: {}", clean(&f.scope_label), clean(&f.outcome.message));
    if let Some(d) = f.outcome.deadline {
        text.push_str(&format!(
            " (deadline {}{})",
            if d.estimated { "~" } else { "" },
            d.date
        ));
    }
    text
}

fn properties(reported: &ReportedFinding) -> Value {
    let f = &reported.finding;
    json!({
        "scope": clean(&f.scope_label),
        "status": f.outcome.status.as_str(),
        "deadline": f.outcome.deadline.map(|d| d.date.to_string()),
        "deadlineEstimated": f.outcome.deadline.map(|d| d.estimated),
        "policySection": f.cite.section,
        "policyUrl": f.cite.url,
        "evidence": f.outcome.evidence,
    })
}

/// The inventory path as given, as a relative URI reference: `/` separators,
/// and anything outside the unreserved characters percent-encoded (so a
/// Windows drive letter or a space cannot break the URI). Standard input is `stdin`.
pub fn artifact_uri(source: &str) -> String {
    if source == crate::base::STDIN_ORIGIN {
        return "stdin".to_string();
    }
    let source = source.replace('\\', "/");
    let source = source.strip_prefix("./").unwrap_or(&source);
    let mut uri = String::with_capacity(source.len());
    for byte in source.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    crate::base::json::write_pretty(&to_sarif(report), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(artifact_uri("fixtures/a.json"), "fixtures/a.json");
        assert_eq!(artifact_uri("./inv/a b.json"), "inv/a%20b.json");
        assert_eq!(artifact_uri("C:\\inv\\a.json"), "C%3A/inv/a.json");
        assert_eq!(artifact_uri("<stdin>"), "stdin");
    }
}
