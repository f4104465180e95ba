//! Calls on the Cluster service (membership).

use oxcd_proto::etcdserverpb::{
    cluster_client::ClusterClient, MemberAddRequest, MemberAddResponse, MemberListRequest,
    MemberListResponse, MemberPromoteRequest, MemberPromoteResponse, MemberRemoveRequest,
    MemberRemoveResponse, MemberUpdateRequest, MemberUpdateResponse,
};
use tonic::transport::Channel;

use crate::client::Within;
use crate::{CallError, Client};

fn cluster(channel: Channel) -> ClusterClient<Channel> {
    ClusterClient::new(channel).max_decoding_message_size(usize::MAX)
}

impl Client {
    /// `MemberList`, within the command timeout.
    pub async fn member_list(&mut self) -> Result<MemberListResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            MemberListRequest::default(),
            |ch, req| async move { cluster(ch).member_list(req).await },
        )
        .await
    }

    /// `MemberAdd` of a member (a learner if `is_learner`) at `peer_urls`, within the command
    /// timeout.
    pub async fn member_add(
        &mut self,
        peer_urls: Vec<String>,
        is_learner: bool,
    ) -> Result<MemberAddResponse, CallError> {
        let request = MemberAddRequest {
            peer_ur_ls: peer_urls,
            is_learner,
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            cluster(ch).member_add(req).await
        })
        .await
    }

    /// `MemberRemove` of member `id`, within the command timeout.
    pub async fn member_remove(&mut self, id: u64) -> Result<MemberRemoveResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            MemberRemoveRequest { id },
            |ch, req| async move { cluster(ch).member_remove(req).await },
        )
        .await
    }

    /// `MemberUpdate`: member `id`'s peer URLs become `peer_urls`, within the command timeout.
    pub async fn member_update(
        &mut self,
        id: u64,
        peer_urls: Vec<String>,
    ) -> Result<MemberUpdateResponse, CallError> {
        let request = MemberUpdateRequest {
            id,
            peer_ur_ls: peer_urls,
        };
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            cluster(ch).member_update(req).await
        })
        .await
    }

    /// `MemberPromote` of learner `id`, within the command timeout.
    pub async fn member_promote(&mut self, id: u64) -> Result<MemberPromoteResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            MemberPromoteRequest { id },
            |ch, req| async move { cluster(ch).member_promote(req).await },
        )
        .await
    }
}
