//! Tests on real temp dirs: round trips, conflicts, segments, crash damage, and a model check.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::codec::{self, RecordType};
use crate::record;
use crate::{Entry, HardState, SnapshotMark, Wal, WalError, WalOptions, WalState};

const META: &[u8] = b"member-1/cluster-7";

fn opts(segment_bytes: u64) -> WalOptions {
    WalOptions { segment_bytes }
}

fn entry(index: u64, term: u64) -> Entry {
    Entry {
        index,
        term,
        entry_type: (index % 3) as i32,
        data: format!("put k{index} v{term}").into_bytes(),
        context: vec![index as u8; (index % 4) as usize],
    }
}

fn entries(range: std::ops::RangeInclusive<u64>, term: u64) -> Vec<Entry> {
    range.map(|i| entry(i, term)).collect()
}

fn hs(term: u64, commit: u64) -> HardState {
    HardState {
        term,
        vote: 2,
        commit,
    }
}

fn mark(index: u64, term: u64) -> SnapshotMark {
    SnapshotMark {
        index,
        term,
        voters: vec![1, 2, 3],
        learners: vec![4],
        voters_outgoing: vec![1, 2],
        learners_next: vec![],
        auto_leave: true,
    }
}

fn reopen(dir: &Path, segment_bytes: u64) -> (Wal, WalState) {
    Wal::open(dir, opts(segment_bytes)).expect("reopen")
}

fn wal_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wal"))
        .collect();
    files.sort();
    files
}

/// Length on disk of one entry record.
fn entry_record_len(e: &Entry) -> u64 {
    let mut buf = Vec::new();
    record::append(&mut buf, RecordType::Entry, |out| {
        codec::encode_entry(e, out)
    })
    .unwrap();
    buf.len() as u64
}

fn flip_byte(path: &Path, offset: u64) {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    let mut b = [0u8];
    file.read_exact_at(&mut b, offset).unwrap();
    file.write_all_at(&[b[0] ^ 0x40], offset).unwrap();
}

fn expect_corrupt(dir: &Path, segment_bytes: u64) -> (PathBuf, u64, String) {
    match Wal::open(dir, opts(segment_bytes)) {
        Err(err @ WalError::Corrupt { .. }) => {
            let shown = err.to_string();
            let WalError::Corrupt { file, offset, .. } = err else {
                unreachable!()
            };
            assert!(shown.contains(&file.display().to_string()), "{shown}");
            assert!(shown.contains(&format!("at offset {offset}")), "{shown}");
            (file, offset, shown)
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[test]
fn round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("member").join("wal");
    assert!(!Wal::exists(&dir));
    assert!(matches!(
        Wal::open(&dir, opts(1 << 20)),
        Err(WalError::NotFound { .. })
    ));

    let mut wal = Wal::create(&dir, META, opts(1 << 20)).unwrap();
    assert!(Wal::exists(&dir));
    assert!(matches!(
        Wal::create(&dir, META, opts(1 << 20)),
        Err(WalError::Locked { .. })
    ));
    wal.save(Some(&hs(1, 0)), &entries(1..=5, 1)).unwrap();
    wal.save_snapshot(&mark(3, 1)).unwrap();
    wal.save(None, &entries(6..=7, 1)).unwrap();
    wal.save(Some(&hs(2, 6)), &[]).unwrap();
    wal.save(None, &[]).unwrap();
    drop(wal);
    assert!(matches!(
        Wal::create(&dir, META, opts(1 << 20)),
        Err(WalError::AlreadyExists { .. })
    ));

    let (wal, state) = reopen(&dir, 1 << 20);
    assert!(matches!(
        Wal::open(&dir, opts(1 << 20)),
        Err(WalError::Locked { .. })
    ));
    assert_eq!(
        state,
        WalState {
            metadata: META.to_vec(),
            snapshot: Some(mark(3, 1)),
            hard_state: hs(2, 6),
            entries: entries(4..=7, 1),
        }
    );
    assert_eq!(wal.segment_count(), 1);
    assert_eq!(wal_files(&dir).len(), 1);
    assert!(wal_files(&dir)[0].ends_with("0000000000000000-0000000000000000.wal"));
}

#[test]
fn empty_log_opens_to_default_state() {
    let tmp = tempfile::tempdir().unwrap();
    drop(Wal::create(tmp.path(), b"", opts(4096)).unwrap());
    let (_, state) = reopen(tmp.path(), 4096);
    assert_eq!(state, WalState::default());
}

#[test]
fn conflicting_entries_replace_the_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wal = Wal::create(tmp.path(), META, opts(1 << 20)).unwrap();
    wal.save(None, &entries(1..=10, 1)).unwrap();
    // A new leader overrides 6.. with its own entries.
    wal.save(Some(&hs(2, 5)), &entries(6..=7, 2)).unwrap();
    let err = wal.save(None, &[entry(9, 2)]).unwrap_err();
    assert!(
        matches!(
            err,
            WalError::Gap {
                last_index: 7,
                index: 9
            }
        ),
        "{err}"
    );
    let err = wal.save(None, &[entry(8, 2), entry(10, 2)]).unwrap_err();
    assert!(
        matches!(
            err,
            WalError::Gap {
                last_index: 8,
                index: 10
            }
        ),
        "{err}"
    );
    drop(wal);

    let (mut wal, state) = reopen(tmp.path(), 1 << 20);
    let mut expected = entries(1..=5, 1);
    expected.extend(entries(6..=7, 2));
    assert_eq!(state.entries, expected);
    assert_eq!(state.hard_state, hs(2, 5));
    // The gap rule survives the reopen, and appending continues after the replaced tail.
    assert!(matches!(
        wal.save(None, &[entry(9, 2)]),
        Err(WalError::Gap { .. })
    ));
    wal.save(None, &entries(8..=8, 2)).unwrap();
    wal.save(None, &entries(3..=4, 3)).unwrap();
    drop(wal);
    let (_, state) = reopen(tmp.path(), 1 << 20);
    let mut expected = entries(1..=2, 1);
    expected.extend(entries(3..=4, 3));
    assert_eq!(state.entries, expected);
}

#[test]
fn entries_may_continue_a_snapshot_past_the_log() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wal = Wal::create(tmp.path(), META, opts(1 << 20)).unwrap();
    wal.save(None, &entries(1..=5, 1)).unwrap();
    // A lagging follower is sent a snapshot at 10 and continues after it.
    wal.save_snapshot(&mark(10, 2)).unwrap();
    wal.save(Some(&hs(2, 11)), &entries(11..=12, 2)).unwrap();
    let err = wal.save_snapshot(&mark(9, 2)).unwrap_err();
    assert!(
        matches!(
            err,
            WalError::SnapshotBackwards {
                saved: 10,
                index: 9
            }
        ),
        "{err}"
    );
    drop(wal);
    let (_, state) = reopen(tmp.path(), 1 << 20);
    assert_eq!(state.snapshot, Some(mark(10, 2)));
    assert_eq!(state.entries, entries(11..=12, 2));
}

#[test]
fn an_installed_snapshot_voids_every_entry_saved_before_it() {
    // Small segments too, so that the install is replayed from an older segment than the
    // entries after it.
    for segment_bytes in [1 << 20, 600] {
        let tmp = tempfile::tempdir().unwrap();
        let mut wal = Wal::create(tmp.path(), META, opts(segment_bytes)).unwrap();
        // A member that led in term 1 holds entries to 20 of which the cluster committed 5;
        // the new leader sends it a snapshot at 10 (whose backend may hold more than 10).
        wal.save(Some(&hs(1, 5)), &entries(1..=20, 1)).unwrap();
        wal.save_installed_snapshot(&mark(10, 2)).unwrap();
        drop(wal);
        let (mut wal, state) = reopen(tmp.path(), segment_bytes);
        assert_eq!(state.snapshot, Some(mark(10, 2)));
        assert_eq!(
            state.entries,
            vec![],
            "stale entries past the snapshot are void"
        );
        // The leader's entries follow the snapshot.
        wal.save(Some(&hs(2, 12)), &entries(11..=14, 2)).unwrap();
        // A snapshot this member takes itself keeps the entries after it.
        wal.save_snapshot(&mark(12, 2)).unwrap();
        drop(wal);
        let (_, state) = reopen(tmp.path(), segment_bytes);
        assert_eq!(state.snapshot, Some(mark(12, 2)));
        assert_eq!(
            state.entries,
            entries(13..=14, 2),
            "segment_bytes {segment_bytes}"
        );
    }
}

#[test]
fn many_segments_then_release() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let seg = 600;
    let mut wal = Wal::create(dir, META, opts(seg)).unwrap();
    for i in 1..=120 {
        wal.save(Some(&hs(1, i - 1)), &[entry(i, 1)]).unwrap();
    }
    let before = wal.segment_count();
    assert!(before > 10, "only {before} segments");
    assert_eq!(wal_files(dir).len(), before);

    // Release by entry index only: everything from 60 on must survive.
    wal.release_before(60).unwrap();
    let after = wal.segment_count();
    assert!(after < before);
    assert_eq!(wal_files(dir).len(), after);
    drop(wal);
    let (mut wal, state) = reopen(dir, seg);
    assert_eq!(state.hard_state, hs(1, 119));
    let first = state.entries[0].index;
    assert!(first <= 60 && first > 1, "entries start at {first}");
    assert_eq!(state.entries, entries(first..=120, 1));

    // As the server does: a snapshot, then release everything it covers.
    wal.save_snapshot(&mark(100, 1)).unwrap();
    wal.release_before(101).unwrap();
    wal.save(None, &entries(121..=125, 1)).unwrap();
    drop(wal);
    let (wal, state) = reopen(dir, seg);
    assert_eq!(state.snapshot, Some(mark(100, 1)));
    assert_eq!(state.hard_state, hs(1, 119));
    assert_eq!(state.entries, entries(101..=125, 1));
    assert_eq!(wal.segment_count(), wal_files(dir).len());

    // Releasing past the end keeps the newest segment, which carries the state.
    let mut wal = wal;
    wal.release_before(u64::MAX).unwrap();
    assert_eq!(wal.segment_count(), 1);
    drop(wal);
    let (_, state) = reopen(dir, seg);
    assert_eq!(state.snapshot, Some(mark(100, 1)));
    assert_eq!(state.hard_state, hs(1, 119));
}

/// Small enough that scanning the preallocated zeros of each case stays quick.
const TORN_SEGMENT_BYTES: u64 = 1 << 16;

/// Builds a log whose last save is a batch of two entries and a hard state, and returns the
/// segment path, where that batch starts, and where each of its records ends.
fn log_with_final_batch(dir: &Path) -> (PathBuf, u64, [u64; 3]) {
    let mut wal = Wal::create(dir, META, opts(TORN_SEGMENT_BYTES)).unwrap();
    wal.save(Some(&hs(1, 2)), &entries(1..=3, 1)).unwrap();
    let start = wal.offset;
    let batch = entries(4..=5, 1);
    wal.save(Some(&hs(1, 4)), &batch).unwrap();
    let end4 = start + entry_record_len(&batch[0]);
    let end5 = end4 + entry_record_len(&batch[1]);
    let ends = [end4, end5, wal.offset];
    let path = wal.current().path.clone();
    drop(wal);
    (path, start, ends)
}

/// A torn final write at every byte offset, either cut short (file truncated) or with its
/// tail never written (preallocated zeros): replay keeps exactly the records that are whole,
/// and the log goes on working.
#[test]
fn torn_tail_at_every_offset() {
    let pristine = tempfile::tempdir().unwrap();
    let (path, start, ends) = log_with_final_batch(pristine.path());
    let name = path.file_name().unwrap();
    let original = fs::read(&path).unwrap();
    for cut in start..ends[2] {
        for zero_fill in [false, true] {
            let tmp = tempfile::tempdir().unwrap();
            let seg = tmp.path().join(name);
            fs::copy(&path, &seg).unwrap();
            let file = OpenOptions::new().write(true).open(&seg).unwrap();
            if zero_fill {
                file.write_all_at(&vec![0; (ends[2] - cut) as usize], cut)
                    .unwrap();
            } else {
                file.set_len(cut).unwrap();
            }
            drop(file);

            // Zero-filling changes nothing up to the first nonzero byte it covers.
            let damaged = if zero_fill {
                original[cut as usize..]
                    .iter()
                    .position(|&b| b != 0)
                    .map_or(u64::MAX, |p| cut + p as u64)
            } else {
                cut
            };
            let whole = ends.iter().filter(|&&end| end <= damaged).count();
            let (mut wal, state) = reopen(tmp.path(), TORN_SEGMENT_BYTES);
            let at = format!("cut at {cut}, zero-filled: {zero_fill}");
            assert_eq!(
                state.entries,
                entries(1..=3 + whole.min(2) as u64, 1),
                "{at}"
            );
            assert_eq!(
                state.hard_state,
                if whole == 3 { hs(1, 4) } else { hs(1, 2) },
                "{at}"
            );
            assert_eq!(
                wal.offset,
                whole.checked_sub(1).map_or(start, |i| ends[i]),
                "{at}"
            );

            wal.save(Some(&hs(2, 4)), &entries(4..=4, 2)).unwrap();
            drop(wal);
            let (_, state) = reopen(tmp.path(), TORN_SEGMENT_BYTES);
            let mut expected = entries(1..=3, 1);
            expected.push(entry(4, 2));
            assert_eq!(state.entries, expected, "after append, {at}");
            assert_eq!(state.hard_state, hs(2, 4));
        }
    }
}

#[test]
fn zero_filled_tail_is_the_end() {
    let tmp = tempfile::tempdir().unwrap();
    // Zeros well past the preallocated size, as a filesystem may leave after a crash.
    let mut wal = Wal::create(tmp.path(), META, opts(1 << 20)).unwrap();
    wal.save(Some(&hs(1, 1)), &entries(1..=2, 1)).unwrap();
    let path = wal.current().path.clone();
    drop(wal);
    let file = OpenOptions::new().write(true).open(&path).unwrap();
    let len = file.metadata().unwrap().len();
    file.set_len(len + 100_000).unwrap();
    drop(file);
    let (mut wal, state) = reopen(tmp.path(), 1 << 20);
    assert_eq!(state.entries, entries(1..=2, 1));
    wal.save(None, &entries(3..=3, 1)).unwrap();
    drop(wal);
    assert_eq!(reopen(tmp.path(), 1 << 20).1.entries, entries(1..=3, 1));
}

#[test]
fn a_final_record_ending_in_a_long_run_of_zeros_is_whole() {
    // Replay reads the last segment without the zeros it ends with, cut at a chunk boundary
    // found from the end: here that boundary falls inside the final record's zeros.
    let tmp = tempfile::tempdir().unwrap();
    let mut wal = Wal::create(tmp.path(), META, opts(16 << 20)).unwrap();
    let mut zeros = entry(2, 1);
    zeros.data = vec![0; 3 << 20];
    zeros.context = Vec::new();
    let saved = vec![entry(1, 1), zeros];
    // No hard state: it would follow the entries and end the file's data with nonzero bytes.
    wal.save(None, &saved).unwrap();
    drop(wal);
    let (mut wal, state) = reopen(tmp.path(), 16 << 20);
    assert_eq!(state.entries, saved);
    wal.save(None, &entries(3..=3, 1)).unwrap();
    drop(wal);
    assert_eq!(reopen(tmp.path(), 16 << 20).1.entries.len(), 3);
}

#[test]
fn zeros_at_the_end_of_an_older_segment_are_corrupt() {
    // An older segment was cut to its records before the next one began: zeros after them
    // mean synced records went missing, however many zeros there are.
    for extra in [100_000, 3 << 20] {
        let tmp = tempfile::tempdir().unwrap();
        let mut wal = Wal::create(tmp.path(), META, opts(300)).unwrap();
        for i in 1..=20 {
            wal.save(None, &[entry(i, 1)]).unwrap();
        }
        let files = wal_files(tmp.path());
        drop(wal);
        let file = OpenOptions::new().write(true).open(&files[0]).unwrap();
        let len = file.metadata().unwrap().len();
        file.set_len(len + extra).unwrap();
        drop(file);
        let (file, offset, shown) = expect_corrupt(tmp.path(), 300);
        assert_eq!((file, offset), (files[0].clone(), len), "{extra} zeros");
        assert!(
            shown.ends_with("zero-filled space inside an older segment"),
            "{shown}"
        );
    }
}

#[test]
fn flipped_byte_in_an_early_record_is_corrupt() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wal = Wal::create(tmp.path(), META, opts(1 << 20)).unwrap();
    wal.save(None, &entries(1..=2, 1)).unwrap();
    let third = wal.offset;
    for i in 3..=8 {
        wal.save(Some(&hs(1, i)), &[entry(i, 1)]).unwrap();
    }
    let path = wal.current().path.clone();
    drop(wal);

    // In the payload: the record's crc fails, and valid records follow.
    flip_byte(&path, third + 20);
    let (file, offset, shown) = expect_corrupt(tmp.path(), 1 << 20);
    assert_eq!((file, offset), (path.clone(), third));
    assert!(shown.ends_with("crc mismatch"), "{shown}");
    flip_byte(&path, third + 20);

    // In the length field: the header's own crc catches it before the length is trusted.
    flip_byte(&path, third + 1);
    let (_, offset, shown) = expect_corrupt(tmp.path(), 1 << 20);
    assert_eq!(offset, third);
    assert!(shown.ends_with("header crc mismatch"), "{shown}");
    flip_byte(&path, third + 1);

    assert_eq!(reopen(tmp.path(), 1 << 20).1.entries, entries(1..=8, 1));
}

#[test]
fn damage_in_an_older_segment_is_corrupt() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wal = Wal::create(tmp.path(), META, opts(300)).unwrap();
    let mut last_in_first = None;
    for i in 1..=20 {
        let at = wal.offset;
        wal.save(None, &[entry(i, 1)]).unwrap();
        if wal.segment_count() == 2 && last_in_first.is_none() {
            last_in_first = Some((i, at));
        }
    }
    let (i, at) = last_in_first.unwrap();
    let files = wal_files(tmp.path());
    drop(wal);
    // Even the final record of an older segment was synced before the next segment began,
    // so it cannot be a torn write.
    flip_byte(&files[0], at + 20);
    let (file, offset, _) = expect_corrupt(tmp.path(), 300);
    assert_eq!((file, offset), (files[0].clone(), at), "entry {i}");
    flip_byte(&files[0], at + 20);

    // A missing segment in the middle of the chain.
    let saved = fs::read(&files[1]).unwrap();
    fs::remove_file(&files[1]).unwrap();
    let (file, _, _) = expect_corrupt(tmp.path(), 300);
    assert_eq!(file, files[2]);
    fs::write(&files[1], saved).unwrap();
    assert_eq!(reopen(tmp.path(), 300).1.entries, entries(1..=20, 1));
}

/// A crash can lose a whole sector of the write in flight while its later sectors reached
/// the disk: that write is torn, not corrupt. A non-zero change at the same place, or the
/// same zeros followed by a later write (so this one was synced), is corruption.
#[test]
fn lost_sector_in_the_final_write_is_torn() {
    for (later_write, zeros) in [(false, true), (false, false), (true, true)] {
        let tmp = tempfile::tempdir().unwrap();
        let mut wal = Wal::create(tmp.path(), META, opts(1 << 20)).unwrap();
        wal.save(Some(&hs(1, 1)), &entries(1..=2, 1)).unwrap();
        let start = wal.offset;
        let big = |i: u64| Entry {
            data: vec![7; 1500],
            ..entry(i, 1)
        };
        wal.save(Some(&hs(1, 5)), &[big(3), big(4), big(5)])
            .unwrap();
        if later_write {
            wal.save(None, &entries(6..=6, 1)).unwrap();
        }
        let path = wal.current().path.clone();
        drop(wal);
        let sector = start.next_multiple_of(512);
        assert!(
            sector + 512 < start + 1500,
            "the sector lies inside entry 3"
        );

        if zeros {
            let file = OpenOptions::new().write(true).open(&path).unwrap();
            file.write_all_at(&[0; 512], sector).unwrap();
        } else {
            flip_byte(&path, sector);
        }
        if later_write || !zeros {
            let (file, offset, _) = expect_corrupt(tmp.path(), 1 << 20);
            assert_eq!((file, offset), (path, start));
        } else {
            let (_, state) = reopen(tmp.path(), 1 << 20);
            assert_eq!(state.entries, entries(1..=2, 1));
            assert_eq!(state.hard_state, hs(1, 1));
        }
    }
}

#[test]
fn unfinished_segment_creation_is_cleaned_up() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wal = Wal::create(tmp.path(), META, opts(1 << 20)).unwrap();
    wal.save(None, &entries(1..=2, 1)).unwrap();
    drop(wal);
    let tmp_segment = tmp.path().join("0000000000000001-0000000000000003.wal.tmp");
    fs::write(&tmp_segment, b"half a segment").unwrap();
    let (_, state) = reopen(tmp.path(), 1 << 20);
    assert_eq!(state.entries, entries(1..=2, 1));
    assert!(!tmp_segment.exists());
}

/// What the log must return, kept the simplest way.
#[derive(Default)]
struct Model {
    snapshot: Option<SnapshotMark>,
    hard_state: HardState,
    entries: BTreeMap<u64, Entry>,
    /// The highest index passed to release_before: entries below it may be gone.
    released_below: u64,
}

impl Model {
    fn last_index(&self) -> u64 {
        let last_entry = self.entries.keys().next_back().copied().unwrap_or(0);
        last_entry.max(self.snapshot.as_ref().map_or(0, |s| s.index))
    }

    fn expected_entries(&self) -> Vec<Entry> {
        let after = self.snapshot.as_ref().map_or(0, |s| s.index);
        self.entries
            .range(after + 1..)
            .map(|(_, e)| e.clone())
            .collect()
    }

    fn check(&self, state: &WalState) {
        assert_eq!(state.metadata, META);
        assert_eq!(state.snapshot, self.snapshot);
        assert_eq!(state.hard_state, self.hard_state);
        let expected = self.expected_entries();
        // Released entries may be missing, but only from the front, and only below the bound.
        let missing = expected
            .len()
            .checked_sub(state.entries.len())
            .expect("more entries than saved");
        assert_eq!(state.entries[..], expected[missing..]);
        assert!(expected[..missing]
            .iter()
            .all(|e| e.index < self.released_below));
    }
}

#[derive(Debug, Clone)]
enum Op {
    Save {
        back: u64,
        count: u64,
        term: u64,
        hard_state: bool,
        data_len: usize,
    },
    Snapshot {
        pick: u64,
    },
    Release {
        pick: u64,
    },
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    let save = (0..4u64, 0..5u64, 1..4u64, any::<bool>(), 0..60usize).prop_map(
        |(back, count, term, hard_state, data_len)| Op::Save {
            back,
            count,
            term,
            hard_state,
            data_len,
        },
    );
    prop_oneof![
        6 => save,
        1 => any::<u64>().prop_map(|pick| Op::Snapshot { pick }),
        1 => any::<u64>().prop_map(|pick| Op::Release { pick }),
        1 => Just(Op::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn matches_model(ops in prop::collection::vec(op(), 1..40)) {
        let seg = 400;
        let tmp = tempfile::tempdir().unwrap();
        let mut wal = Wal::create(tmp.path(), META, opts(seg)).unwrap();
        let mut model = Model::default();
        for op in ops {
            match op {
                Op::Save { back, count, term, hard_state, data_len } => {
                    let first = (model.last_index() + 1).saturating_sub(back).max(1);
                    let batch: Vec<Entry> = (first..first + count)
                        .map(|i| Entry { data: vec![i as u8; data_len], ..entry(i, term) })
                        .collect();
                    let hs = hard_state.then_some(HardState { term, vote: 1, commit: first });
                    wal.save(hs.as_ref(), &batch).unwrap();
                    if let Some(hs) = hs {
                        model.hard_state = hs;
                    }
                    for e in batch {
                        model.entries.split_off(&e.index);
                        model.entries.insert(e.index, e);
                    }
                }
                Op::Snapshot { pick } => {
                    // Anywhere from the current mark to a little past the log's end.
                    let low = model.snapshot.as_ref().map_or(0, |s| s.index);
                    let index = low + pick % (model.last_index() + 3 - low);
                    let m = SnapshotMark { voters: vec![pick % 5], ..mark(index, 1) };
                    wal.save_snapshot(&m).unwrap();
                    model.snapshot = Some(m);
                }
                Op::Release { pick } => {
                    let index = pick % (model.last_index() + 3);
                    wal.release_before(index).unwrap();
                    model.released_below = model.released_below.max(index);
                }
                Op::Reopen => {
                    drop(wal);
                    let (reopened, state) = reopen(tmp.path(), seg);
                    model.check(&state);
                    wal = reopened;
                }
            }
            prop_assert_eq!(wal.segment_count(), wal_files(tmp.path()).len());
        }
        drop(wal);
        model.check(&reopen(tmp.path(), seg).1);
    }
}

/// Bytes the file system has allocated to `path` (a sparse file's holes take none).
fn allocated_bytes(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().blocks() * 512
}

/// A segment's preallocated space is allocated, not a hole: appends into a hole make each
/// fdatasync also commit the block allocation. Checked for a new log's segment, a segment the
/// log rolls over to, and one cut back after a torn tail.
#[cfg(target_os = "linux")]
#[test]
fn segments_are_preallocated_with_their_blocks() {
    let tmp = tempfile::tempdir().unwrap();
    let seg = 1 << 20;
    let mut wal = Wal::create(tmp.path(), META, opts(seg)).unwrap();
    let first = wal.current().path.clone();
    assert_eq!(std::fs::metadata(&first).unwrap().len(), seg);
    assert!(
        allocated_bytes(&first) >= seg,
        "{}",
        allocated_bytes(&first)
    );
    let big = Entry {
        data: vec![7; seg as usize],
        ..entry(1, 1)
    };
    wal.save(Some(&hs(1, 1)), &[big]).unwrap();
    wal.save(None, &entries(2..=2, 1)).unwrap();
    let second = wal.current().path.clone();
    assert_ne!(first, second);
    assert!(
        allocated_bytes(&second) >= seg,
        "{}",
        allocated_bytes(&second)
    );
    // A torn tail: the last write cut short, as a crash leaves it.
    let torn_from = wal.offset;
    wal.save(None, &entries(3..=3, 1)).unwrap();
    drop(wal);
    let file = OpenOptions::new().write(true).open(&second).unwrap();
    file.set_len(torn_from + 5).unwrap();
    drop(file);
    let (_wal, state) = reopen(tmp.path(), seg);
    assert_eq!(state.entries.len(), 2);
    assert_eq!(std::fs::metadata(&second).unwrap().len(), seg);
    assert!(
        allocated_bytes(&second) >= seg,
        "{}",
        allocated_bytes(&second)
    );
}
