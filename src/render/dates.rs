//! Times as text, written digit by digit: a million-row `replay` writes a few a row, and
//! chrono's general writers (a format string parsed per call, a conversion per field) were a
//! large part of its time. Each is tested against chrono's own output.

use crate::model::Time;
use chrono::{Datelike, Timelike};

/// `2026-03-01`: what `%Y-%m-%d` writes for the ledger's years, without parsing a format per
/// call (a million-row `replay` writes a few dates a row).
pub(super) fn to_day(t: Time) -> String {
    let mut s = String::with_capacity(16);
    push_day(&mut s, t.naive_local());
    s
}

/// `2026-03-01 09:30` (`%Y-%m-%d %H:%M`).
pub(super) fn to_minute(t: Time) -> String {
    let local = t.naive_local(); // once: each of chrono's field getters converts again
    let mut s = String::with_capacity(16);
    push_day(&mut s, local);
    s.push(' ');
    push_digits(&mut s, local.hour(), 2);
    s.push(':');
    push_digits(&mut s, local.minute(), 2);
    s
}

/// `2026-03-01T09:30:00+08:00` (`Z` at UTC): chrono's `to_rfc3339_opts(Secs, true)`, written
/// digit by digit for the ledger's years and zones (whole minutes), by chrono otherwise.
pub(super) fn to_rfc3339(t: Time) -> String {
    let offset = t.offset().local_minus_utc();
    let local = t.naive_local();
    let plain = offset % 60 == 0 && local.nanosecond() < 1_000_000_000; // not a leap second
    if !plain || !(0..=9999).contains(&local.year()) {
        return t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    }
    let mut s = String::with_capacity(25);
    push_day(&mut s, local);
    for (sep, n) in [
        ('T', local.hour()),
        (':', local.minute()),
        (':', local.second()),
    ] {
        s.push(sep);
        push_digits(&mut s, n, 2);
    }
    let minutes = offset.unsigned_abs() / 60;
    match offset {
        0 => s.push('Z'),
        _ => {
            s.push(if offset < 0 { '-' } else { '+' });
            push_digits(&mut s, minutes / 60, 2);
            s.push(':');
            push_digits(&mut s, minutes % 60, 2);
        }
    }
    s
}

fn push_day(s: &mut String, t: chrono::NaiveDateTime) {
    match u32::try_from(t.year()) {
        Ok(y) if y <= 9999 => push_digits(s, y, 4),
        _ => s.push_str(&format!("{:04}", t.year())),
    }
    s.push('-');
    push_digits(s, t.month(), 2);
    s.push('-');
    push_digits(s, t.day(), 2);
}

/// `n`'s last `width` digits, zeros in front.
fn push_digits(s: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        s.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn days_minutes_and_rfc3339_are_written_as_chrono_writes_them() {
        let zone = FixedOffset::east_opt(8 * 3600).unwrap();
        for s in [
            "1970-01-01T00:00:00+08:00",
            "2026-03-01T09:05:59+08:00",
            "2026-12-31T23:59:59+00:00",
            "2199-12-31T23:59:59.999+08:00",
            "0099-02-03T04:05:06+08:00",
        ] {
            let t = chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .with_timezone(&zone);
            assert_eq!(to_day(t), t.format("%Y-%m-%d").to_string());
            assert_eq!(to_minute(t), t.format("%Y-%m-%d %H:%M").to_string());
        }
        for s in [
            "2026-03-01T09:05:59+08:00",
            "2026-03-01T09:05:59.75+00:00",
            "2026-03-01T09:05:59-05:30",
            "2026-03-01T09:05:59+14:00",
            "0099-02-03T04:05:06+08:00",
        ] {
            let t = chrono::DateTime::parse_from_rfc3339(s).unwrap();
            let chrono = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            assert_eq!(to_rfc3339(t), chrono, "{s}");
        }
        let odd = FixedOffset::east_opt(8 * 3600 + 30).unwrap(); // seconds in the offset
        let t = chrono::DateTime::parse_from_rfc3339("2026-03-01T09:05:59+08:00").unwrap();
        let t = t.with_timezone(&odd);
        let chrono = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        assert_eq!(to_rfc3339(t), chrono);
    }
}
