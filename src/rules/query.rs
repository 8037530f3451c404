//! R14 The attribution query slip 客户属别查询单 (seed l327–l330, the form l355–l366): when the
//! buyer's name is not one the client was received under, the office fills in a query slip; a
//! complete one confirms the name for the family's bookings.
//!
//! Bookings look up query slips up to T (RULES-R10.md §2.4), with the family as of T (S1): a
//! fact across families, read whole before the shards run (`Queries::of`, kept by the registry;
//! docs/architecture.md, "Facts across families").

use super::booking::{self, BookingInput};
use super::registry::Registry;
use super::verdict::{Code, Detail, Finding, FindingCode, FindingDetail, Verdict, class_code};
use crate::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// R14.3: the complete, non-voided query slips existing as of T, by family as of T.
#[derive(Clone, Debug, Default)]
pub struct Queries {
    /// Each phone of a family with complete queries → the family's position in `by_family`.
    family_of: HashMap<Phone, u32>,
    /// Each family's complete queries (indices into `Ledger::queries`), in time order.
    by_family: Vec<Vec<u32>>,
}

impl Queries {
    pub fn of(l: &Ledger, as_of: Time, voided: &HashSet<&str>) -> Queries {
        let complete: Vec<usize> = (l.queries.iter().enumerate())
            .filter(|(_, q)| q.at <= as_of && !voided.contains(q.id.as_str()))
            .filter(|(_, q)| q.missing(&l.config.query_required).is_empty())
            .map(|(i, _)| i)
            .collect();
        let mut out = Queries::default();
        if complete.is_empty() {
            return out;
        }
        let families = super::engine::families_as_of(l, as_of, voided);
        for i in complete {
            let members = families.members(l.queries[i].phone);
            let next = out.by_family.len() as u32;
            let f = *out.family_of.entry(members[0]).or_insert(next);
            if f == next {
                out.by_family.push(vec![]);
                for &m in members.iter() {
                    out.family_of.insert(m, f);
                }
            }
            out.by_family[f as usize].push(i as u32);
        }
        for qs in &mut out.by_family {
            qs.sort_by_key(|&i| (l.queries[i as usize].at, i));
        }
        out
    }

    /// R14.3: the latest complete query of `p`'s family (as of T) for the name `buyer` (by the
    /// name key).
    pub fn matching<'l>(&self, l: &'l Ledger, p: Phone, buyer: &str) -> Option<&'l Query> {
        let f = self.family_of.get(&p)?;
        let key = name_key(buyer);
        (self.by_family[*f as usize].iter().rev())
            .map(|&i| &l.queries[i as usize])
            .find(|q| name_key(&q.client) == key)
    }
}

/// The owner `check` would compute for `p` at `t` (R14.2): R7 for a booking made then; an open
/// report hold covering t makes it the channel's; `None` for a family never seen.
fn owner_at(reg: &Registry, p: Phone, t: Time) -> Option<Code> {
    let input = BookingInput {
        id: "",
        index: usize::MAX,
        at: t,
        phone: p,
        unit: None,
        buyer: None,
        price: None,
        consultant: None,
        discount: None,
    };
    match booking::verdict(reg, &input).code {
        Code::Agency if !reg.report_holds_at(p, t).is_empty() => Some(Code::Channel),
        Code::Agency if !reg.knows(p) => None,
        code => Some(code),
    }
}

/// R14.1 / R14.2: a query slip is `complete` when every line of `[query] required` is signed,
/// else `incomplete` (naming the empty lines); warned `first-contradicted` and `class-differs`.
/// R14.4: a complete slip's client is a name the family was received under from its time on.
pub fn step(reg: &mut Registry, i: usize) -> Verdict {
    let q = &reg.ledger.queries[i];
    let mut v = Verdict::new(Kind::Query, i, &q.id, q.at, Code::Complete, "R14.1");
    v.phone = Some(q.phone);
    let missing = q.missing(&reg.config.query_required);
    if !missing.is_empty() {
        v.code = Code::Incomplete;
        v.detail = Detail::Unsigned {
            lines: missing.into_iter().map(Text::from).collect(),
        };
    }
    // R14.2: a contact (R3) of the family earlier in evaluation order
    let contacted = reg.latest_contact(q.phone).is_some();
    if let Some(first) = q.first.map(|f| f == YesNo::Yes)
        && first == contacted
    {
        let detail = FindingDetail::FirstContradicted { first };
        v.findings.push(Finding::warning(detail, "R14.2"));
    }
    if let Some(class) = q.class
        && let Some(owner) = owner_at(reg, q.phone, q.at)
        && class_code(class) != owner
    {
        let detail = FindingDetail::ClassDiffers { class, owner };
        v.findings.push(Finding::warning(detail, "R14.2"));
    }
    if v.code == Code::Complete {
        reg.add_name(q.phone, &q.client);
    }
    v
}

/// R14.3 on a booking's verdict: with a complete query of the family (as of T) for the buyer's
/// name, the booking loses `name-mismatch` and names the query; a query whose class differs from
/// the owner gives `query-class-differs`. Ownership never changes.
pub fn on_booking(reg: &Registry, b: &BookingInput, v: &mut Verdict) {
    let Some(buyer) = b.buyer else { return };
    let Some(q) = reg.queries.matching(reg.ledger, b.phone, buyer) else {
        return;
    };
    v.findings.retain(|f| f.code != FindingCode::NameMismatch);
    v.query = Some(q.id.clone());
    if let Some(class) = q.class
        && class_code(class) != v.code
    {
        let (query, class) = (q.id.clone(), class);
        let detail = FindingDetail::QueryClassDiffers { query, class };
        v.findings.push(Finding::warning(detail, "R14.3"));
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Kind;
    use crate::rules::check::{Prospect, client_status};
    use crate::rules::testkit::*;

    const AS_OF: &str = "2026-05-01 00:00";

    fn findings(l: &Lb, id: &str, at: &str) -> Vec<&'static str> {
        let e = l.eval(at);
        let v = e.verdict(id).unwrap();
        v.findings.iter().map(|f| f.code.as_str()).collect()
    }

    /// Example 1: F visited as 张伟 on 03-01, booked as 张薇 on 03-15.
    fn example() -> Lb {
        let mut l =
            Lb::new()
                .walk_in("C1", "2026-03-01 10:00", P1)
                .booking("B1", "2026-03-15 10:00", P1);
        l.l.bookings[0].buyer = "张薇".into();
        l
    }

    /// A query slip with all seven lines signed but those in `unsigned`.
    fn query(
        l: Lb,
        id: &str,
        at: &str,
        client: &str,
        more: &[(&str, &str)],
        unsigned: &[&str],
    ) -> Lb {
        let phone = P1.to_string();
        let mut cells = vec![
            ("id", id),
            ("at", at),
            ("phone", phone.as_str()),
            ("client", client),
        ];
        for line in crate::model::QUERY_SIGNATURES {
            if !unsigned.contains(&line) {
                cells.push((line, "签"));
            }
        }
        cells.extend_from_slice(more);
        l.row(Kind::Query, &cells)
    }

    const NO_AGENCY: [(&str, &str); 2] = [("first", "no"), ("class", "agency")];

    #[test]
    fn r14_example_1_a_complete_query_clears_name_mismatch() {
        let l = query(example(), "Q1", "2026-03-16 09:00", "张薇", &NO_AGENCY, &[]);
        assert_eq!(findings(&l, "B1", "2026-03-16 08:59"), ["name-mismatch"]);
        assert_eq!(l.verdict("Q1", AS_OF), ("complete", "R14.1"));
        assert!(findings(&l, "Q1", AS_OF).is_empty());
        assert_eq!(l.verdict("B1", AS_OF), ("agency", "R7.3"));
        assert!(findings(&l, "B1", AS_OF).is_empty(), "as of T ≥ Q1");
        let e = l.eval(AS_OF);
        assert_eq!(e.verdict("B1").unwrap().query.as_deref(), Some("Q1"));
        // check names the query it used for the buyer's name
        let p = Prospect {
            name: Some("张 薇".into()),
            ..Prospect::default()
        };
        let s = client_status(&e, P1, &p);
        assert_eq!(s.booking.query.as_deref(), Some("Q1"));
        assert!(s.booking.findings.is_empty(), "the name key ignores spaces");
    }

    #[test]
    fn r14_example_2_an_incomplete_query_clears_nothing() {
        let l = query(
            example(),
            "Q2",
            "2026-03-16 09:00",
            "张薇",
            &NO_AGENCY,
            &["developer_head"],
        );
        assert_eq!(l.verdict("Q2", AS_OF), ("incomplete", "R14.1"));
        let e = l.eval(AS_OF);
        assert_eq!(
            e.verdict("Q2").unwrap().detail,
            super::Detail::Unsigned {
                lines: vec!["developer_head".into()]
            }
        );
        assert_eq!(findings(&l, "B1", AS_OF), ["name-mismatch"]);
        assert_eq!(e.verdict("B1").unwrap().query, None);
    }

    #[test]
    fn r14_example_3_first_yes_after_a_visit_is_contradicted() {
        let first = [("first", "yes"), ("class", "agency")];
        let l = query(example(), "Q3", "2026-03-02 09:00", "张薇", &first, &[]);
        assert_eq!(findings(&l, "Q3", AS_OF), ["first-contradicted"]);
        // first `no` with no contact before it (a visit at the same minute counts, S1)
        let l = query(Lb::new(), "Q4", "2026-03-02 09:00", "张薇", &NO_AGENCY, &[]);
        assert_eq!(
            findings(&l, "Q4", AS_OF),
            ["first-contradicted"],
            "no class-differs when the owner is none"
        );
        let l = query(
            Lb::new().call("C1", "2026-03-02 09:00", P1),
            "Q5",
            "2026-03-02 09:00",
            "张薇",
            &NO_AGENCY,
            &[],
        );
        assert!(findings(&l, "Q5", AS_OF).is_empty());
    }

    #[test]
    fn r14_example_4_a_query_class_that_differs_from_the_owner() {
        let developer = [("first", "no"), ("class", "developer")];
        let l = query(example(), "Q1", "2026-03-16 09:00", "张薇", &developer, &[]);
        assert_eq!(findings(&l, "B1", AS_OF), ["query-class-differs"]);
        assert_eq!(
            l.verdict("B1", AS_OF),
            ("agency", "R7.3"),
            "ownership never changes"
        );
        assert_eq!(
            findings(&l, "Q1", AS_OF),
            ["class-differs"],
            "R14.2 at its time"
        );
    }

    #[test]
    fn r14_the_latest_matching_query_of_the_family_as_of_t_and_the_configured_lines() {
        // the query is written for P2, linked to P1 only after the booking: F is as of T
        let mut l = example();
        let phone = P2.to_string();
        let mut cells = vec![
            ("id", "Q1"),
            ("at", "2026-03-16 09:00"),
            ("phone", phone.as_str()),
            ("client", "张薇"),
            ("class", "channel"),
            ("qa", "签"),
        ];
        l = l.row(Kind::Query, &cells);
        l.l.config.query_required = vec!["qa".into()];
        cells[0] = ("id", "Q2");
        cells[1] = ("at", "2026-03-17 09:00");
        cells[4] = ("class", "agency");
        l = l
            .row(Kind::Query, &cells)
            .relation("F1", "2026-03-20 09:00", P1, P2);
        assert_eq!(l.verdict("Q1", AS_OF), ("complete", "R14.1"));
        assert!(
            findings(&l, "B1", AS_OF).is_empty(),
            "Q2, the latest, is agency"
        );
        assert_eq!(
            l.eval(AS_OF).verdict("B1").unwrap().query.as_deref(),
            Some("Q2")
        );
        assert_eq!(
            findings(&l, "B1", "2026-03-19 00:00"),
            ["name-mismatch"],
            "not yet one family"
        );
    }

    #[test]
    fn r14_4_a_complete_querys_name_counts_for_later_bookings() {
        let l = query(example(), "Q1", "2026-03-16 09:00", "张薇", &NO_AGENCY, &[]).void(
            "X1",
            "2026-03-30 00:00",
            "Q1",
        );
        assert_eq!(
            findings(&l, "B1", AS_OF),
            ["name-mismatch"],
            "a voided query clears nothing"
        );
        let mut l = query(example(), "Q1", "2026-03-16 09:00", "张薇", &NO_AGENCY, &[]).booking(
            "B2",
            "2026-03-18 10:00",
            P1,
        );
        l.l.bookings[1].buyer = "李娜".into();
        let e = l.eval(AS_OF);
        let names = match &e.verdict("B2").unwrap().findings[0].detail {
            crate::rules::verdict::FindingDetail::NameMismatch { names } => names.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            names,
            ["张伟", "张薇"],
            "张薇 is a name F was received under"
        );
    }
}
