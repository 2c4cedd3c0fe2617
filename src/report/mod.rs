//! Reports: one renderer per output format of `check`. A renderer reads the
//! findings model ([`crate::findings::Report`]) and nothing else; rules never
//! print, and only this room formats findings.

pub mod github;
pub mod header;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use std::io::{self, Write};

use crate::findings::{Report, Summary};

/// How to render: what only the caller knows.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub color: bool,
    /// Width the table may take.
    pub width: u16,
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
    Sarif,
    Junit,
    Github,
}

impl Format {
    /// Whether the format points into the inventory file (and needs its lines).
    pub fn needs_lines(self) -> bool {
        matches!(self, Format::Sarif | Format::Github)
    }

    /// Whether the format shows each cluster's support coverage.
    pub fn needs_coverage(self) -> bool {
        matches!(self, Format::Table | Format::Markdown)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }

    pub fn render(
        self,
        report: &Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Format::Table => table::render(report, options, out),
            Format::Json => json::render(report, out),
            Format::Markdown => markdown::render(report, out),
            Format::Sarif => sarif::render(report, out),
            Format::Junit => junit::render(report, out),
            Format::Github => github::render(report, out),
        }
    }
}

/// The tool's version, as reports print it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A short, stable identifier of a finding: FNV-1a (64-bit) of the rule code
/// and the scope label, in hex. Deterministic across runs and platforms, so CI
/// systems can track a finding from one run to the next.
pub fn fingerprint(rule: &str, scope: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rule.bytes().chain([0u8]).chain(scope.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `3 fail, 2 warn, 14 pass`: the non-zero counts, worst first.
pub fn counts_text(s: &Summary) -> String {
    [
        (s.fail, "fail"),
        (s.warn, "warn"),
        (s.unknown, "unknown"),
        (s.pass, "pass"),
        (s.info, "info"),
        (s.skip, "skip"),
        (s.waived, "waived"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect::<Vec<_>>()
    .join(", ")
}
