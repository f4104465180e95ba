//! The log itself: create, replay, append, cut segments, release old ones.

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::codec::{self, Payload, RecordType};
use crate::error::WalError;
use crate::record::{self, End};
use crate::segment::{self, Segment};
use crate::types::{Entry, HardState, SnapshotMark, WalOptions, WalState};

/// An open write-ahead log: appends to the newest segment of its directory.
///
/// Invariants: `segments` is never empty and its sequence numbers are consecutive; `file` is
/// the last segment, whose valid records end exactly at `offset` (zeros follow, if anything);
/// `hard_state`, `snapshot` and `last_entry_index` are what a replay would rebuild.
#[derive(Debug)]
pub struct Wal {
    dir: PathBuf,
    opts: WalOptions,
    metadata: Vec<u8>,
    /// Holds the directory lock for as long as the log is open.
    _lock: File,
    segments: Vec<Segment>,
    file: File,
    pub(crate) offset: u64,
    hard_state: HardState,
    snapshot: Option<SnapshotMark>,
    /// Index of the last entry saved; before any entry, the index the log starts after.
    last_entry_index: u64,
    /// Set when a write or sync failed: after that, what is on disk is unknown.
    poisoned: bool,
    last_write: WriteTimes,
    /// The segment and offset the last write started at.
    last_write_at: Option<(PathBuf, u64)>,
    /// The next fdatasync reports an error (tests only).
    #[cfg(feature = "fault-injection")]
    fail_next_sync: bool,
}

/// One write to the log: its bytes, the write itself and its fsync (zero before the first).
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteTimes {
    pub bytes: u64,
    pub write: std::time::Duration,
    pub sync: std::time::Duration,
}

impl Wal {
    /// Whether `dir` holds at least one segment (so [`Wal::open`], not [`Wal::create`], applies).
    pub fn exists(dir: &Path) -> bool {
        segment::list(dir).is_ok_and(|segments| !segments.is_empty())
    }

    /// Creates a new log in `dir` (created if missing, and must hold no segments), whose every
    /// segment will carry `metadata`.
    pub fn create(dir: &Path, metadata: &[u8], opts: WalOptions) -> Result<Wal, WalError> {
        fs::create_dir_all(dir).map_err(WalError::io(dir))?;
        // The directory entry itself must survive a crash, not only the files in it.
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        segment::sync_dir(parent)?;
        let lock = segment::lock_dir(dir)?;
        if !segment::list(dir)?.is_empty() {
            return Err(WalError::AlreadyExists {
                dir: dir.to_path_buf(),
            });
        }
        segment::remove_unfinished(dir)?;
        let first = Segment::new(dir, 0, 0);
        let hard_state = HardState::default();
        let (file, offset) = start_segment(&first, metadata, &hard_state, None, opts)?;
        Ok(Wal {
            dir: dir.to_path_buf(),
            opts,
            metadata: metadata.to_vec(),
            _lock: lock,
            segments: vec![first],
            file,
            offset,
            hard_state,
            snapshot: None,
            last_entry_index: 0,
            poisoned: false,
            last_write: WriteTimes::default(),
            last_write_at: None,
            #[cfg(feature = "fault-injection")]
            fail_next_sync: false,
        })
    }

    /// Replays every segment in `dir` and returns the log, ready to append, with what it held.
    ///
    /// A torn tail of the last segment (a crash mid-append) is truncated away with a warning;
    /// any other damage is [`WalError::Corrupt`].
    pub fn open(dir: &Path, opts: WalOptions) -> Result<(Wal, WalState), WalError> {
        let not_found = || WalError::NotFound {
            dir: dir.to_path_buf(),
        };
        if !Wal::exists(dir) {
            return Err(not_found());
        }
        let lock = segment::lock_dir(dir)?;
        segment::remove_unfinished(dir)?;
        let segments = segment::list(dir)?;
        let first = segments.first().ok_or_else(not_found)?;
        let mut replay = Replay::starting_after(first.first_index.saturating_sub(1));
        let mut tail = (0, false);
        for (i, seg) in segments.iter().enumerate() {
            if i > 0 && seg.seq != segments[i - 1].seq + 1 {
                return Err(corrupt(seg, 0, "the segment before it is missing"));
            }
            tail = replay.segment(seg, i + 1 == segments.len())?;
        }
        let (offset, torn) = tail;
        let last = segments.last().expect("checked non-empty above");
        let file = OpenOptions::new()
            .write(true)
            .open(&last.path)
            .map_err(WalError::io(&last.path))?;
        if torn {
            // Cut the torn bytes off for good (appending shorter records over them could
            // leave a stale valid record after the new ones), then preallocate again.
            file.set_len(offset)
                .and_then(|()| segment::preallocate(&file, offset.max(opts.segment_bytes)))
                .and_then(|()| file.sync_all())
                .map_err(WalError::io(&last.path))?;
        }
        let last_entry_index = replay.last_entry_index();
        let Replay {
            metadata,
            snapshot,
            hard_state,
            mut entries,
            ..
        } = replay;
        let metadata = metadata.expect("every segment starts with metadata, checked above");
        if let Some(mark) = &snapshot {
            entries.retain(|e| e.index > mark.index);
        }
        let wal = Wal {
            dir: dir.to_path_buf(),
            opts,
            metadata: metadata.clone(),
            _lock: lock,
            segments,
            file,
            offset,
            hard_state,
            snapshot: snapshot.clone(),
            last_entry_index,
            poisoned: false,
            last_write: WriteTimes::default(),
            last_write_at: None,
            #[cfg(feature = "fault-injection")]
            fail_next_sync: false,
        };
        Ok((
            wal,
            WalState {
                metadata,
                snapshot,
                hard_state,
                entries,
            },
        ))
    }

    /// Appends the entries and the hard state (either may be empty/None) and makes them
    /// durable with ONE fdatasync.
    ///
    /// The entries must be consecutive, and the first may not skip past the log's last index
    /// (the last entry's, or the snapshot's if newer); it may go back, replacing every saved
    /// entry from its index on, as raft does when a leader overrides a follower's log.
    pub fn save(
        &mut self,
        hard_state: Option<&HardState>,
        entries: &[Entry],
    ) -> Result<(), WalError> {
        self.check_usable()?;
        let mut last = self.last_index();
        for (i, e) in entries.iter().enumerate() {
            let follows = if i == 0 {
                e.index <= last.saturating_add(1)
            } else {
                last.checked_add(1) == Some(e.index)
            };
            if !follows {
                return Err(WalError::Gap {
                    last_index: last,
                    index: e.index,
                });
            }
            last = e.index;
        }
        if hard_state.is_none() && entries.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::new();
        for e in entries {
            record::append(&mut buf, RecordType::Entry, |out| {
                codec::encode_entry(e, out)
            })?;
        }
        // The hard state goes after the entries: a torn write keeps only a prefix, so a
        // commit index on disk never points past entries that did not make it.
        if let Some(hs) = hard_state {
            record::append(&mut buf, RecordType::HardState, |out| {
                codec::encode_hard_state(hs, out)
            })?;
        }
        self.write_synced(&buf)?;
        if let Some(e) = entries.last() {
            self.last_entry_index = e.index;
        }
        if let Some(hs) = hard_state {
            self.hard_state = *hs;
        }
        self.cut_if_full()
    }

    /// Records where a snapshot was taken; durable when it returns. Marks may not go back.
    pub fn save_snapshot(&mut self, mark: &SnapshotMark) -> Result<(), WalError> {
        self.save_mark(mark, RecordType::Snapshot)
    }

    /// Records a snapshot received from the leader, which replaces the log: every entry saved
    /// before it is void from here on, even past its index (entries of a term the leader
    /// overwrote, which raft dropped with the rest of its log when it took the snapshot), so a
    /// restart cannot mistake them for the leader's. Durable when it returns.
    pub fn save_installed_snapshot(&mut self, mark: &SnapshotMark) -> Result<(), WalError> {
        self.save_mark(mark, RecordType::Installed)
    }

    fn save_mark(&mut self, mark: &SnapshotMark, kind: RecordType) -> Result<(), WalError> {
        self.check_usable()?;
        if let Some(saved) = &self.snapshot {
            if mark.index < saved.index {
                return Err(WalError::SnapshotBackwards {
                    saved: saved.index,
                    index: mark.index,
                });
            }
        }
        let mut buf = Vec::new();
        record::append(&mut buf, kind, |out| codec::encode_snapshot(mark, out))?;
        self.write_synced(&buf)?;
        self.snapshot = Some(mark.clone());
        if kind == RecordType::Installed {
            // The entries before it are void: the next one continues the snapshot.
            self.last_entry_index = mark.index;
        }
        self.cut_if_full()
    }

    /// Deletes whole segments no longer needed: every entry in them has index < `index`, and a
    /// newer segment exists. After it, [`Wal::open`] still returns the newest snapshot mark,
    /// hard state and all entries >= `index` that were saved.
    pub fn release_before(&mut self, index: u64) -> Result<(), WalError> {
        self.check_usable()?;
        // Entries live in a segment all precede the next segment's first_index (see
        // Segment::first_index); the last segment always stays, carrying the newest state.
        let releasable = self
            .segments
            .windows(2)
            .take_while(|w| w[1].first_index <= index)
            .count();
        if releasable == 0 {
            return Ok(());
        }
        // Oldest first, so a crash halfway still leaves a consecutive chain.
        for _ in 0..releasable {
            let path = &self.segments[0].path;
            fs::remove_file(path).map_err(WalError::io(path))?;
            self.segments.remove(0);
        }
        segment::sync_dir(&self.dir)
    }

    /// How many segment files the log spans.
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// The log's last index: of the last entry, or of the snapshot if that is newer.
    fn last_index(&self) -> u64 {
        log_last_index(self.last_entry_index, self.snapshot.as_ref())
    }

    fn check_usable(&self) -> Result<(), WalError> {
        if self.poisoned {
            return Err(WalError::Poisoned);
        }
        Ok(())
    }

    /// What the last [`Wal::save`] (or snapshot mark) wrote and how long it took.
    pub fn last_write(&self) -> WriteTimes {
        self.last_write
    }

    /// Where the last [`Wal::save`] (or snapshot mark) wrote: its segment file and the offset it
    /// started at (it wrote `last_write().bytes` from there). Crash tests tear it.
    pub fn last_write_at(&self) -> Option<(&Path, u64)> {
        self.last_write_at.as_ref().map(|(p, o)| (p.as_path(), *o))
    }

    /// Makes the next fdatasync fail after its write, as a disk error would: the log poisons
    /// itself, and the bytes written may or may not be on disk.
    #[cfg(feature = "fault-injection")]
    pub fn fail_next_sync(&mut self) {
        self.fail_next_sync = true;
    }

    fn sync_data(&mut self) -> std::io::Result<()> {
        #[cfg(feature = "fault-injection")]
        if std::mem::take(&mut self.fail_next_sync) {
            return Err(std::io::Error::other("injected fdatasync failure"));
        }
        self.file.sync_data()
    }

    fn write_synced(&mut self, buf: &[u8]) -> Result<(), WalError> {
        self.last_write_at = Some((self.current().path.clone(), self.offset));
        let started = std::time::Instant::now();
        let written = self.file.write_all_at(buf, self.offset);
        let result = written.and_then(|()| {
            let written = started.elapsed();
            let synced = self.sync_data();
            self.last_write = WriteTimes {
                bytes: buf.len() as u64,
                write: written,
                sync: started.elapsed().saturating_sub(written),
            };
            synced
        });
        if let Err(e) = result {
            self.poisoned = true;
            return Err(WalError::io(&self.current().path)(e));
        }
        self.offset += buf.len() as u64;
        Ok(())
    }

    /// Starts a new segment once the current one has grown past `segment_bytes`.
    fn cut_if_full(&mut self) -> Result<(), WalError> {
        if self.offset <= self.opts.segment_bytes {
            return Ok(());
        }
        // Until the new segment is in place, the segment list may not match the disk.
        self.poisoned = true;
        let current = self.current().clone();
        // Only the last segment may end in zeros (replay relies on it): trim any
        // preallocation left larger than what was written (segment_bytes shrank since).
        let len = self
            .file
            .metadata()
            .map_err(WalError::io(&current.path))?
            .len();
        if len > self.offset {
            self.file
                .set_len(self.offset)
                .and_then(|()| self.file.sync_data())
                .map_err(WalError::io(&current.path))?;
        }
        let next = Segment::new(
            &self.dir,
            current.seq + 1,
            self.last_index().saturating_add(1),
        );
        let (file, offset) = start_segment(
            &next,
            &self.metadata,
            &self.hard_state,
            self.snapshot.as_ref(),
            self.opts,
        )?;
        self.file = file;
        self.offset = offset;
        self.segments.push(next);
        self.poisoned = false;
        Ok(())
    }

    pub(crate) fn current(&self) -> &Segment {
        self.segments.last().expect("a Wal always has a segment")
    }
}

/// Creates `seg` beginning with the records that make it self-sufficient (metadata, current
/// hard state and snapshot mark), so every older segment can be released. Returns the file
/// and the offset where appends go.
fn start_segment(
    seg: &Segment,
    metadata: &[u8],
    hard_state: &HardState,
    snapshot: Option<&SnapshotMark>,
    opts: WalOptions,
) -> Result<(File, u64), WalError> {
    let mut buf = Vec::new();
    record::append(&mut buf, RecordType::Metadata, |out| {
        codec::encode_metadata(metadata, out)
    })?;
    record::append(&mut buf, RecordType::HardState, |out| {
        codec::encode_hard_state(hard_state, out)
    })?;
    if let Some(mark) = snapshot {
        record::append(&mut buf, RecordType::Snapshot, |out| {
            codec::encode_snapshot(mark, out)
        })?;
    }
    let file = segment::create(seg, &buf, opts.segment_bytes)?;
    Ok((file, buf.len() as u64))
}

fn corrupt(seg: &Segment, offset: u64, reason: &str) -> WalError {
    WalError::Corrupt {
        file: seg.path.clone(),
        offset,
        reason: reason.to_string(),
    }
}

/// The index a new entry may follow: the last entry's, or the snapshot's if that is newer
/// (a follower that was sent a snapshot continues after it). Shared by `save` and replay, so
/// replay accepts exactly what `save` wrote.
fn log_last_index(last_entry_index: u64, snapshot: Option<&SnapshotMark>) -> u64 {
    last_entry_index.max(snapshot.map_or(0, |s| s.index))
}

/// The log as replay rebuilds it, record by record, by the rules `save` enforces.
struct Replay {
    /// Stands in for the last entry index before any entry is seen: older segments may have
    /// been released, and the first remaining one was started after this index.
    base: u64,
    metadata: Option<Vec<u8>>,
    snapshot: Option<SnapshotMark>,
    hard_state: HardState,
    /// Contiguous and ascending; may still hold entries the snapshot covers.
    entries: Vec<Entry>,
}

impl Replay {
    fn starting_after(base: u64) -> Replay {
        Replay {
            base,
            metadata: None,
            snapshot: None,
            hard_state: HardState::default(),
            entries: Vec::new(),
        }
    }

    /// Replays one segment's records. For the last segment, returns where appends go and
    /// whether a torn tail must be cut off there first.
    fn segment(&mut self, seg: &Segment, is_last: bool) -> Result<(u64, bool), WalError> {
        let contents = segment::read_for_replay(&seg.path).map_err(WalError::io(&seg.path))?;
        let first = record::read_all(&contents.bytes);
        // The trimmed bytes may have cut a record short: decide on the whole file then.
        let whole: Vec<u8>;
        let (buf, (records, end)) = match first.1 {
            End::Broken { .. } if contents.trimmed() => {
                whole = fs::read(&seg.path).map_err(WalError::io(&seg.path))?;
                (&whole[..], record::read_all(&whole))
            }
            _ => (&contents.bytes[..], first),
        };
        if records.is_empty() {
            // Segments are created whole (see segment::create), so even the last one
            // always starts with a complete metadata record.
            let reason = match end {
                End::Broken { reason, .. } => reason,
                End::Clean { .. } => "segment holds no records",
            };
            return Err(corrupt(seg, 0, reason));
        }
        for (n, rec) in records.iter().enumerate() {
            let payload =
                codec::decode(rec.kind, rec.payload).map_err(|r| corrupt(seg, rec.offset, r))?;
            if (n == 0) != matches!(payload, Payload::Metadata(_)) {
                return Err(corrupt(
                    seg,
                    rec.offset,
                    "metadata must be exactly the first record",
                ));
            }
            self.apply(payload)
                .map_err(|r| corrupt(seg, rec.offset, &r))?;
        }
        match end {
            End::Clean { offset } if is_last => Ok((offset, false)),
            // Cutting a segment trims its preallocated space, so zeros at the end of an
            // older segment mean data that was synced has gone missing.
            End::Clean { offset } if offset != contents.file_len => Err(corrupt(
                seg,
                offset,
                "zero-filled space inside an older segment",
            )),
            End::Clean { offset } => Ok((offset, false)),
            End::Broken { offset, reason } if is_last && record::is_torn(buf, offset as usize) => {
                tracing::warn!(
                    "wal: truncating torn tail of {} at offset {offset} ({reason})",
                    seg.path.display()
                );
                Ok((offset, true))
            }
            End::Broken { offset, reason } => Err(corrupt(seg, offset, reason)),
        }
    }

    fn last_entry_index(&self) -> u64 {
        self.entries.last().map_or(self.base, |e| e.index)
    }

    fn apply(&mut self, payload: Payload) -> Result<(), String> {
        match payload {
            Payload::Metadata(m) => match &self.metadata {
                Some(first) if *first != m => {
                    return Err("metadata differs from the first segment's".into())
                }
                Some(_) => {}
                None => self.metadata = Some(m),
            },
            Payload::HardState(hs) => self.hard_state = hs,
            Payload::Snapshot(mark) => self.snapshot = Some(mark),
            Payload::Installed(mark) => {
                self.base = mark.index;
                self.entries.clear();
                self.snapshot = Some(mark);
            }
            Payload::Entry(e) => {
                let last = log_last_index(self.last_entry_index(), self.snapshot.as_ref());
                if e.index > last.saturating_add(1) {
                    return Err(format!(
                        "entry index {} leaves a gap after index {last}",
                        e.index
                    ));
                }
                // raft's conflict rule: an entry at index i replaces every entry from i on.
                // Most entries come after all those held, which needs no search.
                if self.entries.last().is_some_and(|old| old.index >= e.index) {
                    let keep = self.entries.partition_point(|old| old.index < e.index);
                    self.entries.truncate(keep);
                }
                // The entry may continue a snapshot rather than the entries held (a follower
                // that was sent one); those entries are all covered by the snapshot then.
                if self
                    .entries
                    .last()
                    .is_some_and(|old| old.index.checked_add(1) != Some(e.index))
                {
                    self.entries.clear();
                }
                self.entries.push(e);
            }
        }
        Ok(())
    }
}
