//! A member killed in the middle of installing a snapshot from the leader, at each crash point
//! of the install (`OXCD_FAILPOINTS`), restarts, finishes the install and converges, although
//! its log held entries of an old term that the rest of the cluster never had: an old leader
//! that kept taking writes after its followers died comes back far behind a log compacted past
//! it.
//!
//! The install records the snapshot in the WAL before it replaces the backend. In the other
//! order, a crash between the two left a backend ahead of the WAL, and the next start took the
//! old leader's stale entries up to the backend's index as committed and handed them to raft
//! again (issue 14's first finding). This test passes on that order too: its stale entries are
//! plain writes the applier skips, and the harm needs a stale conf change among them or a
//! leader's append below the raised commit index, which it does not arrange.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::members::{
    connect, current_revision, hash_kv_at, local_keys, start_all, wait_all_hold, wait_for_leader,
};
use common::Server;

/// Snapshots every 100 entries, keeping 10 behind them: a member that misses a few hundred
/// entries can only catch up from a snapshot.
const ARGS: &[&str] = &[
    "--snapshot-count",
    "100",
    "--snapshot-catchup-entries",
    "10",
];

/// Writes the lone leader accepts (never committed) and the majority commits later.
/// The lone leader's writes come on several connections, since a server takes so many streams
/// of one at a time; all of them stay in its log, past the index of the snapshot it is sent.
const STALE_CONNECTIONS: usize = 4;
const STALE_WRITES: usize = 600;
const MAJORITY_WRITES: usize = 150;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_inside_a_snapshot_install_is_finished_at_restart() {
    for point in [
        "snapshot-install-after-wal-mark",
        "snapshot-install-after-restore",
    ] {
        crash_during_install(point).await;
    }
}

async fn crash_during_install(point: &str) {
    let mut members = Server::cluster(3, ARGS);
    start_all(&mut members);
    let (old, _) = wait_for_leader(&members, &[], Duration::from_secs(10)).await;
    let mut to_old = connect(&members[old]).await;
    to_old.put("before", "cut", None).await.expect("put");

    // Its followers dead, the leader still appends (and fsyncs) what it is asked to write until
    // it steps down; none of it reaches anyone else.
    let others: Vec<usize> = (0..3).filter(|i| *i != old).collect();
    for &i in &others {
        members[i].kill9();
    }
    let mut connections = Vec::new();
    for _ in 0..STALE_CONNECTIONS {
        connections.push(connect(&members[old]).await);
    }
    let stale: Vec<_> = (0..STALE_WRITES)
        .map(|i| {
            let mut c = connections[i % STALE_CONNECTIONS].clone();
            tokio::spawn(async move {
                let put = c.put(format!("stale/{i:04}"), "x", None);
                tokio::time::timeout(Duration::from_secs(10), put).await
            })
        })
        .collect();
    for write in stale {
        let answer = write.await.expect("task");
        assert!(
            !matches!(answer, Ok(Ok(_))),
            "a write to the lone leader was acknowledged"
        );
    }
    members[old].kill9();

    // The other two elect a leader and write past a snapshot, compacting their log beyond
    // the old leader's.
    for &i in &others {
        members[i].spawn();
    }
    let (new, _) = wait_for_leader(&members, &[old], Duration::from_secs(15)).await;
    let mut to_new = connect(&members[new]).await;
    let mut acked = BTreeMap::new();
    for i in 0..MAJORITY_WRITES {
        let key = format!("k/{i:04}");
        let put = to_new.put(key.clone(), "v", None).await.expect("put");
        acked.insert(key, put.header().expect("header").revision());
    }

    // Writes go on meanwhile, so the backend a snapshot carries runs ahead of the snapshot's
    // index.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, mut c) = (stop.clone(), to_new.clone());
        tokio::spawn(async move {
            let mut acked = BTreeMap::new();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let key = format!("k/during-{i:05}");
                if let Ok(put) = c.put(key.clone(), "v", None).await {
                    acked.insert(key, put.header().expect("header").revision());
                }
                i += 1;
            }
            acked
        })
    };

    // Restarted with the crash point armed, it is sent a snapshot and dies inside the install.
    members[old].env = vec![("OXCD_FAILPOINTS".to_string(), point.to_string())];
    members[old].spawn();
    let crashed = members[old].wait_exit(Duration::from_secs(60));
    assert!(
        crashed.is_some_and(|status| !status.success()),
        "{point}: the member did not stop inside the install ({crashed:?})\n{}",
        members[old].log()
    );
    assert!(
        members[old]
            .log()
            .contains(&format!("crash point {point} reached")),
        "{}",
        members[old].log()
    );

    // Restarted as it is, it serves every acknowledged write, none of the stale ones, and the
    // same history as the others.
    members[old].env.clear();
    members[old].restart();
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    acked.extend(writer.await.expect("writer"));
    // And it follows the log from there on.
    for i in 0..20 {
        let key = format!("k/after-{i:02}");
        let put = to_new.put(key.clone(), "v", None).await.expect("put");
        acked.insert(key, put.header().expect("header").revision());
    }
    wait_all_hold(&members, "k/", &acked, Duration::from_secs(30)).await;
    for m in &members {
        let mut c = connect(m).await;
        let stale = local_keys(&mut c, "stale/").await.expect("local read");
        assert!(
            stale.is_empty(),
            "{point}: member {} holds {} writes that were never acknowledged",
            m.name,
            stale.len()
        );
    }
    let revision = current_revision(&members[new]).await;
    let hashes = hash_kv_at(&members, revision, Duration::from_secs(30)).await;
    assert!(
        hashes.windows(2).all(|w| w[0] == w[1]),
        "{point}: members disagree at revision {revision}: {hashes:x?}"
    );
    assert!(
        members[old].log().contains("finishing a snapshot install")
            || point == "snapshot-install-after-restore",
        "{point}: the restart did not finish the install\n{}",
        members[old].log()
    );
}
