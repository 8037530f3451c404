//! R1 Family unit (以家庭为单位): relations join phones into one family.

use crate::model::Phone;
use rustc_hash::FxHashMap;

/// The families known so far: a union of every relation link added, each from its own time on
/// (the engine adds links in time order).
#[derive(Default, Debug)]
pub struct Families {
    /// phone -> family number; absent phones are families of one.
    family_of: FxHashMap<Phone, usize>,
    /// Each family's phones, kept sorted.
    members: Vec<Family>,
}

/// One family's phones, sorted, in `buf[start..]`. The free room before `start` lets phones that
/// sort below the members join without moving them (a family grown from its top would otherwise
/// move every member at every merge).
#[derive(Default, Debug)]
struct Family {
    buf: Vec<Phone>,
    start: usize,
}

impl Family {
    fn phones(&self) -> &[Phone] {
        &self.buf[self.start..]
    }

    fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Merges the sorted `small`, disjoint from these phones, from whichever end moves fewer
    /// members: the members below every moved phone stay put when merging from the back, those
    /// above every moved phone when merging from the front.
    fn merge(&mut self, small: &[Phone]) {
        let (Some(&first), Some(&last)) = (small.first(), small.last()) else {
            return;
        };
        let phones = self.phones();
        let below_first = phones.partition_point(|&p| p < first);
        let below_last = phones.partition_point(|&p| p < last);
        if below_last < self.len() - below_first {
            self.merge_front(small, below_last);
        } else {
            merge_into(&mut self.buf, self.start + below_first, small);
        }
    }

    /// Merges `small` into the first `touched` members, into the free room at the front (made
    /// as large as the family when it is short, so joins at the front cost O(1) amortised).
    fn merge_front(&mut self, small: &[Phone], touched: usize) {
        let n = small.len();
        if self.start < n {
            let room = self.len() + n;
            let mut buf = Vec::with_capacity(room + self.len());
            buf.resize(room, small[0]);
            buf.extend_from_slice(self.phones());
            (self.buf, self.start) = (buf, room);
        }
        let (mut i, end) = (self.start, self.start + touched);
        let (mut w, mut j) = (self.start - n, 0);
        // w stays below i until every moved phone is written; then w == i
        while j < n {
            if i < end && self.buf[i] < small[j] {
                self.buf[w] = self.buf[i];
                i += 1;
            } else {
                self.buf[w] = small[j];
                j += 1;
            }
            w += 1;
        }
        self.start -= n;
    }
}

/// The phones of one family, sorted: borrowed from `Families`, or the one phone of a family of
/// one (no allocation either way; the engine asks for them at every record).
#[derive(Debug)]
pub enum Members<'a> {
    Alone([Phone; 1]),
    Linked(&'a [Phone]),
}

impl std::ops::Deref for Members<'_> {
    type Target = [Phone];
    fn deref(&self) -> &[Phone] {
        match self {
            Members::Alone(p) => p,
            Members::Linked(m) => m,
        }
    }
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
        for p in moved.phones() {
            self.family_of.insert(*p, keep);
        }
        self.members[keep].merge(moved.phones());
    }

    fn family_id(&mut self, p: Phone) -> usize {
        if let Some(&f) = self.family_of.get(&p) {
            return f;
        }
        self.members.push(Family {
            buf: vec![p],
            start: 0,
        });
        let f = self.members.len() - 1;
        self.family_of.insert(p, f);
        f
    }

    /// The number of `p`'s family, if it has been linked to another phone (a family of one has
    /// none). Numbers are dense: a table by family number is a `Vec`.
    pub fn id(&self, p: Phone) -> Option<usize> {
        self.family_of.get(&p).copied()
    }

    /// The phones of family number `f`, sorted (none if it was merged into another).
    pub fn phones_of(&self, f: usize) -> &[Phone] {
        self.members.get(f).map_or(&[], Family::phones)
    }

    /// R1: every phone of `p`'s family, sorted.
    pub fn members(&self, p: Phone) -> Members<'_> {
        match self.family_of.get(&p) {
            Some(&f) => Members::Linked(self.members[f].phones()),
            None => Members::Alone([p]),
        }
    }

    /// Takes in families disjoint from these (another shard's).
    pub fn absorb(&mut self, other: Families) {
        for members in other.members.into_iter().filter(|m| m.len() > 0) {
            let f = self.members.len();
            for p in members.phones() {
                self.family_of.insert(*p, f);
            }
            self.members.push(members);
        }
    }

    /// Whether two phones are in one family.
    pub fn same(&self, a: Phone, b: Phone) -> bool {
        a == b
            || matches!((self.family_of.get(&a), self.family_of.get(&b)), (Some(x), Some(y)) if x == y)
    }
}

/// Merges the sorted, disjoint `small` into the sorted `kept[from..]`, from the back, where
/// `kept[from..keep_from]` is below every moved phone and is not touched: a family grown one
/// phone at a time at its end (a chain of relations in the order of its phones) costs the moved
/// phones only, and any merge at most the two lists' lengths (a re-sort at every merge made a
/// chain quadratic with a log factor; union by size keeps the moves to n log n phones in all).
fn merge_into(kept: &mut Vec<Phone>, keep_from: usize, small: &[Phone]) {
    let Some(&first) = small.first() else {
        return;
    };
    let (mut i, mut j) = (kept.len(), small.len());
    kept.resize(kept.len() + small.len(), first);
    let mut w = kept.len();
    while j > 0 {
        w -= 1;
        if i > keep_from && kept[i - 1] > small[j - 1] {
            i -= 1;
            kept[w] = kept[i];
        } else {
            j -= 1;
            kept[w] = small[j];
        }
    }
}

/// R1: a relation joins two phones' families from its time on; verdict `recorded`. An `agent`
/// link (R10.2) joins nothing: only R10 reads it.
pub fn step(reg: &mut super::registry::Registry, i: usize) -> super::verdict::Verdict {
    use super::verdict::{Code, Verdict};
    let r = &reg.ledger.relations[i];
    if r.joins_family() {
        reg.link(r.phone, r.other_phone);
    }
    // an agent link is R10.2's, not R1's
    let rule = if r.joins_family() { "R1" } else { "R10.2" };
    let mut v = Verdict::new(
        crate::model::Kind::Relation,
        i,
        &r.id,
        r.at,
        Code::Recorded,
        rule,
    );
    v.phone = Some(r.phone);
    v
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
            f.members(Phone(4)).to_vec(),
            vec![Phone(1), Phone(2), Phone(3), Phone(4)]
        );
    }

    #[test]
    fn r1_a_phone_alone_is_its_own_family() {
        let f = Families::default();
        assert_eq!(f.members(Phone(7)).to_vec(), vec![Phone(7)]);
        assert!(f.same(Phone(7), Phone(7)));
        assert!(!f.same(Phone(7), Phone(8)));
    }

    #[test]
    fn r1_merged_families_stay_sorted_whichever_way_they_interleave() {
        let mut f = Families::default();
        // a chain at the end, at the front, and two interleaved families
        for i in 10..20 {
            f.link(Phone(i), Phone(i + 1));
        }
        f.link(Phone(5), Phone(15));
        f.link(Phone(2), Phone(4));
        f.link(Phone(3), Phone(30));
        f.link(Phone(4), Phone(3));
        f.link(Phone(30), Phone(12));
        let want: Vec<Phone> = [2, 3, 4, 5]
            .into_iter()
            .chain(10..=20)
            .chain([30])
            .map(Phone)
            .collect();
        assert_eq!(f.members(Phone(30)).to_vec(), want);
        let mut k = vec![Phone(1), Phone(5), Phone(9)];
        merge_into(&mut k, 0, &[Phone(0), Phone(6), Phone(10)]);
        assert_eq!(k, [0, 1, 5, 6, 9, 10].map(Phone));
    }

    #[test]
    fn r1_families_grown_from_their_top_stay_sorted() {
        let mut f = Families::default();
        // each new phone sorts below every member: it joins in the room at the front
        for i in (0..50).rev() {
            f.link(Phone(100 + i), Phone(101 + i));
        }
        let want: Vec<Phone> = (100..=150).map(Phone).collect();
        assert_eq!(f.members(Phone(150)).to_vec(), want);
        // a family merged near the bottom of a larger one, from the front
        f.link(Phone(1), Phone(101));
        f.link(Phone(0), Phone(2));
        f.link(Phone(2), Phone(1));
        let want: Vec<Phone> = [0, 1, 2].into_iter().chain(100..=150).map(Phone).collect();
        assert_eq!(f.members(Phone(0)).to_vec(), want);
    }

    #[test]
    fn r1_any_order_of_links_gives_the_sorted_union() {
        // links in a scrambled order, checked after each against a plain recomputation
        let mut f = Families::default();
        let mut pairs: Vec<(u64, u64)> = vec![];
        let mut x: u64 = 7;
        for _ in 0..300 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (a, b) = ((x >> 33) % 120, (x >> 13) % 120);
            f.link(Phone(a), Phone(b));
            pairs.push((a, b));
            let mut family = vec![a];
            while let Some(p) = pairs.iter().find_map(|&(s, t)| {
                let other = if family.contains(&s) {
                    t
                } else if family.contains(&t) {
                    s
                } else {
                    return None;
                };
                (!family.contains(&other)).then_some(other)
            }) {
                family.push(p);
            }
            family.sort_unstable();
            assert_eq!(
                f.members(Phone(a)).to_vec(),
                family.into_iter().map(Phone).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn r1_linking_twice_changes_nothing() {
        let mut f = Families::default();
        f.link(Phone(1), Phone(2));
        f.link(Phone(2), Phone(1));
        assert_eq!(f.members(Phone(1)).len(), 2);
    }
}
