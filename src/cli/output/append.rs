//! Appending to a file another program reads as it grows (GitHub's step
//! summary). Guarantees: the file is created when missing and never
//! truncated, and a link another user planted in a shared directory is not
//! followed ([`super::links::check_links`]).

use std::io::Write;
use std::path::Path;

use super::links::check_links;
use crate::cli::exit::Failure;

/// Appends `text` to `path` (creating it): how GitHub's step summary file
/// is meant to be written, each step adding its part.
pub fn append_to(path: &Path, text: &str) -> Result<(), Failure> {
    use std::fs::OpenOptions;
    check_links(path)
        .and_then(|()| OpenOptions::new().create(true).append(true).open(path))
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|source| Failure::Output {
            path: path.display().to_string(),
            source,
        })
}
