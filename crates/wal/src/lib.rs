//! The raft write-ahead log: the durability point of an oxcd member.
//!
//! Raft's entries, hard state and snapshot marks are appended to numbered segment files
//! (`{seq:016x}-{first_index:016x}.wal`, as etcd names them) and made durable with one
//! `fdatasync` per [`Wal::save`]. [`Wal::open`] replays every segment into a [`WalState`],
//! truncating a torn tail left by a crash and refusing (with [`WalError::Corrupt`]) anything
//! else that fails its checksum. See `record.rs` for the on-disk framing and `codec.rs` for
//! the payloads.

mod codec;
mod record;
mod segment;
mod wal;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use wal::Wal;

/// One raft log entry, as raft hands it over (`entry_type` is raft's `EntryType` as an i32).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// Position in the raft log; entries of one save are consecutive.
    pub index: u64,
    /// The leader term that created the entry.
    pub term: u64,
    /// raft's entry type (normal, conf change, conf change v2).
    pub entry_type: i32,
    /// The proposal itself.
    pub data: Vec<u8>,
    /// raft's opaque context bytes.
    pub context: Vec<u8>,
}

/// raft's hard state: what a member must remember across restarts to vote safely.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HardState {
    /// The current term.
    pub term: u64,
    /// Whom this member voted for in `term` (0: nobody).
    pub vote: u64,
    /// The highest index known committed.
    pub commit: u64,
}

/// Where a raft snapshot was taken: raft's snapshot metadata (the payload itself is the
/// backend file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotMark {
    /// Index of the last entry the snapshot covers.
    pub index: u64,
    /// Term of that entry.
    pub term: u64,
    /// raft's `ConfState.voters`.
    pub voters: Vec<u64>,
    /// raft's `ConfState.learners`.
    pub learners: Vec<u64>,
    /// raft's `ConfState.voters_outgoing` (joint consensus).
    pub voters_outgoing: Vec<u64>,
    /// raft's `ConfState.learners_next` (joint consensus).
    pub learners_next: Vec<u64>,
    /// raft's `ConfState.auto_leave`.
    pub auto_leave: bool,
}

/// Everything [`Wal::open`] recovered from the segments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalState {
    /// What [`Wal::create`] was given (the server stores member/cluster ids there).
    pub metadata: Vec<u8>,
    /// The newest snapshot mark saved.
    pub snapshot: Option<SnapshotMark>,
    /// The newest hard state saved (default if none).
    pub hard_state: HardState,
    /// Contiguous, ascending, all with index > snapshot.index (if any); conflicts resolved.
    pub entries: Vec<Entry>,
}

/// Tuning of a [`Wal`].
#[derive(Debug, Clone, Copy)]
pub struct WalOptions {
    /// A segment is closed and a new one started once a save makes it larger than this;
    /// new segments are also preallocated to this size.
    pub segment_bytes: u64,
}

impl Default for WalOptions {
    /// 64 MiB segments, like etcd.
    fn default() -> Self {
        WalOptions {
            segment_bytes: 64 * 1024 * 1024,
        }
    }
}

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
