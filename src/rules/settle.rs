//! R9 Settlement 月结: agency fees, channel commissions and penalties, each line rounded to 0.01
//! half away from zero; totals are sums of rounded lines.

use super::Evaluation;
use super::verdict::{Code, FindingCode, Verdict};
use crate::model::{Cancellation, Commission, Kind, Phone, Text, Time};
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LineKind {
    AgencyFee,
    ChannelCommission,
    /// R11.8: the serving consultant's commission 业绩提成.
    ConsultantCommission,
    /// R11.8: a departed consultant's share 离职顾问权益.
    DepartedShare,
    /// R12.5: the reversal of an agency fee of a cancelled booking.
    AgencyFeeReversal,
    /// R12.5: the reversal of a channel commission of a cancelled booking.
    ChannelCommissionReversal,
    /// R10.5: the 1.5 % commission of a resale deal we brokered.
    ResaleCommission,
    /// R10.5: the 3 % claim on a client who bypassed us (第四条 / 第五条).
    BypassClaim,
    /// R12.5: the reversal of a consultant commission.
    ConsultantCommissionReversal,
    /// R12.5: the reversal of a departed share.
    DepartedShareReversal,
    Penalty,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::AgencyFee => "agency_fee",
            LineKind::ChannelCommission => "channel_commission",
            LineKind::AgencyFeeReversal => "agency_fee_reversal",
            LineKind::ChannelCommissionReversal => "channel_commission_reversal",
            LineKind::ResaleCommission => "resale_commission",
            LineKind::BypassClaim => "bypass_claim",
            LineKind::ConsultantCommission => "consultant_commission",
            LineKind::DepartedShare => "departed_share",
            LineKind::ConsultantCommissionReversal => "consultant_commission_reversal",
            LineKind::DepartedShareReversal => "departed_share_reversal",
            LineKind::Penalty => "penalty",
        }
    }
}

/// One settlement line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    pub due: Time,
    /// The booking or violation id (a reversal: the cancellation's).
    pub reference: Text,
    pub booking: Option<Text>,
    pub unit: Option<Text>,
    pub buyer: Option<Text>,
    pub phone: Option<Phone>,
    /// The booking's owner (`developer`/`channel`/`agency`); for penalties the channel's claim
    /// is not an owner, so `None`.
    pub owner: Option<Code>,
    pub payee: Text,
    pub base: Option<Decimal>,
    /// The rate as written in the config, or the fixed amount.
    pub rate: Text,
    pub amount: Decimal,
    /// The booking carries an error finding (e.g. `below-floor`): finance must look at it.
    pub flagged: bool,
    /// The clause that made the line: `R9`, `R8`, `R12.5`.
    pub rule: &'static str,
    /// The penalty's kind, or the id of the line a reversal reverses (RULES §5).
    pub detail: Text,
    /// The valid visit's broker on every line of a channel-owned booking (and its reversals), the
    /// violation's broker on a penalty (RULES-R10 §7.1 S3).
    pub broker: Option<Text>,
    /// Every finding code of the booking as of T, errors and warnings.
    pub flags: Vec<FindingCode>,
}

impl Line {
    /// The line's id, unique in the ledger and stable over time: `<kind>:<ref>`, plus
    /// `:<booking>` for a reversal (RULES §5).
    pub fn id(&self) -> String {
        match (self.kind, &self.booking) {
            (
                LineKind::AgencyFeeReversal
                | LineKind::ChannelCommissionReversal
                | LineKind::ConsultantCommissionReversal
                | LineKind::DepartedShareReversal,
                Some(b),
            ) => {
                format!("{}:{}:{}", self.kind.as_str(), self.reference, b)
            }
            _ => format!("{}:{}", self.kind.as_str(), self.reference),
        }
    }
}

/// The word a choice is written as (`cutting`).
fn word<C: crate::model::Choice + PartialEq>(c: C) -> &'static str {
    (C::CHOICES.iter())
        .find(|(_, v)| *v == c)
        .map(|(w, _)| *w)
        .unwrap_or_default()
}

/// R9: 0.01, half away from zero.
pub fn round_money(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// R9: every line due as of the evaluation's as-of time, sorted by due time, then reference.
/// A channel commission is due at max(booking, slip effective); not yet due while the slip is
/// not effective.
pub fn lines(e: &Evaluation) -> Vec<Line> {
    lines_due(e, &|_| true)
}

/// R9: the lines due in calendar month `year`-`month` of the project zone (`lines`, filtered as
/// they are made: a month's settlement never holds every other month's lines).
pub fn month_lines(e: &Evaluation, year: i32, month: u32, tz: chrono::FixedOffset) -> Vec<Line> {
    // the month as two instants: comparing times is cheaper than finding each one's month
    let (start, end) = (month_start(year, month, tz), month_after(year, month, tz));
    lines_due(e, &|due| {
        start.is_some_and(|start| start <= due) && end.is_none_or(|end| due < end)
    })
}

/// The lines due in `[from, before)`: a run of whole months (`settle --from M1 --to M2`) is the
/// months' lines one after the other, as each month's are sorted by due time and the months do
/// not overlap.
pub fn range_lines(e: &Evaluation, from: Time, before: Time) -> Vec<Line> {
    lines_due(e, &|due| from <= due && due < before)
}

fn lines_due(e: &Evaluation, wanted: &dyn Fn(Time) -> bool) -> Vec<Line> {
    let l = e.registry.ledger;
    let cfg = &l.config;
    let mut out = vec![];
    for v in e.verdicts.iter().filter(|v| v.code != Code::Voided) {
        match v.kind {
            Kind::Booking => {
                let b = &l.bookings[v.index];
                // R12.5: the booking's effective cancellation reverses its lines due by then
                let cancel = e.registry.cancels.of(&b.id);
                let reversed = cancel.is_some_and(|c| wanted(c.at));
                let fee_due = wanted(b.at);
                let departed = (v.credit.as_deref()).is_some_and(|c| c.departed.is_some());
                if !fee_due && !reversed && v.code != Code::Channel && !departed {
                    continue; // its only lines would be due at the booking (and reversals)
                }
                let base = Line {
                    kind: LineKind::AgencyFee,
                    due: b.at,
                    reference: b.id.clone(),
                    booking: Some(b.id.clone()),
                    unit: Some(b.unit.clone()),
                    buyer: Some(b.buyer.clone()),
                    phone: Some(b.phone),
                    owner: Some(v.code),
                    payee: cfg.agency.as_str().into(),
                    base: Some(b.price),
                    rate: Text::default(),
                    amount: Decimal::ZERO,
                    flagged: v.has_error(),
                    rule: "R9",
                    detail: Text::default(),
                    broker: (v.code == Code::Channel)
                        .then(|| v.broker.clone())
                        .flatten(),
                    flags: v.findings.iter().map(|f| f.code).collect(),
                };
                let rate = match v.code {
                    Code::Developer => &cfg.developer_rate,
                    Code::Channel => &cfg.channel_rate,
                    _ => &cfg.agency_rate,
                };
                let fee = Line {
                    rate: rate.text.as_str().into(),
                    amount: round_money(b.price * rate.value),
                    ..base.clone()
                };
                // a commission of a cancelled booking due after the cancellation is never due
                let wanted_commission = |due: Time| cancel.is_none_or(|c| due <= c.at);
                let consultants = consultant_lines(cfg, v, &base, &wanted_commission);
                let commission = commission(e, v, base, &wanted_commission);
                if let Some(c) = cancel
                    && reversed
                {
                    out.push(reversal(&fee, c));
                    for line in commission.iter().chain(&consultants) {
                        out.push(reversal(line, c));
                    }
                }
                if fee_due {
                    out.push(fee);
                }
                if let Some(line) = commission.filter(|line| wanted(line.due)) {
                    out.push(line);
                }
                out.extend(consultants.into_iter().filter(|line| wanted(line.due)));
            }
            Kind::Deal => out.extend(super::resale::line(&e.registry, v, wanted)),
            Kind::Violation if wanted(l.violations[v.index].at) => {
                let x = &l.violations[v.index];
                out.push(Line {
                    kind: LineKind::Penalty,
                    due: x.at,
                    reference: x.id.clone(),
                    booking: None,
                    unit: None,
                    buyer: None,
                    phone: x.phone,
                    owner: None,
                    payee: x.channel.clone(),
                    base: None,
                    rate: Text::default(),
                    amount: -round_money(v.amount.unwrap_or_default()),
                    flagged: false,
                    rule: "R8",
                    detail: word(x.kind).into(),
                    broker: x.broker.clone(),
                    flags: vec![],
                });
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| (a.due, &a.reference, a.kind).cmp(&(b.due, &b.reference, b.kind)));
    out
}

/// R12.5: the reversal of `line` at cancellation `c`: same payee, base and rate, the amount
/// negated, due at the cancellation, `ref` the cancellation, `booking` the booking.
fn reversal(line: &Line, c: &Cancellation) -> Line {
    let kind = match line.kind {
        LineKind::ChannelCommission => LineKind::ChannelCommissionReversal,
        LineKind::ConsultantCommission => LineKind::ConsultantCommissionReversal,
        LineKind::DepartedShare => LineKind::DepartedShareReversal,
        _ => LineKind::AgencyFeeReversal,
    };
    Line {
        kind,
        due: c.at,
        reference: c.id.clone(),
        amount: -line.amount,
        rule: "R12.5",
        detail: line.id().into(),
        ..line.clone()
    }
}

/// R11.8: a booking's consultant lines (only with `consultants.rate`), those due at a time
/// `wanted`. K = price × rate; with a departed claimant d, d's share round(K × share) is due at
/// the end of the quarter of the booking + `departed_pay_days`, and the serving consultant gets
/// round(K × (1 − share)) at the booking; split lines show their effective rate (S8).
fn consultant_lines(
    cfg: &crate::model::Config,
    v: &Verdict,
    base: &Line,
    wanted: &dyn Fn(Time) -> bool,
) -> Vec<Line> {
    let (Some(rate), Some(credit), Some(price)) =
        (&cfg.consultants.rate, v.credit.as_deref(), base.base)
    else {
        return vec![];
    };
    let k = price * rate.value;
    let share = cfg.consultants.departed_share.value;
    let effective = |r: Decimal| format!("{}%", (r * Decimal::ONE_HUNDRED).normalize());
    let line = |kind, payee: &Text, due, part: Option<Decimal>| Line {
        kind,
        due,
        payee: payee.clone(),
        rate: match part {
            Some(p) => effective(rate.value * p).into(),
            None => rate.text.as_str().into(),
        },
        amount: round_money(part.map_or(k, |p| k * p)),
        rule: "R11.8",
        ..base.clone()
    };
    let mut out = vec![];
    let split = credit.departed.as_ref().map(|d| {
        let due = super::consultant::departed_due(cfg, base.due);
        out.push(line(LineKind::DepartedShare, d, due, Some(share)));
        Decimal::ONE - share
    });
    if let Some(s) = &credit.serving {
        out.push(line(LineKind::ConsultantCommission, s, base.due, split));
    }
    out.retain(|l| wanted(l.due));
    out
}

/// R9: the channel commission of a channel-owned booking, once the visit's slip is effective,
/// when it is due at a time `wanted`.
fn commission(
    e: &Evaluation,
    v: &Verdict,
    base: Line,
    wanted: &dyn Fn(Time) -> bool,
) -> Option<Line> {
    if v.code != Code::Channel {
        return None;
    }
    let slip = e.registry.slips.get(v.cite.as_ref()?.slip.as_deref()?)?;
    let due = base.due.max(slip.effective_at?);
    if !wanted(due) {
        return None;
    }
    let name = v.channel.as_deref()?;
    let channel = e.registry.config.channel(name)?;
    let price = base.base?;
    let (rate, amount) = match &channel.commission {
        Commission::Rate(r) => (r.text.as_str().into(), price * r.value),
        Commission::Fixed { text, amount } => (text.as_str().into(), *amount),
    };
    Some(Line {
        kind: LineKind::ChannelCommission,
        due,
        payee: name.into(),
        rate,
        amount: round_money(amount),
        ..base
    })
}

/// The first instant of calendar month `year`-`month` of the project zone; `None` outside the
/// calendar.
pub fn month_start(year: i32, month: u32, tz: chrono::FixedOffset) -> Option<Time> {
    let start = chrono::NaiveDate::from_ymd_opt(year, month, 1)?.and_hms_opt(0, 0, 0)?;
    start.and_local_timezone(tz).single()
}

/// The first instant after calendar month `year`-`month` of the project zone; `None` past the
/// calendar's end.
pub fn month_after(year: i32, month: u32, tz: chrono::FixedOffset) -> Option<Time> {
    match month {
        12 => month_start(year + 1, 1, tz),
        _ => month_start(year, month + 1, tz),
    }
}

/// Totals per payee: (payee, number of lines, sum of rounded amounts), in order of first line.
pub fn by_payee(lines: &[Line]) -> Vec<(String, usize, Decimal)> {
    let mut out: Vec<(String, usize, Decimal)> = vec![];
    for l in lines {
        match out.iter_mut().find(|(p, _, _)| *p == l.payee) {
            Some(row) => {
                row.1 += 1;
                // sums of bounded lines cannot overflow in practice; never panic if they would
                row.2 = row.2.saturating_add(l.amount);
            }
            None => out.push((l.payee.to_string(), 1, l.amount)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ViolationKind;
    use crate::rules::testkit::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn r9_rounds_exact_halves_away_from_zero() {
        assert_eq!(
            round_money(dec("1234567.00") * dec("0.015")),
            dec("18518.51")
        );
        assert_eq!(round_money(dec("-18518.505")), dec("-18518.51"));
        assert_eq!(round_money(dec("0.004")), dec("0.00"));
    }

    fn channel_booking() -> Lb {
        Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .booking("B1", "2026-03-30 10:00", P1)
            .sign("S-C1", "2026-03-02 11:00", "reception", "李")
            .sign("S-C1", "2026-03-02 12:00", "site_manager", "付柏")
            .sign("S-C1", "2026-03-02 13:00", "final", "任总")
            .sign("S-C1", "2026-04-03 09:00", "developer", "陈建")
    }

    #[test]
    fn r9_commission_waits_for_the_slip_and_is_due_when_it_takes_effect() {
        let l = channel_booking();
        let before = lines(&l.eval("2026-04-01 00:00"));
        assert_eq!(
            before.len(),
            1,
            "only the agency fee while the slip is pending"
        );
        assert_eq!(before[0].amount, dec("35820.00"));
        let e = l.eval("2026-05-01 00:00");
        let after = lines(&e);
        assert_eq!(after.len(), 2);
        assert_eq!(after[1].kind, LineKind::ChannelCommission);
        assert_eq!(after[1].due, t("2026-04-03 09:00"));
        assert_eq!(after[1].amount, dec("19900.00"));
        let tz = l.l.config.timezone;
        assert_eq!(month_lines(&e, 2026, 3, tz), after[..1]);
        assert_eq!(month_lines(&e, 2026, 4, tz), after[1..]);
    }

    #[test]
    fn r9_a_month_runs_from_its_first_instant_to_the_next_ones_in_the_project_zone() {
        // 23:59 on the 31st is March; midnight on the 1st is April, though both are the
        // 31st in UTC
        let l =
            Lb::new()
                .booking("B1", "2026-03-31 23:59", P1)
                .booking("B2", "2026-04-01 00:00", P2);
        let e = l.eval("2026-05-01 00:00");
        let tz = l.l.config.timezone;
        let refs = |y, m| -> Vec<String> {
            (month_lines(&e, y, m, tz).iter())
                .map(|l| l.reference.to_string())
                .collect()
        };
        assert_eq!(refs(2026, 3), ["B1"]);
        assert_eq!(refs(2026, 4), ["B2"]);
        assert_eq!(refs(2026, 2), Vec::<String>::new());
    }

    #[test]
    fn r9_fixed_commission_is_the_amount() {
        let mut l = channel_booking();
        l.l.config.channels[0].commission = Commission::Fixed {
            text: "20000".into(),
            amount: dec("20000"),
        };
        let ls = lines(&l.eval("2026-05-01 00:00"));
        assert_eq!(
            (ls[1].rate.as_str(), ls[1].amount),
            ("20000", dec("20000.00"))
        );
    }

    #[test]
    fn r9_rate_by_owner_and_penalties_are_negative() {
        let l = Lb::new()
            .direct("D1", "2026-03-01 09:00", P1)
            .booking("B1", "2026-03-05 10:00", P1)
            .booking("B2", "2026-03-05 10:00", P2)
            .violation(
                "V1",
                "2026-03-06 10:00",
                ViolationKind::FalseInfo,
                "链家",
                None,
            );
        let ls = lines(&l.eval("2026-05-01 00:00"));
        let got: Vec<(&str, &str, Decimal)> = ls
            .iter()
            .map(|l| (l.reference.as_str(), l.rate.as_str(), l.amount))
            .collect();
        assert_eq!(
            got,
            vec![
                ("B1", "1.0%", dec("19900.00")),
                ("B2", "1.8%", dec("35820.00")),
                ("V1", "", dec("-5000.00"))
            ]
        );
        let totals = by_payee(&ls);
        assert_eq!(totals[0], ("伟业".to_string(), 2, dec("55720.00")));
        assert_eq!(totals[1], ("链家".to_string(), 1, dec("-5000.00")));
    }

    fn cancelled(l: Lb, at: &str, reason: &str) -> Lb {
        l.row(
            Kind::Cancellation,
            &[
                ("id", "CX1"),
                ("at", at),
                ("booking", "B1"),
                ("reason", reason),
            ],
        )
    }

    /// (kind, due, ref, amount) of each line of the month.
    fn month(l: &Lb, m: u32) -> Vec<(&'static str, String, String, Decimal)> {
        let e = l.eval("2026-06-01 00:00");
        (month_lines(&e, 2026, m, l.l.config.timezone).iter())
            .map(|x| {
                let due = x.due.format("%m-%d %H:%M").to_string();
                (x.kind.as_str(), due, x.reference.to_string(), x.amount)
            })
            .collect()
    }

    fn row(
        k: &'static str,
        due: &str,
        r: &str,
        a: &str,
    ) -> (&'static str, String, String, Decimal) {
        (k, due.into(), r.into(), dec(a))
    }

    #[test]
    fn r12_5_a_cancellation_in_a_later_month_reverses_there_whatever_its_reason() {
        // example 1: the March line stays; April has the commission and both reversals at CX1
        let march = month(&channel_booking(), 3);
        for reason in [
            "client_breach",
            "early_termination",
            "force_majeure",
            "seller_breach",
        ] {
            let l = cancelled(channel_booking(), "2026-04-05 11:00", reason);
            assert_eq!(month(&l, 3), march, "a settled month never changes");
            assert_eq!(march, [row("agency_fee", "03-30 10:00", "B1", "35820.00")]);
            assert_eq!(
                month(&l, 4),
                [
                    row("channel_commission", "04-03 09:00", "B1", "19900.00"),
                    row("agency_fee_reversal", "04-05 11:00", "CX1", "-35820.00"),
                    row(
                        "channel_commission_reversal",
                        "04-05 11:00",
                        "CX1",
                        "-19900.00"
                    ),
                ],
                "{reason}"
            );
            let e = l.eval("2026-06-01 00:00");
            let reversal = &lines(&e)[2];
            assert_eq!(
                (
                    reversal.booking.as_deref(),
                    reversal.payee.as_str(),
                    reversal.rate.as_str()
                ),
                (Some("B1"), "伟业", "1.8%")
            );
            // RULES §5's columns: a reversal names the line it reverses
            assert_eq!(
                (reversal.id(), reversal.rule, reversal.detail.as_str()),
                (
                    "agency_fee_reversal:CX1:B1".to_string(),
                    "R12.5",
                    "agency_fee:B1"
                )
            );
            assert_eq!(reversal.broker.as_deref(), Some("王五"));
            assert!(reversal.flags.contains(&FindingCode::Cancelled));
        }
    }

    #[test]
    fn r12_5_a_commission_due_after_the_cancellation_is_never_due_nor_reversed() {
        // example 5: the slip takes effect on 04-03, after the cancellation on 04-02
        let l = cancelled(channel_booking(), "2026-04-02 10:00", "client_breach");
        assert_eq!(
            month(&l, 4),
            [row(
                "agency_fee_reversal",
                "04-02 10:00",
                "CX1",
                "-35820.00"
            )]
        );
        assert_eq!(month(&l, 5), []);
    }

    #[test]
    fn r12_5_a_cancellation_in_the_same_month_nets_to_zero() {
        // example 6
        let l = cancelled(channel_booking(), "2026-03-31 10:00", "force_majeure");
        let march = month(&l, 3);
        assert_eq!(
            march,
            [
                row("agency_fee", "03-30 10:00", "B1", "35820.00"),
                row("agency_fee_reversal", "03-31 10:00", "CX1", "-35820.00"),
            ]
        );
        assert_eq!(march.iter().map(|x| x.3).sum::<Decimal>(), Decimal::ZERO);
        assert_eq!(month(&l, 4), [], "the commission is never due");
    }

    #[test]
    fn r12_5_a_voided_cancellation_takes_its_reversals_back() {
        let l = cancelled(channel_booking(), "2026-04-05 11:00", "client_breach").void(
            "X1",
            "2026-04-20 10:00",
            "CX1",
        );
        assert_eq!(
            month(&l, 4),
            [row("channel_commission", "04-03 09:00", "B1", "19900.00")]
        );
    }
}
