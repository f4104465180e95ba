//! Snapshots in etcd's own format, both ways, with the real etcd 3.4 and etcdctl: etcd's snapshot
//! restored into oxcd (the library call `oxutl snapshot restore` makes), and oxcd's snapshot
//! (`etcdctl snapshot save` against oxcd) restored by `etcdctl snapshot restore` into an etcd
//! that serves the same keys, revisions, history bounds, leases, users and roles.

mod common;

use std::path::Path;
use std::process::Command;

use common::etcd::Etcd;
use common::etcd_bins::{tools_present, ETCDCTL};
use common::history::{assert_imported, observed, ok, restore_options, save, write_history};
use common::{free_port, Server};
use oxcd_server::member::restore::restore_snapshot;

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
    assert!(ok(port, &["user", "list"]).contains("alice"));
    assert_eq!(ok(port, &["lease", "list"]).lines().count(), 2);
    assert!(oxcd.data_dir().join("member.etcd-backup/snap/db").exists());
    assert_imported(&oxcd, member_id);
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

/// A v2 keys request to `port` with a form body; panics on an error status.
fn v2_write(port: u16, method: &str, path: &str, form: &str) -> common::HttpReply {
    let r = common::http_exchange(
        port,
        method,
        &format!("/v2/keys{path}"),
        "application/x-www-form-urlencoded",
        form,
    )
    .expect("v2 request");
    assert!(r.status < 300, "{method} {path}: {} {}", r.status, r.body);
    r
}

/// A v2 read as compared between etcd and oxcd: status, `X-Etcd-Index`, and the body with each
/// `"ttl":N` made `"ttl":<TTL>` (TTLs tick down between the two reads); the TTLs are returned.
/// Everything else, expiration times included, must be the same byte for byte.
fn v2_read(port: u16, path: &str) -> (String, Vec<i64>) {
    let r = common::http_exchange(port, "GET", &format!("/v2/keys{path}"), "", "").expect("get");
    let mut body = String::new();
    let mut ttls = Vec::new();
    let mut rest = r.body.as_str();
    while let Some(i) = rest.find("\"ttl\":") {
        body.push_str(&rest[..i + 6]);
        rest = &rest[i + 6..];
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        ttls.push(rest[..end].parse().expect("ttl"));
        body.push_str("<TTL>");
        rest = &rest[end..];
    }
    body.push_str(rest);
    let index = r.header("x-etcd-index").unwrap_or("-");
    (format!("{} index={index}\n{body}", r.status), ttls)
}

/// The raft index of etcd's newest `.snap` file (`<term>-<index>.snap`, hex), if any.
fn latest_snap_index(data_dir: &Path) -> Option<u64> {
    std::fs::read_dir(data_dir.join("member/snap"))
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| {
            let index = n.strip_suffix(".snap")?.split('-').nth(1)?;
            u64::from_str_radix(index, 16).ok()
        })
        .max()
}

/// oxcd started on the data dir of an etcd 3.4 that served the v2 API, killed with -9: the v2
/// keys etcd held in its `.snap` file, in the log between that snapshot and the backend's index,
/// and in the log after it are all served, with etcd's created and modified indexes and
/// `X-Etcd-Index`, hidden keys, TTLs and their expiration times; the v3 keys too.
#[test]
fn oxcd_imports_the_v2_keys_of_an_etcd_data_dir() {
    use oxcd_server::member::etcd_import::import_etcd_data_dir;
    if !tools_present() {
        return;
    }
    const ETCD_FLAGS: &[&str] = &["--enable-v2=true", "--snapshot-count=20"];
    let mut oxcd = Server::single(&["--enable-v2=true"]);
    let data = oxcd.data_dir();
    let logs = tempfile::tempdir().expect("temp dir");
    let etcd = Etcd::start_on(logs, &data, &oxcd.name, oxcd.peer_port, ETCD_FLAGS);
    let port = etcd.client_port;
    let raft_index = |r: &common::HttpReply| -> u64 {
        r.header("x-raft-index")
            .and_then(|i| i.parse().ok())
            .expect("X-Raft-Index")
    };

    // Written before etcd's first snapshot: in its .snap file.
    v2_write(port, "PUT", "/dir/a", "value=1");
    v2_write(port, "PUT", "/dir/_hidden", "value=h");
    v2_write(port, "PUT", "/ttl", "value=t&ttl=3600");
    v2_write(port, "PUT", "/empty?dir=true", "");
    v2_write(port, "PUT", "/cas", "value=old");
    v2_write(port, "PUT", "/gone", "value=x");
    v2_write(port, "POST", "/queue", "value=q1");
    ok(port, &["put", "v3a", "1"]);
    for i in 0.. {
        if latest_snap_index(&data).is_some() {
            break;
        }
        assert!(i < 100, "etcd cut no snapshot");
        v2_write(port, "PUT", &format!("/filler/{i}"), "value=f");
    }
    let snap_index = latest_snap_index(&data).expect("a .snap file");

    // Written after it, then stored in the backend by a v3 write: between the snapshot and the
    // backend's index, so only in the log.
    let first_after_snap = v2_write(port, "PUT", "/cas?prevValue=old", "value=new");
    v2_write(port, "DELETE", "/gone", "");
    v2_write(port, "DELETE", "/filler?recursive=true", "");
    v2_write(port, "PUT", "/dir/b", "value=2");
    v2_write(port, "PUT", "/_top", "value=hidden-top");
    v2_write(port, "PUT", "/ttldir?dir=true", "ttl=7200");
    v2_write(port, "PUT", "/ttldir/inner", "value=i");
    v2_write(port, "POST", "/queue", "value=q2");
    ok(port, &["put", "v3b", "2"]);
    // etcd's backend commits every 100ms.
    std::thread::sleep(std::time::Duration::from_millis(500));

    // Written after the backend's index: replayed from the log by oxcd.
    v2_write(port, "PUT", "/late", "value=l");
    let last = v2_write(port, "PUT", "/dir/b?prevExist=true", "value=2b");

    let paths = [
        "/?recursive=true&sorted=true",
        "/dir/_hidden",
        "/_top",
        "/ttldir",
    ];
    let before: Vec<(String, Vec<i64>)> = paths.iter().map(|p| v2_read(port, p)).collect();
    let v3_before = ok(port, &["get", "v3", "--prefix"]);
    drop(etcd); // kill -9

    // The import covers all three places.
    let report = import_etcd_data_dir(&data, true, &mut |_, _| {}).expect("dry run");
    assert!(
        snap_index < raft_index(&first_after_snap)
            && raft_index(&first_after_snap) <= report.applied_index,
        "snapshot {snap_index}, first write after it {}, backend {report:?}",
        raft_index(&first_after_snap)
    );
    assert!(raft_index(&last) > report.applied_index, "{report:?}");
    assert!(report.v2_keys >= 10, "{report:?}");

    // What etcd itself serves after a restart, on a copy of its data dir: the same keys, and an
    // index one higher (every start publishes the member's attributes through the v2 store).
    let copy = oxcd.dir.path().join("etcd-copy");
    let copied = Command::new("cp")
        .arg("-a")
        .args([&data, &copy])
        .status()
        .expect("cp");
    assert!(copied.success());
    let logs = tempfile::tempdir().expect("temp dir");
    let restarted = Etcd::start_on(logs, &copy, &oxcd.name, oxcd.peer_port, ETCD_FLAGS);
    let etcd_after: Vec<(String, Vec<i64>)> = paths
        .iter()
        .map(|p| v2_read(restarted.client_port, p))
        .collect();
    drop(restarted);
    let index_of = |read: &str| -> u64 {
        read.split_once("index=")
            .and_then(|(_, r)| r.split('\n').next()?.parse().ok())
            .expect("index")
    };
    for ((b, _), (a, _)) in before.iter().zip(&etcd_after) {
        assert_eq!(index_of(a), index_of(b) + 1);
        assert_eq!(
            a.split_once('\n').map(|x| x.1),
            b.split_once('\n').map(|x| x.1)
        );
    }

    oxcd.restart();
    assert!(
        oxcd.log().contains("imported an etcd data dir"),
        "{}",
        oxcd.log()
    );
    for (path, ((expected, ttls), (before, _))) in paths.iter().zip(etcd_after.iter().zip(&before))
    {
        let (got, got_ttls) = v2_read(oxcd.client_port, path);
        assert_eq!(
            &got, expected,
            "GET {path}; before the kill etcd served:\n{before}"
        );
        // The same keys have TTLs, counting down from etcd's.
        assert_eq!(got_ttls.len(), ttls.len(), "{path}");
        for (got, was) in got_ttls.iter().zip(ttls) {
            assert!(
                *got <= *was && *got > was - 60,
                "{path}: ttl {got}, etcd's {was}"
            );
        }
    }
    assert!(
        before[0].0.contains("\"key\":\"/dir/b\",\"value\":\"2b\""),
        "{}",
        before[0].0
    );
    assert!(before[3].1.len() == 1, "{:?}", before[3]);
    assert_eq!(ok(oxcd.client_port, &["get", "v3", "--prefix"]), v3_before);
    // It goes on from etcd's index.
    let next = v2_write(oxcd.client_port, "PUT", "/after", "value=import");
    let index = index_of(&etcd_after[0].0);
    assert!(
        next.body
            .contains(&format!("\"createdIndex\":{}", index + 1)),
        "{}",
        next.body
    );
}
