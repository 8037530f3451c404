//! R10 Resale viewing and anti-bypass 客户看房确认单 (seed l156–l172): a signed viewing slip binds
//! the client (甲方) and the related parties (关联方) for twelve months; a sale of the viewed
//! property closed by us pays the 1.5 % commission, one closed around us owes the 3 % claim.
//!
//! A deal's verdict reads the relations as of T (R10.4) and agent links reach across families
//! (R10.2): the deals are judged for the whole ledger before the shards run (`Resale::of`, kept
//! by the registry; docs/architecture.md, "Facts across families"). Viewings and deals never
//! change an R1–R9 verdict or line.

use super::registry::Registry;
use super::settle::{Line, LineKind, round_money};
use super::time::{covers, months_end};
use super::verdict::{Cite, Code, Verdict};
use crate::model::*;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// R17 `bypass-window`: the valid viewings (not voided, at ≤ T) with no deal (not voided, at ≤
/// T) of their property by a phone related to theirs as of T, with their bypass window's end.
pub fn open_windows<'l>(
    l: &'l Ledger,
    as_of: Time,
    voided: &HashSet<&str>,
) -> Vec<(&'l Viewing, Time)> {
    if l.viewings.is_empty() {
        return vec![];
    }
    let links = Links::as_of(l, as_of, voided);
    let live = |at: Time, id: &str| at <= as_of && !voided.contains(id);
    let mut buyers: HashMap<String, Vec<Phone>> = HashMap::default();
    for d in l.deals.iter().filter(|d| live(d.at, &d.id)) {
        buyers
            .entry(property_key(&d.property))
            .or_default()
            .push(d.phone);
    }
    (l.viewings.iter())
        .filter(|v| live(v.at, &v.id) && v.client_signature.is_some())
        .filter(|v| {
            let bought = buyers.get(&property_key(&v.property));
            !(bought.into_iter().flatten()).any(|&p| links.related(v.phone, p))
        })
        .map(|v| (v, bypass_end(&l.config, v)))
        .collect()
}

/// R10 switch: on when `attrib.toml` has `[resale]` or a viewings or deals file holds a row
/// (RULES-R10 §7.1 S11). Off, nothing of R10 shows.
pub fn is_on(l: &Ledger) -> bool {
    l.config.resale.table || !l.viewings.is_empty() || !l.deals.is_empty()
}

/// R10.3 / R10.5: a deal's verdict as of T, the viewing it names and what it is owed.
#[derive(Clone, Debug, PartialEq)]
pub struct DealOutcome {
    pub code: Code,
    /// The named viewing (index into `Ledger::viewings`).
    pub viewing: Option<u32>,
    /// The commission (`brokered`) or the claim (`bypass-owner`, `bypass-agency`), rounded.
    pub amount: Option<Decimal>,
    /// When the line falls due (R10.5).
    pub due: Option<Time>,
}

/// R10: every deal's outcome as of T, for the whole ledger (a fact across families).
#[derive(Clone, Debug, Default)]
pub struct Resale {
    deals: HashMap<u32, DealOutcome>,
}

impl Resale {
    /// Judges every non-voided deal existing as of `as_of`.
    pub fn of(l: &Ledger, as_of: Time, voided: &HashSet<&str>) -> Resale {
        let mut out = Resale::default();
        if l.deals.is_empty() {
            return out;
        }
        let links = Links::as_of(l, as_of, voided);
        let mut by_key: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, v) in l.viewings.iter().enumerate() {
            if v.at <= as_of && !voided.contains(v.id.as_str()) {
                by_key
                    .entry(property_key(&v.property))
                    .or_default()
                    .push(i as u32);
            }
        }
        for views in by_key.values_mut() {
            views.sort_by_key(|&i| (l.viewings[i as usize].at, i));
        }
        // claims whose buyer is not the viewing's client wait for their linked_at
        let mut pending: Vec<(u32, Phone, Phone)> = vec![];
        for (i, d) in l.deals.iter().enumerate() {
            if d.at > as_of || voided.contains(d.id.as_str()) {
                continue;
            }
            let candidates = by_key.get(&property_key(&d.property));
            let binding: Vec<Indexed> = (candidates.into_iter().flatten())
                .map(|&j| (j, &l.viewings[j as usize]))
                .filter(|(_, v)| binds(&links, v, d))
                .collect();
            let mut outcome = deal_outcome(&l.config, d, &binding);
            if let Some(v) = outcome.viewing.map(|j| &l.viewings[j as usize])
                && matches!(outcome.code, Code::BypassOwner | Code::BypassAgency)
            {
                outcome.due = Some(d.at.max(d.known()));
                if v.phone != d.phone {
                    pending.push((i as u32, v.phone, d.phone));
                }
            }
            out.deals.insert(i as u32, outcome);
        }
        if !pending.is_empty() {
            let relations = live_relations(l, as_of, voided);
            let pairs: Vec<(Phone, Phone)> = pending.iter().map(|&(_, c, b)| (c, b)).collect();
            for ((i, _, _), linked) in pending.iter().zip(linked_ats(&relations, &pairs)) {
                let due = (out.deals.get_mut(i).and_then(|o| o.due.as_mut()))
                    .expect("a pending claim has a due time");
                if let Some(t) = linked {
                    *due = (*due).max(t);
                }
            }
        }
        out
    }

    /// The outcome of deal `i` (`None`: voided or later than T).
    pub fn deal(&self, i: usize) -> Option<&DealOutcome> {
        self.deals.get(&(i as u32))
    }
}

/// R1 families and R10.2 agent links as of a time.
struct Links {
    families: super::family::Families,
    /// Each phone's agent links, both ways.
    agents: HashMap<Phone, Vec<Phone>>,
}

impl Links {
    fn as_of(l: &Ledger, as_of: Time, voided: &HashSet<&str>) -> Links {
        let mut links = Links {
            families: super::engine::families_as_of(l, as_of, voided),
            agents: HashMap::default(),
        };
        for r in &l.relations {
            if r.at <= as_of && !r.joins_family() && !voided.contains(r.id.as_str()) {
                links.add(r);
            }
        }
        links
    }

    fn add(&mut self, r: &Relation) {
        match r.joins_family() {
            true => self.families.link(r.phone, r.other_phone),
            false => {
                self.agents.entry(r.phone).or_default().push(r.other_phone);
                self.agents.entry(r.other_phone).or_default().push(r.phone);
            }
        }
    }

    /// R10.2 关联方: whether `q` is in the related set of `p`: `p`'s R1 family, plus every phone
    /// joined to a member of it by an `agent` link, either way (one hop, S6).
    fn related(&self, p: Phone, q: Phone) -> bool {
        let family = self.families.members(p);
        let member = |x: &Phone| family.binary_search(x).is_ok();
        member(&q) || (self.agents.get(&q)).is_some_and(|ends| ends.iter().any(member))
    }
}

/// R10.1: a viewing signed by the client (甲方予以确认, l163) is `valid`, else `unsigned`; a valid
/// one's `until` is the end of its bypass window, the `bypass_months` period from its time.
pub fn viewing_verdict(reg: &Registry, i: usize) -> Verdict {
    let v = &reg.ledger.viewings[i];
    let code = match v.client_signature {
        Some(_) => Code::Valid,
        None => Code::Unsigned,
    };
    let mut verdict = Verdict::new(Kind::Viewing, i, &v.id, v.at, code, "R10.1");
    verdict.phone = Some(v.phone);
    verdict.broker = Some(v.broker.clone());
    // an unsigned viewing binds nothing: it has no window
    verdict.until = (code == Code::Valid).then(|| bypass_end(reg.config, v));
    verdict
}

/// R10.1: the end of the viewing's bypass window (第四条, 自看房之日起十二个月内, §2.1).
pub fn bypass_end(cfg: &Config, v: &Viewing) -> Time {
    months_end(v.at, cfg.resale.bypass_months, cfg.day_count, cfg.timezone)
}

/// R10.1: the end of the viewing's agency window (第五条, `other_agency_months`, A2).
pub fn agency_end(cfg: &Config, v: &Viewing) -> Time {
    months_end(
        v.at,
        cfg.resale.other_agency_months,
        cfg.day_count,
        cfg.timezone,
    )
}

/// R10.2: viewing `v` binds deal `d`: same property key (the caller matched it), not voided (the
/// caller dropped voided viewings), at or before the deal, and the buyer's phone related to the
/// viewing's as of T.
fn binds(links: &Links, v: &Viewing, d: &Deal) -> bool {
    v.at <= d.at && links.related(v.phone, d.phone)
}

/// A viewing and its index in `Ledger::viewings`.
type Indexed<'l> = (u32, &'l Viewing);

/// R10.3: the deal verdict, tried in order, from its binding viewings (in evaluation order).
fn deal_outcome(cfg: &Config, d: &Deal, binding: &[Indexed]) -> DealOutcome {
    let r = &cfg.resale;
    let outcome = |code, viewing: Option<&Indexed>, rate: Option<&Rate>| DealOutcome {
        code,
        viewing: viewing.map(|(j, _)| *j),
        amount: rate.map(|rate| round_money(d.price * rate.value)),
        due: None,
    };
    if d.via == DealVia::Us {
        return DealOutcome {
            due: Some(d.at),
            ..outcome(Code::Brokered, None, Some(&r.commission_rate))
        };
    }
    if binding.is_empty() {
        return outcome(Code::NotViewed, None, None);
    }
    let valid: Vec<&Indexed> = (binding.iter())
        .filter(|(_, v)| v.client_signature.is_some())
        .collect();
    let Some(&latest_valid) = valid.last() else {
        return outcome(Code::UnsignedViewing, None, None);
    };
    let outside = outcome(Code::OutsideWindow, Some(latest_valid), None);
    match d.via {
        DealVia::Owner => {
            let covering =
                (valid.iter().rev()).find(|(_, v)| covers(v.at, bypass_end(cfg, v), d.at));
            match covering {
                Some(v) => outcome(Code::BypassOwner, Some(v), Some(&r.bypass_rate)),
                None => outside,
            }
        }
        _ => {
            let covering: Vec<&Indexed> = (valid.iter().copied())
                .filter(|(_, v)| covers(v.at, agency_end(cfg, v), d.at))
                .collect();
            match (
                covering.iter().rev().find(|(_, v)| v.is_first()),
                covering.last(),
            ) {
                (Some(v), _) => outcome(Code::BypassAgency, Some(v), Some(&r.bypass_rate)),
                (None, Some(v)) => outcome(Code::PriorViewing, Some(v), None),
                (None, None) => outside,
            }
        }
    }
}

/// The non-voided relations at or before T, in evaluation order (time, then file order).
fn live_relations<'l>(l: &'l Ledger, as_of: Time, voided: &HashSet<&str>) -> Vec<&'l Relation> {
    let mut order: Vec<&Relation> = (l.relations.iter())
        .filter(|r| r.at <= as_of && !voided.contains(r.id.as_str()))
        .collect();
    order.sort_by_key(|r| r.at); // stable: file order at equal times
    order
}

/// R10.5 linked_at of each (client, buyer) pair of different phones: the time of the first of
/// `relations` (in evaluation order) after which the buyer is related to the client (`None`:
/// never). A claim falls due at max(d.at, d.known_at, linked_at), once every fact it rests on is
/// in the ledger. The relations are replayed once for every claim, not once per claim (that was
/// a quarter of a 1M-row settlement), and after each relation only the pairs it may have linked
/// are asked: an agent link can only relate its two ends as buyers; a family merge can only
/// relate a pair with its client on one side and its buyer, or an agent end of the buyer, on the
/// other, so the pairs of the smaller side's phones are asked (each phone is on a smaller side
/// at most log n times).
fn linked_ats(relations: &[&Relation], pairs: &[(Phone, Phone)]) -> Vec<Option<Time>> {
    let mut linked = vec![None; pairs.len()];
    let mut by_phone: HashMap<Phone, Vec<usize>> = HashMap::default();
    for (k, &(client, buyer)) in pairs.iter().enumerate() {
        by_phone.entry(client).or_default().push(k);
        by_phone.entry(buyer).or_default().push(k);
    }
    let mut open = pairs.len();
    let mut links = Links {
        families: Default::default(),
        agents: HashMap::default(),
    };
    for r in relations {
        if open == 0 {
            break;
        }
        let touched: Vec<Phone> = if r.joins_family() {
            let (a, b) = (
                links.families.members(r.phone),
                links.families.members(r.other_phone),
            );
            let smaller = if a.len() <= b.len() { a } else { b };
            let agents = (smaller.iter()).flat_map(|p| links.agents.get(p).into_iter().flatten());
            smaller.iter().chain(agents).copied().collect()
        } else {
            vec![r.phone, r.other_phone]
        };
        links.add(r);
        for k in touched.iter().filter_map(|p| by_phone.get(p)).flatten() {
            let (client, buyer) = pairs[*k];
            if linked[*k].is_none() && links.related(client, buyer) {
                linked[*k] = Some(r.at);
                open -= 1;
            }
        }
    }
    linked
}

/// R10.3 / R10.4: deal `i`'s verdict, read from the outcomes computed as of T.
pub fn deal_verdict(reg: &Registry, i: usize) -> Verdict {
    let l = reg.ledger;
    let d = &l.deals[i];
    let outcome = reg.resale.deal(i);
    let code = outcome.map_or(Code::NotViewed, |o| o.code);
    let mut verdict = Verdict::new(Kind::Deal, i, &d.id, d.at, code, "R10.3");
    verdict.phone = Some(d.phone);
    verdict.amount = outcome.and_then(|o| o.amount);
    if let Some(v) = outcome
        .and_then(|o| o.viewing)
        .map(|j| &l.viewings[j as usize])
    {
        verdict.broker = Some(v.broker.clone());
        let until = match d.via {
            DealVia::Other => agency_end(reg.config, v),
            _ => bypass_end(reg.config, v),
        };
        verdict.cite = Some(Box::new(viewing_cite(v, until)));
    }
    verdict
}

/// A viewing as evidence, with the end of the window that counted.
fn viewing_cite(v: &Viewing, until: Time) -> Cite {
    Cite {
        kind: Kind::Viewing,
        contact: None,
        id: v.id.clone(),
        at: v.at,
        until: Some(until),
        channel: None,
        slip: None,
    }
}

/// R10.5: the settlement line of a deal's verdict, when one is due as `wanted` says:
/// `resale_commission` for `brokered` (debtor the buyer, due at the deal), `bypass_claim` for
/// `bypass-owner` / `bypass-agency` (debtor the named viewing's client, due when the last fact
/// is recorded).
pub fn line(reg: &Registry, v: &Verdict, wanted: &dyn Fn(Time) -> bool) -> Option<Line> {
    let l = reg.ledger;
    let d = &l.deals[v.index];
    let o = reg.resale.deal(v.index)?;
    let (due, amount) = (o.due?, o.amount?);
    if !wanted(due) {
        return None;
    }
    let r = &l.config.resale;
    let viewing = o.viewing.map(|j| &l.viewings[j as usize]);
    let (kind, rate, buyer, phone) = match (o.code, viewing) {
        (Code::Brokered, _) => (
            LineKind::ResaleCommission,
            &r.commission_rate,
            &d.buyer,
            d.phone,
        ),
        (_, Some(w)) => (LineKind::BypassClaim, &r.bypass_rate, &w.client, w.phone),
        _ => return None,
    };
    Some(Line {
        kind,
        due,
        reference: d.id.clone(),
        booking: None,
        unit: Some(d.property.clone()),
        buyer: Some(buyer.clone()),
        phone: Some(phone),
        owner: Some(o.code),
        payee: l.config.resale_payee().into(),
        base: Some(d.price),
        rate: rate.text.as_str().into(),
        amount,
        flagged: false,
        rule: "R10.5",
        detail: viewing.map(|w| w.id.clone()).unwrap_or_default(),
        broker: viewing.map(|w| w.broker.clone()),
        flags: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::super::settle;
    use super::super::testkit::*;
    use crate::model::{DayCount, Kind, Phone};
    use rust_decimal::Decimal;

    const WANG: Phone = Phone(13800000001);
    const ZHAO: Phone = Phone(13900000002);
    const PROPERTY: &str = "城西区海湖路88号3-1-1201";

    /// R10 examples: VW1 signed by 王强 on 2023-03-15 10:00.
    fn vw1(first: Option<&str>) -> Lb {
        let mut cells = vec![
            ("id", "VW1"),
            ("at", "2023-03-15 10:00"),
            ("property", PROPERTY),
            ("client", "王强"),
            ("phone", "13800000001"),
            ("broker", "李四"),
            ("client_signature", "王强"),
        ];
        cells.extend(first.map(|f| ("first_viewing", f)));
        Lb::new().row(Kind::Viewing, &cells)
    }

    fn deal(l: Lb, cells: &[(&str, &str)]) -> Lb {
        l.row(Kind::Deal, cells)
    }

    /// (code, amount, due) of deal `id` as of `at`, and its line kinds due in any month.
    fn judged(l: &Lb, id: &str, at: &str) -> (&'static str, Option<Decimal>, Vec<settle::Line>) {
        let e = l.eval(at);
        let v = e.verdict(id).expect("a verdict");
        let lines = settle::lines(&e)
            .into_iter()
            .filter(|x| x.reference == id)
            .collect();
        (v.code.as_str(), v.amount, lines)
    }

    fn month_kinds(l: &Lb, at: &str, year: i32, month: u32) -> Vec<&'static str> {
        let e = l.eval(at);
        (settle::month_lines(&e, year, month, l.l.config.timezone).iter())
            .map(|x| x.kind.as_str())
            .collect()
    }

    fn de1(l: Lb, at: &str) -> Lb {
        deal(
            l,
            &[
                ("id", "DE1"),
                ("at", at),
                ("property", "城西区海湖路８８号 3-1-1201"),
                ("buyer", "王强"),
                ("phone", "13800000001"),
                ("price", "1200000.00"),
                ("via", "owner"),
                ("known_at", "2024-04-02 09:00"),
            ],
        )
    }

    #[test]
    fn example_1_a_direct_deal_with_the_owner_within_twelve_months_owes_3_percent() {
        // R10.3.4, R10.5: the window ends 2024-03-15 23:59:59; the claim falls due when the
        // deal is known
        let l = de1(vw1(None), "2024-03-15 16:00");
        let (code, amount, lines) = judged(&l, "DE1", "2024-05-01 00:00");
        assert_eq!(code, "bypass-owner");
        assert_eq!(amount, Some(Decimal::new(3600000, 2)));
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line.kind.as_str(), "bypass_claim");
        assert_eq!(line.due, t("2024-04-02 09:00"));
        assert_eq!(line.amount, Decimal::new(3600000, 2));
        assert_eq!(line.buyer.as_deref(), Some("王强"));
        assert_eq!(line.phone, Some(WANG));
        assert_eq!(line.detail, "VW1");
        assert_eq!(
            month_kinds(&l, "2024-05-01 00:00", 2024, 4),
            ["bypass_claim"]
        );
        assert!(month_kinds(&l, "2024-05-01 00:00", 2024, 3).is_empty());
        let e = l.eval("2024-05-01 00:00");
        let cite = e.verdict("DE1").unwrap().cite.as_deref().unwrap();
        assert_eq!(
            (cite.id.as_str(), cite.until),
            ("VW1", Some(t("2024-03-15T23:59:59.999999999+08:00")))
        );
    }

    #[test]
    fn example_2_a_day_after_the_window_owes_nothing() {
        let l = de1(vw1(None), "2024-03-16 09:00");
        let (code, amount, lines) = judged(&l, "DE1", "2024-05-01 00:00");
        assert_eq!((code, amount), ("outside-window", None));
        assert!(lines.is_empty());
    }

    /// Example 3: 赵敏 (13900000002) bought through another agency; her link to 王强 is recorded
    /// on 2024-05-01.
    fn example_3(first: Option<&str>) -> Lb {
        let l = vw1(first).row(
            Kind::Relation,
            &[
                ("id", "F1"),
                ("at", "2024-05-01 10:00"),
                ("phone", "13800000001"),
                ("relation", "spouse"),
                ("other_phone", "13900000002"),
            ],
        );
        deal(
            l,
            &[
                ("id", "DE3"),
                ("at", "2023-11-20 11:00"),
                ("property", PROPERTY),
                ("buyer", "赵敏"),
                ("phone", "13900000002"),
                ("via", "other"),
                ("other_agency", "某某地产"),
                ("price", "980000.00"),
                ("known_at", "2024-04-20 09:00"),
            ],
        )
    }

    #[test]
    fn example_3_a_relation_recorded_later_makes_the_deal_a_bypass_as_of_then() {
        // R10.4: the related set is taken as of T
        let l = example_3(None);
        let (code, _, lines) = judged(&l, "DE3", "2024-04-30 00:00");
        assert_eq!(code, "not-viewed");
        assert!(lines.is_empty());
        let (code, amount, lines) = judged(&l, "DE3", "2024-05-02 00:00");
        assert_eq!(
            (code, amount),
            ("bypass-agency", Some(Decimal::new(2940000, 2)))
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].due,
            t("2024-05-01 10:00"),
            "linked_at is the latest fact"
        );
        assert_eq!(
            lines[0].phone,
            Some(WANG),
            "the debtor is the viewing's client"
        );
        assert_eq!(
            month_kinds(&l, "2024-05-02 00:00", 2024, 5),
            ["bypass_claim"]
        );
        assert!(month_kinds(&l, "2024-05-02 00:00", 2023, 11).is_empty());
        assert!(month_kinds(&l, "2024-05-02 00:00", 2024, 4).is_empty());
        let _ = ZHAO;
    }

    #[test]
    fn example_4_a_declared_earlier_viewing_owes_nothing() {
        let l = example_3(Some("no"));
        let (code, amount, lines) = judged(&l, "DE3", "2024-05-02 00:00");
        assert_eq!((code, amount), ("prior-viewing", None));
        assert!(lines.is_empty());
    }

    #[test]
    fn example_5_a_deal_we_brokered_pays_1_5_percent_the_day_of_signing() {
        let l = Lb::new().row(
            Kind::Deal,
            &[
                ("id", "DE4"),
                ("at", "2023-04-01 15:00"),
                ("property", PROPERTY),
                ("buyer", "王强"),
                ("phone", "13800000001"),
                ("via", "us"),
                ("price", "1234567.00"),
            ],
        );
        let (code, amount, lines) = judged(&l, "DE4", "2023-05-01 00:00");
        assert_eq!((code, amount), ("brokered", Some(Decimal::new(1851851, 2))));
        assert_eq!(lines[0].kind.as_str(), "resale_commission");
        assert_eq!(
            (lines[0].due, lines[0].amount),
            (t("2023-04-01 15:00"), Decimal::new(1851851, 2))
        );
        assert_eq!(lines[0].payee, l.l.config.agency);
        assert_eq!(
            month_kinds(&l, "2023-05-01 00:00", 2023, 4),
            ["resale_commission"]
        );
    }

    #[test]
    fn example_6_a_leap_day_window_ends_on_the_last_day_of_february() {
        let mut l = Lb::new().row(
            Kind::Viewing,
            &[
                ("id", "VW5"),
                ("at", "2024-02-29 10:00"),
                ("property", PROPERTY),
                ("client", "王强"),
                ("phone", "13800000001"),
                ("broker", "李四"),
                ("client_signature", "王强"),
            ],
        );
        let until = |l: &Lb| l.eval("2025-03-01 00:00").verdict("VW5").unwrap().until;
        assert_eq!(l.verdict("VW5", "2025-03-01 00:00"), ("valid", "R10.1"));
        assert_eq!(until(&l), Some(t("2025-02-28T23:59:59.999999999+08:00")));
        l.l.config.day_count = DayCount::Elapsed;
        assert_eq!(until(&l), Some(t("2025-02-28 10:00")));
    }

    #[test]
    fn an_unsigned_viewing_binds_nothing() {
        let l = Lb::new().row(
            Kind::Viewing,
            &[
                ("id", "VW1"),
                ("at", "2023-03-15 10:00"),
                ("property", PROPERTY),
                ("client", "王强"),
                ("phone", "13800000001"),
                ("broker", "李四"),
            ],
        );
        assert_eq!(l.verdict("VW1", "2023-04-01 00:00"), ("unsigned", "R10.1"));
        let l = de1(l, "2023-06-01 10:00");
        assert_eq!(
            l.verdict("DE1", "2024-05-01 00:00"),
            ("unsigned-viewing", "R10.3")
        );
    }

    #[test]
    fn an_agent_of_the_client_is_related_one_hop_but_does_not_join_the_family() {
        // R10.2: 王强's agent 13900000002 buys from the owner; the agent's spouse is not related
        let agent = [
            ("id", "F1"),
            ("at", "2023-03-01 10:00"),
            ("phone", "13900000002"),
            ("relation", "agent"),
            ("other_phone", "13800000001"),
        ];
        let spouse = [
            ("id", "F2"),
            ("at", "2023-03-01 10:00"),
            ("phone", "13900000002"),
            ("relation", "spouse"),
            ("other_phone", "13900000003"),
        ];
        let buy = |id, phone| {
            [
                ("id", id),
                ("at", "2023-06-01 10:00"),
                ("property", PROPERTY),
                ("buyer", "某人"),
                ("phone", phone),
                ("via", "owner"),
                ("price", "100"),
            ]
        };
        let l = vw1(None)
            .row(Kind::Relation, &agent)
            .row(Kind::Relation, &spouse);
        let l = deal(
            deal(l, &buy("DA", "13900000002")),
            &buy("DS", "13900000003"),
        );
        assert_eq!(l.verdict("DA", "2024-01-01 00:00").0, "bypass-owner");
        assert_eq!(l.verdict("DS", "2024-01-01 00:00").0, "not-viewed");
        let e = l.eval("2024-01-01 00:00");
        assert_eq!(
            e.registry.families.members(WANG).len(),
            1,
            "agent links join no family"
        );
        let due = settle::lines(&e)
            .into_iter()
            .find(|x| x.reference == "DA")
            .unwrap()
            .due;
        assert_eq!(
            due,
            t("2023-06-01 10:00"),
            "linked before the deal: due at the deal"
        );
    }

    #[test]
    fn a_later_viewing_or_another_property_does_not_bind() {
        let l = de1(vw1(None), "2023-03-15 09:59");
        assert_eq!(l.verdict("DE1", "2024-05-01 00:00").0, "not-viewed");
        let l = vw1(None).row(
            Kind::Deal,
            &[
                ("id", "DX"),
                ("at", "2023-05-01 10:00"),
                ("property", "城西区海湖路88号3-1-1202"),
                ("buyer", "王强"),
                ("phone", "13800000001"),
                ("via", "owner"),
                ("price", "100"),
            ],
        );
        assert_eq!(l.verdict("DX", "2024-05-01 00:00").0, "not-viewed");
    }

    #[test]
    fn a_viewing_and_a_deal_at_the_same_minute_bind_and_a_voided_viewing_does_not() {
        let l = de1(vw1(None), "2023-03-15 10:00");
        assert_eq!(l.verdict("DE1", "2024-05-01 00:00").0, "bypass-owner");
        let l = l.void("X1", "2023-04-01 00:00", "VW1");
        assert_eq!(l.verdict("DE1", "2024-05-01 00:00").0, "not-viewed");
    }

    #[test]
    fn property_keys_ignore_width_spaces_and_ascii_case() {
        use crate::model::property_key;
        assert_eq!(
            property_key("城西区海湖路８８号 3-1-1201"),
            property_key(PROPERTY)
        );
        assert_eq!(property_key("Ａ座\u{3000}12 01"), property_key("a座1201"));
        assert_ne!(property_key("3-1-1201"), property_key("3-1-1202"));
    }
}
