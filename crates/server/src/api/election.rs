//! The Election service (etcd's `v3election`): clientv3's election recipe run by the server.
//!
//! A candidate of election `N` with lease `L` owns the key `N/<L in hex>` holding its proposal;
//! the leader is the candidate whose key has the smallest create revision. A campaign returns
//! once every older candidate's key is gone. Errors reach the client with code Unknown.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use oxcd_client::prefix_end;
use oxcd_proto::etcdserverpb::range_request::SortOrder;
use oxcd_proto::etcdserverpb::{ResponseHeader, TxnRequest};
use oxcd_proto::mvccpb::event::EventType;
use oxcd_proto::v3electionpb::{
    election_server::Election, CampaignRequest, CampaignResponse, LeaderKey, LeaderRequest,
    LeaderResponse, ProclaimRequest, ProclaimResponse, ResignRequest, ResignResponse,
};
use tokio::sync::mpsc;
use tonic::codegen::BoxStream;
use tonic::{Code, Request, Response as GrpcResponse, Status};

use crate::api::caller::credentials;
use crate::api::json::{
    decode_json, descriptor, error_response, message_json, stream_error, unary_route, GatewayCall,
    GatewayRoute,
};
use crate::api::recipe::{
    by_create, created_at, delete_op, get_key, get_op, participants, put_op, range, range_kvs,
    session_key, session_lease, txn, wait_deletes, As, RecipeResult, Withdraw,
};
use crate::error::ServerError;
use crate::member::Member;
use crate::state::auth::Credentials;

/// The Election methods of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[
    unary_route!(
        "election/campaign",
        ElectionService::campaign,
        "v3electionpb.CampaignRequest",
        "v3electionpb.CampaignResponse"
    ),
    unary_route!(
        "election/proclaim",
        ElectionService::proclaim,
        "v3electionpb.ProclaimRequest",
        "v3electionpb.ProclaimResponse"
    ),
    unary_route!(
        "election/leader",
        ElectionService::leader,
        "v3electionpb.LeaderRequest",
        "v3electionpb.LeaderResponse"
    ),
    unary_route!(
        "election/resign",
        ElectionService::resign,
        "v3electionpb.ResignRequest",
        "v3electionpb.ResignResponse"
    ),
    GatewayRoute {
        path: "election/observe",
        serve: |member, call| Box::pin(async move { observe_gateway(&member, call).await }),
    },
];

#[derive(Clone)]
pub struct ElectionService(pub Arc<Member>);

/// `Proclaim` of the recipe: rewrites the leader key's value if it still is the key created at
/// `rev`.
async fn proclaim(
    on: As<'_>,
    key: &[u8],
    rev: i64,
    lease: i64,
    value: Vec<u8>,
) -> RecipeResult<ResponseHeader> {
    let request = TxnRequest {
        compare: vec![created_at(key, rev)],
        success: vec![put_op(key, value, lease)],
        failure: vec![],
    };
    let resp = txn(on, request).await?;
    if !resp.succeeded {
        return Err(ServerError::ElectionNotLeader.into());
    }
    Ok(resp.header.unwrap_or_default())
}

/// `Resign` of the recipe: deletes the leader key if it still is the key created at `rev`.
async fn resign(on: As<'_>, key: &[u8], rev: i64) -> RecipeResult<ResponseHeader> {
    let request = TxnRequest {
        compare: vec![created_at(key, rev)],
        success: vec![delete_op(key)],
        failure: vec![],
    };
    Ok(txn(on, request).await?.header.unwrap_or_default())
}

impl ElectionService {
    fn on<'a>(&'a self, credentials: &'a Credentials) -> As<'a> {
        As {
            member: &self.0,
            credentials,
        }
    }

    async fn run_campaign(
        &self,
        credentials: &Credentials,
        req: CampaignRequest,
    ) -> RecipeResult<CampaignResponse> {
        let member = &self.0;
        let on = self.on(credentials);
        let lease = session_lease(on, req.lease).await?;
        let prefix = participants(&req.name);
        let key = session_key(&prefix, lease);
        let join = TxnRequest {
            compare: vec![created_at(&key, 0)],
            success: vec![put_op(&key, req.value.clone(), lease)],
            failure: vec![get_op(get_key(&key))],
        };
        let resp = txn(on, join).await?;
        let header = resp.header.unwrap_or_default();
        let mut leader_rev = header.revision;
        if !resp.succeeded {
            // This session already campaigns: keep its place, update its proposal.
            let current = range_kvs(&resp, 0).first().cloned().unwrap_or_default();
            leader_rev = current.create_revision;
            if current.value != req.value {
                if let Err(e) = proclaim(on, &key, leader_rev, lease, req.value.clone()).await {
                    let _ = resign(on, &key, leader_rev).await;
                    return Err(e);
                }
            }
        }
        // Abandoned (the client went away) while waiting: resign, as the recipe does when its
        // context is canceled.
        let withdraw = Withdraw::new(on, member, &key, Some(leader_rev));
        let waited = wait_deletes(on, &prefix, leader_rev - 1).await;
        withdraw.disarm();
        waited?;
        Ok(CampaignResponse {
            header: Some(header),
            leader: Some(LeaderKey {
                name: req.name,
                key,
                rev: leader_rev,
                lease,
            }),
        })
    }

    async fn run_proclaim(
        &self,
        credentials: &Credentials,
        req: ProclaimRequest,
    ) -> RecipeResult<ProclaimResponse> {
        let leader = req.leader.ok_or(ServerError::MissingLeaderKey)?;
        let on = self.on(credentials);
        let lease = session_lease(on, leader.lease).await?;
        let header = proclaim(on, &leader.key, leader.rev, lease, req.value).await?;
        Ok(ProclaimResponse {
            header: Some(header),
        })
    }

    async fn run_resign(
        &self,
        credentials: &Credentials,
        req: ResignRequest,
    ) -> RecipeResult<ResignResponse> {
        let leader = req.leader.ok_or(ServerError::MissingLeaderKey)?;
        let on = self.on(credentials);
        session_lease(on, leader.lease).await?;
        let header = resign(on, &leader.key, leader.rev).await?;
        Ok(ResignResponse {
            header: Some(header),
        })
    }

    async fn run_leader(
        &self,
        credentials: &Credentials,
        req: LeaderRequest,
    ) -> RecipeResult<LeaderResponse> {
        let prefix = participants(&req.name);
        let resp = range(self.on(credentials), &by_create(&prefix, SortOrder::Ascend)).await?;
        let kv = resp
            .kvs
            .into_iter()
            .next()
            .ok_or(ServerError::ElectionNoLeader)?;
        Ok(LeaderResponse {
            header: resp.header,
            kv: Some(kv),
        })
    }

    /// Streams the leader and every change of it until `tx` closes: the recipe's `observe`.
    fn observe_into(
        &self,
        credentials: Credentials,
        name: Vec<u8>,
        tx: mpsc::Sender<Result<LeaderResponse, Status>>,
    ) {
        let member = self.0.clone();
        tokio::spawn(async move {
            let closed = tx.clone();
            let on = As {
                member: &member,
                credentials: &credentials,
            };
            tokio::select! {
                // The recipe ends the stream quietly on errors.
                _ = observe(on, participants(&name), tx) => {}
                _ = closed.closed() => {}
            }
        });
    }
}

async fn observe(
    on: As<'_>,
    prefix: Vec<u8>,
    tx: mpsc::Sender<Result<LeaderResponse, Status>>,
) -> RecipeResult<()> {
    let member = on.member;
    // Leaders learnt from the watch hub rather than a checked read go out only while the
    // observer may still read the election (a revoked permission ends the stream).
    let user = member.resolve(on.credentials).await?.map(|w| w.username);
    let end = prefix_end(&prefix);
    let may_read = || {
        member
            .auth
            .check_read_now(user.as_deref(), &prefix, &end)
            .map_err(ServerError::from)
    };
    loop {
        let current = range(on, &by_create(&prefix, SortOrder::Ascend)).await?;
        let (header, kv) = match current.kvs.into_iter().next() {
            Some(kv) => (current.header.unwrap_or_default(), kv),
            None => {
                // No leader: the first key put under the prefix is the next one.
                let start = current.header.map_or(0, |h| h.revision);
                let mut watch =
                    member
                        .watch_hub
                        .subscribe(prefix.clone(), prefix_end(&prefix), start)?;
                loop {
                    let Some(events) = watch.next().await else {
                        return Ok(());
                    };
                    let first_put = events
                        .into_iter()
                        .find(|e| e.r#type == EventType::Put as i32)
                        .and_then(|e| e.kv);
                    if let Some(kv) = first_put {
                        may_read()?;
                        break (member.header(kv.mod_revision), kv);
                    }
                }
            }
        };
        let key = kv.key.clone();
        let next = header.revision + 1;
        let first = LeaderResponse {
            header: Some(header),
            kv: Some(kv),
        };
        if tx.send(Ok(first)).await.is_err() {
            return Ok(());
        }
        // Every proclamation of this leader, until its key is deleted.
        let mut watch = member.watch_hub.subscribe(key.to_vec(), vec![], next)?;
        'leader: loop {
            let Some(events) = watch.next().await else {
                return Ok(());
            };
            let revision = events
                .last()
                .and_then(|e| e.kv.as_ref())
                .map_or(0, |kv| kv.mod_revision);
            for event in events {
                if event.r#type == EventType::Delete as i32 {
                    break 'leader;
                }
                may_read()?;
                let changed = LeaderResponse {
                    header: Some(member.header(revision)),
                    kv: event.kv,
                };
                if tx.send(Ok(changed)).await.is_err() {
                    return Ok(());
                }
            }
        }
    }
}

#[tonic::async_trait]
impl Election for ElectionService {
    async fn campaign(
        &self,
        request: Request<CampaignRequest>,
    ) -> Result<GrpcResponse<CampaignResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        Ok(GrpcResponse::new(
            self.run_campaign(&credentials, request.into_inner())
                .await?,
        ))
    }

    async fn proclaim(
        &self,
        request: Request<ProclaimRequest>,
    ) -> Result<GrpcResponse<ProclaimResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        Ok(GrpcResponse::new(
            self.run_proclaim(&credentials, request.into_inner())
                .await?,
        ))
    }

    async fn leader(
        &self,
        request: Request<LeaderRequest>,
    ) -> Result<GrpcResponse<LeaderResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        Ok(GrpcResponse::new(
            self.run_leader(&credentials, request.into_inner()).await?,
        ))
    }

    async fn observe(
        &self,
        request: Request<LeaderRequest>,
    ) -> Result<GrpcResponse<BoxStream<LeaderResponse>>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        let (tx, rx) = mpsc::channel(16);
        self.observe_into(credentials, request.into_inner().name, tx);
        Ok(GrpcResponse::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(rx),
        )))
    }

    async fn resign(
        &self,
        request: Request<ResignRequest>,
    ) -> Result<GrpcResponse<ResignResponse>, Status> {
        let credentials = credentials(&self.0, request.metadata(), request.extensions());
        Ok(GrpcResponse::new(
            self.run_resign(&credentials, request.into_inner()).await?,
        ))
    }
}

/// `POST /v3/election/observe`: grpc-gateway's server stream, one `{"result": ...}` line per
/// leader; like grpc-gateway, nothing (not even the status line) is sent before the first one.
async fn observe_gateway(member: &Arc<Member>, call: GatewayCall) -> Response {
    let req_desc = descriptor("v3electionpb.LeaderRequest");
    let req = match decode_json::<LeaderRequest>(&req_desc, &call.body) {
        Ok(r) => r,
        Err(msg) => return error_response(Code::InvalidArgument, &msg),
    };
    let credentials = credentials(member, &call.metadata, &Default::default());
    let (tx, mut rx) = mpsc::channel(16);
    ElectionService(member.clone()).observe_into(credentials, req.name, tx);
    let Some(first) = rx.recv().await else {
        return (
            StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            "",
        )
            .into_response();
    };
    let lines =
        tokio_stream::StreamExt::map(tokio_stream::wrappers::ReceiverStream::new(rx), leader_line);
    let stream = tokio_stream::StreamExt::chain(tokio_stream::once(leader_line(first)), lines);
    (
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        Body::from_stream(stream),
    )
        .into_response()
}

/// One line of a gateway stream of leaders.
fn leader_line(item: Result<LeaderResponse, Status>) -> Result<Bytes, std::convert::Infallible> {
    let text = match item {
        Ok(resp) => format!(
            "{{\"result\":{}}}\n",
            message_json("v3electionpb.LeaderResponse", &resp)
        ),
        Err(status) => stream_error(&status),
    };
    Ok(Bytes::from(text))
}
