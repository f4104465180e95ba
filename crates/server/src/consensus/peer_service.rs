//! The receiving side of the peer protocol on `--listen-peer-urls` (gRPC service
//! `oxcdpb.Peer`): raft messages and snapshots for the node loop, the member list for joiners,
//! HashKV for corruption checks.

use std::path::PathBuf;
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::Arc;

use oxcd_proto::etcdserverpb::{HashKvRequest, HashKvResponse, MemberListResponse, ResponseHeader};
use oxcd_proto::oxcdpb::peer_server::{Peer, PeerServer};
use oxcd_proto::oxcdpb::{RaftAck, RaftBatch, SnapshotChunk};
use oxcd_storage::mvcc::MvccStore;
use tonic::{Request, Response, Status, Streaming};

use super::wire::{from_wire, MAX_PEER_MESSAGE_BYTES};
use crate::error::ServerError;
use crate::messages::NodeMsg;
use crate::state::membership::Membership;

/// The peer gRPC service: hands every message of the local cluster to the node loop.
pub struct PeerService {
    pub cluster_id: u64,
    pub member_id: u64,
    pub membership: Arc<Membership>,
    pub store: Arc<MvccStore>,
    pub node: SyncSender<NodeMsg>,
    /// Where incoming snapshots are written before the node installs them.
    pub snap_dir: PathBuf,
}

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
                if let Err(TrySendError::Disconnected(_)) = self.node.try_send(NodeMsg::Step(m)) {
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
        let header = ResponseHeader {
            cluster_id: self.cluster_id,
            member_id: self.member_id,
            ..Default::default()
        };
        Ok(Response::new(MemberListResponse {
            header: Some(header),
            members: self.membership.list(),
        }))
    }

    async fn hash_kv(
        &self,
        request: Request<HashKvRequest>,
    ) -> Result<Response<HashKvResponse>, Status> {
        let store = self.store.clone();
        let revision = request.get_ref().revision;
        let (hash, compact_revision, hash_revision) =
            tokio::task::spawn_blocking(move || store.hash_kv(revision))
                .await
                .map_err(|e| Status::internal(e.to_string()))?
                .map_err(|e| Status::from(ServerError::from(e)))?;
        let header = ResponseHeader {
            cluster_id: self.cluster_id,
            member_id: self.member_id,
            revision: self.store.current_revision(),
            ..Default::default()
        };
        Ok(Response::new(HashKvResponse {
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
