//! The cache's files as `catalog update` writes them: its update lock, one
//! update at a time (a FIFO or a device under the lock's name is refused,
//! never waited on; what killed updates left behind is removed under it),
//! and `catalog.json` with `catalog.meta.json` written as a pair, both
//! landing or neither.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use crate::base::sanitize::clean;
use crate::catalog::cache;
use crate::cli::exit::Failure;
use crate::cli::output::{write_target, TEMP_SUFFIX};

/// The name of the lock file in the cache directory.
const LOCK_FILE: &str = "update.lock";

/// `O_NONBLOCK`, for `OpenOptionsExt::custom_flags`.
#[cfg(unix)]
const NONBLOCK: i32 = rustix::fs::OFlags::NONBLOCK.bits() as i32;

/// Creates the cache directory if needed and takes its update lock (waiting
/// up to `timeout` for another update to finish), then removes what updates
/// killed before they finished left behind: their temporary files.
pub(super) fn lock_cache(dir: &Path, timeout: Duration) -> Result<std::fs::File, Failure> {
    let failed = |why: String| Failure::Update(format!("catalog update failed: {why}"));
    if dir.exists() && !dir.is_dir() {
        return Err(failed(format!(
            "the cache directory {} exists but is not a directory (choose another with --cache-dir or {})",
            clean(&dir.display().to_string()),
            cache::CACHE_DIR_ENV
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        failed(format!(
            "cannot create the cache directory {} ({e})",
            clean(&dir.display().to_string())
        ))
    })?;
    let path = dir.join(LOCK_FILE);
    let not_a_file = || {
        failed(format!(
            "the lock {} is not a regular file (a FIFO, a device, a socket or a directory); remove it",
            path.display()
        ))
    };
    // A FIFO under the lock's name would make the open wait for a reader
    // for ever: opened without waiting, and refused unless a regular file.
    if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(not_a_file());
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(NONBLOCK);
    }
    let lock = options
        .open(&path)
        .map_err(|e| failed(format!("cannot open the lock {} ({e})", path.display())))?;
    if !lock.metadata().is_ok_and(|m| m.is_file()) {
        return Err(not_a_file());
    }
    let started = std::time::Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(failed(format!(
                    "another catalog update has held {} for more than --timeout {}s; try again when it has finished",
                    path.display(),
                    timeout.as_secs()
                )))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(failed(format!("cannot lock {} ({e})", path.display())))
            }
        }
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = [cache::CATALOG_FILE, cache::META_FILE]
            .iter()
            .any(|file| name.starts_with(&format!(".{file}.")));
        if ours && (name.ends_with(TEMP_SUFFIX) || name.ends_with(".tmp")) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(lock)
}

/// Writes `catalog.json` and `catalog.meta.json` so that both land or
/// neither does. Each name must be, or lead through the user's own links
/// to, a regular file or nothing (links are followed as [`write_target`]
/// follows them for every output); both contents are written to temporary
/// files beside their targets first, then renamed over them, the catalog
/// first. Should the metadata's rename fail, the old catalog is put back
/// (and the metadata names its catalog by a digest, so a catalog beside
/// older metadata is never taken for the one it describes).
pub(super) fn store(dir: &Path, catalog: &[u8], meta: &[u8]) -> Result<(), Failure> {
    let failed = |path: &Path, source: io::Error| Failure::Output {
        path: clean(&path.display().to_string()).into_owned(),
        source: io::Error::new(source.kind(), format!("{source}; the cache is as it was")),
    };
    let catalog_path = dir.join(cache::CATALOG_FILE);
    let meta_path = dir.join(cache::META_FILE);
    let target = |path: &Path| {
        let target = write_target(path)?;
        replaceable(&target)?;
        Ok::<_, io::Error>(target)
    };
    let catalog_target = target(&catalog_path).map_err(|e| failed(&catalog_path, e))?;
    let meta_target = target(&meta_path).map_err(|e| failed(&meta_path, e))?;
    let catalog_temp = temporary(&catalog_target, catalog).map_err(|e| failed(&catalog_path, e))?;
    let meta_temp = temporary(&meta_target, meta).map_err(|e| failed(&meta_path, e))?;
    // The old catalog under a temporary name, to put back if need be.
    let existed = std::fs::symlink_metadata(&catalog_target).is_ok();
    let backup = existed.then(|| backup_of(&catalog_target).ok()).flatten();
    catalog_temp
        .persist(&catalog_target)
        .map_err(|e| failed(&catalog_path, e.error))?;
    if let Err(e) = meta_temp.persist(&meta_target) {
        let restored = match backup {
            Some(backup) => backup.persist(&catalog_target).is_ok(),
            None if !existed => std::fs::remove_file(&catalog_target).is_ok(),
            None => false,
        };
        let source = if restored {
            io::Error::new(
                e.error.kind(),
                format!("{}; the cache is as it was", e.error),
            )
        } else {
            io::Error::new(
                e.error.kind(),
                format!(
                    "{}; {} was replaced already and could not be put back",
                    e.error,
                    catalog_path.display()
                ),
            )
        };
        return Err(Failure::Output {
            path: clean(&meta_path.display().to_string()).into_owned(),
            source,
        });
    }
    drop(backup);
    #[cfg(unix)]
    if let Ok(directory) = std::fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// Whether akspol may replace the file a cache name leads to: absent or a
/// regular file; never a directory, a FIFO, a device or a socket.
fn replaceable(target: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) if meta.is_dir() => Err(io::Error::other(
            "it is a directory, not a file akspol wrote",
        )),
        Ok(_) => Err(io::Error::other(
            "it is not a regular file (a FIFO, a device or a socket): akspol replaces only regular files in its cache",
        )),
    }
}

/// `bytes` in a new temporary file beside `target` (`.NAME.<random>.akspol-tmp`,
/// which an update killed before renaming it leaves for the next to remove),
/// with the mode of the file it replaces, synced.
fn temporary(target: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    let (dir, name) = beside(target)?;
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX).rand_bytes(12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    if let Ok(old) = std::fs::metadata(target) {
        temp.as_file().set_permissions(old.permissions())?;
    }
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// The directory of `target` and its file name.
fn beside(target: &Path) -> io::Result<(&Path, String)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| io::Error::other("it names no file"))?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    Ok((dir, name))
}

/// A second name for the file at `path` (a hard link), under a temporary
/// name beside it.
fn backup_of(path: &Path) -> io::Result<tempfile::TempPath> {
    let (dir, name) = beside(path)?;
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX).rand_bytes(12);
    builder
        .make_in(dir, |link| std::fs::hard_link(path, link))
        .map(tempfile::NamedTempFile::into_temp_path)
}
