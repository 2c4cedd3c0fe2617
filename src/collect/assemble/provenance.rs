//! The provenance block: every output given and what came of it, the
//! source of each field, and what the summary says (conflicts, problems,
//! notes, gaps), in the one shape every collector writes.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Assembly, SourceLine};
use crate::collect::bundle::Bundle;
use crate::collect::written::{Provenance, SourceRecord, SourceStatus, COLLECTOR};

impl Assembly {
    /// Takes the fields said so far; the summary keeps its lists.
    pub(super) fn provenance(&mut self, bundle: &Bundle) -> Provenance<'static> {
        Provenance {
            collector: COLLECTOR,
            sources: Cow::Owned(self.source_records(bundle)),
            fields: std::mem::take(&mut self.fields),
            conflicts: self.summary.conflicts.clone(),
            problems: self.summary.problems.clone(),
            // The files not read and those ignored, then the other notes.
            notes: bundle
                .not_read()
                .into_iter()
                .chain(bundle.ignored())
                .chain(self.summary.notes.iter().cloned())
                .collect(),
            gaps: Cow::Owned(self.summary.gaps.clone()),
        }
    }

    /// Each output given, in the order they ran: the command or the file,
    /// and what the summary says of it (why not, when it was not read).
    fn source_records(&self, bundle: &Bundle) -> Vec<SourceRecord> {
        // Each source's first line in the summary, by name.
        let mut lines: HashMap<&str, &SourceLine> = HashMap::new();
        for line in &self.summary.sources {
            lines.entry(line.name.as_str()).or_insert(line);
        }
        bundle
            .entries
            .iter()
            .map(|(source, entry)| {
                let name = source.to_string();
                let line = lines.get(name.as_str()).copied();
                SourceRecord {
                    command: entry.command.clone(),
                    file: entry.command.is_none().then(|| source.file_name()),
                    ran_at: entry.ran_at.clone(),
                    status: line.map_or(SourceStatus::Unavailable, |l| l.state),
                    detail: line
                        .filter(|l| l.state != SourceStatus::Ok)
                        .map(|l| l.detail.clone()),
                    name,
                }
            })
            .collect()
    }
}
