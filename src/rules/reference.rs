#![cfg(any(test, feature = "reference"))]
//! The reference evaluator: the rules of RULES.md (R1–R9, as amended: R2.0 `cancelled`, and
//! families joined after a report) and of RULES-R10.md so far (R10 resale viewings, deals and
//! their lines; R11 staff rows, the consultant of record, handovers, contact and booking
//! findings, the credited consultant, the departed claimant and consultant lines; R12
//! cancellations with deposit findings and reversal lines, R13 delistings, R14 query slips, R15
//! masked reports, R16 visit-first mode, R18 committee grade rows)
//! transcribed as plainly as they are written, for tests.
//!
//! It is a test oracle, not a second engine. One thread, no scope, no shard, no registry, no
//! cached state: every question a rule asks is answered by looking again at every earlier record
//! of the family as the family stands at the moment of the question. It is quadratic (or worse)
//! in the number of records and meant for ledgers of a few dozen rows. The engine's fast paths
//! (`evaluate_scoped`, the shards of `Scope::All`, the settlement and family scopes) are held to it
//! by the property tests at the end of this file.
//!
//! It shares with the engine only the vocabulary: the model, `Verdict`/`Finding`/`Cite`,
//! `settle::Line` and `check::ClientStatus`, so that the two can be compared with `==`. Every
//! rule, period, slip status and fine is worked out here again from the contract's words.
//!
//! Choices where the contract is silent (the engine makes the same ones; they are listed so a
//! disagreement is easy to place):
//! - "the violation" named by a cancellation is the earliest (by time; then phone; then file
//!   order) cutting violation against the channel for a member of the family;
//! - the names a family was received under are listed phone by phone (smallest phone first),
//!   each phone's names in order of first appearance;
//! - the approved ratio of a discount approval is checked only when the approval states both
//!   unit prices (`unit_price / list_unit_price`);
//! - the approval `check` names is the earliest (by time, then id) of the family's approvals for
//!   the unit that covers the prospective booking;
//! - `unit-taken` names the earliest (by time, then file order) of the other families' live
//!   bookings of the unit;
//! - R10: a deal's `until` (its cite's) is the end of the window that counted (the agency window
//!   for `via = other`, else the bypass window); a resale line's `detail` and `broker` are the
//!   named viewing's id and broker.

use super::check::{ClientStatus, Prospect};
use super::settle::{Line, LineKind};
use super::verdict::{
    Cite, Code, Detail, DirectFault, DirectField, Finding, FindingDetail, Verdict,
};
use crate::model::*;
use chrono::{Datelike, Duration, TimeZone};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeSet;

/// Every verdict of the ledger as of `as_of`, in evaluation order (RULES.md section 3).
pub fn verdicts(l: &Ledger, as_of: Time) -> Vec<Verdict> {
    Walk::new(l, as_of).verdicts.into_iter().flatten().collect()
}

/// The counter's answer for `phone` as of `as_of` (what `check` shows), with the timeline as the
/// family's verdicts themselves rather than positions in a list.
pub fn client_status(
    l: &Ledger,
    as_of: Time,
    phone: Phone,
    p: &Prospect,
) -> (ClientStatus, Vec<Verdict>) {
    Walk::new(l, as_of).client_status(phone, p)
}

/// R9: the settlement lines due in the month that starts at `from` and ends before `before`,
/// sorted by due time, then reference (then kind).
pub fn month_lines(l: &Ledger, as_of: Time, from: Time, before: Time) -> Vec<Line> {
    Walk::new(l, as_of).lines(&|due| from <= due && due < before)
}

/// R9: every settlement line due as of `as_of`.
pub fn lines(l: &Ledger, as_of: Time) -> Vec<Line> {
    Walk::new(l, as_of).lines(&|_| true)
}

/// One pass over the ledger in evaluation order, remembering each record's verdict.
struct Walk<'l> {
    l: &'l Ledger,
    cfg: &'l Config,
    as_of: Time,
    /// Ids voided as of the as-of time.
    voided: BTreeSet<&'l str>,
    /// Every record that exists as of the as-of time, in evaluation order (every signature).
    order: Vec<(Kind, usize)>,
    /// The verdict at each position of `order` (a slip's only at its first signature).
    verdicts: Vec<Option<Verdict>>,
}

impl<'l> Walk<'l> {
    fn new(l: &'l Ledger, as_of: Time) -> Walk<'l> {
        // section 3: only records with at ≤ T exist, judged by time, then kind, then file order
        let kind_order = [
            Kind::Void,
            Kind::Relation,
            Kind::Staff,
            Kind::Delisting,
            Kind::Direct,
            Kind::Contact,
            Kind::Handover,
            Kind::Viewing,
            Kind::Report,
            Kind::Slip,
            Kind::Discount,
            Kind::Query,
            Kind::Booking,
            Kind::Cancellation,
            Kind::Deal,
            Kind::Violation,
            Kind::Grade,
        ];
        let mut order = vec![];
        for (rank, &kind) in kind_order.iter().enumerate() {
            for i in 0..count(l, kind) {
                let at = time_of(l, kind, i);
                if at <= as_of {
                    order.push((at, rank, i, kind));
                }
            }
        }
        order.sort_by_key(|&(at, rank, i, _)| (at, rank, i));
        let mut w = Walk {
            l,
            cfg: &l.config,
            as_of,
            voided: voided_ids(l, as_of),
            order: order.into_iter().map(|(_, _, i, k)| (k, i)).collect(),
            verdicts: vec![],
        };
        for pos in 0..w.order.len() {
            let v = w.judge(pos);
            w.verdicts.push(v);
        }
        // R15.4: a masked report's completing visit and phone, once every visit is judged
        for pos in 0..w.order.len() {
            if let Some(done) = w.masked_completion(pos, w.order.len()) {
                let v = w.verdicts[pos].as_mut().expect("a report has a verdict");
                v.completed = Some(Box::new(done));
            }
        }
        w
    }

    fn is_voided(&self, kind: Kind, i: usize) -> bool {
        self.voided.contains(id_of(self.l, kind, i))
    }

    fn verdict_at(&self, pos: usize) -> Option<&Verdict> {
        self.verdicts.get(pos).and_then(Option::as_ref)
    }

    // ---- R1: the family as it stands just before position `pos` ----

    /// Every phone linked to `phone` by the relations judged before `pos` that are not voided.
    fn family(&self, phone: Phone, pos: usize) -> Vec<Phone> {
        let links: Vec<(Phone, Phone)> = (self.order[..pos].iter())
            .filter(|(k, i)| *k == Kind::Relation && !self.is_voided(*k, *i))
            .filter(|(_, i)| self.l.relations[*i].joins_family())
            .map(|(_, i)| (self.l.relations[*i].phone, self.l.relations[*i].other_phone))
            .collect();
        let mut family = BTreeSet::from([phone]);
        loop {
            let before = family.len();
            for (a, b) in &links {
                if family.contains(a) || family.contains(b) {
                    family.insert(*a);
                    family.insert(*b);
                }
            }
            if family.len() == before {
                return family.into_iter().collect();
            }
        }
    }

    /// Positions before `pos` of records of `kind` that are not voided and belong to the family.
    fn earlier(&self, kind: Kind, family: &[Phone], pos: usize) -> Vec<usize> {
        (0..pos)
            .filter(|&j| self.order[j].0 == kind)
            .filter(|&j| !self.is_voided(kind, self.order[j].1))
            .filter(|&j| {
                phone_of(self.l, kind, self.order[j].1).is_some_and(|p| family.contains(&p))
            })
            .collect()
    }

    fn contact(&self, pos: usize) -> &'l Contact {
        &self.l.contacts[self.order[pos].1]
    }

    fn report(&self, pos: usize) -> &'l Report {
        &self.l.reports[self.order[pos].1]
    }

    /// R3: the family's contacts before `pos` (calls, visits, confirmed follow-ups).
    fn contacts(&self, family: &[Phone], pos: usize) -> Vec<usize> {
        (self.earlier(Kind::Contact, family, pos).into_iter())
            .filter(|&j| !is_unconfirmed_followup(self.contact(j)))
            .collect()
    }

    /// The family's visits before `pos`.
    fn visits(&self, family: &[Phone], pos: usize) -> Vec<usize> {
        (self.earlier(Kind::Contact, family, pos).into_iter())
            .filter(|&j| self.contact(j).kind == ContactKind::Visit)
            .collect()
    }

    /// R3: the family's first visit before `pos`.
    fn first_visit(&self, family: &[Phone], pos: usize) -> Option<&'l Contact> {
        self.visits(family, pos).first().map(|&j| self.contact(j))
    }

    /// R3: the latest contact before `pos` whose protection period covers `t`, with its end.
    fn protecting_contact(
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

    /// R2.6 / R4: the family's accepted reports before `pos` whose hold is still open at `pos`:
    /// no visit of the family (as it stands now) came after the report. Oldest first.
    fn open_reports(&self, family: &[Phone], pos: usize) -> Vec<(&'l Report, Time)> {
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
    fn report_holds(&self, family: &[Phone], pos: usize, t: Time) -> Vec<(&'l Report, Time)> {
        (self.open_reports(family, pos).into_iter())
            .filter(|(r, end)| r.at <= t && t <= *end)
            .filter(|(r, _)| self.cutting(&r.channel, family, t).is_none())
            .filter(|(r, _)| self.delisted_channel(&r.channel, t).is_none())
            .collect()
    }

    /// R4.6: the family's valid visits before `pos` whose channel hold covers `t`, of channels
    /// whose claims are not cancelled at `t`. Earliest first.
    fn visit_holds(&self, family: &[Phone], pos: usize, t: Time) -> Vec<(&'l Contact, Time)> {
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

    /// R8: the cutting violation against `channel` for a member of the family at or before `t`
    /// that cancelled the channel's claims (the earliest). Violations count by their time, not
    /// by their place in the walk.
    fn cutting(&self, channel: &str, family: &[Phone], t: Time) -> Option<&'l Violation> {
        (self.l.violations.iter().enumerate())
            .filter(|(_, v)| v.at <= self.as_of && !self.voided.contains(v.id.as_str()))
            .filter(|(_, v)| v.kind == ViolationKind::Cutting && v.channel == channel)
            .filter(|(_, v)| v.phone.is_some_and(|p| family.contains(&p)))
            .filter(|(_, v)| v.at <= t)
            .min_by_key(|(i, v)| (v.at, v.phone, *i))
            .map(|(_, v)| v)
    }

    /// R6: a direct slip's status as of `pos`: incomplete, late, or valid.
    fn direct_status(&self, d: &Direct, pos: usize) -> (Code, &'static str, Detail) {
        let fields = missing_fields(d);
        if !fields.is_empty() {
            return (Code::Incomplete, "R6.1", Detail::Incomplete { fields });
        }
        let family = self.family(d.phone, pos);
        let tz = self.cfg.timezone;
        let day = |t: Time| t.with_timezone(&tz).date_naive();
        if self
            .first_visit(&family, pos)
            .is_some_and(|v| day(d.presented_at) > day(v.at))
        {
            return (Code::Late, "R6.2", Detail::None);
        }
        (Code::Valid, "R6", Detail::None)
    }

    /// The family's direct slips before `pos` presented at or before `t`, in time order.
    fn directs(&self, family: &[Phone], pos: usize, t: Time) -> Vec<&'l Direct> {
        (self.earlier(Kind::Direct, family, pos).into_iter())
            .map(|j| &self.l.directs[self.order[j].1])
            .filter(|d| d.presented_at <= t)
            .collect()
    }

    /// R7: the names the family was received or reported under before `pos`.
    fn names(&self, family: &[Phone], pos: usize) -> Vec<String> {
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

    /// Section 3: an N-day period from `start`, inclusive end.
    fn period_end(&self, start: Time, days: u32) -> Time {
        let tz = self.cfg.timezone;
        let end = match self.cfg.day_count {
            DayCount::Elapsed => start.checked_add_signed(Duration::hours(24 * i64::from(days))),
            DayCount::Calendar => {
                // the end of calendar day date(start) + N: one nanosecond before the midnight after
                let day = start.with_timezone(&tz).date_naive();
                day.checked_add_days(chrono::Days::new(u64::from(days) + 1))
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .and_then(|m| tz.from_local_datetime(&m).single())
                    .map(|m| m - Duration::nanoseconds(1))
            }
        };
        end.unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&tz))
    }

    // ---- R15: masked reports (隐号报备) ----

    /// R15.1: whether masked report `m` fits `family` (as it stands before `pos`), the names
    /// before `pos` and `extra` counting; the phone that fills the mask (`own` when it does,
    /// else the smallest fitting member).
    fn fits(
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
    fn visit_fits(&self, k: usize, m: &Report) -> Option<Phone> {
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
    fn masked_completion(&self, j: usize, end: usize) -> Option<(Text, Phone)> {
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
    fn masked_open(&self, pos: usize) -> Vec<(&'l Report, Time)> {
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
    fn masked_holds(
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
    fn masked_determine(&self, pos: usize, i: usize) -> Verdict {
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

    // ---- one verdict per record ----

    fn judge(&self, pos: usize) -> Option<Verdict> {
        let (kind, i) = self.order[pos];
        let id = id_of(self.l, kind, i);
        let at = time_of(self.l, kind, i);
        if kind == Kind::Slip {
            // a slip appears once, at its first signature
            let first = (0..pos).any(|j| {
                self.order[j].0 == Kind::Slip && self.l.signatures[self.order[j].1].slip == id
            });
            if first {
                return None;
            }
        }
        if self.is_voided(kind, i) {
            let mut v = Verdict::new(kind, i, id, at, Code::Voided, "void");
            v.phone = phone_of(self.l, kind, i);
            return Some(v);
        }
        Some(match kind {
            Kind::Void => Verdict::new(kind, i, id, at, Code::Recorded, "void"),
            Kind::Staff => self.staff(pos, i),
            Kind::Delisting => self.delisting(pos, i),
            Kind::Query => self.query(pos, i),
            Kind::Relation => {
                let r = &self.l.relations[i];
                let rule = match r.relation {
                    RelationKind::Agent => "R10.2",
                    _ => "R1",
                };
                let mut v = Verdict::new(kind, i, id, at, Code::Recorded, rule);
                v.phone = Some(r.phone);
                v
            }
            Kind::Direct => self.direct(pos, i),
            Kind::Contact => {
                let c = &self.l.contacts[i];
                let v = self.contact_verdict(pos, i);
                let mut v = self.delisted_client_finding(v, c.phone, pos, c.at, false);
                // R15.5: a nameless visit whose phone has an open masked report's pattern
                let nameless = c.kind == ContactKind::Visit
                    && self.cfg.masked_reports
                    && self.cfg.masked_match_name
                    && c.client.is_none();
                let pattern = (self.masked_open(pos).into_iter())
                    .find(|(r, _)| nameless && r.phone == c.phone.mask() && r.at < c.at);
                if let Some((r, end)) = pattern {
                    let f = Finding::warning(FindingDetail::MaskedNameMissing, "R15.5");
                    v.findings.push(f.cite(Cite::report(r, end)));
                }
                self.r11_contact(pos, i, &mut v);
                v
            }
            Kind::Handover => self.handover(pos, i),
            Kind::Report => {
                let r = &self.l.reports[i];
                let v = self.determine(pos, i);
                self.delisted_client_finding(v, r.phone, pos, r.at, false)
            }
            Kind::Slip => {
                let s = slip_status(self.l, self.as_of, id);
                let mut v = Verdict::new(kind, i, id, s.first_at, s.code, s.rule);
                v.detail = s.detail;
                v.until = s.effective_at;
                v
            }
            Kind::Discount => {
                let d = &self.l.discounts[i];
                let signed = d.developer_signer.is_some() && d.agency_signer.is_some();
                let code = if signed {
                    Code::Approved
                } else {
                    Code::Unsigned
                };
                let mut v = Verdict::new(kind, i, id, at, code, "R7");
                v.phone = Some(d.phone);
                v
            }
            Kind::Booking => {
                let b = &self.l.bookings[i];
                let input = Booked {
                    id: &b.id,
                    index: i,
                    at: b.at,
                    phone: b.phone,
                    unit: Some(&b.unit),
                    buyer: Some(&b.buyer),
                    price: Some((b.price, b.list_price)),
                    consultant: b.consultant.as_deref(),
                    discount: b.discount.as_deref(),
                };
                let mut v = self.booking(pos, &input);
                self.deposit_findings(b, &mut v);
                self.r11_booking(pos, i, &mut v);
                v
            }
            Kind::Cancellation => self.cancellation(pos, i),
            Kind::Viewing => self.viewing(i),
            Kind::Deal => self.deal(i),
            Kind::Grade => {
                // R18: a committee decision is recorded; unnotified without a written notice
                let g = &self.l.grades[i];
                let mut v = Verdict::new(kind, i, id, at, Code::Recorded, "R18");
                v.channel = Some(g.channel.clone());
                if g.notified_at.is_none() {
                    let f = Finding::warning(FindingDetail::GradeUnnotified, "R18");
                    v.findings.push(f);
                }
                v
            }
            Kind::Violation => {
                let x = &self.l.violations[i];
                let mut v = Verdict::new(kind, i, id, at, Code::Penalty, "R8");
                v.phone = x.phone;
                v.channel = Some(x.channel.clone());
                v.broker = x.broker.clone();
                v.amount = Some(fine(self.cfg, x));
                v
            }
        })
    }

    // ---- R10: resale viewings and deals ----

    /// R10.1: an N-month period from `start` (RULES-R10 §2.1), inclusive end.
    fn months_end(&self, start: Time, months: u32) -> Time {
        let tz = self.cfg.timezone;
        let local = start.with_timezone(&tz);
        // the corresponding day: chrono keeps the day, clamped to the month's last day
        let day = (local.date_naive()).checked_add_months(chrono::Months::new(months));
        let end = match self.cfg.day_count {
            DayCount::Elapsed => day
                .map(|d| d.and_time(local.time()))
                .and_then(|m| tz.from_local_datetime(&m).single()),
            DayCount::Calendar => day
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(|m| tz.from_local_datetime(&m).single())
                .map(|m| m - Duration::nanoseconds(1)),
        };
        end.unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&tz))
    }

    /// R10.1: signed by the client → valid, else unsigned; `until` = the bypass window's end.
    fn viewing(&self, i: usize) -> Verdict {
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
    fn deal(&self, i: usize) -> Verdict {
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
    fn deal_line(&self, v: &Verdict) -> Option<Line> {
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

    // ---- R12: cancellations and deposits ----

    /// R12.3: the earliest cancellation of `booking` in evaluation order that exists and is not
    /// voided, when the booking exists and is not voided (RULES-R10 R12.4 "effective").
    fn effective_cancellation(&self, booking: &str) -> Option<&'l Cancellation> {
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
    fn cancellation(&self, pos: usize, i: usize) -> Verdict {
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
    fn deposit_findings(&self, b: &Booking, v: &mut Verdict) {
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

    /// R11.1: a staff row is `recorded`; a `leave` when the consultant's latest earlier
    /// non-voided staff row (evaluation order) is a `leave` is `already-left`.
    fn staff(&self, pos: usize, i: usize) -> Verdict {
        let row = &self.l.staff[i];
        let name = row.consultant.trim();
        let mut v = Verdict::new(Kind::Staff, i, &row.id, row.at, Code::Recorded, "R11.1");
        let latest = (self.order[..pos].iter().rev())
            .filter(|&&(k, j)| k == Kind::Staff && !self.is_voided(k, j))
            .map(|&(_, j)| &self.l.staff[j])
            .find(|earlier| earlier.consultant.trim() == name);
        let leaving = |r: &crate::model::Staff| r.event == crate::model::StaffEvent::Leave;
        if leaving(row) && latest.is_some_and(leaving) {
            v.findings
                .push(Finding::warning(FindingDetail::AlreadyLeft, "R11.1"));
        }
        v
    }

    // ---- R11 consultant attribution ----

    /// R11 is on with a `[consultants]` table or a staff or handovers row.
    fn r11_on(&self) -> bool {
        self.cfg.consultants.table || !self.l.staff.is_empty() || !self.l.handovers.is_empty()
    }

    /// R11.1: the non-voided staff rows of `name` at or before `t` (they come first at equal
    /// times), in evaluation order.
    fn staff_rows(&self, name: &str, t: Time) -> Vec<&'l crate::model::Staff> {
        (self.order.iter())
            .filter(|&&(k, j)| k == Kind::Staff && !self.is_voided(k, j))
            .map(|&(_, j)| &self.l.staff[j])
            .filter(|s| s.at <= t && s.consultant.trim() == name.trim())
            .collect()
    }

    /// R11.1: `name` has left at `t` when their latest staff row by then is a leave.
    fn left(&self, name: &str, t: Time) -> bool {
        (self.staff_rows(name, t).last()).is_some_and(|s| s.event == StaffEvent::Leave)
    }

    /// R11.5(1): the leave in force at `t`: the first leave after the latest join (later
    /// leaves are ignored).
    fn leave_in_force(&self, name: &str, t: Time) -> Option<&'l crate::model::Staff> {
        if !self.left(name, t) {
            return None;
        }
        let rows = self.staff_rows(name, t);
        let after_join = rows
            .iter()
            .rposition(|s| s.event == StaffEvent::Join)
            .map_or(0, |j| j + 1);
        rows.get(after_join).copied()
    }

    /// The positions before `end` of the family's contacts, handovers and bookings, not voided.
    fn r11_records(&self, family: &[Phone], end: usize) -> Vec<usize> {
        (0..end)
            .filter(|&j| {
                matches!(
                    self.order[j].0,
                    Kind::Contact | Kind::Handover | Kind::Booking
                )
            })
            .filter(|&j| !self.is_voided(self.order[j].0, self.order[j].1))
            .filter(|&j| {
                let (k, i) = self.order[j];
                phone_of(self.l, k, i).is_some_and(|p| family.contains(&p))
            })
            .collect()
    }

    /// R11.3 in S5's order against the consultant of record `current`.
    fn handover_code(&self, current: Option<&str>, h: &Handover) -> Code {
        let from = h.from.as_deref().map(str::trim).filter(|f| !f.is_empty());
        if from != current {
            Code::FromMismatch
        } else if self.left(&h.to, h.at) {
            Code::ToDeparted
        } else if from == Some(h.to.trim()) {
            Code::NoChange
        } else {
            Code::Applied
        }
    }

    /// R11.2: the consultant of record (name, since) after the records at `records`, asked at
    /// `question`: a. first visit naming one, b. an applied handover, c. a booking naming one,
    /// d. recycle before each record and at the question.
    fn of_record(&self, records: &[usize], question: Time) -> Option<(String, Time)> {
        fn named(c: &Contact) -> Option<&str> {
            c.consultant
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
        }
        let mut holder: Option<(String, Time)> = None;
        let recycle = |holder: &mut Option<(String, Time)>, done: &[usize], s: Time| {
            let days = self.cfg.consultants.recycle_days;
            let Some((name, since)) = holder.clone() else {
                return;
            };
            let last_named = (done.iter())
                .filter(|&&j| self.order[j].0 == Kind::Contact)
                .map(|&j| self.contact(j))
                .filter(|c| named(c) == Some(name.as_str()))
                .map(|c| c.at)
                .max();
            let from = last_named.map_or(since, |n| n.max(since));
            if days > 0 && self.period_end(from, days) < s {
                *holder = None;
            }
        };
        for (n, &j) in records.iter().enumerate() {
            let (kind, i) = self.order[j];
            let s = time_of(self.l, kind, i);
            recycle(&mut holder, &records[..n], s);
            match kind {
                Kind::Contact => {
                    let c = &self.l.contacts[i];
                    if c.kind == ContactKind::Visit
                        && holder.is_none()
                        && let Some(x) = named(c)
                    {
                        holder = Some((x.to_string(), s));
                    }
                }
                Kind::Handover => {
                    let h = &self.l.handovers[i];
                    let current = holder.as_ref().map(|h| h.0.as_str());
                    if self.handover_code(current, h) == Code::Applied {
                        holder = Some((h.to.trim().to_string(), s));
                    }
                }
                _ => {
                    let b = &self.l.bookings[i];
                    let x = b
                        .consultant
                        .as_deref()
                        .map(str::trim)
                        .filter(|x| !x.is_empty());
                    if holder.is_none()
                        && let Some(x) = x
                    {
                        holder = Some((x.to_string(), s));
                    }
                }
            }
        }
        recycle(&mut holder, records, question);
        holder
    }

    /// R11.3: a handover against the consultant of record before it, F as of h.at.
    fn handover(&self, pos: usize, i: usize) -> Verdict {
        let h = &self.l.handovers[i];
        let family = self.family(h.phone, pos);
        let current = self
            .of_record(&self.r11_records(&family, pos), h.at)
            .map(|r| r.0);
        let code = self.handover_code(current.as_deref(), h);
        let mut v = Verdict::new(Kind::Handover, i, &h.id, h.at, code, "R11.3");
        v.phone = Some(h.phone);
        v.consultant = current.map(crate::model::Text::from);
        v
    }

    /// R11.7: a contact's findings against the consultant of record before it.
    fn r11_contact(&self, pos: usize, i: usize, v: &mut Verdict) {
        if !self.r11_on() {
            return;
        }
        let c = &self.l.contacts[i];
        let family = self.family(c.phone, pos);
        let record = self
            .of_record(&self.r11_records(&family, pos), c.at)
            .map(|r| r.0);
        let visit = c.kind == ContactKind::Visit;
        let x = c
            .consultant
            .as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty());
        if let (true, Some(r), Some(x)) = (visit, &record, x)
            && !self.left(r, c.at)
            && r != x
        {
            let detail = FindingDetail::ConsultantMismatch {
                record: r.as_str().into(),
            };
            v.findings.push(Finding::warning(detail, "R11.7"));
        }
        if let Some(x) = x
            && self.left(x, c.at)
        {
            let detail = FindingDetail::ConsultantDeparted {
                consultant: x.into(),
            };
            v.findings.push(Finding::warning(detail, "R11.7"));
        }
        if let (true, Some(r)) = (visit, &record)
            && self.left(r, c.at)
        {
            let detail = FindingDetail::OrphanClient {
                record: r.as_str().into(),
            };
            v.findings.push(Finding::warning(detail, "R11.7"));
        }
    }

    /// R11.6: the serving consultant of the booking at position `pos` (F as of then, its own
    /// naming counted), with its findings.
    fn serving(&self, pos: usize) -> (Option<String>, Vec<Finding>) {
        let b = &self.l.bookings[self.order[pos].1];
        let family = self.family(b.phone, pos);
        let r = self
            .of_record(&self.r11_records(&family, pos + 1), b.at)
            .map(|r| r.0);
        let x = b
            .consultant
            .as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty());
        let mut findings = vec![];
        let s = match (&r, x) {
            (Some(r), _) if !self.left(r, b.at) => Some(r.clone()),
            (Some(r), Some(x)) if !self.left(x, b.at) => {
                let detail = FindingDetail::OrphanClient {
                    record: r.as_str().into(),
                };
                findings.push(Finding::warning(detail, "R11.6"));
                Some(x.to_string())
            }
            (Some(r), _) => {
                let detail = FindingDetail::OrphanClient {
                    record: r.as_str().into(),
                };
                findings.push(Finding::warning(detail, "R11.6"));
                None
            }
            (None, Some(x)) if !self.left(x, b.at) => Some(x.to_string()),
            (None, _) => {
                findings.push(Finding::warning(FindingDetail::NoConsultant, "R11.6"));
                None
            }
        };
        if let (Some(s), Some(x)) = (&s, x)
            && s != x
        {
            let detail = FindingDetail::ConsultantMismatch {
                record: s.as_str().into(),
            };
            findings.push(Finding::warning(detail, "R11.6"));
        }
        (s, findings)
    }

    /// R11.4: the consultant of the earliest visit naming one, else of the earliest booking
    /// naming one, among `records`.
    fn developing(&self, records: &[usize]) -> Option<&'l str> {
        let naming = |kind: Kind| {
            records.iter().find_map(|&j| {
                let (k, i) = self.order[j];
                let name = match k {
                    Kind::Contact if self.l.contacts[i].kind == ContactKind::Visit => {
                        self.l.contacts[i].consultant.as_deref()
                    }
                    Kind::Booking => self.l.bookings[i].consultant.as_deref(),
                    _ => None,
                };
                let name = name.map(str::trim).filter(|n| !n.is_empty());
                name.filter(|_| k == kind)
            })
        };
        naming(Kind::Contact).or_else(|| naming(Kind::Booking))
    }

    /// R11.5: the departed claimant of the booking at position `pos`.
    fn departed(&self, pos: usize) -> Option<String> {
        let b = &self.l.bookings[self.order[pos].1];
        let family = self.family(b.phone, pos);
        let records = self.r11_records(&family, pos + 1);
        self.departed_of(&records, b.at).map(|(d, _)| d)
    }

    /// R11.5 at time `t` over the family's `records`: the claimant and the end of the departed
    /// period.
    fn departed_of(&self, records: &[usize], t: Time) -> Option<(String, Time)> {
        let d = self.developing(records)?;
        let leave = self.leave_in_force(d, t)?;
        // the departed period: departed_years × 12 months from the leave (§2.1)
        let tz = self.cfg.timezone;
        let local = leave.at.with_timezone(&tz);
        let months = chrono::Months::new(12 * self.cfg.consultants.departed_years);
        let day = local.date_naive().checked_add_months(months)?;
        let end = match self.cfg.day_count {
            DayCount::Calendar => self.period_end(
                tz.from_local_datetime(&day.and_hms_opt(12, 0, 0)?)
                    .single()?,
                0,
            ),
            DayCount::Elapsed => tz
                .from_local_datetime(&day.and_time(local.time()))
                .single()?,
        };
        if t > end {
            return None;
        }
        let before: Vec<usize> = (records.iter().copied())
            .filter(|&j| {
                let (k, i) = self.order[j];
                time_of(self.l, k, i) < leave.at
            })
            .collect();
        if self.of_record(&before, leave.at).is_none_or(|r| r.0 != d) {
            return None;
        }
        if self.cfg.consultants.departed_scope == DepartedScope::Dealt {
            let dealt = before.iter().any(|&j| {
                let (k, i) = self.order[j];
                k == Kind::Booking
                    && self
                        .effective_cancellation(&self.l.bookings[i].id)
                        .is_none()
                    && self.serving(j).0.as_deref() == Some(d)
            });
            if !dealt {
                return None;
            }
        }
        Some((d.to_string(), end))
    }

    /// R11.5/R11.6 on a booking: its credit and findings.
    fn r11_booking(&self, pos: usize, _i: usize, v: &mut Verdict) {
        if !self.r11_on() {
            return;
        }
        let (serving, findings) = self.serving(pos);
        v.findings.extend(findings);
        v.credit = Some(Box::new(super::consultant::Credit {
            serving: serving.map(Text::from),
            departed: self.departed(pos).map(Text::from),
        }));
    }

    /// R13: the carried, non-voided decisions existing as of T that `about` picks, ordered
    /// before `before` (a time and a file position): the latest one, when it delists.
    fn delisted(
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
    fn delisted_channel(&self, channel: &str, t: Time) -> Option<&'l Delisting> {
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
    fn delisted_client_finding(
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
    fn delisting(&self, pos: usize, i: usize) -> Verdict {
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

    /// R2: a report, clauses tried in order 0–6.
    fn determine(&self, pos: usize, i: usize) -> Verdict {
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

    /// R3 and R4: a call, visit or follow-up.
    fn contact_verdict(&self, pos: usize, i: usize) -> Verdict {
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

    /// R6: a direct slip when presented.
    fn direct(&self, pos: usize, i: usize) -> Verdict {
        let d = &self.l.directs[i];
        let (code, rule, detail) = self.direct_status(d, pos);
        let mut v = Verdict::new(Kind::Direct, i, &d.id, d.presented_at, code, rule);
        v.phone = Some(d.phone);
        v.detail = detail;
        if code == Code::Late {
            let family = self.family(d.phone, pos);
            v.cite = (self.first_visit(&family, pos)).map(|c| Box::new(Cite::contact(c, None)));
        }
        v
    }

    /// R7 and R13.2: a booking's owner and findings, judged with everything before `pos`; a
    /// booking of a delisted family is an error.
    fn booking(&self, pos: usize, b: &Booked) -> Verdict {
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

    /// R14.1: the lines of `[query] required` a query slip leaves empty.
    fn unsigned(&self, q: &Query) -> Vec<Text> {
        (self.cfg.query_required.iter())
            .filter(|line| {
                let signed = match line.as_str() {
                    "client_signature" => &q.client_signature,
                    "consultant" => &q.consultant,
                    "qa" => &q.qa,
                    "agency_manager" => &q.agency_manager,
                    "agency_head" => &q.agency_head,
                    "developer_manager" => &q.developer_manager,
                    "developer_head" => &q.developer_head,
                    _ => &None,
                };
                signed.is_none()
            })
            .map(|line| Text::from(line.as_str()))
            .collect()
    }

    /// Whether the family has any earlier report, contact, direct slip or complete query.
    fn known(&self, family: &[Phone], pos: usize) -> bool {
        [Kind::Report, Kind::Contact, Kind::Direct]
            .into_iter()
            .any(|k| !self.earlier(k, family, pos).is_empty())
            || (self.earlier(Kind::Query, family, pos).into_iter())
                .any(|j| self.unsigned(&self.l.queries[self.order[j].1]).is_empty())
    }

    /// R14.2: the owner `check` would compute at `t` with the records before `pos`.
    fn owner_at(&self, pos: usize, phone: Phone, t: Time) -> Option<Code> {
        let family = self.family(phone, pos);
        let input = Booked {
            id: "",
            index: usize::MAX,
            at: t,
            phone,
            unit: None,
            buyer: None,
            price: None,
            consultant: None,
            discount: None,
        };
        match self.booking(pos, &input).code {
            Code::Agency if !self.report_holds(&family, pos, t).is_empty() => Some(Code::Channel),
            Code::Agency if !self.known(&family, pos) => None,
            code => Some(code),
        }
    }

    /// R14.1 / R14.2: `complete` or `incomplete`; `first-contradicted` against the family's
    /// contacts before it (evaluation order), `class-differs` against the owner at its time.
    fn query(&self, pos: usize, i: usize) -> Verdict {
        let q = &self.l.queries[i];
        let family = self.family(q.phone, pos);
        let mut v = Verdict::new(Kind::Query, i, &q.id, q.at, Code::Complete, "R14.1");
        v.phone = Some(q.phone);
        let lines = self.unsigned(q);
        if !lines.is_empty() {
            v.code = Code::Incomplete;
            v.detail = Detail::Unsigned { lines };
        }
        let contacted = !self.contacts(&family, pos).is_empty();
        match q.first {
            Some(YesNo::Yes) if contacted => v.findings.push(Finding::warning(
                FindingDetail::FirstContradicted { first: true },
                "R14.2",
            )),
            Some(YesNo::No) if !contacted => v.findings.push(Finding::warning(
                FindingDetail::FirstContradicted { first: false },
                "R14.2",
            )),
            _ => {}
        }
        if let Some(class) = q.class {
            let named = match class {
                QueryClass::Developer => Code::Developer,
                QueryClass::Agency => Code::Agency,
                QueryClass::Channel => Code::Channel,
            };
            if let Some(owner) = self.owner_at(pos, q.phone, q.at)
                && owner != named
            {
                let detail = FindingDetail::ClassDiffers { class, owner };
                v.findings.push(Finding::warning(detail, "R14.2"));
            }
        }
        v
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
    fn approved(&self, b: &Booked, family: &[Phone], ratio: Decimal) -> bool {
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

    /// `check`: R7 for a booking made at T, and the report hold that covers T.
    fn client_status(&self, phone: Phone, p: &Prospect) -> (ClientStatus, Vec<Verdict>) {
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
            viewings: super::check::viewing_windows(self.l, timeline.iter()),
            consultants: self.r11_on().then(|| {
                let records = self.r11_records(&family, end);
                super::consultant::CheckStatus {
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
                    .map(|(r, until)| super::mode::OpenReport {
                        channel: r.channel.clone(),
                        report: r.id.clone(),
                        window_end: until,
                    })
                    .collect()
            }),
            // R16.3: visit-first lists the open reports (S7) instead of promoting one
            open_reports: (self.cfg.mode == Mode::VisitFirst).then(|| {
                (self.report_holds(&family, end, t).into_iter())
                    .map(|(r, until)| super::mode::OpenReport {
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

    /// R9: the lines due at a time `wanted`, sorted by due time, then reference, then kind.
    fn lines(&self, wanted: &dyn Fn(Time) -> bool) -> Vec<Line> {
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

/// A booking to judge: a recorded one, or the one `check` asks about.
struct Booked<'a> {
    id: &'a str,
    index: usize,
    at: Time,
    phone: Phone,
    unit: Option<&'a str>,
    buyer: Option<&'a str>,
    price: Option<(Decimal, Decimal)>,
    consultant: Option<&'a str>,
    discount: Option<&'a str>,
}

/// Voids: a void at or before T voids its target unless the void is itself voided (a voided void
/// revives its target), however long the chain.
fn voided_ids(l: &Ledger, as_of: Time) -> BTreeSet<&str> {
    let live: Vec<&Void> = l.voids.iter().filter(|v| v.at <= as_of).collect();
    // a void counts when no counting void targets it; decided from the voids nobody voids down
    // (a cycle of voids has no bottom: none of its voids counts)
    fn counts<'a>(v: &Void, live: &[&'a Void], seen: &mut Vec<&'a str>) -> bool {
        for w in live.iter().filter(|w| w.target == v.id) {
            if seen.contains(&w.id.as_str()) {
                return false;
            }
            seen.push(&w.id);
            let w_counts = counts(w, live, seen);
            seen.pop();
            if w_counts {
                return false;
            }
        }
        true
    }
    live.iter()
        .filter(|v| counts(v, &live, &mut vec![v.id.as_str()]))
        .map(|v| v.target.as_str())
        .collect()
}

/// R5: a slip's status as of T from its signatures (at or before T), in evaluation order.
fn slip_status(l: &Ledger, as_of: Time, slip: &str) -> super::slip::SlipStatus {
    let cfg = &l.config;
    let mut sigs: Vec<(Time, usize, &Signature)> = (l.signatures.iter().enumerate())
        .filter(|(_, s)| s.slip == slip && s.at <= as_of)
        .map(|(i, s)| (s.at, i, s))
        .collect();
    sigs.sort_by_key(|(at, i, _)| (*at, *i));
    let sigs: Vec<&Signature> = sigs.into_iter().map(|(_, _, s)| s).collect();
    let status = |code, rule, detail: Detail| super::slip::SlipStatus {
        code,
        rule,
        effective_at: None,
        first_at: sigs[0].at,
        detail,
    };
    // the place in the signing order of a role that may not sign late
    let rank = |role: &str| {
        if cfg.slip_deferrable.iter().any(|d| d == role) {
            return None;
        }
        cfg.slip_roles.iter().position(|r| r == role)
    };
    // R5.1 out-of-order: a role signed after a later role had signed (naming that later role,
    // the first to sign of the latest ones, and the role that came too late)
    for (j, s) in sigs.iter().enumerate() {
        let Some(r) = rank(&s.role) else { continue };
        let jumped = (sigs[..j].iter())
            .filter_map(|e| rank(&e.role).map(|re| (re, e)))
            .filter(|(re, _)| *re > r)
            .max_by_key(|(re, _)| *re);
        if let Some((top, _)) = jumped {
            // the first signature of the highest role before this one
            let early = (sigs[..j].iter())
                .find(|e| rank(&e.role) == Some(top))
                .unwrap();
            return status(
                Code::OutOfOrder,
                "R5.1",
                Detail::OutOfOrder {
                    early: early.role.0.clone(),
                    jumped: s.role.0.clone(),
                },
            );
        }
    }
    // R5.2 unknown-signer: not in the role's allow-list
    if let Some(s) = sigs.iter().find(|s| {
        (cfg.slip_signers.get(s.role.as_str())).is_some_and(|ok| !ok.iter().any(|a| *a == s.signer))
    }) {
        return status(
            Code::UnknownSigner,
            "R5.2",
            Detail::UnknownSigner {
                role: s.role.0.clone(),
                signer: s.signer.clone(),
            },
        );
    }
    // R5.3 duplicate-role
    for (j, s) in sigs.iter().enumerate() {
        if sigs[..j].iter().any(|e| e.role == s.role) {
            let role = s.role.0.clone();
            return status(Code::DuplicateRole, "R5.3", Detail::DuplicateRole { role });
        }
    }
    // R5.4 pending: the roles not signed yet
    let missing: Vec<Text> = (cfg.slip_roles.iter())
        .filter(|r| !sigs.iter().any(|s| s.role == **r))
        .map(|r| r.as_str().into())
        .collect();
    if !missing.is_empty() {
        return status(Code::Pending, "R5.4", Detail::Pending { missing });
    }
    super::slip::SlipStatus {
        effective_at: sigs.iter().map(|s| s.at).max(),
        ..status(Code::Effective, "R5", Detail::None)
    }
}

/// R6.1: the fields of a direct slip left empty.
fn missing_fields(d: &Direct) -> Vec<DirectField> {
    let fields = [
        (DirectField::Client, d.client.is_none()),
        (DirectField::Unit, d.unit.is_none()),
        (DirectField::Area, d.area.is_none()),
        (DirectField::ListUnitPrice, d.list_unit_price.is_none()),
        (DirectField::UnitPrice, d.unit_price.is_none()),
        (DirectField::Total, d.total.is_none()),
        (DirectField::Other, d.other.is_none()),
        (DirectField::Request, d.request.is_none()),
        (DirectField::ClientSignature, d.client_signature.is_none()),
        (DirectField::DeveloperSigner, d.developer_signer.is_none()),
        (DirectField::AgencySigner, d.agency_signer.is_none()),
    ];
    (fields.iter().filter(|(_, empty)| *empty))
        .map(|(field, _)| *field)
        .collect()
}

/// R8: what a violation costs.
fn fine(cfg: &Config, v: &Violation) -> Decimal {
    let persons = Decimal::from(v.persons.map_or(1, |p| p.0));
    match v.kind {
        ViolationKind::Zone => Decimal::from(cfg.zone_units) * cfg.unit_agency_fee,
        ViolationKind::FalseInfo => cfg.false_info * persons,
        ViolationKind::OrderSwap => cfg.order_swap * persons + v.damages.unwrap_or_default(),
        ViolationKind::Cutting => cfg.cutting,
    }
}

fn is_unconfirmed_followup(c: &Contact) -> bool {
    c.kind == ContactKind::Followup && c.confirmed_by.is_none()
}

fn count(l: &Ledger, kind: Kind) -> usize {
    l.count(kind)
}

fn id_of(l: &Ledger, kind: Kind, i: usize) -> &str {
    l.stamp(kind, i).id
}

fn time_of(l: &Ledger, kind: Kind, i: usize) -> Time {
    l.stamp(kind, i).at
}

/// The client a record is about (a relation: its first phone; a violation: when it names one).
fn phone_of(l: &Ledger, kind: Kind, i: usize) -> Option<Phone> {
    l.phone(kind, i)
}

#[cfg(test)]
mod tests {
    //! The reference on the contract's own examples (its answers must be right before the
    //! engine is held to them).
    use crate::model::ViolationKind;
    use crate::rules::testkit::*;

    const AS_OF: &str = "2026-05-01 00:00";

    fn verdict(l: &Lb, id: &str) -> (&'static str, &'static str, Option<String>) {
        let all = super::verdicts(&l.l, t(AS_OF));
        let v = all.iter().find(|v| v.id == id).expect("a verdict");
        (
            v.code.as_str(),
            v.rule,
            v.cite.as_ref().map(|c| c.id.to_string()),
        )
    }

    #[test]
    fn r1_a_visit_of_a_member_joined_later_has_already_ended_the_hold() {
        // "a visit of the new member made after a report of the old one has already ended that
        // report's hold (R4), even though the two were not yet linked when the visit happened"
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .walk_in("C1", "2026-03-02 10:00", P2)
            .relation("F1", "2026-03-03 09:00", P1, P2)
            .visit("C2", "2026-03-03 12:00", "链家", "王五", P1);
        assert_eq!(verdict(&l, "C2"), ("no-report", "R4.3", None));
        // unlinked, the hold would still be open and the visit valid
        let mut unlinked = l;
        unlinked.l.relations.clear();
        assert_eq!(
            verdict(&unlinked, "C2"),
            ("valid", "R4.6", Some("R1".into()))
        );
    }

    #[test]
    fn r2_0_a_cutting_channel_may_never_claim_the_family_again() {
        let l = Lb::new()
            .violation(
                "V1",
                "2026-03-05 10:00",
                ViolationKind::Cutting,
                "链家",
                Some(P2),
            )
            .relation("F1", "2026-03-06 10:00", P1, P2)
            .report("R1", "2026-03-10 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-10 09:00", "我爱我家", "李四", P1);
        assert_eq!(verdict(&l, "R1"), ("cancelled", "R2.0", Some("V1".into())));
        assert_eq!(verdict(&l, "R2"), ("accepted", "R2.6", None));
    }

    #[test]
    fn r2_4_a_cancelled_channels_report_holds_nothing() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .violation(
                "V1",
                "2026-03-01 12:00",
                ViolationKind::Cutting,
                "链家",
                Some(P1),
            )
            .report("R2", "2026-03-02 09:00", "我爱我家", "李四", P1)
            .walk_in("C1", "2026-03-02 08:00", P2);
        assert_eq!(verdict(&l, "R1"), ("accepted", "R2.6", None));
        assert_eq!(verdict(&l, "R2"), ("accepted", "R2.6", None));
    }

    #[test]
    fn section_3_a_contact_protects_through_the_end_of_the_21st_day() {
        // "A contact on 03-01 10:00 with 21 days protects through 03-22 23:59:59."
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-22T23:59:59+08:00", "链家", "王五", P1)
            .report("R2", "2026-03-23 00:00", "我爱我家", "李四", P1);
        assert_eq!(
            verdict(&l, "R1"),
            ("known-client", "R2.2", Some("C1".into()))
        );
        assert_eq!(verdict(&l, "R2"), ("accepted", "R2.6", None));
    }

    #[test]
    fn voids_a_voided_void_revives_its_target() {
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-02 10:00", "链家", "王五", P1)
            .void("X1", "2026-03-10 10:00", "C1")
            .void("X2", "2026-03-11 10:00", "X1");
        assert_eq!(
            verdict(&l, "R1"),
            ("known-client", "R2.2", Some("C1".into()))
        );
        assert_eq!(verdict(&l, "X1").0, "voided");
        let mut undone = l;
        undone.l.voids.pop();
        assert_eq!(verdict(&undone, "R1"), ("accepted", "R2.6", None));
        assert_eq!(verdict(&undone, "C1").0, "voided");
    }
}

#[cfg(test)]
mod properties {
    //! Every fast path of the engine held to the reference on random small ledgers.
    use super::super::{Scope, check, evaluate, evaluate_scoped, settle};
    use crate::model::{Commission, Kind, Phone, Rate, Time, ViolationKind};
    use crate::rules::testkit::{Lb, t};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// One random record: (what, six-hour slot from 2026-03-01 00:00, phone 0..5, channel 0..3,
    /// a variant).
    type Op = (u8, u32, u64, usize, u8);

    /// Whether the engine checks R7's "the booking's ratio no lower than the approved one,
    /// `unit_price / list_unit_price`" for a discount approval (`booking.rs` `covers`; the
    /// reference checks the ratio when the approval states both unit prices). When false, the
    /// generated approvals state no unit prices.
    const ENGINE_CHECKS_THE_APPROVED_RATIO: bool = true;

    const SLOTS: u32 = 45 * 4;
    const CHANNELS: [&str; 3] = ["链家", "我爱我家", "房多多"];

    fn op() -> impl Strategy<Value = Op> {
        (0u8..32, 0..SLOTS, 0u64..5, 0usize..3, 0u8..4)
    }

    fn phone(p: u64) -> Phone {
        Phone(13800000000 + p)
    }

    fn time(slot: u32) -> Time {
        t("2026-03-01 00:00") + chrono::Duration::hours(6 * i64::from(slot))
    }

    /// A ledger from random ops: reports (two brokers), channel visits whose slips are signed at
    /// once, late, out of order, twice by one role or not at all, walk-ins, calls, follow-ups,
    /// direct slips (complete or not, for another name or unit), relations (joining families at
    /// any time, after reports too), cutting and other violations, discount approvals, bookings
    /// at three prices naming an approval or not, staff leaving and joining, delistings and
    /// relistings of clients and channels, query slips (complete or not), and voids of earlier records (voids too).
    /// Times fall on six-hour slots, so many records of different kinds share an instant.
    fn ledger(ops: &[Op]) -> Lb {
        // how often each kind of record comes (index: `what`; value: the record made)
        const KINDS: [u8; 32] = [
            0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 12, 12, 13, 13, 14, 15, 15,
            16, 16, 17, 17, 18, 19, 19,
        ];
        let mut l = Lb::new();
        // (record made, slot, phone, channel) of each op so far
        let mut made: Vec<(u8, u32, u64, usize)> = vec![];
        for (n, &(what, slot0, p0, c0, x)) in ops.iter().enumerate() {
            let what = KINDS[usize::from(what)];
            // most visits follow the latest report (same client and channel) by 0 to 90 hours,
            // most bookings the latest channel visit by 0 to 10 days: so that reports are
            // accepted, visits valid or late, and bookings the channel's
            let latest = |kinds: &[u8]| made.iter().rev().find(|m| kinds.contains(&m.0)).copied();
            let anchor = match what {
                2 | 3 if slot0 % 4 != 0 => {
                    latest(&[0, 1]).map(|(_, s, p, c)| (s + slot0 % 16, p, c))
                }
                12 if slot0 % 2 == 0 => latest(&[2, 3]).map(|(_, s, p, c)| (s + slot0 % 40, p, c)),
                // some reports follow the latest report of the client within three days (by
                // any channel: duplicate, held-by-report), some the latest channel visit by 22
                // to 30 days (protection over, the channel's hold not: held-by-channel)
                0 | 1 if slot0 % 3 == 1 => {
                    latest(&[0, 1]).map(|(_, s, p, _)| (s + slot0 % 12, p, c0))
                }
                0 | 1 if slot0 % 3 == 2 => {
                    latest(&[2, 3]).map(|(_, s, p, _)| (s + 88 + slot0 % 32, p, c0))
                }
                _ => None,
            };
            let (slot, p, c) = anchor.unwrap_or((slot0, p0, c0));
            made.push((what, slot, p, c));
            let at_t = time(slot);
            let at = at_t.to_rfc3339();
            let (id, ph, ch) = (format!("N{n}"), phone(p), CHANNELS[c]);
            let sign = |l: Lb, role: &str, when: Time| {
                l.sign(&format!("S-{id}"), &when.to_rfc3339(), role, "签字人")
            };
            l = match what {
                0 | 1 => l.report(&id, &at, ch, if x == 0 { "赵六" } else { "王五" }, ph),
                2 | 3 => {
                    let v = l.visit(&id, &at, ch, "王五", ph);
                    let late = at_t + chrono::Duration::days(20);
                    match x {
                        0 => v.signed(&format!("S-{id}"), &at),
                        // 任总 signs 20 days later: the commission falls due then
                        1 => ["reception", "site_manager", "developer"]
                            .into_iter()
                            .fold(v, |l, r| sign(l, r, at_t))
                            .sign(&format!("S-{id}"), &late.to_rfc3339(), "final", "签字人"),
                        // the site manager before reception; or reception twice
                        2 if c == 0 => ["site_manager", "reception", "developer", "final"]
                            .into_iter()
                            .fold(v, |l, r| sign(l, r, at_t)),
                        2 => [
                            "reception",
                            "reception",
                            "site_manager",
                            "developer",
                            "final",
                        ]
                        .into_iter()
                        .fold(v, |l, r| sign(l, r, at_t)),
                        // the developer signs after 任总 (allowed), or nobody signs
                        _ if c == 0 => ["reception", "site_manager", "final"]
                            .into_iter()
                            .fold(v, |l, r| sign(l, r, at_t))
                            .sign(
                                &format!("S-{id}"),
                                &late.to_rfc3339(),
                                "developer",
                                "签字人",
                            ),
                        // only reception signs (pending), or nobody does
                        _ if c == 1 => sign(v, "reception", at_t),
                        _ => v,
                    }
                }
                // walk-ins received by one consultant or another (R11.2a, R11.7)
                4 => {
                    let mut l = l.walk_in(&id, &at, ph);
                    l.l.contacts.last_mut().unwrap().consultant =
                        [Some("小李"), Some("张三"), Some(" 李四"), None][usize::from(x)]
                            .map(crate::model::Text::from);
                    l
                }
                5 => l.call(&id, &at, ph),
                6 => l.followup(&id, &at, ph, (x < 2).then_some("孙睿")),
                7 => {
                    let mut l = l.direct(&id, &at, ph);
                    let d = l.l.directs.last_mut().unwrap();
                    match x {
                        0 => d.other = None,
                        1 => d.client = Some("李娜".into()),
                        2 => d.unit = Some("2-2-202".into()),
                        _ => {}
                    }
                    l
                }
                // an agent link (R10.2), which joins no family
                8 if x == 3 => {
                    let (a, b) = (ph.0.to_string(), phone((p + 1) % 5).0.to_string());
                    l.row(
                        Kind::Relation,
                        &[
                            ("id", &id),
                            ("at", &at),
                            ("phone", &a),
                            ("relation", "agent"),
                            ("other_phone", &b),
                        ],
                    )
                }
                8 | 9 => {
                    // at any time: often after a report of one of the two families
                    l.relation(&id, &at, ph, phone((p + 1 + u64::from(x % 2)) % 5))
                }
                // a resale viewing (R10) of one of two properties (written two ways), signed
                // or not, declared first or not
                18 => {
                    let property = ["海湖路88号1-1", "海湖路８８号 1-1", "海湖路9号2-2"][c];
                    let phone_text = ph.0.to_string();
                    let mut cells = vec![
                        ("id", id.as_str()),
                        ("at", at.as_str()),
                        ("property", property),
                        ("client", "王强"),
                        ("phone", phone_text.as_str()),
                        ("broker", "李四"),
                    ];
                    if x != 0 {
                        cells.push(("client_signature", "王强"));
                    }
                    if x == 1 {
                        cells.push(("first_viewing", "no"));
                    }
                    l.row(Kind::Viewing, &cells)
                }
                // a deal (R10) of one of the properties, by us, with the owner or through
                // another agency, learned of at once or ten days later
                19 => {
                    let property = ["海湖路88号1-1", "海湖路9号2-2", "海湖路88号1-1"][c];
                    let phone_text = ph.0.to_string();
                    let known = (at_t + chrono::Duration::days(10)).to_rfc3339();
                    let mut cells = vec![
                        ("id", id.as_str()),
                        ("at", at.as_str()),
                        ("property", property),
                        ("buyer", "赵敏"),
                        ("phone", phone_text.as_str()),
                        ("price", "980000.50"),
                        ("via", ["us", "owner", "other", "owner"][usize::from(x)]),
                    ];
                    if slot0 % 2 == 0 {
                        cells.push(("known_at", known.as_str()));
                    }
                    l.row(Kind::Deal, &cells)
                }
                10 => {
                    let kind = if x < 3 {
                        ViolationKind::Cutting
                    } else {
                        ViolationKind::OrderSwap
                    };
                    l.violation(&id, &at, kind, ch, (x < 3).then_some(ph))
                }
                11 => {
                    let mut l = l.discount(&id, &at, ph);
                    let d = l.l.discounts.last_mut().unwrap();
                    if x == 0 {
                        d.agency_signer = None;
                    }
                    if x == 1 && ENGINE_CHECKS_THE_APPROVED_RATIO {
                        // approves 0.97: a booking at 0.975 is covered, one at 0.9 is below it
                        (d.unit_price, d.list_unit_price) =
                            (Some(19400.into()), Some(20000.into()));
                    }
                    l
                }
                12 => {
                    let mut l = l.booking(&id, &at, ph);
                    let b = l.l.bookings.last_mut().unwrap();
                    b.price = Decimal::from([1_990_000, 1_950_000, 1_800_000][c]);
                    if x == 0 {
                        b.buyer = "李娜".into();
                    }
                    if x == 1 {
                        b.unit = "3-1-1201".into();
                    }
                    // most bookings are of 1-1-101, so two families often book one unit
                    // (unit-taken); some of 1-1-102
                    if x == 2 && c == 2 {
                        b.unit = "1-1-102".into();
                    }
                    // deposits: none, small (short of 20000), usual, over the 20 % cap
                    // the consultant named (R11.2c, R11.6)
                    b.consultant = [None, Some("张三"), Some("小李"), Some("李四")]
                        [(slot0 % 4) as usize]
                        .map(crate::model::Text::from);
                    b.deposit = [None, Some(10_000), Some(50_000), Some(450_000)]
                        [usize::from((x + slot0 as u8) % 4)]
                    .map(Decimal::from);
                    if x < 3 {
                        let d = l.l.discounts.get(p as usize % 2).map(|d| d.id.clone());
                        l.l.bookings.last_mut().unwrap().discount = d;
                    }
                    l
                }
                // a cancellation (R12) of an earlier booking, at or after it (often in a later
                // month, sometimes the same instant), for each reason; a second one of the same
                // booking is a duplicate
                17 => match (l.l.bookings.get(slot0 as usize % l.l.bookings.len().max(1)))
                    .map(|b| (b.id.to_string(), b.at))
                {
                    None => l.call(&id, &at, ph),
                    Some((booking, booked)) => {
                        let days = 5 * i64::from(slot0 % 5);
                        let at = (booked + chrono::Duration::days(days)).to_rfc3339();
                        let reasons = [
                            "force_majeure",
                            "early_termination",
                            "client_breach",
                            "seller_breach",
                        ];
                        let fees = if c == 0 { "3000" } else { "" };
                        let refund = if c == 1 { "50000" } else { "" };
                        l.row(
                            Kind::Cancellation,
                            &[
                                ("id", &id),
                                ("at", &at),
                                ("booking", &booking),
                                ("reason", reasons[usize::from(x)]),
                                ("fees", fees),
                                ("refund", refund),
                            ],
                        )
                    }
                },
                // a handover of a client (R11.3) from the consultant of record, someone else
                // or nobody, to a consultant who may have left
                14 if slot0 % 3 == 0 => {
                    let from = ["小李", "张三", "", " 李四"][usize::from(x)];
                    l.handover(
                        &id,
                        &at,
                        &ph.0.to_string(),
                        from,
                        ["张三", "李四", "小李"][c],
                    )
                }
                // a consultant leaving (often twice) or joining (R11.1)
                14 => {
                    let event = if x < 3 { "leave" } else { "join" };
                    l.staff(&id, &at, ["张三", " 小李", "李四"][c], event)
                }
                // a delisting (R13) of a client or a channel, carried or not, or a relisting
                15 => {
                    let (votes, leaders) = if x == 3 { ("3", "6") } else { ("4", "7") };
                    let phone_text = ph.0.to_string();
                    let target = if (x + c as u8).is_multiple_of(2) {
                        ("phone", phone_text.as_str())
                    } else {
                        ("channel", ch)
                    };
                    let action = if x == 2 { "relist" } else { "delist" };
                    let mut cells = vec![
                        ("id", id.as_str()),
                        ("at", at.as_str()),
                        target,
                        ("votes_for", votes),
                        ("leaders", leaders),
                        ("action", action),
                    ];
                    if action == "delist" {
                        cells.push(("reason", "breach"));
                    }
                    if x == 0 {
                        cells.push(("investigated_at", "2026-03-15 00:00"));
                        cells.push(("notified_at", "2026-04-15 00:00"));
                    }
                    l.row(crate::model::Kind::Delisting, &cells)
                }
                // a query slip (R14) for the booked names, complete or not, first or not, of
                // each class
                16 => {
                    let phone_text = ph.0.to_string();
                    let client = ["李娜", "李 娜", "张伟", "ＬＩ"][usize::from(x)];
                    let mut cells = vec![
                        ("id", id.as_str()),
                        ("at", at.as_str()),
                        ("phone", phone_text.as_str()),
                        ("client", client),
                        ("first", if slot0 % 2 == 0 { "yes" } else { "no" }),
                        ("class", ["developer", "agency", "channel"][c]),
                    ];
                    for line in crate::model::QUERY_SIGNATURES {
                        if line != "developer_head" || slot0 % 3 != 0 {
                            cells.push((line, "签"));
                        }
                    }
                    l.row(crate::model::Kind::Query, &cells)
                }
                // a void of an earlier record (its id), a void among them
                13 if n > 0 => {
                    let target = format!("N{}", (slot0 as usize * 7 + usize::from(x)) % n);
                    l.void(&id, &at, &target)
                }
                _ => l.call(&id, &at, ph),
            };
        }
        // R10: short windows in some ledgers (a deal outside the window: the same day, a month)
        if ops.len() % 4 == 3 {
            l.l.config.resale.bypass_months = 0;
            l.l.config.resale.other_agency_months = 1;
        }
        // R11: consultant lines, recycling and the dealt scope in some ledgers
        match ops.len() % 4 {
            0 => {}
            1 => {
                l.l.config.consultants.table = true;
                l.l.config.consultants.rate = Some(Rate {
                    text: "0.2%".into(),
                    value: Decimal::new(2, 3),
                });
            }
            2 => {
                l.l.config.consultants.rate = Some(Rate {
                    text: "0.3%".into(),
                    value: Decimal::new(3, 3),
                });
                l.l.config.consultants.recycle_days = 5;
            }
            _ => {
                l.l.config.consultants.rate = Some(Rate {
                    text: "0.2%".into(),
                    value: Decimal::new(2, 3),
                });
                l.l.config.consultants.departed_scope = crate::model::DepartedScope::Dealt;
                l.l.config.consultants.departed_years = 0;
            }
        }
        // a committee grade decision (R18) in some ledgers, notified or not
        if let Some(&(_, slot, _, c, x)) = ops.first().filter(|_| ops.len() % 2 == 1) {
            let at = time(slot).to_rfc3339();
            let mut cells = vec![
                ("id", "G1"),
                ("at", at.as_str()),
                ("channel", CHANNELS[c]),
                ("grade", ["A", "B", "C", "D"][usize::from(x)]),
            ];
            if x % 2 == 0 {
                cells.push(("notified_at", "2026-04-01 00:00"));
            }
            l = l.row(crate::model::Kind::Grade, &cells);
        }
        // R15: in some ledgers masked reports are on: every other report is masked, some of
        // them under another name, and some visits carry no client name
        if ops.iter().map(|o| u32::from(o.4)).sum::<u32>() % 3 == 1 {
            l.l.config.masked_reports = true;
            for (k, r) in l.l.reports.iter_mut().enumerate() {
                if k % 2 == 0 {
                    r.phone = r.phone.mask();
                }
                if k % 4 == 2 {
                    r.client = "李娜".into();
                }
            }
            for (k, c) in l.l.contacts.iter_mut().enumerate() {
                if k % 5 == 3 && c.kind == crate::model::ContactKind::Visit {
                    c.client = None;
                }
            }
            // and some match by the pattern alone
            l.l.config.masked_match_name = ops.len() % 4 != 3;
        }
        // R16: some ledgers are judged visit-first (到访为王)
        if ops.iter().map(|o| o.1).sum::<u32>() % 3 == 0 {
            l.l.config.mode = crate::model::Mode::VisitFirst;
        }
        // a void must come after its target to undo it; voids of later records are kept too
        // R12.2's findings and a termination fee in some ledgers
        match ops.len() % 3 {
            0 => {}
            1 => {
                l.l.config.deposit.table = true;
                l.l.config.deposit.required = Some(Commission::Fixed {
                    text: "20000".into(),
                    amount: Decimal::from(20_000),
                });
            }
            _ => {
                l.l.config.deposit.table = true;
                l.l.config.deposit.termination_fee = Some(Commission::Rate(Rate {
                    text: "10%".into(),
                    value: Decimal::new(10, 2),
                }));
            }
        }
        l
    }

    /// The as-of time: after everything, or in the middle (records after it do not exist yet).
    fn as_of(mid: Option<u32>) -> Time {
        match mid {
            Some(slot) => time(slot),
            None => t("2026-06-01 00:00"),
        }
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        proptest::collection::vec(op(), 1..36)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// (a) The whole evaluation (two shards on two threads, merged) gives every record the
        /// reference's verdict, in the same order, and the same settlement lines.
        #[test]
        fn the_engine_judges_every_record_as_the_reference_does(
            ops in ops(),
            mid in proptest::option::of(0..SLOTS),
        ) {
            let l = ledger(&ops);
            let at = as_of(mid);
            let e = evaluate(&l.l, at);
            let reference = super::verdicts(&l.l, at);
            prop_assert_eq!(e.verdicts.len(), reference.len());
            for (engine, reference) in e.verdicts.iter().zip(&reference) {
                prop_assert_eq!(engine, reference);
            }
            prop_assert_eq!(settle::lines(&e), super::lines(&l.l, at));
        }

        /// (b) `check`'s scope (one family) answers as the reference does for that phone.
        #[test]
        fn the_family_scope_answers_as_the_reference_does(
            ops in ops(),
            p in 0u64..6,
            mid in proptest::option::of(0..SLOTS),
            prospect in (0u8..3, 0u8..3),
        ) {
            let l = ledger(&ops);
            let (at, phone) = (as_of(mid), phone(p));
            let prospect = check::Prospect {
                name: [None, Some("张伟"), Some("李娜")][usize::from(prospect.0)].map(String::from),
                unit: [None, Some("1-1-101"), Some("3-1-1201")][usize::from(prospect.1)].map(String::from),
                price: match prospect.0 {
                    1 => Some((Decimal::from(1_800_000), Decimal::from(2_000_000))),
                    2 => Some((Decimal::from(1_950_000), Decimal::from(2_000_000))),
                    _ => None,
                },
            };
            let e = evaluate_scoped(&l.l, at, Scope::Family(phone));
            let mut status = check::client_status(&e, phone, &prospect);
            let timeline: Vec<_> = status.timeline.iter().map(|&i| e.verdicts[i].clone()).collect();
            status.timeline = vec![];
            let (expected, expected_timeline) = super::client_status(&l.l, at, phone, &prospect);
            prop_assert_eq!(timeline, expected_timeline);
            prop_assert_eq!(format!("{status:#?}"), format!("{expected:#?}"));
        }

        /// (b) `settle`'s scope (one month's families, on two threads) gives the reference's
        /// lines for the month.
        #[test]
        fn the_settlement_scope_settles_a_month_as_the_reference_does(
            ops in ops(),
            month in 3u32..6,
            mid in proptest::option::of(0..SLOTS),
        ) {
            let l = ledger(&ops);
            let (at, tz) = (as_of(mid), l.l.config.timezone);
            let from = settle::month_start(2026, month, tz).unwrap();
            let before = settle::month_after(2026, month, tz).unwrap();
            let e = evaluate_scoped(&l.l, at, Scope::Settlement { from, before });
            prop_assert_eq!(
                settle::month_lines(&e, 2026, month, tz),
                super::month_lines(&l.l, at, from, before)
            );
        }
    }
}
