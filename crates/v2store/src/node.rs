//! A node of the tree (etcd's `node`): a key with a value or a directory of children, its
//! indexes and its expiration.

use std::collections::BTreeMap;

use crate::event::NodeExtern;
use crate::record::NodeRecord;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    File(String),
    /// Children by name; a BTreeMap so listings come out in key order whether or not the
    /// reader asked for `sorted` (etcd's map order is random, so any order is etcd's order).
    Dir(BTreeMap<String, Node>),
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub path: String,
    pub created_index: u64,
    pub modified_index: u64,
    /// Unix nanoseconds; `None` is permanent.
    pub expire_at: Option<i64>,
    pub kind: Kind,
}

impl Node {
    pub fn new_file(path: String, value: String, index: u64, expire_at: Option<i64>) -> Node {
        Node {
            path,
            created_index: index,
            modified_index: index,
            expire_at,
            kind: Kind::File(value),
        }
    }

    pub fn new_dir(path: String, index: u64, expire_at: Option<i64>) -> Node {
        Node {
            path,
            created_index: index,
            modified_index: index,
            expire_at,
            kind: Kind::Dir(BTreeMap::new()),
        }
    }

    pub fn from_record(path: String, r: &NodeRecord) -> Node {
        Node {
            path,
            created_index: r.created_index,
            modified_index: r.modified_index,
            expire_at: r.expire_at,
            kind: if r.dir {
                Kind::Dir(BTreeMap::new())
            } else {
                Kind::File(r.value.clone())
            },
        }
    }

    pub fn record(&self) -> NodeRecord {
        NodeRecord {
            dir: self.is_dir(),
            value: self.value().to_string(),
            created_index: self.created_index,
            modified_index: self.modified_index,
            expire_at: self.expire_at,
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self.kind, Kind::Dir(_))
    }

    /// The value of a key; a directory's is empty, as etcd's `node.Value` is.
    pub fn value(&self) -> &str {
        match &self.kind {
            Kind::File(v) => v,
            Kind::Dir(_) => "",
        }
    }

    pub fn children(&self) -> Option<&BTreeMap<String, Node>> {
        match &self.kind {
            Kind::Dir(c) => Some(c),
            Kind::File(_) => None,
        }
    }

    pub fn children_mut(&mut self) -> Option<&mut BTreeMap<String, Node>> {
        match &mut self.kind {
            Kind::Dir(c) => Some(c),
            Kind::File(_) => None,
        }
    }

    pub fn is_hidden(&self) -> bool {
        crate::path::split(&self.path).1.starts_with('_')
    }

    /// etcd's `expirationAndTTL`: the TTL is rounded up to whole seconds, so a key with 0.2s
    /// left shows 1.
    pub fn expiration_and_ttl(&self, now: i64) -> (Option<i64>, i64) {
        match self.expire_at {
            None => (None, 0),
            Some(at) => {
                let left = at.saturating_sub(now);
                let mut ttl = left / NANOS_PER_SECOND;
                if left % NANOS_PER_SECOND > 0 {
                    ttl += 1;
                }
                (Some(at), ttl)
            }
        }
    }

    /// etcd's `node.Repr`: a directory shows its children only when recursive, and never its
    /// hidden ones.
    pub fn repr(&self, recursive: bool, now: i64) -> NodeExtern {
        let (expiration, ttl) = self.expiration_and_ttl(now);
        let mut out = NodeExtern {
            key: self.path.clone(),
            expiration,
            ttl,
            modified_index: self.modified_index,
            created_index: self.created_index,
            ..Default::default()
        };
        match &self.kind {
            Kind::File(v) => out.value = Some(v.clone()),
            Kind::Dir(children) => {
                out.dir = true;
                if recursive {
                    out.nodes = Some(visible_children(children, true, now));
                }
            }
        }
        out
    }

    /// etcd's `loadInternalNode` for a get: a directory always lists its (visible) children,
    /// each of which shows its own only when recursive.
    pub fn load(&self, key: String, recursive: bool, now: i64) -> NodeExtern {
        let (expiration, ttl) = self.expiration_and_ttl(now);
        let mut out = NodeExtern {
            key,
            expiration,
            ttl,
            modified_index: self.modified_index,
            created_index: self.created_index,
            ..Default::default()
        };
        match &self.kind {
            Kind::File(v) => out.value = Some(v.clone()),
            Kind::Dir(children) => {
                out.dir = true;
                out.nodes = Some(visible_children(children, recursive, now));
            }
        }
        out
    }

    /// This node and everything below it, deepest first (the order etcd removes them in), with
    /// each one's expiration so the caller can drop it from the TTL index.
    pub fn subtree_post_order(&self, out: &mut Vec<(String, Option<i64>)>) {
        if let Kind::Dir(children) = &self.kind {
            for child in children.values() {
                child.subtree_post_order(out);
            }
        }
        out.push((self.path.clone(), self.expire_at));
    }
}

fn visible_children(
    children: &BTreeMap<String, Node>,
    recursive: bool,
    now: i64,
) -> Vec<NodeExtern> {
    children
        .values()
        .filter(|c| !c.is_hidden())
        .map(|c| c.repr(recursive, now))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_rounds_up_like_etcd() {
        let mut n = Node::new_file("/a".into(), "v".into(), 1, Some(10 * NANOS_PER_SECOND));
        assert_eq!(n.expiration_and_ttl(0), (Some(10 * NANOS_PER_SECOND), 10));
        assert_eq!(n.expiration_and_ttl(1).1, 10);
        assert_eq!(n.expiration_and_ttl(NANOS_PER_SECOND - 1).1, 10);
        assert_eq!(n.expiration_and_ttl(NANOS_PER_SECOND).1, 9);
        assert_eq!(n.expiration_and_ttl(10 * NANOS_PER_SECOND).1, 0);
        // Past its expiration and not yet expired: Go's truncating division gives -1 here.
        assert_eq!(n.expiration_and_ttl(11 * NANOS_PER_SECOND + 5).1, -1);
        n.expire_at = None;
        assert_eq!(n.expiration_and_ttl(0), (None, 0));
    }

    #[test]
    fn hidden_is_by_last_name() {
        assert!(Node::new_dir("/a/_b".into(), 1, None).is_hidden());
        assert!(!Node::new_dir("/_a/b".into(), 1, None).is_hidden());
    }
}
