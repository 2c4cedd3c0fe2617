//! The provenance block (`docs/inventory.md`): where each field came from,
//! every source and what came of it, what disagreed, what was left out and
//! what stays unknown. One shape for every collector.

use std::borrow::Cow;

use indexmap::IndexMap;
use serde::Serialize;

/// `provenance.collector`.
pub const COLLECTOR: &str = concat!("akspol ", env!("CARGO_PKG_VERSION"));

/// A field's JSON path (`clusters[0].kubernetesVersion`) to the source that
/// filled it, in the order they are written.
pub type Fields = IndexMap<String, String>;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance<'a> {
    /// [`COLLECTOR`].
    pub collector: &'static str,
    /// Borrowed when every inventory of a run shares them.
    pub sources: Cow<'a, [SourceRecord]>,
    pub fields: Fields,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub gaps: Cow<'a, [Gap]>,
}

/// One source: a command run, or a saved file read (or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceRecord {
    pub name: String,
    /// The command as run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// The saved file, as named in the directory or archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ran_at: Option<String>,
    pub status: SourceStatus,
    /// What it gave, or why it gave nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What came of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    /// Read.
    Ok,
    /// Run or given, but not readable: the reason is its detail.
    Unavailable,
    /// Not given, though the others call for it.
    Missing,
    /// Given, but no inventory could be made to read it into.
    Found,
    /// Not an output akspol reads.
    Ignored,
}

impl SourceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Unavailable => "unavailable",
            SourceStatus::Missing => "missing",
            SourceStatus::Found => "found",
            SourceStatus::Ignored => "ignored",
        }
    }
}

/// Padded as text (`{:<11}`), for the summary's columns.
impl std::fmt::Display for SourceStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A field no source filled, so the rules that need it skip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub field: String,
    /// The rules' own answer: [`crate::rules::silenced_by`].
    pub rules: Vec<&'static str>,
    pub why: String,
}

impl Gap {
    /// The gap as the summary on standard error says it.
    pub fn line(&self) -> String {
        format!("{} ({}): {}", self.field, self.rules.join(", "), self.why)
    }
}
