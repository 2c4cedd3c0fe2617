//! `akspol rules` and `akspol explain`: what akspol checks, and under which
//! editions of the policy, with which numbers.

use serde_json::{json, Value};

use std::path::Path;

use super::args::RulesFormat;
use super::exit::Failure;
use super::output::print;
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
        RulesFormat::Json => {
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
                            if let (false, Some(map)) =
                                (readings.is_empty(), stated.as_object_mut())
                            {
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
        RulesFormat::Table | RulesFormat::Markdown => {
            let mut table = crate::base::wrap::table(
                super::output::stdout_width(),
                &["code", "name", "scope", "editions", "policy section"],
                &[0, 1, 2, 3],
            );
            for r in registry::RULES {
                let ids: Vec<&str> = editions
                    .iter()
                    .filter(|e| e.states(r.code))
                    .map(|e| e.id.as_str())
                    .collect();
                table.add_row([
                    r.code,
                    r.name,
                    r.scope.as_str(),
                    &ids.join(", "),
                    r.section().section,
                ]);
            }
            writeln!(out, "{table}")?;
            writeln!(
                out,
                "editions (`akspol explain CODE` shows each one's section and numbers for a rule):"
            )?;
            for e in editions {
                writeln!(
                    out,
                    "  {}: {}, {}, in force from {}{}: {}",
                    e.id,
                    e.title,
                    e.product,
                    e.in_force_from,
                    if e.default { " (default)" } else { "" },
                    e.page.url
                )?;
                for page in &e.linked_pages {
                    writeln!(out, "    links to {}: {}", page.title, page.url)?;
                }
            }
            Ok(())
        }
    })
}

/// The readings of the rule's parameters whose statement an edition leaves
/// open, the one in use first: what `--policy FILE` can choose instead.
fn readings(
    rule: &Rule,
    editions: &'static [Edition],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for e in editions.iter().filter(|e| e.states(rule.code)) {
        for key in rule.parameters {
            let Some(open) = e.readings(key) else {
                continue;
            };
            let used = e.parameters.get(*key).map(value_text).unwrap_or_default();
            writeln!(out, "  {}: {key} = {used}: {}", e.id, open.question)?;
            writeln!(
                out,
                "    readings (choose one with --policy FILE: {{\"{key}\": \"...\"}}):"
            )?;
            for r in &open.readings {
                writeln!(
                    out,
                    "    {}{}: {} ({}{})",
                    r.id,
                    if r.id == used { " (in use)" } else { "" },
                    r.rule,
                    r.who,
                    if r.implemented {
                        ""
                    } else {
                        "; recorded, not implemented"
                    }
                )?;
            }
        }
    }
    Ok(())
}

pub fn explain(code: &str) -> Result<u8, Failure> {
    let Some(rule) = registry::find(code) else {
        let codes: Vec<&str> = registry::RULES.iter().map(|r| r.code).collect();
        return Err(Failure::Usage(format!(
            "no rule `{}`; the rules are {}",
            crate::base::sanitize::clean(code),
            codes.join(", ")
        )));
    };
    let editions = editions()?;
    print(|out| {
        writeln!(out, "{} {}", rule.code, rule.name)?;
        writeln!(out, "scope: {}", rule.scope.as_str())?;
        writeln!(
            out,
            "policy: {} <{}>",
            rule.section().section,
            rule.section().url
        )?;
        writeln!(out, "editions:")?;
        let mut not_stated = Vec::new();
        for e in editions {
            let Some(stated) = e.rule(rule.code) else {
                not_stated.push(e.id.as_str());
                continue;
            };
            let params: Vec<String> = parameters(rule, e)
                .into_iter()
                .map(|(k, v)| {
                    let own = if e.parameter_notes.contains_key(k) {
                        " (akspol's own)"
                    } else {
                        ""
                    };
                    format!("{k} = {}{own}", value_text(v))
                })
                .collect();
            writeln!(
                out,
                "  {} ({}, {}): {} <{}>{}",
                e.id,
                e.title,
                e.product,
                stated.section,
                stated.url,
                if params.is_empty() {
                    String::new()
                } else {
                    format!("; {}", params.join(", "))
                }
            )?;
        }
        if !not_stated.is_empty() {
            writeln!(
                out,
                "  not stated in {} (the rule does not run there)",
                not_stated.join(", ")
            )?;
        }
        readings(rule, editions, out)?;
        writeln!(out)?;
        writeln!(out, "{}", rule.explanation())
    })
}
