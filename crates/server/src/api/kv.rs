//! The KV service (etcd's `v3rpc/key.go`): ranges from the local store after the read barrier,
//! writes through raft; and its gateway routes.

use std::sync::Arc;

use oxcd_proto::etcdserverpb::{
    kv_server::Kv, CompactionRequest, CompactionResponse, DeleteRangeRequest, DeleteRangeResponse,
    PutRequest, PutResponse, RangeRequest, RangeResponse, RangeStreamResponse, TxnRequest,
    TxnResponse,
};
use oxcd_proto::oxcdpb::internal_request::Op;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status};

use crate::api::caller::{caller, credentials};
use crate::api::json::{unary_route, GatewayRoute};
use crate::api::validate;
use crate::error::ServerError;
use crate::member::Member;
use crate::state::waits::ApplyResponse;

/// The KV methods of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[
    unary_route!(
        "kv/range",
        KvService::range,
        "RangeRequest",
        "RangeResponse"
    ),
    unary_route!("kv/put", KvService::put, "PutRequest", "PutResponse"),
    unary_route!(
        "kv/deleterange",
        KvService::delete_range,
        "DeleteRangeRequest",
        "DeleteRangeResponse"
    ),
    unary_route!("kv/txn", KvService::txn, "TxnRequest", "TxnResponse"),
    unary_route!(
        "kv/compaction",
        KvService::compact,
        "CompactionRequest",
        "CompactionResponse"
    ),
];

#[derive(Clone)]
pub struct KvService(pub Arc<Member>);

impl KvService {
    /// A client's write through raft, checked at apply as `request`'s caller.
    async fn write<T>(
        &self,
        request: Request<T>,
        op: impl FnOnce(T) -> Op,
    ) -> Result<ApplyResponse, Status> {
        self.refuse_on_learner()?;
        if self.0.alarms.corrupt() {
            return Err(ServerError::Corrupt.into());
        }
        let caller = caller(&self.0, &request).await?;
        let op = op(request.into_inner());
        Ok(self.0.propose_for(caller.as_ref(), op).await?)
    }

    /// Learners replicate but do not serve writes or linearizable reads, as in etcd.
    fn refuse_on_learner(&self) -> Result<(), Status> {
        if self.0.is_learner() {
            return Err(ServerError::NotSupportedForLearner.into());
        }
        Ok(())
    }
}

#[tonic::async_trait]
impl Kv for KvService {
    async fn range(
        &self,
        request: Request<RangeRequest>,
    ) -> Result<Response<RangeResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        let req = request.into_inner();
        validate::check_range(&req)?;
        if !req.serializable {
            self.refuse_on_learner()?;
        }
        let response = self.0.range(&credentials, &req).await?;
        self.0.metrics.ranges.inc();
        Ok(Response::new(response))
    }

    async fn put(&self, request: Request<PutRequest>) -> Result<Response<PutResponse>, Status> {
        validate::check_put(request.get_ref())?;
        match self.write(request, Op::Put).await? {
            ApplyResponse::Put(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(Response::new(resp))
            }
            other => Err(other.unexpected()),
        }
    }

    async fn delete_range(
        &self,
        request: Request<DeleteRangeRequest>,
    ) -> Result<Response<DeleteRangeResponse>, Status> {
        validate::check_delete(request.get_ref())?;
        match self.write(request, Op::DeleteRange).await? {
            ApplyResponse::DeleteRange(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(Response::new(resp))
            }
            other => Err(other.unexpected()),
        }
    }

    async fn txn(&self, request: Request<TxnRequest>) -> Result<Response<TxnResponse>, Status> {
        validate::check_txn(request.get_ref(), self.0.config.max_txn_ops as usize)?;
        match self.write(request, Op::Txn).await? {
            ApplyResponse::Txn(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(Response::new(resp))
            }
            other => Err(other.unexpected()),
        }
    }

    async fn compact(
        &self,
        request: Request<CompactionRequest>,
    ) -> Result<Response<CompactionResponse>, Status> {
        let (physical, revision) = (request.get_ref().physical, request.get_ref().revision);
        match self.write(request, Op::Compaction).await? {
            ApplyResponse::Compaction(_) => {
                if physical {
                    self.0.wait_compacted(revision).await?;
                }
                let header = self.0.header(self.0.store.current_revision());
                Ok(Response::new(CompactionResponse {
                    header: Some(header),
                }))
            }
            other => Err(other.unexpected()),
        }
    }

    /// v3.7's streamed Range: the same result as Range, delivered in pages read at one revision
    /// so that a huge range is never held in memory whole. Sorted or filtered ranges, whose order
    /// or selection needs the whole set, come back as one piece.
    async fn range_stream(
        &self,
        request: Request<RangeRequest>,
    ) -> Result<Response<BoxStream<RangeStreamResponse>>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
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
            let resp = self.0.range(&credentials, &req).await?;
            let once = tokio_stream::once(Ok(RangeStreamResponse {
                range_response: Some(resp),
            }));
            return Ok(Response::new(Box::pin(once)));
        }
        // The first page pins the revision and carries the header, `count` and `more`.
        let mut counted = req.clone();
        counted.count_only = true;
        let summary = self.0.range(&credentials, &counted).await?;
        // Every page at the revision asked for, or else at the one the first page read (the
        // header's, the current one then).
        let revision = match req.revision {
            r if r > 0 => r,
            _ => summary.header.as_ref().map_or(0, |h| h.revision),
        };
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
