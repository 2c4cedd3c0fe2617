//! Writing what a command produced, without ever destroying a file that was
//! not asked for (issue 12, "Files destroyed or exposed"). The API every
//! command uses (`check`, `plan`, `catalog`, and `collect`):
//!
//! - [`check_outputs`] before anything is read or written: refuses two
//!   outputs naming the same file, and an output naming an input (a usage
//!   error, exit 2), whatever the spelling (`./a`, a symbolic link, a hard link).
//! - [`write_output`] (or [`print`]): standard output for `None`, `-` and
//!   `/dev/stdout` (a closed pipe is not an error, a closed standard output
//!   is); else [`write_file`]. [`Output`] is the same, open while a command
//!   streams into it (`check` writes each inventory's part as it is judged).
//! - [`write_file`]: a regular file is replaced atomically: a temporary file
//!   created exclusively (`O_EXCL`, a random name) in the target's own
//!   directory, given the old file's permissions and owner, synced, then
//!   renamed over the target. A symbolic link stays a link: the file it
//!   points to is replaced. A character device or a pipe (`/dev/null`,
//!   `/dev/full`, `/dev/tty`, `/dev/fd/3`, a FIFO) is written in place, as
//!   the user means; a directory, a block device or a socket is refused.
//! - [`check_links`], on every path written or removed: a symbolic link that
//!   another user planted in a sticky world-writable directory (`/tmp`) is
//!   never followed, the rule of the kernel's `fs.protected_symlinks` applied
//!   whatever that setting says (akspol resolves a final link itself to
//!   replace its target, so the kernel never gets to apply it). A link the
//!   user made, or one in a directory that is not shared that way, is followed.
//! - [`remove_stale`]: when a run judged nothing, the reports an earlier run
//!   left are removed, so that they are not taken for this run's: only a
//!   regular file at the named path (never through a link) that begins as
//!   akspol's reports begin.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::exit::{Failure, EXIT_OK};

/// Writes to standard output and says the command succeeded.
pub fn print(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<u8, Failure> {
    write_output(None, write).map(|()| EXIT_OK)
}

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

/// Writes to `path` ([`write_file`]), or to standard output for `None` and
/// for [`is_stdout`] paths, where a closed pipe (`akspol check ... | head`)
/// is not an error but a closed standard output is.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let mut out = Output::open(path)?;
    let written = write(&mut out);
    out.commit(written)
}

/// Writes `path` without destroying anything but its old content (see the
/// module documentation): regular files atomically, keeping their mode,
/// owner and symbolic links; character devices and pipes in place;
/// anything else refused.
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut target = open_file(path)?;
    write(target.writer())?;
    target.finish()
}

/// An output open for writing, as a command streams into it: standard
/// output, a file replaced when the output is committed ([`Output::commit`];
/// dropped, the old file stays as it was), or a device or pipe written in
/// place. The first error is kept and what follows it dropped, so a report
/// that cannot be written does not stop the others; a closed pipe on
/// standard output is no error.
pub struct Output {
    target: Target,
    /// How messages name it: `standard output` or the path.
    name: String,
    error: Option<io::Error>,
}

enum Target {
    Stdout(BufWriter<io::Stdout>),
    File(FileTarget),
}

impl Output {
    /// Opens `path` (standard output for `None`, `-` and `/dev/stdout`).
    pub fn open(path: Option<&Path>) -> Result<Self, Failure> {
        match path {
            Some(path) if !is_stdout(path) => {
                let name = path.display().to_string();
                match open_file(path) {
                    Ok(file) => Ok(Self {
                        target: Target::File(file),
                        name,
                        error: None,
                    }),
                    Err(source) => Err(Failure::Output { path: name, source }),
                }
            }
            _ => {
                if STDOUT_CLOSED.load(Ordering::Relaxed) {
                    return Err(Failure::Output {
                        path: STDOUT_NAME.into(),
                        source: io::Error::other(
                            "it is closed (or /dev/null opened read-write, as a closed one is reopened), so the report has nowhere to go: write it to a file with --output FILE",
                        ),
                    });
                }
                Ok(Self {
                    target: Target::Stdout(BufWriter::new(io::stdout())),
                    name: STDOUT_NAME.into(),
                    error: None,
                })
            }
        }
    }

    /// Where a spool of this output goes: beside the file it replaces (the
    /// same disk, which must hold the report anyway); `None` for the
    /// temporary directory.
    pub fn spool_dir(&self) -> Option<&Path> {
        match &self.target {
            Target::File(FileTarget::Replace { target, .. }) => target.parent(),
            _ => None,
        }
    }

    /// Keeps the first error of writing (`written`, or one met before).
    pub fn fail(&mut self, error: io::Error) {
        self.error.get_or_insert(error);
    }

    /// Ends the output: flushed, and a replaced file renamed over its
    /// target; the first error of writing, if any, is the failure.
    pub fn commit(mut self, written: io::Result<()>) -> Result<(), Failure> {
        if let Err(error) = written {
            self.fail(error);
        }
        let finished = match self.target {
            Target::Stdout(mut out) => out.flush(),
            Target::File(file) => match self.error.take() {
                None => file.finish(),
                Some(error) => Err(error),
            },
        };
        let error = self.error.or(finished.err());
        match error {
            None => Ok(()),
            Some(e)
                if self.name == STDOUT_NAME
                    && e.kind() == io::ErrorKind::BrokenPipe
                    && !e.get_ref().is_some_and(|inner| inner.is::<SpoolError>()) =>
            {
                Ok(())
            }
            Some(source) => Err(output_failure(self.name, source)),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none() {
            let written = match &mut self.target {
                Target::Stdout(out) => out.write_all(buf),
                Target::File(file) => file.writer().write_all(buf),
            };
            if let Err(error) = written {
                self.error = Some(error);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How messages name standard output.
const STDOUT_NAME: &str = "standard output";

/// A file being written: a temporary file renamed over the target when
/// finished, or a device or pipe written in place.
enum FileTarget {
    Replace {
        temp: BufWriter<Temp>,
        target: PathBuf,
    },
    InPlace(BufWriter<std::fs::File>),
}

/// Where a replacement is written. On Linux, an unnamed file in the target's
/// directory (`O_TMPFILE`), given a name only once it is complete and then
/// renamed over the target: a run killed while writing leaves nothing
/// behind. Elsewhere, or on a file system without unnamed files, a named
/// temporary file (`.NAME.RANDOM.akspol-tmp`), removed unless the run is killed.
enum Temp {
    Named(tempfile::NamedTempFile),
    #[cfg(target_os = "linux")]
    Unnamed {
        file: std::fs::File,
        /// The directory, and the name prefix of the link made at the end.
        dir: PathBuf,
        prefix: std::ffi::OsString,
    },
}

impl Temp {
    fn file(&self) -> &std::fs::File {
        match self {
            Temp::Named(temp) => temp.as_file(),
            #[cfg(target_os = "linux")]
            Temp::Unnamed { file, .. } => file,
        }
    }

    /// Syncs the file and renames it over `target`.
    fn persist(self, target: &Path) -> io::Result<()> {
        self.file().sync_all()?;
        match self {
            Temp::Named(temp) => temp.persist(target).map(drop).map_err(|e| e.error),
            #[cfg(target_os = "linux")]
            Temp::Unnamed { file, dir, prefix } => {
                use std::os::fd::AsRawFd;
                // The documented way to name an O_TMPFILE file (open(2)).
                let fd = format!("/proc/self/fd/{}", file.as_raw_fd());
                let link = temp_builder(&prefix).make_in(&dir, |path| {
                    rustix::fs::linkat(
                        rustix::fs::CWD,
                        fd.as_str(),
                        rustix::fs::CWD,
                        path,
                        rustix::fs::AtFlags::SYMLINK_FOLLOW,
                    )
                    .map_err(io::Error::from)
                })?;
                link.persist(target).map_err(|e| e.error)
            }
        }
    }
}

impl Write for Temp {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Temp::Named(temp) => temp.write(buf),
            #[cfg(target_os = "linux")]
            Temp::Unnamed { file, .. } => file.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Temp::Named(temp) => temp.flush(),
            #[cfg(target_os = "linux")]
            Temp::Unnamed { file, .. } => file.flush(),
        }
    }
}

impl FileTarget {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            FileTarget::Replace { temp, .. } => temp,
            FileTarget::InPlace(file) => file,
        }
    }

    /// Flushes, and renames a temporary file over its target.
    fn finish(self) -> io::Result<()> {
        match self {
            FileTarget::Replace { temp, target } => {
                let temp = temp.into_inner().map_err(io::IntoInnerError::into_error)?;
                temp.persist(&target)
            }
            FileTarget::InPlace(mut file) => file.flush(),
        }
    }
}

/// Opens `path` for writing as [`write_file`] writes it.
fn open_file(path: &Path) -> io::Result<FileTarget> {
    if names_a_descriptor(path) {
        // `/dev/fd/3`, `/proc/self/fd/3`: the open file the user redirected;
        // appending keeps what the shell (`3>>log`) or an earlier write put there.
        return open_in_place(path, true);
    }
    check_links(path)?;
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => replace(&final_target(path)?, Some(&meta)),
        Ok(meta) if meta.is_dir() => Err(io::Error::other("it is a directory")),
        Ok(meta) if writable_in_place(&meta) => open_in_place(path, false),
        Ok(_) => Err(io::Error::other(
            "it is neither a regular file nor a character device or pipe (akspol does not write to block devices or sockets)",
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&final_target(path)?, None),
        Err(e) => Err(e),
    }
}

/// A spool in an unnamed temporary file, gone when dropped (or when the
/// process ends, whatever happens): where a streaming report keeps what it
/// writes after its head. Its errors are [`SpoolError`]s.
pub struct FileSpool {
    file: BufWriter<std::fs::File>,
    len: u64,
    /// Where it is, for messages.
    place: std::sync::Arc<str>,
}

impl FileSpool {
    /// A spool in `dir`, else in the temporary directory.
    pub fn new(dir: Option<&Path>) -> io::Result<Self> {
        let (made, place) = match dir {
            Some(dir) if !dir.as_os_str().is_empty() => (
                tempfile::tempfile_in(dir),
                format!("in {} (beside the output)", dir.display()),
            ),
            _ => (
                tempfile::tempfile(),
                format!(
                    "in {} (the temporary directory{})",
                    std::env::temp_dir().display(),
                    if std::env::var_os("TMPDIR").is_some() {
                        ", from TMPDIR"
                    } else {
                        "; TMPDIR chooses another"
                    }
                ),
            ),
        };
        let place: std::sync::Arc<str> = crate::base::sanitize::clean(&place).into();
        let file = made.map_err(|e| SpoolError::wrap(&place, e))?;
        Ok(Self {
            file: BufWriter::with_capacity(1 << 16, file),
            len: 0,
            place,
        })
    }

    fn failed(&self, error: io::Error) -> io::Error {
        SpoolError::wrap(&self.place, error)
    }
}

/// A spool that could not be made or written: a full or missing temporary
/// directory is named as such, not as the output the report was going to.
#[derive(Debug, thiserror::Error)]
#[error("{place}: {source}")]
pub struct SpoolError {
    place: std::sync::Arc<str>,
    source: io::Error,
}

impl SpoolError {
    fn wrap(place: &std::sync::Arc<str>, source: io::Error) -> io::Error {
        if source
            .get_ref()
            .is_some_and(|inner| inner.is::<SpoolError>())
        {
            return source;
        }
        io::Error::new(
            source.kind(),
            SpoolError {
                place: place.clone(),
                source,
            },
        )
    }
}

/// The failure of writing the output `path` names: a spool's, or the output's.
pub fn output_failure(path: String, source: io::Error) -> Failure {
    if source.get_ref().is_some_and(|e| e.is::<SpoolError>()) {
        if let Some(inner) = source.into_inner() {
            if let Ok(spool) = inner.downcast::<SpoolError>() {
                return Failure::Spool {
                    output: path,
                    spool: *spool,
                };
            }
        }
        return Failure::Output {
            path,
            source: io::Error::other("a spool failed"),
        };
    }
    Failure::Output { path, source }
}

impl Write for FileSpool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf).map_err(|e| self.failed(e))?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().map_err(|e| self.failed(e))
    }
}

impl crate::report::Spool for FileSpool {
    fn position(&self) -> u64 {
        self.len
    }

    fn copy_to(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        self.flush()?;
        let place = self.place.clone();
        let file = self.file.get_mut();
        let spool = |e| SpoolError::wrap(&place, e);
        file.seek(SeekFrom::Start(range.start)).map_err(spool)?;
        let mut part = (&*file).take(range.end.saturating_sub(range.start));
        io::copy(&mut part, out)?;
        file.seek(SeekFrom::End(0)).map_err(spool)?;
        Ok(())
    }

    fn read_back(&mut self) -> io::Result<Box<dyn io::BufRead + '_>> {
        use std::io::{Seek, SeekFrom};
        self.flush()?;
        let place = self.place.clone();
        let file = self.file.get_mut();
        file.seek(SeekFrom::Start(0))
            .map_err(|e| SpoolError::wrap(&place, e))?;
        Ok(Box::new(io::BufReader::with_capacity(1 << 16, &*file)))
    }
}

/// `/dev/fd/N`, `/proc/self/fd/N`, `/dev/stderr`: a descriptor of this process.
fn names_a_descriptor(path: &Path) -> bool {
    path == Path::new("/dev/stderr")
        || path.starts_with("/dev/fd")
        || path.starts_with("/proc/self/fd")
        || path.starts_with(format!("/proc/{}/fd", std::process::id()))
}

#[cfg(unix)]
fn writable_in_place(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    kind.is_char_device() || kind.is_fifo()
}

#[cfg(not(unix))]
fn writable_in_place(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Opens what exists for writing, without creating or truncating it. What
/// was opened must still be a device or pipe: a regular file swapped in
/// since it was looked at is refused before a byte is written over it.
fn open_in_place(path: &Path, append: bool) -> io::Result<FileTarget> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .append(append)
        .open(path)?;
    if file.metadata()?.is_file() && !append {
        return Err(io::Error::other(
            "it became a regular file while akspol opened it: not written; run again",
        ));
    }
    Ok(FileTarget::InPlace(BufWriter::new(file)))
}

/// What a write of `path` replaces or creates, as [`write_file`] finds it
/// ([`final_target`], every link on the way passing [`check_links`]): for
/// a writer that renames its own temporary file over it (the cache's pair).
pub fn write_target(path: &Path) -> io::Result<PathBuf> {
    check_links(path)?;
    final_target(path)
}

/// The file a path names once its own symbolic links are followed (the
/// path itself when it is no link): what is replaced, or created when the
/// last link dangles. Every link on the way passes [`check_links`].
fn final_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
                check_links(&current)?;
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Refuses a path through a symbolic link that the kernel's
/// `fs.protected_symlinks` would not let this user follow: a link in a
/// sticky world-writable directory (`/tmp`, a shared drop folder) owned
/// neither by this user nor by the directory's owner, such as one another
/// user planted for root to write through. Every link of the path counts,
/// not only the last; a link the user made, or any link in a directory not
/// shared that way, is followed as before.
#[cfg(unix)]
pub fn check_links(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let me = rustix::process::geteuid().as_raw();
    let mut prefix = PathBuf::new();
    for component in path.components() {
        prefix.push(component);
        if !matches!(component, std::path::Component::Normal(_)) {
            continue;
        }
        let link = match std::fs::symlink_metadata(&prefix) {
            Ok(meta) if meta.file_type().is_symlink() => meta,
            Ok(_) => continue,
            // Nothing further exists to be followed.
            Err(_) => return Ok(()),
        };
        let dir = match prefix.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let Ok(shared) = std::fs::metadata(dir) else {
            continue;
        };
        const STICKY_AND_WORLD_WRITABLE: u32 = 0o1002;
        let protected = shared.mode() & STICKY_AND_WORLD_WRITABLE == STICKY_AND_WORLD_WRITABLE;
        if protected && link.uid() != me && link.uid() != shared.uid() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} is a symbolic link in a sticky world-writable directory, owned by uid {} (neither this user, uid {me}, nor the directory's owner): akspol does not follow it, as the kernel's fs.protected_symlinks would not; name the file itself, or a place of your own",
                    crate::base::sanitize::clean(&prefix.display().to_string()),
                    link.uid()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_links(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// A temporary file beside `target`, to be renamed over it.
fn replace(target: &Path, existing: Option<&std::fs::Metadata>) -> io::Result<FileTarget> {
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::other("it names no file"))?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    // A new file gets the usual 0666 less the umask; an old one keeps its
    // mode (below), and is unreadable to others until then.
    let mode = if existing.is_some() { 0o600 } else { 0o666 };
    let temp = match unnamed_in(dir, mode, &prefix) {
        Some(temp) => temp,
        None => {
            let mut builder = temp_builder(&prefix);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(mode));
            }
            Temp::Named(builder.tempfile_in(dir)?)
        }
    };
    if let Some(meta) = existing {
        keep_owner_and_mode(temp.file(), meta)?;
    }
    Ok(FileTarget::Replace {
        temp: BufWriter::with_capacity(1 << 16, temp),
        target: target.to_path_buf(),
    })
}

/// `.NAME.` + 12 random characters + [`TEMP_SUFFIX`].
fn temp_builder(prefix: &std::ffi::OsStr) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(TEMP_SUFFIX).rand_bytes(12);
    builder
}

/// An unnamed file in `dir`, where the system can make one and name it
/// later (`O_TMPFILE`, and `/proc` to link it by); else `None`.
#[cfg(target_os = "linux")]
fn unnamed_in(dir: &Path, mode: u32, prefix: &std::ffi::OsStr) -> Option<Temp> {
    use rustix::fs::{Mode, OFlags};
    if !Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    let file = rustix::fs::open(
        dir,
        OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
        Mode::from_raw_mode(mode),
    )
    .ok()?;
    Some(Temp::Unnamed {
        file: std::fs::File::from(file),
        dir: dir.to_path_buf(),
        prefix: prefix.to_os_string(),
    })
}

#[cfg(not(target_os = "linux"))]
fn unnamed_in(_dir: &Path, _mode: u32, _prefix: &std::ffi::OsStr) -> Option<Temp> {
    None
}

/// How akspol's temporary files end: `.NAME.<random>.akspol-tmp`.
pub const TEMP_SUFFIX: &str = ".akspol-tmp";

#[cfg(unix)]
fn keep_owner_and_mode(file: &std::fs::File, meta: &std::fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    // Best effort: only root may give a file away; the mode is what matters
    // for who can read it.
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    file.set_permissions(meta.permissions())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &std::fs::File, meta: &std::fs::Metadata) -> io::Result<()> {
    file.set_permissions(meta.permissions())
}

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

/// One file a command reads or writes, as named to the user.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    /// How the user named it: `--output`, `--report sarif`, `INVENTORY`, `--waivers`.
    pub flag: String,
    pub path: std::borrow::Cow<'a, Path>,
}

impl<'a> Named<'a> {
    pub fn new(flag: impl Into<String>, path: &'a Path) -> Self {
        Self {
            flag: flag.into(),
            path: std::borrow::Cow::Borrowed(path),
        }
    }

    /// A path akspol worked out itself (the cache's catalog).
    pub fn owned(flag: impl Into<String>, path: PathBuf) -> Self {
        Self {
            flag: flag.into(),
            path: std::borrow::Cow::Owned(path),
        }
    }
}

/// Refuses, before anything is written, an output that names an input or
/// the same file as another output (`-o a --report markdown=a` kept only the
/// last; `-o inv.json` replaced the inventory). Standard output counts as one
/// file (`None` is the command's own standard output); `/dev/null` may be
/// named any number of times.
pub fn check_outputs(
    stdout_owner: Option<&str>,
    outputs: &[Named<'_>],
    inputs: &[Named<'_>],
) -> Result<(), Failure> {
    let null = place_of(Path::new("/dev/null"));
    let mut taken: Vec<(Place, String)> = Vec::new();
    if let Some(owner) = stdout_owner {
        taken.push((Place::Stdout, owner.to_string()));
    }
    for output in outputs {
        let place = place_of(&output.path);
        if place == null {
            continue;
        }
        let shown = crate::base::sanitize::clean(&output.path.display().to_string()).into_owned();
        if let Some((_, other)) = taken.iter().find(|(p, _)| *p == place) {
            return Err(Failure::Usage(format!(
                "{} {shown} and {other} name the same file: give each output its own",
                output.flag
            )));
        }
        if let Some(input) = inputs
            .iter()
            .find(|i| !crate::input::sources::is_stdin(&i.path) && place_of(&i.path) == place)
        {
            return Err(Failure::Usage(format!(
                "{} {shown} is also an input ({} {}): refusing to overwrite it",
                output.flag,
                input.flag,
                crate::base::sanitize::clean(&input.path.display().to_string())
            )));
        }
        taken.push((place, format!("{} {shown}", output.flag)));
    }
    Ok(())
}

/// What a path names, whatever its spelling: the same file has one place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Stdout,
    /// An existing file: device and inode (a hard link is the same file).
    File(u64, u64),
    /// A file yet to be created: its absolute path.
    New(PathBuf),
}

fn place_of(path: &Path) -> Place {
    if is_stdout(path) {
        return Place::Stdout;
    }
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return Place::File(meta.dev(), meta.ino());
    }
    #[cfg(not(unix))]
    if let Ok(real) = std::fs::canonicalize(path) {
        return Place::New(real);
    }
    let target = final_target(path).unwrap_or_else(|_| path.to_path_buf());
    let absolute = std::path::absolute(&target).unwrap_or(target);
    // The directory may be spelled through links: resolve it.
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => Place::New(
            std::fs::canonicalize(dir)
                .map(|d| d.join(name))
                .unwrap_or_else(|_| absolute.clone()),
        ),
        _ => Place::New(absolute),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn write_text(path: &Path, text: &str) -> io::Result<()> {
        write_file(path, |out| out.write_all(text.as_bytes()))
    }

    #[test]
    fn replaces_a_file_keeping_its_mode_and_its_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_text(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Nothing else is left in the directory.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["link.json", "real.json"]);
    }

    /// Item 2: the temporary file was `.NAME.PID.tmp`, opened following
    /// links, so a link planted there made akspol overwrite another file.
    #[test]
    fn a_link_planted_at_a_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let planted = dir
            .path()
            .join(format!(".out.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, planted).unwrap();
        let out = dir.path().join("out.json");
        write_text(&out, "report").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "report");
    }

    #[test]
    fn a_dangling_link_creates_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink("made.json", &link).unwrap();
        write_text(&link, "x").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("made.json")).unwrap(),
            "x"
        );
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        let failed = write_file(&path, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk gone"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn special_files_are_written_in_place_or_refused() {
        write_text(Path::new("/dev/null"), "gone").unwrap();
        assert!(std::fs::metadata("/dev/null")
            .map(|m| !m.is_file())
            .unwrap_or(true));
        let full = write_text(Path::new("/dev/full"), &"x".repeat(1 << 16));
        if Path::new("/dev/full").exists() {
            assert!(full.is_err());
        }
        let dir = tempfile::tempdir().unwrap();
        let refused = write_text(dir.path(), "x").unwrap_err();
        assert!(refused.to_string().contains("directory"), "{refused}");
    }

    #[test]
    fn clashes_are_found_whatever_the_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("inv.json");
        std::fs::write(&input, "{}").unwrap();
        let alias = dir.path().join("alias.json");
        std::os::unix::fs::symlink(&input, &alias).unwrap();
        let dotted = dir.path().join(".").join("inv.json");
        let new_a = dir.path().join("a.sarif");
        let new_a_again = dir.path().join("x").join("..").join("a.sarif");
        std::fs::create_dir(dir.path().join("x")).unwrap();
        let inputs = [Named::new("INVENTORY", &input)];
        for output in [&input, &alias, &dotted] {
            let outputs = [Named::new("--output", output)];
            let error = check_outputs(None, &outputs, &inputs).unwrap_err();
            assert!(error.to_string().contains("is also an input"), "{error}");
        }
        let outputs = [
            Named::new("--report sarif", &new_a),
            Named::new("--report junit", &new_a_again),
        ];
        let error = check_outputs(None, &outputs, &inputs).unwrap_err();
        assert!(error.to_string().contains("name the same file"), "{error}");
        let stdout = [Named::new("--report sarif", Path::new("/dev/stdout"))];
        assert!(check_outputs(Some("--format table"), &stdout, &inputs).is_err());
        assert!(check_outputs(None, &stdout, &inputs).is_ok());
        let null = Path::new("/dev/null");
        let twice = [
            Named::new("--output", null),
            Named::new("--report sarif", null),
        ];
        assert!(check_outputs(None, &twice, &inputs).is_ok());
    }

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

    /// The rule of `fs.protected_symlinks`, applied by akspol itself: only
    /// root can make a link another user owns, so the refusal is tested as
    /// root (as CI runs) and skipped with a word otherwise.
    #[test]
    fn a_link_another_user_owns_in_a_sticky_directory_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        for (mode, refused) in [(0o1777, true), (0o777, false), (0o1755, false)] {
            let shared = dir.path().join(format!("shared-{mode:o}"));
            std::fs::create_dir(&shared).unwrap();
            std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(mode)).unwrap();
            let link = shared.join("out.json");
            std::os::unix::fs::symlink(&victim, &link).unwrap();
            // The user's own link is followed.
            assert!(check_links(&link).is_ok());
            assert!(check_links(&link.join("below")).is_ok());
            if let Err(error) = std::os::unix::fs::lchown(&link, Some(65534), Some(65534)) {
                eprintln!("skipped: giving a link to another user needs root ({error})");
                return;
            }
            assert_eq!(check_links(&link).is_err(), refused, "mode {mode:o}");
            let written = write_text(&link, "report");
            assert_eq!(written.is_err(), refused, "mode {mode:o}");
            if refused {
                assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
                let error = written.unwrap_err().to_string();
                assert!(error.contains("fs.protected_symlinks"), "{error}");
            } else {
                assert_eq!(std::fs::read_to_string(&victim).unwrap(), "report");
                std::fs::write(&victim, "precious").unwrap();
            }
        }
    }
}
