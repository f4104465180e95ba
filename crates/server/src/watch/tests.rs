//! The hub against a real store: ordered, complete, no duplicates, through the live path, the
//! history path and the slow-consumer path.

use std::sync::Arc;
use std::time::Duration;

use oxcd_proto::etcdserverpb::{DeleteRangeRequest, PutRequest};
use oxcd_proto::mvccpb::Event;
use oxcd_storage::mvcc::MvccStore;

use super::*;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Arc<MvccStore>,
    hub: Arc<WatchHub>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(MvccStore::open(&dir.path().join("db")).expect("open store"));
    let hub = WatchHub::start(store.clone(), Duration::from_secs(600));
    Fixture {
        _dir: dir,
        store,
        hub,
    }
}

impl Fixture {
    /// Applies puts of `(key, value)` in one batch, one revision each, as the applier does.
    fn put_batch(&self, kvs: &[(&str, &str)]) {
        let mut batch = self.store.write_batch().expect("batch");
        let mut events = Vec::new();
        for (k, v) in kvs {
            let req = PutRequest {
                key: k.as_bytes().to_vec(),
                value: v.as_bytes().to_vec(),
                ..Default::default()
            };
            batch.put(&req, &|_| false).expect("put");
            events.extend(batch.take_events());
        }
        batch.commit(false).expect("commit");
        self.hub.committed(self.store.current_revision(), &events);
    }

    fn put(&self, k: &str, v: &str) {
        self.put_batch(&[(k, v)]);
    }

    fn delete_prefix(&self, prefix: &str) {
        let mut batch = self.store.write_batch().expect("batch");
        let mut end = prefix.as_bytes().to_vec();
        *end.last_mut().unwrap() += 1;
        let req = DeleteRangeRequest {
            key: prefix.as_bytes().to_vec(),
            range_end: end,
            ..Default::default()
        };
        batch.delete_range(&req).expect("delete");
        let events = batch.take_events();
        batch.commit(false).expect("commit");
        self.hub.committed(self.store.current_revision(), &events);
    }
}

fn summary(events: &[Event]) -> Vec<(i64, String)> {
    events
        .iter()
        .map(|e| {
            let kv = e.kv.as_ref().unwrap();
            (
                kv.mod_revision,
                String::from_utf8_lossy(&kv.key).into_owned(),
            )
        })
        .collect()
}

async fn collect(sub: &mut Subscription, count: usize) -> Vec<Event> {
    let mut out = Vec::new();
    while out.len() < count {
        let next = tokio::time::timeout(Duration::from_secs(5), sub.next())
            .await
            .expect("events in time")
            .expect("subscription open");
        out.extend(next);
    }
    assert_eq!(out.len(), count, "no more than asked");
    out
}

#[tokio::test]
async fn live_events_in_order_one_revision_per_item() {
    let f = fixture();
    let mut sub = f.hub.subscribe(b"a".to_vec(), b"c".to_vec(), 0).unwrap();
    f.put_batch(&[("a", "1"), ("x", "2"), ("b", "3")]);
    let first = sub.next().await.unwrap();
    assert_eq!(summary(&first), vec![(2, "a".to_string())]);
    let second = sub.next().await.unwrap();
    assert_eq!(summary(&second), vec![(4, "b".to_string())]);
    assert!(second[0].prev_kv.is_none());
}

#[tokio::test]
async fn history_then_live_without_gap_or_duplicate() {
    let f = fixture();
    for i in 0..50 {
        f.put(&format!("k{}", i % 5), "v");
    }
    let mut sub = f.hub.subscribe(b"k".to_vec(), b"l".to_vec(), 10).unwrap();
    for _ in 0..20 {
        f.put("k1", "w");
    }
    let events = collect(&mut sub, 62).await; // revisions 10..=71
    let revs: Vec<i64> = summary(&events).iter().map(|(r, _)| *r).collect();
    assert_eq!(revs, (10..=71).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_consumer_that_does_not_read_is_set_aside_and_caught_up() {
    let f = fixture();
    let mut sub = f.hub.subscribe(b"s/".to_vec(), b"s0".to_vec(), 0).unwrap();
    // Far more revisions than the outbox holds, while nobody reads.
    for i in 0..2000 {
        f.put(&format!("s/{}", i % 7), "v");
    }
    assert!(f.hub.stats().slow_watchers >= 1, "{:?}", f.hub.stats());
    f.delete_prefix("s/");
    let events = collect(&mut sub, 2007).await;
    let revs: Vec<i64> = summary(&events).iter().map(|(r, _)| *r).collect();
    let mut expected: Vec<i64> = (2..=2001).collect();
    expected.extend(std::iter::repeat_n(2002, 7));
    assert_eq!(revs, expected);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(f.hub.stats().slow_watchers, 0);
}

#[tokio::test]
async fn watchers_sharing_a_full_queue_are_each_set_aside_where_they_stopped() {
    let f = fixture();
    // One stream's queue for three watchers of one range: each revision is queued for all three
    // under one lock, and the queue fills in the middle of a revision.
    let outbox = Arc::new(Outbox::default());
    let span = KeySpan::Range(b"r/".to_vec(), b"r0".to_vec());
    for watch_id in 0..3 {
        f.hub
            .watch(span.clone(), Filters::default(), 0, watch_id, &outbox);
    }
    // Twice the revisions the queue holds for three watchers, in whole batches of four.
    let revisions = (2 * super::outbox::delivery_bound(3) / 3).next_multiple_of(4);
    for i in (0..revisions).step_by(4) {
        let keys: Vec<String> = (i..i + 4).map(|k| format!("r/{}", k % 5)).collect();
        let kvs: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
        f.put_batch(&kvs);
    }
    assert_eq!(f.hub.stats().slow_watchers, 3, "{:?}", f.hub.stats());
    // Read until every watcher has had every revision: exactly once each, in order.
    let mut got: [Vec<i64>; 3] = Default::default();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        for message in outbox.take_all() {
            let revs = |events: &[Event]| -> Vec<i64> {
                events
                    .iter()
                    .map(|e| e.kv.as_ref().unwrap().mod_revision)
                    .collect()
            };
            match message {
                Outgoing::Events {
                    watch_id, events, ..
                } => got[watch_id as usize].extend(revs(&events)),
                Outgoing::Shared {
                    events, watchers, ..
                } => {
                    for (_, watch_id) in watchers {
                        got[watch_id as usize].extend(revs(events.events()));
                    }
                }
                _ => {}
            }
        }
        if got.iter().all(|revs| revs.len() >= revisions) {
            break;
        }
        // The hub wakes the consumer when it queues into the emptied queue.
        let woken = tokio::time::timeout_at(deadline, outbox.ready()).await;
        assert!(woken.is_ok(), "{got:?}");
    }
    let want: Vec<i64> = (2..2 + revisions as i64).collect();
    for revs in &got {
        assert_eq!(revs, &want);
    }
    // What was refused was never counted as queued.
    assert_eq!(f.hub.stats().events_queued, 3 * revisions as u64);
}

#[tokio::test]
async fn compacted_start_fails_future_start_waits_and_drop_cancels() {
    let f = fixture();
    for _ in 0..5 {
        f.put("c", "v");
    }
    let mut batch = f.store.write_batch().unwrap();
    batch.compact(4).unwrap();
    batch.commit(false).unwrap();
    assert!(matches!(
        f.hub.subscribe(b"c".to_vec(), vec![], 3),
        Err(ServerError::Mvcc(MvccError::Compacted))
    ));
    let mut future = f.hub.subscribe(b"c".to_vec(), vec![], 9).unwrap();
    let at_compaction = f.hub.subscribe(b"c".to_vec(), vec![], 4).unwrap();
    assert_eq!(f.hub.stats().watchers, 2);
    for _ in 0..4 {
        f.put("c", "v");
    }
    let events = collect(&mut future, 2).await;
    assert_eq!(summary(&events)[0].0, 9);
    drop(future);
    drop(at_compaction);
    assert_eq!(f.hub.stats().watchers, 0);
    assert_eq!(f.hub.stats().slow_watchers, 0);
}

#[tokio::test]
async fn stop_ends_subscriptions() {
    let f = fixture();
    let mut sub = f.hub.subscribe(b"z".to_vec(), vec![], 0).unwrap();
    f.hub.stop();
    assert!(sub.next().await.is_none());
}

#[test]
fn key_spans_read_like_etcd() {
    assert_eq!(KeySpan::new(b"", b""), Some(KeySpan::Single(vec![0])));
    assert_eq!(
        KeySpan::new(b"a", b"\0"),
        Some(KeySpan::Range(b"a".to_vec(), vec![]))
    );
    assert_eq!(KeySpan::new(b"b", b"a"), None);
    assert_eq!(KeySpan::new(b"a", b"a"), None);
    let span = KeySpan::new(b"a", b"c").unwrap();
    assert!(span.contains(b"a") && span.contains(b"bzz") && !span.contains(b"c"));
    assert!(KeySpan::new(b"a", b"\0").unwrap().contains(b"\xff"));
}

/// A follower at revision 4 with a watcher on `a`..`b`, and the leader's snapshot: revisions
/// 2..=11 (keys `a0`..`a9`), compacted at `compacted_at`.
fn lagging_follower(compacted_at: i64) -> (Fixture, Subscription, Fixture, std::path::PathBuf) {
    let follower = fixture();
    for _ in 0..3 {
        follower.put("a", "old"); // revisions 2..=4
    }
    let watcher = follower
        .hub
        .subscribe(b"a".to_vec(), b"b".to_vec(), 0)
        .unwrap();
    let leader = fixture();
    for i in 0..10 {
        leader.put(&format!("a{i}"), "new");
    }
    let mut batch = leader.store.write_batch().unwrap();
    batch.compact(compacted_at).unwrap();
    batch.commit(false).unwrap();
    // Received into the follower's directory, where an install renames it over the backend.
    let snapshot = follower._dir.path().join("snapshot.db");
    leader.store.write_snapshot(&snapshot).unwrap();
    (follower, watcher, leader, snapshot)
}

/// A follower that installs the leader's snapshot jumps over revisions its hub never saw
/// committed: its watchers are caught up from the new store's history, then go on live (the
/// simulation found them silently skipping those revisions).
#[tokio::test]
async fn a_snapshot_restore_catches_watchers_up_from_the_new_history() {
    let (f, mut watcher, _leader, snapshot) = lagging_follower(3);
    f.store.restore_from(&snapshot).unwrap();
    f.hub.restored(f.store.current_revision());
    f.put("a", "live"); // revision 12
    let events = collect(&mut watcher, 8).await;
    let revs: Vec<i64> = summary(&events).iter().map(|(r, _)| *r).collect();
    assert_eq!(revs, (5..=12).collect::<Vec<_>>());
    assert_eq!(summary(&events)[0].1, "a3");
}

/// ...and a watcher whose next revision the snapshot compacted away is told so, as etcd does.
#[tokio::test]
async fn a_snapshot_restore_past_a_compaction_ends_the_watch() {
    let (f, mut watcher, _leader, snapshot) = lagging_follower(8);
    f.store.restore_from(&snapshot).unwrap();
    f.hub.restored(f.store.current_revision());
    let next = tokio::time::timeout(Duration::from_secs(5), watcher.next()).await;
    assert_eq!(next.expect("an answer in time"), None);
    assert_eq!(f.hub.stats().watchers, 0);
}

/// The applier hands a batch to the hub before its commit publishes it. A watcher catching up
/// meanwhile is served what the store has published, and then waits for the publication: the
/// sync thread reading the same history again and again until the commit (as it did) would
/// spin a core for the commit's length.
#[tokio::test]
async fn catching_up_waits_for_the_batch_the_hub_is_ahead_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(MvccStore::open(&dir.path().join("db")).expect("open store"));
    let hub = WatchHub::without_sync_thread(store.clone(), Duration::from_secs(600));
    let put = |batch: &mut oxcd_storage::mvcc::WriteBatch<'_>, key: &str| {
        let req = PutRequest {
            key: key.as_bytes().to_vec(),
            value: b"v".to_vec(),
            ..Default::default()
        };
        batch.put(&req, &|_| false).expect("put");
        batch.take_events()
    };
    let mut batch = store.write_batch().expect("batch");
    let events = put(&mut batch, "a");
    batch.commit(false).expect("commit");
    hub.committed(store.current_revision(), &events);
    hub.published();
    let mut batch = store.write_batch().expect("batch");
    let events = put(&mut batch, "b");
    hub.committed(batch.revision(), &events);
    let mut sub = hub.subscribe(b"a".to_vec(), b"z".to_vec(), 2).unwrap();
    assert!(hub.sync_round(), "revision 2 is published: it is sent");
    assert!(
        !hub.sync_round(),
        "revision 3 is not published yet: reading again cannot serve it"
    );
    batch.commit(false).expect("commit");
    hub.published();
    assert!(
        hub.state().sync_wanted,
        "the publication wakes the sync thread"
    );
    hub.sync_round();
    let got = collect(&mut sub, 2).await;
    assert_eq!(summary(&got), [(2, "a".into()), (3, "b".into())]);
    assert!(hub.state().watchers.values().all(|w| w.synced));
}
