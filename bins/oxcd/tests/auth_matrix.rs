//! etcd's RBAC as a generated matrix: random roles with random permission ranges, users holding
//! random subsets of them (plus root, a second holder of the root role, a user with no roles and
//! a client with no token), each sending random requests of every kind (Range, Put, DeleteRange,
//! Txn with compares and nested txns, LeaseRevoke, Watch, Compact). A model of etcd's rules
//! predicts each answer; a denied write must leave the store and its revision untouched, a denied
//! watch must never deliver anything.
//!
//! The same matrix runs against the real etcd 3.4 (/usr/bin/etcd), which keeps the model honest,
//! and against oxcd. The model knows where etcd 3.4 and etcd's main branch (the rules oxcd
//! follows) part: 3.4 checks neither the ops of a nested txn nor the lease and prev_kv of a put
//! inside a txn, lets anyone compact, and lets whoever may read key k watch everything from k on.
//!
//! The generator is seeded: `AUTH_MATRIX_SEED=0x... cargo test -p oxcd --test auth_matrix`
//! replays a run; every failure message names its seed.

mod common;

use std::collections::BTreeMap;
use std::fmt;
use std::process::Command;
use std::time::{Duration, Instant};

use etcd_client::{
    Client, Compare, CompareOp, ConnectOptions, DeleteOptions, GetOptions, GetResponse, Permission,
    PermissionType, PutOptions, Txn, TxnOp, WatchOptions, WatchStream,
};
use tonic::Code;

use common::etcd::Etcd;
use common::etcd_bins::{tools_present, ETCD};

const DEFAULT_SEED: u64 = 0x0a17_5eed_2024_0001;
/// Seeds per run without `AUTH_MATRIX_SEED`, each on a fresh server.
const SEEDS: u64 = 6;
const PASSWORD: &str = "pw";

const DENIED: &str = "etcdserver: permission denied";
const USER_EMPTY: &str = "etcdserver: user name is empty";

/// Keys root writes before the matrix and again as watch probes.
const KEYS: [&str; 7] = ["/a", "/a/x", "/a/y", "/ab", "/b", "/b/x", "/c"];
/// Keys nobody writes up front: gaps between and around `KEYS`.
const OTHER_KEYS: [&str; 6] = ["/", "/a/", "/a/z", "/a0", "/bb", "/d"];
/// Range bounds; they include the ends of `PREFIXES` so that ranges and prefixes abut.
const BOUNDS: [&str; 12] = [
    "/", "/a", "/a/", "/a/x", "/a/y", "/a0", "/ab", "/b", "/b/x", "/b0", "/c", "/d",
];
const PREFIXES: [&str; 5] = ["/a", "/a/", "/b", "/b/", "/c"];

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

/// SplitMix64: tiny, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Keys, ranges and intervals
// ---------------------------------------------------------------------------------------------

fn show(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        match b {
            0 => s.push_str("\\0"),
            0x21..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

fn prefix_end(key: &[u8]) -> Vec<u8> {
    let mut end = key.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

/// A key range as the API spells it: `end` empty = the single key, `[0]` = every key from `key`
/// on (with `key` `[0]` too: all keys).
#[derive(Clone, PartialEq, Eq)]
struct KeyRange {
    key: Vec<u8>,
    end: Vec<u8>,
}

impl KeyRange {
    fn single(key: &[u8]) -> KeyRange {
        KeyRange {
            key: key.to_vec(),
            end: Vec::new(),
        }
    }

    fn range(key: &[u8], end: &[u8]) -> KeyRange {
        KeyRange {
            key: key.to_vec(),
            end: end.to_vec(),
        }
    }

    fn interval(&self) -> Interval {
        let end = if self.end.is_empty() {
            let mut next = self.key.clone();
            next.push(0);
            End::Key(next)
        } else if self.end == [0] {
            End::Infinity
        } else {
            End::Key(self.end.clone())
        };
        Interval {
            begin: self.key.clone(),
            end,
        }
    }

    fn contains(&self, key: &[u8]) -> bool {
        let ivl = self.interval();
        ivl.begin.as_slice() <= key && End::Key(key.to_vec()) < ivl.end
    }

    /// The range an interval is, spelled as a request would (a point keeps its two-key form:
    /// a request for `[k, k\0)` takes etcd's range path, not its single-key path).
    fn of_interval(ivl: &Interval) -> KeyRange {
        KeyRange {
            key: ivl.begin.clone(),
            end: match &ivl.end {
                End::Key(k) => k.clone(),
                End::Infinity => vec![0],
            },
        }
    }
}

impl fmt::Display for KeyRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end.is_empty() {
            write!(f, "{}", show(&self.key))
        } else if self.end == [0] && self.key == [0] {
            write!(f, "all keys")
        } else if self.end == [0] {
            write!(f, "[{}, ∞)", show(&self.key))
        } else {
            write!(f, "[{}, {})", show(&self.key), show(&self.end))
        }
    }
}

/// The end of a half-open interval; `Infinity` sorts after every key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Key(Vec<u8>),
    Infinity,
}

#[derive(Clone, Debug)]
struct Interval {
    begin: Vec<u8>,
    end: End,
}

/// Whether the union of `grants` covers all of `want`. This is etcd's
/// `IntervalTree.Contains` (for a single key: `Intersects` with `[k, k\0)`, the same thing, as no
/// key lies strictly between k and k\0): abutting intervals join, any gap denies.
fn covered(grants: &[Interval], want: &Interval) -> bool {
    let mut sorted: Vec<&Interval> = grants.iter().collect();
    sorted.sort_by(|a, b| a.begin.cmp(&b.begin));
    let mut reach = End::Key(want.begin.clone());
    for g in sorted {
        if reach >= want.end {
            break;
        }
        if End::Key(g.begin.clone()) > reach {
            return false;
        }
        if g.end > reach {
            reach = g.end.clone();
        }
    }
    reach >= want.end
}

// ---------------------------------------------------------------------------------------------
// Roles, users and the rules
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PermKind {
    Read,
    Write,
    ReadWrite,
}

#[derive(Clone)]
struct Perm {
    kind: PermKind,
    range: KeyRange,
}

impl fmt::Display for Perm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            PermKind::Read => "READ",
            PermKind::Write => "WRITE",
            PermKind::ReadWrite => "READWRITE",
        };
        write!(f, "{kind} {}", self.range)
    }
}

struct Role {
    name: String,
    perms: Vec<Perm>,
}

struct User {
    name: String,
    roles: Vec<String>,
}

impl User {
    fn is_root(&self) -> bool {
        self.roles.iter().any(|r| r == "root")
    }
}

/// Which etcd's permission checks the server follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rules {
    /// etcd 3.4 (v3.4.23 to v3.4.29 alike): `checkTxnReqsPermission` has no case for a nested
    /// txn and checks a txn's put for write only; `kvServer.Compact` checks nothing; a watch
    /// from a key on is checked as a read of that key.
    Etcd34,
    /// etcd's main branch (server/etcdserver/apply/auth.go, v3rpc/key.go, v3rpc/watch.go), which
    /// oxcd follows: nested txns are checked like top-level ones, a put in a txn like a top-level
    /// put, compaction needs the root role, and a watch needs read on its whole range.
    Main,
}

/// One permission check a request triggers.
#[derive(Clone)]
enum Need {
    Read(KeyRange),
    Write(KeyRange),
    Root,
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Need::Read(r) => write!(f, "read {r}"),
            Need::Write(r) => write!(f, "write {r}"),
            Need::Root => write!(f, "the root role"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Expect {
    Allowed,
    Denied,
    UserEmpty,
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Allowed => write!(f, "success"),
            Expect::Denied => write!(f, "PermissionDenied {DENIED:?}"),
            Expect::UserEmpty => write!(f, "InvalidArgument {USER_EMPTY:?}"),
        }
    }
}

struct Model {
    roles: BTreeMap<String, Vec<Perm>>,
}

impl Model {
    /// The intervals `user` may read (`write` false) or write.
    fn grants(&self, user: &User, write: bool) -> Vec<Interval> {
        user.roles
            .iter()
            .filter_map(|r| self.roles.get(r))
            .flatten()
            .filter(|p| match p.kind {
                PermKind::ReadWrite => true,
                PermKind::Read => !write,
                PermKind::Write => write,
            })
            .map(|p| p.range.interval())
            .collect()
    }

    /// What etcd answers `actor` (None: no token) for a request needing `needs`, and the checks
    /// that fail.
    fn expect(&self, actor: Option<&User>, needs: &[Need]) -> (Expect, Vec<String>) {
        if needs.is_empty() {
            return (Expect::Allowed, Vec::new());
        }
        let Some(user) = actor else {
            return (Expect::UserEmpty, Vec::new());
        };
        if user.is_root() {
            return (Expect::Allowed, Vec::new());
        }
        let (reads, writes) = (self.grants(user, false), self.grants(user, true));
        let unmet: Vec<String> = needs
            .iter()
            .filter(|n| match n {
                Need::Read(r) => !covered(&reads, &r.interval()),
                Need::Write(r) => !covered(&writes, &r.interval()),
                Need::Root => true,
            })
            .map(|n| format!("no {n}"))
            .collect();
        if unmet.is_empty() {
            (Expect::Allowed, unmet)
        } else {
            (Expect::Denied, unmet)
        }
    }

    fn needs(req: &Request, rules: Rules) -> Vec<Need> {
        let mut out = Vec::new();
        match req {
            Request::Kv(op) => Model::op_needs(op, rules, false, &mut out),
            Request::LeaseRevoke(lease) => {
                out.extend(lease.keys.iter().map(|k| Need::Write(KeyRange::single(k))))
            }
            // etcd 3.4's watch server turns a range end of "\0" into an empty one before it
            // checks, so a watch on [k, ∞) passes as a read of k alone (fixed in 7cf71ec9e).
            Request::Watch(range) if rules == Rules::Etcd34 && range.end == [0] => {
                out.push(Need::Read(KeyRange::single(&range.key)))
            }
            Request::Watch(range) => out.push(Need::Read(range.clone())),
            Request::Compact => {
                if rules == Rules::Main {
                    out.push(Need::Root)
                }
            }
        }
        out
    }

    fn op_needs(op: &Op, rules: Rules, in_txn: bool, out: &mut Vec<Need>) {
        let full = !in_txn || rules == Rules::Main;
        match op {
            Op::Get { range, .. } => out.push(Need::Read(range.clone())),
            Op::Put {
                key,
                prev_kv,
                lease,
            } => {
                out.push(Need::Write(KeyRange::single(key)));
                if full {
                    // Attaching a lease needs write on the keys already attached: whoever
                    // could not revoke it must not extend it either.
                    if let Some(lease) = lease {
                        out.extend(lease.keys.iter().map(|k| Need::Write(KeyRange::single(k))));
                    }
                    if *prev_kv {
                        out.push(Need::Read(KeyRange::single(key)));
                    }
                }
            }
            Op::Delete { range, prev_kv } => {
                out.push(Need::Write(range.clone()));
                if *prev_kv {
                    out.push(Need::Read(range.clone()));
                }
            }
            Op::Txn(txn) => {
                if full {
                    out.extend(txn.compares.iter().map(|(r, _)| Need::Read(r.clone())));
                    for op in txn.success.iter().chain(&txn.failure) {
                        Model::op_needs(op, rules, true, out);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// A fresh lease root grants right before the request and attaches `keys` to.
#[derive(Clone)]
struct LeasePlan {
    keys: Vec<Vec<u8>>,
}

impl fmt::Display for LeasePlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<String> = self.keys.iter().map(|k| show(k)).collect();
        write!(f, "lease{{{}}}", keys.join(","))
    }
}

#[derive(Clone, Copy)]
enum Cmp {
    VersionAbove0,
    ValueIsV0,
}

#[derive(Clone)]
enum Op {
    Get {
        range: KeyRange,
        serializable: bool,
    },
    Put {
        key: Vec<u8>,
        prev_kv: bool,
        lease: Option<LeasePlan>,
    },
    Delete {
        range: KeyRange,
        prev_kv: bool,
    },
    Txn(TxnPlan),
}

#[derive(Clone)]
struct TxnPlan {
    compares: Vec<(KeyRange, Cmp)>,
    success: Vec<Op>,
    failure: Vec<Op>,
}

#[derive(Clone)]
enum Request {
    Kv(Op),
    LeaseRevoke(LeasePlan),
    Watch(KeyRange),
    Compact,
}

impl Request {
    fn kind(&self) -> &'static str {
        match self {
            Request::Kv(Op::Get { range, .. }) if range.end.is_empty() => "Range (key)",
            Request::Kv(Op::Get { .. }) => "Range (range)",
            Request::Kv(Op::Put { .. }) => "Put",
            Request::Kv(Op::Delete { .. }) => "DeleteRange",
            Request::Kv(Op::Txn(_)) => "Txn",
            Request::LeaseRevoke(_) => "LeaseRevoke",
            Request::Watch(_) => "Watch",
            Request::Compact => "Compact",
        }
    }

    /// The request's lease, if any (a request has at most one, see `Gen::lease`).
    fn lease(&self) -> Option<&LeasePlan> {
        fn of_op(op: &Op) -> Option<&LeasePlan> {
            match op {
                Op::Put { lease, .. } => lease.as_ref(),
                Op::Txn(t) => t.success.iter().chain(&t.failure).find_map(of_op),
                _ => None,
            }
        }
        match self {
            Request::Kv(op) => of_op(op),
            Request::LeaseRevoke(lease) => Some(lease),
            _ => None,
        }
    }

    fn is_write(&self) -> bool {
        !matches!(self, Request::Kv(Op::Get { .. }) | Request::Watch(_))
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Get {
                range,
                serializable,
            } => {
                write!(f, "get {range}")?;
                if *serializable {
                    write!(f, " serializable")?;
                }
                Ok(())
            }
            Op::Put {
                key,
                prev_kv,
                lease,
            } => {
                write!(f, "put {}", show(key))?;
                if *prev_kv {
                    write!(f, " prev_kv")?;
                }
                if let Some(lease) = lease {
                    write!(f, " {lease}")?;
                }
                Ok(())
            }
            Op::Delete { range, prev_kv } => {
                write!(f, "delete {range}")?;
                if *prev_kv {
                    write!(f, " prev_kv")?;
                }
                Ok(())
            }
            Op::Txn(t) => {
                let compares: Vec<String> = t
                    .compares
                    .iter()
                    .map(|(r, c)| match c {
                        Cmp::VersionAbove0 => format!("version({r}) > 0"),
                        Cmp::ValueIsV0 => format!("value({r}) = v0"),
                    })
                    .collect();
                let ops = |ops: &[Op]| -> String {
                    ops.iter()
                        .map(|o| o.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                write!(
                    f,
                    "txn(if [{}] then [{}] else [{}])",
                    compares.join(", "),
                    ops(&t.success),
                    ops(&t.failure)
                )
            }
        }
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Kv(op) => write!(f, "{op}"),
            Request::LeaseRevoke(lease) => write!(f, "revoke {lease}"),
            Request::Watch(range) => write!(f, "watch {range}"),
            Request::Compact => write!(f, "compact to the current revision"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generating the matrix
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Actor {
    User(usize),
    NoToken,
}

struct Plan {
    roles: Vec<Role>,
    users: Vec<User>,
    /// Keys root attaches to a lease before auth is enabled.
    leased_keys: Vec<Vec<u8>>,
    requests: Vec<(Actor, Vec<Request>)>,
}

impl Plan {
    fn actor_name(&self, actor: Actor) -> String {
        match actor {
            Actor::User(i) => {
                let u = &self.users[i];
                format!("{} (roles: {})", u.name, u.roles.join(","))
            }
            Actor::NoToken => "a client without a token".to_string(),
        }
    }

    fn describe(&self) -> String {
        let mut s = String::from("roles:\n");
        for r in &self.roles {
            let perms: Vec<String> = r.perms.iter().map(|p| p.to_string()).collect();
            s.push_str(&format!("  {}: {}\n", r.name, perms.join("; ")));
        }
        s.push_str("users:\n");
        for u in &self.users {
            s.push_str(&format!("  {}: [{}]\n", u.name, u.roles.join(", ")));
        }
        s
    }
}

fn random_single(rng: &mut Rng) -> Vec<u8> {
    let all: Vec<&str> = KEYS.iter().chain(&OTHER_KEYS).copied().collect();
    rng.pick(&all).as_bytes().to_vec()
}

/// A random range in any of the API's spellings; `wide` for requests, narrower for grants (wide
/// grants would make nearly every request allowed).
fn random_range(rng: &mut Rng, wide: bool) -> KeyRange {
    if rng.chance(if wide { 3 } else { 1 }) {
        return KeyRange::range(&[0], &[0]);
    }
    match rng.below(100) {
        0..=29 => KeyRange::single(&random_single(rng)),
        30..=59 => {
            let i = rng.below(BOUNDS.len() - 1);
            let longest = if wide {
                BOUNDS.len() - 1 - i
            } else {
                3.min(BOUNDS.len() - 1 - i)
            };
            let j = i + 1 + rng.below(longest);
            KeyRange::range(BOUNDS[i].as_bytes(), BOUNDS[j].as_bytes())
        }
        60..=89 => {
            let p = rng.pick(&PREFIXES).as_bytes();
            KeyRange::range(p, &prefix_end(p))
        }
        90..=94 if !wide => KeyRange::single(&random_single(rng)),
        _ => {
            // From the upper half of the bounds mostly: an open end is wide already.
            let i = if wide { 0 } else { BOUNDS.len() / 2 };
            KeyRange::range(BOUNDS[i + rng.below(BOUNDS.len() - i)].as_bytes(), &[0])
        }
    }
}

struct Gen<'a> {
    rng: &'a mut Rng,
    /// Every interval the actor holds, whatever the type: requests aimed at their edges are the
    /// ones that tell a right implementation from an almost right one.
    held: Vec<Interval>,
}

impl Gen<'_> {
    fn near_grant(&mut self) -> Option<Interval> {
        if self.held.is_empty() || self.rng.chance(40) {
            return None;
        }
        Some(self.rng.pick(&self.held).clone())
    }

    fn key(&mut self) -> Vec<u8> {
        let Some(g) = self.near_grant() else {
            return random_single(self.rng);
        };
        match (self.rng.below(3), &g.end) {
            // The first key past a range: its end is exclusive.
            (0, End::Key(end)) => end.clone(),
            // The first key past a single-key grant.
            (1, _) => {
                let mut k = g.begin.clone();
                k.push(0);
                k
            }
            _ => g.begin.clone(),
        }
    }

    fn range(&mut self) -> KeyRange {
        let Some(g) = self.near_grant() else {
            return random_range(self.rng, true);
        };
        match self.rng.below(5) {
            0 => KeyRange::single(&self.key()),
            1 => KeyRange::of_interval(&g),
            2 => KeyRange::range(&g.begin, &[0]),
            _ => {
                // Two holdings together: covered when they abut or overlap, else not.
                let h = self.rng.pick(&self.held).clone();
                let begin = g.begin.clone().min(h.begin.clone());
                let end = g.end.clone().max(h.end.clone());
                KeyRange::of_interval(&Interval { begin, end })
            }
        }
    }

    fn lease(&mut self, max_keys: usize, min_keys: usize) -> LeasePlan {
        let n = min_keys + self.rng.below(max_keys - min_keys + 1);
        let mut keys: Vec<Vec<u8>> = Vec::new();
        while keys.len() < n {
            let k = self.key();
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        LeasePlan { keys }
    }

    fn put(&mut self, lease_taken: &mut bool) -> Op {
        let key = self.key();
        let prev_kv = self.rng.chance(35);
        // One lease per request at most: attaching a key to a second fresh lease would detach it
        // from the first.
        let lease = if !*lease_taken && self.rng.chance(25) {
            *lease_taken = true;
            Some(self.lease(2, 0))
        } else {
            None
        };
        Op::Put {
            key,
            prev_kv,
            lease,
        }
    }

    fn delete(&mut self) -> Op {
        let mut range = self.range();
        // Deleting everything would empty the store the other checks read.
        if range.key == [0] {
            range = KeyRange::single(&self.key());
        }
        Op::Delete {
            range,
            prev_kv: self.rng.chance(35),
        }
    }

    fn get(&mut self) -> Op {
        Op::Get {
            range: self.range(),
            serializable: self.rng.chance(30),
        }
    }

    /// A txn whose branches each hold at most one write (put, delete or nested txn), so that
    /// etcd never refuses it for a duplicate key.
    fn txn(&mut self, nested: bool, lease_taken: &mut bool) -> TxnPlan {
        let compares = (0..self.rng.below(if nested { 2 } else { 3 }))
            .map(|_| {
                let cmp = if self.rng.chance(50) {
                    Cmp::VersionAbove0
                } else {
                    Cmp::ValueIsV0
                };
                (self.range(), cmp)
            })
            .collect();
        let success = self.branch(nested, lease_taken);
        let failure = self.branch(nested, lease_taken);
        TxnPlan {
            compares,
            success,
            failure,
        }
    }

    fn branch(&mut self, nested: bool, lease_taken: &mut bool) -> Vec<Op> {
        let mut ops: Vec<Op> = (0..self.rng.below(if nested { 2 } else { 3 }))
            .map(|_| self.get())
            .collect();
        if self.rng.chance(75) {
            let op = match self.rng.below(10) {
                0..=3 => self.put(lease_taken),
                4..=6 => self.delete(),
                _ if !nested => Op::Txn(self.txn(true, lease_taken)),
                _ => self.put(lease_taken),
            };
            let at = self.rng.below(ops.len() + 1);
            ops.insert(at, op);
        }
        ops
    }

    fn request(&mut self) -> Request {
        let mut lease_taken = false;
        match self.rng.below(40) {
            0..=7 => Request::Kv(self.get()),
            8..=14 => Request::Kv(self.put(&mut lease_taken)),
            15..=20 => Request::Kv(self.delete()),
            21..=28 => Request::Kv(Op::Txn(self.txn(false, &mut lease_taken))),
            29..=32 => Request::LeaseRevoke(self.lease(2, 1)),
            33..=37 => Request::Watch(self.range()),
            _ => Request::Compact,
        }
    }
}

fn generate(seed: u64) -> Plan {
    let mut rng = Rng(seed);
    let mut roles = Vec::new();
    for r in 0..3 + rng.below(3) {
        let mut perms: Vec<Perm> = Vec::new();
        let n = 1 + rng.below(4);
        while perms.len() < n {
            let kind = *rng.pick(&[PermKind::Read, PermKind::Write, PermKind::ReadWrite]);
            let range = random_range(&mut rng, false);
            // etcd's RoleGrantPermission looks for an existing grant of the same key at one
            // position only and may keep two grants of one range; one grant per key in a role
            // keeps that quirk out of the matrix.
            if perms.iter().all(|p| p.range.key != range.key) {
                perms.push(Perm { kind, range });
            }
        }
        roles.push(Role {
            name: format!("r{r}"),
            perms,
        });
    }

    let mut users = vec![User {
        name: "root".to_string(),
        roles: vec!["root".to_string()],
    }];
    for u in 0..3 + rng.below(2) {
        let mut mine: Vec<String> = roles
            .iter()
            .filter(|_| rng.chance(45))
            .map(|r| r.name.clone())
            .collect();
        if mine.is_empty() {
            mine.push(rng.pick(&roles).name.clone());
        }
        users.push(User {
            name: format!("u{u}"),
            roles: mine,
        });
    }
    // The root role, not the name, makes a superuser.
    users.push(User {
        name: "admin".to_string(),
        roles: vec![rng.pick(&roles).name.clone(), "root".to_string()],
    });
    users.push(User {
        name: "nobody".to_string(),
        roles: Vec::new(),
    });

    let leased_keys = vec![KEYS[1].as_bytes().to_vec(), KEYS[5].as_bytes().to_vec()];

    let model = Model {
        roles: roles
            .iter()
            .map(|r| (r.name.clone(), r.perms.clone()))
            .collect(),
    };
    let mut actors: Vec<Actor> = (0..users.len()).map(Actor::User).collect();
    actors.push(Actor::NoToken);
    let requests = actors
        .into_iter()
        .map(|actor| {
            let (held, count) = match actor {
                Actor::User(i) if !users[i].is_root() && !users[i].roles.is_empty() => {
                    let mut held = model.grants(&users[i], false);
                    held.extend(model.grants(&users[i], true));
                    (held, 40)
                }
                _ => (Vec::new(), 15),
            };
            let mut g = Gen {
                rng: &mut rng,
                held,
            };
            (actor, (0..count).map(|_| g.request()).collect())
        })
        .collect();
    Plan {
        roles,
        users,
        leased_keys,
        requests,
    }
}

// ---------------------------------------------------------------------------------------------
// Running it against a server
// ---------------------------------------------------------------------------------------------

/// A response as the test compares it.
#[derive(Debug)]
enum Observed {
    Ok,
    Status(Code, String),
    WatchCreated,
    WatchCanceled { reason: String, watch_id: i64 },
    Other(String),
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Ok => write!(f, "success"),
            Observed::Status(code, msg) => write!(f, "{code:?} {msg:?}"),
            Observed::WatchCreated => write!(f, "watch created"),
            Observed::WatchCanceled { reason, watch_id } => write!(
                f,
                "watch created and canceled, watch_id {watch_id}, cancel_reason {reason:?}"
            ),
            Observed::Other(s) => write!(f, "{s}"),
        }
    }
}

fn observe<T>(r: Result<T, etcd_client::Error>) -> Observed {
    match r {
        Ok(_) => Observed::Ok,
        Err(etcd_client::Error::GRpcStatus(s)) => Observed::Status(s.code(), s.message().into()),
        Err(e) => Observed::Other(format!("client error {e}")),
    }
}

/// Whether `got` is etcd's answer for `expect`. A denied watch is no gRPC error: etcd answers
/// the create request with a response that is both created and canceled, for no watch id (-1),
/// the reason in cancel_reason (the status's full text, as etcd renders it with `Error()`).
fn answers(expect: Expect, got: &Observed) -> bool {
    match (expect, got) {
        (Expect::Allowed, Observed::Ok | Observed::WatchCreated) => true,
        (Expect::Denied, Observed::Status(Code::PermissionDenied, m)) => m == DENIED,
        (Expect::UserEmpty, Observed::Status(Code::InvalidArgument, m)) => m == USER_EMPTY,
        (Expect::Denied, Observed::WatchCanceled { reason, watch_id }) => {
            *watch_id == -1 && *reason == watch_reason(Code::PermissionDenied, DENIED)
        }
        (Expect::UserEmpty, Observed::WatchCanceled { reason, watch_id }) => {
            *watch_id == -1 && *reason == watch_reason(Code::InvalidArgument, USER_EMPTY)
        }
        _ => false,
    }
}

fn watch_reason(code: Code, msg: &str) -> String {
    let code = match code {
        Code::PermissionDenied => "PermissionDenied",
        Code::InvalidArgument => "InvalidArgument",
        other => panic!("no watch reason for {other:?}"),
    };
    format!("rpc error: code = {code} desc = {msg}")
}

type Kv = (String, String, i64, i64, i64, i64);

fn kvs(resp: &GetResponse) -> Vec<Kv> {
    resp.kvs()
        .iter()
        .map(|kv| {
            (
                show(kv.key()),
                show(kv.value()),
                kv.create_revision(),
                kv.mod_revision(),
                kv.version(),
                kv.lease(),
            )
        })
        .collect()
}

/// Everything in the store, as root sees it.
#[derive(PartialEq)]
struct Snapshot {
    revision: i64,
    kvs: Vec<Kv>,
}

impl Snapshot {
    fn diff(&self, after: &Snapshot) -> String {
        let mut s = format!("revision {} -> {}", self.revision, after.revision);
        let before: BTreeMap<&String, &Kv> = self.kvs.iter().map(|kv| (&kv.0, kv)).collect();
        let now: BTreeMap<&String, &Kv> = after.kvs.iter().map(|kv| (&kv.0, kv)).collect();
        for (k, kv) in &before {
            match now.get(k) {
                None => s.push_str(&format!("; {k} deleted (was {kv:?})")),
                Some(n) if n != kv => s.push_str(&format!("; {k} {kv:?} -> {n:?}")),
                _ => {}
            }
        }
        for (k, kv) in &now {
            if !before.contains_key(k) {
                s.push_str(&format!("; {k} created {kv:?}"));
            }
        }
        s
    }
}

fn get_options(range: &KeyRange, serializable: bool) -> GetOptions {
    let o = GetOptions::new().with_range(range.end.clone());
    if serializable {
        o.with_serializable()
    } else {
        o
    }
}

fn put_options(prev_kv: bool, lease: Option<i64>) -> PutOptions {
    let mut o = PutOptions::new();
    if prev_kv {
        o = o.with_prev_key();
    }
    if let Some(id) = lease {
        o = o.with_lease(id);
    }
    o
}

fn delete_options(range: &KeyRange, prev_kv: bool) -> DeleteOptions {
    let o = DeleteOptions::new().with_range(range.end.clone());
    if prev_kv {
        o.with_prev_key()
    } else {
        o
    }
}

fn txn_op(op: &Op, value: &str, lease: Option<i64>) -> TxnOp {
    match op {
        Op::Get {
            range,
            serializable,
        } => TxnOp::get(range.key.clone(), Some(get_options(range, *serializable))),
        Op::Put {
            key,
            prev_kv,
            lease: l,
        } => TxnOp::put(
            key.clone(),
            value,
            Some(put_options(*prev_kv, l.as_ref().and(lease))),
        ),
        Op::Delete { range, prev_kv } => {
            TxnOp::delete(range.key.clone(), Some(delete_options(range, *prev_kv)))
        }
        Op::Txn(t) => TxnOp::txn(txn(t, value, lease)),
    }
}

fn txn(t: &TxnPlan, value: &str, lease: Option<i64>) -> Txn {
    let compares: Vec<Compare> = t
        .compares
        .iter()
        .map(|(r, c)| {
            let cmp = match c {
                Cmp::VersionAbove0 => Compare::version(r.key.clone(), CompareOp::Greater, 0),
                Cmp::ValueIsV0 => Compare::value(r.key.clone(), CompareOp::Equal, "v0"),
            };
            if r.end.is_empty() {
                cmp
            } else {
                cmp.with_range(r.end.clone())
            }
        })
        .collect();
    let ops = |ops: &[Op]| -> Vec<TxnOp> { ops.iter().map(|o| txn_op(o, value, lease)).collect() };
    Txn::new()
        .when(compares)
        .and_then(ops(&t.success))
        .or_else(ops(&t.failure))
}

struct OpenWatch {
    label: String,
    range: KeyRange,
    stream: WatchStream,
    allowed: bool,
}

struct Run<'a> {
    server: &'a str,
    seed: u64,
    plan: &'a Plan,
    rules: Rules,
    model: Model,
    root: Client,
    failures: Vec<String>,
    tally: Tally,
    watches: Vec<OpenWatch>,
    writes: u64,
}

impl Run<'_> {
    fn fail(&mut self, what: String) {
        let what = format!("[seed {:#x}] {what}", self.seed);
        println!("FAIL {}: {what}", self.server);
        self.failures.push(what);
    }

    async fn snapshot(&mut self) -> Snapshot {
        let resp = self
            .root
            .get(vec![0], Some(GetOptions::new().with_range(vec![0])))
            .await
            .expect("root reads the store");
        Snapshot {
            revision: resp.header().expect("header").revision(),
            kvs: kvs(&resp),
        }
    }

    async fn lease_exists(&mut self, id: i64) -> bool {
        let resp = self.root.leases().await.expect("root lists leases");
        resp.leases().iter().any(|l| l.id() == id)
    }

    async fn grant_lease(&mut self, plan: &LeasePlan) -> i64 {
        let id = self
            .root
            .lease_grant(600, None)
            .await
            .expect("root grants a lease")
            .id();
        for k in &plan.keys {
            self.root
                .put(k.clone(), "leased", Some(PutOptions::new().with_lease(id)))
                .await
                .expect("root attaches a key to the lease");
        }
        id
    }

    async fn one(&mut self, actor: Actor, n: usize, client: &mut Client, req: &Request) {
        let plan = self.plan;
        let user = match actor {
            Actor::User(i) => Some(&plan.users[i]),
            Actor::NoToken => None,
        };
        let needs = Model::needs(req, self.rules);
        let (expect, unmet) = self.model.expect(user, &needs);
        let other = match self.rules {
            Rules::Etcd34 => Rules::Main,
            Rules::Main => Rules::Etcd34,
        };
        let (other_expect, _) = self.model.expect(user, &Model::needs(req, other));
        self.tally.count(req.kind(), expect, other_expect != expect);
        let label = format!("{} request #{n}: {req}", plan.actor_name(actor));

        let lease = match req.lease() {
            Some(plan) => Some(self.grant_lease(plan).await),
            None => None,
        };
        if matches!(req, Request::Compact) {
            // A newer revision than any earlier compaction's, so that compacting to it is valid.
            self.root.put("/zz", "bump", None).await.expect("root put");
        }
        let before = self.snapshot().await;
        self.writes += 1;
        let value = format!("w{}", self.writes);

        let mut range_kvs = None;
        let got = match req {
            Request::Kv(Op::Get {
                range,
                serializable,
            }) => {
                let r = client
                    .get(range.key.clone(), Some(get_options(range, *serializable)))
                    .await;
                if let Ok(resp) = &r {
                    range_kvs = Some(kvs(resp));
                }
                observe(r)
            }
            Request::Kv(Op::Put {
                key,
                prev_kv,
                lease: _,
            }) => observe(
                client
                    .put(key.clone(), value, Some(put_options(*prev_kv, lease)))
                    .await,
            ),
            Request::Kv(Op::Delete { range, prev_kv }) => observe(
                client
                    .delete(range.key.clone(), Some(delete_options(range, *prev_kv)))
                    .await,
            ),
            Request::Kv(Op::Txn(t)) => observe(client.txn(txn(t, &value, lease)).await),
            Request::LeaseRevoke(_) => observe(client.lease_revoke(lease.expect("granted")).await),
            Request::Compact => observe(client.compact(before.revision, None).await),
            Request::Watch(range) => self.watch(client, range, expect, &label).await,
        };

        if !answers(expect, &got) {
            let why = if unmet.is_empty() {
                String::new()
            } else {
                format!(" ({})", unmet.join(", "))
            };
            let wanted = match (req, expect) {
                (Request::Watch(_), Expect::Denied) => format!(
                    "created and canceled, watch_id -1, cancel_reason {:?}",
                    watch_reason(Code::PermissionDenied, DENIED)
                ),
                (Request::Watch(_), Expect::UserEmpty) => format!(
                    "created and canceled, watch_id -1, cancel_reason {:?}",
                    watch_reason(Code::InvalidArgument, USER_EMPTY)
                ),
                _ => expect.to_string(),
            };
            self.fail(format!("{label}: expected {wanted}{why}, got {got}"));
        }

        if let Some(user_view) = range_kvs {
            let Request::Kv(Op::Get { range, .. }) = req else {
                unreachable!()
            };
            let resp = self
                .root
                .get(range.key.clone(), Some(get_options(range, false)))
                .await
                .expect("root reads the range");
            if kvs(&resp) != user_view {
                self.fail(format!(
                    "{label}: read {user_view:?}, root reads {:?}",
                    kvs(&resp)
                ));
            }
        }

        let succeeded = matches!(got, Observed::Ok | Observed::WatchCreated);
        if req.is_write() && !succeeded {
            let after = self.snapshot().await;
            if after != before {
                self.fail(format!(
                    "{label}: refused ({got}) yet changed the store: {}",
                    before.diff(&after)
                ));
            }
        }
        if let (Request::LeaseRevoke(_), Some(id)) = (req, lease) {
            let exists = self.lease_exists(id).await;
            if exists == succeeded {
                self.fail(format!(
                    "{label}: answered {got}, and the lease {}",
                    if exists { "still exists" } else { "is gone" }
                ));
            }
        }
        if matches!(req, Request::Compact) {
            let old = self
                .root
                .get(
                    "/zz",
                    Some(GetOptions::new().with_revision(before.revision - 1)),
                )
                .await;
            if old.is_ok() == succeeded {
                self.fail(format!(
                    "{label}: answered {got}, and revision {} {}",
                    before.revision - 1,
                    if succeeded {
                        "can still be read".to_string()
                    } else {
                        format!("cannot be read: {}", observe(old))
                    }
                ));
            }
        }
    }

    async fn watch(
        &mut self,
        client: &mut Client,
        range: &KeyRange,
        expect: Expect,
        label: &str,
    ) -> Observed {
        let opts = WatchOptions::new().with_range(range.end.clone());
        let mut stream = match client.watch(range.key.clone(), Some(opts)).await {
            Ok(s) => s,
            Err(e) => return observe::<()>(Err(e)),
        };
        let first = tokio::time::timeout(Duration::from_secs(10), stream.message()).await;
        let got = match first {
            Err(_) => return Observed::Other("no watch response within 10s".into()),
            Ok(Err(e)) => return observe::<()>(Err(e)),
            Ok(Ok(None)) => return Observed::Other("watch stream ended".into()),
            Ok(Ok(Some(resp))) => {
                if resp.created() && !resp.canceled() {
                    Observed::WatchCreated
                } else if resp.created() && resp.canceled() {
                    Observed::WatchCanceled {
                        reason: resp.cancel_reason().to_string(),
                        watch_id: resp.watch_id(),
                    }
                } else {
                    Observed::Other(format!("first watch response {resp:?}"))
                }
            }
        };
        // Kept open to the end: a denied watch must stay silent through every later write.
        self.watches.push(OpenWatch {
            label: label.to_string(),
            range: range.clone(),
            stream,
            allowed: matches!(got, Observed::WatchCreated) && expect == Expect::Allowed,
        });
        got
    }

    /// Root writes every key of `KEYS`: each created watch reports the ones in its range (and
    /// nothing outside it), each refused watch reports nothing at all.
    async fn probe_watches(&mut self) {
        let mut probe_rev = 0;
        for k in KEYS {
            probe_rev = self
                .root
                .put(k, "probe", None)
                .await
                .expect("root writes a probe")
                .header()
                .expect("header")
                .revision();
        }
        let mut watches = std::mem::take(&mut self.watches);
        for w in watches.iter_mut().filter(|w| w.allowed) {
            let want: Vec<&str> = KEYS
                .iter()
                .copied()
                .filter(|k| w.range.contains(k.as_bytes()))
                .collect();
            let mut seen: Vec<String> = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(10);
            while seen.len() < want.len() {
                let left = deadline.saturating_duration_since(Instant::now());
                let msg = match tokio::time::timeout(left, w.stream.message()).await {
                    Ok(Ok(Some(m))) => m,
                    other => {
                        self.fail(format!(
                            "{}: the created watch did not report the probes of {want:?} \
                             (saw {seen:?}; then {other:?})",
                            w.label
                        ));
                        break;
                    }
                };
                for e in msg.events() {
                    let kv = e.kv().expect("event kv");
                    if !w.range.contains(kv.key()) {
                        self.fail(format!(
                            "{}: reported {} outside its range",
                            w.label,
                            show(kv.key())
                        ));
                    }
                    if kv.mod_revision() > probe_rev - KEYS.len() as i64 && kv.value() == b"probe" {
                        seen.push(show(kv.key()));
                    }
                }
            }
        }
        // Events to the created watches above have arrived; a leak to a refused one would have
        // left by now too.
        tokio::time::sleep(Duration::from_millis(200)).await;
        for w in watches.iter_mut().filter(|w| !w.allowed) {
            match tokio::time::timeout(Duration::from_millis(20), w.stream.message()).await {
                Err(_) => {}
                Ok(Ok(Some(m))) => {
                    self.fail(format!("{}: the refused watch reported {m:?}", w.label))
                }
                Ok(other) => self.fail(format!(
                    "{}: the refused watch's stream ended ({other:?}); etcd keeps it open",
                    w.label
                )),
            }
        }
    }
}

async fn connect(endpoint: &str, user: Option<&str>) -> Client {
    let options = user.map(|u| ConnectOptions::new().with_user(u, PASSWORD));
    Client::connect([endpoint], options)
        .await
        .unwrap_or_else(|e| panic!("connect to {endpoint} as {user:?}: {e}"))
}

/// Creates the plan's roles and users and the keys, then enables auth.
async fn set_up(endpoint: &str, plan: &Plan) {
    let mut c = connect(endpoint, None).await;
    c.role_add("root").await.expect("role add root");
    for role in &plan.roles {
        c.role_add(role.name.as_str()).await.expect("role add");
        for p in &role.perms {
            let kind = match p.kind {
                PermKind::Read => PermissionType::Read,
                PermKind::Write => PermissionType::Write,
                PermKind::ReadWrite => PermissionType::Readwrite,
            };
            let perm =
                Permission::new(kind, p.range.key.clone()).with_range_end(p.range.end.clone());
            c.role_grant_permission(role.name.as_str(), perm)
                .await
                .unwrap_or_else(|e| panic!("grant {p} to {}: {e}", role.name));
        }
    }
    for user in &plan.users {
        c.user_add(user.name.as_str(), PASSWORD, None)
            .await
            .expect("user add");
        for role in &user.roles {
            c.user_grant_role(user.name.as_str(), role.as_str())
                .await
                .expect("grant role");
        }
    }
    for k in KEYS {
        c.put(k, "v0", None).await.expect("put");
    }
    let lease = c.lease_grant(600, None).await.expect("lease grant").id();
    for k in &plan.leased_keys {
        c.put(k.clone(), "v0", Some(PutOptions::new().with_lease(lease)))
            .await
            .expect("put with lease");
    }
    c.auth_enable().await.expect("auth enable");
}

/// How many requests of each kind expected each answer, and how many of them etcd 3.4 and etcd's
/// main branch answer differently.
#[derive(Default)]
struct Tally(BTreeMap<&'static str, [usize; 4]>);

impl Tally {
    fn count(&mut self, kind: &'static str, expect: Expect, rules_differ: bool) {
        let row = self.0.entry(kind).or_default();
        row[expect as usize] += 1;
        if rules_differ {
            row[3] += 1;
        }
    }

    fn add(&mut self, other: &Tally) {
        for (kind, row) in &other.0 {
            let mine = self.0.entry(kind).or_default();
            for (m, o) in mine.iter_mut().zip(row) {
                *m += o;
            }
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  {:<14} {:>8} {:>8} {:>10} {:>16}",
            "request", "allowed", "denied", "user empty", "3.4 != main"
        )?;
        for (kind, [a, d, e, x]) in &self.0 {
            writeln!(f, "  {kind:<14} {a:>8} {d:>8} {e:>10} {x:>16}")?;
        }
        Ok(())
    }
}

/// The seeds to run: `AUTH_MATRIX_SEED` alone, or a few fixed ones.
fn seeds() -> Vec<u64> {
    match std::env::var("AUTH_MATRIX_SEED") {
        Ok(s) => {
            let s = s.trim();
            let parsed = match s.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            };
            vec![parsed.unwrap_or_else(|_| panic!("AUTH_MATRIX_SEED={s} is not a number"))]
        }
        Err(_) => (0..SEEDS).map(|i| DEFAULT_SEED + i).collect(),
    }
}

/// Runs the matrix of `seed` against a fresh server at `endpoint`; returns the failures.
async fn run(
    server: &str,
    endpoint: &str,
    rules: Rules,
    seed: u64,
    tally: &mut Tally,
) -> Vec<String> {
    let plan = generate(seed);
    println!("{server}: seed {seed:#x}\n{}", plan.describe());
    let started = Instant::now();
    set_up(endpoint, &plan).await;

    let mut clients = Vec::new();
    for (actor, _) in &plan.requests {
        let user = match actor {
            Actor::User(i) => Some(plan.users[*i].name.as_str()),
            Actor::NoToken => None,
        };
        clients.push(connect(endpoint, user).await);
    }
    let model = Model {
        roles: plan
            .roles
            .iter()
            .map(|r| (r.name.clone(), r.perms.clone()))
            .collect(),
    };
    let mut r = Run {
        server,
        seed,
        plan: &plan,
        rules,
        model,
        root: connect(endpoint, Some("root")).await,
        failures: Vec::new(),
        tally: Tally::default(),
        watches: Vec::new(),
        writes: 0,
    };
    let mut total = 0;
    for ((actor, requests), client) in plan.requests.iter().zip(clients.iter_mut()) {
        for (n, req) in requests.iter().enumerate() {
            r.one(*actor, n, client, req).await;
            total += 1;
        }
    }
    r.probe_watches().await;
    println!(
        "{server}: seed {seed:#x}: {total} requests in {:.1}s, {} failures",
        started.elapsed().as_secs_f64(),
        r.failures.len()
    );
    tally.add(&r.tally);
    if r.failures.is_empty() {
        return Vec::new();
    }
    let mut failures = r.failures;
    failures.push(format!("(seed {seed:#x}) {}", plan.describe()));
    failures
}

fn conclude(server: &str, failures: Vec<String>, tally: &Tally) {
    println!("{server}: expected answers over all seeds:\n{tally}");
    assert!(
        failures.is_empty(),
        "{server} answered against the model (replay one seed with AUTH_MATRIX_SEED=<seed>):\n{}",
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The servers
// ---------------------------------------------------------------------------------------------

/// The real etcd 3.4 (the model's `Rules::Etcd34` describes it); `None` (after saying so) when it
/// is not installed, which CI does not accept.
fn start_etcd() -> Option<Etcd> {
    if !tools_present() {
        return None;
    }
    let version = Command::new(ETCD)
        .arg("--version")
        .output()
        .expect("etcd --version");
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(
        version.contains("etcd Version: 3.4."),
        "the model's Rules::Etcd34 describes etcd 3.4, not {version}"
    );
    Some(Etcd::start(&["--bcrypt-cost", "4"]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etcd_3_4_follows_the_permission_model() {
    let (mut failures, mut tally) = (Vec::new(), Tally::default());
    for seed in seeds() {
        let Some(etcd) = start_etcd() else {
            return;
        };
        failures.extend(
            run(
                "etcd 3.4",
                &etcd.endpoint(),
                Rules::Etcd34,
                seed,
                &mut tally,
            )
            .await,
        );
    }
    conclude("etcd 3.4", failures, &tally);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oxcd_follows_the_permission_model() {
    let (mut failures, mut tally) = (Vec::new(), Tally::default());
    for seed in seeds() {
        let server = common::Server::start(&["--bcrypt-cost", "4"]);
        failures.extend(run("oxcd", &server.endpoint(), Rules::Main, seed, &mut tally).await);
    }
    conclude("oxcd", failures, &tally);
}

/// The interval arithmetic on its own, on cases from etcd's range_perm_cache_test.go.
#[test]
fn coverage_joins_abutting_grants_and_refuses_gaps() {
    let r = |k: &str, e: &str| KeyRange::range(k.as_bytes(), e.as_bytes()).interval();
    let open = |k: &str| KeyRange::range(k.as_bytes(), &[0]).interval();
    let point = |k: &str| KeyRange::single(k.as_bytes()).interval();
    assert!(covered(&[r("a", "c"), r("c", "f")], &r("a", "f")));
    assert!(covered(&[r("a", "d"), r("b", "c")], &r("a", "d")));
    assert!(!covered(&[r("a", "b"), r("c", "f")], &r("a", "f")));
    assert!(!covered(&[r("a", "b")], &point("b")));
    assert!(covered(&[r("a", "b")], &point("a")));
    assert!(covered(&[point("a")], &r("a", "a\0")));
    assert!(!covered(&[point("a")], &point("a\0")));
    assert!(!covered(&[point("a")], &r("a", "b")));
    assert!(covered(&[point("a"), r("a\0", "b")], &r("a", "b")));
    assert!(covered(&[open("c")], &point("zzz")));
    assert!(covered(&[open("a")], &open("b")));
    assert!(!covered(&[r("a", "z")], &open("b")));
    assert!(covered(&[open("\0")], &open("\0")));
    assert!(!covered(&[], &point("a")));
}
