//! The backend: one redb file, `<data-dir>/member/snap/db`, in the role bbolt plays for etcd.
//!
//! Tables:
//! - `key`: etcd revision key -> prost-encoded `mvccpb::KeyValue`. A revision key is 17 bytes,
//!   8-byte big-endian main revision, `b'_'`, 8-byte big-endian sub revision, plus a trailing
//!   `b't'` for a tombstone (whose value is a `KeyValue` holding only the key), so the table
//!   iterates in revision order.
//! - `meta`: the store's own bookkeeping (`consistent_index`, `term`, `scheduledCompactRev`,
//!   `finishedCompactRev`), integers as 8-byte big-endian.
//! - `server_meta`: opaque named values for the server (cluster version, confState, ...).
//! - `bucket.<name>`: opaque key -> value buckets for the server (leases, members, auth, alarms).
//!
//! Every write goes through one redb write transaction owned by the MVCC layer's `WriteBatch` or
//! the compactor, so the consistent index always matches the data it produced.

#[cfg(any(test, feature = "crash-disk"))]
pub mod crash_disk;
mod overlay;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, ReadableDatabase, TableDefinition};

/// The pages redb keeps in memory (its read cache and unflushed writes together). redb's default
/// is 1 GiB, which a store of a million keys fills with a copy of its whole file. The key index
/// answers which revisions a read needs, so a read of a value not cached costs one `pread` of
/// a page the OS page cache usually holds: the memory is better left to that cache, which is
/// shared, and which the kernel reclaims when it needs to.
const CACHE_BYTES: usize = 64 << 20;

/// How every backend file is opened: with [`CACHE_BYTES`] of cache, and every page checksum
/// verified on open, so that a damaged file is an error naming the path rather than a panic
/// later.
pub(crate) fn database_builder() -> redb::Builder {
    builder(CACHE_BYTES, true)
}

fn builder(cache_bytes: usize, check_integrity: bool) -> redb::Builder {
    let mut builder = Database::builder();
    builder
        .set_cache_size(cache_bytes)
        .set_check_integrity_on_open(check_integrity);
    builder
}

/// The cache of the second view a starting member checks its backend through: the check reads
/// each page once, so a cache would only hold memory.
const CHECK_CACHE_BYTES: usize = 1 << 20;

/// Makes `txn` commit durably, with redb's allocator state recorded in the commit ("quick
/// repair"): the next open, after a stop or a crash, loads that state instead of walking every
/// page to rebuild it. A starting member checks every page anyway, beside its key index rebuild
/// ([`Backend::open_checking_alongside`]); the walk would come before the rebuild.
pub(crate) fn set_durable(txn: &mut redb::WriteTransaction) -> Result<(), StorageError> {
    txn.set_durability(redb::Durability::Immediate)?;
    txn.set_quick_repair(true);
    Ok(())
}

/// The `key` table: revision key -> encoded `mvccpb::KeyValue`.
pub(crate) const KEY_TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("key");
/// The `meta` table: the store's bookkeeping.
pub(crate) const META_TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// The `server_meta` table: opaque values the server keeps by name.
pub(crate) const SERVER_META_TABLE: TableDefinition<&str, &[u8]> =
    TableDefinition::new("server_meta");

/// `meta` key: raft index of the last applied entry.
pub(crate) const META_CONSISTENT_INDEX: &str = "consistent_index";
/// `meta` key: raft term of the last applied entry.
pub(crate) const META_TERM: &str = "term";
/// `meta` key: the revision of the last requested compaction.
pub(crate) const META_SCHEDULED_COMPACT: &str = "scheduledCompactRev";
/// `meta` key: the revision of the last compaction whose backend deletions are complete.
pub(crate) const META_FINISHED_COMPACT: &str = "finishedCompactRev";

/// Errors of the backend layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The backend file could not be opened: unreadable, locked, or not a valid redb file.
    #[error("cannot open backend {}: {detail}", path.display())]
    Open {
        /// The backend file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// A redb operation failed.
    #[error("backend: {0}")]
    Backend(#[from] redb::Error),
    /// A record in the backend does not decode or contradicts the key index.
    #[error("corrupt backend {}: {detail}", path.display())]
    Corrupt {
        /// The backend file.
        path: PathBuf,
        /// What is wrong, naming the record.
        detail: String,
    },
    /// A bucket name is empty.
    #[error("invalid bucket name {0:?}")]
    InvalidBucket(String),
    /// A write to a backend opened with [`Backend::open_read_only`].
    #[error("backend {} is open read-only", .0.display())]
    ReadOnly(PathBuf),
    /// A defragmented copy replaced the backend file and is in use, but the directory holding
    /// it could not be synced: after a crash the old file could be back, missing what was
    /// written since. The member must stop.
    #[error("replaced backend {} but could not sync its directory: {detail}", path.display())]
    ReplacedNotDurable {
        /// The backend file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
}

macro_rules! from_redb_errors {
    ($($ty:ty),*) => {$(
        impl From<$ty> for StorageError {
            fn from(err: $ty) -> Self {
                StorageError::Backend(err.into())
            }
        }
    )*};
}
from_redb_errors!(
    redb::StorageError,
    redb::TransactionError,
    redb::TableError,
    redb::CommitError,
    redb::SetDurabilityError,
    redb::CompactionError
);

/// The redb database file and the path it was opened from.
pub struct Backend {
    /// Locked for writing only to compact the file in place ([`defragment`](Backend::defragment),
    /// which needs the database to itself) or to put a compacted copy in its place
    /// ([`install`](Backend::install)); the read lock is held only to begin a transaction. A
    /// read transaction keeps the database it began on (a replaced one) open until it ends.
    db: std::sync::RwLock<Arc<Database>>,
    path: PathBuf,
    /// The file's size as of the last commit: asked for on every quota-checked write, so it is
    /// read from the file system once per commit rather than once per request.
    size: std::sync::atomic::AtomicU64,
    /// Opened by [`open_read_only`](Backend::open_read_only): no write transaction begins.
    read_only: bool,
    /// Read transactions begun and not yet ended (etcd's `etcd_mvcc_db_open_read_transactions`).
    open_reads: Arc<std::sync::atomic::AtomicI64>,
}

impl Backend {
    /// Opens the backend at `path`, creating the file (and its parent directories) if missing.
    ///
    /// Every page checksum is verified on open, so a damaged file is an error naming the path
    /// rather than a panic later.
    pub fn open(path: &Path) -> Result<Backend, StorageError> {
        create_parent(path)?;
        let started = std::time::Instant::now();
        let db = open_database(path, || database_builder().create(path))?;
        log_checked(path, started.elapsed());
        Backend::owning(db, path)
    }

    /// Opens the backend at `path` as [`open`](Backend::open) does, but checks every page on a
    /// thread of its own, through a second view of the file ([`overlay::Overlay::beside_owner`],
    /// where what redb writes stays in memory), while the caller reads the tables through the
    /// first: a starting member rebuilds its key index meanwhile instead of after. Until
    /// [`PageCheck::wait`] has passed, the caller must write nothing and trust nothing it read
    /// (a damaged page the check fails may have failed or misled the read too).
    pub fn open_checking_alongside(path: &Path) -> Result<(Backend, PageCheck), StorageError> {
        create_parent(path)?;
        let started = std::time::Instant::now();
        let mut db = open_database(path, || builder(CACHE_BYTES, false).create(path))?;
        // Unchecked yet, the file may trip redb's assertions as a damaged header does.
        let has_tables = catch_unwind(AssertUnwindSafe(|| has_store_tables(&db)))
            .map_err(|_| open_error(path, NOT_A_BACKEND.into()))??;
        if has_tables {
            let check = PageCheck::start(path, started)?;
            return Ok((Backend::owning_as_is(db, path), check));
        }
        // A new file: the tables must be made before anyone reads, and that is a write, so the
        // check (of next to nothing) comes first, here.
        db.check_integrity()
            .map_err(|e| open_error(path, e.to_string()))?;
        Ok((Backend::owning(db, path)?, PageCheck::passed(path)))
    }

    /// The backend of the process that opened `db` (and holds its lock), with the store's tables.
    fn owning(db: Database, path: &Path) -> Result<Backend, StorageError> {
        let backend = Backend::owning_as_is(db, path);
        backend.create_tables()?;
        Ok(backend)
    }

    fn owning_as_is(db: Database, path: &Path) -> Backend {
        // A compacted copy left by an online defragmentation that did not finish: the backend
        // itself is whole, the copy is not. Only the process holding the backend's lock may
        // remove it (a running member may be writing it).
        let _ = std::fs::remove_file(defrag_copy_path(path));
        let backend = Backend::new(db, path, false);
        backend.refresh_size();
        backend
    }

    /// A backend on `storage` instead of a file (`label` names it in errors), for crash tests.
    #[cfg(any(test, feature = "crash-disk"))]
    pub(crate) fn open_on(
        storage: impl redb::StorageBackend,
        label: &Path,
    ) -> Result<Backend, StorageError> {
        let db = open_database(label, || database_builder().create_with_backend(storage))?;
        let backend = Backend::new(db, label, false);
        backend.create_tables()?;
        Ok(backend)
    }

    /// Creates the store's tables so read transactions can always open them.
    fn create_tables(&self) -> Result<(), StorageError> {
        let mut txn = self.begin_write()?;
        set_durable(&mut txn)?;
        txn.open_table(KEY_TABLE)?;
        txn.open_table(META_TABLE)?;
        txn.open_table(SERVER_META_TABLE)?;
        txn.commit()?;
        self.refresh_size();
        Ok(())
    }

    /// Opens the backend at `path` for reading only, for tools that inspect a stopped member's
    /// data dir and must leave it as they found it: the file is opened read-only and nothing is
    /// created or removed beside it; whatever redb itself writes while it has the file open (the
    /// repair of a file a killed member left, the state it records on closing) stays in memory
    /// (`overlay`). Every write transaction fails with [`StorageError::ReadOnly`]. A file that a
    /// member has open is refused, as [`open`](Backend::open) refuses it.
    pub fn open_read_only(path: &Path) -> Result<Backend, StorageError> {
        let storage = overlay::Overlay::open(path).map_err(|e| StorageError::Open {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let db = open_database(path, || database_builder().create_with_backend(storage))?;
        let backend = Backend::new(db, path, true);
        backend.refresh_size();
        Ok(backend)
    }

    fn new(db: Database, path: &Path, read_only: bool) -> Backend {
        Backend {
            db: std::sync::RwLock::new(Arc::new(db)),
            path: path.to_path_buf(),
            size: std::sync::atomic::AtomicU64::new(0),
            read_only,
            open_reads: Arc::default(),
        }
    }

    /// Fails with [`StorageError::ReadOnly`] on a backend opened read-only: for work that would
    /// create files beside it before its first write transaction.
    pub(crate) fn ensure_writable(&self) -> Result<(), StorageError> {
        if self.read_only {
            return Err(StorageError::ReadOnly(self.path.clone()));
        }
        Ok(())
    }

    /// The file this backend lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Size of the backend file in bytes as of the last commit (0 if it could not be read).
    pub fn file_size(&self) -> u64 {
        self.size.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Re-reads the file's size; every commit (and defragmentation) calls it.
    pub(crate) fn refresh_size(&self) {
        let size = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        self.size.store(size, std::sync::atomic::Ordering::Relaxed);
    }

    fn database(&self) -> Arc<Database> {
        self.db
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// A write transaction. The caller holds the store's writer lock, which
    /// [`install`](Backend::install)'s caller holds too, so no write outlives its database.
    pub(crate) fn begin_write(&self) -> Result<redb::WriteTransaction, StorageError> {
        self.ensure_writable()?;
        Ok(self.database().begin_write()?)
    }

    pub(crate) fn begin_read(&self) -> Result<ReadTxn, StorageError> {
        let db = self.database();
        let txn = db.begin_read()?;
        self.open_reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(ReadTxn {
            txn,
            _db: db,
            open_reads: self.open_reads.clone(),
        })
    }

    /// Read transactions open now.
    pub fn open_read_transactions(&self) -> i64 {
        self.open_reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Where an online defragmentation writes its compacted copy of this backend.
    pub(crate) fn defrag_copy_path(&self) -> PathBuf {
        defrag_copy_path(&self.path)
    }

    /// Puts `copy`, a database written at [`defrag_copy_path`](Self::defrag_copy_path) and
    /// durable, in place of this backend's file: renamed over it, the directory synced, then
    /// every new transaction begins on it. The caller holds the writer lock, so nothing is
    /// written to the old file after the copy was brought up to date. Transactions already
    /// reading the old file go on reading it; it closes when the last one ends. Returns the old
    /// database, for the caller to drop once writes no longer wait (closing it writes to it).
    pub(crate) fn install(&self, copy: Database) -> Result<Arc<Database>, StorageError> {
        self.install_from(&self.defrag_copy_path(), copy)
    }

    /// [`install`](Self::install) of another whole backend: `db`, open on the file at `from`
    /// (in the same directory), which is renamed over this backend's (a snapshot received from
    /// the leader, installed without copying it).
    pub(crate) fn install_from(
        &self,
        from: &Path,
        db: Database,
    ) -> Result<Arc<Database>, StorageError> {
        let io = |e: std::io::Error| StorageError::Open {
            path: self.path.clone(),
            detail: format!("installing {}: {e}", from.display()),
        };
        self.ensure_writable()?;
        // The rename is made durable by syncing the backend's directory: `from` must be in it.
        if from.parent() != self.path.parent() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not in the backend's directory",
            )));
        }
        std::fs::rename(from, &self.path).map_err(io)?;
        let copy = db;
        // From the rename on, the file at the path is the copy: every write must go to it.
        let replaced = std::mem::replace(
            &mut *self
                .db
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            Arc::new(copy),
        );
        self.refresh_size();
        // The rename must be durable before a write lands in the new file (the caller's writer
        // lock holds them back until this returns): after a crash the old name would hold the
        // old file, without that write.
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StorageError::ReplacedNotDurable {
                path: self.path.clone(),
                detail: e.to_string(),
            })?;
        Ok(replaced)
    }

    /// Rewrites the file in place without its free pages, for a backend no member has open
    /// (`oxutl defrag`); a running member defragments online (`MvccStore::defragment`).
    pub(crate) fn defragment(&self, patience: std::time::Duration) -> Result<(), StorageError> {
        self.ensure_writable()?;
        let deadline = std::time::Instant::now() + patience;
        let mut guard = self
            .db
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(db) = Arc::get_mut(&mut guard) else {
            // Only a backend nobody reads is compacted in place (offline: defragment_file).
            return Err(StorageError::Backend(
                redb::CompactionError::TransactionInProgress.into(),
            ));
        };
        loop {
            match db.compact() {
                // One pass can leave pages that a second pass moves down.
                Ok(true) => continue,
                Ok(false) => {
                    self.refresh_size();
                    return Ok(());
                }
                Err(redb::CompactionError::TransactionInProgress)
                    if std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Compacts the backend file at `path`, which no member may have open (redb's lock refuses
    /// it otherwise); returns the file's size before and after.
    pub fn defragment_file(path: &Path) -> Result<(u64, u64), StorageError> {
        let backend = Backend::open(path)?;
        let before = backend.file_size();
        backend.defragment(std::time::Duration::from_secs(10))?;
        Ok((before, backend.file_size()))
    }

    /// A corruption error naming this backend's file.
    pub(crate) fn corrupt(&self, detail: impl Into<String>) -> StorageError {
        StorageError::Corrupt {
            path: self.path.clone(),
            detail: detail.into(),
        }
    }
}

/// Closes a database that [`Backend::install`] or [`Backend::install_from`] replaced. Closing
/// writes and syncs the old file (redb records its allocator state): not while writes wait, and,
/// if its readers end soon, on a thread of its own rather than in whichever of them ends last (a
/// range on an async worker). A long one (a snapshot stream, on a blocking thread) closes it
/// when it ends.
pub(crate) fn close_when_unused(replaced: Arc<Database>, thread_name: &str) {
    let closer = std::thread::Builder::new().name(thread_name.into());
    let _ = closer.spawn(move || {
        let patience = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while Arc::strong_count(&replaced) > 1 && std::time::Instant::now() < patience {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        drop(replaced);
    });
}

/// A read transaction on the backend. It holds the database it began on, so a database
/// replaced by a defragmentation stays open until its last reader ends (the transaction is
/// dropped first: fields drop in order).
pub(crate) struct ReadTxn {
    txn: redb::ReadTransaction,
    _db: Arc<Database>,
    open_reads: Arc<std::sync::atomic::AtomicI64>,
}

impl Drop for ReadTxn {
    fn drop(&mut self) {
        self.open_reads
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl std::ops::Deref for ReadTxn {
    type Target = redb::ReadTransaction;

    fn deref(&self) -> &redb::ReadTransaction {
        &self.txn
    }
}

/// The database `open` opens, or an error naming `path`. redb verifies and reports damage as an
/// error, but a sufficiently mangled header may still trip an internal assertion: that is
/// treated the same way.
fn open_database(
    path: &Path,
    open: impl FnOnce() -> Result<Database, redb::DatabaseError>,
) -> Result<Database, StorageError> {
    match catch_unwind(AssertUnwindSafe(open)) {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(err)) => Err(open_error(path, err.to_string())),
        Err(_) => Err(open_error(path, NOT_A_BACKEND.into())),
    }
}

const NOT_A_BACKEND: &str = "the file is not a valid backend";

fn open_error(path: &Path, detail: String) -> StorageError {
    StorageError::Open {
        path: path.to_path_buf(),
        detail,
    }
}

/// Creates the directories a backend file at `path` goes in.
fn create_parent(path: &Path) -> Result<(), StorageError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|e| open_error(path, e.to_string()))
        }
        _ => Ok(()),
    }
}

/// Whether `db` holds every table of the store already.
fn has_store_tables(db: &Database) -> Result<bool, StorageError> {
    use redb::TableHandle;
    let txn = db.begin_read()?;
    let names: Vec<String> = txn
        .list_tables()?
        .map(|table| table.name().to_string())
        .collect();
    Ok([
        KEY_TABLE.name(),
        META_TABLE.name(),
        SERVER_META_TABLE.name(),
    ]
    .iter()
    .all(|name| names.iter().any(|have| have == name)))
}

/// The check of every page of a backend file that [`Backend::open_checking_alongside`] runs
/// beside its caller.
pub struct PageCheck {
    path: PathBuf,
    running: Option<std::thread::JoinHandle<Result<std::time::Duration, StorageError>>>,
}

impl PageCheck {
    fn start(path: &Path, opened: std::time::Instant) -> Result<PageCheck, StorageError> {
        // Opened here, not on the thread: a file that cannot be opened again fails the open.
        let view =
            overlay::Overlay::beside_owner(path).map_err(|e| open_error(path, e.to_string()))?;
        let label = path.to_path_buf();
        let running = std::thread::Builder::new()
            .name("backend-check".into())
            .spawn(move || {
                let checked = open_database(&label, || {
                    builder(CHECK_CACHE_BYTES, true).create_with_backend(view)
                })?;
                drop(checked);
                Ok(opened.elapsed())
            })
            .map_err(|e| open_error(path, e.to_string()))?;
        Ok(PageCheck {
            path: path.to_path_buf(),
            running: Some(running),
        })
    }

    fn passed(path: &Path) -> PageCheck {
        PageCheck {
            path: path.to_path_buf(),
            running: None,
        }
    }

    /// Waits for the check: an error names the file and what is wrong with it.
    pub fn wait(self) -> Result<(), StorageError> {
        let PageCheck { path, running } = self;
        let Some(running) = running else {
            return Ok(());
        };
        let took = running
            .join()
            .map_err(|_| open_error(&path, "the check of its pages failed".into()))??;
        log_checked(&path, took);
        Ok(())
    }
}

fn log_checked(path: &Path, took: std::time::Duration) {
    tracing::info!(
        path = %path.display(),
        took = ?took,
        "opened the backend, every page checked"
    );
}

fn defrag_copy_path(backend: &Path) -> PathBuf {
    let mut name = backend.as_os_str().to_owned();
    name.push(".defrag");
    PathBuf::from(name)
}

/// The redb table name of server bucket `name`; rejects names that are empty.
pub(crate) fn bucket_table_name(name: &str) -> Result<String, StorageError> {
    if name.is_empty() {
        return Err(StorageError::InvalidBucket(name.to_string()));
    }
    Ok(format!("bucket.{name}"))
}

/// Encodes an integer `meta` value.
pub(crate) fn encode_u64(value: u64) -> [u8; 8] {
    value.to_be_bytes()
}

/// Decodes an integer `meta` value; `None` if it is not 8 bytes.
pub(crate) fn decode_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}
