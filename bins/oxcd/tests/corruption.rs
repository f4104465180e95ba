//! Corruption between members is detected, as etcd's corruption checks detect it: a member whose
//! data silently diverged (same revisions, different content) refuses to start with the initial
//! check, and the leader's periodic check raises a CORRUPT alarm that stops writes.

mod common;

use std::time::{Duration, Instant};

use common::{members, Server};
use etcd_client::{AlarmAction, AlarmOptions, AlarmType};
use prost::Message;

fn start_cluster(extra: &[&str]) -> Vec<Server> {
    let mut members = Server::cluster(3, extra);
    members::start_all(&mut members);
    members
}

/// Rewrites the value of the newest put in a stopped member's backend, keeping every revision:
/// the kind of silent divergence a storage bug or a bad disk produces.
fn damage_newest_value(member: &Server) {
    const KEY_TABLE: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("key");
    let db = redb::Database::open(member.data_dir().join("member/snap/db")).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut table = txn.open_table(KEY_TABLE).unwrap();
        let (key, value) = {
            use redb::ReadableTable;
            let mut newest = None;
            for entry in table.iter().unwrap() {
                let (k, v) = entry.unwrap();
                if k.value().last() != Some(&b't') {
                    newest = Some((k.value().to_vec(), v.value().to_vec()));
                }
            }
            newest.expect("a put in the key table")
        };
        let mut kv = oxcd_proto::mvccpb::KeyValue::decode(value.as_slice()).unwrap();
        kv.value = b"silently-different".to_vec().into();
        table
            .insert(key.as_slice(), kv.encode_to_vec().as_slice())
            .unwrap();
    }
    txn.commit().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_diverged_member_is_refused_at_start_and_alarmed_while_running() {
    let mut members = start_cluster(&[
        "--experimental-corrupt-check-time",
        "300ms",
        "--snapshot-count",
        "5",
    ]);
    let leader = members::wait_for_leader(&members, &[], Duration::from_secs(10))
        .await
        .0;
    let mut c = members[leader].client().await;
    for i in 0..20 {
        c.put(format!("c/{i}"), "v", None).await.unwrap();
    }
    let follower = (leader + 1) % 3;
    // Let the follower apply everything, then damage it while stopped.
    tokio::time::sleep(Duration::from_millis(500)).await;
    members[follower].kill9();
    damage_newest_value(&members[follower]);

    // With the initial check the damaged member refuses to serve.
    members[follower]
        .extra
        .push("--experimental-initial-corrupt-check".into());
    members[follower].spawn();
    let status = members[follower]
        .wait_exit(Duration::from_secs(30))
        .expect("the damaged member must refuse to start");
    assert!(!status.success());
    assert!(
        members[follower]
            .log()
            .contains("found data inconsistency with peers"),
        "{}",
        members[follower].log()
    );

    // Without it, it starts, and the leader's periodic check raises a CORRUPT alarm for it.
    members[follower].extra.pop();
    members[follower].spawn();
    // Live, not healthy: the alarm may be raised before /health is first asked.
    members[follower].wait_live(Duration::from_secs(20));
    let follower_id = members[follower]
        .client()
        .await
        .status()
        .await
        .unwrap()
        .header()
        .unwrap()
        .member_id();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let alarms = c
            .alarm(AlarmAction::Get, AlarmType::None, None)
            .await
            .unwrap();
        if alarms
            .alarms()
            .iter()
            .any(|a| a.member_id() == follower_id && a.alarm() == AlarmType::Corrupt)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no CORRUPT alarm raised:\n{}",
            members[leader].log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let err = c.put("after", "corrupt", None).await.unwrap_err();
    assert!(
        err.to_string().contains("etcdserver: corrupt cluster"),
        "{err}"
    );
    // Reads keep working; clearing the alarm lets writes through again.
    c.get("c/0", None).await.unwrap();
    let mut opts = AlarmOptions::new();
    opts.with_member(follower_id);
    c.alarm(AlarmAction::Deactivate, AlarmType::Corrupt, Some(opts))
        .await
        .unwrap();
}
