//! What a commit did to the rows of one file: the rows it removed and the rows it added, and
//! where a row falls in evaluation order.

use crate::ledger::{encoding, fields::parse_time, raw};
use crate::model::{Kind, RawRow, Time};
use std::collections::HashSet;

/// A file's text: UTF-8, or GB18030 as Excel writes it.
pub fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    encoding::decode(bytes)
        .map(|(t, _)| t)
        .unwrap_or_else(|| String::from_utf8_lossy(bytes))
}

/// A row's time (`at`, or a direct slip's `presented_at`), read in the zone `tz`.
pub fn row_time(r: &RawRow, tz: chrono::FixedOffset) -> Option<Time> {
    let at = r.get("at").or_else(|| r.get("presented_at"))?;
    parse_time(at, tz).ok()
}

/// R10.6: the time a row's entry delay (back-dating) is measured from: its own time, except for a
/// deal closed around us (`via` ≠ `us`), measured from `known_at` (default `at`) — an outside
/// deal is always learned late.
pub fn entry_time(r: &RawRow, tz: chrono::FixedOffset) -> Option<Time> {
    let outside_deal =
        raw::kind_of(&r.file) == Some(Kind::Deal) && r.get("via").is_some_and(|v| v.trim() != "us");
    let known = r.get("known_at").filter(|k| !k.trim().is_empty());
    match (outside_deal, known) {
        (true, Some(known)) => parse_time(known, tz).ok(),
        _ => row_time(r, tz),
    }
}

/// Where a row falls in evaluation order: its time, then its kind (file order comes last, and
/// appended rows are last in their file).
pub fn order_key(r: &RawRow, tz: chrono::FixedOffset) -> Option<(Time, Kind)> {
    row_time(r, tz).zip(raw::kind_of(&r.file))
}

/// The rows a commit removed from and added to one file (`lines_before`: the old text's line
/// breaks; `tail`: what the new text adds when it starts with the old one). When a CSV file was
/// only extended, just the appended text is read; otherwise both versions are compared whole.
pub fn changed_rows(
    name: &str,
    old: &[u8],
    lines_before: u32,
    tail: Option<&[u8]>,
    new: &[u8],
) -> (Vec<RawRow>, Vec<RawRow>) {
    let appended = tail.filter(|tail| {
        !old.is_empty()
            && (old.ends_with(b"\n") || tail.starts_with(b"\n") || tail.starts_with(b"\r\n"))
    });
    if let (true, Some(tail)) = (name.ends_with(".csv"), appended) {
        let first = old.split(|&b| b == b'\n').next().unwrap_or_default();
        let header = raw::csv_header(&text(first));
        let first_line = lines_before + 1;
        return (
            vec![],
            raw::csv_rows_after(name, &header, first_line, &text(tail)),
        );
    }
    let before = raw::rows(name, &text(old));
    let after = raw::rows(name, &text(new));
    let removed = missing(&before, &content(&after));
    let added = missing(&after, &content(&before));
    (removed, added)
}

/// Rows by what they say: key and cells (a row whose line moved is the same row).
type Content<'a> = HashSet<(&'a str, &'a [(String, String)])>;

fn content(rows: &[RawRow]) -> Content<'_> {
    rows.iter()
        .map(|r| (r.key.as_str(), r.cells.as_slice()))
        .collect()
}

/// The rows not found in `other`.
fn missing(rows: &[RawRow], other: &Content) -> Vec<RawRow> {
    rows.iter()
        .filter(|r| !other.contains(&(r.key.as_str(), r.cells.as_slice())))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deal(via: &str, known_at: &str) -> RawRow {
        let cells = [
            ("id", "DE1"),
            ("at", "2024-03-15 16:00"),
            ("via", via),
            ("known_at", known_at),
        ];
        RawRow {
            file: "deals.csv".into(),
            line: 2,
            key: "DE1".into(),
            cells: (cells.iter())
                .map(|(c, v)| (c.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn r10_6_an_outside_deal_is_measured_from_when_it_was_learned() {
        let tz = crate::ledger::config::DEFAULT_ZONE;
        let at = |s| parse_time(s, tz).ok();
        let known = "2024-04-02 09:00";
        assert_eq!(entry_time(&deal("owner", known), tz), at(known));
        assert_eq!(entry_time(&deal("other", known), tz), at(known));
        assert_eq!(
            entry_time(&deal("owner", ""), tz),
            at("2024-03-15 16:00"),
            "default at"
        );
        assert_eq!(
            entry_time(&deal("us", known), tz),
            at("2024-03-15 16:00"),
            "ours: at"
        );
    }
}
