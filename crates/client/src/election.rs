//! Calls on the Election service (etcd's `v3election`).

use oxcd_proto::v3electionpb::{
    election_client::ElectionClient, CampaignRequest, LeaderKey, LeaderRequest, LeaderResponse,
    ResignRequest,
};
use tonic::transport::Channel;
use tonic::Streaming;

use crate::client::Within;
use crate::{CallError, Client};

fn election(channel: Channel) -> ElectionClient<Channel> {
    ElectionClient::new(channel).max_decoding_message_size(usize::MAX)
}

impl Client {
    /// `Campaign` for leadership of election `name` with `value`, tied to lease `lease`;
    /// untimed: it waits until this campaigner leads. Returns the leader key to resign with.
    pub async fn campaign(
        &mut self,
        name: Vec<u8>,
        lease: i64,
        value: Vec<u8>,
    ) -> Result<LeaderKey, CallError> {
        let request = CampaignRequest { name, lease, value };
        let response = self
            .call(Within::Unbounded, request, |ch, req| async move {
                election(ch).campaign(req).await
            })
            .await?;
        Ok(response.leader.unwrap_or_default())
    }

    /// `Resign` of the leadership `leader` holds; untimed.
    pub async fn resign(&mut self, leader: LeaderKey) -> Result<(), CallError> {
        let request = ResignRequest {
            leader: Some(leader),
        };
        self.call(Within::Unbounded, request, |ch, req| async move {
            election(ch).resign(req).await
        })
        .await
        .map(|_| ())
    }

    /// `Observe`: a stream of election `name`'s leaders, the current one first; untimed.
    pub async fn observe(&mut self, name: Vec<u8>) -> Result<Streaming<LeaderResponse>, CallError> {
        self.call(
            Within::Unbounded,
            LeaderRequest { name },
            |ch, req| async move { election(ch).observe(req).await },
        )
        .await
    }
}
