//! R17 expiry reminders 保护期到期提醒 (RULES-R10.md): the holds and protections that end
//! within N days of the as-of time, soonest first — the morning list. Read-only: no verdicts.

use super::Evaluation;
use crate::model::{Phone, Text, Time};
use chrono::FixedOffset;
use rustc_hash::FxHashSet as HashSet;

/// What ends (R17's table, in its order; the R10/R11 kinds come with those rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    /// The window of an accepted report whose hold is open at T (R2.4).
    ReportWindow,
    /// The channel hold of the holding valid visit (R4.6, R7.2's visit).
    ChannelHold,
    /// The protection of the family's latest contact (R3).
    Protection,
    /// R10: the bypass window of a valid viewing whose property no related phone has bought.
    BypassWindow,
    /// The end of a departed consultant's period for a family they developed and held (R11.5).
    DepartedShare,
    /// The recycle deadline of the family's consultant of record (R11.2d).
    Recycle,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::ReportWindow => "report-window",
            ItemKind::ChannelHold => "channel-hold",
            ItemKind::Protection => "protection",
            ItemKind::BypassWindow => "bypass-window",
            ItemKind::DepartedShare => "departed-share",
            ItemKind::Recycle => "recycle",
        }
    }

    pub fn rule(self) -> &'static str {
        match self {
            ItemKind::ReportWindow => "R2.4",
            ItemKind::ChannelHold => "R4",
            ItemKind::Protection => "R3",
            ItemKind::BypassWindow => "R10.1",
            ItemKind::DepartedShare => "R11.5",
            ItemKind::Recycle => "R11.2",
        }
    }
}

/// One reminder.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub kind: ItemKind,
    pub ends: Time,
    /// date(ends) − date(T), in calendar days in the project zone.
    pub days_left: i64,
    pub phone: Phone,
    /// The client's name on the record (else the first name the family was received under).
    pub client: Text,
    /// The channel (report-window, channel-hold), else the agency (S7: the consultant of
    /// record is R11's; until then the agency holds the protection).
    pub holder: Text,
    /// Whom to call: the broker of a channel item, the first-visit consultant of a protection.
    pub contact: Option<Text>,
    /// The report, visit or contact whose period ends.
    pub reference: Text,
}

/// R17: every item whose end e satisfies T < e ≤ limit, where limit is the end of the N-day
/// period from T (RULES §3 day count); sorted by e, then kind, then ref.
pub fn expiring(e: &Evaluation, days: u32) -> Vec<Item> {
    let reg = &e.registry;
    let l = reg.ledger;
    let cfg = reg.config;
    let t = reg.as_of;
    let limit = reg.period_end(t, days);
    let tz: FixedOffset = cfg.timezone;
    let days_left = |end: Time| {
        let d = |x: Time| x.with_timezone(&tz).date_naive();
        (d(end) - d(t)).num_days()
    };
    // every family the registry knows, once, by its smallest phone
    let mut seen: HashSet<Phone> = HashSet::default();
    let phones = (l.reports.iter().filter(|r| r.at <= t).map(|r| r.phone))
        .chain(l.contacts.iter().filter(|c| c.at <= t).map(|c| c.phone));
    let families: Vec<Phone> = phones
        .filter(|&p| reg.knows(p) && seen.insert(reg.families.members(p)[0]))
        .collect();
    let name = |p: Phone, own: Option<&Text>| -> Text {
        own.cloned()
            .or_else(|| reg.names(p).first().map(|&n| n.into()))
            .unwrap_or_default()
    };
    let mut out = vec![];
    let mut push = |kind, ends: Time, phone, client, holder, contact, reference| {
        if t < ends && ends <= limit {
            out.push(Item {
                kind,
                ends,
                days_left: days_left(ends),
                phone,
                client,
                holder,
                contact,
                reference,
            });
        }
    };
    for p in families {
        // R2.4: accepted reports whose hold is open at T (a cancelled channel's hold nothing)
        for (r, end) in reg.report_holds_at(p, t) {
            let client = name(r.phone, Some(&r.client));
            let broker = Some(r.broker.clone());
            push(
                ItemKind::ReportWindow,
                end,
                r.phone,
                client,
                r.channel.clone(),
                broker,
                r.id.clone(),
            );
        }
        // R4.6 / R7.2: the holding valid visit, its claim not cancelled
        if let Some((v, end)) = reg.visit_holds_at(p, t).into_iter().next() {
            let client = name(v.phone, v.client.as_ref());
            push(
                ItemKind::ChannelHold,
                end,
                v.phone,
                client,
                v.channel.clone().unwrap_or_default(),
                v.broker.clone(),
                v.id.clone(),
            );
        }
        // R3: the protection of the family's latest contact (A35: one per family)
        if let Some((c, end)) = reg.latest_contact(p) {
            let client = name(c.phone, c.client.as_ref());
            let consultant = reg.first_visit(p).and_then(|v| v.consultant.clone());
            // S7: the consultant of record holds the protection when R11 is on
            let holder = super::consultant::status_at(reg, p)
                .and_then(|(h, _, _)| h)
                .map_or_else(|| cfg.agency.as_str().into(), |h| h.name);
            push(
                ItemKind::Protection,
                end,
                c.phone,
                client,
                holder,
                consultant,
                c.id.clone(),
            );
        }
    }
    // R10: open bypass windows, held by the resale payee; call the viewing's broker
    for (v, end) in super::resale::open_windows(l, t, &reg.voided) {
        let holder = cfg.resale_payee().into();
        let broker = Some(v.broker.clone());
        let (client, id) = (v.client.clone(), v.id.clone());
        push(
            ItemKind::BypassWindow,
            end,
            v.phone,
            client,
            holder,
            broker,
            id,
        );
    }
    // R11 (S7): family-level items show the family's smallest phone and no client
    if reg.attribution.is_some() {
        let mut seen: HashSet<Phone> = HashSet::default();
        let phones = (l.contacts.iter().map(|c| (c.phone, c.at)))
            .chain(l.handovers.iter().map(|h| (h.phone, h.at)))
            .chain(l.bookings.iter().map(|b| (b.phone, b.at)));
        for (p, _) in phones.filter(|&(_, at)| at <= t) {
            let smallest = reg.families.members(p)[0];
            if !seen.insert(smallest) {
                continue;
            }
            if let Some((d, end, leave)) = super::consultant::departed_period(reg, p) {
                push(
                    ItemKind::DepartedShare,
                    end,
                    smallest,
                    Text::default(),
                    d,
                    None,
                    leave,
                );
            }
            if let Some((Some(h), Some(deadline), _)) = super::consultant::status_at(reg, p) {
                let by = h.by.1.clone();
                push(
                    ItemKind::Recycle,
                    deadline,
                    smallest,
                    Text::default(),
                    h.name,
                    None,
                    by,
                );
            }
        }
    }
    // R15 (R17 table): masked reports' windows, their hold open at T; the phone is the pattern
    for (r, end) in super::masked::open_holds_at(reg, t) {
        let (client, holder, broker) = (r.client.clone(), r.channel.clone(), r.broker.clone());
        push(
            ItemKind::ReportWindow,
            end,
            r.phone,
            client,
            holder,
            Some(broker),
            r.id.clone(),
        );
    }
    out.sort_by(|a, b| (a.ends, a.kind, &a.reference).cmp(&(b.ends, b.kind, &b.reference)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn items(l: &Lb, at: &str, days: u32) -> Vec<(&'static str, String, i64)> {
        expiring(&l.eval(at), days)
            .into_iter()
            .map(|i| (i.kind.as_str(), i.reference.to_string(), i.days_left))
            .collect()
    }

    /// R17's examples (calendar, T = 2026-03-02 12:00, N = 3 → limit 2026-03-05 23:59:59).
    #[test]
    fn r17_examples() {
        let l = Lb::new()
            // 1. a report 03-01 09:00 accepted, no visit: window ends 03-04 23:59:59, 2 days
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            // 2. family G's latest contact 02-10 10:00: protection ends 03-03, 1 day
            .call("C2", "2026-02-10 10:00", P2)
            // 3. a valid visit 02-05 10:00 (hold 30 days): ends 03-07, not listed
            .report("R3", "2026-02-04 09:00", "我爱我家", "赵六", P3)
            .visit("C3", "2026-02-05 10:00", "我爱我家", "赵六", P3);
        assert_eq!(
            items(&l, "2026-03-02 12:00", 3),
            vec![
                ("protection", "C2".to_string(), 1),
                ("report-window", "R1".to_string(), 2),
            ]
        );
        // with 5 days the visit's hold (03-07) is in, soonest first
        let five = items(&l, "2026-03-02 12:00", 5);
        assert_eq!(five.last(), Some(&("channel-hold", "C3".to_string(), 5)));
    }

    /// R17 `departed-share` (the end of 张三's departed period for the family he developed
    /// and held when leaving) and `recycle` (the deadline of the consultant of record).
    #[test]
    fn r17_departed_share_and_recycle() {
        let visit = |l: Lb, id: &str, at: &str, p: Phone, who: &str| {
            let phone = p.to_string();
            let cells = [
                ("id", id),
                ("at", at),
                ("kind", "visit"),
                ("phone", phone.as_str()),
                ("consultant", who),
            ];
            l.row(crate::model::Kind::Contact, &cells)
        };
        let l = visit(Lb::new(), "C1", "2025-03-01 10:00", P1, "张三");
        let mut l = visit(l, "C2", "2026-02-20 10:00", P2, "李四").staff(
            "ST1",
            "2025-03-03 18:00",
            "张三",
            "leave",
        );
        l.l.config.consultants.recycle_days = 10;
        let got = expiring(&l.eval("2026-03-02 12:00"), 3);
        let got: Vec<_> = (got.iter())
            .map(|i| {
                (
                    i.kind.as_str(),
                    i.reference.as_str(),
                    i.holder.as_str(),
                    i.days_left,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("recycle", "C2", "李四", 0),
                ("departed-share", "ST1", "张三", 1),
            ],
            "李四's deadline 03-02 23:59:59; 张三's year ends 2026-03-03 23:59:59"
        );
    }

    #[test]
    fn r17_a_viewing_lists_its_bypass_window_until_a_related_phone_buys() {
        // R10.1: VW1 2025-03-05 10:00 → window ends 2026-03-05 23:59:59, 3 days after T
        let viewing = [
            ("id", "VW1"),
            ("at", "2025-03-05 10:00"),
            ("property", "海湖路88号1-1"),
            ("client", "王强"),
            ("phone", "13800000001"),
            ("broker", "李四"),
            ("client_signature", "王强"),
        ];
        let l = Lb::new().row(crate::model::Kind::Viewing, &viewing);
        let listed = expiring(&l.eval("2026-03-02 12:00"), 3);
        assert_eq!(
            items(&l, "2026-03-02 12:00", 3),
            vec![("bypass-window", "VW1".to_string(), 3)]
        );
        assert_eq!(
            (listed[0].holder.as_str(), listed[0].kind.rule()),
            (l.l.config.agency.as_str(), "R10.1")
        );
        let l = l.relation("F1", "2026-01-01 10:00", P1, P2).row(
            crate::model::Kind::Deal,
            &[
                ("id", "DE1"),
                ("at", "2026-02-01 10:00"),
                ("property", "海湖路８８号 1-1"),
                ("buyer", "赵敏"),
                ("phone", "13800000002"),
                ("via", "owner"),
                ("price", "100"),
            ],
        );
        assert!(
            items(&l, "2026-03-02 12:00", 3).is_empty(),
            "bought by the spouse"
        );
    }

    #[test]
    fn r17_an_ended_period_and_a_cancelled_channel_are_not_listed() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .violation(
                "V1",
                "2026-03-02 09:00",
                crate::model::ViolationKind::Cutting,
                "链家",
                Some(P1),
            );
        assert!(items(&l, "2026-03-02 12:00", 3).is_empty(), "cancelled");
        assert!(items(&l, "2026-03-05 00:00", 3).is_empty(), "ended");
    }
}
