//! R18 Channel grading 渠道等级 A–D (proposal, RULES-R10.md R18). The seed's five factors of
//! 工程客户等级管理制度 (l76–l80) mapped to what the ledger records about a channel over the last
//! `grading.months`: 合作历史 (active months), 诚信度 (violations, delisting), 需求量 (bookings),
//! 信誉度 (the configured `reputation`); 付款情况 is not assessed. The committee's `grades` rows
//! (等级评审, l86/l88) override the suggestion with their date.
//!
//! Grades are as of T by definition (§2.4): they are computed after the walk, from the merged
//! verdicts of the whole ledger (docs/architecture.md, "Facts across families"), and change no
//! verdict or line of R1–R17 (l89).

use super::engine::Evaluation;
use super::registry::Registry;
use super::verdict::{Code, Finding, FindingCode, FindingDetail, Verdict};
use crate::model::{Grading, Kind, Ledger, Level, Text, Time, ViolationKind};
use chrono::{Datelike, NaiveDate, TimeZone};
use std::collections::{BTreeMap, BTreeSet};

/// What the ledger shows of one channel in the window, the figures a grade is made of.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Figures {
    /// R18.1: distinct calendar months (project zone) with a non-voided report.
    pub active_months: u32,
    /// R18.3: non-voided bookings the channel owns (R7) and not cancelled at T (R12).
    pub bookings: u32,
    /// R18.2: `false_info` and `order_swap` violations.
    pub minor: u32,
    /// R18.2: the first `zone` or `cutting` violation, if any (its id).
    pub major: Option<Text>,
    /// R18.2: the delisting in force for the channel at T (R13.3), if any (its id).
    pub delisted: Option<Text>,
}

/// One channel's grade as of T: each assessed factor's level, the suggestion, the decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelGrade {
    pub channel: Text,
    pub figures: Figures,
    pub history: Level,
    pub integrity: Level,
    pub volume: Level,
    /// R18.4: `None` when the channel has no configured reputation (not assessed).
    pub reputation: Option<Level>,
    /// The lowest assessed level.
    pub suggested: Level,
    /// The latest non-voided committee decision at or before T: grade, row id, time.
    pub decided: Option<(Level, Text, Time)>,
}

impl ChannelGrade {
    /// The grade in force: the committee's when there is one, else the suggestion.
    pub fn grade(&self) -> Level {
        self.decided.as_ref().map_or(self.suggested, |d| d.0)
    }

    /// `differs`: whether the decided grade is not the suggested one (`None` without decision).
    pub fn differs(&self) -> Option<bool> {
        self.decided.as_ref().map(|d| d.0 != self.suggested)
    }
}

/// R18 window W = (S, T]: S is the wall-clock time of T on `add_months(date(T), −months)`
/// (§2.1, the day clamped to the month's last day), in T's zone.
pub fn window_start(as_of: Time, months: u32) -> Time {
    let local = as_of.naive_local();
    let day = months_back(local.date(), months);
    let start = day.and_time(local.time());
    (as_of.offset().from_local_datetime(&start).single()).unwrap_or(as_of)
}

/// §2.1 `add_months(date, −n)`: the same day n months earlier, clamped to that month's end.
fn months_back(d: NaiveDate, n: u32) -> NaiveDate {
    let months = d.year() * 12 + d.month0() as i32 - n as i32;
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12) as u32);
    (1..=d.day())
        .rev()
        .find_map(|day| NaiveDate::from_ymd_opt(year, month0 + 1, day))
        .unwrap_or(d)
}

/// R18.1 合作历史: A if active months ≥ history[0], B if ≥ history[1], C if ≥ history[2], else D.
pub fn history_level(active_months: u32, g: &Grading) -> Level {
    at_least(active_months, g.history)
}

/// R18.2 诚信度: D with a `zone`/`cutting` violation in W or a delisting at T; otherwise by the
/// number m of `false_info` + `order_swap` violations: A if m ≤ integrity[0], B if ≤
/// integrity[1], C if ≤ integrity[2], else D.
pub fn integrity_level(f: &Figures, g: &Grading) -> Level {
    if f.major.is_some() || f.delisted.is_some() {
        return Level::D;
    }
    let [a, b, c] = g.integrity;
    match f.minor {
        m if m <= a => Level::A,
        m if m <= b => Level::B,
        m if m <= c => Level::C,
        _ => Level::D,
    }
}

/// R18.3 需求量: A if bookings ≥ volume[0], B if ≥ volume[1], C if ≥ volume[2], else D.
pub fn volume_level(bookings: u32, g: &Grading) -> Level {
    at_least(bookings, g.volume)
}

/// A level from a count and the thresholds for A, B, C (at least so many).
fn at_least(n: u32, [a, b, c]: [u32; 3]) -> Level {
    match n {
        n if n >= a => Level::A,
        n if n >= b => Level::B,
        n if n >= c => Level::C,
        _ => Level::D,
    }
}

/// R18 suggested grade: the lowest assessed level (A needs every factor at A, seed l81–l84);
/// R18.4 reputation counts when configured, R18.5 payment never.
pub fn suggested(levels: &[Option<Level>]) -> Level {
    (levels.iter().flatten())
        .copied()
        .max_by_key(|l| *l as u8)
        .unwrap_or(Level::A)
}

/// R18: the grade verdict of a committee decision 等级评审: `recorded`, with `unnotified` when
/// no written notice is recorded (l88 书面告知).
pub fn verdict(reg: &Registry, i: usize) -> Verdict {
    let g = &reg.ledger.grades[i];
    let mut v = Verdict::new(Kind::Grade, i, &g.id, g.at, Code::Recorded, "R18");
    v.channel = Some(g.channel.clone());
    if g.notified_at.is_none() {
        (v.findings).push(Finding::warning(FindingDetail::GradeUnnotified, "R18"));
    }
    v
}

/// R18: every channel named in the config or in a report at or before T, sorted by name,
/// graded as of `as_of` from the evaluation `e` of the whole ledger (`Scope::All`) then.
pub fn grades(l: &Ledger, e: &Evaluation, as_of: Time) -> Vec<ChannelGrade> {
    let g = &l.config.grading;
    let start = window_start(as_of, g.months);
    let in_window = |t: Time| start < t && t <= as_of;
    let mut names: BTreeSet<Text> = (l.config.channels.iter())
        .map(|c| Text::from(c.name.as_str()))
        .collect();
    names.extend(
        (l.reports.iter())
            .filter(|r| r.at <= as_of)
            .map(|r| r.channel.clone()),
    );
    let mut figures: BTreeMap<Text, Figures> =
        names.into_iter().map(|n| (n, Figures::default())).collect();
    let mut months: BTreeMap<&str, BTreeSet<(i32, u32)>> = BTreeMap::new();
    let mut decided: BTreeMap<&str, (Level, Text, Time)> = BTreeMap::new();
    for v in e.verdicts.iter().filter(|v| v.code != Code::Voided) {
        if v.kind == Kind::Grade && v.at <= as_of {
            let row = &l.grades[v.index];
            decided.insert(&row.channel, (row.grade, row.id.clone(), row.at));
        }
        if !in_window(v.at) {
            continue;
        }
        match v.kind {
            Kind::Report => {
                let r = &l.reports[v.index];
                let local = r.at.with_timezone(&l.config.timezone);
                (months.entry(&r.channel).or_default()).insert((local.year(), local.month()));
            }
            Kind::Booking if v.code == Code::Channel => {
                let cancelled = v.findings.iter().any(|f| f.code == FindingCode::Cancelled);
                if let (false, Some(f)) = (cancelled, channel_figures(&mut figures, v)) {
                    f.bookings += 1;
                }
            }
            Kind::Violation => {
                let x = &l.violations[v.index];
                let Some(f) = figures.get_mut(x.channel.as_str()) else {
                    continue;
                };
                match x.kind {
                    ViolationKind::Zone | ViolationKind::Cutting => {
                        f.major.get_or_insert_with(|| x.id.clone());
                    }
                    ViolationKind::FalseInfo | ViolationKind::OrderSwap => f.minor += 1,
                }
            }
            _ => {}
        }
    }
    (figures.into_iter())
        .map(|(channel, mut f)| {
            f.active_months = months.get(channel.as_str()).map_or(0, |m| m.len() as u32);
            f.delisted = super::delist::channel_delisting(&e.registry, &channel, as_of)
                .map(|d| d.id.clone());
            let reputation = l.config.channel(&channel).and_then(|c| c.reputation);
            let decided = decided.remove(channel.as_str());
            grade(channel, f, reputation, decided, g)
        })
        .collect()
}

/// The figures of the channel a verdict names.
fn channel_figures<'a>(
    figures: &'a mut BTreeMap<Text, Figures>,
    v: &Verdict,
) -> Option<&'a mut Figures> {
    figures.get_mut(v.channel.as_deref()?)
}

/// R18.1–R18.5 for one channel's figures.
pub fn grade(
    channel: Text,
    figures: Figures,
    reputation: Option<Level>,
    decided: Option<(Level, Text, Time)>,
    g: &Grading,
) -> ChannelGrade {
    let history = history_level(figures.active_months, g);
    let integrity = integrity_level(&figures, g);
    let volume = volume_level(figures.bookings, g);
    let suggested = suggested(&[Some(history), Some(integrity), Some(volume), reputation]);
    ChannelGrade {
        channel,
        figures,
        history,
        integrity,
        volume,
        reputation,
        suggested,
        decided,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Level, Phone};

    const T: &str = "2026-03-31 23:00";

    fn grading() -> Grading {
        Grading::default()
    }

    /// A sale through `channel`: a report at `at`, the channel visit two days later with its slip
    /// signed at once, a booking three days later, each with ids from `n` and its own phone.
    fn sale(l: Lb, n: u64, at: &str, channel: &str) -> Lb {
        let p = Phone(13900000000 + n);
        let report = t(at);
        let later = |days| (report + chrono::Duration::days(days)).format("%Y-%m-%d %H:%M");
        let (visit, booked) = (later(2).to_string(), later(5).to_string());
        l.report(&format!("R{n}"), at, channel, "王五", p)
            .visit(&format!("C{n}"), &visit, channel, "王五", p)
            .signed(&format!("S-C{n}"), &visit)
            .booking(&format!("B{n}"), &booked, p)
    }

    /// A report of `channel` for a fresh phone on the 10th of month `m` months before T's.
    fn report_in(l: Lb, n: u64, months_before: u32, channel: &str) -> Lb {
        let day = months_back(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(), months_before);
        let at = format!("{day} 10:00");
        l.report(
            &format!("R{n}"),
            &at,
            channel,
            "王五",
            Phone(13700000000 + n),
        )
    }

    fn grade_of(l: &Lb, channel: &str) -> ChannelGrade {
        let e = l.eval(T);
        let all = grades(&l.l, &e, t(T));
        all.into_iter().find(|g| g.channel == channel).unwrap()
    }

    fn minor(l: Lb, id: &str, at: &str, channel: &str) -> Lb {
        l.violation(id, at, ViolationKind::FalseInfo, channel, None)
    }

    #[test]
    fn r18_window_is_t_on_the_same_day_months_back_clamped() {
        assert_eq!(window_start(t(T), 12), t("2025-03-31 23:00"));
        assert_eq!(
            window_start(t("2026-03-31 23:00"), 1),
            t("2026-02-28 23:00")
        );
        assert_eq!(
            window_start(t("2024-03-31 08:00"), 1),
            t("2024-02-29 08:00")
        );
        assert_eq!(
            window_start(t("2026-01-15 08:00"), 13),
            t("2024-12-15 08:00")
        );
    }

    #[test]
    fn r18_1_history_counts_thresholds_for_a_b_c() {
        let g = grading();
        let levels: Vec<Level> = [10, 9, 8, 6, 5, 3, 2, 0]
            .map(|n| history_level(n, &g))
            .to_vec();
        use Level::*;
        assert_eq!(levels, [A, A, B, B, C, C, D, D]);
    }

    #[test]
    fn r18_2_integrity_major_violations_and_delisting_are_d() {
        let g = grading();
        let f = |minor, major: Option<&str>, delisted: Option<&str>| Figures {
            minor,
            major: major.map(Text::from),
            delisted: delisted.map(Text::from),
            ..Figures::default()
        };
        use Level::*;
        assert_eq!(integrity_level(&f(0, None, None), &g), A);
        assert_eq!(integrity_level(&f(1, None, None), &g), B);
        assert_eq!(integrity_level(&f(2, None, None), &g), C);
        assert_eq!(integrity_level(&f(3, None, None), &g), D);
        assert_eq!(integrity_level(&f(0, Some("V1"), None), &g), D);
        assert_eq!(integrity_level(&f(0, None, Some("DL1")), &g), D);
    }

    #[test]
    fn r18_3_volume_thresholds_for_a_b_c() {
        let g = grading();
        use Level::*;
        let levels = [12, 11, 6, 5, 1, 0].map(|n| volume_level(n, &g));
        assert_eq!(levels, [A, B, B, C, C, D]);
    }

    #[test]
    fn r18_4_reputation_counts_only_when_configured() {
        use Level::*;
        assert_eq!(suggested(&[Some(A), Some(A), Some(A), None]), A);
        assert_eq!(suggested(&[Some(A), Some(B), Some(A), Some(C)]), C);
        assert_eq!(suggested(&[Some(A), Some(A), Some(A), Some(D)]), D);
    }

    #[test]
    fn r18_example_1_lianjia_is_suggested_b_and_decided_a() {
        // reports in 10 distinct months (7 of them sales), one false_info, 7 bookings
        let mut l = Lb::new();
        for n in 0..7u32 {
            let day = months_back(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), n);
            l = sale(l, u64::from(n), &format!("{day} 10:00"), "链家");
        }
        for n in 7..10 {
            l = report_in(l, u64::from(n), n, "链家");
        }
        l = minor(l, "V1", "2025-12-01 10:00", "链家");
        let grade_row = [
            ("id", "G1"),
            ("at", "2026-01-15 10:00"),
            ("channel", "链家"),
            ("grade", "A"),
            ("notified_at", "2026-01-16 10:00"),
        ];
        l = l.row(Kind::Grade, &grade_row);
        let g = grade_of(&l, "链家");
        assert_eq!(
            (g.figures.active_months, g.figures.bookings, g.figures.minor),
            (10, 7, 1)
        );
        use Level::*;
        assert_eq!(
            (g.history, g.integrity, g.volume, g.reputation),
            (A, B, B, None)
        );
        assert_eq!(g.suggested, B);
        assert_eq!(g.decided, Some((A, "G1".into(), t("2026-01-15 10:00"))));
        assert_eq!((g.grade(), g.differs()), (A, Some(true)));
        assert!(l.eval(T).verdict("G1").unwrap().findings.is_empty());
    }

    #[test]
    fn r18_example_2_woaiwojia_one_cutting_is_suggested_d() {
        let g = grading();
        let f = Figures {
            active_months: 11,
            bookings: 15,
            major: Some("V9".into()),
            ..Figures::default()
        };
        let graded = grade("我爱我家".into(), f, None, None, &g);
        use Level::*;
        assert_eq!((graded.history, graded.integrity, graded.volume), (A, D, A));
        assert_eq!((graded.suggested, graded.differs()), (D, None));
        // and from a ledger: 15 sales over 11 months, one cutting violation in W
        let mut l = Lb::new();
        for n in 0..15u32 {
            let day = months_back(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), n % 11);
            l = sale(
                l,
                u64::from(n),
                &format!("{day} 1{}:00", n / 11),
                "我爱我家",
            );
        }
        let l = l.violation(
            "V9",
            "2026-03-01 10:00",
            ViolationKind::Cutting,
            "我爱我家",
            None,
        );
        let graded = grade_of(&l, "我爱我家");
        let f = &graded.figures;
        assert_eq!((f.active_months, f.bookings, f.minor), (11, 15, 0));
        assert_eq!((f.major.as_deref(), graded.integrity), (Some("V9"), D));
        assert_eq!((graded.history, graded.volume, graded.suggested), (A, A, D));
    }

    #[test]
    fn r18_example_3_two_active_months_is_suggested_d() {
        let l = sale(Lb::new(), 1, "2026-02-01 10:00", "房多多");
        let l = report_in(l, 2, 0, "房多多");
        let g = grade_of(&l, "房多多");
        assert_eq!(
            (g.figures.active_months, g.figures.minor, g.figures.bookings),
            (2, 0, 1)
        );
        use Level::*;
        assert_eq!((g.history, g.integrity, g.volume), (D, A, C));
        assert_eq!(g.suggested, D);
    }

    #[test]
    fn r18_counts_only_the_window_and_not_voided_or_cancelled_records() {
        // a report 13 months back is outside W; a voided report does not count
        let l = report_in(Lb::new(), 1, 13, "链家");
        let l = report_in(l, 2, 1, "链家").void("X1", "2026-03-01 10:00", "R2");
        let l = sale(l, 3, "2026-03-01 10:00", "链家");
        let l = l.row(
            Kind::Cancellation,
            &[
                ("id", "CX1"),
                ("at", "2026-03-20 10:00"),
                ("booking", "B3"),
                ("reason", "client_breach"),
            ],
        );
        let g = grade_of(&l, "链家");
        assert_eq!((g.figures.active_months, g.figures.bookings), (1, 0));
        // every configured channel is listed, sorted by name
        let e = l.eval(T);
        let names: Vec<String> = (grades(&l.l, &e, t(T)).iter())
            .map(|g| g.channel.to_string())
            .collect();
        assert_eq!(names, ["我爱我家", "房多多", "链家"]);
    }

    #[test]
    fn r18_the_latest_decision_at_or_before_t_and_unnotified() {
        let row = |l: Lb, id: &str, at: &str, grade: &str| {
            l.row(
                Kind::Grade,
                &[
                    ("id", id),
                    ("at", at),
                    ("channel", "链家"),
                    ("grade", grade),
                ],
            )
        };
        let l = row(Lb::new(), "G1", "2026-01-15 10:00", "B");
        let l = row(l, "G2", "2026-02-15 10:00", "C");
        let l = row(l, "G3", "2026-04-15 10:00", "A").void("X1", "2026-03-01 10:00", "G2");
        let g = grade_of(&l, "链家");
        assert_eq!(
            g.decided,
            Some((Level::B, "G1".into(), t("2026-01-15 10:00")))
        );
        let e = l.eval(T);
        let v = e.verdict("G1").unwrap();
        assert_eq!((v.code.as_str(), v.rule), ("recorded", "R18"));
        let codes: Vec<&str> = v.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["unnotified"]);
    }

    #[test]
    fn r18_a_delisted_channel_has_integrity_d() {
        let cells = [
            ("id", "DL1"),
            ("at", "2026-03-01 10:00"),
            ("channel", "链家"),
            ("votes_for", "3"),
            ("leaders", "5"),
            ("reason", "breach"),
        ];
        let l = Lb::new().row(Kind::Delisting, &cells);
        let g = grade_of(&l, "链家");
        assert_eq!(
            (g.figures.delisted.as_deref(), g.integrity),
            (Some("DL1"), Level::D)
        );
    }
}
