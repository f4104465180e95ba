//! `oxctl snapshot save` against etcdctl 3.4's, on twin etcd servers (see `twin_etcd`): the same
//! stdout, stderr (less the zap log lines) and exit code, and a file etcdctl's `snapshot status`
//! reads as it reads etcdctl's own.

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
