//! Mermaid `gantt` blocks (rendered by GitHub and Azure DevOps in Markdown),
//! with inventory text made inert for them.
//!
//! A gantt line is `name :meta`; `:` separates, `#` and `;` end or break a
//! line, `%%` starts a comment, and Mermaid may read `<`, `>`, `&` and
//! quotes as markup. There is no escape that works in every renderer, so
//! [`text`] keeps letters, digits and a few harmless marks, writes `:` and
//! `;` as commas and any other character as `_`. Every task name starts with akspol's own words (a
//! rule code), so no inventory name can become a keyword line.

use std::collections::HashMap;
use std::io::{self, Write};

use super::dates::Day;

/// One bar: from `start` to `end`, in a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// Raw: made inert when written.
    pub section: String,
    /// Raw: made inert when written.
    pub name: String,
    pub start: Day,
    pub end: Day,
    /// `crit` (red: falls out of support), `active` (a warning), or none.
    pub tag: Option<&'static str>,
}

/// `text` safe on a gantt line: see the module docs. A `:` or `;`
/// between words becomes a comma, which reads the same.
pub fn text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ':' | ';' => ',',
            c if c.is_alphanumeric() || " -_./(),+=@'~".contains(c) => c,
            _ => '_',
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A fenced ```` ```mermaid ```` gantt block: tasks grouped by section in
/// the order their sections first appear.
pub fn gantt(title: &str, tasks: &[Task], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "```mermaid")?;
    writeln!(out, "gantt")?;
    writeln!(out, "    title {}", text(title))?;
    writeln!(out, "    dateFormat YYYY-MM-DD")?;
    writeln!(out, "    axisFormat %Y-%m-%d")?;
    // The chart is as of the report's date, not the reader's today.
    writeln!(out, "    todayMarker off")?;
    // Sections in the order they first appear, each with its tasks: one
    // pass, however many nodes have a deadline.
    let mut order: Vec<&str> = Vec::new();
    let mut by_section: HashMap<&str, Vec<&Task>> = HashMap::new();
    for task in tasks {
        let list = by_section.entry(&task.section).or_default();
        if list.is_empty() {
            order.push(&task.section);
        }
        list.push(task);
    }
    for section in order {
        writeln!(out, "    section {}", text(section))?;
        for task in by_section.get(section).into_iter().flatten() {
            let tag = task.tag.map(|t| format!("{t}, ")).unwrap_or_default();
            writeln!(
                out,
                "    {} :{tag}{}, {}",
                text(&task.name),
                task.start,
                task.end
            )?;
        }
    }
    writeln!(out, "```")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_grouped_by_section_in_order() {
        let day = |s: &str| super::super::dates::parse_day(s).unwrap();
        let task = |section: &str, name: &str| Task {
            section: section.into(),
            name: name.into(),
            start: day("2026-11-23"),
            end: day("2026-11-30"),
            tag: None,
        };
        let mut out = Vec::new();
        gantt(
            "t",
            &[
                task("b", "S001 one"),
                task("a", "V008 two"),
                task("b", "S001 three"),
            ],
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().skip(6).collect();
        assert_eq!(
            lines,
            [
                "    section b",
                "    S001 one :2026-11-23, 2026-11-30",
                "    S001 three :2026-11-23, 2026-11-30",
                "    section a",
                "    V008 two :2026-11-23, 2026-11-30",
                "```"
            ]
        );
    }

    #[test]
    fn inventory_text_cannot_break_a_line() {
        assert_eq!(text("a:b;c#d%%e<br>`x`"), "a,b,c_d__e_br__x_");
        assert_eq!(text("node/prod-east/moc-lx9b1"), "node/prod-east/moc-lx9b1");
        assert_eq!(text("x\ny\u{202e}"), "x_y_");
    }
}
