//! Renders a [`Plan`]: a table for people, Markdown for tickets, JSON (plan
//! version 1, the [`Plan`] serde type is the contract) for tools. Every text
//! taken from the inventory is sanitized before it reaches a text format.

use std::io::{self, Write};

use crate::base::wrap::{names_column, table as fitted_table};

use super::calendar::CalendarEntry;
use super::{Note, Plan, Step};
use crate::base::sanitize::{clean, table_cell};

/// The formats of `akspol plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Table,
    Json,
    Markdown,
}

pub fn render(plan: &Plan, format: PlanFormat, width: u16, out: &mut dyn Write) -> io::Result<()> {
    match format {
        PlanFormat::Table => table(plan, width, out),
        PlanFormat::Markdown => markdown(plan, out),
        PlanFormat::Json => crate::base::json::write_pretty(plan, out),
    }
}

fn date(entry: &CalendarEntry) -> String {
    format!("{}{}", if entry.estimated { "~" } else { "" }, entry.date)
}

fn headline(plan: &Plan) -> String {
    let target = plan.target.as_deref().unwrap_or("none");
    let steps = match plan.steps.len() {
        0 => "no steps".to_string(),
        1 => "1 step".to_string(),
        n => format!("{n} steps"),
    };
    format!(
        "installed {} · latest {target} · {steps} · as of {} · policy edition {}",
        clean(&plan.installed),
        plan.as_of,
        plan.edition
    )
}

/// What an empty path means.
fn no_steps(plan: &Plan) -> &'static str {
    crate::findings::plan::no_steps_text(&plan.blockers, &plan.uncertainties)
}

const NO_DEADLINE: &str = "Nothing gets worse on a known date.";

fn cluster(step: &Step) -> String {
    step.cluster
        .as_deref()
        .map_or_else(|| "deployment".to_string(), |c| clean(c).into_owned())
}

fn note_line(note: &Note) -> String {
    format!("[{}] {}", note.kind.as_str(), clean(&note.message))
}

fn table(plan: &Plan, width: u16, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "Upgrade plan for {} ({})",
        clean(&plan.deployment),
        clean(&plan.source)
    )?;
    writeln!(out, "{}", headline(plan))?;
    writeln!(out)?;
    writeln!(
        out,
        "Calendar: the days this deployment gets worse if nothing is done"
    )?;
    if plan.calendar.is_empty() {
        writeln!(out, "{NO_DEADLINE}")?;
    } else {
        let mut t = fitted_table(
            width,
            &["date", "days left", "scope", "rule", "becomes", "what"],
            &[0, 1, 3, 4],
        );
        let scopes: Vec<String> = plan
            .calendar
            .iter()
            .map(|e| clean(&e.scope).into_owned())
            .collect();
        names_column(&mut t, 2, scopes.iter().map(String::as_str), width);
        for e in &plan.calendar {
            t.add_row([
                date(e),
                e.days_left.to_string(),
                table_cell(&e.scope).into_owned(),
                e.rule.unwrap_or("-").to_string(),
                e.becomes.to_string(),
                table_cell(&e.what).into_owned(),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    writeln!(out)?;
    writeln!(out, "Upgrade path")?;
    if plan.steps.is_empty() {
        writeln!(out, "{}", no_steps(plan))?;
    } else {
        let mut t = fitted_table(
            width,
            &["#", "step", "cluster", "from", "to", "why"],
            &[0, 1, 3, 4],
        );
        let clusters: Vec<String> = plan.steps.iter().map(cluster).collect();
        names_column(&mut t, 2, clusters.iter().map(String::as_str), width);
        for (i, s) in plan.steps.iter().enumerate() {
            t.add_row([
                (i + 1).to_string(),
                s.kind.as_str().to_string(),
                table_cell(&cluster(s)).into_owned(),
                table_cell(&s.from).into_owned(),
                table_cell(&s.to).into_owned(),
                table_cell(&s.reason).into_owned(),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    for (title, notes) in [
        ("Blockers", &plan.blockers),
        ("Uncertainties", &plan.uncertainties),
    ] {
        if !notes.is_empty() {
            writeln!(out)?;
            writeln!(out, "{title}")?;
            for note in notes {
                writeln!(out, "- {}", note_line(note))?;
            }
        }
    }
    Ok(())
}

/// Markdown text from an inventory, made inert ([`crate::base::sanitize::markdown`]):
/// links, images, bare URLs and @mentions included, not only table pipes.
fn cell(text: &str) -> String {
    crate::base::sanitize::markdown(text)
}

fn markdown(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    // The path in a code span, where nothing is markup; a backtick would end it.
    writeln!(
        out,
        "## Upgrade plan for {} (`{}`)",
        cell(&plan.deployment),
        clean(&plan.source).replace('`', "'")
    )?;
    writeln!(out)?;
    writeln!(out, "{}", headline(plan))?;
    writeln!(out)?;
    writeln!(out, "### Calendar")?;
    writeln!(out)?;
    if plan.calendar.is_empty() {
        writeln!(out, "{NO_DEADLINE}")?;
    } else {
        writeln!(out, "| date | days left | scope | rule | becomes | what |")?;
        writeln!(out, "| --- | ---: | --- | --- | --- | --- |")?;
        for e in &plan.calendar {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                date(e),
                e.days_left,
                cell(&e.scope),
                e.rule.unwrap_or("-"),
                e.becomes,
                cell(&e.what)
            )?;
        }
        writeln!(out)?;
        let tasks: Vec<_> = plan
            .calendar
            .iter()
            .map(|e| e.gantt_task(plan.as_of))
            .collect();
        crate::base::mermaid::gantt(
            &format!("{} as of {}", plan.deployment, plan.as_of),
            &tasks,
            out,
        )?;
    }
    writeln!(out)?;
    writeln!(out, "### Upgrade path")?;
    writeln!(out)?;
    if plan.steps.is_empty() {
        writeln!(out, "{}", no_steps(plan))?;
    } else {
        writeln!(out, "| # | step | cluster | from | to | why |")?;
        writeln!(out, "| ---: | --- | --- | --- | --- | --- |")?;
        for (i, s) in plan.steps.iter().enumerate() {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                s.kind.as_str(),
                cell(&cluster(s)),
                cell(&s.from),
                cell(&s.to),
                cell(&s.reason)
            )?;
        }
    }
    for (title, notes) in [
        ("Blockers", &plan.blockers),
        ("Uncertainties", &plan.uncertainties),
    ] {
        if !notes.is_empty() {
            writeln!(out)?;
            writeln!(out, "### {title}")?;
            writeln!(out)?;
            for note in notes {
                writeln!(out, "- [{}] {}", note.kind.as_str(), cell(&note.message))?;
            }
        }
    }
    Ok(())
}
