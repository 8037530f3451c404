//! R15 Masked-phone reports 隐号报备 (前三后四), RULES-R10 R15 (practice): off unless
//! `rules.masked_reports = true`. A masked report (`138****5678`) carries a pattern, not a
//! phone; it fits a family whose phone has that mask (and, with `masked_match_name`, a name of
//! the family), it is determined against the families that fit it (R15.2), holds them against
//! full reports (R15.3), and is completed by the first visit of a fitting family (R15.4).
//!
//! Masked holds reach across families (one pattern may fit several), so a ledger with a masked
//! report is judged in one shard (`present`, read by `scope`).

use super::registry::Registry;
use super::verdict::{Cite, Code, Finding, FindingDetail, Verdict};
use crate::model::{Contact, Kind, Ledger, Mode, Phone, Report, Text, Time, name_key};

/// An accepted masked report and whether its hold is still open (R15.2, R15.4).
#[derive(Clone, Debug)]
pub struct MaskedHold {
    pub report: u32,
    pub window_end: Time,
    pub open: bool,
    /// R15.4: the visit that ended the hold, and the phone that fills the mask.
    pub completed: Option<(Text, Phone)>,
}

/// The masked holds of an evaluation, in evaluation order.
#[derive(Clone, Debug, Default)]
pub struct Masked {
    pub holds: Vec<MaskedHold>,
}

/// Whether the ledger has a masked report (then it is judged in one shard).
pub fn present(l: &Ledger) -> bool {
    l.config.masked_reports && l.reports.iter().any(|r| r.phone.is_masked())
}

/// R15.1: the name keys family `p` was received under so far, and `extra` (the evaluated
/// full-phone record's own name, S9).
fn name_keys(reg: &Registry, p: Phone, extra: Option<&str>) -> Vec<String> {
    (reg.names(p).into_iter().chain(extra))
        .map(name_key)
        .collect()
}

/// R15.1 fit: some phone of `p`'s family has mask `pattern`, and with `masked_match_name` the
/// report's name is one of the family's (`extra` counting). The phone that fills the mask
/// (`p` itself when it fits, else the smallest fitting member).
pub fn fits(reg: &Registry, m: &Report, p: Phone, extra: Option<&str>) -> Option<Phone> {
    let family = reg.families.members(p);
    let filled = if p.mask() == m.phone {
        p
    } else {
        *family.iter().find(|q| q.mask() == m.phone)?
    };
    let named =
        !reg.config.masked_match_name || name_keys(reg, p, extra).contains(&name_key(&m.client));
    named.then_some(filled)
}

/// R15.2: the families (one phone each) that fit masked report `m` at its time.
fn candidates(reg: &Registry, m: &Report) -> Vec<Phone> {
    let mut roots: Vec<Phone> = (reg.known_phones())
        .filter(|q| !q.is_masked())
        .map(|q| reg.families.members(q)[0])
        .collect();
    roots.sort_unstable();
    roots.dedup();
    roots.retain(|&q| fits(reg, m, q, None).is_some());
    roots
}

/// Whether two masked reports hold each other (S9): same pattern and same name key (the name
/// ignored when `masked_match_name = false`).
fn same_client(reg: &Registry, a: &Report, b: &Report) -> bool {
    a.phone == b.phone
        && (!reg.config.masked_match_name || name_key(&a.client) == name_key(&b.client))
}

/// Open accepted masked holds whose window covers `t` and whose channel's claim is neither
/// cancelled nor delisted, with their reports, that `fit` accepts.
fn holds_at<'l>(
    reg: &Registry<'l>,
    t: Time,
    fit: impl Fn(&Report) -> Option<Phone>,
) -> Vec<(&'l Report, Time)> {
    (reg.masked.holds.iter())
        .filter(|h| h.open)
        .map(|h| (&reg.ledger.reports[h.report as usize], h.window_end))
        .filter(|(r, end)| r.at <= t && t <= *end)
        .filter(|(r, _)| !reg.channel_delisted(&r.channel, t))
        .filter_map(|(r, end)| {
            let p = fit(r)?;
            (!reg.cancelled(&r.channel, p, t)).then_some((r, end))
        })
        .collect()
}

/// R17: every masked report whose hold is open and whose window covers `t` (its claim neither
/// cancelled nor delisted), for `clients --expiring`'s `report-window` items.
pub fn open_holds_at<'l>(reg: &Registry<'l>, t: Time) -> Vec<(&'l Report, Time)> {
    holds_at(reg, t, |r| Some(r.phone))
}

/// R4's walk-in warning (R15.4): the open masked holds that fit a visit's family; a visit
/// without a name fits none when names must match (R15.5).
pub fn visit_holds<'l>(reg: &Registry<'l>, c: &Contact) -> Vec<(&'l Report, Time)> {
    if reg.config.masked_match_name && c.client.is_none() {
        return vec![];
    }
    holds_for(reg, c.phone, c.client.as_deref(), c.at)
}

/// R15.3: open masked holds that fit the family of a full-phone record (`name` counting).
pub fn holds_for<'l>(
    reg: &Registry<'l>,
    p: Phone,
    name: Option<&str>,
    t: Time,
) -> Vec<(&'l Report, Time)> {
    if !reg.config.masked_reports {
        return vec![];
    }
    holds_at(reg, t, |m| fits(reg, m, p, name))
}

/// R15.6 (§4.3): `check`'s open masked reports that fit `phone`'s family (`name`, the
/// prospective buyer's, counting): holds not yet ended (S9: the window may have passed), oldest
/// first; `None` while masked reports are off.
pub fn open_for(
    reg: &Registry,
    phone: Phone,
    name: Option<&str>,
    t: Time,
) -> Option<Vec<super::mode::OpenReport>> {
    reg.config.masked_reports.then(|| {
        (reg.masked.holds.iter())
            .filter(|h| h.open)
            .map(|h| (&reg.ledger.reports[h.report as usize], h.window_end))
            .filter(|(r, _)| r.at <= t && fits(reg, r, phone, name).is_some())
            .map(|(r, end)| super::mode::OpenReport {
                channel: r.channel.clone(),
                report: r.id.clone(),
                window_end: end,
            })
            .collect()
    })
}

/// R15.2: the determination of masked report `i`: R2's clauses 0–5 for some candidate family,
/// plus (clauses 3 and 4) an open masked hold of the same client.
fn determine(reg: &Registry, i: usize) -> Verdict {
    let m = &reg.ledger.reports[i];
    let mut v = Verdict::new(Kind::Report, i, &m.id, m.at, Code::Accepted, "R2.6");
    v.phone = Some(m.phone);
    v.channel = Some(m.channel.clone());
    v.broker = Some(m.broker.clone());
    let as_candidate = |p: Phone| Report {
        phone: p,
        ..m.clone()
    };
    let candidates: Vec<Report> = candidates(reg, m).into_iter().map(as_candidate).collect();
    let masked = holds_at(reg, m.at, |o| same_client(reg, o, m).then_some(m.phone));
    let visit_first = reg.config.mode == Mode::VisitFirst;
    for (code, rule, clause) in super::report::clauses() {
        // clauses 3 and 4: the candidates' full report holds, then the same client's masked ones
        let held = |same: bool| -> Vec<Cite> {
            (candidates.iter())
                .flat_map(|c| reg.report_holds_at(c.phone, m.at))
                .chain(masked.iter().copied())
                .filter(|(o, _)| (o.channel == m.channel) == same)
                .map(|(o, end)| Cite::report(o, end))
                .collect()
        };
        let found: Vec<Cite> = match code {
            Code::Duplicate => held(true),
            Code::HeldByReport if visit_first => vec![], // R16.1
            Code::HeldByReport => held(false),
            _ => candidates.iter().filter_map(|c| clause(reg, c)).collect(),
        };
        // known-client names the latest covering contact; the others the earliest record (the
        // first candidate's at equal times)
        let cite = match code {
            Code::KnownClient => found.into_iter().rev().max_by_key(|c| c.at),
            _ => found.into_iter().min_by_key(|c| c.at),
        };
        if let Some(cite) = cite {
            v.code = code;
            v.rule = rule;
            v.cite = Some(Box::new(cite));
            return v;
        }
    }
    v.until = Some(super::report::window_end(reg, m));
    v
}

/// R15: judges masked report `i` and registers its hold when accepted; every masked report has
/// the finding `masked`.
pub fn step(reg: &mut Registry, i: usize) -> Verdict {
    let mut v = determine(reg, i);
    v.findings
        .push(Finding::warning(FindingDetail::Masked, "R15"));
    if v.code == Code::Accepted {
        reg.masked.holds.push(MaskedHold {
            report: i as u32,
            window_end: v.until.expect("an accepted report has a window"),
            open: true,
            completed: None,
        });
    }
    v
}

/// R15.4: channel `channel`'s latest open masked report that fits the visit's family, as R4.3's
/// "that report".
pub fn that_report<'l>(
    reg: &Registry<'l>,
    c: &Contact,
    channel: &str,
) -> Option<(&'l Report, Time)> {
    if !reg.config.masked_reports || (reg.config.masked_match_name && c.client.is_none()) {
        return None; // R15.5: a visit without a name fits nothing
    }
    (reg.masked.holds.iter())
        .filter(|h| h.open)
        .map(|h| (&reg.ledger.reports[h.report as usize], h.window_end))
        .rfind(|(r, _)| {
            r.channel == channel
                && r.at < c.at
                && fits(reg, r, c.phone, c.client.as_deref()).is_some()
        })
}

/// R15.4/R15.5 after a visit is judged: a visit without a name whose phone matches an open
/// masked report's pattern gets `masked-name-missing` and fits nothing; otherwise it ends (and
/// completes) the holds of the masked reports before it that fit its family.
pub fn visit(reg: &mut Registry, i: usize, v: &mut Verdict) {
    let c = &reg.ledger.contacts[i];
    if !reg.config.masked_reports || c.kind != crate::model::ContactKind::Visit {
        return;
    }
    let open =
        |reg: &Registry, h: &MaskedHold| h.open && reg.ledger.reports[h.report as usize].at < c.at;
    if reg.config.masked_match_name && c.client.is_none() {
        let pattern = c.phone.mask();
        let matching = (reg.masked.holds.iter())
            .filter(|h| open(reg, h))
            .find(|h| reg.ledger.reports[h.report as usize].phone == pattern);
        if let Some(h) = matching {
            let r = &reg.ledger.reports[h.report as usize];
            let cite = Cite::report(r, h.window_end);
            v.findings
                .push(Finding::warning(FindingDetail::MaskedNameMissing, "R15.5").cite(cite));
        }
        return;
    }
    let ended: Vec<(usize, Phone)> = (reg.masked.holds.iter().enumerate())
        .filter(|(_, h)| open(reg, h))
        .filter_map(|(k, h)| {
            let r = &reg.ledger.reports[h.report as usize];
            Some((k, fits(reg, r, c.phone, c.client.as_deref())?))
        })
        .collect();
    for (k, filled) in ended {
        let h = &mut reg.masked.holds[k];
        h.open = false;
        h.completed = Some((c.id.clone(), filled));
    }
}

/// R15.4: the completed masked reports (by their position in the reports) with the visit that
/// completed each and the phone that fills it, as the registry knows them at the end.
pub fn completions(reg: &Registry) -> rustc_hash::FxHashMap<usize, (Text, Phone)> {
    (reg.masked.holds.iter())
        .filter_map(|h| Some((h.report as usize, h.completed.clone()?)))
        .collect()
}

/// R15.4: writes a completed masked report's visit and phone on its verdict (replay's
/// `completed_by`, `completed_phone`); the verdict itself never changes.
pub fn fill(done: &rustc_hash::FxHashMap<usize, (Text, Phone)>, v: &mut Verdict) {
    if v.kind == Kind::Report
        && let Some(d) = done.get(&v.index)
    {
        v.completed = Some(Box::new(d.clone()));
    }
}

/// R15.4: `fill` for every verdict of an evaluation.
pub fn complete(e: &mut super::Evaluation) {
    let done = completions(&e.registry);
    if done.is_empty() {
        return;
    }
    e.verdicts.iter_mut().for_each(|v| fill(&done, v));
}

#[cfg(test)]
mod tests {
    use crate::model::{Kind, Phone};
    use crate::rules::testkit::*;

    const AS_OF: &str = "2026-04-01 00:00";
    const FULL: &str = "13812345678";

    fn on() -> Lb {
        let mut l = Lb::new();
        l.l.config.masked_reports = true;
        l
    }

    fn report(l: Lb, id: &str, at: &str, channel: &str, client: &str, phone: &str) -> Lb {
        let cells = [
            ("id", id),
            ("at", at),
            ("channel", channel),
            ("broker", "王五"),
            ("client", client),
            ("phone", phone),
        ];
        l.row(Kind::Report, &cells)
    }

    fn visit(l: Lb, id: &str, at: &str, client: Option<&str>, channel: Option<&str>) -> Lb {
        let mut cells = vec![("id", id), ("at", at), ("kind", "visit"), ("phone", FULL)];
        cells.extend(client.map(|c| ("client", c)));
        if let Some(ch) = channel {
            cells.extend([("channel", ch), ("broker", "王五"), ("slip", "S1")]);
        }
        l.row(Kind::Contact, &cells)
    }

    /// R15 example 1's RP1: 链家, 刘洋, 138****5678 on 03-01 09:00.
    fn rp1() -> Lb {
        report(
            on(),
            "RP1",
            "2026-03-01 09:00",
            "链家",
            "刘洋",
            "138****5678",
        )
    }

    fn completed(l: &Lb, id: &str) -> Option<(String, Phone)> {
        let e = l.eval(AS_OF);
        let v = e.verdict(id).unwrap();
        v.completed.as_deref().map(|(v, p)| (v.to_string(), *p))
    }

    fn codes(l: &Lb, id: &str) -> Vec<&'static str> {
        let e = l.eval(AS_OF);
        let v = e.verdict(id).unwrap();
        v.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn masks_are_first_three_and_last_four() {
        let p = Phone(13812345678);
        assert_eq!(p.mask().to_string(), "138****5678");
        assert!(p.mask().is_masked() && !p.is_masked());
        assert_eq!(p.mask().mask(), p.mask());
    }

    #[test]
    fn r15_example_1_accepted_then_completed_by_the_visit() {
        let l = rp1();
        assert_eq!(l.verdict("RP1", AS_OF), ("accepted", "R2.6"));
        let e = l.eval(AS_OF);
        let until = e.verdict("RP1").unwrap().until;
        assert_eq!(until, Some(t("2026-03-04T23:59:59.999999999+08:00")));
        assert_eq!(codes(&l, "RP1"), ["masked"]);
        let l = visit(l, "V1", "2026-03-02 10:00", Some("刘洋"), Some("链家"));
        assert_eq!(l.verdict("V1", AS_OF), ("valid", "R4.6"), "fits, 25 h lead");
        assert_eq!(
            completed(&l, "RP1"),
            Some(("V1".into(), Phone(13812345678)))
        );
        assert_eq!(
            l.verdict("RP1", AS_OF),
            ("accepted", "R2.6"),
            "its verdict never changes"
        );
    }

    #[test]
    fn r15_example_2_the_same_pattern_and_name_is_held_by_report() {
        let l = report(
            rp1(),
            "RP2",
            "2026-03-01 10:00",
            "我爱我家",
            "刘洋",
            "138****5678",
        );
        assert_eq!(l.verdict("RP2", AS_OF), ("held-by-report", "R2.4"));
        let l = report(
            l,
            "RP2b",
            "2026-03-01 10:00",
            "链家",
            "刘 洋",
            "138****5678",
        );
        assert_eq!(l.verdict("RP2b", AS_OF), ("duplicate", "R2.3"), "name key");
    }

    /// R15.4 when verdicts are handed on as judged (`replay`): the completion, known only at
    /// the end, is on the report's verdict all the same; the scopes hand on what they keep.
    #[test]
    fn verdicts_handed_on_as_judged_carry_their_completion() {
        use crate::rules::{Scope, evaluate_each, evaluate_scoped};
        let l = visit(rp1(), "V1", "2026-03-02 10:00", Some("刘洋"), Some("链家"));
        let l = l.booking("B1", "2026-03-05 10:00", Phone(13812345678));
        for scope in [Scope::All, Scope::Family(Phone(13812345678))] {
            let kept = evaluate_scoped(&l.l, t(AS_OF), scope).verdicts;
            let mut handed = vec![];
            evaluate_each(&l.l, t(AS_OF), scope, &mut |v| handed.push(v));
            assert_eq!(handed, kept, "{scope:?}");
        }
        // the masked report is no family's record (its phone is masked): `All` shows it
        let mut handed = vec![];
        evaluate_each(&l.l, t(AS_OF), Scope::All, &mut |v| handed.push(v));
        let rp1 = handed.iter().find(|v| v.id == "RP1").unwrap();
        assert_eq!(rp1.completed.as_ref().unwrap().0, "V1");
    }

    #[test]
    fn r15_example_3_another_name_is_accepted_and_stays_open_after_v1() {
        let l = report(
            rp1(),
            "RP3",
            "2026-03-01 10:30",
            "我爱我家",
            "刘芳",
            "138****5678",
        );
        assert_eq!(l.verdict("RP3", AS_OF), ("accepted", "R2.6"));
        let l = visit(l, "V1", "2026-03-02 10:00", Some("刘洋"), Some("链家"));
        assert_eq!(completed(&l, "RP1").map(|c| c.0), Some("V1".into()));
        assert_eq!(completed(&l, "RP3"), None, "V1 does not fit 刘芳");
        let e = l.eval(AS_OF);
        assert!(
            e.registry.masked.holds.iter().any(|h| h.open),
            "RP3's hold is open"
        );
    }

    #[test]
    fn r15_example_4_a_protected_contact_makes_it_known_client() {
        let l = visit(on(), "C0", "2026-02-20 10:00", Some("刘洋"), None);
        let l = report(l, "RP1", "2026-03-01 09:00", "链家", "刘洋", "138****5678");
        assert_eq!(l.verdict("RP1", AS_OF), ("known-client", "R2.2"));
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("RP1").unwrap().cite.as_ref().unwrap().id, "C0");
    }

    #[test]
    fn r15_example_5_a_full_report_meets_the_masked_hold() {
        let l = report(rp1(), "R5", "2026-03-01 11:00", "我爱我家", "刘洋", FULL);
        assert_eq!(l.verdict("R5", AS_OF), ("held-by-report", "R2.4"));
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("R5").unwrap().cite.as_ref().unwrap().id, "RP1");
        // another name: the masked hold does not fit (name required)
        let l = report(rp1(), "R5", "2026-03-01 11:00", "我爱我家", "刘芳", FULL);
        assert_eq!(l.verdict("R5", AS_OF), ("accepted", "R2.6"));
    }

    #[test]
    fn r15_example_6_a_walk_in_warns_and_ends_the_hold() {
        let l = visit(rp1(), "W1", "2026-03-02 10:00", Some("刘洋"), None);
        assert_eq!(l.verdict("W1", AS_OF), ("recorded", "R3"));
        assert_eq!(codes(&l, "W1"), ["walk-in-during-hold"]);
        assert_eq!(completed(&l, "RP1").map(|c| c.0), Some("W1".into()));
    }

    #[test]
    fn r15_4_a_completed_hold_is_over_for_later_visits() {
        let l = visit(rp1(), "W1", "2026-03-02 10:00", Some("刘洋"), None);
        let l = visit(l, "V2", "2026-03-03 10:00", Some("刘洋"), Some("链家"));
        assert_eq!(l.verdict("V2", AS_OF), ("no-report", "R4.3"));
        assert_eq!(completed(&l, "RP1").map(|c| c.0), Some("W1".into()));
    }

    #[test]
    fn r15_example_7_a_visit_without_a_name_fits_nothing() {
        let l = visit(rp1(), "V7", "2026-03-02 10:00", None, Some("链家"));
        assert_eq!(l.verdict("V7", AS_OF), ("no-report", "R4.3"));
        assert_eq!(codes(&l, "V7"), ["masked-name-missing"]);
        assert_eq!(completed(&l, "RP1"), None, "RP1's hold stays open");
    }

    #[test]
    fn r15_check_lists_fitting_open_masked_reports_and_promotes_in_report_first() {
        use crate::rules::check::{Prospect, client_status};
        let l = report(
            rp1(),
            "RP3",
            "2026-03-01 10:30",
            "我爱我家",
            "刘芳",
            "138****5678",
        );
        let l = visit(l, "C0", "2026-02-01 10:00", Some("刘芳"), None);
        let e = l.eval("2026-03-02 12:00");
        let p = Phone(13812345678);
        let liu_yang = Prospect {
            name: Some("刘洋".into()),
            ..Prospect::default()
        };
        let s = client_status(&e, p, &liu_yang);
        let ids: Vec<String> = (s.masked_reports.unwrap().iter())
            .map(|o| o.report.to_string())
            .collect();
        assert_eq!(
            ids,
            ["RP1", "RP3"],
            "刘洋 by --name, 刘芳 by the family's contact"
        );
        assert_eq!(
            (s.owner.map(|c| c.as_str()), s.rule),
            (Some("channel"), "R2.4")
        );
        assert_eq!(s.channel.as_deref(), Some("链家"));
        let s = client_status(&e, p, &Prospect::default());
        let ids: Vec<String> = (s.masked_reports.unwrap().iter())
            .map(|o| o.report.to_string())
            .collect();
        assert_eq!(
            ids,
            ["RP3"],
            "without --name only the family's own names count"
        );
    }

    #[test]
    fn r17_a_masked_report_window_is_a_reminder() {
        let l = rp1();
        let e = l.eval("2026-03-02 12:00");
        let items = crate::rules::reminders::expiring(&e, 3);
        let found: Vec<(&str, String, i64)> = (items.iter())
            .map(|i| (i.kind.as_str(), i.phone.to_string(), i.days_left))
            .collect();
        assert_eq!(found, [("report-window", "138****5678".to_string(), 2)]);
        let l = visit(l, "V1", "2026-03-02 10:00", Some("刘洋"), Some("链家"));
        let e = l.eval("2026-03-02 12:00");
        let items = crate::rules::reminders::expiring(&e, 3);
        assert!(
            items.iter().all(|i| i.reference != "RP1"),
            "completed: no longer open"
        );
    }

    #[test]
    fn r15_masked_match_name_off_fits_by_the_pattern_alone() {
        let mut l = report(
            rp1(),
            "RP3",
            "2026-03-01 10:30",
            "我爱我家",
            "刘芳",
            "138****5678",
        );
        l.l.config.masked_match_name = false;
        assert_eq!(l.verdict("RP3", AS_OF), ("held-by-report", "R2.4"));
    }

    #[test]
    fn r15_visit_first_masked_reports_of_two_channels_both_accepted() {
        let mut l = report(
            rp1(),
            "RP2",
            "2026-03-01 10:00",
            "我爱我家",
            "刘洋",
            "138****5678",
        );
        l.l.config.mode = crate::model::Mode::VisitFirst;
        assert_eq!(l.verdict("RP2", AS_OF), ("accepted", "R2.6"));
    }
}
