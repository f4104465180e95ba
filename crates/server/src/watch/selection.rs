//! Which events a watcher takes: the keys it covers and the event types it filters out, and
//! the maps the hub and the streams find watchers in.

use std::collections::{HashMap, HashSet};

use oxcd_proto::mvccpb::{event::EventType, Event};

/// The hub's and the streams' maps, looked up once per watcher per event on the fan-out path:
/// foldhash is several times faster than SipHash there. It is seeded per process, which makes
/// keys chosen by clients (watch ids, watched keys) hard to aim at one bucket, though it claims
/// only minimal resistance to that, not SipHash's.
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type FastSet<K> = HashSet<K, foldhash::fast::RandomState>;

/// Which keys a watcher covers, as etcd reads `key` and `range_end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeySpan {
    /// Exactly `key`.
    Single(Vec<u8>),
    /// `[key, end)`; `end` empty means every key from `key` on.
    Range(Vec<u8>, Vec<u8>),
}

impl KeySpan {
    /// etcd's reading of a create request: an empty key is `\0`, an empty end a single key,
    /// `\0` every key from `key` on. `None` when the range is empty (`key >= end`).
    pub(crate) fn new(key: &[u8], range_end: &[u8]) -> Option<KeySpan> {
        let key = if key.is_empty() {
            vec![0]
        } else {
            key.to_vec()
        };
        match range_end {
            [] => Some(KeySpan::Single(key)),
            [0] => Some(KeySpan::Range(key, Vec::new())),
            end if key.as_slice() < end => Some(KeySpan::Range(key, end.to_vec())),
            _ => None,
        }
    }

    pub(crate) fn contains(&self, k: &[u8]) -> bool {
        match self {
            KeySpan::Single(key) => key == k,
            KeySpan::Range(key, end) => {
                key.as_slice() <= k && (end.is_empty() || k < end.as_slice())
            }
        }
    }
}

/// Event types a watcher does not want (etcd's NOPUT / NODELETE filters).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Filters {
    pub(crate) no_put: bool,
    pub(crate) no_delete: bool,
}

impl Filters {
    pub(crate) fn keeps(&self, event: &Event) -> bool {
        if event.r#type == EventType::Delete as i32 {
            !self.no_delete
        } else {
            !self.no_put
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        !self.no_put && !self.no_delete
    }
}
