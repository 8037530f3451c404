//! The reference on the contract's own examples (its answers must be right before the
//! engine is held to them).
use crate::model::ViolationKind;
use crate::rules::testkit::*;

const AS_OF: &str = "2026-05-01 00:00";

fn verdict(l: &Lb, id: &str) -> (&'static str, &'static str, Option<String>) {
    let all = super::verdicts(&l.l, t(AS_OF));
    let v = all.iter().find(|v| v.id == id).expect("a verdict");
    (
        v.code.as_str(),
        v.rule,
        v.cite.as_ref().map(|c| c.id.to_string()),
    )
}

#[test]
fn r1_a_visit_of_a_member_joined_later_has_already_ended_the_hold() {
    // "a visit of the new member made after a report of the old one has already ended that
    // report's hold (R4), even though the two were not yet linked when the visit happened"
    let l = Lb::new()
        .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
        .walk_in("C1", "2026-03-02 10:00", P2)
        .relation("F1", "2026-03-03 09:00", P1, P2)
        .visit("C2", "2026-03-03 12:00", "链家", "王五", P1);
    assert_eq!(verdict(&l, "C2"), ("no-report", "R4.3", None));
    // unlinked, the hold would still be open and the visit valid
    let mut unlinked = l;
    unlinked.l.relations.clear();
    assert_eq!(
        verdict(&unlinked, "C2"),
        ("valid", "R4.6", Some("R1".into()))
    );
}

#[test]
fn r2_0_a_cutting_channel_may_never_claim_the_family_again() {
    let l = Lb::new()
        .violation(
            "V1",
            "2026-03-05 10:00",
            ViolationKind::Cutting,
            "链家",
            Some(P2),
        )
        .relation("F1", "2026-03-06 10:00", P1, P2)
        .report("R1", "2026-03-10 09:00", "链家", "王五", P1)
        .report("R2", "2026-03-10 09:00", "我爱我家", "李四", P1);
    assert_eq!(verdict(&l, "R1"), ("cancelled", "R2.0", Some("V1".into())));
    assert_eq!(verdict(&l, "R2"), ("accepted", "R2.6", None));
}

#[test]
fn r2_4_a_cancelled_channels_report_holds_nothing() {
    let l = Lb::new()
        .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
        .violation(
            "V1",
            "2026-03-01 12:00",
            ViolationKind::Cutting,
            "链家",
            Some(P1),
        )
        .report("R2", "2026-03-02 09:00", "我爱我家", "李四", P1)
        .walk_in("C1", "2026-03-02 08:00", P2);
    assert_eq!(verdict(&l, "R1"), ("accepted", "R2.6", None));
    assert_eq!(verdict(&l, "R2"), ("accepted", "R2.6", None));
}

#[test]
fn section_3_a_contact_protects_through_the_end_of_the_21st_day() {
    // "A contact on 03-01 10:00 with 21 days protects through 03-22 23:59:59."
    let l = Lb::new()
        .call("C1", "2026-03-01 10:00", P1)
        .report("R1", "2026-03-22T23:59:59+08:00", "链家", "王五", P1)
        .report("R2", "2026-03-23 00:00", "我爱我家", "李四", P1);
    assert_eq!(
        verdict(&l, "R1"),
        ("known-client", "R2.2", Some("C1".into()))
    );
    assert_eq!(verdict(&l, "R2"), ("accepted", "R2.6", None));
}

#[test]
fn voids_a_voided_void_revives_its_target() {
    let l = Lb::new()
        .call("C1", "2026-03-01 10:00", P1)
        .report("R1", "2026-03-02 10:00", "链家", "王五", P1)
        .void("X1", "2026-03-10 10:00", "C1")
        .void("X2", "2026-03-11 10:00", "X1");
    assert_eq!(
        verdict(&l, "R1"),
        ("known-client", "R2.2", Some("C1".into()))
    );
    assert_eq!(verdict(&l, "X1").0, "voided");
    let mut undone = l;
    undone.l.voids.pop();
    assert_eq!(verdict(&undone, "R1"), ("accepted", "R2.6", None));
    assert_eq!(verdict(&undone, "C1").0, "voided");
}
