//! PURE rules: `evaluate(&Ledger, as_of)` gives every record's verdict. No IO, no clock, no
//! environment, no printing. One file per rule family:
//! family R1, report R2, visit R3/R4, slip R5, direct R6, booking R7, penalty R8, settle R9,
//! resale R10, staff R11, cancel R12, time (period arithmetic). Find a clause with `grep -rn "R4.3" src/rules`.

pub mod audit;
pub mod booking;
pub mod cancel;
pub mod check;
pub mod consultant;
pub mod delist;
pub mod direct;
pub mod family;
pub mod find;
pub mod grading;
pub mod masked;
pub mod mode;
pub mod penalty;
pub mod query;
pub mod reference;
pub mod registry;
pub mod reminders;
pub mod report;
pub mod resale;
pub mod settle;
pub mod slip;
pub mod staff;
pub mod stats;
pub mod time;
pub mod verdict;
pub mod visit;

#[cfg(test)]
pub mod testkit;

pub mod engine;
pub mod scope;
pub mod select;

pub use engine::{Evaluation, evaluate};
pub use scope::{Scope, evaluate_each, evaluate_map, evaluate_scoped};
#[cfg(test)]
use verdict::Verdict;

#[cfg(test)]
mod tests {
    use super::testkit::*;

    const AS_OF: &str = "2026-05-01 00:00";

    #[test]
    fn records_after_the_as_of_time_do_not_exist() {
        let l = Lb::new().call("C1", "2026-03-01 10:00", P1).report(
            "R1",
            "2026-03-02 10:00",
            "链家",
            "王五",
            P1,
        );
        let e = l.eval("2026-03-01 12:00");
        assert!(e.verdict("R1").is_none());
        assert!(e.verdict("C1").is_some());
    }

    #[test]
    fn a_void_removes_its_target_everywhere_once_it_exists() {
        // C1 made R1 known-client; voiding C1 on 03-10 makes R1 accepted as of any time after,
        // while before the void C1 still stands.
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-02 10:00", "链家", "王五", P1)
            .void("X1", "2026-03-10 10:00", "C1");
        assert_eq!(
            l.verdict("R1", "2026-03-09 00:00"),
            ("known-client", "R2.2")
        );
        assert_eq!(l.verdict("R1", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("C1", AS_OF), ("voided", "void"));
    }

    #[test]
    fn a_voided_void_revives_its_target() {
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-02 10:00", "链家", "王五", P1)
            .void("X1", "2026-03-10 10:00", "C1")
            .void("X2", "2026-03-11 10:00", "X1");
        assert_eq!(l.verdict("R1", "2026-03-10 12:00"), ("accepted", "R2.6"));
        assert_eq!(l.verdict("R1", AS_OF), ("known-client", "R2.2"));
        assert_eq!(l.verdict("X1", AS_OF), ("voided", "void"));
    }

    #[test]
    fn equal_times_follow_the_kind_order() {
        // relation before contact before report: all at one instant.
        let l = Lb::new()
            .report("R1", "2026-03-01 10:00", "链家", "王五", P1)
            .call("C1", "2026-03-01 10:00", P2)
            .relation("F1", "2026-03-01 10:00", P1, P2);
        assert_eq!(l.verdict("R1", AS_OF), ("known-client", "R2.2"));
        let e = l.eval(AS_OF);
        let order: Vec<&str> = e.verdicts.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(order, vec!["F1", "C1", "R1"]);
    }

    #[test]
    fn settlement_judges_what_happened_at_the_instant_of_the_last_booking() {
        // the visit at the booking's very minute makes the booking the channel's
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .signed("S-C1", "2026-03-02 10:00")
            .booking("B1", "2026-03-02 10:00", P1);
        let (at, tz) = (t(AS_OF), l.l.config.timezone);
        let from = super::settle::month_start(2026, 3, tz).unwrap();
        let before = super::settle::month_after(2026, 3, tz).unwrap();
        let bounded = super::evaluate_scoped(&l.l, at, super::Scope::Settlement { from, before });
        let lines = super::settle::month_lines(&bounded, 2026, 3, tz);
        let kinds: Vec<_> = lines.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(kinds, ["agency_fee", "channel_commission"]);
        assert_eq!(
            lines,
            super::settle::month_lines(&super::evaluate(&l.l, at), 2026, 3, tz)
        );
    }

    #[test]
    fn settlement_judges_a_booking_before_the_month_whose_slip_takes_effect_in_it() {
        // booked on 03-30; the developer signs the slip on 04-03: April owes the commission
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .sign("S-C1", "2026-03-02 11:00", "reception", "李")
            .sign("S-C1", "2026-03-02 12:00", "site_manager", "付柏")
            .sign("S-C1", "2026-03-02 13:00", "final", "任总")
            .booking("B1", "2026-03-30 10:00", P1)
            .sign("S-C1", "2026-04-03 09:00", "developer", "陈建")
            .booking("B2", "2026-03-30 11:00", P2);
        let (at, tz) = (t(AS_OF), l.l.config.timezone);
        let from = super::settle::month_start(2026, 4, tz).unwrap();
        let before = super::settle::month_after(2026, 4, tz).unwrap();
        let bounded = super::evaluate_scoped(&l.l, at, super::Scope::Settlement { from, before });
        let judged: Vec<&str> = bounded.verdicts.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(judged, ["B1"], "B2 can have no line in April");
        let lines = super::settle::month_lines(&bounded, 2026, 4, tz);
        let kinds: Vec<_> = lines.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(kinds, ["channel_commission"]);
        assert_eq!(
            lines,
            super::settle::month_lines(&super::evaluate(&l.l, at), 2026, 4, tz)
        );
    }

    #[test]
    fn a_slip_appears_once_at_its_first_signature() {
        let l = Lb::new().signed("S1", "2026-03-01 10:00");
        let e = l.eval(AS_OF);
        assert_eq!(e.verdicts.len(), 1);
        assert_eq!(e.verdict("S1").unwrap().code.as_str(), "effective");
    }
}

#[cfg(test)]
mod causality {
    //! Honest appends never change a verdict: a report, contact or direct slip at time t gets
    //! the same verdict from the whole ledger as from the ledger cut at t.
    use super::testkit::*;
    use crate::model::Ledger;
    use proptest::prelude::*;

    /// The ledger without the records after `t` (every kind's, voids too).
    fn cut(l: &Ledger, t: crate::model::Time) -> Ledger {
        struct Cut(crate::model::Time);
        impl crate::model::EachList for Cut {
            fn list<R: crate::model::Record>(&mut self, list: &mut Vec<R>) {
                list.retain(|r| r.stamp().at <= self.0);
            }
        }
        let mut c = l.clone();
        c.each_list(&mut Cut(t));
        c
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn verdicts_never_depend_on_later_records(ops in proptest::collection::vec(op(), 1..40)) {
            let l = random_ledger(&ops, false);
            let end = t("2026-06-01 00:00");
            let whole = super::evaluate(&l.l, end);
            for v in whole.verdicts.iter().filter(|v| matches!(v.kind, crate::model::Kind::Report | crate::model::Kind::Contact | crate::model::Kind::Direct)) {
                let c = cut(&l.l, v.at);
                let part = super::evaluate(&c, end);
                let w = part.verdict(&v.id).expect("the record is in the cut");
                prop_assert_eq!((v.code, v.rule, v.cite.as_ref().map(|c| &c.id)), (w.code, w.rule, w.cite.as_ref().map(|c| &c.id)), "record {}", v.id);
                prop_assert_eq!(&v.findings, &w.findings);
            }
        }
    }
}

#[cfg(test)]
mod properties {
    //! Whole-engine properties on random ledgers.
    use super::settle;
    use super::testkit::*;
    use super::verdict::Code;
    use crate::model::Ledger;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// (id, code, rule, cited id, finding codes) of every verdict, sorted.
    type Summary = Vec<(
        crate::model::Text,
        &'static str,
        &'static str,
        Option<crate::model::Text>,
        Vec<&'static str>,
    )>;

    fn summary(l: &Ledger) -> Summary {
        let e = super::evaluate(l, t("2026-06-01 00:00"));
        let mut v: Vec<_> = e
            .verdicts
            .iter()
            .map(|v| {
                (
                    v.id.clone(),
                    v.code.as_str(),
                    v.rule,
                    v.cite.as_ref().map(|c| c.id.clone()),
                    v.findings.iter().map(|f| f.code.as_str()).collect(),
                )
            })
            .collect();
        v.sort();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        #[test]
        fn every_booking_has_exactly_one_owner(ops in proptest::collection::vec(op(), 1..50)) {
            let l = random_ledger(&ops, false);
            let e = super::evaluate(&l.l, t("2026-06-01 00:00"));
            for b in &l.l.bookings {
                let owners: Vec<Code> = e.verdicts.iter().filter(|v| v.id == b.id).map(|v| v.code).collect();
                prop_assert_eq!(owners.len(), 1);
                prop_assert!(matches!(owners[0], Code::Developer | Code::Channel | Code::Agency));
            }
        }

        #[test]
        fn settlement_lines_sum_to_the_payee_totals(ops in proptest::collection::vec(op(), 1..50)) {
            let l = random_ledger(&ops, false);
            let e = super::evaluate(&l.l, t("2026-06-01 00:00"));
            let lines = settle::lines(&e);
            let totals = settle::by_payee(&lines);
            let all: Decimal = lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(totals.iter().map(|(_, _, a)| *a).sum::<Decimal>(), all);
            prop_assert_eq!(totals.iter().map(|(_, n, _)| *n).sum::<usize>(), lines.len());
            for (payee, n, amount) in &totals {
                let mine: Vec<_> = lines.iter().filter(|l| l.payee == *payee).collect();
                prop_assert_eq!(mine.len(), *n);
                prop_assert_eq!(mine.iter().map(|l| l.amount).sum::<Decimal>(), *amount);
            }
        }

        #[test]
        fn shuffling_rows_changes_no_verdict_when_times_differ(ops in proptest::collection::vec(op(), 1..50), seed in any::<u64>()) {
            let l = random_ledger(&ops, true);
            let mut shuffled = l.l.clone();
            shuffle(&mut shuffled, seed);
            prop_assert_eq!(summary(&l.l), summary(&shuffled));
        }

        #[test]
        fn the_family_scope_judges_a_family_as_the_whole_ledger_does(
            ops in proptest::collection::vec(op(), 1..50),
            p in 0u64..4,
            void in proptest::option::of(0usize..50),
        ) {
            let mut l = random_ledger(&ops, false);
            if let Some(n) = void.filter(|n| *n < ops.len()) {
                l = l.void("X1", "2026-03-20 00:00", &format!("N{n}"));
            }
            let (at, phone) = (t("2026-06-01 00:00"), crate::model::Phone(13800000000 + p));
            let prospect = super::check::Prospect::default();
            let whole = super::evaluate(&l.l, at);
            let part = super::evaluate_scoped(&l.l, at, super::Scope::Family(phone));
            let (mut w, mut s) = (
                super::check::client_status(&whole, phone, &prospect),
                super::check::client_status(&part, phone, &prospect),
            );
            let timeline = |e: &super::Evaluation, idx: &[usize]| -> Vec<super::Verdict> {
                idx.iter().map(|&i| e.verdicts[i].clone()).collect()
            };
            prop_assert_eq!(timeline(&whole, &w.timeline), timeline(&part, &s.timeline));
            (w.timeline, s.timeline) = (vec![], vec![]);
            prop_assert_eq!(format!("{w:?}"), format!("{s:?}"));
        }

        #[test]
        fn a_month_settles_alike_from_the_records_up_to_its_end_and_from_all(
            ops in proptest::collection::vec(op(), 1..50),
            month in 3u32..5,
        ) {
            let l = random_ledger(&ops, false);
            let (at, tz) = (t("2026-06-01 00:00"), l.l.config.timezone);
            let from = settle::month_start(2026, month, tz).unwrap();
            let before = settle::month_after(2026, month, tz).unwrap();
            let bounded = super::evaluate_scoped(&l.l, at, super::Scope::Settlement { from, before });
            prop_assert_eq!(
                settle::month_lines(&super::evaluate(&l.l, at), 2026, month, tz),
                settle::month_lines(&bounded, 2026, month, tz)
            );
        }

        #[test]
        fn output_is_the_same_every_time(ops in proptest::collection::vec(op(), 1..50)) {
            let l = random_ledger(&ops, false);
            let style = crate::render::Style { lang: crate::render::Lang::Zh, tz: l.l.config.timezone, reveal: false, mask: false, sealed: &[] };
            let render = || {
                let e = super::evaluate(&l.l, t("2026-06-01 00:00"));
                let mut out = crate::render::replay::json(&e.verdicts, &style);
                let lines = settle::lines(&e);
                out.push_str(&crate::render::settle::lines_json(&lines, &style));
                out.push_str(&crate::render::settle::payees_json(&settle::by_payee(&lines)));
                out
            };
            prop_assert_eq!(render(), render());
        }
    }

    /// A deterministic shuffle of every kind's rows (Fisher–Yates with splitmix64).
    fn shuffle(l: &mut Ledger, seed: u64) {
        struct Shuffle(u64);
        impl Shuffle {
            fn next(&mut self, n: usize) -> usize {
                self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = self.0;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                ((z ^ (z >> 31)) % n as u64) as usize
            }
        }
        impl crate::model::EachList for Shuffle {
            fn list<R: crate::model::Record>(&mut self, list: &mut Vec<R>) {
                for i in (1..list.len()).rev() {
                    let j = self.next(i + 1);
                    list.swap(i, j);
                }
            }
        }
        l.each_list(&mut Shuffle(seed));
    }
}
