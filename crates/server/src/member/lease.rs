//! The member's lease duties beyond the state machine: the primary's expiry and checkpoint
//! loop, keep-alives that wait for the primary, and forwarding to the leader's peer URL from
//! followers (answered there through `peer`).

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use oxcd_proto::etcdserverpb::{
    LeaseCheckpoint, LeaseCheckpointRequest, LeaseRevokeRequest, LeaseTimeToLiveResponse,
};
use oxcd_proto::oxcdpb::internal_request::Op;
use oxcd_proto::oxcdpb::peer_client::PeerClient;
use oxcd_proto::oxcdpb::PeerLeaseRequest;
use tokio::task::JoinSet;
use tonic::transport::Channel;

use super::Member;
use crate::error::ServerError;
use crate::state::lessor::{leading_term, Due, Renewal, EXPIRY_TICK, MAX_REVOKES_PER_ROUND};

impl Member {
    /// The term this member leads in, once it has applied an entry of that term (so its lessor
    /// holds every lease change committed before); `None` when it does not lead.
    fn lease_leading_term(&self) -> Option<u64> {
        let term = self.raft.term.load(Ordering::Relaxed);
        leading_term(self.leader() == self.id, term, self.store.term())
    }

    /// A peer client on the leader's peer URL when another member leads: followers forward
    /// keep-alives and time-to-live questions to it, as etcd does. The channel is cached, and
    /// every call on it is bounded by the member's request timeout.
    async fn leader_peer_client(&self) -> Option<PeerClient<Channel>> {
        let leader = self.leader();
        if leader == 0 || leader == self.id {
            return None;
        }
        let mut cached = self.leader_peer_channel.lock().await;
        if let Some((id, channel)) = cached.as_ref() {
            if *id == leader {
                return Some(PeerClient::new(channel.clone()));
            }
        }
        let member = self.membership.get(leader)?;
        let url = member.peer_ur_ls.first()?;
        let channel = match self
            .peer_dialer
            .connect(url, Duration::from_secs(1), Some(self.request_timeout))
            .await
        {
            Ok(channel) => channel,
            Err(e) => {
                tracing::debug!(error = %e, "cannot reach the leader's peer URL");
                return None;
            }
        };
        *cached = Some((leader, channel.clone()));
        Some(PeerClient::new(channel))
    }

    /// Drops the cached leader channel after a forwarded call failed in transport (or timed
    /// out), so the next call dials again: a moved leader or a rotated peer certificate is then
    /// picked up.
    async fn forget_leader_channel(&self, status: Option<&tonic::Status>) {
        if status.is_none_or(is_transport_failure) {
            *self.leader_peer_channel.lock().await = None;
        }
    }

    /// A lease call forwarded to the leader names this member and its cluster.
    fn peer_lease_request(&self, id: i64, keys: bool) -> PeerLeaseRequest {
        PeerLeaseRequest {
            cluster_id: self.cluster_id,
            from: self.id,
            id,
            keys,
        }
    }

    /// etcd's `LeaseTimeToLive`: only the leader knows the deadlines, so a follower asks it over
    /// the peer URL; an unknown lease has TTL -1. The header is the caller's to stamp.
    pub async fn lease_time_to_live(
        &self,
        id: i64,
        keys: bool,
    ) -> Result<LeaseTimeToLiveResponse, tonic::Status> {
        if let Some(mut leader) = self.leader_peer_client().await {
            let request = self.peer_lease_request(id, keys);
            // The channel's request timeout bounds the call; this bounds the rest, too.
            let asked =
                tokio::time::timeout(self.request_timeout, leader.lease_time_to_live(request));
            return match asked.await {
                Ok(Ok(reply)) => Ok(reply.into_inner()),
                Ok(Err(status)) => {
                    self.forget_leader_channel(Some(&status)).await;
                    Err(status)
                }
                Err(_) => {
                    self.forget_leader_channel(None).await;
                    Err(tonic::Status::deadline_exceeded(
                        "the leader did not answer in time",
                    ))
                }
            };
        }
        Ok(self.lease_time_to_live_here(id, keys))
    }

    /// The time to live from this member's lessor.
    pub(super) fn lease_time_to_live_here(&self, id: i64, keys: bool) -> LeaseTimeToLiveResponse {
        self.lessor
            .time_to_live(id, keys)
            .unwrap_or(LeaseTimeToLiveResponse {
                id,
                ttl: -1,
                ..Default::default()
            })
    }

    /// How much longer than its TTL a lease lives after a promotion: one election timeout.
    fn lease_promotion_extension(&self) -> Duration {
        Duration::from_millis(self.config.election_timeout)
    }

    /// Promotes or demotes the lessor to match this member's raft role.
    pub fn sync_lease_role(&self) {
        let extend = self.lease_promotion_extension();
        self.lessor.sync_role(self.lease_leading_term(), extend);
    }

    /// A keep-alive, etcd's `LeaseRenew`: renewed TTL, or `LeaseNotFound`. Waits (within the
    /// request timeout) for this member to become primary, and for an expired lease's revocation
    /// to be applied, so the answer is never stale. A leader first confirms its leadership with
    /// a read index, as etcd 3.6's `ensureLeadership` does (etcd skips it while the member
    /// ticks; oxcd never does): a leader cut off from its followers, or paused, may not have
    /// stepped down yet, and its renewal would outlive the deadline the next leader keeps (the
    /// simulation found that).
    pub async fn lease_renew(self: &Arc<Self>, id: i64) -> Result<i64, ServerError> {
        self.renew(id, true).await
    }

    /// A keep-alive; with `forward`, a follower asks the leader, otherwise (a keep-alive the
    /// leader was forwarded) it answers `NotLeader` when another member leads, so a call never
    /// travels twice.
    pub(super) async fn renew(
        self: &Arc<Self>,
        id: i64,
        forward: bool,
    ) -> Result<i64, ServerError> {
        let deadline = tokio::time::Instant::now() + self.request_timeout;
        let mut primary = self.lessor.primary_changes();
        loop {
            if self.leader() == self.id {
                let confirmed = self.linearizable_barrier().await;
                // A leadership lost meanwhile demotes the lessor; the renewal then goes to
                // the new leader.
                self.sync_lease_role();
                if let Err(e) = confirmed {
                    if self.leader() == self.id {
                        return Err(e);
                    }
                }
            }
            let revoked = self.lessor.revocations().notified();
            tokio::pin!(revoked);
            revoked.as_mut().enable();
            match self.lessor.renew(id, self.lessor.now()) {
                Renewal::Renewed {
                    ttl,
                    clear_checkpoint,
                } => {
                    self.metrics.lease_renewed.inc();
                    if clear_checkpoint {
                        // As etcd, the client hears of the renewal only once the checkpoint is
                        // cleared through raft: a leader elected before that would give the
                        // lease only the TTL the checkpoint left, less than the client was told.
                        let checkpoints = vec![LeaseCheckpoint {
                            id,
                            remaining_ttl: 0,
                        }];
                        let op = Op::LeaseCheckpoint(LeaseCheckpointRequest { checkpoints });
                        self.propose(op).await?;
                    }
                    return Ok(ttl);
                }
                Renewal::NotFound => return Err(ServerError::LeaseNotFound),
                Renewal::Expired => {
                    let _ = tokio::time::timeout_at(deadline, revoked).await;
                }
                Renewal::NotPrimary => {
                    self.sync_lease_role();
                    let leader = self.leader();
                    if !forward && leader != 0 && leader != self.id {
                        return Err(ServerError::NotLeader);
                    }
                    if let Some(mut leader) = self.leader_peer_client().await {
                        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                        let request = self.peer_lease_request(id, false);
                        let renewed = async {
                            let reply = leader.lease_renew(request).await?;
                            Ok::<_, tonic::Status>(reply.into_inner().ttl)
                        };
                        match tokio::time::timeout(left, renewed).await {
                            Ok(Ok(ttl)) if ttl > 0 => return Ok(ttl),
                            Ok(Ok(_)) => return Err(ServerError::LeaseNotFound),
                            // The leader is unreachable or changing: look again shortly.
                            Ok(Err(status)) => {
                                self.forget_leader_channel(Some(&status)).await;
                                tokio::time::sleep(EXPIRY_TICK).await
                            }
                            Err(_) => self.forget_leader_channel(None).await,
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

/// Whether a forwarded call failed in transport rather than being answered: the connection
/// broke or could not be made (TLS included), or the call timed out. An answer from the leader
/// (`NotLeader`, a lease error) keeps the channel.
fn is_transport_failure(status: &tonic::Status) -> bool {
    use tonic::Code;
    let from_transport = std::error::Error::source(status)
        .is_some_and(|e| e.downcast_ref::<tonic::transport::Error>().is_some());
    from_transport
        || matches!(
            status.code(),
            Code::Unavailable | Code::Unknown | Code::Cancelled | Code::DeadlineExceeded
        )
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
        let extend = member.lease_promotion_extension();
        let Due {
            checkpoints,
            expired,
        } = member
            .lessor
            .expiry_round(member.lease_leading_term(), extend);
        if !checkpoints.is_empty() {
            let m = member.clone();
            tokio::spawn(async move {
                let op = Op::LeaseCheckpoint(LeaseCheckpointRequest { checkpoints });
                if let Err(e) = m.propose(op).await {
                    tracing::warn!(error = %e, "proposing lease checkpoints failed");
                }
            });
        }
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
                // Counted as etcd counts them: expiries the leader revoked.
                Ok((_, Ok(_))) => member.metrics.lease_expired.inc(),
                Ok((_, Err(ServerError::LeaseNotFound))) => {}
                Ok((id, Err(e))) => {
                    tracing::warn!(lease = %format!("{id:x}"), error = %e, "revoking an expired lease failed; retrying later");
                }
                Err(e) => tracing::warn!(error = %e, "a lease revocation task failed"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_failures_drop_the_channel_and_answers_keep_it() {
        assert!(is_transport_failure(&tonic::Status::unavailable(
            "connection refused"
        )));
        assert!(is_transport_failure(&tonic::Status::cancelled(
            "Timeout expired"
        )));
        assert!(is_transport_failure(&tonic::Status::unknown(
            "h2 protocol error"
        )));
        assert!(!is_transport_failure(&tonic::Status::not_found(
            "lease not found"
        )));
        assert!(!is_transport_failure(&tonic::Status::failed_precondition(
            "not leader"
        )));
    }
}
