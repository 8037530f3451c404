//! R11.1 employment as of T and what R11 keeps in the registry (`Attribution`): each phone's
//! records the fold reads.

use super::super::engine::Event;
use super::super::registry::Registry;
use crate::model::{Ledger, Phone, StaffEvent, Text, Time};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// One staff row in force: its time and id, and whether it is a leave.
#[derive(Clone, Debug)]
pub struct Move {
    pub at: Time,
    pub id: Text,
    pub leave: bool,
}

/// R11.1 employment as of T, for the whole ledger: per consultant, the staff rows that count
/// (not voided, a second leave without a join in between dropped), in evaluation order.
#[derive(Clone, Debug, Default)]
pub struct Employment {
    moves: HashMap<Text, Vec<Move>>,
}

impl Employment {
    pub fn of(l: &Ledger, as_of: Time, voided: &HashSet<&str>) -> Employment {
        let mut rows: Vec<(Time, usize)> = (l.staff.iter().enumerate())
            .filter(|(_, s)| s.at <= as_of && !voided.contains(s.id.as_str()))
            .map(|(i, s)| (s.at, i))
            .collect();
        rows.sort();
        let mut moves: HashMap<Text, Vec<Move>> = HashMap::default();
        for (at, i) in rows {
            let s = &l.staff[i];
            let list = moves.entry(s.consultant.trim().into()).or_default();
            let leave = s.event == StaffEvent::Leave;
            if leave && list.last().is_some_and(|m| m.leave) {
                continue; // already-left: ignored, never the row in force (S5)
            }
            list.push(Move {
                at,
                id: s.id.clone(),
                leave,
            });
        }
        Employment { moves }
    }

    /// The staff row in force for `consultant` at `t` (staff rows come first at equal times).
    fn in_force(&self, consultant: &str, t: Time) -> Option<&Move> {
        let list = self.moves.get(consultant.trim())?;
        list.iter().take_while(|m| m.at <= t).last()
    }

    /// R11.1: whether `consultant` has left at `t`.
    pub fn has_left(&self, consultant: &str, t: Time) -> bool {
        self.in_force(consultant, t).is_some_and(|m| m.leave)
    }

    /// R11.5(1): the leave row in force for `consultant` at `t`.
    pub fn leave_at(&self, consultant: &str, t: Time) -> Option<&Move> {
        self.in_force(consultant, t).filter(|m| m.leave)
    }
}

/// What R11 keeps in the registry: employment (global) and each phone's records the fold reads
/// (visits and other contacts, handovers, bookings), as engine events in evaluation order.
#[derive(Debug, Default)]
pub struct Attribution {
    pub employment: Arc<Employment>,
    records: HashMap<Phone, Vec<Event>>,
}

impl Attribution {
    pub fn new(employment: Arc<Employment>) -> Attribution {
        Attribution {
            employment,
            records: HashMap::default(),
        }
    }

    /// Registers a judged, non-voided record of `phone` for later folds.
    pub(super) fn add(&mut self, phone: Phone, e: Event) {
        self.records.entry(phone).or_default().push(e);
    }

    /// Takes in another shard's records (its phones are disjoint).
    pub fn absorb(&mut self, other: Attribution) {
        self.records.extend(other.records);
    }

    /// The records of `phone`'s family as it stands, in evaluation order.
    pub(super) fn family(&self, reg: &Registry, phone: Phone) -> Vec<Event> {
        let mut out: Vec<Event> = (reg.families.members(phone).iter())
            .filter_map(|m| self.records.get(m))
            .flatten()
            .copied()
            .collect();
        out.sort();
        out
    }
}
