//! A file that could not be judged, as reports show it: the face turns
//! input and waiver errors into these, so `--format github` can annotate
//! the line they point at.

/// One problem in one file; `line` and `column` when it has a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file as given (raw: sanitize before printing).
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What is wrong: `deployment.version: ...` (raw).
    pub message: String,
}
