//! Proposals through raft and their waits, and the linearizable read barrier.

use std::sync::atomic::Ordering;
use std::sync::mpsc::TrySendError;

use oxcd_proto::etcdserverpb::{
    alarm_request::AlarmAction, AlarmRequest, AlarmType, Member as MemberPb, RangeRequest,
    RangeResponse,
};
use oxcd_proto::oxcdpb::{internal_request::Op, member_change, InternalRequest};
use oxcd_storage::mvcc::MvccError;
use prost::Message;
use tokio::sync::oneshot;

use super::disk::DISK_RESERVE_BYTES;
use super::Member;
use crate::error::{AuthError, ServerError};
use crate::messages::{member_conf_change, NodeMsg};
use crate::state::auth::{AuthInfo, Credentials};
use crate::state::quota::{exceeds_quota, write_cost};
use crate::state::waits::ApplyResponse;

impl Member {
    /// Replicates the member's own `op` (not a client's: never checked against auth) through
    /// raft and waits for its result from the applier.
    pub async fn propose(&self, op: Op) -> Result<ApplyResponse, ServerError> {
        self.propose_request(InternalRequest {
            op: Some(op),
            ..Default::default()
        })
        .await
    }

    /// Replicates a client's `op`, checked at apply as coming from `caller` when auth is on.
    pub async fn propose_for(
        &self,
        caller: Option<&AuthInfo>,
        op: Op,
    ) -> Result<ApplyResponse, ServerError> {
        self.check_quota(write_cost(&op)).await?;
        self.propose_request(InternalRequest {
            op: Some(op),
            username: caller.map(|c| c.username.clone()).unwrap_or_default(),
            auth_revision: caller.map_or(0, |c| c.revision),
            from_client: true,
            ..Default::default()
        })
        .await
    }

    async fn propose_request(
        &self,
        mut request: InternalRequest,
    ) -> Result<ApplyResponse, ServerError> {
        // A member whose applier has fallen far behind what raft committed refuses new work
        // instead of queueing it without bound (etcd's maxGapBetweenApplyAndCommitIndex).
        let committed = self.raft.commit.load(Ordering::Relaxed);
        if apply_lags_too_far(committed, self.applied_index()) {
            return Err(ServerError::TooManyRequests);
        }
        let id = self.next_request_id();
        request.id = id;
        let data = request.encode_to_vec();
        if data.len() > self.config.max_request_bytes as usize {
            return Err(ServerError::RequestTooLarge);
        }
        self.replicate(id, |on_drop| NodeMsg::Propose { data, on_drop })
            .await
    }

    /// Proposes a membership change carrying `member` and waits until it is applied.
    pub(super) async fn propose_member_change(
        &self,
        member: MemberPb,
        kind: member_change::Kind,
    ) -> Result<(), ServerError> {
        let id = self.next_request_id();
        let change = member_conf_change(id, &member, kind);
        self.replicate(id, |on_drop| NodeMsg::ProposeConfChange { change, on_drop })
            .await
            .map(drop)
    }

    /// Raises the NOSPACE alarm for this member through raft unless it is raised already; the
    /// write that found the backend past the quota fails either way, as in etcd.
    pub(super) async fn raise_nospace(&self) {
        if self.alarms.no_space() {
            return;
        }
        let alarm = AlarmRequest {
            action: AlarmAction::Activate as i32,
            member_id: self.id,
            alarm: AlarmType::Nospace as i32,
        };
        if let Err(e) = self.propose(Op::Alarm(alarm)).await {
            tracing::warn!(error = %e, "could not raise the NOSPACE alarm");
        }
    }

    /// etcd's quota check before a write that grows the backend by about `cost` bytes: past the
    /// quota, this member raises a NOSPACE alarm through raft and the write is refused. A file
    /// system nearly full counts as past the quota (etcd does not look): the alarm is raised
    /// while the WAL and the backend still have room for it, instead of their writes failing.
    pub(super) async fn check_quota(&self, cost: usize) -> Result<(), ServerError> {
        if cost == 0 {
            return Ok(());
        }
        let over_quota = exceeds_quota(
            self.config.backend_quota(),
            self.store.backend().file_size(),
            cost,
        );
        let free = self.free_space.bytes(self.store.backend().path());
        let disk_low = free.is_some_and(|free| free < DISK_RESERVE_BYTES + cost as u64);
        if !over_quota && !disk_low {
            return Ok(());
        }
        if disk_low && !self.alarms.no_space() {
            tracing::warn!(
                free_bytes = free.unwrap_or_default(),
                reserve_bytes = DISK_RESERVE_BYTES,
                "the data dir's file system is nearly full; raising the NOSPACE alarm"
            );
        }
        self.raise_nospace().await;
        Err(ServerError::NoSpace)
    }

    fn next_request_id(&self) -> u64 {
        self.request_ids.next()
    }

    /// Hands a proposal to the node loop and waits for the applier's result for request `id`.
    async fn replicate(
        &self,
        id: u64,
        message: impl FnOnce(oneshot::Sender<ServerError>) -> NodeMsg,
    ) -> Result<ApplyResponse, ServerError> {
        let result = self.waits.register(id);
        let (drop_tx, drop_rx) = oneshot::channel();
        match self.node.try_send(message(drop_tx)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.waits.cancel(id);
                return Err(ServerError::TooManyRequests);
            }
            Err(TrySendError::Disconnected(_)) => {
                self.waits.cancel(id);
                return Err(ServerError::Stopped);
            }
        }
        let metrics = &self.metrics;
        metrics.proposals_pending.inc();
        let outcome = tokio::time::timeout(self.request_timeout, async {
            tokio::select! {
                r = result => r.map_err(|_| ServerError::Stopped)?,
                Ok(e) = drop_rx => Err(e),
            }
        })
        .await;
        metrics.proposals_pending.dec();
        self.waits.cancel(id);
        // As etcd counts them: proposals raft dropped or that did not apply in time (an
        // applied request that the state machine refused is not a failed proposal).
        let outcome = outcome.unwrap_or(Err(ServerError::Timeout));
        if outcome.is_err() {
            metrics.proposals_failed.inc();
        }
        outcome
    }

    /// Waits until this member has applied everything committed when the call began (ReadIndex).
    pub async fn linearizable_barrier(&self) -> Result<(), ServerError> {
        let (tx, rx) = oneshot::channel();
        match self.node.try_send(NodeMsg::ReadIndex(tx)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(ServerError::TooManyRequests),
            Err(TrySendError::Disconnected(_)) => return Err(ServerError::Stopped),
        }
        let mut applied = self.applied.clone();
        tokio::time::timeout(self.request_timeout, async move {
            let index = rx.await.map_err(|_| ServerError::Stopped)??;
            applied
                .wait_for(|a| *a >= index)
                .await
                .map_err(|_| ServerError::Stopped)?;
            Ok(())
        })
        .await
        .map_err(|_| ServerError::Timeout)?
    }

    /// Waits until every change this member has made known is published to its reads: watchers
    /// learn of a batch's changes and its KV writers are answered before the backend commit
    /// publishes it, so a serializable read or a new watch that one of them starts afterwards
    /// would otherwise miss the change. Linearizable reads wait for the publication through
    /// their barrier.
    pub async fn await_published(&self) -> Result<(), ServerError> {
        self.wait_applied(self.waits.exposed()).await
    }

    /// Waits, at most the request timeout, until this member has applied (and published) log
    /// `index`; at once when it has.
    pub(super) async fn wait_applied(&self, index: u64) -> Result<(), ServerError> {
        if self.applied_index() >= index {
            return Ok(());
        }
        let mut applied = self.applied.clone();
        tokio::time::timeout(self.request_timeout, applied.wait_for(|a| *a >= index))
            .await
            .map_err(|_| ServerError::Timeout)?
            .map_err(|_| ServerError::Stopped)?;
        Ok(())
    }

    /// A Range for the client that presented `credentials`, linearizable unless the request
    /// asks for a serializable read. The caller is resolved and checked after the barrier, so the
    /// check sees every auth change committed before; one committed while the range was read
    /// fails it (etcd's doSerialize), so no read outlives a revoked permission.
    pub async fn range(
        &self,
        credentials: &Credentials,
        req: &RangeRequest,
    ) -> Result<RangeResponse, ServerError> {
        let read = || Ok(self.timed_range(req)?);
        let mut resp = self
            .checked_read(
                credentials,
                req.serializable,
                &req.key,
                &req.range_end,
                read,
            )
            .await?;
        self.stamp(&mut resp.header);
        Ok(resp)
    }

    /// `read`, of the keys `key`..`range_end` (as a Range names them), for the client that
    /// presented `credentials`, with [`range`](Self::range)'s barrier and permission check.
    pub async fn checked_read<T>(
        &self,
        credentials: &Credentials,
        serializable: bool,
        key: &[u8],
        range_end: &[u8],
        read: impl FnOnce() -> Result<T, ServerError>,
    ) -> Result<T, ServerError> {
        if serializable {
            self.await_published().await?;
        } else {
            self.linearizable_barrier().await?;
        }
        let caller = self.resolve(credentials).await?;
        let generation = self.auth.generation();
        self.auth.check_read(caller.as_ref(), key, range_end)?;
        let value = read()?;
        if self.auth.generation() != generation && self.auth.is_enabled() {
            return Err(AuthError::AuthOldRevision.into());
        }
        Ok(value)
    }

    /// `read` (after the barrier unless `serializable`), then `keep` it as far as the caller may
    /// see it: `keep` gets a check of whether the caller may read a whole key range, and drops
    /// what it may not. For listings shown to whoever asks (the dashboard's), where a refusal of
    /// the whole would hide what the caller may read. Without any credentials while auth is on,
    /// etcd's "user name is empty", so that a client knows to log in.
    pub async fn readable_part<T>(
        &self,
        credentials: &Credentials,
        serializable: bool,
        read: impl FnOnce() -> Result<T, ServerError>,
        keep: impl FnOnce(T, &dyn Fn(&[u8], &[u8]) -> bool) -> T,
    ) -> Result<T, ServerError> {
        if serializable {
            self.await_published().await?;
        } else {
            self.linearizable_barrier().await?;
        }
        let caller = self.resolve(credentials).await?;
        if self.auth.is_enabled() && caller.is_none() {
            return Err(AuthError::UserEmpty.into());
        }
        let generation = self.auth.generation();
        let may_read =
            |key: &[u8], end: &[u8]| self.auth.check_read(caller.as_ref(), key, end).is_ok();
        let value = keep(read()?, &may_read);
        if self.auth.generation() != generation && self.auth.is_enabled() {
            return Err(AuthError::AuthOldRevision.into());
        }
        Ok(value)
    }

    /// The read the health checks make (etcd's readCheck): one key, keys only, as the member
    /// itself, so it says whether reads work whatever auth allows.
    pub async fn health_read(&self, serializable: bool) -> Result<(), ServerError> {
        if !serializable {
            self.linearizable_barrier().await?;
        }
        let probe = RangeRequest {
            keys_only: true,
            limit: 1,
            serializable: true,
            ..Default::default()
        };
        self.timed_range(&probe)?;
        Ok(())
    }

    /// A read of the store, timed as etcd times its `txn.Range` (and logged when slow).
    fn timed_range(&self, req: &RangeRequest) -> Result<RangeResponse, MvccError> {
        let started = std::time::Instant::now();
        let read = self.store.range(req);
        let took = started.elapsed();
        self.metrics
            .range_duration
            .with_label_values(&[if read.is_ok() { "true" } else { "false" }])
            .observe(took.as_secs_f64());
        if took > crate::metrics::SLOW_REQUEST {
            self.metrics.slow_applies.inc();
            tracing::warn!(took = ?took, key = %String::from_utf8_lossy(&req.key), "read-only range request took too long");
        }
        read
    }

    /// Waits until the backend has physically dropped everything compaction `revision` superseded.
    pub async fn wait_compacted(&self, revision: i64) -> Result<(), ServerError> {
        let mut compacted = self.compacted.clone();
        compacted
            .wait_for(|c| *c >= revision)
            .await
            .map_err(|_| ServerError::Stopped)?;
        Ok(())
    }
}

/// etcd's `maxGapBetweenApplyAndCommitIndex`.
const MAX_APPLY_LAG: u64 = 5000;

fn apply_lags_too_far(committed: u64, applied: u64) -> bool {
    committed > applied.saturating_add(MAX_APPLY_LAG)
}

#[cfg(test)]
mod tests {
    use super::apply_lags_too_far;

    #[test]
    fn proposals_are_refused_only_past_etcds_apply_lag() {
        assert!(!apply_lags_too_far(5000, 0));
        assert!(apply_lags_too_far(5001, 0));
        assert!(!apply_lags_too_far(10, 20));
    }
}
