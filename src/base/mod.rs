//! The floor every room stands on: calendar days, version numbers, and text
//! made inert for a terminal. Imports nothing else of akspol.

pub mod dates;
pub mod sanitize;
pub mod version;
