//! Reading a whole etcd WAL directory into the raft state it records.

use std::path::{Path, PathBuf};

use prost::Message;

use crate::error::EtcdWalError;
use crate::frame::{Segment, Step, CRC_TYPE};
use crate::pb;

const METADATA_TYPE: i64 = 1;
const ENTRY_TYPE: i64 = 2;
const STATE_TYPE: i64 = 3;
const SNAPSHOT_TYPE: i64 = 5;

/// One raft log entry (`raftpb.Entry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The term the entry was proposed in.
    pub term: u64,
    /// Its position in the log.
    pub index: u64,
    /// `raftpb.EntryType`: 0 normal, 1 conf change, 2 conf change v2.
    pub entry_type: i32,
    /// The proposal: an `etcdserverpb.InternalRaftRequest` (or a v2 `Request`) for a normal
    /// entry, a `ConfChange` for a conf change.
    pub data: Vec<u8>,
}

/// `raftpb.HardState`: what a member must remember across restarts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HardState {
    /// The current term.
    pub term: u64,
    /// Whom this member voted for in `term` (0: nobody).
    pub vote: u64,
    /// The highest index known committed.
    pub commit: u64,
}

/// A `walpb.Snapshot` record: etcd saved a raft snapshot at this point of the log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotMark {
    /// The last index the snapshot covers.
    pub index: u64,
    /// The term of that entry.
    pub term: u64,
}

/// Everything the WAL says, as etcd's `ReadAll` would return it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalContents {
    /// The member the log belongs to (`etcdserverpb.Metadata.NodeID`).
    pub node_id: u64,
    /// Its cluster.
    pub cluster_id: u64,
    /// The newest hard state recorded.
    pub hard_state: HardState,
    /// Every snapshot mark in the segments read, oldest first.
    pub snapshot_marks: Vec<SnapshotMark>,
    /// The log after the starting snapshot, with overwritten suffixes already replaced.
    pub entries: Vec<Entry>,
    /// The last segment ended in a partly written record, which was dropped.
    pub torn_tail: bool,
}

/// A segment file name, `%016x-%016x.wal`.
struct SegmentName {
    path: PathBuf,
    seq: u64,
    index: u64,
}

fn parse_hex16(s: &str) -> Option<u64> {
    if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

/// `(seq, index)` of a segment name; anything else in the directory (etcd's `.tmp` files,
/// strays) is not a segment.
fn parse_segment_name(name: &str) -> Option<(u64, u64)> {
    let stem = name.strip_suffix(".wal")?;
    let (seq, index) = stem.split_once('-')?;
    Some((parse_hex16(seq)?, parse_hex16(index)?))
}

fn list_segments(dir: &Path) -> Result<Vec<SegmentName>, EtcdWalError> {
    let mut segments = Vec::new();
    for item in std::fs::read_dir(dir).map_err(|e| EtcdWalError::io(dir, e))? {
        let item = item.map_err(|e| EtcdWalError::io(dir, e))?;
        let name = item.file_name();
        let Some((seq, index)) = name.to_str().and_then(parse_segment_name) else {
            continue;
        };
        segments.push(SegmentName {
            path: item.path(),
            seq,
            index,
        });
    }
    segments.sort_by_key(|s| (s.seq, s.index));
    Ok(segments)
}

/// The segments to read: all of them, or from the last one starting at or before the snapshot
/// index (the mark can only be there or later); they must follow each other without a gap.
fn select_segments(dir: &Path, start: Option<u64>) -> Result<Vec<SegmentName>, EtcdWalError> {
    let mut segments = list_segments(dir)?;
    if segments.is_empty() {
        return Err(EtcdWalError::NoSegments {
            dir: dir.to_path_buf(),
        });
    }
    if let Some(start) = start {
        let Some(first) = segments.iter().rposition(|s| s.index <= start) else {
            return Err(EtcdWalError::NoSegmentForIndex {
                dir: dir.to_path_buf(),
                index: start,
            });
        };
        segments.drain(..first);
    }
    for pair in segments.windows(2) {
        if pair[1].seq != pair[0].seq.wrapping_add(1) {
            return Err(EtcdWalError::MissingSegment {
                path: pair[1].path.clone(),
                previous: pair[0].seq,
                next: pair[1].seq,
            });
        }
    }
    Ok(segments)
}

/// Reads the WAL in `dir` (`<data-dir>/member/wal`).
///
/// `after` is the snapshot (index, term) to start from: entries at or before its index are
/// dropped, and its mark must be in the WAL, as etcd's `ReadAll` demands. With `None` every
/// segment is read and the log starts at the first entry found.
///
/// A record cut short at the end of the last segment ends the log (`torn_tail`); damage
/// anywhere else is an error.
pub fn read_wal(dir: &Path, after: Option<SnapshotMark>) -> Result<WalContents, EtcdWalError> {
    let segments = select_segments(dir, after.map(|m| m.index))?;
    let mut reader = LogBuilder::new(after);
    let mut chain = 0u32;
    let count = segments.len();
    'segments: for (i, name) in segments.iter().enumerate() {
        let mut segment = Segment::open(&name.path, i + 1 == count)?;
        loop {
            match segment.next(&mut chain)? {
                Step::Record { offset, record } => reader.apply(segment.path(), offset, record)?,
                Step::End => break,
                Step::Torn { offset } => {
                    tracing::warn!(
                        path = %segment.path().display(),
                        offset,
                        "etcd wal ends in a torn write; the log ends before it"
                    );
                    reader.contents.torn_tail = true;
                    break 'segments;
                }
            }
        }
    }
    reader.finish(dir)
}

/// Folds records into [`WalContents`] with raft's log semantics.
struct LogBuilder {
    after: Option<SnapshotMark>,
    contents: WalContents,
    metadata: Option<Vec<u8>>,
    mark_found: bool,
}

fn decode<M: Message + Default>(
    path: &Path,
    offset: u64,
    what: &'static str,
    bytes: &[u8],
) -> Result<M, EtcdWalError> {
    M::decode(bytes).map_err(|e| EtcdWalError::Undecodable {
        path: path.to_path_buf(),
        offset,
        what,
        reason: e.to_string(),
    })
}

impl LogBuilder {
    fn new(after: Option<SnapshotMark>) -> Self {
        LogBuilder {
            after,
            contents: WalContents::default(),
            metadata: None,
            mark_found: false,
        }
    }

    fn apply(&mut self, path: &Path, offset: u64, record: pb::Record) -> Result<(), EtcdWalError> {
        match record.record_type {
            ENTRY_TYPE => {
                let e: pb::Entry = decode(path, offset, "raftpb.Entry", &record.data)?;
                self.push_entry(
                    path,
                    offset,
                    Entry {
                        term: e.term,
                        index: e.index,
                        entry_type: e.entry_type,
                        data: e.data,
                    },
                )
            }
            STATE_TYPE => {
                let s: pb::HardState = decode(path, offset, "raftpb.HardState", &record.data)?;
                self.contents.hard_state = HardState {
                    term: s.term,
                    vote: s.vote,
                    commit: s.commit,
                };
                Ok(())
            }
            METADATA_TYPE => {
                if let Some(seen) = &self.metadata {
                    // Every segment repeats the metadata; a different one means logs were mixed.
                    if *seen != record.data {
                        return Err(EtcdWalError::MetadataConflict {
                            path: path.to_path_buf(),
                            offset,
                        });
                    }
                    return Ok(());
                }
                let m: pb::Metadata = decode(path, offset, "etcdserverpb.Metadata", &record.data)?;
                self.contents.node_id = m.node_id;
                self.contents.cluster_id = m.cluster_id;
                self.metadata = Some(record.data);
                Ok(())
            }
            CRC_TYPE => Ok(()),
            SNAPSHOT_TYPE => {
                let s: pb::WalSnapshot = decode(path, offset, "walpb.Snapshot", &record.data)?;
                if let Some(want) = self.after {
                    if s.index == want.index {
                        if s.term != want.term {
                            return Err(EtcdWalError::SnapshotMismatch {
                                path: path.to_path_buf(),
                                offset,
                                index: s.index,
                                found_term: s.term,
                                wanted_term: want.term,
                            });
                        }
                        self.mark_found = true;
                    }
                }
                self.contents.snapshot_marks.push(SnapshotMark {
                    index: s.index,
                    term: s.term,
                });
                Ok(())
            }
            other => Err(EtcdWalError::UnknownRecordType {
                path: path.to_path_buf(),
                offset,
                record_type: other,
            }),
        }
    }

    /// Appends an entry; one at or below the last index replaces that suffix, as a new leader's
    /// entries replace an old leader's uncommitted ones.
    fn push_entry(&mut self, path: &Path, offset: u64, entry: Entry) -> Result<(), EtcdWalError> {
        let entries = &mut self.contents.entries;
        let base = match (self.after, entries.first()) {
            (Some(mark), _) => {
                if entry.index <= mark.index {
                    return Ok(());
                }
                mark.index + 1
            }
            (None, Some(first)) => first.index,
            (None, None) => entry.index,
        };
        if entry.index < base {
            // Only reachable without a starting snapshot: the new entry replaces everything.
            entries.clear();
            entries.push(entry);
            return Ok(());
        }
        let keep = entry.index - base;
        if keep > entries.len() as u64 {
            return Err(EtcdWalError::EntryGap {
                path: path.to_path_buf(),
                offset,
                index: entry.index,
                expected: base + entries.len() as u64,
            });
        }
        entries.truncate(keep as usize);
        entries.push(entry);
        Ok(())
    }

    fn finish(self, dir: &Path) -> Result<WalContents, EtcdWalError> {
        if self.metadata.is_none() {
            return Err(EtcdWalError::NoMetadata {
                dir: dir.to_path_buf(),
            });
        }
        if let Some(want) = self.after {
            if !self.mark_found {
                return Err(EtcdWalError::MissingSnapshotMark {
                    dir: dir.to_path_buf(),
                    index: want.index,
                    term: want.term,
                });
            }
        }
        Ok(self.contents)
    }
}
