//! oxcd's Hierarchy RPC and `oxctl ls` on it, against the real etcd 3.4 loaded with the same
//! keys: `ls` must print the same through the RPC (oxcd) as through its keys-only ranges
//! (etcd), `ls -l`'s totals must be what every key and value below says, and the RPC must page,
//! check permissions as a Range over the level would, and be absent from etcd.
//!
//! Needs `oxctl` built next to this test's binary (`cargo build -p oxctl`).

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Output};

use common::etcd::Etcd;
use common::etcd_bins::tools_present;
use common::{http_exchange_with, Server};
use etcd_client::{Client, Txn, TxnOp};
use oxcd_proto::oxcd::v1::{hierarchy_client::HierarchyClient, ListRequest, ListResponse};
use tonic::Code;

/// Children of `/many`: more than one page of the RPC (1000) and of `ls`'s ranges (500).
const MANY: usize = 2500;

/// The keys both servers hold, with their values.
fn keys() -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut keys: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    let mut put = |key: &[u8], size: usize| {
        keys.insert(key.to_vec(), vec![b'v'; size]);
    };
    for (i, ns) in ["default", "kube-system", "monitoring"].iter().enumerate() {
        for n in 0..(3 + i) {
            put(
                format!("/registry/pods/{ns}/pod-{n}").as_bytes(),
                100 + n * 7,
            );
            put(
                format!("/registry/configmaps/{ns}/cm-{n}").as_bytes(),
                10 * n,
            );
        }
    }
    put(b"/registry/services/specs/default/kubernetes", 300);
    put(b"/registry/ranges/serviceips", 42);
    put(b"/registry/pods-x", 5);
    // Look-alike siblings, and a name that is a key and a directory.
    for (key, size) in [
        ("/a/pods", 3),
        ("/a/pods-x", 4),
        ("/a/pods/1", 5),
        ("/a/pods0", 6),
    ] {
        put(key.as_bytes(), size);
    }
    // The root's odd corners.
    for (key, size) in [("top", 1), ("dir/x", 2), ("/", 3), ("//x", 4), ("/a/", 0)] {
        put(key.as_bytes(), size);
    }
    // Not UTF-8.
    put(b"/bin/\xff\xfe", 9);
    put(b"/bin/ok/\x80", 8);
    put(b"\xffroot/x", 7);
    for i in 0..MANY {
        put(format!("/many/k{i:05}").as_bytes(), i % 17);
    }
    for i in 0..30 {
        put(format!("/many/d{i:03}/x").as_bytes(), i);
    }
    keys
}

/// Keys written and then deleted: tombstones the listing must not show.
const DELETED: &[&str] = &["/registry/pods/gone/x", "/registry/gone", "/many/k99999"];

async fn load(endpoint: &str, keys: &BTreeMap<Vec<u8>, Vec<u8>>) {
    let mut client = Client::connect([endpoint], None).await.expect("connect");
    let all: Vec<(Vec<u8>, Vec<u8>)> = keys.clone().into_iter().collect();
    for batch in all.chunks(100) {
        let ops: Vec<TxnOp> = batch
            .iter()
            .map(|(k, v)| TxnOp::put(k.clone(), v.clone(), None))
            .collect();
        client.txn(Txn::new().and_then(ops)).await.expect("txn");
    }
    for key in DELETED {
        client.put(*key, "soon gone", None).await.expect("put");
        client.delete(*key, None).await.expect("delete");
    }
}

fn ctl(endpoint: &str, args: &[&[u8]]) -> Output {
    use std::os::unix::ffi::OsStrExt;
    Command::new(common::oxctl())
        .args(["--endpoints", endpoint])
        .args(args.iter().map(|a| std::ffi::OsStr::from_bytes(a)))
        .output()
        .expect("run oxctl")
}

/// `oxctl` `args`' stdout, which must have succeeded.
fn ok(endpoint: &str, args: &[&[u8]]) -> Vec<u8> {
    let out = ctl(endpoint, args);
    assert!(out.status.success(), "oxctl {args:?}: {out:?}");
    out.stdout
}

/// What `ls PREFIX` lists, from every key: each key below the base cut at the next '/', with
/// the keys and value bytes at and below each child.
fn naive(keys: &BTreeMap<Vec<u8>, Vec<u8>>, prefix: &[u8]) -> BTreeMap<Vec<u8>, (usize, usize)> {
    let mut out: BTreeMap<Vec<u8>, (usize, usize)> = BTreeMap::new();
    for (key, value) in keys {
        let name = if prefix.is_empty() {
            let lead = usize::from(key.starts_with(b"/"));
            let cut = key[lead..].iter().position(|&b| b == b'/');
            key[..cut.map_or(key.len(), |c| lead + c)].to_vec()
        } else {
            let base = if prefix.ends_with(b"/") {
                prefix.to_vec()
            } else {
                [prefix, b"/"].concat()
            };
            let Some(rest) = key.strip_prefix(base.as_slice()) else {
                continue;
            };
            let segment = rest.split(|&b| b == b'/').next().unwrap_or_default();
            [&base[..], segment].concat()
        };
        let entry = out.entry(name).or_default();
        entry.0 += 1;
        entry.1 += value.len();
    }
    out
}

/// `ls -l`'s lines as (name, keys, value bytes).
fn parse_long(stdout: &[u8]) -> BTreeMap<Vec<u8>, (usize, usize)> {
    stdout
        .split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let cells: Vec<&[u8]> = line
                .split(|&b| b == b'\t')
                .filter(|c| !c.is_empty())
                .collect();
            assert_eq!(cells.len(), 3, "{:?}", String::from_utf8_lossy(line));
            let number = |c: &[u8]| String::from_utf8(c.to_vec()).unwrap().parse().unwrap();
            (cells[2].to_vec(), (number(cells[0]), number(cells[1])))
        })
        .collect()
}

async fn list(endpoint: &str, request: ListRequest) -> Result<ListResponse, tonic::Status> {
    let mut client = HierarchyClient::connect(format!("http://{endpoint}"))
        .await
        .expect("connect");
    client.list(request).await.map(tonic::Response::into_inner)
}

/// [`list`] with a user's token.
async fn list_as(
    endpoint: &str,
    request: ListRequest,
    token: &str,
) -> Result<ListResponse, tonic::Status> {
    let mut client = HierarchyClient::connect(format!("http://{endpoint}"))
        .await
        .expect("connect");
    let mut request = tonic::Request::new(request);
    request
        .metadata_mut()
        .insert("token", token.parse().expect("a token is ASCII"));
    client.list(request).await.map(tonic::Response::into_inner)
}

const PREFIXES: &[&[u8]] = &[
    b"",
    b"/",
    b"/registry",
    b"/registry/",
    b"/registry/pods",
    b"/registry/pods/default",
    b"/registry/pods/default/pod-0",
    b"/a",
    b"/a/",
    b"/a/pods",
    b"/many",
    b"/bin",
    b"/bin/ok",
    b"\xffroot",
    b"top",
    b"dir",
    b"/nothing",
    b"/registry/gone",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ls_through_the_rpc_prints_what_etcd_lists_and_counts_every_key() {
    if !tools_present() {
        return;
    }
    let oxcd = Server::start(&[]);
    let etcd = Etcd::start(&[]);
    let (ox, et) = (oxcd.endpoint(), etcd.endpoint());
    let keys = keys();
    load(&ox, &keys).await;
    load(&et, &keys).await;

    for prefix in PREFIXES {
        let args: &[&[u8]] = &[b"ls", prefix];
        let through_rpc = ok(&ox, args);
        assert_eq!(
            through_rpc,
            ok(&et, args),
            "ls {:?}",
            String::from_utf8_lossy(prefix)
        );
        assert_eq!(through_rpc, ok(&ox, &[b"ls", b"--scan", prefix]));
        let expected = naive(&keys, prefix);
        let names: Vec<u8> = expected
            .keys()
            .flat_map(|n| [&n[..], b"\n"].concat())
            .collect();
        assert_eq!(
            through_rpc,
            names,
            "ls {:?}",
            String::from_utf8_lossy(prefix)
        );

        let long = ok(&ox, &[b"ls", b"-l", prefix]);
        assert_eq!(
            parse_long(&long),
            expected,
            "ls -l {:?}",
            String::from_utf8_lossy(prefix)
        );
        assert_eq!(
            long,
            ok(&et, &[b"ls", b"-l", prefix]),
            "etcd's totals by scanning"
        );
        assert_eq!(long, ok(&ox, &[b"ls", b"--long", b"--scan", prefix]));
    }
    // oxctl asked oxcd's RPC (and etcd's Range, having found no RPC there).
    let (_, metrics) = common::http_get(oxcd.client_port, "/metrics").expect("metrics");
    let listed = "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"List\",grpc_service=\"oxcd.v1.Hierarchy\",grpc_type=\"unary\"}";
    assert!(metrics.contains(listed), "{metrics}");
    let many = ok(&ox, &[b"ls", b"/many"]);
    assert_eq!(many.split(|&b| b == b'\n').count() - 1, MANY + 30);
    assert_eq!(
        ok(&ox, &[b"ls", b"-r", b"/a"]),
        b"/a/\n/a/pods\n/a/pods-x\n/a/pods/1\n/a/pods0\n".to_vec()
    );
    let both = ctl(&ox, &[b"ls", b"-l", b"-r", b"/a"]);
    assert_eq!(both.status.code(), Some(128), "{both:?}");
    assert_eq!(
        String::from_utf8_lossy(&both.stderr),
        "Error: ls --long lists one level: it does not combine with --recursive\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rpc_pages_by_name_and_etcd_does_not_have_it() {
    if !tools_present() {
        return;
    }
    let oxcd = Server::start(&[]);
    let etcd = Etcd::start(&[]);
    let keys = keys();
    load(&oxcd.endpoint(), &keys).await;

    let mut names = Vec::new();
    let mut after = Vec::new();
    let mut pages = 0;
    loop {
        let request = ListRequest {
            prefix: b"/many".to_vec(),
            after: after.clone(),
            limit: 1000,
            serializable: pages % 2 == 1,
            ..Default::default()
        };
        let page = list(&oxcd.endpoint(), request).await.expect("list");
        assert!(page
            .header
            .as_ref()
            .is_some_and(|h| h.revision > 1 && h.cluster_id != 0));
        pages += 1;
        assert!(page.children.len() <= 1000);
        names.extend(page.children.iter().map(|c| c.name.clone()));
        after = page.children.last().expect("a page").name.clone();
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<Vec<u8>> = naive(&keys, b"/many").into_keys().collect();
    assert_eq!(names, expected);

    let whole = list(
        &oxcd.endpoint(),
        ListRequest {
            prefix: b"/a".to_vec(),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    let pods = &whole.children[1];
    assert_eq!(
        (
            pods.name.as_slice(),
            pods.is_key,
            pods.has_children,
            pods.keys,
            pods.value_bytes
        ),
        (&b"/a/pods"[..], true, true, 2, 8)
    );
    assert_eq!(pods.key_bytes as usize, keys[&b"/a/pods"[..]].len());

    // Without a limit, or with one above it, an answer holds the server's page at most.
    let mut client = Client::connect([oxcd.endpoint()], None)
        .await
        .expect("connect");
    for batch in 0..101 {
        let ops: Vec<TxnOp> = (0..100)
            .map(|i| TxnOp::put(format!("/wide/{:05}", batch * 100 + i), "", None))
            .collect();
        client.txn(Txn::new().and_then(ops)).await.expect("txn");
    }
    for limit in [0, 20_000] {
        let request = ListRequest {
            prefix: b"/wide".to_vec(),
            limit,
            ..Default::default()
        };
        let page = list(&oxcd.endpoint(), request).await.expect("list");
        assert_eq!((page.children.len(), page.more), (10_000, true));
    }
    assert!(!whole.more);
    let empty = ListRequest {
        prefix: b"/nothing".to_vec(),
        ..Default::default()
    };
    let nothing = list(&oxcd.endpoint(), empty).await.expect("list");
    assert_eq!((nothing.children.len(), nothing.more), (0, false));

    let negative = ListRequest {
        limit: -1,
        ..Default::default()
    };
    let refused = list(&oxcd.endpoint(), negative).await.expect_err("refused");
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(refused.message(), "oxcd: limit must not be negative");
    let missing = list(&etcd.endpoint(), ListRequest::default())
        .await
        .expect_err("etcd");
    assert_eq!(missing.code(), Code::Unimplemented);

    // The JSON gateway's route, and grpc-prometheus' counters for an oxcd service.
    let reply = http_exchange_with(
        oxcd.client_port,
        "POST",
        "/v3/oxcd/hierarchy/list",
        &[("Content-Type", "application/json")],
        r#"{"prefix":"L2E=","limit":"2"}"#,
    )
    .expect("gateway");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(body["children"][0]["name"], "L2Ev"); // "/a/"
    assert_eq!(body["children"][1]["name"], "L2EvcG9kcw=="); // "/a/pods"
    assert_eq!(body["children"][1]["keys"], "2");
    assert_eq!(body["more"], true);
    let (status, metrics) = common::http_get(oxcd.client_port, "/metrics").expect("metrics");
    assert_eq!(status, 200);
    for code in ["OK", "InvalidArgument"] {
        let series = format!(
            "grpc_server_handled_total{{grpc_code=\"{code}\",grpc_method=\"List\",grpc_service=\"oxcd.v1.Hierarchy\",grpc_type=\"unary\"}}"
        );
        assert!(metrics.contains(&series), "no {series} in:\n{metrics}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_needs_read_permission_on_the_whole_level_as_on_etcd() {
    if !tools_present() {
        return;
    }
    let oxcd = Server::start(&[]);
    let etcd = Etcd::start(&[]);
    let keys = keys();
    for endpoint in [oxcd.endpoint(), etcd.endpoint()] {
        load(&endpoint, &keys).await;
        for args in [
            &["user", "add", "root:root-pw"][..],
            &["role", "add", "root"],
            &["user", "grant-role", "root", "root"],
            &["role", "add", "pods"],
            &[
                "role",
                "grant-permission",
                "pods",
                "read",
                "/registry/pods/",
                "--prefix=true",
            ],
            &["user", "add", "alice:alice-pw"],
            &["user", "grant-role", "alice", "pods"],
            &["auth", "enable"],
        ] {
            let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
            ok(&endpoint, &args);
        }
    }
    let (ox, et) = (oxcd.endpoint(), etcd.endpoint());
    let alice: &[u8] = b"--user=alice:alice-pw";
    for prefix in [&b"/registry"[..], b"/registry/configmaps", b"", b"/"] {
        let args: &[&[u8]] = &[alice, b"ls", prefix];
        let (denied, on_etcd) = (ctl(&ox, args), ctl(&et, args));
        assert_eq!(denied.status.code(), Some(1), "{denied:?}");
        assert_eq!(
            String::from_utf8_lossy(&denied.stderr),
            "Error: etcdserver: permission denied\n"
        );
        assert_eq!(
            (denied.stdout, denied.stderr),
            (on_etcd.stdout, on_etcd.stderr)
        );
    }
    for prefix in [
        &b"/registry/pods"[..],
        b"/registry/pods/",
        b"/registry/pods/default",
    ] {
        let args: &[&[u8]] = &[alice, b"ls", b"-l", prefix];
        assert_eq!(ok(&ox, args), ok(&et, args));
    }
    let root: &[u8] = b"--user=root:root-pw";
    assert_eq!(ok(&ox, &[root, b"ls", b""]), ok(&et, &[root, b"ls", b""]));
    let anonymous = list(
        &ox,
        ListRequest {
            prefix: b"/registry/pods".to_vec(),
            ..Default::default()
        },
    )
    .await
    .expect_err("no user");
    assert_eq!(anonymous.message(), "etcdserver: user name is empty");

    // The RPC's own answer, through the gateway with alice's token.
    let token = {
        let reply = http_exchange_with(
            oxcd.client_port,
            "POST",
            "/v3/auth/authenticate",
            &[("Content-Type", "application/json")],
            r#"{"name":"alice","password":"alice-pw"}"#,
        )
        .expect("authenticate");
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        body["token"].as_str().expect("a token").to_string()
    };
    let as_alice = |prefix_base64: &str| {
        http_exchange_with(
            oxcd.client_port,
            "POST",
            "/v3/oxcd/hierarchy/list",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &token),
            ],
            &format!(r#"{{"prefix":"{prefix_base64}"}}"#),
        )
        .expect("gateway")
    };
    let denied = as_alice("L3JlZ2lzdHJ5"); // "/registry"
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert!(
        denied.body.contains("etcdserver: permission denied"),
        "{}",
        denied.body
    );
    let allowed = as_alice("L3JlZ2lzdHJ5L3BvZHM="); // "/registry/pods"
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    assert!(allowed.body.contains(r#""keys":"3""#), "{}", allowed.body);

    // With readable_only, what alice may read of a level she may not read whole: the children
    // she may read entirely, and nothing of the others (not even their names or counts).
    let readable = |prefix: &[u8], after: &[u8], limit: i64| ListRequest {
        prefix: prefix.to_vec(),
        after: after.to_vec(),
        limit,
        readable_only: true,
        ..Default::default()
    };
    let shown = list_as(&ox, readable(b"/registry", b"", 0), &token)
        .await
        .expect("list");
    let names: Vec<&[u8]> = shown.children.iter().map(|c| c.name.as_slice()).collect();
    assert_eq!(names, [&b"/registry/pods"[..]]);
    let pods = naive(&keys, b"/registry")[&b"/registry/pods"[..]];
    assert_eq!(
        (
            shown.children[0].keys as usize,
            shown.children[0].value_bytes as usize
        ),
        pods
    );
    // A page whose children are all hidden still says where it ended, so paging goes on.
    let hidden = list_as(&ox, readable(b"/registry", b"", 1), &token)
        .await
        .expect("list");
    assert!(hidden.children.is_empty() && hidden.more && !hidden.last.is_empty());
    let root = list_as(&ox, readable(b"", b"", 0), &token)
        .await
        .expect("list");
    assert!(root.children.is_empty(), "{:?}", root.children);
    let anonymous = list(&ox, readable(b"/registry", b"", 0))
        .await
        .expect_err("no user");
    assert_eq!(anonymous.message(), "etcdserver: user name is empty");
}

/// A learner lists only serializably, as it serves only serializable Ranges.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_lists_only_serializably() {
    let first = Server::start(&[]);
    let mut client = first.client().await;
    client.put("/r/a/x", "12345", None).await.expect("put");
    let mut learner = Server::cluster(1, &[]).pop().expect("a member");
    learner.name = "learner".to_string();
    let peer = learner.advertised_peer_url();
    let options = etcd_client::MemberAddOptions::new().with_is_learner();
    client
        .member_add([peer.clone()], Some(options))
        .await
        .expect("member add");
    learner.initial_cluster = Some(format!("t1={},learner={peer}", first.advertised_peer_url()));
    learner.extra = vec!["--initial-cluster-state".into(), "existing".into()];
    learner.spawn();
    learner.wait_healthy(std::time::Duration::from_secs(30));
    let request = |serializable| ListRequest {
        prefix: b"/r".to_vec(),
        serializable,
        ..Default::default()
    };
    let refused = list(&learner.endpoint(), request(false))
        .await
        .expect_err("learner");
    assert_eq!(
        (refused.code(), refused.message()),
        (
            Code::Unavailable,
            "etcdserver: rpc not supported for learner"
        )
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let level = list(&learner.endpoint(), request(true))
            .await
            .expect("serializable");
        if let Some(child) = level.children.first() {
            assert_eq!(
                (child.name.as_slice(), child.keys, child.value_bytes),
                (&b"/r/a"[..], 1, 5)
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the learner never caught up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
