//! The Lock service (etcd's `v3lock`), run as clientv3's mutex recipe, and its gateway routes.
//!
//! A lock named `N` held with lease `L` is the key `N/<L in hex>`; its holder is the key under
//! `N/` with the smallest create revision. A waiter waits for every key under the prefix created
//! before its own to be deleted (watching the newest of them, then looking again).

use std::sync::Arc;

use oxcd_proto::etcdserverpb::range_request::SortOrder;
use oxcd_proto::etcdserverpb::TxnRequest;
use oxcd_proto::v3lockpb::{
    lock_server::Lock, LockRequest, LockResponse, UnlockRequest, UnlockResponse,
};
use tonic::{Request, Response, Status};

use crate::api::caller::credentials;
use crate::api::json::{unary_route, GatewayRoute};
use crate::api::recipe::{
    by_create, created_at, delete, get_key, get_op, participants, put_op, range, range_kvs,
    session_key, session_lease, txn, wait_deletes, As, RecipeError, RecipeResult, Withdraw,
};
use crate::error::ServerError;
use crate::member::Member;
use crate::state::auth::Credentials;

/// The Lock methods of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[
    unary_route!(
        "lock/lock",
        LockService::lock,
        "v3lockpb.LockRequest",
        "v3lockpb.LockResponse"
    ),
    unary_route!(
        "lock/unlock",
        LockService::unlock,
        "v3lockpb.UnlockRequest",
        "v3lockpb.UnlockResponse"
    ),
];

#[derive(Clone)]
pub struct LockService(pub Arc<Member>);

impl LockService {
    /// clientv3 concurrency's `Mutex.Lock` with a session on `lease`.
    async fn acquire(
        &self,
        credentials: &Credentials,
        req: LockRequest,
    ) -> RecipeResult<LockResponse> {
        let member = &self.0;
        let on = As {
            member,
            credentials,
        };
        let lease = session_lease(on, req.lease).await?;
        let prefix = participants(&req.name);
        let my_key = session_key(&prefix, lease);
        // Join the waiters (or find this session already among them) and read the holder.
        let acquire = TxnRequest {
            compare: vec![created_at(&my_key, 0)],
            success: vec![
                put_op(&my_key, vec![], lease),
                get_op(by_create(&prefix, SortOrder::Ascend)),
            ],
            failure: vec![
                get_op(get_key(&my_key)),
                get_op(by_create(&prefix, SortOrder::Ascend)),
            ],
        };
        let resp = txn(on, acquire).await?;
        let header = resp.header.unwrap_or_default();
        let my_rev = if resp.succeeded {
            header.revision
        } else {
            range_kvs(&resp, 0)
                .first()
                .map_or(header.revision, |kv| kv.create_revision)
        };
        let holder = range_kvs(&resp, 1).first();
        if holder.is_none_or(|kv| kv.create_revision == my_rev) {
            return Ok(LockResponse {
                header: Some(header),
                key: my_key,
            });
        }
        let withdraw = Withdraw::new(on, member, &my_key, None);
        if let Err(e) = wait_deletes(on, &prefix, my_rev - 1).await {
            withdraw.now().await;
            return Err(e);
        }
        withdraw.disarm();
        // The session may have expired while waiting.
        let mine = range(on, &get_key(&my_key)).await?;
        if mine.kvs.is_empty() {
            return Err(RecipeError::Status(Status::unknown("session expired")));
        }
        Ok(LockResponse {
            header: mine.header,
            key: my_key,
        })
    }
}

#[tonic::async_trait]
impl Lock for LockService {
    async fn lock(&self, request: Request<LockRequest>) -> Result<Response<LockResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        Ok(Response::new(
            self.acquire(&credentials, request.into_inner()).await?,
        ))
    }

    async fn unlock(
        &self,
        request: Request<UnlockRequest>,
    ) -> Result<Response<UnlockResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        let req = request.into_inner();
        if req.key.is_empty() {
            return Err(RecipeError::Server(ServerError::EmptyKey).into());
        }
        let on = As {
            member: &self.0,
            credentials: &credentials,
        };
        let header = delete(on, req.key).await?;
        Ok(Response::new(UnlockResponse {
            header: Some(header),
        }))
    }
}
