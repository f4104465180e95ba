//! One v3 `Watch` stream, as etcd's `serverWatchStream` serves it: create, cancel and progress
//! requests in; created, canceled, event and progress responses out, on one gRPC stream or one
//! gateway HTTP response.
//!
//! Two tasks per stream: the receive task registers and cancels watchers; the send task drains
//! the stream's [`Outbox`], fills in headers and `prev_kv`, fragments, and ticks progress
//! notifications. The stream ends when the client goes away (or the receive side fails); a
//! half-closed request side keeps it open, as in etcd. Ending it removes its watchers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oxcd_proto::etcdserverpb::watch_create_request::FilterType;
use oxcd_proto::etcdserverpb::watch_request::RequestUnion;
use oxcd_proto::etcdserverpb::{
    RangeRequest, WatchCancelRequest, WatchCreateRequest, WatchRequest, WatchResponse,
};
use oxcd_proto::mvccpb::{event::EventType, Event};
use prost::Message;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::Status;

use super::outbox::{Outbox, Outgoing};
use super::{Filters, KeySpan, WatchHub};
use crate::error::AuthError;
use crate::state::auth::{AuthStore, Credentials};
use crate::status::Headers;

/// Responses buffered between the send task and the transport.
const RESPONSE_BUFFER: usize = 64;
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
    by_id: HashMap<i64, WatchEntry>,
    /// etcd's `nextID` for server-assigned ids.
    next_id: i64,
    /// A progress request waits for every watcher to be synced.
    deferred_progress: bool,
}

struct StreamCtx {
    headers: Headers,
    /// Fragmented responses are cut below this size (`--max-request-bytes`).
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
) -> ReceiverStream<Result<WatchResponse, Status>>
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
    let (tx, rx) = mpsc::channel(RESPONSE_BUFFER);
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
    ReceiverStream::new(rx)
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

    async fn send_loop(&self, tx: &mpsc::Sender<Result<WatchResponse, Status>>) {
        let interval = jittered(self.hub.progress_interval());
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        loop {
            tokio::select! {
                _ = self.outbox.ready() => {}
                _ = tx.closed() => return,
                _ = ticker.tick() => self.progress_tick(),
            }
            if self.is_closed() || self.hub.is_stopped() {
                return;
            }
            {
                let mut watches = self.watches();
                if watches.deferred_progress {
                    watches.deferred_progress = !self.try_progress_all(&watches);
                }
            }
            let messages = self.outbox.take_all();
            let responses: Vec<WatchResponse> = {
                let mut watches = self.watches();
                coalesce(
                    messages
                        .into_iter()
                        .flat_map(|m| self.render(m, &mut watches))
                        .collect(),
                )
            };
            for response in responses {
                if tx.send(Ok(response)).await.is_err() {
                    return;
                }
            }
        }
    }

    /// The responses for one message (none for leftovers of canceled watchers; several for a
    /// fragmented revision).
    fn render(&self, message: Outgoing, watches: &mut Watches) -> Vec<WatchResponse> {
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
                    return vec![];
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
                events,
                history,
            } => {
                let (prev_kv, fragment) = match watches.by_id.get_mut(&watch_id) {
                    Some(entry) if entry.watcher == watcher => {
                        if let Err(e) = self.recheck(entry) {
                            watches.by_id.remove(&watch_id);
                            self.hub.cancel(watcher);
                            return vec![WatchResponse {
                                header: header(revision),
                                watch_id,
                                canceled: true,
                                cancel_reason: cancel_reason(&e),
                                ..Default::default()
                            }];
                        }
                        entry.idle = false;
                        (entry.prev_kv, entry.fragment)
                    }
                    _ => return vec![],
                };
                let mut events: Vec<Event> = if prev_kv {
                    events.into_vec()
                } else {
                    events
                        .events()
                        .iter()
                        .map(|e| Event {
                            r#type: e.r#type,
                            kv: e.kv.clone(),
                            prev_kv: None,
                        })
                        .collect()
                };
                if prev_kv && history {
                    self.fill_prev_kv(&mut events);
                }
                self.hub.count_sent(events.len());
                let response = WatchResponse {
                    header: header(revision),
                    watch_id,
                    events,
                    ..Default::default()
                };
                if fragment {
                    return fragments(response, self.max_fragment_bytes);
                }
                response
            }
        };
        vec![response]
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

/// etcd's `sendFragments`: a response of at least `limit` bytes with more than one event is
/// split into pieces below `limit` (one event at least each); all but the last are marked.
fn fragments(response: WatchResponse, limit: usize) -> Vec<WatchResponse> {
    if response.encoded_len() < limit || response.events.len() < 2 {
        return vec![response];
    }
    let mut template = response.clone();
    template.events.clear();
    template.fragment = true;
    let mut out = Vec::new();
    let mut current = template.clone();
    for event in response.events {
        current.events.push(event);
        if current.events.len() > 1 && current.encoded_len() >= limit {
            let event = current.events.pop().expect("just pushed");
            out.push(std::mem::replace(&mut current, template.clone()));
            current.events.push(event);
        }
    }
    current.fragment = false;
    out.push(current);
    out
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
        let response = WatchResponse {
            watch_id: 3,
            events: (0..10).map(|_| event(100)).collect(),
            ..Default::default()
        };
        let pieces = fragments(response.clone(), 350);
        assert!(pieces.len() > 1);
        let total: usize = pieces.iter().map(|p| p.events.len()).sum();
        assert_eq!(total, 10);
        for (i, p) in pieces.iter().enumerate() {
            assert_eq!(p.fragment, i + 1 < pieces.len());
            assert_eq!(p.watch_id, 3);
            assert!(p.encoded_len() < 350 || p.events.len() == 1);
        }
        // Small responses and single events go whole.
        assert_eq!(fragments(response.clone(), 1 << 20).len(), 1);
        let single = WatchResponse {
            events: vec![event(1000)],
            ..Default::default()
        };
        assert_eq!(fragments(single, 10).len(), 1);
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

/// Joins the event responses of one watcher that are ready together into one response (whole
/// revisions, in order; etcd sends several revisions at once the same way when a watcher catches
/// up), so a busy stream sends fewer, larger messages. Any other response (created, canceled,
/// progress, compaction) is a barrier nothing moves across: a progress notification still
/// follows every event it vouches for. Fragmented responses are left alone.
fn coalesce(responses: Vec<WatchResponse>) -> Vec<WatchResponse> {
    let mut out: Vec<WatchResponse> = Vec::with_capacity(responses.len());
    // watch id -> index in `out` of its open response since the last barrier
    let mut open: std::collections::HashMap<i64, (usize, usize)> = std::collections::HashMap::new();
    for response in responses {
        let plain_events = !response.events.is_empty()
            && !response.created
            && !response.canceled
            && !response.fragment
            && response.compact_revision == 0;
        if !plain_events {
            open.clear();
            out.push(response);
            continue;
        }
        let size: usize = response
            .events
            .iter()
            .map(prost::Message::encoded_len)
            .sum();
        match open.get_mut(&response.watch_id) {
            Some((i, bytes))
                if out[*i].events.len() + response.events.len() <= MAX_COALESCED_EVENTS
                    && *bytes + size <= MAX_COALESCED_BYTES =>
            {
                *bytes += size;
                let target = &mut out[*i];
                target.events.extend(response.events);
                target.header = response.header;
            }
            _ => {
                open.insert(response.watch_id, (out.len(), size));
                out.push(response);
            }
        }
    }
    out
}

#[cfg(test)]
mod coalesce_tests {
    use super::*;
    use oxcd_proto::etcdserverpb::ResponseHeader;
    use oxcd_proto::mvccpb::KeyValue;

    fn events(watch_id: i64, rev: i64) -> WatchResponse {
        WatchResponse {
            header: Some(ResponseHeader {
                revision: rev,
                ..Default::default()
            }),
            watch_id,
            events: vec![Event {
                kv: Some(KeyValue {
                    mod_revision: rev,
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn revisions(r: &WatchResponse) -> Vec<i64> {
        r.events
            .iter()
            .map(|e| e.kv.as_ref().unwrap().mod_revision)
            .collect()
    }

    #[test]
    fn joins_a_watchers_revisions_in_order_but_never_across_a_barrier() {
        let progress = WatchResponse {
            watch_id: -1,
            header: Some(ResponseHeader {
                revision: 3,
                ..Default::default()
            }),
            ..Default::default()
        };
        let out = coalesce(vec![
            events(1, 2),
            events(2, 2),
            events(1, 3),
            progress,
            events(1, 4),
            events(2, 4),
        ]);
        assert_eq!(out.len(), 5);
        assert_eq!((out[0].watch_id, revisions(&out[0])), (1, vec![2, 3]));
        assert_eq!(
            out[0].header.unwrap().revision,
            3,
            "the header is the last revision's"
        );
        assert_eq!((out[1].watch_id, revisions(&out[1])), (2, vec![2]));
        assert_eq!(
            out[2].watch_id, -1,
            "progress stays after the events it covers"
        );
        assert_eq!(revisions(&out[3]), vec![4]);
        assert_eq!(revisions(&out[4]), vec![4]);
    }

    #[test]
    fn created_and_fragmented_responses_are_left_alone() {
        let created = WatchResponse {
            watch_id: 1,
            created: true,
            ..Default::default()
        };
        let mut fragment = events(1, 3);
        fragment.fragment = true;
        let out = coalesce(vec![created, events(1, 2), fragment, events(1, 4)]);
        assert_eq!(out.len(), 4);
    }
}
