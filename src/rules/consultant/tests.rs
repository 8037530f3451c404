//! R11.2–R11.8 unit tests: RULES-R10 R11's examples and the clauses' edge cases.

use super::super::settle::{Line, LineKind, lines};
use super::super::testkit::*;
use crate::model::{Consultants, Kind, Rate};

const PHONE: &str = "13600000001";

/// RULES-R10 R11's examples: `rate = "0.2%"`, the other keys at their defaults.
fn r11() -> Lb {
    let mut l = Lb::new();
    l.l.config.consultants = Consultants {
        table: true,
        rate: Some(Rate {
            text: "0.2%".into(),
            value: "0.002".parse().unwrap(),
        }),
        ..Default::default()
    };
    l
}

trait R11Rows {
    fn seen(self, id: &str, at: &str, kind: &str, consultant: &str) -> Self;
    fn booked(self, id: &str, at: &str, price: &str, consultant: &str) -> Self;
}

impl R11Rows for Lb {
    /// A contact of PHONE naming `consultant`.
    fn seen(self, id: &str, at: &str, kind: &str, consultant: &str) -> Lb {
        let cells = [
            ("id", id),
            ("at", at),
            ("kind", kind),
            ("phone", PHONE),
            ("consultant", consultant),
        ];
        self.row(Kind::Contact, &cells)
    }

    /// A booking of PHONE at `price` naming `consultant` (none when empty).
    fn booked(self, id: &str, at: &str, price: &str, consultant: &str) -> Lb {
        let cells = [
            ("id", id),
            ("at", at),
            ("unit", "1-1-101"),
            ("buyer", "王强"),
            ("phone", PHONE),
            ("list_price", price),
            ("price", price),
            ("consultant", consultant),
        ];
        let n = if consultant.is_empty() { 7 } else { 8 };
        self.row(Kind::Booking, &cells[..n])
    }
}

/// Example 1's ledger up to the leave: C1 visit naming 张三, ST1 张三 leaves.
fn example() -> Lb {
    r11().seen("C1", "2026-01-05 10:00", "visit", "张三").staff(
        "ST1",
        "2026-03-31 18:00",
        "张三",
        "leave",
    )
}

/// The consultant lines (kind, payee, amount, due) as of T.
fn consultant_lines(l: &Lb, at: &str) -> Vec<(LineKind, String, String, String)> {
    let e = l.eval(at);
    let keep = |x: &Line| {
        matches!(
            x.kind,
            LineKind::ConsultantCommission
                | LineKind::DepartedShare
                | LineKind::ConsultantCommissionReversal
                | LineKind::DepartedShareReversal
        )
    };
    (lines(&e).into_iter().filter(keep))
        .map(|x| {
            let due = x.due.format("%Y-%m-%d %H:%M:%S").to_string();
            (x.kind, x.payee.to_string(), x.amount.to_string(), due)
        })
        .collect()
}

fn line(k: LineKind, payee: &str, amount: &str, due: &str) -> (LineKind, String, String, String) {
    (k, payee.into(), amount.into(), due.into())
}

fn codes(l: &Lb, id: &str, at: &str) -> Vec<&'static str> {
    let e = l.eval(at);
    let v = e.verdict(id).unwrap();
    v.findings.iter().map(|f| f.code.as_str()).collect()
}

fn credited(l: &Lb, id: &str, at: &str) -> Option<String> {
    let e = l.eval(at);
    let v = e.verdict(id).unwrap();
    v.credit
        .as_ref()
        .unwrap()
        .serving
        .as_ref()
        .map(|s| s.to_string())
}

const T: &str = "2027-12-31 00:00";

#[test]
fn r11_example_1_the_departed_consultant_shares_with_the_one_handed_the_client() {
    let l = example()
        .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
        .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
    assert_eq!(l.verdict("HO1", T), ("applied", "R11.3"));
    assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
    assert!(codes(&l, "B1", T).is_empty());
    assert_eq!(
        consultant_lines(&l, T),
        [
            line(
                LineKind::ConsultantCommission,
                "李四",
                "2000.00",
                "2026-05-10 15:00:00"
            ),
            line(
                LineKind::DepartedShare,
                "张三",
                "2000.00",
                "2026-07-30 23:59:59"
            ),
        ]
    );
    let e = l.eval(T);
    let split: Vec<String> = (lines(&e).iter())
        .filter(|x| x.kind == LineKind::DepartedShare)
        .map(|x| x.rate.to_string())
        .collect();
    assert_eq!(split, ["0.1%"], "the effective rate of a split line");
}

#[test]
fn r11_example_2_after_the_departed_period_the_whole_commission_is_served() {
    let l = example()
        .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
        .booked("B1", "2027-04-01 10:00", "2000000.00", "李四");
    assert_eq!(
        consultant_lines(&l, T),
        [line(
            LineKind::ConsultantCommission,
            "李四",
            "4000.00",
            "2027-04-01 10:00:00"
        )]
    );
    let e = l.eval(T);
    let rate: Vec<String> = (lines(&e).iter())
        .filter(|x| x.kind == LineKind::ConsultantCommission)
        .map(|x| x.rate.to_string())
        .collect();
    assert_eq!(rate, ["0.2%"], "an unsplit line shows the rate as written");
    // the last day of the period still counts
    let l = example()
        .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
        .booked("B1", "2027-03-31 23:00", "2000000.00", "李四");
    assert_eq!(consultant_lines(&l, T).len(), 2);
}

#[test]
fn r11_example_3_split_lines_are_rounded_separately() {
    let l = example()
        .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
        .booked("B1", "2026-05-10 15:00", "1234567.00", "李四");
    assert_eq!(
        consultant_lines(&l, T),
        [
            line(
                LineKind::ConsultantCommission,
                "李四",
                "1234.57",
                "2026-05-10 15:00:00"
            ),
            line(
                LineKind::DepartedShare,
                "张三",
                "1234.57",
                "2026-07-30 23:59:59"
            ),
        ]
    );
}

#[test]
fn r11_example_4_a_client_reassigned_before_the_leave_is_not_the_departed_consultants() {
    let l = example()
        .handover("HO0", "2026-02-01 09:00", PHONE, "张三", "王五")
        .booked("B1", "2026-05-10 15:00", "2000000.00", "");
    assert_eq!(l.verdict("HO0", T), ("applied", "R11.3"));
    assert_eq!(
        consultant_lines(&l, T),
        [line(
            LineKind::ConsultantCommission,
            "王五",
            "4000.00",
            "2026-05-10 15:00:00"
        )]
    );
}

#[test]
fn r11_example_5_no_handover_the_named_consultant_serves_an_orphan_client() {
    let l = example().booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
    assert_eq!(codes(&l, "B1", T), ["orphan-client"]);
    assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
    assert_eq!(
        consultant_lines(&l, T),
        [
            line(
                LineKind::ConsultantCommission,
                "李四",
                "2000.00",
                "2026-05-10 15:00:00"
            ),
            line(
                LineKind::DepartedShare,
                "张三",
                "2000.00",
                "2026-07-30 23:59:59"
            ),
        ]
    );
    // nobody employed named: no serving consultant, the departed share alone
    let l = example().booked("B1", "2026-05-10 15:00", "2000000.00", "");
    assert_eq!(codes(&l, "B1", T), ["orphan-client"]);
    assert_eq!(credited(&l, "B1", T), None);
    assert_eq!(consultant_lines(&l, T).len(), 1);
}

#[test]
fn r11_example_6_the_commission_follows_the_consultant_of_record() {
    let l = r11()
        .seen("C1", "2026-01-05 10:00", "visit", "李四")
        .seen("C2", "2026-02-01 10:00", "visit", "赵六")
        .booked("B1", "2026-05-10 15:00", "2000000.00", "赵六");
    let e = l.eval(T);
    let c2 = &e.verdict("C2").unwrap().findings;
    assert_eq!(c2.len(), 1);
    assert_eq!(
        c2[0].detail,
        super::FindingDetail::ConsultantMismatch {
            record: "李四".into()
        }
    );
    assert_eq!(codes(&l, "B1", T), ["consultant-mismatch"]);
    assert_eq!(
        consultant_lines(&l, T),
        [line(
            LineKind::ConsultantCommission,
            "李四",
            "4000.00",
            "2026-05-10 15:00:00"
        )]
    );
}

#[test]
fn r11_example_7_a_handover_from_someone_else_changes_nothing() {
    let l = r11()
        .seen("C1", "2026-01-05 10:00", "visit", "张三")
        .handover("HO2", "2026-02-01 09:00", PHONE, "王五", "李四")
        .booked("B1", "2026-05-10 15:00", "2000000.00", "");
    assert_eq!(l.verdict("HO2", T), ("from-mismatch", "R11.3"));
    assert_eq!(credited(&l, "B1", T).as_deref(), Some("张三"));
    assert_eq!(
        consultant_lines(&l, T),
        [line(
            LineKind::ConsultantCommission,
            "张三",
            "4000.00",
            "2026-05-10 15:00:00"
        )]
    );
}

#[test]
fn r11_example_8_recycle_frees_the_client_after_the_deadline() {
    let mut l = r11()
        .seen("C1", "2026-01-05 10:00", "visit", "张三")
        .seen("C2", "2026-02-04 23:00", "visit", "李四")
        .seen("C3", "2026-02-10 10:00", "visit", "李四")
        .booked("B1", "2026-02-11 10:00", "2000000.00", "");
    l.l.config.consultants.recycle_days = 30;
    assert_eq!(
        codes(&l, "C2", T),
        ["consultant-mismatch"],
        "张三's until 02-04 23:59:59"
    );
    assert!(
        codes(&l, "C3", T).is_empty(),
        "张三 lost F after the deadline"
    );
    assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
    assert_eq!(
        consultant_lines(&l, T),
        [line(
            LineKind::ConsultantCommission,
            "李四",
            "4000.00",
            "2026-02-11 10:00:00"
        )]
    );
    // without recycle 张三 keeps the client
    l.l.config.consultants.recycle_days = 0;
    assert_eq!(credited(&l, "B1", T).as_deref(), Some("张三"));
}

#[test]
fn r11_3_handover_verdicts_in_order() {
    let l = r11()
        .seen("C1", "2026-01-05 10:00", "visit", "张三")
        .staff("ST1", "2026-01-10 09:00", "王五", "leave")
        .handover("HO1", "2026-02-01 09:00", PHONE, "张三", "王五")
        .handover("HO2", "2026-02-02 09:00", PHONE, " 张三 ", "张三")
        .handover("HO3", "2026-02-03 09:00", PHONE, "", "李四")
        .handover("HO4", "2026-02-04 09:00", PHONE, "张三", "李四");
    assert_eq!(l.verdict("HO1", T), ("to-departed", "R11.3"));
    assert_eq!(l.verdict("HO2", T), ("no-change", "R11.3"));
    assert_eq!(l.verdict("HO3", T), ("from-mismatch", "R11.3"));
    assert_eq!(l.verdict("HO4", T), ("applied", "R11.3"));
    // an empty `from` assigns a family that has none
    let l = r11().call("C1", "2026-01-05 10:00", P1).handover(
        "HO1",
        "2026-02-01 09:00",
        "13800000001",
        "",
        "李四",
    );
    assert_eq!(l.verdict("HO1", T), ("applied", "R11.3"));
}

#[test]
fn r11_7_contacts_naming_a_departed_consultant_and_orphan_visits() {
    let l = example()
        .seen("C2", "2026-04-02 10:00", "call", "张三")
        .seen("C3", "2026-04-03 10:00", "visit", "李四");
    assert_eq!(codes(&l, "C2", T), ["consultant-departed"]);
    assert_eq!(codes(&l, "C3", T), ["orphan-client"]);
}

#[test]
fn r11_5_dealt_scope_needs_a_booking_served_before_the_leave() {
    let mut l = example().booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
    l.l.config.consultants.departed_scope = crate::model::DepartedScope::Dealt;
    assert_eq!(
        consultant_lines(&l, T),
        [line(
            LineKind::ConsultantCommission,
            "李四",
            "4000.00",
            "2026-05-10 15:00:00"
        )]
    );
    let mut l = r11()
        .seen("C1", "2026-01-05 10:00", "visit", "张三")
        .booked("B0", "2026-02-01 10:00", "1000000.00", "")
        .staff("ST1", "2026-03-31 18:00", "张三", "leave")
        .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
    l.l.config.consultants.departed_scope = crate::model::DepartedScope::Dealt;
    assert_eq!(consultant_lines(&l, T).len(), 3, "B0 to 张三, B1 split");
}

#[test]
fn r11_12_5_a_cancellation_reverses_consultant_lines_due_by_then() {
    let l = example()
        .booked("B1", "2026-05-10 15:00", "2000000.00", "李四")
        .row(
            Kind::Cancellation,
            &[
                ("id", "CX1"),
                ("at", "2026-06-01 10:00"),
                ("booking", "B1"),
                ("reason", "client_breach"),
            ],
        );
    assert_eq!(
        consultant_lines(&l, T),
        [
            line(
                LineKind::ConsultantCommission,
                "李四",
                "2000.00",
                "2026-05-10 15:00:00"
            ),
            line(
                LineKind::ConsultantCommissionReversal,
                "李四",
                "-2000.00",
                "2026-06-01 10:00:00"
            ),
        ],
        "the departed share, due after the cancellation, is never due"
    );
}

#[test]
fn standings_count_clients_bookings_and_lines_per_consultant() {
    let l = example()
        .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
        .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
    let e = l.eval("2026-07-31 00:00");
    let (from, before) = (t("2026-05-01 00:00"), t("2026-08-01 00:00"));
    let lines = super::super::settle::range_lines(&e, from, before);
    let rows = super::standings(&e, &lines, (from, before));
    let got: Vec<(String, usize, usize, String, String)> = (rows.iter())
        .map(|r| {
            let s = |d: rust_decimal::Decimal| d.to_string();
            (
                r.consultant.to_string(),
                r.clients,
                r.bookings,
                s(r.commission),
                s(r.departed_share),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("张三".into(), 0, 0, "0".into(), "2000.00".into()),
            ("李四".into(), 1, 1, "2000.00".into(), "0".into()),
        ],
        "sorted by name as text"
    );
}

#[test]
fn r11_2_3_equal_times_staff_then_contacts_then_handovers_then_bookings() {
    // a first visit at t gives the consultant a handover at t transfers; a leave at t is
    // already in force for a handover at t
    let l = r11()
        .seen("C1", "2026-02-01 10:00", "visit", "张三")
        .handover("HO1", "2026-02-01 10:00", PHONE, "张三", "李四")
        .staff("ST1", "2026-02-01 10:00", "王五", "leave")
        .handover("HO2", "2026-02-01 10:00", PHONE, "李四", "王五")
        .booked("B1", "2026-02-01 10:00", "2000000.00", "");
    assert_eq!(l.verdict("HO1", T), ("applied", "R11.3"));
    assert_eq!(l.verdict("HO2", T), ("to-departed", "R11.3"));
    assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
}

#[test]
fn r11_a15_a_union_family_refolds_its_handovers() {
    // P2's family had 王五 and a handover from 王五 to 赵六; joined to PHONE's family, whose
    // first visit (张三) is earlier, the handover no longer applies
    let p2 = P2.to_string();
    let l = r11()
        .seen("C1", "2026-01-05 10:00", "visit", "张三")
        .row(
            Kind::Contact,
            &[
                ("id", "C2"),
                ("at", "2026-01-06 10:00"),
                ("kind", "visit"),
                ("phone", &p2),
                ("consultant", "王五"),
            ],
        )
        .handover("HO1", "2026-01-07 10:00", &p2, "王五", "赵六")
        .row(
            Kind::Relation,
            &[
                ("id", "F1"),
                ("at", "2026-01-08 10:00"),
                ("phone", PHONE),
                ("relation", "spouse"),
                ("other_phone", &p2),
            ],
        )
        .booked("B1", "2026-01-09 10:00", "2000000.00", "");
    assert_eq!(
        l.verdict("HO1", T),
        ("applied", "R11.3"),
        "judged at its time"
    );
    assert_eq!(credited(&l, "B1", T).as_deref(), Some("张三"));
}

#[test]
fn r11_5_elapsed_mode_ends_the_departed_period_at_the_leave_s_wall_clock_time() {
    let mut l = example()
        .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
        .booked("B1", "2027-03-31 18:00", "2000000.00", "李四")
        .booked("B2", "2027-03-31 18:01", "2000000.00", "李四");
    l.l.config.day_count = crate::model::DayCount::Elapsed;
    let e = l.eval(T);
    let departed = |id: &str| {
        e.verdict(id)
            .unwrap()
            .credit
            .as_ref()
            .unwrap()
            .departed
            .clone()
    };
    assert_eq!(departed("B1").as_deref(), Some("张三"), "inclusive end");
    assert_eq!(departed("B2"), None);
}

#[test]
fn r11_is_off_without_the_table_or_rows() {
    let l = Lb::new()
        .seen("C1", "2026-01-05 10:00", "visit", "张三")
        .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
    let e = l.eval(T);
    assert!(e.verdict("B1").unwrap().credit.is_none());
    assert!(e.registry.attribution.is_none());
}
