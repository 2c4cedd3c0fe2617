//! `--format sarif`: SARIF 2.1.0 for code-scanning upload (GitHub, Azure DevOps).
//!
//! One run; `tool.driver.rules` lists every registered rule: a one-sentence
//! `shortDescription`, the explanation as plain text in `fullDescription` and
//! whole (with "How to fix") in `help.text` / `help.markdown`, and a
//! `defaultConfiguration.level` from the worst status the rule reports. One
//! result per finding that is neither `pass` nor `skip`, and per finding that
//! fails the gate whatever its status, located at the line of the JSON object
//! it concerns. Levels follow the gate: `error` for what fails the run
//! (`--fail-on`, `--fail-within`), `warning` for the other `fail`, `warn` and
//! `unknown` findings, `note` for `info`. Artifact URIs are relative to
//! `--sarif-root` with `uriBaseId` `%SRCROOT%`, which code scanning maps to
//! the repository. Waived findings carry an accepted external suppression.
//! With `--baseline`, each result has its `baselineState` (`new`,
//! `unchanged`, or `updated` for one worse or better than it was) and the
//! run's properties the counts, resolved ones included.
//!
//! What GitHub accepts on upload (its "SARIF support for code scanning"
//! limits) holds: at most [`MAX_RESULTS`] results per run (the worst are
//! kept, and a notification says how many were left out), at most 10 tags
//! per rule. `tests/reports.rs` validates the output against the official schema.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};

use super::{
    deadline_text, fingerprint, Emitter, Needs, Piece, RenderOptions, Spool, SpoolMaker,
    TOOL_VERSION,
};
use crate::base::json::{write_pretty_at, Members};
use crate::base::sanitize::clean;
use crate::findings::{
    BaselineState, InventoryReport, ReportedFinding, RuleInfo, Run, StatedRule, Status, Totals,
};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;
/// The base the artifact URIs are relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// Where URIs start from: both absolute (the face knows the current directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `--sarif-root`: what `%SRCROOT%` stands for.
    pub root: PathBuf,
    /// Where relative inventory paths start.
    pub current_dir: PathBuf,
}

/// The SARIF level of a status under the default gate; `None` for statuses
/// that produce no result.
pub fn level(status: Status) -> Option<&'static str> {
    match status {
        Status::Fail => Some("error"),
        Status::Warn | Status::Unknown => Some("warning"),
        Status::Info => Some("note"),
        Status::Pass | Status::Skip => None,
    }
}

/// The level of a finding's result: `error` when it fails the gate.
fn result_level(reported: &ReportedFinding) -> Option<&'static str> {
    if reported.gate.fails() {
        return Some("error");
    }
    match reported.finding.outcome.status {
        Status::Fail if reported.waiver.is_none() => Some("warning"),
        status => level(status),
    }
}

/// The rule's summary (the first line of its file's doc comment, one
/// sentence of at most 100 characters), as plain text.
pub fn one_sentence(rule: &RuleInfo) -> String {
    let summary = plain(&rule.summary());
    let end = summary
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(summary.len());
    summary.get(..end).unwrap_or(&summary).trim().to_string()
}

/// Markdown as plain text: headings become `What it checks:` lines, code
/// spans lose their backticks.
pub fn plain_text(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| match line.strip_prefix("## ") {
            Some(heading) => format!("{heading}:"),
            None => plain(line),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The explanation past its summary: what `fullDescription` holds (the
/// summary is `shortDescription`).
fn past_summary(explanation: &str) -> &str {
    explanation
        .find("\n## ")
        .and_then(|at| explanation.get(at + 1..))
        .unwrap_or(explanation)
}

fn plain(text: &str) -> String {
    text.replace('`', "")
}

/// A rule's entry in `tool.driver.rules`, in the words and with the link
/// of the edition the run judged it under (`judged`: the editions of the
/// inventories judged, or every edition when none was). Under several
/// editions, each with its own page, there is no one `helpUri`: the help
/// names each edition's section, and each result its own (`policyUrl`).
fn rule_descriptor(rule: &RuleInfo, run: &Run, judged: &[&str]) -> Value {
    let stated: Vec<(&str, &StatedRule)> = judged
        .iter()
        .filter_map(|id| run.editions.stated(id, rule.code).map(|s| (*id, s)))
        .collect();
    let (explanation, explain) = match stated.as_slice() {
        [(id, one)] => (
            one.explanation.clone(),
            format!("akspol explain {} --policy-edition {id}", rule.code),
        ),
        _ => (rule.explanation(), format!("akspol explain {}", rule.code)),
    };
    let (policy_text, policy_markdown) = match stated.as_slice() {
        [] => {
            let text = format!(
                "Policy: not stated by {} (the rule did not run)",
                judged.join(", ")
            );
            (text.clone(), text)
        }
        [(_, one)] => (
            format!("Policy: {} <{}>", one.cite.section, one.cite.url),
            format!("Policy: [{}]({})", one.cite.section, one.cite.url),
        ),
        many => (
            format!(
                "Policy: {}",
                many.iter()
                    .map(|(id, s)| format!("{id}: {} <{}>", s.cite.section, s.cite.url))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            format!(
                "Policy: {}",
                many.iter()
                    .map(|(id, s)| format!("{id} [{}]({})", s.cite.section, s.cite.url))
                    .collect::<Vec<_>>()
                    .join(" · ")
            ),
        ),
    };
    let plain_full = plain_text(&explanation);
    let one = match stated.as_slice() {
        [(_, one)] => Some(one),
        _ => None,
    };
    let mut descriptor = serde_json::Map::new();
    descriptor.insert("id".into(), json!(rule.code));
    descriptor.insert("name".into(), json!(rule.name));
    descriptor.insert(
        "shortDescription".into(),
        json!({ "text": one_sentence(rule) }),
    );
    descriptor.insert(
        "fullDescription".into(),
        json!({ "text": plain_text(past_summary(&explanation)) }),
    );
    descriptor.insert(
        "help".into(),
        json!({
            "text": format!("{plain_full}\n\n{policy_text}\n\n{explain}"),
            "markdown": format!("{explanation}\n\n{policy_markdown} · `{explain}`"),
        }),
    );
    if let Some(one) = one {
        descriptor.insert("helpUri".into(), json!(one.cite.url));
    }
    descriptor.insert(
        "defaultConfiguration".into(),
        json!({ "level": level(rule.worst).unwrap_or("note") }),
    );
    let mut properties = serde_json::Map::new();
    properties.insert("scope".into(), json!(rule.scope.as_str()));
    if let Some(one) = one {
        properties.insert("policySection".into(), json!(one.cite.section));
    }
    properties.insert("tags".into(), json!(tags(rule)));
    descriptor.insert("properties".into(), Value::Object(properties));
    Value::Object(descriptor)
}

/// At most 10 (what code scanning keeps): the product, the family of rule
/// (version, stopped, modification, feature, coverage) and its scope.
fn tags(rule: &RuleInfo) -> Vec<&'static str> {
    let family = match rule.code.get(..1) {
        Some("V") => "versions",
        Some("S") => "stopped-or-disconnected",
        Some("M") => "customization",
        Some("F") => "features",
        _ => "coverage",
    };
    vec!["aks-hybrid", "support-policy", family, rule.scope.as_str()]
}

/// `--format sarif`.
pub(super) struct SarifEmitter {
    paths: Option<Paths>,
}

impl Emitter for SarifEmitter {
    const NAME: &'static str = "sarif";
    const NEEDS: Needs = Needs {
        lines: true,
        ..Needs::FINDINGS
    };
    type Meta = Vec<Part>;
    type State = Results;

    fn new(options: &RenderOptions, _run: &Run) -> Self {
        Self {
            paths: options.sarif_paths.clone(),
        }
    }

    fn piece(&self, run: &Run, _ordinal: usize, inventory: &InventoryReport) -> Piece<Vec<Part>> {
        results(run, self.paths.as_ref(), inventory)
    }

    fn open(&self, spools: &mut SpoolMaker<'_>) -> io::Result<Results> {
        Ok(Results::new(spools()?))
    }

    fn is_own_report(head: &[u8]) -> bool {
        head.starts_with(b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",")
            && super::head_holds(head, "\"driver\": {\n          \"name\": \"akspol\",")
    }

    fn push(
        &self,
        state: &mut Results,
        piece: Piece<Vec<Part>>,
        _out: &mut dyn Write,
    ) -> io::Result<()> {
        state.push(piece)
    }

    fn finish(
        &self,
        state: Results,
        run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        state.finish(run, totals, out)
    }
}

/// One inventory's results, each written as it sits in `results` (four
/// levels deep), with its rank for the upload limit.
fn results(run: &Run, paths: Option<&Paths>, inventory: &InventoryReport) -> Piece<Vec<Part>> {
    let rule_index = |code: &str| run.rules.iter().position(|r| r.code == code);
    let location = artifact_location(&inventory.source, paths);
    let uri = location
        .get("uri")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut bytes = Vec::new();
    let mut parts = Vec::new();
    for reported in &inventory.findings {
        let f = &reported.finding;
        let Some(level) = result_level(reported) else {
            continue;
        };
        let scope = inventory.label(f.scope).to_string();
        let mut physical = json!({ "artifactLocation": location });
        if let (Some(line), Some(obj)) = (reported.line, physical.as_object_mut()) {
            obj.insert("region".into(), json!({ "startLine": line }));
        }
        let mut result = json!({
            "ruleId": f.rule.code,
            "level": level,
            "message": { "text": message(run, &scope, reported) },
            "locations": [{
                "physicalLocation": physical,
                "logicalLocations": [{ "fullyQualifiedName": clean(&scope), "kind": "object" }],
            }],
            "partialFingerprints": {
                "akspolFinding/v2": fingerprint(
                    f.rule.code,
                    &format!("{uri}\u{0}{}\u{0}{scope}", inventory.deployment)
                ),
            },
            "properties": properties(&scope, reported),
        });
        if let Some(obj) = result.as_object_mut() {
            if let Some(index) = rule_index(f.rule.code) {
                obj.insert("ruleIndex".into(), json!(index));
            }
            if let Some(compared) = &reported.baseline {
                obj.insert(
                    "baselineState".into(),
                    json!(baseline_state(compared.state)),
                );
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
        let start = bytes.len();
        // Writing to memory cannot fail.
        let _ = write_pretty_at(&result, RESULT_LEVEL, &mut bytes);
        parts.push(Part {
            rank: match level {
                "error" => 0,
                "warning" => 1,
                _ => 2,
            },
            len: bytes.len() - start,
        });
    }
    Piece::new(bytes, parts)
}

/// How deep a result sits: the document, `runs`, the run, `results`.
const RESULT_LEVEL: usize = 4;

/// One result of a piece: its rank (0 error, 1 warning, 2 note) and length.
#[derive(Debug, Clone, Copy)]
pub(super) struct Part {
    rank: u8,
    len: usize,
}

/// The results wait in a spool: the notification that some were left out
/// comes before them. Only where the kept ones are is remembered: at most
/// [`MAX_RESULTS`], the worst first, then in report order.
pub(super) struct Results {
    results: Box<dyn Spool>,
    /// Per rank, the kept results as (sequence number, start, end).
    kept: [Vec<(usize, u64, u64)>; 3],
    total: usize,
}

impl Results {
    fn new(results: Box<dyn Spool>) -> Self {
        Self {
            results,
            kept: Default::default(),
            total: 0,
        }
    }

    fn push(&mut self, piece: Piece<Vec<Part>>) -> io::Result<()> {
        let parts = piece.meta;
        let mut start = self.results.position();
        self.results.write_all(&piece.bytes)?;
        for part in parts {
            let end = start + part.len as u64;
            if let Some(rank) = self.kept.get_mut(usize::from(part.rank)) {
                rank.push((self.total, start, end));
            }
            self.total += 1;
            start = end;
            // Past the limit, the last of the mildest rank goes.
            if self.total > MAX_RESULTS {
                if let Some(mildest) = self.kept.iter_mut().rev().find(|k| !k.is_empty()) {
                    mildest.pop();
                }
            }
        }
        Ok(())
    }

    /// The run's notifications: results left out past GitHub's limit, and
    /// what the verdicts cannot show (a warning each).
    fn notifications(&self, totals: &Totals) -> Vec<Value> {
        let mut notifications = Vec::new();
        if self.total > MAX_RESULTS {
            let left_out = self.total - MAX_RESULTS;
            notifications.push(json!({
                "level": "warning",
                "message": { "text": format!(
                    "{left_out} results left out: code scanning accepts {MAX_RESULTS} per run; the worst are kept (the JSON report has them all)"
                ) },
            }));
        }
        // What the verdicts cannot show (saved outputs not read, a
        // deployment judged with no cluster): a warning each.
        for notice in &totals.notices {
            notifications.push(json!({
                "level": "warning",
                "message": { "text": clean(notice) },
            }));
        }
        if totals.notices_omitted > 0 {
            notifications.push(json!({
                "level": "warning",
                "message": { "text": format!(
                    "{} more warnings of the inventories, not listed (the JSON report has them all)",
                    totals.notices_omitted
                ) },
            }));
        }
        notifications
    }

    fn finish(mut self, run: &Run, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        let notifications = self.notifications(totals);
        let mut judged: Vec<&str> = totals.editions.iter().map(|e| e.edition).collect();
        if judged.is_empty() {
            judged = run.editions.iter().map(|e| e.id).collect();
        }
        let rules: Vec<Value> = run
            .rules
            .iter()
            .map(|r| rule_descriptor(r, run, &judged))
            .collect();
        let mut document = Members::open(out, 0, b"{")?;
        document.member(out, "$schema", SARIF_SCHEMA)?;
        document.member(out, "version", "2.1.0")?;
        document.key(out, "runs")?;
        let mut runs = Members::open(out, document.inner(), b"[")?;
        runs.next(out)?;
        let mut this = Members::open(out, runs.inner(), b"{")?;
        this.member(
            out,
            "tool",
            &json!({
                "driver": {
                    "name": "akspol",
                    "version": TOOL_VERSION,
                    "semanticVersion": TOOL_VERSION,
                    "rules": rules,
                }
            }),
        )?;
        this.member(
            out,
            "invocations",
            &json!([{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }]),
        )?;
        this.key(out, "results")?;
        let mut results = Members::open(out, this.inner(), b"[")?;
        self.results.flush()?;
        for (_, start, end) in self.in_order() {
            results.next(out)?;
            self.results.copy_to(start..end, out)?;
        }
        results.close(out, b"]")?;
        this.member(out, "columnKind", "unicodeCodePoints")?;
        let mut properties = json!({
            "asOf": run.as_of.to_string(),
            "verdict": totals.verdict.as_str(),
            "catalog": run.catalog,
            "failsGate": totals.gate.fails(),
            "policyEditions": totals.editions,
        });
        if let (Some(baseline), Some(properties)) = (&totals.baseline, properties.as_object_mut()) {
            properties.insert(
                "baseline".into(),
                json!({
                    "source": clean(&baseline.source),
                    "asOf": clean(&baseline.as_of),
                    "sha256": baseline.sha256,
                    "counts": baseline.counts,
                }),
            );
        }
        this.member(out, "properties", &properties)?;
        this.close(out, b"}")?;
        runs.close(out, b"]")?;
        document.close(out, b"}")?;
        out.write_all(b"\n")
    }

    /// The kept results in the order they are written: as they came when
    /// none was left out, else the worst first.
    fn in_order(&self) -> Vec<(usize, u64, u64)> {
        let mut kept: Vec<(usize, u64, u64)> = Vec::new();
        for rank in &self.kept {
            kept.extend(rank.iter().copied());
        }
        if self.total <= MAX_RESULTS {
            // Each rank is in order already: a merge would do, a sort of at
            // most MAX_RESULTS is as simple.
            kept.sort_unstable_by_key(|(sequence, _, _)| *sequence);
        }
        kept
    }
}

/// SARIF's `baselineState`: a finding worse or better than it was is `updated`.
fn baseline_state(state: BaselineState) -> &'static str {
    match state {
        BaselineState::New => "new",
        BaselineState::Unchanged => "unchanged",
        BaselineState::Worse | BaselineState::Better => "updated",
    }
}

/// `scope: message`, with the deadline when there is one.
fn message(run: &Run, scope: &str, reported: &ReportedFinding) -> String {
    let f = &reported.finding;
    let mut text = format!(
        "{}: {}: {}",
        clean(scope),
        f.outcome.status.as_str(),
        clean(&f.outcome.message)
    );
    if let Some(d) = &f.outcome.deadline {
        text.push_str(&format!(" ({})", clean(&deadline_text(run.as_of, d))));
    }
    text
}

fn properties(scope: &str, reported: &ReportedFinding) -> Value {
    let f = &reported.finding;
    let deadline = f.outcome.deadline.as_ref();
    json!({
        "scope": clean(scope),
        "status": f.outcome.status.as_str(),
        "deadline": deadline.map(|d| d.date.to_string()),
        "deadlineEstimated": deadline.map(|d| d.estimated),
        "failsGate": reported.gate.fails(),
        "policySection": f.cite.section,
        "policyUrl": f.cite.url,
        "evidence": f.outcome.evidence,
    })
}

/// The `artifactLocation` of an inventory: relative to the root with
/// `uriBaseId` `%SRCROOT%` when it is inside it, else an absolute `file:`
/// URI (which code scanning cannot map to the repository). Standard input is
/// `stdin`. Without `paths`, the path as given.
pub fn artifact_location(source: &str, paths: Option<&Paths>) -> Value {
    if source == crate::base::STDIN_ORIGIN {
        return json!({ "uri": "stdin" });
    }
    let Some(paths) = paths else {
        return json!({ "uri": artifact_uri(source), "uriBaseId": SRCROOT });
    };
    let path = Path::new(source);
    let absolute = normalize(&if path.is_absolute() {
        path.to_path_buf()
    } else {
        paths.current_dir.join(path)
    });
    match absolute.strip_prefix(normalize(&paths.root)) {
        Ok(relative) => json!({
            "uri": artifact_uri(&relative.to_string_lossy()),
            "uriBaseId": SRCROOT,
        }),
        Err(_) => json!({ "uri": format!("file://{}", absolute_uri(&absolute)) }),
    }
}

/// `a/./b/../c` as `a/c`, without asking the filesystem.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An absolute path as the path of a `file:` URI: `/` first, `/` separators.
fn absolute_uri(path: &Path) -> String {
    let text = artifact_uri(&path.to_string_lossy());
    if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    }
}

/// A path as a URI reference: `/` separators, and anything outside the
/// unreserved characters percent-encoded (so a Windows drive letter or a
/// space cannot break the URI).
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

    #[test]
    fn uris_are_relative_to_the_root() {
        let paths = Paths {
            root: PathBuf::from("/repo"),
            current_dir: PathBuf::from("/repo/ci"),
        };
        let at = |source: &str| artifact_location(source, Some(&paths));
        assert_eq!(
            at("../inv/a.json"),
            json!({ "uri": "inv/a.json", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            at("/repo/inv/b.json"),
            json!({ "uri": "inv/b.json", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            at("/elsewhere/c.json"),
            json!({ "uri": "file:///elsewhere/c.json" })
        );
    }
}
