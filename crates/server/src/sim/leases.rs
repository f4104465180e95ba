//! Leases in the simulation: the clients' grants, keep-alives, attachments and revocations as
//! a member answers them, the primary's expiry round on every tick (the lessor's own
//! `expiry_round`, which production's `member::lease` loop runs), and the checks: no lease is
//! revoked before the deadline its client last saw, and every lease nobody keeps alive is
//! revoked, with its keys, in time.

use std::collections::BTreeMap;
use std::time::Duration;

use oxcd_proto::etcdserverpb::{
    LeaseCheckpoint, LeaseCheckpointRequest, LeaseRevokeRequest, RangeRequest,
};
use oxcd_proto::oxcdpb::internal_request::Op;

use tokio::sync::oneshot;

use super::member::{proposal, unanswered_proposal, Revocations, Running, SimMember};
use crate::error::ServerError;
use crate::messages::NodeMsg;
use crate::state::lessor::{leading_term, Due, Renewal};
use crate::state::waits::ApplyResult;

/// The prefix of the keys clients attach to leases: kept apart from the linearizability
/// check's keys, which a revocation would delete behind its back.
pub(super) const LEASED_KEY_PREFIX: &str = "lease/";

/// The range of the leased keys: `[key, range_end)`.
pub(super) fn leased_keys() -> (Vec<u8>, Vec<u8>) {
    let key = LEASED_KEY_PREFIX.as_bytes().to_vec();
    let mut end = key.clone();
    if let Some(last) = end.last_mut() {
        *last += 1; // the prefix ends in '/', far from 0xff
    }
    (key, end)
}

/// What the clients were told about a lease.
#[derive(Debug, Default)]
struct Tracked {
    /// The TTL the grant answered.
    ttl: i64,
    /// The latest deadline a client was given: a grant's or keep-alive's time plus the TTL.
    /// The lease must not be revoked before it.
    safe_until: Duration,
    /// When a client asked for the revocation, which may then apply at any time.
    revoke_asked: Option<Duration>,
}

/// The clients' knowledge of every lease, for the checks.
#[derive(Default)]
pub(super) struct LeaseBook {
    leases: BTreeMap<i64, Tracked>,
    pub grants: usize,
    pub renewals: usize,
}

impl LeaseBook {
    /// A grant invoked at `invoked` was answered with `ttl`: the primary set the deadline
    /// when it applied the grant, after the invocation.
    pub fn granted(&mut self, id: i64, ttl: i64, invoked: Duration) {
        self.grants += 1;
        let tracked = self.leases.entry(id).or_default();
        tracked.ttl = ttl;
        tracked.safe_until = tracked.safe_until.max(invoked + secs(ttl));
    }

    pub fn renewed(&mut self, id: i64, ttl: i64, at: Duration) {
        self.renewals += 1;
        let tracked = self.leases.entry(id).or_default();
        tracked.ttl = tracked.ttl.max(ttl);
        tracked.safe_until = tracked.safe_until.max(at + secs(ttl));
    }

    pub fn revoke_asked(&mut self, id: i64, at: Duration) {
        let tracked = self.leases.entry(id).or_default();
        tracked.revoke_asked.get_or_insert(at);
    }
}

fn secs(ttl: i64) -> Duration {
    Duration::from_secs(ttl.max(0) as u64)
}

/// A keep-alive in flight: the member answering it confirms its leadership with a read index
/// first, as `Member::renew` does.
pub(super) struct InFlight {
    /// The member that renews (the one asked, or the leader it forwarded to).
    at: usize,
    id: i64,
    invoked: Duration,
    deadline: Duration,
    confirm: Confirm,
}

enum Confirm {
    ReadIndex(oneshot::Receiver<Result<u64, ServerError>>),
    Applied(u64),
    /// Renewed for `ttl`; the checkpoint is being cleared through raft before the answer.
    Clearing {
        ttl: i64,
        result: oneshot::Receiver<ApplyResult>,
        dropped: oneshot::Receiver<ServerError>,
    },
}

/// What a keep-alive got.
pub(super) enum KeepAlive {
    Waiting,
    /// Hand this proposal to the renewing member's node loop, and wait.
    Propose(NodeMsg),
    /// Renewed by member `by` for `ttl` seconds, from the time it was sent.
    Renewed {
        by: usize,
        invoked: Duration,
        ttl: i64,
    },
    /// The lease is gone (or expired, its revocation on its way).
    Gone,
    /// No answer: no leader could be reached, or it lost its leadership.
    Failed,
}

/// A keep-alive for lease `id` sent to member `m` at `now`, routed as `Member::renew` routes
/// it: a leader confirms its leadership itself; another member forwards it to the leader it
/// knows, if it can reach it, which does the same (and a member that is not the leader any more
/// refuses it). Returns the keep-alive and what to hand to the renewing member's node loop, or
/// `None` when it fails at once. `reaches(a, b)`: `a` can send to `b`.
pub(super) fn send_keep_alive(
    members: &[SimMember],
    m: usize,
    id: i64,
    now: Duration,
    reaches: &dyn Fn(usize, usize) -> bool,
) -> Option<(InFlight, Option<NodeMsg>)> {
    let leads = |x: usize| {
        members[x]
            .running
            .as_ref()
            .is_some_and(|r| r.node.raft().state == raft::StateRole::Leader)
    };
    let at = if leads(m) {
        m
    } else {
        let leader_id = members[m].running.as_ref()?.node.raft().leader_id;
        let l = members.iter().position(|x| x.identity.id == leader_id)?;
        if l == m || !reaches(m, l) || !reaches(l, m) || !leads(l) {
            return None;
        }
        l
    };
    let (confirm, message) = if planted::RENEW_WITHOUT_CONFIRMING.with(std::cell::Cell::get) {
        // The keep-alive is answered at once, as before the simulation found it.
        (Confirm::Applied(0), None)
    } else {
        let (tx, rx) = oneshot::channel();
        (Confirm::ReadIndex(rx), Some(NodeMsg::ReadIndex(tx)))
    };
    let in_flight = InFlight {
        at,
        id,
        invoked: now,
        deadline: now + KEEP_ALIVE_TIMEOUT,
        confirm,
    };
    Some((in_flight, message))
}

/// How long a keep-alive waits for its answer.
const KEEP_ALIVE_TIMEOUT: Duration = Duration::from_secs(3);

impl InFlight {
    pub fn member(&self) -> usize {
        self.at
    }

    pub fn lease(&self) -> i64 {
        self.id
    }

    /// The keep-alive's answer, once the renewing member confirmed its leadership and applied
    /// what was committed then: its lessor (its role synced first) renews the lease, and a
    /// checkpoint of it is cleared through raft (with a request ID from `next_id`) before the
    /// client hears of it.
    pub fn poll(&mut self, members: &[SimMember], now: Duration, next_id: &mut u64) -> KeepAlive {
        let Some(running) = &members[self.at].running else {
            return KeepAlive::Failed;
        };
        let applied = *running.applied.borrow();
        if let Confirm::Clearing {
            ttl,
            result,
            dropped,
        } = &mut self.confirm
        {
            return match result.try_recv() {
                Ok(Ok(_)) => KeepAlive::Renewed {
                    by: self.at,
                    invoked: self.invoked,
                    ttl: *ttl,
                },
                Ok(Err(_)) | Err(oneshot::error::TryRecvError::Closed) => KeepAlive::Failed,
                Err(oneshot::error::TryRecvError::Empty) if dropped.try_recv().is_ok() => {
                    KeepAlive::Failed
                }
                Err(oneshot::error::TryRecvError::Empty) if now >= self.deadline => {
                    KeepAlive::Failed
                }
                Err(oneshot::error::TryRecvError::Empty) => KeepAlive::Waiting,
            };
        }
        let confirmed = match &mut self.confirm {
            Confirm::ReadIndex(rx) => match rx.try_recv() {
                Ok(Ok(index)) if applied >= index => true,
                Ok(Ok(index)) => {
                    self.confirm = Confirm::Applied(index);
                    false
                }
                Ok(Err(_)) | Err(oneshot::error::TryRecvError::Closed) => return KeepAlive::Failed,
                Err(oneshot::error::TryRecvError::Empty) => false,
            },
            Confirm::Applied(index) => applied >= *index,
            Confirm::Clearing { .. } => false,
        };
        if !confirmed {
            return match now >= self.deadline {
                true => KeepAlive::Failed,
                false => KeepAlive::Waiting,
            };
        }
        let extend = members[self.at].identity.election_timeout();
        running.lessor.sync_role(leading_term_of(running), extend);
        match running.lessor.renew(self.id, running.lessor.now()) {
            Renewal::Renewed {
                ttl,
                clear_checkpoint: false,
            } => KeepAlive::Renewed {
                by: self.at,
                invoked: self.invoked,
                ttl,
            },
            Renewal::Renewed {
                ttl,
                clear_checkpoint: true,
            } => {
                let clear = Op::LeaseCheckpoint(LeaseCheckpointRequest {
                    checkpoints: vec![LeaseCheckpoint {
                        id: self.id,
                        remaining_ttl: 0,
                    }],
                });
                *next_id += 1;
                let result = running.waits.register(*next_id);
                let (message, dropped) = proposal(*next_id, clear);
                self.confirm = Confirm::Clearing {
                    ttl,
                    result,
                    dropped,
                };
                KeepAlive::Propose(message)
            }
            Renewal::NotFound | Renewal::Expired => KeepAlive::Gone,
            Renewal::NotPrimary => KeepAlive::Failed,
        }
    }
}

/// The term member `running` leads in, for its lessor's role (as `Member` computes it).
fn leading_term_of(running: &Running) -> Option<u64> {
    let raft = running.node.raft();
    leading_term(
        raft.state == raft::StateRole::Leader,
        raft.term,
        running.store.term(),
    )
}

/// One round of member `running`'s lease duties (production runs it every `EXPIRY_TICK`; the
/// simulator on every tick): the proposals it makes, with request IDs from `next_id`.
pub(super) fn expiry_round(running: &Running, extend: Duration, next_id: &mut u64) -> Vec<NodeMsg> {
    let term = leading_term_of(running);
    let Due {
        checkpoints,
        expired,
    } = running.lessor.expiry_round(term, extend);
    let mut ops = Vec::new();
    if std::env::var("OXCD_SIM_DEBUG").is_ok() && (!checkpoints.is_empty() || !expired.is_empty()) {
        let checkpoints: Vec<_> = checkpoints
            .iter()
            .map(|c| format!("{:x}:{}s", c.id, c.remaining_ttl))
            .collect();
        let id = running.identity_id();
        eprintln!("  {id:x} checkpoints {checkpoints:?}, revokes {expired:x?}");
    }
    if !checkpoints.is_empty() {
        ops.push(Op::LeaseCheckpoint(LeaseCheckpointRequest { checkpoints }));
    }
    ops.extend(
        expired
            .into_iter()
            .map(|id| Op::LeaseRevoke(LeaseRevokeRequest { id })),
    );
    ops.into_iter()
        .map(|op| {
            *next_id += 1;
            unanswered_proposal(*next_id, op)
        })
        .collect()
}

/// Whether any of the members `in_cluster` still holds a lease.
pub(super) fn any_left(members: &[SimMember], in_cluster: &[usize]) -> bool {
    in_cluster
        .iter()
        .filter_map(|m| members[*m].running.as_ref())
        .any(|r| !r.lessor.leases().is_empty())
}

/// The checks, once every lease is gone. `leader_since`: when the last leader took over, after
/// the faults stopped; `slack`: how long after its deadline (or that takeover, whichever is
/// later) plus a TTL a lease may still be revoked (the promotion's extension, the proposal).
pub(super) fn check(
    book: &LeaseBook,
    revocations: &Revocations,
    members: &[SimMember],
    in_cluster: &[usize],
    leader_since: Duration,
    slack: Duration,
) -> Result<(), String> {
    let revoked = revocations.all();
    for (id, tracked) in &book.leases {
        let Some(&at) = revoked.get(id) else {
            continue;
        };
        let asked = tracked.revoke_asked.is_some_and(|asked| asked <= at);
        if !asked && at < tracked.safe_until {
            return Err(format!(
                "lease {id:x} (TTL {} s) was revoked at {at:?}, before {:?}, the deadline its \
                 client was last given",
                tracked.ttl, tracked.safe_until
            ));
        }
        let due = tracked.safe_until.max(leader_since) + secs(tracked.ttl) + slack;
        if !asked && at > due {
            return Err(format!(
                "lease {id:x} (TTL {} s, kept alive until {:?}) was revoked only at {at:?}, \
                 after {due:?}",
                tracked.ttl, tracked.safe_until
            ));
        }
    }
    for &i in in_cluster {
        let Some(running) = &members[i].running else {
            continue;
        };
        let left = running.lessor.leases();
        if !left.is_empty() {
            return Err(format!("member {i} still holds leases {left:x?}"));
        }
        let (key, range_end) = leased_keys();
        let leased = RangeRequest {
            key,
            range_end,
            count_only: true,
            ..Default::default()
        };
        let count = running
            .store
            .range(&leased)
            .map_err(|e| format!("member {i}: {e}"))?
            .count;
        if count > 0 {
            return Err(format!(
                "member {i} still holds {count} keys attached to revoked leases"
            ));
        }
    }
    Ok(())
}

/// Bugs the simulator's own test plants in its model of the member, to show it finds them.
pub mod planted {
    thread_local! {
        /// A leader renews a lease without confirming its leadership first, as before the
        /// simulation found that a leader cut off from its followers still renewed.
        pub static RENEW_WITHOUT_CONFIRMING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
}
