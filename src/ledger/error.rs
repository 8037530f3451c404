//! Errors found while reading a ledger, each placed at `file:line[:col]`.

use super::fields::FieldError;
use std::fmt;

/// Where in a row the error is: a CSV column (1-based number and name) or a TOML key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Col {
    Csv(usize, String),
    Key(String),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    #[error("{0}")]
    Field(FieldError),
    #[error("unknown column 「{column}」 (known: {})", known.join(", "))]
    UnknownColumn { column: String, known: Vec<String> },
    #[error("required column 「{0}」 is missing")]
    MissingColumn(String),
    #[error("column 「{0}」 appears twice")]
    DuplicateColumn(String),
    #[error("row has {found} cells but the header has {expected}")]
    CellCount { found: usize, expected: usize },
    #[error("both {stem}.csv and {stem}.toml exist; keep one")]
    BothFormats { stem: String },
    #[error(
        "is neither UTF-8 nor GB18030 text: byte {byte} of the file (0x{value:02x}) is the first that is not UTF-8 (save it as UTF-8)"
    )]
    NotUtf8 { byte: usize, value: u8 },
    #[error("{0}")]
    Syntax(String),
    #[error("id 「{id}」 is already used at {first}")]
    DuplicateId { id: String, first: String },
    #[error("「{0}」 names no record in the ledger")]
    UnknownReference(String),
    #[error("「{0}」 names no discount approval")]
    UnknownDiscount(String),
    #[error("「{0}」 names no booking")]
    UnknownBooking(String),
    #[error("booking 「{0}」 is later than its cancellation")]
    LaterBooking(String),
    #[error("channel 「{name}」 is not in attrib.toml (known: {})", known.join(", "))]
    UnknownChannel { name: String, known: Vec<String> },
    #[error("a channel visit needs 「{0}」")]
    ChannelVisitNeeds(&'static str),
    #[error("void 「{0}」 is part of a cycle of voids")]
    VoidCycle(String),
    #[error(
        "the list price is 0; a booking's discount is measured against it (write the unit's list price)"
    )]
    ZeroListPrice,
    #[error(
        "the relation links 「{0}」 to itself; a relation joins two different phones (R1): write the other member's phone"
    )]
    SelfRelation(String),
    #[error("{0}")]
    Config(String),
    /// A rule across the cells of one row (R13's delistings, RULES-R10.md §1.2).
    #[error("{0}")]
    Row(String),
    #[error("cannot read: {0}")]
    Unreadable(String),
}

/// One error in a ledger file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerError {
    pub file: String,
    /// 1-based line; 0 when the error concerns the whole file.
    pub line: u32,
    pub col: Option<Col>,
    pub kind: ErrorKind,
}

impl LedgerError {
    pub fn file(file: &str, kind: ErrorKind) -> Self {
        LedgerError {
            file: file.to_string(),
            line: 0,
            col: None,
            kind,
        }
    }

    pub fn at(file: &str, line: u32, kind: ErrorKind) -> Self {
        LedgerError {
            file: file.to_string(),
            line,
            col: None,
            kind,
        }
    }

    /// A TOML file that does not parse (`text`: the file's text), on the line where the error
    /// starts: one more than the line breaks before it (an error at the very start of a line is
    /// on that line, not the one before).
    pub fn toml(file: &str, text: &str, e: &toml::de::Error) -> Self {
        let line = (e.span()).map_or(0, |s| {
            super::csv_text::line_breaks(&text.as_bytes()[..s.start]) as u32 + 1
        });
        LedgerError::at(file, line, ErrorKind::Syntax(e.message().to_string()))
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        match &self.col {
            Some(Col::Csv(n, name)) => write!(f, ":{n}: {} [{name}]", self.kind),
            Some(Col::Key(k)) => write!(f, ": {} [{k}]", self.kind),
            None => write!(f, ": {}", self.kind),
        }
    }
}
