//! `attrib check PHONE`: the client's owner now and why; exit 1 when the booking described
//! would carry an error finding.

use super::{Global, open};
use crate::ledger::fields::{parse_decimal, parse_phone};
use crate::render::errors::{field_error, pick};
use crate::render::{self, Format};
use crate::rules::{self, Scope, check::Prospect};
use anyhow::bail;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The client's phone (spaces, dashes and +86 are fine).
    pub phone: String,
    /// The buyer's name on the booking.
    #[arg(long)]
    pub name: Option<String>,
    /// The unit to book.
    #[arg(long)]
    pub unit: Option<String>,
    /// The booking price.
    #[arg(long, requires = "list_price")]
    pub price: Option<String>,
    /// The unit's list price.
    #[arg(long, requires = "price")]
    pub list_price: Option<String>,
    /// Read the ledger as it stood at this git revision.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

pub fn run(g: &Global, a: CheckArgs) -> anyhow::Result<i32> {
    let phone = parse_phone(&a.phone).map_err(|e| field_error(e, "PHONE"))?;
    let price = match (&a.price, &a.list_price) {
        (Some(p), Some(l)) => Some((
            parse_decimal(p).map_err(|e| field_error(e, "--price"))?,
            parse_decimal(l).map_err(|e| field_error(e, "--list-price"))?,
        )),
        (None, None) => None,
        _ => bail!(pick(
            "--price 和 --list-price 要一起给".into(),
            "--price and --list-price go together".into()
        )),
    };
    let ledger = open(g, a.rev.as_deref())?;
    let settings = g.settings(&ledger.config)?;
    let style = settings.style();
    let e = rules::evaluate_scoped(ledger, settings.as_of, Scope::Family(phone));
    let prospect = Prospect {
        name: a.name,
        unit: a.unit,
        price,
    };
    let s = rules::check::client_status(&e, phone, &prospect);
    let counter = rules::check::counter(&e, &s, &prospect);
    match settings.format {
        Format::Table => {
            // R13.2: a delisted family's phones are sealed in human output
            let sealed = rules::delist::sealed_phones(&e.registry);
            let style = render::Style {
                sealed: Box::leak(sealed.into_boxed_slice()),
                ..style
            };
            say!("{}", render::check::text(&s, &counter, &e.verdicts, &style))?
        }
        Format::Json => say!("{}", render::check::json(&s, &e.verdicts, &style))?,
        Format::Csv => render::check::csv(&s, &style, &mut std::io::stdout().lock())?,
    }
    Ok(if s.booking.has_error() { 1 } else { 0 })
}
