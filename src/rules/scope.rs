//! Scopes and shards: which records an evaluation judges, and on which thread. Families are
//! the unit (R1): facts that cross families — voids, slip statuses, discount approvals, cutting
//! violations, the live bookings by unit (R7 `unit-taken`) — are computed for the whole ledger before the shards run (docs/architecture.md,
//! "Facts across families").

use super::engine::{Evaluation, events, families_as_of, judge, merge, slip_statuses, voided_ids};
use super::family;
use super::registry::Registry;
use super::verdict::Verdict;
use crate::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;

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
    let mut e = match scope {
        // R15: a masked report may fit any family: the whole ledger, the family's verdicts kept
        Scope::Family(p) if super::masked::present(ledger) => {
            let family = families.members(p);
            let in_family = |v: &Verdict| v.phone.is_some_and(|q| family.binary_search(&q).is_ok());
            judge_in_shards(ledger, as_of, voided, &families, None, &in_family)
        }
        Scope::Family(p) => judge_family(ledger, as_of, voided, &families, p),
        Scope::All => judge_in_shards(ledger, as_of, voided, &families, None, &|_| true),
        Scope::Settlement { from, before } => {
            let judged = settlement_records(ledger, as_of, &families, (from, before));
            let keep = |v: &Verdict| matches!(v.kind, Kind::Booking | Kind::Violation | Kind::Deal);
            // R15: a masked report may make any family's visit valid: every record is judged
            let pick: Option<Pick> = match super::masked::present(ledger) {
                true => None,
                false => Some(&judged),
            };
            judge_in_shards(ledger, as_of, voided, &families, pick, &keep)
        }
    };
    super::masked::complete(&mut e);
    e
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
    // the members are sorted: a binary search, not a scan per record (a family of n phones
    // made every record cost n)
    let in_family = |p: Option<Phone>| p.is_some_and(|p| family.binary_search(&p).is_ok());
    let [events, _] = events(ledger, as_of, &|kind, i, _| {
        (kind == Kind::Relation || in_family(ledger.phone(kind, i))).then_some(0)
    });
    // the family's visits are the only records that ask for a slip's status
    let visit_slips: HashSet<&str> = (events.iter())
        .filter(|e| e.kind() == Kind::Contact)
        .filter_map(|e| ledger.contacts[e.index()].slip.as_deref())
        .collect();
    let slips = Arc::new(slip_statuses(ledger, as_of, Some(visit_slips)));
    let units = Arc::new(super::booking::unit_bookings(ledger, as_of, &voided));
    let mut registry = Registry::new(ledger, as_of, voided, slips);
    registry.units = units;
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
/// signed in it (a commission falls due when its slip takes effect, at its last signature), or
/// booked before it and a cancellation in the month names that booking (R12.5's reversals, due
/// at the cancellation; which cancellation is effective is a global fact, `cancel::Cancels`).
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
    // R12.5: the bookings cancelled in the month (their reversals are due in it)
    let cancelled_in_month: HashSet<&str> = (ledger.cancellations.iter())
        .filter(|c| by_the_end(c.at) && c.at >= from)
        .map(|c| c.booking.as_str())
        .collect();
    // the families that booked in the month, or before it and had a slip signed in it or a
    // booking cancelled in it, with their last booking
    // R11.8: a departed share of a booking before the month may fall due in it
    let shares = ledger.config.consultants.rate.is_some() && super::consultant::is_on(ledger);
    let claimants = departed_candidates(ledger, as_of, &root, shares);
    let share_due_in_month = |b: &Booking| {
        claimants.contains(&root(b.phone)) && {
            let due = super::consultant::departed_due(&ledger.config, b.at);
            from <= due && due < before
        }
    };
    let mut last: HashMap<Phone, Time> = HashMap::default();
    for b in ledger.bookings.iter().filter(|b| by_the_end(b.at)) {
        let family = root(b.phone);
        if b.at >= from
            || signed_families.contains(&family)
            || cancelled_in_month.contains(b.id.as_str())
            || share_due_in_month(b)
        {
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
                // R10.5: a deal's line is due at or after it; its verdict is computed whole
                Kind::Deal => true,
                Kind::Booking
                | Kind::Relation
                | Kind::Direct
                | Kind::Contact
                | Kind::Report
                | Kind::Handover
                | Kind::Query => ledger
                    .phone(kind, i)
                    .and_then(|p| booked.get(&p))
                    .is_some_and(|last| at <= *last),
                Kind::Slip
                | Kind::Discount
                | Kind::Void
                | Kind::Staff
                | Kind::Delisting
                | Kind::Cancellation
                | Kind::Viewing => false,
                Kind::Grade => false,
            }
    }
}

/// R11.5: the families (by their smallest phone) that may have a departed claimant: a departed
/// claimant is the family's developing consultant (R11.4), named by a visit or a booking of a
/// member, who has left by a `leave` row. Families as of T hold the families as of any booking,
/// so a family none of whose visits or bookings names a consultant with a `leave` row has no
/// departed share. Empty when shares are off. (Without this, settling the month after a quarter
/// judged every family that booked in the quarter.)
fn departed_candidates(
    ledger: &Ledger,
    as_of: Time,
    root: &impl Fn(Phone) -> Phone,
    shares: bool,
) -> HashSet<Phone> {
    let leavers: HashSet<&str> = (ledger.staff.iter())
        .filter(|s| shares && s.event == StaffEvent::Leave && s.at <= as_of)
        .map(|s| s.consultant.trim())
        .collect();
    if leavers.is_empty() {
        return HashSet::default();
    }
    let left = |c: &Option<Text>| c.as_deref().is_some_and(|c| leavers.contains(c.trim()));
    let visits = (ledger.contacts.iter())
        .filter(|c| c.kind == ContactKind::Visit && c.at <= as_of && left(&c.consultant))
        .map(|c| c.phone);
    let bookings = (ledger.bookings.iter())
        .filter(|b| b.at <= as_of && left(&b.consultant))
        .map(|b| b.phone);
    visits.chain(bookings).map(root).collect()
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
    let one_shard = super::masked::present(ledger); // R15: masked holds cross families
    let shard = |kind, i, at| -> Option<usize> {
        judged(kind, i, at).then(|| match ledger.phone(kind, i) {
            _ if one_shard => 0,
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
    // R7 unit-taken: a fact across families, indexed before the shards
    let units = Arc::new(super::booking::unit_bookings(ledger, as_of, &voided));
    let judge_shard = |events| {
        let mut registry = Registry::new(ledger, as_of, voided.clone(), Arc::clone(&slips));
        registry.units = Arc::clone(&units);
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
