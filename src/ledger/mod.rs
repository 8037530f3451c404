//! The shell's IO: finding and reading ledger files, parsing them into the model with
//! `file:line` errors, locked appends, and reading files as they stood at a git revision.
//!
//! Reading a ledger: `schema` (file names and headers, from the kinds table), `csv_text` and
//! `toml_text` (the one reading path of each format), `records` (rows into records), `checks`
//! (cross-record references).

pub mod append;
pub mod checks;
pub mod config;
pub mod csv_text;
pub mod encoding;
pub mod error;
pub mod fields;
pub mod git;
pub mod raw;
pub mod records;
pub mod schema;
pub mod toml_text;

pub use error::LedgerError;
pub use records::load;
pub use schema::{Files, read_dir};
