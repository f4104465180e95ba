//! Watches: etcd's watchable store, its v3 `Watch` stream, and an in-process API for server-side
//! recipes (Lock, Election).
//!
//! The [`WatchHub`] holds every watcher of the member in two groups, as etcd's watchable store:
//! - **synced** watchers have been sent everything up to the hub's revision; the applier hands
//!   each committed batch's events to [`EventSink::committed`] once, and the hub fans them out
//!   to the matching synced watchers (a map by key for single keys, an interval tree for
//!   ranges);
//! - **unsynced** watchers (a start revision in the past, or a consumer that fell behind) are
//!   caught up by the sync thread from the backend with [`MvccStore::events_since`], in bounded
//!   batches (≤ 512 watchers and ≤ 1000 revisions per watcher per round), then join the synced
//!   group. The applier hands a batch to the hub before the backend publishes it, so the hub's
//!   revision may be ahead of the store's for that long: a watcher joins the synced group only
//!   once it has been read history up to the hub's revision.
//!
//! Invariants (all under the hub's one lock):
//! - A watcher's `next_rev` is the first revision it has not been sent. A synced watcher has
//!   been sent (queued) every matching event of revisions `< max(next_rev, rev + 1)`.
//! - Events reach a consumer's [`Outbox`] in revision order, a revision's events in one
//!   message; a watcher's `Created` message precedes its events.
//! - The apply thread never waits for a consumer: when a consumer's outbox is full its watcher
//!   is moved to the unsynced group at the revision it missed (etcd's slow "victims").

mod fanout;
pub(crate) mod outbox;
mod ranges;
pub(crate) mod selection;
pub mod stream;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use oxcd_proto::mvccpb::Event;
use oxcd_proto::watch_frame::SharedEvents;
use oxcd_storage::mvcc::{MvccError, MvccStore};

use crate::error::ServerError;
use crate::state::events::EventSink;
use outbox::{Outbox, Outgoing};
use ranges::RangeIndex;
pub(crate) use selection::{FastMap, FastSet};
use selection::{Filters, KeySpan};

/// Watchers caught up per sync round (etcd's maxWatchersPerSync).
const MAX_WATCHERS_PER_SYNC: usize = 512;
/// Revisions one watcher is sent per history batch (etcd's watchBatchMaxRevs).
const MAX_REVISIONS_PER_BATCH: usize = 1000;
/// Events read from the backend per sync round.
const MAX_EVENTS_PER_SYNC: usize = 2000;
/// How often the sync thread looks at the unsynced group when nobody wakes it (etcd: 100 ms).
const SYNC_INTERVAL: Duration = Duration::from_millis(100);

struct Watcher {
    span: KeySpan,
    filters: Filters,
    watch_id: i64,
    /// The first revision not yet sent.
    next_rev: i64,
    synced: bool,
    /// In the `unsynced` queue.
    queued: bool,
    outbox: Arc<Outbox>,
}

#[derive(Default)]
struct HubState {
    /// The revision of the last batch handed to the hub.
    rev: i64,
    next_key: u64,
    watchers: FastMap<u64, Watcher>,
    /// Synced single-key watchers by key.
    by_key: FastMap<Vec<u8>, FastSet<u64>>,
    /// Synced range watchers, by the keys they cover.
    ranges: RangeIndex,
    /// Unsynced watchers in the order they are served (entries of removed or synced watchers
    /// are skipped).
    unsynced: VecDeque<u64>,
    slow: usize,
    /// Events ever queued for consumers (etcd's `pending_events_total`, which only grows).
    events_queued: u64,
    sync_wanted: bool,
    /// The sync thread has read all the history the store has published and waits for the
    /// batch the hub is ahead with, which its publication wakes it for.
    awaits_publication: bool,
    stopped: bool,
}

impl HubState {
    fn add_synced(&mut self, key: u64) {
        let w = self.watchers.get_mut(&key).expect("watcher exists");
        w.synced = true;
        match &w.span {
            KeySpan::Single(k) => {
                self.by_key.entry(k.clone()).or_default().insert(key);
            }
            KeySpan::Range(start, end) => {
                self.ranges.insert(key, start, end);
            }
        }
    }

    fn remove_synced(&mut self, key: u64) {
        let Some(w) = self.watchers.get_mut(&key) else {
            return;
        };
        if !w.synced {
            return;
        }
        w.synced = false;
        match &w.span {
            KeySpan::Single(k) => {
                if let Some(set) = self.by_key.get_mut(k) {
                    set.remove(&key);
                    if set.is_empty() {
                        self.by_key.remove(k);
                    }
                }
            }
            KeySpan::Range(..) => {
                self.ranges.remove(key);
            }
        }
    }

    /// Moves a watcher to the unsynced group, to be sent revisions from `from` on.
    fn set_aside(&mut self, key: u64, from: i64) {
        self.remove_synced(key);
        let w = self.watchers.get_mut(&key).expect("watcher exists");
        w.next_rev = from;
        if !w.queued {
            w.queued = true;
            self.unsynced.push_back(key);
        }
        self.slow += 1;
        self.sync_wanted = true;
    }

    fn remove(&mut self, key: u64) -> Option<Watcher> {
        let was_synced = self.watchers.get(&key)?.synced;
        self.remove_synced(key);
        let w = self.watchers.remove(&key)?;
        if !was_synced {
            self.slow = self.slow.saturating_sub(1);
        }
        w.outbox.watchers.fetch_sub(1, Ordering::Relaxed);
        Some(w)
    }
}

/// Counts for `/metrics`, named as etcd names them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchStats {
    /// `etcd_debugging_mvcc_watcher_total`: watchers registered.
    pub watchers: usize,
    /// `etcd_debugging_mvcc_slow_watcher_total`: watchers not yet caught up.
    pub slow_watchers: usize,
    /// `etcd_debugging_mvcc_watch_stream_total`: open watch streams (gRPC and gateway).
    pub streams: usize,
    /// `etcd_debugging_mvcc_events_total`: events sent to watchers.
    pub events_sent: u64,
    /// `etcd_debugging_mvcc_pending_events_total`: events ever queued for watchers (as etcd
    /// counts it, it never goes down).
    pub events_queued: u64,
}

/// Every watcher of the member; see the module documentation.
pub struct WatchHub {
    store: Arc<MvccStore>,
    state: Mutex<HubState>,
    wake_sync: Condvar,
    progress_interval: Duration,
    streams: AtomicU64,
    events_sent: AtomicU64,
}

impl WatchHub {
    /// A hub at the store's current revision, with its sync thread. `progress_interval` is
    /// `--experimental-watch-progress-notify-interval`.
    pub fn start(store: Arc<MvccStore>, progress_interval: Duration) -> Arc<WatchHub> {
        let hub = WatchHub::without_sync_thread(store, progress_interval);
        let weak = Arc::downgrade(&hub);
        std::thread::Builder::new()
            .name("watch-sync".into())
            .spawn(move || sync_loop(weak))
            .expect("spawning the watch sync thread");
        hub
    }

    /// A hub whose owner runs [`WatchHub::sync_round`] itself (the simulator, on a member's
    /// ticks).
    pub(crate) fn without_sync_thread(
        store: Arc<MvccStore>,
        progress_interval: Duration,
    ) -> Arc<WatchHub> {
        Arc::new(WatchHub {
            state: Mutex::new(HubState {
                rev: store.current_revision(),
                ..HubState::default()
            }),
            store,
            wake_sync: Condvar::new(),
            progress_interval,
            streams: AtomicU64::new(0),
            events_sent: AtomicU64::new(0),
        })
    }

    fn state(&self) -> MutexGuard<'_, HubState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Events on `[key, range_end)` (etcd's reading of `key` / `range_end`) from `start_rev`
    /// (0 = after the current revision), in order: each item holds one revision's events (or,
    /// while catching up from history, several revisions'), without `prev_kv`.
    ///
    /// Fails with `mvcc: required revision has been compacted` when `start_rev` is below the
    /// compacted revision; a future `start_rev` waits for that revision. An empty range
    /// (`key >= range_end`) never yields anything.
    pub fn subscribe(
        self: &Arc<Self>,
        key: Vec<u8>,
        range_end: Vec<u8>,
        start_rev: i64,
    ) -> Result<Subscription, ServerError> {
        let outbox = Arc::new(Outbox::default());
        let Some(span) = KeySpan::new(&key, &range_end) else {
            return Ok(Subscription {
                hub: self.clone(),
                outbox,
                watcher: None,
                pending: VecDeque::new(),
                done: false,
            });
        };
        if start_rev > 0 && start_rev < self.store.compact_revision() {
            return Err(ServerError::Mvcc(MvccError::Compacted));
        }
        let (watcher, _) = self.watch(span, Filters::default(), start_rev, 0, &outbox);
        Ok(Subscription {
            hub: self.clone(),
            outbox,
            watcher: Some(watcher),
            pending: VecDeque::new(),
            done: false,
        })
    }

    /// Registers a watcher and queues its `Created` message; returns its key and the hub's
    /// revision at creation (the created response's header revision).
    pub(crate) fn watch(
        &self,
        span: KeySpan,
        filters: Filters,
        start_rev: i64,
        watch_id: i64,
        outbox: &Arc<Outbox>,
    ) -> (u64, i64) {
        let mut state = self.state();
        let rev = state.rev;
        let key = state.next_key;
        state.next_key += 1;
        // A negative start revision replays everything still in history.
        let start_rev = if start_rev < 0 { 1 } else { start_rev };
        let synced = start_rev == 0 || start_rev > rev;
        outbox.watchers.fetch_add(1, Ordering::Relaxed);
        state.watchers.insert(
            key,
            Watcher {
                span,
                filters,
                watch_id,
                next_rev: if synced {
                    start_rev.max(rev + 1)
                } else {
                    start_rev
                },
                synced: false,
                queued: false,
                outbox: outbox.clone(),
            },
        );
        outbox.push(Outgoing::Created {
            watch_id,
            revision: rev,
        });
        if synced {
            state.add_synced(key);
        } else {
            state.set_aside(key, start_rev);
            drop(state);
            self.wake_sync.notify_one();
        }
        (key, rev)
    }

    /// Removes a watcher; `false` if it was already gone (compacted, or removed before).
    pub(crate) fn cancel(&self, watcher: u64) -> bool {
        self.state().remove(watcher).is_some()
    }

    /// The hub's revision: every event up to it has been handed to the hub.
    pub(crate) fn revision(&self) -> i64 {
        self.state().rev
    }

    /// Queues a progress notification for `watcher` if it is synced (etcd's RequestProgress).
    pub(crate) fn progress_one(&self, watcher: u64) {
        let state = self.state();
        if let Some(w) = state.watchers.get(&watcher) {
            if w.synced {
                w.outbox.push(Outgoing::Progress {
                    watch_id: w.watch_id,
                    revision: state.rev,
                });
            }
        }
    }

    /// Queues a stream-wide progress notification (watch id -1) if every one of `watchers` is
    /// synced, so that it follows every event up to its revision; `false` if one is not.
    pub(crate) fn progress_all(&self, outbox: &Outbox, watchers: &[u64]) -> bool {
        let state = self.state();
        let all_synced = watchers
            .iter()
            .all(|k| state.watchers.get(k).is_none_or(|w| w.synced));
        if all_synced {
            outbox.push(Outgoing::Progress {
                watch_id: -1,
                revision: state.rev,
            });
        }
        all_synced
    }

    pub(crate) fn progress_interval(&self) -> Duration {
        self.progress_interval
    }

    pub(crate) fn store(&self) -> &Arc<MvccStore> {
        &self.store
    }

    pub(crate) fn stream_opened(&self) {
        self.streams.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn stream_closed(&self) {
        self.streams.fetch_sub(1, Ordering::Relaxed);
    }

    pub(crate) fn count_sent(&self, events: usize) {
        self.events_sent.fetch_add(events as u64, Ordering::Relaxed);
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.state().stopped
    }

    /// Ends every subscription and stream (they see the end of their events) and the sync
    /// thread.
    pub fn stop(&self) {
        let mut state = self.state();
        state.stopped = true;
        let keys: Vec<u64> = state.watchers.keys().copied().collect();
        for key in keys {
            if let Some(w) = state.remove(key) {
                w.outbox.poke();
            }
        }
        drop(state);
        self.wake_sync.notify_all();
    }

    pub fn stats(&self) -> WatchStats {
        let state = self.state();
        WatchStats {
            watchers: state.watchers.len(),
            slow_watchers: state.slow,
            streams: self.streams.load(Ordering::Relaxed) as usize,
            events_sent: self.events_sent.load(Ordering::Relaxed),
            events_queued: state.events_queued,
        }
    }

    /// One round of catching up unsynced watchers from the backend. Returns whether watchers
    /// that can make progress remain unsynced.
    pub(crate) fn sync_round(&self) -> bool {
        let compacted = self.store.compact_revision();
        // Choose the watchers and the oldest revision any of them needs.
        let (chosen, min_rev) = {
            let mut state = self.state();
            let mut chosen = Vec::new();
            let mut min_rev = i64::MAX;
            let mut budget = state.unsynced.len();
            while chosen.len() < MAX_WATCHERS_PER_SYNC && budget > 0 {
                budget -= 1;
                let Some(key) = state.unsynced.pop_front() else {
                    break;
                };
                let Some(w) = state.watchers.get_mut(&key) else {
                    continue;
                };
                w.queued = false;
                if w.synced {
                    continue;
                }
                if w.next_rev < compacted {
                    // etcd: the watcher gets the compacted revision and is dropped from the
                    // store; its id stays on the stream until the client cancels it.
                    let (watch_id, outbox) = (w.watch_id, w.outbox.clone());
                    state.remove(key);
                    outbox.push(Outgoing::Compacted {
                        watcher: key,
                        watch_id,
                        compact_revision: compacted,
                    });
                    continue;
                }
                min_rev = min_rev.min(w.next_rev);
                chosen.push(key);
            }
            (chosen, min_rev)
        };
        if chosen.is_empty() {
            return false;
        }
        let (events, last) = match self.store.events_since(min_rev, MAX_EVENTS_PER_SYNC) {
            Ok(read) => read,
            Err(MvccError::Compacted) => {
                // Compacted since the check: the next round reports it to the watchers.
                let mut state = self.state();
                for key in chosen {
                    requeue(&mut state, key);
                }
                return true;
            }
            Err(e) => {
                tracing::error!(error = %e, "watch: reading history failed");
                let mut state = self.state();
                for key in chosen {
                    requeue(&mut state, key);
                }
                return false;
            }
        };
        let mut state = self.state();
        let hub_rev = state.rev;
        // Revisions after the hub's are sent live to synced watchers: never send them here too.
        let upto = last.min(hub_rev);
        // The hub is ahead of what the store has published (the applier announces a batch
        // before it commits it): the rest can be read once it lands, not by reading again now.
        // Checked under the hub's lock, which `published` takes after the store moved on.
        let store_behind = last < hub_rev && last >= self.store.current_revision();
        state.awaits_publication |= store_behind;
        let mut progress = false;
        for key in chosen {
            let Some(w) = state.watchers.get(&key) else {
                continue;
            };
            if w.synced {
                continue;
            }
            let (selected, next) = select_history(w, &events, upto);
            if !selected.is_empty() {
                let queued = selected.len() as u64;
                let delivered = w.outbox.try_push_events(Outgoing::Events {
                    watcher: key,
                    watch_id: w.watch_id,
                    revision: hub_rev,
                    events: selected,
                    history: true,
                });
                if !delivered {
                    requeue(&mut state, key);
                    continue;
                }
                state.events_queued += queued;
                progress = true;
            }
            let w = state.watchers.get_mut(&key).expect("checked above");
            w.next_rev = w.next_rev.max(next);
            if w.next_rev > hub_rev {
                state.slow = state.slow.saturating_sub(1);
                state.add_synced(key);
                // A deferred stream-wide progress request may be waiting for this.
                state.watchers[&key].outbox.poke();
            } else {
                progress |= !store_behind;
                requeue(&mut state, key);
            }
        }
        progress
    }
}

fn requeue(state: &mut HubState, key: u64) {
    if let Some(w) = state.watchers.get_mut(&key) {
        if !w.synced && !w.queued {
            w.queued = true;
            state.unsynced.push_back(key);
        }
    }
}

/// The events of `events` (read from `w.next_rev`'s neighbourhood on) that `w` is owed, up to
/// revision `upto` and at most [`MAX_REVISIONS_PER_BATCH`] revisions; and the revision to
/// continue from.
fn select_history(w: &Watcher, events: &[Event], upto: i64) -> (Vec<Event>, i64) {
    let mut selected = Vec::new();
    let mut revisions = 0;
    let mut last_rev = 0;
    for event in events {
        let Some(kv) = &event.kv else { continue };
        let rev = kv.mod_revision;
        if rev < w.next_rev {
            continue;
        }
        if rev > upto {
            break;
        }
        if rev != last_rev {
            if revisions == MAX_REVISIONS_PER_BATCH {
                return (selected, rev);
            }
            revisions += 1;
            last_rev = rev;
        }
        if w.span.contains(&kv.key) && w.filters.keeps(event) {
            selected.push(event.clone());
        }
    }
    (selected, upto + 1)
}

impl EventSink for WatchHub {
    fn committed(&self, revision: i64, events: &[Event]) {
        let mut state = self.state();
        // Without a synced watcher nothing matches: the events are not copied into groups.
        let any_synced = !state.by_key.is_empty() || !state.ranges.is_empty();
        let mut scratch = fanout::Fanout::default();
        let mut start = 0;
        while any_synced && start < events.len() {
            let rev = events[start].kv.as_ref().map_or(0, |kv| kv.mod_revision);
            let mut end = start + 1;
            while end < events.len()
                && events[end].kv.as_ref().map_or(0, |kv| kv.mod_revision) == rev
            {
                end += 1;
            }
            let group = Arc::new(SharedEvents::new(events[start..end].to_vec()));
            fanout::notify_revision(&mut state, rev, group, &mut scratch);
            start = end;
        }
        state.rev = state.rev.max(revision);
        let wake = state.sync_wanted;
        drop(state);
        if wake {
            self.wake_sync.notify_one();
        }
    }

    fn published(&self) {
        let mut state = self.state();
        if std::mem::take(&mut state.awaits_publication) {
            state.sync_wanted = true;
            drop(state);
            self.wake_sync.notify_one();
        }
    }

    /// The store was replaced by a snapshot from the leader: the revisions between the hub's
    /// and the snapshot's never passed through [`EventSink::committed`], so every synced
    /// watcher that has not seen them is caught up from the new store's history (or told that
    /// it was compacted), as etcd's watchable store does on a restore.
    fn restored(&self, revision: i64) {
        #[cfg(test)]
        if planted::RESTORE_UNANNOUNCED.with(std::cell::Cell::get) {
            return;
        }
        let mut state = self.state();
        // A synced watcher has seen every revision up to the hub's (or waits for a later
        // start revision).
        let seen = state.rev;
        state.rev = state.rev.max(revision);
        let mut behind: Vec<(u64, i64)> = state
            .watchers
            .iter()
            .filter(|(_, w)| w.synced)
            .map(|(key, w)| (*key, w.next_rev.max(seen + 1)))
            .filter(|(_, from)| *from <= revision)
            .collect();
        // In creation order, so catching up serves the oldest watchers first.
        behind.sort_unstable();
        for (key, from) in behind {
            state.set_aside(key, from);
        }
        drop(state);
        self.wake_sync.notify_one();
    }
}

/// Bugs the simulator's own test plants, to show it finds them.
#[cfg(test)]
pub mod planted {
    thread_local! {
        /// The hub ignores a snapshot restore, as it did before the simulation found it.
        pub static RESTORE_UNANNOUNCED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
}

/// The sync thread: catches up unsynced watchers, woken when one appears and every
/// [`SYNC_INTERVAL`]; ends when the hub is dropped or stopped.
fn sync_loop(hub: Weak<WatchHub>) {
    loop {
        let Some(hub) = hub.upgrade() else { return };
        let more = hub.sync_round();
        let mut state = hub.state();
        if state.stopped {
            return;
        }
        if !more && !state.sync_wanted {
            state = hub
                .wake_sync
                .wait_timeout(state, SYNC_INTERVAL)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.sync_wanted = false;
    }
}

/// An in-process watch (see [`WatchHub::subscribe`]); dropping it cancels the watch.
pub struct Subscription {
    hub: Arc<WatchHub>,
    outbox: Arc<Outbox>,
    /// `None` for an empty range.
    watcher: Option<u64>,
    pending: VecDeque<Outgoing>,
    done: bool,
}

impl Subscription {
    /// The next revision's events (or several revisions' while catching up), in order, without
    /// `prev_kv`; `None` once the hub stops, or if the watch fell behind a compaction (it is
    /// over then).
    pub async fn next(&mut self) -> Option<Vec<Event>> {
        loop {
            if self.done {
                return None;
            }
            while let Some(message) = self.pending.pop_front() {
                if let Outgoing::Compacted { .. } = message {
                    self.done = true;
                    self.watcher = None;
                    return None;
                }
                if let Some(mut events) = message.into_events() {
                    for e in &mut events {
                        e.prev_kv = None;
                    }
                    return Some(events);
                }
            }
            self.pending = self.outbox.take_all();
            if self.pending.is_empty() {
                if self.hub.is_stopped() {
                    self.done = true;
                    return None;
                }
                self.outbox.ready().await;
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(watcher) = self.watcher.take() {
            self.hub.cancel(watcher);
        }
        self.outbox.close();
    }
}

#[cfg(test)]
mod tests;
