//! R6 Developer-direct client 甲方直接客户: a direct slip 甲方直接客户确认单 with every field
//! filled, presented no later than the calendar day of the family's first visit.

use super::registry::Registry;
use super::time::local_day;
use super::verdict::{Code, Detail, DirectFault, DirectField, Verdict};
use crate::model::{Direct, Kind};

/// R6: the verdict on direct slip `i` when it is presented.
pub fn verdict(reg: &Registry, i: usize) -> Verdict {
    let d = &reg.ledger.directs[i];
    let (code, rule, detail) = status(reg, d);
    let mut v = Verdict::new(Kind::Direct, i, &d.id, d.presented_at, code, rule);
    v.phone = Some(d.phone);
    v.detail = detail;
    if code == Code::Late
        && let Some(first) = reg.first_visit(d.phone)
    {
        v.cite = Some(Box::new(super::verdict::Cite::contact(first, None)));
    }
    v
}

/// R6: `valid`, `incomplete` (naming the empty fields) or `late`, with the family's first visit
/// as the registry knows it now.
pub fn status(reg: &Registry, d: &Direct) -> (Code, &'static str, Detail) {
    let fields = missing_fields(d);
    if !fields.is_empty() {
        return (Code::Incomplete, "R6.1", Detail::Incomplete { fields });
    }
    if is_late(reg, d) {
        return (Code::Late, "R6.2", Detail::None);
    }
    (Code::Valid, "R6", Detail::None)
}

/// R6.1 incomplete: every field of the slip must be filled (确认单上的每项不能空缺).
pub fn missing_fields(d: &Direct) -> Vec<DirectField> {
    let filled = [
        (DirectField::Client, d.client.is_some()),
        (DirectField::Unit, d.unit.is_some()),
        (DirectField::Area, d.area.is_some()),
        (DirectField::ListUnitPrice, d.list_unit_price.is_some()),
        (DirectField::UnitPrice, d.unit_price.is_some()),
        (DirectField::Total, d.total.is_some()),
        (DirectField::Other, d.other.is_some()),
        (DirectField::Request, d.request.is_some()),
        (DirectField::ClientSignature, d.client_signature.is_some()),
        (DirectField::DeveloperSigner, d.developer_signer.is_some()),
        (DirectField::AgencySigner, d.agency_signer.is_some()),
    ];
    filled
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect()
}

/// R6.2 late: presented after the calendar day of the family's first visit (a relationship
/// client who shows the slip after visiting is the agency's).
fn is_late(reg: &Registry, d: &Direct) -> bool {
    let tz = reg.config.timezone;
    reg.first_visit(d.phone)
        .is_some_and(|v| local_day(d.presented_at, tz) > local_day(v.at, tz))
}

/// R6 for a booking: why slip `d` is not valid for a booking by `buyer` of `unit` (R6.1, R6.2,
/// then R6.3 / R6.4), or `None` when it is.
pub fn booking_fault(
    reg: &Registry,
    d: &Direct,
    buyer: Option<&str>,
    unit: Option<&str>,
) -> Option<DirectFault> {
    if !missing_fields(d).is_empty() {
        return Some(DirectFault::Incomplete);
    }
    if is_late(reg, d) {
        return Some(DirectFault::Late);
    }
    booking_mismatch(d, buyer, unit)
}

/// R6.3 / R6.4: for a booking the slip must also name the buyer (`name-mismatch`; the slip is
/// personal and may not be renamed) and the unit booked (`unit-mismatch`).
pub fn booking_mismatch(
    d: &Direct,
    buyer: Option<&str>,
    unit: Option<&str>,
) -> Option<DirectFault> {
    if buyer.is_some_and(|b| d.client.as_deref() != Some(b)) {
        return Some(DirectFault::NameMismatch);
    }
    if unit.is_some_and(|u| d.unit.as_deref() != Some(u)) {
        return Some(DirectFault::UnitMismatch);
    }
    None
}

/// R6: judges direct slip `i`, then registers it and the client's name.
pub fn step(reg: &mut Registry, i: usize) -> Verdict {
    let v = verdict(reg, i);
    reg.add_direct(i);
    let d = &reg.ledger.directs[i];
    if let Some(name) = &d.client {
        reg.add_name(d.phone, name);
    }
    v
}

#[cfg(test)]
mod tests {
    use crate::rules::testkit::*;
    use crate::rules::verdict::{Detail, DirectField};

    #[test]
    fn r6_valid_when_complete_and_presented_before_any_visit() {
        let l = Lb::new().direct("D1", "2026-03-01 09:00", P1);
        assert_eq!(l.verdict("D1", "2026-03-02 00:00"), ("valid", "R6"));
    }

    #[test]
    fn r6_1_incomplete_names_every_empty_field() {
        let mut l = Lb::new().direct("D1", "2026-03-01 09:00", P1);
        l.l.directs[0].unit = None;
        l.l.directs[0].agency_signer = None;
        let e = l.eval("2026-03-02 00:00");
        let v = e.verdict("D1").unwrap();
        assert_eq!(v.code.as_str(), "incomplete");
        assert_eq!(
            v.detail,
            Detail::Incomplete {
                fields: vec![DirectField::Unit, DirectField::AgencySigner]
            }
        );
    }

    #[test]
    fn r6_2_same_calendar_day_as_first_visit_is_in_time() {
        let l = Lb::new()
            .walk_in("C1", "2026-03-01 10:00", P1)
            .direct("D1", "2026-03-01 23:59", P1)
            .direct("D2", "2026-03-02 00:00", P1);
        assert_eq!(l.verdict("D1", "2026-03-05 00:00"), ("valid", "R6"));
        assert_eq!(l.verdict("D2", "2026-03-05 00:00"), ("late", "R6.2"));
    }

    #[test]
    fn r6_2_a_call_is_not_a_visit() {
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .direct("D1", "2026-03-03 10:00", P1);
        assert_eq!(l.verdict("D1", "2026-03-05 00:00"), ("valid", "R6"));
    }

    #[test]
    fn r6_2_a_family_members_first_visit_counts() {
        let l = Lb::new()
            .walk_in("C1", "2026-03-01 10:00", P2)
            .relation("F1", "2026-03-02 10:00", P1, P2)
            .direct("D1", "2026-03-03 10:00", P1);
        assert_eq!(l.verdict("D1", "2026-03-05 00:00"), ("late", "R6.2"));
    }

    #[test]
    fn r6_2_calendar_day_is_the_project_zones() {
        // visit at 2026-03-01 23:30 Beijing = 15:30Z; a slip at 2026-03-01T20:00:00Z is
        // 03-02 04:00 in Beijing: the next day, late.
        let l = Lb::new().walk_in("C1", "2026-03-01 23:30", P1).direct(
            "D1",
            "2026-03-01T20:00:00+00:00",
            P1,
        );
        assert_eq!(l.verdict("D1", "2026-03-05 00:00"), ("late", "R6.2"));
    }
}
