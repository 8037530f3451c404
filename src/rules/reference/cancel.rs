//! R12 Cancellations 退订 and deposits 定金, the reference's: the effective cancellation (R12.3,
//! R12.4), a cancellation's verdict and refund (R12.3), a booking's deposit findings (R12.2,
//! R12.4).

use super::Walk;
use crate::model::*;
use crate::rules::verdict::{Cite, Code, Detail, Finding, FindingDetail, Verdict};
use rust_decimal::{Decimal, RoundingStrategy};

impl<'l> Walk<'l> {
    /// R12.3: the earliest cancellation of `booking` in evaluation order that exists and is not
    /// voided, when the booking exists and is not voided (RULES-R10 R12.4 "effective").
    pub(super) fn effective_cancellation(&self, booking: &str) -> Option<&'l Cancellation> {
        let b = self.l.bookings.iter().find(|b| b.id == booking)?;
        if b.at > self.as_of || self.voided.contains(booking) {
            return None;
        }
        (self.order.iter())
            .filter(|(k, _)| *k == Kind::Cancellation)
            .map(|&(_, j)| &self.l.cancellations[j])
            .find(|c| c.booking == booking && !self.voided.contains(c.id.as_str()))
    }

    /// R12.3: no-booking, duplicate, else by reason: refund = D, D − fees, the excess, or
    /// 2 × the deposit part + the excess; kept = D − refund.
    pub(super) fn cancellation(&self, pos: usize, i: usize) -> Verdict {
        let c = &self.l.cancellations[i];
        let mut v = Verdict::new(Kind::Cancellation, i, &c.id, c.at, Code::NoBooking, "R12.3");
        v.detail = Detail::OfBooking {
            booking: c.booking.clone(),
        };
        let Some(b) = (self.l.bookings.iter()).find(|b| b.id == c.booking) else {
            return v;
        };
        if self.voided.contains(b.id.as_str()) {
            return v;
        }
        let earlier = (self.order[..pos].iter())
            .filter(|(k, j)| *k == Kind::Cancellation && !self.is_voided(*k, *j))
            .map(|&(_, j)| &self.l.cancellations[j])
            .find(|e| e.booking == c.booking);
        if let Some(e) = earlier {
            v.code = Code::Duplicate;
            v.cite = Some(Box::new(cancel_cite(e)));
            return v;
        }
        let round =
            |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let d = b.deposit.unwrap_or_default();
        let part = round(d.min(self.cfg.deposit.cap.value * b.price));
        let excess = d - part;
        let mut fees = Decimal::ZERO;
        let refund = match c.reason {
            CancelReason::ForceMajeure => {
                v.code = Code::RefundFull;
                d
            }
            CancelReason::EarlyTermination => {
                v.code = Code::RefundLessFees;
                let given = match (c.fees, &self.cfg.deposit.termination_fee) {
                    (Some(f), _) => Some(f),
                    (None, Some(Commission::Rate(r))) => Some(r.value * d),
                    (None, Some(Commission::Fixed { amount, .. })) => Some(*amount),
                    (None, None) => None,
                };
                if given.is_none() {
                    v.findings
                        .push(Finding::warning(FindingDetail::FeesUnknown, "R12.3"));
                }
                fees = round(given.unwrap_or_default().min(d));
                d - fees
            }
            CancelReason::ClientBreach => {
                v.code = Code::Forfeit;
                excess
            }
            CancelReason::SellerBreach => {
                v.code = Code::RefundDouble;
                part + part + excess
            }
        };
        let refund = round(refund);
        v.amount = Some(refund);
        v.detail = Detail::Refund {
            booking: c.booking.clone(),
            deposit: d,
            fees,
            refund,
            kept: d - refund,
        };
        if let Some(written) = c.refund
            && round(written) != refund
        {
            let detail = FindingDetail::RefundDiffers {
                written,
                computed: refund,
            };
            v.findings.push(Finding::warning(detail, "R12.3"));
        }
        v
    }

    /// R12.2 (with `[deposit]`): deposit-short, deposit-over-cap; R12.4: cancelled by an
    /// effective cancellation at or before T (a later record, RULES-R10 §2.4).
    pub(super) fn deposit_findings(&self, b: &Booking, v: &mut Verdict) {
        let round =
            |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let deposit = b.deposit.unwrap_or_default();
        let dep = &self.cfg.deposit;
        if dep.table {
            let required = match &dep.required {
                Some(Commission::Rate(r)) => Some(round(r.value * b.price)),
                Some(Commission::Fixed { amount, .. }) => Some(round(*amount)),
                None => None,
            };
            if let Some(required) = required
                && deposit < required
            {
                let detail = FindingDetail::DepositShort { deposit, required };
                v.findings.push(Finding::warning(detail, "R12.2"));
            }
            let cap = round(dep.cap.value * b.price);
            if deposit > cap {
                let detail = FindingDetail::DepositOverCap { deposit, cap };
                v.findings.push(Finding::warning(detail, "R12.2"));
            }
        }
        if let Some(c) = self.effective_cancellation(&b.id) {
            let detail = FindingDetail::Cancelled {
                cancellation: c.id.clone(),
            };
            v.findings
                .push(Finding::warning(detail, "R12.4").cite(cancel_cite(c)));
        }
    }
}

/// A cancellation as evidence.
fn cancel_cite(c: &Cancellation) -> Cite {
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
