//! The client registry 客户登记系统 as the engine walks the ledger in time order: what is known
//! about each phone so far, and family-level questions over it. Rule files ask it questions; the
//! engine (`evaluate`) tells it what happened.

use super::family::Families;
use super::slip::SlipStatus;
use super::time::{covers, period_end};
use crate::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use smallvec::SmallVec;
use std::sync::Arc;

/// An accepted report and whether its hold is still open (R2.6, R4).
#[derive(Clone, Debug)]
pub struct ReportHold {
    pub report: u32,
    pub window_end: Time,
    /// Open until the first visit of the family after the report (R4).
    pub open: bool,
}

/// A valid channel visit and the end of its channel hold (R4.6).
#[derive(Clone, Debug)]
pub struct VisitHold {
    pub contact: u32,
    pub hold_end: Time,
}

#[derive(Default, Debug)]
struct PhoneState {
    /// The latest contact (R3) of this phone.
    last_contact: Option<u32>,
    /// The first visit of this phone.
    first_visit: Option<u32>,
    /// The latest visit of this phone (R1: a link may join it to a report made before it).
    last_visit: Option<u32>,
    // A phone rarely has more than one of each: one inline, no allocation (241k phones in the
    // 1M-row benchmark).
    reports: SmallVec<[ReportHold; 1]>,
    visits: SmallVec<[VisitHold; 1]>,
    /// Direct slips presented for this phone.
    directs: SmallVec<[u32; 2]>,
    /// Names the client was received or reported under.
    names: SmallVec<[Text; 1]>,
}

pub struct Registry<'l> {
    pub ledger: &'l Ledger,
    pub config: &'l Config,
    pub as_of: Time,
    pub families: Families,
    /// Where each phone's state is in `known`.
    phones: HashMap<Phone, u32>,
    known: Vec<PhoneState>,
    /// R5 status of every slip as of the as-of time (shared by the shards of an evaluation).
    pub slips: Arc<HashMap<&'l str, SlipStatus>>,
    /// Record ids voided as of the as-of time.
    pub voided: Arc<HashSet<&'l str>>,
    /// Cutting violations (R8) by phone.
    cuttings: HashMap<Phone, Vec<&'l Violation>>,
    /// Discount approvals by id (those existing as of the as-of time and not voided).
    pub discounts: HashMap<&'l str, &'l Discount>,
    /// R11.1: who has left, from the staff rows judged so far.
    pub staffing: super::staff::Staffing,
    /// R7 `unit-taken`: the live bookings by unit as of the as-of time, for the whole ledger
    /// (shared by the shards; set by the scope after `new`).
    pub units: Arc<super::booking::UnitBookings<'l>>,
    /// R13: the carried delistings as of the as-of time (a fact across families).
    pub delistings: super::delist::Delistings,
    /// R14.3: the complete query slips as of the as-of time, by family as of then.
    pub queries: super::query::Queries,
    /// R12: each booking's effective cancellation as of the as-of time (whole ledger).
    pub cancels: super::cancel::Cancels<'l>,
    /// R10: every deal's outcome as of the as-of time (whole ledger: relations as of T, agent
    /// links across families).
    pub resale: super::resale::Resale,
    /// R11: employment and the records the consultant fold reads (`None` while R11 is off).
    pub attribution: Option<Box<super::consultant::Attribution>>,
    /// Whether any visit has been recorded yet: until one is, a link has no hold to end and
    /// need not walk the two families (a chain of relations would be quadratic).
    any_visit: bool,
    /// R15: the masked reports' holds (one shard: `masked::present`).
    pub masked: super::masked::Masked,
}

impl<'l> Registry<'l> {
    pub fn new(
        ledger: &'l Ledger,
        as_of: Time,
        voided: Arc<HashSet<&'l str>>,
        slips: Arc<HashMap<&'l str, SlipStatus>>,
    ) -> Self {
        let mut cuttings: HashMap<Phone, Vec<&Violation>> = HashMap::default();
        for v in &ledger.violations {
            if v.kind == ViolationKind::Cutting
                && v.at <= as_of
                && !voided.contains(v.id.as_str())
                && let Some(p) = v.phone
            {
                cuttings.entry(p).or_default().push(v);
            }
        }
        let discounts = ledger
            .discounts
            .iter()
            .filter(|d| d.at <= as_of && !voided.contains(d.id.as_str()))
            .map(|d| (d.id.as_str(), d))
            .collect();
        let delistings = super::delist::Delistings::of(ledger, as_of, &voided);
        let queries = super::query::Queries::of(ledger, as_of, &voided);
        let cancels = super::cancel::Cancels::new(ledger, as_of, &voided);
        let resale = super::resale::Resale::of(ledger, as_of, &voided);
        let attribution = super::consultant::is_on(ledger).then(|| {
            let employment = super::consultant::Employment::of(ledger, as_of, &voided);
            Box::new(super::consultant::Attribution::new(Arc::new(employment)))
        });
        Registry {
            ledger,
            config: &ledger.config,
            as_of,
            families: Families::default(),
            phones: HashMap::default(),
            known: vec![],
            slips,
            voided,
            cuttings,
            discounts,
            staffing: Default::default(),
            units: Default::default(),
            delistings,
            queries,
            cancels,
            resale,
            attribution,
            any_visit: false,
            masked: Default::default(),
        }
    }

    fn state(&mut self, p: Phone) -> &mut PhoneState {
        let next = self.known.len() as u32;
        let i = *self.phones.entry(p).or_insert(next);
        if i == next {
            self.known.push(PhoneState::default());
        }
        &mut self.known[i as usize]
    }

    fn states(&self, p: Phone) -> impl Iterator<Item = (Phone, &PhoneState)> {
        let family = self.families.members(p);
        (0..family.len()).filter_map(move |i| {
            let s = self.phones.get(&family[i])?;
            Some((family[i], &self.known[*s as usize]))
        })
    }

    /// The end of a period of `days` starting at `start`, counted as the config says.
    pub fn period_end(&self, start: Time, days: u32) -> Time {
        period_end(start, days, self.config.day_count, self.config.timezone)
    }

    /// Takes in the registry of another shard of the same evaluation: its phones and families
    /// are disjoint from these (a shard holds whole families).
    pub fn absorb(&mut self, other: Registry<'l>) {
        // each state's phone, in the order of `other.known`
        let mut phones: Vec<(u32, Phone)> = other.phones.into_iter().map(|(p, i)| (i, p)).collect();
        phones.sort_unstable();
        self.known.reserve_exact(other.known.len());
        for ((_, phone), state) in phones.into_iter().zip(other.known) {
            self.phones.insert(phone, self.known.len() as u32);
            self.known.push(state);
        }
        self.families.absorb(other.families);
        self.any_visit |= other.any_visit;
        if let (Some(a), Some(b)) = (self.attribution.as_deref_mut(), other.attribution) {
            a.absorb(*b);
        }
    }

    // ---- what happened (called by the engine in time order) ----

    pub fn add_name(&mut self, p: Phone, name: &str) {
        let s = self.state(p);
        if !s.names.iter().any(|n| n == name) {
            s.names.push(name.into());
        }
    }

    /// R3: a contact that counts starts a protection period; a visit ends every open report hold
    /// of the family (R4) and may be the family's first visit.
    pub fn add_contact(&mut self, i: usize) {
        let c = &self.ledger.contacts[i];
        let is_visit = c.kind == ContactKind::Visit;
        if is_visit {
            for m in self.families.members(c.phone).iter() {
                if let Some(&s) = self.phones.get(m) {
                    let s = &mut self.known[s as usize];
                    s.reports.iter_mut().for_each(|h| h.open = false);
                }
            }
        }
        self.any_visit |= is_visit;
        let s = self.state(c.phone);
        s.last_contact = Some(i as u32);
        if is_visit {
            s.first_visit.get_or_insert(i as u32);
            s.last_visit = Some(i as u32);
        }
    }

    /// R1: links two phones. When the link joins two families, every question asked after it
    /// sees both histories: a visit of one family made after a report of the other has already
    /// ended that report's hold (R4), though the two were not linked when the visit happened.
    pub fn link(&mut self, a: Phone, b: Phone) {
        if self.any_visit && !self.families.same(a, b) {
            let (visit_a, visit_b) = (self.latest_visit_at(a), self.latest_visit_at(b));
            self.end_holds_before(a, visit_b);
            self.end_holds_before(b, visit_a);
        }
        self.families.link(a, b);
    }

    /// The time of the family's latest visit.
    fn latest_visit_at(&self, p: Phone) -> Option<Time> {
        let l = self.ledger;
        self.states(p)
            .filter_map(|(_, s)| s.last_visit)
            .map(|i| l.contacts[i as usize].at)
            .max()
    }

    /// R4: ends the family's open holds of reports made before a visit at `visit` (at equal
    /// times a visit comes before a report, so it does not end that report's hold).
    fn end_holds_before(&mut self, p: Phone, visit: Option<Time>) {
        let (Some(visit), l) = (visit, self.ledger) else {
            return;
        };
        for m in self.families.members(p).iter() {
            if let Some(&s) = self.phones.get(m) {
                (self.known[s as usize].reports.iter_mut())
                    .filter(|h| l.reports[h.report as usize].at < visit)
                    .for_each(|h| h.open = false);
            }
        }
    }

    pub fn add_accepted_report(&mut self, i: usize, window_end: Time) {
        let p = self.ledger.reports[i].phone;
        self.state(p).reports.push(ReportHold {
            report: i as u32,
            window_end,
            open: true,
        });
    }

    pub fn add_valid_visit(&mut self, i: usize, hold_end: Time) {
        let p = self.ledger.contacts[i].phone;
        self.state(p).visits.push(VisitHold {
            contact: i as u32,
            hold_end,
        });
    }

    pub fn add_direct(&mut self, i: usize) {
        let p = self.ledger.directs[i].phone;
        self.state(p).directs.push(i as u32);
    }

    // ---- family-level questions ----

    /// R3: the latest contact of the family, with the end of its protection period.
    pub fn latest_contact(&self, p: Phone) -> Option<(&'l Contact, Time)> {
        let l = self.ledger;
        self.states(p)
            .filter_map(|(_, s)| s.last_contact.map(|i| i as usize))
            .max_by_key(|&i| (l.contacts[i].at, i))
            .map(|i| {
                let c = &l.contacts[i];
                (c, self.period_end(c.at, self.config.protection_days))
            })
    }

    /// R3: the family's first visit (its consultant is the first-visit consultant 首访置业顾问).
    pub fn first_visit(&self, p: Phone) -> Option<&'l Contact> {
        let l = self.ledger;
        self.states(p)
            .filter_map(|(_, s)| s.first_visit.map(|i| i as usize))
            .min_by_key(|&i| (l.contacts[i].at, i))
            .map(|i| &l.contacts[i])
    }

    /// Accepted reports of the family whose hold is still open, oldest first.
    pub fn open_reports(&self, p: Phone) -> Vec<(&'l Report, &ReportHold)> {
        let l = self.ledger;
        let mut v: Vec<_> = self
            .states(p)
            .flat_map(|(_, s)| s.reports.iter())
            .filter(|h| h.open)
            .map(|h| (&l.reports[h.report as usize], h))
            .collect();
        v.sort_by_key(|(r, h)| (r.at, h.report));
        v
    }

    /// Open report holds whose window covers `t` (R2.3, R2.4 and the walk-in warning of R4),
    /// leaving out the reports of channels whose claims on the family are cancelled (R8) at `t`:
    /// they hold nothing (R2.4).
    pub fn report_holds_at(&self, p: Phone, t: Time) -> Vec<(&'l Report, Time)> {
        self.open_reports(p)
            .into_iter()
            .filter(|(r, h)| covers(r.at, h.window_end, t))
            .filter(|(r, _)| !self.cancelled(&r.channel, p, t))
            .filter(|(r, _)| !self.channel_delisted(&r.channel, t))
            .map(|(r, h)| (r, h.window_end))
            .collect()
    }

    /// R2.0 / R4.1 / R8: channel `channel`'s claims on the family are cancelled by a cutting
    /// violation at or before `t`.
    pub fn cancelled(&self, channel: &str, p: Phone, t: Time) -> bool {
        self.cutting(channel, p, t).is_some()
    }

    /// R13.3: `channel` is delisted at `t`: its reports and visits hold nothing then.
    pub fn channel_delisted(&self, channel: &str, t: Time) -> bool {
        super::delist::channel_delisting(self, channel, t).is_some()
    }

    /// The earliest cutting violation against `channel` for the family at or before `t`.
    pub fn cutting(&self, channel: &str, p: Phone, t: Time) -> Option<&'l Violation> {
        if self.cuttings.is_empty() {
            return None;
        }
        self.families
            .members(p)
            .iter()
            .filter_map(|m| self.cuttings.get(m))
            .flatten()
            .filter(|v| v.channel == channel && v.at <= t)
            .min_by_key(|v| v.at)
            .copied()
    }

    /// Channel holds by valid visits (R4.6) covering `t` and not cancelled, earliest first.
    pub fn visit_holds_at(&self, p: Phone, t: Time) -> Vec<(&'l Contact, Time)> {
        let l = self.ledger;
        let mut v: Vec<_> = self
            .states(p)
            .flat_map(|(_, s)| s.visits.iter())
            .map(|h| (&l.contacts[h.contact as usize], h.hold_end, h.contact))
            .filter(|(c, end, _)| covers(c.at, *end, t))
            .filter(|(c, _, _)| !self.cancelled(c.channel.as_deref().unwrap_or(""), p, t))
            .filter(|(c, _, _)| !self.channel_delisted(c.channel.as_deref().unwrap_or(""), t))
            .collect();
        v.sort_by_key(|(c, _, i)| (c.at, *i));
        v.into_iter().map(|(c, end, _)| (c, end)).collect()
    }

    /// Direct slips presented for the family so far, in time order.
    pub fn directs(&self, p: Phone) -> Vec<&'l Direct> {
        let l = self.ledger;
        let mut v: Vec<_> = self
            .states(p)
            .flat_map(|(_, s)| s.directs.iter().map(|&i| i as usize))
            .collect();
        v.sort_by_key(|&i| (l.directs[i].presented_at, i));
        v.into_iter().map(|i| &l.directs[i]).collect()
    }

    /// Names the family was received or reported under.
    pub fn names(&self, p: Phone) -> Vec<&str> {
        self.states(p)
            .flat_map(|(_, s)| s.names.iter().map(Text::as_str))
            .collect()
    }

    /// R15: every phone the registry has seen (in no particular order).
    pub fn known_phones(&self) -> impl Iterator<Item = Phone> + '_ {
        self.phones.keys().copied()
    }

    /// Whether the registry has ever seen the family (any report, contact or direct slip).
    pub fn knows(&self, p: Phone) -> bool {
        self.states(p).next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testkit::*;

    const AS_OF: &str = "2026-05-01 00:00";

    fn codes(l: &Lb, id: &str) -> Vec<&'static str> {
        let e = l.eval(AS_OF);
        (e.verdict(id).unwrap().findings.iter())
            .map(|f| f.code.as_str())
            .collect()
    }

    #[test]
    fn r1_a_visit_of_the_new_member_after_the_report_has_ended_its_hold() {
        // "a visit of the new member made after a report of the old one has already ended that
        // report's hold (R4), even though the two were not yet linked when the visit happened":
        // the household came in under P2 on 03-02, so 链家 bringing P1 on 03-03 is no-report
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .walk_in("C1", "2026-03-02 10:00", P2)
            .relation("F1", "2026-03-03 09:00", P1, P2)
            .visit("C2", "2026-03-03 10:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C2", AS_OF), ("no-report", "R4.3"));
        let e = l.eval("2026-03-03 09:30");
        assert!(e.registry.open_reports(P1).is_empty());
        let e = l.eval("2026-03-03 08:59");
        assert_eq!(e.registry.open_reports(P1).len(), 1, "not before the link");
    }

    #[test]
    fn r1_either_side_of_the_link_may_hold_the_report() {
        // the report of the new member, the visit of the old family; the link written either way
        for (a, b) in [(P1, P2), (P2, P1)] {
            let l = Lb::new()
                .report("R1", "2026-03-01 09:00", "链家", "王五", P2)
                .walk_in("C1", "2026-03-02 10:00", P1)
                .relation("F1", "2026-03-03 09:00", a, b)
                .walk_in("C2", "2026-03-03 10:00", P2);
            assert!(
                codes(&l, "C2").is_empty(),
                "no walk-in-during-hold: R1 holds nothing"
            );
        }
    }

    #[test]
    fn r1_a_visit_at_the_report_time_or_before_does_not_end_its_hold() {
        // at equal times contacts come before reports: the visit is not after the report
        for visit_at in ["2026-03-01 09:00", "2026-02-28 10:00"] {
            let l = Lb::new()
                .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
                .walk_in("C1", visit_at, P2)
                .relation("F1", "2026-03-03 09:00", P1, P2)
                .visit("C2", "2026-03-03 10:00", "链家", "王五", P1);
            assert_eq!(
                l.verdict("C2", AS_OF),
                ("valid", "R4.6"),
                "visit at {visit_at}"
            );
        }
    }

    #[test]
    fn r1_a_visit_one_second_after_the_report_ends_its_hold() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .walk_in("C1", "2026-03-01T09:00:01+08:00", P2)
            .relation("F1", "2026-03-03 09:00", P1, P2)
            .visit("C2", "2026-03-03 10:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C2", AS_OF), ("no-report", "R4.3"));
    }

    #[test]
    fn r1_only_a_visit_ends_a_hold_not_a_call() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .call("C1", "2026-03-02 10:00", P2)
            .relation("F1", "2026-03-03 09:00", P1, P2)
            .walk_in("C2", "2026-03-03 10:00", P1);
        assert_eq!(codes(&l, "C2"), vec!["walk-in-during-hold"]);
    }

    #[test]
    fn r1_a_voided_link_joins_nothing() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .walk_in("C1", "2026-03-02 10:00", P2)
            .relation("F1", "2026-03-03 09:00", P1, P2)
            .void("X1", "2026-03-04 09:00", "F1")
            .visit("C2", "2026-03-03 10:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C2", AS_OF), ("valid", "R4.6"));
    }
}
