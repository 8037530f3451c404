//! Ledger rows as written (`RawRow`), without parsing their fields: what the audit compares
//! between commits, so that even a commit whose ledger does not validate can be compared.

use super::config::value_text;
use super::csv_text;
use super::toml_text::table_lines;
use crate::model::{Kind, RawRow};
use std::borrow::Cow;

/// The kind a ledger file name holds (`reports.csv` → Report).
pub fn kind_of(name: &str) -> Option<Kind> {
    let stem = name
        .strip_suffix(".csv")
        .or_else(|| name.strip_suffix(".toml"))?;
    Kind::from_stem(stem)
}

/// A row's key: its id, or for a slip signature the whole signature.
fn key(kind: Kind, cells: &[(String, String)]) -> String {
    let get = |c: &str| {
        cells
            .iter()
            .find(|(k, _)| k == c)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    match kind {
        Kind::Slip => format!(
            "{} {} {} {}",
            get("slip"),
            get("role"),
            get("signer"),
            get("at")
        ),
        _ => get("id").to_string(),
    }
}

fn row(file: &str, kind: Kind, line: u32, cells: Vec<(String, String)>) -> Option<RawRow> {
    if cells.iter().all(|(_, v)| v.is_empty()) {
        return None;
    }
    Some(RawRow {
        file: file.to_string(),
        line,
        key: key(kind, &cells),
        cells,
    })
}

/// The header of a CSV text (its first record), trimmed; BOM dropped.
pub fn csv_header(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv_text::header(text).map(|(h, _)| h).unwrap_or_default()
}

/// The rows of a CSV text from byte `body` on, read against `header`, with their lines.
fn csv_rows(file: &str, kind: Kind, header: &[String], text: &str, body: usize) -> Vec<RawRow> {
    let mut out = vec![];
    let mut take = |line: u32, cells: &[Cow<str>]| {
        let cells = (header.iter().cloned())
            .zip(cells.iter().map(|c| csv_text::trim(c).to_string()))
            .collect();
        out.extend(row(file, kind, line, cells));
    };
    csv_text::rows(text, body, &mut take);
    out
}

/// CSV rows appended to a file (`text`, without the header) read against `header`;
/// `first_line` is the file's line number of the text's first line.
pub fn csv_rows_after(file: &str, header: &[String], first_line: u32, text: &str) -> Vec<RawRow> {
    let Some(kind) = kind_of(file) else {
        return vec![];
    };
    let mut rows = csv_rows(file, kind, header, text, 0);
    for r in &mut rows {
        r.line += first_line - 1;
    }
    rows
}

/// Every row of a ledger file (CSV or TOML) as written. A file that cannot be read yields none.
pub fn rows(file: &str, text: &str) -> Vec<RawRow> {
    let Some(kind) = kind_of(file) else {
        return vec![];
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if file.ends_with(".csv") {
        match csv_text::header(text) {
            Ok((header, body)) => csv_rows(file, kind, &header, text, body),
            Err(_) => vec![],
        }
    } else {
        let Ok(table) = toml::from_str::<toml::Table>(text) else {
            return vec![];
        };
        let Some(items) = table.get(kind.singular()).and_then(|v| v.as_array()) else {
            return vec![];
        };
        let lines = table_lines(text, kind.singular());
        items
            .iter()
            .enumerate()
            .filter_map(|(n, item)| {
                let t = item.as_table()?;
                let cells = t
                    .iter()
                    .map(|(k, v)| (k.clone(), value_text(v).unwrap_or_default()))
                    .collect();
                row(file, kind, lines.get(n).copied().unwrap_or(0), cells)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_keyed_by_id_and_slips_by_signature() {
        let r = rows(
            "reports.csv",
            "id,at,phone\nR-1,2026-03-01 09:00,13800000001\n\nR-2,\"2026-03-02 09:00\",13800000002\n",
        );
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[1].key.as_str(), r[1].line, r[1].get("at")),
            ("R-2", 4, Some("2026-03-02 09:00"))
        );
        let s = rows(
            "slips.csv",
            "slip,at,role,signer\nS-1,2026-03-01 10:00,final,任总\n",
        );
        assert_eq!(s[0].key, "S-1 final 任总 2026-03-01 10:00");
    }

    #[test]
    fn toml_rows_carry_their_table_line() {
        let r = rows("voids.toml", "# x\n[[void]]\nid = \"X-1\"\nref = \"C-1\"\n");
        assert_eq!((r[0].key.as_str(), r[0].line), ("X-1", 2));
    }

    #[test]
    fn appended_rows_against_a_header() {
        let h = csv_header("\u{feff}id,at\n");
        let r = csv_rows_after(
            "voids.csv",
            &h,
            7,
            "X-9,\"2026-03-01 09:00\"\n\nX-10,2026-03-02 09:00\n",
        );
        assert_eq!(
            (r[0].key.as_str(), r[0].line, r[0].get("at")),
            ("X-9", 7, Some("2026-03-01 09:00"))
        );
        assert_eq!((r[1].key.as_str(), r[1].line), ("X-10", 9));
    }
}
