//! Periods, the reference's: an N-day period (RULES.md section 3) and an N-month period
//! (RULES-R10 §2.1, R10.1), inclusive ends.

use super::Walk;
use crate::model::*;
use chrono::{Duration, TimeZone};

impl<'l> Walk<'l> {
    /// Section 3: an N-day period from `start`, inclusive end.
    pub(super) fn period_end(&self, start: Time, days: u32) -> Time {
        let tz = self.cfg.timezone;
        let end = match self.cfg.day_count {
            DayCount::Elapsed => start.checked_add_signed(Duration::hours(24 * i64::from(days))),
            DayCount::Calendar => {
                // the end of calendar day date(start) + N: one nanosecond before the midnight after
                let day = start.with_timezone(&tz).date_naive();
                day.checked_add_days(chrono::Days::new(u64::from(days) + 1))
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .and_then(|m| tz.from_local_datetime(&m).single())
                    .map(|m| m - Duration::nanoseconds(1))
            }
        };
        end.unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&tz))
    }

    /// R10.1: an N-month period from `start` (RULES-R10 §2.1), inclusive end.
    pub(super) fn months_end(&self, start: Time, months: u32) -> Time {
        let tz = self.cfg.timezone;
        let local = start.with_timezone(&tz);
        // the corresponding day: chrono keeps the day, clamped to the month's last day
        let day = (local.date_naive()).checked_add_months(chrono::Months::new(months));
        let end = match self.cfg.day_count {
            DayCount::Elapsed => day
                .map(|d| d.and_time(local.time()))
                .and_then(|m| tz.from_local_datetime(&m).single()),
            DayCount::Calendar => day
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(|m| tz.from_local_datetime(&m).single())
                .map(|m| m - Duration::nanoseconds(1)),
        };
        end.unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.with_timezone(&tz))
    }
}
