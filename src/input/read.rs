//! Reading a file or standard input within a size limit, and decoding what
//! PowerShell and editors write (UTF-8 with or without BOM, UTF-16 with BOM).

use std::io::Read;
use std::path::Path;

use super::InputError;

/// The default cap on one input file (`--max-input-bytes`).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// How much of one file akspol reads, and what to say when a file is
/// larger: every file has a cap; inventories and waivers take theirs from
/// `--max-input-bytes`, catalogs, policies and the cache's metadata have fixed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    /// `None`: `--max-input-bytes` sets it; else the kind of file whose fixed cap it is.
    fixed_for: Option<&'static str>,
}

impl Limit {
    /// The cap `--max-input-bytes` sets.
    pub fn input(bytes: u64) -> Self {
        Self {
            bytes,
            fixed_for: None,
        }
    }

    /// A fixed cap for one kind of file, e.g. `Limit::fixed(16 << 20, "a catalog file")`.
    pub fn fixed(bytes: u64, what: &'static str) -> Self {
        Self {
            bytes,
            fixed_for: Some(what),
        }
    }

    pub(crate) fn too_large(&self, origin: &str) -> InputError {
        let message = match self.fixed_for {
            None => format!(
                "larger than the {}-byte limit (raise it with --max-input-bytes)",
                self.bytes
            ),
            Some(what) => format!(
                "larger than the {}-byte limit for {what} (a fixed limit)",
                self.bytes
            ),
        };
        InputError::file(origin, message)
    }
}

impl From<u64> for Limit {
    fn from(bytes: u64) -> Self {
        Self::input(bytes)
    }
}

/// Reads a file (or standard input for `-`), refusing more than the limit
/// before reading it all, and decodes it to text. A file named on the
/// command line may be a pipe or a device (`<(cmd)`, `/dev/stdin`).
pub fn read_text(path: &Path, limit: impl Into<Limit>) -> Result<String, InputError> {
    read(path, limit.into(), false)
}

/// [`read_text`], undecoded: the bytes as they are in the file (what a
/// digest of the file is taken of); [`decode`] makes them text.
pub fn read_bytes(path: &Path, limit: impl Into<Limit>) -> Result<Vec<u8>, InputError> {
    read_raw(path, limit.into(), false)
}

/// [`read_text`] for a file found by listing a directory: it was a regular
/// file then and must still be one. It is opened without waiting, so a FIFO
/// swapped in after the listing is refused instead of blocking forever.
pub fn read_listed(path: &Path, limit: impl Into<Limit>) -> Result<String, InputError> {
    read(path, limit.into(), true)
}

/// How a file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// Named on the command line: it may be a pipe or a device (`<(cmd)`).
    Named,
    /// Found by listing a directory: it was a regular file then and must
    /// still be one; opened without waiting, so a FIFO swapped in after the
    /// listing is refused instead of blocking for ever.
    Listed,
    /// A file of a folder of saved outputs: as [`Opening::Listed`], and
    /// never through a symbolic link (one swapped in after the listing
    /// included), so a link cannot make akspol read a file elsewhere.
    Saved,
    /// A zip archive of saved outputs named on the command line: a link the
    /// user named is followed, but it must be a regular file, opened
    /// without waiting.
    Archive,
}

/// Opens a file for reading; with `listed`, without blocking (see
/// [`read_listed`]) and only if it is (still) a regular file.
pub fn open(path: &Path, listed: bool) -> Result<std::fs::File, InputError> {
    open_as(
        path,
        if listed {
            Opening::Listed
        } else {
            Opening::Named
        },
    )
}

/// Opens a file for reading as `opening` says.
pub fn open_as(path: &Path, opening: Opening) -> Result<std::fs::File, InputError> {
    let origin = path.display().to_string();
    let read_err = |source| InputError::Read {
        origin: origin.clone(),
        source,
    };
    let not_followed = || {
        InputError::file(
            &origin,
            "a symbolic link: a link in a folder of saved outputs is not followed",
        )
    };
    #[cfg(unix)]
    let file = if opening == Opening::Named {
        std::fs::File::open(path).map_err(read_err)?
    } else {
        // On a regular file O_NONBLOCK changes nothing; on a FIFO it keeps
        // open() from waiting for a writer. Read-only, like File::open.
        use rustix::fs::{Mode, OFlags};
        let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        if opening == Opening::Saved {
            flags |= OFlags::NOFOLLOW;
        }
        match rustix::fs::open(path, flags, Mode::empty()) {
            Ok(fd) => std::fs::File::from(fd),
            Err(rustix::io::Errno::LOOP) if opening == Opening::Saved => return Err(not_followed()),
            Err(e) => return Err(read_err(e.into())),
        }
    };
    #[cfg(not(unix))]
    let file = {
        if opening == Opening::Saved
            && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(not_followed());
        }
        std::fs::File::open(path).map_err(read_err)?
    };
    if opening != Opening::Named && !file.metadata().is_ok_and(|m| m.is_file()) {
        let why = match opening {
            Opening::Archive => "not a regular file: a zip archive of saved outputs must be one",
            Opening::Saved => "not a regular file (a FIFO, socket or device is not read)",
            _ => "no longer a regular file (it was one when its directory was listed): not read",
        };
        return Err(InputError::file(&origin, why));
    }
    Ok(file)
}

/// One budget of bytes shared by every file of a bundle of saved outputs: a
/// folder's files, or all that a zip archive inflates. Every byte read
/// counts, whether it decodes or not, so no number of bad files reads more.
#[derive(Debug)]
pub struct Budget {
    left: u64,
    /// Whose budget it is, for messages: `the folder`, `the archive`.
    of: &'static str,
}

impl Budget {
    pub fn new(bytes: u64, of: &'static str) -> Self {
        Self { left: bytes, of }
    }

    pub fn left(&self) -> u64 {
        self.left
    }

    pub fn too_large(&self, origin: &str) -> InputError {
        InputError::file(
            origin,
            format!(
                "larger than the {} bytes left of {}'s budget (raise it with --max-input-bytes)",
                self.left, self.of
            ),
        )
    }

    /// Reads `reader` to its end, spending every byte read: `None` when it
    /// holds more than is left (reading stops one byte past that). `size` is
    /// what the file says it holds: more than is left is refused unread,
    /// less is only a hint (a zip member's may lie); `measured` when it is a
    /// file's own size, so room for all of it is taken at once.
    pub fn read(
        &mut self,
        reader: impl Read,
        size: u64,
        measured: bool,
    ) -> std::io::Result<Option<Vec<u8>>> {
        let limit = self.left;
        if size > limit {
            return Ok(None);
        }
        // Room for what it holds (and the byte that proves the end), so a
        // large file is not copied as the buffer doubles; but not more than
        // a little on an archive's word alone: a few bytes of archive can
        // claim half a gigabyte.
        let room = if measured {
            size.saturating_add(1)
        } else {
            size.min(1 << 20)
        };
        let mut bytes = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
        let result = reader.take(limit.saturating_add(1)).read_to_end(&mut bytes);
        // What was read before a failure counts too.
        self.left = limit.saturating_sub(bytes.len() as u64);
        result?;
        Ok((bytes.len() as u64 <= limit).then_some(bytes))
    }
}

/// A file of a listed folder of saved outputs, read and decoded within
/// what is left of the folder's `budget` (see [`Opening::Saved`]).
pub fn read_saved(path: &Path, budget: &mut Budget) -> Result<String, InputError> {
    let origin = path.display().to_string();
    let file = open_as(path, Opening::Saved)?;
    let size = file.metadata().map_or(0, |m| m.len());
    match budget.read(file, size, true) {
        Ok(Some(bytes)) => decode(&origin, bytes),
        Ok(None) => Err(budget.too_large(&origin)),
        Err(source) => Err(InputError::Read { origin, source }),
    }
}

fn read(path: &Path, limit: Limit, listed: bool) -> Result<String, InputError> {
    let bytes = read_raw(path, limit, listed)?;
    decode(&path.display().to_string(), bytes)
}

fn read_raw(path: &Path, limit: Limit, listed: bool) -> Result<Vec<u8>, InputError> {
    let origin = path.display().to_string();
    let read_err = |source| InputError::Read {
        origin: origin.clone(),
        source,
    };
    let max_bytes = limit.bytes;
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
    } else {
        let file = open(path, listed)?;
        if let Ok(meta) = file.metadata() {
            if meta.is_file() && meta.len() > max_bytes {
                return Err(limit.too_large(&origin));
            }
            // Room for the whole file (and the byte that proves the end), so
            // a large file is not copied as the buffer doubles.
            if meta.is_file() {
                bytes.reserve_exact(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
            }
        }
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
    }
    if bytes.len() as u64 > max_bytes {
        return Err(limit.too_large(&origin));
    }
    Ok(bytes)
}

/// UTF-8, with or without a byte-order mark, and UTF-16 with a BOM (what
/// Windows PowerShell 5.1 writes with `Out-File` and `>`). Anything else is an error.
pub fn decode(origin: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| -> Result<String, InputError> {
        if !bytes.len().is_multiple_of(2) {
            return Err(InputError::file(
                origin,
                "UTF-16 text with an odd number of bytes: the file is truncated or not UTF-16",
            ));
        }
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .filter_map(|c| c.try_into().ok())
            .map(from)
            .collect();
        String::from_utf16(&units).map_err(|_| {
            InputError::file(
                origin,
                "invalid UTF-16 (an unpaired surrogate): the file is damaged",
            )
        })
    };
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => {
            return Err(InputError::file(
                origin,
                "UTF-32 text: expected UTF-8, or UTF-16 with a byte-order mark",
            ))
        }
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(origin, rest.to_vec()),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => utf8(origin, bytes),
    }?;
    // NUL is valid UTF-8 but never part of JSON text: UTF-16 or UTF-32 saved
    // without a byte-order mark decodes to text full of them.
    if text.contains('\0') {
        return Err(InputError::file(
            origin,
            "the text contains NUL bytes: UTF-16 or UTF-32 without a byte-order mark? Expected UTF-8, or UTF-16 with a byte-order mark",
        ));
    }
    Ok(text)
}

fn utf8(origin: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = e.as_bytes().get(..offset).unwrap_or_default();
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        InputError::file(
            origin,
            format!("{line}:{column}: invalid UTF-8 (byte offset {offset}): expected UTF-8, or UTF-16 with a byte-order mark (what PowerShell writes)"),
        )
    })
}
