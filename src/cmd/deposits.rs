//! `attrib deposits [--month YYYY-MM]`: the deposit account 定金账户明细 (RULES-R10 §4.4, R12.7).

use super::{Global, open};
use crate::render::{self, Format};
use crate::rules::{cancel, settle};
use anyhow::Context;

#[derive(clap::Args, Debug)]
pub struct DepositsArgs {
    /// Only bookings booked or cancelled in this month (YYYY-MM, project zone).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// Start the CSV with a UTF-8 byte-order mark, so Excel on Chinese Windows reads it right.
    #[arg(long)]
    pub bom: bool,
    /// Write an Excel workbook to FILE instead (for people; the CSV stays the scripts' format).
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<std::path::PathBuf>,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(g: &Global, a: DepositsArgs) -> anyhow::Result<i32> {
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let month = match &a.month {
        None => None,
        Some(m) => {
            let (year, month) = super::settle::parse_month(m)?;
            let range = (settle::month_start(year, month, s.zone))
                .zip(settle::month_after(year, month, s.zone))
                .with_context(|| {
                    crate::render::errors::pick(
                        format!("--month {m} 超出范围"),
                        format!("--month {m} is out of range"),
                    )
                })?;
            Some(range)
        }
    };
    let rows = cancel::deposits(ledger, s.as_of, month);
    if let Some(path) = &a.xlsx {
        render::deposits::workbook(&rows, &style, path)?;
        return Ok(0);
    }
    let out = &mut std::io::stdout().lock();
    match s.format {
        Format::Table => say!("{}", render::deposits::table_of(&rows, &style))?,
        Format::Json => say!("{}", render::deposits::json(&rows, &style))?,
        Format::Csv => render::deposits::csv(&rows, &style, a.bom, out)?,
    }
    Ok(0)
}
