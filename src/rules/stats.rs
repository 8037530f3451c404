//! `attrib stats`: the manager's view of where clients come from — per channel the funnel
//! reports → accepted → valid visits → bookings → commission, beside the agency's own clients
//! (乙方自然来访) and the developer's (甲方直接客户). Counted from the engine's verdicts as of T;
//! no rule of its own (the definitions: docs/stats.md).

use super::Evaluation;
use super::settle::{self, LineKind};
use super::verdict::{Code, FindingCode, Verdict};
use crate::model::{ContactKind, Kind, Text, Time};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// Where the clients of a row come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Channel(Text),
    /// The agency's own clients: walk-ins 自然来访 and the bookings R7 gives the agency.
    Agency,
    /// The developer's clients: valid direct slips and the bookings R7 gives the developer.
    Developer,
}

/// One row's counts in a period. `reports`, `accepted` and `commission` are `None` for the
/// agency and the developer (they have no reports and earn no channel commission).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Funnel {
    pub reports: Option<u32>,
    pub accepted: Option<u32>,
    /// Channel: valid channel visits (R4). Agency: walk-in visits. Developer: valid direct slips.
    pub visits: u32,
    /// Non-voided bookings with this owner (R7), not cancelled as of T (R12).
    pub bookings: u32,
    /// The sum of those bookings' prices.
    pub sales: Decimal,
    /// Channel commission lines due in the period, net of reversals (R9, R12.5).
    pub commission: Option<Decimal>,
}

impl Funnel {
    fn add(&mut self, other: &Funnel) {
        let sum = |a: Option<u32>, b: Option<u32>| a.zip(b).map(|(a, b)| a + b).or(a).or(b);
        self.reports = sum(self.reports, other.reports);
        self.accepted = sum(self.accepted, other.accepted);
        self.visits += other.visits;
        self.bookings += other.bookings;
        self.sales += other.sales;
        self.commission = sum_money(self.commission, other.commission);
    }
}

fn sum_money(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    a.zip(b).map(|(a, b)| a + b).or(a).or(b)
}

/// A conversion `to / from` in percent with one decimal (`None` when `from` is 0).
pub fn conversion(to: u32, from: u32) -> Option<Decimal> {
    (from > 0).then(|| {
        let pct = Decimal::from(to) * Decimal::from(100) / Decimal::from(from);
        pct.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    })
}

/// One calendar month of the period: its first instant and the first instant after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub from: Time,
    pub before: Time,
}

/// The stats of a run of months: per source the whole period's funnel and each month's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    pub months: Vec<Month>,
    /// Sources in order: the config's channels, channels only reports name, agency, developer.
    pub rows: Vec<(Source, Funnel, Vec<Funnel>)>,
}

/// The stats of `months` from `e`, the evaluation of the whole ledger (`Scope::All`) as of T:
/// one pass over the verdicts and one over the period's settlement lines.
pub fn stats(e: &Evaluation, months: Vec<Month>) -> Stats {
    let l = e.registry.ledger;
    let mut sources: Vec<Source> = (l.config.channels.iter())
        .map(|c| Source::Channel(c.name.as_str().into()))
        .collect();
    for r in &l.reports {
        if !sources.contains(&Source::Channel(r.channel.clone())) {
            sources.push(Source::Channel(r.channel.clone()));
        }
    }
    sources.extend([Source::Agency, Source::Developer]);
    let (agency, developer) = (sources.len() - 2, sources.len() - 1);
    let channel: HashMap<&str, usize> = (sources.iter().enumerate())
        .filter_map(|(k, s)| match s {
            Source::Channel(c) => Some((c.as_str(), k)),
            _ => None,
        })
        .collect();
    let mut cells: Vec<Vec<Funnel>> = (sources.iter())
        .map(|s| vec![funnel_shape(s); months.len()])
        .collect();
    for v in e.verdicts.iter().filter(|v| v.code != Code::Voided) {
        let Some(m) = month_of(&months, v.at) else {
            continue;
        };
        match v.kind {
            Kind::Report => {
                let k = channel.get(l.reports[v.index].channel.as_str());
                if let Some(f) = k.map(|&k| &mut cells[k][m]) {
                    *f.reports.get_or_insert(0) += 1;
                    *f.accepted.get_or_insert(0) += u32::from(v.code == Code::Accepted);
                }
            }
            Kind::Contact => {
                let c = &l.contacts[v.index];
                let k = match &c.channel {
                    Some(ch) if v.code == Code::Valid => channel.get(ch.as_str()).copied(),
                    None if c.kind == ContactKind::Visit => Some(agency),
                    _ => None,
                };
                if let Some(f) = k.map(|k| &mut cells[k][m]) {
                    f.visits += 1;
                }
            }
            Kind::Direct if v.code == Code::Valid => cells[developer][m].visits += 1,
            Kind::Booking if !is_cancelled(v) => {
                let k = match v.code {
                    Code::Channel => v.channel.as_deref().and_then(|c| channel.get(c).copied()),
                    Code::Agency => Some(agency),
                    Code::Developer => Some(developer),
                    _ => None,
                };
                if let Some(f) = k.map(|k| &mut cells[k][m]) {
                    f.bookings += 1;
                    f.sales += l.bookings[v.index].price;
                }
            }
            _ => {}
        }
    }
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        for line in settle::range_lines(e, first.from, last.before) {
            let commission = matches!(
                line.kind,
                LineKind::ChannelCommission | LineKind::ChannelCommissionReversal
            );
            let k = channel.get(line.payee.as_str()).copied();
            if let (true, Some(k), Some(m)) = (commission, k, month_of(&months, line.due)) {
                *cells[k][m].commission.get_or_insert(Decimal::ZERO) += line.amount;
            }
        }
    }
    let rows = (sources.into_iter().zip(cells))
        .map(|(source, monthly)| {
            let mut total = funnel_shape(&source);
            monthly.iter().for_each(|f| total.add(f));
            (source, total, monthly)
        })
        .collect();
    Stats { months, rows }
}

/// The month of `months` that holds `t`.
fn month_of(months: &[Month], t: Time) -> Option<usize> {
    let k = months.partition_point(|m| m.before <= t);
    (k < months.len() && months[k].from <= t).then_some(k)
}

/// An empty funnel of the source's shape (reports and commission only for channels).
fn funnel_shape(source: &Source) -> Funnel {
    match source {
        Source::Channel(_) => Funnel {
            reports: Some(0),
            accepted: Some(0),
            commission: Some(Decimal::ZERO),
            ..Funnel::default()
        },
        _ => Funnel::default(),
    }
}

/// A booking cancelled as of T (R12).
fn is_cancelled(v: &Verdict) -> bool {
    v.findings.iter().any(|f| f.code == FindingCode::Cancelled)
}

/// The calendar months from `first` to `last` (included) in zone `tz`; `None` outside the
/// calendar.
pub fn months(first: (i32, u32), last: (i32, u32), tz: chrono::FixedOffset) -> Option<Vec<Month>> {
    let mut out = vec![];
    let (mut year, mut month) = first;
    while (year, month) <= last {
        out.push(Month {
            year,
            month,
            from: settle::month_start(year, month, tz)?,
            before: settle::month_after(year, month, tz)?,
        });
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn month(y: i32, m: u32) -> Vec<Month> {
        months((y, m), (y, m), config().timezone).unwrap()
    }

    fn row<'a>(s: &'a Stats, source: &Source) -> &'a Funnel {
        &s.rows.iter().find(|r| r.0 == *source).unwrap().1
    }

    #[test]
    fn a_channel_sale_walks_every_step_and_earns_its_commission() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-03-02 09:00", "链家", "王五", P2)
            .report("R3", "2026-03-02 10:00", "我爱我家", "李四", P2)
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .signed("S-C1", "2026-03-02 10:00")
            .booking("B1", "2026-03-05 10:00", P1)
            .walk_in("C2", "2026-03-06 10:00", P3)
            .booking("B2", "2026-03-07 10:00", P3);
        let e = l.eval("2026-04-30 18:00");
        let s = stats(&e, month(2026, 3));
        let lianjia = row(&s, &Source::Channel("链家".into()));
        assert_eq!(
            (
                lianjia.reports,
                lianjia.accepted,
                lianjia.visits,
                lianjia.bookings
            ),
            (Some(2), Some(2), 1, 1)
        );
        assert_eq!(lianjia.sales, Decimal::from(1_990_000));
        assert_eq!(lianjia.commission, Some(Decimal::from(19_900)));
        let wawj = row(&s, &Source::Channel("我爱我家".into()));
        assert_eq!(
            (wawj.reports, wawj.accepted),
            (Some(1), Some(0)),
            "R3 is held-by-report"
        );
        let agency = row(&s, &Source::Agency);
        assert_eq!(
            (agency.reports, agency.visits, agency.bookings),
            (None, 1, 1)
        );
        assert_eq!(agency.commission, None);
        let names: Vec<&Source> = s.rows.iter().map(|r| &r.0).collect();
        assert_eq!(names.len(), 5, "three channels, the agency, the developer");
        assert_eq!(conversion(1, 2), Some(Decimal::new(500, 1)));
        assert_eq!(conversion(2, 3), Some(Decimal::new(667, 1)));
        assert_eq!(conversion(1, 0), None);
    }

    #[test]
    fn a_valid_direct_slip_and_its_booking_are_the_developers() {
        let l = Lb::new()
            .direct("D1", "2026-03-01 09:00", P1)
            .walk_in("C1", "2026-03-01 10:00", P1)
            .booking("B1", "2026-03-02 10:00", P1);
        let e = l.eval("2026-04-30 18:00");
        let s = stats(&e, month(2026, 3));
        let developer = row(&s, &Source::Developer);
        assert_eq!((developer.visits, developer.bookings), (1, 1));
        let agency = row(&s, &Source::Agency);
        assert_eq!(
            (agency.visits, agency.bookings),
            (1, 0),
            "the walk-in counts, not the booking"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(100))]
        /// Every live booking of the period is counted once, for its owner, and the channels'
        /// commissions are settle's channel lines of the period.
        #[test]
        fn stats_count_every_booking_once_and_settles_commissions(
            ops in proptest::collection::vec(op(), 1..40)
        ) {
            let l = random_ledger(&ops, false);
            let e = l.eval("2026-06-01 00:00");
            let months = months((2026, 3), (2026, 5), config().timezone).unwrap();
            let (from, before) = (months[0].from, months[2].before);
            let s = stats(&e, months);
            let live = (e.verdicts.iter())
                .filter(|v| v.kind == Kind::Booking && v.code != Code::Voided)
                .filter(|v| from <= v.at && v.at < before && !is_cancelled(v))
                .count() as u32;
            let counted: u32 = s.rows.iter().map(|r| r.1.bookings).sum();
            proptest::prop_assert_eq!(counted, live);
            let paid: Decimal = (settle::range_lines(&e, from, before).iter())
                .filter(|l| matches!(l.kind, LineKind::ChannelCommission | LineKind::ChannelCommissionReversal))
                .map(|l| l.amount)
                .sum();
            let commission: Decimal = s.rows.iter().filter_map(|r| r.1.commission).sum();
            proptest::prop_assert_eq!(commission, paid);
            for (_, total, monthly) in &s.rows {
                let visits: u32 = monthly.iter().map(|f| f.visits).sum();
                proptest::prop_assert_eq!(total.visits, visits);
            }
        }
    }

    #[test]
    fn a_run_of_months_sums_its_months_and_voided_or_cancelled_records_do_not_count() {
        let l = Lb::new()
            .report("R1", "2026-03-01 09:00", "链家", "王五", P1)
            .report("R2", "2026-04-02 09:00", "链家", "王五", P2)
            .report("R3", "2026-04-03 09:00", "链家", "王五", P3)
            .void("X1", "2026-04-04 09:00", "R3")
            .visit("C1", "2026-03-02 10:00", "链家", "王五", P1)
            .signed("S-C1", "2026-03-02 10:00")
            .booking("B1", "2026-03-05 10:00", P1)
            .row(
                Kind::Cancellation,
                &[
                    ("id", "CX1"),
                    ("at", "2026-04-05 10:00"),
                    ("booking", "B1"),
                    ("reason", "client_breach"),
                ],
            );
        let e = l.eval("2026-04-30 18:00");
        let tz = config().timezone;
        let s = stats(&e, months((2026, 3), (2026, 4), tz).unwrap());
        let (_, total, monthly) = &s.rows[0];
        assert_eq!(monthly.len(), 2);
        assert_eq!(
            (total.reports, total.accepted, total.visits),
            (Some(2), Some(2), 1)
        );
        assert_eq!(total.bookings, 0, "B1 is cancelled as of T");
        // March's commission and April's reversal
        assert_eq!(monthly[0].commission, Some(Decimal::from(19_900)));
        assert_eq!(monthly[1].commission, Some(Decimal::from(-19_900)));
        assert_eq!(total.commission, Some(Decimal::ZERO));
    }
}
