//! `oxctl snapshot restore` of a snapshot etcd 3.4 saved: oxcd started on the data dir it makes
//! serves etcd's keys, revisions and compaction bound.

mod v2_harness;

use std::process::Command;

use v2_harness::{free_port, oxcd_bin, start, start_on, tools_present, Kind, ETCDCTL, NAME, OXCTL};

/// `tool` (etcdctl or oxctl, API v3) against `port`; stdout, stderr and exit code.
fn run(tool: &str, port: u16, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(tool)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", &format!("127.0.0.1:{port}")])
        .args(args)
        .output()
        .expect("run the tool");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn ok(port: u16, args: &[&str]) -> String {
    let (stdout, stderr, code) = run(ETCDCTL, port, args);
    assert_eq!(code, 0, "etcdctl {args:?}: {stderr}");
    stdout
}

/// The keys with their revisions, and the store's revision (the header's IDs and term belong to
/// the cluster, which a restore makes anew).
fn contents(port: u16) -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_str(&ok(port, &["get", "", "--prefix", "-w", "json"])).expect("JSON");
    serde_json::json!({"revision": v["header"]["revision"], "kvs": v["kvs"]})
}

#[test]
fn oxcd_serves_what_oxctl_restored_from_an_etcd_snapshot() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    let etcd = start(&Kind::Etcd, free_port(), free_port());
    for i in 0..30 {
        ok(etcd.client, &["put", &format!("k{i}"), &"v".repeat(i * 20)]);
    }
    ok(etcd.client, &["put", "k3", "again"]);
    ok(etcd.client, &["del", "k7"]);
    ok(etcd.client, &["compaction", "20"]);
    let expected = contents(etcd.client);
    let files = tempfile::tempdir().expect("temp dir");
    let snapshot = files.path().join("etcd.db");
    ok(
        etcd.client,
        &["snapshot", "save", snapshot.to_str().unwrap()],
    );
    drop(etcd);

    let (client, peer) = (free_port(), free_port());
    let peer_url = format!("http://127.0.0.1:{peer}");
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("restored");
    let (stdout, stderr, code) = run(
        OXCTL,
        client,
        &[
            "snapshot",
            "restore",
            snapshot.to_str().unwrap(),
            "--name",
            NAME,
            "--data-dir",
            data.to_str().unwrap(),
            "--initial-cluster",
            &format!("{NAME}={peer_url}"),
            "--initial-advertise-peer-urls",
            &peer_url,
        ],
    );
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    // Only etcdctl's two zap lines, as JSON.
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(stderr.lines().all(|l| l.starts_with("{\"level\":\"info\"")));

    let server = start_on(&Kind::Oxcd(oxcd), client, peer, None, dir, &data);
    assert_eq!(contents(client), expected);
    let (_, stderr, code) = run(ETCDCTL, client, &["get", "k1", "--rev", "10"]);
    assert!(
        code != 0 && stderr.contains("required revision has been compacted"),
        "{stderr}"
    );
    drop(server);
}
