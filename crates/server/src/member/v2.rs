//! The v2 keys API's side of a member: writes through raft, reads (from the local store, or
//! after the read barrier for `quorum=true`), and the leader's proposals that expire TTL keys.

use std::sync::atomic::Ordering;
use std::sync::Weak;
use std::time::Duration;

use oxcd_proto::oxcdpb::internal_request::Op;
use oxcd_proto::oxcdpb::V2Request;
use oxcd_v2store::error::RAFT_INTERNAL;
use oxcd_v2store::{Event, V2Error};

use super::Member;
use crate::error::ServerError;
use crate::state::quota::write_cost;
use crate::state::v2::now_unix_nanos;
use crate::state::waits::ApplyResponse;

/// How often the leader looks for TTL keys to expire (etcd 3.4's SYNC ticker).
const EXPIRY_TICK: Duration = Duration::from_millis(500);

impl Member {
    /// Replicates a v2 write and answers with its event or the store's error; a failure to
    /// replicate is etcd's "Raft Internal Error" naming the cause.
    pub async fn v2_write(&self, req: V2Request) -> Result<Event, V2Error> {
        let op = Op::V2(req);
        self.check_quota(write_cost(&op))
            .await
            .map_err(raft_internal)?;
        match self.propose(op).await.map_err(raft_internal)? {
            ApplyResponse::V2(Ok(Some(event))) => Ok(event),
            ApplyResponse::V2(Err(e)) => Err(e),
            other => Err(V2Error::request(
                RAFT_INTERNAL,
                format!("unexpected apply response {other:?}"),
            )),
        }
    }

    /// A v2 read; `quorum` reads wait for everything committed before them to be applied here.
    pub async fn v2_get(
        &self,
        path: &str,
        recursive: bool,
        sorted: bool,
        quorum: bool,
    ) -> Result<Event, V2Error> {
        if quorum {
            self.linearizable_barrier().await.map_err(raft_internal)?;
        }
        self.v2.get(path, recursive, sorted)
    }

    /// The raft index and term the v2 API reports in `X-Raft-Index` and `X-Raft-Term`.
    pub fn v2_raft_position(&self) -> (u64, u64) {
        (
            self.raft.commit.load(Ordering::Relaxed),
            self.raft.term.load(Ordering::Relaxed),
        )
    }
}

fn raft_internal(e: ServerError) -> V2Error {
    V2Error::request(RAFT_INTERNAL, e.to_string())
}

/// The leader's expiry of v2 TTL keys: once the earliest expiration has passed, it proposes a
/// SYNC with its clock's time, and every member expires the same keys at that cutoff. Unlike
/// etcd 3.4, nothing is proposed while no key is due.
pub async fn run_expiry(member: Weak<Member>) {
    loop {
        tokio::time::sleep(EXPIRY_TICK).await;
        let Some(member) = member.upgrade() else {
            return;
        };
        if member.leader() != member.id {
            continue;
        }
        let now = now_unix_nanos();
        if member.v2.next_expiration().is_none_or(|at| at > now) {
            continue;
        }
        let sync = V2Request {
            method: "SYNC".into(),
            time: now,
            ..Default::default()
        };
        if let Err(e) = member.propose(Op::V2(sync)).await {
            tracing::warn!(error = %e, "proposing the expiry of v2 keys failed");
        }
    }
}
