//! The steps of clientv3's concurrency recipes that the Lock and Election services share: etcd
//! serves both by running those recipes against itself, so their keys, revisions and errors are
//! the recipes' (and every error reaches the client with code Unknown).

use std::sync::Arc;

use oxcd_client::prefix_end;
use oxcd_proto::etcdserverpb::compare::{CompareResult, CompareTarget, TargetUnion};
use oxcd_proto::etcdserverpb::range_request::{SortOrder, SortTarget};
use oxcd_proto::etcdserverpb::{
    request_op, response_op, Compare, DeleteRangeRequest, LeaseGrantRequest, PutRequest,
    RangeRequest, RangeResponse, RequestOp, ResponseHeader, TxnRequest, TxnResponse,
};
use oxcd_proto::mvccpb::{event::EventType, KeyValue};
use oxcd_proto::oxcdpb::internal_request::Op;
use tonic::Status;

use crate::error::ServerError;
use crate::member::Member;
use crate::state::auth::Credentials;
use crate::state::waits::ApplyResponse;

/// The TTL of the session lease etcd grants when a request names no lease (lease 0).
const DEFAULT_SESSION_TTL: i64 = 60;

/// Why a recipe step failed.
pub(crate) enum RecipeError {
    Server(ServerError),
    /// A status to pass on as is.
    Status(Status),
}

impl From<ServerError> for RecipeError {
    fn from(err: ServerError) -> Self {
        RecipeError::Server(err)
    }
}

/// etcd's embedded client hands the services plain errors: the message survives, the gRPC code
/// becomes Unknown.
impl From<RecipeError> for Status {
    fn from(err: RecipeError) -> Status {
        match err {
            RecipeError::Server(e) => Status::unknown(Status::from(e).message().to_string()),
            RecipeError::Status(s) => Status::unknown(s.message().to_string()),
        }
    }
}

pub(crate) type RecipeResult<T> = Result<T, RecipeError>;

/// `prefix` + the lease ID as Go's `%x` prints an int64.
pub(crate) fn session_key(prefix: &[u8], lease: i64) -> Vec<u8> {
    let mut key = prefix.to_vec();
    let hex = if lease < 0 {
        format!("-{:x}", lease.unsigned_abs())
    } else {
        format!("{lease:x}")
    };
    key.extend_from_slice(hex.as_bytes());
    key
}

/// `name` + "/": the prefix every participant's key lives under.
pub(crate) fn participants(name: &[u8]) -> Vec<u8> {
    let mut prefix = name.to_vec();
    prefix.push(b'/');
    prefix
}

/// A recipe's requests to the member, made as its caller (checked as that user's own would be).
/// The credentials are resolved again for every step, so a long wait outlives unrelated auth
/// changes as a client's separate requests would.
#[derive(Clone, Copy)]
pub(crate) struct As<'a> {
    pub member: &'a Member,
    pub credentials: &'a Credentials,
}

impl As<'_> {
    async fn propose(&self, op: Op) -> Result<ApplyResponse, ServerError> {
        let caller = self.member.resolve(self.credentials).await?;
        self.member.propose_for(caller.as_ref(), op).await
    }
}

/// The session's lease: the one named, or (for lease 0) a fresh lease of etcd's default session
/// TTL, granted and never kept alive, as etcd's `NewSession` does for the services.
pub(crate) async fn session_lease(on: As<'_>, lease: i64) -> RecipeResult<i64> {
    if lease != 0 {
        return Ok(lease);
    }
    let grant = LeaseGrantRequest {
        ttl: DEFAULT_SESSION_TTL,
        id: on.member.lessor.new_id(),
    };
    match on.propose(Op::LeaseGrant(grant)).await? {
        ApplyResponse::LeaseGrant(resp) => Ok(resp.id),
        other => Err(unexpected(other)),
    }
}

fn unexpected(resp: ApplyResponse) -> RecipeError {
    RecipeError::Status(resp.unexpected())
}

/// A Txn through raft, its header filled in.
pub(crate) async fn txn(on: As<'_>, req: TxnRequest) -> RecipeResult<TxnResponse> {
    match on.propose(Op::Txn(req)).await? {
        ApplyResponse::Txn(mut resp) => {
            on.member.stamp(&mut resp.header);
            Ok(resp)
        }
        other => Err(unexpected(other)),
    }
}

pub(crate) async fn delete(on: As<'_>, key: Vec<u8>) -> RecipeResult<ResponseHeader> {
    let req = DeleteRangeRequest {
        key,
        ..Default::default()
    };
    match on.propose(Op::DeleteRange(req)).await? {
        ApplyResponse::DeleteRange(mut resp) => {
            on.member.stamp(&mut resp.header);
            Ok(resp.header.unwrap_or_default())
        }
        other => Err(unexpected(other)),
    }
}

/// A linearizable read.
pub(crate) async fn range(on: As<'_>, req: &RangeRequest) -> RecipeResult<RangeResponse> {
    Ok(on.member.range(on.credentials, req).await?)
}

/// clientv3's `Compare(CreateRevision(key), "=", revision)`.
pub(crate) fn created_at(key: &[u8], revision: i64) -> Compare {
    Compare {
        result: CompareResult::Equal as i32,
        target: CompareTarget::Create as i32,
        key: key.to_vec(),
        range_end: vec![],
        target_union: Some(TargetUnion::CreateRevision(revision)),
    }
}

pub(crate) fn put_op(key: &[u8], value: Vec<u8>, lease: i64) -> RequestOp {
    RequestOp {
        request: Some(request_op::Request::RequestPut(PutRequest {
            key: key.to_vec(),
            value,
            lease,
            ..Default::default()
        })),
    }
}

pub(crate) fn get_op(req: RangeRequest) -> RequestOp {
    RequestOp {
        request: Some(request_op::Request::RequestRange(req)),
    }
}

pub(crate) fn delete_op(key: &[u8]) -> RequestOp {
    RequestOp {
        request: Some(request_op::Request::RequestDeleteRange(
            DeleteRangeRequest {
                key: key.to_vec(),
                ..Default::default()
            },
        )),
    }
}

pub(crate) fn get_key(key: &[u8]) -> RangeRequest {
    RangeRequest {
        key: key.to_vec(),
        ..Default::default()
    }
}

/// clientv3's `WithFirstCreate` (or `WithLastCreate`) on a prefix: the oldest (newest) key.
pub(crate) fn by_create(prefix: &[u8], order: SortOrder) -> RangeRequest {
    RangeRequest {
        key: prefix.to_vec(),
        range_end: prefix_end(prefix),
        limit: 1,
        sort_order: order as i32,
        sort_target: SortTarget::Create as i32,
        ..Default::default()
    }
}

/// The key-values of the range response at `index` of a txn's responses.
pub(crate) fn range_kvs(resp: &TxnResponse, index: usize) -> &[KeyValue] {
    match resp.responses.get(index).and_then(|r| r.response.as_ref()) {
        Some(response_op::Response::ResponseRange(r)) => &r.kvs,
        _ => &[],
    }
}

/// Waits until `key`, as of `revision`, is deleted (clientv3 concurrency's `waitDelete`).
async fn wait_delete(member: &Member, key: &[u8], revision: i64) -> RecipeResult<()> {
    let mut watch = member.watch_hub.subscribe(key.to_vec(), vec![], revision)?;
    while let Some(events) = watch.next().await {
        if events.iter().any(|e| e.r#type == EventType::Delete as i32) {
            return Ok(());
        }
    }
    Err(RecipeError::Status(Status::unknown(
        "lost watcher waiting for delete",
    )))
}

/// Waits until no key under `prefix` created at or before `max_create_rev` remains
/// (`waitDeletes`); returns the header of the read that found none.
pub(crate) async fn wait_deletes(
    on: As<'_>,
    prefix: &[u8],
    max_create_rev: i64,
) -> RecipeResult<ResponseHeader> {
    loop {
        let mut newest = by_create(prefix, SortOrder::Descend);
        newest.max_create_revision = max_create_rev;
        let resp = range(on, &newest).await?;
        let header = resp.header.unwrap_or_default();
        let Some(kv) = resp.kvs.first() else {
            return Ok(header);
        };
        wait_delete(on.member, &kv.key, header.revision).await?;
    }
}

/// Deletes a waiter's key if its wait is abandoned (the client went away), as etcd's mutex does
/// when its context is canceled, as the waiter's caller.
pub(crate) struct Withdraw {
    member: Arc<Member>,
    credentials: Credentials,
    request: Option<TxnRequest>,
}

impl Withdraw {
    /// Deletes `key` on drop, unless disarmed; `created` guards it as clientv3's `Resign` does.
    pub(crate) fn new(
        on: As<'_>,
        member: &Arc<Member>,
        key: &[u8],
        created: Option<i64>,
    ) -> Withdraw {
        let request = TxnRequest {
            compare: created
                .map(|rev| created_at(key, rev))
                .into_iter()
                .collect(),
            success: vec![delete_op(key)],
            failure: vec![],
        };
        Withdraw {
            member: member.clone(),
            credentials: on.credentials.clone(),
            request: Some(request),
        }
    }

    pub(crate) fn disarm(mut self) {
        self.request = None;
    }

    /// Withdraws now, waiting for it.
    pub(crate) async fn now(mut self) {
        if let Some(request) = self.request.take() {
            let on = As {
                member: &self.member,
                credentials: &self.credentials,
            };
            let _ = txn(on, request).await;
        }
    }
}

impl Drop for Withdraw {
    fn drop(&mut self) {
        if let Some(request) = self.request.take() {
            let member = self.member.clone();
            let credentials = std::mem::take(&mut self.credentials);
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let on = As {
                        member: &member,
                        credentials: &credentials,
                    };
                    let _ = txn(on, request).await;
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_prefixes() {
        assert_eq!(session_key(b"L/", 0x694d), b"L/694d");
        assert_eq!(session_key(b"L/", -7), b"L/-7");
        assert_eq!(participants(b"L"), b"L/");
        assert_eq!(prefix_end(b"L/"), b"L0");
        assert_eq!(prefix_end(b"\xff"), b"\0");
    }
}
