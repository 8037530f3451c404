//! `attrib replay`: every record's verdict in evaluation order (the auditor's view).

use super::{Global, open};
use crate::render::{self, Format};
use crate::rules;

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(g: &Global, a: ReplayArgs) -> anyhow::Result<i32> {
    let ledger = open(g, a.rev.as_deref())?;
    let s = g.settings(&ledger.config)?;
    let style = s.style();
    let e = rules::evaluate(ledger, s.as_of);
    match s.format {
        Format::Table => {
            // R13.2: delisted families' phones are sealed in human output
            let sealed = rules::delist::sealed_phones(&e.registry);
            let style = render::Style {
                sealed: Box::leak(sealed.into_boxed_slice()),
                ..style
            };
            if ledger.config.mode == crate::model::Mode::VisitFirst {
                say!("{}", render::replay::mode_line(&style))?
            }
            say!("{}", render::replay::table_text(&e.verdicts, &style))?
        }
        Format::Json => say!("{}", render::replay::json(&e.verdicts, &style))?,
        Format::Csv => render::replay::csv(&e.verdicts, &style, &mut std::io::stdout().lock())?,
    }
    Ok(0)
}
