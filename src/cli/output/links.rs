//! Which symbolic links an output follows. Guarantees: a symbolic link
//! that another user planted in a sticky world-writable directory (`/tmp`)
//! is never followed, on any path written or removed: the rule of the
//! kernel's `fs.protected_symlinks`, applied whatever that setting says
//! (akspol resolves a final link itself to replace its target, so the
//! kernel never gets to apply it). A link the user made, or one in a
//! directory that is not shared that way, is followed.

use std::io;
use std::path::{Path, PathBuf};

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
pub(super) fn final_target(path: &Path) -> io::Result<PathBuf> {
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::cli::output::write_file;
    use std::os::unix::fs::PermissionsExt;

    fn write_text(path: &Path, text: &str) -> io::Result<()> {
        write_file(path, |out| out.write_all(text.as_bytes()))
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
