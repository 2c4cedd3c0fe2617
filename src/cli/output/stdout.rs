//! Standard output and the width text may take. Guarantees: a report meant
//! for standard output never vanishes into a closed one (`>&-`, which Rust
//! reopens as `/dev/null`): [`guard_standard_streams`] notes it at startup
//! and the output fails; `-` and `/dev/stdout` name standard output
//! ([`is_stdout`]); off a terminal the width is fixed (or `COLUMNS`), so
//! files and logs are the same bytes wherever they are made.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// The width text may take: the terminal's on a terminal; else `COLUMNS`
/// when it is set (a pager, `watch`, a CI log of known width); else
/// `off_terminal` (fixed, so files and logs are the same bytes wherever
/// they are made).
pub fn table_width(to_terminal: bool, off_terminal: u16) -> u16 {
    let columns = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|&c| c > 0)
    };
    if to_terminal {
        comfy_table::Table::new()
            .width()
            .or_else(columns)
            .unwrap_or(off_terminal)
    } else {
        columns().unwrap_or(off_terminal)
    }
}

/// The width of standard output: the terminal's, else `COLUMNS`, else 140
/// (what `check` uses off a terminal).
pub fn stdout_width() -> u16 {
    use std::io::IsTerminal;
    table_width(io::stdout().is_terminal(), 140)
}

/// Set when the process started with standard output closed (`>&-`).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Call first thing. A closed standard output (`>&-`) would drop the report
/// silently: Rust opens `/dev/null` (read-write) on a standard descriptor it
/// finds closed at startup, so writes to it succeed. That descriptor is told
/// apart from a user's `>/dev/null` (write-only) by its mode, and a report
/// meant for standard output then fails instead.
pub fn guard_standard_streams() {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let stdout = io::stdout();
        let fd = stdout.as_fd();
        let reopened_null = || -> Option<bool> {
            let mode = rustix::fs::fcntl_getfl(fd).ok()? & rustix::fs::OFlags::RWMODE;
            if mode != rustix::fs::OFlags::RDWR {
                return Some(false);
            }
            let ours = std::fs::File::from(fd.try_clone_to_owned().ok()?)
                .metadata()
                .ok()?;
            let null = std::fs::metadata("/dev/null").ok()?;
            Some(ours.file_type().is_char_device() && ours.rdev() == null.rdev())
        };
        let closed = rustix::fs::fcntl_getfl(fd).is_err();
        if closed || reopened_null() == Some(true) {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }
}

/// Whether `path` means standard output: `-` or `/dev/stdout`.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-" || path == Path::new("/dev/stdout")
}

/// Whether standard output was found closed by [`guard_standard_streams`].
pub(super) fn is_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// How messages name standard output.
pub(super) const STDOUT_NAME: &str = "standard output";
