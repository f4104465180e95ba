//! The WAL's errors.

use std::path::PathBuf;

/// Everything that can go wrong in the WAL.
#[derive(Debug, thiserror::Error)]
pub enum WalError {
    /// The operating system refused an operation on `path`.
    #[error("wal: I/O error on {}: {source}", path.display())]
    Io {
        /// The file or directory operated on.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A record failed its checksum or did not decode, somewhere a crash cannot explain.
    #[error("wal: corrupt record in {} at offset {offset}: {reason}", file.display())]
    Corrupt {
        /// The segment file.
        file: PathBuf,
        /// Byte offset of the bad record in `file`.
        offset: u64,
        /// What was wrong with it.
        reason: String,
    },
    /// [`Wal::open`] found no segment in the directory.
    #[error("wal: no segments in {}", dir.display())]
    NotFound {
        /// The directory searched.
        dir: PathBuf,
    },
    /// [`Wal::create`] found segments already in the directory.
    #[error("wal: {} already holds segments", dir.display())]
    AlreadyExists {
        /// The directory.
        dir: PathBuf,
    },
    /// Another `Wal` (in this or another process) has the directory open.
    #[error("wal: {} is locked by another user", dir.display())]
    Locked {
        /// The directory.
        dir: PathBuf,
    },
    /// A programming error: the entries saved do not continue the log.
    #[error("wal: entry index {index} leaves a gap after index {last_index}")]
    Gap {
        /// The last index the log held (or the previous entry of the batch).
        last_index: u64,
        /// The index that does not follow it.
        index: u64,
    },
    /// A programming error: a snapshot mark older than the one already saved.
    #[error("wal: snapshot index {index} is older than the saved snapshot index {saved}")]
    SnapshotBackwards {
        /// The index of the mark already saved.
        saved: u64,
        /// The index of the mark given.
        index: u64,
    },
    /// A single record's payload does not fit the 32-bit length of the framing.
    #[error("wal: record of {len} bytes is too large")]
    RecordTooLarge {
        /// The payload length.
        len: usize,
    },
    /// An earlier write or sync failed, so what is on disk is unknown (a failed fsync may
    /// have dropped dirty pages); the only safe way forward is to reopen and replay.
    #[error("wal: unusable after an earlier write or sync failure; reopen it")]
    Poisoned,
}

impl WalError {
    /// Wraps an I/O error with the path it concerned.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> WalError {
        let path = path.into();
        move |source| WalError::Io { path, source }
    }
}
