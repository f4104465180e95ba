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
            other => Err(other.unexpected()),
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
            other => Err(other.unexpected()),
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
            other => Err(other.unexpected()),
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
