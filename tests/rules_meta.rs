//! Guards on the rule set itself: every rule's `akspol explain` text has the four
//! sections, every rule file is registered under its own name, codes are unique
//! and in the order `docs/spec/rules.md` lists them; plus the CLI views of
//! `explain` and of a `kubectl get nodes -o json` inventory.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::collections::HashSet;

use akspol::rules::RULES;
use common::repo;

const SECTIONS: [&str; 4] = ["## What it checks", "## Why", "## How to fix", "## Policy"];

/// The rule families in the order rules.md lists them.
const FAMILIES: &str = "VSMFC";

/// The body of each `## ` section of an explanation, in order.
fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with("## ") {
            out.push((line.to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

#[test]
fn every_explanation_has_the_four_sections_with_a_body() {
    let mut problems = Vec::new();
    for rule in RULES {
        let text = rule.explanation();
        let found = sections(&text);
        let headings: Vec<&str> = found.iter().map(|(h, _)| h.as_str()).collect();
        if headings != SECTIONS {
            problems.push(format!(
                "{}: sections {headings:?}, expected {SECTIONS:?}",
                rule.code
            ));
            continue;
        }
        for (heading, body) in &found {
            if body.trim().len() < 10 {
                problems.push(format!("{}: `{heading}` is empty", rule.code));
            }
        }
        let policy = &found[3].1;
        if !policy.contains(rule.section().section) {
            problems.push(format!(
                "{}: the Policy section does not name the cited section `{}`",
                rule.code,
                rule.section().section
            ));
        }
        if rule.summary().trim().is_empty() {
            problems.push(format!("{}: no summary", rule.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn codes_are_unique_well_formed_and_in_spec_order() {
    let mut seen = HashSet::new();
    let mut previous = None;
    for rule in RULES {
        assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
        assert!(seen.insert(rule.name), "duplicate name {}", rule.name);
        let family = rule.code.chars().next().unwrap();
        let number: u32 = rule.code[1..].parse().unwrap();
        assert_eq!(rule.code.len(), 4, "{}", rule.code);
        let position = FAMILIES
            .find(family)
            .unwrap_or_else(|| panic!("{}: unknown family", rule.code));
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: name `{}` is not kebab-case",
            rule.code,
            rule.name
        );
        let key = (position, number);
        if let Some(before) = previous {
            assert!(
                before < key,
                "{} is out of order in the registry",
                rule.code
            );
        }
        previous = Some(key);
    }
    // Every code rules.md defines is registered.
    for code in [
        "V001", "V002", "V003", "V004", "V005", "V006", "V007", "V008", "S001", "S002", "S003",
        "M001", "M002", "M003", "M004", "M005", "F001", "F002", "C001", "C002", "C003",
        // Rules of the 2025 editions.
        "V009", "V010", "V011", "S004", "S005", "S006", "F003",
        // What Azure knows of an Azure Local instance (issue 26).
        "V012", "V013", "S007", "S008",
    ] {
        assert!(seen.contains(code), "{code} is not registered");
    }
}

#[test]
fn every_rule_file_is_a_registered_rule_and_vice_versa() {
    let expected: HashSet<String> = RULES
        .iter()
        .map(|r| {
            format!(
                "{}_{}",
                r.code.to_ascii_lowercase(),
                r.name.replace('-', "_")
            )
        })
        .collect();
    let mut files = HashSet::new();
    for entry in std::fs::read_dir(repo().join("src/rules")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let bytes = stem.as_bytes();
        // Rule files are `<code>_<name>.rs`; helpers (mod, registry, gates, ...) are not.
        let is_rule_file = bytes.len() > 5
            && bytes[0].is_ascii_lowercase()
            && bytes[1..4].iter().all(u8::is_ascii_digit)
            && bytes[4] == b'_';
        if is_rule_file {
            assert!(
                expected.contains(&stem),
                "src/rules/{stem}.rs matches no registered rule (code + name)"
            );
            files.insert(stem);
        }
    }
    for stem in &expected {
        assert!(files.contains(stem), "no src/rules/{stem}.rs");
    }
}

#[test]
fn explain_prints_what_why_how_and_the_policy_section() {
    for code in ["S001", "m001", "F001", "C003"] {
        let output = common::akspol().args(["explain", code]).output().unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        for heading in SECTIONS {
            assert!(text.contains(heading), "{code}: {heading} missing:\n{text}");
        }
        assert!(text.contains("policy: "), "{text}");
        assert!(text.contains("support-policies#"), "{text}");
    }
}

#[test]
fn check_judges_the_nodes_of_an_embedded_kubectl_node_list() {
    let output = common::akspol()
        .args([
            "check",
            "--as-of",
            "2026-08-31",
            "--catalog",
            "fixtures/catalogs/test.json",
            "--format",
            "json",
            "fixtures/nodelist/kubectl.json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "node/prod/moc-lz1y5u3i7o",
        "node/edge/moc-w1a2s3d4f5",
        "legacy-worker",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
}

#[test]
fn a_large_cluster_gets_one_finding_per_failing_node_and_one_pass_line_per_rule() {
    use akspol::catalog::{Catalog, CatalogSource, CatalogView};
    use akspol::inventory::{self, LoadOptions};
    use akspol::policy::Policy;
    use akspol::rules::{self, Context, Status};

    let nodes: Vec<String> = (0..500)
        .map(|i| {
            let name = format!("moc-n{i:03}");
            // Node 7 was changed over SSH and runs an old image; every other node is clean.
            let (via, released) = if i == 7 {
                ("ssh", "2026-05-01")
            } else {
                ("daemonset", "2026-08-01")
            };
            format!(
                r#"{{"name": "{name}", "os": "Linux", "role": "worker", "kubeletVersion": "v1.28.5",
                    "image": {{"released": "{released}", "published": true}},
                    "labels": {{"kubernetes.io/hostname": "{name}", "kubernetes.io/os": "linux"}},
                    "modifications": [{{"via": "{via}"}}],
                    "network": {{"aksDefinedSubnet": true, "nicCustomized": false}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"schemaVersion": 1, "deployment": {{"name": "fleet", "version": "1.0.4.10701"}},
            "clusters": [{{"name": "big", "kubernetesVersion": "1.28.5", "nodes": [{}]}}]}}"#,
        nodes.join(",")
    );
    let loaded = inventory::load("fleet.json", &text, LoadOptions::default()).unwrap();
    let path = repo().join("fixtures/catalogs/test.json");
    let catalog = Catalog::from_text(
        "test.json",
        &std::fs::read_to_string(&path).unwrap(),
        CatalogSource::File("fixtures/catalogs/test.json".to_string()),
    )
    .unwrap();
    let view = CatalogView::new(
        &catalog,
        akspol::base::dates::parse_day("2026-08-31").unwrap(),
    );
    let policy = Policy::embedded().unwrap();
    let ctx = Context::new(&loaded.inventory, &view, &policy);
    let findings = rules::evaluate(&ctx, RULES);
    for code in ["M001", "M003", "M004", "V007"] {
        let lines: Vec<_> = findings.iter().filter(|f| f.rule.code == code).collect();
        assert_eq!(lines.len(), 1, "{code}: {} findings", lines.len());
        assert_eq!(
            rules::scope_label(lines[0].scope, &loaded.inventory),
            "cluster/big"
        );
        assert_eq!(lines[0].outcome.status, Status::Pass);
    }
    for code in ["M002", "C003"] {
        let lines: Vec<_> = findings.iter().filter(|f| f.rule.code == code).collect();
        assert_eq!(lines.len(), 1, "{code}: {} findings", lines.len());
        assert_eq!(
            rules::scope_label(lines[0].scope, &loaded.inventory),
            "node/big/moc-n007"
        );
        assert_eq!(lines[0].outcome.status, Status::Warn);
    }
}

// ---------------------------------------------------------------------------
// The policy editions (data/editions/*.json) against the rules (code).

#[test]
fn every_edition_lists_registered_rules_and_every_rule_runs_somewhere() {
    let editions = akspol::policy::edition::editions().unwrap();
    for edition in editions {
        for stated in &edition.rules {
            assert!(
                RULES.iter().any(|r| r.code == stated.code),
                "{} lists {}, which is not a rule",
                edition.id,
                stated.code
            );
            assert!(
                stated.url.starts_with("https://learn.microsoft.com/"),
                "{}",
                stated.url
            );
            assert!(!stated.statement.trim().is_empty());
        }
    }
    for rule in RULES {
        assert!(
            editions.iter().any(|e| e.states(rule.code)),
            "{} is stated by no edition: it would never run",
            rule.code
        );
    }
}

#[test]
fn the_2022_edition_is_todays_rule_set_citing_todays_sections() {
    let h22 =
        akspol::policy::edition::default_for(akspol::base::product::Product::AksHybrid).unwrap();
    let codes: Vec<&str> = h22.rules.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "V001", "V002", "V003", "V004", "V005", "V006", "V007", "V008", "S001", "S002", "S003",
            "M001", "M002", "M003", "M004", "M005", "F001", "F002", "C001", "C002", "C003",
        ]
    );
}

#[test]
fn a_rules_own_section_is_the_first_edition_that_states_it() {
    let editions = akspol::policy::edition::editions().unwrap();
    for rule in RULES {
        let first = editions.iter().find_map(|e| e.rule(rule.code)).unwrap();
        assert_eq!(first.section, rule.section().section, "{}", rule.code);
        assert_eq!(first.url, rule.section().url, "{}", rule.code);
    }
}

#[test]
fn every_edition_that_states_a_rule_states_its_numbers() {
    let editions = akspol::policy::edition::editions().unwrap();
    for rule in RULES {
        for edition in editions.iter().filter(|e| e.states(rule.code)) {
            for parameter in rule.parameters {
                // Optional by design: V008's Windows Server numbers (Windows
                // Server hosts only), S001's 60-day stage (the 2022 page
                // only), and S008's window, one per product line (an edition
                // states the one of its line).
                let optional = (rule.code == "V008" && parameter.starts_with("windowsServer"))
                    || *parameter == "stoppedLatestDays"
                    || (rule.code == "S008"
                        && rule
                            .parameters
                            .iter()
                            .any(|p| edition.parameters.contains_key(*p)));
                assert!(
                    optional || edition.parameters.contains_key(*parameter),
                    "{} states {} but not its parameter {parameter}",
                    edition.id,
                    rule.code
                );
            }
        }
    }
}

#[test]
fn rules_and_explain_show_the_editions_and_their_numbers() {
    let out = common::akspol().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("editions"), "{text}");
    let v009 = text.lines().find(|l| l.contains("V009")).unwrap();
    assert!(v009.contains("al25") && !v009.contains("h22"), "{v009}");
    let out = common::akspol().args(["explain", "S001"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "stoppedControlPlaneDays = 30, stoppedLatestDays = 60, stoppedUpdateDays = 90"
        ),
        "{text}"
    );
    assert!(text.contains("al25 (Support policies for AKS on Azure Local (2025), aks-arc): Stopped or disconnected AKS Arc clusters"), "{text}");
    assert!(
        text.contains("stoppedControlPlaneDays = 30, stoppedUpdateDays = 30"),
        "{text}"
    );
    let out = common::akspol().args(["explain", "V002"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("not stated in ws25, al25 (the rule does not run there)"),
        "{text}"
    );
    let out = common::akspol()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c002 = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "C002")
        .unwrap();
    let al25 = c002["editions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["edition"] == "al25")
        .unwrap();
    assert_eq!(
        al25["parameters"]["supportedCnis"],
        serde_json::json!(["calico"])
    );
}

#[test]
fn a_cluster_line_is_not_a_pass_when_some_of_its_nodes_were_not_judged() {
    use akspol::catalog::{Catalog, CatalogView};
    use akspol::inventory::{self, LoadOptions};
    use akspol::policy::Policy;
    use akspol::rules::{self, Context, Status};

    // One node has an image date, the other none: C003 judges only the first.
    let text = r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029"},
        "clusters": [{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [
            {"name": "dated", "image": {"released": "2026-08-01"}},
            {"name": "undated"}]}]}"#;
    let loaded = inventory::load("t.json", text, LoadOptions::default()).unwrap();
    let catalog = Catalog::embedded().unwrap();
    let view = CatalogView::new(
        &catalog,
        akspol::base::dates::parse_day("2026-08-31").unwrap(),
    );
    let policy = Policy::embedded().unwrap();
    let ctx = Context::new(&loaded.inventory, &view, &policy);
    let c003 = akspol::rules::registry::find("C003").unwrap();
    let findings = rules::evaluate(&ctx, &[c003]);
    assert_eq!(findings.len(), 1);
    let line = &findings[0];
    assert_eq!(
        rules::scope_label(line.scope, &loaded.inventory),
        "cluster/c"
    );
    assert_eq!(
        line.outcome.status,
        Status::Skip,
        "{}",
        line.outcome.message
    );
    assert_eq!(
        line.outcome.message,
        "1 node passes; 1 node not judged: image.released not in inventory"
    );
    assert_eq!(line.outcome.evidence.to_value()["nodesPassed"], 1);
    assert_eq!(line.outcome.evidence.to_value()["nodesSkipped"], 1);
}

/// `docs/rules/` is what `akspol rules --format markdown --dir` writes:
/// regenerate it with `cargo run -- rules --format markdown --dir docs/rules`.
#[test]
fn the_committed_rule_docs_are_what_the_binary_generates() {
    let dir = tempfile::tempdir().unwrap();
    common::akspol()
        .args(["rules", "--format", "markdown", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let listing = |path: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let committed = repo().join("docs/rules");
    let generated = listing(dir.path());
    assert_eq!(
        listing(&committed),
        generated,
        "docs/rules/ has other files than the binary writes: regenerate it with `cargo run -- rules --format markdown --dir docs/rules`"
    );
    for name in &generated {
        let want = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let have = std::fs::read_to_string(committed.join(name)).unwrap();
        assert!(
            want == have,
            "docs/rules/{name} differs from what the binary generates: regenerate it with `cargo run -- rules --format markdown --dir docs/rules`"
        );
    }
}

#[test]
fn rules_dir_needs_the_markdown_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::akspol()
        .args(["rules", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format markdown"));
}

/// The fields the inventory schema defines, as rules name them
/// (`clusters[].nodes[].osSku`): every property, through `$ref`s and
/// arrays' items.
fn schema_fields(
    schema: &serde_json::Value,
    node: &serde_json::Value,
    path: &str,
    out: &mut std::collections::BTreeSet<String>,
) {
    if let Some(name) = node["$ref"].as_str() {
        let name = name.strip_prefix("#/$defs/").unwrap();
        return schema_fields(schema, &schema["$defs"][name], path, out);
    }
    if let Some(properties) = node["properties"].as_object() {
        for (key, value) in properties {
            let field = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            out.insert(field.clone());
            schema_fields(schema, value, &field, out);
        }
    }
    if node["type"] == "array" {
        schema_fields(schema, &node["items"], &format!("{path}[]"), out);
    }
}

#[test]
fn every_rule_needs_fields_the_inventory_schema_defines() {
    let text = std::fs::read_to_string(repo().join("data/inventory.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut fields = std::collections::BTreeSet::new();
    schema_fields(&schema, &schema, "", &mut fields);
    assert!(fields.contains("clusters[].nodes[].image.released"));
    for rule in RULES {
        assert!(!rule.needs.is_empty(), "{} needs nothing", rule.code);
        for need in rule.needs {
            assert!(
                fields.contains(*need),
                "{} needs `{need}`, which the inventory schema does not define",
                rule.code
            );
        }
    }
}

/// A rule whose remedy is an upgrade is one `akspol plan` plans: its
/// `## How to fix` upgrades (or points to the plan); a rule whose remedy is
/// nothing says that nothing is required.
#[test]
fn each_remedy_agrees_with_how_to_fix() {
    use akspol::findings::Remedy;
    for rule in RULES {
        let explanation = rule.explanation();
        let fix = &sections(&explanation)[2].1;
        let agrees = match rule.remedy {
            Remedy::Upgrade => fix.contains("akspol plan") || fix.contains("Update-AksHci"),
            Remedy::Nothing => fix.contains("Nothing is required"),
            Remedy::Redeploy => fix.contains("redeploy"),
            _ => true,
        };
        assert!(
            agrees,
            "{}: remedy {} but: {fix}",
            rule.code,
            rule.remedy.as_str()
        );
    }
}

#[test]
fn every_parameter_a_rule_reads_is_a_row_of_the_policy_table() {
    for rule in RULES {
        for parameter in rule.parameters {
            assert!(
                akspol::policy::parameters::find(parameter).is_some(),
                "{} reads `{parameter}`, which src/policy/parameters.rs does not list",
                rule.code
            );
        }
    }
}

/// A rule that reads a number of the policy (`ctx.policy.support_window_days`)
/// declares it (`supportWindowDays`), so `explain` and the rule's page show it.
#[test]
fn every_number_a_rule_file_reads_is_declared() {
    let camel = |field: &str| {
        let mut out = String::new();
        let mut upper = false;
        for c in field.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    };
    for rule in RULES {
        let file = format!(
            "src/rules/{}_{}.rs",
            rule.code.to_lowercase(),
            rule.name.replace('-', "_")
        );
        let text = std::fs::read_to_string(repo().join(&file)).unwrap();
        for (at, _) in text.match_indices("policy.") {
            let field: String = text[at + "policy.".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            // The catalog's age is the engine's, for every rule.
            if field.is_empty() || field == "catalog_max_age_days" {
                continue;
            }
            let key = camel(&field);
            assert!(
                rule.parameters.contains(&key.as_str()),
                "{file} reads policy.{field} but does not declare `{key}` in its parameters"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Issue 25: each rule in its own words, and in each edition's.

/// The rule's summary, the first line of its doc comment, is what SARIF's
/// `shortDescription` and the rules index show: one sentence of at most 100
/// characters, a statement rather than a clause ("That the ...").
#[test]
fn every_rule_summary_is_one_short_sentence() {
    let mut problems = Vec::new();
    for rule in RULES {
        let summary = rule.summary();
        let first_line = rule.explanation().lines().next().unwrap_or("").to_string();
        if summary != first_line {
            problems.push(format!(
                "{}: the summary is not the doc comment's first line",
                rule.code
            ));
        }
        let length = summary.chars().count();
        if length > 100 {
            problems.push(format!("{}: {length} characters: {summary}", rule.code));
        }
        if !summary.ends_with('.') || summary.trim_end_matches('.').contains(". ") {
            problems.push(format!("{}: not one sentence: {summary}", rule.code));
        }
        if summary.starts_with("That") || summary.starts_with('#') {
            problems.push(format!("{}: starts as a clause: {summary}", rule.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A paragraph tagged `[h22, ws25]` names editions that state the rule;
/// under each edition no tag is left, the `## Policy` section is the
/// edition's, and a tagged paragraph shows only under its editions.
#[test]
fn each_edition_explains_the_rule_in_its_own_words() {
    use akspol::findings::stated::paragraph_tag;
    let editions = akspol::policy::edition::editions().unwrap();
    let texts = akspol::rules::stated::editions(editions);
    let mut problems = Vec::new();
    for rule in RULES {
        let explanation = rule.explanation();
        let mut paragraph_start = true;
        for line in explanation.lines() {
            if paragraph_start {
                if let Some((ids, _)) = paragraph_tag(line) {
                    for id in ids {
                        if !editions.iter().any(|e| e.id == id && e.states(rule.code)) {
                            problems.push(format!(
                                "{}: a paragraph is tagged for {id}, which does not state it",
                                rule.code
                            ));
                        }
                    }
                }
            }
            paragraph_start = line.trim().is_empty() || line.starts_with("## ");
        }
        for edition in editions.iter().filter(|e| e.states(rule.code)) {
            let stated = texts.stated(&edition.id, rule.code).unwrap();
            let text = &stated.explanation;
            if text.lines().any(|l| paragraph_tag(l).is_some()) {
                problems.push(format!("{} under {}: a tag is left", rule.code, edition.id));
            }
            let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
            if headings != SECTIONS {
                problems.push(format!("{} under {}: {headings:?}", rule.code, edition.id));
            }
            let own = edition.rule(rule.code).unwrap();
            if !text.contains(&format!("## Policy\n{}: ", own.section)) {
                problems.push(format!(
                    "{} under {}: the Policy section is not the edition's",
                    rule.code, edition.id
                ));
            }
            if !text.starts_with(&rule.summary()) {
                problems.push(format!("{} under {}: no summary", rule.code, edition.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The Azure Local page gives Calico alone basic installation support:
    // its C002 does not speak of Flannel and Calico.
    let c002 = |id: &str| texts.stated(id, "C002").unwrap().explanation.clone();
    let al25 = c002("al25");
    assert!(!al25.contains("Flannel and Calico"), "{al25}");
    assert!(!al25.contains("Calico and Flannel"), "{al25}");
    assert!(al25.contains("Calico alone"), "{al25}");
    assert!(
        al25.contains("\"Basic installation support for Calico CNI\""),
        "{al25}"
    );
    assert!(c002("h22").contains("Flannel and Calico CNIs"));
    assert!(!c002("h22").contains("Calico alone"));
}
