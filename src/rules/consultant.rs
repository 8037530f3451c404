//! R11 Consultant attribution 业务员客户归属 (RULES-R10.md R11.2–R11.8): the consultant of record
//! 归属责任人 of a family, handovers 归属交接, the developing consultant 开发人, the departed
//! claimant and the serving (credited) consultant of a booking.
//!
//! Switched on by a `[consultants]` table or a staff/handovers row (§0.1, §7.1 S11). Employment
//! (R11.1) is a fact across families, built whole before the shards (`Employment`); the fold is
//! re-run over the family's records each time it is asked, so a union family re-folds its
//! handovers (A15).

use super::engine::Event;
use super::registry::Registry;
use super::time::{months_end, period_end, quarter_end_plus};
use super::verdict::{Code, Finding, FindingDetail, Verdict};
use crate::model::{
    Config, ContactKind, DepartedScope, Handover, Kind, Ledger, Phone, StaffEvent, Text, Time,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// R11 switch (§0.1, §7.1 S11): a `[consultants]` table, or a staff or handovers row.
pub fn is_on(l: &Ledger) -> bool {
    l.config.consultants.table || !l.staff.is_empty() || !l.handovers.is_empty()
}

/// A consultant name as compared (RULES-R10 §1.2: trimmed); `None` when empty.
fn name(s: Option<&Text>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
}

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
    fn family(&self, reg: &Registry, phone: Phone) -> Vec<Event> {
        let mut out: Vec<Event> = (reg.families.members(phone).iter())
            .filter_map(|m| self.records.get(m))
            .flatten()
            .copied()
            .collect();
        out.sort();
        out
    }
}

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
    fn cfg(&self) -> &Config {
        &self.l.config
    }

    fn at(&self, e: Event) -> Time {
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

    /// R11.6: the serving consultant of the booking that ends `events` (the fold includes it),
    /// with the findings it carries.
    pub(super) fn serving(&self, events: &[Event]) -> (Option<Text>, Vec<Finding>) {
        let last = *events.last().expect("the booking itself");
        let b = &self.l.bookings[last.index()];
        let t = b.at;
        let emp = self.employment;
        let record = self.fold(events, t).map(|h| h.name);
        let named = name(b.consultant.as_ref());
        let mut findings = vec![];
        let serving = match (&record, named) {
            (Some(r), _) if !emp.has_left(r, t) => Some(r.clone()),
            (_, Some(x)) if !emp.has_left(x, t) => Some(Text::from(x)),
            _ => None,
        };
        match &record {
            Some(r) if emp.has_left(r, t) => findings.push(Finding::warning(
                FindingDetail::OrphanClient { record: r.clone() },
                "R11.6",
            )),
            None if serving.is_none() => {
                findings.push(Finding::warning(FindingDetail::NoConsultant, "R11.6"))
            }
            _ => {}
        }
        if let (Some(s), Some(x)) = (&serving, named)
            && s.as_str() != x
        {
            findings.push(Finding::warning(
                FindingDetail::ConsultantMismatch { record: s.clone() },
                "R11.6",
            ));
        }
        (serving, findings)
    }

    /// R11.5: the departed claimant of the booking that ends `events`, at its time `t`.
    pub(super) fn departed(
        &self,
        events: &[Event],
        t: Time,
        cancelled: &dyn Fn(&str) -> bool,
    ) -> Option<Text> {
        let cfg = &self.cfg().consultants;
        let d = self.developing(events)?;
        let leave = self.employment.leave_at(&d, t)?;
        let end = months_end(
            leave.at,
            12 * cfg.departed_years,
            self.cfg().day_count,
            self.cfg().timezone,
        );
        if t > end {
            return None;
        }
        let before: Vec<Event> = (events.iter().copied())
            .filter(|&e| self.at(e) < leave.at)
            .collect();
        if self.fold(&before, leave.at).is_none_or(|h| h.name != d) {
            return None;
        }
        if cfg.departed_scope == DepartedScope::Dealt {
            let dealt = (0..before.len())
                .filter(|&j| before[j].kind() == Kind::Booking)
                .filter(|&j| !cancelled(&self.l.bookings[before[j].index()].id))
                .any(|j| self.serving(&before[..=j]).0.as_deref() == Some(d.as_str()));
            if !dealt {
                return None;
            }
        }
        Some(d)
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

/// The event of record `i` of `kind`, as the engine orders it.
fn event(l: &Ledger, kind: Kind, i: usize) -> Event {
    Event::new(l.stamp(kind, i).at, kind, i)
}

/// R11.3: judges handover `i` against the family's consultant of record before it (F as of
/// h.at), then registers it. The verdict's `consultant` is that consultant of record.
pub fn handover(reg: &mut Registry, i: usize) -> Verdict {
    let l = reg.ledger;
    let h = &l.handovers[i];
    let mut v = Verdict::new(Kind::Handover, i, &h.id, h.at, Code::Applied, "R11.3");
    v.phone = Some(h.phone);
    let Some(a) = reg.attribution.as_deref() else {
        return v; // R11 is off only when there is no handover row: never reached
    };
    let ctx = Ctx {
        l,
        employment: &a.employment,
    };
    let events = a.family(reg, h.phone);
    let current = ctx.fold(&events, h.at).map(|h| h.name);
    v.code = handover_code(&a.employment, current.as_deref(), h);
    v.consultant = current;
    let e = event(l, Kind::Handover, i);
    if let Some(a) = reg.attribution.as_deref_mut() {
        a.add(h.phone, e);
    }
    v
}

/// R11.7: a contact's findings (warnings), against the consultant of record before it; then the
/// contact is registered for later folds.
pub fn contact(reg: &mut Registry, i: usize, mut v: Verdict) -> Verdict {
    let l = reg.ledger;
    let Some(a) = reg.attribution.as_deref() else {
        return v;
    };
    let c = &l.contacts[i];
    let emp = &*a.employment;
    let ctx = Ctx { l, employment: emp };
    let record = ctx.fold(&a.family(reg, c.phone), c.at).map(|h| h.name);
    let visit = c.kind == ContactKind::Visit;
    let named = name(c.consultant.as_ref());
    if let (true, Some(r), Some(x)) = (visit, &record, named)
        && !emp.has_left(r, c.at)
        && r.as_str() != x
    {
        v.findings.push(Finding::warning(
            FindingDetail::ConsultantMismatch { record: r.clone() },
            "R11.7",
        ));
    }
    if let Some(x) = named
        && emp.has_left(x, c.at)
    {
        v.findings.push(Finding::warning(
            FindingDetail::ConsultantDeparted {
                consultant: x.into(),
            },
            "R11.7",
        ));
    }
    if let (true, Some(r)) = (visit, &record)
        && emp.has_left(r, c.at)
    {
        v.findings.push(Finding::warning(
            FindingDetail::OrphanClient { record: r.clone() },
            "R11.7",
        ));
    }
    let e = event(l, Kind::Contact, i);
    if let Some(a) = reg.attribution.as_deref_mut() {
        a.add(c.phone, e);
    }
    v
}

/// The credit of a booking (R11.5, R11.6): its serving consultant and its departed claimant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Credit {
    pub serving: Option<Text>,
    pub departed: Option<Text>,
}

/// R11.5/R11.6: registers booking `i` (its own naming counts), then gives it its credit and
/// findings.
pub fn booking(reg: &mut Registry, i: usize, mut v: Verdict) -> Verdict {
    let l = reg.ledger;
    let b = &l.bookings[i];
    let e = event(l, Kind::Booking, i);
    let Some(a) = reg.attribution.as_deref_mut() else {
        return v;
    };
    a.add(b.phone, e);
    let a = reg.attribution.as_deref().expect("on");
    let ctx = Ctx {
        l,
        employment: &a.employment,
    };
    let events = a.family(reg, b.phone);
    let upto: Vec<Event> = events.into_iter().filter(|&x| x <= e).collect();
    let (serving, findings) = ctx.serving(&upto);
    let cancels = &reg.cancels;
    let departed = ctx.departed(&upto, b.at, &|id| cancels.of(id).is_some());
    v.findings.extend(findings);
    v.credit = Some(Box::new(Credit { serving, departed }));
    v
}

/// R11 for `check` and reminders at T: (consultant of record, its recycle deadline,
/// developing consultant) of `phone`'s family, over every record at ≤ T.
pub fn status_at(
    reg: &Registry,
    phone: Phone,
) -> Option<(Option<Holder>, Option<Time>, Option<Text>)> {
    let a = reg.attribution.as_deref()?;
    let ctx = Ctx {
        l: reg.ledger,
        employment: &a.employment,
    };
    let events = a.family(reg, phone);
    let (holder, deadline) = ctx.fold_with(&events, reg.as_of);
    Some((holder, deadline, ctx.developing(&events)))
}

/// R17 `departed-share`: for `phone`'s family, each departed consultant whose R11.5 (1–2) hold
/// at T — the developing consultant, left by L in force at T, holding F just before L — with the
/// end of the departed period and the leave row's id.
pub fn departed_period(reg: &Registry, phone: Phone) -> Option<(Text, Time, Text)> {
    let a = reg.attribution.as_deref()?;
    let ctx = Ctx {
        l: reg.ledger,
        employment: &a.employment,
    };
    let cfg = reg.config;
    let events = a.family(reg, phone);
    let d = ctx.developing(&events)?;
    let leave = a.employment.leave_at(&d, reg.as_of)?;
    let before: Vec<Event> = (events.iter().copied())
        .filter(|&e| ctx.at(e) < leave.at)
        .collect();
    if ctx.fold(&before, leave.at).is_none_or(|h| h.name != d) {
        return None;
    }
    let end = months_end(
        leave.at,
        12 * cfg.consultants.departed_years,
        cfg.day_count,
        cfg.timezone,
    );
    Some((d, end, leave.id.clone()))
}

/// R11.8: the due time of a departed share of a booking at `t`.
pub fn departed_due(cfg: &Config, t: Time) -> Time {
    quarter_end_plus(t, cfg.consultants.departed_pay_days, cfg.timezone)
}

/// R11 in `check` (RULES-R10 §4.3): the family's consultant of record and developing
/// consultant over every record at ≤ T, and the departed claim a booking at T would carry (the
/// claimant and the end of their departed period).
#[derive(Clone, Debug, PartialEq)]
pub struct CheckStatus {
    pub of_record: Option<Text>,
    pub developing: Option<Text>,
    pub departed_claim: Option<(Text, Time)>,
}

/// `check`'s R11 facts for `phone`'s family as of T; `None` while R11 is off.
pub fn check_status(reg: &Registry, phone: Phone) -> Option<CheckStatus> {
    let a = reg.attribution.as_deref()?;
    let ctx = Ctx {
        l: reg.ledger,
        employment: &a.employment,
    };
    let events = a.family(reg, phone);
    let t = reg.as_of;
    let cancels = &reg.cancels;
    let departed_claim = ctx
        .departed(&events, t, &|id| cancels.of(id).is_some())
        .and_then(|d| {
            let leave = a.employment.leave_at(&d, t)?;
            let cfg = reg.config;
            let years = 12 * cfg.consultants.departed_years;
            Some((d, months_end(leave.at, years, cfg.day_count, cfg.timezone)))
        });
    Some(CheckStatus {
        of_record: ctx.fold(&events, t).map(|h| h.name),
        developing: ctx.developing(&events),
        departed_claim,
    })
}

/// `attrib consultants`: one consultant's figures over a run of months.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Standing {
    pub consultant: Text,
    /// Families whose consultant of record this is at the evaluation's as-of time.
    pub clients: usize,
    /// Non-voided bookings in the months credited to this consultant (R11.6).
    pub bookings: usize,
    /// R11.8 consultant commission lines due in the months, reversals included.
    pub commission: rust_decimal::Decimal,
    /// R11.8 departed-share lines due in the months, reversals included.
    pub departed_share: rust_decimal::Decimal,
}

/// Every consultant's standing: clients held at the as-of time (the consultant of record of each
/// family), bookings in `[from, before)` credited to them, and their consultant lines due in it
/// (`lines`, as `settle::range_lines` gives them). Sorted by name.
pub fn standings(
    e: &super::Evaluation,
    lines: &[super::settle::Line],
    (from, before): (Time, Time),
) -> Vec<Standing> {
    use super::settle::LineKind;
    let reg = &e.registry;
    let mut out: std::collections::BTreeMap<Text, Standing> = Default::default();
    fn row<'a>(
        out: &'a mut std::collections::BTreeMap<Text, Standing>,
        name: &Text,
    ) -> &'a mut Standing {
        out.entry(name.clone()).or_insert_with(|| Standing {
            consultant: name.clone(),
            ..Default::default()
        })
    }
    let mut seen: HashSet<Phone> = HashSet::default();
    let l = reg.ledger;
    let phones = (l.contacts.iter().map(|c| (c.phone, c.at)))
        .chain(l.handovers.iter().map(|h| (h.phone, h.at)))
        .chain(l.bookings.iter().map(|b| (b.phone, b.at)));
    for (p, at) in phones {
        if at > reg.as_of || !seen.insert(reg.families.members(p)[0]) {
            continue;
        }
        if let Some((Some(h), _, _)) = status_at(reg, p) {
            row(&mut out, &h.name).clients += 1;
        }
    }
    for v in e.verdicts.iter().filter(|v| v.kind == Kind::Booking) {
        if let Some(s) = v.credit.as_deref().and_then(|c| c.serving.as_ref())
            && from <= v.at
            && v.at < before
        {
            row(&mut out, s).bookings += 1;
        }
    }
    for x in lines {
        match x.kind {
            LineKind::ConsultantCommission | LineKind::ConsultantCommissionReversal => {
                row(&mut out, &x.payee).commission += x.amount
            }
            LineKind::DepartedShare | LineKind::DepartedShareReversal => {
                row(&mut out, &x.payee).departed_share += x.amount
            }
            _ => {}
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::super::settle::{Line, LineKind, lines};
    use super::super::testkit::*;
    use crate::model::{Consultants, Kind, Rate};

    const PHONE: &str = "13600000001";

    /// RULES-R10 R11's examples: `rate = "0.2%"`, the other keys at their defaults.
    fn r11() -> Lb {
        let mut l = Lb::new();
        l.l.config.consultants = Consultants {
            table: true,
            rate: Some(Rate {
                text: "0.2%".into(),
                value: "0.002".parse().unwrap(),
            }),
            ..Default::default()
        };
        l
    }

    trait R11Rows {
        fn seen(self, id: &str, at: &str, kind: &str, consultant: &str) -> Self;
        fn booked(self, id: &str, at: &str, price: &str, consultant: &str) -> Self;
    }

    impl R11Rows for Lb {
        /// A contact of PHONE naming `consultant`.
        fn seen(self, id: &str, at: &str, kind: &str, consultant: &str) -> Lb {
            let cells = [
                ("id", id),
                ("at", at),
                ("kind", kind),
                ("phone", PHONE),
                ("consultant", consultant),
            ];
            self.row(Kind::Contact, &cells)
        }

        /// A booking of PHONE at `price` naming `consultant` (none when empty).
        fn booked(self, id: &str, at: &str, price: &str, consultant: &str) -> Lb {
            let cells = [
                ("id", id),
                ("at", at),
                ("unit", "1-1-101"),
                ("buyer", "王强"),
                ("phone", PHONE),
                ("list_price", price),
                ("price", price),
                ("consultant", consultant),
            ];
            let n = if consultant.is_empty() { 7 } else { 8 };
            self.row(Kind::Booking, &cells[..n])
        }
    }

    /// Example 1's ledger up to the leave: C1 visit naming 张三, ST1 张三 leaves.
    fn example() -> Lb {
        r11().seen("C1", "2026-01-05 10:00", "visit", "张三").staff(
            "ST1",
            "2026-03-31 18:00",
            "张三",
            "leave",
        )
    }

    /// The consultant lines (kind, payee, amount, due) as of T.
    fn consultant_lines(l: &Lb, at: &str) -> Vec<(LineKind, String, String, String)> {
        let e = l.eval(at);
        let keep = |x: &Line| {
            matches!(
                x.kind,
                LineKind::ConsultantCommission
                    | LineKind::DepartedShare
                    | LineKind::ConsultantCommissionReversal
                    | LineKind::DepartedShareReversal
            )
        };
        (lines(&e).into_iter().filter(keep))
            .map(|x| {
                let due = x.due.format("%Y-%m-%d %H:%M:%S").to_string();
                (x.kind, x.payee.to_string(), x.amount.to_string(), due)
            })
            .collect()
    }

    fn line(
        k: LineKind,
        payee: &str,
        amount: &str,
        due: &str,
    ) -> (LineKind, String, String, String) {
        (k, payee.into(), amount.into(), due.into())
    }

    fn codes(l: &Lb, id: &str, at: &str) -> Vec<&'static str> {
        let e = l.eval(at);
        let v = e.verdict(id).unwrap();
        v.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn credited(l: &Lb, id: &str, at: &str) -> Option<String> {
        let e = l.eval(at);
        let v = e.verdict(id).unwrap();
        v.credit
            .as_ref()
            .unwrap()
            .serving
            .as_ref()
            .map(|s| s.to_string())
    }

    const T: &str = "2027-12-31 00:00";

    #[test]
    fn r11_example_1_the_departed_consultant_shares_with_the_one_handed_the_client() {
        let l = example()
            .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
            .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
        assert_eq!(l.verdict("HO1", T), ("applied", "R11.3"));
        assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
        assert!(codes(&l, "B1", T).is_empty());
        assert_eq!(
            consultant_lines(&l, T),
            [
                line(
                    LineKind::ConsultantCommission,
                    "李四",
                    "2000.00",
                    "2026-05-10 15:00:00"
                ),
                line(
                    LineKind::DepartedShare,
                    "张三",
                    "2000.00",
                    "2026-07-30 23:59:59"
                ),
            ]
        );
        let e = l.eval(T);
        let split: Vec<String> = (lines(&e).iter())
            .filter(|x| x.kind == LineKind::DepartedShare)
            .map(|x| x.rate.to_string())
            .collect();
        assert_eq!(split, ["0.1%"], "the effective rate of a split line");
    }

    #[test]
    fn r11_example_2_after_the_departed_period_the_whole_commission_is_served() {
        let l = example()
            .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
            .booked("B1", "2027-04-01 10:00", "2000000.00", "李四");
        assert_eq!(
            consultant_lines(&l, T),
            [line(
                LineKind::ConsultantCommission,
                "李四",
                "4000.00",
                "2027-04-01 10:00:00"
            )]
        );
        let e = l.eval(T);
        let rate: Vec<String> = (lines(&e).iter())
            .filter(|x| x.kind == LineKind::ConsultantCommission)
            .map(|x| x.rate.to_string())
            .collect();
        assert_eq!(rate, ["0.2%"], "an unsplit line shows the rate as written");
        // the last day of the period still counts
        let l = example()
            .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
            .booked("B1", "2027-03-31 23:00", "2000000.00", "李四");
        assert_eq!(consultant_lines(&l, T).len(), 2);
    }

    #[test]
    fn r11_example_3_split_lines_are_rounded_separately() {
        let l = example()
            .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
            .booked("B1", "2026-05-10 15:00", "1234567.00", "李四");
        assert_eq!(
            consultant_lines(&l, T),
            [
                line(
                    LineKind::ConsultantCommission,
                    "李四",
                    "1234.57",
                    "2026-05-10 15:00:00"
                ),
                line(
                    LineKind::DepartedShare,
                    "张三",
                    "1234.57",
                    "2026-07-30 23:59:59"
                ),
            ]
        );
    }

    #[test]
    fn r11_example_4_a_client_reassigned_before_the_leave_is_not_the_departed_consultants() {
        let l = example()
            .handover("HO0", "2026-02-01 09:00", PHONE, "张三", "王五")
            .booked("B1", "2026-05-10 15:00", "2000000.00", "");
        assert_eq!(l.verdict("HO0", T), ("applied", "R11.3"));
        assert_eq!(
            consultant_lines(&l, T),
            [line(
                LineKind::ConsultantCommission,
                "王五",
                "4000.00",
                "2026-05-10 15:00:00"
            )]
        );
    }

    #[test]
    fn r11_example_5_no_handover_the_named_consultant_serves_an_orphan_client() {
        let l = example().booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
        assert_eq!(codes(&l, "B1", T), ["orphan-client"]);
        assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
        assert_eq!(
            consultant_lines(&l, T),
            [
                line(
                    LineKind::ConsultantCommission,
                    "李四",
                    "2000.00",
                    "2026-05-10 15:00:00"
                ),
                line(
                    LineKind::DepartedShare,
                    "张三",
                    "2000.00",
                    "2026-07-30 23:59:59"
                ),
            ]
        );
        // nobody employed named: no serving consultant, the departed share alone
        let l = example().booked("B1", "2026-05-10 15:00", "2000000.00", "");
        assert_eq!(codes(&l, "B1", T), ["orphan-client"]);
        assert_eq!(credited(&l, "B1", T), None);
        assert_eq!(consultant_lines(&l, T).len(), 1);
    }

    #[test]
    fn r11_example_6_the_commission_follows_the_consultant_of_record() {
        let l = r11()
            .seen("C1", "2026-01-05 10:00", "visit", "李四")
            .seen("C2", "2026-02-01 10:00", "visit", "赵六")
            .booked("B1", "2026-05-10 15:00", "2000000.00", "赵六");
        let e = l.eval(T);
        let c2 = &e.verdict("C2").unwrap().findings;
        assert_eq!(c2.len(), 1);
        assert_eq!(
            c2[0].detail,
            super::FindingDetail::ConsultantMismatch {
                record: "李四".into()
            }
        );
        assert_eq!(codes(&l, "B1", T), ["consultant-mismatch"]);
        assert_eq!(
            consultant_lines(&l, T),
            [line(
                LineKind::ConsultantCommission,
                "李四",
                "4000.00",
                "2026-05-10 15:00:00"
            )]
        );
    }

    #[test]
    fn r11_example_7_a_handover_from_someone_else_changes_nothing() {
        let l = r11()
            .seen("C1", "2026-01-05 10:00", "visit", "张三")
            .handover("HO2", "2026-02-01 09:00", PHONE, "王五", "李四")
            .booked("B1", "2026-05-10 15:00", "2000000.00", "");
        assert_eq!(l.verdict("HO2", T), ("from-mismatch", "R11.3"));
        assert_eq!(credited(&l, "B1", T).as_deref(), Some("张三"));
        assert_eq!(
            consultant_lines(&l, T),
            [line(
                LineKind::ConsultantCommission,
                "张三",
                "4000.00",
                "2026-05-10 15:00:00"
            )]
        );
    }

    #[test]
    fn r11_example_8_recycle_frees_the_client_after_the_deadline() {
        let mut l = r11()
            .seen("C1", "2026-01-05 10:00", "visit", "张三")
            .seen("C2", "2026-02-04 23:00", "visit", "李四")
            .seen("C3", "2026-02-10 10:00", "visit", "李四")
            .booked("B1", "2026-02-11 10:00", "2000000.00", "");
        l.l.config.consultants.recycle_days = 30;
        assert_eq!(
            codes(&l, "C2", T),
            ["consultant-mismatch"],
            "张三's until 02-04 23:59:59"
        );
        assert!(
            codes(&l, "C3", T).is_empty(),
            "张三 lost F after the deadline"
        );
        assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
        assert_eq!(
            consultant_lines(&l, T),
            [line(
                LineKind::ConsultantCommission,
                "李四",
                "4000.00",
                "2026-02-11 10:00:00"
            )]
        );
        // without recycle 张三 keeps the client
        l.l.config.consultants.recycle_days = 0;
        assert_eq!(credited(&l, "B1", T).as_deref(), Some("张三"));
    }

    #[test]
    fn r11_3_handover_verdicts_in_order() {
        let l = r11()
            .seen("C1", "2026-01-05 10:00", "visit", "张三")
            .staff("ST1", "2026-01-10 09:00", "王五", "leave")
            .handover("HO1", "2026-02-01 09:00", PHONE, "张三", "王五")
            .handover("HO2", "2026-02-02 09:00", PHONE, " 张三 ", "张三")
            .handover("HO3", "2026-02-03 09:00", PHONE, "", "李四")
            .handover("HO4", "2026-02-04 09:00", PHONE, "张三", "李四");
        assert_eq!(l.verdict("HO1", T), ("to-departed", "R11.3"));
        assert_eq!(l.verdict("HO2", T), ("no-change", "R11.3"));
        assert_eq!(l.verdict("HO3", T), ("from-mismatch", "R11.3"));
        assert_eq!(l.verdict("HO4", T), ("applied", "R11.3"));
        // an empty `from` assigns a family that has none
        let l = r11().call("C1", "2026-01-05 10:00", P1).handover(
            "HO1",
            "2026-02-01 09:00",
            "13800000001",
            "",
            "李四",
        );
        assert_eq!(l.verdict("HO1", T), ("applied", "R11.3"));
    }

    #[test]
    fn r11_7_contacts_naming_a_departed_consultant_and_orphan_visits() {
        let l = example()
            .seen("C2", "2026-04-02 10:00", "call", "张三")
            .seen("C3", "2026-04-03 10:00", "visit", "李四");
        assert_eq!(codes(&l, "C2", T), ["consultant-departed"]);
        assert_eq!(codes(&l, "C3", T), ["orphan-client"]);
    }

    #[test]
    fn r11_5_dealt_scope_needs_a_booking_served_before_the_leave() {
        let mut l = example().booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
        l.l.config.consultants.departed_scope = crate::model::DepartedScope::Dealt;
        assert_eq!(
            consultant_lines(&l, T),
            [line(
                LineKind::ConsultantCommission,
                "李四",
                "4000.00",
                "2026-05-10 15:00:00"
            )]
        );
        let mut l = r11()
            .seen("C1", "2026-01-05 10:00", "visit", "张三")
            .booked("B0", "2026-02-01 10:00", "1000000.00", "")
            .staff("ST1", "2026-03-31 18:00", "张三", "leave")
            .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
        l.l.config.consultants.departed_scope = crate::model::DepartedScope::Dealt;
        assert_eq!(consultant_lines(&l, T).len(), 3, "B0 to 张三, B1 split");
    }

    #[test]
    fn r11_12_5_a_cancellation_reverses_consultant_lines_due_by_then() {
        let l = example()
            .booked("B1", "2026-05-10 15:00", "2000000.00", "李四")
            .row(
                Kind::Cancellation,
                &[
                    ("id", "CX1"),
                    ("at", "2026-06-01 10:00"),
                    ("booking", "B1"),
                    ("reason", "client_breach"),
                ],
            );
        assert_eq!(
            consultant_lines(&l, T),
            [
                line(
                    LineKind::ConsultantCommission,
                    "李四",
                    "2000.00",
                    "2026-05-10 15:00:00"
                ),
                line(
                    LineKind::ConsultantCommissionReversal,
                    "李四",
                    "-2000.00",
                    "2026-06-01 10:00:00"
                ),
            ],
            "the departed share, due after the cancellation, is never due"
        );
    }

    #[test]
    fn standings_count_clients_bookings_and_lines_per_consultant() {
        let l = example()
            .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
            .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
        let e = l.eval("2026-07-31 00:00");
        let (from, before) = (t("2026-05-01 00:00"), t("2026-08-01 00:00"));
        let lines = super::super::settle::range_lines(&e, from, before);
        let rows = super::standings(&e, &lines, (from, before));
        let got: Vec<(String, usize, usize, String, String)> = (rows.iter())
            .map(|r| {
                let s = |d: rust_decimal::Decimal| d.to_string();
                (
                    r.consultant.to_string(),
                    r.clients,
                    r.bookings,
                    s(r.commission),
                    s(r.departed_share),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("张三".into(), 0, 0, "0".into(), "2000.00".into()),
                ("李四".into(), 1, 1, "2000.00".into(), "0".into()),
            ],
            "sorted by name as text"
        );
    }

    #[test]
    fn r11_2_3_equal_times_staff_then_contacts_then_handovers_then_bookings() {
        // a first visit at t gives the consultant a handover at t transfers; a leave at t is
        // already in force for a handover at t
        let l = r11()
            .seen("C1", "2026-02-01 10:00", "visit", "张三")
            .handover("HO1", "2026-02-01 10:00", PHONE, "张三", "李四")
            .staff("ST1", "2026-02-01 10:00", "王五", "leave")
            .handover("HO2", "2026-02-01 10:00", PHONE, "李四", "王五")
            .booked("B1", "2026-02-01 10:00", "2000000.00", "");
        assert_eq!(l.verdict("HO1", T), ("applied", "R11.3"));
        assert_eq!(l.verdict("HO2", T), ("to-departed", "R11.3"));
        assert_eq!(credited(&l, "B1", T).as_deref(), Some("李四"));
    }

    #[test]
    fn r11_a15_a_union_family_refolds_its_handovers() {
        // P2's family had 王五 and a handover from 王五 to 赵六; joined to PHONE's family, whose
        // first visit (张三) is earlier, the handover no longer applies
        let p2 = P2.to_string();
        let l = r11()
            .seen("C1", "2026-01-05 10:00", "visit", "张三")
            .row(
                Kind::Contact,
                &[
                    ("id", "C2"),
                    ("at", "2026-01-06 10:00"),
                    ("kind", "visit"),
                    ("phone", &p2),
                    ("consultant", "王五"),
                ],
            )
            .handover("HO1", "2026-01-07 10:00", &p2, "王五", "赵六")
            .row(
                Kind::Relation,
                &[
                    ("id", "F1"),
                    ("at", "2026-01-08 10:00"),
                    ("phone", PHONE),
                    ("relation", "spouse"),
                    ("other_phone", &p2),
                ],
            )
            .booked("B1", "2026-01-09 10:00", "2000000.00", "");
        assert_eq!(
            l.verdict("HO1", T),
            ("applied", "R11.3"),
            "judged at its time"
        );
        assert_eq!(credited(&l, "B1", T).as_deref(), Some("张三"));
    }

    #[test]
    fn r11_5_elapsed_mode_ends_the_departed_period_at_the_leave_s_wall_clock_time() {
        let mut l = example()
            .handover("HO1", "2026-04-01 09:00", PHONE, "张三", "李四")
            .booked("B1", "2027-03-31 18:00", "2000000.00", "李四")
            .booked("B2", "2027-03-31 18:01", "2000000.00", "李四");
        l.l.config.day_count = crate::model::DayCount::Elapsed;
        let e = l.eval(T);
        let departed = |id: &str| {
            e.verdict(id)
                .unwrap()
                .credit
                .as_ref()
                .unwrap()
                .departed
                .clone()
        };
        assert_eq!(departed("B1").as_deref(), Some("张三"), "inclusive end");
        assert_eq!(departed("B2"), None);
    }

    #[test]
    fn r11_is_off_without_the_table_or_rows() {
        let l = Lb::new()
            .seen("C1", "2026-01-05 10:00", "visit", "张三")
            .booked("B1", "2026-05-10 15:00", "2000000.00", "李四");
        let e = l.eval(T);
        assert!(e.verdict("B1").unwrap().credit.is_none());
        assert!(e.registry.attribution.is_none());
    }
}
