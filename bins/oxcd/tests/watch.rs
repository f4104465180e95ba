//! The Watch API through an independent client (the `etcd-client` crate) against a real `oxcd`
//! process: complete, ordered, unique histories under a concurrent workload, resumption after a
//! restart, etcd's edge semantics (compaction, filters, prev_kv, ids, progress, cancel), and
//! scale: 10,000 watchers on 100 streams, all freed when their streams go.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{http_get, Server};
use etcd_client::{
    Client, EventType, GetOptions, PutOptions, Txn, TxnOp, WatchFilterType, WatchOptions,
    WatchResponse, WatchStream,
};

/// One change of the store as the writers saw it: (revision, key, put value or None = delete).
type Change = (i64, String, Option<String>);

/// Waits for the next response of a stream.
async fn next(stream: &mut WatchStream) -> WatchResponse {
    tokio::time::timeout(Duration::from_secs(10), stream.message())
        .await
        .expect("a watch response within 10s")
        .expect("stream healthy")
        .expect("stream open")
}

/// Opens a stream with one watch and returns it with the created response.
async fn watch(
    client: &mut Client,
    key: &str,
    options: WatchOptions,
) -> (WatchStream, WatchResponse) {
    let mut stream = client.watch(key, Some(options)).await.expect("watch");
    let created = next(&mut stream).await;
    assert!(
        created.created(),
        "first response is the created one: {created:?}"
    );
    (stream, created)
}

fn changes_of(resp: &WatchResponse) -> Vec<Change> {
    resp.events()
        .iter()
        .map(|e| {
            let kv = e.kv().expect("event kv");
            let value = match e.event_type() {
                EventType::Put => Some(kv.value_str().unwrap().to_string()),
                EventType::Delete => None,
            };
            (kv.mod_revision(), kv.key_str().unwrap().to_string(), value)
        })
        .collect()
}

fn metric(port: u16, name: &str) -> i64 {
    let (_, body) = http_get(port, "/metrics").expect("metrics");
    body.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|v| v as i64)
        .unwrap_or_else(|| panic!("{name} missing from /metrics"))
}

/// Polls a metric until it has `want` (watchers are freed asynchronously).
async fn wait_metric(port: u16, name: &str, want: i64) {
    for _ in 0..200 {
        if metric(port, name) == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(metric(port, name), want, "{name}");
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Random puts, deletes and two-key txns; returns every change with its revision, from the
/// writers' own responses (independent of the watch code).
async fn random_writes(mut client: Client, seed: u64, count: usize) -> Vec<Change> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for i in 0..count {
        let key = format!("k/{}", rng.below(12));
        match rng.below(4) {
            0 => {
                let resp = client.delete(key.as_str(), None).await.expect("delete");
                if resp.deleted() == 1 {
                    out.push((resp.header().unwrap().revision(), key, None));
                }
            }
            1 => {
                let other = format!("k/{}", 12 + rng.below(4));
                let (a, b) = (format!("t{seed}-{i}a"), format!("t{seed}-{i}b"));
                let txn = Txn::new().and_then([
                    TxnOp::put(key.as_str(), a.as_str(), None),
                    TxnOp::put(other.as_str(), b.as_str(), None),
                ]);
                let resp = client.txn(txn).await.expect("txn");
                let rev = resp.header().unwrap().revision();
                out.push((rev, key, Some(a)));
                out.push((rev, other, Some(b)));
            }
            _ => {
                let value = format!("v{seed}-{i}");
                let resp = client
                    .put(key.as_str(), value.as_str(), None)
                    .await
                    .expect("put");
                out.push((resp.header().unwrap().revision(), key, Some(value)));
            }
        }
    }
    out
}

/// Collects a stream's events until a progress response proves everything up to `upto` was
/// delivered.
async fn drain_until(stream: &mut WatchStream, upto: i64) -> Vec<Change> {
    stream.request_progress().await.expect("progress request");
    let mut seen = Vec::new();
    loop {
        let resp = next(stream).await;
        if resp.watch_id() == -1 && resp.events().is_empty() {
            let rev = resp.header().unwrap().revision();
            if rev >= upto {
                return seen;
            }
            stream.request_progress().await.expect("progress request");
            continue;
        }
        assert!(!resp.canceled(), "unexpected cancel: {resp:?}");
        seen.extend(changes_of(&resp));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_watcher_sees_exactly_the_history_of_its_range() {
    let server = Server::start(&[]);
    let mut client = server.client().await;
    // Some history before any watcher exists.
    let mut history = random_writes(server.client().await, 1, 60).await;
    // Watchers: live ones and ones that replay from the past, over single keys and ranges.
    type Matches = Box<dyn Fn(&str) -> bool>;
    let specs: Vec<(&str, WatchOptions, i64, Matches)> = vec![
        (
            "k/3",
            WatchOptions::new(),
            0,
            Box::new(|k: &str| k == "k/3"),
        ),
        (
            "k/",
            WatchOptions::new().with_prefix(),
            0,
            Box::new(|k: &str| k.starts_with("k/")),
        ),
        (
            "k/1",
            WatchOptions::new().with_range("k/5"),
            0,
            Box::new(|k: &str| ("k/1".."k/5").contains(&k)),
        ),
        (
            "k/7",
            WatchOptions::new().with_from_key(),
            2,
            Box::new(|k: &str| k >= "k/7"),
        ),
        (
            "k/",
            WatchOptions::new().with_prefix(),
            30,
            Box::new(|k: &str| k.starts_with("k/")),
        ),
        (
            "k/13",
            WatchOptions::new(),
            10,
            Box::new(|k: &str| k == "k/13"),
        ),
    ];
    let mut watchers = Vec::new();
    for (key, options, start, matches) in specs {
        let (stream, created) = watch(&mut client, key, options.with_start_revision(start)).await;
        let from = if start == 0 {
            created.header().unwrap().revision() + 1
        } else {
            start
        };
        watchers.push((stream, from, matches));
    }
    // Concurrent writers while the watchers run.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let c = client.clone();
            tokio::spawn(random_writes(c, 100 + w, 150))
        })
        .collect();
    for w in writers {
        history.extend(w.await.expect("writer"));
    }
    history.sort_by_key(|c| c.0); // stable: a txn's two puts keep their order
    let last = history.last().unwrap().0;
    for (stream, from, matches) in &mut watchers {
        let expected: Vec<Change> = history
            .iter()
            .filter(|(rev, key, _)| rev >= from && matches(key))
            .cloned()
            .collect();
        let seen = drain_until(stream, last).await;
        assert_eq!(seen.len(), expected.len(), "watcher from {from}: count");
        assert_eq!(seen, expected, "watcher from {from}: history");
    }
}

#[tokio::test]
async fn resumes_after_a_restart_from_the_last_revision_plus_one() {
    let mut server = Server::start(&[]);
    let mut client = server.client().await;
    let (mut stream, _) = watch(&mut client, "r/", WatchOptions::new().with_prefix()).await;
    for i in 0..10 {
        client
            .put(format!("r/{}", i % 3), format!("a{i}"), None)
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    while seen.len() < 10 {
        seen.extend(changes_of(&next(&mut stream).await));
    }
    let last_seen = seen.last().unwrap().0;
    drop((stream, client));
    server.kill9();
    server.restart();
    let mut client = server.client().await;
    let mut written = Vec::new();
    for i in 0..5 {
        let r = client
            .put(format!("r/{i}"), format!("b{i}"), None)
            .await
            .unwrap();
        written.push((
            r.header().unwrap().revision(),
            format!("r/{i}"),
            Some(format!("b{i}")),
        ));
    }
    let options = WatchOptions::new()
        .with_prefix()
        .with_start_revision(last_seen + 1);
    let (mut stream, _) = watch(&mut client, "r/", options).await;
    let mut resumed = Vec::new();
    while resumed.len() < 5 {
        resumed.extend(changes_of(&next(&mut stream).await));
    }
    assert_eq!(
        resumed, written,
        "exactly the changes after the last one seen"
    );
    // And from the middle of the old history, the old tail comes first, then the new.
    let options = WatchOptions::new()
        .with_prefix()
        .with_start_revision(last_seen - 2);
    let (mut stream, _) = watch(&mut client, "r/", options).await;
    let mut replay = Vec::new();
    while replay.len() < 8 {
        replay.extend(changes_of(&next(&mut stream).await));
    }
    assert_eq!(&replay[..3], &seen[7..]);
    assert_eq!(&replay[3..], &written[..]);
}

#[tokio::test]
async fn compacted_start_revision_is_reported_and_cancels() {
    let server = Server::start(&[]);
    let mut client = server.client().await;
    for i in 0..5 {
        client.put("c", format!("{i}"), None).await.unwrap(); // revisions 2..=6
    }
    client.compact(4, None).await.unwrap();
    let (mut stream, created) =
        watch(&mut client, "c", WatchOptions::new().with_start_revision(2)).await;
    assert_eq!(created.header().unwrap().revision(), 6);
    let resp = next(&mut stream).await;
    assert!(resp.canceled());
    assert_eq!(resp.compact_revision(), 4);
    assert_eq!(resp.watch_id(), created.watch_id());
    assert_eq!(
        resp.header().unwrap().revision(),
        0,
        "etcd sends no revision here"
    );
    // The compacted revision itself is still watchable.
    let (mut stream, _) = watch(&mut client, "c", WatchOptions::new().with_start_revision(4)).await;
    let resp = next(&mut stream).await;
    let revs: Vec<i64> = changes_of(&resp).iter().map(|c| c.0).collect();
    assert_eq!(revs, vec![4, 5, 6], "history in one response");
    assert_eq!(resp.header().unwrap().revision(), 6);
}

#[tokio::test]
async fn filters_prev_kv_and_one_response_per_revision() {
    let server = Server::start(&[]);
    let mut client = server.client().await;
    client.put("f/a", "old", None).await.unwrap(); // 2
    let (mut no_put, _) = watch(
        &mut client,
        "f/",
        WatchOptions::new()
            .with_prefix()
            .with_filters([WatchFilterType::NoPut])
            .with_prev_key(),
    )
    .await;
    let (mut no_delete, _) = watch(
        &mut client,
        "f/",
        WatchOptions::new()
            .with_prefix()
            .with_filters([WatchFilterType::NoDelete]),
    )
    .await;
    client.put("f/a", "new", None).await.unwrap(); // 3
    let txn = Txn::new().and_then([
        TxnOp::put("f/b", "1", None),
        TxnOp::put("f/c", "2", None),
        TxnOp::delete("f/a", None),
    ]);
    client.txn(txn).await.unwrap(); // 4
    let deletes = next(&mut no_put).await;
    assert_eq!(changes_of(&deletes), vec![(4, "f/a".to_string(), None)]);
    let prev = deletes.events()[0]
        .prev_kv()
        .expect("prev_kv of the delete");
    assert_eq!((prev.value_str().unwrap(), prev.mod_revision()), ("new", 3));
    let first = next(&mut no_delete).await;
    assert_eq!(
        changes_of(&first),
        vec![(3, "f/a".to_string(), Some("new".to_string()))]
    );
    assert!(
        first.events()[0].prev_kv().is_none(),
        "prev_kv only when asked"
    );
    let txn_puts = next(&mut no_delete).await;
    assert_eq!(txn_puts.header().unwrap().revision(), 4);
    assert_eq!(
        changes_of(&txn_puts),
        vec![
            (4, "f/b".to_string(), Some("1".to_string())),
            (4, "f/c".to_string(), Some("2".to_string()))
        ],
        "a txn's events arrive together, in order"
    );
    // prev_kv on history: read at mod_revision - 1; none for a key's creation.
    let options = WatchOptions::new()
        .with_prefix()
        .with_start_revision(2)
        .with_prev_key();
    let (mut history, _) = watch(&mut client, "f/", options).await;
    let resp = next(&mut history).await;
    let prevs: Vec<Option<String>> = resp
        .events()
        .iter()
        .map(|e| e.prev_kv().map(|p| p.value_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        prevs,
        vec![None, Some("old".into()), None, None, Some("new".into())]
    );
}

#[tokio::test]
async fn ids_progress_and_cancel_as_etcd() {
    let server = Server::start(&[]);
    let mut client = server.client().await;
    let (mut stream, created) = watch(&mut client, "p", WatchOptions::new().with_watch_id(7)).await;
    assert_eq!(created.watch_id(), 7);
    // A duplicate id and an empty range: created + canceled, watch id -1, etcd's reasons.
    stream
        .watch("q", Some(WatchOptions::new().with_watch_id(7)))
        .await
        .unwrap();
    let dup = next(&mut stream).await;
    assert!(dup.created() && dup.canceled());
    assert_eq!(dup.watch_id(), -1);
    assert_eq!(
        dup.cancel_reason(),
        "mvcc: duplicate watch ID provided on the WatchStream"
    );
    stream
        .watch("z", Some(WatchOptions::new().with_range("a")))
        .await
        .unwrap();
    let empty = next(&mut stream).await;
    assert_eq!(
        (empty.watch_id(), empty.cancel_reason()),
        (-1, "mvcc: watcher range is empty")
    );
    // Server-assigned ids start at 0 and skip ids in use.
    stream.watch("p", None).await.unwrap();
    assert_eq!(next(&mut stream).await.watch_id(), 0);
    let put = client.put("p", "1", None).await.unwrap();
    let rev = put.header().unwrap().revision();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = next(&mut stream).await;
        assert_eq!(r.events().len(), 1);
        ids.push(r.watch_id());
    }
    ids.sort();
    assert_eq!(ids, vec![0, 7]);
    stream.request_progress().await.unwrap();
    let progress = next(&mut stream).await;
    assert_eq!(progress.watch_id(), -1);
    assert!(progress.events().is_empty() && !progress.created() && !progress.canceled());
    assert_eq!(progress.header().unwrap().revision(), rev);
    // Cancel: answered once; the canceled watch gets nothing more; unknown ids get nothing.
    stream.cancel(7).await.unwrap();
    let canceled = next(&mut stream).await;
    assert!(canceled.canceled() && canceled.watch_id() == 7);
    stream.cancel(99).await.unwrap();
    client.put("p", "2", None).await.unwrap();
    let r = next(&mut stream).await;
    assert_eq!((r.watch_id(), r.events().len()), (0, 1));
    // A future start revision waits for it.
    let future = rev + 3;
    let (mut waiting, _) = watch(
        &mut client,
        "p",
        WatchOptions::new().with_start_revision(future),
    )
    .await;
    client.put("p", "3", None).await.unwrap();
    client.put("p", "4", None).await.unwrap();
    let r = next(&mut waiting).await;
    assert_eq!(changes_of(&r)[0].0, future);
}

#[tokio::test]
async fn progress_notify_interval_flag() {
    let server = Server::start(&["--experimental-watch-progress-notify-interval", "200ms"]);
    let mut client = server.client().await;
    let put = client.put("n", "1", None).await.unwrap();
    let (mut stream, _) = watch(&mut client, "n", WatchOptions::new().with_progress_notify()).await;
    let r = next(&mut stream).await;
    assert!(r.events().is_empty() && !r.canceled());
    assert_eq!(r.watch_id(), 0);
    assert_eq!(
        r.header().unwrap().revision(),
        put.header().unwrap().revision()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_watchers_on_a_hundred_streams_and_no_leak() {
    let server = Server::start(&[]);
    let port = server.client_port;
    let mut client = server.client().await;
    let mut streams = Vec::new();
    for s in 0..100 {
        let mut stream = client
            .watch(format!("fan/{s}"), Some(WatchOptions::new().with_prefix()))
            .await
            .expect("watch");
        for w in 1..100 {
            let key = if w % 2 == 0 {
                "fan/".to_string()
            } else {
                format!("fan/{}", w % 10)
            };
            stream
                .watch(key, Some(WatchOptions::new().with_prefix()))
                .await
                .unwrap();
        }
        streams.push(stream);
    }
    for stream in &mut streams {
        for _ in 0..100 {
            assert!(next(stream).await.created());
        }
    }
    wait_metric(port, "etcd_debugging_mvcc_watcher_total", 10_000).await;
    assert_eq!(metric(port, "etcd_debugging_mvcc_watch_stream_total"), 100);
    // Five puts on fan/1: every watcher whose prefix covers it gets all five.
    for i in 0..5 {
        client.put("fan/1", format!("{i}"), None).await.unwrap();
    }
    let mut delivered = 0usize;
    for (s, stream) in streams.iter_mut().enumerate() {
        // 49 "fan/" watchers, 10 "fan/1" prefix watchers, and stream 1's first one.
        let watchers = 49 + 10 + usize::from(s == 1);
        let mut per_watch: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        // Several revisions of one watcher may share a response (as when etcd catches a
        // watcher up); count events, not responses.
        let mut received = 0;
        while received < watchers * 5 {
            let r = next(stream).await;
            assert!(!r.events().is_empty());
            for e in r.events() {
                per_watch
                    .entry(r.watch_id())
                    .or_default()
                    .push(e.kv().unwrap().mod_revision());
                received += 1;
                delivered += 1;
            }
        }
        assert_eq!(per_watch.len(), watchers, "stream {s}");
        for revs in per_watch.values() {
            assert!(
                revs.windows(2).all(|w| w[0] + 1 == w[1]),
                "in order, no gap: {revs:?}"
            );
        }
    }
    assert_eq!(delivered, 5 * (100 * 59 + 1));
    // Cancel every watch of the first half; drop the other streams outright.
    let second_half = streams.split_off(50);
    for stream in &mut streams {
        for id in 0..100 {
            stream.cancel(id).await.unwrap();
        }
    }
    for stream in &mut streams {
        for _ in 0..100 {
            assert!(next(stream).await.canceled());
        }
    }
    wait_metric(port, "etcd_debugging_mvcc_watcher_total", 5_000).await;
    drop(second_half);
    wait_metric(port, "etcd_debugging_mvcc_watcher_total", 0).await;
    drop(streams);
    wait_metric(port, "etcd_debugging_mvcc_watch_stream_total", 0).await;
    assert_eq!(metric(port, "etcd_debugging_mvcc_slow_watcher_total"), 0);
}

#[tokio::test]
async fn gateway_streams_watch_responses_as_json_lines() {
    let server = Server::start(&[]);
    let mut client = server.client().await;
    client.put("g", "1", Some(PutOptions::new())).await.unwrap();
    let port = server.client_port;
    let reader = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let body = r#"{"create_request":{"key":"Zw==","start_revision":"2"}}"#;
        write!(
            s,
            "POST /v3/watch HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out); // ends by the read timeout: the stream stays open
        String::from_utf8_lossy(&out).into_owned()
    });
    let text = reader.join().unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains(r#"{"result":{"header":{"#), "{text}");
    assert!(text.contains(r#""created":true"#), "{text}");
    assert!(text.contains(r#""events":[{"kv":{"key":"Zw==","create_revision":"2","mod_revision":"2","version":"1","value":"MQ=="}}]"#), "{text}");
    let _ = client.get("g", Some(GetOptions::new())).await.unwrap();
}

/// The shape of a fragmenting watch's answer: (fragment flag, events, encoded size) of each
/// response after the created one, until `events` events arrived.
async fn fragmented_history(port: u16, events: usize) -> Vec<(bool, usize, usize)> {
    use oxcd_proto::etcdserverpb::{
        watch_client::WatchClient, watch_request::RequestUnion, WatchCreateRequest, WatchRequest,
    };
    use prost::Message;
    let mut client = WatchClient::connect(format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect");
    let create = WatchRequest {
        request_union: Some(RequestUnion::CreateRequest(WatchCreateRequest {
            key: b"frag/".to_vec(),
            range_end: b"frag0".to_vec(),
            start_revision: 1,
            fragment: true,
            ..Default::default()
        })),
    };
    // The request side then half-closes, which leaves the stream open (etcd's recvLoop).
    let mut stream = client
        .watch(tonic::codegen::tokio_stream::iter([create]))
        .await
        .expect("watch")
        .into_inner();
    let mut shape = Vec::new();
    let mut seen = 0;
    while seen < events {
        let response = tokio::time::timeout(Duration::from_secs(10), stream.message())
            .await
            .expect("a response within 10 s")
            .expect("stream healthy")
            .expect("stream open");
        if response.created {
            continue;
        }
        seen += response.events.len();
        shape.push((
            response.fragment,
            response.events.len(),
            response.encoded_len(),
        ));
    }
    shape
}

#[tokio::test]
async fn a_fragmenting_watch_is_cut_where_etcd_cuts_it() {
    // etcd cuts at --max-request-bytes plus its 512 KiB allowance for gRPC framing.
    const LIMIT: usize = 4096 + 512 * 1024;
    const KEYS: usize = 400;
    let flags = ["--max-request-bytes", "4096"];
    let etcd = common::etcd::Etcd::start(&flags);
    let server = Server::start(&flags);
    let mut shapes = Vec::new();
    for endpoint in [etcd.endpoint(), server.endpoint()] {
        let mut client = Client::connect([endpoint.as_str()], None).await.unwrap();
        for i in 0..KEYS {
            let value = format!("{i:03}").repeat(1000);
            client
                .put(format!("frag/{i:03}"), value, None)
                .await
                .unwrap();
        }
        let port: u16 = endpoint.rsplit(':').next().unwrap().parse().unwrap();
        shapes.push(fragmented_history(port, KEYS).await);
    }
    let (etcd_shape, oxcd_shape) = (&shapes[0], &shapes[1]);
    assert!(etcd_shape.len() > 1, "etcd fragmented: {etcd_shape:?}");
    for (i, &(fragment, events, size)) in oxcd_shape.iter().enumerate() {
        assert_eq!(fragment, i + 1 < oxcd_shape.len(), "{oxcd_shape:?}");
        assert!(size < LIMIT || events == 1, "{oxcd_shape:?}");
    }
    // The sizes differ only by the header's ids; the cuts are the same.
    let cuts = |shape: &[(bool, usize, usize)]| -> Vec<(bool, usize)> {
        shape.iter().map(|&(f, n, _)| (f, n)).collect()
    };
    assert_eq!(cuts(oxcd_shape), cuts(etcd_shape));
}

/// Each watch's events on one stream, by watch id: (revision, key, value or None for a delete,
/// previous value if sent).
type EventsById = BTreeMap<i64, Vec<(i64, String, Option<String>, Option<String>)>>;

/// Two watches of one prefix on one stream, one asking for `prev_kv`, then an overwrite, a txn
/// of two puts and a delete; returns what each watch received.
async fn two_watches_one_with_prev_kv(endpoint: &str) -> EventsById {
    let mut client = Client::connect([endpoint], None).await.unwrap();
    client.put("s/a", "first", None).await.unwrap();
    let (mut stream, _) = watch(
        &mut client,
        "s/",
        WatchOptions::new().with_prefix().with_prev_key(),
    )
    .await;
    stream
        .watch("s/", Some(WatchOptions::new().with_prefix()))
        .await
        .unwrap();
    let created = next(&mut stream).await;
    assert!(created.created(), "{created:?}");
    client.put("s/a", "second", None).await.unwrap();
    let txn = Txn::new().and_then([
        TxnOp::put("s/a", "third", None),
        TxnOp::put("s/b", "1", None),
    ]);
    client.txn(txn).await.unwrap();
    client.delete("s/b", None).await.unwrap();
    let mut seen = EventsById::new();
    while seen.values().map(Vec::len).sum::<usize>() < 8 {
        let response = next(&mut stream).await;
        for event in response.events() {
            let kv = event.kv().expect("event kv");
            let value = match event.event_type() {
                EventType::Put => Some(kv.value_str().unwrap().to_string()),
                EventType::Delete => None,
            };
            let prev = event.prev_kv().map(|p| p.value_str().unwrap().to_string());
            seen.entry(response.watch_id()).or_default().push((
                kv.mod_revision(),
                kv.key_str().unwrap().to_string(),
                value,
                prev,
            ));
        }
    }
    seen
}

#[tokio::test]
async fn watchers_of_one_revision_with_and_without_prev_kv_each_get_theirs() {
    let etcd = common::etcd::Etcd::start(&[]);
    let server = Server::start(&[]);
    let expected = two_watches_one_with_prev_kv(&etcd.endpoint()).await;
    let got = two_watches_one_with_prev_kv(&server.endpoint()).await;
    assert_eq!(got, expected);
    let prev_values: Vec<Option<&str>> = got[&0].iter().map(|e| e.3.as_deref()).collect();
    assert_eq!(
        prev_values,
        [Some("first"), Some("second"), None, Some("1")],
        "{got:?}"
    );
    assert!(got[&1].iter().all(|e| e.3.is_none()), "{got:?}");
}

/// For each of `rounds` writes: the revision of the first event of a watch the writer adds to
/// an open stream right after the answer, without a start revision, past the write's (1: the
/// next write, not its own); and how far past it the writer's serializable read is then (0: it
/// sees its write).
async fn reads_and_watches_after_answers(endpoint: &str, rounds: usize) -> Vec<(i64, i64)> {
    let mut client = Client::connect([endpoint], None).await.expect("connect");
    let (mut stream, _) = watch(&mut client, "elsewhere", WatchOptions::new()).await;
    let mut seen = Vec::new();
    for round in 0..rounds {
        let written = client
            .put("answered", format!("value {round}"), None)
            .await
            .expect("put")
            .header()
            .expect("header")
            .revision();
        stream.watch("answered", None).await.expect("add a watch");
        let created = next(&mut stream).await;
        assert!(created.created(), "{created:?}");
        let read = client
            .get("answered", Some(GetOptions::new().with_serializable()))
            .await
            .expect("get");
        let read_revision = read.kvs().first().map_or(0, |kv| kv.mod_revision());
        client
            .put("answered", format!("marker {round}"), None)
            .await
            .expect("put marker");
        let first = next(&mut stream).await;
        let first_revision = first.events()[0].kv().expect("kv").mod_revision();
        seen.push((first_revision - written, read_revision - written));
        stream.cancel(created.watch_id()).await.expect("cancel");
        // Past the marker's event, if the watch began before it.
        while !next(&mut stream).await.canceled() {}
    }
    seen
}

/// A KV write is answered (and its watchers notified) before its batch's backend commit makes
/// it visible to reads; the writer's own read and watch right after the answer must still find
/// it, as etcd's do. With
/// `--snapshot-count 1` every commit is a durable one (an fsync), which holds that window open.
#[tokio::test]
async fn a_writer_reads_and_watches_past_its_answered_write_at_once() {
    let flags = ["--snapshot-count", "1"];
    let etcd = common::etcd::Etcd::start(&flags);
    let server = Server::start(&flags);
    let rounds = 50;
    let expected = reads_and_watches_after_answers(&etcd.endpoint(), rounds).await;
    assert_eq!(expected, vec![(1, 0); rounds], "etcd 3.4");
    let got = reads_and_watches_after_answers(&server.endpoint(), rounds).await;
    assert_eq!(got, expected);
}

/// For each of `rounds` keys put with a lease and watched: whether a serializable read made
/// right after the watch reports the key's deletion by the lease's revocation still finds the
/// key (a revocation is answered after the backend commit, so only the event tells of it).
async fn reads_after_revocation_events(endpoint: &str, rounds: usize) -> Vec<bool> {
    let mut client = Client::connect([endpoint], None).await.expect("connect");
    let revoker = Client::connect([endpoint], None).await.expect("connect");
    let mut seen = Vec::new();
    for round in 0..rounds {
        let key = format!("leased/{round}");
        let lease = client.lease_grant(60, None).await.expect("grant").id();
        let put = PutOptions::new().with_lease(lease);
        client.put(key.as_str(), "v", Some(put)).await.expect("put");
        let (mut stream, _) = watch(&mut client, &key, WatchOptions::new()).await;
        // Not waiting for the revocation's answer, which comes after the commit.
        let mut revoker = revoker.clone();
        let revoked = tokio::spawn(async move { revoker.lease_revoke(lease).await });
        let deleted = next(&mut stream).await;
        assert_eq!(deleted.events()[0].event_type(), EventType::Delete);
        let read = client
            .get(key.as_str(), Some(GetOptions::new().with_serializable()))
            .await
            .expect("get");
        seen.push(read.count() > 0);
        revoked.await.expect("joined").expect("revoke");
    }
    seen
}

/// A watcher that reads right after an event finds the change, as in etcd, although events go
/// out before the backend commit makes the change visible to reads.
#[tokio::test]
async fn a_watcher_reads_past_an_event_at_once() {
    let flags = ["--snapshot-count", "1"];
    let etcd = common::etcd::Etcd::start(&flags);
    let server = Server::start(&flags);
    let rounds = 30;
    let expected = reads_after_revocation_events(&etcd.endpoint(), rounds).await;
    assert_eq!(expected, vec![false; rounds], "etcd 3.4");
    let got = reads_after_revocation_events(&server.endpoint(), rounds).await;
    assert_eq!(got, expected);
}
