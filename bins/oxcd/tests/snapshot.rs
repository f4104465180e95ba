//! Snapshots in etcd's own format, both ways, with the real etcd 3.4 and etcdctl: etcd's snapshot
//! restored into oxcd (the library call `oxutl snapshot restore` makes), and oxcd's snapshot
//! (`etcdctl snapshot save` against oxcd) restored by `etcdctl snapshot restore` into an etcd
//! that serves the same keys, revisions, history bounds, leases, users and roles.

mod common;

use std::path::Path;
use std::process::Command;

use common::etcd::Etcd;
use common::etcd_bins::{tools_present, ETCDCTL};
use common::{free_port, Server};
use oxcd_server::member::restore::{restore_snapshot, RestoreOptions};

fn ctl(port: u16, args: &[&str]) -> std::process::Output {
    Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", &format!("127.0.0.1:{port}")])
        .args(args)
        .output()
        .expect("run etcdctl")
}

fn ok(port: u16, args: &[&str]) -> String {
    let out = ctl(port, args);
    assert!(
        out.status.success(),
        "etcdctl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Keys with history, a deletion, a compaction, a lease with a key, users and roles.
fn write_history(port: u16) {
    for i in 0..5 {
        ok(port, &["put", &format!("k{i}"), &format!("v{i}")]);
    }
    ok(port, &["put", "k1", "v1-again"]);
    ok(port, &["del", "k2"]);
    ok(port, &["compaction", "4"]);
    let grant = ok(port, &["lease", "grant", "600"]);
    let lease = grant
        .split_whitespace()
        .nth(1)
        .expect("lease id")
        .to_string();
    ok(port, &["put", "leased", "x", &format!("--lease={lease}")]);
    ok(port, &["user", "add", "root:rootpw"]);
    ok(port, &["role", "add", "reader"]);
    ok(
        port,
        &["role", "grant-permission", "reader", "read", "k", "l"],
    );
    ok(port, &["user", "add", "alice:pw"]);
    ok(port, &["user", "grant-role", "alice", "reader"]);
}

/// What a client sees of the data: every key with its revisions and lease, the revision, what
/// compaction left, the leases, users and roles.
fn observed(port: u16) -> String {
    let got: serde_json::Value =
        serde_json::from_str(&ok(port, &["get", "--prefix", "", "-w", "json"])).expect("json");
    let kvs: Vec<String> = got["kvs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|kv| {
            format!(
                "{} {} {} {} {} {}",
                kv["key"],
                kv["value"],
                kv["create_revision"],
                kv["mod_revision"],
                kv["version"],
                kv["lease"]
            )
        })
        .collect();
    let compacted = String::from_utf8_lossy(&ctl(port, &["get", "k1", "--rev=3"]).stderr)
        .lines()
        .filter(|l| l.starts_with("Error:"))
        .collect::<Vec<_>>()
        .join("");
    let old = ok(port, &["get", "k1", "--rev=5"]);
    format!(
        "revision {}\n{}\n{compacted}\nat 5: {old}leases: {}users: {}{}",
        got["header"]["revision"],
        kvs.join("\n"),
        ok(port, &["lease", "list"]),
        ok(port, &["user", "list"]),
        ok(port, &["role", "get", "reader"]),
    )
}

fn save(port: u16, file: &Path) {
    let out = ok(
        port,
        &["snapshot", "save", file.to_str().expect("utf-8 path")],
    );
    assert!(out.contains("Snapshot saved at"), "{out}");
}

fn restore_options(snapshot: &Path, server: &Server) -> RestoreOptions {
    let peer = server.advertised_peer_url();
    RestoreOptions {
        snapshot: snapshot.to_path_buf(),
        name: server.name.clone(),
        data_dir: server.data_dir(),
        wal_dir: None,
        initial_cluster: format!("{}={peer}", server.name),
        initial_cluster_token: "etcd-cluster".to_string(),
        initial_advertise_peer_urls: peer,
        skip_hash_check: false,
        mark_compacted: false,
        bump_revision: 0,
    }
}

#[test]
fn an_etcd_snapshot_restores_into_oxcd() {
    if !tools_present() {
        return;
    }
    let etcd = Etcd::start(&[]);
    write_history(etcd.client_port);
    let expected = observed(etcd.client_port);
    let files = tempfile::tempdir().expect("temp dir");
    let snapshot = files.path().join("etcd.db");
    save(etcd.client_port, &snapshot);

    let mut oxcd = Server::single(&[]);
    let summary =
        restore_snapshot(&restore_options(&snapshot, &oxcd), &mut |_, _| {}).expect("restore");
    assert!(summary.keys > 0);
    oxcd.restart();
    assert_eq!(observed(oxcd.client_port), expected);
    // It is a working member: writes go on from the restored revision.
    ok(oxcd.client_port, &["put", "after", "restore"]);
    assert!(observed(oxcd.client_port).starts_with(&format!("revision {}", summary.revision + 1)));
}

#[test]
fn an_oxcd_snapshot_restores_into_etcd() {
    if !tools_present() {
        return;
    }
    let oxcd = Server::start(&[]);
    write_history(oxcd.client_port);
    let expected = observed(oxcd.client_port);
    let files = tempfile::tempdir().expect("temp dir");
    let snapshot = files.path().join("oxcd.db");
    save(oxcd.client_port, &snapshot);
    let status = ok(
        0,
        &[
            "snapshot",
            "status",
            snapshot.to_str().unwrap(),
            "-w",
            "json",
        ],
    );
    let status: serde_json::Value = serde_json::from_str(&status).expect("status json");
    assert_eq!(status["revision"], 9, "{status}");

    let peer_port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("restored");
    let peer = format!("http://127.0.0.1:{peer_port}");
    let restored = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args([
            "snapshot",
            "restore",
            snapshot.to_str().unwrap(),
            "--name",
            "e1",
        ])
        .args(["--data-dir", data.to_str().unwrap()])
        .args(["--initial-cluster", &format!("e1={peer}")])
        .args(["--initial-advertise-peer-urls", &peer])
        .output()
        .expect("etcdctl snapshot restore");
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let etcd = Etcd::start_on(dir, &data, "e1", peer_port, &[]);
    assert_eq!(observed(etcd.client_port), expected);
}

#[test]
fn bad_snapshots_and_occupied_data_dirs_are_refused_and_change_nothing() {
    if !tools_present() {
        return;
    }
    let oxcd = Server::start(&[]);
    ok(oxcd.client_port, &["put", "k", "v"]);
    let files = tempfile::tempdir().expect("temp dir");
    let good = files.path().join("good.db");
    save(oxcd.client_port, &good);
    let bytes = std::fs::read(&good).expect("read snapshot");
    let target = Server::single(&[]);
    let attempt = |name: &str, content: &[u8], skip: bool| {
        let path = files.path().join(name);
        std::fs::write(&path, content).expect("write snapshot");
        let mut opts = restore_options(&path, &target);
        opts.skip_hash_check = skip;
        restore_snapshot(&opts, &mut |_, _| {}).expect_err("refused")
    };
    let mut flipped = bytes.clone();
    flipped[5000] ^= 0xff;
    assert!(attempt("flipped.db", &flipped, false).starts_with("expected sha256 ["));
    let truncated = &bytes[..bytes.len() / 2];
    assert_eq!(
        attempt("truncated.db", truncated, false),
        "snapshot missing hash but --skip-hash-check=false"
    );
    assert!(attempt("truncated.db", truncated, true).contains("truncated.db"));
    let mut bad_page = bytes[..bytes.len() - 32].to_vec();
    bad_page[4096 * 2 + 10] ^= 0xff;
    assert!(attempt("badpage.db", &bad_page, true).contains("badpage.db"));
    assert!(
        !target.data_dir().join("member").exists(),
        "a failed restore left a data dir behind"
    );
    // A data dir in use is never overwritten.
    std::fs::create_dir_all(target.data_dir()).expect("mkdir");
    std::fs::write(target.data_dir().join("keep"), b"x").expect("write");
    let err =
        restore_snapshot(&restore_options(&good, &target), &mut |_, _| {}).expect_err("refused");
    assert!(err.ends_with("not empty or could not be read"), "{err}");
    assert_eq!(
        std::fs::read(target.data_dir().join("keep")).expect("kept"),
        b"x"
    );
}

/// oxcd started on a real etcd 3.4 data dir, etcd killed with -9 in the middle of a stream of
/// writes: every acknowledged key is served, with the leases, users and member ID etcd had,
/// and the original is kept as a backup.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oxcd_starts_on_an_etcd_data_dir_killed_mid_write() {
    if !tools_present() {
        return;
    }
    let mut oxcd = Server::single(&[]);
    let logs = tempfile::tempdir().expect("temp dir");
    let etcd = Etcd::start_on(logs, &oxcd.data_dir(), &oxcd.name, oxcd.peer_port, &[]);
    let port = etcd.client_port;
    tokio::task::spawn_blocking(move || write_history(port))
        .await
        .expect("history");
    let member_id = ok(port, &["member", "list", "-w", "json"]);
    let member_id: serde_json::Value = serde_json::from_str(&member_id).expect("json");
    let member_id = member_id["header"]["member_id"]
        .as_u64()
        .expect("member id");
    let mut client = etcd_client::Client::connect([format!("127.0.0.1:{port}")], None)
        .await
        .expect("connect");
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let writer = {
        let acked = acked.clone();
        tokio::spawn(async move {
            for i in 0.. {
                let key = format!("burst/{i:05}");
                if client.put(key.clone(), "v", None).await.is_err() {
                    break;
                }
                acked.lock().expect("acked").push(key);
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    drop(etcd); // kill -9 while the writer is mid-stream
    let _ = writer.await;
    let acked = acked.lock().expect("acked").clone();
    assert!(acked.len() > 20, "too few writes before the kill");

    oxcd.restart();
    let port = oxcd.client_port;
    let keys = ok(port, &["get", "burst/", "--prefix", "--keys-only"]);
    let served: std::collections::BTreeSet<&str> = keys.lines().filter(|l| !l.is_empty()).collect();
    let missing: Vec<&String> = acked
        .iter()
        .filter(|k| !served.contains(k.as_str()))
        .collect();
    assert!(missing.is_empty(), "acknowledged writes lost: {missing:?}");
    let status = ok(port, &["endpoint", "status", "-w", "json"]);
    assert!(
        status.contains(&format!("\"member_id\":{member_id}")),
        "{status}"
    );
    assert!(ok(port, &["user", "list"]).contains("alice"));
    assert_eq!(ok(port, &["lease", "list"]).lines().count(), 2);
    assert!(oxcd.data_dir().join("member.etcd-backup/snap/db").exists());
    assert!(
        oxcd.log().contains("imported an etcd data dir"),
        "{}",
        oxcd.log()
    );
    // It is a working member afterwards.
    ok(port, &["put", "after", "import"]);
    assert_eq!(
        ok(port, &["get", "after", "--print-value-only"]),
        "import\n"
    );
}

/// A dry run reports and changes nothing; a WAL damaged in the middle stops the import (and the
/// start) with an error naming the file, leaving the etcd data dir as it was.
#[test]
fn a_damaged_etcd_wal_stops_the_import_and_changes_nothing() {
    use oxcd_server::member::etcd_import::import_etcd_data_dir;
    if !tools_present() {
        return;
    }
    let mut oxcd = Server::single(&[]);
    let logs = tempfile::tempdir().expect("temp dir");
    let etcd = Etcd::start_on(logs, &oxcd.data_dir(), &oxcd.name, oxcd.peer_port, &[]);
    for i in 0..40 {
        ok(
            etcd.client_port,
            &["put", &format!("k{i:02}"), "some value"],
        );
    }
    drop(etcd);
    let data = oxcd.data_dir();
    let report = import_etcd_data_dir(&data, true, &mut |_, _| {}).expect("dry run");
    assert!(report.keys + report.replayed >= 40, "{report:?}");
    assert!(!data.join("member.etcd-backup").exists());

    let wal = std::fs::read_dir(data.join("member/wal"))
        .expect("wal dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "wal"))
        .expect("a wal segment");
    let mut bytes = std::fs::read(&wal).expect("read wal");
    bytes[2000] ^= 0x5a;
    std::fs::write(&wal, &bytes).expect("damage wal");
    let db_before = std::fs::read(data.join("member/snap/db")).expect("db");
    oxcd.spawn();
    let status = oxcd
        .wait_exit(std::time::Duration::from_secs(20))
        .expect("oxcd refuses to start");
    assert!(!status.success());
    let name = wal.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(oxcd.log().contains(name), "{}", oxcd.log());
    assert!(!data.join("member.etcd-backup").exists());
    assert_eq!(
        std::fs::read(data.join("member/snap/db")).expect("db"),
        db_before
    );
    assert_eq!(std::fs::read(&wal).expect("wal"), bytes);
}
