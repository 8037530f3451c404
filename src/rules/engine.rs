//! The engine: the walk over a ledger's records in evaluation order (time, then kind, then file
//! order), the registry it keeps, voids, and `step`, which hands each record to its rule file.

use super::registry::Registry;
use super::slip::{self, SlipStatus};
use super::verdict::{Code, Verdict};
use super::{
    booking, cancel, consultant, delist, direct, family, grading, penalty, query, report, resale,
    staff, visit,
};
use crate::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use smallvec::SmallVec;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    seconds: i64,
    nanos: u32,
    /// The kind (its rank in `Kind`'s order, top five bits) and the position in its list.
    kind_index: u32,
}

impl Event {
    pub(super) fn new(at: Time, kind: Kind, index: usize) -> Event {
        Event {
            seconds: at.timestamp(),
            nanos: at.timestamp_subsec_nanos(),
            kind_index: rank_and_index(kind as usize, index),
        }
    }

    pub(super) fn kind(self) -> Kind {
        Kind::ALL[rank_index_of(self.kind_index).0]
    }

    pub(super) fn index(self) -> usize {
        rank_index_of(self.kind_index).1
    }
}

/// Evaluates the ledger as of `as_of`: only records with at ≤ as_of exist; records voided by a
/// void at or before as_of are ignored everywhere (RULES.md "Voids").
pub fn evaluate(ledger: &Ledger, as_of: Time) -> Evaluation<'_> {
    super::scope::evaluate_scoped(ledger, as_of, super::Scope::All)
}

/// Judges `events` in order, handing each verdict, with its event, to `out`.
pub(super) fn judge<'l>(
    reg: &mut Registry<'l>,
    events: Vec<Event>,
    out: &mut dyn FnMut(Event, Verdict),
) {
    let l = reg.ledger;
    let mut events = events;
    // evaluation order: time, then kind (in `Kind::ALL` order), then file order. A stable sort: files written in time
    // order are sorted runs, which it merges in linear time.
    events.sort();
    let mut seen_slips: HashSet<&str> = HashSet::default();
    for e in events {
        let (kind, i) = (e.kind(), e.index());
        if kind == Kind::Slip && !seen_slips.insert(l.signatures[i].slip.as_str()) {
            continue;
        }
        out(e, step(reg, kind, i));
    }
}

/// Two streams, each in evaluation order, handed to `out` as one stream in evaluation order.
pub(super) fn merge<T>(
    a: impl Iterator<Item = (Event, T)>,
    b: impl Iterator<Item = (Event, T)>,
    out: &mut dyn FnMut(T),
) {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some((x, _)), Some((y, _))) if x <= y => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some((_, v)) => out(v),
            None => return,
        }
    }
}

/// R1: the families as of `as_of`: every relation at or before it, not voided.
pub(super) fn families_as_of(l: &Ledger, as_of: Time, voided: &HashSet<&str>) -> family::Families {
    let mut families = family::Families::default();
    for r in &l.relations {
        if r.at <= as_of && r.joins_family() && !voided.contains(r.id.as_str()) {
            families.link(r.phone, r.other_phone);
        }
    }
    families
}

/// The records at or before `as_of`, in two lists as `shard` picks them by kind, position and
/// time (`None`: not judged). Each list is put in evaluation order by the shard that judges it.
/// The kinds are gathered on two threads, reports and signatures (the two longest lists) on one.
pub(super) fn events(
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
///
/// Each void has one target, so the voids hang under their targets as a forest: an id is voided
/// when one of the voids naming it is not. Every id is decided once, children first, with an
/// explicit stack (a chain of voids of voids may be thousands deep): linear in the voids. A
/// cycle of voids (a ledger error, `checks::void_links`) cannot recurse: an id whose decision is
/// under way counts as not voided.
pub(super) fn voided_ids(l: &Ledger, as_of: Time) -> HashSet<&str> {
    let mut by_target: HashMap<&str, Vec<&str>> = HashMap::default();
    for v in l.voids.iter().filter(|v| v.at <= as_of) {
        by_target
            .entry(v.target.as_str())
            .or_default()
            .push(v.id.as_str());
    }
    // id -> voided; an id on the stack is there as `false` until decided
    let mut decided: HashMap<&str, bool> = HashMap::default();
    let mut stack: Vec<(&str, usize)> = vec![];
    for &target in by_target.keys() {
        if decided.contains_key(target) {
            continue;
        }
        decided.insert(target, false);
        stack.push((target, 0));
        while let Some((id, next)) = stack.last_mut() {
            let voids = by_target.get(id).map_or(&[][..], Vec::as_slice);
            if let Some(&void) = voids.get(*next) {
                *next += 1;
                if let std::collections::hash_map::Entry::Vacant(e) = decided.entry(void) {
                    e.insert(false);
                    stack.push((void, 0));
                }
                continue;
            }
            let voided = voids.iter().any(|v| !decided[v]);
            let id = *id;
            stack.pop();
            decided.insert(id, voided);
        }
    }
    by_target.into_keys().filter(|t| decided[t]).collect()
}

/// R5: the status as of `as_of` of every slip signed by then (of those in `only`, when given),
/// from its signatures in evaluation order.
pub(super) fn slip_statuses<'l>(
    l: &'l Ledger,
    as_of: Time,
    only: Option<HashSet<&'l str>>,
) -> HashMap<&'l str, SlipStatus> {
    // a slip has about four signatures: kept inline, no allocation per slip
    type Signed = SmallVec<[(Time, u32); 4]>;
    // room for a slip per three signatures: the map seldom grows (a slip has about four)
    let room = only.as_ref().map_or(l.signatures.len() / 3, HashSet::len);
    let mut by_slip: HashMap<&str, Signed> =
        HashMap::with_capacity_and_hasher(room, Default::default());
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
    let mut statuses = HashMap::with_capacity_and_hasher(by_slip.len(), Default::default());
    for (id, mut sigs) in by_slip {
        if sigs.is_empty() {
            continue; // a slip nobody signed has no status
        }
        sigs.sort_unstable();
        let refs: SmallVec<[&Signature; 4]> = sigs
            .iter()
            .map(|&(_, i)| &l.signatures[i as usize])
            .collect();
        statuses.insert(id, slip::slip_status(&l.config, &refs));
    }
    statuses
}

/// Judges one record and tells the registry what it changed: a voided record is `voided`; any
/// other goes to its rule file.
pub(super) fn step(reg: &mut Registry, kind: Kind, i: usize) -> Verdict {
    let l = reg.ledger;
    let Stamp { id, at, .. } = l.stamp(kind, i);
    if reg.voided.contains(id) {
        let mut v = Verdict::new(kind, i, id, at, Code::Voided, "void");
        v.phone = l.phone(kind, i);
        return v;
    }
    match kind {
        Kind::Void => Verdict::new(kind, i, id, at, Code::Recorded, "void"),
        Kind::Relation => family::step(reg, i),
        Kind::Staff => staff::verdict(reg, i),
        Kind::Delisting => delist::verdict(reg, i),
        Kind::Direct => direct::step(reg, i),
        Kind::Contact => {
            let v = visit::step(reg, i);
            consultant::contact(reg, i, v)
        }
        Kind::Handover => consultant::handover(reg, i),
        Kind::Report => report::step(reg, i),
        Kind::Slip => slip::step(reg, i),
        Kind::Discount => booking::approval(reg, i),
        Kind::Query => query::step(reg, i),
        Kind::Booking => {
            let v = booking::step(reg, i);
            let v = cancel::booking_findings(reg, i, v);
            consultant::booking(reg, i, v)
        }
        Kind::Cancellation => cancel::verdict(reg, i),
        Kind::Viewing => resale::viewing_verdict(reg, i),
        Kind::Deal => resale::deal_verdict(reg, i),
        Kind::Violation => penalty::verdict(reg, i),
        Kind::Grade => grading::verdict(reg, i),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    #[test]
    fn events_order_by_instant_then_kind_then_position() {
        use super::Event;
        use crate::model::Kind;
        for &k in Kind::ALL {
            let e = Event::new(t("2026-03-01 10:00"), k, 7);
            assert_eq!((e.kind(), e.index()), (k, 7));
            assert_eq!(Kind::ALL[k as usize], k);
        }
        let at = |s| Event::new(t(s), Kind::Report, 0);
        // 10:00 at +08:00 is 02:00 UTC, before 03:00 at +00:00
        assert!(at("2026-03-01T10:00:00+08:00") < at("2026-03-01T03:00:00+00:00"));
        assert!(at("2026-03-01T10:00:00.5+08:00") > at("2026-03-01T10:00:00+08:00"));
        let same = t("2026-03-01 10:00");
        assert!(Event::new(same, Kind::Relation, 9) < Event::new(same, Kind::Report, 0));
        assert!(Event::new(same, Kind::Report, 1) < Event::new(same, Kind::Report, 2));
    }
}
