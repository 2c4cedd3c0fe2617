//! Renders a [`Plan`]: a table for people, Markdown for tickets, JSON (plan
//! version 1, the [`Plan`] serde type is the contract) for tools. Every text
//! taken from the inventory is sanitized before it reaches a text format.

use std::io::{self, Write};

use crate::base::grid::{Column, Grid};
use crate::base::wrap::{hanging, pack, wrap};

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

/// The facts under the title: installed, latest, steps, as-of, edition.
fn headline(plan: &Plan) -> Vec<String> {
    let target = plan.target.as_deref().unwrap_or("none");
    let steps = match plan.steps.len() {
        0 => "no steps".to_string(),
        1 => "1 step".to_string(),
        n => format!("{n} steps"),
    };
    vec![
        format!("installed {}", clean(&plan.installed)),
        format!("latest {target}"),
        steps,
        format!("as of {}", plan.as_of),
        format!("policy edition {}", plan.edition),
    ]
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

/// Narrower than this, nothing fits anyway: lay out as if this wide.
const MIN_WIDTH: usize = 40;

fn table(plan: &Plan, width: u16, out: &mut dyn Write) -> io::Result<()> {
    let width = usize::from(width).max(MIN_WIDTH);
    let title = format!(
        "Upgrade plan for {} ({})",
        clean(&plan.deployment),
        clean(&plan.source)
    );
    let lines = wrap(&title, width)
        .into_iter()
        .chain(pack(&headline(plan), " · ", width))
        .chain([String::new()])
        .chain(wrap(
            "Calendar: the days this deployment gets worse if nothing is done",
            width,
        ));
    for line in lines {
        writeln!(out, "{line}")?;
    }
    if plan.calendar.is_empty() {
        writeln!(out, "{NO_DEADLINE}")?;
    } else {
        let mut grid = Grid::new(&[
            Column::whole("date"),
            Column::whole("days left").named(),
            Column::whole("scope"),
            Column::whole("rule"),
            Column::whole("becomes").named(),
            Column::prose("what"),
        ]);
        for e in &plan.calendar {
            grid.push([
                date(e),
                e.days_left.to_string(),
                table_cell(&e.scope).into_owned(),
                e.rule.unwrap_or("-").to_string(),
                e.becomes.to_string(),
                table_cell(&e.what).into_owned(),
            ]);
        }
        grid.write(width, out)?;
    }
    writeln!(out)?;
    writeln!(out, "Upgrade path")?;
    if plan.steps.is_empty() {
        for line in wrap(no_steps(plan), width) {
            writeln!(out, "{line}")?;
        }
    } else {
        let mut grid = Grid::new(&[
            Column::whole("#"),
            Column::whole("step"),
            Column::whole("cluster"),
            Column::whole("from").named(),
            Column::whole("to").named(),
            Column::prose("why"),
        ]);
        for (i, s) in plan.steps.iter().enumerate() {
            grid.push([
                (i + 1).to_string(),
                s.kind.as_str().to_string(),
                table_cell(&cluster(s)).into_owned(),
                table_cell(&s.from).into_owned(),
                table_cell(&s.to).into_owned(),
                table_cell(&s.reason).into_owned(),
            ]);
        }
        grid.write(width, out)?;
    }
    for (title, notes) in [
        ("Blockers", &plan.blockers),
        ("Uncertainties", &plan.uncertainties),
    ] {
        if !notes.is_empty() {
            writeln!(out)?;
            writeln!(out, "{title}")?;
            for note in notes {
                for line in hanging(&note_line(note), "- ", "  ", width) {
                    writeln!(out, "{line}")?;
                }
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
    writeln!(out, "{}", headline(plan).join(" · "))?;
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
