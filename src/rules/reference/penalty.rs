//! R8 Penalties 处罚, the reference's: the cutting violation that cancels a channel's claims on a
//! family (R2.0, R4.1), and what a violation costs.

use super::Walk;
use crate::model::*;
use rust_decimal::Decimal;

impl<'l> Walk<'l> {
    /// R8: the cutting violation against `channel` for a member of the family at or before `t`
    /// that cancelled the channel's claims (the earliest). Violations count by their time, not
    /// by their place in the walk.
    pub(super) fn cutting(
        &self,
        channel: &str,
        family: &[Phone],
        t: Time,
    ) -> Option<&'l Violation> {
        (self.l.violations.iter().enumerate())
            .filter(|(_, v)| v.at <= self.as_of && !self.voided.contains(v.id.as_str()))
            .filter(|(_, v)| v.kind == ViolationKind::Cutting && v.channel == channel)
            .filter(|(_, v)| v.phone.is_some_and(|p| family.contains(&p)))
            .filter(|(_, v)| v.at <= t)
            .min_by_key(|(i, v)| (v.at, v.phone, *i))
            .map(|(_, v)| v)
    }
}

/// R8: what a violation costs.
pub(super) fn fine(cfg: &Config, v: &Violation) -> Decimal {
    let persons = Decimal::from(v.persons.map_or(1, |p| p.0));
    match v.kind {
        ViolationKind::Zone => Decimal::from(cfg.zone_units) * cfg.unit_agency_fee,
        ViolationKind::FalseInfo => cfg.false_info * persons,
        ViolationKind::OrderSwap => cfg.order_swap * persons + v.damages.unwrap_or_default(),
        ViolationKind::Cutting => cfg.cutting,
    }
}
