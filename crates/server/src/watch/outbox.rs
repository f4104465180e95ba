//! [`Outbox`]: the queue between the hub (apply thread, sync thread) and one consumer (a watch
//! stream's send task or a [`Subscription`](super::Subscription)).
//!
//! Control messages (created, canceled, progress, compacted) always enter; event messages enter
//! only while the queue holds fewer than its bound, so a consumer that does not read can never
//! make the hub wait or grow memory without limit: its watchers are set aside instead and
//! caught up from the backend later.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use bytes::Bytes;
use oxcd_proto::mvccpb::Event;
use prost::encoding;
use prost::Message;
use tokio::sync::Notify;

/// Event messages a consumer may have queued, whatever its number of watchers.
const BASE_EVENT_MESSAGES: usize = 256;
/// Further event messages allowed per watcher of the consumer.
const EVENT_MESSAGES_PER_WATCHER: usize = 64;

/// One revision's events as the hub fans them out, shared by every watcher that takes them all
/// unfiltered (so fan-out does not copy them on the apply thread), with their wire form made
/// once, by the first stream that sends them, for all the others.
#[derive(Debug)]
pub(crate) struct SharedEvents {
    events: Vec<Event>,
    wire: OnceLock<Vec<EncodedEvent>>,
}

impl SharedEvents {
    pub(crate) fn new(events: Vec<Event>) -> SharedEvents {
        SharedEvents {
            events,
            wire: OnceLock::new(),
        }
    }

    pub(crate) fn events(&self) -> &[Event] {
        &self.events
    }

    /// Each event encoded, in order.
    pub(crate) fn encoded(&self) -> &[EncodedEvent] {
        self.wire
            .get_or_init(|| self.events.iter().map(EncodedEvent::new).collect())
    }
}

/// An encoded `mvccpb.Event`. prost writes its fields in number order and `prev_kv` (3) is the
/// last, so the encoding without `prev_kv` is a prefix of the one with it: one buffer serves
/// watchers that asked for `prev_kv` and those that did not.
#[derive(Debug, Clone)]
pub(crate) struct EncodedEvent {
    with_prev_kv: Bytes,
    without_prev_kv: usize,
}

impl EncodedEvent {
    pub(crate) fn new(event: &Event) -> EncodedEvent {
        let with_prev_kv = event.encode_to_vec();
        let prev_kv_len = event
            .prev_kv
            .as_ref()
            .map_or(0, |prev_kv| encoding::message::encoded_len(3, prev_kv));
        EncodedEvent {
            without_prev_kv: with_prev_kv.len() - prev_kv_len,
            with_prev_kv: with_prev_kv.into(),
        }
    }

    /// The event's encoding, with its `prev_kv` or without.
    pub(crate) fn bytes(&self, prev_kv: bool) -> Bytes {
        if prev_kv {
            self.with_prev_kv.clone()
        } else {
            self.with_prev_kv.slice(..self.without_prev_kv)
        }
    }
}

/// The events of one delivery: one revision's shared by the watchers that take them all, or a
/// watcher's own selection.
#[derive(Debug, Clone)]
pub(crate) enum Batch {
    Shared(Arc<SharedEvents>),
    Owned(Vec<Event>),
}

impl Batch {
    pub(crate) fn events(&self) -> &[Event] {
        match self {
            Batch::Shared(shared) => shared.events(),
            Batch::Owned(events) => events,
        }
    }

    pub(crate) fn into_vec(self) -> Vec<Event> {
        match self {
            Batch::Shared(shared) => match Arc::try_unwrap(shared) {
                Ok(shared) => shared.events,
                Err(shared) => shared.events.clone(),
            },
            Batch::Owned(events) => events,
        }
    }
}

/// A message for the consumer. `watcher` is the hub's key of the watcher it concerns, so a
/// stream can tell a canceled watcher's leftovers from a new watcher that reuses its watch id.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Created {
        watch_id: i64,
        revision: i64,
    },
    Events {
        watcher: u64,
        watch_id: i64,
        /// The header revision: the revision of the events (live) or the hub's revision when
        /// they were read from history, as etcd reports them.
        revision: i64,
        events: Batch,
        /// Read from the backend: the events carry no `prev_kv` yet.
        history: bool,
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

#[derive(Default)]
struct Queue {
    messages: VecDeque<Outgoing>,
    event_messages: usize,
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
        let queue = self.queue();
        if queue.closed {
            return;
        }
        self.enqueue(queue, message);
    }

    /// Queues an event message unless the consumer is too far behind; `false` means the
    /// message was not queued.
    pub(crate) fn try_push_events(&self, message: Outgoing) -> bool {
        let bound = BASE_EVENT_MESSAGES
            + EVENT_MESSAGES_PER_WATCHER * self.watchers.load(Ordering::Relaxed);
        let mut queue = self.queue();
        if queue.closed {
            // Nobody reads any more: pretend delivery, the watcher is about to be removed.
            return true;
        }
        if queue.event_messages >= bound {
            return false;
        }
        queue.event_messages += 1;
        self.enqueue(queue, message);
        true
    }

    /// Appends `message` to the locked `queue`, waking the consumer if it was empty (see
    /// [`Outbox`]).
    fn enqueue(&self, mut queue: std::sync::MutexGuard<'_, Queue>, message: Outgoing) {
        let wake = queue.messages.is_empty();
        queue.messages.push_back(message);
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
        queue.event_messages = 0;
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
        queue.event_messages = 0;
        drop(queue);
        self.ready.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxcd_proto::mvccpb::{event::EventType, KeyValue};

    #[test]
    fn an_encoded_event_is_prosts_encoding_with_and_without_prev_kv() {
        let kv = |rev: i64, value: &str| KeyValue {
            key: Bytes::from_static(b"key"),
            value: Bytes::from(value.to_string()),
            create_revision: 2,
            mod_revision: rev,
            version: rev - 1,
            lease: 7,
        };
        for r#type in [EventType::Put, EventType::Delete] {
            for prev in [None, Some(kv(4, "before"))] {
                let event = Event {
                    r#type: r#type as i32,
                    kv: Some(kv(5, "after")),
                    prev_kv: prev,
                };
                let encoded = EncodedEvent::new(&event);
                assert_eq!(encoded.bytes(true), event.encode_to_vec());
                let without = Event {
                    prev_kv: None,
                    ..event.clone()
                };
                assert_eq!(encoded.bytes(false), without.encode_to_vec());
            }
        }
    }
}
