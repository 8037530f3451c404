//! R6 Direct clients 自然到访确认单, the reference's: a direct slip's status (R6.1 incomplete, R6.2
//! late, valid) and its verdict.

use super::Walk;
use crate::model::*;
use crate::rules::verdict::{Cite, Code, Detail, DirectField, Verdict};

impl<'l> Walk<'l> {
    /// R6: a direct slip's status as of `pos`: incomplete, late, or valid.
    pub(super) fn direct_status(&self, d: &Direct, pos: usize) -> (Code, &'static str, Detail) {
        let fields = missing_fields(d);
        if !fields.is_empty() {
            return (Code::Incomplete, "R6.1", Detail::Incomplete { fields });
        }
        let family = self.family(d.phone, pos);
        let tz = self.cfg.timezone;
        let day = |t: Time| t.with_timezone(&tz).date_naive();
        if self
            .first_visit(&family, pos)
            .is_some_and(|v| day(d.presented_at) > day(v.at))
        {
            return (Code::Late, "R6.2", Detail::None);
        }
        (Code::Valid, "R6", Detail::None)
    }

    /// The family's direct slips before `pos` presented at or before `t`, in time order.
    pub(super) fn directs(&self, family: &[Phone], pos: usize, t: Time) -> Vec<&'l Direct> {
        (self.earlier(Kind::Direct, family, pos).into_iter())
            .map(|j| &self.l.directs[self.order[j].1])
            .filter(|d| d.presented_at <= t)
            .collect()
    }

    /// R6: a direct slip when presented.
    pub(super) fn direct(&self, pos: usize, i: usize) -> Verdict {
        let d = &self.l.directs[i];
        let (code, rule, detail) = self.direct_status(d, pos);
        let mut v = Verdict::new(Kind::Direct, i, &d.id, d.presented_at, code, rule);
        v.phone = Some(d.phone);
        v.detail = detail;
        if code == Code::Late {
            let family = self.family(d.phone, pos);
            v.cite = (self.first_visit(&family, pos)).map(|c| Box::new(Cite::contact(c, None)));
        }
        v
    }
}

/// R6.1: the fields of a direct slip left empty.
fn missing_fields(d: &Direct) -> Vec<DirectField> {
    let fields = [
        (DirectField::Client, d.client.is_none()),
        (DirectField::Unit, d.unit.is_none()),
        (DirectField::Area, d.area.is_none()),
        (DirectField::ListUnitPrice, d.list_unit_price.is_none()),
        (DirectField::UnitPrice, d.unit_price.is_none()),
        (DirectField::Total, d.total.is_none()),
        (DirectField::Other, d.other.is_none()),
        (DirectField::Request, d.request.is_none()),
        (DirectField::ClientSignature, d.client_signature.is_none()),
        (DirectField::DeveloperSigner, d.developer_signer.is_none()),
        (DirectField::AgencySigner, d.agency_signer.is_none()),
    ];
    (fields.iter().filter(|(_, empty)| *empty))
        .map(|(field, _)| *field)
        .collect()
}
