//! Rendering: tables for people, CSV and JSON for scripts. Reads the rules' output types and
//! words them through `messages`; computes nothing about ownership.

pub mod audit;
pub mod check;
pub mod csv_out;
pub mod deposits;
pub mod messages;
pub mod replay;
pub mod settle;

pub use messages::{Lang, Style};

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

/// An output format (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
}

impl Format {
    /// The names `--format` accepts, in the order help lists them.
    pub const NAMES: [&str; 3] = ["table", "csv", "json"];
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => Err(format!("「{s}」 is not table, csv or json")),
        }
    }
}

impl Lang {
    /// The names `--lang` and `[project] lang` accept, in the order help lists them.
    pub const NAMES: [&str; 2] = ["zh", "en"];
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(format!("「{s}」 is not zh or en")),
        }
    }
}

/// A table with the project's look and a header row.
pub fn table(header: Vec<&str>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    t
}

/// RFC 3339 in the project zone, to the second.
pub fn rfc3339(t: crate::model::Time, tz: chrono::FixedOffset) -> String {
    t.with_timezone(&tz)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
