//! `attrib consultants`: each consultant's standing (R11.6 credit, R11.8 lines).

use super::status_at;
use crate::model::{Kind, Phone, Text, Time};
use rustc_hash::FxHashSet as HashSet;

/// `attrib consultants`: one consultant's figures over a run of months.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Standing {
    pub consultant: Text,
    /// Families whose consultant of record this is at the evaluation's as-of time.
    pub clients: usize,
    /// Non-voided bookings in the months credited to this consultant (R11.6).
    pub bookings: usize,
    /// R11.8 consultant commission lines due in the months, reversals included.
    pub commission: rust_decimal::Decimal,
    /// R11.8 departed-share lines due in the months, reversals included.
    pub departed_share: rust_decimal::Decimal,
}

/// Every consultant's standing: clients held at the as-of time (the consultant of record of each
/// family), bookings in `[from, before)` credited to them, and their consultant lines due in it
/// (`lines`, as `settle::range_lines` gives them). Sorted by name.
pub fn standings(
    e: &crate::rules::Evaluation,
    lines: &[crate::rules::settle::Line],
    (from, before): (Time, Time),
) -> Vec<Standing> {
    use crate::rules::settle::LineKind;
    let reg = &e.registry;
    let mut out: std::collections::BTreeMap<Text, Standing> = Default::default();
    fn row<'a>(
        out: &'a mut std::collections::BTreeMap<Text, Standing>,
        name: &Text,
    ) -> &'a mut Standing {
        out.entry(name.clone()).or_insert_with(|| Standing {
            consultant: name.clone(),
            ..Default::default()
        })
    }
    let mut seen: HashSet<Phone> = HashSet::default();
    let l = reg.ledger;
    let phones = (l.contacts.iter().map(|c| (c.phone, c.at)))
        .chain(l.handovers.iter().map(|h| (h.phone, h.at)))
        .chain(l.bookings.iter().map(|b| (b.phone, b.at)));
    for (p, at) in phones {
        if at > reg.as_of || !seen.insert(reg.families.members(p)[0]) {
            continue;
        }
        if let Some((Some(h), _, _)) = status_at(reg, p) {
            row(&mut out, &h.name).clients += 1;
        }
    }
    for v in e.verdicts.iter().filter(|v| v.kind == Kind::Booking) {
        if let Some(s) = v.credit.as_deref().and_then(|c| c.serving.as_ref())
            && from <= v.at
            && v.at < before
        {
            row(&mut out, s).bookings += 1;
        }
    }
    for x in lines {
        match x.kind {
            LineKind::ConsultantCommission | LineKind::ConsultantCommissionReversal => {
                row(&mut out, &x.payee).commission += x.amount
            }
            LineKind::DepartedShare | LineKind::DepartedShareReversal => {
                row(&mut out, &x.payee).departed_share += x.amount
            }
            _ => {}
        }
    }
    out.into_values().collect()
}
