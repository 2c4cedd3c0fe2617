//! A fleet from Azure Resource Graph: every Azure Local instance, its
//! updates and its AKS Arc clusters from three `az graph query` queries
//! ([`queries`], `data/sources/inputs-azure.md` §2.4), run page by page
//! ([`live`]) or read from saved answers ([`saved`]), each page read into
//! typed rows ([`page`]), joined here ([`assemble`], §3) into one inventory
//! per instance, written line by line as NDJSON ([`written`]).
//! Nothing here prints, writes a file or reads the clock.

pub mod answers;
mod assemble;
pub mod live;
pub mod page;
pub mod queries;
pub mod saved;
pub mod written;

pub use assemble::{assemble, Options, Summary};
pub use queries::{default_az, Query, Scope};
pub use written::Record;
