//! The counter question 确客查询 (`check`), the reference's: R7 for a booking made at the as-of
//! time, the report hold that covers it (S9, R2.4), the consultants (R11) and the open masked
//! (R15.6) and full (R16.3) reports.

use super::Walk;
use super::booking::Booked;
use crate::model::*;
use crate::rules::check::{ClientStatus, Prospect};
use crate::rules::verdict::{Code, Verdict};

impl<'l> Walk<'l> {
    /// `check`: R7 for a booking made at T, and the report hold that covers T.
    pub(super) fn client_status(&self, phone: Phone, p: &Prospect) -> (ClientStatus, Vec<Verdict>) {
        let (t, end) = (self.as_of, self.order.len());
        let family = self.family(phone, end);
        let mut input = Booked {
            id: "",
            index: usize::MAX,
            at: t,
            phone,
            unit: p.unit.as_deref(),
            buyer: p.name.as_deref(),
            price: p.price,
            consultant: None,
            discount: None,
        };
        // R7: `check` looks an approval up among all of the family's approvals for the unit and
        // names it: the earliest (by time, then id) that covers the prospective booking
        let mut approvals: Vec<&Discount> = match (p.unit.as_deref(), p.price) {
            (Some(unit), Some((price, list))) if !list.is_zero() => (self.l.discounts.iter())
                .filter(|d| d.unit == unit)
                .filter(|d| {
                    let named = Booked {
                        discount: Some(&d.id),
                        ..input
                    };
                    self.approved(&named, &family, price / list)
                })
                .collect(),
            _ => vec![],
        };
        approvals.sort_by(|x, y| (x.at, &x.id).cmp(&(y.at, &y.id)));
        let approval = approvals.first().map(|d| d.id.clone());
        input.discount = approval.as_deref();
        let b = self.booking(end, &input);
        let timeline: Vec<Verdict> = (self.verdicts.iter().flatten())
            .filter(|v| v.phone.is_some_and(|vp| family.contains(&vp)))
            .cloned()
            .collect();
        let mut s = ClientStatus {
            phone,
            as_of: t,
            family: family.clone(),
            owner: Some(b.code),
            rule: b.rule,
            channel: b.channel.clone(),
            broker: b.broker.clone(),
            consultant: b.consultant.clone(),
            hold_until: (b.cite.as_ref().and_then(|c| c.until)).filter(|_| b.code == Code::Channel),
            protected_until: (self.contacts(&family, end).last())
                .map(|&j| self.period_end(self.contact(j).at, self.cfg.protection_days)),
            booking: b,
            approval,
            timeline: vec![],
            viewings: crate::rules::check::viewing_windows(self.l, timeline.iter()),
            consultants: self.r11_on().then(|| {
                let records = self.r11_records(&family, end);
                crate::rules::consultant::CheckStatus {
                    of_record: self.of_record(&records, t).map(|r| r.0.into()),
                    developing: self.developing(&records).map(Text::from),
                    departed_claim: self
                        .departed_of(&records, t)
                        .map(|(d, until)| (d.into(), until)),
                }
            }),
            // R15.6: the open masked reports the family fits (the prospect's name counting)
            masked_reports: self.cfg.masked_reports.then(|| {
                (self.masked_open(end).into_iter())
                    .filter(|(r, _)| r.at <= t)
                    .filter(|(r, _)| {
                        (self.fits(r, &family, end, Some(phone), p.name.as_deref())).is_some()
                    })
                    .map(|(r, until)| crate::rules::mode::OpenReport {
                        channel: r.channel.clone(),
                        report: r.id.clone(),
                        window_end: until,
                    })
                    .collect()
            }),
            // R16.3: visit-first lists the open reports (S7) instead of promoting one
            open_reports: (self.cfg.mode == Mode::VisitFirst).then(|| {
                (self.report_holds(&family, end, t).into_iter())
                    .map(|(r, until)| crate::rules::mode::OpenReport {
                        channel: r.channel.clone(),
                        report: r.id.clone(),
                        window_end: until,
                    })
                    .collect()
            }),
        };
        if s.owner == Some(Code::Agency) {
            let known = self.known(&family, end);
            // S9: fitting open masked holds promote as open full reports do
            let promoted = (self.report_holds(&family, end, t).into_iter())
                .chain(self.masked_holds(phone, end, t, p.name.as_deref()))
                .find(|_| self.cfg.mode == Mode::ReportFirst);
            if let Some((r, until)) = promoted {
                s.owner = Some(Code::Channel);
                s.rule = "R2.4";
                s.channel = Some(r.channel.clone());
                s.broker = Some(r.broker.clone());
                s.hold_until = Some(until);
            } else if !known {
                s.owner = None;
                s.rule = "R2.6";
            }
        }
        (s, timeline)
    }
}
