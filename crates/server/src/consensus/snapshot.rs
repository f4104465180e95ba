//! Snapshots to members too far behind for the log: the backend is copied once the applier
//! reached the snapshot's index, then streamed in chunks on the peer protocol, off the node loop.

use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::sync::Arc;
use std::time::Duration;

use oxcd_proto::oxcdpb::peer_client::PeerClient;
use oxcd_proto::oxcdpb::SnapshotChunk;
use oxcd_storage::mvcc::MvccStore;
use raft::prelude::Message;
use sha1::{Digest, Sha1};
use tokio::sync::mpsc;

use super::dial::PeerDialer;
use super::transport::PeerUrls;
use super::wire::to_wire;
use crate::messages::NodeMsg;
use crate::metrics::ServerMetrics;

/// Bytes of backend file per snapshot chunk.
const SNAPSHOT_CHUNK: usize = 1 << 20;

/// Streams backend snapshots to members; cheap to clone into the task that sends one.
#[derive(Clone)]
pub struct SnapshotSender {
    cluster_id: u64,
    urls: PeerUrls,
    dialer: PeerDialer,
}

impl SnapshotSender {
    pub fn new(cluster_id: u64, urls: PeerUrls, dialer: PeerDialer) -> SnapshotSender {
        SnapshotSender {
            cluster_id,
            urls,
            dialer,
        }
    }

    /// Sends `message` (a MsgSnapshot) with the backend copy at `file` to its recipient: the
    /// file's length in the first chunk, its SHA-1 in the last. A read error ends the call
    /// without a last chunk, so the recipient refuses what it got.
    pub async fn send(&self, mut message: Message, file: &Path) -> Result<(), String> {
        use tokio::io::AsyncReadExt;
        let url = self.urls.first(message.to).ok_or("unknown member")?;
        let channel = self
            .dialer
            .connect(&url, Duration::from_secs(2), None)
            .await?;
        let mut client = PeerClient::new(channel).max_encoding_message_size(usize::MAX);
        let mut snap = message.take_snapshot();
        snap.data = Default::default();
        message.set_snapshot(snap);
        let mut f = tokio::fs::File::open(file)
            .await
            .map_err(|e| e.to_string())?;
        let total_bytes = f.metadata().await.map_err(|e| e.to_string())?.len();
        let (tx, rx) = mpsc::channel::<SnapshotChunk>(4);
        let cluster_id = self.cluster_id;
        let call = tokio::spawn(async move {
            client
                .snapshot(tokio_stream::wrappers::ReceiverStream::new(rx))
                .await
        });
        let mut digest = Sha1::new();
        let mut first = Some(to_wire(&message));
        let mut sent = 0u64;
        loop {
            let mut buf = vec![0u8; SNAPSHOT_CHUNK];
            let n = match f.read(&mut buf).await {
                Ok(n) => n,
                Err(e) => {
                    call.abort();
                    return Err(format!("reading {}: {e}", file.display()));
                }
            };
            buf.truncate(n);
            digest.update(&buf);
            sent += n as u64;
            let last = n == 0;
            if last && sent != total_bytes {
                call.abort();
                return Err(format!(
                    "{} changed while it was sent ({sent} of {total_bytes} bytes)",
                    file.display()
                ));
            }
            let chunk = SnapshotChunk {
                cluster_id,
                message: first.take(),
                data: buf,
                total_bytes,
                last,
                sha1: if last {
                    std::mem::take(&mut digest).finalize().to_vec()
                } else {
                    Vec::new()
                },
            };
            // A closed channel means the call ended: its status says why.
            if tx.send(chunk).await.is_err() || last {
                break;
            }
        }
        drop(tx);
        match call.await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(status)) => Err(status.message().to_string()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Starts snapshot transfers for the node loop, each in its own task.
pub struct SnapshotTransfers {
    /// The store snapshots are copied from.
    pub store: Arc<MvccStore>,
    /// Where the copies are written before they are sent.
    pub snap_dir: PathBuf,
    pub sender: SnapshotSender,
    pub runtime: tokio::runtime::Handle,
    /// The node loop's queue, told how each transfer ended.
    pub node: SyncSender<NodeMsg>,
    pub metrics: Arc<ServerMetrics>,
}

/// Suffix of the backend copies made for sending.
const OUTGOING_SUFFIX: &str = ".outgoing.snap.db";

/// Removes the copies a transfer of an earlier run left behind (the process stopped mid-send):
/// each may be as large as the backend.
pub fn remove_leftover_copies(snap_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(snap_dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .ends_with(OUTGOING_SUFFIX)
        {
            tracing::info!(file = %entry.path().display(), "removing a snapshot copy left by an earlier run");
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl SnapshotTransfers {
    /// Copies the backend and streams it to the recipient of `m` (a MsgSnapshot). The copy must
    /// hold at least the snapshot's index, so it waits for the applier first.
    pub fn start(&self, m: Message) {
        let (to, index) = (m.to, m.get_snapshot().get_metadata().index);
        let (store, sender, node) = (self.store.clone(), self.sender.clone(), self.node.clone());
        let file = self
            .snap_dir
            .join(format!("{index:016x}-{to:016x}{OUTGOING_SUFFIX}"));
        tracing::info!(to = %format!("{to:x}"), index, "sending snapshot");
        let metrics = self.metrics.clone();
        self.runtime.spawn(async move {
            let started = std::time::Instant::now();
            let transfer = metrics.snapshot_send.start(&format!("{to:x}"));
            let result = async {
                let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
                while store.consistent_index() < index {
                    if tokio::time::Instant::now() > deadline {
                        return Err("the applier did not reach the snapshot index".to_string());
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let _ = std::fs::remove_file(&file);
                let (copy_store, copy_file) = (store.clone(), file.clone());
                tokio::task::spawn_blocking(move || copy_store.write_snapshot(&copy_file))
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| e.to_string())?;
                sender.send(m, &file).await
            }
            .await;
            metrics
                .backend_snapshot
                .observe(started.elapsed().as_secs_f64());
            if result.is_ok() {
                transfer.succeeded();
            } else {
                drop(transfer);
            }
            let _ = std::fs::remove_file(&file);
            if let Err(e) = &result {
                tracing::warn!(to = %format!("{to:x}"), error = %e, "sending snapshot failed");
            }
            let _ = node.try_send(NodeMsg::SnapshotSent {
                to,
                ok: result.is_ok(),
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_left_by_an_earlier_run_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        let leftover = dir
            .path()
            .join(format!("{:016x}-{:016x}{OUTGOING_SUFFIX}", 7, 2));
        let backend = dir.path().join("db");
        std::fs::write(&leftover, b"copy").expect("write");
        std::fs::write(&backend, b"data").expect("write");
        remove_leftover_copies(dir.path());
        assert!(!leftover.exists());
        assert!(backend.exists());
    }
}
