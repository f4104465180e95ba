//! What the node loop publishes for everyone to read without asking it, and the response
//! headers stamped from it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use oxcd_proto::etcdserverpb::ResponseHeader;

/// Raft facts the rest of the member reads without asking the loop.
#[derive(Default)]
pub struct RaftStatus {
    pub term: AtomicU64,
    pub leader: AtomicU64,
    pub commit: AtomicU64,
}

/// Stamps response headers with this member's identity and raft term; cheap to clone into the
/// tasks (watch streams) that answer on the member's behalf.
#[derive(Clone)]
pub struct Headers {
    pub cluster_id: u64,
    pub member_id: u64,
    pub raft: Arc<RaftStatus>,
}

impl Headers {
    /// A response header at `revision`.
    pub fn at(&self, revision: i64) -> ResponseHeader {
        ResponseHeader {
            cluster_id: self.cluster_id,
            member_id: self.member_id,
            revision,
            raft_term: self.raft.term.load(Ordering::Relaxed),
        }
    }
}
