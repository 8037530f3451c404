//! R1 Family unit (以家庭为单位): relations join phones into one family.

use crate::model::Phone;
use std::collections::HashMap;

/// The families known so far: a union of every relation link added, each from its own time on
/// (the engine adds links in time order).
#[derive(Default, Debug)]
pub struct Families {
    /// phone -> family number; absent phones are families of one.
    family_of: HashMap<Phone, usize>,
    members: Vec<Vec<Phone>>,
}

impl Families {
    /// R1: links two phones (spouse, parent, child, sibling or same person); their families merge.
    pub fn link(&mut self, a: Phone, b: Phone) {
        let fa = self.family_id(a);
        let fb = self.family_id(b);
        if fa == fb {
            return;
        }
        let (keep, gone) = if self.members[fa].len() >= self.members[fb].len() {
            (fa, fb)
        } else {
            (fb, fa)
        };
        let moved = std::mem::take(&mut self.members[gone]);
        for p in &moved {
            self.family_of.insert(*p, keep);
        }
        self.members[keep].extend(moved);
    }

    fn family_id(&mut self, p: Phone) -> usize {
        if let Some(&f) = self.family_of.get(&p) {
            return f;
        }
        self.members.push(vec![p]);
        let f = self.members.len() - 1;
        self.family_of.insert(p, f);
        f
    }

    /// R1: every phone of `p`'s family, `p` first when alone; sorted otherwise.
    pub fn members(&self, p: Phone) -> Vec<Phone> {
        match self.family_of.get(&p) {
            Some(&f) => {
                let mut m = self.members[f].clone();
                m.sort();
                m
            }
            None => vec![p],
        }
    }

    /// Whether two phones are in one family.
    pub fn same(&self, a: Phone, b: Phone) -> bool {
        a == b
            || matches!((self.family_of.get(&a), self.family_of.get(&b)), (Some(x), Some(y)) if x == y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r1_links_are_transitive() {
        let mut f = Families::default();
        f.link(Phone(1), Phone(2));
        f.link(Phone(3), Phone(4));
        assert!(!f.same(Phone(1), Phone(3)));
        f.link(Phone(2), Phone(3));
        assert!(f.same(Phone(1), Phone(4)));
        assert_eq!(
            f.members(Phone(4)),
            vec![Phone(1), Phone(2), Phone(3), Phone(4)]
        );
    }

    #[test]
    fn r1_a_phone_alone_is_its_own_family() {
        let f = Families::default();
        assert_eq!(f.members(Phone(7)), vec![Phone(7)]);
        assert!(f.same(Phone(7), Phone(7)));
        assert!(!f.same(Phone(7), Phone(8)));
    }

    #[test]
    fn r1_linking_twice_changes_nothing() {
        let mut f = Families::default();
        f.link(Phone(1), Phone(2));
        f.link(Phone(2), Phone(1));
        assert_eq!(f.members(Phone(1)).len(), 2);
    }
}
