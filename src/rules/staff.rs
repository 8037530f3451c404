//! R11.1 Employment (人员变动): a consultant 置业顾问 joining or leaving the office. A
//! consultant with no staff rows is employed; one whose latest non-voided staff row (evaluation
//! order) is a `leave` has left.
//!
//! Staff rows name no client: under sharding they are all judged in the first shard (like every
//! record without a phone), so the state here is the whole ledger's. The R11 rules that read it
//! for a family (handovers, serving consultants) must be given it as a global fact, computed
//! before the shards run as voids are (docs/architecture.md, "Facts across families").

use super::registry::Registry;
use super::verdict::{Code, Finding, FindingDetail, Verdict};
use crate::model::{Kind, StaffEvent, Text};
use rustc_hash::FxHashMap as HashMap;

/// Who has left, by consultant name (trimmed, R10 §1.2 "Consultant names").
#[derive(Clone, Debug, Default)]
pub struct Staffing {
    left: HashMap<Text, bool>,
}

impl Staffing {
    /// R11.1: whether `consultant` has left, as of the staff rows judged so far.
    pub fn has_left(&self, consultant: &str) -> bool {
        self.left.get(consultant.trim()).copied().unwrap_or(false)
    }

    /// Records the event; `false` when it is a `leave` of a consultant who has already left
    /// (ignored, R11.1).
    fn apply(&mut self, consultant: &str, event: StaffEvent) -> bool {
        let leaving = event == StaffEvent::Leave;
        let left = self.left.entry(consultant.trim().into()).or_default();
        if leaving && *left {
            return false;
        }
        *left = leaving;
        true
    }
}

/// R11.1 staff verdict: `recorded`; a second `leave` without a `join` in between is ignored and
/// carries the finding `already-left`.
pub fn verdict(reg: &mut Registry, i: usize) -> Verdict {
    let s = &reg.ledger.staff[i];
    let mut v = Verdict::new(Kind::Staff, i, &s.id, s.at, Code::Recorded, "R11.1");
    if !reg.staffing.apply(&s.consultant, s.event) {
        v.findings
            .push(Finding::warning(FindingDetail::AlreadyLeft, "R11.1"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    const AS_OF: &str = "2026-05-01 00:00";

    fn findings(l: &Lb, id: &str) -> Vec<&'static str> {
        let e = l.eval(AS_OF);
        let v = e.verdict(id).unwrap();
        v.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_staff_row_is_recorded() {
        let l = Lb::new()
            .staff("ST1", "2026-03-01 09:00", "张三", "join")
            .staff("ST2", "2026-03-31 18:00", "张三", "leave");
        assert_eq!(l.verdict("ST1", AS_OF), ("recorded", "R11.1"));
        assert_eq!(l.verdict("ST2", AS_OF), ("recorded", "R11.1"));
        assert!(findings(&l, "ST2").is_empty());
    }

    #[test]
    fn a_second_leave_without_a_join_is_already_left() {
        let l = Lb::new()
            .staff("ST1", "2026-03-31 18:00", "张三", "leave")
            .staff("ST2", "2026-04-01 09:00", " 张三 ", "leave")
            .staff("ST3", "2026-04-02 09:00", "张三", "join")
            .staff("ST4", "2026-04-03 09:00", "张三", "leave");
        assert!(findings(&l, "ST1").is_empty(), "no staff rows: employed");
        assert_eq!(findings(&l, "ST2"), ["already-left"], "names are trimmed");
        assert!(findings(&l, "ST4").is_empty(), "a join in between");
    }

    #[test]
    fn equal_times_follow_file_order_and_voided_rows_are_ignored() {
        let l = Lb::new()
            .staff("ST1", "2026-04-01 09:00", "李四", "leave")
            .staff("ST2", "2026-04-01 09:00", "李四", "leave")
            .staff("ST3", "2026-04-02 09:00", "王五", "leave")
            .staff("ST4", "2026-04-03 09:00", "王五", "leave")
            .void("X1", "2026-04-02 12:00", "ST3");
        assert_eq!(findings(&l, "ST2"), ["already-left"]);
        assert_eq!(l.verdict("ST3", AS_OF), ("voided", "void"));
        assert!(
            findings(&l, "ST4").is_empty(),
            "the voided leave does not count"
        );
    }
}
