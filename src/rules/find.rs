//! `find` 查客户: the families a clerk means by a name (whole or part), a phone's last four
//! digits or a unit, with each family's standing — at the counter a clerk often has only one of
//! these.

use super::Evaluation;
use super::check::{ClientStatus, Prospect, client_status};
use super::verdict::Code;
use crate::model::{Kind, Ledger, Phone, Text};
use std::collections::BTreeMap;

/// One family found: its standing (as `check` gives it for its first phone), every name it was
/// received, reported or booked under, and its bookings (index into `Evaluation::verdicts`, unit).
#[derive(Clone, Debug)]
pub struct Found {
    pub status: ClientStatus,
    pub names: Vec<Text>,
    pub bookings: Vec<(usize, Text)>,
}

/// The families with a record (judged, not voided) whose phone ends with the four digits
/// `text`, whose unit is `text`, or one of whose names contains `text`; by first phone.
pub fn find(e: &Evaluation, text: &str) -> Vec<Found> {
    let text = text.trim();
    if text.is_empty() {
        return vec![];
    }
    let l = e.registry.ledger;
    let families = &e.registry.families;
    let mut found: BTreeMap<Phone, Found> = BTreeMap::new();
    let mut matched = vec![];
    for (i, v) in e.verdicts.iter().enumerate() {
        let Some(phone) = v.phone.filter(|_| v.code != Code::Voided) else {
            continue;
        };
        let root = families.members(phone)[0];
        let (name, unit) = name_and_unit(l, v.kind, v.index);
        let f = found.entry(root).or_insert_with(|| Found {
            status: client_status(e, root, &Prospect::default()),
            names: vec![],
            bookings: vec![],
        });
        if let Some(n) = name.filter(|n| !f.names.iter().any(|x| x == n)) {
            f.names.push(n.into());
        }
        if let (Kind::Booking, Some(unit)) = (v.kind, unit) {
            f.bookings.push((i, unit.into()));
        }
        if ends_with_digits(phone, text)
            || unit == Some(text)
            || name.is_some_and(|n| n.contains(text))
        {
            matched.push(root);
        }
    }
    found
        .into_iter()
        .filter(|(root, _)| matched.contains(root))
        .map(|(_, f)| f)
        .collect()
}

/// Whether `text` is four digits that end the phone (尾号).
fn ends_with_digits(phone: Phone, text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) && phone.to_string().ends_with(text)
}

/// The client name and unit a record carries, if any.
fn name_and_unit(l: &Ledger, kind: Kind, i: usize) -> (Option<&str>, Option<&str>) {
    match kind {
        Kind::Report => (Some(&l.reports[i].client), None),
        Kind::Contact => (l.contacts[i].client.as_deref(), None),
        Kind::Direct => (l.directs[i].client.as_deref(), l.directs[i].unit.as_deref()),
        Kind::Discount => (l.discounts[i].client.as_deref(), Some(&l.discounts[i].unit)),
        Kind::Booking => (Some(&l.bookings[i].buyer), Some(&l.bookings[i].unit)),
        Kind::Viewing => (Some(&l.viewings[i].client), Some(&l.viewings[i].property)),
        Kind::Deal => (Some(&l.deals[i].buyer), Some(&l.deals[i].property)),
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    fn found(l: &Lb, text: &str) -> Vec<(Vec<String>, Vec<String>)> {
        let e = l.eval("2026-05-01 00:00");
        super::find(&e, text)
            .iter()
            .map(|f| {
                let phones = f.status.family.iter().map(|p| p.to_string()).collect();
                (phones, f.names.iter().map(|n| n.to_string()).collect())
            })
            .collect()
    }

    fn ledger() -> Lb {
        Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .relation("F1", "2026-03-02 09:00", P1, P2)
            .walk_in("C1", "2026-03-03 10:00", P3)
            .booking("B1", "2026-03-04 10:00", P2)
    }

    #[test]
    fn a_name_part_finds_every_family_received_under_it_once() {
        let both = found(&ledger(), "张");
        assert_eq!(both.len(), 2, "{both:?}");
        assert_eq!(both[0].0, ["13800000001", "13800000002"]);
        assert_eq!(both[0].1, ["张伟"]);
        assert!(found(&ledger(), "李").is_empty());
    }

    #[test]
    fn the_last_four_digits_or_a_unit_find_the_family() {
        let by_digits = found(&ledger(), "0003");
        assert_eq!(by_digits.len(), 1);
        assert_eq!(by_digits[0].0, ["13800000003"]);
        let by_unit = found(&ledger(), " 1-1-101 ");
        assert_eq!(by_unit.len(), 1);
        assert_eq!(by_unit[0].0, ["13800000001", "13800000002"]);
        assert!(
            found(&ledger(), "1-1-10").is_empty(),
            "a unit is matched whole"
        );
        assert!(found(&ledger(), "003").is_empty(), "four digits, not three");
    }

    #[test]
    fn voided_records_find_nothing() {
        let l = ledger().void("X1", "2026-03-05 10:00", "C1");
        assert!(found(&l, "0003").is_empty());
    }
}
