//! Exit statuses (`cli.md`) and why a command could not do its job.

use std::io;

use crate::input::InputError;

/// Nothing at or above `--fail-on`, no deadline within `--fail-within`.
pub const EXIT_OK: u8 = 0;
/// The findings are not acceptable.
pub const EXIT_FINDINGS: u8 = 1;
/// akspol could not judge: bad input, bad usage, an output it could not write.
pub const EXIT_ERROR: u8 = 2;

/// Why a command could not do its job: exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write {path}: {source}")]
    Output { path: String, source: io::Error },
    /// The temporary file a report to `output` is assembled in (its spool).
    #[error("cannot write the spool of the report to {output} {spool}")]
    Spool {
        output: String,
        spool: crate::cli::output::SpoolError,
    },
    /// A `catalog update` that failed, in one sentence.
    #[error("{0}")]
    Update(String),
    /// `collect` could not make an inventory (what it found is on standard error).
    #[error("{0}")]
    Collect(String),
}
