//! The peer transport: raft messages between members over gRPC on `--listen-peer-urls`.
//!
//! Each remote member has one sender task with a bounded queue and one long-lived client stream;
//! raft tolerates loss, so a full queue or a broken connection drops messages (and reports the
//! peer unreachable) rather than ever blocking the node loop.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use oxcd_proto::oxcdpb::peer_client::PeerClient;
use oxcd_proto::oxcdpb::peer_server::{Peer, PeerServer};
use oxcd_proto::oxcdpb::{
    RaftAck, RaftBatch, RaftConfState, RaftEntry, RaftMessage, RaftSnapshot, SnapshotChunk,
};
use raft::prelude::{
    ConfState, Entry, EntryType, Message, MessageType, Snapshot, SnapshotMetadata,
};
use tokio::sync::mpsc;
use tonic::{Request, Response, Status, Streaming};

use crate::config::url_host_port;
use crate::raft_node::NodeMsg;

/// Messages queued per peer before new ones are dropped.
const PEER_QUEUE: usize = 4096;
/// Messages sent per batch on the wire.
const MAX_BATCH: usize = 256;
/// Largest peer message accepted: entries are bounded by raft's max_size_per_msg, snapshots are
/// sent as the whole backend file.
pub const MAX_PEER_MESSAGE_BYTES: usize = 1 << 30;

// ---------------------------------------------------------------- wire conversion

pub fn to_wire(m: &Message) -> RaftMessage {
    RaftMessage {
        msg_type: m.get_msg_type() as i32,
        to: m.to,
        from: m.from,
        term: m.term,
        log_term: m.log_term,
        index: m.index,
        entries: m.entries.iter().map(entry_to_wire).collect(),
        commit: m.commit,
        commit_term: m.commit_term,
        snapshot: m.snapshot.as_ref().map(|s| RaftSnapshot {
            index: s.get_metadata().index,
            term: s.get_metadata().term,
            conf_state: Some(conf_state_to_wire(s.get_metadata().get_conf_state())),
            data: s.data.to_vec(),
        }),
        request_snapshot: m.request_snapshot,
        reject: m.reject,
        reject_hint: m.reject_hint,
        context: m.context.to_vec(),
        priority: m.priority,
    }
}

/// Decodes a message from the network; `None` for a message type raft-rs does not know.
pub fn from_wire(w: RaftMessage) -> Option<Message> {
    let mut m = Message {
        msg_type: message_type(w.msg_type)?,
        to: w.to,
        from: w.from,
        term: w.term,
        log_term: w.log_term,
        index: w.index,
        commit: w.commit,
        commit_term: w.commit_term,
        request_snapshot: w.request_snapshot,
        reject: w.reject,
        reject_hint: w.reject_hint,
        context: w.context.into(),
        priority: w.priority,
        ..Default::default()
    };
    m.entries = w
        .entries
        .into_iter()
        .map(entry_from_wire)
        .collect::<Vec<_>>()
        .into();
    if let Some(s) = w.snapshot {
        let mut meta = SnapshotMetadata {
            index: s.index,
            term: s.term,
            ..Default::default()
        };
        meta.set_conf_state(conf_state_from_wire(s.conf_state.unwrap_or_default()));
        let mut snap = Snapshot {
            data: s.data.into(),
            ..Default::default()
        };
        snap.set_metadata(meta);
        m.set_snapshot(snap);
    }
    Some(m)
}

fn entry_to_wire(e: &Entry) -> RaftEntry {
    RaftEntry {
        entry_type: e.get_entry_type() as i32,
        term: e.term,
        index: e.index,
        data: e.data.to_vec(),
        context: e.context.to_vec(),
    }
}

fn entry_from_wire(e: RaftEntry) -> Entry {
    Entry {
        entry_type: entry_type(e.entry_type),
        term: e.term,
        index: e.index,
        data: e.data.into(),
        context: e.context.into(),
        ..Default::default()
    }
}

pub fn entry_type(t: i32) -> EntryType {
    match t {
        1 => EntryType::EntryConfChange,
        2 => EntryType::EntryConfChangeV2,
        _ => EntryType::EntryNormal,
    }
}

fn conf_state_to_wire(cs: &ConfState) -> RaftConfState {
    RaftConfState {
        voters: cs.voters.clone(),
        learners: cs.learners.clone(),
        voters_outgoing: cs.voters_outgoing.clone(),
        learners_next: cs.learners_next.clone(),
        auto_leave: cs.auto_leave,
    }
}

fn conf_state_from_wire(w: RaftConfState) -> ConfState {
    ConfState {
        voters: w.voters,
        learners: w.learners,
        voters_outgoing: w.voters_outgoing,
        learners_next: w.learners_next,
        auto_leave: w.auto_leave,
        ..Default::default()
    }
}

fn message_type(t: i32) -> Option<MessageType> {
    use MessageType::*;
    Some(match t {
        0 => MsgHup,
        1 => MsgBeat,
        2 => MsgPropose,
        3 => MsgAppend,
        4 => MsgAppendResponse,
        5 => MsgRequestVote,
        6 => MsgRequestVoteResponse,
        7 => MsgSnapshot,
        8 => MsgHeartbeat,
        9 => MsgHeartbeatResponse,
        10 => MsgUnreachable,
        11 => MsgSnapStatus,
        12 => MsgCheckQuorum,
        13 => MsgTransferLeader,
        14 => MsgTimeoutNow,
        15 => MsgReadIndex,
        16 => MsgReadIndexResp,
        17 => MsgRequestPreVote,
        18 => MsgRequestPreVoteResponse,
        _ => return None,
    })
}

// ---------------------------------------------------------------- receiving

/// The peer gRPC service: hands every message of the local cluster to the node loop.
pub struct PeerService {
    pub cluster_id: u64,
    pub member_id: u64,
    pub membership: Arc<crate::membership::Membership>,
    pub store: Arc<oxcd_storage::mvcc::MvccStore>,
    pub node: SyncSender<NodeMsg>,
    /// Where incoming snapshots are written before the node installs them.
    pub snap_dir: PathBuf,
}

/// Bytes of backend file per snapshot chunk.
const SNAPSHOT_CHUNK: usize = 1 << 20;

impl PeerService {
    pub fn into_server(self) -> PeerServer<PeerService> {
        PeerServer::new(self)
            .max_decoding_message_size(MAX_PEER_MESSAGE_BYTES)
            .max_encoding_message_size(usize::MAX)
    }
}

#[tonic::async_trait]
impl Peer for PeerService {
    async fn stream(
        &self,
        request: Request<Streaming<RaftBatch>>,
    ) -> Result<Response<RaftAck>, Status> {
        let mut stream = request.into_inner();
        while let Some(batch) = stream.message().await? {
            if batch.cluster_id != self.cluster_id {
                return Err(Status::failed_precondition(format!(
                    "request cluster ID mismatch: local {:x}, remote {:x}",
                    self.cluster_id, batch.cluster_id
                )));
            }
            for wire in batch.messages {
                let Some(m) = from_wire(wire) else { continue };
                // A full node queue means the member is overloaded: dropping is what raft expects.
                if let Err(std::sync::mpsc::TrySendError::Disconnected(_)) =
                    self.node.try_send(NodeMsg::Step(m))
                {
                    return Err(Status::unavailable("member stopped"));
                }
            }
        }
        Ok(Response::new(RaftAck {}))
    }

    async fn members(
        &self,
        _request: Request<RaftAck>,
    ) -> Result<Response<oxcd_proto::etcdserverpb::MemberListResponse>, Status> {
        let header = oxcd_proto::etcdserverpb::ResponseHeader {
            cluster_id: self.cluster_id,
            member_id: self.member_id,
            ..Default::default()
        };
        Ok(Response::new(
            oxcd_proto::etcdserverpb::MemberListResponse {
                header: Some(header),
                members: self.membership.list(),
            },
        ))
    }

    async fn hash_kv(
        &self,
        request: Request<oxcd_proto::etcdserverpb::HashKvRequest>,
    ) -> Result<Response<oxcd_proto::etcdserverpb::HashKvResponse>, Status> {
        let store = self.store.clone();
        let revision = request.get_ref().revision;
        let (hash, compact_revision, hash_revision) =
            tokio::task::spawn_blocking(move || store.hash_kv(revision))
                .await
                .map_err(|e| Status::internal(e.to_string()))?
                .map_err(|e| Status::from(crate::error::ServerError::from(e)))?;
        let header = oxcd_proto::etcdserverpb::ResponseHeader {
            cluster_id: self.cluster_id,
            member_id: self.member_id,
            revision: self.store.current_revision(),
            ..Default::default()
        };
        Ok(Response::new(oxcd_proto::etcdserverpb::HashKvResponse {
            header: Some(header),
            hash,
            compact_revision,
            hash_revision,
        }))
    }

    /// Receives a snapshot into a file, then steps the MsgSnapshot with the file's path as its
    /// data; the node loop installs it when raft hands it back in a Ready.
    async fn snapshot(
        &self,
        request: Request<Streaming<SnapshotChunk>>,
    ) -> Result<Response<RaftAck>, Status> {
        use tokio::io::AsyncWriteExt;
        let mut stream = request.into_inner();
        let first = stream
            .message()
            .await?
            .ok_or_else(|| Status::invalid_argument("empty snapshot stream"))?;
        if first.cluster_id != self.cluster_id {
            return Err(Status::failed_precondition("request cluster ID mismatch"));
        }
        let message = first
            .message
            .ok_or_else(|| Status::invalid_argument("snapshot without message"))?;
        let index = message.snapshot.as_ref().map_or(0, |s| s.index);
        let path = self.snap_dir.join(format!("{index:016x}.incoming.snap.db"));
        let io_err = |e: std::io::Error| {
            Status::internal(format!("writing snapshot {}: {e}", path.display()))
        };
        let mut file = tokio::fs::File::create(&path).await.map_err(io_err)?;
        file.write_all(&first.data).await.map_err(io_err)?;
        let mut received = first.data.len();
        while let Some(chunk) = stream.message().await? {
            file.write_all(&chunk.data).await.map_err(io_err)?;
            received += chunk.data.len();
        }
        file.sync_all().await.map_err(io_err)?;
        drop(file);
        tracing::info!(index, bytes = received, "received snapshot");
        let mut m =
            from_wire(message).ok_or_else(|| Status::invalid_argument("unknown message type"))?;
        let mut snap = m.take_snapshot();
        snap.data = path.to_string_lossy().as_bytes().to_vec().into();
        m.set_snapshot(snap);
        self.node
            .try_send(NodeMsg::Step(m))
            .map_err(|_| Status::unavailable("member busy"))?;
        Ok(Response::new(RaftAck {}))
    }
}

/// Streams backend snapshots to members; cheap to clone into the task that sends one.
#[derive(Clone)]
pub struct SnapshotSender {
    cluster_id: u64,
    urls: Arc<RwLock<HashMap<u64, Vec<String>>>>,
}

impl SnapshotSender {
    /// Sends `message` (a MsgSnapshot) with the backend copy at `file` to its recipient.
    pub async fn send(&self, mut message: Message, file: &std::path::Path) -> Result<(), String> {
        use tokio::io::AsyncReadExt;
        let url = {
            let urls = self.urls.read().expect("peer urls lock poisoned");
            urls.get(&message.to)
                .and_then(|u| u.first())
                .cloned()
                .ok_or("unknown member")?
        };
        let endpoint =
            tonic::transport::Endpoint::from_shared(format!("http://{}", url_host_port(&url)))
                .map_err(|e| e.to_string())?
                .connect_timeout(Duration::from_secs(2));
        let channel = endpoint.connect().await.map_err(|e| e.to_string())?;
        let mut client = PeerClient::new(channel).max_encoding_message_size(usize::MAX);
        let mut snap = message.take_snapshot();
        snap.data = Default::default();
        message.set_snapshot(snap);
        let mut f = tokio::fs::File::open(file)
            .await
            .map_err(|e| e.to_string())?;
        let (tx, rx) = mpsc::channel::<SnapshotChunk>(4);
        let cluster_id = self.cluster_id;
        let call = tokio::spawn(async move {
            client
                .snapshot(tokio_stream::wrappers::ReceiverStream::new(rx))
                .await
        });
        let mut first = Some(to_wire(&message));
        loop {
            let mut buf = vec![0u8; SNAPSHOT_CHUNK];
            let n = f.read(&mut buf).await.map_err(|e| e.to_string())?;
            buf.truncate(n);
            if n == 0 && first.is_none() {
                break;
            }
            let chunk = SnapshotChunk {
                cluster_id,
                message: first.take(),
                data: buf,
            };
            if tx.send(chunk).await.is_err() {
                break;
            }
            if n == 0 {
                break;
            }
        }
        drop(tx);
        match call.await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(status)) => Err(status.message().to_string()),
            Err(e) => Err(e.to_string()),
        }
    }
}

// ---------------------------------------------------------------- sending

/// Outgoing queues, one per remote member. `send` never blocks.
pub struct Transport {
    local_id: u64,
    cluster_id: u64,
    node: SyncSender<NodeMsg>,
    runtime: tokio::runtime::Handle,
    peers: HashMap<u64, mpsc::Sender<RaftMessage>>,
    /// Shared with the snapshot sender so both follow membership changes.
    urls: Arc<RwLock<HashMap<u64, Vec<String>>>>,
}

impl Transport {
    /// Starts one sender task per remote member on the given tokio runtime.
    pub fn start(
        local_id: u64,
        cluster_id: u64,
        members: &[(u64, Vec<String>)],
        node: SyncSender<NodeMsg>,
        runtime: &tokio::runtime::Handle,
    ) -> Transport {
        let mut t = Transport {
            local_id,
            cluster_id,
            node,
            runtime: runtime.clone(),
            peers: HashMap::new(),
            urls: Arc::default(),
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
        self.runtime.spawn(run_sender(
            id,
            self.cluster_id,
            urls.clone(),
            rx,
            self.node.clone(),
        ));
        self.peers.insert(id, tx);
        self.urls
            .write()
            .expect("peer urls lock poisoned")
            .insert(id, urls);
    }

    pub fn has_peer(&self, id: u64) -> bool {
        self.peers.contains_key(&id)
    }

    /// Stops sending to a removed member (its sender task ends with its queue).
    pub fn remove_peer(&mut self, id: u64) {
        self.peers.remove(&id);
        self.urls
            .write()
            .expect("peer urls lock poisoned")
            .remove(&id);
    }

    pub fn snapshot_sender(&self) -> SnapshotSender {
        SnapshotSender {
            cluster_id: self.cluster_id,
            urls: self.urls.clone(),
        }
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
            if !ok && !unreachable.contains(&to) {
                unreachable.push(to);
            }
        }
        unreachable
    }
}

async fn run_sender(
    peer: u64,
    cluster_id: u64,
    urls: Vec<String>,
    mut queue: mpsc::Receiver<RaftMessage>,
    node: SyncSender<NodeMsg>,
) {
    let mut attempt = 0usize;
    loop {
        let url = &urls[attempt % urls.len()];
        attempt += 1;
        let endpoint =
            match tonic::transport::Endpoint::from_shared(format!("http://{}", url_host_port(url)))
            {
                Ok(e) => e.connect_timeout(Duration::from_secs(1)).tcp_nodelay(true),
                Err(_) => return,
            };
        let channel = match endpoint.connect().await {
            Ok(c) => c,
            Err(_) => {
                let _ = node.try_send(NodeMsg::Unreachable(peer));
                if !drain_for(&mut queue, Duration::from_millis(100)).await {
                    return;
                }
                continue;
            }
        };
        let mut client = PeerClient::new(channel)
            .max_decoding_message_size(MAX_PEER_MESSAGE_BYTES)
            .max_encoding_message_size(usize::MAX);
        let (tx, rx) = mpsc::channel::<RaftBatch>(16);
        let call = tokio::spawn(async move {
            client
                .stream(tokio_stream::wrappers::ReceiverStream::new(rx))
                .await
        });
        // Forward queued messages until the stream breaks or the member stops.
        loop {
            let Some(first) = queue.recv().await else {
                call.abort();
                return;
            };
            let mut messages = vec![first];
            while messages.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(m) => messages.push(m),
                    Err(_) => break,
                }
            }
            if tx
                .send(RaftBatch {
                    cluster_id,
                    messages,
                })
                .await
                .is_err()
                || call.is_finished()
            {
                break;
            }
        }
        if let Ok(Ok(Err(status))) = tokio::time::timeout(Duration::from_secs(1), call).await {
            tracing::warn!(peer = %format!("{peer:x}"), error = %status.message(), "peer stream ended");
        }
        let _ = node.try_send(NodeMsg::Unreachable(peer));
    }
}

/// Drops queued messages for `wait` (the peer is down; raft will resend). False once the
/// member is stopping.
async fn drain_for(queue: &mut mpsc::Receiver<RaftMessage>, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, queue.recv()).await {
            Ok(Some(_)) => continue,
            Ok(None) => return false,
            Err(_) => return true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_the_wire_format() {
        let mut m = Message {
            msg_type: MessageType::MsgAppend,
            to: 2,
            from: 1,
            term: 5,
            log_term: 4,
            index: 9,
            commit: 8,
            reject_hint: 3,
            priority: -1,
            ..Default::default()
        };
        m.context = b"ctx".to_vec().into();
        m.entries = vec![Entry {
            entry_type: EntryType::EntryConfChangeV2,
            term: 5,
            index: 10,
            data: b"d".to_vec().into(),
            ..Default::default()
        }]
        .into();
        let mut meta = SnapshotMetadata {
            index: 7,
            term: 3,
            ..Default::default()
        };
        meta.set_conf_state(ConfState {
            voters: vec![1, 2],
            learners: vec![3],
            ..Default::default()
        });
        let mut snap = Snapshot {
            data: b"db".to_vec().into(),
            ..Default::default()
        };
        snap.set_metadata(meta);
        m.set_snapshot(snap);
        let back = from_wire(to_wire(&m)).unwrap();
        assert_eq!(back, m);
        assert!(from_wire(RaftMessage {
            msg_type: 99,
            ..Default::default()
        })
        .is_none());
    }
}
