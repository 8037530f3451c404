//! The shell's IO: finding and reading ledger files, parsing them into the model with
//! `file:line` errors, locked appends, and reading files as they stood at a git revision.

pub mod append;
pub mod config;
pub mod encoding;
pub mod error;
pub mod fields;
pub mod git;
pub mod load;
pub mod raw;

pub use error::LedgerError;
pub use load::{Files, load, read_dir};
