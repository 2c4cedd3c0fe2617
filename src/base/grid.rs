//! Tables that fit a width, for every command that prints one (`plan`,
//! `catalog show`, `rules`, the fleet summary of `check`).
//!
//! Columns side by side when each gets the room its content needs: a
//! [`Fit::Whole`] column (a code, a version, a date, a name) as wide as its
//! longest value, a [`Fit::Prose`] column at least [`PROSE_MIN`] columns (or
//! its longest word, or its widest line if narrower) with the rest of the
//! line shared among the prose columns. When they cannot all fit, one block
//! per row instead: the whole values on a line, then each prose value as a
//! paragraph indented under it. Either way text wraps at spaces only
//! ([`super::wrap`]), so identifiers and dates are never split unless longer
//! than a whole line. Laying out is linear in the text laid out.
//!
//! A cell may hold several values, one per line (`\n`): in a grid each
//! starts a line of its own; in a block they are joined by `, `. Callers make inventory text inert first
//! ([`super::sanitize`]), which also removes any line break of its own.

use std::io::{self, Write};

use super::wrap::{hanging, hanging_list, pack, width as text_width, wrap};

/// A prose column narrower than this is hard to read: below it, blocks.
pub const PROSE_MIN: usize = 40;
/// Between two columns of a grid.
const GAP: &str = "  ";
/// What a block indents under its first line.
const INDENT: &str = "  ";

/// How a column's values may be laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Codes, versions, dates, names: each value on one line, whole.
    Whole,
    /// Sentences and lists: wrapped at spaces.
    Prose,
}

/// One column: its header, how it fits, and whether a block names it
/// (`released 2024-02-13`) or gives the value alone (`2402`).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    header: &'static str,
    fit: Fit,
    named: bool,
}

impl Column {
    pub const fn whole(header: &'static str) -> Column {
        Column {
            header,
            fit: Fit::Whole,
            named: false,
        }
    }

    pub const fn prose(header: &'static str) -> Column {
        Column {
            header,
            fit: Fit::Prose,
            named: false,
        }
    }

    /// In a block, the value follows the header: `from 1.0.24.11029`.
    pub const fn named(self) -> Column {
        Column {
            named: true,
            ..self
        }
    }
}

/// A table: its columns and rows, laid out by [`Grid::lines`].
#[derive(Debug, Clone)]
pub struct Grid {
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
}

impl Grid {
    pub fn new(columns: &[Column]) -> Grid {
        Grid {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// A row, a cell per column (missing cells are empty, extra ones ignored).
    pub fn push<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut row: Vec<String> = cells
            .into_iter()
            .take(self.columns.len())
            .map(Into::into)
            .collect();
        row.resize(self.columns.len(), String::new());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table in lines of at most `width` columns (a value longer than a
    /// whole line is the only exception a grid never makes: blocks wrap it).
    pub fn lines(&self, width: usize) -> Vec<String> {
        match self.widths(width) {
            Some(widths) => self.grid(&widths),
            None => self.blocks(width.max(INDENT.len() + 1)),
        }
    }

    pub fn write(&self, width: usize, out: &mut dyn Write) -> io::Result<()> {
        for line in self.lines(width) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    /// Each column's width in a grid of `width` columns, or `None` when
    /// the columns cannot all have the room they need.
    fn widths(&self, width: usize) -> Option<Vec<usize>> {
        let needs: Vec<(usize, usize)> = self
            .columns
            .iter()
            .enumerate()
            .map(|(index, column)| self.needs(index, column))
            .collect();
        let gaps = GAP.len() * self.columns.len().saturating_sub(1);
        let least: usize = needs.iter().map(|(least, _)| least).sum::<usize>() + gaps;
        let mut spare = width.checked_sub(least)?;
        let mut widths: Vec<usize> = needs.iter().map(|(least, _)| *least).collect();
        // The spare columns go to the prose columns, the one that wants
        // least first, each taking at most an even share of what is left.
        let mut wanting: Vec<(usize, usize)> = needs
            .iter()
            .enumerate()
            .map(|(index, (least, most))| (index, most - least))
            .filter(|(_, more)| *more > 0)
            .collect();
        wanting.sort_by_key(|(_, more)| *more);
        let mut left = wanting.len();
        for (index, more) in wanting {
            let share = spare / left.max(1);
            let given = more.min(share);
            if let Some(w) = widths.get_mut(index) {
                *w += given;
            }
            spare -= given;
            left -= 1;
        }
        Some(widths)
    }

    /// A column's least and most width: a whole column is as wide as its
    /// widest value; a prose column wants its widest line and makes do
    /// with [`PROSE_MIN`] (or its longest word, if longer).
    fn needs(&self, index: usize, column: &Column) -> (usize, usize) {
        let values = || {
            self.rows
                .iter()
                .filter_map(move |row| row.get(index))
                .flat_map(|cell| cell.split('\n'))
        };
        let header = text_width(column.header);
        let widest = values().map(text_width).max().unwrap_or(0).max(header);
        match column.fit {
            Fit::Whole => (widest, widest),
            Fit::Prose => {
                let longest_word = values()
                    .flat_map(|v| v.split(' '))
                    .map(text_width)
                    .max()
                    .unwrap_or(0);
                let least = longest_word.max(PROSE_MIN).max(header).min(widest);
                (least, widest)
            }
        }
    }

    /// Columns side by side under their headers and a rule.
    fn grid(&self, widths: &[usize]) -> Vec<String> {
        let mut lines = Vec::new();
        let headers: Vec<String> = self.columns.iter().map(|c| c.header.to_string()).collect();
        lines.push(join_padded(&headers, widths));
        let rules: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        lines.push(join_padded(&rules, widths));
        for row in &self.rows {
            let cells: Vec<Vec<String>> = self
                .columns
                .iter()
                .zip(row)
                .zip(widths)
                .map(|((column, cell), &width)| match column.fit {
                    Fit::Whole => cell.split('\n').map(str::to_string).collect(),
                    Fit::Prose => cell.split('\n').flat_map(|v| wrap(v, width)).collect(),
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(0);
            for i in 0..height {
                let line: Vec<String> = cells
                    .iter()
                    .map(|lines| lines.get(i).cloned().unwrap_or_default())
                    .collect();
                lines.push(join_padded(&line, widths));
            }
        }
        lines
    }

    /// One block per row: the whole values on a line (named ones after
    /// their header), each prose value a paragraph indented under it.
    fn blocks(&self, width: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for row in &self.rows {
            let mut head = Vec::new();
            let mut paragraphs = Vec::new();
            for (column, cell) in self.columns.iter().zip(row) {
                if cell.trim().is_empty() {
                    continue;
                }
                let values: Vec<String> = cell.split('\n').map(str::to_string).collect();
                let value = values.join(", ");
                match (column.fit, column.named) {
                    (Fit::Whole, true) => head.push(format!("{} {value}", column.header)),
                    (Fit::Whole, false) => head.push(value),
                    (Fit::Prose, true) => paragraphs.extend(prose(
                        &values,
                        &format!("{INDENT}{}: ", column.header),
                        &format!("{INDENT}{INDENT}"),
                        width,
                    )),
                    (Fit::Prose, false) => {
                        paragraphs.extend(prose(&values, INDENT, INDENT, width));
                    }
                }
            }
            let head_lines = pack(&head, " · ", width - INDENT.len());
            for (i, line) in head_lines.into_iter().enumerate() {
                lines.push(if i == 0 {
                    line
                } else {
                    format!("{INDENT}{line}")
                });
            }
            lines.extend(paragraphs);
        }
        lines
    }
}

/// A prose value under a hanging indent; several values (one a line in a
/// grid) as a list broken between them where it can be.
fn prose(values: &[String], first: &str, rest: &str, width: usize) -> Vec<String> {
    match values {
        [value] => hanging(value, first, rest, width),
        values => hanging_list(values, first, rest, width),
    }
}

/// `cells` padded to `widths` and joined by the gap, without trailing spaces.
fn join_padded(cells: &[String], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, (cell, &width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str(GAP);
        }
        line.push_str(cell);
        line.push_str(&" ".repeat(width.saturating_sub(text_width(cell))));
    }
    line.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_like() -> Grid {
        let mut grid = Grid::new(&[
            Column::whole("date"),
            Column::whole("scope"),
            Column::whole("becomes").named(),
            Column::prose("what"),
        ]);
        grid.push([
            "~2026-04-30",
            "cluster/lab-west",
            "worse",
            "stopped more than 60 days: it can no longer be updated to the latest release",
        ]);
        grid.push(["2026-12-30", "deployment", "fail", "out of support"]);
        grid
    }

    #[test]
    fn a_grid_when_the_prose_has_room() {
        let lines = plan_like().lines(80);
        assert_eq!(
            lines,
            [
                "date         scope             becomes  what",
                "───────────  ────────────────  ───────  ────────────────────────────────────────",
                "~2026-04-30  cluster/lab-west  worse    stopped more than 60 days: it can no",
                "                                        longer be updated to the latest release",
                "2026-12-30   deployment        fail     out of support",
            ]
        );
        assert!(lines.iter().all(|l| text_width(l) <= 80));
    }

    #[test]
    fn blocks_when_it_has_not() {
        let lines = plan_like().lines(60);
        assert_eq!(
            lines,
            [
                "~2026-04-30 · cluster/lab-west · becomes worse",
                "  stopped more than 60 days: it can no longer be updated to",
                "  the latest release",
                "2026-12-30 · deployment · becomes fail",
                "  out of support",
            ]
        );
    }

    #[test]
    fn values_stay_whole_and_cells_keep_their_lines() {
        let mut grid = Grid::new(&[
            Column::whole("release"),
            Column::whole("builds"),
            Column::prose("kubernetes").named(),
        ]);
        grid.push([
            "2311",
            "10.2311.0.26 (2023-11-14)\n10.2311.2.7",
            "1.26.3, 1.27.1",
        ]);
        assert_eq!(
            grid.lines(80)[2..],
            [
                "2311     10.2311.0.26 (2023-11-14)  1.26.3, 1.27.1",
                "         10.2311.2.7",
            ]
        );
        assert_eq!(
            grid.lines(40),
            [
                "2311",
                "  10.2311.0.26 (2023-11-14), 10.2311.2.7",
                "  kubernetes: 1.26.3, 1.27.1",
            ]
        );
        for width in 20..90 {
            for line in grid.lines(width) {
                assert!(!line.contains("10.2311.0.2\n"), "{line}");
                assert!(text_width(&line) <= width, "{width}: {line}");
            }
        }
    }

    #[test]
    fn a_long_value_costs_linear_time() {
        let mut grid = Grid::new(&[Column::whole("name"), Column::prose("what")]);
        grid.push(["x".repeat(200_000), "y ".repeat(100_000)]);
        let lines = grid.lines(80);
        // 78 columns of the name a line, then 39 words of the prose.
        assert_eq!(
            lines.len(),
            200_000_usize.div_ceil(78) + 100_000_usize.div_ceil(39)
        );
    }
}
