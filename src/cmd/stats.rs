//! `attrib stats --month M | --from M1 --to M2 [--svg FILE]`: per channel the funnel reports →
//! accepted → valid visits → bookings → commission, beside the agency's own and the developer's
//! clients; `--svg` draws it with a month-by-month bar chart (docs/stats.md).

use super::settle::MonthRun;
use super::{Global, open};
use crate::render::errors::pick;
use crate::render::{self, Format};
use crate::rules::{self, stats};
use anyhow::Context;

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    #[command(flatten)]
    pub months: MonthRun,
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

pub fn run(g: &Global, a: StatsArgs) -> anyhow::Result<i32> {
    let (first, last) = a.months.first_last("stats")?;
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let months = stats::months(first, last, s.zone).with_context(|| {
        pick(
            "所给月份超出范围".into(),
            "the months asked for are out of range".into(),
        )
    })?;
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
