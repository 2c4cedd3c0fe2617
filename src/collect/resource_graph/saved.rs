//! Saved answers (`--resource-graph --from DIR`, or a zip of DIR): each file
//! is known by its rows' columns, whatever it is named, so an operator can
//! save the pages under any names; several files may be pages of one query.

use std::path::Path;

use super::answers::Answers;
use super::page;
use super::queries::Query;
use crate::base::sanitize::clean;
use crate::collect::bundle;
use crate::collect::written::{SourceRecord, SourceStatus};
use crate::input::InputError;

/// Reads every file of `path` (a directory or a zip archive) as a page.
/// An error only when nothing can be read at all, or no file answers Q1.
// Long on purpose: every file gets its record (read as a page, not JSON,
// or a page that failed) in the same pass that reads it, so none is left
// out of the account.
pub fn read(path: &Path, max_bytes: u64) -> Result<Answers, InputError> {
    let origin = path.display().to_string();
    let mut answers = Answers::default();
    let mut files = 0usize;
    bundle::read_every_file(path, max_bytes, &mut |file| {
        files += 1;
        let mut line = SourceRecord {
            name: "resource-graph".into(),
            command: None,
            file: Some(file.name.clone()),
            ran_at: None,
            status: SourceStatus::Ok,
            detail: None,
        };
        let text = match file.text {
            Ok(text) => text,
            Err(why) => {
                line.status = SourceStatus::Unavailable;
                line.detail = Some(why.to_string().replace('\n', " / "));
                answers.sources.push(line);
                return;
            }
        };
        let json = text
            .trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n'])
            .starts_with(['{', '[']);
        match page::read(&file.origin, &text, None) {
            Ok(page) => {
                let rows = page.rows.len();
                match page.query {
                    Some(query) => {
                        line.name = query.source_name().to_string();
                        line.detail = Some(format!(
                            "{}: {rows} row{}",
                            query.label(),
                            if rows == 1 { "" } else { "s" }
                        ));
                    }
                    None => {
                        line.status = SourceStatus::Ignored;
                        line.detail = Some("an answer without rows: which query it answers cannot be told (nothing in it)".into());
                    }
                }
                answers.sources.push(line);
                answers.add(page);
            }
            Err(why) => {
                // A file that is not JSON at all (a README) is not a page
                // that failed; one that is JSON but broken may be.
                line.status = if json && !why.contains("not an `az graph query` answer") {
                    SourceStatus::Unavailable
                } else {
                    SourceStatus::Ignored
                };
                line.detail = Some(if json {
                    why
                } else {
                    "not JSON: not an `az graph query` answer".to_string()
                });
                answers.sources.push(line);
            }
        }
    })?;
    if files == 0 {
        return Err(InputError::file(&origin, "no files: expected the saved answers of the queries `akspol collect --resource-graph --dry-run` prints"));
    }
    if answers.instances.pages == 0 {
        let seen: Vec<String> = answers
            .sources
            .iter()
            .map(|s| {
                format!(
                    "{} ({})",
                    clean(s.file.as_deref().unwrap_or_default()),
                    s.detail.as_deref().unwrap_or_default()
                )
            })
            .collect();
        return Err(InputError::file(
            &origin,
            format!(
                "no answer of {} (the Azure Local instances, `{}` and the other columns it projects), so no inventory can be made; read: {}",
                Query::Instances.label(),
                Query::Instances.columns().join("`, `"),
                seen.join("; ")
            ),
        ));
    }
    answers.check_complete();
    Ok(answers)
}
