//! What applying a request produced, and the RPCs waiting for it by request id.

use std::collections::HashMap;
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
    /// The error for a response of another kind than the request's: a bug, reported as Internal.
    pub fn unexpected(self) -> Status {
        Status::internal(format!("applier returned an unexpected response: {self:?}"))
    }
}

/// RPCs waiting for their proposal to be applied, by request id.
#[derive(Default)]
pub struct Waits(Mutex<HashMap<u64, oneshot::Sender<ApplyResult>>>);

impl Waits {
    pub fn register(&self, id: u64) -> oneshot::Receiver<ApplyResult> {
        let (tx, rx) = oneshot::channel();
        self.0.lock().expect("waits lock poisoned").insert(id, tx);
        rx
    }

    pub fn cancel(&self, id: u64) {
        self.0.lock().expect("waits lock poisoned").remove(&id);
    }

    pub(super) fn trigger(&self, id: u64, result: ApplyResult) {
        if let Some(tx) = self.0.lock().expect("waits lock poisoned").remove(&id) {
            let _ = tx.send(result);
        }
    }
}
