//! The v3 gRPC services: thin adapters from requests to the member core. Services later issues
//! implement (Watch, Lease, Auth, Lock, Election) answer Unimplemented through the generated stubs.

use std::sync::Arc;

use oxcd_proto::etcdserverpb::{
    cluster_server::Cluster, kv_server::Kv, maintenance_server::Maintenance, AlarmRequest,
    AlarmResponse, CompactionRequest, CompactionResponse, DefragmentRequest, DefragmentResponse,
    DeleteRangeRequest, DeleteRangeResponse, HashKvRequest, HashKvResponse, HashRequest,
    HashResponse, MemberAddRequest, MemberAddResponse, MemberListRequest, MemberListResponse,
    MemberPromoteRequest, MemberPromoteResponse, MemberRemoveRequest, MemberRemoveResponse,
    MemberUpdateRequest, MemberUpdateResponse, MoveLeaderRequest, MoveLeaderResponse, PutRequest,
    PutResponse, RangeRequest, RangeResponse, RangeStreamResponse, StatusRequest, StatusResponse,
    TxnRequest, TxnResponse,
};
use oxcd_proto::health::{
    health_check_response::ServingStatus, health_server::Health, HealthCheckRequest,
    HealthCheckResponse,
};
use oxcd_proto::oxcdpb::internal_request::Op;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status};

use crate::api::validate;
use crate::apply::ApplyResponse;
use crate::error::ServerError;
use crate::member::{Member, ETCD_VERSION};

#[derive(Clone)]
pub struct KvService(pub Arc<Member>);

impl KvService {
    async fn write(&self, op: Op) -> Result<ApplyResponse, Status> {
        self.refuse_on_learner()?;
        if self.0.alarms.corrupt() {
            return Err(ServerError::Corrupt.into());
        }
        Ok(self.0.propose(op).await?)
    }

    /// Learners replicate but do not serve writes or linearizable reads, as in etcd.
    fn refuse_on_learner(&self) -> Result<(), Status> {
        if self.0.is_learner() {
            return Err(ServerError::NotSupportedForLearner.into());
        }
        Ok(())
    }
}

fn unexpected(resp: ApplyResponse) -> Status {
    Status::internal(format!("applier returned an unexpected response: {resp:?}"))
}

#[tonic::async_trait]
impl Kv for KvService {
    async fn range(
        &self,
        request: Request<RangeRequest>,
    ) -> Result<Response<RangeResponse>, Status> {
        let req = request.into_inner();
        validate::check_range(&req)?;
        if !req.serializable {
            self.refuse_on_learner()?;
        }
        Ok(Response::new(self.0.range(&req).await?))
    }

    async fn put(&self, request: Request<PutRequest>) -> Result<Response<PutResponse>, Status> {
        let req = request.into_inner();
        validate::check_put(&req)?;
        match self.write(Op::Put(req)).await? {
            ApplyResponse::Put(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(Response::new(resp))
            }
            other => Err(unexpected(other)),
        }
    }

    async fn delete_range(
        &self,
        request: Request<DeleteRangeRequest>,
    ) -> Result<Response<DeleteRangeResponse>, Status> {
        let req = request.into_inner();
        validate::check_delete(&req)?;
        match self.write(Op::DeleteRange(req)).await? {
            ApplyResponse::DeleteRange(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(Response::new(resp))
            }
            other => Err(unexpected(other)),
        }
    }

    async fn txn(&self, request: Request<TxnRequest>) -> Result<Response<TxnResponse>, Status> {
        let req = request.into_inner();
        validate::check_txn(&req, self.0.config.max_txn_ops as usize)?;
        match self.write(Op::Txn(req)).await? {
            ApplyResponse::Txn(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(Response::new(resp))
            }
            other => Err(unexpected(other)),
        }
    }

    async fn compact(
        &self,
        request: Request<CompactionRequest>,
    ) -> Result<Response<CompactionResponse>, Status> {
        let req = request.into_inner();
        let physical = req.physical;
        let revision = req.revision;
        match self.write(Op::Compaction(req)).await? {
            ApplyResponse::Compaction(_) => {
                if physical {
                    self.0.wait_compacted(revision).await?;
                }
                let header = self.0.header(self.0.store.current_revision());
                Ok(Response::new(CompactionResponse {
                    header: Some(header),
                }))
            }
            other => Err(unexpected(other)),
        }
    }

    /// v3.7's streamed Range: the same result as Range, delivered in pages read at one revision
    /// so that a huge range is never held in memory whole. Sorted or filtered ranges, whose order
    /// or selection needs the whole set, come back as one piece.
    async fn range_stream(
        &self,
        request: Request<RangeRequest>,
    ) -> Result<Response<BoxStream<RangeStreamResponse>>, Status> {
        let req = request.into_inner();
        validate::check_range(&req)?;
        let whole = req.sort_order != 0
            || req.sort_target != 0
            || req.count_only
            || req.min_mod_revision != 0
            || req.max_mod_revision != 0
            || req.min_create_revision != 0
            || req.max_create_revision != 0;
        if whole {
            let resp = self.0.range(&req).await?;
            let once = tokio_stream::once(Ok(RangeStreamResponse {
                range_response: Some(resp),
            }));
            return Ok(Response::new(Box::pin(once)));
        }
        // The first page pins the revision and carries the header, `count` and `more`.
        let mut counted = req.clone();
        counted.count_only = true;
        let summary = self.0.range(&counted).await?;
        let revision = summary.header.as_ref().map_or(0, |h| h.revision);
        let wanted = if req.limit > 0 {
            req.limit.min(summary.count)
        } else {
            summary.count
        };
        let header = RangeResponse {
            header: summary.header,
            kvs: vec![],
            more: wanted < summary.count,
            count: summary.count,
        };
        let member = self.0.clone();
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        tokio::spawn(async move {
            let mut next = RangeRequest {
                revision,
                serializable: true,
                count_only: false,
                ..req
            };
            let mut chunk = header;
            let mut remaining = wanted;
            loop {
                next.limit = remaining.min(RANGE_STREAM_PAGE);
                let page = if remaining > 0 {
                    member.store.range(&next)
                } else {
                    Ok(RangeResponse::default())
                };
                let page = match page {
                    Ok(p) => p,
                    Err(e) => {
                        let _ = tx.send(Err(Status::from(ServerError::from(e)))).await;
                        return;
                    }
                };
                remaining -= page.kvs.len() as i64;
                if let Some(last) = page.kvs.last() {
                    next.key = last.key.to_vec();
                    next.key.push(0);
                }
                let done = remaining <= 0 || !page.more;
                chunk.kvs = page.kvs;
                let sent = tx
                    .send(Ok(RangeStreamResponse {
                        range_response: Some(std::mem::take(&mut chunk)),
                    }))
                    .await;
                if sent.is_err() || done {
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(rx),
        )))
    }
}

/// Keys per RangeStream message.
const RANGE_STREAM_PAGE: i64 = 1000;

#[derive(Clone)]
pub struct MaintenanceService(pub Arc<Member>);

#[tonic::async_trait]
impl Maintenance for MaintenanceService {
    async fn hash_kv(
        &self,
        request: Request<HashKvRequest>,
    ) -> Result<Response<HashKvResponse>, Status> {
        let store = self.0.store.clone();
        let revision = request.get_ref().revision;
        let (hash, compact_revision, hash_revision) =
            tokio::task::spawn_blocking(move || store.hash_kv(revision))
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

    async fn hash(&self, _request: Request<HashRequest>) -> Result<Response<HashResponse>, Status> {
        let store = self.0.store.clone();
        let hash = tokio::task::spawn_blocking(move || store.hash())
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(|e| Status::internal(e.to_string()))?;
        Ok(Response::new(HashResponse {
            header: Some(self.0.header(self.0.store.current_revision())),
            hash,
        }))
    }

    /// Rewrites this member's backend without free pages; requests wait meanwhile, as in etcd.
    async fn defragment(
        &self,
        _request: Request<DefragmentRequest>,
    ) -> Result<Response<DefragmentResponse>, Status> {
        let store = self.0.store.clone();
        tokio::task::spawn_blocking(move || store.defragment())
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(|e| Status::internal(e.to_string()))?;
        Ok(Response::new(DefragmentResponse {
            header: Some(self.0.header(self.0.store.current_revision())),
        }))
    }

    async fn move_leader(
        &self,
        request: Request<MoveLeaderRequest>,
    ) -> Result<Response<MoveLeaderResponse>, Status> {
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
        _request: Request<StatusRequest>,
    ) -> Result<Response<StatusResponse>, Status> {
        let m = &self.0;
        let (db_size, db_size_in_use) = m.store.db_size();
        let raft = &m.raft;
        Ok(Response::new(StatusResponse {
            header: Some(m.header(m.store.current_revision())),
            version: ETCD_VERSION.to_string(),
            db_size,
            leader: m.leader(),
            raft_index: raft.commit.load(std::sync::atomic::Ordering::Relaxed),
            raft_term: raft.term.load(std::sync::atomic::Ordering::Relaxed),
            raft_applied_index: m.applied_index(),
            errors: vec![],
            db_size_in_use,
            is_learner: false,
            // etcd 3.6's storageVersion and dbSizeQuota stay unset until the storage schema and
            // the quota exist; the conformance reference (3.4) does not send them either.
            storage_version: String::new(),
            db_size_quota: 0,
            downgrade_info: None,
        }))
    }

    /// GET lists the raised alarms (without a header, as etcd answers); ACTIVATE and
    /// DEACTIVATE go through raft and list the alarms they changed.
    async fn alarm(
        &self,
        request: Request<AlarmRequest>,
    ) -> Result<Response<AlarmResponse>, Status> {
        let req = request.into_inner();
        if req.action == oxcd_proto::etcdserverpb::alarm_request::AlarmAction::Get as i32 {
            return Ok(Response::new(AlarmResponse {
                header: None,
                alarms: self.0.alarms.list(),
            }));
        }
        match self.0.propose(Op::Alarm(req)).await? {
            ApplyResponse::Alarm(alarms) => Ok(Response::new(AlarmResponse {
                header: Some(self.0.header(self.0.store.current_revision())),
                alarms,
            })),
            other => Err(unexpected(other)),
        }
    }
}

#[derive(Clone)]
pub struct ClusterService(pub Arc<Member>);

#[tonic::async_trait]
impl Cluster for ClusterService {
    async fn member_list(
        &self,
        request: Request<MemberListRequest>,
    ) -> Result<Response<MemberListResponse>, Status> {
        if request.get_ref().linearizable {
            self.0.linearizable_barrier().await?;
        }
        // etcd's MemberList header carries no revision.
        Ok(Response::new(MemberListResponse {
            header: Some(self.0.header(0)),
            members: self.0.membership.list(),
        }))
    }

    async fn member_add(
        &self,
        request: Request<MemberAddRequest>,
    ) -> Result<Response<MemberAddResponse>, Status> {
        let req = request.into_inner();
        let member = self.0.add_member(req.peer_ur_ls, req.is_learner).await?;
        Ok(Response::new(MemberAddResponse {
            header: Some(self.0.header(0)),
            member: Some(member),
            members: self.0.membership.list(),
        }))
    }

    async fn member_remove(
        &self,
        request: Request<MemberRemoveRequest>,
    ) -> Result<Response<MemberRemoveResponse>, Status> {
        self.0.remove_member(request.get_ref().id).await?;
        Ok(Response::new(MemberRemoveResponse {
            header: Some(self.0.header(0)),
            members: self.0.membership.list(),
        }))
    }

    async fn member_update(
        &self,
        request: Request<MemberUpdateRequest>,
    ) -> Result<Response<MemberUpdateResponse>, Status> {
        let req = request.into_inner();
        self.0.update_member(req.id, req.peer_ur_ls).await?;
        Ok(Response::new(MemberUpdateResponse {
            header: Some(self.0.header(0)),
            members: self.0.membership.list(),
        }))
    }

    /// Only the leader knows whether a learner caught up; other members ask it, as etcd forwards
    /// promotions to the leader.
    async fn member_promote(
        &self,
        request: Request<MemberPromoteRequest>,
    ) -> Result<Response<MemberPromoteResponse>, Status> {
        let m = &self.0;
        let id = request.get_ref().id;
        let leader = m.leader();
        if leader != 0 && leader != m.id {
            let url = m
                .membership
                .get(leader)
                .and_then(|l| l.client_ur_ls.first().cloned())
                .ok_or_else(|| Status::from(ServerError::NoLeader))?;
            let endpoint = tonic::transport::Endpoint::from_shared(url.clone())
                .map_err(|e| Status::unavailable(e.to_string()))?
                .connect_timeout(std::time::Duration::from_secs(2));
            let channel = endpoint
                .connect()
                .await
                .map_err(|e| Status::unavailable(e.to_string()))?;
            let mut client = oxcd_proto::etcdserverpb::cluster_client::ClusterClient::new(channel);
            return client.member_promote(MemberPromoteRequest { id }).await;
        }
        m.promote_member(id).await?;
        Ok(Response::new(MemberPromoteResponse {
            header: Some(m.header(0)),
            members: m.membership.list(),
        }))
    }
}

#[derive(Clone)]
pub struct HealthService(pub Arc<Member>);

#[tonic::async_trait]
impl Health for HealthService {
    async fn check(
        &self,
        _request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let status = if self.0.leader() != 0 {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        };
        Ok(Response::new(HealthCheckResponse {
            status: status as i32,
        }))
    }
}

#[derive(Clone)]
pub struct WatchService(pub Arc<Member>);

#[tonic::async_trait]
impl oxcd_proto::etcdserverpb::watch_server::Watch for WatchService {
    async fn watch(
        &self,
        request: Request<tonic::Streaming<oxcd_proto::etcdserverpb::WatchRequest>>,
    ) -> Result<Response<BoxStream<oxcd_proto::etcdserverpb::WatchResponse>>, Status> {
        let responses = crate::watch::serve_stream(self.0.clone(), request.into_inner());
        Ok(Response::new(Box::pin(responses)))
    }
}
