//! `attrib stats --month M | --from M1 --to M2 [--svg FILE]`: per channel the funnel reports →
//! accepted → valid visits → bookings → commission, beside the agency's own and the developer's
//! clients; `--svg` draws it with a month-by-month bar chart (docs/stats.md).

use super::settle::parse_month;
use super::{Global, open};
use crate::render::{self, Format};
use crate::rules::{self, stats};
use anyhow::{Context, bail};

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// The month, YYYY-MM, in the project zone.
    #[arg(long, value_name = "YYYY-MM", required_unless_present = "from")]
    pub month: Option<String>,
    /// The first month of a run of months, YYYY-MM; with --to.
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
    /// Also draw the funnel and a month-by-month bar chart into this SVG file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<std::path::PathBuf>,
    /// Start the CSV with a UTF-8 byte-order mark, so Excel on Chinese Windows reads it right.
    #[arg(long)]
    pub bom: bool,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

/// The first and last month asked for: `--month M` is the run from M to M.
fn first_last(a: &StatsArgs) -> anyhow::Result<((i32, u32), (i32, u32))> {
    match (&a.month, &a.from, &a.to) {
        (Some(m), _, _) => parse_month(m).map(|m| (m, m)),
        (None, Some(from), Some(to)) => {
            let (first, last) = (parse_month(from)?, parse_month(to)?);
            if last < first {
                bail!("--to {to} is before --from {from}");
            }
            Ok((first, last))
        }
        _ => bail!("stats needs --month YYYY-MM, or --from YYYY-MM --to YYYY-MM"),
    }
}

pub fn run(g: &Global, a: StatsArgs) -> anyhow::Result<i32> {
    let (first, last) = first_last(&a)?;
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let months =
        stats::months(first, last, s.zone).context("the months asked for are out of range")?;
    let e = rules::evaluate(ledger, s.as_of);
    let st = stats::stats(&e, months);
    if let Some(path) = &a.svg {
        let svg = render::stats::svg(&st, &style, &ledger.config.name)?;
        std::fs::write(path, svg).with_context(|| format!("writing {}", path.display()))?;
    }
    let out = &mut std::io::stdout().lock();
    match s.format {
        Format::Table => say!("{}", render::stats::table_of(&st, &style))?,
        Format::Json => say!("{}", render::stats::json(&st, &style))?,
        Format::Csv => render::stats::csv(&st, &style, a.bom, out)?,
    }
    Ok(0)
}
