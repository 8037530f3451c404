//! The counter question 确客查询: who owns this client now, and what would a booking be flagged
//! for (R7 applied to a booking made at the as-of time).

use super::Evaluation;
use super::booking::{self, BookingInput};
use super::verdict::{Code, Verdict};
use crate::model::{Phone, Text, Time};
use rust_decimal::Decimal;

/// What the clerk is about to book: any field left out is not checked.
#[derive(Clone, Debug, Default)]
pub struct Prospect {
    pub name: Option<String>,
    pub unit: Option<String>,
    /// (price, list price)
    pub price: Option<(Decimal, Decimal)>,
}

/// The client's standing as of the evaluation's as-of time.
#[derive(Clone, Debug)]
pub struct ClientStatus {
    pub phone: Phone,
    pub as_of: Time,
    pub family: Vec<Phone>,
    /// `developer`, `channel` or `agency`; `None` when the registry has never seen the client.
    pub owner: Option<Code>,
    /// The rule that gives the owner.
    pub rule: &'static str,
    pub channel: Option<Text>,
    pub broker: Option<Text>,
    pub consultant: Option<Text>,
    pub hold_until: Option<Time>,
    pub protected_until: Option<Time>,
    /// The prospective booking's verdict: its owner, evidence and findings.
    pub booking: Verdict,
    /// R7: the discount approval on file that covers the prospective booking (both signers,
    /// same family and unit, approved ratio no higher than the proposed one), by id.
    pub approval: Option<Text>,
    /// Indices into `Evaluation::verdicts` of every record of the family, in evaluation order.
    pub timeline: Vec<usize>,
    /// R11 (RULES-R10 §4.3), when R11 is on: the consultant of record, the developing
    /// consultant and the departed claim at T.
    pub consultants: Option<super::consultant::CheckStatus>,
    /// R10 (RULES-R10 §4.3, S12): the family's valid viewings with the end of their bypass
    /// windows; `None` while R10 is off.
    pub viewings: Option<Vec<ViewingWindow>>,
    /// R16.3 (§4.3): in visit-first mode, the family's open reports; `None` in report-first.
    pub open_reports: Option<Vec<super::mode::OpenReport>>,
    /// R15.6 (§4.3): when masked reports are on, the open masked reports that fit the family
    /// (the prospective buyer's name counting); `None` while R15 is off.
    pub masked_reports: Option<Vec<super::mode::OpenReport>>,
}

/// R10: a valid viewing slip 看房确认单 and the end of its bypass window (S12).
#[derive(Clone, Debug, PartialEq)]
pub struct ViewingWindow {
    pub viewing: Text,
    pub property: Text,
    pub until: Time,
}

/// R10 (§4.3): the valid viewings among `verdicts`, when R10 is on.
pub fn viewing_windows<'v>(
    l: &crate::model::Ledger,
    verdicts: impl Iterator<Item = &'v Verdict>,
) -> Option<Vec<ViewingWindow>> {
    super::resale::is_on(l).then(|| {
        (verdicts.filter(|v| v.kind == crate::model::Kind::Viewing && v.code == Code::Valid))
            .filter_map(|v| {
                Some(ViewingWindow {
                    viewing: v.id.clone(),
                    property: l.viewings[v.index].property.clone(),
                    until: v.until?,
                })
            })
            .collect()
    })
}

/// Who owns `phone` now: R7 for a booking made now; while a channel's report hold is open
/// and its window covers now, that channel (R2.4); `agency` for anyone else the registry has
/// seen; `None` for a stranger.
pub fn client_status(e: &Evaluation, phone: Phone, p: &Prospect) -> ClientStatus {
    let reg = &e.registry;
    let t = reg.as_of;
    let mut input = BookingInput {
        id: "",
        index: usize::MAX,
        at: t,
        phone,
        unit: p.unit.as_deref(),
        buyer: p.name.as_deref(),
        price: p.price,
        consultant: None,
        discount: None,
    };
    // R7: `check` looks the approval up among the family's approvals for the unit
    let approval = booking::approval_for(reg, &input).map(|d| d.id.clone());
    input.discount = approval.as_deref();
    let b = booking::verdict(reg, &input);
    let family = reg.families.members(phone);
    let mut s = ClientStatus {
        phone,
        as_of: t,
        family: family.to_vec(),
        owner: Some(b.code),
        rule: b.rule,
        channel: b.channel.clone(),
        broker: b.broker.clone(),
        consultant: b.consultant.clone(),
        hold_until: b
            .cite
            .as_ref()
            .and_then(|c| c.until)
            .filter(|_| b.code == Code::Channel),
        protected_until: reg.latest_contact(phone).map(|(_, until)| until),
        timeline: e
            .verdicts
            .iter()
            .enumerate()
            // sorted members: a binary search per verdict, not a scan
            .filter(|(_, v)| v.phone.is_some_and(|vp| family.binary_search(&vp).is_ok()))
            .map(|(i, _)| i)
            .collect(),
        booking: b,
        approval,
        viewings: None,
        consultants: super::consultant::check_status(reg, phone),
        open_reports: super::mode::open_reports(reg, phone, t),
        masked_reports: super::masked::open_for(reg, phone, p.name.as_deref(), t),
    };
    s.viewings = viewing_windows(reg.ledger, s.timeline.iter().map(|&i| &e.verdicts[i]));
    if s.owner == Some(Code::Agency) {
        // a cancelled channel's report holds nothing: `report_holds_at` leaves it out; R16.3:
        // in visit-first mode no open report is promoted (they are listed as `open_reports`)
        // S9: in report-first mode a fitting open masked hold promotes as a full one does
        let promoted = match s.open_reports {
            None => (reg.report_holds_at(phone, t).into_iter())
                .chain(super::masked::holds_for(reg, phone, p.name.as_deref(), t))
                .next(),
            Some(_) => None,
        };
        if let Some((r, end)) = promoted {
            s.owner = Some(Code::Channel);
            s.rule = "R2.4";
            s.channel = Some(r.channel.clone());
            s.broker = Some(r.broker.clone());
            s.hold_until = Some(end);
        } else if !reg.knows(phone) {
            s.owner = None;
            s.rule = "R2.6";
        }
    }
    s
}

/// The kind of hold behind `check`'s owner, each named for what it is (issue 14).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoldKind {
    /// R7.1 / R6: the developer's direct slip.
    Direct,
    /// R4 / R7.2: a channel's hold after a valid visit (`channel_hold_days`).
    ChannelHold,
    /// R2.4: an accepted report's visit window, its hold still open.
    ReportWindow,
}

/// The record that gives the owner, and the end of its period.
#[derive(Clone, Debug, PartialEq)]
pub struct Hold {
    pub kind: HoldKind,
    pub id: Text,
    pub at: Time,
    pub until: Option<Time>,
}

/// One booking of the family, as `check` lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct FamilyBooking {
    pub id: Text,
    pub at: Time,
    pub unit: Text,
    pub owner: Code,
    pub channel: Option<Text>,
}

/// A report of the family by a channel other than the owner's, its window covering the as-of
/// time: the channel will not be paid for this client.
#[derive(Clone, Debug, PartialEq)]
pub struct OtherReport {
    pub id: Text,
    pub at: Time,
    pub channel: Text,
    pub broker: Text,
    pub verdict: Code,
    pub window_end: Time,
}

/// The one thing to do before booking, most blocking first.
#[derive(Clone, Debug, PartialEq)]
pub enum NextStep {
    /// An error finding: the booking may not be written (`below-floor`, `unit-taken`).
    Blocked(super::verdict::Finding),
    /// R5: these roles must still sign this slip (the channel's commission waits for it).
    Sign { slip: Text, roles: Vec<Text> },
    /// R5: the slip is signed wrongly (out of order, unknown signer, a role twice).
    FixSlip { slip: Text, status: Code },
    /// R7: a 《特殊优惠审批单》 signed by both heads is needed for this ratio.
    Approval { ratio: rust_decimal::Decimal },
    /// R7 / R14: a 《客户属别查询单》 for a new buyer name.
    QuerySlip { buyer: Text },
    /// R6: the direct slip to verify, and why it does not hold.
    VerifyDirect {
        id: Text,
        reason: super::verdict::DirectFault,
    },
    /// R7: a developer-reserved unit.
    ReservedUnit { unit: Text },
}

/// What the clerk reads after the first line: the hold and the protection, the family's names,
/// its bookings, other channels' reports, and the next steps. Read from the evaluation; no
/// rule is decided here.
#[derive(Clone, Debug, PartialEq)]
pub struct Counter {
    pub hold: Option<Hold>,
    /// The approval `check` found (`ClientStatus::approval`) and the ratio it approved, when
    /// it states both unit prices.
    pub approval: Option<(Text, Option<rust_decimal::Decimal>)>,
    /// R3: the latest contact of the family and the end of its protection.
    pub protection: Option<(super::verdict::Cite, Time)>,
    pub names: Vec<Text>,
    pub bookings: Vec<FamilyBooking>,
    pub other_reports: Vec<OtherReport>,
    pub next: Vec<NextStep>,
}

/// The counter's explanation of `s` (computed by `client_status` on `e`).
pub fn counter(e: &Evaluation, s: &ClientStatus, p: &Prospect) -> Counter {
    use super::verdict::{Cite, Detail, FindingDetail, Severity};
    let reg = &e.registry;
    let l = reg.ledger;
    let t = s.as_of;
    let cite = s.booking.cite.as_deref();
    let hold = match (s.owner, s.rule) {
        (Some(Code::Developer), _) => cite.map(|c| Hold {
            kind: HoldKind::Direct,
            id: c.id.clone(),
            at: c.at,
            until: None,
        }),
        (Some(Code::Channel), "R7.2") => cite.map(|c| Hold {
            kind: HoldKind::ChannelHold,
            id: c.id.clone(),
            at: c.at,
            until: c.until,
        }),
        (Some(Code::Channel), _) => reg
            .report_holds_at(s.phone, t)
            .into_iter()
            .chain(super::masked::holds_for(reg, s.phone, p.name.as_deref(), t))
            .next()
            .map(|(r, end)| Hold {
                kind: HoldKind::ReportWindow,
                id: r.id.clone(),
                at: r.at,
                until: Some(end),
            }),
        _ => None,
    };
    let protection = reg
        .latest_contact(s.phone)
        .map(|(c, until)| (Cite::contact(c, Some(until)), until));
    let verdicts = || s.timeline.iter().map(|&i| &e.verdicts[i]);
    let bookings = verdicts()
        .filter(|v| v.kind == crate::model::Kind::Booking && v.code != Code::Voided)
        .map(|v| FamilyBooking {
            id: v.id.clone(),
            at: v.at,
            unit: l.bookings[v.index].unit.clone(),
            owner: v.code,
            channel: v.channel.clone(),
        })
        .collect();
    let other_reports = verdicts()
        .filter(|v| v.kind == crate::model::Kind::Report && v.code != Code::Voided)
        .filter_map(|v| {
            let r = &l.reports[v.index];
            let window_end = reg.period_end(r.at, reg.config.visit_window_days);
            (window_end >= t && s.channel.as_ref() != Some(&r.channel)).then(|| OtherReport {
                id: r.id.clone(),
                at: r.at,
                channel: r.channel.clone(),
                broker: r.broker.clone(),
                verdict: v.code,
                window_end,
            })
        })
        .collect();
    let mut next = vec![];
    let findings = &s.booking.findings;
    for f in findings.iter().filter(|f| f.severity == Severity::Error) {
        next.push(NextStep::Blocked(f.clone()));
    }
    for f in findings {
        if let FindingDetail::SlipPending { slip, .. } = &f.detail {
            match reg.slips.get(slip.as_str()) {
                Some(st) if st.code == Code::Pending => {
                    let roles = match &st.detail {
                        Detail::Pending { missing } => missing.clone(),
                        _ => vec![],
                    };
                    next.push(NextStep::Sign {
                        slip: slip.clone(),
                        roles,
                    });
                }
                Some(st) => next.push(NextStep::FixSlip {
                    slip: slip.clone(),
                    status: st.code,
                }),
                None => next.push(NextStep::Sign {
                    slip: slip.clone(),
                    roles: reg
                        .config
                        .slip_roles
                        .iter()
                        .map(|r| r.as_str().into())
                        .collect(),
                }),
            }
        }
    }
    for f in findings {
        match &f.detail {
            FindingDetail::UnapprovedDiscount { ratio, .. } => {
                next.push(NextStep::Approval { ratio: *ratio })
            }
            FindingDetail::NameMismatch { .. } => next.push(NextStep::QuerySlip {
                buyer: p.name.as_deref().unwrap_or_default().into(),
            }),
            _ => {}
        }
    }
    for f in findings {
        match &f.detail {
            FindingDetail::DirectInvalid { reason } => next.push(NextStep::VerifyDirect {
                id: f.cite.as_ref().map(|c| c.id.clone()).unwrap_or_default(),
                reason: *reason,
            }),
            FindingDetail::ReservedUnit { unit } => {
                next.push(NextStep::ReservedUnit { unit: unit.clone() })
            }
            _ => {}
        }
    }
    let approval = s.approval.as_ref().map(|id| {
        let ratio = (reg.discounts.get(id.as_str()))
            .and_then(|d| Some((d.unit_price?, d.list_unit_price?)))
            .filter(|(_, list)| !list.is_zero())
            .map(|(p, list)| p / list);
        (id.clone(), ratio)
    });
    Counter {
        hold,
        approval,
        protection,
        names: reg.names(s.phone).into_iter().map(Into::into).collect(),
        bookings,
        other_reports,
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn status(l: &Lb, at: &str, phone: Phone) -> ClientStatus {
        client_status(&l.eval(at), phone, &Prospect::default())
    }

    #[test]
    fn a_stranger_has_no_owner() {
        let s = status(&Lb::new(), "2026-03-01 10:00", P1);
        assert_eq!(s.owner, None);
        assert_eq!(s.family, vec![P1]);
        assert!(s.timeline.is_empty());
    }

    #[test]
    fn an_open_report_hold_belongs_to_the_channel_until_its_window_ends() {
        let l = Lb::new().report("R1", "2026-03-01 09:00", "链家", "王五", P1);
        let s = status(&l, "2026-03-04 23:00", P1);
        assert_eq!(
            (s.owner, s.rule, s.channel.as_deref()),
            (Some(Code::Channel), "R2.4", Some("链家"))
        );
        assert_eq!(status(&l, "2026-03-05 00:00", P1).owner, Some(Code::Agency));
    }

    #[test]
    fn a_cancelled_channels_open_report_owns_nothing() {
        // R2.4 / R8: from its cutting violation on, 链家's report holds nothing
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .violation(
                "V1",
                "2026-03-02 10:00",
                crate::model::ViolationKind::Cutting,
                "链家",
                Some(P1),
            );
        assert_eq!(
            status(&l, "2026-03-02 09:59", P1).owner,
            Some(Code::Channel)
        );
        let s = status(&l, "2026-03-02 10:00", P1);
        assert_eq!((s.owner, s.channel), (Some(Code::Agency), None));
    }

    #[test]
    fn a_valid_visit_gives_the_channel_its_hold() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .relation("F1", "2026-03-03 10:00", P1, P2);
        let s = status(&l, "2026-03-10 10:00", P2);
        assert_eq!((s.owner, s.rule), (Some(Code::Channel), "R7.2"));
        assert_eq!(s.hold_until, Some(t("2026-04-01T23:59:59.999999999+08:00")));
        assert_eq!(
            s.protected_until,
            Some(t("2026-03-23T23:59:59.999999999+08:00"))
        );
        assert_eq!(s.consultant.as_deref(), Some("小李"));
        assert_eq!(s.family, vec![P1, P2]);
        assert_eq!(s.timeline.len(), 3);
    }

    #[test]
    fn the_counter_names_the_kind_of_hold() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1);
        let hold = |at| {
            let e = l.eval(at);
            let s = client_status(&e, P1, &Prospect::default());
            let c = counter(&e, &s, &Prospect::default());
            c.hold.map(|h| (h.kind, h.id.to_string()))
        };
        let report = Some((HoldKind::ReportWindow, "R1".to_string()));
        assert_eq!(
            hold("2026-03-01 12:00"),
            report,
            "R2.4: the report's window"
        );
        let visit = Some((HoldKind::ChannelHold, "C1".to_string()));
        assert_eq!(
            hold("2026-03-10 12:00"),
            visit,
            "R4: the valid visit's hold"
        );
        assert_eq!(
            hold("2026-04-10 12:00"),
            None,
            "the agency's: R3 protection only"
        );
    }

    #[test]
    fn the_next_steps_put_errors_first_then_signatures_then_approvals() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .sign("S-C1", "2026-03-02 11:00", "reception", "李");
        let p = Prospect {
            name: Some("李娜".into()),
            unit: None,
            price: Some((Decimal::from(90), Decimal::from(100))),
        };
        let e = l.eval("2026-03-03 10:00");
        let s = client_status(&e, P1, &p);
        let next: Vec<&'static str> = counter(&e, &s, &p)
            .next
            .iter()
            .map(|n| match n {
                NextStep::Blocked(_) => "blocked",
                NextStep::Sign { .. } => "sign",
                NextStep::Approval { .. } => "approval",
                NextStep::QuerySlip { .. } => "query",
                _ => "other",
            })
            .collect();
        assert_eq!(next, vec!["blocked", "sign", "query", "approval"]);
    }

    #[test]
    fn a_prospective_booking_below_the_floor_is_an_error() {
        let l = Lb::new().walk_in("C1", "2026-03-01 10:00", P1);
        let p = Prospect {
            price: Some((Decimal::from(91), Decimal::from(100))),
            ..Prospect::default()
        };
        let s = client_status(&l.eval("2026-03-02 10:00"), P1, &p);
        assert_eq!(s.owner, Some(Code::Agency));
        assert!(s.booking.has_error());
    }
}
