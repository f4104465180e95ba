//! `oxutl hashkv` (etcdutl 3.6's command) on a cleanly stopped oxcd member's backend: the hash,
//! hash revision and compact revision that the HashKV RPC gave while it ran, and that etcd 3.4 gives
//! after the same writes, in etcdutl's four formats; a compacted or future revision, a missing
//! file, a running member and a wrong number of arguments are errors.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn oxutl(args: &[&str]) -> Output {
    run(Command::new(OXUTL).args(args))
}

/// The same history on any server: overwrites, a delete, a compaction at 4, then more writes.
fn write_history(server: &Server) {
    for args in [
        &["put", "a", "1"][..],
        &["put", "b", "2"],
        &["put", "a", "3"],
        &["del", "b"],
        &["compaction", "4"],
        &["put", "c", "4"],
        &["put", "a", "5"],
    ] {
        server.ctl_ok(args);
    }
}

/// (hash, revision, compact revision) of the HashKV RPC at `rev` (0: the latest).
fn rpc_hash(server: &Server, rev: i64) -> (u64, i64, i64) {
    let out = server.ctl_ok(&[
        "endpoint",
        "hashkv",
        "--rev",
        &rev.to_string(),
        "-w",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("hashkv JSON");
    let h = &v[0]["HashKV"];
    (
        h["hash"].as_u64().expect("hash"),
        h["header"]["revision"].as_i64().expect("revision"),
        h["compact_revision"].as_i64().expect("compact revision"),
    )
}

#[test]
fn hashkv_of_a_stopped_member_is_what_the_rpc_and_etcd_say() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    let etcd = Server::start(Path::new(ETCD));
    write_history(&etcd);
    let etcd_latest = rpc_hash(&etcd, 0);
    let etcd_at_5 = rpc_hash(&etcd, 5);
    drop(etcd);

    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let data_dir = data.to_str().expect("utf-8");
    let server = Server::start_on(&oxcd, &data, free_port(), free_port());
    write_history(&server);
    assert_eq!(rpc_hash(&server, 0), etcd_latest);
    assert_eq!(rpc_hash(&server, 5), etcd_at_5);
    let running = oxutl(&["hashkv", "--data-dir", data_dir]);
    assert_eq!(
        running.code, 1,
        "a running member's backend is locked: {running:?}"
    );
    server.stop();

    // The RPC's header revision is the store's; hashkv prints the revision it hashed.
    let (hash, latest, compacted) = etcd_latest;
    let simple = oxutl(&["hashkv", "--data-dir", data_dir]);
    assert_eq!(
        (simple.code, simple.stdout.as_str()),
        (0, format!("{hash}, {latest}, {compacted}\n").as_str()),
        "{simple:?}"
    );
    let db = data.join("member/snap/db");
    let by_file = oxutl(&["hashkv", db.to_str().expect("utf-8"), "--rev", "5"]);
    assert_eq!(
        by_file.stdout,
        format!("{}, 5, {compacted}\n", etcd_at_5.0),
        "{by_file:?}"
    );
    let json = oxutl(&["hashkv", "--data-dir", data_dir, "-w", "json"]);
    assert_eq!(
        json.stdout,
        format!("{{\"hash\":{hash},\"hashRevision\":{latest},\"compactRevision\":{compacted}}}\n")
    );
    let fields = oxutl(&["hashkv", "--data-dir", data_dir, "-w", "fields"]);
    assert_eq!(
        fields.stdout,
        format!(
            "\"Hash\" : {hash}\n\"Hash revision\" : {latest}\n\"Compact revision\" : {compacted}\n"
        )
    );
    let table = oxutl(&["hashkv", "--data-dir", data_dir, "-w", "table"]);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{table:?}");
    let cells = |line: &str| -> Vec<String> {
        line.split('|')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect()
    };
    assert_eq!(
        cells(lines[1]),
        ["HASH", "HASH REVISION", "COMPACT REVISION"]
    );
    assert_eq!(
        cells(lines[3]),
        [hash.to_string(), latest.to_string(), compacted.to_string()]
    );

    for (args, error) in [
        (
            vec!["--rev", "3"],
            "Error: mvcc: required revision has been compacted\n",
        ),
        (
            vec!["--rev", "100"],
            "Error: mvcc: required revision is a future revision\n",
        ),
    ] {
        let out = oxutl(&[&["hashkv", "--data-dir", data_dir][..], &args].concat());
        assert_eq!((out.code, out.stderr.as_str()), (1, error), "{out:?}");
    }
    let missing = oxutl(&["hashkv", "/nonexistent/db"]);
    assert_eq!(
        (missing.code, missing.stderr.as_str()),
        (
            1,
            "Error: open /nonexistent/db: no such file or directory\n"
        ),
        "{missing:?}"
    );
    assert!(
        !Path::new("/nonexistent/db").exists(),
        "hashkv created the file it was asked to read"
    );
    let neither = oxutl(&["hashkv"]);
    assert_ne!(neither.code, 0, "{neither:?}");
}
