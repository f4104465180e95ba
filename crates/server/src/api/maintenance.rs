//! The Maintenance service (etcd's `v3rpc/maintenance.go`) and its gateway routes.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use oxcd_proto::etcdserverpb::{
    alarm_request::AlarmAction, maintenance_server::Maintenance, AlarmRequest, AlarmResponse,
    AlarmType, DefragmentRequest, DefragmentResponse, HashKvRequest, HashKvResponse, HashRequest,
    HashResponse, MoveLeaderRequest, MoveLeaderResponse, SnapshotRequest, SnapshotResponse,
    StatusRequest, StatusResponse,
};
use oxcd_proto::oxcdpb::internal_request::Op;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::api::caller::{admin, someone};
use crate::api::json::{unary_route, GatewayRoute};
use crate::error::ServerError;
use crate::member::Member;
use crate::state::etcd_format::write_bbolt;
use crate::state::waits::ApplyResponse;
use crate::version::ETCD_VERSION;

/// The Maintenance methods of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[
    unary_route!(
        "maintenance/status",
        MaintenanceService::status,
        "StatusRequest",
        "StatusResponse"
    ),
    unary_route!(
        "maintenance/alarm",
        MaintenanceService::alarm,
        "AlarmRequest",
        "AlarmResponse"
    ),
];

#[derive(Clone)]
pub struct MaintenanceService(pub Arc<Member>);

#[tonic::async_trait]
impl Maintenance for MaintenanceService {
    async fn hash_kv(
        &self,
        request: Request<HashKvRequest>,
    ) -> Result<Response<HashKvResponse>, Status> {
        admin(&self.0, &request).await?;
        // Covers every change this member has answered or announced (see `await_published`).
        self.0.await_published().await?;
        let store = self.0.store.clone();
        let revision = request.get_ref().revision;
        let metrics = self.0.metrics.clone();
        let (hash, compact_revision, hash_revision) = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let hashed = store.hash_kv(revision);
            metrics.hash_rev.observe(started.elapsed().as_secs_f64());
            hashed
        })
        .await
        .map_err(|e| Status::internal(e.to_string()))?
        .map_err(ServerError::from)?;
        Ok(Response::new(HashKvResponse {
            header: Some(self.0.header(self.0.store.current_revision())),
            hash,
            compact_revision,
            hash_revision,
        }))
    }

    async fn hash(&self, request: Request<HashRequest>) -> Result<Response<HashResponse>, Status> {
        admin(&self.0, &request).await?;
        self.0.await_published().await?;
        let store = self.0.store.clone();
        let metrics = self.0.metrics.clone();
        let hash = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let hashed = store.hash();
            metrics.hash.observe(started.elapsed().as_secs_f64());
            hashed
        })
        .await
        .map_err(|e| Status::internal(e.to_string()))?
        .map_err(|e| Status::internal(e.to_string()))?;
        Ok(Response::new(HashResponse {
            header: Some(self.0.header(self.0.store.current_revision())),
            hash,
        }))
    }

    /// etcd's snapshot: a point-in-time copy of the store in etcd's bbolt backend format, sent in
    /// 32 KiB chunks, then its SHA-256 as the last blob (what `etcdctl snapshot restore` checks).
    /// The copy is built from one read view, so writes go on meanwhile.
    async fn snapshot(
        &self,
        request: Request<SnapshotRequest>,
    ) -> Result<Response<SnapshotStream>, Status> {
        admin(&self.0, &request).await?;
        self.0.await_published().await?;
        let store = self.0.store.clone();
        let dir = std::path::Path::new(&self.0.config.data_dir())
            .join("member")
            .join("snap");
        let path = dir.join(format!("export-{:x}.db.part", rand::random::<u64>()));
        let started = std::time::Instant::now();
        let file = path.clone();
        let built = tokio::task::spawn_blocking(move || write_bbolt(&store, &file))
            .await
            .map_err(|e| Status::internal(e.to_string()));
        let (total, _) = match built.and_then(|r| r.map_err(Status::internal)) {
            Ok(done) => done,
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
        };
        tracing::info!(total_bytes = total, "sending database snapshot to client");
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let metrics = self.0.metrics.clone();
        tokio::task::spawn_blocking(move || {
            send_snapshot_file(&path, total, &tx);
            metrics
                .backend_snapshot
                .observe(started.elapsed().as_secs_f64());
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    /// Rewrites this member's backend without free pages. Unlike etcd's, reads and writes go on
    /// meanwhile (`MvccStore::defragment`).
    async fn defragment(
        &self,
        request: Request<DefragmentRequest>,
    ) -> Result<Response<DefragmentResponse>, Status> {
        admin(&self.0, &request).await?;
        self.0.defragment().await?;
        Ok(Response::new(DefragmentResponse {
            header: Some(self.0.header(self.0.store.current_revision())),
        }))
    }

    async fn move_leader(
        &self,
        request: Request<MoveLeaderRequest>,
    ) -> Result<Response<MoveLeaderResponse>, Status> {
        admin(&self.0, &request).await?;
        let m = &self.0;
        let transferee = request.get_ref().target_id;
        if m.leader() != m.id {
            return Err(ServerError::NotLeader.into());
        }
        match m.membership.get(transferee) {
            Some(member) if !member.is_learner => {}
            _ => return Err(ServerError::BadLeaderTransferee.into()),
        }
        m.move_leader(transferee).await?;
        Ok(Response::new(MoveLeaderResponse {
            header: Some(m.header(m.store.current_revision())),
        }))
    }

    async fn status(
        &self,
        request: Request<StatusRequest>,
    ) -> Result<Response<StatusResponse>, Status> {
        someone(&self.0, &request).await?;
        self.0.await_published().await?;
        let m = &self.0;
        // etcd lists a missing leader and every raised alarm, each as Go prints it.
        let mut errors = Vec::new();
        if m.leader() == 0 {
            errors.push(ServerError::NoLeader.to_string());
        }
        for alarm in m.alarms.list() {
            let name = AlarmType::try_from(alarm.alarm).map_or("NONE", |a| a.as_str_name());
            errors.push(format!("memberID:{} alarm:{name} ", alarm.member_id));
        }
        let (db_size, db_size_in_use) = m.store.db_size();
        let raft = &m.raft;
        Ok(Response::new(StatusResponse {
            header: Some(m.header(m.store.current_revision())),
            version: ETCD_VERSION.to_string(),
            db_size,
            leader: m.leader(),
            raft_index: raft.commit.load(Ordering::Relaxed),
            raft_term: raft.term.load(Ordering::Relaxed),
            raft_applied_index: m.applied_index(),
            errors,
            db_size_in_use,
            is_learner: false,
            // etcd 3.6's storageVersion and dbSizeQuota stay unset until the storage schema and
            // the quota exist; the conformance reference (3.4) does not send them either.
            storage_version: String::new(),
            db_size_quota: 0,
            downgrade_info: None,
        }))
    }

    /// GET lists the raised alarms (without a header, as etcd answers) once this member has
    /// applied everything committed before (etcd 3.4 sends GET through raft: an alarm another
    /// member's raise acknowledged is listed); ACTIVATE and DEACTIVATE go through raft and list
    /// the alarms they changed.
    async fn alarm(
        &self,
        request: Request<AlarmRequest>,
    ) -> Result<Response<AlarmResponse>, Status> {
        if request.get_ref().action == AlarmAction::Get as i32 {
            someone(&self.0, &request).await?;
            self.0.linearizable_barrier().await?;
            return Ok(Response::new(AlarmResponse {
                header: None,
                alarms: self.0.alarms.list(),
            }));
        }
        let caller = admin(&self.0, &request).await?;
        let req = request.into_inner();
        match self.0.propose_for(caller.as_ref(), Op::Alarm(req)).await? {
            ApplyResponse::Alarm(alarms) => Ok(Response::new(AlarmResponse {
                header: Some(self.0.header(self.0.store.current_revision())),
                alarms,
            })),
            other => Err(other.unexpected()),
        }
    }
}

type SnapshotStream = std::pin::Pin<
    Box<dyn tokio_stream::Stream<Item = Result<SnapshotResponse, Status>> + Send + 'static>,
>;

/// etcd's chunk size for snapshot blobs.
const SNAPSHOT_CHUNK: usize = 32 * 1024;

/// Streams the built file then its SHA-256, and removes it; a client gone midway stops it.
fn send_snapshot_file(
    path: &std::path::Path,
    total: u64,
    tx: &tokio::sync::mpsc::Sender<Result<SnapshotResponse, Status>>,
) {
    use sha2::Digest;
    use std::io::Read;
    let result = (|| -> Result<(), Status> {
        let mut file = std::fs::File::open(path).map_err(|e| Status::internal(e.to_string()))?;
        let mut hash = sha2::Sha256::new();
        let mut sent = 0u64;
        while sent < total {
            let mut buf = vec![0; SNAPSHOT_CHUNK.min((total - sent) as usize)];
            file.read_exact(&mut buf)
                .map_err(|e| Status::internal(e.to_string()))?;
            sent += buf.len() as u64;
            hash.update(&buf);
            let chunk = SnapshotResponse {
                remaining_bytes: total - sent,
                blob: buf,
                ..Default::default()
            };
            if tx.blocking_send(Ok(chunk)).is_err() {
                return Ok(());
            }
        }
        let digest = SnapshotResponse {
            blob: hash.finalize().to_vec(),
            ..Default::default()
        };
        let _ = tx.blocking_send(Ok(digest));
        tracing::info!(total_bytes = total, "sent database snapshot to client");
        Ok(())
    })();
    if let Err(status) = result {
        let _ = tx.blocking_send(Err(status));
    }
    let _ = std::fs::remove_file(path);
}
