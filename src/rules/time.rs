//! Period arithmetic (RULES.md section 3): protection periods, report windows, channel holds.

use crate::model::{DayCount, Time};
use chrono::{Days, Duration, FixedOffset, TimeZone};

/// The inclusive end of an N-day period starting at `start`.
///
/// - `Calendar` (自然日): the end of calendar day date(start) + N in the project zone `tz`,
///   i.e. the last instant before the following midnight.
/// - `Elapsed`: start + N × 24 h.
pub fn period_end(start: Time, days: u32, count: DayCount, tz: FixedOffset) -> Time {
    let end = match count {
        DayCount::Elapsed => start.checked_add_signed(Duration::hours(24 * i64::from(days))),
        DayCount::Calendar => start
            .with_timezone(&tz)
            .date_naive()
            .checked_add_days(Days::new(u64::from(days) + 1))
            .and_then(|d| tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single())
            .map(|next_midnight| next_midnight - Duration::nanoseconds(1)),
    };
    // a period beyond the calendar's end never ends
    end.unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&tz))
}

/// RULES-R10 §2.1 `add_months`: the calendar month moved by `n`, the day kept and clamped to
/// the target month's last day (2024-01-31 + 1 = 2024-02-29).
pub fn add_months(date: chrono::NaiveDate, n: u32) -> Option<chrono::NaiveDate> {
    date.checked_add_months(chrono::Months::new(n))
}

/// RULES-R10 §2.1: the inclusive end of an N-month period from `start` — `Calendar`: the end of
/// calendar day add_months(date(start), N); `Elapsed`: the wall-clock time of `start` on that
/// day (both in the project zone).
pub fn months_end(start: Time, months: u32, count: DayCount, tz: FixedOffset) -> Time {
    let local = start.with_timezone(&tz);
    let end = add_months(local.date_naive(), months).and_then(|d| match count {
        DayCount::Calendar => period_end_of_day(d, tz),
        DayCount::Elapsed => tz.from_local_datetime(&d.and_time(local.time())).single(),
    });
    end.unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&tz))
}

/// RULES-R10 §2.2: the end of calendar day (last day of the quarter of `t` + `days`), in both
/// day-count modes.
pub fn quarter_end_plus(t: Time, days: u32, tz: FixedOffset) -> Time {
    use chrono::Datelike;
    let d = local_day(t, tz);
    let first_of_next = add_months(
        chrono::NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).expect("a day"),
        3,
    );
    let end = first_of_next
        .and_then(|n| n.pred_opt())
        .and_then(|last| last.checked_add_days(Days::new(u64::from(days))))
        .and_then(|d| period_end_of_day(d, tz));
    end.unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&tz))
}

/// The last instant of calendar day `d` in zone `tz`.
fn period_end_of_day(d: chrono::NaiveDate, tz: FixedOffset) -> Option<Time> {
    let next = d.succ_opt()?.and_hms_opt(0, 0, 0)?;
    Some(tz.from_local_datetime(&next).single()? - Duration::nanoseconds(1))
}

/// Whether `t` falls in the period that starts at `start` and ends (inclusive) at `end`.
pub fn covers(start: Time, end: Time, t: Time) -> bool {
    start <= t && t <= end
}

/// The lead-time check (R4.4): the visit at `visit` comes at least `hours` elapsed hours after
/// the report at `report`. A visit exactly `hours` later is in time.
pub fn has_lead(report: Time, visit: Time, hours: u32) -> bool {
    report
        .checked_add_signed(Duration::hours(i64::from(hours)))
        .is_some_and(|due| visit >= due)
}

/// The calendar day of `t` in the project zone.
pub fn local_day(t: Time, tz: FixedOffset) -> chrono::NaiveDate {
    t.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap()
    }
    fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn r10_2_1_months_clamp_and_quarters_end_plus_days() {
        let leap = t("2024-02-29T10:00:00+08:00");
        let end = months_end(leap, 12, DayCount::Calendar, cst());
        assert_eq!(end.to_rfc3339(), "2025-02-28T23:59:59.999999999+08:00");
        let end = months_end(leap, 12, DayCount::Elapsed, cst());
        assert_eq!(end.to_rfc3339(), "2025-02-28T10:00:00+08:00");
        let may = t("2026-05-10T15:00:00+08:00");
        let due = quarter_end_plus(may, 30, cst());
        assert_eq!(due.to_rfc3339(), "2026-07-30T23:59:59.999999999+08:00");
        let dec = t("2026-12-31T23:00:00+08:00");
        let due = quarter_end_plus(dec, 30, cst());
        assert_eq!(due.to_rfc3339(), "2027-01-30T23:59:59.999999999+08:00");
    }

    #[test]
    fn calendar_period_ends_at_end_of_day_inclusive() {
        // RULES.md 3: a contact on 03-01 10:00 with 21 days protects through 03-22 23:59:59.
        let start = t("2026-03-01T10:00:00+08:00");
        let end = period_end(start, 21, DayCount::Calendar, cst());
        assert!(covers(start, end, t("2026-03-22T23:59:59+08:00")));
        assert!(!covers(start, end, t("2026-03-23T00:00:00+08:00")));
    }

    #[test]
    fn calendar_window_of_three_days() {
        let start = t("2026-03-01T09:00:00+08:00");
        let end = period_end(start, 3, DayCount::Calendar, cst());
        assert!(covers(start, end, t("2026-03-04T23:59:59+08:00")));
        assert!(!covers(start, end, t("2026-03-05T00:00:00+08:00")));
    }

    #[test]
    fn elapsed_period_is_n_times_24_hours_inclusive() {
        let start = t("2026-03-01T10:00:00+08:00");
        let end = period_end(start, 21, DayCount::Elapsed, cst());
        assert!(covers(start, end, t("2026-03-22T10:00:00+08:00")));
        assert!(!covers(start, end, t("2026-03-22T10:00:01+08:00")));
    }

    #[test]
    fn calendar_days_are_counted_in_the_project_zone() {
        // 2026-03-01T20:00-05:00 is 03-02 09:00 in Beijing: the period runs from 03-02.
        let start = t("2026-03-01T20:00:00-05:00");
        let end = period_end(start, 1, DayCount::Calendar, cst());
        assert!(covers(start, end, t("2026-03-03T23:59:59+08:00")));
        assert!(!covers(start, end, t("2026-03-04T00:00:00+08:00")));
    }

    #[test]
    fn nothing_before_the_start_is_covered() {
        let start = t("2026-03-01T10:00:00+08:00");
        let end = period_end(start, 3, DayCount::Calendar, cst());
        assert!(!covers(start, end, t("2026-03-01T09:59:59+08:00")));
        assert!(covers(start, end, start), "the start itself is covered");
    }

    #[test]
    fn an_absurdly_long_period_never_ends_instead_of_overflowing() {
        let start = t("2026-03-01T10:00:00+08:00");
        for count in [DayCount::Calendar, DayCount::Elapsed] {
            let end = period_end(start, u32::MAX, count, cst());
            assert!(covers(start, end, t("9999-12-31T23:59:59+08:00")));
        }
    }

    #[test]
    fn months_keep_the_day_and_clamp_to_the_month_end() {
        // RULES-R10 §2.1
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2024-02-29"), 12), Some(d("2025-02-28")));
        assert_eq!(add_months(d("2023-03-15"), 12), Some(d("2024-03-15")));
    }

    #[test]
    fn a_month_period_ends_at_the_corresponding_day() {
        // R10 example 6: a viewing on the leap day; calendar ends at the day's end, elapsed at
        // the viewing's wall-clock time
        let start = t("2024-02-29T10:00:00+08:00");
        let end = months_end(start, 12, DayCount::Calendar, cst());
        assert_eq!(end, t("2025-02-28T23:59:59.999999999+08:00"));
        let end = months_end(start, 12, DayCount::Elapsed, cst());
        assert_eq!(end, t("2025-02-28T10:00:00+08:00"));
        let end = months_end(start, u32::MAX, DayCount::Calendar, cst());
        assert!(covers(start, end, t("9999-12-31T23:59:59+08:00")));
    }

    #[test]
    fn lead_time_boundary_is_inclusive() {
        let r = t("2026-03-01T09:00:00+08:00");
        assert!(has_lead(r, t("2026-03-01T21:00:00+08:00"), 12));
        assert!(!has_lead(r, t("2026-03-01T20:59:59+08:00"), 12));
        // offsets do not matter: same instant
        assert!(has_lead(r, t("2026-03-01T13:00:00+00:00"), 12));
    }
}
