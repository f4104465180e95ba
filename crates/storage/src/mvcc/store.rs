//! [`MvccStore`]: the committed state, reads, and background compaction.

use std::ops::Bound;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use oxcd_proto::etcdserverpb::{RangeRequest, RangeResponse};
use oxcd_proto::mvccpb::{event::EventType, Event, KeyValue};
use redb::{Durability, ReadableDatabase, ReadableTable, TableDefinition, TableHandle};

use super::error::MvccError;
use super::gate::{Gate, GateGuard};
use super::key_index::{IndexView, KeyIndex};
use super::key_table::KeyTableIndex;
use super::read::{decode_kv, read_revision, read_value, request_range, RangePlan};
use super::revision::Revision;
use super::revision::RevisionKey;
use crate::backend::{
    bucket_table_name, close_when_unused, decode_u64, encode_u64, set_durable, Backend,
    StorageError, KEY_TABLE, META_CONSISTENT_INDEX, META_FINISHED_COMPACT, META_SCHEDULED_COMPACT,
    META_TABLE, META_TERM, SERVER_META_TABLE,
};

/// A server bucket's entries: `(key, value)` in key order.
pub type BucketEntries = Vec<(Vec<u8>, Vec<u8>)>;

/// etcd's multi-version store: the backend file plus the in-memory key index.
///
/// Shared by the server as an `Arc`: [`range`](Self::range) may run on any thread at any time;
/// writes go through one `WriteBatch` at a time.
pub struct MvccStore {
    pub(super) backend: Backend,
    pub(super) writer: WriterLock,
    state: RwLock<State>,
    /// The compaction whose backend deletions are still pending. Changed only by a thread
    /// holding the writer lock.
    compaction: Mutex<Option<CompactionJob>>,
    finished_compact: AtomicI64,
    /// Bytes of `key` table entries (keys plus values): the live data, for `db_size`.
    live_bytes: AtomicI64,
    /// Set while an online defragmentation copies the backend: physical compaction waits, so
    /// that the `key` table only grows until the copy is brought up to date.
    pub(super) defragmenting: Gate,
    /// How many snapshots were installed ([`restore_from`](Self::restore_from)): a copy begun
    /// before one is stale.
    pub(super) restores: AtomicU64,
    /// Backend revisions physical compaction removed since the store was opened (a metric).
    compacted_entries: AtomicU64,
}

/// What readers see: replaced only when a batch commits.
pub(super) struct State {
    pub(super) index: KeyIndex,
    pub(super) current_rev: i64,
    /// The last compaction's revision; -1 if the store was never compacted.
    pub(super) compact_rev: i64,
    pub(super) consistent_index: u64,
    pub(super) term: u64,
}

/// Backend deletions still owed by the compaction at `rev`.
#[derive(Debug)]
struct CompactionJob {
    rev: i64,
    /// The last `key` table key examined; the next step starts after it.
    cursor: Option<Vec<u8>>,
}

/// Everything a committing batch publishes.
pub(super) struct Published {
    pub(super) overlay: super::key_index::Overlay,
    pub(super) current_rev: i64,
    pub(super) compact_rev: i64,
    pub(super) compaction: Option<i64>,
    pub(super) consistent: Option<(u64, u64)>,
    pub(super) added_bytes: i64,
}

impl MvccStore {
    /// Opens (creating if missing) the store at `db_path`, normally `<data-dir>/member/snap/db`.
    ///
    /// Rebuilds the key index from the `key` table and resumes an unfinished compaction: call
    /// [`compaction_step`](Self::compaction_step) until it returns `false`.
    pub fn open(db_path: &Path) -> Result<MvccStore, StorageError> {
        let (backend, check) = Backend::open_checking_alongside(db_path)?;
        // A damaged page can fail the read, or make redb panic, before the check reports it:
        // the check's verdict comes first.
        let loaded = catch_unwind(AssertUnwindSafe(|| Loaded::read(&backend)));
        check.wait()?;
        let loaded = loaded.map_err(|_| backend.corrupt("reading the key table failed"))??;
        Ok(MvccStore::from_loaded(backend, loaded))
    }

    /// Opens the store at `db_path` for reading only ([`Backend::open_read_only`]), for tools
    /// that inspect a stopped member's data dir without changing a byte of it: reads work as
    /// on a member's store; every write (a batch, a compaction step, a sync, a defragmentation)
    /// fails with [`StorageError::ReadOnly`].
    pub fn open_read_only(db_path: &Path) -> Result<MvccStore, StorageError> {
        MvccStore::with_backend(Backend::open_read_only(db_path)?)
    }

    /// The store on `storage` instead of a file, for crash tests. `path` is where the file
    /// would be: a snapshot restored into this store is renamed there, and the store then
    /// lives in that file.
    #[cfg(any(test, feature = "crash-disk"))]
    pub fn open_on(
        storage: impl redb::StorageBackend,
        path: &Path,
    ) -> Result<MvccStore, StorageError> {
        MvccStore::with_backend(Backend::open_on(storage, path)?)
    }

    fn with_backend(backend: Backend) -> Result<MvccStore, StorageError> {
        let loaded = Loaded::read(&backend)?;
        Ok(MvccStore::from_loaded(backend, loaded))
    }

    fn from_loaded(backend: Backend, loaded: Loaded) -> MvccStore {
        MvccStore {
            backend,
            writer: WriterLock::default(),
            state: RwLock::new(loaded.state),
            compaction: Mutex::new(loaded.job),
            finished_compact: AtomicI64::new(loaded.finished),
            live_bytes: AtomicI64::new(loaded.live_bytes),
            defragmenting: Gate::default(),
            restores: AtomicU64::new(0),
            compacted_entries: AtomicU64::new(0),
        }
    }

    /// Makes every commit so far durable (they are normally durable only at snapshots, the WAL
    /// covering the rest): a member stopping cleanly leaves a backend with nothing to replay.
    pub fn sync(&self) -> Result<(), StorageError> {
        let _writer = self.writer.enter();
        let mut txn = self.backend.begin_write()?;
        set_durable(&mut txn)?;
        txn.commit()?;
        Ok(())
    }

    /// Replaces the whole store with `snapshot`, a file [`write_snapshot`]
    /// (Self::write_snapshot) made (on this or another member): how a member that fell too far
    /// behind catches up. The file, on the backend's file system, is moved into place (it is
    /// gone from `snapshot` afterwards). Durable when it returns; readers see the old state or
    /// the new one.
    pub fn restore_from(&self, snapshot: &Path) -> Result<(), StorageError> {
        let open_err = |detail: String| StorageError::Open {
            path: snapshot.to_path_buf(),
            detail,
        };
        let _writer = self.writer.enter();
        let source = crate::backend::database_builder()
            .open(snapshot)
            .map_err(|e| open_err(e.to_string()))?;
        // The received file becomes the backend as it is (renamed, not copied, so a large
        // store is installed in the time a rename and an index load take), with the tables
        // every read transaction opens, durably, before it is put in place.
        let mut tables = source.begin_write()?;
        set_durable(&mut tables)?;
        tables.open_table(KEY_TABLE)?;
        tables.open_table(META_TABLE)?;
        tables.open_table(SERVER_META_TABLE)?;
        tables.commit()?;
        // The key index is rebuilt from the new file before anything is swapped, so readers
        // wait only for the swap itself.
        let loaded = Loaded::read_from(&source.begin_read()?, &self.backend)?;
        self.restores.fetch_add(1, Ordering::SeqCst);
        // Readers choose revisions from the state and begin their backend read under its lock:
        // holding it until both are replaced, none pairs the old index with the new file.
        let mut state = self.write_state();
        let installed = self.backend.install_from(snapshot, source);
        if let Err(e) = &installed {
            if !matches!(e, StorageError::ReplacedNotDurable { .. }) {
                return installed.map(drop); // nothing was replaced
            }
        }
        // From here the new file is the backend (durably or not): its state goes with it.
        *state = loaded.state;
        drop(state);
        *self
            .compaction
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = loaded.job;
        self.finished_compact
            .store(loaded.finished, Ordering::Release);
        self.live_bytes.store(loaded.live_bytes, Ordering::Relaxed);
        drop(_writer);
        close_when_unused(installed?, "restore-close");
        Ok(())
    }

    /// The backend underneath.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Raft index of the last applied entry, as committed with the data it produced.
    pub fn consistent_index(&self) -> u64 {
        self.read_state().consistent_index
    }

    /// Raft term of the last applied entry.
    pub fn term(&self) -> u64 {
        self.read_state().term
    }

    /// The revision of the last committed change; 1 on a fresh store.
    pub fn current_revision(&self) -> i64 {
        self.read_state().current_rev
    }

    /// The revision of the last compaction; 0 if never compacted.
    pub fn compact_revision(&self) -> i64 {
        self.read_state().compact_rev.max(0)
    }

    /// The revision of the last compaction whose backend deletions are complete; 0 if none.
    pub fn finished_compact_revision(&self) -> i64 {
        self.finished_compact.load(Ordering::Acquire).max(0)
    }

    /// Answers a range request from committed state (the request's `serializable` flag is the
    /// server's business). The header carries only the current revision.
    ///
    /// Holds the state lock (shared) only while choosing keys from the index; values are read
    /// from a backend snapshot taken at the same moment, after the lock is released.
    pub fn range(&self, req: &RangeRequest) -> Result<RangeResponse, MvccError> {
        let plan = RangePlan::new(req)?;
        let (selection, txn, current) = {
            let state = self.read_state();
            let at = read_revision(req.revision, state.current_rev, state.compact_rev)?;
            let view = IndexView {
                base: &state.index,
                overlay: None,
            };
            let selection = view.select(request_range(req), at, plan.collect);
            // Begun under the state lock: the snapshot holds every revision this index
            // references (compaction deletes only revisions the index has already dropped).
            let txn = self.backend.begin_read()?;
            (selection, txn, state.current_rev)
        };
        let table = txn.open_table(KEY_TABLE)?;
        plan.finish(req, selection, &table, &self.backend, current)
    }

    /// Hands `visit` each key of the range `key`..`range_end` (encoded as in a range request)
    /// that exists at revision `rev` (0: the current one), in key order, reading its value from
    /// one backend snapshot as it goes: nothing is collected, so a store of any size is walked
    /// in the memory of one value. `visit`'s first error ends the walk and is returned; so is
    /// a compacted or future `rev`, before any call.
    ///
    /// Holds the state lock (shared) until the end, which holds back committing batches: for
    /// tools reading a stopped member's store, not for serving requests ([`range`](Self::range)).
    pub fn for_each_key<E: From<MvccError>>(
        &self,
        key: &[u8],
        range_end: &[u8],
        rev: i64,
        mut visit: impl FnMut(KeyValue) -> Result<(), E>,
    ) -> Result<(), E> {
        let state = self.read_state();
        let at = read_revision(rev, state.current_rev, state.compact_rev)?;
        let txn = self.backend.begin_read().map_err(MvccError::from)?;
        let table = txn.open_table(KEY_TABLE).map_err(MvccError::from)?;
        let view = IndexView {
            base: &state.index,
            overlay: None,
        };
        let mut outcome = Ok(());
        view.for_each_visible(
            super::key_index::KeyRange::new(key, range_end),
            at,
            |_, rev| {
                if outcome.is_ok() {
                    outcome = read_value(&table, &self.backend, rev)
                        .map_err(|e| E::from(MvccError::from(e)))
                        .and_then(&mut visit);
                }
            },
        );
        outcome
    }

    /// How many keys exist (not deleted) at the current revision. Walks the key index: for
    /// occasional callers (metrics), not for requests.
    pub fn live_key_count(&self) -> usize {
        let state = self.read_state();
        let view = IndexView {
            base: &state.index,
            overlay: None,
        };
        view.select(
            super::key_index::KeyRange::new(&[0], &[0]),
            state.current_rev,
            super::key_index::Collect::Nothing,
        )
        .count
    }

    /// `(file size, bytes in use)`: the second counts the pages redb has allocated (falling back
    /// to the size of the live key-value data if redb cannot say).
    pub fn db_size(&self) -> (i64, i64) {
        let file = self.backend.file_size() as i64;
        let in_use = self
            .allocated_bytes()
            .unwrap_or_else(|_| self.live_bytes.load(Ordering::Relaxed));
        (file, in_use.min(file))
    }

    /// Bytes of the pages redb has allocated: what etcd calls the size in use. Asking redb needs a
    /// write transaction, so this waits for the writer lock (Status is rare; writes are not).
    fn allocated_bytes(&self) -> Result<i64, StorageError> {
        let _writer = self.writer.enter();
        Ok(allocated_bytes(self.backend.begin_write()?)? as i64)
    }

    /// Deletes up to `batch_limit` backend revisions that the last compaction made unreachable,
    /// in one short backend transaction. Returns whether more work is left.
    ///
    /// Takes the writer lock only for that transaction, so writes are delayed by at most one
    /// step; run it in a loop from a background task, pausing between steps as etcd does.
    /// The step's commit is not durable: after a crash the compaction resumes on open.
    pub fn compaction_step(&self, batch_limit: usize) -> Result<bool, StorageError> {
        self.defragmenting.wait_until_open();
        let _writer = self.writer.enter();
        if self.defragmenting.is_closed() {
            return Ok(true);
        }
        let mut job_slot = self
            .compaction
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(job) = job_slot.as_mut() else {
            return Ok(false);
        };
        let limit = batch_limit.max(1);
        let end = RevisionKey::first_of(job.rev + 1);
        let mut txn = self.backend.begin_write()?;
        txn.set_durability(Durability::None)?;
        let mut freed = 0i64;
        let removed: usize;
        let (done, last_key) = {
            let mut table = txn.open_table(KEY_TABLE)?;
            // (revision key, user key, revision, entry size) of the entries examined.
            let mut scanned = Vec::with_capacity(limit.min(4096));
            let mut done = true;
            {
                let lower = match &job.cursor {
                    Some(cursor) => Bound::Excluded(cursor.as_slice()),
                    None => Bound::Unbounded,
                };
                let mut entries = table.range::<&[u8]>((lower, Bound::Excluded(end.as_bytes())))?;
                for entry in entries.by_ref() {
                    let (key, value) = entry?;
                    let (rev, _) = RevisionKey::decode(key.value()).ok_or_else(|| {
                        self.backend
                            .corrupt(format!("bad key table key {:?}", key.value()))
                    })?;
                    let kv = decode_kv(&self.backend, rev, value.value())?;
                    let size = (key.value().len() + value.value().len()) as i64;
                    scanned.push((key.value().to_vec(), kv.key, rev, size));
                    if scanned.len() == limit {
                        break;
                    }
                }
                if scanned.len() == limit {
                    done = entries.next().is_none();
                }
            }
            let garbage: Vec<usize> = {
                let state = self.read_state();
                (0..scanned.len())
                    .filter(|&i| !state.index.contains(&scanned[i].1, scanned[i].2))
                    .collect()
            };
            removed = garbage.len();
            for i in garbage {
                table.remove(scanned[i].0.as_slice())?;
                freed += scanned[i].3;
            }
            (done, scanned.pop().map(|s| s.0))
        };
        if done {
            let mut meta = txn.open_table(META_TABLE)?;
            meta.insert(META_FINISHED_COMPACT, &encode_u64(job.rev as u64)[..])?;
        }
        txn.commit()?;
        self.backend.refresh_size();
        self.live_bytes.fetch_sub(freed, Ordering::Relaxed);
        self.compacted_entries
            .fetch_add(removed as u64, Ordering::Relaxed);
        if done {
            tracing::info!(revision = job.rev, "finished compaction");
            self.finished_compact.store(job.rev, Ordering::Release);
            *job_slot = None;
        } else {
            job.cursor = last_key.or(job.cursor.take());
        }
        Ok(!done)
    }

    /// How many backend revisions physical compaction has removed since the store was opened.
    pub fn compacted_entries(&self) -> u64 {
        self.compacted_entries.load(Ordering::Relaxed)
    }

    /// etcd's Hash: a checksum of the whole backend, every table's name, keys and values in order
    /// (meant for tests comparing members; HashKV is the one that ignores member-local state).
    pub fn hash(&self) -> Result<u32, StorageError> {
        let txn = self.backend.begin_read()?;
        let mut hash = 0u32;
        for table in txn.list_tables()? {
            let name = table.name().to_string();
            hash = crc32c::crc32c_append(hash, name.as_bytes());
            if name == META_TABLE.name() || name == SERVER_META_TABLE.name() {
                let t = txn.open_table(TableDefinition::<&str, &[u8]>::new(&name))?;
                for entry in t.range::<&str>(..)? {
                    let (k, v) = entry?;
                    hash = crc32c::crc32c_append(hash, k.value().as_bytes());
                    hash = crc32c::crc32c_append(hash, v.value());
                }
            } else {
                let t = txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name))?;
                for entry in t.range::<&[u8]>(..)? {
                    let (k, v) = entry?;
                    hash = crc32c::crc32c_append(hash, k.value());
                    hash = crc32c::crc32c_append(hash, v.value());
                }
            }
        }
        Ok(hash)
    }

    /// etcd's HashKV: CRC-32C over the `key` table entries up to `rev` (0 = current), skipping
    /// those a compaction at `rev` would delete below the compacted revision. Returns
    /// `(hash, compact revision (-1 if never compacted, as etcd reports it), hash revision)`.
    pub fn hash_kv(&self, rev: i64) -> Result<(u32, i64, i64), MvccError> {
        let (keep, txn, compact_rev, rev) = {
            let state = self.read_state();
            if rev > 0 && rev <= state.compact_rev {
                return Err(MvccError::Compacted);
            }
            if rev > state.current_rev {
                return Err(MvccError::FutureRevision);
            }
            let rev = if rev <= 0 { state.current_rev } else { rev };
            let keep = state.index.keep(rev);
            (keep, self.backend.begin_read()?, state.compact_rev, rev)
        };
        let table = txn.open_table(KEY_TABLE)?;
        let end = RevisionKey::first_of(rev + 1);
        let mut hash = crc32c::crc32c(b"key");
        for entry in table.range::<&[u8]>(..end.as_bytes())? {
            let (key, value) = entry?;
            let (kr, _) = RevisionKey::decode(key.value()).ok_or_else(|| {
                self.backend
                    .corrupt(format!("bad key table key {:?}", key.value()))
            })?;
            if kr.main <= compact_rev && !keep.is_empty() && !keep.contains(&kr) {
                continue;
            }
            hash = crc32c::crc32c_append(hash, key.value());
            hash = crc32c::crc32c_append(hash, value.value());
        }
        Ok((hash, compact_rev, rev))
    }

    /// The changes of revisions `from_rev` and later, oldest first, as watch events without
    /// `prev_kv`. Stops after the revision in which the `max_events`-th event falls (a revision
    /// is never split). Returns the events and the last revision they fully cover.
    pub fn events_since(
        &self,
        from_rev: i64,
        max_events: usize,
    ) -> Result<(Vec<Event>, i64), MvccError> {
        let (txn, current) = {
            let state = self.read_state();
            if from_rev > 0 && from_rev < state.compact_rev {
                return Err(MvccError::Compacted);
            }
            (self.backend.begin_read()?, state.current_rev)
        };
        let table = txn.open_table(KEY_TABLE)?;
        let start = RevisionKey::first_of(from_rev.max(1));
        let end = RevisionKey::first_of(current + 1);
        let mut events = Vec::new();
        let mut last_main = None;
        for entry in table.range::<&[u8]>(start.as_bytes()..end.as_bytes())? {
            let (key, value) = entry?;
            let (rev, tombstone) = RevisionKey::decode(key.value()).ok_or_else(|| {
                self.backend
                    .corrupt(format!("bad key table key {:?}", key.value()))
            })?;
            if events.len() >= max_events && last_main != Some(rev.main) {
                return Ok((events, last_main.unwrap_or(from_rev - 1)));
            }
            let mut kv = decode_kv(&self.backend, rev, value.value())?;
            let kind = if tombstone {
                kv.mod_revision = rev.main;
                EventType::Delete
            } else {
                EventType::Put
            };
            events.push(Event {
                r#type: kind as i32,
                kv: Some(kv),
                prev_kv: None,
            });
            last_main = Some(rev.main);
        }
        Ok((events, current))
    }

    /// A value the server stored with `WriteBatch::put_meta`.
    pub fn get_meta(&self, name: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let txn = self.backend.begin_read()?;
        let table = txn.open_table(SERVER_META_TABLE)?;
        Ok(table.get(name)?.map(|v| v.value().to_vec()))
    }

    /// One entry of a server bucket written with `WriteBatch::bucket_put`.
    pub fn bucket_get(&self, bucket: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        let name = bucket_table_name(bucket)?;
        let txn = self.backend.begin_read()?;
        let table = match txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name)) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        Ok(table.get(key)?.map(|v| v.value().to_vec()))
    }

    /// Every entry of a server bucket, in key order (empty if the bucket was never written).
    pub fn bucket_entries(&self, bucket: &str) -> Result<BucketEntries, StorageError> {
        let name = bucket_table_name(bucket)?;
        let txn = self.backend.begin_read()?;
        let table = match txn.open_table(TableDefinition::<&[u8], &[u8]>::new(&name)) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(err) => return Err(err.into()),
        };
        let mut out = Vec::new();
        for entry in table.range::<&[u8]>(..)? {
            let (key, value) = entry?;
            out.push((key.value().to_vec(), value.value().to_vec()));
        }
        Ok(out)
    }

    /// Writes a consistent copy of the whole backend (every table, the server's too) to a new
    /// file at `dest`, for a raft snapshot or a backup; writes continue meanwhile. Returns the
    /// consistent index the copy holds. Opening the copy with [`MvccStore::open`] restores it.
    pub fn write_snapshot(&self, dest: &Path) -> Result<u64, StorageError> {
        let dest_err = |detail: String| StorageError::Open {
            path: dest.to_path_buf(),
            detail,
        };
        if dest.exists() {
            return Err(dest_err("the snapshot file already exists".to_string()));
        }
        let txn = self.backend.begin_read()?;
        let copy = redb::Database::create(dest).map_err(|e| dest_err(e.to_string()))?;
        let out = copy.begin_write()?;
        copy_tables(&txn, &out, &[])?;
        out.commit()?;
        let meta = txn.open_table(META_TABLE)?;
        let index = match meta.get(META_CONSISTENT_INDEX)? {
            Some(value) => decode_u64(value.value()).ok_or_else(|| {
                self.backend
                    .corrupt("meta value consistent_index is not 8 bytes")
            })?,
            None => 0,
        };
        Ok(index)
    }

    /// Every `key` table entry as `(revision, tombstone, KeyValue)`, for tests and tools.
    pub fn dump_key_table(&self) -> Result<Vec<(Revision, bool, KeyValue)>, StorageError> {
        let txn = self.backend.begin_read()?;
        let table = txn.open_table(KEY_TABLE)?;
        let mut out = Vec::new();
        for entry in table.range::<&[u8]>(..)? {
            let (key, value) = entry?;
            let (rev, tombstone) = RevisionKey::decode(key.value()).ok_or_else(|| {
                self.backend
                    .corrupt(format!("bad key table key {:?}", key.value()))
            })?;
            out.push((
                rev,
                tombstone,
                decode_kv(&self.backend, rev, value.value())?,
            ));
        }
        Ok(out)
    }

    pub(super) fn read_state(&self) -> RwLockReadGuard<'_, State> {
        self.state
            .read()
            .expect("mvcc state lock poisoned: a batch panicked while publishing")
    }

    fn write_state(&self) -> RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .expect("mvcc state lock poisoned: a batch panicked while publishing")
    }

    /// Makes a committed batch visible to readers. Called with the writer lock held, after
    /// the batch's backend transaction committed.
    pub(super) fn publish(&self, batch: Published) {
        {
            let mut state = self.write_state();
            state.index.apply(batch.overlay);
            if let Some(rev) = batch.compaction {
                // After the batch's writes: those are all newer than `rev`, so the order
                // does not change the result.
                state.index.compact(rev);
            }
            state.current_rev = batch.current_rev;
            state.compact_rev = batch.compact_rev;
            if let Some((index, term)) = batch.consistent {
                state.consistent_index = index;
                state.term = term;
            }
        }
        self.live_bytes
            .fetch_add(batch.added_bytes, Ordering::Relaxed);
        if let Some(rev) = batch.compaction {
            // A newer compaction supersedes a pending one; restart the scan from the
            // beginning, since revisions the old one kept may be garbage now.
            *self
                .compaction
                .lock()
                .unwrap_or_else(PoisonError::into_inner) =
                Some(CompactionJob { rev, cursor: None });
        }
    }
}

/// The state an open store starts from, read from the backend's tables.
struct Loaded {
    state: State,
    job: Option<CompactionJob>,
    finished: i64,
    live_bytes: i64,
}

impl Loaded {
    /// Rebuilds the key index from the `key` table and finds an unfinished compaction.
    fn read(backend: &Backend) -> Result<Loaded, StorageError> {
        Loaded::read_from(&*backend.begin_read()?, backend)
    }

    /// [`read`](Self::read) from `txn`, a read of `backend` or of a file about to become it
    /// (whose errors name `backend`).
    fn read_from(txn: &redb::ReadTransaction, backend: &Backend) -> Result<Loaded, StorageError> {
        let started = std::time::Instant::now();
        let meta = txn.open_table(META_TABLE)?;
        let read_meta = |name: &str| -> Result<Option<u64>, StorageError> {
            match meta.get(name)? {
                None => Ok(None),
                Some(value) => decode_u64(value.value())
                    .map(Some)
                    .ok_or_else(|| backend.corrupt(format!("meta value {name} is not 8 bytes"))),
            }
        };
        let consistent_index = read_meta(META_CONSISTENT_INDEX)?.unwrap_or(0);
        let term = read_meta(META_TERM)?.unwrap_or(0);
        let scheduled = read_meta(META_SCHEDULED_COMPACT)?.map_or(-1, |v| v as i64);
        let finished = read_meta(META_FINISHED_COMPACT)?.map_or(-1, |v| v as i64);

        let keys = txn.open_table(KEY_TABLE)?;
        let read = KeyTableIndex::read(&keys, backend)?;
        drop((keys, meta));
        let (mut index, last, live_bytes, revisions) =
            (read.index, read.last, read.live_bytes, read.revisions);
        tracing::info!(
            revisions,
            took = ?started.elapsed(),
            "rebuilt the key index from the backend"
        );

        // A compaction may have deleted every revision, tombstones included: the compacted
        // revision is then the last one known. A fresh store starts at revision 1, as etcd.
        let current_rev = last.map_or(1, |r| r.main).max(scheduled).max(1);
        if scheduled >= 0 {
            index.compact(scheduled);
        }
        let job = (scheduled > finished).then_some(CompactionJob {
            rev: scheduled,
            cursor: None,
        });
        if let Some(job) = &job {
            tracing::info!(revision = job.rev, "resuming unfinished compaction");
        }
        Ok(Loaded {
            state: State {
                index,
                current_rev,
                compact_rev: scheduled,
                consistent_index,
                term,
            },
            job,
            finished,
            live_bytes,
        })
    }
}

/// One writer at a time: a write batch, a compaction step, a defragmentation's last step. Its
/// guard, unlike a `MutexGuard`, is `Send`, so a batch may move between threads.
pub(super) type WriterLock = Gate;
pub(super) type WriterGuard<'a> = GateGuard<'a>;

/// Bytes of the pages allocated in the database `txn` (a write transaction, which redb needs
/// to tell, aborted here) belongs to.
pub(super) fn allocated_bytes(txn: redb::WriteTransaction) -> Result<u64, StorageError> {
    let stats = txn.stats()?;
    let bytes = stats.allocated_pages() * stats.page_size() as u64;
    txn.abort()?;
    Ok(bytes)
}

/// Copies every table of `src` but those named in `except` into `out`.
pub(super) fn copy_tables(
    src: &redb::ReadTransaction,
    out: &redb::WriteTransaction,
    except: &[&str],
) -> Result<(), StorageError> {
    for table in src.list_tables()? {
        let name = table.name();
        if except.contains(&name) {
            continue;
        }
        if has_str_keys(name) {
            copy_table::<&str>(src, out, name)?;
        } else {
            copy_table::<&[u8]>(src, out, name)?;
        }
    }
    Ok(())
}

/// Deletes every table of `out` but those named in `except`.
pub(super) fn delete_tables(
    out: &redb::WriteTransaction,
    except: &[&str],
) -> Result<(), StorageError> {
    let names: Vec<String> = out.list_tables()?.map(|t| t.name().to_string()).collect();
    for name in names.iter().filter(|n| !except.contains(&n.as_str())) {
        if has_str_keys(name) {
            out.delete_table(TableDefinition::<&str, &[u8]>::new(name))?;
        } else {
            out.delete_table(TableDefinition::<&[u8], &[u8]>::new(name))?;
        }
    }
    Ok(())
}

/// The tables keyed by names; the others are keyed by bytes.
fn has_str_keys(table: &str) -> bool {
    table == META_TABLE.name() || table == SERVER_META_TABLE.name()
}

/// Copies table `name` (keys of type `K`, byte values) from a read snapshot into `out`.
fn copy_table<K: redb::Key + 'static>(
    src: &redb::ReadTransaction,
    out: &redb::WriteTransaction,
    name: &str,
) -> Result<(), StorageError> {
    let from = src.open_table(TableDefinition::<K, &[u8]>::new(name))?;
    let mut to = out.open_table(TableDefinition::<K, &[u8]>::new(name))?;
    for entry in from.range::<K::SelfType<'_>>(..)? {
        let (key, value) = entry?;
        to.insert(key.value(), value.value())?;
    }
    Ok(())
}
