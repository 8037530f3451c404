//! R9 Settlement 结算, the reference's: every line due (agency fee, channel commission, R11.8
//! consultant lines, R12.5 reversals, R10.5 resale lines, R8 penalties), sorted by due time, then
//! reference, then kind.

use super::Walk;
use super::penalty::fine;
use super::slip::slip_status;
use crate::model::*;
use crate::rules::settle::{Line, LineKind};
use crate::rules::verdict::Code;
use chrono::{Datelike, TimeZone};
use rust_decimal::{Decimal, RoundingStrategy};

impl<'l> Walk<'l> {
    /// R9: the lines due at a time `wanted`, sorted by due time, then reference, then kind.
    pub(super) fn lines(&self, wanted: &dyn Fn(Time) -> bool) -> Vec<Line> {
        let cfg = self.cfg;
        let round =
            |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let mut out = vec![];
        for v in self.verdicts.iter().flatten() {
            match (v.kind, v.code) {
                (_, Code::Voided) => {}
                (Kind::Booking, owner) => {
                    let b = &self.l.bookings[v.index];
                    let base = Line {
                        kind: LineKind::AgencyFee,
                        due: b.at,
                        reference: b.id.clone(),
                        booking: Some(b.id.clone()),
                        unit: Some(b.unit.clone()),
                        buyer: Some(b.buyer.clone()),
                        phone: Some(b.phone),
                        owner: Some(owner),
                        payee: cfg.agency.as_str().into(),
                        base: Some(b.price),
                        rate: Text::default(),
                        amount: Decimal::ZERO,
                        flagged: v.has_error(),
                        rule: "R9",
                        detail: Text::default(),
                        broker: if owner == Code::Channel {
                            v.broker.clone()
                        } else {
                            None
                        },
                        flags: v.findings.iter().map(|f| f.code).collect(),
                    };
                    // the agency fee, at the rate of the owner, due at the booking
                    let rate = match owner {
                        Code::Developer => &cfg.developer_rate,
                        Code::Channel => &cfg.channel_rate,
                        _ => &cfg.agency_rate,
                    };
                    let mut own = vec![Line {
                        rate: rate.text.as_str().into(),
                        amount: round(b.price * rate.value),
                        ..base.clone()
                    }];
                    // the channel commission, due once the visit's slip is effective
                    let slip = v.cite.as_ref().and_then(|c| c.slip.as_deref());
                    let signed = |slip: &str| {
                        (self.l.signatures.iter()).any(|s| s.slip == slip && s.at <= self.as_of)
                    };
                    let effective = (slip.filter(|s| owner == Code::Channel && signed(s)))
                        .and_then(|slip| slip_status(self.l, self.as_of, slip).effective_at);
                    let name = v.channel.as_deref().unwrap_or("");
                    if let (Some(effective), Some(channel)) = (effective, cfg.channel(name)) {
                        let (rate, amount) = match &channel.commission {
                            Commission::Rate(r) => (r.text.as_str(), b.price * r.value),
                            Commission::Fixed { text, amount } => (text.as_str(), *amount),
                        };
                        own.push(Line {
                            kind: LineKind::ChannelCommission,
                            due: b.at.max(effective),
                            payee: name.into(),
                            rate: rate.into(),
                            amount: round(amount),
                            ..base.clone()
                        });
                    }
                    // R11.8: K = price × rate; a departed claimant's share at the quarter's end +
                    // pay days, the serving consultant the rest at the booking
                    if let (Some(rate), Some(credit)) = (&cfg.consultants.rate, v.credit.as_deref())
                    {
                        let k = b.price * rate.value;
                        let share = cfg.consultants.departed_share.value;
                        let pct = |r: Decimal| format!("{}%", (r * Decimal::from(100)).normalize());
                        let mut rest = None;
                        if let Some(d) = &credit.departed {
                            let tz = cfg.timezone;
                            let day = b.at.with_timezone(&tz).date_naive();
                            let q0 = chrono::NaiveDate::from_ymd_opt(
                                day.year(),
                                (day.month() - 1) / 3 * 3 + 1,
                                1,
                            )
                            .unwrap();
                            let last = q0.checked_add_months(chrono::Months::new(3)).unwrap()
                                - chrono::Days::new(1);
                            let pay = last
                                + chrono::Days::new(u64::from(cfg.consultants.departed_pay_days));
                            let noon = tz
                                .from_local_datetime(&pay.and_hms_opt(12, 0, 0).unwrap())
                                .unwrap();
                            own.push(Line {
                                kind: LineKind::DepartedShare,
                                due: self.period_end(noon, 0),
                                payee: d.clone(),
                                rate: pct(rate.value * share).into(),
                                amount: round(k * share),
                                rule: "R11.8",
                                ..base.clone()
                            });
                            rest = Some(Decimal::ONE - share);
                        }
                        if let Some(s) = &credit.serving {
                            own.push(Line {
                                kind: LineKind::ConsultantCommission,
                                payee: s.clone(),
                                rate: match rest {
                                    Some(r) => pct(rate.value * r).into(),
                                    None => rate.text.as_str().into(),
                                },
                                amount: round(rest.map_or(k, |r| k * r)),
                                rule: "R11.8",
                                ..base.clone()
                            });
                        }
                    }
                    // R12.5: once cancelled, a line due after the cancellation is never due;
                    // every other line is reversed at the cancellation
                    let cancel = self.effective_cancellation(&b.id);
                    for line in own {
                        if cancel.is_some_and(|c| line.due > c.at) {
                            continue;
                        }
                        if let Some(c) = cancel
                            && wanted(c.at)
                        {
                            out.push(Line {
                                kind: match line.kind {
                                    LineKind::AgencyFee => LineKind::AgencyFeeReversal,
                                    LineKind::ConsultantCommission => {
                                        LineKind::ConsultantCommissionReversal
                                    }
                                    LineKind::DepartedShare => LineKind::DepartedShareReversal,
                                    _ => LineKind::ChannelCommissionReversal,
                                },
                                due: c.at,
                                reference: c.id.clone(),
                                amount: -line.amount,
                                rule: "R12.5",
                                detail: format!("{}:{}", line.kind.as_str(), line.reference).into(),
                                ..line.clone()
                            });
                        }
                        if wanted(line.due) {
                            out.push(line);
                        }
                    }
                }
                (Kind::Deal, _) => {
                    out.extend(self.deal_line(v).filter(|line| wanted(line.due)));
                }
                (Kind::Violation, _) => {
                    let x = &self.l.violations[v.index];
                    if wanted(x.at) {
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
                            amount: -round(fine(cfg, x)),
                            flagged: false,
                            rule: "R8",
                            detail: (ViolationKind::CHOICES.iter())
                                .find(|(_, k)| *k == x.kind)
                                .map(|(w, _)| *w)
                                .unwrap_or_default()
                                .into(),
                            broker: x.broker.clone(),
                            flags: vec![],
                        });
                    }
                }
                _ => {}
            }
        }
        out.sort_by(|a, b| (a.due, &a.reference, a.kind).cmp(&(b.due, &b.reference, b.kind)));
        out
    }
}
