//! Snapshots received from the leader: the peer service writes each one into a file it names
//! itself, checks its length and checksum, and registers the file under the snapshot's index and
//! term; the node loop takes it from here when raft hands the snapshot back. The file's path
//! never travels in a raft message, so no message from the network can name a local file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use oxcd_proto::oxcdpb::SnapshotChunk;
use sha1::{Digest, Sha1};
use tokio::io::AsyncWriteExt;
use tokio_stream::{Stream, StreamExt};

/// Largest `data` of one snapshot chunk accepted; the sender cuts the file into 1 MiB chunks.
pub const MAX_SNAPSHOT_CHUNK_BYTES: usize = 4 << 20;

/// Suffix of the files being received or waiting for the node loop; leftovers of an earlier
/// run are removed at start.
const INCOMING_SUFFIX: &str = ".incoming.snap.db";

/// Verified snapshots kept for the node loop. Raft takes a stepped snapshot in the same loop turn,
/// so more than a few waiting means raft refused the older ones (stale): they are removed.
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

    /// A new file name for a snapshot at `index`, unique within this run.
    pub fn new_file(&self, index: u64) -> PathBuf {
        let mut registry = self.lock();
        registry.next += 1;
        self.snap_dir
            .join(format!("{index:016x}-{:x}{INCOMING_SUFFIX}", registry.next))
    }

    /// Records a verified file for the snapshot at (index, term), replacing (and removing) an
    /// earlier file of the same snapshot.
    pub fn register(&self, index: u64, term: u64, path: PathBuf) {
        let mut registry = self.lock();
        if let Some(old) = registry.files.insert((index, term), path) {
            remove(&old);
        }
        while registry.files.len() > MAX_WAITING {
            if let Some((_, oldest)) = registry.files.pop_first() {
                remove(&oldest);
            }
        }
    }

    /// The file of the snapshot at (index, term), now the caller's to restore from and remove.
    pub fn take(&self, index: u64, term: u64) -> Option<PathBuf> {
        self.lock().files.remove(&(index, term))
    }

    /// Removes the files of snapshots at or below `index` (an installed snapshot made them stale).
    pub fn discard_through(&self, index: u64) {
        let mut registry = self.lock();
        let stale: Vec<(u64, u64)> = registry
            .files
            .range(..=(index, u64::MAX))
            .map(|(k, _)| *k)
            .collect();
        for key in stale {
            if let Some(path) = registry.files.remove(&key) {
                remove(&path);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.inner.lock().expect("incoming snapshots lock poisoned")
    }
}

fn remove(path: &Path) {
    if let Err(e) = std::fs::remove_file(path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(file = %path.display(), error = %e, "cannot remove a snapshot file");
        }
    }
}

/// Writes a snapshot stream into `path`, starting with `first` (whose message the caller has
/// checked): the bytes must add up to the length the first chunk announced (at most
/// `max_bytes`), and the last chunk's SHA-1 must match them. On any error the file is removed.
pub async fn receive_file<S>(
    path: &Path,
    first: SnapshotChunk,
    rest: &mut S,
    max_bytes: u64,
) -> Result<u64, String>
where
    S: Stream<Item = Result<SnapshotChunk, tonic::Status>> + Unpin,
{
    let result = write_checked(path, first, rest, max_bytes).await;
    if result.is_err() {
        remove(path);
    }
    result
}

async fn write_checked<S>(
    path: &Path,
    first: SnapshotChunk,
    rest: &mut S,
    max_bytes: u64,
) -> Result<u64, String>
where
    S: Stream<Item = Result<SnapshotChunk, tonic::Status>> + Unpin,
{
    let declared = first.total_bytes;
    if declared > max_bytes {
        return Err(format!(
            "snapshot of {declared} bytes is over the {max_bytes} bytes limit"
        ));
    }
    let io_err = |e: std::io::Error| format!("writing {}: {e}", path.display());
    let mut file = tokio::fs::File::create(path).await.map_err(io_err)?;
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
            file.sync_all().await.map_err(io_err)?;
            return Ok(received);
        }
        chunk = match rest.next().await {
            Some(Ok(next)) => next,
            Some(Err(status)) => {
                return Err(format!(
                    "snapshot stream broke after {received} of {declared} bytes: {}",
                    status.message()
                ))
            }
            None => {
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

    async fn receive(path: &Path, chunks: Vec<SnapshotChunk>, max: u64) -> Result<u64, String> {
        let mut chunks = chunks.into_iter();
        let first = chunks.next().expect("a first chunk");
        let mut rest = tokio_stream::iter(chunks.map(Ok));
        receive_file(path, first, &mut rest, max).await
    }

    #[tokio::test]
    async fn a_whole_snapshot_is_written_and_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s");
        let sum = sha1(b"hello world");
        let got = receive(
            &path,
            vec![chunk(b"hello ", 11, None), chunk(b"world", 0, Some(&sum))],
            100,
        )
        .await;
        assert_eq!(got, Ok(11));
        assert_eq!(std::fs::read(&path).expect("file"), b"hello world");
    }

    #[tokio::test]
    async fn truncated_corrupted_and_oversized_streams_are_refused_and_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s");
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
            let err = receive(&path, chunks, 100).await.expect_err("refused");
            assert!(err.contains(want), "{err} should say {want}");
            assert!(!path.exists(), "the half-received file is removed");
        }
        let big = vec![0u8; MAX_SNAPSHOT_CHUNK_BYTES + 1];
        let err = receive(&path, vec![chunk(&big, u64::MAX, None)], u64::MAX)
            .await
            .expect_err("refused");
        assert!(err.contains("chunk of"), "{err}");
        assert!(!path.exists());
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
        let (a, b) = (incoming.new_file(7), incoming.new_file(7));
        assert_ne!(a, b, "every transfer gets its own file");
        for p in [&a, &b] {
            std::fs::write(p, b"x").expect("write");
        }
        incoming.register(7, 2, a.clone());
        incoming.register(7, 2, b.clone());
        assert!(
            !a.exists(),
            "a newer file of the same snapshot replaces the older"
        );
        assert_eq!(incoming.take(7, 2), Some(b.clone()));
        assert_eq!(incoming.take(7, 2), None);
        let c = incoming.new_file(9);
        std::fs::write(&c, b"x").expect("write");
        incoming.register(9, 3, c.clone());
        incoming.discard_through(9);
        assert!(!c.exists());
        assert_eq!(incoming.take(9, 3), None);
    }
}
