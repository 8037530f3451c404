//! Reads a ledger's files (CSV or TOML per kind) into `Ledger`, collecting every error: each
//! row's cells become a record by its kind's generated `Record::read`.

use super::checks::check_references;
use super::config::{CONFIG_FILE, parse_config};
use super::csv_text::{self, line_breaks, trim};
use super::encoding::{Encoding, decode};
use super::error::{Col, ErrorKind, LedgerError};
use super::schema::{Files, header_positions};
use super::toml_text;
use crate::model::{Cells, Config, FieldError, Kind, Ledger, Src};
use std::borrow::Cow;

/// Parses a whole ledger. Every error in every file is returned, not just the first.
pub fn load(files: &Files) -> Result<Ledger, Vec<LedgerError>> {
    let config_text = match files.get(CONFIG_FILE).map(|b| text_of(CONFIG_FILE, b)) {
        Some(Ok((t, _))) => t,
        Some(Err(e)) => return Err(vec![e]),
        None => {
            return Err(vec![LedgerError::file(
                CONFIG_FILE,
                ErrorKind::Unreadable("not found".into()),
            )]);
        }
    };
    let config = parse_config(&config_text)?;
    let parts = read_kinds(files, &config);
    let mut errors = vec![];
    let mut ledger = Ledger::empty(config);
    for (part, mut part_errors) in parts {
        ledger.absorb(part);
        errors.append(&mut part_errors);
    }
    check_references(&ledger, &mut errors);
    if errors.is_empty() {
        Ok(ledger)
    } else {
        Err(errors)
    }
}

/// Reads every kind's file, each into a ledger of its own, on two threads: each takes the
/// largest kind not yet taken when it is free, so neither waits long for the other however the
/// machine shares its cores. The parts come back in `Kind::ALL` order, so records and errors
/// never depend on which thread read what.
fn read_kinds(files: &Files, config: &Config) -> Vec<(Ledger, Vec<LedgerError>)> {
    // lines per kind (room for its records), and the work of its file: measured, about 300 ns
    // a row and 50 ns a cell
    let lines_of = |k: Kind| -> usize {
        [true, false]
            .map(|csv| (files.get(k.file_name(csv))).map_or(0, |b| line_breaks(b)))
            .iter()
            .sum()
    };
    let lines: Vec<usize> = Kind::ALL.iter().map(|&k| lines_of(k)).collect();
    let mut kinds = Kind::ALL.to_vec();
    kinds.sort_by_key(|&k| std::cmp::Reverse(lines[k as usize] * (6 + k.columns().len())));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read = || {
        let mut parts = vec![];
        while let Some(&kind) = kinds.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            let (mut part, mut errors) = (Ledger::empty(config.clone()), vec![]);
            part.reserve(kind, lines[kind as usize]);
            load_kind(files, kind, config, &mut part, &mut errors);
            parts.push((kind, part, errors));
        }
        parts
    };
    let (mut parts, other) = crate::par::both(read, read);
    parts.extend(other);
    parts.sort_by_key(|(kind, _, _)| *kind);
    parts.into_iter().map(|(_, l, e)| (l, e)).collect()
}

/// The file's text (UTF-8, or GB18030 as Excel writes it), BOM dropped.
pub fn text_of<'a>(name: &str, bytes: &'a [u8]) -> Result<(Cow<'a, str>, Encoding), LedgerError> {
    decode(bytes).ok_or_else(|| not_text(name, bytes))
}

/// A file that is neither UTF-8 nor GB18030, placed at the line and byte (1-based, counted in
/// the file) of its first byte that is not UTF-8, so a clerk can find the cell Excel mangled.
fn not_text(name: &str, bytes: &[u8]) -> LedgerError {
    let at = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let line = 1 + line_breaks(&bytes[..at]) as u32;
    let (byte, value) = (at + 1, bytes.get(at).copied().unwrap_or(0));
    LedgerError::at(name, line, ErrorKind::NotUtf8 { byte, value })
}

/// Reads `kind`'s file (CSV or TOML; both is an error) into `part`.
fn load_kind(
    files: &Files,
    kind: Kind,
    config: &Config,
    part: &mut Ledger,
    errors: &mut Vec<LedgerError>,
) {
    let csv_name = kind.file_name(true);
    let toml_name = kind.file_name(false);
    let (name, bytes, csv) = match (files.get(csv_name), files.get(toml_name)) {
        (Some(_), Some(_)) => {
            let stem = kind.file_stem().into();
            return errors.push(LedgerError::file(csv_name, ErrorKind::BothFormats { stem }));
        }
        (Some(b), None) => (csv_name, b, true),
        (None, Some(b)) => (toml_name, b, false),
        (None, None) => return,
    };
    let text = match text_of(name, bytes) {
        Ok((t, Encoding::Utf8)) => t,
        Ok((t, Encoding::Gb18030)) => {
            part.decoded_gb18030.push(name.to_string());
            t
        }
        Err(e) => return errors.push(e),
    };
    if csv {
        read_csv(name, &text, kind, config, part, errors);
    } else {
        let in_order: Vec<Option<usize>> = (0..kind.columns().len()).map(Some).collect();
        toml_text::rows(name, &text, kind, errors, &mut |line, cells, errors| {
            let (index, positions) = (&in_order[..], &[][..]);
            let csv = false;
            let mut row = Row {
                line,
                kind,
                csv,
                cells,
                index,
                positions,
                config,
                errors,
            };
            part.push_row(kind, &mut row);
        });
    }
}

/// A CSV file's rows: its header matched to the kind's columns, then each row read.
fn read_csv(
    name: &str,
    text: &str,
    kind: Kind,
    config: &Config,
    part: &mut Ledger,
    errors: &mut Vec<LedgerError>,
) {
    let (header, body) = match csv_text::header(text) {
        Ok(h) => h,
        Err((line, message)) => {
            return errors.push(LedgerError::at(name, line, ErrorKind::Syntax(message)));
        }
    };
    let index = match header_positions(name, kind, &header) {
        Ok(index) => index,
        Err(mut header_errors) => return errors.append(&mut header_errors),
    };
    let positions: Vec<Option<usize>> = index.iter().map(|p| p.map(|p| p + 1)).collect();
    let mut take = |line: u32, cells: &[Cow<str>]| {
        if cells.iter().all(|c| trim(c).is_empty()) {
            return;
        }
        if cells.len() != header.len() {
            let (found, expected) = (cells.len(), header.len());
            let e = ErrorKind::CellCount { found, expected };
            return errors.push(LedgerError::at(name, line, e));
        }
        let (index, positions, csv) = (&index[..], &positions[..], true);
        let errors = &mut *errors;
        let mut row = Row {
            line,
            kind,
            csv,
            cells,
            index,
            positions,
            config,
            errors,
        };
        part.push_row(kind, &mut row);
    };
    if let Some((line, message)) = csv_text::rows(text, body, &mut take) {
        errors.push(LedgerError::at(name, line, ErrorKind::Syntax(message)));
    }
}

/// One row being read: its cells, where each schema column stands among them, and the file's
/// error list.
struct Row<'a, 'e> {
    line: u32,
    kind: Kind,
    /// Whether the row is a CSV row (else TOML): with the kind, it names the file.
    csv: bool,
    cells: &'a [Cow<'a, str>],
    /// Position in `cells` per schema column.
    index: &'a [Option<usize>],
    /// CSV column numbers (1-based) per schema column; empty for TOML rows.
    positions: &'a [Option<usize>],
    config: &'a Config,
    errors: &'e mut Vec<LedgerError>,
}

impl<'a> Cells<'a> for Row<'a, '_> {
    fn config(&self) -> &Config {
        self.config
    }

    fn cell(&self, col: usize) -> Option<&'a str> {
        let cells: &'a [Cow<'a, str>] = self.cells;
        let cell = self.index[col].and_then(|p| cells.get(p))?;
        Some(trim(cell)).filter(|s| !s.is_empty())
    }

    fn fail(&mut self, col: usize, e: FieldError) {
        let name = self.kind.columns()[col].name;
        let col = match self.positions.get(col) {
            Some(Some(n)) => Col::Csv(*n, name.to_string()),
            _ => Col::Key(name.to_string()),
        };
        self.errors.push(LedgerError {
            file: self.src().file().to_string(),
            line: self.line,
            col: Some(col),
            kind: ErrorKind::Field(e),
        });
    }

    fn src(&self) -> Src {
        Src::new(self.kind, self.csv, self.line)
    }
}
