//! The records of a ledger and its configuration: plain data, no behaviour beyond small accessors.
//!
//! Every record remembers where it came from (`Src`: file and line) so that errors, verdicts and
//! the audit can point back at the row.

mod config;
mod kinds;

pub use config::*;
pub use kinds::*;

use chrono::{DateTime, FixedOffset};
use std::fmt;

/// An instant with its explicit UTC offset.
pub type Time = DateTime<FixedOffset>;

/// A client key 客户电话: a normalized 11-digit mainland mobile number, stored as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(pub u64);

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_masked() {
            let n = self.0 - Phone::MASKED;
            return write!(f, "{:03}****{:04}", n / 10_000, n % 10_000);
        }
        write!(f, "{:011}", self.0)
    }
}

impl Phone {
    /// R15: masked phones 前三后四 (`138****5678`, reports only) are kept as `MASKED` + the first
    /// three digits × 10 000 + the last four: above every real number, so never one of them.
    pub const MASKED: u64 = 1_000_000_000_000;

    /// R15: whether this is a masked report's pattern, not a whole number.
    pub fn is_masked(self) -> bool {
        self.0 >= Phone::MASKED
    }

    /// R15 (§1.2) `mask(p)`: the first 3 digits, `****`, the last 4.
    pub fn mask(self) -> Phone {
        if self.is_masked() {
            return self;
        }
        Phone(Phone::MASKED + self.0 / 100_000_000 * 10_000 + self.0 % 10_000)
    }
}

/// A piece of ledger text (an id, a name, a note): short texts — nearly all of them — are kept
/// inline without a heap allocation, so a million rows cost no million small allocations.
pub type Text = compact_str::CompactString;

/// Where a record stands: its file (e.g. `reports.csv`) and 1-based line (header = line 1).
/// Eight bytes: the file is known by its kind and format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Src {
    kind: Kind,
    csv: bool,
    pub line: u32,
}

impl Src {
    pub fn new(kind: Kind, csv: bool, line: u32) -> Src {
        Src { kind, csv, line }
    }

    /// The file's name, e.g. `reports.csv`.
    pub fn file(&self) -> &'static str {
        self.kind.file_name(self.csv)
    }
}

/// A kind's rank (below 32) and a record's position in its kind's list in one `u32`, the rank in
/// the top five bits: sorting these sorts by rank, then position. For the sort keys of a million
/// records (the engine's events, the loader's id check).
pub fn rank_and_index(rank: usize, index: usize) -> u32 {
    let index = u32::try_from(index)
        .ok()
        .filter(|i| *i < 1 << INDEX_BITS)
        .expect("fewer than 134 million records of one kind");
    let rank = u32::try_from(rank)
        .ok()
        .filter(|r| *r < 1 << RANK_BITS)
        .expect("32 ranks at most");
    rank << INDEX_BITS | index
}

/// The rank and the position packed by `rank_and_index`.
pub fn rank_index_of(packed: u32) -> (usize, usize) {
    (
        (packed >> INDEX_BITS) as usize,
        (packed & ((1 << INDEX_BITS) - 1)) as usize,
    )
}

const RANK_BITS: u32 = 5;
const INDEX_BITS: u32 = 32 - RANK_BITS;
// every kind has a rank (the kinds table holds 10 kinds; the open issues bring it to 18)
const _: () = assert!(Kind::ALL.len() <= 1 << RANK_BITS);

/// Why one cell could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("a value is required")]
    Required,
    #[error("「{0}」 is not a valid time (expected 2026-03-01 09:30 or 2026-03-01T09:30:00+08:00)")]
    BadTime(String),
    #[error(
        "「{0}」 is a date without a time (expected 2026-03-01 09:30 or 2026-03-01T09:30:00+08:00)"
    )]
    BareDate(String),
    #[error(
        "「{0}」 has the year {1:04}, outside 1970–2199 (a placeholder such as 0000 or 9999? write the real time)"
    )]
    YearOutOfRange(String, i32),
    #[error(
        "「{0}」 is not a mainland mobile number (expected 11 digits 1[3-9]xxxxxxxxx, e.g. 13800138000)"
    )]
    BadPhone(String),
    #[error(
        "「{0}」 is a masked phone: only a report may hold one, and only with rules.masked_reports = true; here write the whole number"
    )]
    MaskedPhone(String),
    #[error("「{0}」 is not a masked phone 前三后四 (expected 1[3-9]x****xxxx, e.g. 138****5678)")]
    BadMaskedPhone(String),
    #[error("「{0}」 is not a plain decimal (expected e.g. 1234567.89)")]
    BadDecimal(String),
    #[error("「{0}」 has a thousands separator; write the plain number, e.g. 1234567.89")]
    ThousandsSeparator(String),
    #[error(
        "「{0}」 is too large or too precise (at most 15 digits before the point and 12 after)"
    )]
    TooLarge(String),
    #[error("「{0}」 is not a rate (expected 1.5% or 0.015)")]
    BadRate(String),
    #[error("「{0}」 is not a whole number")]
    BadInteger(String),
    #[error(
        "「{0}」 is negative; amounts, prices, deposits, damages and areas are never negative \
         (a correction is a void and a new row)"
    )]
    Negative(String),
    #[error("「{0}」 must be at least 1")]
    Zero(String),
    #[error("「{0}」 is too large (at most {1})")]
    CountTooLarge(String, u32),
    #[error("「{value}」 is not one of {}", allowed.join(", "))]
    BadEnum { value: String, allowed: Vec<String> },
}

/// A ledger row as written, before parsing: where it stands, its key (the record id; for a slip
/// signature the whole row) and its cells by column name. The audit compares these between
/// commits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    pub file: String,
    pub line: u32,
    pub key: String,
    pub cells: Vec<(String, String)>,
}

impl RawRow {
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
    }

    /// The row as one line for a person: `id=R-001 at=2026-03-01 09:00 …` (empty cells left out).
    pub fn show(&self) -> String {
        self.cells
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(c, v)| format!("{c}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
