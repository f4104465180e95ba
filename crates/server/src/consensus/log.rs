//! The raft log as raft-rs keeps it in memory: rebuilt from the WAL on start, and the
//! conversions between the WAL's records and raft-rs's types.

use oxcd_wal::{SnapshotMark, WalState};
use raft::prelude::{ConfState, Entry, EntryType, HardState, Snapshot};
use raft::storage::MemStorage;

/// raft-rs's log as the WAL holds it: the last snapshot, the entries after it, and the hard
/// state. `voters` configure a log that has never had a snapshot; `applied` is the backend's
/// consistent index, which proves how far commit got.
pub fn restore_storage(state: &WalState, voters: &[u64], applied: u64) -> raft::Result<MemStorage> {
    let storage = match &state.snapshot {
        Some(mark) if mark.index > 0 => {
            let storage = MemStorage::new();
            let mut snap = Snapshot::default();
            let meta = snap.mut_metadata();
            meta.index = mark.index;
            meta.term = mark.term;
            *meta.mut_conf_state() = conf_state_of(mark);
            storage.wl().apply_snapshot(snap)?;
            storage
        }
        Some(mark) => MemStorage::new_with_conf_state(conf_state_of(mark)),
        None => MemStorage::new_with_conf_state(ConfState::from((voters.to_vec(), vec![]))),
    };
    let entries: Vec<Entry> = state.entries.iter().map(to_raft_entry).collect();
    storage.wl().append(&entries)?;
    let last = raft::Storage::last_index(&storage)?;
    let hs = HardState {
        term: state.hard_state.term,
        vote: state.hard_state.vote,
        // The commit index is not synced on its own; the backend proves how far it got.
        commit: state.hard_state.commit.max(applied).min(last),
        ..Default::default()
    };
    storage.wl().set_hardstate(hs);
    Ok(storage)
}

fn conf_state_of(mark: &SnapshotMark) -> ConfState {
    let mut cs = ConfState::from((mark.voters.clone(), mark.learners.clone()));
    cs.voters_outgoing = mark.voters_outgoing.clone();
    cs.learners_next = mark.learners_next.clone();
    cs.auto_leave = mark.auto_leave;
    cs
}

pub fn to_raft_entry(e: &oxcd_wal::Entry) -> Entry {
    Entry {
        index: e.index,
        term: e.term,
        entry_type: match e.entry_type {
            1 => EntryType::EntryConfChange,
            2 => EntryType::EntryConfChangeV2,
            _ => EntryType::EntryNormal,
        },
        data: e.data.clone().into(),
        context: e.context.clone().into(),
        ..Default::default()
    }
}

pub fn to_wal_entry(e: &Entry) -> oxcd_wal::Entry {
    oxcd_wal::Entry {
        index: e.index,
        term: e.term,
        entry_type: e.get_entry_type() as i32,
        data: e.data.to_vec(),
        context: e.context.to_vec(),
    }
}

/// The WAL's record of a snapshot at `index` with configuration `cs`.
pub fn snapshot_mark(index: u64, term: u64, cs: &ConfState) -> SnapshotMark {
    SnapshotMark {
        index,
        term,
        voters: cs.voters.clone(),
        learners: cs.learners.clone(),
        voters_outgoing: cs.voters_outgoing.clone(),
        learners_next: cs.learners_next.clone(),
        auto_leave: cs.auto_leave,
    }
}
