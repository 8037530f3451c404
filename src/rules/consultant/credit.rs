//! R11.6 the serving (credited) consultant of a booking and R11.5 its departed claimant.

use super::super::engine::Event;
use super::super::time::months_end;
use super::super::verdict::{Finding, FindingDetail};
use super::fold::Ctx;
use super::name;
use crate::model::{DepartedScope, Kind, Text, Time};

impl Ctx<'_> {
    /// R11.6: the serving consultant of the booking that ends `events` (the fold includes it),
    /// with the findings it carries.
    pub(super) fn serving(&self, events: &[Event]) -> (Option<Text>, Vec<Finding>) {
        let last = *events.last().expect("the booking itself");
        let b = &self.l.bookings[last.index()];
        let t = b.at;
        let emp = self.employment;
        let record = self.fold(events, t).map(|h| h.name);
        let named = name(b.consultant.as_ref());
        let mut findings = vec![];
        let serving = match (&record, named) {
            (Some(r), _) if !emp.has_left(r, t) => Some(r.clone()),
            (_, Some(x)) if !emp.has_left(x, t) => Some(Text::from(x)),
            _ => None,
        };
        match &record {
            Some(r) if emp.has_left(r, t) => findings.push(Finding::warning(
                FindingDetail::OrphanClient { record: r.clone() },
                "R11.6",
            )),
            None if serving.is_none() => {
                findings.push(Finding::warning(FindingDetail::NoConsultant, "R11.6"))
            }
            _ => {}
        }
        if let (Some(s), Some(x)) = (&serving, named)
            && s.as_str() != x
        {
            findings.push(Finding::warning(
                FindingDetail::ConsultantMismatch { record: s.clone() },
                "R11.6",
            ));
        }
        (serving, findings)
    }

    /// R11.5: the departed claimant of the booking that ends `events`, at its time `t`.
    pub(super) fn departed(
        &self,
        events: &[Event],
        t: Time,
        cancelled: &dyn Fn(&str) -> bool,
    ) -> Option<Text> {
        let cfg = &self.cfg().consultants;
        let d = self.developing(events)?;
        let leave = self.employment.leave_at(&d, t)?;
        let end = months_end(
            leave.at,
            12 * cfg.departed_years,
            self.cfg().day_count,
            self.cfg().timezone,
        );
        if t > end {
            return None;
        }
        let before: Vec<Event> = (events.iter().copied())
            .filter(|&e| self.at(e) < leave.at)
            .collect();
        if self.fold(&before, leave.at).is_none_or(|h| h.name != d) {
            return None;
        }
        if cfg.departed_scope == DepartedScope::Dealt {
            let dealt = (0..before.len())
                .filter(|&j| before[j].kind() == Kind::Booking)
                .filter(|&j| !cancelled(&self.l.bookings[before[j].index()].id))
                .any(|j| self.serving(&before[..=j]).0.as_deref() == Some(d.as_str()));
            if !dealt {
                return None;
            }
        }
        Some(d)
    }
}
