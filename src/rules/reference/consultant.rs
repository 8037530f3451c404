//! R11 Consultant attribution 置业顾问归属, the reference's: the consultant of record (R11.2),
//! handovers (R11.3), the developing consultant (R11.4), the departed claimant (R11.5), the serving
//! consultant (R11.6) and a contact's and a booking's findings (R11.7, R11.5/R11.6).

use super::Walk;
use super::{phone_of, time_of};
use crate::model::*;
use crate::rules::verdict::{Code, Finding, FindingDetail, Verdict};
use chrono::TimeZone;

impl<'l> Walk<'l> {
    /// R11 is on with a `[consultants]` table or a staff or handovers row.
    pub(super) fn r11_on(&self) -> bool {
        self.cfg.consultants.table || !self.l.staff.is_empty() || !self.l.handovers.is_empty()
    }

    /// The positions before `end` of the family's contacts, handovers and bookings, not voided.
    pub(super) fn r11_records(&self, family: &[Phone], end: usize) -> Vec<usize> {
        (0..end)
            .filter(|&j| {
                matches!(
                    self.order[j].0,
                    Kind::Contact | Kind::Handover | Kind::Booking
                )
            })
            .filter(|&j| !self.is_voided(self.order[j].0, self.order[j].1))
            .filter(|&j| {
                let (k, i) = self.order[j];
                phone_of(self.l, k, i).is_some_and(|p| family.contains(&p))
            })
            .collect()
    }

    /// R11.3 in S5's order against the consultant of record `current`.
    fn handover_code(&self, current: Option<&str>, h: &Handover) -> Code {
        let from = h.from.as_deref().map(str::trim).filter(|f| !f.is_empty());
        if from != current {
            Code::FromMismatch
        } else if self.left(&h.to, h.at) {
            Code::ToDeparted
        } else if from == Some(h.to.trim()) {
            Code::NoChange
        } else {
            Code::Applied
        }
    }

    /// R11.2: the consultant of record (name, since) after the records at `records`, asked at
    /// `question`: a. first visit naming one, b. an applied handover, c. a booking naming one,
    /// d. recycle before each record and at the question.
    pub(super) fn of_record(&self, records: &[usize], question: Time) -> Option<(String, Time)> {
        fn named(c: &Contact) -> Option<&str> {
            c.consultant
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
        }
        let mut holder: Option<(String, Time)> = None;
        let recycle = |holder: &mut Option<(String, Time)>, done: &[usize], s: Time| {
            let days = self.cfg.consultants.recycle_days;
            let Some((name, since)) = holder.clone() else {
                return;
            };
            let last_named = (done.iter())
                .filter(|&&j| self.order[j].0 == Kind::Contact)
                .map(|&j| self.contact(j))
                .filter(|c| named(c) == Some(name.as_str()))
                .map(|c| c.at)
                .max();
            let from = last_named.map_or(since, |n| n.max(since));
            if days > 0 && self.period_end(from, days) < s {
                *holder = None;
            }
        };
        for (n, &j) in records.iter().enumerate() {
            let (kind, i) = self.order[j];
            let s = time_of(self.l, kind, i);
            recycle(&mut holder, &records[..n], s);
            match kind {
                Kind::Contact => {
                    let c = &self.l.contacts[i];
                    if c.kind == ContactKind::Visit
                        && holder.is_none()
                        && let Some(x) = named(c)
                    {
                        holder = Some((x.to_string(), s));
                    }
                }
                Kind::Handover => {
                    let h = &self.l.handovers[i];
                    let current = holder.as_ref().map(|h| h.0.as_str());
                    if self.handover_code(current, h) == Code::Applied {
                        holder = Some((h.to.trim().to_string(), s));
                    }
                }
                _ => {
                    let b = &self.l.bookings[i];
                    let x = b
                        .consultant
                        .as_deref()
                        .map(str::trim)
                        .filter(|x| !x.is_empty());
                    if holder.is_none()
                        && let Some(x) = x
                    {
                        holder = Some((x.to_string(), s));
                    }
                }
            }
        }
        recycle(&mut holder, records, question);
        holder
    }

    /// R11.3: a handover against the consultant of record before it, F as of h.at.
    pub(super) fn handover(&self, pos: usize, i: usize) -> Verdict {
        let h = &self.l.handovers[i];
        let family = self.family(h.phone, pos);
        let current = self
            .of_record(&self.r11_records(&family, pos), h.at)
            .map(|r| r.0);
        let code = self.handover_code(current.as_deref(), h);
        let mut v = Verdict::new(Kind::Handover, i, &h.id, h.at, code, "R11.3");
        v.phone = Some(h.phone);
        v.consultant = current.map(crate::model::Text::from);
        v
    }

    /// R11.7: a contact's findings against the consultant of record before it.
    pub(super) fn r11_contact(&self, pos: usize, i: usize, v: &mut Verdict) {
        if !self.r11_on() {
            return;
        }
        let c = &self.l.contacts[i];
        let family = self.family(c.phone, pos);
        let record = self
            .of_record(&self.r11_records(&family, pos), c.at)
            .map(|r| r.0);
        let visit = c.kind == ContactKind::Visit;
        let x = c
            .consultant
            .as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty());
        if let (true, Some(r), Some(x)) = (visit, &record, x)
            && !self.left(r, c.at)
            && r != x
        {
            let detail = FindingDetail::ConsultantMismatch {
                record: r.as_str().into(),
            };
            v.findings.push(Finding::warning(detail, "R11.7"));
        }
        if let Some(x) = x
            && self.left(x, c.at)
        {
            let detail = FindingDetail::ConsultantDeparted {
                consultant: x.into(),
            };
            v.findings.push(Finding::warning(detail, "R11.7"));
        }
        if let (true, Some(r)) = (visit, &record)
            && self.left(r, c.at)
        {
            let detail = FindingDetail::OrphanClient {
                record: r.as_str().into(),
            };
            v.findings.push(Finding::warning(detail, "R11.7"));
        }
    }

    /// R11.6: the serving consultant of the booking at position `pos` (F as of then, its own
    /// naming counted), with its findings.
    pub(super) fn serving(&self, pos: usize) -> (Option<String>, Vec<Finding>) {
        let b = &self.l.bookings[self.order[pos].1];
        let family = self.family(b.phone, pos);
        let r = self
            .of_record(&self.r11_records(&family, pos + 1), b.at)
            .map(|r| r.0);
        let x = b
            .consultant
            .as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty());
        let mut findings = vec![];
        let s = match (&r, x) {
            (Some(r), _) if !self.left(r, b.at) => Some(r.clone()),
            (Some(r), Some(x)) if !self.left(x, b.at) => {
                let detail = FindingDetail::OrphanClient {
                    record: r.as_str().into(),
                };
                findings.push(Finding::warning(detail, "R11.6"));
                Some(x.to_string())
            }
            (Some(r), _) => {
                let detail = FindingDetail::OrphanClient {
                    record: r.as_str().into(),
                };
                findings.push(Finding::warning(detail, "R11.6"));
                None
            }
            (None, Some(x)) if !self.left(x, b.at) => Some(x.to_string()),
            (None, _) => {
                findings.push(Finding::warning(FindingDetail::NoConsultant, "R11.6"));
                None
            }
        };
        if let (Some(s), Some(x)) = (&s, x)
            && s != x
        {
            let detail = FindingDetail::ConsultantMismatch {
                record: s.as_str().into(),
            };
            findings.push(Finding::warning(detail, "R11.6"));
        }
        (s, findings)
    }

    /// R11.4: the consultant of the earliest visit naming one, else of the earliest booking
    /// naming one, among `records`.
    pub(super) fn developing(&self, records: &[usize]) -> Option<&'l str> {
        let naming = |kind: Kind| {
            records.iter().find_map(|&j| {
                let (k, i) = self.order[j];
                let name = match k {
                    Kind::Contact if self.l.contacts[i].kind == ContactKind::Visit => {
                        self.l.contacts[i].consultant.as_deref()
                    }
                    Kind::Booking => self.l.bookings[i].consultant.as_deref(),
                    _ => None,
                };
                let name = name.map(str::trim).filter(|n| !n.is_empty());
                name.filter(|_| k == kind)
            })
        };
        naming(Kind::Contact).or_else(|| naming(Kind::Booking))
    }

    /// R11.5: the departed claimant of the booking at position `pos`.
    pub(super) fn departed(&self, pos: usize) -> Option<String> {
        let b = &self.l.bookings[self.order[pos].1];
        let family = self.family(b.phone, pos);
        let records = self.r11_records(&family, pos + 1);
        self.departed_of(&records, b.at).map(|(d, _)| d)
    }

    /// R11.5 at time `t` over the family's `records`: the claimant and the end of the departed
    /// period.
    pub(super) fn departed_of(&self, records: &[usize], t: Time) -> Option<(String, Time)> {
        let d = self.developing(records)?;
        let leave = self.leave_in_force(d, t)?;
        // the departed period: departed_years × 12 months from the leave (§2.1)
        let tz = self.cfg.timezone;
        let local = leave.at.with_timezone(&tz);
        let months = chrono::Months::new(12 * self.cfg.consultants.departed_years);
        let day = local.date_naive().checked_add_months(months)?;
        let end = match self.cfg.day_count {
            DayCount::Calendar => self.period_end(
                tz.from_local_datetime(&day.and_hms_opt(12, 0, 0)?)
                    .single()?,
                0,
            ),
            DayCount::Elapsed => tz
                .from_local_datetime(&day.and_time(local.time()))
                .single()?,
        };
        if t > end {
            return None;
        }
        let before: Vec<usize> = (records.iter().copied())
            .filter(|&j| {
                let (k, i) = self.order[j];
                time_of(self.l, k, i) < leave.at
            })
            .collect();
        if self.of_record(&before, leave.at).is_none_or(|r| r.0 != d) {
            return None;
        }
        if self.cfg.consultants.departed_scope == DepartedScope::Dealt {
            let dealt = before.iter().any(|&j| {
                let (k, i) = self.order[j];
                k == Kind::Booking
                    && self
                        .effective_cancellation(&self.l.bookings[i].id)
                        .is_none()
                    && self.serving(j).0.as_deref() == Some(d)
            });
            if !dealt {
                return None;
            }
        }
        Some((d.to_string(), end))
    }

    /// R11.5/R11.6 on a booking: its credit and findings.
    pub(super) fn r11_booking(&self, pos: usize, _i: usize, v: &mut Verdict) {
        if !self.r11_on() {
            return;
        }
        let (serving, findings) = self.serving(pos);
        v.findings.extend(findings);
        v.credit = Some(Box::new(crate::rules::consultant::Credit {
            serving: serving.map(Text::from),
            departed: self.departed(pos).map(Text::from),
        }));
    }
}
