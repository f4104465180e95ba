//! One level of the '/'-separated key hierarchy at the current revision, with the number of
//! live keys and value bytes below each child, answered without walking any child's subtree:
//! subdirectories come with their totals from the index's [`DirTree`], keys directly at the
//! level from the key index, which is walked past each subtree in one seek.
//!
//! The children are `oxctl ls`'s: below `base` (the prefix with a '/' appended unless it ends
//! in one), each key is cut at the next '/'; below the empty prefix a leading '/' stays part of
//! the first segment (`/registry`, not the empty name). A child is a key, a directory (keys
//! below `child/`), or both, and appears once.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

use super::dirs::{DirId, DirTree, Totals, ROOT};
use super::key_index::{live_size, History, IndexKey, KeyBounds, KeyIndex};
use super::store::MvccStore;

/// One child of a level.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HierarchyChild {
    /// The child's full name: a key, or a directory's path without its last '/'.
    pub name: Vec<u8>,
    /// A key exists at `name`.
    pub is_key: bool,
    /// Keys exist below `name` + '/'.
    pub has_children: bool,
    /// Live keys at `name` and below `name/`.
    pub keys: u64,
    /// The sum of those keys' value sizes.
    pub value_bytes: u64,
    /// The value size of the key at `name` itself (0 when `is_key` is false).
    pub key_bytes: u64,
}

/// A page of one level's children, in name order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HierarchyLevel {
    /// The page's children.
    pub children: Vec<HierarchyChild>,
    /// Children after the last one of the page exist.
    pub more: bool,
    /// The page's last child's name (where the next page starts after), kept when a caller
    /// drops children from the page.
    pub last: Vec<u8>,
    /// The revision listed: the current one.
    pub revision: i64,
}

/// The keys a listing of `prefix` reads, as a Range names them (`key`, `range_end`): every key
/// starting with its base, or every key for the root.
pub fn level_range(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let level = Level::new(prefix);
    match level.end {
        Some(end) => (level.base, end),
        None => (vec![0], vec![0]),
    }
}

impl MvccStore {
    /// The children of `prefix` whose names sort after `after` (all of them when it is empty),
    /// at most `limit` (0: no limit), at the current revision.
    ///
    /// The first call builds the directory totals in one pass over the key index, holding
    /// writers back meanwhile; later calls cost a seek per child on the page, and, to find the
    /// next key at the level itself, a seek per directory up to it (on a level of many
    /// directories and no keys, every later one: paging such a level is quadratic in seeks).
    pub fn list_level(&self, prefix: &[u8], after: &[u8], limit: usize) -> HierarchyLevel {
        let state = self.read_state();
        let (children, more) = list(&state.index, prefix, after, limit);
        HierarchyLevel {
            last: children.last().map(|c| c.name.clone()).unwrap_or_default(),
            children,
            more,
            revision: state.current_rev,
        }
    }
}

/// Where a level's children come from.
struct Level {
    /// Empty (the root) or ending in '/'.
    base: Vec<u8>,
    /// End of the keys below `base` (exclusive); `None` for the root.
    end: Option<Vec<u8>>,
}

impl Level {
    fn new(prefix: &[u8]) -> Level {
        let mut base = prefix.to_vec();
        if !base.is_empty() && base.last() != Some(&b'/') {
            base.push(b'/');
        }
        // The keys starting with `dir/` end before `dir0`, '0' following '/'.
        let end = base.split_last().map(|(_, dir)| [dir, b"0"].concat());
        Level { base, end }
    }

    fn is_root(&self) -> bool {
        self.base.is_empty()
    }

    /// Directories in `base`, the root having none.
    fn depth(&self) -> usize {
        self.base.iter().filter(|&&b| b == b'/').count()
    }

    /// For a key below `base`: the length of its child's name, and whether the key lies below
    /// that child (in its directory) rather than being it.
    fn cut(&self, key: &[u8]) -> (usize, bool) {
        let rest = &key[self.base.len()..];
        let skip = usize::from(self.is_root() && rest.first() == Some(&b'/'));
        match rest[skip..].iter().position(|&b| b == b'/') {
            Some(slash) => (self.base.len() + skip + slash, true),
            None => (key.len(), false),
        }
    }

    /// The keys below `base` from `lower` on; `None` when that is past the end.
    fn bounds<'a>(&'a self, lower: Bound<&'a [u8]>) -> Option<KeyBounds<'a>> {
        let Some(end) = &self.end else {
            return Some((lower, Bound::Unbounded));
        };
        let past = match lower {
            Bound::Included(from) | Bound::Excluded(from) => from >= end.as_slice(),
            Bound::Unbounded => false,
        };
        (!past).then_some((lower, Bound::Excluded(end.as_slice())))
    }

    /// Where the keys of the children after `after` start.
    fn first_key<'a>(&'a self, after: &'a [u8]) -> Bound<&'a [u8]> {
        if after < self.base.as_slice() {
            Bound::Included(self.base.as_slice())
        } else {
            Bound::Excluded(after)
        }
    }
}

/// The children of `prefix` after `after`, at most `limit` (0: all), and whether more follow.
pub(crate) fn list(
    index: &KeyIndex,
    prefix: &[u8],
    after: &[u8],
    limit: usize,
) -> (Vec<HierarchyChild>, bool) {
    let level = Level::new(prefix);
    let dirs = index.dirs();
    if level.depth() >= dirs.max_depth() {
        return scan(index, &level, after, limit);
    }
    let subdirs: Box<dyn Iterator<Item = (Vec<u8>, Totals)> + '_> = if level.is_root() {
        // The root's directories are `name/` (children of the root) and `/name/` (children of
        // `/`, which is the root's child with the empty segment: the segments start after
        // `after`, at least the empty one, so `/` itself is never a child here).
        let plain = named(dirs, b"", Some(ROOT), after);
        let slashed = named(dirs, b"/", dirs.find(b"/"), after);
        Box::new(Merge::new(plain, slashed).map(|(name, a, b)| {
            let totals = a.or(b).expect("a merged item comes from one side at least");
            (name, totals)
        }))
    } else {
        match dirs.find(&level.base) {
            Some(id) => named(dirs, &level.base, Some(id), after),
            // No live key below `base`: nothing to list.
            None => return (Vec::new(), false),
        }
    };
    let leaves = Leaves::new(index, &level, after);
    let children = Merge::new(subdirs, leaves).map(|(name, dir, key)| {
        let dir = dir.unwrap_or_default();
        let own = key.map_or(0, u64::from);
        HierarchyChild {
            name,
            is_key: key.is_some(),
            has_children: dir.keys > 0,
            keys: dir.keys + u64::from(key.is_some()),
            value_bytes: dir.value_bytes + own,
            key_bytes: own,
        }
    });
    page(children, limit)
}

/// The subdirectories of directory `id`, named `prefix` + segment, whose names sort after
/// `after`.
fn named<'a>(
    dirs: &'a DirTree,
    prefix: &'a [u8],
    id: Option<DirId>,
    after: &[u8],
) -> Box<dyn Iterator<Item = (Vec<u8>, Totals)> + 'a> {
    let from = match after.strip_prefix(prefix) {
        Some(rest) => Some(Bound::Excluded(rest)),
        None if after < prefix => Some(Bound::Unbounded),
        // `after` sorts after every name starting with `prefix`.
        None => None,
    };
    match (id, from) {
        (Some(id), Some(from)) => Box::new(
            dirs.children(id, from)
                .map(move |(segment, totals)| ([prefix, segment].concat(), totals)),
        ),
        _ => Box::new(std::iter::empty()),
    }
}

/// The first `limit` children (all for 0), and whether more follow.
fn page(
    mut children: impl Iterator<Item = HierarchyChild>,
    limit: usize,
) -> (Vec<HierarchyChild>, bool) {
    let limit = if limit == 0 { usize::MAX } else { limit };
    let page: Vec<HierarchyChild> = children.by_ref().take(limit).collect();
    let more = page.len() == limit && children.next().is_some();
    (page, more)
}

/// The live keys directly at a level (not below one of its children), after `after`, in key
/// order, with their value sizes: the key index walked with one seek past each child's subtree.
struct Leaves<'a> {
    index: &'a KeyIndex,
    level: &'a Level,
    keys: Option<std::collections::btree_map::Range<'a, IndexKey, History>>,
}

impl<'a> Leaves<'a> {
    fn new(index: &'a KeyIndex, level: &'a Level, after: &'a [u8]) -> Leaves<'a> {
        let keys = level
            .bounds(level.first_key(after))
            .map(|bounds| index.range(bounds));
        Leaves { index, level, keys }
    }
}

impl Iterator for Leaves<'_> {
    type Item = (Vec<u8>, u32);

    fn next(&mut self) -> Option<(Vec<u8>, u32)> {
        loop {
            let (key, history) = self.keys.as_mut()?.next()?;
            let (len, below) = self.level.cut(key);
            if below {
                // Every key of the child's directory `name/` sorts before `name0`.
                let past = [&key[..len], b"0"].concat();
                self.keys = self
                    .level
                    .bounds(Bound::Included(&past))
                    .map(|bounds| self.index.range(bounds));
                continue;
            }
            if let Some(size) = live_size(history) {
                return Some((key.to_vec(), size));
            }
        }
    }
}

/// The children of a level deeper than the directory totals go, found by walking every key
/// below it.
fn scan(
    index: &KeyIndex,
    level: &Level,
    after: &[u8],
    limit: usize,
) -> (Vec<HierarchyChild>, bool) {
    let mut children: BTreeMap<Vec<u8>, HierarchyChild> = BTreeMap::new();
    let Some(bounds) = level.bounds(Bound::Included(level.base.as_slice())) else {
        return (Vec::new(), false);
    };
    for (key, history) in index.range(bounds) {
        let Some(size) = live_size(history) else {
            continue;
        };
        let (len, below) = level.cut(key);
        let name = &key[..len];
        if name <= after {
            continue;
        }
        let child = children
            .entry(name.to_vec())
            .or_insert_with(|| HierarchyChild {
                name: name.to_vec(),
                ..HierarchyChild::default()
            });
        child.keys += 1;
        child.value_bytes += u64::from(size);
        if below {
            child.has_children = true;
        } else {
            child.is_key = true;
            child.key_bytes = u64::from(size);
        }
    }
    page(children.into_values(), limit)
}

/// Two streams in name order as one, pairing the items of equal names.
struct Merge<A: Iterator, B: Iterator> {
    a: Peekable<A>,
    b: Peekable<B>,
}

impl<A: Iterator, B: Iterator> Merge<A, B> {
    fn new(a: A, b: B) -> Merge<A, B> {
        Merge {
            a: a.peekable(),
            b: b.peekable(),
        }
    }
}

impl<X, Y, A, B> Iterator for Merge<A, B>
where
    A: Iterator<Item = (Vec<u8>, X)>,
    B: Iterator<Item = (Vec<u8>, Y)>,
{
    type Item = (Vec<u8>, Option<X>, Option<Y>);

    fn next(&mut self) -> Option<Self::Item> {
        let order = match (self.a.peek(), self.b.peek()) {
            (None, None) => return None,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((x, _)), Some((y, _))) => x.cmp(y),
        };
        match order {
            Ordering::Less => self.a.next().map(|(name, x)| (name, Some(x), None)),
            Ordering::Greater => self.b.next().map(|(name, y)| (name, None, Some(y))),
            Ordering::Equal => {
                let (name, x) = self.a.next()?;
                let (_, y) = self.b.next()?;
                Some((name, Some(x), Some(y)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mvcc::dirs::MAX_DEPTH;
    use crate::mvcc::key_index::{IndexEntry, Overlay};
    use crate::mvcc::Revision;
    use proptest::prelude::*;

    fn rev(main: i64) -> Revision {
        Revision { main, sub: 0 }
    }

    /// An index holding `keys`, each with a value of its given size.
    fn index_of(keys: &[(&str, usize)], max_depth: usize) -> KeyIndex {
        let mut index = KeyIndex::with_max_depth(max_depth);
        for (i, (key, size)) in keys.iter().enumerate() {
            index.push(key.as_bytes(), IndexEntry::put(rev(i as i64 + 2), *size));
        }
        index
    }

    fn names(index: &KeyIndex, prefix: &str) -> Vec<String> {
        let (children, more) = list(index, prefix.as_bytes(), b"", 0);
        assert!(!more);
        children
            .into_iter()
            .map(|c| String::from_utf8(c.name).unwrap())
            .collect()
    }

    /// `keys` with one-byte values.
    fn sized<'a>(keys: &[&'a str]) -> Vec<(&'a str, usize)> {
        keys.iter().map(|k| (*k, 1)).collect()
    }

    #[test]
    fn one_level_below_a_prefix_as_oxctl_ls_lists_it() {
        let keys = sized(&[
            "/registry/pods/default/a",
            "/registry/pods/default/b",
            "/registry/pods/kube-system/c",
            "/registry/services/specs/default/kubernetes",
            "/registry/ranges/serviceips",
            "/other/x",
        ]);
        for depth in [2, 3, MAX_DEPTH] {
            let index = index_of(&keys, depth);
            let level = ["/registry/pods", "/registry/ranges", "/registry/services"];
            assert_eq!(names(&index, "/registry"), level);
            assert_eq!(names(&index, "/registry/"), level);
            assert_eq!(
                names(&index, "/registry/pods"),
                ["/registry/pods/default", "/registry/pods/kube-system"]
            );
            assert_eq!(names(&index, ""), ["/other", "/registry"]);
            assert_eq!(names(&index, "/"), ["/other", "/registry"]);
            assert_eq!(names(&index, "/nothing"), Vec::<String>::new());
            assert_eq!(
                names(&index, "/registry/pods/default/a"),
                Vec::<String>::new()
            );
        }
    }

    #[test]
    fn leaves_look_alike_siblings_and_a_key_that_is_also_a_directory() {
        let keys = [
            ("/a/pods", 3),
            ("/a/pods-x", 4),
            ("/a/pods/1", 5),
            ("/a/pods/2/deep", 6),
            ("/a/pods0", 7),
            ("/a/q", 8),
        ];
        let index = index_of(&keys, MAX_DEPTH);
        let (children, more) = list(&index, b"/a", b"", 0);
        assert!(!more);
        let child = |name: &str, key_bytes: u64, has_children, keys, value_bytes| HierarchyChild {
            name: name.as_bytes().to_vec(),
            is_key: key_bytes > 0,
            has_children,
            keys,
            value_bytes,
            key_bytes,
        };
        assert_eq!(
            children,
            [
                child("/a/pods", 3, true, 3, 14),
                child("/a/pods-x", 4, false, 1, 4),
                child("/a/pods0", 7, false, 1, 7),
                child("/a/q", 8, false, 1, 8),
            ]
        );
        let index = index_of(&sized(&["top", "dir/x", "dir/y"]), MAX_DEPTH);
        assert_eq!(names(&index, ""), ["dir", "top"]);
    }

    #[test]
    fn a_level_reads_the_keys_below_its_base() {
        assert_eq!(level_range(b""), (vec![0], vec![0]));
        assert_eq!(level_range(b"/r"), (b"/r/".to_vec(), b"/r0".to_vec()));
        assert_eq!(level_range(b"/r/"), (b"/r/".to_vec(), b"/r0".to_vec()));
        assert_eq!(level_range(b"/"), (b"/".to_vec(), b"0".to_vec()));
    }

    #[test]
    fn slashes_at_the_edges() {
        let keys = sized(&["/", "//x", "/a/", "/a//b", "x/", "-/y"]);
        for depth in [2, 3, MAX_DEPTH] {
            let index = index_of(&keys, depth);
            assert_eq!(names(&index, ""), ["-", "/", "/a", "x"]);
            assert_eq!(names(&index, "/"), ["/", "/a"]);
            assert_eq!(names(&index, "/a"), ["/a/"]);
            assert_eq!(names(&index, "/a//"), ["/a//b"]);
            assert_eq!(names(&index, "//"), ["//x"]);
            assert_eq!(names(&index, "x"), ["x/"]);
        }
    }

    #[test]
    fn pages_follow_names_and_say_when_more_follow() {
        let mut keys: Vec<(String, usize)> = (0..25).map(|i| (format!("/p/k{i:02}"), 1)).collect();
        keys.extend((0..25).map(|i| (format!("/p/d{i:02}/x"), 2)));
        let refs: Vec<(&str, usize)> = keys.iter().map(|(k, s)| (k.as_str(), *s)).collect();
        let index = index_of(&refs, MAX_DEPTH);
        let mut after = Vec::new();
        let mut seen = Vec::new();
        loop {
            let (children, more) = list(&index, b"/p", &after, 7);
            assert!(children.len() <= 7);
            seen.extend(children.iter().map(|c| c.name.clone()));
            match children.last() {
                Some(last) if more => after = last.name.clone(),
                _ => break,
            }
        }
        assert_eq!(seen.len(), 50);
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "in name order");
        let (rest, more) = list(&index, b"/p", b"/p/d24", 0);
        assert_eq!(rest.len(), 25);
        assert!(!more);
        let (exact, more) = list(&index, b"/p", b"/p/k19", 5);
        assert_eq!((exact.len(), more), (5, false));
        assert_eq!(list(&index, b"/p", b"/q", 0), (vec![], false));
    }

    #[test]
    fn deleted_keys_leave_no_child_and_totals_follow_changes_after_the_build() {
        let mut index = index_of(&[("/r/a/1", 10), ("/r/a/2", 20), ("/r/b", 5)], MAX_DEPTH);
        assert_eq!(list(&index, b"/r", b"", 0).0[0].value_bytes, 30);
        let mut overlay = Overlay::new();
        overlay.insert(
            b"/r/a/1".to_vec(),
            smallvec::smallvec![IndexEntry::put(rev(10), 1)],
        );
        overlay.insert(
            b"/r/a/2".to_vec(),
            smallvec::smallvec![IndexEntry::put(rev(11), 2), IndexEntry::tombstone(rev(12))],
        );
        overlay.insert(
            b"/r/b".to_vec(),
            smallvec::smallvec![IndexEntry::tombstone(rev(13))],
        );
        index.apply(overlay);
        let (children, _) = list(&index, b"/r", b"", 0);
        assert_eq!(children.len(), 1);
        assert_eq!((children[0].keys, children[0].value_bytes), (1, 1));
        index.compact(13);
        assert_eq!(list(&index, b"/r", b"", 0).0, children);
        index.push(b"/r/a/1", IndexEntry::tombstone(rev(14)));
        assert_eq!(list(&index, b"/r", b"", 0), (vec![], false));
        assert_eq!(index.dirs().len(), 0);
    }

    #[test]
    fn the_store_lists_sizes_it_wrote_and_read_back_from_disk() {
        use oxcd_proto::etcdserverpb::{DeleteRangeRequest, PutRequest};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let store = MvccStore::open(&path).unwrap();
        let mut batch = store.write_batch().unwrap();
        for (key, value) in [("/r/a/x", "12345"), ("/r/a/y", "1"), ("/r/b", "")] {
            let req = PutRequest {
                key: key.into(),
                value: value.into(),
                ..PutRequest::default()
            };
            batch.put(&req, &|_| false).unwrap();
        }
        batch.commit(false).unwrap();
        let level = store.list_level(b"/r", b"", 0);
        let totals: Vec<(u64, u64)> = level
            .children
            .iter()
            .map(|c| (c.keys, c.value_bytes))
            .collect();
        assert_eq!(totals, [(2, 6), (1, 0)]);
        assert_eq!(level.revision, store.current_revision());
        let mut batch = store.write_batch().unwrap();
        let req = DeleteRangeRequest {
            key: "/r/a/y".into(),
            ..DeleteRangeRequest::default()
        };
        batch.delete_range(&req).unwrap();
        batch.commit(true).unwrap();
        let after_delete = store.list_level(b"/r", b"", 0);
        assert_eq!(after_delete.children[0].value_bytes, 5);
        drop(store);
        let store = MvccStore::open(&path).unwrap();
        assert_eq!(store.list_level(b"/r", b"", 0), after_delete);
    }

    // ------------------------------------------------------------ against a naive model

    const ALPHABET: &[u8] = b"ab/-0";

    fn key() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(proptest::sample::select(ALPHABET), 1..7)
    }

    #[derive(Clone, Debug)]
    enum Op {
        /// Puts in one batch (one revision each), then deletions of every key with a prefix.
        Batch(Vec<(Vec<u8>, u32)>, Vec<Vec<u8>>),
        Compact,
        /// Lists a level (building the totals if not yet built), paged by this many.
        List(Vec<u8>, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (
                proptest::collection::vec((key(), 0u32..100), 0..5),
                proptest::collection::vec(key(), 0..2),
            )
                .prop_map(|(puts, deletes)| Op::Batch(puts, deletes)),
            1 => Just(Op::Compact),
            2 => (key(), 0usize..4).prop_map(|(prefix, page)| Op::List(prefix, page)),
        ]
    }

    /// The children `oxctl ls` would print, with their totals, from every live key.
    fn model(live: &BTreeMap<Vec<u8>, u32>, prefix: &[u8]) -> Vec<HierarchyChild> {
        let mut children: BTreeMap<Vec<u8>, HierarchyChild> = BTreeMap::new();
        for (key, size) in live {
            let (name, below) = if prefix.is_empty() {
                let (lead, rest) = match key.strip_prefix(b"/") {
                    Some(rest) => (&b"/"[..], rest),
                    None => (&b""[..], key.as_slice()),
                };
                let first = rest.split(|&b| b == b'/').next().unwrap_or_default();
                ([lead, first].concat(), rest.contains(&b'/'))
            } else {
                let base = if prefix.ends_with(b"/") {
                    prefix.to_vec()
                } else {
                    [prefix, b"/"].concat()
                };
                let Some(rest) = key.strip_prefix(base.as_slice()) else {
                    continue;
                };
                let first = rest.split(|&b| b == b'/').next().unwrap_or_default();
                ([&base[..], first].concat(), rest.contains(&b'/'))
            };
            let child = children.entry(name.clone()).or_insert(HierarchyChild {
                name,
                ..HierarchyChild::default()
            });
            child.keys += 1;
            child.value_bytes += u64::from(*size);
            child.is_key |= !below;
            child.has_children |= below;
            if !below {
                child.key_bytes = u64::from(*size);
            }
        }
        children.into_values().collect()
    }

    /// Lists `prefix` whole, in pages of `page` (0: one page), checking each page's `more`.
    fn paged(index: &KeyIndex, prefix: &[u8], page: usize) -> Vec<HierarchyChild> {
        let mut all: Vec<HierarchyChild> = Vec::new();
        loop {
            let after = all.last().map(|c| c.name.clone()).unwrap_or_default();
            let (children, more) = list(index, prefix, &after, page);
            assert!(page == 0 || children.len() <= page);
            let done = !more;
            if done || children.is_empty() {
                assert!(done, "a page says more follow but is empty");
                all.extend(children);
                return all;
            }
            all.extend(children);
        }
    }

    /// Prefixes worth listing: the root, `/`, every directory and key, and `extra`.
    fn prefixes(live: &BTreeMap<Vec<u8>, u32>, extra: &[u8]) -> Vec<Vec<u8>> {
        let mut out = vec![Vec::new(), b"/".to_vec(), extra.to_vec()];
        for key in live.keys() {
            out.push(key.clone());
            for (i, &b) in key.iter().enumerate() {
                if b == b'/' {
                    out.push(key[..=i].to_vec());
                    out.push(key[..i].to_vec());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn listings_match_a_naive_scan(
            ops in proptest::collection::vec(op(), 1..25),
            depth in prop_oneof![Just(2usize), Just(3), Just(MAX_DEPTH)],
        ) {
            let mut index = KeyIndex::with_max_depth(depth);
            let mut live: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
            let mut current = 1i64;
            for op in ops {
                match op {
                    Op::Batch(puts, deletes) => {
                        let mut overlay = Overlay::new();
                        for (key, size) in puts {
                            current += 1;
                            let entry = IndexEntry::put(rev(current), size as usize);
                            overlay.entry(key.clone()).or_default().push(entry);
                            live.insert(key, size);
                        }
                        for prefix in deletes {
                            let doomed: Vec<Vec<u8>> = live
                                .keys()
                                .filter(|k| k.starts_with(&prefix))
                                .cloned()
                                .collect();
                            for key in doomed {
                                current += 1;
                                let entry = IndexEntry::tombstone(rev(current));
                                overlay.entry(key.clone()).or_default().push(entry);
                                live.remove(&key);
                            }
                        }
                        index.apply(overlay);
                    }
                    Op::Compact => index.compact(current),
                    Op::List(prefix, page) => {
                        prop_assert_eq!(paged(&index, &prefix, page), model(&live, &prefix));
                    }
                }
            }
            for prefix in prefixes(&live, b"a/") {
                let expected = model(&live, &prefix);
                prop_assert_eq!(&paged(&index, &prefix, 0), &expected, "{:?}", prefix);
                prop_assert_eq!(&paged(&index, &prefix, 2), &expected, "{:?}", prefix);
            }
            // Totals built in one pass equal those kept up to date change by change.
            let mut rebuilt = KeyIndex::with_max_depth(depth);
            for (i, (key, size)) in live.iter().enumerate() {
                rebuilt.push(key, IndexEntry::put(rev(i as i64 + 2), *size as usize));
            }
            for prefix in prefixes(&live, b"-") {
                prop_assert_eq!(paged(&rebuilt, &prefix, 0), paged(&index, &prefix, 0));
            }
        }
    }

    #[test]
    fn a_restored_store_lists_what_the_snapshot_holds() {
        use crate::mvcc::test_support::put;
        let dir = tempfile::tempdir().unwrap();
        let store = MvccStore::open(&dir.path().join("db")).unwrap();
        put(&store, "/a/x", "1", 1);
        put(&store, "/a/y/z", "22", 2);
        // The first listing builds the totals of this store's keys...
        assert_eq!(store.list_level(b"/a", b"", 0).children.len(), 2);
        let other = MvccStore::open(&dir.path().join("other")).unwrap();
        put(&other, "/b/q", "333", 1);
        let snapshot = dir.path().join("snapshot");
        other.write_snapshot(&snapshot).unwrap();
        store.restore_from(&snapshot).unwrap();
        // ...which are not the restored store's.
        assert!(store.list_level(b"/a", b"", 0).children.is_empty());
        put(&store, "/b/r/s", "4444", 5);
        let listed: Vec<(Vec<u8>, u64, u64)> = store
            .list_level(b"/b", b"", 0)
            .children
            .into_iter()
            .map(|c| (c.name, c.keys, c.value_bytes))
            .collect();
        assert_eq!(listed, [(b"/b/q".to_vec(), 1, 3), (b"/b/r".to_vec(), 1, 4)]);
    }
}
