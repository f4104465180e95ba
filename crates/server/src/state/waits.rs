//! What applying a request produced, and the RPCs waiting for it by request id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use oxcd_proto::etcdserverpb::{
    AlarmMember, CompactionResponse, DeleteRangeResponse, LeaseCheckpointResponse,
    LeaseGrantResponse, LeaseRevokeResponse, PutResponse, TxnResponse,
};
use tokio::sync::oneshot;
use tonic::Status;

use super::auth::AuthApplied;
use crate::error::ServerError;

/// What applying one request produced.
#[derive(Debug)]
pub enum ApplyResponse {
    Put(PutResponse),
    DeleteRange(DeleteRangeResponse),
    Txn(TxnResponse),
    Compaction(CompactionResponse),
    LeaseGrant(LeaseGrantResponse),
    LeaseRevoke(LeaseRevokeResponse),
    LeaseCheckpoint(LeaseCheckpointResponse),
    MemberChanged,
    Alarm(Vec<AlarmMember>),
    Auth(AuthApplied),
    /// A v2 store write: its event (none for an expiry round) or the store's error.
    V2(Result<Option<oxcd_v2store::Event>, oxcd_v2store::V2Error>),
}

pub type ApplyResult = Result<ApplyResponse, ServerError>;

impl ApplyResponse {
    /// Whether the response is whole once the request is applied: a KV write's carries the
    /// revision it produced, where the others' handlers read the store's current revision (or
    /// other published state) after they are answered.
    pub(super) fn complete_at_apply(&self) -> bool {
        matches!(self, Self::Put(_) | Self::DeleteRange(_) | Self::Txn(_))
    }

    /// The error for a response of another kind than the request's: a bug, reported as Internal.
    pub fn unexpected(self) -> Status {
        Status::internal(format!("applier returned an unexpected response: {self:?}"))
    }
}

/// RPCs waiting for their proposal to be applied, by request id.
#[derive(Default)]
pub struct Waits {
    waiting: Mutex<HashMap<u64, oneshot::Sender<ApplyResult>>>,
    /// The highest log index some of whose writers were answered before their batch was
    /// published to readers.
    answered_early: AtomicU64,
}

impl Waits {
    pub fn register(&self, id: u64) -> oneshot::Receiver<ApplyResult> {
        let (tx, rx) = oneshot::channel();
        self.lock().insert(id, tx);
        rx
    }

    pub fn cancel(&self, id: u64) {
        self.lock().remove(&id);
    }

    pub(super) fn trigger(&self, id: u64, result: ApplyResult) {
        if let Some(tx) = self.lock().remove(&id) {
            let _ = tx.send(result);
        }
    }

    /// Answers writes of a batch up to log `index` that is not yet published: the mark is
    /// raised first, so a reader told of one of them by its writer finds it raised.
    pub(super) fn trigger_before_publish(
        &self,
        index: u64,
        results: impl IntoIterator<Item = (u64, ApplyResult)>,
    ) {
        self.answered_early.fetch_max(index, Ordering::Release);
        for (id, result) in results {
            self.trigger(id, result);
        }
    }

    /// The log index up to which reads must have been published to see every answered write.
    pub fn answered_early(&self) -> u64 {
        self.answered_early.load(Ordering::Acquire)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<ApplyResult>>> {
        self.waiting.lock().expect("waits lock poisoned")
    }
}
