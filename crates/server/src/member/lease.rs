//! The member's lease duties beyond the state machine: the primary's expiry and checkpoint
//! loop, keep-alives that wait for the primary, and forwarding to the leader from followers.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use oxcd_proto::etcdserverpb::lease_client::LeaseClient;
use oxcd_proto::etcdserverpb::{LeaseCheckpoint, LeaseCheckpointRequest, LeaseRevokeRequest};
use oxcd_proto::oxcdpb::internal_request::Op;
use tokio::task::JoinSet;
use tonic::transport::{Channel, Endpoint};

use super::Member;
use crate::error::ServerError;
use crate::state::lessor::{
    Renewal, EXPIRY_TICK, MAX_CHECKPOINTS_PER_PROPOSAL, MAX_REVOKES_PER_ROUND,
};

impl Member {
    /// The term this member leads in, once it has applied an entry of that term (so its lessor
    /// holds every lease change committed before); `None` when it does not lead.
    fn lease_leading_term(&self) -> Option<u64> {
        let term = self.raft.term.load(Ordering::Relaxed);
        (self.leader() == self.id && self.store.term() == term).then_some(term)
    }

    /// A Lease client on the leader's client URL when another member leads: followers forward
    /// keep-alives and time-to-live questions to it (etcd forwards them over the peer URL).
    pub fn leader_lease_client(&self) -> Option<LeaseClient<Channel>> {
        let leader = self.leader();
        if leader == 0 || leader == self.id {
            return None;
        }
        let mut cached = self
            .leader_lease_channel
            .lock()
            .expect("leader channel lock poisoned");
        if let Some((id, channel)) = cached.as_ref() {
            if *id == leader {
                return Some(LeaseClient::new(channel.clone()));
            }
        }
        let member = self.membership.get(leader)?;
        let url = member
            .client_ur_ls
            .iter()
            .find(|url| url.starts_with("http://"))?;
        let channel = Endpoint::from_shared(url.clone())
            .ok()?
            .connect_timeout(Duration::from_secs(1))
            .tcp_nodelay(true)
            .connect_lazy();
        *cached = Some((leader, channel.clone()));
        Some(LeaseClient::new(channel))
    }

    /// Promotes or demotes the lessor to match this member's raft role.
    pub fn sync_lease_role(&self) {
        let extend = Duration::from_millis(self.config.election_timeout);
        self.lessor.sync_role(self.lease_leading_term(), extend);
    }

    /// A keep-alive, etcd's `LeaseRenew`: renewed TTL, or `LeaseNotFound`. Waits (within the
    /// request timeout) for this member to become primary, and for an expired lease's revocation
    /// to be applied, so the answer is never stale.
    pub async fn lease_renew(self: &Arc<Self>, id: i64) -> Result<i64, ServerError> {
        let deadline = tokio::time::Instant::now() + self.request_timeout;
        let mut primary = self.lessor.primary_changes();
        loop {
            let revoked = self.lessor.revocations().notified();
            tokio::pin!(revoked);
            revoked.as_mut().enable();
            match self.lessor.renew(id, Instant::now()) {
                Renewal::Renewed {
                    ttl,
                    clear_checkpoint,
                } => {
                    if clear_checkpoint {
                        let member = self.clone();
                        tokio::spawn(async move {
                            let checkpoints = vec![LeaseCheckpoint {
                                id,
                                remaining_ttl: 0,
                            }];
                            let op = Op::LeaseCheckpoint(LeaseCheckpointRequest { checkpoints });
                            if let Err(e) = member.propose(op).await {
                                tracing::debug!(lease = id, error = %e, "clearing a lease checkpoint failed");
                            }
                        });
                    }
                    return Ok(ttl);
                }
                Renewal::NotFound => return Err(ServerError::LeaseNotFound),
                Renewal::Expired => {
                    let _ = tokio::time::timeout_at(deadline, revoked).await;
                }
                Renewal::NotPrimary => {
                    self.sync_lease_role();
                    if let Some(leader) = self.leader_lease_client() {
                        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                        match tokio::time::timeout(left, forward_renew(leader, id)).await {
                            Ok(Ok(ttl)) if ttl > 0 => return Ok(ttl),
                            Ok(Ok(_)) => return Err(ServerError::LeaseNotFound),
                            // The leader is unreachable or changing: look again shortly.
                            Ok(Err(_)) => tokio::time::sleep(EXPIRY_TICK).await,
                            Err(_) => {}
                        }
                    } else if !*primary.borrow_and_update() {
                        let wait = tokio::time::Instant::now() + EXPIRY_TICK;
                        let _ =
                            tokio::time::timeout_at(wait.min(deadline), primary.changed()).await;
                    }
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(ServerError::Timeout);
            }
        }
    }
}

/// One keep-alive on the leader: its TTL (0 for a lease it does not know).
async fn forward_renew(mut leader: LeaseClient<Channel>, id: i64) -> Result<i64, tonic::Status> {
    let request = tokio_stream::once(oxcd_proto::etcdserverpb::LeaseKeepAliveRequest { id });
    let mut replies = leader.lease_keep_alive(request).await?.into_inner();
    match replies.message().await? {
        Some(reply) => Ok(reply.ttl),
        None => Err(tonic::Status::unavailable(
            "the leader closed the keep-alive stream",
        )),
    }
}

/// The primary's expiry loop: every tick, promotes or demotes the lessor to match the raft
/// role, proposes due checkpoints, and revokes expired leases through raft in bounded rounds
/// (the next round starts at once while a mass expiry lasts). Ends when the member is gone.
pub async fn run_expiry(member: Weak<Member>) {
    let mut backlog = false;
    loop {
        if !backlog {
            tokio::time::sleep(EXPIRY_TICK).await;
        }
        let Some(member) = member.upgrade() else {
            return;
        };
        member.sync_lease_role();
        let now = Instant::now();
        let checkpoints = member
            .lessor
            .take_checkpoints(now, MAX_CHECKPOINTS_PER_PROPOSAL);
        if !checkpoints.is_empty() {
            let m = member.clone();
            tokio::spawn(async move {
                let op = Op::LeaseCheckpoint(LeaseCheckpointRequest { checkpoints });
                if let Err(e) = m.propose(op).await {
                    tracing::warn!(error = %e, "proposing lease checkpoints failed");
                }
            });
        }
        let expired = member.lessor.take_expired(now, MAX_REVOKES_PER_ROUND);
        backlog = expired.len() == MAX_REVOKES_PER_ROUND;
        let mut revocations = JoinSet::new();
        for id in expired {
            let m = member.clone();
            revocations.spawn(async move {
                let result = m.propose(Op::LeaseRevoke(LeaseRevokeRequest { id })).await;
                (id, result)
            });
        }
        while let Some(done) = revocations.join_next().await {
            match done {
                Ok((_, Ok(_))) | Ok((_, Err(ServerError::LeaseNotFound))) => {}
                Ok((id, Err(e))) => {
                    tracing::warn!(lease = %format!("{id:x}"), error = %e, "revoking an expired lease failed; retrying later");
                }
                Err(e) => tracing::warn!(error = %e, "a lease revocation task failed"),
            }
        }
    }
}
