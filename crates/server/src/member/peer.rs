//! The peer service this member runs, and the leader's side of followers' forwarded lease
//! calls that the service (below the member layer) reaches through [`LeaderLeases`].

use std::sync::{Arc, Weak};

use oxcd_proto::etcdserverpb::LeaseTimeToLiveResponse;

use super::Member;
use crate::config::MAX_QUOTA_BYTES;
use crate::consensus::peer_service::{LeaderLeases, PeerService, PeerSetup};
use crate::consensus::wire::max_peer_message_bytes;
use crate::error::ServerError;

/// The smallest limit on a snapshot received as a whole: etcd's largest recommended quota.
const MIN_SNAPSHOT_LIMIT: u64 = 8 << 30;

impl Member {
    /// The service that feeds other members' raft messages to this member and answers their
    /// forwarded lease calls.
    pub fn peer_service(self: &Arc<Self>) -> PeerService {
        PeerService::new(PeerSetup {
            cluster_id: self.cluster_id,
            member_id: self.id,
            membership: self.membership.clone(),
            store: self.store.clone(),
            node: self.node.clone(),
            incoming: self.incoming.clone(),
            leases: Arc::new(LeaderLeasesOf(Arc::downgrade(self))),
            max_message_bytes: max_peer_message_bytes(self.config.max_request_bytes as usize),
            max_snapshot_bytes: self.max_snapshot_bytes(),
            metrics: self.metrics.clone(),
        })
    }

    /// The largest snapshot this member accepts: twice the backend quota (a snapshot is a copy
    /// of a backend kept under the quota, plus what the last writes before the alarm added),
    /// and never below etcd's largest recommended quota, so that a member is not cut off from a
    /// cluster whose other members run a larger quota (or none).
    fn max_snapshot_bytes(&self) -> u64 {
        let quota = self.config.backend_quota().unwrap_or(MAX_QUOTA_BYTES) as u64;
        quota.saturating_mul(2).max(MIN_SNAPSHOT_LIMIT)
    }
}

/// The leader's side of followers' forwarded lease calls, for the peer service (which sits below
/// the member and reaches it only through this). Holds the member weakly: the peer server must
/// not keep a stopped member alive.
struct LeaderLeasesOf(Weak<Member>);

#[tonic::async_trait]
impl LeaderLeases for LeaderLeasesOf {
    async fn renew(&self, id: i64) -> Result<i64, ServerError> {
        let member = self.0.upgrade().ok_or(ServerError::Stopped)?;
        member.renew(id, false).await
    }

    async fn time_to_live(
        &self,
        id: i64,
        keys: bool,
    ) -> Result<LeaseTimeToLiveResponse, ServerError> {
        let member = self.0.upgrade().ok_or(ServerError::Stopped)?;
        // Only the leader's lessor knows the deadlines; a member that lost leadership says so
        // and the follower's client retries, instead of the question hopping on.
        let leader = member.leader();
        if leader != 0 && leader != member.id {
            return Err(ServerError::NotLeader);
        }
        Ok(member.lease_time_to_live_here(id, keys))
    }
}
