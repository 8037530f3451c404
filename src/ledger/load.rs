//! Reads a ledger's files (CSV or TOML per kind) into `Ledger`, collecting every error.

use super::config::{CONFIG_FILE, parse_config, value_text};
use super::encoding::{Encoding, decode};
use super::error::{Col, ErrorKind, LedgerError};
use super::fields::{
    FieldError, parse_decimal, parse_enum, parse_name, parse_phone, parse_time, parse_u32,
};
use crate::model::*;
use chrono::FixedOffset;
use rust_decimal::Decimal;
use rustc_hash::FxBuildHasher;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// The ledger's files by name (`attrib.toml`, `reports.csv`, …) with their bytes. Read from a
/// folder (`read_dir`) or from a git revision (`git::files_at`).
pub type Files = BTreeMap<String, Vec<u8>>;

/// The columns of a kind: name and whether it is required (RULES.md section 2).
pub fn columns(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        Kind::Report => &[
            ("id", true),
            ("at", true),
            ("channel", true),
            ("broker", true),
            ("client", true),
            ("phone", true),
            ("note", false),
        ],
        Kind::Contact => &[
            ("id", true),
            ("at", true),
            ("kind", true),
            ("phone", true),
            ("client", false),
            ("consultant", false),
            ("channel", false),
            ("broker", false),
            ("slip", false),
            ("confirmed_by", false),
            ("note", false),
        ],
        Kind::Slip => &[
            ("slip", true),
            ("at", true),
            ("role", true),
            ("signer", true),
        ],
        Kind::Direct => &[
            ("id", true),
            ("presented_at", true),
            ("phone", true),
            ("client", false),
            ("unit", false),
            ("area", false),
            ("list_unit_price", false),
            ("unit_price", false),
            ("total", false),
            ("other", false),
            ("request", false),
            ("client_signature", false),
            ("developer_signer", false),
            ("agency_signer", false),
        ],
        Kind::Booking => &[
            ("id", true),
            ("at", true),
            ("unit", true),
            ("buyer", true),
            ("phone", true),
            ("area", false),
            ("list_price", true),
            ("price", true),
            ("payment", false),
            ("consultant", false),
            ("discount", false),
            ("deposit", false),
            ("note", false),
        ],
        Kind::Discount => &[
            ("id", true),
            ("at", true),
            ("phone", true),
            ("unit", true),
            ("client", false),
            ("list_unit_price", false),
            ("unit_price", false),
            ("reason", false),
            ("developer_signer", false),
            ("agency_signer", false),
        ],
        Kind::Violation => &[
            ("id", true),
            ("at", true),
            ("kind", true),
            ("channel", true),
            ("broker", false),
            ("persons", false),
            ("phone", false),
            ("damages", false),
            ("evidence", false),
        ],
        Kind::Relation => &[
            ("id", true),
            ("at", true),
            ("phone", true),
            ("relation", true),
            ("other_phone", true),
            ("note", false),
        ],
        Kind::Void => &[
            ("id", true),
            ("at", true),
            ("ref", true),
            ("reason", true),
            ("by", false),
        ],
    }
}

pub const CONTACT_KINDS: [(&str, ContactKind); 3] = [
    ("call", ContactKind::Call),
    ("visit", ContactKind::Visit),
    ("followup", ContactKind::Followup),
];
pub const PAYMENTS: [(&str, Payment); 4] = [
    ("full", Payment::Full),
    ("installment", Payment::Installment),
    ("mortgage", Payment::Mortgage),
    ("provident", Payment::Provident),
];
pub const VIOLATION_KINDS: [(&str, ViolationKind); 4] = [
    ("zone", ViolationKind::Zone),
    ("false_info", ViolationKind::FalseInfo),
    ("order_swap", ViolationKind::OrderSwap),
    ("cutting", ViolationKind::Cutting),
];
pub const RELATIONS: [(&str, RelationKind); 5] = [
    ("spouse", RelationKind::Spouse),
    ("parent", RelationKind::Parent),
    ("child", RelationKind::Child),
    ("sibling", RelationKind::Sibling),
    ("same_person", RelationKind::SamePerson),
];

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
        absorb(&mut ledger, part);
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
    let lines = Kind::ALL.map(|k| {
        [true, false]
            .map(|csv| (files.get(k.file_name(csv))).map_or(0, |b| line_breaks(b)))
            .iter()
            .sum::<usize>()
    });
    let lines_of = |k: Kind| lines[Kind::ALL.iter().position(|x| *x == k).unwrap_or(0)];
    let mut kinds = Kind::ALL;
    kinds.sort_by_key(|&k| std::cmp::Reverse(lines_of(k) * (6 + columns(k).len())));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read = || {
        let mut parts = vec![];
        while let Some(&kind) = kinds.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            let (mut part, mut errors) = (Ledger::empty(config.clone()), vec![]);
            reserve(&mut part, kind, lines_of(kind));
            load_kind(files, kind, &mut part, &mut errors);
            parts.push((kind, part, errors));
        }
        parts
    };
    let (mut parts, other) = crate::par::both(read, read);
    parts.extend(other);
    parts.sort_by_key(|(kind, _, _)| Kind::ALL.iter().position(|k| k == kind));
    parts.into_iter().map(|(_, l, e)| (l, e)).collect()
}

/// Moves a part's records into the ledger (a part holds one kind; its list moves whole).
fn absorb(l: &mut Ledger, part: Ledger) {
    fn take<T>(to: &mut Vec<T>, from: Vec<T>) {
        if to.is_empty() {
            *to = from;
        } else {
            to.extend(from);
        }
    }
    take(&mut l.reports, part.reports);
    take(&mut l.contacts, part.contacts);
    take(&mut l.signatures, part.signatures);
    take(&mut l.directs, part.directs);
    take(&mut l.bookings, part.bookings);
    take(&mut l.discounts, part.discounts);
    take(&mut l.violations, part.violations);
    take(&mut l.relations, part.relations);
    take(&mut l.voids, part.voids);
    take(&mut l.decoded_gb18030, part.decoded_gb18030);
}

/// The file's text (UTF-8, or GB18030 as Excel writes it); noted in `ledger.decoded_gb18030`.
fn text_of<'a>(name: &str, bytes: &'a [u8]) -> Result<(Cow<'a, str>, Encoding), LedgerError> {
    decode(bytes).ok_or_else(|| LedgerError::file(name, ErrorKind::NotUtf8))
}

fn load_kind(files: &Files, kind: Kind, ledger: &mut Ledger, errors: &mut Vec<LedgerError>) {
    let csv_name = kind.file_name(true);
    let toml_name = kind.file_name(false);
    let (name, bytes, is_csv) = match (files.get(csv_name), files.get(toml_name)) {
        (Some(_), Some(_)) => {
            errors.push(LedgerError::file(
                csv_name,
                ErrorKind::BothFormats {
                    stem: kind.file_stem().into(),
                },
            ));
            return;
        }
        (Some(b), None) => (csv_name, b, true),
        (None, Some(b)) => (toml_name, b, false),
        (None, None) => return,
    };
    let text = match text_of(name, bytes) {
        Ok((t, Encoding::Utf8)) => t,
        Ok((t, Encoding::Gb18030)) => {
            ledger.decoded_gb18030.push(name.to_string());
            t
        }
        Err(e) => return errors.push(e),
    };
    let tz = ledger.config.timezone;
    let mut sink = |row: &mut Row| add_record(kind, row, ledger);
    if is_csv {
        read_csv(name, &text, kind, tz, errors, &mut sink);
    } else {
        read_toml(name, &text, kind, tz, errors, &mut sink);
    }
}

/// Room for `rows` more records of `kind`, so a million rows are not copied as their list grows.
fn reserve(l: &mut Ledger, kind: Kind, rows: usize) {
    match kind {
        Kind::Report => l.reports.reserve_exact(rows),
        Kind::Contact => l.contacts.reserve_exact(rows),
        Kind::Slip => l.signatures.reserve_exact(rows),
        Kind::Direct => l.directs.reserve_exact(rows),
        Kind::Booking => l.bookings.reserve_exact(rows),
        Kind::Discount => l.discounts.reserve_exact(rows),
        Kind::Violation => l.violations.reserve_exact(rows),
        Kind::Relation => l.relations.reserve_exact(rows),
        Kind::Void => l.voids.reserve_exact(rows),
    }
}

/// One row being read: its cells, where each schema column is among them, and the errors found
/// so far.
pub struct Row<'a> {
    line: u32,
    kind: Kind,
    cells: &'a [Cow<'a, str>],
    /// Position in `cells` per schema column.
    index: &'a [Option<usize>],
    /// CSV column numbers (1-based) per schema column; empty for TOML rows.
    positions: &'a [Option<usize>],
    /// Whether the row is a CSV row (else TOML): with the kind, it names the file.
    csv: bool,
    tz: FixedOffset,
    errors: Vec<LedgerError>,
    /// The schema position after the column read last (see `index`).
    next: usize,
}

impl<'a> Row<'a> {
    /// The schema position of column `name`. Records read their columns in schema order, so
    /// the column after the last one asked for is tried first.
    fn index(&mut self, name: &str) -> usize {
        let schema = columns(self.kind);
        let i = match schema.get(self.next) {
            // the same literal is usually the same address: no need to compare the bytes
            Some((n, _)) if std::ptr::eq(*n, name) || *n == name => self.next,
            _ => schema
                .iter()
                .position(|(n, _)| *n == name)
                .expect("column names come from the schema"),
        };
        self.next = i + 1;
        i
    }

    fn src(&self) -> Src {
        Src::new(self.kind, self.csv, self.line)
    }

    fn fail(&mut self, name: &str, e: FieldError) {
        let i = self.index(name);
        let col = match self.positions.get(i) {
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

    /// The raw cell; a missing required cell is an error.
    fn cell(&mut self, name: &str) -> Option<&'a str> {
        let i = self.index(name);
        let v = (self.index[i].and_then(|p| self.cells.get(p)))
            .map(|c| trim(c))
            .filter(|s| !s.is_empty());
        if v.is_none() && columns(self.kind)[i].1 {
            self.fail(name, FieldError::Required);
        }
        v
    }

    fn parsed<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        let v = self.cell(name)?;
        f(v).map_err(|e| self.fail(name, e)).ok()
    }

    fn text(&mut self, name: &str) -> Option<Text> {
        self.cell(name).map(Text::from)
    }

    fn time(&mut self, name: &str) -> Option<Time> {
        let tz = self.tz;
        self.parsed(name, |s| parse_time(s, tz))
    }

    fn phone(&mut self, name: &str) -> Option<Phone> {
        self.parsed(name, parse_phone)
    }

    fn decimal(&mut self, name: &str) -> Option<Decimal> {
        self.parsed(name, parse_decimal)
    }

    fn choice<T: Copy>(&mut self, name: &str, options: &[(&str, T)]) -> Option<T> {
        self.parsed(name, |s| parse_enum(s, options))
    }
}

/// Builds one record from a row and pushes it onto its kind's list; on any field error the row's
/// errors are kept instead.
fn add_record(kind: Kind, r: &mut Row, l: &mut Ledger) {
    let src = r.src();
    match kind {
        Kind::Report => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let at = r.time("at");
            let channel = r.text("channel");
            let broker = r.text("broker");
            let client = r.text("client");
            let phone = r.phone("phone");
            let note = r.text("note");
            let rec = (|| {
                Some(Report {
                    id: id?,
                    at: at?,
                    channel: channel?,
                    broker: broker?,
                    client: client?,
                    phone: phone?,
                    note,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.reports);
        }
        Kind::Contact => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let at = r.time("at");
            let kind = r.choice("kind", &CONTACT_KINDS);
            let phone = r.phone("phone");
            let client = r.text("client");
            let consultant = r.text("consultant");
            let channel = r.text("channel");
            let broker = r.text("broker");
            let slip = r.text("slip");
            let confirmed_by = r.text("confirmed_by");
            let note = r.text("note");
            let rec = (|| {
                Some(Contact {
                    id: id?,
                    at: at?,
                    kind: kind?,
                    phone: phone?,
                    client,
                    consultant,
                    channel,
                    broker,
                    slip,
                    confirmed_by,
                    note,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.contacts);
        }
        Kind::Slip => {
            // every field is read (and its error kept) before any is required
            let roles = &l.config.slip_roles;
            let slip = r.text("slip");
            let at = r.time("at");
            let role = r.parsed("role", |s| {
                let i = parse_name(s, roles.iter().map(String::as_str))?;
                Ok(Text::from(roles[i].as_str()))
            });
            let signer = r.text("signer");
            let rec = (|| {
                Some(Signature {
                    slip: slip?,
                    at: at?,
                    role: role?,
                    signer: signer?,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.signatures);
        }
        Kind::Direct => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let presented_at = r.time("presented_at");
            let phone = r.phone("phone");
            let client = r.text("client");
            let unit = r.text("unit");
            let area = r.decimal("area");
            let list_unit_price = r.decimal("list_unit_price");
            let unit_price = r.decimal("unit_price");
            let total = r.decimal("total");
            let other = r.text("other");
            let request = r.text("request");
            let client_signature = r.text("client_signature");
            let developer_signer = r.text("developer_signer");
            let agency_signer = r.text("agency_signer");
            let rec = (|| {
                Some(Direct {
                    id: id?,
                    presented_at: presented_at?,
                    phone: phone?,
                    client,
                    unit,
                    area,
                    list_unit_price,
                    unit_price,
                    total,
                    other,
                    request,
                    client_signature,
                    developer_signer,
                    agency_signer,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.directs);
        }
        Kind::Booking => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let at = r.time("at");
            let unit = r.text("unit");
            let buyer = r.text("buyer");
            let phone = r.phone("phone");
            let area = r.decimal("area");
            let list_price = r.decimal("list_price");
            let price = r.decimal("price");
            let payment = r.choice("payment", &PAYMENTS);
            let consultant = r.text("consultant");
            let discount = r.text("discount");
            let deposit = r.decimal("deposit");
            let note = r.text("note");
            let rec = (|| {
                Some(Booking {
                    id: id?,
                    at: at?,
                    unit: unit?,
                    buyer: buyer?,
                    phone: phone?,
                    area,
                    list_price: list_price?,
                    price: price?,
                    payment,
                    consultant,
                    discount,
                    deposit,
                    note,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.bookings);
        }
        Kind::Discount => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let at = r.time("at");
            let phone = r.phone("phone");
            let unit = r.text("unit");
            let client = r.text("client");
            let list_unit_price = r.decimal("list_unit_price");
            let unit_price = r.decimal("unit_price");
            let reason = r.text("reason");
            let developer_signer = r.text("developer_signer");
            let agency_signer = r.text("agency_signer");
            let rec = (|| {
                Some(Discount {
                    id: id?,
                    at: at?,
                    phone: phone?,
                    unit: unit?,
                    client,
                    list_unit_price,
                    unit_price,
                    reason,
                    developer_signer,
                    agency_signer,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.discounts);
        }
        Kind::Violation => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let at = r.time("at");
            let kind = r.choice("kind", &VIOLATION_KINDS);
            let channel = r.text("channel");
            let broker = r.text("broker");
            let persons = r.parsed("persons", parse_u32);
            let phone = r.phone("phone");
            let damages = r.decimal("damages");
            let evidence = r.text("evidence");
            let rec = (|| {
                Some(Violation {
                    id: id?,
                    at: at?,
                    kind: kind?,
                    channel: channel?,
                    broker,
                    persons,
                    phone,
                    damages,
                    evidence,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.violations);
        }
        Kind::Relation => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let at = r.time("at");
            let phone = r.phone("phone");
            let relation = r.choice("relation", &RELATIONS);
            let other_phone = r.phone("other_phone");
            let note = r.text("note");
            let rec = (|| {
                Some(Relation {
                    id: id?,
                    at: at?,
                    phone: phone?,
                    relation: relation?,
                    other_phone: other_phone?,
                    note,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.relations);
        }
        Kind::Void => {
            // every field is read (and its error kept) before any is required
            let id = r.text("id");
            let at = r.time("at");
            let target = r.text("ref");
            let reason = r.text("reason");
            let by = r.text("by");
            let rec = (|| {
                Some(Void {
                    id: id?,
                    at: at?,
                    target: target?,
                    reason: reason?,
                    by,
                    src,
                })
            })();
            push_if_clean(r, rec, &mut l.voids);
        }
    }
}

/// Keeps the record only when its row had no error; the row's errors stay on the row.
fn push_if_clean<T>(r: &Row, rec: Option<T>, list: &mut Vec<T>) {
    if let (true, Some(rec)) = (r.errors.is_empty(), rec) {
        list.push(rec);
    }
}

fn read_csv(
    name: &'static str,
    text: &str,
    kind: Kind,
    tz: FixedOffset,
    errors: &mut Vec<LedgerError>,
    sink: &mut dyn FnMut(&mut Row),
) {
    let schema = columns(kind);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return errors.push(LedgerError::at(name, 1, ErrorKind::Syntax(e.to_string()))),
    };
    // schema column -> position in the file
    let mut index: Vec<Option<usize>> = vec![None; schema.len()];
    let mut bad_header = false;
    for (pos, h) in headers.iter().enumerate() {
        let h = String::from_utf8_lossy(h).trim().to_string();
        match schema.iter().position(|(n, _)| *n == h) {
            Some(i) if index[i].is_some() => {
                bad_header = true;
                errors.push(LedgerError::at(name, 1, ErrorKind::DuplicateColumn(h)));
            }
            Some(i) => index[i] = Some(pos),
            None if h.is_empty() && headers.len() == 1 => {}
            None => {
                bad_header = true;
                errors.push(LedgerError::at(
                    name,
                    1,
                    ErrorKind::UnknownColumn {
                        column: h,
                        known: schema.iter().map(|(n, _)| n.to_string()).collect(),
                    },
                ));
            }
        }
    }
    for (i, (col, required)) in schema.iter().enumerate() {
        if *required && index[i].is_none() && !headers.is_empty() {
            bad_header = true;
            errors.push(LedgerError::at(
                name,
                1,
                ErrorKind::MissingColumn(col.to_string()),
            ));
        }
    }
    if bad_header {
        return;
    }
    let positions: Vec<Option<usize>> = index.iter().map(|p| p.map(|p| p + 1)).collect();
    let mut take = |line: u32, cells: &[Cow<str>]| {
        if cells.iter().all(|c| trim(c).is_empty()) {
            return;
        }
        if cells.len() != headers.len() {
            errors.push(LedgerError::at(
                name,
                line,
                ErrorKind::CellCount {
                    found: cells.len(),
                    expected: headers.len(),
                },
            ));
            return;
        }
        let mut row = Row {
            line,
            kind,
            cells,
            index: &index,
            positions: &positions,
            csv: true,
            tz,
            errors: vec![],
            next: 0,
        };
        sink(&mut row);
        errors.append(&mut row.errors);
    };
    if let Some((line, message)) = rows(text, &mut rdr, &mut take) {
        errors.push(LedgerError::at(name, line, ErrorKind::Syntax(message)));
    }
}

/// A row's line and cells.
type Take<'f, 't> = &'f mut dyn FnMut(u32, &[Cow<'t, str>]);

/// Each record after the header (which `rdr` has read) to `take`, with its line; a syntax error
/// ends the records and is returned with its line.
fn rows<'t>(
    text: &'t str,
    rdr: &mut csv::Reader<&[u8]>,
    take: Take<'_, 't>,
) -> Option<(u32, String)> {
    let body = rdr.position().byte() as usize;
    if is_plain(&text.as_bytes()[body..]) {
        plain_rows(text, body, take);
        None
    } else {
        csv_rows(text, rdr, take)
    }
}

/// The records of plain rows (`is_plain`) from byte `body` on: lines cut at newlines (a carriage
/// return before one dropped, blank lines skipped), cells cut at commas (by a byte loop: cells
/// are a few bytes long, too short for a vectorised search to pay).
fn plain_rows<'t>(text: &'t str, body: usize, take: Take<'_, 't>) {
    let bytes = text.as_bytes();
    let mut line_no = 1 + line_breaks(&bytes[..body]) as u32;
    let (mut start, mut cells) = (body, vec![]);
    let ends = memchr::memchr_iter(b'\n', &bytes[body..]).map(|i| body + i);
    for end in ends.chain(std::iter::once(bytes.len())) {
        let line = &text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !line.is_empty() {
            cells.clear();
            let mut from = 0;
            for (i, &b) in line.as_bytes().iter().enumerate() {
                if b == b',' {
                    cells.push(Cow::Borrowed(&line[from..i]));
                    from = i + 1;
                }
            }
            cells.push(Cow::Borrowed(&line[from..]));
            take(line_no, &cells);
        }
        (start, line_no) = (end + 1, line_no + 1);
    }
}

/// The records as the csv reader reads them.
fn csv_rows<'t>(
    text: &'t str,
    rdr: &mut csv::Reader<&[u8]>,
    take: Take<'_, 't>,
) -> Option<(u32, String)> {
    let mut record = csv::ByteRecord::new();
    let mut cells = vec![];
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => return Some((e.position().map_or(0, |p| p.line() as u32), e.to_string())),
        }
        let line = record
            .position()
            .map(|p| lines.line_at(p.byte()))
            .unwrap_or(0);
        cells_of(text, &record, &mut cells);
        take(line, &cells);
    }
}

/// Whether CSV rows can be cut at newlines and commas as they stand: no quotes (nothing to
/// unescape, no newline inside a cell) and every carriage return ends a line. Such rows are what
/// the csv reader would read, without its state machine and copies.
fn is_plain(rows: &[u8]) -> bool {
    memchr::memchr(b'"', rows).is_none()
        && memchr::memchr_iter(b'\r', rows).all(|i| rows.get(i + 1) == Some(&b'\n'))
}

/// How many newlines the bytes hold.
pub fn line_breaks(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Turns byte offsets of CSV records into 1-based line numbers (the csv crate's own line count
/// skips blank lines), counting newlines once as the offsets grow.
pub struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// The line of the record starting at byte offset `byte` (offsets must not go backwards);
    /// blank lines before the record are skipped, as the csv reader skips them.
    pub fn line_at(&mut self, byte: u64) -> u32 {
        let byte = record_start(self.text, byte);
        if byte >= self.pos {
            // a record or two apart: a plain count beats memchr's setup
            self.line += self.text[self.pos..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32;
            self.pos = byte;
        }
        self.line
    }
}

/// `str::trim`, with a shortcut for the usual cell that starts and ends with a visible character
/// (an id, a time, a phone, an amount, a name).
fn trim(s: &str) -> &str {
    let visible = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if visible(s.chars().next()) && visible(s.chars().next_back()) {
        s
    } else {
        s.trim()
    }
}

/// Where the record the csv reader places at `byte` starts: past the blank lines it skipped.
fn record_start(text: &[u8], byte: u64) -> usize {
    let mut byte = (byte as usize).min(text.len());
    while byte < text.len() && matches!(text[byte], b'\n' | b'\r') {
        byte += 1;
    }
    byte
}

/// A CSV record's cells as text, into `out`. A record without quotes is cut from the text itself
/// (which is valid UTF-8 already, so nothing is checked or copied twice); a quoted record, whose
/// cells the reader unescaped, is taken from the reader's copy.
fn cells_of<'t>(text: &'t str, record: &csv::ByteRecord, out: &mut Vec<Cow<'t, str>>) {
    out.clear();
    let start = record
        .position()
        .map_or(0, |p| record_start(text.as_bytes(), p.byte()));
    let commas = record.len().saturating_sub(1);
    let plain = text
        .get(start..start + record.as_slice().len() + commas)
        .filter(|raw| !raw.contains('"'));
    if plain.is_some() {
        for (i, range) in (0..record.len()).filter_map(|i| Some((i, record.range(i)?))) {
            if let Some(cell) = text.get(start + i + range.start..start + i + range.end) {
                out.push(Cow::Borrowed(cell));
            }
        }
        if out.len() == record.len() {
            return;
        }
        out.clear();
    }
    out.extend(
        record
            .iter()
            .map(|c| Cow::Owned(String::from_utf8_lossy(c).into_owned())),
    );
}

/// Line numbers of each `[[table]]` header in a TOML text, in order.
pub fn table_lines(text: &str, table: &str) -> Vec<u32> {
    let header = format!("[[{table}]]");
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start();
            l.strip_prefix(&header)
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

fn read_toml(
    name: &'static str,
    text: &str,
    kind: Kind,
    tz: FixedOffset,
    errors: &mut Vec<LedgerError>,
    sink: &mut dyn FnMut(&mut Row),
) {
    let schema = columns(kind);
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let line = e
                .span()
                .map(|s| text[..s.start].lines().count().max(1) as u32)
                .unwrap_or(0);
            return errors.push(LedgerError::at(
                name,
                line,
                ErrorKind::Syntax(e.message().to_string()),
            ));
        }
    };
    let singular = kind.singular();
    for key in table.keys().filter(|k| *k != singular) {
        errors.push(LedgerError::file(
            name,
            ErrorKind::Syntax(format!(
                "「{key}」 is not [[{singular}]]; this file holds only [[{singular}]] tables"
            )),
        ));
    }
    let Some(items) = table.get(singular) else {
        return;
    };
    let Some(items) = items.as_array() else {
        return errors.push(LedgerError::file(
            name,
            ErrorKind::Syntax(format!(
                "{singular} must be written as [[{singular}]] tables"
            )),
        ));
    };
    let lines = table_lines(text, singular);
    let in_order: Vec<Option<usize>> = (0..schema.len()).map(Some).collect();
    for (n, item) in items.iter().enumerate() {
        let line = lines.get(n).copied().unwrap_or(0);
        let Some(t) = item.as_table() else { continue };
        let mut values: Vec<Option<String>> = vec![None; schema.len()];
        let mut bad = false;
        for (k, v) in t {
            match schema.iter().position(|(c, _)| c == k) {
                Some(i) => match value_text(v) {
                    Some(s) => values[i] = Some(local_toml_datetime(v, s)),
                    None => {
                        bad = true;
                        errors.push(LedgerError {
                            file: name.into(),
                            line,
                            col: Some(Col::Key(k.clone())),
                            kind: ErrorKind::Syntax("must be a string or a number".into()),
                        });
                    }
                },
                None => {
                    bad = true;
                    errors.push(LedgerError::at(
                        name,
                        line,
                        ErrorKind::UnknownColumn {
                            column: k.clone(),
                            known: schema.iter().map(|(n, _)| n.to_string()).collect(),
                        },
                    ));
                }
            }
        }
        if bad {
            continue;
        }
        let cells: Vec<Cow<str>> = (values.iter())
            .map(|v| Cow::Borrowed(v.as_deref().unwrap_or("")))
            .collect();
        let mut row = Row {
            line,
            kind,
            cells: &cells,
            index: &in_order,
            positions: &[],
            csv: false,
            tz,
            errors: vec![],
            next: 0,
        };
        sink(&mut row);
        errors.append(&mut row.errors);
    }
}

/// A TOML local date-time (`2026-03-01T09:30:00`, no offset) is a local time in the project zone.
fn local_toml_datetime(v: &toml::Value, s: String) -> String {
    match v {
        toml::Value::Datetime(d) if d.offset.is_none() && d.time.is_some() => {
            s.replacen('T', " ", 1)
        }
        _ => s,
    }
}

fn place(src: &Src) -> String {
    format!("{}:{}", src.file(), src.line)
}

/// Cross-record checks: unique ids, references, channels known to the config, channel visits
/// complete, no cycles of voids. The checks on channels run on a second thread.
fn check_references(l: &Ledger, errors: &mut Vec<LedgerError>) {
    let (ids, mut channels) = crate::par::both(|| Ids::of(l), || channel_links(l));
    errors.append(&mut ids.duplicates(l));
    errors.append(&mut channels);
    errors.append(&mut void_links(l, |id| ids.contains(l, id)));
    let zone_without_fee = l.config.unit_agency_fee.is_zero()
        && l.violations.iter().any(|v| v.kind == ViolationKind::Zone);
    if zone_without_fee {
        errors.push(LedgerError::file(
            CONFIG_FILE,
            ErrorKind::Config(
                "penalties.unit_agency_fee: a zone violation needs one unit's agency fee".into(),
            ),
        ));
    }
}

/// The kinds whose records have ids, in the order their duplicates are reported (slip ids are
/// their own namespace).
const ID_KINDS: [Kind; 8] = [
    Kind::Report,
    Kind::Contact,
    Kind::Direct,
    Kind::Booking,
    Kind::Discount,
    Kind::Violation,
    Kind::Relation,
    Kind::Void,
];

/// Every record id, as (hash of the id, position), sorted. A position is the rank of the kind in
/// `ID_KINDS` (top bits) and the index in its list, so equal ids sort in the order they are
/// reported. Sorting these small pairs is faster than inserting 700,000 strings into a hash map,
/// whose probes miss the cache.
struct Ids(Vec<(u64, u32)>);

impl Ids {
    /// Hashed and sorted in two halves (the first and second half of every kind's list, on two
    /// threads), then merged.
    fn of(l: &Ledger) -> Ids {
        let keys = |half: usize| {
            let mut keys = Vec::with_capacity(l.rows() / 2 + ID_KINDS.len());
            for (rank, &kind) in ID_KINDS.iter().enumerate() {
                let n = l.count(kind);
                let range = if half == 0 { 0..n / 2 } else { n / 2..n };
                keys.extend(range.map(|i| {
                    let hash = FxBuildHasher.hash_one(l.stamp(kind, i).id);
                    (hash, rank_and_index(rank, i))
                }));
            }
            keys.sort_unstable();
            keys
        };
        let (mut keys, theirs) = crate::par::both(|| keys(0), || keys(1));
        keys.extend(theirs);
        keys.sort(); // two sorted runs: merged in one pass
        Ids(keys)
    }

    fn record(l: &Ledger, position: u32) -> Stamp<'_> {
        let (rank, index) = rank_index_of(position);
        l.stamp(ID_KINDS[rank], index)
    }

    /// Every id that stands earlier already, in the order of `ID_KINDS` and then file order,
    /// naming where it first stands.
    fn duplicates(&self, l: &Ledger) -> Vec<LedgerError> {
        let mut found = vec![];
        for run in self
            .0
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
        {
            for (j, &(_, position)) in run.iter().enumerate().skip(1) {
                let record = Self::record(l, position);
                let mut earlier = run[..j].iter().map(|&(_, p)| Self::record(l, p));
                if let Some(first) = earlier.find(|other| other.id == record.id) {
                    found.push((
                        position,
                        LedgerError::at(
                            record.src.file(),
                            record.src.line,
                            ErrorKind::DuplicateId {
                                id: record.id.to_string(),
                                first: place(&first.src),
                            },
                        ),
                    ));
                }
            }
        }
        found.sort_by_key(|(position, _)| *position);
        found.into_iter().map(|(_, e)| e).collect()
    }

    fn contains(&self, l: &Ledger, id: &str) -> bool {
        let hash = FxBuildHasher.hash_one(id);
        let from = self.0.partition_point(|(h, _)| *h < hash);
        (self.0[from..].iter())
            .take_while(|(h, _)| *h == hash)
            .any(|&(_, p)| Self::record(l, p).id == id)
    }
}

/// Channels are known to the config, channel visits name their broker and slip, bookings name
/// known discount approvals.
fn channel_links(l: &Ledger) -> Vec<LedgerError> {
    let mut errors = vec![];
    let known: Vec<String> = l.config.channels.iter().map(|c| c.name.clone()).collect();
    let mut channel = |name: &str, src: &Src| {
        if l.config.channel(name).is_none() {
            errors.push(LedgerError::at(
                src.file(),
                src.line,
                ErrorKind::UnknownChannel {
                    name: name.into(),
                    known: known.clone(),
                },
            ));
        }
    };
    for r in &l.reports {
        channel(&r.channel, &r.src);
    }
    for v in &l.violations {
        channel(&v.channel, &v.src);
    }
    for c in &l.contacts {
        if let Some(ch) = &c.channel {
            channel(ch, &c.src);
        }
    }
    for c in l.contacts.iter().filter(|c| c.is_channel_visit()) {
        for (missing, field) in [(c.broker.is_none(), "broker"), (c.slip.is_none(), "slip")] {
            if missing {
                errors.push(LedgerError::at(
                    c.src.file(),
                    c.src.line,
                    ErrorKind::ChannelVisitNeeds(field),
                ));
            }
        }
    }
    let discounts: std::collections::HashSet<&str> =
        l.discounts.iter().map(|d| d.id.as_str()).collect();
    for b in &l.bookings {
        if let Some(d) = &b.discount
            && !discounts.contains(d.as_str())
        {
            errors.push(LedgerError::at(
                b.src.file(),
                b.src.line,
                ErrorKind::UnknownDiscount(d.to_string()),
            ));
        }
    }
    errors
}

/// Voids name existing records and never void each other in a cycle.
fn void_links(l: &Ledger, known: impl Fn(&str) -> bool) -> Vec<LedgerError> {
    let mut errors = vec![];
    for v in &l.voids {
        if !known(v.target.as_str()) {
            errors.push(LedgerError::at(
                v.src.file(),
                v.src.line,
                ErrorKind::UnknownReference(v.target.to_string()),
            ));
        }
    }
    let voids: HashMap<&str, &Void> = l.voids.iter().map(|v| (v.id.as_str(), v)).collect();
    for v in &l.voids {
        let mut seen = vec![v.id.as_str()];
        let mut cur = v.target.as_str();
        while let Some(next) = voids.get(cur) {
            if seen.contains(&next.id.as_str()) {
                errors.push(LedgerError::at(
                    v.src.file(),
                    v.src.line,
                    ErrorKind::VoidCycle(v.id.to_string()),
                ));
                break;
            }
            seen.push(&next.id);
            cur = &next.target;
        }
    }
    errors
}

/// Every record id (slip ids are their own namespace and not included).
pub fn record_ids(l: &Ledger) -> impl Iterator<Item = &str> {
    (ID_KINDS.into_iter())
        .flat_map(move |kind| (0..l.count(kind)).map(move |i| l.stamp(kind, i).id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_from_the_text_or_unescaped_when_quoted() {
        let text = "id,note\r\n\r\nR1,王五 说\r\nR2,\"a, \"\"b\"\"\"\nR3,\n";
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let (mut record, mut cells) = (csv::ByteRecord::new(), vec![]);
        let mut rows = vec![];
        while rdr.read_byte_record(&mut record).unwrap() {
            cells_of(text, &record, &mut cells);
            let borrowed = cells.iter().all(|c| matches!(c, Cow::Borrowed(_)));
            rows.push((
                cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                borrowed,
            ));
        }
        let row =
            |cells: &[&str], borrowed| (cells.iter().map(|c| c.to_string()).collect(), borrowed);
        assert_eq!(
            rows,
            vec![
                row(&["R1", "王五 说"], true),
                row(&["R2", "a, \"b\""], false),
                row(&["R3", ""], true),
            ]
        );
    }

    #[test]
    fn an_id_used_again_names_where_it_first_stands_whatever_its_kind() {
        use crate::rules::testkit::{Lb, P1};
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("X", "2026-03-01 10:00", "链家", "王五", P1)
            .call("X", "2026-03-01 11:00", P1)
            .booking("X", "2026-03-02 10:00", P1)
            .report("R2", "2026-03-01 12:00", "链家", "王五", P1)
            .l;
        let ids = Ids::of(&l);
        let said: Vec<String> = ids.duplicates(&l).iter().map(|e| e.to_string()).collect();
        assert_eq!(
            said,
            [
                "contacts.csv:3: id 「X」 is already used at reports.csv:2",
                "bookings.csv:2: id 「X」 is already used at reports.csv:2",
            ]
        );
        assert!(["C1", "X", "R2"].iter().all(|id| ids.contains(&l, id)));
        assert!(!ids.contains(&l, "R1") && !ids.contains(&l, "x"));
    }

    /// Every record of a CSV text, as (line, cells), read plainly or by the csv reader.
    fn records(text: &str, plain: bool) -> Vec<(u32, Vec<String>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        rdr.byte_headers().unwrap();
        let mut out = vec![];
        let mut take = |line: u32, cells: &[Cow<str>]| {
            out.push((line, cells.iter().map(|c| c.to_string()).collect()));
        };
        if plain {
            plain_rows(text, rdr.position().byte() as usize, &mut take);
        } else {
            assert_eq!(csv_rows(text, &mut rdr, &mut take), None);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn plain_rows_are_the_records_the_csv_reader_reads(
            lines in proptest::collection::vec(
                (proptest::collection::vec("[a 张\t]{0,3}", 0..4), proptest::bool::ANY),
                0..8,
            ),
            blank_first in proptest::bool::ANY,
            last_ends in proptest::bool::ANY,
        ) {
            let mut text = String::from(if blank_first { "\nid,note\n" } else { "id,note\r\n" });
            for (i, (cells, crlf)) in lines.iter().enumerate() {
                text += &cells.join(",");
                if i + 1 < lines.len() || last_ends {
                    text += if *crlf { "\r\n" } else { "\n" };
                }
            }
            proptest::prop_assert!(is_plain(text.as_bytes()));
            proptest::prop_assert_eq!(records(&text, true), records(&text, false));
        }
    }

    proptest::proptest! {
        #[test]
        fn trim_is_str_trim(s in "[ a张\u{3000}\t\u{a0}\r]{0,6}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn rows_with_quotes_or_lone_carriage_returns_are_not_plain() {
        assert!(is_plain(b"R1,a\r\nR2,b\n"));
        assert!(!is_plain(b"R1,\"a,b\"\n"));
        assert!(!is_plain(b"R1,a\rR2,b\n"));
        assert!(!is_plain(b"R1,a\r"));
    }

    #[test]
    fn toml_table_lines_skip_comments() {
        let text = "# [[report]]\n[[report]]\nid = \"a\"\n\n[[report]] # second\nid = \"b\"\n";
        assert_eq!(table_lines(text, "report"), vec![2, 5]);
    }
}
