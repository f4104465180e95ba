//! The store on a disk that crashes at every point of a workload ([`CrashDisk`]): commits as the
//! applier makes them (most without an fsync, every fifth durable, as at a snapshot), then,
//! for each point between two disk operations, the disk as a crash there would leave it
//! (unsynced writes lost, all kept, or kept with the last one torn at several lengths) is
//! opened again. Every image must open and hold exactly the state of one commit at or after
//! the last durable commit before the crash: a member that replays its WAL from the backend's
//! consistent index then loses nothing.

use std::collections::BTreeMap;
use std::path::Path;

use oxcd_proto::etcdserverpb::{DeleteRangeRequest, PutRequest, RangeRequest};

use super::test_support::no_leases;
use super::MvccStore;
use crate::backend::crash_disk::CrashDisk;

const COMMITS: u64 = 30;

type Keys = BTreeMap<Vec<u8>, Vec<u8>>;

fn contents(store: &MvccStore) -> Keys {
    let all = RangeRequest {
        key: vec![0],
        range_end: vec![0],
        ..RangeRequest::default()
    };
    store
        .range(&all)
        .expect("range")
        .kvs
        .into_iter()
        .map(|kv| (kv.key.to_vec(), kv.value.to_vec()))
        .collect()
}

#[test]
fn every_crash_point_opens_at_a_commit_no_older_than_the_last_durable_one() {
    let disk = CrashDisk::default();
    let store = MvccStore::open_on(disk.clone(), Path::new("crash-disk")).expect("open");
    // The state after each commit, by consistent index, and where each commit ended in the
    // disk's log and whether it was durable.
    let mut states: BTreeMap<u64, Keys> = BTreeMap::from([(0, Keys::new())]);
    let mut ends = vec![(disk.recorded(), 0, true)];
    let mut model = Keys::new();
    for index in 1..=COMMITS {
        let mut batch = store.write_batch().expect("batch");
        for k in 0..2 {
            let key = format!("key-{}", (index * 3 + k) % 11).into_bytes();
            // Values up to a few pages long, so commits span pages and writes.
            let value = vec![b'a' + (index % 26) as u8; ((index * 997 + k * 311) % 9000) as usize];
            let put = PutRequest {
                key: key.clone(),
                value: value.clone(),
                ..PutRequest::default()
            };
            batch.put(&put, &no_leases).expect("put");
            model.insert(key, value);
        }
        if index % 4 == 0 {
            let key = format!("key-{}", index % 11).into_bytes();
            let delete = DeleteRangeRequest {
                key: key.clone(),
                ..DeleteRangeRequest::default()
            };
            batch.delete_range(&delete).expect("delete");
            model.remove(&key);
        }
        batch.set_consistent_index(index, 2).expect("index");
        let durable = index % 5 == 0;
        batch.commit(durable).expect("commit");
        states.insert(index, model.clone());
        ends.push((disk.recorded(), index, durable));
    }
    assert_eq!(contents(&store), model);
    drop(store);

    let mut images = 0;
    for done in 0..=disk.recorded() {
        // The newest commit that was durable before the crash: the floor of what may open.
        let floor = ends
            .iter()
            .filter(|(end, _, durable)| *durable && *end <= done)
            .map(|(_, index, _)| *index)
            .max();
        let mut variants = vec![(false, None), (true, None)];
        if let Some(len) = done.checked_sub(1).and_then(|last| disk.write_len(last)) {
            for torn in [0, 1, len / 2, len.saturating_sub(1)] {
                variants.push((true, Some(torn)));
            }
        }
        for (keep_unsynced, torn) in variants {
            let image = disk.crash_image(done, keep_unsynced, torn);
            let what = format!(
                "a crash after {done} of {} disk operations (unsynced kept: {keep_unsynced}, \
                 the last torn at {torn:?})",
                disk.recorded()
            );
            let reopened = match (
                MvccStore::open_on(CrashDisk::with_image(image), Path::new("crash-disk")),
                floor,
            ) {
                (Ok(store), _) => store,
                // Before the first durable commit the disk need not hold a backend yet.
                (Err(_), None) => continue,
                (Err(e), Some(floor)) => {
                    panic!("{what}: the backend does not open ({e}); commit {floor} was durable")
                }
            };
            images += 1;
            let index = reopened.consistent_index();
            assert!(
                index >= floor.unwrap_or(0),
                "{what}: opened at commit {index}, but commit {floor:?} was durable"
            );
            let expected = states
                .get(&index)
                .unwrap_or_else(|| panic!("{what}: opened at commit {index}, never made"));
            assert!(
                contents(&reopened) == *expected,
                "{what}: the keys are not those of commit {index}"
            );
        }
    }
    println!(
        "{images} crash images of {} disk operations opened, each at a commit no older than \
         the last durable one",
        disk.recorded()
    );
    assert!(images > 100, "only {images} crash images opened");
}
