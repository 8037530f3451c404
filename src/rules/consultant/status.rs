//! R11 facts as of T for `check` (RULES-R10 §4.3) and reminders (R17 `recycle`,
//! `departed-share`: R11.2d, R11.5).

use super::super::engine::Event;
use super::super::registry::Registry;
use super::super::time::months_end;
use super::fold::{Ctx, Holder};
use crate::model::{Phone, Text, Time};

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
