//! `attrib grades [--at T]`: each channel's grade A–D as of T with the figures that made it
//! (RULES-R10 R18, §4.5).

use super::{Global, open};
use crate::render::{self, Format};
use crate::rules::{self, grading};

#[derive(clap::Args, Debug)]
pub struct GradesArgs {
    /// Start the CSV with a UTF-8 byte-order mark, so Excel on Chinese Windows reads it right.
    #[arg(long)]
    pub bom: bool,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(g: &Global, a: GradesArgs) -> anyhow::Result<i32> {
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let e = rules::evaluate(ledger, s.as_of);
    let grades = grading::grades(ledger, &e, s.as_of);
    let months = ledger.config.grading.months;
    let from = grading::window_start(s.as_of, months);
    let out = &mut std::io::stdout().lock();
    match s.format {
        Format::Table => say!(
            "{}",
            render::grades::table_of(&grades, &style, s.as_of, from)
        )?,
        Format::Json => say!(
            "{}",
            render::grades::json(&grades, &style, s.as_of, from, months)
        )?,
        Format::Csv => render::grades::csv(&grades, &style, a.bom, out)?,
    }
    Ok(0)
}
