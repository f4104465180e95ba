//! Watchers and the event history (etcd's `watcherHub` and `EventHistory`).

use std::collections::HashMap;

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

use crate::error::V2Error;
use crate::event::Event;
use crate::history::History;

/// How many events a watcher may fall behind before it is dropped (etcd's channel size).
pub(crate) const WATCHER_CAPACITY: usize = 100;
/// How many past events a watch can start from (etcd's `newWatchHub(1000)`).
pub(crate) const HISTORY_CAPACITY: usize = 1000;

/// A registered watch: its events arrive on `events`; dropping it unregisters it (the hub drops
/// watchers whose receiver is gone). A non-stream watcher gets one event; a watcher that falls
/// 100 events behind is dropped (its channel closes), as in etcd.
pub struct Watcher {
    /// The etcd index when the watch was made (etcd answers a wait with it in `X-Etcd-Index`).
    pub start_index: u64,
    pub events: mpsc::Receiver<Event>,
}

struct Registered {
    tx: mpsc::Sender<Event>,
    recursive: bool,
    stream: bool,
    since_index: u64,
}

pub(crate) struct WatcherHub {
    /// Watchers by the clean path they watch, oldest first.
    watchers: HashMap<String, Vec<Registered>>,
    history: History,
    /// Stream watchers answered from the history: etcd never registers them, yet leaves their
    /// channel open, so the stream stays open with nothing more to say until the reader leaves.
    parked: Vec<mpsc::Sender<Event>>,
}

impl WatcherHub {
    pub fn new() -> WatcherHub {
        WatcherHub {
            watchers: HashMap::new(),
            history: History::new(HISTORY_CAPACITY),
            parked: Vec::new(),
        }
    }

    pub fn watch(
        &mut self,
        key: &str,
        recursive: bool,
        stream: bool,
        since_index: u64,
        store_index: u64,
    ) -> Result<Watcher, V2Error> {
        let found = self
            .history
            .scan(key, recursive, since_index)
            .map_err(|mut e| {
                e.index = store_index;
                e
            })?;
        let (tx, rx) = mpsc::channel(WATCHER_CAPACITY);
        let watcher = Watcher {
            start_index: store_index,
            events: rx,
        };
        if let Some(event) = found {
            let mut ev = event.clone();
            ev.etcd_index = store_index;
            // A fresh channel has room for one event.
            let _ = tx.try_send(ev);
            if stream {
                self.parked.retain(|p| !p.is_closed());
                self.parked.push(tx);
            }
            return Ok(watcher);
        }
        self.watchers
            .entry(key.to_string())
            .or_default()
            .push(Registered {
                tx,
                recursive,
                stream,
                since_index,
            });
        Ok(watcher)
    }

    /// Keeps a change in the history without telling anyone (a TTL refresh).
    pub fn add(&mut self, e: &Event) {
        self.history.add(e.clone());
    }

    /// Keeps a change in the history and tells the watchers of its key and of every directory
    /// above it.
    pub fn notify(&mut self, e: &Event) {
        self.history.add(e.clone());
        self.parked.retain(|p| !p.is_closed());
        let mut curr = String::from("/");
        self.notify_watchers(e, &curr, false);
        for seg in e.node.key.split('/').filter(|s| !s.is_empty()) {
            curr = crate::path::child_path(&curr, seg);
            self.notify_watchers(e, &curr, false);
        }
    }

    /// Tells the watchers of `path` about `e`; `deleted` when the node at `path` went with it
    /// (they hear about it even when not recursive).
    pub fn notify_watchers(&mut self, e: &Event, path: &str, deleted: bool) {
        let Some(list) = self.watchers.get_mut(path) else {
            return;
        };
        let original = e.node.key == path;
        let visible = original || !is_hidden(path, &e.node.key);
        list.retain(|w| {
            if w.tx.is_closed() {
                return false;
            }
            if !(visible && (w.recursive || original || deleted) && e.index() >= w.since_index) {
                return true;
            }
            match w.tx.try_send(e.clone()) {
                Ok(()) => w.stream,
                // Fell behind (or left): dropping the sender closes its channel.
                Err(TrySendError::Full(_)) | Err(TrySendError::Closed(_)) => false,
            }
        });
        if list.is_empty() {
            self.watchers.remove(path);
        }
    }

    /// Registered watchers whose reader is still there.
    pub fn count(&self) -> usize {
        self.watchers
            .values()
            .flatten()
            .filter(|w| !w.tx.is_closed())
            .count()
    }
}

/// Whether the change at `key_path` is below a hidden name as seen from `watch_path` (etcd's
/// `isHidden`): a watcher only hears about hidden keys below what it watches if it watches them
/// by name.
pub(crate) fn is_hidden(watch_path: &str, key_path: &str) -> bool {
    // A deleted directory notifies the watchers of the paths below it, deeper than its key.
    if watch_path.len() > key_path.len() {
        return false;
    }
    let rest = String::from_utf8_lossy(&key_path.as_bytes()[watch_path.len()..]);
    crate::path::go_clean(&format!("/{rest}")).contains("/_")
}

#[cfg(test)]
mod tests {
    use super::is_hidden;

    #[test]
    fn hidden_as_etcd_decides() {
        assert!(is_hidden("/", "/_foo"));
        assert!(!is_hidden("/_foo", "/_foo"));
        assert!(!is_hidden("/_foo", "/_foo/foo"));
        assert!(is_hidden("/_foo", "/_foo/_foo"));
        assert!(!is_hidden("_foo/foo", "/_foo/"));
        assert!(is_hidden("/foo", "/foo/_bar/baz"));
        assert!(!is_hidden("/_foo/bar", "/_foo/bar/baz"));
    }
}
