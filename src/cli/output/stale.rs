//! Removing the reports an earlier run left, when a run judged nothing, so
//! that they are not taken for this run's. Guarantees: only a regular file
//! at the named path is removed (never through a symbolic link, never a
//! device or a pipe), and only when it begins as akspol's reports begin;
//! anything else is left, with the reason.

use std::io;
use std::path::Path;

use super::file::names_a_descriptor;
use super::links::check_links;
use super::stdout::is_stdout;

/// What [`remove_stale`] did with the file an earlier run may have left.
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    /// A report akspol wrote was there, and is gone.
    Removed,
    /// Nothing to remove: no file, standard output, a device or a pipe.
    Absent,
    /// Something is there and stays, for this reason.
    Left(String),
}

/// How much of a file's beginning [`remove_stale`] reads for akspol's mark.
pub const HEAD_BYTES: usize = 4096;

/// Removes a report an earlier run left at `path`: only a regular file at
/// that very name, never what a symbolic link points to, and only when its
/// first [`HEAD_BYTES`] carry akspol's mark (`is_report`). Anything else is
/// left, and says why.
pub fn remove_stale(path: &Path, is_report: impl Fn(&[u8]) -> bool) -> Stale {
    use std::io::Read;
    if is_stdout(path) || names_a_descriptor(path) {
        return Stale::Absent;
    }
    if let Err(refused) = check_links(path) {
        return Stale::Left(refused.to_string());
    }
    let named = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Stale::Left(
                "it is a symbolic link: akspol removes only a report it wrote at the name given, never a file through a link".to_string(),
            )
        }
        Ok(meta) if meta.is_file() => meta,
        _ => return Stale::Absent,
    };
    let mut head = Vec::with_capacity(HEAD_BYTES);
    let read = open_no_follow(path).and_then(|file| {
        if !same_file(&file.metadata()?, &named) {
            return Err(io::Error::other("it changed while akspol looked at it"));
        }
        file.take(HEAD_BYTES as u64).read_to_end(&mut head)
    });
    if let Err(error) = read {
        return Stale::Left(format!(
            "cannot read it to see whether akspol wrote it ({error})"
        ));
    }
    if !is_report(&head) {
        return Stale::Left(
            "it does not begin as the reports akspol writes do, so it was not written by akspol (or is a table, which carries no mark)".to_string(),
        );
    }
    // unlink never follows the last link: at worst this removes the name.
    match std::fs::remove_file(path) {
        Ok(()) => Stale::Removed,
        Err(error) => Stale::Left(format!("cannot remove it ({error})")),
    }
}

/// Opens a file for reading without following a final symbolic link or
/// waiting on a FIFO.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map(std::fs::File::from)
    .map_err(io::Error::from)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.is_file() && a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.is_file() && a.len() == b.len()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_a_marked_regular_file_at_the_name_is_removed_as_stale() {
        let dir = tempfile::tempdir().unwrap();
        let marked = |head: &[u8]| head.starts_with(b"MARK");
        let report = dir.path().join("report");
        std::fs::write(&report, "MARK and the rest").unwrap();
        let notes = dir.path().join("notes");
        std::fs::write(&notes, "my notes").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&report, &link).unwrap();
        assert!(
            matches!(remove_stale(&link, marked), Stale::Left(why) if why.contains("symbolic link"))
        );
        assert!(report.exists());
        assert!(matches!(remove_stale(&notes, marked), Stale::Left(_)));
        assert!(notes.exists());
        assert_eq!(remove_stale(&report, marked), Stale::Removed);
        assert!(!report.exists());
        assert_eq!(remove_stale(&report, marked), Stale::Absent);
        assert_eq!(
            remove_stale(Path::new("/dev/null"), |_| true),
            Stale::Absent
        );
        assert_eq!(remove_stale(dir.path(), |_| true), Stale::Absent);
        assert!(dir.path().exists());
    }
}
