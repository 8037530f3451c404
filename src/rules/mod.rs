//! PURE rules: `evaluate(&Ledger, as_of)` gives every record's verdict. No IO, no clock, no
//! environment, no printing. One file per rule family:
//! family R1, report R2, visit R3/R4, slip R5, direct R6, booking R7, penalty R8, settle R9,
//! time (period arithmetic). Find a clause with `grep -rn "R4.3" src/rules`.

pub mod audit;
pub mod booking;
pub mod check;
pub mod direct;
pub mod family;
pub mod penalty;
pub mod reference;
pub mod registry;
pub mod report;
pub mod settle;
pub mod slip;
pub mod time;
pub mod verdict;
pub mod visit;

#[cfg(test)]
pub mod testkit;

use crate::model::*;
use registry::Registry;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use slip::SlipStatus;
use smallvec::SmallVec;
use std::hash::BuildHasher;
use std::sync::Arc;
use verdict::{Code, Verdict};

/// The verdicts kept as of one instant, in evaluation order, and the registry as it stands then
/// (it knows the records the scope judged: every record for `Scope::All`).
pub struct Evaluation<'l> {
    pub verdicts: Vec<Verdict>,
    pub registry: Registry<'l>,
}

impl Evaluation<'_> {
    /// The verdict of the record (or slip) with this id.
    pub fn verdict(&self, id: &str) -> Option<&Verdict> {
        self.verdicts.iter().find(|v| v.id == id)
    }
}

/// One record to evaluate, ordered as the engine judges: by time (the UTC instant), then kind,
/// then position in its file. Sixteen bytes: there is one per row.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    seconds: i64,
    nanos: u32,
    /// The kind (its rank in `Kind`'s order, top four bits) and the position in its list.
    kind_index: u32,
}

impl Event {
    fn new(at: Time, kind: Kind, index: usize) -> Event {
        Event {
            seconds: at.timestamp(),
            nanos: at.timestamp_subsec_nanos(),
            kind_index: rank_and_index(kind as usize, index),
        }
    }

    fn kind(self) -> Kind {
        KIND_ORDER[rank_index_of(self.kind_index).0]
    }

    fn index(self) -> usize {
        rank_index_of(self.kind_index).1
    }
}

/// The kinds in their declared order, which is the order of judgement at equal times.
const KIND_ORDER: [Kind; 9] = [
    Kind::Void,
    Kind::Relation,
    Kind::Direct,
    Kind::Contact,
    Kind::Report,
    Kind::Slip,
    Kind::Discount,
    Kind::Booking,
    Kind::Violation,
];

/// Evaluates the ledger as of `as_of`: only records with at ≤ as_of exist; records voided by a
/// void at or before as_of are ignored everywhere (RULES.md "Voids").
pub fn evaluate(ledger: &Ledger, as_of: Time) -> Evaluation<'_> {
    evaluate_scoped(ledger, as_of, Scope::All)
}

/// Which records an evaluation judges and which verdicts it keeps.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// Every record is judged and every verdict kept.
    All,
    /// R9 for the month from `from` to `before` (the start of the next month): the verdicts
    /// settlement pays on — bookings and violations — that can have a line in the month. A line
    /// is due at or after its record's time, and no verdict depends on a later record (the
    /// causality property below), so later records are not judged. A booking's verdict depends
    /// on its own family's earlier records only, and a violation's penalty on the config only; so
    /// only the families that can have a line in the month are judged (`settlement_records`),
    /// and only the month's violations.
    Settlement { from: Time, before: Time },
    /// The counter's question: only the records of this phone's family as it stands at the
    /// as-of time, and the relations, are judged; the family's verdicts are kept.
    Family(Phone),
}

/// `evaluate` within a scope.
///
/// Families are independent: the registry answers every question per family (R1), families
/// only ever merge, and voids, slips, discounts and cutting violations are read whole before any
/// record is judged. So a family's records can be judged apart from everyone else's and get the
/// same verdicts. `Family` judges one family; the other scopes split the families into two shards
/// judged on two threads, then merge verdicts (in evaluation order) and registries.
pub fn evaluate_scoped<'l>(ledger: &'l Ledger, as_of: Time, scope: Scope) -> Evaluation<'l> {
    let voided = Arc::new(voided_ids(ledger, as_of));
    let families = families_as_of(ledger, as_of, &voided);
    match scope {
        Scope::Family(p) => judge_family(ledger, as_of, voided, &families, p),
        Scope::All => judge_in_shards(ledger, as_of, voided, &families, None, &|_| true),
        Scope::Settlement { from, before } => {
            let judged = settlement_records(ledger, as_of, &families, (from, before));
            let keep = |v: &Verdict| matches!(v.kind, Kind::Booking | Kind::Violation);
            judge_in_shards(ledger, as_of, voided, &families, Some(&judged), &keep)
        }
    }
}

/// Picks records by kind, position and time.
type Pick<'a> = &'a (dyn Fn(Kind, usize, Time) -> bool + Sync);

/// `Scope::Family`: the family's records and every relation.
fn judge_family<'l>(
    ledger: &'l Ledger,
    as_of: Time,
    voided: Arc<HashSet<&'l str>>,
    families: &family::Families,
    phone: Phone,
) -> Evaluation<'l> {
    let family = families.members(phone);
    let in_family = |p: Option<Phone>| p.is_some_and(|p| family.contains(&p));
    let [events, _] = events(ledger, as_of, &|kind, i, _| {
        (kind == Kind::Relation || in_family(record_phone(ledger, kind, i))).then_some(0)
    });
    // the family's visits are the only records that ask for a slip's status
    let visit_slips: HashSet<&str> = (events.iter())
        .filter(|e| e.kind() == Kind::Contact)
        .filter_map(|e| ledger.contacts[e.index()].slip.as_deref())
        .collect();
    let slips = Arc::new(slip_statuses(ledger, as_of, Some(visit_slips)));
    let mut registry = Registry::new(ledger, as_of, voided, slips);
    let verdicts = judge(&mut registry, events, &|v| in_family(v.phone));
    Evaluation {
        verdicts: verdicts.into_iter().map(|(_, v)| v).collect(),
        registry,
    }
}

/// `Scope::Settlement`: the records before the month's end of the families that may have a line
/// in the month, up to each one's last booking before the month's end, and the month's
/// violations. A family may have a line in the month when it booked in the month (the agency
/// fee, and a commission due at the booking), or booked before it and has a visit whose slip was
/// signed in it (a commission falls due when its slip takes effect, at its last signature).
fn settlement_records<'a>(
    ledger: &'a Ledger,
    as_of: Time,
    families: &'a family::Families,
    (from, before): (Time, Time),
) -> impl Fn(Kind, usize, Time) -> bool + Sync + 'a {
    let by_the_end = |at: Time| at <= as_of && at < before;
    let root = |p: Phone| families.members(p)[0];
    let signed_in_month: HashSet<&str> = (ledger.signatures.iter())
        .filter(|s| by_the_end(s.at) && s.at >= from)
        .map(|s| s.slip.as_str())
        .collect();
    // the families (by their smallest phone) with a visit whose slip was signed in the month
    let signed_families: HashSet<Phone> = (ledger.contacts.iter())
        .filter(|c| by_the_end(c.at))
        .filter(|c| {
            c.slip
                .as_deref()
                .is_some_and(|s| signed_in_month.contains(s))
        })
        .map(|c| root(c.phone))
        .collect();
    // the families that booked in the month, or before it and had a slip signed in it, with
    // their last booking
    let mut last: HashMap<Phone, Time> = HashMap::default();
    for b in ledger.bookings.iter().filter(|b| by_the_end(b.at)) {
        let family = root(b.phone);
        if b.at >= from || signed_families.contains(&family) {
            let t = last.entry(family).or_insert(b.at);
            *t = (*t).max(b.at);
        }
    }
    // ... for each phone of those families
    let mut booked: HashMap<Phone, Time> = HashMap::default();
    for (family, t) in last {
        booked.extend(families.members(family).iter().map(|&p| (p, t)));
    }
    move |kind, i, at| {
        at < before
            && match kind {
                Kind::Violation => at >= from,
                Kind::Booking | Kind::Relation | Kind::Direct | Kind::Contact | Kind::Report => {
                    record_phone(ledger, kind, i)
                        .and_then(|p| booked.get(&p))
                        .is_some_and(|last| at <= *last)
                }
                Kind::Slip | Kind::Discount | Kind::Void => false,
            }
    }
}

/// Judges the records `pick` picks (all when `None`) in two shards on two threads, keeping the
/// verdicts `keep` selects.
fn judge_in_shards<'l>(
    ledger: &'l Ledger,
    as_of: Time,
    voided: Arc<HashSet<&'l str>>,
    families: &family::Families,
    pick: Option<Pick>,
    keep: &(dyn Fn(&Verdict) -> bool + Sync),
) -> Evaluation<'l> {
    let judged = |kind, i, at| pick.is_none_or(|pick| pick(kind, i, at));
    // a family's shard: the parity of its smallest phone; a slip's signatures (they must stay
    // together) by its id's hash; records with no phone and no slip the first
    let shard = |kind, i, at| -> Option<usize> {
        judged(kind, i, at).then(|| match record_phone(ledger, kind, i) {
            Some(p) => (families.members(p)[0].0 % 2) as usize,
            None if kind == Kind::Slip => {
                (rustc_hash::FxBuildHasher.hash_one(&ledger.signatures[i].slip) % 2) as usize
            }
            None => 0,
        })
    };
    // slip statuses on one thread while the events are gathered on this one; when not every
    // record is judged, only the judged visits ask for a slip's status
    let ([mine, theirs], slips) = crate::par::both(
        || events(ledger, as_of, &shard),
        || match pick {
            None => slip_statuses(ledger, as_of, None),
            Some(_) => {
                let visit_slips: HashSet<&str> = (ledger.contacts.iter().enumerate())
                    .filter(|(_, c)| c.slip.is_some())
                    .filter(|&(i, c)| judged(Kind::Contact, i, c.at))
                    .filter_map(|(_, c)| c.slip.as_deref())
                    .collect();
                slip_statuses(ledger, as_of, Some(visit_slips))
            }
        },
    );
    let slips = Arc::new(slips);
    let judge_shard = |events| {
        let mut registry = Registry::new(ledger, as_of, voided.clone(), Arc::clone(&slips));
        (judge(&mut registry, events, keep), registry)
    };
    let ((mine, mut registry), (theirs, their_registry)) =
        crate::par::both(|| judge_shard(mine), || judge_shard(theirs));
    registry.absorb(their_registry);
    Evaluation {
        verdicts: merge(mine, theirs),
        registry,
    }
}

/// Judges `events` in order, keeping the verdicts `keep` selects, with their events.
fn judge<'l>(
    reg: &mut Registry<'l>,
    events: Vec<Event>,
    keep: &dyn Fn(&Verdict) -> bool,
) -> Vec<(Event, Verdict)> {
    let l = reg.ledger;
    let mut events = events;
    // evaluation order: time, then kind (voids, relations, directs, contacts, reports, slips,
    // discounts, bookings, violations), then file order. A stable sort: files written in time
    // order are sorted runs, which it merges in linear time.
    events.sort();
    let mut verdicts = vec![];
    let mut seen_slips: HashSet<&str> = HashSet::default();
    for e in events {
        let (kind, i) = (e.kind(), e.index());
        if kind == Kind::Slip && !seen_slips.insert(l.signatures[i].slip.as_str()) {
            continue;
        }
        let v = step(reg, kind, i);
        if keep(&v) {
            verdicts.push((e, v));
        }
    }
    verdicts
}

/// Two lists of verdicts, each in evaluation order, as one list in evaluation order.
fn merge(a: Vec<(Event, Verdict)>, b: Vec<(Event, Verdict)>) -> Vec<Verdict> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some((x, _)), Some((y, _))) if x <= y => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some((_, v)) => out.push(v),
            None => return out,
        }
    }
}

/// R1: the families as of `as_of`: every relation at or before it, not voided.
fn families_as_of(l: &Ledger, as_of: Time, voided: &HashSet<&str>) -> family::Families {
    let mut families = family::Families::default();
    for r in &l.relations {
        if r.at <= as_of && !voided.contains(r.id.as_str()) {
            families.link(r.phone, r.other_phone);
        }
    }
    families
}

/// The records at or before `as_of`, in two lists as `shard` picks them by kind, position and
/// time (`None`: not judged). Each list is put in evaluation order by the shard that judges it.
/// The kinds are gathered on two threads, reports and signatures (the two longest lists) on one.
fn events(
    l: &Ledger,
    as_of: Time,
    shard: &(dyn Fn(Kind, usize, Time) -> Option<usize> + Sync),
) -> [Vec<Event>; 2] {
    let gather = |kinds: &[Kind]| {
        // room for every row in each list costs address space only, never memory
        let mut shards = [Vec::with_capacity(l.rows()), Vec::with_capacity(l.rows())];
        for &kind in kinds {
            for i in 0..l.count(kind) {
                let at = l.stamp(kind, i).at;
                if at > as_of {
                    continue;
                }
                if let Some(s) = shard(kind, i, at) {
                    shards[s].push(Event::new(at, kind, i));
                }
            }
        }
        shards
    };
    let (long, rest): (Vec<Kind>, Vec<Kind>) =
        (Kind::ALL.iter()).partition(|k| matches!(k, Kind::Report | Kind::Slip));
    let (mut shards, [other, other_too]) = crate::par::both(|| gather(&long), || gather(&rest));
    shards[0].extend(other);
    shards[1].extend(other_too);
    shards
}

/// Voids: the ids voided as of `as_of`. A void counts when it is at or before `as_of` and not
/// itself voided; a voided void revives its target.
fn voided_ids(l: &Ledger, as_of: Time) -> HashSet<&str> {
    let live: Vec<&Void> = l.voids.iter().filter(|v| v.at <= as_of).collect();
    let by_target: HashMap<&str, Vec<&Void>> = live.iter().fold(HashMap::default(), |mut m, v| {
        m.entry(v.target.as_str()).or_default().push(v);
        m
    });
    fn is_voided(id: &str, by_target: &HashMap<&str, Vec<&Void>>, depth: usize) -> bool {
        depth > 0
            && by_target
                .get(id)
                .is_some_and(|vs| vs.iter().any(|v| !is_voided(&v.id, by_target, depth - 1)))
    }
    live.iter()
        .map(|v| v.target.as_str())
        .filter(|t| is_voided(t, &by_target, live.len()))
        .collect()
}

/// R5: the status as of `as_of` of every slip signed by then (of those in `only`, when given),
/// from its signatures in evaluation order.
fn slip_statuses<'l>(
    l: &'l Ledger,
    as_of: Time,
    only: Option<HashSet<&'l str>>,
) -> HashMap<&'l str, SlipStatus> {
    // a slip has about four signatures: kept inline, no allocation per slip
    type Signed = SmallVec<[(Time, u32); 4]>;
    let mut by_slip: HashMap<&str, Signed> = HashMap::default();
    if let Some(ids) = &only {
        by_slip.extend(ids.iter().map(|&id| (id, Signed::new())));
    }
    for (i, s) in l
        .signatures
        .iter()
        .enumerate()
        .filter(|(_, s)| s.at <= as_of)
    {
        let signed = match only {
            Some(_) => by_slip.get_mut(s.slip.as_str()),
            None => Some(by_slip.entry(s.slip.as_str()).or_default()),
        };
        if let Some(signed) = signed {
            signed.push((s.at, i as u32));
        }
    }
    by_slip
        .into_iter()
        .filter(|(_, sigs)| !sigs.is_empty()) // a slip nobody signed has no status
        .map(|(id, mut sigs)| {
            sigs.sort_unstable();
            let refs: SmallVec<[&Signature; 4]> = sigs
                .iter()
                .map(|&(_, i)| &l.signatures[i as usize])
                .collect();
            (id, slip::slip_status(&l.config, &refs))
        })
        .collect()
}

/// Judges one record and tells the registry what it changed.
fn step(reg: &mut Registry, kind: Kind, i: usize) -> Verdict {
    let l = reg.ledger;
    let Stamp { id, at, .. } = l.stamp(kind, i);
    if reg.voided.contains(id) {
        let mut v = Verdict::new(kind, i, id, at, Code::Voided, "void");
        v.phone = record_phone(l, kind, i);
        return v;
    }
    match kind {
        Kind::Void => Verdict::new(kind, i, id, at, Code::Recorded, "void"),
        Kind::Relation => {
            let r = &l.relations[i];
            reg.link(r.phone, r.other_phone);
            let mut v = Verdict::new(kind, i, id, at, Code::Recorded, "R1");
            v.phone = Some(r.phone);
            v
        }
        Kind::Direct => {
            let v = direct::verdict(reg, i);
            reg.add_direct(i);
            if let Some(name) = &l.directs[i].client {
                reg.add_name(l.directs[i].phone, name);
            }
            v
        }
        Kind::Contact => {
            let c = &l.contacts[i];
            let v = visit::verdict(reg, i);
            if v.code != Code::Unconfirmed {
                reg.add_contact(i);
            }
            if v.code == Code::Valid {
                reg.add_valid_visit(i, v.until.expect("a valid visit has a hold end"));
            }
            if let Some(name) = &c.client {
                reg.add_name(c.phone, name);
            }
            v
        }
        Kind::Report => {
            let r = &l.reports[i];
            let v = report::determine(reg, i);
            if v.code == Code::Accepted {
                reg.add_accepted_report(i, v.until.expect("an accepted report has a window"));
            }
            reg.add_name(r.phone, &r.client);
            v
        }
        Kind::Slip => {
            let s = &l.signatures[i];
            let st = &reg.slips[s.slip.as_str()];
            let mut v = Verdict::new(Kind::Slip, i, &s.slip, st.first_at, st.code, st.rule);
            v.detail = st.detail.clone();
            v.until = st.effective_at;
            v
        }
        Kind::Discount => {
            let d = &l.discounts[i];
            let code = if d.is_signed() {
                Code::Approved
            } else {
                Code::Unsigned
            };
            let mut v = Verdict::new(kind, i, id, at, code, "R7");
            v.phone = Some(d.phone);
            v
        }
        Kind::Booking => booking::verdict(reg, &booking::BookingInput::of(&l.bookings[i], i)),
        Kind::Violation => {
            let x = &l.violations[i];
            let mut v = Verdict::new(kind, i, id, at, Code::Penalty, "R8");
            v.phone = x.phone;
            v.channel = Some(x.channel.clone());
            v.broker = x.broker.clone();
            v.amount = Some(penalty::fine(reg.config, x));
            v
        }
    }
}

fn record_phone(l: &Ledger, kind: Kind, i: usize) -> Option<Phone> {
    match kind {
        Kind::Report => Some(l.reports[i].phone),
        Kind::Contact => Some(l.contacts[i].phone),
        Kind::Direct => Some(l.directs[i].phone),
        Kind::Booking => Some(l.bookings[i].phone),
        Kind::Discount => Some(l.discounts[i].phone),
        Kind::Violation => l.violations[i].phone,
        Kind::Relation => Some(l.relations[i].phone),
        Kind::Slip | Kind::Void => None,
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;

    const AS_OF: &str = "2026-05-01 00:00";

    #[test]
    fn records_after_the_as_of_time_do_not_exist() {
        let l = Lb::new().call("C1", "2026-03-01 10:00", P1).report(
            "R1",
            "2026-03-02 10:00",
            "链家",
            "王五",
            P1,
        );
        let e = l.eval("2026-03-01 12:00");
        assert!(e.verdict("R1").is_none());
        assert!(e.verdict("C1").is_some());
    }

    #[test]
    fn a_void_removes_its_target_everywhere_once_it_exists() {
        // C1 made R1 known-client; voiding C1 on 03-10 makes R1 accepted as of any time after,
        // while before the void C1 still stands.
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-02 10:00", "链家", "王五", P1)
            .void("X1", "2026-03-10 10:00", "C1");
        assert_eq!(
            l.verdict("R1", "2026-03-09 00:00"),
            ("known-client", "R2.2")
        );
        assert_eq!(l.verdict("R1", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("C1", AS_OF), ("voided", "void"));
    }

    #[test]
    fn a_voided_void_revives_its_target() {
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("R1", "2026-03-02 10:00", "链家", "王五", P1)
            .void("X1", "2026-03-10 10:00", "C1")
            .void("X2", "2026-03-11 10:00", "X1");
        assert_eq!(l.verdict("R1", "2026-03-10 12:00"), ("accepted", "R2.6"));
        assert_eq!(l.verdict("R1", AS_OF), ("known-client", "R2.2"));
        assert_eq!(l.verdict("X1", AS_OF), ("voided", "void"));
    }

    #[test]
    fn equal_times_follow_the_kind_order() {
        // relation before contact before report: all at one instant.
        let l = Lb::new()
            .report("R1", "2026-03-01 10:00", "链家", "王五", P1)
            .call("C1", "2026-03-01 10:00", P2)
            .relation("F1", "2026-03-01 10:00", P1, P2);
        assert_eq!(l.verdict("R1", AS_OF), ("known-client", "R2.2"));
        let e = l.eval(AS_OF);
        let order: Vec<&str> = e.verdicts.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(order, vec!["F1", "C1", "R1"]);
    }

    #[test]
    fn events_order_by_instant_then_kind_then_position() {
        use super::{Event, KIND_ORDER};
        use crate::model::Kind;
        for k in Kind::ALL {
            let e = Event::new(t("2026-03-01 10:00"), k, 7);
            assert_eq!((e.kind(), e.index()), (k, 7));
            assert_eq!(KIND_ORDER[k as usize], k);
        }
        let at = |s| Event::new(t(s), Kind::Report, 0);
        // 10:00 at +08:00 is 02:00 UTC, before 03:00 at +00:00
        assert!(at("2026-03-01T10:00:00+08:00") < at("2026-03-01T03:00:00+00:00"));
        assert!(at("2026-03-01T10:00:00.5+08:00") > at("2026-03-01T10:00:00+08:00"));
        let same = t("2026-03-01 10:00");
        assert!(Event::new(same, Kind::Relation, 9) < Event::new(same, Kind::Report, 0));
        assert!(Event::new(same, Kind::Report, 1) < Event::new(same, Kind::Report, 2));
    }

    #[test]
    fn settlement_judges_what_happened_at_the_instant_of_the_last_booking() {
        // the visit at the booking's very minute makes the booking the channel's
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .signed("S-C1", "2026-03-02 10:00")
            .booking("B1", "2026-03-02 10:00", P1);
        let (at, tz) = (t(AS_OF), l.l.config.timezone);
        let from = super::settle::month_start(2026, 3, tz).unwrap();
        let before = super::settle::month_after(2026, 3, tz).unwrap();
        let bounded = super::evaluate_scoped(&l.l, at, super::Scope::Settlement { from, before });
        let lines = super::settle::month_lines(&bounded, 2026, 3, tz);
        let kinds: Vec<_> = lines.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(kinds, ["agency_fee", "channel_commission"]);
        assert_eq!(
            lines,
            super::settle::month_lines(&super::evaluate(&l.l, at), 2026, 3, tz)
        );
    }

    #[test]
    fn settlement_judges_a_booking_before_the_month_whose_slip_takes_effect_in_it() {
        // booked on 03-30; the developer signs the slip on 04-03: April owes the commission
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .sign("S-C1", "2026-03-02 11:00", "reception", "李")
            .sign("S-C1", "2026-03-02 12:00", "site_manager", "付柏")
            .sign("S-C1", "2026-03-02 13:00", "final", "任总")
            .booking("B1", "2026-03-30 10:00", P1)
            .sign("S-C1", "2026-04-03 09:00", "developer", "陈建")
            .booking("B2", "2026-03-30 11:00", P2);
        let (at, tz) = (t(AS_OF), l.l.config.timezone);
        let from = super::settle::month_start(2026, 4, tz).unwrap();
        let before = super::settle::month_after(2026, 4, tz).unwrap();
        let bounded = super::evaluate_scoped(&l.l, at, super::Scope::Settlement { from, before });
        let judged: Vec<&str> = bounded.verdicts.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(judged, ["B1"], "B2 can have no line in April");
        let lines = super::settle::month_lines(&bounded, 2026, 4, tz);
        let kinds: Vec<_> = lines.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(kinds, ["channel_commission"]);
        assert_eq!(
            lines,
            super::settle::month_lines(&super::evaluate(&l.l, at), 2026, 4, tz)
        );
    }

    #[test]
    fn a_slip_appears_once_at_its_first_signature() {
        let l = Lb::new().signed("S1", "2026-03-01 10:00");
        let e = l.eval(AS_OF);
        assert_eq!(e.verdicts.len(), 1);
        assert_eq!(e.verdict("S1").unwrap().code.as_str(), "effective");
    }
}

#[cfg(test)]
mod causality {
    //! Honest appends never change a verdict: a report, contact or direct slip at time t gets
    //! the same verdict from the whole ledger as from the ledger cut at t.
    use super::testkit::*;
    use crate::model::Ledger;
    use proptest::prelude::*;

    fn cut(l: &Ledger, t: crate::model::Time) -> Ledger {
        let mut c = l.clone();
        c.reports.retain(|r| r.at <= t);
        c.contacts.retain(|r| r.at <= t);
        c.signatures.retain(|r| r.at <= t);
        c.directs.retain(|r| r.presented_at <= t);
        c.bookings.retain(|r| r.at <= t);
        c.discounts.retain(|r| r.at <= t);
        c.violations.retain(|r| r.at <= t);
        c.relations.retain(|r| r.at <= t);
        c
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn verdicts_never_depend_on_later_records(ops in proptest::collection::vec(op(), 1..40)) {
            let l = random_ledger(&ops, false);
            let end = t("2026-06-01 00:00");
            let whole = super::evaluate(&l.l, end);
            for v in whole.verdicts.iter().filter(|v| matches!(v.kind, crate::model::Kind::Report | crate::model::Kind::Contact | crate::model::Kind::Direct)) {
                let c = cut(&l.l, v.at);
                let part = super::evaluate(&c, end);
                let w = part.verdict(&v.id).expect("the record is in the cut");
                prop_assert_eq!((v.code, v.rule, v.cite.as_ref().map(|c| &c.id)), (w.code, w.rule, w.cite.as_ref().map(|c| &c.id)), "record {}", v.id);
                prop_assert_eq!(&v.findings, &w.findings);
            }
        }
    }
}

#[cfg(test)]
mod properties {
    //! Whole-engine properties on random ledgers.
    use super::settle;
    use super::testkit::*;
    use super::verdict::Code;
    use crate::model::Ledger;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// (id, code, rule, cited id, finding codes) of every verdict, sorted.
    type Summary = Vec<(
        crate::model::Text,
        &'static str,
        &'static str,
        Option<crate::model::Text>,
        Vec<&'static str>,
    )>;

    fn summary(l: &Ledger) -> Summary {
        let e = super::evaluate(l, t("2026-06-01 00:00"));
        let mut v: Vec<_> = e
            .verdicts
            .iter()
            .map(|v| {
                (
                    v.id.clone(),
                    v.code.as_str(),
                    v.rule,
                    v.cite.as_ref().map(|c| c.id.clone()),
                    v.findings.iter().map(|f| f.code.as_str()).collect(),
                )
            })
            .collect();
        v.sort();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        #[test]
        fn every_booking_has_exactly_one_owner(ops in proptest::collection::vec(op(), 1..50)) {
            let l = random_ledger(&ops, false);
            let e = super::evaluate(&l.l, t("2026-06-01 00:00"));
            for b in &l.l.bookings {
                let owners: Vec<Code> = e.verdicts.iter().filter(|v| v.id == b.id).map(|v| v.code).collect();
                prop_assert_eq!(owners.len(), 1);
                prop_assert!(matches!(owners[0], Code::Developer | Code::Channel | Code::Agency));
            }
        }

        #[test]
        fn settlement_lines_sum_to_the_payee_totals(ops in proptest::collection::vec(op(), 1..50)) {
            let l = random_ledger(&ops, false);
            let e = super::evaluate(&l.l, t("2026-06-01 00:00"));
            let lines = settle::lines(&e);
            let totals = settle::by_payee(&lines);
            let all: Decimal = lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(totals.iter().map(|(_, _, a)| *a).sum::<Decimal>(), all);
            prop_assert_eq!(totals.iter().map(|(_, n, _)| *n).sum::<usize>(), lines.len());
            for (payee, n, amount) in &totals {
                let mine: Vec<_> = lines.iter().filter(|l| l.payee == *payee).collect();
                prop_assert_eq!(mine.len(), *n);
                prop_assert_eq!(mine.iter().map(|l| l.amount).sum::<Decimal>(), *amount);
            }
        }

        #[test]
        fn shuffling_rows_changes_no_verdict_when_times_differ(ops in proptest::collection::vec(op(), 1..50), seed in any::<u64>()) {
            let l = random_ledger(&ops, true);
            let mut shuffled = l.l.clone();
            shuffle(&mut shuffled, seed);
            prop_assert_eq!(summary(&l.l), summary(&shuffled));
        }

        #[test]
        fn the_family_scope_judges_a_family_as_the_whole_ledger_does(
            ops in proptest::collection::vec(op(), 1..50),
            p in 0u64..4,
            void in proptest::option::of(0usize..50),
        ) {
            let mut l = random_ledger(&ops, false);
            if let Some(n) = void.filter(|n| *n < ops.len()) {
                l = l.void("X1", "2026-03-20 00:00", &format!("N{n}"));
            }
            let (at, phone) = (t("2026-06-01 00:00"), crate::model::Phone(13800000000 + p));
            let prospect = super::check::Prospect::default();
            let whole = super::evaluate(&l.l, at);
            let part = super::evaluate_scoped(&l.l, at, super::Scope::Family(phone));
            let (mut w, mut s) = (
                super::check::client_status(&whole, phone, &prospect),
                super::check::client_status(&part, phone, &prospect),
            );
            let timeline = |e: &super::Evaluation, idx: &[usize]| -> Vec<super::Verdict> {
                idx.iter().map(|&i| e.verdicts[i].clone()).collect()
            };
            prop_assert_eq!(timeline(&whole, &w.timeline), timeline(&part, &s.timeline));
            (w.timeline, s.timeline) = (vec![], vec![]);
            prop_assert_eq!(format!("{w:?}"), format!("{s:?}"));
        }

        #[test]
        fn a_month_settles_alike_from_the_records_up_to_its_end_and_from_all(
            ops in proptest::collection::vec(op(), 1..50),
            month in 3u32..5,
        ) {
            let l = random_ledger(&ops, false);
            let (at, tz) = (t("2026-06-01 00:00"), l.l.config.timezone);
            let from = settle::month_start(2026, month, tz).unwrap();
            let before = settle::month_after(2026, month, tz).unwrap();
            let bounded = super::evaluate_scoped(&l.l, at, super::Scope::Settlement { from, before });
            prop_assert_eq!(
                settle::month_lines(&super::evaluate(&l.l, at), 2026, month, tz),
                settle::month_lines(&bounded, 2026, month, tz)
            );
        }

        #[test]
        fn output_is_the_same_every_time(ops in proptest::collection::vec(op(), 1..50)) {
            let l = random_ledger(&ops, false);
            let style = crate::render::Style { lang: crate::render::Lang::Zh, tz: l.l.config.timezone, reveal: false };
            let render = || {
                let e = super::evaluate(&l.l, t("2026-06-01 00:00"));
                let mut out = crate::render::replay::json(&e.verdicts, &style);
                let lines = settle::lines(&e);
                out.push_str(&crate::render::settle::lines_json(&lines, &style));
                out.push_str(&crate::render::settle::payees_json(&settle::by_payee(&lines)));
                out
            };
            prop_assert_eq!(render(), render());
        }
    }

    /// A deterministic shuffle of every kind's rows (Fisher–Yates with splitmix64).
    fn shuffle(l: &mut Ledger, seed: u64) {
        let mut state = seed;
        let mut next = move |n: usize| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % n as u64) as usize
        };
        fn mix<T>(v: &mut [T], next: &mut dyn FnMut(usize) -> usize) {
            for i in (1..v.len()).rev() {
                v.swap(i, next(i + 1));
            }
        }
        mix(&mut l.reports, &mut next);
        mix(&mut l.contacts, &mut next);
        mix(&mut l.signatures, &mut next);
        mix(&mut l.directs, &mut next);
        mix(&mut l.bookings, &mut next);
        mix(&mut l.discounts, &mut next);
        mix(&mut l.violations, &mut next);
        mix(&mut l.relations, &mut next);
    }
}
