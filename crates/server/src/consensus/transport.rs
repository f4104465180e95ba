//! The sending side of the peer transport: raft messages to other members over gRPC.
//!
//! Each remote member has one sender task with a bounded queue and one long-lived client stream;
//! raft tolerates loss, so a full queue or a broken connection drops messages (and reports the
//! peer unreachable) rather than ever blocking the node loop.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use oxcd_proto::oxcdpb::peer_client::PeerClient;
use oxcd_proto::oxcdpb::{RaftBatch, RaftMessage};
use prost::Message as _;
use raft::prelude::Message;
use tokio::sync::mpsc;

use super::dial::PeerDialer;
use super::wire::{to_wire, BATCH_TARGET_BYTES};
use crate::messages::NodeMsg;
use crate::metrics::ServerMetrics;

/// Messages queued per peer before new ones are dropped.
const PEER_QUEUE: usize = 4096;
/// How often each peer is probed for the round-trip time (etcd's prober interval).
const PROBE_INTERVAL: Duration = Duration::from_secs(4);

/// Messages sent per batch on the wire (and at most `BATCH_TARGET_BYTES` of them, unless one
/// message alone is larger: the receiver's limit allows for that).
const MAX_BATCH: usize = 256;

/// Outgoing queues, one per remote member. `send` never blocks.
pub struct Transport {
    local_id: u64,
    cluster_id: u64,
    node: SyncSender<NodeMsg>,
    runtime: tokio::runtime::Handle,
    peers: HashMap<u64, mpsc::Sender<RaftMessage>>,
    urls: PeerUrls,
    dialer: PeerDialer,
    metrics: Arc<ServerMetrics>,
    connected: ConnectedPeers,
}

/// How many remote members a sender holds a connection to (etcd's `ActivePeers`).
#[derive(Clone, Default)]
pub struct ConnectedPeers(Arc<AtomicUsize>);

impl ConnectedPeers {
    pub fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// One sender's connection, counted in [`ConnectedPeers`] and the active-peers gauge while it
/// lives.
struct Connected<'a> {
    peers: &'a ConnectedPeers,
    gauge: &'a prometheus::IntGauge,
}

impl<'a> Connected<'a> {
    fn new(peers: &'a ConnectedPeers, gauge: &'a prometheus::IntGauge) -> Connected<'a> {
        peers.0.fetch_add(1, Ordering::Relaxed);
        gauge.set(1);
        Connected { peers, gauge }
    }
}

impl Drop for Connected<'_> {
    fn drop(&mut self) {
        self.peers.0.fetch_sub(1, Ordering::Relaxed);
        self.gauge.set(0);
    }
}

/// Every remote member's peer URLs, shared with the snapshot sender so that both follow
/// membership changes.
#[derive(Clone, Default)]
pub struct PeerUrls(Arc<RwLock<HashMap<u64, Vec<String>>>>);

impl PeerUrls {
    /// The URL to dial for member `id`, if it is known.
    pub fn first(&self, id: u64) -> Option<String> {
        let urls = self.0.read().expect("peer urls lock poisoned");
        urls.get(&id).and_then(|u| u.first()).cloned()
    }

    fn set(&self, id: u64, urls: Vec<String>) {
        self.0
            .write()
            .expect("peer urls lock poisoned")
            .insert(id, urls);
    }

    fn remove(&self, id: u64) {
        self.0.write().expect("peer urls lock poisoned").remove(&id);
    }
}

impl Transport {
    /// Starts one sender task per remote member on the given tokio runtime.
    pub fn start(
        local_id: u64,
        cluster_id: u64,
        members: &[(u64, Vec<String>)],
        node: SyncSender<NodeMsg>,
        runtime: &tokio::runtime::Handle,
        dialer: PeerDialer,
        metrics: Arc<ServerMetrics>,
    ) -> Transport {
        let mut t = Transport {
            local_id,
            cluster_id,
            node,
            runtime: runtime.clone(),
            peers: HashMap::new(),
            urls: PeerUrls::default(),
            dialer,
            metrics,
            connected: ConnectedPeers::default(),
        };
        for (id, urls) in members {
            t.add_peer(*id, urls.clone());
        }
        t
    }

    /// Starts (or restarts, with new URLs) the sender to a member.
    pub fn add_peer(&mut self, id: u64, urls: Vec<String>) {
        if id == self.local_id || urls.is_empty() {
            return;
        }
        let (tx, rx) = mpsc::channel(PEER_QUEUE);
        let sender = Sender {
            local: self.local_id,
            peer: id,
            cluster_id: self.cluster_id,
            node: self.node.clone(),
            dialer: self.dialer.clone(),
            metrics: self.metrics.clone(),
            connected: self.connected.clone(),
        };
        self.runtime
            .spawn(probe(sender.clone(), urls.clone(), tx.downgrade()));
        self.runtime.spawn(run_sender(sender, urls.clone(), rx));
        self.peers.insert(id, tx);
        self.urls.set(id, urls);
    }

    pub fn has_peer(&self, id: u64) -> bool {
        self.peers.contains_key(&id)
    }

    /// Stops sending to a removed member (its sender task ends with its queue).
    pub fn remove_peer(&mut self, id: u64) {
        self.peers.remove(&id);
        self.urls.remove(id);
    }

    pub fn cluster_id(&self) -> u64 {
        self.cluster_id
    }

    /// How this transport dials other members.
    pub fn dialer(&self) -> PeerDialer {
        self.dialer.clone()
    }

    /// The count of remote members this transport is connected to, kept current.
    pub fn connected_peers(&self) -> ConnectedPeers {
        self.connected.clone()
    }

    /// The peer URLs this transport dials, kept current as members come and go.
    pub fn urls(&self) -> PeerUrls {
        self.urls.clone()
    }

    /// Queues messages for their recipients; returns the members whose queue was full or who are
    /// unknown, for the node to report unreachable.
    pub fn send(&self, messages: Vec<Message>) -> Vec<u64> {
        let mut unreachable = Vec::new();
        for m in messages {
            let to = m.to;
            let ok = match self.peers.get(&to) {
                Some(q) => q.try_send(to_wire(&m)).is_ok(),
                None => false,
            };
            if !ok {
                self.metrics
                    .peer_sent_failures
                    .with_label_values(&[&format!("{to:x}")])
                    .inc();
                // etcd counts these apart: a leader that cannot send heartbeats is about to lose
                // its followers.
                if m.get_msg_type() == raft::prelude::MessageType::MsgHeartbeat {
                    self.metrics.heartbeat_send_failures.inc();
                }
            }
            if !ok && !unreachable.contains(&to) {
                unreachable.push(to);
            }
        }
        unreachable
    }
}

/// What a peer's sender and prober know.
#[derive(Clone)]
struct Sender {
    local: u64,
    peer: u64,
    cluster_id: u64,
    node: SyncSender<NodeMsg>,
    dialer: PeerDialer,
    metrics: Arc<ServerMetrics>,
    connected: ConnectedPeers,
}

/// Measures the round trip to the peer every [`PROBE_INTERVAL`] with its cheapest RPC, until
/// the peer's queue is gone (it was removed, or the member stops). The connection is kept
/// between probes, as etcd's prober keeps its HTTP connection, so a round trip does not count a
/// handshake.
async fn probe(s: Sender, urls: Vec<String>, alive: mpsc::WeakSender<RaftMessage>) {
    let to = format!("{:x}", s.peer);
    let mut attempt = 0usize;
    let mut client = None;
    loop {
        tokio::time::sleep(PROBE_INTERVAL).await;
        if alive.upgrade().is_none() {
            return;
        }
        if client.is_none() {
            let url = &urls[attempt % urls.len()];
            attempt += 1;
            client = s
                .dialer
                .connect(url, PROBE_INTERVAL, None)
                .await
                .ok()
                .map(PeerClient::new);
        }
        let Some(c) = client.as_mut() else {
            continue;
        };
        let started = std::time::Instant::now();
        let answered =
            tokio::time::timeout(PROBE_INTERVAL, c.members(oxcd_proto::oxcdpb::RaftAck {})).await;
        if matches!(answered, Ok(Ok(_))) {
            s.metrics
                .peer_round_trip
                .with_label_values(&[&to])
                .observe(started.elapsed().as_secs_f64());
        } else {
            client = None;
        }
    }
}

/// Sends the peer's queued messages over one stream at a time, redialling when it breaks. The
/// dialer is the one place members dial each other (the snapshot sender, joining, corruption
/// checks and lease forwarding use it too), so peer TLS joins there.
async fn run_sender(s: Sender, urls: Vec<String>, mut queue: mpsc::Receiver<RaftMessage>) {
    let Sender {
        local,
        peer,
        cluster_id,
        node,
        dialer,
        metrics,
        connected: connected_peers,
    } = s;
    let to = format!("{peer:x}");
    let active = metrics
        .active_peers
        .with_label_values(&[&format!("{local:x}"), &to]);
    let disconnected = metrics
        .disconnected_peers
        .with_label_values(&[&format!("{local:x}"), &to]);
    let sent_bytes = metrics.peer_sent_bytes.with_label_values(&[&to]);
    let failures = metrics.peer_sent_failures.with_label_values(&[&to]);
    let mut attempt = 0usize;
    // A message taken from the queue that did not fit in the previous batch.
    let mut held: Option<RaftMessage> = None;
    loop {
        let url = &urls[attempt % urls.len()];
        attempt += 1;
        let channel = match dialer.connect(url, Duration::from_secs(1), None).await {
            Ok(c) => c,
            Err(e) => {
                tracing::debug!(peer = %format!("{peer:x}"), error = %e, "cannot reach peer");
                let _ = node.try_send(NodeMsg::Unreachable(peer));
                if !drain_for(&mut queue, Duration::from_millis(100), &failures).await {
                    return;
                }
                continue;
            }
        };
        let connected = Connected::new(&connected_peers, &active);
        let mut client = PeerClient::new(channel).max_encoding_message_size(usize::MAX);
        let (tx, rx) = mpsc::channel::<RaftBatch>(16);
        let call = tokio::spawn(async move {
            client
                .stream(tokio_stream::wrappers::ReceiverStream::new(rx))
                .await
        });
        // Forward queued messages until the stream breaks or the member stops.
        loop {
            let first = match held.take() {
                Some(m) => m,
                None => match queue.recv().await {
                    Some(m) => m,
                    None => {
                        call.abort();
                        return;
                    }
                },
            };
            let mut bytes = first.encoded_len();
            let mut messages = vec![first];
            while messages.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(m) if bytes + m.encoded_len() > BATCH_TARGET_BYTES => {
                        held = Some(m);
                        break;
                    }
                    Ok(m) => {
                        bytes += m.encoded_len();
                        messages.push(m);
                    }
                    Err(_) => break,
                }
            }
            let batch = RaftBatch {
                cluster_id,
                messages,
            };
            let batch_bytes = batch.encoded_len() as u64;
            let count = batch.messages.len() as u64;
            if tx.send(batch).await.is_err() || call.is_finished() {
                failures.inc_by(count);
                break;
            }
            sent_bytes.inc_by(batch_bytes);
        }
        drop(connected);
        disconnected.inc();
        if let Ok(Ok(Err(status))) = tokio::time::timeout(Duration::from_secs(1), call).await {
            tracing::warn!(peer = %format!("{peer:x}"), error = %status.message(), "peer stream ended");
        }
        let _ = node.try_send(NodeMsg::Unreachable(peer));
    }
}

/// Drops queued messages for `wait` (the peer is down; raft will resend). False once the
/// member is stopping.
async fn drain_for(
    queue: &mut mpsc::Receiver<RaftMessage>,
    wait: Duration,
    failures: &prometheus::IntCounter,
) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, queue.recv()).await {
            Ok(Some(_)) => failures.inc(),
            Ok(None) => return false,
            Err(_) => return true,
        }
    }
}
