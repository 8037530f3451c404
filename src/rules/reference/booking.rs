//! R7 Bookings 认购 and their owner, the reference's: the names the family was received under, a
//! booking's owner and findings (R7.1–R7.3, R5, R6, name-mismatch, unit-taken, discounts), the
//! query that clears a name mismatch (R14.3) and a delisted family's booking (R13.2).

use super::Walk;
use super::phone_of;
use super::slip::slip_status;
use crate::model::*;
use crate::rules::verdict::{Cite, Code, DirectFault, Finding, FindingDetail, Verdict};
use rust_decimal::Decimal;

impl<'l> Walk<'l> {
    /// R7: the names the family was received or reported under before `pos`.
    pub(super) fn names(&self, family: &[Phone], pos: usize) -> Vec<String> {
        let mut out = vec![];
        for &phone in family {
            let mut mine: Vec<String> = vec![];
            for j in 0..pos {
                let (kind, i) = self.order[j];
                if self.is_voided(kind, i) || phone_of(self.l, kind, i) != Some(phone) {
                    continue;
                }
                let name = match kind {
                    Kind::Report => Some(self.l.reports[i].client.as_str()),
                    Kind::Contact => self.l.contacts[i].client.as_deref(),
                    Kind::Direct => self.l.directs[i].client.as_deref(),
                    // R14.4: a complete query slip's client
                    Kind::Query if self.unsigned(&self.l.queries[i]).is_empty() => {
                        Some(self.l.queries[i].client.as_str())
                    }
                    _ => None,
                };
                if let Some(n) = name
                    && !mine.iter().any(|m| m == n)
                {
                    mine.push(n.to_string());
                }
            }
            out.extend(mine);
        }
        out
    }

    /// R7 and R13.2: a booking's owner and findings, judged with everything before `pos`; a
    /// booking of a delisted family is an error.
    pub(super) fn booking(&self, pos: usize, b: &Booked) -> Verdict {
        let mut v = self.booking_r7(pos, b);
        // R14.3: the latest complete, non-voided query of the family as of T for the buyer's
        // name (NFKC, no whitespace) clears name-mismatch; its class against the owner
        let family = self.family(b.phone, self.order.len());
        let key = |n: &str| -> String {
            use unicode_normalization::UnicodeNormalization;
            n.nfkc().filter(|c| !c.is_whitespace()).collect()
        };
        let query = b.buyer.and_then(|buyer| {
            (self.l.queries.iter().enumerate())
                .filter(|(_, q)| q.at <= self.as_of && !self.voided.contains(q.id.as_str()))
                .filter(|(_, q)| family.contains(&q.phone) && self.unsigned(q).is_empty())
                .filter(|(_, q)| key(&q.client) == key(buyer))
                .max_by_key(|(i, q)| (q.at, *i))
                .map(|(_, q)| q)
        });
        if let Some(q) = query {
            v.findings
                .retain(|f| !matches!(f.detail, FindingDetail::NameMismatch { .. }));
            v.query = Some(q.id.clone());
            let class = q.class.map(|c| match c {
                QueryClass::Developer => Code::Developer,
                QueryClass::Agency => Code::Agency,
                QueryClass::Channel => Code::Channel,
            });
            if let Some(c) = class
                && c != v.code
            {
                let detail = FindingDetail::QueryClassDiffers {
                    query: q.id.clone(),
                    class: q.class.expect("a class"),
                };
                v.findings.push(Finding::warning(detail, "R14.3"));
            }
        }
        self.delisted_client_finding(v, b.phone, pos, b.at, true)
    }

    /// R7: a booking's owner and findings, judged with everything before `pos`.
    fn booking_r7(&self, pos: usize, b: &Booked) -> Verdict {
        let cfg = self.cfg;
        let family = self.family(b.phone, pos);
        let mut v = Verdict::new(Kind::Booking, b.index, b.id, b.at, Code::Agency, "R7.3");
        v.phone = Some(b.phone);
        v.amount = b.price.map(|(p, _)| p);
        v.consultant = match b.consultant {
            Some(c) => Some(c.into()),
            None => self
                .first_visit(&family, pos)
                .and_then(|c| c.consultant.clone()),
        };
        // R7.1 / R6: a direct slip valid for this booking; else the latest one's reason
        let mut developer = None;
        let mut invalid = None;
        for d in self.directs(&family, pos, b.at) {
            let reason = match self.direct_status(d, pos).0 {
                Code::Incomplete => Some(DirectFault::Incomplete),
                Code::Late => Some(DirectFault::Late),
                _ if b.buyer.is_some_and(|n| d.client.as_deref() != Some(n)) => {
                    Some(DirectFault::NameMismatch)
                }
                _ if b.unit.is_some_and(|u| d.unit.as_deref() != Some(u)) => {
                    Some(DirectFault::UnitMismatch)
                }
                _ => None,
            };
            match reason {
                None => {
                    developer = Some(d);
                    invalid = None;
                    break;
                }
                Some(r) => invalid = Some((d, r)),
            }
        }
        if let Some(d) = developer {
            v.code = Code::Developer;
            v.rule = "R7.1";
            v.cite = Some(Box::new(Cite::direct(d)));
        } else if let Some((visit, end)) = self.visit_holds(&family, pos, b.at).into_iter().next() {
            // R7.2: the earliest valid visit whose hold covers the booking, not cancelled
            v.code = Code::Channel;
            v.rule = "R7.2";
            v.channel = visit.channel.clone();
            v.broker = visit.broker.clone();
            v.cite = Some(Box::new(Cite::contact(visit, Some(end))));
            // R5: commission needs the slip effective as of T
            let slip = visit.slip.as_deref().unwrap_or("");
            let has_signatures =
                (self.l.signatures.iter()).any(|s| s.slip == slip && s.at <= self.as_of);
            let status = has_signatures.then(|| slip_status(self.l, self.as_of, slip));
            if status.as_ref().is_none_or(|s| s.code != Code::Effective) {
                let (slip, status) = (slip.into(), status.map(|s| s.code));
                let detail = FindingDetail::SlipPending { slip, status };
                v.findings.push(Finding::warning(detail, "R5"));
            }
        }
        if let Some((d, reason)) = invalid {
            v.findings.push(
                Finding::warning(FindingDetail::DirectInvalid { reason }, "R6")
                    .cite(Cite::direct(d)),
            );
        }
        // R7 name-mismatch: the buyer is none of the names the family was received under
        let names = self.names(&family, pos);
        if let Some(buyer) = b.buyer
            && !names.is_empty()
            && !names.iter().any(|n| n == buyer)
        {
            let names = names.iter().map(|n| n.as_str().into()).collect();
            let detail = FindingDetail::NameMismatch { names };
            v.findings.push(Finding::warning(detail, "R7"));
        }
        // R7 unit-taken (销控): another family already holds a booking of the same unit at or
        // before t that is neither voided nor cancelled as of T; the earliest is named
        if let Some(unit) = b.unit {
            let taken = (0..self.l.bookings.len())
                .filter(|&j| self.holds_unit(j))
                .map(|j| &self.l.bookings[j])
                .filter(|o| o.unit == unit && o.at <= b.at && !family.contains(&o.phone))
                .min_by_key(|o| o.at); // the first in file order at equal times
            if let Some(o) = taken {
                let detail = FindingDetail::UnitTaken {
                    unit: unit.into(),
                    booking: o.id.clone(),
                    at: o.at,
                };
                v.findings.push(Finding::error(detail, "R7"));
            }
        }
        if v.code == Code::Developer {
            return v; // the direct slip carries the developer's approved price
        }
        if let Some(unit) = b.unit
            && cfg.reserved_units.iter().any(|u| u == unit)
        {
            let unit = unit.into();
            v.findings
                .push(Finding::warning(FindingDetail::ReservedUnit { unit }, "R7"));
        }
        let Some((price, list)) = b.price.filter(|(_, list)| !list.is_zero()) else {
            return v;
        };
        let ratio = price / list;
        if ratio < cfg.discount_floor {
            v.findings.push(Finding::error(
                FindingDetail::BelowFloor {
                    ratio,
                    floor: cfg.discount_floor,
                },
                "R7",
            ));
        }
        if let Some(below) = cfg.approval_below
            && ratio < below
            && !self.approved(b, &family, ratio)
        {
            v.findings.push(Finding::warning(
                FindingDetail::UnapprovedDiscount { ratio, below },
                "R7",
            ));
        }
        v
    }

    /// R7: booking `j` holds its unit as of T: it exists and is not voided (nor, under R12,
    /// cancelled).
    fn holds_unit(&self, j: usize) -> bool {
        let o = &self.l.bookings[j];
        o.at <= self.as_of
            && !self.voided.contains(o.id.as_str())
            && self.effective_cancellation(&o.id).is_none()
    }

    /// R7: the approval the booking names exists as of T, is not voided, is signed by both, is
    /// the family's, for the unit, and approved a ratio no higher than the booking's.
    pub(super) fn approved(&self, b: &Booked, family: &[Phone], ratio: Decimal) -> bool {
        let Some(id) = b.discount else { return false };
        (self.l.discounts.iter())
            .filter(|d| d.id == id && d.at <= self.as_of && !self.voided.contains(d.id.as_str()))
            .any(|d| {
                let approved_ratio = match (d.unit_price, d.list_unit_price) {
                    (Some(p), Some(l)) if !l.is_zero() => Some(p / l),
                    _ => None,
                };
                d.developer_signer.is_some()
                    && d.agency_signer.is_some()
                    && family.contains(&d.phone)
                    && b.unit.is_none_or(|u| u == d.unit)
                    && approved_ratio.is_none_or(|a| ratio >= a)
            })
    }
}

/// A booking to judge: a recorded one, or the one `check` asks about.
pub(super) struct Booked<'a> {
    pub(super) id: &'a str,
    pub(super) index: usize,
    pub(super) at: Time,
    pub(super) phone: Phone,
    pub(super) unit: Option<&'a str>,
    pub(super) buyer: Option<&'a str>,
    pub(super) price: Option<(Decimal, Decimal)>,
    pub(super) consultant: Option<&'a str>,
    pub(super) discount: Option<&'a str>,
}
