//! The KV, watch and lease scenarios of a single member, run against one member of a 3-member
//! cluster while the writes go through another: what a client behind a load balancer sees.

mod common;

use std::time::{Duration, Instant};

use common::{members, Server};
use etcd_client::{
    Client, EventType, GetOptions, LeaseTimeToLiveOptions, PutOptions, WatchOptions,
};

fn start_cluster() -> Vec<Server> {
    let mut members = Server::cluster(3, &[]);
    members::start_all(&mut members);
    members
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_on_one_member_sees_every_write_made_through_another_in_order() {
    let members = start_cluster();
    let mut writer = Client::connect([members[0].endpoint()], None)
        .await
        .unwrap();
    let mut reader = Client::connect([members[1].endpoint()], None)
        .await
        .unwrap();
    let mut stream = reader
        .watch(
            "w/",
            Some(WatchOptions::new().with_prefix().with_prev_key()),
        )
        .await
        .unwrap();
    let mut written = Vec::new();
    for i in 0..40 {
        let key = format!("w/{}", i % 7);
        let rev = if i % 5 == 4 {
            writer
                .delete(key.clone(), None)
                .await
                .unwrap()
                .header()
                .unwrap()
                .revision()
        } else {
            writer
                .put(key.clone(), format!("v{i}"), None)
                .await
                .unwrap()
                .header()
                .unwrap()
                .revision()
        };
        written.push((key, rev, i % 5 == 4));
    }
    // Deletes of missing keys take no revision and produce no event.
    let mut expected: Vec<(String, i64, bool)> = Vec::new();
    for w in written {
        if expected.last().map(|e| e.1) != Some(w.1) {
            expected.push(w);
        }
    }
    let mut seen: Vec<(String, i64, bool)> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.len() < expected.len() {
        let resp = tokio::time::timeout_at(deadline.into(), stream.message())
            .await
            .expect("events in time")
            .unwrap()
            .unwrap();
        for e in resp.events() {
            let kv = e.kv().unwrap();
            seen.push((
                kv.key_str().unwrap().to_string(),
                kv.mod_revision(),
                e.event_type() == EventType::Delete,
            ));
        }
    }
    assert_eq!(seen, expected, "every write, once, in revision order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leases_granted_on_one_member_expire_everywhere() {
    let members = start_cluster();
    let mut a = Client::connect([members[0].endpoint()], None)
        .await
        .unwrap();
    let mut b = Client::connect([members[1].endpoint()], None)
        .await
        .unwrap();
    let mut c = Client::connect([members[2].endpoint()], None)
        .await
        .unwrap();
    let lease = a.lease_grant(3, None).await.unwrap().id();
    b.put("l/key", "v", Some(PutOptions::new().with_lease(lease)))
        .await
        .unwrap();
    let ttl = c
        .lease_time_to_live(lease, Some(LeaseTimeToLiveOptions::new().with_keys()))
        .await
        .unwrap();
    assert_eq!(ttl.keys(), [b"l/key".to_vec()]);
    assert!(ttl.ttl() > 0 && ttl.ttl() <= 3);
    // Not kept alive: gone from every member shortly after the TTL.
    let deadline = Instant::now() + Duration::from_secs(8);
    loop {
        let mut gone = true;
        for cl in [&mut a, &mut b, &mut c] {
            let got = cl
                .get("l/key", Some(GetOptions::new().with_serializable()))
                .await
                .unwrap();
            gone &= got.kvs().is_empty();
        }
        if gone {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the expired lease's key is still there"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let err = c.lease_time_to_live(lease, None).await.map(|r| r.ttl());
    assert!(
        matches!(err, Ok(-1)) || err.is_err(),
        "an expired lease is gone: {err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_and_compaction_through_different_members() {
    let members = start_cluster();
    let mut a = Client::connect([members[0].endpoint()], None)
        .await
        .unwrap();
    let mut b = Client::connect([members[2].endpoint()], None)
        .await
        .unwrap();
    let put = a.put("t", "1", None).await.unwrap();
    let rev = put.header().unwrap().revision();
    let txn = etcd_client::Txn::new()
        .when([etcd_client::Compare::mod_revision(
            "t",
            etcd_client::CompareOp::Equal,
            rev,
        )])
        .and_then([etcd_client::TxnOp::put("t", "2", None)]);
    assert!(
        b.txn(txn).await.unwrap().succeeded(),
        "optimistic update on another member sees the write"
    );
    a.put("t", "3", None).await.unwrap();
    b.compact(rev + 1, None).await.unwrap();
    let err = a
        .get("t", Some(GetOptions::new().with_revision(rev)))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("required revision has been compacted"),
        "{err}"
    );
    assert_eq!(a.get("t", None).await.unwrap().kvs()[0].value(), b"3");
}
