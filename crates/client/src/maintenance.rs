//! Calls on the Maintenance service.

use oxcd_proto::etcdserverpb::{
    maintenance_client::MaintenanceClient, AlarmRequest, AlarmResponse, HashKvRequest,
    HashKvResponse, MoveLeaderRequest, MoveLeaderResponse, StatusRequest, StatusResponse,
};
use tokio::time::Instant;
use tonic::transport::Channel;

use crate::client::Within;
use crate::{CallError, Client};

fn maintenance(channel: Channel) -> MaintenanceClient<Channel> {
    MaintenanceClient::new(channel).max_decoding_message_size(usize::MAX)
}

impl Client {
    /// `Status` of the member this client is connected to, within the command timeout.
    pub async fn status(&mut self) -> Result<StatusResponse, CallError> {
        let deadline = self.deadline();
        self.status_by(deadline).await
    }

    /// `Status`, bounded by `deadline` (shared with other calls, as etcdctl's single context).
    pub async fn status_by(&mut self, deadline: Instant) -> Result<StatusResponse, CallError> {
        self.call(
            Within::Deadline(deadline),
            StatusRequest {},
            |ch, req| async move { maintenance(ch).status(req).await },
        )
        .await
    }

    /// `HashKV` at `revision` (0: the latest), within the command timeout.
    pub async fn hash_kv(&mut self, revision: i64) -> Result<HashKvResponse, CallError> {
        self.call(
            Within::CommandTimeout,
            HashKvRequest { revision },
            |ch, req| async move { maintenance(ch).hash_kv(req).await },
        )
        .await
    }

    /// `Alarm` (get, activate or deactivate), within the command timeout.
    pub async fn alarm(&mut self, request: AlarmRequest) -> Result<AlarmResponse, CallError> {
        self.call(Within::CommandTimeout, request, |ch, req| async move {
            maintenance(ch).alarm(req).await
        })
        .await
    }

    /// `MoveLeader` to member `target_id`, asked of the leader this client is connected to and
    /// bounded by `deadline` (shared with other calls, as etcdctl's single context).
    pub async fn move_leader_by(
        &mut self,
        deadline: Instant,
        target_id: u64,
    ) -> Result<MoveLeaderResponse, CallError> {
        self.call(
            Within::Deadline(deadline),
            MoveLeaderRequest { target_id },
            |ch, req| async move { maintenance(ch).move_leader(req).await },
        )
        .await
    }
}
