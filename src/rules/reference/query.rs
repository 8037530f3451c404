//! R14 Query slips 确客查询单, the reference's: the lines a slip leaves unsigned (R14.1), whether a
//! family is known, the owner at a time (R14.2) and a query slip's verdict (R14.1, R14.2).

use super::Walk;
use super::booking::Booked;
use crate::model::*;
use crate::rules::verdict::{Code, Detail, Finding, FindingDetail, Verdict};

impl<'l> Walk<'l> {
    /// R14.1: the lines of `[query] required` a query slip leaves empty.
    pub(super) fn unsigned(&self, q: &Query) -> Vec<Text> {
        (self.cfg.query_required.iter())
            .filter(|line| {
                let signed = match line.as_str() {
                    "client_signature" => &q.client_signature,
                    "consultant" => &q.consultant,
                    "qa" => &q.qa,
                    "agency_manager" => &q.agency_manager,
                    "agency_head" => &q.agency_head,
                    "developer_manager" => &q.developer_manager,
                    "developer_head" => &q.developer_head,
                    _ => &None,
                };
                signed.is_none()
            })
            .map(|line| Text::from(line.as_str()))
            .collect()
    }

    /// Whether the family has any earlier report, contact, direct slip or complete query.
    pub(super) fn known(&self, family: &[Phone], pos: usize) -> bool {
        [Kind::Report, Kind::Contact, Kind::Direct]
            .into_iter()
            .any(|k| !self.earlier(k, family, pos).is_empty())
            || (self.earlier(Kind::Query, family, pos).into_iter())
                .any(|j| self.unsigned(&self.l.queries[self.order[j].1]).is_empty())
    }

    /// R14.2: the owner `check` would compute at `t` with the records before `pos`.
    fn owner_at(&self, pos: usize, phone: Phone, t: Time) -> Option<Code> {
        let family = self.family(phone, pos);
        let input = Booked {
            id: "",
            index: usize::MAX,
            at: t,
            phone,
            unit: None,
            buyer: None,
            price: None,
            consultant: None,
            discount: None,
        };
        match self.booking(pos, &input).code {
            Code::Agency if !self.report_holds(&family, pos, t).is_empty() => Some(Code::Channel),
            Code::Agency if !self.known(&family, pos) => None,
            code => Some(code),
        }
    }

    /// R14.1 / R14.2: `complete` or `incomplete`; `first-contradicted` against the family's
    /// contacts before it (evaluation order), `class-differs` against the owner at its time.
    pub(super) fn query(&self, pos: usize, i: usize) -> Verdict {
        let q = &self.l.queries[i];
        let family = self.family(q.phone, pos);
        let mut v = Verdict::new(Kind::Query, i, &q.id, q.at, Code::Complete, "R14.1");
        v.phone = Some(q.phone);
        let lines = self.unsigned(q);
        if !lines.is_empty() {
            v.code = Code::Incomplete;
            v.detail = Detail::Unsigned { lines };
        }
        let contacted = !self.contacts(&family, pos).is_empty();
        match q.first {
            Some(YesNo::Yes) if contacted => v.findings.push(Finding::warning(
                FindingDetail::FirstContradicted { first: true },
                "R14.2",
            )),
            Some(YesNo::No) if !contacted => v.findings.push(Finding::warning(
                FindingDetail::FirstContradicted { first: false },
                "R14.2",
            )),
            _ => {}
        }
        if let Some(class) = q.class {
            let named = match class {
                QueryClass::Developer => Code::Developer,
                QueryClass::Agency => Code::Agency,
                QueryClass::Channel => Code::Channel,
            };
            if let Some(owner) = self.owner_at(pos, q.phone, q.at)
                && owner != named
            {
                let detail = FindingDetail::ClassDiffers { class, owner };
                v.findings.push(Finding::warning(detail, "R14.2"));
            }
        }
        v
    }
}
