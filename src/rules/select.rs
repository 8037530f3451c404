//! Which verdicts `replay` shows: the auditor's filters `--kind`, `--verdict`, `--channel`,
//! `--from` and `--to` (`--phone` is a scope, `Scope::Family`: only that family is judged). A
//! verdict is shown when it passes every filter given. Values are read here against the
//! ledger's own words, and a value that names nothing is an error, never an empty answer.

use super::verdict::{Code, Verdict};
use crate::model::{Choice, Config, ContactKind, Kind, Ledger, Time};
use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone};

/// What `--kind` asks for: a kind, or one kind of contact (call, visit, follow-up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindPick {
    Kind(Kind),
    Contact(ContactKind),
}

/// The filters given (None: not given).
#[derive(Clone, Debug, Default)]
pub struct Select {
    pub kind: Option<KindPick>,
    pub code: Option<Code>,
    pub channel: Option<String>,
    /// The first instant shown (`--from`).
    pub from: Option<Time>,
    /// The first instant no longer shown (`--to`: just after its time, or the start of the next
    /// day or month).
    pub before: Option<Time>,
}

/// A filter value that names nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("--kind 「{0}」 is not a record kind (expected one of: {list})", list = kind_words().join(", "))]
    Kind(String),
    #[error("--verdict 「{0}」 is not a verdict (expected one of: {list})", list = Code::ALL.map(Code::as_str).join(", "))]
    Verdict(String),
    #[error("--channel 「{name}」 is not a channel of attrib.toml (known: {known})", known = known.join(", "))]
    Channel { name: String, known: Vec<String> },
    #[error(
        "{flag} 「{value}」 is not a time (2026-03-01 09:30), a day (2026-03-01) or a month (2026-03)"
    )]
    Bound { flag: &'static str, value: String },
    #[error("--to {to} is before --from {from}")]
    Reversed { from: String, to: String },
}

/// Every word `--kind` accepts, English then Chinese: the kinds, then the kinds of contact.
pub fn kind_words() -> Vec<String> {
    let kinds = Kind::ALL
        .iter()
        .map(|k| format!("{} {}", k.singular(), k.zh_name()));
    let contacts = ContactKind::NAMES.iter().map(|&word| {
        let zh = ContactKind::ALIASES.iter().find(|(_, w)| *w == word);
        format!("{word} {}", zh.map_or("", |(alias, _)| alias))
    });
    kinds.chain(contacts).collect()
}

impl Select {
    /// Whether the verdict passes every filter given. A contact's kind is read from the
    /// ledger (a voided visit is still a visit); the channel is the verdict's, as replay shows it.
    pub fn keeps(&self, v: &Verdict, ledger: &Ledger) -> bool {
        let kind = match self.kind {
            None => true,
            Some(KindPick::Kind(k)) => v.kind == k,
            Some(KindPick::Contact(c)) => {
                v.kind == Kind::Contact && ledger.contacts.get(v.index).is_some_and(|r| r.kind == c)
            }
        };
        kind && self.code.is_none_or(|c| v.code == c)
            && (self.channel.as_deref()).is_none_or(|c| v.channel.as_deref() == Some(c))
            && self.from.is_none_or(|t| v.at >= t)
            && self.before.is_none_or(|t| v.at < t)
    }

    /// Whether no filter is given (the whole ledger is shown).
    pub fn is_all(&self) -> bool {
        self.kind.is_none()
            && self.code.is_none()
            && self.channel.is_none()
            && self.from.is_none()
            && self.before.is_none()
    }
}

/// `--kind`: a kind's name (`report`), its Chinese name (`报备`) or file stem (`reports`), or a
/// kind of contact (`visit`, `来访`; `follow-up` as the English table writes it).
pub fn parse_kind(s: &str) -> Result<KindPick, SelectError> {
    let word = s.trim();
    let contact = (ContactKind::CHOICES.iter())
        .find(|(w, _)| *w == word || (word == "follow-up" && *w == "followup"))
        .map(|&(_, c)| c)
        .or_else(|| {
            let (_, w) = ContactKind::ALIASES.iter().find(|(a, _)| *a == word)?;
            ContactKind::CHOICES
                .iter()
                .find(|(c, _)| c == w)
                .map(|&(_, c)| c)
        });
    match (
        Kind::from_name(word).or_else(|| Kind::from_stem(word)),
        contact,
    ) {
        (Some(k), _) => Ok(KindPick::Kind(k)),
        (None, Some(c)) => Ok(KindPick::Contact(c)),
        (None, None) => Err(SelectError::Kind(word.to_string())),
    }
}

/// `--verdict`: a code as RULES.md §4 spells it (`held-by-report`), or its label in the Chinese
/// table (`撞单`, given by `zh_label`).
pub fn parse_code(s: &str, zh_label: &dyn Fn(Code) -> &'static str) -> Result<Code, SelectError> {
    let word = s.trim();
    (Code::ALL.into_iter())
        .find(|&c| c.as_str() == word || zh_label(c) == word)
        .ok_or_else(|| SelectError::Verdict(word.to_string()))
}

/// `--channel`: a channel named in attrib.toml.
pub fn parse_channel(s: &str, config: &Config) -> Result<String, SelectError> {
    let name = s.trim();
    match config.channels.iter().any(|c| c.name == name) {
        true => Ok(name.to_string()),
        false => Err(SelectError::Channel {
            name: name.to_string(),
            known: config.channels.iter().map(|c| c.name.clone()).collect(),
        }),
    }
}

/// `--from` / `--to`: a time as the ledger writes one (read in the project zone), a day
/// `2026-03-05` or a month `2026-03`. Returns the first instant it covers and the first
/// instant after it: a time covers itself, a day and a month the whole of them.
pub fn parse_bound(
    flag: &'static str,
    s: &str,
    zone: FixedOffset,
) -> Result<(Time, Time), SelectError> {
    let value = s.trim();
    let bad = || SelectError::Bound {
        flag,
        value: value.to_string(),
    };
    let start = |d: NaiveDate| -> Option<Time> {
        let t = zone
            .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .single()?;
        (1970..=2199).contains(&d.year()).then_some(t)
    };
    if let Some((y, m)) = month(value) {
        let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(bad)?;
        return Ok((start(first).ok_or_else(bad)?, start(next).ok_or_else(bad)?));
    }
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let next = day.succ_opt().ok_or_else(bad)?;
        return Ok((start(day).ok_or_else(bad)?, start(next).ok_or_else(bad)?));
    }
    let t = crate::ledger::fields::parse_time(value, zone).map_err(|_| bad())?;
    Ok((t, t + Duration::nanoseconds(1)))
}

/// `YYYY-MM` (a one- or two-digit month), as numbers.
fn month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    let digits =
        |t: &str, n| t.len() <= n && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !digits(y, 4) || !digits(m, 2) {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?))
}

/// `--from` and `--to` together: the instants shown run from `--from`'s first to just before
/// `--to`'s next; `--to` before `--from` is an error.
pub fn parse_range(
    from: Option<&str>,
    to: Option<&str>,
    zone: FixedOffset,
) -> Result<(Option<Time>, Option<Time>), SelectError> {
    let first = from.map(|s| parse_bound("--from", s, zone)).transpose()?;
    let last = to.map(|s| parse_bound("--to", s, zone)).transpose()?;
    if let (Some((from_start, _)), Some((_, to_end))) = (first, last)
        && to_end <= from_start
    {
        return Err(SelectError::Reversed {
            from: from.unwrap_or_default().trim().to_string(),
            to: to.unwrap_or_default().trim().to_string(),
        });
    }
    Ok((first.map(|(t, _)| t), last.map(|(_, t)| t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn zone() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn at(s: &str) -> Time {
        crate::ledger::fields::parse_time(s, zone()).unwrap()
    }

    #[test]
    fn kinds_are_read_in_english_chinese_and_as_contacts() {
        assert_eq!(parse_kind("report"), Ok(KindPick::Kind(Kind::Report)));
        assert_eq!(parse_kind("报备"), Ok(KindPick::Kind(Kind::Report)));
        assert_eq!(parse_kind("bookings"), Ok(KindPick::Kind(Kind::Booking)));
        assert_eq!(
            parse_kind(" visit "),
            Ok(KindPick::Contact(ContactKind::Visit))
        );
        assert_eq!(
            parse_kind("来访"),
            Ok(KindPick::Contact(ContactKind::Visit))
        );
        assert_eq!(
            parse_kind("follow-up"),
            Ok(KindPick::Contact(ContactKind::Followup))
        );
        let e = parse_kind("报名").unwrap_err();
        assert_eq!(e, SelectError::Kind("报名".into()));
        assert!(e.to_string().contains("report 报备"), "{e}");
        assert!(e.to_string().contains("visit 来访"), "{e}");
    }

    #[test]
    fn verdicts_are_read_as_codes_or_chinese_labels() {
        let zh = |c: Code| match c {
            Code::HeldByReport => "撞单",
            _ => "",
        };
        assert_eq!(parse_code("held-by-report", &zh), Ok(Code::HeldByReport));
        assert_eq!(parse_code("撞单", &zh), Ok(Code::HeldByReport));
        assert_eq!(parse_code("valid", &zh), Ok(Code::Valid));
        let e = parse_code("good", &zh).unwrap_err();
        assert!(e.to_string().contains("held-by-report"), "{e}");
    }

    #[test]
    fn every_code_is_listed_once() {
        let mut words: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), Code::ALL.len());
    }

    #[test]
    fn a_month_a_day_or_a_time_bounds_the_range() {
        let (from, before) = parse_range(Some("2026-03"), Some("2026-03"), zone()).unwrap();
        assert_eq!(from, Some(at("2026-03-01 00:00")));
        assert_eq!(before, Some(at("2026-04-01 00:00")), "the whole month");
        let (from, before) = parse_range(Some("2026-3"), Some("2026-12"), zone()).unwrap();
        assert_eq!(from, Some(at("2026-03-01 00:00")));
        assert_eq!(before, Some(at("2027-01-01 00:00")));
        let (from, before) = parse_range(Some("2026-03-05"), None, zone()).unwrap();
        assert_eq!((from, before), (Some(at("2026-03-05 00:00")), None));
        let (_, before) = parse_range(None, Some("2026-03-05 09:30"), zone()).unwrap();
        assert!(before > Some(at("2026-03-05 09:30")) && before < Some(at("2026-03-05 09:31")));
    }

    #[test]
    fn bad_bounds_and_a_reversed_range_are_errors() {
        for bad in [
            "2026-13",
            "2026-00",
            "tomorrow",
            "2026-02-30",
            "1900-01",
            "03-2026",
        ] {
            let e = parse_range(Some(bad), None, zone()).unwrap_err();
            assert_eq!(
                e,
                SelectError::Bound {
                    flag: "--from",
                    value: bad.into()
                }
            );
        }
        let e = parse_range(Some("2026-04"), Some("2026-03-31 23:00"), zone()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--to 2026-03-31 23:00 is before --from 2026-04"
        );
        assert!(parse_range(Some("2026-03-05 09:30"), Some("2026-03-05 09:30"), zone()).is_ok());
    }

    #[test]
    fn a_verdict_is_kept_when_it_passes_every_filter() {
        let lb = Lb::new()
            .report("R-1", "2026-03-02 09:00", "链家", "王五", P1)
            .walk_in("C-1", "2026-03-03 10:00", P2);
        let e = lb.eval("2026-04-01 00:00");
        let l = &lb.l;
        let v = &e.verdicts[0];
        let all = Select::default();
        assert!(all.is_all() && all.keeps(v, l));
        let report = Select {
            kind: Some(KindPick::Kind(Kind::Report)),
            code: Some(v.code),
            channel: Some("链家".into()),
            from: Some(at("2026-03-01 00:00")),
            before: Some(at("2026-04-01 00:00")),
        };
        assert!(report.keeps(v, l));
        let later = Select {
            from: Some(at("2026-03-02 09:01")),
            ..report.clone()
        };
        assert!(!later.keeps(v, l));
        let visits = Select {
            kind: Some(KindPick::Contact(ContactKind::Visit)),
            ..report.clone()
        };
        assert!(!visits.keeps(v, l));
        let walk_in = e.verdict("C-1").unwrap();
        let visits = Select {
            kind: Some(KindPick::Contact(ContactKind::Visit)),
            ..Select::default()
        };
        assert!(visits.keeps(walk_in, l) && !visits.keeps(v, l));
        let other = Select {
            channel: Some("中原".into()),
            ..report
        };
        assert!(!other.keeps(v, l));
    }
}
