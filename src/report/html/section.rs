//! One deployment's section: its facts, its findings (`findings.rs`), what
//! was resolved since the baseline, its upgrade plan and the support
//! coverage of each cluster.

use std::io::{self, Write};

use super::explain::Prepared;
use super::{calendar_id, deployment_id};
use crate::base::dates::days_between;
use crate::base::html::escape as esc;
use crate::findings::{InventoryReport, PlanSummary, Run};
use crate::report::{counts_text, Show};

/// One deployment's section: facts, findings, resolved, plan, coverage.
pub(super) fn deployment(
    run: &Run,
    prepared: &Prepared,
    index: usize,
    inventory: &InventoryReport,
    show: Show,
    out: &mut dyn Write,
) -> io::Result<()> {
    let id = deployment_id(index);
    writeln!(out, "<section class=\"deployment\" id=\"{id}\">")?;
    writeln!(
        out,
        "<h2>{} <span class=\"v v-{v}\">{v}</span></h2>",
        esc(&inventory.deployment),
        v = inventory.verdict.as_str()
    )?;
    writeln!(out, "<dl class=\"facts\">")?;
    for (label, value) in facts(run, inventory) {
        writeln!(out, "<dt>{label}</dt><dd>{value}</dd>")?;
    }
    writeln!(out, "</dl>")?;
    super::findings::findings(run, prepared, index, inventory, show, out)?;
    resolved(inventory, out)?;
    plan(run, index, inventory, out)?;
    coverage(inventory, out)?;
    writeln!(out, "</section>")
}

/// The facts shown above a deployment's findings, each a label and its
/// (escaped) value. A new fact is one more line here.
fn facts(run: &Run, inventory: &InventoryReport) -> Vec<(&'static str, String)> {
    let catalog = &run.catalog;
    let line = catalog.line(inventory.product);
    let latest = match line.map(|l| (&l.latest, &l.latest_released)) {
        Some((Some(v), Some(d))) => format!("{} (released {d})", esc(v)),
        _ => "none as of this date".to_string(),
    };
    let policy = &inventory.policy;
    let mut edition = format!(
        "<a href=\"{}\">{}</a> (<code>{}</code>)",
        esc(policy.url),
        esc(policy.title),
        esc(policy.edition)
    );
    if let Some(notice) = &policy.notice {
        edition.push_str(&format!("<br/>{}", esc(notice)));
    }
    let mut facts = vec![
        (
            "Inventory",
            format!("<code>{}</code>", esc(&inventory.source)),
        ),
        ("Product line", esc(inventory.product.title()).into_owned()),
        ("Installed release", esc(&inventory.installed).into_owned()),
        (
            "Host platform",
            inventory
                .platform
                .as_deref()
                .map_or_else(|| "not in inventory".to_string(), |p| esc(p).into_owned()),
        ),
        ("Clusters", inventory.clusters().to_string()),
        ("Policy edition", edition),
        (
            "Catalog",
            format!(
                "{} ({} releases, generated {})",
                esc(&catalog.source),
                catalog.releases,
                catalog.generated
            ),
        ),
    ];
    if let Some(line) = line {
        facts.push((
            "Catalog facts",
            esc(&crate::report::header::catalog_age(line, run.as_of)).into_owned(),
        ));
    }
    facts.extend([
        ("Latest release", latest),
        ("As of", run.as_of.to_string()),
        (
            "Verdict",
            format!(
                "<span class=\"v v-{v}\">{v}</span> ({})",
                counts_text(&inventory.summary),
                v = inventory.verdict.as_str()
            ),
        ),
    ]);
    // What the verdict cannot show, beside it.
    for notice in &inventory.notices {
        facts.push(("Warning", format!("<strong>{}</strong>", esc(notice))));
    }
    facts
}

fn resolved(inventory: &InventoryReport, out: &mut dyn Write) -> io::Result<()> {
    if inventory.resolved.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<h3>Resolved since the baseline</h3>\n<ul class=\"resolved\">"
    )?;
    for r in &inventory.resolved {
        let now = r.now_text();
        writeln!(
            out,
            "<li><b>{} {}</b> · {}: was <span class=\"st st-{was}\">{was}</span>, {now}: {}</li>",
            esc(&r.rule),
            esc(&r.name),
            esc(&r.scope),
            esc(&r.message),
            was = r.was.status.as_str()
        )?;
    }
    writeln!(out, "</ul>")
}

/// The upgrade plan: its steps, blockers, uncertainties and calendar.
fn plan(
    run: &Run,
    index: usize,
    inventory: &InventoryReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(plan) = &inventory.plan else {
        return Ok(());
    };
    writeln!(out, "<h3>Upgrade plan</h3>")?;
    writeln!(
        out,
        "<p>Installed {} · latest {}.</p>",
        esc(&inventory.installed),
        plan.target.as_deref().map_or_else(|| "none".into(), esc)
    )?;
    if plan.steps.is_empty() {
        writeln!(out, "<p>{}</p>", plan.no_steps_text())?;
    } else {
        writeln!(out, "<ol class=\"steps\">")?;
        for step in &plan.steps {
            writeln!(
                out,
                "<li><b>{}</b> · {}: {} → {}: {}</li>",
                step.kind.as_str(),
                step.cluster
                    .as_deref()
                    .map_or_else(|| "deployment".into(), esc),
                esc(&step.from),
                esc(&step.to),
                esc(&step.reason)
            )?;
        }
        writeln!(out, "</ol>")?;
    }
    for (title, notes) in [
        ("Blockers", &plan.blockers),
        ("Uncertainties", &plan.uncertainties),
    ] {
        if notes.is_empty() {
            continue;
        }
        writeln!(out, "<h4>{title}</h4>\n<ul>")?;
        for note in notes {
            writeln!(
                out,
                "<li>[{}] {}</li>",
                note.kind.as_str(),
                esc(&note.message)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    calendar(run, index, plan, out)
}

/// The plan's calendar: the days it gets worse if nothing is done.
fn calendar(run: &Run, index: usize, plan: &PlanSummary, out: &mut dyn Write) -> io::Result<()> {
    if plan.calendar.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<h4>Calendar: the days it gets worse if nothing is done</h4>\n<table class=\"calendar\" id=\"{}\">",
        calendar_id(index)
    )?;
    writeln!(
        out,
        "<thead><tr><th>Date</th><th>Days left</th><th>Scope</th><th>Rule</th><th>Becomes</th><th>What</th></tr></thead>\n<tbody>"
    )?;
    for entry in &plan.calendar {
        writeln!(
            out,
            "<tr><td>{}{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if entry.estimated { "~" } else { "" },
            entry.date,
            days_between(run.as_of, entry.date),
            esc(&entry.scope),
            entry.rule.unwrap_or("-"),
            entry.becomes,
            esc(&entry.what)
        )?;
    }
    writeln!(out, "</tbody>\n</table>")
}

/// What a support request about each cluster can expect (`findings::coverage`),
/// as the Markdown report says it.
fn coverage(inventory: &InventoryReport, out: &mut dyn Write) -> io::Result<()> {
    let Some(coverage) = &inventory.coverage else {
        return Ok(());
    };
    writeln!(out, "<h3>Support coverage</h3>")?;
    if coverage.clusters.is_empty() {
        return writeln!(out, "<p>The inventory lists no clusters.</p>");
    }
    writeln!(
        out,
        "<p>What a support request about each cluster can expect, from the inventory (policy: <a href=\"{}\">{}</a>).</p>",
        esc(coverage.section.url),
        esc(coverage.section.section)
    )?;
    for cluster in &coverage.clusters {
        writeln!(
            out,
            "<h4>Cluster {}</h4>\n<ul class=\"coverage\">",
            esc(&cluster.cluster)
        )?;
        for (tier, items) in cluster.tiers() {
            if items.is_empty() {
                writeln!(out, "<li>{tier}: nothing listed in the inventory</li>")?;
                continue;
            }
            writeln!(out, "<li>{tier}:<ul>")?;
            // The section the paragraph above cites is not repeated per item.
            for item in items.iter() {
                if item.section.url == coverage.section.url {
                    writeln!(out, "<li>{}</li>", esc(&item.text))?;
                    continue;
                }
                writeln!(
                    out,
                    "<li>{} (<a href=\"{}\">{}</a>)</li>",
                    esc(&item.text),
                    esc(item.section.url),
                    esc(item.section.section)
                )?;
            }
            writeln!(out, "</ul></li>")?;
        }
        writeln!(out, "</ul>")?;
    }
    Ok(())
}
