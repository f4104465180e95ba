//! The last changes (etcd's `EventHistory`), so a watch from a past index is answered from
//! memory.

use std::collections::VecDeque;

use crate::error::{V2Error, EVENT_INDEX_CLEARED};
use crate::event::{Action, Event};
use crate::path::go_clean;

pub(crate) struct History {
    events: VecDeque<Event>,
    capacity: usize,
    /// The index of the oldest event kept; 0 while nothing has been kept (as etcd's).
    start_index: u64,
    last_index: u64,
}

impl History {
    pub fn new(capacity: usize) -> History {
        History {
            events: VecDeque::with_capacity(capacity),
            capacity: capacity.max(1),
            start_index: 0,
            last_index: 0,
        }
    }

    pub fn add(&mut self, e: Event) {
        if self.events.len() == self.capacity {
            self.events.pop_front();
        }
        self.last_index = e.index();
        self.events.push_back(e);
        self.start_index = self.events.front().map_or(0, Event::index);
    }

    /// The first event at or after `index` that a watcher on `key` would see. Every change
    /// consumes one index and is kept here, so the event of `index` sits `index - start` from
    /// the front. The error's index is the caller's to fill in.
    pub fn scan(&self, key: &str, recursive: bool, index: u64) -> Result<Option<&Event>, V2Error> {
        if index < self.start_index {
            return Err(V2Error::new(
                EVENT_INDEX_CLEARED,
                format!(
                    "the requested history has been cleared [{}/{}]",
                    self.start_index, index
                ),
                0,
            ));
        }
        if index > self.last_index {
            return Ok(None);
        }
        let offset = usize::try_from(index - self.start_index).unwrap_or(usize::MAX);
        let prefix = {
            let mut k = go_clean(key);
            if !k.ends_with('/') {
                k.push('/');
            }
            k
        };
        Ok(self
            .events
            .iter()
            .skip(offset)
            .find(|e| !e.refresh && matches(e, key, recursive, &prefix)))
    }
}

fn matches(e: &Event, key: &str, recursive: bool, prefix: &str) -> bool {
    if e.node.key == key || (recursive && e.node.key.starts_with(prefix)) {
        return true;
    }
    // A deleted or expired directory takes everything below it along; etcd compares without a
    // trailing slash here, so a watch on `/foobar` also sees `/foo` go.
    matches!(e.action, Action::Delete | Action::Expire)
        && e.prev_node
            .as_ref()
            .is_some_and(|p| p.dir && key.starts_with(&p.key))
}
