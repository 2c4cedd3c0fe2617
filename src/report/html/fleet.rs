//! The fleet at a glance: the verdicts as tiles, why the run fails, the
//! comparison with `--baseline`, and the rules failing most.

use std::io::{self, Write};

use crate::base::html::escape as esc;
use crate::findings::Totals;
use crate::report::{exit_reasons, RenderOptions};

/// The fleet's section; `falling` deployments fall out of support within
/// the horizon.
pub(super) fn write(
    options: &RenderOptions,
    totals: &Totals,
    falling: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let v = &totals.fleet.verdicts;
    writeln!(out, "<section id=\"fleet\">")?;
    writeln!(out, "<h2>Fleet</h2>")?;
    writeln!(out, "<ul class=\"tiles\">")?;
    for (class, n, what) in [
        ("unsupported", v.unsupported, "unsupported"),
        ("at-risk", v.at_risk, "at risk"),
        ("supported", v.supported, "supported"),
    ] {
        tile(out, class, n, what, "#deployments")?;
    }
    tile(
        out,
        "due",
        falling,
        &format!("fall out of support within {} days", options.horizon),
        "#timeline",
    )?;
    writeln!(out, "</ul>")?;
    let reasons = exit_reasons(totals);
    if !reasons.is_empty() {
        writeln!(out, "<div class=\"gate\" id=\"gate\">")?;
        writeln!(
            out,
            "<h3>Why the run fails (exit status {})</h3>",
            totals.exit_status()
        )?;
        writeln!(out, "<ul>")?;
        for reason in reasons {
            writeln!(out, "<li>{}</li>", esc(&reason))?;
        }
        writeln!(out, "</ul>\n</div>")?;
    }
    baseline_summary(totals, out)?;
    writeln!(out, "<h3>Rules failing most</h3>")?;
    if totals.fleet.top_rules.is_empty() {
        writeln!(out, "<p>No rule fails or puts a deployment at risk.</p>")?;
    } else {
        writeln!(out, "<table class=\"rules\">")?;
        writeln!(
            out,
            "<thead><tr><th>Rule</th><th>Failing deployments</th><th>At-risk deployments</th><th>Policy</th></tr></thead>\n<tbody>"
        )?;
        for count in &totals.fleet.top_rules {
            // Each edition the rule was judged under, with its own page.
            let policy = count
                .cites
                .iter()
                .map(|c| format!("<a href=\"{}\">{}</a>", esc(c.url), esc(c.section)))
                .collect::<Vec<_>>()
                .join("; ");
            writeln!(
                out,
                "<tr><td>{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{policy}</td></tr>",
                count.rule, count.name, count.fail, count.at_risk
            )?;
        }
        writeln!(out, "</tbody>\n</table>")?;
    }
    writeln!(out, "</section>")
}

fn tile(out: &mut dyn Write, class: &str, n: usize, what: &str, href: &str) -> io::Result<()> {
    writeln!(
        out,
        "<li class=\"tile {class}\"><a href=\"{href}\"><span class=\"n\">{n}</span></a> {}</li>",
        esc(what)
    )
}

/// The comparison with `--baseline`: counts, and the baseline's
/// inventories this run did not judge.
fn baseline_summary(totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
    let Some(baseline) = &totals.baseline else {
        return Ok(());
    };
    let c = &baseline.counts;
    writeln!(out, "<div id=\"baseline\">")?;
    writeln!(
        out,
        "<h3>Since the baseline</h3>\n<p>Compared with <code>{}</code> (as of {}, SHA-256 <code>{}</code>): findings matched by deployment, scope and rule.</p>",
        esc(&baseline.source),
        esc(&baseline.as_of),
        esc(&baseline.sha256)
    )?;
    writeln!(out, "<ul class=\"tiles\">")?;
    for (class, n) in [
        ("new", c.new),
        ("worse", c.worse),
        ("better", c.better),
        ("unchanged", c.unchanged),
        ("resolved", c.resolved),
    ] {
        tile(out, class, n, class, "#deployments")?;
    }
    writeln!(out, "</ul>")?;
    if !baseline.not_in_run.is_empty() {
        writeln!(
            out,
            "<details><summary>{} of the baseline not judged in this run (their findings are not compared)</summary>\n<ul>",
            crate::report::table::inventories(baseline.not_in_run.len())
        )?;
        for gone in &baseline.not_in_run {
            writeln!(
                out,
                "<li>{} <span class=\"small\">{}</span>: {} findings</li>",
                esc(&gone.deployment),
                esc(&gone.source),
                gone.findings
            )?;
        }
        writeln!(out, "</ul>\n</details>")?;
    }
    writeln!(out, "</div>")
}
