//! Online defragmentation: the backend rewritten without its free pages while reads and writes
//! go on (physical compaction waits at the store's gate meanwhile, `gate`).

use std::ops::Bound;
use std::path::Path;
use std::sync::atomic::Ordering;

use redb::{ReadableTable, TableHandle};

use super::store::{allocated_bytes, copy_tables, delete_tables, MvccStore};
use crate::backend::{close_when_unused, set_durable, StorageError, KEY_TABLE};

/// Revisions deleted per step of the compaction a defragmentation finishes first (the
/// compactor's own step).
const COMPACTION_BATCH: usize = 1000;

/// Copies up to this size are compacted whatever they have to spare (see `defragment_once`).
const ALWAYS_COMPACT_UP_TO: u64 = 64 * 1024 * 1024;

/// Passes that copy the revisions written during the copy without holding writes back, at most.
const CATCH_UP_PASSES: usize = 8;

/// Revisions few enough to copy with writes held back (a pass copying more is followed by
/// another).
const CATCH_UP_UNDER_LOCK: usize = 2000;

impl MvccStore {
    /// Defragments the backend file (etcd's Defragment) while reads and writes go on, unlike
    /// etcd's, which stops both: a compacted copy is written from a read snapshot, brought up to
    /// date under the writer lock (the `key` table's newer revisions, every other table whole:
    /// they are small), and renamed over the file. Writes wait only for that last step.
    pub fn defragment(&self) -> Result<(), StorageError> {
        self.defragment_with(&mut || {})
    }

    /// [`defragment`](Self::defragment), calling `after_copy` once the copy is written and
    /// before it is brought up to date (where the tests write).
    fn defragment_with(&self, after_copy: &mut dyn FnMut()) -> Result<(), StorageError> {
        // A read-only store fails here, before its copy is created beside the file.
        self.backend.ensure_writable()?;
        // The deletions a compaction still owes are done first: an operator defragments right
        // after compacting, to get back what the compaction freed.
        while self.compaction_step(COMPACTION_BATCH)? {}
        let _active = self.defragmenting.enter();
        let copy_path = self.backend.defrag_copy_path();
        // Whatever happens (an error, a panic, snapshots that keep restarting the copy), no
        // copy is left behind; once installed it is no longer there to remove.
        let _leftover = RemovedOnDrop(&copy_path);
        let mut result = Ok(false);
        // A snapshot installed during the copy makes it stale: start again (rarely needed).
        for _ in 0..3 {
            result = self.defragment_once(&copy_path, after_copy);
            if !matches!(result, Ok(false)) {
                break;
            }
        }
        if result? {
            Ok(())
        } else {
            Err(StorageError::Open {
                path: copy_path.clone(),
                detail: "snapshots kept replacing the backend during its defragmentation".into(),
            })
        }
    }

    /// One attempt of [`defragment`](Self::defragment): false if a snapshot was installed
    /// meanwhile.
    fn defragment_once(
        &self,
        copy_path: &Path,
        after_copy: &mut dyn FnMut(),
    ) -> Result<bool, StorageError> {
        let (snapshot, restores) = {
            let _writer = self.writer.enter();
            (
                self.backend.begin_read()?,
                self.restores.load(Ordering::SeqCst),
            )
        };
        // A copy left by a process that stopped mid-way must not be opened as a start.
        match std::fs::remove_file(copy_path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StorageError::Open {
                    path: copy_path.to_path_buf(),
                    detail: format!("removing an old copy: {e}"),
                })
            }
        }
        let started = std::time::Instant::now();
        let (copy, copied) = in_background(|| {
            let copy = crate::backend::database_builder()
                .create(copy_path)
                .map_err(|e| StorageError::Open {
                    path: copy_path.to_path_buf(),
                    detail: e.to_string(),
                })?;
            // Durable here, outside the writer lock, so that the commit under it syncs only
            // the catch-up.
            let out = copy.begin_write()?;
            copy_tables(&snapshot, &out, &[])?;
            out.commit()?;
            drop(snapshot);
            // A new redb file may end in space it grew by and has not used, which compacting
            // gives back: much of a small file (a small quota needs it back) and of one with
            // large values (1 MiB ones: over half the file), little of one with many small
            // values, where compacting a 1 GiB copy took longer than writing it (8 s after
            // 6 s) and gave nothing. So a small copy is always compacted (milliseconds), a large
            // one when it has room to spare.
            let size = std::fs::metadata(copy_path).map_or(0, |m| m.len());
            let mut copy = copy;
            if size <= ALWAYS_COMPACT_UP_TO
                || size > allocated_bytes(copy.begin_write()?)?.saturating_mul(5) / 4
            {
                while copy.compact()? {}
            }
            Ok::<_, StorageError>((copy, started.elapsed()))
        })?;
        after_copy();
        // What was written meanwhile is copied without the writer lock too, in passes, until
        // little enough is left for the last pass under the lock to be short.
        in_background(|| {
            for _ in 0..CATCH_UP_PASSES {
                let live = self.backend.begin_read()?;
                let out = copy.begin_write()?;
                let caught_up = copy_new_revisions(&live, &out)?;
                out.commit()?;
                if caught_up <= CATCH_UP_UNDER_LOCK {
                    break;
                }
            }
            Ok::<_, StorageError>(())
        })?;

        let _writer = self.writer.enter();
        let waited = std::time::Instant::now();
        if self.restores.load(Ordering::SeqCst) != restores {
            return Ok(false);
        }
        let live = self.backend.begin_read()?;
        let mut out = copy.begin_write()?;
        set_durable(&mut out)?;
        copy_new_revisions(&live, &out)?;
        delete_tables(&out, &[KEY_TABLE.name()])?;
        copy_tables(&live, &out, &[KEY_TABLE.name()])?;
        out.commit()?;
        drop(live);
        let replaced = self.backend.install(copy)?;
        let held = waited.elapsed();
        drop(_writer);
        close_when_unused(replaced, "defrag-close");
        tracing::info!(
            copy_ms = copied.as_millis() as u64,
            writes_held_ms = held.as_millis() as u64,
            size = self.backend.file_size(),
            "defragmented the backend"
        );
        Ok(true)
    }
}

/// Removes a file when dropped, if it is still there.
struct RemovedOnDrop<'a>(&'a Path);

impl Drop for RemovedOnDrop<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.0);
    }
}

/// Runs `work` on a thread of its own at a lower CPU and I/O priority than the member's, so
/// that a defragmentation's copying slows the requests served meanwhile as little as it can.
fn in_background<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            lower_this_threads_priority();
            work()
        });
        match worker.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Nice 10, and the best-effort I/O class's lowest priority (not the idle class, which a busy
/// member's own writes could starve forever); best effort: a refusal changes nothing.
fn lower_this_threads_priority() {
    const IOPRIO_WHO_PROCESS: libc::c_int = 1;
    const IOPRIO_CLASS_BE: libc::c_int = 2;
    const IOPRIO_CLASS_SHIFT: libc::c_int = 13;
    const LOWEST_LEVEL: libc::c_int = 7;
    // SAFETY: both calls take plain integers and act only on the calling thread (who 0).
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
        libc::syscall(
            libc::SYS_ioprio_set,
            IOPRIO_WHO_PROCESS,
            0,
            (IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT) | LOWEST_LEVEL,
        );
    }
}

/// Copies the `key` table entries of `live` after the last one `out` holds (the table only
/// grows while physical compaction waits); how many.
fn copy_new_revisions(
    live: &redb::ReadTransaction,
    out: &redb::WriteTransaction,
) -> Result<usize, StorageError> {
    let mut to = out.open_table(KEY_TABLE)?;
    let last = to.last()?.map(|(key, _)| key.value().to_vec());
    let lower = match &last {
        Some(key) => Bound::Excluded(key.as_slice()),
        None => Bound::Unbounded,
    };
    let from = live.open_table(KEY_TABLE)?;
    let mut copied = 0;
    for entry in from.range::<&[u8]>((lower, Bound::Unbounded))? {
        let (key, value) = entry?;
        to.insert(key.value(), value.value())?;
        copied += 1;
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use oxcd_proto::etcdserverpb::{DeleteRangeRequest, RangeRequest};

    use super::*;
    use crate::mvcc::Revision;
    use oxcd_proto::mvccpb::KeyValue;

    use crate::mvcc::test_support::put;

    fn get(store: &MvccStore, key: &str) -> Option<Vec<u8>> {
        let req = RangeRequest {
            key: key.into(),
            ..RangeRequest::default()
        };
        let resp = store.range(&req).unwrap();
        resp.kvs.first().map(|kv| kv.value.to_vec())
    }

    type Contents = (Vec<(Revision, bool, KeyValue)>, BucketContents, u64, i64);
    type BucketContents = Vec<(Vec<u8>, Vec<u8>)>;

    /// Everything a store holds that a defragmentation must keep.
    fn contents(store: &MvccStore) -> Contents {
        (
            store.dump_key_table().unwrap(),
            store.bucket_entries("lease").unwrap(),
            store.consistent_index(),
            store.current_revision(),
        )
    }

    /// A store whose file has free pages: big values overwritten, then compacted away.
    fn fragmented(path: &Path) -> MvccStore {
        let store = MvccStore::open(path).unwrap();
        let big = "x".repeat(64 * 1024);
        for i in 0..200u64 {
            put(&store, &format!("k{}", i % 10), &big, i + 1);
        }
        let mut batch = store.write_batch().unwrap();
        batch.bucket_put("lease", b"1", b"lease one").unwrap();
        batch.compact(store.current_revision()).unwrap();
        batch.set_consistent_index(1000, 2).unwrap();
        batch.commit(true).unwrap();
        while store.compaction_step(1000).unwrap() {}
        store
    }

    #[test]
    fn writes_and_reads_go_on_during_the_copy_and_land_in_the_defragmented_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let store = fragmented(&path);
        let before = store.backend().file_size();
        // A reader that began before: it keeps reading the old file after the swap.
        let old_view = store.view().unwrap();
        let expected = RefCell::new(None);
        store
            .defragment_with(&mut || {
                // Were writes stopped, these would wait for the defragmentation forever.
                put(&store, "during", "the copy", 1001);
                let mut batch = store.write_batch().unwrap();
                batch
                    .delete_range(&DeleteRangeRequest {
                        key: "k3".into(),
                        ..DeleteRangeRequest::default()
                    })
                    .unwrap();
                batch.bucket_put("lease", b"2", b"lease two").unwrap();
                batch.bucket_delete("lease", b"1").unwrap();
                batch.put_meta("note", b"written during the copy").unwrap();
                batch.set_consistent_index(1002, 2).unwrap();
                batch.commit(false).unwrap();
                assert_eq!(get(&store, "k9").map(|v| v.len()), Some(64 * 1024));
                *expected.borrow_mut() = Some(contents(&store));
            })
            .unwrap();
        let expected = expected.into_inner().expect("the hook ran");
        let after = store.backend().file_size();
        assert!(
            after < before,
            "the file did not shrink: {before} -> {after}"
        );
        assert_eq!(contents(&store), expected);
        assert_eq!(get(&store, "during"), Some(b"the copy".to_vec()));
        assert_eq!(get(&store, "k3"), None);
        assert_eq!(
            store.view().unwrap().server_meta("note").unwrap(),
            Some(b"written during the copy".to_vec())
        );
        assert_eq!(old_view.key_count().unwrap(), 10);
        drop(old_view);
        put(&store, "after", "the swap", 1003);
        let expected = contents(&store);
        drop(store);
        assert!(!dir.path().join("db.defrag").exists());
        let reopened = MvccStore::open(&path).unwrap();
        assert_eq!(contents(&reopened), expected);
    }

    #[test]
    fn physical_compaction_waits_for_the_defragmentation() {
        let dir = tempfile::tempdir().unwrap();
        let store = fragmented(&dir.path().join("db"));
        for i in 0..5u64 {
            put(&store, "again", &i.to_string(), 2000 + i);
        }
        let old_revisions = store.dump_key_table().unwrap().len();
        std::thread::scope(|scope| {
            store
                .defragment_with(&mut || {
                    let mut batch = store.write_batch().unwrap();
                    batch.compact(store.current_revision()).unwrap();
                    batch.commit(false).unwrap();
                    let compactor = scope.spawn(|| while store.compaction_step(1).unwrap() {});
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    assert!(!compactor.is_finished());
                    assert_eq!(store.dump_key_table().unwrap().len(), old_revisions);
                })
                .unwrap();
        });
        // Once the copy is in place the compaction ran, on the new file.
        assert_eq!(store.dump_key_table().unwrap().len(), old_revisions - 4);
        assert_eq!(get(&store, "again"), Some(b"4".to_vec()));
    }

    #[test]
    fn a_snapshot_installed_during_the_copy_starts_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = fragmented(&dir.path().join("db"));
        let other = MvccStore::open(&dir.path().join("other")).unwrap();
        put(&other, "from", "the snapshot", 7);
        let snapshot = dir.path().join("snapshot");
        other.write_snapshot(&snapshot).unwrap();
        let mut attempts = 0;
        store
            .defragment_with(&mut || {
                attempts += 1;
                if attempts == 1 {
                    store.restore_from(&snapshot).unwrap();
                }
            })
            .unwrap();
        assert_eq!(attempts, 2);
        assert_eq!(contents(&store), contents(&other));
        assert_eq!(get(&store, "k9"), None);
    }
}
