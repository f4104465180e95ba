//! The background compactor: physically deletes what logical compactions superseded.

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use oxcd_storage::mvcc::MvccStore;
use tokio::sync::watch;

use crate::metrics::ServerMetrics;

/// Deletes what compactions superseded from the backend, a bounded batch at a time with a pause
/// between batches, so writes interleave with it (etcd's compaction-batch-limit and sleep interval).
pub async fn run_compactor(
    store: Arc<MvccStore>,
    mut requested: watch::Receiver<i64>,
    finished: watch::Sender<i64>,
    metrics: Arc<ServerMetrics>,
) {
    const BATCH_LIMIT: usize = 1000;
    loop {
        let started = Instant::now();
        let removed_before = store.compacted_entries();
        // A wake-up with nothing left to delete (at start, or for a compaction that is already
        // done) is not a compaction: etcd measures only the ones it runs.
        let pending = store.finished_compact_revision() < store.compact_revision();
        loop {
            let s = store.clone();
            let step_started = Instant::now();
            let step = tokio::task::spawn_blocking(move || s.compaction_step(BATCH_LIMIT)).await;
            if pending {
                metrics
                    .db_compaction_pause
                    .observe(step_started.elapsed().as_secs_f64() * 1000.0);
            }
            match step {
                Ok(Ok(true)) => tokio::time::sleep(std::time::Duration::from_millis(1)).await,
                Ok(Ok(false)) => break,
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "compaction failed");
                    break;
                }
                Err(_) => return,
            }
        }
        if pending {
            let removed = store.compacted_entries() - removed_before;
            metrics
                .db_compaction_total
                .observe(started.elapsed().as_secs_f64() * 1000.0);
            metrics.db_compaction_keys.inc_by(removed);
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            metrics.db_compaction_last.set(now as i64);
        }
        finished.send_replace(store.finished_compact_revision());
        if requested.changed().await.is_err() {
            return;
        }
    }
}
