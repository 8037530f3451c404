//! `attrib find TEXT`: the families a name (whole or part), a phone's last four digits or a unit
//! points at, one line each.

use super::{Global, open};
use crate::render::{self, Format};
use crate::rules;

#[derive(clap::Args, Debug)]
pub struct FindArgs {
    /// A name or part of one (张), a phone's last four digits (0001), or a unit (3-3-803).
    pub text: String,
}

pub fn run(g: &Global, a: FindArgs) -> anyhow::Result<i32> {
    let ledger = open(g, None)?;
    let settings = g.settings(&ledger.config)?;
    let style = settings.style();
    let e = rules::evaluate(ledger, settings.as_of);
    let found = rules::find::find(&e, &a.text);
    match settings.format {
        Format::Json => {
            let families: Vec<serde_json::Value> = (found.iter())
                .map(|f| {
                    let mut v = serde_json::json!({
                        "phones": f.status.family.iter().map(|p| style.data_phone(*p)).collect::<Vec<_>>(),
                        "names": f.names,
                        "owner": f.status.owner.map(|c| c.as_str()),
                        "rule": f.status.rule,
                        "bookings": f.bookings.iter().map(|(i, u)| serde_json::json!({"id": e.verdicts[*i].id, "unit": u, "owner": e.verdicts[*i].code.as_str()})).collect::<Vec<_>>(),
                    });
                    if let Some(views) = &f.status.viewings {
                        // R10 (§4.3): only when R10 is on
                        v["viewings"] = render::check::viewings_json(views, &style);
                    }
                    v
                })
                .collect();
            say!("{}", serde_json::to_string_pretty(&families)?)?;
        }
        _ => say!("{}", render::find::text(&found, &e.verdicts, &style))?,
    }
    Ok(0)
}
