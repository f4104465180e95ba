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

use super::member::{unanswered_proposal, Revocations, Running, SimMember};
use crate::messages::NodeMsg;
use crate::state::lessor::{leading_term, Due, Renewal};

/// The prefix of the keys clients attach to leases: kept apart from the linearizability
/// check's keys, which a revocation would delete behind its back.
pub(super) const LEASED_KEY_PREFIX: &str = "lease/";

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
    pub attached: usize,
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

/// What a keep-alive got.
pub(super) enum KeepAlive {
    /// Renewed by member `by` for `ttl` seconds; `clear`: the checkpoint clearing it proposes.
    Renewed {
        by: usize,
        ttl: i64,
        clear: Option<Op>,
    },
    /// The lease is gone (or expired, its revocation on its way).
    Gone,
    /// No answer: no primary could be reached.
    Failed,
}

/// A keep-alive sent to member `m`, answered as `Member::renew` answers it: by its lessor when
/// it is primary, else forwarded to the leader it knows, which answers only as primary.
/// `answers(x)`: member `x` is up and not paused; `reaches(a, b)`: `a` can send to `b`.
pub(super) fn keep_alive(
    members: &[SimMember],
    m: usize,
    id: i64,
    answers: &dyn Fn(usize) -> bool,
    reaches: &dyn Fn(usize, usize) -> bool,
) -> KeepAlive {
    let renew_at = |x: usize| -> Option<Renewal> {
        let running = members[x].running.as_ref().filter(|_| answers(x))?;
        Some(running.lessor.renew(id, running.lessor.now()))
    };
    let renewed = |by: usize, renewal: Renewal| match renewal {
        Renewal::Renewed {
            ttl,
            clear_checkpoint,
        } => KeepAlive::Renewed {
            by,
            ttl,
            clear: clear_checkpoint.then(|| {
                Op::LeaseCheckpoint(LeaseCheckpointRequest {
                    checkpoints: vec![LeaseCheckpoint {
                        id,
                        remaining_ttl: 0,
                    }],
                })
            }),
        },
        Renewal::NotFound | Renewal::Expired => KeepAlive::Gone,
        Renewal::NotPrimary => KeepAlive::Failed,
    };
    match renew_at(m) {
        None => KeepAlive::Failed,
        Some(Renewal::NotPrimary) => {
            let Some(leader_id) = members[m].running.as_ref().map(|r| r.node.raft().leader_id)
            else {
                return KeepAlive::Failed;
            };
            let leader = members.iter().position(|x| x.identity.id == leader_id);
            match leader {
                Some(l) if l != m && reaches(m, l) && reaches(l, m) => {
                    renew_at(l).map_or(KeepAlive::Failed, |r| renewed(l, r))
                }
                _ => KeepAlive::Failed,
            }
        }
        Some(renewal) => renewed(m, renewal),
    }
}

/// One round of member `running`'s lease duties (production runs it every `EXPIRY_TICK`; the
/// simulator on every tick): the proposals it makes, with request IDs from `next_id`.
pub(super) fn expiry_round(running: &Running, extend: Duration, next_id: &mut u64) -> Vec<NodeMsg> {
    let raft = running.node.raft();
    let leads = raft.state == raft::StateRole::Leader;
    let term = leading_term(leads, raft.term, running.store.term());
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
        eprintln!(
            "  {:x} checkpoints {checkpoints:?}, revokes {expired:x?}",
            raft.id
        );
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
        let mut end = LEASED_KEY_PREFIX.as_bytes().to_vec();
        if let Some(last) = end.last_mut() {
            *last += 1; // the prefix ends in '/', far from 0xff
        }
        let leased = RangeRequest {
            key: LEASED_KEY_PREFIX.as_bytes().to_vec(),
            range_end: end,
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
