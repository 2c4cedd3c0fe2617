//! The floor every room stands on: calendar days, product lines and their
//! version numbers, text made inert for a terminal, HTML and Mermaid, the
//! terminal-safe JSON writer, and the embedded documents decoded at build
//! time. Imports nothing else of akspol.

pub mod dates;
pub mod embedded;
pub mod grid;
pub mod html;
pub mod json;
pub mod mermaid;
pub mod product;
pub mod sanitize;
pub mod version;
pub mod wrap;

/// How standard input is named in messages and reports.
pub const STDIN_ORIGIN: &str = "<stdin>";

/// FNV-1a (64-bit) of `bytes`, in hex: a short, stable identifier, the same
/// on every run and platform (a finding's fingerprint, a cache's digest).
/// Not for secrets.
pub fn fnv1a_hex(bytes: impl IntoIterator<Item = u8>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}
