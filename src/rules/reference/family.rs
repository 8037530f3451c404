//! R1 Family unit (以家庭为单位), the reference's: the family as it stands just before a position
//! in the walk, and the family's earlier records.

use super::Walk;
use super::phone_of;
use crate::model::*;
use std::collections::BTreeSet;

impl<'l> Walk<'l> {
    /// Every phone linked to `phone` by the relations judged before `pos` that are not voided.
    pub(super) fn family(&self, phone: Phone, pos: usize) -> Vec<Phone> {
        let links: Vec<(Phone, Phone)> = (self.order[..pos].iter())
            .filter(|(k, i)| *k == Kind::Relation && !self.is_voided(*k, *i))
            .filter(|(_, i)| self.l.relations[*i].joins_family())
            .map(|(_, i)| (self.l.relations[*i].phone, self.l.relations[*i].other_phone))
            .collect();
        let mut family = BTreeSet::from([phone]);
        loop {
            let before = family.len();
            for (a, b) in &links {
                if family.contains(a) || family.contains(b) {
                    family.insert(*a);
                    family.insert(*b);
                }
            }
            if family.len() == before {
                return family.into_iter().collect();
            }
        }
    }

    /// Positions before `pos` of records of `kind` that are not voided and belong to the family.
    pub(super) fn earlier(&self, kind: Kind, family: &[Phone], pos: usize) -> Vec<usize> {
        (0..pos)
            .filter(|&j| self.order[j].0 == kind)
            .filter(|&j| !self.is_voided(kind, self.order[j].1))
            .filter(|&j| {
                phone_of(self.l, kind, self.order[j].1).is_some_and(|p| family.contains(&p))
            })
            .collect()
    }
}
