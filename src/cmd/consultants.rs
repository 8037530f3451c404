//! `attrib consultants [--from YYYY-MM --to YYYY-MM]`: per consultant 置业顾问, the clients held
//! (consultant of record at the end), the bookings credited to them and their commission and
//! departed share in the months (R11). Default: the month of the as-of time.

use super::settle::{month_run, span};
use super::{Global, open};
use crate::render::{self, Format};
use crate::rules::{self, consultant, settle};

#[derive(clap::Args, Debug)]
pub struct ConsultantsArgs {
    /// The first month, YYYY-MM (default: the month of --at); with --to.
    #[arg(long, value_name = "YYYY-MM", requires = "to")]
    pub from: Option<String>,
    /// The last month, YYYY-MM, included; with --from.
    #[arg(long, value_name = "YYYY-MM", requires = "from")]
    pub to: Option<String>,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(g: &Global, a: ConsultantsArgs) -> anyhow::Result<i32> {
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let tz = s.zone;
    let (first, last) = match (&a.from, &a.to) {
        (Some(from), Some(to)) => month_run(from, to)?,
        _ => {
            use chrono::Datelike;
            let d = s.as_of.with_timezone(&tz).date_naive();
            ((d.year(), d.month()), (d.year(), d.month()))
        }
    };
    let (from, before) = span(first, last, tz)?;
    // the end of the months, or T when earlier: clients are counted as they stand then
    let end = s.as_of.min(before - chrono::Duration::nanoseconds(1));
    let e = rules::evaluate(ledger, end);
    let lines = settle::range_lines(&e, from, before);
    let rows = consultant::standings(&e, &lines, (from, before));
    match s.format {
        Format::Table => say!("{}", render::consultants::text(&rows, &style))?,
        Format::Json => say!("{}", render::consultants::json(&rows))?,
        Format::Csv => render::consultants::csv(&rows, &mut std::io::stdout().lock())?,
    }
    Ok(0)
}
