//! R12 Booking cancellations, deposits and clawback (退订 / 定金), RULES-R10.md R12.
//!
//! Cancellations name no client: they are judged in the first shard, and what they do to a
//! booking (the `cancelled` finding, R12.4; the reversal lines, R12.5) is a fact across families
//! computed for the whole ledger as of T before the shards run, like voids (`Cancels`,
//! docs/architecture.md "Facts across families"). A ledger without cancellations and without a
//! `[deposit]` table gets no verdict, finding or line from this file (§0.1).

use super::registry::Registry;
use super::settle::round_money;
use super::verdict::{Cite, Code, Detail, Finding, FindingDetail, Verdict};
use crate::model::{Booking, CancelReason, Cancellation, Commission, Config, Kind, Ledger, Time};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// R12.3 / R12.4: the effective cancellation of each booking as of T — the first (evaluation
/// order) non-voided cancellation at or before T of a booking that is not voided.
#[derive(Clone, Debug, Default)]
pub struct Cancels<'l> {
    effective: HashMap<&'l str, &'l Cancellation>,
    /// The bookings cancellations name, by id.
    named: HashMap<&'l str, &'l Booking>,
}

impl<'l> Cancels<'l> {
    pub fn new(l: &'l Ledger, as_of: Time, voided: &HashSet<&str>) -> Cancels<'l> {
        let mut effective: HashMap<&str, &Cancellation> = HashMap::default();
        if l.cancellations.is_empty() {
            let named = HashMap::default();
            return Cancels { effective, named };
        }
        let wanted: HashSet<&str> = (l.cancellations.iter())
            .map(|c| c.booking.as_str())
            .collect();
        let named: HashMap<&str, &Booking> = (l.bookings.iter())
            .filter(|b| wanted.contains(b.id.as_str()))
            .map(|b| (b.id.as_str(), b))
            .collect();
        let live = |id: &str| {
            named
                .get(id)
                .is_some_and(|b| b.at <= as_of && !voided.contains(id))
        };
        for c in &l.cancellations {
            if c.at > as_of || voided.contains(c.id.as_str()) || !live(c.booking.as_str()) {
                continue;
            }
            // evaluation order among cancellations: time, then file order
            let first = effective.entry(c.booking.as_str()).or_insert(c);
            if c.at < first.at {
                *first = c;
            }
        }
        Cancels { effective, named }
    }

    /// The booking a cancellation names (whether or not it is voided).
    pub fn booking(&self, id: &str) -> Option<&'l Booking> {
        self.named.get(id).copied()
    }

    /// The booking's effective cancellation as of T (R12.4).
    pub fn of(&self, booking: &str) -> Option<&'l Cancellation> {
        self.effective.get(booking).copied()
    }

    /// Whether the ledger cancelled any booking as of T.
    pub fn is_empty(&self) -> bool {
        self.effective.is_empty()
    }
}

/// The amounts of an effective cancellation (R12.1, R12.3), rounded to 0.01 as R9.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refund {
    pub code: Code,
    pub deposit: Decimal,
    pub fees: Decimal,
    pub refund: Decimal,
    /// D − refund: negative for `refund-double`.
    pub kept: Decimal,
    /// Early termination with no fees given and no `termination_fee` configured.
    pub fees_unknown: bool,
}

/// R12.1: the deposit part min(D, cap × price) and the excess D − deposit part.
pub fn deposit_split(cfg: &Config, b: &Booking) -> (Decimal, Decimal) {
    let d = b.deposit.unwrap_or_default();
    let part = round_money(d.min(cfg.deposit.cap.value * b.price));
    (part, d - part)
}

/// R12.3: the refund the reason gives.
pub fn refund(cfg: &Config, b: &Booking, c: &Cancellation) -> Refund {
    let d = b.deposit.unwrap_or_default();
    let (part, excess) = deposit_split(cfg, b);
    let mut fees_unknown = false;
    let (code, fees, refund) = match c.reason {
        CancelReason::ForceMajeure => (Code::RefundFull, Decimal::ZERO, d),
        CancelReason::EarlyTermination => {
            let fees = match (c.fees, &cfg.deposit.termination_fee) {
                (Some(f), _) => f,
                (None, Some(Commission::Rate(r))) => r.value * d,
                (None, Some(Commission::Fixed { amount, .. })) => *amount,
                (None, None) => {
                    fees_unknown = true;
                    Decimal::ZERO
                }
            };
            let fees = round_money(fees.min(d));
            (Code::RefundLessFees, fees, d - fees)
        }
        CancelReason::ClientBreach => (Code::Forfeit, Decimal::ZERO, excess),
        CancelReason::SellerBreach => (
            Code::RefundDouble,
            Decimal::ZERO,
            part * Decimal::TWO + excess,
        ),
    };
    let refund = round_money(refund);
    Refund {
        code,
        deposit: d,
        fees,
        refund,
        kept: d - refund,
        fees_unknown,
    }
}

/// R12.3: a cancellation's verdict, tried in order: `no-booking` (b voided as of T), `duplicate`
/// (an earlier non-voided cancellation of b), then by reason.
pub fn verdict(reg: &mut Registry, i: usize) -> Verdict {
    let l = reg.ledger;
    let c = &l.cancellations[i];
    let mut v = Verdict::new(Kind::Cancellation, i, &c.id, c.at, Code::NoBooking, "R12.3");
    v.detail = Detail::OfBooking {
        booking: c.booking.clone(),
    };
    let b = reg.cancels.booking(&c.booking);
    let Some(b) = b.filter(|b| !reg.voided.contains(b.id.as_str())) else {
        return v;
    };
    match reg.cancels.of(&c.booking) {
        Some(first) if !std::ptr::eq(first, c) => {
            v.code = Code::Duplicate;
            v.cite = Some(Box::new(cite(first)));
            return v;
        }
        None => return v, // not reached: a live cancellation of a live booking is effective
        Some(_) => {}
    }
    let r = refund(reg.config, b, c);
    v.code = r.code;
    v.amount = Some(r.refund);
    v.detail = Detail::Refund {
        booking: c.booking.clone(),
        deposit: r.deposit,
        fees: r.fees,
        refund: r.refund,
        kept: r.kept,
    };
    if r.fees_unknown {
        v.findings
            .push(Finding::warning(FindingDetail::FeesUnknown, "R12.3"));
    }
    if let Some(written) = c.refund
        && round_money(written) != r.refund
    {
        let detail = FindingDetail::RefundDiffers {
            written,
            computed: r.refund,
        };
        v.findings.push(Finding::warning(detail, "R12.3"));
    }
    v
}

/// A cancellation as evidence.
pub fn cite(c: &Cancellation) -> Cite {
    Cite {
        kind: Kind::Cancellation,
        contact: None,
        id: c.id.clone(),
        at: c.at,
        until: None,
        channel: None,
        slip: None,
    }
}

/// R12.2 and R12.4: a booking's deposit findings (with `[deposit]`) and `cancelled` (an
/// effective cancellation at or before T, R10 §2.4), after its R7 findings. A voided booking
/// keeps its `voided` verdict alone.
pub fn booking_findings(reg: &Registry, i: usize, mut v: Verdict) -> Verdict {
    if v.code == Code::Voided {
        return v;
    }
    let cfg = reg.config;
    let b = &reg.ledger.bookings[i];
    if cfg.deposit.table {
        let deposit = b.deposit.unwrap_or_default();
        let required = match &cfg.deposit.required {
            Some(Commission::Rate(r)) => Some(r.value * b.price),
            Some(Commission::Fixed { amount, .. }) => Some(*amount),
            None => None,
        };
        if let Some(required) = required.map(round_money)
            && deposit < required
        {
            let detail = FindingDetail::DepositShort { deposit, required };
            v.findings.push(Finding::warning(detail, "R12.2"));
        }
        let cap = round_money(cfg.deposit.cap.value * b.price);
        if deposit > cap {
            let detail = FindingDetail::DepositOverCap { deposit, cap };
            v.findings.push(Finding::warning(detail, "R12.2"));
        }
    }
    if let Some(c) = reg.cancels.of(&b.id) {
        let detail = FindingDetail::Cancelled {
            cancellation: c.id.clone(),
        };
        v.findings
            .push(Finding::warning(detail, "R12.4").cite(cite(c)));
    }
    v
}

/// One row of the deposit account 定金账户明细 (RULES-R10 §4.4, R12.7).
#[derive(Clone, Debug)]
pub struct DepositRow<'l> {
    pub booking: &'l Booking,
    /// The effective cancellation as of T and its amounts; `None` while the deposit is held.
    pub cancelled: Option<(&'l Cancellation, Refund)>,
}

/// §4.4: one row per non-voided booking at or before T (with `month`, [from, before): booked or
/// cancelled in it), sorted by booking time then id; status, refund and kept as of T (§7.1 S8).
pub fn deposits<'l>(
    l: &'l Ledger,
    as_of: Time,
    month: Option<(Time, Time)>,
) -> Vec<DepositRow<'l>> {
    let voided = super::engine::voided_ids(l, as_of);
    let cancels = Cancels::new(l, as_of, &voided);
    let in_month = |t: Time| month.is_none_or(|(from, before)| from <= t && t < before);
    let mut rows: Vec<DepositRow> = (l.bookings.iter())
        .filter(|b| b.at <= as_of && !voided.contains(b.id.as_str()))
        .map(|b| DepositRow {
            booking: b,
            cancelled: cancels.of(&b.id).map(|c| (c, refund(&l.config, b, c))),
        })
        .filter(|r| in_month(r.booking.at) || r.cancelled.is_some_and(|(c, _)| in_month(c.at)))
        .collect();
    rows.sort_by(|a, b| (a.booking.at, &a.booking.id).cmp(&(b.booking.at, &b.booking.id)));
    rows
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::model::{Commission, Kind, Rate};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const AS_OF: &str = "2026-05-01 00:00";

    /// RULES-R10 R12 examples: B1 at 1,000,000.00 with the given deposit, cancelled by CX1 on
    /// 2026-04-05 11:00 for `reason`; `termination_fee` 10 % when `fee` is set.
    pub fn example(deposit: &str, reason: &str, fee: bool) -> Lb {
        let mut l = Lb::new().booking("B1", "2026-03-10 14:00", P1);
        let b = l.l.bookings.last_mut().unwrap();
        b.price = dec("1000000.00");
        b.deposit = Some(dec(deposit));
        b.list_price = b.price;
        l.l.config.deposit.table = true;
        if fee {
            l.l.config.deposit.termination_fee = Some(Commission::Rate(Rate {
                text: "10%".into(),
                value: dec("0.10"),
            }));
        }
        l.row(
            Kind::Cancellation,
            &[
                ("id", "CX1"),
                ("at", "2026-04-05 11:00"),
                ("booking", "B1"),
                ("reason", reason),
            ],
        )
    }

    /// (code, refund, kept, findings) of CX1.
    fn judged(l: &Lb) -> (&'static str, Decimal, Decimal, Vec<&'static str>) {
        let e = l.eval(AS_OF);
        let v = e.verdict("CX1").unwrap();
        let kept = match &v.detail {
            super::Detail::Refund { kept, .. } => *kept,
            _ => panic!("no refund"),
        };
        let findings = v.findings.iter().map(|f| f.code.as_str()).collect();
        (v.code.as_str(), v.amount.unwrap(), kept, findings)
    }

    #[test]
    fn r12_3_client_breach_forfeits_the_deposit() {
        let l = example("50000.00", "client_breach", true);
        assert_eq!(judged(&l), ("forfeit", dec("0"), dec("50000.00"), vec![]));
    }

    #[test]
    fn r12_3_early_termination_refunds_less_the_fees_or_says_they_are_unknown() {
        let l = example("50000.00", "early_termination", true);
        assert_eq!(
            judged(&l),
            ("refund-less-fees", dec("45000.00"), dec("5000.00"), vec![])
        );
        let l = example("50000.00", "early_termination", false);
        assert_eq!(
            judged(&l),
            (
                "refund-less-fees",
                dec("50000.00"),
                dec("0"),
                vec!["fees-unknown"]
            )
        );
        // fees written on the row win, and are capped at the deposit
        let mut l = example("50000.00", "early_termination", true);
        l.l.cancellations[0].fees = Some(dec("60000"));
        assert_eq!(
            judged(&l),
            ("refund-less-fees", dec("0"), dec("50000.00"), vec![])
        );
    }

    #[test]
    fn r12_3_force_majeure_refunds_in_full() {
        let l = example("50000.00", "force_majeure", true);
        assert_eq!(
            judged(&l),
            ("refund-full", dec("50000.00"), dec("0"), vec![])
        );
    }

    #[test]
    fn r12_1_the_cap_splits_deposit_and_prepayment() {
        // example 4: 250,000 on 1,000,000: deposit part 200,000, excess 50,000
        let l = example("250000.00", "seller_breach", true);
        assert_eq!(
            judged(&l),
            ("refund-double", dec("450000.00"), dec("-200000.00"), vec![])
        );
        let l = example("250000.00", "client_breach", true);
        assert_eq!(
            judged(&l),
            ("forfeit", dec("50000.00"), dec("200000.00"), vec![])
        );
        let e = l.eval(AS_OF);
        let b: Vec<_> = (e.verdict("B1").unwrap().findings.iter())
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(b, ["deposit-over-cap", "cancelled"]);
    }

    #[test]
    fn r12_3_a_second_cancellation_is_a_duplicate_and_a_voided_booking_has_none() {
        let row = |id: &'static str, at: &'static str| {
            move |l: Lb| {
                l.row(
                    Kind::Cancellation,
                    &[
                        ("id", id),
                        ("at", at),
                        ("booking", "B1"),
                        ("reason", "force_majeure"),
                    ],
                )
            }
        };
        let l = row("CX2", "2026-04-06 10:00")(example("50000.00", "client_breach", false));
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("CX2").unwrap().code.as_str(), "duplicate");
        assert_eq!(e.verdict("CX2").unwrap().amount, None);
        let l = l.void("X1", "2026-04-07 10:00", "B1");
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("CX1").unwrap().code.as_str(), "no-booking");
        assert_eq!(e.verdict("CX2").unwrap().code.as_str(), "no-booking");
        // before the void, CX1 stands
        let e = l.eval("2026-04-06 12:00");
        assert_eq!(e.verdict("CX1").unwrap().code.as_str(), "forfeit");
    }

    #[test]
    fn r12_3_a_written_refund_that_differs_is_a_finding() {
        let mut l = example("50000.00", "force_majeure", false);
        l.l.cancellations[0].refund = Some(dec("40000"));
        assert_eq!(judged(&l).3, vec!["refund-differs"]);
        l.l.cancellations[0].refund = Some(dec("50000.00"));
        assert_eq!(judged(&l).3, Vec::<&str>::new());
    }

    #[test]
    fn r12_4_a_booking_is_cancelled_only_once_the_cancellation_exists() {
        let l = example("50000.00", "client_breach", false);
        let codes = |at: &str| -> Vec<&'static str> {
            let e = l.eval(at);
            let v = e.verdict("B1").unwrap();
            assert_eq!(v.code.as_str(), "agency", "R7's verdict is kept");
            v.findings.iter().map(|f| f.code.as_str()).collect()
        };
        assert_eq!(codes("2026-04-01 00:00"), Vec::<&str>::new());
        assert_eq!(codes(AS_OF), ["cancelled"]);
    }

    #[test]
    fn r12_2_a_short_deposit_is_a_finding_only_with_the_table() {
        let mut l = example("10000.00", "force_majeure", false);
        l.l.config.deposit.required = Some(Commission::Fixed {
            text: "20000".into(),
            amount: dec("20000"),
        });
        let codes = |l: &Lb| -> Vec<&'static str> {
            let e = l.eval("2026-04-01 00:00");
            let v = e.verdict("B1").unwrap();
            v.findings.iter().map(|f| f.code.as_str()).collect()
        };
        assert_eq!(codes(&l), ["deposit-short"]);
        l.l.config.deposit.table = false;
        assert_eq!(codes(&l), Vec::<&str>::new());
    }
}
