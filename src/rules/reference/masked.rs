//! R15 Masked-phone reports 隐号报备, the reference's: whether a masked report fits a family
//! (R15.1), its verdict against every family that fits it (R15.2), its holds (R15.3), the visit
//! that completes it (R15.4) and nameless visits (R15.5).

use super::Walk;
use super::phone_of;
use super::visit::is_unconfirmed_followup;
use crate::model::*;
use crate::rules::verdict::{Cite, Code, Finding, FindingDetail, Verdict};

impl<'l> Walk<'l> {
    /// R15.1: whether masked report `m` fits `family` (as it stands before `pos`), the names
    /// before `pos` and `extra` counting; the phone that fills the mask (`own` when it does,
    /// else the smallest fitting member).
    pub(super) fn fits(
        &self,
        m: &Report,
        family: &[Phone],
        pos: usize,
        own: Option<Phone>,
        extra: Option<&str>,
    ) -> Option<Phone> {
        let filled = own
            .filter(|p| p.mask() == m.phone)
            .or_else(|| family.iter().copied().find(|p| p.mask() == m.phone))?;
        let mut names = self.names(family, pos);
        names.extend(extra.map(String::from));
        let named =
            !self.cfg.masked_match_name || names.iter().any(|n| name_key(n) == name_key(&m.client));
        named.then_some(filled)
    }

    /// R15.4/R15.5: whether the visit at `k` fits masked report `m` (a visit without a name
    /// fits none when names must match).
    pub(super) fn visit_fits(&self, k: usize, m: &Report) -> Option<Phone> {
        let (kind, i) = self.order[k];
        if kind != Kind::Contact || self.is_voided(kind, i) {
            return None;
        }
        let c = &self.l.contacts[i];
        if c.kind != ContactKind::Visit {
            return None;
        }
        if self.cfg.masked_match_name && c.client.is_none() {
            return None;
        }
        let family = self.family(c.phone, k);
        self.fits(m, &family, k, Some(c.phone), c.client.as_deref())
    }

    /// R15.4: the first visit after masked report at `j` and before `end` that fits it: the
    /// visit that ends its hold and completes it, with the phone that fills the mask.
    pub(super) fn masked_completion(&self, j: usize, end: usize) -> Option<(Text, Phone)> {
        let (kind, i) = self.order[j];
        let accepted = self.verdict_at(j).is_some_and(|v| v.code == Code::Accepted);
        if kind != Kind::Report || !self.l.reports[i].phone.is_masked() || !accepted {
            return None;
        }
        let m = &self.l.reports[i];
        (j + 1..end).find_map(|k| {
            let filled = self.visit_fits(k, m)?;
            Some((self.contact(k).id.clone(), filled))
        })
    }

    /// R15: accepted masked reports before `pos` whose hold is still open at `pos`, oldest first.
    pub(super) fn masked_open(&self, pos: usize) -> Vec<(&'l Report, Time)> {
        (0..pos)
            .filter(|&j| self.masked_completion(j, pos).is_none())
            .filter(|&j| self.order[j].0 == Kind::Report)
            .filter(|&j| self.verdict_at(j).is_some_and(|v| v.code == Code::Accepted))
            .map(|j| self.report(j))
            .filter(|r| r.phone.is_masked())
            .map(|r| (r, self.period_end(r.at, self.cfg.visit_window_days)))
            .collect()
    }

    /// R15.3 (and the walk-in warning, `check`): open masked holds covering `t` that fit the
    /// family of `phone` (`name` counting), their channel neither cancelled for it nor delisted.
    pub(super) fn masked_holds(
        &self,
        phone: Phone,
        pos: usize,
        t: Time,
        name: Option<&str>,
    ) -> Vec<(&'l Report, Time)> {
        if !self.cfg.masked_reports {
            return vec![];
        }
        let family = self.family(phone, pos);
        (self.masked_open(pos).into_iter())
            .filter(|(r, end)| r.at <= t && t <= *end)
            .filter(|(r, _)| self.delisted_channel(&r.channel, t).is_none())
            .filter(|(r, _)| self.fits(r, &family, pos, Some(phone), name).is_some())
            .filter(|(r, _)| self.cutting(&r.channel, &family, t).is_none())
            .collect()
    }

    /// R2's clauses 0–5 for report `r` of channel `c` against `family` at `t` (R15.2 asks each
    /// of a masked report's candidates): the record that makes clause `k` hold.
    fn clause(&self, k: usize, r: &Report, family: &[Phone], pos: usize) -> Option<Cite> {
        let (t, c) = (r.at, r.channel.as_str());
        let holds = || self.report_holds(family, pos, t);
        match k {
            0 => self.cutting(c, family, t).map(Cite::violation),
            1 => self.delisted_channel(c, t).map(Cite::delisting),
            2 => (self.directs(family, pos, t).into_iter())
                .find(|d| self.direct_status(d, pos).0 == Code::Valid)
                .map(Cite::direct),
            3 => (self.protecting_contact(family, pos, t))
                .map(|(k, end)| Cite::contact(k, Some(end))),
            4 => (holds().into_iter())
                .find(|(h, _)| h.channel == c)
                .map(|(h, end)| Cite::report(h, end)),
            5 => (holds().into_iter())
                .find(|(h, _)| h.channel != c)
                .map(|(h, end)| Cite::report(h, end)),
            _ => (self.visit_holds(family, pos, t).into_iter())
                .find(|(k, _)| k.channel.as_deref() != Some(c))
                .map(|(k, end)| Cite::contact(k, Some(end))),
        }
    }

    /// R15.2: a masked report, judged against every family that fits it when it is made.
    pub(super) fn masked_determine(&self, pos: usize, i: usize) -> Verdict {
        let m = &self.l.reports[i];
        let t = m.at;
        let mut v = Verdict::new(Kind::Report, i, &m.id, t, Code::Accepted, "R2.6");
        v.phone = Some(m.phone);
        v.channel = Some(m.channel.clone());
        v.broker = Some(m.broker.clone());
        v.findings
            .push(Finding::warning(FindingDetail::Masked, "R15"));
        // every family the office has on file before (a full report, a contact — an unconfirmed
        // follow-up only with a name —, a direct slip, a complete query slip), smallest phone first
        let on_file = |j: usize| {
            let (kind, i) = self.order[j];
            !self.is_voided(kind, i)
                && match kind {
                    Kind::Report => !self.l.reports[i].phone.is_masked(),
                    Kind::Contact => {
                        let c = &self.l.contacts[i];
                        !is_unconfirmed_followup(c) || c.client.is_some()
                    }
                    Kind::Direct => true,
                    Kind::Query => self.unsigned(&self.l.queries[i]).is_empty(),
                    _ => false,
                }
        };
        let mut families: Vec<Vec<Phone>> = (0..pos)
            .filter(|&j| on_file(j))
            .filter_map(|j| phone_of(self.l, self.order[j].0, self.order[j].1))
            .map(|p| self.family(p, pos))
            .collect();
        families.sort();
        families.dedup();
        families.retain(|f| self.fits(m, f, pos, None, None).is_some());
        // the same client's open masked holds: same pattern, same name key
        let same = (self.masked_open(pos).into_iter())
            .filter(|(o, end)| o.phone == m.phone && o.at <= t && t <= *end)
            .filter(|(o, _)| {
                !self.cfg.masked_match_name || name_key(&o.client) == name_key(&m.client)
            })
            .filter(|(o, _)| self.delisted_channel(&o.channel, t).is_none());
        let same: Vec<(&Report, Time)> = same.collect();
        let clauses = [
            (Code::Cancelled, "R2.0"),
            (Code::ChannelDelisted, "R13.3"),
            (Code::DirectClient, "R2.1"),
            (Code::KnownClient, "R2.2"),
            (Code::Duplicate, "R2.3"),
            (Code::HeldByReport, "R2.4"),
            (Code::HeldByChannel, "R2.5"),
        ];
        for (k, (code, rule)) in clauses.into_iter().enumerate() {
            if code == Code::HeldByReport && self.cfg.mode == Mode::VisitFirst {
                continue; // R16.1
            }
            let mut found: Vec<Cite> = (families.iter())
                .filter_map(|f| self.clause(k, m, f, pos))
                .collect();
            if matches!(code, Code::Duplicate | Code::HeldByReport) {
                let own = code == Code::Duplicate;
                found.extend(
                    (same.iter())
                        .filter(|(o, _)| (o.channel == m.channel) == own)
                        .map(|(o, end)| Cite::report(o, *end)),
                );
            }
            // the latest covering contact for known-client (the first family's at equal times);
            // else the earliest record
            let mut best: Option<Cite> = None;
            for cite in found {
                let better = best.as_ref().is_none_or(|b| match code {
                    Code::KnownClient => cite.at > b.at,
                    _ => cite.at < b.at,
                });
                if better {
                    best = Some(cite);
                }
            }
            if let Some(cite) = best {
                v.code = code;
                v.rule = rule;
                v.cite = Some(Box::new(cite));
                return v;
            }
        }
        v.until = Some(self.period_end(t, self.cfg.visit_window_days));
        v
    }
}
