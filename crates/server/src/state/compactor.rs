//! The background compactor: physically deletes what logical compactions superseded.

use std::sync::Arc;

use oxcd_storage::mvcc::MvccStore;
use tokio::sync::watch;

/// Deletes what compactions superseded from the backend, a bounded batch at a time with a pause
/// between batches, so writes interleave with it (etcd's compaction-batch-limit and sleep interval).
pub async fn run_compactor(
    store: Arc<MvccStore>,
    mut requested: watch::Receiver<i64>,
    finished: watch::Sender<i64>,
) {
    const BATCH_LIMIT: usize = 1000;
    loop {
        loop {
            let s = store.clone();
            match tokio::task::spawn_blocking(move || s.compaction_step(BATCH_LIMIT)).await {
                Ok(Ok(true)) => tokio::time::sleep(std::time::Duration::from_millis(1)).await,
                Ok(Ok(false)) => break,
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "compaction failed");
                    break;
                }
                Err(_) => return,
            }
        }
        finished.send_replace(store.finished_compact_revision());
        if requested.changed().await.is_err() {
            return;
        }
    }
}
