//! The applier: one OS thread that executes committed entries in log order against the MVCC store,
//! one backend transaction per batch; watchers learn of the changes and KV writers are answered
//! before the transaction commits, the other RPCs waiting on them after.

use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;

use oxcd_proto::etcdserverpb::CompactionResponse;
use oxcd_proto::oxcdpb::{internal_request::Op, member_change, InternalRequest, MemberChange};
use oxcd_storage::mvcc::{MvccError, MvccStore, WriteBatch};
use prost::Message;
use raft::prelude::{Entry, EntryType};
use tokio::sync::watch;

use super::alarms::Alarms;
use super::auth::{AuthApplyError, AuthInfo, AuthStore};
use super::events::EventSink;
use super::lessor::Lessor;
use super::membership::Membership;
use super::quota::{exceeds_quota, write_cost};
use super::v2::V2Store;
use super::waits::{ApplyResponse, ApplyResult, Waits};
use crate::error::ServerError;
use crate::messages::{ApplyMsg, NodeMsg};
use crate::metrics::{ServerMetrics, SLOW_REQUEST};

/// Batches of committed entries applied in one backend transaction, at most.
const MAX_BATCHES_PER_COMMIT: usize = 64;

pub struct Applier {
    pub store: Arc<MvccStore>,
    pub waits: Arc<Waits>,
    pub applied: watch::Sender<u64>,
    pub node: SyncSender<NodeMsg>,
    pub snapshot_count: u64,
    pub compaction_requested: watch::Sender<i64>,
    pub event_sinks: Vec<Arc<dyn EventSink>>,
    pub membership: Arc<Membership>,
    pub lessor: Arc<Lessor>,
    pub alarms: Arc<Alarms>,
    pub auth: Arc<AuthStore>,
    pub v2: Arc<V2Store>,
    pub local_id: u64,
    /// Set when a committed change removes this member: it must stop.
    pub removed: watch::Sender<bool>,
    pub metrics: Arc<ServerMetrics>,
    /// `--quota-backend-bytes` as enforced (None: no quota).
    pub quota: Option<i64>,
    /// Woken when a write applied past this member's quota, for the member to raise NOSPACE
    /// through raft (the applier never proposes: it must not wait on the node loop).
    pub over_quota: Arc<tokio::sync::Notify>,
}

impl Applier {
    /// Runs until the node loop hangs up. An error here is a storage failure the member cannot
    /// continue past.
    pub fn run(self, rx: Receiver<ApplyMsg>) -> Result<(), String> {
        let mut last_snapshot = self.store.consistent_index();
        while let Ok(first) = rx.recv() {
            // Consecutive entry batches share one backend transaction; a restore is taken alone,
            // in order.
            let mut batches = Vec::new();
            let mut next = Some(first);
            while let Some(msg) = next.take() {
                match msg {
                    ApplyMsg::Entries(entries) => batches.push(entries),
                    ApplyMsg::Restore { path, done } => {
                        if !self.apply_batches(&std::mem::take(&mut batches), &mut last_snapshot)? {
                            return Ok(());
                        }
                        let restored = self.restore(&path);
                        last_snapshot = self.store.consistent_index();
                        let _ = done.send(restored);
                    }
                }
                if batches.len() < MAX_BATCHES_PER_COMMIT {
                    next = rx.try_recv().ok();
                }
            }
            if !self.apply_batches(&batches, &mut last_snapshot)? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Replaces the store with a snapshot received from the leader.
    pub(crate) fn restore(&self, path: &std::path::Path) -> Result<u64, String> {
        self.metrics.snapshot_apply_in_progress.set(1);
        let restored = self.restore_backend(path);
        self.metrics.snapshot_apply_in_progress.set(0);
        restored
    }

    fn restore_backend(&self, path: &std::path::Path) -> Result<u64, String> {
        self.store.restore_from(path).map_err(|e| e.to_string())?;
        self.membership.reload(&self.store)?;
        self.alarms.reload(&self.store)?;
        self.lessor.reload(&self.store)?;
        self.auth.reload(&self.store)?;
        self.v2.reload(&self.store)?;
        let revision = self.store.current_revision();
        for sink in &self.event_sinks {
            sink.restored(revision);
        }
        let index = self.store.consistent_index();
        self.applied.send_replace(index);
        tracing::info!(index, "restored backend from snapshot");
        Ok(index)
    }

    /// Applies the entries in one backend transaction; false once the node loop is gone.
    pub(crate) fn apply_batches(
        &self,
        batches: &[Vec<Entry>],
        last_snapshot: &mut u64,
    ) -> Result<bool, String> {
        if batches.is_empty() {
            return Ok(true);
        }
        let mut batch = self
            .store
            .write_batch()
            .map_err(|e| format!("backend: {e}"))?;
        let mut results = Vec::new();
        let mut events = Vec::new();
        let mut last = None;
        let applied_before = self.store.consistent_index();
        for entry in batches.iter().flatten() {
            if entry.index <= applied_before {
                continue; // already in the backend: replay after restart is idempotent by index
            }
            if entry.get_entry_type() == EntryType::EntryConfChangeV2 {
                self.apply_member_change(&mut batch, entry, &mut results)?;
            } else if entry.get_entry_type() == EntryType::EntryNormal && !entry.data.is_empty() {
                self.apply_entry(&mut batch, entry, &mut results)?;
                let entry_events = batch.take_events();
                self.lessor.track(&entry_events);
                events.extend(entry_events);
            }
            last = Some((entry.index, entry.term));
        }
        let Some((index, term)) = last else {
            return Ok(true);
        };
        self.v2
            .persist(&mut batch)
            .map_err(|e| format!("backend: {e}"))?;
        batch
            .set_consistent_index(index, term)
            .map_err(|e| format!("backend: {e}"))?;
        // A KV write's response is whole once applied and its entry is durable in the WAL, so
        // watchers learn of the batch's changes and their writers are answered before the
        // backend commit (a commit that fails stops the member, and the WAL replays the entries
        // at its restart), as etcd notifies and answers before its batched commit. Until the
        // batch is published, a read or a new watch on this member that anyone could start
        // after hearing of a change waits for it (`Member::await_published`).
        let (early, late): (Vec<_>, Vec<_>) = results
            .into_iter()
            .partition(|(_, result)| result.as_ref().is_ok_and(|r| r.complete_at_apply()));
        if !early.is_empty() || !events.is_empty() {
            self.waits.expose_before_publish(index);
        }
        let revision = batch.revision();
        for sink in &self.event_sinks {
            sink.committed(revision, &events);
        }
        for (id, result) in early {
            self.waits.trigger(id, result);
        }
        let snapshot_due = index - *last_snapshot >= self.snapshot_count;
        let started = std::time::Instant::now();
        batch
            .commit(snapshot_due)
            .map_err(|e| format!("backend commit: {e}"))?;
        self.metrics
            .backend_commit
            .observe(started.elapsed().as_secs_f64());
        for sink in &self.event_sinks {
            sink.published();
        }
        for (id, result) in late {
            self.waits.trigger(id, result);
        }
        self.applied.send_replace(index);
        if snapshot_due {
            // Never block on the node loop (it may be blocked handing us entries); a snapshot
            // skipped under a full queue is taken at the next one.
            match self.node.try_send(NodeMsg::Snapshot { index, term }) {
                Ok(()) => *last_snapshot = index,
                Err(std::sync::mpsc::TrySendError::Full(_)) => {}
                Err(std::sync::mpsc::TrySendError::Disconnected(_)) => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Queues `result` for request `id`, unless it is a backend failure: then the member must
    /// stop (as etcd does), for answering it would move the consistent index past an entry
    /// every other member applied. The batch is never committed, so nothing of it is kept.
    fn answer(
        &self,
        results: &mut Vec<(u64, ApplyResult)>,
        id: u64,
        result: ApplyResult,
        entry: &Entry,
    ) -> Result<(), String> {
        if let Err(ServerError::Mvcc(MvccError::Storage(e))) = &result {
            return Err(format!(
                "applying entry {} to {}: {e}",
                entry.index,
                self.store.backend().path().display()
            ));
        }
        results.push((id, result));
        Ok(())
    }

    /// Records a committed membership change (raft itself applied it in the node loop).
    fn apply_member_change(
        &self,
        batch: &mut WriteBatch<'_>,
        entry: &Entry,
        results: &mut Vec<(u64, ApplyResult)>,
    ) -> Result<(), String> {
        use protobuf::Message as _;
        let Ok(cc) = raft::prelude::ConfChangeV2::parse_from_bytes(&entry.data) else {
            tracing::error!(
                index = entry.index,
                "skipping undecodable conf change entry"
            );
            return Ok(());
        };
        let Ok(change) = MemberChange::decode(cc.context.as_ref()) else {
            tracing::error!(
                index = entry.index,
                "skipping conf change without a member record"
            );
            return Ok(());
        };
        let member = change.member.unwrap_or_default();
        let kind = member_change::Kind::try_from(change.kind);
        let stored = match kind {
            Ok(member_change::Kind::Add) | Ok(member_change::Kind::AddLearner) => {
                self.membership.apply_add(batch, &member).map(|()| true)
            }
            Ok(member_change::Kind::Remove) => self.membership.apply_remove(batch, member.id),
            Ok(member_change::Kind::Promote) => self.membership.apply_promote(batch, member.id),
            Err(_) => Ok(false),
        };
        if let Ok(true) = stored {
            match kind {
                Ok(member_change::Kind::Remove) => self.v2.member_removed(member.id),
                _ => self.mirror_raft_attributes(member.id),
            }
        }
        let result = stored
            .map(|_| ApplyResponse::MemberChanged)
            .map_err(|e| ServerError::Mvcc(MvccError::Storage(e)));
        if member.id == self.local_id && change.kind == member_change::Kind::Remove as i32 {
            tracing::warn!("the member has been permanently removed from the cluster");
            let _ = self.removed.send(true);
        }
        self.answer(results, change.request_id, result, entry)
    }

    fn apply_entry(
        &self,
        batch: &mut WriteBatch<'_>,
        entry: &Entry,
        results: &mut Vec<(u64, ApplyResult)>,
    ) -> Result<(), String> {
        let request = match InternalRequest::decode(entry.data.as_ref()) {
            Ok(r) => r,
            Err(e) => {
                // Every member decodes the same bytes the same way, so skipping is consistent.
                tracing::error!(index = entry.index, error = %e, "skipping undecodable raft entry");
                return Ok(());
            }
        };
        let op = op_name(request.op.as_ref());
        let answered = results.len();
        let started = std::time::Instant::now();
        self.apply_request(batch, request, entry, results)?;
        let took = started.elapsed();
        // As etcd's: a compacted revision is not a failed apply.
        let success = results[answered..]
            .iter()
            .all(|(_, r)| matches!(r, Ok(_) | Err(ServerError::Mvcc(MvccError::Compacted))));
        self.metrics
            .apply_duration
            .with_label_values(&["v3", op, if success { "true" } else { "false" }])
            .observe(took.as_secs_f64());
        if took > SLOW_REQUEST {
            self.metrics.slow_applies.inc();
            tracing::warn!(took = ?took, index = entry.index, op, "apply request took too long");
        }
        Ok(())
    }

    fn apply_request(
        &self,
        batch: &mut WriteBatch<'_>,
        request: InternalRequest,
        entry: &Entry,
        results: &mut Vec<(u64, ApplyResult)>,
    ) -> Result<(), String> {
        if let Some(op) = &request.op {
            // Under a NOSPACE alarm, whatever would grow the backend is refused on every member
            // alike (etcd's capped applier), before anything else is looked at.
            if self.alarms.no_space() && write_cost(op) > 0 {
                results.push((request.id, Err(ServerError::NoSpace)));
                return Ok(());
            }
            if request.from_client {
                let who = AuthInfo {
                    username: request.username.clone(),
                    revision: request.auth_revision,
                };
                let lease_keys = |id: i64| self.lessor.keys(id);
                if let Err(e) = self.auth.check_request(Some(&who), op, &lease_keys) {
                    results.push((request.id, Err(e.into())));
                    return Ok(());
                }
            }
            if let Some(applied) = self.auth.apply(batch, op, entry.index) {
                let result = match applied {
                    Ok(applied) => Ok(ApplyResponse::Auth(applied)),
                    Err(AuthApplyError::Refused(e)) => Err(e.into()),
                    Err(AuthApplyError::Storage(e)) => {
                        Err(ServerError::Mvcc(MvccError::Storage(e)))
                    }
                };
                return self.answer(results, request.id, result, entry);
            }
        }
        // etcd's quota applier: every member checks its own backend against its own quota as
        // it applies a write; one past it is still applied (all members must agree on the
        // store) but answered NOSPACE, and this member raises the alarm.
        // (v2 writes are not checked at apply, as in etcd: their answers are the v2 store's.)
        let over_quota = request.op.as_ref().is_some_and(|op| {
            let cost = if matches!(op, Op::V2(_)) {
                0
            } else {
                write_cost(op)
            };
            exceeds_quota(self.quota, self.store.backend().file_size(), cost)
        });
        let lease_exists = |id: i64| self.lessor.exists(id);
        let result = match request.op {
            // Counted on every member, as etcd's mvcc layer counts what each applies.
            Some(Op::Put(put)) => batch
                .put(&put, &lease_exists)
                .inspect(|_| {
                    self.metrics.puts.inc();
                    let size = put.key.len() + put.value.len();
                    self.metrics.total_put_size.add(size as i64);
                })
                .map(ApplyResponse::Put)
                .map_err(ServerError::from),
            Some(Op::DeleteRange(del)) => batch
                .delete_range(&del)
                .inspect(|_| self.metrics.deletes.inc())
                .map(ApplyResponse::DeleteRange)
                .map_err(ServerError::from),
            Some(Op::Txn(txn)) => batch
                .txn(&txn, &lease_exists)
                .inspect(|_| self.metrics.txns.inc())
                .map(ApplyResponse::Txn)
                .map_err(ServerError::from),
            Some(Op::Compaction(c)) => {
                let started = std::time::Instant::now();
                let compacted = batch.compact(c.revision);
                self.metrics
                    .index_compaction_pause
                    .observe(started.elapsed().as_secs_f64() * 1000.0);
                compacted
                    .map(|()| {
                        // etcd's applier reads the store once to answer a compaction (its header
                        // revision), which its range counter sees.
                        self.metrics.ranges.inc();
                        self.compaction_requested.send_replace(c.revision);
                        ApplyResponse::Compaction(CompactionResponse::default())
                    })
                    .map_err(ServerError::from)
            }
            Some(Op::MemberAttributes(m)) => self
                .membership
                .apply_attributes(batch, &m)
                .map(|known| {
                    if known {
                        self.mirror_attributes(m.id);
                    }
                    ApplyResponse::MemberChanged
                })
                .map_err(|e| ServerError::Mvcc(MvccError::Storage(e))),
            Some(Op::V2(req)) => Ok(ApplyResponse::V2(self.v2.apply(&req))),
            Some(Op::Alarm(req)) => self
                .alarms
                .apply(batch, &req)
                .map(ApplyResponse::Alarm)
                .map_err(|e| ServerError::Mvcc(MvccError::Storage(e))),
            Some(Op::MemberUpdate(m)) => match self.membership.apply_peer_urls(batch, &m) {
                Ok(true) => {
                    self.mirror_raft_attributes(m.id);
                    let _ = self.node.try_send(NodeMsg::PeerUrls {
                        id: m.id,
                        urls: m.peer_ur_ls.clone(),
                    });
                    Ok(ApplyResponse::MemberChanged)
                }
                Ok(false) => Err(ServerError::MemberNotFound),
                Err(e) => Err(ServerError::Mvcc(MvccError::Storage(e))),
            },
            Some(Op::LeaseGrant(grant)) => self
                .lessor
                .apply_grant(batch, &grant)
                .inspect(|granted| {
                    self.metrics.lease_granted.inc();
                    self.metrics.lease_ttl.observe(granted.ttl as f64);
                })
                .map(ApplyResponse::LeaseGrant),
            Some(Op::LeaseRevoke(revoke)) => self
                .lessor
                .apply_revoke(batch, revoke.id)
                .inspect(|_| self.metrics.lease_revoked.inc())
                .map(ApplyResponse::LeaseRevoke),
            Some(Op::LeaseCheckpoint(checkpoint)) => self
                .lessor
                .apply_checkpoint(batch, &checkpoint)
                .map(ApplyResponse::LeaseCheckpoint),
            // The Auth service's writes were applied above.
            Some(_) | None => return Ok(()),
        };
        let result = match result {
            Ok(_) if over_quota => {
                if !self.alarms.no_space() {
                    tracing::warn!(
                        quota_bytes = self.quota.unwrap_or_default(),
                        "message exceeded backend quota; raising alarm"
                    );
                    self.over_quota.notify_one();
                }
                Err(ServerError::NoSpace)
            }
            other => other,
        };
        self.answer(results, request.id, result, entry)
    }

    /// Mirrors a member's raft attributes into the v2 store, as etcd 3.4 records them.
    fn mirror_raft_attributes(&self, id: u64) {
        if let Some(m) = self.membership.get(id) {
            self.v2.raft_attributes_changed(&m);
        }
    }

    /// Mirrors a member's published attributes into the v2 store (and, once every member has
    /// published, the cluster version).
    fn mirror_attributes(&self, id: u64) {
        if let Some(m) = self.membership.get(id) {
            let all_published = self.membership.list().iter().all(|m| !m.name.is_empty());
            self.v2.attributes_published(&m, all_published);
        }
    }
}

/// etcd's name of a request's kind in `etcd_server_apply_duration_seconds`.
fn op_name(op: Option<&Op>) -> &'static str {
    match op {
        Some(Op::Put(_)) => "Put",
        Some(Op::DeleteRange(_)) => "DeleteRange",
        Some(Op::Txn(_)) => "Txn",
        Some(Op::Compaction(_)) => "Compaction",
        Some(Op::LeaseGrant(_)) => "LeaseGrant",
        Some(Op::LeaseRevoke(_)) => "LeaseRevoke",
        Some(Op::LeaseCheckpoint(_)) => "LeaseCheckpoint",
        Some(Op::MemberAttributes(_)) => "ClusterMemberAttrSet",
        Some(Op::MemberUpdate(_)) => "MemberUpdate",
        Some(Op::Alarm(_)) => "Alarm",
        Some(Op::V2(_)) => "V2",
        Some(Op::AuthEnable(_)) => "AuthEnable",
        Some(Op::AuthDisable(_)) => "AuthDisable",
        Some(Op::Authenticate(_)) => "Authenticate",
        Some(Op::UserAdd(_)) => "AuthUserAdd",
        Some(Op::UserDelete(_)) => "AuthUserDelete",
        Some(Op::UserChangePassword(_)) => "AuthUserChangePassword",
        Some(Op::UserGrantRole(_)) => "AuthUserGrantRole",
        Some(Op::UserRevokeRole(_)) => "AuthUserRevokeRole",
        Some(Op::RoleAdd(_)) => "AuthRoleAdd",
        Some(Op::RoleDelete(_)) => "AuthRoleDelete",
        Some(Op::RoleGrantPermission(_)) => "AuthRoleGrantPermission",
        Some(Op::RoleRevokePermission(_)) => "AuthRoleRevokePermission",
        None => "unknown",
    }
}
