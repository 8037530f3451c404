//! R13 Delisting 客户摘牌: the leadership's decision to delist a client (a family, R1) or a
//! channel (合作伙伴, seed l254), and its reversal (relisting, a proposal: RULES-R10.md A26).
//!
//! A delisting's effect reaches across the walk: a channel delisted at t holds nothing for any
//! family, and a client's delisting reads the family as it stands when asked. So the timeline of
//! every carried, non-voided decision existing as of T is built whole before the shards run
//! (`Delistings::of`, kept by the registry; docs/architecture.md, "Facts across families"), and
//! the rules ask it by time: "delisted at t" counts the decisions at or before t, which at equal
//! times are judged before directs, contacts, reports and bookings (RULES-R10.md §2.3).

use super::registry::Registry;
use super::verdict::{Cite, Code, Finding, FindingDetail, Verdict};
use crate::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Carried decisions, each as (time, position in the file, whether it delists), in time order.
type Timeline = Vec<(Time, u32, bool)>;

/// R13.2: whether any phone may be sealed: the seal is on and the ledger delists.
pub fn may_seal(l: &Ledger) -> bool {
    l.config.delisting_seal && !l.delistings.is_empty()
}

/// R13.2 / R13.3: every carried decision existing as of T and not voided, by phone and by channel.
#[derive(Clone, Debug, Default)]
pub struct Delistings {
    phones: HashMap<Phone, Timeline>,
    channels: HashMap<Text, Timeline>,
}

impl Delistings {
    /// The carried decisions of `l` at or before `as_of` that are not voided.
    pub fn of(l: &Ledger, as_of: Time, voided: &HashSet<&str>) -> Delistings {
        let mut d = Delistings::default();
        for (i, row) in l.delistings.iter().enumerate() {
            if row.at > as_of || voided.contains(row.id.as_str()) || !row.carried() {
                continue;
            }
            let entry = (row.at, i as u32, row.action() == DelistAction::Delist);
            if let Some(p) = row.phone {
                d.phones.entry(p).or_default().push(entry);
            } else if let Some(c) = &row.channel {
                d.channels.entry(c.clone()).or_default().push(entry);
            }
        }
        d.phones.values_mut().for_each(|t| t.sort_unstable());
        d.channels.values_mut().for_each(|t| t.sort_unstable());
        d
    }

    pub fn is_empty(&self) -> bool {
        self.phones.is_empty() && self.channels.is_empty()
    }

    /// R13.2: the delist row in force for a family of `members` just before `before` (a time
    /// and a file position): the latest carried decision for any member, when it delists.
    fn client(&self, members: &[Phone], before: (Time, u32)) -> Option<u32> {
        if self.phones.is_empty() {
            return None;
        }
        (members.iter())
            .filter_map(|p| self.phones.get(p))
            .filter_map(|t| latest(t, before))
            .max()
            .filter(|&(_, _, delists)| delists)
            .map(|(_, i, _)| i)
    }

    /// R13.3: the delist row in force for `channel` just before `before`.
    fn channel(&self, channel: &str, before: (Time, u32)) -> Option<u32> {
        if self.channels.is_empty() {
            return None;
        }
        let t = self.channels.get(channel)?;
        latest(t, before)
            .filter(|&(_, _, delists)| delists)
            .map(|(_, i, _)| i)
    }
}

/// The latest decision of a timeline strictly before `before`.
fn latest(t: &Timeline, before: (Time, u32)) -> Option<(Time, u32, bool)> {
    let n = t.partition_point(|&(at, i, _)| (at, i) < before);
    n.checked_sub(1).map(|k| t[k])
}

/// Every decision at or before `t`.
fn through(t: Time) -> (Time, u32) {
    (t, u32::MAX)
}

/// R13.2: the delisting in force for the family of `p` (as the registry knows it now) at `t`.
pub fn client_delisting<'l>(reg: &Registry<'l>, p: Phone, t: Time) -> Option<&'l Delisting> {
    if reg.delistings.phones.is_empty() {
        return None; // no family is delisted: every report, contact and booking asks
    }
    let members = reg.families.members(p);
    let i = reg.delistings.client(&members, through(t))?;
    Some(&reg.ledger.delistings[i as usize])
}

/// R13.3: the delisting in force for `channel` at `t`.
pub fn channel_delisting<'l>(reg: &Registry<'l>, channel: &str, t: Time) -> Option<&'l Delisting> {
    let i = reg.delistings.channel(channel, through(t))?;
    Some(&reg.ledger.delistings[i as usize])
}

/// R13.2: the finding `delisted-client` of a report, contact (warnings) or booking (an error,
/// 限制交易) of a family delisted at `t`, naming the delisting.
pub fn client_finding(reg: &Registry, p: Phone, t: Time, error: bool) -> Option<Finding> {
    let d = client_delisting(reg, p, t)?;
    let f = if error {
        Finding::error(FindingDetail::DelistedClient, "R13.2")
    } else {
        Finding::warning(FindingDetail::DelistedClient, "R13.2")
    };
    Some(f.cite(Cite::delisting(d)))
}

/// R13.2 sealing 封存: every phone of the families delisted as of T (families as the registry
/// knows them), sorted; none when `[delisting] seal = false`.
pub fn sealed_phones(reg: &Registry) -> Vec<Phone> {
    if !may_seal(reg.ledger) {
        return vec![];
    }
    let mut out: Vec<Phone> = (reg.delistings.phones.keys())
        .filter(|&&p| client_delisting(reg, p, reg.as_of).is_some())
        .flat_map(|&p| reg.families.members(p).to_vec())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// R13.1: a decision's verdict. `delist`: `delisted` with a strict majority, else
/// `not-carried`. `relist`: `not-carried`, `not-delisted` (its target is not delisted at its
/// time), `relisted`, tried in that order. A `delist` row is `no-investigation` when
/// `investigated_at` is absent or after `at`, `unnotified` when `notified_at` is absent or after
/// T (warnings; the decision takes effect at `at` regardless).
pub fn verdict(reg: &Registry, i: usize) -> Verdict {
    let d = &reg.ledger.delistings[i];
    let mut v = Verdict::new(Kind::Delisting, i, &d.id, d.at, Code::Delisted, "R13.1");
    v.phone = d.phone;
    v.channel = d.channel.clone();
    let before = (d.at, i as u32);
    match d.action() {
        DelistAction::Delist => {
            if !d.carried() {
                v.code = Code::NotCarried;
            }
            if d.investigated_at.is_none_or(|t| t > d.at) {
                v.findings
                    .push(Finding::warning(FindingDetail::NoInvestigation, "R13.1"));
            }
            if d.notified_at.is_none_or(|t| t > reg.as_of) {
                v.findings
                    .push(Finding::warning(FindingDetail::Unnotified, "R13.1"));
            }
        }
        DelistAction::Relist => {
            let delisted = match (d.phone, &d.channel) {
                (Some(p), _) => reg
                    .delistings
                    .client(&reg.families.members(p), before)
                    .is_some(),
                (None, Some(c)) => reg.delistings.channel(c, before).is_some(),
                (None, None) => false,
            };
            v.code = if !d.carried() {
                Code::NotCarried
            } else if !delisted {
                Code::NotDelisted
            } else {
                Code::Relisted
            };
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use crate::model::{Kind, Phone};
    use crate::rules::check::{Prospect, client_status};
    use crate::rules::testkit::*;

    const AS_OF: &str = "2026-12-01 00:00";
    const P: Phone = Phone(13700000003);

    fn dl(l: Lb, cells: &[(&str, &str)]) -> Lb {
        l.row(Kind::Delisting, cells)
    }

    fn findings(l: &Lb, id: &str, at: &str) -> Vec<(&'static str, &'static str)> {
        let e = l.eval(at);
        let v = e.verdict(id).unwrap();
        (v.findings.iter())
            .map(|f| (f.code.as_str(), f.severity.as_str()))
            .collect()
    }

    /// Example 1's decision: phone 13700000003, `attack`, 4 of 7, investigated before,
    /// notified the next day.
    fn dl1(l: Lb) -> Lb {
        dl(
            l,
            &[
                ("id", "DL1"),
                ("at", "2026-05-01 10:00"),
                ("phone", "13700000003"),
                ("reason", "attack"),
                ("votes_for", "4"),
                ("leaders", "7"),
                ("investigated_at", "2026-04-28 17:00"),
                ("notified_at", "2026-05-02 09:00"),
            ],
        )
    }

    #[test]
    fn r13_example_1_a_delisted_clients_booking_is_an_error() {
        // "DL1 … → delisted (8 > 7). B1 booking of that family 2026-05-10 10:00 → owner per R7
        // plus delisted-client (error)"
        let l = dl1(Lb::new().walk_in("C1", "2026-04-01 10:00", P)).booking(
            "B1",
            "2026-05-10 10:00",
            P,
        );
        assert_eq!(l.verdict("DL1", AS_OF), ("delisted", "R13.1"));
        assert!(findings(&l, "DL1", AS_OF).is_empty());
        assert_eq!(
            findings(&l, "DL1", "2026-05-02 08:59"),
            [("unnotified", "warning")],
            "not yet notified as of T"
        );
        assert_eq!(l.verdict("B1", AS_OF), ("agency", "R7.3"));
        assert_eq!(
            findings(&l, "B1", AS_OF),
            [("delisted-client", "error")],
            "owner per R7 plus the error"
        );
        let e = l.eval(AS_OF);
        let cite = e.verdict("B1").unwrap().findings[0].cite.clone().unwrap();
        assert_eq!((cite.kind, cite.id.as_str()), (Kind::Delisting, "DL1"));
        // check: the prospective booking is an error, with or without a unit (S4)
        for unit in [None, Some("1-1-101".to_string())] {
            let p = Prospect {
                unit,
                ..Prospect::default()
            };
            let s = client_status(&e, P, &p);
            assert!(s.booking.has_error());
        }
        // before the decision nothing is flagged
        let before = client_status(&l.eval("2026-05-01 09:59"), P, &Prospect::default());
        assert!(!before.booking.has_error());
    }

    #[test]
    fn r13_2_a_delisted_clients_reports_and_contacts_are_warned_and_judged_as_before() {
        let l = dl1(Lb::new())
            .report("R1", "2026-05-01 10:00", "链家", "王五", P)
            .call("C1", "2026-05-03 10:00", P);
        assert_eq!(
            l.verdict("R1", AS_OF),
            ("accepted", "R2.6"),
            "at t: applies"
        );
        assert_eq!(findings(&l, "R1", AS_OF), [("delisted-client", "warning")]);
        assert_eq!(l.verdict("C1", AS_OF), ("recorded", "R3"));
        assert_eq!(findings(&l, "C1", AS_OF), [("delisted-client", "warning")]);
    }

    #[test]
    fn r13_2_the_family_as_of_t_is_delisted_and_a_relist_of_any_member_ends_it() {
        let l = dl1(Lb::new())
            .booking("B0", "2026-05-02 10:00", P1)
            .relation("F1", "2026-05-03 10:00", P1, P)
            .booking("B1", "2026-05-04 10:00", P1)
            .row(
                Kind::Delisting,
                &[
                    ("id", "DL2"),
                    ("at", "2026-05-05 10:00"),
                    ("phone", "13800000001"),
                    ("action", "relist"),
                    ("votes_for", "4"),
                    ("leaders", "7"),
                ],
            )
            .booking("B2", "2026-05-06 10:00", P);
        assert!(findings(&l, "B0", AS_OF).is_empty(), "not yet one family");
        assert_eq!(findings(&l, "B1", AS_OF), [("delisted-client", "error")]);
        assert_eq!(l.verdict("DL2", AS_OF), ("relisted", "R13.1"));
        assert!(findings(&l, "DL2", AS_OF).is_empty(), "delist rows only");
        assert!(findings(&l, "B2", AS_OF).is_empty());
    }

    #[test]
    fn r13_example_2_no_strict_majority_is_not_carried() {
        // "DL2 votes_for 3, leaders 6 → not-carried (6 > 6 is false): no effect"
        let l = dl(
            Lb::new(),
            &[
                ("id", "DL2"),
                ("at", "2026-05-01 10:00"),
                ("phone", "13700000003"),
                ("reason", "credit"),
                ("votes_for", "3"),
                ("leaders", "6"),
                ("investigated_at", "2026-04-28 17:00"),
                ("notified_at", "2026-05-02 09:00"),
            ],
        )
        .booking("B1", "2026-05-10 10:00", P);
        assert_eq!(l.verdict("DL2", AS_OF), ("not-carried", "R13.1"));
        assert!(findings(&l, "B1", AS_OF).is_empty());
    }

    /// Example 3's decision: 链家, `brand_misuse`, 5 of 7, never notified.
    fn dl3(l: Lb) -> Lb {
        dl(
            l,
            &[
                ("id", "DL3"),
                ("at", "2026-06-01 09:00"),
                ("channel", "链家"),
                ("reason", "brand_misuse"),
                ("votes_for", "5"),
                ("leaders", "7"),
                ("investigated_at", "2026-05-30 09:00"),
            ],
        )
    }

    #[test]
    fn r13_example_3_a_delisted_channel_is_refused_and_holds_nothing() {
        // G = P1: 链家's valid visit 05-20, booking of G 06-10 → R7 skips 链家 → agency;
        // P2: 链家's booking of 05-25 keeps its commission line
        let l = Lb::new()
            .report("R0", "2026-05-19 09:00", "链家", "王五", P1)
            .visit("C1", "2026-05-20 10:00", "链家", "王五", P1)
            .signed("S-C1", "2026-05-20 10:00")
            .report("R9", "2026-05-19 09:00", "链家", "王五", P2)
            .visit("C9", "2026-05-20 10:00", "链家", "王五", P2)
            .signed("S-C9", "2026-05-20 10:00")
            .booking("B9", "2026-05-25 10:00", P2);
        let l = dl3(l)
            .report("R1", "2026-06-02 10:00", "链家", "王五", P3)
            .booking("B1", "2026-06-10 10:00", P1);
        assert_eq!(l.verdict("DL3", AS_OF), ("delisted", "R13.1"));
        assert_eq!(findings(&l, "DL3", AS_OF), [("unnotified", "warning")]);
        assert_eq!(l.verdict("R1", AS_OF), ("channel-delisted", "R13.3"));
        let e = l.eval(AS_OF);
        let cite = e.verdict("R1").unwrap().cite.clone().unwrap();
        assert_eq!((cite.kind, cite.id.as_str()), (Kind::Delisting, "DL3"));
        assert_eq!(l.verdict("C1", AS_OF), ("valid", "R4.6"));
        assert_eq!(l.verdict("B1", AS_OF), ("agency", "R7.3"));
        assert_eq!(l.verdict("B9", AS_OF), ("channel", "R7.2"));
        let lines = crate::rules::settle::lines(&e);
        assert!(
            lines
                .iter()
                .any(|x| x.kind.as_str() == "channel_commission"
                    && x.booking.as_deref() == Some("B9")),
            "lines already due stay"
        );
    }

    #[test]
    fn r13_3_a_delisted_channels_visit_is_channel_delisted() {
        let l = Lb::new().report("R0", "2026-05-30 09:00", "链家", "王五", P1);
        let l = dl3(l).visit("C1", "2026-06-01 09:00", "链家", "王五", P1);
        assert_eq!(l.verdict("C1", AS_OF), ("channel-delisted", "R13.3"));
        assert_eq!(l.verdict("R0", AS_OF), ("accepted", "R2.6"));
    }

    #[test]
    fn r13_example_4_relisting_a_channel_judges_its_reports_normally_again() {
        // "DL4 2026-09-01 09:00 action relist, channel 链家, 4 of 7 → relisted; a 链家 report
        // on 2026-09-02 is judged normally again"
        let l = dl3(Lb::new())
            .row(
                Kind::Delisting,
                &[
                    ("id", "DL4"),
                    ("at", "2026-09-01 09:00"),
                    ("channel", "链家"),
                    ("action", "relist"),
                    ("votes_for", "4"),
                    ("leaders", "7"),
                ],
            )
            .report("R1", "2026-09-02 10:00", "链家", "王五", P1)
            .row(
                Kind::Delisting,
                &[
                    ("id", "DL5"),
                    ("at", "2026-09-03 09:00"),
                    ("channel", "链家"),
                    ("action", "relist"),
                    ("votes_for", "4"),
                    ("leaders", "7"),
                ],
            )
            .row(
                Kind::Delisting,
                &[
                    ("id", "DL6"),
                    ("at", "2026-09-04 09:00"),
                    ("channel", "我爱我家"),
                    ("action", "relist"),
                    ("votes_for", "3"),
                    ("leaders", "7"),
                ],
            );
        assert_eq!(l.verdict("DL4", AS_OF), ("relisted", "R13.1"));
        assert_eq!(l.verdict("R1", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("DL5", AS_OF), ("not-delisted", "R13.1"));
        assert_eq!(l.verdict("DL6", AS_OF), ("not-carried", "R13.1"));
    }

    #[test]
    fn r13_a_voided_delisting_has_no_effect_and_a_relist_brings_holds_back() {
        // 链家's report of 06-01 08:00 is accepted; 链家 is delisted from 06-01 09:00 to 06-02
        // 09:00: a 我爱我家 report at 06-01 12:00 is accepted (链家 holds nothing), a 房多多
        // report at 06-02 10:00 is held by 链家's report again (its window still runs)
        let l = Lb::new().report("R0", "2026-06-01 08:00", "链家", "王五", P1);
        let l = dl3(l)
            .report("R1", "2026-06-01 12:00", "我爱我家", "李四", P2)
            .relation("F1", "2026-05-01 00:00", P1, P2)
            .row(
                Kind::Delisting,
                &[
                    ("id", "DL4"),
                    ("at", "2026-06-02 09:00"),
                    ("channel", "链家"),
                    ("action", "relist"),
                    ("votes_for", "4"),
                    ("leaders", "7"),
                ],
            )
            .report("R2", "2026-06-02 10:00", "房多多", "赵六", P2);
        assert_eq!(l.verdict("R1", AS_OF), ("accepted", "R2.6"));
        assert_eq!(l.verdict("R2", AS_OF), ("held-by-report", "R2.4"));
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("R2").unwrap().cite.as_ref().unwrap().id, "R0");
        let voided = dl3(Lb::new().report("R0", "2026-06-01 08:00", "链家", "王五", P1))
            .void("X1", "2026-06-05 00:00", "DL3")
            .report("R1", "2026-06-01 12:00", "我爱我家", "李四", P1);
        assert_eq!(voided.verdict("R1", AS_OF), ("held-by-report", "R2.4"));
        assert_eq!(voided.verdict("DL3", AS_OF), ("voided", "void"));
    }
}
