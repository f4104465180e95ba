//! `oxutl defrag --data-dir` on a stopped oxcd member: the backend file shrinks after deletes
//! and a compaction, and the member starts on it and serves the same keys; a running member's
//! data dir, a missing one and an etcd one are refused without a change. (Usage errors are
//! compared with etcdutl's in `snapshot_compat.rs`.)

mod common;

use std::process::Command;

use common::*;

fn oxutl(args: &[&str]) -> Output {
    run(Command::new(OXUTL).args(args))
}

#[test]
fn defrag_shrinks_a_stopped_members_backend_and_keeps_its_data() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let data_dir = data.to_str().expect("utf-8");
    let (client, peer) = (free_port(), free_port());
    let server = Server::start_on(&oxcd, &data, client, peer);
    let value = "v".repeat(50_000);
    for i in 0..200 {
        server.ctl_ok(&["put", &format!("big/{i:03}"), &value]);
    }
    server.ctl_ok(&["put", "kept", "yes"]);
    server.ctl_ok(&["del", "big/", "--prefix"]);
    let status = server.ctl_ok(&["endpoint", "status", "-w", "json"]);
    let revision: serde_json::Value = serde_json::from_str(&status).expect("status JSON");
    let revision = revision[0]["Status"]["header"]["revision"]
        .as_i64()
        .expect("revision");
    server.ctl_ok(&["compaction", "--physical", &revision.to_string()]);

    // Refused while the member runs: the backend is locked.
    let db = data.join("member/snap/db");
    let size = || std::fs::metadata(&db).expect("backend").len();
    let running = oxutl(&["defrag", "--data-dir", data_dir]);
    assert_eq!(running.code, 1, "{running:?}");
    assert!(running.stderr.starts_with("Error: "), "{running:?}");
    drop(server);

    let before = size();
    let done = oxutl(&["defrag", "--data-dir", data_dir]);
    assert_eq!((done.code, done.stdout.as_str()), (0, ""), "{done:?}");
    let after = size();
    assert!(
        after * 2 < before,
        "the backend did not shrink: {before} -> {after} bytes"
    );

    let server = Server::start_on(&oxcd, &data, client, peer);
    assert_eq!(
        server.ctl_ok(&["get", "", "--prefix", "--keys-only"]),
        "kept\n\n"
    );
    assert_eq!(
        server.ctl_ok(&["get", "kept", "--print-value-only"]),
        "yes\n"
    );
}

#[test]
fn defrag_refuses_what_is_not_an_oxcd_data_dir() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("none");
    let out = oxutl(&["defrag", "--data-dir", missing.to_str().unwrap()]);
    assert_eq!(
        (out.code, out.stderr),
        (
            1,
            format!(
                "Error: open {}/member/snap/db: no such file or directory\n",
                missing.display()
            )
        )
    );
    // An etcd member's data dir is bbolt, not redb.
    let etcd_data = dir.path().join("etcd");
    stopped_etcd_data_dir(&etcd_data);
    let db = etcd_data.join("member/snap/db");
    let before = std::fs::read(&db).expect("etcd backend");
    let out = oxutl(&["defrag", "--data-dir", etcd_data.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("an etcd data dir"), "{out:?}");
    assert_eq!(std::fs::read(&db).expect("etcd backend"), before);
}
