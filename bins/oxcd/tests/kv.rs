//! The KV API through an independent client (the `etcd-client` crate) against a real `oxcd`
//! process, with the results and error messages etcd gives.

mod common;

use common::Server;
use etcd_client::{
    Client, Compare, CompareOp, DeleteOptions, GetOptions, PutOptions, SortOrder, SortTarget, Txn,
    TxnOp, TxnOpResponse,
};

fn status_message(err: etcd_client::Error) -> (tonic::Code, String) {
    match err {
        etcd_client::Error::GRpcStatus(s) => (s.code(), s.message().to_string()),
        other => panic!("expected a gRPC status, got {other:?}"),
    }
}

async fn keys(client: &mut Client, key: &str, opts: GetOptions) -> Vec<String> {
    let resp = client.get(key, Some(opts)).await.expect("get");
    resp.kvs()
        .iter()
        .map(|kv| kv.key_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn put_get_revisions_and_versions() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    let r1 = c.put("foo", "bar", None).await.unwrap();
    assert_eq!(
        r1.header().unwrap().revision(),
        2,
        "a fresh store is at revision 1; the first put makes 2"
    );
    let r2 = c
        .put("foo", "baz", Some(PutOptions::new().with_prev_key()))
        .await
        .unwrap();
    let prev = r2.prev_key().expect("prev_kv");
    assert_eq!(
        (prev.value(), prev.mod_revision(), prev.version()),
        (&b"bar"[..], 2, 1)
    );
    let got = c.get("foo", None).await.unwrap();
    let kv = &got.kvs()[0];
    assert_eq!(
        (
            kv.value(),
            kv.create_revision(),
            kv.mod_revision(),
            kv.version()
        ),
        (&b"baz"[..], 2, 3, 2)
    );
    assert_eq!(got.count(), 1);
    let header = got.header().unwrap();
    assert_eq!(header.revision(), 3);
    assert_ne!(header.cluster_id(), 0);
    assert_ne!(header.member_id(), 0);
    assert!(header.raft_term() >= 1);

    // History: the value at each revision, and the key gone after a delete.
    c.delete("foo", None).await.unwrap();
    let at2 = c
        .get("foo", Some(GetOptions::new().with_revision(2)))
        .await
        .unwrap();
    assert_eq!(at2.kvs()[0].value(), b"bar");
    assert!(c.get("foo", None).await.unwrap().kvs().is_empty());
    let again = c.put("foo", "new", None).await.unwrap();
    let kv = c.get("foo", None).await.unwrap().kvs()[0].clone();
    assert_eq!(
        (kv.create_revision(), kv.version()),
        (again.header().unwrap().revision(), 1),
        "a new generation"
    );
}

#[tokio::test]
async fn ranges_prefixes_limits_sorting_and_counts() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    for k in ["app/a", "app/b", "app/c", "apple", "banana", "app"] {
        c.put(k, format!("val-{k}"), None).await.unwrap();
    }
    assert_eq!(
        keys(&mut c, "app/", GetOptions::new().with_prefix()).await,
        ["app/a", "app/b", "app/c"]
    );
    assert_eq!(
        keys(&mut c, "app/b", GetOptions::new().with_from_key()).await,
        ["app/b", "app/c", "apple", "banana"]
    );
    assert_eq!(
        keys(&mut c, "app/a", GetOptions::new().with_range("app/c")).await,
        ["app/a", "app/b"]
    );
    assert!(
        keys(&mut c, "b", GetOptions::new().with_range("a"))
            .await
            .is_empty(),
        "end before start is empty"
    );
    assert_eq!(
        keys(&mut c, "\0", GetOptions::new().with_from_key())
            .await
            .len(),
        6
    );

    let limited = c
        .get("app", Some(GetOptions::new().with_prefix().with_limit(2)))
        .await
        .unwrap();
    assert_eq!(limited.kvs().len(), 2);
    assert!(limited.more());
    assert_eq!(limited.count(), 5, "count ignores the limit");

    let counted = c
        .get(
            "app",
            Some(GetOptions::new().with_prefix().with_count_only()),
        )
        .await
        .unwrap();
    assert!(counted.kvs().is_empty());
    assert_eq!(counted.count(), 5);

    let keys_only = c
        .get("app/a", Some(GetOptions::new().with_keys_only()))
        .await
        .unwrap();
    assert!(keys_only.kvs()[0].value().is_empty());

    let desc = GetOptions::new()
        .with_prefix()
        .with_sort(SortTarget::Key, SortOrder::Descend);
    assert_eq!(
        keys(&mut c, "app/", desc).await,
        ["app/c", "app/b", "app/a"]
    );
    // Sorting by a target other than KEY defaults to ascending; ties keep key order.
    c.put("app/a", "again", None).await.unwrap();
    let by_version = GetOptions::new()
        .with_prefix()
        .with_sort(SortTarget::Version, SortOrder::None);
    assert_eq!(
        keys(&mut c, "app/", by_version).await,
        ["app/b", "app/c", "app/a"]
    );
    let by_version_desc = GetOptions::new()
        .with_prefix()
        .with_sort(SortTarget::Version, SortOrder::Descend);
    assert_eq!(
        keys(&mut c, "app/", by_version_desc).await,
        ["app/a", "app/b", "app/c"]
    );
    let by_mod = GetOptions::new()
        .with_prefix()
        .with_sort(SortTarget::Mod, SortOrder::Descend)
        .with_limit(1);
    assert_eq!(keys(&mut c, "app", by_mod).await, ["app/a"]);

    let serializable = c
        .get("app/a", Some(GetOptions::new().with_serializable()))
        .await
        .unwrap();
    assert_eq!(serializable.kvs()[0].value(), b"again");
}

#[tokio::test]
async fn deletes_report_counts_and_previous_values() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    for k in ["d/1", "d/2", "d/3", "e"] {
        c.put(k, k, None).await.unwrap();
    }
    let before = c.get("e", None).await.unwrap().header().unwrap().revision();
    let missing = c.delete("nothing", None).await.unwrap();
    assert_eq!(missing.deleted(), 0);
    assert_eq!(
        missing.header().unwrap().revision(),
        before,
        "deleting nothing takes no revision"
    );
    let del = c
        .delete(
            "d/",
            Some(DeleteOptions::new().with_prefix().with_prev_key()),
        )
        .await
        .unwrap();
    assert_eq!(del.deleted(), 3);
    assert_eq!(del.prev_kvs().len(), 3);
    assert_eq!(
        del.header().unwrap().revision(),
        before + 1,
        "one revision for the whole delete"
    );
    assert_eq!(
        keys(&mut c, "\0", GetOptions::new().with_from_key()).await,
        ["e"]
    );
}

#[tokio::test]
async fn transactions_compare_branch_and_take_one_revision() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    c.put("cnt", "5", None).await.unwrap();
    let txn = Txn::new()
        .when([
            Compare::value("cnt", CompareOp::Greater, "3"),
            Compare::version("cnt", CompareOp::Equal, 1),
            Compare::create_revision("missing", CompareOp::Equal, 0),
        ])
        .and_then([
            TxnOp::put("cnt", "6", None),
            TxnOp::put("other", "x", None),
            TxnOp::get("cnt", None),
        ])
        .or_else([TxnOp::put("failed", "yes", None)]);
    let resp = c.txn(txn).await.unwrap();
    assert!(resp.succeeded());
    assert_eq!(
        resp.header().unwrap().revision(),
        3,
        "all writes of a txn share one revision"
    );
    match &resp.op_responses()[2] {
        TxnOpResponse::Get(g) => {
            assert_eq!(g.kvs()[0].value(), b"6", "reads see the txn's own writes")
        }
        other => panic!("unexpected {other:?}"),
    }
    let other = c.get("other", None).await.unwrap();
    assert_eq!(other.kvs()[0].mod_revision(), 3);

    let failing = Txn::new()
        .when([Compare::mod_revision("cnt", CompareOp::Less, 2)])
        .and_then([TxnOp::put("never", "x", None)])
        .or_else([TxnOp::txn(
            Txn::new()
                .when([])
                .and_then([TxnOp::put("nested", "y", None)]),
        )]);
    let resp = c.txn(failing).await.unwrap();
    assert!(!resp.succeeded());
    assert!(c.get("never", None).await.unwrap().kvs().is_empty());
    assert_eq!(c.get("nested", None).await.unwrap().kvs()[0].value(), b"y");

    let read_only = c
        .txn(Txn::new().and_then([TxnOp::get("cnt", None)]))
        .await
        .unwrap();
    assert_eq!(
        read_only.header().unwrap().revision(),
        4,
        "a txn without writes takes no revision"
    );
}

#[tokio::test]
async fn compaction_and_revision_errors_match_etcd() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    for i in 1..=5 {
        c.put("ck", format!("v{i}"), None).await.unwrap();
    }
    c.compact(4, None).await.unwrap();
    let (code, msg) = status_message(
        c.get("ck", Some(GetOptions::new().with_revision(3)))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code, msg.as_str()),
        (
            tonic::Code::OutOfRange,
            "etcdserver: mvcc: required revision has been compacted"
        )
    );
    assert_eq!(
        c.get("ck", Some(GetOptions::new().with_revision(4)))
            .await
            .unwrap()
            .kvs()[0]
            .value(),
        b"v3"
    );
    let (code, msg) = status_message(
        c.get("ck", Some(GetOptions::new().with_revision(100)))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code, msg.as_str()),
        (
            tonic::Code::OutOfRange,
            "etcdserver: mvcc: required revision is a future revision"
        )
    );
    let (_, msg) = status_message(c.compact(4, None).await.unwrap_err());
    assert_eq!(
        msg,
        "etcdserver: mvcc: required revision has been compacted"
    );
    let (_, msg) = status_message(c.compact(100, None).await.unwrap_err());
    assert_eq!(
        msg,
        "etcdserver: mvcc: required revision is a future revision"
    );
    c.compact(
        6,
        Some(etcd_client::CompactionOptions::new().with_physical()),
    )
    .await
    .unwrap();
    assert_eq!(c.get("ck", None).await.unwrap().kvs()[0].value(), b"v5");
}

#[tokio::test]
async fn bad_requests_fail_with_etcds_errors_and_change_nothing() {
    let server = Server::start(&["--max-txn-ops", "4"]);
    let mut c = server.client().await;
    let rev = c
        .put("a", "1", None)
        .await
        .unwrap()
        .header()
        .unwrap()
        .revision();

    let cases: Vec<(Result<(), etcd_client::Error>, tonic::Code, &str)> = vec![
        (
            c.put("", "v", None).await.map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: key is not provided",
        ),
        (
            c.get("", None).await.map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: key is not provided",
        ),
        (
            c.delete("", None).await.map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: key is not provided",
        ),
        (
            c.put("absent", "", Some(PutOptions::new().with_ignore_value()))
                .await
                .map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: key not found",
        ),
        (
            c.put("a", "v", Some(PutOptions::new().with_ignore_value()))
                .await
                .map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: value is provided",
        ),
        (
            c.put("a", "v", Some(PutOptions::new().with_lease(42)))
                .await
                .map(drop),
            tonic::Code::NotFound,
            "etcdserver: requested lease not found",
        ),
        (
            c.txn(
                Txn::new().and_then(
                    (0..5)
                        .map(|i| TxnOp::put(format!("k{i}"), "v", None))
                        .collect::<Vec<_>>(),
                ),
            )
            .await
            .map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: too many operations in txn request",
        ),
        (
            c.txn(Txn::new().and_then([TxnOp::put("x", "1", None), TxnOp::delete("x", None)]))
                .await
                .map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: duplicate key given in txn request",
        ),
        (
            c.put("big", vec![b'x'; 1_600_000], None).await.map(drop),
            tonic::Code::InvalidArgument,
            "etcdserver: request is too large",
        ),
    ];
    for (i, (result, code, msg)) in cases.into_iter().enumerate() {
        let (got_code, got_msg) = status_message(result.expect_err(&format!("case {i} must fail")));
        assert_eq!((got_code, got_msg.as_str()), (code, msg), "case {i}");
    }
    let after = c.get("a", None).await.unwrap();
    assert_eq!(
        after.header().unwrap().revision(),
        rev,
        "failed requests change nothing"
    );
    assert_eq!(after.kvs()[0].value(), b"1");
    // Just under the limit is fine.
    c.put("okvalue", vec![b'y'; 1_400_000], None).await.unwrap();
}

#[tokio::test]
async fn status_member_list_and_http_endpoints() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    c.put("k", "v", None).await.unwrap();
    let status = c.status().await.unwrap();
    let header = status.header().unwrap();
    assert_eq!(status.leader(), header.member_id(), "a lone member leads");
    assert!(status.raft_index() >= 2);
    assert!(status.db_size() > 0);
    let members = c.member_list().await.unwrap();
    assert_eq!(members.members().len(), 1);
    let m = &members.members()[0];
    assert_eq!(m.name(), "t1");
    assert_eq!(m.id(), header.member_id());
    assert_eq!(
        m.client_urls(),
        [format!("http://127.0.0.1:{}", server.client_port)]
    );

    let (code, body) = common::http_get(server.client_port, "/health").unwrap();
    assert_eq!((code, body.as_str()), (200, r#"{"health":"true"}"#));
    let (code, body) = common::http_get(server.client_port, "/version").unwrap();
    assert_eq!(code, 200);
    assert!(
        body.contains("\"etcdserver\":\"3.6") && body.contains("\"etcdcluster\":\"3.6"),
        "{body}"
    );
    let (code, body) = common::http_get(server.client_port, "/metrics").unwrap();
    assert_eq!(code, 200);
    assert!(body.contains("etcd_server_has_leader 1"), "{body}");
    let (code, body) = common::http_request(
        server.client_port,
        "POST",
        "/v3/kv/range",
        r#"{"key":"aw=="}"#,
    )
    .unwrap();
    assert_eq!(code, 200);
    assert!(
        body.contains(r#""value":"dg==""#) && body.contains(r#""count":"1""#),
        "{body}"
    );
    let (code, body) = common::http_request(
        server.client_port,
        "POST",
        "/v3/kv/put",
        r#"{"value":"eA=="}"#,
    )
    .unwrap();
    assert_eq!(code, 400);
    assert!(
        body.contains("etcdserver: key is not provided") && body.contains(r#""code":3"#),
        "{body}"
    );
    // etcd 3.4 still serves its gateway under /v3beta; /v3alpha it no longer knows.
    let (code, body) = common::http_request(
        server.client_port,
        "POST",
        "/v3beta/kv/range",
        r#"{"key":"aw=="}"#,
    )
    .unwrap();
    assert_eq!(code, 200);
    assert!(body.contains(r#""value":"dg==""#), "{body}");
    let (code, _) =
        common::http_request(server.client_port, "POST", "/v3alpha/kv/range", "{}").unwrap();
    assert_eq!(code, 404);
}

#[tokio::test]
async fn hash_covers_the_backend_and_changes_with_writes() {
    let server = Server::start(&[]);
    let mut c = server.client().await;
    c.put("h", "1", None).await.unwrap();
    let mut m = c.maintenance_client();
    let first = m.hash().await.unwrap().hash();
    assert_eq!(
        m.hash().await.unwrap().hash(),
        first,
        "stable while nothing changes"
    );
    c.put("h", "2", None).await.unwrap();
    assert_ne!(c.maintenance_client().hash().await.unwrap().hash(), first);
}

/// RangeStream's chunks for `req` against the same Range: the same keys, count, `more` and
/// revision; the number of chunks.
async fn assert_stream_matches_range(
    kv: &mut oxcd_proto::etcdserverpb::kv_client::KvClient<tonic::transport::Channel>,
    req: oxcd_proto::etcdserverpb::RangeRequest,
) -> usize {
    let whole = kv.range(req.clone()).await.unwrap().into_inner();
    let mut stream = kv.range_stream(req.clone()).await.unwrap().into_inner();
    let mut chunks = 0;
    let mut merged = Vec::new();
    let mut first = None;
    while let Some(msg) = stream.message().await.unwrap() {
        let part = msg.range_response.unwrap();
        chunks += 1;
        if first.is_none() {
            first = Some((part.header, part.count, part.more));
        }
        merged.extend(part.kvs);
    }
    let (header, count, more) = first.unwrap();
    let what = format!("limit {} at revision {}", req.limit, req.revision);
    assert_eq!(
        merged, whole.kvs,
        "{what}: the chunks add up to the Range result"
    );
    assert_eq!((count, more), (whole.count, whole.more), "{what}");
    assert_eq!(header.unwrap().revision, whole.header.unwrap().revision);
    chunks
}

#[tokio::test]
async fn range_stream_delivers_the_range_result_in_pages() {
    use oxcd_proto::etcdserverpb::{kv_client::KvClient, RangeRequest};
    let server = Server::start(&[]);
    let mut c = server.client().await;
    for i in 0..2500 {
        c.put(format!("rs/{i:05}"), format!("v{i}"), None)
            .await
            .unwrap();
    }
    let mut kv = KvClient::connect(format!("http://{}", server.endpoint()))
        .await
        .unwrap();
    let range = |limit, keys_only, revision| RangeRequest {
        key: b"rs/".to_vec(),
        range_end: b"rs0".to_vec(),
        limit,
        keys_only,
        revision,
        ..Default::default()
    };
    for (limit, keys_only) in [(0, false), (1200, true), (10, false)] {
        let chunks = assert_stream_matches_range(&mut kv, range(limit, keys_only, 0)).await;
        if limit == 0 {
            assert!(chunks >= 3, "2500 keys come in several pages, got {chunks}");
        }
    }
    // At a past revision every page is read at that revision (kube-apiserver's paged lists
    // stream at the first page's revision): keys deleted or added since must not leak in.
    let before = c
        .get("rs/", None)
        .await
        .unwrap()
        .header()
        .unwrap()
        .revision();
    c.delete("rs/01", Some(DeleteOptions::new().with_prefix()))
        .await
        .unwrap();
    c.put("rs/00999a", "new", None).await.unwrap();
    for limit in [0, 1200, 4] {
        assert_stream_matches_range(&mut kv, range(limit, false, before)).await;
    }
    let mut stream = kv
        .range_stream(range(0, true, before))
        .await
        .unwrap()
        .into_inner();
    let mut keys = 0;
    while let Some(msg) = stream.message().await.unwrap() {
        keys += msg.range_response.unwrap().kvs.len();
    }
    assert_eq!(keys, 2500, "the keys as they were at revision {before}");
}

#[tokio::test]
async fn serves_on_a_unix_socket() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("oxcd.sock");
    let mut server = Server::cluster(1, &[]).pop().unwrap();
    let urls = format!(
        "http://127.0.0.1:{},unix://{}",
        server.client_port,
        sock.display()
    );
    server.extra = vec!["--listen-client-urls".into(), urls];
    server.restart();
    let mut s = std::os::unix::net::UnixStream::connect(&sock).unwrap();
    write!(
        s,
        "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(
        out.starts_with("HTTP/1.1 200") && out.ends_with(r#"{"health":"true"}"#),
        "{out}"
    );
    drop(server);
}

/// `--auto-compaction-mode periodic --auto-compaction-retention 2s`: the leader compacts on its
/// own, keeping about the retention of history, and logs it as etcd does.
#[tokio::test]
async fn periodic_auto_compaction_compacts_old_history_on_its_own() {
    let server = Server::start(&[
        "--auto-compaction-mode",
        "periodic",
        "--auto-compaction-retention",
        "2s",
        "--log-level",
        "info",
    ]);
    let mut c = server.client().await;
    for i in 0..5 {
        c.put("auto", format!("v{i}"), None).await.unwrap();
    }
    let last = c.get("auto", None).await.unwrap().kvs()[0].mod_revision();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let old = c
            .get("auto", Some(GetOptions::new().with_revision(last - 1)))
            .await;
        match old {
            Err(e)
                if e.to_string()
                    .contains("required revision has been compacted") =>
            {
                break
            }
            Err(e) => panic!("{e}"),
            Ok(_) => {}
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never compacted:\n{}",
            server.log()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // The newest revision stays readable: the compactor keeps history, it does not drop it all.
    let now = c
        .get("auto", Some(GetOptions::new().with_revision(last)))
        .await;
    assert_eq!(now.unwrap().kvs()[0].value(), b"v4");
    let log = server.log();
    assert!(log.contains("starting auto periodic compaction"), "{log}");
    assert!(log.contains("completed auto periodic compaction"), "{log}");
}

/// etcd 3.6's probes: `/livez` and `/readyz` with their checks, `?verbose`, `?exclude=` and a
/// path per check; a CORRUPT alarm makes the member unready but still live.
#[tokio::test]
async fn livez_and_readyz_answer_as_etcd_3_6() {
    let server = Server::start(&[]);
    let get = |path: &str| common::http_get(server.client_port, path).expect("http");
    assert_eq!(get("/livez"), (200, "ok\n".to_string()));
    assert_eq!(
        get("/readyz?verbose"),
        (
            200,
            "[+]data_corruption ok\n[+]serializable_read ok\n[+]linearizable_read ok\n\
             [+]non_learner ok\nok\n"
                .to_string()
        )
    );
    assert_eq!(get("/readyz/linearizable_read"), (200, "ok\n".to_string()));
    let posted = common::http_request(server.client_port, "POST", "/livez", "").expect("http");
    assert_eq!(posted, (405, "Method Not Allowed\n".to_string()));

    let mut c = server.client().await;
    let id = c.status().await.unwrap().header().unwrap().member_id();
    let mut opts = etcd_client::AlarmOptions::new();
    opts.with_member(id);
    c.alarm(
        etcd_client::AlarmAction::Activate,
        etcd_client::AlarmType::Corrupt,
        Some(opts),
    )
    .await
    .unwrap();
    let (code, body) = get("/readyz");
    assert_eq!(code, 503);
    assert!(
        body.starts_with(
            "[-]data_corruption failed: alarm activated: CORRUPT\n[+]serializable_read ok\n"
        ),
        "{body}"
    );
    assert_eq!(
        get("/readyz?exclude=data_corruption"),
        (200, "ok\n".to_string())
    );
    assert_eq!(get("/livez"), (200, "ok\n".to_string()));
}

/// HashKV at the revision a put was just answered with works at once, as in etcd, although the
/// put is answered before its backend commit publishes it (`--snapshot-count 1` makes every
/// commit durable, which holds that window open).
#[tokio::test]
async fn hash_kv_at_an_answered_revision_works_at_once() {
    let flags = ["--snapshot-count", "1"];
    let etcd = common::etcd::Etcd::start(&flags);
    let server = Server::start(&flags);
    for endpoint in [etcd.endpoint(), server.endpoint()] {
        let mut client = Client::connect([endpoint.as_str()], None)
            .await
            .expect("connect");
        for round in 0..30 {
            let written = client
                .put("hashed", format!("value {round}"), None)
                .await
                .expect("put")
                .header()
                .expect("header")
                .revision();
            let hashed = client.hash_kv(written).await;
            assert!(hashed.is_ok(), "{endpoint}, round {round}: {hashed:?}");
        }
    }
}

/// What a gRPC call to a path that names no method gets: the status grpc-go gives, headers
/// alone, read raw with curl, against etcd 3.4's; and no RPC counted for it.
#[test]
fn calls_that_name_no_method_are_answered_as_etcd_answers_them() {
    if !common::etcd_bins::tools_present() {
        return;
    }
    let paths = [
        "/foo.Bar/Baz",
        "/etcdserverpb.KV/Nope",
        "/etcdserverpb.KV",
        "/nothing",
        "/etcdserverpb.KV/Range/extra",
        "/grpc.health.v1.Health/Nope",
    ];
    let answers = |port: u16| -> Vec<String> {
        paths
            .iter()
            .map(|path| {
                // No body: both servers answer from the path alone, and a body still being
                // sent when the answer resets the stream makes curl print nothing at times.
                let out = std::process::Command::new("curl")
                    .args(["-s", "-i", "--http2-prior-knowledge", "-X", "POST"])
                    .args(["-H", "content-type: application/grpc", "-H", "te: trailers"])
                    .arg(format!("http://127.0.0.1:{port}{path}"))
                    .output()
                    .expect("run curl");
                let headers = String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .map(str::trim_end)
                    .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("date:"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                format!("{path}: {headers}")
            })
            .collect()
    };
    let etcd = common::etcd::Etcd::start(&[]);
    let expected = answers(etcd.client_port);
    let server = Server::start(&[]);
    assert_eq!(answers(server.client_port), expected);
    assert!(
        expected[0].contains("grpc-message: unknown service foo.Bar"),
        "{expected:?}"
    );
    let (_, metrics) = common::http_get(server.client_port, "/metrics").expect("metrics");
    for name in ["foo.Bar", "Nope", "nothing", "extra"] {
        assert!(!metrics.contains(name), "{name} counted:\n{metrics}");
    }
}
