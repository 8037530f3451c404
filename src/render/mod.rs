//! Rendering: tables for people, CSV and JSON for scripts. Reads the rules' output types and
//! words them through `messages`; computes nothing about ownership.

pub mod audit;
pub mod check;
pub mod clients;
pub mod consultants;
pub mod csv_out;
mod dates;
pub mod deposits;
pub mod errors;
pub mod find;
pub mod grades;
pub mod messages;
pub mod replay;
pub mod settle;
pub mod stats;

pub use messages::{Lang, Style};

use comfy_table::{
    ColumnConstraint, ContentArrangement, Table, Width, presets::UTF8_FULL_CONDENSED,
};
use std::sync::atomic::{AtomicU16, Ordering};
use unicode_width::UnicodeWidthStr;

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

/// The width human tables fit in, in display columns (0: no limit). Set once per run by the
/// shell from `Settings::width` (the terminal's, else `COLUMNS`, else 80).
static WIDTH: AtomicU16 = AtomicU16::new(0);

/// Sets the width every table made from now on fits in (`Settings::resolve` calls it).
pub fn set_width(width: u16) {
    WIDTH.store(width, Ordering::Relaxed);
}

/// Whether a character is invisible or moves the cursor when printed: a control character (ESC
/// clears screens and rewrites lines), a zero-width character, a bidirectional override or
/// isolate (they reorder what follows), a line or paragraph separator.
pub fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{061c}'
                | '\u{feff}'
        )
}

/// Text from the ledger as human output shows it: invisible characters (`invisible`) escaped as
/// `\u{1b}`, except the newlines `keep_newlines` keeps (table cells break lines themselves).
/// Every table cell and every fitted line goes through it, so no ledger cell reaches the
/// terminal raw; CSV and JSON keep the text as written.
pub fn shown(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let escape = |c: char| invisible(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escape(c) {
            true => out.extend(c.escape_unicode()),
            false => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A line of plain text (not a table) fitted to the run's width: broken before its ` · `
/// separators (the continuation starts `· `), and a part still too wide at spaces; continuations
/// are indented two columns past the line's own indent. Words are never cut: a word wider than
/// the width stands on its own line.
pub fn fit_line(line: &str) -> String {
    let line = &*shown(line, false);
    let width = usize::from(WIDTH.load(Ordering::Relaxed));
    if width == 0 || line.width() <= width {
        return line.to_string();
    }
    let body = line.trim_start_matches(' ');
    let lead = &line[..line.len() - body.len()];
    let indent = format!("{lead}  ");
    let mut lines: Vec<String> = vec![];
    for part in body.split(" · ") {
        match lines.last_mut() {
            Some(last) if last.width() + 3 + part.width() <= width => {
                last.push_str(" · ");
                last.push_str(part);
            }
            Some(_) => lines.push(format!("{indent}· {part}")),
            None => lines.push(format!("{lead}{part}")),
        }
    }
    let wrapped: Vec<String> = lines
        .iter()
        .map(|l| wrap_words(l, &indent, width))
        .collect();
    wrapped.join("\n")
}

/// A line broken at spaces to fit `width`, continuations starting with `indent`.
fn wrap_words(line: &str, indent: &str, width: usize) -> String {
    if line.width() <= width {
        return line.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for (i, word) in line.split(' ').enumerate() {
        let w = word.width();
        if i > 0 && used > indent.len() && used + 1 + w > width {
            out.push('\n');
            out.push_str(indent);
            used = indent.len();
        } else if i > 0 {
            out.push(' ');
            used += 1;
        }
        out.push_str(word);
        used += w;
    }
    out
}

/// A table with the project's look and a header row; printed, it fits the run's width (see
/// `Fitted`).
pub fn table(header: Vec<&str>) -> Fitted {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    Fitted(t)
}

/// A table that, when printed, fits the run's width: long cells wrap (a Chinese character counts
/// two columns), but no column gets narrower than its longest unbreakable word — an id, a phone,
/// a date, a time, an amount (a run of characters without a space or a Chinese character) — so
/// those are never cut. When they cannot all fit, the table is wider than the width rather than
/// cutting one.
pub struct Fitted(pub Table);

impl std::ops::Deref for Fitted {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

impl std::ops::DerefMut for Fitted {
    fn deref_mut(&mut self) -> &mut Table {
        &mut self.0
    }
}

/// The least width a cell's column needs, in display columns: its longest word without a
/// Chinese character whole (ids, phones, dates, amounts are never cut), and two Chinese
/// characters of any other word (`报备` / `有效`, not one character a line).
pub fn unbreakable(cell: &str) -> usize {
    let words: Vec<&str> = cell.split_whitespace().collect();
    let word = (words.iter())
        .map(|w| match w.chars().all(|c| c.is_ascii() || c == '…') {
            true => w.width(),
            false => w.width().min(4),
        })
        .max()
        .unwrap_or(0);
    // a number and its one-character unit (`21 天`) stay on one line
    let counted = (words.windows(2))
        .filter(|p| p[0].chars().all(|c| c.is_ascii_digit()) && p[1].chars().count() == 1)
        .map(|p| p[0].width() + 1 + p[1].width())
        .max()
        .unwrap_or(0);
    word.max(counted)
}

impl std::fmt::Display for Fitted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = WIDTH.load(Ordering::Relaxed);
        let mut t = escaped(&self.0);
        if width == 0 {
            return t.fmt(f);
        }
        let mut least: Vec<usize> = vec![];
        for row in t.header().into_iter().chain(t.row_iter()) {
            for (i, cell) in row.cell_iter().enumerate() {
                if least.len() <= i {
                    least.resize(i + 1, 0);
                }
                least[i] = least[i].max(unbreakable(&cell.content()));
            }
        }
        // the narrowest table: each column its least width and one space each side, borders
        let narrowest = least.iter().map(|n| n + 3).sum::<usize>() + 1;
        if narrowest > usize::from(width) {
            return cards(&t, usize::from(width), f);
        }
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
        for (i, n) in least.into_iter().enumerate() {
            if let Some(c) = t.column_mut(i) {
                // the bound counts the cell's padding (one space each side)
                let n = u16::try_from(n + 2).unwrap_or(u16::MAX);
                c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(n)));
            }
        }
        t.fmt(f)
    }
}

/// The table again with every cell `shown` (the project's tables set no style per cell or
/// column before printing, so a fresh table of the escaped texts looks the same).
fn escaped(t: &Table) -> Table {
    let cells = |row: &comfy_table::Row| -> Vec<String> {
        (row.cell_iter())
            .map(|c| shown(&c.content(), true).into_owned())
            .collect()
    };
    let mut out = Table::new();
    out.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if let Some(h) = t.header() {
        out.set_header(cells(h));
    }
    for row in t.row_iter() {
        out.add_row(cells(row));
    }
    out
}

/// RFC 3339 in the project zone, to the second.
pub fn rfc3339(t: crate::model::Time, tz: chrono::FixedOffset) -> String {
    dates::to_rfc3339(t.with_timezone(&tz))
}

/// A table too wide for the width even with every cell wrapped (`settle`'s twelve columns in 80):
/// one card per row instead, `header: value` a line, values wrapped under themselves.
fn cards(t: &Table, width: usize, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    let header: Vec<String> = t
        .header()
        .map(|h| h.cell_iter().map(|c| c.content()).collect())
        .unwrap_or_default();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    for (n, row) in t.row_iter().enumerate() {
        let cells: Vec<String> = row.cell_iter().map(|c| c.content()).collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        f.write_str(&card(n + 1, &header, &cells, width))?;
    }
    Ok(())
}

/// The `n`th card (see `cards`): a rule naming its number, then `header: value` a line, empty
/// values left out. Cells are printed as given (the caller escapes them, `shown`).
pub fn card(n: usize, header: &[&str], cells: &[&str], width: usize) -> String {
    use std::fmt::Write as _;
    let key_width = header.iter().map(|h| h.width()).max().unwrap_or(0);
    let avail = width.saturating_sub(key_width + 2).max(10);
    let rule = format!("── {n} ");
    let fill = width.saturating_sub(rule.width());
    let mut out = format!("{rule}{}\n", "─".repeat(fill));
    for (i, value) in cells.iter().enumerate() {
        if value.trim().is_empty() {
            continue;
        }
        let key = header.get(i).copied().unwrap_or("");
        let pad = " ".repeat(key_width - key.width());
        for (j, line) in wrap(value, avail).iter().enumerate() {
            let _ = match j {
                0 => writeln!(out, "{key}{pad}  {line}"),
                _ => writeln!(out, "{}  {line}", " ".repeat(key_width)),
            };
        }
    }
    out
}

/// A table printed a row at a time, so a million rows need not be held (`replay`): its column
/// widths are fixed before the first row, and it looks like `table`'s (the same borders, no
/// line between rows). A cell wraps within its column as `wrap` breaks it; a word without a
/// Chinese character wider than its column (an id, a phone, a date) is never cut: that line
/// of the row is wider instead.
pub struct Stream {
    widths: Vec<usize>,
}

impl Stream {
    /// Widths for `width` display columns (0: no limit): each column but the last its natural
    /// width (`natural`: its widest cell); the last column — the free text — takes what is left,
    /// at least `last_least`. When that is too little, the columns named in `shrink` (in that
    /// order) give up what is missing, each down to `least` (its longest unbreakable word,
    /// `unbreakable`) at most.
    /// None when even that leaves the last column less than `last_least`: print cards (`card`).
    /// With no limit the last column is `last_natural` wide.
    pub fn fit(
        width: usize,
        natural: &[usize],
        least: &[usize],
        shrink: &[usize],
        (last_least, last_natural): (usize, usize),
    ) -> Option<Stream> {
        let mut widths = natural.to_vec();
        if width == 0 {
            widths.push(last_natural.max(last_least));
            return Some(Stream { widths });
        }
        // each column has a space either side and a border after it; one border opens the line
        let left = |w: &[usize]| width.saturating_sub(w.iter().map(|n| n + 3).sum::<usize>() + 4);
        for &i in shrink {
            let need = last_least.saturating_sub(left(&widths));
            widths[i] = widths[i].saturating_sub(need).max(least[i].min(widths[i]));
        }
        let last = left(&widths);
        (last >= last_least).then(|| {
            widths.push(last);
            Stream { widths }
        })
    }

    /// The line above the header.
    pub fn top(&self) -> String {
        self.rule('┌', '─', '┬', '┐')
    }

    /// The header's lines and the double line under it.
    pub fn header(&self, cells: &[&str]) -> String {
        format!("{}{}", self.row(cells), self.rule('╞', '═', '╪', '╡'))
    }

    /// The line under the last row.
    pub fn bottom(&self) -> String {
        self.rule('└', '─', '┴', '┘')
    }

    fn rule(&self, left: char, fill: char, cross: char, right: char) -> String {
        let mut out = String::from(left);
        for (i, w) in self.widths.iter().enumerate() {
            out.extend(std::iter::repeat_n(fill, w + 2));
            out.push(if i + 1 == self.widths.len() {
                right
            } else {
                cross
            });
        }
        out.push('\n');
        out
    }

    /// A row's lines: each cell escaped (`shown`, newlines kept) and wrapped in its column.
    pub fn row(&self, cells: &[&str]) -> String {
        let wrapped: Vec<Vec<String>> = (cells.iter().zip(&self.widths))
            .map(|(c, &w)| wrap(&shown(c, true), w))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut out = String::new();
        for line in 0..height {
            out.push('│');
            for (i, (cell, w)) in wrapped.iter().zip(&self.widths).enumerate() {
                let text = cell.get(line).map_or("", String::as_str);
                out.push(' ');
                out.push_str(text);
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(text.width()) + 1));
                out.push(if i + 1 == self.widths.len() {
                    '│'
                } else {
                    '┆'
                });
            }
            out.push('\n');
        }
        out
    }
}

/// `text` in lines of at most `avail` display columns, broken at spaces; a word with a Chinese
/// character may be broken anywhere, a word without one never (a line is then longer).
fn wrap(text: &str, avail: usize) -> Vec<String> {
    let mut lines = vec![];
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let sep = usize::from(!line.is_empty());
            if line.width() + sep + word.width() <= avail {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                continue;
            }
            if word.is_ascii() || word.width() <= avail {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line.push_str(word);
                continue;
            }
            if sep == 1 {
                line.push(' ');
            }
            for c in word.chars() {
                let cw = c.to_string().width();
                if line.width() + cw > avail && !line.trim().is_empty() {
                    lines.push(std::mem::take(&mut line).trim_end().to_string());
                }
                line.push(c);
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_table_gives_the_free_column_the_rest_and_shrinks_in_order() {
        // natural 16 and 12, least 10 and 4; one border opens the line, 3 columns a column
        let t = Stream::fit(60, &[16, 12], &[10, 4], &[0, 1], (16, 0)).unwrap();
        assert_eq!(t.widths, [16, 12, 60 - (19 + 15 + 4)]);
        // 40 columns: the first gives up 6, the second what is still missing
        let t = Stream::fit(40, &[16, 12], &[10, 4], &[0, 1], (10, 0)).unwrap();
        assert_eq!(t.widths, [10, 10, 10]);
        assert!(
            Stream::fit(30, &[16, 12], &[10, 4], &[0, 1], (10, 0)).is_none(),
            "cards"
        );
        let t = Stream::fit(0, &[16, 12], &[10, 4], &[0, 1], (10, 33)).unwrap();
        assert_eq!(
            t.widths,
            [16, 12, 33],
            "no limit: the free column's widest line"
        );
    }

    #[test]
    fn a_streamed_row_wraps_in_its_columns_and_never_cuts_a_word() {
        let t = Stream { widths: vec![5, 8] };
        assert_eq!(t.top(), "┌───────┬──────────┐\n");
        assert_eq!(
            t.row(&["R-001", "撞单: 链家 已报备"]),
            "│ R-001 ┆ 撞单:    │\n│       ┆ 链家     │\n│       ┆ 已报备   │\n"
        );
        // an id wider than its column widens its line instead of being cut
        assert_eq!(t.row(&["R-00001", "x\u{1b}"]), "│ R-00001 ┆ x\\u{1b}  │\n");
        assert_eq!(t.bottom(), "└───────┴──────────┘\n");
    }

    #[test]
    fn wrapping_breaks_chinese_anywhere_and_ids_and_dates_nowhere() {
        assert_eq!(
            wrap("已登记, 保护期至 2026-03-22", 10),
            ["已登记,", "保护期至", "2026-03-22"]
        );
        assert_eq!(
            wrap("需《特殊优惠审批单》", 8),
            ["需《特殊", "优惠审批", "单》"]
        );
        assert_eq!(wrap("R-001 139****0001", 5), ["R-001", "139****0001"]);
        assert!(wrap("", 5).is_empty());
    }

    #[test]
    fn table_cells_and_lines_show_control_and_invisible_characters_escaped() {
        let mut t = table(vec!["名\u{1b}[2J"]);
        t.add_row(vec!["王\u{1b}[1A五\n第二行\u{202e}"]);
        let text = t.to_string();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
        assert!(
            text.contains("名\\u{1b}[2J") && text.contains("王\\u{1b}[1A五"),
            "{text}"
        );
        assert!(text.contains("第二行\\u{202e}"), "{text}");
        assert_eq!(fit_line("a\u{7}b\nc"), "a\\u{7}b\\u{a}c");
        assert_eq!(shown("张伟 13800138000", false), "张伟 13800138000");
    }

    #[test]
    fn unbreakable_words_are_ascii_words_whole_and_two_chinese_characters() {
        assert_eq!(unbreakable("2026-03-10 10:00"), 10);
        assert_eq!(unbreakable("报备有效"), 4);
        assert_eq!(unbreakable("139****0005"), 11);
        assert_eq!(unbreakable("来"), 2);
    }
}
