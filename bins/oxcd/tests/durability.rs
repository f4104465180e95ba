//! Crash safety with real processes: acknowledged writes survive `kill -9` at any moment, a
//! graceful stop dies by its signal, a torn WAL tail is repaired and corruption is reported.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::Server;
use etcd_client::GetOptions;

/// Key, value, create and mod revision, version and lease of one key.
type KvFields = (Vec<u8>, Vec<u8>, i64, i64, i64, i64);

/// Every field of every key in a range response, comparable.
fn snapshot_of(resp: &etcd_client::GetResponse) -> Vec<KvFields> {
    resp.kvs()
        .iter()
        .map(|kv| {
            (
                kv.key().to_vec(),
                kv.value().to_vec(),
                kv.create_revision(),
                kv.mod_revision(),
                kv.version(),
                kv.lease(),
            )
        })
        .collect()
}

fn pseudo_random(max: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    nanos
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        % max
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_in_a_loop() {
    const ROUNDS: usize = 5;
    const WRITERS: usize = 16;
    let mut server = Server::start(&["--snapshot-count", "300"]);
    // key -> (value, revision) for every write the server acknowledged
    let acked: Arc<Mutex<BTreeMap<String, (String, i64)>>> = Arc::default();
    for round in 0..ROUNDS {
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let endpoint = server.endpoint();
            let acked = acked.clone();
            tasks.push(tokio::spawn(async move {
                let Ok(mut c) = etcd_client::Client::connect([endpoint], None).await else {
                    return;
                };
                for i in 0..100_000 {
                    let key = format!("r{round}/w{w}/{i:06}");
                    let value = format!("value-{round}-{w}-{i}");
                    match tokio::time::timeout(
                        Duration::from_secs(3),
                        c.put(key.clone(), value.clone(), None),
                    )
                    .await
                    {
                        Ok(Ok(resp)) => {
                            let rev = resp.header().expect("header").revision();
                            acked.lock().unwrap().insert(key, (value, rev));
                        }
                        _ => return,
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(300 + pseudo_random(700))).await;
        server.kill9();
        for t in tasks {
            let _ = t.await;
        }
        server.restart();
        let mut c = server.client().await;
        let acked = acked.lock().unwrap().clone();
        assert!(
            !acked.is_empty(),
            "round {round}: some writes must have been acknowledged"
        );
        let all = c
            .get("r", Some(GetOptions::new().with_prefix()))
            .await
            .unwrap();
        let stored: BTreeMap<String, (String, i64)> = all
            .kvs()
            .iter()
            .map(|kv| {
                (
                    kv.key_str().unwrap().to_string(),
                    (kv.value_str().unwrap().to_string(), kv.mod_revision()),
                )
            })
            .collect();
        for (key, (value, rev)) in &acked {
            assert_eq!(
                stored.get(key),
                Some(&(value.clone(), *rev)),
                "round {round}: acknowledged {key} lost or changed"
            );
        }
        let max_acked = acked.values().map(|(_, r)| *r).max().unwrap();
        assert!(all.header().unwrap().revision() >= max_acked);
    }
}

#[tokio::test]
async fn graceful_stop_dies_by_the_signal_and_restart_keeps_everything() {
    let mut server = Server::start(&[]);
    let mut c = server.client().await;
    for i in 0..50 {
        c.put(format!("k{i:02}"), format!("v{i}"), None)
            .await
            .unwrap();
    }
    c.delete("k00", None).await.unwrap();
    let before = c
        .get("k", Some(GetOptions::new().with_prefix()))
        .await
        .unwrap();
    let status = server.stop_with(libc::SIGTERM);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        status.signal(),
        Some(libc::SIGTERM),
        "oxcd dies by the signal it received, as etcd does"
    );
    server.restart();
    let mut c = server.client().await;
    let after = c
        .get("k", Some(GetOptions::new().with_prefix()))
        .await
        .unwrap();
    assert_eq!(
        after.header().unwrap().revision(),
        before.header().unwrap().revision()
    );
    assert_eq!(snapshot_of(&after), snapshot_of(&before));
    let next = c.put("k99", "x", None).await.unwrap();
    assert_eq!(
        next.header().unwrap().revision(),
        before.header().unwrap().revision() + 1
    );
}

#[tokio::test]
async fn snapshots_truncate_nothing_needed_and_restart_replays() {
    let mut server = Server::start(&["--snapshot-count", "50"]);
    let mut c = server.client().await;
    for i in 0..400 {
        c.put(format!("s{}", i % 37), format!("v{i}"), None)
            .await
            .unwrap();
    }
    let before = c
        .get("s", Some(GetOptions::new().with_prefix()))
        .await
        .unwrap();
    server.kill9();
    server.restart();
    let mut c = server.client().await;
    let after = c
        .get("s", Some(GetOptions::new().with_prefix()))
        .await
        .unwrap();
    assert_eq!(snapshot_of(&after), snapshot_of(&before));
    assert_eq!(after.header().unwrap().revision(), 401);
}

#[tokio::test]
async fn torn_wal_tail_is_truncated_on_restart() {
    let mut server = Server::start(&[]);
    let mut c = server.client().await;
    for i in 0..20 {
        c.put(format!("t{i}"), "v", None).await.unwrap();
    }
    server.kill9();
    // A crash in the middle of a write leaves a partial record at the end of the last segment.
    let last = common::wal_files(&server.data_dir())
        .pop()
        .expect("a WAL segment");
    // Past the last non-zero byte with a margin: the final record may itself end in zero bytes.
    let at = used_length(&last) + 64;
    let mut bytes = std::fs::read(&last).unwrap();
    let torn = [0xffu8, 0x0f, 0, 0, 0x02, 0x34, 0x56, 0x78, 1, 2, 3];
    if bytes.len() < at + torn.len() {
        bytes.resize(at + torn.len(), 0);
    }
    bytes[at..at + torn.len()].copy_from_slice(&torn);
    std::fs::write(&last, bytes).unwrap();
    server.restart();
    let mut c = server.client().await;
    assert_eq!(
        c.get("t", Some(GetOptions::new().with_prefix().with_count_only()))
            .await
            .unwrap()
            .count(),
        20
    );
    c.put("after", "ok", None).await.unwrap();
}

/// The length of a segment up to its zero-filled (preallocated) tail.
fn used_length(path: &std::path::Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    bytes.iter().rposition(|b| *b != 0).map_or(0, |p| p + 1)
}

#[tokio::test]
async fn corrupt_wal_record_stops_the_server_naming_the_file() {
    let mut server = Server::start(&[]);
    let mut c = server.client().await;
    c.put("marker", "CORRUPT-ME-PLEASE", None).await.unwrap();
    for i in 0..20 {
        c.put(format!("after{i}"), "v", None).await.unwrap();
    }
    server.kill9();
    let segment = common::wal_files(&server.data_dir())
        .pop()
        .expect("a WAL segment");
    let mut bytes = std::fs::read(&segment).unwrap();
    let at = bytes
        .windows(17)
        .position(|w| w == b"CORRUPT-ME-PLEASE")
        .expect("marker value in the WAL");
    bytes[at + 3] ^= 0x55;
    std::fs::write(&segment, bytes).unwrap();
    server.spawn();
    let status = server
        .wait_exit(Duration::from_secs(20))
        .expect("oxcd must refuse to start");
    assert!(!status.success());
    let log = server.log();
    assert!(
        log.contains(&segment.display().to_string()),
        "the error names the file:\n{log}"
    );
}

#[tokio::test]
async fn corrupt_backend_stops_the_server_naming_the_file() {
    let mut server = Server::start(&[]);
    let mut c = server.client().await;
    c.put("k", "v", None).await.unwrap();
    server.kill9();
    let db = server.data_dir().join("member/snap/db");
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(64) {
        *b = 0xAB;
    }
    std::fs::write(&db, bytes).unwrap();
    server.spawn();
    let status = server
        .wait_exit(Duration::from_secs(20))
        .expect("oxcd must refuse to start");
    assert!(!status.success());
    let log = server.log();
    assert!(
        log.contains(&db.display().to_string()),
        "the error names the file:\n{log}"
    );
}

#[test]
fn unknown_flags_and_bad_values_are_refused() {
    for args in [
        &["--no-such-flag"][..],
        &["--snapshot-count", "lots"],
        &["--listen-client-urls", "ftp://h:1"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_oxcd"))
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} must be refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("error"), "{args:?}: {stderr}");
    }
}
