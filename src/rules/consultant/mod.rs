//! R11 Consultant attribution 业务员客户归属 (RULES-R10.md R11.2–R11.8): the consultant of record
//! 归属责任人 of a family, handovers 归属交接, the developing consultant 开发人, the departed
//! claimant and the serving (credited) consultant of a booking.
//!
//! Switched on by a `[consultants]` table or a staff/handovers row (§0.1, §7.1 S11). Employment
//! (R11.1) is a fact across families, built whole before the shards (`Employment`); the fold is
//! re-run over the family's records each time it is asked, so a union family re-folds its
//! handovers (A15).
//!
//! This file holds the engine's steps (handover R11.3, contact R11.7, booking R11.5/R11.6) and
//! the R11.8 due time; `state` the employment and records kept in the registry (R11.1), `fold`
//! the consultant of record (R11.2, R11.3, R11.4), `credit` the serving consultant and the
//! departed claimant (R11.5, R11.6), `status` the facts for `check` and reminders, `standings`
//! the `attrib consultants` rows.

mod credit;
mod fold;
mod standings;
mod state;
mod status;
#[cfg(test)]
mod tests;

pub use fold::{Ctx, Holder, handover_code};
pub use standings::{Standing, standings};
pub use state::{Attribution, Employment, Move};
pub use status::{CheckStatus, check_status, departed_period, status_at};

use super::engine::Event;
use super::registry::Registry;
use super::time::quarter_end_plus;
use super::verdict::{Code, Finding, FindingDetail, Verdict};
use crate::model::{Config, ContactKind, Kind, Ledger, Text, Time};

/// R11 switch (§0.1, §7.1 S11): a `[consultants]` table, or a staff or handovers row.
pub fn is_on(l: &Ledger) -> bool {
    l.config.consultants.table || !l.staff.is_empty() || !l.handovers.is_empty()
}

/// A consultant name as compared (RULES-R10 §1.2: trimmed); `None` when empty.
fn name(s: Option<&Text>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
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

/// R11.8: the due time of a departed share of a booking at `t`.
pub fn departed_due(cfg: &Config, t: Time) -> Time {
    quarter_end_plus(t, cfg.consultants.departed_pay_days, cfg.timezone)
}
