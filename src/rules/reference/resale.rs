//! R10 Resale 二手房 viewings and deals, the reference's: a viewing's verdict (R10.1), related
//! phones (R10.2), a deal's verdict (R10.3, R10.4) and its line (R10.5).

use super::Walk;
use crate::model::*;
use crate::rules::settle::{Line, LineKind};
use crate::rules::verdict::{Cite, Code, Verdict};
use rust_decimal::{Decimal, RoundingStrategy};

impl<'l> Walk<'l> {
    /// R10.1: signed by the client → valid, else unsigned; `until` = the bypass window's end.
    pub(super) fn viewing(&self, i: usize) -> Verdict {
        let w = &self.l.viewings[i];
        let code = if w.client_signature.is_some() {
            Code::Valid
        } else {
            Code::Unsigned
        };
        let mut v = Verdict::new(Kind::Viewing, i, &w.id, w.at, code, "R10.1");
        v.phone = Some(w.phone);
        v.broker = Some(w.broker.clone());
        v.until =
            (code == Code::Valid).then(|| self.months_end(w.at, self.cfg.resale.bypass_months));
        v
    }

    /// R10.2: whether `q` is related to `p` counting the relations at positions before `end`:
    /// `p`'s family then, or one `agent` link from a member of it.
    fn related(&self, p: Phone, q: Phone, end: usize) -> bool {
        let family = self.family(p, end);
        let agent_link = (self.order[..end].iter())
            .filter(|(k, j)| *k == Kind::Relation && !self.is_voided(*k, *j))
            .map(|(_, j)| &self.l.relations[*j])
            .filter(|r| r.relation == RelationKind::Agent)
            .any(|r| {
                (family.contains(&r.phone) && r.other_phone == q)
                    || (family.contains(&r.other_phone) && r.phone == q)
            });
        family.contains(&q) || agent_link
    }

    /// R10.3, R10.4: a deal's verdict with the relations as of T.
    pub(super) fn deal(&self, i: usize) -> Verdict {
        let d = &self.l.deals[i];
        let cfg = &self.cfg.resale;
        let mut v = Verdict::new(Kind::Deal, i, &d.id, d.at, Code::NotViewed, "R10.3");
        v.phone = Some(d.phone);
        let round =
            |x: Decimal| x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        if d.via == DealVia::Us {
            v.code = Code::Brokered;
            v.amount = Some(round(d.price * cfg.commission_rate.value));
            return v;
        }
        let key = property_key(&d.property);
        let end = self.order.len();
        // the binding viewings, in evaluation order
        let binding: Vec<usize> = (0..end)
            .filter(|&j| self.order[j].0 == Kind::Viewing)
            .map(|j| self.order[j].1)
            .filter(|&j| !self.is_voided(Kind::Viewing, j))
            .filter(|&j| {
                let w = &self.l.viewings[j];
                property_key(&w.property) == key
                    && w.at <= d.at
                    && self.related(w.phone, d.phone, end)
            })
            .collect();
        let valid: Vec<usize> = (binding.iter().copied())
            .filter(|&j| self.l.viewings[j].client_signature.is_some())
            .collect();
        let window = |j: usize| {
            let w = &self.l.viewings[j];
            let months = match d.via {
                DealVia::Other => cfg.other_agency_months,
                _ => cfg.bypass_months,
            };
            self.months_end(w.at, months)
        };
        let covering: Vec<usize> = (valid.iter().copied())
            .filter(|&j| d.at <= window(j))
            .collect();
        let (code, named) = if binding.is_empty() {
            (Code::NotViewed, None)
        } else if valid.is_empty() {
            (Code::UnsignedViewing, None)
        } else if d.via == DealVia::Owner {
            match covering.last() {
                Some(&j) => (Code::BypassOwner, Some(j)),
                None => (Code::OutsideWindow, valid.last().copied()),
            }
        } else {
            let first = (covering.iter().rev()).find(|&&j| self.l.viewings[j].is_first());
            match (first, covering.last()) {
                (Some(&j), _) => (Code::BypassAgency, Some(j)),
                (None, Some(&j)) => (Code::PriorViewing, Some(j)),
                (None, None) => (Code::OutsideWindow, valid.last().copied()),
            }
        };
        v.code = code;
        if matches!(code, Code::BypassOwner | Code::BypassAgency) {
            v.amount = Some(round(d.price * cfg.bypass_rate.value));
        }
        if let Some(j) = named {
            let w = &self.l.viewings[j];
            v.broker = Some(w.broker.clone());
            v.cite = Some(Box::new(Cite {
                kind: Kind::Viewing,
                contact: None,
                id: w.id.clone(),
                at: w.at,
                until: Some(window(j)),
                channel: None,
                slip: None,
            }));
        }
        v
    }

    /// R10.5 linked_at: the first relation (in evaluation order) after which `buyer` is related
    /// to `client`; `None` when they are one phone.
    fn linked_at(&self, client: Phone, buyer: Phone) -> Option<Time> {
        if client == buyer {
            return None;
        }
        (0..self.order.len())
            .filter(|&k| self.order[k].0 == Kind::Relation)
            .find(|&k| self.related(client, buyer, k + 1))
            .map(|k| self.l.relations[self.order[k].1].at)
    }

    /// R10.5: the line of a deal's verdict.
    pub(super) fn deal_line(&self, v: &Verdict) -> Option<Line> {
        let d = &self.l.deals[v.index];
        let cfg = &self.cfg.resale;
        let viewing = (v.cite.as_ref()).and_then(|c| self.l.viewings.iter().find(|w| w.id == c.id));
        let (kind, rate, due, buyer, phone) = match (v.code, viewing) {
            (Code::Brokered, _) => (
                LineKind::ResaleCommission,
                &cfg.commission_rate,
                d.at,
                &d.buyer,
                d.phone,
            ),
            (Code::BypassOwner | Code::BypassAgency, Some(w)) => {
                let known = d.known_at.unwrap_or(d.at);
                let mut due = d.at.max(known);
                if let Some(linked) = self.linked_at(w.phone, d.phone) {
                    due = due.max(linked);
                }
                (
                    LineKind::BypassClaim,
                    &cfg.bypass_rate,
                    due,
                    &w.client,
                    w.phone,
                )
            }
            _ => return None,
        };
        let payee = match cfg.payee.as_deref() {
            Some(p) if !p.trim().is_empty() => p,
            _ => self.cfg.agency.as_str(),
        };
        Some(Line {
            kind,
            due,
            reference: d.id.clone(),
            booking: None,
            unit: Some(d.property.clone()),
            buyer: Some(buyer.clone()),
            phone: Some(phone),
            owner: Some(v.code),
            payee: payee.into(),
            base: Some(d.price),
            rate: rate.text.as_str().into(),
            amount: v.amount?,
            flagged: false,
            rule: "R10.5",
            detail: viewing.map(|w| w.id.clone()).unwrap_or_default(),
            broker: viewing.map(|w| w.broker.clone()),
            flags: vec![],
        })
    }
}
