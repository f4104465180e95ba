//! A redb storage backend over a backend file opened read-only, for
//! [`Backend::open_read_only`](super::Backend::open_read_only). redb writes even to a file it is
//! only asked to read: it repairs one that a member left open (a member stops without closing
//! its database, and a killed one could not have), and records its allocator state when it
//! closes. Those writes land here, in memory, block by block over the file's bytes, so the file
//! is never changed (its descriptor cannot write).
//!
//! Whatever lock redb asks for is taken shared on the file: it conflicts with a member that has
//! the file open (redb's exclusive locks), so a running member's backend is refused and a member
//! cannot open it meanwhile, while readers do not exclude each other. The one exception is the
//! view a starting member checks its own backend through ([`Overlay::beside_owner`]): that
//! member holds the locks already, and would conflict with itself.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::ops::Bound;
use std::path::Path;
use std::sync::{PoisonError, RwLock};

use redb::backends::FileBackend;
use redb::{BackendError, StorageBackend};

/// The unit in which writes are kept: a write is merged into whole blocks.
const BLOCK: u64 = 4096;

#[derive(Debug)]
pub(super) struct Overlay {
    /// The backend file, opened read-only.
    file: FileBackend,
    written: RwLock<Written>,
    /// Locks are taken (shared) on the file; not for a view beside the lock's owner.
    locking: bool,
}

/// What redb wrote, and how long it made the storage.
#[derive(Debug)]
struct Written {
    /// The storage's length as redb sees it.
    len: u64,
    /// The file's bytes from here on read as zeros: a shrink cut them off.
    file_end: u64,
    /// Blocks written since the open, by index, each whole.
    blocks: BTreeMap<u64, Box<[u8]>>,
}

impl Overlay {
    pub(super) fn open(path: &Path) -> io::Result<Overlay> {
        Overlay::new(path, true)
    }

    /// A view of a file this process has open in redb and holds the locks of, for reading it a
    /// second time while nothing writes it: every lock redb asks for is granted without touching
    /// the file.
    pub(super) fn beside_owner(path: &Path) -> io::Result<Overlay> {
        Overlay::new(path, false)
    }

    fn new(path: &Path, locking: bool) -> io::Result<Overlay> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Overlay {
            file: FileBackend::new(file).map_err(io::Error::other)?,
            written: RwLock::new(Written {
                len,
                file_end: len,
                blocks: BTreeMap::new(),
            }),
            locking,
        })
    }

    /// Fills `out` with the file's bytes at `offset` (zeros past `file_end`).
    fn read_file(&self, file_end: u64, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let from_file = file_end.saturating_sub(offset).min(out.len() as u64) as usize;
        if from_file > 0 {
            self.file.read(offset, &mut out[..from_file])?;
        }
        out[from_file..].fill(0);
        Ok(())
    }
}

impl StorageBackend for Overlay {
    fn len(&self) -> io::Result<u64> {
        Ok(self
            .written
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let written = self.written.read().unwrap_or_else(PoisonError::into_inner);
        let end = offset + out.len() as u64;
        if end > written.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("read of {offset}..{end} past the end ({})", written.len),
            ));
        }
        self.read_file(written.file_end, offset, out)?;
        // Then the blocks written over that range, which are few: redb writes little to a file
        // it only reads.
        for (&index, block) in written.blocks.range(offset / BLOCK..end.div_ceil(BLOCK)) {
            let start = (index * BLOCK).max(offset);
            let stop = ((index + 1) * BLOCK).min(end);
            let from = (start - index * BLOCK) as usize..(stop - index * BLOCK) as usize;
            out[(start - offset) as usize..(stop - offset) as usize].copy_from_slice(&block[from]);
        }
        Ok(())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut written = self.written.write().unwrap_or_else(PoisonError::into_inner);
        if len < written.len {
            // What a shrink cuts off reads as zeros if the storage grows again.
            written.file_end = written.file_end.min(len);
            written.blocks.retain(|&index, _| index * BLOCK < len);
            if let Some(block) = written.blocks.get_mut(&(len / BLOCK)) {
                block[(len % BLOCK) as usize..].fill(0);
            }
        }
        written.len = len;
        Ok(())
    }

    fn sync_data(&self) -> io::Result<()> {
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut written = self.written.write().unwrap_or_else(PoisonError::into_inner);
        let end = offset + data.len() as u64;
        let mut index = offset / BLOCK;
        while index * BLOCK < end {
            let block_start = index * BLOCK;
            if !written.blocks.contains_key(&index) {
                let mut block = vec![0u8; BLOCK as usize].into_boxed_slice();
                self.read_file(written.file_end, block_start, &mut block)?;
                written.blocks.insert(index, block);
            }
            let start = block_start.max(offset);
            let stop = (block_start + BLOCK).min(end);
            if let Some(block) = written.blocks.get_mut(&index) {
                block[(start - block_start) as usize..(stop - block_start) as usize]
                    .copy_from_slice(&data[(start - offset) as usize..(stop - offset) as usize]);
            }
            index += 1;
        }
        written.len = written.len.max(end);
        Ok(())
    }

    fn close(&self) -> io::Result<()> {
        self.file.close()
    }

    fn try_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.try_lock_shared_range(start, end)
    }

    fn try_lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, BackendError> {
        if !self.locking {
            return Ok(true);
        }
        self.file.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.lock_shared_range(start, end)
    }

    fn lock_shared_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        if !self.locking {
            return Ok(());
        }
        self.file.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        if !self.locking {
            return Ok(());
        }
        self.file.unlock_range(start, end)
    }

    fn query_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        if !self.locking {
            return Ok(false);
        }
        self.file.query_lock_range(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_stay_in_memory_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file");
        let original: Vec<u8> = (0..3 * BLOCK + 100).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &original).unwrap();
        let overlay = Overlay::open(&path).unwrap();
        let mut model = original.clone();

        // Across a block boundary, then past the end.
        overlay.write(BLOCK - 10, &[0xaa; 20]).unwrap();
        model[(BLOCK - 10) as usize..(BLOCK + 10) as usize].fill(0xaa);
        let len = 3 * BLOCK + 100;
        overlay.set_len(len + 2 * BLOCK).unwrap();
        model.resize((len + 2 * BLOCK) as usize, 0);
        overlay.write(len + BLOCK, &[0xbb; 5]).unwrap();
        model[(len + BLOCK) as usize..(len + BLOCK + 5) as usize].fill(0xbb);
        let mut all = vec![0u8; model.len()];
        overlay.read(0, &mut all).unwrap();
        assert!(all == model);
        let mut part = vec![0u8; 30];
        overlay.read(BLOCK - 15, &mut part).unwrap();
        assert!(part[..] == model[(BLOCK - 15) as usize..(BLOCK + 15) as usize]);

        // A shrink and a growth leave zeros where the cut-off bytes were.
        overlay.set_len(BLOCK + 5).unwrap();
        overlay.set_len(2 * BLOCK).unwrap();
        model.truncate((BLOCK + 5) as usize);
        model.resize((2 * BLOCK) as usize, 0);
        let mut all = vec![0u8; model.len()];
        overlay.read(0, &mut all).unwrap();
        assert!(all == model);
        assert!(overlay.read(BLOCK, &mut [0u8; 2 * BLOCK as usize]).is_err());

        overlay.sync_data().unwrap();
        overlay.close().unwrap();
        assert!(std::fs::read(&path).unwrap() == original);
    }
}
