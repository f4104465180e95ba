//! The simulated clients: each sends one request at a time to a random member that is up (puts,
//! linearizable gets through the read index, and compare-and-swap transactions from the value it
//! last saw), as the member's own request path does: a proposal and its wait by request ID, or a
//! read-index request and a wait for the applier. Every request is recorded for the
//! linearizability check; an answer that never came (the member crashed, the proposal was
//! dropped, the time ran out) is recorded without a return. Clients also hold leases: they grant
//! one, keep it alive, attach keys to it, and revoke or abandon it (`leases.rs` keeps the book).

use std::collections::BTreeMap;
use std::time::Duration;

use oxcd_lincheck::{Op, Operation};
use oxcd_proto::etcdserverpb::compare::{CompareResult, CompareTarget};
use oxcd_proto::etcdserverpb::{
    compare, request_op, response_op, CompactionRequest, Compare, LeaseGrantRequest,
    LeaseRevokeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest,
};
use oxcd_proto::oxcdpb::internal_request;
use rand::rngs::StdRng;
use rand::Rng;
use tokio::sync::oneshot;

use super::leases::{send_keep_alive, InFlight, KeepAlive, LeaseBook, LEASED_KEY_PREFIX};
use super::member::{proposal, Running, SimMember};
use crate::error::ServerError;
use crate::messages::NodeMsg;
use crate::state::waits::{ApplyResponse, ApplyResult};

/// How long a client waits for an answer (etcd's request timeout is 5 s plus two elections).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

/// A write acknowledged to its client: it must be in every member's store at `revision`.
pub(super) struct Acknowledged {
    pub key: String,
    pub value: String,
    pub revision: i64,
}

enum Waiting {
    Write {
        result: oneshot::Receiver<ApplyResult>,
        dropped: oneshot::Receiver<ServerError>,
        request_id: u64,
    },
    ReadIndex(oneshot::Receiver<Result<u64, ServerError>>),
    Applied(u64),
}

/// A lease request in flight.
enum LeaseOp {
    Grant(i64),
    Attach,
    Revoke,
}

enum Request {
    /// A request on the linearizability check's keys.
    Kv(Op),
    Lease(LeaseOp),
}

struct Pending {
    member: usize,
    key: String,
    request: Request,
    invoked: u64,
    deadline: Duration,
    waiting: Waiting,
}

#[derive(Default)]
struct Client {
    pending: Option<Pending>,
    /// The value of each key this client last saw (None: missing), which its swaps expect.
    seen: BTreeMap<String, Option<String>>,
    /// The lease this client keeps alive and attaches keys to.
    lease: Option<i64>,
    keep_alive_paused_until: Duration,
    keep_alive: Option<InFlight>,
}

enum Outcome {
    Answered(Box<ApplyResponse>),
    Read,
    NoAnswer,
    Waiting,
}

pub(super) enum Turn {
    /// Send this to the member's node loop.
    Send(usize, NodeMsg),
    /// No member is up: try again later.
    Later(Duration),
    Idle,
}

pub(super) struct Clients {
    keys: usize,
    clients: Vec<Client>,
    pub history: Vec<Operation>,
    pub acknowledged: Vec<Acknowledged>,
    pub leases: LeaseBook,
    /// The simulator's generation (see `Plan::generation`).
    generation: u32,
    next_id: u64,
    stopped: bool,
}

impl Clients {
    pub fn new(clients: usize, keys: usize, generation: u32) -> Clients {
        Clients {
            keys,
            clients: (0..clients).map(|_| Client::default()).collect(),
            history: Vec::new(),
            acknowledged: Vec::new(),
            leases: LeaseBook::default(),
            generation,
            next_id: 0,
            stopped: false,
        }
    }

    pub fn stop(&mut self) {
        self.stopped = true;
    }

    pub fn stopped(&self) -> bool {
        self.stopped
    }

    pub fn idle(&self) -> bool {
        self.clients.iter().all(|c| c.pending.is_none())
    }

    /// Client `c`'s next request, if it has none in flight.
    pub fn next_request(
        &mut self,
        c: usize,
        now: Duration,
        stamp: u64,
        rng: &mut StdRng,
        members: &[SimMember],
    ) -> Turn {
        if self.stopped || self.clients[c].pending.is_some() {
            return Turn::Idle;
        }
        // Learners serve no client requests (etcd refuses them).
        let up: Vec<usize> = (0..members.len())
            .filter(|m| {
                members[*m].running.as_ref().is_some_and(|r| {
                    let raft = r.node.raft();
                    !raft
                        .prs()
                        .conf()
                        .learners()
                        .contains(&members[*m].identity.id)
                })
            })
            .collect();
        if up.is_empty() {
            return Turn::Later(Duration::from_millis(50));
        }
        let member = up[rng.gen_range(0..up.len())];
        let Some(running) = &members[member].running else {
            return Turn::Later(Duration::from_millis(50));
        };
        let key = format!("k{}", rng.gen_range(0..self.keys));
        self.next_id += 1;
        let request_id = self.next_id;
        let kinds = if self.generation >= 2 { 48 } else { 40 };
        let (key, request, message, waiting) = match rng.gen_range(0..kinds) {
            0..12 => {
                let (tx, rx) = oneshot::channel();
                let waiting = Waiting::ReadIndex(rx);
                (
                    key,
                    Request::Kv(Op::Get(None)),
                    NodeMsg::ReadIndex(tx),
                    waiting,
                )
            }
            39 => {
                // Compact all but the last few revisions the member has (not in the history:
                // it changes no value; the checks read compacted revisions no more).
                let compaction = CompactionRequest {
                    revision: running.store.current_revision() - rng.gen_range(0..30),
                    physical: false,
                };
                let request = internal_request::Op::Compaction(compaction);
                let (message, waiting) = propose(running, request_id, request);
                (key, Request::Kv(Op::Get(None)), message, waiting)
            }
            40.. => {
                let Some(id) = self.clients[c].lease else {
                    // A lease of 1 to 9 s (to 5 s before generation 3; raised to the minimum),
                    // with an ID of this client's.
                    let id = ((c as i64 + 1) << 40) | request_id as i64;
                    let longest = if self.generation >= 3 { 10 } else { 6 };
                    let grant = LeaseGrantRequest {
                        id,
                        ttl: rng.gen_range(1..longest),
                    };
                    let request = internal_request::Op::LeaseGrant(grant);
                    let (message, waiting) = propose(running, request_id, request);
                    let request = Request::Lease(LeaseOp::Grant(id));
                    return self.send(c, member, key, request, stamp, now, (message, waiting));
                };
                match rng.gen_range(0..6) {
                    0..4 => {
                        let key = format!("{LEASED_KEY_PREFIX}c{c}-{request_id}");
                        let put = PutRequest {
                            key: key.clone().into_bytes(),
                            value: b"leased".to_vec(),
                            lease: id,
                            ..Default::default()
                        };
                        let request = internal_request::Op::Put(put);
                        let (message, waiting) = propose(running, request_id, request);
                        (key, Request::Lease(LeaseOp::Attach), message, waiting)
                    }
                    4 => {
                        // Abandoned: nobody keeps it alive, so it must expire.
                        self.clients[c].lease = None;
                        return Turn::Later(Duration::ZERO);
                    }
                    _ => {
                        self.clients[c].lease = None;
                        self.leases.revoke_asked(id, Duration::from_nanos(stamp));
                        let request = internal_request::Op::LeaseRevoke(LeaseRevokeRequest { id });
                        let (message, waiting) = propose(running, request_id, request);
                        (key, Request::Lease(LeaseOp::Revoke), message, waiting)
                    }
                }
            }
            kind => {
                let value = format!("c{c}-{request_id}");
                let (op, request) = if kind < 24 {
                    let put = PutRequest {
                        key: key.clone().into_bytes(),
                        value: value.clone().into_bytes(),
                        ..Default::default()
                    };
                    (Op::Put(value), internal_request::Op::Put(put))
                } else {
                    let expect = self.clients[c].seen.get(&key).cloned().flatten();
                    let txn = swap(&key, expect.as_deref(), &value);
                    let op = Op::Cas { expect, new: value };
                    (op, internal_request::Op::Txn(txn))
                };
                let (message, waiting) = propose(running, request_id, request);
                (key, Request::Kv(op), message, waiting)
            }
        };
        self.send(c, member, key, request, stamp, now, (message, waiting))
    }

    /// Client `c` sends `request` to `member` and waits.
    #[allow(clippy::too_many_arguments)]
    fn send(
        &mut self,
        c: usize,
        member: usize,
        key: String,
        request: Request,
        stamp: u64,
        now: Duration,
        (message, waiting): (NodeMsg, Waiting),
    ) -> Turn {
        self.clients[c].pending = Some(Pending {
            member,
            key,
            request,
            invoked: stamp,
            deadline: now + REQUEST_TIMEOUT,
            waiting,
        });
        Turn::Send(member, message)
    }

    /// Client `c`'s keep-alive stream sends one for its lease, if it holds one and has none in
    /// flight, to a random member that is up (as a client's stream does every third of the
    /// TTL, whatever else the client is doing). Returns the member and what to hand its node
    /// loop.
    pub fn keep_alive(
        &mut self,
        c: usize,
        now: Duration,
        rng: &mut StdRng,
        members: &[SimMember],
        reaches: &dyn Fn(usize, usize) -> bool,
    ) -> Option<(usize, NodeMsg)> {
        let id = self.clients[c].lease.filter(|_| !self.stopped)?;
        let client = &mut self.clients[c];
        if now < client.keep_alive_paused_until || client.keep_alive.is_some() {
            return None;
        }
        if self.generation >= 3 && rng.gen_bool(0.05) {
            // The stream stalls a while (a client paused, a connection re-dialled), so the
            // lease runs down, and a checkpoint records little TTL left.
            client.keep_alive_paused_until = now + Duration::from_millis(rng.gen_range(1000..4000));
            return None;
        }
        let up: Vec<usize> = (0..members.len())
            .filter(|m| members[*m].running.is_some())
            .collect();
        if up.is_empty() {
            return None;
        }
        let member = up[rng.gen_range(0..up.len())];
        let (in_flight, message) = send_keep_alive(members, member, id, now, reaches)?;
        let at = in_flight.member();
        client.keep_alive = Some(in_flight);
        message.map(|message| (at, message))
    }

    /// The keep-alives answered: the book learns the deadlines given; a lease found gone is
    /// dropped. Returns what the renewing members propose (checkpoints cleared before they
    /// answer).
    pub fn poll_keep_alives(
        &mut self,
        now: Duration,
        members: &[SimMember],
    ) -> Vec<(usize, NodeMsg)> {
        let mut proposals = Vec::new();
        for c in 0..self.clients.len() {
            let Some(mut in_flight) = self.clients[c].keep_alive.take() else {
                continue;
            };
            // Recorded even if the client dropped the lease meanwhile: the member renewed it.
            let id = in_flight.lease();
            match in_flight.poll(members, now, &mut self.next_id) {
                KeepAlive::Waiting => self.clients[c].keep_alive = Some(in_flight),
                KeepAlive::Propose(message) => {
                    proposals.push((in_flight.member(), message));
                    self.clients[c].keep_alive = Some(in_flight);
                }
                KeepAlive::Renewed { by, invoked, ttl } => {
                    if std::env::var("OXCD_SIM_DEBUG").is_ok() {
                        eprintln!(
                            "{now:?} m{by} renewed lease {id:x} for {ttl} s, asked at {invoked:?}"
                        );
                    }
                    self.leases.renewed(id, ttl, invoked);
                }
                KeepAlive::Gone if self.clients[c].lease == Some(id) => {
                    self.clients[c].lease = None
                }
                KeepAlive::Gone | KeepAlive::Failed => {}
            }
        }
        proposals
    }

    /// Takes the answers that came; returns the clients that are free again, with how long
    /// each thinks before its next request.
    pub fn poll(
        &mut self,
        stamp: u64,
        now: Duration,
        members: &[SimMember],
        rng: &mut StdRng,
    ) -> Vec<(usize, Duration)> {
        let mut free = Vec::new();
        for c in 0..self.clients.len() {
            let Some(mut pending) = self.clients[c].pending.take() else {
                continue;
            };
            let Some(running) = &members[pending.member].running else {
                self.give_up(c, pending);
                free.push((c, Duration::ZERO));
                continue;
            };
            let applied = *running.applied.borrow();
            let outcome = match &mut pending.waiting {
                Waiting::Write {
                    result, dropped, ..
                } => match result.try_recv() {
                    Ok(Ok(response)) => Outcome::Answered(Box::new(response)),
                    Ok(Err(_)) | Err(oneshot::error::TryRecvError::Closed) => Outcome::NoAnswer,
                    Err(oneshot::error::TryRecvError::Empty) if dropped.try_recv().is_ok() => {
                        Outcome::NoAnswer
                    }
                    Err(oneshot::error::TryRecvError::Empty) => Outcome::Waiting,
                },
                Waiting::ReadIndex(rx) => match rx.try_recv() {
                    Ok(Ok(index)) if applied >= index => Outcome::Read,
                    Ok(Ok(index)) => {
                        pending.waiting = Waiting::Applied(index);
                        Outcome::Waiting
                    }
                    Ok(Err(_)) | Err(oneshot::error::TryRecvError::Closed) => Outcome::NoAnswer,
                    Err(oneshot::error::TryRecvError::Empty) => Outcome::Waiting,
                },
                Waiting::Applied(index) if applied >= *index => Outcome::Read,
                Waiting::Applied(_) => Outcome::Waiting,
            };
            let think = Duration::from_millis(rng.gen_range(0..30));
            match outcome {
                Outcome::Answered(response) => match &pending.request {
                    Request::Kv(op) => self.answered(c, &pending, op, *response, stamp),
                    Request::Lease(op) => {
                        let invoked = Duration::from_nanos(pending.invoked);
                        self.lease_answered(c, op, *response, invoked);
                    }
                },
                Outcome::Read => {
                    let value = read(&running.store, &pending.key);
                    self.clients[c]
                        .seen
                        .insert(pending.key.clone(), value.clone());
                    self.history.push(Operation {
                        client: c,
                        key: pending.key,
                        op: Op::Get(value),
                        invoked: pending.invoked,
                        returned: Some(stamp),
                    });
                }
                Outcome::NoAnswer => self.give_up(c, pending),
                Outcome::Waiting if now >= pending.deadline => {
                    if let Waiting::Write { request_id, .. } = &pending.waiting {
                        running.waits.cancel(*request_id);
                    }
                    self.give_up(c, pending);
                }
                Outcome::Waiting => {
                    self.clients[c].pending = Some(pending);
                    continue;
                }
            }
            free.push((c, think));
        }
        free
    }

    fn answered(
        &mut self,
        c: usize,
        pending: &Pending,
        op: &Op,
        response: ApplyResponse,
        stamp: u64,
    ) {
        let (op, revision) = match (op, response) {
            (Op::Put(value), ApplyResponse::Put(put)) => {
                let revision = put.header.map_or(0, |h| h.revision);
                (Op::Put(value.clone()), revision)
            }
            (Op::Cas { expect, new }, ApplyResponse::Txn(txn)) if txn.succeeded => {
                let revision = txn.header.map_or(0, |h| h.revision);
                let op = Op::Cas {
                    expect: expect.clone(),
                    new: new.clone(),
                };
                (op, revision)
            }
            (Op::Cas { .. }, ApplyResponse::Txn(txn)) => {
                // Failed: the value found instead is what the client read.
                let found = txn.responses.into_iter().find_map(|r| match r.response {
                    Some(response_op::Response::ResponseRange(range)) => Some(
                        range
                            .kvs
                            .first()
                            .map(|kv| String::from_utf8_lossy(&kv.value).into_owned()),
                    ),
                    _ => None,
                });
                let found = found.flatten();
                self.clients[c]
                    .seen
                    .insert(pending.key.clone(), found.clone());
                self.history.push(Operation {
                    client: c,
                    key: pending.key.clone(),
                    op: Op::Get(found),
                    invoked: pending.invoked,
                    returned: Some(stamp),
                });
                return;
            }
            _ => return,
        };
        if let Op::Put(value) | Op::Cas { new: value, .. } = &op {
            self.clients[c]
                .seen
                .insert(pending.key.clone(), Some(value.clone()));
            self.acknowledged.push(Acknowledged {
                key: pending.key.clone(),
                value: value.clone(),
                revision,
            });
        }
        self.history.push(Operation {
            client: c,
            key: pending.key.clone(),
            op,
            invoked: pending.invoked,
            returned: Some(stamp),
        });
    }

    fn lease_answered(
        &mut self,
        c: usize,
        op: &LeaseOp,
        response: ApplyResponse,
        invoked: Duration,
    ) {
        if let (LeaseOp::Grant(id), ApplyResponse::LeaseGrant(grant)) = (op, response) {
            self.leases.granted(*id, grant.ttl, invoked);
            self.clients[c].lease = Some(*id);
        }
    }

    /// The request got no answer: a write may or may not have happened; a read says nothing.
    /// A client whose lease request got none stops keeping the lease alive.
    fn give_up(&mut self, c: usize, pending: Pending) {
        match pending.request {
            Request::Kv(op @ (Op::Put(_) | Op::Cas { .. })) => {
                // What the client saw of the key is now unknown.
                self.clients[c].seen.remove(&pending.key);
                self.history.push(Operation {
                    client: c,
                    key: pending.key,
                    op,
                    invoked: pending.invoked,
                    returned: None,
                });
            }
            Request::Kv(_) => {}
            Request::Lease(_) => self.clients[c].lease = None,
        }
    }

    /// Member `m` crashed: its clients' requests get no answer.
    pub fn member_crashed(&mut self, m: usize) -> Vec<usize> {
        let mut free = Vec::new();
        for c in 0..self.clients.len() {
            if self.clients[c]
                .pending
                .as_ref()
                .is_some_and(|p| p.member == m)
            {
                if let Some(pending) = self.clients[c].pending.take() {
                    self.give_up(c, pending);
                    free.push(c);
                }
            }
        }
        free
    }
}

/// The proposal of `request` as the member's request path makes it, and its wait.
fn propose(
    running: &Running,
    request_id: u64,
    request: internal_request::Op,
) -> (NodeMsg, Waiting) {
    let result = running.waits.register(request_id);
    let (message, dropped) = proposal(request_id, request);
    let waiting = Waiting::Write {
        result,
        dropped,
        request_id,
    };
    (message, waiting)
}

/// A transaction that puts `new` at `key` if its value is `expect` (None: the key is missing),
/// and otherwise reads the key.
fn swap(key: &str, expect: Option<&str>, new: &str) -> TxnRequest {
    let compare = match expect {
        Some(value) => Compare {
            result: CompareResult::Equal as i32,
            target: CompareTarget::Value as i32,
            key: key.as_bytes().to_vec(),
            target_union: Some(compare::TargetUnion::Value(value.as_bytes().to_vec())),
            ..Default::default()
        },
        None => Compare {
            result: CompareResult::Equal as i32,
            target: CompareTarget::Create as i32,
            key: key.as_bytes().to_vec(),
            target_union: Some(compare::TargetUnion::CreateRevision(0)),
            ..Default::default()
        },
    };
    TxnRequest {
        compare: vec![compare],
        success: vec![RequestOp {
            request: Some(request_op::Request::RequestPut(PutRequest {
                key: key.as_bytes().to_vec(),
                value: new.as_bytes().to_vec(),
                ..Default::default()
            })),
        }],
        failure: vec![RequestOp {
            request: Some(request_op::Request::RequestRange(RangeRequest {
                key: key.as_bytes().to_vec(),
                ..Default::default()
            })),
        }],
    }
}

fn read(store: &oxcd_storage::mvcc::MvccStore, key: &str) -> Option<String> {
    let range = RangeRequest {
        key: key.as_bytes().to_vec(),
        ..Default::default()
    };
    store
        .range(&range)
        .ok()?
        .kvs
        .first()
        .map(|kv| String::from_utf8_lossy(&kv.value).into_owned())
}
