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
    /// The highest log index made known to watchers or writers before its batch was
    /// published to readers.
    exposed: AtomicU64,
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

    /// Raises the mark that serializable reads and new watches wait for: log `index` is about
    /// to become known (to watchers, or to the writers answered) before its batch is published.
    /// Raised first, so that whoever learns of the change from them finds it raised.
    pub(super) fn expose_before_publish(&self, index: u64) {
        self.exposed.fetch_max(index, Ordering::Release);
    }

    /// The log index up to which reads must have been published to see every change made
    /// known so far.
    pub fn exposed(&self) -> u64 {
        self.exposed.load(Ordering::Acquire)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<ApplyResult>>> {
        self.waiting.lock().expect("waits lock poisoned")
    }
}
