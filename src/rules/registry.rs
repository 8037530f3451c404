//! The client registry 客户登记系统 as the engine walks the ledger in time order: what is known
//! about each phone so far, and family-level questions over it. Rule files ask it questions; the
//! engine (`evaluate`) tells it what happened.

use super::family::Families;
use super::slip::SlipStatus;
use super::time::{covers, period_end};
use crate::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use smallvec::SmallVec;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
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

/// What the family-level questions ask of a linked family, kept as records and links come in
/// (a family of one answers from its phone's state): without it each question walked every
/// member, and a family of n phones built record by record cost O(n²).
#[derive(Default, Debug)]
struct FamilyFacts {
    /// R3: the latest contact, by (time, position).
    latest_contact: Option<u32>,
    /// R3: the first visit, by (time, position).
    first_visit: Option<u32>,
    /// R1/R4: the latest visit.
    latest_visit: Option<u32>,
    /// R4: the open report holds, earliest report first: (report time, report, state in
    /// `known`, position in the state's reports).
    open: BinaryHeap<Reverse<(Time, u32, u32, u32)>>,
    /// R4.6: the family's valid channel visits and their hold ends (every member's).
    holds: Vec<VisitHold>,
}

pub struct Registry<'l> {
    pub ledger: &'l Ledger,
    pub config: &'l Config,
    pub as_of: Time,
    pub families: Families,
    /// Where each phone's state is in `known`.
    phones: HashMap<Phone, u32>,
    known: Vec<PhoneState>,
    /// What is known of each linked family, by its number in `families`.
    facts: Vec<FamilyFacts>,
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
            facts: vec![],
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
        // the facts of each of its families, by one of the family's phones, states renumbered
        let offset = self.known.len() as u32;
        let mut facts: Vec<(Phone, FamilyFacts)> = vec![];
        for (f, mut x) in other.facts.into_iter().enumerate() {
            if let Some(&p) = other.families.phones_of(f).first() {
                x.open = (x.open.into_iter())
                    .map(|Reverse((t, r, s, k))| Reverse((t, r, s + offset, k)))
                    .collect();
                facts.push((p, x));
            }
        }
        self.known.reserve_exact(other.known.len());
        for ((_, phone), state) in phones.into_iter().zip(other.known) {
            self.phones.insert(phone, self.known.len() as u32);
            self.known.push(state);
        }
        self.families.absorb(other.families);
        for (p, x) in facts {
            let f = self
                .families
                .id(p)
                .expect("an absorbed family keeps its number");
            *self.facts_mut(f) = x;
        }
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
        let l = self.ledger;
        let c = &l.contacts[i];
        let is_visit = c.kind == ContactKind::Visit;
        if is_visit {
            self.end_holds_before(c.phone, None);
        }
        self.any_visit |= is_visit;
        let s = self.state(c.phone);
        s.last_contact = Some(i as u32);
        let first = is_visit && s.first_visit.is_none();
        if is_visit {
            s.first_visit.get_or_insert(i as u32);
            s.last_visit = Some(i as u32);
        }
        if let Some(f) = self.families.id(c.phone) {
            let x = &mut self.facts[f];
            x.latest_contact = latest(l, x.latest_contact, Some(i as u32));
            if first {
                x.first_visit = earliest(l, x.first_visit, Some(i as u32));
            }
            if is_visit {
                x.latest_visit = latest(l, x.latest_visit, Some(i as u32));
            }
        }
    }

    /// R1: links two phones. When the link joins two families, every question asked after it
    /// sees both histories: a visit of one family made after a report of the other has already
    /// ended that report's hold (R4), though the two were not linked when the visit happened.
    pub fn link(&mut self, a: Phone, b: Phone) {
        if self.families.same(a, b) {
            return;
        }
        if self.any_visit {
            let (visit_a, visit_b) = (self.latest_visit_at(a), self.latest_visit_at(b));
            if let Some(t) = visit_b {
                self.end_holds_before(a, Some(t));
            }
            if let Some(t) = visit_a {
                self.end_holds_before(b, Some(t));
            }
        }
        let (x, y) = (self.take_facts(a), self.take_facts(b));
        self.families.link(a, b);
        let f = self
            .families
            .id(a)
            .expect("a linked phone has a family number");
        *self.facts_mut(f) = merge(self.ledger, x, y);
    }

    /// The facts of `p`'s family, taken out (a family of one's made from its phone's state).
    fn take_facts(&mut self, p: Phone) -> FamilyFacts {
        if let Some(f) = self.families.id(p) {
            return std::mem::take(&mut self.facts[f]);
        }
        let Some(&s) = self.phones.get(&p) else {
            return FamilyFacts::default();
        };
        let (l, state) = (self.ledger, &self.known[s as usize]);
        let open = (state.reports.iter().enumerate())
            .filter(|(_, h)| h.open)
            .map(|(k, h)| Reverse((l.reports[h.report as usize].at, h.report, s, k as u32)))
            .collect();
        FamilyFacts {
            latest_contact: state.last_contact,
            first_visit: state.first_visit,
            latest_visit: state.last_visit,
            open,
            holds: state.visits.to_vec(),
        }
    }

    fn facts_mut(&mut self, f: usize) -> &mut FamilyFacts {
        if self.facts.len() <= f {
            self.facts.resize_with(f + 1, FamilyFacts::default);
        }
        &mut self.facts[f]
    }

    /// The state of `p` if it is a family of one the registry has seen.
    fn alone(&self, p: Phone) -> Option<&PhoneState> {
        match self.families.id(p) {
            Some(_) => None,
            None => Some(&self.known[*self.phones.get(&p)? as usize]),
        }
    }

    /// The time of the family's latest visit.
    fn latest_visit_at(&self, p: Phone) -> Option<Time> {
        let i = match self.families.id(p) {
            Some(f) => self.facts[f].latest_visit,
            None => self.alone(p)?.last_visit,
        };
        Some(self.ledger.contacts[i? as usize].at)
    }

    /// R4: ends the family's open holds of reports made before a visit at `visit` (at equal
    /// times a visit comes before a report, so it does not end that report's hold); `None`:
    /// every open hold (a visit of the family itself, judged after every report before it).
    /// A family of one's open holds are the end of its reports (they come in time order).
    fn end_holds_before(&mut self, p: Phone, visit: Option<Time>) {
        let l = self.ledger;
        let before = |t: Time| visit.is_none_or(|v| t < v);
        if let Some(f) = self.families.id(p) {
            let open = &mut self.facts[f].open;
            while let Some(&Reverse((t, _, s, k))) = open.peek()
                && before(t)
            {
                open.pop();
                self.known[s as usize].reports[k as usize].open = false;
            }
        } else if let Some(&s) = self.phones.get(&p) {
            let reports = &mut self.known[s as usize].reports;
            let from = reports.partition_point(|h| !h.open);
            (reports[from..].iter_mut())
                .take_while(|h| before(l.reports[h.report as usize].at))
                .for_each(|h| h.open = false);
        }
    }

    pub fn add_accepted_report(&mut self, i: usize, window_end: Time) {
        let l = self.ledger;
        let r = &l.reports[i];
        let s = self.state(r.phone);
        let k = s.reports.len() as u32;
        s.reports.push(ReportHold {
            report: i as u32,
            window_end,
            open: true,
        });
        if let Some(f) = self.families.id(r.phone) {
            let s = self.phones[&r.phone];
            (self.facts[f].open).push(Reverse((r.at, i as u32, s, k)));
        }
    }

    pub fn add_valid_visit(&mut self, i: usize, hold_end: Time) {
        let p = self.ledger.contacts[i].phone;
        let hold = VisitHold {
            contact: i as u32,
            hold_end,
        };
        if let Some(f) = self.families.id(p) {
            self.facts_mut(f).holds.push(hold.clone());
        }
        self.state(p).visits.push(hold);
    }

    pub fn add_direct(&mut self, i: usize) {
        let p = self.ledger.directs[i].phone;
        self.state(p).directs.push(i as u32);
    }

    // ---- family-level questions ----

    /// R3: the latest contact of the family, with the end of its protection period.
    pub fn latest_contact(&self, p: Phone) -> Option<(&'l Contact, Time)> {
        let i = match self.families.id(p) {
            Some(f) => self.facts[f].latest_contact,
            None => self.alone(p)?.last_contact,
        }?;
        let c = &self.ledger.contacts[i as usize];
        Some((c, self.period_end(c.at, self.config.protection_days)))
    }

    /// R3: the family's first visit (its consultant is the first-visit consultant 首访置业顾问).
    pub fn first_visit(&self, p: Phone) -> Option<&'l Contact> {
        let i = match self.families.id(p) {
            Some(f) => self.facts[f].first_visit,
            None => self.alone(p)?.first_visit,
        }?;
        Some(&self.ledger.contacts[i as usize])
    }

    /// Accepted reports of the family whose hold is still open, oldest first.
    pub fn open_reports(&self, p: Phone) -> Vec<(&'l Report, &ReportHold)> {
        let l = self.ledger;
        let mut v: Vec<_> = match self.families.id(p) {
            Some(f) => (self.facts[f].open.iter())
                .map(|&Reverse((_, _, s, k))| &self.known[s as usize].reports[k as usize])
                .map(|h| (&l.reports[h.report as usize], h))
                .collect(),
            None => (self.alone(p).into_iter())
                .flat_map(|s| s.reports.iter())
                .filter(|h| h.open)
                .map(|h| (&l.reports[h.report as usize], h))
                .collect(),
        };
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
        // a linked family's holds are kept with its facts: no walk over every member
        let holds: &[VisitHold] = match self.families.id(p) {
            Some(f) => self.facts.get(f).map_or(&[], |x| &x.holds),
            None => self.alone(p).map_or(&[], |s| &s.visits),
        };
        let mut v: Vec<_> = (holds.iter())
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

/// Of two contacts, the later by (time, position).
fn latest(l: &Ledger, a: Option<u32>, b: Option<u32>) -> Option<u32> {
    let key = |i: &u32| (l.contacts[*i as usize].at, *i);
    a.into_iter().chain(b).max_by_key(key)
}

/// Of two contacts, the earlier by (time, position).
fn earliest(l: &Ledger, a: Option<u32>, b: Option<u32>) -> Option<u32> {
    let key = |i: &u32| (l.contacts[*i as usize].at, *i);
    a.into_iter().chain(b).min_by_key(key)
}

/// R1: the facts of two families joined by a link.
fn merge(l: &Ledger, mut x: FamilyFacts, mut y: FamilyFacts) -> FamilyFacts {
    x.open.append(&mut y.open);
    x.holds.append(&mut y.holds);
    FamilyFacts {
        latest_contact: latest(l, x.latest_contact, y.latest_contact),
        first_visit: earliest(l, x.first_visit, y.first_visit),
        latest_visit: latest(l, x.latest_visit, y.latest_visit),
        open: x.open,
        holds: x.holds,
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
    fn r1_a_family_grown_from_its_top_answers_for_all_its_members() {
        // P3, then P2 joining below it, then P1 below both, with a visit of P1 between: the
        // link ends the holds of the reports made before that visit, not the one made after
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P3)
            .walk_in("C1", "2026-03-03 10:00", P1)
            .report("R2", "2026-03-03 11:00", "我爱我家", "李四", P2)
            .relation("F1", "2026-03-04 09:00", P2, P3)
            .relation("F2", "2026-03-05 09:00", P1, P2);
        let open = |at: &str| {
            let e = l.eval(at);
            let ids: Vec<String> = (e.registry.open_reports(P3).iter())
                .map(|(r, _)| r.id.to_string())
                .collect();
            ids
        };
        assert_eq!(open("2026-03-04 12:00"), ["R1", "R2"]);
        assert_eq!(open("2026-03-05 12:00"), ["R2"]);
        let e = l.eval("2026-03-05 12:00");
        assert_eq!(e.registry.first_visit(P3).unwrap().id, "C1");
        assert_eq!(e.registry.latest_contact(P2).unwrap().0.id, "C1");
        // a visit of any member ends the rest
        let l = l.walk_in("C2", "2026-03-06 10:00", P3);
        let e = l.eval("2026-03-06 12:00");
        assert!(e.registry.open_reports(P1).is_empty());
        assert_eq!(e.registry.latest_contact(P1).unwrap().0.id, "C2");
        assert_eq!(e.registry.first_visit(P2).unwrap().id, "C1");
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
