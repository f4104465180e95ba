//! The receiving side of the peer protocol on `--listen-peer-urls` (gRPC service
//! `oxcdpb.Peer`): raft messages and snapshots for the node loop, the member list for joiners,
//! HashKV for corruption checks, lease keep-alives and time-to-live forwarded by followers.
//!
//! It trusts nothing it has not checked: every RPC but `Members` (which a joining member calls
//! before it is one; peer TLS protects it) must carry this cluster's ID and come from a member;
//! every raft message must be from a member and to this one; snapshots arrive only on the
//! `Snapshot` RPC, length- and checksum-checked, into files this member names; every message has
//! a size limit.

use std::collections::HashMap;
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxcd_proto::etcdserverpb::{
    HashKvResponse, LeaseTimeToLiveResponse, MemberListResponse, ResponseHeader,
};
use oxcd_proto::oxcdpb::peer_server::{Peer, PeerServer};
use oxcd_proto::oxcdpb::{
    PeerHashKvRequest, PeerLeaseRenewResponse, PeerLeaseRequest, RaftAck, RaftBatch, RaftMessage,
    SnapshotChunk,
};
use oxcd_storage::mvcc::MvccStore;
use raft::prelude::MessageType;
use tokio::sync::Semaphore;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use super::incoming::{validate, IncomingSnapshots};
use super::wire::from_wire;
use crate::error::ServerError;
use crate::messages::NodeMsg;
use crate::metrics::ServerMetrics;
use crate::state::membership::Membership;

/// What the peer service asks of the member's lessor for followers' forwarded lease calls.
/// Implemented by the member layer, which knows about leadership and the lessor's primary role.
#[tonic::async_trait]
pub trait LeaderLeases: Send + Sync + 'static {
    /// A keep-alive on this member as the leader: the renewed TTL, `LeaseNotFound` for a lease it
    /// does not know, `NotLeader` if another member leads. Never forwarded further.
    async fn renew(&self, id: i64) -> Result<i64, ServerError>;
    /// The lease's time to live as this member, the leader, knows it (TTL -1 for an unknown lease);
    /// `NotLeader` if another member leads.
    async fn time_to_live(
        &self,
        id: i64,
        keys: bool,
    ) -> Result<LeaseTimeToLiveResponse, ServerError>;
}

/// Everything the peer service needs from the member that runs it.
pub struct PeerSetup {
    pub cluster_id: u64,
    pub member_id: u64,
    pub membership: Arc<Membership>,
    pub store: Arc<MvccStore>,
    pub node: SyncSender<NodeMsg>,
    /// Where verified incoming snapshots wait for the node loop.
    pub incoming: IncomingSnapshots,
    pub leases: Arc<dyn LeaderLeases>,
    /// Largest message accepted on any peer RPC.
    pub max_message_bytes: usize,
    /// Largest snapshot accepted as a whole.
    pub max_snapshot_bytes: u64,
    pub metrics: Arc<ServerMetrics>,
}

/// The peer gRPC service: checks, then hands every message of the local cluster to the node loop.
pub struct PeerService {
    setup: PeerSetup,
    refusals: RefusalLog,
    /// One snapshot is received at a time: each may be gigabytes on disk.
    receiving: Arc<Semaphore>,
    /// How long a snapshot transfer may take to send its first chunk.
    first_chunk_timeout: Duration,
    /// How long a snapshot transfer may wait between two chunks.
    chunk_idle_timeout: Duration,
}

/// How long a snapshot transfer may take to send its first chunk (checked before the receiving
/// permit is taken).
const FIRST_CHUNK_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a snapshot transfer may wait for its next chunk; the sender's chunks are 1 MiB.
const CHUNK_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

impl PeerService {
    pub fn new(setup: PeerSetup) -> PeerService {
        PeerService {
            setup,
            refusals: RefusalLog::default(),
            receiving: Arc::new(Semaphore::new(1)),
            first_chunk_timeout: FIRST_CHUNK_TIMEOUT,
            chunk_idle_timeout: CHUNK_IDLE_TIMEOUT,
        }
    }

    pub fn into_server(self) -> PeerServer<PeerService> {
        let limit = self.setup.max_message_bytes;
        PeerServer::new(self)
            .max_decoding_message_size(limit)
            .max_encoding_message_size(usize::MAX)
    }

    fn check_cluster(&self, rpc: &str, cluster_id: u64) -> Result<(), Status> {
        if cluster_id == self.setup.cluster_id {
            return Ok(());
        }
        self.refusals.note(rpc, "request cluster ID mismatch", 0);
        Err(Status::failed_precondition(format!(
            "request cluster ID mismatch: local {:x}, remote {cluster_id:x}",
            self.setup.cluster_id
        )))
    }

    fn check_member(&self, rpc: &str, from: u64) -> Result<(), Status> {
        if self.setup.membership.contains(from) {
            return Ok(());
        }
        self.refusals.note(rpc, "sender is not a member", from);
        Err(Status::permission_denied(format!(
            "{from:x} is not a member of cluster {:x}",
            self.setup.cluster_id
        )))
    }

    /// Why a raft message from the stream RPC is dropped, if it is.
    fn refuse_on_stream(&self, m: &RaftMessage) -> Option<&'static str> {
        if m.msg_type == MessageType::MsgSnapshot as i32 {
            // Only the Snapshot RPC checks and stores a snapshot's file.
            Some("snapshot message on the stream RPC")
        } else if m.to != self.setup.member_id {
            Some("message addressed to another member")
        } else if !self.setup.membership.contains(m.from) {
            Some("sender is not a member")
        } else {
            None
        }
    }

    /// Receives a snapshot into a file this member names, checks its length and checksum and
    /// that it is a usable backend, then steps the MsgSnapshot (without data) into raft; the node
    /// loop takes the file from `incoming` when raft hands the snapshot back in a Ready.
    ///
    /// The first chunk (cluster, message, sender, recipient, declared size) is read and checked,
    /// within a timeout, before the one receiving permit is taken, so a connection that never
    /// sends cannot block other transfers; each later chunk must arrive within the idle timeout.
    /// A refused, failed or cancelled transfer leaves no file: the file's guard lives in this
    /// future and removes it unless it was registered.
    async fn receive_snapshot<S>(&self, mut stream: S) -> Result<Response<RaftAck>, Status>
    where
        S: Stream<Item = Result<SnapshotChunk, Status>> + Unpin + Send,
    {
        let mut first = match tokio::time::timeout(self.first_chunk_timeout, stream.next()).await {
            Err(_) => {
                self.refusals
                    .note("snapshot", "no first snapshot chunk in time", 0);
                return Err(Status::deadline_exceeded("no snapshot chunk in time"));
            }
            Ok(None) => return Err(Status::invalid_argument("empty snapshot stream")),
            Ok(Some(first)) => first?,
        };
        self.check_cluster("snapshot", first.cluster_id)?;
        let message = first
            .message
            .take()
            .ok_or_else(|| Status::invalid_argument("snapshot without message"))?;
        if message.msg_type != MessageType::MsgSnapshot as i32 {
            return Err(Status::invalid_argument("not a snapshot message"));
        }
        if message.to != self.setup.member_id {
            self.refusals.note(
                "snapshot",
                "message addressed to another member",
                message.from,
            );
            return Err(Status::invalid_argument(
                "snapshot addressed to another member",
            ));
        }
        self.check_member("snapshot", message.from)?;
        let (index, term) = match &message.snapshot {
            Some(s) if s.index > 0 => (s.index, s.term),
            _ => return Err(Status::invalid_argument("snapshot without metadata")),
        };
        if first.total_bytes > self.setup.max_snapshot_bytes {
            self.refusals
                .note("snapshot", "snapshot over the size limit", message.from);
            return Err(Status::resource_exhausted(format!(
                "snapshot of {} bytes is over the {} bytes limit",
                first.total_bytes, self.setup.max_snapshot_bytes
            )));
        }
        let from = format!("{:x}", message.from);
        let mut m =
            from_wire(message).ok_or_else(|| Status::invalid_argument("unknown message type"))?;
        let mut snap = m.take_snapshot();
        snap.data = Default::default();
        m.set_snapshot(snap);
        if self
            .setup
            .incoming
            .is_full(self.setup.store.consistent_index())
        {
            return Err(Status::unavailable(
                "too many received snapshots wait for installation",
            ));
        }
        let _receiving = self
            .receiving
            .clone()
            .try_acquire_owned()
            .map_err(|_| Status::unavailable("a snapshot is already being received"))?;
        let started = std::time::Instant::now();
        let metrics = self.setup.metrics.clone();
        // A failure below (dropped unfinished) is counted as one.
        let transfer = metrics.snapshot_receive.start(&from);
        let received = self
            .setup
            .incoming
            .receive(
                index,
                first,
                &mut stream,
                self.setup.max_snapshot_bytes,
                self.chunk_idle_timeout,
            )
            .await;
        let (file, bytes) = received.map_err(|e| {
            tracing::warn!(%from, index, error = %e, "refused a snapshot; the member keeps its data");
            Status::data_loss(e)
        })?;
        let file = validate(file, index).await.map_err(|e| {
            tracing::warn!(%from, index, error = %e, "refused a snapshot; the member keeps its data");
            Status::invalid_argument(e)
        })?;
        metrics
            .snap_db_fsync
            .observe(file.fsync_duration().as_secs_f64());
        metrics
            .snap_db_save
            .observe(started.elapsed().as_secs_f64());
        tracing::info!(%from, index, bytes, "received snapshot");
        self.setup
            .incoming
            .register(index, term, file)
            .map_err(Status::unavailable)?;
        if self.setup.node.try_send(NodeMsg::Step(m)).is_err() {
            // Raft never saw it: the file would wait for nothing.
            if let Some(path) = self.setup.incoming.take(index, term) {
                let _ = std::fs::remove_file(path);
            }
            return Err(Status::unavailable("member busy"));
        }
        transfer.succeeded();
        Ok(Response::new(RaftAck {}))
    }

    fn header(&self) -> ResponseHeader {
        ResponseHeader {
            cluster_id: self.setup.cluster_id,
            member_id: self.setup.member_id,
            ..Default::default()
        }
    }
}

#[tonic::async_trait]
impl Peer for PeerService {
    async fn stream(
        &self,
        request: Request<Streaming<RaftBatch>>,
    ) -> Result<Response<RaftAck>, Status> {
        let mut stream = request.into_inner();
        loop {
            let batch = match stream.message().await {
                Ok(Some(batch)) => batch,
                Ok(None) => break,
                Err(status) => {
                    // Over the size limit, or the connection broke.
                    tracing::warn!(error = %status.message(), "peer stream refused or broken");
                    return Err(status);
                }
            };
            self.check_cluster("stream", batch.cluster_id)?;
            if let Some(from) = batch.messages.first().map(|m| m.from) {
                self.setup
                    .metrics
                    .peer_received_bytes
                    .with_label_values(&[&format!("{from:x}")])
                    .inc_by(prost::Message::encoded_len(&batch) as u64);
            }
            for wire in batch.messages {
                if let Some(reason) = self.refuse_on_stream(&wire) {
                    self.refusals.note("stream", reason, wire.from);
                    continue;
                }
                let Some(m) = from_wire(wire) else { continue };
                // A full node queue means the member is overloaded: dropping is what raft expects.
                if let Err(TrySendError::Disconnected(_)) =
                    self.setup.node.try_send(NodeMsg::Step(m))
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
    ) -> Result<Response<MemberListResponse>, Status> {
        // Not checked: a joining member calls it before it is a member and knows the cluster ID.
        Ok(Response::new(MemberListResponse {
            header: Some(self.header()),
            members: self.setup.membership.list(),
        }))
    }

    async fn hash_kv(
        &self,
        request: Request<PeerHashKvRequest>,
    ) -> Result<Response<HashKvResponse>, Status> {
        let req = request.into_inner();
        self.check_cluster("hash_kv", req.cluster_id)?;
        self.check_member("hash_kv", req.from)?;
        let store = self.setup.store.clone();
        let (hash, compact_revision, hash_revision) =
            tokio::task::spawn_blocking(move || store.hash_kv(req.revision))
                .await
                .map_err(|e| Status::internal(e.to_string()))?
                .map_err(|e| Status::from(ServerError::from(e)))?;
        let header = ResponseHeader {
            revision: self.setup.store.current_revision(),
            ..self.header()
        };
        Ok(Response::new(HashKvResponse {
            header: Some(header),
            hash,
            compact_revision,
            hash_revision,
        }))
    }

    /// Receives a snapshot into a file this member names (see [`PeerService::receive_snapshot`]).
    async fn snapshot(
        &self,
        request: Request<Streaming<SnapshotChunk>>,
    ) -> Result<Response<RaftAck>, Status> {
        self.receive_snapshot(request.into_inner()).await
    }

    async fn lease_renew(
        &self,
        request: Request<PeerLeaseRequest>,
    ) -> Result<Response<PeerLeaseRenewResponse>, Status> {
        let req = request.into_inner();
        self.check_cluster("lease_renew", req.cluster_id)?;
        self.check_member("lease_renew", req.from)?;
        let ttl = match self.setup.leases.renew(req.id).await {
            Ok(ttl) => ttl,
            Err(ServerError::LeaseNotFound) => 0,
            Err(e) => return Err(e.into()),
        };
        Ok(Response::new(PeerLeaseRenewResponse { ttl }))
    }

    async fn lease_time_to_live(
        &self,
        request: Request<PeerLeaseRequest>,
    ) -> Result<Response<LeaseTimeToLiveResponse>, Status> {
        let req = request.into_inner();
        self.check_cluster("lease_time_to_live", req.cluster_id)?;
        self.check_member("lease_time_to_live", req.from)?;
        let resp = self.setup.leases.time_to_live(req.id, req.keys).await?;
        Ok(Response::new(resp))
    }
}

/// How often refused peer input is logged at most: a flood of forged messages must not flood
/// the log too.
const REFUSAL_LOG_INTERVAL: Duration = Duration::from_secs(1);

/// Warns about refused peer input at most once per interval for each reason, with how many were
/// refused for it since. Reasons are a fixed set of static strings, so the map stays small.
#[derive(Default)]
struct RefusalLog {
    /// By reason: when the last warning was written, and the refusals since.
    state: Mutex<HashMap<&'static str, (Instant, u64)>>,
}

impl RefusalLog {
    /// Counts one refusal; true if it was logged.
    fn note(&self, rpc: &str, reason: &'static str, from: u64) -> bool {
        let mut state = self.state.lock().expect("refusal log lock poisoned");
        let now = Instant::now();
        let refused = match state.get_mut(reason) {
            Some((last, refused)) if now.duration_since(*last) < REFUSAL_LOG_INTERVAL => {
                *refused += 1;
                return false;
            }
            Some((_, refused)) => *refused + 1,
            None => 1,
        };
        state.insert(reason, (now, 0));
        tracing::warn!(
            rpc,
            from = %format!("{from:x}"),
            refused,
            "dropped peer input: {reason}"
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxcd_proto::etcdserverpb::Member as MemberPb;
    use oxcd_proto::oxcdpb::RaftSnapshot;
    use sha1::{Digest, Sha1};
    use std::path::Path;
    use std::sync::mpsc::Receiver;

    struct NoLeases;

    #[tonic::async_trait]
    impl LeaderLeases for NoLeases {
        async fn renew(&self, _id: i64) -> Result<i64, ServerError> {
            Err(ServerError::LeaseNotFound)
        }
        async fn time_to_live(
            &self,
            _id: i64,
            _keys: bool,
        ) -> Result<LeaseTimeToLiveResponse, ServerError> {
            Err(ServerError::LeaseNotFound)
        }
    }

    /// A service of member 1 in cluster 7 (with member 2), receiving into `dir`.
    fn service(dir: &Path) -> (Arc<PeerService>, Receiver<NodeMsg>) {
        let members = [1, 2]
            .map(|id| MemberPb {
                id,
                ..Default::default()
            })
            .to_vec();
        let (node, rx) = std::sync::mpsc::sync_channel(4);
        let store = MvccStore::open(&dir.join("db")).expect("store");
        let mut service = PeerService::new(PeerSetup {
            cluster_id: 7,
            member_id: 1,
            membership: Arc::new(Membership::from_list(members)),
            store: Arc::new(store),
            node,
            incoming: IncomingSnapshots::open(dir),
            leases: Arc::new(NoLeases),
            max_message_bytes: 1 << 20,
            max_snapshot_bytes: 1 << 30,
            metrics: Arc::new(ServerMetrics::new(false)),
        });
        service.first_chunk_timeout = Duration::from_secs(5);
        service.chunk_idle_timeout = Duration::from_millis(200);
        (Arc::new(service), rx)
    }

    /// A backend copy holding raft index `index`.
    fn backend(dir: &Path, index: u64) -> Vec<u8> {
        let source = MvccStore::open(&dir.join("source")).expect("store");
        let mut batch = source.write_batch().expect("batch");
        batch.set_consistent_index(index, 2).expect("index");
        batch.commit(true).expect("commit");
        let copy = dir.join("copy");
        source.write_snapshot(&copy).expect("snapshot");
        std::fs::read(&copy).expect("read copy")
    }

    /// The chunks of a transfer of `data` as the snapshot at `index` from member 2.
    fn transfer(data: &[u8], index: u64) -> Vec<Result<SnapshotChunk, Status>> {
        let (a, b) = data.split_at(data.len() / 2);
        let message = RaftMessage {
            msg_type: MessageType::MsgSnapshot as i32,
            from: 2,
            to: 1,
            term: 2,
            snapshot: Some(RaftSnapshot {
                index,
                term: 2,
                ..Default::default()
            }),
            ..Default::default()
        };
        vec![
            Ok(SnapshotChunk {
                cluster_id: 7,
                message: Some(message),
                total_bytes: data.len() as u64,
                data: a.to_vec(),
                ..Default::default()
            }),
            Ok(SnapshotChunk {
                data: b.to_vec(),
                last: true,
                sha1: Sha1::digest(data).to_vec(),
                ..Default::default()
            }),
        ]
    }

    fn incoming_files(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .expect("read dir")
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .ends_with(".incoming.snap.db")
            })
            .count()
    }

    #[tokio::test]
    async fn an_idle_or_stalled_sender_does_not_block_a_real_snapshot() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (service, node) = service(dir.path());
        let data = backend(dir.path(), 9);

        // A connection that never sends its first chunk holds no permit.
        let idle = {
            let service = service.clone();
            tokio::spawn(async move {
                let silent = tokio_stream::pending::<Result<SnapshotChunk, Status>>();
                service.receive_snapshot(silent).await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        service
            .receive_snapshot(tokio_stream::iter(transfer(&data, 9)))
            .await
            .expect("a real transfer is not blocked by an idle one");
        assert!(
            matches!(node.try_recv(), Ok(NodeMsg::Step(m)) if m.get_snapshot().get_metadata().index == 9)
        );
        assert!(service.setup.incoming.take(9, 2).is_some());
        idle.abort();

        // A sender that stalls after its first chunk is cut off, its file removed.
        let mut chunks = transfer(&data, 10);
        chunks.truncate(1);
        let stalled = tokio_stream::iter(chunks).chain(tokio_stream::pending());
        let err = service
            .receive_snapshot(stalled)
            .await
            .expect_err("a stalled sender is cut off");
        assert!(err.message().contains("idle"), "{err}");
        assert_eq!(incoming_files(dir.path()), 1, "only the taken file is left");
        service
            .receive_snapshot(tokio_stream::iter(transfer(&data, 9)))
            .await
            .expect("the permit was released");
    }

    #[tokio::test]
    async fn a_cancelled_or_invalid_transfer_leaves_no_file_and_steps_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (service, node) = service(dir.path());
        let data = backend(dir.path(), 9);

        // The RPC future dropped while awaiting the next chunk (stream reset, broken connection).
        let mut chunks = transfer(&data, 9);
        chunks.truncate(1);
        let cut = tokio_stream::iter(chunks).chain(tokio_stream::pending());
        let cancelled =
            tokio::time::timeout(Duration::from_millis(100), service.receive_snapshot(cut)).await;
        assert!(cancelled.is_err());
        assert_eq!(incoming_files(dir.path()), 0);

        // Intact, but not a backend; a backend behind the snapshot's index.
        let err = service
            .receive_snapshot(tokio_stream::iter(transfer(b"garbage, intact", 9)))
            .await
            .expect_err("refused");
        assert!(err.message().contains("not a usable backend"), "{err}");
        let err = service
            .receive_snapshot(tokio_stream::iter(transfer(&data, 12)))
            .await
            .expect_err("refused");
        assert!(err.message().contains("behind the snapshot"), "{err}");
        assert_eq!(incoming_files(dir.path()), 0);
        assert!(node.try_recv().is_err(), "nothing was stepped");
    }

    #[test]
    fn refusals_are_logged_at_most_once_per_interval() {
        let log = RefusalLog::default();
        assert!(log.note("stream", "sender is not a member", 9));
        for _ in 0..1000 {
            assert!(!log.note("stream", "sender is not a member", 9));
        }
        assert!(
            log.note("stream", "message addressed to another member", 9),
            "another reason is logged on its own"
        );
        let state = log.state.lock().expect("lock");
        assert_eq!(state["sender is not a member"].1, 1000);
    }
}
