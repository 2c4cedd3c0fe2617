//! `--format github`: GitHub Actions workflow commands, one line per finding
//! that is neither `pass` nor `skip`, so each lands as an annotation on the
//! inventory line it concerns:
//!
//! ```text
//! ::error file=inv/contoso.json,line=4,title=V003 support-window::deployment: 74 days behind ...
//! ```
//!
//! `fail` is `::error`, `warn` and `unknown` are `::warning`, `info` and
//! waived findings are `::notice`. Inventory text is untrusted: every value is
//! escaped the way the Actions runner decodes it (`%`, CR, LF; and `:` and `,`
//! in properties), and control characters are replaced, so no inventory
//! string can end the line and forge another workflow command.

use std::io::{self, Write};

use crate::base::sanitize::clean;
use crate::findings::{Report, ReportedFinding, Status};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for inventory in &report.inventories {
        for reported in &inventory.findings {
            let f = &reported.finding;
            let Some(mut command) = command(f.outcome.status) else {
                continue;
            };
            if reported.waiver.is_some() {
                command = "notice";
            }
            let mut properties = Vec::new();
            if !inventory.from_stdin() {
                properties.push(format!("file={}", property(&inventory.source)));
                if let Some(line) = reported.line {
                    properties.push(format!("line={line}"));
                }
            }
            properties.push(format!(
                "title={}",
                property(&format!("{} {}", f.rule.code, f.rule.name))
            ));
            writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                data(&message(reported))
            )?;
        }
    }
    Ok(())
}

/// The workflow command of a status; `None` for statuses that are not annotated.
pub fn command(status: Status) -> Option<&'static str> {
    match status {
        Status::Fail => Some("error"),
        Status::Warn | Status::Unknown => Some("warning"),
        Status::Info => Some("notice"),
        Status::Pass | Status::Skip => None,
    }
}

fn message(reported: &ReportedFinding) -> String {
    let f = &reported.finding;
    let mut text = format!(
        "{}: {}: {}",
        f.scope_label,
        f.outcome.status.as_str(),
        f.outcome.message
    );
    if let Some(d) = f.outcome.deadline {
        text.push_str(&format!(
            " (deadline {}{})",
            if d.estimated { "~" } else { "" },
            d.date
        ));
    }
    if let Some(w) = &reported.waiver {
        text.push_str(&format!(" [waived until {}: {}]", w.expires, w.reason));
    }
    text
}

/// Escapes a command's message (`escapeData` in `@actions/core`).
pub fn data(value: &str) -> String {
    clean(value)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`escapeProperty` in `@actions/core`).
pub fn property(value: &str) -> String {
    data(value).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_decodes() {
        assert_eq!(data("50% done"), "50%25 done");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
        // A newline is replaced before escaping: it cannot start a new command.
        assert!(!data("x\n::error::forged").contains('\n'));
    }
}
