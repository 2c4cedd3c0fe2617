//! Reading a file or standard input within a size limit, and decoding what
//! PowerShell and editors write (UTF-8 with or without BOM, UTF-16 with BOM).

use std::io::Read;
use std::path::Path;

use super::InputError;

/// The default cap on one input file (`--max-input-bytes`).
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// Reads a file (or standard input for `-`), refusing more than `max_bytes`
/// before reading it all, and decodes it to text.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, InputError> {
    let origin = path.display().to_string();
    let read_err = |source| InputError::Read {
        origin: origin.clone(),
        source,
    };
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
    } else {
        let file = std::fs::File::open(path).map_err(read_err)?;
        if let Ok(meta) = file.metadata() {
            if meta.is_file() && meta.len() > max_bytes {
                return Err(too_large(&origin, max_bytes));
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
        return Err(too_large(&origin, max_bytes));
    }
    decode(&origin, bytes)
}

fn too_large(origin: &str, max_bytes: u64) -> InputError {
    InputError::file(
        origin,
        format!("larger than the {max_bytes}-byte limit (raise it with --max-input-bytes)"),
    )
}

/// UTF-8, with or without a byte-order mark, and UTF-16 with a BOM (what
/// Windows PowerShell 5.1 writes with `Out-File` and `>`). Anything else is an error.
pub fn decode(origin: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| -> Result<String, InputError> {
        if bytes.len() % 2 != 0 {
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
