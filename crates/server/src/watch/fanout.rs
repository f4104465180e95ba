//! How the applier hands one revision's events to the synced watchers they match: grouped by
//! consumer, so that each stream's queue is locked once per revision and the watchers that take
//! the revision whole share one message.

use std::sync::Arc;

use oxcd_proto::mvccpb::Event;
use oxcd_proto::watch_frame::SharedEvents;

use super::outbox::{Outbox, Outgoing};
use super::HubState;

/// Fans one revision's events out to the synced watchers they match.
pub(super) fn notify_revision(
    state: &mut HubState,
    revision: i64,
    shared: Arc<SharedEvents>,
    scratch: &mut Fanout,
) {
    let events = shared.events();
    // (watcher, index of a matching event), grouped by watcher in event order.
    let matches = &mut scratch.matches;
    matches.clear();
    for (i, event) in events.iter().enumerate() {
        let Some(kv) = &event.kv else { continue };
        if let Some(set) = state.by_key.get(kv.key.as_ref()) {
            matches.extend(set.iter().map(|&k| (k, i)));
        }
        state.ranges.covering(&kv.key, |k| matches.push((k, i)));
    }
    if events.len() > 1 {
        matches.sort_unstable();
    }
    let run = &mut scratch.run;
    let mut at = 0;
    while at < matches.len() {
        let key = matches[at].0;
        let mut end = at + 1;
        while end < matches.len() && matches[end].0 == key {
            end += 1;
        }
        let picked = &matches[at..end];
        at = end;
        let w = &state.watchers[&key];
        if w.next_rev > revision {
            continue; // a future start revision
        }
        let whole = picked.len() == events.len() && w.filters.is_empty();
        let message = if whole {
            None
        } else {
            let selected: Vec<Event> = picked
                .iter()
                .map(|&(_, i)| &events[i])
                .filter(|e| w.filters.keeps(e))
                .cloned()
                .collect();
            if selected.is_empty() {
                continue;
            }
            Some(Outgoing::Events {
                watcher: key,
                watch_id: w.watch_id,
                revision,
                events: selected,
                history: false,
            })
        };
        let watch_id = w.watch_id;
        if !run.is_for(&w.outbox) {
            let outbox = w.outbox.clone();
            run.deliver(state, revision, &shared);
            run.outbox = Some(outbox);
        }
        match message {
            Some(message) => run.messages.push(message),
            None => run.whole.push((key, watch_id)),
        }
    }
    run.deliver(state, revision, &shared);
}

/// What [`notify_revision`] reuses from one revision to the next of a batch.
#[derive(Default)]
pub(super) struct Fanout {
    matches: Vec<(u64, usize)>,
    run: Run,
}

/// One revision's messages for consecutive watchers of one consumer, queued together: a
/// stream's watchers of the same keys follow one another, so its outbox is locked once per
/// revision instead of once per watcher, and those that take the revision whole share one
/// message.
#[derive(Default)]
struct Run {
    outbox: Option<Arc<Outbox>>,
    /// The watchers (hub key, watch id) that take the revision's events whole.
    whole: Vec<(u64, i64)>,
    /// Messages for the watchers that take a selection.
    messages: Vec<Outgoing>,
}

impl Run {
    fn is_for(&self, outbox: &Arc<Outbox>) -> bool {
        self.outbox.as_ref().is_some_and(|o| Arc::ptr_eq(o, outbox))
    }

    /// Queues the run's messages; the watchers of a refused message (its consumer is too far
    /// behind) are set aside at `revision`.
    fn deliver(&mut self, state: &mut HubState, revision: i64, shared: &Arc<SharedEvents>) {
        let Some(outbox) = self.outbox.take() else {
            return;
        };
        if !self.whole.is_empty() {
            self.messages.push(Outgoing::Shared {
                revision,
                events: shared.clone(),
                watchers: std::mem::take(&mut self.whole),
            });
        }
        let queued: usize = self.messages.iter().map(Outgoing::event_count).sum();
        state.events_queued += queued as u64;
        outbox.try_push_events_all(self.messages.drain(..), |refused| {
            state.events_queued -= refused.event_count() as u64;
            match refused {
                Outgoing::Events { watcher, .. } => state.set_aside(watcher, revision),
                Outgoing::Shared { watchers, .. } => {
                    for (watcher, _) in watchers {
                        state.set_aside(watcher, revision);
                    }
                }
                _ => {}
            }
        });
    }
}
