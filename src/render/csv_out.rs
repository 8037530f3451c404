//! CSV for finance and scripts: an optional UTF-8 BOM for Excel, and cells that cannot run as
//! formulas in a spreadsheet (OWASP CSV injection).

use std::io::Write;

/// A cell that starts with `=`, `+`, `-`, `@`, tab or carriage return and is not a number gets
/// a leading `'`, so Excel shows it as text instead of running it. Numbers (e.g. `-5000.00`)
/// stay numbers.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<rust_decimal::Decimal>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes a header and rows, every cell neutralized.
pub fn write(
    out: &mut dyn Write,
    bom: bool,
    header: &[&str],
    rows: &[Vec<String>],
) -> anyhow::Result<()> {
    let mut w = Rows::start(out, bom, header)?;
    for row in rows {
        w.row(row)?;
    }
    w.finish()
}

/// One row's bytes, as `Rows::row` writes it. Each thread keeps one writer for its rows (a
/// writer is costly to make, and a million-row `replay` makes its rows on two threads).
pub fn row_bytes(cells: &[impl AsRef<str>]) -> Vec<u8> {
    thread_local! {
        static ROW: std::cell::RefCell<csv::Writer<Taken>> =
            std::cell::RefCell::new(csv::Writer::from_writer(Taken::default()));
    }
    ROW.with_borrow_mut(|w| {
        write_row(w, cells)
            .and_then(|()| Ok(w.flush()?))
            .expect("CSV into memory");
        w.get_ref().0.take()
    })
}

/// A row's cells, each neutralized (Excel formulas become text), then the record's end.
fn write_row<W: Write>(w: &mut csv::Writer<W>, cells: &[impl AsRef<str>]) -> csv::Result<()> {
    for c in cells {
        w.write_field(neutralize(c.as_ref()).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)
}

/// Bytes written, which the writer's owner takes (`csv::Writer` lends its sink only shared).
#[derive(Default)]
struct Taken(std::cell::RefCell<Vec<u8>>);

impl Write for Taken {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.get_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A CSV written a row at a time: `write`'s rows, or a header before rows made apart
/// (`row_bytes`, `replay`).
pub struct Rows<'w>(csv::Writer<&'w mut dyn Write>);

impl<'w> Rows<'w> {
    /// The optional byte-order mark and the header.
    pub fn start(out: &'w mut dyn Write, bom: bool, header: &[&str]) -> anyhow::Result<Rows<'w>> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut w = csv::Writer::from_writer(out);
        w.write_record(header)?;
        Ok(Rows(w))
    }

    /// One row, every cell neutralized.
    pub fn row(&mut self, cells: &[String]) -> anyhow::Result<()> {
        Ok(write_row(&mut self.0, cells)?)
    }

    /// Flushes what the writer still holds.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.0.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::neutralize;

    #[test]
    fn formulas_become_text_and_numbers_stay() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("+86 cmd"), "'+86 cmd");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("-5000.00"), "-5000.00");
        assert_eq!(neutralize("张伟"), "张伟");
        assert_eq!(neutralize(""), "");
    }
}
