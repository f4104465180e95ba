//! The synced range watchers, indexed so that an event's key finds the ranges covering it
//! without testing every range (as etcd's interval tree does): a centered interval tree over
//! the ranges, plus the changes since it was built. A watcher set aside and synced again (a
//! slow consumer) changes the set often; those changes are kept apart, the ranges added
//! scanned and the ones removed skipped, until they grow to a quarter of the tree, which is
//! then built again. A lookup costs a descent of the tree, the ranges found and the changes.

use super::selection::{FastMap, FastSet};

/// Changes kept apart from the tree before it is built again: this many, plus a quarter of
/// the ranges.
const CHANGES_BEFORE_REBUILD: usize = 16;

/// A range `[start, end)`; an empty `end` is no end (every key from `start` on).
#[derive(Debug, Clone)]
struct Range {
    start: Vec<u8>,
    end: Vec<u8>,
}

impl Range {
    /// Whether the range reaches past `key` (its end is above it).
    fn ends_after(&self, key: &[u8]) -> bool {
        self.end.is_empty() || key < self.end.as_slice()
    }

    fn covers(&self, key: &[u8]) -> bool {
        self.start.as_slice() <= key && self.ends_after(key)
    }
}

#[derive(Default)]
pub(crate) struct RangeIndex {
    ranges: FastMap<u64, Range>,
    tree: Option<Tree>,
    /// Watchers whose current range the tree lacks: added or replaced since it was built.
    added: FastSet<u64>,
    /// Watchers whose range in the tree is gone or replaced.
    removed: FastSet<u64>,
}

impl RangeIndex {
    /// Adds (or replaces) watcher `id`'s range `[start, end)`, `end` empty for no end.
    pub(crate) fn insert(&mut self, id: u64, start: &[u8], end: &[u8]) {
        let range = Range {
            start: start.to_vec(),
            end: end.to_vec(),
        };
        // A range already there and not added since the build is in the tree.
        if self.ranges.insert(id, range).is_some() && !self.added.contains(&id) {
            self.removed.insert(id);
        }
        self.added.insert(id);
    }

    pub(crate) fn remove(&mut self, id: u64) {
        // A range not added since the build is in the tree; one added to replace a range in
        // the tree was marked removed then.
        if self.ranges.remove(&id).is_some() && !self.added.remove(&id) {
            self.removed.insert(id);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Calls `found` once with every watcher whose range covers `key`, in no particular order.
    pub(crate) fn covering(&mut self, key: &[u8], mut found: impl FnMut(u64)) {
        if self.ranges.is_empty() {
            return;
        }
        let changes = self.added.len() + self.removed.len();
        if self.tree.is_none() || changes > CHANGES_BEFORE_REBUILD + self.ranges.len() / 4 {
            self.tree = Some(Tree::build(&self.ranges));
            self.added.clear();
            self.removed.clear();
        }
        if let Some(tree) = &self.tree {
            let removed = &self.removed;
            tree.covering(key, &mut |id| {
                if removed.is_empty() || !removed.contains(&id) {
                    found(id)
                }
            });
        }
        for id in &self.added {
            if self.ranges.get(id).is_some_and(|r| r.covers(key)) {
                found(*id);
            }
        }
    }
}

/// A centered interval tree: each node holds the ranges that contain its center key, sorted
/// by start and by end, with the ranges wholly below the center to its left and those wholly
/// above to its right.
struct Tree {
    ranges: Vec<(Range, u64)>,
    nodes: Vec<Node>,
}

struct Node {
    center: Vec<u8>,
    /// Indexes into `ranges` of the ranges containing `center`, by start, lowest first.
    by_start: Vec<u32>,
    /// The same, by end, highest (no end) first.
    by_end: Vec<u32>,
    below: Option<u32>,
    above: Option<u32>,
}

impl Tree {
    fn build(ranges: &FastMap<u64, Range>) -> Tree {
        let mut tree = Tree {
            ranges: ranges.iter().map(|(id, r)| (r.clone(), *id)).collect(),
            nodes: Vec::new(),
        };
        // Ranges that tie come out in watcher order (the sorts below are stable): a stream's
        // watchers of one prefix are found one after another, and the hub then locks their
        // stream's queue once for all of them.
        tree.ranges.sort_unstable_by_key(|(_, id)| *id);
        let all = (0..tree.ranges.len() as u32).collect();
        tree.add_node(all);
        tree
    }

    /// Builds the subtree of `members` (none empty: each range holds at least its start) and
    /// returns its root. The center is the median start, so neither side gets more than half.
    fn add_node(&mut self, mut members: Vec<u32>) -> Option<u32> {
        if members.is_empty() {
            return None;
        }
        members.sort_by(|a, b| self.range(*a).start.cmp(&self.range(*b).start));
        let center = self.range(members[members.len() / 2]).start.clone();
        let (mut below, mut above, mut here) = (Vec::new(), Vec::new(), Vec::new());
        for m in members {
            let r = self.range(m);
            if r.start > center {
                above.push(m);
            } else if r.ends_after(&center) {
                here.push(m);
            } else {
                below.push(m);
            }
        }
        // `here` is still in start order.
        let mut by_end = here.clone();
        by_end.sort_by(|a, b| {
            let (a, b) = (self.range(*a), self.range(*b));
            (b.end.is_empty(), &b.end).cmp(&(a.end.is_empty(), &a.end))
        });
        let at = self.nodes.len() as u32;
        self.nodes.push(Node {
            center,
            by_start: here,
            by_end,
            below: None,
            above: None,
        });
        let below = self.add_node(below);
        let above = self.add_node(above);
        let node = &mut self.nodes[at as usize];
        node.below = below;
        node.above = above;
        Some(at)
    }

    fn range(&self, i: u32) -> &Range {
        &self.ranges[i as usize].0
    }

    fn covering(&self, key: &[u8], found: &mut impl FnMut(u64)) {
        let mut next = (!self.nodes.is_empty()).then_some(0);
        while let Some(at) = next {
            let node = &self.nodes[at as usize];
            if key < node.center.as_slice() {
                // Every range here ends after the center, so after `key`: those starting at or
                // before it cover it. Ranges above start after the center.
                for &i in &node.by_start {
                    if self.range(i).start.as_slice() > key {
                        break;
                    }
                    found(self.ranges[i as usize].1);
                }
                next = node.below;
            } else {
                // Every range here starts at or before the center, so before `key`: those
                // ending after it cover it. Ranges below end at or before the center.
                for &i in &node.by_end {
                    if !self.range(i).ends_after(key) {
                        break;
                    }
                    found(self.ranges[i as usize].1);
                }
                next = node.above;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// A key from a small alphabet, so that ranges overlap, nest and touch often.
    fn key(rng: &mut StdRng) -> Vec<u8> {
        let len = rng.gen_range(0..4);
        (0..len).map(|_| rng.gen_range(b'a'..=b'd')).collect()
    }

    /// The index finds exactly the ranges a scan of every range finds, through inserts,
    /// replacements and removals between lookups, over many seeded runs.
    #[test]
    fn finds_what_a_scan_finds() {
        for seed in 0..300 {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut index = RangeIndex::default();
            let mut model: FastMap<u64, Range> = FastMap::default();
            for _ in 0..rng.gen_range(1..80) {
                let id = rng.gen_range(0..24);
                if rng.gen_bool(0.3) {
                    index.remove(id);
                    model.remove(&id);
                } else {
                    // A range is never empty: a start below its end, or no end.
                    let (a, b) = (key(&mut rng), key(&mut rng));
                    let (start, end) = match a.cmp(&b) {
                        std::cmp::Ordering::Less => (a, b),
                        std::cmp::Ordering::Greater => (b, a),
                        std::cmp::Ordering::Equal => (a, Vec::new()),
                    };
                    index.insert(id, &start, &end);
                    model.insert(id, Range { start, end });
                }
                for _ in 0..3 {
                    let probe = key(&mut rng);
                    let mut got = Vec::new();
                    index.covering(&probe, |id| got.push(id));
                    got.sort_unstable();
                    let mut want: Vec<u64> = model
                        .iter()
                        .filter(|(_, r)| r.covers(&probe))
                        .map(|(id, _)| *id)
                        .collect();
                    want.sort_unstable();
                    assert_eq!(got, want, "seed {seed}, probe {probe:?}");
                }
            }
        }
    }

    #[test]
    fn disjoint_prefixes_are_found_alone() {
        let mut index = RangeIndex::default();
        for (id, prefix) in [
            "/registry/pods/",
            "/registry/services/",
            "/registry/secrets/",
        ]
        .iter()
        .enumerate()
        {
            let mut end = prefix.as_bytes().to_vec();
            *end.last_mut().unwrap() += 1;
            index.insert(id as u64, prefix.as_bytes(), &end);
        }
        index.insert(9, b"\0", b"");
        let mut got = Vec::new();
        index.covering(b"/registry/services/default/kubernetes", |id| got.push(id));
        got.sort_unstable();
        assert_eq!(got, [1, 9]);
        index.remove(9);
        got.clear();
        index.covering(b"/registry/pods/a", |id| got.push(id));
        assert_eq!(got, [0]);
    }
}
