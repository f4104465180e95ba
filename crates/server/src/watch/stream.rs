//! One v3 `Watch` stream, as etcd's `serverWatchStream` serves it: create, cancel and progress
//! requests in; created, canceled, event and progress responses out, on one gRPC stream or one
//! gateway HTTP response.
//!
//! Two tasks per stream: the receive task registers and cancels watchers; the send task drains
//! the stream's [`Outbox`], fills in headers and `prev_kv`, fragments, and ticks progress
//! notifications. The stream ends when the client goes away (or the receive side fails); a
//! half-closed request side keeps it open, as in etcd. Ending it removes its watchers.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oxcd_proto::etcdserverpb::watch_create_request::FilterType;
use oxcd_proto::etcdserverpb::watch_request::RequestUnion;
use oxcd_proto::etcdserverpb::{
    RangeRequest, ResponseHeader, WatchCancelRequest, WatchCreateRequest, WatchRequest,
    WatchResponse,
};
use oxcd_proto::mvccpb::{event::EventType, Event};
use oxcd_proto::watch_frame::{EncodedEvent, FrameEvents, FramePart, WatchFrame};
use tokio::sync::mpsc;
use tokio_stream::{Stream, StreamExt};
use tonic::Status;

use super::outbox::{Outbox, Outgoing};
use super::selection::{Filters, KeySpan};
use super::{FastMap, WatchHub};
use crate::error::AuthError;
use crate::state::auth::{AuthStore, Credentials};
use crate::status::Headers;

/// Rounds of responses buffered between the send task and the transport: one being written
/// and one ready. A stream the client reads slowly soon stops its send task, and the hub then
/// sets its watchers aside once their outbox fills.
const RESPONSE_ROUNDS: usize = 2;
/// Control messages a client may have waiting before its further requests wait.
const CONTROL_BACKLOG: usize = 4096;

/// etcd's error texts for refused create requests.
const ERR_DUPLICATE_ID: &str = "mvcc: duplicate watch ID provided on the WatchStream";
const ERR_EMPTY_RANGE: &str = "mvcc: watcher range is empty";

struct WatchEntry {
    /// The hub's key of the watcher.
    watcher: u64,
    prev_kv: bool,
    fragment: bool,
    progress_notify: bool,
    /// No events sent since the last progress tick.
    idle: bool,
    /// The user the watch was created for (`None`: anonymous), whose read access to `span` is
    /// checked again before events go out whenever the auth store changed.
    user: Option<String>,
    span: (Vec<u8>, Vec<u8>),
    auth_generation: u64,
}

#[derive(Default)]
struct Watches {
    by_id: FastMap<i64, WatchEntry>,
    /// etcd's `nextID` for server-assigned ids.
    next_id: i64,
    /// A progress request waits for every watcher to be synced.
    deferred_progress: bool,
}

struct StreamCtx {
    headers: Headers,
    /// Fragmented responses are cut below this size (etcd: `--max-request-bytes` plus gRPC's
    /// framing allowance).
    max_fragment_bytes: usize,
    hub: Arc<WatchHub>,
    outbox: Arc<Outbox>,
    watches: Mutex<Watches>,
    closed: AtomicBool,
    auth: StreamAuth,
}

/// What the stream's watches are checked against: the credentials the stream was opened with,
/// judged by the auth store at every create (etcd's isWatchPermitted) and again, for the user
/// they named, whenever the store changes (a revoked permission cancels the watch before any
/// further event is sent).
pub struct StreamAuth {
    pub store: Arc<AuthStore>,
    pub credentials: Credentials,
}

/// Serves one watch stream on `hub`: `requests` are the client's, the returned stream the
/// responses, stamped with `headers`.
pub fn serve_stream<S>(
    hub: Arc<WatchHub>,
    headers: Headers,
    max_fragment_bytes: usize,
    auth: StreamAuth,
    mut requests: S,
) -> Responses
where
    S: Stream<Item = Result<WatchRequest, Status>> + Send + Unpin + 'static,
{
    hub.stream_opened();
    let ctx = Arc::new(StreamCtx {
        headers,
        max_fragment_bytes,
        hub,
        outbox: Arc::new(Outbox::default()),
        watches: Mutex::new(Watches::default()),
        closed: AtomicBool::new(false),
        auth,
    });
    let (tx, rx) = mpsc::channel(RESPONSE_ROUNDS);
    let receiver = ctx.clone();
    let recv_task = tokio::spawn(async move {
        while let Some(item) = requests.next().await {
            let Ok(request) = item else { break };
            while receiver.outbox.len() > CONTROL_BACKLOG && !receiver.is_closed() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            receiver.handle(request);
        }
        // A half-closed stream stays open (etcd's recvLoop returns nil on EOF); an error
        // ends it.
    });
    tokio::spawn(async move {
        ctx.send_loop(&tx).await;
        recv_task.abort();
        ctx.shutdown();
    });
    Responses {
        rounds: rx,
        current: Vec::new().into_iter(),
    }
}

/// A watch stream's responses, taken by the transport one at a time from the rounds the send
/// task hands over whole (one channel send per round, not per response).
pub struct Responses {
    rounds: mpsc::Receiver<Vec<WatchFrame>>,
    current: std::vec::IntoIter<WatchFrame>,
}

impl Stream for Responses {
    type Item = Result<WatchFrame, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(frame) = self.current.next() {
                return Poll::Ready(Some(Ok(frame)));
            }
            match std::task::ready!(self.rounds.poll_recv(cx)) {
                Some(round) => self.current = round.into_iter(),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl StreamCtx {
    fn watches(&self) -> MutexGuard<'_, Watches> {
        self.watches.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }

    fn handle(&self, request: WatchRequest) {
        match request.request_union {
            Some(RequestUnion::CreateRequest(create)) => self.create(create),
            Some(RequestUnion::CancelRequest(WatchCancelRequest { watch_id })) => {
                self.cancel(watch_id)
            }
            Some(RequestUnion::ProgressRequest(_)) => self.request_progress(),
            None => {}
        }
    }

    fn create(&self, mut create: WatchCreateRequest) {
        let mut watches = self.watches();
        let reject = |reason: &str| {
            self.outbox.push(Outgoing::Rejected {
                revision: self.hub.revision(),
                reason: reason.to_string(),
            })
        };
        if create.key.is_empty() {
            create.key = vec![0]; // etcd's reading of an empty key, checked as it is watched
        }
        let auth_generation = self.auth.store.generation();
        let who = match self.auth.store.resolve(&self.auth.credentials) {
            Ok(who) => who,
            Err(e) => return reject(&cancel_reason(&e)),
        };
        let store = &self.auth.store;
        if let Err(e) = store.check_read(who.as_ref(), &create.key, &create.range_end) {
            return reject(&cancel_reason(&e));
        }
        let user = who.map(|w| w.username);
        let Some(span) = KeySpan::new(&create.key, &create.range_end) else {
            return reject(ERR_EMPTY_RANGE);
        };
        let watch_id = if create.watch_id == 0 {
            while watches.by_id.contains_key(&watches.next_id) {
                watches.next_id += 1;
            }
            watches.next_id += 1;
            watches.next_id - 1
        } else if watches.by_id.contains_key(&create.watch_id) {
            return reject(ERR_DUPLICATE_ID);
        } else {
            create.watch_id
        };
        let filters = Filters {
            no_put: create.filters.contains(&(FilterType::Noput as i32)),
            no_delete: create.filters.contains(&(FilterType::Nodelete as i32)),
        };
        // Registered while the stream's lock is held: the send task finds the entry for every
        // message the hub queues for it.
        let (watcher, _) =
            self.hub
                .watch(span, filters, create.start_revision, watch_id, &self.outbox);
        watches.by_id.insert(
            watch_id,
            WatchEntry {
                watcher,
                prev_kv: create.prev_kv,
                fragment: create.fragment,
                progress_notify: create.progress_notify,
                idle: true,
                user,
                span: (create.key, create.range_end),
                auth_generation,
            },
        );
    }

    /// etcd answers only the cancellation of a watch the stream has.
    fn cancel(&self, watch_id: i64) {
        let mut watches = self.watches();
        if let Some(entry) = watches.by_id.remove(&watch_id) {
            self.hub.cancel(entry.watcher);
            self.outbox.push(Outgoing::Canceled {
                watch_id,
                revision: self.hub.revision(),
            });
        }
    }

    fn request_progress(&self) {
        let mut watches = self.watches();
        if watches.deferred_progress {
            return;
        }
        watches.deferred_progress = !self.try_progress_all(&watches);
    }

    fn try_progress_all(&self, watches: &Watches) -> bool {
        let keys: Vec<u64> = watches.by_id.values().map(|e| e.watcher).collect();
        self.hub.progress_all(&self.outbox, &keys)
    }

    /// The progress ticker: a notification for every `progress_notify` watch that was sent no
    /// events since the last tick (etcd's sendLoop).
    fn progress_tick(&self) {
        let mut watches = self.watches();
        for entry in watches.by_id.values_mut() {
            if entry.progress_notify {
                if entry.idle {
                    self.hub.progress_one(entry.watcher);
                }
                entry.idle = true;
            }
        }
    }

    async fn send_loop(&self, tx: &mpsc::Sender<Vec<WatchFrame>>) {
        let interval = jittered(self.hub.progress_interval());
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        let mut messages = VecDeque::new();
        // Kept from round to round, so its buffers are reused.
        let mut round = Round::default();
        loop {
            tokio::select! {
                _ = self.outbox.ready() => {}
                _ = tx.closed() => return,
                _ = ticker.tick() => self.progress_tick(),
            }
            if self.is_closed() || self.hub.is_stopped() {
                return;
            }
            // The tasks woken with this one run first. The applier wakes a batch's watch streams
            // before it answers the batch's writers, and one stream's round (every watcher's
            // response encoded) can hold those answers back long enough to stall the writers'
            // next requests. With 1,000 watchers and 16 writers, events/s rose by about 18%.
            tokio::task::yield_now().await;
            {
                let mut watches = self.watches();
                if watches.deferred_progress {
                    watches.deferred_progress = !self.try_progress_all(&watches);
                }
            }
            self.outbox.take_into(&mut messages);
            {
                let mut watches = self.watches();
                let deliveries = messages.iter().map(Outgoing::deliveries).sum();
                round.expect(deliveries, watches.by_id.len());
                for message in messages.drain(..) {
                    self.render(message, &mut watches, &mut round);
                }
            }
            // Counted once per batch: the counter is shared by every stream's task.
            let mut events = 0;
            let mut frames = Vec::with_capacity(round.drafts.len());
            for draft in round.take() {
                if let Draft::Events(draft) = &draft {
                    events += draft.count;
                }
                self.encode(draft, &mut frames);
            }
            self.hub.count_sent(events);
            if !frames.is_empty() && tx.send(frames).await.is_err() {
                return;
            }
        }
    }

    /// Adds a draft's frames to `out`: one, or the pieces of a fragmented response.
    fn encode(&self, draft: Draft, out: &mut Vec<WatchFrame>) {
        match draft {
            Draft::Whole(response) => out.push(WatchFrame::from_response(&response)),
            Draft::Events(events) => {
                let header = self.headers.at(events.head.revision);
                let limit = if events.head.fragment {
                    self.max_fragment_bytes
                } else {
                    usize::MAX // never cut
                };
                fragments(&header, events.head.watch_id, events.events, limit, out);
            }
        }
    }

    /// Adds the response for one message to `round`, not yet encoded (nothing for leftovers of
    /// canceled watchers).
    fn render(&self, message: Outgoing, watches: &mut Watches, round: &mut Round) {
        let header = |revision| Some(self.headers.at(revision));
        let response = match message {
            Outgoing::Created {
                watch_id, revision, ..
            } => WatchResponse {
                header: header(revision),
                watch_id,
                created: true,
                ..Default::default()
            },
            Outgoing::Rejected { revision, reason } => WatchResponse {
                header: header(revision),
                watch_id: -1,
                created: true,
                canceled: true,
                cancel_reason: reason,
                ..Default::default()
            },
            Outgoing::Canceled { watch_id, revision } => WatchResponse {
                header: header(revision),
                watch_id,
                canceled: true,
                ..Default::default()
            },
            Outgoing::Progress { watch_id, revision } => WatchResponse {
                header: header(revision),
                watch_id,
                ..Default::default()
            },
            Outgoing::Compacted {
                watcher,
                watch_id,
                compact_revision,
            } => {
                if watches
                    .by_id
                    .get(&watch_id)
                    .is_none_or(|e| e.watcher != watcher)
                {
                    return;
                }
                // etcd's compaction notice carries no revision in its header.
                WatchResponse {
                    header: header(0),
                    watch_id,
                    canceled: true,
                    compact_revision,
                    ..Default::default()
                }
            }
            Outgoing::Events {
                watcher,
                watch_id,
                revision,
                mut events,
                history,
            } => {
                let Some((prev_kv, fragment)) =
                    self.deliverable(watcher, watch_id, revision, watches, round)
                else {
                    return;
                };
                // Live events carry their prev_kv from the apply; history is read without.
                if prev_kv && history {
                    self.fill_prev_kv(&mut events);
                }
                let parts = events
                    .iter()
                    .map(|e| FramePart::Event(EncodedEvent::new(e).bytes(prev_kv)))
                    .collect();
                let head = EventsHead {
                    watch_id,
                    revision,
                    fragment,
                };
                return round.events(head, parts);
            }
            Outgoing::Shared {
                revision,
                events,
                watchers,
            } => {
                for (watcher, watch_id) in watchers {
                    let Some((prev_kv, fragment)) =
                        self.deliverable(watcher, watch_id, revision, watches, round)
                    else {
                        continue;
                    };
                    let head = EventsHead {
                        watch_id,
                        revision,
                        fragment,
                    };
                    let events = events.clone();
                    round.part(head, FramePart::Shared { events, prev_kv });
                }
                return;
            }
        };
        round.whole(response);
    }

    /// Whether events for hub watcher `watcher` go out as `watch_id`'s, and with which of its
    /// options (`prev_kv`, `fragment`): not for the leftovers of a canceled watcher, nor once the
    /// auth store refuses its user, when the watch is canceled and its cancellation goes out
    /// instead.
    fn deliverable(
        &self,
        watcher: u64,
        watch_id: i64,
        revision: i64,
        watches: &mut Watches,
        round: &mut Round,
    ) -> Option<(bool, bool)> {
        let entry = watches
            .by_id
            .get_mut(&watch_id)
            .filter(|e| e.watcher == watcher)?;
        if let Err(e) = self.recheck(entry) {
            watches.by_id.remove(&watch_id);
            self.hub.cancel(watcher);
            round.whole(WatchResponse {
                header: Some(self.headers.at(revision)),
                watch_id,
                canceled: true,
                cancel_reason: cancel_reason(&e),
                ..Default::default()
            });
            return None;
        }
        entry.idle = false;
        Some((entry.prev_kv, entry.fragment))
    }

    /// Whether the watch's user may still read its range, asked again only when the auth store
    /// changed since the last answer.
    fn recheck(&self, entry: &mut WatchEntry) -> Result<(), AuthError> {
        let generation = self.auth.store.generation();
        if generation == entry.auth_generation {
            return Ok(());
        }
        let (key, range_end) = &entry.span;
        self.auth
            .store
            .check_read_now(entry.user.as_deref(), key, range_end)?;
        entry.auth_generation = generation;
        Ok(())
    }

    /// etcd reads the key at `mod_revision - 1` for every event that did not create it.
    fn fill_prev_kv(&self, events: &mut [Event]) {
        for event in events {
            let Some(kv) = &event.kv else { continue };
            let creates =
                event.r#type == EventType::Put as i32 && kv.create_revision == kv.mod_revision;
            if creates || kv.mod_revision <= 1 {
                continue;
            }
            let request = RangeRequest {
                key: kv.key.to_vec(),
                revision: kv.mod_revision - 1,
                serializable: true,
                ..Default::default()
            };
            if let Ok(mut found) = self.hub.store().range(&request) {
                event.prev_kv = found.kvs.pop();
            }
        }
    }

    fn shutdown(&self) {
        self.closed.store(true, Ordering::Relaxed);
        let mut watches = self.watches();
        for (_, entry) in watches.by_id.drain() {
            self.hub.cancel(entry.watcher);
        }
        drop(watches);
        self.outbox.close();
        self.hub.stream_closed();
    }
}

/// etcd's cancel reason for a watch the auth store refuses: its gRPC error as Go prints a
/// status (`rpc error: code = PermissionDenied desc = etcdserver: permission denied`).
fn cancel_reason(err: &AuthError) -> String {
    let status = Status::from(err);
    format!(
        "rpc error: code = {:?} desc = {}",
        status.code(),
        status.message()
    )
}

/// Adds the frames of a response with `events` to `out`: etcd's `sendFragments`, which splits
/// a response of at least `limit` bytes with more than one event into pieces below `limit` (one
/// event at least each), all but the last marked.
fn fragments(
    header: &ResponseHeader,
    watch_id: i64,
    events: FrameEvents,
    limit: usize,
    out: &mut Vec<WatchFrame>,
) {
    let whole = || {
        WatchFrame::head_len(header, watch_id, false)
            + events.iter().map(FramePart::frame_len).sum::<usize>()
    };
    let count = || events.iter().map(FramePart::count).sum::<usize>();
    if limit == usize::MAX || count() < 2 || whole() < limit {
        out.push(WatchFrame::events(header, watch_id, false, events));
        return;
    }
    let head = WatchFrame::head_len(header, watch_id, true);
    let mut current = FrameEvents::new();
    let mut size = head;
    for event in events.into_iter().flat_map(FramePart::into_events) {
        let added = WatchFrame::event_len(event.len());
        current.push(FramePart::Event(event));
        size += added;
        if current.len() > 1 && size >= limit {
            let last = current.pop().expect("just pushed");
            let piece = std::mem::take(&mut current);
            out.push(WatchFrame::events(header, watch_id, true, piece));
            current.push(last);
            size = head + added;
        }
    }
    out.push(WatchFrame::events(header, watch_id, false, current));
}

/// The progress interval plus up to a tenth more, so that streams opened together do not tick
/// together (etcd's GetProgressReportInterval).
fn jittered(interval: Duration) -> Duration {
    let interval = interval.max(Duration::from_millis(1));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    let tenth = (interval.as_nanos() / 10).max(1) as u64;
    interval + Duration::from_nanos(nanos % tenth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxcd_proto::mvccpb::KeyValue;
    use oxcd_proto::watch_frame::SharedEvents;
    use prost::Message;

    fn event(value_len: usize) -> Event {
        Event {
            r#type: 0,
            kv: Some(KeyValue {
                key: b"k".to_vec().into(),
                value: vec![7; value_len].into(),
                ..Default::default()
            }),
            prev_kv: None,
        }
    }

    #[test]
    fn fragments_split_below_the_limit_and_mark_all_but_the_last() {
        let header = ResponseHeader {
            revision: 9,
            ..Default::default()
        };
        let events: FrameEvents = (0..10)
            .map(|_| FramePart::Event(event(100).encode_to_vec().into()))
            .collect();
        let frames = |events: &FrameEvents, limit: usize| {
            let mut out = Vec::new();
            fragments(&header, 3, events.clone(), limit, &mut out);
            out
        };
        let pieces: Vec<WatchResponse> = frames(&events, 350)
            .iter()
            .map(|f| f.to_response().unwrap())
            .collect();
        assert!(pieces.len() > 1);
        let total: usize = pieces.iter().map(|p| p.events.len()).sum();
        assert_eq!(total, 10);
        for (i, p) in pieces.iter().enumerate() {
            assert_eq!(p.fragment, i + 1 < pieces.len());
            assert_eq!(p.watch_id, 3);
            assert_eq!(p.header, Some(header));
            assert!(p.encoded_len() < 350 || p.events.len() == 1);
            assert!(p.events.iter().all(|e| *e == event(100)));
        }
        // Small responses and single events go whole.
        for limit in [1 << 20, usize::MAX] {
            let whole = frames(&events, limit);
            assert_eq!(whole.len(), 1);
            assert!(!whole[0].to_response().unwrap().fragment);
        }
        let single: FrameEvents = [FramePart::Event(event(1000).encode_to_vec().into())]
            .into_iter()
            .collect();
        assert_eq!(frames(&single, 10).len(), 1);
        // Shared revisions are cut between their events as single events are.
        let shared = Arc::new(SharedEvents::new((0..10).map(|_| event(100)).collect()));
        let parts: FrameEvents = [FramePart::Shared {
            events: shared,
            prev_kv: false,
        }]
        .into_iter()
        .collect();
        assert_eq!(frames(&parts, 350), frames(&events, 350));
    }

    #[test]
    fn jitter_stays_within_a_tenth() {
        let d = jittered(Duration::from_secs(10));
        assert!(d >= Duration::from_secs(10) && d < Duration::from_secs(11));
    }
}

/// Bounds of a response that joins several revisions.
const MAX_COALESCED_EVENTS: usize = 1000;
const MAX_COALESCED_BYTES: usize = 512 * 1024;

/// A response rendered but not yet encoded: one carrying events stays open, to be joined with
/// the same watcher's next ones ([`Round`]) and cut to size ([`fragments`]).
enum Draft {
    Whole(Box<WatchResponse>),
    Events(EventsDraft),
}

/// What an events response says besides its events.
struct EventsHead {
    watch_id: i64,
    /// The header's revision.
    revision: i64,
    /// The watch asked for large responses to be fragmented.
    fragment: bool,
}

struct EventsDraft {
    /// Its revision that of the last events joined.
    head: EventsHead,
    events: FrameEvents,
    /// How many events `events` holds.
    count: usize,
    /// The events' encoded length.
    bytes: usize,
}

/// One send round's responses, in order. The event responses of one watcher that are ready
/// together are joined into one response as they are added (whole revisions, in order; etcd
/// sends several revisions at once the same way when a watcher catches up), so a busy stream
/// sends fewer, larger messages. Any other response (created, canceled, progress, compaction)
/// is a barrier nothing moves across: a progress notification still follows every event it
/// vouches for.
#[derive(Default)]
struct Round {
    drafts: Vec<Draft>,
    /// watch id -> index in `drafts` of its open response since the last barrier
    open: FastMap<i64, usize>,
    /// The deliveries a watcher is expected to get this round, so that its response's parts
    /// are allocated once rather than grown one revision at a time.
    expected_per_watcher: usize,
}

impl Round {
    /// Sizes the round's responses for `deliveries` (see [`Outgoing::deliveries`]) spread over
    /// `watchers`.
    fn expect(&mut self, deliveries: usize, watchers: usize) {
        self.expected_per_watcher = deliveries.div_ceil(watchers.max(1));
    }

    /// Takes the round's responses, in order, leaving it empty for the next.
    fn take(&mut self) -> std::vec::Drain<'_, Draft> {
        self.open.clear();
        self.drafts.drain(..)
    }

    fn whole(&mut self, response: WatchResponse) {
        self.open.clear();
        self.drafts.push(Draft::Whole(Box::new(response)));
    }

    /// Adds a message's events: joined to the watch's open response when they fit in it.
    fn events(&mut self, head: EventsHead, parts: FrameEvents) {
        let count = parts.iter().map(FramePart::count).sum::<usize>();
        let bytes = parts.iter().map(FramePart::events_len).sum::<usize>();
        match self.joinable(&head, count, bytes) {
            Some(events) => events.extend(parts),
            None => self.start(head, count, bytes, parts),
        }
    }

    /// [`events`](Self::events) for a message of one part, as most are.
    fn part(&mut self, head: EventsHead, part: FramePart) {
        let (count, bytes) = (part.count(), part.events_len());
        if let Some(events) = self.joinable(&head, count, bytes) {
            events.push(part);
            return;
        }
        let mut events = FrameEvents::with_capacity(self.expected_per_watcher);
        events.push(part);
        self.start(head, count, bytes, events);
    }

    /// The events of the watch's open response if `count` events of `bytes` may join it, its
    /// sizes and header revision then counting them.
    fn joinable(
        &mut self,
        head: &EventsHead,
        count: usize,
        bytes: usize,
    ) -> Option<&mut FrameEvents> {
        let &i = self.open.get(&head.watch_id)?;
        let Draft::Events(target) = &mut self.drafts[i] else {
            return None;
        };
        if target.count + count > MAX_COALESCED_EVENTS || target.bytes + bytes > MAX_COALESCED_BYTES
        {
            return None;
        }
        target.count += count;
        target.bytes += bytes;
        target.head.revision = head.revision;
        Some(&mut target.events)
    }

    /// Opens a response for the watch, which later events may join.
    fn start(&mut self, head: EventsHead, count: usize, bytes: usize, events: FrameEvents) {
        self.open.insert(head.watch_id, self.drafts.len());
        self.drafts.push(Draft::Events(EventsDraft {
            head,
            events,
            count,
            bytes,
        }));
    }
}

#[cfg(test)]
mod coalesce_tests {
    use super::*;
    use bytes::Bytes;
    use oxcd_proto::mvccpb::KeyValue;
    use oxcd_proto::watch_frame::SharedEvents;
    use prost::Message;

    /// What a test adds to a round.
    enum Step {
        Events {
            watch_id: i64,
            rev: i64,
            value_len: usize,
        },
        Whole(i64),
    }

    fn event(rev: i64, value_len: usize, prev: bool) -> Event {
        let kv = |rev: i64| KeyValue {
            key: Bytes::from_static(b"k"),
            mod_revision: rev,
            value: vec![1; value_len].into(),
            ..Default::default()
        };
        Event {
            kv: Some(kv(rev)),
            prev_kv: prev.then(|| kv(rev - 1)),
            ..Default::default()
        }
    }

    fn events_of(watch_id: i64, rev: i64, value_len: usize) -> Step {
        Step::Events {
            watch_id,
            rev,
            value_len,
        }
    }

    fn events(watch_id: i64, rev: i64) -> Step {
        events_of(watch_id, rev, 0)
    }

    fn whole(watch_id: i64) -> Step {
        Step::Whole(watch_id)
    }

    fn head(watch_id: i64, revision: i64) -> EventsHead {
        EventsHead {
            watch_id,
            revision,
            fragment: false,
        }
    }

    /// The drafts of a round the steps are added to, in order.
    fn coalesce(steps: Vec<Step>) -> Vec<Draft> {
        let mut round = Round::default();
        round.expect(steps.len(), 2);
        for step in steps {
            match step {
                Step::Events {
                    watch_id,
                    rev,
                    value_len,
                } => {
                    let encoded = Bytes::from(event(rev, value_len, false).encode_to_vec());
                    let parts = [FramePart::Event(encoded)].into_iter().collect();
                    round.events(head(watch_id, rev), parts);
                }
                Step::Whole(watch_id) => round.whole(WatchResponse {
                    watch_id,
                    ..Default::default()
                }),
            }
        }
        round.drafts
    }

    fn events_of_draft(d: &EventsDraft) -> Vec<Event> {
        let events: Vec<Event> = d
            .events
            .iter()
            .cloned()
            .flat_map(FramePart::into_events)
            .map(|e| Event::decode(e).unwrap())
            .collect();
        assert_eq!(events.len(), d.count);
        assert_eq!(
            d.bytes,
            events.iter().map(Message::encoded_len).sum::<usize>()
        );
        events
    }

    /// The watch id, header revision and events' revisions of an events draft.
    fn summary(draft: &Draft) -> (i64, i64, Vec<i64>) {
        let Draft::Events(d) = draft else {
            panic!("not an events draft")
        };
        let revisions = events_of_draft(d)
            .iter()
            .map(|e| e.kv.as_ref().unwrap().mod_revision)
            .collect();
        (d.head.watch_id, d.head.revision, revisions)
    }

    #[test]
    fn joins_a_watchers_revisions_in_order_but_never_across_a_barrier() {
        let out = coalesce(vec![
            events(1, 2),
            events(2, 2),
            events(1, 3),
            whole(-1), // a progress notification
            events(1, 4),
            events(2, 4),
        ]);
        assert_eq!(out.len(), 5);
        assert_eq!(
            summary(&out[0]),
            (1, 3, vec![2, 3]),
            "the header is the last revision's"
        );
        assert_eq!(summary(&out[1]), (2, 2, vec![2]));
        assert!(
            matches!(&out[2], Draft::Whole(r) if r.watch_id == -1),
            "progress stays after the events it covers"
        );
        assert_eq!(summary(&out[3]), (1, 4, vec![4]));
        assert_eq!(summary(&out[4]), (2, 4, vec![4]));
    }

    #[test]
    fn created_responses_are_barriers_and_joins_stay_within_their_bounds() {
        let out = coalesce(vec![events(1, 2), whole(1), events(1, 3), events(1, 4)]);
        assert_eq!(out.len(), 3);
        assert_eq!(summary(&out[2]), (1, 4, vec![3, 4]));
        let half = MAX_COALESCED_BYTES / 2;
        let out = coalesce(vec![events_of(1, 2, half), events_of(1, 3, half)]);
        assert_eq!(
            out.len(),
            2,
            "two halves and their framing exceed the bound"
        );
        let many = (0..=MAX_COALESCED_EVENTS as i64).map(|rev| events(1, rev + 2));
        let out = coalesce(many.collect());
        assert_eq!(out.len(), 2);
        assert_eq!(summary(&out[0]).2.len(), MAX_COALESCED_EVENTS);
    }

    #[test]
    fn shared_revisions_join_with_the_prev_kv_each_watch_asked_for() {
        let revisions: Vec<Arc<SharedEvents>> = (2..5)
            .map(|rev| Arc::new(SharedEvents::new(vec![event(rev, 10, true)])))
            .collect();
        let mut round = Round::default();
        round.expect(6, 2);
        for shared in &revisions {
            let rev = shared.events()[0].kv.as_ref().unwrap().mod_revision;
            for (watch_id, prev_kv) in [(1, true), (2, false)] {
                let events = shared.clone();
                round.part(head(watch_id, rev), FramePart::Shared { events, prev_kv });
            }
        }
        assert_eq!(round.drafts.len(), 2);
        for (draft, prev_kv) in round.drafts.iter().zip([true, false]) {
            let Draft::Events(d) = draft else {
                panic!("not an events draft")
            };
            let want: Vec<Event> = (2..5)
                .map(|rev| {
                    let mut e = event(rev, 10, true);
                    if !prev_kv {
                        e.prev_kv = None;
                    }
                    e
                })
                .collect();
            assert_eq!(events_of_draft(d), want);
            assert_eq!(d.head.revision, 4);
        }
    }
}
