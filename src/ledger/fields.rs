//! Field parsers: time, phone, money, rate, enums. Each returns a typed `FieldError` that the
//! loader places at `file:line:col` and the renderer words for the clerk.

use crate::model::{Phone, Rate, Time};
use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone};
use rust_decimal::Decimal;
use std::str::FromStr;

pub use crate::model::FieldError;

/// Parses a time: RFC 3339, local `YYYY-MM-DD HH:MM[:SS]` in the project zone `tz`, or the
/// same in Excel's spelling `YYYY/M/D H:MM[:SS]` (one- or two-digit month, day and hour; RULES.md
/// §3). A bare date is an error: every `at` needs its time of day. Nothing looser is accepted (no
/// one-digit hours in the dashed form, no signs, no spaces inside numbers).
pub fn parse_time(s: &str, tz: FixedOffset) -> Result<Time, FieldError> {
    let t = any_year(s, tz)?;
    match t.year() {
        1970..=2199 => Ok(t),
        year => Err(FieldError::YearOutOfRange(s.trim().to_string(), year)),
    }
}

/// A time of any year chrono can hold (`parse_time` then bounds the year).
fn any_year(s: &str, tz: FixedOffset) -> Result<Time, FieldError> {
    let s = s.trim();
    if let Some(t) = parse_local(s, tz) {
        return Ok(t);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    if s.contains('/') {
        return match parse_excel(s, tz) {
            Some(Ok(t)) => Ok(t),
            Some(Err(())) => Err(FieldError::BareDate(s.to_string())),
            None => Err(FieldError::BadTime(s.to_string())),
        };
    }
    let b = s.as_bytes();
    let bare_date = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if bare_date {
        return Err(FieldError::BareDate(s.to_string()));
    }
    Err(FieldError::BadTime(s.to_string()))
}

/// The local spelling `2026-03-01 09:30[:00]`, digit by digit.
fn parse_local(s: &str, tz: FixedOffset) -> Option<Time> {
    let b = s.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' {
        return None;
    }
    if b[13] != b':' || (b.len() == 19 && b[16] != b':') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let sec = if b.len() == 19 { num(17..19)? } else { 0 };
    let naive = date.and_hms_opt(num(11..13)?, num(14..16)?, sec)?;
    tz.from_local_datetime(&naive).single()
}

/// Excel's spelling `2026/3/2 9:00[:00]`: a four-digit year, one- or two-digit month, day and
/// hour, two-digit minutes and seconds. `Some(Err(()))` for a valid bare date (`2026/3/2`),
/// `None` for anything else.
fn parse_excel(s: &str, tz: FixedOffset) -> Option<Result<Time, ()>> {
    fn num(p: &str, min: usize, max: usize) -> Option<u32> {
        let ok = (min..=max).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit());
        ok.then(|| p.parse().ok()).flatten()
    }
    let (date, clock) = match s.split_once(' ') {
        Some((d, c)) => (d, Some(c)),
        None => (s, None),
    };
    let mut d = date.split('/');
    let (y, m, day) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(y, 4, 4)? as i32, num(m, 1, 2)?, num(day, 1, 2)?)?;
    let Some(clock) = clock else {
        return Some(Err(()));
    };
    let mut c = clock.split(':');
    let (h, min, sec) = (c.next()?, c.next()?, c.next());
    if c.next().is_some() {
        return None;
    }
    let sec = match sec {
        Some(x) => num(x, 2, 2)?,
        None => 0,
    };
    let naive = date.and_hms_opt(num(h, 1, 2)?, num(min, 2, 2)?, sec)?;
    tz.from_local_datetime(&naive).single().map(Ok)
}

/// Normalizes a phone: drops spaces and dashes and a leading `+86`/`0086`; the rest must be a
/// mainland mobile `1[3-9]` + 9 digits.
pub fn parse_phone(s: &str) -> Result<Phone, FieldError> {
    let raw = s.trim();
    if let Some(p) = mobile(raw.as_bytes()) {
        return Ok(p); // as nearly every phone is written: no separators, no country code
    }
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.contains('*') {
        return Err(FieldError::MaskedPhone(raw.to_string()));
    }
    let rest = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    mobile(rest.as_bytes()).ok_or_else(|| FieldError::BadPhone(raw.to_string()))
}

/// R15 (§1.2): a masked phone 前三后四 `138****5678` (after the clean-up of `parse_phone`, `＊`
/// read as `*`); any other use of `*` is an error.
pub fn parse_masked_phone(s: &str) -> Result<Phone, FieldError> {
    let raw = s.trim();
    let digits: String = (raw.chars())
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| if c == '＊' { '*' } else { c })
        .collect();
    let rest = (digits.strip_prefix("+86"))
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let b = rest.as_bytes();
    let ok = b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b[..3].iter().all(u8::is_ascii_digit)
        && b[3..7].iter().all(|&c| c == b'*')
        && b[7..].iter().all(u8::is_ascii_digit);
    if !ok {
        return Err(FieldError::BadMaskedPhone(raw.to_string()));
    }
    let n = |d: &[u8]| d.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0'));
    Ok(Phone(Phone::MASKED + n(&b[..3]) * 10_000 + n(&b[7..])))
}

/// A mainland mobile number: 11 digits, `1` then `3`–`9`.
fn mobile(b: &[u8]) -> Option<Phone> {
    let ok = b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit);
    ok.then(|| Phone(b.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0'))))
}

/// Money and areas stay below 10^15 (and 12 decimals), so that every product and sum the rules
/// form stays far inside the exact decimal range.
pub const MAX_INTEGER_DIGITS: usize = 15;

/// Parses a plain decimal (`1234567.89`, `-5`). Thousands separators are refused with a reason.
pub fn parse_decimal(s: &str) -> Result<Decimal, FieldError> {
    let s = s.trim();
    if s.contains([',', '，']) {
        return Err(FieldError::ThousandsSeparator(s.to_string()));
    }
    let body = s.strip_prefix('-').unwrap_or(s);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits_ok = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
    if !digits_ok(int) || frac.is_some_and(|f| !digits_ok(f)) {
        return Err(FieldError::BadDecimal(s.to_string()));
    }
    if int.trim_start_matches('0').len() > MAX_INTEGER_DIGITS || frac.is_some_and(|f| f.len() > 12)
    {
        return Err(FieldError::TooLarge(s.to_string()));
    }
    Decimal::from_str(s).map_err(|_| FieldError::BadDecimal(s.to_string()))
}

/// Parses an amount of money (or an area): a plain decimal that is not negative (`-0` included:
/// a minus sign in a money cell is always a mistake that would turn a payment around).
pub fn parse_money(s: &str) -> Result<Decimal, FieldError> {
    let d = parse_decimal(s)?;
    if s.trim().starts_with('-') {
        return Err(FieldError::Negative(s.trim().to_string()));
    }
    Ok(d)
}

/// The largest count a row may hold (`persons` of a penalty notice): it multiplies an amount of at
/// most 15 digits, and every sum of such products must stay inside the exact decimal range.
pub const MAX_COUNT: u32 = 10_000;

/// Parses a rate: `1.5%` or `0.015`. Rates are fractions from 0 up to (not including) 1.
pub fn parse_rate(s: &str) -> Result<Rate, FieldError> {
    let t = s.trim();
    let bad = || FieldError::BadRate(t.to_string());
    let value = match t.strip_suffix('%') {
        Some(pct) => parse_decimal(pct.trim()).map_err(|_| bad())? / Decimal::ONE_HUNDRED,
        None => parse_decimal(t).map_err(|_| bad())?,
    };
    if value.is_sign_negative() || value >= Decimal::ONE {
        return Err(bad());
    }
    Ok(Rate {
        text: t.to_string(),
        value,
    })
}

/// Parses a non-negative whole number.
pub fn parse_u32(s: &str) -> Result<u32, FieldError> {
    s.trim()
        .parse()
        .map_err(|_| FieldError::BadInteger(s.trim().to_string()))
}

/// Parses one of a fixed set of words.
pub fn parse_enum<T: Copy>(s: &str, options: &[(&str, T)]) -> Result<T, FieldError> {
    let i = parse_name(s, options.iter().map(|(name, _)| *name))?;
    Ok(options[i].1)
}

/// Which of `names` the text is (trimmed): its position, or an error that lists every name.
pub fn parse_name<'a>(
    s: &str,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Result<usize, FieldError> {
    let s = s.trim();
    names
        .clone()
        .position(|name| name == s)
        .ok_or_else(|| FieldError::BadEnum {
            value: s.to_string(),
            allowed: names.map(str::to_string).collect(),
        })
}

/// Each cell type of the kinds table (`model::kinds`) parsed by the parser above for it.
mod values {
    use super::*;
    use crate::model::{Choice, ColumnType, Config, Role, Text, Value};

    impl Value for Text {
        const TYPE: ColumnType = ColumnType::Text;
        fn parse(s: &str, _: &Config) -> Result<Self, FieldError> {
            Ok(Text::from(s))
        }
    }

    impl Value for Time {
        const TYPE: ColumnType = ColumnType::Time;
        fn parse(s: &str, config: &Config) -> Result<Self, FieldError> {
            parse_time(s, config.timezone)
        }
    }

    impl Value for Phone {
        const TYPE: ColumnType = ColumnType::Phone;
        fn parse(s: &str, config: &Config) -> Result<Self, FieldError> {
            match parse_phone(s) {
                // R15: a masked phone is read when masked reports are on; `checks` refuses it
                // outside `reports`
                Err(FieldError::MaskedPhone(_) | FieldError::BadPhone(_))
                    if config.masked_reports && s.contains(['*', '＊']) =>
                {
                    parse_masked_phone(s)
                }
                other => other,
            }
        }
    }

    impl Value for Decimal {
        const TYPE: ColumnType = ColumnType::Money;
        fn parse(s: &str, _: &Config) -> Result<Self, FieldError> {
            parse_money(s)
        }
    }

    /// A count (votes, leaders): 0 to `MAX_COUNT`.
    impl Value for u32 {
        const TYPE: ColumnType = ColumnType::Count;
        fn parse(s: &str, _: &Config) -> Result<Self, FieldError> {
            match parse_u32(s)? {
                n if n > MAX_COUNT => {
                    Err(FieldError::CountTooLarge(s.trim().to_string(), MAX_COUNT))
                }
                n => Ok(n),
            }
        }
    }

    /// A count of people (R8 `persons`): 1 to `MAX_COUNT`; 0 is an error, not a penalty of 0.
    impl Value for crate::model::Persons {
        const TYPE: ColumnType = ColumnType::Count;
        fn parse(s: &str, config: &Config) -> Result<Self, FieldError> {
            match u32::parse(s, config)? {
                0 => Err(FieldError::Zero(s.trim().to_string())),
                n => Ok(crate::model::Persons(n)),
            }
        }
    }

    impl<T: Choice> Value for T {
        const TYPE: ColumnType = ColumnType::Choice {
            words: T::NAMES,
            aliases: T::ALIASES,
        };
        fn parse(s: &str, _: &Config) -> Result<Self, FieldError> {
            parse_enum(s, T::CHOICES)
        }
    }

    /// A slip role must be one of the config's roles.
    impl Value for Role {
        const TYPE: ColumnType = ColumnType::SlipRole;
        fn parse(s: &str, config: &Config) -> Result<Self, FieldError> {
            let roles = &config.slip_roles;
            let i = parse_name(s, roles.iter().map(String::as_str))?;
            Ok(Role(Text::from(roles[i].as_str())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn local_time_is_in_project_zone() {
        let t = parse_time("2026-03-01 09:30", cst()).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-01T09:30:00+08:00");
        let t = parse_time("2026-03-01 09:30:15", cst()).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-01T09:30:15+08:00");
    }

    #[test]
    fn rfc3339_keeps_its_offset() {
        let t = parse_time("2026-03-01T09:30:00-05:00", cst()).unwrap();
        assert_eq!(t.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(
            t,
            parse_time("2026-03-01 22:30", cst()).unwrap(),
            "same instant"
        );
    }

    #[test]
    fn bad_and_bare_times() {
        assert_eq!(
            parse_time("2026-13-45 09:00", cst()),
            Err(FieldError::BadTime("2026-13-45 09:00".into()))
        );
        assert_eq!(
            parse_time("2026-03-01", cst()),
            Err(FieldError::BareDate("2026-03-01".into()))
        );
        assert!(parse_time("2026-02-30 10:00", cst()).is_err());
        assert!(parse_time("2026-03-01 24:00", cst()).is_err());
        assert!(parse_time("", cst()).is_err());
    }

    #[test]
    fn loose_spellings_are_refused() {
        // found by fuzzing: chrono's %Y took a sign and %M a space
        for s in [
            "-01-06-01 09: 0",
            "2026-03-01 9:30",
            "2026-3-1 09:30",
            "+2026-03-01 09:30",
            "2026-03-01 09:30:5",
        ] {
            assert!(
                matches!(parse_time(s, cst()), Err(FieldError::BadTime(_))),
                "{s}"
            );
        }
        assert!(matches!(
            parse_time("-001-03-01", cst()),
            Err(FieldError::BadTime(_))
        ));
    }

    #[test]
    fn excel_times_are_read_in_the_project_zone() {
        for (s, want) in [
            ("2026/3/2 9:00", "2026-03-02T09:00:00+08:00"),
            ("2026/3/2 9:00:00", "2026-03-02T09:00:00+08:00"),
            ("2026/03/02 09:00", "2026-03-02T09:00:00+08:00"),
            ("2026/12/31 23:59:59", "2026-12-31T23:59:59+08:00"),
            ("2026/1/1 0:00", "2026-01-01T00:00:00+08:00"),
            ("2026/10/9 17:05:30", "2026-10-09T17:05:30+08:00"),
            (" 2026/3/2 9:00 ", "2026-03-02T09:00:00+08:00"),
        ] {
            assert_eq!(parse_time(s, cst()).unwrap().to_rfc3339(), want, "{s}");
        }
    }

    #[test]
    fn excel_bare_dates_and_nonsense_are_refused() {
        assert_eq!(
            parse_time("2026/3/2", cst()),
            Err(FieldError::BareDate("2026/3/2".into()))
        );
        for s in [
            "2026/3/2 9",
            "2026/3/2 9:0",
            "2026/3/2 9:00:0",
            "2026/3/2 009:00",
            "2026/003/2 9:00",
            "26/3/2 9:00",
            "2026/13/2 9:00",
            "2026/2/30 9:00",
            "2026/3/2 24:00",
            "2026/3/2 9:60",
            "2026/3/2  9:00",
            "2026/3/2 9:00:00:00",
            "2026/3/2/1 9:00",
            "2026/+3/2 9:00",
            "2026/3/ 2 9:00",
            "2026/3/2T9:00",
            "2026/3",
            "/",
            "2026/3/2 9:00 PM",
        ] {
            assert!(
                matches!(parse_time(s, cst()), Err(FieldError::BadTime(_))),
                "{s}: {:?}",
                parse_time(s, cst())
            );
        }
    }

    #[test]
    fn phones_normalize() {
        for s in [
            "13800138000",
            "+8613800138000",
            "008613800138000",
            "138-0013-8000",
            "+86 138 0013 8000",
        ] {
            assert_eq!(parse_phone(s), Ok(Phone(13800138000)), "{s}");
        }
    }

    #[test]
    fn bad_phones() {
        assert!(matches!(
            parse_phone("12800138000"),
            Err(FieldError::BadPhone(_))
        ));
        assert!(matches!(
            parse_phone("1380013800"),
            Err(FieldError::BadPhone(_))
        ));
        assert!(matches!(
            parse_phone("010-12345678"),
            Err(FieldError::BadPhone(_))
        ));
        assert!(matches!(
            parse_phone("138****5678"),
            Err(FieldError::MaskedPhone(_))
        ));
    }

    #[test]
    fn decimals() {
        assert_eq!(
            parse_decimal("1234567.89"),
            Ok(Decimal::from_str("1234567.89").unwrap())
        );
        assert_eq!(parse_decimal("-5"), Ok(Decimal::from(-5)));
        assert_eq!(
            parse_decimal("1,234,567.89"),
            Err(FieldError::ThousandsSeparator("1,234,567.89".into()))
        );
        assert_eq!(
            parse_decimal("999999999999999.99").unwrap().to_string(),
            "999999999999999.99"
        );
        assert!(matches!(
            parse_decimal("1000000000000000"),
            Err(FieldError::TooLarge(_))
        ));
        assert!(matches!(
            parse_decimal("79228162514264337593543950335"),
            Err(FieldError::TooLarge(_))
        ));
        assert!(matches!(
            parse_decimal("0.0000000000001"),
            Err(FieldError::TooLarge(_))
        ));
        for bad in ["1_000", "1e5", "12.", ".5", "abc", "1.2.3", ""] {
            assert!(
                matches!(parse_decimal(bad), Err(FieldError::BadDecimal(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn rates() {
        assert_eq!(
            parse_rate("1.5%").unwrap().value,
            Decimal::from_str("0.015").unwrap()
        );
        assert_eq!(
            parse_rate("0.015").unwrap().value,
            Decimal::from_str("0.015").unwrap()
        );
        assert_eq!(parse_rate(" 1.8% ").unwrap().text, "1.8%");
        assert!(parse_rate("150%").is_err());
        assert!(parse_rate("2").is_err());
        assert!(parse_rate("-1%").is_err());
        assert!(parse_rate("x%").is_err());
    }

    #[test]
    fn enums_name_the_choices() {
        let opts = [("call", 1), ("visit", 2)];
        assert_eq!(parse_enum("visit", &opts), Ok(2));
        let err = parse_enum("walk", &opts).unwrap_err();
        assert_eq!(err.to_string(), "「walk」 is not one of call, visit");
    }

    proptest! {
        /// Every spelling of one number gives the same key.
        #[test]
        fn every_spelling_of_a_phone_is_one_key(
            second in 3u8..=9,
            rest in proptest::collection::vec(0u8..=9, 9),
            prefix in prop_oneof![Just(""), Just("+86"), Just("0086"), Just("+86 "), Just("0086-")],
            seps in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("-")], 11),
        ) {
            let digits: Vec<char> = std::iter::once('1')
                .chain(std::iter::once(char::from(b'0' + second)))
                .chain(rest.iter().map(|d| char::from(b'0' + d)))
                .collect();
            let plain: String = digits.iter().collect();
            let mut spelled = prefix.to_string();
            for (d, sep) in digits.iter().zip(&seps) {
                spelled.push(*d);
                spelled.push_str(sep);
            }
            prop_assert_eq!(parse_phone(&spelled), parse_phone(&plain));
            prop_assert!(parse_phone(&plain).is_ok());
        }

        /// Any valid local time survives a round trip through its RFC 3339 spelling.
        #[test]
        fn local_and_rfc3339_agree(d in 0i64..4000, m in 0u32..1440) {
            let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(d);
            let local = format!("{} {:02}:{:02}", base, m / 60, m % 60);
            let t = parse_time(&local, cst()).unwrap();
            prop_assert_eq!(parse_time(&t.to_rfc3339(), cst()).unwrap(), t);
        }
    }
}
