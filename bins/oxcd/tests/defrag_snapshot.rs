//! Defragmentation of the leader while it sends a snapshot: a follower of a 3-member cluster is
//! killed, the leader compacts its log far past it (a small `--snapshot-count`), and once the
//! follower is back the leader must send it a snapshot of its backend. The follower's peer link
//! is slowed (a proxy carrying each connection into it at a fixed rate), so that the transfer
//! takes seconds, and `etcdctl defrag` runs against the leader over and over meanwhile, while a
//! client keeps writing through the third member. The test proves from the members' logs and
//! its own clock that a defragmentation of the leader began its copy after the leader started
//! the transfer and before the follower had received all of it, and that writes were
//! acknowledged in between; then that the follower caught up: it reaches the leader's revision,
//! the three members' HashKV agree, it serves every acknowledged put with its value, and the
//! cluster kept a leader and took writes throughout (leader changes, read from
//! `etcd_server_leader_changes_seen_total`, are reported).

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::etcd::etcdctl_outcome;
use common::etcd_bins::tools_present;
use common::logs::{events, millis, now_millis};
use common::members::{
    self, connect, current_revision, hash_kv_at, metric, start_all, status, wait_all_hold,
    wait_for_leader,
};
use common::proxy::proxied_cluster;

/// Puts written while the follower is down (at `VALUE_BYTES` each, a backend of over 6 MB).
const KEYS: usize = 3000;
const VALUE_BYTES: usize = 2048;
/// The follower's slowed peer link: the snapshot takes seconds to cross it.
const LINK_BYTES_PER_SECOND: u64 = 2_000_000;
const LEADER_CHANGES: &str = "etcd_server_leader_changes_seen_total";

/// One `etcdctl defrag` against the leader: when it was started and when it answered (test
/// clock, ms since the epoch), and its outcome.
#[derive(Debug)]
struct Defrag {
    started: u64,
    ended: u64,
    code: i32,
    out: String,
}

/// What the writer saw: acknowledged puts (key → revision) and when each was acknowledged.
#[derive(Default)]
struct Writes {
    acked: BTreeMap<String, i64>,
    acked_at: Vec<u64>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defragmenting_the_leader_while_it_sends_a_snapshot_loses_nothing() {
    if !tools_present() {
        return;
    }
    let test_started = Instant::now();
    let (mut members, proxies) = proxied_cluster(
        3,
        &[
            "--snapshot-count",
            "500",
            "--snapshot-catchup-entries",
            "1000",
            "--log-level",
            "info",
        ],
    );
    start_all(&mut members);
    let (leader, view) = wait_for_leader(&members, &[], Duration::from_secs(10)).await;
    let (follower, other) = ((leader + 1) % 3, (leader + 2) % 3);
    let follower_id = status(&members[follower])
        .await
        .expect("the follower answers Status")
        .member;
    let changes_before = [leader, other].map(|i| metric(&members[i], LEADER_CHANGES));

    // The follower goes down; the leader takes KEYS puts, eight at a time, compacting its log
    // far past the follower's last entry.
    members[follower].kill9();
    let writes = Arc::new(Mutex::new(Writes::default()));
    let value = vec![b'v'; VALUE_BYTES];
    let mut fillers = Vec::new();
    for w in 0..8 {
        let (writes, value) = (writes.clone(), value.clone());
        let mut c = connect(&members[leader]).await;
        fillers.push(tokio::spawn(async move {
            for i in (w..KEYS).step_by(8) {
                let key = format!("k/fill/{i:05}");
                let put = c.put(key.clone(), value.clone(), None).await;
                let rev = put
                    .expect("put while the follower is down")
                    .header()
                    .expect("header")
                    .revision();
                writes.lock().expect("writes").acked.insert(key, rev);
            }
        }));
    }
    for f in fillers {
        f.await.expect("filler");
    }
    let filled = test_started.elapsed();

    // From now on: the follower's link is slow, the leader is defragmented over and over, a
    // client writes through the third member, and leadership is watched.
    proxies[follower].throttle(Some(LINK_BYTES_PER_SECOND));
    let stop = Arc::new(AtomicBool::new(false));
    let defrags: Arc<Mutex<Vec<Defrag>>> = Arc::default();
    let defragger = {
        let (stop, defrags) = (stop.clone(), defrags.clone());
        let port = members[leader].client_port;
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let started = now_millis();
                // The copy runs at low CPU and I/O priority: on a busy machine it may take
                // longer than etcdctl's default 5 s, which is not what this test is about.
                let (code, out) = etcdctl_outcome(port, &["--command-timeout=60s", "defrag"], b"");
                let ended = now_millis();
                defrags.lock().expect("defrags").push(Defrag {
                    started,
                    ended,
                    code,
                    out,
                });
            }
        })
    };
    let writer = {
        let (stop, writes) = (stop.clone(), writes.clone());
        let mut c = connect(&members[other]).await;
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let key = format!("k/live/{i:06}");
                i += 1;
                let put = tokio::time::timeout(
                    Duration::from_secs(3),
                    c.put(key.clone(), "during the transfer", None),
                )
                .await;
                if let Ok(Ok(resp)) = put {
                    let rev = resp.header().expect("header").revision();
                    let mut w = writes.lock().expect("writes");
                    w.acked.insert(key, rev);
                    w.acked_at.push(now_millis());
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    // The longest time neither the leader nor the third member knew a leader, and every
    // (leader, term) they reported.
    let watcher = {
        let stop = stop.clone();
        let watched = [leader, other].map(|i| members[i].endpoint());
        tokio::spawn(async move {
            let mut leaderless_since: Option<Instant> = None;
            let mut longest = Duration::ZERO;
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                let mut known = false;
                for endpoint in &watched {
                    if let Some(v) = status_of(endpoint).await {
                        if v.0 != 0 {
                            known = true;
                            seen.insert(v);
                        }
                    }
                }
                match (known, leaderless_since) {
                    (true, Some(since)) => {
                        longest = longest.max(since.elapsed());
                        leaderless_since = None;
                    }
                    (false, None) => leaderless_since = Some(Instant::now()),
                    _ => {}
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if let Some(since) = leaderless_since {
                longest = longest.max(since.elapsed());
            }
            (longest, seen)
        })
    };

    let restarted = now_millis();
    members[follower].spawn();
    members[follower].wait_live(Duration::from_secs(30));
    let deadline = Instant::now() + Duration::from_secs(60);
    while events(&members[follower].log(), "installed snapshot from leader").is_empty() {
        assert!(
            Instant::now() < deadline,
            "the follower never installed a snapshot:\n{}",
            members[follower].log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let installed = test_started.elapsed();
    // A little more of both after the install, then stop them.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    defragger.join().expect("defragger");
    writer.await.expect("writer");
    let (leaderless, seen) = watcher.await.expect("watcher");

    // The transfers: each snapshot the follower received, from the leader's start of the
    // transfer at that index (its latest before the receipt) to the follower's receipt.
    let leader_log = members[leader].log();
    let follower_log = members[follower].log();
    let to = format!("{follower_id:x}");
    let sends: Vec<(u64, u64)> = events(&leader_log, "sending snapshot")
        .iter()
        .filter(|e| e["to"] == to.as_str())
        .map(|e| (e["index"].as_u64().expect("index"), millis(e)))
        .collect();
    let transfers: Vec<(u64, u64, u64, u64)> = events(&follower_log, "received snapshot")
        .iter()
        .map(|e| {
            let (index, received) = (e["index"].as_u64().expect("index"), millis(e));
            let sent = sends
                .iter()
                .filter(|(i, at)| *i == index && *at <= received)
                .map(|(_, at)| *at)
                .max()
                .unwrap_or_else(|| {
                    panic!(
                        "no transfer of the snapshot at {index} in the leader's log:\n{leader_log}"
                    )
                });
            (index, sent, received, e["bytes"].as_u64().unwrap_or(0))
        })
        .collect();
    assert!(
        !transfers.is_empty(),
        "the follower received no snapshot:\n{follower_log}"
    );
    for &(_, sent, _, _) in &transfers {
        assert!(
            restarted.saturating_sub(2000) <= sent && sent <= now_millis(),
            "the leader's log time {sent} is not on the test's clock (restart at {restarted})"
        );
    }

    let defrags = std::mem::take(&mut *defrags.lock().expect("defrags"));
    let failed: Vec<&Defrag> = defrags
        .iter()
        .filter(|d| d.code != 0 || !d.out.contains("Finished defragmenting"))
        .collect();
    assert!(
        failed.is_empty(),
        "defrags of the leader failed: {failed:#?}"
    );
    // When each defrag's copy began on the leader: after etcdctl started, and at the latest
    // `copy_ms` before the leader logged its end, which falls within the etcdctl call (every
    // time is truncated to the millisecond, hence the strict comparisons below).
    let finished = events(&leader_log, "defragmented the backend");
    // What each defrag made of the leader's backend (bytes, copy ms, writes held ms), reported.
    let field = |e: &serde_json::Value, name: &str| e[name].as_u64().unwrap_or_default();
    let defragmented: Vec<(u64, u64, u64)> = finished
        .iter()
        .map(|e| {
            let (size, copy) = (field(e, "size"), field(e, "copy_ms"));
            (size, copy, field(e, "writes_held_ms"))
        })
        .collect();
    // The calls run one after another, so the n-th defrag the leader logged is the n-th call's.
    // (Matching by time alone failed once: a call's end, the log of its defrag and the next
    // call's start all fell in one millisecond.)
    assert_eq!(
        finished.len(),
        defrags.len(),
        "one logged defrag per etcdctl defrag: {finished:?}"
    );
    let copy_began: Vec<(u64, u64)> = defrags
        .iter()
        .zip(&finished)
        .map(|(d, logged)| {
            assert!(
                (d.started..=d.ended).contains(&millis(logged)),
                "the leader's log of the defrag answered between {} and {}: {logged:?}",
                d.started,
                d.ended
            );
            let copy_ms = logged["copy_ms"].as_u64().expect("copy_ms");
            (d.started, millis(logged) - copy_ms)
        })
        .collect();
    // A defrag whose copy began while a snapshot was in flight: after the leader logged the
    // transfer's start, before the follower logged its receipt of the whole file.
    let began_inside = copy_began
        .iter()
        .filter(|&&(after, before)| {
            transfers
                .iter()
                .any(|&(_, sent, received, _)| after > sent && before < received)
        })
        .count();
    assert!(
        began_inside > 0,
        "no defrag began while a snapshot was in flight: transfers (index, sent, received, \
         bytes) {transfers:?}, defrags {defrags:#?}, their copies began in {copy_began:?}"
    );
    // Those that ran from start to end inside a transfer, for the report.
    let wholly_inside = defrags
        .iter()
        .filter(|d| {
            transfers
                .iter()
                .any(|&(_, sent, received, _)| d.started > sent && d.ended < received)
        })
        .count();
    let writes = std::mem::take(&mut *writes.lock().expect("writes"));
    // The longest the client writing through the third member waited between acknowledgements.
    let write_gap = writes
        .acked_at
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or(0);
    let written_during = writes
        .acked_at
        .iter()
        .filter(|&&at| transfers.iter().any(|&(_, s, r, _)| s < at && at < r))
        .count();
    assert!(
        written_during > 0,
        "no write was acknowledged while the snapshot was in flight"
    );

    // The follower caught up: the leader's revision, the same HashKV, every acknowledged put.
    let rev = current_revision(&members[leader]).await;
    let hashes = hash_kv_at(&members, rev, Duration::from_secs(30)).await;
    assert!(
        hashes.windows(2).all(|w| w[0] == w[1]),
        "members diverged at revision {rev}: {hashes:?}\nfollower's log:\n{follower_log}"
    );
    wait_all_hold(
        std::slice::from_ref(&members[follower]),
        "k/",
        &writes.acked,
        Duration::from_secs(20),
    )
    .await;
    let values = local_values(&members[follower], "k/").await;
    for key in writes.acked.keys() {
        let expected: &[u8] = if key.starts_with("k/fill/") {
            &value
        } else {
            b"during the transfer"
        };
        assert!(
            values.get(key).is_some_and(|v| v == expected),
            "the follower serves {key} with {} bytes, not the acknowledged value",
            values.get(key).map_or(0, Vec::len)
        );
    }

    // The cluster kept its leader.
    let changes_after = [leader, other].map(|i| metric(&members[i], LEADER_CHANGES));
    let still = members::leader_among(&members, &[]).await;
    println!(
        "filled {KEYS} keys in {filled:?}; snapshot installed at {installed:?}; transfers \
         (index, sent, received, bytes): {transfers:?}; the leader's defrags (backend bytes, copy ms, \
         writes held ms): {defragmented:?}; {} defrags of the leader, {began_inside} \
         began and {wholly_inside} ran wholly inside a transfer; {} writes acknowledged during it; leader changes seen by the \
         leader and the third member: {changes_before:?} -> {changes_after:?}; (leader, term) \
         seen: {seen:?}; leader at the end: {still:?} (was member {leader} at term {}); longest \
         without a leader: {leaderless:?}; longest between two acknowledged writes: {write_gap} ms; \
         took {:?}",
        defrags.len(),
        written_during,
        view.term,
        test_started.elapsed()
    );
    // An election takes a second or two: a defragmentation must not cost one, nor stop writes
    // for longer than one would.
    assert!(
        leaderless < Duration::from_secs(3),
        "the cluster had no leader for {leaderless:?}"
    );
    assert!(
        write_gap < 3000,
        "writes through the third member stopped for {write_gap} ms"
    );
}

/// Every key under `prefix` with its value, as member `m` serves them locally (serializable),
/// read a page at a time so that no answer exceeds the client's message size.
async fn local_values(m: &common::Server, prefix: &str) -> BTreeMap<String, Vec<u8>> {
    use etcd_client::GetOptions;
    let mut c = connect(m).await;
    let end = format!("{}0", prefix.trim_end_matches('/'));
    let mut from = prefix.to_string();
    let mut values = BTreeMap::new();
    loop {
        let opts = GetOptions::new()
            .with_range(end.clone())
            .with_limit(500)
            .with_serializable();
        let page = c.get(from.clone(), Some(opts)).await.expect("range");
        for kv in page.kvs() {
            values.insert(
                String::from_utf8_lossy(kv.key()).into_owned(),
                kv.value().to_vec(),
            );
        }
        match page.kvs().last() {
            Some(last) if page.more() => {
                from = format!("{}\0", String::from_utf8_lossy(last.key()));
            }
            _ => return values,
        }
    }
}

/// (leader, term) as the member at `endpoint` reports them, or None if it does not answer.
async fn status_of(endpoint: &str) -> Option<(u64, u64)> {
    tokio::time::timeout(Duration::from_secs(3), async {
        let mut c = etcd_client::Client::connect([endpoint], None).await.ok()?;
        let s = c.status().await.ok()?;
        Some((s.leader(), s.raft_term()))
    })
    .await
    .ok()
    .flatten()
}
