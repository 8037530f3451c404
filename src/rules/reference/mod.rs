#![cfg(any(test, feature = "reference"))]
//! The reference evaluator: the rules of RULES.md (R1–R9, as amended: R2.0 `cancelled`, and
//! families joined after a report) and of RULES-R10.md so far (R10 resale viewings, deals and
//! their lines; R11 staff rows, the consultant of record, handovers, contact and booking
//! findings, the credited consultant, the departed claimant and consultant lines; R12
//! cancellations with deposit findings and reversal lines, R13 delistings, R14 query slips, R15
//! masked reports, R16 visit-first mode, R18 committee grade rows)
//! transcribed as plainly as they are written, for tests.
//!
//! It is a test oracle, not a second engine. One thread, no scope, no shard, no registry, no
//! cached state: every question a rule asks is answered by looking again at every earlier record
//! of the family as the family stands at the moment of the question. It is quadratic (or worse)
//! in the number of records and meant for ledgers of a few dozen rows. The engine's fast paths
//! (`evaluate_scoped`, the shards of `Scope::All`, the settlement and family scopes) are held to it
//! by the property tests (`properties.rs`).
//!
//! This file holds the entry points, the walk (evaluation order, voids, `judge` which gives each
//! record its verdict) and the record lookups; the rules are one file per family, as in
//! `src/rules/`: family R1, report R2, visit R3/R4, slip R5, direct R6, booking R7, penalty R8,
//! settle R9, resale R10, staff R11.1, consultant R11.2–R11.8, cancel R12, delist R13, query R14,
//! masked R15, check (the counter question), time (periods). R16 (visit-first) is read where it
//! bends R2 and `check`; R18 grade rows are judged in `judge`. `tests.rs` holds the reference to
//! the contract's examples.
//!
//! It shares with the engine only the vocabulary: the model, `Verdict`/`Finding`/`Cite`,
//! `settle::Line` and `check::ClientStatus`, so that the two can be compared with `==`. Every
//! rule, period, slip status and fine is worked out here again from the contract's words.
//!
//! Choices where the contract is silent (the engine makes the same ones; they are listed so a
//! disagreement is easy to place):
//! - "the violation" named by a cancellation is the earliest (by time; then phone; then file
//!   order) cutting violation against the channel for a member of the family;
//! - the names a family was received under are listed phone by phone (smallest phone first),
//!   each phone's names in order of first appearance;
//! - the approved ratio of a discount approval is checked only when the approval states both
//!   unit prices (`unit_price / list_unit_price`);
//! - the approval `check` names is the earliest (by time, then id) of the family's approvals for
//!   the unit that covers the prospective booking;
//! - `unit-taken` names the earliest (by time, then file order) of the other families' live
//!   bookings of the unit;
//! - R10: a deal's `until` (its cite's) is the end of the window that counted (the agency window
//!   for `via = other`, else the bypass window); a resale line's `detail` and `broker` are the
//!   named viewing's id and broker.

mod booking;
mod cancel;
mod check;
mod consultant;
mod delist;
mod direct;
mod family;
mod masked;
mod penalty;
#[cfg(test)]
mod properties;
mod query;
mod report;
mod resale;
mod settle;
mod slip;
mod staff;
#[cfg(test)]
mod tests;
mod time;
mod visit;

use super::check::{ClientStatus, Prospect};
use super::settle::Line;
use super::verdict::{Cite, Code, Finding, FindingDetail, Verdict};
use crate::model::*;
use booking::Booked;
use penalty::fine;
use slip::slip_status;
use std::collections::BTreeSet;

/// Every verdict of the ledger as of `as_of`, in evaluation order (RULES.md section 3).
pub fn verdicts(l: &Ledger, as_of: Time) -> Vec<Verdict> {
    Walk::new(l, as_of).verdicts.into_iter().flatten().collect()
}

/// The counter's answer for `phone` as of `as_of` (what `check` shows), with the timeline as the
/// family's verdicts themselves rather than positions in a list.
pub fn client_status(
    l: &Ledger,
    as_of: Time,
    phone: Phone,
    p: &Prospect,
) -> (ClientStatus, Vec<Verdict>) {
    Walk::new(l, as_of).client_status(phone, p)
}

/// R9: the settlement lines due in the month that starts at `from` and ends before `before`,
/// sorted by due time, then reference (then kind).
pub fn month_lines(l: &Ledger, as_of: Time, from: Time, before: Time) -> Vec<Line> {
    Walk::new(l, as_of).lines(&|due| from <= due && due < before)
}

/// R9: every settlement line due as of `as_of`.
pub fn lines(l: &Ledger, as_of: Time) -> Vec<Line> {
    Walk::new(l, as_of).lines(&|_| true)
}

/// One pass over the ledger in evaluation order, remembering each record's verdict.
struct Walk<'l> {
    l: &'l Ledger,
    cfg: &'l Config,
    as_of: Time,
    /// Ids voided as of the as-of time.
    voided: BTreeSet<&'l str>,
    /// Every record that exists as of the as-of time, in evaluation order (every signature).
    order: Vec<(Kind, usize)>,
    /// The verdict at each position of `order` (a slip's only at its first signature).
    verdicts: Vec<Option<Verdict>>,
}

impl<'l> Walk<'l> {
    fn new(l: &'l Ledger, as_of: Time) -> Walk<'l> {
        // section 3: only records with at ≤ T exist, judged by time, then kind, then file order
        let kind_order = [
            Kind::Void,
            Kind::Relation,
            Kind::Staff,
            Kind::Delisting,
            Kind::Direct,
            Kind::Contact,
            Kind::Handover,
            Kind::Viewing,
            Kind::Report,
            Kind::Slip,
            Kind::Discount,
            Kind::Query,
            Kind::Booking,
            Kind::Cancellation,
            Kind::Deal,
            Kind::Violation,
            Kind::Grade,
        ];
        let mut order = vec![];
        for (rank, &kind) in kind_order.iter().enumerate() {
            for i in 0..count(l, kind) {
                let at = time_of(l, kind, i);
                if at <= as_of {
                    order.push((at, rank, i, kind));
                }
            }
        }
        order.sort_by_key(|&(at, rank, i, _)| (at, rank, i));
        let mut w = Walk {
            l,
            cfg: &l.config,
            as_of,
            voided: voided_ids(l, as_of),
            order: order.into_iter().map(|(_, _, i, k)| (k, i)).collect(),
            verdicts: vec![],
        };
        for pos in 0..w.order.len() {
            let v = w.judge(pos);
            w.verdicts.push(v);
        }
        // R15.4: a masked report's completing visit and phone, once every visit is judged
        for pos in 0..w.order.len() {
            if let Some(done) = w.masked_completion(pos, w.order.len()) {
                let v = w.verdicts[pos].as_mut().expect("a report has a verdict");
                v.completed = Some(Box::new(done));
            }
        }
        w
    }

    pub(super) fn is_voided(&self, kind: Kind, i: usize) -> bool {
        self.voided.contains(id_of(self.l, kind, i))
    }

    pub(super) fn verdict_at(&self, pos: usize) -> Option<&Verdict> {
        self.verdicts.get(pos).and_then(Option::as_ref)
    }

    pub(super) fn contact(&self, pos: usize) -> &'l Contact {
        &self.l.contacts[self.order[pos].1]
    }

    pub(super) fn report(&self, pos: usize) -> &'l Report {
        &self.l.reports[self.order[pos].1]
    }

    // ---- one verdict per record ----

    fn judge(&self, pos: usize) -> Option<Verdict> {
        let (kind, i) = self.order[pos];
        let id = id_of(self.l, kind, i);
        let at = time_of(self.l, kind, i);
        if kind == Kind::Slip {
            // a slip appears once, at its first signature
            let first = (0..pos).any(|j| {
                self.order[j].0 == Kind::Slip && self.l.signatures[self.order[j].1].slip == id
            });
            if first {
                return None;
            }
        }
        if self.is_voided(kind, i) {
            let mut v = Verdict::new(kind, i, id, at, Code::Voided, "void");
            v.phone = phone_of(self.l, kind, i);
            return Some(v);
        }
        Some(match kind {
            Kind::Void => Verdict::new(kind, i, id, at, Code::Recorded, "void"),
            Kind::Staff => self.staff(pos, i),
            Kind::Delisting => self.delisting(pos, i),
            Kind::Query => self.query(pos, i),
            Kind::Relation => {
                let r = &self.l.relations[i];
                let rule = match r.relation {
                    RelationKind::Agent => "R10.2",
                    _ => "R1",
                };
                let mut v = Verdict::new(kind, i, id, at, Code::Recorded, rule);
                v.phone = Some(r.phone);
                v
            }
            Kind::Direct => self.direct(pos, i),
            Kind::Contact => {
                let c = &self.l.contacts[i];
                let v = self.contact_verdict(pos, i);
                let mut v = self.delisted_client_finding(v, c.phone, pos, c.at, false);
                // R15.5: a nameless visit whose phone has an open masked report's pattern
                let nameless = c.kind == ContactKind::Visit
                    && self.cfg.masked_reports
                    && self.cfg.masked_match_name
                    && c.client.is_none();
                let pattern = (self.masked_open(pos).into_iter())
                    .find(|(r, _)| nameless && r.phone == c.phone.mask() && r.at < c.at);
                if let Some((r, end)) = pattern {
                    let f = Finding::warning(FindingDetail::MaskedNameMissing, "R15.5");
                    v.findings.push(f.cite(Cite::report(r, end)));
                }
                self.r11_contact(pos, i, &mut v);
                v
            }
            Kind::Handover => self.handover(pos, i),
            Kind::Report => {
                let r = &self.l.reports[i];
                let v = self.determine(pos, i);
                self.delisted_client_finding(v, r.phone, pos, r.at, false)
            }
            Kind::Slip => {
                let s = slip_status(self.l, self.as_of, id);
                let mut v = Verdict::new(kind, i, id, s.first_at, s.code, s.rule);
                v.detail = s.detail;
                v.until = s.effective_at;
                v
            }
            Kind::Discount => {
                let d = &self.l.discounts[i];
                let signed = d.developer_signer.is_some() && d.agency_signer.is_some();
                let code = if signed {
                    Code::Approved
                } else {
                    Code::Unsigned
                };
                let mut v = Verdict::new(kind, i, id, at, code, "R7");
                v.phone = Some(d.phone);
                v
            }
            Kind::Booking => {
                let b = &self.l.bookings[i];
                let input = Booked {
                    id: &b.id,
                    index: i,
                    at: b.at,
                    phone: b.phone,
                    unit: Some(&b.unit),
                    buyer: Some(&b.buyer),
                    price: Some((b.price, b.list_price)),
                    consultant: b.consultant.as_deref(),
                    discount: b.discount.as_deref(),
                };
                let mut v = self.booking(pos, &input);
                self.deposit_findings(b, &mut v);
                self.r11_booking(pos, i, &mut v);
                v
            }
            Kind::Cancellation => self.cancellation(pos, i),
            Kind::Viewing => self.viewing(i),
            Kind::Deal => self.deal(i),
            Kind::Grade => {
                // R18: a committee decision is recorded; unnotified without a written notice
                let g = &self.l.grades[i];
                let mut v = Verdict::new(kind, i, id, at, Code::Recorded, "R18");
                v.channel = Some(g.channel.clone());
                if g.notified_at.is_none() {
                    let f = Finding::warning(FindingDetail::GradeUnnotified, "R18");
                    v.findings.push(f);
                }
                v
            }
            Kind::Violation => {
                let x = &self.l.violations[i];
                let mut v = Verdict::new(kind, i, id, at, Code::Penalty, "R8");
                v.phone = x.phone;
                v.channel = Some(x.channel.clone());
                v.broker = x.broker.clone();
                v.amount = Some(fine(self.cfg, x));
                v
            }
        })
    }
}

/// Voids: a void at or before T voids its target unless the void is itself voided (a voided void
/// revives its target), however long the chain.
fn voided_ids(l: &Ledger, as_of: Time) -> BTreeSet<&str> {
    let live: Vec<&Void> = l.voids.iter().filter(|v| v.at <= as_of).collect();
    // a void counts when no counting void targets it; decided from the voids nobody voids down
    // (a cycle of voids has no bottom: none of its voids counts)
    fn counts<'a>(v: &Void, live: &[&'a Void], seen: &mut Vec<&'a str>) -> bool {
        for w in live.iter().filter(|w| w.target == v.id) {
            if seen.contains(&w.id.as_str()) {
                return false;
            }
            seen.push(&w.id);
            let w_counts = counts(w, live, seen);
            seen.pop();
            if w_counts {
                return false;
            }
        }
        true
    }
    live.iter()
        .filter(|v| counts(v, &live, &mut vec![v.id.as_str()]))
        .map(|v| v.target.as_str())
        .collect()
}

fn count(l: &Ledger, kind: Kind) -> usize {
    l.count(kind)
}

fn id_of(l: &Ledger, kind: Kind, i: usize) -> &str {
    l.stamp(kind, i).id
}

pub(super) fn time_of(l: &Ledger, kind: Kind, i: usize) -> Time {
    l.stamp(kind, i).at
}

/// The client a record is about (a relation: its first phone; a violation: when it names one).
pub(super) fn phone_of(l: &Ledger, kind: Kind, i: usize) -> Option<Phone> {
    l.phone(kind, i)
}
