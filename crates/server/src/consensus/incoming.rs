//! Snapshots received from the leader: the peer service writes each one into a file it names
//! itself, checks its length and checksum, and registers the file under the snapshot's index and
//! term; the node loop takes it from here when raft hands the snapshot back. The file's path
//! never travels in a raft message, so no message from the network can name a local file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oxcd_proto::oxcdpb::SnapshotChunk;
use oxcd_storage::mvcc::MvccStore;
use sha1::{Digest, Sha1};
use tokio::io::AsyncWriteExt;
use tokio_stream::{Stream, StreamExt};

/// Largest `data` of one snapshot chunk accepted; the sender cuts the file into 1 MiB chunks.
pub const MAX_SNAPSHOT_CHUNK_BYTES: usize = 4 << 20;

/// Suffix of the files being received or waiting for the node loop; leftovers of an earlier
/// run are removed at start.
const INCOMING_SUFFIX: &str = ".incoming.snap.db";

/// Suffix of the file of a snapshot being installed: named for its index and term, it outlives
/// a crash between the WAL's record of the snapshot and the backend's replacement, so that a
/// restart can finish the install ([`finish_interrupted_install`]).
const INSTALLING_SUFFIX: &str = ".installing.snap.db";

/// Verified snapshots that may wait for the node loop. Raft takes a stepped snapshot in the same
/// loop turn, so more than a few waiting means raft refused the older ones (stale). None is ever
/// evicted (raft may hand any of them back): while the registry is full, new transfers are
/// refused and the leader retries later. Files at or below the applied index are dropped first,
/// since raft refuses a snapshot at or below its commit index.
const MAX_WAITING: usize = 4;

/// The verified snapshot files waiting for the node loop, by (index, term); shared between the
/// peer service and the node loop.
#[derive(Clone)]
pub struct IncomingSnapshots {
    inner: Arc<Mutex<Registry>>,
    snap_dir: PathBuf,
}

#[derive(Default)]
struct Registry {
    files: BTreeMap<(u64, u64), PathBuf>,
    /// Makes every transfer's file name unique, so a retried transfer of the same index never
    /// writes over a file the node loop may be restoring from.
    next: u64,
}

/// A snapshot file being received or checked: removed when dropped, unless registered. The RPC
/// future owns it, so a transfer cancelled at any await (stream reset, broken connection, idle
/// timeout) leaves no file behind.
pub struct PartialFile {
    path: PathBuf,
    keep: bool,
    /// How long its fsync took, once received whole.
    fsync: Duration,
}

impl PartialFile {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn fsync_duration(&self) -> Duration {
        self.fsync
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.keep {
            remove(&self.path);
        }
    }
}

impl IncomingSnapshots {
    /// Files are received into `snap_dir`; any left there by an earlier run (half-received or
    /// never installed) are removed.
    pub fn open(snap_dir: &Path) -> IncomingSnapshots {
        if let Ok(entries) = std::fs::read_dir(snap_dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if name.to_string_lossy().ends_with(INCOMING_SUFFIX) {
                    tracing::info!(file = %entry.path().display(), "removing a snapshot file left by an earlier run");
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        IncomingSnapshots {
            inner: Arc::default(),
            snap_dir: snap_dir.to_path_buf(),
        }
    }

    /// Whether a new transfer must be refused: as many files wait as the registry holds, after
    /// dropping those at or below `applied` (raft refuses such snapshots, so none is handed back).
    pub fn is_full(&self, applied: u64) -> bool {
        let mut registry = self.lock();
        registry.prune_through(applied);
        registry.files.len() >= MAX_WAITING
    }

    /// Creates a new, empty file for a snapshot at `index`, named uniquely within this run;
    /// removed again when the returned guard is dropped unregistered.
    fn new_file(&self, index: u64) -> Result<(PartialFile, std::fs::File), String> {
        let path = {
            let mut registry = self.lock();
            registry.next += 1;
            self.snap_dir
                .join(format!("{index:016x}-{:x}{INCOMING_SUFFIX}", registry.next))
        };
        // Created here, synchronously, so no background task can create it after the guard ran.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| format!("creating {}: {e}", path.display()))?;
        Ok((
            PartialFile {
                path,
                keep: false,
                fsync: Duration::ZERO,
            },
            file,
        ))
    }

    /// Records a verified file for the snapshot at (index, term), replacing (and removing) an
    /// earlier file of the same snapshot. Refused (and the file removed) while the registry is
    /// full: no waiting file is ever evicted.
    pub fn register(&self, index: u64, term: u64, mut file: PartialFile) -> Result<(), String> {
        let mut registry = self.lock();
        if !registry.files.contains_key(&(index, term)) && registry.files.len() >= MAX_WAITING {
            return Err(format!(
                "{MAX_WAITING} received snapshots already wait for installation"
            ));
        }
        file.keep = true;
        if let Some(old) = registry.files.insert((index, term), file.path.clone()) {
            remove(&old);
        }
        Ok(())
    }

    /// Registers a snapshot file that `fill` writes at the path it is given (which does not
    /// exist yet), checked as a received one is: for the simulator, which hands members
    /// snapshots without the peer protocol.
    #[cfg(test)]
    pub fn adopt(
        &self,
        index: u64,
        term: u64,
        fill: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<(), String> {
        let (file, handle) = self.new_file(index)?;
        drop(handle);
        std::fs::remove_file(file.path()).map_err(|e| e.to_string())?;
        fill(file.path())?;
        check_backend(file.path(), index)?;
        self.register(index, term, file)
    }

    /// The file of the snapshot at (index, term), now the caller's to restore from and remove.
    pub fn take(&self, index: u64, term: u64) -> Option<PathBuf> {
        self.lock().files.remove(&(index, term))
    }

    /// Renames the file of the snapshot at (index, term) for its installation, durably: from
    /// here a restart finds it by the snapshot the WAL records.
    pub fn prepare_install(&self, path: &Path, index: u64, term: u64) -> Result<PathBuf, String> {
        let installing = installing_path(&self.snap_dir, index, term);
        std::fs::rename(path, &installing)
            .and_then(|()| std::fs::File::open(&self.snap_dir)?.sync_all())
            .map_err(|e| format!("renaming {} for its install: {e}", path.display()))?;
        Ok(installing)
    }

    /// Removes the files of snapshots at or below `index` (an installed snapshot made them stale).
    pub fn discard_through(&self, index: u64) {
        self.lock().prune_through(index);
    }

    /// Receives a snapshot stream (see [`write_checked`]) into a new file for the snapshot at
    /// `index`; waits at most `idle` for each chunk after `first`. The file is removed on error
    /// and if this future is dropped; the caller's guard removes it unless registered.
    pub async fn receive<S>(
        &self,
        index: u64,
        first: SnapshotChunk,
        rest: &mut S,
        max_bytes: u64,
        idle: Duration,
    ) -> Result<(PartialFile, u64), String>
    where
        S: Stream<Item = Result<SnapshotChunk, tonic::Status>> + Unpin,
    {
        let declared = first.total_bytes;
        if declared > max_bytes {
            return Err(format!(
                "snapshot of {declared} bytes is over the {max_bytes} bytes limit"
            ));
        }
        let (mut guard, file) = self.new_file(index)?;
        let mut file = tokio::fs::File::from_std(file);
        let (bytes, fsync) = write_checked(guard.path(), &mut file, first, rest, idle).await?;
        guard.fsync = fsync;
        Ok((guard, bytes))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.inner.lock().expect("incoming snapshots lock poisoned")
    }
}

impl Registry {
    fn prune_through(&mut self, index: u64) {
        let stale: Vec<(u64, u64)> = self
            .files
            .range(..=(index, u64::MAX))
            .map(|(k, _)| *k)
            .collect();
        for key in stale {
            if let Some(path) = self.files.remove(&key) {
                remove(&path);
            }
        }
    }
}

fn installing_path(snap_dir: &Path, index: u64, term: u64) -> PathBuf {
    snap_dir.join(format!("{index:016x}-{term:016x}{INSTALLING_SUFFIX}"))
}

/// At start, before raft or the backend serve anything: the file of a snapshot whose install a
/// crash interrupted after the WAL recorded it (`recorded`, the WAL's newest snapshot) and
/// before the backend (now at `applied`) was replaced by it. Other files left by an install are
/// removed: the WAL never recorded them (the install had not begun) or the backend holds them.
/// Fails when the WAL records a snapshot past index 1 that the backend does not hold and no file
/// is left to finish it, rather than run raft past a backend that lacks what it would skip.
pub fn finish_interrupted_install(
    snap_dir: &Path,
    recorded: Option<(u64, u64)>,
    applied: u64,
) -> Result<Option<PathBuf>, String> {
    let needed = recorded.filter(|(index, _)| *index > applied);
    let mut found = None;
    if let Ok(entries) = std::fs::read_dir(snap_dir) {
        for entry in entries.flatten() {
            if !entry
                .file_name()
                .to_string_lossy()
                .ends_with(INSTALLING_SUFFIX)
            {
                continue;
            }
            match needed {
                Some((index, term)) if entry.path() == installing_path(snap_dir, index, term) => {
                    found = Some(entry.path());
                }
                _ => remove(&entry.path()),
            }
        }
    }
    match recorded {
        // A new cluster's WAL records its initial configuration as a snapshot at index 1 that
        // no backend holds (start.rs's create_wal).
        Some((index, term)) if index > applied.max(1) && found.is_none() => Err(format!(
            "the WAL records a snapshot at index {index} term {term}, but the backend holds only \
             index {applied} and no file of that snapshot is left in {}",
            snap_dir.display()
        )),
        _ => Ok(found),
    }
}

fn remove(path: &Path) {
    if let Err(e) = std::fs::remove_file(path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(file = %path.display(), error = %e, "cannot remove a snapshot file");
        }
    }
}

/// Checks that a received file is a usable backend for the snapshot at `index`: it opens as a
/// redb database (every page checksum verified, the key table decoded) and its consistent index
/// is at least `index`. This costs one full read of the file and its key index in memory, about
/// what installing it costs again; it runs on a blocking thread, and the file is closed (its
/// lock released) before this returns. The storage crate offers no cheaper read-only way to
/// reach the consistent index. The guard travels with the blocking task, so if the caller is
/// dropped meanwhile the file is still removed, after the check closed it.
pub async fn validate(file: PartialFile, index: u64) -> Result<PartialFile, String> {
    let checked = tokio::task::spawn_blocking(move || {
        let result = check_backend(file.path(), index);
        (file, result)
    })
    .await;
    match checked {
        Ok((file, Ok(()))) => Ok(file),
        // `file` is dropped here: removed.
        Ok((_, Err(e))) => Err(e),
        Err(e) => Err(format!("checking the snapshot file failed: {e}")),
    }
}

fn check_backend(path: &Path, index: u64) -> Result<(), String> {
    // The path is this member's own, freshly written file: it exists, so opening never creates.
    let store =
        MvccStore::open(path).map_err(|e| format!("the snapshot is not a usable backend: {e}"))?;
    let consistent = store.consistent_index();
    drop(store);
    if consistent < index {
        return Err(format!(
            "the snapshot backend holds index {consistent}, behind the snapshot's {index}"
        ));
    }
    Ok(())
}

/// Writes a snapshot stream into `file`, starting with `first` (whose message and declared
/// size the caller has checked): the bytes must add up to the length the first chunk announced,
/// and the last chunk's SHA-1 must match them. A chunk not arriving within `idle` ends it.
async fn write_checked<S>(
    path: &Path,
    file: &mut tokio::fs::File,
    first: SnapshotChunk,
    rest: &mut S,
    idle: Duration,
) -> Result<(u64, Duration), String>
where
    S: Stream<Item = Result<SnapshotChunk, tonic::Status>> + Unpin,
{
    let declared = first.total_bytes;
    let io_err = |e: std::io::Error| format!("writing {}: {e}", path.display());
    let mut digest = Sha1::new();
    let mut received = 0u64;
    let mut chunk = first;
    loop {
        if chunk.data.len() > MAX_SNAPSHOT_CHUNK_BYTES {
            return Err(format!(
                "snapshot chunk of {} bytes is over the {MAX_SNAPSHOT_CHUNK_BYTES} bytes limit",
                chunk.data.len()
            ));
        }
        received += chunk.data.len() as u64;
        if received > declared {
            return Err(format!(
                "snapshot stream is longer than the {declared} bytes announced"
            ));
        }
        digest.update(&chunk.data);
        file.write_all(&chunk.data).await.map_err(io_err)?;
        if chunk.last {
            if received != declared {
                return Err(format!(
                    "snapshot stream ended after {received} of {declared} bytes"
                ));
            }
            if digest.finalize().as_slice() != chunk.sha1.as_slice() {
                return Err("snapshot checksum mismatch: the file is corrupted".to_string());
            }
            file.flush().await.map_err(io_err)?;
            let started = std::time::Instant::now();
            file.sync_all().await.map_err(io_err)?;
            return Ok((received, started.elapsed()));
        }
        chunk = match tokio::time::timeout(idle, rest.next()).await {
            Err(_) => {
                return Err(format!(
                    "snapshot stream idle for {idle:?} after {received} of {declared} bytes"
                ))
            }
            Ok(Some(Ok(next))) => next,
            Ok(Some(Err(status))) => {
                return Err(format!(
                    "snapshot stream broke after {received} of {declared} bytes: {}",
                    status.message()
                ))
            }
            Ok(None) => {
                return Err(format!(
                "snapshot stream ended after {received} of {declared} bytes without its last chunk"
            ))
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: Duration = Duration::from_secs(5);

    fn chunk(data: &[u8], total: u64, last: Option<&[u8]>) -> SnapshotChunk {
        SnapshotChunk {
            data: data.to_vec(),
            total_bytes: total,
            last: last.is_some(),
            sha1: last.unwrap_or_default().to_vec(),
            ..Default::default()
        }
    }

    fn sha1(data: &[u8]) -> Vec<u8> {
        Sha1::digest(data).to_vec()
    }

    #[test]
    fn an_install_interrupted_after_the_wal_recorded_it_is_finished_and_no_other() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = |index, term| {
            let path = installing_path(dir.path(), index, term);
            std::fs::write(&path, b"backend").expect("write");
            path
        };
        // The WAL recorded the snapshot at 9 (term 3); the backend is still at 5.
        let wanted = file(9, 3);
        let older = file(7, 2);
        let found = finish_interrupted_install(dir.path(), Some((9, 3)), 5).expect("found");
        assert_eq!(found.as_deref(), Some(wanted.as_path()));
        assert!(!older.exists(), "a file the WAL does not record is removed");
        // Once the backend holds it (or the WAL never recorded it), the file goes.
        assert_eq!(
            finish_interrupted_install(dir.path(), Some((9, 3)), 9),
            Ok(None)
        );
        assert!(!wanted.exists());
        let unrecorded = file(11, 3);
        assert_eq!(
            finish_interrupted_install(dir.path(), Some((9, 3)), 9),
            Ok(None)
        );
        assert!(!unrecorded.exists());
        // A recorded snapshot the backend lacks, with no file to finish it: refused.
        let refused = finish_interrupted_install(dir.path(), Some((12, 4)), 9).unwrap_err();
        assert!(refused.contains("index 12 term 4"), "{refused}");
        assert_eq!(finish_interrupted_install(dir.path(), None, 9), Ok(None));
        assert_eq!(
            finish_interrupted_install(dir.path(), Some((1, 1)), 0),
            Ok(None)
        );
    }

    /// The incoming files in `dir`.
    fn leftovers(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(INCOMING_SUFFIX))
            .collect()
    }

    async fn receive(
        incoming: &IncomingSnapshots,
        chunks: Vec<SnapshotChunk>,
        max: u64,
    ) -> Result<(PartialFile, u64), String> {
        let mut chunks = chunks.into_iter();
        let first = chunks.next().expect("a first chunk");
        let mut rest = tokio_stream::iter(chunks.map(Ok));
        incoming.receive(7, first, &mut rest, max, IDLE).await
    }

    #[tokio::test]
    async fn a_whole_snapshot_is_written_and_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let incoming = IncomingSnapshots::open(dir.path());
        let sum = sha1(b"hello world");
        let (file, bytes) = receive(
            &incoming,
            vec![chunk(b"hello ", 11, None), chunk(b"world", 0, Some(&sum))],
            100,
        )
        .await
        .expect("received");
        assert_eq!(bytes, 11);
        assert_eq!(std::fs::read(file.path()).expect("file"), b"hello world");
        drop(file);
        assert!(
            leftovers(dir.path()).is_empty(),
            "an unregistered file is removed"
        );
    }

    #[tokio::test]
    async fn truncated_corrupted_and_oversized_streams_are_refused_and_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let incoming = IncomingSnapshots::open(dir.path());
        let sum = sha1(b"hello world");
        let cases = [
            // No last chunk: the sender stopped early.
            (vec![chunk(b"hello ", 11, None)], "without its last chunk"),
            // A last chunk before all the bytes announced.
            (
                vec![chunk(b"hello ", 11, Some(&sum))],
                "ended after 6 of 11",
            ),
            // One byte flipped.
            (
                vec![chunk(b"hello ", 11, None), chunk(b"worle", 0, Some(&sum))],
                "checksum mismatch",
            ),
            // More than announced.
            (
                vec![chunk(b"hello ", 3, None), chunk(b"world", 0, Some(&sum))],
                "longer than the 3 bytes",
            ),
            // Announced over the limit.
            (
                vec![chunk(b"", 1000, Some(&sum))],
                "over the 100 bytes limit",
            ),
        ];
        for (chunks, want) in cases {
            let err = match receive(&incoming, chunks, 100).await {
                Ok(_) => panic!("{want}: accepted"),
                Err(e) => e,
            };
            assert!(err.contains(want), "{err} should say {want}");
            assert!(
                leftovers(dir.path()).is_empty(),
                "the half-received file is removed"
            );
        }
        let big = vec![0u8; MAX_SNAPSHOT_CHUNK_BYTES + 1];
        let err = match receive(&incoming, vec![chunk(&big, u64::MAX, None)], u64::MAX).await {
            Ok(_) => panic!("accepted"),
            Err(e) => e,
        };
        assert!(err.contains("chunk of"), "{err}");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[tokio::test]
    async fn a_receive_dropped_mid_stream_or_idle_leaves_no_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let incoming = IncomingSnapshots::open(dir.path());
        // The first chunk, then nothing: the peer went silent (or reset the stream).
        let mut rest = tokio_stream::pending::<Result<SnapshotChunk, tonic::Status>>();
        let receiving = incoming.receive(7, chunk(b"hello ", 11, None), &mut rest, 100, IDLE);
        let cut = tokio::time::timeout(Duration::from_millis(200), receiving).await;
        assert!(cut.is_err(), "still waiting for the next chunk");
        assert!(
            leftovers(dir.path()).is_empty(),
            "the cancelled transfer's file is removed"
        );

        let mut rest = tokio_stream::pending::<Result<SnapshotChunk, tonic::Status>>();
        let idle = incoming
            .receive(
                7,
                chunk(b"hello ", 11, None),
                &mut rest,
                100,
                Duration::from_millis(50),
            )
            .await;
        let err = match idle {
            Ok(_) => panic!("an idle stream was accepted"),
            Err(e) => e,
        };
        assert!(err.contains("idle"), "{err}");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[tokio::test]
    async fn a_checksum_valid_file_that_is_not_a_backend_is_refused_and_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let incoming = IncomingSnapshots::open(dir.path());
        let data = b"not a redb database, but intact";
        let sum = sha1(data);
        let (file, _) = receive(
            &incoming,
            vec![chunk(data, data.len() as u64, Some(&sum))],
            100,
        )
        .await
        .expect("received intact");
        let err = match validate(file, 7).await {
            Ok(_) => panic!("a non-redb file was accepted"),
            Err(e) => e,
        };
        assert!(err.contains("not a usable backend"), "{err}");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[tokio::test]
    async fn a_backend_behind_the_snapshot_index_is_refused_and_a_current_one_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = MvccStore::open(&dir.path().join("source")).expect("store");
        let mut batch = source.write_batch().expect("batch");
        batch.set_consistent_index(9, 2).expect("index");
        batch.commit(true).expect("commit");
        let copy = dir.path().join("copy");
        source.write_snapshot(&copy).expect("snapshot");
        let data = std::fs::read(&copy).expect("read copy");
        let incoming = IncomingSnapshots::open(dir.path());
        let received = |incoming: IncomingSnapshots, data: Vec<u8>| async move {
            let sum = sha1(&data);
            let first = chunk(&data, data.len() as u64, Some(&sum));
            let mut rest = tokio_stream::empty();
            incoming
                .receive(9, first, &mut rest, u64::MAX, IDLE)
                .await
                .map(|(file, _)| file)
        };
        let file = received(incoming.clone(), data.clone())
            .await
            .expect("received");
        let err = match validate(file, 10).await {
            Ok(_) => panic!("a backend behind the snapshot was accepted"),
            Err(e) => e,
        };
        assert!(err.contains("behind the snapshot"), "{err}");
        assert!(leftovers(dir.path()).is_empty());
        let file = received(incoming.clone(), data).await.expect("received");
        let file = validate(file, 9).await.expect("a current backend");
        let path = file.path().to_path_buf();
        incoming.register(9, 2, file).expect("registered");
        assert!(path.exists(), "a registered file stays");
        assert_eq!(incoming.take(9, 2), Some(path));
    }

    #[test]
    fn the_registry_hands_out_each_file_once_and_removes_stale_ones() {
        let dir = tempfile::tempdir().expect("temp dir");
        let leftover = dir.path().join(format!("{:016x}-1{INCOMING_SUFFIX}", 5));
        std::fs::write(&leftover, b"x").expect("write");
        let incoming = IncomingSnapshots::open(dir.path());
        assert!(
            !leftover.exists(),
            "leftovers of an earlier run are removed"
        );
        let (a, _) = incoming.new_file(7).expect("file");
        let (b, _) = incoming.new_file(7).expect("file");
        assert_ne!(a.path(), b.path(), "every transfer gets its own file");
        let (a_path, b_path) = (a.path().to_path_buf(), b.path().to_path_buf());
        incoming.register(7, 2, a).expect("registered");
        incoming.register(7, 2, b).expect("registered");
        assert!(
            !a_path.exists(),
            "a newer file of the same snapshot replaces the older"
        );
        assert_eq!(incoming.take(7, 2), Some(b_path.clone()));
        assert_eq!(incoming.take(7, 2), None);
        let (c, _) = incoming.new_file(9).expect("file");
        let c_path = c.path().to_path_buf();
        incoming.register(9, 3, c).expect("registered");
        incoming.discard_through(9);
        assert!(!c_path.exists());
        assert_eq!(incoming.take(9, 3), None);
    }

    #[test]
    fn a_full_registry_refuses_new_files_and_never_evicts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let incoming = IncomingSnapshots::open(dir.path());
        let mut waiting = Vec::new();
        for index in 10..10 + MAX_WAITING as u64 {
            assert!(!incoming.is_full(0));
            let (file, _) = incoming.new_file(index).expect("file");
            waiting.push((index, file.path().to_path_buf()));
            incoming.register(index, 1, file).expect("registered");
        }
        assert!(incoming.is_full(0), "new transfers are refused");
        let (extra, _) = incoming.new_file(99).expect("file");
        let extra_path = extra.path().to_path_buf();
        let err = incoming.register(99, 1, extra).expect_err("refused");
        assert!(err.contains("already wait"), "{err}");
        assert!(!extra_path.exists(), "the refused file is removed");
        for (index, path) in &waiting {
            assert!(path.exists(), "no waiting file is evicted");
            assert_eq!(incoming.take(*index, 1).as_ref(), Some(path));
            incoming
                .register(
                    *index,
                    1,
                    PartialFile {
                        path: path.clone(),
                        keep: false,
                        fsync: Duration::ZERO,
                    },
                )
                .expect("registered again");
        }
        // Snapshots at or below the applied index are refused by raft: they make room.
        assert!(!incoming.is_full(10), "the stale one is dropped");
        assert!(!waiting[0].1.exists());
        assert_eq!(incoming.take(10, 1), None);
        assert_eq!(incoming.take(11, 1).as_ref(), Some(&waiting[1].1));
    }
}
