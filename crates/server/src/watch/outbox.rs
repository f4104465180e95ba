//! [`Outbox`]: the queue between the hub (apply thread, sync thread) and one consumer (a watch
//! stream's send task or a [`Subscription`](super::Subscription)).
//!
//! Control messages (created, canceled, progress, compacted) always enter; event messages enter
//! only while the queue holds fewer than its bound, so a consumer that does not read can never
//! make the hub wait or grow memory without limit: its watchers are set aside instead and
//! caught up from the backend later.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use oxcd_proto::mvccpb::Event;
use oxcd_proto::watch_frame::SharedEvents;
use tokio::sync::Notify;

/// Deliveries (one watcher's events of a message) a consumer may have queued, whatever its
/// number of watchers.
const BASE_DELIVERIES: usize = 64;
/// Further deliveries allowed per watcher of the consumer: the revisions a watcher may have
/// queued while its consumer is not taking them. The queue has to ride out a consumer that is
/// kept off the CPU for a while, not only one that stopped reading: three members and their
/// clients sharing two cores left stream tasks unscheduled long enough that at 64, with 1,000
/// watchers taking 2,000 revisions a second, watchers were set aside in every run, and catching
/// them up from the backend cost their member up to 0.9 CPU seconds more. A delivery holds its
/// events' bytes shared with every other delivery of the revision, so a watcher's share of the
/// queue is small.
const DELIVERIES_PER_WATCHER: usize = 256;

/// The deliveries a consumer with `watchers` watchers may have queued.
pub(crate) const fn delivery_bound(watchers: usize) -> usize {
    BASE_DELIVERIES + DELIVERIES_PER_WATCHER * watchers
}

/// A message for the consumer. `watcher` is the hub's key of the watcher it concerns, so a
/// stream can tell a canceled watcher's leftovers from a new watcher that reuses its watch id.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Created {
        watch_id: i64,
        revision: i64,
    },
    /// One watcher's events: its selection of a revision's (filtered, or only some of them
    /// match), or history read from the backend.
    Events {
        watcher: u64,
        watch_id: i64,
        /// The header revision: the revision of the events (live) or the hub's revision when
        /// they were read from history, as etcd reports them.
        revision: i64,
        events: Vec<Event>,
        /// Read from the backend: the events carry no `prev_kv` yet.
        history: bool,
    },
    /// A revision's events, all of them, for each of `watchers` (hub key, watch id): one
    /// message for all the consumer's watchers that take the revision whole.
    Shared {
        revision: i64,
        events: Arc<SharedEvents>,
        watchers: Vec<(u64, i64)>,
    },
    /// The watcher's start revision was compacted away; the watcher is gone from the hub.
    Compacted {
        watcher: u64,
        watch_id: i64,
        compact_revision: i64,
    },
    /// Every event up to `revision` has been queued before this message (for `watch_id`, or for
    /// every watcher of the stream when `watch_id` is -1).
    Progress {
        watch_id: i64,
        revision: i64,
    },
    /// A stream's answer to a cancel request.
    Canceled {
        watch_id: i64,
        revision: i64,
    },
    /// A stream's answer to a create request it refused (etcd answers with watch id -1).
    Rejected {
        revision: i64,
        reason: String,
    },
}

impl Outgoing {
    /// The watchers the message delivers events to, each counting against the queue's bound.
    pub(crate) fn deliveries(&self) -> usize {
        match self {
            Outgoing::Events { .. } => 1,
            Outgoing::Shared { watchers, .. } => watchers.len(),
            _ => 0,
        }
    }

    /// The events the message delivers, counted once per watcher.
    pub(crate) fn event_count(&self) -> usize {
        match self {
            Outgoing::Events { events, .. } => events.len(),
            Outgoing::Shared {
                events, watchers, ..
            } => events.events().len() * watchers.len(),
            _ => 0,
        }
    }

    /// The events of a message for a consumer with one watcher (a subscription), `None` for
    /// any other message.
    pub(crate) fn into_events(self) -> Option<Vec<Event>> {
        match self {
            Outgoing::Events { events, .. } => Some(events),
            Outgoing::Shared { events, .. } => Some(SharedEvents::into_vec(events)),
            _ => None,
        }
    }
}

#[derive(Default)]
struct Queue {
    messages: VecDeque<Outgoing>,
    /// See [`Outgoing::deliveries`].
    deliveries: usize,
    closed: bool,
}

/// One consumer's queue.
///
/// Only a push into an empty queue wakes the consumer: a message joining others was queued
/// after a wake-up that the consumer has not yet answered with a take
/// ([`take_all`](Outbox::take_all) or [`take_into`](Outbox::take_into)), which takes it too
/// (pushes and takes hold the same lock). That spares the hub a wake-up per watcher when one
/// stream's watchers all match a revision.
#[derive(Default)]
pub(crate) struct Outbox {
    queue: Mutex<Queue>,
    ready: Notify,
    /// Watchers of this consumer registered in the hub (for the queue bound).
    pub(crate) watchers: AtomicUsize,
}

impl Outbox {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a control message; it is never refused (its number is bounded by the requests the
    /// consumer itself makes).
    pub(crate) fn push(&self, message: Outgoing) {
        let mut queue = self.queue();
        if queue.closed {
            return;
        }
        let was_empty = queue.messages.is_empty();
        queue.messages.push_back(message);
        self.unlock_and_wake(queue, was_empty);
    }

    /// Queues an event message unless the consumer is too far behind; `false` means the
    /// message was not queued.
    pub(crate) fn try_push_events(&self, message: Outgoing) -> bool {
        let mut delivered = true;
        self.try_push_events_all([message], |_| delivered = false);
        delivered
    }

    /// Queues event messages in order, each unless its deliveries would take the consumer past
    /// its bound, and hands `refused` each one not queued. The queue is locked once and the
    /// consumer woken at most once: the hub delivers a revision to all of a stream's watchers
    /// this way.
    pub(crate) fn try_push_events_all(
        &self,
        messages: impl IntoIterator<Item = Outgoing>,
        mut refused: impl FnMut(Outgoing),
    ) {
        let bound = delivery_bound(self.watchers.load(Ordering::Relaxed));
        let mut queue = self.queue();
        if queue.closed {
            // Nobody reads any more: pretend delivery, the watchers are about to be removed.
            return;
        }
        let was_empty = queue.messages.is_empty();
        for message in messages {
            let deliveries = message.deliveries();
            if queue.deliveries + deliveries > bound {
                refused(message);
                continue;
            }
            queue.deliveries += deliveries;
            queue.messages.push_back(message);
        }
        self.unlock_and_wake(queue, was_empty);
    }

    /// Unlocks `queue`, waking the consumer if it was empty before and is not now (see
    /// [`Outbox`]).
    fn unlock_and_wake(&self, queue: std::sync::MutexGuard<'_, Queue>, was_empty: bool) {
        let wake = was_empty && !queue.messages.is_empty();
        drop(queue);
        if wake {
            self.ready.notify_one();
        }
    }

    /// Messages queued.
    pub(crate) fn len(&self) -> usize {
        self.queue().messages.len()
    }

    /// Takes every queued message, oldest first.
    pub(crate) fn take_all(&self) -> VecDeque<Outgoing> {
        let mut taken = VecDeque::new();
        self.take_into(&mut taken);
        taken
    }

    /// Takes every queued message into `spare` (empty), handing the queue `spare`'s buffer in
    /// exchange, so that a consumer taking often does not grow a new queue each time.
    pub(crate) fn take_into(&self, spare: &mut VecDeque<Outgoing>) {
        debug_assert!(spare.is_empty());
        let mut queue = self.queue();
        queue.deliveries = 0;
        std::mem::swap(&mut queue.messages, spare);
    }

    /// Waits until something may have been queued (or [`poke`](Self::poke) was called) since the
    /// last [`take_all`](Self::take_all) or [`take_into`](Self::take_into).
    pub(crate) async fn ready(&self) {
        self.ready.notified().await;
    }

    /// Wakes the consumer without a message (a watcher became synced, the hub stopped).
    pub(crate) fn poke(&self) {
        self.ready.notify_one();
    }

    /// Refuses all further messages and drops those queued.
    pub(crate) fn close(&self) {
        let mut queue = self.queue();
        queue.closed = true;
        queue.messages.clear();
        queue.deliveries = 0;
        drop(queue);
        self.ready.notify_one();
    }
}
