//! The Cluster service (etcd's `v3rpc/member.go`) and its gateway route.

use std::sync::Arc;
use std::time::Duration;

use oxcd_proto::etcdserverpb::{
    cluster_client::ClusterClient, cluster_server::Cluster, MemberAddRequest, MemberAddResponse,
    MemberListRequest, MemberListResponse, MemberPromoteRequest, MemberPromoteResponse,
    MemberRemoveRequest, MemberRemoveResponse, MemberUpdateRequest, MemberUpdateResponse,
};
use tonic::transport::Endpoint;
use tonic::{Request, Response, Status};

use crate::api::caller::{admin, TOKEN_KEYS};
use crate::api::json::{unary_route, GatewayRoute};
use crate::error::ServerError;
use crate::member::Member;

/// The Cluster methods of etcd's gateway.
pub const GATEWAY: &[GatewayRoute] = &[unary_route!(
    "cluster/member/list",
    ClusterService::member_list,
    "MemberListRequest",
    "MemberListResponse"
)];

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
        admin(&self.0, &request).await?;
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
        admin(&self.0, &request).await?;
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
        admin(&self.0, &request).await?;
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
        admin(&self.0, &request).await?;
        let m = &self.0;
        let id = request.get_ref().id;
        let leader = m.leader();
        if leader != 0 && leader != m.id {
            let url = m
                .membership
                .get(leader)
                .and_then(|l| l.client_ur_ls.first().cloned())
                .ok_or_else(|| Status::from(ServerError::NoLeader))?;
            let endpoint = Endpoint::from_shared(url.clone())
                .map_err(|e| Status::unavailable(e.to_string()))?
                .connect_timeout(Duration::from_secs(2));
            let channel = endpoint
                .connect()
                .await
                .map_err(|e| Status::unavailable(e.to_string()))?;
            // The leader checks the caller again: its token goes along.
            let mut forwarded = Request::new(MemberPromoteRequest { id });
            for key in TOKEN_KEYS {
                if let Some(token) = request.metadata().get(key) {
                    forwarded.metadata_mut().insert(key, token.clone());
                }
            }
            let mut client = ClusterClient::new(channel);
            return client.member_promote(forwarded).await;
        }
        m.promote_member(id).await?;
        Ok(Response::new(MemberPromoteResponse {
            header: Some(m.header(0)),
            members: m.membership.list(),
        }))
    }
}
