//! The ledger's files as the kinds table names them, read from a folder, and a CSV header
//! matched against a kind's columns.

use super::config::CONFIG_FILE;
use super::error::{ErrorKind, LedgerError};
use crate::model::Kind;
use std::collections::BTreeMap;

/// The ledger's files by name (`attrib.toml`, `reports.csv`, …) with their bytes. Read from a
/// folder (`read_dir`) or from a git revision (`git::files_at`).
pub type Files = BTreeMap<String, Vec<u8>>;

/// Every file name a ledger may hold: the config and each kind as CSV and as TOML.
pub fn file_names() -> Vec<String> {
    let mut names = vec![CONFIG_FILE.to_string()];
    for kind in Kind::ALL {
        names.push(kind.file_name(true).to_string());
        names.push(kind.file_name(false).to_string());
    }
    names
}

/// Reads the config and every kind's file from a folder (on two threads: the large files take a
/// while to copy). IO failures are errors; missing kind files are not (they mean "no records").
pub fn read_dir(dir: &std::path::Path) -> std::io::Result<Files> {
    let read = |names: Vec<String>| -> Vec<(String, std::io::Result<Option<Vec<u8>>>)> {
        names
            .into_iter()
            .map(|name| match std::fs::read(dir.join(&name)) {
                Ok(bytes) => (name, Ok(Some(bytes))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && name != CONFIG_FILE => {
                    (name, Ok(None))
                }
                Err(e) => {
                    let message = format!("{}: {e}", dir.join(&name).display());
                    (name, Err(std::io::Error::new(e.kind(), message)))
                }
            })
            .collect()
    };
    // every other kind (a kind is two names, CSV and TOML) to the second thread
    let (mine, theirs): (Vec<_>, Vec<_>) =
        (file_names().into_iter().enumerate()).partition(|(i, _)| i.div_ceil(2) % 2 == 0);
    let names = |v: Vec<(usize, String)>| v.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    let (mine, theirs) = crate::par::both(|| read(names(mine)), || read(names(theirs)));
    let mut files = Files::new();
    for (name, bytes) in mine.into_iter().chain(theirs) {
        if let Some(bytes) = bytes? {
            files.insert(name, bytes);
        }
    }
    Ok(files)
}

/// Where each of `kind`'s columns stands in a CSV header (by schema position), or every error
/// of the header: unknown, repeated and missing required columns.
pub fn header_positions(
    name: &str,
    kind: Kind,
    header: &[String],
) -> Result<Vec<Option<usize>>, Vec<LedgerError>> {
    let schema = kind.columns();
    let mut index: Vec<Option<usize>> = vec![None; schema.len()];
    if header.iter().all(|h| h.is_empty()) {
        return Ok(index); // an empty or blank file: no header, no rows
    }
    let mut errors = vec![];
    for (pos, h) in header.iter().enumerate() {
        match schema.iter().position(|c| c.name == h) {
            Some(i) if index[i].is_some() => {
                errors.push(LedgerError::at(
                    name,
                    1,
                    ErrorKind::DuplicateColumn(h.clone()),
                ));
            }
            Some(i) => index[i] = Some(pos),
            None if h.is_empty() && header.len() == 1 => {}
            None => errors.push(unknown_column(name, 1, kind, h)),
        }
    }
    for (i, col) in schema.iter().enumerate() {
        if col.required && index[i].is_none() && !header.is_empty() {
            let missing = ErrorKind::MissingColumn(col.name.to_string());
            errors.push(LedgerError::at(name, 1, missing));
        }
    }
    if errors.is_empty() {
        Ok(index)
    } else {
        Err(errors)
    }
}

/// A column (CSV header cell or TOML key) that `kind` does not have.
pub fn unknown_column(name: &str, line: u32, kind: Kind, column: &str) -> LedgerError {
    LedgerError::at(
        name,
        line,
        ErrorKind::UnknownColumn {
            column: column.to_string(),
            known: kind.columns().iter().map(|c| c.name.to_string()).collect(),
        },
    )
}
