//! Cluster membership as a member drives it: publishing its own attributes, adding, removing,
//! updating and promoting members, and moving leadership.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_proto::oxcdpb::{internal_request::Op, member_change};
use tokio::sync::oneshot;

use super::Member;
use crate::config::parse_urls;
use crate::error::ServerError;
use crate::identity;
use crate::messages::NodeMsg;

/// etcd's default `--max-learners`.
const MAX_LEARNERS: usize = 1;

/// How long a failed publish waits before it is tried again.
const PUBLISH_RETRY: Duration = Duration::from_millis(200);
/// How often a publish waiting for a leader looks for one.
const LEADER_POLL: Duration = Duration::from_millis(5);

impl Member {
    /// Announces this member's name and client URLs to the cluster through raft, retrying until a
    /// leader commits it (etcd's publish; clients are served only after it).
    pub async fn publish(&self) {
        let attributes = MemberPb {
            id: self.id,
            name: self.config.name.clone(),
            client_ur_ls: parse_urls(&self.config.advertise_client_urls).unwrap_or_default(),
            ..Default::default()
        };
        loop {
            match self.propose(Op::MemberAttributes(attributes.clone())).await {
                Ok(_) => break,
                // Raft drops a proposal at once while no leader is known, as at every start:
                // retry as soon as one is, for clients are served only after this.
                Err(ServerError::NoLeader) => self.wait_for_leader(PUBLISH_RETRY).await,
                Err(e) => {
                    tracing::debug!(error = %e, "publishing member attributes failed; retrying");
                    tokio::time::sleep(PUBLISH_RETRY).await;
                }
            }
        }
        tracing::info!(
            local_member_id = %format!("{:x}", self.id),
            local_member_attributes = %format!("{{Name:{} ClientURLs:[{}]}}", attributes.name, attributes.client_ur_ls.join(" ")),
            cluster_id = %format!("{:x}", self.cluster_id),
            "published local member to cluster through raft"
        );
    }

    /// Waits until this member knows a leader, at least [`LEADER_POLL`] and at most `limit`.
    async fn wait_for_leader(&self, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            tokio::time::sleep(LEADER_POLL).await;
            if self.leader() != 0 || tokio::time::Instant::now() >= deadline {
                return;
            }
        }
    }

    /// Makes the backend durable up to what has been applied, so a clean stop leaves nothing to
    /// replay from the WAL (and offline tools see everything).
    pub async fn sync_backend(&self) {
        let store = self.store.clone();
        match tokio::task::spawn_blocking(move || store.sync()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not sync the backend at stop"),
            Err(e) => tracing::warn!(error = %e, "could not sync the backend at stop"),
        }
    }

    /// Asks raft to hand leadership to `transferee` and waits until it leads (etcd's MoveLeader).
    pub async fn move_leader(&self, transferee: u64) -> Result<(), ServerError> {
        let _ = self.node.try_send(NodeMsg::TransferLeader(transferee));
        let deadline = tokio::time::Instant::now() + self.request_timeout;
        while self.leader() != transferee {
            if tokio::time::Instant::now() > deadline {
                return Err(ServerError::TimeoutLeaderTransfer);
            }
            tokio::time::sleep(self.config.heartbeat()).await;
        }
        Ok(())
    }

    /// Before stopping: if this member leads and has peers, hand leadership over so the cluster
    /// does not wait an election timeout (etcd does the same). Bounded by two election timeouts.
    pub async fn transfer_leadership_for_stop(&self) {
        if self.leader() != self.id || self.membership.ids().len() < 2 {
            return;
        }
        let _ = self.node.try_send(NodeMsg::TransferLeaderForStop);
        let deadline =
            tokio::time::Instant::now() + 2 * Duration::from_millis(self.config.election_timeout);
        while self.leader() == self.id && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(self.config.heartbeat()).await;
        }
    }

    /// etcd's MemberAdd: a new member (voter or learner) with a fresh ID; it then starts with
    /// `--initial-cluster-state existing`.
    pub async fn add_member(
        &self,
        peer_urls: Vec<String>,
        learner: bool,
    ) -> Result<MemberPb, ServerError> {
        if self.membership.with_peer_url(&peer_urls).is_some() {
            return Err(ServerError::PeerUrlExists);
        }
        if learner && self.membership.learner_count() >= MAX_LEARNERS {
            return Err(ServerError::TooManyLearners);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let id = identity::member_id_at(&peer_urls, &self.config.initial_cluster_token, now);
        if self.membership.get(id).is_some() {
            return Err(ServerError::MemberExists);
        }
        let member = MemberPb {
            id,
            peer_ur_ls: peer_urls,
            is_learner: learner,
            ..Default::default()
        };
        let kind = if learner {
            member_change::Kind::AddLearner
        } else {
            member_change::Kind::Add
        };
        self.propose_member_change(member.clone(), kind).await?;
        Ok(member)
    }

    pub async fn remove_member(&self, id: u64) -> Result<(), ServerError> {
        let member = self.membership.get(id).ok_or(ServerError::MemberNotFound)?;
        self.propose_member_change(member, member_change::Kind::Remove)
            .await
    }

    pub async fn update_member(&self, id: u64, peer_urls: Vec<String>) -> Result<(), ServerError> {
        let mut member = self.membership.get(id).ok_or(ServerError::MemberNotFound)?;
        member.peer_ur_ls = peer_urls;
        self.propose(Op::MemberUpdate(member)).await.map(drop)
    }

    /// etcd's MemberPromote, answered by the leader (which knows how far the learner got).
    pub async fn promote_member(&self, id: u64) -> Result<(), ServerError> {
        let member = self.membership.get(id).ok_or(ServerError::MemberNotFound)?;
        if !member.is_learner {
            return Err(ServerError::MemberNotLearner);
        }
        let (tx, rx) = oneshot::channel();
        self.node
            .try_send(NodeMsg::LearnerReady { id, reply: tx })
            .map_err(|_| ServerError::TooManyRequests)?;
        if !rx.await.map_err(|_| ServerError::Stopped)?? {
            return Err(ServerError::LearnerNotReady);
        }
        self.propose_member_change(member, member_change::Kind::Promote)
            .await?;
        self.metrics.learner_promote_successes.inc();
        Ok(())
    }
}
