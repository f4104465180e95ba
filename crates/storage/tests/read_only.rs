//! A store opened read-only (what `oxutl dump` reads a stopped member with): the same reads as a
//! member's store, every write refused, and the data dir left byte for byte as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use oxcd_proto::etcdserverpb::PutRequest;
use oxcd_proto::mvccpb::KeyValue;
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::{MvccError, MvccStore};

fn put(store: &MvccStore, key: &str, value: &str) {
    let mut batch = store.write_batch().unwrap();
    let req = PutRequest {
        key: key.into(),
        value: value.into(),
        ..PutRequest::default()
    };
    batch.put(&req, &|_| false).unwrap();
    batch.commit(false).unwrap();
}

/// Every file below `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    out
}

fn keys_at(
    store: &MvccStore,
    key: &str,
    range_end: &str,
    rev: i64,
) -> Result<Vec<String>, MvccError> {
    let mut seen = Vec::new();
    store.for_each_key(key.as_bytes(), range_end.as_bytes(), rev, |kv: KeyValue| {
        seen.push(format!(
            "{}={}@{}",
            String::from_utf8_lossy(&kv.key),
            String::from_utf8_lossy(&kv.value),
            kv.mod_revision
        ));
        Ok::<(), MvccError>(())
    })?;
    Ok(seen)
}

#[test]
fn a_cleanly_closed_store_reads_the_same_and_stays_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("member/snap/db");
    {
        let store = MvccStore::open(&path).unwrap();
        put(&store, "b", "1"); // 2
        put(&store, "a", "2"); // 3
        put(&store, "b", "3"); // 4
        put(&store, "c", "4"); // 5
        let mut batch = store.write_batch().unwrap();
        batch.compact(3).unwrap();
        batch.commit(false).unwrap();
        put(&store, "ab", "5"); // 6
    }
    let before = files(dir.path());

    let store = MvccStore::open_read_only(&path).unwrap();
    assert_eq!((store.current_revision(), store.compact_revision()), (6, 3));
    assert_eq!(
        keys_at(&store, "\0", "\0", 0).unwrap(),
        ["a=2@3", "ab=5@6", "b=3@4", "c=4@5"]
    );
    assert_eq!(keys_at(&store, "a", "b", 0).unwrap(), ["a=2@3", "ab=5@6"]);
    assert_eq!(keys_at(&store, "\0", "\0", 3).unwrap(), ["a=2@3", "b=1@2"]);
    assert!(matches!(
        keys_at(&store, "\0", "\0", 2),
        Err(MvccError::Compacted)
    ));
    assert!(matches!(
        keys_at(&store, "\0", "\0", 7),
        Err(MvccError::FutureRevision)
    ));
    // The walk stops at the first error its visitor returns.
    let mut calls = 0;
    let stopped = store.for_each_key(b"\0", b"\0", 0, |_| {
        calls += 1;
        Err(MvccError::KeyNotFound)
    });
    assert!(matches!(stopped, Err(MvccError::KeyNotFound)));
    assert_eq!(calls, 1);

    assert!(matches!(
        store.write_batch(),
        Err(StorageError::ReadOnly(_))
    ));
    assert!(matches!(store.sync(), Err(StorageError::ReadOnly(_))));
    assert!(matches!(store.defragment(), Err(StorageError::ReadOnly(_))));
    drop(store);
    assert!(
        before == files(dir.path()),
        "opening, reading and refused writes changed the data dir"
    );
}

#[test]
fn a_store_in_use_is_refused_and_a_crashed_one_read_as_a_restart_would() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let crashed = dir.path().join("crashed");
    let store = MvccStore::open(&path).unwrap();
    put(&store, "a", "1");
    store.sync().unwrap();
    put(&store, "b", "2");
    match MvccStore::open_read_only(&path) {
        Err(StorageError::Open { detail, .. }) => {
            assert!(detail.contains("already open"), "{detail}")
        }
        other => panic!("a store in use opened read-only: {:?}", other.err()),
    }
    // The file as a kill would leave it: redb must repair it, and only its durable commits count.
    std::fs::copy(&path, &crashed).unwrap();
    drop(store);
    let bytes = std::fs::read(&crashed).unwrap();
    let store = MvccStore::open_read_only(&crashed).unwrap();
    assert_eq!(keys_at(&store, "\0", "\0", 0).unwrap(), ["a=1@2"]);
    // A member cannot open it meanwhile.
    assert!(MvccStore::open(&crashed).is_err());
    drop(store);
    assert!(std::fs::read(&crashed).unwrap() == bytes);
}
