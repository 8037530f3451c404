//! R16 Visit-first mode 到访为王 (RULES-R10 R16, practice): `rules.mode = "visit-first"`.
//!
//! The mode changes two things, each where it is decided: R2.4 `held-by-report` is not applied
//! (`report::held_by_report`), and `check` never promotes an open report to owner; it lists the
//! open reports instead (`open_reports` here, read by `check::client_status`). R4 is unchanged:
//! the family's first visit after a report ends every open report's hold, so the first channel
//! to bring the family validly wins (R16.2). The walk-in warning stays (R16.4).

use super::registry::Registry;
use crate::model::{Mode, Phone, Text, Time};

/// Whether the ledger is judged in visit-first mode (R16).
pub fn visit_first(reg: &Registry) -> bool {
    reg.config.mode == Mode::VisitFirst
}

/// R16.3: an accepted report whose hold is open and whose window covers T, its claim neither
/// cancelled nor delisted (S7): `check`'s `open_reports` item.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenReport {
    pub channel: Text,
    pub report: Text,
    pub window_end: Time,
}

/// R16.3 open reports of `phone`'s family at `t`, oldest first (`None` in report-first mode,
/// where `check` promotes the first one to owner instead).
pub fn open_reports(reg: &Registry, phone: Phone, t: Time) -> Option<Vec<OpenReport>> {
    visit_first(reg).then(|| {
        (reg.report_holds_at(phone, t).into_iter())
            .map(|(r, end)| OpenReport {
                channel: r.channel.clone(),
                report: r.id.clone(),
                window_end: end,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use crate::model::Mode;
    use crate::rules::testkit::*;

    const AS_OF: &str = "2026-04-01 00:00";

    fn in_mode(mut l: Lb, mode: Mode) -> Lb {
        l.l.config.mode = mode;
        l
    }

    /// R16 example 1's ledger: A=链家 reports at 09:00, B=我爱我家 at 10:00; B brings the
    /// family on 03-02, A on 03-03; booking on 03-10.
    fn example_1(mode: Mode) -> Lb {
        let l = Lb::new()
            .report("RA", "2026-03-01 09:00", "链家", "王五", P1)
            .report("RB", "2026-03-01 10:00", "我爱我家", "李四", P1)
            .visit("VB", "2026-03-02 10:00", "我爱我家", "李四", P1)
            .signed("S-VB", "2026-03-02 10:00")
            .visit("VA", "2026-03-03 10:00", "链家", "王五", P1)
            .signed("S-VA", "2026-03-03 10:00")
            .booking("B1", "2026-03-10 10:00", P1);
        in_mode(l, mode)
    }

    #[test]
    fn r16_example_1_visit_first_the_first_valid_visit_wins() {
        let l = example_1(Mode::VisitFirst);
        assert_eq!(l.verdict("RA", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("RB", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("VB", AS_OF), ("valid", "R4.6"), "24 h lead");
        assert_eq!(
            l.verdict("VA", AS_OF),
            ("no-report", "R4.3"),
            "A's hold ended"
        );
        let e = l.eval(AS_OF);
        let b = e.verdict("B1").unwrap();
        assert_eq!(b.code.as_str(), "channel");
        assert_eq!(b.channel.as_deref(), Some("我爱我家"));
    }

    #[test]
    fn r16_example_1_report_first_same_ledger_gives_the_agency() {
        let l = example_1(Mode::ReportFirst);
        assert_eq!(l.verdict("RA", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("RB", AS_OF), ("held-by-report", "R2.4"));
        assert_eq!(l.verdict("VB", AS_OF), ("no-report", "R4.3"));
        assert_eq!(
            l.verdict("VA", AS_OF),
            ("no-report", "R4.3"),
            "VB ended A's hold"
        );
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("B1").unwrap().code.as_str(), "agency");
    }

    #[test]
    fn r16_switching_the_mode_rejudges_the_whole_ledger() {
        // the same rows, two configs: every verdict that differs is one R16 names
        let (rf, vf) = (example_1(Mode::ReportFirst), example_1(Mode::VisitFirst));
        let (rf, vf) = (rf.eval(AS_OF), vf.eval(AS_OF));
        let differ: Vec<&str> = (rf.verdicts.iter().zip(&vf.verdicts))
            .filter(|(a, b)| a.code != b.code)
            .map(|(a, _)| a.id.as_str())
            .collect();
        assert_eq!(differ, ["RB", "VB", "B1"]);
    }

    #[test]
    fn r16_example_2_a_re_report_within_the_window_is_duplicate_in_both_modes() {
        for mode in [Mode::ReportFirst, Mode::VisitFirst] {
            let l = example_1(mode).report("RA2", "2026-03-02 08:00", "链家", "王五", P1);
            assert_eq!(l.verdict("RA2", AS_OF), ("duplicate", "R2.3"), "{mode:?}");
        }
    }

    #[test]
    fn r16_example_3_a_too_early_visit_ends_every_hold() {
        let l = Lb::new()
            .report("RA", "2026-03-01 09:00", "链家", "王五", P1)
            .report("RB", "2026-03-01 10:00", "我爱我家", "李四", P1)
            .visit("VA", "2026-03-01 15:00", "链家", "王五", P1)
            .visit("VB", "2026-03-02 10:00", "我爱我家", "李四", P1)
            .booking("B1", "2026-03-10 10:00", P1);
        let l = in_mode(l, Mode::VisitFirst);
        assert_eq!(l.verdict("RB", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("VA", AS_OF), ("report-too-late", "R4.4"));
        assert_eq!(l.verdict("VB", AS_OF), ("no-report", "R4.3"));
        assert_eq!(l.eval(AS_OF).verdict("B1").unwrap().code.as_str(), "agency");
    }

    #[test]
    fn r16_1_other_clauses_stay_known_client_and_held_by_channel() {
        let l = Lb::new()
            .call("C1", "2026-03-01 08:00", P1)
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-05-01 09:00", "链家", "王五", P2)
            .visit("V2", "2026-05-02 10:00", "链家", "王五", P2)
            // after V2's 21-day protection (05-23), inside its 30-day channel hold (06-01)
            .report("R3", "2026-05-25 09:00", "我爱我家", "李四", P2);
        let l = in_mode(l, Mode::VisitFirst);
        let at = "2026-06-01 00:00";
        assert_eq!(l.verdict("R1", at), ("known-client", "R2.2"));
        assert_eq!(l.verdict("V2", at), ("valid", "R4.6"));
        assert_eq!(l.verdict("R3", at), ("held-by-channel", "R2.5"));
    }

    #[test]
    fn r16_4_the_walk_in_warning_is_kept() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .walk_in("W1", "2026-03-02 10:00", P1);
        let l = in_mode(l, Mode::VisitFirst);
        let e = l.eval(AS_OF);
        let codes: Vec<&str> = (e.verdict("W1").unwrap().findings.iter())
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(codes, ["walk-in-during-hold"]);
    }

    #[test]
    fn r16_3_check_lists_open_reports_and_never_promotes_one() {
        use crate::rules::check::{Prospect, client_status};
        let l = Lb::new()
            .call("C0", "2026-02-01 10:00", P2)
            .report("RA", "2026-03-01 09:00", "链家", "王五", P1)
            .report("RB", "2026-03-01 10:00", "我爱我家", "李四", P1);
        let vf = in_mode(l, Mode::VisitFirst);
        let e = vf.eval("2026-03-01 12:00");
        let s = client_status(&e, P1, &Prospect::default());
        let open = s.open_reports.expect("visit-first lists open reports");
        let ids: Vec<&str> = open.iter().map(|o| o.report.as_str()).collect();
        assert_eq!(ids, ["RA", "RB"]);
        assert_eq!(open[1].channel, "我爱我家");
        assert_eq!(open[0].window_end, t("2026-03-04T23:59:59.999999999+08:00"));
        // S7: with only open reports, the owner is R7's owner of a booking at T: the registry
        // has the family on file (its reports), so `agency`
        assert_eq!(
            (s.owner.map(|c| c.as_str()), s.rule),
            (Some("agency"), "R7.3")
        );
        let rf = in_mode(vf, Mode::ReportFirst);
        let e = rf.eval("2026-03-01 12:00");
        let s = client_status(&e, P1, &Prospect::default());
        assert!(s.open_reports.is_none());
        assert_eq!(
            (s.owner.map(|c| c.as_str()), s.rule),
            (Some("channel"), "R2.4")
        );
    }
}
