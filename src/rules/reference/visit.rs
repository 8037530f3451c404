//! R3 Contacts 电访记录 and R4 Channel visit validity 有效带客, the reference's: the family's
//! contacts and visits, the protecting contact (R3), channel holds (R4.6) and a contact's verdict
//! (R3.1, R4.1–R4.6, the walk-in warning).

use super::Walk;
use crate::model::*;
use crate::rules::verdict::{Cite, Code, Finding, FindingDetail, Verdict};
use chrono::Duration;

impl<'l> Walk<'l> {
    /// R3: the family's contacts before `pos` (calls, visits, confirmed follow-ups).
    pub(super) fn contacts(&self, family: &[Phone], pos: usize) -> Vec<usize> {
        (self.earlier(Kind::Contact, family, pos).into_iter())
            .filter(|&j| !is_unconfirmed_followup(self.contact(j)))
            .collect()
    }

    /// The family's visits before `pos`.
    pub(super) fn visits(&self, family: &[Phone], pos: usize) -> Vec<usize> {
        (self.earlier(Kind::Contact, family, pos).into_iter())
            .filter(|&j| self.contact(j).kind == ContactKind::Visit)
            .collect()
    }

    /// R3: the family's first visit before `pos`.
    pub(super) fn first_visit(&self, family: &[Phone], pos: usize) -> Option<&'l Contact> {
        self.visits(family, pos).first().map(|&j| self.contact(j))
    }

    /// R3: the latest contact before `pos` whose protection period covers `t`, with its end.
    pub(super) fn protecting_contact(
        &self,
        family: &[Phone],
        pos: usize,
        t: Time,
    ) -> Option<(&'l Contact, Time)> {
        (self.contacts(family, pos).into_iter().rev())
            .map(|j| self.contact(j))
            .map(|c| (c, self.period_end(c.at, self.cfg.protection_days)))
            .find(|(c, end)| c.at <= t && t <= *end)
    }

    /// R4.6: the family's valid visits before `pos` whose channel hold covers `t`, of channels
    /// whose claims are not cancelled at `t`. Earliest first.
    pub(super) fn visit_holds(
        &self,
        family: &[Phone],
        pos: usize,
        t: Time,
    ) -> Vec<(&'l Contact, Time)> {
        (self.earlier(Kind::Contact, family, pos).into_iter())
            .filter(|&j| self.verdict_at(j).is_some_and(|v| v.code == Code::Valid))
            .map(|j| self.contact(j))
            .map(|c| (c, self.period_end(c.at, self.cfg.channel_hold_days)))
            .filter(|(c, end)| c.at <= t && t <= *end)
            .filter(|(c, _)| {
                self.cutting(c.channel.as_deref().unwrap_or(""), family, t)
                    .is_none()
            })
            .filter(|(c, _)| {
                (self.delisted_channel(c.channel.as_deref().unwrap_or(""), t)).is_none()
            })
            .collect()
    }

    /// R3 and R4: a call, visit or follow-up.
    pub(super) fn contact_verdict(&self, pos: usize, i: usize) -> Verdict {
        let c = &self.l.contacts[i];
        let t = c.at;
        let family = self.family(c.phone, pos);
        let mut v = Verdict::new(Kind::Contact, i, &c.id, t, Code::Recorded, "R3");
        v.contact = Some(c.kind);
        v.phone = Some(c.phone);
        v.channel = c.channel.clone();
        v.broker = c.broker.clone();
        v.consultant = c.consultant.clone();
        if is_unconfirmed_followup(c) {
            // R3.1: a follow-up without the developer's confirmer protects nothing
            v.code = Code::Unconfirmed;
            v.rule = "R3.1";
            return v;
        }
        v.until = Some(self.period_end(t, self.cfg.protection_days));
        let channel = match (&c.kind, &c.channel) {
            (ContactKind::Visit, Some(channel)) => channel.as_str(),
            (ContactKind::Visit, None) => {
                // R4: a walk-in while a channel's report window is open (R15.4: or a masked
                // report's that fits the family; a nameless visit fits none, R15.5)
                let nameless = self.cfg.masked_match_name && c.client.is_none();
                let masked = match nameless {
                    true => vec![],
                    false => self.masked_holds(c.phone, pos, t, c.client.as_deref()),
                };
                if let Some((r, end)) = (self.report_holds(&family, pos, t).into_iter())
                    .chain(masked)
                    .next()
                {
                    v.findings.push(
                        Finding::warning(FindingDetail::WalkInDuringHold, "R4")
                            .cite(Cite::report(r, end)),
                    );
                }
                return v;
            }
            _ => return v,
        };
        if let Some(x) = self.cutting(channel, &family, t) {
            // R4.1 cancelled
            v.code = Code::Cancelled;
            v.rule = "R4.1";
            v.cite = Some(Box::new(Cite::violation(x)));
            return v;
        }
        if let Some(d) = self.delisted_channel(channel, t) {
            // R4.1a (R13.3) channel-delisted
            v.code = Code::ChannelDelisted;
            v.rule = "R13.3";
            v.cite = Some(Box::new(Cite::delisting(d)));
            return v;
        }
        if let Some((first, end)) = (self.visit_holds(&family, pos, t).into_iter())
            .find(|(k, _)| k.channel.as_deref() == Some(channel))
        {
            // R4.2 return-visit
            v.code = Code::ReturnVisit;
            v.rule = "R4.2";
            v.cite = Some(Box::new(Cite::contact(first, Some(end))));
            return v;
        }
        // R4.3: the channel's latest accepted report whose hold is still open; R15.4: its open
        // masked reports that fit the family count too
        let full =
            (self.open_reports(&family, pos).into_iter()).rfind(|(r, _)| r.channel == channel);
        let masked = (self.masked_open(pos).into_iter())
            .rfind(|(r, _)| r.channel == channel && r.at < t && self.visit_fits(pos, r).is_some());
        let that = match (full, masked) {
            (Some(f), Some(m)) if m.0.at > f.0.at => Some(m),
            (Some(f), _) => Some(f),
            (None, m) => m,
        };
        let Some((report, window_end)) = that else {
            v.code = Code::NoReport;
            v.rule = "R4.3";
            return v;
        };
        let cite = Cite::report(report, window_end);
        v.cite = Some(Box::new(cite.clone()));
        if c.broker.as_deref() != Some(report.broker.as_str()) {
            v.findings.push(
                Finding::warning(
                    FindingDetail::BrokerMismatch {
                        report_broker: report.broker.clone(),
                    },
                    "R4",
                )
                .cite(cite),
            );
        }
        let lead = Duration::hours(i64::from(self.cfg.report_lead_hours));
        if report.at.checked_add_signed(lead).is_none_or(|due| t < due) {
            // R4.4 report-too-late
            v.code = Code::ReportTooLate;
            v.rule = "R4.4";
        } else if t > window_end {
            // R4.5 window-expired
            v.code = Code::WindowExpired;
            v.rule = "R4.5";
        } else {
            // R4.6 valid: the channel holds the family for channel_hold_days
            v.code = Code::Valid;
            v.rule = "R4.6";
            v.until = Some(self.period_end(t, self.cfg.channel_hold_days));
        }
        v
    }
}

pub(super) fn is_unconfirmed_followup(c: &Contact) -> bool {
    c.kind == ContactKind::Followup && c.confirmed_by.is_none()
}
