//! `attrib settle --month YYYY-MM [--by line|payee]`: the month's settlement (R9).

use super::{Global, open};
use crate::render::{self, Format};
use crate::rules::{self, Scope, settle};
use anyhow::{Context, bail};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Line,
    Payee,
}

#[derive(clap::Args, Debug)]
pub struct SettleArgs {
    /// The month, YYYY-MM, in the project zone.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: String,
    /// One row per line, or totals per payee.
    #[arg(long, value_enum, default_value = "line")]
    pub by: By,
    /// Start the CSV with a UTF-8 byte-order mark, so Excel on Chinese Windows reads it right.
    #[arg(long)]
    pub bom: bool,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn parse_month(s: &str) -> anyhow::Result<(i32, u32)> {
    let (y, m) = s
        .split_once('-')
        .context("--month is YYYY-MM, e.g. 2026-03")?;
    let (y, m): (i32, u32) = (
        y.parse().context("--month year")?,
        m.parse().context("--month month")?,
    );
    if !(1..=12).contains(&m) || y < 1000 {
        bail!("--month 「{s}」 is not a month (expected e.g. 2026-03)");
    }
    Ok((y, m))
}

pub fn run(g: &Global, a: SettleArgs) -> anyhow::Result<i32> {
    let (year, month) = parse_month(&a.month)?;
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let tz = s.zone;
    let (from, before) = (settle::month_start(year, month, tz))
        .zip(settle::month_after(year, month, tz))
        .with_context(|| format!("--month {} is out of range", a.month))?;
    let e = rules::evaluate_scoped(ledger, s.as_of, Scope::Settlement { from, before });
    let lines = settle::month_lines(&e, year, month, tz);
    let out = &mut std::io::stdout().lock();
    match (a.by, s.format) {
        (By::Line, Format::Table) => say!("{}", render::settle::lines_table(&lines, &style))?,
        (By::Line, Format::Json) => say!("{}", render::settle::lines_json(&lines, &style))?,
        (By::Line, Format::Csv) => render::settle::lines_csv(&lines, &style, a.bom, out)?,
        (By::Payee, f) => {
            let totals = settle::by_payee(&lines);
            match f {
                Format::Table => say!("{}", render::settle::payees_table(&totals, &style))?,
                Format::Json => say!("{}", render::settle::payees_json(&totals))?,
                Format::Csv => render::settle::payees_csv(&totals, a.bom, out)?,
            }
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::parse_month;

    #[test]
    fn months() {
        assert_eq!(parse_month("2026-03").unwrap(), (2026, 3));
        assert!(parse_month("2026-13").is_err());
        assert!(parse_month("202603").is_err());
    }
}
