//! R7 Booking owner 认购归属: developer, channel or agency, and the findings a booking carries.

use super::direct;
use super::registry::Registry;
use super::verdict::{Cite, Code, DirectFault, Finding, FindingDetail, Verdict};
use crate::model::{Booking, Contact, Direct, Discount, Kind, Ledger, Phone, Time};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A booking to judge: a recorded one, or the one a clerk is about to write (`check`), where
/// any field not given is not checked.
#[derive(Clone, Debug)]
pub struct BookingInput<'a> {
    pub id: &'a str,
    pub index: usize,
    pub at: Time,
    pub phone: Phone,
    pub unit: Option<&'a str>,
    pub buyer: Option<&'a str>,
    /// (price, list price)
    pub price: Option<(Decimal, Decimal)>,
    pub consultant: Option<&'a str>,
    pub discount: Option<&'a str>,
}

impl<'a> BookingInput<'a> {
    pub fn of(b: &'a Booking, index: usize) -> Self {
        BookingInput {
            id: &b.id,
            index,
            at: b.at,
            phone: b.phone,
            unit: Some(&b.unit),
            buyer: Some(&b.buyer),
            price: Some((b.price, b.list_price)),
            consultant: b.consultant.as_deref(),
            discount: b.discount.as_deref(),
        }
    }
}

/// R7: the owner of booking `b` and its findings.
pub fn verdict(reg: &Registry, b: &BookingInput) -> Verdict {
    let mut v = Verdict::new(Kind::Booking, b.index, b.id, b.at, Code::Agency, "R7.3");
    v.phone = Some(b.phone);
    v.amount = b.price.map(|(p, _)| p);
    v.consultant = b
        .consultant
        .map(crate::model::Text::from)
        .or_else(|| reg.first_visit(b.phone).and_then(|c| c.consultant.clone()));
    let (valid_direct, invalid_direct) = direct_for(reg, b);
    if let Some(d) = valid_direct {
        // R7.1 developer: a direct slip valid for this booking.
        v.code = Code::Developer;
        v.rule = "R7.1";
        v.cite = Some(Box::new(Cite::direct(d)));
    } else if let Some((visit, end)) = channel_hold(reg, b) {
        // R7.2 channel: the earliest valid visit whose hold covers the booking.
        v.code = Code::Channel;
        v.rule = "R7.2";
        v.channel = visit.channel.clone();
        v.broker = visit.broker.clone();
        v.cite = Some(Box::new(Cite::contact(visit, Some(end))));
        if let Some(f) = slip_pending(reg, visit) {
            v.findings.push(f);
        }
    }
    if let Some((d, reason)) = invalid_direct {
        v.findings.push(
            Finding::warning(FindingDetail::DirectInvalid { reason }, "R6").cite(Cite::direct(d)),
        );
    }
    if let Some(f) = name_mismatch(reg, b) {
        v.findings.push(f);
    }
    if let Some(f) = unit_taken(reg, b) {
        v.findings.push(f);
    }
    if v.code != Code::Developer {
        v.findings.extend(price_findings(reg, b));
    }
    // R14.3: a complete query slip confirms the buyer's name
    super::query::on_booking(reg, b, &mut v);
    // R13.2: a delisted family's booking is refused (限制交易)
    v.findings
        .extend(super::delist::client_finding(reg, b.phone, b.at, true));
    v
}

/// R7.1 / R6: a direct slip of the family presented at or before the booking that is valid for
/// it; otherwise the latest one with the reason it fails (`direct-invalid`).
fn direct_for<'l>(
    reg: &Registry<'l>,
    b: &BookingInput,
) -> (Option<&'l Direct>, Option<(&'l Direct, DirectFault)>) {
    let mut invalid = None;
    for d in reg
        .directs(b.phone)
        .into_iter()
        .filter(|d| d.presented_at <= b.at)
    {
        match direct::booking_fault(reg, d, b.buyer, b.unit) {
            None => return (Some(d), None),
            Some(r) => invalid = Some((d, r)),
        }
    }
    (None, invalid)
}

/// R7.2: channel holds by valid visits covering the booking, not cancelled (R8); the earliest.
fn channel_hold<'l>(reg: &Registry<'l>, b: &BookingInput) -> Option<(&'l Contact, Time)> {
    reg.visit_holds_at(b.phone, b.at).into_iter().next()
}

/// R5 / R7 slip-pending: the channel visit's slip is not effective as of the as-of time.
fn slip_pending(reg: &Registry, visit: &Contact) -> Option<Finding> {
    let slip = visit.slip.as_deref().unwrap_or("");
    let status = reg.slips.get(slip);
    if status.is_some_and(|s| s.code == Code::Effective) {
        return None;
    }
    let (slip, status) = (slip.into(), status.map(|s| s.code));
    Some(Finding::warning(
        FindingDetail::SlipPending { slip, status },
        "R5",
    ))
}

/// R7 name-mismatch: the buyer differs from every name the family was received under (a
/// 客户属别查询单 is needed; ownership does not change).
fn name_mismatch(reg: &Registry, b: &BookingInput) -> Option<Finding> {
    let buyer = b.buyer?;
    let names = reg.names(b.phone);
    if names.is_empty() || names.contains(&buyer) {
        return None;
    }
    let names = names.into_iter().map(Into::into).collect();
    Some(Finding::warning(
        FindingDetail::NameMismatch { names },
        "R7",
    ))
}

/// R7 `unit-taken` (销控): the live bookings (`is_live`) as of the as-of time by unit, each
/// unit's in evaluation order (time, then file order). A fact across families, indexed for the
/// whole ledger before the shards run (docs/architecture.md, "Facts across families").
pub type UnitBookings<'l> = HashMap<&'l str, Vec<&'l Booking>>;

/// The index of `UnitBookings` for the whole ledger as of `as_of`.
pub fn unit_bookings<'l>(
    ledger: &'l Ledger,
    as_of: Time,
    voided: &HashSet<&'l str>,
) -> UnitBookings<'l> {
    let cancels = super::cancel::Cancels::new(ledger, as_of, voided);
    let mut units: UnitBookings = HashMap::default();
    for (i, b) in ledger.bookings.iter().enumerate() {
        if is_live(ledger, i, as_of, voided) && cancels.of(&b.id).is_none() {
            units.entry(b.unit.as_str()).or_default().push(b);
        }
    }
    for list in units.values_mut() {
        list.sort_by_key(|b| b.at); // stable: file order at equal times
    }
    units
}

/// R7: whether booking `i` exists (at ≤ as_of) and is not voided; `unit_bookings` also leaves
/// out a booking cancelled as of `as_of` (R12: a cancelled booking frees its unit).
pub fn is_live(ledger: &Ledger, i: usize, as_of: Time, voided: &HashSet<&str>) -> bool {
    let b = &ledger.bookings[i];
    b.at <= as_of && !voided.contains(b.id.as_str())
}

/// R7 `unit-taken` (销控): another family already holds a live booking of the same unit at or
/// before the booking's time; names the earliest such booking. An error.
fn unit_taken(reg: &Registry, b: &BookingInput) -> Option<Finding> {
    let unit = b.unit?;
    let other = (reg.units.get(unit)?.iter())
        .take_while(|o| o.at <= b.at)
        .find(|o| !reg.families.same(o.phone, b.phone))?;
    let detail = FindingDetail::UnitTaken {
        unit: unit.into(),
        booking: other.id.clone(),
        at: other.at,
    };
    Some(Finding::error(detail, "R7"))
}

/// R7 findings on price and unit for non-developer owners: `reserved-unit`, `below-floor`
/// (an error) and `unapproved-discount`.
fn price_findings(reg: &Registry, b: &BookingInput) -> Vec<Finding> {
    let cfg = reg.config;
    let mut out = vec![];
    if let Some(unit) = b.unit
        && cfg.reserved_units.iter().any(|u| u == unit)
    {
        let unit = unit.into();
        out.push(Finding::warning(FindingDetail::ReservedUnit { unit }, "R7"));
    }
    let Some((price, list)) = b.price else {
        return out;
    };
    if list.is_zero() {
        return out;
    }
    let ratio = price / list;
    if ratio < cfg.discount_floor {
        let floor = cfg.discount_floor;
        out.push(Finding::error(
            FindingDetail::BelowFloor { ratio, floor },
            "R7",
        ));
    }
    if let Some(below) = cfg.approval_below
        && ratio < below
        && !b
            .discount
            .and_then(|id| reg.discounts.get(id))
            .is_some_and(|d| covers(reg, d, b, ratio))
    {
        let detail = FindingDetail::UnapprovedDiscount { ratio, below };
        out.push(Finding::warning(detail, "R7"));
    }
    out
}

/// R7: a discount approval covers the booking when both signers are filled, it is the same
/// family's and for the same unit, and the booking's ratio is no lower than the approved one
/// (`unit_price / list_unit_price`, checked when the approval states both unit prices).
fn covers(reg: &Registry, d: &Discount, b: &BookingInput, ratio: Decimal) -> bool {
    let approved_ratio = match (d.unit_price, d.list_unit_price) {
        (Some(p), Some(l)) if !l.is_zero() => Some(p / l),
        _ => None,
    };
    d.is_signed()
        && reg.families.same(d.phone, b.phone)
        && b.unit.is_none_or(|u| u == d.unit)
        && approved_ratio.is_none_or(|a| ratio >= a)
}

/// `check` (R7): among the family's approvals for the unit (existing as of T, not voided), one
/// that covers the prospective booking: the earliest by time, then id. `None` without a unit or
/// a price, or when none covers it.
pub fn approval_for<'l>(reg: &Registry<'l>, b: &BookingInput) -> Option<&'l Discount> {
    let unit = b.unit?;
    let (price, list) = b.price?;
    if list.is_zero() {
        return None;
    }
    let ratio = price / list;
    let mut found: Vec<&'l Discount> = (reg.discounts.values().copied())
        .filter(|d| d.unit == unit && covers(reg, d, b, ratio))
        .collect();
    found.sort_by(|x, y| (x.at, &x.id).cmp(&(y.at, &y.id)));
    found.into_iter().next()
}

/// R7: booking `i`'s owner.
pub fn step(reg: &Registry, i: usize) -> Verdict {
    verdict(reg, &BookingInput::of(&reg.ledger.bookings[i], i))
}

/// R7 special-discount approval 特殊优惠审批单: `approved` when both project heads signed, else
/// `unsigned`.
pub fn approval(reg: &Registry, i: usize) -> Verdict {
    let d = &reg.ledger.discounts[i];
    let code = if d.is_signed() {
        Code::Approved
    } else {
        Code::Unsigned
    };
    let mut v = Verdict::new(Kind::Discount, i, &d.id, d.at, code, "R7");
    v.phone = Some(d.phone);
    v
}

#[cfg(test)]
mod tests {
    use crate::model::ViolationKind;
    use crate::rules::testkit::*;
    use crate::rules::verdict::{DirectFault, FindingDetail};
    use rust_decimal::Decimal;

    const AS_OF: &str = "2026-05-01 00:00";

    fn findings(l: &Lb, id: &str) -> Vec<&'static str> {
        let e = l.eval(AS_OF);
        e.verdict(id)
            .unwrap()
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    fn channel_client() -> Lb {
        Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .signed("S-C1", "2026-03-02 12:00")
    }

    #[test]
    fn r7_1_developer_with_a_valid_direct_slip() {
        let l = Lb::new()
            .direct("D1", "2026-03-01 09:00", P1)
            .walk_in("C1", "2026-03-01 10:00", P1)
            .booking("B1", "2026-03-05 10:00", P1);
        assert_eq!(l.verdict("B1", AS_OF), ("developer", "R7.1"));
    }

    #[test]
    fn r7_1_direct_slip_at_the_booking_time_counts() {
        let l =
            Lb::new()
                .direct("D1", "2026-03-05 10:00", P1)
                .booking("B1", "2026-03-05 10:00", P1);
        assert_eq!(l.verdict("B1", AS_OF), ("developer", "R7.1"));
    }

    #[test]
    fn r7_1_renamed_buyer_makes_the_direct_slip_invalid() {
        let mut l =
            Lb::new()
                .direct("D1", "2026-03-01 09:00", P1)
                .booking("B1", "2026-03-05 10:00", P1);
        l.l.bookings[0].buyer = "李娜".into();
        assert_eq!(l.verdict("B1", AS_OF), ("agency", "R7.3"));
        let e = l.eval(AS_OF);
        let f = &e.verdict("B1").unwrap().findings[0];
        let reason = DirectFault::NameMismatch;
        assert_eq!(f.detail, FindingDetail::DirectInvalid { reason });
    }

    #[test]
    fn r7_1_other_unit_makes_the_direct_slip_invalid() {
        let mut l =
            Lb::new()
                .direct("D1", "2026-03-01 09:00", P1)
                .booking("B1", "2026-03-05 10:00", P1);
        l.l.bookings[0].unit = "2-2-202".into();
        let e = l.eval(AS_OF);
        let v = e.verdict("B1").unwrap();
        assert_eq!(v.code.as_str(), "agency");
        let reason = DirectFault::UnitMismatch;
        assert_eq!(
            v.findings[0].detail,
            FindingDetail::DirectInvalid { reason }
        );
    }

    #[test]
    fn r7_1_late_direct_slip_gives_the_agency_the_client() {
        let l = Lb::new()
            .walk_in("C1", "2026-03-01 10:00", P1)
            .direct("D1", "2026-03-03 09:00", P1)
            .booking("B1", "2026-03-05 10:00", P1);
        assert_eq!(l.verdict("B1", AS_OF), ("agency", "R7.3"));
        assert_eq!(findings(&l, "B1"), vec!["direct-invalid"]);
    }

    #[test]
    fn r7_2_channel_within_the_hold_inclusive() {
        // valid visit 03-02 10:00, 30 calendar days: through 04-01 23:59:59.
        let l = channel_client()
            .booking("B1", "2026-04-01 23:59", P1)
            .booking("B2", "2026-04-02 00:00", P1);
        assert_eq!(l.verdict("B1", AS_OF), ("channel", "R7.2"));
        assert_eq!(l.verdict("B2", AS_OF), ("agency", "R7.3"));
    }

    #[test]
    fn r7_2_earliest_valid_visit_wins() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .relation("F1", "2026-03-03 09:00", P1, P2)
            .report("R2", "2026-03-25 09:00", "房多多", "赵六", P3)
            .relation("F2", "2026-03-25 10:00", P2, P3)
            .booking("B1", "2026-03-28 10:00", P3);
        let e = l.eval(AS_OF);
        let v = e.verdict("B1").unwrap();
        assert_eq!(
            (v.code.as_str(), v.channel.as_deref()),
            ("channel", Some("链家"))
        );
    }

    #[test]
    fn r7_2_cutting_cancels_the_channel_claim() {
        let l = channel_client()
            .violation(
                "V1",
                "2026-03-10 10:00",
                ViolationKind::Cutting,
                "链家",
                Some(P1),
            )
            .booking("B1", "2026-03-12 10:00", P1);
        assert_eq!(l.verdict("B1", AS_OF), ("agency", "R7.3"));
    }

    #[test]
    fn r7_slip_pending_until_the_slip_takes_effect() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .sign("S-C1", "2026-03-02 11:00", "reception", "李")
            .booking("B1", "2026-03-05 10:00", P1)
            .sign("S-C1", "2026-03-06 11:00", "site_manager", "付柏")
            .sign("S-C1", "2026-03-06 12:00", "developer", "陈建")
            .sign("S-C1", "2026-03-07 12:00", "final", "任总");
        let at = |s| {
            let e = l.eval(s);
            e.verdict("B1")
                .unwrap()
                .findings
                .iter()
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(at("2026-03-06 00:00"), vec!["slip-pending"]);
        assert!(at("2026-03-07 12:00").is_empty());
    }

    #[test]
    fn r7_name_mismatch_is_a_warning_and_keeps_the_owner() {
        let mut l = channel_client().booking("B1", "2026-03-05 10:00", P1);
        l.l.bookings[0].buyer = "王芳".into();
        assert_eq!(l.verdict("B1", AS_OF), ("channel", "R7.2"));
        assert_eq!(findings(&l, "B1"), vec!["name-mismatch"]);
    }

    #[test]
    fn r7_reserved_unit_for_non_developer_owners() {
        let mut l =
            Lb::new()
                .walk_in("C1", "2026-03-01 10:00", P1)
                .booking("B1", "2026-03-05 10:00", P1);
        l.l.bookings[0].unit = "3-1-1201".into();
        assert_eq!(findings(&l, "B1"), vec!["reserved-unit"]);
    }

    #[test]
    fn r7_floor_and_approval_boundaries() {
        let mut l = Lb::new()
            .walk_in("C1", "2026-03-01 10:00", P1)
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-05 10:00", P1)
            .booking("B3", "2026-03-05 10:00", P1)
            .booking("B4", "2026-03-05 10:00", P1)
            .discount("A1", "2026-03-04 10:00", P1);
        let set = |l: &mut Lb, i: usize, p: i64| l.l.bookings[i].price = Decimal::from(p);
        set(&mut l, 0, 1_960_000); // 0.98 exactly: no finding
        set(&mut l, 1, 1_959_999); // just below 0.98: unapproved
        set(&mut l, 2, 1_840_000); // 0.92 exactly: not below floor, unapproved
        set(&mut l, 3, 1_839_999); // below floor
        l.l.bookings[3].discount = Some("A1".into());
        assert!(findings(&l, "B1").is_empty());
        assert_eq!(findings(&l, "B2"), vec!["unapproved-discount"]);
        assert_eq!(findings(&l, "B3"), vec!["unapproved-discount"]);
        assert_eq!(
            findings(&l, "B4"),
            vec!["below-floor"],
            "approved, but under the floor"
        );
        let e = l.eval(AS_OF);
        assert!(e.verdict("B4").unwrap().has_error());
        assert!(!e.verdict("B2").unwrap().has_error());
    }

    #[test]
    fn r7_unsigned_or_foreign_discount_does_not_approve() {
        let mut l = Lb::new()
            .walk_in("C1", "2026-03-01 10:00", P1)
            .discount("A1", "2026-03-04 10:00", P1)
            .discount("A2", "2026-03-04 10:00", P2)
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-05 10:00", P1);
        l.l.discounts[0].agency_signer = None;
        for (i, a) in ["A1", "A2"].iter().enumerate() {
            l.l.bookings[i].price = Decimal::from(1_900_000);
            l.l.bookings[i].discount = Some((*a).into());
        }
        assert_eq!(findings(&l, "B1"), vec!["unapproved-discount"]);
        assert_eq!(findings(&l, "B2"), vec!["unapproved-discount"]);
    }

    #[test]
    fn r7_an_approval_covers_a_ratio_no_lower_than_the_approved_one() {
        // A1 approves 17100 / 18000 = 0.95 (95折): a booking at 0.95 is covered, at 0.9499 not
        let mut l = Lb::new()
            .walk_in("C1", "2026-03-01 10:00", P1)
            .discount("A1", "2026-03-04 10:00", P1)
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-05 10:00", P1);
        let d = &mut l.l.discounts[0];
        (d.unit_price, d.list_unit_price) = (Some(17_100.into()), Some(18_000.into()));
        for (i, p) in [1_900_000, 1_899_999].into_iter().enumerate() {
            l.l.bookings[i].price = Decimal::from(p);
            l.l.bookings[i].discount = Some("A1".into());
        }
        assert!(findings(&l, "B1").is_empty());
        assert_eq!(findings(&l, "B2"), vec!["unapproved-discount"]);
    }

    #[test]
    fn r7_unit_taken_another_familys_booking_at_or_before_names_it() {
        // "another family already holds a booking of the same unit at or before t"
        let l = Lb::new()
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-05 10:00", P2) // at the same time: at or before
            .booking("B3", "2026-03-06 10:00", P1) // its own family's unit: not taken
            .booking("B4", "2026-03-07 10:00", P3);
        let e = l.eval(AS_OF);
        let taken = |id| {
            let v = e.verdict(id).unwrap();
            let f = v
                .findings
                .iter()
                .find(|f| f.code.as_str() == "unit-taken")?;
            assert!(v.has_error(), "unit-taken is an error");
            match &f.detail {
                FindingDetail::UnitTaken { booking, unit, .. } => {
                    assert_eq!(unit.as_str(), "1-1-101");
                    Some(booking.to_string())
                }
                _ => None,
            }
        };
        assert_eq!(taken("B1").as_deref(), Some("B2"), "B2 is at the same time");
        assert_eq!(taken("B2").as_deref(), Some("B1"));
        assert_eq!(taken("B3").as_deref(), Some("B2"), "P1 has B1; B2 is P2's");
        assert_eq!(taken("B4").as_deref(), Some("B1"), "the earliest is named");
    }

    #[test]
    fn r7_unit_taken_not_by_a_voided_booking_nor_a_later_one() {
        let l = Lb::new()
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-06 10:00", P2)
            .void("X1", "2026-03-10 10:00", "B1");
        assert_eq!(findings(&l, "B2"), Vec::<&str>::new(), "B1 voided as of T");
        let e = l.eval("2026-03-09 10:00");
        let codes: Vec<_> = (e.verdict("B2").unwrap().findings.iter())
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(
            codes,
            vec!["unit-taken"],
            "before the void B1 holds the unit"
        );
        assert!(e.verdict("B1").unwrap().findings.is_empty(), "B2 is later");
    }

    #[test]
    fn r7_unit_taken_not_by_a_booking_cancelled_as_of_t() {
        // R7: "another family's booking of the unit … neither voided nor cancelled (R12) as of T"
        let cancel = |l: Lb| {
            let cells = [("id", "CX1"), ("at", "2026-03-10 10:00"), ("booking", "B1")];
            l.row(
                crate::model::Kind::Cancellation,
                &[&cells[..], &[("reason", "client_breach")]].concat(),
            )
        };
        let l = cancel(Lb::new().booking("B1", "2026-03-05 10:00", P1).booking(
            "B2",
            "2026-03-06 10:00",
            P2,
        ));
        let codes = |at: &str| -> Vec<&'static str> {
            let e = l.eval(at);
            (e.verdict("B2").unwrap().findings.iter())
                .map(|f| f.code.as_str())
                .collect()
        };
        assert_eq!(
            codes("2026-03-09 10:00"),
            ["unit-taken"],
            "B1 not cancelled yet"
        );
        assert_eq!(
            codes(AS_OF),
            Vec::<&str>::new(),
            "B1 cancelled as of T frees the unit"
        );
    }

    #[test]
    fn r7_unit_taken_families_as_they_stand_at_the_booking() {
        // P2 books P1's unit, then P2 joins P1's family: B2 was another family's booking
        let l = Lb::new()
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-06 10:00", P2)
            .relation("F1", "2026-03-07 10:00", P1, P2)
            .booking("B3", "2026-03-08 10:00", P2);
        assert_eq!(findings(&l, "B2"), vec!["unit-taken"]);
        assert!(findings(&l, "B3").is_empty(), "one family now");
    }

    #[test]
    fn r7_developer_owner_skips_price_findings() {
        let mut l =
            Lb::new()
                .direct("D1", "2026-03-01 09:00", P1)
                .booking("B1", "2026-03-05 10:00", P1);
        l.l.bookings[0].price = Decimal::from(1_500_000);
        assert_eq!(l.verdict("B1", AS_OF), ("developer", "R7.1"));
        assert!(findings(&l, "B1").is_empty());
    }

    #[test]
    fn r7_consultant_is_the_first_visit_consultant_unless_named() {
        let mut l = Lb::new()
            .walk_in("C1", "2026-03-01 10:00", P1)
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-05 10:00", P1);
        l.l.bookings[1].consultant = Some("小王".into());
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("B1").unwrap().consultant.as_deref(), Some("小李"));
        assert_eq!(e.verdict("B2").unwrap().consultant.as_deref(), Some("小王"));
    }
}
