//! Writing a file without destroying anything but its old content.
//! Guarantees: a regular file is replaced atomically: a temporary file
//! created exclusively (`O_EXCL`, a random name; on Linux an unnamed
//! `O_TMPFILE`) in the target's own directory, given the old file's
//! permissions and owner, synced, then renamed over the target; a failed
//! write leaves the old file and no temporary one. A symbolic link stays a
//! link: the file it points to is replaced ([`super::links`] decides which
//! links are followed). A character device or a pipe (`/dev/null`,
//! `/dev/full`, `/dev/tty`, `/dev/fd/3`, a FIFO) is written in place, as the
//! user means; a directory, a block device or a socket is refused.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::links::{check_links, final_target};

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

/// A file being written: a temporary file renamed over the target when
/// finished, or a device or pipe written in place.
pub(super) enum FileTarget {
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
pub(super) enum Temp {
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
    pub(super) fn writer(&mut self) -> &mut dyn Write {
        match self {
            FileTarget::Replace { temp, .. } => temp,
            FileTarget::InPlace(file) => file,
        }
    }

    /// Flushes, and renames a temporary file over its target.
    pub(super) fn finish(self) -> io::Result<()> {
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
pub(super) fn open_file(path: &Path) -> io::Result<FileTarget> {
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

/// `/dev/fd/N`, `/proc/self/fd/N`, `/dev/stderr`: a descriptor of this process.
pub(super) fn names_a_descriptor(path: &Path) -> bool {
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
}
