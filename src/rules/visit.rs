//! R3 Contacts 电访记录 and R4 Channel visit validity 有效带客.

use super::registry::Registry;
use super::time::has_lead;
use super::verdict::{Cite, Code, Finding, FindingDetail, Verdict};
use crate::model::{Contact, ContactKind, Kind, Report, Time};

/// R3/R4: the verdict on contact `i`, and whether it counts as a contact (protects the client).
pub fn verdict(reg: &Registry, i: usize) -> Verdict {
    let c = &reg.ledger.contacts[i];
    let mut v = Verdict::new(Kind::Contact, i, &c.id, c.at, Code::Recorded, "R3");
    v.contact = Some(c.kind);
    v.phone = Some(c.phone);
    v.channel = c.channel.clone();
    v.broker = c.broker.clone();
    v.consultant = c.consultant.clone();
    if unconfirmed_followup(c) {
        v.code = Code::Unconfirmed;
        v.rule = "R3.1";
        return v;
    }
    v.until = Some(reg.period_end(c.at, reg.config.protection_days));
    if c.is_channel_visit() {
        channel_visit(reg, c, &mut v);
    } else if c.kind == ContactKind::Visit
        && let Some(f) = walk_in_during_hold(reg, c)
    {
        v.findings.push(f);
    }
    v
}

/// R3.1 unconfirmed: a follow-up 回访 counts only with the developer's confirmer
/// (有甲方确认的回访记录).
pub fn unconfirmed_followup(c: &Contact) -> bool {
    c.kind == ContactKind::Followup && c.confirmed_by.is_none()
}

/// R4.1–R4.6 for a channel visit, clauses tried in order.
fn channel_visit(reg: &Registry, c: &Contact, v: &mut Verdict) {
    let channel = c.channel.as_deref().expect("a channel visit has a channel");
    if let Some(x) = reg.cutting(channel, c.phone, c.at) {
        // R4.1 cancelled: a cutting violation (R8) against the channel for the family.
        v.code = Code::Cancelled;
        v.rule = "R4.1";
        v.cite = Some(Box::new(Cite::violation(x)));
        return;
    }
    if let Some(d) = super::delist::channel_delisting(reg, channel, c.at) {
        // R4.1a (R13.3) channel-delisted: the channel is delisted at t.
        v.code = Code::ChannelDelisted;
        v.rule = "R13.3";
        v.cite = Some(Box::new(Cite::delisting(d)));
        return;
    }
    if let Some((first, end)) = return_visit(reg, c, channel) {
        v.code = Code::ReturnVisit;
        v.rule = "R4.2";
        v.cite = Some(Box::new(Cite::contact(first, Some(end))));
        return;
    }
    let Some((report, window_end)) = that_report(reg, c, channel) else {
        v.code = Code::NoReport;
        v.rule = "R4.3";
        return;
    };
    v.cite = Some(Box::new(Cite::report(report, window_end)));
    if c.broker.as_deref() != Some(report.broker.as_str()) {
        let detail = FindingDetail::BrokerMismatch {
            report_broker: report.broker.clone(),
        };
        v.findings
            .push(Finding::warning(detail, "R4").cite(*v.cite.clone().expect("set above")));
    }
    if !has_lead(report.at, c.at, reg.config.report_lead_hours) {
        // R4.4 report-too-late: reported less than `report_lead_hours` before the visit.
        v.code = Code::ReportTooLate;
        v.rule = "R4.4";
    } else if c.at > window_end {
        // R4.5 window-expired: the visit came after the report's window.
        v.code = Code::WindowExpired;
        v.rule = "R4.5";
    } else {
        // R4.6 valid: the channel now holds the family for `channel_hold_days`.
        v.code = Code::Valid;
        v.rule = "R4.6";
        v.until = Some(hold_end(reg, c.at));
    }
}

/// R4.6: the end of a channel hold that starts with a valid visit at `at`.
pub fn hold_end(reg: &Registry, at: Time) -> Time {
    reg.period_end(at, reg.config.channel_hold_days)
}

/// R4.2 return-visit 复访: the channel already holds the family by an earlier valid visit within
/// `channel_hold_days`. Returns that visit and its hold end.
fn return_visit<'l>(reg: &Registry<'l>, c: &Contact, channel: &str) -> Option<(&'l Contact, Time)> {
    reg.visit_holds_at(c.phone, c.at)
        .into_iter()
        .find(|(v, _)| v.channel.as_deref() == Some(channel))
}

/// R4.3 "that report": the channel's latest accepted report for the family whose hold is still
/// open (a hold stays open until the family's first visit, even past its window).
fn that_report<'l>(reg: &Registry<'l>, c: &Contact, channel: &str) -> Option<(&'l Report, Time)> {
    let full = (reg.open_reports(c.phone).into_iter().rev())
        .find(|(r, _)| r.channel == channel)
        .map(|(r, h)| (r, h.window_end));
    // R15.4: the channel's open masked reports that fit the family count as reports for it
    let masked = super::masked::that_report(reg, c, channel);
    match (full, masked) {
        (Some(f), Some(m)) => Some(if m.0.at > f.0.at { m } else { f }),
        (f, m) => f.or(m),
    }
}

/// R4 walk-in-during-hold: a visit without a channel while a channel's report hold is open and
/// its window covers the visit (the office must check it did not intercept the client, 截客).
fn walk_in_during_hold(reg: &Registry, c: &Contact) -> Option<Finding> {
    let (r, end) = (reg.report_holds_at(c.phone, c.at).into_iter())
        .chain(super::masked::visit_holds(reg, c))
        .next()?;
    Some(Finding::warning(FindingDetail::WalkInDuringHold, "R4").cite(Cite::report(r, end)))
}

/// R3/R4: judges contact `i`, then registers what it changed: a contact that counts starts
/// protection, a valid visit holds for its channel, the name it was received under.
pub fn step(reg: &mut Registry, i: usize) -> Verdict {
    let mut v = verdict(reg, i);
    let c = &reg.ledger.contacts[i];
    v.findings
        .extend(super::delist::client_finding(reg, c.phone, c.at, false));
    if v.code != Code::Unconfirmed {
        super::masked::visit(reg, i, &mut v); // R15.4, R15.5
        reg.add_contact(i);
    }
    if v.code == Code::Valid {
        reg.add_valid_visit(i, v.until.expect("a valid visit has a hold end"));
    }
    let c = &reg.ledger.contacts[i];
    if let Some(name) = &c.client {
        reg.add_name(c.phone, name);
    }
    v
}

#[cfg(test)]
mod tests {
    use crate::model::ViolationKind;
    use crate::rules::testkit::*;

    const AS_OF: &str = "2026-05-01 00:00";

    #[test]
    fn r3_calls_and_visits_are_recorded() {
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .walk_in("C2", "2026-03-02 10:00", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("recorded", "R3"));
        assert_eq!(l.verdict("C2", AS_OF), ("recorded", "R3"));
    }

    #[test]
    fn r3_1_followup_needs_a_confirmer() {
        let l = Lb::new()
            .followup("C1", "2026-03-01 10:00", P1, None)
            .followup("C2", "2026-03-01 10:00", P1, Some("孙睿"));
        assert_eq!(l.verdict("C1", AS_OF), ("unconfirmed", "R3.1"));
        assert_eq!(l.verdict("C2", AS_OF), ("recorded", "R3"));
    }

    #[test]
    fn r3_first_visit_fixes_the_consultant() {
        let mut l = Lb::new()
            .call("C0", "2026-03-01 09:00", P1)
            .walk_in("C1", "2026-03-01 10:00", P1)
            .walk_in("C2", "2026-03-02 10:00", P1);
        l.l.contacts[0].consultant = Some("电话顾问".into());
        l.l.contacts[2].consultant = Some("小王".into());
        let e = l.eval(AS_OF);
        assert_eq!(e.registry.first_visit(P1).unwrap().id, "C1");
    }

    #[test]
    fn r4_6_valid_exactly_at_the_lead_time() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-01 21:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("valid", "R4.6"));
    }

    #[test]
    fn r4_4_one_second_short_of_the_lead_is_too_late() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-01T20:59:59+08:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("report-too-late", "R4.4"));
    }

    #[test]
    fn r4_5_window_expired_after_the_last_calendar_day() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-01 09:00", "链家", "王五", P2)
            .visit("C1", "2026-03-04 23:59", "链家", "王五", P1)
            .visit("C2", "2026-03-05 00:00", "链家", "王五", P2);
        assert_eq!(l.verdict("C1", AS_OF), ("valid", "R4.6"));
        assert_eq!(l.verdict("C2", AS_OF), ("window-expired", "R4.5"));
    }

    #[test]
    fn r4_3_no_report_and_a_visit_ends_the_hold() {
        let l = Lb::new()
            .visit("C1", "2026-03-01 10:00", "链家", "王五", P1)
            .report("R1", "2026-03-25 09:00", "我爱我家", "李四", P2)
            .walk_in("C2", "2026-03-26 10:00", P2)
            .visit("C3", "2026-03-27 10:00", "我爱我家", "李四", P2);
        assert_eq!(l.verdict("C1", AS_OF), ("no-report", "R4.3"));
        assert_eq!(
            l.verdict("C3", AS_OF),
            ("no-report", "R4.3"),
            "the walk-in ended R1's hold"
        );
    }

    #[test]
    fn r4_3_another_channels_report_is_not_this_channels() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "房多多", "赵六", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("no-report", "R4.3"));
    }

    #[test]
    fn r4_2_return_visit_does_not_restart_the_hold() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .visit("C2", "2026-03-20 10:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C2", AS_OF), ("return-visit", "R4.2"));
        let e = l.eval(AS_OF);
        let holds = e.registry.visit_holds_at(P1, t("2026-04-01 23:59"));
        assert_eq!(holds.len(), 1);
        assert_eq!(holds[0].0.id, "C1");
        assert!(
            e.registry
                .visit_holds_at(P1, t("2026-04-02 00:00"))
                .is_empty()
        );
    }

    #[test]
    fn r4_1_cancelled_by_cutting_at_the_same_time() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .violation(
                "V1",
                "2026-03-02 10:00",
                ViolationKind::Cutting,
                "链家",
                Some(P1),
            )
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("cancelled", "R4.1"));
    }

    #[test]
    fn r4_1_cutting_against_another_channel_does_not_cancel() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .violation(
                "V1",
                "2026-03-02 09:00",
                ViolationKind::Cutting,
                "房多多",
                Some(P1),
            )
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("valid", "R4.6"));
    }

    #[test]
    fn r4_late_visit_after_window_still_uses_the_open_hold() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-20 10:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("window-expired", "R4.5"));
    }

    #[test]
    fn r4_walk_in_warning_only_while_the_window_covers() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .walk_in("C1", "2026-03-02 10:00", P1)
            .report("R2", "2026-03-01 09:00", "链家", "王五", P2)
            .walk_in("C2", "2026-03-05 10:00", P2);
        let e = l.eval(AS_OF);
        let codes = |id| {
            e.verdict(id)
                .unwrap()
                .findings
                .iter()
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes("C1"), vec!["walk-in-during-hold"]);
        assert!(codes("C2").is_empty());
    }

    #[test]
    fn r4_no_walk_in_warning_for_a_cancelled_channels_report() {
        // R2.4 / R8: "a report of a channel whose claims on F are cancelled at t holds nothing,
        // here, in 3 and for the walk-in warning of R4". P1 walks in a minute before 链家's
        // cutting, P2 at its very minute.
        let cut = |l: Lb, id, phone| {
            l.violation(
                id,
                "2026-03-02 10:00",
                ViolationKind::Cutting,
                "链家",
                Some(phone),
            )
        };
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-01 09:00", "链家", "王五", P2)
            .walk_in("C1", "2026-03-02 09:59", P1)
            .walk_in("C2", "2026-03-02 10:00", P2);
        let l = cut(cut(l, "V1", P1), "V2", P2);
        let e = l.eval(AS_OF);
        let codes = |id| {
            (e.verdict(id).unwrap().findings.iter())
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes("C1"), vec!["walk-in-during-hold"]);
        assert!(codes("C2").is_empty());
    }

    #[test]
    fn r4_broker_mismatch_is_a_warning() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "钱七", P1);
        let e = l.eval(AS_OF);
        let v = e.verdict("C1").unwrap();
        assert_eq!(v.code.as_str(), "valid");
        assert_eq!(v.findings[0].code.as_str(), "broker-mismatch");
    }

    #[test]
    fn r4_invalid_visit_is_still_a_contact() {
        let l = Lb::new()
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .report("R1", "2026-03-03 09:00", "我爱我家", "李四", P1);
        assert_eq!(l.verdict("R1", AS_OF), ("known-client", "R2.2"));
    }
}
