//! Scopes and shards: which records an evaluation judges, and on which thread. Families are
//! the unit (R1): facts that cross families — voids, slip statuses, discount approvals, cutting
//! violations, the live bookings by unit (R7 `unit-taken`) — are computed for the whole ledger before the shards run (docs/architecture.md,
//! "Facts across families").

use super::engine::{
    Evaluation, Event, events, families_as_of, judge, merge, slip_statuses, voided_ids,
};
use super::family;
use super::registry::Registry;
use super::verdict::Verdict;
use crate::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

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
/// judged on two threads, whose verdicts are merged in evaluation order, and their registries.
pub fn evaluate_scoped<'l>(ledger: &'l Ledger, as_of: Time, scope: Scope) -> Evaluation<'l> {
    let mut verdicts = vec![];
    let registry = judge_scope(ledger, as_of, scope, &Some, &mut |v| verdicts.push(v));
    let mut e = Evaluation { verdicts, registry };
    super::masked::complete(&mut e);
    e
}

/// `evaluate_scoped` with each verdict handed to `each`, in evaluation order, as soon as it is
/// judged, none kept (a million rows' verdicts are never held at once); returns the registry as
/// it stands at the as-of time.
pub fn evaluate_each<'l>(
    ledger: &'l Ledger,
    as_of: Time,
    scope: Scope,
    each: &mut dyn FnMut(Verdict),
) -> Registry<'l> {
    evaluate_map(ledger, as_of, scope, &Some, each)
}

/// `evaluate_each` with each verdict first turned by `map` into what `each` is handed, on the
/// thread that judged it (so the two shards' threads share that work too); a verdict `map` turns
/// into `None` is left out.
///
/// R15.4: a masked report learns the visit that completes it only later, so when the ledger has
/// masked reports the scope is judged twice: once for the completions, once handing verdicts on.
pub fn evaluate_map<'l, R: Send>(
    ledger: &'l Ledger,
    as_of: Time,
    scope: Scope,
    map: &(dyn Fn(Verdict) -> Option<R> + Sync),
    each: &mut dyn FnMut(R),
) -> Registry<'l> {
    if !super::masked::present(ledger) {
        return judge_scope(ledger, as_of, scope, map, each);
    }
    let first = judge_scope(ledger, as_of, scope, &|_| None::<()>, &mut |_| {});
    let done = super::masked::completions(&first);
    let completed = |mut v| {
        super::masked::fill(&done, &mut v);
        map(v)
    };
    judge_scope(ledger, as_of, scope, &completed, each)
}

/// Judges the scope's records, handing the verdicts it keeps, turned by `map`, to `each` in
/// evaluation order.
fn judge_scope<'l, R: Send>(
    ledger: &'l Ledger,
    as_of: Time,
    scope: Scope,
    map: &(dyn Fn(Verdict) -> Option<R> + Sync),
    each: &mut dyn FnMut(R),
) -> Registry<'l> {
    let voided = Arc::new(voided_ids(ledger, as_of));
    let families = families_as_of(ledger, as_of, &voided);
    match scope {
        // R15: a masked report may fit any family: the whole ledger, the family's verdicts kept
        Scope::Family(p) if super::masked::present(ledger) => {
            let family = families.members(p);
            let in_family = |v: Verdict| {
                let kept = v.phone.is_some_and(|q| family.binary_search(&q).is_ok());
                kept.then(|| map(v)).flatten()
            };
            judge_in_shards(ledger, as_of, voided, &families, None, &in_family, each)
        }
        Scope::Family(p) => judge_family(ledger, as_of, voided, &families, p, map, each),
        Scope::All => judge_in_shards(ledger, as_of, voided, &families, None, map, each),
        Scope::Settlement { from, before } => {
            let judged = settlement_records(ledger, as_of, &families, (from, before));
            let paid = |v: Verdict| {
                let kept = matches!(v.kind, Kind::Booking | Kind::Violation | Kind::Deal);
                kept.then(|| map(v)).flatten()
            };
            // R15: a masked report may make any family's visit valid: every record is judged
            let pick: Option<Pick> = match super::masked::present(ledger) {
                true => None,
                false => Some(&judged),
            };
            judge_in_shards(ledger, as_of, voided, &families, pick, &paid, each)
        }
    }
}

/// Picks records by kind, position and time.
type Pick<'a> = &'a (dyn Fn(Kind, usize, Time) -> bool + Sync);

/// `Scope::Family`: the family's records and every relation.
fn judge_family<'l, R>(
    ledger: &'l Ledger,
    as_of: Time,
    voided: Arc<HashSet<&'l str>>,
    families: &family::Families,
    phone: Phone,
    map: &dyn Fn(Verdict) -> Option<R>,
    each: &mut dyn FnMut(R),
) -> Registry<'l> {
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
    judge(&mut registry, events, &mut |_, v| {
        if let Some(r) = in_family(v.phone).then(|| map(v)).flatten() {
            each(r)
        }
    });
    registry
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

/// Judges the records `pick` picks (all when `None`) in two shards on two threads, each verdict
/// turned by `map` on its shard's thread, and hands what `map` keeps to `each` on this thread,
/// merged in evaluation order as it comes.
fn judge_in_shards<'l, R: Send>(
    ledger: &'l Ledger,
    as_of: Time,
    voided: Arc<HashSet<&'l str>>,
    families: &family::Families,
    pick: Option<Pick>,
    map: &(dyn Fn(Verdict) -> Option<R> + Sync),
    each: &mut dyn FnMut(R),
) -> Registry<'l> {
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
    // each shard sends its verdicts in batches; a few batches wait at most, so a shard runs
    // ahead of the other by little more than that. A drained batch's room goes back to its
    // shard (fresh room each time is freed on another thread, and faulted in again)
    let judge_shard = |events: Vec<Event>, to: SyncSender<Batch<R>>, spare: Receiver<Batch<R>>| {
        let mut registry = Registry::new(ledger, as_of, voided.clone(), Arc::clone(&slips));
        registry.units = Arc::clone(&units);
        let room = || {
            spare
                .try_recv()
                .unwrap_or_else(|_| Batch::with_capacity(BATCH))
        };
        let mut batch = room();
        judge(&mut registry, events, &mut |e, v| {
            let Some(r) = map(v) else { return };
            batch.push_back((e, r));
            if batch.len() == BATCH {
                // a receiver gone (its thread panicked) is told by the join below
                _ = to.send(std::mem::replace(&mut batch, room()));
            }
        });
        _ = to.send(batch);
        registry
    };
    let (mut registry, their_registry) = std::thread::scope(|s| {
        let (to_a, from_a) = sync_channel(QUEUE);
        let (to_b, from_b) = sync_channel(QUEUE);
        let (back_a, spare_a) = channel();
        let (back_b, spare_b) = channel();
        let a = s.spawn(|| judge_shard(mine, to_a, spare_a));
        let b = s.spawn(|| judge_shard(theirs, to_b, spare_b));
        merge(drained(from_a, back_a), drained(from_b, back_b), each);
        let join = |h: std::thread::ScopedJoinHandle<'_, Registry<'l>>| {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
        };
        (join(a), join(b))
    });
    registry.absorb(their_registry);
    registry
}

/// A shard's batches one item at a time, each batch sent `back` once drained.
fn drained<T>(
    from: Receiver<Batch<T>>,
    back: Sender<Batch<T>>,
) -> impl Iterator<Item = (Event, T)> {
    let mut batch = Batch::new();
    std::iter::from_fn(move || {
        loop {
            if let Some(item) = batch.pop_front() {
                return Some(item);
            }
            let next = from.recv().ok()?;
            _ = back.send(std::mem::replace(&mut batch, next)); // the shard may be done
        }
    })
}

/// What a shard sends to the merge at a time: verdicts as `map` turned them, with their
/// events.
type Batch<T> = std::collections::VecDeque<(Event, T)>;
/// Verdicts in a batch, and batches a shard may have waiting.
const BATCH: usize = 1024;
const QUEUE: usize = 4;
