//! `attrib clients --expiring [N]`: R17's morning list — holds and protections ending within N
//! days (default 3, `reminders.expiring_days`), soonest first, with whom to call.

use super::{Global, open};
use crate::render::{self, Format};
use crate::rules::{self, reminders};

#[derive(clap::Args, Debug)]
pub struct ClientsArgs {
    /// Holds and protections ending within N days (default: `[reminders] expiring_days` of
    /// attrib.toml, else 3).
    #[arg(long, value_name = "N", num_args = 0..=1)]
    pub expiring: Option<Option<u32>>,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(g: &Global, a: ClientsArgs) -> anyhow::Result<i32> {
    let ledger = open(g, a.rev.as_deref())?;
    let days = a.expiring.flatten().unwrap_or(ledger.config.expiring_days);
    let settings = g.settings(&ledger.config)?;
    let style = settings.style();
    let e = rules::evaluate(ledger, settings.as_of);
    let items = reminders::expiring(&e, days);
    match settings.format {
        Format::Table => say!("{}", render::clients::text(&items, days, &style))?,
        Format::Json => say!("{}", render::clients::json(&items, &style))?,
        Format::Csv => render::clients::csv(&items, &style, &mut std::io::stdout().lock())?,
    }
    Ok(0)
}
