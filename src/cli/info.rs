//! `akspol rules` and `akspol explain`: what akspol checks, and under which
//! editions of the policy, with which numbers.

use serde_json::{json, Value};

use std::path::Path;

use super::args::RulesFormat;
use super::exit::Failure;
use super::output::print;
use crate::base::grid::{Column, Grid};
use crate::base::wrap::{hanging_list, hanging_words, width as text_width, LongWords};
use crate::policy::{edition, Edition};
use crate::rules::{registry, Rule};

fn editions() -> Result<&'static [Edition], Failure> {
    edition::editions().map_err(Failure::Usage)
}

/// `30`, `calico, flannel`, `Datacenter`: a parameter as people read it.
pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The rule's parameters as this edition states them (those it does not state are left out).
pub(super) fn parameters(
    rule: &Rule,
    edition: &'static Edition,
) -> Vec<(&'static str, &'static Value)> {
    rule.parameters
        .iter()
        .filter_map(|key| edition.parameters.get(*key).map(|v| (*key, v)))
        .collect()
}

pub fn rules(format: RulesFormat, dir: Option<&Path>) -> Result<u8, Failure> {
    let editions = editions()?;
    if dir.is_some() && format != RulesFormat::Markdown {
        return Err(Failure::Usage(
            "--dir writes Markdown pages: give it with --format markdown".to_string(),
        ));
    }
    if format == RulesFormat::Markdown {
        return super::rule_docs::run(editions, dir);
    }
    print(|out| match format {
        RulesFormat::Json => rules_json(editions, out),
        RulesFormat::Table | RulesFormat::Markdown => rules_table(editions, out),
    })
}

/// `akspol rules --format json`: each rule with the editions that state it,
/// their sections, numbers and open readings.
fn rules_json(editions: &'static [Edition], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let list: Vec<_> = registry::RULES
        .iter()
        .map(|r| {
            let stated: Vec<Value> = editions
                .iter()
                .filter_map(|e| e.rule(r.code).map(|er| (e, er)))
                .map(|(e, er)| {
                    let params: serde_json::Map<String, Value> = parameters(r, e)
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect();
                    let readings: Vec<Value> = r
                        .parameters
                        .iter()
                        .filter_map(|key| e.readings(key))
                        .map(|open| {
                            json!({
                                "parameter": open.parameter, "question": open.question,
                                "readings": open.readings.iter().map(|x| json!({
                                    "id": x.id, "who": x.who, "rule": x.rule,
                                    "implemented": x.implemented,
                                })).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    let mut stated = json!({
                        "edition": e.id, "product": e.product, "section": er.section,
                        "url": er.url, "statement": er.statement, "parameters": params,
                    });
                    if let (false, Some(map)) = (readings.is_empty(), stated.as_object_mut()) {
                        map.insert("readings".to_string(), Value::Array(readings));
                    }
                    stated
                })
                .collect();
            json!({
                "code": r.code, "name": r.name, "scope": r.scope.as_str(),
                "section": r.section().section, "url": r.section().url, "summary": r.summary(),
                "editions": stated,
            })
        })
        .collect();
    crate::base::json::write_pretty(&list, out)
}

/// `akspol rules`: the rules as a grid (or a block each) and the editions.
fn rules_table(editions: &[Edition], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let width = usize::from(super::output::stdout_width()).max(MIN_WIDTH);
    let mut table = Grid::new(&[
        Column::whole("rule"),
        Column::whole("scope"),
        Column::whole("editions").named(),
        Column::prose("policy section").named(),
    ]);
    for r in registry::RULES {
        let ids: Vec<&str> = editions
            .iter()
            .filter(|e| e.states(r.code))
            .map(|e| e.id.as_str())
            .collect();
        table.push([
            format!("{} {}", r.code, r.name),
            r.scope.as_str().to_string(),
            ids.join(", "),
            r.section().section.to_string(),
        ]);
    }
    table.write(width, out)?;
    writeln!(out)?;
    say(
        out,
        "editions (`akspol explain CODE` shows each one's section and numbers for a rule):",
        "",
        width,
    )?;
    for e in editions {
        let edition = format!(
            "{}: {}, {}, in force from {}{}: {}",
            e.id,
            e.title,
            e.product,
            e.in_force_from,
            if e.default { " (default)" } else { "" },
            e.page.url
        );
        say(out, &edition, "  ", width)?;
        for page in &e.linked_pages {
            let link = format!("links to {}: {}", page.title, page.url);
            say(out, &link, "    ", width)?;
        }
    }
    Ok(())
}

/// Narrower than this, nothing fits anyway: lay out as if this wide.
const MIN_WIDTH: usize = 40;

/// `text` wrapped to `width` at spaces, after `indent` and two more spaces
/// on the lines after the first; a URL longer than a line stays whole.
fn say(
    out: &mut dyn std::io::Write,
    text: &str,
    indent: &str,
    width: usize,
) -> std::io::Result<()> {
    let rest = format!("{indent}  ");
    for line in hanging_words(text, indent, &rest, width, LongWords::Keep) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The readings of the rule's parameters whose statement an edition leaves
/// open, the one in use first: what `--policy FILE` can choose instead.
fn readings(
    rule: &Rule,
    editions: &[Edition],
    width: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for e in editions.iter().filter(|e| e.states(rule.code)) {
        for key in rule.parameters {
            let Some(open) = e.readings(key) else {
                continue;
            };
            let used = e.parameters.get(*key).map(value_text).unwrap_or_default();
            let question = format!("{}: {key} = {used}: {}", e.id, open.question);
            say(out, &question, "  ", width)?;
            let choose =
                format!("readings (choose one with --policy FILE: {{\"{key}\": \"...\"}}):");
            say(out, &choose, "    ", width)?;
            for r in &open.readings {
                let reading = format!(
                    "{}{}: {} ({}{})",
                    r.id,
                    if r.id == used { " (in use)" } else { "" },
                    r.rule,
                    r.who,
                    if r.implemented {
                        ""
                    } else {
                        "; recorded, not implemented"
                    }
                );
                say(out, &reading, "    ", width)?;
            }
        }
    }
    Ok(())
}

/// The rule a code or name names, or the usage error that lists them.
fn find_rule(code: &str) -> Result<&'static Rule, Failure> {
    registry::find(code).ok_or_else(|| {
        let codes: Vec<&str> = registry::RULES.iter().map(|r| r.code).collect();
        Failure::Usage(format!(
            "no rule `{}`; the rules are {}",
            crate::base::sanitize::clean(code),
            codes.join(", ")
        ))
    })
}

/// `supportWindowDays = 60`, `nodeImageMaxAgeDays = 60 (akspol's own)`:
/// the rule's parameters as the edition states them.
fn parameter_texts(rule: &Rule, edition: &'static Edition) -> Vec<String> {
    parameters(rule, edition)
        .into_iter()
        .map(|(k, v)| {
            let own = if edition.parameter_notes.contains_key(k) {
                " (akspol's own)"
            } else {
                ""
            };
            format!("{k} = {}{own}", value_text(v))
        })
        .collect()
}

/// `akspol explain CODE --policy-edition ID`: the rule as that edition
/// states it: its section and link, its numbers, the readings of them it
/// leaves open, and the explanation in its words (what the reports fold
/// under the findings judged against it).
pub fn explain_under(code: &str, edition: &str) -> Result<u8, Failure> {
    let rule = find_rule(code)?;
    let editions = editions()?;
    let id = match edition::EditionChoice::parse(edition).map_err(Failure::Usage)? {
        edition::EditionChoice::Named(id) => id,
        _ => {
            return Err(Failure::Usage(format!(
                "explain --policy-edition takes an edition ({}); `current` depends on a product line and a date, which only check and plan know",
                editions.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(", ")
            )))
        }
    };
    let Some(edition) = editions.iter().find(|e| e.id == id) else {
        return Err(Failure::Usage(format!("`{id}` is not a policy edition")));
    };
    let width = usize::from(super::output::stdout_width()).max(MIN_WIDTH);
    print(|out| {
        say(out, &format!("{} {}", rule.code, rule.name), "", width)?;
        say(out, &format!("scope: {}", rule.scope.as_str()), "", width)?;
        let heading = format!(
            "edition: {} ({}, {}) <{}>",
            edition.id, edition.title, edition.product, edition.page.url
        );
        say(out, &heading, "", width)?;
        let Some(stated) = crate::rules::stated::stated(&rule.info, edition) else {
            let stating: Vec<&str> = editions
                .iter()
                .filter(|e| e.states(rule.code))
                .map(|e| e.id.as_str())
                .collect();
            let text = format!(
                "not stated in {}: the rule does not run under it (stated in {})",
                edition.id,
                stating.join(", ")
            );
            return say(out, &text, "", width);
        };
        let policy = format!("policy: {} <{}>", stated.cite.section, stated.cite.url);
        say(out, &policy, "", width)?;
        let params = parameter_texts(rule, edition);
        if !params.is_empty() {
            let first = "parameters: ";
            for line in hanging_list(&params, first, "  ", width) {
                writeln!(out, "{line}")?;
            }
        }
        readings(rule, std::slice::from_ref(edition), width, out)?;
        writeln!(out)?;
        for line in stated.explanation.lines() {
            reflow(out, line, width)?;
        }
        Ok(())
    })
}

pub fn explain(code: &str) -> Result<u8, Failure> {
    let rule = find_rule(code)?;
    let editions = editions()?;
    let width = usize::from(super::output::stdout_width()).max(MIN_WIDTH);
    print(|out| {
        say(out, &format!("{} {}", rule.code, rule.name), "", width)?;
        say(out, &format!("scope: {}", rule.scope.as_str()), "", width)?;
        let section = rule.section();
        let policy = format!("policy: {} <{}>", section.section, section.url);
        say(out, &policy, "", width)?;
        writeln!(out, "editions:")?;
        let mut not_stated = Vec::new();
        for e in editions {
            let Some(stated) = e.rule(rule.code) else {
                not_stated.push(e.id.as_str());
                continue;
            };
            let params = parameter_texts(rule, e);
            // The section, its page and the numbers, each on lines of its own.
            let edition = format!("{} ({}, {}): {}", e.id, e.title, e.product, stated.section);
            say(out, &edition, "  ", width)?;
            say(out, &format!("<{}>", stated.url), "    ", width)?;
            for line in hanging_list(&params, "    ", "    ", width) {
                writeln!(out, "{line}")?;
            }
        }
        if !not_stated.is_empty() {
            let text = format!(
                "not stated in {} (the rule does not run there)",
                not_stated.join(", ")
            );
            say(out, &text, "  ", width)?;
        }
        readings(rule, editions, width, out)?;
        writeln!(out)?;
        for line in rule.explanation().lines() {
            reflow(out, line, width)?;
        }
        Ok(())
    })
}

/// A line of a rule's explanation (Markdown written to 72 columns): as it
/// is when it fits, else wrapped under its own indent (and list marker).
fn reflow(out: &mut dyn std::io::Write, line: &str, width: usize) -> std::io::Result<()> {
    if text_width(line) <= width {
        return writeln!(out, "{line}");
    }
    let text = line.trim_start();
    let indent = line.get(..line.len() - text.len()).unwrap_or_default();
    let marker = ["- ", "* "]
        .iter()
        .find(|m| text.starts_with(*m))
        .map_or(0, |m| m.len());
    let rest = format!("{indent}{}", " ".repeat(marker));
    for line in hanging_words(text, indent, &rest, width, LongWords::Keep) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
