//! R8 Penalties 处罚: what each penalty notice 处罚通知书 costs the channel.

use crate::model::{Config, Violation, ViolationKind};
use rust_decimal::Decimal;

/// R8: the fine of one violation (positive; settlement charges it to the channel).
/// - `zone` 保护区: `zone_units` × `unit_agency_fee` (3 套房屋代理费);
/// - `false_info` 不实信息: `false_info` × persons;
/// - `order_swap` 串单: `order_swap` × persons + damages;
/// - `cutting` 切客: `cutting` per time (and it cancels the channel's claims, R4.1 / R7).
///
/// `persons` defaults to 1.
pub fn fine(cfg: &Config, v: &Violation) -> Decimal {
    let persons = Decimal::from(v.persons.map_or(1, |p| p.0));
    match v.kind {
        ViolationKind::Zone => Decimal::from(cfg.zone_units) * cfg.unit_agency_fee,
        ViolationKind::FalseInfo => cfg.false_info * persons,
        ViolationKind::OrderSwap => cfg.order_swap * persons + v.damages.unwrap_or_default(),
        ViolationKind::Cutting => cfg.cutting,
    }
}

/// R8: a penalty notice's verdict: `penalty`, with its fine.
pub fn verdict(reg: &super::registry::Registry, i: usize) -> super::verdict::Verdict {
    use super::verdict::{Code, Verdict};
    let x = &reg.ledger.violations[i];
    let kind = crate::model::Kind::Violation;
    let mut v = Verdict::new(kind, i, &x.id, x.at, Code::Penalty, "R8");
    v.phone = x.phone;
    v.channel = Some(x.channel.clone());
    v.broker = x.broker.clone();
    v.amount = Some(fine(reg.config, x));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn v(kind: ViolationKind, persons: Option<u32>, damages: Option<i64>) -> Violation {
        let mut l = Lb::new().violation("V1", "2026-03-01 10:00", kind, "链家", None);
        l.l.violations[0].persons = persons.map(crate::model::Persons);
        l.l.violations[0].damages = damages.map(Decimal::from);
        l.l.violations.remove(0)
    }

    #[test]
    fn r8_zone_costs_three_units_fees() {
        assert_eq!(
            fine(&config(), &v(ViolationKind::Zone, Some(4), None)),
            Decimal::from(90000)
        );
    }

    #[test]
    fn r8_false_info_per_person_default_one() {
        assert_eq!(
            fine(&config(), &v(ViolationKind::FalseInfo, None, None)),
            Decimal::from(5000)
        );
        assert_eq!(
            fine(&config(), &v(ViolationKind::FalseInfo, Some(3), None)),
            Decimal::from(15000)
        );
    }

    #[test]
    fn r8_order_swap_adds_damages() {
        assert_eq!(
            fine(
                &config(),
                &v(ViolationKind::OrderSwap, Some(2), Some(12345))
            ),
            Decimal::from(22345)
        );
    }

    #[test]
    fn r8_cutting_is_per_time_whatever_the_persons() {
        assert_eq!(
            fine(&config(), &v(ViolationKind::Cutting, Some(5), None)),
            Decimal::from(5000)
        );
    }
}
