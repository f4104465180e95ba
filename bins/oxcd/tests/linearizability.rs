//! Linearizability of concurrent puts and gets across a `kill -9` of the leader and its restart,
//! checked by `common::linearizability`; and the checker itself on small hand-made histories.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::members::{start_all, wait_for_leader};
use common::Server;
use oxcd_lincheck::{check, check_register, History, Op, Operation, SEARCH_BUDGET};

/// A small deterministic generator (xorshift64*): reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// ---------------------------------------------------------------- the checker on its own

fn put(client: usize, v: &str, invoked: u64, returned: Option<u64>) -> Operation {
    Operation {
        client,
        key: "k".into(),
        op: Op::Put(v.into()),
        invoked,
        returned,
    }
}

fn get(client: usize, v: Option<&str>, invoked: u64, returned: u64) -> Operation {
    Operation {
        client,
        key: "k".into(),
        op: Op::Get(v.map(str::to_string)),
        invoked,
        returned: Some(returned),
    }
}

fn linearizable(ops: &[Operation]) -> bool {
    check(ops).is_ok()
}

#[test]
fn checker_accepts_sequential_and_overlapping_histories() {
    // Sequential: a read sees the last write.
    assert!(linearizable(&[
        put(0, "a", 0, Some(10)),
        get(1, Some("a"), 20, 30),
        put(0, "b", 40, Some(50)),
        get(1, Some("b"), 60, 70),
    ]));
    // A read overlapping a write may see either side of it.
    assert!(linearizable(&[
        put(0, "a", 0, Some(100)),
        get(1, None, 10, 20),
        get(2, Some("a"), 30, 40),
    ]));
    // Two overlapping writes may take effect in either order...
    assert!(linearizable(&[
        put(0, "a", 0, Some(10)),
        put(1, "b", 5, Some(15)),
        get(2, Some("a"), 20, 25),
        get(2, Some("a"), 30, 35),
    ]));
    // ...and a read whose answer never came proves nothing.
    let mut lost = get(1, Some("never written"), 0, 10);
    lost.returned = None;
    assert!(linearizable(&[lost]));
}

#[test]
fn checker_rejects_stale_and_impossible_reads() {
    // Missing after a write completed.
    assert!(!linearizable(&[
        put(0, "a", 0, Some(10)),
        get(1, None, 20, 30)
    ]));
    // A stale value: b was acknowledged before the read began.
    assert!(!linearizable(&[
        put(0, "a", 0, Some(10)),
        put(0, "b", 20, Some(30)),
        get(1, Some("a"), 40, 50),
    ]));
    // Once both overlapping writes are done, the order two later reads see is fixed.
    assert!(!linearizable(&[
        put(0, "a", 0, Some(10)),
        put(1, "b", 5, Some(15)),
        get(2, Some("b"), 20, 25),
        get(2, Some("a"), 30, 35),
    ]));
    // Two readers that see the two writes in opposite orders.
    assert!(!linearizable(&[
        put(0, "a", 0, Some(100)),
        put(1, "b", 0, Some(100)),
        get(2, Some("a"), 10, 20),
        get(2, Some("b"), 30, 40),
        get(3, Some("b"), 10, 20),
        get(3, Some("a"), 30, 40),
    ]));
    // A value nobody wrote.
    assert!(!linearizable(&[get(0, Some("ghost"), 0, 10)]));
}

#[test]
fn checker_lets_unanswered_puts_apply_late_or_never_but_not_early_or_twice() {
    // Applied long after its caller gave up...
    assert!(linearizable(&[
        put(0, "a", 0, None),
        get(1, None, 10, 20),
        get(1, Some("a"), 30, 40),
    ]));
    // ...or never.
    assert!(linearizable(&[put(0, "a", 0, None), get(1, None, 10, 20)]));
    // Not before it was invoked.
    assert!(!linearizable(&[
        get(1, Some("a"), 0, 10),
        put(0, "a", 20, None)
    ]));
    // Once applied, it does not come undone.
    assert!(!linearizable(&[
        put(0, "a", 0, None),
        get(1, Some("a"), 10, 20),
        get(1, None, 30, 40),
    ]));
    // It takes effect once: a later acknowledged write is not undone by it.
    assert!(!linearizable(&[
        put(0, "a", 0, None),
        get(1, Some("a"), 10, 20),
        put(1, "b", 30, Some(40)),
        get(1, Some("a"), 50, 60),
    ]));
}

#[test]
fn checker_names_the_key_that_is_not_linearizable() {
    let mut ops = vec![put(0, "a", 0, Some(10)), get(1, Some("a"), 20, 30)];
    let mut other = vec![put(0, "x", 0, Some(10)), get(1, None, 20, 30)];
    for o in &mut other {
        o.key = "other".into();
    }
    ops.extend(other);
    let violation = check(&ops).unwrap_err();
    assert_eq!(violation.key, "other");
    assert!(violation.message.contains("get -> missing"), "{violation}");
}

/// A register history with real concurrency, made linearizable by construction: each operation
/// takes effect at a random point inside its interval; some puts get no answer, and of those
/// some take effect and some never do.
fn generated_history(rng: &mut Rng, clients: usize, ops_per_client: usize) -> Vec<Operation> {
    struct Planned {
        op: Operation,
        effect_at: Option<u64>,
    }
    let mut planned = Vec::new();
    for client in 0..clients {
        let mut t = rng.below(20);
        for n in 0..ops_per_client {
            let invoked = t;
            let effect = invoked + 1 + rng.below(40);
            let returned = effect + 1 + rng.below(40);
            let is_put = rng.below(2) == 0;
            let unanswered = is_put && rng.below(20) == 0;
            planned.push(Planned {
                op: Operation {
                    client,
                    key: "k".into(),
                    op: if is_put {
                        Op::Put(format!("c{client}-{n}"))
                    } else {
                        Op::Get(None)
                    },
                    invoked,
                    returned: (!unanswered).then_some(returned),
                },
                effect_at: (!unanswered || rng.below(2) == 0).then_some(effect),
            });
            t = returned + rng.below(10);
        }
    }
    let mut order: Vec<usize> = (0..planned.len())
        .filter(|&i| planned[i].effect_at.is_some())
        .collect();
    order.sort_by_key(|&i| planned[i].effect_at);
    let mut register: Option<String> = None;
    for i in order {
        match &mut planned[i].op.op {
            Op::Put(v) => register = Some(v.clone()),
            Op::Get(read) => *read = register.clone(),
            Op::Cas { expect, new } => {
                if register == *expect {
                    register = Some(new.clone());
                }
            }
        }
    }
    planned.into_iter().map(|p| p.op).collect()
}

#[test]
fn checker_handles_generated_concurrent_histories_quickly_and_catches_a_corrupted_read() {
    for seed in 1..=20u64 {
        let mut rng = Rng::new(seed);
        let ops = generated_history(&mut rng, 5, 40);
        let refs: Vec<&Operation> = ops.iter().collect();
        let started = Instant::now();
        if let Err(e) = check_register(&refs, SEARCH_BUDGET) {
            panic!("seed {seed}: a linearizable history rejected: {e}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "seed {seed}: slow check"
        );
        // A read of "missing" after an acknowledged put completed is caught: no put unsets.
        let mut bad = ops.clone();
        let first_ack = bad
            .iter()
            .filter(|o| matches!(o.op, Op::Put(_)))
            .filter_map(|o| o.returned)
            .min()
            .expect("some put was answered");
        let stale = bad
            .iter()
            .position(|o| matches!(o.op, Op::Get(_)) && o.invoked > first_ack)
            .expect("a get after the first acknowledged put");
        bad[stale].op = Op::Get(None);
        let refs: Vec<&Operation> = bad.iter().collect();
        assert!(
            check_register(&refs, SEARCH_BUDGET).is_err(),
            "seed {seed}: a read of 'missing' after acknowledged writes was accepted"
        );
    }
}

// ---------------------------------------------------------------- a real cluster

const KEYS: [&str; 3] = ["lin/a", "lin/b", "lin/c"];
const CLIENTS: usize = 4;
/// Operations over all clients: about 180 per key, which the search checks in well under a second.
const MAX_OPS: usize = 540;
const OP_TIMEOUT: Duration = Duration::from_secs(2);

/// Random puts (of unique values) and linearizable gets on a few keys through one member, paced
/// so the history spans the whole fault, until told to stop or the shared budget runs out.
async fn run_client(
    id: usize,
    endpoint: String,
    seed: u64,
    history: Arc<History>,
    stop: Arc<AtomicBool>,
    budget: Arc<AtomicUsize>,
) {
    let mut rng = Rng::new(seed);
    let mut client = etcd_client::Client::connect([endpoint], None)
        .await
        .expect("connect etcd-client");
    let mut n = 0;
    while !stop.load(Ordering::Relaxed)
        && budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(1))
            .is_ok()
    {
        let key = KEYS[rng.below(KEYS.len() as u64) as usize];
        let invoked = history.now();
        let (op, answered) = if rng.below(2) == 0 {
            let value = format!("c{id}-{n}");
            n += 1;
            let r = tokio::time::timeout(OP_TIMEOUT, client.put(key, value.clone(), None)).await;
            (Op::Put(value), matches!(r, Ok(Ok(_))))
        } else {
            match tokio::time::timeout(OP_TIMEOUT, client.get(key, None)).await {
                Ok(Ok(resp)) => {
                    let value = resp
                        .kvs()
                        .first()
                        .map(|kv| String::from_utf8_lossy(kv.value()).into_owned());
                    (Op::Get(value), true)
                }
                _ => (Op::Get(None), false),
            }
        };
        let returned = answered.then(|| history.now());
        history.record(Operation {
            client: id,
            key: key.to_string(),
            op,
            invoked,
            returned,
        });
        // Pace the clients so the history spans the fault; after a failure (the member is down
        // or has no leader) wait longer rather than fill the history with more failures.
        let pause = if answered { 20 } else { 200 };
        tokio::time::sleep(Duration::from_millis(pause + rng.below(30))).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn histories_stay_linearizable_across_a_leader_kill_9_and_restart() {
    let mut members = Server::cluster(3, &["--snapshot-count", "200"]);
    start_all(&mut members);
    let (leader, _) = wait_for_leader(&members, &[], Duration::from_secs(10)).await;

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    eprintln!("client seed {seed}");
    let history = Arc::new(History::default());
    let stop = Arc::new(AtomicBool::new(false));
    let budget = Arc::new(AtomicUsize::new(MAX_OPS));
    let mut clients = Vec::new();
    for id in 0..CLIENTS {
        clients.push(tokio::spawn(run_client(
            id,
            members[id % members.len()].endpoint(),
            seed.wrapping_add(id as u64 * 7919),
            history.clone(),
            stop.clone(),
            budget.clone(),
        )));
    }

    tokio::time::sleep(Duration::from_secs(1)).await;
    members[leader].kill9();
    let killed_at = history.now();
    let killed = Instant::now();
    let (new_leader, _) = wait_for_leader(&members, &[leader], Duration::from_secs(15)).await;
    let election = killed.elapsed();
    assert_ne!(new_leader, leader);
    tokio::time::sleep(Duration::from_secs(1)).await;
    members[leader].restart();
    let restarted_at = history.now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        tokio::time::timeout(Duration::from_secs(10), c)
            .await
            .expect("a client did not stop")
            .expect("client task");
    }

    let ops = history.operations();
    let answered = |o: &&Operation| o.returned.is_some();
    let after_kill = ops
        .iter()
        .filter(answered)
        .filter(|o| o.invoked > killed_at)
        .count();
    let after_restart = ops
        .iter()
        .filter(answered)
        .filter(|o| o.invoked > restarted_at)
        .count();
    let reads_of_values = ops
        .iter()
        .filter(|o| o.returned.is_some() && matches!(o.op, Op::Get(Some(_))))
        .count();
    let per_key: Vec<usize> = KEYS
        .iter()
        .map(|k| ops.iter().filter(|o| o.key == *k).count())
        .collect();
    eprintln!(
        "new leader {election:?} after kill -9; {} operations ({} unanswered), per key {per_key:?}; \
         {after_kill} answered after the kill, {after_restart} after the restart",
        ops.len(),
        ops.iter().filter(|o| o.returned.is_none()).count()
    );
    assert!(
        after_kill > 20 && after_restart > 5,
        "the history barely covers the fault: {after_kill} answered after the kill, \
         {after_restart} after the restart"
    );
    assert!(reads_of_values > 10, "too few reads saw a value");

    let started = Instant::now();
    if let Err(violation) = check(&ops) {
        panic!("history of {} operations: {violation}", ops.len());
    }
    eprintln!("linearizable; checked in {:?}", started.elapsed());
}
