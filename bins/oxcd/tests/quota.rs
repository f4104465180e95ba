//! The backend quota, differentially: the real etcdctl 3.4 walks the NOSPACE path against the
//! real etcd 3.4 and against oxcd, both started with the same small `--quota-backend-bytes`, and
//! every answer must match (once member IDs, ports and revisions are masked): writes past the
//! quota raise the alarm and fail; reads, deletes and compaction still work; defrag and
//! `alarm disarm` bring writes back.

mod common;

use common::etcd::{etcdctl_outcome as etcdctl, mask_after, Etcd};
use common::etcd_bins::tools_present;
use common::Server;

const QUOTA: [&str; 2] = ["--quota-backend-bytes", "2000000"];

/// The NOSPACE walk-through against the server on `port`, as one transcript.
fn walk(port: u16) -> Vec<String> {
    let value: Vec<u8> = (0..40_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let mut transcript = Vec::new();
    let mut accepted = 0;
    loop {
        let (code, out) = etcdctl(port, &["put", &format!("k{accepted}")], &value);
        if code != 0 {
            transcript.push(format!("put past the quota: exit {code}: {out}"));
            break;
        }
        accepted += 1;
        assert!(accepted < 200, "the quota never bit");
    }
    assert!(
        accepted > 1,
        "the quota bit before any write: {transcript:?}"
    );
    // The compaction below goes to the last delete's revision (the puts took 2..=accepted+1, the
    // five deletes the next five; the refused writes none), so that the deleted values are freed.
    let revision = accepted + 6;
    for (args, stdin) in [
        (vec!["alarm", "list"], ""),
        (vec!["put", "x", "y"], ""),
        (vec!["get", "k0", "--keys-only"], ""),
        (vec!["del", "k0"], ""),
        // Four more values (both servers take over ten) freed by the compaction below, so that
        // the defragmented backend is well under the quota on both: etcd 3.4's lands 300-400 KB
        // under it.
        (vec!["del", "k1"], ""),
        (vec!["del", "k2"], ""),
        (vec!["del", "k3"], ""),
        (vec!["del", "k4"], ""),
        (vec!["lease", "grant", "10"], ""),
        (vec!["txn"], "\n\nput t v\n\n"),
        (vec!["txn"], "\n\nget t\n\n"),
        (vec!["endpoint", "status", "-w", "fields"], ""),
        // Physical: the defrag after it must find the compacted pages free, or etcd's own run
        // (whose compaction otherwise finishes in the background) may still exceed the quota.
        (vec!["compaction", "--physical", &revision.to_string()], ""),
        (vec!["defrag"], ""),
        (vec!["alarm", "disarm"], ""),
        (vec!["alarm", "list"], ""),
        (vec!["put", "x", "y"], ""),
    ] {
        let (code, out) = etcdctl(port, &args, stdin.as_bytes());
        let out = if args.get(1) == Some(&"status") {
            // Of Status, what the quota decides: the raised alarms.
            out.lines()
                .filter(|l| l.starts_with("\"Errors\""))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            out
        };
        // The revision compacted to depends on how many writes fit: it is masked below.
        let shown = match args[0] {
            "compaction" => "compaction <REV>".to_string(),
            _ => args.join(" "),
        };
        transcript.push(format!("{shown}: exit {code}: {out}"));
    }
    transcript
        .iter()
        .map(|line| {
            let line = mask_after(line, "memberID:", "<ID>");
            let line = mask_after(&line, "127.0.0.1:", "<PORT>");
            mask_after(&line, "compacted revision ", "<REV>")
        })
        .collect()
}

#[test]
fn nospace_walk_through_matches_etcd() {
    if !tools_present() {
        return;
    }
    // A reference run where etcd 3.4 does what its documentation says: takes writes again after
    // defrag and disarm. It did in every run once the compaction freed the deleted values; the
    // retries are for a machine too slow for its own timeouts.
    let expected = (0..3)
        .map(|_| {
            let etcd = Etcd::start(&QUOTA);
            walk(etcd.client_port)
        })
        .find(|t| t.last().is_some_and(|l| l.ends_with("exit 0: OK\n")))
        .expect("etcd 3.4 never took a write again after defrag and alarm disarm");
    let oxcd = Server::start(&QUOTA);
    let actual = walk(oxcd.client_port);
    for line in &expected {
        println!("etcd 3.4: {line}");
    }
    assert_eq!(actual, expected, "oxcd's log:\n{}", oxcd.log());
}

/// etcd 3.6's `/health` while an alarm is raised: unhealthy, with the alarm as the reason
/// (etcd 3.4 said only `false`); healthy again once it is cleared.
#[tokio::test]
async fn health_names_a_raised_alarm() {
    use etcd_client::{AlarmAction, AlarmOptions, AlarmType};
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let id = c.status().await.unwrap().header().unwrap().member_id();
    let mut opts = AlarmOptions::new();
    opts.with_member(id);
    c.alarm(
        AlarmAction::Activate,
        AlarmType::Nospace,
        Some(opts.clone()),
    )
    .await
    .unwrap();
    let (code, body) = common::http_get(server.client_port, "/health").unwrap();
    assert_eq!(
        (code, body.as_str()),
        (503, "{\"health\":\"false\",\"reason\":\"ALARM NOSPACE\"}\n")
    );
    // etcd 3.6's escape hatch: an alarm a probe chooses to ignore.
    let excluded = common::http_get(server.client_port, "/health?exclude=NOSPACE").unwrap();
    assert_eq!(excluded, (200, r#"{"health":"true"}"#.to_string()));
    let serializable = common::http_get(
        server.client_port,
        "/health?serializable=true&exclude=NOSPACE",
    )
    .unwrap();
    assert_eq!(serializable, (200, r#"{"health":"true"}"#.to_string()));
    c.alarm(AlarmAction::Deactivate, AlarmType::Nospace, Some(opts))
        .await
        .unwrap();
    let (code, body) = common::http_get(server.client_port, "/health").unwrap();
    assert_eq!((code, body.as_str()), (200, r#"{"health":"true"}"#));
}

/// What a member restarted with a quota below its backend's size answers, step by step: the
/// first write raises NOSPACE and fails, reads and deletes still work.
fn after_shrinking(port: u16) -> Vec<String> {
    let mut transcript = Vec::new();
    for (args, stdin) in [
        (
            vec!["get", "k0", "--print-value-only=false", "--keys-only"],
            "",
        ),
        (vec!["alarm", "list"], ""),
        (vec!["put", "x", "y"], ""),
        (vec!["alarm", "list"], ""),
        (vec!["txn"], "\n\nput t v\n\n"),
        (vec!["lease", "grant", "10"], ""),
        (vec!["get", "k1", "--keys-only"], ""),
        (vec!["del", "k1"], ""),
    ] {
        let (code, out) = etcdctl(port, &args, stdin.as_bytes());
        transcript.push(format!("{}: exit {code}: {out}", args.join(" ")));
    }
    transcript
        .iter()
        .map(|line| mask_after(line, "memberID:", "<ID>"))
        .collect()
}

/// Fills a store with about 2.4 MB of values, more than [`QUOTA`] allows.
fn fill_past_the_quota(port: u16) {
    let value = vec![b'v'; 40_000];
    for i in 0..60 {
        let (code, out) = etcdctl(port, &["put", &format!("k{i}")], &value);
        assert_eq!(code, 0, "{out}");
    }
}

#[test]
fn a_quota_below_the_backend_size_refuses_the_first_write_as_etcd_does() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let peer = common::free_port();
    let etcd = Etcd::start_on(dir, &data, "e1", peer, &[]);
    fill_past_the_quota(etcd.client_port);
    let etcd = Etcd::start_on(etcd.stop_keeping_dir(), &data, "e1", peer, &QUOTA);
    let expected = after_shrinking(etcd.client_port);

    let mut oxcd = Server::start(&[]);
    fill_past_the_quota(oxcd.client_port);
    oxcd.stop_with(libc::SIGTERM);
    oxcd.extra = QUOTA.iter().map(|s| s.to_string()).collect();
    oxcd.restart();
    let actual = after_shrinking(oxcd.client_port);
    for line in &expected {
        println!("etcd 3.4: {line}");
    }
    assert_eq!(actual, expected, "oxcd's log:\n{}", oxcd.log());
}
