//! Leases, locks and elections against a real `oxcd` process, in real time, through the
//! independent `etcd-client` crate (and `oxctl` for the lock command), with etcd's results.
//!
//! The `oxctl` tests need the binary built next to this test's (`cargo build -p oxctl`).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Server;
use etcd_client::{
    Client, Compare, CompareOp, GetOptions, LeaseGrantOptions, LeaseTimeToLiveOptions, LockOptions,
    ProclaimOptions, PutOptions, ResignOptions, Txn, TxnOp,
};
use tonic::Code;

fn status(err: etcd_client::Error) -> (Code, String) {
    match err {
        etcd_client::Error::GRpcStatus(s) => (s.code(), s.message().to_string()),
        other => panic!("expected a gRPC status, got {other:?}"),
    }
}

async fn exists(c: &mut Client, key: &str) -> bool {
    c.get(key, None).await.expect("get").count() == 1
}

async fn count_prefix(c: &mut Client, prefix: &str) -> i64 {
    let opts = GetOptions::new().with_prefix().with_count_only();
    c.get(prefix, Some(opts)).await.expect("count").count()
}

fn with_lease(id: i64) -> Option<PutOptions> {
    Some(PutOptions::new().with_lease(id))
}

/// Polls until `key` is gone; returns when that was seen.
async fn wait_gone(c: &mut Client, key: &str, limit: Duration) -> Instant {
    let start = Instant::now();
    loop {
        if !exists(c, key).await {
            return Instant::now();
        }
        assert!(
            start.elapsed() < limit,
            "{key} still exists after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn keys_vanish_within_a_second_after_expiry_and_never_while_kept_alive() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let short = c.lease_grant(2, None).await.unwrap();
    let granted = Instant::now();
    assert_eq!(short.ttl(), 2);
    let kept = c.lease_grant(2, None).await.unwrap();
    c.put("short", "v", with_lease(short.id())).await.unwrap();
    c.put("kept", "v", with_lease(kept.id())).await.unwrap();

    let (mut keeper, mut replies) = c.lease_keep_alive(kept.id()).await.unwrap();
    let keeping = tokio::spawn(async move {
        loop {
            keeper.keep_alive().await.expect("send keep-alive");
            let reply = replies.message().await.expect("keep-alive reply");
            assert_eq!(reply.expect("open stream").ttl(), 2);
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });

    let gone = wait_gone(&mut c, "short", Duration::from_secs(5)).await;
    let lived = gone - granted;
    assert!(
        lived >= Duration::from_millis(1900),
        "the key vanished {lived:?} after a 2 s grant"
    );
    assert!(
        lived <= Duration::from_secs(3),
        "the key outlived its 2 s lease by more than a second: {lived:?}"
    );
    let ttl = c.lease_time_to_live(short.id(), None).await.unwrap();
    assert_eq!(ttl.ttl(), -1);

    while granted.elapsed() < Duration::from_secs(5) {
        assert!(exists(&mut c, "kept").await, "a kept-alive key vanished");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    keeping.abort();
    let stopped = Instant::now();
    let gone = wait_gone(&mut c, "kept", Duration::from_secs(5)).await;
    assert!(gone - stopped <= Duration::from_secs(4));
}

#[tokio::test]
async fn revoke_deletes_every_key_in_one_revision() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let lease = c.lease_grant(100, None).await.unwrap().id();
    for key in ["r/1", "r/2", "r/3"] {
        c.put(key, "v", with_lease(lease)).await.unwrap();
    }
    let last = c.put("r/4", "keep", None).await.unwrap();
    let before = last.header().unwrap().revision();

    let revoked = c.lease_revoke(lease).await.unwrap();
    assert_eq!(revoked.header().unwrap().revision(), before + 1);
    let now = c
        .get("r/", Some(GetOptions::new().with_prefix()))
        .await
        .unwrap();
    let keys: Vec<&[u8]> = now.kvs().iter().map(|kv| kv.key()).collect();
    assert_eq!(keys, vec![&b"r/4"[..]]);
    assert_eq!(now.header().unwrap().revision(), before + 1);
    let then = GetOptions::new().with_prefix().with_revision(before);
    assert_eq!(c.get("r/", Some(then)).await.unwrap().count(), 4);

    let (code, message) = status(c.lease_revoke(lease).await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (Code::NotFound, "etcdserver: requested lease not found")
    );
}

#[tokio::test]
async fn time_to_live_lists_attached_keys_and_follows_puts_and_deletes() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let grant = c
        .lease_grant(100, Some(LeaseGrantOptions::new().with_id(0x1234)))
        .await
        .unwrap();
    assert_eq!((grant.id(), grant.ttl()), (0x1234, 100));
    c.put("k2", "v", with_lease(0x1234)).await.unwrap();
    c.put("k1", "v", with_lease(0x1234)).await.unwrap();

    let keys = Some(LeaseTimeToLiveOptions::new().with_keys());
    let ttl = c.lease_time_to_live(0x1234, keys.clone()).await.unwrap();
    assert_eq!((ttl.id(), ttl.granted_ttl()), (0x1234, 100));
    assert!((98..=100).contains(&ttl.ttl()), "{}", ttl.ttl());
    let mut attached = ttl.keys().to_vec();
    attached.sort();
    assert_eq!(attached, vec![b"k1".to_vec(), b"k2".to_vec()]);
    assert!(c
        .lease_time_to_live(0x1234, None)
        .await
        .unwrap()
        .keys()
        .is_empty());
    let ids: Vec<i64> = c
        .leases()
        .await
        .unwrap()
        .leases()
        .iter()
        .map(|l| l.id())
        .collect();
    assert_eq!(ids, vec![0x1234]);

    // A put without the lease detaches the key; ignore_lease keeps it; a delete detaches.
    c.put("k1", "w", None).await.unwrap();
    c.put("k2", "w", Some(PutOptions::new().with_ignore_lease()))
        .await
        .unwrap();
    let ttl = c.lease_time_to_live(0x1234, keys.clone()).await.unwrap();
    assert_eq!(ttl.keys(), &[b"k2".to_vec()]);
    let got = c.get("k2", None).await.unwrap();
    assert_eq!(got.kvs()[0].lease(), 0x1234);
    c.delete("k2", None).await.unwrap();
    assert!(c
        .lease_time_to_live(0x1234, keys)
        .await
        .unwrap()
        .keys()
        .is_empty());

    // Txn compares on a key's lease.
    let txn = Txn::new()
        .when([Compare::lease("k1", CompareOp::Equal, 0)])
        .and_then([TxnOp::put("k1", "x", with_lease(0x1234))]);
    assert!(c.txn(txn).await.unwrap().succeeded());
    let txn = Txn::new().when([Compare::lease("k1", CompareOp::Equal, 0x1234)]);
    assert!(c.txn(txn).await.unwrap().succeeded());

    let missing = c.lease_time_to_live(0x999, None).await.unwrap();
    assert_eq!(
        (missing.id(), missing.ttl(), missing.granted_ttl()),
        (0x999, -1, 0)
    );
}

#[tokio::test]
async fn lease_errors_and_limits_match_etcd() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let with_id = |id| Some(LeaseGrantOptions::new().with_id(id));
    c.lease_grant(10, with_id(7)).await.unwrap();
    let (code, message) = status(c.lease_grant(10, with_id(7)).await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (Code::FailedPrecondition, "etcdserver: lease already exists")
    );
    let (code, message) = status(c.lease_grant(9_000_000_001, None).await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (Code::OutOfRange, "etcdserver: too large lease TTL")
    );
    assert_eq!(
        c.lease_grant(9_000_000_000, None).await.unwrap().ttl(),
        9_000_000_000
    );
    // etcd raises a TTL below ceil(1.5 x election timeout) to that minimum.
    assert_eq!(c.lease_grant(1, None).await.unwrap().ttl(), 2);
    assert_eq!(c.lease_grant(-5, None).await.unwrap().ttl(), 2);

    let not_found = (
        Code::NotFound,
        "etcdserver: requested lease not found".to_string(),
    );
    assert_eq!(status(c.lease_revoke(999).await.unwrap_err()), not_found);
    assert_eq!(
        status(c.put("k", "v", with_lease(999)).await.unwrap_err()),
        not_found
    );
    let txn = Txn::new().and_then([TxnOp::put("k", "v", with_lease(999))]);
    assert_eq!(status(c.txn(txn).await.unwrap_err()), not_found);
    assert!(!exists(&mut c, "k").await);

    // A keep-alive for an unknown lease is answered with TTL 0 at once (which etcd-client
    // reports as an error).
    let reply = tokio::time::timeout(Duration::from_secs(2), c.lease_keep_alive(999))
        .await
        .expect("answered without waiting");
    assert!(
        matches!(reply, Err(etcd_client::Error::LeaseKeepAliveError(_))),
        "{reply:?}"
    );
}

#[tokio::test]
async fn leases_survive_a_restart_renewed_to_their_full_ttl() {
    let mut server = Server::start(&[]);
    let mut c = server.client().await;
    let lease = c.lease_grant(6, None).await.unwrap().id();
    c.put("survivor", "v", with_lease(lease)).await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    server.kill9();
    server.restart();
    let restarted = Instant::now();
    let mut c = server.client().await;
    let keys = Some(LeaseTimeToLiveOptions::new().with_keys());
    let ttl = c.lease_time_to_live(lease, keys).await.unwrap();
    assert_eq!(ttl.granted_ttl(), 6);
    assert!(
        ttl.ttl() >= 5,
        "renewed to its full TTL on restart, got {}",
        ttl.ttl()
    );
    assert_eq!(ttl.keys(), &[b"survivor".to_vec()]);
    // Without the renewal it would have expired 3 s after the restart.
    while restarted.elapsed() < Duration::from_millis(5500) {
        assert!(
            exists(&mut c, "survivor").await,
            "expired early after restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_gone(&mut c, "survivor", Duration::from_secs(4)).await;
}

#[tokio::test]
async fn checkpoints_keep_time_to_live_honest_across_restarts() {
    let mut server = Server::start(&["--experimental-lease-checkpoint-interval", "1s"]);
    let mut c = server.client().await;
    let lease = c.lease_grant(30, None).await.unwrap().id();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    server.kill9();
    server.restart();
    let mut c = server.client().await;
    let ttl = c.lease_time_to_live(lease, None).await.unwrap().ttl();
    assert!(
        (24..=28).contains(&ttl),
        "the checkpointed remainder (about 27 s, plus the election timeout) is kept, got {ttl}"
    );
    // A renewal clears the checkpoint: the next restart grants the full TTL again.
    let (mut keeper, mut replies) = c.lease_keep_alive(lease).await.unwrap();
    keeper.keep_alive().await.unwrap();
    assert_eq!(replies.message().await.unwrap().unwrap().ttl(), 30);
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop((keeper, replies));
    server.kill9();
    server.restart();
    let mut c = server.client().await;
    let ttl = c.lease_time_to_live(lease, None).await.unwrap().ttl();
    assert!(ttl >= 28, "full TTL after a renewal, got {ttl}");
}

#[tokio::test]
async fn many_leases_expiring_at_once_do_not_stall_writes() {
    // A few thousand keep CI fast; `MASS_LEASES=10000 MASS_TTL=20` runs the full size.
    let knob = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let leases_total = knob("MASS_LEASES", 3000);
    let ttl = knob("MASS_TTL", 8) as i64;
    let server = Server::start(&[]);
    let c = server.client().await;
    let began = Instant::now();
    // Leases from many concurrent grants (so raft batches them), keys by txns of 100 puts.
    let mut grants = tokio::task::JoinSet::new();
    for worker in 0..100 {
        let mut c = c.clone();
        grants.spawn(async move {
            let mut ids = Vec::new();
            for _ in (worker..leases_total).step_by(100) {
                ids.push(c.lease_grant(ttl, None).await.unwrap().id());
            }
            ids
        });
    }
    let mut ids = Vec::new();
    while let Some(done) = grants.join_next().await {
        ids.extend(done.unwrap());
    }
    let mut writer = c.clone();
    for (chunk, leases) in ids.chunks(100).enumerate() {
        let puts: Vec<TxnOp> = leases
            .iter()
            .enumerate()
            .map(|(n, id)| TxnOp::put(format!("mass/{chunk:03}/{n:03}"), "v", with_lease(*id)))
            .collect();
        writer.txn(Txn::new().and_then(puts)).await.unwrap();
    }
    let ready = Instant::now();
    assert!(
        ready - began < Duration::from_secs(ttl as u64 - 1),
        "setting up took {:?}: leases expired before the test began",
        ready - began
    );
    let mut c = c.clone();
    assert_eq!(count_prefix(&mut c, "mass/").await, leases_total as i64);

    let mut slowest = Duration::ZERO;
    let mut writes = 0;
    loop {
        let start = Instant::now();
        c.put("writer", format!("{writes}"), None).await.unwrap();
        slowest = slowest.max(start.elapsed());
        writes += 1;
        if writes % 10 == 0 && count_prefix(&mut c, "mass/").await == 0 {
            break;
        }
        assert!(
            ready.elapsed() < Duration::from_secs(ttl as u64 + 10),
            "leases still not all revoked"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    eprintln!(
        "{leases_total} leases revoked {:?} after they were set up; slowest of {writes} writes meanwhile: {slowest:?}",
        ready.elapsed()
    );
    assert!(
        slowest < Duration::from_secs(1),
        "a write took {slowest:?} during the mass expiry"
    );
    assert!(c.leases().await.unwrap().leases().is_empty());
}

#[tokio::test]
async fn lock_service_serialises_holders_and_reports_etcds_errors() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let first = c.lease_grant(30, None).await.unwrap().id();
    let second = c.lease_grant(30, None).await.unwrap().id();
    let held = c
        .lock("L", Some(LockOptions::new().with_lease(first)))
        .await
        .unwrap();
    assert_eq!(held.key(), format!("L/{first:x}").as_bytes());

    let mut c2 = c.clone();
    let waiter = tokio::spawn(async move {
        c2.lock("L", Some(LockOptions::new().with_lease(second)))
            .await
            .unwrap()
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiter.is_finished(), "two holders of one lock");
    c.unlock(held.key()).await.unwrap();
    let next = tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .expect("the waiter gets the lock once it is released")
        .unwrap();
    assert_eq!(next.key(), format!("L/{second:x}").as_bytes());

    let (code, message) = status(
        c.lock("M", Some(LockOptions::new().with_lease(999)))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code, message.as_str()),
        (Code::Unknown, "etcdserver: requested lease not found")
    );
}

#[tokio::test]
async fn election_campaign_proclaim_observe_resign() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let (code, message) = status(c.leader("e").await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (Code::Unknown, "election: no leader")
    );
    let l1 = c.lease_grant(30, None).await.unwrap().id();
    let l2 = c.lease_grant(30, None).await.unwrap().id();

    let first = c.campaign("e", "a", l1).await.unwrap();
    let leader1 = first.leader().unwrap().clone();
    assert_eq!(leader1.key(), format!("e/{l1:x}").as_bytes());
    assert_eq!(leader1.rev(), first.header().unwrap().revision());

    let mut observer = c.clone();
    let mut observed = observer.observe("e").await.unwrap();
    assert_eq!(next_value(&mut observed).await, b"a");

    let mut c2 = c.clone();
    let second = tokio::spawn(async move { c2.campaign("e", "b", l2).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!second.is_finished(), "two leaders at once");

    let proclaim = ProclaimOptions::new().with_leader(leader1.clone());
    c.proclaim("a2", Some(proclaim)).await.unwrap();
    assert_eq!(next_value(&mut observed).await, b"a2");
    let leader = c.leader("e").await.unwrap();
    assert_eq!(leader.kv().unwrap().value(), b"a2");

    c.resign(Some(ResignOptions::new().with_leader(leader1.clone())))
        .await
        .unwrap();
    let won = tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("the next candidate wins once the leader resigns")
        .unwrap();
    assert_eq!(next_value(&mut observed).await, b"b");
    let leader2 = won.leader().unwrap().clone();

    let stale = ProclaimOptions::new().with_leader(leader1);
    let (code, message) = status(c.proclaim("x", Some(stale)).await.unwrap_err());
    assert_eq!(
        (code, message.as_str()),
        (Code::Unknown, "election: not leader")
    );
    c.resign(Some(ResignOptions::new().with_leader(leader2)))
        .await
        .unwrap();
    let (_, message) = status(c.leader("e").await.unwrap_err());
    assert_eq!(message, "election: no leader");
}

async fn next_value(observed: &mut etcd_client::ObserveStream) -> Vec<u8> {
    let msg = tokio::time::timeout(Duration::from_secs(5), observed.message())
        .await
        .expect("observe delivers in time")
        .unwrap()
        .unwrap();
    msg.kv().unwrap().value().to_vec()
}

#[tokio::test]
async fn two_oxctl_locks_on_one_name_never_hold_it_at_once() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("order");
    let script = format!(
        "echo start $0 >> {log}; sleep 1; echo end $0 >> {log}",
        log = log.display()
    );
    let spawn = |who: &str| {
        Command::new(common::oxctl())
            .args(["--endpoints", &server.endpoint(), "lock", "shared", "--"])
            .args(["sh", "-c", &script, who])
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn oxctl lock")
    };
    let mut a = spawn("a");
    let mut b = spawn("b");
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let lines: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    for pair in lines.chunks(2) {
        let who = pair[0].strip_prefix("start ").expect("a start line");
        assert_eq!(
            pair[1],
            format!("end {who}"),
            "overlapping holders: {lines:?}"
        );
    }
    let mut c = server.client().await;
    assert_eq!(count_prefix(&mut c, "shared/").await, 0);
}

#[tokio::test]
async fn killing_the_lock_holder_releases_the_lock_when_its_lease_expires() {
    let server = Server::start(&[]);
    let endpoint = server.endpoint();
    let mut holder = Command::new(common::oxctl())
        .args(["--endpoints", &endpoint, "lock", "--ttl", "2", "held"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn the holder");
    // The holder prints the lock key once it holds the lock.
    let mut out = holder.stdout.take().unwrap();
    let mut first = [0u8; 5];
    std::io::Read::read_exact(&mut out, &mut first).expect("the holder prints its key");
    assert_eq!(&first, b"held/");

    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("got");
    let mut waiter = Command::new(common::oxctl())
        .args(["--endpoints", &endpoint, "lock", "held", "--", "touch"])
        .arg(&got)
        .spawn()
        .expect("spawn the waiter");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!got.exists(), "the waiter got a held lock");
    holder.kill().unwrap();
    holder.wait().unwrap();
    let killed = Instant::now();
    let status = tokio::task::spawn_blocking(move || waiter.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success());
    assert!(got.exists());
    let waited = killed.elapsed();
    assert!(
        waited <= Duration::from_secs(4),
        "released {waited:?} after the holder died (lease TTL 2 s)"
    );
}

/// The index of the member that leads, as the members report it.
async fn leader_of(members: &[Server], skip: Option<usize>) -> usize {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for (i, m) in members.iter().enumerate() {
            if Some(i) == skip {
                continue;
            }
            let Ok(mut c) = Client::connect([m.endpoint()], None).await else {
                continue;
            };
            let status = tokio::time::timeout(Duration::from_secs(2), c.status()).await;
            if let Ok(Ok(s)) = status {
                if s.header().map(|h| h.member_id()) == Some(s.leader()) {
                    return i;
                }
            }
        }
        assert!(Instant::now() < deadline, "no leader elected");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_forward_keep_alives_and_a_new_leader_never_expires_leases_early() {
    let mut members = Server::cluster(3, &[]);
    for m in &mut members {
        m.spawn();
    }
    for m in &mut members {
        m.wait_healthy(Duration::from_secs(30));
    }
    let leader = leader_of(&members, None).await;
    let follower = (leader + 1) % 3;
    let mut c = Client::connect([members[follower].endpoint()], None)
        .await
        .unwrap();
    let lease = c.lease_grant(4, None).await.unwrap().id();
    c.put("member/key", "v", with_lease(lease)).await.unwrap();

    // Kept alive through a follower for longer than its TTL.
    let (mut keeper, mut replies) = c.lease_keep_alive(lease).await.unwrap();
    let kept_since = Instant::now();
    while kept_since.elapsed() < Duration::from_secs(6) {
        keeper.keep_alive().await.unwrap();
        let reply = replies.message().await.unwrap().unwrap();
        assert_eq!(reply.ttl(), 4);
        assert!(exists(&mut c, "member/key").await);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    // A follower answers TimeToLive with the leader's deadline.
    let ttl = c.lease_time_to_live(lease, None).await.unwrap();
    assert_eq!(ttl.granted_ttl(), 4);
    assert!((2..=4).contains(&ttl.ttl()), "{}", ttl.ttl());
    drop((keeper, replies));

    // The leader dies; the new one renews every lease to its full TTL when it takes over.
    members[leader].kill9();
    let new_leader = leader_of(&members, Some(leader)).await;
    let elected = Instant::now();
    let mut c = Client::connect([members[new_leader].endpoint()], None)
        .await
        .unwrap();
    while elected.elapsed() < Duration::from_secs(3) {
        assert!(
            exists(&mut c, "member/key").await,
            "the lease expired early after a leader change"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_gone(&mut c, "member/key", Duration::from_secs(6)).await;
}
