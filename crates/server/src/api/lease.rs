//! The Lease service (etcd's `v3rpc/lease.go`) and its gateway routes. Grants and revocations
//! go through raft; keep-alives and time-to-live are answered from the lessor (the leader's).

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use oxcd_proto::etcdserverpb::{
    lease_server::Lease, LeaseGrantRequest, LeaseGrantResponse, LeaseKeepAliveRequest,
    LeaseKeepAliveResponse, LeaseLeasesRequest, LeaseLeasesResponse, LeaseRevokeRequest,
    LeaseRevokeResponse, LeaseStatus, LeaseTimeToLiveRequest, LeaseTimeToLiveResponse,
};
use oxcd_proto::oxcdpb::internal_request::Op;
use serde_json::Value;
use tonic::codegen::BoxStream;
use tonic::{Code, Request, Response as GrpcResponse, Status, Streaming};

use crate::api::caller::{caller, credentials, someone};
use crate::api::json::{
    decode_json, descriptor, error_response, json_response, message_json, stream_error,
    unary_route, GatewayCall, GatewayRoute,
};
use crate::error::{AuthError, ServerError};
use crate::member::Member;
use crate::state::auth::Credentials;
use crate::state::lessor::MAX_LEASE_TTL;
use crate::state::waits::ApplyResponse;

#[derive(Clone)]
pub struct LeaseService(pub Arc<Member>);

impl LeaseService {
    /// One keep-alive as the stream answers it: the header is taken before renewing (so its
    /// revision is never past a revocation the renewal missed) and an unknown lease gets TTL 0.
    /// Credentials are resolved for each keep-alive, as etcd does (a token may expire
    /// mid-stream), and the caller must be a user with write access to the lease's keys.
    pub async fn keep_alive_once(
        &self,
        credentials: &Credentials,
        id: i64,
    ) -> Result<LeaseKeepAliveResponse, Status> {
        if self.0.auth.is_enabled() {
            let caller = self.0.resolve(credentials).await?;
            let caller = caller.ok_or(AuthError::UserEmpty)?;
            let lessor = &self.0.lessor;
            self.0
                .auth
                .check_lease_keys(Some(&caller), || lessor.keys(id), true)?;
        }
        let header = self.0.header(self.0.store.current_revision());
        let ttl = match self.0.lease_renew(id).await {
            Ok(ttl) => ttl,
            Err(ServerError::LeaseNotFound) => 0,
            Err(e) => return Err(e.into()),
        };
        Ok(LeaseKeepAliveResponse {
            header: Some(header),
            id,
            ttl,
        })
    }
}

#[tonic::async_trait]
impl Lease for LeaseService {
    async fn lease_grant(
        &self,
        request: Request<LeaseGrantRequest>,
    ) -> Result<GrpcResponse<LeaseGrantResponse>, Status> {
        let caller = caller(&self.0, &request).await?;
        let mut req = request.into_inner();
        // The applier refuses it too; checking first saves a raft round.
        if req.ttl > MAX_LEASE_TTL {
            return Err(ServerError::LeaseTtlTooLarge.into());
        }
        if req.id == 0 {
            req.id = self.0.lessor.new_id();
        }
        // A lease granted by a new leader not yet promoted would get an extra election timeout.
        self.0.sync_lease_role();
        match self
            .0
            .propose_for(caller.as_ref(), Op::LeaseGrant(req))
            .await?
        {
            ApplyResponse::LeaseGrant(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(GrpcResponse::new(resp))
            }
            other => Err(other.unexpected()),
        }
    }

    async fn lease_revoke(
        &self,
        request: Request<LeaseRevokeRequest>,
    ) -> Result<GrpcResponse<LeaseRevokeResponse>, Status> {
        let caller = caller(&self.0, &request).await?;
        let req = request.into_inner();
        match self
            .0
            .propose_for(caller.as_ref(), Op::LeaseRevoke(req))
            .await?
        {
            ApplyResponse::LeaseRevoke(mut resp) => {
                self.0.stamp(&mut resp.header);
                Ok(GrpcResponse::new(resp))
            }
            other => Err(other.unexpected()),
        }
    }

    async fn lease_keep_alive(
        &self,
        request: Request<Streaming<LeaseKeepAliveRequest>>,
    ) -> Result<GrpcResponse<BoxStream<LeaseKeepAliveResponse>>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        let mut incoming = request.into_inner();
        let service = self.clone();
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            // Ends when the client closes its side, the stream breaks, or a renewal fails with
            // something other than "not found" (which etcd ends the stream with).
            while let Ok(Some(req)) = incoming.message().await {
                let reply = service.keep_alive_once(&credentials, req.id).await;
                let failed = reply.is_err();
                if tx.send(reply).await.is_err() || failed {
                    return;
                }
            }
        });
        Ok(GrpcResponse::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(rx),
        )))
    }

    async fn lease_time_to_live(
        &self,
        request: Request<LeaseTimeToLiveRequest>,
    ) -> Result<GrpcResponse<LeaseTimeToLiveResponse>, Status> {
        let caller = someone(&self.0, &request).await?;
        let req = request.into_inner();
        if req.keys {
            let lessor = &self.0.lessor;
            self.0
                .auth
                .check_lease_keys(caller.as_ref(), || lessor.keys(req.id), false)?;
        }
        let mut resp = self.0.lease_time_to_live(req.id, req.keys).await?;
        resp.header = Some(self.0.header(self.0.store.current_revision()));
        Ok(GrpcResponse::new(resp))
    }

    async fn lease_leases(
        &self,
        request: Request<LeaseLeasesRequest>,
    ) -> Result<GrpcResponse<LeaseLeasesResponse>, Status> {
        let caller = someone(&self.0, &request).await?;
        let ids = self.0.lessor.leases();
        let lessor = &self.0.lessor;
        let every_key = || {
            Some(
                ids.iter()
                    .flat_map(|id| lessor.keys(*id).unwrap_or_default())
                    .collect(),
            )
        };
        self.0
            .auth
            .check_lease_keys(caller.as_ref(), every_key, false)?;
        let leases = ids.into_iter().map(|id| LeaseStatus { id }).collect();
        Ok(GrpcResponse::new(LeaseLeasesResponse {
            header: Some(self.0.header(self.0.store.current_revision())),
            leases,
        }))
    }
}

/// The Lease methods of etcd's gateway (etcd 3.4's bindings, with their `kv/lease/` aliases).
pub const GATEWAY: &[GatewayRoute] = &[
    unary_route!(
        "lease/grant",
        LeaseService::lease_grant,
        "LeaseGrantRequest",
        "LeaseGrantResponse"
    ),
    unary_route!(
        "lease/revoke",
        LeaseService::lease_revoke,
        "LeaseRevokeRequest",
        "LeaseRevokeResponse"
    ),
    unary_route!(
        "kv/lease/revoke",
        LeaseService::lease_revoke,
        "LeaseRevokeRequest",
        "LeaseRevokeResponse"
    ),
    unary_route!(
        "lease/timetolive",
        LeaseService::lease_time_to_live,
        "LeaseTimeToLiveRequest",
        "LeaseTimeToLiveResponse"
    ),
    unary_route!(
        "kv/lease/timetolive",
        LeaseService::lease_time_to_live,
        "LeaseTimeToLiveRequest",
        "LeaseTimeToLiveResponse"
    ),
    unary_route!(
        "lease/leases",
        LeaseService::lease_leases,
        "LeaseLeasesRequest",
        "LeaseLeasesResponse"
    ),
    unary_route!(
        "kv/lease/leases",
        LeaseService::lease_leases,
        "LeaseLeasesRequest",
        "LeaseLeasesResponse"
    ),
    GatewayRoute {
        path: "lease/keepalive",
        serve: |member, call| {
            Box::pin(async move { keep_alive_gateway(LeaseService(member), call).await })
        },
    },
];

/// grpc-gateway's bidirectional stream over one HTTP request: every JSON object in the body is
/// one keep-alive, each answered by a `{"result": ...}` line.
async fn keep_alive_gateway(service: LeaseService, call: GatewayCall) -> Response {
    let credentials = credentials(&service.0, &call.metadata, &Default::default());
    let req_desc = descriptor("etcdserverpb.LeaseKeepAliveRequest");
    let mut out = String::new();
    let values = serde_json::Deserializer::from_slice(&call.body).into_iter::<Value>();
    for (n, value) in values.enumerate() {
        let request = value
            .map_err(|e| format!("invalid character in JSON input: {e}"))
            .and_then(|v| {
                let text = v.to_string();
                decode_json::<LeaseKeepAliveRequest>(&req_desc, text.as_bytes())
            });
        let request = match request {
            Ok(r) => r,
            Err(msg) if n == 0 => return error_response(Code::Unknown, &msg),
            Err(_) => break,
        };
        match service.keep_alive_once(&credentials, request.id).await {
            Ok(resp) => {
                let json = message_json("etcdserverpb.LeaseKeepAliveResponse", &resp);
                out.push_str(&format!("{{\"result\":{json}}}\n"));
            }
            Err(status) => {
                out.push_str(&stream_error(&status));
                break;
            }
        }
    }
    json_response(StatusCode::OK, out)
}
