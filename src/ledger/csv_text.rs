//! The one CSV reading path: a ledger file's header (trimmed) and its rows with their lines,
//! used by the loader, the audit's raw rows and `add`. The text comes BOM-free from
//! `encoding::decode`. Rows without quotes (nearly all) are cut at newlines and commas without the
//! csv reader's state machine (`is_plain`); the property tests below hold them to the reader.

use super::error::Said;
use std::borrow::Cow;

/// A CSV text's header, each cell trimmed, and the byte where the rows after it start; a file
/// that is empty (or blank) has an empty header. An unreadable header is returned as
/// (line, message).
pub fn header(text: &str) -> Result<(Vec<String>, usize), (u32, Said)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Ok((vec![], text.len())),
        Err(e) => return Err((1, Said::new(e.to_string(), "表头不能按 CSV 读取"))),
    }
    let end = rdr.position().byte() as usize;
    // a quote in the header may have swallowed the rows after it
    if memchr::memchr(b'"', &text.as_bytes()[..end]).is_some()
        && let Some(bad) = bad_quote(text.as_bytes(), 1)
        && bad.record < end
    {
        return Err((bad.line, bad.message));
    }
    let header = (record.iter())
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    Ok((header, end))
}

/// A row's line and cells.
pub type Take<'f, 't> = &'f mut dyn FnMut(u32, &[Cow<'t, str>]);

/// Each record from byte `body` on (after the header) to `take`, with its line; a syntax error
/// ends the records and is returned with its line. Plain rows (`is_plain`) are cut at newlines
/// and commas; others are read by the csv reader, after a check that every quoted cell is closed
/// (`bad_quote`): the records before a bad quote are taken, and the error is returned at the line
/// where its quote opened (an unclosed quote would otherwise swallow the rows after it).
pub fn rows<'t>(text: &'t str, body: usize, take: Take<'_, 't>) -> Option<(u32, Said)> {
    let bytes = &text.as_bytes()[body..];
    if is_plain(bytes) {
        plain_rows(text, body, take);
        None
    } else {
        let first = 1 + line_breaks(&text.as_bytes()[..body]) as u32;
        match bad_quote(bytes, first) {
            None => reader_rows(text, body, take),
            Some(bad) => {
                let before = reader_rows(&text[..body + bad.record], body, take);
                Some(before.unwrap_or((bad.line, bad.message)))
            }
        }
    }
}

/// A quoted cell that is not closed as CSV requires: at the end of the file, or followed by
/// something other than a comma or a line end after its closing quote (which is how an unclosed
/// quote shows when a later quote ends the cell it swallowed).
#[derive(Debug, PartialEq)]
pub struct BadQuote {
    /// Byte offset (in the bytes scanned) where the quote's record starts.
    pub record: usize,
    /// The line where the quote opened.
    pub line: u32,
    pub message: Said,
}

/// The first badly closed quoted cell of CSV bytes whose first line is `first_line`, scanning as
/// the csv reader does: a quote opens a quoted cell only as a cell's first byte, `""` inside is a
/// quote, and the cell ends at a quote followed by a comma, a line end or the end of the text.
pub fn bad_quote(bytes: &[u8], first_line: u32) -> Option<BadQuote> {
    // `i` is always outside a quoted cell; only quotes are visited (memchr), and the text between
    // them is counted for lines and record starts in bulk
    let (mut line, mut record, mut i) = (first_line, 0, 0);
    while let Some(q) = memchr::memchr(b'"', &bytes[i..]).map(|q| i + q) {
        let outside = &bytes[i..q];
        line += line_breaks(outside) as u32;
        if let Some(p) = memchr::memrchr2(b'\n', b'\r', outside) {
            record = i + p + 1;
        }
        if q > 0 && !matches!(bytes[q - 1], b',' | b'\n' | b'\r') {
            i = q + 1; // a quote inside an unquoted cell is text
            continue;
        }
        let (opened, mut j) = (line, q + 1);
        loop {
            let Some(c) = memchr::memchr2(b'"', b'\n', &bytes[j..]).map(|c| j + c) else {
                return Some(BadQuote {
                    record,
                    line: opened,
                    message: quote_to_the_end(),
                });
            };
            if bytes[c] == b'\n' {
                line += 1;
                j = c + 1;
            } else if bytes.get(c + 1) == Some(&b'"') {
                j = c + 2;
            } else if matches!(bytes.get(c + 1), None | Some(b',' | b'\n' | b'\r')) {
                i = c + 1;
                break;
            } else {
                return Some(closed_early(bytes, c, (opened, line), record));
            }
        }
    }
    None
}

/// The rows as the csv reader reads them, from byte `body` on.
/// A quoted cell opened on line `opened` whose closing quote, at byte `quote` on line `line`, is
/// followed by text (what a later row's quote does to a cell left open): where it opened and what
/// followed.
fn closed_early(bytes: &[u8], quote: usize, (opened, line): (u32, u32), record: usize) -> BadQuote {
    let rest = &bytes[quote + 1..];
    let end = memchr::memchr2(b',', b'\n', rest)
        .unwrap_or(rest.len())
        .min(40);
    let after = String::from_utf8_lossy(&rest[..end]);
    let after = after.trim_end_matches('\r');
    let (whole, whole_zh) = if line == opened {
        (String::new(), String::new())
    } else {
        let lines = format!("{}–{line}", opened + 1);
        (
            format!(", taking the rows of lines {lines} into it"),
            format!(", 把第 {lines} 行都并进了这一格"),
        )
    };
    let en = format!(
        "unclosed quote: the quoted cell opened on this line ends on line {line} with 「{after}」 \
         after its closing quote{whole} (close a quoted cell with \" right before a comma or the \
         line's end)"
    );
    let zh = format!(
        "引号没有闭合: 这一行开始的带引号的格在第 {line} 行结束, 结束引号后还有「{after}」{whole_zh} \
         (带引号的格要在逗号或行尾之前紧接着用 \" 结束)"
    );
    BadQuote {
        record,
        line: opened,
        message: Said::new(en, zh),
    }
}

/// A quoted cell that runs to the end of the file.
fn quote_to_the_end() -> Said {
    Said::new(
        "unclosed quote: the quoted cell opened on this line runs to the end of the file, taking \
         every row after it (close it with \")",
        "引号没有闭合: 这一行开始的带引号的格一直延续到文件末尾, 吞掉了其后的每一行 (请用 \" 结束它)",
    )
}

fn reader_rows<'t>(text: &'t str, body: usize, take: Take<'_, 't>) -> Option<(u32, Said)> {
    let bytes = &text.as_bytes()[body..];
    let before = line_breaks(&text.as_bytes()[..body]) as u32;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut shifted = |line: u32, cells: &[Cow<'t, str>]| take(line + before, cells);
    csv_rows(&text[body..], &mut rdr, &mut shifted).map(|(line, e)| (line + before, e))
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
) -> Option<(u32, Said)> {
    let mut record = csv::ByteRecord::new();
    let mut cells = vec![];
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                return Some((line, Said::new(e.to_string(), "这一行不能按 CSV 读取")));
            }
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
pub fn trim(s: &str) -> &str {
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

    /// Every record of a CSV text, as (line, cells), read plainly or by the csv reader.
    fn records(text: &str, plain: bool) -> Vec<(u32, Vec<String>)> {
        let (_, body) = header(text).unwrap();
        let mut out = vec![];
        let mut take = |line: u32, cells: &[Cow<str>]| {
            out.push((line, cells.iter().map(|c| c.to_string()).collect()));
        };
        if plain {
            plain_rows(text, body, &mut take);
        } else {
            assert_eq!(reader_rows(text, body, &mut take), None);
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

    /// The first version of `bad_quote`: every byte through a state machine (the reference).
    fn bad_quote_bytewise(bytes: &[u8], first_line: u32) -> Option<BadQuote> {
        let (mut line, mut record, mut cell_start) = (first_line, 0, true);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' && cell_start {
                let (opened, mut j) = (line, i + 1);
                loop {
                    let Some(q) = memchr::memchr2(b'"', b'\n', &bytes[j..]).map(|q| j + q) else {
                        return Some(BadQuote {
                            record,
                            line: opened,
                            message: super::quote_to_the_end(),
                        });
                    };
                    if bytes[q] == b'\n' {
                        line += 1;
                        j = q + 1;
                    } else if bytes.get(q + 1) == Some(&b'"') {
                        j = q + 2;
                    } else if matches!(bytes.get(q + 1), None | Some(b',' | b'\n' | b'\r')) {
                        i = q + 1;
                        cell_start = false;
                        break;
                    } else {
                        return Some(super::closed_early(bytes, q, (opened, line), record));
                    }
                }
                continue;
            }
            match b {
                b',' => cell_start = true,
                b'\n' => {
                    line += 1;
                    (record, cell_start) = (i + 1, true);
                }
                b'\r' => {
                    if bytes.get(i + 1) != Some(&b'\n') {
                        (record, cell_start) = (i + 1, true);
                    }
                }
                _ => cell_start = false,
            }
            i += 1;
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn bad_quote_is_the_bytewise_scan(text in "[a,\"\n\r]{0,24}", first in 1u32..4) {
            proptest::prop_assert_eq!(
                bad_quote(text.as_bytes(), first),
                bad_quote_bytewise(text.as_bytes(), first)
            );
        }
    }

    #[test]
    fn unclosed_quotes_are_found_where_they_opened() {
        let line = |t: &str| bad_quote(t.as_bytes(), 1).map(|b| (b.record, b.line));
        assert_eq!(line("a,\"b\"\nc,\"d\"\"e\"\r\n"), None);
        assert_eq!(line("a,\"b\nc\"\n"), None, "a closed multi-line cell");
        assert_eq!(line("a,b\"c\n"), None, "a quote inside a cell is text");
        assert_eq!(line("a,b\nc,\"d\ne,f\n"), Some((4, 2)));
        assert_eq!(line("a,b\nc,\"d\ne,\"f\"\n"), Some((4, 2)));
        assert_eq!(line("\"a\"b,c\n"), Some((0, 1)));
        assert_eq!(
            header("\n\"id,at\nR1,x\n").map_err(|(line, _)| line),
            Err(2),
            "a header after a blank line"
        );
        assert_eq!(header("\"id\",at\nR1,\"x\n").unwrap().0, ["id", "at"]);
        let mut taken = vec![];
        let text = "id\nR1\n\"R2\nR3\n";
        let err = rows(text, 3, &mut |line, _| taken.push(line));
        assert_eq!(taken, vec![2], "the rows before the quote are read");
        assert!(err.is_some_and(|(line, m)| line == 3 && m.en.contains("unclosed quote")));
    }

    #[test]
    fn rows_with_quotes_or_lone_carriage_returns_are_not_plain() {
        assert!(is_plain(b"R1,a\r\nR2,b\n"));
        assert!(!is_plain(b"R1,\"a,b\"\n"));
        assert!(!is_plain(b"R1,a\rR2,b\n"));
        assert!(!is_plain(b"R1,a\r"));
    }
}
