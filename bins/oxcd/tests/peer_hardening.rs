//! The peer port trusts nothing it has not checked: forged, misplaced, truncated, corrupted and
//! oversized input on `oxcdpb.Peer` is refused with a log line, and the member keeps serving the
//! same data. Drives a real `oxcd` process's peer gRPC service directly.

mod common;

use std::path::Path;
use std::time::Duration;

use common::Server;
use oxcd_proto::etcdserverpb::ResponseHeader;
use oxcd_proto::oxcdpb::peer_client::PeerClient;
use oxcd_proto::oxcdpb::{
    PeerHashKvRequest, PeerLeaseRequest, RaftAck, RaftBatch, RaftMessage, RaftSnapshot,
    SnapshotChunk,
};
use tonic::codegen::tokio_stream;
use tonic::transport::Channel;
use tonic::Code;

/// raft-rs's message type numbers (our wire format keeps them).
const MSG_APPEND: i32 = 3;
const MSG_SNAPSHOT: i32 = 7;

/// A member ID no member has.
const STRANGER: u64 = 0xdead_beef;

async fn peer(server: &Server) -> PeerClient<Channel> {
    let channel =
        tonic::transport::Endpoint::from_shared(format!("http://127.0.0.1:{}", server.peer_port))
            .expect("endpoint")
            .connect_timeout(Duration::from_secs(2))
            .connect()
            .await
            .expect("connect to the peer port");
    PeerClient::new(channel).max_encoding_message_size(usize::MAX)
}

/// The member's own header from the (unchecked) Members RPC: cluster and member ID.
async fn ids(server: &Server) -> ResponseHeader {
    peer(server)
        .await
        .members(RaftAck {})
        .await
        .expect("members")
        .into_inner()
        .header
        .expect("header")
}

/// What a client sees of the member: its term, and the revision and value of `key`.
async fn observe(server: &Server, key: &str) -> (u64, i64, Vec<u8>) {
    let mut c = server.client().await;
    let term = c.status().await.expect("status").raft_term();
    let got = c.get(key, None).await.expect("get");
    let rev = got.header().expect("header").revision();
    let value = got.kvs().first().map(|kv| kv.value().to_vec());
    (term, rev, value.unwrap_or_default())
}

fn incoming_snapshot_files(data_dir: &Path) -> Vec<String> {
    std::fs::read_dir(data_dir.join("member/snap"))
        .expect("snap dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("incoming"))
        .collect()
}

/// Waits for `needle` in the member's log (logs are written asynchronously).
async fn wait_log(server: &Server, needle: &str) {
    for _ in 0..100 {
        if server.log().contains(needle) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no log line with {needle:?}:\n{}", server.log());
}

/// Sends one batch on the Stream RPC and returns how the call ended.
async fn send_batch(server: &Server, batch: RaftBatch) -> Result<(), tonic::Status> {
    let mut client = peer(server).await;
    client
        .stream(tokio_stream::iter(vec![batch]))
        .await
        .map(|_| ())
}

async fn send_snapshot(server: &Server, chunks: Vec<SnapshotChunk>) -> tonic::Status {
    peer(server)
        .await
        .snapshot(tokio_stream::iter(chunks))
        .await
        .expect_err("the snapshot must be refused")
}

fn snapshot_message(from: u64, to: u64, data: Vec<u8>) -> RaftMessage {
    RaftMessage {
        msg_type: MSG_SNAPSHOT,
        from,
        to,
        term: 1000,
        snapshot: Some(RaftSnapshot {
            index: 1_000_000,
            term: 1000,
            data,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn start_with_key() -> Server {
    // --log-level info: the refusals and received snapshots are logged at info/warn.
    Server::start(&["--log-level", "info"])
}

#[tokio::test]
async fn raft_messages_from_a_non_member_or_carrying_a_snapshot_are_dropped() {
    let server = start_with_key();
    let mut c = server.client().await;
    c.put("k", "before", None).await.expect("put");
    let before = observe(&server, "k").await;
    let header = ids(&server).await;

    // A higher-term append from a stranger: stepped, it would depose the leader.
    let forged = RaftMessage {
        msg_type: MSG_APPEND,
        from: STRANGER,
        to: header.member_id,
        term: before.0 + 100,
        commit: 1_000_000,
        ..Default::default()
    };
    let batch = RaftBatch {
        cluster_id: header.cluster_id,
        messages: vec![forged.clone()],
    };
    send_batch(&server, batch)
        .await
        .expect("the stream itself is fine");
    wait_log(&server, "dropped peer input: sender is not a member").await;

    // The same from a member but addressed to another one.
    let misaddressed = RaftMessage {
        from: header.member_id,
        to: STRANGER,
        ..forged.clone()
    };
    let batch = RaftBatch {
        cluster_id: header.cluster_id,
        messages: vec![misaddressed],
    };
    send_batch(&server, batch).await.expect("stream");

    // From another cluster: the whole stream is refused.
    let batch = RaftBatch {
        cluster_id: header.cluster_id ^ 1,
        messages: vec![forged],
    };
    let refused = send_batch(&server, batch).await.expect_err("refused");
    assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");

    // A MsgSnapshot on the stream whose data names a file: the file must not be touched.
    let victim_dir = tempfile::tempdir().expect("temp dir");
    let victim = victim_dir.path().join("victim.db");
    std::fs::write(&victim, b"not a backend").expect("write victim");
    let snapshot = snapshot_message(
        header.member_id,
        header.member_id,
        victim.to_string_lossy().as_bytes().to_vec(),
    );
    let batch = RaftBatch {
        cluster_id: header.cluster_id,
        messages: vec![snapshot],
    };
    send_batch(&server, batch).await.expect("stream");
    wait_log(
        &server,
        "dropped peer input: snapshot message on the stream RPC",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        victim.exists(),
        "the file named in the message is untouched"
    );
    assert_eq!(
        std::fs::read(&victim).expect("read victim"),
        b"not a backend"
    );
    assert_eq!(
        observe(&server, "k").await,
        before,
        "same term, revision and data"
    );
    c.put("k", "after", None)
        .await
        .expect("the member still takes writes");
}

#[tokio::test]
async fn truncated_corrupted_and_foreign_snapshots_are_refused_and_leave_no_file() {
    let server = start_with_key();
    let mut c = server.client().await;
    c.put("k", "before", None).await.expect("put");
    let before = observe(&server, "k").await;
    let header = ids(&server).await;
    let (cluster, me) = (header.cluster_id, header.member_id);
    let first = |total_bytes: u64, data: &[u8], last: bool, sha1: Vec<u8>| SnapshotChunk {
        cluster_id: cluster,
        message: Some(snapshot_message(me, me, Vec::new())),
        data: data.to_vec(),
        total_bytes,
        last,
        sha1,
    };

    // Truncated: the stream ends before the announced bytes and without its last chunk.
    let status = send_snapshot(&server, vec![first(4096, &[7u8; 1024], false, vec![])]).await;
    assert_eq!(status.code(), Code::DataLoss, "{status:?}");
    assert!(
        status.message().contains("without its last chunk"),
        "{status:?}"
    );
    wait_log(&server, "refused a snapshot").await;

    // Corrupted: every byte arrives but the checksum does not match them.
    let rest = SnapshotChunk {
        data: vec![7u8; 1024],
        last: true,
        sha1: vec![0u8; 20],
        ..Default::default()
    };
    let status = send_snapshot(
        &server,
        vec![first(2048, &[7u8; 1024], false, vec![]), rest],
    )
    .await;
    assert_eq!(status.code(), Code::DataLoss, "{status:?}");
    assert!(status.message().contains("checksum mismatch"), "{status:?}");

    // Announced far beyond the limit: refused before anything is written.
    let status = send_snapshot(&server, vec![first(u64::MAX, &[], false, vec![])]).await;
    assert!(status.message().contains("limit"), "{status:?}");

    // From a stranger, or from another cluster: refused before anything is written.
    let mut foreign = first(1024, &[7u8; 1024], true, vec![0u8; 20]);
    foreign.message = Some(snapshot_message(STRANGER, me, Vec::new()));
    let status = send_snapshot(&server, vec![foreign]).await;
    assert_eq!(status.code(), Code::PermissionDenied, "{status:?}");
    let mut foreign = first(1024, &[7u8; 1024], true, vec![0u8; 20]);
    foreign.cluster_id ^= 1;
    let status = send_snapshot(&server, vec![foreign]).await;
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");

    assert_eq!(
        incoming_snapshot_files(&server.data_dir()),
        Vec::<String>::new(),
        "no half-received file is left"
    );
    assert_eq!(observe(&server, "k").await, before);
    c.put("k", "after", None).await.expect("still serving");
}

/// Polls until `done` holds, for up to 10 seconds.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test]
async fn a_snapshot_transfer_cancelled_mid_stream_leaves_no_file() {
    use tonic::codegen::tokio_stream::StreamExt;
    let server = start_with_key();
    let mut c = server.client().await;
    c.put("k", "before", None).await.expect("put");
    let before = observe(&server, "k").await;
    let header = ids(&server).await;
    let first = SnapshotChunk {
        cluster_id: header.cluster_id,
        message: Some(snapshot_message(
            header.member_id,
            header.member_id,
            Vec::new(),
        )),
        data: vec![7u8; 1024],
        total_bytes: 1 << 20,
        last: false,
        sha1: Vec::new(),
    };
    // The first chunk, then silence: the member writes it and waits for the next one.
    let mut client = peer(&server).await;
    let call = tokio::spawn(async move {
        let chunks = tokio_stream::iter(vec![first]).chain(tokio_stream::pending());
        client.snapshot(chunks).await
    });
    let data_dir = server.data_dir();
    eventually("the transfer's file exists", || {
        !incoming_snapshot_files(&data_dir).is_empty()
    })
    .await;
    // The sender goes away mid-stream (its call and connection dropped).
    call.abort();
    let _ = call.await;
    eventually("the cancelled transfer's file is removed", || {
        incoming_snapshot_files(&data_dir).is_empty()
    })
    .await;
    assert_eq!(observe(&server, "k").await, before);
    c.put("k", "after", None).await.expect("still serving");
}

#[tokio::test]
async fn an_oversized_peer_message_is_refused_and_the_member_keeps_serving() {
    let server = start_with_key();
    let mut c = server.client().await;
    c.put("k", "before", None).await.expect("put");
    let before = observe(&server, "k").await;
    let header = ids(&server).await;
    // Far above the limit (16 MiB + --max-request-bytes).
    let huge = RaftMessage {
        msg_type: MSG_APPEND,
        from: header.member_id,
        to: header.member_id,
        context: vec![0u8; 64 << 20],
        ..Default::default()
    };
    let batch = RaftBatch {
        cluster_id: header.cluster_id,
        messages: vec![huge],
    };
    let refused = send_batch(&server, batch)
        .await
        .expect_err("over the limit");
    assert_eq!(refused.code(), Code::OutOfRange, "{refused:?}");
    wait_log(&server, "peer stream refused or broken").await;
    assert_eq!(observe(&server, "k").await, before);
    c.put("k", "after", None).await.expect("still serving");
}

#[tokio::test]
async fn other_peer_rpcs_check_the_cluster_and_the_sender() {
    let server = start_with_key();
    let mut c = server.client().await;
    let lease = c.lease_grant(60, None).await.expect("grant").id();
    let header = ids(&server).await;
    let (cluster, me) = (header.cluster_id, header.member_id);
    let mut p = peer(&server).await;

    let hash = |cluster_id, from| PeerHashKvRequest {
        revision: 0,
        cluster_id,
        from,
    };
    p.hash_kv(hash(cluster, me))
        .await
        .expect("a member may ask");
    let err = p
        .hash_kv(hash(cluster, STRANGER))
        .await
        .expect_err("stranger");
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let err = p
        .hash_kv(hash(cluster ^ 1, me))
        .await
        .expect_err("other cluster");
    assert_eq!(err.code(), Code::FailedPrecondition, "{err:?}");

    let lease_req = |from, id| PeerLeaseRequest {
        cluster_id: cluster,
        from,
        id,
        keys: false,
    };
    // The leader answers forwarded lease calls from its lessor, as the Lease service does.
    let renewed = p.lease_renew(lease_req(me, lease)).await.expect("renew");
    assert_eq!(renewed.into_inner().ttl, 60);
    let unknown = p.lease_renew(lease_req(me, 12345)).await.expect("renew");
    assert_eq!(unknown.into_inner().ttl, 0, "an unknown lease has TTL 0");
    let ttl = p
        .lease_time_to_live(lease_req(me, lease))
        .await
        .expect("ttl")
        .into_inner();
    assert!(ttl.ttl > 0 && ttl.granted_ttl == 60, "{ttl:?}");
    let ttl = p
        .lease_time_to_live(lease_req(me, 12345))
        .await
        .expect("ttl")
        .into_inner();
    assert_eq!(ttl.ttl, -1, "an unknown lease has TTL -1");
    let err = p
        .lease_renew(lease_req(STRANGER, lease))
        .await
        .expect_err("stranger");
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let err = p
        .lease_time_to_live(lease_req(STRANGER, lease))
        .await
        .expect_err("stranger");
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
}
