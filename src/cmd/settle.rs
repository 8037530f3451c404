//! `attrib settle --month YYYY-MM | --from YYYY-MM --to YYYY-MM [--by line|payee]`: the
//! settlement of a month, or of a run of months such as a quarter or a year (R9).

use super::{Global, open};
use crate::render::errors::pick;
use crate::render::{self, Format};
use crate::rules::{self, Scope, settle};
use anyhow::{Context, bail};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Line,
    Payee,
}

/// `--month M | --from M1 --to M2`: the months of `settle` and `stats`.
#[derive(clap::Args, Debug)]
pub struct MonthRun {
    /// The month, YYYY-MM, in the project zone.
    #[arg(long, value_name = "YYYY-MM", required_unless_present = "from")]
    pub month: Option<String>,
    /// The first month of a run of months (a quarter, a year), YYYY-MM; with --to.
    #[arg(
        long,
        value_name = "YYYY-MM",
        requires = "to",
        conflicts_with = "month"
    )]
    pub from: Option<String>,
    /// The last month of the run, YYYY-MM, included; with --from.
    #[arg(
        long,
        value_name = "YYYY-MM",
        requires = "from",
        conflicts_with = "month"
    )]
    pub to: Option<String>,
}

impl MonthRun {
    /// The first and last month asked for: `--month M` is the run from M to M. `command` names
    /// the command in the message when neither is given.
    pub fn first_last(&self, command: &str) -> anyhow::Result<((i32, u32), (i32, u32))> {
        match (&self.month, &self.from, &self.to) {
            (Some(m), _, _) => parse_month(m).map(|m| (m, m)),
            (None, Some(from), Some(to)) => month_run(from, to),
            _ => bail!(pick(
                format!("{command} 需要 --month YYYY-MM, 或 --from YYYY-MM --to YYYY-MM"),
                format!("{command} needs --month YYYY-MM, or --from YYYY-MM --to YYYY-MM")
            )),
        }
    }
}

/// The months from `from` to `to`, refused when `to` is before `from`.
pub fn month_run(from: &str, to: &str) -> anyhow::Result<((i32, u32), (i32, u32))> {
    let (first, last) = (parse_month(from)?, parse_month(to)?);
    if last < first {
        bail!(pick(
            format!("--to {to} 早于 --from {from}"),
            format!("--to {to} is before --from {from}")
        ));
    }
    Ok((first, last))
}

/// The instants a run of months spans in `tz`: the start of the first month and the start of
/// the month after the last.
pub fn span(
    (y1, m1): (i32, u32),
    (y2, m2): (i32, u32),
    tz: chrono::FixedOffset,
) -> anyhow::Result<(crate::model::Time, crate::model::Time)> {
    (settle::month_start(y1, m1, tz))
        .zip(settle::month_after(y2, m2, tz))
        .with_context(|| {
            pick(
                "所给月份超出范围".into(),
                "the months asked for are out of range".into(),
            )
        })
}

#[derive(clap::Args, Debug)]
pub struct SettleArgs {
    #[command(flatten)]
    pub months: MonthRun,
    /// One row per line, or totals per payee.
    #[arg(long, value_enum, default_value = "line")]
    pub by: By,
    /// Start the CSV with a UTF-8 byte-order mark, so Excel on Chinese Windows reads it right.
    #[arg(long)]
    pub bom: bool,
    /// Write an Excel workbook to FILE instead (a lines sheet and a per-payee sheet, for people;
    /// the CSV stays the scripts' format).
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<std::path::PathBuf>,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn parse_month(s: &str) -> anyhow::Result<(i32, u32)> {
    let not_a_month = || {
        anyhow::anyhow!(pick(
            format!("「{s}」不是月份 (应为 YYYY-MM, 如 2026-03)"),
            format!("「{s}」 is not a month (expected YYYY-MM, e.g. 2026-03)"),
        ))
    };
    let (y, m) = s.split_once('-').ok_or_else(not_a_month)?;
    let (y, m): (i32, u32) = match (y.parse(), m.parse()) {
        (Ok(y), Ok(m)) if (1..=12).contains(&m) && y >= 1000 => (y, m),
        _ => return Err(not_a_month()),
    };
    Ok((y, m))
}

pub fn run(g: &Global, a: SettleArgs) -> anyhow::Result<i32> {
    let (first, last) = a.months.first_last("settle")?;
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let (from, before) = span(first, last, s.zone)?;
    let e = rules::evaluate_scoped(ledger, s.as_of, Scope::Settlement { from, before });
    let lines = settle::range_lines(&e, from, before);
    if let Some(path) = &a.xlsx {
        let totals = settle::by_payee(&lines);
        render::settle::workbook(&lines, &totals, &style, path)?;
        return Ok(0);
    }
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
