//! Synthetic segments written to the format, for the cases a live etcd rarely produces:
//! several segments, overwritten suffixes, gaps and every kind of damage.

use std::path::Path;

use prost::Message;

use super::*;
use crate::pb;

/// Writes frames as etcd's encoder does: CRC chained over the data of every non-crc record.
struct Writer {
    buf: Vec<u8>,
    chain: u32,
}

impl Writer {
    /// A segment that opens with the chain's value so far, as every etcd segment does.
    fn segment(chain: u32) -> Self {
        let mut w = Writer {
            buf: Vec::new(),
            chain,
        };
        w.raw(4, chain, &[]);
        w
    }

    fn raw(&mut self, record_type: i64, crc: u32, data: &[u8]) {
        let bytes = pb::Record {
            record_type,
            crc,
            data: data.to_vec(),
        }
        .encode_to_vec();
        let pad = (8 - bytes.len() % 8) % 8;
        let mut word = bytes.len() as u64;
        if pad != 0 {
            word |= (0x80 | pad as u64) << 56;
        }
        self.buf.extend_from_slice(&word.to_le_bytes());
        self.buf.extend_from_slice(&bytes);
        self.buf.extend(std::iter::repeat_n(0, pad));
    }

    fn record(&mut self, record_type: i64, data: &[u8]) -> usize {
        let offset = self.buf.len();
        self.chain = crc32c::crc32c_append(self.chain, data);
        self.raw(record_type, self.chain, data);
        offset
    }

    fn metadata(&mut self, node_id: u64, cluster_id: u64) {
        self.record(
            1,
            &pb::Metadata {
                node_id,
                cluster_id,
            }
            .encode_to_vec(),
        );
    }

    fn entry(&mut self, term: u64, index: u64, data: &[u8]) -> usize {
        let e = pb::Entry {
            entry_type: 0,
            term,
            index,
            data: data.to_vec(),
        };
        self.record(2, &e.encode_to_vec())
    }

    fn state(&mut self, term: u64, commit: u64) {
        self.record(
            3,
            &pb::HardState {
                term,
                vote: 1,
                commit,
            }
            .encode_to_vec(),
        );
    }

    fn mark(&mut self, index: u64, term: u64) {
        self.record(5, &pb::WalSnapshot { index, term }.encode_to_vec());
    }

    /// The segment with the zero-filled preallocated tail etcd leaves.
    fn save(&self, dir: &Path, seq: u64, index: u64) {
        let mut bytes = self.buf.clone();
        bytes.resize(bytes.len() + 4096, 0);
        std::fs::write(dir.join(format!("{seq:016x}-{index:016x}.wal")), bytes).unwrap();
    }
}

/// Segment 0 holds entries 1..=5 and a mark at 3; segment 1 (starting at 6) holds 6..=8.
fn two_segments(dir: &Path) -> (Writer, Writer) {
    let mut first = Writer::segment(0);
    first.metadata(7, 9);
    first.mark(0, 0);
    for i in 1..=5 {
        first.entry(2, i, format!("value-{i}").as_bytes());
    }
    first.state(2, 5);
    first.mark(3, 2);
    first.save(dir, 0, 0);
    let mut second = Writer::segment(first.chain);
    second.metadata(7, 9);
    second.state(2, 5);
    for i in 6..=8 {
        second.entry(2, i, format!("value-{i}").as_bytes());
    }
    second.state(2, 8);
    second.save(dir, 1, 6);
    (first, second)
}

fn indexes(c: &WalContents) -> Vec<u64> {
    c.entries.iter().map(|e| e.index).collect()
}

#[test]
fn reads_a_chain_of_segments() {
    let dir = tempfile::tempdir().unwrap();
    two_segments(dir.path());
    let c = read_wal(dir.path(), None).unwrap();
    assert_eq!((c.node_id, c.cluster_id), (7, 9));
    assert_eq!(indexes(&c), (1..=8).collect::<Vec<_>>());
    assert_eq!(c.entries[7].data, b"value-8");
    assert_eq!(
        c.hard_state,
        HardState {
            term: 2,
            vote: 1,
            commit: 8
        }
    );
    assert_eq!(
        c.snapshot_marks,
        vec![
            SnapshotMark { index: 0, term: 0 },
            SnapshotMark { index: 3, term: 2 }
        ]
    );
    assert!(!c.torn_tail);

    let c = read_wal(dir.path(), Some(SnapshotMark { index: 3, term: 2 })).unwrap();
    assert_eq!(indexes(&c), vec![4, 5, 6, 7, 8]);
}

#[test]
fn starting_past_the_first_segment_reads_only_the_later_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut second) = two_segments(dir.path());
    second.mark(7, 2);
    second.save(dir.path(), 1, 6);
    // A broken first segment proves it is not read.
    std::fs::write(
        dir.path().join(format!("{:016x}-{:016x}.wal", 0, 0)),
        [1u8; 64],
    )
    .unwrap();
    let c = read_wal(dir.path(), Some(SnapshotMark { index: 7, term: 2 })).unwrap();
    assert_eq!(indexes(&c), vec![8]);
    assert_eq!((c.node_id, c.cluster_id), (7, 9));
}

#[test]
fn a_missing_or_mismatched_mark_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    two_segments(dir.path());
    let err = read_wal(dir.path(), Some(SnapshotMark { index: 4, term: 2 })).unwrap_err();
    assert!(
        matches!(err, EtcdWalError::MissingSnapshotMark { index: 4, .. }),
        "{err}"
    );
    let err = read_wal(dir.path(), Some(SnapshotMark { index: 3, term: 1 })).unwrap_err();
    assert!(
        matches!(err, EtcdWalError::SnapshotMismatch { found_term: 2, .. }),
        "{err}"
    );
}

#[test]
fn later_entries_overwrite_the_tail() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Writer::segment(0);
    w.metadata(1, 1);
    for i in 1..=4 {
        w.entry(1, i, b"old");
    }
    w.entry(2, 3, b"new");
    w.save(dir.path(), 0, 0);
    let c = read_wal(dir.path(), None).unwrap();
    assert_eq!(indexes(&c), vec![1, 2, 3]);
    assert_eq!(c.entries[2].data, b"new");
    assert_eq!(c.entries[2].term, 2);
}

#[test]
fn a_gap_in_the_log_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Writer::segment(0);
    w.metadata(1, 1);
    w.entry(1, 1, b"a");
    let offset = w.entry(1, 3, b"c");
    w.save(dir.path(), 0, 0);
    let err = read_wal(dir.path(), None).unwrap_err();
    match err {
        EtcdWalError::EntryGap {
            offset: at,
            index: 3,
            expected: 2,
            ..
        } => {
            assert_eq!(at, offset as u64)
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_missing_segment_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = two_segments(dir.path());
    std::fs::remove_file(dir.path().join(format!("{:016x}-{:016x}.wal", 1, 6))).unwrap();
    let mut third = Writer::segment(first.chain);
    third.metadata(7, 9);
    third.save(dir.path(), 2, 9);
    let err = read_wal(dir.path(), None).unwrap_err();
    assert!(
        matches!(
            err,
            EtcdWalError::MissingSegment {
                previous: 0,
                next: 2,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_broken_chain_between_segments_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = two_segments(dir.path());
    let mut second = Writer::segment(first.chain ^ 1);
    second.metadata(7, 9);
    second.save(dir.path(), 1, 6);
    let err = read_wal(dir.path(), None).unwrap_err();
    assert!(
        matches!(err, EtcdWalError::CrcMismatch { offset: 0, .. }),
        "{err}"
    );
}

#[test]
fn conflicting_metadata_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = two_segments(dir.path());
    let mut second = Writer::segment(first.chain);
    second.metadata(8, 9);
    second.save(dir.path(), 1, 6);
    let err = read_wal(dir.path(), None).unwrap_err();
    assert!(
        matches!(err, EtcdWalError::MetadataConflict { .. }),
        "{err}"
    );
}

#[test]
fn an_unknown_record_type_names_its_offset() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Writer::segment(0);
    w.metadata(1, 1);
    let offset = w.record(9, b"?");
    w.save(dir.path(), 0, 0);
    let err = read_wal(dir.path(), None).unwrap_err();
    match err {
        EtcdWalError::UnknownRecordType {
            offset: at,
            record_type: 9,
            ..
        } => {
            assert_eq!(at, offset as u64)
        }
        other => panic!("{other}"),
    }
}

/// Damage `damage` does to a copy of a two-segment WAL's segment `seq`.
fn damaged(seq: u64, damage: impl FnOnce(&mut Vec<u8>)) -> Result<WalContents, EtcdWalError> {
    let dir = tempfile::tempdir().unwrap();
    two_segments(dir.path());
    let name = if seq == 0 { (0, 0) } else { (1, 6) };
    let path = dir
        .path()
        .join(format!("{:016x}-{:016x}.wal", name.0, name.1));
    let mut bytes = std::fs::read(&path).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, bytes).unwrap();
    read_wal(dir.path(), None)
}

/// The offset where the segment's zero tail starts.
fn used(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .rposition(|&b| b != 0)
        .map_or(0, |p| p + 1)
        .next_multiple_of(8)
}

#[test]
fn a_torn_tail_of_the_last_segment_ends_the_log() {
    // Cut mid-record.
    let c = damaged(1, |b| b.truncate(used(b) - 5)).unwrap();
    assert!(c.torn_tail);
    assert_eq!(
        indexes(&c),
        (1..=8).collect::<Vec<_>>(),
        "the cut record was the state"
    );
    // A record whose last sector never reached the disk: a frame pointing into zeros.
    let c = damaged(1, |b| {
        let end = used(b);
        let frame = 600u64;
        b[end..end + 8].copy_from_slice(&frame.to_le_bytes());
        b[end + 8..end + 16].copy_from_slice(&[0x08, 0x02, 0x10, 0x01, 0x1a, 0xc8, 0x04, 0x01]);
        b.resize(end + 2048, 0);
    })
    .unwrap();
    assert!(c.torn_tail);
    assert_eq!(c.hard_state.commit, 8);
}

#[test]
fn the_same_damage_in_an_earlier_segment_is_an_error() {
    let err = damaged(0, |b| b.truncate(used(b) - 5)).unwrap_err();
    assert!(matches!(err, EtcdWalError::BadLength { .. }), "{err}");
}

#[test]
fn a_flipped_byte_is_a_crc_error_at_its_record() {
    let mut w = Writer::segment(0);
    w.metadata(1, 1);
    let offset = w.entry(1, 1, b"some value long enough");
    let mut bytes = w.buf.clone();
    let at = offset + 8 + 20;
    bytes[at] ^= 0x40;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{:016x}-{:016x}.wal", 0, 0)),
        &bytes,
    )
    .unwrap();
    match read_wal(dir.path(), None).unwrap_err() {
        EtcdWalError::CrcMismatch {
            offset: got, path, ..
        } => {
            assert_eq!(got, offset as u64);
            assert!(path.ends_with("0000000000000000-0000000000000000.wal"));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn no_damage_panics() {
    let dir = tempfile::tempdir().unwrap();
    two_segments(dir.path());
    let path = dir.path().join(format!("{:016x}-{:016x}.wal", 1, 6));
    let clean = std::fs::read(&path).unwrap();
    let end = used(&clean);
    for at in 0..end {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bytes = clean.clone();
            bytes[at] ^= flip;
            std::fs::write(&path, &bytes).unwrap();
            let _ = read_wal(dir.path(), None);
        }
        std::fs::write(&path, &clean[..at]).unwrap();
        let _ = read_wal(dir.path(), None);
    }
}

fn write_snap(dir: &Path, term: u64, index: u64, voters: Vec<u64>) -> std::path::PathBuf {
    let snap = pb::RaftSnapshot {
        data: format!("{{\"index\":{index}}}").into_bytes(),
        metadata: Some(pb::SnapshotMetadata {
            conf_state: Some(pb::ConfState {
                voters,
                learners: vec![],
            }),
            index,
            term,
        }),
    }
    .encode_to_vec();
    let file = pb::SnapFile {
        crc: crc32c::crc32c(&snap),
        data: snap,
    };
    let path = dir.join(format!("{term:016x}-{index:016x}.snap"));
    std::fs::write(&path, file.encode_to_vec()).unwrap();
    path
}

#[test]
fn the_newest_valid_snap_wins() {
    let dir = tempfile::tempdir().unwrap();
    assert!(read_latest_snap(dir.path()).unwrap().is_none());
    write_snap(dir.path(), 2, 10, vec![5]);
    let newer = write_snap(dir.path(), 2, 20, vec![5, 6]);
    std::fs::write(dir.path().join("db"), b"not a snapshot").unwrap();
    let (path, snap) = read_latest_snap(dir.path()).unwrap().unwrap();
    assert_eq!(path, newer);
    assert_eq!((snap.index, snap.term, snap.voters), (20, 2, vec![5, 6]));
    assert_eq!(snap.data, b"{\"index\":20}");

    let mut bytes = std::fs::read(&newer).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(&newer, &bytes).unwrap();
    assert!(matches!(
        read_snap(&newer),
        Err(EtcdWalError::CrcMismatch { .. })
    ));
    let (_, snap) = read_latest_snap(dir.path()).unwrap().unwrap();
    assert_eq!(snap.index, 10);

    std::fs::write(dir.path().join(format!("{:016x}-{:016x}.snap", 3, 1)), b"").unwrap();
    let (_, snap) = read_latest_snap(dir.path()).unwrap().unwrap();
    assert_eq!(snap.index, 10, "an empty newer file is skipped too");
}
