//! The floor every room stands on: calendar days, product lines and their
//! version numbers, text made inert for a terminal, HTML and Mermaid, the
//! terminal-safe JSON writer, and the embedded documents decoded at build
//! time. Imports nothing else of akspol.

pub mod dates;
pub mod embedded;
pub mod html;
pub mod json;
pub mod mermaid;
pub mod product;
pub mod sanitize;
pub mod version;
pub mod wrap;

/// How standard input is named in messages and reports.
pub const STDIN_ORIGIN: &str = "<stdin>";
