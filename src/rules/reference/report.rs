//! R2 Report determination 判客, the reference's: the family's open report holds (R2.3, R2.4,
//! R2.6, R4) and a full report's verdict, clauses tried in order R2.0–R2.6 (R13.3, R16.1). A
//! masked report's is in `masked.rs`.

use super::Walk;
use crate::model::*;
use crate::rules::verdict::{Cite, Code, Verdict};

impl<'l> Walk<'l> {
    /// R2.6 / R4: the family's accepted reports before `pos` whose hold is still open at `pos`:
    /// no visit of the family (as it stands now) came after the report. Oldest first.
    pub(super) fn open_reports(&self, family: &[Phone], pos: usize) -> Vec<(&'l Report, Time)> {
        let visits = self.visits(family, pos);
        (self.earlier(Kind::Report, family, pos).into_iter())
            .filter(|&j| self.verdict_at(j).is_some_and(|v| v.code == Code::Accepted))
            .filter(|&j| !visits.iter().any(|&v| v > j))
            .map(|j| self.report(j))
            .map(|r| (r, self.period_end(r.at, self.cfg.visit_window_days)))
            .collect()
    }

    /// R2.3, R2.4, the walk-in warning and `check`: open holds whose window covers `t`, of
    /// channels whose claims on the family are not cancelled at `t`.
    pub(super) fn report_holds(
        &self,
        family: &[Phone],
        pos: usize,
        t: Time,
    ) -> Vec<(&'l Report, Time)> {
        (self.open_reports(family, pos).into_iter())
            .filter(|(r, end)| r.at <= t && t <= *end)
            .filter(|(r, _)| self.cutting(&r.channel, family, t).is_none())
            .filter(|(r, _)| self.delisted_channel(&r.channel, t).is_none())
            .collect()
    }

    /// R2: a report, clauses tried in order 0–6.
    pub(super) fn determine(&self, pos: usize, i: usize) -> Verdict {
        let r = &self.l.reports[i];
        if r.phone.is_masked() {
            return self.masked_determine(pos, i); // R15
        }
        let (t, c) = (r.at, r.channel.as_str());
        let family = self.family(r.phone, pos);
        let mut v = Verdict::new(Kind::Report, i, &r.id, t, Code::Accepted, "R2.6");
        v.phone = Some(r.phone);
        v.channel = Some(r.channel.clone());
        v.broker = Some(r.broker.clone());
        let mut found = |code, rule, cite| {
            v.code = code;
            v.rule = rule;
            v.cite = Some(Box::new(cite));
        };
        let mut holds = self.report_holds(&family, pos, t);
        // R15.3: open masked holds that fit the family (the report's name counting)
        holds.extend(self.masked_holds(r.phone, pos, t, Some(&r.client)));
        if let Some(x) = self.cutting(c, &family, t) {
            // R2.0 cancelled: the channel was caught cutting this family
            found(Code::Cancelled, "R2.0", Cite::violation(x));
        } else if let Some(d) = self.delisted_channel(c, t) {
            // R2.0a (R13.3) channel-delisted: the channel is delisted at t
            found(Code::ChannelDelisted, "R13.3", Cite::delisting(d));
        } else if let Some(d) = (self.directs(&family, pos, t).into_iter())
            .find(|d| self.direct_status(d, pos).0 == Code::Valid)
        {
            // R2.1 direct-client
            found(Code::DirectClient, "R2.1", Cite::direct(d));
        } else if let Some((k, end)) = self.protecting_contact(&family, pos, t) {
            // R2.2 known-client: the latest contact still protecting the family
            found(Code::KnownClient, "R2.2", Cite::contact(k, Some(end)));
        } else if let Some((h, end)) = holds.iter().find(|(h, _)| h.channel == c) {
            // R2.3 duplicate: the channel already holds the family under an open window
            found(Code::Duplicate, "R2.3", Cite::report(h, *end));
        } else if let Some((h, end)) = (holds.iter())
            .filter(|_| self.cfg.mode == Mode::ReportFirst)
            .find(|(h, _)| h.channel != c)
        {
            // R2.4 held-by-report: another channel's window is open (first come, first served);
            // R16.1: not in visit-first mode
            found(Code::HeldByReport, "R2.4", Cite::report(h, *end));
        } else if let Some((k, end)) = (self.visit_holds(&family, pos, t).into_iter())
            .find(|(k, _)| k.channel.as_deref() != Some(c))
        {
            // R2.5 held-by-channel: another channel holds the family after a valid visit
            found(Code::HeldByChannel, "R2.5", Cite::contact(k, Some(end)));
        } else {
            // R2.6 accepted: the window runs visit_window_days from t
            v.until = Some(self.period_end(t, self.cfg.visit_window_days));
        }
        v
    }
}
