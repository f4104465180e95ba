//! A disk for crash tests, in memory: it records every write and length change in order, with
//! the syncs between them, so that a test can build what a crash at any point would leave on
//! a real disk: everything up to the last sync, and none, some or all of the writes after it
//! in order, the last of those torn at any byte.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use redb::StorageBackend;

#[derive(Debug, Clone)]
pub(crate) enum Op {
    Write { offset: u64, data: Vec<u8> },
    SetLen(u64),
    Sync,
}

/// One disk's bytes and the log of what was done to them since it was made. Clones share both.
#[derive(Debug, Clone, Default)]
pub struct CrashDisk {
    inner: Arc<Mutex<Recorded>>,
}

#[derive(Debug, Default)]
struct Recorded {
    /// The bytes as the first operation of `ops` found them.
    start: Vec<u8>,
    bytes: Vec<u8>,
    ops: Vec<Op>,
}

impl CrashDisk {
    /// A disk holding `image`, with an empty log.
    pub fn with_image(image: Vec<u8>) -> CrashDisk {
        CrashDisk {
            inner: Arc::new(Mutex::new(Recorded {
                start: image.clone(),
                bytes: image,
                ops: Vec::new(),
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many operations were recorded: crash points run from 0 to this.
    pub fn recorded(&self) -> usize {
        self.lock().ops.len()
    }

    /// Whether the operation at `at` is a write (which a crash can tear), and its length.
    pub fn write_len(&self, at: usize) -> Option<usize> {
        match self.lock().ops.get(at) {
            Some(Op::Write { data, .. }) => Some(data.len()),
            _ => None,
        }
    }

    /// What a crash leaves when it strikes after the first `done` operations: everything up to
    /// the last sync among them, then the unsynced ones up to `done`, in order, if
    /// `keep_unsynced` (else none of them), the last cut after `torn` bytes if it is a write and
    /// `torn` is given.
    pub fn crash_image(&self, done: usize, keep_unsynced: bool, torn: Option<usize>) -> Vec<u8> {
        let recorded = self.lock();
        let ops = &recorded.ops[..done];
        let synced = ops
            .iter()
            .rposition(|op| matches!(op, Op::Sync))
            .map_or(0, |at| at + 1);
        let applied = if keep_unsynced { done } else { synced };
        let mut image = recorded.start.clone();
        for (at, op) in ops[..applied].iter().enumerate() {
            let cut = if at + 1 == applied { torn } else { None };
            apply(&mut image, op, cut);
        }
        image
    }
}

fn apply(bytes: &mut Vec<u8>, op: &Op, cut: Option<usize>) {
    match op {
        Op::Write { offset, data } => {
            let data = &data[..cut.unwrap_or(data.len()).min(data.len())];
            let start = *offset as usize;
            if bytes.len() < start + data.len() {
                bytes.resize(start + data.len(), 0);
            }
            bytes[start..start + data.len()].copy_from_slice(data);
        }
        Op::SetLen(len) => bytes.resize(*len as usize, 0),
        Op::Sync => {}
    }
}

impl StorageBackend for CrashDisk {
    fn len(&self) -> io::Result<u64> {
        Ok(self.lock().bytes.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let recorded = self.lock();
        let start = offset as usize;
        let source = recorded
            .bytes
            .get(start..start + out.len())
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "read past the end"))?;
        out.copy_from_slice(source);
        Ok(())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut recorded = self.lock();
        let op = Op::SetLen(len);
        apply(&mut recorded.bytes, &op, None);
        recorded.ops.push(op);
        Ok(())
    }

    fn sync_data(&self) -> io::Result<()> {
        self.lock().ops.push(Op::Sync);
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let mut recorded = self.lock();
        let op = Op::Write {
            offset,
            data: data.to_vec(),
        };
        apply(&mut recorded.bytes, &op, None);
        recorded.ops.push(op);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_keeps_what_was_synced_and_an_ordered_prefix_of_the_rest() {
        let disk = CrashDisk::default();
        disk.set_len(8).unwrap();
        disk.write(0, b"abcd").unwrap();
        disk.sync_data().unwrap();
        disk.write(4, b"efgh").unwrap();
        disk.write(0, b"WXYZ").unwrap();
        assert_eq!(disk.recorded(), 5);
        assert_eq!(disk.crash_image(5, false, None), b"abcd\0\0\0\0");
        assert_eq!(disk.crash_image(4, true, Some(2)), b"abcdef\0\0");
        assert_eq!(disk.crash_image(5, true, Some(1)), b"Wbcdefgh");
        assert_eq!(disk.crash_image(1, true, None), b"\0\0\0\0\0\0\0\0");
        assert_eq!(disk.write_len(4), Some(4));
        assert_eq!(disk.write_len(2), None);
    }
}
