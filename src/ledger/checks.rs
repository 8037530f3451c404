//! Cross-record checks: unique ids, references, channels known to the config, channel visits
//! complete, no cycles of voids.

use super::config::CONFIG_FILE;
use super::error::{ErrorKind, LedgerError};
use crate::model::*;
use rustc_hash::FxBuildHasher;
use std::collections::HashMap;
use std::hash::BuildHasher;

fn place(src: &Src) -> String {
    format!("{}:{}", src.file(), src.line)
}

/// Cross-record checks: unique ids, references, channels known to the config, channel visits
/// complete, no cycles of voids. The checks on channels run on a second thread.
pub fn check_references(l: &Ledger, errors: &mut Vec<LedgerError>) {
    let (ids, mut channels) = crate::par::both(|| Ids::of(l), || channel_links(l));
    errors.append(&mut ids.duplicates(l));
    errors.append(&mut channels);
    errors.append(&mut void_links(l, |id| ids.contains(l, id)));
    errors.append(&mut delisting_rows(l));
    errors.append(&mut cancellation_links(l));
    errors.append(&mut masked_phones(l));
    let zone_without_fee = l.config.unit_agency_fee.is_zero()
        && l.violations.iter().any(|v| v.kind == ViolationKind::Zone);
    if zone_without_fee {
        errors.push(LedgerError::file(
            CONFIG_FILE,
            ErrorKind::Config(super::error::Said::new(
                "penalties.unit_agency_fee: a zone violation needs one unit's agency fee",
                "penalties.unit_agency_fee: 跨区违规需要一套房的代理费 (请在 [penalties] 写 unit_agency_fee)",
            )),
        ));
    }
}

/// The kinds whose records have ids, in the order their duplicates are reported (slip ids are
/// their own namespace).
fn id_kinds() -> impl Iterator<Item = Kind> {
    Kind::ALL.iter().copied().filter(|k| k.has_unique_ids())
}

/// Every record id, as (hash of the id, position), sorted. A position is the kind (top bits) and the index in its list, so equal ids sort in the order they are
/// reported. Sorting these small pairs is faster than inserting 700,000 strings into a hash map,
/// whose probes miss the cache.
struct Ids(Vec<(u64, u32)>);

impl Ids {
    /// Hashed and sorted in two halves (the first and second half of every kind's list, on two
    /// threads), then merged.
    fn of(l: &Ledger) -> Ids {
        let keys = |half: usize| {
            let mut keys = Vec::with_capacity(l.rows() / 2 + Kind::ALL.len());
            for kind in id_kinds() {
                let n = l.count(kind);
                let range = if half == 0 { 0..n / 2 } else { n / 2..n };
                keys.extend(range.map(|i| {
                    let hash = FxBuildHasher.hash_one(l.stamp(kind, i).id);
                    (hash, rank_and_index(kind as usize, i))
                }));
            }
            keys.sort_unstable();
            keys
        };
        let (mut keys, theirs) = crate::par::both(|| keys(0), || keys(1));
        keys.extend(theirs);
        keys.sort(); // two sorted runs: merged in one pass
        Ids(keys)
    }

    fn record(l: &Ledger, position: u32) -> Stamp<'_> {
        let (rank, index) = rank_index_of(position);
        l.stamp(Kind::ALL[rank], index)
    }

    /// Every id that stands earlier already, in `Kind::ALL` order and then file order,
    /// naming where it first stands.
    fn duplicates(&self, l: &Ledger) -> Vec<LedgerError> {
        let mut found = vec![];
        for run in self
            .0
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
        {
            // the record that came first in evaluation order (time, kind, file order) keeps
            // the id; every later one is the repeat, so the row a clerk just added is blamed
            let mut run: Vec<(Time, u32)> = (run.iter())
                .map(|&(_, p)| (Self::record(l, p).at, p))
                .collect();
            run.sort_unstable();
            for (j, &(_, position)) in run.iter().enumerate().skip(1) {
                let record = Self::record(l, position);
                let mut earlier = run[..j].iter().map(|&(_, p)| Self::record(l, p));
                if let Some(first) = earlier.find(|other| other.id == record.id) {
                    found.push((
                        position,
                        LedgerError::at(
                            record.src.file(),
                            record.src.line,
                            ErrorKind::DuplicateId {
                                id: record.id.to_string(),
                                first: place(&first.src),
                            },
                        ),
                    ));
                }
            }
        }
        found.sort_by_key(|(position, _)| *position);
        found.into_iter().map(|(_, e)| e).collect()
    }

    fn contains(&self, l: &Ledger, id: &str) -> bool {
        let hash = FxBuildHasher.hash_one(id);
        let from = self.0.partition_point(|(h, _)| *h < hash);
        (self.0[from..].iter())
            .take_while(|(h, _)| *h == hash)
            .any(|&(_, p)| Self::record(l, p).id == id)
    }
}

/// Channels are known to the config, channel visits name their broker and slip, bookings name
/// known discount approvals.
fn channel_links(l: &Ledger) -> Vec<LedgerError> {
    let mut errors = vec![];
    let known: Vec<String> = l.config.channels.iter().map(|c| c.name.clone()).collect();
    let mut channel = |name: &str, src: &Src| {
        if l.config.channel(name).is_none() {
            errors.push(LedgerError::at(
                src.file(),
                src.line,
                ErrorKind::UnknownChannel {
                    name: name.into(),
                    known: known.clone(),
                },
            ));
        }
    };
    for r in &l.reports {
        channel(&r.channel, &r.src);
    }
    for v in &l.violations {
        channel(&v.channel, &v.src);
    }
    for d in &l.delistings {
        if let Some(c) = &d.channel {
            channel(c, &d.src);
        }
    }
    for g in &l.grades {
        channel(&g.channel, &g.src);
    }
    for c in &l.contacts {
        if let Some(ch) = &c.channel {
            channel(ch, &c.src);
        }
    }
    for c in l.contacts.iter().filter(|c| c.is_channel_visit()) {
        for (missing, field) in [(c.broker.is_none(), "broker"), (c.slip.is_none(), "slip")] {
            if missing {
                errors.push(LedgerError::at(
                    c.src.file(),
                    c.src.line,
                    ErrorKind::ChannelVisitNeeds(field),
                ));
            }
        }
    }
    let discounts: std::collections::HashSet<&str> =
        l.discounts.iter().map(|d| d.id.as_str()).collect();
    for b in &l.bookings {
        if b.list_price.is_zero() {
            errors.push(LedgerError {
                file: b.src.file().to_string(),
                line: b.src.line,
                col: Some(super::error::Col::Key("list_price".into())),
                kind: ErrorKind::ZeroListPrice,
            });
        }
        if let Some(d) = &b.discount
            && !discounts.contains(d.as_str())
        {
            errors.push(LedgerError::at(
                b.src.file(),
                b.src.line,
                ErrorKind::UnknownDiscount(d.to_string()),
            ));
        }
    }
    for r in l.relations.iter().filter(|r| r.phone == r.other_phone) {
        errors.push(LedgerError {
            file: r.src.file().to_string(),
            line: r.src.line,
            col: Some(super::error::Col::Key("other_phone".into())),
            kind: ErrorKind::SelfRelation(r.phone.to_string()),
        });
    }
    errors
}

/// RULES-R10.md §1.2 delistings: exactly one of phone/channel; `leaders` ≥ 1 and `votes_for` ≤
/// `leaders`; a `delist` states one of the four grounds as its `reason`.
fn delisting_rows(l: &Ledger) -> Vec<LedgerError> {
    let mut errors = vec![];
    for d in &l.delistings {
        let mut fail = |en: String, zh: String| {
            let said = super::error::Said::new(en, zh);
            errors.push(LedgerError::at(
                d.src.file(),
                d.src.line,
                ErrorKind::Row(said),
            ));
        };
        if d.phone.is_some() == d.channel.is_some() {
            fail(
                "a delisting names exactly one of 「phone」 and 「channel」".into(),
                "除名要在「phone」和「channel」中只填一个".into(),
            );
        }
        if d.leaders == 0 {
            fail(
                "「leaders」 must be at least 1".into(),
                "「leaders」至少为 1".into(),
            );
        }
        if d.votes_for > d.leaders {
            let (v, n) = (d.votes_for, d.leaders);
            fail(
                format!("「votes_for」 {v} is more than 「leaders」 {n}"),
                format!("「votes_for」{v} 多于「leaders」{n}"),
            );
        }
        if d.action() == DelistAction::Delist {
            let names = DelistReason::NAMES.join(", ");
            match d.reason.as_deref() {
                None => fail(
                    "a delisting needs a 「reason」".into(),
                    "除名要写「reason」(理由)".into(),
                ),
                Some(r) if DelistReason::CHOICES.iter().all(|(w, _)| *w != r) => fail(
                    format!("「{r}」 is not one of {names} [reason]"),
                    format!("「{r}」不是可选值之一: {names} [reason]"),
                ),
                Some(_) => {}
            }
        }
    }
    errors
}

/// R15.6 (§1.2): masked phones are allowed only in `reports`; every other row needs the whole
/// number (they are read only when `rules.masked_reports` is on).
fn masked_phones(l: &Ledger) -> Vec<LedgerError> {
    let mut errors = vec![];
    if !l.config.masked_reports {
        return errors;
    }
    for &kind in Kind::ALL.iter().filter(|&&k| k != Kind::Report) {
        for i in 0..l.count(kind) {
            let other = match kind {
                Kind::Relation => Some(l.relations[i].other_phone),
                _ => None,
            };
            let masked = (l.phone(kind, i).into_iter().chain(other)).find(|p| p.is_masked());
            if let Some(p) = masked {
                let src = l.stamp(kind, i).src;
                let said = super::error::Said::new(
                    format!(
                        "「{p}」 is masked: only reports may carry a masked phone (R15.6); write the whole number"
                    ),
                    format!("「{p}」是隐号: 只有报备可以写隐号 (R15.6); 请写完整号码"),
                );
                errors.push(LedgerError::at(src.file(), src.line, ErrorKind::Row(said)));
            }
        }
    }
    errors
}

/// RULES-R10 §1.2: a cancellation names a booking whose `at` is at or before its own.
fn cancellation_links(l: &Ledger) -> Vec<LedgerError> {
    if l.cancellations.is_empty() {
        return vec![];
    }
    let bookings: HashMap<&str, &Booking> = l.bookings.iter().map(|b| (b.id.as_str(), b)).collect();
    let mut errors = vec![];
    for c in &l.cancellations {
        let fault = match bookings.get(c.booking.as_str()) {
            None => ErrorKind::UnknownBooking(c.booking.to_string()),
            Some(b) if b.at > c.at => ErrorKind::LaterBooking(c.booking.to_string()),
            Some(_) => continue,
        };
        errors.push(LedgerError::at(c.src.file(), c.src.line, fault));
    }
    errors
}

/// Voids name existing records and never void each other in a cycle.
fn void_links(l: &Ledger, known: impl Fn(&str) -> bool) -> Vec<LedgerError> {
    let mut errors = vec![];
    for v in &l.voids {
        if !known(v.target.as_str()) {
            errors.push(LedgerError::at(
                v.src.file(),
                v.src.line,
                ErrorKind::UnknownReference(v.target.to_string()),
            ));
        }
    }
    // each void names one target: following targets from a void either leaves the voids or
    // enters a cycle. Each void is walked once (linear in the voids, however deep the chain);
    // a void is an error when its walk enters a cycle.
    let target: HashMap<&str, &str> = (l.voids.iter())
        .map(|v| (v.id.as_str(), v.target.as_str()))
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Walk {
        OnPath,
        Leaves,
        Cycles,
    }
    let mut walked: HashMap<&str, Walk> = HashMap::default();
    let mut path = vec![];
    for &start in target.keys() {
        let mut cur = start;
        let ends = loop {
            match walked.get(cur) {
                Some(Walk::OnPath | Walk::Cycles) => break Walk::Cycles,
                Some(Walk::Leaves) => break Walk::Leaves,
                None => {}
            }
            let Some(&next) = target.get(cur) else {
                break Walk::Leaves;
            };
            walked.insert(cur, Walk::OnPath);
            path.push(cur);
            cur = next;
        };
        for id in path.drain(..) {
            walked.insert(id, ends);
        }
    }
    for v in &l.voids {
        if walked.get(v.id.as_str()) == Some(&Walk::Cycles) {
            errors.push(LedgerError::at(
                v.src.file(),
                v.src.line,
                ErrorKind::VoidCycle(v.id.to_string()),
            ));
        }
    }
    errors
}

/// Every record id (slip ids are their own namespace and not included).
pub fn record_ids(l: &Ledger) -> impl Iterator<Item = &str> {
    id_kinds().flat_map(move |kind| (0..l.count(kind)).map(move |i| l.stamp(kind, i).id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_used_again_names_where_it_first_stands_whatever_its_kind() {
        use crate::rules::testkit::{Lb, P1};
        let l = Lb::new()
            .call("C1", "2026-03-01 10:00", P1)
            .report("X", "2026-03-01 10:00", "链家", "王五", P1)
            .call("X", "2026-03-01 11:00", P1)
            .booking("X", "2026-03-02 10:00", P1)
            .report("R2", "2026-03-01 12:00", "链家", "王五", P1)
            .l;
        let ids = Ids::of(&l);
        let said: Vec<String> = ids.duplicates(&l).iter().map(|e| e.to_string()).collect();
        // the report (10:00) came before the call (11:00) and the booking (next day): they
        // are the ones that used the id again
        assert_eq!(
            said,
            [
                "contacts.csv:3: id 「X」 is already used at reports.csv:2",
                "bookings.csv:2: id 「X」 is already used at reports.csv:2",
            ]
        );
        assert!(["C1", "X", "R2"].iter().all(|id| ids.contains(&l, id)));
        assert!(!ids.contains(&l, "R1") && !ids.contains(&l, "x"));
    }

    #[test]
    fn a_delisting_row_is_checked_across_its_cells() {
        use crate::model::Kind;
        use crate::rules::testkit::Lb;
        let row = |cells: &[(&str, &str)]| {
            let mut all = vec![("id", "DL1"), ("at", "2026-05-01 10:00")];
            all.extend_from_slice(cells);
            let l = Lb::new().row(Kind::Delisting, &all).l;
            let said: Vec<String> = delisting_rows(&l).iter().map(|e| e.to_string()).collect();
            said
        };
        let ok = [
            ("phone", "13700000003"),
            ("votes_for", "4"),
            ("leaders", "7"),
        ];
        assert_eq!(row(&[ok[0], ok[1], ok[2], ("reason", "attack")]), [""; 0]);
        assert_eq!(
            row(&[ok[1], ok[2], ("reason", "credit")]),
            ["delistings.csv:2: a delisting names exactly one of 「phone」 and 「channel」"]
        );
        assert_eq!(
            row(&[
                ok[0],
                ("channel", "链家"),
                ok[1],
                ok[2],
                ("reason", "credit")
            ])
            .len(),
            1
        );
        assert_eq!(
            row(&[ok[0], ("votes_for", "8"), ok[2], ("reason", "credit")]),
            ["delistings.csv:2: 「votes_for」 8 is more than 「leaders」 7"]
        );
        assert_eq!(
            row(&[
                ok[0],
                ("votes_for", "0"),
                ("leaders", "0"),
                ("reason", "credit")
            ]),
            ["delistings.csv:2: 「leaders」 must be at least 1"]
        );
        assert_eq!(
            row(&[ok[0], ok[1], ok[2]]),
            ["delistings.csv:2: a delisting needs a 「reason」"]
        );
        assert_eq!(
            row(&[ok[0], ok[1], ok[2], ("reason", "rude")]),
            [
                "delistings.csv:2: 「rude」 is not one of credit, brand_misuse, attack, breach [reason]"
            ]
        );
        let relist = [
            ok[0],
            ok[1],
            ok[2],
            ("action", "relist"),
            ("reason", "异议已解决"),
        ];
        assert_eq!(row(&relist), [""; 0], "a relisting's reason is free text");
    }

    #[test]
    fn a_cancellation_names_an_earlier_booking() {
        use crate::rules::testkit::{Lb, P1};
        let cancel = |l: Lb, id: &str, at: &str, booking: &str| {
            l.row(
                Kind::Cancellation,
                &[
                    ("id", id),
                    ("at", at),
                    ("booking", booking),
                    ("reason", "client_breach"),
                ],
            )
        };
        let l = Lb::new().booking("B1", "2026-03-02 10:00", P1);
        let l = cancel(l, "CX1", "2026-03-02 10:00", "B1");
        let l = cancel(l, "CX2", "2026-03-02 09:59", "B1");
        let l = cancel(l, "CX3", "2026-03-03 10:00", "B9").l;
        let said: Vec<String> = cancellation_links(&l)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            said,
            [
                "cancellations.csv:3: booking 「B1」 is later than its cancellation",
                "cancellations.csv:4: 「B9」 names no booking",
            ]
        );
    }
}
