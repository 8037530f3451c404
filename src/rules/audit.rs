//! Audit (审计): the ledger is append-only. Compares what a commit removed and added, judges
//! back-dating, and finds verdicts that flipped between two states of the ledger. Pure: the
//! shell walks the git history and hands the rows and evaluations in.

use super::Evaluation;
use super::settle::{Line, month_after};
use super::verdict::Code;
use crate::model::{Kind, RawRow, Src, Time};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// What the audit found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// 改动: an existing row changed in place.
    Edit,
    /// 删除: an existing row removed.
    Deletion,
    /// 补录: a row committed long after its time.
    BackDated,
    /// 预填: a row committed before its own time (entered ahead of the fact).
    PreDated,
    /// 判定改变: a report, contact or direct slip changed verdict, or a booking its owner.
    Flip,
    /// 更正: a flip that a void of the same commit explains.
    Correction,
    /// 已结算月份金额变动: a commit changed a payee's total in a month already settled.
    MoneyMoved,
    /// 未提交: a ledger file changed in the work tree but not committed, so not audited.
    Uncommitted,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Edit => "edit",
            FindingKind::Deletion => "deletion",
            FindingKind::BackDated => "back-dated",
            FindingKind::PreDated => "pre-dated",
            FindingKind::Flip => "flip",
            FindingKind::Correction => "correction",
            FindingKind::MoneyMoved => "money-moved",
            FindingKind::Uncommitted => "not-audited",
        }
    }
}

/// One audit finding, placed at a commit and a row.
#[derive(Clone, Debug)]
pub struct Finding {
    pub kind: FindingKind,
    pub commit: String,
    /// The commit's subject (first line of its message).
    pub subject: String,
    pub author: String,
    /// The commit's time in the project zone, RFC 3339.
    pub date: String,
    pub file: String,
    pub line: u32,
    pub id: String,
    pub before: String,
    pub after: String,
}

/// What a commit did to existing rows, by record key.
#[derive(Debug, Default)]
pub struct Changes<'a> {
    /// A row rewritten in place: (before, after).
    pub edits: Vec<(&'a RawRow, &'a RawRow)>,
    pub deletions: Vec<&'a RawRow>,
    /// Rows that did not exist before.
    pub appended: Vec<&'a RawRow>,
}

/// Audit: rows removed and added by one commit, paired by key. A row removed and added back
/// unchanged (moved) is neither an edit nor new.
pub fn classify<'a>(removed: &'a [RawRow], added: &'a [RawRow]) -> Changes<'a> {
    let mut c = Changes::default();
    let by_key: HashMap<&str, &RawRow> = added.iter().map(|r| (r.key.as_str(), r)).collect();
    let removed_keys: HashMap<&str, &RawRow> =
        removed.iter().map(|r| (r.key.as_str(), r)).collect();
    for r in removed {
        match by_key.get(r.key.as_str()) {
            Some(a) if sorted(a) != sorted(r) => c.edits.push((r, a)),
            Some(_) => {}
            None => c.deletions.push(r),
        }
    }
    c.appended = added
        .iter()
        .filter(|a| !removed_keys.contains_key(a.key.as_str()))
        .collect();
    c
}

/// An edit's changed cells only, before and after (`channel=我爱我家` → `channel=链家`); a cell
/// emptied or filled shows as `col=`.
pub fn changed_cells(old: &RawRow, new: &RawRow) -> (String, String) {
    let (o, n) = (sorted(old), sorted(new));
    let get = |v: &[(&str, &str)], c: &str| {
        v.iter()
            .find(|(k, _)| *k == c)
            .map(|(_, x)| x.to_string())
            .unwrap_or_default()
    };
    let mut cols: Vec<&str> = o.iter().chain(n.iter()).map(|(c, _)| *c).collect();
    cols.sort();
    cols.dedup();
    let (mut before, mut after) = (vec![], vec![]);
    for c in cols {
        let (b, a) = (get(&o, c), get(&n, c));
        if b != a {
            before.push(format!("{c}={b}"));
            after.push(format!("{c}={a}"));
        }
    }
    (before.join(" "), after.join(" "))
}

/// Cells compared without regard to column order.
fn sorted(r: &RawRow) -> Vec<(&str, &str)> {
    let mut v: Vec<(&str, &str)> = r
        .cells
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(c, v)| (c.as_str(), v.as_str()))
        .collect();
    v.sort();
    v
}

/// Audit back-dated (补录): committed more than `max_hours` after the row's own time.
pub fn back_dated(at: Time, committed: Time, max_hours: u32) -> bool {
    committed - at > chrono::Duration::hours(i64::from(max_hours))
}

/// Settlement totals by (month `YYYY-MM` in the project zone, payee).
pub type Totals = BTreeMap<(String, String), Decimal>;

/// The settlement lines' totals per month of their due time and payee.
pub fn month_totals(lines: &[Line], tz: chrono::FixedOffset) -> Totals {
    let mut out = Totals::new();
    for l in lines {
        let month = l.due.with_timezone(&tz).format("%Y-%m").to_string();
        let t = out.entry((month, l.payee.to_string())).or_default();
        *t = t.saturating_add(l.amount);
    }
    out
}

/// §5: month `YYYY-MM` is already settled for a commit made at `committed` when it ended, in
/// the project zone, more than `max_hours` before it.
pub fn settled(month: &str, committed: Time, max_hours: u32, tz: chrono::FixedOffset) -> bool {
    let Some((y, m)) = month.split_once('-') else {
        return false;
    };
    let (Ok(y), Ok(m)) = (y.parse(), m.parse()) else {
        return false;
    };
    month_after(y, m, tz)
        .is_some_and(|end| committed - end > chrono::Duration::hours(i64::from(max_hours)))
}

/// Whether time `at` falls in a month already settled for a commit made at `committed`.
pub fn in_settled_month(
    at: Time,
    committed: Time,
    max_hours: u32,
    tz: chrono::FixedOffset,
) -> bool {
    let month = at.with_timezone(&tz).format("%Y-%m").to_string();
    settled(&month, committed, max_hours, tz)
}

/// Money moved: (month, payee, before, after) for every settled month whose payee total changed.
pub fn money_moved(
    before: &Totals,
    after: &Totals,
    is_settled: impl Fn(&str) -> bool,
) -> Vec<(String, String, Decimal, Decimal)> {
    let keys: std::collections::BTreeSet<&(String, String)> =
        before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|(month, _)| is_settled(month))
        .filter_map(|k| {
            let b = before.get(k).copied().unwrap_or_default();
            let a = after.get(k).copied().unwrap_or_default();
            (b != a).then(|| (k.0.clone(), k.1.clone(), b, a))
        })
        .collect()
}

/// Audit pre-dated (预填): committed before the row's own time, beyond the five minutes of clock
/// skew that `add` allows.
pub fn pre_dated(at: Time, committed: Time) -> bool {
    at - committed > chrono::Duration::minutes(5)
}

/// A verdict as the audit compares it.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    pub code: Code,
    pub rule: &'static str,
    pub cite: Option<String>,
    /// For a booking owned by a channel: the channel (a booking that moves from one channel to
    /// another flips although its code stays `channel`).
    pub party: Option<String>,
    pub src: Src,
}

/// The verdicts of reports, contacts and direct slips (R2–R6) and bookings' owners (R7), by id.
pub fn standings(e: &Evaluation) -> HashMap<String, Standing> {
    let l = e.registry.ledger;
    e.verdicts
        .iter()
        .filter(|v| {
            matches!(
                v.kind,
                Kind::Report | Kind::Contact | Kind::Direct | Kind::Booking
            )
        })
        .map(|v| {
            let standing = Standing {
                code: v.code,
                rule: v.rule,
                cite: v.cite.as_ref().map(|c| c.id.to_string()),
                party: (v.kind == Kind::Booking && v.code == Code::Channel)
                    .then(|| v.channel.as_ref().map(|c| c.to_string()))
                    .flatten(),
                src: l.stamp(v.kind, v.index).src,
            };
            (v.id.to_string(), standing)
        })
        .collect()
}

/// A verdict that changed between two consecutive states.
#[derive(Clone, Debug, PartialEq)]
pub struct Flip {
    pub id: String,
    pub before: Standing,
    pub after: Standing,
    /// The void added by the same commit that explains the flip (a correction).
    pub void: Option<String>,
}

/// Audit flips: records present in both states whose verdict code changed. A flip is explained
/// by a void of the same commit that voids the record itself or the record its verdict cited
/// before or after. `new_voids` are (void id, target id).
pub fn flips(
    before: &HashMap<String, Standing>,
    after: &HashMap<String, Standing>,
    new_voids: &[(String, String)],
) -> Vec<Flip> {
    let mut out: Vec<Flip> = after
        .iter()
        .filter_map(|(id, a)| {
            let b = before.get(id)?;
            if (b.code, &b.party) == (a.code, &a.party) {
                return None;
            }
            let involved = [Some(id), b.cite.as_ref(), a.cite.as_ref()];
            let void = new_voids
                .iter()
                .find(|(_, target)| involved.contains(&Some(target)))
                .map(|(v, _)| v.clone());
            Some(Flip {
                id: id.clone(),
                before: b.clone(),
                after: a.clone(),
                void,
            })
        })
        .collect();
    out.sort_by(|x, y| {
        (x.after.src.file(), x.after.src.line).cmp(&(y.after.src.file(), y.after.src.line))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, cells: &[(&str, &str)]) -> RawRow {
        RawRow {
            file: "reports.csv".into(),
            line: 2,
            key: key.into(),
            cells: cells
                .iter()
                .map(|(c, v)| (c.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn audit_pairs_rows_by_key() {
        let removed = vec![
            row("R-1", &[("id", "R-1"), ("at", "1")]),
            row("R-2", &[("id", "R-2")]),
            row("R-3", &[("id", "R-3"), ("at", "3")]),
        ];
        let added = vec![
            row("R-1", &[("id", "R-1"), ("at", "9")]),
            row("R-3", &[("at", "3"), ("id", "R-3")]),
            row("R-4", &[("id", "R-4")]),
        ];
        let c = classify(&removed, &added);
        assert_eq!(c.edits.len(), 1);
        assert_eq!(c.edits[0].1.get("at"), Some("9"));
        assert_eq!(
            c.deletions
                .iter()
                .map(|r| r.key.as_str())
                .collect::<Vec<_>>(),
            vec!["R-2"]
        );
        assert_eq!(
            c.appended
                .iter()
                .map(|r| r.key.as_str())
                .collect::<Vec<_>>(),
            vec!["R-4"],
            "R-3 only moved"
        );
    }

    #[test]
    fn audit_a_month_is_settled_only_after_the_entry_delay() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        let tz = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        assert!(!settled("2026-03", t("2026-04-01T09:00:00+08:00"), 24, tz));
        assert!(!settled("2026-03", t("2026-04-02T00:00:00+08:00"), 24, tz));
        assert!(settled("2026-03", t("2026-04-02T00:00:01+08:00"), 24, tz));
        assert!(!settled("2026-04", t("2026-04-20T00:00:00+08:00"), 24, tz));
    }

    #[test]
    fn audit_money_moved_only_in_settled_months() {
        let d = |n: i64| Decimal::from(n);
        let k = |m: &str| (m.to_string(), "伟业".to_string());
        let before = Totals::from([(k("2026-03"), d(36000)), (k("2026-04"), d(1))]);
        let after = Totals::from([(k("2026-04"), d(2))]);
        let moved = money_moved(&before, &after, |m| m == "2026-03");
        assert_eq!(
            moved,
            vec![("2026-03".into(), "伟业".into(), d(36000), d(0))]
        );
    }

    #[test]
    fn audit_pre_dated_beyond_five_minutes_only() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        let c = t("2026-03-01T09:00:00+08:00");
        assert!(!pre_dated(t("2026-03-01T09:05:00+08:00"), c));
        assert!(pre_dated(t("2026-03-01T09:05:01+08:00"), c));
    }

    #[test]
    fn audit_an_edit_shows_the_changed_cells_only() {
        let old = row("R-1", &[("id", "R-1"), ("at", "1"), ("channel", "甲")]);
        let new = row(
            "R-1",
            &[("id", "R-1"), ("at", "1"), ("channel", "乙"), ("note", "x")],
        );
        assert_eq!(
            changed_cells(&old, &new),
            ("channel=甲 note=".into(), "channel=乙 note=x".into())
        );
    }

    #[test]
    fn audit_back_dated_beyond_the_delay_only() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        assert!(!back_dated(
            t("2026-03-01T09:00:00+08:00"),
            t("2026-03-02T09:00:00+08:00"),
            24
        ));
        assert!(back_dated(
            t("2026-03-01T09:00:00+08:00"),
            t("2026-03-02T09:00:01+08:00"),
            24
        ));
    }

    fn standing(code: Code, cite: Option<&str>) -> Standing {
        Standing {
            code,
            rule: "R2",
            cite: cite.map(String::from),
            party: None,
            src: Src::new(Kind::Report, true, 3),
        }
    }

    #[test]
    fn audit_flip_explained_by_a_void_of_its_evidence() {
        let before = HashMap::from([
            ("R-2".to_string(), standing(Code::KnownClient, Some("C-1"))),
            ("R-3".to_string(), standing(Code::Accepted, None)),
        ]);
        let after = HashMap::from([
            ("R-2".to_string(), standing(Code::Accepted, None)),
            ("R-3".to_string(), standing(Code::Accepted, None)),
        ]);
        let f = flips(&before, &after, &[("X-1".into(), "C-1".into())]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].void.as_deref(), Some("X-1"));
        let f = flips(&before, &after, &[("X-1".into(), "C-9".into())]);
        assert_eq!(f[0].void, None, "a void of something else explains nothing");
    }
}
