//! Durability across close and crash, corrupt files, and readers racing a writer.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use oxcd_proto::etcdserverpb::{PutRequest, RangeRequest};
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::MvccStore;

fn no_leases(_: i64) -> bool {
    false
}

fn put(store: &MvccStore, key: &str, value: &str, index: u64, durable: bool) {
    let mut batch = store.write_batch().unwrap();
    let req = PutRequest {
        key: key.into(),
        value: value.into(),
        ..PutRequest::default()
    };
    batch.put(&req, &no_leases).unwrap();
    batch.set_consistent_index(index, 3).unwrap();
    batch.commit(durable).unwrap();
}

fn get(store: &MvccStore, key: &str) -> Option<String> {
    let req = RangeRequest {
        key: key.into(),
        ..RangeRequest::default()
    };
    let resp = store.range(&req).unwrap();
    resp.kvs
        .first()
        .map(|kv| String::from_utf8(kv.value.to_vec()).unwrap())
}

#[test]
fn state_survives_close_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("member/snap/db");
    {
        let store = MvccStore::open(&path).unwrap();
        assert_eq!((store.current_revision(), store.consistent_index()), (1, 0));
        put(&store, "a", "1", 4, false);
        put(&store, "a", "2", 5, true);
        put(&store, "b", "3", 6, false);
        store.write_batch().unwrap().compact(3).unwrap_or(());
    }
    let store = MvccStore::open(&path).unwrap();
    // A clean close makes non-durable commits durable too (redb does so on drop).
    assert_eq!(store.consistent_index(), 6);
    assert_eq!(store.term(), 3);
    assert_eq!(store.current_revision(), 4);
    assert_eq!(get(&store, "a").as_deref(), Some("2"));
    assert_eq!(get(&store, "b").as_deref(), Some("3"));
    // The dropped compaction batch above left nothing behind.
    assert_eq!(store.compact_revision(), 0);
}

#[test]
fn a_crash_falls_back_to_the_last_durable_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let crashed = dir.path().join("crashed");
    let store = MvccStore::open(&path).unwrap();
    put(&store, "a", "1", 10, true);
    put(&store, "a", "2", 11, false);
    put(&store, "b", "x", 12, false);
    assert_eq!(store.consistent_index(), 12);
    // The file as a crash would leave it: only durable commits are reachable from its header.
    std::fs::copy(&path, &crashed).unwrap();
    drop(store);

    let recovered = MvccStore::open(&crashed).unwrap();
    assert_eq!(recovered.consistent_index(), 10);
    assert_eq!(recovered.current_revision(), 2);
    assert_eq!(get(&recovered, "a").as_deref(), Some("1"));
    assert_eq!(get(&recovered, "b"), None);
    // Replaying the lost entries gives the same revisions again.
    put(&recovered, "a", "2", 11, false);
    assert_eq!(recovered.current_revision(), 3);
}

fn assert_open_error_names(path: &Path) {
    match MvccStore::open(path) {
        Ok(_) => panic!("opening {} should fail", path.display()),
        Err(err) => {
            assert!(matches!(
                err,
                StorageError::Open { .. } | StorageError::Corrupt { .. }
            ));
            let text = err.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
        }
    }
}

#[test]
fn a_file_that_is_not_a_backend_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    std::fs::write(&path, vec![0x5a; 64 * 1024]).unwrap();
    assert_open_error_names(&path);
}

#[test]
fn a_damaged_backend_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = MvccStore::open(&path).unwrap();
        for i in 0..200 {
            put(&store, &format!("key{i:04}"), &"v".repeat(300), i, false);
        }
    }
    // Overwrite everything after the header region with garbage.
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[4096..len] {
        *b ^= 0xa5;
    }
    std::fs::write(&path, bytes).unwrap();
    assert_open_error_names(&path);
}

/// The start reads the key table beside the check of every page, not after it: a damaged value,
/// which the key index rebuild reads past, must still fail the open, whether the store was last
/// closed after a plain commit or after a durable one (which records redb's allocator state, so
/// that no repair walks the file before the check).
#[test]
fn a_damaged_value_fails_the_open_though_the_index_rebuild_reads_past_it() {
    for durable in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        {
            let store = MvccStore::open(&path).unwrap();
            for i in 0..200 {
                put(
                    &store,
                    &format!("key{i:04}"),
                    &"v".repeat(300),
                    i + 1,
                    durable,
                );
            }
        }
        let mut bytes = std::fs::read(&path).unwrap();
        let values = bytes
            .windows(300)
            .position(|w| w.iter().all(|&b| b == b'v'))
            .expect("a value in the file");
        bytes[values + 150] = b'w';
        std::fs::write(&path, bytes).unwrap();
        assert_open_error_names(&path);
    }
}

#[test]
fn readers_never_see_half_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MvccStore::open(&dir.path().join("db")).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (store, stop) = (store.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut reads = 0;
                while !stop.load(Ordering::Relaxed) {
                    let req = RangeRequest {
                        key: b"\0".to_vec(),
                        range_end: b"\0".to_vec(),
                        ..RangeRequest::default()
                    };
                    let resp = store.range(&req).unwrap();
                    let values: Vec<_> = resp.kvs.iter().map(|kv| kv.value.clone()).collect();
                    // Every batch writes both keys with the same value.
                    assert!(values.is_empty() || (values.len() == 2 && values[0] == values[1]));
                    let rev = resp.header.unwrap().revision;
                    assert_eq!(rev % 2, 1, "a batch moves the revision by two");
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    for i in 0..300u64 {
        let mut batch = store.write_batch().unwrap();
        for key in ["x", "y"] {
            let req = PutRequest {
                key: key.into(),
                value: i.to_string().into(),
                ..PutRequest::default()
            };
            batch.put(&req, &no_leases).unwrap();
        }
        if i % 50 == 49 {
            let rev = batch.revision();
            batch.compact(rev - 1).unwrap();
        }
        batch.commit(false).unwrap();
        while store.compaction_step(1).unwrap() {}
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        assert!(reader.join().unwrap() > 0);
    }
    assert_eq!(store.current_revision(), 601);
}

#[test]
fn a_snapshot_copy_opens_as_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = MvccStore::open(&dir.path().join("db")).unwrap();
    put(&store, "a", "1", 7, false);
    put(&store, "b", "2", 8, false);
    {
        let mut batch = store.write_batch().unwrap();
        batch.bucket_put("lease", b"\x01", b"ttl=5").unwrap();
        batch.put_meta("cluster_version", b"3.6.0").unwrap();
        batch.compact(2).unwrap();
        batch.commit(false).unwrap();
    }
    let dest = dir.path().join("snapshot.db");
    assert_eq!(store.write_snapshot(&dest).unwrap(), 8);
    assert!(store.write_snapshot(&dest).is_err(), "never overwrites");
    put(&store, "a", "later", 9, false);

    let copy = MvccStore::open(&dest).unwrap();
    assert_eq!(copy.consistent_index(), 8);
    assert_eq!((copy.current_revision(), copy.compact_revision()), (3, 2));
    assert_eq!(get(&copy, "a").as_deref(), Some("1"));
    assert_eq!(get(&copy, "b").as_deref(), Some("2"));
    assert_eq!(
        copy.bucket_get("lease", b"\x01").unwrap(),
        Some(b"ttl=5".to_vec())
    );
    assert_eq!(copy.bucket_entries("lease").unwrap().len(), 1);
    assert_eq!(copy.bucket_entries("never").unwrap(), Vec::new());
    assert_eq!(
        copy.get_meta("cluster_version").unwrap(),
        Some(b"3.6.0".to_vec())
    );
    // The copy resumes the compaction the original had not finished.
    assert_eq!(copy.finished_compact_revision(), 0);
    while copy.compaction_step(10).unwrap() {}
    assert_eq!(copy.finished_compact_revision(), 2);
}

#[test]
fn restoring_a_snapshot_replaces_the_whole_store() {
    let dir = tempfile::tempdir().unwrap();
    let source = MvccStore::open(&dir.path().join("a.db")).unwrap();
    for i in 1..=5 {
        put(&source, &format!("k{i}"), "from-a", i, false);
    }
    let snapshot = dir.path().join("a.snap");
    assert_eq!(source.write_snapshot(&snapshot).unwrap(), 5);

    let target_path = dir.path().join("b.db");
    let target = MvccStore::open(&target_path).unwrap();
    put(&target, "only-in-b", "x", 1, true);
    put(&target, "k1", "from-b", 2, true);
    target.restore_from(&snapshot).unwrap();
    assert_eq!(target.consistent_index(), 5);
    assert_eq!(target.current_revision(), source.current_revision());
    assert_eq!(
        get(&target, "only-in-b"),
        None,
        "nothing of the old store survives"
    );
    assert_eq!(get(&target, "k1").as_deref(), Some("from-a"));
    // Writes continue on top of the restored state, and it is durable.
    put(&target, "k6", "after", 6, false);
    assert_eq!(target.current_revision(), source.current_revision() + 1);
    drop(target);
    let reopened = MvccStore::open(&target_path).unwrap();
    assert_eq!(get(&reopened, "k5").as_deref(), Some("from-a"));
    assert!(reopened.consistent_index() >= 5);

    let garbage = dir.path().join("garbage");
    std::fs::write(&garbage, b"not a database").unwrap();
    let err = reopened.restore_from(&garbage).unwrap_err();
    assert!(err.to_string().contains("garbage"), "{err}");
    assert_eq!(
        get(&reopened, "k5").as_deref(),
        Some("from-a"),
        "a failed restore changes nothing"
    );
}

#[test]
fn defragment_keeps_the_data_and_shrinks_a_file_with_free_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = MvccStore::open(&path).unwrap();
    let big = "x".repeat(64 * 1024);
    for i in 0..200u64 {
        put(&store, &format!("k{}", i % 10), &big, i + 1, true);
    }
    let mut batch = store.write_batch().unwrap();
    batch.compact(store.current_revision()).unwrap();
    batch.set_consistent_index(1000, 3).unwrap();
    batch.commit(true).unwrap();
    while store.compaction_step(1000).unwrap() {}
    let before = store.backend().file_size();
    store.defragment().unwrap();
    let after = store.backend().file_size();
    assert!(
        after < before,
        "defragment must shrink the file ({before} -> {after})"
    );
    assert_eq!(get(&store, "k9").as_deref(), Some(big.as_str()));
    put(&store, "after", "defrag", 1001, true);
    drop(store);
    let reopened = MvccStore::open(&path).unwrap();
    assert_eq!(get(&reopened, "after").as_deref(), Some("defrag"));
}

#[test]
fn a_large_store_reads_back_the_same_after_a_reopen() {
    use oxcd_proto::etcdserverpb::DeleteRangeRequest;
    // Enough revisions that the reopen reads the key table in two halves on two threads.
    const REVISIONS: i64 = 120_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("member/snap/db");
    let everything = |revision: i64| RangeRequest {
        key: b"\0".to_vec(),
        range_end: b"\0".to_vec(),
        revision,
        ..RangeRequest::default()
    };
    let before = {
        let store = MvccStore::open(&path).unwrap();
        let mut batch = store.write_batch().unwrap();
        for n in 1..REVISIONS {
            let key = format!("k/{:04}", (n * 7919) % 1000).into_bytes();
            if n % 11 == 0 {
                let req = DeleteRangeRequest {
                    key,
                    ..DeleteRangeRequest::default()
                };
                batch.delete_range(&req).unwrap();
            } else {
                let req = PutRequest {
                    key,
                    value: n.to_string().into_bytes(),
                    ..PutRequest::default()
                };
                batch.put(&req, &no_leases).unwrap();
            }
        }
        batch.set_consistent_index(7, 2).unwrap();
        batch.commit(true).unwrap();
        let mut batch = store.write_batch().unwrap();
        batch.compact(1_000).unwrap();
        batch.commit(true).unwrap();
        // Around the halfway revision, where the read splits, and the latest.
        [REVISIONS / 2, REVISIONS / 2 + 1, 0].map(|rev| store.range(&everything(rev)).unwrap())
    };
    let store = MvccStore::open(&path).unwrap();
    let after =
        [REVISIONS / 2, REVISIONS / 2 + 1, 0].map(|rev| store.range(&everything(rev)).unwrap());
    for (before, after) in before.iter().zip(&after) {
        assert_eq!(after.kvs, before.kvs);
        assert_eq!(after.count, before.count);
    }
    assert!(before[2].count > 900, "most keys live: {}", before[2].count);
    assert_eq!(store.compact_revision(), 1_000);
}
