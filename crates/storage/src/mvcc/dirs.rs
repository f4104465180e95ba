//! [`DirTree`]: how many live keys, and how many value bytes, each directory of the
//! '/'-separated key hierarchy holds, so that a listing of one level reads its subdirectories'
//! totals instead of walking their subtrees.
//!
//! A directory is a prefix of a live key that ends in '/': `/registry/pods/x` lies in `/`,
//! `/registry/` and `/registry/pods/`. Each directory is stored once, as the segment that names
//! it inside its parent, so the memory is linear in the keys' bytes however deep they go; and
//! only the first [`MAX_DEPTH`] levels are kept at all, since each directory costs far more than
//! the byte of '/' that makes it (deeper levels are listed by walking the key index instead).

use std::collections::BTreeMap;
use std::ops::Bound;

/// Levels of directories kept: a key with more slashes counts in its first `MAX_DEPTH`
/// directories only. Kubernetes' keys are 4 or 5 deep (`/registry/<group>/<resource>/<ns>/`).
pub(crate) const MAX_DEPTH: usize = 16;

/// A directory's id, never reused while the tree lives; the root (the empty prefix) is 0.
pub(crate) type DirId = u64;

/// The root: the parent of `/` and of every first segment.
pub(crate) const ROOT: DirId = 0;

/// Live keys below a directory and the sum of their value sizes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    pub(crate) keys: u64,
    pub(crate) value_bytes: u64,
}

#[derive(Debug)]
struct Dir {
    id: DirId,
    totals: Totals,
}

/// The directories of the live keys with their totals. Invariant: every directory holds at
/// least one live key, and a directory's parent is in the tree.
#[derive(Debug)]
pub(crate) struct DirTree {
    /// `parent id (8 bytes, big-endian) + segment` → the directory, so that a directory's
    /// children are one contiguous run of the map, in the order of their names.
    dirs: BTreeMap<Box<[u8]>, Dir>,
    next_id: DirId,
    max_depth: usize,
}

/// The map key of `segment` inside directory `parent`.
fn entry_key(buf: &mut Vec<u8>, parent: DirId, segment: &[u8]) {
    buf.clear();
    buf.extend_from_slice(&parent.to_be_bytes());
    buf.extend_from_slice(segment);
}

/// The segments naming `key`'s directories, outermost first, at most `max_depth` of them.
fn directories(key: &[u8], max_depth: usize) -> impl Iterator<Item = &[u8]> {
    // The last piece follows the last '/': the key's own name, not a directory.
    let count = key.iter().filter(|&&b| b == b'/').count().min(max_depth);
    key.split(|&b| b == b'/').take(count)
}

impl DirTree {
    /// An empty tree keeping `max_depth` (at least 2: the root's listing needs `/<name>/`) levels.
    pub(crate) fn new(max_depth: usize) -> DirTree {
        assert!(
            max_depth >= 2,
            "the root level needs two levels of directories"
        );
        DirTree {
            dirs: BTreeMap::new(),
            next_id: ROOT + 1,
            max_depth,
        }
    }

    /// The tree of `live`, every live key in key order with its value size, in one pass: a
    /// directory's keys are contiguous in that order, so each directory is inserted once, with
    /// its final totals, when the walk leaves it.
    pub(crate) fn build<'k>(
        max_depth: usize,
        live: impl Iterator<Item = (&'k [u8], u32)>,
    ) -> DirTree {
        /// A directory of the previous key: `key[start..end]` is its segment and its '/'.
        struct Open {
            start: usize,
            end: usize,
            parent: DirId,
            id: DirId,
            totals: Totals,
        }
        let mut tree = DirTree::new(max_depth);
        let mut open: Vec<Open> = Vec::new();
        let mut previous: &[u8] = b"";
        let mut buf = Vec::new();
        let mut close = |tree: &mut DirTree, dir: Open, key: &[u8]| {
            entry_key(&mut buf, dir.parent, &key[dir.start..dir.end - 1]);
            let old = tree.dirs.insert(
                buf.as_slice().into(),
                Dir {
                    id: dir.id,
                    totals: dir.totals,
                },
            );
            debug_assert!(old.is_none(), "a directory is left once");
        };
        for (key, size) in live {
            // The directories this key shares with the previous one are the outermost ones.
            while let Some(dir) = open.pop_if(|dir| !key.starts_with(&previous[..dir.end])) {
                close(&mut tree, dir, previous);
            }
            let mut start = open.last().map_or(0, |dir| dir.end);
            while open.len() < max_depth {
                let Some(slash) = key[start..].iter().position(|&b| b == b'/') else {
                    break;
                };
                let id = tree.next_id;
                tree.next_id += 1;
                open.push(Open {
                    start,
                    end: start + slash + 1,
                    parent: open.last().map_or(ROOT, |dir| dir.id),
                    id,
                    totals: Totals::default(),
                });
                start += slash + 1;
            }
            for dir in &mut open {
                dir.totals.keys += 1;
                dir.totals.value_bytes += u64::from(size);
            }
            previous = key;
        }
        while let Some(dir) = open.pop() {
            close(&mut tree, dir, previous);
        }
        tree
    }

    /// Levels kept.
    pub(crate) fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Accounts for a change of `key`'s live value: `None` when the key does not exist (before
    /// its creation, after its deletion), else the value's size.
    pub(crate) fn change(&mut self, key: &[u8], before: Option<u32>, after: Option<u32>) {
        match (before, after) {
            (None, None) => {}
            (None, Some(size)) => self.add(key, size),
            (Some(size), None) => self.remove(key, size),
            (Some(old), Some(new)) if old == new => {}
            (Some(old), Some(new)) => self.walk(key, |totals| {
                totals.value_bytes = totals.value_bytes - u64::from(old) + u64::from(new);
            }),
        }
    }

    fn add(&mut self, key: &[u8], size: u32) {
        let mut parent = ROOT;
        let mut buf = Vec::new();
        for segment in directories(key, self.max_depth) {
            entry_key(&mut buf, parent, segment);
            let dir = match self.dirs.get_mut(buf.as_slice()) {
                Some(dir) => dir,
                None => {
                    let id = self.next_id;
                    self.next_id += 1;
                    let new = Dir {
                        id,
                        totals: Totals::default(),
                    };
                    self.dirs.entry(buf.as_slice().into()).or_insert(new)
                }
            };
            dir.totals.keys += 1;
            dir.totals.value_bytes += u64::from(size);
            parent = dir.id;
        }
    }

    fn remove(&mut self, key: &[u8], size: u32) {
        let mut emptied = Vec::new();
        self.walk(key, |totals| {
            totals.keys -= 1;
            totals.value_bytes -= u64::from(size);
        });
        // Totals shrink going down a key's path, so the emptied directories are its innermost.
        let mut parent = ROOT;
        let mut buf = Vec::new();
        for segment in directories(key, self.max_depth) {
            entry_key(&mut buf, parent, segment);
            let dir = &self.dirs[buf.as_slice()];
            if dir.totals.keys == 0 {
                emptied.push(buf.clone());
            }
            parent = dir.id;
        }
        for entry in emptied {
            self.dirs.remove(entry.as_slice());
        }
    }

    /// Calls `update` on each kept directory of `key`, which must all exist (`key` is live).
    fn walk(&mut self, key: &[u8], mut update: impl FnMut(&mut Totals)) {
        let mut parent = ROOT;
        let mut buf = Vec::new();
        for segment in directories(key, self.max_depth) {
            entry_key(&mut buf, parent, segment);
            let dir = self
                .dirs
                .get_mut(buf.as_slice())
                .expect("a live key's directories are in the tree");
            update(&mut dir.totals);
            parent = dir.id;
        }
    }

    /// The directory `path` (a prefix ending in '/') if it holds a live key and its depth is
    /// kept; `None` otherwise.
    pub(crate) fn find(&self, path: &[u8]) -> Option<DirId> {
        let inner = path.strip_suffix(b"/")?;
        let mut id = ROOT;
        let mut buf = Vec::new();
        for segment in inner.split(|&b| b == b'/') {
            entry_key(&mut buf, id, segment);
            id = self.dirs.get(buf.as_slice())?.id;
        }
        Some(id)
    }

    /// The subdirectories of `parent` whose segment lies after `from`, in segment order.
    pub(crate) fn children<'a>(
        &'a self,
        parent: DirId,
        from: Bound<&[u8]>,
    ) -> impl Iterator<Item = (&'a [u8], Totals)> + 'a {
        let mut lower = parent.to_be_bytes().to_vec();
        let lower = match from {
            Bound::Included(segment) => {
                lower.extend_from_slice(segment);
                Bound::Included(lower)
            }
            Bound::Excluded(segment) => {
                lower.extend_from_slice(segment);
                Bound::Excluded(lower)
            }
            Bound::Unbounded => Bound::Included(lower),
        };
        // Ids stay far below u64::MAX (one per directory ever made).
        let upper = (parent + 1).to_be_bytes();
        let bounds = (
            lower.as_ref().map(Vec::as_slice),
            Bound::Excluded(&upper[..]),
        );
        self.dirs
            .range::<[u8], _>(bounds)
            .map(|(key, dir)| (&key[8..], dir.totals))
    }

    /// Number of directories kept (what the tree costs).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.dirs.len()
    }

    /// Every directory by its path, with its totals.
    #[cfg(test)]
    fn paths(&self) -> BTreeMap<Vec<u8>, Totals> {
        // A parent is made before its children, so its id is smaller and, the map being
        // ordered by parent id, its entry comes first.
        let mut paths = std::collections::HashMap::from([(ROOT, Vec::new())]);
        let mut out = BTreeMap::new();
        for (key, dir) in &self.dirs {
            let parent = DirId::from_be_bytes(key[..8].try_into().expect("8 bytes"));
            let path = [&paths[&parent][..], &key[8..], b"/"].concat();
            paths.insert(dir.id, path.clone());
            out.insert(path, dir.totals);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(keys: u64, value_bytes: u64) -> Totals {
        Totals { keys, value_bytes }
    }

    fn children(tree: &DirTree, path: &[u8]) -> Vec<(String, Totals)> {
        let id = if path.is_empty() {
            ROOT
        } else {
            tree.find(path).expect("directory")
        };
        tree.children(id, Bound::Unbounded)
            .map(|(s, t)| (String::from_utf8(s.to_vec()).unwrap(), t))
            .collect()
    }

    #[test]
    fn totals_follow_puts_resizes_and_deletes() {
        let mut tree = DirTree::new(MAX_DEPTH);
        tree.change(b"/r/pods/a", None, Some(10));
        tree.change(b"/r/pods/b", None, Some(5));
        tree.change(b"/r/svc", None, Some(1));
        tree.change(b"top", None, Some(7));
        assert_eq!(children(&tree, b""), vec![("".to_string(), totals(3, 16))]);
        assert_eq!(
            children(&tree, b"/"),
            vec![("r".to_string(), totals(3, 16))]
        );
        assert_eq!(
            children(&tree, b"/r/"),
            vec![("pods".to_string(), totals(2, 15))]
        );
        tree.change(b"/r/pods/a", Some(10), Some(3));
        assert_eq!(
            children(&tree, b"/r/"),
            vec![("pods".to_string(), totals(2, 8))]
        );
        tree.change(b"/r/pods/a", Some(3), Some(3));
        tree.change(b"/r/pods/a", Some(3), None);
        tree.change(b"/r/pods/b", Some(5), None);
        assert_eq!(children(&tree, b"/r/"), vec![]);
        assert_eq!(tree.find(b"/r/pods/"), None);
        assert_eq!(children(&tree, b"/"), vec![("r".to_string(), totals(1, 1))]);
        tree.change(b"/r/svc", Some(1), None);
        tree.change(b"nothing", None, None);
        assert_eq!(tree.len(), 0, "no directory outlives its keys");
    }

    #[test]
    fn children_are_in_name_order_and_start_after_a_segment() {
        let mut tree = DirTree::new(MAX_DEPTH);
        for key in [
            "/a/pods/1",
            "/a/pods-x/1",
            "/a/pods0/1",
            "/a/pods/q/2",
            "/a//x",
        ] {
            tree.change(key.as_bytes(), None, Some(1));
        }
        let names = |from| {
            let id = tree.find(b"/a/").unwrap();
            tree.children(id, from)
                .map(|(s, _)| String::from_utf8(s.to_vec()).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(Bound::Unbounded), ["", "pods", "pods-x", "pods0"]);
        assert_eq!(names(Bound::Excluded(b"pods")), ["pods-x", "pods0"]);
        assert_eq!(names(Bound::Included(b"pods")), ["pods", "pods-x", "pods0"]);
        assert_eq!(names(Bound::Excluded(b"pods/q")), ["pods0"]);
        assert!(tree.find(b"/a//").is_some());
        assert_eq!(
            tree.find(b"/a"),
            None,
            "a path names a directory with its '/'"
        );
    }

    #[test]
    fn a_tree_built_in_one_pass_equals_one_built_key_by_key() {
        let keys: &[(&[u8], u32)] = &[
            (b"/", 1),
            (b"//x", 2),
            (b"/a/b/c/d", 3),
            (b"/a/b/e", 4),
            (b"/a/b0", 5),
            (b"/a/b-/q", 6),
            (b"/a0/x", 7),
            (b"b/c", 8),
            (b"top", 9),
        ];
        let mut keys = keys.to_vec();
        keys.sort();
        for depth in [2, 3, MAX_DEPTH] {
            let mut one_by_one = DirTree::new(depth);
            for (key, size) in &keys {
                one_by_one.change(key, None, Some(*size));
            }
            let built = DirTree::build(depth, keys.iter().copied());
            assert_eq!(built.paths(), one_by_one.paths(), "depth {depth}");
            assert_eq!(built.len(), one_by_one.len());
        }
        let built = DirTree::build(MAX_DEPTH, keys.iter().copied());
        assert_eq!(built.paths()[&b"/a/b/"[..]], totals(2, 7));
    }

    #[test]
    fn only_the_first_levels_are_kept() {
        let mut tree = DirTree::new(2);
        tree.change(b"/a/b/c/d", None, Some(4));
        assert!(tree.find(b"/a/").is_some());
        assert_eq!(tree.find(b"/a/b/"), None);
        assert_eq!(tree.len(), 2);
        tree.change(b"/a/b/c/d", Some(4), None);
        assert_eq!(tree.len(), 0);
    }
}
