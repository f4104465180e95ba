//! What can go wrong reading an etcd data dir.

use std::path::PathBuf;

/// Every failure names the file and, where a record is at fault, the byte offset of its frame.
#[derive(Debug, thiserror::Error)]
pub enum EtcdWalError {
    /// The operating system refused an operation on `path`.
    #[error("etcd wal: I/O error on {}: {source}", path.display())]
    Io {
        /// The file or directory operated on.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The WAL directory holds no `%016x-%016x.wal` segment.
    #[error("etcd wal: no segments in {}", dir.display())]
    NoSegments {
        /// The directory searched.
        dir: PathBuf,
    },
    /// No segment starts at or before the requested snapshot index, so its mark cannot be there.
    #[error("etcd wal: no segment in {} starts at or before index {index}", dir.display())]
    NoSegmentForIndex {
        /// The directory searched.
        dir: PathBuf,
        /// The snapshot index asked for.
        index: u64,
    },
    /// Segment sequence numbers skip one: a segment was lost, so the log has a hole.
    #[error("etcd wal: segment sequence jumps from {previous} to {next} at {}", path.display())]
    MissingSegment {
        /// The segment after the hole.
        path: PathBuf,
        /// The sequence number before the hole.
        previous: u64,
        /// The sequence number after it.
        next: u64,
    },
    /// A length word that cannot be right: it runs past the end of a segment that is not the
    /// last (where only a torn write could explain it).
    #[error("etcd wal: bad length word in {} at byte {offset}: {reason}", path.display())]
    BadLength {
        /// The segment or snapshot file.
        path: PathBuf,
        /// Byte offset of the frame.
        offset: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A record's checksum does not match, and no torn write explains it.
    #[error(
        "etcd wal: CRC mismatch in {} at byte {offset}: stored {stored:#010x}, computed {computed:#010x}",
        path.display()
    )]
    CrcMismatch {
        /// The segment or snapshot file.
        path: PathBuf,
        /// Byte offset of the frame (0 for a `.snap` file, whose CRC covers the whole body).
        offset: u64,
        /// The CRC the record carries.
        stored: u32,
        /// The CRC of what was read.
        computed: u32,
    },
    /// Bytes that do not decode as the protobuf message they must be.
    #[error("etcd wal: undecodable {what} in {} at byte {offset}: {reason}", path.display())]
    Undecodable {
        /// The segment or snapshot file.
        path: PathBuf,
        /// Byte offset of the frame.
        offset: u64,
        /// The message expected, e.g. `raftpb.Entry`.
        what: &'static str,
        /// The decoder's complaint.
        reason: String,
    },
    /// A record type etcd never writes.
    #[error("etcd wal: unknown record type {record_type} in {} at byte {offset}", path.display())]
    UnknownRecordType {
        /// The segment.
        path: PathBuf,
        /// Byte offset of the frame.
        offset: u64,
        /// The type found.
        record_type: i64,
    },
    /// Two metadata records disagree about which member and cluster the log belongs to.
    #[error("etcd wal: metadata in {} at byte {offset} differs from earlier metadata", path.display())]
    MetadataConflict {
        /// The segment.
        path: PathBuf,
        /// Byte offset of the frame.
        offset: u64,
    },
    /// The log holds no metadata record at all, so it names no member.
    #[error("etcd wal: no metadata record in {}", dir.display())]
    NoMetadata {
        /// The WAL directory.
        dir: PathBuf,
    },
    /// The WAL has a snapshot mark at the requested index but for another term.
    #[error(
        "etcd wal: snapshot mark in {} at byte {offset} has index {index} term {found_term}, wanted term {wanted_term}",
        path.display()
    )]
    SnapshotMismatch {
        /// The segment.
        path: PathBuf,
        /// Byte offset of the frame.
        offset: u64,
        /// The index of the mark.
        index: u64,
        /// The term the mark carries.
        found_term: u64,
        /// The term asked for.
        wanted_term: u64,
    },
    /// The requested snapshot mark is not in the segments read.
    #[error("etcd wal: no snapshot mark for index {index} term {term} in {}", dir.display())]
    MissingSnapshotMark {
        /// The WAL directory.
        dir: PathBuf,
        /// The index asked for.
        index: u64,
        /// The term asked for.
        term: u64,
    },
    /// An entry whose index leaves a hole after the entries before it.
    #[error(
        "etcd wal: entry index {index} in {} at byte {offset} leaves a gap (next expected {expected})",
        path.display()
    )]
    EntryGap {
        /// The segment.
        path: PathBuf,
        /// Byte offset of the frame.
        offset: u64,
        /// The entry's index.
        index: u64,
        /// The highest index that would have continued the log.
        expected: u64,
    },
    /// A `.snap` file with no body or no checksum, which etcd treats as broken.
    #[error("etcd wal: empty snapshot file {}", path.display())]
    EmptySnapshot {
        /// The snapshot file.
        path: PathBuf,
    },
}

impl EtcdWalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EtcdWalError::Io {
            path: path.into(),
            source,
        }
    }
}
