//! What the WAL stores and returns: raft's entries, hard state and snapshot marks.

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
