//! The in-memory key index: user key -> the revisions that key went through.
//!
//! etcd keeps, per key, a list of generations (a generation runs from the put that creates the
//! key to the tombstone that deletes it). Here a key's history is one flat list of entries in
//! revision order, each marked put or tombstone: the generations are the runs ending in a
//! tombstone. Values live in the backend under the entries' revisions.

use std::collections::{btree_map, BTreeMap, HashSet, VecDeque};
use std::ops::Bound;
use std::sync::OnceLock;

use smallvec::SmallVec;

use super::dirs::{DirTree, MAX_DEPTH};
use super::revision::Revision;

/// One change of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    pub(crate) rev: Revision,
    pub(crate) tombstone: bool,
    /// Bytes of the value this revision wrote (0 for a tombstone), for the hierarchy's totals
    /// without a backend read. A value is smaller than a request, whose limit is a `u32`.
    pub(crate) value_size: u32,
}

// The size sits in the padding after `tombstone`: a million revisions cost no more with it.
const _: () = assert!(std::mem::size_of::<IndexEntry>() == 24);

impl IndexEntry {
    /// A put's entry, `value_len` bytes of value (saturated: never above a request's limit).
    pub(crate) fn put(rev: Revision, value_len: usize) -> IndexEntry {
        IndexEntry {
            rev,
            tombstone: false,
            value_size: u32::try_from(value_len).unwrap_or(u32::MAX),
        }
    }

    /// A deletion's entry.
    pub(crate) fn tombstone(rev: Revision) -> IndexEntry {
        IndexEntry {
            rev,
            tombstone: true,
            value_size: 0,
        }
    }
}

/// A key's changes, oldest first. Invariant: strictly increasing revisions, never empty in an index.
/// Most keys have one live revision after a compaction, so one entry is kept inline: a million
/// keys then need no allocation for their histories (a `Vec` would allocate room for four).
pub(crate) type History = SmallVec<[IndexEntry; 1]>;

/// A key of the index: boxed, a `Vec`'s capacity is of no use once the key is in.
pub(crate) type IndexKey = Box<[u8]>;

/// The size of the value `history` ends with, `None` if it ends deleted: the key's current
/// state in a committed index (whose entries are all at or below the current revision).
pub(crate) fn live_size(history: &[IndexEntry]) -> Option<u32> {
    history
        .last()
        .filter(|e| !e.tombstone)
        .map(|e| e.value_size)
}

/// Newest entry of `history` whose main revision is at most `at`.
fn newest_at(history: &[IndexEntry], at: i64) -> Option<IndexEntry> {
    let n = history.partition_point(|e| e.rev.main <= at);
    n.checked_sub(1).map(|i| history[i])
}

/// Bounds of a key interval, as `BTreeMap::range` takes them.
pub(crate) type KeyBounds<'a> = (Bound<&'a [u8]>, Bound<&'a [u8]>);

/// The keys a request addresses, from etcd's `key` / `range_end` pair.
#[derive(Clone, Copy, Debug)]
pub(crate) enum KeyRange<'a> {
    /// No key (`range_end` at or before `key`).
    Empty,
    /// Exactly `key` (`range_end` empty).
    Single(&'a [u8]),
    /// `[start, end)`, or every key from `start` on when `end` is `None` (`range_end` = `"\0"`).
    Span {
        start: &'a [u8],
        end: Option<&'a [u8]>,
    },
}

impl<'a> KeyRange<'a> {
    pub(crate) fn new(key: &'a [u8], range_end: &'a [u8]) -> KeyRange<'a> {
        if range_end.is_empty() {
            KeyRange::Single(key)
        } else if range_end == [0] {
            KeyRange::Span {
                start: key,
                end: None,
            }
        } else if range_end <= key {
            KeyRange::Empty
        } else {
            KeyRange::Span {
                start: key,
                end: Some(range_end),
            }
        }
    }

    /// The range as map bounds; `None` for the empty range (which `BTreeMap::range` rejects).
    fn bounds(&self) -> Option<KeyBounds<'a>> {
        match *self {
            KeyRange::Empty => None,
            KeyRange::Single(key) => Some((Bound::Included(key), Bound::Included(key))),
            KeyRange::Span { start, end } => Some((
                Bound::Included(start),
                end.map_or(Bound::Unbounded, Bound::Excluded),
            )),
        }
    }
}

/// Changes made by an uncommitted write batch, on top of a [`KeyIndex`]. Per key, every entry
/// is newer than the key's entries in the index.
pub(crate) type Overlay = BTreeMap<Vec<u8>, History>;

/// The committed key index.
#[derive(Debug)]
pub(crate) struct KeyIndex {
    keys: BTreeMap<IndexKey, History>,
    /// The live keys' directory totals, built by the first hierarchy listing (a store that is
    /// never listed pays nothing for them) and kept up to date by every change after it.
    dirs: OnceLock<DirTree>,
    /// Levels of directories `dirs` keeps.
    max_depth: usize,
}

impl Default for KeyIndex {
    fn default() -> KeyIndex {
        KeyIndex::with_max_depth(MAX_DEPTH)
    }
}

/// Sorts changes by key, each key's in revision order: how [`KeyIndex::from_sorted_runs`]
/// wants its runs.
pub(crate) fn sort_changes(changes: &mut [(IndexKey, IndexEntry)]) {
    changes.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.rev.cmp(&b.1.rev)));
}

impl KeyIndex {
    /// An empty index whose directory totals keep `max_depth` levels.
    pub(crate) fn with_max_depth(max_depth: usize) -> KeyIndex {
        KeyIndex {
            keys: BTreeMap::new(),
            dirs: OnceLock::new(),
            max_depth,
        }
    }

    /// The index of `changes`, given in increasing revision order.
    #[cfg(test)]
    pub(crate) fn from_changes(mut changes: Vec<(IndexKey, IndexEntry)>) -> KeyIndex {
        sort_changes(&mut changes);
        KeyIndex::from_sorted_runs(vec![changes])
    }

    /// The index of `runs` of changes, each sorted by [`sort_changes`], the runs in increasing
    /// revision order (every revision of a run below every revision of the next): the parts of
    /// a `key` table read, and sorted, in parallel. Built from keys sorted once rather than by
    /// a search per change: at a million keys, a start spends most of its time here.
    pub(crate) fn from_sorted_runs(runs: Vec<Vec<(IndexKey, IndexEntry)>>) -> KeyIndex {
        let mut runs: Vec<_> = runs.into_iter().map(Vec::into_iter).collect();
        let mut heads: Vec<Option<(IndexKey, IndexEntry)>> =
            runs.iter_mut().map(Iterator::next).collect();
        let mut keys: Vec<(IndexKey, History)> = Vec::new();
        loop {
            // The run holding the smallest key next; of equal keys the earlier run, whose
            // revisions are lower.
            let mut next: Option<usize> = None;
            for (i, head) in heads.iter().enumerate() {
                let Some((key, _)) = head else { continue };
                let smaller = |n: usize| heads[n].as_ref().is_some_and(|(best, _)| key < best);
                if next.is_none_or(smaller) {
                    next = Some(i);
                }
            }
            let Some(i) = next else { break };
            let Some((key, entry)) = std::mem::replace(&mut heads[i], runs[i].next()) else {
                break;
            };
            match keys.last_mut() {
                Some((last, history)) if *last == key => {
                    assert!(
                        history.last().is_none_or(|last| last.rev < entry.rev),
                        "key index revisions must increase"
                    );
                    history.push(entry);
                }
                _ => keys.push((key, smallvec::smallvec![entry])),
            }
        }
        KeyIndex {
            // Sorted and without duplicates: collected in one pass, without a search per key.
            keys: keys.into_iter().collect(),
            ..KeyIndex::default()
        }
    }

    /// Appends a change of `key`; revisions must arrive in increasing order per key.
    #[cfg(test)]
    pub(crate) fn push(&mut self, key: &[u8], entry: IndexEntry) {
        let history = match self.keys.get_mut(key) {
            Some(history) => history,
            None => self.keys.entry(key.into()).or_default(),
        };
        assert!(
            history.last().is_none_or(|last| last.rev < entry.rev),
            "key index revisions must increase"
        );
        if let Some(dirs) = self.dirs.get_mut() {
            let after = (!entry.tombstone).then_some(entry.value_size);
            dirs.change(key, live_size(history), after);
        }
        history.push(entry);
    }

    /// Publishes a batch's changes.
    pub(crate) fn apply(&mut self, overlay: Overlay) {
        for (key, entries) in overlay {
            if let (Some(dirs), Some(last)) = (self.dirs.get_mut(), entries.last()) {
                let before = self.keys.get(key.as_slice()).and_then(|h| live_size(h));
                dirs.change(&key, before, (!last.tombstone).then_some(last.value_size));
            }
            let history = self.keys.entry(key.into_boxed_slice()).or_default();
            assert!(
                match (history.last(), entries.first()) {
                    (Some(last), Some(first)) => last.rev < first.rev,
                    _ => true,
                },
                "overlay entries must be newer than the index"
            );
            history.extend(entries);
        }
    }

    /// The directory totals of the live keys, built on the first call (one pass over the
    /// index, under the caller's shared lock of the state, which holds writers back meanwhile).
    pub(crate) fn dirs(&self) -> &DirTree {
        self.dirs.get_or_init(|| {
            let started = std::time::Instant::now();
            let live = self
                .keys
                .iter()
                .filter_map(|(key, history)| Some((&key[..], live_size(history)?)));
            let dirs = DirTree::build(self.max_depth, live);
            tracing::info!(
                keys = self.keys.len(),
                took = ?started.elapsed(),
                "built the key hierarchy's directory totals"
            );
            dirs
        })
    }

    /// The keys of `bounds` with their histories, in key order.
    pub(crate) fn range(&self, bounds: KeyBounds<'_>) -> btree_map::Range<'_, IndexKey, History> {
        self.keys.range::<[u8], _>(bounds)
    }

    /// Forgets history that reads at `at` or later cannot see: per key, every entry before the
    /// newest one at or below `at`, and that one too if it is a tombstone. Keys left with no
    /// history disappear. A key's last entry stays unless it is a tombstone, so the live keys,
    /// and with them the directory totals, do not change.
    pub(crate) fn compact(&mut self, at: i64) {
        self.keys.retain(|_, history| {
            let n = history.partition_point(|e| e.rev.main <= at);
            if n > 0 {
                let drop = if history[n - 1].tombstone { n } else { n - 1 };
                history.drain(..drop);
            }
            !history.is_empty()
        });
    }

    /// Whether `key` still references revision `rev`.
    pub(crate) fn contains(&self, key: &[u8], rev: Revision) -> bool {
        self.keys
            .get(key)
            .is_some_and(|h| h.binary_search_by(|e| e.rev.cmp(&rev)).is_ok())
    }

    /// The revisions at or below `at` that a compaction at `at` would keep (etcd's `Keep`).
    pub(crate) fn keep(&self, at: i64) -> HashSet<Revision> {
        self.keys
            .values()
            .filter_map(|h| newest_at(h, at))
            .filter(|e| !e.tombstone)
            .map(|e| e.rev)
            .collect()
    }

    /// Number of keys with any history.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

/// What [`IndexView::select`] should collect, beyond the count.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Collect {
    /// Nothing: only count.
    Nothing,
    /// The first `n` keys in key order (`usize::MAX` for all).
    First(usize),
    /// The last `n` keys in key order, newest-key first.
    LastReversed(usize),
}

/// Keys visible at some revision, chosen by [`IndexView::select`].
#[derive(Debug, Default)]
pub(crate) struct Selection {
    /// Revisions holding the selected keys' values.
    pub(crate) revs: Vec<Revision>,
    /// Number of keys visible in the range (all of them, collected or not).
    pub(crate) count: usize,
}

/// The committed index, optionally with a write batch's uncommitted changes on top.
#[derive(Clone, Copy)]
pub(crate) struct IndexView<'a> {
    pub(crate) base: &'a KeyIndex,
    pub(crate) overlay: Option<&'a Overlay>,
}

impl IndexView<'_> {
    /// The newest change of `key` at or below main revision `at`, tombstone or not.
    pub(crate) fn newest(&self, key: &[u8], at: i64) -> Option<IndexEntry> {
        let staged = self
            .overlay
            .and_then(|o| o.get(key))
            .and_then(|h| newest_at(h, at));
        staged.or_else(|| self.base.keys.get(key).and_then(|h| newest_at(h, at)))
    }

    /// The revision holding `key`'s value as of `at`, `None` if absent or deleted then.
    pub(crate) fn visible(&self, key: &[u8], at: i64) -> Option<Revision> {
        self.newest(key, at).filter(|e| !e.tombstone).map(|e| e.rev)
    }

    /// Calls `visit` with each key in `range` that is visible at `at`, in key order.
    pub(crate) fn for_each_visible(
        &self,
        range: KeyRange<'_>,
        at: i64,
        mut visit: impl FnMut(&[u8], Revision),
    ) {
        let Some(bounds) = range.bounds() else {
            return;
        };
        let mut base = self.base.keys.range::<[u8], _>(bounds).peekable();
        let Some(overlay) = self.overlay.filter(|o| !o.is_empty()) else {
            for (key, history) in base {
                if let Some(e) = newest_at(history, at).filter(|e| !e.tombstone) {
                    visit(key, e.rev);
                }
            }
            return;
        };
        let mut staged = overlay.range::<[u8], _>(bounds).peekable();
        loop {
            // Merge the two sorted key streams; for a key in both, the staged entries are newer.
            let (key, entry) = match (base.peek(), staged.peek()) {
                (None, None) => break,
                (Some(&(bk, bh)), Some(&(sk, sh))) if **bk == **sk => {
                    base.next();
                    staged.next();
                    (&**bk, newest_at(sh, at).or_else(|| newest_at(bh, at)))
                }
                (Some(&(bk, bh)), Some(&(sk, _))) if **bk < **sk => {
                    base.next();
                    (&**bk, newest_at(bh, at))
                }
                (Some(&(bk, bh)), None) => {
                    base.next();
                    (&**bk, newest_at(bh, at))
                }
                (_, Some(&(sk, sh))) => {
                    staged.next();
                    (sk.as_slice(), newest_at(sh, at))
                }
            };
            if let Some(e) = entry.filter(|e| !e.tombstone) {
                visit(key, e.rev);
            }
        }
    }

    /// Counts the keys of `range` visible at `at` and collects some of their revisions.
    pub(crate) fn select(&self, range: KeyRange<'_>, at: i64, collect: Collect) -> Selection {
        let mut count = 0;
        match collect {
            Collect::Nothing => {
                self.for_each_visible(range, at, |_, _| count += 1);
                Selection {
                    revs: Vec::new(),
                    count,
                }
            }
            Collect::First(n) => {
                let mut revs = Vec::new();
                self.for_each_visible(range, at, |_, rev| {
                    if revs.len() < n {
                        revs.push(rev);
                    }
                    count += 1;
                });
                Selection { revs, count }
            }
            Collect::LastReversed(n) => {
                let mut last = VecDeque::new();
                self.for_each_visible(range, at, |_, rev| {
                    if n > 0 {
                        if last.len() == n {
                            last.pop_front();
                        }
                        last.push_back(rev);
                    }
                    count += 1;
                });
                Selection {
                    revs: last.into_iter().rev().collect(),
                    count,
                }
            }
        }
    }

    /// The visible keys of `range` at `at` with their value revisions.
    pub(crate) fn visible_keys(&self, range: KeyRange<'_>, at: i64) -> Vec<(Vec<u8>, Revision)> {
        let mut out = Vec::new();
        self.for_each_visible(range, at, |key, rev| out.push((key.to_vec(), rev)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(main: i64) -> IndexEntry {
        IndexEntry::put(Revision { main, sub: 0 }, 1)
    }
    fn del(main: i64) -> IndexEntry {
        IndexEntry::tombstone(Revision { main, sub: 0 })
    }

    #[test]
    fn compaction_keeps_the_newest_live_revision_at_or_below() {
        let mut index = KeyIndex::default();
        for e in [put(2), put(3), del(4), put(6)] {
            index.push(b"a", e);
        }
        for e in [put(2), del(3)] {
            index.push(b"b", e);
        }
        index.push(b"c", put(5));
        index.compact(4);
        assert_eq!(index.keys[&b"a"[..]][..], [put(6)]);
        assert!(!index.keys.contains_key(&b"b"[..]));
        assert_eq!(index.keys[&b"c"[..]][..], [put(5)]);
        index.compact(5);
        assert_eq!(index.keys[&b"c"[..]][..], [put(5)]);
        assert_eq!(index.len(), 2);
    }

    #[test]
    fn an_index_built_from_a_key_table_is_the_one_built_change_by_change() {
        // Changes in revision order, keys interleaved as a key table holds them.
        let keys: [&[u8]; 4] = [b"b", b"a", b"c/d", b"a"];
        let mut changes = Vec::new();
        let mut pushed = KeyIndex::default();
        for main in 2..40 {
            let key = keys[(main as usize * 7) % keys.len()];
            let entry = if main % 5 == 0 { del(main) } else { put(main) };
            changes.push((IndexKey::from(key), entry));
            pushed.push(key, entry);
        }
        let built = KeyIndex::from_changes(changes.clone());
        assert_eq!(built.keys, pushed.keys);
        assert_eq!(built.len(), 3);
        // Read in parts split by revision, each sorted on its own: the same index, wherever
        // the splits fall, empty parts included.
        for splits in [
            vec![0, 13],
            vec![0, 1, 20, 37],
            vec![0, 38],
            vec![0, 0, 19, 19],
        ] {
            let mut runs = Vec::new();
            for (i, &from) in splits.iter().enumerate() {
                let to = splits.get(i + 1).copied().unwrap_or(changes.len());
                let mut run = changes[from..to].to_vec();
                sort_changes(&mut run);
                runs.push(run);
            }
            assert_eq!(
                KeyIndex::from_sorted_runs(runs).keys,
                pushed.keys,
                "{splits:?}"
            );
        }
    }

    #[test]
    fn overlay_merges_with_the_index() {
        let mut index = KeyIndex::default();
        index.push(b"a", put(2));
        index.push(b"c", put(3));
        let mut overlay = Overlay::new();
        overlay.insert(b"a".to_vec(), smallvec::smallvec![del(4)]);
        overlay.insert(b"b".to_vec(), smallvec::smallvec![put(4)]);
        let view = IndexView {
            base: &index,
            overlay: Some(&overlay),
        };
        let keys = |at| {
            view.visible_keys(KeyRange::new(b"a", b"\0"), at)
                .into_iter()
                .map(|(k, _)| String::from_utf8(k).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(3), ["a", "c"]);
        assert_eq!(keys(4), ["b", "c"]);
        let sel = view.select(KeyRange::new(b"a", b"z"), 4, Collect::LastReversed(1));
        assert_eq!(
            (sel.count, sel.revs),
            (2, vec![Revision { main: 3, sub: 0 }])
        );
        assert_eq!(
            view.select(KeyRange::new(b"b", b"a"), 4, Collect::Nothing)
                .count,
            0
        );
    }
}
