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
    Syntax(Said),
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
    Config(Said),
    /// A config value that does not read (a rate, an amount), under its key.
    #[error("{key}: {error}")]
    ConfigValue { key: String, error: Box<FieldError> },
    /// A rule across the cells of one row (R13's delistings, RULES-R10.md §1.2).
    #[error("{0}")]
    Row(Said),
    #[error("cannot read: {0}")]
    Unreadable(String),
}

/// A complaint built as text, in both languages: `Display` is the English, `zh` the Chinese.
/// A plain `String` converts to a complaint not yet translated (the same text in both).
/// (Boxed text: a ledger error stays small, it is returned in `Result`s.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub en: Box<str>,
    pub zh: Box<str>,
}

impl Said {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Said {
        Said {
            en: en.into().into_boxed_str(),
            zh: zh.into().into_boxed_str(),
        }
    }
}

impl From<String> for Said {
    fn from(s: String) -> Said {
        Said::new(s.clone(), s)
    }
}

impl From<&str> for Said {
    fn from(s: &str) -> Said {
        Said::from(s.to_string())
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
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
        let message = e.message();
        let said = Said::new(message, toml_zh(message));
        LedgerError::at(file, line, ErrorKind::Syntax(said))
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

/// The toml reader's English message in Chinese: the kinds a clerk meets (an unknown, missing or
/// repeated key, a value of the wrong type) with their names kept, any other as a sentence on
/// what to look at on the line.
pub fn toml_zh(message: &str) -> String {
    let m = message.trim();
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let names = ticked(rest);
        let (first, known) = names.split_first().map_or(("", &[][..]), |(f, k)| (f, k));
        if known.is_empty() {
            return format!("未知的键「{first}」");
        }
        return format!("未知的键「{first}」(可用的键: {})", known.join(", "));
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        return format!("缺少键「{}」", ticked(rest).concat());
    }
    if let Some(rest) = m.strip_prefix("duplicate key") {
        return match ticked(rest).concat() {
            name if name.is_empty() => "同一个键写了两次".to_string(),
            name => format!("键「{name}」写了两次"),
        };
    }
    for (prefix, said) in [
        ("invalid type: ", "值的类型不对"),
        ("invalid value: ", "值不合格"),
    ] {
        if let Some(rest) = m.strip_prefix(prefix) {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            return format!(
                "{said}: 写的是{}, 应为{}",
                type_zh(found),
                type_zh(expected)
            );
        }
    }
    "这一行的写法有误 (检查键名、等号、引号和方括号; 文字值要加双引号)".to_string()
}

/// A serde type or value as the toml reader names it (`string "x"`, `u32`, `a sequence`), in
/// Chinese; a quoted value keeps its text.
fn type_zh(s: &str) -> String {
    let s = s.trim();
    let quoted = s.split_once('"').map(|(_, v)| v.trim_end_matches('"'));
    let kind = match s.split_whitespace().next().unwrap_or("") {
        "string" | "a" if s.contains("string") => "文字",
        "integer" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" => "整数",
        "floating" | "f32" | "f64" => "小数",
        "boolean" | "bool" => "true 或 false",
        "sequence" | "array" => "列表",
        "map" | "table" | "struct" => "表",
        "datetime" => "日期时间",
        _ if s.contains("sequence") || s.contains("array") => "列表",
        _ if s.contains("integer") => "整数",
        _ if s.contains("boolean") => "true 或 false",
        _ if s.contains("map") || s.contains("table") || s.contains("struct") => "表",
        _ => "其他类型",
    };
    match quoted {
        Some(v) if !v.is_empty() => format!("{kind}「{v}」"),
        _ => {
            let number = s
                .split_whitespace()
                .nth(1)
                .filter(|n| n.parse::<f64>().is_ok());
            match number {
                Some(n) => format!("{kind} {n}"),
                None => kind.to_string(),
            }
        }
    }
}
