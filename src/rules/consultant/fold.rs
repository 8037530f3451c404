//! R11.2 the consultant of record 归属责任人 (the fold, R11.2d recycle), R11.3 a handover's code
//! and R11.4 the developing consultant 开发人.

use super::super::engine::Event;
use super::super::time::period_end;
use super::super::verdict::Code;
use super::name;
use super::state::Employment;
use crate::model::{Config, ContactKind, Handover, Kind, Ledger, Text, Time};
use rustc_hash::FxHashMap as HashMap;

/// The consultant of record and how they became it.
#[derive(Clone, Debug, PartialEq)]
pub struct Holder {
    pub name: Text,
    /// The time of the record that made them the consultant of record.
    pub since: Time,
    /// That record's kind and id.
    pub by: (Kind, Text),
}

/// The context every fold needs.
pub struct Ctx<'a> {
    pub l: &'a Ledger,
    pub employment: &'a Employment,
}

impl Ctx<'_> {
    pub(super) fn cfg(&self) -> &Config {
        &self.l.config
    }

    pub(super) fn at(&self, e: Event) -> Time {
        self.l.stamp(e.kind(), e.index()).at
    }

    /// R11.2d: the recycle deadline of holder `h`, given the latest contact naming them.
    fn deadline(&self, h: &Holder, named: Option<Time>) -> Option<Time> {
        let days = self.cfg().consultants.recycle_days;
        (days > 0).then(|| {
            let from = named.map_or(h.since, |n| n.max(h.since));
            period_end(from, days, self.cfg().day_count, self.cfg().timezone)
        })
    }

    /// R11.2: the consultant of record after folding `events` (a family's records in
    /// evaluation order) at question time `question`.
    pub(super) fn fold(&self, events: &[Event], question: Time) -> Option<Holder> {
        self.fold_with(events, question).0
    }

    /// The fold, and the recycle deadline of the holder at the end (R17 `recycle`).
    pub(super) fn fold_with(
        &self,
        events: &[Event],
        question: Time,
    ) -> (Option<Holder>, Option<Time>) {
        let mut holder: Option<Holder> = None;
        let mut named: HashMap<&str, Time> = HashMap::default();
        let recycle = |holder: &mut Option<Holder>, named: &HashMap<&str, Time>, s: Time| {
            if let Some(h) = holder
                && let Some(deadline) = self.deadline(h, named.get(h.name.as_str()).copied())
                && deadline < s
            {
                *holder = None;
            }
        };
        for &e in events {
            let s = self.at(e);
            recycle(&mut holder, &named, s);
            let i = e.index();
            match e.kind() {
                Kind::Contact => {
                    let c = &self.l.contacts[i];
                    if let Some(x) = name(c.consultant.as_ref()) {
                        named.insert(x, s);
                        if c.kind == ContactKind::Visit && holder.is_none() {
                            holder = Some(made(x, s, Kind::Contact, &c.id));
                        }
                    }
                }
                Kind::Handover => {
                    let h = &self.l.handovers[i];
                    let current = holder.as_ref().map(|h| h.name.as_str());
                    if handover_code(self.employment, current, h) == Code::Applied {
                        holder = Some(made(h.to.trim(), s, Kind::Handover, &h.id));
                    }
                }
                Kind::Booking => {
                    let b = &self.l.bookings[i];
                    if holder.is_none()
                        && let Some(x) = name(b.consultant.as_ref())
                    {
                        holder = Some(made(x, s, Kind::Booking, &b.id));
                    }
                }
                _ => {}
            }
        }
        recycle(&mut holder, &named, question);
        let deadline =
            (holder.as_ref()).and_then(|h| self.deadline(h, named.get(h.name.as_str()).copied()));
        (holder, deadline)
    }

    /// R11.4: the developing consultant 开发人 — the consultant of the earliest visit naming
    /// one, else of the earliest booking naming one.
    pub(super) fn developing(&self, events: &[Event]) -> Option<Text> {
        let of = |kind: Kind| {
            (events.iter().filter(|e| e.kind() == kind)).find_map(|e| match kind {
                Kind::Contact => {
                    let c = &self.l.contacts[e.index()];
                    (c.kind == ContactKind::Visit)
                        .then(|| name(c.consultant.as_ref()))
                        .flatten()
                }
                _ => name(self.l.bookings[e.index()].consultant.as_ref()),
            })
        };
        of(Kind::Contact)
            .or_else(|| of(Kind::Booking))
            .map(Text::from)
    }
}

fn made(name: &str, since: Time, kind: Kind, id: &Text) -> Holder {
    Holder {
        name: name.into(),
        since,
        by: (kind, id.clone()),
    }
}

/// R11.3 (order per §7.1 S5): `from-mismatch`, `to-departed`, `no-change`, `applied`.
pub fn handover_code(emp: &Employment, current: Option<&str>, h: &Handover) -> Code {
    let from = name(h.from.as_ref());
    let to = h.to.trim();
    if from != current {
        Code::FromMismatch
    } else if emp.has_left(to, h.at) {
        Code::ToDeparted
    } else if from == Some(to) {
        Code::NoChange
    } else {
        Code::Applied
    }
}
