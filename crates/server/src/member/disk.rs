//! The data dir's file system: the free space a member keeps (writes past it raise NOSPACE, in
//! `propose`), and Defragment, which needs room for a copy of the backend.

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::start::fatal;
use super::Member;
use crate::error::ServerError;
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::MvccError;

/// Free space a member keeps on its data dir's file system: a write that would leave less
/// raises NOSPACE. Room for a WAL segment (64 MiB) and the backend's growth in between.
pub(super) const DISK_RESERVE_BYTES: u64 = 128 * 1024 * 1024;

/// Free space more than this above the reserve is asked again at most every
/// [`FREE_SPACE_RECHECK`]: nothing fills a gibibyte in that time.
const FREE_SPACE_MARGIN: u64 = 1024 * 1024 * 1024;
const FREE_SPACE_RECHECK: Duration = Duration::from_millis(100);

/// The data dir's free space as writes check it. statvfs(3) walks the path each time, which
/// showed in the profile of every write, so an answer far above the reserve is reused briefly;
/// near the reserve every write asks again.
#[derive(Default)]
pub(super) struct FreeSpace(Mutex<Option<(Instant, u64)>>);

impl FreeSpace {
    pub(super) fn bytes(&self, path: &Path) -> Option<u64> {
        let mut last = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((asked, free)) = *last {
            let far = free >= DISK_RESERVE_BYTES + FREE_SPACE_MARGIN;
            if far && asked.elapsed() < FREE_SPACE_RECHECK {
                return Some(free);
            }
        }
        let free = free_disk_bytes(path);
        *last = free.map(|free| (Instant::now(), free));
        free
    }
}

/// Bytes an unprivileged writer may still use on the file system holding `path`'s directory;
/// None if it cannot be asked.
pub(super) fn free_disk_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let dir = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `dir` is a NUL-terminated path and `stat` a buffer statvfs(3) fills on success.
    if unsafe { libc::statvfs(dir.as_ptr(), stat.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so it filled the buffer.
    let stat = unsafe { stat.assume_init() };
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

impl Member {
    /// Defragments the backend while reads and writes go on (`MvccStore::defragment`), counted
    /// in the defrag metrics. The copy needs about the data's size on the same file system: with
    /// less room left (beside the reserve writes keep), it is refused before anything is
    /// written, rather than filling the disk under the member. A copy that replaced the backend
    /// without becoming durable stops the member.
    pub async fn defragment(&self) -> Result<(), ServerError> {
        let (_, in_use) = self.store.db_size();
        let needed = (in_use.max(0) as u64).saturating_add(DISK_RESERVE_BYTES);
        if let Some(free) = free_disk_bytes(self.store.backend().path()) {
            if free < needed {
                return Err(ServerError::DefragNoRoom { free, needed });
            }
        }
        let store = self.store.clone();
        let metrics = self.metrics.clone();
        // The gauge and the histogram are updated by the blocking task itself, so that a
        // client giving up on the RPC does not leave the gauge up.
        let result = tokio::task::spawn_blocking(move || {
            metrics.defrag_inflight.inc();
            let started = std::time::Instant::now();
            let result = store.defragment();
            metrics.defrag.observe(started.elapsed().as_secs_f64());
            metrics.defrag_inflight.dec();
            result
        })
        .await
        .map_err(|_| ServerError::Stopped)?;
        match result {
            Ok(()) => Ok(()),
            Err(e @ StorageError::ReplacedNotDurable { .. }) => fatal(&e.to_string()),
            Err(e) => Err(ServerError::Mvcc(MvccError::Storage(e))),
        }
    }
}
