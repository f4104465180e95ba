//! `oxctl snapshot save|status|restore` against etcdctl 3.4's, on twin etcd servers (see
//! `twin_etcd`): the same stdout, stderr (less the zap log lines) and exit code, and a saved file
//! etcdctl's `snapshot status` reads as it reads etcdctl's own. (`snapshot_restore.rs` starts
//! oxcd on what `oxctl snapshot restore` makes.)

mod oxctl_identity;
mod twin_etcd;

use std::path::Path;

use twin_etcd::*;

/// `etcdctl snapshot status -w json` of `file`.
fn status(file: &Path) -> Output {
    run(
        ETCDCTL,
        "127.0.0.1:1",
        &["snapshot", "status", "-w", "json", file.to_str().unwrap()],
        "",
    )
}

#[test]
fn snapshot_save_matches_etcdctl() {
    let Some((a, b)) = twins_if_installed() else {
        return;
    };
    for i in 0..50 {
        same(&a, &b, &["put", &format!("k{i}"), &"v".repeat(i * 40)], "");
    }
    same(&a, &b, &["del", "k7"], "");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("backup.db");
    let path = file.to_str().unwrap();

    // The same path for both tools, so that the "Snapshot saved at" lines compare.
    let expected = run(ETCDCTL, &a.client, &["snapshot", "save", path], "");
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    let etcdctl_file = dir.path().join("etcdctl.db");
    std::fs::rename(&file, &etcdctl_file).unwrap();
    assert_oxctl_prints(expected, &b, &["snapshot", "save", path], "");
    assert!(!dir.path().join("backup.db.part").exists());

    let ours = status(&file);
    assert_eq!(
        ours.code, 0,
        "etcdctl snapshot status refused oxctl's file: {}",
        ours.stderr
    );
    let theirs = status(&etcdctl_file);
    let fields = |o: &Output| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("status JSON");
        // The twins' files differ in bbolt's page layout, not in content.
        v.as_object_mut().unwrap().remove("totalSize");
        v
    };
    assert_eq!(fields(&ours), fields(&theirs));

    // Usage errors, a file that cannot be created, more than one endpoint.
    same(&a, &b, &["snapshot", "save"], "");
    same(&a, &b, &["snapshot", "save", "x.db", "y.db"], "");
    let missing = dir.path().join("no/such/dir/x.db");
    same(&a, &b, &["snapshot", "save", missing.to_str().unwrap()], "");
    // Endpoints are listed in the error, and the twins' differ: each is checked against the text.
    for (tool, server) in [(ETCDCTL, &a), (OXCTL, &b)] {
        let out = run(
            tool,
            &server.client,
            &["--endpoints=127.0.0.1:1", "snapshot", "save", path],
            "",
        );
        let message = format!(
            "Error: snapshot must be requested to one selected node, not multiple [{} 127.0.0.1:1]\n",
            server.client
        );
        assert_eq!(
            (out.stderr.as_str(), out.code),
            (message.as_str(), 5),
            "{tool}"
        );
    }
    same_help(&a, &b, &["snapshot", "save", "--help"]);
}

/// A bbolt file with its hash trailer, and what is wrong with it.
fn damaged_copies(file: &Path, dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let bytes = std::fs::read(file).unwrap();
    let truncated = dir.join("truncated.db");
    std::fs::write(&truncated, &bytes[..1000]).unwrap();
    let mut flipped = bytes.clone();
    flipped[5000] ^= 0xff;
    let bad_hash = dir.join("bad-hash.db");
    std::fs::write(&bad_hash, &flipped).unwrap();
    let not_a_db = dir.join("text.db");
    std::fs::write(&not_a_db, "not a database\n".repeat(1000)).unwrap();
    vec![
        ("truncated".into(), truncated),
        ("bad hash".into(), bad_hash),
        ("not a database".into(), not_a_db),
        ("missing".into(), dir.join("missing.db")),
    ]
}

#[test]
fn snapshot_status_and_restore_match_etcdctl() {
    let Some((a, b)) = twins_if_installed() else {
        return;
    };
    for i in 0..30 {
        same(&a, &b, &["put", &format!("k{i}"), &"v".repeat(i * 20)], "");
    }
    same(&a, &b, &["put", "k3", "again"], "");
    same(&a, &b, &["del", "k7"], "");
    same(&a, &b, &["compaction", "20"], "");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("backup.db");
    let path = file.to_str().unwrap();
    let saved = run(ETCDCTL, &a.client, &["snapshot", "save", path], "");
    assert_eq!(saved.code, 0, "{}", saved.stderr);

    // status: every format, and what a file can be wrong with.
    for format in FORMATS.iter().chain(&["bogus"]) {
        same(&a, &b, &["snapshot", "status", path, "-w", format], "");
    }
    same(&a, &b, &["snapshot", "status"], "");
    same(&a, &b, &["snapshot", "status", "x.db", "y.db"], "");
    for (_, damaged) in damaged_copies(&file, dir.path()) {
        let damaged = damaged.to_str().unwrap();
        // A hash trailer is not part of what status reads, so a bad one still reads.
        same(&a, &b, &["snapshot", "status", damaged], "");
        let target = dir.path().join("refused");
        let target = target.to_str().unwrap();
        let restore = ["snapshot", "restore", damaged, "--data-dir", target];
        let expected = run(ETCDCTL, &a.client, &restore, "");
        // etcdctl 3.4 leaves a partial data dir behind after some failures; oxctl leaves none.
        let _ = std::fs::remove_dir_all(target);
        assert_oxctl_prints(expected, &b, &restore, "");
        assert!(!Path::new(target).exists(), "oxctl left {target} behind");
    }
    same_help(&a, &b, &["snapshot", "status", "--help"]);
    same_help(&a, &b, &["snapshot", "restore", "--help"]);
    same_help(&a, &b, &["snapshot", "--help"]);

    // restore: refused targets.
    same(&a, &b, &["snapshot", "restore"], "");
    let existing = dir.path().join("existing");
    std::fs::create_dir(&existing).unwrap();
    same(
        &a,
        &b,
        &[
            "snapshot",
            "restore",
            path,
            "--data-dir",
            existing.to_str().unwrap(),
        ],
        "",
    );
    let wal = dir.path().join("wal-in-the-way");
    std::fs::create_dir(&wal).unwrap();
    let fresh = dir.path().join("fresh");
    same(
        &a,
        &b,
        &[
            "snapshot",
            "restore",
            path,
            "--data-dir",
            fresh.to_str().unwrap(),
            "--wal-dir",
            wal.to_str().unwrap(),
        ],
        "",
    );
}
