//! R13 Delisting 清退, the reference's: the decision in force for a channel (R13.3) or a family
//! (R13.2), the `delisted-client` finding (R13.2) and a delisting row's verdict (R13.1).

use super::Walk;
use crate::model::*;
use crate::rules::verdict::{Cite, Code, Finding, FindingDetail, Verdict};

impl<'l> Walk<'l> {
    /// R13: the carried, non-voided decisions existing as of T that `about` picks, ordered
    /// before `before` (a time and a file position): the latest one, when it delists.
    pub(super) fn delisted(
        &self,
        about: &dyn Fn(&Delisting) -> bool,
        before: (Time, usize),
    ) -> Option<&'l Delisting> {
        (self.l.delistings.iter().enumerate())
            .filter(|(_, d)| d.at <= self.as_of && !self.voided.contains(d.id.as_str()))
            .filter(|(_, d)| 2 * u64::from(d.votes_for) > u64::from(d.leaders) && about(d))
            .filter(|(i, d)| (d.at, *i) < before)
            .max_by_key(|(i, d)| (d.at, *i))
            .map(|(_, d)| d)
            .filter(|d| d.action != Some(DelistAction::Relist))
    }

    /// R13.3: the delisting in force for `channel` at `t`.
    pub(super) fn delisted_channel(&self, channel: &str, t: Time) -> Option<&'l Delisting> {
        let about = |d: &Delisting| d.phone.is_none() && d.channel.as_deref() == Some(channel);
        self.delisted(&about, (t, usize::MAX))
    }

    /// R13.2: the delisting in force at `t` for the family of `phone` as it stands at `pos`
    /// (a carried decision about any member).
    fn delisted_client(&self, phone: Phone, pos: usize, t: Time) -> Option<&'l Delisting> {
        let family = self.family(phone, pos);
        let about = |d: &Delisting| d.phone.is_some_and(|p| family.contains(&p));
        self.delisted(&about, (t, usize::MAX))
    }

    /// R13.2: `delisted-client` on a report or contact (a warning) or a booking (an error).
    pub(super) fn delisted_client_finding(
        &self,
        mut v: Verdict,
        phone: Phone,
        pos: usize,
        t: Time,
        error: bool,
    ) -> Verdict {
        if let Some(d) = self.delisted_client(phone, pos, t) {
            let f = if error {
                Finding::error(FindingDetail::DelistedClient, "R13.2")
            } else {
                Finding::warning(FindingDetail::DelistedClient, "R13.2")
            };
            v.findings.push(f.cite(Cite::delisting(d)));
        }
        v
    }

    /// R13.1: a delist row is `delisted` with 2 × votes_for > leaders, else `not-carried`, and
    /// warned `no-investigation` / `unnotified`; a relist row is `not-carried`, `not-delisted`
    /// (its target not delisted just before it) or `relisted`.
    pub(super) fn delisting(&self, pos: usize, i: usize) -> Verdict {
        let d = &self.l.delistings[i];
        let mut v = Verdict::new(Kind::Delisting, i, &d.id, d.at, Code::Delisted, "R13.1");
        v.phone = d.phone;
        v.channel = d.channel.clone();
        let carried = 2 * u64::from(d.votes_for) > u64::from(d.leaders);
        if d.action == Some(DelistAction::Relist) {
            let before = (d.at, i);
            let delisted = match (d.phone, &d.channel) {
                (Some(p), _) => {
                    let family = self.family(p, pos);
                    let about = |x: &Delisting| x.phone.is_some_and(|p| family.contains(&p));
                    self.delisted(&about, before).is_some()
                }
                (None, Some(c)) => {
                    let about = |x: &Delisting| x.phone.is_none() && x.channel.as_ref() == Some(c);
                    self.delisted(&about, before).is_some()
                }
                (None, None) => false,
            };
            v.code = match (carried, delisted) {
                (false, _) => Code::NotCarried,
                (true, false) => Code::NotDelisted,
                (true, true) => Code::Relisted,
            };
            return v;
        }
        if !carried {
            v.code = Code::NotCarried;
        }
        if d.investigated_at.is_none_or(|x| x > d.at) {
            v.findings
                .push(Finding::warning(FindingDetail::NoInvestigation, "R13.1"));
        }
        if d.notified_at.is_none_or(|x| x > self.as_of) {
            v.findings
                .push(Finding::warning(FindingDetail::Unnotified, "R13.1"));
        }
        v
    }
}
