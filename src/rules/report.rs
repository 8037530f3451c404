//! R2 Report determination 判客: is a channel's report 报备 accepted, and if not, why.

use super::direct;
use super::registry::Registry;
use super::verdict::{Cite, Code, Verdict};
use crate::model::{Kind, Report};

/// One clause of R2: the record that makes it apply, if any.
pub(super) type Clause = fn(&Registry, &Report) -> Option<Cite>;

/// R2's clauses 0–5 in order, with their codes and rule numbers (R15.2 tries them too).
pub(super) fn clauses() -> [(Code, &'static str, Clause); 7] {
    [
        (Code::Cancelled, "R2.0", cancelled),
        (Code::ChannelDelisted, "R13.3", channel_delisted),
        (Code::DirectClient, "R2.1", direct_client),
        (Code::KnownClient, "R2.2", known_client),
        (Code::Duplicate, "R2.3", duplicate),
        (Code::HeldByReport, "R2.4", held_by_report),
        (Code::HeldByChannel, "R2.5", held_by_channel),
    ]
}

/// R2: the determination of report `i`, clauses tried in order 0–6.
pub fn determine(reg: &Registry, i: usize) -> Verdict {
    let r = &reg.ledger.reports[i];
    let mut v = Verdict::new(Kind::Report, i, &r.id, r.at, Code::Accepted, "R2.6");
    v.phone = Some(r.phone);
    v.channel = Some(r.channel.clone());
    v.broker = Some(r.broker.clone());
    for (code, rule, clause) in clauses() {
        if let Some(cite) = clause(reg, r) {
            v.code = code;
            v.rule = rule;
            v.cite = Some(Box::new(cite));
            return v;
        }
    }
    v.until = Some(window_end(reg, r));
    v
}

/// R2.6: the window in which the broker must bring the client (`visit_window_days` from t).
pub fn window_end(reg: &Registry, r: &Report) -> crate::model::Time {
    reg.period_end(r.at, reg.config.visit_window_days)
}

/// R2.0 cancelled: the channel's claims on the family were cancelled by a `cutting` violation
/// (R8) at or before t (取消该有效客户资格确认: a channel caught cutting a family may never claim
/// it again); names the violation. Tried before every other clause.
fn cancelled(reg: &Registry, r: &Report) -> Option<Cite> {
    reg.cutting(&r.channel, r.phone, r.at).map(Cite::violation)
}

/// R2.0a (R13.3) channel-delisted: the channel is delisted at t (暂停合作); names the
/// delisting.
fn channel_delisted(reg: &Registry, r: &Report) -> Option<Cite> {
    super::delist::channel_delisting(reg, &r.channel, r.at).map(Cite::delisting)
}

/// R2.1 direct-client: the family has a valid direct slip (R6) presented at or before t.
fn direct_client(reg: &Registry, r: &Report) -> Option<Cite> {
    reg.directs(r.phone)
        .into_iter()
        .filter(|d| d.presented_at <= r.at)
        .find(|d| direct::status(reg, d).0 == Code::Valid)
        .map(Cite::direct)
}

/// R2.2 known-client: a contact (R3) of the family whose protection period still covers t;
/// names the latest such contact.
fn known_client(reg: &Registry, r: &Report) -> Option<Cite> {
    let (c, until) = reg.latest_contact(r.phone)?;
    (r.at <= until).then(|| Cite::contact(c, Some(until)))
}

/// R2.3 duplicate: the same channel already holds the family under an earlier accepted report
/// whose window covers t (re-reporting does not extend the window). A cancelled channel's report
/// holds nothing (R2.4, R8).
/// R15.3: an open masked hold that fits the family (the report's name counting) holds it too.
fn duplicate(reg: &Registry, r: &Report) -> Option<Cite> {
    reg.report_holds_at(r.phone, r.at)
        .into_iter()
        .chain(super::masked::holds_for(
            reg,
            r.phone,
            Some(&r.client),
            r.at,
        ))
        .find(|(h, _)| h.channel == r.channel)
        .map(|(h, end)| Cite::report(h, end))
}

/// R2.4 held-by-report: another channel holds the family under an accepted report whose window
/// covers t (first come, first served; 撞单); a report of a channel whose claims on the family
/// are cancelled (R8) at t holds nothing (`report_holds_at` leaves it out).
/// R16.1 (到访为王): not applied in visit-first mode; several channels may hold the family.
fn held_by_report(reg: &Registry, r: &Report) -> Option<Cite> {
    if reg.config.mode == crate::model::Mode::VisitFirst {
        return None;
    }
    reg.report_holds_at(r.phone, r.at)
        .into_iter()
        .chain(super::masked::holds_for(
            reg,
            r.phone,
            Some(&r.client),
            r.at,
        ))
        .find(|(h, _)| h.channel != r.channel)
        .map(|(h, end)| Cite::report(h, end))
}

/// R2.5 held-by-channel: another channel holds the family after a valid visit (R4.6) within
/// its `channel_hold_days`.
fn held_by_channel(reg: &Registry, r: &Report) -> Option<Cite> {
    reg.visit_holds_at(r.phone, r.at)
        .into_iter()
        .find(|(c, _)| c.channel.as_deref() != Some(r.channel.as_str()))
        .map(|(c, end)| Cite::contact(c, Some(end)))
}

/// R2: determines report `i`, then registers it (an accepted report's window) and the name.
pub fn step(reg: &mut Registry, i: usize) -> Verdict {
    if reg.ledger.reports[i].phone.is_masked() {
        return super::masked::step(reg, i); // R15
    }
    let mut v = determine(reg, i);
    let r = &reg.ledger.reports[i];
    v.findings
        .extend(super::delist::client_finding(reg, r.phone, r.at, false));
    if v.code == Code::Accepted {
        reg.add_accepted_report(i, v.until.expect("an accepted report has a window"));
    }
    let r = &reg.ledger.reports[i];
    reg.add_name(r.phone, &r.client);
    v
}

#[cfg(test)]
mod tests {
    use crate::model::{Kind, Phone, ViolationKind};
    use crate::rules::testkit::*;

    #[test]
    fn r2_6_accepted_when_nothing_is_known() {
        let l = Lb::new().report("R1", "2026-03-01 09:00", "链家", "王五", P1);
        assert_eq!(l.verdict("R1", "2026-03-10 00:00"), ("accepted", "R2.6"));
        let e = l.eval("2026-03-10 00:00");
        assert_eq!(
            e.verdict("R1").unwrap().until,
            Some(t("2026-03-04T23:59:59.999999999+08:00"))
        );
    }

    fn cutting(l: Lb, id: &str, at: &str, channel: &str, phone: Phone) -> Lb {
        l.violation(id, at, ViolationKind::Cutting, channel, Some(phone))
    }

    #[test]
    fn r2_0_cancelled_names_the_violation() {
        // "c's claims on F were cancelled by a cutting violation (R8) at or before t; the verdict
        // names the violation"
        let l = cutting(Lb::new(), "V1", "2026-03-05 10:00", "链家", P1).report(
            "R1",
            "2026-03-10 09:00",
            "链家",
            "王五",
            P1,
        );
        assert_eq!(l.verdict("R1", "2026-04-01 00:00"), ("cancelled", "R2.0"));
        let e = l.eval("2026-04-01 00:00");
        let cite = e.verdict("R1").unwrap().cite.as_deref().unwrap();
        assert_eq!((cite.kind, cite.id.as_str()), (Kind::Violation, "V1"));
        assert_eq!(
            e.verdict("R1").unwrap().until,
            None,
            "a cancelled report has no window"
        );
    }

    #[test]
    fn r2_0_a_violation_exactly_at_the_report_time_cancels_it() {
        // "at or before t": violations sort after reports at equal times, yet one at t counts
        let l = Lb::new()
            .report("R1", "2026-03-10 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-10 08:59", "链家", "王五", P2);
        let l = cutting(l, "V1", "2026-03-10 09:00", "链家", P1);
        let l = cutting(l, "V2", "2026-03-10 09:00", "链家", P2);
        assert_eq!(l.verdict("R1", "2026-04-01 00:00"), ("cancelled", "R2.0"));
        assert_eq!(
            l.verdict("R2", "2026-04-01 00:00"),
            ("accepted", "R2.6"),
            "a violation one minute after the report does not reach back"
        );
    }

    #[test]
    fn r2_0_only_the_cutting_channel_and_only_cutting() {
        let l = cutting(Lb::new(), "V1", "2026-03-05 10:00", "链家", P1)
            .violation(
                "V2",
                "2026-03-05 10:00",
                ViolationKind::Zone,
                "房多多",
                Some(P2),
            )
            .report("R1", "2026-03-10 09:00", "我爱我家", "李四", P1)
            .report("R2", "2026-03-10 09:00", "房多多", "赵六", P2);
        assert_eq!(l.verdict("R1", "2026-04-01 00:00"), ("accepted", "R2.6"));
        assert_eq!(l.verdict("R2", "2026-04-01 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_0_is_tried_before_every_other_clause() {
        // R2.1 (a valid direct slip), R2.2 (a call) and R2.3 (the channel's own open report)
        // would all apply; R2.0 comes first
        let l = Lb::new()
            .direct("D1", "2026-03-01 08:00", P1)
            .report("R1", "2026-03-01 09:00", "链家", "王五", P2)
            .call("C1", "2026-03-01 10:00", P1);
        let l = cutting(l, "V1", "2026-03-02 10:00", "链家", P1);
        let l = cutting(l, "V2", "2026-03-02 10:00", "链家", P2)
            .report("R2", "2026-03-03 09:00", "链家", "王五", P1)
            .report("R3", "2026-03-03 09:00", "链家", "王五", P2);
        assert_eq!(l.verdict("R2", "2026-04-01 00:00"), ("cancelled", "R2.0"));
        assert_eq!(l.verdict("R3", "2026-04-01 00:00"), ("cancelled", "R2.0"));
    }

    #[test]
    fn r2_0_a_violation_for_a_member_cancels_the_channels_claims_on_the_family() {
        // R1: P2's violation counts for P1's report once P1 and P2 are one family, not before
        let l = cutting(Lb::new(), "V1", "2026-03-02 10:00", "链家", P2)
            .report("R1", "2026-03-03 09:00", "链家", "王五", P1)
            .relation("F1", "2026-03-04 09:00", P1, P2)
            .report("R2", "2026-03-10 09:00", "链家", "王五", P1);
        assert_eq!(l.verdict("R1", "2026-04-01 00:00"), ("accepted", "R2.6"));
        assert_eq!(l.verdict("R2", "2026-04-01 00:00"), ("cancelled", "R2.0"));
    }

    #[test]
    fn r2_4_a_cancelled_channels_accepted_report_holds_nothing() {
        // 链家's report is accepted on 03-01 (window through 03-04); its cutting on 03-02 10:00
        // leaves the window holding nothing: 我爱我家's report at that very minute is accepted,
        // one a minute earlier is held-by-report
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-02 09:59", "我爱我家", "李四", P1)
            .report("R3", "2026-03-02 10:00", "房多多", "赵六", P1);
        let l = cutting(l, "V1", "2026-03-02 10:00", "链家", P1);
        assert_eq!(l.verdict("R1", "2026-04-01 00:00"), ("accepted", "R2.6"));
        assert_eq!(
            l.verdict("R2", "2026-04-01 00:00"),
            ("held-by-report", "R2.4")
        );
        assert_eq!(l.verdict("R3", "2026-04-01 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_1_direct_client_at_or_before_the_report() {
        let l = Lb::new()
            .direct("D1", "2026-03-01 09:00", P1)
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-01 08:59", "房多多", "赵六", P2);
        assert_eq!(
            l.verdict("R1", "2026-03-10 00:00"),
            ("direct-client", "R2.1")
        );
        assert_eq!(l.verdict("R2", "2026-03-10 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_1_an_incomplete_direct_slip_does_not_count() {
        let mut l = Lb::new().direct("D1", "2026-03-01 09:00", P1).report(
            "R1",
            "2026-03-02 09:00",
            "链家",
            "王五",
            P1,
        );
        l.l.directs[0].other = None;
        assert_eq!(l.verdict("R1", "2026-03-10 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_2_known_client_through_the_last_protected_day() {
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-22 23:59", "链家", "王五", P1)
            .report("R2", "2026-03-23 00:00", "我爱我家", "李四", P1);
        assert_eq!(
            l.verdict("R1", "2026-04-01 00:00"),
            ("known-client", "R2.2")
        );
        assert_eq!(l.verdict("R2", "2026-04-01 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_2_elapsed_days_end_at_the_same_clock_time() {
        let mut l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-22 10:00", "链家", "王五", P1)
            .report("R2", "2026-03-22 10:01", "我爱我家", "李四", P2);
        l.l.reports[1].phone = P1;
        l.l.config.day_count = crate::model::DayCount::Elapsed;
        assert_eq!(
            l.verdict("R1", "2026-04-01 00:00"),
            ("known-client", "R2.2")
        );
        assert_eq!(l.verdict("R2", "2026-04-01 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_2_contact_at_the_same_time_comes_first() {
        let l = Lb::new()
            .report("R1", "2026-03-01 10:00", "链家", "王五", P1)
            .call("C1", "2026-03-01 10:00", P1);
        assert_eq!(
            l.verdict("R1", "2026-03-02 00:00"),
            ("known-client", "R2.2")
        );
    }

    #[test]
    fn r2_2_unconfirmed_followup_protects_nothing() {
        let l = Lb::new()
            .followup("C1", "2026-03-01 10:00", P1, None)
            .followup("C2", "2026-03-01 10:00", P2, Some("孙睿"))
            .report("R1", "2026-03-02 10:00", "链家", "王五", P1)
            .report("R2", "2026-03-02 10:00", "链家", "王五", P2);
        assert_eq!(l.verdict("R1", "2026-03-05 00:00"), ("accepted", "R2.6"));
        assert_eq!(
            l.verdict("R2", "2026-03-05 00:00"),
            ("known-client", "R2.2")
        );
    }

    #[test]
    fn r2_2_family_contact_before_the_link_counts_after_it() {
        // P2 called on 03-01; P1 and P2 are linked on 03-05: a report of P1 on 03-06 is known,
        // one on 03-04 (before the link) was not.
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P2)
            .report("R1", "2026-03-04 10:00", "链家", "王五", P1)
            .relation("F1", "2026-03-05 10:00", P1, P2)
            .report("R2", "2026-03-06 10:00", "我爱我家", "李四", P1);
        assert_eq!(l.verdict("R1", "2026-03-10 00:00"), ("accepted", "R2.6"));
        assert_eq!(
            l.verdict("R2", "2026-03-10 00:00"),
            ("known-client", "R2.2")
        );
    }

    #[test]
    fn r2_3_duplicate_within_the_window_only() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-04 23:59", "链家", "王五", P1)
            .report("R3", "2026-03-05 00:00", "链家", "王五", P1);
        assert_eq!(l.verdict("R2", "2026-03-10 00:00"), ("duplicate", "R2.3"));
        assert_eq!(
            l.verdict("R3", "2026-03-10 00:00"),
            ("accepted", "R2.6"),
            "R2 did not extend R1's window"
        );
    }

    #[test]
    fn r2_4_held_by_another_channels_report() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-01 09:00", "我爱我家", "李四", P1);
        assert_eq!(l.verdict("R1", "2026-03-10 00:00"), ("accepted", "R2.6"));
        assert_eq!(
            l.verdict("R2", "2026-03-10 00:00"),
            ("held-by-report", "R2.4"),
            "file order breaks the tie"
        );
    }

    #[test]
    fn r2_4_a_visit_ends_the_hold() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .walk_in("C1", "2026-03-02 09:00", P1)
            .report("R2", "2026-03-25 09:00", "我爱我家", "李四", P1);
        assert_eq!(l.verdict("R2", "2026-04-10 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_5_held_by_channel_after_protection_ends() {
        // valid visit on 03-02 by 链家: protection through 03-23, channel hold through 04-01.
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .report("R2", "2026-03-24 09:00", "我爱我家", "李四", P1)
            .report("R3", "2026-04-02 00:00", "我爱我家", "李四", P1);
        assert_eq!(l.verdict("C1", "2026-04-10 00:00"), ("valid", "R4.6"));
        assert_eq!(
            l.verdict("R2", "2026-04-10 00:00"),
            ("held-by-channel", "R2.5")
        );
        assert_eq!(l.verdict("R3", "2026-04-10 00:00"), ("accepted", "R2.6"));
    }

    #[test]
    fn r2_5_a_cutting_violation_cancels_the_hold() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .violation(
                "V1",
                "2026-03-10 10:00",
                ViolationKind::Cutting,
                "链家",
                Some(P1),
            )
            .report("R2", "2026-03-24 09:00", "我爱我家", "李四", P1);
        assert_eq!(l.verdict("R2", "2026-04-10 00:00"), ("accepted", "R2.6"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// R2.0 on random ledgers: a report at or after a cutting violation against its channel
        /// for its own phone is `cancelled`, whatever else the family did.
        #[test]
        fn r2_0_every_report_after_its_channels_cutting_is_cancelled(
            ops in proptest::collection::vec(op(), 1..50),
        ) {
            let l = random_ledger(&ops, false);
            let e = l.eval("2026-06-01 00:00");
            for r in &l.l.reports {
                let cut = (l.l.violations.iter()).any(|v| {
                    v.kind == ViolationKind::Cutting
                        && v.channel == r.channel
                        && v.phone == Some(r.phone)
                        && v.at <= r.at
                });
                let v = e.verdict(&r.id).unwrap();
                proptest::prop_assert!(!cut || v.code.as_str() == "cancelled", "report {}", r.id);
            }
        }
    }
}
