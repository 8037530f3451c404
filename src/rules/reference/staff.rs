//! R11.1 Employment (人员变动), the reference's: a staff row's verdict, a consultant's staff rows,
//! whether they have left, and the leave in force (R11.5(1)).

use super::Walk;
use crate::model::*;
use crate::rules::verdict::{Code, Finding, FindingDetail, Verdict};

impl<'l> Walk<'l> {
    /// R11.1: a staff row is `recorded`; a `leave` when the consultant's latest earlier
    /// non-voided staff row (evaluation order) is a `leave` is `already-left`.
    pub(super) fn staff(&self, pos: usize, i: usize) -> Verdict {
        let row = &self.l.staff[i];
        let name = row.consultant.trim();
        let mut v = Verdict::new(Kind::Staff, i, &row.id, row.at, Code::Recorded, "R11.1");
        let latest = (self.order[..pos].iter().rev())
            .filter(|&&(k, j)| k == Kind::Staff && !self.is_voided(k, j))
            .map(|&(_, j)| &self.l.staff[j])
            .find(|earlier| earlier.consultant.trim() == name);
        let leaving = |r: &crate::model::Staff| r.event == crate::model::StaffEvent::Leave;
        if leaving(row) && latest.is_some_and(leaving) {
            v.findings
                .push(Finding::warning(FindingDetail::AlreadyLeft, "R11.1"));
        }
        v
    }

    /// R11.1: the non-voided staff rows of `name` at or before `t` (they come first at equal
    /// times), in evaluation order.
    fn staff_rows(&self, name: &str, t: Time) -> Vec<&'l crate::model::Staff> {
        (self.order.iter())
            .filter(|&&(k, j)| k == Kind::Staff && !self.is_voided(k, j))
            .map(|&(_, j)| &self.l.staff[j])
            .filter(|s| s.at <= t && s.consultant.trim() == name.trim())
            .collect()
    }

    /// R11.1: `name` has left at `t` when their latest staff row by then is a leave.
    pub(super) fn left(&self, name: &str, t: Time) -> bool {
        (self.staff_rows(name, t).last()).is_some_and(|s| s.event == StaffEvent::Leave)
    }

    /// R11.5(1): the leave in force at `t`: the first leave after the latest join (later
    /// leaves are ignored).
    pub(super) fn leave_in_force(&self, name: &str, t: Time) -> Option<&'l crate::model::Staff> {
        if !self.left(name, t) {
            return None;
        }
        let rows = self.staff_rows(name, t);
        let after_join = rows
            .iter()
            .rposition(|s| s.event == StaffEvent::Join)
            .map_or(0, |j| j + 1);
        rows.get(after_join).copied()
    }
}
